/**
 * The statement tree of a function body: blocks, if/else, switch, loops,
 * `__try`/`__except`, case labels, jumps, and "simple" statements (an
 * expression or a declaration, read by `expressions.ts`). Built from
 * preprocessed tokens by bracket matching, so an unknown macro or type
 * cannot derail it: a statement it does not understand is one `simple`
 * statement up to its `;`.
 */

import { TokKind, type Token } from '../token';

export type Range = [number, number];

export type Stmt =
  | { kind: 'block'; start: number; end: number; body: Stmt[] }
  | { kind: 'if'; start: number; end: number; cond: Range; then: Stmt; else?: Stmt }
  | { kind: 'switch'; start: number; end: number; cond: Range; body: Stmt }
  | { kind: 'loop'; start: number; end: number; head?: Range; body: Stmt }
  | { kind: 'case'; start: number; end: number; expr: Range }
  | { kind: 'default'; start: number; end: number }
  | { kind: 'jump'; start: number; end: number; word: string }
  | { kind: 'simple'; start: number; end: number };

/** `match[i]` is the index of the bracket matching the one at `i` (or -1). */
export function matchBrackets(toks: readonly Token[]): Int32Array {
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

export class StatementParser {
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

/** The statements of a function body given from `{` to `}`. */
export function bodyStatements(toks: readonly Token[], match: Int32Array): Stmt[] {
  const parser = new StatementParser(toks, match, toks.length);
  if (toks[0]?.text === '{') return parser.list(1, match[0] > 0 ? match[0] : toks.length);
  return parser.list(0, toks.length);
}
