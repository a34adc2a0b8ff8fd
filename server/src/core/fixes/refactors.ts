/**
 * Refactors on any record, offered where the cursor is: **Insert layout
 * guards** and **Show layout**. Each splits a cheap `prepare` (is it
 * available here, and for which record?) from `apply` (compute the edit).
 *
 * Insert layout guards, for `typedef struct _REQ { ULONG Id; PVOID Buffer; } REQ;`:
 *
 *     #if defined(_WIN64)
 *     C_ASSERT(sizeof(REQ) == 16);
 *     C_ASSERT(FIELD_OFFSET(REQ, Id) == 0);
 *     C_ASSERT(FIELD_OFFSET(REQ, Buffer) == 8);
 *     #else
 *     C_ASSERT(sizeof(REQ) == 8);
 *     C_ASSERT(FIELD_OFFSET(REQ, Id) == 0);
 *     C_ASSERT(FIELD_OFFSET(REQ, Buffer) == 4);
 *     #endif
 *
 * Idempotent: a record whose `C_ASSERT(sizeof(...) == ...)` is already in
 * the file is not offered the refactor again.
 */

import type { RecordDecl } from '../ast';
import { displayName } from '../names';
import type { LayoutContext } from '../layout';
import { wow64Pairs } from '../checks/index';
import { flatMembers } from '../types';
import { counterpart, pairFromUnits } from '../wow64';
import { EditSet } from './edits';
import { afterDeclaration, mainUnit } from './place';
import type { CodeFix, FixContext } from './types';
import { append } from '../arrays';

export interface RecordTarget {
  record: RecordDecl;
  /** How C names it: the typedef name, or `struct _TAG`. */
  name: string;
}

/** prepare: the innermost named record defined in the document around `offset`. */
export function recordAtOffset(ctx: FixContext, offset: number): RecordTarget | undefined {
  const unit = mainUnit(ctx.analysis);
  if (!unit) return undefined;
  let best: RecordDecl | undefined;
  for (const r of unit.unit.records) {
    if (!r.fields || r.loc.file !== ctx.path || !r.endLoc) continue;
    if (r.loc.offset > offset || offset > r.endLoc.offset + 1) continue;
    if (!best || r.loc.offset >= best.loc.offset) best = r;
  }
  if (!best) return undefined;
  const typedef = best.typedefs.find((t) => !t.startsWith('*'));
  // A C++ record nested in a class is named through it outside the class (`Outer::Inner`); a C one is not (C has one tag scope).
  const qualified = best.nested && best.cxx?.qualifiedName;
  const name = qualified || typedef || (best.tag ? `${best.kind} ${best.tag}` : undefined);
  return name ? { record: best, name } : undefined;
}

/** The end of the outermost record definition in the document that encloses `record` (itself when it is not nested). */
function outermostEnd(ctx: FixContext, record: RecordDecl): number {
  let end = record.endLoc!.offset;
  if (!record.nested) return end;
  for (const r of mainUnit(ctx.analysis)!.unit.records) {
    if (!r.endLoc || r.loc.file !== record.loc.file) continue;
    if (r.loc.offset < record.loc.offset && r.endLoc.offset > end) end = r.endLoc.offset;
  }
  return end;
}

function guardLines(layout: LayoutContext, record: RecordDecl, name: string): string[] {
  const l = layout.layoutOf(record);
  const lines = [`C_ASSERT(sizeof(${name}) == ${l.size});`];
  for (const m of flatMembers(l.fields)) {
    if (m.field.bitWidth !== undefined) continue;
    lines.push(`C_ASSERT(FIELD_OFFSET(${name}, ${m.name}) == ${m.offset});`);
  }
  return lines;
}

export function hasLayoutGuards(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');
  return new RegExp(`C_ASSERT\\s*\\(\\s*sizeof\\s*\\(\\s*${escaped}\\s*\\)\\s*==`).test(text);
}

/** prepare + apply: the guards refactor for the record at `offset`, if it is available there. */
export function insertLayoutGuards(ctx: FixContext, offset: number): CodeFix | undefined {
  const target = recordAtOffset(ctx, offset);
  const text = ctx.text(ctx.path);
  if (!target || text === undefined || hasLayoutGuards(text, target.name)) return undefined;
  // Only the two layouts are needed: the pair's sides, not the checks' facts (this runs as the cursor moves).
  const names = wow64Pairs.find(([w, n]) => ctx.analysis.units.has(w) && ctx.analysis.units.has(n));
  const pair = names && pairFromUnits(ctx.analysis.units.get(names[0])!, ctx.analysis.units.get(names[1])!);
  const unit = mainUnit(ctx.analysis)!;
  const narrowRecord = pair && counterpart(target.record, pair.narrow);
  // Guards assert numbers: none are written for a layout that is unusable on an ABI.
  const sides: [LayoutContext, RecordDecl | undefined][] = pair ? [[pair.wide.layout, target.record], [pair.narrow.layout, narrowRecord]] : [[unit.layout, target.record]];
  if (sides.some(([layout, record]) => record && !layout.layoutOf(record).complete)) return undefined;
  const lines: string[] = [];
  if (pair) {
    lines.push(`/* ${target.name}: layout on ${pair.wideAbi} and ${pair.narrowAbi} (ioctl-lens). */`, '#if defined(_WIN64)');
    append(lines, guardLines(pair.wide.layout, target.record, target.name));
    if (narrowRecord) append(lines, ['#else', ...guardLines(pair.narrow.layout, narrowRecord, target.name)]);
    lines.push('#endif');
  } else {
    append(lines, [`/* ${target.name}: layout on ${unit.abi.name} (ioctl-lens). */`, ...guardLines(unit.layout, target.record, target.name)]);
  }
  const edits = new EditSet(ctx);
  // After the whole declaration: for a record defined inside another, after the outermost one (not among its members).
  edits.insertBlocksAfterLine(ctx.path, afterDeclaration(text, outermostEnd(ctx, target.record)), [lines.join('\n')]);
  return { title: `Insert layout guards for '${target.name}'`, kind: 'refactor.extract', edits: edits.edits() };
}

export function showLayout(ctx: FixContext, offset: number): CodeFix | undefined {
  const target = recordAtOffset(ctx, offset);
  if (!target) return undefined;
  const name = displayName(target.record) ?? target.name;
  return { title: `Show layout of '${name}'`, kind: 'refactor.rewrite', edits: [], command: { name: 'show-layout', type: name, offset } };
}
