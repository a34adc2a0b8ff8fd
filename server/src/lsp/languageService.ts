/**
 * The language service: one verb per editor feature (doHover,
 * getCodeLenses, getInlayHints, getDocumentSymbols, findDefinition,
 * findReferences, doComplete, getWorkspaceSymbols). Each takes an analysed
 * document (`DocContext`) and plain positions (offsets into the document's
 * text) and returns plain records with core `Loc`s. Nothing here touches a
 * connection or an LSP type: server.ts is the glue, convert.ts turns these
 * records into protocol types, render.ts turns hover records into Markdown.
 */

import type { AbiName } from '../core/abi';
import type { RecordDecl } from '../core/ast';
import { type AbiUnit, primaryUnit } from '../core/analyze';
import { type ControlCodeFacts, type IoctlFacts, decodeControlCode, interfaceFacts, macroLookup } from '../core/interface';
import type { MacroDef } from '../core/preprocess';
import { convert, integerLiteralValue } from '../core/constexpr';
import { macroValue, toCode } from '../core/ioctl';
import { FilePositions, type NameMeaning, resolveName } from '../core/positions';
import { TokKind, type Token } from '../core/token';
import { preludePath } from '../core/prelude';
import { recordKey, recordName } from '../core/names';
import { checkFindings } from './validation';
import type { Loc, SourceFile } from '../core/source';
import {
  type DocContext,
  type MemberFacts,
  type RecordFacts,
  positionsOf,
  recordFacts,
  recordNamed,
  recordsInFile,
} from './facts';
import { maxOf } from '../core/arrays';

/** A span in the analysed document, as offsets into its text. */
export interface Span {
  start: number;
  end: number;
}

// ---------------------------------------------------------------- the word under the cursor

export interface WordAt extends Span {
  text: string;
  kind: 'ident' | 'number';
}

const identChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/** The word around `offset` in plain text (a comment's words; C is read through `positionsOf`). */
export function wordAt(text: string, offset: number): WordAt | undefined {
  if (offset < 0 || offset > text.length) return undefined;
  let s = offset;
  let e = offset;
  while (s > 0 && identChar(text.charCodeAt(s - 1))) s--;
  while (e < text.length && identChar(text.charCodeAt(e))) e++;
  if (s === e) return undefined;
  const word = text.slice(s, e);
  const c = word.charCodeAt(0);
  return { start: s, end: e, text: word, kind: c >= 48 && c <= 57 ? 'number' : 'ident' };
}

/**
 * The name or number under the cursor: a C token of the document, or, in a
 * comment, a word of it (`@in FOO` names a record).
 */
function nameAt(ctx: DocContext, offset: number): WordAt | undefined {
  const pos = positionsOf(ctx);
  const at = pos.nameAt(offset);
  if (at) return { start: at.start, end: at.end, text: at.text, kind: at.kind };
  return pos.commentAt(offset) ? wordAt(ctx.text, offset) : undefined;
}

/** What the identifier at `offset` denotes there (a member after `->`/`.`, a parameter, a local, else a file-scope name). */
function meaningAt(ctx: DocContext, offset: number): NameMeaning | undefined {
  const u = primaryUnit(ctx.analysis);
  return u ? resolveName(positionsOf(ctx), u.unit, offset) : undefined;
}

// ---------------------------------------------------------------- hover

export type HoverInfo =
  | {
      kind: 'record';
      span: Span;
      facts: RecordFacts;
      /** The name hovered, when it is a pointer typedef to the record. */
      pointerName?: string;
      /** Why the record's shadow (or the record, when it is a shadow) is stale, from the stale-shadow finding. */
      staleShadow?: string;
    }
  | { kind: 'member'; span: Span; record: RecordFacts; member: MemberFacts }
  | { kind: 'ioctl'; span: Span; name?: string; code: ControlCodeFacts; ioctl?: IoctlFacts; /** Other IOCTL macros with the same value. */ alsoNamed: string[] }
  | { kind: 'macro'; span: Span; name: string; expansion: string; /** The value (C rules) and its bits in hex. */ value?: bigint; hex?: string };

/** Finds the member declared at `offset` in the document, if the cursor is on a member's name. */
function memberAt(ctx: DocContext, offset: number): { record: RecordFacts; member: MemberFacts; span: Span } | undefined {
  for (const r of recordsInFile(ctx, ctx.path)) {
    if (offset < r.loc.offset || (r.endLoc && offset > r.endLoc.offset)) continue;
    const facts = recordFacts(ctx, recordKey(r));
    if (!facts) continue;
    for (const m of facts.members) {
      if (!m.name) continue;
      const nl = m.decl.nameLoc;
      if (nl.file === ctx.path && offset >= nl.offset && offset <= nl.offset + m.name.length) return { record: facts, member: m, span: { start: nl.offset, end: nl.offset + m.name.length } };
    }
  }
  return undefined;
}

export function doHover(ctx: DocContext, offset: number): HoverInfo | undefined {
  const member = memberAt(ctx, offset);
  if (member) return { kind: 'member', ...member };
  const word = nameAt(ctx, offset);
  if (!word) return undefined;
  const span = { start: word.start, end: word.end };
  const access = memberAccessAt(ctx, offset);
  if (access) return { kind: 'member', span, ...access };
  if (word.kind === 'number') {
    const literal = integerLiteralValue(word.text);
    if (literal === undefined || literal < 0x10000n || literal > 0xffffffffn) return undefined;
    const value = Number(literal);
    const iface = interfaceFacts(ctx.analysis);
    const same = iface.ioctls.filter((i) => i.code.value === value);
    const code = same[0]?.code ?? decodeControlCode(value);
    return { kind: 'ioctl', span, code, ioctl: same[0], alsoNamed: same.map((i) => i.name) };
  }
  const u = primaryUnit(ctx.analysis);
  if (!u) return undefined;
  const named = cxxRecordAt(ctx, u, word) ?? recordNamed(u, word.text);
  if (named) {
    const facts = recordFacts(ctx, recordKey(named.record));
    if (facts) return { kind: 'record', span, facts, pointerName: named.viaPointer ? word.text : undefined, staleShadow: staleShadowReason(ctx, facts) };
  }
  const lookup = macroLookup(u);
  const def = lookup(word.text);
  if (def && !def.params) {
    const iface = interfaceFacts(ctx.analysis);
    const ioctl = iface.ioctls.find((i) => i.name === word.text);
    if (ioctl) {
      const alsoNamed = iface.ioctls.filter((i) => i.code.value === ioctl.code.value && i.name !== ioctl.name).map((i) => i.name);
      return { kind: 'ioctl', span, name: ioctl.name, code: ioctl.code, ioctl, alsoNamed };
    }
    const ev = macroValue(word.text, lookup);
    const code = toCode(ev.value?.value);
    if (ev.usedCtlCode && code !== undefined) return { kind: 'ioctl', span, name: word.text, code: decodeControlCode(code), alsoNamed: [] };
    const v = ev.value;
    const hex = v && '0x' + convert(v.value, { bits: v.type.bits, signed: false }).toString(16);
    return { kind: 'macro', span, name: word.text, expansion: ev.expansion, value: v?.value, hex };
  }
  return undefined;
}

/** The first difference the document's stale-shadow finding names for this record's shadow pair, if it has one. */
function staleShadowReason(ctx: DocContext, facts: RecordFacts): string | undefined {
  const shadow = facts.shadow ?? (facts.shadowOf ? facts.name : undefined);
  if (!shadow) return undefined;
  const u = primaryUnit(ctx.analysis);
  const shadowRecord = u ? recordNamed(u, shadow)?.record : undefined;
  const names = new Set([shadow, ...(shadowRecord?.typedefs ?? []), ...(facts.shadowOf ? facts.typedefs : [])]);
  const finding = checkFindings(ctx).find((f) => f.rule === 'stale-shadow' && names.has(f.symbol));
  if (!finding) return undefined;
  return finding.related.slice(1).find((r) => !/^(declared|used as)/.test(r.message))?.message ?? "its x64 layout is not the native type's x86 layout";
}

/**
 * A member named in code (`in->Count`, `req.Header.Size`, `items[i].Size`):
 * the base resolved by the positions index (parameters, locals, globals,
 * members), never guessed from the text.
 */
function memberAccessAt(ctx: DocContext, offset: number): { record: RecordFacts; member: MemberFacts } | undefined {
  const m = meaningAt(ctx, offset);
  if (m?.kind !== 'member') return undefined;
  const facts = recordFacts(ctx, recordKey(m.record));
  const member = facts?.members.find((x) => x.decl === m.field) ?? facts?.members.find((x) => x.name === m.name);
  return facts && member ? { record: facts, member } : undefined;
}

// ---------------------------------------------------------------- code lenses

export interface CodeLensInfo {
  /** Where the lens sits (the record's or the definition's first line). */
  loc: Loc;
  title: string;
  target: { kind: 'record'; key: string; name: string } | { kind: 'ioctl'; name: string; value: number };
}

export function sizesSummary(facts: RecordFacts): string {
  if (facts.unusable) return `no usable layout ${facts.unusable.length > 90 ? facts.unusable.slice(0, 87) + '...' : facts.unusable}`;
  const sizes = facts.perAbi.map((p) => `${p.abi} ${p.size} B`).join(' · ');
  return `${sizes} · ${facts.differs ? 'differs' : 'same on all ABIs'}`;
}

export function controlCodeSummary(code: ControlCodeFacts): string {
  const device = code.deviceTypeName ? `${code.deviceTypeName} (0x${code.deviceType.toString(16)})` : `0x${code.deviceType.toString(16)}`;
  return `${code.hex} · CTL_CODE(${device}, 0x${code.function.toString(16)}, ${code.methodName}, ${code.accessName})`;
}

export function getCodeLenses(ctx: DocContext): CodeLensInfo[] {
  const out: CodeLensInfo[] = [];
  for (const r of recordsInFile(ctx, ctx.path)) {
    if (r.nested) continue;
    const facts = recordFacts(ctx, recordKey(r));
    if (!facts) continue;
    out.push({ loc: r.loc, title: sizesSummary(facts), target: { kind: 'record', key: facts.key, name: facts.name } });
  }
  for (const io of interfaceFacts(ctx.analysis).ioctls) {
    if (io.loc.file !== ctx.path) continue;
    out.push({ loc: io.loc, title: controlCodeSummary(io.code), target: { kind: 'ioctl', name: io.name, value: io.code.value } });
  }
  return out.sort((a, b) => a.loc.offset - b.loc.offset);
}

// ---------------------------------------------------------------- inlay hints

export type InlayMode = 'differing' | 'all' | 'off';

export interface InlayHintInfo {
  /** Offset in the document after which the hint is shown. */
  offset: number;
  label: string;
  tooltip: string;
  padding: boolean;
}

function offsetText(m: MemberFacts['perAbi'][number]): string {
  return m.bitWidth !== undefined ? `+${m.offset}:${m.bitOffset ?? 0}` : `+${m.offset}`;
}

/** Collapses per-ABI values to one when all are equal: `+4 | +8` or `+0`. */
function perAbiText(rows: MemberFacts['perAbi'], sel: (m: MemberFacts['perAbi'][number]) => string): string {
  const vals = rows.map(sel);
  return new Set(vals).size === 1 ? vals[0] : vals.join(' | ');
}

/** Only spaces and tabs between two offsets. */
function blank(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (text[k] !== ' ' && text[k] !== '\t') return false;
  return true;
}

export function getInlayHints(ctx: DocContext, range: Span, mode: InlayMode): InlayHintInfo[] {
  if (mode === 'off') return [];
  const out: InlayHintInfo[] = [];
  const pos = positionsOf(ctx);
  for (const r of recordsInFile(ctx, ctx.path)) {
    if (r.nested) continue;
    if (r.endLoc && r.endLoc.offset < range.start) continue;
    if (r.loc.offset > range.end) continue;
    const facts = recordFacts(ctx, recordKey(r));
    if (!facts || facts.unusable || (mode === 'differing' && !facts.differs)) continue;
    const abis = facts.perAbi.map((p) => p.abi).join(' | ');
    for (const m of facts.members) {
      const end = m.decl.endLoc;
      if (end.file !== ctx.path || m.perAbi.length === 0) continue;
      // After the `;` that ends the member, when it follows directly.
      let at = end.offset;
      const next = pos.tokenFrom(at);
      if (next && next.kind === TokKind.Punct && next.text === ';' && blank(ctx.text, at, next.offset)) at = next.offset + 1;
      if (at < range.start || at > range.end) continue;
      // Each ABI's padding travels with its own offset: `+0 | +0 (4 B pad)`, never a second `a | b` list.
      const label = perAbiText(m.perAbi, (p) => offsetText(p) + (p.paddingAfter ? ` (${p.paddingAfter} B pad)` : ''));
      const tooltip = m.perAbi
        .map((p) => `${p.abi}: offset ${p.offset}${p.bitWidth !== undefined ? ` bit ${p.bitOffset ?? 0} width ${p.bitWidth}` : ''}, size ${p.size}, align ${p.align}${p.paddingAfter ? `, ${p.paddingAfter} B padding after` : ''}`)
        .join('\n');
      out.push({ offset: at, label: ` ${label}`, tooltip: `${m.path} (${abis})\n${tooltip}`, padding: true });
    }
  }
  return out;
}

// ---------------------------------------------------------------- symbols

export type SymbolKindName = 'struct' | 'union' | 'field' | 'enum' | 'enumMember' | 'ioctl' | 'typedef' | 'macro' | 'function';

export interface SymbolInfo {
  name: string;
  kind: SymbolKindName;
  detail?: string;
  /** The whole declaration and the name within it (same file). */
  loc: Loc;
  end: Loc;
  nameLoc: Loc;
  nameLength: number;
  children?: SymbolInfo[];
}

function endOf(loc: Loc | undefined, fallback: Loc, extra = 1): Loc {
  const l = loc ?? fallback;
  return { ...l, col: l.col + extra, offset: l.offset + extra };
}

function maxLoc(a: Loc, b: Loc): Loc {
  return a.offset >= b.offset ? a : b;
}

function recordSymbol(ctx: DocContext, r: RecordDecl): SymbolInfo | undefined {
  const name = recordName(r);
  if (!name) return undefined;
  const facts = recordFacts(ctx, recordKey(r));
  const nameLoc = r.nameLoc ?? r.loc;
  const nameLength = r.nameLoc ? name.length : r.kind.length;
  const children: SymbolInfo[] = [];
  for (const m of facts?.members ?? []) {
    if (!m.name || m.depth > 0) continue;
    const d = m.decl;
    children.push({
      name: m.name,
      kind: 'field',
      detail: facts?.unusable ? m.typeText : `${m.typeText} ${m.perAbi.map((p) => `+${p.offset}`).join(' | ')}`,
      loc: d.loc,
      end: maxLoc(d.endLoc, endOf(undefined, d.nameLoc, m.name.length)),
      nameLoc: d.nameLoc,
      nameLength: m.name.length,
    });
  }
  const end = maxLoc(endOf(r.endLoc, r.loc), endOf(undefined, nameLoc, nameLength));
  return {
    name,
    kind: r.kind,
    detail: facts ? sizesSummary(facts) : undefined,
    loc: r.loc,
    end,
    nameLoc,
    nameLength,
    children,
  };
}

export function getDocumentSymbols(ctx: DocContext): SymbolInfo[] {
  const out: SymbolInfo[] = [];
  for (const r of recordsInFile(ctx, ctx.path)) {
    if (r.nested) continue;
    const s = recordSymbol(ctx, r);
    if (s) out.push(s);
  }
  const u = primaryUnit(ctx.analysis);
  for (const e of u?.unit.enums ?? []) {
    if (e.loc.file !== ctx.path || !e.enumerators) continue;
    const name = e.tag ?? e.typedefs.find((t) => !t.startsWith('*')) ?? '(anonymous enum)';
    const nameLoc = e.nameLoc ?? e.loc;
    const nameLength = e.nameLoc ? name.length : 4;
    const children: SymbolInfo[] = e.enumerators.map((c) => ({ name: c.name, kind: 'enumMember', loc: c.loc, end: endOf(undefined, c.loc, c.name.length), nameLoc: c.loc, nameLength: c.name.length }));
    out.push({ name, kind: 'enum', loc: e.loc, end: maxLoc(endOf(e.endLoc, e.loc), endOf(undefined, nameLoc, nameLength)), nameLoc, nameLength, children });
  }
  for (const io of interfaceFacts(ctx.analysis).ioctls) {
    if (io.loc.file !== ctx.path) continue;
    out.push({ name: io.name, kind: 'ioctl', detail: controlCodeSummary(io.code), loc: io.loc, end: maxLoc(io.endLoc, endOf(undefined, io.loc, io.name.length)), nameLoc: io.loc, nameLength: io.name.length });
  }
  return out.sort((a, b) => a.loc.offset - b.loc.offset);
}

/** Symbols of a file for the workspace index: records, typedefs, IOCTLs and other macros defined in it. */
export function fileSymbols(ctx: DocContext, path: string): SymbolInfo[] {
  const out: SymbolInfo[] = [];
  const c2 = { ...ctx, path };
  for (const r of recordsInFile(c2, path)) {
    const name = recordName(r);
    if (!name || r.nested) continue;
    const nameLoc = r.nameLoc ?? r.loc;
    out.push({ name, kind: r.kind, loc: r.loc, end: endOf(r.endLoc, r.loc), nameLoc, nameLength: name.length });
    for (const t of r.typedefs) {
      const plain = t.replace(/^\*+/, '');
      if (plain !== name) out.push({ name: plain, kind: 'typedef', detail: t.startsWith('*') ? `pointer to ${name}` : name, loc: r.loc, end: endOf(r.endLoc, r.loc), nameLoc, nameLength: name.length });
    }
  }
  const u = primaryUnit(ctx.analysis);
  const ioctls = new Set(interfaceFacts(ctx.analysis).ioctls.filter((i) => i.loc.file === path).map((i) => i.name));
  for (const d of u?.pp.definitions ?? []) {
    if (d.loc.file !== path) continue;
    out.push({ name: d.name, kind: ioctls.has(d.name) ? 'ioctl' : 'macro', loc: d.loc, end: d.endLoc, nameLoc: d.loc, nameLength: d.name.length });
  }
  for (const f of u?.unit.functions ?? []) {
    if (f.loc.file !== path || !f.isDefinition) continue;
    out.push({ name: f.name, kind: 'function', loc: f.loc, end: endOf(undefined, f.loc, f.name.length), nameLoc: f.loc, nameLength: f.name.length });
  }
  return out;
}

// ---------------------------------------------------------------- definition and references

export interface DefinitionInfo {
  name: string;
  loc: Loc;
  length: number;
}

export function findDefinition(ctx: DocContext, offset: number): DefinitionInfo[] {
  const word = nameAt(ctx, offset);
  if (!word || word.kind !== 'ident') return [];
  const u = primaryUnit(ctx.analysis);
  if (!u) return [];
  const name = word.text;
  // A member named in code (`p->Member`) means the member, a parameter or local the declaration in its function, whatever else has the name.
  const meaning = meaningAt(ctx, offset);
  if (meaning?.kind === 'member') return meaning.field.nameLoc.file.startsWith('<') ? [] : [{ name, loc: meaning.field.nameLoc, length: name.length }];
  if (meaning?.kind === 'parameter' || meaning?.kind === 'local') return [{ name, loc: meaning.loc, length: name.length }];
  const out: DefinitionInfo[] = [];
  const real = (l: Loc | undefined): l is Loc => !!l && !l.file.startsWith('<');
  const macro: MacroDef | undefined = u.pp.macros.get(name);
  if (macro && real(macro.loc)) out.push({ name, loc: macro.loc, length: name.length });
  const td = u.unit.typedefs.get(name);
  if (td && real(td.loc)) {
    // `typedef struct _X {...} X;`: the typedef's location is the typedef keyword; the record's name is more useful.
    const r = recordNamed(u, name);
    const loc = r && !r.viaPointer && r.record.nameLoc && recordName(r.record) === name ? r.record.nameLoc : td.loc;
    out.push({ name, loc, length: name.length });
  }
  const tag = u.unit.tags.get(name);
  if (tag && real(tag.loc) && !out.some((o) => o.loc.offset === (tag.nameLoc ?? tag.loc).offset && o.loc.file === tag.loc.file)) {
    const def = 'fields' in tag ? (u.unit.records.find((r) => r.tag === name && r.fields) ?? tag) : tag;
    out.push({ name, loc: def.nameLoc ?? def.loc, length: name.length });
  }
  const ec = u.unit.enumConstants.get(name);
  if (ec && real(ec.loc)) out.push({ name, loc: ec.loc, length: name.length });
  const fn = u.unit.functions.find((f) => f.name === name && f.isDefinition) ?? u.unit.functions.find((f) => f.name === name);
  if (fn && real(fn.loc)) out.push({ name, loc: fn.loc, length: name.length });
  if (out.length === 0) {
    const m = memberAt(ctx, offset);
    if (m) out.push({ name, loc: m.member.decl.nameLoc, length: name.length });
  }
  return out;
}

/**
 * The uses of the file-scope name at `offset` (macro, type, tag, enumerator,
 * function, variable): its identifier tokens in the document, in the unit's other
 * files that `inScope` accepts, and in `others` (files outside the unit,
 * such as the workspace index's). Members (declared, or named after
 * `->`/`.`) and parameters and locals of the same name are other entities
 * and are left out (in files outside the unit, only members named after
 * `->`/`.` can be told apart). Empty when the cursor is on no such name.
 */
export function findReferences(ctx: DocContext, offset: number, inScope: (path: string) => boolean, others: readonly SourceFile[] = [], cancelled: () => boolean = () => false): DefinitionInfo[] {
  const name = referenceTarget(ctx, offset);
  if (!name) return [];
  const u = primaryUnit(ctx.analysis)!;
  const files: SourceFile[] = [];
  for (const [p, f] of u.pp.files) if (p !== ctx.path && p !== preludePath && !p.startsWith('<') && inScope(p)) files.push(f);
  const seen = new Set([ctx.path, ...files.map((f) => f.path)]);
  for (const f of others) if (!seen.has(f.path) && f.text.includes(name)) files.push(f);
  const out: DefinitionInfo[] = [];
  const use = (t: Token) => out.push({ name, loc: { file: t.file.path, line: t.line, col: t.col, offset: t.offset }, length: name.length });
  const doc = positionsOf(ctx);
  for (const t of doc.uses(name)) if (resolveName(doc, u.unit, t.offset)?.kind === 'file') use(t);
  for (const f of files) {
    if (cancelled()) return [];
    if (!f.text.includes(name)) continue;
    // Files of the unit resolve as the document does; others (outside the unit) by their tokens.
    const pos = FilePositions.of(f, ctx.session.lexCache);
    const inUnit = u.pp.files.get(f.path) === f;
    for (const t of pos.uses(name)) if (!inUnit || resolveName(pos, u.unit, t.offset)?.kind === 'file') use(t);
  }
  return out;
}

/** The name under the cursor, when it is a file-scope name the unit knows (macro, type, tag, enumerator, function or variable). */
export function referenceTarget(ctx: DocContext, offset: number): string | undefined {
  const m = meaningAt(ctx, offset);
  if (m?.kind !== 'file') return undefined;
  const u = primaryUnit(ctx.analysis)!;
  const n = m.name;
  const known = u.pp.macros.has(n) || u.unit.typedefs.has(n) || u.unit.tags.has(n) || u.unit.enumConstants.has(n) || u.unit.functions.some((f) => f.name === n) || u.unit.variables.some((v) => v.name === n) || macroLookup(u)(n) !== undefined;
  return known ? n : undefined;
}

// ---------------------------------------------------------------- completion

export interface CompletionInfo {
  label: string;
  kind: 'constant' | 'keyword' | 'struct' | 'value';
  detail?: string;
  documentation?: string;
  /** Text to insert when it differs from the label. */
  insertText?: string;
  /** The span the completion replaces (the partial word). */
  replace: Span;
}

const annotationWords: [string, string][] = [
  ['in', '@in TYPE: the IOCTL\'s input buffer holds TYPE'],
  ['out', '@out TYPE: the IOCTL\'s output buffer holds TYPE'],
  ['inout', '@inout TYPE: the buffer is read and written as TYPE'],
  ['shadow32', '@shadow32 T32: T32 is this record\'s layout as a 32-bit caller sends it'],
  ['count', '@count FIELD: the member holding the number of elements a pointer member points to'],
];

export function doComplete(ctx: DocContext, offset: number): CompletionInfo[] {
  const text = ctx.text;
  let start = offset;
  while (start > 0 && offset - start < 128 && identChar(text.charCodeAt(start - 1))) start--;
  const replace = { start, end: offset };
  const pos = positionsOf(ctx);
  const comment = pos.commentAt(offset);
  if (comment) {
    // Inside a comment: the annotation words (plain text, not C).
    const before = text.slice(comment.offset, offset);
    const at = /@(\w*)$/.exec(before);
    if (at) return annotationWords.map(([w, doc]) => ({ label: w, kind: 'keyword' as const, detail: `@${w}`, documentation: doc, replace: { start: offset - at[1].length, end: offset } }));
    const typed = /@(in|out|inout|shadow32)\s+(\w*)$/.exec(before);
    if (typed) return recordNameCompletions(ctx, replace);
    return [];
  }
  const call = pos.callAround(offset);
  if (!call) return [];
  const u = primaryUnit(ctx.analysis);
  if (!u) return [];
  const lookup = macroLookup(u);
  const arg = call.callee === 'CTL_CODE' ? call.arg : wrapperArgument(lookup, call.callee, call.arg);
  if (arg === undefined) return [];
  const names = new Set<string>();
  for (const d of u.pp.macros.keys()) names.add(d);
  for (const d of u.prelude?.macros.keys() ?? []) names.add(d);
  const pick = (re: RegExp) =>
    [...names]
      .filter((n) => re.test(n))
      .sort()
      .map((n) => {
        const v = macroValue(n, lookup).value;
        return { label: n, kind: 'constant' as const, detail: v === undefined ? undefined : `0x${convert(v.value, { bits: v.type.bits, signed: false }).toString(16)}`, replace };
      });
  switch (arg) {
    case 0:
      return pick(/^FILE_DEVICE_/);
    case 1: {
      // Suggest the next free function code in the customer range.
      const used = interfaceFacts(ctx.analysis).ioctls.map((i) => i.code.function);
      const next = maxOf(0x7ff, used) + 1;
      return [{ label: `0x${next.toString(16)}`, kind: 'value', detail: 'next free function code (0x800-0xFFF are for vendors)', replace }];
    }
    case 2:
      return pick(/^METHOD_/);
    case 3:
      return [...pick(/^FILE_\w*_ACCESS$/), { label: 'FILE_READ_ACCESS | FILE_WRITE_ACCESS', kind: 'constant' as const, detail: '0x3', replace }];
    default:
      return [];
  }
}

/**
 * For a macro that wraps CTL_CODE (`CONTOSO_IOCTL(fn, method, access)`
 * defined as `CTL_CODE(FILE_DEVICE_CONTOSO, (fn), (method), (access))`), the
 * CTL_CODE argument its parameter number `arg` lands in.
 */
function wrapperArgument(lookup: (n: string) => MacroDef | undefined, name: string, arg: number): number | undefined {
  const def = lookup(name);
  const param = def?.params?.[arg];
  if (!def || !param) return undefined;
  const body = def.body.map((t) => t.text);
  const at = body.indexOf('CTL_CODE');
  if (at < 0 || body[at + 1] !== '(') return undefined;
  let level = 0;
  let index = 0;
  for (let i = at + 2; i < body.length; i++) {
    const t = body[i];
    if (t === '(') level++;
    else if (t === ')') {
      if (level === 0) return undefined;
      level--;
    } else if (t === ',' && level === 0) index++;
    else if (t === param) return index;
  }
  return undefined;
}

function recordNameCompletions(ctx: DocContext, replace: Span): CompletionInfo[] {
  const u = primaryUnit(ctx.analysis);
  if (!u) return [];
  const out: CompletionInfo[] = [];
  for (const [name, td] of u.unit.typedefs) {
    if (td.prelude || td.loc.file.startsWith('<')) continue;
    const r = recordNamed(u, name);
    if (!r || r.viaPointer) continue;
    const facts = recordFacts(ctx, recordKey(r.record));
    out.push({ label: name, kind: 'struct', detail: facts ? sizesSummary(facts) : undefined, replace });
  }
  return out;
}

// ---------------------------------------------------------------- layout command

export interface LayoutView {
  facts: RecordFacts;
}

/** The record at the cursor (on its name, a member, or anywhere inside its body), or named by key. */
/**
 * C++ names a plain word does not settle: the name at a record's own
 * definition (`struct ReadRequest` in namespace contoso is
 * contoso::ReadRequest, even when another ReadRequest exists), or a word
 * written with its qualifiers (`contoso::ioctl::ReadRequest`).
 */
function cxxRecordAt(ctx: DocContext, u: AbiUnit, word: { start: number; text: string }): { record: RecordDecl; viaPointer: boolean } | undefined {
  if (u.language !== 'cpp') return undefined;
  const defined = u.unit.records.find((r) => r.fields && r.nameLoc?.file === ctx.path && r.nameLoc.offset === word.start);
  if (defined) return { record: defined, viaPointer: false };
  const qualifiers = /(?:::)?(?:[A-Za-z_]\w*\s*::\s*)+$/.exec(ctx.text.slice(Math.max(0, word.start - 256), word.start));
  return qualifiers ? recordNamed(u, qualifiers[0].replace(/\s+/g, '').replace(/^::/, '') + word.text) : undefined;
}

export function recordAt(ctx: DocContext, offset: number): RecordFacts | undefined {
  const hover = doHover(ctx, offset);
  if (hover?.kind === 'record') return hover.facts;
  if (hover?.kind === 'member') return hover.record;
  const inside = recordsInFile(ctx, ctx.path)
    .filter((r) => !r.nested && offset >= r.loc.offset && (!r.endLoc || offset <= r.endLoc.offset + 64))
    .pop();
  return inside ? recordFacts(ctx, recordKey(inside)) : undefined;
}

export function controlCodeAt(ctx: DocContext, offset: number): HoverInfo | undefined {
  const hover = doHover(ctx, offset);
  return hover?.kind === 'ioctl' ? hover : undefined;
}

export type { AbiName };
