/**
 * What the dispatch analysis answers: the driver's control-request routines,
 * their cases (one per group of control codes), the record types each case
 * uses as its buffer, where, under which 32-bit guard, and the call chain
 * from the case to the use. Plain data; the rules, fixes and thunk planner
 * read it.
 */

import type { Loc } from '../source';
import type { Framework } from './vocabulary';

export type Guard = 'none' | 'wow64' | 'native';

export type UseKind =
  /** `(PFOO)Irp->AssociatedIrp.SystemBuffer` */
  | 'cast'
  /** `PFOO p = Irp->AssociatedIrp.SystemBuffer;`, or `&p` passed to a KMDF retrieve call. */
  | 'assign'
  /** `RtlCopyMemory(&Local, Buffer, sizeof(Local))` (or back): the local's type travels in the buffer. */
  | 'copy'
  /** `WdfRequestRetrieveInputBuffer(Request, sizeof(FOO), &p, NULL)`: the minimum size (a length check); `&p` is an `assign`. */
  | 'retrieve'
  /** `if (Length < sizeof(FOO))`, `sizeof(*p)`, `sizeof(Local)` compared with a length. */
  | 'size-check'
  /** `sizeof(FOO)` anywhere else (`Irp->IoStatus.Information = sizeof(FOO)`). */
  | 'sizeof'
  /** `ProbeForRead(p, n, __alignof(FOO))` */
  | 'probe';

/** A call on the way from a dispatch case to a use: the callee and where it is called. */
export interface CallStep {
  callee: string;
  loc: Loc;
}

export interface BufferUse {
  kind: UseKind;
  /** The type as written: `FOO`, `PFOO`, `struct _FOO`, `ULONG_PTR` (probe alignment). */
  typeName: string;
  /** The record the type names or points to (its display name), when it is one. */
  record?: string;
  guard: Guard;
  loc: Loc;
  end: Loc;
  /** The function it was found in when that is a callee of the dispatch routine. */
  via?: string;
  /** The calls from the case to the function holding the use, outermost first (empty in the case itself). */
  chain?: CallStep[];
  /** For probes: `ProbeForRead` or `ProbeForWrite`. */
  call?: string;
}

export interface CaseLabel {
  /** The IOCTL macro name written in the label, when it was one. */
  name?: string;
  value?: number;
  loc: Loc;
  /**
   * Set when the dispatch is on the code's function number (a table in
   * function order, `switch (IoGetFunctionCodeFromCtlCode(code))`): the
   * function this label handles. `name` and `value` are then those of the
   * driver's IOCTL with that function, once known (`labelFunctions`).
   */
  function?: number;
  /** The identifier a function-like macro label was applied to (`FN_OF(IOCTL_A)`: `IOCTL_A`). */
  argument?: string;
}

export interface DispatchCase {
  labels: CaseLabel[];
  loc: Loc;
  end: Loc;
  /**
   * The buffer uses a user-mode caller can reach: none in a routine
   * registered for internal device control only, none behind a test that
   * the requestor is in kernel mode (`Irp->RequestorMode != KernelMode`).
   */
  uses: BufferUse[];
  /** 32-bit-caller tests met in the case (or its callees), before the switch in the routine, or on the way to it. */
  tests: Loc[];
  /**
   * Only kernel-mode callers get the case's work done: the routine is
   * registered for internal device control only, or everything the case
   * does (in it or its callees) is behind a requestor-mode test and nothing
   * before that test touches or passes on the buffer.
   */
  kernelOnly?: boolean;
}

/** How a driver hands a routine its control requests. */
export type MajorFunction = 'device-control' | 'internal-device-control' | 'file-system-control';

export interface Registration {
  /** The function registered (`DriverObject->MajorFunction[...] = F`, `Config.EvtIoDeviceControl = F`). */
  handler: string;
  major?: MajorFunction;
  loc: Loc;
}

export interface DispatchRoutine {
  /** The function holding the dispatch on the control code. */
  name: string;
  loc: Loc;
  framework: Framework;
  /** Where the dispatch on the code starts (the `switch`, the first `if`, the table call). */
  switchLoc: Loc;
  shape: 'switch' | 'if-chain' | 'table';
  cases: DispatchCase[];
  /** The registration that leads to it, when one was found. */
  registration?: Registration;
  /** Calls from the registered function to this one, outermost first (empty when it is the registered one). */
  path?: CallStep[];
}
