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
import type { CType, EnumConstant, Expr, FieldDecl, RecordDecl, TranslationUnit, TypedefDecl, VarDecl } from './ast';
import { type EvalEnv, type IntValue, convert, enumeratorChain, evaluateTyped, exprText, integerTypeOf, typeText } from './consteval';
import { type Diagnostic, type MessageCode, diag } from './diagnostics';
import { recordName } from './names';
import { innermostElement, resolve } from './types';
import type { Loc } from './source';
import { append } from './arrays';

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
  /**
   * False when an error leaves the layout unknown (an incomplete, unknown or
   * recursive member type, a bad array bound or alignment, a size past the
   * limit): the record is *unusable*, and its numbers must not be shown or
   * used (hovers, checks, generated code). `problem` says why.
   */
  complete: boolean;
  /** Why the layout is unusable (set when `complete` is false). */
  problem?: string;
  /** Required alignment (from `__declspec(align)` on the record or reached through its members), 0 if none. */
  requiredAlign: number;
  /** C++ records: bases, the vftable pointer, and what the Microsoft rules need when this class is itself a base. */
  cxx?: CxxLayout;
}

/** A non-virtual base class subobject. */
export interface BaseLayout {
  record: RecordDecl;
  /** The base's name as clang prints it (`contoso::Header`). */
  name: string;
  /** Byte offset from the start of the derived class. */
  offset: number;
  /** The bytes the base occupies here: its non-virtual size (0 for an empty base). */
  size: number;
  align: number;
  /** Laid out first because its vftable pointer is this class's too (clang's primary base). */
  primary?: boolean;
}

export interface CxxLayout {
  bases: BaseLayout[];
  /** Offset of the class's own vftable pointer, when it introduces polymorphism (pointer-sized). */
  vfptr?: number;
  /** The size without virtual bases (clang's nvsize): what the class occupies as a base. */
  nvSize: number;
  /** It has virtual functions, its own or inherited. */
  polymorphic: boolean;
  /** A vftable pointer at offset 0 that a derived class can share (its own, or its primary base's). */
  hasExtendableVFPtr: boolean;
  /** MSVC's zero-sized-subobject bookkeeping: two such neighbours among the bases get a byte between them. */
  endsWithZeroSizedObject: boolean;
  leadsWithZeroSizedBase: boolean;
  /** An empty class: no data members (but zero-width bit-fields), nothing virtual, only empty bases. */
  empty: boolean;
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
  /** Why the type has no usable size, when that is known here (a bad array bound, a bad alignment). */
  problem?: string;
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

/** Expression text short enough for a message. */
const shortText = (text: string): string => (text.length > 60 ? `${text.slice(0, 57)}...` : text);

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
  const variableValues = new Map<VarDecl, IntValue | null>();
  const variablesInProgress = new Set<VarDecl>();
  const unknownNames = new Set<string>();

  function report(d: Diagnostic): void {
    const key = `${d.code}|${d.loc.file}|${d.loc.offset}|${d.message}`;
    if (reported.has(key)) return;
    reported.add(key);
    diagnostics.push(d);
  }
  /** Reports a diagnostic (once) and returns its message. */
  const note = (code: MessageCode, loc: Loc, args: (string | number)[] = []): string => {
    const d = diag(code, loc, args);
    report(d);
    return d.message;
  };

  /**
   * A `__declspec(align(n))` value if valid, else 0 after reporting it and
   * telling `bad` why (the layout that asked for it is then unusable). NaN is
   * an alignment the parser could not evaluate (it has reported it).
   */
  function validAlign(n: number | undefined, loc: Loc, bad: (why: string) => void): number {
    if (n === undefined || n === 0) return 0;
    if (Number.isNaN(n)) bad('its alignment is not a constant');
    else if (!isPowerOfTwo(n) || n < 1) bad(note('layout-bad-alignment', loc, [n]));
    else if (n > maxDeclAlign) bad(note('layout-alignment-too-large', loc, [n, maxDeclAlign]));
    else return n;
    return 0;
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
    // A typedef of a typedef of ... (a header may chain thousands) is walked
    // in a loop, not by recursion, then folded back from the innermost.
    const chain: TypedefDecl[] = [decl];
    const seen = new Set(chain);
    let under: TypeInfo | undefined;
    for (let d = decl; ; ) {
      const next = d.type.kind === 'typedef' ? d.type.decl : undefined;
      const known = next && typedefInfos.get(next);
      if (known) {
        under = known;
        break;
      }
      if (!next || seen.has(next)) {
        under = next ? broken() : typeInfo(d.type);
        break;
      }
      chain.push(next);
      seen.add(next);
      d = next;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const d = chain[i];
      let badAlign: string | undefined;
      const attr = validAlign(d.declAlign, d.loc, (why) => (badAlign = `typedef '${d.name}': ${why}`));
      let info: TypeInfo = attr
        ? { size: under.size, align: attr, requiredAlign: Math.max(attr, recordRequired(d.type)), alignRequired: true, complete: under.complete, problem: under.problem }
        : under;
      if (badAlign) info = { ...info, complete: false, problem: badAlign };
      if (info.complete) typedefInfos.set(d, info);
      under = info;
    }
    return under;
  }

  /** The required alignment of the record a type reaches by value through typedefs and arrays (0 if none). */
  function recordRequired(type: CType): number {
    const base = innermostElement(type);
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
    let problem = element.problem;
    const bad = (why: string) => {
      complete = false;
      problem ??= why;
    };
    let count = 0n;
    if (type.length !== undefined) {
      // Literal bounds are by far the most common: skip the evaluator for them.
      const value = type.length.kind === 'num' ? type.length.value : evaluateTyped(type.length, env)?.value;
      if (value === undefined) bad(`the bound of array '${site ?? '<array>'}' (${shortText(exprText(type.length))}) is not an integer constant`);
      else if (value < 0n) bad(note('layout-bad-array-size', type.length.loc, [site ?? '<array>', 'negative', value.toString()]));
      else count = value;
    }
    let size = Number(count) * element.size;
    if (size > maxObjectSize) {
      const total = count * BigInt(element.size);
      bad(note('layout-too-large', type.length?.loc ?? { file: '', line: 0, col: 0, offset: 0 }, [site ?? '<array>', total.toString()]));
      size = 0;
    }
    if (abi.arraySizeRoundedToAlign) size = alignTo(size, element.align);
    const info: TypeInfo = {
      size,
      align: element.align,
      requiredAlign: element.requiredAlign,
      alignRequired: element.alignRequired,
      complete,
    };
    if (problem !== undefined) info.problem = problem;
    arrayInfos.set(type, info);
    return info;
  }

  // ----- record layout ------------------------------------------------------

  /**
   * A record's layout. The records it holds by value (members, array
   * elements, bases, and theirs) are laid out first, deepest first, from an
   * explicit stack rather than by recursion, so a chain of thousands of
   * records each holding the next cannot overflow the JavaScript stack: by
   * the time a record is built, every record it holds is memoised. Records
   * on that stack are `inProgress`, so a by-value cycle is found and
   * reported exactly as recursion would find it.
   */
  function layoutOf(record: RecordDecl): RecordLayout {
    const memo = layouts.get(record);
    if (memo) return memo;
    if (!record.fields) {
      return { record, size: 0, align: 1, fields: [], holes: [], complete: false, requiredAlign: 0, problem: `${recordLabel(record)} is declared but never defined` };
    }
    if (inProgress.has(record)) {
      // Only reachable through a by-value cycle; the caller reports it.
      return { record, size: 0, align: 1, fields: [], holes: [], complete: false, requiredAlign: 0, problem: `${recordLabel(record)} contains itself by value` };
    }
    const stack = [{ record, held: heldByValue(record), next: 0 }];
    inProgress.add(record);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next < top.held.length) {
        const inner = top.held[top.next++];
        if (inner.fields && !layouts.has(inner) && !inProgress.has(inner)) {
          inProgress.add(inner);
          stack.push({ record: inner, held: heldByValue(inner), next: 0 });
        }
        continue;
      }
      stack.pop();
      layouts.set(top.record, buildGuarded(top.record));
      inProgress.delete(top.record);
    }
    return layouts.get(record)!;
  }

  /** The records a record holds by value: members (through typedefs and arrays) and C++ bases. */
  function heldByValue(record: RecordDecl): RecordDecl[] {
    const held: RecordDecl[] = [];
    for (const field of record.fields ?? []) {
      const element = innermostElement(field.type);
      if (element.kind === 'record') held.push(element.decl);
    }
    for (const b of record.cxx?.bases ?? []) {
      const decl = baseRecordOf(b.type);
      if (decl) held.push(decl);
    }
    return held;
  }

  /** `buildLayout`, with an exception (a bug) reported as a diagnostic and an unusable layout. */
  function buildGuarded(record: RecordDecl): RecordLayout {
    try {
      return buildLayout(record, record.fields ?? []);
    } catch (e) {
      const why = note('layout-internal-error', record.nameLoc ?? record.loc, [recordLabel(record), e instanceof Error ? e.message : String(e)]);
      return { record, size: 0, align: 1, fields: [], holes: [], complete: false, requiredAlign: 0, problem: why };
    }
  }

  /** Why a record's layout is unusable, at its root (not the chain of members that lead there). */
  const rootProblems = new Map<RecordLayout, string>();
  const rootProblem = (layout: RecordLayout): string => rootProblems.get(layout) ?? layout.problem ?? 'see the diagnostics above';

  /**
   * Explains why a member's type has no usable layout (the type info said
   * `complete: false`): reports it where nothing has yet, and returns the
   * reason with, for a record held by value, the root cause inside it.
   */
  function reportBrokenMember(field: FieldDecl, name: string, info: TypeInfo): { why: string; root?: string } {
    const base = innermostElement(field.type);
    if (base.kind === 'error') {
      // Once per name: the parser has already flagged every use.
      const message = diag('layout-unknown-type', field.loc, [base.name]).message;
      if (!unknownNames.has(base.name)) note('layout-unknown-type', field.loc, [base.name]);
      unknownNames.add(base.name);
      return { why: message };
    }
    if (info.problem !== undefined) return { why: info.problem };
    if (base.kind === 'void') return { why: note('layout-incomplete-type', field.nameLoc, [name, field.typeText]) };
    if (base.kind === 'record' && !base.decl.fields) return { why: note('layout-incomplete-type', field.nameLoc, [name, field.typeText]) };
    if (base.kind === 'record' && inProgress.has(base.decl)) return { why: note('layout-recursive-type', base.decl.nameLoc ?? base.decl.loc, [recordLabel(base.decl)]) };
    if (base.kind === 'record') {
      // A broken record held by value has reported its own problem.
      const root = rootProblem(layoutOf(base.decl));
      return { why: `member '${name}' (${field.typeText}) has no usable layout: ${root}`, root };
    }
    return { why: `the size of member '${name}' (${field.typeText}) is not known` };
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
    let problem: string | undefined;
    let root: string | undefined;
    /** The layout is unusable: the first reason given is kept (and its root cause, when it lies in a member's record). */
    const unusable = (why: string, rootCause?: string) => {
      complete = false;
      if (problem !== undefined) return;
      problem = why;
      root = rootCause;
    };
    let lastWasNonZeroBitfield = false;
    let unitSize = 0;
    let remainingBits = 0;
    const fields: FieldLayout[] = [];
    const holes: Hole[] = [];
    // C++ classes (clang's cxxLayout): bases before members, a vftable pointer in front.
    const cxx = record.cxx;
    const bases: BaseLayout[] = [];
    let endsWithZeroSized = false;
    let leadsWithZeroSized = false;
    let ownVfptr = false;
    let polymorphic = false;
    let primary: RecordDecl | undefined;
    if (cxx) {
      const placed = layoutBases(record, cxx);
      size = placed.size;
      alignment = placed.alignment;
      required = Math.max(required, placed.required);
      declared = Math.max(declared, placed.required);
      if (!placed.complete) unusable('a base class has no usable layout');
      endsWithZeroSized = placed.endsWithZeroSized;
      leadsWithZeroSized = placed.leadsWithZeroSized;
      ownVfptr = placed.ownVfptr;
      polymorphic = placed.polymorphic;
      primary = placed.primary;
      append(bases, placed.bases);
    }

    /** Natural size/alignment adjusted by pack and required alignment (clang's getAdjustedElementInfo). */
    function elementInfo(field: FieldDecl, bitfield: boolean, name: string): { size: number; align: number; required: number } {
      const declaredType = typeInfo(field.type, name);
      const stripped = resolve(field.type);
      const natural = stripped === field.type ? declaredType : typeInfo(stripped, name);
      if (!declaredType.complete || !natural.complete) {
        const broken = reportBrokenMember(field, name, declaredType.complete ? natural : declaredType);
        unusable(broken.why, broken.root);
      }
      const fieldRequired = Math.max(validAlign(field.declAlign, field.loc, unusable), declaredType.requiredAlign);
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
      const base = resolve(field.type);
      const integral = base.kind === 'int' || base.kind === 'bool' || base.kind === 'enum';
      if (field.bitWidth !== undefined && !integral) {
        unusable(note('layout-bitfield-type', field.nameLoc, [name, field.typeText]));
      }
      if (field.bitWidth !== undefined && integral) {
        // ----- bit-field
        const typeBits = typeInfo(base).size * 8;
        const value = field.bitWidth.kind === 'num' ? { value: field.bitWidth.value } : evaluateTyped(field.bitWidth, env);
        let width: number;
        if (value === undefined) {
          unusable(note('layout-bitfield-width', field.nameLoc, [name]));
          width = typeBits;
        } else if (value.value < 0n) {
          unusable(note('layout-bitfield-negative', field.nameLoc, [name, value.value.toString()]));
          width = typeBits;
        } else {
          // C limits _Bool bit-fields to 1 bit; clang still lays them out in the 8-bit unit.
          const limit = base.kind === 'bool' ? 1 : typeBits;
          if (value.value > BigInt(limit)) {
            unusable(note('layout-bitfield-too-wide', field.nameLoc, [name, value.value.toString(), limit]));
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
        unusable(note('layout-function-member', field.nameLoc, [name, field.typeText]));
        place(field, isUnion ? 0 : size, 0, 1);
        continue;
      }
      const info = elementInfo(field, false, name);
      required = Math.max(required, info.required);
      declared = Math.max(declared, info.required);
      alignment = Math.max(alignment, info.align);
      // A member of class type passes on whether it ends with a zero-sized subobject (clang's quirk, kept for bases).
      if (cxx) {
        const element = innermostElement(field.type);
        if (element.kind === 'record' && element.decl.fields && !inProgress.has(element.decl)) {
          endsWithZeroSized = layoutOf(element.decl).cxx?.endsWithZeroSizedObject ?? false;
        }
      }
      const offset = isUnion ? 0 : alignTo(size, info.align);
      const anonymous = field.name === undefined && base.kind === 'record' && base.decl.fields !== undefined && !inProgress.has(base.decl);
      if (anonymous) {
        const inner = layoutOf(base.decl);
        place(field, offset, info.size, info.align).fields = shiftFields(inner.fields, offset);
        for (const h of inner.holes) holes.push({ ...h, offset: h.offset + offset });
      } else place(field, offset, info.size, info.align);
      size = Math.max(size, offset + info.size);
    }

    let vfptr: number | undefined;
    let nvSize = 0;
    if (cxx) {
      if (ownVfptr) {
        // The vftable pointer goes in front; everything moves back by its size rounded to the alignment so far.
        const shift = alignTo(abi.pointer.size, Math.max(required, alignment));
        size += shift;
        shiftInPlace(fields, shift);
        for (const b of bases) b.offset += shift;
        for (const h of holes) h.offset += shift;
        vfptr = 0;
        alignment = Math.max(alignment, pack ? Math.min(abi.pointer.align, pack) : abi.pointer.align);
      }
      size = alignTo(size, pack ? Math.min(alignment, pack) : alignment);
      nvSize = size;
    } else size = alignTo(size, alignment);
    const recordAlign = validAlign(record.declAlign, record.nameLoc ?? record.loc, unusable);
    required = Math.max(required, recordAlign);
    declared = Math.max(declared, recordAlign);
    if (required !== 0) {
      alignment = Math.max(alignment, required);
      const rounding = cxx && pack ? Math.max(Math.min(alignment, pack), required) : alignment;
      size = alignTo(size, rounding);
    }
    const empty = cxx !== undefined && isEmptyClass(record);
    if (size === 0) {
      if (!cxx?.emptyBases || !empty) {
        endsWithZeroSized = true;
        leadsWithZeroSized = true;
      }
      // C++ makes an empty class 1 byte; C records of size 0 are 4 on Windows.
      const minimum = cxx ? 1 : abi.emptyStructSize;
      size = required >= minimum ? alignment : minimum;
    }
    if (size > maxObjectSize) {
      unusable(note('layout-too-large', record.nameLoc ?? record.loc, [recordLabel(record), size]));
    }

    const occupied = bases.map((b) => ({ name: b.name, offset: b.offset, size: b.size }));
    if (vfptr !== undefined) occupied.unshift({ name: '<vfptr>', offset: vfptr, size: abi.pointer.size });
    computePadding(fields, holes, size, isUnion, occupied);
    const layout: RecordLayout = { record, size, align: alignment, fields, holes, complete, requiredAlign: declared };
    if (problem !== undefined) layout.problem = problem;
    if (root !== undefined) rootProblems.set(layout, root);
    if (cxx) {
      layout.cxx = {
        bases,
        nvSize,
        polymorphic,
        hasExtendableVFPtr: ownVfptr || primary !== undefined,
        endsWithZeroSizedObject: endsWithZeroSized,
        leadsWithZeroSizedBase: leadsWithZeroSized,
        empty,
      };
      if (vfptr !== undefined) layout.cxx.vfptr = vfptr;
    }
    return layout;
  }

  /**
   * clang's layoutNonVirtualBases: bases that bring an extendable vftable
   * pointer first (the first of them is the primary base), then the others,
   * each at the running size rounded to its alignment (capped by pack),
   * occupying its non-virtual size. Two neighbouring bases where the first
   * ends and the second starts with a zero-sized subobject get a byte
   * between them, unless the class has `__declspec(empty_bases)`, which puts
   * empty bases at offset 0 instead. Virtual bases are reported and left out.
   */
  function layoutBases(record: RecordDecl, cxx: NonNullable<RecordDecl['cxx']>) {
    const pack = record.pack !== undefined && isPowerOfTwo(record.pack) && record.pack <= abi.maxPack ? record.pack : 0;
    const out = {
      size: 0,
      alignment: 1,
      required: 0,
      complete: true,
      endsWithZeroSized: false,
      leadsWithZeroSized: false,
      ownVfptr: false,
      polymorphic: cxx.declaresVirtual,
      primary: undefined as RecordDecl | undefined,
      bases: [] as BaseLayout[],
    };
    const ebo = cxx.emptyBases === true;
    const direct: { decl: RecordDecl; layout: RecordLayout }[] = [];
    let polymorphicBase = false;
    for (const b of cxx.bases) {
      const decl = baseRecordOf(b.type);
      const label = decl ? recordLabel(decl) : typeText(b.type);
      if (!decl || !decl.fields || inProgress.has(decl)) {
        note('layout-incomplete-base', b.loc, [recordLabel(record), label]);
        out.complete = false;
        continue;
      }
      const layout = layoutOf(decl);
      if (!layout.complete) out.complete = false;
      if (layout.cxx?.polymorphic) polymorphicBase = true;
      if (b.virtual) {
        note('layout-virtual-base', b.loc, [recordLabel(record), label]);
        out.complete = false;
        continue;
      }
      direct.push({ decl, layout });
    }
    let previous: RecordLayout | undefined;
    const place = (decl: RecordDecl, layout: RecordLayout, primary: boolean) => {
      const info = layout.cxx;
      if (previous?.cxx?.endsWithZeroSizedObject && info?.leadsWithZeroSizedBase && !ebo) out.size++;
      let align = pack ? Math.min(layout.align, pack) : layout.align;
      out.endsWithZeroSized = info?.endsWithZeroSizedObject ?? false;
      out.alignment = Math.max(out.alignment, align);
      out.required = Math.max(out.required, layout.requiredAlign);
      align = Math.max(align, layout.requiredAlign);
      const nvSize = info?.nvSize ?? layout.size;
      let offset: number;
      if (ebo && info?.empty) offset = 0;
      else offset = out.size = alignTo(out.size, align);
      const base: BaseLayout = { record: decl, name: recordLabel(decl), offset, size: nvSize, align };
      if (primary) base.primary = true;
      out.bases.push(base);
      out.size += nvSize;
      previous = layout;
    };
    for (const { decl, layout } of direct) {
      if (!layout.cxx?.hasExtendableVFPtr) continue;
      const first = out.primary === undefined;
      if (first) {
        out.primary = decl;
        out.leadsWithZeroSized = layout.cxx.leadsWithZeroSizedBase;
      }
      place(decl, layout, first);
    }
    out.polymorphic = cxx.declaresVirtual || polymorphicBase;
    // A class introducing virtual functions gets its own pointer; one extending a primary base shares that one.
    if (out.polymorphic && (!polymorphicBase || (out.primary === undefined && cxx.declaresVirtual))) out.ownVfptr = true;
    let checkLeading = out.primary === undefined;
    for (const { decl, layout } of direct) {
      if (layout.cxx?.hasExtendableVFPtr) continue;
      if (checkLeading) {
        checkLeading = false;
        out.leadsWithZeroSized = layout.cxx?.leadsWithZeroSizedBase ?? false;
      }
      place(decl, layout, false);
    }
    return out;
  }

  /** C++ `std::is_empty`: no data members but zero-width bit-fields, nothing virtual, only empty non-virtual bases. */
  function isEmptyClass(record: RecordDecl): boolean {
    const cxx = record.cxx;
    if (!cxx || cxx.declaresVirtual) return false;
    for (const f of record.fields ?? []) {
      if (!(f.bitWidth !== undefined && f.bitWidth.kind === 'num' && f.bitWidth.value === 0n)) return false;
    }
    for (const b of cxx.bases) {
      const decl = baseRecordOf(b.type);
      if (b.virtual || !decl || !decl.fields || inProgress.has(decl)) return false;
      if (!layoutOf(decl).cxx?.empty) return false;
    }
    return true;
  }

  // ----- evaluation environment ---------------------------------------------

  const env: EvalEnv = {
    abi,
    unit,
    typeInfo: (t) => typeInfo(t),
    layoutOf,
    report,
    variableValue(variable) {
      const memo = variableValues.get(variable);
      if (memo !== undefined) return memo ?? undefined;
      if (variablesInProgress.has(variable) || !variable.constant) {
        note('eval-enum-cycle', variable.loc, [variable.name]);
        return undefined;
      }
      variablesInProgress.add(variable);
      let value: IntValue | undefined;
      try {
        const v = evaluateTyped(variable.constant, env);
        // The value converts to the variable's type (`constexpr UCHAR x = 300;` is 44); non-integer types keep the value.
        const type = v ? integerTypeOf(variable.type, env) : undefined;
        value = v && type ? { value: convert(v.value, type), type } : v;
      } finally {
        variablesInProgress.delete(variable);
      }
      variableValues.set(variable, value ?? null);
      return value;
    },
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

/** The record a base specifier names (through typedefs). */
function baseRecordOf(type: CType): RecordDecl | undefined {
  const t = resolve(type);
  return t.kind === 'record' ? t.decl : undefined;
}

/** Moves members (and their anonymous members') offsets by `by`, in place: the layout is still being built. */
function shiftInPlace(fields: FieldLayout[], by: number): void {
  for (const f of fields) {
    f.offset += by;
    if (f.fields) shiftInPlace(f.fields, by);
  }
}

function shiftFields(fields: readonly FieldLayout[], by: number): FieldLayout[] {
  return fields.map((f) => ({ ...f, offset: f.offset + by, ...(f.fields ? { fields: shiftFields(f.fields, by) } : {}) }));
}

/**
 * Fills `paddingAfter` and adds the gaps between top-level members and the
 * tail padding to `holes`. `occupied` are the bytes of a C++ class that are
 * not members (its vftable pointer and base subobjects), in front of them.
 */
function computePadding(fields: FieldLayout[], holes: Hole[], size: number, isUnion: boolean, occupied: { name: string; offset: number; size: number }[] = []): void {
  // Holes from anonymous members are already in `holes`; only then is a sort needed.
  const needsSort = holes.length > 0;
  let end = 0;
  let last: Pick<FieldLayout, 'name' | 'offset' | 'size' | 'bitWidth' | 'paddingAfter'> | undefined;
  let previous: Pick<FieldLayout, 'name' | 'offset' | 'size' | 'bitWidth' | 'paddingAfter'> | undefined;
  const subobjects = occupied
    .map((o): Pick<FieldLayout, 'name' | 'offset' | 'size' | 'bitWidth' | 'paddingAfter'> => ({ name: o.name, offset: o.offset, size: o.size, paddingAfter: 0 }))
    .sort((a, b) => a.offset - b.offset);
  for (const f of subobjects.length ? [...subobjects, ...fields] : fields) {
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
