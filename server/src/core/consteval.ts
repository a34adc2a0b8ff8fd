/**
 * The integer constant evaluator: array bounds, bit-field widths, enumerator
 * values and `C_ASSERT`s, evaluated per ABI (`sizeof(PVOID) * 2` is 8 on x86
 * and 16 on x64).
 *
 * Values and operators are constexpr.ts's (typed C arithmetic, shared with
 * `#if`, `__declspec(align)`, control codes and hovers); this file walks the
 * declaration model's `Expr` trees, which keep `sizeof(PVOID)` and
 * `offsetof` for the layout to answer per ABI: truncation on casts
 * (`(ULONG_PTR)-1` is 2^32-1 on x86 and 2^64-1 on x64), and `sizeof`,
 * `_Alignof` and `offsetof` giving `size_t`, whose width is the pointer's.
 *
 * The evaluator knows nothing about how sizes are computed: it asks the
 * environment (the layout context) for type information, record layouts and
 * enumerator values. It never throws; anything it cannot evaluate becomes a
 * diagnostic and `undefined`.
 *
 * Literal types: from the literal's spelling (`text`, kept by the parser);
 * a character constant is an int.
 */

import type { Abi } from './abi';
import type { CType, EnumConstant, Expr, RecordDecl, TranslationUnit, VarDecl } from './ast';
import { type Diagnostic, type MessageCode, diag } from './diagnostics';
import type { FieldLayout, RecordLayout, TypeInfo } from './layout';
import type { Loc } from './source';
import { pointee, recordOf, resolve } from './types';
import { type Token, TokKind } from './token';
import {
  type IntType,
  type IntValue,
  binaryOp,
  conditionalOp,
  convert,
  intType,
  integerLiteral,
  isOpError,
  literalType,
  unaryOp,
} from './constexpr';

export { type IntType, type IntValue, convert, intType, literalType } from './constexpr';

/** What the evaluator needs from its surroundings (a `LayoutContext` provides it). */
export interface EvalEnv {
  abi: Abi;
  unit: TranslationUnit;
  typeInfo(type: CType): TypeInfo;
  layoutOf(record: RecordDecl): RecordLayout;
  /** The (memoised) value of an enumerator; `undefined` after reporting why not. */
  enumeratorValue(constant: EnumConstant): IntValue | undefined;
  /** C++: the (memoised) value of a constant variable (`constexpr ULONG N = 4;`); `undefined` after reporting why not. */
  variableValue?(variable: VarDecl): IntValue | undefined;
  report(diagnostic: Diagnostic): void;
}

function sizeType(abi: Abi): IntType {
  return { bits: abi.pointer.size * 8, signed: false };
}

/** The integer type a cast to `type` produces, or undefined if `type` is not an integer, enum or pointer type. */
export function integerTypeOf(type: CType, env: Pick<EvalEnv, 'abi' | 'typeInfo'>): IntType | undefined {
  const t = resolve(type);
  switch (t.kind) {
    case 'bool':
      return { bits: env.abi.bool.size * 8, signed: false, bool: true };
    case 'int': {
      const size = t.wchar ? env.abi.short.size : env.abi[t.rank].size;
      return { bits: size * 8, signed: t.signed };
    }
    case 'enum':
      if (t.decl.underlying) return integerTypeOf(t.decl.underlying, env);
      return { bits: env.abi.enum.size * 8, signed: true };
    case 'pointer':
      return { bits: env.typeInfo(t).size * 8, signed: false };
    default:
      return undefined;
  }
}

/** A short rendering of an expression for messages. */
export function exprText(e: Expr): string {
  switch (e.kind) {
    case 'num':
      return e.value.toString();
    case 'name':
      return e.name;
    case 'unary':
      return e.op + exprText(e.arg);
    case 'binary':
      return `${exprText(e.left)} ${e.op} ${exprText(e.right)}`;
    case 'cond':
      return `${exprText(e.test)} ? ${exprText(e.then)} : ${exprText(e.else)}`;
    case 'cast':
      return `(${typeText(e.type)})${exprText(e.arg)}`;
    case 'sizeof':
      return `sizeof(${typeText(e.type)})`;
    case 'alignof':
      return `_Alignof(${typeText(e.type)})`;
    case 'offsetof':
      return `offsetof(${typeText(e.type)}, ${e.path.map((p) => (typeof p === 'string' ? p : `[${exprText(p)}]`)).join('.')})`;
    case 'sizeofExpr':
      return `sizeof ${e.tokens.map((t) => t.text).join('')}`;
    case 'opaque':
      return e.text;
  }
}

/** A short C spelling of a type for messages (typedef names kept). */
export function typeText(t: CType): string {
  switch (t.kind) {
    case 'void':
      return 'void';
    case 'bool':
      return '_Bool';
    case 'int':
      if (t.wchar) return 'wchar_t';
      return (t.signed ? '' : 'unsigned ') + ({ char: 'char', short: 'short', int: 'int', long: 'long', longlong: 'long long', int128: '__int128' } as const)[t.rank];
    case 'float':
      return ({ float: 'float', double: 'double', longdouble: 'long double' } as const)[t.rank];
    case 'pointer':
      return typeText(t.to) + ' *';
    case 'array':
      return typeText(t.of) + '[]';
    case 'record':
      return `${t.decl.kind} ${t.decl.tag ?? t.decl.typedefs[0] ?? '<anonymous>'}`;
    case 'enum':
      return `enum ${t.decl.tag ?? t.decl.typedefs[0] ?? '<anonymous>'}`;
    case 'function':
      return typeText(t.ret) + ' ()';
    case 'typedef':
      return t.decl.name;
    case 'error':
      return t.name;
  }
}

function fail(env: EvalEnv, code: MessageCode, loc: Loc, args: (string | number)[] = []): undefined {
  env.report(diag(code, loc, args));
  return undefined;
}

/** Evaluates `expr` to a typed integer, or reports why it cannot and returns undefined. */
export function evaluateTyped(expr: Expr, env: EvalEnv): IntValue | undefined {
  switch (expr.kind) {
    case 'num': {
      // A literal's type comes from its spelling; a character constant (no spelling) is an int.
      const typed = expr.text !== undefined ? integerLiteral(expr.text) : undefined;
      if (typed !== undefined && typeof typed !== 'string') return typed;
      const type = expr.text === undefined && expr.value >= -0x80000000n && expr.value <= 0x7fffffffn ? intType : literalType(expr.value);
      return { value: convert(expr.value, type), type };
    }
    case 'name': {
      // C++ names were resolved in their scope by the parser.
      const ref = expr.ref;
      if (ref !== undefined && 'parent' in ref) return env.enumeratorValue(ref);
      if (ref !== undefined) {
        if (!ref.constant || !env.variableValue) return fail(env, 'eval-not-constant', expr.loc, [`'${expr.name}' is not a constant`]);
        return env.variableValue(ref);
      }
      const constant = env.unit.enumConstants.get(expr.name);
      if (!constant) return fail(env, 'eval-unknown-name', expr.loc, [expr.name]);
      return env.enumeratorValue(constant);
    }
    case 'unary':
      return unary(expr, env);
    case 'binary':
      return binary(expr, env);
    case 'cond': {
      const test = evaluateTyped(expr.test, env);
      if (!test) return undefined;
      const chosen = evaluateTyped(test.value !== 0n ? expr.then : expr.else, env);
      if (!chosen) return undefined;
      // The result type depends on both arms; the other arm is evaluated quietly, only for its type.
      const other = evaluateTyped(test.value !== 0n ? expr.else : expr.then, { ...env, report: () => undefined });
      return test.value !== 0n ? conditionalOp(test, chosen, other) : conditionalOp(test, other ?? chosen, chosen);
    }
    case 'cast': {
      const arg = evaluateTyped(expr.arg, env);
      if (!arg) return undefined;
      const type = integerTypeOf(expr.type, env);
      if (!type) return fail(env, 'eval-not-constant', expr.loc, [`cast to '${typeText(expr.type)}'`]);
      return { value: convert(arg.value, type), type };
    }
    case 'sizeof':
      return sizeOfType(expr.type, 'sizeof', expr.loc, env);
    case 'alignof': {
      const info = env.typeInfo(expr.type);
      if (!info.complete) return fail(env, 'eval-sizeof-incomplete', expr.loc, ['_Alignof', typeText(expr.type)]);
      return { value: BigInt(info.align), type: sizeType(env.abi) };
    }
    case 'offsetof':
      return offsetOf(expr, env);
    case 'sizeofExpr':
      return sizeOfTokens(expr.tokens, expr.loc, env);
    case 'opaque':
      return expr.reported ? undefined : fail(env, 'eval-not-constant', expr.loc, [expr.text]);
  }
}

function sizeOfType(type: CType, op: string, loc: Loc, env: EvalEnv): IntValue | undefined {
  // GNU extensions clang accepts in C: sizeof(void) and sizeof of a function type are 1.
  const kind = resolve(type).kind;
  if (kind === 'void' || kind === 'function') return { value: 1n, type: sizeType(env.abi) };
  const info = env.typeInfo(type);
  if (!info.complete) return fail(env, 'eval-sizeof-incomplete', loc, [op, typeText(type)]);
  return { value: BigInt(info.size), type: sizeType(env.abi) };
}

function unary(expr: Expr & { kind: 'unary' }, env: EvalEnv): IntValue | undefined {
  const arg = evaluateTyped(expr.arg, env);
  return arg && unaryOp(expr.op, arg);
}

function binary(expr: Expr & { kind: 'binary' }, env: EvalEnv): IntValue | undefined {
  const op = expr.op;
  if (op === '&&' || op === '||') {
    const left = evaluateTyped(expr.left, env);
    if (!left) return undefined;
    if (op === '&&' && left.value === 0n) return { value: 0n, type: intType };
    if (op === '||' && left.value !== 0n) return { value: 1n, type: intType };
    const right = evaluateTyped(expr.right, env);
    if (!right) return undefined;
    return { value: right.value !== 0n ? 1n : 0n, type: intType };
  }
  const left = evaluateTyped(expr.left, env);
  if (!left) return undefined;
  const right = evaluateTyped(expr.right, env);
  if (!right) return undefined;
  if (op === ',') return right;
  const r = binaryOp(op, left, right);
  if (r === undefined) return fail(env, 'eval-not-constant', expr.loc, [`operator '${op}'`]);
  if (!isOpError(r)) return r;
  if (r.kind === 'division-by-zero') return fail(env, 'eval-division-by-zero', expr.loc);
  return fail(env, 'eval-shift-count', expr.loc, [r.count.toString(), r.bits]);
}

/** Finds a member by name in a layout, looking through anonymous struct/union members. */
export function findMember(fields: readonly FieldLayout[], name: string): FieldLayout | undefined {
  for (const f of fields) {
    if (f.name === name) return f;
    if (f.name === null && f.fields) {
      const inner = findMember(f.fields, name);
      if (inner) return inner;
    }
  }
  return undefined;
}

/**
 * Walks a member designator (`a.b[2].c`) from `type`, returning the byte
 * offset reached and the member's type. `index` evaluates array subscripts
 * (or returns 0n when only the type matters).
 */
function walkDesignator(
  type: CType,
  path: readonly (string | Expr)[],
  env: EvalEnv,
  loc: Loc,
  index: (e: Expr) => bigint | undefined,
): { offset: bigint; type: CType } | undefined {
  let offset = 0n;
  let current = type;
  for (const step of path) {
    const t = resolve(current);
    if (typeof step === 'string') {
      if (t.kind !== 'record') return fail(env, 'eval-bad-offsetof', loc, [`'${typeText(current)}' has no member '${step}'`]);
      if (!t.decl.fields) return fail(env, 'eval-sizeof-incomplete', loc, ['offsetof', typeText(current)]);
      const layout = env.layoutOf(t.decl);
      const member = findMember(layout.fields, step);
      if (!member) return fail(env, 'eval-bad-offsetof', loc, [`'${typeText(current)}' has no member '${step}'`]);
      if (member.bitWidth !== undefined) return fail(env, 'eval-bad-offsetof', loc, [`'${step}' is a bit-field`]);
      offset += BigInt(member.offset);
      current = member.decl.type;
    } else {
      if (t.kind !== 'array') return fail(env, 'eval-bad-offsetof', loc, [`'${typeText(current)}' is not an array`]);
      const i = index(step);
      if (i === undefined) return undefined;
      offset += i * BigInt(env.typeInfo(t.of).size);
      current = t.of;
    }
  }
  return { offset, type: current };
}

function offsetOf(expr: Expr & { kind: 'offsetof' }, env: EvalEnv): IntValue | undefined {
  const walked = walkDesignator(expr.type, expr.path, env, expr.loc, (e) => evaluateTyped(e, env)?.value);
  if (!walked) return undefined;
  return { value: convert(walked.offset, sizeType(env.abi)), type: sizeType(env.abi) };
}

// ---------------------------------------------------------------------------
// `sizeof` applied to an expression kept as tokens. Only the forms that occur
// in Windows headers are understood: `sizeof(((T *)0)->a.b[1])`
// (RTL_FIELD_SIZE), `sizeof variable`, `sizeof "literal"` / `sizeof L"..."`.

function stripParens(tokens: Token[]): Token[] {
  let t = tokens;
  while (t.length >= 2 && t[0].text === '(' && t[t.length - 1].text === ')' && closingParen(t, 0) === t.length - 1) t = t.slice(1, -1);
  return t;
}

function closingParen(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i].text === '(' || tokens[i].text === '[') depth++;
    else if (tokens[i].text === ')' || tokens[i].text === ']') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function stringLiteralSize(tokens: Token[]): number | undefined {
  let units = 0;
  let unitSize = 1;
  for (const t of tokens) {
    if (t.kind !== TokKind.String) return undefined;
    const m = /^(u8|u|U|L)?"(.*)"$/s.exec(t.text);
    if (!m) return undefined;
    if (m[1] === 'L' || m[1] === 'u') unitSize = Math.max(unitSize, 2);
    if (m[1] === 'U') unitSize = 4;
    // Count characters after escapes; good enough for the ASCII literals headers measure.
    units += m[2].replace(/\\(x[0-9a-fA-F]+|[0-7]{1,3}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/gs, '_').length;
  }
  return (units + 1) * unitSize;
}

function resolveTypeName(tokens: Token[], env: EvalEnv): CType | undefined {
  const words = tokens.filter((t) => t.text !== 'const' && t.text !== 'volatile').map((t) => t.text);
  let pointers = 0;
  while (words.length && words[words.length - 1] === '*') {
    words.pop();
    pointers++;
  }
  let base: CType | undefined;
  if (words.length === 2 && (words[0] === 'struct' || words[0] === 'union' || words[0] === 'enum')) {
    const decl = env.unit.tags.get(words[1]);
    // RecordDecl has a `kind` ('struct' | 'union'); EnumDecl does not.
    if (decl) base = 'kind' in decl ? { kind: 'record', decl } : { kind: 'enum', decl };
  } else if (words.length === 1) {
    const td = env.unit.typedefs.get(words[0]);
    if (td) base = { kind: 'typedef', decl: td };
  }
  if (!base) return undefined;
  for (let i = 0; i < pointers; i++) base = { kind: 'pointer', to: base };
  return base;
}

function sizeOfTokens(tokens: Token[], loc: Loc, env: EvalEnv): IntValue | undefined {
  const literal = stringLiteralSize(stripParens(tokens));
  if (literal !== undefined) return { value: BigInt(literal), type: sizeType(env.abi) };
  const type = typeOfTokens(tokens, env);
  if (!type) return fail(env, 'eval-not-constant', loc, [`sizeof ${tokens.map((x) => x.text).join(' ')}`]);
  return sizeOfType(type, 'sizeof', loc, env);
}

/**
 * The type of a small expression kept as tokens, for `sizeof`: casts to named
 * types, `0`, variables, enumerators, `->`, `.`, `[]`, unary `*` and `&`, and
 * parentheses. Enough for `ARRAYSIZE(((T *)0)->a)` and `RTL_FIELD_SIZE`.
 */
function typeOfTokens(tokens: Token[], env: EvalEnv): CType | undefined {
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const intT: CType = { kind: 'int', rank: 'int', signed: true };

  const memberType = (type: CType, name: string): CType | undefined => {
    const r = recordOf(type);
    return r?.fields ? findMember(env.layoutOf(r).fields, name)?.decl.type : undefined;
  };

  function unaryExpr(): CType | undefined {
    const t = peek();
    if (!t) return undefined;
    if (t.text === '*') {
      pos++;
      const inner = unaryExpr();
      return inner && pointee(inner);
    }
    if (t.text === '&') {
      pos++;
      const inner = unaryExpr();
      return inner && { kind: 'pointer', to: inner };
    }
    if (t.text === '(') {
      const close = closingParen(tokens, pos);
      if (close < 0) return undefined;
      const castType = resolveTypeName(tokens.slice(pos + 1, close), env);
      if (castType) {
        pos = close + 1;
        return unaryExpr() ? castType : undefined;
      }
    }
    return postfixExpr();
  }

  function postfixExpr(): CType | undefined {
    let type = primaryExpr();
    for (let t = peek(); type && t; t = peek()) {
      if ((t.text === '->' || t.text === '.') && tokens[pos + 1]?.kind === TokKind.Ident) {
        const base: CType | undefined = t.text === '->' ? pointee(type) : type;
        type = base && memberType(base, tokens[pos + 1].text);
        pos += 2;
      } else if (t.text === '[') {
        const close = closingParen(tokens, pos);
        if (close < 0) return undefined;
        type = pointee(type);
        pos = close + 1;
      } else break;
    }
    return type;
  }

  function primaryExpr(): CType | undefined {
    const t = peek();
    if (!t) return undefined;
    if (t.text === '(') {
      const close = closingParen(tokens, pos);
      if (close < 0) return undefined;
      const inner = typeOfTokens(tokens.slice(pos + 1, close), env);
      pos = close + 1;
      return inner;
    }
    pos++;
    if (t.kind === TokKind.Number) return intT;
    if (t.kind === TokKind.Ident) {
      if (t.text === 'NULL' || t.text === 'nullptr') return { kind: 'pointer', to: { kind: 'void' } };
      const variable = env.unit.variables.find((v) => v.name === t.text);
      if (variable) return variable.type;
      if (env.unit.enumConstants.has(t.text)) return intT;
    }
    return undefined;
  }

  const type = unaryExpr();
  return pos === tokens.length ? type : undefined;
}

/**
 * Computes an enumerator's value without recursion over long implicit
 * chains: walks back to the nearest enumerator that is known (memoised,
 * explicit, or first), then forward. `known` returns memoised values;
 * `explicit` evaluates an initialiser (the context guards against cycles).
 * Values are converted to the enum's underlying type: int unless fixed
 * (clang in Microsoft mode truncates `0xFFFFFFFF` to -1).
 */
export function enumeratorChain(
  constant: EnumConstant,
  env: EvalEnv,
  /** A memoised value, `null` for one that failed, `undefined` if not computed yet. */
  known: (c: EnumConstant) => IntValue | null | undefined,
  explicit: (c: EnumConstant, type: IntType) => IntValue | undefined,
  remember: (c: EnumConstant, v: IntValue | undefined) => void,
): IntValue | undefined {
  const list = constant.parent.enumerators ?? [constant];
  let index = list.indexOf(constant);
  if (index < 0) index = 0;
  const type = constant.parent.underlying ? (integerTypeOf(constant.parent.underlying, env) ?? intType) : intType;
  let start = index;
  while (start > 0 && list[start].value === undefined && known(list[start]) === undefined) start--;
  let previous: IntValue | undefined;
  for (let i = start; i <= index; i++) {
    const c = list[i];
    const memo = known(c);
    let v = memo ?? undefined;
    if (memo === undefined) {
      if (c.value !== undefined) v = explicit(c, type);
      else if (i === 0) v = { value: 0n, type };
      else if (previous) v = { value: convert(previous.value + 1n, type), type };
      remember(c, v);
    }
    previous = v;
  }
  return previous;
}
