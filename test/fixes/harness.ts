/**
 * The quick-fix fixtures' runner: each `test/fixtures/fixes/<case>/` holds
 * `before/` files, `after/` files (only those a fix changes) and a
 * `case.json` naming the steps (a rule's fix on a diagnostic, or a refactor
 * at a place), what must be gone afterwards, and which files must compile.
 * Everything goes through the protocol: the case's files are copied to a
 * temporary workspace, opened in a spawned `ioctl-lens serve --stdio`, the
 * code action's `WorkspaceEdit` is applied as an editor would, and the new
 * text is sent back with `didChange`.
 *
 * `UPDATE_FIXTURES=1` rewrites the `after/` files from the results (review
 * the diff before committing).
 */

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PublishedDiagnostics, type TestClient, startClient, uriOf } from '../lsp/client';
import { repoRoot } from '../helpers';

export const fixturesDir = path.join(repoRoot, 'test/fixtures/fixes');
export const shimDir = path.join(repoRoot, 'test/wdk-shim');

export interface Step {
  file: string;
  /** A quick fix: the diagnostic's rule, and its symbol (in the message) or a text on its line (`at`). */
  rule?: string;
  symbol?: string;
  at?: string;
  /** A refactor: requested at the start of this text. */
  refactorAt?: string;
  /** The code action's title starts with this. */
  title: string;
}

export interface Expect {
  file?: string;
  code: string;
  message: string;
}

export interface FixCase {
  name: string;
  about: string;
  open: string[];
  steps: Step[];
  gone?: Expect[];
  stays?: Expect[];
  compile?: string[];
}

export function loadCases(): FixCase[] {
  return fs
    .readdirSync(fixturesDir)
    .filter((d) => fs.existsSync(path.join(fixturesDir, d, 'case.json')))
    .sort()
    .map((d) => ({ name: d, ...(JSON.parse(fs.readFileSync(path.join(fixturesDir, d, 'case.json'), 'utf8')) as Omit<FixCase, 'name'>) }));
}

export type Diagnostic = PublishedDiagnostics['diagnostics'][number];
export interface Position {
  line: number;
  character: number;
}
export interface LspTextEdit {
  range: { start: Position; end: Position };
  newText: string;
}
export interface CodeAction {
  title: string;
  kind?: string;
  isPreferred?: boolean;
  diagnostics?: Diagnostic[];
  edit?: { changes?: Record<string, LspTextEdit[]> };
  command?: { title: string; command: string; arguments?: unknown[] };
}

/** LSP position -> offset (lines end at `\n`, `\r\n` or `\r`). */
export function offsetAt(text: string, p: Position): number {
  let line = 0;
  let i = 0;
  while (line < p.line && i < text.length) {
    const c = text[i++];
    if (c === '\n' || (c === '\r' && text[i] !== '\n')) line++;
  }
  return i + p.character;
}

export function positionOf(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

export function applyEdits(text: string, edits: LspTextEdit[]): string {
  const spans = edits.map((e) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), text: e.newText }));
  spans.sort((a, b) => b.start - a.start || b.end - a.end);
  for (let i = 1; i < spans.length; i++) assert.ok(spans[i].end <= spans[i - 1].start, 'overlapping edits');
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return out;
}

/** A workspace of one case: files on disk (a copy) and open in the server. */
export class Workspace {
  readonly dir: string;
  readonly texts = new Map<string, string>();
  readonly versions = new Map<string, number>();
  client!: TestClient;

  constructor(readonly fixCase: FixCase) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `ioctl-lens-fix-${fixCase.name}-`));
    const before = path.join(fixturesDir, fixCase.name, 'before');
    for (const f of fs.readdirSync(before)) fs.copyFileSync(path.join(before, f), path.join(this.dir, f));
    for (const f of ['wdk_shim.h', 'pshpack1.h', 'pshpack2.h', 'pshpack4.h', 'pshpack8.h', 'poppack.h']) fs.copyFileSync(path.join(shimDir, f), path.join(this.dir, f));
    fs.copyFileSync(path.join(fixturesDir, 'fix_extras.h'), path.join(this.dir, 'fix_extras.h'));
  }

  path(file: string): string {
    return path.join(this.dir, file);
  }

  uri(file: string): string {
    return uriOf(this.path(file));
  }

  async start(): Promise<void> {
    this.client = await startClient({ rootPath: this.dir, settings: { index: { enabled: false } } });
    for (const f of this.fixCase.open) {
      const text = fs.readFileSync(this.path(f), 'utf8');
      this.texts.set(f, text);
      this.versions.set(f, 1);
      await this.client.open(this.path(f), text);
    }
  }

  /** The next publication for `file` after `since` (an index into the client's list) with its current version. */
  async diagnostics(file: string, since = 0, timeoutMs = 60000): Promise<Diagnostic[]> {
    const uri = this.uri(file);
    const version = this.versions.get(file);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.client.published.slice(since).filter((p) => p.uri === uri && (p.version === undefined || p.version === version)).pop();
      if (hit) return hit.diagnostics;
      if (Date.now() > deadline) throw new Error(`no diagnostics for ${file} v${version} after #${since}; log: ${this.client.logs.slice(-5).join('\n')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async codeActions(file: string, range: { start: Position; end: Position }, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const context: Record<string, unknown> = { diagnostics };
    if (only) context.only = only;
    return (await this.client.request<CodeAction[] | null>('textDocument/codeAction', { textDocument: { uri: this.uri(file) }, range, context })) ?? [];
  }

  /** Applies a WorkspaceEdit as an editor would: every file it touches must be open; returns the files changed. */
  async apply(action: CodeAction): Promise<string[]> {
    const changed: string[] = [];
    for (const [uri, edits] of Object.entries(action.edit?.changes ?? {})) {
      const file = path.relative(this.dir, fileURLToPath(uri));
      const text = this.texts.get(file);
      assert.ok(text !== undefined, `the fix edits ${file}, which is not open`);
      const next = applyEdits(text, edits);
      if (next === text) continue;
      this.texts.set(file, next);
      fs.writeFileSync(this.path(file), next);
      changed.push(file);
    }
    for (const file of changed) {
      const v = this.versions.get(file)! + 1;
      this.versions.set(file, v);
      await this.client.change(this.uri(file), v, this.texts.get(file)!);
    }
    return changed;
  }
}

export type Triple = 'i686-pc-windows-msvc' | 'x86_64-pc-windows-msvc';
export const triples: Triple[] = ['i686-pc-windows-msvc', 'x86_64-pc-windows-msvc'];

/** Compiles a fixture file as it is after the fixes: a header through a unit that includes the shim first. */
export function compile(dir: string, file: string, triple: Triple): { status: number; stderr: string } {
  let target = path.join(dir, file);
  if (file.endsWith('.h')) {
    target = path.join(dir, `unit_${path.basename(file, '.h')}.c`);
    fs.writeFileSync(target, `#include "wdk_shim.h"\n#include "fix_extras.h"\n#include "${file}"\n`);
  }
  const args = ['-target', triple, '-fms-extensions', '-fms-compatibility', '-fsyntax-only', '-Wall', '-Wno-pragma-pack', '-Wno-multichar', '-Wno-unused-function', '-Wno-microsoft-anon-tag', '-I', dir, target];
  const r = spawnSync('clang', args, { encoding: 'utf8' });
  return { status: r.status ?? -1, stderr: r.stderr ?? '' };
}
