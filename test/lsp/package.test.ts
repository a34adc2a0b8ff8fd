/**
 * The .vsix contents: `vsce ls` (what `npm run package` would put in the
 * extension) holds the two bundles, the manifest, the README, the rule pages
 * and the grammars, and none of the sources, tests, e2e harness or
 * node_modules (the bundles carry their dependencies).
 */

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './client';

describe('lsp: extension package contents', function () {
  this.timeout(60000);

  it('vsce ls lists the bundles and rule pages, and nothing from the sources', function () {
    const vsce = path.join(repoRoot, 'node_modules/.bin/vsce');
    if (!fs.existsSync(vsce)) {
      console.log('SKIPPED: @vscode/vsce not installed (npm install)');
      if (process.env.CI === 'true') throw new Error('@vscode/vsce is required on CI');
      this.skip();
    }
    // The bundles are build products (npm run build:extension); make them when a fresh clone has none.
    if (!fs.existsSync(path.join(repoRoot, 'dist/server.js')) || !fs.existsSync(path.join(repoRoot, 'dist/client.js'))) {
      const b = spawnSync(process.execPath, ['scripts/build-extension.mjs'], { cwd: repoRoot, encoding: 'utf8' });
      assert.equal(b.status, 0, b.stderr);
    }
    const r = spawnSync(vsce, ['ls', '--no-dependencies'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const files = r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
    for (const f of ['package.json', 'README.md', 'dist/client.js', 'dist/server.js']) assert.ok(files.includes(f), `${f} missing from ${files.join(', ')}`);
    const rules = fs.readdirSync(path.join(repoRoot, 'docs/rules')).filter((f) => f.endsWith('.md'));
    for (const rule of rules) assert.ok(files.includes(`docs/rules/${rule}`), `docs/rules/${rule} missing`);
    // Webview assets (client/media/) ship as they are; sources, tests and tooling never do.
    const unwanted = files.filter((f) => /^(server|client\/src|test|e2e|node_modules|out|scripts|samples)\//.test(f) || f.endsWith('.map') || f.endsWith('.ts'));
    assert.deepEqual(unwanted, []);
  });
});
