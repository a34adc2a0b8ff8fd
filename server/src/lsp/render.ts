/**
 * Markdown rendering of the structured records the language service
 * computes (hovers, the layout table), and its plain-text form for clients
 * that cannot show Markdown (`toPlainText`). Kept apart from the computation
 * so tests assert on records and only this file decides how they look.
 *
 * Tables are padded so their columns line up in the raw text too (Neovim's
 * hover float shows Markdown tables as text). A row whose values differ
 * between ABIs is marked once, `≠` after its label, never in every cell.
 */

import type { MemberFacts, RecordFacts } from './facts';
import type { ControlCodeFacts } from '../core/interface';
import { type HoverInfo, controlCodeSummary } from './languageService';
import { maxOf } from '../core/arrays';

const code = (s: string) => '`' + s.replace(/`/g, "'") + '`';
/** A row label, marked when the row's values differ between ABIs (no emphasis: a client that conceals `**` would misalign the columns). */
const label = (name: string, differs: boolean) => (differs ? `${name} ≠` : name);

/**
 * A Markdown table whose columns are padded to line up as plain text: the
 * first `leftColumns` (labels, types) left-aligned, the rest (numbers per
 * ABI) right-aligned.
 */
function table(header: string[], rows: string[][], leftColumns = 1): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => maxOf(3, all.map((r) => (r[i] ?? '').length)));
  const left = (i: number) => i < leftColumns;
  const line = (cells: string[]) => `| ${cells.map((c, i) => (left(i) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (left(i) ? '-'.repeat(w) : '-'.repeat(w - 1) + ':')).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

function recordTitle(f: RecordFacts): string {
  const names = f.typedefs.filter((t) => t !== f.name);
  return `**${f.kind} ${f.name}**${names.length ? ` (${names.map(code).join(', ')})` : ''}`;
}

/** The line that replaces every number when the layout is unusable. */
function unusableLine(f: RecordFacts): string {
  return `**No usable layout** ${f.unusable}. Sizes and offsets are not shown until the error is fixed.`;
}

function recordSummary(f: RecordFacts, stale?: string): string[] {
  if (f.unusable) return [unusableLine(f), ...(f.ioctls.length ? [`IOCTLs: ${f.ioctls.map((i) => `${code(i.name)} (${i.direction})`).join(', ')}`] : [])];
  const abis = f.perAbi.map((p) => p.abi);
  const distinct = (sel: (p: RecordFacts['perAbi'][number]) => number) => new Set(f.perAbi.map(sel)).size > 1;
  const rows = [
    [label('size', distinct((q) => q.size)), ...f.perAbi.map((p) => `${p.size} B`)],
    [label('align', distinct((q) => q.align)), ...f.perAbi.map((p) => String(p.align))],
    [label('padding', distinct((q) => q.padding)), ...f.perAbi.map((p) => `${p.padding} B`)],
  ];
  const out = [table(['', ...abis], rows)];
  if (f.differs) out.push(`**Layouts differ:** ${f.reasons.join('; ')}.`);
  else out.push('Same layout on all ABIs shown.');
  if (f.ioctls.length) out.push(`IOCTLs: ${f.ioctls.map((i) => `${code(i.name)} (${i.direction})`).join(', ')}`);
  if (f.shadow) out.push(`32-bit shadow: ${code(f.shadow)}${stale ? ` — **stale**: ${stale}` : ''}`);
  else if (f.shadowOf) out.push(`32-bit shadow of ${code(f.shadowOf)}${stale ? ` — **stale**: ${stale}` : ''}`);
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
  if (f.unusable) return [`## ${f.kind} ${f.name}`, '', ...recordSummary(f).flatMap((s) => [s, ''])].join('\n');
  const abis = f.perAbi.map((p) => p.abi);
  const rows = f.members.map((m) => {
    const name = `${'&nbsp;&nbsp;'.repeat(m.depth)}${m.name ?? '(anonymous)'}`;
    return [label(name, m.differs), code(m.typeText), ...memberCells(m, abis)];
  });
  const sizes = ['size', '', ...f.perAbi.map((p) => `${p.size} (align ${p.align})`)];
  return [
    `## ${f.kind} ${f.name}`,
    '',
    ...recordSummary(f).flatMap((s) => [s, '']),
    'Offset / size in bytes, padding after each member.',
    '',
    table(['member', 'type', ...abis], [...rows, sizes], 2),
    '',
  ].join('\n');
}

/**
 * Padding before a member on each ABI: the hole its previous sibling leaves
 * (where a moved member's x64 hole is); 0 for a first member.
 */
export function paddingBefore(record: RecordFacts, m: MemberFacts): Map<string, number> {
  const out = new Map<string, number>(m.perAbi.map((p) => [p.abi, 0]));
  const i = record.members.indexOf(m);
  for (let j = i - 1; j >= 0; j--) {
    const prev = record.members[j];
    if (prev.depth > m.depth) continue;
    if (prev.depth === m.depth) for (const p of prev.perAbi) if (out.has(p.abi)) out.set(p.abi, p.paddingAfter);
    break;
  }
  return out;
}

function renderMember(record: RecordFacts, m: MemberFacts): string {
  if (record.unusable) return `**${m.path}** ${code(m.typeText)} — member of ${code(record.name)}\n\n${unusableLine(record)}`;
  const abis = m.perAbi.map((p) => p.abi);
  const d = (sel: (p: MemberFacts['perAbi'][number]) => unknown) => new Set(m.perAbi.map(sel)).size > 1;
  const before = paddingBefore(record, m);
  const rows = [
    [label('offset', d((q) => q.offset)), ...m.perAbi.map((p) => String(p.offset))],
    [label('size', d((q) => q.size)), ...m.perAbi.map((p) => `${p.size} B`)],
    [label('align', d((q) => q.align)), ...m.perAbi.map((p) => String(p.align))],
  ];
  if (m.perAbi.some((p) => p.bitWidth !== undefined)) {
    rows.push([label('bits', d((q) => `${q.bitOffset}:${q.bitWidth}`)), ...m.perAbi.map((p) => (p.bitWidth === undefined ? '—' : `${p.bitOffset ?? 0}, width ${p.bitWidth}`))]);
  }
  // The hole before a member that moved is where the ABIs part ways: shown whenever it exists or the member moved.
  if (m.offsetDiffers || [...before.values()].some((b) => b > 0)) {
    rows.push([label('padding before', new Set(before.values()).size > 1), ...m.perAbi.map((p) => `${before.get(p.abi) ?? 0} B`)]);
  }
  if (m.perAbi.some((p) => p.paddingAfter > 0)) rows.push([label('padding after', d((q) => q.paddingAfter)), ...m.perAbi.map((p) => `${p.paddingAfter} B`)]);
  const head = `**${m.path}** ${code(m.typeText)} — member of ${code(record.name)}`;
  const missing = record.perAbi.map((p) => p.abi).filter((a) => !abis.includes(a));
  const note = missing.length ? `\n\nNot a member on ${missing.join(', ')}.` : m.differs ? '\n\n≠ differs between ABIs.' : '\n\nThe same on all ABIs shown.';
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
  return [title, '', table(['', ''], rows, 2), ...extra.map((e) => `\n${e}`)].join('\n');
}

export function renderHover(h: HoverInfo): string {
  switch (h.kind) {
    case 'record': {
      const via = h.pointerName ? `${code(h.pointerName)} is a pointer to:\n\n` : '';
      return `${via}${recordTitle(h.facts)}\n\n${recordSummary(h.facts, h.staleShadow).join('\n\n')}`;
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

/**
 * The plain-text form of the Markdown above, for clients whose hover
 * `contentFormat` lacks Markdown: tables as aligned columns without pipes or
 * rules, emphasis and code marks dropped, `&nbsp;` indentation as spaces.
 */
export function toPlainText(markdown: string): string {
  const inline = (s: string) => s.replace(/&nbsp;/g, ' ').replace(/\*\*([^*]*)\*\*/g, '$1').replace(/(^|\s)_(\S[^_]*\S)_(?=$|[\s.,;:])/g, '$1$2').replace(/`([^`]*)`/g, '$1');
  const out: string[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('|')) {
      out.push(inline(lines[i]).replace(/^#+ /, ''));
      continue;
    }
    const rows: string[][] = [];
    for (; i < lines.length && lines[i].startsWith('|'); i++) {
      if (/^\|[\s:|-]+\|$/.test(lines[i])) continue;
      rows.push(lines[i].slice(1, -1).split(' | ').map((c) => inline(c.trim())));
    }
    i--;
    const widths = rows[0].map((_, c) => maxOf(0, rows.map((r) => (r[c] ?? '').length)));
    for (const r of rows) out.push(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd());
  }
  return out.join('\n');
}

export { controlCodeSummary };
