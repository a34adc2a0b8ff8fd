/**
 * Text rendering of layout reports: one table per record, in source order,
 * with the ABIs side by side. Rows whose offset or size differs between ABIs
 * are marked `!` (and coloured when the output is a terminal); padding holes
 * get rows of their own. A record that only some ABIs define (under
 * `#if defined(_WIN64)` ...) is shown with those ABIs' columns alone and
 * says where it is absent. A legend line after the tables explains the
 * marks and the bit-field notation they use. Pure: takes reports, returns a
 * string.
 */

import type { AbiName } from '../core/abi';
import type { AbiReport, FieldReport, RecordReport } from '../core/report';
import { append, maxOf } from '../core/arrays';

export interface TextOptions {
  color: boolean;
  /** Shown instead of absolute paths (e.g. relative to the working directory). */
  displayPath(path: string): string;
}

interface Cell {
  offset: string;
  size: string;
}

interface Row {
  depth: number;
  label: string;
  type: string;
  cells: (Cell | undefined)[];
  differs: boolean;
  padding?: boolean;
}

const ansi = { yellow: '\x1b[33m', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m' };

function fieldCell(f: FieldReport): Cell {
  if (f.bitWidth !== undefined) return { offset: `${f.offset}:${f.bitOffset ?? 0}`, size: `${f.bitWidth}b` };
  return { offset: String(f.offset), size: String(f.size) };
}

function fieldKey(f: FieldReport, index: number): string {
  return f.name ?? `#${index}`;
}

/** Rows for a list of fields, matched across ABIs by name (position for unnamed ones). */
function fieldRows(perAbi: (FieldReport[] | undefined)[], depth: number, recordSizes: (number | undefined)[]): Row[] {
  const order: string[] = [];
  const maps = perAbi.map((fields) => {
    const m = new Map<string, { f: FieldReport; next?: FieldReport }>();
    fields?.forEach((f, i) => {
      const k = fieldKey(f, i);
      if (!order.includes(k)) order.push(k);
      m.set(k, { f, next: fields[i + 1] });
    });
    return m;
  });
  const rows: Row[] = [];
  for (const key of order) {
    const entries = maps.map((m) => m.get(key));
    const first = entries.find((e) => e)!.f;
    const cells = entries.map((e) => (e ? fieldCell(e.f) : undefined));
    const present = cells.filter((c): c is Cell => !!c);
    const differs =
      present.length !== cells.length || present.some((c) => c.offset !== present[0].offset || c.size !== present[0].size);
    const label = first.name ?? (first.fields ? `(anonymous ${first.type.startsWith('union') ? 'union' : 'struct'})` : '(unnamed)');
    rows.push({ depth, label, type: first.fields ? '' : first.type, cells, differs });
    if (first.fields) append(rows, fieldRows(entries.map((e) => e?.f.fields), depth + 1, []));
    // Padding after this field: up to the next field's offset, or to the record's end for the last one.
    if (depth === 0) {
      const pads = entries.map((e, i) => {
        if (!e) return 0;
        const end = e.f.bitWidth !== undefined || e.f.fields ? e.f.offset + e.f.size : e.f.offset + e.f.size;
        const next = e.next ? e.next.offset : recordSizes[i] ?? end;
        return Math.max(0, next - end);
      });
      if (pads.some((p) => p > 0)) {
        rows.push({
          depth,
          label: entries.some((e) => e && !e.next) ? '<tail padding>' : '<padding>',
          type: '',
          cells: entries.map((e, i) => (e && pads[i] > 0 ? { offset: String(e.f.offset + e.f.size), size: String(pads[i]) } : undefined)),
          differs: new Set(pads).size > 1,
          padding: true,
        });
      }
    }
  }
  return rows;
}

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

export function renderRecord(allAbis: AbiName[], allPerAbi: (RecordReport | undefined)[], options: TextOptions): string {
  const c = (code: keyof typeof ansi, s: string) => (options.color ? ansi[code] + s + ansi.reset : s);
  // ABIs that do not define the record (an #if excluded it) get no column.
  const abiNames = allAbis.filter((_, i) => allPerAbi[i]);
  const absent = allAbis.filter((_, i) => !allPerAbi[i]);
  const perAbi = allPerAbi.filter((r): r is RecordReport => !!r);
  const rec = perAbi[0];
  if (perAbi.some((r) => r.unusable !== undefined)) return renderUnusable(abiNames, perAbi, options);
  const rows = fieldRows(
    perAbi.map((r) => r?.fields),
    0,
    perAbi.map((r) => r?.size ?? undefined),
  );
  const sizes = perAbi.map((r) => (r ? `${r.size}` : '-'));
  const aligns = perAbi.map((r) => (r ? `${r.align}` : '-'));
  const recordDiffers = new Set(sizes).size > 1 || new Set(aligns).size > 1 || rows.some((r) => r.differs && !r.padding);
  const anyDiffers = recordDiffers || rows.some((r) => r.differs);
  const typedefs = rec.typedefs.length ? ` (${rec.typedefs.join(', ')})` : '';
  const verdict = absent.length
    ? c('yellow', `only on ${abiNames.join(', ')} (not defined on ${absent.join(', ')})`) + (abiNames.length > 1 ? `, ${anyDiffers ? 'layout differs between them' : 'same layout on them'}` : '')
    : anyDiffers
      ? c('yellow', 'layout differs between ABIs')
      : 'same layout on all ABIs';
  const lines = [`${c('bold', `${rec.kind} ${rec.name}`)}${typedefs}  ${options.displayPath(rec.file)}:${rec.line}  ${verdict}`];

  const labelW = maxOf('alignof'.length, rows.map((r) => r.depth * 2 + r.label.length));
  const typeW = maxOf(4, rows.map((r) => r.type.length));
  const offW = maxOf(6, rows.flatMap((r) => r.cells.map((x) => x?.offset.length ?? 0)));
  const sizeW = maxOf(4, rows.flatMap((r) => r.cells.map((x) => x?.size.length ?? 0)));
  const colW = offW + sizeW + 2;
  const head = `    ${pad('member', labelW)}  ${pad('type', typeW)}` + abiNames.map((a) => `  ${pad(a, colW, true)}`).join('');
  const sub = `    ${pad('', labelW)}  ${pad('', typeW)}` + abiNames.map(() => `  ${pad('offset', offW, true)}  ${pad('size', sizeW, true)}`).join('');
  lines.push(c('dim', head), c('dim', sub));
  for (const r of rows) {
    const mark = r.differs ? '!' : ' ';
    const cells = r.cells.map((x) => `  ${pad(x?.offset ?? '', offW, true)}  ${pad(x?.size ?? '', sizeW, true)}`).join('');
    let line = `  ${mark} ${pad('  '.repeat(r.depth) + r.label, labelW)}  ${pad(r.type, typeW)}${cells}`;
    if (r.padding) line = c('dim', line);
    else if (r.differs) line = c('yellow', line);
    lines.push(line);
  }
  const total = (label: string, values: string[]) =>
    `  ${new Set(values).size > 1 ? '!' : ' '} ${pad(label, labelW)}  ${pad('', typeW)}` +
    values.map((v) => `  ${pad('', offW, true)}  ${pad(v, sizeW, true)}`).join('');
  lines.push(total('sizeof', sizes), total('alignof', aligns));
  return lines.join('\n');
}

/** A record whose layout is unusable on some ABI: no numbers, the reason per ABI (ABIs that agree share a line). */
function renderUnusable(abiNames: AbiName[], perAbi: RecordReport[], options: TextOptions): string {
  const c = (code: keyof typeof ansi, s: string) => (options.color ? ansi[code] + s + ansi.reset : s);
  const rec = perAbi[0];
  const typedefs = rec.typedefs.length ? ` (${rec.typedefs.join(', ')})` : '';
  const lines = [`${c('bold', `${rec.kind} ${rec.name}`)}${typedefs}  ${options.displayPath(rec.file)}:${rec.line}  ${c('yellow', 'no usable layout')}`];
  const byReason = new Map<string, AbiName[]>();
  perAbi.forEach((r, i) => {
    const why = r.unusable ?? 'laid out (but not on the other ABIs)';
    byReason.set(why, [...(byReason.get(why) ?? []), abiNames[i]]);
  });
  for (const [why, abis] of byReason) lines.push(`    ${abis.join(', ')}: ${why}`);
  return lines.join('\n');
}

/** The legend printed after the tables: the marks they use, and the bit-field notation when a table has bit-fields. */
export function legend(reports: AbiReport[]): string {
  const hasBits = (fields: FieldReport[]): boolean => fields.some((f) => f.bitWidth !== undefined || (f.fields !== undefined && hasBits(f.fields)));
  const lines = ['legend: offsets and sizes in bytes; ! marks a row that differs between ABIs; <padding> rows are holes the compiler leaves.'];
  if (reports.some((rep) => rep.records.some((r) => hasBits(r.fields)))) {
    lines.push('        bit-fields: offset 4:3 is bit 3 of the storage unit at byte 4; size 5b is 5 bits wide.');
  }
  return lines.join('\n');
}

/** All records of all ABIs, matched by name and file, in source order (files as first seen, then line). */
export function renderReports(reports: AbiReport[], options: TextOptions): string {
  const abiNames = reports.map((r) => r.abi);
  const order = new Map<string, { file: number; line: number; seen: number }>();
  const files = new Map<string, number>();
  const maps = reports.map((rep) => {
    const m = new Map<string, RecordReport>();
    for (const r of rep.records) {
      const k = `${r.file}\0${r.name}`;
      if (!m.has(k)) m.set(k, r);
      if (!files.has(r.file)) files.set(r.file, files.size);
      if (!order.has(k)) order.set(k, { file: files.get(r.file)!, line: r.line, seen: order.size });
    }
    return m;
  });
  if (order.size === 0) return 'no struct or union definitions in the named files';
  const keys = [...order.keys()].sort((a, b) => {
    const x = order.get(a)!;
    const y = order.get(b)!;
    return x.file - y.file || x.line - y.line || x.seen - y.seen;
  });
  const tables = keys.map((k) => renderRecord(abiNames, maps.map((m) => m.get(k)), options));
  const paint = (s: string) => (options.color ? ansi.dim + s + ansi.reset : s);
  return [...tables, paint(legend(reports))].join('\n\n');
}
