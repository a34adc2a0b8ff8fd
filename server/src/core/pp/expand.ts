/**
 * Reading and macro expansion: `next()` reads the token stream of a stack of
 * frames (running directives at line starts in file frames), `expandInto()`
 * expands macros by Prosser's algorithm, pushing each expansion back onto the
 * stack to be rescanned with the rest of the input. See preprocess.ts for the
 * whole algorithm.
 */

import { lex } from '../lexer';
import type { MacroDef } from '../preprocess';
import { TokKind, type Token } from '../token';
import { directive, headerName, pragmaOperator, resolveInclude } from './directives';
import { isPunct } from './files';
import type { HideSet } from './hidesets';
import { copy, isDefined, leave, maxListDepth, probeFile, report, synth, type PP, type Reader } from './state';
import { dynamicMacros, hasOperatorAnswer, hasOperators, isSalAnnotation } from './tables';

// ---------------------------------------------------------------------------
// Compiled macro bodies

interface Compiled {
  /** Parameter names, `__VA_ARGS__` appended for `...`. */
  names: string[];
  /** For each body token: the index of the parameter it names, or -1. */
  paramIndex: Int32Array;
  /** Index of the variadic parameter, or -1. */
  vaIndex: number;
}

const compiledByDef = new WeakMap<MacroDef, Compiled>();

function compile(m: MacroDef): Compiled {
  let c = compiledByDef.get(m);
  if (c) return c;
  const names = m.params ? m.params.slice() : [];
  if (m.variadic && (m.vaName === undefined || m.vaName === '__VA_ARGS__') && names[names.length - 1] !== '__VA_ARGS__')
    names.push('__VA_ARGS__');
  const paramIndex = new Int32Array(m.body.length).fill(-1);
  if (m.params) {
    for (let i = 0; i < m.body.length; i++) {
      const t = m.body[i];
      if (t.kind === TokKind.Ident) paramIndex[i] = names.indexOf(t.text);
    }
  }
  c = { names, paramIndex, vaIndex: m.variadic ? names.length - 1 : -1 };
  compiledByDef.set(m, c);
  return c;
}

const PLACEMARKER_TEXT = '';

// ---------------------------------------------------------------------------
// Reading

export function next(pp: PP, r: Reader): Token {
  const stack = r.stack;
  while (true) {
    const f = stack[stack.length - 1];
    if (f === undefined) return r.eof;
    if (f.pos >= f.tokens.length) {
      stack.pop();
      continue;
    }
    const t = f.tokens[f.pos++];
    if (--pp.tokenBudget < 0) return stop(pp, r, t);
    const st = f.state;
    if (st !== undefined) {
      if (t.kind === TokKind.EOF) {
        stack.pop();
        leave(pp, f);
        return t;
      }
      if (t.bol && t.kind === TokKind.Punct && t.text === '#') {
        const p = directive(pp, r, f, t);
        if (pp.tokenBudget < 0) return stop(pp, r, t);
        if (p !== undefined) return p;
        continue;
      }
    }
    return t;
  }
}

/**
 * The token budget is spent (an include explosion, a header far larger than
 * any real one): report it once where reading stopped, and answer end of
 * input to this and every later reader, so the run ends with what it has.
 */
function stop(pp: PP, r: Reader, at: Token): Token {
  if (!pp.stopped) {
    pp.stopped = true;
    report(pp, 'pp-token-limit', at.expansion ?? at, [pp.limits.tokens]);
  }
  pp.tokenBudget = -1;
  r.stack.length = 0;
  return r.eof;
}

export function unget(r: Reader, t: Token): void {
  r.stack.push({ tokens: [t], pos: 0 });
}

function subReader(pp: PP, tokens: Token[], eofAt: Token | undefined): Reader {
  const at = eofAt ?? tokens[tokens.length - 1];
  const eof: Token = at
    ? { kind: TokKind.EOF, text: '', file: at.file, offset: at.offset, line: at.line, col: at.col, space: false, bol: true }
    : { kind: TokKind.EOF, text: '', file: { path: pp.mainNorm, text: '' }, offset: 0, line: 1, col: 1, space: false, bol: true };
  return { stack: tokens.length ? [{ tokens, pos: 0 }] : [], eof };
}

/** Fully macro-expands `tokens` on their own (macro arguments, `#if` and `#include` lines, pragma operands). */
export function expandList(pp: PP, tokens: Token[], eofAt?: Token): Token[] {
  // Arguments nested hundreds of calls deep (F(F(F(...)))) would recurse
  // past the JS stack: beyond a depth they stay unexpanded, with an error.
  if (pp.listDepth >= maxListDepth) {
    if (!pp.nestingReported && tokens.length > 0) {
      pp.nestingReported = true;
      report(pp, 'pp-nesting-limit', eofAt ?? tokens[0], [maxListDepth]);
    }
    return tokens;
  }
  const r = subReader(pp, tokens, eofAt);
  const res: Token[] = [];
  pp.listDepth++;
  try {
    expandInto(pp, r, res, false);
  } finally {
    pp.listDepth--;
  }
  return res;
}

/**
 * The expansion loop: reads tokens from `r`, expands macros (pushing their
 * results back onto `r` for rescanning) and appends everything else to `dst`.
 */
export function expandInto(pp: PP, r: Reader, dst: Token[], top: boolean): void {
  while (true) {
    const t = next(pp, r);
    if (t.kind === TokKind.EOF) {
      if (r.stack.length === 0) return;
      continue;
    }
    if (t.kind !== TokKind.Ident) {
      dst.push(t);
      continue;
    }
    const name = t.text;
    if (pp.ifMode) {
      if (name === 'defined') {
        dst.push(synth(TokKind.Number, definedOperand(pp, r, t) ? '1' : '0', t));
        continue;
      }
      if (hasOperators.has(name) && !pp.macros.has(name)) {
        dst.push(synth(TokKind.Number, hasOperator(pp, r, t) ? '1' : '0', t));
        continue;
      }
    }
    let m = pp.macros.get(name);
    if (m === undefined) {
      if (name.charCodeAt(0) === 95 && name.charCodeAt(1) === 95 && dynamicMacros.has(name)) {
        if (t.hide === undefined || !t.hide.has(name)) {
          r.stack.push({ tokens: [dynamicMacro(pp, t)], pos: 0 });
          continue;
        }
      } else if (pp.fallback !== undefined) m = pp.fallback.get(name);
    }
    if (m !== undefined) {
      // SAL annotations reach the parser as written, even when a header defines them.
      if (!pp.ifMode && isSalAnnotation(name)) {
        dst.push(t);
        if (m.params !== undefined) passParens(pp, r, dst);
        continue;
      }
      if (expandMacro(pp, r, t, m)) continue;
    } else if (top && (name === '__pragma' || name === '_Pragma')) {
      const p = pragmaOperator(pp, r, t);
      if (p !== undefined) dst.push(p);
      continue;
    }
    dst.push(t);
  }
}

/** After a SAL annotation: copy a following parenthesised group through, unexpanded. */
function passParens(pp: PP, r: Reader, dst: Token[]): void {
  const open = next(pp, r);
  if (!isPunct(open, '(')) {
    unget(r, open);
    return;
  }
  dst.push(open);
  let depth = 1;
  while (depth > 0) {
    const t = next(pp, r);
    if (t.kind === TokKind.EOF) {
      unget(r, t);
      return;
    }
    if (t.kind === TokKind.Punct) {
      if (t.text === '(') depth++;
      else if (t.text === ')') depth--;
    }
    dst.push(t);
  }
}

/** Reads a parenthesised group after an operator name; returns its inner tokens, or undefined (with a diagnostic) if malformed. */
export function parenGroup(pp: PP, r: Reader, nameTok: Token, dirName: string): Token[] | undefined {
  const open = next(pp, r);
  if (!isPunct(open, '(')) {
    unget(r, open);
    report(pp, 'pp-bad-expression', nameTok, [dirName, `missing '(' after '${nameTok.text}'`]);
    return undefined;
  }
  const inner: Token[] = [];
  let depth = 1;
  while (true) {
    const t = next(pp, r);
    if (t.kind === TokKind.EOF) {
      unget(r, t);
      report(pp, 'pp-bad-expression', nameTok, [dirName, `missing ')' after '${nameTok.text}'`]);
      return undefined;
    }
    if (t.kind === TokKind.Punct) {
      if (t.text === '(') depth++;
      else if (t.text === ')' && --depth === 0) return inner;
    }
    inner.push(t);
  }
}

function definedOperand(pp: PP, r: Reader, at: Token): boolean {
  let t = next(pp, r);
  let paren = false;
  if (isPunct(t, '(')) {
    paren = true;
    t = next(pp, r);
  }
  if (t.kind !== TokKind.Ident) {
    if (t.kind === TokKind.EOF) unget(r, t);
    report(pp, 'pp-bad-expression', at, ['if', "macro name missing after 'defined'"]);
    return false;
  }
  if (paren) {
    const close = next(pp, r);
    if (!isPunct(close, ')')) {
      if (close.kind === TokKind.EOF) unget(r, close);
      report(pp, 'pp-bad-expression', at, ['if', "missing ')' after 'defined'"]);
    }
  }
  return isDefined(pp, t.text);
}

function hasOperator(pp: PP, r: Reader, at: Token): boolean {
  const name = at.text;
  const inner = parenGroup(pp, r, at, 'if');
  if (inner === undefined) return false;
  if (name === '__has_include' || name === '__has_include_next') {
    let h = headerName(inner);
    if (h === undefined) h = headerName(expandList(pp, inner, at));
    if (h === undefined) {
      report(pp, 'pp-bad-expression', at, ['if', `malformed operand of '${name}'`]);
      return false;
    }
    return resolveInclude(pp, h.name, h.quoted, name === '__has_include_next', probeFile) !== undefined;
  }
  // The operand is an identifier, possibly scoped (`gnu::packed`) or spelt `__x__`.
  const word = inner.map((t) => t.text).join('');
  // A C++ unit is one that predefines `__cplusplus` (the ABI's C++ table).
  return hasOperatorAnswer(name, word, pp.builtins, pp.macros.has('__cplusplus'));
}

// ---- macro expansion

/** Expands macro `m` invoked by `tok`, pushing the result onto `r`; false if it does not apply (hidden, or no `(`). */
function expandMacro(pp: PP, r: Reader, tok: Token, m: MacroDef): boolean {
  const name = tok.text;
  if (tok.hide !== undefined && tok.hide.has(name)) return false;
  if (pp.expansionBudget <= 0) {
    if (!pp.expansionReported) report(pp, 'pp-expansion-limit', tok, [pp.limits.expansions]);
    pp.expansionReported = true;
    return false;
  }
  pp.expansionBudget--;
  const exp = tok.expansion ?? tok;
  if (m.params === undefined) {
    const body = substitute(pp, m, compile(m), undefined, pp.hs.with(tok.hide, name), exp);
    pp.expansionBudget -= body.length;
    startResult(body, tok);
    r.stack.push({ tokens: body, pos: 0 });
    return true;
  }
  // A function-like macro name not followed by `(` is just an identifier.
  const open = next(pp, r);
  if (!isPunct(open, '(')) {
    unget(r, open);
    return false;
  }
  const c = compile(m);
  const call = collectArgs(pp, r, m, c, tok);
  if (call === undefined) return true;
  const hide = pp.hs.with(pp.hs.intersect(tok.hide, call.rparen.hide), name);
  const body = substitute(pp, m, c, call.args, hide, exp, call.vaOmitted);
  pp.expansionBudget -= body.length;
  startResult(body, tok);
  r.stack.push({ tokens: body, pos: 0 });
  return true;
}

/** The first token of an expansion takes the invocation's spacing. */
function startResult(body: Token[], tok: Token): void {
  if (body.length > 0) {
    body[0].space = tok.space;
    body[0].bol = tok.bol;
  }
}

function dynamicMacro(pp: PP, tok: Token): Token {
  const exp = tok.expansion ?? tok;
  const quote = (s: string) => '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
  let t: Token;
  switch (tok.text) {
    case '__FILE__':
      t = synth(TokKind.String, quote(exp.file.path), tok);
      break;
    case '__BASE_FILE__':
      t = synth(TokKind.String, quote(pp.mainNorm), tok);
      break;
    case '__FILE_NAME__':
      t = synth(TokKind.String, quote(exp.file.path.slice(exp.file.path.lastIndexOf('/') + 1)), tok);
      break;
    case '__LINE__':
      t = synth(TokKind.Number, String(exp.line), tok);
      break;
    case '__COUNTER__':
      t = synth(TokKind.Number, String(pp.counter++), tok);
      break;
    case '__INCLUDE_LEVEL__':
      t = synth(TokKind.Number, String(Math.max(0, pp.fileStack.length - 1)), tok);
      break;
    case '__DATE__':
      t = synth(TokKind.String, '"Jan  1 2000"', tok);
      break;
    case '__TIME__':
      t = synth(TokKind.String, '"00:00:00"', tok);
      break;
    default:
      t = synth(TokKind.String, '"Sat Jan  1 00:00:00 2000"', tok);
  }
  t.expansion = exp;
  t.macro = tok.text;
  t.hide = pp.hs.with(tok.hide, tok.text);
  return t;
}

/** Reads the arguments of a function-like macro call; the `(` has been read. */
function collectArgs(
  pp: PP,
  r: Reader,
  m: MacroDef,
  c: Compiled,
  tok: Token,
): { args: Token[][]; rparen: Token; vaOmitted: boolean } | undefined {
  const nparams = c.names.length;
  const args: Token[][] = [];
  let cur: Token[] = [];
  let depth = 0;
  let rparen: Token;
  while (true) {
    const t = next(pp, r);
    if (t.kind === TokKind.EOF) {
      report(pp, 'pp-unterminated-macro-call', tok, [m.name]);
      unget(r, t);
      return undefined;
    }
    if (t.kind === TokKind.Punct) {
      const s = t.text;
      if (s === '(') depth++;
      else if (s === ')') {
        if (depth === 0) {
          rparen = t;
          args.push(cur);
          break;
        }
        depth--;
      } else if (s === ',' && depth === 0 && !(c.vaIndex >= 0 && args.length === nparams - 1)) {
        args.push(cur);
        cur = [];
        continue;
      }
    }
    cur.push(t);
  }
  if (nparams === 0 && args.length === 1 && args[0].length === 0) args.length = 0;
  let vaOmitted = false;
  if (c.vaIndex >= 0 && args.length === nparams - 1) {
    args.push([]);
    vaOmitted = true;
  }
  if (args.length !== nparams) {
    const need = c.vaIndex >= 0 ? `at least ${nparams - 1}` : String(nparams);
    report(pp, 'pp-macro-args', tok, [m.name, `requires ${need} argument(s), but ${args.length} given`]);
    return undefined;
  }
  return { args, rparen, vaOmitted };
}

/**
 * Substitutes `args` into the body of `m` (C11 6.10.3.1-3): `#` stringizes,
 * `##` pastes (with placemarkers for empty arguments), other parameters get
 * their fully expanded argument. Every result token is a fresh copy with
 * hide set `t.hide + hide`, `expansion` and `macro` set.
 */
function substitute(
  pp: PP,
  m: MacroDef,
  c: Compiled,
  args: Token[][] | undefined,
  hide: HideSet,
  exp: Token,
  vaOmitted = false,
): Token[] {
  const body = m.body;
  const pidx = c.paramIndex;
  const name = m.name;
  const res: Token[] = [];
  const expanded: (Token[] | undefined)[] = [];
  let placemarkers = false;
  let vaOptClose = -1;
  const n = body.length;

  const emit = (t: Token, space: boolean) => {
    res.push(copy(t, space, pp.hs.union(t.hide, hide), exp, t.macro ?? name));
  };
  const placemarker = (at: Token) => {
    placemarkers = true;
    const p = copy(at, false, hide, exp, name);
    p.text = PLACEMARKER_TEXT;
    p.kind = TokKind.Other;
    res.push(p);
  };
  const isPaste = (i: number) => i < n && body[i].kind === TokKind.Punct && body[i].text === '##';

  for (let i = 0; i < n; i++) {
    const t = body[i];
    if (i === vaOptClose) {
      vaOptClose = -1;
      continue;
    }
    const pi = pidx[i];
    if (args !== undefined && t.kind === TokKind.Punct) {
      // # param
      if (t.text === '#' && i + 1 < n && pidx[i + 1] >= 0) {
        const s = stringize(args[pidx[i + 1]], t);
        res.push(copy(s, t.space, hide, exp, name));
        i++;
        continue;
      }
      // , ## __VA_ARGS__  (GNU): the comma disappears when the variadic
      // argument is left out; clang keeps it for an explicitly empty one (`G(x,)`).
      if (t.text === ',' && c.vaIndex >= 0 && isPaste(i + 1) && i + 2 < n && pidx[i + 2] === c.vaIndex) {
        const va = args[c.vaIndex];
        if (!vaOmitted) {
          emit(t, t.space);
          for (let k = 0; k < va.length; k++) emit(va[k], k === 0 ? body[i + 2].space : va[k].space);
        }
        i += 2;
        continue;
      }
    }
    if (t.kind === TokKind.Punct && t.text === '##' && res.length > 0 && i + 1 < n) {
      const rt = body[i + 1];
      const rpi = pidx[i + 1];
      let rhs: Token[];
      if (args !== undefined && rpi >= 0) rhs = args[rpi];
      else if (args !== undefined && rt.kind === TokKind.Punct && rt.text === '#' && i + 2 < n && pidx[i + 2] >= 0) {
        rhs = [stringize(args[pidx[i + 2]], rt)];
        i++;
      } else rhs = [rt];
      const lhs = res.pop()!;
      if (rhs.length === 0) res.push(lhs);
      else if (lhs.text === PLACEMARKER_TEXT && lhs.kind === TokKind.Other) {
        for (let k = 0; k < rhs.length; k++) emit(rhs[k], k === 0 ? lhs.space : rhs[k].space);
      } else {
        const pasted = paste(pp, lhs, rhs[0]);
        if (pasted !== undefined) res.push(pasted);
        else {
          res.push(lhs);
          emit(rhs[0], rhs[0].space);
        }
        for (let k = 1; k < rhs.length; k++) emit(rhs[k], rhs[k].space);
      }
      i++;
      continue;
    }
    if (args !== undefined && pi >= 0) {
      const arg = args[pi];
      if (isPaste(i + 1)) {
        // Operand of ##: the argument as written, or a placemarker.
        if (arg.length === 0) placemarker(t);
        else for (let k = 0; k < arg.length; k++) emit(arg[k], k === 0 ? t.space : arg[k].space);
        continue;
      }
      let ex = expanded[pi];
      if (ex === undefined) {
        ex = arg.length === 0 ? arg : expandList(pp, arg, exp);
        expanded[pi] = ex;
      }
      for (let k = 0; k < ex.length; k++) emit(ex[k], k === 0 ? t.space : ex[k].space);
      continue;
    }
    if (args !== undefined && c.vaIndex >= 0 && t.kind === TokKind.Ident && t.text === '__VA_OPT__' && isPunct(body[i + 1], '(')) {
      // __VA_OPT__(tokens): the tokens if the variadic argument is not empty.
      let depth = 0;
      let j = i + 1;
      for (; j < n; j++) {
        if (isPunct(body[j], '(')) depth++;
        else if (isPunct(body[j], ')') && --depth === 0) break;
      }
      if (args[c.vaIndex].length > 0) {
        vaOptClose = j;
        i++;
      } else {
        placemarker(t);
        i = j;
      }
      continue;
    }
    emit(t, t.space);
  }
  if (placemarkers) {
    let w = 0;
    for (let k = 0; k < res.length; k++) {
      const t = res[k];
      if (!(t.kind === TokKind.Other && t.text === PLACEMARKER_TEXT)) res[w++] = t;
    }
    res.length = w;
  }
  return res;
}

function stringize(arg: Token[], at: Token): Token {
  let s = '"';
  for (let k = 0; k < arg.length; k++) {
    const t = arg[k];
    if (k > 0 && t.space) s += ' ';
    if (t.kind === TokKind.String || t.kind === TokKind.Char) s += t.text.replace(/[\\"]/g, '\\$&');
    else s += t.text;
  }
  s += '"';
  const r = synth(TokKind.String, s, at);
  return r;
}

/** `lhs ## rhs`: the single token their spellings form, or undefined (with a warning) if they do not form one. */
function paste(pp: PP, lhs: Token, rhs: Token): Token | undefined {
  const text = lhs.text + rhs.text;
  let kind: TokKind;
  if (lhs.kind === TokKind.Ident && (rhs.kind === TokKind.Ident || (rhs.kind === TokKind.Number && /^[0-9A-Za-z_$]*$/.test(rhs.text)))) {
    kind = TokKind.Ident;
  } else {
    const r = lex({ path: lhs.file.path, text });
    if (r.tokens.length !== 2 || r.diagnostics.length > 0 || r.comments.length > 0) {
      report(pp, 'pp-bad-paste', lhs.expansion ?? lhs, [lhs.text, rhs.text]);
      return undefined;
    }
    kind = r.tokens[0].kind;
  }
  const t = copy(lhs, lhs.space, lhs.hide, lhs.expansion, lhs.macro);
  t.text = text;
  t.kind = kind;
  return t;
}

