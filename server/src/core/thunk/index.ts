/**
 * `generateThunks`: WOW64 translation code for one native type `T`: the
 * shadows it needs (dependency order, once each, never a second definition
 * of an existing one), their layout guards, the capture / release /
 * write-back routines and, on request, the dispatch branch for an IOCTL case.
 *
 * The result is structured so a quick fix can place each piece where it
 * belongs (shadows and guards next to `T` in its header, routines in a `.c`
 * file, the dispatch branch in the `case`), and a corrected shadow *replaces*
 * the stale one's range. `text` is all pieces in order, as the CLI prints it.
 *
 * Invariant: pure; reads only the analysis it is given.
 */

import type { AbiName } from '../abi';
import type { Analysis } from '../analyze';
import { renderCapture } from './capture';
import { comment } from './cwriter';
import { type Direction, type DispatchKind, type DispatchNames, renderDispatch } from './dispatch';
import { type Guard, renderGuards, renderPointer32Guard, shadowGuards } from './guards';
import { type Plan, type RecordPlan, type ShadowStatus, type SourceRange, type ThunkStyle, type ThunkWarning, buildPlan, win64OnlyRecords } from './plan';
import { renderMarshal, renderOutputHelpers, renderStore } from './marshal';
import { selfCheck } from './selfcheck';
import { renderShadow } from './shadow';
import { renderRelease, renderWriteBack } from './writeback';
import { append } from '../arrays';

export type { ThunkStyle, ThunkWarning, SourceRange, ShadowStatus, DispatchKind, DispatchNames, Direction, Guard };
export { buildPlan } from './plan';

export interface ThunkOptions {
  /** The native type: typedef name or tag (`CONTOSO_SUBMIT_BATCH`, `_CONTOSO_SUBMIT_BATCH`). */
  type: string;
  /** Default `ulong`. */
  style?: ThunkStyle;
  /** Emit the dispatch branch for a WDM or KMDF device-control routine (default: none). */
  dispatch?: DispatchKind;
  /**
   * Which way the buffer travels (default `inout`). `out` also writes the
   * receive path for a type that points to other data: `Marshal<T>32`, which
   * writes the native record and everything it points to into a 32-bit
   * caller's output buffer (marshal.ts), used by the dispatch branch.
   */
  direction?: Direction;
  /** The names the dispatch routine uses (`Irp`, `IrpSp`, `Request`, `Status` by default), to match its style. */
  dispatchNames?: DispatchNames;
  /** The driver's ABI (default `x64`; its WOW64 peer comes from the ABI table). */
  native?: AbiName;
  /** C expression for the pool tag (default the macro `IOCTL_LENS_POOL_TAG`, defined when absent). */
  poolTag?: string;
  /** Default `POOL_FLAG_PAGED` (captures run at PASSIVE_LEVEL in the dispatch routine). */
  poolFlags?: string;
}

export type PieceKind =
  | 'pointer32-guard'
  | 'pool-tag'
  | 'shadow'
  | 'guards'
  | 'capture'
  | 'release'
  | 'write-back'
  | 'output-helpers'
  | 'store'
  | 'marshal'
  | 'dispatch';

export interface ThunkPiece {
  kind: PieceKind;
  /** The native type the piece serves. */
  type: string;
  /** What the piece defines: the shadow typedef or the routine name (empty for guards/macros). */
  name: string;
  text: string;
  /** `header`: next to the type; `source`: with the driver's code; `dispatch-case`: inside the IOCTL case. */
  placement: 'header' | 'source' | 'dispatch-case';
  /** A corrected shadow replaces this range (the stale declaration) rather than being inserted. */
  replaces?: SourceRange;
  /** Header pieces: the native type's definition, after which they go when inserted. */
  anchor?: SourceRange;
}

export interface ShadowResult {
  /** The native type (`CONTOSO_REQUEST`). */
  type: string;
  name: string;
  tag: string;
  pointer: string;
  status: ShadowStatus;
  /** For `replace`: the stale declaration's range and what is wrong with it. */
  replaces?: SourceRange;
  staleBecause?: string[];
  /** The peer layout the shadow must have, as guards (also for existing shadows). */
  guards: Guard[];
  /**
   * Generated (or corrected) shadows only: ioctl-lens's own front end re-read
   * the emitted text and found the native-ABI layout equal to the type's peer
   * layout (see selfcheck.ts).
   */
  verified?: boolean;
}

export interface ThunkResult {
  /** Every piece, in order, as one C text (the dispatch branch inside `#if 0`, as it is a fragment). */
  text: string;
  warnings: ThunkWarning[];
  shadows: ShadowResult[];
  pieces: ThunkPiece[];
  /** The root type's routine names (`release` only when capture allocates, `marshal` only for the receive path; none for a union). */
  routines?: { capture: string; writeBack: string; release?: string; marshal?: string };
  /** Unusable input (unknown type ...): nothing generated. */
  error?: string;
  /** The type has the same layout for 32-bit callers: nothing to generate. */
  identical?: boolean;
  /** The plan behind the text, for callers that want the member-level decisions. */
  plan: Plan;
}

const defaultPoolTag = 'IOCTL_LENS_POOL_TAG';

export interface ThunkAvailability {
  /** The type exists and needs translation: `generateThunks` has something to write. */
  available: boolean;
  /** Why not, for a code action's disabled reason. */
  reason?: string;
  /** The root shadow's status when available (`replace` means a stale shadow would be corrected). */
  status?: ShadowStatus;
}

/**
 * The cheap half of a quick fix (clangd's `prepare`): does `generateThunks`
 * have anything to write for this type? No text is rendered.
 */
export function prepareThunks(analysis: Analysis, options: Pick<ThunkOptions, 'type' | 'native' | 'style'>): ThunkAvailability {
  const plan = buildPlan(analysis, { type: options.type, style: options.style ?? 'ulong', native: options.native });
  if (plan.error || !plan.root) return { available: false, reason: plan.error ?? 'no plan' };
  if (plan.identical) return { available: false, reason: `${plan.root.nativeName} has the same layout for 32-bit callers` };
  return { available: true, status: plan.root.status };
}

function rangeOf(record: RecordPlan['native']): SourceRange {
  return { file: record.loc.file, start: record.loc, end: record.endLoc ?? record.loc };
}

export function generateThunks(analysis: Analysis, options: ThunkOptions): ThunkResult {
  const style = options.style ?? 'ulong';
  const plan = buildPlan(analysis, { type: options.type, style, native: options.native });
  const empty = { text: '', warnings: plan.warnings, shadows: [], pieces: [], plan };
  if (plan.error || !plan.root || !plan.peer || !plan.native) return { ...empty, error: plan.error ?? 'no plan' };
  if (plan.identical) {
    const note = `${plan.root.nativeName} has the same layout for ${plan.peer.abi.name} callers and ${plan.native.abi.name} code: no thunk is needed.`;
    return { ...empty, identical: true, text: comment(note).join('\n') + '\n' };
  }
  const peerAbi = plan.peer.abi.name;
  const nativeAbi = plan.native.abi.name;
  const poolTag = options.poolTag ?? defaultPoolTag;
  const poolFlags = options.poolFlags ?? 'POOL_FLAG_PAGED';
  const pieces: ThunkPiece[] = [];
  const generated = plan.records.filter((r) => r.status === 'generate' || r.status === 'replace');
  const root = plan.root;
  // Code naming a WDK shadow declared for 64-bit builds only (IO_STATUS_BLOCK32) goes under `#if defined(_WIN64)`.
  const win64Only = win64OnlyRecords(plan.records);
  const only64 = (r: RecordPlan, text: string) => {
    const uses = win64Only.get(r);
    return uses ? guardWin64(text, uses) : text;
  };

  if (generated.some((r) => r.fields.some((f) => f.form === 'pointer32'))) {
    pieces.push({ kind: 'pointer32-guard', type: root.nativeName, name: '', text: renderPointer32Guard(), placement: 'header', anchor: rangeOf(root.native) });
  }
  for (const r of generated) {
    pieces.push({
      kind: 'shadow',
      type: r.nativeName,
      name: r.shadow.name,
      text: only64(r, renderShadow(r, plan.peer.layout, { abiName: peerAbi, nativeAbiName: nativeAbi })),
      placement: 'header',
      replaces: r.replaces,
      anchor: rangeOf(r.native),
    });
    pieces.push({ kind: 'guards', type: r.nativeName, name: '', text: renderGuards(r, { peerAbiName: peerAbi }), placement: 'header', anchor: rangeOf(r.native) });
  }
  const withRoutines = plan.records.filter((r) => r.peer.kind === 'struct');
  const peerFacts = { name: peerAbi, callerAlign: plan.peer.abi.callerAlign };
  const receive = options.direction === 'out' && root.peer.kind === 'struct' && root.deep;
  if (withRoutines.some((r) => r.deep && !r.routinesExist.capture) && poolTag === defaultPoolTag) {
    const text = [`#ifndef ${defaultPoolTag}`, `#define ${defaultPoolTag} 'tLoI' /* pool tag of ioctl-lens captures ("IoLt") */`, '#endif', ''].join('\n');
    pieces.push({ kind: 'pool-tag', type: root.nativeName, name: defaultPoolTag, text, placement: 'source' });
  }
  // Prototypes are not needed: routines come in dependency order, each after those it calls.
  for (const r of withRoutines) {
    if (r.deep && !r.routinesExist.release) {
      pieces.push({ kind: 'release', type: r.nativeName, name: r.routines.release, text: only64(r, renderRelease(r, { poolTag })), placement: 'source' });
    }
    if (!r.routinesExist.capture) {
      pieces.push({ kind: 'capture', type: r.nativeName, name: r.routines.capture, text: only64(r, renderCapture(r, { poolFlags, poolTag, peer: peerFacts })), placement: 'source' });
    }
    if (!r.routinesExist.writeBack) {
      pieces.push({ kind: 'write-back', type: r.nativeName, name: r.routines.writeBack, text: only64(r, renderWriteBack(r)), placement: 'source' });
    }
  }
  const warnings = [...plan.warnings];
  if (receive) {
    if (!plan.native.unit.functions.some((f) => f.isDefinition && f.name === 'IoctlLensReserve32')) {
      pieces.push({ kind: 'output-helpers', type: root.nativeName, name: 'IoctlLensReserve32', text: renderOutputHelpers(), placement: 'source' });
    }
    for (const r of withRoutines) {
      if (!r.routinesExist.store) pieces.push({ kind: 'store', type: r.nativeName, name: r.routines.store, text: only64(r, renderStore(r)), placement: 'source' });
      append(warnings, unsizedPointers(r));
    }
    if (!root.routinesExist.marshal) pieces.push({ kind: 'marshal', type: root.nativeName, name: root.routines.marshal, text: only64(root, renderMarshal(root)), placement: 'source' });
  }
  if (options.dispatch && root.peer.kind === 'struct') {
    pieces.push({
      kind: 'dispatch',
      type: root.nativeName,
      name: '',
      text: renderDispatch(root, { dispatch: options.dispatch, direction: options.direction ?? 'inout', names: options.dispatchNames, receive }),
      placement: 'dispatch-case',
    });
  }
  const checked = selfCheck(
    generated,
    pieces.filter((p) => p.kind === 'shadow').map((p) => p.text),
    plan.peer,
    plan.native,
  );
  const shadows: ShadowResult[] = plan.records.map((r) => ({
    type: r.nativeName,
    name: r.shadow.name,
    tag: r.shadow.tag,
    pointer: r.shadow.pointer,
    status: r.status,
    replaces: r.replaces,
    staleBecause: r.staleBecause,
    guards: shadowGuards(r),
    verified: checked.verified.get(r.shadow.name),
  }));
  return {
    text: renderText(pieces),
    warnings: [...warnings, ...checked.warnings],
    shadows,
    pieces,
    routines:
      root.peer.kind === 'union'
        ? undefined
        : {
            capture: root.routines.capture,
            writeBack: root.routines.writeBack,
            ...(root.deep ? { release: root.routines.release } : {}),
            ...(receive ? { marshal: root.routines.marshal } : {}),
          },
    plan,
  };
}

/**
 * A piece that names a `_WIN64`-only WDK shadow, under `#if defined(_WIN64)`:
 * wdm.h declares IO_STATUS_BLOCK32 for 64-bit builds only, and WOW64
 * translation only runs in a 64-bit driver (the dispatch branch that calls
 * these routines is under the same condition). The guards already are.
 */
function guardWin64(text: string, uses: string): string {
  return `#if defined(_WIN64) /* uses ${uses}, which wdm.h declares for 64-bit builds only */\n${text.replace(/\n*$/, '\n')}#endif\n`;
}

/** The receive path writes pointers with no known pointee size as NULL: one warning per such member. */
function unsizedPointers(record: RecordPlan): ThunkWarning[] {
  const out: ThunkWarning[] = [];
  const visit = (fields: RecordPlan['fields'], prefix: string) => {
    for (const f of fields) {
      if (f.todo) continue;
      const path = prefix + (f.name ?? '');
      let c = f.conversion;
      while (c.kind === 'array') c = c.element;
      if (c.kind === 'inline') visit(c.fields, f.name ? path + '.' : prefix);
      else if (c.kind === 'pointer') {
        out.push({
          code: 'unsized-pointer',
          type: record.nativeName,
          member: path,
          message: `${record.nativeName}.${path}: the receive path writes it as NULL, as nothing says how much it points to (add _Field_size_ or @count, @count 1 for one object)`,
          loc: f.peer.decl.loc,
        });
      }
    }
  };
  visit(record.fields, '');
  return out;
}

/** All pieces as one text: a replacement says what it replaces; the dispatch fragment sits in `#if 0`. */
function renderText(pieces: ThunkPiece[]): string {
  const parts: string[] = [];
  for (const p of pieces) {
    if (p.replaces) {
      const file = p.replaces.file.slice(p.replaces.file.lastIndexOf('/') + 1);
      parts.push(`/* Replaces the stale ${p.name} at ${file}:${p.replaces.start.line}-${p.replaces.end.line}. */\n` + p.text);
    } else if (p.kind === 'dispatch') {
      parts.push(`#if 0 /* The IOCTL case body: paste it into the dispatch routine's case. */\n${p.text}#endif\n`);
    } else parts.push(p.text);
  }
  return parts.join('\n');
}
