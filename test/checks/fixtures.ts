/**
 * The one helper the rule tests share: run `check` over a rule's fixture
 * folder and compare that rule's findings with the `// ^ rule-id` markers
 * written under the lines they must point at (see test/fixtures/checks/README.md).
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CheckRequest, type CheckResult, runCheck } from '../../server/src/cli/check';
import type { Finding, RuleId } from '../../server/src/core/checks/index';
import { repoRoot } from '../helpers';

export const fixturesDir = path.join(repoRoot, 'test', 'fixtures', 'checks');

export function checkFolder(folder: string, rules: Partial<Record<string, 'error' | 'warning' | 'info' | 'off'>> = {}): CheckResult {
  return runCheck({ paths: [folder], abis: ['x86', 'x64'], includeDirs: [], defines: [], undefines: [], forcedIncludes: [], rules });
}

/** `file:line` of every `// ^ rule` marker in the folder (the line above the marker). */
export function markers(folder: string, rule: string): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(folder)) {
    const lines = fs.readFileSync(path.join(folder, name), 'utf8').split(/\r?\n/);
    lines.forEach((l, i) => {
      const m = /\/\/\s*\^\s*([a-z0-9-]+)/.exec(l);
      if (m && m[1] === rule) out.push(`${name}:${i}`);
    });
  }
  return out.sort();
}

/** Runs the rule's fixtures and asserts findings and markers agree; returns that rule's findings. */
export function expectFixtures(rule: RuleId, folder = path.join(fixturesDir, rule)): Finding[] {
  const result = checkFolder(folder);
  const findings = result.findings.filter((f) => f.rule === rule);
  const actual = findings.map((f) => `${path.basename(f.loc.file)}:${f.loc.line}`).sort();
  assert.deepEqual(actual, markers(folder, rule), findings.map((f) => `${path.basename(f.loc.file)}:${f.loc.line}: ${f.message}`).join('\n'));
  assert.ok(actual.length > 0, 'a rule fixture must fire at least once');
  for (const f of findings) assert.ok(!path.basename(f.loc.file).startsWith('near-'), `near miss fired: ${f.message}`);
  return findings;
}

export const driverFixturesDir = path.join(repoRoot, 'test', 'fixtures', 'drivers');

/** Every file under a folder, relative to it, sorted. */
function filesUnder(folder: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(folder, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...filesUnder(folder, rel));
    else out.push(rel);
  }
  return out.sort();
}

/** `file:line rule` of every `// ^ rule` marker under the folder, of any rule. */
export function allMarkers(folder: string): string[] {
  const out: string[] = [];
  for (const rel of filesUnder(folder)) {
    const lines = fs.readFileSync(path.join(folder, rel), 'utf8').split(/\r?\n/);
    lines.forEach((l, i) => {
      const m = /\/\/\s*\^\s*([a-z0-9-]+)/.exec(l);
      if (m) out.push(`${rel}:${i} ${m[1]}`);
    });
  }
  return out.sort();
}

/**
 * Checks a driver fixture folder as one run of `check` and asserts that its
 * findings, of every rule, are exactly its markers (see test/fixtures/drivers/README.md).
 */
export function expectDriverFixture(name: string, request: Partial<CheckRequest> = {}): CheckResult {
  const folder = path.join(driverFixturesDir, name);
  const result = runCheck({ paths: [folder], abis: ['x86', 'x64'], includeDirs: [], defines: [], undefines: [], forcedIncludes: [], rules: {}, ...request });
  const actual = result.findings.map((f) => `${path.relative(folder, f.loc.file).split(path.sep).join('/')}:${f.loc.line} ${f.rule}`).sort();
  const detail = result.findings.map((f) => `${path.relative(folder, f.loc.file)}:${f.loc.line}: [${f.rule}] ${f.message}`).join('\n');
  assert.deepEqual(actual, allMarkers(folder), detail);
  for (const f of result.findings) assert.ok(!/(^|\/)near-/.test(path.relative(folder, f.loc.file)), `near miss fired: ${f.message}`);
  return result;
}
