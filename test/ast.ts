/**
 * Declaration-model constructors for tests that build translation units by
 * hand (layout, consteval): types, members, records and a unit holding them.
 */

import type { CType, EnumDecl, Expr, FieldDecl, RecordDecl, TranslationUnit, TypedefDecl } from '../server/src/core/ast';

export const loc = { file: 't.h', line: 1, col: 1, offset: 0 };
let nextId = 1;
let nextOffset = 1;
/** A fresh place in the pseudo file `t.h`. */
export const at = () => ({ ...loc, offset: nextOffset++ });

export const T = {
  char: { kind: 'int', rank: 'char', signed: true } as CType,
  uchar: { kind: 'int', rank: 'char', signed: false } as CType,
  short: { kind: 'int', rank: 'short', signed: true } as CType,
  ushort: { kind: 'int', rank: 'short', signed: false } as CType,
  wchar: { kind: 'int', rank: 'short', signed: false, wchar: true } as CType,
  int: { kind: 'int', rank: 'int', signed: true } as CType,
  uint: { kind: 'int', rank: 'int', signed: false } as CType,
  long: { kind: 'int', rank: 'long', signed: true } as CType,
  ulong: { kind: 'int', rank: 'long', signed: false } as CType,
  llong: { kind: 'int', rank: 'longlong', signed: true } as CType,
  ullong: { kind: 'int', rank: 'longlong', signed: false } as CType,
  bool: { kind: 'bool' } as CType,
  float: { kind: 'float', rank: 'float' } as CType,
  double: { kind: 'float', rank: 'double' } as CType,
  ldouble: { kind: 'float', rank: 'longdouble' } as CType,
  void: { kind: 'void' } as CType,
  ptr: (to: CType, width?: 32 | 64): CType => ({ kind: 'pointer', to, width }),
  arr: (of: CType, length?: number | Expr): CType => ({ kind: 'array', of, length: typeof length === 'number' ? num(length) : length }),
  rec: (decl: RecordDecl): CType => ({ kind: 'record', decl }),
  en: (decl: EnumDecl): CType => ({ kind: 'enum', decl }),
  td: (name: string, type: CType, declAlign?: number): CType => ({ kind: 'typedef', decl: { name, type, declAlign, loc: at() } as TypedefDecl }),
  fn: (): CType => ({ kind: 'function', ret: { kind: 'int', rank: 'int', signed: true }, params: [], variadic: false }),
  err: (name: string): CType => ({ kind: 'error', name }),
};

export function num(value: number | bigint): Expr {
  return { kind: 'num', value: BigInt(value), loc: at() };
}

interface FieldOpts {
  bits?: number | Expr;
  align?: number;
}

export function field(name: string | undefined, type: CType, opts: FieldOpts = {}): FieldDecl {
  return {
    name,
    type,
    bitWidth: typeof opts.bits === 'number' ? num(opts.bits) : opts.bits,
    declAlign: opts.align,
    annotations: [],
    loc: at(),
    nameLoc: at(),
    endLoc: at(),
    typeText: 'T',
  };
}

interface RecordOpts {
  union?: boolean;
  pack?: number;
  align?: number;
  tag?: string;
}

export function record(fields: FieldDecl[] | undefined, opts: RecordOpts = {}): RecordDecl {
  const id = nextId++;
  return {
    kind: opts.union ? 'union' : 'struct',
    tag: opts.tag ?? `R${id}`,
    typedefs: [],
    fields,
    pack: opts.pack,
    declAlign: opts.align,
    loc: at(),
    id,
  };
}

export function unitWith(records: RecordDecl[] = [], enums: EnumDecl[] = []): TranslationUnit {
  const enumConstants = new Map();
  for (const e of enums) for (const c of e.enumerators ?? []) enumConstants.set(c.name, c);
  return {
    records,
    enums,
    typedefs: new Map(),
    tags: new Map(records.filter((r) => r.tag).map((r) => [r.tag!, r])),
    enumConstants,
    functions: [],
    variables: [],
    staticAsserts: [],
  };
}
