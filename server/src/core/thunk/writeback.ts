/**
 * Write-back (native -> 32-bit caller) and release.
 *
 * `WriteBack<T>32(Native, Shadow)` zeroes the shadow first, so no padding
 * byte of kernel memory reaches the caller, then writes every member:
 * pointers truncated with `PtrToUlong`, handles with `HandleToLong`,
 * pointer-sized integers range-checked (`STATUS_INTEGER_OVERFLOW`, never a
 * silent truncation), nested records by their own routines. A deeply
 * captured pointer holds a kernel pool address that must never reach the
 * caller: the caller's own 32-bit value is kept (saved before the zeroing,
 * restored after), which is what the native path returns.
 *
 * `Release<T>32(Native)` frees what `Capture<T>32` allocated, depth first,
 * and clears the pointers, so it is safe to call twice and after a failed
 * capture.
 */

import { CText, comment, routineHeader } from './cwriter';
import type { Conversion, FieldPlan, RecordPlan } from './plan';
import { type RoutineState, assemble, copyStatement, unionBytes, pointerParam, deepMembers, indexName, local, memberPath, newState, pathIdent } from './routines';

function back(state: RoutineState, field: FieldPlan, c: Conversion, src: string, dst: string, depth: number) {
  const w = state.w;
  switch (c.kind) {
    case 'copy':
      w.line(copyStatement(c, dst, src));
      return;
    case 'pointer': {
      const value = c.functionType ? `(ULONG)(ULONG_PTR)${src}` : `PtrToUlong(${src})`;
      w.line(field.form === 'ulong' ? `${dst} = ${value};` : `${dst} = (VOID * POINTER_32)${value};`);
      return;
    }
    case 'handle':
      w.line(field.form === 'ulong' ? `${dst} = (ULONG)HandleToLong(${src});` : `${dst} = (VOID * POINTER_32)HandleToULong(${src});`);
      return;
    case 'integer': {
      const test = c.signed ? `${src} < ${c.minConstant} || ${src} > ${c.maxConstant}` : `${src} > ${c.maxConstant}`;
      w.block(`if (${test})`, () => w.line('return STATUS_INTEGER_OVERFLOW;'));
      w.line(`${dst} = (${c.shadowType})${src};`);
      return;
    }
    case 'record':
      state.usesStatus = true;
      w.line(`Status = ${c.plan.routines.writeBack}(&${src}, &${dst});`);
      w.block('if (!NT_SUCCESS(Status))', () => w.line('return Status;'));
      return;
    case 'inline': {
      const into = (p: string) => (field.name || !p.endsWith('->') ? `${p}.` : p);
      const bytes = unionBytes(field, c, into, dst, src);
      if (bytes) w.line(bytes);
      else for (const f of c.fields) writeBackField(state, f, into(src), into(dst), depth);
      return;
    }
    case 'array': {
      if (c.length === undefined) return;
      const index = local(state, indexName(depth), 'ULONG');
      w.block(`for (${index} = 0; ${index} < ${c.length}; ${index}++)`, () => back(state, field, c.element, `${src}[${index}]`, `${dst}[${index}]`, depth + 1));
      return;
    }
    case 'deep':
      w.line(`${dst} = ${savedName(dst)}; /* the caller's own pointer, never our pool copy */`);
      return;
  }
}

function savedName(shadowPath: string): string {
  return `Caller${pathIdent(shadowPath.replace(/^Shadow->/, ''))}`;
}

function writeBackField(state: RoutineState, field: FieldPlan, nativePrefix: string, shadowPrefix: string, depth: number) {
  const src = memberPath(nativePrefix, field);
  const dst = memberPath(shadowPrefix, field);
  if (!field.name && field.conversion.kind !== 'inline') return;
  if (field.todo) {
    const label = src.replace(/^Native->/, '').replace(/\.$/, '');
    for (const l of comment(`TODO(ioctl-lens): ${label ? label + ': ' : ''}${field.todo}.`)) state.w.line(l);
    return;
  }
  back(state, field, field.conversion, src, dst, depth);
}

export function renderWriteBack(plan: RecordPlan): string {
  const state = newState();
  const w = state.w;
  const deep = deepMembers(plan.fields, '');
  for (const d of deep) {
    const type = d.field.form === 'ulong' ? 'ULONG' : `${d.conversion.element.shadow.name} * POINTER_32`;
    w.line(`${local(state, savedName(d.path), type)} = Shadow->${d.path};`);
  }
  w.line('RtlZeroMemory(Shadow, sizeof(*Shadow));');
  for (const f of plan.fields) writeBackField(state, f, 'Native->', 'Shadow->', 0);
  const header = new CText();
  routineHeader(header, {
    comment:
      `${plan.routines.writeBack}: writes ${plan.nativeName} back as the 32-bit caller's ${plan.shadow.name}; ` +
      'STATUS_INTEGER_OVERFLOW when a value does not fit in 32 bits.',
    returns: 'NTSTATUS',
    name: plan.routines.writeBack,
    // With deep members the caller's own pointers are read back out of the shadow first: _Inout_.
    params: [`_In_ const ${plan.nativeName} *Native`, `${deep.length ? '_Inout_' : '_Out_'} ${pointerParam(plan.shadow.pointer, 'Shadow')}`],
    isStatic: !plan.root,
  });
  return assemble(header, state, (out) => out.line(state.usesStatus ? 'return Status;' : 'return STATUS_SUCCESS;'));
}

/** Frees, depth first, what the capture allocated (members in any by-value position, and the elements' own allocations). */
function releaseFields(state: RoutineState, fields: FieldPlan[], prefix: string, depth: number, poolTag: string) {
  const w = state.w;
  for (const f of fields) {
    if (f.todo) continue;
    const c = f.conversion;
    const path = memberPath(prefix, f);
    if (c.kind === 'inline') releaseFields(state, c.fields, f.name ? path + '.' : prefix, depth, poolTag);
    else if (c.kind === 'record' && c.plan.deep) w.line(`${c.plan.routines.release}(&${path});`);
    else if (c.kind === 'array' && c.length !== undefined && arrayIsDeep(c)) {
      const index = local(state, indexName(depth), 'ULONG');
      w.block(`for (${index} = 0; ${index} < ${c.length}; ${index}++)`, () => releaseElement(state, c.element, `${path}[${index}]`, depth + 1, poolTag));
    } else if (c.kind === 'deep') {
      w.block(`if (${path} != NULL)`, () => {
        if (c.element.deep) {
          const index = local(state, indexName(depth), 'ULONG');
          const count = path.replace(/[^.>]*$/, '') + c.count.member;
          w.block(`for (${index} = 0; ${index} < ${count}; ${index}++)`, () => w.line(`${c.element.routines.release}(&${path}[${index}]);`));
        }
        w.line(`ExFreePoolWithTag(${path}, ${poolTag});`);
        w.line(`${path} = NULL;`);
      });
    }
  }
}

function arrayIsDeep(c: Conversion): boolean {
  if (c.kind === 'array') return arrayIsDeep(c.element);
  return c.kind === 'record' && c.plan.deep;
}

function releaseElement(state: RoutineState, c: Conversion, path: string, depth: number, poolTag: string) {
  if (c.kind === 'record') state.w.line(`${c.plan.routines.release}(&${path});`);
  else if (c.kind === 'array' && c.length !== undefined) {
    const index = local(state, indexName(depth), 'ULONG');
    state.w.block(`for (${index} = 0; ${index} < ${c.length}; ${index}++)`, () => releaseElement(state, c.element, `${path}[${index}]`, depth + 1, poolTag));
  }
}

export function renderRelease(plan: RecordPlan, options: { poolTag: string }): string {
  const state = newState();
  releaseFields(state, plan.fields, 'Native->', 0, options.poolTag);
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
