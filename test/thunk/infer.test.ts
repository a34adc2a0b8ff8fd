/**
 * What the generator reads from names and comments when no SAL says it:
 * pointer counts (counts.ts) and union discriminators (switches.ts), on
 * small in-memory headers. The routines these decisions produce are run in
 * run.test.ts (members.h) and http.test.ts (the real http.h).
 */

import * as assert from 'node:assert/strict';
import { analyzeFile, createSession } from '../../server/src/core/analyze';
import type { EnumDecl } from '../../server/src/core/ast';
import { countNames } from '../../server/src/core/thunk/counts';
import { generateThunks } from '../../server/src/core/thunk/index';
import type { Conversion, FieldPlan } from '../../server/src/core/thunk/plan';
import { annotatedCases, annotatedSwitch, armsNamedBy, words } from '../../server/src/core/thunk/switches';
import { memoryHost } from '../../server/src/core/source';

function plan(text: string, type: string) {
  const file = '/mem/infer.h';
  const analysis = analyzeFile(createSession(memoryHost({ [file]: text })), file, { abis: ['x86', 'x64'] });
  return generateThunks(analysis, { type });
}

/** `member -> how it converts`, with the count of a pointee: `deep NameCount elements (inferred)`. */
function conversions(fields: FieldPlan[]): Record<string, string> {
  const describe = (c: Conversion): string => {
    if (c.kind !== 'deep' && c.kind !== 'buffer') return c.kind;
    const n = c.count.member ?? String(c.count.constant);
    return `${c.kind} ${n} ${c.count.bytes ? 'bytes' : 'elements'} (${c.count.how})`;
  };
  return Object.fromEntries(fields.filter((f) => f.name).map((f) => [f.name!, describe(f.conversion)]));
}

describe('thunk: counts without SAL', () => {
  it('names the members that count a pointer, in elements and in bytes', () => {
    assert.deepEqual(countNames('pUnknownHeaders'), {
      elements: ['UnknownHeadersCount', 'NumberOfUnknownHeaders', 'NumUnknownHeaders', 'UnknownHeaderCount', 'NumberOfUnknownHeader', 'NumUnknownHeader'],
      bytes: [
        'UnknownHeadersLength', 'UnknownHeadersSize', 'UnknownHeadersBytes', 'UnknownHeadersByteCount', 'UnknownHeadersLengthInBytes', 'UnknownHeadersSizeInBytes', 'cbUnknownHeaders',
        'UnknownHeaderLength', 'UnknownHeaderSize', 'UnknownHeaderBytes', 'UnknownHeaderByteCount', 'UnknownHeaderLengthInBytes', 'UnknownHeaderSizeInBytes', 'cbUnknownHeader',
      ],
    });
    assert.deepEqual(countNames('lpEntries').elements.slice(3), ['EntryCount', 'NumberOfEntry', 'NumEntry']);
    assert.deepEqual(countNames('Addresses').elements.slice(3, 4), ['AddressCount']);
  });

  it('infers counts from the record, lets an annotation override them, and takes a pointer to one record as one', () => {
    const r = plan(
      `typedef struct _LEAF { ULONG V; PVOID P; } LEAF, *PLEAF;
       typedef struct _R {
         ULONG cbBlob; PVOID pBlob;
         USHORT EntryCount; PLEAF pEntries;
         ULONG NumberOfLeaves; PLEAF Leaves;
         ULONG PathLength; PCWSTR Path;
         ULONG ValueCount; PULONG Values; /* @count 4 */
         ULONG KeyCount; _Field_size_(KeyCount) PUCHAR Keys;
         ULONG OtherCount; PLEAF Other; /* @count OtherCount */
         PLEAF One; PVOID Unsized; PCSTR NoLength;
         ULONGLONG HugeCount; PLEAF Huge;
       } R;`,
      'R',
    );
    assert.deepEqual(conversions(r.plan.root!.fields), {
      cbBlob: 'copy', pBlob: 'buffer cbBlob bytes (inferred)',
      EntryCount: 'copy', pEntries: 'deep EntryCount elements (inferred)',
      NumberOfLeaves: 'copy', Leaves: 'deep NumberOfLeaves elements (inferred)',
      PathLength: 'copy', Path: 'buffer PathLength bytes (inferred)',
      ValueCount: 'copy', Values: 'buffer 4 elements (annotation)',
      KeyCount: 'copy', Keys: 'buffer KeyCount elements (annotation)',
      OtherCount: 'copy', Other: 'deep OtherCount elements (annotation)',
      One: 'deep 1 elements (single)', Unsized: 'pointer', NoLength: 'pointer',
      // A 64-bit count is no count for a 32-bit caller: one record.
      HugeCount: 'copy', Huge: 'deep 1 elements (single)',
    });
    assert.deepEqual(
      r.warnings.filter((w) => w.code === 'inferred-count').map((w) => w.member),
      ['pBlob', 'pEntries', 'Leaves', 'Path'],
    );
    assert.match(r.text, /\/\* pEntries: EntryCount LEAF32 in the caller's memory \(inferred from the name EntryCount\)\. \*\//);
    assert.match(r.text, /\/\* Values: 4 ULONG in the caller's memory \(@count 4\)\. \*\//);
  });

  it('refuses a byte count of records that change size, and a count that is not an integer member', () => {
    const r = plan('typedef struct _LEAF { PVOID P; } LEAF; typedef struct _R { ULONG Bytes; _Field_size_bytes_(Bytes) LEAF *Items; LEAF *Other; /* @count Nope */ } R;', 'R');
    assert.deepEqual(r.warnings.map((w) => [w.code, w.member]), [['unknown-count', 'Items'], ['unknown-count', 'Other']]);
  });
});

describe('thunk: discriminated unions', () => {
  it('splits names into words and matches constants to arms word for word', () => {
    assert.deepEqual(words('HttpDataChunkFromFragmentCacheEx'), ['http', 'data', 'chunk', 'from', 'fragment', 'cache', 'ex']);
    assert.deepEqual(words('IO_TYPE_HTTPRequest'), ['io', 'type', 'http', 'request']);
    const decl = { enumerators: ['KindFromMemory', 'KindFromFragmentCache', 'KindFromFragmentCacheEx', 'KindValid', 'KindMax'].map((name) => ({ name })) } as unknown as EnumDecl;
    assert.deepEqual(Object.fromEntries(armsNamedBy(decl, ['FromMemory', 'FromFragmentCache', 'Id'])), {
      FromMemory: ['KindFromMemory'],
      FromFragmentCache: ['KindFromFragmentCache'],
    });
  });

  it('reads @switch on the union or the record, and @case on an arm', () => {
    assert.equal(annotatedSwitch(['/* @switch Type */'], [], 'u'), 'Type');
    assert.equal(annotatedSwitch([], ['/* @switch u Type */'], 'u'), 'Type');
    assert.equal(annotatedSwitch([], ['/* @switch v Type */'], 'u'), undefined);
    assert.deepEqual(annotatedCases(['/* @case A, B */']), ['A', 'B']);
  });

  it('converts a union by the enum member whose values name its arms, and leaves a TODO when none does', () => {
    const header = `typedef enum _K { KindPointer, KindHandle, KindOther } K;
      typedef struct _A { K Kind; ULONG Pad; union { PVOID Pointer; HANDLE Handle; }; } A;
      typedef struct _B { ULONG Kind; union { PVOID Pointer; HANDLE Handle; }; } B;
      typedef struct _C { K Kind; union { PVOID Pointer; HANDLE Handle; PVOID Nameless; }; } C;`;
    const a = plan(header, 'A');
    const sw = a.plan.root!.fields.find((f) => f.switch)!.switch!;
    assert.deepEqual([sw.member, sw.arms.map((x) => [x.values, x.field.name])], ['Kind', [[['KindPointer'], 'Pointer'], [['KindHandle'], 'Handle']]]);
    assert.deepEqual(a.warnings.map((w) => w.code), ['inferred-switch']);
    assert.match(a.text, /case KindPointer:\n {8}Native->Pointer = UlongToPtr\(Shadow->Pointer\);/);
    // An integer kind with no annotation, or an arm no constant names: a TODO and a warning.
    assert.deepEqual(plan(header, 'B').warnings.map((w) => w.code), ['union-pointer']);
    assert.deepEqual(plan(header, 'C').warnings.map((w) => w.code), ['union-pointer']);
  });

  it('says when @switch names no usable member', () => {
    const r = plan('typedef struct _A { PVOID Kind; union { /* @switch Kind */ PVOID P; ULONG V; }; } A;', 'A');
    assert.deepEqual(r.warnings.map((w) => w.code), ['unknown-switch', 'union-pointer']);
  });
});
