import * as assert from 'node:assert/strict';
import { analyzeFunction, type DispatchRoutine, type TypeResolver } from '../server/src/core/dispatch';
import { lex } from '../server/src/core/lexer';
import { TokKind } from '../server/src/core/token';

/** A resolver over a tiny table: FOO/FOO32 records, P-prefixed pointers. */
const records = new Set(['FOO', 'FOO32', 'BAR']);
const resolver: TypeResolver = {
  isTypeName: (n) => records.has(n) || records.has(n.replace(/^P/, '')) || ['ULONG', 'PVOID', 'NTSTATUS', 'PIO_STACK_LOCATION', 'BOOLEAN', 'SIZE_T'].includes(n),
  recordOf(name) {
    const stars = (name.match(/\*/g) ?? []).length;
    const base = name.replace(/[\s*]/g, '');
    if (records.has(base)) return { record: base, pointers: stars };
    if (base.startsWith('P') && records.has(base.slice(1))) return { record: base.slice(1), pointers: stars + 1 };
    return undefined;
  },
};

function routine(body: string, params = [{ name: 'Irp', typeName: 'PIRP' }]): DispatchRoutine {
  const tokens = lex({ path: '/d.c', text: body }).tokens.filter((t) => t.kind !== TokKind.EOF);
  const r = analyzeFunction({ name: 'Dispatch', params, body: tokens }, { resolver });
  assert.ok(r, 'no dispatch switch found');
  return r;
}

const uses = (r: DispatchRoutine, i: number) => r.cases[i].uses.map((u) => `${u.kind} ${u.record ?? u.typeName} ${u.guard} @${u.loc.line}`);

describe('dispatch: switches on the control code', () => {
  it('finds the switch through a local holding IoControlCode and names case labels', () => {
    const r = routine(`{
      PIO_STACK_LOCATION s = IoGetCurrentIrpStackLocation(Irp);
      ULONG code = s->Parameters.DeviceIoControl.IoControlCode;
      switch (code) {
      case IOCTL_A:
      case IOCTL_B: break;
      case 0x222003: break;
      default: break;
      }
    }`);
    assert.equal(r.framework, 'wdm');
    assert.deepEqual(r.cases.map((c) => c.labels.map((l) => l.name ?? l.value)), [['IOCTL_A', 'IOCTL_B'], [0x222003]]);
  });

  it('uses the IoControlCode parameter of EvtIoDeviceControl (KMDF)', () => {
    const r = routine(`{ switch (IoControlCode) { case IOCTL_A: break; } }`, [
      { name: 'Request', typeName: 'WDFREQUEST' },
      { name: 'IoControlCode', typeName: 'ULONG' },
    ]);
    assert.equal(r.framework, 'kmdf');
    assert.equal(r.cases.length, 1);
  });

  it('returns nothing for a function without a dispatch switch', () => {
    const tokens = lex({ path: '/d.c', text: '{ switch (state) { case 1: break; } }' }).tokens.slice(0, -1);
    assert.equal(analyzeFunction({ name: 'F', body: tokens }, { resolver }), undefined);
  });
});

describe('dispatch: buffer uses and 32-bit guards', () => {
  it('finds casts, assignments, length checks and probes, with the guard of each', () => {
    const r = routine(`{
      ULONG len = IoGetCurrentIrpStackLocation(Irp)->Parameters.DeviceIoControl.InputBufferLength;
      PVOID buffer = Irp->AssociatedIrp.SystemBuffer;
      switch (IoGetCurrentIrpStackLocation(Irp)->Parameters.DeviceIoControl.IoControlCode) {
      case IOCTL_A: {
        PFOO f = (PFOO)buffer;
        if (len < sizeof(FOO)) break;
        ProbeForRead(f, len, __alignof(FOO));
        break;
      }
      case IOCTL_B:
        if (IoIs32bitProcess(Irp)) {
          PFOO32 f32 = Irp->AssociatedIrp.SystemBuffer;
        } else {
          PFOO f = Irp->AssociatedIrp.SystemBuffer;
        }
        break;
      case IOCTL_C:
        if (!IoIs32bitProcess(Irp)) { RtlZeroMemory(buffer, sizeof(FOO)); Irp->IoStatus.Information = sizeof(FOO); }
        break;
      case IOCTL_D:
        if (IoIs32bitProcess(Irp)) return STATUS_NOT_SUPPORTED;
        if (len != sizeof(FOO)) break;
        break;
      }
    }`);
    assert.deepEqual(uses(r, 0), ['cast FOO none @6', 'size-check FOO none @7', 'probe FOO none @8']);
    assert.deepEqual(uses(r, 1), ['assign FOO32 wow64 @13', 'assign FOO native @15']);
    assert.deepEqual(uses(r, 2), ['sizeof FOO native @19', 'sizeof FOO native @19']);
    assert.deepEqual(uses(r, 3), ['size-check FOO native @23']);
    assert.equal(r.cases[0].tests.length, 0);
    assert.equal(r.cases[1].tests.length, 1);
  });

  it('reads KMDF retrieve calls: the minimum size and the out pointer', () => {
    const r = routine(`{
      PFOO in;
      switch (IoControlCode) {
      case IOCTL_A:
        if (WdfRequestIsFrom32BitProcess(Request)) break;
        status = WdfRequestRetrieveInputBuffer(Request, sizeof(FOO), (PVOID *)&in, NULL);
        break;
      }
    }`, [{ name: 'Request', typeName: 'WDFREQUEST' }, { name: 'IoControlCode', typeName: 'ULONG' }]);
    assert.deepEqual(uses(r, 0), ['assign FOO native @6', 'retrieve FOO native @6']);
  });

  it('tolerates unknown macros, types and unbalanced code', () => {
    const r = routine(`{
      switch (IoControlCode) {
      case IOCTL_A:
        WEIRD_MACRO(x, y) { z = (UNKNOWN_T *)Irp->UserBuffer; }
        if (len < sizeof(NOT_A_TYPE)) break;
        break;
      case IOCTL_B: ( ;
      }`, [{ name: 'IoControlCode', typeName: 'ULONG' }]);
    assert.equal(r.cases[0].uses.length, 0);
  });
});
