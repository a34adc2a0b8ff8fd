/**
 * Type names as the dispatch analysis meets them (`PFOO`, `FOO *`,
 * `struct _FOO`), looked up in a translation unit and its prelude: the
 * record a name names or points to, and through how many pointers.
 */

import type { CType, RecordDecl, TranslationUnit } from '../ast';
import { displayName } from '../names';

/** Resolves type names for the scanner; the real one reads a translation unit. */
export interface TypeResolver {
  /** A name that can start a declaration (typedef name or keyword). */
  isTypeName(name: string): boolean;
  /** For a type name: the record it names or points to and how many pointers lead there. */
  recordOf(typeName: string): { record: string; pointers: number } | undefined;
}

/** Splits `struct _FOO * *` into the base name and the number of stars. */
export function splitStars(text: string): { base: string; stars: number } {
  let stars = 0;
  let base = text.replace(/\b(const|volatile)\b/g, '').trim();
  while (base.endsWith('*')) {
    stars++;
    base = base.slice(0, -1).trim();
  }
  return { base: base.replace(/\s+/g, ' '), stars };
}

/** Follows typedefs and pointers: the record a type names or points to, and how many pointers lead there. */
export function recordBehind(type: CType, pointers = 0, depth = 0): { record: RecordDecl; pointers: number } | undefined {
  if (depth > 32) return undefined;
  switch (type.kind) {
    case 'typedef':
      return recordBehind(type.decl.type, pointers, depth + 1);
    case 'pointer':
      return recordBehind(type.to, pointers + 1, depth + 1);
    case 'record':
      return { record: type.decl, pointers };
    default:
      return undefined;
  }
}

/** Looks a written type name (`PFOO`, `FOO *`, `struct _FOO`) up in a unit (and its prelude fallback). */
export function lookupTypeName(
  units: readonly (TranslationUnit | undefined)[],
  written: string,
): { type?: CType; record?: RecordDecl; pointers: number } | undefined {
  const { base, stars } = splitStars(written);
  const tagMatch = /^(struct|union|enum)\s+(\w+)$/.exec(base);
  for (const unit of units) {
    if (!unit) continue;
    if (tagMatch) {
      const decl = unit.tags.get(tagMatch[2]);
      if (!decl) continue;
      if ('kind' in decl && (decl.kind === 'struct' || decl.kind === 'union')) {
        const rec = decl as RecordDecl;
        return { type: { kind: 'record', decl: rec }, record: rec, pointers: stars };
      }
      return { pointers: stars };
    }
    const td = unit.typedefs.get(base);
    if (!td) continue;
    const type: CType = { kind: 'typedef', decl: td };
    const behind = recordBehind(type);
    return { type, record: behind?.record, pointers: (behind?.pointers ?? 0) + stars };
  }
  return undefined;
}

export function paramTypeName(type: CType): string | undefined {
  if (type.kind === 'typedef') return type.decl.name;
  if (type.kind === 'pointer') {
    const inner = paramTypeName(type.to);
    return inner ? inner + ' *' : undefined;
  }
  if (type.kind === 'record') return type.decl.tag ? `${type.decl.kind} ${type.decl.tag}` : undefined;
  return undefined;
}

const resolvers = new WeakMap<TranslationUnit, Map<TranslationUnit | undefined, TypeResolver>>();

/** The resolver of a real translation unit (names it lacks are looked up in the prelude's), memoised per unit. */
export function unitTypes(unit: TranslationUnit, fallback?: TranslationUnit): TypeResolver {
  let byFallback = resolvers.get(unit);
  if (!byFallback) resolvers.set(unit, (byFallback = new Map()));
  const hit = byFallback.get(fallback);
  if (hit) return hit;
  const cache = new Map<string, { record: string; pointers: number } | undefined>();
  const resolver: TypeResolver = {
    isTypeName: (name) => unit.typedefs.has(name) || (fallback?.typedefs.has(name) ?? false),
    recordOf(typeName) {
      if (cache.has(typeName)) return cache.get(typeName);
      const found = lookupTypeName([unit, fallback], typeName);
      const r = found?.record && found.record.fields ? { record: displayName(found.record) ?? typeName, pointers: found.pointers } : undefined;
      cache.set(typeName, r);
      return r;
    },
  };
  byFallback.set(fallback, resolver);
  return resolver;
}
