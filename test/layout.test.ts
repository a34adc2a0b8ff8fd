/**
 * Unit tests for the Microsoft record layout pass (server/src/core/layout.ts).
 *
 * Each case builds a record with the small AST constructors below and states
 * the layout clang 14 computes for it on every ABI (numbers copied from
 * `clang -target <arch>-pc-windows-msvc -fms-extensions -fsyntax-only
 * -Xclang -fdump-record-layouts`). Offsets are written the way clang's dump
 * writes them: `8` for a member, `4:3-5` for a bit-field (byte:firstbit-lastbit),
 * `8:-` for a zero-width bit-field.
 *
 * The second half runs C snippets (test/fixtures/layout/*.c) through the real
 * preprocessor and parser and compares every tagged record with the golden
 * `*.clang.json` next to it, which `regen.py` produced from clang 14's record
 * dump on all four triples.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type AbiName, abis, allAbis } from '../server/src/core/abi';
import type { CType, EnumDecl, Expr, RecordDecl } from '../server/src/core/ast';
import { type FieldLayout, type RecordLayout, createLayoutContext } from '../server/src/core/layout';
import { analyzeFile, createSession } from '../server/src/core/analyze';
import { memoryHost } from '../server/src/core/source';
import { T, at, field, loc, num, record, unitWith } from './ast';

/** clang's dump notation for one member: bit-fields as byte:firstbit-lastbit of the byte holding their first bit. */
function dumpOf(f: FieldLayout): string {
  if (f.bitWidth === undefined) return String(f.offset);
  if (f.bitWidth === 0) return `${f.offset}:-`;
  const bit = f.offset * 8 + f.bitOffset!;
  return `${Math.floor(bit / 8)}:${bit % 8}-${(bit % 8) + f.bitWidth - 1}`;
}

interface Expected {
  size: number;
  align: number;
  offsets?: string[];
}

/** Lays `rec` out on each ABI and compares with `expected` (one entry for all ABIs, or per ABI). */
function check(rec: RecordDecl, expected: Expected | Partial<Record<AbiName, Expected>>, extra: RecordDecl[] = []): RecordLayout[] {
  const out: RecordLayout[] = [];
  for (const abi of allAbis) {
    const exp = 'size' in expected ? (expected as Expected) : (expected as Record<AbiName, Expected>)[abi];
    if (!exp) continue;
    const ctx = createLayoutContext(abis[abi], unitWith([rec, ...extra]));
    const l = ctx.layoutOf(rec);
    const got: Expected = { size: l.size, align: l.align };
    if (exp.offsets) got.offsets = l.fields.map(dumpOf);
    assert.deepEqual(got, exp, `${abi}`);
    out.push(l);
  }
  return out;
}

// ----- tests -----------------------------------------------------------------

const int128: CType = { kind: 'int', rank: 'int128', signed: true };

describe('layout: scalars and natural alignment (clang 14)', () => {
  it('double and __int64 are 8-aligned on every ABI, long is 4', () => {
    const r = record([field('c', T.char), field('d', T.double), field('s', T.short), field('ll', T.llong), field('l', T.long)]);
    check(r, { size: 40, align: 8, offsets: ['0', '8', '16', '24', '32'] });
  });

  it('pointers follow the ABI; __ptr32/__ptr64 are honoured only on x86/x64', () => {
    const r = record([field('c', T.char), field('p', T.ptr(T.int, 32)), field('d', T.char), field('q', T.ptr(T.int, 64))]);
    check(r, {
      x86: { size: 24, align: 8, offsets: ['0', '4', '8', '16'] },
      x64: { size: 24, align: 8, offsets: ['0', '4', '8', '16'] },
      arm64: { size: 32, align: 8, offsets: ['0', '8', '16', '24'] },
      arm32: { size: 16, align: 4, offsets: ['0', '4', '8', '12'] },
    });
    const plain = record([field('c', T.char), field('p', T.ptr(T.void))]);
    check(plain, {
      x86: { size: 8, align: 4 },
      x64: { size: 16, align: 8 },
      arm64: { size: 16, align: 8 },
      arm32: { size: 8, align: 4 },
    });
  });

  it('wchar_t is 2 bytes, long double is 8, _Bool is 1, enums are 4', () => {
    const e: EnumDecl = { tag: 'E', typedefs: [], enumerators: [], loc, id: 1 };
    const r = record([field('b', T.bool), field('w', T.wchar), field('e', T.en(e)), field('ld', T.ldouble)]);
    check(r, { size: 16, align: 8, offsets: ['0', '2', '4', '8'] });
  });

  it('an enum with a fixed underlying type takes its size', () => {
    const e: EnumDecl = { tag: 'F', typedefs: [], enumerators: [], underlying: T.uchar, loc, id: 2 };
    check(record([field('a', T.en(e)), field('b', T.en(e))]), { size: 2, align: 1, offsets: ['0', '1'] });
  });
});

describe('layout: empty and zero-sized records (clang 14: C records never have size 0)', () => {
  it('empty struct and union are 4 bytes, align 1', () => {
    check(record([]), { size: 4, align: 1, offsets: [] });
    check(record([], { union: true }), { size: 4, align: 1, offsets: [] });
  });
  it('only a zero-width bit-field: 4 bytes, align 1', () => {
    check(record([field(undefined, T.int, { bits: 0 })]), { size: 4, align: 1, offsets: ['0:-'] });
  });
  it('flexible and [0] arrays take no space but keep their alignment', () => {
    check(record([field('a', T.arr(T.int))]), { size: 4, align: 4, offsets: ['0'] });
    check(record([field('c', T.char), field('a', T.arr(T.int))]), { size: 4, align: 4, offsets: ['0', '4'] });
    check(record([field('a', T.arr(T.char, 0))]), { size: 4, align: 1 });
    // Size 4 although the alignment is 8: clang does not round the empty size.
    check(record([field('a', T.arr(T.double, 0))]), { size: 4, align: 8 });
  });
  it('__declspec(align) on an empty struct: size 4 below align(4), else the alignment', () => {
    check(record([], { align: 2 }), { size: 4, align: 2 });
    check(record([], { align: 8 }), { size: 8, align: 8 });
  });
});

describe('layout: #pragma pack and __declspec(align) (clang 14)', () => {
  it('pack caps natural alignment; size is not rounded to the pack (no 64-bit quirk in clang 14)', () => {
    check(record([field('c', T.char)], { pack: 8 }), { size: 1, align: 1 });
    check(record([field('c', T.char)], { pack: 4 }), { size: 1, align: 1 });
    check(record([field('c', T.char), field('d', T.double)], { pack: 16 }), { size: 16, align: 8, offsets: ['0', '8'] });
    check(record([field('c', T.char), field('d', T.double)], { pack: 2 }), { size: 10, align: 2, offsets: ['0', '2'] });
    check(record([field('c', T.char), field('x', int128), field('y', T.llong)], { pack: 2 }), {
      x64: { size: 26, align: 2, offsets: ['0', '2', '18'] },
      arm64: { size: 26, align: 2, offsets: ['0', '2', '18'] },
    });
  });

  it('a declspec(align) record keeps its required alignment under pack, by value and in arrays', () => {
    const a16 = record([field('d', T.double)], { align: 16 });
    check(a16, { size: 16, align: 16 });
    const r5 = record([field('c', T.char), field('x', T.rec(a16)), field('d', T.char)], { pack: 1 });
    check(r5, { size: 48, align: 16, offsets: ['0', '16', '32'] }, [a16]);
    const r6 = record([field('c', T.char), field('x', T.arr(T.rec(a16), 2))], { pack: 1 });
    check(r6, { size: 48, align: 16, offsets: ['0', '16'] }, [a16]);
  });

  it('required alignment of a declspec record is its full alignment (align(4) around a double gives 8)', () => {
    const a4d = record([field('d', T.double)], { align: 4 });
    const p1 = record([field('c', T.char), field('x', T.rec(a4d))], { pack: 1 });
    check(p1, { size: 16, align: 8, offsets: ['0', '8'] });
  });

  it('required alignment propagates through a record without a declspec', () => {
    const a4c = record([field('c', T.char)], { align: 4 });
    const noA = record([field('a', T.rec(a4c))]);
    check(noA, { size: 4, align: 4 });
    const p2 = record([field('c', T.char), field('x', T.rec(noA))], { pack: 1 });
    check(p2, { size: 8, align: 4, offsets: ['0', '4'] });
  });

  it('a declspec(align) typedef is required (wins over pack); through typedefs and arrays too', () => {
    const i8 = T.td('I8', T.int, 8);
    check(record([field('c', T.char), field('x', i8)], { pack: 1 }), { size: 16, align: 8, offsets: ['0', '8'] });
    const i8b = T.td('I8b', i8);
    check(record([field('c', T.char), field('x', T.arr(i8b, 2))], { pack: 1 }), { size: 16, align: 8, offsets: ['0', '8'] });
  });

  it('a typedef align lower than natural: required under pack, natural otherwise', () => {
    const i2 = T.td('I2', T.int, 2);
    check(record([field('c', T.char), field('x', i2)], { pack: 1 }), { size: 6, align: 2, offsets: ['0', '2'] });
    check(record([field('c', T.char), field('x', i2)]), { size: 8, align: 4, offsets: ['0', '4'] });
  });

  it('declspec(align) on a member wins over pack', () => {
    check(record([field('c', T.char), field('x', T.short, { align: 4 })], { pack: 1 }), { size: 8, align: 4, offsets: ['0', '4'] });
  });

  it('declspec(align) on a bit-field raises alignment but is not required alignment', () => {
    const p7 = record([field('c', T.char), field('x', T.int, { bits: 3, align: 4 })], { pack: 1 });
    check(p7, { size: 8, align: 4, offsets: ['0', '4:0-2'] });
    const p7b = record([field('c', T.char), field('y', T.rec(p7))], { pack: 1 });
    check(p7b, { size: 9, align: 1, offsets: ['0', '1'] });
    const p8 = record([field('c', T.char), field('x', T.td('I8', T.int, 8), { bits: 3 }), field('d', T.char)], { pack: 1 });
    check(p8, { size: 16, align: 8, offsets: ['0', '8:0-2', '12'] });
    check(record([field('c', T.char), field('y', T.rec(p8))], { pack: 1 }), { size: 17, align: 1, offsets: ['0', '1'] });
  });

  it('arrays of an over-aligned typedef: sizeof(C16[3]) is 3 on 32-bit, 16 on 64-bit', () => {
    const c16 = T.td('C16', T.char, 16);
    check(record([field('x', T.arr(c16, 3))]), { size: 16, align: 16 });
    for (const abi of allAbis) {
      const ctx = createLayoutContext(abis[abi], unitWith());
      assert.equal(ctx.typeInfo(T.arr(c16, 3)).size, abis[abi].pointer.size === 8 ? 16 : 3, abi);
      assert.equal(ctx.typeInfo(c16).size, 1);
      assert.equal(ctx.typeInfo(c16).align, 16);
    }
  });
});

describe('layout: MSVC bit-fields (clang 14)', () => {
  it('units follow the declared type size; same-size types of different sign share a unit', () => {
    const e: EnumDecl = { tag: 'EN', typedefs: [], enumerators: [], loc, id: 3 };
    const r = record([
      field('a', T.bool, { bits: 1 }),
      field('b', T.en(e), { bits: 2 }),
      field('c', T.char, { bits: 3 }),
      field('d', T.char, { bits: 6 }),
      field('e', T.short, { bits: 1 }),
      field('f', T.ushort, { bits: 15 }),
      field('g', T.llong, { bits: 1 }),
      field('h', T.int, { bits: 31 }),
      field('i', T.int, { bits: 2 }),
    ]);
    check(r, { size: 32, align: 8, offsets: ['0:0-0', '4:0-1', '8:0-2', '9:0-5', '10:0-0', '10:1-15', '16:0-0', '24:0-30', '28:0-1'] });
  });

  it('zero-width bit-fields align only after a non-zero-width bit-field', () => {
    const r = record([
      field('a', T.int, { bits: 1 }),
      field(undefined, T.int, { bits: 0 }),
      field(undefined, T.int, { bits: 0 }),
      field('b', T.char),
      field(undefined, T.char, { bits: 0 }),
      field('c', T.char, { bits: 1 }),
      field(undefined, T.int, { bits: 0 }),
      field('d', T.short, { bits: 2 }),
    ]);
    check(r, { size: 12, align: 4, offsets: ['0:0-0', '4:-', '4:-', '4', '5:-', '5:0-0', '8:-', '8:0-1'] });
    check(record([field('a', T.char), field(undefined, T.int, { bits: 0 }), field('b', T.int)]), { size: 8, align: 4, offsets: ['0', '1:-', '4'] });
  });

  it('bit-fields in unions do not raise the alignment', () => {
    check(record([field('a', T.int, { bits: 3 })], { union: true }), { size: 4, align: 1, offsets: ['0:0-2'] });
    check(record([field('a', T.char, { bits: 1 }), field(undefined, T.int, { bits: 0 })], { union: true }), { size: 4, align: 1, offsets: ['0:0-0', '0:-'] });
    check(record([field('a', T.char), field('b', T.int, { bits: 7 }), field('c', T.llong, { bits: 3 })], { union: true }), {
      size: 8,
      align: 1,
      offsets: ['0', '0:0-6', '0:0-2'],
    });
    check(record([field('a', T.char), field('b', T.int, { bits: 7 }), field('s', T.short)], { union: true, pack: 1 }), { size: 4, align: 1 });
  });

  it('bit-field units under pack(1)', () => {
    check(record([field('a', T.char), field('b', T.int, { bits: 5 }), field('c', T.char)], { pack: 1 }), { size: 6, align: 1, offsets: ['0', '1:0-4', '5'] });
  });

  it('a bit-field wider than its type is reported and clamped (clang: int x:40 takes one int)', () => {
    const ctx = createLayoutContext(abis.x86, unitWith());
    const r = record([field('c', T.char), field('x', T.int, { bits: 40 }), field('d', T.char)]);
    const l = ctx.layoutOf(r);
    assert.deepEqual(l.fields.map(dumpOf), ['0', '4:0-31', '8']);
    assert.equal(l.size, 12);
    assert.equal(l.complete, false);
    assert.deepEqual(ctx.diagnostics.map((d) => d.code), ['layout-bitfield-too-wide']);
  });

  it('_Bool bit-fields wider than 1 bit are reported', () => {
    const ctx = createLayoutContext(abis.x64, unitWith());
    ctx.layoutOf(record([field('b', T.bool, { bits: 2 })]));
    assert.deepEqual(ctx.diagnostics.map((d) => d.code), ['layout-bitfield-too-wide']);
  });

  it('non-integral and negative bit-fields are reported', () => {
    const ctx = createLayoutContext(abis.x64, unitWith());
    ctx.layoutOf(record([field('f', T.double, { bits: 2 }), field('n', T.int, { bits: -1 })]));
    assert.deepEqual(ctx.diagnostics.map((d) => d.code), ['layout-bitfield-type', 'layout-bitfield-negative']);
  });
});

describe('layout: unions, anonymous members, nesting', () => {
  it('anonymous struct/union members are nested with outer offsets', () => {
    const u = record([field('i', T.int), field('d', T.double)], { union: true });
    const s = record([field('x', T.char), field('y', T.short)]);
    const a = record([field('p', T.char), field('q', T.int)]);
    const an = record([field('c', T.char), field(undefined, T.rec(u)), field('s', T.rec(s)), field(undefined, T.rec(a))]);
    const [l] = check(an, { size: 32, align: 8, offsets: ['0', '8', '16', '20'] }, [u, s, a]);
    assert.deepEqual(l.fields[1].fields!.map((f) => [f.name, f.offset]), [['i', 8], ['d', 8]]);
    assert.equal(l.fields[2].fields, undefined);
    assert.deepEqual(l.fields[3].fields!.map((f) => [f.name, f.offset, f.paddingAfter]), [['p', 20, 3], ['q', 24, 0]]);
    // Padding inside the anonymous struct is padding of the outer record.
    assert.deepEqual(l.holes.map((h) => [h.offset, h.size, h.after, h.tail]), [[1, 7, 'c', false], [21, 3, 'p', false], [28, 4, null, true]]);
  });

  it('multi-dimensional arrays and arrays of records', () => {
    const inner = record([field('a', T.short), field('b', T.char)]);
    const r = record([field('m', T.arr(T.arr(T.char, 3), 5)), field('x', T.arr(T.rec(inner), 3)), field('p', T.ptr(T.void))]);
    check(r, {
      x86: { size: 32, align: 4, offsets: ['0', '16', '28'] },
      x64: { size: 40, align: 8, offsets: ['0', '16', '32'] },
      arm64: { size: 40, align: 8, offsets: ['0', '16', '32'] },
      arm32: { size: 32, align: 4, offsets: ['0', '16', '28'] },
    });
  });
});

describe('layout: holes and padding', () => {
  it('reports interior and tail padding, and paddingAfter per member', () => {
    const ctx = createLayoutContext(abis.x64, unitWith());
    const l = ctx.layoutOf(record([field('a', T.char), field('b', T.int), field('c', T.char)]));
    assert.deepEqual(l.holes, [
      { offset: 1, size: 3, after: 'a', tail: false },
      { offset: 9, size: 3, after: 'c', tail: true },
    ]);
    assert.deepEqual(l.fields.map((f) => f.paddingAfter), [3, 0, 3]);
  });

  it('padding after bit-field units, none inside a unit', () => {
    const ctx = createLayoutContext(abis.x86, unitWith());
    const l = ctx.layoutOf(record([field('a', T.char, { bits: 3 }), field('b', T.char, { bits: 2 }), field('c', T.int)]));
    assert.deepEqual(l.fields.map((f) => f.paddingAfter), [0, 3, 0]);
    assert.deepEqual(l.holes, [{ offset: 1, size: 3, after: 'b', tail: false }]);
  });

  it('unions: tail padding after the largest member', () => {
    const ctx = createLayoutContext(abis.x86, unitWith());
    const l = ctx.layoutOf(record([field('a', T.char, { align: 4 }), field('b', T.short)], { union: true }));
    assert.equal(l.size, 4);
    assert.deepEqual(l.fields.map((f) => f.paddingAfter), [3, 2]);
    assert.deepEqual(l.holes, [{ offset: 2, size: 2, after: 'b', tail: true }]);
  });
});

describe('layout: errors are diagnostics', () => {
  it('incomplete member type: size 0, complete false', () => {
    const fwd = record(undefined, { tag: 'FWD' });
    const ctx = createLayoutContext(abis.x64, unitWith());
    const l = ctx.layoutOf(record([field('a', T.int), field('f', T.rec(fwd)), field('b', T.int)]));
    assert.deepEqual([l.size, l.complete], [8, false]);
    assert.deepEqual(ctx.diagnostics.map((d) => d.code), ['layout-incomplete-type']);
  });

  it('a struct containing itself, directly or through a cycle, does not hang', () => {
    const a = record([], { tag: 'A' });
    const b = record([field('a', T.rec(a))], { tag: 'B' });
    a.fields!.push(field('x', T.int), field('b', T.rec(b)));
    const ctx = createLayoutContext(abis.x86, unitWith([a, b]));
    const l = ctx.layoutOf(a);
    assert.equal(l.complete, false);
    assert.ok(ctx.diagnostics.some((d) => d.code === 'layout-recursive-type'));
    const self = record([]);
    self.fields!.push(field('me', T.rec(self)));
    ctx.layoutOf(self);
    assert.equal(ctx.diagnostics.filter((d) => d.code === 'layout-recursive-type').length, 2);
  });

  it('negative, unevaluable and oversized array bounds', () => {
    const ctx = createLayoutContext(abis.x64, unitWith());
    const neg: Expr = { kind: 'unary', op: '-', arg: num(2), loc: at() };
    const opaque: Expr = { kind: 'opaque', text: 'f()', loc: at() };
    const l = ctx.layoutOf(record([field('a', T.arr(T.int, neg)), field('b', T.arr(T.int, opaque)), field('c', T.arr(T.arr(T.int, 65536), 65536)), field('d', T.int)]));
    assert.deepEqual([l.size, l.complete], [4, false]);
    assert.deepEqual(ctx.diagnostics.map((d) => d.code), ['layout-bad-array-size', 'eval-not-constant', 'layout-too-large']);
  });

  it('unknown types are reported once per name', () => {
    const ctx = createLayoutContext(abis.x64, unitWith());
    ctx.layoutOf(record([field('a', T.err('FOO')), field('b', T.int)]));
    ctx.layoutOf(record([field('a', T.err('FOO'))]));
    const l = ctx.layoutOf(record([field('c', T.char), field('b', T.err('BAR')), field('i', T.int)]));
    assert.deepEqual(l.fields.map(dumpOf), ['0', '1', '4']);
    assert.equal(l.complete, false);
    assert.deepEqual(ctx.diagnostics.map((d) => d.message), [
      "unknown type 'FOO' is laid out as 0 bytes; offsets after it are a guess",
      "unknown type 'BAR' is laid out as 0 bytes; offsets after it are a guess",
    ]);
  });

  it('non-power-of-2 alignment, function members, void members', () => {
    const ctx = createLayoutContext(abis.x64, unitWith());
    const l = ctx.layoutOf(record([field('a', T.int, { align: 3 }), field('f', T.fn()), field('v', T.void)]));
    assert.equal(l.size, 4);
    assert.deepEqual(ctx.diagnostics.map((d) => d.code), ['layout-bad-alignment', 'layout-function-member', 'layout-incomplete-type']);
  });
});

describe('layout: memoisation and speed', () => {
  it('layoutOf is memoised per record', () => {
    const ctx = createLayoutContext(abis.x64, unitWith());
    const r = record([field('a', T.int)]);
    assert.equal(ctx.layoutOf(r), ctx.layoutOf(r));
  });

  it('lays out 5000 interlinked records once each (memoised: no quadratic or exponential re-layout)', () => {
    const records: RecordDecl[] = [];
    const shared = T.td('ULONG_PTR', T.ullong);
    for (let i = 0; i < 5000; i++) {
      const prev = records[i - 1];
      const fields = [field('a', T.char), field('p', shared), field('b', T.int, { bits: 3 }), field('arr', T.arr(T.short, 7))];
      if (prev) fields.push(field('inner', T.rec(prev.fields!.length > 5 ? records[Math.max(0, i - 2)] : prev)));
      records.push(record(fields));
    }
    // No timing here (npm run bench measures speed): the layouts are memoised, so each record is
    // laid out once (its members' records were, just before) and asking again returns the same object.
    const ctx = createLayoutContext(abis.x64, unitWith(records));
    const first = records.map((r) => ctx.layoutOf(r));
    assert.ok(first.every((l) => l.complete));
    records.forEach((r, i) => assert.equal(ctx.layoutOf(r), first[i]));
    assert.equal(ctx.diagnostics.length, 0);
  });
});

// ----- snippets against clang goldens ------------------------------------------

interface GoldenRecord {
  kind: 'struct' | 'union';
  size: number;
  align: number;
  fields: [string | null, string][];
}

const fixtureDir = path.join(__dirname, '..', '..', 'test', 'fixtures', 'layout');

describe('layout: C snippets against clang 14 record dumps', () => {
  const files = fs.readdirSync(fixtureDir).filter((f) => f.endsWith('.c'));
  for (const file of files) {
    // suffixes.c needs literal spellings (`0u`, `1LL`, decimal vs hex), which the parser keeps as num.text.
    const needsSpelling = file === 'suffixes.c';
    it(file, function () {
      const text = fs.readFileSync(path.join(fixtureDir, file), 'utf8');
      const golden = JSON.parse(fs.readFileSync(path.join(fixtureDir, file.replace(/\.c$/, '.clang.json')), 'utf8')) as {
        abis: Record<AbiName, Record<string, GoldenRecord>>;
      };
      const session = createSession(memoryHost({ ['/fixtures/' + file]: text }));
      const analysis = analyzeFile(session, '/fixtures/' + file, { abis: allAbis, prelude: false });
      if (needsSpelling) assert.ok(keepsLiteralText(analysis.units.get('x86')!.unit.records), 'the parser keeps literal spellings');
      const mismatches: string[] = [];
      for (const abi of allAbis) {
        const unit = analysis.units.get(abi)!;
        const parseErrors = unit.diagnostics.filter((d) => d.severity === 'error');
        assert.deepEqual(parseErrors.map((d) => `${d.loc.line}: ${d.message}`), [], `${abi}: front-end errors`);
        const expected = golden.abis[abi];
        const seen = new Set<string>();
        for (const rec of unit.unit.records) {
          if (!rec.tag || !rec.fields || !(rec.tag in expected)) continue;
          seen.add(rec.tag);
          const l = unit.layout.layoutOf(rec);
          const want = expected[rec.tag];
          const got = { size: l.size, align: l.align, fields: l.fields.map((f) => [f.name, dumpOf(f)]) };
          const exp = { size: want.size, align: want.align, fields: want.fields };
          if (JSON.stringify(got) !== JSON.stringify(exp)) mismatches.push(`${abi} ${rec.tag}: got ${JSON.stringify(got)}, clang ${JSON.stringify(exp)}`);
        }
        const missing = Object.keys(expected).filter((t) => !t.startsWith('__') && !seen.has(t));
        assert.deepEqual(missing, [], `${abi}: records clang laid out but we did not see`);
        assert.deepEqual(unit.layout.diagnostics.map((d) => d.message), [], `${abi}: layout diagnostics`);
      }
      assert.deepEqual(mismatches, []);
    });
  }
});

/** True if the parser attaches the literal's spelling (`text`) to `num` nodes in array bounds. */
function keepsLiteralText(records: RecordDecl[]): boolean {
  const visit = (e: Expr | undefined): boolean => {
    if (!e) return false;
    switch (e.kind) {
      case 'num':
        return typeof (e as { text?: unknown }).text === 'string';
      case 'unary':
      case 'cast':
        return visit(e.arg);
      case 'binary':
        return visit(e.left) || visit(e.right);
      case 'cond':
        return visit(e.test) || visit(e.then) || visit(e.else);
      default:
        return false;
    }
  };
  return records.some((r) => r.fields?.some((f) => f.type.kind === 'array' && visit(f.type.length)));
}
