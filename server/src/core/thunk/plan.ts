/**
 * The thunk plan: for a native type `T`, which records need a 32-bit shadow,
 * in dependency order, and how every member converts between the shadow and
 * the native type. The text generators (shadow, guards, capture, write-back,
 * dispatch) only render this plan; every decision is made here.
 *
 * Sides: the *peer* ABI is the 32-bit caller's (x86 for an x64 driver), the
 * *native* ABI is the driver's. The shadow reproduces the peer layout of `T`
 * (members taken from the peer translation unit, so `#if defined(_WIN64)`
 * members are seen as a 32-bit caller sees them) using types that have the
 * same layout when compiled for the native ABI.
 */

import type { AbiName } from '../abi';
import { type AbiUnit, type Analysis, type Prelude, buildPrelude } from '../analyze';
import type { CType, FieldDecl, RecordDecl, TranslationUnit } from '../ast';
import type { FieldLayout, LayoutContext, RecordLayout } from '../layout';
import { preludePath } from '../prelude';
import type { Loc } from '../source';
import { type AnnotationSource, type CommentIndex, annotationSource, commentsFor, indexComments } from '../ioctl';
import { type Wow64Pair, findShadow as findShadowOfPair, pairFromUnits, translationVerdict } from '../wow64';
import { compareLayouts, compareShadow, shadowDifferences } from '../compare';
import { findMember } from '../consteval';
import { type CommentSource, type CountSource, annotatedCount, inferredCount, namedMembers } from './counts';
import { annotatedCases, annotatedSwitch, armsNamedBy } from './switches';
import { integerName } from '../types';
import { camelName, canonical, declaration, isHandle, recordBaseName, recordOf, recordTypeRef } from './types';

export type { CountSource };

export type ThunkStyle = 'ulong' | 'pointer32';

export interface ThunkWarning {
  /**
   * Stable code: `union-pointer`, `recursive-pointer`, `unknown-count`, `inferred-count`, `inferred-switch`,
   * `member-mismatch`, `stale-shadow`, `untranslatable`, `unsized-pointer`.
   */
  code: string;
  message: string;
  /** The native type the warning is about, and the member (path) when there is one. */
  type: string;
  member?: string;
  loc?: Loc;
}

export type Conversion =
  /** Same type on both sides: assigned, or copied with `RtlCopyMemory` when it is an array (C cannot assign arrays). */
  | { kind: 'copy'; array?: boolean }
  /**
   * A pointer: `ULONG` (or `VOID * POINTER_32`) in the shadow; zero-extended.
   * A function pointer converts through `ULONG_PTR` with a cast to `functionType`
   * (C has no implicit conversion between `void *` and function pointers).
   */
  | { kind: 'pointer'; functionType?: string; cast?: string }
  /** A handle: `ULONG` (or `VOID * POINTER_32`); sign-extended. */
  | { kind: 'handle' }
  /** A pointer-sized integer (`SIZE_T`, `ULONG_PTR`, `LONG_PTR` ...): the peer-size integer in the shadow. */
  | { kind: 'integer'; signed: boolean; shadowType: string; maxConstant: string; minConstant?: string }
  /** A named record by value that needs its own shadow and routines. */
  | { kind: 'record'; plan: RecordPlan }
  /**
   * An untagged record defined in place (anonymous member, or `struct {...} Name;`):
   * reproduced in place even when it does not differ (`differs` false), as it has no name to refer to.
   */
  | { kind: 'inline'; recordKind: 'struct' | 'union'; fields: FieldPlan[]; pack?: number; declAlign?: number; differs: boolean }
  /** An array whose elements convert (`length` undefined: a flexible array member). */
  | { kind: 'array'; length?: number; element: Conversion }
  /**
   * A pointer to `count` records that need translation (one when no count is
   * known): captured into pool element by element; on the receive path,
   * written after the record.
   */
  | { kind: 'deep'; element: RecordPlan; count: CountSource; constPointee?: boolean }
  /**
   * A pointer to `count` elements that are the same for both callers
   * (characters, bytes, records without pointers): captured into pool as
   * bytes; on the receive path, copied after the record. `type` spells the
   * element (`UCHAR` for `void`), `size` and `align` are its peer numbers,
   * `pointer` spells the native member's type (for casts).
   */
  | { kind: 'buffer'; element: { type: string; size: number; align: number }; count: CountSource; pointer: string; constPointee?: boolean };

/**
 * A union converted by a `switch` on an earlier member of the same record:
 * each arm (a member of the union) is selected by the constants in `values`.
 */
export interface SwitchPlan {
  /** The discriminator: a sibling of the union member (`DataChunkType`). */
  member: string;
  /** How it was found, for the generated comment: `@switch DataChunkType`, or the inference. */
  how: string;
  arms: { values: string[]; field: FieldPlan }[];
}

export interface FieldPlan {
  /** Member name; undefined for anonymous struct/union members and unnamed bit-fields. */
  name?: string;
  peer: FieldLayout;
  /** The member with the same name in the native record (undefined when only the peer has it). */
  native?: FieldDecl;
  conversion: Conversion;
  /** How a pointer/handle member is spelled in the shadow (existing shadows decide per member). */
  form: ThunkStyle;
  /** Bit-field width (peer). */
  bitWidth?: number;
  /** `DECLSPEC_ALIGN(n)` the shadow member needs (declared on the member, or lost with a typedef). */
  declAlign?: number;
  /**
   * Set when the member cannot be converted mechanically (a union holding
   * pointers with no discriminator, a member only one ABI has, a flexible
   * array of pointers): the shadow still reproduces it; the routines leave a
   * `TODO` at it. `conversion` still says how the shadow spells it.
   */
  todo?: string;
  /** A union that differs, converted by a switch on an earlier member. */
  switch?: SwitchPlan;
  /**
   * Why the member is converted through an aligned copy: it is a record (or
   * an array of them) placed with less alignment than its type needs under
   * `#pragma pack`, so its address cannot be passed as a pointer to the type.
   */
  staged?: string;
}

export type ShadowStatus =
  /** No shadow exists: generate one. */
  | 'generate'
  /** The user's shadow exists and reproduces the peer layout: use it. */
  | 'existing'
  /** An SDK/WDK shadow (`UNICODE_STRING32` ...): use it. */
  | 'well-known'
  /** The user's shadow exists but is stale: propose the corrected one in its place. */
  | 'replace';

export interface SourceRange {
  file: string;
  start: Loc;
  /** Exclusive. */
  end: Loc;
}

export interface ShadowNames {
  /** `CONTOSO_REQUEST32`. */
  name: string;
  /** `_CONTOSO_REQUEST32`. */
  tag: string;
  /** `PCONTOSO_REQUEST32`. */
  pointer: string;
}

export interface RoutineNames {
  capture: string;
  release: string;
  writeBack: string;
  /** The receive path: the root's entry point (`Marshal<T>32`), and every record's part of it (`Store<T>32`). */
  marshal: string;
  store: string;
}

export interface RecordPlan {
  /** How C code names the native type (`CONTOSO_REQUEST` or `struct _FOO`). */
  nativeName: string;
  /** Pointer typedef of the native type if it has one (`PCONTOSO_REQUEST`), else `CONTOSO_REQUEST *`. */
  nativePointer: string;
  peer: RecordDecl;
  native: RecordDecl;
  peerLayout: RecordLayout;
  shadow: ShadowNames;
  status: ShadowStatus;
  /** For `existing`, `well-known` and `replace`: the shadow declaration found. */
  existing?: RecordDecl;
  /** For `replace`: the text range of the stale declaration (`typedef ... ;`). */
  replaces?: SourceRange;
  /** For `replace`: what is wrong with the stale shadow. */
  staleBecause?: string[];
  fields: FieldPlan[];
  /** Capture allocates pool (directly or through members): a release routine exists. */
  deep: boolean;
  routines: RoutineNames;
  /** Routines already defined in the unit (by an earlier run): not emitted again. */
  routinesExist: { capture: boolean; release: boolean; writeBack: boolean; marshal: boolean; store: boolean };
  /** The root type of this run (its routines are not `static`). */
  root: boolean;
}

export interface PlanOptions {
  type: string;
  style: ThunkStyle;
  /** The driver's ABI; default `x64` (its 32-bit peer comes from the ABI table). */
  native?: AbiName;
}

export interface Plan {
  root?: RecordPlan;
  /** Every record with a plan, dependencies first. */
  records: RecordPlan[];
  warnings: ThunkWarning[];
  /** Why no plan could be made (unknown type, ABI missing ...). */
  error?: string;
  /** The root type does not need translation (identical layouts): nothing to generate. */
  identical?: boolean;
  peer?: AbiUnit;
  native?: AbiUnit;
  style: ThunkStyle;
}

interface Env {
  peer: AbiUnit;
  native: AbiUnit;
  /** The issue-3 analysis's view of the same pair (shadows by `@shadow32`, translation verdicts). */
  pair: Wow64Pair;
  annotations: AnnotationSource;
  style: ThunkStyle;
  warnings: ThunkWarning[];
  byPeer: Map<RecordDecl, RecordPlan>;
  order: RecordPlan[];
  functions: Set<string>;
  /** Peer records whose members are being planned: a pointer back into one of them is a cycle. */
  planning: Set<RecordDecl>;
  comments: CommentSource;
  /** A stale shadow whose declaration does not end (no `;` yet: the user is typing it): not replaced. */
  unterminated?: RecordDecl;
}

/**
 * The comments on a member (on its lines, or alone on the line above it)
 * and on a record (ending on the line above it or starting on its first).
 * A comment that trails another declaration on the line above belongs to
 * that declaration, not to the member below.
 */
function commentSource(unit: AbiUnit): CommentSource {
  const indexes = new Map<string, CommentIndex | undefined>();
  const indexOf = (file: string) => {
    if (!indexes.has(file)) {
      const comments = unit.pp?.comments.get(file);
      indexes.set(file, comments && indexComments(comments));
    }
    return indexes.get(file);
  };
  const alone = (file: string, c: { offset: number }) => {
    const text = unit.pp?.files.get(file)?.text ?? '';
    const lineStart = text.lastIndexOf('\n', c.offset - 1) + 1;
    return text.slice(lineStart, c.offset).trim() === '';
  };
  const at = (file: string, line: number, endLine: number) => {
    const index = indexOf(file);
    if (!index) return [];
    return commentsFor(index, line, endLine)
      .filter((c) => c.line >= line || alone(file, c))
      .map((c) => c.text);
  };
  return {
    onMember: (f) => at(f.loc.file, f.loc.line, f.endLoc.line),
    onRecord: (r) => at(r.loc.file, r.loc.line, r.loc.line),
  };
}

/** Finds a record definition by typedef name or tag in a unit. */
export function findRecord(unit: AbiUnit['unit'], name: string): RecordDecl | undefined {
  const td = unit.typedefs.get(name);
  if (td) {
    const r = recordOf(td.type);
    if (r) return r.fields ? r : completeByTag(unit, r) ?? r;
  }
  const tag = unit.tags.get(name);
  if (tag && 'fields' in tag) return tag.fields ? tag : tag;
  return undefined;
}

function completeByTag(unit: TranslationUnit, r: RecordDecl): RecordDecl | undefined {
  if (!r.tag) return undefined;
  const t = unit.tags.get(r.tag);
  return t && 'fields' in t && t.fields ? t : undefined;
}

export function shadowNamesFor(record: RecordDecl): ShadowNames {
  const base = recordBaseName(record) ?? `ANONYMOUS_${record.id}`;
  const tag = record.tag ? `${record.tag}32` : `_${base}32`;
  return { name: `${base}32`, tag, pointer: `P${base}32` };
}

/**
 * The names an existing shadow declaration goes by: the typedef that follows
 * the `T32` / `T_32` convention when it declares several (`STRING32,
 * UNICODE_STRING32`), its pointer typedef only when it declares one.
 */
function existingNames(existing: RecordDecl, native: RecordDecl, generated: ShadowNames): ShadowNames {
  const plain = existing.typedefs.filter((t) => !t.startsWith('*'));
  const bases = [native.tag?.replace(/^_+/, ''), ...native.typedefs.filter((t) => !t.startsWith('*'))].filter((n): n is string => !!n);
  const conventional = plain.find((t) => bases.some((b) => t === `${b}32` || t === `${b}_32`));
  const typedefName = conventional ?? plain[0];
  const name = typedefName ?? (existing.tag ? `${existing.kind} ${existing.tag}` : generated.name);
  const pointer = typedefName && existing.typedefs.includes(`*P${typedefName}`) ? `P${typedefName}` : `${name} *`;
  return { name, tag: existing.tag ?? generated.tag, pointer };
}

export function routineNamesFor(record: RecordDecl): RoutineNames {
  const camel = camelName(recordBaseName(record) ?? `Anonymous${record.id}`);
  return { capture: `Capture${camel}32`, release: `Release${camel}32`, writeBack: `WriteBack${camel}32`, marshal: `Marshal${camel}32`, store: `Store${camel}32` };
}

export function buildPlan(analysis: Analysis, options: PlanOptions): Plan {
  const nativeName: AbiName = options.native ?? 'x64';
  const native = analysis.units.get(nativeName);
  const base: Plan = { records: [], warnings: [], style: options.style };
  if (!native) return { ...base, error: `the analysis has no ${nativeName} unit` };
  const peerName = native.abi.wow64Peer;
  const peer = peerName ? analysis.units.get(peerName) : undefined;
  if (!peer) return { ...base, error: `the analysis has no ${peerName ?? '32-bit peer'} unit` };
  const peerRoot = findRecord(peer.unit, options.type);
  const nativeRoot = findRecord(native.unit, options.type);
  if (!peerRoot || !nativeRoot) return { ...base, error: `unknown type '${options.type}' (not a struct or union defined in the input)`, peer, native };
  if (!peerRoot.fields || !nativeRoot.fields) return { ...base, error: `'${options.type}' is incomplete (declared but never defined)`, peer, native };
  const annotations = annotationSource(native.pp);
  const env: Env = {
    peer,
    native,
    annotations,
    pair: pairFromUnits(native, peer, { wide: preludeUnit(native), narrow: preludeUnit(peer) }, annotations),
    style: options.style,
    warnings: [],
    byPeer: new Map(),
    order: [],
    functions: new Set(native.unit.functions.filter((f) => f.isDefinition).map((f) => f.name)),
    planning: new Set(),
    comments: commentSource(native),
  };
  const identical = !needsTranslation(env, peerRoot, nativeRoot);
  const root = planRecord(env, peerRoot, nativeRoot, true);
  // Generated code must not stand on a wrong number: a record the plan reaches (by value,
  // through a pointer, or an existing shadow) whose layout is unusable stops it.
  const unusable = unusableRecord(env);
  if (unusable) return { ...base, error: unusable, peer, native };
  const open = env.unterminated;
  if (open) return { ...base, error: `the stale shadow '${recordTypeRef(open) ?? open.tag ?? 'struct'}' (line ${open.loc.line}) has no ';' after its declaration yet: finish it, then its corrected definition can replace it`, peer, native };
  if (!identical && root.peer.kind === 'union') {
    env.warnings.push({
      code: 'union-pointer',
      type: root.nativeName,
      message: `${root.nativeName} is a union whose members differ for 32-bit callers and it has no discriminator: only its shadow is generated; convert the member in use where the union is used`,
      loc: root.native.loc,
    });
  }
  return { root, records: env.order, warnings: env.warnings, identical, peer, native, style: options.style };
}

/** The first record of the plan whose layout is unusable on either ABI, as an error message. */
function unusableRecord(env: Env): string | undefined {
  for (const plan of env.order) {
    const sides: [LayoutContext, RecordDecl | undefined][] = [
      [env.peer.layout, plan.peer],
      [env.native.layout, plan.native],
      [env.native.layout, plan.existing],
    ];
    for (const [layout, record] of sides) {
      const l = record && layout.layoutOf(record);
      if (l && !l.complete) return `'${recordTypeRef(record!) ?? plan.nativeName}' has no usable layout on ${layout.abi.name}: ${l.problem ?? 'see the diagnostics'}`;
    }
  }
  return undefined;
}

/**
 * Does the record need translation? The WOW64 verdict (`wow64.ts`) when it
 * can pair the record by name; for records it cannot pair, such as untagged
 * ones defined in place, the same comparison (`compare.ts`) on the two given.
 */
function needsTranslation(env: Env, peer: RecordDecl, native: RecordDecl): boolean {
  const verdict = translationVerdict(env.pair, native);
  if (verdict) return verdict.needs;
  return compareLayouts({ layout: env.peer.layout, record: peer }, { layout: env.native.layout, record: native }).needs;
}

function planRecord(env: Env, peer: RecordDecl, native: RecordDecl, root = false): RecordPlan {
  const known = env.byPeer.get(peer);
  if (known) return known;
  const shadow = shadowNamesFor(peer);
  const nativeName = recordTypeRef(native) ?? recordTypeRef(peer) ?? shadow.name.slice(0, -2);
  const pointerTypedef = native.typedefs.find((t) => /^\*[A-Za-z_]\w*$/.test(t));
  const plan: RecordPlan = {
    nativeName,
    nativePointer: pointerTypedef ? pointerTypedef.slice(1) : `${nativeName} *`,
    peer,
    native,
    peerLayout: env.peer.layout.layoutOf(peer),
    shadow,
    status: 'generate',
    fields: [],
    deep: false,
    routines: routineNamesFor(peer),
    routinesExist: { capture: false, release: false, writeBack: false, marshal: false, store: false },
    root,
  };
  env.byPeer.set(peer, plan);
  const existing = findShadow(env, peer, native, shadow);
  if (existing) {
    const fromSystem = isSystemShadow(existing);
    const check = compareShadow({ layout: env.peer.layout, record: peer }, { layout: env.native.layout, record: existing }, { subset: fromSystem });
    const differences = shadowDifferences(check);
    plan.existing = existing;
    // An existing shadow keeps its own names (a corrected one replaces it under the same names).
    plan.shadow = existingNames(existing, native, shadow);
    if (fromSystem) {
      plan.status = 'well-known';
      if (!check.same) {
        env.warnings.push({
          code: 'stale-shadow',
          type: nativeName,
          message: `the SDK/WDK shadow ${plan.shadow.name} does not match ${nativeName}'s ${env.peer.abi.name} layout: ${differences.join('; ')}`,
          loc: existing.loc,
        });
      }
    } else if (check.same) {
      plan.status = 'existing';
    } else {
      plan.status = 'replace';
      plan.staleBecause = differences;
      plan.replaces = declarationRange(env.native, existing);
      if (!plan.replaces) env.unterminated ??= existing;
      env.warnings.push({
        code: 'stale-shadow',
        type: nativeName,
        message: `${shadow.name} does not reproduce ${nativeName}'s ${env.peer.abi.name} layout (${differences.join('; ')}); a corrected definition replaces it`,
        loc: existing.loc,
      });
    }
  }
  // A well-known shadow's own members are the SDK's business: no warnings from inside it.
  const warningsBefore = env.warnings.length;
  const useExisting = existing && (plan.status === 'existing' || plan.status === 'well-known') ? existing : undefined;
  // A corrected shadow keeps how the stale one spelled each surviving pointer (`VOID * POINTER_32` or `ULONG`).
  env.planning.add(peer);
  plan.fields = planFields(env, plan, peer, native, useExisting ?? (plan.status === 'replace' ? existing : undefined), '');
  env.planning.delete(peer);
  if (useExisting && !sameTopLevelNames(plan.fields, useExisting)) {
    // The shadow resolves anonymous members its own way (IO_STATUS_BLOCK32 keeps only `Status` of the
    // `Status`/`Pointer` union): convert what the shadow has, found by name in the native type.
    env.warnings.length = warningsBefore;
    plan.fields = fieldsFollowingShadow(env, plan, peer, native, useExisting);
  }
  if (useExisting) keepFullPointers(plan.fields, useExisting);
  if (plan.status === 'well-known') env.warnings.length = warningsBefore;
  plan.deep = fieldsAreDeep(plan.fields);
  plan.routinesExist = {
    capture: env.functions.has(plan.routines.capture),
    release: env.functions.has(plan.routines.release),
    writeBack: env.functions.has(plan.routines.writeBack),
    marshal: env.functions.has(plan.routines.marshal),
    store: env.functions.has(plan.routines.store),
  };
  env.order.push(plan);
  return plan;
}

/**
 * Does a member lead to what the caller sends with the record (a pointee the
 * capture copies into pool, the release frees and the write-back gives back
 * as the caller's own pointer), by value or through nested records? Members
 * left as a TODO do not: nothing is captured for them.
 */
export function conversionIsDeep(c: Conversion): boolean {
  switch (c.kind) {
    case 'deep':
    case 'buffer':
      return true;
    case 'record':
      return c.plan.deep;
    case 'inline':
      return fieldsAreDeep(c.fields);
    case 'array':
      return conversionIsDeep(c.element);
    default:
      return false;
  }
}

export function fieldsAreDeep(fields: FieldPlan[]): boolean {
  return fields.some((f) => !f.todo && conversionIsDeep(f.conversion));
}

/** Shadows the SDK/WDK declare; they are trusted (checked as a subset) and never replaced. */
const wellKnownShadows = new Set([
  'UNICODE_STRING32', 'STRING32', 'ANSI_STRING32', 'OEM_STRING32', 'LIST_ENTRY32', 'SINGLE_LIST_ENTRY32',
  'IO_STATUS_BLOCK32', 'OBJECT_ATTRIBUTES32', 'CLIENT_ID32', 'LARGE_INTEGER32',
]);

/**
 * Well-known shadows the WDK declares for 64-bit builds only: wdm.h has
 * `IO_STATUS_BLOCK32` under `#if defined(_WIN64)` (mingw-w64's ddk/wdm.h
 * too). The others above are declared for every build where they are
 * declared at all.
 */
const win64OnlyShadows = new Set(['IO_STATUS_BLOCK32']);

/**
 * The records of a plan whose shadow or routines name a `_WIN64`-only WDK
 * shadow, directly or through the records they hold or point to: their
 * generated code goes under `#if defined(_WIN64)` (WOW64 translation code
 * only runs in a 64-bit driver), so an x86 build of the same file compiles.
 * Each maps to the WDK shadow it names, for the generated comment.
 */
export function win64OnlyRecords(records: RecordPlan[]): Map<RecordPlan, string> {
  const out = new Map<RecordPlan, string>();
  for (const r of records) {
    if (r.status === 'well-known' && (win64OnlyShadows.has(r.shadow.name) || win64OnlyShadows.has(r.shadow.tag.replace(/^_/, '')))) out.set(r, r.shadow.name);
  }
  if (out.size === 0) return out;
  const uses = (c: Conversion): string | undefined => {
    switch (c.kind) {
      case 'record':
        return out.get(c.plan);
      case 'deep':
        return out.get(c.element);
      case 'array':
        return uses(c.element);
      case 'inline':
        return firstOf(c.fields);
      default:
        return undefined;
    }
  };
  const usesField = (f: FieldPlan): string | undefined => uses(f.conversion) ?? firstOf((f.switch?.arms ?? []).map((a) => a.field));
  const firstOf = (fields: FieldPlan[]): string | undefined => {
    for (const f of fields) {
      const name = usesField(f);
      if (name) return name;
    }
    return undefined;
  };
  // A fixpoint: records can point to each other in a cycle.
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of records) {
      const name = out.has(r) ? undefined : firstOf(r.fields);
      if (name) {
        out.set(r, name);
        changed = true;
      }
    }
  }
  return out;
}

function isSystemShadow(record: RecordDecl): boolean {
  if (record.loc.file === preludePath) return true;
  if (/\/mingw-w64\/|\/(km|um|shared)\/[^/]+\.h$/i.test(record.loc.file)) return true;
  return record.typedefs.some((t) => wellKnownShadows.has(t)) || (record.tag !== undefined && wellKnownShadows.has(record.tag.replace(/^_/, '')));
}

/**
 * The prelude as its own unit: the well-known shadows (`UNICODE_STRING32`
 * ...) live there, and a translation unit only reaches prelude names it uses,
 * so they are looked up here too. It is the one the unit was analysed with;
 * a unit analysed without a prelude still gets one (built once per ABI).
 */
const standalonePreludes = new Map<string, Prelude>();
export function preludeFor(unit: AbiUnit): Prelude {
  if (unit.prelude) return unit.prelude;
  let prelude = standalonePreludes.get(unit.abi.name);
  if (!prelude) standalonePreludes.set(unit.abi.name, (prelude = buildPrelude(unit.abi)));
  return prelude;
}

function preludeUnit(unit: AbiUnit): TranslationUnit {
  return preludeFor(unit).unit;
}

/** `T32` / `_T32` as typedef or tag, in the native unit (where the shadow is compiled), else among the prelude's well-known shadows. */
function findShadow(env: Env, peer: RecordDecl, native: RecordDecl, names: ShadowNames): RecordDecl | undefined {
  // `@shadow32 NAME` on the type, or `T32` / `T_32` by name (the analysis's rule) ...
  const found = findShadowOfPair(env.pair, native)?.shadow;
  if (found?.fields) return found;
  // ... or the `_T32` tag spellings the generator itself emits.
  return findShadowIn(env.native.unit, peer, names) ?? findShadowIn(preludeUnit(env.native), peer, names);
}

function findShadowIn(unit: TranslationUnit, peer: RecordDecl, names: ShadowNames): RecordDecl | undefined {
  const candidates = [names.name, names.tag];
  if (peer.tag) candidates.push(`${peer.tag}32`);
  for (const typedefName of peer.typedefs.filter((t) => !t.startsWith('*'))) candidates.push(`${typedefName}32`);
  for (const c of candidates) {
    const td = unit.typedefs.get(c);
    const r = td ? recordOf(td.type) : undefined;
    if (r?.fields) return r;
    if (r) {
      const full = completeByTag(unit, r);
      if (full) return full;
    }
    const tag = unit.tags.get(c);
    if (tag && 'fields' in tag && tag.fields) return tag;
  }
  return undefined;
}

/**
 * The same range read from the file's text, for a record whose tokens the
 * unit no longer holds (a header read in the editor's preamble, or by
 * `check`, which drops token streams): `typedef` (and `__declspec(...)`)
 * written before the keyword, through the `;` after the closing brace.
 * Replacing only `struct ... }` would leave `typedef` and the declarators
 * behind around the replacement.
 */
function declarationRangeInText(unit: AbiUnit, record: RecordDecl): SourceRange | 'open' | undefined {
  const text = unit.pp?.files.get(record.loc.file)?.text;
  const close = record.endLoc?.offset;
  if (text === undefined || close === undefined || text[close] !== '}') return undefined;
  const before = text.slice(Math.max(0, record.loc.offset - 300), record.loc.offset);
  const lead = /\btypedef\s+(?:(?:__declspec|DECLSPEC_ALIGN)\s*\([^()]*(?:\([^()]*\)[^()]*)*\)\s*)*$/.exec(before);
  const start = lead ? record.loc.offset - before.length + lead.index : record.loc.offset;
  let depth = 0;
  let end = -1;
  for (let i = close + 1; i < text.length && end < 0; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ';' && depth === 0) end = i + 1;
    if (depth < 0) return undefined;
    if ((depth === 1 && c === '{') || (depth === 0 && /^typedef\b/.test(text.slice(i, i + 8)) && !/\w/.test(text[i - 1]))) return 'open';
  }
  if (end < 0) return 'open';
  const locAt = (offset: number): Loc => {
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    let line = 1;
    for (let i = text.indexOf('\n'); i >= 0 && i < lineStart; i = text.indexOf('\n', i + 1)) line++;
    return { file: record.loc.file, line, col: offset - lineStart + 1, offset };
  };
  return { file: record.loc.file, start: locAt(start), end: locAt(end) };
}

/**
 * The text range of `typedef struct _X32 { ... } X32, *PX32;` (or of the
 * record alone when neither its tokens nor its text are available);
 * undefined when the declaration does not end yet (no `;` before the end of
 * the file or the next declaration: the user is typing it), since replacing
 * it would leave its declarators behind or eat what follows.
 */
function declarationRange(unit: AbiUnit, record: RecordDecl): SourceRange | undefined {
  const inText = declarationRangeInText(unit, record);
  if (inText === 'open') return undefined;
  const fallback = inText ?? { file: record.loc.file, start: record.loc, end: record.endLoc ?? record.loc };
  const tokens = unit.pp?.tokens;
  if (!tokens) return fallback;
  const at = tokens.findIndex((t) => !t.expansion && t.file.path === record.loc.file && t.offset === record.loc.offset);
  if (at < 0) return fallback;
  let start = at;
  // Walk back over `typedef` and `__declspec(...)`/`DECLSPEC_ALIGN(...)` written before the keyword.
  for (let i = at - 1; i >= 0 && i >= at - 12; i--) {
    const t = tokens[i];
    if (t.file.path !== record.loc.file) break;
    if (t.text === 'typedef') {
      start = i;
      break;
    }
    if (t.text === ';' || t.text === '}' || t.text === '{') break;
  }
  let depth = 0;
  let end = -1;
  let closed = false;
  for (let i = at; i < tokens.length; i++) {
    const t = tokens[i];
    // After the record's `}`, a `{` or `typedef` is the next declaration: this one has not ended.
    if (closed && depth === 0 && (t.text === '{' || t.text === 'typedef')) return undefined;
    if (t.text === '{' || t.text === '(') depth++;
    else if (t.text === '}' || t.text === ')') closed ||= --depth === 0;
    else if (t.text === ';' && depth === 0) {
      end = i;
      break;
    }
  }
  if (end < 0) return undefined;
  const s = tokens[start];
  const e = tokens[end];
  const locOf = (t: (typeof tokens)[number], extra: number): Loc => ({ file: t.file.path, line: t.line, col: t.col + extra, offset: t.offset + extra });
  return { file: record.loc.file, start: locOf(s, 0), end: locOf(e, 1) };
}

/**
 * A shadow used as written may keep a native pointer as it is (mingw-w64's
 * `VOID * UPOINTER_32 Reserved[2]`, whose `UPOINTER_32` is empty there):
 * such a member has the native type on both sides, so it is copied as is.
 */
function keepFullPointers(fields: FieldPlan[], shadow: RecordDecl) {
  for (const f of fields) {
    const written = f.name ? (shadow.fields ?? []).find((e) => e.name === f.name) : undefined;
    if (!written || f.todo) continue;
    let t = canonical(written.type);
    const array = t.kind === 'array';
    while (t.kind === 'array') t = canonical(t.of);
    if (t.kind === 'pointer' && t.width === undefined) f.conversion = array ? { kind: 'copy', array } : { kind: 'copy' };
  }
}

/** How an existing shadow spells a member: a 32-bit pointer, an integer, or (anything else, e.g. a stale full pointer) the chosen style. */
function spellingOf(type: CType, style: ThunkStyle): ThunkStyle {
  let c = canonical(type);
  while (c.kind === 'array') c = canonical(c.of);
  if (c.kind === 'pointer') return c.width === 32 ? 'pointer32' : style;
  if (c.kind === 'int') return 'ulong';
  return style;
}

function sameTopLevelNames(fields: FieldPlan[], shadow: RecordDecl): boolean {
  const a = fields.map((f) => f.name ?? '');
  const b = (shadow.fields ?? []).map((f) => f.name ?? '');
  return a.length === b.length && a.every((n, i) => n !== '' && n === b[i]);
}

/** A member by name, looking through anonymous members (the way C code names it). */
/** Field plans shaped like an existing shadow: its named members, each converted as the native member of that name. */
function fieldsFollowingShadow(env: Env, owner: RecordPlan, peer: RecordDecl, native: RecordDecl, shadow: RecordDecl): FieldPlan[] {
  const peerFields = env.peer.layout.layoutOf(peer).fields;
  const out: FieldPlan[] = [];
  for (const sf of shadow.fields ?? []) {
    if (!sf.name) continue;
    const pf = findMember(peerFields, sf.name);
    const nf = pf ? namedMembers(native).find((m) => m.name === sf.name) : undefined;
    if (!pf || !nf) continue;
    out.push({
      name: sf.name,
      peer: pf,
      native: nf,
      conversion: conversionFor(env, owner, pf, nf, sf.name, peer),
      form: spellingOf(sf.type, env.style),
      bitWidth: pf.bitWidth,
    });
  }
  return out;
}

/** Pairs peer members with native ones: named by name, anonymous ones by their order among anonymous ones. */
function pairFields(peerFields: FieldLayout[], nativeDecls: FieldDecl[]): (FieldDecl | undefined)[] {
  const byName = new Map<string, FieldDecl>();
  const anonymous: FieldDecl[] = [];
  for (const f of nativeDecls) {
    if (f.name) byName.set(f.name, f);
    else if (f.bitWidth === undefined) anonymous.push(f);
  }
  let nextAnonymous = 0;
  return peerFields.map((f) => {
    if (f.name) return byName.get(f.name);
    if (f.decl.bitWidth !== undefined) return undefined;
    return anonymous[nextAnonymous++];
  });
}

function planFields(env: Env, owner: RecordPlan, peer: RecordDecl, native: RecordDecl, existing: RecordDecl | undefined, prefix: string, peerFieldsOverride?: FieldLayout[]): FieldPlan[] {
  const peerFields = peerFieldsOverride ?? env.peer.layout.layoutOf(peer).fields;
  const nativeDecls = native.fields ?? [];
  const pairs = pairFields(peerFields, nativeDecls);
  const existingFields = existing?.fields ?? [];
  const out: FieldPlan[] = [];
  for (let i = 0; i < peerFields.length; i++) {
    const f = peerFields[i];
    const nf = pairs[i];
    const path = prefix + (f.name ?? '');
    const plan: FieldPlan = { name: f.name ?? undefined, peer: f, native: nf, conversion: { kind: 'copy' }, form: env.style };
    if (f.bitWidth !== undefined) plan.bitWidth = f.bitWidth;
    if (f.name && existing) {
      const ef = existingFields.find((e) => e.name === f.name);
      if (ef) plan.form = spellingOf(ef.type, env.style);
    }
    if (f.decl.bitWidth !== undefined && f.name === null) {
      out.push(plan); // unnamed bit-field: reproduced as padding, nothing to convert
      continue;
    }
    if (!nf) {
      env.warnings.push({
        code: 'member-mismatch',
        type: owner.nativeName,
        member: path || undefined,
        message: `${owner.nativeName}${path ? '.' + path : ''} exists only for ${env.peer.abi.name} callers; it is reproduced in the shadow but not converted`,
        loc: f.decl.loc,
      });
      // Converted as its type is on the native side (the same typedef name), though nothing native receives it.
      plan.conversion = conversionFor(env, owner, f, { ...f.decl, type: sameTypeInNative(env, f.decl.type) }, path, peer);
      plan.todo = `no member ${path} in the ${env.native.abi.name} definition`;
      plan.declAlign = memberDeclAlign(env.peer.layout, f, plan.conversion);
      out.push(plan);
      continue;
    }
    plan.conversion = conversionFor(env, owner, f, nf, path, peer);
    plan.declAlign = memberDeclAlign(env.peer.layout, f, plan.conversion);
    plan.staged = stagedReason(env, f, native, plan.conversion);
    out.push(plan);
  }
  // Unions that differ: converted by a switch on an earlier member when one selects the arm, else a TODO.
  out.forEach((plan, i) => {
    if (plan.todo || !plan.native) return;
    const arms = unionArms(plan.conversion);
    const found = arms && findSwitch(env, owner, out, i, native, arms, prefix);
    if (found) plan.switch = found;
    else {
      const todo = todoOf(plan.conversion);
      if (todo) {
        plan.todo = todo;
        warnUnion(env, owner, prefix + (plan.name ?? ''), plan.peer);
      }
    }
  });
  // A trailing `[1]` / `[ANYSIZE_ARRAY]` array whose elements convert is a variable-length buffer in disguise.
  const last = out[out.length - 1];
  if (last?.conversion.kind === 'array' && last.conversion.length === 1 && !last.todo) {
    env.warnings.push({
      code: 'untranslatable',
      type: owner.nativeName,
      member: prefix + (last.name ?? ''),
      message: `${owner.nativeName}.${prefix}${last.name} looks like a variable-length trailing array (ANYSIZE_ARRAY); only its first element is converted: size the rest from the buffer length and convert them the same way`,
      loc: last.peer.decl.loc,
    });
  }
  const paired = new Set(pairs.filter((p): p is FieldDecl => !!p));
  for (const nf of nativeDecls) {
    if (paired.has(nf) || !nf.name) continue;
    env.warnings.push({
      code: 'member-mismatch',
      type: owner.nativeName,
      member: prefix + nf.name,
      message: `${owner.nativeName}.${prefix}${nf.name} exists only in the ${env.native.abi.name} definition: a 32-bit caller cannot send it, so capture leaves it zero and write-back drops it`,
      loc: nf.loc,
    });
  }
  return out;
}

/** A peer type as the native unit spells it: the native typedef of the same name, when there is one. */
function sameTypeInNative(env: Env, type: CType): CType {
  if (type.kind !== 'typedef') return type;
  const decl = env.native.unit.typedefs.get(type.decl.name) ?? preludeUnit(env.native).typedefs.get(type.decl.name);
  return decl ? { kind: 'typedef', decl } : type;
}

/** The `__declspec(align)` the shadow member must spell out: the member's own, or one its typedef carried and the shadow type loses. */
function memberDeclAlign(ctx: LayoutContext, f: FieldLayout, c: Conversion): number | undefined {
  if (f.decl.declAlign) return f.decl.declAlign;
  if (c.kind === 'copy' || c.kind === 'inline' || c.kind === 'record') return undefined;
  const required = ctx.typeInfo(f.decl.type).requiredAlign;
  return required > 0 ? required : undefined;
}

function conversionFor(env: Env, owner: RecordPlan, f: FieldLayout, nf: FieldDecl, path: string, peerOwner: RecordDecl): Conversion {
  const peerType = f.decl.type;
  const nativeType = nf.type;
  return typeConversion(env, owner, peerType, nativeType, path, f, nf, peerOwner);
}

function typeConversion(env: Env, owner: RecordPlan, peerType: CType, nativeType: CType, path: string, f: FieldLayout, nf: FieldDecl, peerOwner: RecordDecl): Conversion {
  // A pointer converts when its size differs between the ABIs (sizes, not spellings: `__ptr32` and
  // `__ptr64` fix the width on x86/x64 only; on ARM they are ordinary pointers).
  const pointerDiffers =
    canonical(peerType).kind === 'pointer' && env.peer.layout.typeInfo(peerType).size !== env.native.layout.typeInfo(nativeType).size;
  if (canonical(peerType).kind === 'pointer' && !pointerDiffers) return { kind: 'copy' };
  if (isHandle(peerType) && pointerDiffers) return { kind: 'handle' };
  if (pointerDiffers) {
    // Elements of an array of pointers are only converted (no count can size each).
    const pointee = path.endsWith('[]') ? undefined : pointeeConversion(env, owner, peerType, nativeType, path, f, nf, peerOwner);
    if (pointee) return pointee;
    const target = canonical(nativeType);
    if (target.kind === 'pointer' && canonical(target.to).kind === 'function') {
      return { kind: 'pointer', functionType: declaration(nativeType, '', { arrayLength: (e) => String(env.native.layout.evaluate(e) ?? 0n) }).trim() };
    }
    // C++ converts no `void *` to another pointer implicitly: a typed pointer gets a cast there.
    if (env.native.language === 'cpp' && target.kind === 'pointer' && canonical(target.to).kind !== 'void') {
      return { kind: 'pointer', cast: declaration(nativeType, '', { arrayLength: (e) => String(env.native.layout.evaluate(e) ?? 0n) }).trim() };
    }
    return { kind: 'pointer' };
  }
  const pc = canonical(peerType);
  const nc = canonical(nativeType);
  if (pc.kind === 'int' || pc.kind === 'bool' || pc.kind === 'enum') {
    const ps = env.peer.layout.typeInfo(peerType).size;
    const ns = env.native.layout.typeInfo(nativeType).size;
    if (ps !== ns && pc.kind === 'int') return integerConversion(pc.signed, ps);
    return { kind: 'copy' };
  }
  if (pc.kind === 'record' && nc.kind === 'record') {
    const peerRecord = pc.decl.fields ? pc.decl : completeByTag(env.peer.unit, pc.decl) ?? pc.decl;
    const nativeRecord = nc.decl.fields ? nc.decl : completeByTag(env.native.unit, nc.decl) ?? nc.decl;
    if (!peerRecord.fields || !nativeRecord.fields) return { kind: 'copy' };
    const differs = needsTranslation(env, peerRecord, nativeRecord);
    const named = recordBaseName(peerRecord) !== undefined;
    if (!differs && named) return { kind: 'copy' };
    if (named) return { kind: 'record', plan: planRecord(env, peerRecord, nativeRecord) };
    // Defined in place: reproduced inline, converted member by member.
    const innerPeerFields = f.fields ?? env.peer.layout.layoutOf(peerRecord).fields;
    const fields = planFields(env, owner, peerRecord, nativeRecord, undefined, path ? path + '.' : '', innerPeerFields);
    return { kind: 'inline', recordKind: peerRecord.kind, fields, pack: peerRecord.pack, declAlign: peerRecord.declAlign, differs };
  }
  if (pc.kind === 'array' && nc.kind === 'array') {
    const element = typeConversion(env, owner, pc.of, nc.of, path + '[]', f, nf, peerOwner);
    if (element.kind === 'copy') return { kind: 'copy', array: true };
    if (element.kind === 'inline' && !element.differs && pc.length !== undefined) {
      return { kind: 'array', length: Number(env.peer.layout.evaluate(pc.length) ?? 0n), element };
    }
    if (pc.length === undefined) {
      env.warnings.push({
        code: 'untranslatable',
        type: owner.nativeName,
        member: path,
        message: `${owner.nativeName}.${path} is a flexible array of members that differ for 32-bit callers; its elements are not converted`,
        loc: f.decl.loc,
      });
      return { kind: 'array', element };
    }
    const length = Number(env.peer.layout.evaluate(pc.length) ?? 0n);
    return { kind: 'array', length, element };
  }
  return pc.kind === 'array' ? { kind: 'copy', array: true } : { kind: 'copy' };
}

function integerConversion(signed: boolean, size: number): Conversion {
  const names: Record<number, [string, string, string, string]> = {
    1: ['UCHAR', 'CHAR', 'MAXUCHAR', 'MINCHAR'],
    2: ['USHORT', 'SHORT', 'MAXUSHORT', 'MINSHORT'],
    4: ['ULONG', 'LONG', 'MAXULONG', 'MINLONG'],
    8: ['ULONGLONG', 'LONGLONG', 'MAXULONGLONG', 'MINLONGLONG'],
  };
  const [u, s, umax, smin] = names[size] ?? names[4];
  if (!signed) return { kind: 'integer', signed, shadowType: u, maxConstant: umax };
  return { kind: 'integer', signed, shadowType: s, maxConstant: umax.replace('MAXU', 'MAX'), minConstant: smin };
}

function warnUnion(env: Env, owner: RecordPlan, path: string, f: FieldLayout) {
  env.warnings.push({
    code: 'union-pointer',
    type: owner.nativeName,
    member: path || undefined,
    message: `${path ? `${owner.nativeName}.${path}` : `the anonymous union in ${owner.nativeName}`} holds members that differ for 32-bit callers and has no discriminator; the shadow reproduces it, but which member to convert is left as a TODO`,
    loc: f.decl.loc,
  });
}

/** Why a member cannot be converted mechanically, if it cannot. */
function todoOf(c: Conversion): string | undefined {
  if (c.kind === 'record' && c.plan.peer.kind === 'union') return `the union ${c.plan.nativeName} holds members that differ for 32-bit callers and has no discriminator: convert the member that is in use`;
  if (c.kind === 'inline' && c.recordKind === 'union' && c.differs) return 'this union holds members that differ for 32-bit callers and has no discriminator: convert the member that is in use';
  if (c.kind === 'array' && c.length === undefined) return 'a flexible array whose elements differ for 32-bit callers: convert its elements with the count the caller sent';
  if (c.kind === 'array') return todoOf(c.element);
  return undefined;
}

/**
 * A pointer to what the caller sends with the record: records that need
 * translation (`deep`), or elements that do not (`buffer`: characters,
 * bytes, records without pointers), with their count (counts.ts). A pointer
 * to a record with no count is one object. Undefined when only the pointer
 * converts: a function, a pointer, an opaque or unsized pointee, or a record
 * the pointer leads back into (a list, a tree: following it would recurse
 * as deep as the caller's data goes).
 */
function pointeeConversion(env: Env, owner: RecordPlan, peerType: CType, nativeType: CType, path: string, f: FieldLayout, nf: FieldDecl, peerOwner: RecordDecl): Conversion | undefined {
  const pc = canonical(peerType);
  const nc = canonical(nativeType);
  if (pc.kind !== 'pointer' || nc.kind !== 'pointer' || !nf.name) return undefined;
  const to = canonical(pc.to);
  const pointer = declaration(nativeType, '', { arrayLength: (e) => String(env.native.layout.evaluate(e) ?? 0n) }).trim();
  const isCount = (m: FieldDecl) => canonical(m.type).kind === 'int' && m.bitWidth === undefined && env.peer.layout.typeInfo(m.type).size <= 4;
  const annotated = annotatedCount([f.decl, nf], peerOwner, env.comments);
  if (to.kind === 'record') {
    const peerRecord = to.decl.fields ? to.decl : completeByTag(env.peer.unit, to.decl);
    const nativePointee = recordOf(nc.to);
    const nativeRecord = nativePointee?.fields ? nativePointee : nativePointee && completeByTag(env.native.unit, nativePointee);
    if (!peerRecord?.fields || !nativeRecord?.fields) return undefined;
    if (env.planning.has(peerRecord)) {
      env.warnings.push({
        code: 'recursive-pointer',
        type: owner.nativeName,
        member: path,
        message: `${owner.nativeName}.${path} points back to ${recordTypeRef(peerRecord)}, which holds it: only the pointer is converted (following it would recurse as deep as the caller's data goes)`,
        loc: f.decl.loc,
      });
      return undefined;
    }
    const differs = needsTranslation(env, peerRecord, nativeRecord);
    if (differs && recordBaseName(peerRecord) === undefined) return undefined;
    // Records that differ change size: a count of them in bytes would be wrong on one side, so only element counts are used.
    const count = checkedCount(env, owner, path, f, peerOwner, annotated ?? inferredCount(peerOwner, nf.name, { elements: true, bytes: !differs, isCount }) ?? {
      constant: 1,
      bytes: false,
      annotation: 'no count: one object',
      how: 'single',
    });
    if (!count) return undefined;
    if (differs && count.bytes) {
      env.warnings.push({
        code: 'unknown-count',
        type: owner.nativeName,
        member: path,
        message: `${owner.nativeName}.${path}: '${count.annotation}' counts bytes of ${recordTypeRef(peerRecord)}, whose size differs for 32-bit callers; give its element count (_Field_size_ or @count) to capture it deeply; only the pointer is converted`,
        loc: f.decl.loc,
      });
      return undefined;
    }
    if (differs && peerRecord.kind === 'union') {
      // A union that differs has no routines of its own (which member is live is not known there).
      warnUnion(env, owner, path, f);
      return undefined;
    }
    if (differs) return { kind: 'deep', element: planRecord(env, peerRecord, nativeRecord), count, ...(nc.to.const ? { constPointee: true } : {}) };
    const info = env.peer.layout.typeInfo(pc.to);
    const element = { type: recordTypeRef(peerRecord) ?? declaration(pc.to, '', { arrayLength: () => '0' }).trim(), size: info.size, align: info.align };
    return { kind: 'buffer', element, count, pointer, ...(nc.to.const ? { constPointee: true } : {}) };
  }
  if (to.kind !== 'int' && to.kind !== 'void' && to.kind !== 'bool' && to.kind !== 'float' && to.kind !== 'enum') return undefined;
  // A pointer to pointer-sized integers would need its elements converted: only the pointer is.
  if (to.kind !== 'void' && env.peer.layout.typeInfo(pc.to).size !== env.native.layout.typeInfo(nc.to).size) return undefined;
  const count = checkedCount(env, owner, path, f, peerOwner, annotated ?? inferredCount(peerOwner, nf.name, { elements: to.kind !== 'void', bytes: true, isCount }));
  if (!count) return undefined;
  const info = to.kind === 'void' ? { size: 1, align: 1 } : env.peer.layout.typeInfo(pc.to);
  const type = to.kind === 'void' ? 'UCHAR' : elementTypeName(pc.to);
  return { kind: 'buffer', element: { type, size: info.size, align: info.align }, count, pointer, ...(nc.to.const ? { constPointee: true } : {}) };
}

/**
 * A scalar pointee's type as the generated code spells it in `sizeof` and
 * `TYPE_ALIGNMENT`: its typedef name when it has one, else the WDK's name of
 * the builtin type (`PWCH` is a pointer to `wchar_t`, which C only knows
 * through <stddef.h>: `WCHAR`).
 */
function elementTypeName(type: CType): string {
  if (type.kind === 'typedef') return type.decl.name;
  const c = canonical(type);
  if (c.kind === 'int') return integerName(c, 'wdk');
  if (c.kind === 'bool') return 'BOOLEAN';
  return declaration({ ...c, const: false, volatile: false }, '', { arrayLength: () => '0' }).trim();
}

/** The count, if its member is an integer of at most 32 bits in the same record; an inferred one is said so in a warning. */
function checkedCount(env: Env, owner: RecordPlan, path: string, f: FieldLayout, peerOwner: RecordDecl, count: CountSource | undefined): CountSource | undefined {
  if (!count) return undefined;
  if (count.member !== undefined) {
    const member = namedMembers(peerOwner).find((m) => m.name === count.member);
    if (!member || canonical(member.type).kind !== 'int' || env.peer.layout.typeInfo(member.type).size > 4) {
      env.warnings.push({
        code: 'unknown-count',
        type: owner.nativeName,
        member: path,
        message: `${owner.nativeName}.${path}: the count '${count.annotation}' is not an integer member of at most 32 bits in the same record; only the pointer is converted`,
        loc: f.decl.loc,
      });
      return undefined;
    }
  } else if (!count.constant || count.constant < 1) return undefined;
  if (count.how === 'inferred') {
    const sal = count.bytes ? '_Field_size_bytes_' : '_Field_size_';
    env.warnings.push({
      code: 'inferred-count',
      type: owner.nativeName,
      member: path,
      message: `${owner.nativeName}.${path}: ${count.member} is taken as its ${count.bytes ? 'size in bytes' : 'element count'} (inferred from the names); add ${sal}(${count.member}) to confirm it, or @count to say otherwise`,
      loc: f.decl.loc,
    });
  }
  return count;
}

/** The arms of a union that differs (a named union's members, or one defined in place). */
function unionArms(c: Conversion): FieldPlan[] | undefined {
  if (c.kind === 'record' && c.plan.peer.kind === 'union') return c.plan.fields;
  if (c.kind === 'inline' && c.recordKind === 'union' && c.differs) return c.fields;
  return undefined;
}

/**
 * The switch converting the union `scope[index]`: the discriminator an
 * annotation names, else the nearest earlier member of enum type whose
 * constants name every arm that differs (switches.ts). Each arm's values are
 * its `@case` annotation or the constants naming it, a value used by an
 * earlier arm dropped (two `case`s of one value do not compile).
 */
function findSwitch(env: Env, owner: RecordPlan, scope: FieldPlan[], index: number, scopeRecord: RecordDecl, arms: FieldPlan[], prefix: string): SwitchPlan | undefined {
  const union = scope[index];
  const earlier = scope.slice(0, index).filter((s) => s.name && s.native && !s.todo);
  const named = annotatedSwitch(union.native ? env.comments.onMember(union.native) : [], env.comments.onRecord(scopeRecord), union.name);
  const namedArms = arms.filter((a) => a.name && a.native);
  const annotatedValues = new Map(namedArms.map((a) => [a, annotatedCases(env.comments.onMember(a.native!))]));
  const valuesFor = (discriminator: FieldPlan): Map<FieldPlan, string[]> => {
    const c = canonical(discriminator.native!.type);
    const byName = c.kind === 'enum' && c.decl.enumerators ? armsNamedBy(c.decl, namedArms.map((a) => a.name!)) : new Map<string, string[]>();
    return new Map(namedArms.map((a) => [a, annotatedValues.get(a)!.length ? annotatedValues.get(a)! : byName.get(a.name!) ?? []]));
  };
  let chosen: { member: FieldPlan; values: Map<FieldPlan, string[]>; how: string } | undefined;
  if (named) {
    const member = earlier.find((s) => s.name === named);
    const kind = member && canonical(member.native!.type).kind;
    if (!member || (kind !== 'enum' && kind !== 'int')) {
      env.warnings.push({
        code: 'unknown-switch',
        type: owner.nativeName,
        member: prefix + (union.name ?? ''),
        message: `${owner.nativeName}: @switch ${named} does not name an earlier integer or enum member of the same record; the union is left as a TODO`,
        loc: union.peer.decl.loc,
      });
      return undefined;
    }
    chosen = { member, values: valuesFor(member), how: `@switch ${named}` };
  } else {
    for (const member of [...earlier].reverse()) {
      if (canonical(member.native!.type).kind !== 'enum') continue;
      const values = valuesFor(member);
      const differing = namedArms.filter((a) => a.conversion.kind !== 'copy');
      if (namedArms.every((a) => values.get(a)!.length === 0) || differing.some((a) => values.get(a)!.length === 0)) continue;
      const enumName = declaration(member.native!.type, '', { arrayLength: () => '0' }).trim();
      chosen = { member, values, how: `inferred: the values of ${enumName} name the arms` };
      env.warnings.push({
        code: 'inferred-switch',
        type: owner.nativeName,
        member: prefix + (union.name ?? ''),
        message: `${owner.nativeName}: the union ${union.name ? prefix + union.name : `after ${prefix}${member.name}`} is converted by a switch on ${member.name}, whose ${enumName} values name its arms (inferred from the names); add @switch ${member.name} to confirm it`,
        loc: union.peer.decl.loc,
      });
      break;
    }
  }
  if (!chosen) return undefined;
  const used = new Set<string>();
  const out: SwitchPlan['arms'] = [];
  for (const arm of namedArms) {
    const values: string[] = [];
    for (const v of chosen.values.get(arm) ?? []) {
      // Enum constants by value (two names of one value make one case); anything else (a macro) by name.
      const value = env.native.unit.enumConstants.has(v) ? env.native.layout.evaluate({ kind: 'name', name: v, loc: arm.peer.decl.loc }) : undefined;
      const key = value === undefined ? v : String(value);
      if (used.has(key)) continue;
      used.add(key);
      values.push(v);
    }
    if (values.length) out.push({ values, field: arm });
  }
  if (out.length === 0) return undefined;
  return { member: chosen.member.name!, how: chosen.how, arms: out };
}

/**
 * Why a record member is converted through an aligned copy: `#pragma pack`
 * placed it (or an array of it) at a boundary smaller than its type's
 * alignment on either side, so `&Native->Member` is not a valid pointer to
 * its type.
 */
function stagedReason(env: Env, f: FieldLayout, nativeScope: RecordDecl, c: Conversion): string | undefined {
  let inner = c;
  while (inner.kind === 'array') inner = inner.element;
  if (inner.kind !== 'record' || inner.plan.peer.kind !== 'struct' || !f.name) return undefined;
  const peerNeed = inner.plan.peerLayout.align;
  const nativeNeed = env.native.layout.layoutOf(inner.plan.native).align;
  const nativeField = findMember(env.native.layout.layoutOf(nativeScope).fields, f.name);
  const nativeAlign = nativeField?.align ?? nativeNeed;
  if (f.align >= peerNeed && nativeAlign >= nativeNeed) return undefined;
  const [have, need] = f.align < peerNeed ? [f.align, peerNeed] : [nativeAlign, nativeNeed];
  return `#pragma pack puts ${f.name} at a ${have}-byte boundary but ${inner.plan.nativeName} needs ${need}: it is converted in an aligned copy.`;
}

/** Prints a member's peer type for the shadow when it is copied unchanged. */
export function peerDeclaration(ctx: LayoutContext, type: CType, name: string): string {
  return declaration(type, name, { arrayLength: (e) => String(ctx.evaluate(e) ?? 0n) });
}

