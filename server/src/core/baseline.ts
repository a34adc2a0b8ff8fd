/**
 * Baselines: the findings a previous `check` report already held, so a CI
 * run on a driver with known findings fails only on new ones
 * (`check --baseline FILE`). A report is a SARIF log (`--format sarif`: each
 * result's `partialFingerprints['ioctlLens/v2']`) or a JSON report
 * (`--format json`: each finding's `fingerprint`). The fingerprint leaves out
 * lines and columns (checks/index.ts `fingerprint`), so a finding moved by an
 * edit elsewhere in its file is still the same finding.
 *
 * Pure: the caller reads the file and matches findings with
 * `reportedFingerprint` (sarif.ts) under the same base folder.
 */

import type { Finding } from './checks/context';
import { fingerprintKey, reportedFingerprint } from './sarif';

const stale = 'written by an older ioctl-lens or another tool: write it again with --format sarif or json';

export type BaselineResult = { fingerprints: Set<string> } | { error: string };

/** The fingerprints of a SARIF or JSON report's findings, or what is wrong with the text. */
export function readBaseline(text: string): BaselineResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { error: `not JSON (${(e as Error).message})` };
  }
  const fingerprints = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === 'string' && v) fingerprints.add(v);
  };
  if (isObject(doc) && Array.isArray(doc.runs)) {
    let results = 0;
    for (const run of doc.runs) {
      if (!isObject(run) || !Array.isArray(run.results)) continue;
      results += run.results.length;
      for (const r of run.results) if (isObject(r) && isObject(r.partialFingerprints)) add(r.partialFingerprints[fingerprintKey]);
    }
    if (fingerprints.size === 0 && results > 0) return { error: `its results carry no '${fingerprintKey}' fingerprint (${stale})` };
    return { fingerprints };
  }
  if (isObject(doc) && Array.isArray(doc.findings)) {
    for (const f of doc.findings) if (isObject(f)) add(f.fingerprint);
    if (fingerprints.size === 0 && doc.findings.length > 0) {
      return { error: `its findings carry no fingerprint (${stale})` };
    }
    return { fingerprints };
  }
  return { error: "neither a SARIF log (runs) nor an ioctl-lens JSON report (findings)" };
}

/**
 * What a run compared with its baseline, in SARIF's words (`baselineState`):
 * `unchanged` findings the baseline held and the run found again (left out
 * of the report), `absent` fingerprints the baseline held that the run no
 * longer finds (fixed, or moved to another file or symbol). Every finding
 * reported is `new`.
 */
export interface BaselineSummary {
  /** The baseline file as the user named it. */
  file: string;
  unchanged: number;
  absent: number;
}

/** The findings not in the baseline (to report), and the counts of the comparison. */
export function newFindings<F extends Finding>(findings: readonly F[], baseline: ReadonlySet<string>, baseDir: string, file: string): { findings: F[]; summary: BaselineSummary } {
  const found = new Set<string>();
  const kept = findings.filter((f) => {
    const fp = reportedFingerprint(f, baseDir);
    found.add(fp);
    return !baseline.has(fp);
  });
  let absent = 0;
  for (const fp of baseline) if (!found.has(fp)) absent++;
  return { findings: kept, summary: { file, unchanged: findings.length - kept.length, absent } };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
