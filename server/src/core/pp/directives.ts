/**
 * The directives, one function each: `#define`/`#undef`, the conditionals
 * (a false group is skipped through the file's index of line-start `#`s),
 * `#include` (with include guards, `#pragma once`, `#include_next` and
 * cycles), `#pragma` and the `__pragma`/`_Pragma` operators, `#error`.
 * `directive()` is called by the reader (`expand.ts`) at a `#` that starts a
 * line of a file frame.
 */

import { evaluateTokens, ifRules } from '../constexpr';
import { lex } from '../lexer';
import type { MacroDef } from '../preprocess';
import { dirname, joinPath, normalizePath } from '../source';
import { TokKind, type Token } from '../token';
import { expandList, parenGroup } from './expand';
import { isPunct } from './files';
import {
  copy,
  deleteMacro,
  endLocOf,
  enter,
  includeCost,
  fileFrame,
  isDefined,
  readFile,
  report,
  setMacro,
  synth,
  tokLoc,
  type FileState,
  type Frame,
  type PP,
  type Reader,
} from './state';

// ---- directives

/** The line of a directive: tokens from `from` up to the next line start. */
function lineEnd(tokens: Token[], from: number): number {
  let j = from;
  while (!tokens[j].bol) j++;
  return j;
}

/** One directive line of a file frame: `#` name operands. */
interface Line {
  hash: Token;
  /** The directive's name. */
  name: Token;
  /** The file's tokens; the operands are `tokens[from, end)`. */
  tokens: Token[];
  from: number;
  end: number;
}

/** The operands of a directive line as their own array. */
function operands(line: Line): Token[] {
  return line.tokens.slice(line.from, line.end);
}

/** The single identifier operand (`#undef X`, `#ifdef X`), or undefined. */
function nameOperand(line: Line): Token | undefined {
  const t = line.tokens[line.from];
  return line.from < line.end && t.kind === TokKind.Ident ? t : undefined;
}

/** The last line of the directive, so a skipped group starts after it. */
function nextLine(line: Line): number {
  return line.tokens[line.end - 1].line + 1;
}

/** A directive: runs on its line; returns a token for the output (only `#pragma pack` does). */
type Directive = (pp: PP, r: Reader, f: Frame, line: Line) => Token | undefined;

const directives: Record<string, Directive> = {
  define: (pp, _r, f, line) => define(pp, line.tokens, line.from, line.end, f.state!),
  undef: (pp, _r, _f, line) => {
    const t = nameOperand(line);
    if (t === undefined) report(pp, 'pp-bad-define', line.name, ['macro name missing in #undef']);
    else deleteMacro(pp, t.text);
    return undefined;
  },
  include: (pp, r, f, line) => include(pp, r, operands(line), line.name, f.state!, false),
  include_next: (pp, r, f, line) => include(pp, r, operands(line), line.name, f.state!, true),
  import: (pp, r, f, line) => include(pp, r, operands(line), line.name, f.state!, false),
  if: (pp, _r, f, line) => openGroup(pp, f, line, ifExpression(pp, operands(line), line.name, 'if')),
  ifdef: (pp, _r, f, line) => openGroup(pp, f, line, definedTest(pp, line, true)),
  ifndef: (pp, _r, f, line) => openGroup(pp, f, line, definedTest(pp, line, false)),
  elif: (pp, _r, f, line) => nextGroup(pp, f, line, () => ifExpression(pp, operands(line), line.name, 'elif')),
  elifdef: (pp, _r, f, line) => nextGroup(pp, f, line, () => definedTest(pp, line, true)),
  elifndef: (pp, _r, f, line) => nextGroup(pp, f, line, () => definedTest(pp, line, false)),
  else: (pp, _r, f, line) => nextGroup(pp, f, line, () => true),
  endif: (pp, _r, f, line) => {
    if (f.state!.conds.pop() === undefined) report(pp, 'pp-unmatched-directive', line.name, ['endif']);
    return undefined;
  },
  error: (pp, _r, _f, line) => {
    report(pp, 'pp-error-directive', line.hash, [lineText(line.tokens, line.from, line.end)]);
    return undefined;
  },
  warning: (pp, _r, _f, line) => {
    report(pp, 'pp-warning-directive', line.hash, [lineText(line.tokens, line.from, line.end)]);
    return undefined;
  },
  pragma: (pp, _r, _f, line) => {
    const p = pragma(pp, operands(line), line.hash);
    if (p !== undefined) {
      p.space = line.hash.space;
      p.bol = true;
    }
    return p;
  },
  // Accepted and ignored.
  line: () => undefined,
  ident: () => undefined,
  sccs: () => undefined,
  assert: () => undefined,
  unassert: () => undefined,
};

/**
 * Runs the directive whose `#` (`hash`) the reader just read from file frame
 * `f`, leaving the frame after its line (or, for a false group, on the `#`
 * that ends the group).
 */
export function directive(pp: PP, r: Reader, f: Frame, hash: Token): Token | undefined {
  const tokens = f.tokens;
  const start = f.pos;
  const end = lineEnd(tokens, start);
  f.pos = end;
  // Directive lines count against the run's token budget too (see next()).
  pp.tokenBudget -= end - start;
  if (start === end) return undefined; // null directive
  const name = tokens[start];
  if (name.kind !== TokKind.Ident) {
    // `# 33 "file"` line markers are accepted and ignored.
    if (name.kind !== TokKind.Number) report(pp, 'pp-unknown-directive', name, [name.text]);
    return undefined;
  }
  const run = Object.hasOwn(directives, name.text) ? directives[name.text] : undefined;
  if (run === undefined) {
    report(pp, 'pp-unknown-directive', name, [name.text]);
    return undefined;
  }
  return run(pp, r, f, { hash, name, tokens, from: start + 1, end });
}

/** `#ifdef X` (`defined` true) or `#ifndef X`; a missing name is reported and false. */
function definedTest(pp: PP, line: Line, defined: boolean): boolean {
  const t = nameOperand(line);
  if (t === undefined) {
    report(pp, 'pp-bad-expression', line.name, [line.name.text, 'macro name missing']);
    return false;
  }
  return isDefined(pp, t.text) === defined;
}

/** `#if`, `#ifdef`, `#ifndef`: opens a conditional whose first group is taken when `taken`. */
function openGroup(pp: PP, f: Frame, line: Line, taken: boolean): undefined {
  f.state!.conds.push({ directive: line.name.text, token: line.hash, taken, sawElse: false });
  if (!taken) skipGroup(pp, f, nextLine(line));
  return undefined;
}

/**
 * `#elif`, `#elifdef`, `#elifndef`, `#else`: the group is taken when no
 * earlier one was and `test()` holds (evaluated only then, as the
 * standard requires).
 */
function nextGroup(pp: PP, f: Frame, line: Line, test: () => boolean): undefined {
  const dname = line.name.text;
  const c = f.state!.conds[f.state!.conds.length - 1];
  if (c === undefined) {
    report(pp, 'pp-unmatched-directive', line.name, [dname]);
    return undefined;
  }
  if (c.sawElse) report(pp, 'pp-else-after-else', line.name, [dname]);
  if (dname === 'else') c.sawElse = true;
  if (!c.taken && test()) c.taken = true;
  else skipGroup(pp, f, nextLine(line));
  return undefined;
}

/** The source text of tokens [from, to) of a directive line, as written. */
function lineText(tokens: Token[], from: number, to: number): string {
  if (from >= to) return '';
  const a = tokens[from];
  const b = tokens[to - 1];
  if (a.file === b.file) {
    const raw = a.file.text.slice(a.offset, b.offset + b.text.length);
    if (!raw.includes('\\')) return raw;
  }
  let s = '';
  for (let k = from; k < to; k++) s += (k > from && tokens[k].space ? ' ' : '') + tokens[k].text;
  return s;
}

/**
 * Skips a group whose condition is false: jumps through the file's `#`
 * index to the `#elif`/`#else`/`#endif` that ends it at the same nesting
 * level and leaves the frame positioned on that `#`.
 */
function skipGroup(pp: PP, f: Frame, firstLine: number): void {
  const tokens = f.tokens;
  const hashes = f.state!.facts.hashes;
  // Binary search for the first `#` at or after f.pos.
  let lo = 0;
  let hi = hashes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (hashes[mid] < f.pos) lo = mid + 1;
    else hi = mid;
  }
  let depth = 0;
  let stop = tokens.length - 1; // EOF
  for (let k = lo; k < hashes.length; k++) {
    const h = hashes[k];
    const nt = tokens[h + 1];
    if (nt.bol || nt.kind !== TokKind.Ident) continue;
    const s = nt.text;
    if (s === 'if' || s === 'ifdef' || s === 'ifndef') depth++;
    else if (s === 'endif') {
      if (depth === 0) {
        stop = h;
        break;
      }
      depth--;
    } else if (depth === 0 && (s === 'elif' || s === 'else' || s === 'elifdef' || s === 'elifndef')) {
      stop = h;
      break;
    }
  }
  f.pos = stop;
  const st = f.state!;
  if (!st.pseudo) {
    const stopTok = tokens[stop];
    const lastLine = stopTok.kind === TokKind.EOF ? (stopTok.col > 1 ? stopTok.line : stopTok.line - 1) : stopTok.line - 1;
    if (lastLine >= firstLine) {
      let list = pp.inactiveLines.get(st.file.path);
      if (list === undefined) pp.inactiveLines.set(st.file.path, (list = []));
      list.push({ startLine: firstLine, endLine: lastLine });
    }
  }
}

function ifExpression(pp: PP, line: Token[], nameTok: Token, dname: string): boolean {
  if (line.length === 0) {
    report(pp, 'pp-bad-expression', nameTok, [dname, 'expected value in expression']);
    return false;
  }
  const saved = pp.ifMode;
  pp.ifMode = true;
  let expanded: Token[];
  try {
    expanded = expandList(pp, line, line[line.length - 1]);
  } finally {
    pp.ifMode = saved;
  }
  if (expanded.length === 0) {
    report(pp, 'pp-bad-expression', nameTok, [dname, 'expected value in expression']);
    return false;
  }
  const r = evaluateTokens(expanded, { rules: ifRules });
  if (r.divisionByZero) {
    report(pp, 'pp-division-by-zero', r.divisionByZero);
    return false;
  }
  if (r.value === undefined) {
    const at = r.errorToken ?? nameTok;
    report(pp, 'pp-bad-expression', at.expansion ?? at, [dname, r.error ?? 'not a constant']);
    return false;
  }
  return r.value.value !== 0n;
}

function define(pp: PP, tokens: Token[], from: number, end: number, st: FileState): undefined {
  const known = st.facts.defs.get(from - 1);
  if (known !== undefined) {
    setMacro(pp, known.name, known);
    if (!st.pseudo) pp.definitions.push(known);
    return;
  }
  const nameTok = tokens[from];
  if (from >= end || nameTok.kind !== TokKind.Ident) {
    report(pp, 'pp-bad-define', from < end ? nameTok : tokens[from - 1], ['macro name missing']);
    return;
  }
  if (nameTok.text === 'defined') {
    report(pp, 'pp-bad-define', nameTok, ["'defined' cannot be used as a macro name"]);
    return;
  }
  let i = from + 1;
  let params: string[] | undefined;
  let variadic = false;
  let vaName: string | undefined;
  if (i < end && isPunct(tokens[i], '(') && !tokens[i].space) {
    params = [];
    i++;
    let ok = false;
    while (i < end) {
      const t = tokens[i];
      if (params.length === 0 && isPunct(t, ')')) {
        ok = true;
        i++;
        break;
      }
      if (isPunct(t, '...')) {
        variadic = true;
        i++;
        if (isPunct(tokens[i], ')') && i < end) {
          ok = true;
          i++;
        }
        break;
      }
      if (t.kind !== TokKind.Ident || t.text === '__VA_ARGS__' || params.includes(t.text)) break;
      params.push(t.text);
      i++;
      if (i < end && isPunct(tokens[i], '...')) {
        variadic = true;
        vaName = t.text;
        i++;
        if (i < end && isPunct(tokens[i], ')')) {
          ok = true;
          i++;
        }
        break;
      }
      if (i < end && isPunct(tokens[i], ')')) {
        ok = true;
        i++;
        break;
      }
      if (i < end && isPunct(tokens[i], ',')) {
        i++;
        continue;
      }
      break;
    }
    if (!ok) {
      report(pp, 'pp-bad-define', i < end ? tokens[i] : nameTok, [`bad parameter list for macro '${nameTok.text}'`]);
      return;
    }
  }
  const body = tokens.slice(i, end);
  if (body.length > 0 && (isPunct(body[0], '##') || isPunct(body[body.length - 1], '##'))) {
    report(pp, 'pp-bad-define', body[0], ["'##' cannot appear at either end of a macro expansion"]);
    return;
  }
  const last = end - 1 >= from ? tokens[end - 1] : nameTok;
  const def: MacroDef = {
    name: nameTok.text,
    params,
    variadic,
    vaName,
    body,
    loc: tokLoc(nameTok),
    endLoc: endLocOf(last),
  };
  st.facts.defs.set(from - 1, def);
  setMacro(pp, def.name, def);
  if (!st.pseudo) pp.definitions.push(def);
}

/** The header name of an `#include` operand: `"x"` or `<x>`, or undefined if it is neither. */
export function headerName(ops: Token[]): { name: string; quoted: boolean } | undefined {
  const a = ops[0];
  if (a === undefined) return undefined;
  if (a.kind === TokKind.String && a.text.startsWith('"') && a.text.length >= 2) {
    return { name: a.text.slice(1, -1), quoted: true };
  }
  if (!isPunct(a, '<')) return undefined;
  let k = 1;
  while (k < ops.length && !isPunct(ops[k], '>')) k++;
  if (k >= ops.length) return undefined;
  const gt = ops[k];
  // Prefer the text as written (between < and >) when it is all in one file.
  if (a.file === gt.file && a.expansion === undefined && gt.expansion === undefined && gt.offset > a.offset) {
    const raw = a.file.text.slice(a.offset + 1, gt.offset);
    if (!raw.includes('\n') && !raw.includes('\\')) return { name: raw.trim(), quoted: false };
  }
  let s = '';
  for (let j = 1; j < k; j++) s += (j > 1 && ops[j].space ? ' ' : '') + ops[j].text;
  return { name: s, quoted: false };
}

/**
 * Finds an included file: the includer's folder first for `"x"`, then the
 * include dirs (after the current one for `#include_next`). A file the host
 * refuses does not stop the search; it is the answer only when nothing
 * readable comes after it. `look` is `readFile`, or `probeFile` for `__has_include`.
 */
export function resolveInclude<F extends { path: string; refused?: string }>(
  pp: PP,
  name: string,
  quoted: boolean,
  isNext: boolean,
  look: (pp: PP, path: string) => F | undefined,
): (F & { dirIndex: number }) | undefined {
  if (name === '') return undefined;
  const cur = pp.fileStack[pp.fileStack.length - 1];
  let refused: (F & { dirIndex: number }) | undefined;
  const at = (path: string, dirIndex: number) => {
    const got = look(pp, path);
    if (got === undefined) return undefined;
    if (got.refused === undefined) return { ...got, dirIndex };
    refused ??= { ...got, dirIndex };
    return undefined;
  };
  if (/^(?:\/|[A-Za-z]:[\\/]|\\\\)/.test(name)) return at(normalizePath(name), -1) ?? refused;
  if (quoted && !isNext && cur !== undefined) {
    const base = cur.pseudo ? dirname(pp.mainNorm) : dirname(cur.file.path);
    const got = at(joinPath(base, name), -1);
    if (got) return got;
  }
  const from = isNext && cur !== undefined && cur.dirIndex >= 0 ? cur.dirIndex + 1 : 0;
  for (let d = from; d < pp.includeDirs.length; d++) {
    const got = at(joinPath(pp.includeDirs[d], name), d);
    if (got) return got;
  }
  return refused;
}

function include(pp: PP, r: Reader, ops: Token[], nameTok: Token, st: FileState, isNext: boolean): undefined {
  pp.tokenBudget -= includeCost;
  let h = headerName(ops);
  if (h === undefined && ops.length > 0) h = headerName(expandList(pp, ops, nameTok));
  if (h === undefined) {
    report(pp, 'pp-bad-include', nameTok, [nameTok.text]);
    return;
  }
  let found = resolveInclude(pp, h.name, h.quoted, isNext, readFile);
  if ((found === undefined || found.refused !== undefined) && !h.quoted) {
    // Like clang (MSVC-style lookup): an <angled> header that is not on the
    // search path is looked for next to the includer, with a warning.
    const near = resolveInclude(pp, h.name, true, false, readFile);
    if (near !== undefined && near.refused === undefined) report(pp, 'pp-include-angled-fallback', ops[0] ?? nameTok, [h.name]);
    if (near !== undefined && (found === undefined || near.refused === undefined)) found = near;
  }
  if (found === undefined) {
    report(pp, 'pp-include-not-found', ops[0] ?? nameTok, [h.name]);
    return;
  }
  if (found.refused !== undefined) {
    report(pp, 'pp-include-refused', ops[0] ?? nameTok, [h.name, found.refused]);
    return;
  }
  const path = found.path;
  if (!st.pseudo) pp.includes.push({ from: st.file.path, to: path, loc: tokLoc(nameTok) });
  if (pp.pragmaOnce.has(path)) return;
  if (nameTok.text === 'import') pp.pragmaOnce.add(path);
  const frame = fileFrame(pp, path, found.text, found.dirIndex, false);
  const guard = frame.state!.facts.guard;
  if (guard !== undefined && pp.macros.has(guard)) return;
  // A file may be re-entered once (an inner guard usually stops it, as in
  // _mingw.h -> vadefs.h -> _mingw.h); a third instance is a cycle.
  if ((pp.onStack.get(path) ?? 0) >= 2) {
    const chain = pp.fileStack.filter((s) => !s.pseudo).map((s) => s.file.path);
    const i = chain.indexOf(path);
    // Once per #include line: files that include each other several times would otherwise say it thousands of times.
    const at = ops[0] ?? nameTok;
    const key = `${at.file.path}\0${at.offset}`;
    if (!pp.cyclesReported.has(key)) report(pp, 'pp-include-cycle', at, [path, chain.slice(i + 1).concat(path).join(' -> ')]);
    pp.cyclesReported.add(key);
    return;
  }
  if (pp.fileStack.length >= pp.maxDepth) {
    report(pp, 'pp-include-depth', ops[0] ?? nameTok, [pp.maxDepth]);
    return;
  }
  enter(pp, r, frame);
}

// ---- pragmas

/**
 * Handles the tokens after the word `pragma` (from `#pragma`, `__pragma(...)`
 * or `_Pragma("...")`). Returns the Pragma token for the parser, if any.
 */
function pragma(pp: PP, words: Token[], at: Token): Token | undefined {
  const first = words[0];
  if (first === undefined || first.kind !== TokKind.Ident) return undefined;
  switch (first.text) {
    case 'pack': {
      const p = synth(TokKind.Pragma, 'pragma', at);
      p.args = expandList(pp, words, at);
      return p;
    }
    case 'once':
      if (pp.fileStack.length > 0) pp.pragmaOnce.add(pp.fileStack[pp.fileStack.length - 1].file.path);
      return undefined;
    case 'push_macro':
    case 'pop_macro': {
      const s = words.find((t) => t.kind === TokKind.String);
      if (s === undefined) return undefined;
      const name = s.text.slice(s.text.indexOf('"') + 1, -1);
      let stack = pp.pushedMacros.get(name);
      if (first.text === 'push_macro') {
        if (stack === undefined) pp.pushedMacros.set(name, (stack = []));
        stack.push(pp.macros.get(name));
      } else if (stack !== undefined && stack.length > 0) {
        const m = stack.pop();
        if (m === undefined) deleteMacro(pp, name);
        else setMacro(pp, name, m);
      }
      return undefined;
    }
  }
  return undefined;
}

/** `__pragma(...)` (MSVC) and `_Pragma("...")` (C99) met in the output. */
export function pragmaOperator(pp: PP, r: Reader, t: Token): Token | undefined {
  const inner = parenGroup(pp, r, t, 'pragma');
  if (inner === undefined) return undefined;
  let words = inner;
  if (t.text === '_Pragma') {
    const s = inner[0];
    if (inner.length !== 1 || s.kind !== TokKind.String) {
      report(pp, 'pp-bad-expression', t, ['pragma', '_Pragma takes a parenthesized string literal']);
      return undefined;
    }
    const q = s.text.indexOf('"');
    const text = s.text.slice(q + 1, -1).replace(/\\(["\\])/g, '$1');
    const lexed = lex({ path: s.file.path, text }).tokens;
    words = [];
    for (let k = 0; k + 1 < lexed.length; k++) {
      const w = copy(lexed[k], lexed[k].space, s.hide, s.expansion, s.macro);
      w.offset = s.offset;
      w.line = s.line;
      w.col = s.col;
      w.file = s.file;
      words.push(w);
    }
  }
  return pragma(pp, words, t);
}
