/**
 * Suppress a finding: `// ioctl-lens-ignore RULE` on the line above it, at
 * its indentation; when that line already holds an ignore comment the rule
 * is added to it (a second comment would push the first away from its line).
 *
 *     // before
 *     #define IOCTL_PING CTL_CODE(0x8000, 0x100, METHOD_BUFFERED, FILE_ANY_ACCESS)
 *     // after
 *     // ioctl-lens-ignore reserved-function-code
 *     #define IOCTL_PING CTL_CODE(0x8000, 0x100, METHOD_BUFFERED, FILE_ANY_ACCESS)
 *
 * Idempotent: the finding is suppressed, so neither it nor the fix returns.
 */

import { EditSet } from './edits';
import { indentationAt, lineEnd, lineStart } from './text';
import type { CodeFix, FindingRef, FixContext } from './types';

export function suppressFix(ctx: FixContext, finding: FindingRef): CodeFix[] {
  const file = finding.loc.file;
  const text = ctx.text(file);
  if (text === undefined) return [];
  const edits = new EditSet(ctx);
  const start = lineStart(text, finding.loc.offset);
  if (start > 0) {
    const prevStart = lineStart(text, start - 1);
    const prevEnd = lineEnd(text, prevStart);
    const prev = text.slice(prevStart, prevEnd);
    if (/^\s*\/\/\s*ioctl-lens-ignore\b/.test(prev)) {
      if (new RegExp(`\\b${finding.rule}\\b`).test(prev)) return [];
      edits.replace(file, prevEnd - (prev.length - prev.trimEnd().length), prevEnd - (prev.length - prev.trimEnd().length), ` ${finding.rule}`);
      return [{ title: `Suppress ${finding.rule} here (ioctl-lens-ignore)`, kind: 'quickfix', edits: edits.edits() }];
    }
  }
  const eol = edits.style(file).eol;
  edits.replace(file, start, start, `${indentationAt(text, finding.loc.offset)}// ioctl-lens-ignore ${finding.rule}${eol}`);
  return [{ title: `Suppress ${finding.rule} here (ioctl-lens-ignore)`, kind: 'quickfix', edits: edits.edits() }];
}
