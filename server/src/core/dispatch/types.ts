/**
 * Type names as the dispatch analysis meets them (`PFOO`, `FOO *`,
 * `struct _FOO`), looked up in a translation unit and its prelude: the
 * record a name names or points to, and through how many pointers.
 */

import type { CType, FieldDecl, RecordDecl, TranslationUnit } from '../ast';
import { isCxxTypeName, lookupTypeName, recordBehind } from '../types';
import { displayName } from '../names';

/** Resolves type names for the scanner; the real one reads a translation unit. */
export interface TypeResolver {
  /** A name that can start a declaration (typedef name or keyword). */
  isTypeName(name: string): boolean;
  /** For a type name: the record it names or points to and how many pointers lead there. */
  recordOf(typeName: string): { record: string; pointers: number } | undefined;
  /** For a type name and a member name: the member's type as written (`UNICODE_STRING`, `struct _FOO *`), when the type names or points to a record. */
  memberTypeOf?(typeName: string, member: string): string | undefined;
}

// Type names and the record behind a type are the core's type questions (core/types.ts).
export { lookupTypeName, recordBehind, splitStars } from '../types';

export function paramTypeName(type: CType): string | undefined {
  if (type.kind === 'typedef') return type.decl.name;
  if (type.kind === 'pointer') {
    const inner = paramTypeName(type.to);
    return inner ? inner + ' *' : undefined;
  }
  if (type.kind === 'record') {
    // A C++ class is named without its key, as C++ code writes it.
    if (type.decl.cxx?.qualifiedName) return type.decl.cxx.qualifiedName;
    return type.decl.tag ? `${type.decl.kind} ${type.decl.tag}` : undefined;
  }
  return undefined;
}

/** A member of a record by name, looking into anonymous struct and union members. */
function memberNamed(record: RecordDecl, name: string, depth = 0): FieldDecl | undefined {
  for (const f of record.fields ?? []) {
    if (f.name === name) return f;
    if (f.name === undefined && depth < 8) {
      const inner = recordBehind(f.type);
      const hit = inner && inner.pointers === 0 ? memberNamed(inner.record, name, depth + 1) : undefined;
      if (hit) return hit;
    }
  }
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
    // In C++ a class or enum name is a type name too (`ReadRequest *p`, `contoso::Kind k`).
    isTypeName: (name) => unit.typedefs.has(name) || (fallback?.typedefs.has(name) ?? false) || isCxxTypeName(unit, name),
    recordOf(typeName) {
      if (cache.has(typeName)) return cache.get(typeName);
      const found = lookupTypeName([unit, fallback], typeName);
      const r = found?.record && found.record.fields ? { record: displayName(found.record) ?? typeName, pointers: found.pointers } : undefined;
      cache.set(typeName, r);
      return r;
    },
    memberTypeOf(typeName, member) {
      const record = lookupTypeName([unit, fallback], typeName)?.record;
      const field = record ? memberNamed(record, member) : undefined;
      return field ? paramTypeName(field.type) : undefined;
    },
  };
  byFallback.set(fallback, resolver);
  return resolver;
}
