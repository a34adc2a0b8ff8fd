/**
 * The C preprocessor: turns a main file and everything it includes into one
 * fully macro-expanded token stream, the way clang does for a
 * `*-pc-windows-msvc` target, and records what it saw on the way (macro
 * definitions, includes, comments, inactive lines) for hovers and checks.
 *
 * Algorithm (a reader over a stack of token arrays, after chibicc's
 * preprocess.c but without linked lists):
 *
 * - The input is a stack of frames. A file frame is the lexed token array of
 *   one file (tokens are shared with the `LexCache` and never mutated); a
 *   macro frame is the result of one macro expansion, pushed on top so that
 *   it is rescanned together with the rest of the input. `next()` pops
 *   exhausted frames and, for file frames only, runs directives: a `#` that
 *   starts a line. Directives therefore also work between the arguments of
 *   a macro call, as in gcc and clang.
 * - Macro expansion is Prosser's algorithm (C11 6.10.3.4): every token
 *   carries a hide set, the names of macros that must not expand it again.
 *   An object-like macro `M` invoked by token `T` produces its body with hide
 *   sets `T.hs + {M}`; a function-like one uses `(T.hs & rparen.hs) + {M}`.
 *   Arguments are fully expanded on their own (with a sub-reader) before
 *   substitution, except next to `#` and `##`; `##` uses placemarkers for
 *   empty arguments, and `, ## __VA_ARGS__` swallows the comma (GNU/MSVC).
 *   Hide sets are interned (`HideSet`), so unions are cached lookups, and a
 *   token with an empty hide set has none at all.
 * - Conditional groups that are not taken are skipped by jumping through a
 *   per-file index of the `#` tokens that start lines, without looking at
 *   the tokens in between. `#if` lines are macro-expanded with `defined`
 *   and clang's `__has_*` operators evaluated on the way (ifMode), then
 *   evaluated by ppexpr.ts.
 * - Include guards: a file whose first directive is `#ifndef X` (or
 *   `#if !defined X`) closed by a final `#endif` with nothing after it is
 *   not re-entered while `X` is defined; `#pragma once` files never are.
 *   A file already on the include stack is a cycle (`pp-include-cycle`).
 * - `#pragma pack(...)`, `__pragma(pack(...))` and `_Pragma("pack(...)")`
 *   become one `TokKind.Pragma` token in the output, for the parser.
 * - SAL annotations (`_In_`, `_Field_size_(n)`, `__drv_*`, SAL1 `__in` ...)
 *   reach the parser unexpanded, with their parenthesised arguments, even
 *   when a header defines them as empty; see `isSalAnnotation`.
 *
 * Invariant: the preprocessor never throws and never loops forever on bad
 * input; every problem is a diagnostic and processing goes on.
 */

import { diag, type Diagnostic, type MessageCode } from './diagnostics';
import { lex } from './lexer';
import { evaluate } from './ppexpr';
import { dirname, joinPath, normalizePath, type FileHost, type Loc, type SourceFile } from './source';
import { TokKind, type Token } from './token';

export interface MacroDef {
  name: string;
  /** Parameter names for function-like macros; undefined for object-like ones. */
  params?: string[];
  /** `...` (or `name...`) as last parameter; its argument is `__VA_ARGS__` (or `name`). */
  variadic: boolean;
  /**
   * For `name...` (GNU named variadic parameter): `name`, which is then also
   * the last entry of `params`. Undefined for `...`, whose argument is
   * `__VA_ARGS__` and is not listed in `params`.
   */
  vaName?: string;
  body: Token[];
  /** The macro name in its `#define` (for command-line and predefined macros, a pseudo file `<command line>` / `<built-in>`). */
  loc: Loc;
  /** Where the `#define` line ends (exclusive), for hovers and edits. */
  endLoc: Loc;
  /** Set for macros defined in the built-in prelude (see prelude.ts). */
  prelude?: boolean;
}

export interface Comment {
  /** Offset of the comment's first character (`/`), and its end (exclusive). */
  offset: number;
  end: number;
  line: number;
  endLine: number;
  /** The full text including the comment markers. */
  text: string;
}

export interface IncludeEdge {
  from: string;
  to: string;
  loc: Loc;
}

/** Tokens of lexed files, shared across runs (and ABIs) while the text is unchanged. */
export interface LexCache {
  get(path: string, text: string): { file: SourceFile; tokens: Token[]; comments: Comment[] } | undefined;
  set(path: string, text: string, value: { file: SourceFile; tokens: Token[]; comments: Comment[] }): void;
}

export interface PreprocessOptions {
  host: FileHost;
  /** Predefined macros (the ABI's), name -> body text, defined first. */
  predefined: Readonly<Record<string, string>>;
  /** `-D NAME[=VALUE]` in order (value undefined means `1`), applied after `predefined`. */
  defines?: readonly (readonly [string, string | undefined])[];
  /** `-U NAME`, applied after `defines`. */
  undefines?: readonly string[];
  /** `-I` directories, searched in order for both `"..."` (after the includer's folder) and `<...>`. */
  includeDirs?: readonly string[];
  /** `--include FILE`: processed before the main file, as `cc -include` does. */
  forcedIncludes?: readonly string[];
  /**
   * Fallback macros (from the built-in prelude): used to expand an identifier
   * that no real `#define` has defined. They never make `#ifdef`/`defined()` true,
   * so real headers see exactly what a compiler would.
   */
  fallbackMacros?: ReadonlyMap<string, MacroDef>;
  /**
   * The macro table to start from instead of an empty one, e.g. the `macros`
   * of an earlier run over a file's unchanged preamble, so its thousands of
   * definitions are not re-made from text on every edit. Never modified: the
   * table is copied on the first change (re-defining a macro to the very
   * same `MacroDef`, as re-reading an unchanged cached `#define` does, is no
   * change). `predefined`, `defines` and `undefines` still apply on top.
   * Only the table is shared: `definitions` lists this run's `#define`s.
   */
  initialMacros?: ReadonlyMap<string, MacroDef>;
  cache?: LexCache;
  /** Default 200. */
  maxIncludeDepth?: number;
  /**
   * Names for which `__has_builtin(name)` is 1, in addition to the
   * `__builtin_*`, `__sync_*` and `__atomic_*` families (which clang has).
   * Default: the MSVC intrinsics clang 14 provides on the target that
   * `predefined` describes (`_M_X64`, `_M_IX86`, `_M_ARM64`, `_M_ARM`).
   */
  builtins?: ReadonlySet<string>;
}

export interface PreprocessResult {
  /** The fully expanded token stream, ending with one `TokKind.EOF` token. */
  tokens: Token[];
  diagnostics: Diagnostic[];
  /** The macro table at the end of the translation unit. */
  macros: Map<string, MacroDef>;
  /** Every `#define` met in real source, in order (redefinitions included). */
  definitions: MacroDef[];
  /** Every file read, by normalised path; the main file first. */
  files: Map<string, SourceFile>;
  includes: IncludeEdge[];
  /** Comments per file path (for `@in`/`@out` annotations and hovers). */
  comments: Map<string, Comment[]>;
  /** Lines skipped by false `#if` branches, per file path (1-based, inclusive). */
  inactiveLines: Map<string, { startLine: number; endLine: number }[]>;
}

// ---------------------------------------------------------------------------
// SAL annotations

const sal2Pattern = /^_[A-Z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*_$/;
const sal1Pattern = /^__(?:in|out|inout|field)(?:_(?:bcount|ecount|xcount|z|nz))?(?:_part)?(?:_opt)?$/;
const sal1Names = new Set(['__checkReturn', '__success', '__reserved', '__nullterminated', '__nullnullterminated']);
/**
 * Names that match the SAL2 pattern but are real code. Found by scanning
 * mingw-w64's headers for such names that are defined with a body and used
 * outside directives (include guards like `_BASETSD_H_` only appear in
 * `#ifdef`, where the SAL rule does not apply).
 */
const notSal = new Set(['_HRESULT_TYPEDEF_', '_NDIS_ERROR_TYPEDEF_', '_NSTREAM_']);
const salMemo = new Map<string, boolean>();

/**
 * Is `name` a SAL annotation that must reach the parser unexpanded? Used only
 * when expanding macros, never for `#ifdef`/`defined` or `#define`.
 */
export function isSalAnnotation(name: string): boolean {
  let r = salMemo.get(name);
  if (r !== undefined) return r;
  if (name.charCodeAt(0) !== 95 /* _ */) r = false;
  else if (notSal.has(name)) r = false;
  else if (name.charCodeAt(1) === 95)
    r = name.startsWith('__drv_') || name.startsWith('__deref_') || sal1Names.has(name) || sal1Pattern.test(name);
  else r = sal2Pattern.test(name);
  salMemo.set(name, r);
  return r;
}

/** `__packed__` -> `packed`, as clang accepts both spellings of feature and attribute names. */
function trimUnderscores(s: string): string {
  return s.length > 4 && s.startsWith('__') && s.endsWith('__') ? s.slice(2, -2) : s;
}

// ---------------------------------------------------------------------------
// Hide sets

/**
 * An interned hide set: two hide sets with the same names built the same way
 * are the same object, and adding a name or another set is a cached lookup.
 */
class HideSet extends Set<string> {
  readonly plusName = new Map<string, HideSet>();
  readonly plusSet = new Map<HideSet, HideSet>();
}

interface HideSets {
  /** `hs + {name}`. */
  with(hs: ReadonlySet<string> | undefined, name: string): HideSet;
  union(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): HideSet | undefined;
  intersect(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): HideSet | undefined;
}

function hideSets(): HideSets {
  const interned = new Map<string, HideSet>();
  const intern = (names: string[]): HideSet | undefined => {
    if (names.length === 0) return undefined;
    names.sort();
    const key = names.join(' ');
    let s = interned.get(key);
    if (s === undefined) {
      s = new HideSet(names);
      interned.set(key, s);
    }
    return s;
  };
  const own = (hs: ReadonlySet<string> | undefined): HideSet | undefined =>
    hs === undefined || hs.size === 0 ? undefined : hs instanceof HideSet ? hs : intern([...hs]);
  // `{name}` alone is the commonest hide set (a macro invoked from source);
  // a direct map skips building and joining a one-name key for it.
  const singles = new Map<string, HideSet>();
  const api: HideSets = {
    with(hs0, name) {
      const hs = own(hs0);
      if (hs === undefined) {
        let r = singles.get(name);
        if (r === undefined) singles.set(name, (r = intern([name])!));
        return r;
      }
      let r = hs.plusName.get(name);
      if (r === undefined) {
        r = hs.has(name) ? hs : intern([...hs, name])!;
        hs.plusName.set(name, r);
      }
      return r;
    },
    union(a0, b0) {
      const a = own(a0);
      const b = own(b0);
      if (a === undefined) return b;
      if (b === undefined || a === b) return a;
      let r = a.plusSet.get(b);
      if (r === undefined) {
        r = intern([...new Set([...a, ...b])])!;
        a.plusSet.set(b, r);
      }
      return r;
    },
    intersect(a0, b0) {
      const a = own(a0);
      const b = own(b0);
      if (a === undefined || b === undefined) return undefined;
      if (a === b) return a;
      const names: string[] = [];
      for (const n of a) if (b.has(n)) names.push(n);
      return intern(names);
    },
  };
  return api;
}

// ---------------------------------------------------------------------------
// Per-file facts computed once per lexed token array (shared through the LexCache)

interface FileFacts {
  /** Indices of the `#` tokens that start a line (directive candidates). */
  hashes: Int32Array;
  /** The include-guard macro, if the whole file is one `#ifndef X ... #endif`. */
  guard: string | undefined;
  /**
   * The definition made by each `#define` line, by the index of its `define`
   * token: re-running over an unchanged (cached) file reuses the same
   * MacroDef objects (and their compiled bodies), so callers must treat
   * MacroDefs as immutable too. (A map per file rather than one WeakMap
   * keyed by token: hundreds of thousands of weak entries made every
   * garbage collection slower.)
   */
  defs: Map<number, MacroDef>;
  lexDiagnostics: Diagnostic[];
}

const factsByTokens = new WeakMap<Token[], FileFacts>();

function isPunct(t: Token | undefined, s: string): boolean {
  return t !== undefined && t.kind === TokKind.Punct && t.text === s;
}

function fileFacts(tokens: Token[], lexDiagnostics: Diagnostic[] = []): FileFacts {
  let f = factsByTokens.get(tokens);
  if (f) return f;
  const idx: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.bol && t.kind === TokKind.Punct && t.text === '#') idx.push(i);
  }
  f = { hashes: Int32Array.from(idx), guard: findGuard(tokens, idx), defs: new Map(), lexDiagnostics };
  factsByTokens.set(tokens, f);
  return f;
}

/**
 * The guard macro X when the file is exactly `#ifndef X` (or `#if !defined X` /
 * `#if !defined(X)`) ... `#endif` with no `#else`/`#elif` at the outer level
 * and nothing after the `#endif`. Re-including such a file while X is
 * defined cannot produce anything, so it is skipped without being re-read.
 */
function findGuard(tokens: Token[], hashes: number[]): string | undefined {
  if (hashes.length < 2 || hashes[0] !== 0) return undefined;
  const lineEnd = (i: number) => {
    let j = i + 1;
    while (!tokens[j].bol) j++;
    return j;
  };
  let guard: string | undefined;
  const first = tokens.slice(1, lineEnd(0));
  if (first.length === 2 && first[0].text === 'ifndef' && first[1].kind === TokKind.Ident) guard = first[1].text;
  else if (first[0]?.text === 'if' && isPunct(first[1], '!') && first[2]?.text === 'defined') {
    if (first.length === 4 && first[3].kind === TokKind.Ident) guard = first[3].text;
    else if (first.length === 6 && isPunct(first[3], '(') && first[4].kind === TokKind.Ident && isPunct(first[5], ')'))
      guard = first[4].text;
  }
  if (guard === undefined) return undefined;
  let depth = 0;
  for (let k = 0; k < hashes.length; k++) {
    const name = tokens[hashes[k] + 1];
    if (name.bol) continue;
    const s = name.text;
    if (s === 'if' || s === 'ifdef' || s === 'ifndef') depth++;
    else if (s === 'endif') {
      depth--;
      if (depth === 0) {
        // The closing #endif must be the last thing in the file.
        const end = lineEnd(hashes[k]);
        return tokens[end].kind === TokKind.EOF ? guard : undefined;
      }
    } else if (depth === 1 && (s === 'else' || s === 'elif' || s === 'elifdef' || s === 'elifndef')) return undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Compiled macro bodies

interface Compiled {
  /** Parameter names, `__VA_ARGS__` appended for `...`. */
  names: string[];
  /** For each body token: the index of the parameter it names, or -1. */
  paramIndex: Int32Array;
  /** Index of the variadic parameter, or -1. */
  vaIndex: number;
}

const compiledByDef = new WeakMap<MacroDef, Compiled>();


function compile(m: MacroDef): Compiled {
  let c = compiledByDef.get(m);
  if (c) return c;
  const names = m.params ? m.params.slice() : [];
  if (m.variadic && (m.vaName === undefined || m.vaName === '__VA_ARGS__') && names[names.length - 1] !== '__VA_ARGS__')
    names.push('__VA_ARGS__');
  const paramIndex = new Int32Array(m.body.length).fill(-1);
  if (m.params) {
    for (let i = 0; i < m.body.length; i++) {
      const t = m.body[i];
      if (t.kind === TokKind.Ident) paramIndex[i] = names.indexOf(t.text);
    }
  }
  c = { names, paramIndex, vaIndex: m.variadic ? names.length - 1 : -1 };
  compiledByDef.set(m, c);
  return c;
}

// ---------------------------------------------------------------------------
// The reader

interface Cond {
  directive: string;
  token: Token;
  /** Some group of this #if chain has been taken. */
  taken: boolean;
  sawElse: boolean;
}

interface FileState {
  file: SourceFile;
  facts: FileFacts;
  conds: Cond[];
  /** Index in includeDirs where the file was found, or -1 (for `#include_next`). */
  dirIndex: number;
  pseudo: boolean;
}

interface Frame {
  tokens: Token[];
  pos: number;
  /** Set for file frames: directives are recognised only in these. */
  state?: FileState;
}

interface Reader {
  stack: Frame[];
  /** Returned once the stack is empty. */
  eof: Token;
}

/**
 * Clang 14's `__has_builtin` answers for the MSVC intrinsics that mingw-w64's
 * and clang's own headers ask about, per target (generated by asking clang
 * about every name those headers pass to `__has_builtin`). The
 * `__builtin_*`, `__sync_*` and `__atomic_*` families are answered by rule.
 */
const commonBuiltins = [
  '_BitScanForward', '_BitScanReverse', '_InterlockedAnd', '_InterlockedAnd64', '_InterlockedCompareExchange',
  '_InterlockedCompareExchange16', '_InterlockedCompareExchange64', '_InterlockedCompareExchangePointer',
  '_InterlockedDecrement', '_InterlockedDecrement16', '_InterlockedDecrement64', '_InterlockedExchange',
  '_InterlockedExchange64', '_InterlockedExchangeAdd', '_InterlockedExchangeAdd64', '_InterlockedExchangePointer',
  '_InterlockedIncrement', '_InterlockedIncrement16', '_InterlockedIncrement64', '_InterlockedOr', '_InterlockedOr64',
  '_InterlockedXor', '_InterlockedXor64', '__debugbreak', '__popcnt', '__popcnt16', '__popcnt64', '_bittest',
  '_bittest64', '_bittestandcomplement', '_bittestandcomplement64', '_bittestandreset', '_bittestandreset64',
  '_bittestandset', '_bittestandset64', '_interlockedbittestandreset', '_interlockedbittestandreset64',
  '_interlockedbittestandset', '_interlockedbittestandset64', '_lrotl', '_lrotr', '_rotl16', '_rotl8', '_rotr16',
  '_rotr8',
];
const x86Builtins = [
  '__int2c', '__readfsbyte', '__readfsdword', '__readfsword', '__readgsbyte', '__readgsdword', '__readgsqword',
  '__readgsword', '__stosb', '_xgetbv',
];
const armBuiltins = ['__dmb', '__dsb', '__isb', '__sev', '__sevl', '__wfe', '__wfi', '__yield', '_BitScanForward64', '_BitScanReverse64'];
const builtinsByTarget: Record<string, ReadonlySet<string>> = {
  x64: new Set([...commonBuiltins, ...x86Builtins, '_BitScanForward64', '_BitScanReverse64', '__faststorefence',
    '__shiftleft128', '__shiftright128', '_mul128', '_umul128']),
  x86: new Set([...commonBuiltins, ...x86Builtins]),
  arm64: new Set([...commonBuiltins, ...armBuiltins, '_InterlockedAdd', '__builtin_sponentry']),
  arm32: new Set([...commonBuiltins, ...armBuiltins]),
};
/** `__builtin_*` names clang does not have on a given target. */
const missingBuiltins = new Set(['__builtin_sponentry']);

/** The builtin table for the target the predefined macros describe. */
function targetBuiltins(predefined: Readonly<Record<string, string>>): ReadonlySet<string> {
  if ('_M_ARM64' in predefined) return builtinsByTarget.arm64;
  if ('_M_ARM' in predefined) return builtinsByTarget.arm32;
  if ('_M_IX86' in predefined) return builtinsByTarget.x86;
  return builtinsByTarget.x64;
}

const cKeywords = new Set([
  'auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do', 'double', 'else', 'enum', 'extern',
  'float', 'for', 'goto', 'if', 'inline', 'int', 'long', 'register', 'restrict', 'return', 'short', 'signed',
  'sizeof', 'static', 'struct', 'switch', 'typedef', 'union', 'unsigned', 'void', 'volatile', 'while',
  '_Alignas', '_Alignof', '_Atomic', '_Bool', '_Complex', '_Generic', '_Imaginary', '_Noreturn',
  '_Static_assert', '_Thread_local', '__int8', '__int16', '__int32', '__int64', '__declspec', '__cdecl',
  '__stdcall', '__fastcall', '__ptr32', '__ptr64', '__unaligned', '__attribute__', '__typeof__', 'typeof',
  '__inline', '__forceinline', '__restrict', '__asm', '__asm__', 'asm', '__w64', '__int128', '__builtin_va_arg',
]);

/** `__has_feature` / `__has_extension` answers of clang 14 in C mode (a selection; others are 0). */
const cFeatures = new Set([
  'c_alignas', 'c_alignof', 'c_atomic', 'c_generic_selections', 'c_static_assert', 'c_thread_local',
  'attribute_deprecated_with_message', 'attribute_unavailable_with_message', 'enumerator_attributes', 'tls',
  'attribute_availability', 'blocks',
]);
const cExtensions = new Set([...cFeatures, 'gnu_asm', 'gnu_asm_goto_with_outputs', 'c_fixed_enum', 'matrix_types']);

/** GNU attributes clang has, for `__has_attribute` (a selection of the common ones). */
const knownAttributes = new Set([
  'aligned', 'packed', 'deprecated', 'unavailable', 'unused', 'used', 'noreturn', 'always_inline', 'noinline',
  'format', 'format_arg', 'visibility', 'warn_unused_result', 'nonnull', 'const', 'pure', 'malloc', 'alloc_size',
  'ms_struct', 'gcc_struct', 'dllimport', 'dllexport', 'cdecl', 'stdcall', 'fastcall', 'vectorcall', 'thiscall',
  'regparm', 'section', 'weak', 'alias', 'cleanup', 'constructor', 'destructor', 'mode', 'may_alias',
  'transparent_union', 'vector_size', 'ext_vector_type', 'nodebug', 'gnu_inline', 'artificial', 'target',
  'returns_nonnull', 'sentinel', 'nothrow', 'overloadable', 'fallthrough', 'selectany', 'ms_abi', 'sysv_abi',
  'no_sanitize', 'enable_if', 'diagnose_if', 'availability', 'cold', 'hot', 'noescape', 'error', 'warning',
]);

const knownDeclspecs = new Set([
  'align', 'allocate', 'appdomain', 'code_seg', 'deprecated', 'dllexport', 'dllimport', 'naked', 'noalias',
  'noinline', 'noreturn', 'nothrow', 'novtable', 'property', 'restrict', 'safebuffers', 'selectany', 'thread',
  'uuid', 'empty_bases', 'allocator', 'guard', 'spectre',
]);

/** Identifiers evaluated by the preprocessor itself in `#if` (and `#ifdef`-true). */
const hasOperators = new Set([
  '__has_include', '__has_include_next', '__has_feature', '__has_extension', '__has_builtin', '__has_attribute',
  '__has_cpp_attribute', '__has_c_attribute', '__has_declspec_attribute', '__is_identifier', '__has_warning',
  '__building_module', '__is_target_arch', '__is_target_vendor', '__is_target_os', '__is_target_environment',
  '__has_constexpr_builtin',
]);

const dynamicMacros = new Set([
  '__FILE__', '__LINE__', '__COUNTER__', '__DATE__', '__TIME__', '__TIMESTAMP__', '__INCLUDE_LEVEL__',
  '__BASE_FILE__', '__FILE_NAME__',
]);

const PLACEMARKER_TEXT = '';

/** Runs the preprocessor over `mainPath`. Never throws. */
export function preprocess(mainPath: string, options: PreprocessOptions): PreprocessResult {
  const host = options.host;
  const includeDirs = (options.includeDirs ?? []).map(normalizePath);
  const maxDepth = options.maxIncludeDepth ?? 200;
  const fallback = options.fallbackMacros;
  const builtins = options.builtins ?? targetBuiltins(options.predefined);
  const cache = options.cache;

  const out: Token[] = [];
  const diagnostics: Diagnostic[] = [];
  // The macro table, copied on write when it starts as the caller's `initialMacros`.
  let macros = (options.initialMacros ?? new Map<string, MacroDef>()) as Map<string, MacroDef>;
  let macrosShared = options.initialMacros !== undefined;
  const setMacro = (name: string, def: MacroDef) => {
    if (macrosShared) {
      if (macros.get(name) === def) return;
      macros = new Map(macros);
      macrosShared = false;
    }
    macros.set(name, def);
  };
  const deleteMacro = (name: string) => {
    if (macrosShared) {
      if (!macros.has(name)) return;
      macros = new Map(macros);
      macrosShared = false;
    }
    macros.delete(name);
  };
  const definitions: MacroDef[] = [];
  const files = new Map<string, SourceFile>();
  const includes: IncludeEdge[] = [];
  const comments = new Map<string, Comment[]>();
  const inactiveLines = new Map<string, { startLine: number; endLine: number }[]>();
  const pragmaOnce = new Set<string>();
  const pushedMacros = new Map<string, (MacroDef | undefined)[]>();
  const readCache = new Map<string, { path: string; text: string } | null>();
  const hs = hideSets();
  /** The files being processed, innermost last (for cycles, depth and `__INCLUDE_LEVEL__`). */
  const fileStack: FileState[] = [];
  const onStack = new Map<string, number>();
  let counter = 0;
  /** Set while expanding an `#if` line: `defined` and `__has_*` are operators. */
  let ifMode = false;
  /** Bounds the work of pathological inputs (e.g. exponential macro growth). */
  const maxExpansions = 2_000_000;
  const maxListDepth = 200;
  let listDepth = 0;
  let nestingReported = false;
  let expansionBudget = maxExpansions;

  const mainNorm = normalizePath(mainPath);

  const report = (code: MessageCode, t: Token, args: (string | number)[] = []) => {
    const loc = tokLoc(t);
    diagnostics.push(diag(code, loc, args));
  };

  // ---- files

  function readFile(path: string): { path: string; text: string } | undefined {
    let r = readCache.get(path);
    if (r === undefined) {
      let got: { path: string; text: string } | undefined;
      try {
        got = host.readFile(path);
      } catch {
        got = undefined;
      }
      r = got ? { path: normalizePath(got.path), text: got.text } : null;
      readCache.set(path, r);
    }
    return r ?? undefined;
  }

  /** Files lexed (or taken from the cache) in this run, so a header included again is not looked up again. */
  const loaded = new Map<string, { text: string; file: SourceFile; tokens: Token[]; facts: FileFacts }>();

  function load(path: string, text: string, pseudo: boolean): { file: SourceFile; tokens: Token[]; facts: FileFacts } {
    const seen = loaded.get(path);
    if (seen !== undefined && seen.text === text) return seen;
    let entry = cache?.get(path, text);
    let lexDiags: Diagnostic[] = [];
    if (entry === undefined) {
      const file: SourceFile = { path, text };
      const r = lex(file);
      entry = { file, tokens: r.tokens, comments: r.comments };
      lexDiags = r.diagnostics;
      cache?.set(path, text, entry);
    }
    const facts = fileFacts(entry.tokens, lexDiags);
    if (!pseudo && !files.has(path)) {
      files.set(path, entry.file);
      comments.set(path, entry.comments);
      for (const d of facts.lexDiagnostics) diagnostics.push(d);
    }
    const result = { text, file: entry.file, tokens: entry.tokens, facts };
    loaded.set(path, result);
    return result;
  }

  function fileFrame(path: string, text: string, dirIndex: number, pseudo: boolean): Frame {
    const { file, tokens, facts } = load(path, text, pseudo);
    return { tokens, pos: 0, state: { file, facts, conds: [], dirIndex, pseudo } };
  }

  function enter(r: Reader, frame: Frame): void {
    const st = frame.state!;
    fileStack.push(st);
    onStack.set(st.file.path, (onStack.get(st.file.path) ?? 0) + 1);
    r.stack.push(frame);
  }

  function leave(frame: Frame): void {
    const st = frame.state!;
    for (const c of st.conds) report('pp-unterminated-conditional', c.token, [c.directive]);
    st.conds.length = 0;
    const i = fileStack.lastIndexOf(st);
    if (i >= 0) fileStack.splice(i, 1);
    const n = (onStack.get(st.file.path) ?? 1) - 1;
    if (n <= 0) onStack.delete(st.file.path);
    else onStack.set(st.file.path, n);
  }

  // ---- token helpers

  function tokLoc(t: Token): Loc {
    return { file: t.file.path, line: t.line, col: t.col, offset: t.offset };
  }

  function endLocOf(t: Token): Loc {
    return { file: t.file.path, line: t.line, col: t.col + t.text.length, offset: t.offset + t.text.length };
  }

  function copy(
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

  function synth(kind: TokKind, text: string, at: Token): Token {
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

  function isDefined(name: string): boolean {
    return macros.has(name) || dynamicMacros.has(name) || hasOperators.has(name);
  }

  // ---- reading

  function next(r: Reader): Token {
    const stack = r.stack;
    while (true) {
      const f = stack[stack.length - 1];
      if (f === undefined) return r.eof;
      if (f.pos >= f.tokens.length) {
        stack.pop();
        continue;
      }
      const t = f.tokens[f.pos++];
      const st = f.state;
      if (st !== undefined) {
        if (t.kind === TokKind.EOF) {
          stack.pop();
          leave(f);
          return t;
        }
        if (t.bol && t.kind === TokKind.Punct && t.text === '#') {
          const p = directive(r, f, t);
          if (p !== undefined) return p;
          continue;
        }
      }
      return t;
    }
  }

  function unget(r: Reader, t: Token): void {
    r.stack.push({ tokens: [t], pos: 0 });
  }

  function subReader(tokens: Token[], eofAt: Token | undefined): Reader {
    const at = eofAt ?? tokens[tokens.length - 1];
    const eof: Token = at
      ? { kind: TokKind.EOF, text: '', file: at.file, offset: at.offset, line: at.line, col: at.col, space: false, bol: true }
      : { kind: TokKind.EOF, text: '', file: { path: mainNorm, text: '' }, offset: 0, line: 1, col: 1, space: false, bol: true };
    return { stack: tokens.length ? [{ tokens, pos: 0 }] : [], eof };
  }

  /** Fully macro-expands `tokens` on their own (macro arguments, `#if` and `#include` lines, pragma operands). */
  function expandList(tokens: Token[], eofAt?: Token): Token[] {
    // Arguments nested hundreds of calls deep (F(F(F(...)))) would recurse
    // past the JS stack: beyond a depth they stay unexpanded, with an error.
    if (listDepth >= maxListDepth) {
      if (!nestingReported && tokens.length > 0) {
        nestingReported = true;
        report('pp-nesting-limit', eofAt ?? tokens[0], [maxListDepth]);
      }
      return tokens;
    }
    const r = subReader(tokens, eofAt);
    const res: Token[] = [];
    listDepth++;
    try {
      expandInto(r, res, false);
    } finally {
      listDepth--;
    }
    return res;
  }

  /**
   * The expansion loop: reads tokens from `r`, expands macros (pushing their
   * results back onto `r` for rescanning) and appends everything else to `dst`.
   */
  function expandInto(r: Reader, dst: Token[], top: boolean): void {
    while (true) {
      const t = next(r);
      if (t.kind === TokKind.EOF) {
        if (r.stack.length === 0) return;
        continue;
      }
      if (t.kind !== TokKind.Ident) {
        dst.push(t);
        continue;
      }
      const name = t.text;
      if (ifMode) {
        if (name === 'defined') {
          dst.push(synth(TokKind.Number, definedOperand(r, t) ? '1' : '0', t));
          continue;
        }
        if (hasOperators.has(name) && !macros.has(name)) {
          dst.push(synth(TokKind.Number, hasOperator(r, t) ? '1' : '0', t));
          continue;
        }
      }
      let m = macros.get(name);
      if (m === undefined) {
        if (name.charCodeAt(0) === 95 && name.charCodeAt(1) === 95 && dynamicMacros.has(name)) {
          if (t.hide === undefined || !t.hide.has(name)) {
            r.stack.push({ tokens: [dynamicMacro(t)], pos: 0 });
            continue;
          }
        } else if (fallback !== undefined) m = fallback.get(name);
      }
      if (m !== undefined) {
        // SAL annotations reach the parser as written, even when a header defines them.
        if (!ifMode && isSalAnnotation(name)) {
          dst.push(t);
          if (m.params !== undefined) passParens(r, dst);
          continue;
        }
        if (expandMacro(r, t, m)) continue;
      } else if (top && (name === '__pragma' || name === '_Pragma')) {
        const p = pragmaOperator(r, t);
        if (p !== undefined) dst.push(p);
        continue;
      }
      dst.push(t);
    }
  }

  /** After a SAL annotation: copy a following parenthesised group through, unexpanded. */
  function passParens(r: Reader, dst: Token[]): void {
    const open = next(r);
    if (!isPunct(open, '(')) {
      unget(r, open);
      return;
    }
    dst.push(open);
    let depth = 1;
    while (depth > 0) {
      const t = next(r);
      if (t.kind === TokKind.EOF) {
        unget(r, t);
        return;
      }
      if (t.kind === TokKind.Punct) {
        if (t.text === '(') depth++;
        else if (t.text === ')') depth--;
      }
      dst.push(t);
    }
  }

  /** Reads a parenthesised group after an operator name; returns its inner tokens, or undefined (with a diagnostic) if malformed. */
  function parenGroup(r: Reader, nameTok: Token, dirName: string): Token[] | undefined {
    const open = next(r);
    if (!isPunct(open, '(')) {
      unget(r, open);
      report('pp-bad-expression', nameTok, [dirName, `missing '(' after '${nameTok.text}'`]);
      return undefined;
    }
    const inner: Token[] = [];
    let depth = 1;
    while (true) {
      const t = next(r);
      if (t.kind === TokKind.EOF) {
        unget(r, t);
        report('pp-bad-expression', nameTok, [dirName, `missing ')' after '${nameTok.text}'`]);
        return undefined;
      }
      if (t.kind === TokKind.Punct) {
        if (t.text === '(') depth++;
        else if (t.text === ')' && --depth === 0) return inner;
      }
      inner.push(t);
    }
  }

  function definedOperand(r: Reader, at: Token): boolean {
    let t = next(r);
    let paren = false;
    if (isPunct(t, '(')) {
      paren = true;
      t = next(r);
    }
    if (t.kind !== TokKind.Ident) {
      if (t.kind === TokKind.EOF) unget(r, t);
      report('pp-bad-expression', at, ['if', "macro name missing after 'defined'"]);
      return false;
    }
    if (paren) {
      const close = next(r);
      if (!isPunct(close, ')')) {
        if (close.kind === TokKind.EOF) unget(r, close);
        report('pp-bad-expression', at, ['if', "missing ')' after 'defined'"]);
      }
    }
    return isDefined(t.text);
  }

  function hasOperator(r: Reader, at: Token): boolean {
    const name = at.text;
    const inner = parenGroup(r, at, 'if');
    if (inner === undefined) return false;
    if (name === '__has_include' || name === '__has_include_next') {
      let h = headerName(inner);
      if (h === undefined) h = headerName(expandList(inner, at));
      if (h === undefined) {
        report('pp-bad-expression', at, ['if', `malformed operand of '${name}'`]);
        return false;
      }
      return resolveInclude(h.name, h.quoted, name === '__has_include_next') !== undefined;
    }
    // The operand is an identifier, possibly scoped (`gnu::packed`) or spelt `__x__`.
    const word = inner.map((t) => t.text).join('');
    switch (name) {
      case '__has_builtin':
        if (builtins.has(word)) return true;
        if (missingBuiltins.has(word)) return false;
        return word.startsWith('__builtin_') || word.startsWith('__sync_') || word.startsWith('__atomic_');
      case '__has_declspec_attribute':
        return knownDeclspecs.has(word);
      case '__has_feature':
        return cFeatures.has(trimUnderscores(word));
      case '__has_extension':
        return cExtensions.has(trimUnderscores(word));
      case '__has_attribute':
        return knownAttributes.has(trimUnderscores(word));
      case '__is_identifier':
        return !cKeywords.has(word);
      default:
        return false;
    }
  }

  // ---- macro expansion

  /** Expands macro `m` invoked by `tok`, pushing the result onto `r`; false if it does not apply (hidden, or no `(`). */
  function expandMacro(r: Reader, tok: Token, m: MacroDef): boolean {
    const name = tok.text;
    if (tok.hide !== undefined && tok.hide.has(name)) return false;
    if (--expansionBudget < 0) {
      if (expansionBudget === -1) report('pp-expansion-limit', tok, [maxExpansions]);
      return false;
    }
    const exp = tok.expansion ?? tok;
    if (m.params === undefined) {
      const body = substitute(m, compile(m), undefined, hs.with(tok.hide, name), exp);
      startResult(body, tok);
      r.stack.push({ tokens: body, pos: 0 });
      return true;
    }
    // A function-like macro name not followed by `(` is just an identifier.
    const open = next(r);
    if (!isPunct(open, '(')) {
      unget(r, open);
      return false;
    }
    const c = compile(m);
    const call = collectArgs(r, m, c, tok);
    if (call === undefined) return true;
    const hide = hs.with(hs.intersect(tok.hide, call.rparen.hide), name);
    const body = substitute(m, c, call.args, hide, exp, call.vaOmitted);
    startResult(body, tok);
    r.stack.push({ tokens: body, pos: 0 });
    return true;
  }

  /** The first token of an expansion takes the invocation's spacing. */
  function startResult(body: Token[], tok: Token): void {
    if (body.length > 0) {
      body[0].space = tok.space;
      body[0].bol = tok.bol;
    }
  }

  function dynamicMacro(tok: Token): Token {
    const exp = tok.expansion ?? tok;
    const quote = (s: string) => '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
    let t: Token;
    switch (tok.text) {
      case '__FILE__':
        t = synth(TokKind.String, quote(exp.file.path), tok);
        break;
      case '__BASE_FILE__':
        t = synth(TokKind.String, quote(mainNorm), tok);
        break;
      case '__FILE_NAME__':
        t = synth(TokKind.String, quote(exp.file.path.slice(exp.file.path.lastIndexOf('/') + 1)), tok);
        break;
      case '__LINE__':
        t = synth(TokKind.Number, String(exp.line), tok);
        break;
      case '__COUNTER__':
        t = synth(TokKind.Number, String(counter++), tok);
        break;
      case '__INCLUDE_LEVEL__':
        t = synth(TokKind.Number, String(Math.max(0, fileStack.length - 1)), tok);
        break;
      case '__DATE__':
        t = synth(TokKind.String, '"Jan  1 2000"', tok);
        break;
      case '__TIME__':
        t = synth(TokKind.String, '"00:00:00"', tok);
        break;
      default:
        t = synth(TokKind.String, '"Sat Jan  1 00:00:00 2000"', tok);
    }
    t.expansion = exp;
    t.macro = tok.text;
    t.hide = hs.with(tok.hide, tok.text);
    return t;
  }

  /** Reads the arguments of a function-like macro call; the `(` has been read. */
  function collectArgs(
    r: Reader,
    m: MacroDef,
    c: Compiled,
    tok: Token,
  ): { args: Token[][]; rparen: Token; vaOmitted: boolean } | undefined {
    const nparams = c.names.length;
    const args: Token[][] = [];
    let cur: Token[] = [];
    let depth = 0;
    let rparen: Token;
    while (true) {
      const t = next(r);
      if (t.kind === TokKind.EOF) {
        report('pp-unterminated-macro-call', tok, [m.name]);
        unget(r, t);
        return undefined;
      }
      if (t.kind === TokKind.Punct) {
        const s = t.text;
        if (s === '(') depth++;
        else if (s === ')') {
          if (depth === 0) {
            rparen = t;
            args.push(cur);
            break;
          }
          depth--;
        } else if (s === ',' && depth === 0 && !(c.vaIndex >= 0 && args.length === nparams - 1)) {
          args.push(cur);
          cur = [];
          continue;
        }
      }
      cur.push(t);
    }
    if (nparams === 0 && args.length === 1 && args[0].length === 0) args.length = 0;
    let vaOmitted = false;
    if (c.vaIndex >= 0 && args.length === nparams - 1) {
      args.push([]);
      vaOmitted = true;
    }
    if (args.length !== nparams) {
      const need = c.vaIndex >= 0 ? `at least ${nparams - 1}` : String(nparams);
      report('pp-macro-args', tok, [m.name, `requires ${need} argument(s), but ${args.length} given`]);
      return undefined;
    }
    return { args, rparen, vaOmitted };
  }

  /**
   * Substitutes `args` into the body of `m` (C11 6.10.3.1-3): `#` stringizes,
   * `##` pastes (with placemarkers for empty arguments), other parameters get
   * their fully expanded argument. Every result token is a fresh copy with
   * hide set `t.hide + hide`, `expansion` and `macro` set.
   */
  function substitute(
    m: MacroDef,
    c: Compiled,
    args: Token[][] | undefined,
    hide: HideSet,
    exp: Token,
    vaOmitted = false,
  ): Token[] {
    const body = m.body;
    const pidx = c.paramIndex;
    const name = m.name;
    const res: Token[] = [];
    const expanded: (Token[] | undefined)[] = [];
    let placemarkers = false;
    let vaOptClose = -1;
    const n = body.length;

    const emit = (t: Token, space: boolean) => {
      res.push(copy(t, space, hs.union(t.hide, hide), exp, t.macro ?? name));
    };
    const placemarker = (at: Token) => {
      placemarkers = true;
      const p = copy(at, false, hide, exp, name);
      p.text = PLACEMARKER_TEXT;
      p.kind = TokKind.Other;
      res.push(p);
    };
    const isPaste = (i: number) => i < n && body[i].kind === TokKind.Punct && body[i].text === '##';

    for (let i = 0; i < n; i++) {
      const t = body[i];
      if (i === vaOptClose) {
        vaOptClose = -1;
        continue;
      }
      const pi = pidx[i];
      if (args !== undefined && t.kind === TokKind.Punct) {
        // # param
        if (t.text === '#' && i + 1 < n && pidx[i + 1] >= 0) {
          const s = stringize(args[pidx[i + 1]], t);
          res.push(copy(s, t.space, hide, exp, name));
          i++;
          continue;
        }
        // , ## __VA_ARGS__  (GNU): the comma disappears when the variadic
        // argument is left out; clang keeps it for an explicitly empty one (`G(x,)`).
        if (t.text === ',' && c.vaIndex >= 0 && isPaste(i + 1) && i + 2 < n && pidx[i + 2] === c.vaIndex) {
          const va = args[c.vaIndex];
          if (!vaOmitted) {
            emit(t, t.space);
            for (let k = 0; k < va.length; k++) emit(va[k], k === 0 ? body[i + 2].space : va[k].space);
          }
          i += 2;
          continue;
        }
      }
      if (t.kind === TokKind.Punct && t.text === '##' && res.length > 0 && i + 1 < n) {
        const rt = body[i + 1];
        const rpi = pidx[i + 1];
        let rhs: Token[];
        if (args !== undefined && rpi >= 0) rhs = args[rpi];
        else if (args !== undefined && rt.kind === TokKind.Punct && rt.text === '#' && i + 2 < n && pidx[i + 2] >= 0) {
          rhs = [stringize(args[pidx[i + 2]], rt)];
          i++;
        } else rhs = [rt];
        const lhs = res.pop()!;
        if (rhs.length === 0) res.push(lhs);
        else if (lhs.text === PLACEMARKER_TEXT && lhs.kind === TokKind.Other) {
          for (let k = 0; k < rhs.length; k++) emit(rhs[k], k === 0 ? lhs.space : rhs[k].space);
        } else {
          const pasted = paste(lhs, rhs[0]);
          if (pasted !== undefined) res.push(pasted);
          else {
            res.push(lhs);
            emit(rhs[0], rhs[0].space);
          }
          for (let k = 1; k < rhs.length; k++) emit(rhs[k], rhs[k].space);
        }
        i++;
        continue;
      }
      if (args !== undefined && pi >= 0) {
        const arg = args[pi];
        if (isPaste(i + 1)) {
          // Operand of ##: the argument as written, or a placemarker.
          if (arg.length === 0) placemarker(t);
          else for (let k = 0; k < arg.length; k++) emit(arg[k], k === 0 ? t.space : arg[k].space);
          continue;
        }
        let ex = expanded[pi];
        if (ex === undefined) {
          ex = arg.length === 0 ? arg : expandList(arg, exp);
          expanded[pi] = ex;
        }
        for (let k = 0; k < ex.length; k++) emit(ex[k], k === 0 ? t.space : ex[k].space);
        continue;
      }
      if (args !== undefined && c.vaIndex >= 0 && t.kind === TokKind.Ident && t.text === '__VA_OPT__' && isPunct(body[i + 1], '(')) {
        // __VA_OPT__(tokens): the tokens if the variadic argument is not empty.
        let depth = 0;
        let j = i + 1;
        for (; j < n; j++) {
          if (isPunct(body[j], '(')) depth++;
          else if (isPunct(body[j], ')') && --depth === 0) break;
        }
        if (args[c.vaIndex].length > 0) {
          vaOptClose = j;
          i++;
        } else {
          placemarker(t);
          i = j;
        }
        continue;
      }
      emit(t, t.space);
    }
    if (placemarkers) {
      let w = 0;
      for (let k = 0; k < res.length; k++) {
        const t = res[k];
        if (!(t.kind === TokKind.Other && t.text === PLACEMARKER_TEXT)) res[w++] = t;
      }
      res.length = w;
    }
    return res;
  }

  function stringize(arg: Token[], at: Token): Token {
    let s = '"';
    for (let k = 0; k < arg.length; k++) {
      const t = arg[k];
      if (k > 0 && t.space) s += ' ';
      if (t.kind === TokKind.String || t.kind === TokKind.Char) s += t.text.replace(/[\\"]/g, '\\$&');
      else s += t.text;
    }
    s += '"';
    const r = synth(TokKind.String, s, at);
    return r;
  }

  /** `lhs ## rhs`: the single token their spellings form, or undefined (with a warning) if they do not form one. */
  function paste(lhs: Token, rhs: Token): Token | undefined {
    const text = lhs.text + rhs.text;
    let kind: TokKind;
    if (lhs.kind === TokKind.Ident && (rhs.kind === TokKind.Ident || (rhs.kind === TokKind.Number && /^[0-9A-Za-z_$]*$/.test(rhs.text)))) {
      kind = TokKind.Ident;
    } else {
      const r = lex({ path: lhs.file.path, text });
      if (r.tokens.length !== 2 || r.diagnostics.length > 0 || r.comments.length > 0) {
        report('pp-bad-paste', lhs.expansion ?? lhs, [lhs.text, rhs.text]);
        return undefined;
      }
      kind = r.tokens[0].kind;
    }
    const t = copy(lhs, lhs.space, lhs.hide, lhs.expansion, lhs.macro);
    t.text = text;
    t.kind = kind;
    return t;
  }

  // ---- pragmas

  /**
   * Handles the tokens after the word `pragma` (from `#pragma`, `__pragma(...)`
   * or `_Pragma("...")`). Returns the Pragma token for the parser, if any.
   */
  function pragma(words: Token[], at: Token): Token | undefined {
    const first = words[0];
    if (first === undefined || first.kind !== TokKind.Ident) return undefined;
    switch (first.text) {
      case 'pack': {
        const p = synth(TokKind.Pragma, 'pragma', at);
        p.args = expandList(words, at);
        return p;
      }
      case 'once':
        if (fileStack.length > 0) pragmaOnce.add(fileStack[fileStack.length - 1].file.path);
        return undefined;
      case 'push_macro':
      case 'pop_macro': {
        const s = words.find((t) => t.kind === TokKind.String);
        if (s === undefined) return undefined;
        const name = s.text.slice(s.text.indexOf('"') + 1, -1);
        let stack = pushedMacros.get(name);
        if (first.text === 'push_macro') {
          if (stack === undefined) pushedMacros.set(name, (stack = []));
          stack.push(macros.get(name));
        } else if (stack !== undefined && stack.length > 0) {
          const m = stack.pop();
          if (m === undefined) deleteMacro(name);
          else setMacro(name, m);
        }
        return undefined;
      }
    }
    return undefined;
  }

  /** `__pragma(...)` (MSVC) and `_Pragma("...")` (C99) met in the output. */
  function pragmaOperator(r: Reader, t: Token): Token | undefined {
    const inner = parenGroup(r, t, 'pragma');
    if (inner === undefined) return undefined;
    let words = inner;
    if (t.text === '_Pragma') {
      const s = inner[0];
      if (inner.length !== 1 || s.kind !== TokKind.String) {
        report('pp-bad-expression', t, ['pragma', '_Pragma takes a parenthesized string literal']);
        return undefined;
      }
      const q = s.text.indexOf('"');
      const text = s.text.slice(q + 1, -1).replace(/\\(["\\])/g, '$1');
      const lexed = lex({ path: s.file.path, text }).tokens;
      words = [];
      for (let k = 0; k + 1 < lexed.length; k++) {
        const w = copy(lexed[k], lexed[k].space, s.hide, s.expansion, s.macro);
        w.offset = s.offset;
        w.line = s.line;
        w.col = s.col;
        w.file = s.file;
        words.push(w);
      }
    }
    return pragma(words, t);
  }

  // ---- directives

  /** The line of a directive: tokens from `from` up to the next line start. */
  function lineEnd(tokens: Token[], from: number): number {
    let j = from;
    while (!tokens[j].bol) j++;
    return j;
  }

  function directive(r: Reader, f: Frame, hash: Token): Token | undefined {
    const tokens = f.tokens;
    const st = f.state!;
    const start = f.pos;
    const end = lineEnd(tokens, start);
    f.pos = end;
    if (start === end) return undefined; // null directive
    const nameTok = tokens[start];
    if (nameTok.kind !== TokKind.Ident) {
      // `# 33 "file"` line markers are accepted and ignored.
      if (nameTok.kind !== TokKind.Number) report('pp-unknown-directive', nameTok, [nameTok.text]);
      return undefined;
    }
    const dname = nameTok.text;
    switch (dname) {
      case 'define':
        define(tokens, start + 1, end, st);
        return undefined;
      case 'undef': {
        const t = tokens[start + 1];
        if (start + 1 >= end || t.kind !== TokKind.Ident) report('pp-bad-define', nameTok, ['macro name missing in #undef']);
        else deleteMacro(t.text);
        return undefined;
      }
      case 'include':
      case 'include_next':
      case 'import':
        include(r, tokens.slice(start + 1, end), nameTok, st, dname === 'include_next');
        return undefined;
      case 'if': {
        const v = ifExpression(tokens.slice(start + 1, end), nameTok, 'if');
        st.conds.push({ directive: 'if', token: hash, taken: v, sawElse: false });
        if (!v) skipGroup(f, tokens[end - 1].line + 1);
        return undefined;
      }
      case 'ifdef':
      case 'ifndef': {
        const t = tokens[start + 1];
        let v = false;
        if (start + 1 >= end || t.kind !== TokKind.Ident) report('pp-bad-expression', nameTok, [dname, 'macro name missing']);
        else v = isDefined(t.text) === (dname === 'ifdef');
        st.conds.push({ directive: dname, token: hash, taken: v, sawElse: false });
        if (!v) skipGroup(f, tokens[end - 1].line + 1);
        return undefined;
      }
      case 'elif':
      case 'elifdef':
      case 'elifndef':
      case 'else': {
        const c = st.conds[st.conds.length - 1];
        if (c === undefined) {
          report('pp-unmatched-directive', nameTok, [dname]);
          return undefined;
        }
        if (c.sawElse) report('pp-else-after-else', nameTok, [dname]);
        if (dname === 'else') c.sawElse = true;
        if (c.taken) {
          skipGroup(f, tokens[end - 1].line + 1);
          return undefined;
        }
        let v = true;
        if (dname === 'elif') v = ifExpression(tokens.slice(start + 1, end), nameTok, 'elif');
        else if (dname !== 'else') {
          const t = tokens[start + 1];
          if (start + 1 >= end || t.kind !== TokKind.Ident) {
            report('pp-bad-expression', nameTok, [dname, 'macro name missing']);
            v = false;
          } else v = isDefined(t.text) === (dname === 'elifdef');
        }
        if (v) c.taken = true;
        else skipGroup(f, tokens[end - 1].line + 1);
        return undefined;
      }
      case 'endif':
        if (st.conds.pop() === undefined) report('pp-unmatched-directive', nameTok, ['endif']);
        return undefined;
      case 'error':
      case 'warning': {
        const text = lineText(tokens, start + 1, end);
        report(dname === 'error' ? 'pp-error-directive' : 'pp-warning-directive', hash, [text]);
        return undefined;
      }
      case 'pragma': {
        const p = pragma(tokens.slice(start + 1, end), hash);
        if (p !== undefined) {
          p.space = hash.space;
          p.bol = true;
        }
        return p;
      }
      case 'line':
      case 'ident':
      case 'sccs':
      case 'assert':
      case 'unassert':
        return undefined;
      default:
        report('pp-unknown-directive', nameTok, [dname]);
        return undefined;
    }
  }

  /** The source text of tokens [from, to) of a directive line, as written. */
  function lineText(tokens: Token[], from: number, to: number): string {
    if (from >= to) return '';
    const a = tokens[from];
    const b = tokens[to - 1];
    if (a.file === b.file) {
      const raw = a.file.text.slice(a.offset, b.offset + b.text.length);
      if (!raw.includes('\\')) return raw;
    }
    let s = '';
    for (let k = from; k < to; k++) s += (k > from && tokens[k].space ? ' ' : '') + tokens[k].text;
    return s;
  }

  /**
   * Skips a group whose condition is false: jumps through the file's `#`
   * index to the `#elif`/`#else`/`#endif` that ends it at the same nesting
   * level and leaves the frame positioned on that `#`.
   */
  function skipGroup(f: Frame, firstLine: number): void {
    const tokens = f.tokens;
    const hashes = f.state!.facts.hashes;
    // Binary search for the first `#` at or after f.pos.
    let lo = 0;
    let hi = hashes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (hashes[mid] < f.pos) lo = mid + 1;
      else hi = mid;
    }
    let depth = 0;
    let stop = tokens.length - 1; // EOF
    for (let k = lo; k < hashes.length; k++) {
      const h = hashes[k];
      const nt = tokens[h + 1];
      if (nt.bol || nt.kind !== TokKind.Ident) continue;
      const s = nt.text;
      if (s === 'if' || s === 'ifdef' || s === 'ifndef') depth++;
      else if (s === 'endif') {
        if (depth === 0) {
          stop = h;
          break;
        }
        depth--;
      } else if (depth === 0 && (s === 'elif' || s === 'else' || s === 'elifdef' || s === 'elifndef')) {
        stop = h;
        break;
      }
    }
    f.pos = stop;
    const st = f.state!;
    if (!st.pseudo) {
      const stopTok = tokens[stop];
      const lastLine = stopTok.kind === TokKind.EOF ? (stopTok.col > 1 ? stopTok.line : stopTok.line - 1) : stopTok.line - 1;
      if (lastLine >= firstLine) {
        let list = inactiveLines.get(st.file.path);
        if (list === undefined) inactiveLines.set(st.file.path, (list = []));
        list.push({ startLine: firstLine, endLine: lastLine });
      }
    }
  }

  function ifExpression(line: Token[], nameTok: Token, dname: string): boolean {
    if (line.length === 0) {
      report('pp-bad-expression', nameTok, [dname, 'expected value in expression']);
      return false;
    }
    const saved = ifMode;
    ifMode = true;
    let expanded: Token[];
    try {
      expanded = expandList(line, line[line.length - 1]);
    } finally {
      ifMode = saved;
    }
    if (expanded.length === 0) {
      report('pp-bad-expression', nameTok, [dname, 'expected value in expression']);
      return false;
    }
    const r = evaluate(expanded);
    if (r.divisionByZero) {
      report('pp-division-by-zero', r.divisionByZero);
      return false;
    }
    if (r.error !== undefined) {
      const at = r.errorToken ?? nameTok;
      report('pp-bad-expression', at.expansion ?? at, [dname, r.error]);
      return false;
    }
    return r.value !== 0n;
  }

  function define(tokens: Token[], from: number, end: number, st: FileState): void {
    const known = st.facts.defs.get(from - 1);
    if (known !== undefined) {
      setMacro(known.name, known);
      if (!st.pseudo) definitions.push(known);
      return;
    }
    const nameTok = tokens[from];
    if (from >= end || nameTok.kind !== TokKind.Ident) {
      report('pp-bad-define', from < end ? nameTok : tokens[from - 1], ['macro name missing']);
      return;
    }
    if (nameTok.text === 'defined') {
      report('pp-bad-define', nameTok, ["'defined' cannot be used as a macro name"]);
      return;
    }
    let i = from + 1;
    let params: string[] | undefined;
    let variadic = false;
    let vaName: string | undefined;
    if (i < end && isPunct(tokens[i], '(') && !tokens[i].space) {
      params = [];
      i++;
      let ok = false;
      while (i < end) {
        const t = tokens[i];
        if (params.length === 0 && isPunct(t, ')')) {
          ok = true;
          i++;
          break;
        }
        if (isPunct(t, '...')) {
          variadic = true;
          i++;
          if (isPunct(tokens[i], ')') && i < end) {
            ok = true;
            i++;
          }
          break;
        }
        if (t.kind !== TokKind.Ident || t.text === '__VA_ARGS__' || params.includes(t.text)) break;
        params.push(t.text);
        i++;
        if (i < end && isPunct(tokens[i], '...')) {
          variadic = true;
          vaName = t.text;
          i++;
          if (i < end && isPunct(tokens[i], ')')) {
            ok = true;
            i++;
          }
          break;
        }
        if (i < end && isPunct(tokens[i], ')')) {
          ok = true;
          i++;
          break;
        }
        if (i < end && isPunct(tokens[i], ',')) {
          i++;
          continue;
        }
        break;
      }
      if (!ok) {
        report('pp-bad-define', i < end ? tokens[i] : nameTok, [`bad parameter list for macro '${nameTok.text}'`]);
        return;
      }
    }
    const body = tokens.slice(i, end);
    if (body.length > 0 && (isPunct(body[0], '##') || isPunct(body[body.length - 1], '##'))) {
      report('pp-bad-define', body[0], ["'##' cannot appear at either end of a macro expansion"]);
      return;
    }
    const last = end - 1 >= from ? tokens[end - 1] : nameTok;
    const def: MacroDef = {
      name: nameTok.text,
      params,
      variadic,
      vaName,
      body,
      loc: tokLoc(nameTok),
      endLoc: endLocOf(last),
    };
    st.facts.defs.set(from - 1, def);
    setMacro(def.name, def);
    if (!st.pseudo) definitions.push(def);
  }

  /** The header name of an `#include` operand: `"x"` or `<x>`, or undefined if it is neither. */
  function headerName(ops: Token[]): { name: string; quoted: boolean } | undefined {
    const a = ops[0];
    if (a === undefined) return undefined;
    if (a.kind === TokKind.String && a.text.startsWith('"') && a.text.length >= 2) {
      return { name: a.text.slice(1, -1), quoted: true };
    }
    if (!isPunct(a, '<')) return undefined;
    let k = 1;
    while (k < ops.length && !isPunct(ops[k], '>')) k++;
    if (k >= ops.length) return undefined;
    const gt = ops[k];
    // Prefer the text as written (between < and >) when it is all in one file.
    if (a.file === gt.file && a.expansion === undefined && gt.expansion === undefined && gt.offset > a.offset) {
      const raw = a.file.text.slice(a.offset + 1, gt.offset);
      if (!raw.includes('\n') && !raw.includes('\\')) return { name: raw.trim(), quoted: false };
    }
    let s = '';
    for (let j = 1; j < k; j++) s += (j > 1 && ops[j].space ? ' ' : '') + ops[j].text;
    return { name: s, quoted: false };
  }

  /** Finds an included file: the includer's folder first for `"x"`, then the include dirs (after the current one for `#include_next`). */
  function resolveInclude(
    name: string,
    quoted: boolean,
    isNext: boolean,
  ): { path: string; text: string; dirIndex: number } | undefined {
    if (name === '') return undefined;
    const cur = fileStack[fileStack.length - 1];
    if (/^(?:\/|[A-Za-z]:[\\/]|\\\\)/.test(name)) {
      const got = readFile(normalizePath(name));
      return got ? { ...got, dirIndex: -1 } : undefined;
    }
    if (quoted && !isNext && cur !== undefined) {
      const base = cur.pseudo ? dirname(mainNorm) : dirname(cur.file.path);
      const got = readFile(joinPath(base, name));
      if (got) return { ...got, dirIndex: -1 };
    }
    const from = isNext && cur !== undefined && cur.dirIndex >= 0 ? cur.dirIndex + 1 : 0;
    for (let d = from; d < includeDirs.length; d++) {
      const got = readFile(joinPath(includeDirs[d], name));
      if (got) return { ...got, dirIndex: d };
    }
    return undefined;
  }

  function include(r: Reader, ops: Token[], nameTok: Token, st: FileState, isNext: boolean): void {
    let h = headerName(ops);
    if (h === undefined && ops.length > 0) h = headerName(expandList(ops, nameTok));
    if (h === undefined) {
      report('pp-bad-include', nameTok, [nameTok.text]);
      return;
    }
    let found = resolveInclude(h.name, h.quoted, isNext);
    if (found === undefined && !h.quoted) {
      // Like clang (MSVC-style lookup): an <angled> header that is not on the
      // search path is looked for next to the includer, with a warning.
      found = resolveInclude(h.name, true, false);
      if (found !== undefined) report('pp-include-angled-fallback', ops[0] ?? nameTok, [h.name]);
    }
    if (found === undefined) {
      report('pp-include-not-found', ops[0] ?? nameTok, [h.name]);
      return;
    }
    const path = found.path;
    if (!st.pseudo) includes.push({ from: st.file.path, to: path, loc: tokLoc(nameTok) });
    if (pragmaOnce.has(path)) return;
    if (nameTok.text === 'import') pragmaOnce.add(path);
    const frame = fileFrame(path, found.text, found.dirIndex, false);
    const guard = frame.state!.facts.guard;
    if (guard !== undefined && macros.has(guard)) return;
    // A file may be re-entered once (an inner guard usually stops it, as in
    // _mingw.h -> vadefs.h -> _mingw.h); a third instance is a cycle.
    if ((onStack.get(path) ?? 0) >= 2) {
      const chain = fileStack.filter((s) => !s.pseudo).map((s) => s.file.path);
      const i = chain.indexOf(path);
      report('pp-include-cycle', ops[0] ?? nameTok, [path, chain.slice(i + 1).concat(path).join(' -> ')]);
      return;
    }
    if (fileStack.length >= maxDepth) {
      report('pp-include-depth', ops[0] ?? nameTok, [maxDepth]);
      return;
    }
    enter(r, frame);
  }

  // ---- driver

  const builtinText = Object.entries(options.predefined)
    .map(([k, v]) => `#define ${k} ${v}\n`)
    .join('');
  let cmdText = '';
  for (const [k, v] of options.defines ?? []) cmdText += `#define ${k} ${v ?? '1'}\n`;
  for (const k of options.undefines ?? []) cmdText += `#undef ${k}\n`;

  const main = readFile(mainNorm);
  const mainPathReal = main?.path ?? mainNorm;
  const mainFile: SourceFile = main ? load(mainPathReal, main.text, false).file : { path: mainNorm, text: '' };
  if (!main) {
    files.set(mainNorm, mainFile);
    diagnostics.push(diag('pp-include-not-found', { file: mainNorm, line: 1, col: 1, offset: 0 }, [mainPath]));
  }

  const units: Frame[] = [];
  units.push(fileFrame('<built-in>', builtinText, -1, true));
  if (cmdText) units.push(fileFrame('<command line>', cmdText, -1, true));
  for (const fi of options.forcedIncludes ?? []) {
    // Like `cc -include`: relative to the main file's folder, then the include dirs.
    let got = readFile(joinPath(dirname(mainPathReal), fi));
    let dirIndex = -1;
    if (!got) {
      for (let d = 0; d < includeDirs.length && !got; d++) {
        got = readFile(joinPath(includeDirs[d], fi));
        if (got) dirIndex = d;
      }
    }
    if (!got) {
      diagnostics.push(diag('pp-include-not-found', { file: '<command line>', line: 1, col: 1, offset: 0 }, [fi]));
      continue;
    }
    units.push(fileFrame(got.path, got.text, dirIndex, false));
  }
  if (main) units.push(fileFrame(mainPathReal, main.text, -1, false));

  for (const u of units) {
    const r: Reader = { stack: [], eof: u.tokens[u.tokens.length - 1] };
    enter(r, u);
    try {
      expandInto(r, out, true);
    } catch (e) {
      // A bug here must not take the language server down: report and stop this unit.
      const at = u.tokens[Math.min(u.pos, u.tokens.length - 1)];
      diagnostics.push(diag('pp-internal-error', tokLoc(at), [String(e)]));
      while (fileStack.length > 0) fileStack.pop();
      onStack.clear();
    }
  }

  const lastEof = main ? units[units.length - 1].tokens[units[units.length - 1].tokens.length - 1] : undefined;
  out.push(
    lastEof ?? { kind: TokKind.EOF, text: '', file: mainFile, offset: 0, line: 1, col: 1, space: false, bol: true },
  );

  // The result owns its table, even when nothing changed the caller's.
  if (macrosShared) macros = new Map(macros);
  return { tokens: out, diagnostics, macros, definitions, files, includes, comments, inactiveLines };
}
