/**
 * The .vsix as `npm run package` makes it (`vsce package`, into a temporary
 * folder, listed with `unzip -l`): the two bundles, the manifest, the icon,
 * the CHANGELOG, the Marketplace README (MARKETPLACE.md, written for users,
 * not the developer README), the rule pages, the grammars, the walkthrough's
 * media and sample; none of the sources, tests, e2e harness or node_modules.
 * And the manifest a Marketplace listing needs: keywords, Restricted Mode
 * declared with the path settings restricted, a walkthrough whose commands
 * and media exist.
 */

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot, startClient, uriOf } from './client';
import { hasCommand } from '../helpers';

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

describe('lsp: extension package contents', function () {
  this.timeout(120000);
  let files: string[] = [];
  let readme = '';

  before(function () {
    const vsce = path.join(repoRoot, 'node_modules/.bin/vsce');
    for (const [ok, what] of [[fs.existsSync(vsce), '@vscode/vsce (npm install)'], [hasCommand('unzip'), 'unzip']] as const) {
      if (ok) continue;
      if (process.env.CI === 'true') throw new Error(`${what} is required on CI`);
      console.log(`\n    SKIPPED: ${what} not found (extension package contents)\n`);
      this.skip();
    }
    // The bundles are build products (npm run build:extension): made afresh, so the package holds today's sources.
    const b = spawnSync(process.execPath, ['scripts/build-extension.mjs'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
    // The same vsce arguments as `npm run package`, into a scratch folder.
    const args = /vsce package (.*) --out \S+/.exec(manifest.scripts.package)![1].split(' ');
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-vsix-')), 'ioctl-lens.vsix');
    const r = spawnSync(vsce, ['package', ...args, '--out', out], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const list = spawnSync('unzip', ['-l', out], { encoding: 'utf8' });
    files = list.stdout.split('\n').map((l) => /\s(extension\/\S.*)$/.exec(l)?.[1]).filter((f): f is string => !!f).map((f) => f.slice('extension/'.length));
    readme = spawnSync('unzip', ['-p', out, 'extension/readme.md'], { encoding: 'utf8' }).stdout;
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });

  it('holds the bundles, manifest, icon, changelog, rule pages and grammars, and nothing from the sources', () => {
    for (const f of ['package.json', 'readme.md', 'changelog.md', 'LICENSE.txt', 'images/icon.png', 'dist/client.js', 'dist/server.js']) {
      assert.ok(files.some((x) => x.toLowerCase() === f.toLowerCase()), `${f} missing from ${files.join(', ')}`);
    }
    const rules = fs.readdirSync(path.join(repoRoot, 'docs/rules')).filter((f) => f.endsWith('.md'));
    for (const rule of rules) assert.ok(files.includes(`docs/rules/${rule}`), `docs/rules/${rule} missing`);
    for (const g of manifest.contributes.grammars) assert.ok(files.includes(g.path.replace(/^\.\//, '')), g.path);
    // Webview assets (client/media/) ship as they are, and the one sample header the walkthrough opens; sources, tests and tooling never do.
    const unwanted = files.filter((f) => (/^(server|client\/src|test|e2e|node_modules|out|scripts|samples)\//.test(f) && f !== 'samples/driver/ioctl_interface.h') || f.endsWith('.map') || f.endsWith('.ts'));
    assert.deepEqual(unwanted, []);
  });

  it('carries the Marketplace README written for users, not the developer README', () => {
    assert.equal(readme, fs.readFileSync(path.join(repoRoot, 'MARKETPLACE.md'), 'utf8').replace(/\]\((e2e\/[^)]+)\)/g, (_, p) => `](https://github.com/ioctl-lens/ioctl-lens/raw/HEAD/${p})`));
    for (const heading of ['## What it does', '## Getting started', '## Include paths', '## Settings', '## Restricted Mode']) assert.match(readme, new RegExp(`^${heading}$`, 'm'));
    assert.doesNotMatch(readme, /npm test|scripts\/setup\.sh|## Development/, 'developer instructions');
    // Screenshots point at files in the repository; every setting the table names exists.
    for (const image of readme.matchAll(/!\[[^\]]*\]\(https:\/\/github\.com\/ioctl-lens\/ioctl-lens\/raw\/HEAD\/([^)]+)\)/g)) assert.ok(fs.existsSync(path.join(repoRoot, image[1])), image[1]);
    for (const setting of readme.matchAll(/`(ioctlLens\.[\w.]+)`/g)) assert.ok(manifest.contributes.configuration.properties[setting[1]], setting[1]);
  });

  it('ships the walkthrough\'s media and sample, and registers every command it links', () => {
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.ok(walkthrough.steps.length >= 4);
    const commands = new Set(manifest.contributes.commands.map((c: { command: string }) => c.command));
    const extension = fs.readFileSync(path.join(repoRoot, 'client/src/extension.ts'), 'utf8') + fs.readFileSync(path.join(repoRoot, 'client/src/layoutView.ts'), 'utf8');
    for (const step of walkthrough.steps) {
      const media = step.media.image ?? step.media.markdown;
      assert.ok(files.includes(media), `${step.id}: ${media} not in the package`);
      for (const link of step.description.matchAll(/\(command:([\w.]+)\)/g)) {
        assert.ok(commands.has(link[1]), `${step.id}: ${link[1]} is not contributed`);
        assert.ok(extension.includes(`'${link[1]}'`), `${step.id}: ${link[1]} is not registered by the client`);
      }
    }
    assert.ok(files.includes('samples/driver/ioctl_interface.h'));
  });

  it('declares keywords, an icon, and limited support in Restricted Mode with the path settings restricted', () => {
    assert.ok(manifest.keywords.length >= 5 && manifest.keywords.length <= 30);
    assert.equal(manifest.icon, 'images/icon.png');
    const png = fs.readFileSync(path.join(repoRoot, manifest.icon));
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    const trust = manifest.capabilities.untrustedWorkspaces;
    assert.equal(trust.supported, 'limited');
    assert.deepEqual([...trust.restrictedConfigurations].sort(), ['ioctlLens.compileCommands', 'ioctlLens.forcedIncludes', 'ioctlLens.includePaths']);
    for (const name of trust.restrictedConfigurations) assert.ok(manifest.contributes.configuration.properties[name], name);
  });

  it('runs its bundled language server alone, with no node_modules beside it (vsce --no-dependencies)', async function () {
    // A dependency esbuild cannot follow (a UMD build's dynamic require) works in the repository and fails in the .vsix;
    // so the server bundle is copied where nothing can be resolved, started as the client starts it, and asked for findings.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-bundle-'));
    fs.copyFileSync(path.join(repoRoot, 'dist/server.js'), path.join(dir, 'server.js'));
    // Loaded alone with its input closed, it must come up and leave quietly (a missing module kills it at once, before any reply).
    const alone = spawnSync(process.execPath, [path.join(dir, 'server.js'), '--stdio'], { cwd: dir, input: '', encoding: 'utf8', timeout: 30000 });
    assert.doesNotMatch(alone.stderr, /Cannot find module|Error:/, alone.stderr);
    const client = await startClient({ rootPath: dir, serverArgs: [path.join(dir, 'server.js'), '--stdio'] });
    try {
      const file = path.join(dir, 'io.h');
      const text = '#include <windows.h>\n#define IOCTL_A CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS) // @in A_IN\ntypedef struct _A_IN { HANDLE Event; ULONG Flags; } A_IN;\n';
      fs.writeFileSync(file, text);
      const exited = new Promise<never>((_, reject) => client.proc.once('exit', (code) => reject(new Error(`the bundled server exited (${code}): ${client.stderr.join('')}`))));
      const published = await Promise.race([client.diagnostics(await client.open(file, text), (p) => p.diagnostics.length > 0, 20000), exited]);
      assert.equal(published.uri, uriOf(file));
      assert.ok(published.diagnostics.some((d) => /A_IN/.test(d.message)), JSON.stringify(published.diagnostics.map((d) => d.message)));
      assert.equal(client.stderr.join('').match(/Cannot find module/), null, client.stderr.join(''));
    } finally {
      await client.shutdown();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
