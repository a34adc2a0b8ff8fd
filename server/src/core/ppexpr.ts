/**
 * Evaluation of `#if` / `#elif` controlling expressions (C11 6.10.1).
 *
 * The preprocessor has already replaced `defined X`, `__has_include(...)`
 * and friends by `1`/`0`, macro-expanded the line, and handed us the
 * resulting tokens; any identifier still left evaluates to 0.
 *
 * Algorithm: precedence climbing over the token array. Values are C's
 * `intmax_t`/`uintmax_t` (64-bit), held as BigInt and wrapped with
 * `BigInt.asIntN/asUintN` after every operation; the usual arithmetic
 * conversions make a binary operation unsigned when either operand is.
 * `&&`, `||` and `?:` short-circuit: the side that is not evaluated is
 * still parsed, but cannot divide by zero. Errors never throw out of this
 * module: the first one is returned as a message and the value is 0.
 */

import { TokKind, type Token } from './token';

export interface PPValue {
  value: bigint;
  unsigned: boolean;
}

export interface PPExprResult {
  value: bigint;
  /** A problem that makes the expression invalid (reported as `pp-bad-expression`). */
  error?: string;
  errorToken?: Token;
  /** Set when the expression divided by zero in an evaluated operand. */
  divisionByZero?: Token;
}

class ExprError {
  constructor(
    readonly message: string,
    readonly token: Token | undefined,
  ) {}
}

const ZERO: PPValue = { value: 0n, unsigned: false };
const ONE: PPValue = { value: 1n, unsigned: false };

/** Binary operator precedence (higher binds tighter); absent means "not a binary operator". */
const precedence: Record<string, number> = {
  '*': 10, '/': 10, '%': 10,
  '+': 9, '-': 9,
  '<<': 8, '>>': 8,
  '<': 7, '>': 7, '<=': 7, '>=': 7,
  '==': 6, '!=': 6,
  '&': 5,
  '^': 4,
  '|': 3,
  '&&': 2,
  '||': 1,
};

function wrap(value: bigint, unsigned: boolean): PPValue {
  return { value: unsigned ? BigInt.asUintN(64, value) : BigInt.asIntN(64, value), unsigned };
}

/** Parses the value of a pp-number in `#if` (integer literals only, any C or MSVC suffix). */
export function parseIntegerLiteral(text: string): PPValue | string {
  let s = text.replace(/'/g, '');
  // Strip the suffix: u, l, ll, z in any order/case, and MSVC's i8/i16/i32/i64/ui64.
  const m = /^(.*?)((?:[uU](?:ll|LL|[lLzZ])?|(?:ll|LL|[lLzZ])[uU]?|[uU]?[iI](?:8|16|32|64|128))?)$/.exec(s);
  let suffix = '';
  if (m) {
    s = m[1];
    suffix = m[2];
  }
  let digits = s;
  let radix = 10;
  if (/^0[xX]/.test(s)) {
    radix = 16;
    digits = s.slice(2);
    if (!/^[0-9a-fA-F]+$/.test(digits)) return `invalid integer constant '${text}'`;
  } else if (/^0[bB]/.test(s)) {
    radix = 2;
    digits = s.slice(2);
    if (!/^[01]+$/.test(digits)) return `invalid integer constant '${text}'`;
  } else if (/^0[0-7]*$/.test(s)) {
    radix = 8;
  } else if (!/^[0-9]+$/.test(s)) {
    if (/^[0-9]*\.|^[0-9]+[eE]/.test(text)) return `floating constant '${text}' in preprocessor expression`;
    return `invalid integer constant '${text}'`;
  }
  let value = 0n;
  const big = BigInt(radix);
  for (let i = 0; i < digits.length; i++) value = value * big + BigInt(parseInt(digits[i], radix));
  let unsigned = /[uU]/.test(suffix);
  // A literal too large for intmax_t is unsigned (clang warns for decimal ones).
  if (value > 0x7fffffffffffffffn) unsigned = true;
  return wrap(value, unsigned);
}

const simpleEscapes: Record<string, number> = {
  n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, e: 27, '\\': 92, "'": 39, '"': 34, '?': 63,
};

/**
 * A character constant's prefix and code points, escapes decoded (`'\n'`,
 * `'\x41'`, `'\101'`, `'\u00e9'`); a message for a malformed one. Shared by
 * `#if` evaluation and the parser's constant expressions.
 */
export function decodeCharConstant(text: string): { prefix: string; chars: number[] } | string {
  const q = text.indexOf("'");
  const prefix = text.slice(0, q);
  const body = text.slice(q + 1, text.endsWith("'") && text.length > q + 1 ? -1 : undefined);
  const chars: number[] = [];
  for (let i = 0; i < body.length; ) {
    const c = body[i];
    if (c !== '\\') {
      const cp = body.codePointAt(i)!;
      chars.push(cp);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) return `invalid character constant ${text}`;
    if (e in simpleEscapes) {
      chars.push(simpleEscapes[e]);
      i += 2;
    } else if (e === 'x') {
      let j = i + 2;
      while (j < body.length && /[0-9a-fA-F]/.test(body[j])) j++;
      chars.push(parseInt(body.slice(i + 2, j) || '0', 16));
      i = j;
    } else if (e >= '0' && e <= '7') {
      let j = i + 1;
      while (j < body.length && j < i + 4 && body[j] >= '0' && body[j] <= '7') j++;
      chars.push(parseInt(body.slice(i + 1, j), 8));
      i = j;
    } else if (e === 'u' || e === 'U') {
      const len = e === 'u' ? 4 : 8;
      chars.push(parseInt(body.slice(i + 2, i + 2 + len) || '0', 16));
      i += 2 + len;
    } else {
      chars.push(body.charCodeAt(i + 1));
      i += 2;
    }
  }
  return { prefix, chars };
}

/** The value of a character constant: `'a'`, `'\n'`, `'\x41'`, `L'x'`, multi-char `'ab'`. */
export function parseCharLiteral(text: string): PPValue | string {
  const decoded = decodeCharConstant(text);
  if (typeof decoded === 'string') return decoded;
  const { prefix, chars } = decoded;
  if (chars.length === 0) return 'empty character constant';
  if (prefix === '') {
    // A plain char is signed (MSVC and clang default); multi-char constants pack into an int.
    if (chars.length === 1) return wrap(BigInt((chars[0] << 24) >> 24), false);
    let v = 0;
    for (const ch of chars) v = ((v << 8) | (ch & 0xff)) | 0;
    return wrap(BigInt(v), false);
  }
  const last = chars[chars.length - 1];
  if (prefix === 'L' || prefix === 'u') return wrap(BigInt(last & 0xffff), false);
  if (prefix === 'u8') return wrap(BigInt(last & 0xff), false);
  return wrap(BigInt(last >>> 0), false); // U
}

/** Evaluates a fully expanded `#if` expression. Never throws. */
export function evaluate(tokens: readonly Token[]): PPExprResult {
  let pos = 0;
  let divisionByZero: Token | undefined;

  const peek = (): Token | undefined => tokens[pos];
  const isPunct = (t: Token | undefined, s: string) => t !== undefined && t.kind === TokKind.Punct && t.text === s;

  function primary(live: boolean): PPValue {
    const t = tokens[pos];
    if (t === undefined || t.kind === TokKind.EOF) throw new ExprError('expected value in expression', t ?? tokens[tokens.length - 1]);
    pos++;
    switch (t.kind) {
      case TokKind.Number: {
        const v = parseIntegerLiteral(t.text);
        if (typeof v === 'string') throw new ExprError(v, t);
        return v;
      }
      case TokKind.Char: {
        const v = parseCharLiteral(t.text);
        if (typeof v === 'string') throw new ExprError(v, t);
        return v;
      }
      case TokKind.Ident:
        // A function-like use of an unknown identifier (`FOO(1)`) is an error in clang.
        if (isPunct(peek(), '(')) throw new ExprError(`function-like macro '${t.text}' is not defined`, t);
        return ZERO;
      case TokKind.Punct:
        switch (t.text) {
          case '(': {
            const v = comma(live);
            if (!isPunct(peek(), ')')) throw new ExprError("expected ')'", peek());
            pos++;
            return v;
          }
          case '+':
            return primary(live);
          case '-': {
            const v = primary(live);
            return wrap(-v.value, v.unsigned);
          }
          case '~': {
            const v = primary(live);
            return wrap(~v.value, v.unsigned);
          }
          case '!':
            return primary(live).value === 0n ? ONE : ZERO;
        }
    }
    throw new ExprError(`unexpected token '${t.text}'`, t);
  }

  function binary(minPrec: number, live: boolean): PPValue {
    let lhs = primary(live);
    while (true) {
      const t = peek();
      if (t === undefined || t.kind !== TokKind.Punct) return lhs;
      const prec = precedence[t.text];
      if (prec === undefined || prec < minPrec) return lhs;
      pos++;
      const op = t.text;
      if (op === '&&') {
        const rhs = binary(prec + 1, live && lhs.value !== 0n);
        lhs = lhs.value !== 0n && rhs.value !== 0n ? ONE : ZERO;
        continue;
      }
      if (op === '||') {
        const rhs = binary(prec + 1, live && lhs.value === 0n);
        lhs = lhs.value !== 0n || rhs.value !== 0n ? ONE : ZERO;
        continue;
      }
      const rhs = binary(prec + 1, live);
      lhs = apply(op, lhs, rhs, live, t);
    }
  }

  function apply(op: string, a: PPValue, b: PPValue, live: boolean, t: Token): PPValue {
    const unsigned = a.unsigned || b.unsigned;
    // Convert both operands to the common type first.
    const x = unsigned ? BigInt.asUintN(64, a.value) : a.value;
    const y = unsigned ? BigInt.asUintN(64, b.value) : b.value;
    switch (op) {
      case '*': return wrap(x * y, unsigned);
      case '/':
      case '%':
        if (y === 0n) {
          if (live && divisionByZero === undefined) divisionByZero = t;
          return wrap(0n, unsigned);
        }
        return wrap(op === '/' ? x / y : x % y, unsigned);
      case '+': return wrap(x + y, unsigned);
      case '-': return wrap(x - y, unsigned);
      case '<<': {
        // The result has the type of the (promoted) left operand.
        const n = BigInt.asUintN(64, b.value) & 63n;
        return wrap(a.value << n, a.unsigned);
      }
      case '>>': {
        const n = BigInt.asUintN(64, b.value) & 63n;
        return wrap(a.value >> n, a.unsigned);
      }
      case '<': return x < y ? ONE : ZERO;
      case '>': return x > y ? ONE : ZERO;
      case '<=': return x <= y ? ONE : ZERO;
      case '>=': return x >= y ? ONE : ZERO;
      case '==': return x === y ? ONE : ZERO;
      case '!=': return x !== y ? ONE : ZERO;
      case '&': return wrap(x & y, unsigned);
      case '^': return wrap(x ^ y, unsigned);
      case '|': return wrap(x | y, unsigned);
    }
    return ZERO;
  }

  function conditional(live: boolean): PPValue {
    const cond = binary(1, live);
    if (!isPunct(peek(), '?')) return cond;
    pos++;
    const taken = cond.value !== 0n;
    const a = comma(live && taken);
    if (!isPunct(peek(), ':')) throw new ExprError("expected ':' in conditional expression", peek());
    pos++;
    const b = conditional(live && !taken);
    const unsigned = a.unsigned || b.unsigned;
    return wrap(taken ? a.value : b.value, unsigned);
  }

  function comma(live: boolean): PPValue {
    let v = conditional(live);
    while (isPunct(peek(), ',')) {
      pos++;
      v = conditional(live);
    }
    return v;
  }

  try {
    const v = comma(true);
    const rest = peek();
    if (rest !== undefined && rest.kind !== TokKind.EOF) {
      return { value: 0n, error: `token '${rest.text}' is not valid in preprocessor expressions`, errorToken: rest };
    }
    if (divisionByZero) return { value: 0n, divisionByZero };
    return { value: v.value };
  } catch (e) {
    if (e instanceof ExprError) return { value: 0n, error: e.message, errorToken: e.token };
    // Deep nesting can overflow the stack; that is bad input, not a crash.
    return { value: 0n, error: 'expression too complex' };
  }
}
