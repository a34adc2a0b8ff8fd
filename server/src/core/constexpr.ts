/**
 * Integer constants: the one place that knows how C reads an integer or
 * character literal and what `+`, `<<`, `/`, `?:` ... do to typed values,
 * and the one evaluator of constant expressions written as tokens.
 *
 * Values are BigInts tagged with a C integer type (`IntType`: width in bits
 * and signedness), and every operation follows C's rules as clang applies
 * them to `*-pc-windows-msvc`: integer promotions, the usual arithmetic
 * conversions (so `-1 < 0u` is 0 but `-1LL < 0u` is 1), wrap-around on
 * overflow (as clang folds it).
 *
 * Two sets of rules (`Rules`), one for each place constants are written:
 *
 * - `c`: C's, with a 32-bit `int`: array bounds, enumerators and
 *   `C_ASSERT`s (consteval.ts evaluates their `Expr` trees per ABI with
 *   `unaryOp`/`binaryOp`), `__declspec(align(n))`, control codes built by
 *   `CTL_CODE` and the values hovers show (`evaluateTokens` over the
 *   expanded tokens). A shift by the operand's width or more is not a
 *   constant; a parenthesised type name is a cast.
 * - `if`: the preprocessor's (C11 6.10.1): every value is `intmax_t` or
 *   `uintmax_t` (64-bit), an identifier left after expansion is 0, a shift
 *   by 64 or more gives 0 (clang warns and folds it so), and a division by
 *   zero in an operand that is not evaluated (`0 && 1/0`) is no error.
 *
 * `evaluateTokens` is precedence climbing over the token array. It never
 * throws: a problem is returned as a message with the token it is at.
 */

import { TokKind, type Token } from './token';

/** A C integer type, reduced to what arithmetic needs. */
export interface IntType {
  bits: number;
  signed: boolean;
  /** `_Bool`: conversion to it gives 0 or 1. */
  bool?: boolean;
}

export interface IntValue {
  value: bigint;
  type: IntType;
}

/** `int` under the Microsoft ABIs (and the type of comparisons in C). */
export const intType: IntType = { bits: 32, signed: true };
const intmax: IntType = { bits: 64, signed: true };
const uintmax: IntType = { bits: 64, signed: false };

export type RulesName = 'c' | 'if';

/** The rules constants are evaluated under (see the file comment). */
export interface Rules {
  name: RulesName;
  /** The type of `!x`, comparisons and `&&`; the width below which operands are promoted. */
  int: IntType;
}

export const cRules: Rules = { name: 'c', int: intType };
export const ifRules: Rules = { name: 'if', int: intmax };

/** Reduces `value` to the range of `type` (two's complement wrap-around, as clang folds it). */
export function convert(value: bigint, type: IntType): bigint {
  if (type.bool) return value !== 0n ? 1n : 0n;
  return type.signed ? BigInt.asIntN(type.bits, value) : BigInt.asUintN(type.bits, value);
}

/** Integer promotion: anything narrower than the rules' int becomes int. */
export function promote(type: IntType, rules: Rules = cRules): IntType {
  return type.bits < rules.int.bits || type.bool ? rules.int : type;
}

/** The usual arithmetic conversions, by width and signedness (long is as wide as int on Windows). */
export function common(a: IntType, b: IntType, rules: Rules = cRules): IntType {
  const x = promote(a, rules);
  const y = promote(b, rules);
  if (x.signed === y.signed) return x.bits >= y.bits ? x : y;
  const unsigned = x.signed ? y : x;
  const signed = x.signed ? x : y;
  return unsigned.bits >= signed.bits ? unsigned : signed;
}

// ---------------------------------------------------------------------------
// Literals

/** The suffix of an integer literal: `u`, `l`, `ll`, `z` in any order and case, MSVC's `i8` ... `i64`, `ui64`. */
const suffixRe = /^(.*?)((?:[uU](?:ll|LL|[lLzZ])?|(?:ll|LL|[lLzZ])[uU]?|[uU]?[iI](?:8|16|32|64|128))?)$/;

/**
 * Reads an integer literal (decimal, `0x`, `0b`, octal, `'` digit
 * separators, any C or MSVC suffix): its exact value and its spelling's
 * parts, or a message for a malformed or floating one.
 */
function readIntegerLiteral(text: string): { value: bigint; suffix: string; decimal: boolean } | string {
  const m = suffixRe.exec(text.replace(/'/g, ''))!;
  const s = m[1];
  const suffix = m[2];
  let digits = s;
  let radix = 16;
  if (/^0[xX]/.test(s)) digits = s.slice(2);
  else if (/^0[bB]/.test(s)) {
    radix = 2;
    digits = s.slice(2);
  } else if (/^0[0-7]*$/.test(s)) radix = 8;
  else if (/^[0-9]+$/.test(s)) radix = 10;
  else {
    if (/^[0-9]*\.|^[0-9]+[eE]/.test(text)) return `floating constant '${text}' in an integer expression`;
    return `invalid integer constant '${text}'`;
  }
  const valid = radix === 16 ? /^[0-9a-fA-F]+$/ : radix === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (radix !== 8 && !valid.test(digits)) return `invalid integer constant '${text}'`;
  let value = 0n;
  const big = BigInt(radix);
  for (let i = 0; i < digits.length; i++) value = value * big + BigInt(parseInt(digits[i], radix));
  return { value, suffix: suffix.toLowerCase(), decimal: radix === 10 && s !== '0' };
}

/**
 * The C type of an integer literal from its value and, when known, its
 * spelling: the first of int, unsigned int, long long, unsigned long long
 * that holds it (unsigned ones only for `u` suffixes and non-decimal
 * spellings; `ll`/`i64` start at long long). Without a spelling the value
 * is typed as a hex literal would be.
 */
export function literalType(value: bigint, text?: string): IntType {
  if (text === undefined && value >= 0n && value <= 0x7fffffffn) return intType;
  let suffixUnsigned = false;
  let minBits = 32;
  let decimal = false;
  if (text !== undefined) {
    const read = readIntegerLiteral(text);
    if (typeof read !== 'string') {
      suffixUnsigned = read.suffix.includes('u');
      if (read.suffix.includes('ll') || read.suffix.includes('i64')) minBits = 64;
      decimal = read.decimal;
    }
  }
  const fits = (bits: number, signed: boolean): boolean =>
    value >= 0n && value <= (signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n);
  for (const bits of [32, 64]) {
    if (bits < minBits) continue;
    if (!suffixUnsigned && fits(bits, true)) return { bits, signed: true };
    if ((suffixUnsigned || !decimal) && fits(bits, false)) return { bits, signed: false };
  }
  return uintmax;
}

/**
 * An integer literal as a typed value under `rules`: C's literal types, or,
 * in `#if`, `intmax_t` unless it has a `u` suffix or does not fit (then
 * `uintmax_t`). A message for a malformed literal.
 */
export function integerLiteral(text: string, rules: Rules = cRules): IntValue | string {
  const read = readIntegerLiteral(text);
  if (typeof read === 'string') return read;
  if (rules.name === 'if') {
    const type = read.suffix.includes('u') || read.value > 0x7fffffffffffffffn ? uintmax : intmax;
    return { value: convert(read.value, type), type };
  }
  const type = literalType(read.value, text);
  return { value: convert(read.value, type), type };
}

/** The exact value of an integer literal (no type, no wrap), or undefined for a malformed one. */
export function integerLiteralValue(text: string): bigint | undefined {
  const read = readIntegerLiteral(text);
  return typeof read === 'string' ? undefined : read.value;
}

const simpleEscapes: Record<string, number> = {
  n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, e: 27, '\\': 92, "'": 39, '"': 34, '?': 63,
};

/**
 * A character constant's prefix and code points, escapes decoded (`'\n'`,
 * `'\x41'`, `'\101'`, `'\u00e9'`); a message for a malformed one.
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

/**
 * The value of a character constant: `'a'`, `'\n'`, `L'x'`, and MSVC
 * multi-character constants such as the pool tag `'gaTP'` (the characters
 * packed big-endian into an int). A plain char is signed under the
 * Microsoft ABIs (`'\xff'` is -1). Typed `int` (`intmax_t` in `#if`).
 */
export function charLiteral(text: string, rules: Rules = cRules): IntValue | string {
  const decoded = decodeCharConstant(text);
  if (typeof decoded === 'string') return decoded;
  const { prefix, chars } = decoded;
  if (chars.length === 0) return 'empty character constant';
  let v: number;
  if (prefix === '') {
    if (chars.length === 1) v = (chars[0] << 24) >> 24;
    else {
      v = 0;
      for (const ch of chars) v = ((v << 8) | (ch & 0xff)) | 0;
    }
  } else {
    const last = chars[chars.length - 1];
    v = prefix === 'L' || prefix === 'u' ? last & 0xffff : prefix === 'u8' ? last & 0xff : last >>> 0;
  }
  const type = rules.name === 'if' ? intmax : intType;
  return { value: BigInt(v), type };
}

// ---------------------------------------------------------------------------
// Operators

/** Why an operation has no value. */
export type OpError = { kind: 'division-by-zero' } | { kind: 'shift-count'; count: bigint; bits: number };

export function isOpError(r: IntValue | OpError): r is OpError {
  return 'kind' in r;
}

const bool = (c: boolean, rules: Rules): IntValue => ({ value: c ? 1n : 0n, type: rules.int });

/** `-x`, `+x`, `~x`, `!x`. */
export function unaryOp(op: string, arg: IntValue, rules: Rules = cRules): IntValue {
  if (op === '!') return bool(arg.value === 0n, rules);
  const type = promote(arg.type, rules);
  const v = convert(arg.value, type);
  switch (op) {
    case '-':
      return { value: convert(-v, type), type };
    case '~':
      return { value: convert(~v, type), type };
    default:
      return { value: v, type };
  }
}

/**
 * A binary operator other than `&&`, `||` and `,` (whose operands decide
 * what is evaluated), on two values; an `OpError` when it has no value.
 * Undefined for an operator that is not an integer operator.
 */
export function binaryOp(op: string, left: IntValue, right: IntValue, rules: Rules = cRules): IntValue | OpError | undefined {
  if (op === '<<' || op === '>>') {
    // The result has the type of the promoted left operand.
    const type = promote(left.type, rules);
    const count = right.type.signed ? right.value : convert(right.value, right.type);
    const v = convert(left.value, type);
    if (count < 0n || count >= BigInt(type.bits)) {
      if (rules.name === 'c') return { kind: 'shift-count', count, bits: type.bits };
      return { value: op === '>>' && v < 0n ? -1n : 0n, type };
    }
    return { value: convert(op === '<<' ? v << count : v >> count, type), type };
  }
  const type = common(left.type, right.type, rules);
  const a = convert(left.value, type);
  const b = convert(right.value, type);
  switch (op) {
    case '+':
      return { value: convert(a + b, type), type };
    case '-':
      return { value: convert(a - b, type), type };
    case '*':
      return { value: convert(a * b, type), type };
    case '/':
    case '%':
      if (b === 0n) return { kind: 'division-by-zero' };
      // BigInt division truncates toward zero, as C does.
      return { value: convert(op === '/' ? a / b : a % b, type), type };
    case '&':
      return { value: convert(a & b, type), type };
    case '|':
      return { value: convert(a | b, type), type };
    case '^':
      return { value: convert(a ^ b, type), type };
    case '<':
      return bool(a < b, rules);
    case '>':
      return bool(a > b, rules);
    case '<=':
      return bool(a <= b, rules);
    case '>=':
      return bool(a >= b, rules);
    case '==':
      return bool(a === b, rules);
    case '!=':
      return bool(a !== b, rules);
    default:
      return undefined;
  }
}

/** `a ? b : c`: the chosen arm converted to the type both arms make. */
export function conditionalOp(test: IntValue, then: IntValue, otherwise: IntValue | undefined, rules: Rules = cRules): IntValue {
  const chosen = test.value !== 0n ? then : (otherwise ?? then);
  const type = otherwise ? common(then.type, otherwise.type, rules) : promote(chosen.type, rules);
  return { value: convert(chosen.value, type), type };
}

/** The message for an operation without a value. */
export function opErrorMessage(e: OpError): string {
  return e.kind === 'division-by-zero' ? 'division by zero' : `shift count ${e.count} is out of range for a ${e.bits}-bit operand`;
}

// ---------------------------------------------------------------------------
// Expressions written as tokens

/** Binary operator precedence, higher binds tighter; absent means "not a binary operator". */
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

export interface TokenEvalOptions {
  rules: Rules;
  /**
   * `c` rules: the value of an identifier (an enumerator ...); undefined:
   * not a constant. `true` and `false` are 1 and 0 without asking.
   */
  name?(token: Token): IntValue | undefined;
  /**
   * `c` rules: what a parenthesised run of identifiers and `*`s followed by
   * an operand casts to: an integer type, or `null` for a cast that keeps
   * the value (a pointer, or a type name not known here). The default
   * keeps every value, as a macro's casts to `ULONG` or `DWORD` do.
   */
  castType?(words: readonly Token[]): IntType | null;
}

export interface TokenEvalResult {
  /** Undefined when the expression has no value (see `error`). */
  value?: IntValue;
  error?: string;
  errorToken?: Token;
  /** `if` rules: the first division by zero in an evaluated operand (`error` is set too). */
  divisionByZero?: Token;
}

class EvalError {
  constructor(
    readonly message: string,
    readonly token: Token | undefined,
  ) {}
}

const isPunct = (t: Token | undefined, s: string) => t !== undefined && t.kind === TokKind.Punct && t.text === s;

/** Evaluates tokens (already macro-expanded) as an integer constant expression. Never throws. */
export function evaluateTokens(input: readonly Token[], options: TokenEvalOptions): TokenEvalResult {
  const rules = options.rules;
  const tokens = input.length > 0 && input[input.length - 1].kind === TokKind.EOF ? input.slice(0, -1) : input;
  let pos = 0;
  let divisionByZero: Token | undefined;
  const zero: IntValue = { value: 0n, type: rules.int };
  const peek = (): Token | undefined => tokens[pos];
  const fail = (message: string, t: Token | undefined): never => {
    throw new EvalError(message, t ?? tokens[tokens.length - 1]);
  };
  const literal = (r: IntValue | string, t: Token): IntValue => (typeof r === 'string' ? fail(r, t) : r);

  const operandStart = (t: Token | undefined): boolean =>
    t !== undefined && (t.kind === TokKind.Number || t.kind === TokKind.Char || t.kind === TokKind.Ident || ['(', '~', '!', '-', '+'].includes(t.text));

  /** `c` rules: just after a `(`, the index after a cast's `)`, or -1 when it is no cast. */
  function castEnd(): number {
    let j = pos;
    let sawName = false;
    for (; j < tokens.length; j++) {
      const t = tokens[j];
      if (t.kind === TokKind.Ident) sawName = true;
      else if (!isPunct(t, '*')) break;
    }
    return sawName && isPunct(tokens[j], ')') && operandStart(tokens[j + 1]) ? j + 1 : -1;
  }

  function primary(live: boolean): IntValue {
    const t = tokens[pos];
    if (t === undefined) return fail('expected value in expression', t);
    pos++;
    switch (t.kind) {
      case TokKind.Number:
        return literal(integerLiteral(t.text, rules), t);
      case TokKind.Char:
        return literal(charLiteral(t.text, rules), t);
      case TokKind.Ident:
        if (rules.name === 'if') {
          // A function-like use of an unknown identifier (`FOO(1)`) is an error in clang.
          if (isPunct(peek(), '(')) fail(`function-like macro '${t.text}' is not defined`, t);
          return zero;
        }
        if (t.text === 'true' || t.text === 'false') return { value: t.text === 'true' ? 1n : 0n, type: intType };
        return options.name?.(t) ?? fail(`'${t.text}' is not a constant`, t);
      case TokKind.Punct:
        switch (t.text) {
          case '(': {
            if (rules.name === 'c') {
              const after = castEnd();
              // `(NAME) - 1` where NAME has a value is a parenthesised operand, not a cast.
              if (after >= 0 && !(after === pos + 2 && options.name?.(tokens[pos]) !== undefined)) {
                const words = tokens.slice(pos, after - 1);
                pos = after;
                const v = unary(live);
                const type = options.castType ? options.castType(words) : null;
                return type ? { value: convert(v.value, type), type } : v;
              }
            }
            const v = comma(live);
            if (!isPunct(peek(), ')')) fail("expected ')'", peek());
            pos++;
            return v;
          }
          case '+':
          case '-':
          case '~':
          case '!':
            return unaryOp(t.text, unary(live), rules);
        }
    }
    return fail(`unexpected token '${t.text}'`, t);
  }

  function unary(live: boolean): IntValue {
    return primary(live);
  }

  function binary(minPrec: number, live: boolean): IntValue {
    let lhs = unary(live);
    for (;;) {
      const t = peek();
      if (t === undefined || t.kind !== TokKind.Punct) return lhs;
      const prec = precedence[t.text];
      if (prec === undefined || prec < minPrec) return lhs;
      pos++;
      const op = t.text;
      if (op === '&&' || op === '||') {
        // The right operand is parsed either way, but only evaluated when the left does not decide.
        const decided = op === '&&' ? lhs.value === 0n : lhs.value !== 0n;
        const rhs = binary(prec + 1, live && !decided);
        lhs = { value: (op === '&&' ? !decided && rhs.value !== 0n : decided || rhs.value !== 0n) ? 1n : 0n, type: rules.int };
        continue;
      }
      const rhs = binary(prec + 1, live);
      const r = binaryOp(op, lhs, rhs, rules)!;
      if (isOpError(r)) {
        if (!live) lhs = { value: 0n, type: common(lhs.type, rhs.type, rules) };
        else if (r.kind === 'division-by-zero' && rules.name === 'if') {
          divisionByZero ??= t;
          lhs = { value: 0n, type: common(lhs.type, rhs.type, rules) };
        } else fail(opErrorMessage(r), t);
      } else lhs = r;
    }
  }

  function conditional(live: boolean): IntValue {
    const test = binary(1, live);
    if (!isPunct(peek(), '?')) return test;
    pos++;
    const taken = test.value !== 0n;
    const a = comma(live && taken);
    if (!isPunct(peek(), ':')) fail("expected ':' in conditional expression", peek());
    pos++;
    const b = conditional(live && !taken);
    return conditionalOp(test, a, b, rules);
  }

  function comma(live: boolean): IntValue {
    let v = conditional(live);
    while (isPunct(peek(), ',')) {
      pos++;
      v = conditional(live);
    }
    return v;
  }

  try {
    if (tokens.length === 0) fail('expected value in expression', input[0]);
    const v = comma(true);
    const rest = peek();
    if (rest !== undefined) {
      const what = rules.name === 'if' ? `token '${rest.text}' is not valid in preprocessor expressions` : `unexpected token '${rest.text}'`;
      return { error: what, errorToken: rest };
    }
    if (divisionByZero) return { error: 'division by zero', errorToken: divisionByZero, divisionByZero };
    return { value: v };
  } catch (e) {
    if (e instanceof EvalError) return { error: e.message, errorToken: e.token };
    // Deep nesting can overflow the stack; that is bad input, not a crash.
    return { error: 'expression too complex' };
  }
}
