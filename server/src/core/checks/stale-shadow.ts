/**
 * stale-shadow: a 32-bit shadow whose 64-bit layout is not the native type's
 * 32-bit layout: a member missing or extra, at another offset, of another
 * size, or a different total size. The driver then reads a 32-bit caller's
 * buffer through the wrong offsets.
 *
 *     typedef struct _REQ   { ULONG Id; PVOID Buffer; ULONG Length; } REQ;
 *     // bad: PVOID is 8 bytes in the x64 driver, so Length lands at 16, not 8
 *     typedef struct _REQ32 { ULONG Id; PVOID Buffer; ULONG Length; } REQ32;
 *     // good
 *     typedef struct _REQ32 { ULONG Id; VOID * POINTER_32 Buffer; ULONG Length; } REQ32;
 */

import { displayName } from '../names';
import { compareShadow, type ShadowMismatch, translationVerdict } from '../wow64';
import { type Related, recordLoc, recordNameSpan, unitCheck } from './context';

function describe(m: ShadowMismatch): string {
  switch (m.what) {
    case 'missing':
      return `member ${m.member} is missing`;
    case 'extra':
      return `member ${m.member} is not in the native type`;
    case 'offset':
      return `${m.member} is at offset ${m.shadow!.offset} in the shadow but ${m.native!.offset} in the native type`;
    case 'size':
      return `${m.member} is ${m.shadow!.size} bytes in the shadow but ${m.native!.size} in the native type`;
    case 'bits':
      return `${m.member} is bits ${m.shadow!.bitOffset ?? 0}..${(m.shadow!.bitOffset ?? 0) + (m.shadow!.bitWidth ?? 0) - 1} in the shadow but ${m.native!.bitOffset ?? 0}..${(m.native!.bitOffset ?? 0) + (m.native!.bitWidth ?? 0) - 1} in the native type`;
    case 'record-size':
      return `the sizes differ`;
    case 'align':
      return `the shadow is aligned to ${m.shadow!.size} bytes but the native type to ${m.native!.size}`;
  }
}

export const staleShadow = unitCheck('stale-shadow', (facts, report) => {
  const { pair } = facts;
  for (const s of facts.shadows) {
    if (!facts.inScope(recordLoc(s.shadow).file)) continue;
    // A `T32` named only by convention is no WOW64 shadow when T itself reads the same on both ABIs.
    if (s.via === 'name' && translationVerdict(pair, s.native)?.needs === false) continue;
    const cmp = compareShadow(pair, s);
    if (!cmp || cmp.mismatches.length === 0) continue;
    const members = cmp.mismatches.filter((m) => m.member !== '');
    const first = members[0] ?? cmp.mismatches[0];
    const type = displayName(s.native) ?? '';
    const shadow = displayName(s.shadow) ?? '';
    const related: Related[] = [{ loc: recordLoc(s.native), message: `the native type '${type}'` }];
    if (s.evidence) related.push({ loc: s.evidence, message: s.via === 'annotation' ? `declared its shadow here` : `used as its shadow here` });
    for (const m of members) if (m.loc) related.push({ loc: m.loc, message: describe(m) });
    const more = members.length > 1 ? `, and ${members.length - 1} more difference${members.length > 2 ? 's' : ''}` : '';
    report({
      symbol: shadow,
      args: {
        shadow,
        type,
        narrowAbi: pair.narrowAbi,
        wideAbi: pair.wideAbi,
        difference: describe(first),
        more,
        shadowSize: cmp.shadowSize,
        nativeSize: cmp.nativeSize,
      },
      ...recordNameSpan(s.shadow, shadow),
      related,
    });
  }
});
