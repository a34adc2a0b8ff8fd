/**
 * The diagnostic catalogue: every message the front end and the layout engine
 * can produce, each with a stable code. Stages never throw on bad input; they
 * push a `Diagnostic` and carry on (see STYLE.md, "bad input is data").
 *
 * WOW64 rule findings (issue 3) live in their own catalogue in the checks
 * layer; this file only covers the C front end and layout.
 */

import type { Loc } from './source';

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  /** Stable code, e.g. `pp-include-not-found`. */
  code: string;
  severity: Severity;
  message: string;
  loc: Loc;
  /** Exclusive end of the range the diagnostic covers (same file as `loc`). */
  end?: Loc;
  /** What filled the message template (`{0}`, `{1}` ...): read these, never the message text. */
  args?: readonly (string | number)[];
}

/** One entry per stable code. The message is a template; `{0}`, `{1}` ... are filled by `format`. */
export const Messages = {
  // Lexer
  'lex-unterminated-comment': { severity: 'error', text: 'unterminated /* comment' },
  'lex-unterminated-string': { severity: 'error', text: 'missing terminating {0} character' },
  'lex-stray-character': { severity: 'warning', text: "stray '{0}' in program" },
  // Preprocessor
  'pp-include-not-found': { severity: 'error', text: "'{0}' file not found" },
  'pp-include-refused': { severity: 'error', text: "'{0}' is not read: {1}" },
  'pp-include-cycle': { severity: 'error', text: "#include cycle: '{0}' includes itself through {1}" },
  'pp-include-depth': { severity: 'error', text: '#include nested too deeply ({0} levels)' },
  'pp-error-directive': { severity: 'error', text: '#error {0}' },
  'pp-warning-directive': { severity: 'warning', text: '#warning {0}' },
  'pp-unknown-directive': { severity: 'warning', text: "unknown preprocessing directive '#{0}'" },
  'pp-unterminated-conditional': { severity: 'error', text: 'unterminated #{0}' },
  'pp-unmatched-directive': { severity: 'error', text: '#{0} without #if' },
  'pp-else-after-else': { severity: 'error', text: '#{0} after #else' },
  'pp-bad-expression': { severity: 'error', text: 'invalid expression in #{0}: {1}' },
  'pp-division-by-zero': { severity: 'error', text: 'division by zero in preprocessor expression' },
  'pp-macro-args': { severity: 'error', text: "macro '{0}' {1}" },
  'pp-unterminated-macro-call': { severity: 'error', text: "unterminated argument list invoking macro '{0}'" },
  'pp-bad-define': { severity: 'error', text: 'invalid macro definition: {0}' },
  'pp-bad-paste': { severity: 'warning', text: "pasting '{0}' and '{1}' does not give a valid preprocessing token" },
  'pp-bad-pragma-pack': { severity: 'warning', text: 'malformed #pragma pack: {0}' },
  'pp-pack-pop-empty': { severity: 'warning', text: "#pragma pack(pop{0}) with no matching push" },
  'pp-bad-include': { severity: 'error', text: '#{0} expects "FILENAME" or <FILENAME>' },
  'pp-include-angled-fallback': { severity: 'warning', text: "'{0}' found only next to the including file; use \"quotes\" instead of <angled>" },
  'pp-expansion-limit': { severity: 'error', text: 'macro expansion stopped: the budget of {0} expansions and expanded tokens is used up (runaway macro growth?); later macros are left unexpanded' },
  'pp-token-limit': { severity: 'error', text: 'preprocessing stopped after {0} tokens (an include loop, or far larger than any real header); what follows is not analysed' },
  'pp-nesting-limit': { severity: 'error', text: 'macro arguments nested too deeply ({0} levels); deeper ones are left unexpanded' },
  'pp-internal-error': { severity: 'error', text: 'internal preprocessor error (processing stopped for this file): {0}' },
  // Parser
  'parse-expected': { severity: 'error', text: "expected {0} but found '{1}'" },
  'parse-unknown-type': { severity: 'error', text: "unknown type name '{0}'" },
  'parse-bad-declaration': { severity: 'error', text: 'could not parse declaration: {0}' },
  'parse-limit': { severity: 'error', text: '{0}' },
  'parse-redefinition': { severity: 'error', text: "redefinition of '{0}'" },
  'parse-bad-constant': { severity: 'error', text: 'not an integer constant expression: {0}' },
  'parse-unterminated': { severity: 'error', text: "unterminated {0}" },
  'parse-unknown-attribute': { severity: 'warning', text: "unknown identifier '{0}' before the tag name is ignored (a macro that is not defined?)" },
  'parse-unknown-macro': { severity: 'warning', text: "unknown identifier '{0}' {1} is ignored (a macro that is not defined?)" },
  // C++ declarations the parser reads but does not model
  'cxx-unsupported': { severity: 'warning', text: '{0} is not modelled by ioctl-lens and is skipped' },
  'cxx-template-args': { severity: 'error', text: "template '{0}' {1}" },
  'cxx-template-depth': { severity: 'error', text: "instantiating '{0}' nests templates more than {1} levels deep" },
  'cxx-unknown-qualifier': { severity: 'error', text: "'{0}' is not a namespace, class or enumeration here" },
  // Layout
  'layout-incomplete-type': { severity: 'error', text: "field '{0}' has incomplete type '{1}'" },
  'layout-recursive-type': { severity: 'error', text: "'{0}' contains itself by value" },
  'layout-bad-array-size': { severity: 'error', text: "array '{0}' has {1} size {2}" },
  'layout-too-large': { severity: 'error', text: "'{0}' is too large ({1} bytes)" },
  'layout-bitfield-too-wide': { severity: 'error', text: "width of bit-field '{0}' ({1} bits) exceeds the width of its type ({2} bits)" },
  'layout-bitfield-type': { severity: 'error', text: "bit-field '{0}' has non-integral type '{1}'" },
  'layout-bad-alignment': { severity: 'error', text: 'requested alignment {0} is not a power of 2' },
  'layout-alignment-too-large': { severity: 'error', text: 'requested alignment {0} is larger than {1} bytes, the most __declspec(align) allows' },
  'layout-unknown-type': { severity: 'error', text: "unknown type '{0}' is laid out as 0 bytes; offsets after it are a guess" },
  'layout-function-member': { severity: 'error', text: "field '{0}' has function type '{1}'" },
  'layout-bitfield-negative': { severity: 'error', text: "bit-field '{0}' has negative width ({1})" },
  'layout-bitfield-width': { severity: 'error', text: "cannot evaluate the width of bit-field '{0}'" },
  'layout-internal-error': { severity: 'error', text: "internal error while laying out '{0}': {1}" },
  'layout-virtual-base': { severity: 'warning', text: "'{0}' has the virtual base '{1}': virtual bases are not modelled, so its layout leaves them out" },
  'layout-incomplete-base': { severity: 'error', text: "base class '{1}' of '{0}' is incomplete" },
  // Constant evaluation (array bounds, bit widths, enumerators, C_ASSERT)
  'eval-not-constant': { severity: 'error', text: 'not an integer constant expression: {0}' },
  'eval-unknown-name': { severity: 'error', text: "'{0}' is not an enumerator, so it has no constant value here" },
  'eval-division-by-zero': { severity: 'error', text: 'division by zero in constant expression' },
  'eval-shift-count': { severity: 'error', text: 'shift count {0} is out of range for a {1}-bit operand' },
  'eval-enum-cycle': { severity: 'error', text: "the value of enumerator '{0}' depends on itself" },
  'eval-sizeof-incomplete': { severity: 'error', text: "invalid application of '{0}' to incomplete type '{1}'" },
  'eval-bad-offsetof': { severity: 'error', text: 'offsetof: {0}' },
  // Driver projects (.vcxproj)
  'project-unreadable': { severity: 'error', text: 'cannot read the project file: {0}' },
  'project-no-configuration': { severity: 'error', text: "the project has no configuration '{0}' (it has {1}): '{2}' is read instead" },
} as const satisfies Record<string, { severity: Severity; text: string }>;

export type MessageCode = keyof typeof Messages;

export function format(code: MessageCode, args: readonly (string | number)[]): string {
  return Messages[code].text.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)] ?? ''));
}

export function diag(code: MessageCode, loc: Loc, args: (string | number)[] = [], end?: Loc): Diagnostic {
  return { code, severity: Messages[code].severity, message: format(code, args), loc, end, args };
}
