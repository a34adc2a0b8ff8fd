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

import { isShadowRecord, recordNamed, translationVerdict } from '../wow64';
import { described } from './catalogue';
import { type Check, type RawFinding, dispatchFlow, pathToUse, unguardedUses } from './context';

export const nativeSizeCheck: Check = {
  id: 'native-size-check',
  scope: 'unit',
  run(facts) {
    const out: RawFinding[] = [];
    const { pair } = facts;
    const seen = new Set<string>();
    for (const { use, dispatchCase: c, routine } of unguardedUses(facts)) {
      if ((use.kind !== 'size-check' && use.kind !== 'retrieve') || !use.record) continue;
      const key = `${use.loc.file}\0${use.loc.offset}\0${use.record}`;
      if (seen.has(key)) continue;
      const record = recordNamed(pair.wide, use.record);
      if (!record || isShadowRecord(pair, record)) continue;
      const verdict = translationVerdict(pair, record);
      // A length compared with a size both ABIs share is right for 32-bit callers too.
      if (!verdict?.needs || verdict.narrowSize === verdict.wideSize) continue;
      seen.add(key);
      const ioctl = c.labels.map((l) => l.name).find((n) => n);
      const flow = dispatchFlow(routine, c, use);
      out.push({
        rule: 'native-size-check',
        symbol: use.record,
        ...described('native-size-check', {
          type: use.record,
          wideSize: verdict.wideSize,
          narrowSize: verdict.narrowSize,
          wideAbi: pair.wideAbi,
          consequence: verdict.narrowSize < verdict.wideSize ? 'rejected' : 'read past the checked length',
        }),
        loc: use.loc,
        end: use.end,
        related: [
          { loc: record.nameLoc ?? record.loc, message: `'${use.record}' is ${verdict.narrowSize} bytes on ${pair.narrowAbi} and ${verdict.wideSize} on ${pair.wideAbi}` },
          ...(ioctl ? [{ loc: c.labels[0].loc, message: `in the case for ${ioctl}` }] : []),
          ...pathToUse(c, flow),
        ],
        flow,
      });
    }
    return out;
  },
};
