/**
 * Capture (the send path: 32-bit caller -> native): `Capture<T>32(Shadow,
 * Native)` zeroes the native structure, then converts member by member:
 * pointers are zero-extended (`UlongToPtr`), handles sign-extended
 * (`LongToHandle`), pointer-sized integers widened, fixed arrays copied,
 * nested records converted by their own routines, a union by a `switch` on
 * the member that selects its arm.
 *
 * Everything a pointer member leads to is captured up front, in the same
 * call: its count is read once (and becomes the native count at once, so a
 * release after a failure knows how much to free), both byte sizes are
 * overflow-checked, the caller's memory is probed with the alignment a
 * 32-bit caller guarantees and read exactly once inside `__try/__except`:
 * bytes straight into pool, records element by element into an aligned
 * kernel copy that is then converted (a second read of the caller's memory
 * could see other values, and an x86 caller aligns an 8-byte-aligned record
 * to 4 only). A pointer to one record with no count is one record. On
 * failure the capture releases what it took.
 *
 * Invariant: `Shadow` is kernel memory (the SystemBuffer of a METHOD_BUFFERED
 * request, or the aligned copy a parent capture made); the caller's memory
 * is only ever read through a pointer member, under `__try`.
 */

import { CText, comment, routineHeader } from './cwriter';
import type { Conversion, FieldPlan, RecordPlan, SwitchPlan } from './plan';
import {
  type MemberConversions,
  convertMember,
  todoComment,
  type PeerFacts,
  type RoutineState,
  assemble,
  countPath,
  deepMembers,
  indexName,
  local,
  markUnreferenced,
  memberPath,
  newState,
  pathIdent,
  pointeeComment,
  pointerParam,
  pointerValue,
  probeAlignment,
  siblingPrefix,
  stagedLocals,
  switchStatement,
} from './routines';

export interface CaptureOptions {
  poolFlags: string;
  poolTag: string;
  peer: PeerFacts;
}

/**
 * Reads the counts of the pointee members reachable from `fields` into
 * locals, once, and stores them in the native record at once (a release
 * after a failure loops over them).
 */
function readCounts(state: RoutineState, fields: FieldPlan[], nativePrefix: string, shadowPrefix: string) {
  for (const d of deepMembers(fields, '', { intoSwitches: false })) {
    if (d.conversion.count.member === undefined) continue;
    const relative = countPath(d.path, d.conversion.count.member);
    const path = shadowPrefix + relative;
    if (state.counts.has(path)) continue;
    const name = local(state, `Captured${pathIdent(path.replace(/^Shadow->/, ''))}`, 'ULONG');
    state.counts.set(path, name);
    state.w.line(`${name} = ${path}; /* read once: it sizes ${d.path.split('.').pop()} */`);
    state.w.line(`${nativePrefix}${relative} = ${name};`);
  }
}

/** Leaves the routine on failure (through `Cleanup`, which releases what was taken). */
function failOut(state: RoutineState) {
  state.usesCleanup = true;
  state.w.block('if (!NT_SUCCESS(Status))', () => state.w.line('goto Cleanup;'));
}

function convert(state: RoutineState, options: CaptureOptions, field: FieldPlan, c: Conversion, dst: string, src: string, depth: number) {
  convertMember(state, captureConversions(state, options), field, c, src, dst, depth);
}

/** Capture's own spellings: from the caller's 32-bit members (`from`, the shadow) into the native record (`to`). */
function captureConversions(state: RoutineState, options: CaptureOptions): MemberConversions {
  const w = state.w;
  return {
    pointer(field, c, from, to) {
      if (c.functionType) {
        const value = field.form === 'ulong' ? from : `PtrToUlong(${from})`;
        w.line(`${to} = (${c.functionType})(ULONG_PTR)${value};`);
        return;
      }
      w.line(`${to} = ${c.cast ? `(${c.cast})` : ''}${pointerValue(field, from)};`);
    },
    handle(field, from, to) {
      w.line(`${to} = ${field.form === 'ulong' ? `LongToHandle((LONG)${from})` : `LongToHandle(PtrToLong(${from}))`};`);
    },
    integer(_c, from, to) {
      w.line(`${to} = ${from};`);
    },
    record(c, from, to) {
      state.usesStatus = true;
      w.line(`Status = ${c.plan.routines.capture}(&${from}, &${to});`);
      failOut(state);
    },
    pointee(field, c, from, to, depth) {
      capturePointee(state, options, field, c, to, from, depth);
    },
    member(field, fromPrefix, toPrefix, depth) {
      captureField(state, options, field, toPrefix, fromPrefix, depth);
    },
  };
}

/** The count of a pointee: its local (read once), or the constant. Reads it here when no earlier read did (inside a switch arm or an array). */
function countOf(state: RoutineState, c: Conversion & { kind: 'deep' | 'buffer' }, dst: string, src: string): string {
  if (c.count.constant !== undefined) return String(c.count.constant);
  const path = countPath(src, c.count.member!);
  const known = state.counts.get(path);
  if (known) return known;
  const name = local(state, `Captured${pathIdent(path.replace(/^Shadow->/, ''))}`, 'ULONG');
  state.w.line(`${name} = ${path};`);
  state.w.line(`${siblingPrefix(dst)}${c.count.member} = ${name};`);
  state.counts.set(path, name);
  return name;
}

/**
 * A pointer member's pointee, from the caller's memory into pool: the count
 * (elements or bytes), overflow-checked sizes, one probe with the 32-bit
 * alignment, one read of each byte under `__try`.
 */
function capturePointee(state: RoutineState, options: CaptureOptions, field: FieldPlan, c: Conversion & { kind: 'deep' | 'buffer' }, dst: string, src: string, depth: number) {
  const w = state.w;
  const name = pathIdent(dst.replace(/^Native->/, ''));
  const count = countOf(state, c, dst, src);
  const deep = c.kind === 'deep';
  const element32 = deep ? c.element.shadow.name : c.element.type;
  const elementNative = deep ? c.element.nativeName : c.element.type;
  // One record (a pointer with no count): no multiplication, no loop.
  const one = c.count.constant === 1 && !c.count.bytes;
  const bytes32 = one ? `sizeof(${element32})` : local(state, `${name}Bytes32`, 'ULONG');
  const bytes = one ? `sizeof(${elementNative})` : local(state, `${name}Bytes`, 'SIZE_T');
  const caller = local(state, `${name}32`, 'const UCHAR *');
  state.usesStatus = true;
  state.usesCleanup = true;
  for (const l of comment(`${field.name}: ${pointeeComment(c, c.count.member ?? count)} in the caller's memory (${c.count.annotation}).`)) w.line(l);
  w.line(`${caller} = (const UCHAR *)${pointerValue(field, src)};`);
  const test = c.count.constant !== undefined ? `${caller} != NULL` : c.count.optional ? `${count} != 0 && ${caller} != NULL` : `${count} != 0`;
  w.block(`if (${test})`, () => {
    if (c.count.bytes) {
      w.line(`${bytes32} = ${count};`);
      w.line(`${bytes} = ${count};`);
    } else if (!one) {
      w.line(`Status = RtlULongMult(${count}, (ULONG)sizeof(${element32}), &${bytes32});`);
      w.block('if (NT_SUCCESS(Status))', () => w.line(`Status = RtlSizeTMult(${count}, sizeof(${elementNative}), &${bytes});`));
      failOut(state);
    }
    const cast = deep ? c.element.nativePointer : c.pointer;
    w.tryExcept(
      () => {
        w.line(`ProbeForRead(${caller}, ${bytes32}, ${probeAlignment(options.peer, c)});`);
        w.line(`${dst} = (${cast})ExAllocatePool2(${options.poolFlags}, ${bytes}, ${options.poolTag});`);
        w.ifElse(
          `${dst} == NULL`,
          () => w.line('Status = STATUS_INSUFFICIENT_RESOURCES;'),
          () => {
            if (!deep) {
              w.line(`RtlCopyMemory(${c.constPointee ? '(PVOID)' : ''}${dst}, ${caller}, ${bytes32});`);
              return;
            }
            // Each record is read once, into an aligned kernel copy, and converted from there.
            const staged = local(state, `${name}Element32`, c.element.shadow.name);
            // A pointer to const records (`PCUNICODE_STRING`) is filled through a pointer that may write.
            const into = c.constPointee ? `((${c.element.nativePointer})${dst})` : dst;
            if (one) {
              w.line(`RtlCopyMemory(&${staged}, ${caller}, sizeof(${staged}));`);
              w.line(`Status = ${c.element.routines.capture}(&${staged}, ${into});`);
              return;
            }
            const index = local(state, indexName(depth), 'ULONG');
            w.block(`for (${index} = 0; ${index} < ${count}; ${index}++)`, () => {
              w.line(`RtlCopyMemory(&${staged}, ${caller} + ${index} * sizeof(${element32}), sizeof(${staged}));`);
              w.line(`Status = ${c.element.routines.capture}(&${staged}, &${into}[${index}]);`);
              w.block('if (!NT_SUCCESS(Status))', () => w.line('break;'));
            });
          },
        );
      },
      () => w.line('Status = GetExceptionCode();'),
    );
    failOut(state);
  });
}

/** A union converted by the member that selects its arm; a value no arm is known for is refused. */
function captureSwitch(state: RoutineState, options: CaptureOptions, field: FieldPlan, sw: SwitchPlan, nativePrefix: string, shadowPrefix: string, depth: number) {
  const into = (p: string) => (field.name ? `${p}.` : p);
  const dst = into(memberPath(nativePrefix, field));
  const src = into(memberPath(shadowPrefix, field));
  state.usesStatus = true;
  state.usesCleanup = true;
  switchStatement(
    state,
    { field, sw, discriminator: shadowPrefix + sw.member },
    (arm) => {
      readCounts(state, [arm], dst, src);
      captureField(state, options, arm, dst, src, depth);
    },
    () => {
      state.w.line(`Status = STATUS_INVALID_PARAMETER; /* no arm is known for this ${sw.member} */`);
      state.w.line('goto Cleanup;');
    },
  );
}

/** A record placed off its alignment by `#pragma pack`: converted in aligned copies, copied in as bytes (also after a failure, so a release finds what it holds). */
function captureStaged(state: RoutineState, options: CaptureOptions, field: FieldPlan, dst: string, src: string, depth: number) {
  const w = state.w;
  const staged = stagedLocals(state, field);
  if (!staged) return;
  for (const l of comment(field.staged!)) w.line(l);
  state.usesStatus = true;
  // Zeroed before anything can fail: Cleanup copies it into Native, whatever it holds by then.
  state.prologue.push(`RtlZeroMemory(&${staged.native}, sizeof(${staged.native}));`);
  w.line(`RtlCopyMemory(&${staged.shadow}, &${src}, sizeof(${staged.shadow}));`);
  convert(state, options, { ...field, staged: undefined }, field.conversion, staged.native, staged.shadow, depth);
  // `convert` left through Cleanup on failure before this copy: Cleanup copies it too (see renderCapture).
  const copy = `RtlCopyMemory(&${dst}, &${staged.native}, sizeof(${staged.native}));`;
  w.line(copy);
  state.stagedCopies.push(copy);
}

export function captureField(state: RoutineState, options: CaptureOptions, field: FieldPlan, nativePrefix: string, shadowPrefix: string, depth: number) {
  const dst = memberPath(nativePrefix, field);
  const src = memberPath(shadowPrefix, field);
  if (!field.name && field.conversion.kind !== 'inline') return; // unnamed bit-field
  if (field.todo) return todoComment(state, dst, `${field.todo}.`);
  // A count read at the top has been stored in the native record already.
  if (field.name && state.counts.has(src)) return;
  if (field.switch) return captureSwitch(state, options, field, field.switch, nativePrefix, shadowPrefix, depth);
  if (field.staged) return captureStaged(state, options, field, dst, src, depth);
  convert(state, options, field, field.conversion, dst, src, depth);
}

export function renderCapture(plan: RecordPlan, options: CaptureOptions): string {
  const state = newState();
  const w = state.w;
  w.line('RtlZeroMemory(Native, sizeof(*Native));');
  const pointees = deepMembers(plan.fields, '', { intoSwitches: false });
  readCounts(state, plan.fields, 'Native->', 'Shadow->');
  for (const f of plan.fields) captureField(state, options, f, 'Native->', 'Shadow->', 0);
  markUnreferenced(state, ['Shadow']);
  const header = new CText();
  const names = pointees.map((d) => d.path);
  routineHeader(header, {
    comment:
      `${plan.routines.capture}: converts a 32-bit caller's ${plan.shadow.name} into ${plan.nativeName}` +
      (plan.deep
        ? `, capturing ${names.length ? names.join(', ') : 'what its members point to'} into pool; on success the caller releases it with ${plan.routines.release}`
        : '') +
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
      if (plan.deep || state.stagedCopies.length) {
        out.block('if (!NT_SUCCESS(Status))', () => {
          for (const copy of state.stagedCopies) out.line(copy);
          if (plan.deep) out.line(`${plan.routines.release}(Native);`);
        });
      }
    }
    out.line('return Status;');
  });
}
