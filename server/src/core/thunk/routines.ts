/**
 * Shared pieces of the routine generators (capture, write-back, release,
 * the receive path): the per-routine state (locals, whether the cleanup label
 * is used) and the helpers that spell the same thing the same way in each.
 */

import { CText, comment } from './cwriter';
import type { Conversion, FieldPlan, RecordPlan, SwitchPlan } from './plan';
import { append } from '../arrays';

export interface RoutineState {
  w: CText;
  /** Local declarations, in first-use order: name -> type (an array type carries its bounds after a space: `T [2]`). */
  locals: Map<string, string>;
  /** Count member path -> the local it was read into (read once). */
  counts: Map<string, string>;
  /** Statements run first, before anything can fail (zeroing aligned copies). */
  prologue: string[];
  /** Capture: copies of aligned copies into Native that Cleanup repeats after a failure. */
  stagedCopies: string[];
  usesCleanup: boolean;
  usesStatus: boolean;
}

export function newState(): RoutineState {
  return { w: new CText(), locals: new Map(), counts: new Map(), prologue: [], stagedCopies: [], usesCleanup: false, usesStatus: false };
}

export function local(state: RoutineState, name: string, type: string): string {
  if (!state.locals.has(name)) state.locals.set(name, type);
  return name;
}

/** What the routines need to know of the 32-bit caller's ABI. */
export interface PeerFacts {
  name: string;
  /** The alignment its code guarantees any object it passes (abi.ts `callerAlign`). */
  callerAlign: number;
}

/** `Index`, `Index1`, `Index2` ... for nested loops. */
export function indexName(depth: number): string {
  return depth === 0 ? 'Index' : `Index${depth}`;
}

/** A C identifier made from a member path (`Inner.Items` -> `InnerItems`, `FromMemory.pBuffer` -> `FromMemoryBuffer`). */
export function pathIdent(path: string): string {
  return path
    .replace(/\[[^\]]*\]/g, '')
    .split(/\.|->/)
    .map((part) => part.replace(/^(?:lp|p)(?=[A-Z])/, ''))
    .join('')
    .replace(/[^A-Za-z0-9_]/g, '');
}

/** Joins a member path: anonymous members add nothing. */
export function memberPath(prefix: string, field: FieldPlan): string {
  return field.name ? prefix + field.name : prefix.replace(/\.$/, '');
}

/** The prefix a member's siblings share (`Shadow->Inner.Items` -> `Shadow->Inner.`). */
export function siblingPrefix(path: string): string {
  return path.replace(/[^.>]*$/, '');
}

/** The count member's path next to the pointer's (`Shadow->Inner.Items`, `Count` -> `Shadow->Inner.Count`). */
export function countPath(pointerPath: string, member: string): string {
  return siblingPrefix(pointerPath) + member;
}

export interface PointeeMember {
  path: string;
  field: FieldPlan;
  conversion: Conversion & { kind: 'deep' | 'buffer' };
}

/**
 * Every pointee member reachable by value (not through arrays): the counts
 * to read first, the caller's pointers to keep. `intoSwitches`: also the
 * members of a switched union's arms (only one of which is live).
 */
export function deepMembers(fields: FieldPlan[], prefix: string, options: { intoSwitches: boolean }): PointeeMember[] {
  const out: PointeeMember[] = [];
  for (const f of fields) {
    if (f.todo) continue;
    const c = f.conversion;
    if (c.kind === 'deep' || c.kind === 'buffer') out.push({ path: prefix + f.name, field: f, conversion: c });
    else if (c.kind === 'inline' && (!f.switch || options.intoSwitches)) append(out, deepMembers(c.fields, f.name ? `${prefix}${f.name}.` : prefix, options));
  }
  return out;
}

/** The caller's 32-bit pointer as a native pointer: zero-extended (through `PtrToUlong` for a `__ptr32`, never sign-extended). */
export function pointerValue(field: FieldPlan, src: string): string {
  return field.form === 'ulong' ? `UlongToPtr(${src})` : `UlongToPtr(PtrToUlong(${src}))`;
}

/** `UnknownHeaderCount HTTP_UNKNOWN_HEADER32`, `ReasonLength bytes`, `one HTTP_SSL_INFO32`. */
export function pointeeComment(c: Conversion & { kind: 'deep' | 'buffer' }, count: string): string {
  const element = c.kind === 'deep' ? c.element.shadow.name : c.element.type;
  if (c.count.constant === 1) return `one ${element}`;
  return c.count.bytes ? `${count} bytes` : `${count} ${element}`;
}

/**
 * The alignment the caller's memory is probed with: the element's 32-bit
 * alignment, but no more than a 32-bit caller guarantees (x86 code places an
 * 8-aligned record at a 4-byte boundary on its stack).
 */
export function probeAlignment(peer: PeerFacts, c: Conversion & { kind: 'deep' | 'buffer' }): string {
  const element = c.kind === 'deep' ? c.element.shadow.name : c.element.type;
  const align = c.kind === 'deep' ? c.element.peerLayout.align : c.element.align;
  if (align <= peer.callerAlign) return `TYPE_ALIGNMENT(${element})`;
  return `${peer.callerAlign} /* TYPE_ALIGNMENT(${element}) is ${align}, but an ${peer.name} caller aligns it to ${peer.callerAlign} only */`;
}

/**
 * The locals holding the aligned copies of a record member (or an array of
 * them) that `#pragma pack` put off its alignment, declared with the
 * member's bounds: `AlignedWide32` and `AlignedWide`. Undefined when the
 * member is not such a record.
 */
export function stagedLocals(state: RoutineState, field: FieldPlan, sides: 'both' | 'native' = 'both'): { shadow: string; native: string; record: RecordPlan } | undefined {
  let c: Conversion = field.conversion;
  let dims = '';
  while (c.kind === 'array') {
    dims += `[${c.length ?? 1}]`;
    c = c.element;
  }
  if (c.kind !== 'record') return undefined;
  const base = pathIdent(field.name ?? 'Member');
  const bounds = dims ? ` ${dims}` : '';
  return {
    shadow: sides === 'both' ? local(state, `Aligned${base}32`, c.plan.shadow.name + bounds) : `Aligned${base}32`,
    native: local(state, `Aligned${base}`, c.plan.nativeName + bounds),
    record: c.plan,
  };
}

/**
 * `switch (discriminator) { case V: arm; break; ... default: ... }` for a
 * union converted by the member that selects its arm (WDK style: `case` at
 * the `switch`'s indent). `arms` may leave out arms with nothing to do.
 */
export function switchStatement(
  state: RoutineState,
  options: { field: FieldPlan; sw: SwitchPlan; discriminator: string; arms?: SwitchPlan['arms']; comment?: boolean },
  arm: (field: FieldPlan) => void,
  otherwise: () => void,
) {
  const w = state.w;
  const { field, sw } = options;
  if (options.comment !== false) for (const l of comment(`${field.name ?? 'The union'}: ${sw.member} selects the arm (${sw.how}).`)) w.line(l);
  w.line(`switch (${options.discriminator}) {`);
  for (const a of options.arms ?? sw.arms) {
    for (const v of a.values) w.line(`case ${v}:`);
    w.indent(() => {
      arm(a.field);
      w.line('break;');
    });
  }
  w.line('default:');
  w.indent(otherwise);
  w.line('}');
}

/** Converts one member from the 64-bit record to the 32-bit one (`nativePrefix`/`shadowPrefix` end in `->` or `.`). */
export type OutwardField = (state: RoutineState, field: FieldPlan, nativePrefix: string, shadowPrefix: string, depth: number) => void;

/**
 * A union converted by the member that selects its arm, toward the caller
 * (marshal's store and the write-back): the native member selects, each arm
 * is converted by `convertField`, and a value no arm is known for is refused.
 */
export function outwardSwitch(state: RoutineState, field: FieldPlan, sw: SwitchPlan, nativePrefix: string, shadowPrefix: string, depth: number, convertField: OutwardField) {
  const into = (p: string) => (field.name ? `${p}.` : p);
  switchStatement(
    state,
    { field, sw, discriminator: nativePrefix + sw.member },
    (arm) => convertField(state, arm, into(memberPath(nativePrefix, field)), into(memberPath(shadowPrefix, field)), depth),
    () => state.w.line(`return STATUS_INVALID_PARAMETER; /* no arm is known for this ${sw.member} */`),
  );
}

/**
 * A record `#pragma pack` put off its alignment, toward the caller (store,
 * write-back): copied from `src` into an aligned native copy, converted by
 * `convert` into an aligned shadow copy, copied out to `dst` as bytes.
 */
export function outwardStaged(
  state: RoutineState,
  field: FieldPlan,
  src: string,
  dst: string,
  convert: (staged: { shadow: string; native: string; record: RecordPlan }) => void,
) {
  const w = state.w;
  const staged = stagedLocals(state, field);
  if (!staged) return;
  for (const l of comment(field.staged!)) w.line(l);
  w.line(`RtlCopyMemory(&${staged.native}, &${src}, sizeof(${staged.native}));`);
  convert(staged);
  w.line(`RtlCopyMemory(&${dst}, &${staged.shadow}, sizeof(${staged.shadow}));`);
}

/**
 * A member at the start of a record defined in place, as a path from it
 * (`Value`, `Inner.First`): the address of an anonymous union. Undefined when
 * the record starts with a bit-field (no address).
 */
function leadingMember(fields: FieldPlan[], kind: 'struct' | 'union'): string | undefined {
  for (const f of kind === 'union' ? fields : fields.slice(0, 1)) {
    if (f.name && f.bitWidth === undefined) return f.name;
    if (!f.name && f.conversion.kind === 'inline') {
      const inner = leadingMember(f.conversion.fields, f.conversion.recordKind);
      if (inner) return inner;
    }
  }
  return undefined;
}

/**
 * A union defined in place that is the same for both callers, copied as
 * bytes: C cannot assign it (the shadow's union is another type), and
 * converting it alternative by alternative would write each over the last.
 * `into` is the prefix its members are reached through (`Native->`,
 * `Native->u.`). Undefined when it has no addressable member.
 */
export function unionBytes(field: FieldPlan, c: Conversion & { kind: 'inline' }, into: (p: string) => string, dst: string, src: string): string | undefined {
  if (c.recordKind !== 'union' || c.differs) return undefined;
  if (field.name) return `RtlCopyMemory(&${dst}, &${src}, sizeof(${dst}));`;
  const lead = leadingMember(c.fields, 'union');
  if (!lead) return undefined;
  return `RtlCopyMemory(&${into(dst)}${lead}, &${into(src)}${lead}, ${field.peer.size}); /* the anonymous union, as bytes */`;
}

/**
 * How one direction (capture, write-back, the receive path's `Store`)
 * converts the kinds of member it spells its own way; `convertMember` spells
 * the others the same for all. `from` is the expression read, `to` the one
 * written.
 */
export interface MemberConversions {
  pointer(field: FieldPlan, c: Conversion & { kind: 'pointer' }, from: string, to: string): void;
  handle(field: FieldPlan, from: string, to: string): void;
  integer(c: Conversion & { kind: 'integer' }, from: string, to: string): void;
  record(c: Conversion & { kind: 'record' }, from: string, to: string): void;
  pointee(field: FieldPlan, c: Conversion & { kind: 'deep' | 'buffer' }, from: string, to: string, depth: number): void;
  /** A member of a record defined in place, reached through these prefixes (the parent's, for an anonymous record). */
  member(field: FieldPlan, fromPrefix: string, toPrefix: string, depth: number): void;
}

/**
 * One member's conversion, in any direction: copies assigned (arrays
 * byte-copied), records defined in place member by member (a union the same
 * for both callers as bytes), fixed arrays by an index loop per dimension;
 * the rest as `conversions` spells it.
 */
export function convertMember(state: RoutineState, conversions: MemberConversions, field: FieldPlan, c: Conversion, from: string, to: string, depth: number) {
  const w = state.w;
  switch (c.kind) {
    case 'copy':
      w.line(copyStatement(c, to, from));
      return;
    case 'pointer':
      conversions.pointer(field, c, from, to);
      return;
    case 'handle':
      conversions.handle(field, from, to);
      return;
    case 'integer':
      conversions.integer(c, from, to);
      return;
    case 'record':
      conversions.record(c, from, to);
      return;
    case 'inline': {
      // An anonymous member's members are reached directly from the parent.
      const into = (p: string) => (field.name || !p.endsWith('->') ? `${p}.` : p);
      const bytes = unionBytes(field, c, into, to, from);
      if (bytes) w.line(bytes);
      else for (const f of c.fields) conversions.member(f, into(from), into(to), depth);
      return;
    }
    case 'array': {
      if (c.length === undefined) return;
      const index = local(state, indexName(depth), 'ULONG');
      w.block(`for (${index} = 0; ${index} < ${c.length}; ${index}++)`, () =>
        convertMember(state, conversions, field, c.element, `${from}[${index}]`, `${to}[${index}]`, depth + 1),
      );
      return;
    }
    case 'deep':
    case 'buffer':
      conversions.pointee(field, c, from, to, depth);
      return;
  }
}

/** A member left to the developer: `TODO(ioctl-lens): path: why` (the path from the record, `Native->` dropped). */
export function todoComment(state: RoutineState, nativePath: string, todo: string) {
  const label = nativePath.replace(/^Native->/, '').replace(/\.$/, '');
  for (const l of comment(`TODO(ioctl-lens): ${label ? label + ': ' : ''}${todo}`)) state.w.line(l);
}

/** `dst = src;`, or a byte copy for an array (C cannot assign arrays). */
export function copyStatement(c: Conversion & { kind: 'copy' }, dst: string, src: string): string {
  return c.array ? `RtlCopyMemory(${dst}, ${src}, sizeof(${dst}));` : `${dst} = ${src};`;
}

/**
 * Marks the parameters the body never uses (a record whose members are all
 * left as TODOs, a Store with nothing to append): WDK builds treat the
 * unreferenced-parameter warning (C4100, /W4) as an error.
 */
export function markUnreferenced(state: RoutineState, names: string[]) {
  const body = state.w.toString().replace(/\/\*[\s\S]*?\*\//g, '');
  const unused = names.filter((n) => !new RegExp(`\\b${n}\\b`).test(body));
  if (unused.length) state.prologue = unused.map((n) => `UNREFERENCED_PARAMETER(${n});`).concat([''], state.prologue);
}

/** Assembles a routine: header lines, locals, a blank line, the prologue, the body. */
export function assemble(header: CText, state: RoutineState, tail: (w: CText) => void): string {
  const w = header;
  w.line('{');
  w.indent(() => {
    if (state.usesStatus) w.line('NTSTATUS Status = STATUS_SUCCESS;');
    for (const [name, type] of state.locals) {
      const [base, dims] = type.split(' [');
      w.line(base.endsWith('*') ? `${base}${name};` : `${base} ${name}${dims ? '[' + dims : ''};`);
    }
    if (state.usesStatus || state.locals.size) w.line();
    for (const l of state.prologue) w.line(l);
    w.raw(state.w.toString().replace(/\n$/, ''));
    tail(w);
  });
  w.line('}');
  return w.toString();
}

/** `PFOO Native` or `FOO *Native`, from a pointer type spelled either way. */
export function pointerParam(pointer: string, name: string): string {
  return pointer.endsWith('*') ? `${pointer}${name}` : `${pointer} ${name}`;
}
