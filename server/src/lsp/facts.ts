/**
 * Structured facts the editor features are built from: a record compared
 * across ABIs (sizes, alignments, padding, members marked where they differ,
 * why), the IOCTLs a record travels with and its 32-bit shadow, and the
 * positions index of a document. Everything here is plain data computed from
 * an `Analysis`; nothing knows about LSP (convert.ts does that) or Markdown
 * (render.ts). The driver's IOCTL interface (control codes decoded, device
 * type names, doc comments) is the core's `core/interface.ts`.
 */

import type { AbiName } from '../core/abi';
import { type AbiUnit, type Analysis, type Session, primaryUnit } from '../core/analyze';
import type { UnitSummary } from '../core/dispatch';
import type { FieldDecl, RecordDecl } from '../core/ast';
import type { RecordLayout } from '../core/layout';
import { type InterfaceFacts, interfaceFacts } from '../core/interface';
import { recordKey, recordName, recordTitle } from '../core/names';
import { type MemberPlacement, type Side, compareLayouts, placementOn } from '../core/compare';
import { type MemberPath, isPointer, memberPaths, recordNamed as recordNamedIn, valueRecord } from '../core/types';
import type { SourceFile } from '../core/source';
import { FilePositions } from '../core/positions';

/** One analysed document: what every verb receives. */
export interface DocContext {
  path: string;
  text: string;
  analysis: Analysis;
  session: Session;
  /** The other files of the document's driver, when the workspace index knows them. */
  driver?: DriverContext;
}

/**
 * The other files of a document's driver as function summaries (from the
 * workspace index and the other open documents). `generation` changes
 * whenever one of them does, so findings computed with an older generation
 * are recomputed.
 */
export interface DriverContext {
  generation(): number;
  summaries(): UnitSummary[];
}

// ---------------------------------------------------------------- records

/** A member's row on one ABI (compare.ts's placement, shared with the layout view). */
export type MemberAbiFacts = MemberPlacement;

export interface MemberFacts {
  /** Dotted path inside the record (`u.Value`; anonymous members as `<anonymous>`). */
  path: string;
  name: string | null;
  typeText: string;
  /** Nesting depth under anonymous struct/union members (0 = direct member). */
  depth: number;
  decl: FieldDecl;
  /** One entry per ABI the member exists on, in the analysis' ABI order. */
  perAbi: MemberAbiFacts[];
  /** Offset, size, bit position or padding differ between ABIs (or the member is missing on one). */
  differs: boolean;
  offsetDiffers: boolean;
  sizeDiffers: boolean;
  paddingDiffers: boolean;
}

export interface RecordAbiFacts {
  abi: AbiName;
  size: number;
  align: number;
  /** Total padding bytes (holes and tail). */
  padding: number;
  complete: boolean;
  layout: RecordLayout;
}

export interface RecordFacts {
  key: string;
  name: string;
  kind: 'struct' | 'union';
  typedefs: string[];
  decl: RecordDecl;
  perAbi: RecordAbiFacts[];
  members: MemberFacts[];
  differs: boolean;
  /**
   * Why the layout is unusable on some ABI (`on x64: requested alignment -16
   * is not a power of 2`): then no size, offset or difference is shown, and
   * `differs` is false.
   */
  unusable?: string;
  /** One sentence per cause, most important first. */
  reasons: string[];
  ioctls: { name: string; direction: 'in' | 'out' | 'inout' }[];
  /** The 32-bit shadow's name, when one exists; or the native type this record shadows. */
  shadow?: string;
  shadowOf?: string;
}


const recordMaps = new WeakMap<AbiUnit, Map<string, RecordDecl>>();

function recordsByKey(u: AbiUnit): Map<string, RecordDecl> {
  let m = recordMaps.get(u);
  if (m) return m;
  m = new Map();
  for (const r of u.unit.records) {
    const k = recordKey(r);
    const seen = m.get(k);
    // Prefer the definition over a forward declaration.
    if (!seen || (!seen.fields && r.fields)) m.set(k, r);
  }
  recordMaps.set(u, m);
  return m;
}

// ---------------------------------------------------------------- positions

const positionsCache = new Map<string, { text: string; pos: FilePositions }>();

/** The positions index of a document's text (its tokens from the session's lexed files; the last few documents are kept). */
export function positionsOf(ctx: DocContext): FilePositions {
  const hit = positionsCache.get(ctx.path);
  if (hit && hit.text === ctx.text) return hit.pos;
  const file: SourceFile = primaryUnit(ctx.analysis)?.pp.files.get(ctx.path) ?? { path: ctx.path, text: ctx.text };
  const pos = FilePositions.of(file.text === ctx.text ? file : { path: ctx.path, text: ctx.text }, ctx.session.lexCache);
  positionsCache.delete(ctx.path);
  positionsCache.set(ctx.path, { text: ctx.text, pos });
  if (positionsCache.size > 16) positionsCache.delete(positionsCache.keys().next().value!);
  return pos;
}

/** The record a name (tag or typedef, possibly a pointer typedef) denotes in one unit. */
export function recordNamed(u: AbiUnit, name: string): { record: RecordDecl; viaPointer: boolean } | undefined {
  return recordNamedIn([u.unit], name);
}

/** The complete definition of a record in a unit (a forward declaration resolves to the definition). */
function definitionIn(u: AbiUnit, r: RecordDecl): RecordDecl | undefined {
  if (r.fields) return r;
  const byKey = recordsByKey(u).get(recordKey(r));
  return byKey?.fields ? byKey : undefined;
}

const factsCache = new WeakMap<Analysis, Map<string, RecordFacts | null>>();

/** A record compared across every ABI of the analysis. Undefined when no ABI has a complete definition. */
export function recordFacts(ctx: DocContext, key: string): RecordFacts | undefined {
  let cache = factsCache.get(ctx.analysis);
  if (!cache) factsCache.set(ctx.analysis, (cache = new Map()));
  const hit = cache.get(key);
  if (hit !== undefined) return hit ?? undefined;
  const result = computeRecordFacts(ctx, key);
  cache.set(key, result ?? null);
  return result;
}

function computeRecordFacts(ctx: DocContext, key: string): RecordFacts | undefined {
  const perAbi: RecordAbiFacts[] = [];
  const flats: Map<AbiName, Map<string, MemberPath>> = new Map();
  const order: MemberPath[] = [];
  const sides: Side[] = [];
  let decl: RecordDecl | undefined;
  for (const [abi, u] of ctx.analysis.units) {
    const r0 = recordsByKey(u).get(key);
    const r = r0 && definitionIn(u, r0);
    if (!r) continue;
    const layout = u.layout.layoutOf(r);
    decl ??= r;
    sides.push({ layout: u.layout, record: r });
    perAbi.push({
      abi,
      size: layout.size,
      align: layout.align,
      padding: layout.holes.reduce((s, h) => s + h.size, 0),
      complete: layout.complete,
      layout,
    });
    const flat = memberPaths(layout.fields);
    const m = new Map<string, MemberPath>();
    for (const fm of flat) {
      m.set(fm.path, fm);
      if (!order.some((o) => o.path === fm.path)) order.push(fm);
    }
    flats.set(abi, m);
  }
  if (!decl) return undefined;
  const abiCount = perAbi.length;
  const members: MemberFacts[] = order.map((o) => {
    const rows: MemberAbiFacts[] = [];
    const held: Side[] = [];
    perAbi.forEach(({ abi }, k) => {
      const fm = flats.get(abi)?.get(o.path);
      if (!fm) return;
      const f = fm.field;
      const inner = valueRecord(f.decl.type);
      if (inner) held.push({ layout: sides[k].layout, record: inner });
      rows.push(placementOn(abi, f));
    });
    const distinct = (sel: (m: MemberAbiFacts) => unknown) => new Set(rows.map(sel)).size > 1;
    const missing = rows.length !== abiCount;
    const offsetDiffers = distinct((m) => `${m.offset}:${m.bitOffset ?? ''}`);
    const sizeDiffers = distinct((m) => m.size);
    const paddingDiffers = distinct((m) => m.paddingAfter);
    // A record held by value differs when its own members do, even at the same size (compare.ts's rule).
    const insideDiffers = held.length === rows.length && layoutsDiffer(held);
    return {
      path: o.path,
      name: o.field.name,
      typeText: o.field.decl.typeText,
      depth: o.depth,
      decl: o.field.decl,
      perAbi: rows,
      offsetDiffers,
      sizeDiffers,
      paddingDiffers,
      differs: missing || offsetDiffers || sizeDiffers || insideDiffers || distinct((m) => m.align),
    };
  });
  const sizeDiffers = new Set(perAbi.map((p) => p.size)).size > 1;
  const alignDiffers = new Set(perAbi.map((p) => p.align)).size > 1;
  const broken = perAbi.find((p) => !p.complete);
  const unusable = broken && `on ${broken.abi}: ${broken.layout.problem ?? 'its layout could not be computed'}`;
  // Whether the record reads differently is compare.ts's verdict, the one the checks use.
  const differs = !unusable && (sizeDiffers || alignDiffers || layoutsDiffer(sides));
  const facts: RecordFacts = {
    key,
    ...recordTitle(decl),
    decl,
    perAbi,
    members,
    differs,
    reasons: differs ? reasonsFor(ctx, perAbi, members) : [],
    ioctls: [],
  };
  if (unusable) facts.unusable = unusable;
  const names = [decl.tag, ...decl.typedefs.filter((t) => !t.startsWith('*'))].filter((n): n is string => !!n);
  const iface = interfaceFacts(ctx.analysis);
  for (const io of iface.ioctls) {
    for (const dir of ['in', 'out', 'inout'] as const) {
      if (io.types[dir].some((t) => names.includes(t))) facts.ioctls.push({ name: io.name, direction: dir });
    }
  }
  const shadow = shadowFor(ctx, decl, names, iface);
  if (shadow) facts.shadow = shadow;
  for (const n of names) {
    const base = /^(.*?)_?32$/.exec(n)?.[1];
    if (base && base !== n && primaryUnit(ctx.analysis) && recordNamed(primaryUnit(ctx.analysis)!, base)) facts.shadowOf = base;
    const annotated = iface.shadows.find((s) => s.shadow === n);
    if (annotated) facts.shadowOf = annotated.native;
  }
  return facts;
}

/** Any ABI sees the record differently from the first (compare.ts's rule, the one the checks use). */
function layoutsDiffer(sides: readonly Side[]): boolean {
  return sides.some((side, k) => k > 0 && compareLayouts(sides[0], side).needs);
}

function reasonsFor(ctx: DocContext, perAbi: RecordAbiFacts[], members: MemberFacts[]): string[] {
  const out: string[] = [];
  const on = (vals: { abi: AbiName; v: number }[], unit: string) => vals.map(({ abi, v }) => `${v}${unit} on ${abi}`).join(', ');
  const u = primaryUnit(ctx.analysis);
  for (const m of members) {
    if (!m.sizeDiffers) continue;
    const pointer = u ? isPointer(m.decl.type) : false;
    const what = pointer ? 'a pointer' : 'pointer-sized';
    out.push(`\`${m.path}\` (${m.typeText}) is ${what}: ${on(m.perAbi.map((p) => ({ abi: p.abi, v: p.size })), ' B')}`);
  }
  if (out.length === 0) {
    const moved = members.find((m) => m.offsetDiffers);
    if (moved) out.push(`\`${moved.path}\` (${moved.typeText}) is aligned differently: offset ${on(moved.perAbi.map((p) => ({ abi: p.abi, v: p.offset })), '')}`);
  }
  const aligns = new Set(perAbi.map((p) => p.align));
  if (aligns.size > 1) out.push(`alignment ${on(perAbi.map((p) => ({ abi: p.abi, v: p.align })), '')}`);
  if (out.length === 0) out.push(`size ${on(perAbi.map((p) => ({ abi: p.abi, v: p.size })), ' B')}`);
  return out;
}

/** Every complete, named record defined in `path`, in source order (from the primary unit, plus any only other ABIs see). */
export function recordsInFile(ctx: DocContext, path: string): RecordDecl[] {
  const out: RecordDecl[] = [];
  const seen = new Set<string>();
  for (const u of ctx.analysis.units.values()) {
    for (const r of u.unit.records) {
      if (!r.fields || r.loc.file !== path || recordName(r) === undefined) continue;
      const k = recordKey(r);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(r);
    }
  }
  return out.sort((a, b) => a.loc.offset - b.loc.offset);
}

function shadowFor(ctx: DocContext, decl: RecordDecl, names: string[], iface: InterfaceFacts): string | undefined {
  const annotated = iface.shadows.find((s) => names.includes(s.native));
  if (annotated) return annotated.shadow;
  const u = primaryUnit(ctx.analysis);
  if (!u) return undefined;
  for (const n of names) {
    for (const candidate of [`${n}32`, `${n}_32`]) {
      if (u.unit.typedefs.has(candidate) || u.unit.tags.has(candidate)) {
        const r = recordNamed(u, candidate);
        if (r && r.record !== decl) return candidate;
      }
    }
  }
  return undefined;
}
