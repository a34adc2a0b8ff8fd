/**
 * Array helpers that stay correct at any size. `target.push(...items)` and
 * `Math.max(...values)` pass every element as a call argument, and V8
 * throws `RangeError: Maximum call stack size exceeded` past roughly a
 * hundred thousand of them: a header with 150,000 IOCTL macros or 130,000
 * bad lines produced that many findings or diagnostics. Nothing in
 * `server/src` spreads an array into a call (test/nospread.test.ts keeps it
 * so); these loops are what it uses instead.
 */

/** Appends `items` to `target`, one at a time; returns `target`. */
export function append<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** The largest of `values`, or `floor` when there are none (or all are smaller). */
export function maxOf(floor: number, values: Iterable<number>): number {
  let max = floor;
  for (const v of values) if (v > max) max = v;
  return max;
}

/** The smallest of `values`, or `ceiling` when there are none (or all are larger). */
export function minOf(ceiling: number, values: Iterable<number>): number {
  let min = ceiling;
  for (const v of values) if (v < min) min = v;
  return min;
}
