/**
 * What checks see and what they produce. A check is a plain function over
 * *facts*: for one translation unit (the WOW64 pair of its 64-bit and 32-bit
 * views, its IOCTLs, dispatch routines, boundary types and shadows), or for
 * the whole workspace (every IOCTL definition, merged across units).
 * Findings carry their own related locations and fixes (STYLE.md habit 3).
 */

import type { RecordDecl } from '../ast';
import type { Severity } from '../diagnostics';
import type { BufferUse, DispatchCase, DispatchRoutine, MajorFunction, UseKind } from '../dispatch';
import { type IoctlDef, isMicrosoftCode } from '../ioctl';
import type { Loc } from '../source';
import { type BoundaryType, type Difference, isShadowRecord, recordNamed, type Shadow, type TranslationVerdict, translationVerdict, type Wow64Pair } from '../wow64';
import { described, type RuleId } from './catalogue';

export interface Related {
  loc: Loc;
  message: string;
}

export interface TextEdit {
  file: string;
  start: Loc;
  end: Loc;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
}

export interface Finding {
  rule: RuleId;
  severity: Severity;
  /** The struct's typedef name, or the IOCTL macro. */
  symbol: string;
  message: string;
  /** The message template's arguments (catalogue.ts): the finding's facts, in structured form. */
  args: Readonly<Record<string, string | number>>;
  /**
   * What makes this finding this finding, whatever the ABIs it was seen on
   * and the wording: its facts (`args`) with the WOW64 pair's ABI names
   * replaced by their roles. Set by the runner; `findingIdentity` and
   * `fingerprint` are built on it.
   */
  detail?: string;
  loc: Loc;
  end: Loc;
  related: Related[];
  /**
   * The path that proves a dispatch finding, in execution order: the
   * registration, the calls to the routine, the case, the calls from the
   * case, the use (SARIF `codeFlows`; its steps are also in `related`).
   */
  flow?: Related[];
  fixes?: Fix[];
}

/** What a check returns; the runner adds the severity from the configuration. */
export type RawFinding = Omit<Finding, 'severity'>;

export interface UnitFacts {
  pair: Wow64Pair;
  ioctls: readonly IoctlDef[];
  routines: readonly DispatchRoutine[];
  boundary: readonly BoundaryType[];
  shadows: readonly Shadow[];
  /** Files whose findings are reported. */
  inScope(file: string): boolean;
}

export interface WorkspaceFacts {
  /** Every IOCTL definition, one per (name, place). */
  ioctls: readonly IoctlDef[];
  inScope(file: string): boolean;
  /** Codes only kernel-mode callers get anything done with (`kernelOnlyCodes`). */
  kernelOnly?: ReadonlySet<string>;
}

export type Check =
  | { id: RuleId; scope: 'unit'; run(facts: UnitFacts): RawFinding[] }
  | { id: RuleId; scope: 'workspace'; run(facts: WorkspaceFacts): RawFinding[] };

/**
 * A finding as a rule states it: its symbol, the arguments of its message
 * template and its places. The check adds its rule id and the message.
 */
export type Report = Omit<RawFinding, 'rule' | 'message'>;

/** A rule: reports what it finds in the facts, in the order it finds it. */
export type Rule<F> = (facts: F, report: (finding: Report) => void) => void;

/** The check of a rule over one translation unit's facts. */
export function unitCheck(id: RuleId, rule: Rule<UnitFacts>): Check {
  return { id, scope: 'unit', run: (facts) => reported(id, facts, rule) };
}

/** The check of a rule over the whole workspace's facts. */
export function workspaceCheck(id: RuleId, rule: Rule<WorkspaceFacts>): Check {
  return { id, scope: 'workspace', run: (facts) => reported(id, facts, rule) };
}

function reported<F>(id: RuleId, facts: F, rule: Rule<F>): RawFinding[] {
  const out: RawFinding[] = [];
  rule(facts, ({ symbol, args, ...places }) => out.push({ rule: id, symbol, ...described(id, args), ...places }));
  return out;
}

/** `DeviceName.Buffer (PWCH) is 4 bytes on x86 and 8 on x64`. */
export function describeDifference(d: Difference | undefined, pair: Wow64Pair): string {
  if (!d) return 'the layouts differ';
  const member = `${d.chain} (${d.typeText})`;
  switch (d.what) {
    case 'size':
      return `${member} is ${d.narrow!.size} bytes on ${pair.narrowAbi} and ${d.wide!.size} on ${pair.wideAbi}`;
    case 'offset':
      return `${member} is at offset ${d.narrow!.offset} on ${pair.narrowAbi} and ${d.wide!.offset} on ${pair.wideAbi}`;
    case 'members':
      return `${member} exists on only one of ${pair.narrowAbi} and ${pair.wideAbi}`;
    case 'record-size':
      return `its alignment pads it differently`;
  }
}

/**
 * The members that make a type need translation, for messages:
 * `CompletionEvent (HANDLE) and DeviceName.Buffer (PWCH) are 4 bytes on x86 and 8 on x64`.
 */
export function describeCauses(v: { cause?: Difference; sizeCauses: Difference[] }, pair: Wow64Pair): string {
  const causes = v.sizeCauses;
  if (causes.length === 0) return describeDifference(v.cause, pair);
  const groups = new Map<string, Difference[]>();
  for (const c of causes) {
    const k = `${c.narrow!.size}/${c.wide!.size}`;
    const g = groups.get(k);
    if (g) g.push(c);
    else groups.set(k, [c]);
  }
  const parts: string[] = [];
  for (const g of groups.values()) {
    const shown = g.slice(0, 3).map((c) => `${c.chain} (${c.typeText})`);
    if (g.length > 3) shown.push(`${g.length - 3} more`);
    const list = shown.length > 1 ? shown.slice(0, -1).join(', ') + ' and ' + shown[shown.length - 1] : shown[0];
    const verb = g.length > 1 ? 'are' : 'is';
    parts.push(`${list} ${verb} ${g[0].narrow!.size} bytes on ${pair.narrowAbi} and ${g[0].wide!.size} on ${pair.wideAbi}`);
  }
  return parts.join('; ');
}

/** The end of a name written at `loc`. */
export function nameEnd(loc: Loc, name: string): Loc {
  return { ...loc, col: loc.col + name.length, offset: loc.offset + name.length };
}

/** Where a record is named (its tag or typedef), else where it starts. */
export function recordLoc(record: RecordDecl): Loc {
  return record.nameLoc ?? record.loc;
}

/**
 * The name a record is declared with, as a finding's place: from its tag or
 * first typedef (`fallback` if it has neither), or its `struct`/`union`
 * keyword when it is not named where it is defined.
 */
export function recordNameSpan(record: RecordDecl, fallback: string): { loc: Loc; end: Loc } {
  const loc = recordLoc(record);
  return { loc, end: nameEnd(loc, record.nameLoc ? (record.tag ?? record.typedefs[0]?.replace(/^\*+/, '') ?? fallback) : record.kind) };
}

/** The boundary types declared in files in scope. */
export function boundaryInScope(facts: UnitFacts): BoundaryType[] {
  return facts.boundary.filter((b) => facts.inScope(recordLoc(b.record).file));
}

/**
 * The native record a dispatch use names (not a 32-bit shadow) and how a
 * 32-bit caller's layout of it differs: what the rules about uses judge.
 */
export function usedRecord(pair: Wow64Pair, name: string): { record: RecordDecl; verdict: TranslationVerdict } | undefined {
  const record = recordNamed(pair.wide, name);
  if (!record || isShadowRecord(pair, record)) return undefined;
  const verdict = translationVerdict(pair, record);
  return verdict && { record, verdict };
}

/** `'OPEN' is 20 bytes on x86 and 40 on x64`, at the record's name. */
export function sizesOn(pair: Wow64Pair, name: string, used: { record: RecordDecl; verdict: TranslationVerdict }): Related {
  const { record, verdict } = used;
  return { loc: recordLoc(record), message: `'${name}' is ${verdict.narrowSize} bytes on ${pair.narrowAbi} and ${verdict.wideSize} on ${pair.wideAbi}` };
}

/**
 * Every buffer use of the given kinds with no 32-bit-caller guard in the
 * dispatch cases of the unit, in files in scope: what `native-size-check`
 * and `probe-alignment` judge.
 */
export function* unguardedUses(facts: UnitFacts, kinds: readonly UseKind[]): Generator<{ use: BufferUse; dispatchCase: DispatchCase; routine: DispatchRoutine }> {
  for (const routine of facts.routines) {
    for (const dispatchCase of routine.cases) {
      for (const use of dispatchCase.uses) {
        if (use.guard === 'none' && kinds.includes(use.kind) && facts.inScope(use.loc.file)) yield { use, dispatchCase, routine };
      }
    }
  }
}

/**
 * The driver's own IOCTL definitions in files in scope, each once (by name
 * and place): no aliases of another definition, no Microsoft codes. What
 * `reserved-function-code` and `method-neither-any-access` judge.
 */
export function* ownIoctls(facts: WorkspaceFacts): Generator<IoctlDef> {
  const seen = new Set<string>();
  for (const d of facts.ioctls) {
    if (d.aliasOf || isMicrosoftCode(d.code) || !facts.inScope(d.loc.file)) continue;
    const key = `${d.name}\0${d.loc.file}\0${d.loc.offset}`;
    if (seen.has(key)) continue;
    seen.add(key);
    yield d;
  }
}

const majorNames: Record<MajorFunction, string> = {
  'device-control': 'IRP_MJ_DEVICE_CONTROL',
  'internal-device-control': 'IRP_MJ_INTERNAL_DEVICE_CONTROL',
  'file-system-control': 'IRP_MJ_FILE_SYSTEM_CONTROL',
};

/** The path from the registration through the routine's case to a use, as steps a reader can follow. */
export function dispatchFlow(routine: DispatchRoutine, dispatchCase: DispatchCase, use: BufferUse): Related[] {
  const out: Related[] = [];
  const reg = routine.registration;
  if (reg) out.push({ loc: reg.loc, message: `${reg.handler} is registered${reg.major ? ` for ${majorNames[reg.major]}` : ''}` });
  for (const step of routine.path ?? []) out.push({ loc: step.loc, message: `calls ${step.callee}` });
  const label = dispatchCase.labels.find((l) => l.name) ?? dispatchCase.labels[0];
  const name = label?.name ?? (label?.value !== undefined ? `0x${label.value.toString(16).toUpperCase()}` : 'a control code');
  out.push({ loc: label?.loc ?? dispatchCase.loc, message: `${routine.name} handles ${name} here` });
  for (const step of use.chain ?? []) out.push({ loc: step.loc, message: `calls ${step.callee}` });
  out.push({ loc: use.loc, message: `'${use.record ?? use.typeName}' is used as the buffer here${use.via ? ` (in ${use.via})` : ''}` });
  return out;
}

/** The steps of a `dispatchFlow` that lead to the use: without the use itself and the case's first label (a finding names those on its own). */
export function pathToUse(dispatchCase: DispatchCase, flow: readonly Related[]): Related[] {
  return flow.slice(0, -1).filter((r) => r.loc !== dispatchCase.labels[0]?.loc);
}
