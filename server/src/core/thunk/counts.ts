/**
 * How many elements a pointer member points to, as the generator decides it:
 *
 *  1. an annotation says so: SAL on the member (`_Field_size_(Count)`,
 *     `_Field_size_opt_`, `_Field_size_full_`, `_Field_size_part_(size, Count)`
 *     in elements; `_Field_size_bytes_*` in bytes), or an ioctl-lens comment
 *     (`@count Count` / `@count(Count)` / `@count 1` on the member, `@count
 *     Member Count` on the record, `@bytes Length` for a byte count);
 *  2. else the record's member names say so (mingw-w64's `http.h` has no
 *     SAL): a pointer `pFoo` / `Foo` next to `FooCount`, `FooCount` of the
 *     singular (`pUnknownHeaders` -> `UnknownHeaderCount`), `NumberOfFoo`,
 *     `NumFoo` (elements) or `FooLength`, `FooSize`, `FooBytes`, `cbFoo`
 *     (bytes). The generated code says the count was inferred;
 *  3. else a pointer to a record is one object.
 *
 * Invariant: names and annotations only; whether the count member is an
 * integer of the right width is the plan's business (it has the layouts).
 */

import type { FieldDecl, RecordDecl } from '../ast';
import { recordOf } from './types';

export interface CountSource {
  /** Sibling member holding the count (path relative to the record, `Count`); absent for a constant. */
  member?: string;
  /** A constant count (`@count 1`, or 1 for a pointer to one record with no count). */
  constant?: number;
  /** The count is in bytes (`FooLength`, `_Field_size_bytes_`), not in elements. */
  bytes: boolean;
  /** How it is known, for the generated comment: `_Field_size_(Count)`, `@count Count`, `inferred from the name UnknownHeaderCount`, `no count: one object`. */
  annotation: string;
  /** `annotation`: written by the user; `inferred`: from the members' names; `single`: no count is known, one object. */
  how: 'annotation' | 'inferred' | 'single';
  /** `_Field_size_opt_`-style: a NULL pointer is valid whatever the count. */
  optional?: boolean;
}

/**
 * A SAL annotation that sizes a member (`_Field_size_[bytes_][full_|part_][opt_]`):
 * the index of the argument holding the element (or byte) count (`part` gives
 * the capacity, then the count), whether it counts bytes, whether NULL is valid.
 */
function salCount(name: string): { index: number; bytes: boolean; optional: boolean } | undefined {
  const m = /^_Field_size_(bytes_)?(full_|part_)?(opt_)?$/.exec(name);
  return m ? { index: m[2] === 'part_' ? 1 : 0, bytes: !!m[1], optional: !!m[3] } : undefined;
}

/** The comments the generator reads for one member: on its lines or ending on the line above; and on its record. */
export interface CommentSource {
  onMember(field: FieldDecl): string[];
  onRecord(record: RecordDecl): string[];
}

const countComment = /@(count|bytes)\s*(?:\(\s*([A-Za-z_]\w*|\d+)\s*\)|([A-Za-z_]\w*|\d+))(?:[ \t]+([A-Za-z_]\w*))?/g;

/** `@count X`, `@count(X)`, `@count 1`, `@bytes X` on the member; `@count Member X` / `@bytes Member X` on the record. */
function commentCount(comments: CommentSource, field: FieldDecl, owner: RecordDecl): CountSource | undefined {
  const read = (text: string, onRecord: boolean): CountSource | undefined => {
    countComment.lastIndex = 0;
    for (let m = countComment.exec(text); m; m = countComment.exec(text)) {
      const bytes = m[1] === 'bytes';
      const first = m[2] ?? m[3];
      const second = m[4];
      // On the record the first word names the pointer (`@count Items ItemCount`); on the member it is
      // the count, unless it repeats the member's name (the record form written on the member).
      const named = onRecord || (second !== undefined && first === field.name);
      if (named && (first !== field.name || !second)) continue;
      const count = named ? second! : first;
      const annotation = `@${m[1]} ${named ? `${first} ${count}` : count}`;
      if (/^\d+$/.test(count)) return { constant: Number(count), bytes, annotation, how: 'annotation' };
      return { member: count, bytes, annotation, how: 'annotation' };
    }
    return undefined;
  };
  for (const text of comments.onMember(field)) {
    const found = read(text, false);
    if (found) return found;
  }
  for (const text of comments.onRecord(owner)) {
    const found = read(text, true);
    if (found) return found;
  }
  return undefined;
}

/** A count an annotation gives (SAL on either side's member first, then ioctl-lens comments). */
export function annotatedCount(fields: FieldDecl[], owner: RecordDecl, comments: CommentSource): CountSource | undefined {
  for (const f of fields) {
    for (const a of f.annotations) {
      const sal = salCount(a.name);
      const arg = sal && a.args[sal.index]?.trim();
      if (!sal || !arg) continue;
      const annotation = `${a.name}(${a.args.join(', ')})`;
      const { bytes, optional } = sal;
      if (/^\d+$/.test(arg)) return { constant: Number(arg), bytes, annotation, how: 'annotation', optional };
      return { member: arg, bytes, annotation, how: 'annotation', optional };
    }
  }
  for (const f of fields) {
    const found = commentCount(comments, f, owner);
    if (found) return found;
  }
  return undefined;
}

/** `pUnknownHeaders` -> `UnknownHeaders`; `lpBuffer` -> `Buffer`; `Items` stays. */
function baseName(pointer: string): string {
  return pointer.replace(/^(?:lp|pp|p)(?=[A-Z])/, '');
}

/** English singular of a member name's last word, as header authors write counts (`UnknownHeaders` -> `UnknownHeader`). */
function singular(name: string): string {
  if (/ies$/.test(name)) return name.slice(0, -3) + 'y';
  if (/(?:ss|x|ch|sh)es$/.test(name)) return name.slice(0, -2);
  if (/[^s]s$/.test(name)) return name.slice(0, -1);
  return name;
}

/** Names of a member counting `pointer`'s elements, and of one giving its size in bytes. */
export function countNames(pointer: string): { elements: string[]; bytes: string[] } {
  const base = baseName(pointer);
  const bases = [...new Set([base, singular(base)])];
  return {
    elements: bases.flatMap((b) => [`${b}Count`, `NumberOf${b}`, `Num${b}`]),
    bytes: bases.flatMap((b) => [`${b}Length`, `${b}Size`, `${b}Bytes`, `${b}ByteCount`, `${b}LengthInBytes`, `${b}SizeInBytes`, `cb${b}`]),
  };
}

/** Every named member of a record, looking through anonymous members (the way C code names them). */
export function namedMembers(record: RecordDecl, out: FieldDecl[] = []): FieldDecl[] {
  for (const f of record.fields ?? []) {
    if (f.name) out.push(f);
    else {
      const inner = recordOf(f.type);
      if (inner) namedMembers(inner, out);
    }
  }
  return out;
}

/**
 * The count the record's names imply for `pointer`: a sibling that
 * `isCount` accepts (an integer member), in elements first (when accepted),
 * else in bytes (when accepted). Case is ignored; the member's own spelling is
 * returned.
 */
export function inferredCount(owner: RecordDecl, pointer: string, options: { elements: boolean; bytes: boolean; isCount: (f: FieldDecl) => boolean }): CountSource | undefined {
  const names = countNames(pointer);
  const members = namedMembers(owner).filter((f) => f.name !== pointer && options.isCount(f));
  const find = (candidates: string[]) => {
    const wanted = new Set(candidates.map((c) => c.toLowerCase()));
    return members.find((f) => wanted.has(f.name!.toLowerCase()));
  };
  const elements = options.elements ? find(names.elements) : undefined;
  const member = elements ?? (options.bytes ? find(names.bytes) : undefined);
  if (!member?.name) return undefined;
  return { member: member.name, bytes: !elements, annotation: `inferred from the name ${member.name}`, how: 'inferred' };
}
