/**
 * Capture (32-bit caller -> native): `Capture<T>32(Shadow, Native)` zeroes
 * the native structure, then converts member by member: pointers are
 * zero-extended (`UlongToPtr`), handles sign-extended (`LongToHandle`),
 * pointer-sized integers widened, nested records converted by their own
 * routines. A pointer to `Count` records that differ for 32-bit callers
 * (`_Field_size_(Count)` or `@count`) is captured deeply: the count is read
 * once, both byte sizes are overflow-checked (`RtlULongMult` for the caller's
 * array, `RtlSizeTMult` for ours), the caller's array is probed with the
 * *32-bit* alignment and converted element by element inside
 * `__try/__except`, into pool from `ExAllocatePool2` that
 * `Release<T>32(Native)` frees. On failure a capture releases what it took.
 *
 * Invariant: `Shadow` itself must already be in kernel memory (the
 * SystemBuffer of a METHOD_BUFFERED request) or be read under the caller's
 * `__try`; the capture reads every member of it exactly once.
 */

import { CText, comment, routineHeader } from './cwriter';
import type { Conversion, FieldPlan, RecordPlan } from './plan';
import { type RoutineState, assemble, copyStatement, unionBytes, pointerParam, deepMembers, indexName, local, memberPath, newState, pathIdent } from './routines';

export interface CaptureOptions {
  poolFlags: string;
  poolTag: string;
}

function convert(state: RoutineState, options: CaptureOptions, field: FieldPlan, c: Conversion, dst: string, src: string, depth: number) {
  const w = state.w;
  switch (c.kind) {
    case 'copy':
      w.line(copyStatement(c, dst, src));
      return;
    case 'pointer':
      if (c.functionType) {
        const value = field.form === 'ulong' ? src : `PtrToUlong(${src})`;
        w.line(`${dst} = (${c.functionType})(ULONG_PTR)${value};`);
        return;
      }
      w.line(`${dst} = ${field.form === 'ulong' ? `UlongToPtr(${src})` : `UlongToPtr(PtrToUlong(${src}))`};`);
      return;
    case 'handle':
      w.line(`${dst} = ${field.form === 'ulong' ? `LongToHandle((LONG)${src})` : `LongToHandle(PtrToLong(${src}))`};`);
      return;
    case 'integer':
      w.line(`${dst} = ${src};`);
      return;
    case 'record':
      state.usesStatus = true;
      state.usesCleanup = true;
      w.line(`Status = ${c.plan.routines.capture}(&${src}, &${dst});`);
      w.block('if (!NT_SUCCESS(Status))', () => w.line('goto Cleanup;'));
      return;
    case 'inline': {
      // An anonymous member's members are reached directly from the parent.
      const into = (p: string) => (field.name || !p.endsWith('->') ? `${p}.` : p);
      const bytes = unionBytes(field, c, into, dst, src);
      if (bytes) w.line(bytes);
      else for (const f of c.fields) captureField(state, options, f, into(dst), into(src), depth);
      return;
    }
    case 'array': {
      if (c.length === undefined) return;
      const index = local(state, indexName(depth), 'ULONG');
      w.block(`for (${index} = 0; ${index} < ${c.length}; ${index}++)`, () =>
        convert(state, options, field, c.element, `${dst}[${index}]`, `${src}[${index}]`, depth + 1),
      );
      return;
    }
    case 'deep':
      deepCapture(state, options, field, c, dst, src, depth);
      return;
  }
}

function deepCapture(state: RoutineState, options: CaptureOptions, field: FieldPlan, c: Conversion & { kind: 'deep' }, dst: string, src: string, depth: number) {
  const w = state.w;
  const el = c.element;
  const name = pathIdent(dst.replace(/^Native->/, ''));
  const countPath = src.replace(/^Shadow->/, '').replace(/[^.]*$/, '') + c.count.member;
  const count = state.counts.get(countPath) ?? 'Count';
  const bytes32 = local(state, `${name}Bytes32`, 'ULONG');
  const bytes = local(state, `${name}Bytes`, 'SIZE_T');
  const array32 = local(state, `${name}32`, `const ${el.shadow.name} *`);
  const index = local(state, indexName(depth), 'ULONG');
  state.usesStatus = true;
  state.usesCleanup = true;
  const pointer = field.form === 'ulong' ? `UlongToPtr(${src})` : `UlongToPtr(PtrToUlong(${src}))`;
  w.line(`/* ${field.name}: ${count} ${el.shadow.name} in the caller's memory (${c.count.annotation}). */`);
  if (c.count.optional) {
    // Optional: NULL is valid whatever the count, so the pointer is read (once) before deciding.
    w.line(`${array32} = (const ${el.shadow.name} *)${pointer};`);
  }
  w.block(c.count.optional ? `if (${count} != 0 && ${array32} != NULL)` : `if (${count} != 0)`, () => {
    w.line(`Status = RtlULongMult(${count}, (ULONG)sizeof(${el.shadow.name}), &${bytes32});`);
    w.block('if (NT_SUCCESS(Status))', () => w.line(`Status = RtlSizeTMult(${count}, sizeof(${el.nativeName}), &${bytes});`));
    w.block('if (!NT_SUCCESS(Status))', () => w.line('goto Cleanup;'));
    if (!c.count.optional) w.line(`${array32} = (const ${el.shadow.name} *)${pointer};`);
    w.tryExcept(
      () => {
        w.line(`ProbeForRead(${array32}, ${bytes32}, TYPE_ALIGNMENT(${el.shadow.name}));`);
        w.line(`${dst} = (${el.nativePointer})ExAllocatePool2(${options.poolFlags}, ${bytes}, ${options.poolTag});`);
        w.ifElse(
          `${dst} == NULL`,
          () => w.line('Status = STATUS_INSUFFICIENT_RESOURCES;'),
          () =>
            w.block(`for (${index} = 0; ${index} < ${count}; ${index}++)`, () => {
              w.line(`Status = ${el.routines.capture}(&${array32}[${index}], &${dst}[${index}]);`);
              w.block('if (!NT_SUCCESS(Status))', () => w.line('break;'));
            }),
        );
      },
      () => w.line('Status = GetExceptionCode();'),
    );
    w.block('if (!NT_SUCCESS(Status))', () => w.line('goto Cleanup;'));
  });
}

export function captureField(state: RoutineState, options: CaptureOptions, field: FieldPlan, nativePrefix: string, shadowPrefix: string, depth: number) {
  const dst = memberPath(nativePrefix, field);
  const src = memberPath(shadowPrefix, field);
  if (!field.name && field.conversion.kind !== 'inline') return; // unnamed bit-field
  if (field.todo) {
    const label = dst.replace(/^Native->/, '').replace(/\.$/, '');
    for (const l of comment(`TODO(ioctl-lens): ${label ? label + ': ' : ''}${field.todo}.`)) state.w.line(l);
    return;
  }
  const countLocal = field.name ? state.counts.get(src.replace(/^Shadow->/, '')) : undefined;
  if (countLocal) {
    state.w.line(`${dst} = ${countLocal};`);
    return;
  }
  convert(state, options, field, field.conversion, dst, src, depth);
}

export function renderCapture(plan: RecordPlan, options: CaptureOptions): string {
  const state = newState();
  const w = state.w;
  w.line('RtlZeroMemory(Native, sizeof(*Native));');
  const deep = deepMembers(plan.fields, '');
  for (const d of deep) {
    const countPath = d.path.replace(/[^.]*$/, '') + d.conversion.count.member;
    if (state.counts.has(countPath)) continue;
    const name = local(state, `Captured${pathIdent(countPath)}`, 'ULONG');
    state.counts.set(countPath, name);
    w.line(`${name} = Shadow->${countPath}; /* read once: it sizes ${d.path} */`);
  }
  for (const f of plan.fields) captureField(state, options, f, 'Native->', 'Shadow->', 0);
  const header = new CText();
  const deepNames = deep.map((d) => d.path);
  routineHeader(header, {
    comment:
      `${plan.routines.capture}: converts a 32-bit caller's ${plan.shadow.name} into ${plan.nativeName}` +
      (plan.deep ? `, capturing ${deepNames.length ? deepNames.join(', ') : 'its members\' arrays'} into pool; on success the caller releases it with ${plan.routines.release}` : '') +
      '.',
    annotations: plan.deep ? ['_IRQL_requires_max_(APC_LEVEL)'] : [],
    returns: 'NTSTATUS',
    name: plan.routines.capture,
    params: [`_In_ const ${plan.shadow.name} *Shadow`, `_Out_ ${pointerParam(plan.nativePointer, 'Native')}`],
    isStatic: !plan.root,
  });
  state.usesStatus = true;
  return assemble(header, state, (out) => {
    if (state.usesCleanup) {
      out.line();
      out.directive('Cleanup:');
      if (plan.deep) out.block('if (!NT_SUCCESS(Status))', () => out.line(`${plan.routines.release}(Native);`));
    }
    out.line('return Status;');
  });
}
