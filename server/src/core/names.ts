/**
 * How records are named to users, in one place. Two orders exist on
 * purpose: reports follow the JSON contract (the tag, else the
 * typedef), while messages about WOW64 types use the name driver code
 * writes (the typedef, else the tag).
 */

import type { RecordDecl } from './ast';

/**
 * The tag, else the first plain typedef (`layout --json` "name"); undefined
 * for truly anonymous records. A C++ record's is qualified as clang prints
 * it (`contoso::ioctl::ReadRequest`, `Buf<unsigned long, 4>`).
 */
export function recordName(record: RecordDecl): string | undefined {
  if (record.cxx?.qualifiedName) return record.cxx.qualifiedName;
  if (record.tag) return record.tag;
  const plain = record.typedefs.find((t) => !t.startsWith('*'));
  return plain ?? record.typedefs[0]?.replace(/^\*+/, '');
}

/** A stable key for a record across the per-ABI translation units: its name, else its place (the editor's facts and the layout view). */
export function recordKey(record: RecordDecl): string {
  return recordName(record) ?? `@${record.loc.file}:${record.loc.offset}`;
}

/** A record as the editor's views title it: its name (`recordName`, `(anonymous)` without one), kind and typedefs. */
export function recordTitle(record: RecordDecl): { name: string; kind: RecordDecl['kind']; typedefs: string[] } {
  return { name: recordName(record) ?? '(anonymous)', kind: record.kind, typedefs: [...record.typedefs] };
}

/** The first plain typedef, else the tag: the name driver code uses (`FOO_SUBMIT`, not `_FOO_SUBMIT`). */
export function displayName(record: RecordDecl): string | undefined {
  return record.typedefs.find((t) => !t.startsWith('*')) ?? record.cxx?.qualifiedName ?? record.tag ?? record.typedefs[0]?.replace(/^\*+/, '');
}

/**
 * Whether a name a user gives (`@in X`, `thunk --type X`, the layout view's
 * record) names `record`: its tag, a typedef, its qualified C++ name
 * (`contoso::ioctl::ReadRequest`, also with a leading `::`) or the plain name
 * of a C++ record in a namespace or class (`ReadRequest`).
 */
export function nameMatchesRecord(name: string, record: RecordDecl): boolean {
  const n = name.startsWith('::') ? name.slice(2) : name;
  if (n === record.tag || record.typedefs.includes(n)) return true;
  const qualified = record.cxx?.qualifiedName;
  return qualified !== undefined && (qualified === n || (!n.includes('::') && qualified.endsWith(`::${n}`)));
}

/** The last component of a record's name, as written at its definition (`ReadRequest` for `contoso::ReadRequest`, `Buf` for `Buf<int, 2>`). */
export function declaredName(record: RecordDecl): string | undefined {
  const name = recordName(record);
  if (name === undefined) return undefined;
  const bare = name.replace(/<.*$/, '');
  return bare.slice(bare.lastIndexOf('::') + 1).replace(/^:/, '');
}
