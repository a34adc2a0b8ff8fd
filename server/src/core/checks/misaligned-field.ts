/**
 * misaligned-field: in a boundary type, a member at an offset that is not a
 * multiple of its natural alignment on some ABI (usually `#pragma pack`).
 * The driver then reads it unaligned (a fault on some paths, a silent split
 * access on others), and a shadow must reproduce the packing exactly.
 *
 *     // bad: Count sits at offset 1
 *     #include <pshpack1.h>
 *     typedef struct _STATS { UCHAR Channel; ULONG Count; } STATS;
 *     #include <poppack.h>
 *     // good: order members by size, or declare the member UNALIGNED on purpose
 *     typedef struct _STATS { ULONG Count; UCHAR Channel; } STATS;
 */

import type { FieldDecl } from '../ast';
import { counterpart, misalignedMembers } from '../wow64';
import { boundaryInScope, nameEnd, recordLoc, unitCheck } from './context';

export const misalignedField = unitCheck('misaligned-field', (facts, report) => {
  const { pair } = facts;
  for (const b of boundaryInScope(facts)) {
    // Per member: the ABIs on which it is misaligned, with offset and alignment.
    const found = new Map<string, { abis: string[]; offset: number; align: number; decl: FieldDecl }>();
    const narrowRecord = counterpart(b.record, pair.narrow);
    const entries = [
      ...misalignedMembers(pair.narrow.layout, narrowRecord ?? b.record).map((e) => ({ ...e, abi: pair.narrowAbi })),
      ...misalignedMembers(pair.wide.layout, b.record).map((e) => ({ ...e, abi: pair.wideAbi })),
    ];
    for (const e of entries) {
      const key = `${e.member.name}\0${e.member.offset}\0${e.align}`;
      const f = found.get(key);
      if (f) f.abis.push(e.abi);
      else found.set(key, { abis: [e.abi], offset: e.member.offset, align: e.align, decl: e.member.decl });
    }
    const reported = new Set<string>();
    for (const [key, f] of found) {
      const member = key.split('\0')[0];
      if (reported.has(member)) continue;
      reported.add(member);
      // Prefer the wide declaration's location (the driver's view).
      const wideEntry = entries.find((e) => e.member.name === member && e.abi === pair.wideAbi);
      const decl = wideEntry?.member.decl ?? f.decl;
      report({
        symbol: b.name,
        args: { type: b.name, member, memberType: decl.typeText, offset: f.offset, abis: f.abis.join(' and '), align: f.align },
        loc: decl.nameLoc,
        end: nameEnd(decl.nameLoc, decl.name ?? ''),
        related: [{ loc: recordLoc(b.record), message: `'${b.name}' crosses the user/kernel boundary` }],
      });
    }
  }
});
