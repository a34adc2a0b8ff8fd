/**
 * A driver's IOCTL interface as one unit defines it: its control codes
 * decoded (with the device type's name and where each transfer method's
 * buffers arrive), the doc comment on each definition, its `@in/@out/@inout`
 * types and the `@shadow32` annotations. Plain data for the editor's hovers,
 * lenses, symbols and completions; definitions and values are `ioctl.ts`'s.
 */

import { type AbiUnit, type Analysis, primaryUnit } from './analyze';
import type { Comment, MacroDef } from './preprocess';
import { type IoctlDef, type MacroLookup, accessName, decodeCtlCode, findIoctls, hex, macroValue, methodNames, parseCommentAnnotations, toCode } from './ioctl';
import { recordName } from './names';
import type { Loc } from './source';

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
    hex: hex(c.value, 8),
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
export function macroLookup(u: AbiUnit | undefined): MacroLookup {
  if (!u) return () => undefined;
  const prelude = u.prelude?.macros;
  return (name) => u.pp.macros.get(name) ?? prelude?.get(name);
}

const interfaceCache = new WeakMap<AbiUnit, InterfaceFacts>();

/** IOCTL definitions (macros that expand through `CTL_CODE`, or named `IOCTL_*`/`FSCTL_*` with a constant value) in every real file of the TU. */
export function interfaceFacts(a: Analysis): InterfaceFacts {
  const u = primaryUnit(a);
  if (!u) return { ioctls: [], shadows: [] };
  const hit = interfaceCache.get(u);
  if (hit) return hit;
  const out: InterfaceFacts = { ioctls: [], shadows: [] };
  interfaceCache.set(u, out);
  const lookup = macroLookup(u);
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

function deviceTypeName(dt: number, lookup: MacroLookup, u: AbiUnit): string | undefined {
  for (const def of u.pp.definitions) {
    if (def.params || !def.name.startsWith('FILE_DEVICE_')) continue;
    if (toCode(macroValue(def.name, lookup).value?.value) === dt) return def.name;
  }
  return undefined;
}
