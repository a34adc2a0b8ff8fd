/**
 * The HTTP.sys run's data, independent of the generator: a model of a
 * record's values (scalars, handles, strings, arrays and single records
 * behind pointers), and three uses of it:
 *
 *  - `X86Image` lays the model out as a 32-bit caller's memory, at a fixed
 *    address, from clang's x86 record dumps (`-fdump-record-layouts`), never
 *    from ioctl-lens's own layouts or the generated shadows;
 *  - `cChecks` writes C that compares a captured native record with the
 *    model, member by member and byte by byte;
 *  - `cBuild` writes C that builds the native record from the model, and
 *    `checkX86` reads a receive-path buffer back with clang's x86 layout,
 *    following every pointer (which must land inside the buffer, aligned).
 */

import type { DumpMember, DumpRecord } from './harness';

export type Scalar =
  /** An unsigned integer of `width` bytes. */
  | { $: 'u'; width: 1 | 2 | 4 | 8; value: bigint }
  /** A 32-bit caller's HANDLE: sign-extended on capture. */
  | { $: 'handle'; value: number }
  /** A pointer the record does not say the size of (only converted; the receive path writes NULL). */
  | { $: 'ptr'; value: number };

export type Value =
  | Scalar
  /** A pointer to bytes (a string or a blob) with the pointee's alignment. */
  | { $: 'bytes'; data: Buffer; align: number }
  /** A pointer to records of `type` (`misaligned`: at 4 modulo 8, as an x86 caller may place them; `last`: flush against the end of the caller's memory). */
  | { $: 'records'; type: string; items: Model[]; misaligned?: boolean; last?: boolean }
  /** A pointer to one record of `type`. */
  | { $: 'one'; type: string; value: Model }
  /** An array by value: index -> element (a record model or a scalar); missing indices are zero. */
  | { $: 'array'; items: Map<number, Model | Scalar> }
  /** A record by value. */
  | Model;

export interface Model {
  [member: string]: Value;
}

export const u8 = (v: number | bigint): Scalar => ({ $: 'u', width: 1, value: BigInt(v) });
export const u16 = (v: number | bigint): Scalar => ({ $: 'u', width: 2, value: BigInt(v) });
export const u32 = (v: number | bigint): Scalar => ({ $: 'u', width: 4, value: BigInt(v) });
export const u64 = (v: number | bigint): Scalar => ({ $: 'u', width: 8, value: BigInt(v) });
export const handle = (v: number): Scalar => ({ $: 'handle', value: v >>> 0 });
export const ascii = (s: string): Value => ({ $: 'bytes', data: Buffer.from(s, 'latin1'), align: 1 });
export const utf16 = (s: string): Value => ({ $: 'bytes', data: Buffer.from(s, 'utf16le'), align: 2 });
export const blob = (data: Buffer): Value => ({ $: 'bytes', data, align: 1 });
export const records = (type: string, items: Model[], options: { misaligned?: boolean; last?: boolean } = {}): Value => ({ $: 'records', type, items, ...options });
export const one = (type: string, value: Model): Value => ({ $: 'one', type, value });
export const array = (items: Record<number, Model | Scalar>): Value => ({ $: 'array', items: new Map(Object.entries(items).map(([k, v]) => [Number(k), v])) });

function tagged(v: Value): v is Exclude<Value, Model> {
  return typeof (v as { $?: unknown }).$ === 'string';
}

/** clang's x86 layouts, navigated by member name (anonymous members are looked through, as C does). */
export class X86Layout {
  constructor(
    private readonly dumps: Map<string, DumpRecord>,
    /** Naming only: the tag clang dumps a typedef'd record under (`HTTP_KNOWN_HEADER` -> `_HTTP_KNOWN_HEADER`). */
    private readonly tagOf: (type: string) => string,
  ) {}

  record(type: string): DumpRecord {
    const r = this.dumps.get(this.tagOf(type));
    if (!r) throw new Error(`clang dumped no x86 layout for ${type}`);
    return r;
  }

  /** The member `name` among the children of `parent` (index of the member whose children they are; -1: the record's own). */
  member(record: DumpRecord, parent: number, name: string): { index: number; m: DumpMember } {
    const depth = parent < 0 ? 1 : record.members[parent].depth + 1;
    for (let i = parent + 1; i < record.members.length && record.members[i].depth >= depth; i++) {
      const m = record.members[i];
      if (m.depth !== depth) continue;
      if (m.name === name) return { index: i, m };
      if (m.name === '<anonymous>') {
        try {
          return this.member(record, i, name);
        } catch {
          // not in this anonymous member
        }
      }
    }
    throw new Error(`no member ${name} in ${record.name}${parent >= 0 ? '.' + record.members[parent].name : ''}`);
  }

  /** `HTTP_KNOWN_HEADER[30]` -> the element record's type, or undefined for scalars. */
  elementType(m: DumpMember): string {
    const match = /^(.*)\[\d+\]$/.exec(m.type);
    if (!match) throw new Error(`${m.name} (${m.type}) is not an array`);
    return match[1].replace(/^(struct|union) /, '');
  }
}

/** A 32-bit caller's memory: `size` bytes at `base`, allocated from the start (and from the end for `last` arrays). */
export class X86Image {
  readonly bytes: Buffer;
  private next = 0;
  private end: number;

  constructor(
    readonly base: number,
    readonly size: number,
    private readonly layout: X86Layout,
  ) {
    this.bytes = Buffer.alloc(size);
    this.end = size;
  }

  private alloc(size: number, align: number, options: { misaligned?: boolean; last?: boolean } = {}): number {
    if (options.last) {
      this.end -= size;
      if (this.end < this.next) throw new Error('image too small');
      return this.end;
    }
    let at = Math.ceil(this.next / align) * align;
    if (options.misaligned && at % 8 === 0) at += 4;
    this.next = at + size;
    if (this.next > this.end) throw new Error('image too small');
    return at;
  }

  private put(at: number, width: number, value: bigint) {
    for (let i = 0; i < width; i++) this.bytes[at + i] = Number((value >> BigInt(8 * i)) & 0xffn);
  }

  /** Writes a record of `type` with the model's values; returns its caller address. */
  writeRoot(type: string, model: Model): number {
    const r = this.layout.record(type);
    const at = this.alloc(r.size, r.align);
    this.writeRecord(type, model, at);
    return this.base + at;
  }

  private writeRecord(type: string, model: Model, at: number) {
    this.writeMembers(this.layout.record(type), -1, model, at);
  }

  private writeMembers(record: DumpRecord, parent: number, model: Model, recordAt: number) {
    for (const [name, v] of Object.entries(model)) {
      const { index, m } = this.layout.member(record, parent, name);
      const at = recordAt + m.offset;
      if (!tagged(v)) {
        this.writeMembers(record, index, v, recordAt); // a record by value: its members are in the same dump
        continue;
      }
      switch (v.$) {
        case 'u':
          this.put(at, v.width, v.value);
          break;
        case 'handle':
        case 'ptr':
          this.put(at, 4, BigInt(v.value));
          break;
        case 'bytes': {
          if (v.data.length === 0) break;
          const p = this.alloc(v.data.length + 2, v.align); // a NUL after it, as callers usually leave one
          v.data.copy(this.bytes, p);
          this.put(at, 4, BigInt(this.base + p));
          break;
        }
        case 'records':
        case 'one': {
          const items = v.$ === 'one' ? [v.value] : v.items;
          const r = this.layout.record(v.type);
          const p = this.alloc(r.size * items.length, r.align, v.$ === 'records' ? v : {});
          items.forEach((item, i) => this.writeRecord(v.type, item, p + i * r.size));
          this.put(at, 4, BigInt(this.base + p));
          break;
        }
        case 'array': {
          const element = this.layout.elementType(m);
          for (const [i, item] of v.items) {
            if (tagged(item)) {
              if (item.$ !== 'u') throw new Error('arrays of handles or pointers are not modelled');
              this.put(at + i * item.width, item.width, item.value);
            } else {
              this.writeRecord(element, item, at + i * this.layout.record(element).size);
            }
          }
          break;
        }
      }
    }
  }
}

/** How many values a model holds (what `checkX86` reads when it follows everything). */
export function modelValues(model: Model): number {
  let n = 0;
  for (const v of Object.values(model)) {
    n++;
    if (!tagged(v)) n += modelValues(v);
    else if (v.$ === 'records') n += v.items.reduce((sum, item) => sum + modelValues(item), 0);
    else if (v.$ === 'one') n += modelValues(v.value);
    else if (v.$ === 'array') for (const item of v.items.values()) if (!tagged(item)) n += modelValues(item);
  }
  return n;
}

/** A cast that reads a member as the unsigned integer of its width (`CHAR sa_data[14]` holds bytes above 0x7f). */
const unsigned = (width: number) => `(${({ 1: 'UCHAR', 2: 'USHORT', 4: 'ULONG' } as Record<number, string>)[width] ?? 'ULONGLONG'})`;

const cBytes = (data: Buffer) => `"${[...data].map((b) => '\\x' + b.toString(16).padStart(2, '0')).join('')}"`;

/**
 * C statements comparing the native record `expr` (an lvalue) with the
 * model: `CHECK_U(path, got, want)`, `CHECK_BYTES(path, pointer, bytes,
 * length)`, `CHECK_COPY(path, pointer)` (a kernel copy, not the caller's
 * memory), `CHECK_NULL(path, pointer)`. Handles are sign-extended, pointers
 * of unknown size zero-extended, captured pointees compared byte by byte.
 */
export function cChecks(model: Model, expr: string, path: string, out: string[]) {
  for (const [name, v] of Object.entries(model)) {
    const e = `${expr}.${name}`;
    const p = `${path}.${name}`;
    if (!tagged(v)) {
      cChecks(v, e, p, out);
      continue;
    }
    switch (v.$) {
      case 'u':
        out.push(`CHECK_U("${p}", ${unsigned(v.width)}${e}, ${v.value}ULL);`);
        break;
      case 'handle':
        out.push(`CHECK_U("${p}", (ULONG_PTR)${e}, (ULONG_PTR)(LONG_PTR)(LONG)${v.value}u);`);
        break;
      case 'ptr':
        out.push(`CHECK_U("${p}", (ULONG_PTR)${e}, ${v.value}u);`);
        break;
      case 'bytes':
        if (v.data.length === 0) out.push(`CHECK_NULL("${p}", ${e});`);
        else out.push(`CHECK_COPY("${p}", ${e});`, `CHECK_BYTES("${p}", ${e}, ${cBytes(v.data)}, ${v.data.length});`);
        break;
      case 'records':
      case 'one': {
        const items = v.$ === 'one' ? [v.value] : v.items;
        out.push(`CHECK_COPY("${p}", ${e});`);
        items.forEach((item, i) => cChecks(item, `${e}[${i}]`, `${p}[${i}]`, out));
        break;
      }
      case 'array':
        for (const [i, item] of v.items) {
          if (tagged(item)) out.push(`CHECK_U("${p}[${i}]", ${unsigned((item as { width: number }).width)}${e}[${i}], ${(item as { value: bigint }).value}ULL);`);
          else cChecks(item, `${e}[${i}]`, `${p}[${i}]`, out);
        }
        break;
    }
  }
}

/** C statements building the native record `lvalue` from the model; pointees become static objects declared in `statics`. */
export function cBuild(model: Model, lvalue: string, out: string[], statics: string[]) {
  for (const [name, v] of Object.entries(model)) {
    const lv = `${lvalue}.${name}`;
    if (!tagged(v)) {
      cBuild(v, lv, out, statics);
      continue;
    }
    switch (v.$) {
      case 'u':
        out.push(`${lv} = ${v.value}ULL;`);
        break;
      case 'handle':
        out.push(`${lv} = (HANDLE)(LONG_PTR)(LONG)${v.value}u;`);
        break;
      case 'ptr':
        out.push(`${lv} = (PVOID)(ULONG_PTR)${v.value}u;`);
        break;
      case 'bytes': {
        if (v.data.length === 0) break;
        const s = `Pointee${statics.length}`;
        statics.push(`static const UCHAR ${s}[${v.data.length}] __attribute__((aligned(8))) = ${cBytes(v.data)};`);
        out.push(`${lv} = (PVOID)${s};`);
        break;
      }
      case 'records':
      case 'one': {
        const items = v.$ === 'one' ? [v.value] : v.items;
        const s = `Pointee${statics.length}`;
        statics.push(`static ${v.type} ${s}[${items.length}];`);
        items.forEach((item, i) => cBuild(item, `${s}[${i}]`, out, statics));
        out.push(`${lv} = ${s};`);
        break;
      }
      case 'array':
        for (const [i, item] of v.items) {
          if (tagged(item)) out.push(`${lv}[${i}] = ${(item as { value: bigint }).value}ULL;`);
          else cBuild(item, `${lv}[${i}]`, out, statics);
        }
        break;
    }
  }
}

/**
 * Reads a receive-path buffer back with clang's x86 layout: the record of
 * `type` at offset 0, every value compared with the model, every pointer
 * followed: it must hold `user + offset` with the piece inside the buffer
 * (`needed` bytes), after the record, at its x86 alignment. Returns the
 * problems (empty when the buffer is right) and how many values were read.
 */
export function checkX86(layout: X86Layout, buffer: Buffer, user: number, needed: number, type: string, model: Model): { problems: string[]; checked: number } {
  const problems: string[] = [];
  let checked = 0;
  const rootSize = layout.record(type).size;
  const get = (at: number, width: number) => {
    let v = 0n;
    for (let i = 0; i < width; i++) v |= BigInt(buffer[at + i]) << BigInt(8 * i);
    return v;
  };
  const pointee = (path: string, at: number, size: number, align: number): number | undefined => {
    const p = Number(get(at, 4));
    const off = p - user;
    if (off < rootSize || off + size > needed) problems.push(`${path}: ${p.toString(16)} is not after the record inside the buffer (offset ${off}, ${size} bytes, needed ${needed})`);
    else if (off % align !== 0) problems.push(`${path}: offset ${off} is not ${align}-aligned`);
    else return off;
    return undefined;
  };
  const members = (record: DumpRecord, parent: number, m: Model, recordAt: number, path: string) => {
    for (const [name, v] of Object.entries(m)) {
      const { index, m: member } = layout.member(record, parent, name);
      const at = recordAt + member.offset;
      const p = `${path}.${name}`;
      checked++;
      if (!tagged(v)) {
        members(record, index, v, recordAt, p);
        continue;
      }
      switch (v.$) {
        case 'u':
          if (get(at, v.width) !== v.value) problems.push(`${p}: ${get(at, v.width)}, expected ${v.value}`);
          break;
        case 'handle':
          if (get(at, 4) !== BigInt(v.value)) problems.push(`${p}: ${get(at, 4)}, expected ${v.value}`);
          break;
        case 'ptr':
          // Where it leads is unknown: the receive path writes NULL.
          if (get(at, 4) !== 0n) problems.push(`${p}: ${get(at, 4)}, expected NULL`);
          break;
        case 'bytes': {
          if (v.data.length === 0) {
            if (get(at, 4) !== 0n) problems.push(`${p}: expected NULL`);
            break;
          }
          const off = pointee(p, at, v.data.length, v.align);
          if (off !== undefined && !buffer.subarray(off, off + v.data.length).equals(v.data)) problems.push(`${p}: other bytes`);
          break;
        }
        case 'records':
        case 'one': {
          const items = v.$ === 'one' ? [v.value] : v.items;
          const r = layout.record(v.type);
          const off = pointee(p, at, r.size * items.length, r.align);
          if (off !== undefined) items.forEach((item, i) => members(r, -1, item, off + i * r.size, `${p}[${i}]`));
          break;
        }
        case 'array': {
          const element = layout.elementType(member);
          for (const [i, item] of v.items) {
            if (tagged(item)) {
              const w = (item as { width: number }).width;
              if (get(at + i * w, w) !== (item as { value: bigint }).value) problems.push(`${p}[${i}]: other value`);
            } else {
              const r = layout.record(element);
              members(r, -1, item, at + i * r.size, `${p}[${i}]`);
            }
          }
          break;
        }
      }
    }
  };
  members(layout.record(type), -1, model, 0, type);
  return { problems, checked };
}
