/**
 * Options resolved in one place (server/src/core/options.ts): the same
 * `.ioctl-lens.json` and `compile_commands.json` give `ioctl-lens check` and
 * the language server the same analysis of a file.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkOptionsFor } from '../server/src/cli/check';
import { main } from '../server/src/cli/main';
import { parseConfig } from '../server/src/core/config';
import { resolveOptions } from '../server/src/core/options';
import { normalizePath } from '../server/src/core/source';
import { loadConfig } from '../server/src/node/config';
import { invalidateCompileDatabases, optionsFor } from '../server/src/lsp/settings';

/** A project folder: a driver source, `.ioctl-lens.json` and `compile_commands.json`. */
function project(config: object): { dir: string; file: string } {
  const dir = normalizePath(fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-options-'))));
  for (const d of ['src', 'cfg', 'cc', 'cc2']) fs.mkdirSync(path.join(dir, d));
  const file = `${dir}/src/a.c`;
  fs.writeFileSync(file, 'typedef struct _R { void *P; } R;\n');
  fs.writeFileSync(path.join(dir, '.ioctl-lens.json'), JSON.stringify(config));
  fs.writeFileSync(
    path.join(dir, 'compile_commands.json'),
    JSON.stringify([{ directory: dir, file: 'src/a.c', arguments: ['cl.exe', '/Icc', '/Icc2', '/DFROM_CC=1', '/DBOTH=cc', 'src/a.c'] }]),
  );
  return { dir, file };
}

describe('options: one resolution for the CLI and the editor', () => {
  it('reads the editor switches of .ioctl-lens.json without an unknown-setting warning, and checks their values', () => {
    const ok = parseConfig('{"inlayHints": "all", "codeLens": false, "preamble": true, "debounce": 200, "thunkStyle": "pointer32"}', '/p/.ioctl-lens.json');
    assert.deepEqual(ok.diagnostics, []);
    assert.deepEqual(ok.config.editor, { inlayHints: 'all', codeLens: false, preamble: true, debounce: 200, thunkStyle: 'pointer32' });
    const bad = parseConfig('{"inlayHints": "sometimes"}', '/p/.ioctl-lens.json');
    assert.deepEqual(bad.diagnostics.map((d) => d.message), [`'inlayHints' must be "differing", "all" or "off"`]);
  });

  it('a .ioctl-lens.json with inlayHints: the editor honours it and the CLI does not warn', () => {
    const { dir, file } = project({ inlayHints: 'all' });
    invalidateCompileDatabases();
    assert.equal(optionsFor(file, {}, [dir]).settings.inlayHints, 'all');
    let err = '';
    const status = main(['check', '--fail-on', 'never', dir], { out: () => undefined, err: (s) => (err += s), isTty: false, cwd: dir });
    assert.equal(status, 0);
    assert.doesNotMatch(err, /unknown setting/);
  });

  it('the same file gets the same analysis options in check and in the editor: include directories in the same order', () => {
    const { dir, file } = project({ includePaths: ['cfg'], defines: { FROM_CONFIG: '1', BOTH: 'config' }, abis: ['x86', 'x64'] });
    invalidateCompileDatabases();
    const editor = optionsFor(file, {}, [dir]).analysis;
    const loaded = loadConfig(dir);
    const cli = checkOptionsFor(
      { paths: [dir], abis: loaded.config.abis!, includeDirs: [], defines: [], undefines: [], forcedIncludes: [], rules: {}, config: loaded.config, compileCommands: loaded.compileCommands?.entries },
      file,
    );
    assert.deepEqual(cli, editor);
    assert.deepEqual(editor.includeDirs, [`${dir}/cc`, `${dir}/cc2`, `${dir}/cfg`]);
    // Later layers win: .ioctl-lens.json's BOTH is defined after compile_commands.json's.
    assert.deepEqual(editor.defines, [['FROM_CC', '1'], ['BOTH', 'cc'], ['FROM_CONFIG', '1'], ['BOTH', 'config']]);
  });

  it('orders the layers: driver project, compile_commands.json, .ioctl-lens.json, front end', () => {
    const r = resolveOptions({
      project: { includeDirs: ['/p'], defines: [['P', '1']], kernel: true },
      compile: { includeDirs: ['/c', '/p'], defines: [['C', '1']] },
      config: { includePaths: ['/k'], defines: [['K', '1']], undefines: [], forcedIncludes: ['windows.h'], rules: { 'stale-shadow': 'off' }, editor: {} },
      frontEnd: { includeDirs: ['/f'], defines: [['F', '1']], rules: { 'stale-shadow': 'warning' }, abis: ['arm64', 'arm32'] },
    });
    assert.deepEqual(r.analysis.includeDirs, ['/p', '/c', '/k', '/f']);
    assert.deepEqual(r.analysis.defines, [['_KERNEL_MODE', '1'], ['P', '1'], ['C', '1'], ['K', '1'], ['F', '1']]);
    assert.deepEqual(r.analysis.forcedIncludes, ['windows.h']);
    assert.deepEqual(r.analysis.abis, ['arm64', 'arm32']);
    assert.deepEqual(r.rules, { 'stale-shadow': 'warning' });
  });

  it("turns _KERNEL_MODE off with kernelMode: the front end's switch, else .ioctl-lens.json's", () => {
    const config = { includePaths: [], defines: [], undefines: [], forcedIncludes: [], rules: {}, editor: {} };
    const kernelDefined = (sources: Parameters<typeof resolveOptions>[0]) => (resolveOptions(sources).analysis.defines ?? []).some(([n]) => n === '_KERNEL_MODE');
    const project = { kernel: true };
    assert.equal(kernelDefined({ project }), true);
    assert.equal(kernelDefined({ project, config: { ...config, kernelMode: false } }), false);
    assert.equal(kernelDefined({ project, frontEnd: { kernelMode: false } }), false);
    assert.equal(kernelDefined({ project, config: { ...config, kernelMode: false }, frontEnd: { kernelMode: true } }), true);
    assert.equal(resolveOptions({ project }).analysis.driverBuild, true, "the target's platform macros come with it");
    assert.equal(resolveOptions({ project, frontEnd: { kernelMode: false } }).analysis.driverBuild, undefined);
    // Not a kernel-mode source: nothing to turn on.
    assert.equal(kernelDefined({ project: { kernel: false }, frontEnd: { kernelMode: true } }), false);
  });
});
