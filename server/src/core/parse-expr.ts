/**
 * Constant expressions for the declaration parser: array bounds, bit-field
 * widths, enumerator values, `C_ASSERT` conditions, `__declspec(align(n))`.
 *
 * Algorithm. Precedence climbing over the binary operators (one table, C's
 * ten levels from `||` down to `*`), above it the conditional operator, below
 * it casts and unary operators, then postfix chains and primaries. Nothing is
 * evaluated here, because `sizeof(PVOID)` depends on the ABI: the result is
 * an `Expr` tree the layout pass evaluates once per ABI.
 *
 * Two idioms get their own nodes because the layout pass must understand
 * them:
 *
 *   - `&((T *)0)->a.b[2]`, the classic `FIELD_OFFSET`, becomes
 *     `{kind: 'offsetof', type: T, path: ['a', 'b', 2]}` wherever the `&`
 *     sits (casts around it stay cast nodes); `offsetof(T, a.b)` and
 *     `__builtin_offsetof` give the same node.
 *   - `sizeof(type)` / `_Alignof(type)` / `__alignof(type)` keep the type;
 *     `sizeof expr` keeps the operand's tokens (parentheses included).
 *
 * Anything else that is a valid C expression but not a constant one (a
 * member access, a call, a string) becomes `{kind: 'opaque'}` with its text,
 * so the evaluator can say precisely what is not constant.
 */

import type { CType, Expr } from './ast';
import { diag } from './diagnostics';
import { parseCharLiteral, parseIntLiteral } from './parse-text';
import {
  accept,
  advance,
  atPunct,
  cur,
  expect,
  expected,
  isPunct,
  locOf,
  maxOperators,
  nest,
  type ParserState,
  peekAt,
  peekPunct,
  skipBalanced,
  tokensText,
  unnest,
} from './parse-state';
import { TokKind, type Token } from './token';

/** Binary operator precedence, higher binds tighter. */
const binaryPrec = new Map<string, number>([
  ['||', 1], ['&&', 2], ['|', 3], ['^', 4], ['&', 5],
  ['==', 6], ['!=', 6], ['<', 7], ['>', 7], ['<=', 7], ['>=', 7],
  ['<<', 8], ['>>', 8], ['+', 9], ['-', 9], ['*', 10], ['/', 10], ['%', 10],
]);

/** A postfix chain (`x->a.b[1]`) remembered so a `&` in front of it can recognise `offsetof`. */
interface Chain {
  base: Expr;
  /** A call or `++`/`--` in the chain: never an offsetof. */
  other?: boolean;
  steps: ({ op: '.' | '->'; name: string } | { op: '['; index: Expr })[];
}

const chains = new WeakMap<Expr, Chain>();

function opaque(s: ParserState, from: number, loc = locOf(s.toks[from])): Expr {
  return { kind: 'opaque', text: tokensText(s, from, s.pos), loc };
}

/**
 * expression: conditional-expression (',' conditional-expression)*
 * (The comma operator only makes sense inside parentheses; its value is the last operand.)
 */
export function parseExpr(s: ParserState): Expr {
  const start = s.pos;
  let e = parseCond(s);
  if (!atPunct(s, ',')) return e;
  while (accept(s, ',')) e = parseCond(s);
  return opaque(s, start);
}

/**
 * conditional-expression: binary-expression ('?' expression ':' conditional-expression)?
 */
export function parseCond(s: ParserState): Expr {
  const startTok = cur(s);
  const test = parseBinary(s, 1);
  if (!atPunct(s, '?')) return test;
  nest(s);
  try {
    advance(s);
    const then = parseExpr(s);
    expect(s, ':');
    const otherwise = parseCond(s);
    return { kind: 'cond', test, then, else: otherwise, loc: locOf(startTok) };
  } finally {
    unnest(s);
  }
}

/**
 * binary-expression: cast-expression (binary-operator cast-expression)*
 * with the usual C precedence and left associativity.
 */
function parseBinary(s: ParserState, minPrec: number): Expr {
  const startTok = cur(s);
  let left = parseCast(s);
  for (let operators = 1; ; operators++) {
    const t = cur(s);
    if (t.kind !== TokKind.Punct) return left;
    // Inside a template argument list, `>` and `>>` close the list (C++ [temp.names]).
    if (s.noGreater && (t.text === '>' || t.text === '>>')) return left;
    const prec = binaryPrec.get(t.text);
    if (prec === undefined || prec < minPrec) return left;
    advance(s);
    const right = parseBinary(s, prec + 1);
    if (operators === maxOperators) {
      // Each operator is one level of a left-deep tree every later stage walks recursively:
      // the rest of the chain is read but not kept, and the whole expression is not evaluated.
      s.diagnostics.push(diag('parse-limit', locOf(startTok), [`an expression chains more than ${maxOperators} operators; it is not evaluated`]));
      left = { kind: 'opaque', text: `(an expression of more than ${maxOperators} operators)`, loc: locOf(startTok), reported: true };
    } else if (operators < maxOperators) left = { kind: 'binary', op: t.text, left, right, loc: locOf(startTok) };
  }
}

/**
 * cast-expression: '(' type-name ')' cast-expression | unary-expression
 */
function parseCast(s: ParserState): Expr {
  nest(s);
  try {
    return parseCastInner(s);
  } finally {
    unnest(s);
  }
}

function parseCastInner(s: ParserState): Expr {
  const t = cur(s);
  if (isPunct(t, '(') && s.isTypeStart(s, peekAt(s, 1))) {
    // A compound literal `(T){...}` is not a constant we can use.
    const start = s.pos;
    advance(s);
    const type = s.parseTypeName(s);
    expect(s, ')');
    if (atPunct(s, '{')) {
      skipBalanced(s);
      return opaque(s, start);
    }
    const arg = parseCast(s);
    return { kind: 'cast', type, arg, loc: locOf(t) };
  }
  return parseUnary(s);
}

function isAlignofName(name: string): boolean {
  return name === '_Alignof' || name === '__alignof' || name === '__alignof__' || name === 'alignof' || name === 'TYPE_ALIGNMENT';
}

function isOffsetofName(name: string): boolean {
  return name === '__builtin_offsetof' || name === 'offsetof' || name === 'FIELD_OFFSET';
}

/**
 * unary-expression: postfix-expression
 *   | ('-' | '+' | '~' | '!') cast-expression
 *   | '&' cast-expression            (offsetof idiom, else opaque)
 *   | '*' cast-expression            (opaque)
 *   | 'sizeof' '(' type-name ')' | 'sizeof' unary-expression
 *   | ('_Alignof' | '__alignof' | '__alignof__') '(' type-name ')'
 *   | ('__builtin_offsetof' | 'offsetof') '(' type-name ',' member-designator ')'
 */
function parseUnary(s: ParserState): Expr {
  const t = cur(s);
  const start = s.pos;
  if (t.kind === TokKind.Punct) {
    switch (t.text) {
      case '-':
      case '+':
      case '~':
      case '!': {
        advance(s);
        const arg = parseCast(s);
        return { kind: 'unary', op: t.text, arg, loc: locOf(t) };
      }
      case '&': {
        advance(s);
        const arg = parseCast(s);
        return offsetofFromAddress(arg, t) ?? opaque(s, start);
      }
      case '*':
      case '++':
      case '--': {
        advance(s);
        parseCast(s);
        return opaque(s, start);
      }
    }
    return parsePostfix(s);
  }
  if (t.kind === TokKind.Ident) {
    const name = t.text;
    if (name === 'sizeof') {
      advance(s);
      if (atPunct(s, '(') && s.isTypeStart(s, peekAt(s, 1))) {
        advance(s);
        const type = s.parseTypeName(s);
        expect(s, ')');
        return { kind: 'sizeof', type, loc: locOf(t) };
      }
      const operandStart = s.pos;
      const operand = parseUnary(s);
      const e: Expr = { kind: 'sizeofExpr', tokens: s.toks.slice(operandStart, s.pos), loc: locOf(t) };
      const member = memberThroughNull(operand);
      if (member) e.member = member;
      return e;
    }
    if (isAlignofName(name) && peekPunct(s, 1, '(')) {
      advance(s);
      advance(s);
      if (!s.isTypeStart(s, cur(s))) {
        // `__alignof(expr)`: not something the layout pass can evaluate from a type.
        s.pos--;
        skipBalanced(s);
        return opaque(s, start);
      }
      const type = s.parseTypeName(s);
      expect(s, ')');
      return { kind: 'alignof', type, loc: locOf(t) };
    }
    if (isOffsetofName(name) && peekPunct(s, 1, '(') && s.isTypeStart(s, peekAt(s, 2))) {
      advance(s);
      advance(s);
      const type = s.parseTypeName(s);
      const path: (string | Expr)[] = [];
      if (expect(s, ',')) parseMemberDesignator(s, path);
      if (!expect(s, ')')) skipTo(s, ')');
      return { kind: 'offsetof', type, path, loc: locOf(t) };
    }
  }
  return parsePostfix(s);
}

/** member-designator: identifier ('.' identifier | '[' expression ']')* */
function parseMemberDesignator(s: ParserState, path: (string | Expr)[]): void {
  if (!memberName(s, path)) return;
  for (;;) {
    if (accept(s, '.')) {
      if (!memberName(s, path)) return;
    } else if (accept(s, '[')) {
      path.push(parseExpr(s));
      expect(s, ']');
    } else return;
  }
}

/** One member name of a designator onto `path`; false (with a diagnostic) when none is there. */
function memberName(s: ParserState, path: (string | Expr)[]): boolean {
  const t = cur(s);
  if (t.kind !== TokKind.Ident) {
    expected(s, 'a member name');
    return false;
  }
  advance(s);
  path.push(t.text);
  return true;
}

/** Skips to the next `stop` token at nesting depth 0 and consumes it. */
function skipTo(s: ParserState, stop: string): void {
  while (s.pos < s.last) {
    const t = cur(s);
    if (isPunct(t, stop)) {
      advance(s);
      return;
    }
    if (isPunct(t, '(') || isPunct(t, '[') || isPunct(t, '{')) skipBalanced(s);
    else if (isPunct(t, ';') || isPunct(t, '}')) return;
    else advance(s);
  }
}

/** `(T *)0`, possibly wrapped in further casts: the null base of the offsetof idiom. */
function nullPointerTarget(e: Expr): CType | undefined {
  if (e.kind !== 'cast') return undefined;
  let arg = e.arg;
  while (arg.kind === 'cast') arg = arg.arg;
  if (arg.kind !== 'num' || arg.value !== 0n) return undefined;
  return e.type.kind === 'pointer' ? e.type.to : undefined;
}

/** `((T *)0)->a.b[2]` (a postfix chain on a null pointer) -> T and the path `a`, `b`, `2`. */
function memberThroughNull(e: Expr): { type: CType; path: (string | Expr)[] } | undefined {
  const chain = chains.get(e);
  if (!chain || chain.other || chain.steps.length === 0) return undefined;
  const type = nullPointerTarget(chain.base);
  if (!type) return undefined;
  const first = chain.steps[0];
  if (first.op !== '->') return undefined;
  const path: (string | Expr)[] = [first.name];
  for (let i = 1; i < chain.steps.length; i++) {
    const step = chain.steps[i];
    if (step.op === '.') path.push(step.name);
    else if (step.op === '[') path.push(step.index);
    else return undefined;
  }
  return { type, path };
}

/** `&((T *)0)->a.b[2]` -> offsetof(T, a.b[2]). */
function offsetofFromAddress(arg: Expr, amp: Token): Expr | undefined {
  const member = memberThroughNull(arg);
  if (!member) return undefined;
  return { kind: 'offsetof', type: member.type, path: member.path, loc: locOf(amp) };
}

/**
 * postfix-expression: primary-expression
 *   ('[' expression ']' | '(' arguments? ')' | ('.' | '->') identifier | '++' | '--')*
 */
function parsePostfix(s: ParserState): Expr {
  const start = s.pos;
  const base = parsePrimary(s);
  // `(((T *)0)->a)[1]`: continue the chain of a parenthesised one.
  const inner = chains.get(base);
  let chain: Chain | undefined = inner && { base: inner.base, steps: inner.steps.slice(), other: inner.other };
  for (;;) {
    const t = cur(s);
    if (t.kind !== TokKind.Punct) break;
    if (t.text === '.' || t.text === '->') {
      advance(s);
      const m = cur(s);
      if (m.kind !== TokKind.Ident) {
        expected(s, 'a member name');
        break;
      }
      advance(s);
      (chain ??= { base, steps: [] }).steps.push({ op: t.text, name: m.text });
    } else if (t.text === '[') {
      advance(s);
      const index = parseExpr(s);
      expect(s, ']');
      (chain ??= { base, steps: [] }).steps.push({ op: '[', index });
    } else if (t.text === '(') {
      // A call: never constant here (builtins included); keep it opaque.
      skipBalanced(s);
      (chain ??= { base, steps: [] }).other = true;
    } else if (t.text === '++' || t.text === '--') {
      advance(s);
      (chain ??= { base, steps: [] }).other = true;
    } else break;
  }
  if (!chain || (inner && chain.steps.length === inner.steps.length && chain.other === inner.other)) return base;
  const e = opaque(s, start);
  chains.set(e, chain);
  return e;
}

/**
 * primary-expression: integer-constant | character-constant | string-literal+
 *   | identifier | '(' expression ')'
 */
function parsePrimary(s: ParserState): Expr {
  const t = cur(s);
  const start = s.pos;
  switch (t.kind) {
    case TokKind.Number: {
      advance(s);
      const value = parseIntLiteral(t.text);
      if (value === undefined) return opaque(s, start);
      return { kind: 'num', value, loc: locOf(t), text: t.text };
    }
    case TokKind.Char: {
      advance(s);
      const value = parseCharLiteral(t.text);
      if (value === undefined) return opaque(s, start);
      return { kind: 'num', value, loc: locOf(t) };
    }
    case TokKind.String: {
      while (cur(s).kind === TokKind.String) advance(s);
      return opaque(s, start);
    }
    case TokKind.Ident: {
      const cxx = s.cxxPrimary?.(s);
      if (cxx) return cxx;
      advance(s);
      return { kind: 'name', name: t.text, loc: locOf(t) };
    }
    case TokKind.Punct:
      if (t.text === '(') {
        advance(s);
        // GNU statement expression `({ ... })`.
        if (atPunct(s, '{')) {
          s.pos--;
          skipBalanced(s);
          return opaque(s, start);
        }
        // Parentheses end a template argument's special reading of `>`.
        const noGreater = s.noGreater;
        s.noGreater = false;
        const inner = parseExpr(s);
        s.noGreater = noGreater;
        if (!expect(s, ')')) skipTo(s, ')');
        return inner;
      }
      if (t.text === '::') {
        const cxx = s.cxxPrimary?.(s);
        if (cxx) return cxx;
      }
      break;
  }
  expected(s, 'an expression');
  return { kind: 'opaque', text: '(a missing operand)', loc: locOf(t), reported: true };
}
