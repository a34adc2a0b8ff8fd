/**
 * The C preprocessor (STUB: the contract; the algorithm is being written).
 */

import type { Diagnostic } from './diagnostics';
import type { FileHost, Loc, SourceFile } from './source';
import type { Token } from './token';

export interface MacroDef {
  name: string;
  /** Parameter names for function-like macros; undefined for object-like ones. */
  params?: string[];
  /** `...` (or `name...`) as last parameter; its argument is `__VA_ARGS__` (or `name`). */
  variadic: boolean;
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
  cache?: LexCache;
  /** Default 200. */
  maxIncludeDepth?: number;
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

export function preprocess(_mainPath: string, _options: PreprocessOptions): PreprocessResult {
  throw new Error('preprocess: not implemented yet');
}
