/**
 * Small, pure helpers the declaration parser uses on single tokens and on
 * short runs of text: reading C integer and character literals into
 * `bigint`s, recognising SAL annotation names, and joining token spellings
 * into the normalised type text shown to users (`ULONG *`, `int (*)(int)`,
 * `char [4]`).
 *
 * Nothing here keeps state or looks at more than the strings it is given, so
 * each helper can be tested on its own.
 */

import { charLiteral, integerLiteralValue } from './constexpr';

/**
 * Reads a C integer literal (decimal, `0x`, `0b`, octal) with any MSVC or C
 * suffix (`u`, `l`, `ll`, `ul`, `ull`, `i8` ... `i64`, `ui64`): its exact
 * value (constexpr.ts gives its type). Undefined for floating literals and
 * malformed spellings.
 */
export function parseIntLiteral(text: string): bigint | undefined {
  return integerLiteralValue(text);
}

/**
 * Reads a character constant: `'a'`, `'\n'`, `'\x41'`, `L'a'`, and MSVC
 * multi-character constants such as the pool tag `'gaTP'`, whose value is
 * the characters packed big-endian into an int (`'ab'` == 0x6162).
 */
export function parseCharLiteral(text: string): bigint | undefined {
  const q = text.indexOf("'");
  if (q < 0 || text.length < q + 2 || text[text.length - 1] !== "'") return undefined;
  const v = charLiteral(text);
  return typeof v === 'string' ? undefined : v.value;
}

const sal1Exact = new Set([
  '__in', '__out', '__inout', '__in_opt', '__out_opt', '__inout_opt', '__reserved', '__checkReturn',
  '__nullterminated', '__nullnullterminated', '__possibly_notnullterminated', '__notnull', '__maybenull',
  '__readonly', '__callback', '__format_string', '__success', '__typefix', '__bcount', '__ecount',
  '__bcount_opt', '__ecount_opt', '__range', '__in_range', '__out_range', '__override', '__allocator',
  '__control_entrypoint', '__kernel_entry', '__post', '__pre', '__valid', '__notvalid', '__null',
  '__refparam', '__exceptthat', '__blocksOn', '__analysis_noreturn', '__inexpressible_readableTo',
]);

const sal1Prefixes = [
  '__in_', '__out_', '__inout_', '__deref_', '__field_', '__struct_', '__drv_', '__bcount_', '__ecount_',
  '__xcount', '__pre_', '__post_', '__range_',
];

/**
 * True for SAL annotation names: SAL2 (`_In_`, `_Field_size_`,
 * `_IRQL_requires_max_` ...: underscore, capital, words joined by `_`,
 * trailing underscore), `__drv_*`, and the SAL1 spellings (`__in`,
 * `__out_opt`, `__field_bcount` ...). Careful not to catch `__inline` or
 * `__int64`: a SAL1 `__in` is followed by `_` or nothing.
 */
export function isSalAnnotationName(name: string): boolean {
  const n = name.length;
  if (n < 3 || name.charCodeAt(0) !== 95 /* _ */) return false;
  const second = name.charCodeAt(1);
  if (second >= 65 && second <= 90) {
    // SAL2: /^_[A-Z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*_$/
    if (name.charCodeAt(n - 1) !== 95) return false;
    let prevUnderscore = false;
    for (let i = 2; i < n - 1; i++) {
      const c = name.charCodeAt(i);
      if (c === 95) {
        if (prevUnderscore) return false;
        prevUnderscore = true;
      } else if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
        prevUnderscore = false;
      } else return false;
    }
    return !prevUnderscore;
  }
  if (second !== 95) return false;
  if (sal1Exact.has(name)) return true;
  for (const p of sal1Prefixes) if (name.startsWith(p)) return true;
  return false;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}

/** Whether a space belongs between two adjacent pieces of type text. */
function needSpace(prev: string, next: string): boolean {
  if (prev.length === 0 || next.length === 0) return false;
  const first = next.charCodeAt(0);
  // ) ] , ;
  if (first === 41 || first === 93 || first === 44 || first === 59) return false;
  const last = prev.charCodeAt(prev.length - 1);
  if (last === 40 /* ( */ || last === 91 /* [ */ || last === 42 /* * */) return false;
  if (prev === ',') return true;
  // * [ (
  if (first === 42 || first === 91 || first === 40) return isWordChar(last);
  return true;
}

/**
 * Joins pieces of type text with clang-like spacing: `ULONG *`, `int **`,
 * `char [4]`, `int (*)(int, char)`, `struct _BAR *`.
 */
export function joinTypeText(pieces: readonly string[]): string {
  let out = '';
  let prev = '';
  for (const p of pieces) {
    if (p.length === 0) continue;
    if (needSpace(prev, p)) out += ' ';
    out += p;
    prev = p;
  }
  return out;
}
