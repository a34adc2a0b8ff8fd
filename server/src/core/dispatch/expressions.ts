/**
 * C expressions and declarations inside function bodies, read from
 * preprocessed tokens into a small tree: enough to know what a value is made
 * of (a cast of the buffer, a call's result, a member of the stack location,
 * the operands of a comparison, the arms of a `?:`), not a type checker.
 *
 * Algorithm: precedence climbing over C's binary operators, with unary,
 * postfix (calls, members, subscripts) and primary expressions below it. A
 * parenthesised type name is a cast when its first word is a type name the
 * resolver knows (or a declaration keyword) and nothing but `*` and
 * qualifiers follows. Anything not understood becomes an `other` node that
 * spans its tokens, so unknown macros and half-typed code never throw and
 * never consume past the statement.
 *
 * C++ bodies read the same way, plus: qualified names (`Device::OnRead`,
 * `::Helper`) are one identifier, `static_cast`/`reinterpret_cast`/
 * `const_cast`/`dynamic_cast<T>(e)` are casts, `nullptr`/`true`/`false` are
 * literals, a lambda is one opaque value (its body is not this function's),
 * `auto p = static_cast<PFOO>(...)` declares `p` a `PFOO`, and references in
 * declarations (`FOO &r`) are the type itself.
 */

import { TokKind, type Token } from '../token';

export type Expr =
  | { k: 'id'; name: string; s: number; e: number }
  | { k: 'lit'; s: number; e: number }
  | { k: 'member'; obj: Expr; name: string; arrow: boolean; s: number; e: number }
  | { k: 'index'; obj: Expr; index: Expr; s: number; e: number }
  | { k: 'call'; fn: Expr; args: Expr[]; s: number; e: number }
  | { k: 'cast'; type: string; arg: Expr; s: number; e: number }
  | { k: 'sizeof'; type?: string; arg?: Expr; s: number; e: number }
  | { k: 'alignof'; type?: string; s: number; e: number }
  | { k: 'unary'; op: string; arg: Expr; s: number; e: number }
  | { k: 'binary'; op: string; left: Expr; right: Expr; s: number; e: number }
  | { k: 'assign'; op: string; left: Expr; right: Expr; s: number; e: number }
  | { k: 'cond'; test: Expr; then: Expr; else: Expr; s: number; e: number }
  | { k: 'comma'; items: Expr[]; s: number; e: number }
  | { k: 'init'; items: Expr[]; s: number; e: number }
  | { k: 'other'; s: number; e: number };

/** One declarator of a local declaration: `PFOO p = expr`, `FOO local`, `UCHAR bytes[16]`. */
export interface LocalDecl {
  name: string;
  /** The base type as written, normalised (`FOO`, `struct _FOO`, `ULONG`). */
  typeName: string;
  /** Stars written in the declarator. */
  pointers: number;
  array: boolean;
  init?: Expr;
  /** The name token. */
  at: number;
  /**
   * A pointer to a function (`PCTX (*get)(PDEV)`, `PCTX (*table[4])(PDEV)`),
   * read only when `declaration` is asked for them: `typeName` and `pointers`
   * are then the return type's, `array` says the name is an array of them,
   * and this is how many stars the parentheses hold.
   */
  function?: { pointers: number };
}

const binaryPrecedence: Readonly<Record<string, number>> = {
  '||': 1,
  '&&': 2,
  '|': 3,
  '^': 4,
  '&': 5,
  '==': 6,
  '!=': 6,
  '<': 7,
  '>': 7,
  '<=': 7,
  '>=': 7,
  '<<': 8,
  '>>': 8,
  '+': 9,
  '-': 9,
  '*': 10,
  '/': 10,
  '%': 10,
};
const assignOps = new Set(['=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=']);
export const comparisonOps: ReadonlySet<string> = new Set(['<', '>', '<=', '>=', '==', '!=']);

/** Words that can start or continue a type name besides typedef names. */
export const declKeywords: ReadonlySet<string> = new Set([
  'struct', 'union', 'enum', 'const', 'volatile', 'unsigned', 'signed', 'int', 'long', 'short', 'char', 'void', '__int64', '__int32',
  '__int16', '__int8', 'static', 'register', 'auto', 'float', 'double', '_Bool', 'bool', 'wchar_t',
]);
const namedCasts = new Set(['static_cast', 'reinterpret_cast', 'const_cast', 'dynamic_cast']);
const cxxLiterals = new Set(['nullptr', 'true', 'false']);
const typeQualifiers = new Set(['const', 'volatile', 'UNALIGNED', '__unaligned', '__restrict', 'restrict', '__ptr32', '__ptr64', 'POINTER_32', 'POINTER_64', '__sptr', '__uptr']);
const leadingWords = new Set(['const', 'volatile', 'static', 'register', 'auto', 'UNALIGNED', '__unaligned']);

export class ExpressionReader {
  constructor(
    private readonly toks: readonly Token[],
    private readonly match: Int32Array,
    private readonly isTypeName: (name: string) => boolean,
  ) {}

  private text(i: number): string {
    return this.toks[i]?.text ?? '';
  }

  private isPunct(i: number, s: string, end: number): boolean {
    return i < end && this.toks[i].kind === TokKind.Punct && this.toks[i].text === s;
  }

  private ident(i: number, end: number): string | undefined {
    const t = this.toks[i];
    return i < end && t && t.kind === TokKind.Ident ? t.text : undefined;
  }

  /** The closing bracket of the one at `i`, if it lies before `end`. */
  private closeOf(i: number, end: number): number {
    const c = this.match[i];
    return c > i && c < end ? c : -1;
  }

  /** A type name starts at `i`: a known typedef, a declaration keyword, or `struct X`. */
  isTypeStart(i: number, end: number): boolean {
    const w = this.ident(i, end);
    if (!w) return false;
    return declKeywords.has(w) || this.isTypeName(w);
  }

  /**
   * A C++ qualified name at `i` (`contoso::ioctl::ReadRequest`, `::Helper`,
   * `Device::OnRead`): its text and the index after it; undefined when no
   * `::` is involved.
   */
  qualifiedName(i: number, end: number): { name: string; next: number } | undefined {
    let j = i;
    const parts: string[] = [];
    if (this.isPunct(j, '::', end) && this.ident(j + 1, end)) j++;
    for (;;) {
      const w = this.ident(j, end);
      if (!w) break;
      parts.push(w);
      if (this.isPunct(j + 1, '::', end) && (this.ident(j + 2, end) || this.isPunct(j + 2, '~', end))) {
        j += 2;
        if (this.isPunct(j, '~', end) && this.ident(j + 1, end)) {
          parts.push('~' + this.text(j + 1));
          j += 2;
          return { name: parts.join('::'), next: j };
        }
        continue;
      }
      j++;
      break;
    }
    return parts.length > 1 || (j > i && this.toks[i].text === '::') ? { name: parts.join('::'), next: j } : undefined;
  }

  /** The type-id of `static_cast<T>` with `<` at `lt`: its normalised text and the index of the closing `>`. */
  private angleType(lt: number, end: number): { text: string; close: number } | undefined {
    let depth = 0;
    for (let k = lt; k < end; k++) {
      const t = this.toks[k];
      if (t.kind !== TokKind.Punct) continue;
      if ((t.text === '(' || t.text === '[') && this.match[k] > k) {
        k = this.match[k];
        continue;
      }
      if (t.text === '<') depth++;
      else if (t.text === '>' || t.text === '>>') {
        depth -= t.text === '>' ? 1 : 2;
        if (depth <= 0) return { text: typeText(this.toks, lt + 1, k), close: k };
      } else if (t.text === ';' || t.text === '{' || t.text === '}') return undefined;
    }
    return undefined;
  }

  /** The type name written in `(T)` at `open`, normalised, or undefined when the parentheses hold no type name. */
  parenType(open: number, end: number): { text: string; close: number } | undefined {
    const close = this.closeOf(open, end);
    if (close < 0) return undefined;
    let i = open + 1;
    while (i < close && typeQualifiers.has(this.text(i))) i++;
    let nameEnd: number;
    const q = this.qualifiedName(i, close);
    const w = q ? q.name : this.ident(i, close);
    if (!w) return undefined;
    if (q) {
      if (!this.isTypeName(q.name)) return undefined;
      nameEnd = q.next;
    } else if ((w === 'struct' || w === 'union' || w === 'enum') && this.ident(i + 1, close)) nameEnd = i + 2;
    else if (declKeywords.has(w) || this.isTypeName(w)) {
      nameEnd = i + 1;
      while (nameEnd < close && declKeywords.has(this.text(nameEnd))) nameEnd++;
    } else return undefined;
    for (let k = nameEnd; k < close; k++) if (this.text(k) !== '*' && !typeQualifiers.has(this.text(k))) return undefined;
    return { text: typeText(this.toks, i, close), close };
  }

  /** An expression (commas included) over `[s, e)`. */
  expression(s: number, e: number): Expr {
    const [x] = this.comma(s, e);
    return x;
  }

  private comma(i: number, end: number): [Expr, number] {
    const items: Expr[] = [];
    let [x, next] = this.assignment(i, end);
    items.push(x);
    while (this.isPunct(next, ',', end)) {
      [x, next] = this.assignment(next + 1, end);
      items.push(x);
    }
    if (next < end) {
      // Junk after a complete expression (an unknown macro's arguments ...): keep what was read, span the rest.
      items.push({ k: 'other', s: next, e: end });
      next = end;
    }
    return [items.length === 1 ? items[0] : { k: 'comma', items, s: i, e: next }, next];
  }

  /** assignment-expression: conditional (assign-op assignment)? */
  assignment(i: number, end: number): [Expr, number] {
    const [left, next] = this.conditional(i, end);
    const t = this.toks[next];
    if (next < end && t.kind === TokKind.Punct && assignOps.has(t.text)) {
      const [right, after] = this.assignment(next + 1, end);
      return [{ k: 'assign', op: t.text, left, right, s: i, e: after }, after];
    }
    return [left, next];
  }

  private conditional(i: number, end: number): [Expr, number] {
    const [test, next] = this.binary(i, end, 1);
    if (!this.isPunct(next, '?', end)) return [test, next];
    const [then, colon] = this.comma(next + 1, this.findColon(next + 1, end));
    if (!this.isPunct(colon, ':', end)) return [{ k: 'cond', test, then, else: { k: 'other', s: colon, e: colon }, s: i, e: colon }, colon];
    const [otherwise, after] = this.conditional(colon + 1, end);
    return [{ k: 'cond', test, then, else: otherwise, s: i, e: after }, after];
  }

  /** The `:` that closes a `?` at depth 0 (nested `?:` counted). */
  private findColon(i: number, end: number): number {
    let depth = 0;
    for (let k = i; k < end; k++) {
      const t = this.toks[k];
      if (t.kind !== TokKind.Punct) continue;
      if ((t.text === '(' || t.text === '[' || t.text === '{') && this.match[k] > k) {
        k = Math.min(this.match[k], end);
        continue;
      }
      if (t.text === '?') depth++;
      else if (t.text === ':') {
        if (depth === 0) return k;
        depth--;
      }
    }
    return end;
  }

  private binary(i: number, end: number, minPrec: number): [Expr, number] {
    let [left, next] = this.unary(i, end);
    for (;;) {
      const t = this.toks[next];
      if (next >= end || t.kind !== TokKind.Punct) return [left, next];
      const prec = binaryPrecedence[t.text];
      if (prec === undefined || prec < minPrec) return [left, next];
      const [right, after] = this.binary(next + 1, end, prec + 1);
      if (after === next + 1) return [left, next];
      left = { k: 'binary', op: t.text, left, right, s: i, e: after };
      next = after;
    }
  }

  private unary(i: number, end: number): [Expr, number] {
    if (i >= end) return [{ k: 'other', s: i, e: i }, i];
    const t = this.toks[i];
    if (t.kind === TokKind.Punct) {
      if (['&', '*', '!', '~', '-', '+', '++', '--'].includes(t.text)) {
        const [arg, next] = this.unary(i + 1, end);
        return [{ k: 'unary', op: t.text, arg, s: i, e: next }, next];
      }
      if (t.text === '(') {
        const pt = this.parenType(i, end);
        if (pt) {
          // A compound literal `(T){...}` or a cast.
          if (this.isPunct(pt.close + 1, '{', end)) {
            const close = this.closeOf(pt.close + 1, end);
            const after = close < 0 ? end : close + 1;
            return [{ k: 'other', s: i, e: after }, after];
          }
          const [arg, next] = this.unary(pt.close + 1, end);
          return [{ k: 'cast', type: pt.text, arg, s: i, e: next }, next];
        }
      }
    }
    if (t.kind === TokKind.Ident && namedCasts.has(t.text) && this.isPunct(i + 1, '<', end)) {
      // C++ `static_cast<PFOO>(Buffer)`: a cast like `(PFOO)Buffer`.
      const type = this.angleType(i + 1, end);
      if (type && this.isPunct(type.close + 1, '(', end)) {
        const close = this.closeOf(type.close + 1, end);
        if (close > 0) {
          const arg = this.expression(type.close + 2, close);
          const [x, next] = this.postfixFrom({ k: 'cast', type: type.text, arg, s: i, e: close + 1 }, i, close + 1, end);
          return [x, next];
        }
      }
    }
    if (t.kind === TokKind.Ident && (t.text === 'sizeof' || t.text === '__alignof' || t.text === '__alignof__' || t.text === '_Alignof' || t.text === 'alignof')) {
      const kind = t.text === 'sizeof' ? 'sizeof' : 'alignof';
      if (this.isPunct(i + 1, '(', end)) {
        const pt = this.parenType(i + 1, end);
        if (pt) return [{ k: kind, type: pt.text, s: i, e: pt.close + 1 }, pt.close + 1];
      }
      const [arg, next] = this.unary(i + 1, end);
      return kind === 'sizeof' ? [{ k: 'sizeof', arg, s: i, e: next }, next] : [{ k: 'alignof', s: i, e: next }, next];
    }
    return this.postfix(i, end);
  }

  private postfix(i: number, end: number): [Expr, number] {
    const [x, next] = this.primary(i, end);
    return this.postfixFrom(x, i, next, end);
  }

  /** The postfix operators (`.m`, `->m`, `[i]`, `(args)`, `++`) after `x`, which spans `[i, next)`. */
  private postfixFrom(x0: Expr, i: number, next0: number, end: number): [Expr, number] {
    let x = x0;
    let next = next0;
    for (;;) {
      if (next >= end) return [x, next];
      const t = this.toks[next];
      if (t.kind !== TokKind.Punct) return [x, next];
      if ((t.text === '.' || t.text === '->') && this.ident(next + 1, end)) {
        x = { k: 'member', obj: x, name: this.text(next + 1), arrow: t.text === '->', s: i, e: next + 2 };
        next += 2;
      } else if (t.text === '[') {
        const close = this.closeOf(next, end);
        if (close < 0) return [x, end];
        x = { k: 'index', obj: x, index: this.expression(next + 1, close), s: i, e: close + 1 };
        next = close + 1;
      } else if (t.text === '(') {
        const close = this.closeOf(next, end);
        if (close < 0) return [{ k: 'call', fn: x, args: [], s: i, e: end }, end];
        x = { k: 'call', fn: x, args: this.args(next + 1, close), s: i, e: close + 1 };
        next = close + 1;
      } else if (t.text === '++' || t.text === '--') {
        x = { k: 'unary', op: 'post' + t.text, arg: x, s: i, e: next + 1 };
        next++;
      } else return [x, next];
    }
  }

  /** Call arguments in `[s, e)`, split at depth-0 commas. */
  args(s: number, e: number): Expr[] {
    const out: Expr[] = [];
    if (s >= e) return out;
    let start = s;
    for (let k = s; k <= e; k++) {
      if (k === e || (this.toks[k].kind === TokKind.Punct && this.toks[k].text === ',')) {
        out.push(start < k ? this.assignmentOrOther(start, k) : { k: 'other', s: start, e: k });
        start = k + 1;
        continue;
      }
      const t = this.toks[k];
      if (t.kind === TokKind.Punct && (t.text === '(' || t.text === '[' || t.text === '{') && this.match[k] > k && this.match[k] < e) k = this.match[k];
    }
    return out;
  }

  private assignmentOrOther(s: number, e: number): Expr {
    const [x, next] = this.assignment(s, e);
    return next >= e ? x : { k: 'comma', items: [x, { k: 'other', s: next, e }], s, e };
  }

  private primary(i: number, end: number): [Expr, number] {
    const t = this.toks[i];
    const q = this.qualifiedName(i, end);
    if (q) return [{ k: 'id', name: q.name.replace(/^::/, ''), s: i, e: q.next }, q.next];
    if (t.kind === TokKind.Ident && cxxLiterals.has(t.text)) return [{ k: 'lit', s: i, e: i + 1 }, i + 1];
    if (t.kind === TokKind.Ident) return [{ k: 'id', name: t.text, s: i, e: i + 1 }, i + 1];
    if (t.kind === TokKind.Punct && t.text === '[') {
      // A C++ lambda `[captures](params) mutable -> T { body }`: one value; its body is a function of its own.
      const captures = this.closeOf(i, end);
      if (captures > 0) {
        let j = captures + 1;
        if (this.isPunct(j, '(', end) && this.closeOf(j, end) > 0) j = this.closeOf(j, end) + 1;
        while (j < end && !this.isPunct(j, '{', end) && !this.isPunct(j, ';', end) && !this.isPunct(j, ')', end) && !this.isPunct(j, ',', end)) j++;
        if (this.isPunct(j, '{', end) && this.closeOf(j, end) > 0) {
          const after = this.closeOf(j, end) + 1;
          return [{ k: 'other', s: i, e: after }, after];
        }
      }
    }
    if (t.kind === TokKind.Number || t.kind === TokKind.Char) return [{ k: 'lit', s: i, e: i + 1 }, i + 1];
    if (t.kind === TokKind.String) {
      let j = i + 1;
      while (j < end && this.toks[j].kind === TokKind.String) j++;
      return [{ k: 'lit', s: i, e: j }, j];
    }
    if (t.kind === TokKind.Punct && (t.text === '(' || t.text === '{')) {
      const close = this.closeOf(i, end);
      if (close < 0) return [{ k: 'other', s: i, e: end }, end];
      if (t.text === '{') return [{ k: 'init', items: this.args(i + 1, close), s: i, e: close + 1 }, close + 1];
      const inner = this.expression(i + 1, close);
      return [{ ...inner, s: i, e: close + 1 } as Expr, close + 1];
    }
    return [{ k: 'other', s: i, e: i + 1 }, i + 1];
  }

  /**
   * A declaration statement over `[s, e)` (`;` excluded), or undefined when
   * the statement is not one: `PFOO p = (PFOO)Buffer, q;`, `FOO local;`.
   * With `functionPointers`, also the declarators of pointers to functions
   * (`PCTX (*get)(PDEV) = GetCtx`, `NTSTATUS (NTAPI *fn)(PVOID)`), which
   * otherwise end the declaration.
   */
  declaration(s: number, e: number, { functionPointers = false } = {}): LocalDecl[] | undefined {
    let i = s;
    while (i < e && leadingWords.has(this.text(i))) {
      // C++ `auto x = ...`: `auto` is the type when no type follows it (C's `auto int x` is a storage class).
      if (this.text(i) === 'auto' && !this.isTypeStart(i + 1, e) && !this.qualifiedName(i + 1, e) && !leadingWords.has(this.text(i + 1))) break;
      i++;
    }
    const qualified = this.qualifiedName(i, e);
    const first = qualified ? qualified.name : this.ident(i, e);
    if (!first) return undefined;
    let baseEnd: number;
    if (qualified) {
      if (!this.isTypeName(qualified.name)) return undefined;
      baseEnd = qualified.next;
    } else if (first === 'struct' || first === 'union' || first === 'enum') {
      if (!this.ident(i + 1, e)) return undefined;
      baseEnd = i + 2;
    } else if (this.isTypeName(first) || declKeywords.has(first)) {
      baseEnd = i + 1;
      while (baseEnd < e && declKeywords.has(this.text(baseEnd))) baseEnd++;
    } else return undefined;
    const typeName = typeText(this.toks, i, baseEnd);
    const out: LocalDecl[] = [];
    let j = baseEnd;
    while (j < e) {
      let pointers = 0;
      // A C++ reference (`FOO &r`, `auto &&x`) names the object itself.
      while (j < e && (this.text(j) === '*' || this.text(j) === '&' || this.text(j) === '&&' || typeQualifiers.has(this.text(j)))) {
        if (this.text(j) === '*') pointers++;
        j++;
      }
      const inner = functionPointers ? this.functionPointer(j, e) : undefined;
      const name = inner ? inner.name : this.ident(j, e);
      // `FOO(x)` is a call; `FOO x` a declaration.
      if (!name) return out.length ? out : undefined;
      const at = inner ? inner.at : j++;
      let array = false;
      if (inner) {
        array = inner.array;
        j = inner.next;
      }
      while (this.isPunct(j, '[', e)) {
        array = true;
        const close = this.closeOf(j, e);
        j = close < 0 ? e : close + 1;
      }
      const decl: LocalDecl = { name, typeName, pointers, array, at };
      if (inner) decl.function = { pointers: inner.pointers };
      if (this.isPunct(j, '=', e)) {
        const [init, next] = this.assignment(j + 1, e);
        decl.init = init;
        j = next;
      } else if (this.isPunct(j, '{', e) && this.closeOf(j, e) > 0) {
        // C++ brace initialisation `PFOO p{static_cast<PFOO>(Buffer)}`.
        const close = this.closeOf(j, e);
        const items = this.args(j + 1, close);
        if (items.length === 1) decl.init = items[0];
        j = close + 1;
      }
      // `auto p = static_cast<PFOO>(Buffer)`: the type is the cast's.
      if (typeName === 'auto' && decl.init?.k === 'cast') {
        const stars = /(\s*\*)+$/.exec(decl.init.type)?.[0] ?? '';
        decl.typeName = decl.init.type.slice(0, decl.init.type.length - stars.length).trim();
        decl.pointers += (stars.match(/\*/g) ?? []).length;
      }
      out.push(decl);
      // Skip to the next declarator.
      while (j < e && !this.isPunct(j, ',', e)) {
        const close = this.toks[j].kind === TokKind.Punct && '([{'.includes(this.text(j)) ? this.closeOf(j, e) : -1;
        j = close > j ? close + 1 : j + 1;
      }
      j++;
    }
    return out;
  }

  /**
   * The parenthesised declarator of a pointer to a function at `i`:
   * `(*get)(PDEV)`, `(NTAPI *fn)(PVOID)` (calling conventions before the
   * stars), `(*table[4])(PDEV)`; its name, stars, and the index after the
   * parameter list.
   */
  private functionPointer(i: number, end: number): { name: string; at: number; pointers: number; array: boolean; next: number } | undefined {
    if (!this.isPunct(i, '(', end)) return undefined;
    const close = this.closeOf(i, end);
    if (close < 0 || !this.isPunct(close + 1, '(', end)) return undefined;
    const params = this.closeOf(close + 1, end);
    if (params < 0) return undefined;
    let k = i + 1;
    while (this.ident(k, close) && !this.isPunct(k + 1, ')', close + 1) && !this.isPunct(k + 1, '[', close)) k++;
    let pointers = 0;
    while (k < close && (this.text(k) === '*' || typeQualifiers.has(this.text(k)))) {
      if (this.text(k) === '*') pointers++;
      k++;
    }
    const name = this.ident(k, close);
    if (!name || pointers === 0) return undefined;
    const at = k++;
    let array = false;
    while (this.isPunct(k, '[', close)) {
      array = true;
      const c = this.closeOf(k, close);
      k = c < 0 ? close : c + 1;
    }
    return k === close ? { name, at, pointers, array, next: params + 1 } : undefined;
  }
}

/** The text of a type name in tokens `[s, e)`, normalised (`struct _FOO`, `PFOO`, `FOO *`), qualifiers dropped. */
export function typeText(toks: readonly Token[], s: number, e: number): string {
  const words: string[] = [];
  for (let k = s; k < e; k++) if (!typeQualifiers.has(toks[k].text)) words.push(toks[k].text);
  return words.join(' ').replace(/\s*\*\s*/g, ' *').replace(/\s*::\s*/g, '::').replace(/^::/, '').replace(/\s+/g, ' ').trim();
}

/** Calls `visit` on `x` and every expression inside it, parents first; `visit` returns false to skip the children. */
export function walkExpr(x: Expr, visit: (x: Expr) => boolean | void): void {
  if (visit(x) === false) return;
  switch (x.k) {
    case 'member':
      walkExpr(x.obj, visit);
      return;
    case 'index':
      walkExpr(x.obj, visit);
      walkExpr(x.index, visit);
      return;
    case 'call':
      walkExpr(x.fn, visit);
      for (const a of x.args) walkExpr(a, visit);
      return;
    case 'cast':
    case 'unary':
      walkExpr(x.arg, visit);
      return;
    case 'sizeof':
      if (x.arg) walkExpr(x.arg, visit);
      return;
    case 'binary':
    case 'assign':
      walkExpr(x.left, visit);
      walkExpr(x.right, visit);
      return;
    case 'cond':
      walkExpr(x.test, visit);
      walkExpr(x.then, visit);
      walkExpr(x.else, visit);
      return;
    case 'comma':
    case 'init':
      for (const i of x.items) walkExpr(i, visit);
      return;
    default:
      return;
  }
}

/** An expression without the casts and parentheses around it. */
export function stripCasts(x: Expr): Expr {
  let y = x;
  while (y.k === 'cast') y = y.arg;
  return y;
}

/** The function name of a call (`Foo(...)`, `Device::OnRead(...)`, C++ `this->OnRead(...)`), when it names one. */
export function calleeName(x: Expr & { k: 'call' }): string | undefined {
  const fn = stripCasts(x.fn);
  if (fn.k === 'id') return fn.name;
  if (fn.k === 'member' && fn.arrow && fn.obj.k === 'id' && fn.obj.name === 'this') return fn.name;
  return undefined;
}
