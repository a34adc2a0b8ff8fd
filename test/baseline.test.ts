import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as Sarif from 'sarif';
import { main } from '../server/src/cli/main';
import { readBaseline } from '../server/src/core/baseline';
import { repoRoot, sarifValidator } from './helpers';
import { type PublishedDiagnostics, startClient, uriOf } from './lsp/client';

function run(args: string[], cwd: string) {
  let out = '';
  let err = '';
  const code = main(['check', ...args], { out: (s) => (out += s), err: (s) => (err += s), isTty: false, cwd });
  return { code, out, err };
}

/** A copy of the sample driver to edit (the check runs from its folder, as CI runs from a checkout). */
function sampleCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-baseline-'));
  fs.cpSync(path.join(repoRoot, 'samples/driver'), dir, { recursive: true });
  return dir;
}

const newIoctl = '#define IOCTL_CONTOSO_BASELINE_NEW CONTOSO_IOCTL(0x8A1, METHOD_NEITHER, FILE_ANY_ACCESS)\n';

describe('check --baseline', () => {
  let dir: string;
  before(() => {
    dir = sampleCopy();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const format of ['sarif', 'json']) {
    it(`reports only findings not in an earlier ${format} report, also after lines moved`, () => {
      const first = run(['--format', format, '.'], dir);
      assert.equal(first.code, 1);
      const baselineFile = path.join(dir, `base.${format}`);
      fs.writeFileSync(baselineFile, first.out);
      const total = format === 'sarif' ? JSON.parse(first.out).runs[0].results.length : JSON.parse(first.out).findings.length;
      assert.ok(total > 5, `${total} findings in the sample`);

      // Nothing new: no findings, exit 0, and the count of what the baseline held.
      const same = run(['--baseline', `base.${format}`, '.'], dir);
      assert.equal(same.code, 0, same.out + same.err);
      assert.match(same.out, /0 error\(s\), 0 warning\(s\)/);
      assert.match(same.err, new RegExp(`${total} finding\\(s\\) in the baseline base\\.${format} not reported`));

      // Lines moved (a comment block added at the top) and one new finding: only that one is reported.
      const iface = path.join(dir, 'ioctl_interface.h');
      const original = fs.readFileSync(iface, 'utf8');
      try {
        const at = original.indexOf('#define IOCTL_CONTOSO_MAP_RING');
        fs.writeFileSync(iface, '/* moved\n * down\n * by four lines\n */\n' + original.slice(0, at) + newIoctl + original.slice(at));
        const after = run(['--format', 'json', '--baseline', `base.${format}`, '.'], dir);
        const report = JSON.parse(after.out);
        assert.deepEqual(
          report.findings.map((f: { rule: string; symbol: string }) => `${f.rule} ${f.symbol}`),
          ['method-neither-any-access IOCTL_CONTOSO_BASELINE_NEW'],
        );
        assert.equal(after.code, 1);
        assert.match(after.err, new RegExp(`${total} finding\\(s\\) in the baseline`));
      } finally {
        fs.writeFileSync(iface, original);
      }
    });
  }

  it('says what the baseline held in the JSON summary and the SARIF log: unchanged and absent counts, each result new', () => {
    const iface = path.join(dir, 'ioctl_interface.h');
    const original = fs.readFileSync(iface, 'utf8');
    const at = original.indexOf('#define IOCTL_CONTOSO_MAP_RING');
    const withIoctl = (line: string) => fs.writeFileSync(iface, original.slice(0, at) + line + original.slice(at));
    try {
      // The baseline holds one finding the run will no longer find (its IOCTL is gone) ...
      const total = JSON.parse(run(['--format', 'json', '.'], dir).out).findings.length;
      withIoctl(newIoctl);
      fs.writeFileSync(path.join(dir, 'held.sarif'), run(['--format', 'sarif', '.'], dir).out);
      // ... and the run finds one it does not hold.
      withIoctl(newIoctl.replace('BASELINE_NEW', 'BASELINE_OTHER').replace('0x8A1', '0x8A2'));
      const expected = { file: 'held.sarif', unchanged: total, absent: 1 };

      const sarifRun = run(['--format', 'sarif', '--baseline', 'held.sarif', '.'], dir);
      assert.equal(sarifRun.code, 1);
      const log = JSON.parse(sarifRun.out) as Sarif.Log;
      assert.ok(sarifValidator()(log), 'the SARIF log validates against the 2.1.0 schema');
      assert.deepEqual(
        (log.runs[0].results ?? []).map((r) => [r.ruleId, r.locations?.[0].logicalLocations?.[0].name, r.baselineState]),
        [['method-neither-any-access', 'IOCTL_CONTOSO_BASELINE_OTHER', 'new']],
      );
      assert.deepEqual(log.runs[0].properties, { baseline: expected });
      assert.match(sarifRun.err, new RegExp(`${total} finding\\(s\\) in the baseline held\\.sarif not reported; 1 of its finding\\(s\\) no longer found`));

      const json = JSON.parse(run(['--format', 'json', '--baseline', 'held.sarif', '.'], dir).out);
      assert.deepEqual(json.summary.baseline, expected);
      assert.equal(json.summary.warnings + json.summary.errors, 1);

      // Without a baseline: no baselineState, no summary.baseline.
      const plain = JSON.parse(run(['--format', 'sarif', '.'], dir).out);
      assert.ok(plain.runs[0].results.every((r: { baselineState?: string }) => r.baselineState === undefined));
      assert.equal(plain.runs[0].properties, undefined);
      assert.equal(JSON.parse(run(['--format', 'json', '.'], dir).out).summary.baseline, undefined);
    } finally {
      fs.writeFileSync(iface, original);
    }
  });

  it('the JSON report and the SARIF log carry the same fingerprints', () => {
    const json = JSON.parse(run(['--format', 'json', '.'], dir).out);
    const sarif = JSON.parse(run(['--format', 'sarif', '.'], dir).out);
    const fromJson = json.findings.map((f: { fingerprint: string }) => f.fingerprint).sort();
    const fromSarif = sarif.runs[0].results.map((r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints['ioctlLens/v2']).sort();
    assert.deepEqual(fromJson, fromSarif);
    assert.equal(new Set(fromJson).size, fromJson.length, 'fingerprints are distinct');
  });

  it('refuses a baseline it cannot use, with exit status 2 and the reason', () => {
    const missing = run(['--baseline', 'nope.sarif', '.'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot read the baseline nope\.sarif: ENOENT/);

    fs.writeFileSync(path.join(dir, 'bad.json'), '{ "runs": [ ');
    const bad = run(['--baseline', 'bad.json', '.'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /the baseline bad\.json is not JSON/);

    // A SARIF log from another tool (results without ioctl-lens's fingerprint) would suppress nothing: said, not ignored.
    fs.writeFileSync(path.join(dir, 'other.sarif'), JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ ruleId: 'a', message: { text: 'm' } }] }] }));
    const other = run(['--baseline', 'other.sarif', '.'], dir);
    assert.equal(other.code, 2);
    assert.match(other.err, /no 'ioctlLens\/v2' fingerprint/);
  });

  it('reads fingerprints from SARIF and JSON, and an empty report as an empty baseline', () => {
    assert.deepEqual(readBaseline(JSON.stringify({ runs: [{ results: [{ partialFingerprints: { 'ioctlLens/v2': 'ab' } }, { partialFingerprints: { 'ioctlLens/v2': 'cd' } }] }] })), { fingerprints: new Set(['ab', 'cd']) });
    assert.deepEqual(readBaseline('\uFEFF' + JSON.stringify({ findings: [{ fingerprint: 'ef' }] })), { fingerprints: new Set(['ef']) });
    assert.deepEqual(readBaseline(JSON.stringify({ runs: [{ results: [] }] })), { fingerprints: new Set() });
    assert.match((readBaseline('[1, 2]') as { error: string }).error, /neither a SARIF log/);
    assert.match((readBaseline(JSON.stringify({ findings: [{ rule: 'x' }] })) as { error: string }).error, /carry no fingerprint/);
  });

  it("puts the fingerprint in the editor's Diagnostic.data, the one check reports from the workspace folder", async function () {
    this.timeout(60000);
    const sarif = JSON.parse(run(['--format', 'sarif', '.'], dir).out);
    const checked = new Set(sarif.runs[0].results.map((r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints['ioctlLens/v2']));
    const c = await startClient({ rootPath: dir });
    try {
      const uri = await c.open(path.join(dir, 'ioctl_interface.h'));
      const published: PublishedDiagnostics = await c.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'unthunked-pointer'));
      const rules = published.diagnostics.filter((d) => d.codeDescription !== undefined);
      assert.ok(rules.length >= 3, JSON.stringify(rules.map((d) => d.code)));
      for (const d of rules) {
        const fp = (d.data as { fingerprint?: string } | undefined)?.fingerprint;
        assert.ok(fp && checked.has(fp), `${d.code} ${d.message}: ${fp} not among check's fingerprints`);
      }
      assert.equal(published.uri, uriOf(path.join(dir, 'ioctl_interface.h')));
    } finally {
      await c.shutdown();
    }
  });
});
