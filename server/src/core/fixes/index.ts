/**
 * Fixes for the rule catalogue's findings, and refactors on records.
 *
 * A finding carries its fixes (STYLE.md, after clangd): `createFixIndex`
 * takes an analysed unit and its findings, and answers each finding's fixes,
 * computed at most once per (analysis, finding) — a code action request
 * looks them up by rule and place instead of re-analysing. Refactors split
 * a cheap availability test from the edit (refactors.ts).
 *
 * | rule | fixes |
 * |---|---|
 * | unthunked-pointer | Generate 32-bit shadow; Generate capture and write-back routines; Generate the receive path; Make layout-invariant |
 * | stale-shadow | Update shadow |
 * | unhandled-32bit-caller, native-size-check | Handle 32-bit callers |
 * | probe-alignment | Probe with the 32-bit alignment in a 32-bit branch |
 * | misaligned-field | Declare UNALIGNED; Insert explicit padding; Reorder members |
 * | every rule | Suppress with `// ioctl-lens-ignore RULE` |
 *
 * Invariant: pure, like the rest of core/: edits are offsets into the texts
 * `FixContext.text` returns; nothing here reads files or knows LSP.
 */

import { handle32Fix } from './handle32';
import { layoutInvariantFix } from './invariant';
import { misalignedFixes } from './misaligned';
import { probeAlignmentFix } from './probe';
import { insertLayoutGuards, recordAtOffset, showLayout } from './refactors';
import { generateReceiveFix, generateRoutinesFix } from './routines';
import { generateShadowFix } from './shadow';
import { suppressFix } from './suppress';
import type { CodeFix, FindingRef, FixContext } from './types';
import { updateShadowFix } from './update-shadow';
import { append } from '../arrays';

export type { CodeFix, FindingRef, FixContext, FixEdit, FixKind } from './types';
export { detectStyle, type TextStyle } from './text';
export { recordAtOffset };

/** Every fix of one finding, most useful first; the suppression comes last. */
export function fixesForFinding(ctx: FixContext, f: FindingRef): CodeFix[] {
  const out: CodeFix[] = [];
  switch (f.rule) {
    case 'unthunked-pointer':
      append(out, [...generateShadowFix(ctx, f), ...generateRoutinesFix(ctx, f), ...generateReceiveFix(ctx, f), ...layoutInvariantFix(ctx, f)]);
      break;
    case 'stale-shadow':
      append(out, updateShadowFix(ctx, f));
      break;
    case 'unhandled-32bit-caller':
    case 'native-size-check':
      append(out, handle32Fix(ctx, f));
      break;
    case 'probe-alignment':
      append(out, probeAlignmentFix(ctx, f));
      break;
    case 'misaligned-field':
      append(out, misalignedFixes(ctx, f));
      break;
  }
  append(out, suppressFix(ctx, f));
  return out;
}

export function findingKey(f: FindingRef): string {
  return `${f.rule}\0${f.loc.file}\0${f.loc.offset}\0${f.symbol}`;
}

export interface FixIndex {
  readonly findings: readonly FindingRef[];
  /** Findings of `rule` (any rule when undefined) that start at `line`/`col` (1-based) in `file`. */
  findingsAt(file: string, line: number, col: number, rule?: string): FindingRef[];
  fixes(f: FindingRef): CodeFix[];
}

/** The fixes of a unit's findings, computed lazily and kept with the index (one index per analysed document). */
export function createFixIndex(ctx: FixContext, findings: readonly FindingRef[]): FixIndex {
  const cache = new Map<string, CodeFix[]>();
  return {
    findings,
    findingsAt(file, line, col, rule) {
      return findings.filter((f) => f.loc.file === file && f.loc.line === line && f.loc.col === col && (rule === undefined || f.rule === rule));
    },
    fixes(f) {
      const key = findingKey(f);
      let list = cache.get(key);
      if (!list) cache.set(key, (list = fixesForFinding(ctx, f)));
      return list;
    },
  };
}

/** Refactors available at `offset` in the document (cheap to ask; edits computed only for the record there). */
export function refactorsAt(ctx: FixContext, offset: number): CodeFix[] {
  const out: CodeFix[] = [];
  const guards = insertLayoutGuards(ctx, offset);
  if (guards) out.push(guards);
  const layout = showLayout(ctx, offset);
  if (layout) out.push(layout);
  return out;
}
