/**
 * Structured facts the editor features are built from: a record compared
 * across ABIs (sizes, alignments, padding, members marked where they differ,
 * why), control codes decoded, the IOCTLs a record travels with and its
 * 32-bit shadow. Everything here is plain data computed from an `Analysis`;
 * nothing knows about LSP (convert.ts does that) or Markdown (render.ts).
 *
 * IOCTL definitions, control codes and macro values come from the core
 * (`core/ioctl.ts`, `core/constexpr.ts`); this adds what the editor shows
 * with them (device type names, doc comments, where buffers arrive).
 */

import type { AbiName } from '../core/abi';
import type { AbiUnit, Analysis, Session } from '../core/analyze';
import type { UnitSummary } from '../core/dispatch';
import type { FieldDecl, RecordDecl } from '../core/ast';
import type { RecordLayout } from '../core/layout';
import type { Comment, MacroDef } from '../core/preprocess';
import { type IoctlDef, accessName, decodeCtlCode, findIoctls, macroValue, methodNames, parseCommentAnnotations, toCode } from '../core/ioctl';
import { recordName } from '../core/names';
import { type MemberPlacement, type Side, compareLayouts, placementOn } from '../core/compare';
import { type MemberPath, isPointer, memberPaths, recordNamed as recordNamedIn, valueRecord } from '../core/types';
import type { Loc, SourceFile } from '../core/source';
import { FilePositions } from '../core/positions';

/** One analysed document: what every verb receives. */
export interface DocContext {
  path: string;
  text: string;
  analysis: Analysis;
  session: Session;
  /** The other files of the document's driver, when the workspace index knows them. */
  driver?: DriverContext;
}

/**
 * The other files of a document's driver as function summaries (from the
 * workspace index and the other open documents). `generation` changes
 * whenever one of them does, so findings computed with an older generation
 * are recomputed.
 */
export interface DriverContext {
  generation(): number;
  summaries(): UnitSummary[];
}

// ---------------------------------------------------------------- records

/** A member's row on one ABI (compare.ts's placement, shared with the layout view). */
export type MemberAbiFacts = MemberPlacement;

export interface MemberFacts {
  /** Dotted path inside the record (`u.Value`; anonymous members as `<anonymous>`). */
  path: string;
  name: string | null;
  typeText: string;
  /** Nesting depth under anonymous struct/union members (0 = direct member). */
  depth: number;
  decl: FieldDecl;
  /** One entry per ABI the member exists on, in the analysis' ABI order. */
  perAbi: MemberAbiFacts[];
  /** Offset, size, bit position or padding differ between ABIs (or the member is missing on one). */
  differs: boolean;
  offsetDiffers: boolean;
  sizeDiffers: boolean;
  paddingDiffers: boolean;
}

export interface RecordAbiFacts {
  abi: AbiName;
  size: number;
  align: number;
  /** Total padding bytes (holes and tail). */
  padding: number;
  complete: boolean;
  layout: RecordLayout;
}

export interface RecordFacts {
  key: string;
  name: string;
  kind: 'struct' | 'union';
  typedefs: string[];
  decl: RecordDecl;
  perAbi: RecordAbiFacts[];
  members: MemberFacts[];
  differs: boolean;
  /**
   * Why the layout is unusable on some ABI (`on x64: requested alignment -16
   * is not a power of 2`): then no size, offset or difference is shown, and
   * `differs` is false.
   */
  unusable?: string;
  /** One sentence per cause, most important first. */
  reasons: string[];
  ioctls: { name: string; direction: 'in' | 'out' | 'inout' }[];
  /** The 32-bit shadow's name, when one exists; or the native type this record shadows. */
  shadow?: string;
  shadowOf?: string;
}

/** A stable key that identifies one record across the per-ABI translation units. */
export function recordKey(r: RecordDecl): string {
  return recordName(r) ?? `@${r.loc.file}:${r.loc.offset}`;
}

const recordMaps = new WeakMap<AbiUnit, Map<string, RecordDecl>>();

function recordsByKey(u: AbiUnit): Map<string, RecordDecl> {
  let m = recordMaps.get(u);
  if (m) return m;
  m = new Map();
  for (const r of u.unit.records) {
    const k = recordKey(r);
    const seen = m.get(k);
    // Prefer the definition over a forward declaration.
    if (!seen || (!seen.fields && r.fields)) m.set(k, r);
  }
  recordMaps.set(u, m);
  return m;
}

/** The first ABI unit: names, locations and symbols are taken from it. */
export function primaryUnit(a: Analysis): AbiUnit | undefined {
  return a.units.values().next().value;
}

// ---------------------------------------------------------------- positions

const positionsCache = new Map<string, { text: string; pos: FilePositions }>();

/** The positions index of a document's text (its tokens from the session's lexed files; the last few documents are kept). */
export function positionsOf(ctx: DocContext): FilePositions {
  const hit = positionsCache.get(ctx.path);
  if (hit && hit.text === ctx.text) return hit.pos;
  const file: SourceFile = primaryUnit(ctx.analysis)?.pp.files.get(ctx.path) ?? { path: ctx.path, text: ctx.text };
  const pos = FilePositions.of(file.text === ctx.text ? file : { path: ctx.path, text: ctx.text }, ctx.session.lexCache);
  positionsCache.delete(ctx.path);
  positionsCache.set(ctx.path, { text: ctx.text, pos });
  if (positionsCache.size > 16) positionsCache.delete(positionsCache.keys().next().value!);
  return pos;
}

/** The record a name (tag or typedef, possibly a pointer typedef) denotes in one unit. */
export function recordNamed(u: AbiUnit, name: string): { record: RecordDecl; viaPointer: boolean } | undefined {
  return recordNamedIn([u.unit], name);
}

/** The complete definition of a record in a unit (a forward declaration resolves to the definition). */
function definitionIn(u: AbiUnit, r: RecordDecl): RecordDecl | undefined {
  if (r.fields) return r;
  const byKey = recordsByKey(u).get(recordKey(r));
  return byKey?.fields ? byKey : undefined;
}

const factsCache = new WeakMap<Analysis, Map<string, RecordFacts | null>>();

/** A record compared across every ABI of the analysis. Undefined when no ABI has a complete definition. */
export function recordFacts(ctx: DocContext, key: string): RecordFacts | undefined {
  let cache = factsCache.get(ctx.analysis);
  if (!cache) factsCache.set(ctx.analysis, (cache = new Map()));
  const hit = cache.get(key);
  if (hit !== undefined) return hit ?? undefined;
  const result = computeRecordFacts(ctx, key);
  cache.set(key, result ?? null);
  return result;
}

function computeRecordFacts(ctx: DocContext, key: string): RecordFacts | undefined {
  const perAbi: RecordAbiFacts[] = [];
  const flats: Map<AbiName, Map<string, MemberPath>> = new Map();
  const order: MemberPath[] = [];
  const sides: Side[] = [];
  let decl: RecordDecl | undefined;
  for (const [abi, u] of ctx.analysis.units) {
    const r0 = recordsByKey(u).get(key);
    const r = r0 && definitionIn(u, r0);
    if (!r) continue;
    const layout = u.layout.layoutOf(r);
    decl ??= r;
    sides.push({ layout: u.layout, record: r });
    perAbi.push({
      abi,
      size: layout.size,
      align: layout.align,
      padding: layout.holes.reduce((s, h) => s + h.size, 0),
      complete: layout.complete,
      layout,
    });
    const flat = memberPaths(layout.fields);
    const m = new Map<string, MemberPath>();
    for (const fm of flat) {
      m.set(fm.path, fm);
      if (!order.some((o) => o.path === fm.path)) order.push(fm);
    }
    flats.set(abi, m);
  }
  if (!decl) return undefined;
  const abiCount = perAbi.length;
  const members: MemberFacts[] = order.map((o) => {
    const rows: MemberAbiFacts[] = [];
    const held: Side[] = [];
    perAbi.forEach(({ abi }, k) => {
      const fm = flats.get(abi)?.get(o.path);
      if (!fm) return;
      const f = fm.field;
      const inner = valueRecord(f.decl.type);
      if (inner) held.push({ layout: sides[k].layout, record: inner });
      rows.push(placementOn(abi, f));
    });
    const distinct = (sel: (m: MemberAbiFacts) => unknown) => new Set(rows.map(sel)).size > 1;
    const missing = rows.length !== abiCount;
    const offsetDiffers = distinct((m) => `${m.offset}:${m.bitOffset ?? ''}`);
    const sizeDiffers = distinct((m) => m.size);
    const paddingDiffers = distinct((m) => m.paddingAfter);
    // A record held by value differs when its own members do, even at the same size (compare.ts's rule).
    const insideDiffers = held.length === rows.length && layoutsDiffer(held);
    return {
      path: o.path,
      name: o.field.name,
      typeText: o.field.decl.typeText,
      depth: o.depth,
      decl: o.field.decl,
      perAbi: rows,
      offsetDiffers,
      sizeDiffers,
      paddingDiffers,
      differs: missing || offsetDiffers || sizeDiffers || insideDiffers || distinct((m) => m.align),
    };
  });
  const sizeDiffers = new Set(perAbi.map((p) => p.size)).size > 1;
  const alignDiffers = new Set(perAbi.map((p) => p.align)).size > 1;
  const broken = perAbi.find((p) => !p.complete);
  const unusable = broken && `on ${broken.abi}: ${broken.layout.problem ?? 'its layout could not be computed'}`;
  // Whether the record reads differently is compare.ts's verdict, the one the checks use.
  const differs = !unusable && (sizeDiffers || alignDiffers || layoutsDiffer(sides));
  const facts: RecordFacts = {
    key,
    name: recordName(decl) ?? '(anonymous)',
    kind: decl.kind,
    typedefs: [...decl.typedefs],
    decl,
    perAbi,
    members,
    differs,
    reasons: differs ? reasonsFor(ctx, perAbi, members) : [],
    ioctls: [],
  };
  if (unusable) facts.unusable = unusable;
  const names = [decl.tag, ...decl.typedefs.filter((t) => !t.startsWith('*'))].filter((n): n is string => !!n);
  const iface = interfaceFacts(ctx);
  for (const io of iface.ioctls) {
    for (const dir of ['in', 'out', 'inout'] as const) {
      if (io.types[dir].some((t) => names.includes(t))) facts.ioctls.push({ name: io.name, direction: dir });
    }
  }
  const shadow = shadowFor(ctx, decl, names, iface);
  if (shadow) facts.shadow = shadow;
  for (const n of names) {
    const base = /^(.*?)_?32$/.exec(n)?.[1];
    if (base && base !== n && primaryUnit(ctx.analysis) && recordNamed(primaryUnit(ctx.analysis)!, base)) facts.shadowOf = base;
    const annotated = iface.shadows.find((s) => s.shadow === n);
    if (annotated) facts.shadowOf = annotated.native;
  }
  return facts;
}

/** Any ABI sees the record differently from the first (compare.ts's rule, the one the checks use). */
function layoutsDiffer(sides: readonly Side[]): boolean {
  return sides.some((side, k) => k > 0 && compareLayouts(sides[0], side).needs);
}

function reasonsFor(ctx: DocContext, perAbi: RecordAbiFacts[], members: MemberFacts[]): string[] {
  const out: string[] = [];
  const on = (vals: { abi: AbiName; v: number }[], unit: string) => vals.map(({ abi, v }) => `${v}${unit} on ${abi}`).join(', ');
  const u = primaryUnit(ctx.analysis);
  for (const m of members) {
    if (!m.sizeDiffers) continue;
    const pointer = u ? isPointer(m.decl.type) : false;
    const what = pointer ? 'a pointer' : 'pointer-sized';
    out.push(`\`${m.path}\` (${m.typeText}) is ${what}: ${on(m.perAbi.map((p) => ({ abi: p.abi, v: p.size })), ' B')}`);
  }
  if (out.length === 0) {
    const moved = members.find((m) => m.offsetDiffers);
    if (moved) out.push(`\`${moved.path}\` (${moved.typeText}) is aligned differently: offset ${on(moved.perAbi.map((p) => ({ abi: p.abi, v: p.offset })), '')}`);
  }
  const aligns = new Set(perAbi.map((p) => p.align));
  if (aligns.size > 1) out.push(`alignment ${on(perAbi.map((p) => ({ abi: p.abi, v: p.align })), '')}`);
  if (out.length === 0) out.push(`size ${on(perAbi.map((p) => ({ abi: p.abi, v: p.size })), ' B')}`);
  return out;
}

/** Every complete, named record defined in `path`, in source order (from the primary unit, plus any only other ABIs see). */
export function recordsInFile(ctx: DocContext, path: string): RecordDecl[] {
  const out: RecordDecl[] = [];
  const seen = new Set<string>();
  for (const u of ctx.analysis.units.values()) {
    for (const r of u.unit.records) {
      if (!r.fields || r.loc.file !== path || recordName(r) === undefined) continue;
      const k = recordKey(r);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(r);
    }
  }
  return out.sort((a, b) => a.loc.offset - b.loc.offset);
}

// ---------------------------------------------------------------- control codes

export interface ControlCodeFacts {
  value: number;
  hex: string;
  deviceType: number;
  deviceTypeName?: string;
  function: number;
  method: number;
  methodName: string;
  access: number;
  accessName: string;
  /** Where the input and output buffers arrive for this transfer method. */
  inputBuffer: string;
  outputBuffer: string;
  /** Function codes below 0x800 are reserved for Microsoft. */
  reservedFunction: boolean;
  /** Device types below 0x8000 are reserved for Microsoft. */
  microsoftDeviceType: boolean;
}

/** Where the input and output buffers arrive, per transfer method. */
const buffers: [string, string][] = [
  ['Irp->AssociatedIrp.SystemBuffer (copied)', 'Irp->AssociatedIrp.SystemBuffer (copied back)'],
  ['Irp->AssociatedIrp.SystemBuffer (copied)', 'Irp->MdlAddress (locked, read by the driver)'],
  ['Irp->AssociatedIrp.SystemBuffer (copied)', 'Irp->MdlAddress (locked, written by the driver)'],
  ['Parameters.DeviceIoControl.Type3InputBuffer (raw user address)', 'Irp->UserBuffer (raw user address)'],
];

/** A control code decoded by the core (`decodeCtlCode`), with the names and buffers the editor shows. */
export function decodeControlCode(value: number, deviceTypeName?: string): ControlCodeFacts {
  const c = decodeCtlCode(value);
  return {
    value: c.value,
    hex: '0x' + c.value.toString(16).toUpperCase().padStart(8, '0'),
    deviceType: c.deviceType,
    deviceTypeName,
    function: c.function,
    method: c.method,
    methodName: methodNames[c.method],
    access: c.access,
    accessName: accessName(c.access),
    inputBuffer: buffers[c.method][0],
    outputBuffer: buffers[c.method][1],
    reservedFunction: c.function < 0x800,
    microsoftDeviceType: c.deviceType < 0x8000,
  };
}

export interface IoctlFacts {
  name: string;
  code: ControlCodeFacts;
  /** The `#define`'s name and the end of its line. */
  loc: Loc;
  endLoc: Loc;
  /** Types from `@in/@out/@inout` annotations in the comment on or above the definition. */
  types: { in: string[]; out: string[]; inout: string[] };
  doc?: string;
}

export interface InterfaceFacts {
  ioctls: IoctlFacts[];
  /** `@shadow32 T32` annotations: the native type and its shadow. */
  shadows: { native: string; shadow: string; loc: Loc }[];
}

/** Looks a macro up in the unit's table, then in the built-in prelude's. */
export function macroLookup(ctx: DocContext, u: AbiUnit | undefined = primaryUnit(ctx.analysis)): (name: string) => MacroDef | undefined {
  if (!u) return () => undefined;
  const prelude = u.prelude?.macros;
  return (name) => u.pp.macros.get(name) ?? prelude?.get(name);
}

const interfaceCache = new WeakMap<Analysis, InterfaceFacts>();

/** IOCTL definitions (macros that expand through `CTL_CODE`, or named `IOCTL_*`/`FSCTL_*` with a constant value) in every real file of the TU. */
export function interfaceFacts(ctx: DocContext): InterfaceFacts {
  const hit = interfaceCache.get(ctx.analysis);
  if (hit) return hit;
  const out: InterfaceFacts = { ioctls: [], shadows: [] };
  interfaceCache.set(ctx.analysis, out);
  const u = primaryUnit(ctx.analysis);
  if (!u) return out;
  const lookup = macroLookup(ctx, u);
  // The analysis layer finds and decodes IOCTL definitions; this adds the device type's name and the doc comment.
  const defs = cachedIoctls(u, u.prelude?.macros);
  const deviceNames = new Map<number, string | undefined>();
  for (const def of defs) {
    const types = { in: [] as string[], out: [] as string[], inout: [] as string[] };
    for (const b of def.buffers) if (b.type) types[b.direction].push(b.type);
    const dt = def.code.deviceType;
    if (!deviceNames.has(dt)) deviceNames.set(dt, deviceTypeName(dt, lookup, u));
    const comment = commentFor(u.pp.comments.get(def.loc.file), def.loc.line);
    out.ioctls.push({
      name: def.name,
      code: decodeControlCode(def.code.value, deviceNames.get(dt)),
      loc: def.loc,
      endLoc: def.endLoc,
      types,
      doc: comment ? cleanComment(comment.text) : undefined,
    });
  }
  for (const [file, comments] of u.pp.comments) {
    if (file.startsWith('<')) continue;
    for (const c of comments) {
      for (const a of parseCommentAnnotations(c.text)) {
        if (a.tag !== 'shadow32') continue;
        const native = recordAfterLine(u, file, c.endLine);
        if (native) out.shadows.push({ native, shadow: a.args[0], loc: { file, line: c.line, col: 1, offset: c.offset } });
      }
    }
  }
  return out;
}

/**
 * `findIoctls` over the unit's definitions, remembering the verdict per
 * `#define` (by object): a document's preamble keeps its MacroDef objects
 * across edits, so only the body's definitions are examined again.
 */
const ioctlVerdicts = new WeakMap<MacroDef, IoctlDef | null>();

function cachedIoctls(u: AbiUnit, fallbackMacros: ReadonlyMap<string, MacroDef> | undefined): IoctlDef[] {
  const fresh = u.pp.definitions.filter((d) => !ioctlVerdicts.has(d));
  if (fresh.length) {
    const found = findIoctls({ ...u.pp, definitions: fresh }, { fallbackMacros });
    const byPlace = new Map(found.map((f) => [`${f.name}\0${f.loc.file}\0${f.loc.offset}`, f]));
    for (const d of fresh) ioctlVerdicts.set(d, byPlace.get(`${d.name}\0${d.loc.file}\0${d.loc.offset}`) ?? null);
  }
  const out: IoctlDef[] = [];
  const seen = new Set<string>();
  for (const d of u.pp.definitions) {
    const v = ioctlVerdicts.get(d);
    if (!v) continue;
    const key = `${v.name}\0${v.loc.file}\0${v.loc.offset}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(v);
  }
  return out;
}

/** The unit's `#define`s that are IOCTL definitions (verdicts cached per definition). */
const knownCache = new WeakMap<AbiUnit, Set<MacroDef>>();

export function knownIoctlDefinitions(u: AbiUnit): Set<MacroDef> {
  let known = knownCache.get(u);
  if (known) return known;
  // The prelude's macros matter: a lone header's CTL_CODE is the prelude's.
  cachedIoctls(u, u.prelude?.macros);
  known = new Set(u.pp.definitions.filter((d) => ioctlVerdicts.get(d)));
  knownCache.set(u, known);
  return known;
}

function recordAfterLine(u: AbiUnit, file: string, line: number): string | undefined {
  const r = u.unit.records.find((r) => r.loc.file === file && r.loc.line > line && r.loc.line <= line + 2);
  return r ? recordName(r) : undefined;
}

/** The comment on the definition's line, or ending on the line just above it. */
function commentFor(comments: Comment[] | undefined, line: number): Comment | undefined {
  if (!comments) return undefined;
  return comments.find((c) => c.line === line) ?? comments.find((c) => c.endLine === line - 1);
}

function cleanComment(text: string): string {
  return text
    .replace(/^\/\*\*?|\*\/$/g, '')
    .replace(/^\/\/\/?/gm, '')
    .split('\n')
    .map((l) => l.replace(/^\s*\*\s?/, '').trim())
    .join(' ')
    .trim();
}

function deviceTypeName(dt: number, lookup: (n: string) => MacroDef | undefined, u: AbiUnit): string | undefined {
  for (const def of u.pp.definitions) {
    if (def.params || !def.name.startsWith('FILE_DEVICE_')) continue;
    if (toCode(macroValue(def.name, lookup).value?.value) === dt) return def.name;
  }
  return undefined;
}

function shadowFor(ctx: DocContext, decl: RecordDecl, names: string[], iface: InterfaceFacts): string | undefined {
  const annotated = iface.shadows.find((s) => names.includes(s.native));
  if (annotated) return annotated.shadow;
  const u = primaryUnit(ctx.analysis);
  if (!u) return undefined;
  for (const n of names) {
    for (const candidate of [`${n}32`, `${n}_32`]) {
      if (u.unit.typedefs.has(candidate) || u.unit.tags.has(candidate)) {
        const r = recordNamed(u, candidate);
        if (r && r.record !== decl) return candidate;
      }
    }
  }
  return undefined;
}
