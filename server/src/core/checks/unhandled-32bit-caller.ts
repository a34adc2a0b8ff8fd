/**
 * unhandled-32bit-caller: a dispatch case uses as its buffer a type that a
 * 32-bit caller lays out differently, and nothing in the case (or before the
 * switch) asks whether the caller is 32-bit.
 *
 *     // bad
 *     case IOCTL_OPEN:
 *         open = (POPEN)Irp->AssociatedIrp.SystemBuffer;   // 20 bytes from x86, read as 40
 *         break;
 *     // good
 *     case IOCTL_OPEN:
 *         if (IoIs32bitProcess(Irp)) { open32 = (POPEN32)Irp->AssociatedIrp.SystemBuffer; ... }
 *         else { open = (POPEN)Irp->AssociatedIrp.SystemBuffer; ... }
 */

import { vocabulary } from '../dispatch';
import { dispatchFlow, nameEnd, pathToUse, type Related, sizesOn, unitCheck, usedRecord } from './context';

const { wow64TestSpelling } = vocabulary;

export const unhandled32bitCaller = unitCheck('unhandled-32bit-caller', (facts, report) => {
  const { pair } = facts;
  for (const routine of facts.routines) {
    const test = wow64TestSpelling[routine.framework];
    for (const c of routine.cases) {
      if (c.tests.length > 0) continue;
      const label = c.labels[0];
      if (!facts.inScope(label.loc.file)) continue;
      const reported = new Set<string>();
      for (const use of c.uses) {
        if (!use.record || use.guard === 'wow64' || reported.has(use.record)) continue;
        const used = usedRecord(pair, use.record);
        if (!used?.verdict.needs) continue;
        reported.add(use.record);
        const ioctl = c.labels.map((l) => l.name).find((n) => n) ?? `case ${label.value !== undefined ? '0x' + label.value.toString(16).toUpperCase() : '?'}`;
        const flow = dispatchFlow(routine, c, use);
        // The use first (what the message is about), then the record, then the path that leads there.
        const related: Related[] = [flow[flow.length - 1], sizesOn(pair, use.record, used), ...pathToUse(c, flow)];
        const def = facts.ioctls.find((d) => d.name === ioctl);
        if (def) related.push({ loc: def.loc, message: `${ioctl} is defined here` });
        const { narrowSize, wideSize } = used.verdict;
        report({
          symbol: ioctl,
          args: { ioctl, type: use.record, test, narrowSize, wideSize, narrowAbi: pair.narrowAbi, wideAbi: pair.wideAbi },
          loc: label.loc,
          end: nameEnd(label.loc, label.name ?? ''),
          related,
          flow,
        });
      }
    }
  }
});
