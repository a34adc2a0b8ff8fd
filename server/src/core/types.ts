/**
 * Questions about types, answered once on the declaration model (ast.ts):
 * what a type is under its typedef sugar, whether it is a pointer, an array
 * or a record, which record a member holds or points to, which record a
 * written name denotes, and the members of a laid-out record with anonymous
 * struct/union members flattened. Layout, checks, the thunk generator,
 * fixes and the editor's facts and layout view all ask here rather than
 * walking typedef chains themselves.
 *
 * Invariant: types stay types. Nothing here prints a type to parse it again;
 * names are looked up only where the user wrote a name (an annotation, a
 * member designator, a dispatch cast).
 */

import type { CType, EnumDecl, FieldDecl, IntRank, RecordDecl, TranslationUnit, TypedefDecl } from './ast';
import type { FieldLayout } from './layout';

/** Each integer rank's signed and unsigned names: in C as MSVC writes it, as clang prints it (template arguments), and the WDK's typedefs. */
const integerSpellings: Record<IntRank, Record<'c' | 'clang' | 'wdk', [signed: string, unsigned: string]>> = {
  char: { c: ['char', 'unsigned char'], clang: ['char', 'unsigned char'], wdk: ['CHAR', 'UCHAR'] },
  short: { c: ['short', 'unsigned short'], clang: ['short', 'unsigned short'], wdk: ['SHORT', 'USHORT'] },
  int: { c: ['int', 'unsigned int'], clang: ['int', 'unsigned int'], wdk: ['INT', 'UINT'] },
  long: { c: ['long', 'unsigned long'], clang: ['long', 'unsigned long'], wdk: ['LONG', 'ULONG'] },
  longlong: { c: ['__int64', 'unsigned __int64'], clang: ['long long', 'unsigned long long'], wdk: ['LONGLONG', 'ULONGLONG'] },
  // The WDK has no 128-bit typedef.
  int128: { c: ['__int128', 'unsigned __int128'], clang: ['__int128', 'unsigned __int128'], wdk: ['LONGLONG', 'ULONGLONG'] },
};

/**
 * The name of an integer type (no qualifiers) in one of three spellings:
 * C as MSVC writes it (`unsigned __int64`, `signed char`, `wchar_t`), as
 * clang prints it (`unsigned long long`), or the WDK's typedef (`ULONGLONG`,
 * `WCHAR`).
 */
export function integerName(type: CType & { kind: 'int' }, spelling: 'c' | 'clang' | 'wdk'): string {
  if (type.wchar) return spelling === 'wdk' ? 'WCHAR' : 'wchar_t';
  if (spelling !== 'wdk' && type.rank === 'char' && type.signed && type.explicitSign) return 'signed char';
  return integerSpellings[type.rank][spelling][type.signed ? 0 : 1];
}

/** How deep typedef chains and nested records are followed (a cycle or absurd nesting stops here). */
const maxChain = 1000;

/** The type under its typedef sugar (qualifiers on the sugar are dropped: layout does not care). */
export function resolve(type: CType): CType {
  let t = type;
  for (let guard = 0; t.kind === 'typedef' && guard < maxChain; guard++) t = t.decl.type;
  return t;
}

/** Names of the typedefs crossed on the way to the resolved type, outermost first. */
export function typedefChain(type: CType): string[] {
  const names: string[] = [];
  let t = type;
  for (let guard = 0; t.kind === 'typedef' && guard < maxChain; guard++) {
    names.push(t.decl.name);
    t = t.decl.type;
  }
  return names;
}

export function isPointer(type: CType): boolean {
  return resolve(type).kind === 'pointer';
}

/** A pointer whose width follows the ABI (not `__ptr32`/`__ptr64`). */
export function isVariablePointer(type: CType): boolean {
  const t = resolve(type);
  return t.kind === 'pointer' && t.width === undefined;
}

/** The array type under the sugar, or undefined. */
export function arrayOf(type: CType): (CType & { kind: 'array' }) | undefined {
  const t = resolve(type);
  return t.kind === 'array' ? t : undefined;
}

export function isArray(type: CType): boolean {
  return arrayOf(type) !== undefined;
}

/** The element type of (possibly nested) arrays, sugar stripped; the type itself when it is no array. */
export function innermostElement(type: CType): CType {
  let t = resolve(type);
  for (let guard = 0; t.kind === 'array' && guard < maxChain; guard++) t = resolve(t.of);
  return t;
}

/** What a pointer points to, or an array's element; undefined for other types. */
export function pointee(type: CType): CType | undefined {
  const t = resolve(type);
  return t.kind === 'pointer' ? t.to : t.kind === 'array' ? t.of : undefined;
}

/** The record a type is (through typedefs), or undefined. */
export function recordOf(type: CType): RecordDecl | undefined {
  const t = resolve(type);
  return t.kind === 'record' ? t.decl : undefined;
}

/** The defined record a member holds by value: through typedefs and arrays of it. */
export function valueRecord(type: CType): RecordDecl | undefined {
  const t = innermostElement(type);
  return t.kind === 'record' && t.decl.fields ? t.decl : undefined;
}

/** The record a type is, points to, or holds in arrays, through any typedefs, pointers and arrays. */
export function recordThrough(type: CType): RecordDecl | undefined {
  let t: CType | undefined = type;
  for (let guard = 0; t && guard < maxChain; guard++) {
    t = resolve(t);
    if (t.kind === 'record') return t.decl;
    t = t.kind === 'pointer' ? t.to : t.kind === 'array' ? t.of : undefined;
  }
  return undefined;
}

/** The record behind a type and how many pointers lead to it (`PFOO *` -> FOO, 2); arrays stop the walk. */
export function recordBehind(type: CType): { record: RecordDecl; pointers: number } | undefined {
  let t = type;
  let pointers = 0;
  for (let guard = 0; guard < maxChain; guard++) {
    if (t.kind === 'typedef') t = t.decl.type;
    else if (t.kind === 'pointer') {
      pointers++;
      t = t.to;
    } else return t.kind === 'record' ? { record: t.decl, pointers } : undefined;
  }
  return undefined;
}

/** `__unaligned` anywhere on the type, its sugar or its array elements. */
export function isUnaligned(type: CType): boolean {
  let t: CType | undefined = type;
  for (let guard = 0; t && guard < maxChain; guard++) {
    if (t.unaligned) return true;
    t = t.kind === 'typedef' ? t.decl.type : t.kind === 'array' ? t.of : undefined;
  }
  return false;
}

export function isRecordDecl(d: RecordDecl | EnumDecl | undefined): d is RecordDecl {
  return d !== undefined && 'kind' in d && (d.kind === 'struct' || d.kind === 'union');
}

/**
 * The record a name denotes in the first unit that knows it: a tag, a
 * typedef of the record, or a pointer typedef to it (`viaPointer`). A
 * forward-declared tag resolves to its definition when the unit has one.
 */
export function recordNamed(units: readonly (TranslationUnit | undefined)[], name: string): { record: RecordDecl; viaPointer: boolean } | undefined {
  for (const unit of units) {
    if (!unit) continue;
    const tag = unit.tags.get(name);
    if (isRecordDecl(tag)) return { record: definitionOf(unit, tag), viaPointer: false };
    const td = unit.typedefs.get(name);
    if (!td) continue;
    const direct = recordOf(td.type);
    if (direct) return { record: definitionOf(unit, direct), viaPointer: false };
    const deep = recordThrough(td.type);
    return deep ? { record: definitionOf(unit, deep), viaPointer: true } : undefined;
  }
  return undefined;
}

/** The complete definition of a (possibly forward-declared) record in its unit. */
export function definitionOf(unit: TranslationUnit, record: RecordDecl): RecordDecl {
  if (record.fields || !record.tag) return record;
  const tag = unit.tags.get(record.tag);
  return isRecordDecl(tag) && tag.fields ? tag : record;
}

/** Splits `struct _FOO * *` into the base name and the number of stars (`const` and `volatile` dropped). */
export function splitStars(text: string): { base: string; stars: number } {
  let stars = 0;
  let base = text.replace(/\b(const|volatile)\b/g, '').trim();
  while (base.endsWith('*')) {
    stars++;
    base = base.slice(0, -1).trim();
  }
  return { base: base.replace(/\s+/g, ' '), stars };
}

/**
 * A written type name (`PFOO`, `FOO *`, `struct _FOO`) looked up in the
 * units in order: its type, the record behind it and the pointers that
 * lead there (stars written after the name count).
 */
export function lookupTypeName(
  units: readonly (TranslationUnit | undefined)[],
  written: string,
): { type?: CType; record?: RecordDecl; pointers: number } | undefined {
  const { base, stars } = splitStars(written);
  const tagMatch = /^(struct|union|enum|class)\s+((?:::)?\w+(?:::\w+)*)$/.exec(base);
  for (const unit of units) {
    if (!unit) continue;
    if (tagMatch) {
      const decl = unit.tags.get(tagMatch[2]) ?? cxxTypeName(unit, tagMatch[2]);
      if (!decl) continue;
      if (isRecordDecl(decl)) return { type: { kind: 'record', decl }, record: decl, pointers: stars };
      return { pointers: stars };
    }
    const td = unit.typedefs.get(base);
    if (!td) {
      // C++ names a class without `struct` (`ReadRequest *`, `sensor::ReadRequest *` inside `contoso`).
      const tag = cxxTypeName(unit, base);
      if (isRecordDecl(tag)) return { type: { kind: 'record', decl: tag }, record: tag, pointers: stars };
      continue;
    }
    const type: CType = { kind: 'typedef', decl: td };
    const behind = recordBehind(type);
    return { type, record: behind?.record, pointers: (behind?.pointers ?? 0) + stars };
  }
  return undefined;
}

const cxxNames = new WeakMap<TranslationUnit, Map<string, RecordDecl | EnumDecl | TypedefDecl>>();

/**
 * A C++ unit's classes, enums and typedefs by every way code inside some
 * namespace may write them: `contoso::sensor::Config` also as
 * `sensor::Config` and `Config` (the first declaration a shortened name
 * fits keeps it). Function bodies are not scoped by the analyses that ask,
 * so a name is resolved as written from any namespace.
 */
function cxxIndex(unit: TranslationUnit): Map<string, RecordDecl | EnumDecl | TypedefDecl> {
  let index = cxxNames.get(unit);
  if (index) return index;
  const names = new Map<string, RecordDecl | EnumDecl | TypedefDecl>();
  const add = (key: string, value: RecordDecl | EnumDecl | TypedefDecl) => {
    // Qualifiers end before any template argument list (`ns::Buf<ns::H, 2>`).
    const lt = key.indexOf('<');
    const head = lt < 0 ? key : key.slice(0, lt);
    for (let cut = 0; ; ) {
      const suffix = key.slice(cut);
      if (!names.has(suffix)) names.set(suffix, value);
      const next = head.indexOf('::', cut);
      if (next < 0) return;
      cut = next + 2;
    }
  };
  unit.tags.forEach((v, k) => add(k, v));
  unit.typedefs.forEach((v, k) => add(k, v));
  cxxNames.set(unit, names);
  return names;
}

/**
 * In a C++ unit, the class or enum a type name written without `struct`
 * names, possibly partly qualified (`sensor::Config`, `::contoso::Mode`), or
 * the class a namespace's typedef or `using` alias names; undefined in C.
 */
export function cxxTypeName(unit: TranslationUnit, name: string): RecordDecl | EnumDecl | undefined {
  if (unit.cxxScope === undefined) return undefined;
  const found = cxxIndex(unit).get(name.replace(/^::/, ''));
  if (!found) return undefined;
  // Records and enums list their typedefs; a typedef (or alias) names a type.
  if ('typedefs' in found) return found;
  const behind = recordBehind(found.type);
  return behind && behind.pointers === 0 ? behind.record : undefined;
}

/** In a C++ unit, whether a (possibly partly qualified) name names a class, enum, typedef or alias. */
export function isCxxTypeName(unit: TranslationUnit, name: string): boolean {
  return unit.cxxScope !== undefined && cxxIndex(unit).has(name.replace(/^::/, ''));
}

/** A type with `pointers` more levels of pointer on it. */
export function withPointers(type: CType, pointers: number): CType {
  let t = type;
  for (let i = 0; i < pointers; i++) t = { kind: 'pointer', to: t };
  return t;
}

// ---------------------------------------------------------------------------
// Members of a laid-out record

/** A member with its offset from the outermost record; anonymous struct/union members flattened. */
export interface FlatMember {
  /** `Name`, or `Outer.Inner` below a named prefix. */
  name: string;
  field: FieldLayout;
  decl: FieldDecl;
  offset: number;
  size: number;
}

/** The named members of a layout at one level, anonymous struct/union members flattened into their parent, unnamed bit-fields left out. */
export function flatMembers(fields: readonly FieldLayout[], prefix = ''): FlatMember[] {
  const out: FlatMember[] = [];
  const visit = (list: readonly FieldLayout[]) => {
    for (const f of list) {
      if (f.name === null && f.fields) visit(f.fields);
      else if (f.name !== null) out.push({ name: prefix + f.name, field: f, decl: f.decl, offset: f.offset, size: f.size });
    }
  };
  visit(fields);
  return out;
}

/** A member of a laid-out record in a tree walk: its dotted path and nesting depth. */
export interface MemberPath {
  /** `u.Value`, with `<anonymous#i>` for an anonymous member at index i. */
  path: string;
  /** Nesting depth under anonymous struct/union members (0 = direct member). */
  depth: number;
  field: FieldLayout;
}

/** Every member, anonymous struct/union members included with their own members after them, in declaration order. */
export function memberPaths(fields: readonly FieldLayout[], prefix = '', depth = 0, out: MemberPath[] = []): MemberPath[] {
  fields.forEach((f, i) => {
    const own = f.name ?? `<anonymous#${i}>`;
    const path = prefix ? `${prefix}.${own}` : own;
    out.push({ path, depth, field: f });
    if (f.fields) memberPaths(f.fields, path, depth + 1, out);
  });
  return out;
}
