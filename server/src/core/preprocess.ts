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
 * The code: `pp/state.ts` holds a run's state in one object (`PP`) and the
 * operations on it (macro table, files, include stack); `pp/expand.ts` the
 * reader and macro expansion; `pp/directives.ts` one function per directive;
 * `pp/files.ts` the per-file facts; `pp/hidesets.ts` the interned hide sets;
 * `pp/tables.ts` SAL names and clang's `__has_*` answers as data. This file
 * has the public types and the driver.
 *
 * Invariant: the preprocessor never throws and never loops forever on bad
 * input; every problem is a diagnostic and processing goes on.
 */

import { diag, type Diagnostic } from './diagnostics';
import { expandInto } from './pp/expand';
import { createState, enter, fileFrame, load, readFile, tokLoc, type Frame, type Reader } from './pp/state';
import { dirname, joinPath, type FileHost, type Loc, type SourceFile } from './source';
import { TokKind, type Token } from './token';

export { isSalAnnotation } from './pp/tables';
export { lexedFile } from './pp/state';

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
  /**
   * How many translation units this run stands for (default 1): the token
   * and expansion budgets (`pp-token-limit`, `pp-expansion-limit`) are
   * multiplied by it. `check` reads many root headers through one umbrella
   * unit and passes their number.
   */
  budgetScale?: number;
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

/** Runs the preprocessor over `mainPath`. Never throws. */
export function preprocess(mainPath: string, options: PreprocessOptions): PreprocessResult {
  const pp = createState(mainPath, options);
  const out: Token[] = [];

  const builtinText = Object.entries(options.predefined)
    .map(([k, v]) => `#define ${k} ${v}\n`)
    .join('');
  let cmdText = '';
  for (const [k, v] of options.defines ?? []) cmdText += `#define ${k} ${v ?? '1'}\n`;
  for (const k of options.undefines ?? []) cmdText += `#undef ${k}\n`;

  const mainNorm = pp.mainNorm;
  const mainRead = readFile(pp, mainNorm);
  const main = mainRead?.refused === undefined ? mainRead : undefined;
  const mainPathReal = main?.path ?? mainNorm;
  const mainFile: SourceFile = main ? load(pp, mainPathReal, main.text, false).file : { path: mainNorm, text: '' };
  if (!main) {
    pp.files.set(mainNorm, mainFile);
    const at = { file: mainNorm, line: 1, col: 1, offset: 0 };
    if (mainRead?.refused !== undefined) pp.diagnostics.push(diag('pp-include-refused', at, [mainPath, mainRead.refused]));
    else pp.diagnostics.push(diag('pp-include-not-found', at, [mainPath]));
  }

  const units: Frame[] = [];
  units.push(fileFrame(pp, '<built-in>', builtinText, -1, true));
  if (cmdText) units.push(fileFrame(pp, '<command line>', cmdText, -1, true));
  for (const fi of options.forcedIncludes ?? []) {
    // Like `cc -include`: relative to the main file's folder, then the include dirs.
    let got = readFile(pp, joinPath(dirname(mainPathReal), fi));
    let dirIndex = -1;
    for (let d = 0; d < pp.includeDirs.length && (!got || got.refused !== undefined); d++) {
      const next = readFile(pp, joinPath(pp.includeDirs[d], fi));
      if (next && (!got || next.refused === undefined)) {
        got = next;
        dirIndex = d;
      }
    }
    if (!got || got.refused !== undefined) {
      const at = { file: '<command line>', line: 1, col: 1, offset: 0 };
      pp.diagnostics.push(got ? diag('pp-include-refused', at, [fi, got.refused]) : diag('pp-include-not-found', at, [fi]));
      continue;
    }
    units.push(fileFrame(pp, got.path, got.text, dirIndex, false));
  }
  if (main) units.push(fileFrame(pp, mainPathReal, main.text, -1, false));

  for (const u of units) {
    const r: Reader = { stack: [], eof: u.tokens[u.tokens.length - 1] };
    enter(pp, r, u);
    try {
      expandInto(pp, r, out, true);
    } catch (e) {
      // A bug here must not take the language server down: report and stop this unit.
      const at = u.tokens[Math.min(u.pos, u.tokens.length - 1)];
      pp.diagnostics.push(diag('pp-internal-error', tokLoc(at), [String(e)]));
      pp.fileStack.length = 0;
      pp.onStack.clear();
    }
  }

  const lastEof = main ? units[units.length - 1].tokens[units[units.length - 1].tokens.length - 1] : undefined;
  out.push(
    lastEof ?? { kind: TokKind.EOF, text: '', file: mainFile, offset: 0, line: 1, col: 1, space: false, bol: true },
  );

  // The result owns its table, even when nothing changed the caller's.
  const macros = pp.macrosShared ? new Map(pp.macros) : pp.macros;
  const { diagnostics, definitions, files, includes, comments, inactiveLines } = pp;
  return { tokens: out, diagnostics, macros, definitions, files, includes, comments, inactiveLines };
}
