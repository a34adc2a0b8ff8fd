/**
 * doValidation: the findings published for a document, as plain records.
 * Sources, in order: the C front end and layout engine (merged across
 * ABIs), the WOW64 rule catalogue (`runChecks`, one call, when the checks
 * layer is present), and cross-file duplicate control codes from the
 * workspace index. Severities from the settings are applied here (`off`
 * drops a rule). Problems inside included headers are reported once at the
 * `#include` line that leads to them, as clangd does.
 */

import type { AbiName } from '../core/abi';
import { mergedDiagnostics } from '../core/analyze';
import type { Diagnostic } from '../core/diagnostics';
import { preludeStandsInFor } from '../core/prelude';
import type { Loc } from '../core/source';
import { type DocContext, positionsOf } from './facts';
import { interfaceFacts, knownIoctlDefinitions } from '../core/interface';
import { recordsInFile } from './facts';
import { type AbiUnit, type Analysis, primaryUnit } from '../core/analyze';
import { type Finding as CheckFinding, runChecks } from '../core/checks';
import type { Comment } from '../core/preprocess';
import type { RuleSeverity } from './settings';
import { append } from '../core/arrays';

export type FindingSeverity = 'error' | 'warning' | 'info' | 'hint';

export interface Finding {
  code: string;
  severity: FindingSeverity;
  message: string;
  loc: Loc;
  end?: Loc;
  related: { loc: Loc; end?: Loc; message: string }[];
  /** True for findings of the WOW64 rule catalogue (they have a documentation page). */
  rule: boolean;
  abis?: AbiName[];
  /** The rule catalogue's finding behind it: its fingerprint goes to `Diagnostic.data` (the one `check --baseline` reads). */
  check?: CheckFinding;
}

/** An IOCTL defined somewhere in the workspace (from the index). */
export interface WorkspaceIoctl {
  name: string;
  value: number;
  loc: Loc;
}

export interface ValidationOptions {
  rules: Record<string, RuleSeverity>;
  /** Control codes defined in workspace files outside this translation unit. */
  workspaceIoctls?: readonly WorkspaceIoctl[];
  /** The WOW64 rule catalogue, when available. */
  runRules?: (doc: DocContext) => Finding[];
}

export function doValidation(doc: DocContext, options: ValidationOptions): Finding[] {
  // Lay out the document's records on every ABI first: layout diagnostics are produced lazily.
  for (const u of doc.analysis.units.values()) {
    for (const r of u.unit.records) if (r.fields && r.loc.file === doc.path) u.layout.layoutOf(r);
  }
  recordsInFile(doc, doc.path);
  const out: Finding[] = [];
  const viaInclude = new Map<string, { first: Finding; count: number }>();
  const topInclude = includeLeadingTo(doc);
  const notice = preludeNotice(doc);
  if (notice) out.push(notice.finding);
  for (const d of mergedDiagnostics(doc.analysis)) {
    if (notice?.covers(d)) continue;
    const suffix = d.abis ? ` (${d.abis.join(', ')} only)` : '';
    if (d.loc.file === doc.path) {
      out.push({ code: d.code, severity: d.severity, message: d.message + suffix, loc: d.loc, end: d.end, related: [], rule: false, abis: d.abis });
      continue;
    }
    if (d.severity !== 'error') continue;
    // No `#include` of this document leads there: a forced include (settings,
    // `.ioctl-lens.json`, compile_commands.json) or the files it read. Shown at the top.
    const forced = !topInclude.has(d.loc.file);
    const inc = topInclude.get(d.loc.file) ?? { file: doc.path, line: 1, col: 1, offset: 0 };
    const key = forced ? 'forced' : `${inc.offset}`;
    const seen = viaInclude.get(key);
    if (seen) {
      seen.count++;
      if (seen.first.related.length < 20) seen.first.related.push({ loc: d.loc, end: d.end, message: d.message + suffix });
      continue;
    }
    const f: Finding = {
      code: d.code,
      severity: 'error',
      message: `${forced ? 'In forced include' : 'In included file'}: ${d.message}${suffix}`,
      loc: inc,
      related: [{ loc: d.loc, end: d.end, message: d.message + suffix }],
      rule: false,
    };
    viaInclude.set(key, { first: f, count: 1 });
    out.push(f);
  }
  for (const { first, count } of viaInclude.values()) if (count > 1) first.message += ` (and ${count - 1} more errors)`;
  if (options.runRules) append(out, options.runRules(doc));
  append(out, crossFileDuplicates(doc, options.workspaceIoctls ?? []));
  return applySeverities(out, options.rules);
}

/** The code of the notice that the built-in prelude stands in for missing system headers. */
export const preludeNoticeCode = 'prelude-stands-in';

/**
 * When system headers the built-in prelude stands in for (`ntddk.h`,
 * `wdm.h`, `windows.h` ...) are not on the include path, one quiet
 * information-level notice at the first such `#include` replaces their
 * "file not found" errors (clangd or cpptools report those in their own
 * way): the types still resolve, through the prelude. Other missing files
 * stay errors.
 */
function preludeNotice(doc: DocContext): { finding: Finding; covers(d: Diagnostic): boolean } | undefined {
  if (![...doc.analysis.units.values()].some((u) => u.prelude)) return undefined;
  const missing = (d: Diagnostic): string | undefined => {
    if (d.code !== 'pp-include-not-found') return undefined;
    const name = typeof d.args?.[0] === 'string' ? d.args[0] : undefined;
    const base = name?.replace(/\\/g, '/').split('/').pop()?.toLowerCase();
    return base && preludeStandsInFor.has(base) ? name : undefined;
  };
  const headers: string[] = [];
  let first: Diagnostic | undefined;
  for (const d of mergedDiagnostics(doc.analysis)) {
    const name = missing(d);
    if (!name) continue;
    if (!headers.includes(name)) headers.push(name);
    if (!first || (d.loc.file === doc.path && first.loc.file !== doc.path)) first = d;
  }
  if (!first) return undefined;
  const where = first.loc.file === doc.path ? { loc: first.loc, end: first.end } : { loc: includeLeadingTo(doc).get(first.loc.file) ?? { file: doc.path, line: 1, col: 1, offset: 0 } };
  const names = headers.map((h) => `'${h}'`).join(', ');
  return {
    finding: {
      code: preludeNoticeCode,
      severity: 'info',
      message:
        `${names} ${headers.length > 1 ? 'are' : 'is'} not on the include path: ioctl-lens uses its built-in Windows and WDK types instead ` +
        '(set ioctlLens.includePaths to the WDK\'s km and shared folders to read the real headers).',
      ...where,
      related: [],
      rule: false,
    },
    covers: (d) => missing(d) !== undefined,
  };
}

/**
 * The WOW64 rule catalogue over the document's translation unit: findings
 * in the document itself (the workspace index covers the rest).
 */
export function ruleFindings(doc: DocContext): Finding[] {
  return checkFindings(doc).map((f) => ({
    code: f.rule,
    severity: f.severity,
    message: f.message,
    loc: f.loc,
    end: f.end,
    related: f.related.map((r) => ({ loc: r.loc, message: r.message })),
    rule: true,
    check: f,
  }));
}

const findingsByAnalysis = new WeakMap<Analysis, { generation: number; findings: CheckFinding[] }>();

/**
 * The rule catalogue's findings for this document, once per analysed version:
 * published as diagnostics here, and looked up (with their fixes) by code
 * actions, so both always agree and the checks never run twice for an edit.
 */
export function checkFindings(doc: DocContext): CheckFinding[] {
  const generation = doc.driver?.generation() ?? 0;
  const hit = findingsByAnalysis.get(doc.analysis);
  if (hit && hit.generation === generation) return hit.findings;
  // Dispatch code in the driver's other files judges this document's records too.
  const findings = runChecks([checkView(doc)], { inScope: (file) => file === doc.path, driver: doc.driver?.summaries() });
  findingsByAnalysis.set(doc.analysis, { generation, findings });
  return findings;
}

/**
 * The analysis as the checks need to see it for findings in this document,
 * without the work that cannot change them: `#define`s already known not to
 * be IOCTLs (cached per definition; the document's own and any name used in
 * a `case` label are always kept), and function bodies outside the document
 * (a WDK header's inline functions are not dispatch routines). This keeps
 * an edit's rule pass proportional to the document, not to wdm.h.
 */
function checkView(doc: DocContext): Analysis {
  const caseNames = positionsOf(doc).caseLabels();
  const units = new Map<AbiName, AbiUnit>();
  for (const [abi, u] of doc.analysis.units) {
    const known = knownIoctlDefinitions(u);
    const definitions = u.pp.definitions.filter((d) => d.loc.file === doc.path || caseNames.has(d.name) || known.has(d));
    const functions = u.unit.functions.filter((f) => f.loc.file === doc.path);
    const comments = new Map<string, Comment[]>();
    for (const [file, list] of u.pp.comments) {
      const kept = file === doc.path ? list : annotatedComments(list);
      if (kept.length) comments.set(file, kept);
    }
    units.set(abi, { ...u, pp: { ...u.pp, definitions, comments }, unit: { ...u.unit, functions } });
  }
  return { path: doc.analysis.path, units };
}

/**
 * Only comments that can carry an ioctl-lens annotation (`@in`, `@shadow32`
 * ...) or a suppression matter to the checks; a WDK header has thousands of
 * others. Cached per list: a preamble's lists are shared across edits.
 */
const annotated = new WeakMap<Comment[], Comment[]>();

function annotatedComments(list: Comment[]): Comment[] {
  let kept = annotated.get(list);
  if (!kept) {
    kept = list.filter((c) => c.text.includes('@') || c.text.includes('ioctl-lens-ignore'));
    annotated.set(list, kept);
  }
  return kept;
}

function applySeverities(findings: Finding[], rules: Record<string, RuleSeverity>): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    const s = rules[f.code];
    if (s === 'off') continue;
    out.push(s ? { ...f, severity: s } : f);
  }
  return out;
}

/** For each included file, the `#include` directive in the document through which it was first reached. */
function includeLeadingTo(doc: DocContext): Map<string, Loc> {
  const u = primaryUnit(doc.analysis);
  const out = new Map<string, Loc>();
  if (!u) return out;
  const children = new Map<string, string[]>();
  for (const e of u.pp.includes) {
    const list = children.get(e.from) ?? [];
    list.push(e.to);
    children.set(e.from, list);
  }
  for (const e of u.pp.includes) {
    if (e.from !== doc.path) continue;
    const stack = [e.to];
    while (stack.length) {
      const f = stack.pop()!;
      if (out.has(f) || f === doc.path) continue;
      out.set(f, e.loc);
      append(stack, (children.get(f) ?? []));
    }
  }
  return out;
}

/** `duplicate-ioctl-code` across files the translation unit does not include (the TU's own are the rule catalogue's). */
function crossFileDuplicates(doc: DocContext, workspace: readonly WorkspaceIoctl[]): Finding[] {
  if (workspace.length === 0) return [];
  const u = primaryUnit(doc.analysis);
  const tuFiles = new Set(u?.pp.files.keys() ?? []);
  const out: Finding[] = [];
  for (const io of interfaceFacts(doc.analysis).ioctls) {
    if (io.loc.file !== doc.path) continue;
    const clashes = workspace.filter((w) => w.value === io.code.value && w.name !== io.name && !tuFiles.has(w.loc.file));
    if (clashes.length === 0) continue;
    out.push({
      code: 'duplicate-ioctl-code',
      severity: 'error',
      message: `${io.name} has the control code ${io.code.hex}, also used by ${clashes.map((c) => c.name).join(', ')}`,
      loc: io.loc,
      end: { ...io.loc, col: io.loc.col + io.name.length, offset: io.loc.offset + io.name.length },
      related: clashes.map((c) => ({ loc: c.loc, message: `${c.name} is defined here with the same value` })),
      rule: true,
    });
  }
  return out;
}
