/**
 * Generate 32-bit shadow (for `unthunked-pointer`): the thunk generator's
 * header pieces — the shadows the type needs, dependencies first, each with
 * its layout guards — inserted after the native type's declaration.
 *
 *     // before
 *     typedef struct _OPEN { ULONG Version; HANDLE Event; } OPEN, *POPEN;
 *     // after
 *     typedef struct _OPEN { ULONG Version; HANDLE Event; } OPEN, *POPEN;
 *
 *     typedef struct _OPEN32 { ULONG Version; ULONG Event; /+ HANDLE +/ } OPEN32, *POPEN32;
 *
 *     #if defined(_WIN64)
 *     C_ASSERT(sizeof(OPEN32) == 8); ...
 *     #endif
 *
 * Idempotent: once the shadow exists the finding is gone, and a piece whose
 * text is already in the file is never inserted again.
 */

import type { RecordDecl } from '../ast';
import { type ThunkPiece, type ThunkResult, type ThunkStyle, generateThunks } from '../thunk/index';
import { EditSet } from './edits';
import { afterDeclaration } from './place';
import { formatFor, indentationAt } from './text';
import type { CodeFix, FindingRef, FixContext } from './types';

const thunkCache = new WeakMap<object, Map<string, ThunkResult>>();

/** `generateThunks` once per (analysis, type, style, direction); `out` adds the receive path. */
export function thunksFor(ctx: FixContext, type: string, style: ThunkStyle | undefined = ctx.style, direction?: 'out'): ThunkResult {
  let byType = thunkCache.get(ctx.analysis);
  if (!byType) thunkCache.set(ctx.analysis, (byType = new Map()));
  const key = `${type}\0${style ?? 'ulong'}\0${direction ?? ''}`;
  let r = byType.get(key);
  if (!r) byType.set(key, (r = generateThunks(ctx.analysis, { type, style, direction })));
  return r;
}

/**
 * A corrected shadow replaces the stale declaration in place (same names),
 * re-indented like it; its guards follow unless the file has them.
 */
export function replaceShadowEdits(edits: EditSet, r: ThunkResult, piece: ThunkPiece): boolean {
  const range = piece.replaces;
  const text = range && edits.text(range.file);
  if (!range || text === undefined) return false;
  const style = edits.style(range.file);
  const base = indentationAt(text, range.start.offset);
  const replacement = formatFor(piece.text.replace(/\n+$/, ''), style, base).slice(base.length);
  edits.replace(range.file, range.start.offset, range.end.offset, replacement);
  const guards = r.pieces.find((p) => p.kind === 'guards' && p.type === piece.type);
  if (guards) edits.insertBlocksAfterLine(range.file, afterDeclaration(text, range.end.offset - 1), [guards.text]);
  return true;
}

/**
 * Adds the missing header pieces (pointer32 guard, shadows and their guards)
 * after the root type's declaration. Returns the place they go (file and
 * offset) — also when nothing was missing, pointing after the existing shadow.
 */
export function addShadowEdits(edits: EditSet, r: ThunkResult): { file: string; offset: number } | undefined {
  const root = r.plan.root;
  if (!root) return undefined;
  const file = root.native.loc.file;
  const text = edits.text(file);
  if (text === undefined) return undefined;
  // Stale shadows the type needs are corrected where they are; their guards go with them.
  const replaced = r.pieces.filter((p) => p.kind === 'shadow' && p.replaces);
  for (const p of replaced) replaceShadowEdits(edits, r, p);
  const replacedTypes = new Set(replaced.map((p) => p.type));
  const pieces = r.pieces.filter((p) => p.placement === 'header' && !p.replaces && !(p.kind === 'guards' && replacedTypes.has(p.type)));
  const anchorRecord = root.status === 'generate' || !root.existing ? root.native : root.existing;
  const anchorFile = anchorRecord.loc.file;
  const anchorText = edits.text(anchorFile) ?? text;
  const offset = afterEverythingUsed(r, anchorFile, anchorText, anchorRecord);
  edits.insertBlocksAfterLine(anchorFile, offset, pieces.map((p) => p.text));
  return { file: anchorFile, offset };
}

/**
 * Where generated code may go in `file`: after the anchor's declaration and
 * after every declaration in that file the code uses — each native record of
 * the plan, and each shadow used or corrected in place (the sample's stale
 * CONTOSO_REQUEST32 comes after CONTOSO_SUBMIT_BATCH).
 */
function afterEverythingUsed(r: ThunkResult, file: string, text: string, anchor: RecordDecl): number {
  let offset = afterDeclaration(text, (anchor.endLoc ?? anchor.loc).offset);
  for (const plan of r.plan.records) {
    for (const record of [plan.native, plan.status === 'generate' ? undefined : plan.existing]) {
      if (!record || record.loc.file !== file) continue;
      offset = Math.max(offset, afterDeclaration(text, (record.endLoc ?? record.loc).offset));
    }
  }
  return offset;
}

export function generateShadowFix(ctx: FixContext, finding: FindingRef): CodeFix[] {
  const r = thunksFor(ctx, finding.symbol);
  if (r.error || r.identical || !r.plan.root || r.plan.root.status !== 'generate') return [];
  const edits = new EditSet(ctx);
  addShadowEdits(edits, r);
  const list = edits.edits();
  if (list.length === 0) return [];
  const warnings = r.warnings.filter((w) => w.code !== 'stale-shadow').map((w) => w.message);
  return [
    {
      title: `Generate 32-bit shadow '${r.plan.root.shadow.name}'`,
      kind: 'quickfix',
      edits: list,
      preferred: true,
      warning: warnings.length ? warnings.join(' ') : undefined,
    },
  ];
}
