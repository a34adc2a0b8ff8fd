/**
 * The receive path, as HTTP.sys writes a request for a 32-bit caller of
 * `HttpReceiveHttpRequest`: a deep native record written into the caller's
 * single output buffer. The 32-bit record comes first; everything it points
 * to follows, each piece at its 32-bit alignment (counted from the start of
 * the buffer), and every pointer holds the caller's address of its piece
 * (`UserAddress + offset`). Kernel addresses never reach the caller.
 *
 * `Marshal<T>32(Native, Buffer, Length, UserAddress, Needed)` walks the
 * native record twice with the same code: the first pass only measures
 * (too small -> `*Needed` and `STATUS_BUFFER_OVERFLOW`, nothing written),
 * the second converts and writes as it goes, straight into the buffer (no
 * second copy of the whole), under `__try` (the buffer may be the caller's
 * memory). Each record is converted in an aligned kernel copy
 * (`Store<X>32(Native, Shadow, Output)`) and copied into place as bytes: the
 * buffer's own address may be aligned to less than the record needs.
 * A pointer whose pointee has no known size is written as NULL.
 *
 * Invariant: reads only the native record; writes only inside
 * `Buffer[0 .. *Needed)`, and all of it (padding included: zeroed first).
 */

import { CText, comment, routineHeader } from './cwriter';
import type { Conversion, FieldPlan, RecordPlan } from './plan';
import { handleBack, integerBack } from './writeback';
import {
  type MemberConversions,
  convertMember,
  todoComment,
  type RoutineState,
  assemble,
  countPath,
  indexName,
  local,
  markUnreferenced,
  memberPath,
  newState,
  pathIdent,
  pointeeComment,
  pointerParam,
  outwardStaged,
  outwardSwitch,
} from './routines';

/** The output cursor and its two helpers, emitted once per file (guarded). */
export function renderOutputHelpers(): string {
  const w = new CText();
  w.directive('#ifndef IOCTL_LENS_OUTPUT32_DEFINED');
  w.directive('#define IOCTL_LENS_OUTPUT32_DEFINED');
  for (const l of comment(
    "The receive path's output: where it writes (a kernel address of the caller's buffer; NULL while measuring), " +
      "how long it is, the caller's address of the same buffer (what the pointers written into it hold), and how much is used.",
  ))
    w.line(l);
  w.block('typedef struct _IOCTL_LENS_OUTPUT32', () => {
    w.line('PUCHAR Buffer;');
    w.line('ULONG Length;');
    w.line('ULONG UserAddress;');
    w.line('ULONG Offset;');
  }, ' IOCTL_LENS_OUTPUT32, *PIOCTL_LENS_OUTPUT32;');
  w.line();
  routineHeader(w, {
    comment: 'IoctlLensReserve32: the offset of Count * Size bytes at the next multiple of Alignment (a power of two); STATUS_INTEGER_OVERFLOW past 4 GB.',
    returns: 'NTSTATUS',
    name: 'IoctlLensReserve32',
    params: ['_Inout_ PIOCTL_LENS_OUTPUT32 Output', '_In_ ULONG Count', '_In_ ULONG Size', '_In_ ULONG Alignment', '_Out_ PULONG Offset'],
    isStatic: true,
  });
  w.line('{');
  w.indent(() => {
    w.line('ULONG Start;');
    w.line('ULONG Bytes;');
    w.line('ULONG End;');
    w.line();
    w.line('*Offset = 0;');
    w.block('if (!NT_SUCCESS(RtlULongAdd(Output->Offset, Alignment - 1, &Start)))', () => w.line('return STATUS_INTEGER_OVERFLOW;'));
    w.line('Start &= ~(Alignment - 1);');
    w.block('if (!NT_SUCCESS(RtlULongMult(Count, Size, &Bytes)) || !NT_SUCCESS(RtlULongAdd(Start, Bytes, &End)))', () => w.line('return STATUS_INTEGER_OVERFLOW;'));
    w.block('if (Output->Buffer != NULL && End > Output->Length)', () => w.line('return STATUS_BUFFER_OVERFLOW; /* cannot happen after measuring: the same walk */'));
    w.line('Output->Offset = End;');
    w.line('*Offset = Start;');
    w.line('return STATUS_SUCCESS;');
  });
  w.line('}');
  w.line();
  routineHeader(w, {
    comment: 'IoctlLensPut32: copies Size bytes to Offset in the output (nothing while measuring).',
    returns: 'VOID',
    name: 'IoctlLensPut32',
    params: ['_In_ PIOCTL_LENS_OUTPUT32 Output', '_In_ ULONG Offset', '_In_reads_bytes_(Size) const VOID *Source', '_In_ ULONG Size'],
    isStatic: true,
  });
  w.line('{');
  w.indent(() => w.block('if (Output->Buffer != NULL && Size != 0)', () => w.line('RtlCopyMemory(Output->Buffer + Offset, Source, Size);')));
  w.line('}');
  w.directive('#endif');
  return w.toString();
}

function store(state: RoutineState, field: FieldPlan, c: Conversion, src: string, dst: string, depth: number) {
  convertMember(state, storeConversions(state), field, c, src, dst, depth);
}

/** The receive path's own spellings: from the native record (`from`) into a kernel copy of the 32-bit record (`to`), pointees appended to Output. */
function storeConversions(state: RoutineState): MemberConversions {
  const w = state.w;
  return {
    pointer(field, _c, _from, to) {
      // Where a native pointer leads, and how much of it, is not known: a kernel address must not reach the caller.
      w.line(`${to} = 0; /* ${field.name}: no size is known for what it points to, and a kernel address must not reach the caller */`);
    },
    handle: (field, from, to) => handleBack(state, field, from, to),
    integer: (c, from, to) => integerBack(state, c, from, to),
    record(c, from, to) {
      state.usesStatus = true;
      w.line(`Status = ${c.plan.routines.store}(&${from}, &${to}, Output);`);
      w.block('if (!NT_SUCCESS(Status))', () => w.line('return Status;'));
    },
    pointee: (field, c, from, to, depth) => storePointee(state, field, c, from, to, depth),
    member: (field, fromPrefix, toPrefix, depth) => storeField(state, field, fromPrefix, toPrefix, depth),
  };
}

/** What a pointer member leads to, appended to the output: its 32-bit form at its 32-bit alignment, the pointer set to the caller's address of it. */
function storePointee(state: RoutineState, field: FieldPlan, c: Conversion & { kind: 'deep' | 'buffer' }, src: string, dst: string, depth: number) {
  const w = state.w;
  const name = pathIdent(src.replace(/^Native->/, ''));
  const count = c.count.constant !== undefined ? String(c.count.constant) : countPath(src, c.count.member!);
  const offset = local(state, `${name}Offset`, 'ULONG');
  const deep = c.kind === 'deep';
  const element32 = deep ? c.element.shadow.name : c.element.type;
  state.usesStatus = true;
  for (const l of comment(`${field.name}: ${pointeeComment(c, c.count.member ?? count)} after the record (${c.count.annotation}).`)) w.line(l);
  const test = c.count.constant !== undefined ? `${src} != NULL` : `${src} != NULL && ${count} != 0`;
  w.block(`if (${test})`, () => {
    const [n, size] = c.count.bytes ? [count, '1'] : [count, `(ULONG)sizeof(${element32})`];
    w.line(`Status = IoctlLensReserve32(Output, ${n}, ${size}, TYPE_ALIGNMENT(${element32}), &${offset});`);
    w.block('if (!NT_SUCCESS(Status))', () => w.line('return Status;'));
    const address = `Output->UserAddress + ${offset}`;
    w.line(field.form === 'ulong' ? `${dst} = ${address};` : `${dst} = (${deep ? c.element.shadow.name : 'VOID'} * POINTER_32)(${address});`);
    if (!deep) {
      w.line(`IoctlLensPut32(Output, ${offset}, ${src}, ${c.count.bytes ? count : `${count} * (ULONG)sizeof(${element32})`});`);
      return;
    }
    const element = local(state, `${name}Element32`, c.element.shadow.name);
    if (c.count.constant === 1) {
      w.line(`Status = ${c.element.routines.store}(${src}, &${element}, Output);`);
      w.block('if (!NT_SUCCESS(Status))', () => w.line('return Status;'));
      w.line(`IoctlLensPut32(Output, ${offset}, &${element}, sizeof(${element}));`);
      return;
    }
    const index = local(state, indexName(depth), 'ULONG');
    w.block(`for (${index} = 0; ${index} < ${count}; ${index}++)`, () => {
      w.line(`Status = ${c.element.routines.store}(&${src}[${index}], &${element}, Output);`);
      w.block('if (!NT_SUCCESS(Status))', () => w.line('return Status;'));
      w.line(`IoctlLensPut32(Output, ${offset} + ${index} * (ULONG)sizeof(${element32}), &${element}, sizeof(${element}));`);
    });
  });
}

function storeField(state: RoutineState, field: FieldPlan, nativePrefix: string, shadowPrefix: string, depth: number) {
  const src = memberPath(nativePrefix, field);
  const dst = memberPath(shadowPrefix, field);
  if (!field.name && field.conversion.kind !== 'inline') return;
  if (field.todo) return todoComment(state, src, `${field.todo} (written as zeros).`);
  if (field.switch) return outwardSwitch(state, field, field.switch, nativePrefix, shadowPrefix, depth, storeField);
  if (field.staged) return outwardStaged(state, field, src, dst, (staged) => store(state, { ...field, staged: undefined }, field.conversion, staged.native, staged.shadow, depth));
  store(state, field, field.conversion, src, dst, depth);
}

/** `Store<X>32`: one record's part of the receive path. */
export function renderStore(plan: RecordPlan): string {
  const state = newState();
  state.w.line('RtlZeroMemory(Shadow, sizeof(*Shadow));');
  for (const f of plan.fields) storeField(state, f, 'Native->', 'Shadow->', 0);
  markUnreferenced(state, ['Native', 'Output']);
  const header = new CText();
  routineHeader(header, {
    comment: `${plan.routines.store}: ${plan.nativeName} as the 32-bit caller's ${plan.shadow.name} in *Shadow (a kernel copy), what it points to appended to Output.`,
    returns: 'NTSTATUS',
    name: plan.routines.store,
    params: [`_In_ const ${plan.nativeName} *Native`, `_Out_ ${pointerParam(plan.shadow.pointer, 'Shadow')}`, '_Inout_ PIOCTL_LENS_OUTPUT32 Output'],
    isStatic: true,
  });
  return assemble(header, state, (out) => out.line(state.usesStatus ? 'return Status;' : 'return STATUS_SUCCESS;'));
}

/** `Marshal<T>32`: the root's entry point (measure, then write under `__try`). */
export function renderMarshal(plan: RecordPlan): string {
  const w = new CText();
  const t32 = plan.shadow.name;
  const walk = (into: CText) => {
    into.line(`Status = IoctlLensReserve32(&Output, 1, sizeof(${t32}), TYPE_ALIGNMENT(${t32}), &Offset);`);
    into.block('if (NT_SUCCESS(Status))', () => into.line(`Status = ${plan.routines.store}(Native, &Record32, &Output);`));
  };
  routineHeader(w, {
    comment:
      `${plan.routines.marshal}: writes ${plan.nativeName} for a 32-bit caller into its output buffer: the ${t32} first, then everything it points to, ` +
      `each at its 32-bit alignment, every pointer holding the caller's address of its piece (UserAddress is the caller's address of Buffer). ` +
      'Measures first: when Length is too small nothing is written, *Needed is the size needed and the status STATUS_BUFFER_OVERFLOW; ' +
      'on success *Needed is the size written.',
    annotations: ['_IRQL_requires_max_(APC_LEVEL)'],
    returns: 'NTSTATUS',
    name: plan.routines.marshal,
    params: [`_In_ const ${plan.nativeName} *Native`, '_Out_writes_bytes_to_(Length, *Needed) PVOID Buffer', '_In_ ULONG Length', '_In_ ULONG UserAddress', '_Out_ PULONG Needed'],
    isStatic: !plan.root,
  });
  w.line('{');
  w.indent(() => {
    w.line('NTSTATUS Status;');
    w.line('IOCTL_LENS_OUTPUT32 Output;');
    w.line(`${t32} Record32;`);
    w.line('ULONG Offset;');
    w.line();
    w.line('/* First pass: measure (Output.Buffer is NULL: nothing is written). */');
    w.line('*Needed = 0;');
    w.line('RtlZeroMemory(&Output, sizeof(Output));');
    w.line('Output.UserAddress = UserAddress;');
    walk(w);
    w.block('if (!NT_SUCCESS(Status))', () => w.line('return Status;'));
    w.line('*Needed = Output.Offset;');
    w.block('if (Length < Output.Offset)', () => w.line('return STATUS_BUFFER_OVERFLOW;'));
    w.line('/* Second pass: the same walk converts and writes, straight into the buffer. */');
    w.line('Output.Buffer = (PUCHAR)Buffer;');
    w.line('Output.Length = Length;');
    w.line('Output.Offset = 0;');
    w.tryExcept(
      () => {
        w.line('RtlZeroMemory(Buffer, *Needed); /* padding and gaps too: no byte of kernel memory reaches the caller */');
        walk(w);
        w.block('if (NT_SUCCESS(Status))', () => w.line('IoctlLensPut32(&Output, Offset, &Record32, sizeof(Record32));'));
      },
      () => w.line('Status = GetExceptionCode();'),
    );
    w.line('return Status;');
  });
  w.line('}');
  return w.toString();
}
