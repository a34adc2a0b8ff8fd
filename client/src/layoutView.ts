/**
 * The layout view: a webview panel beside the editor that draws the record
 * under the cursor as byte maps, one row per ABI. This file is the panel's
 * controller: it asks the server for the model (`ioctlLens/layoutView`),
 * follows the cursor and edits (debounced), posts the model to the webview
 * (client/media/layoutView.js draws it), reveals members the user clicks,
 * and exports the model as Markdown or SVG (the exporters are the core's
 * pure functions, so the CLI and tests share them).
 *
 * Security: the webview runs one nonce'd script from client/media, under a
 * `default-src 'none'` content security policy; nothing remote is loaded.
 */

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { type LayoutViewModel, type LayoutViewSource, toMarkdownTable, toSvg } from '../../server/src/core/layoutView';

const requestName = 'ioctlLens/layoutView';
export const layoutViewCommands = {
  show: 'ioctlLens.showLayoutView',
  exportMarkdown: 'ioctlLens.layoutView.exportMarkdown',
  exportSvg: 'ioctlLens.layoutView.exportSvg',
  /** Not in the palette: the panel's state, and what a click on a member does, for the end-to-end tests. */
  state: 'ioctlLens.layoutView.state',
  reveal: 'ioctlLens.layoutView.reveal',
  setView: 'ioctlLens.layoutView.setView',
} as const;

type Source = LayoutViewSource & { uri?: string };
interface Result {
  uri: string;
  version: number;
  model: LayoutViewModel;
}
type Position = { line: number; character: number };

/** Messages from the webview. */
type FromWebview =
  | { type: 'ready' }
  | { type: 'reveal'; path: string }
  | { type: 'export'; format: 'markdown' | 'svg' }
  | { type: 'follow'; follow: boolean }
  | { type: 'rendered'; record: string; segments: number; view: string };

const isC = (d: vscode.TextDocument) => d.languageId === 'c' || d.languageId === 'cpp';

/** Registers the layout view's commands and listeners; `getClient` gives the running language client. */
export function registerLayoutView(context: vscode.ExtensionContext, getClient: () => LanguageClient | undefined): void {
  const media = vscode.Uri.joinPath(context.extensionUri, 'client', 'media');
  let panel: vscode.WebviewPanel | undefined;
  let current: Result | undefined;
  let follow = true;
  let lastRendered: { record: string; segments: number; view: string; count: number } | undefined;
  let renders = 0;
  let notice: string | undefined;
  let ignoreSelectionUntil = 0;
  let cursorTimer: NodeJS.Timeout | undefined;
  let editTimer: NodeJS.Timeout | undefined;
  let generation = 0;

  async function request(params: { uri: string; position?: Position; record?: string }): Promise<Result | null> {
    const client = getClient();
    if (!client) return null;
    try {
      return await client.sendRequest<Result | null>(requestName, params);
    } catch {
      return null;
    }
  }

  function post(): void {
    if (!panel) return;
    void panel.webview.postMessage({ type: 'model', model: current?.model ?? null, notice, follow, theme: themeKind() });
    panel.title = current ? `Layout: ${current.model.name}` : 'ioctl-lens Layout';
  }

  /** Asks for the model and shows it; keeps the last record when the cursor is outside any record. */
  async function update(params: { uri: string; position?: Position; record?: string }, opts: { quietWhenMissing: boolean }): Promise<boolean> {
    const mine = ++generation;
    const result = await request(params);
    if (mine !== generation) return false; // a newer request is on its way
    if (result) {
      current = result;
      notice = undefined;
    } else {
      notice = current ? `The cursor is not in a struct or union; still showing ${current.model.name}.` : 'Put the cursor in a struct or union to see its layout.';
      if (!opts.quietWhenMissing && !current) void vscode.window.showInformationMessage('ioctl-lens: no record at the cursor.');
    }
    post();
    return !!result;
  }

  function html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('hex');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(media, 'layoutView.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'layoutView.css'));
    const csp = [`default-src 'none'`, `img-src ${webview.cspSource} data:`, `style-src ${webview.cspSource}`, `font-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>ioctl-lens Layout</title>
</head>
<body>
<div id="app" class="lv-app"><p class="lv-empty">Loading the layout…</p></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  function themeKind(): 'light' | 'dark' {
    const k = vscode.window.activeColorTheme.kind;
    return k === vscode.ColorThemeKind.Light || k === vscode.ColorThemeKind.HighContrastLight ? 'light' : 'dark';
  }

  function ensurePanel(): vscode.WebviewPanel {
    if (panel) {
      panel.reveal(vscode.ViewColumn.Beside, true);
      return panel;
    }
    panel = vscode.window.createWebviewPanel('ioctlLens.layoutView', 'ioctl-lens Layout', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [media],
      // Kept alive while hidden: a reload would lose the focus, scroll and expansion state, and costs a round trip.
      retainContextWhenHidden: true,
    });
    panel.iconPath = vscode.Uri.joinPath(media, 'layoutView.svg');
    panel.webview.html = html(panel.webview);
    panel.webview.onDidReceiveMessage((m: FromWebview) => void onMessage(m));
    panel.onDidDispose(() => {
      panel = undefined;
      lastRendered = undefined;
    });
    return panel;
  }

  async function onMessage(m: FromWebview): Promise<void> {
    switch (m.type) {
      case 'ready':
        post();
        break;
      case 'reveal':
        await reveal(m.path);
        break;
      case 'export':
        await vscode.commands.executeCommand(m.format === 'svg' ? layoutViewCommands.exportSvg : layoutViewCommands.exportMarkdown);
        break;
      case 'follow':
        follow = m.follow;
        if (follow) followCursor(0);
        break;
      case 'rendered':
        lastRendered = { record: m.record, segments: m.segments, view: m.view, count: ++renders };
        break;
    }
  }

  /** Selects the member's name in its source, in the editor column the user was working in. */
  async function reveal(path: string): Promise<void> {
    const member = current?.model.members.find((x) => x.path === path);
    const source = (member ? member.source : path === '' ? current?.model.source : undefined) as Source | undefined;
    if (!source?.uri) {
      void vscode.window.showInformationMessage(`ioctl-lens: ${member?.label ?? path} is defined in a built-in header.`);
      return;
    }
    const range = new vscode.Range(source.line - 1, source.col - 1, source.endLine - 1, source.endCol - 1);
    const uri = vscode.Uri.parse(source.uri);
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    ignoreSelectionUntil = Date.now() + 600;
    const editor = await vscode.window.showTextDocument(uri, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, selection: range, preserveFocus: false });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  function followCursor(delay: number): void {
    if (!panel || !follow) return;
    clearTimeout(cursorTimer);
    cursorTimer = setTimeout(() => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !isC(editor.document)) return;
      const p = editor.selection.active;
      void update({ uri: editor.document.uri.toString(), position: { line: p.line, character: p.character } }, { quietWhenMissing: true });
    }, delay);
  }

  async function show(uri?: unknown, position?: unknown, key?: unknown): Promise<boolean> {
    const editor = vscode.window.activeTextEditor;
    const target = typeof uri === 'string' ? uri : uri instanceof vscode.Uri ? uri.toString() : editor?.document.uri.toString();
    const pos = isPosition(position) ? position : editor?.selection.active;
    ensurePanel();
    if (!target) {
      notice = 'Open a C/C++ header and put the cursor in a struct or union.';
      post();
      return false;
    }
    return update({ uri: target, position: pos ? { line: pos.line, character: pos.character } : undefined, record: typeof key === 'string' ? key : undefined }, { quietWhenMissing: false });
  }

  async function exportMarkdown(): Promise<vscode.TextDocument | undefined> {
    if (!current) return undefined;
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: toMarkdownTable(current.model) });
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
    return doc;
  }

  /** Saves the SVG where the user says (or at `target`), in the current theme's colours. */
  async function exportSvg(target?: unknown, theme?: unknown): Promise<vscode.Uri | undefined> {
    if (!current) return undefined;
    const svg = toSvg(current.model, theme === 'light' || theme === 'dark' ? theme : themeKind());
    let uri = target instanceof vscode.Uri ? target : typeof target === 'string' ? vscode.Uri.parse(target) : undefined;
    if (!uri) {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const name = `${current.model.name.replace(/[^\w.-]+/g, '_')}.layout.svg`;
      uri = await vscode.window.showSaveDialog({ defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined, filters: { SVG: ['svg'] }, title: 'Export the layout as SVG' });
      if (!uri) return undefined;
    }
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(svg));
    void vscode.window.showInformationMessage(`ioctl-lens: layout saved as ${vscode.workspace.asRelativePath(uri)}`);
    return uri;
  }

  context.subscriptions.push(
    vscode.commands.registerCommand(layoutViewCommands.show, show),
    vscode.commands.registerCommand(layoutViewCommands.exportMarkdown, exportMarkdown),
    vscode.commands.registerCommand(layoutViewCommands.exportSvg, exportSvg),
    vscode.commands.registerCommand(layoutViewCommands.reveal, (path: unknown) => reveal(typeof path === 'string' ? path : '')),
    vscode.commands.registerCommand(layoutViewCommands.setView, (view: unknown) => {
      if (panel && (view === 'map' || view === 'table')) void panel.webview.postMessage({ type: 'view', view });
    }),
    vscode.commands.registerCommand(layoutViewCommands.state, () => ({ open: !!panel, visible: !!panel?.visible, follow, notice, uri: current?.uri, model: current?.model, rendered: lastRendered })),
    vscode.window.onDidChangeTextEditorSelection((e) => {
      if (Date.now() < ignoreSelectionUntil || !isC(e.textEditor.document)) return;
      if (e.textEditor !== vscode.window.activeTextEditor) return;
      followCursor(150);
    }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (!panel || !current || e.contentChanges.length === 0 || !isC(e.document)) return;
      // An edit to the shown record's file (or any C file it may include): refresh the same record.
      clearTimeout(editTimer);
      editTimer = setTimeout(() => {
        if (!current) return;
        const editor = vscode.window.activeTextEditor;
        const p = editor && editor.document.uri.toString() === current.uri ? editor.selection.active : undefined;
        void update({ uri: current.uri, record: current.model.key, position: p ? { line: p.line, character: p.character } : undefined }, { quietWhenMissing: true });
      }, 300);
    }),
    vscode.window.onDidChangeActiveColorTheme(() => post()),
    { dispose: () => panel?.dispose() },
  );
}

function isPosition(p: unknown): p is Position {
  return !!p && typeof p === 'object' && typeof (p as Position).line === 'number' && typeof (p as Position).character === 'number';
}
