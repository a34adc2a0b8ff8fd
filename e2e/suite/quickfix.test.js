// Quick fixes in the real VS Code host: "Generate 32-bit shadow" on a header
// with an unthunked IOCTL buffer makes the finding disappear, and the edited
// header compiles for x86 and x64 with its layout guards holding (clang).
// @ts-check
'use strict';

const assert = require('assert');
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const vscode = require('vscode');
const { openFixture, waitFor, log } = require('./helpers');

const repoRoot = path.resolve(__dirname, '..', '..');
const shim = path.join(repoRoot, 'test', 'wdk-shim', 'wdk_shim.h');

/** @param {vscode.Uri} uri */
function unthunked(uri) {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => typeof d.code === 'object' && d.code.value === 'unthunked-pointer');
}

/** Compiles `text` after the WDK shim for a Windows triple; returns clang's stderr, or undefined when clang is missing. */
function compile(text, triple) {
  if (spawnSync('sh', ['-c', 'command -v clang']).status !== 0) return undefined;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-e2e-')), 'fixed.c');
  fs.writeFileSync(file, text);
  const r = spawnSync('clang', ['-target', triple, '-fms-extensions', '-fsyntax-only', '-include', shim, '-x', 'c', file], { encoding: 'utf8' });
  return r.status === 0 ? '' : r.stderr || `clang exited ${r.status}`;
}

describe('quick fixes', () => {
  it('Generate 32-bit shadow removes the finding, and the result compiles on x86 and x64', async () => {
    const document = await openFixture('quickfix_shadow.h');
    const original = document.getText();
    try {
      const [finding] = await waitFor(async () => {
        const found = unthunked(document.uri);
        return found.length ? found : undefined;
      }, { what: 'an unthunked-pointer finding', timeoutMs: 25000 });

      /** @type {(vscode.CodeAction | vscode.Command)[]} */
      const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', document.uri, finding.range);
      const titles = actions.map((a) => a.title);
      log('code actions:', titles.join(' | '));
      const generate = /** @type {vscode.CodeAction | undefined} */ (actions.find((a) => a.title.startsWith('Generate 32-bit shadow')));
      assert.ok(generate && 'edit' in generate && generate.edit, titles.join('\n'));
      assert.ok(await vscode.workspace.applyEdit(generate.edit));

      const text = document.getText();
      assert.ok(text.startsWith(original.slice(0, original.indexOf('typedef struct'))), 'the text before the struct is kept');
      assert.match(text, /FABRIKAM_REGISTER32/);
      assert.match(text, /C_ASSERT\(sizeof\(FABRIKAM_REGISTER32\) == 16\)/);

      await waitFor(async () => (unthunked(document.uri).length === 0 ? true : undefined), {
        what: 'the unthunked-pointer finding to disappear',
        timeoutMs: 25000,
      });

      // Offered no more: applying twice cannot duplicate the shadow.
      const again = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', document.uri, finding.range);
      assert.ok(!again.some((a) => a.title.startsWith('Generate 32-bit shadow')), again.map((a) => a.title).join('\n'));

      for (const triple of ['i686-pc-windows-msvc', 'x86_64-pc-windows-msvc']) {
        const errors = compile(text, triple);
        if (errors === undefined) {
          if (process.env.CI === 'true') assert.fail('clang not found (CI=true)');
          log('SKIPPED: clang not found (compiling the quick fix result)');
          break;
        }
        assert.strictEqual(errors, '', `${triple}:\n${errors}`);
      }
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
  });
});
