/**
 * The driver frameworks' vocabulary as data: the names WDM, KMDF and NDIS
 * drivers use to register dispatch routines, reach the control code and the
 * IOCTL buffers, test for a 32-bit caller, probe and copy. The dispatch
 * analysis, the rules, the quick fixes and the thunk generator read this one
 * table; none of them spells these names itself.
 *
 * Each entry says what a name *does* (the role of an argument, the field an
 * assignment fills), so a new framework call is one line here, not a new
 * pattern in the scanner.
 */

export type Framework = 'wdm' | 'kmdf' | 'unknown';

/** The major functions whose IRPs carry a control code, with their `IRP_MJ_*` numbers. */
export const controlMajorFunctions: Readonly<Record<string, number>> = {
  IRP_MJ_DEVICE_CONTROL: 0x0e,
  IRP_MJ_INTERNAL_DEVICE_CONTROL: 0x0f,
  IRP_MJ_FILE_SYSTEM_CONTROL: 0x0d,
};

/**
 * Arrays of dispatch routines indexed by `IRP_MJ_*`: the driver object's
 * `MajorFunction`, and the tables handed to `NdisRegisterDeviceEx`
 * (`NDIS_DEVICE_OBJECT_ATTRIBUTES.MajorFunctions`) or kept by filter and
 * miniport drivers under their own names.
 */
export const majorFunctionArrays: ReadonlySet<string> = new Set(['MajorFunction', 'MajorFunctions', 'DispatchTable']);

/** Structure fields that hold a KMDF queue's control-request callbacks (`WDF_IO_QUEUE_CONFIG`). */
export const queueCallbackFields: Readonly<Record<string, 'device' | 'internal'>> = {
  EvtIoDeviceControl: 'device',
  EvtIoInternalDeviceControl: 'internal',
};

/**
 * The position of the control code among a KMDF control callback's
 * parameters: `EvtIoDeviceControl(Queue, Request, OutputBufferLength,
 * InputBufferLength, IoControlCode)`.
 */
export const kmdfCallbackParams = { request: 1, outputLength: 2, inputLength: 3, code: 4 } as const;

/** Fields that hold the control code (`Parameters.DeviceIoControl.IoControlCode`, `Parameters.FileSystemControl.FsControlCode`). */
export const controlCodeFields: ReadonlySet<string> = new Set(['IoControlCode', 'FsControlCode']);

/** Fields of the IRP and its stack location that hold the caller's buffer. */
export const bufferFields: ReadonlySet<string> = new Set(['SystemBuffer', 'Type3InputBuffer', 'UserBuffer']);

/** Fields that hold a buffer length. */
export const lengthFields: ReadonlySet<string> = new Set(['InputBufferLength', 'OutputBufferLength']);

/** Fields that hold an object describing the caller's buffer (the request's MDL). */
export const bufferObjectFields: ReadonlySet<string> = new Set(['MdlAddress']);

/**
 * Calls that map an object describing a buffer (argument 0: an MDL, a
 * WDFMEMORY) to the buffer's address. The result is the caller's buffer
 * only when the object is the request's (`Irp->MdlAddress`, the memory of
 * `WdfRequestRetrieveInputMemory`), not for memory the driver allocated.
 */
export const bufferReturningCalls: ReadonlySet<string> = new Set([
  'MmGetSystemAddressForMdlSafe',
  'MmGetSystemAddressForMdl',
  'MmGetMdlVirtualAddress',
  'WdfMemoryGetBuffer',
]);

/** Calls that answer "is the caller a 32-bit process?". */
export const wow64TestCalls: ReadonlySet<string> = new Set(['IoIs32bitProcess', 'IoIs32bitProcessEx', 'WdfRequestIsFrom32BitProcess']);

/**
 * Where a driver learns whether the request came from kernel mode
 * (`Irp->RequestorMode`, `ExGetPreviousMode()`, `WdfRequestGetRequestorMode`):
 * code that only kernel-mode callers reach (`if (Irp->RequestorMode !=
 * KernelMode) return ...;`) has no 32-bit user-mode caller.
 */
export const requestorModeFields: ReadonlySet<string> = new Set(['RequestorMode', 'PreviousMode']);
export const requestorModeCalls: ReadonlySet<string> = new Set(['ExGetPreviousMode', 'KeGetPreviousMode', 'WdfRequestGetRequestorMode']);
/** The `KPROCESSOR_MODE` values, by what they say about the caller. */
export const processorModes: Readonly<Record<string, 'kernel' | 'user'>> = { KernelMode: 'kernel', UserMode: 'user' };

/** The test a driver should write, per framework (for messages and quick fixes). */
export const wow64TestSpelling: Readonly<Record<Framework, string>> = {
  wdm: 'IoIs32bitProcess(Irp)',
  kmdf: 'WdfRequestIsFrom32BitProcess(Request)',
  unknown: 'IoIs32bitProcess(Irp)',
};

/**
 * KMDF retrieve calls: the minimum size is argument `size`, the out-pointer
 * to the buffer argument `out` (`WdfRequestRetrieveInputBuffer(Request,
 * sizeof(T), &p, &Length)`), the length's out-pointer argument `length`.
 */
export const retrieveCalls: Readonly<Record<string, { size: number; out: number; length: number }>> = {
  WdfRequestRetrieveInputBuffer: { size: 1, out: 2, length: 3 },
  WdfRequestRetrieveOutputBuffer: { size: 1, out: 2, length: 3 },
  WdfRequestRetrieveUnsafeUserInputBuffer: { size: 1, out: 2, length: 3 },
  WdfRequestRetrieveUnsafeUserOutputBuffer: { size: 1, out: 2, length: 3 },
};

/** KMDF calls whose out-pointer argument `out` receives the request's memory object (`WdfMemoryGetBuffer` maps it). */
export const memoryRetrieveCalls: Readonly<Record<string, { out: number }>> = {
  WdfRequestRetrieveInputMemory: { out: 1 },
  WdfRequestRetrieveOutputMemory: { out: 1 },
};

/** Probes: the alignment is argument `align`. */
export const probeCalls: Readonly<Record<string, { align: number }>> = {
  ProbeForRead: { align: 2 },
  ProbeForWrite: { align: 2 },
};

/** Memory copies: `dest`, `src` and the length argument's positions. */
export const copyCalls: Readonly<Record<string, { dest: number; src: number; length: number }>> = {
  RtlCopyMemory: { dest: 0, src: 1, length: 2 },
  RtlMoveMemory: { dest: 0, src: 1, length: 2 },
  RtlCopyBytes: { dest: 0, src: 1, length: 2 },
  memcpy: { dest: 0, src: 1, length: 2 },
  memmove: { dest: 0, src: 1, length: 2 },
  memcpy_s: { dest: 0, src: 2, length: 3 },
  memmove_s: { dest: 0, src: 2, length: 3 },
  RtlCopyMemory32: { dest: 0, src: 1, length: 2 },
};

/** Operators that spell alignment (`__alignof(T)`); `TYPE_ALIGNMENT(T)` is recovered from the macro invocation. */
export const alignofWords: ReadonlySet<string> = new Set(['__alignof', '__alignof__', '_Alignof', 'alignof']);
export const alignmentMacros: ReadonlySet<string> = new Set(['TYPE_ALIGNMENT']);

/** Parameter types that tell the framework and the role of a parameter. */
export const parameterRoles: readonly { type: RegExp; role: ParamRole; framework?: Framework }[] = [
  { type: /^(P?IRP|struct _IRP \*)$/, role: 'irp', framework: 'wdm' },
  { type: /^(PIO_STACK_LOCATION|struct _IO_STACK_LOCATION \*)$/, role: 'stack', framework: 'wdm' },
  { type: /^WDFREQUEST$/, role: 'request', framework: 'kmdf' },
  { type: /^WDFQUEUE$/, role: 'queue', framework: 'kmdf' },
];

export type ParamRole = 'irp' | 'stack' | 'request' | 'queue' | 'buffer' | 'length' | 'code' | 'test';

/** Parameter names that say what a parameter carries when its type does not. */
export const parameterNameRoles: readonly { name: RegExp; role: ParamRole }[] = [
  { name: /^(Io|Fs)?ControlCode$|^IoctlCode$|^Ioctl$/i, role: 'code' },
  { name: /(^|[a-z_])(Input|Output|In|Out|Io|System|User)?Buffer$/i, role: 'buffer' },
  { name: /Length$|Size$/i, role: 'length' },
];

/** Functions whose names say that they decode a control code's function number (handler tables indexed by function). */
export const functionCodeExtractors: ReadonlySet<string> = new Set(['IoGetFunctionCodeFromCtlCode', 'FUNCTION_FROM_CTL_CODE']);
