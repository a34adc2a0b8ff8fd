/**
 * Facts about one lexed file computed once per token array and shared, like
 * the tokens, through the `LexCache`: where its directives start (so false
 * groups are skipped without reading them), its include guard, and the
 * `MacroDef` each of its `#define` lines made.
 */

import type { Diagnostic } from '../diagnostics';
import type { MacroDef } from '../preprocess';
import { TokKind, type Token } from '../token';

/** `t` is the punctuator `s`. */
export function isPunct(t: Token | undefined, s: string): boolean {
  return t !== undefined && t.kind === TokKind.Punct && t.text === s;
}

export interface FileFacts {
  /** Indices of the `#` tokens that start a line (directive candidates). */
  hashes: Int32Array;
  /** The include-guard macro, if the whole file is one `#ifndef X ... #endif`. */
  guard: string | undefined;
  /**
   * The definition made by each `#define` line, by the index of its `define`
   * token: re-running over an unchanged (cached) file reuses the same
   * MacroDef objects (and their compiled bodies), so callers must treat
   * MacroDefs as immutable too. (A map per file rather than one WeakMap
   * keyed by token: hundreds of thousands of weak entries made every
   * garbage collection slower.)
   */
  defs: Map<number, MacroDef>;
  lexDiagnostics: Diagnostic[];
}

const factsByTokens = new WeakMap<Token[], FileFacts>();

export function fileFacts(tokens: Token[], lexDiagnostics: Diagnostic[] = []): FileFacts {
  let f = factsByTokens.get(tokens);
  if (f) return f;
  const idx: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.bol && t.kind === TokKind.Punct && t.text === '#') idx.push(i);
  }
  f = { hashes: Int32Array.from(idx), guard: findGuard(tokens, idx), defs: new Map(), lexDiagnostics };
  factsByTokens.set(tokens, f);
  return f;
}

/**
 * The guard macro X when the file is exactly `#ifndef X` (or `#if !defined X` /
 * `#if !defined(X)`) ... `#endif` with no `#else`/`#elif` at the outer level
 * and nothing after the `#endif`. Re-including such a file while X is
 * defined cannot produce anything, so it is skipped without being re-read.
 */
function findGuard(tokens: Token[], hashes: number[]): string | undefined {
  if (hashes.length < 2 || hashes[0] !== 0) return undefined;
  const lineEnd = (i: number) => {
    let j = i + 1;
    while (!tokens[j].bol) j++;
    return j;
  };
  let guard: string | undefined;
  const first = tokens.slice(1, lineEnd(0));
  if (first.length === 2 && first[0].text === 'ifndef' && first[1].kind === TokKind.Ident) guard = first[1].text;
  else if (first[0]?.text === 'if' && isPunct(first[1], '!') && first[2]?.text === 'defined') {
    if (first.length === 4 && first[3].kind === TokKind.Ident) guard = first[3].text;
    else if (first.length === 6 && isPunct(first[3], '(') && first[4].kind === TokKind.Ident && isPunct(first[5], ')'))
      guard = first[4].text;
  }
  if (guard === undefined) return undefined;
  let depth = 0;
  for (let k = 0; k < hashes.length; k++) {
    const name = tokens[hashes[k] + 1];
    if (name.bol) continue;
    const s = name.text;
    if (s === 'if' || s === 'ifdef' || s === 'ifndef') depth++;
    else if (s === 'endif') {
      depth--;
      if (depth === 0) {
        // The closing #endif must be the last thing in the file.
        const end = lineEnd(hashes[k]);
        return tokens[end].kind === TokKind.EOF ? guard : undefined;
      }
    } else if (depth === 1 && (s === 'else' || s === 'elif' || s === 'elifdef' || s === 'elifndef')) return undefined;
  }
  return undefined;
}
