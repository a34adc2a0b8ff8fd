/**
 * Markdown rendering of the structured records the language service
 * computes (hovers, the layout table). Kept apart from the computation so
 * tests assert on records and only this file decides how they look.
 */

import type { ControlCodeFacts, MemberFacts, RecordFacts } from './facts';
import { type HoverInfo, controlCodeSummary } from './languageService';

const code = (s: string) => '`' + s.replace(/`/g, "'") + '`';
const mark = (differs: boolean, s: string) => (differs ? `**${s}** ≠` : s);

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function recordTitle(f: RecordFacts): string {
  const names = f.typedefs.filter((t) => t !== f.name);
  return `**${f.kind} ${f.name}**${names.length ? ` (${names.map(code).join(', ')})` : ''}`;
}

function recordSummary(f: RecordFacts): string[] {
  const abis = f.perAbi.map((p) => p.abi);
  const distinct = (sel: (p: RecordFacts['perAbi'][number]) => number) => new Set(f.perAbi.map(sel)).size > 1;
  const rows = [
    ['size', ...f.perAbi.map((p) => mark(distinct((q) => q.size), `${p.size} B`))],
    ['align', ...f.perAbi.map((p) => mark(distinct((q) => q.align), String(p.align)))],
    ['padding', ...f.perAbi.map((p) => mark(distinct((q) => q.padding), `${p.padding} B`))],
  ];
  const out = [table(['', ...abis], rows)];
  if (f.differs) out.push(`**Layouts differ:** ${f.reasons.join('; ')}.`);
  else out.push('Same layout on all ABIs shown.');
  if (f.perAbi.some((p) => !p.complete)) out.push('_Some members could not be laid out exactly; numbers after them are a guess._');
  if (f.ioctls.length) out.push(`IOCTLs: ${f.ioctls.map((i) => `${code(i.name)} (${i.direction})`).join(', ')}`);
  if (f.shadow) out.push(`32-bit shadow: ${code(f.shadow)}`);
  else if (f.shadowOf) out.push(`32-bit shadow of ${code(f.shadowOf)}`);
  else if (f.differs && f.ioctls.length) out.push('No 32-bit shadow found.');
  return out;
}

function memberCells(m: MemberFacts, abis: string[]): string[] {
  return abis.map((abi) => {
    const p = m.perAbi.find((q) => q.abi === abi);
    if (!p) return '—';
    const bits = p.bitWidth !== undefined ? ` bit ${p.bitOffset ?? 0}:${p.bitWidth}` : '';
    return `${p.offset}${bits} / ${p.size}${p.paddingAfter ? ` +${p.paddingAfter} pad` : ''}`;
  });
}

export function renderLayoutTable(f: RecordFacts): string {
  const abis = f.perAbi.map((p) => p.abi);
  const rows = f.members.map((m) => {
    const name = `${'&nbsp;&nbsp;'.repeat(m.depth)}${m.name ?? '(anonymous)'}`;
    return [m.differs ? `**${name}** ≠` : name, code(m.typeText), ...memberCells(m, abis)];
  });
  const sizes = ['**size**', '', ...f.perAbi.map((p) => `${p.size} (align ${p.align})`)];
  return [
    `## ${f.kind} ${f.name}`,
    '',
    ...recordSummary(f).flatMap((s) => [s, '']),
    'Offset / size in bytes, padding after each member.',
    '',
    table(['member', 'type', ...abis], [...rows, sizes]),
    '',
  ].join('\n');
}

function renderMember(record: RecordFacts, m: MemberFacts): string {
  const abis = m.perAbi.map((p) => p.abi);
  const d = (sel: (p: MemberFacts['perAbi'][number]) => unknown) => new Set(m.perAbi.map(sel)).size > 1;
  const rows = [
    ['offset', ...m.perAbi.map((p) => mark(d((q) => q.offset), String(p.offset)))],
    ['size', ...m.perAbi.map((p) => mark(d((q) => q.size), `${p.size} B`))],
    ['align', ...m.perAbi.map((p) => mark(d((q) => q.align), String(p.align)))],
  ];
  if (m.perAbi.some((p) => p.bitWidth !== undefined)) {
    rows.push(['bits', ...m.perAbi.map((p) => mark(d((q) => `${q.bitOffset}:${q.bitWidth}`), p.bitWidth === undefined ? '—' : `${p.bitOffset ?? 0}, width ${p.bitWidth}`))]);
  }
  rows.push(['padding after', ...m.perAbi.map((p) => mark(d((q) => q.paddingAfter), `${p.paddingAfter} B`))]);
  const head = `**${m.path}** ${code(m.typeText)} — member of ${code(record.name)}`;
  const note = m.differs ? '\n\nDiffers between ABIs.' : '';
  return `${head}\n\n${table(['', ...abis], rows)}${note}`;
}

export function renderControlCode(c: ControlCodeFacts, name?: string, extra: string[] = []): string {
  const device = c.deviceTypeName ? `${code(c.deviceTypeName)} (0x${c.deviceType.toString(16).toUpperCase()})` : `0x${c.deviceType.toString(16).toUpperCase()}`;
  const rows = [
    ['value', `${code(c.hex)} (${c.value})`],
    ['device type', device + (c.microsoftDeviceType ? '' : ' (vendor range)')],
    ['function', `0x${c.function.toString(16).toUpperCase()}${c.reservedFunction ? ' (reserved for Microsoft: below 0x800)' : ''}`],
    ['method', code(c.methodName)],
    ['access', code(c.accessName)],
    ['input buffer', c.inputBuffer],
    ['output buffer', c.outputBuffer],
  ];
  const title = name ? `**${name}** — control code` : '**Control code**';
  return [title, '', table(['', ''], rows), ...extra.map((e) => `\n${e}`)].join('\n');
}

export function renderHover(h: HoverInfo): string {
  switch (h.kind) {
    case 'record': {
      const via = h.pointerName ? `${code(h.pointerName)} is a pointer to:\n\n` : '';
      return `${via}${recordTitle(h.facts)}\n\n${recordSummary(h.facts).join('\n\n')}`;
    }
    case 'member':
      return renderMember(h.record, h.member);
    case 'ioctl': {
      const extra: string[] = [];
      const t = h.ioctl?.types;
      if (t) {
        const parts = (['in', 'out', 'inout'] as const).filter((k) => t[k].length).map((k) => `${k}: ${t[k].map(code).join(', ')}`);
        if (parts.length) extra.push(`Buffers: ${parts.join('; ')}`);
      }
      if (h.ioctl?.doc) extra.push(h.ioctl.doc.replace(/@(in|out|inout)\s+\w+/g, '').trim());
      const others = h.alsoNamed.filter((n) => n !== h.name);
      if (others.length) extra.push(`Same value as ${others.map(code).join(', ')}`);
      return renderControlCode(h.code, h.name, extra.filter(Boolean));
    }
    case 'macro':
      return `**#define ${h.name}**\n\n${code(h.expansion)}${h.value !== undefined ? ` = ${h.value} (${h.hex})` : ''}`;
  }
}

export { controlCodeSummary };
