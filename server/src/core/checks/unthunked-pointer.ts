/**
 * unthunked-pointer: a type crosses the user/kernel boundary, a 32-bit
 * caller lays it out differently, and the driver has no 32-bit shadow to
 * read it with.
 *
 *     // bad: 20 bytes from a 32-bit caller, 40 in the x64 driver
 *     typedef struct _OPEN { ULONG Version; HANDLE Event; UNICODE_STRING Name; } OPEN;
 *     #define IOCTL_OPEN CTL_CODE(0x8000, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS) // @in OPEN
 *
 *     // good: the shadow the driver reads when IoIs32bitProcess(Irp)
 *     typedef struct _OPEN32 { ULONG Version; VOID * POINTER_32 Event; UNICODE_STRING32 Name; } OPEN32;
 */

import { translationVerdict, isShadowRecord } from '../wow64';
import { boundaryInScope, describeCauses, describeDifference, dispatchFlow, recordNameSpan, type Related, unitCheck } from './context';

export const unthunkedPointer = unitCheck('unthunked-pointer', (facts, report) => {
  const { pair } = facts;
  for (const b of boundaryInScope(facts)) {
    const record = b.record;
    if (facts.shadows.some((s) => s.native === record) || isShadowRecord(pair, record)) continue;
    const verdict = translationVerdict(pair, record);
    if (!verdict?.needs) continue;
    const related: Related[] = [];
    // The first dispatch use proves it crosses: registration, case, calls, use.
    const first = b.reasons.find((r) => r.kind === 'dispatch');
    const flow = first?.kind === 'dispatch' ? dispatchFlow(first.path.routine, first.path.dispatchCase, first.use) : undefined;
    for (const r of b.reasons) {
      if (r.kind === 'annotation') related.push({ loc: r.loc, message: `${r.ioctl} passes it (@${r.direction})` });
      else if (r.kind === 'dispatch') related.push({ loc: r.use.loc, message: `${r.routine} uses it as ${r.ioctl ?? 'an IOCTL'}'s buffer` });
      else related.push({ loc: r.loc, message: `${r.from}.${r.member} points to it` });
    }
    if (verdict.cause?.loc) related.push({ loc: verdict.cause.loc, message: describeDifference(verdict.cause, pair) });
    const { narrowSize, wideSize } = verdict;
    report({
      symbol: b.name,
      args: { type: b.name, narrowSize, wideSize, narrowAbi: pair.narrowAbi, wideAbi: pair.wideAbi, cause: describeCauses(verdict, pair) },
      ...recordNameSpan(record, b.name),
      related,
      ...(flow ? { flow } : {}),
    });
  }
});
