/**
 * Layout comparisons the thunk generator needs: does a record need
 * translation for 32-bit callers (its x86 and x64 layouts differ), and does
 * an existing shadow `T32`, laid out for x64, reproduce `T`'s x86 layout.
 *
 * NOTE: `needsTranslation` is a local stand-in for the issue-3 analysis
 * (`core/wow64.ts`), written so this module works before that one lands; the
 * two should be unified (same rule: size, or any member's offset, size or bit
 * position, recursively through nested records and arrays of records).
 */

import type { RecordDecl } from '../ast';
import type { FieldLayout, LayoutContext } from '../layout';
import { arrayOf, canonical, recordOf } from './types';

export interface Side {
  ctx: LayoutContext;
  record: RecordDecl;
}

/** One member, flattened: anonymous members are transparent, named nested records are entered (`DeviceName.Buffer`). */
export interface FlatMember {
  path: string;
  offset: number;
  size: number;
  bitOffset?: number;
  bitWidth?: number;
}

const maxDepth = 16;

/** Every member of `record` at every depth, with offsets relative to the outermost record. */
export function flatten(side: Side, options: { nested?: boolean } = {}): FlatMember[] {
  const out: FlatMember[] = [];
  const layout = side.ctx.layoutOf(side.record);
  const visit = (fields: FieldLayout[], prefix: string, base: number, depth: number) => {
    for (const f of fields) {
      if (f.fields) {
        // Anonymous struct/union: its members belong to the parent.
        visit(f.fields, prefix, base, depth);
        continue;
      }
      if (f.name === null) continue; // unnamed bit-field: padding
      const path = prefix + f.name;
      out.push({ path, offset: base + f.offset, size: f.size, bitOffset: f.bitOffset, bitWidth: f.bitWidth });
      if (depth >= maxDepth || options.nested === false) continue;
      const array = arrayOf(f.decl.type);
      const nested = recordOf(array ? innermost(f.decl.type) : f.decl.type);
      if (nested?.fields) {
        const inner = side.ctx.layoutOf(nested);
        visit(inner.fields, `${path}${array ? '[]' : ''}.`, base + f.offset, depth + 1);
        out.push({ path: `${path}${array ? '[]' : ''}.<size>`, offset: 0, size: inner.size });
      }
    }
  };
  visit(layout.fields, '', 0, 0);
  return out;
}

function innermost(type: FieldLayout['decl']['type']) {
  let t = canonical(type);
  while (t.kind === 'array') t = canonical(t.of);
  return t;
}

function key(m: FlatMember): string {
  return `${m.path}@${m.offset}:${m.size}` + (m.bitWidth !== undefined ? `:${m.bitOffset ?? 0}/${m.bitWidth}` : '');
}

/**
 * True when a 32-bit caller's view of the record (x86) differs from the
 * driver's (x64): in size, or in any member's offset, size or bit position,
 * recursively.
 */
export function needsTranslation(peer: Side, native: Side): boolean {
  const a = peer.ctx.layoutOf(peer.record);
  const b = native.ctx.layoutOf(native.record);
  if (a.size !== b.size) return true;
  const fa = flatten(peer).map(key);
  const fb = flatten(native).map(key);
  return fa.length !== fb.length || fa.some((k, i) => k !== fb[i]);
}

export interface ShadowCheck {
  same: boolean;
  /** Human-readable differences, for warnings ("Buffer: offset 8 on x64, 4 expected"). */
  differences: string[];
}

/**
 * Does `shadow` (laid out for the native ABI) reproduce `expected` (the
 * native type laid out for the 32-bit ABI)? `subset` accepts a shadow that
 * omits members (the WDK's `IO_STATUS_BLOCK32` has no `Pointer` alternative):
 * used for well-known shadows from the SDK/WDK, never for the user's own.
 * `nested: false` compares named nested records by offset and size only
 * (their own shadows are checked on their own).
 */
export function checkShadow(expected: Side, shadow: Side, options: { subset?: boolean; nested?: boolean } = {}): ShadowCheck {
  const differences: string[] = [];
  const e = expected.ctx.layoutOf(expected.record);
  const s = shadow.ctx.layoutOf(shadow.record);
  if (e.size !== s.size) differences.push(`size is ${s.size}, ${e.size} expected`);
  if (!options.subset && e.align !== s.align) differences.push(`alignment is ${s.align}, ${e.align} expected`);
  const want = new Map(flatten(expected, options).map((m) => [m.path, m]));
  const have = flatten(shadow, options);
  const seen = new Set<string>();
  for (const m of have) {
    seen.add(m.path);
    const w = want.get(m.path);
    if (!w) {
      if (!m.path.endsWith('.<size>')) differences.push(`${m.path}: not a member of the native type`);
      continue;
    }
    if (key(w) !== key(m)) {
      const what = m.path.endsWith('.<size>') ? `${m.path.slice(0, -7)}: size ${m.size}, ${w.size} expected` : describe(m, w);
      differences.push(what);
    }
  }
  if (!options.subset) {
    for (const w of want.values()) if (!seen.has(w.path) && !w.path.endsWith('.<size>')) differences.push(`${w.path}: missing`);
  }
  return { same: differences.length === 0, differences };
}

function describe(have: FlatMember, want: FlatMember): string {
  const parts: string[] = [];
  if (have.offset !== want.offset) parts.push(`offset ${have.offset}, ${want.offset} expected`);
  if (have.size !== want.size) parts.push(`size ${have.size}, ${want.size} expected`);
  if (have.bitWidth !== want.bitWidth || (have.bitOffset ?? 0) !== (want.bitOffset ?? 0)) {
    parts.push(`bits ${have.bitOffset ?? 0}/${have.bitWidth ?? '-'}, ${want.bitOffset ?? 0}/${want.bitWidth ?? '-'} expected`);
  }
  return `${have.path}: ${parts.join(', ')}`;
}
