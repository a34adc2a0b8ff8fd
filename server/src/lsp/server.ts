/**
 * The language server's glue: capabilities, and one short handler per
 * request. Each handler gets the document, waits for its current analysis
 * (documents.ts), calls one language-service verb and converts the answer
 * (convert.ts). Every handler is guarded: a failure is logged and answered
 * with an empty result, never fatal.
 *
 * Transports: IPC when started by the VS Code extension (`--node-ipc`),
 * stdio for other editors (`ioctl-lens serve --stdio`, see cli/serve.ts).
 */

import {
  type CancellationToken,
  type Connection,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  type InitializeParams,
  type InitializeResult,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
} from 'vscode-languageserver/node';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { diskHost } from '../node/host';
import type { SourceFile } from '../core/source';
import {
  type TextPositions,
  pathToUri,
  textPositions,
  toCodeLens,
  toCompletionItem,
  toDiagnostic,
  toDocumentSymbol,
  toHover,
  toInlayHint,
  toLocation,
  toSymbolInformation,
  uriToPath,
  locRange,
} from './convert';
import { getCodeActions, includePathActions, toCodeAction } from './codeActions';
import { type AnalyzedDocument, createDocumentStore } from './documents';
import { recordFacts } from './facts';
import { decodeControlCode } from '../core/interface';
import * as ls from './languageService';
import { renderControlCode, renderLayoutTable } from './render';
import { type Settings, configProblems, configurationGeneration, defaultSettings, invalidateCompileDatabases, mergeSettings, optionsFor } from './settings';
import { registerLayoutView } from './layoutViewRequest';
import { createGuardedConnection } from './transport';
import { doValidation, ruleFindings } from './validation';
import { type ProgressHandle, createWorkspaceIndex, fuzzyMatch } from './workspaceIndex';

/** Where the rule pages live; `<base><rule>.md`. The client may pass its own folder instead (initializationOptions.rulesDocBase). */
export const repositoryUrl = 'https://github.com/ioctl-lens/ioctl-lens';

/**
 * The rule pages installed beside the server (`out/server/src/lsp/` or the
 * bundle in `dist/`), as a `file:` URL, so a link works offline in any
 * editor; the repository's pages when they are not there.
 */
export const defaultRulesDocBase = ((): string => {
  for (const up of ['../../../..', '..']) {
    const dir = nodePath.resolve(__dirname, up, 'docs', 'rules');
    if (fs.existsSync(nodePath.join(dir, 'unthunked-pointer.md'))) return pathToFileURL(dir).href + '/';
  }
  return `${repositoryUrl}/blob/main/docs/rules/`;
})();

/** Commands the server executes (`workspace/executeCommand`); each returns Markdown. */
export const serverCommands = {
  layout: 'ioctlLens.layoutMarkdown',
  controlCode: 'ioctlLens.controlCodeMarkdown',
  reindex: 'ioctlLens.reindex',
} as const;

/** Commands the VS Code extension registers; code lenses use them when the client says it has them. */
export const clientCommands = { layout: 'ioctlLens.showLayout', controlCode: 'ioctlLens.showControlCode', includePaths: 'ioctlLens.configureIncludePaths' } as const;

interface InitOptions {
  settings?: unknown;
  rulesDocBase?: string;
  /** The client registers `ioctlLens.showLayout`/`ioctlLens.showControlCode` (the VS Code extension does). */
  clientCommands?: boolean;
}

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): Connection {
  const documents = new TextDocuments(TextDocument);
  let editorSettings: unknown = {};
  let settings: Settings = defaultSettings;
  let roots: string[] = [];
  let init: InitOptions = {};
  let canPullConfiguration = false;
  let canReportProgress = false;
  let canWatchFiles = false;
  let hoverFormat: 'markdown' | 'plaintext' = 'markdown';

  const log = (m: string) => connection.console.log(`[${new Date().toISOString().slice(11, 23)}] ${m}`);
  const disk = diskHost();
  const uriOf = (path: string) => pathToUri(path, (p) => openUris.get(p));
  const openUris = new Map<string, string>();

  const store = createDocumentStore({
    disk,
    optionsFor: (path, document) => optionsFor(path, editorSettings, roots, log, document, (p, configuration) => index.projectOf(p, configuration)),
    onAnalyzed: (doc) => {
      // The document's functions take part in its driver's dispatch: the other open documents
      // of the driver (a header whose records a handler uses) get their findings again.
      index.documentAnalyzed(doc);
      publish(doc);
      for (const uri of store.uris()) {
        const other = store.latest(uri);
        if (other && other.uri !== doc.uri) publish(other);
      }
    },
    driverOf: (path) => index.driverOf(path),
    onState: (s) => {
      void connection.sendNotification('ioctlLens/status', {
        state: s.busy ? 'analyzing' : index.indexing ? 'indexing' : 'idle',
        pending: s.pending,
        analyses: s.started,
        abis: settings.abis,
        lastMs: s.last ? Math.round(s.last.elapsed) : undefined,
      });
    },
    log,
    debounce: () => settings.debounce,
  });

  const index = createWorkspaceIndex({
    store,
    log,
    maxFiles: () => settings.index.maxFiles,
    configuration: () => settings.configuration || undefined,
    progress: beginProgress,
    onUpdated: () => {
      // What the index found may change a document's options (its driver project, kernel-mode sources).
      store.refreshOptions();
      for (const uri of store.uris()) {
        const d = store.latest(uri);
        if (d) publish(d);
      }
    },
  });

  let configPublished = -1;

  /** Problems in `.ioctl-lens.json` / `compile_commands.json`, on those files. */
  function publishConfigProblems(): void {
    if (configPublished === configurationGeneration()) return;
    configPublished = configurationGeneration();
    for (const [file, problems] of configProblems) {
      const diagnostics = problems.map((d) => toDiagnostic({ code: d.code, severity: d.severity, message: d.message, loc: d.loc, end: d.end, related: [], rule: false }, { rulesDocBase: '', uriOf }));
      void connection.sendDiagnostics({ uri: uriOf(file), diagnostics });
    }
  }

  function publish(doc: AnalyzedDocument): void {
    publishConfigProblems();
    settings = doc.options.settings;
    const findings = doValidation(doc, { rules: doc.options.settings.rules, workspaceIoctls: index.ioctls(), runRules: ruleFindings });
    const rulesDocBase = init.rulesDocBase ?? defaultRulesDocBase;
    // A fingerprint names the file from its workspace folder, as `check` run there does.
    const baseDirOf = (path: string) => roots.filter((r) => path.startsWith(r + '/')).sort((a, b) => b.length - a.length)[0];
    const diagnostics = findings.map((f) => toDiagnostic(f, { rulesDocBase, uriOf, baseDirOf }));
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  }

  async function beginProgress(title: string): Promise<ProgressHandle> {
    if (!canReportProgress) return { report() {}, done() {}, cancelled: false };
    try {
      const p = await connection.window.createWorkDoneProgress();
      p.begin(title, 0, undefined, true);
      return {
        report: (pct, msg) => p.report(pct, msg),
        done: () => p.done(),
        get cancelled() {
          return p.token.isCancellationRequested;
        },
      };
    } catch {
      return { report() {}, done() {}, cancelled: false };
    }
  }

  /** Wraps a handler: logs a failure and answers `fallback`. */
  function guard<P, R>(name: string, fallback: R, fn: (params: P, token: CancellationToken) => Promise<R> | R) {
    return async (params: P, token: CancellationToken): Promise<R> => {
      try {
        return await fn(params, token);
      } catch (err) {
        log(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        return fallback;
      }
    };
  }

  /** The analysed document and position helpers for a request, or undefined (unknown URI, cancelled). */
  async function analysed(uri: unknown, token?: CancellationToken): Promise<{ doc: AnalyzedDocument; pos: TextPositions } | undefined> {
    if (typeof uri !== 'string') return undefined;
    const doc = await store.get(uri);
    if (!doc || token?.isCancellationRequested) return undefined;
    return { doc, pos: textPositions(doc.path, doc.text) };
  }

  function offsetOf(pos: TextPositions, p: unknown): number | undefined {
    if (!p || typeof p !== 'object') return undefined;
    const { line, character } = p as { line: unknown; character: unknown };
    if (typeof line !== 'number' || typeof character !== 'number') return undefined;
    return pos.positionToOffset({ line, character });
  }

  async function pullSettings(): Promise<void> {
    if (canPullConfiguration) {
      try {
        editorSettings = (await connection.workspace.getConfiguration({ section: 'ioctlLens' })) ?? {};
      } catch (err) {
        log(`workspace/configuration failed: ${String(err)}`);
      }
    }
    settings = mergeSettings(defaultSettings, editorSettings);
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    // A client may send almost nothing; everything below tolerates missing fields.
    init = (params?.initializationOptions ?? {}) as InitOptions;
    editorSettings = init.settings ?? {};
    settings = mergeSettings(defaultSettings, editorSettings);
    const folders = (Array.isArray(params?.workspaceFolders) ? params.workspaceFolders : []).filter((f) => typeof f?.uri === 'string').map((f) => uriToPath(f.uri));
    if (folders.length === 0 && typeof params?.rootUri === 'string') folders.push(uriToPath(params.rootUri));
    roots = folders.filter((f) => f.startsWith('/') || /^[A-Za-z]:/.test(f));
    const caps = params?.capabilities;
    canPullConfiguration = !!caps?.workspace?.configuration;
    canReportProgress = !!caps?.window?.workDoneProgress;
    canWatchFiles = !!caps?.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    // A client that lists hover formats without Markdown gets plain text (one that lists none gets Markdown).
    const hoverFormats = caps?.textDocument?.hover?.contentFormat;
    hoverFormat = Array.isArray(hoverFormats) && !hoverFormats.includes('markdown') ? 'plaintext' : 'markdown';
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        inlayHintProvider: true,
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        completionProvider: { triggerCharacters: ['@', '(', ',', ' '] },
        executeCommandProvider: { commands: Object.values(serverCommands) },
        codeActionProvider: { codeActionKinds: ['quickfix', 'refactor.rewrite', 'refactor.extract'] },
      },
      serverInfo: { name: 'ioctl-lens', version: '0.1.0' },
    };
  });

  connection.onInitialized(async () => {
    try {
      await pullSettings();
      if (canWatchFiles) {
        await connection.client.register(DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: '**/*.{h,hh,hpp,hxx,inl,c,cc,cpp,cxx}' }, { globPattern: '**/.ioctl-lens.json' }, { globPattern: '**/compile_commands.json' }],
        });
      }
      log(`ready: roots ${roots.join(', ') || '(none)'}; ABIs ${settings.abis.join(', ')}`);
      if (settings.index.enabled && roots.length) void index.start(roots);
    } catch (err) {
      log(`initialized: ${String(err)}`);
    }
  });

  connection.onDidChangeConfiguration(async (params) => {
    try {
      const pushed = (params?.settings as Record<string, unknown> | undefined)?.ioctlLens;
      if (pushed && typeof pushed === 'object') editorSettings = pushed;
      await pullSettings();
      invalidateCompileDatabases();
      log(`settings changed: ABIs ${settings.abis.join(', ')}; re-analysing ${store.uris().length} document(s)`);
      store.invalidate();
      void connection.languages.inlayHint.refresh().catch(() => undefined);
      void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    } catch (err) {
      log(`didChangeConfiguration: ${String(err)}`);
    }
  });

  connection.onDidChangeWatchedFiles((params) => {
    try {
      let configChanged = false;
      for (const c of params.changes ?? []) {
        const path = uriToPath(c.uri);
        if (/(^|\/)(\.ioctl-lens\.json|compile_commands\.json)$/.test(path)) {
          configChanged = true;
          continue;
        }
        if (!store.isOpen(path)) store.invalidate([path]);
        index.fileChanged(path, c.type === FileChangeType.Deleted);
      }
      if (configChanged) {
        invalidateCompileDatabases();
        store.invalidate();
      }
    } catch (err) {
      log(`didChangeWatchedFiles: ${String(err)}`);
    }
  });

  /** Document events from a client's notifications: one that is malformed (a uri or text that is not a string) is logged and ignored. */
  const documentEvent = (name: string, fn: (doc: { uri: string; version: number; languageId: string; getText(): string }) => void) => (e: { document: { uri: unknown; version: number; languageId: string; getText(): unknown } }) => {
    try {
      if (typeof e.document.uri !== 'string' || typeof e.document.getText() !== 'string') {
        log(`${name}: ignored a document whose uri or text is not a string`);
        return;
      }
      fn(e.document as { uri: string; version: number; languageId: string; getText(): string });
    } catch (err) {
      log(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  };
  documents.onDidOpen(
    documentEvent('didOpen', (d) => {
      const path = uriToPath(d.uri);
      openUris.set(path, d.uri);
      store.open(d.uri, path, d.version, d.getText(), d.languageId);
    }),
  );
  documents.onDidChangeContent(documentEvent('didChange', (d) => store.change(d.uri, d.version, d.getText())));
  documents.onDidClose(
    documentEvent('didClose', (d) => {
      openUris.delete(uriToPath(d.uri));
      store.close(d.uri);
      void connection.sendDiagnostics({ uri: d.uri, diagnostics: [] });
    }),
  );

  connection.onHover(
    guard('hover', null, async (p, token) => {
      const a = await analysed(p?.textDocument?.uri, token);
      const offset = a && offsetOf(a.pos, p.position);
      if (!a || offset === undefined) return null;
      const h = ls.doHover(a.doc, offset);
      return h ? toHover(h, a.pos, hoverFormat) : null;
    }),
  );

  connection.onCodeLens(
    guard('codeLens', [], async (p, token) => {
      const a = await analysed(p?.textDocument?.uri, token);
      if (!a || !a.doc.options.settings.codeLens) return [];
      const commands = init.clientCommands ? clientCommands : serverCommands;
      return ls.getCodeLenses(a.doc).map((l) => toCodeLens(l, a.doc.uri, commands));
    }),
  );

  connection.languages.inlayHint.on(
    guard('inlayHint', [], async (p, token) => {
      const a = await analysed(p?.textDocument?.uri, token);
      if (!a) return [];
      const start = offsetOf(a.pos, p.range?.start) ?? 0;
      const end = offsetOf(a.pos, p.range?.end) ?? a.doc.text.length;
      return ls.getInlayHints(a.doc, { start, end }, a.doc.options.settings.inlayHints).map((h) => toInlayHint(h, a.pos));
    }),
  );

  connection.onDocumentSymbol(
    guard('documentSymbol', [], async (p, token) => {
      const a = await analysed(p?.textDocument?.uri, token);
      return a ? ls.getDocumentSymbols(a.doc).map(toDocumentSymbol) : [];
    }),
  );

  connection.onWorkspaceSymbol(
    guard('workspaceSymbol', [], async (p) => {
      const query = typeof p?.query === 'string' ? p.query : '';
      const seen = new Set<string>();
      const out = [];
      // Open documents first (they may be newer than the index), then the index.
      for (const uri of store.uris()) {
        const d = store.latest(uri);
        if (!d) continue;
        for (const s of ls.fileSymbols(d, d.path)) {
          if (!fuzzyMatch(query, s.name)) continue;
          seen.add(`${d.path}\0${s.name}`);
          out.push(toSymbolInformation(s, uri, d.path.split('/').pop()));
        }
      }
      for (const { path, symbol } of index.symbols(query)) {
        if (seen.has(`${path}\0${symbol.name}`)) continue;
        out.push(toSymbolInformation(symbol, uriOf(path), path.split('/').pop()));
      }
      return out.slice(0, 1000);
    }),
  );

  connection.onDefinition(
    guard('definition', [], async (p, token) => {
      const a = await analysed(p?.textDocument?.uri, token);
      const offset = a && offsetOf(a.pos, p.position);
      if (!a || offset === undefined) return [];
      return ls.findDefinition(a.doc, offset).map((d) => toLocation(d, uriOf));
    }),
  );

  connection.onReferences(
    guard('references', [], async (p, token) => {
      const a = await analysed(p?.textDocument?.uri, token);
      const offset = a && offsetOf(a.pos, p.position);
      if (!a || offset === undefined) return [];
      const inWorkspace = (path: string) => roots.some((r) => path.startsWith(r + '/')) || store.isOpen(path);
      if (!ls.referenceTarget(a.doc, offset)) return [];
      // Workspace files outside this translation unit, from the index (their current text).
      const others: SourceFile[] = [];
      for (const path of index.files()) {
        const text = path === a.doc.path ? undefined : store.host.readFile(path)?.text;
        if (text !== undefined) others.push({ path, text });
      }
      const refs = ls.findReferences(a.doc, offset, inWorkspace, others, () => token.isCancellationRequested);
      if (token.isCancellationRequested) return [];
      const out = refs.map((r) => toLocation(r, uriOf));
      if (p.context && p.context.includeDeclaration === false) {
        const defs = new Set(ls.findDefinition(a.doc, offset).map((d) => `${uriOf(d.loc.file)}:${locRange(d.loc).start.line}:${locRange(d.loc).start.character}`));
        return out.filter((l) => !defs.has(`${l.uri}:${l.range.start.line}:${l.range.start.character}`));
      }
      return out;
    }),
  );

  connection.onCompletion(
    guard('completion', [], async (p, token) => {
      const a = await analysed(p?.textDocument?.uri, token);
      const offset = a && offsetOf(a.pos, p.position);
      if (!a || offset === undefined) return [];
      // Complete against the current text even if the analysis lags a keystroke behind.
      const text = store.text(a.doc.uri) ?? a.doc.text;
      const doc = text === a.doc.text ? a.doc : { ...a.doc, text };
      const pos = text === a.doc.text ? a.pos : textPositions(a.doc.path, text);
      return ls.doComplete(doc, pos.positionToOffset(p.position)).map((c) => toCompletionItem(c, pos));
    }),
  );

  connection.onCodeAction(
    guard('codeAction', [], async (p, token) => {
      const a = await analysed(p?.textDocument?.uri, token);
      if (!a) return [];
      const start = offsetOf(a.pos, p.range?.start) ?? 0;
      const end = offsetOf(a.pos, p.range?.end) ?? start;
      const diagnostics = Array.isArray(p.context?.diagnostics) ? p.context.diagnostics : [];
      const textOf = (path: string) => (path === a.doc.path ? a.doc.text : store.host.readFile(path)?.text);
      const layoutCommand = init.clientCommands ? clientCommands.layout : serverCommands.layout;
      const actions = getCodeActions(a.doc, { start, end, diagnostics, only: p.context?.only, style: a.doc.options.settings.thunkStyle });
      const notices = init.clientCommands ? includePathActions(diagnostics, p.context?.only, clientCommands.includePaths) : [];
      return [...notices, ...actions.map((x) => toCodeAction(x, { uriOf, textOf, path: a.doc.path, uri: a.doc.uri, layoutCommand }))];
    }),
  );

  connection.onExecuteCommand(
    guard('executeCommand', null, async (p, token) => {
      const args = Array.isArray(p?.arguments) ? p.arguments : [];
      if (p.command === serverCommands.reindex) {
        void index.start(roots);
        return null;
      }
      const a = await analysed(args[0], token);
      if (!a) return null;
      const offset = offsetOf(a.pos, args[1]) ?? 0;
      let text: string | undefined;
      if (p.command === serverCommands.layout) {
        const facts = typeof args[2] === 'string' ? recordFacts(a.doc, args[2]) : ls.recordAt(a.doc, offset);
        text = facts ? renderLayoutTable(facts) : undefined;
      } else if (p.command === serverCommands.controlCode) {
        const h = ls.controlCodeAt(a.doc, offset);
        if (h?.kind === 'ioctl') text = renderControlCode(h.code, h.name);
        else if (typeof args[2] === 'number') text = renderControlCode(decodeControlCode(args[2]));
      }
      if (text !== undefined && !init.clientCommands) {
        // Other editors: the result of a lens click is shown as a message and logged.
        log(text);
        void connection.window.showInformationMessage(text.replace(/\*\*|`|&nbsp;/g, ''));
      }
      return text ?? null;
    }),
  );

  registerLayoutView(connection, { get: (uri) => store.get(uri), uriOf, log });

  documents.listen(connection);
  connection.listen();
  return connection;
}

if (require.main === module) {
  // The extension starts this file over IPC; other transports are the library's (stdio goes through cli/serve.ts).
  startServer(process.argv.includes('--node-ipc') ? createGuardedConnection('ipc', (m) => process.stderr.write(m + '\n')) : undefined);
}
