/**
 * WOW64 judgement: which records a 32-bit caller sees differently from the
 * 64-bit driver, which of them cross the user/kernel boundary, and whether
 * their 32-bit shadows are right.
 *
 * A *pair* is the 64-bit ("wide") unit the driver is built as and the
 * 32-bit ("narrow") unit its WOW64 callers are built as (x64 and x86; arm64
 * and arm32). The two units are parsed separately, so a record is matched
 * across them by tag, else typedef name, else definition location.
 *
 * Needs translation: the narrow and wide layouts differ in size, or in any
 * member's offset or size, recursively through nested records (a `HANDLE`
 * followed by padding on one ABI and not the other counts even when the
 * totals agree). The cause we report is the first member, in declaration
 * order and depth first, whose size differs (`DeviceName.Buffer (PWCH)`),
 * else the first whose offset differs, else the record's size.
 *
 * Boundary: types named by `@in/@out/@inout` annotations, types the dispatch
 * code uses as the buffer outside a 32-bit branch, and, deep, records
 * pointed to from boundary records whose pointee needs translation.
 *
 * Shadows: `T32` / `T_32` for any of T's names (typedef or tag), a type
 * named by `@shadow32` on T, or the type a dispatch case uses in its 32-bit
 * branch while using T natively. A shadow is right when its *wide* layout
 * equals T's *narrow* layout, member by member.
 */

import type { AbiName } from './abi';
import type { AbiUnit } from './analyze';
import type { CType, FieldDecl, RecordDecl, TranslationUnit } from './ast';
import { type BufferUse, type DispatchRoutine, lookupTypeName, recordBehind } from './dispatch';
import { displayName } from './names';
import type { AnnotationSource, IoctlDef } from './ioctl';
import type { FieldLayout, LayoutContext } from './layout';
import type { Loc } from './source';

export interface PairSide {
  unit: TranslationUnit;
  layout: LayoutContext;
  /** The prelude's unit, for names the real unit never declares. */
  fallback?: TranslationUnit;
}

export interface Wow64Pair {
  wideAbi: AbiName;
  narrowAbi: AbiName;
  wide: PairSide;
  narrow: PairSide;
  /** Annotations (`@shadow32`) of the wide unit's comments. */
  annotations?: AnnotationSource;
}

export function pairFromUnits(wide: AbiUnit, narrow: AbiUnit, fallbacks: { wide?: TranslationUnit; narrow?: TranslationUnit } = {}, annotations?: AnnotationSource): Wow64Pair {
  return {
    wideAbi: wide.abi.name,
    narrowAbi: narrow.abi.name,
    wide: { unit: wide.unit, layout: wide.layout, fallback: fallbacks.wide },
    narrow: { unit: narrow.unit, layout: narrow.layout, fallback: fallbacks.narrow },
    annotations,
  };
}

// ---------------------------------------------------------------------------
// Matching records across the pair

const counterpartCache = new WeakMap<RecordDecl, Map<TranslationUnit, RecordDecl | null>>();

/** The same record in another unit of the pair. */
export function counterpart(record: RecordDecl, side: PairSide): RecordDecl | undefined {
  let byUnit = counterpartCache.get(record);
  if (!byUnit) {
    byUnit = new Map();
    counterpartCache.set(record, byUnit);
  }
  const cached = byUnit.get(side.unit);
  if (cached !== undefined) return cached ?? undefined;
  const found = findCounterpart(record, side);
  byUnit.set(side.unit, found ?? null);
  return found;
}

function findCounterpart(record: RecordDecl, side: PairSide): RecordDecl | undefined {
  for (const unit of [side.unit, side.fallback]) {
    if (!unit) continue;
    if (record.tag) {
      const t = unit.tags.get(record.tag);
      if (t && isRecord(t) && t.fields) return t;
    }
    for (const name of record.typedefs) {
      if (name.startsWith('*')) continue;
      const td = unit.typedefs.get(name);
      const behind = td ? recordBehind({ kind: 'typedef', decl: td }) : undefined;
      if (behind && behind.pointers === 0 && behind.record.fields) return behind.record;
    }
  }
  // Anonymous nested records: the same place in the source.
  return side.unit.records.find((r) => r.loc.file === record.loc.file && r.loc.offset === record.loc.offset && r.fields);
}

function isRecord(d: unknown): d is RecordDecl {
  const k = (d as RecordDecl).kind;
  return k === 'struct' || k === 'union';
}

/** A record of the wide unit by display name (typedef, tag or `struct X`). */
export function recordNamed(side: PairSide, name: string): RecordDecl | undefined {
  const found = lookupTypeName([side.unit, side.fallback], name);
  if (found?.record?.fields) return found.record;
  const tag = side.unit.tags.get(name) ?? side.fallback?.tags.get(name);
  if (tag && isRecord(tag) && tag.fields) return tag;
  return undefined;
}

// ---------------------------------------------------------------------------
// Member walk

/** A member with its offset from the outermost record; anonymous members flattened. */
export interface FlatMember {
  /** `Name`, or `Outer.Inner` for members of anonymous records reached through a named one. */
  name: string;
  field: FieldLayout;
  decl: FieldDecl;
  offset: number;
  size: number;
}

/** Members of a layout, anonymous struct/union members flattened into their parent. */
export function flatMembers(fields: readonly FieldLayout[], base = 0, prefix = ''): FlatMember[] {
  const out: FlatMember[] = [];
  for (const f of fields) {
    if (f.name === null && f.fields) {
      out.push(...flatMembers(f.fields, base, prefix));
      continue;
    }
    if (f.name === null) continue; // unnamed bit-field
    out.push({ name: prefix + f.name, field: f, decl: f.decl, offset: base + f.offset, size: f.size });
  }
  return out;
}

/** The record a member holds by value (through typedefs), and the array element count when it is an array of them. */
export function valueRecord(type: CType, depth = 0): RecordDecl | undefined {
  if (depth > 32) return undefined;
  switch (type.kind) {
    case 'typedef':
      return valueRecord(type.decl.type, depth + 1);
    case 'array':
      return valueRecord(type.of, depth + 1);
    case 'record':
      return type.decl.fields ? type.decl : undefined;
    default:
      return undefined;
  }
}

function isArray(type: CType): boolean {
  let t = type;
  for (let i = 0; i < 32 && t.kind === 'typedef'; i++) t = t.decl.type;
  return t.kind === 'array';
}

function isUnaligned(type: CType): boolean {
  let t: CType | undefined = type;
  for (let i = 0; i < 32 && t; i++) {
    if (t.unaligned) return true;
    t = t.kind === 'typedef' ? t.decl.type : t.kind === 'array' ? t.of : undefined;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Needs translation

export interface MemberPlace {
  offset: number;
  size: number;
}

export interface Difference {
  /** `DeviceName.Buffer`, or '' when the record's size alone differs. */
  chain: string;
  /** The member's type as written (`PWCH`). */
  typeText: string;
  what: 'size' | 'offset' | 'members' | 'record-size';
  narrow?: MemberPlace;
  wide?: MemberPlace;
  /** The member's name in the wide unit's source. */
  loc?: Loc;
}

export interface TranslationVerdict {
  needs: boolean;
  narrowSize: number;
  wideSize: number;
  narrowAlign: number;
  wideAlign: number;
  cause?: Difference;
  /** Every leaf member whose size differs (pointers, handles, `*_PTR` ...), depth first; the cause is the first. */
  sizeCauses: Difference[];
}

const verdictCache = new WeakMap<LayoutContext, Map<RecordDecl, TranslationVerdict | null>>();

/** Compares a record's narrow and wide layouts. Undefined when it has no counterpart in the narrow unit. */
export function translationVerdict(pair: Wow64Pair, wideRecord: RecordDecl): TranslationVerdict | undefined {
  let cache = verdictCache.get(pair.wide.layout);
  if (!cache) {
    cache = new Map();
    verdictCache.set(pair.wide.layout, cache);
  }
  const hit = cache.get(wideRecord);
  if (hit !== undefined) return hit ?? undefined;
  const narrowRecord = counterpart(wideRecord, pair.narrow);
  let verdict: TranslationVerdict | undefined;
  if (narrowRecord) {
    const w = pair.wide.layout.layoutOf(wideRecord);
    const n = pair.narrow.layout.layoutOf(narrowRecord);
    const cause = compareMembers(pair, flatMembers(n.fields), flatMembers(w.fields), '', 0) ??
      (n.size !== w.size ? { chain: '', typeText: '', what: 'record-size' as const } : undefined);
    const sizeCauses: Difference[] = [];
    if (cause) collectSizeCauses(pair, flatMembers(n.fields), flatMembers(w.fields), '', sizeCauses, 0);
    // The layouts decide, not the member types: a pointer in a union that other members already
    // pad to the same size leaves every offset and the size equal, and needs no translation.
    const needs = cause !== undefined && !sameLayout(pair, n.size, n.fields, w.size, w.fields, 'struct', 0);
    verdict = { needs, narrowSize: n.size, wideSize: w.size, narrowAlign: n.align, wideAlign: w.align, cause, sizeCauses };
  }
  cache.set(wideRecord, verdict ?? null);
  return verdict;
}

/** The first difference between two member lists of the same record (narrow vs wide), depth first. */
function compareMembers(pair: Wow64Pair, narrow: FlatMember[], wide: FlatMember[], prefix: string, depth: number): Difference | undefined {
  if (narrow.length !== wide.length) {
    const names = new Set(narrow.map((m) => m.name));
    const extra = wide.find((m) => !names.has(m.name));
    const wnames = new Set(wide.map((m) => m.name));
    const missing = narrow.find((m) => !wnames.has(m.name));
    const m = extra ?? missing;
    return { chain: prefix + (m?.name ?? ''), typeText: m?.decl.typeText ?? '', what: 'members', loc: extra?.decl.nameLoc };
  }
  let offsetDiff: Difference | undefined;
  for (let i = 0; i < wide.length; i++) {
    const n = narrow[i];
    const w = wide[i];
    const chain = prefix + w.name;
    if (n.size !== w.size) {
      // Descend into a nested record to name the member that causes it.
      const inner = depth < 8 ? nestedDifference(pair, n, w, chain, depth) : undefined;
      return inner ?? { chain, typeText: w.decl.typeText, what: 'size', narrow: place(n), wide: place(w), loc: w.decl.nameLoc };
    }
    if (n.offset !== w.offset && !offsetDiff) offsetDiff = { chain, typeText: w.decl.typeText, what: 'offset', narrow: place(n), wide: place(w), loc: w.decl.nameLoc };
    if (n.field.bitOffset !== w.field.bitOffset && !offsetDiff) offsetDiff = { chain, typeText: w.decl.typeText, what: 'offset', narrow: place(n), wide: place(w), loc: w.decl.nameLoc };
    if (!offsetDiff && depth < 8) {
      const inner = nestedDifference(pair, n, w, chain, depth);
      if (inner) return inner;
    }
  }
  return offsetDiff;
}

/** All leaf members whose size differs between the two layouts (same member lists only). */
function collectSizeCauses(pair: Wow64Pair, narrow: FlatMember[], wide: FlatMember[], prefix: string, out: Difference[], depth: number): void {
  if (narrow.length !== wide.length || depth > 8) return;
  for (let i = 0; i < wide.length; i++) {
    const n = narrow[i];
    const w = wide[i];
    const wr = valueRecord(w.decl.type);
    const nr = valueRecord(n.decl.type);
    if (wr && nr) {
      const before = out.length;
      const sep = isArray(w.decl.type) ? '[0].' : '.';
      collectSizeCauses(pair, flatMembers(pair.narrow.layout.layoutOf(nr).fields), flatMembers(pair.wide.layout.layoutOf(wr).fields), prefix + w.name + sep, out, depth + 1);
      if (out.length > before || n.size === w.size) continue;
    }
    if (n.size !== w.size) out.push({ chain: prefix + w.name, typeText: w.decl.typeText, what: 'size', narrow: place(n), wide: place(w), loc: w.decl.nameLoc });
  }
}

/**
 * Do two layouts of one record read alike? The same size, every member at
 * the same offset (and bit position) with the same size, recursively
 * through records held by value; in a union, an alternative that is not a
 * record may differ in size as long as the union's size does not (the
 * 32-bit caller writes its low bytes of a slot both ABIs place alike).
 */
function sameLayout(pair: Wow64Pair, narrowSize: number, narrow: readonly FieldLayout[], wideSize: number, wide: readonly FieldLayout[], kind: 'struct' | 'union', depth: number): boolean {
  if (narrowSize !== wideSize || narrow.length !== wide.length || depth > 8) return false;
  for (let i = 0; i < wide.length; i++) {
    const n = narrow[i];
    const w = wide[i];
    if (n.offset !== w.offset || n.bitOffset !== w.bitOffset || n.bitWidth !== w.bitWidth) return false;
    if (n.fields && w.fields) {
      // An anonymous struct or union member: its members, in its own kind.
      const inner = valueRecord(w.decl.type)?.kind === 'union' ? 'union' : 'struct';
      if (!sameLayout(pair, n.size, n.fields, w.size, w.fields, inner, depth + 1)) return false;
      continue;
    }
    const nr = valueRecord(n.decl.type);
    const wr = valueRecord(w.decl.type);
    if (nr && wr) {
      if (n.size !== w.size) return false;
      const nl = pair.narrow.layout.layoutOf(nr);
      const wl = pair.wide.layout.layoutOf(wr);
      if (!sameLayout(pair, nl.size, nl.fields, wl.size, wl.fields, wr.kind === 'union' ? 'union' : 'struct', depth + 1)) return false;
      continue;
    }
    if (n.size !== w.size && kind !== 'union') return false;
  }
  return true;
}

function place(m: FlatMember): MemberPlace {
  return { offset: m.offset, size: m.size };
}

function nestedDifference(pair: Wow64Pair, n: FlatMember, w: FlatMember, chain: string, depth: number): Difference | undefined {
  const wr = valueRecord(w.decl.type);
  const nr = valueRecord(n.decl.type);
  if (!wr || !nr) return undefined;
  const wl = pair.wide.layout.layoutOf(wr);
  const nl = pair.narrow.layout.layoutOf(nr);
  const sep = isArray(w.decl.type) ? '[0].' : '.';
  const inner = compareMembers(pair, flatMembers(nl.fields), flatMembers(wl.fields), chain + sep, depth + 1);
  if (inner && isArray(w.decl.type) && inner.what !== 'size') return inner;
  return inner;
}

// ---------------------------------------------------------------------------
// Shadows

export interface Shadow {
  native: RecordDecl;
  shadow: RecordDecl;
  via: 'name' | 'annotation' | 'dispatch';
  /** Where the `@shadow32` annotation or the 32-bit-branch use is. */
  evidence?: Loc;
}

/** Names a shadow of `record` may have: `T32`, `T_32` for its tag and typedef names. */
export function shadowNames(record: RecordDecl): string[] {
  const names = [record.tag, ...record.typedefs.filter((t) => !t.startsWith('*'))].filter((n): n is string => !!n);
  const out: string[] = [];
  for (const n of names) out.push(n + '32', n + '_32');
  return out;
}

/** The shadow of a wide record, if it has one (by annotation or by name). */
export function findShadow(pair: Wow64Pair, record: RecordDecl): Shadow | undefined {
  const anns = pair.annotations?.annotationsAt(record.loc.file, record.loc.line) ?? [];
  for (const a of anns) {
    if (a.tag !== 'shadow32') continue;
    const s = recordNamed(pair.wide, a.args[0]);
    if (s && s !== record) return { native: record, shadow: s, via: 'annotation', evidence: a.loc };
  }
  for (const name of shadowNames(record)) {
    const s = recordNamed(pair.wide, name);
    if (s && s !== record && plausibleShadow(record, s)) return { native: record, shadow: s, via: 'name' };
  }
  return undefined;
}

/**
 * A name alone (`T32`) is weak evidence (`MODULEENTRY32` is Toolhelp's
 * Win32 struct, not a WOW64 view of `MODULEENTRY`): a shadow found by name
 * must share at least half of the members of the larger of the two.
 */
function plausibleShadow(native: RecordDecl, shadow: RecordDecl): boolean {
  const names = (r: RecordDecl): string[] => {
    const out: string[] = [];
    const visit = (fields: readonly FieldDecl[] | undefined, depth: number) => {
      for (const f of fields ?? []) {
        if (f.name) out.push(f.name);
        else if (depth < 4) visit(valueRecord(f.type)?.fields, depth + 1);
      }
    };
    visit(r.fields, 0);
    return out;
  };
  const n = names(native);
  const s = new Set(names(shadow));
  if (n.length === 0) return s.size === 0;
  return n.filter((x) => s.has(x)).length * 2 >= Math.max(n.length, s.size);
}

/** Is this wide record the shadow of another record (by name or annotation)? */
export function isShadowRecord(pair: Wow64Pair, record: RecordDecl): boolean {
  const names = [record.tag, ...record.typedefs.filter((t) => !t.startsWith('*'))].filter((n): n is string => !!n);
  for (const n of names) {
    const m = /^(.*?)_?32$/.exec(n);
    if (m && m[1] && recordNamed(pair.wide, m[1]) && recordNamed(pair.wide, m[1]) !== record) return true;
  }
  return false;
}

export interface ShadowMismatch {
  member: string;
  what: 'missing' | 'extra' | 'offset' | 'size' | 'record-size';
  /** The native member on the narrow ABI. */
  native?: MemberPlace;
  /** The shadow member on the wide ABI. */
  shadow?: MemberPlace;
  typeText?: string;
  loc?: Loc;
}

export interface ShadowComparison {
  nativeSize: number;
  shadowSize: number;
  mismatches: ShadowMismatch[];
}

/** Compares the shadow's wide layout with the native record's narrow layout, member by member. */
export function compareShadow(pair: Wow64Pair, shadow: Shadow): ShadowComparison | undefined {
  const nativeNarrow = counterpart(shadow.native, pair.narrow);
  if (!nativeNarrow) return undefined;
  const n = pair.narrow.layout.layoutOf(nativeNarrow);
  const s = pair.wide.layout.layoutOf(shadow.shadow);
  const mismatches: ShadowMismatch[] = [];
  compareShadowMembers(pair, flatMembers(n.fields), flatMembers(s.fields), '', mismatches, 0);
  if (n.size !== s.size) mismatches.push({ member: '', what: 'record-size', native: { offset: 0, size: n.size }, shadow: { offset: 0, size: s.size } });
  return { nativeSize: n.size, shadowSize: s.size, mismatches };
}

function compareShadowMembers(pair: Wow64Pair, native: FlatMember[], shadow: FlatMember[], prefix: string, out: ShadowMismatch[], depth: number): void {
  const byName = new Map(shadow.map((m) => [m.name, m]));
  const nativeNames = new Set(native.map((m) => m.name));
  // Renamed members (same count, different names) are paired by position.
  const positional = native.length === shadow.length && native.some((m) => !byName.has(m.name));
  // Alternatives of an anonymous union (`union { NTSTATUS Status; PVOID Pointer; }`) need only one counterpart.
  const matched: FlatMember[] = native.filter((nm, i) => (positional && !byName.has(nm.name) ? shadow[i] : byName.get(nm.name)));
  const overlapsMatched = (nm: FlatMember) => matched.some((m) => m !== nm && m.offset <= nm.offset && nm.offset + nm.size <= m.offset + Math.max(m.size, pair.narrow.layout.abi.pointer.size));
  native.forEach((nm, i) => {
    const sm = positional && !byName.has(nm.name) ? shadow[i] : byName.get(nm.name);
    if (!sm) {
      if (!overlapsMatched(nm)) out.push({ member: prefix + nm.name, what: 'missing', native: place(nm), typeText: nm.decl.typeText });
      return;
    }
    if (nm.offset !== sm.offset) {
      out.push({ member: prefix + nm.name, what: 'offset', native: place(nm), shadow: place(sm), typeText: sm.decl.typeText, loc: sm.decl.nameLoc });
      return;
    }
    if (nm.size !== sm.size) {
      out.push({ member: prefix + nm.name, what: 'size', native: place(nm), shadow: place(sm), typeText: sm.decl.typeText, loc: sm.decl.nameLoc });
      return;
    }
    // Same place and size: nested records must agree inside too.
    const nr = valueRecord(nm.decl.type);
    const sr = valueRecord(sm.decl.type);
    if (nr && sr && depth < 6) {
      const nl = pair.narrow.layout.layoutOf(nr);
      const sl = pair.wide.layout.layoutOf(sr);
      const before = out.length;
      compareShadowMembers(pair, flatMembers(nl.fields), flatMembers(sl.fields), prefix + nm.name + (isArray(nm.decl.type) ? '[0].' : '.'), out, depth + 1);
      for (let k = before; k < out.length; k++) out[k].loc ??= sm.decl.nameLoc;
    }
  });
  if (!positional) {
    for (const sm of shadow) {
      if (!nativeNames.has(sm.name)) out.push({ member: prefix + sm.name, what: 'extra', shadow: place(sm), typeText: sm.decl.typeText, loc: sm.decl.nameLoc });
    }
  }
}

// ---------------------------------------------------------------------------
// Boundary

export type BoundaryReason =
  | { kind: 'annotation'; ioctl: string; direction: 'in' | 'out' | 'inout'; loc: Loc }
  | { kind: 'dispatch'; ioctl?: string; use: BufferUse; routine: string }
  | { kind: 'pointee'; from: string; member: string; loc: Loc };

export interface BoundaryType {
  record: RecordDecl;
  name: string;
  reasons: BoundaryReason[];
}

/** The records that cross the user/kernel boundary, in discovery order. */
export function boundaryTypes(pair: Wow64Pair, ioctls: readonly IoctlDef[], routines: readonly DispatchRoutine[]): BoundaryType[] {
  const byRecord = new Map<RecordDecl, BoundaryType>();
  const add = (record: RecordDecl, reason: BoundaryReason): boolean => {
    const existing = byRecord.get(record);
    if (existing) {
      existing.reasons.push(reason);
      return false;
    }
    byRecord.set(record, { record, name: displayName(record) ?? '<anonymous>', reasons: [reason] });
    return true;
  };
  for (const d of ioctls) {
    for (const b of d.buffers) {
      const r = recordNamed(pair.wide, b.type);
      if (r) add(r, { kind: 'annotation', ioctl: d.name, direction: b.direction, loc: b.loc });
    }
  }
  for (const routine of routines) {
    for (const c of routine.cases) {
      for (const use of c.uses) {
        if (use.guard === 'wow64' || !use.record || use.kind === 'probe') continue;
        const r = recordNamed(pair.wide, use.record);
        if (r) add(r, { kind: 'dispatch', ioctl: c.labels.find((l) => l.name)?.name, use, routine: routine.name });
      }
    }
  }
  // Deep: pointees of boundary records that need translation themselves.
  const queue = [...byRecord.keys()];
  const seen = new Set<RecordDecl>(queue);
  while (queue.length) {
    const record = queue.shift()!;
    for (const p of pointees(pair, record)) {
      if (seen.has(p.record)) {
        if (byRecord.has(p.record)) continue;
      }
      seen.add(p.record);
      const verdict = translationVerdict(pair, p.record);
      if (!verdict?.needs) continue;
      if (add(p.record, { kind: 'pointee', from: displayName(record) ?? '', member: p.chain, loc: p.loc })) queue.push(p.record);
    }
  }
  return [...byRecord.values()];
}

/** Records reached through pointer members of a record (and of records it holds by value). */
export function pointees(pair: Wow64Pair, record: RecordDecl, prefix = '', depth = 0): { record: RecordDecl; chain: string; loc: Loc }[] {
  const out: { record: RecordDecl; chain: string; loc: Loc }[] = [];
  if (depth > 6 || !record.fields) return out;
  const visit = (fields: readonly FieldDecl[], pre: string) => {
    for (const f of fields) {
      const behind = recordBehind(f.type);
      const chain = pre + (f.name ?? '');
      if (behind && behind.pointers > 0 && behind.record.fields) {
        out.push({ record: behind.record, chain, loc: f.nameLoc });
        continue;
      }
      const inner = valueRecord(f.type);
      if (!inner) continue;
      if (!f.name) visit(inner.fields ?? [], pre);
      else out.push(...pointees(pair, inner, chain + '.', depth + 1));
    }
  };
  visit(record.fields, prefix);
  return out;
}

// ---------------------------------------------------------------------------
// Alignment

/** Members whose offset is not a multiple of their natural alignment on the given layout context. */
export function misalignedMembers(layout: LayoutContext, record: RecordDecl): { member: FlatMember; align: number }[] {
  const out: { member: FlatMember; align: number }[] = [];
  const l = layout.layoutOf(record);
  let previousUnit = -1;
  for (const m of flatMembers(l.fields)) {
    if (m.field.bitWidth !== undefined) {
      // Report a bit-field storage unit once.
      if (m.offset === previousUnit) continue;
      previousUnit = m.offset;
    }
    if (isUnaligned(m.decl.type)) continue;
    const natural = layout.typeInfo(m.decl.type).align;
    if (natural > 1 && m.offset % natural !== 0) out.push({ member: m, align: natural });
  }
  return out;
}

/** Size and alignment of a written type name on one side of the pair. */
export function typeInfoByName(side: PairSide, name: string): { size: number; align: number } | undefined {
  const found = lookupTypeName([side.unit, side.fallback], name);
  if (!found?.type) return undefined;
  // `lookupTypeName` gives the base type; stars written after it make pointers.
  let type: CType = found.type;
  const stars = (name.match(/\*/g) ?? []).length;
  for (let i = 0; i < stars; i++) type = { kind: 'pointer', to: type };
  const t = side.layout.typeInfo(type);
  return { size: t.size, align: t.align };
}
