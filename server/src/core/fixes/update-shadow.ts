/**
 * Update shadow (for `stale-shadow`): the corrected shadow, from the thunk
 * generator, replaces the stale declaration in place (its exact
 * `typedef ... ;` range), under the same names; its layout guards follow
 * unless the file already has them.
 *
 *     // before: Context stayed ULONG_PTR (8 bytes in the x64 driver)
 *     typedef struct _REQ32 { ULONG Id; VOID * POINTER_32 Buffer; ULONG_PTR Context; } REQ32;
 *     // after
 *     typedef struct _REQ32 { ULONG Id; VOID * POINTER_32 Buffer; ULONG Context; /+ ULONG_PTR +/ } REQ32;
 *
 * Idempotent: the replaced shadow matches, so the finding is gone.
 */

import { displayName } from '../names';
import { EditSet } from './edits';
import { afterDeclaration, factsOf } from './place';
import { replaceShadowEdits, thunksFor } from './shadow';
import type { CodeFix, FindingRef, FixContext } from './types';

export function updateShadowFix(ctx: FixContext, finding: FindingRef): CodeFix[] {
  const shadow = factsOf(ctx.analysis).facts?.shadows.find((s) => displayName(s.shadow) === finding.symbol);
  if (!shadow) return [];
  const native = displayName(shadow.native);
  if (!native) return [];
  // Keep the user's spelling of pointers: a shadow written with POINTER_32 is corrected with POINTER_32.
  const written = ctx.text(shadow.shadow.loc.file)?.slice(shadow.shadow.loc.offset, shadow.shadow.endLoc?.offset ?? shadow.shadow.loc.offset) ?? '';
  const r = thunksFor(ctx, native, /\bPOINTER_32\b|__ptr32/.test(written) ? 'pointer32' : ctx.style);
  const piece = r.pieces.find((p) => p.kind === 'shadow' && p.replaces && p.name === finding.symbol);
  if (!piece) return [];
  const edits = new EditSet(ctx);
  if (!replaceShadowEdits(edits, r, piece)) return [];
  const guard32 = r.pieces.find((p) => p.kind === 'pointer32-guard');
  // The POINTER_32 width guard goes with the shadow's own guards, after the declaration.
  if (guard32 && piece.replaces) edits.insertBlocksAfterLine(piece.replaces.file, afterDeclaration(ctx.text(piece.replaces.file) ?? '', piece.replaces.end.offset - 1), [guard32.text]);
  return [{ title: `Update shadow '${finding.symbol}' to match ${native}`, kind: 'quickfix', edits: edits.edits(), preferred: true }];
}
