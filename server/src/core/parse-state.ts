/**
 * The declaration parser's cursor and shared state, split out so the
 * expression parser (`parse-expr.ts`) and the declaration parser
 * (`parser.ts`) can both walk the same token array.
 *
 * The cursor is an index into an array of tokens from which `#pragma` tokens
 * have already been removed (their effect, the `#pragma pack` value, is kept
 * per token in `packAt`). Reading past the end always yields the final EOF
 * token, so no parse function ever indexes out of bounds.
 */

import type { CType, Expr, RecordDecl, TranslationUnit } from './ast';
import { diag, type Diagnostic, type MessageCode } from './diagnostics';
import type { CxxState } from './parse-cxx';
import type { Loc } from './source';
import { TokKind, type Token, userLoc } from './token';

export interface ParserState {
  toks: Token[];
  /**
   * `kinds[i]` and `texts[i]` mirror `toks[i].kind` and `toks[i].text` in
   * flat arrays: hot loops read these instead of the token objects, whose
   * shapes vary (macro-expanded tokens carry extra fields).
   */
  kinds: Uint8Array;
  texts: string[];
  /** Index of the EOF token (the last one). */
  last: number;
  pos: number;
  /** `#pragma pack` value in effect before each token (0 = none). */
  packAt: Uint8Array;
  unit: TranslationUnit;
  diagnostics: Diagnostic[];
  fallback?: TranslationUnit;
  /** Set once the current declaration has reported a syntax error, so one bad declaration yields one diagnostic. */
  errored: boolean;
  /** Parameter scopes: names declared there hide typedef names of the same spelling. */
  paramScopes: Set<string>[];
  /** Where a record body was found to lack its `}` (a `typedef` inside it): enclosing bodies end there too. */
  abortAt: number;
  /** How many record bodies enclose the cursor (records defined inside one are `nested`). */
  recordDepth: number;
  /** Parentheses, operators, declarators and record bodies open around the cursor (see `nest`). */
  nesting: number;
  /** Records whose body is being parsed, innermost last. */
  openRecords: RecordDecl[];
  nextRecordId: number;
  nextEnumId: number;
  /** The keyword table of the unit's language (C++ adds `class`, `namespace`, `bool` ...; its values are parser.ts's `K`). */
  keywords: ReadonlyMap<string, number>;
  /** Hooks the expression parser uses for casts, `sizeof(type)` and friends. */
  isTypeStart(s: ParserState, t: Token): boolean;
  parseTypeName(s: ParserState): CType;
  /** C++ units only: scopes, templates and the `>>` splitting state (parse-cxx.ts). */
  cxx?: CxxState;
  /**
   * C++: an identifier (or `::`) at the start of a primary expression:
   * qualified constants, `true`/`false`/`nullptr`, `static_cast<T>(e)`,
   * functional casts. Undefined when it is not one of those.
   */
  cxxPrimary?(s: ParserState): Expr | undefined;
  /** Set while reading a template argument: a `>` at this level ends the expression instead of comparing. */
  noGreater?: boolean;
}

/**
 * How deep parentheses, operators, declarators and record bodies may nest
 * (clang's default `-fbracket-depth`). Every later stage walks the model
 * recursively; this bounds its depth, so nothing downstream can run out of
 * stack. Longer chains of binary operators (`1+1+...`) are bounded by
 * `maxOperators`.
 */
export const maxNesting = 256;
/** Binary operators one expression may chain (its tree is as deep as the chain). */
export const maxOperators = 1000;

/** Thrown past a limit; the declaration parser reports it and skips the declaration. */
export class ParseLimit extends Error {
  constructor(readonly at: Token, readonly what: string) {
    super(what);
  }
}

/** Opens one level of nesting at the current token (close it with `unnest`), or throws `ParseLimit`. */
export function nest(s: ParserState): void {
  if (++s.nesting > maxNesting) {
    s.nesting = 0;
    throw new ParseLimit(cur(s), `nested more than ${maxNesting} levels deep (parentheses, operators, declarators or records)`);
  }
}

export function unnest(s: ParserState): void {
  if (s.nesting > 0) s.nesting--;
}

export function cur(s: ParserState): Token {
  return s.toks[s.pos];
}

export function peekAt(s: ParserState, k: number): Token {
  const i = s.pos + k;
  return s.toks[i < s.last ? i : s.last];
}

export function advance(s: ParserState): Token {
  const t = s.toks[s.pos];
  if (s.pos < s.last) s.pos++;
  return t;
}

/** The current token is the punctuator `text`. */
export function atPunct(s: ParserState, text: string): boolean {
  return s.kinds[s.pos] === TokKind.Punct && s.texts[s.pos] === text;
}

/** The token `k` ahead is the punctuator `text`. */
export function peekPunct(s: ParserState, k: number, text: string): boolean {
  const i = Math.min(s.pos + k, s.last);
  return s.kinds[i] === TokKind.Punct && s.texts[i] === text;
}

export function isPunct(t: Token, text: string): boolean {
  return t.kind === TokKind.Punct && t.text === text;
}

export function atEOF(s: ParserState): boolean {
  return s.pos >= s.last;
}

/** Consumes `text` if it is next; returns whether it did. */
export function accept(s: ParserState, text: string): boolean {
  if (s.kinds[s.pos] === TokKind.Punct && s.texts[s.pos] === text) {
    if (s.pos < s.last) s.pos++;
    return true;
  }
  return false;
}

export function locOf(t: Token): Loc {
  return userLoc(t);
}

/** The exclusive end of a token, at the place a user would recognise. */
export function endOf(t: Token): Loc {
  if (t.expansion) {
    const e = t.expansion;
    return { file: e.file.path, line: e.line, col: e.col + e.text.length, offset: e.offset + e.text.length };
  }
  if (t.kind === TokKind.EOF) return { file: t.file.path, line: t.line, col: t.col, offset: t.offset };
  return { file: t.file.path, line: t.line, col: t.col + t.text.length, offset: t.offset + t.text.length };
}

export function describe(t: Token): string {
  return t.kind === TokKind.EOF ? 'end of file' : t.text;
}

/** Records a diagnostic unless the current declaration already has a syntax error. */
export function syntaxError(s: ParserState, code: MessageCode, t: Token, args: (string | number)[]): void {
  if (s.errored) return;
  s.errored = true;
  s.diagnostics.push(diag(code, locOf(t), args, endOf(t)));
}

/** `expected X but found Y`, once per declaration. */
export function expected(s: ParserState, what: string): void {
  const t = cur(s);
  syntaxError(s, 'parse-expected', t, [what, describe(t)]);
}

/** Consumes `text` or reports it missing (without consuming anything). */
export function expect(s: ParserState, text: string): boolean {
  if (accept(s, text)) return true;
  expected(s, `'${text}'`);
  return false;
}

/**
 * Skips a balanced `( ... )`, `[ ... ]` or `{ ... }` group starting at the
 * current token (which must be the opener); stops at EOF.
 */
export function skipBalanced(s: ParserState): void {
  let depth = 0;
  const kinds = s.kinds;
  const texts = s.texts;
  for (;;) {
    const kind = kinds[s.pos];
    if (kind === TokKind.EOF) return;
    if (kind === TokKind.Punct) {
      const c = texts[s.pos];
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') {
        depth--;
        if (depth <= 0) {
          s.pos++;
          return;
        }
      }
    }
    s.pos++;
  }
}

/** The spelling of tokens `from..to-1`, single spaces where the source had white space. */
export function tokensText(s: ParserState, from: number, to: number): string {
  let out = '';
  for (let i = from; i < to && i < s.last; i++) {
    const t = s.toks[i];
    if (out.length > 0 && t.space) out += ' ';
    out += t.text;
  }
  return out;
}
