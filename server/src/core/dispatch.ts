/**
 * Dispatch routines: how a driver's device-control code uses the IOCTL
 * buffers, read from function bodies (WDM `IRP_MJ_DEVICE_CONTROL` handlers
 * and KMDF `EvtIoDeviceControl` callbacks).
 *
 * Algorithm. A function body arrives as preprocessed tokens. We build a
 * statement tree (blocks, if/else, switch, loops, case labels, jumps, and
 * "simple" statements whose expressions stay token ranges: no expression
 * grammar, so unknown types and macros cannot derail us). A routine is a
 * function with a switch on the control code: a condition mentioning
 * `IoControlCode` (the stack location's field, or the KMDF parameter) or a
 * local assigned from it, or a switch whose case labels are IOCTL macros.
 *
 * Each case group (consecutive labels and the statements up to the next
 * label) is walked with a *guard*: `none`, `wow64` (inside the 32-bit branch
 * of `IoIs32bitProcess(Irp)` / `WdfRequestIsFrom32BitProcess(Request)`, or a
 * local or helper holding that test) or `native` (its other branch, or after
 * an `if (test) { ...; return/break; }`). In every expression we look for
 * the buffer's types: casts of a buffer source (`SystemBuffer`,
 * `Type3InputBuffer`, `UserBuffer`, an MDL's system address, or a variable
 * holding one), pointers of a record type assigned from one,
 * `WdfRequestRetrieve*Buffer(Request, sizeof(T), &p, ...)`, `sizeof(T)`
 * compared with a length, and `ProbeForRead/Write(..., __alignof(T))` (also
 * when written `TYPE_ALIGNMENT(T)`, recovered from the macro invocation).
 * Calls to functions defined in the same unit are followed (three levels).
 *
 * IOCTL names of case labels come from the tokens' `expansion` (the macro
 * name written in the source); values from evaluating the expanded tokens.
 */

import type { CType, FunctionDecl, RecordDecl, TranslationUnit } from './ast';
import { evaluateTokens, ioctlNamePattern, toCode } from './ioctl';
import { displayName } from './names';
import type { Loc } from './source';
import { TokKind, type Token, userLoc } from './token';

// ---------------------------------------------------------------------------
// The model

export type Guard = 'none' | 'wow64' | 'native';

export type UseKind =
  /** `(PFOO)Irp->AssociatedIrp.SystemBuffer` */
  | 'cast'
  /** `PFOO p = Irp->AssociatedIrp.SystemBuffer;`, or `&p` passed to a KMDF retrieve call. */
  | 'assign'
  /** `WdfRequestRetrieveInputBuffer(Request, sizeof(FOO), &p, NULL)`: the minimum size (a length check); `&p` is an `assign`. */
  | 'retrieve'
  /** `if (Length < sizeof(FOO))` */
  | 'size-check'
  /** `sizeof(FOO)` anywhere else (`Irp->IoStatus.Information = sizeof(FOO)`). */
  | 'sizeof'
  /** `ProbeForRead(p, n, __alignof(FOO))` */
  | 'probe';

export interface BufferUse {
  kind: UseKind;
  /** The type as written: `FOO`, `PFOO`, `struct _FOO`, `ULONG_PTR` (probe alignment). */
  typeName: string;
  /** The record the type names or points to (its display name), when it is one. */
  record?: string;
  guard: Guard;
  loc: Loc;
  end: Loc;
  /** The function it was found in when that is a callee of the dispatch routine. */
  via?: string;
  /** For probes: `ProbeForRead` or `ProbeForWrite`. */
  call?: string;
}

export interface CaseLabel {
  /** The IOCTL macro name written in the label, when it was one. */
  name?: string;
  value?: number;
  loc: Loc;
}

export interface DispatchCase {
  labels: CaseLabel[];
  loc: Loc;
  end: Loc;
  uses: BufferUse[];
  /** 32-bit-caller tests met in the case (or its callees), or before the switch in the routine. */
  tests: Loc[];
}

export interface DispatchRoutine {
  name: string;
  loc: Loc;
  framework: 'wdm' | 'kmdf' | 'unknown';
  switchLoc: Loc;
  cases: DispatchCase[];
}

/** Resolves type names for the scanner; the real one reads a translation unit. */
export interface TypeResolver {
  /** A name that can start a declaration (typedef name or keyword). */
  isTypeName(name: string): boolean;
  /** For a type name: the record it names or points to and how many pointers lead there. */
  recordOf(typeName: string): { record: string; pointers: number } | undefined;
  /** A function defined in the unit, for following calls. */
  functionNamed?(name: string): { params: { name?: string; typeName?: string }[]; body: Token[] } | undefined;
}

// ---------------------------------------------------------------------------
// Statement tree

type Range = [number, number];

type Stmt =
  | { kind: 'block'; start: number; end: number; body: Stmt[] }
  | { kind: 'if'; start: number; end: number; cond: Range; then: Stmt; else?: Stmt }
  | { kind: 'switch'; start: number; end: number; cond: Range; body: Stmt }
  | { kind: 'loop'; start: number; end: number; head?: Range; body: Stmt }
  | { kind: 'case'; start: number; end: number; expr: Range }
  | { kind: 'default'; start: number; end: number }
  | { kind: 'jump'; start: number; end: number; word: string }
  | { kind: 'simple'; start: number; end: number };

/** `match[i]` is the index of the bracket matching the one at `i` (or -1). */
function matchBrackets(toks: readonly Token[]): Int32Array {
  const match = new Int32Array(toks.length).fill(-1);
  const stack: number[] = [];
  const closes: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.kind !== TokKind.Punct) continue;
    if (t.text === '(' || t.text === '[' || t.text === '{') stack.push(i);
    else if (t.text in closes) {
      // Pop to the nearest matching opener; tolerate stray closers.
      for (let k = stack.length - 1; k >= 0; k--) {
        if (toks[stack[k]].text === closes[t.text]) {
          match[stack[k]] = i;
          match[i] = stack[k];
          stack.length = k;
          break;
        }
      }
    }
  }
  return match;
}

class StatementParser {
  constructor(
    private readonly toks: readonly Token[],
    private readonly match: Int32Array,
    private readonly limit: number,
  ) {}

  private text(i: number): string | undefined {
    return i < this.limit ? this.toks[i].text : undefined;
  }

  private isPunct(i: number, s: string): boolean {
    return i < this.limit && this.toks[i].kind === TokKind.Punct && this.toks[i].text === s;
  }

  /** Statements from `i` up to `end` (exclusive). */
  list(i: number, end: number): Stmt[] {
    const out: Stmt[] = [];
    let guard = 0;
    while (i < end && guard++ < 100000) {
      const [s, next] = this.stmt(i, end);
      out.push(s);
      i = next > i ? next : i + 1;
    }
    return out;
  }

  /** One statement starting at `i`; returns it and the index after it. */
  stmt(i: number, end: number): [Stmt, number] {
    const t = this.toks[i];
    const word = t.kind === TokKind.Ident ? t.text : undefined;
    if (this.isPunct(i, '{')) {
      const close = this.match[i] >= 0 && this.match[i] < end ? this.match[i] : end - 1;
      return [{ kind: 'block', start: i, end: close + 1, body: this.list(i + 1, close) }, close + 1];
    }
    if ((word === 'if' || word === 'switch' || word === 'while' || word === 'for') && this.isPunct(i + 1, '(')) {
      const close = this.match[i + 1];
      if (close < 0 || close >= end) return this.simple(i, end);
      const cond: Range = [i + 2, close];
      const [body, next] = close + 1 < end ? this.stmt(close + 1, end) : [{ kind: 'simple', start: close + 1, end: close + 1 } as Stmt, close + 1];
      if (word === 'if') {
        if (this.text(next) === 'else' && next + 1 < end) {
          const [elseStmt, after] = this.stmt(next + 1, end);
          return [{ kind: 'if', start: i, end: after, cond, then: body, else: elseStmt }, after];
        }
        return [{ kind: 'if', start: i, end: next, cond, then: body }, next];
      }
      if (word === 'switch') return [{ kind: 'switch', start: i, end: next, cond, body }, next];
      return [{ kind: 'loop', start: i, end: next, head: cond, body }, next];
    }
    if (word === 'do' && i + 1 < end) {
      const [body, next] = this.stmt(i + 1, end);
      let after = next;
      if (this.text(next) === 'while' && this.isPunct(next + 1, '(') && this.match[next + 1] > 0) {
        after = this.match[next + 1] + 1;
        if (this.isPunct(after, ';')) after++;
        return [{ kind: 'loop', start: i, end: after, head: [next + 2, this.match[next + 1]], body }, after];
      }
      return [{ kind: 'loop', start: i, end: after, body }, after];
    }
    if (word === '__try' || word === 'try' || word === '__finally' || word === 'else') {
      const [body, next] = i + 1 < end ? this.stmt(i + 1, end) : [{ kind: 'simple', start: i, end: i + 1 } as Stmt, i + 1];
      return [{ kind: 'loop', start: i, end: next, body }, next];
    }
    if ((word === '__except' || word === 'catch') && this.isPunct(i + 1, '(') && this.match[i + 1] > 0) {
      const close = this.match[i + 1];
      const [body, next] = this.stmt(close + 1, end);
      return [{ kind: 'loop', start: i, end: next, head: [i + 2, close], body }, next];
    }
    if (word === 'case') {
      let j = i + 1;
      let question = 0;
      while (j < end) {
        const tj = this.toks[j];
        if (tj.kind === TokKind.Punct) {
          if (tj.text === '(' || tj.text === '[') {
            j = Math.max(j, this.match[j]) + 1;
            continue;
          }
          if (tj.text === '?') question++;
          else if (tj.text === ':') {
            if (question === 0) break;
            question--;
          } else if (tj.text === ';' || tj.text === '{' || tj.text === '}') break;
        }
        j++;
      }
      return [{ kind: 'case', start: i, end: Math.min(j + 1, end), expr: [i + 1, j] }, Math.min(j + 1, end)];
    }
    if (word === 'default' && this.isPunct(i + 1, ':')) return [{ kind: 'default', start: i, end: i + 2 }, i + 2];
    if (word && this.isPunct(i + 1, ':') && word !== 'default') {
      return [{ kind: 'simple', start: i, end: i + 2 }, i + 2]; // a goto label
    }
    if (word === 'return' || word === 'break' || word === 'continue' || word === 'goto') {
      const [s, next] = this.simple(i, end);
      return [{ kind: 'jump', start: s.start, end: s.end, word }, next];
    }
    return this.simple(i, end);
  }

  /** An expression or declaration statement: up to `;` at depth 0. */
  private simple(i: number, end: number): [Stmt, number] {
    let j = i;
    while (j < end) {
      const t = this.toks[j];
      if (t.kind === TokKind.Punct) {
        if (t.text === ';') return [{ kind: 'simple', start: i, end: j + 1 }, j + 1];
        if (t.text === '}') break;
        if ((t.text === '(' || t.text === '[' || t.text === '{') && this.match[j] > j && this.match[j] < end) {
          j = this.match[j] + 1;
          continue;
        }
      }
      j++;
    }
    return [{ kind: 'simple', start: i, end: Math.max(j, i + 1) }, Math.max(j, i + 1)];
  }
}

// ---------------------------------------------------------------------------
// Scanning

const bufferSources = new Set([
  'SystemBuffer', 'Type3InputBuffer', 'UserBuffer', 'MmGetSystemAddressForMdlSafe', 'MmGetSystemAddressForMdl', 'MmGetMdlVirtualAddress',
]);
const wow64Tests = new Set(['IoIs32bitProcess', 'WdfRequestIsFrom32BitProcess', 'IoIs32bitProcessEx']);
const retrieveCalls = new Set([
  'WdfRequestRetrieveInputBuffer', 'WdfRequestRetrieveOutputBuffer', 'WdfRequestRetrieveUnsafeUserInputBuffer', 'WdfRequestRetrieveUnsafeUserOutputBuffer',
]);
const probeCalls = new Set(['ProbeForRead', 'ProbeForWrite']);
const alignofWords = new Set(['__alignof', '__alignof__', '_Alignof', 'alignof']);
const comparisons = new Set(['<', '>', '<=', '>=', '==', '!=']);
const declKeywords = new Set([
  'struct', 'union', 'enum', 'const', 'volatile', 'unsigned', 'signed', 'int', 'long', 'short', 'char', 'void', '__int64', '__int32',
  '__int16', '__int8', 'static', 'register', 'auto', 'float', 'double', '_Bool', 'bool',
]);

interface FunctionInfo {
  name: string;
  params: { name?: string; typeName?: string }[];
  body: Token[];
}

interface Scope {
  toks: Token[];
  match: Int32Array;
  /** Local variable -> its declared type name and extra pointers. */
  vars: Map<string, { typeName: string; pointers: number }>;
  /** Variables holding the buffer. */
  buffers: Set<string>;
  /** Variables holding the control code. */
  codeVars: Set<string>;
  /** Variables holding a 32-bit-caller test result. */
  testVars: Set<string>;
  via?: string;
}

interface Sink {
  uses: BufferUse[];
  tests: Loc[];
}

export interface DispatchOptions {
  resolver: TypeResolver;
  /** Names of known IOCTL macros, to recognise switches by their labels. */
  ioctlNames?: ReadonlySet<string>;
  /** How deep to follow calls into functions of the unit (default 3). */
  followDepth?: number;
}

function endLocOf(t: Token): Loc {
  const l = userLoc(t);
  if (t.expansion) return { ...l, col: l.col + t.expansion.text.length, offset: l.offset + t.expansion.text.length };
  return { ...l, col: l.col + t.text.length, offset: l.offset + t.text.length };
}

/** The text of a type name in tokens `[s, e)`, normalised (`struct _FOO`, `PFOO`, `FOO *`). */
function typeText(toks: readonly Token[], s: number, e: number): string {
  return toks
    .slice(s, e)
    .map((t) => t.text)
    .join(' ')
    .replace(/\s*\*\s*/g, ' *')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Splits `struct _FOO * *` into the base name and the number of stars. */
function splitStars(text: string): { base: string; stars: number } {
  let stars = 0;
  let base = text.replace(/\b(const|volatile)\b/g, '').trim();
  while (base.endsWith('*')) {
    stars++;
    base = base.slice(0, -1).trim();
  }
  return { base: base.replace(/\s+/g, ' '), stars };
}

/** The type name written in `TYPE_ALIGNMENT(T)` at a macro invocation in real source. */
function typeFromInvocation(invocation: Token, macro: string): string | undefined {
  const text = invocation.file.text;
  const m = new RegExp(`^${macro}\\s*\\(\\s*([^()]*?)\\s*\\)`).exec(text.slice(invocation.offset, invocation.offset + 200));
  return m ? m[1].replace(/\s+/g, ' ') : undefined;
}

class Scanner {
  private readonly followDepth: number;
  constructor(private readonly options: DispatchOptions) {
    this.followDepth = options.followDepth ?? 3;
  }

  private ident(toks: readonly Token[], i: number): string | undefined {
    const t = toks[i];
    return t && t.kind === TokKind.Ident ? t.text : undefined;
  }

  newScope(fn: FunctionInfo, via?: string): Scope {
    const scope: Scope = {
      toks: fn.body,
      match: matchBrackets(fn.body),
      vars: new Map(),
      buffers: new Set(),
      codeVars: new Set(),
      testVars: new Set(),
      via,
    };
    for (const p of fn.params) {
      if (!p.name) continue;
      if (p.typeName) scope.vars.set(p.name, { typeName: p.typeName, pointers: 0 });
      if (/^(Input|Output)?Buffer$|Buffer$/i.test(p.name) && !/Length$/i.test(p.name)) scope.buffers.add(p.name);
      if (/IoControlCode/i.test(p.name)) scope.codeVars.add(p.name);
    }
    this.collectLocals(scope);
    return scope;
  }

  /** A pre-pass over every `;`-terminated statement: declarations, buffer and code variables. */
  private collectLocals(scope: Scope): void {
    const { toks } = scope;
    let start = 1;
    for (let i = 1; i < toks.length; i++) {
      const t = toks[i];
      if (t.kind !== TokKind.Punct) continue;
      if (t.text === '{' || t.text === '}') {
        start = i + 1;
        continue;
      }
      if (t.text !== ';') continue;
      this.declaration(scope, start, i);
      this.assignments(scope, start, i);
      start = i + 1;
    }
    // Out-parameters of the KMDF retrieve calls hold the buffer.
    for (let i = 0; i < toks.length; i++) {
      const name = this.ident(toks, i);
      if (!name || !(retrieveCalls.has(name) || name === 'WdfMemoryGetBuffer') || toks[i + 1]?.text !== '(') continue;
      const close = scope.match[i + 1];
      for (let j = i + 2; j < close; j++) if (toks[j].text === '&' && this.ident(toks, j + 1)) scope.buffers.add(toks[j + 1].text);
    }
  }

  private declaration(scope: Scope, s: number, e: number): void {
    const { toks } = scope;
    // Skip leading qualifiers like `const`; a declaration starts with a type name.
    let i = s;
    while (i < e && (toks[i].text === 'const' || toks[i].text === 'volatile' || toks[i].text === 'static')) i++;
    const first = this.ident(toks, i);
    if (!first) return;
    let baseEnd: number;
    if (first === 'struct' || first === 'union' || first === 'enum') {
      if (!this.ident(toks, i + 1)) return;
      baseEnd = i + 2;
    } else if (this.options.resolver.isTypeName(first) || declKeywords.has(first)) {
      baseEnd = i + 1;
      while (baseEnd < e && declKeywords.has(toks[baseEnd].text)) baseEnd++;
    } else return;
    const base = typeText(toks, i, baseEnd);
    // Declarators: `*`s, a name, then anything to the next `,` at depth 0.
    let j = baseEnd;
    while (j < e) {
      let stars = 0;
      while (j < e && (toks[j].text === '*' || toks[j].text === 'const' || toks[j].text === 'volatile')) {
        if (toks[j].text === '*') stars++;
        j++;
      }
      const name = this.ident(toks, j);
      if (!name) return;
      // `FOO(x)` is a call, `FOO x` a declaration.
      scope.vars.set(name, { typeName: base, pointers: stars });
      j++;
      while (j < e && toks[j].text !== ',') {
        if ((toks[j].text === '(' || toks[j].text === '[' || toks[j].text === '{') && scope.match[j] > j) j = scope.match[j];
        j++;
      }
      j++;
    }
  }

  private assignments(scope: Scope, s: number, e: number): void {
    const { toks } = scope;
    for (let i = s + 1; i < e; i++) {
      if (toks[i].text !== '=' || toks[i].kind !== TokKind.Punct) continue;
      const target = this.ident(toks, i - 1);
      if (!target) continue;
      const rhs = toks.slice(i + 1, e);
      if (rhs.some((t) => t.text === 'IoControlCode')) scope.codeVars.add(target);
      if (rhs.some((t) => bufferSources.has(t.text) || scope.buffers.has(t.text))) scope.buffers.add(target);
      if (rhs.some((t) => wow64Tests.has(t.text))) scope.testVars.add(target);
    }
  }

  /** Is `[s, e)` a 32-bit-caller test? Returns its polarity (true: the then-branch is the 32-bit one). */
  testPolarity(scope: Scope, s: number, e: number): boolean | undefined {
    const { toks } = scope;
    for (let i = s; i < e; i++) {
      const name = this.ident(toks, i);
      if (!name) continue;
      const isCall = (wow64Tests.has(name) || this.isTestFunction(name)) && toks[i + 1]?.text === '(';
      const isVar = scope.testVars.has(name) && toks[i + 1]?.text !== '(';
      if (!isCall && !isVar) continue;
      let negated = false;
      for (let k = i - 1; k >= s && toks[k].text === '!'; k--) negated = !negated;
      const after = isCall ? scope.match[i + 1] + 1 : i + 1;
      const cmp = toks[after]?.text;
      const rhs = toks[after + 1]?.text;
      if ((cmp === '==' && (rhs === 'FALSE' || rhs === '0')) || (cmp === '!=' && (rhs === 'TRUE' || rhs === '1'))) negated = !negated;
      return !negated;
    }
    return undefined;
  }

  private testFunctions = new Map<string, boolean>();

  /** A helper of the unit whose `return` is a 32-bit-caller test (`static BOOLEAN Is32(PIRP Irp) { return IoIs32bitProcess(Irp); }`). */
  private isTestFunction(name: string): boolean {
    const cached = this.testFunctions.get(name);
    if (cached !== undefined) return cached;
    this.testFunctions.set(name, false);
    const fn = this.options.resolver.functionNamed?.(name);
    let result = false;
    if (fn && fn.body.length < 200) {
      for (let i = 0; i < fn.body.length; i++) {
        if (fn.body[i].text !== 'return') continue;
        for (let j = i + 1; j < fn.body.length && fn.body[j].text !== ';'; j++) if (wow64Tests.has(fn.body[j].text)) result = true;
      }
    }
    this.testFunctions.set(name, result);
    return result;
  }

  private use(scope: Scope, sink: Sink, kind: UseKind, typeName: string, guard: Guard, first: Token, last: Token, call?: string): void {
    const resolved = this.options.resolver.recordOf(typeName);
    // `sizeof(PFOO)` is a pointer's size, not the record's.
    if ((kind === 'size-check' || kind === 'sizeof' || kind === 'retrieve') && resolved && resolved.pointers > 0) return;
    if ((kind === 'cast' || kind === 'assign') && (!resolved || resolved.pointers !== 1)) return;
    const loc = userLoc(first);
    const end = endLocOf(last);
    if (sink.uses.some((u) => u.kind === kind && u.typeName === typeName && u.loc.offset === loc.offset && u.loc.file === loc.file)) return;
    const use: BufferUse = { kind, typeName, record: resolved?.record, guard, loc, end: end.file === loc.file ? end : loc };
    if (scope.via) use.via = scope.via;
    if (call) use.call = call;
    sink.uses.push(use);
  }

  /** The type written as `(T)` at `open` (a `(`), or undefined. */
  private parenType(scope: Scope, open: number): { text: string; close: number } | undefined {
    const { toks, match } = scope;
    const close = match[open];
    if (close < 0) return undefined;
    let i = open + 1;
    if (toks[i]?.text === 'const' || toks[i]?.text === 'volatile') i++;
    let nameEnd: number;
    if (['struct', 'union', 'enum'].includes(toks[i]?.text) && this.ident(toks, i + 1)) nameEnd = i + 2;
    else if (this.ident(toks, i)) {
      nameEnd = i + 1;
      while (nameEnd < close && declKeywords.has(toks[nameEnd].text)) nameEnd++;
    } else return undefined;
    for (let k = nameEnd; k < close; k++) if (!['*', 'const', 'volatile', 'UNALIGNED', '__unaligned'].includes(toks[k].text)) return undefined;
    return { text: typeText(toks, i, close).replace(/\b(const|volatile|UNALIGNED|__unaligned)\b/g, '').replace(/\s+/g, ' ').trim(), close };
  }

  /** The extent of the postfix expression starting at `i` (`Irp->AssociatedIrp.SystemBuffer`, `(PVOID)x`, `buf[0]`). */
  private operandEnd(scope: Scope, i: number, limit: number): number {
    const { toks, match } = scope;
    let j = i;
    while (j < limit && (toks[j].text === '&' || toks[j].text === '*')) j++;
    if (j >= limit) return j;
    if (toks[j].text === '(' && match[j] > j) j = match[j] + 1;
    else if (toks[j].kind === TokKind.Ident) j++;
    else return j + 1;
    for (;;) {
      const t = toks[j]?.text;
      if (j >= limit) return limit;
      if ((t === '->' || t === '.') && this.ident(toks, j + 1)) j += 2;
      else if ((t === '[' || t === '(') && match[j] > j) j = match[j] + 1;
      else return j;
    }
  }

  private mentionsBuffer(scope: Scope, s: number, e: number): boolean {
    for (let i = s; i < e; i++) {
      const t = scope.toks[i];
      if (t.kind === TokKind.Ident && (bufferSources.has(t.text) || scope.buffers.has(t.text))) return true;
    }
    return false;
  }

  /** Finds buffer uses and 32-bit tests in the expression tokens `[s, e)`. */
  scanExpr(scope: Scope, sink: Sink, s: number, e: number, guard: Guard): void {
    const { toks, match } = scope;
    const castTypes = new Set<string>();
    for (let i = s; i < e; i++) {
      const t = toks[i];
      if (t.kind === TokKind.Ident) {
        if (wow64Tests.has(t.text) || scope.testVars.has(t.text) || (toks[i + 1]?.text === '(' && this.isTestFunction(t.text))) sink.tests.push(userLoc(t));
        if (t.text === 'sizeof' && toks[i + 1]?.text === '(') {
          const pt = this.parenType(scope, i + 1);
          if (pt && this.options.resolver.recordOf(pt.text)) {
            const kind = this.inComparison(scope, i, s, e) ? 'size-check' : this.inRetrieveSize(scope, i, s) ? 'retrieve' : 'sizeof';
            // A bare sizeof names the buffer's type only where the buffer or the returned length is involved
            // (`Irp->IoStatus.Information = sizeof(T)`), not in `RtlZeroMemory(&local, sizeof(T))`.
            if (kind !== 'sizeof' || this.mentionsBuffer(scope, s, e) || toks.slice(s, e).some((x) => x.text === 'Information')) {
              this.use(scope, sink, kind, pt.text, guard, t, toks[pt.close]);
            }
          }
          continue;
        }
        if (probeCalls.has(t.text) && toks[i + 1]?.text === '(' && match[i + 1] > i) {
          this.probe(scope, sink, i, guard);
          continue;
        }
        if (retrieveCalls.has(t.text) && toks[i + 1]?.text === '(' && match[i + 1] > i) {
          // The pointer out-parameter: `&p` or `(PVOID*)&p`.
          for (let j = i + 2; j < match[i + 1]; j++) {
            if (toks[j].text !== '&') continue;
            const name = this.ident(toks, j + 1);
            const v = name ? scope.vars.get(name) : undefined;
            if (v) this.use(scope, sink, 'assign', v.typeName + ' *'.repeat(v.pointers), guard, toks[j], toks[j + 1]);
          }
          continue;
        }
        // `PFOO p = buffer;` / `p = buffer;` with p of a record pointer type.
        if (toks[i + 1]?.text === '=' && toks[i + 1].kind === TokKind.Punct && !(toks[i - 1]?.text === '.' || toks[i - 1]?.text === '->')) {
          const v = scope.vars.get(t.text);
          if (v) {
            const rhsEnd = this.exprEnd(scope, i + 2, e);
            const first = toks[i + 2];
            const startsWithCast = first?.text === '(' && this.parenType(scope, i + 2) !== undefined;
            if (!startsWithCast && this.mentionsBuffer(scope, i + 2, rhsEnd)) {
              this.use(scope, sink, 'assign', v.typeName + ' *'.repeat(v.pointers), guard, t, toks[rhsEnd - 1] ?? t);
            }
          }
        }
        continue;
      }
      if (t.text === '(' && t.kind === TokKind.Punct) {
        const pt = this.parenType(scope, i);
        if (!pt || pt.close + 1 >= e) continue;
        const next = toks[pt.close + 1];
        if (!(next.kind === TokKind.Ident || next.text === '(' || next.text === '&' || next.text === '*')) continue;
        const opEnd = this.operandEnd(scope, pt.close + 1, e);
        if (!this.mentionsBuffer(scope, pt.close + 1, opEnd)) continue;
        if (castTypes.has(pt.text)) continue;
        castTypes.add(pt.text);
        this.use(scope, sink, 'cast', pt.text, guard, t, toks[opEnd - 1] ?? t);
      }
    }
  }

  /** End of an assignment's right-hand side: the next `,` or `;` at depth 0. */
  private exprEnd(scope: Scope, i: number, e: number): number {
    const { toks, match } = scope;
    while (i < e) {
      const t = toks[i].text;
      if (t === ',' || t === ';') return i;
      if ((t === '(' || t === '[' || t === '{') && match[i] > i) i = match[i];
      i++;
    }
    return e;
  }

  /** The innermost bracket group around `at` (within `[s, e)`) contains a comparison at its own depth. */
  private inComparison(scope: Scope, at: number, s: number, e: number): boolean {
    const { toks, match } = scope;
    let open = -1;
    for (let k = at - 1; k >= s; k--) {
      if (toks[k].text === '(' && match[k] > at) {
        open = k;
        break;
      }
    }
    const from = open >= 0 ? open + 1 : s;
    const to = open >= 0 ? match[open] : e;
    // A call's argument list is no comparison context (`RtlCopyMemory(d, s, sizeof(T))`).
    if (open > 0 && toks[open - 1].kind === TokKind.Ident && !['if', 'while', 'return', 'sizeof'].includes(toks[open - 1].text)) {
      // ...unless the comparison is inside the argument itself: handled by the inner group.
      let depth = 0;
      for (let k = from; k < to; k++) {
        const tx = toks[k].text;
        if (tx === '(' || tx === '[') depth++;
        else if (tx === ')' || tx === ']') depth--;
        else if (tx === ',' && depth === 0 && k > at) break;
        else if (depth === 0 && comparisons.has(tx) && toks[k].kind === TokKind.Punct) return true;
      }
      return false;
    }
    let depth = 0;
    for (let k = from; k < to; k++) {
      const tx = toks[k].text;
      if (tx === '(' || tx === '[') depth++;
      else if (tx === ')' || tx === ']') depth--;
      else if (depth === 0 && comparisons.has(tx) && toks[k].kind === TokKind.Punct) return true;
    }
    return false;
  }

  /** `WdfRequestRetrieveInputBuffer(Request, sizeof(T), ...)`: the sizeof is the minimum size. */
  private inRetrieveSize(scope: Scope, at: number, s: number): boolean {
    const { toks, match } = scope;
    for (let k = at - 1; k >= s; k--) {
      if (toks[k].text === '(' && match[k] > at) return k > 0 && retrieveCalls.has(toks[k - 1].text);
    }
    return false;
  }

  private probe(scope: Scope, sink: Sink, i: number, guard: Guard): void {
    const { toks, match } = scope;
    const close = match[i + 1];
    // The third argument.
    let depth = 0;
    let argIndex = 0;
    let argStart = -1;
    for (let k = i + 2; k < close; k++) {
      const tx = toks[k].text;
      if (tx === '(' || tx === '[') depth++;
      else if (tx === ')' || tx === ']') depth--;
      else if (tx === ',' && depth === 0) {
        argIndex++;
        if (argIndex === 2) argStart = k + 1;
      }
    }
    if (argStart < 0) return;
    for (let k = argStart; k < close; k++) {
      const t = toks[k];
      if (t.expansion?.text === 'TYPE_ALIGNMENT' && t.expansion.kind === TokKind.Ident) {
        const name = typeFromInvocation(t.expansion, 'TYPE_ALIGNMENT');
        if (name) this.use(scope, sink, 'probe', name, guard, toks[i], toks[close], toks[i].text);
        return;
      }
      if (alignofWords.has(t.text) && toks[k + 1]?.text === '(') {
        const pt = this.parenType(scope, k + 1);
        if (pt) this.use(scope, sink, 'probe', pt.text, guard, toks[i], toks[close], toks[i].text);
        return;
      }
    }
  }

  /** Walks statements, tracking the guard; follows calls into functions of the unit. */
  walk(scope: Scope, sink: Sink, stmts: readonly Stmt[], guard: Guard, depth: number, visited: Set<string>): void {
    let g = guard;
    for (const st of stmts) {
      g = this.walkOne(scope, sink, st, g, depth, visited);
    }
  }

  /** Returns the guard in effect after the statement. */
  private walkOne(scope: Scope, sink: Sink, st: Stmt, guard: Guard, depth: number, visited: Set<string>): Guard {
    switch (st.kind) {
      case 'block':
        this.walk(scope, sink, st.body, guard, depth, visited);
        return guard;
      case 'if': {
        this.scanExpr(scope, sink, st.cond[0], st.cond[1], guard);
        const polarity = this.testPolarity(scope, st.cond[0], st.cond[1]);
        if (polarity === undefined) {
          this.walkOne(scope, sink, st.then, guard, depth, visited);
          if (st.else) this.walkOne(scope, sink, st.else, guard, depth, visited);
          return guard;
        }
        const thenGuard: Guard = polarity ? 'wow64' : 'native';
        const elseGuard: Guard = polarity ? 'native' : 'wow64';
        this.walkOne(scope, sink, st.then, thenGuard, depth, visited);
        if (st.else) {
          this.walkOne(scope, sink, st.else, elseGuard, depth, visited);
          return guard;
        }
        // `if (IoIs32bitProcess(Irp)) { ...; return; }`: what follows is the native path.
        return this.exits(st.then) ? elseGuard : guard;
      }
      case 'switch':
        this.scanExpr(scope, sink, st.cond[0], st.cond[1], guard);
        this.walkOne(scope, sink, st.body, guard, depth, visited);
        return guard;
      case 'loop':
        if (st.head) this.scanExpr(scope, sink, st.head[0], st.head[1], guard);
        this.walkOne(scope, sink, st.body, guard, depth, visited);
        return guard;
      case 'case':
      case 'default':
        return guard;
      case 'jump':
      case 'simple':
        this.scanExpr(scope, sink, st.start, st.end, guard);
        this.follow(scope, sink, st.start, st.end, guard, depth, visited);
        return guard;
    }
  }

  private exits(st: Stmt): boolean {
    switch (st.kind) {
      case 'jump':
        return true;
      case 'block':
        return st.body.some((s) => this.exits(s));
      case 'if':
        return this.exits(st.then) && (st.else ? this.exits(st.else) : false);
      default:
        return false;
    }
  }

  /** Follows calls to functions defined in the unit. */
  private follow(scope: Scope, sink: Sink, s: number, e: number, guard: Guard, depth: number, visited: Set<string>): void {
    if (depth >= this.followDepth || !this.options.resolver.functionNamed) return;
    const { toks } = scope;
    for (let i = s; i < e; i++) {
      const name = this.ident(toks, i);
      if (!name || toks[i + 1]?.text !== '(' || visited.has(name)) continue;
      if (toks[i - 1]?.text === '.' || toks[i - 1]?.text === '->') continue;
      const fn = this.options.resolver.functionNamed(name);
      if (!fn || fn.body.length === 0) continue;
      visited.add(name);
      const inner = this.newScope({ name, params: fn.params, body: fn.body }, name);
      const tree = new StatementParser(inner.toks, inner.match, inner.toks.length);
      const stmts = inner.toks[0]?.text === '{' ? tree.list(1, Math.max(1, inner.match[0] > 0 ? inner.match[0] : inner.toks.length)) : tree.list(0, inner.toks.length);
      this.walk(inner, sink, stmts, guard, depth + 1, visited);
      visited.delete(name);
    }
  }

  /** Finds dispatch switches in one function. */
  routine(fn: FunctionInfo): DispatchRoutine | undefined {
    const scope = this.newScope(fn);
    const { toks, match } = scope;
    if (toks.length < 2) return undefined;
    const parser = new StatementParser(toks, match, toks.length);
    const bodyEnd = toks[0].text === '{' && match[0] > 0 ? match[0] : toks.length;
    const stmts = toks[0].text === '{' ? parser.list(1, bodyEnd) : parser.list(0, toks.length);
    const switches: (Stmt & { kind: 'switch' })[] = [];
    const visit = (list: readonly Stmt[]) => {
      for (const st of list) {
        if (st.kind === 'switch') {
          if (this.isDispatchSwitch(scope, st)) switches.push(st);
          else visit([st.body]);
        } else if (st.kind === 'block') visit(st.body);
        else if (st.kind === 'if') visit(st.else ? [st.then, st.else] : [st.then]);
        else if (st.kind === 'loop') visit([st.body]);
      }
    };
    visit(stmts);
    if (switches.length === 0) return undefined;
    const sw = switches[0];
    const cases: DispatchCase[] = [];
    for (const s of switches) cases.push(...this.cases(scope, s, fn));
    const framework = fn.params.some((p) => /WDFREQUEST/.test(p.typeName ?? '')) || toks.some((t) => t.text.startsWith('WdfRequest'))
      ? 'kmdf'
      : fn.params.some((p) => /\bP?IRP\b/.test(p.typeName ?? '')) || toks.some((t) => t.text === 'IoGetCurrentIrpStackLocation')
        ? 'wdm'
        : 'unknown';
    return { name: fn.name, loc: userLoc(toks[0]), framework, switchLoc: userLoc(toks[sw.start]), cases };
  }

  private isDispatchSwitch(scope: Scope, st: Stmt & { kind: 'switch' }): boolean {
    const { toks } = scope;
    for (let i = st.cond[0]; i < st.cond[1]; i++) {
      const t = toks[i];
      if (t.kind === TokKind.Ident && (t.text === 'IoControlCode' || scope.codeVars.has(t.text))) return true;
    }
    // Fallback: a switch whose labels are IOCTL macros.
    if (st.body.kind !== 'block') return false;
    for (const c of st.body.body) {
      if (c.kind !== 'case') continue;
      const name = this.labelName(toks, c.expr);
      if (name && (ioctlNamePattern.test(name) || this.options.ioctlNames?.has(name))) return true;
    }
    return false;
  }

  private labelName(toks: readonly Token[], [s, e]: Range): string | undefined {
    if (s >= e) return undefined;
    const first = toks[s];
    if (first.expansion && first.expansion.kind === TokKind.Ident && toks.slice(s, e).every((t) => t.expansion === first.expansion)) return first.expansion.text;
    if (e - s === 1 && first.kind === TokKind.Ident) return first.text;
    return undefined;
  }

  private cases(scope: Scope, sw: Stmt & { kind: 'switch' }, fn: FunctionInfo): DispatchCase[] {
    const { toks } = scope;
    const body = sw.body.kind === 'block' ? sw.body.body : [sw.body];
    // Tests before the switch guard every case (`if (IoIs32bitProcess(Irp)) return Dispatch32(Irp);`).
    const before: Loc[] = [];
    for (let i = 0; i < sw.start; i++) {
      const t = toks[i];
      if (t.kind === TokKind.Ident && (wow64Tests.has(t.text) || (this.isTestFunction(t.text) && toks[i + 1]?.text === '('))) before.push(userLoc(t));
    }
    const out: DispatchCase[] = [];
    let current: { labels: CaseLabel[]; stmts: Stmt[]; start: number; end: number } | undefined;
    const flush = () => {
      if (!current) return;
      const sink: Sink = { uses: [], tests: [...before] };
      const testsBefore = sink.tests.length;
      this.walk(scope, sink, current.stmts, 'none', 0, new Set([fn.name]));
      void testsBefore;
      const lastTok = toks[Math.max(current.start, current.end - 1)];
      out.push({ labels: current.labels, loc: userLoc(toks[current.start]), end: endLocOf(lastTok), uses: sink.uses, tests: sink.tests });
      current = undefined;
    };
    for (const st of body) {
      if (st.kind === 'case' || st.kind === 'default') {
        if (current && current.stmts.length > 0) flush();
        if (!current) current = { labels: [], stmts: [], start: st.start, end: st.end };
        if (st.kind === 'case') {
          const value = toCode(evaluateTokens(toks.slice(st.expr[0], st.expr[1])));
          const name = this.labelName(toks, st.expr);
          current.labels.push({ name, value, loc: userLoc(toks[st.expr[0]] ?? toks[st.start]) });
        }
        current.end = st.end;
        continue;
      }
      if (!current) continue;
      current.stmts.push(st);
      current.end = st.end;
    }
    flush();
    // `default:` alone carries no IOCTL.
    return out.filter((c) => c.labels.length > 0);
  }
}

/** Analyses one function given as tokens (its body from `{` to `}`); undefined when it has no dispatch switch. */
export function analyzeFunction(
  fn: { name: string; params?: { name?: string; typeName?: string }[]; body: Token[] },
  options: DispatchOptions,
): DispatchRoutine | undefined {
  return new Scanner(options).routine({ name: fn.name, params: fn.params ?? [], body: fn.body });
}

// ---------------------------------------------------------------------------
// Type names against a translation unit

/** Follows typedefs and pointers: the record a type names or points to, and how many pointers lead there. */
export function recordBehind(type: CType, pointers = 0, depth = 0): { record: RecordDecl; pointers: number } | undefined {
  if (depth > 32) return undefined;
  switch (type.kind) {
    case 'typedef':
      return recordBehind(type.decl.type, pointers, depth + 1);
    case 'pointer':
      return recordBehind(type.to, pointers + 1, depth + 1);
    case 'record':
      return { record: type.decl, pointers };
    default:
      return undefined;
  }
}

/** Looks a written type name (`PFOO`, `FOO *`, `struct _FOO`) up in a unit (and its prelude fallback). */
export function lookupTypeName(
  units: readonly (TranslationUnit | undefined)[],
  written: string,
): { type?: CType; record?: RecordDecl; pointers: number } | undefined {
  const { base, stars } = splitStars(written);
  const tagMatch = /^(struct|union|enum)\s+(\w+)$/.exec(base);
  for (const unit of units) {
    if (!unit) continue;
    if (tagMatch) {
      const decl = unit.tags.get(tagMatch[2]);
      if (!decl) continue;
      if ('kind' in decl && (decl.kind === 'struct' || decl.kind === 'union')) {
        const rec = decl as RecordDecl;
        return { type: { kind: 'record', decl: rec }, record: rec, pointers: stars };
      }
      return { pointers: stars };
    }
    const td = unit.typedefs.get(base);
    if (!td) continue;
    const type: CType = { kind: 'typedef', decl: td };
    const behind = recordBehind(type);
    return { type, record: behind?.record, pointers: (behind?.pointers ?? 0) + stars };
  }
  return undefined;
}

/** The resolver for a real translation unit. */
export function unitResolver(unit: TranslationUnit, fallback?: TranslationUnit): TypeResolver {
  const functions = new Map<string, FunctionDecl>();
  for (const f of unit.functions) if (f.isDefinition && f.body.length) functions.set(f.name, f);
  const cache = new Map<string, { record: string; pointers: number } | undefined>();
  return {
    isTypeName: (name) => unit.typedefs.has(name) || (fallback?.typedefs.has(name) ?? false),
    recordOf(typeName) {
      if (cache.has(typeName)) return cache.get(typeName);
      const found = lookupTypeName([unit, fallback], typeName);
      const r = found?.record && found.record.fields ? { record: displayName(found.record) ?? typeName, pointers: found.pointers } : undefined;
      cache.set(typeName, r);
      return r;
    },
    functionNamed(name) {
      const f = functions.get(name);
      if (!f) return undefined;
      return { params: f.type.params.map((p) => ({ name: p.name, typeName: paramTypeName(p.type) })), body: f.body };
    },
  };
}

function paramTypeName(type: CType): string | undefined {
  if (type.kind === 'typedef') return type.decl.name;
  if (type.kind === 'pointer') {
    const inner = paramTypeName(type.to);
    return inner ? inner + ' *' : undefined;
  }
  if (type.kind === 'record') return type.decl.tag ? `${type.decl.kind} ${type.decl.tag}` : undefined;
  return undefined;
}

/** Every dispatch routine of a unit. */
export function analyzeDispatch(unit: TranslationUnit, options: { fallback?: TranslationUnit; ioctlNames?: ReadonlySet<string> } = {}): DispatchRoutine[] {
  const resolver = unitResolver(unit, options.fallback);
  const scanner = new Scanner({ resolver, ioctlNames: options.ioctlNames });
  const out: DispatchRoutine[] = [];
  for (const f of unit.functions) {
    if (!f.isDefinition || f.body.length === 0) continue;
    // Cheap filter: a dispatch routine has a `switch`.
    if (!f.body.some((t) => t.text === 'switch')) continue;
    const r = scanner.routine({
      name: f.name,
      params: f.type.params.map((p) => ({ name: p.name, typeName: paramTypeName(p.type) })),
      body: f.body,
    });
    if (r) out.push(r);
  }
  return out;
}
