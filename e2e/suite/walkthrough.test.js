// The walkthrough in a real VS Code: it is contributed and opens, and its
// steps' buttons, run in order as a new user would click them, take the
// user from the sample driver header to the layout view and a first quick
// fix (the 32-bit shadow) that removes the warning. Each step is
// photographed for the walkthrough's own media (images/walkthrough/).
// @ts-check
'use strict';

const assert = require('assert');
const vscode = require('vscode');
const { extensionUnderTest, waitFor, screenshot, sleep, positionOf, log } = require('./helpers');

/** @param {vscode.Diagnostic} d */
const codeOf = (d) => (typeof d.code === 'object' ? d.code.value : d.code);

/** The commands a step's description links to, in order. */
function stepCommands(step) {
  return [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]);
}

describe('walkthrough', () => {
  const manifest = extensionUnderTest().packageJSON;
  const walkthrough = manifest.contributes.walkthroughs[0];
  const step = (id) => walkthrough.steps.find((s) => s.id === id);

  before(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('vscode.setEditorLayout', { orientation: 0, groups: [{}] });
  });

  it('opens from the Welcome page', async () => {
    assert.deepStrictEqual(walkthrough.steps.map((s) => s.id), ['openHeader', 'includePaths', 'hover', 'layoutView', 'quickFix']);
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${extensionUnderTest().id}#${walkthrough.id}`, false);
    await waitFor(() => {
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
      return tab && /welcome|walkthrough/i.test(tab.label) ? tab : undefined;
    }, { what: 'the walkthrough page', timeoutMs: 15000 });
    await sleep(1500);
    await screenshot('walkthrough');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('goes from the sample header to the layout view and a first quick fix', async () => {
    // Step 1: open the sample header (an untitled copy: fixes never edit the installed extension).
    assert.deepStrictEqual(stepCommands(step('openHeader')), ['ioctlLens.openSample']);
    /** @type {vscode.TextEditor} */
    const editor = await vscode.commands.executeCommand('ioctlLens.openSample');
    const document = editor.document;
    assert.strictEqual(document.uri.scheme, 'untitled');
    assert.match(document.getText(), /CONTOSO_OPEN_SESSION/);
    const findings = await waitFor(() => {
      const found = vscode.languages.getDiagnostics(document.uri).filter((d) => codeOf(d) === 'unthunked-pointer');
      return found.length ? found : undefined;
    }, { what: 'the sample\'s unthunked-pointer warnings', timeoutMs: 25000 });
    log('unthunked-pointer findings:', findings.length);
    const lenses = await waitFor(async () => {
      /** @type {vscode.CodeLens[]} */
      const found = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', document.uri);
      return found && found.some((l) => l.command && /differs/.test(l.command.title)) ? found : undefined;
    }, { what: 'code lenses on the sample', timeoutMs: 25000 });
    assert.ok(lenses.length > 3);
    await sleep(1000);
    await screenshot('walkthrough-open-header');

    // Step 2 links the include-path setting; step 3 asks for a hover.
    assert.deepStrictEqual(stepCommands(step('includePaths')), ['ioctlLens.configureIncludePaths']);
    const sessionPos = positionOf(document, 'HANDLE CompletionEvent', 8);
    editor.selection = new vscode.Selection(sessionPos, sessionPos);
    /** @type {vscode.Hover[]} */
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', document.uri, sessionPos);
    const hover = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
    assert.match(hover, /padding before ≠ +\| +0 B \| +4 B \|/);
    editor.revealRange(new vscode.Range(sessionPos, sessionPos), vscode.TextEditorRevealType.InCenter);
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    await sleep(500);
    await vscode.commands.executeCommand('editor.action.showHover');
    await sleep(1500);
    await screenshot('walkthrough-hover');

    // Step 4: the layout view of the struct under the cursor.
    assert.deepStrictEqual(stepCommands(step('layoutView')), ['ioctlLens.showLayoutView']);
    await vscode.commands.executeCommand('ioctlLens.showLayoutView');
    const state = await waitFor(async () => {
      const s = await vscode.commands.executeCommand('ioctlLens.layoutView.state');
      return s && s.rendered && s.rendered.record === '_CONTOSO_OPEN_SESSION' ? s : undefined;
    }, { what: 'the layout view of _CONTOSO_OPEN_SESSION', timeoutMs: 25000 });
    assert.deepStrictEqual(state.model.abis.map((a) => [a.abi, a.size, a.padding]), [['x86', 20, 0], ['x64', 40, 12]]);
    await sleep(1200);
    await screenshot('walkthrough-layout-view');
    await vscode.commands.executeCommand('workbench.action.closeEditorsInOtherGroups');
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);

    // Step 5: the quick fixes of the first warning, and the 32-bit shadow applied.
    assert.deepStrictEqual(stepCommands(step('quickFix')), ['ioctlLens.walkthrough.quickFix']);
    await vscode.commands.executeCommand('ioctlLens.walkthrough.quickFix');
    const active = vscode.window.activeTextEditor;
    assert.ok(active && active.document === document);
    const finding = vscode.languages.getDiagnostics(document.uri).find((d) => codeOf(d) === 'unthunked-pointer' && d.range.contains(active.selection.active));
    assert.ok(finding, 'the cursor is on an unthunked-pointer warning');
    await sleep(1500);
    await screenshot('walkthrough-quick-fix');
    await vscode.commands.executeCommand('hideCodeActionWidget');
    /** @type {vscode.CodeAction[]} */
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', document.uri, finding.range);
    const generate = actions.find((a) => a.title.startsWith('Generate 32-bit shadow'));
    assert.ok(generate && generate.edit, actions.map((a) => a.title).join(' | '));
    const before = vscode.languages.getDiagnostics(document.uri).filter((d) => codeOf(d) === 'unthunked-pointer').length;
    assert.ok(await vscode.workspace.applyEdit(generate.edit));
    await waitFor(() => (vscode.languages.getDiagnostics(document.uri).filter((d) => codeOf(d) === 'unthunked-pointer').length === before - 1 ? true : undefined), {
      what: 'the fixed warning to disappear',
      timeoutMs: 25000,
    });
    assert.match(document.getText(), /C_ASSERT\(sizeof\(/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
