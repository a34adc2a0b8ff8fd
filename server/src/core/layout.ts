/**
 * The Microsoft C record layout pass: sizes, alignments and member offsets of
 * every record, per ABI, exactly as clang's MicrosoftRecordLayoutBuilder
 * computes them for `<arch>-pc-windows-msvc` C code (clang 14 was used to
 * check every rule; the tests quote its numbers).
 *
 * The algorithm, for one record:
 *
 * 1. Each member gets an *element info*: its natural size and alignment (the
 *    type with top-level typedefs stripped), capped by `#pragma pack` (a pack
 *    wider than the pointer is ignored), then raised to its *required*
 *    alignment: `__declspec(align)` on the member, on a typedef of its type,
 *    or on a record reached by value or through arrays. Required alignment
 *    wins over pack and propagates to the containing record. On a bit-field
 *    the declspec raises the alignment but does not propagate as required.
 * 2. Structs place each member at the running size rounded up to its
 *    alignment; unions place everything at 0.
 * 3. Bit-fields (MSVC rules): the storage unit is the declared type; a
 *    bit-field joins the open unit only if the previous member was a non-zero
 *    bit-field of a type of the *same size* and the bits fit. A zero-width
 *    bit-field is ignored unless it follows a non-zero-width one; then it
 *    aligns the running size to its type. In unions bit-fields do not raise
 *    the record's alignment (`union { int a:3; }` is size 4, align 1).
 * 4. The size is rounded to the alignment (raised to the required
 *    alignment). A record of size 0 gets `abi.emptyStructSize` (4), or its
 *    alignment when a required alignment of at least that applies.
 *
 * Bad input never throws: incomplete, unknown, recursive or oversized member
 * types and bad constants become diagnostics, the member counts as 0 bytes and
 * the layout is marked `complete: false`. Layouts and type infos are memoised
 * per context (one ABI, one translation unit).
 */

import type { Abi } from './abi';
import type { CType, EnumConstant, Expr, FieldDecl, RecordDecl, TranslationUnit, TypedefDecl } from './ast';
import { type EvalEnv, type IntValue, convert, enumeratorChain, evaluateTyped, exprText, typeText } from './consteval';
import { type Diagnostic, type MessageCode, diag } from './diagnostics';
import { recordName } from './names';
import type { Loc } from './source';

export interface FieldLayout {
  /** `null` for anonymous struct/union members and unnamed bit-fields. */
  name: string | null;
  decl: FieldDecl;
  /** Byte offset from the start of the *outermost* record. */
  offset: number;
  /** Size in bytes (for a bit-field: the size of its storage unit; 0 for a zero-width bit-field). */
  size: number;
  /** Alignment used to place the member (after pack and declspec(align)). */
  align: number;
  /** Bit-fields: bit offset within the storage unit that starts at `offset`, and width. */
  bitOffset?: number;
  bitWidth?: number;
  /** Anonymous struct/union members: their own members, offsets still relative to the outermost record. */
  fields?: FieldLayout[];
  /**
   * Bytes of padding between the end of this member and the next member (or
   * the end of the record). In a union: the bytes between the member's end
   * and the union's end. Always 0 for zero-width bit-fields and for bit-fields
   * followed by another bit-field in the same unit.
   */
  paddingAfter: number;
}

export interface Hole {
  /** Offset of the first padding byte. */
  offset: number;
  size: number;
  /** The member the hole follows, or null for padding at the start (never happens in C) */
  after: string | null;
  /** True for tail padding (after the last member). */
  tail: boolean;
}

export interface RecordLayout {
  record: RecordDecl;
  size: number;
  align: number;
  fields: FieldLayout[];
  /**
   * Every padding hole, in offset order, including tail padding. Holes inside
   * anonymous struct/union members are included (shifted to this record);
   * holes inside named by-value members are not (they belong to that record).
   */
  holes: Hole[];
  /** False when an error made the layout a best-effort guess (incomplete member type ...). */
  complete: boolean;
  /** Required alignment (from `__declspec(align)` on the record or reached through its members), 0 if none. */
  requiredAlign: number;
}

export interface TypeInfo {
  size: number;
  align: number;
  /** Required alignment from __declspec(align) reached through typedefs, records or arrays (0 if none). */
  requiredAlign: number;
  /** clang's `isAlignmentRequired`: `align` itself comes from a `__declspec(align)` on a typedef or record. */
  alignRequired: boolean;
  /** False for incomplete, unknown or recursive types and bad array bounds: the numbers are a guess. */
  complete: boolean;
}

/** Per-ABI layout context: memoises record layouts and type sizes for one translation unit. */
export interface LayoutContext {
  abi: Abi;
  unit: TranslationUnit;
  diagnostics: Diagnostic[];
  layoutOf(record: RecordDecl): RecordLayout;
  typeInfo(type: CType): TypeInfo;
  /** Evaluates an integer constant expression under this ABI (sizeof, offsetof, enumerators ...). */
  evaluate(expr: Expr): bigint | undefined;
  /** Like `evaluate`, keeping the C type of the result (width and signedness). */
  evaluateTyped(expr: Expr): IntValue | undefined;
}

/** Objects larger than this are reported (`layout-too-large`); arrays larger than it count as 0 bytes. */
export const maxObjectSize = 0x7fffffff;
/** clang's limit for `__declspec(align(n))`. */
const maxDeclAlign = 8192;

const isPowerOfTwo = (n: number): boolean => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
const alignTo = (n: number, a: number): number => (a <= 1 ? n : Math.ceil(n / a) * a);

function stripTypedefs(type: CType): CType {
  let t = type;
  for (let guard = 0; t.kind === 'typedef' && guard < 1000; guard++) t = t.decl.type;
  return t;
}

/** The element type of (possibly nested) arrays, typedefs stripped. */
function baseElement(type: CType): CType {
  let t = stripTypedefs(type);
  for (let guard = 0; t.kind === 'array' && guard < 1000; guard++) t = stripTypedefs(t.of);
  return t;
}

/** A record's name for diagnostics (anonymous ones included). */
function recordLabel(record: RecordDecl): string {
  return recordName(record) ?? `<anonymous ${record.kind}>`;
}

export function createLayoutContext(abi: Abi, unit: TranslationUnit): LayoutContext {
  const diagnostics: Diagnostic[] = [];
  const reported = new Set<string>();
  const layouts = new Map<RecordDecl, RecordLayout>();
  const inProgress = new Set<RecordDecl>();
  const typedefInfos = new Map<TypedefDecl, TypeInfo>();
  const arrayInfos = new Map<CType, TypeInfo>();
  const enumValues = new Map<EnumConstant, IntValue | null>();
  const enumInProgress = new Set<EnumConstant>();
  const unknownNames = new Set<string>();

  function report(d: Diagnostic): void {
    const key = `${d.code}|${d.loc.file}|${d.loc.offset}|${d.message}`;
    if (reported.has(key)) return;
    reported.add(key);
    diagnostics.push(d);
  }
  const note = (code: MessageCode, loc: Loc, args: (string | number)[] = []): void => report(diag(code, loc, args));

  /** A `__declspec(align(n))` value if valid, else 0 (after reporting it). */
  function validAlign(n: number | undefined, loc: Loc): number {
    if (n === undefined || n === 0) return 0;
    if (!isPowerOfTwo(n) || n > maxDeclAlign) {
      note('layout-bad-alignment', loc, [n]);
      return 0;
    }
    return n;
  }

  // ----- type information ---------------------------------------------------

  const scalar = (size: number, align: number): TypeInfo => ({ size, align, requiredAlign: 0, alignRequired: false, complete: true });
  const broken = (): TypeInfo => ({ size: 0, align: 1, requiredAlign: 0, alignRequired: false, complete: false });

  function typeInfo(type: CType, site?: string): TypeInfo {
    switch (type.kind) {
      case 'void':
        // Incomplete; `sizeof(void)` (a GNU extension, 1) is the evaluator's business.
        return broken();
      case 'bool':
        return scalar(abi.bool.size, abi.bool.align);
      case 'int': {
        const t = type.wchar ? abi.short : abi[type.rank];
        return scalar(t.size, t.align);
      }
      case 'float':
        return scalar(abi[type.rank].size, abi[type.rank].align);
      case 'pointer': {
        const t = type.width === 32 ? abi.ptr32 : type.width === 64 ? abi.ptr64 : abi.pointer;
        return scalar(t.size, t.align);
      }
      case 'enum': {
        if (type.decl.underlying) {
          const u = typeInfo(type.decl.underlying);
          return scalar(u.size, u.align);
        }
        // Microsoft C: every enum is an int, even when only forward-declared.
        return scalar(abi.enum.size, abi.enum.align);
      }
      case 'function':
        // GNU `sizeof` of a function type is 1; as a member it is an error (reported by the field pass).
        return scalar(1, 1);
      case 'error':
        return broken();
      case 'typedef':
        return typedefInfo(type.decl);
      case 'record':
        return recordInfo(type.decl);
      case 'array':
        return arrayInfo(type, site);
    }
  }

  // clang: a typedef's __declspec(align) replaces the alignment (it may even lower it) and makes it required.
  function typedefInfo(decl: TypedefDecl): TypeInfo {
    const memo = typedefInfos.get(decl);
    if (memo) return memo;
    const under = typeInfo(decl.type);
    const attr = validAlign(decl.declAlign, decl.loc);
    const info: TypeInfo = attr
      ? { size: under.size, align: attr, requiredAlign: Math.max(attr, recordRequired(decl.type)), alignRequired: true, complete: under.complete }
      : under;
    if (info.complete) typedefInfos.set(decl, info);
    return info;
  }

  /** The required alignment of the record a type reaches by value through typedefs and arrays (0 if none). */
  function recordRequired(type: CType): number {
    const base = baseElement(type);
    if (base.kind !== 'record' || !base.decl.fields || inProgress.has(base.decl)) return 0;
    return layoutOf(base.decl).requiredAlign;
  }

  function recordInfo(decl: RecordDecl): TypeInfo {
    if (!decl.fields || inProgress.has(decl)) return broken();
    const layout = layoutOf(decl);
    const alignRequired = (decl.declAlign ?? 0) > 0;
    return {
      size: layout.size,
      align: layout.align,
      requiredAlign: Math.max(alignRequired ? layout.align : 0, layout.requiredAlign),
      alignRequired,
      complete: layout.complete,
    };
  }

  function arrayInfo(type: CType & { kind: 'array' }, site?: string): TypeInfo {
    const memo = arrayInfos.get(type);
    if (memo) return memo;
    const element = typeInfo(type.of, site);
    let complete = element.complete;
    let count = 0n;
    if (type.length !== undefined) {
      // Literal bounds are by far the most common: skip the evaluator for them.
      const value = type.length.kind === 'num' ? type.length.value : evaluateTyped(type.length, env)?.value;
      if (value === undefined) complete = false;
      else if (value < 0n) {
        note('layout-bad-array-size', type.length.loc, [site ?? '<array>', 'negative', value.toString()]);
        complete = false;
      } else count = value;
    }
    let size = Number(count) * element.size;
    if (size > maxObjectSize) {
      const total = count * BigInt(element.size);
      note('layout-too-large', type.length?.loc ?? { file: '', line: 0, col: 0, offset: 0 }, [site ?? '<array>', total.toString()]);
      size = 0;
      complete = false;
    }
    if (abi.arraySizeRoundedToAlign) size = alignTo(size, element.align);
    const info: TypeInfo = {
      size,
      align: element.align,
      requiredAlign: element.requiredAlign,
      alignRequired: element.alignRequired,
      complete,
    };
    arrayInfos.set(type, info);
    return info;
  }

  // ----- record layout ------------------------------------------------------

  function layoutOf(record: RecordDecl): RecordLayout {
    const memo = layouts.get(record);
    if (memo) return memo;
    if (!record.fields) {
      return { record, size: 0, align: 1, fields: [], holes: [], complete: false, requiredAlign: 0 };
    }
    if (inProgress.has(record)) {
      // Only reachable through a by-value cycle; the caller reports it.
      return { record, size: 0, align: 1, fields: [], holes: [], complete: false, requiredAlign: 0 };
    }
    inProgress.add(record);
    let layout: RecordLayout;
    try {
      layout = buildLayout(record, record.fields);
    } catch (e) {
      note('layout-internal-error', record.nameLoc ?? record.loc, [recordLabel(record), e instanceof Error ? e.message : String(e)]);
      layout = { record, size: 0, align: 1, fields: [], holes: [], complete: false, requiredAlign: 0 };
    } finally {
      inProgress.delete(record);
    }
    layouts.set(record, layout);
    return layout;
  }

  /** Explains why a member's type has no usable layout (the type info said `complete: false`). */
  function reportBrokenMember(field: FieldDecl, name: string): void {
    const base = baseElement(field.type);
    if (base.kind === 'error') {
      // Once per name: the parser has already flagged every use.
      if (!unknownNames.has(base.name)) note('layout-unknown-type', field.loc, [base.name]);
      unknownNames.add(base.name);
    }
    else if (base.kind === 'void') note('layout-incomplete-type', field.nameLoc, [name, field.typeText]);
    else if (base.kind === 'record' && !base.decl.fields) note('layout-incomplete-type', field.nameLoc, [name, field.typeText]);
    else if (base.kind === 'record' && inProgress.has(base.decl)) note('layout-recursive-type', base.decl.nameLoc ?? base.decl.loc, [recordLabel(base.decl)]);
    // Bad array bounds and broken nested records have reported already.
  }

  function buildLayout(record: RecordDecl, decls: FieldDecl[]): RecordLayout {
    const isUnion = record.kind === 'union';
    const pack = record.pack !== undefined && isPowerOfTwo(record.pack) && record.pack <= abi.maxPack ? record.pack : 0;
    let size = 0;
    let alignment = 1;
    // clang's RequiredAlignment starts at 1 on 64-bit targets and 0 on 32-bit ones; `declared` excludes that seed.
    let required = abi.requiredAlignmentStartsAtOne ? 1 : 0;
    let declared = 0;
    let complete = true;
    let lastWasNonZeroBitfield = false;
    let unitSize = 0;
    let remainingBits = 0;
    const fields: FieldLayout[] = [];
    const holes: Hole[] = [];

    /** Natural size/alignment adjusted by pack and required alignment (clang's getAdjustedElementInfo). */
    function elementInfo(field: FieldDecl, bitfield: boolean, name: string): { size: number; align: number; required: number } {
      const declaredType = typeInfo(field.type, name);
      const stripped = stripTypedefs(field.type);
      const natural = stripped === field.type ? declaredType : typeInfo(stripped, name);
      if (!declaredType.complete || !natural.complete) {
        complete = false;
        reportBrokenMember(field, name);
      }
      const fieldRequired = Math.max(validAlign(field.declAlign, field.loc), declaredType.requiredAlign);
      let align = natural.align;
      if (bitfield) align = Math.max(align, fieldRequired);
      if (pack) align = Math.min(align, pack);
      align = Math.max(align, fieldRequired);
      return { size: natural.size, align, required: fieldRequired };
    }

    // Objects get their properties in one fixed order (few hidden classes: this is the hot path).
    const place = (field: FieldDecl, offset: number, size: number, align: number, bitOffset?: number, bitWidth?: number): FieldLayout => {
      const f: FieldLayout = { name: field.name ?? null, decl: field, offset, size, align, paddingAfter: 0 };
      if (bitWidth !== undefined) {
        f.bitOffset = bitOffset;
        f.bitWidth = bitWidth;
      }
      fields.push(f);
      return f;
    };

    for (const field of decls) {
      const name = field.name ?? '<anonymous>';
      const base = stripTypedefs(field.type);
      const integral = base.kind === 'int' || base.kind === 'bool' || base.kind === 'enum';
      if (field.bitWidth !== undefined && !integral) {
        note('layout-bitfield-type', field.nameLoc, [name, field.typeText]);
        complete = false;
      }
      if (field.bitWidth !== undefined && integral) {
        // ----- bit-field
        const typeBits = typeInfo(base).size * 8;
        const value = field.bitWidth.kind === 'num' ? { value: field.bitWidth.value } : evaluateTyped(field.bitWidth, env);
        let width: number;
        if (value === undefined) {
          note('layout-bitfield-width', field.nameLoc, [name]);
          complete = false;
          width = typeBits;
        } else if (value.value < 0n) {
          note('layout-bitfield-negative', field.nameLoc, [name, value.value.toString()]);
          complete = false;
          width = typeBits;
        } else {
          // C limits _Bool bit-fields to 1 bit; clang still lays them out in the 8-bit unit.
          const limit = base.kind === 'bool' ? 1 : typeBits;
          if (value.value > BigInt(limit)) {
            note('layout-bitfield-too-wide', field.nameLoc, [name, value.value.toString(), limit]);
            complete = false;
          }
          width = value.value > BigInt(typeBits) ? typeBits : Number(value.value);
        }
        if (width === 0) {
          if (!lastWasNonZeroBitfield) {
            // Ignored: it follows a non-bit-field or another zero-width bit-field.
            place(field, isUnion ? 0 : size, 0, 1, 0, 0);
            continue;
          }
          lastWasNonZeroBitfield = false;
          const info = elementInfo(field, true, name);
          if (isUnion) {
            place(field, 0, 0, info.align, 0, 0);
            size = Math.max(size, info.size);
          } else {
            const offset = alignTo(size, info.align);
            place(field, offset, 0, info.align, 0, 0);
            size = offset;
            alignment = Math.max(alignment, info.align);
          }
          continue;
        }
        const info = elementInfo(field, true, name);
        if (!isUnion && lastWasNonZeroBitfield && unitSize === info.size && width <= remainingBits) {
          place(field, size - unitSize, unitSize, info.align, unitSize * 8 - remainingBits, width);
          remainingBits -= width;
          continue;
        }
        lastWasNonZeroBitfield = true;
        unitSize = info.size;
        if (isUnion) {
          // MSVC ignores bit-field alignment in unions.
          place(field, 0, info.size, info.align, 0, width);
          size = Math.max(size, info.size);
        } else {
          const offset = alignTo(size, info.align);
          place(field, offset, info.size, info.align, 0, width);
          size = offset + info.size;
          alignment = Math.max(alignment, info.align);
          remainingBits = info.size * 8 - width;
        }
        continue;
      }

      // ----- ordinary member
      lastWasNonZeroBitfield = false;
      if (base.kind === 'function') {
        note('layout-function-member', field.nameLoc, [name, field.typeText]);
        complete = false;
        place(field, isUnion ? 0 : size, 0, 1);
        continue;
      }
      const info = elementInfo(field, false, name);
      required = Math.max(required, info.required);
      declared = Math.max(declared, info.required);
      alignment = Math.max(alignment, info.align);
      const offset = isUnion ? 0 : alignTo(size, info.align);
      const anonymous = field.name === undefined && base.kind === 'record' && base.decl.fields !== undefined && !inProgress.has(base.decl);
      if (anonymous) {
        const inner = layoutOf(base.decl);
        place(field, offset, info.size, info.align).fields = shiftFields(inner.fields, offset);
        for (const h of inner.holes) holes.push({ ...h, offset: h.offset + offset });
      } else place(field, offset, info.size, info.align);
      size = Math.max(size, offset + info.size);
    }

    size = alignTo(size, alignment);
    const recordAlign = validAlign(record.declAlign, record.nameLoc ?? record.loc);
    required = Math.max(required, recordAlign);
    declared = Math.max(declared, recordAlign);
    if (required !== 0) {
      alignment = Math.max(alignment, required);
      size = alignTo(size, alignment);
    }
    if (size === 0) size = required >= abi.emptyStructSize ? alignment : abi.emptyStructSize;
    if (size > maxObjectSize) {
      note('layout-too-large', record.nameLoc ?? record.loc, [recordLabel(record), size]);
      complete = false;
    }

    computePadding(fields, holes, size, isUnion);
    return { record, size, align: alignment, fields, holes, complete, requiredAlign: declared };
  }

  // ----- evaluation environment ---------------------------------------------

  const env: EvalEnv = {
    abi,
    unit,
    typeInfo: (t) => typeInfo(t),
    layoutOf,
    report,
    enumeratorValue(constant) {
      return enumeratorChain(
        constant,
        env,
        (c) => enumValues.get(c),
        (c, type) => {
          if (enumInProgress.has(c)) {
            note('eval-enum-cycle', c.loc, [c.name]);
            return undefined;
          }
          enumInProgress.add(c);
          try {
            const v = c.value ? evaluateTyped(c.value, env) : undefined;
            return v ? { value: convert(v.value, type), type } : undefined;
          } finally {
            enumInProgress.delete(c);
          }
        },
        (c, v) => enumValues.set(c, v ?? null),
      );
    },
  };

  return {
    abi,
    unit,
    diagnostics,
    layoutOf,
    typeInfo: (t) => typeInfo(t),
    evaluate: (e) => evaluateTyped(e, env)?.value,
    evaluateTyped: (e) => evaluateTyped(e, env),
  };
}

function shiftFields(fields: readonly FieldLayout[], by: number): FieldLayout[] {
  return fields.map((f) => ({ ...f, offset: f.offset + by, ...(f.fields ? { fields: shiftFields(f.fields, by) } : {}) }));
}

/** Fills `paddingAfter` and adds the gaps between top-level members and the tail padding to `holes`. */
function computePadding(fields: FieldLayout[], holes: Hole[], size: number, isUnion: boolean): void {
  // Holes from anonymous members are already in `holes`; only then is a sort needed.
  const needsSort = holes.length > 0;
  let end = 0;
  let last: FieldLayout | undefined;
  let previous: FieldLayout | undefined;
  for (const f of fields) {
    if (f.bitWidth === 0) continue;
    const fieldEnd = f.offset + f.size;
    if (isUnion) f.paddingAfter = Math.max(0, size - fieldEnd);
    else {
      if (previous) previous.paddingAfter = Math.max(0, f.offset - (previous.offset + previous.size));
      if (f.offset > end) holes.push({ offset: end, size: f.offset - end, after: last ? last.name : null, tail: false });
    }
    if (fieldEnd >= end) {
      end = fieldEnd;
      last = f;
    }
    previous = f;
  }
  if (!isUnion && previous) previous.paddingAfter = Math.max(0, size - (previous.offset + previous.size));
  if (size > end) holes.push({ offset: end, size: size - end, after: last ? last.name : null, tail: true });
  if (needsSort) holes.sort((a, b) => a.offset - b.offset);
}

/** Convenience for callers that only have an expression's text for messages. */
export { exprText, typeText };
