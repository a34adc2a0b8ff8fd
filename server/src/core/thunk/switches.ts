/**
 * Discriminated unions: a union whose live arm an earlier member of the same
 * record selects, as `HTTP_DATA_CHUNK`'s `DataChunkType` selects
 * `FromMemory`, `FromFileHandle` or `FromFragmentCache`. The generator
 * converts such a union with a `switch` on that member, each arm deep.
 *
 * Which member and which values:
 *  - an annotation: `@switch Member` in a comment on the union member (or
 *    `@switch Union Member` on the record) names the discriminator;
 *    `@case VALUE[, VALUE]` on an arm names the values selecting it;
 *  - else the names: an earlier member of enum type whose constants end with
 *    an arm's name, word for word (`HttpDataChunkFromMemory` ends with the
 *    words of `FromMemory`; `HttpDataChunkFromFragmentCacheEx` does not end
 *    with those of `FromFragmentCache`). The nearest such member wins.
 *
 * Invariant: names and comments only; the plan evaluates the constants.
 */

import type { EnumDecl } from '../ast';

/** `HttpDataChunkFromMemory` -> ['http', 'data', 'chunk', 'from', 'memory']; `FROM_MEMORY` -> ['from', 'memory']. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .split(/_+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

function endsWithWords(name: string[], suffix: string[]): boolean {
  if (suffix.length === 0 || suffix.length > name.length) return false;
  const start = name.length - suffix.length;
  return suffix.every((w, i) => name[start + i] === w);
}

/**
 * The enum's constants naming each arm: for every constant, the arm whose
 * words end it (the longest such arm, so `...FromFragmentCacheEx` picks an
 * arm `FromFragmentCacheEx` over `FromFragmentCache` when both exist).
 * Arms no constant names are absent.
 */
export function armsNamedBy(decl: EnumDecl, arms: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const armWords = arms.map((a) => ({ arm: a, words: words(a) }));
  for (const constant of decl.enumerators ?? []) {
    const name = words(constant.name);
    let best: { arm: string; words: string[] } | undefined;
    for (const a of armWords) if (endsWithWords(name, a.words) && (!best || a.words.length > best.words.length)) best = a;
    if (!best) continue;
    const list = out.get(best.arm) ?? [];
    list.push(constant.name);
    out.set(best.arm, list);
  }
  return out;
}

const switchComment = /@switch\s+([A-Za-z_]\w*)(?:[ \t]+([A-Za-z_]\w*))?/g;

/** `@switch Member` on the union member, or `@switch Union Member` on the record (`union` is the union member's name, if any). */
export function annotatedSwitch(onMember: string[], onRecord: string[], union: string | undefined): string | undefined {
  for (const text of onMember) {
    switchComment.lastIndex = 0;
    const m = switchComment.exec(text);
    if (m) return m[2] && m[1] === union ? m[2] : m[1];
  }
  for (const text of onRecord) {
    switchComment.lastIndex = 0;
    for (let m = switchComment.exec(text); m; m = switchComment.exec(text)) if (m[2] && m[1] === union) return m[2];
  }
  return undefined;
}

/** `@case A, B` on an arm: the values selecting it. */
export function annotatedCases(onArm: string[]): string[] {
  for (const text of onArm) {
    const m = /@case\s+([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)/.exec(text);
    if (m) return m[1].split(/\s*,\s*/);
  }
  return [];
}
