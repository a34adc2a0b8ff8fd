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
 * Needs translation: the narrow and wide layouts differ (compare.ts's
 * `compareLayouts`, the one comparison of a record across ABIs).
 *
 * Boundary: types named by `@in/@out/@inout` annotations, types the dispatch
 * code uses as the buffer outside a 32-bit branch, and, deep, records
 * pointed to from boundary records whose pointee needs translation.
 *
 * Shadows: `T32` / `T_32` for any of T's names (typedef or tag), a type
 * named by `@shadow32` on T, or the type a dispatch case uses in its 32-bit
 * branch while using T natively. A shadow is right when its *wide* layout
 * equals T's *narrow* layout, member by member (compare.ts's `compareShadow`,
 * which the thunk generator asks too).
 */

import type { AbiName } from './abi';
import type { AbiUnit } from './analyze';
import type { FieldDecl, RecordDecl, TranslationUnit } from './ast';
import { type ShadowComparison, type TranslationVerdict, compareLayouts, compareShadow as compareShadowLayouts } from './compare';
import type { BufferUse, DispatchCase, DispatchRoutine } from './dispatch';
import { displayName } from './names';
import type { AnnotationSource, IoctlDef } from './ioctl';
import type { LayoutContext } from './layout';
import type { Loc } from './source';
import { type FlatMember, flatMembers, isRecordDecl, isUnaligned, lookupTypeName, recordBehind, valueRecord, withPointers } from './types';
import { append } from './arrays';

export type { Difference, MemberPlace, ShadowComparison, ShadowMismatch, TranslationVerdict } from './compare';

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
    // A C++ record by its qualified name first: `ReadRequest` may name another namespace's.
    const qualified = record.cxx?.qualifiedName;
    if (qualified) {
      const t = unit.tags.get(qualified);
      if (isRecordDecl(t) && t.fields) return t;
    }
    if (record.tag) {
      const t = unit.tags.get(record.tag);
      if (isRecordDecl(t) && t.fields) return t;
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

/** A record of the wide unit by display name (typedef, tag or `struct X`). */
export function recordNamed(side: PairSide, name: string): RecordDecl | undefined {
  const found = lookupTypeName([side.unit, side.fallback], name);
  if (found?.record?.fields) return found.record;
  const tag = side.unit.tags.get(name) ?? side.fallback?.tags.get(name);
  if (isRecordDecl(tag) && tag.fields) return tag;
  return undefined;
}

// ---------------------------------------------------------------------------
// Needs translation

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
  const verdict = narrowRecord && compareLayouts({ layout: pair.narrow.layout, record: narrowRecord }, { layout: pair.wide.layout, record: wideRecord });
  cache.set(wideRecord, verdict ?? null);
  return verdict;
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

/** Compares the shadow's wide layout with the native record's narrow layout, member by member. */
export function compareShadow(pair: Wow64Pair, shadow: Shadow): ShadowComparison | undefined {
  const nativeNarrow = counterpart(shadow.native, pair.narrow);
  if (!nativeNarrow) return undefined;
  return compareShadowLayouts({ layout: pair.narrow.layout, record: nativeNarrow }, { layout: pair.wide.layout, record: shadow.shadow });
}

// ---------------------------------------------------------------------------
// Boundary

export type BoundaryReason =
  | { kind: 'annotation'; ioctl: string; direction: 'in' | 'out' | 'inout'; loc: Loc }
  | { kind: 'dispatch'; ioctl?: string; use: BufferUse; routine: string; path: { routine: DispatchRoutine; dispatchCase: DispatchCase } }
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
        if (r) add(r, { kind: 'dispatch', ioctl: c.labels.find((l) => l.name)?.name, use, routine: routine.name, path: { routine, dispatchCase: c } });
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
      else append(out, pointees(pair, inner, chain + '.', depth + 1));
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
  // An unusable layout's offsets are a guess: nothing is judged misaligned on them.
  if (!l.complete) return out;
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
  // `lookupTypeName` counts the stars written after the name into `pointers`; the type is the name's own.
  const stars = (name.match(/\*/g) ?? []).length;
  const type = withPointers(found.type, stars);
  const t = side.layout.typeInfo(type);
  return { size: t.size, align: t.align };
}
