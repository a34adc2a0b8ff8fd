/**
 * The state of one preprocessor run, in one small object that the reader
 * (`expand.ts`) and the directives (`directives.ts`) pass around, and the
 * operations on it that both need: the macro table (copied on write when it
 * starts as the caller's), the files read and lexed, the include stack, and
 * diagnostics. Nothing here reads tokens.
 */

import { diag, type Diagnostic, type MessageCode } from '../diagnostics';
import { lex } from '../lexer';
import type { Comment, IncludeEdge, LexCache, MacroDef, PreprocessOptions } from '../preprocess';
import { normalizePath, type FileHost, type FileRead, type Loc, type SourceFile } from '../source';
import { TokKind, type Token } from '../token';
import { fileFacts, type FileFacts } from './files';
import { hideSets, type HideSets } from './hidesets';
import { dynamicMacros, hasOperators, targetBuiltins } from './tables';

/** One `#if` chain open in a file. */
export interface Cond {
  directive: string;
  token: Token;
  /** Some group of this #if chain has been taken. */
  taken: boolean;
  sawElse: boolean;
}

/** A file being read. */
export interface FileState {
  file: SourceFile;
  facts: FileFacts;
  conds: Cond[];
  /** Index in includeDirs where the file was found, or -1 (for `#include_next`). */
  dirIndex: number;
  /** `<built-in>` and `<command line>`: not reported as files of the unit. */
  pseudo: boolean;
}

/** A token array being read: a file, or one macro expansion pushed for rescanning. */
export interface Frame {
  tokens: Token[];
  pos: number;
  /** Set for file frames: directives are recognised only in these. */
  state?: FileState;
}

/** A stack of frames read as one token stream. */
export interface Reader {
  stack: Frame[];
  /** Returned once the stack is empty. */
  eof: Token;
}

export interface PP {
  readonly host: FileHost;
  readonly includeDirs: readonly string[];
  readonly maxDepth: number;
  readonly fallback: ReadonlyMap<string, MacroDef> | undefined;
  readonly builtins: ReadonlySet<string>;
  readonly cache: PreprocessOptions['cache'];
  readonly mainNorm: string;

  /** The macro table; `macrosShared` while it is still the caller's `initialMacros`. */
  macros: Map<string, MacroDef>;
  macrosShared: boolean;
  readonly diagnostics: Diagnostic[];
  readonly definitions: MacroDef[];
  readonly files: Map<string, SourceFile>;
  readonly includes: IncludeEdge[];
  readonly comments: Map<string, Comment[]>;
  readonly inactiveLines: Map<string, { startLine: number; endLine: number }[]>;
  readonly pragmaOnce: Set<string>;
  readonly pushedMacros: Map<string, (MacroDef | undefined)[]>;
  readonly readCache: Map<string, FileRead | null>;
  readonly existsCache: Map<string, string | null>;
  /** Files lexed (or taken from the cache) in this run, so a header included again is not looked up again. */
  readonly loaded: Map<string, { text: string; file: SourceFile; tokens: Token[]; facts: FileFacts }>;
  readonly hs: HideSets;
  /** The files being processed, innermost last (for cycles, depth and `__INCLUDE_LEVEL__`). */
  readonly fileStack: FileState[];
  readonly onStack: Map<string, number>;
  counter: number;
  /** Set while expanding an `#if` line: `defined` and `__has_*` are operators. */
  ifMode: boolean;
  /**
   * Bounds the work of pathological inputs (exponential macro growth): each
   * expansion costs one, plus one per token it produces (`pp-expansion-limit`).
   */
  /** The run's budgets (`maxExpansions`, `maxTokens`, scaled by `budgetScale`), for messages. */
  readonly limits: { expansions: number; tokens: number };
  expansionBudget: number;
  expansionReported: boolean;
  /** Tokens the readers may still hand out before preprocessing stops (`pp-token-limit`). */
  tokenBudget: number;
  /** Set once the token budget is spent: every reader answers end of input from then on. */
  stopped: boolean;
  /** `#include` lines already reported as closing a cycle. */
  readonly cyclesReported: Set<string>;
  listDepth: number;
  nestingReported: boolean;
}

/**
 * Macro expansions, plus the tokens they produce, one run may make before it
 * stops expanding (`pp-expansion-limit`). The largest real translation units
 * measured (mingw-w64's mshtml.h, windows.h with http.h and winioctl.h)
 * use about 200,000.
 */
export const maxExpansions = 2_000_000;
/**
 * Tokens one run may read (from files, directive lines and macro
 * expansions) before it stops (`pp-token-limit`). The largest real
 * translation units measured (mingw-w64's mshtml.h; windows.h with http.h
 * and winioctl.h) use about 1 million; 100,000 small structs in one header
 * 2.2 million. This bounds the time and memory of every later stage too
 * (a few hundred bytes a token per ABI), since they only see what the
 * preprocessor handed out.
 */
export const maxTokens = 3_000_000;
/**
 * What one `#include` costs against `maxTokens`: resolving and entering a
 * file is work even when its guard makes it produce nothing, and headers
 * that include each other several times without guards multiply it.
 */
export const includeCost = 64;
/** How deep macro arguments may nest before they stay unexpanded (`pp-nesting-limit`). */
export const maxListDepth = 200;

export function createState(mainPath: string, options: PreprocessOptions): PP {
  const scale = Math.max(1, Math.floor(options.budgetScale ?? 1));
  return {
    host: options.host,
    includeDirs: (options.includeDirs ?? []).map(normalizePath),
    maxDepth: options.maxIncludeDepth ?? 200,
    fallback: options.fallbackMacros,
    builtins: options.builtins ?? targetBuiltins(options.predefined),
    cache: options.cache,
    mainNorm: normalizePath(mainPath),
    macros: (options.initialMacros ?? new Map<string, MacroDef>()) as Map<string, MacroDef>,
    macrosShared: options.initialMacros !== undefined,
    diagnostics: [],
    definitions: [],
    files: new Map(),
    includes: [],
    comments: new Map(),
    inactiveLines: new Map(),
    pragmaOnce: new Set(),
    pushedMacros: new Map(),
    readCache: new Map(),
    existsCache: new Map(),
    loaded: new Map(),
    hs: hideSets(),
    fileStack: [],
    onStack: new Map(),
    counter: 0,
    ifMode: false,
    limits: { expansions: maxExpansions * scale, tokens: maxTokens * scale },
    expansionBudget: maxExpansions * scale,
    expansionReported: false,
    tokenBudget: maxTokens * scale,
    stopped: false,
    cyclesReported: new Set(),
    listDepth: 0,
    nestingReported: false,
  };
}

export function report(pp: PP, code: MessageCode, t: Token, args: (string | number)[] = []): void {
  pp.diagnostics.push(diag(code, tokLoc(t), args));
}

// ---- the macro table

export function setMacro(pp: PP, name: string, def: MacroDef): void {
  if (pp.macrosShared) {
    if (pp.macros.get(name) === def) return;
    pp.macros = new Map(pp.macros);
    pp.macrosShared = false;
  }
  pp.macros.set(name, def);
}

export function deleteMacro(pp: PP, name: string): void {
  if (pp.macrosShared) {
    if (!pp.macros.has(name)) return;
    pp.macros = new Map(pp.macros);
    pp.macrosShared = false;
  }
  pp.macros.delete(name);
}

/** `defined(name)`: a macro, or a name the preprocessor answers itself. */
export function isDefined(pp: PP, name: string): boolean {
  return pp.macros.has(name) || dynamicMacros.has(name) || hasOperators.has(name);
}

// ---- files

/**
 * Reads a file through the host once per run (a host that throws reads as
 * missing): its text, or why the host refuses to read it (a device, FIFO,
 * socket; too large).
 */
export function readFile(pp: PP, path: string): FileRead | undefined {
  let r = pp.readCache.get(path);
  if (r === undefined) {
    let got: FileRead | undefined;
    try {
      got = pp.host.readFile(path);
    } catch {
      got = undefined;
    }
    r = !got ? null : got.refused !== undefined ? { path: normalizePath(got.path), refused: got.refused } : { path: normalizePath(got.path), text: got.text };
    pp.readCache.set(path, r);
  }
  return r ?? undefined;
}

/** Existence test (`__has_include`): never reads the file when the host can answer without it. */
export function probeFile(pp: PP, path: string): { path: string } | undefined {
  const read = pp.readCache.get(path);
  if (read !== undefined) return read ?? undefined;
  let r = pp.existsCache.get(path);
  if (r === undefined) {
    let got: string | undefined;
    try {
      got = pp.host.exists ? pp.host.exists(path) : pp.host.readFile(path)?.path;
    } catch {
      got = undefined;
    }
    r = got === undefined ? null : normalizePath(got);
    pp.existsCache.set(path, r);
  }
  return r === null ? undefined : { path: r };
}

/**
 * A file's tokens, taken from `cache` or lexed (and then cached). A file lexed
 * here keeps its lexer diagnostics in its `fileFacts`, which every run over
 * these tokens reports, so a caller that lexes a file before preprocessing it
 * (`analyze.ts`'s `lexedTokens`: the C++ sniff of a header) changes nothing the run reports.
 */
export function lexedFile(cache: LexCache | undefined, path: string, text: string): { file: SourceFile; tokens: Token[]; comments: Comment[]; facts: FileFacts } {
  const entry = cache?.get(path, text);
  if (entry !== undefined) return { ...entry, facts: fileFacts(entry.tokens) };
  const file: SourceFile = { path, text };
  const r = lex(file);
  const lexed = { file, tokens: r.tokens, comments: r.comments };
  cache?.set(path, text, lexed);
  return { ...lexed, facts: fileFacts(r.tokens, r.diagnostics) };
}

/** Lexes a file (or takes it from the cache) and records it as read, unless it is a pseudo file. */
export function load(pp: PP, path: string, text: string, pseudo: boolean): { file: SourceFile; tokens: Token[]; facts: FileFacts } {
  const seen = pp.loaded.get(path);
  if (seen !== undefined && seen.text === text) return seen;
  const entry = lexedFile(pp.cache, path, text);
  const facts = entry.facts;
  if (!pseudo && !pp.files.has(path)) {
    pp.files.set(path, entry.file);
    pp.comments.set(path, entry.comments);
    for (const d of facts.lexDiagnostics) pp.diagnostics.push(d);
  }
  const result = { text, file: entry.file, tokens: entry.tokens, facts };
  pp.loaded.set(path, result);
  return result;
}

export function fileFrame(pp: PP, path: string, text: string, dirIndex: number, pseudo: boolean): Frame {
  const { file, tokens, facts } = load(pp, path, text, pseudo);
  return { tokens, pos: 0, state: { file, facts, conds: [], dirIndex, pseudo } };
}

/** Starts reading a file frame: it joins the include stack. */
export function enter(pp: PP, r: Reader, frame: Frame): void {
  const st = frame.state!;
  pp.fileStack.push(st);
  pp.onStack.set(st.file.path, (pp.onStack.get(st.file.path) ?? 0) + 1);
  r.stack.push(frame);
}

/** A file frame is read to its end: open conditionals are reported, the include stack pops. */
export function leave(pp: PP, frame: Frame): void {
  const st = frame.state!;
  if (!pp.stopped) for (const c of st.conds) report(pp, 'pp-unterminated-conditional', c.token, [c.directive]);
  st.conds.length = 0;
  const i = pp.fileStack.lastIndexOf(st);
  if (i >= 0) pp.fileStack.splice(i, 1);
  const n = (pp.onStack.get(st.file.path) ?? 1) - 1;
  if (n <= 0) pp.onStack.delete(st.file.path);
  else pp.onStack.set(st.file.path, n);
}

// ---- tokens

export function tokLoc(t: Token): Loc {
  return { file: t.file.path, line: t.line, col: t.col, offset: t.offset };
}

export function endLocOf(t: Token): Loc {
  return { file: t.file.path, line: t.line, col: t.col + t.text.length, offset: t.offset + t.text.length };
}

/** A fresh copy of `t` as a macro expansion produced it. */
export function copy(
  t: Token,
  space: boolean,
  hide: ReadonlySet<string> | undefined,
  expansion: Token | undefined,
  macro: string | undefined,
): Token {
  return {
    kind: t.kind,
    text: t.text,
    file: t.file,
    offset: t.offset,
    line: t.line,
    col: t.col,
    space,
    bol: false,
    hide,
    expansion,
    macro,
    args: t.args,
  };
}

/** A token the preprocessor makes (`1` for `defined`, a string for `__FILE__` ...), placed at `at`. */
export function synth(kind: TokKind, text: string, at: Token): Token {
  return {
    kind,
    text,
    file: at.file,
    offset: at.offset,
    line: at.line,
    col: at.col,
    space: at.space,
    bol: at.bol,
    hide: at.hide,
    expansion: at.expansion,
    macro: at.macro,
    args: undefined,
  };
}
