/**
 * The structured result quick fixes use, and the CLI: which shadows exist,
 * are generated, well-known or replaced (with the stale declaration's exact
 * range), which pieces go where, warnings with stable codes, re-running
 * against a file that already holds the output, and `ioctl-lens thunk`'s
 * exit statuses.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFile, createSession } from '../../server/src/core/analyze';
import { generateThunks, prepareThunks } from '../../server/src/core/thunk/index';
import { memoryHost } from '../../server/src/core/source';
import { type Io, main } from '../../server/src/cli/main';
import { repoRoot } from '../helpers';
import { fixtures, sampleHeader, tempDir, thunk } from './harness';

const shapes = path.join(fixtures, 'shapes.h');

function statuses(type: string, header = shapes): Record<string, string> {
  const r = thunk(header, { type });
  return Object.fromEntries(r.shadows.map((s) => [s.name, s.status]));
}

describe('thunk: structured result', () => {
  it('lists shadows in dependency order with their status, guards and routine names', () => {
    const r = thunk(sampleHeader, { type: 'CONTOSO_SUBMIT_BATCH', dispatch: 'wdm' });
    assert.deepEqual(
      r.shadows.map((s) => [s.type, s.name, s.tag, s.pointer, s.status]),
      [
        ['CONTOSO_REQUEST', 'CONTOSO_REQUEST32', '_CONTOSO_REQUEST32', 'PCONTOSO_REQUEST32', 'generate'],
        ['CONTOSO_SUBMIT_BATCH', 'CONTOSO_SUBMIT_BATCH32', '_CONTOSO_SUBMIT_BATCH32', 'PCONTOSO_SUBMIT_BATCH32', 'generate'],
      ],
    );
    assert.deepEqual(r.shadows[1].guards.map((g) => [g.what, g.value]), [['sizeof', 16], ['alignment', 8], ['Count', 0], ['Requests', 4], ['Timeout', 8]]);
    assert.deepEqual(r.routines, { capture: 'CaptureContosoSubmitBatch32', writeBack: 'WriteBackContosoSubmitBatch32', release: 'ReleaseContosoSubmitBatch32' });
    assert.deepEqual(
      r.pieces.map((p) => [p.kind, p.name, p.placement]),
      [
        ['shadow', 'CONTOSO_REQUEST32', 'header'],
        ['guards', '', 'header'],
        ['shadow', 'CONTOSO_SUBMIT_BATCH32', 'header'],
        ['guards', '', 'header'],
        ['pool-tag', 'IOCTL_LENS_POOL_TAG', 'source'],
        ['capture', 'CaptureContosoRequest32', 'source'],
        ['write-back', 'WriteBackContosoRequest32', 'source'],
        ['release', 'ReleaseContosoSubmitBatch32', 'source'],
        ['capture', 'CaptureContosoSubmitBatch32', 'source'],
        ['write-back', 'WriteBackContosoSubmitBatch32', 'source'],
        ['dispatch', '', 'dispatch-case'],
      ],
    );
    // Header pieces say after which definition they go.
    const anchor = r.pieces[0].anchor!;
    assert.equal(anchor.file, sampleHeader);
    assert.match(fs.readFileSync(sampleHeader, 'utf8').slice(anchor.start.offset), /^struct _CONTOSO_REQUEST \{/);
    assert.equal(r.warnings.length, 0);
  });

  it('uses well-known and up-to-date shadows instead of generating them', () => {
    assert.deepEqual(statuses('CONTOSO_OPEN_SESSION', sampleHeader), { UNICODE_STRING32: 'well-known', CONTOSO_OPEN_SESSION32: 'generate' });
    assert.deepEqual(statuses('SHAPE_HOLDER'), { SHAPE_GOOD32: 'existing', SHAPE_HOLDER32: 'generate' });
    assert.deepEqual(statuses('SHAPE_COUNTED'), { SHAPE_LEAF32: 'generate', SHAPE_NAMED_WOW: 'existing', SHAPE_COUNTED32: 'generate' });
    const text = thunk(shapes, { type: 'SHAPE_HOLDER' }).text;
    assert.doesNotMatch(text, /\} SHAPE_GOOD32\b/, 'an existing shadow is never defined a second time');
  });

  it('replaces a stale shadow in place: its exact range, the same names, one definition', () => {
    for (const [type, stale, first, last] of [
      ['SHAPE_STALE', 'SHAPE_STALE32', 'typedef struct _SHAPE_STALE32 {', '} SHAPE_STALE32, *PSHAPE_STALE32;'],
      ['SHAPE_OLD', 'SHAPE_OLD_32', 'typedef struct {', '} SHAPE_OLD_32;'],
    ]) {
      const r = thunk(shapes, { type });
      const shadow = r.shadows.find((s) => s.name === stale)!;
      assert.equal(shadow.status, 'replace');
      assert.ok(shadow.staleBecause!.length > 0);
      const piece = r.pieces.find((p) => p.kind === 'shadow' && p.name === stale)!;
      assert.deepEqual(piece.replaces, shadow.replaces);
      const source = fs.readFileSync(shapes, 'utf8');
      const replaced = source.slice(piece.replaces!.start.offset, piece.replaces!.end.offset);
      assert.ok(replaced.startsWith(first), replaced);
      assert.ok(replaced.endsWith(last), replaced);
      assert.ok(piece.text.includes(last), 'the corrected shadow declares the same names');
      assert.equal(r.text.split(last).length - 1, 1, 'exactly one definition');
      assert.deepEqual(r.warnings.map((w) => w.code), ['stale-shadow']);
    }
  });

  it('does not replace a stale shadow whose declaration has no ; yet (half-typed): a clear error, no edit', () => {
    const file = '/mem/typing.h';
    const head = 'typedef struct _REQ { ULONG Id; PVOID Buffer; ULONG_PTR Context; } REQ;\n' + 'typedef struct _REQ32 {\n    ULONG Id;\n    VOID * POINTER_32 Buffer;\n    ULONG_PTR Context;\n} REQ32';
    const run = (text: string) => generateThunks(analyzeFile(createSession(memoryHost({ [file]: text })), file, { abis: ['x86', 'x64'] }), { type: 'REQ' });
    // At the end of the file, and before the next declaration.
    for (const text of [head, head + '\ntypedef struct _NEXT { ULONG X; } NEXT;\n']) {
      const r = run(text);
      assert.match(r.error ?? '', /stale shadow 'REQ32' \(line 2\) has no ';' after its declaration yet/, r.error);
      assert.equal(r.pieces.filter((p) => p.replaces).length, 0);
    }
    // Finished, the same shadow is replaced over its whole declaration.
    const done = run(head + ';\n');
    assert.equal(done.error, undefined);
    const piece = done.pieces.find((p) => p.kind === 'shadow' && p.replaces)!;
    assert.equal((head + ';\n').slice(piece.replaces!.start.offset, piece.replaces!.end.offset), head.slice(head.indexOf('typedef struct _REQ32')) + ';');
  });

  it('warns with stable codes: unions without discriminator, pointers that lead back into their record', () => {
    const u = thunk(shapes, { type: 'SHAPE_UNION' });
    assert.deepEqual(u.warnings.map((w) => [w.code, w.type]), [['union-pointer', 'SHAPE_UNION']]);
    assert.match(u.text, /TODO\(ioctl-lens\): this union holds members that differ/);
    // A pointer to one record with no count is one record, captured like an array of one.
    const c = thunk(shapes, { type: 'SHAPE_COUNTED' });
    assert.deepEqual(c.warnings, []);
    const one = c.plan.root!.fields.find((f) => f.name === 'One')!.conversion;
    assert.equal(one.kind, 'deep');
    assert.deepEqual(one.kind === 'deep' && [one.count.constant, one.count.how], [1, 'single']);
    const listFile = '/mem/list.h';
    const list = analyzeFile(createSession(memoryHost({ [listFile]: 'typedef struct _NODE { struct _NODE *Next; ULONG Value; PVOID Data; } NODE;' })), listFile, { abis: ['x86', 'x64'] });
    const l = generateThunks(list, { type: 'NODE' });
    assert.deepEqual(l.warnings.map((w) => [w.code, w.member, w.loc?.line]), [['recursive-pointer', 'Next', 1]]);
    assert.equal(l.plan.root!.fields[0].conversion.kind, 'pointer');
    const file = '/mem/trailing.h';
    const analysis = analyzeFile(createSession(memoryHost({ [file]: 'typedef struct _HL { ULONG Count; HANDLE Handles[ANYSIZE_ARRAY]; } HL;' })), file, { abis: ['x86', 'x64'] });
    assert.deepEqual(generateThunks(analysis, { type: 'HL' }).warnings.map((w) => [w.code, w.member]), [['untranslatable', 'Handles']]);
    const unionFile = '/mem/union.h';
    const unionAnalysis = analyzeFile(createSession(memoryHost({ [unionFile]: 'typedef union _U { PVOID P; ULONG V; } U;' })), unionFile, { abis: ['x86', 'x64'] });
    const u2 = generateThunks(unionAnalysis, { type: 'U', dispatch: 'wdm' });
    assert.deepEqual(u2.warnings.map((w) => w.code), ['union-pointer']);
    assert.deepEqual(u2.pieces.map((p) => p.kind), ['shadow', 'guards']);
    assert.equal(u2.routines, undefined);
  });

  it('writes the dispatch branch with the names of the routine it goes into', () => {
    const r = thunk(sampleHeader, { type: 'CONTOSO_SUBMIT_BATCH', dispatch: 'wdm', dispatchNames: { irp: 'pIrp', stackLocation: 'stack', status: 'ntStatus', captured: 'batch' } });
    const text = r.pieces.find((p) => p.kind === 'dispatch')!.text;
    assert.match(text, /if \(IoIs32bitProcess\(pIrp\)\) \{/);
    assert.match(text, /stack->Parameters\.DeviceIoControl\.InputBufferLength < sizeof\(CONTOSO_SUBMIT_BATCH32\)/);
    assert.match(text, /ntStatus = CaptureContosoSubmitBatch32\(\(PCONTOSO_SUBMIT_BATCH32\)pIrp->AssociatedIrp\.SystemBuffer, &batch\);/);
    assert.match(text, /pIrp->IoStatus\.Information = sizeof\(CONTOSO_SUBMIT_BATCH32\);/);
    assert.doesNotMatch(text, /\b(Irp|IrpSp|Status|Captured)\b/);
  });

  it('prepares cheaply: available, or why not', () => {
    const a = analyzeFile(createSession(memoryHost({ '/m/p.h': 'typedef struct _A { PVOID P; } A; typedef struct _B { ULONG X; } B; typedef struct _A32 { ULONG Q; } A32;' })), '/m/p.h', { abis: ['x86', 'x64'] });
    assert.deepEqual(prepareThunks(a, { type: 'A' }), { available: true, status: 'replace' });
    assert.deepEqual(prepareThunks(a, { type: 'B' }), { available: false, reason: 'B has the same layout for 32-bit callers' });
    assert.equal(prepareThunks(a, { type: 'C' }).available, false);
  });

  it('says when no thunk is needed, and reports unknown types', () => {
    const same = thunk(sampleHeader, { type: 'CONTOSO_VERSION' });
    assert.equal(same.identical, true);
    assert.deepEqual(same.pieces, []);
    assert.match(same.text, /no thunk is needed/);
    assert.match(thunk(sampleHeader, { type: 'NO_SUCH_TYPE' }).error!, /unknown type 'NO_SUCH_TYPE'/);
    // The tag works as well as the typedef name.
    assert.equal(thunk(sampleHeader, { type: '_CONTOSO_MAP_RING' }).shadows[0].name, 'CONTOSO_MAP_RING32');
  });

  it('run again on a file that holds its output, generates nothing a second time', () => {
    const first = thunk(sampleHeader, { type: 'CONTOSO_SUBMIT_BATCH' });
    const dir = tempDir();
    const file = path.join(dir, 'wow64.c');
    fs.writeFileSync(file, `#include "${sampleHeader}"\n${first.text}`);
    const analysis = analyzeFile(createSession(memoryHost({ [file]: fs.readFileSync(file, 'utf8'), [sampleHeader]: fs.readFileSync(sampleHeader, 'utf8') })), file, { abis: ['x86', 'x64'] });
    const again = generateThunks(analysis, { type: 'CONTOSO_SUBMIT_BATCH' });
    assert.deepEqual(Object.fromEntries(again.shadows.map((s) => [s.name, s.status])), { CONTOSO_REQUEST32: 'existing', CONTOSO_SUBMIT_BATCH32: 'existing' });
    assert.deepEqual(again.pieces.map((p) => p.kind), []);
  });

  it('checks its own shadows with the front end: verified, and caught when POINTER_32 is empty (mingw-w64)', () => {
    for (const style of ['ulong', 'pointer32'] as const) {
      for (const type of ['SHAPE_BATCH', 'SHAPE_PACKED', 'SHAPE_ALIGNED', 'SHAPE_BITS', 'SHAPE_INLINE', 'SHAPE_UNION', 'SHAPE_STALE', 'SHAPE_OLD', 'SHAPE_MISC']) {
        const r = thunk(shapes, { type, style });
        for (const s of r.shadows.filter((x) => x.status === 'generate' || x.status === 'replace')) assert.equal(s.verified, true, `${style} ${s.name}`);
        assert.deepEqual(r.warnings.filter((w) => w.code === 'self-check'), []);
      }
    }
    const file = '/mem/mingw.h';
    const text = '#define POINTER_32\ntypedef struct _X { ULONG A; HANDLE H; ULONG B; } X;';
    const analysis = analyzeFile(createSession(memoryHost({ [file]: text })), file, { abis: ['x86', 'x64'] });
    const r = generateThunks(analysis, { type: 'X', style: 'pointer32' });
    assert.equal(r.shadows[0].verified, false);
    assert.match(r.warnings.find((w) => w.code === 'self-check')!.message, /X32 does not have X's x86 layout .*H: offset 8, 4 expected/);
    assert.equal(generateThunks(analysis, { type: 'X' }).shadows[0].verified, true);
  });

  it('is pure: works on an in-memory host', () => {
    const file = '/mem/x.h';
    const analysis = analyzeFile(createSession(memoryHost({ [file]: 'typedef struct _X { HANDLE H; } X;' })), file, { abis: ['x86', 'x64'] });
    const r = generateThunks(analysis, { type: 'X' });
    assert.match(r.text, /ULONG H; \/\* HANDLE \*\//);
  });
});

function cli(argv: string[]): { status: number; out: string; err: string } {
  let out = '';
  let err = '';
  const io: Io = { out: (s) => (out += s), err: (s) => (err += s), isTty: false, cwd: repoRoot };
  return { status: main(argv, io), out, err };
}

describe('cli: thunk', () => {
  it('prints the code for a type, with warnings on stderr in compiler form', () => {
    const ok = cli(['thunk', '--type', 'CONTOSO_SUBMIT_BATCH', path.relative(repoRoot, sampleHeader)]);
    assert.equal(ok.status, 0);
    assert.equal(ok.out, thunk(sampleHeader, { type: 'CONTOSO_SUBMIT_BATCH' }).text);
    assert.doesNotMatch(ok.out, /#include/);
    // The live sample's stale CONTOSO_REQUEST32 is replaced, and said so.
    const live = cli(['thunk', '--type', 'CONTOSO_SUBMIT_BATCH', 'samples/driver/ioctl_interface.h']);
    assert.equal(live.status, 0);
    assert.match(live.err, /^samples\/driver\/ioctl_interface\.h:\d+:\d+: warning: CONTOSO_REQUEST32 does not reproduce .* \[thunk-stale-shadow\]$/m);
    assert.match(live.out, /^\/\* Replaces the stale CONTOSO_REQUEST32 at ioctl_interface\.h:\d+-\d+\. \*\/$/m);
    // The correction keeps the stale shadow's own spelling of the pointer it got right.
    assert.match(live.out, /^    VOID \* POINTER_32 UserBuffer; \/\* PVOID \*\/$/m);
    assert.match(live.out, /^    ULONG Context; \/\* ULONG_PTR \*\/$/m);
    const warned = cli(['thunk', '--type', 'SHAPE_UNION', '--style', 'pointer32', '--dispatch', 'kmdf', path.relative(repoRoot, shapes)]);
    assert.equal(warned.status, 0);
    assert.match(warned.err, /^test\/thunk-fixtures\/shapes\.h:\d+:\d+: warning: .* \[thunk-union-pointer\]$/m);
    assert.match(warned.out, /VOID \* POINTER_32 Pointer;/);
    assert.match(warned.out, /WdfRequestIsFrom32BitProcess\(Request\)/);
  });

  it('passes -D, -I and --include to the front end', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'types.h'), '#define OPAQUE_T HANDLE\n');
    fs.writeFileSync(path.join(dir, 'forced.h'), '#define EXTRA_MEMBERS ULONG_PTR Cookie;\n');
    fs.writeFileSync(path.join(dir, 'api.h'), '#include <types.h>\ntypedef struct _API { ULONG Id;\n#ifdef WITH_OWNER\n    OPAQUE_T Owner;\n#endif\n    EXTRA_MEMBERS } API;\n');
    const r = cli(['thunk', '--type', 'API', '-DWITH_OWNER', '-I', dir, '--include', path.join(dir, 'forced.h'), path.join(dir, 'api.h')]);
    assert.equal(r.status, 0, r.err);
    assert.match(r.out, /ULONG Owner; \/\* HANDLE \*\//);
    assert.match(r.out, /ULONG Cookie; \/\* ULONG_PTR \*\//);
    assert.doesNotMatch(cli(['thunk', '--type', 'API', '-I', dir, '--include', path.join(dir, 'forced.h'), path.join(dir, 'api.h')]).out, /Owner/);
  });

  it('exits 2 on unusable input', () => {
    assert.equal(cli(['thunk', 'samples/driver/ioctl_interface.h']).status, 2);
    assert.equal(cli(['thunk', '--type', 'CONTOSO_SUBMIT_BATCH']).status, 2);
    assert.equal(cli(['thunk', '--type', 'CONTOSO_SUBMIT_BATCH', '/nonexistent.h']).status, 2);
    const unknown = cli(['thunk', '--type', 'NOPE', 'samples/driver/ioctl_interface.h']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.err, /unknown type 'NOPE'/);
    assert.match(cli(['thunk', '--type', 'X', '--style', 'wide', 'samples/driver/ioctl_interface.h']).err, /--style must be ulong or pointer32/);
    assert.equal(cli(['thunk', '--type', 'CONTOSO_VERSION', 'samples/driver/ioctl_interface.h']).status, 0);
  });
});

describe('thunk output and ioctl-lens check agree', () => {
  for (const dispatch of ['wdm', 'kmdf'] as const) {
  it(`a ${dispatch} dispatch routine built from the generated pieces raises no finding about the type`, () => {
    const result = thunk(sampleHeader, { type: 'CONTOSO_SUBMIT_BATCH', dispatch, direction: 'in' });
    const dir = tempDir();
    const header = path.join(dir, 'contoso.h');
    fs.copyFileSync(sampleHeader, header);
    const body = result.pieces.find((p) => p.kind === 'dispatch')!.text;
    const rest = result.pieces.filter((p) => p.kind !== 'dispatch').map((p) => p.text).join('\n');
    const findingsFor = (caseBody: string) => {
      const file = path.join(dir, `dispatch_${caseBody === body ? 'generated' : 'native_only'}.c`);
      fs.writeFileSync(file, sourceWith(caseBody));
      const run = cli(['check', '--format', 'json', '--fail-on', 'never', file, header]);
      return (JSON.parse(run.out) as { findings: { rule: string; symbol: string; file: string }[] }).findings;
    };
    const sourceWith = (caseBody: string) => [
      '#include "contoso.h"',
      rest,
      ...(dispatch === 'wdm'
        ? [
            'NTSTATUS DispatchDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)',
            '{',
            '    PIO_STACK_LOCATION IrpSp = IoGetCurrentIrpStackLocation(Irp);',
            '    NTSTATUS Status;',
            '    switch (IrpSp->Parameters.DeviceIoControl.IoControlCode) {',
          ]
        : [
            'VOID EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, size_t OutputBufferLength, size_t InputBufferLength, ULONG IoControlCode)',
            '{',
            '    NTSTATUS Status;',
            '    switch (IoControlCode) {',
          ]),
      '    case IOCTL_CONTOSO_SUBMIT_BATCH:',
      caseBody,
      '        break;',
      '    default:',
      '        Status = STATUS_INVALID_DEVICE_REQUEST;',
      '        break;',
      '    }',
      dispatch === 'wdm' ? '    return Status;' : '    WdfRequestComplete(Request, Status);',
      '}',
      '',
    ].join('\n');
    const findings = findingsFor(body);
    const about = (list: typeof findings) => list.filter((f) => /CONTOSO_(SUBMIT_BATCH|REQUEST)/.test(f.symbol) || /dispatch_\w+\.c$/.test(f.file));
    assert.deepEqual(about(findings), []);
    // Not vacuous: the same case without its 32-bit branch is reported.
    const nativeOnly = body.replace(/#if defined\(_WIN64\)[\s\S]*?#endif\n/g, '');
    assert.ok(!nativeOnly.includes('32bit') && !nativeOnly.includes('32Bit'));
    assert.ok(about(findingsFor(nativeOnly)).length > 0, 'the check should flag a case with no 32-bit branch');
    // The check still sees the types nobody translated.
    assert.ok(findings.some((f) => f.rule === 'unthunked-pointer' && f.symbol === 'CONTOSO_OPEN_SESSION'));
  });
  }
});
