/**
 * Positions: what is at an offset of a source file, and what a name there
 * refers to. The editor's questions (hover, definition, references,
 * completion, code actions) are answered here from the file's lexed tokens
 * and the translation unit's declarations, never by reading C text with
 * regular expressions.
 *
 * `FilePositions` indexes one file's tokens (the lexer's, shared with the
 * preprocessor through the session's `LexCache`): the token at an offset
 * (binary search), whether an offset is inside a comment or a literal, the
 * call argument the cursor is in (brackets matched once), and the uses of a
 * name (identifier tokens, member accesses after `->`/`.` excluded).
 *
 * `resolveName` says what an identifier denotes where it is written, as C's
 * scopes do: after `->` or `.` a member of the record its base expression
 * has (the base resolved the same way, through `a[i]`, parameters, locals,
 * globals, other members, casts, parentheses and calls' return types); else
 * a parameter or a local declared above it in the enclosing function
 * definition (blocks already closed are out of scope; pointers to functions
 * declared as locals included), or a parameter named in its function's own
 * declaration (SAL annotations, a prototype's parameter list; SAL's `return`
 * is the returned value); else a file-scope name (macro, type, tag,
 * enumerator, function or variable) that the caller looks up. Local
 * declarations are read with the dispatch analysis' `ExpressionReader`, so
 * both see the same declarations. It is not a type checker: a base it cannot
 * type (a call of an undeclared `f()->x`, a macro's parameter) resolves to
 * nothing rather than to a guess.
 */

import type { CType, FieldDecl, FunctionDecl, RecordDecl, TranslationUnit } from './ast';
import { ExpressionReader, type LocalDecl } from './dispatch/expressions';
import { lex } from './lexer';
import type { Comment, LexCache } from './preprocess';
import type { Loc, SourceFile } from './source';
import { TokKind, type Token, userLoc } from './token';
import { definitionOf, lookupTypeName, recordThrough, resolve } from './types';

/** A name or number token of the file. */
export interface TokenAt {
  index: number;
  start: number;
  end: number;
  text: string;
  kind: 'ident' | 'number';
}

export class FilePositions {
  /** The file's tokens without the final EOF. */
  readonly tokens: readonly Token[];
  readonly comments: readonly Comment[];
  /** For each bracket token, the index of its partner (-1 when unmatched or not a bracket). */
  readonly brackets: Int32Array;
  private readonly directive: Uint8Array;
  private byName?: Map<string, number[]>;

  constructor(
    readonly file: SourceFile,
    lexed: { tokens: readonly Token[]; comments: readonly Comment[] },
  ) {
    const toks = lexed.tokens;
    this.tokens = toks.length && toks[toks.length - 1].kind === TokKind.EOF ? toks.slice(0, -1) : toks;
    this.comments = lexed.comments;
    // Tokens of directive lines (a `#` first on its line, continuation lines included).
    this.directive = new Uint8Array(this.tokens.length);
    let inDirective = false;
    for (let i = 0; i < this.tokens.length; i++) {
      const t = this.tokens[i];
      if (t.bol) inDirective = t.kind === TokKind.Punct && t.text === '#';
      this.directive[i] = inDirective ? 1 : 0;
    }
    this.brackets = matchBrackets(this.tokens, this.directive);
  }

  /** The positions of a file's text, from the session's lexed files when it holds this text. */
  static of(file: SourceFile, cache?: LexCache): FilePositions {
    return new FilePositions(file, cache?.get(file.path, file.text) ?? lex(file));
  }

  /** Index of the first token that ends after `offset` (tokens.length when none does). */
  private firstEndingAfter(offset: number): number {
    let lo = 0;
    let hi = this.tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const t = this.tokens[mid];
      if (t.offset + spellingLength(this.file, t) <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * The identifier or number at `offset`: the token holding it, or the one
   * ending right there (the cursor just after a word). Nothing inside a
   * comment, a string or a character literal.
   */
  nameAt(offset: number): TokenAt | undefined {
    const i = this.firstEndingAfter(offset);
    for (const k of [i, i - 1]) {
      const t = this.tokens[k];
      if (!t || t.offset > offset || t.offset + spellingLength(this.file, t) < offset) continue;
      if (t.kind === TokKind.Ident) return { index: k, start: t.offset, end: t.offset + spellingLength(this.file, t), text: t.text, kind: 'ident' };
      if (t.kind === TokKind.Number) return { index: k, start: t.offset, end: t.offset + spellingLength(this.file, t), text: t.text, kind: 'number' };
    }
    return undefined;
  }

  /** The comment `offset` is in (after its first character; at its end only while a line comment or an unterminated one). */
  commentAt(offset: number): Comment | undefined {
    let lo = 0;
    let hi = this.comments.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.comments[mid].offset < offset) lo = mid + 1;
      else hi = mid;
    }
    const c = this.comments[lo - 1];
    if (!c || offset > c.end) return undefined;
    return offset < c.end || !c.text.endsWith('*/') ? c : undefined;
  }

  /** The identifier tokens of `name` that are not members after `->` or `.`, in order. */
  uses(name: string): Token[] {
    if (!this.byName) {
      this.byName = new Map();
      for (let i = 0; i < this.tokens.length; i++) {
        const t = this.tokens[i];
        if (t.kind !== TokKind.Ident || this.isMemberName(i)) continue;
        let list = this.byName.get(t.text);
        if (!list) this.byName.set(t.text, (list = []));
        list.push(i);
      }
    }
    return (this.byName.get(name) ?? []).map((i) => this.tokens[i]);
  }

  /** The token at `i` is on a directive line. */
  inDirective(i: number): boolean {
    return this.directive[i] === 1;
  }

  /** The token at `i` follows `->` or `.`. */
  isMemberName(i: number): boolean {
    const p = this.tokens[i - 1];
    return p !== undefined && p.kind === TokKind.Punct && (p.text === '->' || p.text === '.');
  }

  /**
   * The call whose parentheses hold `offset` (`CTL_CODE(` or a wrapper
   * macro's) and which argument the cursor is in (0-based). The search
   * stays in the statement (it stops at `;`, `{` and `}`) and, in a
   * directive, in that directive's logical line.
   */
  callAround(offset: number): { callee: string; arg: number } | undefined {
    // The last token that starts before the cursor.
    let i = this.firstEndingAfter(offset);
    if (i >= this.tokens.length || this.tokens[i].offset >= offset) i--;
    if (i < 0) return undefined;
    // A directive ends at a line break that is not spliced: a cursor past it is not in the directive.
    const inDirective = this.directive[i] === 1 && !this.lineBreakBetween(this.tokens[i].offset + spellingLength(this.file, this.tokens[i]), offset);
    let commas = 0;
    for (let k = i; k >= 0; k--) {
      const t = this.tokens[k];
      if (this.directive[k] !== (inDirective ? 1 : 0)) return undefined;
      if (t.kind === TokKind.Punct) {
        if (t.text === ';' || t.text === '{' || t.text === '}') return undefined;
        if (t.text === ')' || t.text === ']') {
          const open = this.brackets[k];
          if (open < 0) return undefined;
          k = open;
          continue;
        }
        if (t.text === '(') {
          const before = this.tokens[k - 1];
          return before && before.kind === TokKind.Ident && this.directive[k - 1] === this.directive[k] ? { callee: before.text, arg: commas } : undefined;
        }
        if (t.text === ',') commas++;
      }
      if (inDirective && t.bol) return undefined;
    }
    return undefined;
  }

  /** A line break that is not a line splice lies in the text between offsets `from` and `to`. */
  private lineBreakBetween(from: number, to: number): boolean {
    const text = this.file.text;
    for (let k = from; k < to && k < text.length; k++) {
      const c = text[k];
      if (c !== '\n' && c !== '\r') continue;
      let j = k - 1;
      if (c === '\n' && text[j] === '\r') j--;
      while (j >= from && (text[j] === ' ' || text[j] === '\t')) j--;
      if (text[j] !== '\\') return true;
      if (c === '\r' && text[k + 1] === '\n') k++;
    }
    return false;
  }

  /** The first token that starts at or after `offset`. */
  tokenFrom(offset: number): Token | undefined {
    const i = this.firstEndingAfter(offset);
    const t = this.tokens[i];
    return t && t.offset >= offset ? t : this.tokens[i + 1];
  }

  /** Names written after `case` (the labels of switch statements). */
  caseLabels(): Set<string> {
    const out = new Set<string>();
    for (let i = 1; i < this.tokens.length; i++) {
      const t = this.tokens[i];
      const p = this.tokens[i - 1];
      if (t.kind === TokKind.Ident && p.kind === TokKind.Ident && p.text === 'case') out.add(t.text);
    }
    return out;
  }

  /** Indices of the tokens in `[start, end)` offsets. */
  range(start: number, end: number): [number, number] {
    return [this.firstEndingAfter(start), this.firstEndingAfter(end)];
  }
}

function spellingLength(file: SourceFile, t: Token): number {
  // A token with a line splice inside is longer in the file than its text; the next character decides.
  if (file.text.startsWith(t.text, t.offset)) return t.text.length;
  let n = 0;
  let k = t.offset;
  while (n < t.text.length && k < file.text.length) {
    if (file.text[k] === '\\') {
      let j = k + 1;
      while (file.text[j] === ' ' || file.text[j] === '\t') j++;
      if (file.text[j] === '\r' && file.text[j + 1] === '\n') j++;
      if (file.text[j] === '\n' || file.text[j] === '\r') {
        k = j + 1;
        continue;
      }
    }
    k++;
    n++;
  }
  return k - t.offset;
}

/** Brackets paired within each directive and within the code between directives (a half-typed `#define` cannot capture the code's brackets). */
function matchBrackets(toks: readonly Token[], directive: Uint8Array): Int32Array {
  const match = new Int32Array(toks.length).fill(-1);
  const code: number[] = [];
  let line: number[] = [];
  const closes: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (directive[i] && t.bol) line = [];
    const stack = directive[i] ? line : code;
    if (t.kind !== TokKind.Punct) continue;
    if (t.text === '(' || t.text === '[' || t.text === '{') stack.push(i);
    else if (closes[t.text]) {
      // Half-typed code: an unmatched closer leaves the openers alone.
      const at = stack.length ? stack[stack.length - 1] : -1;
      if (at >= 0 && toks[at].text === closes[t.text]) {
        stack.pop();
        match[at] = i;
        match[i] = at;
      }
    }
  }
  return match;
}

// ---------------------------------------------------------------- name resolution

/** What an identifier denotes where it is written. */
export type NameMeaning =
  /** A member named after `->` or `.`, in the record its base has, or where the record declares it. */
  | { kind: 'member'; name: string; record: RecordDecl; field: FieldDecl }
  /** A parameter of the enclosing function definition. */
  | { kind: 'parameter'; name: string; type: CType; loc: Loc; fn: FunctionDecl }
  /** A local declared above, in a block still open. `type` is undefined when its type name is unknown. */
  | { kind: 'local'; name: string; type?: CType; record?: RecordDecl; pointers: number; loc: Loc; fn: FunctionDecl }
  /** A name of file scope (or one the unit does not declare): the caller looks it up. */
  | { kind: 'file'; name: string };

/** What the identifier at `offset` refers to (undefined when there is no identifier, or a member whose base cannot be typed). */
export function resolveName(pos: FilePositions, unit: TranslationUnit, offset: number): NameMeaning | undefined {
  const at = pos.nameAt(offset);
  if (!at || at.kind !== 'ident') return undefined;
  return meaningOf(pos, unit, at.index, 0);
}

function meaningOf(pos: FilePositions, unit: TranslationUnit, i: number, depth: number): NameMeaning | undefined {
  const t = pos.tokens[i];
  if (pos.isMemberName(i)) {
    if (depth > 16) return undefined;
    const base = baseType(pos, unit, i - 2, depth + 1);
    const record = base && recordThrough(base);
    const def = record && definitionOf(unit, record);
    const field = def && fieldNamed(def, t.text);
    return def && field ? { kind: 'member', name: t.text, record: def, field } : undefined;
  }
  const declared = declaredMembers(unit, pos.file.path).get(t.offset);
  if (declared && declared.field.name === t.text) return { kind: 'member', name: t.text, ...declared };
  return scopeLookup(pos, unit, i) ?? { kind: 'file', name: t.text };
}

/** A per-unit, per-file index, built on first use by `build`. */
function perFileIndex<T>(build: (unit: TranslationUnit, path: string) => T): (unit: TranslationUnit, path: string) => T {
  const cache = new WeakMap<TranslationUnit, Map<string, T>>();
  return (unit, path) => {
    let perFile = cache.get(unit);
    if (!perFile) cache.set(unit, (perFile = new Map()));
    let out = perFile.get(path);
    if (out === undefined) perFile.set(path, (out = build(unit, path)));
    return out;
  };
}

/** The members a file declares, by the offset of their names. */
const declaredMembers = perFileIndex((unit, path) => {
  const out = new Map<number, { record: RecordDecl; field: FieldDecl }>();
  for (const record of unit.records) for (const field of record.fields ?? []) if (field.name && field.nameLoc.file === path) out.set(field.nameLoc.offset, { record, field });
  return out;
});

/** The functions a file declares, in the order of their names' offsets. */
const functionsOf = perFileIndex((unit, path) => unit.functions.filter((fn) => fn.loc.file === path).sort((a, b) => a.loc.offset - b.loc.offset));

/** Words after which `(` opens parentheses, not a call's arguments. */
const keywordsBeforeParens = new Set(['return', 'case', 'else', 'do']);

/**
 * The type of the expression ending at token `i`, when it can be told: a
 * name, a member, `a[i]`, and in parentheses a cast (`((PFOO)buffer)->x`,
 * the driver's way to read a system buffer), a dereference (`(*pp).x`) or
 * a name (`(p)->x`). Only the record it leads to matters to the caller.
 */
function baseType(pos: FilePositions, unit: TranslationUnit, i: number, depth: number): CType | undefined {
  const t = pos.tokens[i];
  if (!t || depth > 16) return undefined;
  if (t.kind === TokKind.Punct && t.text === ')') {
    const open = pos.brackets[i];
    if (open < 0) return undefined;
    // `f(x)`, `p->cb(x)`, `a[i](x)`, `(*pfn)(x)`: a call, typed by what the callee is declared to return.
    if (isCall(pos, unit, open)) return returnType(pos, unit, open - 1, depth + 1);
    const first = pos.tokens[open + 1];
    if (first?.kind === TokKind.Punct && first.text === '(') {
      const cast = readerOf(pos, unit).parenType(open + 1, i);
      if (cast) return lookupTypeName([unit], cast.text)?.type;
    }
    // `(*p)`, `(p)`, `(*req->Pending)`: the operand's type (the record behind a pointer is the same record).
    const inner = parenthesised(pos, i);
    return inner === undefined ? undefined : baseType(pos, unit, inner, depth + 1);
  }
  if (t.kind === TokKind.Punct && t.text === ']') {
    const open = pos.brackets[i];
    const of = open > 0 ? baseType(pos, unit, open - 1, depth) : undefined;
    const r = of && resolve(of);
    return r?.kind === 'array' ? r.of : r?.kind === 'pointer' ? r.to : undefined;
  }
  if (t.kind !== TokKind.Ident) return undefined;
  // SAL's `return` in a function's annotations (`_Acquires_lock_(return->Resource)`): the value it returns.
  if (t.text === 'return') return declarationAround(pos, unit, i)?.type.ret;
  const m = meaningOf(pos, unit, i, depth);
  if (!m) return undefined;
  switch (m.kind) {
    case 'member':
      return m.field.type;
    case 'parameter':
      return m.type;
    case 'local':
      return m.type;
    case 'file':
      return unit.variables.find((v) => v.name === m.name)?.type;
  }
}

/**
 * What a call returns, for the callee ending at token `i`: a function the
 * unit declares (`GetDeviceContext(Device)->Queue`, KMDF's context accessor),
 * or a pointer to a function held in a variable, parameter or member
 * (`Ops->Lookup(key)->Value`). A local or parameter of the same name hides a
 * file-scope function, as in C.
 */
function returnType(pos: FilePositions, unit: TranslationUnit, i: number, depth: number): CType | undefined {
  const callee = calleeType(pos, unit, i, depth);
  let r = callee && resolve(callee);
  if (r?.kind === 'pointer') r = resolve(r.to);
  return r?.kind === 'function' ? r.ret : undefined;
}

/** The type of the callee ending at token `i`: `f`, `p->cb`, and in parentheses `(f)`, `(*pfn)`, `(*Ops.Find)`. */
function calleeType(pos: FilePositions, unit: TranslationUnit, i: number, depth: number): CType | undefined {
  const t = pos.tokens[i];
  if (!t || depth > 16) return undefined;
  if (t.kind === TokKind.Punct && t.text === ')') {
    const inner = parenthesised(pos, i);
    if (inner !== undefined && !isCall(pos, unit, pos.brackets[i])) return calleeType(pos, unit, inner, depth + 1);
  }
  const type = baseType(pos, unit, i, depth);
  if (type || t.kind !== TokKind.Ident || pos.isMemberName(i)) return type;
  const m = meaningOf(pos, unit, i, depth);
  return m?.kind === 'file' ? unit.functions.find((f) => f.name === m.name)?.type : undefined;
}

/**
 * Whether the parentheses opening at token `open` hold a call's arguments:
 * a callee before them (`f(`, `p->cb(`, `a[i](`, `(*pfn)(`), and not a cast
 * (`(PREQ)(x)` casts `(x)`).
 */
function isCall(pos: FilePositions, unit: TranslationUnit, open: number): boolean {
  const before = pos.tokens[open - 1];
  if (!before) return false;
  if (before.kind === TokKind.Ident) return !keywordsBeforeParens.has(before.text);
  if (before.text === ']') return true;
  if (before.text !== ')') return false;
  const castOpen = pos.brackets[open - 1];
  return castOpen < 0 || !readerOf(pos, unit).parenType(castOpen, open);
}

/**
 * For parentheses closing at token `close` that hold one operand, `(p)`,
 * `(*p)`, `(*Ops.Find)`, `(*req->Pending)`, `(table[i])`: the token the
 * operand ends at.
 */
function parenthesised(pos: FilePositions, close: number): number | undefined {
  const open = pos.brackets[close];
  if (open < 0 || close - open < 2) return undefined;
  const star = pos.tokens[open + 1];
  const start = star.kind === TokKind.Punct && star.text === '*' ? open + 2 : open + 1;
  return chainStart(pos, close - 1) === start ? close - 1 : undefined;
}

/** The first token of the name chain ending at token `end` (`p`, `Ops.Find`, `dev->Ops->Find`, `Table[i].Fn`), or -1. */
function chainStart(pos: FilePositions, end: number): number {
  const toks = pos.tokens;
  let j = end;
  for (;;) {
    while (toks[j]?.kind === TokKind.Punct && toks[j].text === ']' && pos.brackets[j] > 0) j = pos.brackets[j] - 1;
    if (toks[j]?.kind !== TokKind.Ident) return -1;
    const op = toks[j - 1];
    if (op?.kind !== TokKind.Punct || (op.text !== '.' && op.text !== '->')) return j;
    j -= 2;
  }
}

/** An expression reader over the file's tokens, knowing the unit's typedefs. */
function readerOf(pos: FilePositions, unit: TranslationUnit): ExpressionReader {
  return new ExpressionReader(pos.tokens, pos.brackets, (n) => unit.typedefs.has(n));
}

/** A field of a record by name, looking into anonymous struct and union members as C does. */
function fieldNamed(record: RecordDecl, name: string, depth = 0): FieldDecl | undefined {
  for (const f of record.fields ?? []) {
    if (f.name === name) return f;
    if (f.name === undefined && depth < 16) {
      const r = resolve(f.type);
      if (r.kind === 'record' && r.decl.fields) {
        const inner = fieldNamed(r.decl, name, depth + 1);
        if (inner) return inner;
      }
    }
  }
  return undefined;
}

/** The function definition of this file whose body holds `offset`. */
function enclosingFunction(pos: FilePositions, unit: TranslationUnit, offset: number): { fn: FunctionDecl; open: number; close: number } | undefined {
  for (const fn of unit.functions) {
    if (!fn.isDefinition || fn.body.length === 0) continue;
    const open = userLoc(fn.body[0]);
    const close = userLoc(fn.body[fn.body.length - 1]);
    if (open.file !== pos.file.path || offset <= open.offset || offset > close.offset) continue;
    return { fn, open: open.offset, close: close.offset };
  }
  return undefined;
}

/** A parameter or a local in scope at token `i`, named as it is. */
function scopeLookup(pos: FilePositions, unit: TranslationUnit, i: number): NameMeaning | undefined {
  const t = pos.tokens[i];
  for (const fn of unit.functions) {
    if (!fn.isDefinition) continue;
    const param = fn.type.params.find((p) => p.name === t.text && p.loc.offset === t.offset && p.loc.file === pos.file.path);
    if (param) return { kind: 'parameter', name: t.text, type: param.type, loc: param.loc, fn };
  }
  const where = enclosingFunction(pos, unit, t.offset);
  if (!where) return declarationParameter(pos, unit, i);
  const { fn } = where;
  const local = localsBefore(pos, unit, where.open, i).get(t.text);
  if (local) {
    const looked = lookupTypeName([unit], local.typeName);
    let type = looked?.type;
    for (let k = 0; type && k < local.pointers; k++) type = { kind: 'pointer', to: type };
    // `PREQ (*get)(ULONG)`: a pointer to a function returning the type written before it.
    if (type && local.function) {
      type = { kind: 'function', ret: type, params: [], variadic: false };
      for (let k = 0; k < local.function.pointers; k++) type = { kind: 'pointer', to: type };
    }
    if (type && local.array) type = { kind: 'array', of: type } as CType;
    const nt = pos.tokens[local.at];
    const record = local.function ? undefined : looked?.record;
    const pointers = local.function ? local.function.pointers : (looked?.pointers ?? 0) + local.pointers;
    return { kind: 'local', name: t.text, type, record, pointers, loc: { file: pos.file.path, line: nt.line, col: nt.col, offset: nt.offset }, fn };
  }
  const param = fn.type.params.find((p) => p.name === t.text);
  if (param) return { kind: 'parameter', name: t.text, type: param.type, loc: param.loc, fn };
  return undefined;
}

/**
 * A parameter named outside its function's body, in the function's own
 * declaration: its SAL annotations (`_Requires_lock_held_(pSocket->StateLock)`
 * before a prototype, `_In_reads_bytes_(Length) PVOID Buffer, ULONG Length`),
 * or a prototype's parameter list. The declaration spans the tokens from the
 * previous `;` or `}` (or directive line) to its `;` or body `{`; names inside
 * braces or directives are not in one.
 */
function declarationParameter(pos: FilePositions, unit: TranslationUnit, i: number): NameMeaning | undefined {
  const t = pos.tokens[i];
  const fn = declarationAround(pos, unit, i);
  const param = fn?.type.params.find((p) => p.name === t.text);
  return fn && param ? { kind: 'parameter', name: t.text, type: param.type, loc: param.loc, fn } : undefined;
}

/** The function whose file-scope declaration (prototype or definition head, annotations included) holds token `i`. */
function declarationAround(pos: FilePositions, unit: TranslationUnit, i: number): FunctionDecl | undefined {
  const span = declarationSpan(pos, i);
  if (!span) return undefined;
  const from = pos.tokens[span.start].offset;
  const to = pos.tokens[span.end - 1].offset;
  const inFile = functionsOf(unit, pos.file.path);
  let lo = 0;
  let hi = inFile.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (inFile[mid].loc.offset < from) lo = mid + 1;
    else hi = mid;
  }
  const fn = inFile[lo];
  return fn && fn.loc.offset <= to ? fn : undefined;
}

/** The file-scope declaration token `i` is in: its first token and the index after its last (the `;` or `{` that ends it excluded). */
function declarationSpan(pos: FilePositions, i: number): { start: number; end: number } | undefined {
  const toks = pos.tokens;
  if (pos.inDirective(i)) return undefined;
  const ends = (k: number) => toks[k].kind === TokKind.Punct && (toks[k].text === ';' || toks[k].text === '{' || toks[k].text === '}');
  let start = i;
  for (let k = i - 1; k >= 0 && !pos.inDirective(k); k--) {
    const c = toks[k];
    if (c.kind === TokKind.Punct && (c.text === ')' || c.text === ']') && pos.brackets[k] >= 0) {
      k = pos.brackets[k];
    } else if (ends(k)) {
      // Inside braces (a body, a record, an initializer) there is no function declaration to be in.
      if (c.text === '{') return undefined;
      break;
    }
    start = k;
  }
  let end = i + 1;
  for (let k = i + 1; k < toks.length && !pos.inDirective(k); k++) {
    const c = toks[k];
    if (c.kind === TokKind.Punct && (c.text === '(' || c.text === '[') && pos.brackets[k] > k) k = pos.brackets[k];
    else if (ends(k)) break;
    end = k + 1;
  }
  return { start, end };
}

/**
 * The locals declared in the body opening at offset `open`, up to token
 * `upto` (a declarator's own name included), that are still in scope there (declarations of a block already
 * closed are dropped; an inner declaration hides an outer one).
 */
function localsBefore(pos: FilePositions, unit: TranslationUnit, open: number, upto: number): Map<string, LocalDecl> {
  const [first] = pos.range(open, open + 1);
  const toks = pos.tokens;
  const reader = readerOf(pos, unit);
  const scopes: Map<string, LocalDecl>[] = [];
  let s = first;
  const statement = (e: number) => {
    if (e > s && scopes.length) {
      for (const d of reader.declaration(s, e, { functionPointers: true }) ?? []) if (d.at <= upto) scopes[scopes.length - 1].set(d.name, d);
    }
  };
  for (let k = first; k < upto && k < toks.length; k++) {
    const t = toks[k];
    if (t.kind !== TokKind.Punct) continue;
    if (t.text === '{') {
      statement(k);
      scopes.push(new Map());
      s = k + 1;
    } else if (t.text === '}') {
      statement(k);
      scopes.pop();
      if (scopes.length === 0) break;
      s = k + 1;
    } else if (t.text === ';') {
      statement(k);
      s = k + 1;
    } else if (t.text === '(' && toks[k - 1]?.text === 'for') {
      s = k + 1;
    }
  }
  // The statement the name is in (a declarator names its own local).
  statement(Math.min(upto + 1, toks.length));
  const out = new Map<string, LocalDecl>();
  for (const scope of scopes) for (const [n, d] of scope) out.set(n, d);
  return out;
}
