/**
 * probe-alignment: `ProbeForRead/ProbeForWrite` with the alignment of a type
 * whose alignment differs between the 32-bit and 64-bit ABIs, outside a
 * 32-bit branch. A 32-bit caller aligns the buffer for its own ABI, so the
 * probe raises STATUS_DATATYPE_MISALIGNMENT for valid requests.
 *
 *     // bad: __alignof(SESSION) is 8 on x64, 4 on x86
 *     ProbeForRead(p, sizeof(SESSION), TYPE_ALIGNMENT(SESSION));
 *     // good
 *     ProbeForRead(p, len, IoIs32bitProcess(Irp) ? TYPE_ALIGNMENT(SESSION32) : TYPE_ALIGNMENT(SESSION));
 */

import { typeInfoByName } from '../wow64';
import { dispatchFlow, pathToUse, unguardedUses, unitCheck } from './context';

export const probeAlignment = unitCheck('probe-alignment', (facts, report) => {
  const { pair } = facts;
  const seen = new Set<string>();
  for (const { use, dispatchCase: c, routine } of unguardedUses(facts, ['probe'])) {
    const key = `${use.loc.file}\0${use.loc.offset}`;
    if (seen.has(key)) continue;
    const wide = typeInfoByName(pair.wide, use.typeName);
    const narrow = typeInfoByName(pair.narrow, use.typeName);
    if (!wide || !narrow || wide.align === narrow.align) continue;
    seen.add(key);
    const flow = dispatchFlow(routine, c, use);
    report({
      symbol: use.record ?? use.typeName,
      args: { call: use.call ?? 'ProbeForRead', type: use.typeName, wideAbi: pair.wideAbi, wideAlign: wide.align, narrowAlign: narrow.align },
      loc: use.loc,
      end: use.end,
      related: [...(c.labels[0]?.name ? [{ loc: c.labels[0].loc, message: `in the case for ${c.labels[0].name}` }] : []), ...pathToUse(c, flow)],
      flow,
    });
  }
});
