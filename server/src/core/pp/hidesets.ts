/**
 * Hide sets (Prosser's algorithm, C11 6.10.3.4): the names of the macros that
 * must not expand a token again. They are interned, so two hide sets with the
 * same names built the same way are the same object, and adding a name or
 * another set is a cached lookup; a token with an empty hide set has none.
 */

/** An interned hide set, with its cached unions. */
export class HideSet extends Set<string> {
  readonly plusName = new Map<string, HideSet>();
  readonly plusSet = new Map<HideSet, HideSet>();
}

export interface HideSets {
  /** `hs + {name}`. */
  with(hs: ReadonlySet<string> | undefined, name: string): HideSet;
  union(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): HideSet | undefined;
  intersect(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): HideSet | undefined;
}

/** A fresh interning table (one per preprocessor run). */
export function hideSets(): HideSets {
  const interned = new Map<string, HideSet>();
  const intern = (names: string[]): HideSet | undefined => {
    if (names.length === 0) return undefined;
    names.sort();
    const key = names.join(' ');
    let s = interned.get(key);
    if (s === undefined) {
      s = new HideSet(names);
      interned.set(key, s);
    }
    return s;
  };
  const own = (hs: ReadonlySet<string> | undefined): HideSet | undefined =>
    hs === undefined || hs.size === 0 ? undefined : hs instanceof HideSet ? hs : intern([...hs]);
  // `{name}` alone is the commonest hide set (a macro invoked from source);
  // a direct map skips building and joining a one-name key for it.
  const singles = new Map<string, HideSet>();
  return {
    with(hs0, name) {
      const hs = own(hs0);
      if (hs === undefined) {
        let r = singles.get(name);
        if (r === undefined) singles.set(name, (r = intern([name])!));
        return r;
      }
      let r = hs.plusName.get(name);
      if (r === undefined) {
        r = hs.has(name) ? hs : intern([...hs, name])!;
        hs.plusName.set(name, r);
      }
      return r;
    },
    union(a0, b0) {
      const a = own(a0);
      const b = own(b0);
      if (a === undefined) return b;
      if (b === undefined || a === b) return a;
      let r = a.plusSet.get(b);
      if (r === undefined) {
        r = intern([...new Set([...a, ...b])])!;
        a.plusSet.set(b, r);
      }
      return r;
    },
    intersect(a0, b0) {
      const a = own(a0);
      const b = own(b0);
      if (a === undefined || b === undefined) return undefined;
      if (a === b) return a;
      const names: string[] = [];
      for (const n of a) if (b.has(n)) names.push(n);
      return intern(names);
    },
  };
}
