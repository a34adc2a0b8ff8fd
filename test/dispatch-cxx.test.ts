/**
 * The dispatch analysis on C++ drivers: member-function handlers registered
 * by qualified name (`&Device::OnIoctl`), C++ casts of the buffer, `auto`
 * locals, `nullptr`, references, lambdas skipped, calls between member
 * functions, classes named without typedefs.
 */

import * as assert from 'node:assert/strict';
import { analyzeFile, createSession } from '../server/src/core/analyze';
import { analyzeDispatch, type DispatchRoutine } from '../server/src/core/dispatch';
import { memoryHost } from '../server/src/core/source';

function routines(src: string): DispatchRoutine[] {
  const session = createSession(memoryHost({ '/d/driver.cpp': src }));
  const u = analyzeFile(session, '/d/driver.cpp', { abis: ['x64'], language: 'cpp' }).units.get('x64')!;
  assert.deepEqual(u.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.loc.line}: ${d.message}`), []);
  return analyzeDispatch(u.unit, { fallback: u.prelude?.unit });
}

const uses = (r: DispatchRoutine) => r.cases.flatMap((c) => c.uses.map((u) => `${u.kind} ${u.record ?? u.typeName} ${u.guard}${u.via ? ` via ${u.via}` : ''}`));

const header = `
typedef struct WDFQUEUE__ *WDFQUEUE;
typedef struct WDFREQUEST__ *WDFREQUEST;
typedef struct _WDF_IO_QUEUE_CONFIG { PVOID EvtIoDeviceControl; } WDF_IO_QUEUE_CONFIG;
NTSTATUS WdfRequestRetrieveInputBuffer(WDFREQUEST Request, size_t Min, PVOID *Buffer, size_t *Length);
BOOLEAN WdfRequestIsFrom32BitProcess(WDFREQUEST Request);
#define IOCTL_CONTOSO_READ CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_CONTOSO_WRITE CTL_CODE(FILE_DEVICE_UNKNOWN, 0x802, METHOD_BUFFERED, FILE_ANY_ACCESS)
namespace contoso {
struct ReadRequest { ULONG Size; PVOID Buffer; };
struct WriteRequest { HANDLE Event; SIZE_T Offset; };
}
`;

describe('dispatch: C++ drivers', () => {
  it('follows a KMDF registration to a static member function and reads C++ casts, auto and references', () => {
    const [r, ...rest] = routines(`${header}
class Queue {
public:
  static NTSTATUS Create(WDF_IO_QUEUE_CONFIG &config) { config.EvtIoDeviceControl = &Queue::OnIoctl; return 0; }
  static VOID OnIoctl(WDFQUEUE Queue, WDFREQUEST Request, size_t OutputBufferLength, size_t InputBufferLength, ULONG IoControlCode);
private:
  static NTSTATUS OnWrite(WDFREQUEST Request, contoso::WriteRequest &w);
};

VOID Queue::OnIoctl(WDFQUEUE Queue, WDFREQUEST Request, size_t OutputBufferLength, size_t InputBufferLength, ULONG IoControlCode)
{
  PVOID buffer = nullptr;
  auto notify = [&](ULONG code) { return code == IoControlCode; };
  switch (IoControlCode) {
  case IOCTL_CONTOSO_READ: {
    if (InputBufferLength < sizeof(contoso::ReadRequest)) break;
    WdfRequestRetrieveInputBuffer(Request, sizeof(contoso::ReadRequest), &buffer, nullptr);
    auto req = static_cast<contoso::ReadRequest *>(buffer);
    req->Size = 0;
    break;
  }
  case IOCTL_CONTOSO_WRITE: {
    WdfRequestRetrieveInputBuffer(Request, sizeof(contoso::WriteRequest), &buffer, nullptr);
    contoso::WriteRequest &w = *reinterpret_cast<contoso::WriteRequest *>(buffer);
    if (WdfRequestIsFrom32BitProcess(Request)) break;
    OnWrite(Request, w);
    break;
  }
  }
}

NTSTATUS Queue::OnWrite(WDFREQUEST Request, contoso::WriteRequest &w) { return 0; }
`);
    assert.deepEqual(rest, []);
    assert.equal(r.name, 'Queue::OnIoctl');
    assert.equal(r.framework, 'kmdf');
    assert.equal(r.registration?.handler, 'Queue::OnIoctl');
    assert.deepEqual(r.cases.map((c) => c.labels.map((l) => l.name)), [['IOCTL_CONTOSO_READ'], ['IOCTL_CONTOSO_WRITE']]);
    const found = uses(r);
    for (const expected of ['size-check contoso::ReadRequest none', 'retrieve contoso::ReadRequest none', 'cast contoso::ReadRequest none', 'retrieve contoso::WriteRequest none', 'cast contoso::WriteRequest none']) {
      assert.ok(found.includes(expected), `${expected} in\n  ${found.join('\n  ')}`);
    }
  });

  it('follows WDM registration and calls between member functions inside their class', () => {
    const [r] = routines(`${header}
namespace drv {
class Driver {
public:
  static NTSTATUS Entry(PDRIVER_OBJECT DriverObject) { DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = Dispatch; return 0; }
  static NTSTATUS Dispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp) {
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    switch (stack->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_CONTOSO_READ: return OnRead(Irp->AssociatedIrp.SystemBuffer);
    }
    return 0;
  }
  static NTSTATUS OnRead(PVOID buffer) {
    contoso::ReadRequest *req = (contoso::ReadRequest *)buffer;
    return req != nullptr ? 0 : 1;
  }
};
}
`);
    assert.equal(r.name, 'Driver::Dispatch');
    assert.equal(r.registration?.handler, 'Dispatch');
    // `OnRead` called from inside the class is `Driver::OnRead`; its parameter is the system buffer.
    assert.deepEqual(uses(r), ['cast contoso::ReadRequest none via Driver::OnRead']);
  });
});
