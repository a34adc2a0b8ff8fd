/**
 * Layout guards for a shadow: `C_ASSERT`s of its size, alignment and every
 * member's offset with the 32-bit peer's numbers, compiled only for the
 * 64-bit driver (`#if defined(_WIN64)`). A stale shadow, or a `POINTER_32`
 * that is not 32 bits wide (mingw-w64 defines it empty), fails the build.
 */

import { CText } from './cwriter';
import type { FieldPlan, RecordPlan } from './plan';

export interface Guard {
  /** `sizeof`, `alignment`, or the member path (`DeviceName`, `u.Pointer`). */
  what: string;
  expression: string;
  value: number;
}

/**
 * `base`: where the record the fields belong to starts in the shadow. Field
 * offsets are relative to the innermost *named* record (anonymous members'
 * offsets already count from their parent), while FIELD_OFFSET counts from
 * the shadow's start.
 */
function memberGuards(shadow: string, fields: FieldPlan[], prefix: string, base: number, out: Guard[]) {
  for (const f of fields) {
    const c = f.conversion;
    if (!f.name) {
      // Anonymous struct/union: its members are reachable by name from the parent.
      if (c.kind === 'inline') memberGuards(shadow, c.fields, prefix, base, out);
      continue;
    }
    if (f.bitWidth !== undefined) continue; // FIELD_OFFSET cannot take a bit-field
    const path = prefix + f.name;
    out.push({ what: path, expression: `FIELD_OFFSET(${shadow}, ${path})`, value: base + f.peer.offset });
    if (c.kind === 'inline') memberGuards(shadow, c.fields, path + '.', base + f.peer.offset, out);
  }
}

/** The guards as data (for tests and quick fixes) ... */
export function shadowGuards(plan: RecordPlan): Guard[] {
  const out: Guard[] = [
    { what: 'sizeof', expression: `sizeof(${plan.shadow.name})`, value: plan.peerLayout.size },
    { what: 'alignment', expression: `TYPE_ALIGNMENT(${plan.shadow.name})`, value: plan.peerLayout.align },
  ];
  memberGuards(plan.shadow.name, plan.fields, '', 0, out);
  return out;
}

/** ... and as C. Offsets of members inside inline records are relative to the outermost record, as FIELD_OFFSET's are. */
export function renderGuards(plan: RecordPlan, options: { peerAbiName: string }): string {
  const w = new CText();
  w.directive('#if defined(_WIN64)');
  w.line(`/* ${plan.shadow.name} must have ${plan.nativeName}'s ${options.peerAbiName} layout. */`);
  for (const g of shadowGuards(plan)) w.line(`C_ASSERT(${g.expression} == ${g.value});`);
  w.directive('#endif');
  return w.toString();
}

/** Emitted once with `--style pointer32`: catches a `POINTER_32` defined empty (mingw-w64), which would make every shadow wrong. */
export function renderPointer32Guard(): string {
  const w = new CText();
  w.directive('#if defined(_WIN64)');
  w.line('/* VOID * POINTER_32 must be 4 bytes: mingw-w64 defines POINTER_32 empty (use --style ulong there). */');
  w.line('C_ASSERT(sizeof(VOID * POINTER_32) == 4);');
  w.directive('#endif');
  return w.toString();
}

