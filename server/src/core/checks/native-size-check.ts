/**
 * native-size-check: a buffer length compared with `sizeof(T)` for a type
 * that a 32-bit caller lays out differently, outside a 32-bit branch. A
 * 32-bit caller's smaller buffer is rejected (or, with a larger 32-bit
 * layout, the driver reads past what was checked).
 *
 *     // bad
 *     if (InputLength < sizeof(OPEN)) return STATUS_BUFFER_TOO_SMALL;
 *     // good
 *     if (InputLength < (IoIs32bitProcess(Irp) ? sizeof(OPEN32) : sizeof(OPEN))) ...
 *
 * A type of the same size on both ABIs is not reported (the check is right
 * for both; a differing member is `unhandled-32bit-caller`'s business).
 */

import { dispatchFlow, pathToUse, sizesOn, unguardedUses, unitCheck, usedRecord } from './context';

export const nativeSizeCheck = unitCheck('native-size-check', (facts, report) => {
  const { pair } = facts;
  const seen = new Set<string>();
  for (const { use, dispatchCase: c, routine } of unguardedUses(facts, ['size-check', 'retrieve'])) {
    if (!use.record) continue;
    const key = `${use.loc.file}\0${use.loc.offset}\0${use.record}`;
    if (seen.has(key)) continue;
    const used = usedRecord(pair, use.record);
    // A length compared with a size both ABIs share is right for 32-bit callers too.
    if (!used?.verdict.needs || used.verdict.narrowSize === used.verdict.wideSize) continue;
    seen.add(key);
    const { narrowSize, wideSize } = used.verdict;
    const ioctl = c.labels.map((l) => l.name).find((n) => n);
    const flow = dispatchFlow(routine, c, use);
    report({
      symbol: use.record,
      args: {
        type: use.record,
        wideSize,
        narrowSize,
        wideAbi: pair.wideAbi,
        consequence: narrowSize < wideSize ? 'rejected' : 'read past the checked length',
      },
      loc: use.loc,
      end: use.end,
      related: [sizesOn(pair, use.record, used), ...(ioctl ? [{ loc: c.labels[0].loc, message: `in the case for ${ioctl}` }] : []), ...pathToUse(c, flow)],
      flow,
    });
  }
});
