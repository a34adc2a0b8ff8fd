/**
 * Proof 2: the generated routines, compiled natively (Linux, with the
 * simulating half of wdk_shim.h and `_WIN64` defined so the 32-bit branches
 * and guards are in), run on sample data: pointers above 0x80000000 are
 * zero-extended, INVALID_HANDLE_VALUE sign-extends, NULL arrays, zero,
 * maximal and overflowing counts are rejected without leaking pool, a fault
 * in the middle of the caller's array becomes STATUS_ACCESS_VIOLATION,
 * write-back range-checks sizes, keeps the caller's own pointers and never
 * copies padding, and the dispatch branch reports the 32-bit size.
 *
 * The expected lines are the data; the programs are test/thunk-fixtures/*.run.c.
 */

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { ThunkOptions, ThunkResult } from '../../server/src/core/thunk/index';
import { requireTool } from '../helpers';
import { fixtures, runNative, sampleHeader, tempDir, thunk, windowsUnit } from './harness';

/** One unit with the routines of several types (each result brings its own dependencies). */
function unitFor(header: string, runs: ThunkOptions[], program: string): string {
  const results: ThunkResult[] = runs.map((o) => thunk(header, o));
  for (const r of results) assert.equal(r.error, undefined);
  // Types share dependencies (each run brings SHAPE_LEAF32): keep each piece once, as a second run over the
  // file holding the first one's output would (see api.test.ts).
  const seen = new Set<string>();
  const pieces = results.flatMap((r) => r.pieces).filter((p) => {
    const key = `${p.kind}\0${p.type}\0${p.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const merged: ThunkResult = { ...results[0], pieces };
  return `#define _WIN64 1\n${windowsUnit(header, merged, `#include "${path.join(fixtures, program)}"\n`)}`;
}

function expectLines(output: string, expected: string[]) {
  const lines = output.trim().split('\n');
  assert.deepEqual(lines, expected, `program output:\n${output}`);
}

describe('thunk: generated routines run natively on sample data', function () {
  this.timeout(60000);

  it('CONTOSO_*: deep capture, handles, strings, sizes, failures and the WDM branch', function () {
    if (!requireTool(this, 'clang')) return;
    const unit = unitFor(
      sampleHeader,
      [
        { type: 'CONTOSO_SUBMIT_BATCH', dispatch: 'wdm' },
        { type: 'CONTOSO_OPEN_SESSION' },
        { type: 'CONTOSO_SESSION_INFO' },
      ],
      'contoso.run.c',
    );
    const out = runNative(tempDir(), 'contoso.c', unit);
    expectLines(out, [
      'batch: status=00000000 count=3 timeout=-10000 pool=1',
      'batch[0]: id=1 buffer=0000000090001000 length=64 context=00000000ffffffff',
      'batch[1]: id=2 buffer=0000000000000000 length=0 context=0000000000000007',
      'batch[2]: id=3 buffer=000000007fffffff length=1 context=0000000080000000',
      "batch: pool copy is not the caller's array: yes",
      'batch write-back: status=00000000 count=3 requests=90000000 timeout=-10000',
      'batch released: pool=0 requests=NULL',
      'batch released twice: pool=0',
      'zero count: status=00000000 requests=NULL pool=0',
      'NULL array: status=c0000005 requests=NULL pool=0',
      'count overflows: status=c0000095 pool=0',
      'maximal count: status=c0000005 pool=0',
      'array runs into an unmapped page: status=c0000005 pool=0',
      'misaligned array: status=80000002 pool=0',
      'open: status=00000000 event=ffffffffffffffff name=10/12 same characters, a pool copy: yes flags=80000001 pool=1',
      'open: small handle=0000000000000124',
      'open write-back: status=00000000 event=ffffffff name=90000f00',
      'info: status=00000000 id=1122334455667788 ring=00000000ffffffff',
      'info write-back: status=00000000 ring=ffffffff',
      'info write-back of 4 GB: status=c0000095',
      'dispatch 32-bit: status=00000000 information=16 requests=90000000 pool=0',
      'dispatch 32-bit, short buffer: status=c0000023',
      'dispatch 64-bit: status=00000000 information=24 count=5',
    ]);
  });

  it('SHAPE_*: nested deep capture with @count, padding, signed sizes, inline records, unions, pack and the KMDF branch', function () {
    if (!requireTool(this, 'clang')) return;
    const shapes = path.join(fixtures, 'shapes.h');
    const unit = unitFor(
      shapes,
      [
        { type: 'SHAPE_BATCH', dispatch: 'kmdf' },
        { type: 'SHAPE_INLINE' },
        { type: 'SHAPE_UNION' },
        { type: 'SHAPE_PACKED' },
        { type: 'SHAPE_IOSB' },
        { type: 'SHAPE_OPTIONAL' },
      ],
      'shapes.run.c',
    );
    const out = runNative(tempDir(), 'shapes.c', unit);
    expectLines(out, [
      'batch: status=00000000 flags=10 count=2 completion=fffffffffffffffe pool=3',
      'node[0]: leaves=2 leaf0=11/00000000fffffff0 leaf1=12/0000000000000000',
      'node[0].item: kind=7 event=ffffffffffffffff name=4/6 copied length=00000000ffffffff delta=-5 tags=0000000080000000,0000000000000001 stamp=-1',
      'node[1]: leaves=0 array=NULL',
      'batch released: pool=0',
      'nested overflow: status=c0000095 pool=0 nodes=NULL',
      'nested NULL array: status=c0000005 pool=0',
      'item write-back: status=00000000 padding=000000 event=ffffffff name=90000f00 length=ffffffff delta=-5 tags=00000000,80000000',
      'item write-back, 4 GB length: status=c0000095',
      'item write-back, delta below MINLONG: status=c0000095',
      'item write-back, delta MINLONG: status=00000000 delta=-2147483648',
      'inline: status=00000000 base=0000000090000000 size=4096 section=ffffffffffffffff view=00000000ffffffff flink=0000000080000010 handles=0000000000000004,0000000000000000,ffffffff80000000 size11=00000000ffffffff',
      'union: status=00000000 type=1 pointer=0000000000000000 after=5',
      'optional NULL: status=00000000 count=3 leaves=NULL pool=0',
      'optional array: status=00000000 leaf1=12 pool=1',
      'iosb: status=00000000 iosb.status=c0000001 information=00000000ffffffff event=ffffffff80000000',
      'iosb write-back of 4 GB information: status=c0000095',
      'packed: status=00000000 big=0102030405060708 where=00000000ffffffff tail=9',
      'kmdf 32-bit: status=00000000 information=16 nodes=90000000 completion=00000044 pool=0',
      'kmdf 32-bit, short buffer: status=c0000023',
    ]);
  });

  it('MEMBER_*: arrays, unions, enums, bit-fields, counts from names, one record, switched unions, packing, the receive path', function () {
    if (!requireTool(this, 'clang')) return;
    const unit = unitFor(
      path.join(fixtures, 'members.h'),
      [{ type: 'MEMBER_ARRAYS' }, { type: 'MEMBER_NAMES', direction: 'out', dispatch: 'wdm' }, { type: 'MEMBER_TAGGED', direction: 'out' }, { type: 'MEMBER_PACKED' }],
      'members.run.c',
    );
    const out = runNative(tempDir(), 'members.c', unit);
    expectLines(out, [
      'dispatch receive 32-bit: status=00000000 information=40',
      'dispatch receive 32-bit, short buffer: status=80000005 information=0',
      'arrays: status=00000000 cdb=a0..af matrix=102,105 color=7fffffff bytes=010203040506 named=1122334455667788',
      'arrays: leaves=7/00000000fffffff0,8/0000000080000000 sizes=00000000ffffffff,0000000000000003 name=Name flags=5 mode=17 context=0000000090000000',
      'arrays write-back: status=00000000 same bytes as sent: yes',
      'arrays write-back, 4 GB in a nested array: status=c0000095',
      'names: status=00000000 pool=5 name=hello (a copy: yes) leaves=2:1/0000000090010000,2 items=3/00000000ffffffff single=2 opaque=0000000090010000 tags=aaaa,bbbb of 3',
      'names marshal, 8 bytes: status=80000005 needed=88 untouched=yes',
      'names marshal: status=00000000 needed=88 name@40=hello leaves@48=1,2 items@64=3 single@72=2 opaque=00000000 tags@80=aaaa,bbbb count=2',
      'names marshal: leaf cookies=00000000,00000000 (kernel addresses never reach the caller) after needed untouched=yes',
      'names released: pool=0',
      'names, a fault in the middle: status=c0000005 pool=0',
      'chunks: status=00000000 pool=2 pointer=0000000090020000 memory=abc (a copy: yes) handle=ffffffffffffffff offset=1122334455667788 inline=inline bytes',
      'chunks marshal: status=00000000 needed=91 chunks@16 (8-aligned: yes) memory@88=abc handle=ffffffff offset=1122334455667788 inline=inline bytes pointer=00000000',
      'chunks, a kind no arm is known for: status=c000000d pool=0',
      'chunks, a type no arm is known for: status=c000000d pool=0',
      'packed: status=00000000 header=11 wide=0102030405060708/0000000090030000 pair1=f0e0d0c0b0a09080/00000000fffffff0 wides=aaaaaaaabbbbbbbb/0000000090030000,ccccccccdddddddd/000000007fffffff pool=1',
      'packed write-back: status=00000000 same bytes as sent: yes',
      'packed, an array at 2: status=80000002 pool=0',
    ]);
  });
});
