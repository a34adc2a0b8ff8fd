/**
 * misaligned-field: three ways out, all of which change the interface or
 * its accesses, so none is preferred.
 *
 *     #include <pshpack1.h>
 *     typedef struct _STATS { UCHAR Channel; ULONG Count; } STATS;   // Count at 1
 *     #include <poppack.h>
 *
 * - Declare it UNALIGNED (`ULONG UNALIGNED Count;`): the compiler emits
 *   unaligned accesses; pointers taken to the member must say UNALIGNED too.
 * - Insert explicit padding (`UCHAR Padding0[3];` before `Count`): the member
 *   moves to an aligned offset (the interface changes).
 * - Reorder members by alignment, largest first, so no member needs padding
 *   (a refactor; the interface changes).
 *
 * Idempotent: after any of them the member is aligned (or declared
 * unaligned) on the driver's ABI, so the finding and the fixes are gone.
 */

import type { RecordDecl } from '../ast';
import type { LayoutContext } from '../layout';
import { recordNamed } from '../wow64';
import { EditSet } from './edits';
import { factsOf } from './place';
import { indentationAt, lineStart, scanTo } from './text';
import type { CodeFix, FindingRef, FixContext } from './types';

const changes = 'Changes the interface: both sides of the boundary must be rebuilt with the new layout.';

export function misalignedFixes(ctx: FixContext, finding: FindingRef): CodeFix[] {
  const pair = factsOf(ctx.analysis).facts?.pair;
  const record = pair && recordNamed(pair.wide, finding.symbol);
  if (!pair || !record?.fields) return [];
  const file = record.loc.file;
  const text = ctx.text(file);
  if (text === undefined) return [];
  const field = record.fields.find((f) => f.nameLoc.offset === finding.loc.offset && f.nameLoc.file === finding.loc.file);
  const out: CodeFix[] = [];
  if (field && field.bitWidth === undefined && field.name) {
    const edits = new EditSet(ctx);
    edits.replace(file, field.nameLoc.offset, field.nameLoc.offset, 'UNALIGNED ');
    out.push({
      title: `Declare '${field.name}' UNALIGNED`,
      kind: 'quickfix',
      edits: edits.edits(),
      warning: `Code that takes the address of ${field.name} must use an UNALIGNED pointer type.`,
    });
  }
  const padding = paddingFix(ctx, record, pair.wide.layout, text);
  if (padding) out.push(padding);
  const reorder = reorderFix(ctx, record, pair.wide.layout, text);
  if (reorder) out.push(reorder);
  return out;
}

function paddingFix(ctx: FixContext, record: RecordDecl, layout: LayoutContext, text: string): CodeFix | undefined {
  const l = layout.layoutOf(record);
  const file = record.loc.file;
  const edits = new EditSet(ctx);
  const names = new Set(l.fields.map((f) => f.name));
  let shift = 0;
  let previousUnit = -1;
  let index = 0;
  let any = false;
  for (const f of l.fields) {
    if (f.bitWidth !== undefined) {
      if (f.offset === previousUnit) continue;
      previousUnit = f.offset;
    }
    const natural = f.fields ? f.align : layout.typeInfo(f.decl.type).align;
    const at = f.offset + shift;
    if (natural <= 1 || at % natural === 0) continue;
    const pad = natural - (at % natural);
    shift += pad;
    while (names.has(`Padding${index}`)) index++;
    const name = `Padding${index++}`;
    names.add(name);
    const s = lineStart(text, f.decl.loc.offset);
    if (text.slice(s, f.decl.loc.offset).trim() !== '') return undefined;
    const eol = edits.style(file).eol;
    edits.replace(file, s, s, `${indentationAt(text, f.decl.loc.offset)}UCHAR ${name}[${pad}]; /* explicit padding (ioctl-lens) */${eol}`);
    any = true;
  }
  if (!any) return undefined;
  return { title: `Insert explicit padding in '${l.record.typedefs[0] ?? l.record.tag}' to align its members`, kind: 'quickfix', edits: edits.edits(), warning: changes };
}

function reorderFix(ctx: FixContext, record: RecordDecl, layout: LayoutContext, text: string): CodeFix | undefined {
  const l = layout.layoutOf(record);
  const fields = record.fields!;
  if (!record.endLoc || fields.length < 2) return undefined;
  const open = text.indexOf('{', record.loc.offset);
  const close = text.lastIndexOf('}', record.endLoc.offset);
  if (open < 0 || close <= open) return undefined;
  // Member declarations: each from the end of the previous one's line to the end of its own line.
  const segments: { start: number; end: number; align: number; unit: number }[] = [];
  const bodyStart = text.indexOf('\n', open) + 1;
  if (bodyStart <= 0 || bodyStart > close) return undefined;
  let pos = bodyStart;
  while (pos < close) {
    const semi = scanTo(text, pos, ';');
    if (semi < 0 || semi > close) break;
    const nl = text.indexOf('\n', semi);
    const end = nl < 0 || nl > close ? semi : nl + 1;
    const inside = fields.filter((f) => f.loc.offset >= pos && f.loc.offset < semi);
    if (inside.length !== 1) return undefined;
    const fl = l.fields.find((x) => x.decl === inside[0]);
    if (!fl) return undefined;
    const align = fl.fields ? fl.align : layout.typeInfo(fl.decl.type).align;
    segments.push({ start: pos, end, align, unit: fl.bitWidth !== undefined ? fl.offset : -1 - segments.length });
    pos = end;
  }
  if (segments.length !== fields.length || text.slice(pos, close).trim() !== '') return undefined;
  // Bit-fields of one storage unit move together.
  const groups: { text: string; align: number; unit: number }[] = [];
  for (const s of segments) {
    const last = groups[groups.length - 1];
    const piece = text.slice(s.start, s.end);
    if (last && s.unit >= 0 && last.unit === s.unit) last.text += piece;
    else groups.push({ text: piece, align: s.align, unit: s.unit });
  }
  const sorted = [...groups].sort((a, b) => b.align - a.align);
  if (sorted.every((g, i) => g === groups[i])) return undefined;
  let body = sorted.map((g) => g.text).join('');
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (!body.endsWith('\n')) body += eol;
  const edits = new EditSet(ctx);
  edits.replace(record.loc.file, bodyStart, pos, body);
  return { title: `Reorder the members of '${record.typedefs[0] ?? record.tag}' by alignment to remove holes`, kind: 'refactor.rewrite', edits: edits.edits(), warning: changes };
}
