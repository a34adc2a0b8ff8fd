/**
 * The rule catalogue: every WOW64 rule's stable id, default severity, one-line
 * title, message template and documentation page. Checks never spell message
 * text themselves; they fill a template here (the front end's own messages
 * live in `diagnostics.ts`).
 *
 * Templates use named holes: `{type}`, `{cause}` ... filled by `formatMessage`.
 */

import type { Severity } from '../diagnostics';

export const ruleIds = [
  'unthunked-pointer',
  'stale-shadow',
  'misaligned-field',
  'unhandled-32bit-caller',
  'native-size-check',
  'probe-alignment',
  'duplicate-ioctl-code',
  'reserved-function-code',
  'method-neither-any-access',
] as const;

export type RuleId = (typeof ruleIds)[number];

export interface RuleInfo {
  id: RuleId;
  defaultSeverity: Severity;
  title: string;
  message: string;
  /** Repository-relative documentation page. */
  doc: string;
}

const rule = (id: RuleId, defaultSeverity: Severity, title: string, message: string): RuleInfo => ({
  id,
  defaultSeverity,
  title,
  message,
  doc: `docs/rules/${id}.md`,
});

export const rules: Readonly<Record<RuleId, RuleInfo>> = {
  'unthunked-pointer': rule(
    'unthunked-pointer',
    'warning',
    'A boundary type needs translation for 32-bit callers and has no 32-bit shadow',
    "'{type}' crosses the user/kernel boundary and has no 32-bit shadow, but 32-bit callers lay it out differently ({narrowSize} bytes on {narrowAbi}, {wideSize} on {wideAbi}): {cause}",
  ),
  'stale-shadow': rule(
    'stale-shadow',
    'error',
    "A 32-bit shadow's 64-bit layout differs from the native type's 32-bit layout",
    "shadow '{shadow}' does not match the {narrowAbi} layout of '{type}': {difference}{more} ('{shadow}' is {shadowSize} bytes on {wideAbi}, '{type}' is {nativeSize} on {narrowAbi})",
  ),
  'misaligned-field': rule(
    'misaligned-field',
    'warning',
    'A boundary type has a member at an offset that is not a multiple of its natural alignment',
    "'{type}.{member}' ({memberType}) is at offset {offset} on {abis}, not a multiple of its natural alignment {align}",
  ),
  'unhandled-32bit-caller': rule(
    'unhandled-32bit-caller',
    'warning',
    'A dispatch case uses a type that needs translation without a 32-bit-caller test',
    "{ioctl} uses '{type}' as its buffer but never calls {test}: 32-bit callers send {narrowSize} bytes laid out for {narrowAbi}, the driver reads {wideSize} bytes laid out for {wideAbi}",
  ),
  'native-size-check': rule(
    'native-size-check',
    'warning',
    'A buffer length is compared with the native size of a type that needs translation, outside a 32-bit branch',
    "the buffer length is checked against sizeof({type}) ({wideSize} bytes on {wideAbi}) outside a 32-bit branch: a 32-bit caller's {type} is {narrowSize} bytes, so it is {consequence}",
  ),
  'probe-alignment': rule(
    'probe-alignment',
    'warning',
    'ProbeForRead/ProbeForWrite uses the alignment of a type whose alignment differs between ABIs, outside a 32-bit branch',
    '{call} requires the {wideAbi} alignment of {type} ({wideAlign}) outside a 32-bit branch, but a 32-bit caller only aligns it to {narrowAlign}: valid 32-bit buffers raise STATUS_DATATYPE_MISALIGNMENT',
  ),
  'duplicate-ioctl-code': rule(
    'duplicate-ioctl-code',
    'error',
    'Two IOCTL macros have the same control code',
    '{ioctl} has the same control code {value} as {other}: the dispatch routine cannot tell them apart',
  ),
  'reserved-function-code': rule(
    'reserved-function-code',
    'warning',
    'An IOCTL uses a function code below 0x800, reserved for Microsoft',
    '{ioctl} uses function code {function}; codes 0x000-0x7FF are reserved for Microsoft, vendor codes start at 0x800',
  ),
  'method-neither-any-access': rule(
    'method-neither-any-access',
    'warning',
    'METHOD_NEITHER with FILE_ANY_ACCESS',
    '{ioctl} uses METHOD_NEITHER with FILE_ANY_ACCESS: any process that can open the device hands the driver raw user-mode pointers',
  ),
};

export function isRuleId(s: string): s is RuleId {
  return (ruleIds as readonly string[]).includes(s);
}

/** A finding's message and the template arguments it was made from (its identity is built from these, not from the text). */
export function described(id: RuleId, args: Readonly<Record<string, string | number>>): { message: string; args: Readonly<Record<string, string | number>> } {
  return { message: formatMessage(id, args), args };
}

export function formatMessage(id: RuleId, args: Readonly<Record<string, string | number>>): string {
  return rules[id].message.replace(/\{(\w+)\}/g, (_, k: string) => (k in args ? String(args[k]) : ''));
}
