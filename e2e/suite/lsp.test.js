// The language server seen through the real VS Code API: diagnostics in the
// Problems model, hovers, code lenses, inlay hints, symbols, definition,
// completion and the layout command, on the Contoso sample header.
// @ts-check
'use strict';

const assert = require('assert');
const vscode = require('vscode');
const { openFixture, positionOf, waitForDiagnostics, hoverText, waitFor, screenshot, log } = require('./helpers');

/** @param {vscode.TextDocument} document */
async function lenses(document) {
  return waitFor(
    async () => {
      /** @type {vscode.CodeLens[]} */
      const all = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', document.uri)) ?? [];
      const ours = all.filter((l) => l.command && / B · /.test(l.command.title));
      return ours.length ? all : undefined;
    },
    { what: 'code lenses from ioctl-lens', timeoutMs: 25000 },
  );
}

describe('lsp', () => {
  it('publishes diagnostics with the rule code', async () => {
    const document = await openFixture('lsp_broken.h');
    const diagnostics = await waitForDiagnostics(document.uri, { source: 'ioctl-lens', timeoutMs: 25000 });
    const missing = diagnostics.find((d) => String(typeof d.code === 'object' ? d.code.value : d.code) === 'pp-include-not-found');
    assert.ok(missing, JSON.stringify(diagnostics));
    assert.strictEqual(missing.range.start.line, 1);
    assert.strictEqual(missing.severity, vscode.DiagnosticSeverity.Error);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await screenshot('problems');
  });

  it('publishes WOW64 rule findings linked to their rule pages', async () => {
    const document = await openFixture('lsp_contoso.h');
    const diagnostics = await waitFor(async () => {
      const all = vscode.languages.getDiagnostics(document.uri);
      return all.some((d) => typeof d.code === 'object' && d.code.value === 'unthunked-pointer') ? all : undefined;
    }, { what: 'unthunked-pointer findings', timeoutMs: 25000 });
    const finding = diagnostics.find((d) => typeof d.code === 'object' && d.code.value === 'unthunked-pointer');
    assert.ok(finding && typeof finding.code === 'object');
    // The rule page ships in the extension and the link opens it from there.
    assert.match(finding.code.target.toString(), /docs\/rules\/unthunked-pointer\.md$/);
    assert.ok((finding.relatedInformation || []).length >= 1);
    log('rule findings:', diagnostics.map((d) => `${d.range.start.line + 1}: ${d.message}`).join(' | '));
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await new Promise((r) => setTimeout(r, 1000));
    await screenshot('problems-rules');
  });

  it('shows code lenses above records and IOCTL definitions', async () => {
    const document = await openFixture('lsp_contoso.h');
    const all = await lenses(document);
    const titles = all.map((l) => (l.command ? l.command.title : ''));
    log('code lenses:', titles.join(' | '));
    assert.ok(titles.includes('x86 20 B · x64 40 B · differs'), titles.join('\n'));
    assert.ok(titles.includes('x86 8 B · x64 8 B · same on all ABIs'), titles.join('\n'));
    assert.ok(titles.some((t) => t.startsWith('0x8337E004 · CTL_CODE(FILE_DEVICE_CONTOSO')), titles.join('\n'));
    const editor = vscode.window.activeTextEditor;
    if (editor) editor.revealRange(new vscode.Range(28, 0, 60, 0), vscode.TextEditorRevealType.AtTop);
    // Lenses and inlay hints render a moment after the provider answers.
    await new Promise((r) => setTimeout(r, 2000));
    await screenshot('codelens');
  });

  it('hovers a struct and a member with per-ABI layouts', async () => {
    const document = await openFixture('lsp_contoso.h');
    const record = await waitFor(async () => {
      const t = await hoverText(document, positionOf(document, '_CONTOSO_OPEN_SESSION {', 2));
      return /x64/.test(t) ? t : undefined;
    }, { what: 'a hover on _CONTOSO_OPEN_SESSION', timeoutMs: 25000 });
    assert.match(record, /struct _CONTOSO_OPEN_SESSION/);
    assert.match(record, /Layouts differ/);
    assert.match(record, /IOCTL_CONTOSO_OPEN_SESSION/);
    const member = await hoverText(document, positionOf(document, 'CompletionEvent', 3));
    assert.match(member, /offset/);
    assert.match(member, /offset ≠ +\| +4 \| +8 \|/);
    const ioctl = await hoverText(document, positionOf(document, 'IOCTL_CONTOSO_MAP_RING CONTOSO', 3));
    assert.match(ioctl, /METHOD_NEITHER/);
    const editor = vscode.window.activeTextEditor;
    if (editor) {
      const p = positionOf(document, 'CompletionEvent', 3);
      editor.selection = new vscode.Selection(p, p);
      await vscode.commands.executeCommand('editor.action.showHover');
      await new Promise((r) => setTimeout(r, 800));
      await screenshot('hover');
    }
  });

  it('shows inlay hints with per-ABI offsets', async () => {
    const document = await openFixture('lsp_contoso.h');
    const range = new vscode.Range(0, 0, document.lineCount, 0);
    /** @type {vscode.InlayHint[]} */
    const hints = await waitFor(async () => {
      const h = await vscode.commands.executeCommand('vscode.executeInlayHintProvider', document.uri, range);
      return Array.isArray(h) && h.length ? h : undefined;
    }, { what: 'inlay hints', timeoutMs: 25000 });
    const labels = hints.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')).trim());
    assert.ok(labels.includes('+4 | +8'), labels.join('\n'));
  });

  it('lists document symbols and goes to definitions', async () => {
    const document = await openFixture('lsp_contoso.h');
    /** @type {vscode.DocumentSymbol[]} */
    const symbols = await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', document.uri);
    const names = symbols.map((s) => s.name);
    assert.ok(names.includes('_CONTOSO_SUBMIT_BATCH') && names.includes('IOCTL_CONTOSO_GET_STATS'), names.join(', '));
    const batch = symbols.find((s) => s.name === '_CONTOSO_SUBMIT_BATCH');
    assert.deepStrictEqual(batch && batch.children.map((c) => c.name), ['Count', 'Requests', 'Timeout']);
    /** @type {(vscode.Location | vscode.LocationLink)[]} */
    const defs = await vscode.commands.executeCommand('vscode.executeDefinitionProvider', document.uri, positionOf(document, 'PCONTOSO_REQUEST Requests', 2));
    assert.strictEqual(defs.length, 1);
    const first = defs[0];
    const line = 'range' in first ? first.range.start.line : first.targetRange.start.line;
    assert.strictEqual(line, positionOf(document, '} CONTOSO_REQUEST, *PCONTOSO_REQUEST').line);
  });

  it('completes inside CTL_CODE(...) and annotations in comments', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'c', content: '#define IOCTL_NEW CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_, FILE_ANY_ACCESS)\n/** @ */\n' });
    await vscode.window.showTextDocument(document);
    const at = positionOf(document, 'METHOD_', 7);
    /** @type {vscode.CompletionList} */
    const list = await waitFor(async () => {
      const l = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', document.uri, at);
      return l && l.items.some((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'METHOD_BUFFERED') ? l : undefined;
    }, { what: 'METHOD_ completions', timeoutMs: 25000 });
    assert.ok(list.items.length >= 4);
    /** @type {vscode.CompletionList} */
    const tags = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', document.uri, positionOf(document, '@ */', 1));
    const labels = tags.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const t of ['in', 'out', 'inout', 'shadow32', 'count']) assert.ok(labels.includes(t), labels.join(', '));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('shows the layout of the record at the cursor', async () => {
    const document = await openFixture('lsp_contoso.h');
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    const p = positionOf(document, 'MappedAddress');
    editor.selection = new vscode.Selection(p, p);
    await vscode.commands.executeCommand('ioctlLens.showLayout');
    const table = await waitFor(() => vscode.workspace.textDocuments.find((d) => d.languageId === 'markdown' && d.getText().includes('_CONTOSO_MAP_RING')), { what: 'the layout table', timeoutMs: 15000 });
    assert.match(table.getText(), /\| member +\| type +\| +x86 \| +x64 \|/);
  });
});
