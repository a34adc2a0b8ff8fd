/**
 * Shared pieces of the routine generators: the per-routine state (locals,
 * whether the cleanup label is used) and the order-independent helpers.
 */

import { CText } from './cwriter';
import type { Conversion, FieldPlan } from './plan';

export interface RoutineState {
  w: CText;
  /** Local declarations, in first-use order: name -> type. */
  locals: Map<string, string>;
  /** Count member path -> the local it was read into (read once). */
  counts: Map<string, string>;
  usesCleanup: boolean;
  usesStatus: boolean;
}

export function newState(): RoutineState {
  return { w: new CText(), locals: new Map(), counts: new Map(), usesCleanup: false, usesStatus: false };
}

export function local(state: RoutineState, name: string, type: string): string {
  if (!state.locals.has(name)) state.locals.set(name, type);
  return name;
}

/** `Index`, `Index1`, `Index2` ... for nested loops. */
export function indexName(depth: number): string {
  return depth === 0 ? 'Index' : `Index${depth}`;
}

/** A C identifier made from a member path (`Inner.Items` -> `InnerItems`). */
export function pathIdent(path: string): string {
  return path.replace(/\[[^\]]*\]/g, '').replace(/[^A-Za-z0-9_]/g, '');
}

/** Joins a member path: anonymous members add nothing. */
export function memberPath(prefix: string, field: FieldPlan): string {
  return field.name ? prefix + field.name : prefix.replace(/\.$/, '');
}

/** Every deep member reachable by value (not through arrays), with its path: the counts to read first, the pointers to keep. */
export function deepMembers(fields: FieldPlan[], prefix: string): { path: string; field: FieldPlan; conversion: Conversion & { kind: 'deep' } }[] {
  const out: { path: string; field: FieldPlan; conversion: Conversion & { kind: 'deep' } }[] = [];
  for (const f of fields) {
    if (f.todo) continue;
    const c = f.conversion;
    if (c.kind === 'deep') out.push({ path: prefix + f.name, field: f, conversion: c });
    else if (c.kind === 'inline') out.push(...deepMembers(c.fields, f.name ? `${prefix}${f.name}.` : prefix));
  }
  return out;
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

/** `dst = src;`, or a byte copy for an array (C cannot assign arrays). */
export function copyStatement(c: Conversion & { kind: 'copy' }, dst: string, src: string): string {
  return c.array ? `RtlCopyMemory(${dst}, ${src}, sizeof(${dst}));` : `${dst} = ${src};`;
}

/** Assembles a routine: header lines, locals, a blank line, the body. */
export function assemble(header: CText, state: RoutineState, tail: (w: CText) => void): string {
  const w = header;
  w.line('{');
  w.indent(() => {
    if (state.usesStatus) w.line('NTSTATUS Status = STATUS_SUCCESS;');
    for (const [name, type] of state.locals) w.line(type.endsWith('*') ? `${type}${name};` : `${type} ${name};`);
    if (state.usesStatus || state.locals.size) w.line();
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
