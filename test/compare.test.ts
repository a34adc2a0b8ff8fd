/**
 * Records compared across ABIs (server/src/core/compare.ts): one comparison
 * behind `stale-shadow` and `unthunked-pointer` (the checks), the thunk
 * generator and the editor's record facts, so they cannot disagree about
 * the same header.
 */

import * as assert from 'node:assert/strict';
import { analyzeFile, createSession } from '../server/src/core/analyze';
import { runChecks } from '../server/src/core/checks/index';
import { compareShadow, shadowDifferences } from '../server/src/core/compare';
import { memoryHost } from '../server/src/core/source';
import { generateThunks } from '../server/src/core/thunk/index';
import { recordNamed } from '../server/src/core/types';
import { recordKey } from '../server/src/core/names';
import { recordFacts } from '../server/src/lsp/facts';

const path = '/ws/r.h';

function analyse(text: string) {
  const session = createSession(memoryHost({ [path]: text }));
  return { analysis: analyzeFile(session, path, { abis: ['x86', 'x64'] }), session };
}

/** What `ioctl-lens check` and `ioctl-lens thunk` say about the shadow of `type`. */
function verdicts(text: string, type: string) {
  const { analysis } = analyse(text);
  const stale = runChecks([analysis]).filter((f) => f.rule === 'stale-shadow');
  const thunk = generateThunks(analysis, { type });
  const status = thunk.shadows.find((s) => s.type === type)?.status;
  return { stale, status, thunk };
}

describe('compare: one comparison of records across ABIs', () => {
  it('a shadow whose member was renamed: check and thunk both call it stale', () => {
    const text = [
      'typedef struct _R { ULONG Id; PVOID Buffer; ULONG Length; } R;',
      'typedef struct _R32 { ULONG Id; ULONG BufferAddress; ULONG Length; } R32;',
      '',
    ].join('\n');
    const { stale, status, thunk } = verdicts(text, 'R');
    assert.equal(status, 'replace', 'thunk replaces it');
    assert.equal(stale.length, 1, 'check reports it');
    assert.equal(stale[0].symbol, 'R32');
    assert.match(stale[0].message, /Buffer is missing/);
    assert.ok(thunk.warnings.some((w) => w.code === 'stale-shadow' && /Buffer: missing/.test(w.message)));
  });

  it('a right shadow, and one that keeps one alternative of a union: neither says stale', () => {
    const text = [
      'typedef struct _R { ULONG Id; PVOID Buffer; ULONG Length; } R;',
      'typedef struct _R32 { ULONG Id; VOID * POINTER_32 Buffer; ULONG Length; } R32;',
      'typedef struct _S { union { NTSTATUS Status; PVOID Pointer; }; ULONG_PTR Information; } S;',
      'typedef struct _S32 { NTSTATUS Status; ULONG Information; } S32;',
      '',
    ].join('\n');
    for (const type of ['R', 'S']) {
      const { stale, status } = verdicts(text, type);
      assert.deepEqual(stale.map((f) => f.symbol), [], `${type}: no finding`);
      assert.equal(status, 'existing', `${type}: thunk uses the shadow`);
    }
  });

  it('a shadow that differs only in alignment is stale for both', () => {
    const text = [
      '#include <pshpack4.h>',
      'typedef struct _A { ULONG Id; PVOID P; ULONGLONG V; } A;',
      '#include <poppack.h>',
      'typedef struct _A32 { ULONG Id; ULONG P; ULONGLONG V; } A32;',
      '',
    ].join('\n');
    const { stale, status } = verdicts(text, 'A');
    assert.equal(status, 'replace');
    assert.equal(stale.length, 1);
  });

  it('notes differences as the thunk generator prints them, from the same mismatches the check words', () => {
    const { analysis } = analyse('typedef struct _T { ULONG A; PVOID B; ULONG C; } T;\ntypedef struct _T32 { ULONG A; PVOID B; } T32;\n');
    const x86 = analysis.units.get('x86')!;
    const x64 = analysis.units.get('x64')!;
    const native = recordNamed([x86.unit], 'T')!.record;
    const shadow = recordNamed([x64.unit], 'T32')!.record;
    const c = compareShadow({ layout: x86.layout, record: native }, { layout: x64.layout, record: shadow });
    assert.equal(c.same, false);
    assert.deepEqual(c.mismatches.map((m) => [m.member, m.what]), [['B', 'offset'], ['C', 'missing'], ['', 'record-size'], ['', 'align']]);
    assert.deepEqual(shadowDifferences(c), ['size is 16, 12 expected', 'alignment is 8, 4 expected', 'B: offset 8, 4 expected, size 8, 4 expected', 'C: missing']);
  });

  it('the editor says a record differs when the check says it needs translation, also when only a nested member moved', () => {
    // The nested record is 16 bytes on both ABIs, but its pointer-sized member is 4 or 8 bytes.
    const text = [
      'typedef struct _INNER_REC { ULONGLONG Stamp; ULONG_PTR Tag; } INNER_REC;',
      'typedef struct _OUTER { INNER_REC Inner; ULONG Flags; } OUTER;',
      '#define IOCTL_X CTL_CODE(0x8000, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS) /* @in OUTER */',
      '',
    ].join('\n');
    const { analysis, session } = analyse(text);
    const findings = runChecks([analysis]).filter((f) => f.rule === 'unthunked-pointer');
    assert.deepEqual(findings.map((f) => f.symbol), ['OUTER']);
    const x64 = analysis.units.get('x64')!;
    const outer = recordNamed([x64.unit], 'OUTER')!.record;
    const facts = recordFacts({ path, text, analysis, session }, recordKey(outer))!;
    assert.equal(facts.perAbi.map((p) => p.size).join(','), '24,24');
    assert.equal(facts.differs, true, 'hover and code lens say it differs');
    assert.ok(facts.members.find((m) => m.path === 'Inner')!.differs);
  });

  it('a pointer in a union that other members pad to the same size: no finding, and the editor says the same', () => {
    const text = [
      'typedef struct _U { ULONG Kind; union { ULONGLONG Value; PVOID Address; } u; ULONGLONG Stamp; } U;',
      '#define IOCTL_U CTL_CODE(0x8000, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS) /* @in U */',
      '',
    ].join('\n');
    const { analysis, session } = analyse(text);
    assert.deepEqual(runChecks([analysis]).filter((f) => f.rule === 'unthunked-pointer').map((f) => f.symbol), []);
    const x64 = analysis.units.get('x64')!;
    const facts = recordFacts({ path, text, analysis, session }, recordKey(recordNamed([x64.unit], 'U')!.record))!;
    assert.equal(facts.differs, false);
    assert.equal(generateThunks(analysis, { type: 'U' }).identical, true);
  });
  it('a handle alone in a struct that is one alternative of a padded union: no finding either', () => {
    const text = [
      'typedef struct _EV { ULONG Serial; LONG Status; ULONG Flags;',
      '  union { struct { ULONG Index; } Dir; struct { LARGE_INTEGER Offset; } Rd; struct { HANDLE Token; } Tok; } Op;',
      '  ULONG64 Context; ULONG Length; UCHAR Data[8]; } EV;',
      '#define IOCTL_EV CTL_CODE(0x8000, 0x802, METHOD_BUFFERED, FILE_ANY_ACCESS) /* @in EV */',
      '',
    ].join('\n');
    const { analysis } = analyse(text);
    assert.deepEqual(runChecks([analysis]).filter((f) => f.rule === 'unthunked-pointer').map((f) => f.symbol), []);
    assert.equal(generateThunks(analysis, { type: 'EV' }).identical, true);
  });

  it('in a union alternative, pointers in an array or ahead of another member still move things: a finding', () => {
    const text = [
      'typedef struct _UA { ULONG Kind; union { PVOID Slots[2]; ULONGLONG Raw[2]; } u; } UA;',
      'typedef struct _UB { ULONG Kind; union { struct { HANDLE h; ULONG n; } s; ULONGLONG Raw[2]; } u; } UB;',
      '#define IOCTL_UA CTL_CODE(0x8000, 0x803, METHOD_BUFFERED, FILE_ANY_ACCESS) /* @in UA */',
      '#define IOCTL_UB CTL_CODE(0x8000, 0x804, METHOD_BUFFERED, FILE_ANY_ACCESS) /* @in UB */',
      '',
    ].join('\n');
    const { analysis } = analyse(text);
    assert.deepEqual(runChecks([analysis]).filter((f) => f.rule === 'unthunked-pointer').map((f) => f.symbol).sort(), ['UA', 'UB']);
  });
});
