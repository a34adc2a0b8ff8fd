/**
 * Type helpers for the WOW64 thunk generator: walking typedef sugar to tell a
 * `HANDLE` from any other pointer and a `SIZE_T` from a `ULONG`, printing C
 * declarators, and turning type names into routine names.
 *
 * Invariant: this file knows C types, not layouts.
 */

import type { CType, RecordDecl } from '../ast';
import { integerName, resolve as canonical, typedefChain } from '../types';

// Typedef sugar, pointers, arrays and records are the core's type questions (core/types.ts).
export { arrayOf, resolve as canonical, isVariablePointer, recordOf, typedefChain } from '../types';

/**
 * A kernel handle: the typedef chain passes through `HANDLE`, or the pointer
 * is a `DECLARE_HANDLE` one (`struct HKEY__ *`). Handles are sign-extended
 * by WOW64, unlike pointers (`LongToHandle` / `HandleToLong`).
 */
export function isHandle(type: CType): boolean {
  if (typedefChain(type).includes('HANDLE')) return true;
  const c = canonical(type);
  if (c.kind !== 'pointer') return false;
  const to = canonical(c.to);
  return to.kind === 'record' && !!to.decl.tag && to.decl.tag.endsWith('__');
}

/**
 * The name a record is known by in C code: its first plain typedef, else
 * `struct tag`; a C++ class by its qualified name (`contoso::sensor::ReadSamples`),
 * which names it from any namespace.
 */
export function recordTypeRef(record: RecordDecl): string | undefined {
  const plain = record.typedefs.find((t) => !t.startsWith('*'));
  if (plain) return plain;
  const qualified = cxxName(record.cxx?.qualifiedName);
  if (qualified) return qualified;
  if (record.tag) return `${record.kind} ${record.tag}`;
  return undefined;
}

/** The bare name used to derive shadow and routine names: typedef name, else tag. */
export function recordBaseName(record: RecordDecl): string | undefined {
  const plain = record.typedefs.find((t) => !t.startsWith('*'));
  if (plain) return plain;
  if (record.tag) return record.tag.replace(/^_+/, '');
  return undefined;
}

/**
 * `CONTOSO_SUBMIT_BATCH` -> `ContosoSubmitBatch`; a name that is not all
 * capitals (`FooBar`) is kept as written. Used for routine names.
 */
export function camelName(name: string): string {
  const bare = name.replace(/^_+/, '');
  if (!/^[A-Z0-9_]+$/.test(bare)) return bare.charAt(0).toUpperCase() + bare.slice(1);
  return bare
    .split('_')
    .filter(Boolean)
    .map((w) => w.charAt(0) + w.slice(1).toLowerCase())
    .join('');
}

function quals(t: CType): string {
  let q = '';
  if (t.const) q += 'const ';
  if (t.volatile) q += 'volatile ';
  if (t.unaligned) q += '__unaligned ';
  return q;
}

export interface PrintOptions {
  /** Array bounds as numbers (evaluated under the ABI the text must reproduce). */
  arrayLength(length: NonNullable<(CType & { kind: 'array' })['length']>): string;
}

/**
 * Prints a declaration of `name` with type `type` (`ULONG Foo[4]`,
 * `VOID (*Callback)(PVOID)`), keeping typedef names as written.
 */
export function declaration(type: CType, name: string, options: PrintOptions): string {
  const q = quals(type);
  switch (type.kind) {
    case 'void':
      return `${q}void${sep(name)}`;
    case 'bool':
      return `${q}_Bool${sep(name)}`;
    case 'int':
      return `${q}${integerName(type, 'c')}${sep(name)}`;
    case 'float':
      return `${q}${type.rank === 'longdouble' ? 'long double' : type.rank}${sep(name)}`;
    case 'typedef':
      return `${q}${type.decl.name}${sep(name)}`;
    case 'record': {
      // A C++ class by its qualified name: `struct Item` outside `namespace tp` would declare another.
      const qualified = cxxName(type.decl.cxx?.qualifiedName);
      return qualified ? `${q}${qualified}${sep(name)}` : `${q}${type.decl.kind} ${type.decl.tag ?? '/* anonymous */'}${sep(name)}`;
    }
    case 'enum': {
      const qualified = cxxName(type.decl.qualifiedName);
      return qualified ? `${q}${qualified}${sep(name)}` : `${q}enum ${type.decl.tag ?? '/* anonymous */'}${sep(name)}`;
    }
    case 'error':
      return `${q}${type.name}${sep(name)}`;
    case 'pointer': {
      const width = type.width === 32 ? ' __ptr32' : type.width === 64 ? ' __ptr64' : '';
      const inner = `*${width}${q ? ' ' + q.trim() : ''}${width || q ? ' ' : ''}${name}`;
      const to = type.to.kind === 'array' || type.to.kind === 'function' ? `(${inner})` : inner;
      return declaration(type.to, to, options);
    }
    case 'array': {
      const len = type.length === undefined ? '' : options.arrayLength(type.length);
      return declaration(type.of, `${name}[${len}]`, options);
    }
    case 'function': {
      const params = type.params.length === 0 ? 'void' : type.params.map((p) => declaration(p.type, p.name ?? '', options).trim()).join(', ');
      const variadic = type.variadic ? ', ...' : '';
      const cc = type.callconv ? `${type.callconv} ` : '';
      return declaration(type.ret, `${cc}${name}(${params}${variadic})`, options);
    }
  }
}

/** A C++ name that names its entity from anywhere (not one in an anonymous namespace). */
function cxxName(qualified: string | undefined): string | undefined {
  return qualified && !qualified.includes('(') ? qualified : undefined;
}

function sep(name: string): string {
  if (name === '') return '';
  return name.startsWith('*') || name.startsWith('(') ? ' ' + name : ' ' + name;
}
