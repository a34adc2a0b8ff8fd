/**
 * Preprocessing tokens, shared by the lexer, the preprocessor and the parser.
 *
 * Every token remembers where its spelling lives (`file`, `offset`, `line`,
 * `col`). A token produced by macro expansion also remembers the outermost
 * macro invocation it came from (`expansion`), so diagnostics and hovers can
 * point at the place the user wrote (the macro name in their file) while
 * still naming the macro.
 */

import type { Loc, SourceFile } from './source';

export const enum TokKind {
  Ident,
  Number,
  /** A string literal, with its prefix (L"", u8"" ...) in `text`. */
  String,
  Char,
  Punct,
  /** A character that is not part of any C token (kept so nothing is lost). */
  Other,
  /**
   * `#pragma` / `__pragma(...)` / `_Pragma("...")` that the parser must see
   * (today: `pack`). `args` holds the tokens after the word `pragma`.
   */
  Pragma,
  EOF,
}

export interface Token {
  kind: TokKind;
  text: string;
  file: SourceFile;
  /** 0-based offset of the spelling in `file.text`. */
  offset: number;
  /** 1-based line and column of the spelling. */
  line: number;
  col: number;
  /** Whitespace (or a comment) precedes the token. */
  space: boolean;
  /** First token on its line (after any whitespace). */
  bol: boolean;
  /** Macro names that must not expand this token again (C11 6.10.3.4 hide sets). */
  hide?: ReadonlySet<string>;
  /** For tokens produced by macro expansion: the macro name token of the outermost invocation in real source. */
  expansion?: Token;
  /** For tokens produced by macro expansion: the name of the macro whose body or argument produced it. */
  macro?: string;
  /** For `TokKind.Pragma`: the pragma's tokens (for `#pragma pack(push, 1)`: `pack ( push , 1 )`). */
  args?: Token[];
}

/** The location a user would recognise: the invocation site for expanded tokens. */
export function userLoc(t: Token): Loc {
  const s = t.expansion ?? t;
  return { file: s.file.path, line: s.line, col: s.col, offset: s.offset };
}

/** The location of the spelling itself (inside a macro body for expanded tokens). */
export function spellingLoc(t: Token): Loc {
  return { file: t.file.path, line: t.line, col: t.col, offset: t.offset };
}
