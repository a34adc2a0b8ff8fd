/**
 * Records compared across ABIs, in one place:
 *
 * - one record on two ABIs (`compareLayouts`): does a 32-bit caller see it
 *   differently from the 64-bit driver? The rule: the sizes differ, or any
 *   member's offset, size or bit position, recursively through records held
 *   by value (a `HANDLE` followed by padding on one ABI and not the other
 *   counts even when the totals agree). The cause reported is the first
 *   member, in declaration order and depth first, whose size differs
 *   (`DeviceName.Buffer (PWCH)`), else the first whose offset differs, else
 *   the record's size. `unthunked-pointer`, the boundary analysis, the thunk
 *   generator and the editor's record facts all take this verdict.
 * - a 32-bit shadow against its native record (`compareShadow`): does the
 *   shadow, laid out for the driver's ABI, reproduce the native record's
 *   layout for the 32-bit caller, member by member and by name (the
 *   generated routines copy members by name, so a renamed member is a
 *   missing one plus an extra one)? Alternatives of an anonymous union
 *   need only one counterpart. `stale-shadow`, the thunk generator (is an
 *   existing shadow usable, or replaced?) and its self-check take this one.
 *
 * Invariant: plain functions over two layout contexts; nothing here knows
 * which pair of ABIs it is given, how records were matched across units, or
 * how a difference is worded for a user beyond the thunk's short notes.
 */

import type { AbiName } from './abi';
import type { FieldDecl, RecordDecl } from './ast';
import type { FieldLayout, LayoutContext, RecordLayout } from './layout';
import type { Loc } from './source';
import { type FlatMember, flatMembers, isArray, recordOf, valueRecord } from './types';

/** A record as one ABI's layout context sees it. */
export interface Side {
  layout: LayoutContext;
  record: RecordDecl;
}

/** Where a member is on one ABI. */
export interface MemberPlace {
  offset: number;
  size: number;
  bitOffset?: number;
  bitWidth?: number;
}

function place(m: FlatMember): MemberPlace {
  const p: MemberPlace = { offset: m.offset, size: m.size };
  if (m.field.bitWidth !== undefined) {
    p.bitOffset = m.field.bitOffset ?? 0;
    p.bitWidth = m.field.bitWidth;
  }
  return p;
}

/** A member's place on one ABI with its alignment and the padding after it: a row of a hover's or the layout view's per-ABI table. */
export interface MemberPlacement extends MemberPlace {
  abi: AbiName;
  align: number;
  paddingAfter: number;
}

/** `f`'s placement on `abi` (bit position and width only for a bit-field). */
export function placementOn(abi: AbiName, f: FieldLayout): MemberPlacement {
  const p: MemberPlacement = { abi, offset: f.offset, size: f.size, align: f.align, paddingAfter: f.paddingAfter };
  if (f.bitWidth !== undefined) {
    p.bitOffset = f.bitOffset ?? 0;
    p.bitWidth = f.bitWidth;
  }
  return p;
}

/** How deep records held by value are entered. */
const maxDepth = 8;

/** The prefix of the members of a record held by value (`Name.` or, for an array of them, `Name[0].`). */
function nestedPrefix(chain: string, decl: FieldDecl): string {
  return chain + (isArray(decl.type) ? '[0].' : '.');
}

// ---------------------------------------------------------------------------
// One record on two ABIs

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
  /**
   * Why the record cannot be judged: its layout is unusable on one of the
   * ABIs (layout.ts's `problem`, already reported there). `needs` is then
   * false and nothing else is compared: no finding stands on a wrong number.
   */
  unusable?: string;
}

/** Why either side's layout is unusable, if one is. */
function unusableSide(...layouts: RecordLayout[]): string | undefined {
  const broken = layouts.find((l) => !l.complete);
  return broken && (broken.problem ?? 'its layout could not be computed');
}

/** Compares a record's narrow (32-bit caller's) and wide (driver's) layouts. */
export function compareLayouts(narrow: Side, wide: Side): TranslationVerdict {
  const n = narrow.layout.layoutOf(narrow.record);
  const w = wide.layout.layoutOf(wide.record);
  const unusable = unusableSide(n, w);
  if (unusable) return { needs: false, narrowSize: n.size, wideSize: w.size, narrowAlign: n.align, wideAlign: w.align, sizeCauses: [], unusable };
  const nm = flatMembers(n.fields);
  const wm = flatMembers(w.fields);
  const cause = firstDifference(narrow.layout, wide.layout, nm, wm, '', 0) ?? (n.size !== w.size ? { chain: '', typeText: '', what: 'record-size' as const } : undefined);
  const sizeCauses: Difference[] = [];
  if (cause) collectSizeCauses(narrow.layout, wide.layout, nm, wm, '', sizeCauses, 0);
  // The layouts decide, not the member types: a pointer in a union that other members already
  // pad to the same size leaves every offset and the size equal, and needs no translation.
  const needs = cause !== undefined && n.size !== w.size || !sameLayout(narrow.layout, wide.layout, n.size, n.fields, w.size, w.fields, wide.record.kind === 'union', 0);
  return { needs, narrowSize: n.size, wideSize: w.size, narrowAlign: n.align, wideAlign: w.align, cause, sizeCauses };
}

/**
 * Do two layouts of one record read alike? The same size, every member at
 * the same offset (and bit position) with the same size, recursively
 * through records held by value. Inside a union the slot's size is what
 * counts: an alternative, or a member of a record that is one (`union {
 * struct { HANDLE Handle; } Token; LARGE_INTEGER Offset; }`), may differ
 * in size as long as every offset and the union's size agree (the 32-bit
 * caller writes its low bytes of a slot both ABIs place alike); an array
 * whose elements differ in size never reads alike (its elements move).
 */
function sameLayout(
  nl: LayoutContext,
  wl: LayoutContext,
  narrowSize: number,
  narrow: readonly FieldLayout[],
  wideSize: number,
  wide: readonly FieldLayout[],
  inUnion: boolean,
  depth: number,
): boolean {
  if ((narrowSize !== wideSize && !inUnion) || narrow.length !== wide.length || depth > maxDepth) return false;
  for (let i = 0; i < wide.length; i++) {
    const n = narrow[i];
    const w = wide[i];
    if (n.offset !== w.offset || n.bitOffset !== w.bitOffset || n.bitWidth !== w.bitWidth) return false;
    if (n.fields && w.fields) {
      // An anonymous struct or union member: its members, a union's as alternatives.
      const inner = inUnion || recordOf(w.decl.type)?.kind === 'union';
      if (!sameLayout(nl, wl, n.size, n.fields, w.size, w.fields, inner, depth + 1)) return false;
      continue;
    }
    if (n.size !== w.size && (!inUnion || isArray(w.decl.type))) return false;
    const nr = valueRecord(n.decl.type);
    const wr = valueRecord(w.decl.type);
    if (nr && wr) {
      const nrl = nl.layoutOf(nr);
      const wrl = wl.layoutOf(wr);
      if (!sameLayout(nl, wl, nrl.size, nrl.fields, wrl.size, wrl.fields, inUnion || wr.kind === 'union', depth + 1)) return false;
    }
  }
  return true;
}

/** The first difference between two member lists of the same record (narrow vs wide), depth first. */
function firstDifference(nl: LayoutContext, wl: LayoutContext, narrow: FlatMember[], wide: FlatMember[], prefix: string, depth: number): Difference | undefined {
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
    const here = (what: 'size' | 'offset'): Difference => ({ chain, typeText: w.decl.typeText, what, narrow: place(n), wide: place(w), loc: w.decl.nameLoc });
    if (n.size !== w.size) {
      // Descend into a record held by value to name the member that causes it.
      return (depth < maxDepth ? nestedDifference(nl, wl, n, w, chain, depth) : undefined) ?? here('size');
    }
    if (!offsetDiff && (n.offset !== w.offset || n.field.bitOffset !== w.field.bitOffset)) offsetDiff = here('offset');
    if (!offsetDiff && depth < maxDepth) {
      const inner = nestedDifference(nl, wl, n, w, chain, depth);
      if (inner) return inner;
    }
  }
  return offsetDiff;
}

function nestedDifference(nl: LayoutContext, wl: LayoutContext, n: FlatMember, w: FlatMember, chain: string, depth: number): Difference | undefined {
  const wr = valueRecord(w.decl.type);
  const nr = valueRecord(n.decl.type);
  if (!wr || !nr) return undefined;
  return firstDifference(nl, wl, flatMembers(nl.layoutOf(nr).fields), flatMembers(wl.layoutOf(wr).fields), nestedPrefix(chain, w.decl), depth + 1);
}

/** All leaf members whose size differs between the two layouts (same member lists only). */
function collectSizeCauses(nl: LayoutContext, wl: LayoutContext, narrow: FlatMember[], wide: FlatMember[], prefix: string, out: Difference[], depth: number): void {
  if (narrow.length !== wide.length || depth > maxDepth) return;
  for (let i = 0; i < wide.length; i++) {
    const n = narrow[i];
    const w = wide[i];
    const wr = valueRecord(w.decl.type);
    const nr = valueRecord(n.decl.type);
    if (wr && nr) {
      const before = out.length;
      collectSizeCauses(nl, wl, flatMembers(nl.layoutOf(nr).fields), flatMembers(wl.layoutOf(wr).fields), nestedPrefix(prefix + w.name, w.decl), out, depth + 1);
      if (out.length > before || n.size === w.size) continue;
    }
    if (n.size !== w.size) out.push({ chain: prefix + w.name, typeText: w.decl.typeText, what: 'size', narrow: place(n), wide: place(w), loc: w.decl.nameLoc });
  }
}

// ---------------------------------------------------------------------------
// A shadow against its native record

export interface ShadowMismatch {
  /** The member's path (`Name.Buffer`); '' for the record itself. */
  member: string;
  /**
   * `missing`: a native member the shadow lacks; `extra`: a shadow member
   * the native type lacks; `offset`/`size`/`bits`: the member is elsewhere
   * (the first of these that differs; `native` and `shadow` tell all);
   * `record-size`, `align`: the record's own.
   */
  what: 'missing' | 'extra' | 'offset' | 'size' | 'bits' | 'record-size' | 'align';
  /** The native member on the 32-bit ABI. */
  native?: MemberPlace;
  /** The shadow member on the driver's ABI. */
  shadow?: MemberPlace;
  typeText?: string;
  /** Where the shadow's member is (for `extra` and differing members). */
  loc?: Loc;
}

export interface ShadowComparison {
  same: boolean;
  nativeSize: number;
  shadowSize: number;
  nativeAlign: number;
  shadowAlign: number;
  /** Members in the native record's order (then extras), the record's size and alignment last. */
  mismatches: ShadowMismatch[];
  /** Why the two cannot be compared (a layout is unusable): `same` is false and `mismatches` empty. */
  unusable?: string;
}

export interface ShadowOptions {
  /**
   * Accept a shadow that omits members and has another alignment (the
   * WDK's `IO_STATUS_BLOCK32` has no `Pointer` alternative): for
   * well-known SDK/WDK shadows, never for the user's own.
   */
  subset?: boolean;
  /** `false`: records held by value are compared by place and size only (their own shadows are checked on their own). */
  nested?: boolean;
}

/**
 * Does `shadow` (laid out for the driver's ABI) reproduce `expected` (the
 * native record laid out for the 32-bit caller's ABI)?
 */
export function compareShadow(expected: Side, shadow: Side, options: ShadowOptions = {}): ShadowComparison {
  const e = expected.layout.layoutOf(expected.record);
  const s = shadow.layout.layoutOf(shadow.record);
  const unusable = unusableSide(e, s);
  if (unusable) return { same: false, nativeSize: e.size, shadowSize: s.size, nativeAlign: e.align, shadowAlign: s.align, mismatches: [], unusable };
  const mismatches: ShadowMismatch[] = [];
  compareShadowMembers(expected.layout, shadow.layout, flatMembers(e.fields), flatMembers(s.fields), '', mismatches, 0, options);
  if (e.size !== s.size) mismatches.push({ member: '', what: 'record-size', native: { offset: 0, size: e.size }, shadow: { offset: 0, size: s.size } });
  if (!options.subset && e.align !== s.align) mismatches.push({ member: '', what: 'align', native: { offset: 0, size: e.align }, shadow: { offset: 0, size: s.align } });
  return { same: mismatches.length === 0, nativeSize: e.size, shadowSize: s.size, nativeAlign: e.align, shadowAlign: s.align, mismatches };
}

function compareShadowMembers(
  el: LayoutContext,
  sl: LayoutContext,
  native: FlatMember[],
  shadow: FlatMember[],
  prefix: string,
  out: ShadowMismatch[],
  depth: number,
  options: ShadowOptions,
): void {
  const byName = new Map(shadow.map((m) => [m.name, m]));
  const nativeNames = new Set(native.map((m) => m.name));
  // Alternatives of an anonymous union (`union { NTSTATUS Status; PVOID Pointer; }`) need only one counterpart:
  // a native member the shadow lacks is no mismatch when the bytes of a member it has cover it.
  const matched = native.filter((m) => byName.has(m.name));
  const coveredByMatched = (nm: FlatMember) =>
    matched.some((m) => m !== nm && m.offset <= nm.offset && nm.offset + nm.size <= m.offset + Math.max(m.size, el.abi.pointer.size));
  for (const nm of native) {
    const sm = byName.get(nm.name);
    const member = prefix + nm.name;
    if (!sm) {
      if (!options.subset && !coveredByMatched(nm)) out.push({ member, what: 'missing', native: place(nm), typeText: nm.decl.typeText });
      continue;
    }
    const np = place(nm);
    const sp = place(sm);
    const what = np.offset !== sp.offset ? 'offset' : np.size !== sp.size ? 'size' : np.bitOffset !== sp.bitOffset || np.bitWidth !== sp.bitWidth ? 'bits' : undefined;
    if (what) {
      out.push({ member, what, native: np, shadow: sp, typeText: sm.decl.typeText, loc: sm.decl.nameLoc });
      continue;
    }
    // Same place and size: records held by value must agree inside too.
    const nr = valueRecord(nm.decl.type);
    const sr = valueRecord(sm.decl.type);
    if (nr && sr && depth < maxDepth && options.nested !== false) {
      const before = out.length;
      compareShadowMembers(el, sl, flatMembers(el.layoutOf(nr).fields), flatMembers(sl.layoutOf(sr).fields), nestedPrefix(member, nm.decl), out, depth + 1, options);
      for (let k = before; k < out.length; k++) out[k].loc ??= sm.decl.nameLoc;
    }
  }
  for (const sm of shadow) {
    if (!nativeNames.has(sm.name)) out.push({ member: prefix + sm.name, what: 'extra', shadow: place(sm), typeText: sm.decl.typeText, loc: sm.decl.nameLoc });
  }
}

/**
 * Short notes on a comparison, for the thunk generator's warnings and
 * comments: `size is 8, 12 expected`, `Buffer: offset 4, 8 expected`,
 * `Context: missing` (the record first, then members in the shadow's
 * order, then what it lacks).
 */
export function shadowDifferences(c: ShadowComparison): string[] {
  if (c.unusable) return [`no usable layout: ${c.unusable}`];
  const record: string[] = [];
  const members: { at: number; text: string }[] = [];
  const missing: string[] = [];
  for (const m of c.mismatches) {
    switch (m.what) {
      case 'record-size':
        record.unshift(`size is ${c.shadowSize}, ${c.nativeSize} expected`);
        break;
      case 'align':
        record.push(`alignment is ${c.shadowAlign}, ${c.nativeAlign} expected`);
        break;
      case 'missing':
        missing.push(`${m.member}: missing`);
        break;
      case 'extra':
        members.push({ at: m.shadow!.offset, text: `${m.member}: not a member of the native type` });
        break;
      default: {
        const have = m.shadow!;
        const want = m.native!;
        const parts: string[] = [];
        if (have.offset !== want.offset) parts.push(`offset ${have.offset}, ${want.offset} expected`);
        if (have.size !== want.size) parts.push(`size ${have.size}, ${want.size} expected`);
        if (have.bitWidth !== want.bitWidth || (have.bitOffset ?? 0) !== (want.bitOffset ?? 0)) {
          parts.push(`bits ${have.bitOffset ?? 0}/${have.bitWidth ?? '-'}, ${want.bitOffset ?? 0}/${want.bitWidth ?? '-'} expected`);
        }
        members.push({ at: have.offset, text: `${m.member}: ${parts.join(', ')}` });
      }
    }
  }
  members.sort((a, b) => a.at - b.at);
  return [...record, ...members.map((m) => m.text), ...missing];
}
