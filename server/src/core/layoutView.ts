/**
 * The layout view's model: one record drawn as byte maps, one row per ABI.
 * This file owns the plain-data shape the editor's webview draws (and the
 * CLI or tests may print), and two pure exporters of it: a Markdown table
 * and a standalone SVG picture.
 *
 * How a row is built: a record's members become *segments* (offset, size,
 * kind). Segments that would overlap (the alternatives of a union) go into
 * separate *lanes*; bytes no member covers become padding segments in the
 * first lane. Consecutive bit-fields that share one storage unit become a
 * single `bitfield` segment listing its bits, so the unit is drawn whole
 * with its bits inside. Anonymous struct/union members and named members of
 * record type are `nested` segments whose own lanes the view can expand.
 *
 * Invariant: nothing here knows about LSP, VS Code or HTML; positions are
 * core `Loc`s (1-based), and colours are palette indices, not CSS.
 */

import type { AbiName } from './abi';
import type { Analysis, AbiUnit } from './analyze';
import type { CType, RecordDecl } from './ast';
import type { FieldLayout } from './layout';
import { declaredName, nameMatchesRecord, recordKey, recordName, recordTitle } from './names';
import { isVariablePointer, recordOf, typedefChain } from './types';
import { type MemberPlacement, placementOn } from './compare';
import { maxOf } from './arrays';

/** How many distinct member colours the palettes have; member colours are indices modulo this. */
export const paletteSize = 12;
/** Nested records are expanded this deep (deeper ones are drawn whole). */
const maxNestedDepth = 4;
/** Rows are drawn with at most this many cells; bigger records get several bytes per cell. */
const maxCells = 64;

export interface LayoutViewSource {
  file: string;
  /** 1-based, as core `Loc`s. */
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

/** A member's row on one ABI (compare.ts's placement, shared with the hovers). */
export type LayoutViewMemberAbi = MemberPlacement;

export interface LayoutViewMember {
  /** Dotted path inside the record (`DeviceName.Buffer`; anonymous members as `<anonymous#i>`). */
  path: string;
  name: string | null;
  /** What to print: the name, or `union`/`struct`/`(unnamed bits)` for unnamed members. */
  label: string;
  typeText: string;
  /** 0 for direct members; children of nested records count up. */
  depth: number;
  parent?: string;
  kind: 'member' | 'bitfield' | 'nested';
  colour: number;
  /** A pointer or pointer-sized integer (HANDLE, ULONG_PTR, SIZE_T ...): its size follows the ABI. */
  pointerSized: boolean;
  /** Offset, size, bit position or alignment differ between ABIs, or the member is missing on one. */
  differs: boolean;
  /** The size (or bit width) itself differs: the cause, where `differs` alone may be a consequence. */
  sizeDiffers: boolean;
  perAbi: LayoutViewMemberAbi[];
  source?: LayoutViewSource;
}

export interface LayoutViewSegment {
  kind: 'member' | 'padding' | 'bitfield' | 'nested';
  /** The member's path ('' for padding; a bit-field unit carries its first bit's path). */
  path: string;
  offset: number;
  size: number;
  /** -1 for padding. */
  colour: number;
  pointerSized: boolean;
  differs: boolean;
  sizeDiffers: boolean;
  /** Bit-field units: the bits inside, by bit offset within the unit. */
  bits?: { path: string; bitOffset: number; bitWidth: number; colour: number; differs: boolean; sizeDiffers: boolean }[];
  /** Nested records: their own lanes (offsets still from the outermost record). */
  lanes?: LayoutViewSegment[][];
}

export interface LayoutViewAbi {
  abi: AbiName;
  size: number;
  align: number;
  /** Padding bytes the map hatches: the record's holes and tail, and those inside nested and anonymous members. */
  padding: number;
  pointerSize: number;
  complete: boolean;
  lanes: LayoutViewSegment[][];
}

export interface LayoutViewModel {
  version: 1;
  key: string;
  name: string;
  kind: 'struct' | 'union';
  typedefs: string[];
  source?: LayoutViewSource;
  abis: LayoutViewAbi[];
  members: LayoutViewMember[];
  differs: boolean;
  /**
   * Why the layout is unusable on some ABI (`on x64: ...`): then nothing is
   * drawn (`abis` and `members` are empty), the view shows this instead.
   */
  unusable?: string;
  /** The largest size over the ABIs: every row is drawn on this scale. */
  maxSize: number;
  /** 1 when each byte gets a cell; more for big records. */
  bytesPerCell: number;
  paletteSize: number;
}

export type LayoutViewTarget = { record: string } | { file: string; offset: number };

// ---------------------------------------------------------------- finding the record

function definitionByKey(u: AbiUnit, key: string): RecordDecl | undefined {
  let found: RecordDecl | undefined;
  for (const r of u.unit.records) {
    if (!r.fields) continue;
    if (recordKey(r) === key) return r;
    if (nameMatchesRecord(key, r)) found ??= r;
  }
  return found;
}

/** The innermost named, top-level record whose definition contains `offset` in `file`. */
function recordAtOffset(u: AbiUnit, file: string, offset: number): RecordDecl | undefined {
  let best: RecordDecl | undefined;
  for (const r of u.unit.records) {
    if (!r.fields || r.nested || r.loc.file !== file || recordName(r) === undefined) continue;
    const end = r.endLoc ? r.endLoc.offset + 64 : r.loc.offset;
    if (offset < r.loc.offset || offset > end) continue;
    if (!best || r.loc.offset >= best.loc.offset) best = r;
  }
  return best;
}

// ---------------------------------------------------------------- the model

interface Placed {
  path: string;
  depth: number;
  parent?: string;
  f: FieldLayout;
  kind: LayoutViewMember['kind'];
  label: string;
  /** Children of a nested member (anonymous fields, or a by-value record's fields shifted). */
  children?: Placed[];
}

const pointerSizedNames = new Set([
  'ULONG_PTR', 'LONG_PTR', 'UINT_PTR', 'INT_PTR', 'DWORD_PTR', 'SIZE_T', 'SSIZE_T', 'KAFFINITY',
  'uintptr_t', 'intptr_t', 'size_t', 'ssize_t', 'ptrdiff_t', 'HANDLE', 'KSPIN_LOCK',
]);

/** A pointer without a fixed width, or a typedef known to be pointer-sized. */
function isPointerSizedType(t: CType): boolean {
  return typedefChain(t).some((name) => pointerSizedNames.has(name)) || isVariablePointer(t);
}

function shift(fields: readonly FieldLayout[], by: number): FieldLayout[] {
  return fields.map((f) => ({ ...f, offset: f.offset + by, ...(f.fields ? { fields: shift(f.fields, by) } : {}) }));
}

function place(u: AbiUnit, fields: readonly FieldLayout[], prefix: string, depth: number, parent: string | undefined, out: Placed[]): Placed[] {
  const level: Placed[] = [];
  fields.forEach((f, i) => {
    const own = f.name ?? `<anonymous#${i}>`;
    const path = prefix ? `${prefix}.${own}` : own;
    let children: FieldLayout[] | undefined = f.fields;
    let kind: Placed['kind'] = f.bitWidth !== undefined ? 'bitfield' : 'member';
    const byValue = !children ? recordOf(f.decl.type) : undefined;
    if (byValue?.fields && depth < maxNestedDepth) children = shift(u.layout.layoutOf(byValue).fields, f.offset);
    if (children) kind = 'nested';
    const anonymousKind = f.fields ? (recordOf(f.decl.type)?.kind ?? 'struct') : undefined;
    const label = f.name ?? (f.bitWidth !== undefined ? '(unnamed bits)' : (anonymousKind ?? 'member'));
    const p: Placed = { path, depth, parent, f, kind, label };
    out.push(p);
    level.push(p);
    if (children && depth < maxNestedDepth) p.children = place(u, children, path, depth + 1, path, out);
  });
  return level;
}

function sourceOf(f: FieldLayout): LayoutViewSource | undefined {
  const d = f.decl;
  if (d.name) {
    const n = d.nameLoc;
    return { file: n.file, line: n.line, col: n.col, endLine: n.line, endCol: n.col + d.name.length };
  }
  return { file: d.loc.file, line: d.loc.line, col: d.loc.col, endLine: d.endLoc.line, endCol: d.endLoc.col };
}

/** Builds the view model of one record over every ABI of the analysis; undefined when no ABI has it. */
export function buildLayoutView(analysis: Analysis, target: LayoutViewTarget): LayoutViewModel | undefined {
  let key: string | undefined;
  if ('record' in target) key = target.record;
  else {
    for (const u of analysis.units.values()) {
      const r = recordAtOffset(u, target.file, target.offset);
      if (r) {
        key = recordKey(r);
        break;
      }
    }
  }
  if (key === undefined) return undefined;

  const rows: { u: AbiUnit; decl: RecordDecl; placed: Placed[]; top: Placed[]; size: number; align: number; complete: boolean }[] = [];
  for (const u of analysis.units.values()) {
    const decl = definitionByKey(u, key);
    if (!decl) continue;
    const layout = u.layout.layoutOf(decl);
    const placed: Placed[] = [];
    const top = place(u, layout.fields, '', 0, undefined, placed);
    rows.push({ u, decl, placed, top, size: layout.size, align: layout.align, complete: layout.complete });
  }
  if (rows.length === 0) return undefined;
  const decl = rows[0].decl;
  const broken = rows.find((r) => !r.complete);
  if (broken) {
    const problem = broken.u.layout.layoutOf(broken.decl).problem ?? 'its layout could not be computed';
    return {
      version: 1,
      key,
      ...recordTitle(decl),
      source: nameSource(decl),
      abis: [],
      members: [],
      differs: false,
      unusable: `on ${broken.u.abi.name}: ${problem}`,
      maxSize: 1,
      bytesPerCell: 1,
      paletteSize,
    };
  }

  // Members: the union over the ABIs, in first-seen order; colours follow that order.
  const order: Placed[] = [];
  const byAbi = rows.map((r) => new Map(r.placed.map((p) => [p.path, p])));
  for (const r of rows) for (const p of r.placed) if (!order.some((o) => o.path === p.path)) order.push(p);
  const members: LayoutViewMember[] = order.map((o, index) => {
    const perAbi: LayoutViewMemberAbi[] = [];
    rows.forEach((r, i) => {
      const p = byAbi[i].get(o.path);
      if (!p) return;
      perAbi.push(placementOn(r.u.abi.name, p.f));
    });
    const distinct = (sel: (m: LayoutViewMemberAbi) => unknown) => new Set(perAbi.map(sel)).size > 1;
    const differs = perAbi.length !== rows.length || distinct((m) => `${m.offset}:${m.size}:${m.bitOffset ?? ''}:${m.bitWidth ?? ''}:${m.align}`);
    const sizesFollowPointer = distinct((m) => m.size) && perAbi.every((m, i) => m.size === rows.find((r) => r.u.abi.name === perAbi[i].abi)!.u.abi.pointer.size);
    const member: LayoutViewMember = {
      path: o.path,
      name: o.f.name,
      label: o.label,
      typeText: o.f.decl.typeText,
      depth: o.depth,
      kind: o.kind,
      colour: index % paletteSize,
      pointerSized: o.kind !== 'nested' && (isPointerSizedType(o.f.decl.type) || sizesFollowPointer),
      differs,
      sizeDiffers: perAbi.length !== rows.length || distinct((m) => `${m.size}:${m.bitWidth ?? ''}`),
      perAbi,
    };
    if (o.parent !== undefined) member.parent = o.parent;
    const source = sourceOf(o.f);
    if (source) member.source = source;
    return member;
  });
  const memberOf = new Map(members.map((m) => [m.path, m]));

  const abis: LayoutViewAbi[] = rows.map((r) => {
    const lanes = lanesOf(r.top, 0, r.size, memberOf);
    // The total is what the map hatches: holes of nested records included, not only the outer record's.
    return { abi: r.u.abi.name, size: r.size, align: r.align, padding: paddingIn(lanes), pointerSize: r.u.abi.pointer.size, complete: r.complete, lanes };
  });
  const maxSize = maxOf(1, abis.map((a) => a.size));
  let bytesPerCell = 1;
  while (maxSize / bytesPerCell > maxCells) bytesPerCell *= 2;
  return {
    version: 1,
    key,
    ...recordTitle(decl),
    abis,
    members,
    differs: members.some((m) => m.differs) || new Set(abis.map((a) => `${a.size}:${a.align}`)).size > 1,
    maxSize,
    bytesPerCell,
    paletteSize,
    source: nameSource(decl),
  };
}

/** Where the record's name is written (as declared: `ReadRequest` of `contoso::ReadRequest`), else where the record starts. */
function nameSource(decl: RecordDecl): LayoutViewSource {
  const n = decl.nameLoc ?? decl.loc;
  return { file: n.file, line: n.line, col: n.col, endLine: n.line, endCol: n.col + (decl.nameLoc ? (declaredName(decl) ?? '').length : 0) };
}

/** Bytes of padding segments in these lanes and, recursively, in the nested records' lanes. */
function paddingIn(lanes: LayoutViewSegment[][]): number {
  let total = 0;
  for (const lane of lanes) for (const s of lane) total += s.kind === 'padding' ? s.size : s.lanes ? paddingIn(s.lanes) : 0;
  return total;
}

/**
 * Segments for the members of one level (`start`..`end` in bytes): bit-fields
 * grouped per storage unit, overlapping members in separate lanes, bytes
 * nobody covers as padding in the first lane.
 */
function lanesOf(level: Placed[], start: number, end: number, memberOf: Map<string, LayoutViewMember>): LayoutViewSegment[][] {
  const segments: LayoutViewSegment[] = [];
  let unit: LayoutViewSegment | undefined;
  for (const p of level) {
    const f = p.f;
    const m = memberOf.get(p.path)!;
    if (f.bitWidth !== undefined) {
      if (f.bitWidth === 0 || f.size === 0) {
        unit = undefined;
        continue;
      }
      const bit = { path: p.path, bitOffset: f.bitOffset ?? 0, bitWidth: f.bitWidth, colour: m.colour, differs: m.differs, sizeDiffers: m.sizeDiffers };
      if (unit && unit.offset === f.offset && unit.size === f.size) {
        unit.bits!.push(bit);
        unit.differs ||= m.differs;
        unit.sizeDiffers ||= m.sizeDiffers;
        continue;
      }
      unit = { kind: 'bitfield', path: p.path, offset: f.offset, size: f.size, colour: m.colour, pointerSized: false, differs: m.differs, sizeDiffers: m.sizeDiffers, bits: [bit] };
      segments.push(unit);
      continue;
    }
    unit = undefined;
    const seg: LayoutViewSegment = { kind: p.kind === 'nested' ? 'nested' : 'member', path: p.path, offset: f.offset, size: f.size, colour: m.colour, pointerSized: m.pointerSized, differs: m.differs, sizeDiffers: m.sizeDiffers };
    if (p.children) seg.lanes = lanesOf(p.children, f.offset, f.offset + f.size, memberOf);
    segments.push(seg);
  }

  // Lanes: the first lane without an overlap takes each segment (unions stack their alternatives).
  const lanes: LayoutViewSegment[][] = [[]];
  for (const s of segments) {
    if (s.size === 0) {
      lanes[0].push(s);
      continue;
    }
    let lane = lanes.find((l) => l.every((o) => o.size === 0 || o.offset + o.size <= s.offset || s.offset + s.size <= o.offset));
    if (!lane) lanes.push((lane = []));
    lane.push(s);
  }

  // Padding: bytes of start..end no segment covers.
  const covered = new Uint8Array(Math.max(0, end - start));
  for (const s of segments) for (let b = Math.max(s.offset, start); b < Math.min(s.offset + s.size, end); b++) covered[b - start] = 1;
  for (let b = 0; b < covered.length; ) {
    if (covered[b]) {
      b++;
      continue;
    }
    let e = b;
    while (e < covered.length && !covered[e]) e++;
    lanes[0].push({ kind: 'padding', path: '', offset: start + b, size: e - b, colour: -1, pointerSized: false, differs: false, sizeDiffers: false });
    b = e;
  }
  for (const l of lanes) l.sort((a, b) => a.offset - b.offset);
  return lanes;
}

// ---------------------------------------------------------------- Markdown

const escapeCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function place1(m: LayoutViewMemberAbi | undefined): string {
  if (!m) return '—';
  const bits = m.bitWidth !== undefined ? ` bits ${m.bitOffset}..${m.bitOffset! + m.bitWidth - 1}` : '';
  return `${m.offset} · ${m.size} B${bits}`;
}

/** The model as a Markdown table: one row per member, offset · size per ABI, padding rows where any ABI pads. */
export function toMarkdownTable(model: LayoutViewModel): string {
  if (model.unusable) return `**${model.kind} ${model.name}** — no usable layout ${model.unusable}\n`;
  const lines: string[] = [];
  const sizes = model.abis.map((a) => `${a.abi} ${a.size} B (align ${a.align}, ${a.padding} B padding)`).join(' · ');
  lines.push(`**${model.kind} ${model.name}** — ${sizes}${model.differs ? ' — **layouts differ**' : ' — same on all ABIs'}`, '');
  lines.push(`| Member | Type | ${model.abis.map((a) => `${a.abi} offset · size`).join(' | ')} |`);
  lines.push(`| --- | --- | ${model.abis.map(() => '---').join(' | ')} |`);
  for (const m of model.members) {
    const indent = '&nbsp;&nbsp;'.repeat(m.depth);
    const marks = `${m.pointerSized ? ' ⌖' : ''}${m.differs ? ' ≠' : ''}`;
    const name = `${indent}\`${escapeCell(m.name ?? m.label)}\`${marks}`;
    const cells = model.abis.map((a) => {
      const text = place1(m.perAbi.find((p) => p.abi === a.abi));
      return m.differs ? `**${text}**` : text;
    });
    lines.push(`| ${name} | ${escapeCell(m.typeText)} | ${cells.join(' | ')} |`);
    if (m.depth === 0 && m.perAbi.some((p) => p.paddingAfter > 0)) {
      const pads = model.abis.map((a) => {
        const p = m.perAbi.find((q) => q.abi === a.abi);
        return p && p.paddingAfter > 0 ? `${p.offset + p.size} · ${p.paddingAfter} B` : '—';
      });
      lines.push(`| ${indent}*padding* |  | ${pads.join(' | ')} |`);
    }
  }
  lines.push('', '⌖ pointer-sized · ≠ differs between ABIs');
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------- SVG

interface SvgTheme {
  background: string;
  foreground: string;
  muted: string;
  grid: string;
  padding: string;
  differs: string;
  pointer: string;
  palette: string[];
}

const themes: Record<'light' | 'dark', SvgTheme> = {
  light: {
    background: '#ffffff',
    foreground: '#1f2328',
    muted: '#656d76',
    grid: '#d0d7de',
    padding: '#8c959f',
    differs: '#cf222e',
    pointer: '#8250df',
    palette: ['#9ecae1', '#fdd49e', '#a1d99b', '#fcbba1', '#cbc9e2', '#fee391', '#9ebcda', '#c7e9c0', '#fdae6b', '#bcbddc', '#d9d9d9', '#c6dbef'],
  },
  dark: {
    background: '#1e1e1e',
    foreground: '#e6edf3',
    muted: '#9198a1',
    grid: '#3d444d',
    padding: '#6e7681',
    differs: '#ff7b72',
    pointer: '#d2a8ff',
    palette: ['#1f5f85', '#8a5a14', '#2f6b3a', '#8c3f2f', '#544a8a', '#7a6a12', '#2f5d8a', '#3d6b45', '#8a4d1c', '#5a4f86', '#4d4d4d', '#2e5a7a'],
  },
};

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The model as a standalone SVG: a row per ABI (nested records expanded
 * beneath their row), a byte ruler, and a legend. Text stays text, so the
 * picture is searchable and readable by screen readers.
 */
export function toSvg(model: LayoutViewModel, theme: 'light' | 'dark'): string {
  const t = themes[theme];
  const width = 960;
  const left = 96;
  const right = 24;
  const barWidth = width - left - right;
  const laneHeight = 30;
  const laneGap = 4;
  const scale = barWidth / model.maxSize;
  const memberOf = new Map(model.members.map((m) => [m.path, m]));
  const fill = (colour: number) => (colour < 0 ? 'url(#pad)' : t.palette[colour % t.palette.length]);
  const body: string[] = [];
  let y = 56;

  body.push(`<text x="24" y="28" font-size="16" font-weight="600" fill="${t.foreground}">${esc(`${model.kind} ${model.name}`)}</text>`);
  const summary = model.unusable ? `no usable layout ${model.unusable}` : model.abis.map((a) => `${a.abi} ${a.size} B`).join(' · ') + (model.differs ? ' · layouts differ' : ' · same on all ABIs');
  body.push(`<text x="24" y="46" font-size="12" fill="${t.muted}">${esc(summary)}</text>`);
  y += 8;

  const drawSegment = (s: LayoutViewSegment, top: number) => {
    const x = left + s.offset * scale;
    const w = Math.max(1, s.size * scale);
    const m = memberOf.get(s.path);
    const label = s.kind === 'padding' ? '' : m ? m.label : s.path;
    const title = s.kind === 'padding' ? `padding: offset ${s.offset}, ${s.size} B` : `${label}: offset ${s.offset}, ${s.size} B`;
    body.push(`<g><title>${esc(title)}</title>`);
    body.push(`<rect x="${x.toFixed(1)}" y="${top}" width="${w.toFixed(1)}" height="${laneHeight}" rx="3" fill="${s.kind === 'bitfield' ? 'url(#pad)' : fill(s.colour)}" stroke="${s.differs ? t.differs : t.grid}" stroke-width="${s.sizeDiffers ? 2.5 : s.differs ? 1.5 : 1}"${s.differs && !s.sizeDiffers ? ' stroke-dasharray="4 3"' : ''}/>`);
    if (s.kind === 'bitfield' && s.bits) {
      const bitScale = w / (s.size * 8);
      for (const b of s.bits) {
        const bx = x + b.bitOffset * bitScale;
        const bw = b.bitWidth * bitScale;
        body.push(`<rect x="${bx.toFixed(1)}" y="${top + 3}" width="${bw.toFixed(1)}" height="${laneHeight - 6}" fill="${fill(b.colour)}" stroke="${t.background}" stroke-width="1"/>`);
        const bl = fit(memberOf.get(b.path)?.label ?? '', bw, 6.5);
        if (bl) body.push(`<text x="${(bx + bw / 2).toFixed(1)}" y="${top + 19}" font-size="11" text-anchor="middle" fill="${t.foreground}">${esc(bl)}</text>`);
      }
    } else {
      // Byte ticks inside the segment when each byte is wide enough to show them.
      if (scale >= 6 && s.size > 1) {
        for (let b = 1; b < s.size; b++) {
          const bx = x + b * scale;
          body.push(`<line x1="${bx.toFixed(1)}" y1="${top + laneHeight - 5}" x2="${bx.toFixed(1)}" y2="${top + laneHeight}" stroke="${t.foreground}" stroke-opacity="0.25"/>`);
        }
      }
      const shown = fit(label, w, 7);
      if (shown) body.push(`<text x="${(x + w / 2).toFixed(1)}" y="${top + 19}" font-size="12" text-anchor="middle" fill="${t.foreground}">${esc(shown)}</text>`);
    }
    if (s.pointerSized) body.push(`<path d="M${(x + w - 9).toFixed(1)} ${top} L${(x + w).toFixed(1)} ${top} L${(x + w).toFixed(1)} ${top + 9} Z" fill="${t.pointer}"/>`);
    body.push('</g>');
  };

  const drawLanes = (lanes: LayoutViewSegment[][], top: number): number => {
    let yy = top;
    for (const lane of lanes) {
      for (const s of lane) if (s.size > 0) drawSegment(s, yy);
      yy += laneHeight + laneGap;
      // Nested records: their lanes right under the lane that holds them.
      for (const s of lane) {
        if (s.kind === 'nested' && s.lanes) yy = drawLanes(s.lanes, yy);
      }
    }
    return yy;
  };

  for (const a of model.abis) {
    body.push(`<text x="24" y="${y + 19}" font-size="13" font-weight="600" fill="${t.foreground}">${esc(a.abi)}</text>`);
    body.push(`<text x="24" y="${y + 34}" font-size="11" fill="${t.muted}">${a.size} B</text>`);
    const end = drawLanes(a.lanes, y);
    // The record's end on this ABI.
    const ex = left + a.size * scale;
    body.push(`<line x1="${ex.toFixed(1)}" y1="${y - 3}" x2="${ex.toFixed(1)}" y2="${end - laneGap + 3}" stroke="${t.muted}" stroke-width="1.5"/>`);
    y = end + 10;
  }

  // Ruler.
  const step = rulerStep(model.maxSize, barWidth);
  body.push(`<line x1="${left}" y1="${y}" x2="${left + barWidth}" y2="${y}" stroke="${t.grid}"/>`);
  for (let b = 0; b <= model.maxSize; b += step) {
    const x = left + b * scale;
    body.push(`<line x1="${x.toFixed(1)}" y1="${y}" x2="${x.toFixed(1)}" y2="${y + 5}" stroke="${t.muted}"/>`);
    body.push(`<text x="${x.toFixed(1)}" y="${y + 17}" font-size="10" text-anchor="middle" fill="${t.muted}">${b}</text>`);
  }
  y += 36;

  // Legend: members, then the marks.
  const legend = model.members;
  const columns = 3;
  const colWidth = (width - 48) / columns;
  legend.forEach((m, i) => {
    const x = 24 + (i % columns) * colWidth;
    const ly = y + Math.floor(i / columns) * 20;
    body.push(`<rect x="${x}" y="${ly}" width="12" height="12" rx="2" fill="${fill(m.colour)}" stroke="${m.differs ? t.differs : t.grid}"/>`);
    const text = `${m.path.replace(/<anonymous#\d+>/g, m.label)} — ${m.typeText}`;
    body.push(`<text x="${x + 18}" y="${ly + 10}" font-size="11" fill="${t.foreground}">${esc(text.length > 44 ? text.slice(0, 43) + '…' : text)}</text>`);
  });
  y += Math.ceil(legend.length / columns) * 20 + 8;
  const keys: [string, string][] = [
    ['pad', 'padding'],
    ['size', 'size differs between ABIs'],
    ['differs', 'moved (offset differs)'],
    ['pointer', 'pointer-sized'],
  ];
  let kx = 24;
  for (const [kind, text] of keys) {
    if (kind === 'pad') body.push(`<rect x="${kx}" y="${y}" width="12" height="12" fill="url(#pad)" stroke="${t.grid}"/>`);
    else if (kind === 'size') body.push(`<rect x="${kx}" y="${y}" width="12" height="12" fill="none" stroke="${t.differs}" stroke-width="2.5"/>`);
    else if (kind === 'differs') body.push(`<rect x="${kx}" y="${y}" width="12" height="12" fill="none" stroke="${t.differs}" stroke-width="2" stroke-dasharray="3 2"/>`);
    else body.push(`<path d="M${kx} ${y} L${kx + 12} ${y} L${kx + 12} ${y + 12} Z" fill="${t.pointer}"/>`);
    body.push(`<text x="${kx + 18}" y="${y + 10}" font-size="11" fill="${t.muted}">${esc(text)}</text>`);
    kx += 40 + text.length * 6.2;
  }
  y += 28;

  const defs =
    `<defs><pattern id="pad" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
    `<rect width="6" height="6" fill="${t.background}"/><line x1="0" y1="0" x2="0" y2="6" stroke="${t.padding}" stroke-width="2"/></pattern></defs>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${Math.ceil(y)}" viewBox="0 0 ${width} ${Math.ceil(y)}" font-family="Segoe UI, Helvetica, Arial, sans-serif" role="img" aria-label="${esc(`Layout of ${model.kind} ${model.name}: ${summary}`)}">\n` +
    `${defs}\n<rect width="100%" height="100%" fill="${t.background}"/>\n` +
    body.join('\n') +
    '\n</svg>\n'
  );
}

/** The label, shortened with an ellipsis to fit `width` pixels at about `charWidth` per character; '' when even that does not fit. */
function fit(label: string, width: number, charWidth: number): string {
  const room = Math.floor((width - 8) / charWidth);
  if (label.length <= room) return label;
  return room >= 3 ? label.slice(0, room - 1) + '…' : '';
}

/** A ruler step (1, 2, 4, 8 ... bytes) that keeps labels at least ~36 px apart. */
function rulerStep(maxSize: number, width: number): number {
  let step = 1;
  while ((width / maxSize) * step < 36) step *= 2;
  return step;
}
