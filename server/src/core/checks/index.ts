/**
 * The check runner: builds the facts checks look at from analyses, runs
 * every rule of the catalogue, applies the configured severities and the
 * `// ioctl-lens-ignore RULE` comments, and returns findings sorted by place.
 *
 * Two scopes. *Unit* checks look at one translation unit's WOW64 pair (its
 * 64-bit and 32-bit views); they run right after the unit is analysed, so a
 * caller checking a thousand headers never holds more than one unit.
 * *Workspace* checks (duplicate codes ...) look at every IOCTL definition of
 * every unit at once; the runner merges definitions by name and place.
 */

import type { AbiName } from '../abi';
import type { Analysis, AbiUnit } from '../analyze';
import type { Severity } from '../diagnostics';
import { type DispatchRoutine, type DriverUnit, type UnitSummary, analyzeDispatch, driverRoutines, labelFunctions, summarizeUnit, unitTypes } from '../dispatch';
import { type IoctlDef, annotationSource, findIoctls, parseSuppression } from '../ioctl';
import type { PreprocessResult } from '../preprocess';
import type { RecordDecl } from '../ast';
import { type Shadow, type Wow64Pair, boundaryTypes, findShadow, pairFromUnits, pointees, recordNamed } from '../wow64';
import { type RuleId, rules } from './catalogue';
import type { Check, Finding, RawFinding, UnitFacts, WorkspaceFacts } from './context';
import { duplicateIoctlCode } from './duplicate-ioctl-code';
import { methodNeitherAnyAccess } from './method-neither-any-access';
import { misalignedField } from './misaligned-field';
import { nativeSizeCheck } from './native-size-check';
import { probeAlignment } from './probe-alignment';
import { reservedFunctionCode } from './reserved-function-code';
import { staleShadow } from './stale-shadow';
import { unhandled32bitCaller } from './unhandled-32bit-caller';
import { unthunkedPointer } from './unthunked-pointer';
import { append } from '../arrays';

export type { Finding, Fix, Related, TextEdit, UnitFacts, WorkspaceFacts } from './context';
export { type RuleId, ruleIds, rules, isRuleId } from './catalogue';

export const allChecks: readonly Check[] = [
  unthunkedPointer,
  staleShadow,
  misalignedField,
  unhandled32bitCaller,
  nativeSizeCheck,
  probeAlignment,
  duplicateIoctlCode,
  reservedFunctionCode,
  methodNeitherAnyAccess,
];

export type RuleSetting = Severity | 'off';

export interface CheckOptions {
  /** Per-rule severity overrides, or `off`. */
  rules?: Partial<Record<RuleId, RuleSetting>>;
  /** Files whose findings are reported (default: every real file). */
  inScope?: (file: string) => boolean;
}

/** The WOW64 pairs an analysis offers: (x64, x86) and (arm64, arm32). */
export const wow64Pairs: readonly (readonly [AbiName, AbiName])[] = [
  ['x64', 'x86'],
  ['arm64', 'arm32'],
];

/** Suppression comments: file -> line -> rule ids (`*` for all). */
export type Suppressions = Map<string, Map<number, Set<string>>>;

export function collectSuppressions(pp: Pick<PreprocessResult, 'comments'>, into: Suppressions = new Map()): Suppressions {
  for (const [file, comments] of pp.comments) {
    for (const c of comments) {
      if (!c.text.includes('ioctl-lens-ignore')) continue;
      const ids = parseSuppression(c.text);
      let byLine = into.get(file);
      if (!byLine) into.set(file, (byLine = new Map()));
      // The comment's own lines and the line after it.
      for (let line = c.line; line <= c.endLine + 1; line++) {
        let set = byLine.get(line);
        if (!set) byLine.set(line, (set = new Set()));
        for (const id of ids) set.add(id);
      }
    }
  }
  return into;
}

export function isSuppressed(f: Pick<Finding, 'rule' | 'loc'>, suppressions: Suppressions): boolean {
  const set = suppressions.get(f.loc.file)?.get(f.loc.line);
  return !!set && (set.has(f.rule) || set.has('*'));
}

export interface UnitResult {
  /** The first WOW64 pair's facts; undefined when the analysis has no pair of ABIs. */
  facts?: UnitFacts;
  /** One per WOW64 pair the analysis offers ((x64, x86), then (arm64, arm32)). */
  pairs: UnitFacts[];
  ioctls: IoctlDef[];
  routines: DispatchRoutine[];
  suppressions: Suppressions;
}

const anyRealFile = (file: string) => !file.startsWith('<');

/** Dispatch routines and IOCTLs of a 64-bit unit, computed once per unit. */
const unitCache = new WeakMap<object, { routines: DispatchRoutine[]; ioctls: IoctlDef[] }>();

function routinesAndIoctls(unit: AbiUnit, annotations: ReturnType<typeof annotationSource>, given?: readonly DispatchRoutine[], inScope?: (file: string) => boolean) {
  const hit = unitCache.get(unit.pp);
  if (hit) return hit;
  const prelude = unit.prelude;
  // The driver's routines when a front end computed them across its units; else this unit's own.
  const routines = given ? [...given] : analyzeDispatch(unit.unit, { fallback: prelude?.unit, inScope });
  const caseNames = new Set<string>();
  for (const r of routines) for (const c of r.cases) for (const l of c.labels) if (l.name) caseNames.add(l.name);
  const ioctls = findIoctls(unit.pp, { fallbackMacros: prelude?.macros, caseNames, annotations });
  labelFunctions(routines, ioctls);
  const value = { routines, ioctls };
  unitCache.set(unit.pp, value);
  return value;
}

/** Builds the facts of one analysed translation unit. */
export function unitFacts(
  analysis: Analysis,
  options: {
    inScope?: (file: string) => boolean;
    /** The driver's dispatch routines whose function lies in this unit (from `driverRoutines` over every unit of the driver). */
    routines?: readonly DispatchRoutine[];
    /** Functions whose summaries are taken (default: those in scope). */
    summarize?: (file: string) => boolean;
  } = {},
): UnitResult {
  const inScope = options.inScope ?? anyRealFile;
  const pairNames = wow64Pairs.filter(([w, n]) => analysis.units.has(w) && analysis.units.has(n));
  const main: AbiUnit | undefined = pairNames.length ? analysis.units.get(pairNames[0][0]) : analysis.units.values().next().value;
  const suppressions: Suppressions = new Map();
  if (!main) return { pairs: [], ioctls: [], routines: [], suppressions };
  collectSuppressions(main.pp, suppressions);
  const annotations = annotationSource(main.pp);
  const summarize = options.summarize ?? inScope;
  const { routines, ioctls } = routinesAndIoctls(main, annotations, options.routines, summarize);
  const pairs = pairNames.map(([w, n]) => {
    const wide = analysis.units.get(w)!;
    const wideAnnotations = wide === main ? annotations : annotationSource(wide.pp);
    const own = wide === main ? { routines, ioctls } : routinesAndIoctls(wide, wideAnnotations, options.routines, summarize);
    return pairFacts(wide, analysis.units.get(n)!, own, wideAnnotations, inScope);
  });
  return { facts: pairs[0], pairs, ioctls, routines, suppressions };
}

function pairFacts(
  wide: AbiUnit,
  narrow: AbiUnit,
  { routines, ioctls }: { routines: DispatchRoutine[]; ioctls: IoctlDef[] },
  annotations: ReturnType<typeof annotationSource>,
  inScope: (file: string) => boolean,
): UnitFacts {
  const pair = pairFromUnits(wide, narrow, { wide: wide.prelude?.unit, narrow: narrow.prelude?.unit }, annotations);
  const boundary = boundaryTypes(pair, ioctls, routines);
  // Shadows: by name or annotation for every record defined in scope and every boundary record,
  // and from dispatch: the type a case uses in its 32-bit branch while using T natively.
  const shadows: Shadow[] = [];
  const byNative = new Set<unknown>();
  const consider = (record: RecordDecl) => {
    if (byNative.has(record) || !record.fields) return;
    const s = findShadow(pair, record);
    if (s) {
      byNative.add(record);
      shadows.push(s);
    }
  };
  for (const r of wide.unit.records) if (r.fields && !r.nested && inScope(r.loc.file)) consider(r);
  for (const b of boundary) consider(b.record);
  for (const routine of routines) {
    for (const c of routine.cases) {
      const natives = [...new Set(c.uses.filter((u) => u.guard !== 'wow64' && u.record && u.kind !== 'probe').map((u) => u.record!))];
      const wows = c.uses.filter((u) => u.guard === 'wow64' && u.record && u.kind !== 'probe');
      const wowNames = [...new Set(wows.map((u) => u.record!))];
      if (natives.length !== 1 || wowNames.length !== 1 || natives[0] === wowNames[0]) continue;
      const native = recordNamed(pair.wide, natives[0]);
      const shadow = recordNamed(pair.wide, wowNames[0]);
      if (!native || !shadow || byNative.has(native)) continue;
      byNative.add(native);
      shadows.push({ native, shadow, via: 'dispatch', evidence: wows[0].loc });
    }
  }
  return { pair, ioctls, routines, boundary, shadows, inScope };
}

/**
 * The files whose records the 32-bit side of the pair must know, judged from
 * the 64-bit unit alone: definitions of annotated and dispatch-used types,
 * of what they point to, of shadow pairs in scope, and of dispatch routines.
 * A front end analysing a huge unit can give the 32-bit ABI a smaller unit
 * that still includes these files (see `cli/check.ts`).
 */
export function filesNeededOnNarrow(wide: AbiUnit, options: { inScope?: (file: string) => boolean } = {}): Set<string> {
  const inScope = options.inScope ?? anyRealFile;
  const prelude = wide.prelude;
  const annotations = annotationSource(wide.pp);
  const { routines, ioctls } = routinesAndIoctls(wide, annotations, undefined, inScope);
  const side = { unit: wide.unit, layout: wide.layout, fallback: prelude?.unit };
  // Name lookups only: the narrow side is not consulted by findShadow or recordNamed.
  const pseudo: Wow64Pair = { wideAbi: wide.abi.name, narrowAbi: wide.abi.name, wide: side, narrow: side, annotations };
  const files = new Set<string>();
  const records: RecordDecl[] = [];
  for (const d of ioctls) for (const b of d.buffers) append(records, [recordNamed(side, b.type)].filter((r): r is RecordDecl => !!r));
  for (const r of routines) {
    files.add(r.loc.file);
    for (const c of r.cases) for (const u of c.uses) if (u.record) append(records, [recordNamed(side, u.record)].filter((x): x is RecordDecl => !!x));
  }
  for (const r of wide.unit.records) {
    if (!r.fields || r.nested || !inScope(r.loc.file)) continue;
    const s = findShadow(pseudo, r);
    if (s) records.push(s.native);
  }
  const seen = new Set<RecordDecl>();
  while (records.length) {
    const r = records.pop()!;
    if (seen.has(r)) continue;
    seen.add(r);
    files.add(r.loc.file);
    for (const p of pointees(pseudo, r)) records.push(p.record);
  }
  return files;
}

function finish(raw: RawFinding[], options: CheckOptions, pair?: Pick<Wow64Pair, 'narrowAbi' | 'wideAbi'>): Finding[] {
  const out: Finding[] = [];
  for (const f of raw) {
    const setting = options.rules?.[f.rule] ?? rules[f.rule].defaultSeverity;
    if (setting === 'off') continue;
    out.push({ ...f, severity: setting, detail: f.detail ?? findingDetail(f.args, pair) });
  }
  return out;
}

/** Arguments that only say which ABIs a finding was seen on. */
const abiArguments = new Set(['narrowAbi', 'wideAbi', 'abis']);

/**
 * A finding's facts without the ABIs it was seen through: its template
 * arguments, ABI-naming ones left out and the pair's ABI names inside the
 * others (`Buffer is 4 bytes on x86 and 8 on x64`) replaced by their roles,
 * so the same problem seen through x64/x86 and arm64/arm32 has one detail
 * and a different number makes a different one.
 */
export function findingDetail(args: Readonly<Record<string, string | number>>, pair?: Pick<Wow64Pair, 'narrowAbi' | 'wideAbi'>): string {
  const out: [string, string | number][] = [];
  for (const k of Object.keys(args).sort()) {
    if (abiArguments.has(k)) continue;
    let v = args[k];
    if (typeof v === 'string' && pair) v = replaceWord(replaceWord(v, pair.narrowAbi, '{narrow}'), pair.wideAbi, '{wide}');
    out.push([k, v]);
  }
  return JSON.stringify(out);
}

/** `word` replaced where it stands alone (not inside a longer identifier). */
function replaceWord(text: string, word: string, by: string): string {
  const isIdent = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);
  let out = '';
  let from = 0;
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + word.length)) {
    if (isIdent(text[i - 1]) || isIdent(text[i + word.length])) continue;
    out += text.slice(from, i) + by;
    from = i + word.length;
  }
  return out + text.slice(from);
}

/** What identifies a finding: its rule, what it is about, where, and its facts (`detail`). */
export interface FindingIdentity {
  rule: RuleId;
  symbol: string;
  file: string;
  line: number;
  col: number;
  detail: string;
}

export function findingIdentity(f: Finding): FindingIdentity {
  return { rule: f.rule, symbol: f.symbol, file: f.loc.file, line: f.loc.line, col: f.loc.col, detail: f.detail ?? findingDetail(f.args) };
}

/**
 * A fingerprint that survives edits elsewhere in the file (no line or
 * column): rule, symbol, the file as the report names it, and the facts.
 * For baselines and SARIF `partialFingerprints`. FNV-1a, 64 bits, hex.
 */
export function fingerprint(f: Finding, file: string = f.loc.file): string {
  const text = [f.rule, f.symbol, file, f.detail ?? findingDetail(f.args)].join('\0');
  // The 64-bit state in two 32-bit halves (BigInt steps made a report of
  // 150,000 findings take seconds). The prime is 2^40 + 0x1b3, so
  // h * prime = h * 0x1b3 + (h << 40): the low half's shifted part lands in the high half.
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < text.length; i++) {
    lo = (lo ^ text.charCodeAt(i)) >>> 0;
    const low = lo * 0x1b3;
    hi = (Math.imul(hi, 0x1b3) + (lo << 8) + Math.floor(low / 0x100000000)) >>> 0;
    lo = low >>> 0;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

function enabled(check: Check, options: CheckOptions): boolean {
  return options.rules?.[check.id] !== 'off';
}

export function runUnitChecks(facts: UnitFacts, options: CheckOptions = {}): Finding[] {
  const raw: RawFinding[] = [];
  for (const check of allChecks) if (check.scope === 'unit' && enabled(check, options)) append(raw, check.run(facts));
  return finish(raw, options, facts.pair);
}

export function runWorkspaceChecks(facts: WorkspaceFacts, options: CheckOptions = {}): Finding[] {
  const raw: RawFinding[] = [];
  for (const check of allChecks) if (check.scope === 'workspace' && enabled(check, options)) append(raw, check.run(facts));
  return finish(raw, options);
}

/** Merges IOCTL definitions of several units: one per (name, place). */
export function mergeIoctls(lists: Iterable<readonly IoctlDef[]>, into: Map<string, IoctlDef> = new Map()): Map<string, IoctlDef> {
  for (const list of lists) {
    for (const d of list) {
      const key = `${d.name}\0${d.loc.file}\0${d.loc.offset}`;
      if (!into.has(key)) into.set(key, d);
    }
  }
  return into;
}

/** Drops suppressed and duplicate findings and sorts by place. */
export function finalizeFindings(findings: readonly Finding[], suppressions: Suppressions): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const f of findings) {
    if (isSuppressed(f, suppressions)) continue;
    // The same problem seen through two WOW64 pairs (x64/x86, arm64/arm32) with the same numbers is one finding.
    const id = findingIdentity(f);
    const key = `${id.rule}\0${id.file}\0${id.line}\0${id.col}\0${id.symbol}\0${id.detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out.sort((a, b) => (a.loc.file < b.loc.file ? -1 : a.loc.file > b.loc.file ? 1 : a.loc.line - b.loc.line || a.loc.col - b.loc.col || (a.rule < b.rule ? -1 : 1)));
}

export function mergeSuppressions(into: Suppressions, from: Suppressions): void {
  for (const [file, lines] of from) {
    let target = into.get(file);
    if (!target) into.set(file, (target = new Map()));
    for (const [line, ids] of lines) {
      const set = target.get(line);
      if (set) for (const id of ids) set.add(id);
      else target.set(line, new Set(ids));
    }
  }
}

/**
 * The dispatch routines an analysed unit takes part in, seen with the other
 * files of its driver (their function summaries, `others`): the unit's own
 * functions are summarised here, the others' are resolved with the unit's
 * types. Every routine comes back, wherever its function lives, since a
 * header's records are judged by dispatch code in any file.
 */
export function routinesWithDriver(analysis: Analysis, others: readonly UnitSummary[], inScope: (file: string) => boolean): DispatchRoutine[] {
  const wideAbi = wow64Pairs.map(([w]) => w).find((w) => analysis.units.has(w));
  const wide = wideAbi ? analysis.units.get(wideAbi) : analysis.units.values().next().value;
  if (!wide) return [];
  const types = unitTypes(wide.unit, wide.prelude?.unit);
  const own: DriverUnit = { summary: summarizeUnit(wide.unit, types, inScope), types };
  return driverRoutines([own, ...others.map((summary) => ({ summary, types }))]).flat();
}

/**
 * The control codes only kernel-mode callers get anything done with: every
 * dispatch case labelled with the code, in any routine of the driver, is
 * `kernelOnly` (internal device control, or all its work behind a
 * requestor-mode test). `method-neither-any-access` leaves them alone.
 */
export function kernelOnlyCodes(routines: Iterable<readonly DispatchRoutine[]>): Set<string> {
  const only = new Map<string, boolean>();
  for (const list of routines)
    for (const r of list)
      for (const c of r.cases)
        for (const l of c.labels) if (l.name) only.set(l.name, (only.get(l.name) ?? true) && !!c.kernelOnly);
  return new Set([...only].filter(([, k]) => k).map(([name]) => name));
}

/** Runs every check over already analysed units (the language server and tests use this). */
export function runChecks(analyses: readonly Analysis[], options: CheckOptions & { driver?: readonly UnitSummary[] } = {}): Finding[] {
  const inScope = options.inScope ?? anyRealFile;
  const findings: Finding[] = [];
  const ioctls = new Map<string, IoctlDef>();
  const suppressions: Suppressions = new Map();
  const routines: DispatchRoutine[][] = [];
  for (const analysis of analyses) {
    const given = options.driver?.length ? routinesWithDriver(analysis, options.driver, inScope) : undefined;
    const r = unitFacts(analysis, { inScope, routines: given });
    for (const facts of r.pairs) append(findings, runUnitChecks(facts, options));
    mergeIoctls([r.ioctls], ioctls);
    mergeSuppressions(suppressions, r.suppressions);
    routines.push(r.routines);
  }
  append(findings, runWorkspaceChecks({ ioctls: [...ioctls.values()], inScope, kernelOnly: kernelOnlyCodes(routines) }, options));
  return finalizeFindings(findings, suppressions);
}
