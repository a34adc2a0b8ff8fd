/**
 * The `#pragma pack` stack, as MSVC and clang keep it.
 *
 * The preprocessor leaves each `#pragma pack(...)` in the token stream as one
 * `TokKind.Pragma` token (its `args` are the tokens after `pragma`); the
 * parser owns the stack because packing is a property of where a record
 * definition starts. Forms understood:
 *
 *   pack(n)  pack()  pack  pack(push)  pack(push, n)  pack(push, id)
 *   pack(push, id, n)  pack(pop)  pack(pop, n)  pack(pop, id)  pack(show)
 *
 * `n` must be 1, 2, 4, 8 or 16; `pack()` restores the default (no packing,
 * represented as `undefined`). `pop, id` pops entries until the one pushed
 * with that label is removed. Malformed pragmas and pops of an empty stack
 * are warnings; the state is then left unchanged. Non-`pack` pragmas are
 * ignored.
 */

import { diag, type Diagnostic } from './diagnostics';
import { TokKind, type Token, userLoc } from './token';

interface PackEntry {
  label?: string;
  value: number | undefined;
}

export interface PackState {
  current: number | undefined;
  stack: PackEntry[];
}

export function createPackState(): PackState {
  return { current: undefined, stack: [] };
}

function packValue(t: Token | undefined): number | undefined {
  if (!t || t.kind !== TokKind.Number) return undefined;
  const v = Number(t.text);
  return v === 1 || v === 2 || v === 4 || v === 8 || v === 16 ? v : undefined;
}

/** The optional identifier and alignment after `push`/`pop`, or what is wrong with them. */
function labelAndValue(operands: readonly Token[]): { label?: string; value?: number } | string {
  let label: string | undefined;
  let value: number | undefined;
  for (const it of operands) {
    if (it.kind === TokKind.Number) {
      value = packValue(it);
      if (value === undefined) return `alignment must be 1, 2, 4, 8 or 16, not '${it.text}'`;
    } else if (it.kind === TokKind.Ident) label = it.text;
    else return `unexpected '${it.text}'`;
  }
  return { label, value };
}

/** Applies one pragma token to the pack state; returns false when it was not a `pack` pragma. */
export function applyPragma(state: PackState, pragma: Token, diagnostics: Diagnostic[]): boolean {
  const args = pragma.args ?? [];
  if (args.length === 0 || args[0].text !== 'pack') return false;
  const loc = userLoc(pragma);
  const bad = (why: string): boolean => {
    diagnostics.push(diag('pp-bad-pragma-pack', loc, [why]));
    return true;
  };
  // `#pragma pack` without parentheses behaves like `pack()`.
  if (args.length === 1) {
    state.current = undefined;
    return true;
  }
  if (args[1].text !== '(') return bad(`expected '(' after 'pack'`);
  // Split the argument list on commas, one token per argument.
  const items: Token[] = [];
  let i = 2;
  let closed = false;
  for (; i < args.length; i++) {
    const t = args[i];
    if (t.text === ')') {
      closed = true;
      break;
    }
    if (t.text === ',') continue;
    items.push(t);
  }
  if (!closed) return bad(`missing ')'`);
  if (items.length === 0) {
    state.current = undefined;
    return true;
  }
  const first = items[0];
  if (first.kind === TokKind.Number) {
    const v = packValue(first);
    if (v === undefined) return bad(`alignment must be 1, 2, 4, 8 or 16, not '${first.text}'`);
    state.current = v;
    return true;
  }
  if (first.text === 'show') return true;
  if (first.text === 'push') {
    const operands = labelAndValue(items.slice(1));
    if (typeof operands === 'string') return bad(operands);
    const { label, value } = operands;
    state.stack.push({ label, value: state.current });
    if (value !== undefined) state.current = value;
    return true;
  }
  if (first.text === 'pop') {
    const operands = labelAndValue(items.slice(1));
    if (typeof operands === 'string') return bad(operands);
    const { label, value } = operands;
    if (label !== undefined) {
      let at = -1;
      for (let k = state.stack.length - 1; k >= 0; k--) {
        if (state.stack[k].label === label) {
          at = k;
          break;
        }
      }
      if (at < 0) {
        diagnostics.push(diag('pp-pack-pop-empty', loc, [`, ${label}`]));
        return true;
      }
      state.current = state.stack[at].value;
      state.stack.length = at;
    } else {
      const top = state.stack.pop();
      if (!top) {
        diagnostics.push(diag('pp-pack-pop-empty', loc, ['']));
        if (value !== undefined) state.current = value;
        return true;
      }
      state.current = top.value;
    }
    if (value !== undefined) state.current = value;
    return true;
  }
  return bad(`unexpected '${first.text}'`);
}
