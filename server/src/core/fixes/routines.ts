/**
 * Generate capture and write-back routines (for `unthunked-pointer`): the
 * thunk generator's source pieces (pool tag, release, capture, write-back),
 * placed before the dispatch routine that uses the type when the unit has
 * one, else right after the shadow. A missing shadow is generated too, so
 * the result always compiles.
 *
 *     // before: a dispatch routine reading OPEN, no shadow, no routines
 *     NTSTATUS DispatchDeviceControl(PDEVICE_OBJECT Device, PIRP Irp) { ... }
 *     // after
 *     NTSTATUS CaptureOpen32(_In_ const OPEN32 *Shadow, _Out_ POPEN Native) { ... }
 *     NTSTATUS WriteBackOpen32(_In_ const OPEN *Native, _Out_ POPEN32 Shadow) { ... }
 *     NTSTATUS DispatchDeviceControl(PDEVICE_OBJECT Device, PIRP Irp) { ... }
 *
 * Idempotent: routines the unit already defines are not generated again
 * (the generator checks), nor is code already present in the target file.
 *
 * Generate the receive path does the same with `Marshal<T>32` and the
 * `Store<X>32` routines it uses (thunk/marshal.ts).
 */

import { displayName } from '../names';
import type { PieceKind, ThunkResult } from '../thunk/index';
import { cxxQualifier } from './cxx';
import { EditSet } from './edits';
import { beforeFunction, factsOf, functionDefinition } from './place';
import { addShadowEdits, thunksFor } from './shadow';
import type { CodeFix, FindingRef, FixContext } from './types';

/** The dispatch routine (name, file) that uses `type` as a buffer, if the unit has one. */
export function dispatchUsing(ctx: FixContext, type: string): { name: string; file: string } | undefined {
  for (const routine of factsOf(ctx.analysis).routines) {
    if (routine.loc.file.startsWith('<')) continue;
    if (routine.cases.some((c) => c.uses.some((u) => u.record === type))) return { name: routine.name, file: routine.loc.file };
  }
  return undefined;
}

/** The routine pieces of each fix: capture, release and write-back; or the receive path. */
const routineKinds: Record<'routines' | 'receive', ReadonlySet<PieceKind>> = {
  routines: new Set(['pool-tag', 'release', 'capture', 'write-back']),
  receive: new Set(['output-helpers', 'store', 'marshal']),
};

/** Adds the routines' pieces (and the shadow when missing). Returns false when there is nothing to add. */
export function addRoutineEdits(
  ctx: FixContext,
  edits: EditSet,
  r: ThunkResult,
  options: { dispatch?: { name: string; file: string }; kinds?: 'routines' | 'receive' } = {},
): boolean {
  const root = r.plan.root;
  if (!root) return false;
  const place = addShadowEdits(edits, r);
  const kinds = routineKinds[options.kinds ?? 'routines'];
  const blocks = r.pieces.filter((p) => p.placement === 'source' && kinds.has(p.kind)).map((p) => p.text);
  if (blocks.length === 0) return false;
  const type = displayName(root.native) ?? root.nativeName;
  const dispatch = options.dispatch ?? dispatchUsing(ctx, type);
  const fn = dispatch && functionDefinition(ctx.analysis, dispatch.name);
  const text = fn && edits.text(fn.loc.file);
  // Before the dispatch routine, perhaps outside the records' namespace: C++ names them qualified.
  const qualify = cxxQualifier(ctx, r.plan);
  if (fn && text !== undefined) return edits.insertBlocksBeforeLine(fn.loc.file, beforeFunction(text, fn.loc.offset), blocks.map(qualify));
  if (!place) return false;
  return edits.insertBlocksAfterLine(place.file, place.offset, blocks);
}

/**
 * Generate the receive path (for `unthunked-pointer` on a type that points to
 * other data, unless every IOCTL that names it only sends it in):
 * `Marshal<T>32`, which writes T and everything it points to into a 32-bit
 * caller's output buffer, with the `Store<X>32` routines it uses.
 */
export function generateReceiveFix(ctx: FixContext, finding: FindingRef): CodeFix[] {
  const directions = factsOf(ctx.analysis).ioctls.flatMap((d) => d.buffers.filter((b) => b.type === finding.symbol).map((b) => b.direction));
  if (directions.length && directions.every((d) => d === 'in')) return [];
  const r = thunksFor(ctx, finding.symbol, ctx.style, 'out');
  if (r.error || r.identical || !r.plan.root || !r.routines?.marshal) return [];
  const edits = new EditSet(ctx);
  if (!addRoutineEdits(ctx, edits, r, { kinds: 'receive' })) return [];
  const type = r.plan.root.nativeName;
  return [
    {
      title: `Generate the receive path ${r.routines.marshal} (writes ${type} and what it points to into a 32-bit caller's output buffer)`,
      kind: 'quickfix',
      edits: edits.edits(),
    },
  ];
}

export function generateRoutinesFix(ctx: FixContext, finding: FindingRef): CodeFix[] {
  const r = thunksFor(ctx, finding.symbol);
  if (r.error || r.identical || !r.plan.root || !r.routines) return [];
  const edits = new EditSet(ctx);
  if (!addRoutineEdits(ctx, edits, r)) return [];
  const names = [r.routines.capture, r.routines.writeBack].join(' and ');
  const withShadow = r.plan.root.status === 'generate' ? ' (with the 32-bit shadow)' : '';
  return [{ title: `Generate capture and write-back routines ${names}${withShadow}`, kind: 'quickfix', edits: edits.edits() }];
}
