/**
 * The IOCTL interface of a translation unit: which macros are I/O control
 * codes, what they decode to, and which structs travel with each of them.
 *
 * What counts as an IOCTL. A `#define` (object-like, met in real source)
 * whose expansion goes through `CTL_CODE(...)` at any depth of macro layers,
 * whatever its name; or one whose value is a plain integer constant when it
 * is conventionally named (`IOCTL_*`, `FSCTL_*`) or named in a `case` label
 * of a dispatch switch. A plain constant must carry a device type (value
 * 0x10000 or more), so `#define IOCTL_DISK_BASE FILE_DEVICE_DISK` is a base,
 * not a code. A macro whose body is just another IOCTL's name is an alias.
 *
 * Evaluation. The preprocessor's output stream does not keep `#define`
 * bodies evaluated, so we expand the body here with a small expander (object
 * and function-like macros, `#` and `##`, a hide set per expansion) over the
 * unit's final macro table plus the prelude's fallbacks (`CTL_CODE`,
 * `METHOD_*`, `FILE_*_ACCESS`, `FILE_DEVICE_*`), then evaluate the tokens as
 * a C integer constant expression (constexpr.ts) in which casts keep the
 * value, and take the result as a 32-bit unsigned value.
 *
 * Annotations. A comment on the `#define`'s line or ending on the line above
 * may say `@in TYPE`, `@out TYPE`, `@inout TYPE` (any number), and on a
 * struct `@shadow32 T32` or `@count Member Expr`. They are read from
 * `pp.comments`, never from the token stream.
 */

import type { Comment, MacroDef, PreprocessResult } from './preprocess';
import { type IntValue, cRules, evaluateTokens as evaluateConstant } from './constexpr';
import { type Loc, type SourceFile, locAt } from './source';
import { TokKind, type Token } from './token';
import { append } from './arrays';

export type TransferMethod = 'METHOD_BUFFERED' | 'METHOD_IN_DIRECT' | 'METHOD_OUT_DIRECT' | 'METHOD_NEITHER';

export const methodNames: readonly TransferMethod[] = ['METHOD_BUFFERED', 'METHOD_IN_DIRECT', 'METHOD_OUT_DIRECT', 'METHOD_NEITHER'];

/** The four fields of a control code (devioctl.h's CTL_CODE layout). */
export interface DecodedCtlCode {
  /** The full 32-bit value. */
  value: number;
  deviceType: number;
  /** 12 bits; 0x000-0x7FF are reserved for Microsoft. */
  function: number;
  method: number;
  /** 2 bits: FILE_ANY_ACCESS 0, FILE_READ_ACCESS 1, FILE_WRITE_ACCESS 2, both 3. */
  access: number;
  /** `true` when bit 31 (the "custom"/common bit of the device type) is set. */
  common: boolean;
}

export function decodeCtlCode(value: number): DecodedCtlCode {
  const v = value >>> 0;
  return {
    value: v,
    deviceType: v >>> 16,
    function: (v >>> 2) & 0xfff,
    method: v & 3,
    access: (v >>> 14) & 3,
    common: (v & 0x80000000) !== 0,
  };
}

/** `FILE_DEVICE_UNKNOWN`: the device type vendors share with Microsoft. */
export const fileDeviceUnknown = 0x22;

/**
 * A control code Microsoft owns: a Microsoft device type (below 0x8000,
 * other than FILE_DEVICE_UNKNOWN) with a function below 0x800. A driver
 * that defines one redeclares a system IOCTL (a filter handling it), so the
 * rules about a driver's own codes do not apply to it.
 */
export function isMicrosoftCode(code: DecodedCtlCode): boolean {
  return code.deviceType < 0x8000 && code.deviceType !== fileDeviceUnknown && code.function < 0x800;
}

/** Winsock's `_IO()`-style macros: their codes are socket ioctls, not CTL_CODEs. */
const socketIoctlMacros = new Set(['_IO', '_IOR', '_IOW', '_WSAIO', '_WSAIOR', '_WSAIOW', '_WSAIORW']);

export function accessName(access: number): string {
  switch (access & 3) {
    case 0:
      return 'FILE_ANY_ACCESS';
    case 1:
      return 'FILE_READ_ACCESS';
    case 2:
      return 'FILE_WRITE_ACCESS';
    default:
      return 'FILE_READ_ACCESS | FILE_WRITE_ACCESS';
  }
}

export function hex(n: number, width = 0): string {
  return '0x' + (n >>> 0).toString(16).toUpperCase().padStart(width, '0');
}

// ---------------------------------------------------------------------------
// Annotations in comments

export type AnnotationTag = 'in' | 'out' | 'inout' | 'shadow32' | 'count';

export interface CommentAnnotation {
  tag: AnnotationTag;
  /** `@in FOO` -> ['FOO']; `@count Requests Count * 2` -> ['Requests', 'Count * 2']. */
  args: string[];
  /** Where the `@` is. */
  loc: Loc;
  /** Exclusive end of the annotation's text. */
  end: Loc;
}

/** The tag, then a name, which in C++ may be qualified (`@in contoso::ioctl::ReadRequest`, `@in ::Header`). */
const annotationRe = /@(inout|in|out|shadow32|count)\b([ \t]*)((?:::)?[A-Za-z_$][\w$]*(?:::[A-Za-z_$][\w$]*)*)?/g;

/**
 * Reads ioctl-lens annotations from one comment's text. Offsets in the
 * result are relative to the comment text; `annotationsIn` turns them into
 * file locations.
 */
export function parseCommentAnnotations(text: string): { tag: AnnotationTag; args: string[]; start: number; end: number }[] {
  const out: { tag: AnnotationTag; args: string[]; start: number; end: number }[] = [];
  annotationRe.lastIndex = 0;
  for (let m = annotationRe.exec(text); m; m = annotationRe.exec(text)) {
    const tag = m[1] as AnnotationTag;
    if (!m[3]) continue;
    const args = [m[3]];
    let end = m.index + m[0].length;
    if (tag === 'count') {
      // The count expression runs to the end of the line, the next annotation or the comment's end.
      const rest = /^[ \t]+([^@\r\n]*)/.exec(text.slice(end));
      const expr = (rest?.[1] ?? '').replace(/\*\/\s*$/, '').replace(/\s+/g, ' ').trim();
      if (expr) {
        args.push(expr);
        end += rest![0].replace(/\s*(\*\/)?\s*$/, '').length;
      }
    }
    out.push({ tag, args, start: m.index, end });
  }
  return out;
}

/** Comments of one file indexed by the line they start on and the line they end on. */
export interface CommentIndex {
  byStart: Map<number, Comment[]>;
  byEnd: Map<number, Comment[]>;
}

export function indexComments(comments: readonly Comment[]): CommentIndex {
  const byStart = new Map<number, Comment[]>();
  const byEnd = new Map<number, Comment[]>();
  for (const c of comments) {
    const s = byStart.get(c.line);
    if (s) s.push(c);
    else byStart.set(c.line, [c]);
    const e = byEnd.get(c.endLine);
    if (e) e.push(c);
    else byEnd.set(c.endLine, [c]);
  }
  return { byStart, byEnd };
}

/**
 * The comments that document a declaration spanning `line`..`endLine`: one
 * ending on the line above it, and any starting on its lines (trailing).
 */
export function commentsFor(index: CommentIndex, line: number, endLine = line): Comment[] {
  const out: Comment[] = [...(index.byEnd.get(line - 1) ?? [])];
  for (let l = line; l <= endLine; l++) for (const c of index.byStart.get(l) ?? []) if (!out.includes(c)) out.push(c);
  return out;
}

/** Annotations of the given comments, with file locations. */
export function annotationsIn(file: SourceFile | undefined, comments: readonly Comment[]): CommentAnnotation[] {
  const out: CommentAnnotation[] = [];
  for (const c of comments) {
    if (!c.text.includes('@')) continue;
    for (const a of parseCommentAnnotations(c.text)) {
      const loc = file ? locAt(file, c.offset + a.start) : { file: '', line: c.line, col: 1, offset: c.offset + a.start };
      const end = file ? locAt(file, c.offset + a.end) : { ...loc, offset: c.offset + a.end };
      out.push({ tag: a.tag, args: a.args, loc, end });
    }
  }
  return out;
}

/** Per-file comment indexes of a preprocess result, built on first use. */
export interface AnnotationSource {
  annotationsAt(file: string, line: number, endLine?: number): CommentAnnotation[];
  /** `// ioctl-lens-ignore RULE[, RULE]` on `line` or the line above: the rule ids (or `*` for all). */
  suppressionsAt(file: string, line: number): string[];
}

export function annotationSource(pp: Pick<PreprocessResult, 'comments' | 'files'>): AnnotationSource {
  const indexes = new Map<string, CommentIndex>();
  const indexOf = (file: string): CommentIndex | undefined => {
    let ix = indexes.get(file);
    if (ix) return ix;
    const comments = pp.comments.get(file);
    if (!comments) return undefined;
    ix = indexComments(comments);
    indexes.set(file, ix);
    return ix;
  };
  return {
    annotationsAt(file, line, endLine = line) {
      const ix = indexOf(file);
      if (!ix) return [];
      return annotationsIn(pp.files.get(file), commentsFor(ix, line, endLine));
    },
    suppressionsAt(file, line) {
      const ix = indexOf(file);
      if (!ix) return [];
      const out: string[] = [];
      const candidates = [...(ix.byStart.get(line) ?? []), ...(ix.byEnd.get(line - 1) ?? []), ...(ix.byStart.get(line - 1) ?? [])];
      for (const c of candidates) append(out, parseSuppression(c.text));
      return out;
    },
  };
}

/** `// ioctl-lens-ignore unthunked-pointer, stale-shadow` -> the ids; a bare `ioctl-lens-ignore` -> `*`. */
export function parseSuppression(text: string): string[] {
  const m = /ioctl-lens-ignore\b([^\r\n*]*)/.exec(text);
  if (!m) return [];
  const ids = m[1].split(/[\s,]+/).filter((s) => /^[a-z0-9-]+$/.test(s));
  return ids.length ? ids : ['*'];
}

// ---------------------------------------------------------------------------
// Macro expansion and constant evaluation over tokens

export type MacroLookup = (name: string) => MacroDef | undefined;

/** A token with the names of the macros it came through (outermost first). */
export interface ExpandedToken {
  tok: Token;
  via: readonly string[];
}

export interface CtlCodeCall {
  /** Each of the four arguments, expanded. */
  args: ExpandedToken[][];
}

interface ExpandState {
  lookup: MacroLookup;
  budget: number;
  ctlCalls: CtlCodeCall[];
}

function synth(text: string, kind: TokKind, like: Token): Token {
  return { ...like, kind, text };
}

/** Splits the tokens between a `(` at `open` and its `)` into arguments; returns the index after `)`. */
function collectArgs(toks: readonly ExpandedToken[], open: number): { args: ExpandedToken[][]; next: number } | undefined {
  const args: ExpandedToken[][] = [[]];
  let depth = 0;
  for (let i = open + 1; i < toks.length; i++) {
    const t = toks[i].tok.text;
    if (toks[i].tok.kind === TokKind.Punct) {
      if (t === '(') depth++;
      else if (t === ')') {
        if (depth === 0) return { args, next: i + 1 };
        depth--;
      } else if (t === ',' && depth === 0) {
        args.push([]);
        continue;
      }
    }
    args[args.length - 1].push(toks[i]);
  }
  return undefined;
}

function expandList(input: readonly ExpandedToken[], hide: ReadonlySet<string>, st: ExpandState): ExpandedToken[] {
  const out: ExpandedToken[] = [];
  for (let i = 0; i < input.length; i++) {
    if (--st.budget < 0) return out;
    const et = input[i];
    const t = et.tok;
    if (t.kind !== TokKind.Ident || hide.has(t.text)) {
      out.push(et);
      continue;
    }
    const m = st.lookup(t.text);
    if (!m) {
      out.push(et);
      continue;
    }
    const via = [...et.via, m.name];
    if (m.params === undefined) {
      const body = m.body.map((b) => ({ tok: b, via }));
      const inner = new Set(hide).add(m.name);
      append(out, expandList(body, inner, st));
      continue;
    }
    // Function-like: only an invocation when `(` follows.
    if (input[i + 1]?.tok.text !== '(') {
      out.push(et);
      continue;
    }
    const collected = collectArgs(input, i + 1);
    if (!collected) {
      out.push(et);
      continue;
    }
    let args = collected.args;
    if (args.length === 1 && args[0].length === 0 && m.params.length === 0 && !m.variadic) args = [];
    const expandedArgs = args.map((a) => expandList(a, hide, st));
    if (m.name === 'CTL_CODE') st.ctlCalls.push({ args: expandedArgs });
    const paramIndex = (name: string): number => {
      const k = m.params!.indexOf(name);
      if (k >= 0) return k;
      if (m.variadic && name === '__VA_ARGS__') return m.params!.length;
      return -1;
    };
    const argFor = (k: number, raw: boolean): ExpandedToken[] => {
      if (m.variadic && k === m.params!.length - (m.params!.includes('__VA_ARGS__') ? 1 : 0) && k >= m.params!.length - 1) {
        // The variadic argument: everything from here on, commas included.
        const rest = (raw ? args : expandedArgs).slice(k);
        const joined: ExpandedToken[] = [];
        rest.forEach((a, n) => {
          if (n) joined.push({ tok: synth(',', TokKind.Punct, t), via });
          append(joined, a);
        });
        return joined;
      }
      return (raw ? args[k] : expandedArgs[k]) ?? [];
    };
    const body: ExpandedToken[] = [];
    for (let b = 0; b < m.body.length; b++) {
      const bt = m.body[b];
      if (bt.text === '#' && bt.kind === TokKind.Punct && m.body[b + 1]?.kind === TokKind.Ident) {
        const k = paramIndex(m.body[b + 1].text);
        if (k >= 0) {
          const text = argFor(k, true).map((a) => a.tok.text).join(' ');
          body.push({ tok: synth(JSON.stringify(text), TokKind.String, bt), via });
          b++;
          continue;
        }
      }
      if (bt.text === '##' && bt.kind === TokKind.Punct && body.length && m.body[b + 1]) {
        const nt = m.body[b + 1];
        const k = nt.kind === TokKind.Ident ? paramIndex(nt.text) : -1;
        const right = k >= 0 ? argFor(k, true) : [{ tok: nt, via }];
        const left = body.pop()!;
        const first = right[0];
        const text = left.tok.text + (first ? first.tok.text : '');
        const kind = /^[A-Za-z_$]/.test(text) ? TokKind.Ident : /^[0-9.]/.test(text) ? TokKind.Number : left.tok.kind;
        body.push({ tok: synth(text, kind, left.tok), via });
        append(body, right.slice(1));
        b++;
        continue;
      }
      const k = bt.kind === TokKind.Ident ? paramIndex(bt.text) : -1;
      const nextIsPaste = m.body[b + 1]?.text === '##';
      if (k >= 0) append(body, nextIsPaste ? argFor(k, true) : argFor(k, false));
      else body.push({ tok: bt, via });
    }
    append(out, expandList(body, new Set(hide).add(m.name), st));
    i = collected.next - 1;
  }
  return out;
}

/** Expands `tokens` with the given macros; also reports every `CTL_CODE(...)` invocation met. */
export function expandTokens(tokens: readonly Token[], lookup: MacroLookup): { tokens: ExpandedToken[]; ctlCalls: CtlCodeCall[] } {
  const st: ExpandState = { lookup, budget: 20000, ctlCalls: [] };
  const out = expandList(tokens.map((tok) => ({ tok, via: [] })), new Set(), st);
  return { tokens: out, ctlCalls: st.ctlCalls };
}


/**
 * Evaluates expanded tokens as a C integer constant expression
 * (constexpr.ts, C rules): a parenthesised type name is a cast that keeps
 * the value, and an identifier left after expansion makes it no constant.
 */
export function evaluateTokens(tokens: readonly Token[]): bigint | undefined {
  return evaluateConstant(tokens, { rules: cRules }).value?.value;
}

/** A macro's expansion and, when it is an integer constant, its value. */
export interface MacroValue {
  value?: IntValue;
  /** The expansion went through `CTL_CODE`. */
  usedCtlCode: boolean;
  /** The fully expanded text, spaced as written. */
  expansion: string;
}

/** Expands a macro name through `lookup` and evaluates it (C rules), as `findIoctls` does a definition. */
export function macroValue(name: string, lookup: MacroLookup): MacroValue {
  const file = { path: '<macro>', text: name };
  const start: Token = { kind: TokKind.Ident, text: name, file, offset: 0, line: 1, col: 1, space: false, bol: false };
  const { tokens, ctlCalls } = expandTokens([start], lookup);
  const expansion = tokens.map((t, i) => (i > 0 && t.tok.space ? ' ' : '') + t.tok.text).join('');
  return { value: evaluateConstant(tokens.map((t) => t.tok), { rules: cRules }).value, usedCtlCode: ctlCalls.length > 0, expansion };
}

/** Evaluates to a 32-bit unsigned control-code value. */
export function toCode(v: bigint | undefined): number | undefined {
  return v === undefined ? undefined : Number(BigInt.asUintN(32, v));
}

// ---------------------------------------------------------------------------
// IOCTL definitions

export interface IoctlBuffer {
  direction: 'in' | 'out' | 'inout';
  /** The type name as written in the annotation. */
  type: string;
  loc: Loc;
  end: Loc;
}

export interface IoctlDef {
  name: string;
  /** The 32-bit control code. */
  code: DecodedCtlCode;
  /** True when the value came through `CTL_CODE(...)`. */
  viaCtlCode: boolean;
  /** Spelled method and access names met in the CTL_CODE arguments (`METHOD_NEITHER`, `FILE_SPECIAL_ACCESS` ...). */
  methodSpelling?: string;
  accessSpelling?: string;
  /** The macro name in its `#define`. */
  loc: Loc;
  /** End of the `#define` line. */
  endLoc: Loc;
  /** Set when the body is just another IOCTL's name. */
  aliasOf?: string;
  buffers: IoctlBuffer[];
  /** Every ioctl-lens annotation on the definition (including `@count`). */
  annotations: CommentAnnotation[];
  /** The definition's body tokens (for quick fixes that rewrite them). */
  body: readonly Token[];
}

export interface FindIoctlsOptions {
  /** The prelude's macros, consulted for names the unit never defines. */
  fallbackMacros?: ReadonlyMap<string, MacroDef>;
  /** Extra macro names treated as IOCTLs when their value is a plain constant (names seen in `case` labels). */
  caseNames?: ReadonlySet<string>;
  /** Only definitions in these files (default: all real files). */
  files?: (file: string) => boolean;
  annotations?: AnnotationSource;
}

export const ioctlNamePattern = /^(?:IOCTL|FSCTL)_\w+$/;

function spelledAmong(arg: ExpandedToken[] | undefined, pattern: RegExp): string | undefined {
  if (!arg) return undefined;
  for (const et of arg) {
    for (const name of et.via) if (pattern.test(name)) return name;
    if (et.tok.kind === TokKind.Ident && pattern.test(et.tok.text)) return et.tok.text;
  }
  return undefined;
}

/** Finds the IOCTL definitions among a unit's `#define`s. */
export function findIoctls(pp: Pick<PreprocessResult, 'definitions' | 'macros' | 'comments' | 'files'>, options: FindIoctlsOptions = {}): IoctlDef[] {
  const lookup: MacroLookup = (name) => pp.macros.get(name) ?? options.fallbackMacros?.get(name);
  const annotations = options.annotations ?? annotationSource(pp);
  const out: IoctlDef[] = [];
  const seen = new Set<string>();
  const reachesCtlCode = ctlCodeReach(lookup);
  for (const def of pp.definitions) {
    if (def.params !== undefined || def.prelude || def.body.length === 0) continue;
    if (def.loc.file.startsWith('<')) continue;
    if (options.files && !options.files(def.loc.file)) continue;
    const named = ioctlNamePattern.test(def.name) || options.caseNames?.has(def.name) === true;
    // Cheap filter: any other macro must mention a macro that leads to CTL_CODE.
    if (!named && !def.body.some((t) => t.kind === TokKind.Ident && reachesCtlCode(t.text))) continue;
    // `#define SIO_RCVALL _WSAIOW(IOC_VENDOR,1)`: a socket ioctl, whatever its name.
    if (def.body.some((t) => t.kind === TokKind.Ident && (socketIoctlMacros.has(t.text) || lookup(t.text)?.body.some((u) => socketIoctlMacros.has(u.text))))) continue;
    const { tokens, ctlCalls } = expandTokens(def.body, (n) => (n === def.name ? undefined : lookup(n)));
    const viaCtlCode = ctlCalls.length > 0;
    if (!viaCtlCode && !named) continue;
    const value = toCode(evaluateTokens(tokens.map((t) => t.tok)));
    if (value === undefined) continue;
    if (!viaCtlCode && value < 0x10000) continue;
    const key = `${def.name}\0${def.loc.file}\0${def.loc.offset}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const call = ctlCalls[ctlCalls.length - 1];
    const aliasTarget = def.body.length === 1 && def.body[0].kind === TokKind.Ident ? def.body[0].text : undefined;
    const anns = annotations.annotationsAt(def.loc.file, def.loc.line, def.endLoc.line);
    out.push({
      name: def.name,
      code: decodeCtlCode(value),
      viaCtlCode,
      methodSpelling: spelledAmong(call?.args[2], /^METHOD_\w+$/),
      accessSpelling: spelledAmong(call?.args[3], /^FILE_\w+_ACCESS$/),
      loc: def.loc,
      endLoc: def.endLoc,
      aliasOf: aliasTarget && (ioctlNamePattern.test(aliasTarget) || lookup(aliasTarget)?.body.length) ? aliasTarget : undefined,
      buffers: anns
        .filter((a) => a.tag === 'in' || a.tag === 'out' || a.tag === 'inout')
        .map((a) => ({ direction: a.tag as 'in' | 'out' | 'inout', type: a.args[0], loc: a.loc, end: a.end })),
      annotations: anns,
      body: def.body,
    });
  }
  // An alias only counts as one when its target is itself an IOCTL with the same value.
  const byName = new Map(out.map((d) => [d.name, d]));
  for (const d of out) if (d.aliasOf && byName.get(d.aliasOf)?.code.value !== d.code.value && lookup(d.aliasOf) === undefined) d.aliasOf = undefined;
  return out;
}

/**
 * Does a macro name's expansion reach `CTL_CODE` (`CTL_CODE` itself,
 * `CONTOSO_IOCTL(fn, m, a)` defined through it, and so on)? Answered on
 * demand by a walk over the macros each body mentions, so a call that looks
 * at a few definitions (the body of an edited document) costs a few lookups
 * instead of an index of the whole macro table (thousands of macros under
 * wdm.h). Answers are kept for one `findIoctls` call only: the lookup they
 * depend on belongs to that call.
 */
function ctlCodeReach(lookup: MacroLookup): (name: string) => boolean {
  const known = new Map<string, boolean>([['CTL_CODE', true]]);
  return (start) => {
    const hit = known.get(start);
    if (hit !== undefined) return hit;
    const seen = new Set([start]);
    const queue = [start];
    let found = false;
    while (queue.length && !found) {
      const m = lookup(queue.pop()!);
      if (!m) continue;
      for (const t of m.body) {
        if (t.kind !== TokKind.Ident) continue;
        const k = known.get(t.text);
        if (k === true) {
          found = true;
          break;
        }
        if (k === false || seen.has(t.text)) continue;
        seen.add(t.text);
        queue.push(t.text);
      }
    }
    // A walk that found nothing saw everything each visited name reaches: none of them reach it either.
    if (found) known.set(start, true);
    else for (const name of seen) known.set(name, false);
    return found;
  };
}

/** A readable one-line description: `CTL_CODE(0x8337, 0x801, METHOD_BUFFERED, FILE_READ_ACCESS | FILE_WRITE_ACCESS) = 0x8337E004`. */
export function describeIoctl(code: DecodedCtlCode): string {
  return `CTL_CODE(${hex(code.deviceType, 4)}, ${hex(code.function, 3)}, ${methodNames[code.method]}, ${accessName(code.access)}) = ${hex(code.value, 8)}`;
}
