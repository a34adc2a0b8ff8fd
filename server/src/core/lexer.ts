/**
 * The lexer: turns one source file's text into preprocessing tokens
 * (C11 6.4), the input of the preprocessor.
 *
 * Algorithm. One pass over the text with an index and `charCodeAt`, no
 * regular expressions per character. At each step we skip whitespace and
 * comments (remembering whether any was seen, which becomes the next
 * token's `space` flag, and whether a real newline was crossed, which
 * becomes `bol`), then classify the token by its first character:
 * identifier (or a string/char prefix such as `L`, `u8`), pp-number,
 * string or character literal, punctuator (longest match, digraphs mapped to
 * the tokens they stand for), or a lone character of kind `Other` so that
 * nothing is lost. One lexer serves C and C++: `::` is one punctuator (it is
 * never valid C outside C23 attributes, where it means the same) and C++11
 * raw string literals (`R"x(...)x"`) are one string token, so a file lexed
 * once is shared by C and C++ translation units.
 *
 * Line splices (a backslash immediately followed by a newline, optionally
 * with spaces in between as gcc and clang accept) are phase-2 deletions: the
 * scanner steps over them wherever they occur, even inside an identifier or
 * a `/*` marker. A token that contained a splice gets its text rebuilt
 * without it; everything else is one `slice` of the source. `\n`, `\r\n`
 * and a lone `\r` all end a line; token locations are 1-based line/column
 * of the first character of the spelling.
 *
 * Bad input is data: an unterminated comment or literal yields a diagnostic
 * and the lexer carries on. The token array always ends with one EOF token.
 */

import type { Comment } from './preprocess';
import { diag, type Diagnostic } from './diagnostics';
import type { Loc, SourceFile } from './source';
import { TokKind, type Token } from './token';

export interface LexResult {
  tokens: Token[];
  comments: Comment[];
  diagnostics: Diagnostic[];
}

// Character codes used below.
const TAB = 9;
const LF = 10;
const VT = 11;
const FF = 12;
const CR = 13;
const SPACE = 32;
const BANG = 33;
const DQUOTE = 34;
const HASH = 35;
const PERCENT = 37;
const AMP = 38;
const SQUOTE = 39;
const STAR = 42;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const SLASH = 47;
const COLON = 58;
const LT = 60;
const EQ = 61;
const GT = 62;
const BACKSLASH = 92;
const CARET = 94;
const PIPE = 124;

/** Identifier-continue characters: ASCII letters, digits, `_`, `$`, and anything non-ASCII (UCNs in UTF-16). */
const identCont = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  identCont[c] =
    (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 ? 1 : 0;
}

function isIdentStart(c: number): boolean {
  if (c < 128) return identCont[c] === 1 && !(c >= 48 && c <= 57);
  return c > 0x7f && c !== 0xfeff && c !== 0xa0; // false for NaN (end of text)
}

function isIdentCont(c: number): boolean {
  if (c < 128) return identCont[c] === 1;
  return c > 0x7f && c !== 0xfeff && c !== 0xa0;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Prefixes of C++11 raw string literals. */
const rawPrefixes = new Set(['R', 'LR', 'uR', 'UR', 'u8R']);

/** Digraphs (C11 6.4.6p3) are given the text of the token they stand for, so later stages see one spelling. */
const digraphs: Record<string, string> = { '<:': '[', ':>': ']', '<%': '{', '%>': '}', '%:': '#', '%:%:': '##' };

/**
 * Punctuator spellings by their (splice-free) characters, so a punctuator's
 * text is a shared constant instead of a fresh slice of the source.
 */
const punctTexts = new Map<number, string>();
for (const p of [
  '[', ']', '(', ')', '{', '}', '.', '->', '++', '--', '&', '*', '+', '-', '~', '!', '/', '%', '<<', '>>', '<', '>',
  '<=', '>=', '==', '!=', '^', '|', '&&', '||', '?', ':', ';', '...', '=', '*=', '/=', '%=', '+=', '-=', '<<=',
  '>>=', '&=', '^=', '|=', ',', '#', '##', '<:', ':>', '<%', '%>', '%:', '%:%:', '::',
]) {
  let key = 0;
  for (let k = 0; k < p.length; k++) key = key * 128 + p.charCodeAt(k);
  punctTexts.set(key, digraphs[p] ?? p);
}

/** Lexes a whole file. Never throws. */
export function lex(file: SourceFile): LexResult {
  const text = file.text;
  const n = text.length;
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  const diagnostics: Diagnostic[] = [];

  let i = 0;
  let line = 1;
  let lineStart = 0;
  // Set while a splice was stepped over inside the current token.
  let spliced = false;
  // Offset just after the last newline counted in `line` (newlines are seen again after look-ahead).
  let counted = -1;

  if (n > 0 && text.charCodeAt(0) === 0xfeff) i = 1;

  const loc = (offset: number, ln: number, ls: number): Loc => ({
    file: file.path,
    line: ln,
    col: offset - ls + 1,
    offset,
  });

  /**
   * If a line splice starts at `p` (backslash, optional blanks, newline),
   * returns the index after it and advances the line counters; otherwise
   * returns `p` unchanged.
   */
  function splice(p: number): number {
    if (text.charCodeAt(p) !== BACKSLASH) return p;
    let q = p + 1;
    let c = text.charCodeAt(q);
    while (c === SPACE || c === TAB) c = text.charCodeAt(++q);
    if (c === LF) q++;
    else if (c === CR) q += text.charCodeAt(q + 1) === LF ? 2 : 1;
    else return p;
    // Look-ahead may step over the same splice more than once: count its newline once.
    if (q > counted) {
      line++;
      lineStart = q;
      counted = q;
    }
    spliced = true;
    return q;
  }

  /** The character at `p` after any splices; `at` is left pointing at it. */
  let at = 0;
  function peek(p: number): number {
    let c = text.charCodeAt(p);
    while (c === BACKSLASH) {
      const q = splice(p);
      if (q === p) break;
      p = q;
      c = text.charCodeAt(p);
    }
    at = p;
    return c;
  }

  /** Token text from `start` to `end`, with splices removed when the token contained any. */
  function spelling(start: number, end: number): string {
    const raw = text.slice(start, end);
    if (!spliced) return raw;
    return raw.replace(/\\[ \t]*(?:\r\n|\r|\n)/g, '');
  }

  let space = false;
  let bol = true;

  while (true) {
    // Skip whitespace, newlines, splices and comments.
    let c = text.charCodeAt(i);
    if (c === SPACE || c === TAB || c === VT || c === FF) {
      space = true;
      i++;
      continue;
    }
    if (c === LF || c === CR) {
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      if (i > counted) {
        line++;
        lineStart = i;
        counted = i;
      }
      bol = true;
      space = true;
      continue;
    }
    if (c === BACKSLASH) {
      const q = splice(i);
      if (q !== i) {
        i = q;
        continue;
      }
    }
    if (i >= n) break;

    spliced = false;
    const start = i;
    const startLine = line;
    const startLineStart = lineStart;

    if (c === SLASH) {
      const c2 = peek(i + 1);
      if (c2 === SLASH || c2 === STAR) {
        // Comment. A `//` comment ends at a newline that is not spliced.
        let p = at + 1;
        let terminated = true;
        if (c2 === SLASH) {
          while (p < n) {
            const d = text.charCodeAt(p);
            if (d === LF || d === CR) break;
            if (d === BACKSLASH) {
              const q = splice(p);
              if (q !== p) {
                p = q;
                continue;
              }
            }
            p++;
          }
        } else {
          terminated = false;
          while (p < n) {
            const d = text.charCodeAt(p);
            if (d === STAR) {
              const e = peek(p + 1);
              if (e === SLASH) {
                p = at + 1;
                terminated = true;
                break;
              }
              p++;
              continue;
            }
            if (d === LF || d === CR) {
              if (d === CR && text.charCodeAt(p + 1) === LF) p++;
              if (p + 1 > counted) {
                line++;
                lineStart = p + 1;
                counted = p + 1;
              }
            }
            p++;
          }
          if (!terminated) {
            diagnostics.push(diag('lex-unterminated-comment', loc(start, startLine, startLineStart), [], loc(p, line, lineStart)));
          }
        }
        comments.push({ offset: start, end: p, line: startLine, endLine: line, text: text.slice(start, p) });
        i = p;
        space = true;
        continue;
      }
    }

    let kind: TokKind;
    let end: number;
    let canonical: string | undefined;
    // A C++ raw string literal keeps its text exactly, splices included.
    let raw = false;

    if (isIdentStart(c)) {
      // Identifier, or the prefix of a string/char literal.
      let d = peek(i + 1);
      let p = at;
      while (isIdentCont(d)) {
        d = peek(p + 1);
        p = at;
      }
      kind = TokKind.Ident;
      end = p;
      if (d === DQUOTE || d === SQUOTE) {
        const prefix = spliced ? spelling(start, p) : text.slice(start, p);
        if (prefix === 'L' || prefix === 'u' || prefix === 'U' || prefix === 'u8') {
          end = quoted(p, d, start, startLine, startLineStart);
          kind = d === DQUOTE ? TokKind.String : TokKind.Char;
        } else if (d === DQUOTE && !spliced && rawPrefixes.has(prefix)) {
          const rawEnd = rawString(p, start, startLine, startLineStart);
          if (rawEnd > 0) {
            end = rawEnd;
            kind = TokKind.String;
            raw = true;
          }
        }
      }
    } else if (isDigit(c) || (c === DOT && isDigit(peek(i + 1)))) {
      // pp-number: digit or .digit, then [0-9A-Za-z_.] and e+ e- E+ E- p+ p- P+ P-.
      let p = c === DOT ? at + 1 : i + 1;
      let prev = c;
      while (true) {
        const d = peek(p);
        p = at;
        if (isIdentCont(d) || d === DOT) {
          prev = d;
          p++;
        } else if ((d === PLUS || d === MINUS) && (prev === 101 || prev === 69 || prev === 112 || prev === 80)) {
          prev = d;
          p++;
        } else if (d === SQUOTE && isIdentCont(peek(p + 1)) && isDigitSeparatorContext(prev)) {
          // C23 / C++14 digit separator: 1'000'000.
          prev = d;
          p++;
        } else break;
      }
      kind = TokKind.Number;
      end = p;
    } else if (c === DQUOTE || c === SQUOTE) {
      kind = c === DQUOTE ? TokKind.String : TokKind.Char;
      end = quoted(i, c, start, startLine, startLineStart);
    } else {
      const r = punct(i, c);
      if (r > 0) {
        kind = TokKind.Punct;
        end = r;
        if (!spliced) {
          let key = 0;
          for (let k = start; k < end; k++) key = key * 128 + text.charCodeAt(k);
          canonical = punctTexts.get(key) ?? spelling(start, end);
        } else {
          const t = spelling(start, end);
          canonical = digraphs[t] ?? t;
        }
      } else {
        kind = TokKind.Other;
        // Keep a surrogate pair together.
        end = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? i + 2 : i + 1;
      }
    }

    tokens.push({
      kind,
      text: canonical ?? (raw ? text.slice(start, end) : spelling(start, end)),
      file,
      offset: start,
      line: startLine,
      col: start - startLineStart + 1,
      space,
      bol,
    });
    space = false;
    bol = false;
    i = end;
  }

  tokens.push({ kind: TokKind.EOF, text: '', file, offset: n, line, col: n - lineStart + 1, space, bol: true });
  return { tokens, comments, diagnostics };

  /**
   * Scans a C++11 raw string literal `R"delim(...)delim"` whose opening quote
   * is at `p`: no escapes and no splices inside, and it may span lines.
   * Returns the index after the closing quote, or 0 when the delimiter is
   * malformed (then the prefix is lexed as an identifier, as in C).
   */
  function rawString(p: number, start: number, startLine: number, startLineStart: number): number {
    let q = p + 1;
    while (q < n && q - p - 1 <= 16) {
      const c = text.charCodeAt(q);
      if (c === 40 /* ( */) break;
      if (c === SPACE || c === BACKSLASH || c === 41 /* ) */ || c === TAB || c === LF || c === CR || c === DQUOTE) return 0;
      q++;
    }
    if (text.charCodeAt(q) !== 40) return 0;
    const closing = ')' + text.slice(p + 1, q) + '"';
    const close = text.indexOf(closing, q + 1);
    const stop = close < 0 ? n : close + closing.length;
    for (let k = q + 1; k < stop; k++) {
      const c = text.charCodeAt(k);
      if (c === LF || (c === CR && text.charCodeAt(k + 1) !== LF)) {
        line++;
        lineStart = k + 1;
        counted = k + 1;
      }
    }
    if (close < 0) {
      diagnostics.push(diag('lex-unterminated-string', loc(start, startLine, startLineStart), ['"'], loc(n, line, lineStart)));
    }
    return stop;
  }

  /** A `'` is a digit separator only between alphanumerics of a number (not after `e+`). */
  function isDigitSeparatorContext(prev: number): boolean {
    return prev < 128 && identCont[prev] === 1;
  }

  /**
   * Scans a string or character literal whose opening quote is at `p`
   * (after splices). Returns the index after the closing quote, or the end of
   * the line when it is missing (with a diagnostic).
   */
  function quoted(p: number, quote: number, start: number, startLine: number, startLineStart: number): number {
    p++;
    while (true) {
      const d = peek(p);
      p = at;
      if (d === quote) return p + 1;
      if (d === BACKSLASH) {
        // An escape: skip the next (possibly spliced) character.
        const e = peek(p + 1);
        p = at;
        if (e === LF || e === CR || p >= n) break;
        p++;
        continue;
      }
      if (d === LF || d === CR || p >= n) break;
      p++;
    }
    diagnostics.push(
      diag('lex-unterminated-string', loc(start, startLine, startLineStart), [quote === DQUOTE ? '"' : "'"], loc(p, line, lineStart)),
    );
    return p;
  }

  /** Longest punctuator at `p` (first char `c`); returns its end, or 0 if none. */
  function punct(p: number, c: number): number {
    const c1 = peek(p + 1);
    const p1 = at;
    switch (c) {
      case 40: case 41: case 44: case 59: case 63: case 91: case 93: case 123: case 125: case 126: // ( ) , ; ? [ ] { } ~
        return p + 1;
      case DOT:
        if (c1 === DOT) {
          const c2 = peek(p1 + 1);
          if (c2 === DOT) return at + 1;
        }
        return p + 1;
      case MINUS:
        if (c1 === MINUS || c1 === EQ || c1 === GT) return p1 + 1;
        return p + 1;
      case PLUS:
        if (c1 === PLUS || c1 === EQ) return p1 + 1;
        return p + 1;
      case AMP:
        if (c1 === AMP || c1 === EQ) return p1 + 1;
        return p + 1;
      case PIPE:
        if (c1 === PIPE || c1 === EQ) return p1 + 1;
        return p + 1;
      case STAR: case SLASH: case CARET: case EQ: case BANG:
        if (c1 === EQ) return p1 + 1;
        return p + 1;
      case HASH:
        if (c1 === HASH) return p1 + 1;
        return p + 1;
      case COLON:
        if (c1 === GT) return p1 + 1; // :>
        if (c1 === COLON) return p1 + 1; // :: (C++ scope resolution; C23 attribute prefixes)
        return p + 1;
      case PERCENT:
        if (c1 === EQ || c1 === GT) return p1 + 1; // %= %>
        if (c1 === COLON) {
          // %: or %:%:
          const c2 = peek(p1 + 1);
          const p2 = at;
          if (c2 === PERCENT) {
            const c3 = peek(p2 + 1);
            if (c3 === COLON) return at + 1;
          }
          return p1 + 1;
        }
        return p + 1;
      case LT:
      case GT:
        if (c1 === c) {
          const c2 = peek(p1 + 1);
          if (c2 === EQ) return at + 1; // <<= >>=
          return p1 + 1; // << >>
        }
        if (c1 === EQ) return p1 + 1; // <= >=
        if (c === LT && (c1 === COLON || c1 === PERCENT)) return p1 + 1; // <: <%
        return p + 1;
      default:
        return 0;
    }
  }
}
