/**
 * probe-alignment: the probe gets a 32-bit branch that checks the buffer
 * with the alignment (and, when a shadow exists, the size) a 32-bit caller
 * gives it; the original probe stays as the native branch.
 *
 *     // before
 *     ProbeForWrite(ring, sizeof(MAP_RING), TYPE_ALIGNMENT(MAP_RING));
 *     // after
 *     #if defined(_WIN64)
 *     if (IoIs32bitProcess(Irp)) {
 *         ProbeForWrite(ring, sizeof(MAP_RING32), TYPE_ALIGNMENT(MAP_RING32));
 *     } else
 *     #endif
 *     {
 *         ProbeForWrite(ring, sizeof(MAP_RING), TYPE_ALIGNMENT(MAP_RING));
 *     }
 *
 * Without a shadow the 32-bit alignment is written as a scalar type of that
 * alignment (`TYPE_ALIGNMENT(ULONG)`). Idempotent: the probe is then in a
 * native branch, so the finding is gone.
 */

import { displayName } from '../names';
import { typeInfoByName } from '../wow64';
import { EditSet } from './edits';
import { caseAt, routineNames } from './handle32';
import { factsOf } from './place';
import { indentationAt, lineEnd, lineStart, matchingBracket, scanTo } from './text';
import type { CodeFix, FindingRef, FixContext } from './types';

const scalarOfAlign: Record<number, string> = { 1: 'UCHAR', 2: 'USHORT', 4: 'ULONG', 8: 'ULONG64' };

/** Top-level comma-separated arguments between `open` (a `(`) and its match: [start, end) offsets. */
function argumentSpans(text: string, open: number): [number, number][] {
  const close = matchingBracket(text, open);
  if (close < 0) return [];
  const out: [number, number][] = [];
  let start = open + 1;
  for (;;) {
    const next = scanTo(text, start, ',)');
    if (next < 0 || next - 1 > close) break;
    out.push([start, next - 1]);
    if (next - 1 === close) break;
    start = next;
  }
  return out;
}

export function probeAlignmentFix(ctx: FixContext, finding: FindingRef): CodeFix[] {
  const file = finding.loc.file;
  const text = ctx.text(file);
  const at = caseAt(ctx, file, finding.loc.offset);
  if (text === undefined || !at) return [];
  const window = text.slice(Math.max(0, finding.loc.offset - 400), finding.loc.offset + 20);
  const m = [...window.matchAll(/\b(ProbeFor(?:Read|Write))\s*\(/g)].filter((x) => x.index! <= finding.loc.offset - Math.max(0, finding.loc.offset - 400)).pop();
  if (!m) return [];
  const callStart = Math.max(0, finding.loc.offset - 400) + m.index!;
  const open = text.indexOf('(', callStart);
  const args = argumentSpans(text, open);
  const stmtEnd = scanTo(text, open, ';');
  if (args.length !== 3 || stmtEnd < 0) return [];
  // Only a probe that is a statement of its own line is wrapped.
  const start = lineStart(text, callStart);
  if (text.slice(start, callStart).trim() !== '' || text.slice(stmtEnd, lineEnd(text, stmtEnd)).trim() !== '') return [];
  const facts = factsOf(ctx.analysis);
  const pair = facts.facts?.pair;
  if (!pair) return [];
  const alignArg = text.slice(args[2][0], args[2][1]).trim();
  const typeName = /\(\s*([\w ]+?)\s*\)\s*$/.exec(alignArg)?.[1] ?? finding.symbol;
  const shadow = facts.facts?.shadows.find((s) => displayName(s.native) === finding.symbol || displayName(s.native) === typeName);
  const shadowName = shadow ? displayName(shadow.shadow) : undefined;
  let align32: string;
  if (shadowName) align32 = `TYPE_ALIGNMENT(${shadowName})`;
  else {
    const narrow = typeInfoByName(pair.narrow, typeName);
    const scalar = narrow && scalarOfAlign[narrow.align];
    if (!scalar) return [];
    align32 = `TYPE_ALIGNMENT(${scalar}) /* ${typeName}'s ${pair.narrowAbi} alignment */`;
  }
  let size32 = text.slice(args[1][0], args[1][1]).trim();
  if (shadowName) size32 = size32.replace(new RegExp(`sizeof\\s*\\(\\s*${typeName}\\s*\\)`), `sizeof(${shadowName})`);
  const call32 = `${m[1]}(${text.slice(args[0][0], args[0][1]).trim()}, ${size32}, ${align32});`;
  const original = text.slice(callStart, stmtEnd);
  const edits = new EditSet(ctx);
  const style = edits.style(file);
  const ind = indentationAt(text, callStart);
  const u = style.indent;
  const n = routineNames(text, at.routine.loc.offset, at.routine.framework);
  const test = n.kmdf ? `WdfRequestIsFrom32BitProcess(${n.request})` : `IoIs32bitProcess(${n.irp})`;
  const open32 = style.allman ? [`${ind}if (${test})`, `${ind}{`] : [`${ind}if (${test}) {`];
  const elseLines = style.allman ? [`${ind}}`, `${ind}else`] : [`${ind}} else`];
  const lines = ['#if defined(_WIN64)', ...open32, `${ind}${u}${call32}`, ...elseLines, '#endif', `${ind}{`, `${ind}${u}${original}`, `${ind}}`];
  edits.replace(file, start, stmtEnd, lines.join(style.eol));
  return [{ title: `Probe with the 32-bit alignment in a ${n.kmdf ? 'WdfRequestIsFrom32BitProcess' : 'IoIs32bitProcess'} branch`, kind: 'quickfix', edits: edits.edits(), preferred: true }];
}
