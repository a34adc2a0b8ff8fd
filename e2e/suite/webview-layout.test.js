// The layout view in a real VS Code: opened on the Contoso sample with the
// cursor in CONTOSO_OPEN_SESSION, it draws both ABIs, follows the cursor and
// edits, reveals members, exports Markdown and SVG, and is photographed in
// the light and dark themes for the README.
// @ts-check
'use strict';

const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const vscode = require('vscode');
const { extensionUnderTest, waitFor, screenshot, sleep, positionOf, log } = require('./helpers');

/** @returns {Promise<any>} the panel's state (test-only command) */
const viewState = () => vscode.commands.executeCommand('ioctlLens.layoutView.state');

/** Waits until the webview has drawn the named record. */
async function rendered(name) {
  return waitFor(async () => {
    const s = await viewState();
    return s && s.model && s.model.name === name && s.rendered && s.rendered.record === name ? s : undefined;
  }, { what: `the layout view to draw ${name}`, timeoutMs: 25000 });
}

/** @param {vscode.TextEditor} editor @param {vscode.Position} p */
function moveCursor(editor, p) {
  editor.selection = new vscode.Selection(p, p);
  editor.revealRange(new vscode.Range(p, p), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/** Closes every editor; unsaved untitled ones (earlier suites' Markdown tables) are reverted first so no prompt appears. */
async function closeEverything() {
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      if (tab.input instanceof vscode.TabInputText && tab.input.uri.scheme === 'untitled') {
        await vscode.window.showTextDocument(tab.input.uri, { viewColumn: group.viewColumn });
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

describe('layout view', () => {
  /** @type {vscode.TextDocument} */
  let document;
  /** @type {vscode.TextEditor} */
  let editor;

  before(async () => {
    await closeEverything();
    await vscode.commands.executeCommand('vscode.setEditorLayout', { orientation: 0, groups: [{}] });
    const sample = path.join(extensionUnderTest().extensionPath, 'samples', 'driver', 'ioctl_interface.h');
    document = await vscode.workspace.openTextDocument(vscode.Uri.file(sample));
    editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  after(async () => {
    // Leave the workbench as found: no editors, one group, the explorer shown. (The sample's
    // diagnostics stay until VS Code drops the closed document, minutes later; this file runs
    // after lsp.test.js so they do not appear in its Problems screenshots.)
    await closeEverything();
    await vscode.commands.executeCommand('vscode.setEditorLayout', { orientation: 0, groups: [{}] });
    await vscode.commands.executeCommand('workbench.view.explorer');
  });

  it('opens beside the editor on the record under the cursor', async () => {
    moveCursor(editor, positionOf(document, 'HANDLE CompletionEvent', 8));
    const shown = await waitFor(() => vscode.commands.executeCommand('ioctlLens.showLayoutView'), { what: 'a layout model', timeoutMs: 25000 });
    assert.strictEqual(shown, true);
    const s = await rendered('_CONTOSO_OPEN_SESSION');
    assert.ok(s.open && s.visible, JSON.stringify({ open: s.open, visible: s.visible }));
    assert.deepStrictEqual(s.model.abis.map((a) => [a.abi, a.size]), [['x86', 20], ['x64', 40]]);
    const event = s.model.members.find((m) => m.path === 'CompletionEvent');
    assert.ok(event.pointerSized && event.differs);
    assert.ok(s.model.members.some((m) => m.path === 'DeviceName.Buffer'), 'UNICODE_STRING expands');
    assert.ok(s.rendered.segments >= 10, `segments drawn: ${s.rendered.segments}`);
    log('layout view segments drawn:', s.rendered.segments);
  });

  it('follows the cursor and edits, and reveals members', async () => {
    // A code lens click passes the record's key: the view shows that record.
    await vscode.commands.executeCommand('ioctlLens.showLayout', document.uri.toString(), { line: 0, character: 0 }, '_CONTOSO_STATS');
    const stats = await rendered('_CONTOSO_STATS');
    assert.ok(stats.model.abis[0].lanes[0].some((s) => s.kind === 'bitfield' && s.bits.length === 2), 'the bit-field unit holds both bit-fields');
    // The table view: the same data for keyboard and screen reader users.
    await vscode.commands.executeCommand('ioctlLens.layoutView.setView', 'table');
    await waitFor(async () => ((await viewState()).rendered.view === 'table' ? true : undefined), { what: 'the table view' });
    await vscode.commands.executeCommand('ioctlLens.layoutView.setView', 'map');
    await waitFor(async () => ((await viewState()).rendered.view === 'map' ? true : undefined), { what: 'the byte map' });
    moveCursor(editor, positionOf(document, 'PVOID MappedAddress', 8));
    await rendered('_CONTOSO_MAP_RING');
    moveCursor(editor, positionOf(document, 'HANDLE CompletionEvent', 8));
    await rendered('_CONTOSO_OPEN_SESSION');

    // An edit inside the record: the view redraws with the new size, then the undo restores it.
    const flags = positionOf(document, '    ULONG Flags;\n} CONTOSO_OPEN_SESSION');
    await editor.edit((b) => b.insert(flags, '    ULONG Extra;\n'));
    await waitFor(async () => ((await viewState()).model.abis[0].size === 24 ? true : undefined), { what: 'the view to follow the edit', timeoutMs: 25000 });
    await vscode.commands.executeCommand('undo');
    await waitFor(async () => ((await viewState()).model.abis[0].size === 20 ? true : undefined), { what: 'the view to follow the undo', timeoutMs: 25000 });
    assert.strictEqual(document.isDirty, false);

    await vscode.commands.executeCommand('ioctlLens.layoutView.reveal', 'Flags');
    const active = vscode.window.activeTextEditor;
    assert.ok(active && active.document === document, 'the sample is active');
    assert.strictEqual(document.getText(active.selection), 'Flags');
    assert.strictEqual(active.selection.start.line, flags.line);
  });

  it('exports Markdown and SVG', async () => {
    const md = /** @type {vscode.TextDocument} */ (await vscode.commands.executeCommand('ioctlLens.layoutView.exportMarkdown'));
    assert.match(md.getText(), /\| `CompletionEvent` ⌖ ≠ \| HANDLE \| \*\*4 · 4 B\*\* \| \*\*8 · 8 B\*\* \|/);
    // The untitled table is dirty: revert it so it closes without a prompt.
    await vscode.window.showTextDocument(md);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitFor(() => !vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === md.uri.toString())) || undefined, { what: 'the Markdown export to close' });
    const target = vscode.Uri.file(path.join(os.tmpdir(), `ioctl-lens-layout-${process.pid}.svg`));
    await vscode.commands.executeCommand('ioctlLens.layoutView.exportSvg', target, 'light');
    const svg = fs.readFileSync(target.fsPath, 'utf8');
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(svg, /CompletionEvent/);
    fs.rmSync(target.fsPath, { force: true });
  });

  it('draws in the light and dark themes (screenshots)', async () => {
    const config = vscode.workspace.getConfiguration('workbench');
    const original = config.inspect('colorTheme')?.globalValue;
    await vscode.commands.executeCommand('vscode.setEditorLayout', { orientation: 0, groups: [{ size: 0.36 }, { size: 0.64 }] });
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    moveCursor(editor, positionOf(document, 'HANDLE CompletionEvent', 8));
    editor.revealRange(new vscode.Range(positionOf(document, '/* A HANDLE and'), positionOf(document, '/* A HANDLE and')), vscode.TextEditorRevealType.AtTop);
    await rendered('_CONTOSO_OPEN_SESSION');
    await vscode.commands.executeCommand('notifications.clearAll');
    try {
      for (const [theme, name] of [['Default Light Modern', 'layout-view-light'], ['Default Dark Modern', 'layout-view-dark']]) {
        const before = (await viewState()).rendered.count;
        await config.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
        await waitFor(() => (vscode.window.activeColorTheme.kind === (theme.includes('Light') ? vscode.ColorThemeKind.Light : vscode.ColorThemeKind.Dark) ? true : undefined), { what: `theme ${theme}` });
        // The controller posts the model again on a theme change; wait until the webview has drawn it.
        await waitFor(async () => ((await viewState()).rendered.count > before ? true : undefined), { what: `the layout view to redraw in ${theme}` });
        await sleep(1500);
        await screenshot(name);
      }
    } finally {
      await config.update('colorTheme', original, vscode.ConfigurationTarget.Global);
    }
  });
});
