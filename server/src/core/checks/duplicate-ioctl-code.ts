/**
 * duplicate-ioctl-code: two IOCTL macros with the same control code. The
 * dispatch switch cannot tell them apart (and a `case` for each does not
 * compile), so one of the two requests is silently handled as the other.
 *
 *     // bad
 *     #define IOCTL_GET_STATS  CTL_CODE(0x8000, 0x803, METHOD_BUFFERED, FILE_READ_ACCESS)
 *     #define IOCTL_RESET      CTL_CODE(0x8000, 0x803, METHOD_BUFFERED, FILE_READ_ACCESS)
 *     // good: a function code of its own (an alias `#define IOCTL_OLD IOCTL_NEW` is fine)
 *     #define IOCTL_RESET      CTL_CODE(0x8000, 0x805, METHOD_BUFFERED, FILE_WRITE_ACCESS)
 */

import { describeIoctl, hex, isMicrosoftCode, type IoctlDef } from '../ioctl';
import { nameEnd, workspaceCheck } from './context';

/** Follows `#define A B` aliases to the IOCTL that really defines the code. */
function root(d: IoctlDef, byName: Map<string, IoctlDef[]>): string {
  let name = d.name;
  let cur: IoctlDef | undefined = d;
  for (let i = 0; i < 16 && cur?.aliasOf; i++) {
    name = cur.aliasOf;
    cur = byName.get(name)?.[0];
  }
  return name;
}

export const duplicateIoctlCode = workspaceCheck('duplicate-ioctl-code', (facts, report) => {
  const byName = new Map<string, IoctlDef[]>();
  for (const d of facts.ioctls) {
    const list = byName.get(d.name);
    if (list) list.push(d);
    else byName.set(d.name, [d]);
  }
  const byValue = new Map<number, IoctlDef[]>();
  for (const d of facts.ioctls) {
    // Two names for one of Microsoft's codes are the SDK's business, not a clash in the driver.
    if (isMicrosoftCode(d.code)) continue;
    const list = byValue.get(d.code.value);
    if (list) list.push(d);
    else byValue.set(d.code.value, [d]);
  }
  for (const [value, defs] of byValue) {
    if (defs.length < 2) continue;
    // Distinct roots: an alias, or the same macro defined in two headers, is no duplicate.
    const firstByRoot = new Map<string, IoctlDef>();
    for (const d of defs) {
      const r = root(d, byName);
      if (!firstByRoot.has(r)) firstByRoot.set(r, d);
    }
    if (firstByRoot.size < 2) continue;
    const [first, ...rest] = [...firstByRoot.values()];
    for (const d of rest) {
      if (!facts.inScope(d.loc.file)) continue;
      report({
        symbol: d.name,
        args: { ioctl: d.name, value: hex(value, 8), other: first.name },
        loc: d.loc,
        end: nameEnd(d.loc, d.name),
        related: [{ loc: first.loc, message: `${first.name} is ${describeIoctl(first.code)}` }],
      });
    }
  }
});
