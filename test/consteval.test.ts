/**
 * Tests for the constant evaluator (server/src/core/consteval.ts) as the
 * layout context exposes it. Expected values and C types come from clang 14
 * (`enum : long long { V = (long long)(expr), T = _Generic((expr), ...) }` in
 * an AST dump, on i686- and x86_64-pc-windows-msvc); the expressions are
 * parsed by the real front end from `_Static_assert(expr, "")` lines.
 */

import * as assert from 'node:assert/strict';
import { type AbiName, abis } from '../server/src/core/abi';
import { analyzeFile, createSession } from '../server/src/core/analyze';
import type { EnumConstant, EnumDecl, Expr } from '../server/src/core/ast';
import { convert, literalType } from '../server/src/core/consteval';
import { type LayoutContext, createLayoutContext } from '../server/src/core/layout';
import { memoryHost } from '../server/src/core/source';
import { T, num, unitWith } from './ast';

const prelude = `
struct S { int a; struct { int b[3]; } in[2]; char c; };
enum E { EA = 5, EB, EC = EA * 2, ED };
enum BIG { B1 = 0xFFFFFFFF, B2 };
typedef unsigned long ULONG_PTR32;
typedef unsigned __int64 U64;
typedef unsigned short WCHAR;
int gv[7];
`;

/** Parses `_Static_assert(expr, "")` for each expression; returns the contexts and the expressions. */
function compile(abi: AbiName, exprs: string[]): { ctx: LayoutContext; exprs: Expr[]; frontEnd: string[] } {
  const text = prelude + exprs.map((e) => `_Static_assert(${e}, "");`).join('\n');
  const session = createSession(memoryHost({ '/t.c': text }));
  const unit = analyzeFile(session, '/t.c', { abis: [abi], prelude: false }).units.get(abi)!;
  return {
    ctx: unit.layout,
    exprs: unit.unit.staticAsserts.map((a) => a.expr),
    frontEnd: unit.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
  };
}

type CTypeName = 'int' | 'unsigned' | 'ulong' | 'llong' | 'ullong' | '?';
const typeOf: Record<Exclude<CTypeName, '?'>, { bits: number; signed: boolean }> = {
  int: { bits: 32, signed: true },
  unsigned: { bits: 32, signed: false },
  ulong: { bits: 32, signed: false },
  llong: { bits: 64, signed: true },
  ullong: { bits: 64, signed: false },
};

// [expression, x86 value, x86 type, x64 value, x64 type] (clang 14).
const cases: [string, bigint, CTypeName, bigint, CTypeName][] = [
  ['(unsigned __int64)-1', 18446744073709551615n, 'ullong', 18446744073709551615n, 'ullong'],
  ['(ULONG_PTR32)-1', 4294967295n, 'ulong', 4294967295n, 'ulong'],
  ['(U64)(unsigned int)-1', 4294967295n, 'ullong', 4294967295n, 'ullong'],
  ['sizeof(void*) * 2', 8n, 'unsigned', 16n, 'ullong'],
  ['(int)sizeof(struct S)', 32n, 'int', 32n, 'int'],
  ['__builtin_offsetof(struct S, in[1].b[2])', 24n, 'unsigned', 24n, 'ullong'],
  ['EB', 6n, 'int', 6n, 'int'],
  ['ED', 11n, 'int', 11n, 'int'],
  ['B1', -1n, 'int', -1n, 'int'],
  ['B2', 0n, 'int', 0n, 'int'],
  ['(short)0x18000', -32768n, '?', -32768n, '?'],
  ['(WCHAR)-1', 65535n, '?', 65535n, '?'],
  ['(_Bool)256', 1n, '?', 1n, '?'],
  ['0x7fffffff + 1', -2147483648n, 'int', -2147483648n, 'int'],
  ['(1 << 31) >> 31', -1n, 'int', -1n, 'int'],
  ['(unsigned)(1 << 31) >> 31', 1n, 'unsigned', 1n, 'unsigned'],
  ['~(unsigned char)0', -1n, 'int', -1n, 'int'],
  ['-(unsigned short)1', -1n, 'int', -1n, 'int'],
  ['sizeof(int[3][4])', 48n, 'unsigned', 48n, 'ullong'],
  ['_Alignof(struct S)', 4n, 'unsigned', 4n, 'ullong'],
  ['(char)-129', 127n, '?', 127n, '?'],
  ['(signed char)200 == -56', 1n, 'int', 1n, 'int'],
  ['sizeof(((struct S *)0)->in[1].b)', 12n, 'unsigned', 12n, 'ullong'],
  ['sizeof gv', 28n, 'unsigned', 28n, 'ullong'],
  ['sizeof(((struct S *)0)->in) / sizeof((((struct S *)0)->in)[0])', 2n, 'unsigned', 2n, 'ullong'],
  ['sizeof(*(struct S *)0) + sizeof(&gv[1])', 36n, 'unsigned', 40n, 'ullong'],
  ['sizeof(L"ab")', 6n, 'unsigned', 6n, 'ullong'],
  ['-5 % 3', -2n, 'int', -2n, 'int'],
  ['-5 / 3', -1n, 'int', -1n, 'int'],
  ['-5 >> 1', -3n, 'int', -3n, 'int'],
  ["'a'", 97n, 'int', 97n, 'int'],
  ['(sizeof(void *) == 8 ? (unsigned long long)-1 : (unsigned int)-1)', 4294967295n, 'ullong', 18446744073709551615n, 'ullong'],
  ['(unsigned long long)(void *)-1', 4294967295n, 'ullong', 18446744073709551615n, 'ullong'],
];

describe('consteval: values and types match clang 14', () => {
  for (const abi of ['x86', 'x64'] as const) {
    it(`on ${abi}`, () => {
      const { ctx, exprs, frontEnd } = compile(abi, cases.map((c) => c[0]));
      assert.deepEqual(frontEnd, []);
      assert.equal(exprs.length, cases.length);
      const wrong: string[] = [];
      cases.forEach(([text, v86, t86, v64, t64], i) => {
        const [value, type] = abi === 'x86' ? [v86, t86] : [v64, t64];
        const got = ctx.evaluateTyped(exprs[i]);
        const typeOk = type === '?' || (got && got.type.bits === typeOf[type].bits && got.type.signed === typeOf[type].signed);
        if (!got || got.value !== value || !typeOk) wrong.push(`${text}: got ${got?.value} ${JSON.stringify(got?.type)}, clang ${value} ${type}`);
      });
      assert.deepEqual(wrong, []);
      assert.deepEqual(ctx.diagnostics, []);
    });
  }
});

describe('consteval: literal types', () => {
  it('without a spelling: int, unsigned, long long, unsigned long long by value', () => {
    assert.deepEqual(literalType(5n), { bits: 32, signed: true });
    assert.deepEqual(literalType(0x80000000n), { bits: 32, signed: false });
    assert.deepEqual(literalType(0x100000000n), { bits: 64, signed: true });
    assert.deepEqual(literalType(0x8000000000000000n), { bits: 64, signed: false });
  });
  it('with a spelling: suffixes and the decimal rule (clang 14: 4294967295 is long long, 0xFFFFFFFF unsigned)', () => {
    assert.deepEqual(literalType(0n, '0u'), { bits: 32, signed: false });
    assert.deepEqual(literalType(1n, '1LL'), { bits: 64, signed: true });
    assert.deepEqual(literalType(1n, '1ull'), { bits: 64, signed: false });
    assert.deepEqual(literalType(1n, '1i64'), { bits: 64, signed: true });
    assert.deepEqual(literalType(255n, '0xFFui64'), { bits: 64, signed: false });
    assert.deepEqual(literalType(4294967295n, '4294967295'), { bits: 64, signed: true });
    assert.deepEqual(literalType(4294967295n, '0xFFFFFFFF'), { bits: 32, signed: false });
    assert.deepEqual(literalType(2147483648n, '2147483648'), { bits: 64, signed: true });
    assert.deepEqual(literalType(1n, '1L'), { bits: 32, signed: true });
  });
  it('uses num.text when the parser provides it: -1 < 0u is 0', () => {
    const ctx = createLayoutContext(abis.x64, unitWith());
    const zeroU = { kind: 'num', value: 0n, text: '0u', loc: num(0).loc } as Expr;
    const e: Expr = { kind: 'binary', op: '<', left: { kind: 'unary', op: '-', arg: num(1), loc: num(0).loc }, right: zeroU, loc: num(0).loc };
    assert.equal(ctx.evaluate(e), 0n);
  });
  it('convert wraps to the width and sign', () => {
    assert.equal(convert(-1n, { bits: 32, signed: false }), 4294967295n);
    assert.equal(convert(0x80000000n, { bits: 32, signed: true }), -2147483648n);
    assert.equal(convert(2n, { bits: 8, signed: false, bool: true }), 1n);
  });
});

describe('consteval: errors are diagnostics', () => {
  const loc = num(0).loc;
  const bin = (op: string, left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right, loc });

  it('division by zero, shift out of range, unknown names, opaque expressions', () => {
    const ctx = createLayoutContext(abis.x86, unitWith());
    assert.equal(ctx.evaluate(bin('/', num(1), num(0))), undefined);
    assert.equal(ctx.evaluate(bin('%', num(1), num(0))), undefined);
    assert.equal(ctx.evaluate(bin('<<', num(1), num(32))), undefined);
    assert.equal(ctx.evaluate({ kind: 'name', name: 'NOPE', loc }), undefined);
    assert.equal(ctx.evaluate({ kind: 'opaque', text: 'f(1)', loc }), undefined);
    assert.equal(ctx.evaluate({ kind: 'sizeof', type: T.err('X'), loc }), undefined);
    assert.deepEqual(
      ctx.diagnostics.map((d) => d.code),
      ['eval-division-by-zero', 'eval-shift-count', 'eval-unknown-name', 'eval-not-constant', 'eval-sizeof-incomplete'],
    );
  });

  it('short-circuit and ?: do not evaluate (or report) the untaken side', () => {
    const ctx = createLayoutContext(abis.x86, unitWith());
    const bad = bin('/', num(1), num(0));
    assert.equal(ctx.evaluate(bin('&&', num(0), bad)), 0n);
    assert.equal(ctx.evaluate(bin('||', num(1), bad)), 1n);
    assert.equal(ctx.evaluate({ kind: 'cond', test: num(1), then: num(7), else: bad, loc }), 7n);
    assert.deepEqual(ctx.diagnostics, []);
  });

  it('enumerator cycles are reported, not looped on', () => {
    const decl: EnumDecl = { tag: 'C', typedefs: [], loc, id: 1 };
    const a: EnumConstant = { name: 'A', value: { kind: 'name', name: 'B', loc }, loc, parent: decl };
    const b: EnumConstant = { name: 'B', value: bin('+', { kind: 'name', name: 'A', loc }, num(1)), loc, parent: decl };
    decl.enumerators = [a, b];
    const ctx = createLayoutContext(abis.x64, unitWith([], [decl]));
    assert.equal(ctx.evaluate({ kind: 'name', name: 'A', loc }), undefined);
    assert.ok(ctx.diagnostics.some((d) => d.code === 'eval-enum-cycle'));
  });

  it('long implicit enumerator chains do not overflow the stack', () => {
    const decl: EnumDecl = { tag: 'L', typedefs: [], loc, id: 2, enumerators: [] };
    for (let i = 0; i < 50000; i++) decl.enumerators!.push({ name: `V${i}`, value: i === 0 ? num(10) : undefined, loc, parent: decl });
    const ctx = createLayoutContext(abis.x64, unitWith([], [decl]));
    assert.equal(ctx.evaluate({ kind: 'name', name: 'V49999', loc }), 50009n);
    assert.equal(ctx.evaluate({ kind: 'name', name: 'V25000', loc }), 25010n);
  });

  it('enumerators of a fixed underlying type wrap to it', () => {
    const decl: EnumDecl = { tag: 'U', typedefs: [], loc, id: 3, underlying: T.uchar, enumerators: [] };
    decl.enumerators!.push({ name: 'U0', value: num(255), loc, parent: decl }, { name: 'U1', loc, parent: decl });
    const ctx = createLayoutContext(abis.x64, unitWith([], [decl]));
    assert.equal(ctx.evaluate({ kind: 'name', name: 'U1', loc }), 0n);
  });
});
