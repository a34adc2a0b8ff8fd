/**
 * The dispatch branch: the body of an IOCTL `case` that serves 32-bit and
 * 64-bit callers with one code path. Under `#if defined(_WIN64)` a 32-bit
 * caller (`IoIs32bitProcess(Irp)` in WDM, `WdfRequestIsFrom32BitProcess(Request)`
 * in KMDF) has its buffer checked against `sizeof(T32)` and captured; every
 * other caller's buffer is checked against `sizeof(T)` and copied. Output goes
 * back through the write-back routine and reports the *32-bit* size in
 * `IoStatus.Information`.
 *
 * Assumes METHOD_BUFFERED (`Irp->AssociatedIrp.SystemBuffer`, or the WDF
 * retrieve calls). Names default to the WDK samples' (`Irp`, `IrpSp` for
 * `IoGetCurrentIrpStackLocation(Irp)`, `Request`, `Status`); a caller that
 * knows the routine passes its own (`DispatchNames`).
 */

import { CText } from './cwriter';
import type { RecordPlan } from './plan';

export type DispatchKind = 'wdm' | 'kmdf';
export type Direction = 'in' | 'out' | 'inout';

/**
 * The names the case body uses, to match the routine it goes into (the
 * dispatch analysis knows them): defaults are the WDK samples'.
 */
export interface DispatchNames {
  /** WDM: the IRP parameter (`Irp`). */
  irp?: string;
  /** WDM: the current stack location variable (`IrpSp`). */
  stackLocation?: string;
  /** KMDF: the request parameter (`Request`). */
  request?: string;
  /** The routine's status variable (`Status`). */
  status?: string;
  /** The case body's own local for the native structure (`Captured`). */
  captured?: string;
}

const defaultNames: Required<DispatchNames> = { irp: 'Irp', stackLocation: 'IrpSp', request: 'Request', status: 'Status', captured: 'Captured' };

/**
 * `receive`: the output goes through the receive path (`Marshal<T>32`, for a
 * type that points to other data) rather than the in-place write-back; the
 * caller's address of its buffer (`Irp->UserBuffer`) is what the pointers
 * written into it hold.
 */
export function renderDispatch(plan: RecordPlan, options: { dispatch: DispatchKind; direction: Direction; names?: DispatchNames; receive?: boolean }): string {
  const text = renderWithDefaultNames(plan, options);
  const names = { ...defaultNames, ...options.names };
  const renames: Record<string, string> = {
    IrpSp: names.stackLocation,
    Irp: names.irp,
    Request: names.request,
    Status: names.status,
    Captured: names.captured,
  };
  // One pass, whole identifiers only: `IoStatus`, `NT_SUCCESS` and `WdfRequestRetrieveInputBuffer` are untouched.
  return text.replace(/\b(IrpSp|Irp|Request|Status|Captured)\b/g, (name) => renames[name]);
}

function renderWithDefaultNames(plan: RecordPlan, options: { dispatch: DispatchKind; direction: Direction; receive?: boolean }): string {
  const w = new CText();
  const t = plan.nativeName;
  const s = plan.shadow.name;
  const wdm = options.dispatch === 'wdm';
  const input = options.direction !== 'out';
  const output = options.direction !== 'in';
  const is32 = wdm ? 'IoIs32bitProcess(Irp)' : 'WdfRequestIsFrom32BitProcess(Request)';
  const buffer = wdm ? 'Irp->AssociatedIrp.SystemBuffer' : 'Buffer';
  // The request's input or output buffer, if it holds a `type`; `then` runs with it in `buffer`.
  const retrieve = (which: 'Input' | 'Output', type: string, then: () => void) => {
    if (wdm) {
      w.ifElse(`IrpSp->Parameters.DeviceIoControl.${which}BufferLength < sizeof(${type})`, () => w.line('Status = STATUS_BUFFER_TOO_SMALL;'), then);
    } else {
      w.line(`Status = WdfRequestRetrieve${which}Buffer(Request, sizeof(${type}), &Buffer, NULL);`);
      w.block('if (NT_SUCCESS(Status))', then);
    }
  };
  w.block('', () => {
    w.line(`/* ${t} for 32- and 64-bit callers (ioctl-lens thunk): 32-bit callers send ${s}. */`);
    w.line(`${t} Captured;`);
    if (!wdm) w.line('PVOID Buffer;');
    w.line();
    w.line('RtlZeroMemory(&Captured, sizeof(Captured));');
    w.line('Status = STATUS_SUCCESS;');
    if (input) {
      w.directive('#if defined(_WIN64)');
      w.line(`if (${is32}) {`);
      w.indent(() => retrieve('Input', s, () => w.line(`Status = ${plan.routines.capture}((${plan.shadow.pointer})${buffer}, &Captured);`)));
      w.line('} else');
      w.directive('#endif');
      w.block('', () => retrieve('Input', t, () => w.line(`RtlCopyMemory(&Captured, ${buffer}, sizeof(Captured));`)));
    }
    const handle = () => {
      w.line(`/* TODO: handle the request with Captured (a ${t}); this code serves both callers. */`);
      if (!output) return;
      const information = (type: string) =>
        wdm ? `Irp->IoStatus.Information = sizeof(${type});` : `WdfRequestSetInformation(Request, sizeof(${type}));`;
      // The receive path: the record and all it points to, into the caller's one buffer (STATUS_BUFFER_OVERFLOW: Needed says how much).
      const receive32 = () => {
        w.line('ULONG Needed;');
        if (!wdm) w.line('SIZE_T OutputLength;');
        w.line();
        const call = (into: string, length: string, user: string) => {
          w.line(`Status = ${plan.routines.marshal}(&Captured, ${into}, ${length}, PtrToUlong(${user}), &Needed);`);
          w.line('/* STATUS_BUFFER_OVERFLOW: nothing was written and Needed bytes are needed; tell the caller as the IOCTL defines it. */');
          w.line(wdm ? 'Irp->IoStatus.Information = NT_SUCCESS(Status) ? Needed : 0;' : 'WdfRequestSetInformation(Request, NT_SUCCESS(Status) ? Needed : 0);');
        };
        if (wdm) {
          call('Irp->AssociatedIrp.SystemBuffer', 'IrpSp->Parameters.DeviceIoControl.OutputBufferLength', 'Irp->UserBuffer');
        } else {
          w.line('Status = WdfRequestRetrieveOutputBuffer(Request, 0, &Buffer, &OutputLength);');
          w.block('if (NT_SUCCESS(Status))', () => call('Buffer', '(ULONG)OutputLength', 'WdfRequestWdmGetIrp(Request)->UserBuffer'));
        }
      };
      w.directive('#if defined(_WIN64)');
      w.line(`if (${is32}) {`);
      w.indent(() => {
        if (options.receive) {
          receive32();
          return;
        }
        retrieve('Output', s, () => {
          w.line(`Status = ${plan.routines.writeBack}(&Captured, (${plan.shadow.pointer})${buffer});`);
          w.block('if (NT_SUCCESS(Status))', () => w.line(information(s)));
        });
      });
      w.line('} else');
      w.directive('#endif');
      w.block('', () =>
        retrieve('Output', t, () => {
          if (options.receive) w.line(`/* TODO: ${t}'s pointers are kernel addresses: write what they point to into the buffer for 64-bit callers too. */`);
          w.line(`RtlCopyMemory(${buffer}, &Captured, sizeof(Captured));`);
          w.line(information(t));
        }),
      );
    };
    // With nothing captured there is nothing that can have failed yet.
    if (input) w.block('if (NT_SUCCESS(Status))', handle);
    else handle();
    if (input && plan.deep) {
      w.directive('#if defined(_WIN64)');
      w.block(`if (${is32})`, () => w.line(`${plan.routines.release}(&Captured);`));
      w.directive('#endif');
    }
  });
  // The block helper writes `{` after an empty head as ` {`; trim it.
  return w.toString().replace(/^(\s*) \{$/gm, '$1{');
}
