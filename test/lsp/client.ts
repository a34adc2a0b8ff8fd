/**
 * A scripted LSP client for the protocol tests: spawns
 * `node bin/ioctl-lens.js serve --stdio` and talks JSON-RPC to it with
 * vscode-jsonrpc's message connection, as an editor would. Tests never call
 * server internals.
 */

import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type MessageConnection, StreamMessageReader, StreamMessageWriter, createMessageConnection } from 'vscode-jsonrpc/node';

import { requireTool } from '../helpers';

export const repoRoot = path.resolve(__dirname, '../../..');
export { mingwInclude } from '../helpers';
export const uriOf = (p: string) => pathToFileURL(p).href;

/** The LSP position of the `nth` (0-based) occurrence of `needle` in `text`, moved `delta` characters in. */
export function positionOf(text: string, needle: string, delta = 0, nth = 0): { line: number; character: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, needle);
  const before = text.slice(0, at + delta);
  return { line: before.split('\n').length - 1, character: before.length - before.lastIndexOf('\n') - 1 };
}

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; severity?: number; code?: string | number; message: string; codeDescription?: { href: string }; relatedInformation?: unknown[]; data?: unknown }[];
}

export interface TestClient {
  proc: ChildProcess;
  conn: MessageConnection;
  stderr: string[];
  logs: string[];
  notifications: { method: string; params: unknown }[];
  /** Every publishDiagnostics received, in order. */
  published: PublishedDiagnostics[];
  request<R = unknown>(method: string, params: unknown): Promise<R>;
  notify(method: string, params: unknown): Promise<void>;
  open(file: string, text?: string, languageId?: string): Promise<string>;
  change(uri: string, version: number, text: string): Promise<void>;
  /** Resolves with the first publication for `uri` (after `since` publications) that satisfies `pred`. */
  diagnostics(uri: string, pred?: (p: PublishedDiagnostics) => boolean, timeoutMs?: number): Promise<PublishedDiagnostics>;
  shutdown(): Promise<void>;
}

export interface StartOptions {
  rootPath?: string;
  settings?: Record<string, unknown>;
  /** Answer workspace/configuration with these settings (pull model). */
  configuration?: () => Record<string, unknown>;
  capabilities?: Record<string, unknown>;
  initializationOptions?: Record<string, unknown>;
  /** Node arguments that start the server; by default the CLI's `serve --stdio`. */
  serverArgs?: string[];
}

export async function startClient(o: StartOptions = {}): Promise<TestClient> {
  const proc = spawn(process.execPath, o.serverArgs ?? [path.join(repoRoot, 'bin/ioctl-lens.js'), 'serve', '--stdio'], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const stderr: string[] = [];
  proc.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  const logs: string[] = [];
  const notifications: { method: string; params: unknown }[] = [];
  const published: PublishedDiagnostics[] = [];
  const waiters: { uri: string; pred: (p: PublishedDiagnostics) => boolean; resolve: (p: PublishedDiagnostics) => void }[] = [];
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
    published.push(p);
    for (const w of [...waiters]) {
      if (w.uri === p.uri && w.pred(p)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p);
      }
    }
  });
  conn.onNotification('window/logMessage', (p: { message: string }) => {
    logs.push(p.message);
  });
  conn.onNotification((method: string, params: unknown) => {
    notifications.push({ method, params });
  });
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => o.configuration?.() ?? o.settings ?? {}));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onRequest('workspace/inlayHint/refresh', () => null);
  conn.onRequest('workspace/codeLens/refresh', () => null);
  conn.onRequest('window/showMessageRequest', () => null);
  conn.listen();
  const root = o.rootPath ?? repoRoot;
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: uriOf(root),
    workspaceFolders: [{ uri: uriOf(root), name: path.basename(root) }],
    capabilities: o.capabilities ?? { workspace: { configuration: !!o.configuration }, window: { workDoneProgress: false } },
    initializationOptions: { settings: o.settings ?? {}, ...(o.initializationOptions ?? {}) },
  });
  await conn.sendNotification('initialized', {});
  const client: TestClient = {
    proc,
    conn,
    stderr,
    logs,
    notifications,
    published,
    request: (method, params) => conn.sendRequest(method, params),
    notify: (method, params) => conn.sendNotification(method, params),
    async open(file, text, languageId = file.endsWith('.c') ? 'c' : 'cpp') {
      const uri = file.includes(':') && !file.startsWith('/') ? file : uriOf(file);
      await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text: text ?? fs.readFileSync(file, 'utf8') } });
      return uri;
    },
    async change(uri, version, text) {
      await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    },
    diagnostics(uri, pred = () => true, timeoutMs = 15000) {
      const hit = published.find((p) => p.uri === uri && pred(p));
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms; stderr: ${stderr.join('')}; log: ${logs.slice(-5).join('\n')}`)), timeoutMs);
        waiters.push({ uri, pred, resolve: (p) => (clearTimeout(timer), resolve(p)) });
      });
    },
    async shutdown() {
      try {
        await Promise.race([conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
        await conn.sendNotification('exit');
      } catch {
        // The server may already be gone.
      }
      await new Promise((r) => setTimeout(r, 50));
      conn.dispose();
      if (proc.exitCode === null) proc.kill();
    },
  };
  return client;
}

/** Tests that need mingw-w64's headers: skip loudly, and fail on CI. */
export function requireMingw(ctx: Mocha.Context): boolean {
  return requireTool(ctx, 'mingw-w64 headers');
}
