// The prelude notice in a real VS Code: a dispatch source that includes
// <ntddk.h> and <wdf.h> with no include path configured gets one
// information-level diagnostic (no red "file not found", no "unknown type
// name 'PIRP'"), whose quick fix opens the include-path setting.
// @ts-check
'use strict';

const assert = require('assert');
const vscode = require('vscode');
const { openFixture, waitFor, screenshot, sleep, log } = require('./helpers');

/** @param {vscode.Diagnostic} d */
const codeOf = (d) => (typeof d.code === 'object' ? d.code.value : d.code);

describe('prelude notice', () => {
  it('says once, as information, that built-in types stand in for ntddk.h and wdf.h; its fix opens the setting', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const document = await openFixture('prelude_dispatch.c');
    const diagnostics = await waitFor(() => {
      const found = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'ioctl-lens');
      return found.some((d) => codeOf(d) === 'prelude-stands-in') ? found : undefined;
    }, { what: 'the prelude notice', timeoutMs: 25000 });
    log('diagnostics:', diagnostics.map((d) => `${codeOf(d)} ${d.severity} ${d.message}`).join(' | '));
    const notices = diagnostics.filter((d) => codeOf(d) === 'prelude-stands-in');
    assert.strictEqual(notices.length, 1);
    assert.strictEqual(notices[0].severity, vscode.DiagnosticSeverity.Information);
    assert.strictEqual(notices[0].range.start.line, document.getText().split('\n').findIndex((l) => l.startsWith('#include <ntddk.h>')));
    assert.match(notices[0].message, /'ntddk\.h', 'wdf\.h' are not on the include path/);
    assert.deepStrictEqual(diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).map((d) => d.message), []);

    // The notice as a user meets it: hovering the #include it sits on.
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor && editor.document === document);
    const at = notices[0].range.start.translate(0, 2);
    await vscode.commands.executeCommand('workbench.action.closePanel');
    editor.selection = new vscode.Selection(at, at);
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    await sleep(500);
    await vscode.commands.executeCommand('editor.action.showHover');
    await sleep(1500);
    await screenshot('prelude-notice');

    /** @type {vscode.CodeAction[]} */
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', document.uri, notices[0].range);
    const open = actions.find((a) => a.command && a.command.command === 'ioctlLens.configureIncludePaths');
    assert.ok(open, actions.map((a) => a.title).join(' | '));
    assert.strictEqual(open.title, 'Set the include paths (ioctlLens.includePaths)');
    await vscode.commands.executeCommand(open.command.command, ...(open.command.arguments || []));
    const settings = await waitFor(() => {
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
      return tab && /settings/i.test(tab.label) ? tab : undefined;
    }, { what: 'the Settings editor', timeoutMs: 15000 });
    log('opened:', settings.label);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
