/**
 * The VS Code client: thin by design. It starts the language server
 * (dist/server.js, over IPC), shows its log in an output channel and its
 * state in a status bar item, and registers the commands. Everything the
 * user sees about layouts comes from the server.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { registerLayoutView } from './layoutView';

let client: LanguageClient | undefined;
let status: vscode.StatusBarItem;
let output: vscode.LogOutputChannel;

interface ServerStatus {
  state: 'analyzing' | 'indexing' | 'idle';
  pending: number;
  abis: string[];
  lastMs?: number;
}

function abisShown(): string[] {
  return vscode.workspace.getConfiguration('ioctlLens').get<string[]>('abis') ?? ['x86', 'x64'];
}

function showStatus(s: Partial<Omit<ServerStatus, 'state'>> & { state: ServerStatus['state'] | 'starting' | 'restarting' | 'stopped' }): void {
  const abis = (s.abis ?? abisShown()).join(' · ');
  const icon = s.state === 'idle' ? '$(check)' : s.state === 'stopped' ? '$(error)' : '$(sync~spin)';
  status.text = `${icon} ioctl-lens ${abis}`;
  const last = s.lastMs !== undefined ? `, last analysis ${s.lastMs} ms` : '';
  status.tooltip = `ioctl-lens: ${s.state}${s.pending ? ` (${s.pending} waiting)` : ''}${last}. ABIs shown: ${abis}. Click for the log.`;
  status.show();
}

function createClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  // A smaller young generation and size-oriented heap growth: about a quarter less memory on a
  // wdm.h-sized translation unit for the same median latency (npm run bench -- lsp).
  const execArgv = ['--optimize-for-size', '--max-semi-space-size=2'];
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...execArgv, '--nolazy', '--inspect=6010'] } },
  };
  const rulesDir = context.asAbsolutePath(path.join('docs', 'rules'));
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'c' },
      { scheme: 'file', language: 'cpp' },
      { scheme: 'untitled', language: 'c' },
      { scheme: 'untitled', language: 'cpp' },
    ],
    outputChannel: output,
    synchronize: { configurationSection: 'ioctlLens' },
    initializationOptions: {
      settings: vscode.workspace.getConfiguration('ioctlLens'),
      clientCommands: true,
      // Rule pages open from the installed extension when they are packaged with it.
      rulesDocBase: fs.existsSync(rulesDir) ? vscode.Uri.file(rulesDir).toString() + '/' : undefined,
    },
  };
  return new LanguageClient('ioctlLens', 'ioctl-lens', serverOptions, clientOptions);
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  client = createClient(context);
  client.onNotification('ioctlLens/status', (s: ServerStatus) => showStatus(s));
  showStatus({ state: 'starting' });
  await client.start();
  showStatus({ state: 'idle' });
}

/** Asks the server for Markdown (a layout table, a decoded control code) and opens it beside the editor. */
async function showMarkdown(command: string, uri: string | undefined, position: vscode.Position | { line: number; character: number } | undefined, extra?: unknown): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const target = uri ?? editor?.document.uri.toString();
  const pos = position ?? editor?.selection.active;
  if (!client || !target || !pos) {
    void vscode.window.showInformationMessage('ioctl-lens: open a C/C++ file and put the cursor on a record or an IOCTL.');
    return;
  }
  const text = await client.sendRequest<string | null>('workspace/executeCommand', { command, arguments: [target, { line: pos.line, character: pos.character }, extra] });
  if (!text) {
    void vscode.window.showInformationMessage(command === 'ioctlLens.layoutMarkdown' ? 'ioctl-lens: no record at the cursor.' : 'ioctl-lens: no control code at the cursor.');
    return;
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: text });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
}

/**
 * The walkthrough's sample: the packaged sample driver header, opened as an
 * untitled C document so its quick fixes edit a copy, never the installed
 * extension.
 */
async function openSample(context: vscode.ExtensionContext): Promise<vscode.TextEditor> {
  const file = context.asAbsolutePath(path.join('samples', 'driver', 'ioctl_interface.h'));
  const content = await fs.promises.readFile(file, 'utf8');
  const document = await vscode.workspace.openTextDocument({ language: 'c', content });
  return vscode.window.showTextDocument(document, { preview: false });
}

/** The walkthrough's quick-fix step: the cursor on the active editor's first ioctl-lens finding, and its quick fixes shown. */
async function showFirstQuickFix(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? d.code.value : d.code);
  const findings = editor ? vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === 'ioctl-lens' && d.severity <= vscode.DiagnosticSeverity.Warning) : [];
  // A missing shadow first: its fix writes translation code, the point of the tour.
  const finding = findings.find((d) => codeOf(d) === 'unthunked-pointer') ?? findings[0];
  if (!editor || !finding) {
    void vscode.window.showInformationMessage('ioctl-lens: open a driver header with a warning first (ioctl-lens: Open the Sample Driver Header has some).');
    return;
  }
  editor.selection = new vscode.Selection(finding.range.start, finding.range.start);
  editor.revealRange(finding.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  await vscode.commands.executeCommand('editor.action.quickFix');
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('ioctl-lens', { log: true });
  status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 100);
  status.command = 'ioctlLens.showOutput';
  context.subscriptions.push(output, status);
  registerLayoutView(context, () => client);
  context.subscriptions.push(
    vscode.commands.registerCommand('ioctlLens.restartServer', async () => {
      output.appendLine('restarting the language server');
      showStatus({ state: 'restarting' });
      if (client) await client.restart();
      showStatus({ state: 'idle' });
    }),
    // A code lens click (it passes the record's key) opens the layout view; the palette command keeps the Markdown table.
    vscode.commands.registerCommand('ioctlLens.showLayout', (uri?: string, position?: { line: number; character: number }, key?: string) =>
      typeof uri === 'string' && typeof key === 'string'
        ? vscode.commands.executeCommand('ioctlLens.showLayoutView', uri, position, key)
        : showMarkdown('ioctlLens.layoutMarkdown', typeof uri === 'string' ? uri : undefined, position, key),
    ),
    vscode.commands.registerCommand('ioctlLens.showControlCode', (uri?: string, position?: { line: number; character: number }, value?: number) =>
      showMarkdown('ioctlLens.controlCodeMarkdown', typeof uri === 'string' ? uri : undefined, position, value),
    ),
    vscode.commands.registerCommand('ioctlLens.showOutput', () => output.show(true)),
    // The prelude notice's action, and the walkthrough's include-path step.
    vscode.commands.registerCommand('ioctlLens.configureIncludePaths', () => vscode.commands.executeCommand('workbench.action.openSettings', 'ioctlLens.includePaths')),
    vscode.commands.registerCommand('ioctlLens.openSample', () => openSample(context)),
    vscode.commands.registerCommand('ioctlLens.walkthrough.quickFix', () => showFirstQuickFix()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('ioctlLens.abis')) showStatus({ state: 'analyzing' });
    }),
  );
  try {
    await startClient(context);
    output.appendLine('ioctl-lens: language server started');
  } catch (err) {
    output.appendLine(`ioctl-lens: the language server failed to start: ${err instanceof Error ? err.message : String(err)}`);
    showStatus({ state: 'stopped' });
  }
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
}
