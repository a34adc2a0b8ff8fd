/**
 * Write-back (native -> the 32-bit caller's record in place) and release.
 *
 * `WriteBack<T>32(Native, Shadow)` zeroes the shadow first, so no padding
 * byte of kernel memory reaches the caller, then writes every member:
 * pointers truncated with `PtrToUlong`, handles with `HandleToLong`,
 * pointer-sized integers range-checked (`STATUS_INTEGER_OVERFLOW`, never a
 * silent truncation), fixed arrays copied, nested records by their own
 * routines, a union by the member that selects its arm. A captured pointer
 * holds a kernel pool address that must never reach the caller: the
 * caller's own 32-bit value is kept (saved before the zeroing, restored
 * after), which is what the native path returns. (To hand the caller a new
 * deep structure, use the receive path: marshal.ts.)
 *
 * `Release<T>32(Native)` frees what `Capture<T>32` allocated, depth first,
 * and clears the pointers, so it is safe to call twice and after a failed
 * capture.
 */

import { CText, comment, routineHeader } from './cwriter';
import { type Conversion, type FieldPlan, type RecordPlan, type SwitchPlan, conversionIsDeep, fieldsAreDeep } from './plan';
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
  pointerParam,
  outwardStaged,
  outwardSwitch,
  stagedLocals,
  switchStatement,
} from './routines';

function back(state: RoutineState, field: FieldPlan, c: Conversion, src: string, dst: string, depth: number) {
  convertMember(state, writeBackConversions(state), field, c, src, dst, depth);
}

/** Write-back's own spellings: from the native record (`from`) into the caller's 32-bit members (`to`, the shadow). */
function writeBackConversions(state: RoutineState): MemberConversions {
  const w = state.w;
  return {
    pointer(field, c, from, to) {
      const value = c.functionType ? `(ULONG)(ULONG_PTR)${from}` : `PtrToUlong(${from})`;
      w.line(field.form === 'ulong' ? `${to} = ${value};` : `${to} = (VOID * POINTER_32)${value};`);
    },
    handle: (field, from, to) => handleBack(state, field, from, to),
    integer: (c, from, to) => integerBack(state, c, from, to),
    record(c, from, to) {
      state.usesStatus = true;
      // Its own write-back keeps the caller's pointers it finds in it: give it back what the caller sent.
      if (c.plan.deep && to.startsWith('Shadow->')) w.line(`${to} = ${to.replace(/^Shadow->/, 'Caller.')};`);
      w.line(`Status = ${c.plan.routines.writeBack}(&${from}, &${to});`);
      w.block('if (!NT_SUCCESS(Status))', () => w.line('return Status;'));
    },
    pointee(_field, _c, _from, to) {
      w.line(`${to} = ${to.replace(/^Shadow->/, 'Caller.')}; /* the caller's own pointer, never our pool copy */`);
    },
    member: (field, fromPrefix, toPrefix, depth) => writeBackField(state, field, fromPrefix, toPrefix, depth),
  };
}

/** A handle for the 32-bit caller: its low 32 bits, sign-extended back when the caller's handle is widened (`INVALID_HANDLE_VALUE`). */
export function handleBack(state: RoutineState, field: FieldPlan, src: string, dst: string) {
  state.w.line(field.form === 'ulong' ? `${dst} = (ULONG)HandleToLong(${src});` : `${dst} = (VOID * POINTER_32)HandleToULong(${src});`);
}

/** A pointer-sized integer narrowed for the caller: refused when it does not fit. */
export function integerBack(state: RoutineState, c: Conversion & { kind: 'integer' }, src: string, dst: string) {
  const test = c.signed ? `${src} < ${c.minConstant} || ${src} > ${c.maxConstant}` : `${src} > ${c.maxConstant}`;
  state.w.block(`if (${test})`, () => state.w.line('return STATUS_INTEGER_OVERFLOW;'));
  state.w.line(`${dst} = (${c.shadowType})${src};`);
}

function writeBackField(state: RoutineState, field: FieldPlan, nativePrefix: string, shadowPrefix: string, depth: number) {
  const src = memberPath(nativePrefix, field);
  const dst = memberPath(shadowPrefix, field);
  if (!field.name && field.conversion.kind !== 'inline') return;
  if (field.todo) return todoComment(state, src, `${field.todo}.`);
  if (field.switch) return outwardSwitch(state, field, field.switch, nativePrefix, shadowPrefix, depth, writeBackField);
  if (field.staged) {
    return outwardStaged(state, field, src, dst, (staged) => {
      // What the caller sent, for the pointers its write-back keeps.
      if (staged.record.deep) state.w.line(`RtlCopyMemory(&${staged.shadow}, &${dst.replace(/^Shadow->/, 'Caller.')}, sizeof(${staged.shadow}));`);
      back(state, { ...field, staged: undefined }, field.conversion, staged.native, staged.shadow, depth);
    });
  }
  back(state, field, field.conversion, src, dst, depth);
}

export function renderWriteBack(plan: RecordPlan): string {
  const state = newState();
  const w = state.w;
  const pointees = fieldsAreDeep(plan.fields);
  if (pointees) {
    // The caller's own pointers are written back as they came: kept from the record before it is cleared.
    w.line(`RtlCopyMemory(&${local(state, 'Caller', plan.shadow.name)}, Shadow, sizeof(Caller));`);
  }
  w.line('RtlZeroMemory(Shadow, sizeof(*Shadow));');
  for (const f of plan.fields) writeBackField(state, f, 'Native->', 'Shadow->', 0);
  markUnreferenced(state, ['Native']);
  const header = new CText();
  routineHeader(header, {
    comment:
      `${plan.routines.writeBack}: writes ${plan.nativeName} back as the 32-bit caller's ${plan.shadow.name}; ` +
      'STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.',
    returns: 'NTSTATUS',
    name: plan.routines.writeBack,
    // With pointee members the caller's own pointers are read back out of the shadow first: _Inout_.
    params: [`_In_ const ${plan.nativeName} *Native`, `${pointees ? '_Inout_' : '_Out_'} ${pointerParam(plan.shadow.pointer, 'Shadow')}`],
    isStatic: !plan.root,
  });
  return assemble(header, state, (out) => out.line(state.usesStatus ? 'return Status;' : 'return STATUS_SUCCESS;'));
}

/** Frees, depth first, what the capture allocated (members in any by-value position, and the elements' own allocations). */
function releaseFields(state: RoutineState, fields: FieldPlan[], prefix: string, depth: number, poolTag: string) {
  for (const f of fields) {
    if (f.todo || !conversionIsDeep(f.conversion)) continue;
    const path = memberPath(prefix, f);
    if (f.switch) releaseSwitch(state, f, f.switch, prefix, depth, poolTag);
    else if (f.staged) releaseStaged(state, f, path, depth, poolTag);
    else releaseConversion(state, f, f.conversion, path, prefix, depth, poolTag);
  }
}

function releaseConversion(state: RoutineState, f: FieldPlan, c: Conversion, path: string, prefix: string, depth: number, poolTag: string) {
  const w = state.w;
  if (c.kind === 'inline') releaseFields(state, c.fields, f.name ? path + '.' : prefix, depth, poolTag);
  else if (c.kind === 'record') w.line(`${c.plan.routines.release}(&${path});`);
  else if (c.kind === 'array' && c.length !== undefined) {
    const index = local(state, indexName(depth), 'ULONG');
    w.block(`for (${index} = 0; ${index} < ${c.length}; ${index}++)`, () => releaseConversion(state, f, c.element, `${path}[${index}]`, prefix, depth + 1, poolTag));
  } else if (c.kind === 'deep' || c.kind === 'buffer') {
    w.block(`if (${path} != NULL)`, () => {
      if (c.kind === 'deep' && c.element.deep) {
        const index = local(state, indexName(depth), 'ULONG');
        const count = c.count.constant !== undefined ? String(c.count.constant) : countPath(path, c.count.member!);
        const elements = c.constPointee ? `((${c.element.nativePointer})${path})` : path;
        w.block(`for (${index} = 0; ${index} < ${count}; ${index}++)`, () => w.line(`${c.element.routines.release}(&${elements}[${index}]);`));
      }
      w.line(`ExFreePoolWithTag(${c.constPointee ? '(PVOID)' : ''}${path}, ${poolTag});`);
      w.line(`${path} = NULL;`);
    });
  }
}

function releaseSwitch(state: RoutineState, field: FieldPlan, sw: SwitchPlan, prefix: string, depth: number, poolTag: string) {
  const into = field.name ? `${memberPath(prefix, field)}.` : prefix;
  switchStatement(
    state,
    { field, sw, discriminator: prefix + sw.member, arms: sw.arms.filter((a) => !a.field.todo && conversionIsDeep(a.field.conversion)), comment: false },
    (arm) => releaseFields(state, [arm], into, depth, poolTag),
    () => state.w.line('break;'),
  );
}

function releaseStaged(state: RoutineState, field: FieldPlan, path: string, depth: number, poolTag: string) {
  const w = state.w;
  const staged = stagedLocals(state, field, 'native');
  if (!staged) return;
  w.line(`RtlCopyMemory(&${staged.native}, &${path}, sizeof(${staged.native})); /* ${field.name} is off its alignment (#pragma pack) */`);
  releaseConversion(state, field, field.conversion, staged.native, '', depth, poolTag);
  w.line(`RtlCopyMemory(&${path}, &${staged.native}, sizeof(${staged.native}));`);
}

export function renderRelease(plan: RecordPlan, options: { poolTag: string }): string {
  const state = newState();
  releaseFields(state, plan.fields, 'Native->', 0, options.poolTag);
  markUnreferenced(state, ['Native']);
  const header = new CText();
  routineHeader(header, {
    comment: `${plan.routines.release}: frees what ${plan.routines.capture} allocated in Native (safe to call twice).`,
    returns: 'VOID',
    name: plan.routines.release,
    params: [`_Inout_ ${pointerParam(plan.nativePointer, 'Native')}`],
    isStatic: !plan.root,
  });
  return assemble(header, state, () => undefined);
}
