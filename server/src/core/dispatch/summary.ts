/**
 * Per-function summaries: what one function body does with the IOCTL
 * machinery, independent of who calls it. A summary is computed once per
 * function (and cached by content), then `driver.ts` strings summaries
 * together across files.
 *
 * Algorithm. The body becomes a statement tree (`statements.ts`) whose
 * simple statements are read as declarations and expressions
 * (`expressions.ts`). A first pass computes, flow-insensitively, what every
 * local may hold as a set of *origins*:
 *
 *   - `buf`   the caller's buffer (`SystemBuffer`, `Type3InputBuffer`,
 *             `UserBuffer`, an MDL's system address, a KMDF retrieve's out pointer),
 *   - `code`  the control code (`IoControlCode`, `FsControlCode`),
 *   - `test`  a 32-bit-caller test's answer (`IoIs32bitProcess(Irp)` ...),
 *   - `len`   a buffer length (`InputBufferLength`, a retrieve's length out-parameter),
 *   - `p:N`   whatever the caller passes as parameter N,
 *   - `ret:K` whatever the function called at call site K returns,
 *   - `field:R.F` whatever the driver stores in field F of record R
 *             (`field:F` when the record is not known: any record's F).
 *   - `mem`   an object describing the buffer (`Irp->MdlAddress`, a KMDF
 *             request's memory); `of:X` the buffer of the object X resolves to
 *             (`MmGetSystemAddressForMdlSafe(Mdl)` with `Mdl` a parameter),
 *   - `mode`  the requestor's processor mode (`Irp->RequestorMode`),
 *   - `fn`    the function number of the control code (`(code >> 2) & 0xFFF`).
 *
 * The symbolic ones are resolved per call context by `driver.ts`, which is
 * what lets a handler in another file see that its `PVOID Buffer`
 * parameter is the IRP's system buffer, or that its `BOOLEAN Is32` is the
 * test. A second pass walks the tree and records *events*: buffer uses
 * (casts, pointer assignments, copies, retrieves, length checks, probes),
 * 32-bit tests, calls (with the origins of each argument), each under the
 * stack of conditions that guard it; and the *constructs* that dispatch on
 * a control code (a `switch`, an `if`/`else if` chain, a call through a
 * handler table) with the events of each case. Registrations
 * (`MajorFunction[IRP_MJ_DEVICE_CONTROL] = F`, `EvtIoDeviceControl = F`)
 * are recorded wherever they occur.
 */

import type { FunctionDecl, TranslationUnit } from '../ast';
import { evaluateTokens, ioctlNamePattern, toCode } from '../ioctl';
import type { Loc } from '../source';
import { TokKind, type Token, userLoc } from '../token';
import { type Expr, ExpressionReader, type LocalDecl, calleeName, comparisonOps, stripCasts, walkExpr } from './expressions';
import type { CaseLabel, MajorFunction, UseKind } from './model';
import { type Stmt, bodyStatements, matchBrackets } from './statements';
import { type TypeResolver, paramTypeName } from './types';
import {
  type Framework,
  type ParamRole,
  alignmentMacros,
  lengthFields,
  bufferFields,
  bufferObjectFields,
  bufferReturningCalls,
  memoryRetrieveCalls,
  controlCodeFields,
  controlMajorFunctions,
  copyCalls,
  kmdfCallbackParams,
  majorFunctionArrays,
  parameterNameRoles,
  parameterRoles,
  probeCalls,
  processorModes,
  requestorModeCalls,
  requestorModeFields,
  queueCallbackFields,
  retrieveCalls,
  wow64TestCalls,
} from './vocabulary';

/** `buf`, `code`, `test`, `len`, `mem`, `mode`, `fn`, `p:N`, `ret:K`, `field:R.F`, `of:X` (see the file comment). */
export type Origin = string;

/**
 * A condition on the way to an event: `on` holds a 32-bit test when it
 * resolves to `test`, or (with `mode`) the requestor's processor mode when it
 * resolves to `mode`.
 */
export interface Cond {
  on: Origin[];
  /** True: the event runs when the test says "32-bit caller" (with `mode`: when the caller is in kernel mode). */
  positive: boolean;
  mode?: true;
}

interface Event {
  /** Token index in the body (order, and "before the construct"). */
  at: number;
  loc: Loc;
  guard: Cond[];
  /** The construct cases (region ids) the event lies in, outermost first. */
  regions?: number[];
}

export interface SummaryUse extends Event {
  kind: UseKind;
  typeName: string;
  end: Loc;
  /** The origins that must resolve to `need` for this to be a use (absent: unconditional). */
  on?: Origin[];
  /** What `on` must hold: the buffer (casts, assignments, copies) or a length (length checks). */
  need?: 'buf' | 'len';
  call?: string;
}

export interface SummaryTest extends Event {
  on: Origin[];
}

/**
 * The buffer read through a pointer with no record behind it (`*(PULONG)Buffer`,
 * `Bytes[i]` where Bytes holds the buffer): work on the caller's memory that no
 * typed use shows.
 */
export interface SummaryRead extends Event {
  on: Origin[];
}

export interface SummaryCall extends Event {
  /** The function called by name; absent for calls through a pointer or table. */
  callee?: string;
  /** Identifiers in a call through an expression (`Table[i].Handler(...)`): table names. */
  through?: string[];
  /** `Table[fn - BASE](...)`: what the subscript is and the constant taken from it (positional tables). */
  index?: { on: Origin[]; offset: number };
  args: Origin[][];
  end: Loc;
}

export interface SummaryCase {
  labels: CaseLabel[];
  loc: Loc;
  end: Loc;
  region: number;
}

export interface SummaryConstruct {
  shape: 'switch' | 'if-chain';
  /** What the dispatch is on: it dispatches on the control code when this resolves to `code`. */
  on: Origin[];
  /** Its case labels are IOCTL names (then it is a dispatch whatever `on` resolves to). */
  labelsNamed: boolean;
  at: number;
  loc: Loc;
  cases: SummaryCase[];
  /** The cases of enclosing constructs it lies in (an `if (code == X)` inside a `switch` case is part of that case). */
  within?: number[];
}

export interface SummaryRegistration {
  handler: string;
  /** `any`: a loop filling every major function with one routine. */
  major: MajorFunction | 'any';
  kmdf: boolean;
  loc: Loc;
}

export interface SummaryParam {
  name?: string;
  typeName?: string;
  role?: ParamRole;
}

export interface FunctionSummary {
  name: string;
  file: string;
  loc: Loc;
  isStatic: boolean;
  params: SummaryParam[];
  framework: Framework;
  uses: SummaryUse[];
  tests: SummaryTest[];
  /** Raw reads of the buffer (see `SummaryRead`). */
  reads: SummaryRead[];
  calls: SummaryCall[];
  constructs: SummaryConstruct[];
  returns: Origin[];
  /** Structure fields this function stores the buffer, a code or a test in (driver-wide facts). */
  fieldWrites: Record<string, Origin[]>;
  registrations: SummaryRegistration[];
}

/** A file-scope table of handlers: `{ IOCTL_A, HandleA }, ...` or `[IDX] = HandleA`. */
export interface HandlerTable {
  name: string;
  /** `position`: the entry's index in a table with no control codes (see `handlerTable`). */
  entries: { labels: CaseLabel[]; handler: string; loc: Loc; position?: number }[];
}

export interface UnitSummary {
  /** Functions that may register or dispatch (summarised at once). */
  functions: FunctionSummary[];
  /** Every other function, summarised when a call reaches it. */
  lazy?: ReadonlyMap<string, { isStatic: boolean; get(): FunctionSummary }>;
  tables: HandlerTable[];
}

/**
 * Words without which a function neither registers a control routine,
 * dispatches on a code, nor stores the code, the buffer or a test's answer
 * in a structure field (field writes are driver-wide facts, so the functions
 * that may write them are summarised at once).
 */
const dispatchWords: ReadonlySet<string> = new Set([
  'switch',
  ...majorFunctionArrays,
  ...Object.keys(queueCallbackFields),
  ...controlCodeFields,
  ...bufferFields,
  ...bufferReturningCalls,
  ...Object.keys(retrieveCalls),
]);

type VarType = { typeName: string; pointers: number; array: boolean };

/** What a statement says about its bare `sizeof`s (see `statementFacts`). */
type StatementFacts = { information: boolean; buffer: Origin[] };

/** Origins resolved per call context. */
const symbolic = (o: Origin) => o.startsWith('p:') || o.startsWith('ret:') || o.startsWith('field:') || o.startsWith('of:');
const bufferish = (o: Origin) => o === 'buf' || symbolic(o);
const lengthish = (o: Origin) => o === 'len' || o.startsWith('p:') || o.startsWith('ret:');
const testish = (o: Origin) => o === 'test' || o.startsWith('p:') || o.startsWith('ret:') || o.startsWith('field:');
const codeish = (o: Origin) => o === 'code' || o === 'fn' || o.startsWith('p:') || o.startsWith('ret:') || o.startsWith('field:');

function endLocOf(t: Token): Loc {
  const l = userLoc(t);
  const len = t.expansion ? t.expansion.text.length : t.text.length;
  return { ...l, col: l.col + len, offset: l.offset + len };
}

/** The type name written in `TYPE_ALIGNMENT(T)` at a macro invocation in real source. */
function typeFromInvocation(invocation: Token, macro: string): string | undefined {
  const text = invocation.file.text;
  const m = new RegExp(`^${macro}\\s*\\(\\s*([^()]*?)\\s*\\)`).exec(text.slice(invocation.offset, invocation.offset + 200));
  return m ? m[1].replace(/\s+/g, ' ') : undefined;
}

/** The IOCTL name and value of a label written in tokens `[s, e)`. */
export function labelOf(toks: readonly Token[], s: number, e: number): CaseLabel | undefined {
  if (s >= e) return undefined;
  const first = toks[s];
  let name: string | undefined;
  let argument: string | undefined;
  if (first.expansion && first.expansion.kind === TokKind.Ident && toks.slice(s, e).every((t) => t.expansion === first.expansion)) {
    name = first.expansion.text;
    argument = invocationArgument(first.expansion);
  } else if (e - s === 1 && first.kind === TokKind.Ident) name = first.text;
  const value = toCode(evaluateTokens(toks.slice(s, e)));
  if (name === undefined && value === undefined) return undefined;
  const label: CaseLabel = { name, value, loc: userLoc(first) };
  if (argument) label.argument = argument;
  return label;
}

/** `MACRO(NAME)` as written at an invocation in real source: `NAME`. */
function invocationArgument(invocation: Token): string | undefined {
  const text = invocation.file.text.slice(invocation.offset, invocation.offset + 200);
  return /^\w+\s*\(\s*([A-Za-z_]\w*)\s*\)/.exec(text)?.[1];
}

/**
 * A label written as an IOCTL name whose value can be a control code: not
 * `IOCTL_STORAGE_BASE` or `FILE_DEVICE_*` in a switch on the device type
 * (no control code has device type 0, so every one is at least 0x10000).
 */
function namesControlCode(l: CaseLabel): boolean {
  return !!l.name && ioctlNamePattern.test(l.name) && (l.value === undefined || l.value >= 0x10000);
}

function paramRole(name: string | undefined, typeName: string | undefined): ParamRole | undefined {
  for (const r of parameterRoles) if (typeName && r.type.test(typeName)) return r.role;
  for (const r of parameterNameRoles) if (name && r.name.test(name)) return r.role;
  return undefined;
}

class Summarizer {
  private readonly toks: readonly Token[];
  private readonly match: Int32Array;
  private readonly reader: ExpressionReader;
  private readonly env = new Map<string, Set<Origin>>();
  private readonly vars = new Map<string, VarType>();
  /** Parsed statements by start index. */
  private readonly parsed = new Map<number, { decls?: LocalDecl[]; expr?: Expr }>();
  /** Call site index by the call expression's first token. */
  private readonly callIndex = new Map<string, number>();
  private regionCount = 0;
  private readonly summary: FunctionSummary;

  constructor(
    fn: { name: string; params: SummaryParam[]; body: Token[]; loc: Loc; isStatic: boolean },
    private readonly types: TypeResolver,
  ) {
    this.toks = fn.body;
    this.match = matchBrackets(fn.body);
    this.reader = new ExpressionReader(this.toks, this.match, (n) => types.isTypeName(n));
    const params = fn.params.map((p) => ({ ...p, role: p.role ?? paramRole(p.name, p.typeName) }));
    // KMDF control callbacks: (WDFQUEUE, WDFREQUEST, size_t, size_t, ULONG): the last is the code.
    if (params.length === 5 && params[0].role === 'queue' && params[1].role === 'request') params[kmdfCallbackParams.code].role = 'code';
    let framework: Framework = 'unknown';
    for (const p of params) {
      const f = parameterRoles.find((r) => r.role === p.role)?.framework;
      if (f) {
        framework = f;
        break;
      }
    }
    if (framework === 'unknown') {
      if (this.toks.some((t) => t.text.startsWith('WdfRequest'))) framework = 'kmdf';
      else if (this.toks.some((t) => t.text === 'IoGetCurrentIrpStackLocation')) framework = 'wdm';
    }
    this.summary = {
      name: fn.name,
      file: fn.loc.file,
      loc: fn.loc,
      isStatic: fn.isStatic,
      params,
      framework,
      uses: [],
      tests: [],
      reads: [],
      calls: [],
      constructs: [],
      returns: [],
      fieldWrites: {},
      registrations: [],
    };
    params.forEach((p, i) => {
      if (!p.name) return;
      this.env.set(p.name, new Set([`p:${i}`]));
      if (p.typeName) this.vars.set(p.name, { typeName: p.typeName, pointers: 0, array: false });
    });
  }

  run(): FunctionSummary {
    const stmts = bodyStatements(this.toks, this.match);
    // Pass 1: what locals hold (three rounds reach a fixpoint for chains of copies in practice).
    const simple: { s: number; e: number }[] = [];
    const collect = (list: readonly Stmt[]) => {
      for (const st of list) {
        switch (st.kind) {
          case 'block':
            collect(st.body);
            break;
          case 'if':
          case 'switch':
            simple.push({ s: st.cond[0], e: st.cond[1] });
            collect(st.kind === 'if' ? (st.else ? [st.then, st.else] : [st.then]) : [st.body]);
            break;
          case 'loop':
            if (st.head) simple.push({ s: st.head[0], e: st.head[1] });
            collect([st.body]);
            break;
          case 'simple':
          case 'jump':
            simple.push({ s: st.start, e: st.end });
            break;
          default:
            break;
        }
      }
    };
    collect(stmts);
    for (const { s, e } of simple) this.parse(s, e);
    for (let round = 0; round < 3; round++) {
      let changed = false;
      for (const { s } of simple) changed = this.flow(this.parsed.get(s)!) || changed;
      if (!changed) break;
    }
    // Pass 2: events, constructs, registrations.
    this.walk(stmts, [], []);
    return this.summary;
  }

  private parse(s: number, e: number): { decls?: LocalDecl[]; expr?: Expr } {
    const hit = this.parsed.get(s);
    if (hit) return hit;
    let end = e;
    if (end > s && this.toks[end - 1].text === ';') end--;
    let start = s;
    const w = this.toks[s]?.text;
    if (w === 'return' || w === 'goto' || w === 'break' || w === 'continue') start++;
    let out: { decls?: LocalDecl[]; expr?: Expr } = {};
    if (w === 'break' || w === 'continue' || w === 'goto' || start >= end) out = {};
    else {
      const decls = w === 'return' ? undefined : this.reader.declaration(start, end);
      if (decls && decls.length) {
        out = { decls };
        for (const d of decls) this.vars.set(d.name, { typeName: d.typeName, pointers: d.pointers, array: d.array });
      } else out = { expr: this.reader.expression(start, end) };
    }
    this.parsed.set(s, out);
    // Number call sites in order of appearance.
    const number = (x: Expr) =>
      walkExpr(x, (y) => {
        if (y.k === 'call' && !this.callIndex.has(`${y.s}`)) this.callIndex.set(`${y.s}`, this.callIndex.size);
      });
    if (out.expr) number(out.expr);
    for (const d of out.decls ?? []) if (d.init) number(d.init);
    return out;
  }

  private add(name: string, origins: Iterable<Origin>): boolean {
    let set = this.env.get(name);
    if (!set) this.env.set(name, (set = new Set()));
    const before = set.size;
    for (const o of origins) set.add(o);
    return set.size !== before;
  }

  /** Flow facts of one statement: locals assigned, out-parameters filled, fields written. */
  private flow(p: { decls?: LocalDecl[]; expr?: Expr }): boolean {
    let changed = false;
    for (const d of p.decls ?? []) if (d.init) changed = this.add(d.name, this.origins(d.init)) || changed;
    if (!p.expr) return changed;
    walkExpr(p.expr, (x) => {
      if (x.k === 'assign') {
        const target = stripCasts(x.left);
        const value = this.origins(x.right);
        if (target.k === 'id') changed = this.add(target.name, value) || changed;
        else if (target.k === 'member') {
          const kept = [...value].filter((o) => o === 'test' || o === 'code' || o === 'buf' || o === 'mem');
          if (kept.length) {
            const list = (this.summary.fieldWrites[this.fieldOrigin(target).slice('field:'.length)] ??= []);
            for (const o of kept) if (!list.includes(o)) list.push(o);
          }
        }
      } else if (x.k === 'call') {
        const name = calleeName(x);
        const r = name ? retrieveCalls[name] : undefined;
        if (r) {
          const out = this.addressed(x.args[r.out]);
          if (out) changed = this.add(out, ['buf']) || changed;
          const length = this.addressed(x.args[r.length]);
          if (length) changed = this.add(length, ['len']) || changed;
        }
        const m = name ? memoryRetrieveCalls[name] : undefined;
        const memory = m ? this.addressed(x.args[m.out]) : undefined;
        if (memory) changed = this.add(memory, ['mem']) || changed;
      }
    });
    return changed;
  }

  /**
   * A structure field as an origin: `field:R.F` when the record of the object
   * is known (`ctx->F` with `PCTX ctx`, `((PCTX)p)->F`), else `field:F`. The
   * record keeps a buffer stored in `CTX.Buffer` out of every
   * `UNICODE_STRING.Buffer` of the driver.
   */
  private fieldOrigin(x: Expr & { k: 'member' }): Origin {
    const typeName = this.objectType(x.obj);
    const record = typeName ? this.types.recordOf(typeName) : undefined;
    return record && record.pointers === (x.arrow ? 1 : 0) ? `field:${record.record}.${x.name}` : `field:${x.name}`;
  }

  /** The written type of a member access's object: a variable, a cast, or a member of either (`Entry->Path`). */
  private objectType(obj: Expr, depth = 0): string | undefined {
    if (obj.k === 'cast') return obj.type;
    const y = stripCasts(obj);
    if (y.k === 'id') {
      const v = this.vars.get(y.name);
      return v && !v.array ? v.typeName + ' *'.repeat(v.pointers) : undefined;
    }
    if (y.k === 'member' && depth < 8 && this.types.memberTypeOf) {
      const outer = this.objectType(y.obj, depth + 1);
      return outer ? this.types.memberTypeOf(outer, y.name) : undefined;
    }
    return undefined;
  }

  /** A table subscript: what it may be, less a constant (`fn - FIRST_FUNCTION`, `fn + 1`). */
  private subscript(x: Expr): { on: Origin[]; offset: number } {
    const y = stripCasts(x);
    if (y.k === 'binary' && (y.op === '-' || y.op === '+')) {
      const constant = toCode(evaluateTokens(this.toks.slice(y.right.s, y.right.e)));
      if (constant !== undefined) return { on: [...filter(this.origins(y.left), codeish)], offset: y.op === '-' ? constant : -constant };
    }
    return { on: [...filter(this.origins(y), codeish)], offset: 0 };
  }

  /** The variable whose address an argument passes (`&p`, `(PVOID *)&p`). */
  private addressed(x: Expr | undefined): string | undefined {
    if (!x) return undefined;
    const y = stripCasts(x);
    if (y.k === 'unary' && y.op === '&') {
      const v = stripCasts(y.arg);
      if (v.k === 'id') return v.name;
    }
    return undefined;
  }

  /** What a value may be (see the file comment). */
  origins(x: Expr): Set<Origin> {
    switch (x.k) {
      case 'id':
        return this.env.get(x.name) ?? new Set();
      case 'member':
        if (bufferFields.has(x.name)) return new Set(['buf']);
        if (controlCodeFields.has(x.name)) return new Set(['code']);
        if (requestorModeFields.has(x.name)) return new Set(['mode']);
        if (bufferObjectFields.has(x.name)) return new Set(['mem']);
        if (lengthFields.has(x.name)) return new Set(['len']);
        return new Set([this.fieldOrigin(x)]);
      case 'call': {
        const name = calleeName(x);
        if (name && wow64TestCalls.has(name)) return new Set(['test']);
        if (name && bufferReturningCalls.has(name)) {
          // The request's MDL or memory maps to the buffer; a symbolic object maps to what it resolves to.
          const out = new Set<Origin>();
          for (const o of x.args[0] ? this.origins(x.args[0]) : []) {
            if (o === 'mem') out.add('buf');
            else if (symbolic(o)) out.add(`of:${o}`);
          }
          return out;
        }
        if (name && requestorModeCalls.has(name)) return new Set(['mode']);
        const k = this.callIndex.get(`${x.s}`);
        return name && k !== undefined ? new Set([`ret:${k}`]) : new Set();
      }
      case 'cast':
        return this.origins(x.arg);
      case 'sizeof':
        return new Set();
      case 'unary':
        if (x.op === '!') return filter(this.origins(x.arg), testish);
        if (x.op === '&') {
          const v = stripCasts(x.arg);
          if (v.k === 'index') return filter(this.origins(v.obj), bufferish);
        }
        return new Set();
      case 'binary': {
        const both = union(this.origins(x.left), this.origins(x.right));
        if (x.op === '+' || x.op === '-') return filter(both, (o) => bufferish(o) || o === 'code' || o === 'fn' || o === 'len');
        if (x.op === '&' || x.op === '>>' || x.op === '|') return this.codePart(x, both);
        if (x.op === '&&' || x.op === '||' || x.op === '==' || x.op === '!=') return filter(both, (o) => o === 'test');
        return new Set();
      }
      case 'cond':
        return union(this.origins(x.then), this.origins(x.else));
      case 'assign':
        return this.origins(x.right);
      case 'comma':
        return x.items.length ? this.origins(x.items[x.items.length - 1]) : new Set();
      default:
        return new Set();
    }
  }

  /**
   * The parts of a control code a masking or shifting expression keeps:
   * `code & ~3`, `code | x` are still the code; `(code >> 2) & 0xFFF` and
   * `(code & 0x3FFC) >> 2` are its function number (`fn`, what tables
   * indexed by function use); `code >> 16` (the device type) and `code & 3`
   * (the method) are no control code at all.
   */
  private codePart(x: Expr & { k: 'binary' }, both: Set<Origin>): Set<Origin> {
    const left = this.origins(x.left);
    const constant = toCode(evaluateTokens(this.toks.slice(x.right.s, x.right.e)));
    const out = new Set<Origin>();
    if (x.op === '|') {
      if (both.has('code')) out.add('code');
      return out;
    }
    if (x.op === '>>') {
      if ((left.has('code') || left.has('code-bits')) && constant === 2) out.add('fn');
      return out;
    }
    // `&`: a mask without the device-type or function bits leaves neither.
    const masked = (o: Origin) => left.has(o) || (constant === undefined && both.has(o));
    if (masked('code') && (constant === undefined || constant > 3)) out.add(constant === undefined || constant >= 0x10000 ? 'code' : 'code-bits');
    if (masked('fn')) out.add('fn');
    return out;
  }

  private loc(i: number): Loc {
    return userLoc(this.toks[Math.min(i, this.toks.length - 1)]);
  }

  private endLoc(e: number, s: number): Loc {
    const end = endLocOf(this.toks[Math.max(s, Math.min(e, this.toks.length) - 1)]);
    const start = this.loc(s);
    return end.file === start.file ? end : start;
  }

  /** The then/else conditions a test expression sets (`IoIs32bitProcess(Irp)`, `!Is32`, `Is32 == FALSE`, `a && b`). */
  private condOf(x: Expr): { then?: Cond; else?: Cond } {
    switch (x.k) {
      case 'unary':
        if (x.op === '!') {
          const c = this.condOf(x.arg);
          return { then: c.else, else: c.then };
        }
        return {};
      case 'binary': {
        if (x.op === '&&') {
          const a = this.condOf(x.left);
          const b = this.condOf(x.right);
          return { then: a.then ?? b.then };
        }
        if (x.op === '||') {
          const a = this.condOf(x.left);
          const b = this.condOf(x.right);
          return { else: a.else ?? b.else };
        }
        if (x.op === '==' || x.op === '!=') {
          const truth = (y: Expr) => {
            const t = y.k === 'lit' || y.k === 'id' ? this.toks[y.s].text : undefined;
            return t === 'TRUE' || t === '1' || t === 'true' ? true : t === 'FALSE' || t === '0' || t === 'false' ? false : undefined;
          };
          const mode = this.modeComparison(x);
          if (mode) return mode;
          const rt = truth(x.right);
          const lt = truth(x.left);
          const side = rt !== undefined ? x.left : lt !== undefined ? x.right : undefined;
          const value = rt ?? lt;
          if (!side || value === undefined) return {};
          const c = this.condOf(side);
          return (x.op === '==') === value ? c : { then: c.else, else: c.then };
        }
        return {};
      }
      case 'call':
      case 'id':
      case 'member': {
        const on = [...filter(this.origins(x), testish)];
        if (on.length === 0) return {};
        return { then: { on, positive: true }, else: { on, positive: false } };
      }
      case 'assign':
        return this.condOf(x.right);
      default:
        return {};
    }
  }

  /** `Irp->RequestorMode != KernelMode`, `ExGetPreviousMode() == UserMode`: the branches by the caller's mode. */
  private modeComparison(x: Expr & { k: 'binary' }): { then: Cond; else: Cond } | undefined {
    for (const [value, constant] of [
      [x.left, x.right],
      [x.right, x.left],
    ] as const) {
      const named = constant.k === 'id' ? processorModes[constant.name] : undefined;
      if (!named) continue;
      const on = [...filter(this.origins(value), (o) => o === 'mode' || o.startsWith('p:') || o.startsWith('ret:') || o.startsWith('field:'))];
      if (on.length === 0) return undefined;
      const kernelWhenTrue = (x.op === '==') === (named === 'kernel');
      return { then: { on, positive: kernelWhenTrue, mode: true }, else: { on, positive: !kernelWhenTrue, mode: true } };
    }
    return undefined;
  }

  private event(at: number, guard: Cond[], regions: number[]): Event {
    const e: Event = { at, loc: this.loc(at), guard };
    if (regions.length) e.regions = regions;
    return e;
  }

  /** `*E` or `E[i]`: a raw read when E may hold the buffer. */
  private read(x: Expr, guard: Cond[], regions: number[]): void {
    const on = [...filter(this.origins(x), bufferish)];
    if (on.length && !this.summary.reads.some((r) => r.at === x.s)) this.summary.reads.push({ ...this.event(x.s, guard, regions), on });
  }

  private test(at: number, on: Origin[], guard: Cond[], regions: number[]): void {
    if (!this.summary.tests.some((t) => t.at === at)) this.summary.tests.push({ ...this.event(at, guard, regions), on });
  }

  /** Test events for the test-like leaves of a condition. */
  private conditionTests(x: Expr, guard: Cond[], regions: number[]): void {
    walkExpr(x, (y) => {
      if (y.k === 'call' || y.k === 'id' || y.k === 'member') {
        const on = [...filter(this.origins(y), testish)];
        if (on.length) {
          this.test(y.s, on, guard, regions);
          return false;
        }
      }
      return y.k !== 'call';
    });
  }

  private walk(list: readonly Stmt[], guard: Cond[], regions: number[]): Cond[] {
    let g = guard;
    for (const st of list) g = this.walkOne(st, g, regions);
    return g;
  }

  /** Walks one statement; returns the guard in effect after it. */
  private walkOne(st: Stmt, guard: Cond[], regions: number[]): Cond[] {
    switch (st.kind) {
      case 'block':
        this.walk(st.body, guard, regions);
        return guard;
      case 'if': {
        if (this.ifChain(st, guard, regions)) return guard;
        const cond = this.parse(st.cond[0], st.cond[1]).expr;
        const c = cond ? this.condOf(cond) : {};
        if (cond) {
          this.conditionTests(cond, guard, regions);
          this.scan(cond, guard, regions, false);
        }
        const thenGuard = c.then ? [...guard, c.then] : guard;
        const elseGuard = c.else ? [...guard, c.else] : guard;
        this.walkOne(st.then, thenGuard, regions);
        if (st.else) {
          this.walkOne(st.else, elseGuard, regions);
          return guard;
        }
        // `if (IoIs32bitProcess(Irp)) { ...; return; }`: what follows runs only on the other branch.
        return exits(st.then) && c.else ? elseGuard : guard;
      }
      case 'switch':
        this.switchStmt(st, guard, regions);
        return guard;
      case 'loop': {
        if (st.head) {
          const head = this.parse(st.head[0], st.head[1]).expr;
          if (head) {
            this.conditionTests(head, guard, regions);
            this.scan(head, guard, regions, false);
          }
        }
        this.walkOne(st.body, guard, regions);
        return guard;
      }
      case 'case':
      case 'default':
        return guard;
      case 'jump':
      case 'simple': {
        const p = this.parse(st.start, st.end);
        for (const d of p.decls ?? []) this.declaration(d, guard, regions);
        if (p.expr) {
          this.scan(p.expr, guard, regions, false, this.statementFacts(p.expr));
          if (st.kind === 'jump' && this.toks[st.start].text === 'return') {
            for (const o of this.origins(p.expr)) if (!this.summary.returns.includes(o)) this.summary.returns.push(o);
          }
        }
        return guard;
      }
    }
  }

  /** A `switch`: a construct when it is on something that may be the code, or its labels are IOCTL names. */
  private switchStmt(st: Stmt & { kind: 'switch' }, guard: Cond[], regions: number[]): void {
    const cond = this.parse(st.cond[0], st.cond[1]).expr;
    if (cond) this.scan(cond, guard, regions, false);
    const on = cond ? [...filter(this.origins(cond), codeish)] : [];
    const body = st.body.kind === 'block' ? st.body.body : [st.body];
    let named = false;
    for (const c of body) {
      if (c.kind !== 'case') continue;
      const l = labelOf(this.toks, c.expr[0], c.expr[1]);
      if (l && namesControlCode(l)) named = true;
    }
    if (on.length === 0 && !named) {
      this.walkOne(st.body, guard, regions);
      return;
    }
    const construct: SummaryConstruct = { shape: 'switch', on, labelsNamed: named, at: st.start, loc: this.loc(st.start), cases: [] };
    if (regions.length) construct.within = regions;
    this.summary.constructs.push(construct);
    // Case groups: consecutive labels, then the statements up to the next label.
    let current: SummaryCase | undefined;
    let currentHasStatements = false;
    let g = guard;
    for (const c of body) {
      if (c.kind === 'case' || c.kind === 'default') {
        if (!current || currentHasStatements) {
          current = { labels: [], loc: this.loc(c.start), end: this.endLoc(c.end, c.start), region: this.regionCount++ };
          construct.cases.push(current);
          currentHasStatements = false;
          g = guard;
        }
        if (c.kind === 'case') {
          const l = labelOf(this.toks, c.expr[0], c.expr[1]);
          if (l) current.labels.push(l);
        }
        current.end = this.endLoc(c.end, c.start);
        continue;
      }
      if (!current) {
        this.walkOne(c, guard, regions);
        continue;
      }
      currentHasStatements = true;
      g = this.walkOne(c, g, [...regions, current.region]);
      current.end = this.endLoc(c.end, c.start);
    }
    // `default:` alone carries no IOCTL.
    construct.cases = construct.cases.filter((c) => c.labels.length > 0);
  }

  /**
   * `if (code == IOCTL_A) ... else if (code == IOCTL_B || code == IOCTL_C) ...`:
   * each branch is a case. Returns false when the `if` is no such chain.
   */
  private ifChain(st: Stmt & { kind: 'if' }, guard: Cond[], regions: number[]): boolean {
    const branches: { labels: CaseLabel[]; on: Origin[]; named: boolean; stmt: Stmt; start: number }[] = [];
    let cur: Stmt | undefined = st;
    let rest: Stmt | undefined;
    while (cur && cur.kind === 'if') {
      const cond = this.parse(cur.cond[0], cur.cond[1]).expr;
      const b = cond ? this.codeComparison(cond) : undefined;
      if (!b) {
        rest = cur;
        break;
      }
      branches.push({ ...b, stmt: cur.then, start: cur.start });
      cur = cur.else;
      if (cur && cur.kind !== 'if') {
        rest = cur;
        break;
      }
    }
    if (branches.length === 0) return false;
    const on = [...new Set(branches.flatMap((b) => b.on))];
    const named = branches.some((b) => b.named);
    if (!named && !on.includes('code') && branches.length < 2) return false;
    const construct: SummaryConstruct = { shape: 'if-chain', on, labelsNamed: named, at: st.start, loc: this.loc(st.start), cases: [] };
    if (regions.length) construct.within = regions;
    this.summary.constructs.push(construct);
    for (const b of branches) {
      const region = this.regionCount++;
      construct.cases.push({ labels: b.labels, loc: this.loc(b.start), end: this.endLoc(b.stmt.end, b.stmt.start), region });
      this.walkOne(b.stmt, guard, [...regions, region]);
    }
    if (rest) {
      if (rest.kind === 'if') this.walkOne(rest, guard, regions);
      else this.walkOne(rest, guard, regions);
    }
    return true;
  }

  /** `X == LABEL` (or `||` of several) where X may be the code: the labels, and what X is. */
  private codeComparison(x: Expr): { labels: CaseLabel[]; on: Origin[]; named: boolean } | undefined {
    if (x.k === 'binary' && x.op === '||') {
      const a = this.codeComparison(x.left);
      const b = this.codeComparison(x.right);
      if (!a || !b) return undefined;
      return { labels: [...a.labels, ...b.labels], on: [...new Set([...a.on, ...b.on])], named: a.named || b.named };
    }
    if (x.k !== 'binary' || x.op !== '==') return undefined;
    for (const [value, label] of [
      [x.left, x.right],
      [x.right, x.left],
    ] as const) {
      const on = [...filter(this.origins(value), codeish)];
      const l = label.k === 'id' || label.k === 'lit' || label.k === 'cast' || label.k === 'other' || label.k === 'binary' || label.k === 'call' ? labelOf(this.toks, label.s, label.e) : undefined;
      if (!l || l.value === undefined) continue;
      const named = namesControlCode(l);
      if (on.length === 0 && !named) continue;
      return { labels: [l], on, named };
    }
    return undefined;
  }

  /**
   * Facts about a whole statement that decide whether a bare `sizeof` names
   * the buffer's type: the statement sets the returned length
   * (`Irp->IoStatus.Information = sizeof(T)`), or it mentions something that
   * may be the buffer. What may be the buffer is kept symbolic (a parameter,
   * a callee's return ...) and resolved per call context, so
   * `IoCreateDevice(DriverObject, sizeof(EXTENSION), ...)` in a helper is
   * not a use just because `DriverObject` is a parameter.
   */
  private statementFacts(x: Expr): StatementFacts {
    let information = false;
    const buffer = new Set<Origin>();
    walkExpr(x, (y) => {
      if (y.k === 'member' && y.name === 'Information') information = true;
      else if (y.k === 'id' || y.k === 'member') for (const o of this.origins(y)) if (o === 'buf' || o.startsWith('p:')) buffer.add(o);
      return undefined;
    });
    return { information, buffer: [...buffer] };
  }

  private declaration(d: LocalDecl, guard: Cond[], regions: number[]): void {
    if (!d.init) return;
    const facts = this.statementFacts(d.init);
    this.scan(d.init, guard, regions, false, facts);
    // `PFOO p = Irp->AssociatedIrp.SystemBuffer;` (a cast is a use of its own).
    if (d.init.k !== 'cast') {
      const on = [...filter(this.origins(d.init), bufferish)];
      if (on.length) this.use('assign', d.typeName + ' *'.repeat(d.pointers), d.at, d.init.e, guard, regions, on);
    }
  }

  private use(kind: UseKind, typeName: string, s: number, e: number, guard: Cond[], regions: number[], on?: Origin[], call?: string, need: 'buf' | 'len' = 'buf'): void {
    const u: SummaryUse = { ...this.event(s, guard, regions), kind, typeName, end: this.endLoc(e, s) };
    if (on && !on.includes(need)) {
      u.on = on;
      if (need !== 'buf') u.need = need;
    }
    if (call) u.call = call;
    const dup = this.summary.uses.some((v) => v.kind === kind && v.typeName === typeName && v.at === s);
    if (!dup) this.summary.uses.push(u);
  }

  /** The declared type of the value an expression designates (`p`, `*p`, `Local`), for `sizeof(x)`. */
  private typeOfExpr(x: Expr): string | undefined {
    const y = stripCasts(x);
    if (y.k === 'id') {
      const v = this.vars.get(y.name);
      return v ? v.typeName + ' *'.repeat(v.pointers) : undefined;
    }
    if (y.k === 'unary' && y.op === '*') {
      const inner = stripCasts(y.arg);
      if (inner.k === 'id') {
        const v = this.vars.get(inner.name);
        if (v && v.pointers > 0) return v.typeName + ' *'.repeat(v.pointers - 1);
        // `sizeof(*p)` with `PFOO p`: the record behind one pointer (resolved in `driver.ts`).
        if (v) return `${v.typeName} [deref]`;
      }
    }
    return undefined;
  }

  /**
   * Buffer uses, tests and calls in one expression. `cmp`: inside an operand
   * of a comparison, with what the comparison's operands may hold (a length
   * check compares a `sizeof` with a length); false elsewhere.
   */
  private scan(x: Expr, guard: Cond[], regions: number[], cmp: false | Origin[], facts?: StatementFacts, retrieveSize = false): void {
    const recurse = (y: Expr, g = guard, c: false | Origin[] = cmp) => this.scan(y, g, regions, c, facts);
    switch (x.k) {
      case 'cast': {
        const on = [...filter(this.origins(x.arg), bufferish)];
        if (on.length && x.arg.k !== 'lit') this.use('cast', x.type, x.s, x.arg.e, guard, regions, on);
        recurse(x.arg);
        return;
      }
      case 'sizeof': {
        const type = x.type ?? (x.arg ? this.typeOfExpr(x.arg) : undefined);
        if (!type) return;
        const lengths = cmp ? cmp.filter(lengthish) : [];
        const kind: UseKind = retrieveSize ? 'retrieve' : lengths.length ? 'size-check' : 'sizeof';
        // A bare sizeof names the buffer's type only where the buffer or the returned length is involved
        // (`Irp->IoStatus.Information = sizeof(T)`), not in `RtlZeroMemory(&local, sizeof(T))`.
        if (kind === 'size-check') this.use(kind, type, x.s, x.e, guard, regions, lengths, undefined, 'len');
        else if (kind !== 'sizeof' || facts?.information) this.use(kind, type, x.s, x.e, guard, regions);
        else if (facts?.buffer.length) this.use(kind, type, x.s, x.e, guard, regions, facts.buffer);
        return;
      }
      case 'call': {
        const name = calleeName(x);
        const k = this.callIndex.get(`${x.s}`);
        if (name && wow64TestCalls.has(name)) this.test(x.s, ['test'], guard, regions);
        else if (name && probeCalls[name]) this.probe(x, name, probeCalls[name].align, guard, regions);
        else if (name && retrieveCalls[name]) {
          const r = retrieveCalls[name];
          // The out pointer first: `&p` receives the buffer (an `assign` of p's type), then the minimum size.
          const out = x.args[r.out];
          const v = out ? this.addressed(out) : undefined;
          const t = v ? this.vars.get(v) : undefined;
          if (out && t) this.use('assign', t.typeName + ' *'.repeat(t.pointers), out.s, out.e, guard, regions);
          x.args.forEach((a, i) => {
            if (i === r.size) this.scan(a, guard, regions, false, facts, true);
            else if (i !== r.out) this.scan(a, guard, regions, false, facts);
          });
          return;
        } else if (name && copyCalls[name]) this.copy(x, copyCalls[name], guard, regions);
        if (k !== undefined && !(name && (wow64TestCalls.has(name) || probeCalls[name] || bufferReturningCalls.has(name)))) {
          const call: SummaryCall = { ...this.event(x.s, guard, regions), args: x.args.map((a) => [...this.origins(a)]), end: this.endLoc(x.fn.e, x.s) };
          if (name) call.callee = name;
          else {
            const through: string[] = [];
            walkExpr(x.fn, (y) => {
              if (y.k === 'id') through.push(y.name);
              else if (y.k === 'index' && !call.index) call.index = this.subscript(y.index);
            });
            call.through = through;
          }
          this.summary.calls[k] = call;
        }
        for (const a of x.args) recurse(a, guard, false);
        return;
      }
      case 'binary':
        if (comparisonOps.has(x.op)) {
          const sides = [...union(this.origins(x.left), this.origins(x.right))];
          recurse(x.left, guard, sides);
          recurse(x.right, guard, sides);
        } else if (x.op === '&&' || x.op === '||') {
          recurse(x.left, guard, false);
          recurse(x.right, guard, false);
        } else if (x.op === '-' && cmp) {
          // `Length - sizeof(HEADER) < n` checks the buffer against HEADER; `Length > MAXULONG - sizeof(T)` guards an addition.
          recurse(x.left);
          recurse(x.right, guard, [...this.origins(x.left)].some(lengthish) ? cmp : false);
        } else {
          recurse(x.left);
          recurse(x.right);
        }
        return;
      case 'cond': {
        const c = this.condOf(x.test);
        this.conditionTests(x.test, guard, regions);
        recurse(x.test, guard, false);
        recurse(x.then, c.then ? [...guard, c.then] : guard);
        recurse(x.else, c.else ? [...guard, c.else] : guard);
        return;
      }
      case 'assign': {
        this.registration(x);
        const target = stripCasts(x.left);
        if (target.k === 'id' && x.right.k !== 'cast') {
          const v = this.vars.get(target.name);
          const on = [...filter(this.origins(x.right), bufferish)];
          if (v && on.length) this.use('assign', v.typeName + ' *'.repeat(v.pointers), target.s, x.right.e, guard, regions, on);
        }
        recurse(x.left, guard, false);
        recurse(x.right, guard, false);
        return;
      }
      case 'member':
        recurse(x.obj);
        return;
      case 'index':
        this.read(x.obj, guard, regions);
        recurse(x.obj);
        recurse(x.index, guard, false);
        return;
      case 'unary':
        if (x.op === '*') this.read(x.arg, guard, regions);
        recurse(x.arg);
        return;
      case 'comma':
      case 'init':
        for (const i of x.items) recurse(i);
        return;
      default:
        return;
    }
  }

  /** `ProbeForRead(p, n, __alignof(T))` / `TYPE_ALIGNMENT(T)`. */
  private probe(x: Expr & { k: 'call' }, name: string, alignArg: number, guard: Cond[], regions: number[]): void {
    const a = x.args[alignArg];
    if (!a) return;
    for (let k = a.s; k < a.e; k++) {
      const t = this.toks[k];
      if (t.expansion && t.expansion.kind === TokKind.Ident && alignmentMacros.has(t.expansion.text)) {
        const type = typeFromInvocation(t.expansion, t.expansion.text);
        if (type) this.use('probe', type, x.s, x.e, guard, regions, undefined, name);
        return;
      }
    }
    let found: string | undefined;
    walkExpr(a, (y) => {
      if (y.k === 'alignof' && y.type && !found) found = y.type;
    });
    if (found) this.use('probe', found, x.s, x.e, guard, regions, undefined, name);
  }

  /** `RtlCopyMemory(&Local, Buffer, sizeof(Local))` and back: a use of the local's type. */
  private copy(x: Expr & { k: 'call' }, spec: { dest: number; src: number; length: number }, guard: Cond[], regions: number[]): void {
    const dest = x.args[spec.dest];
    const src = x.args[spec.src];
    if (!dest || !src) return;
    for (const [local, buffer] of [
      [dest, src],
      [src, dest],
    ] as const) {
      const on = [...filter(this.origins(buffer), bufferish)];
      if (!on.length) continue;
      const type = this.copiedType(local);
      if (type) this.use('copy', type, local.s, local.e, guard, regions, on);
    }
  }

  /** The record type a copy's local side holds: `&Local` (by value), `p` (a record pointer). */
  private copiedType(x: Expr): string | undefined {
    const y = stripCasts(x);
    if (y.k === 'unary' && y.op === '&') {
      const v = stripCasts(y.arg);
      if (v.k === 'id') {
        const t = this.vars.get(v.name);
        if (t && !t.array) return t.typeName + ' *'.repeat(t.pointers);
      }
      return undefined;
    }
    if (y.k === 'id') {
      const t = this.vars.get(y.name);
      if (t && t.pointers === 1 && ![...(this.env.get(y.name) ?? [])].some(bufferish)) return t.typeName + ' *';
    }
    return undefined;
  }

  /** `X->MajorFunction[IRP_MJ_DEVICE_CONTROL] = F;` and `Config.EvtIoDeviceControl = F;`. */
  private registration(x: Expr & { k: 'assign' }): void {
    let handler = stripCasts(x.right);
    // C++ writes a member function's address: `Config.EvtIoDeviceControl = &Device::OnIoctl;`.
    if (handler.k === 'unary' && handler.op === '&') handler = stripCasts(handler.arg);
    if (handler.k !== 'id' || x.op !== '=') return;
    const left = stripCasts(x.left);
    if (left.k === 'member' && queueCallbackFields[left.name]) {
      const major: MajorFunction = queueCallbackFields[left.name] === 'device' ? 'device-control' : 'internal-device-control';
      this.summary.registrations.push({ handler: handler.name, major, kmdf: true, loc: this.loc(left.s) });
      return;
    }
    if (left.k !== 'index') return;
    const array = stripCasts(left.obj);
    const arrayName = array.k === 'member' ? array.name : array.k === 'id' ? array.name : undefined;
    if (!arrayName || !majorFunctionArrays.has(arrayName)) return;
    const idx = left.index;
    let major: MajorFunction | 'any' | undefined;
    const written = this.toks[idx.s]?.expansion?.text ?? this.toks[idx.s]?.text;
    const value = toCode(evaluateTokens(this.toks.slice(idx.s, idx.e)));
    const byNumber = Object.entries(controlMajorFunctions).find(([, v]) => v === value)?.[0];
    const name = written && controlMajorFunctions[written] !== undefined ? written : byNumber;
    if (name === 'IRP_MJ_DEVICE_CONTROL') major = 'device-control';
    else if (name === 'IRP_MJ_INTERNAL_DEVICE_CONTROL') major = 'internal-device-control';
    else if (name === 'IRP_MJ_FILE_SYSTEM_CONTROL') major = 'file-system-control';
    else if (value === undefined) major = 'any';
    if (major) this.summary.registrations.push({ handler: handler.name, major, kmdf: false, loc: this.loc(left.s) });
  }
}

function filter(set: Iterable<Origin>, keep: (o: Origin) => boolean): Set<Origin> {
  const out = new Set<Origin>();
  for (const o of set) if (keep(o)) out.add(o);
  return out;
}

function union(a: Set<Origin>, b: Set<Origin>): Set<Origin> {
  if (a.size === 0) return b;
  if (b.size === 0) return a;
  return new Set([...a, ...b]);
}

function exits(st: Stmt): boolean {
  switch (st.kind) {
    case 'jump':
      return true;
    case 'block':
      return st.body.some((s) => exits(s));
    case 'if':
      return exits(st.then) && (st.else ? exits(st.else) : false);
    default:
      return false;
  }
}

/** A summary of one function given as tokens (its body from `{` to `}`). */
export function summarizeFunction(
  fn: { name: string; params?: SummaryParam[]; body: Token[]; loc?: Loc; isStatic?: boolean },
  types: TypeResolver,
): FunctionSummary {
  const loc = fn.loc ?? (fn.body[0] ? userLoc(fn.body[0]) : { file: '', line: 1, col: 1, offset: 0 });
  return new Summarizer({ name: fn.name, params: fn.params ?? [], body: fn.body, loc, isStatic: fn.isStatic ?? false }, types).run();
}

// ---------------------------------------------------------------------------
// Units

/**
 * Summaries cached by content: a function whose tokens, parameters and
 * type-name answers are unchanged keeps its summary across edits and across
 * translation units that include the same header.
 */
const summaryCache = new Map<string, FunctionSummary>();
const summaryCacheLimit = 20000;

function contentKey(f: FunctionDecl, params: SummaryParam[], types: TypeResolver): string {
  const parts: string[] = [f.name, f.loc.file, String(f.loc.offset), f.isStatic ? 's' : ''];
  for (const p of params) parts.push(`${p.name ?? ''}:${p.typeName ?? ''}`);
  for (const t of f.body) {
    parts.push(t.text);
    if (t.kind === TokKind.Ident && types.isTypeName(t.text)) parts.push('\u0001');
    if (t.expansion) parts.push(`\u0002${t.expansion.text}`);
  }
  return parts.join('\u0000');
}

/** Summaries of every function a unit defines (eager for those that may dispatch, lazy for the rest), and its handler tables. */
export function summarizeUnit(unit: TranslationUnit, types: TypeResolver, inScope: (file: string) => boolean = () => true, options: { eager?: boolean } = {}): UnitSummary {
  const tables: HandlerTable[] = [];
  const defined = new Set(unit.functions.map((f) => f.name));
  for (const v of unit.variables) {
    if (!v.init || v.init.length < 3 || !inScope(v.loc.file)) continue;
    const t = handlerTable(v.name, v.init, defined);
    if (t) tables.push(t);
  }
  const tableNames = new Set(tables.map((t) => t.name));
  const functions: FunctionSummary[] = [];
  const lazy = new Map<string, { isStatic: boolean; get(): FunctionSummary }>();
  for (const f of unit.functions) {
    if (!f.isDefinition || f.body.length === 0) continue;
    let memo: FunctionSummary | undefined;
    const get = () => (memo ??= summaryOf(f, types));
    // `eager`: a summary kept apart from its unit (the language server's index) cannot summarise later.
    if (options.eager && inScope(f.loc.file)) functions.push(get());
    else if (inScope(f.loc.file) && f.body.some((t) => dispatchWords.has(t.text) || wow64TestCalls.has(t.text) || tableNames.has(t.text) || ioctlNamePattern.test(t.expansion?.text ?? ''))) functions.push(get());
    else lazy.set(f.name, { isStatic: !!f.isStatic, get });
  }
  return options.eager ? { functions, tables } : { functions, lazy, tables };
}

function summaryOf(f: FunctionDecl, types: TypeResolver): FunctionSummary {
  const params = f.type.params.map((p) => ({ name: p.name, typeName: paramTypeName(p.type) }));
  const key = contentKey(f, params, types);
  let s = summaryCache.get(key);
  if (!s) {
    s = summarizeFunction({ name: f.name, params, body: f.body, loc: f.loc, isStatic: f.isStatic }, types);
    if (summaryCache.size >= summaryCacheLimit) summaryCache.delete(summaryCache.keys().next().value!);
    summaryCache.set(key, s);
  }
  return s;
}

/**
 * A handler table in an initialiser: brace groups pairing a control code with
 * a function (`{ IOCTL_A, HandleA }`), designated entries
 * (`[IOCTL_INDEX_A] = HandleA`), or, with no control code in any entry,
 * handlers in function-number order (`{ HandleA, HandleB }`,
 * `{ { HandleA, sizeof(A) }, ... }`): their position is kept, and the call
 * that indexes the table says which function position 0 is.
 */
function handlerTable(name: string, init: readonly Token[], functions: ReadonlySet<string>): HandlerTable | undefined {
  const match = matchBrackets(init);
  const open = init.findIndex((t) => t.text === '{');
  const close = open >= 0 ? match[open] : -1;
  if (close < 0) return undefined;
  // Top-level items of the initialiser.
  const items: [number, number][] = [];
  let start = open + 1;
  for (let i = open + 1; i <= close; i++) {
    const t = init[i];
    if (i === close || t.text === ',') {
      if (i > start) items.push([start, i]);
      start = i + 1;
    } else if ((t.text === '{' || t.text === '[' || t.text === '(') && match[i] > i) i = match[i];
  }
  const labelled: HandlerTable['entries'] = [];
  const positional: HandlerTable['entries'] = [];
  items.forEach(([s, e], position) => {
    const first = init[s];
    if (first.text === '[' && match[s] > s && match[s] < e) {
      // `[LABEL] = Handler`
      const label = labelOf(init, s + 1, match[s]);
      const h = init[match[s] + 2];
      if (label && init[match[s] + 1]?.text === '=' && h?.kind === TokKind.Ident && functions.has(h.text)) labelled.push({ labels: [label], handler: h.text, loc: label.loc });
      return;
    }
    if (e - s === 1 && first.kind === TokKind.Ident && functions.has(first.text)) {
      positional.push({ labels: [], handler: first.text, loc: userLoc(first), position });
      return;
    }
    if (first.text !== '{' || match[s] !== e - 1) return;
    // `{ LABEL, Handler, ... }` with no nested braces.
    for (let k = s + 1; k < e - 1; k++) if (init[k].text === '{') return;
    const handler = init.slice(s + 1, e - 1).find((x) => x.kind === TokKind.Ident && functions.has(x.text));
    if (!handler) return;
    const commas: number[] = [s];
    for (let k = s + 1; k < e - 1; k++) {
      if (init[k].text === ',') commas.push(k);
      else if (match[k] > k) k = match[k];
    }
    commas.push(e - 1);
    let label: CaseLabel | undefined;
    for (let c = 0; c + 1 < commas.length && !label; c++) {
      const l = labelOf(init, commas[c] + 1, commas[c + 1]);
      if (l && l.value !== undefined && l.name !== handler.text && (namesControlCode(l) || l.value >= 0x10000)) label = l;
    }
    if (label) labelled.push({ labels: [label], handler: handler.text, loc: label.loc });
    else positional.push({ labels: [], handler: handler.text, loc: userLoc(init[s]), position });
  });
  const entries = labelled.length ? labelled : positional;
  return entries.length ? { name, entries } : undefined;
}