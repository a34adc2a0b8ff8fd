/**
 * scripts/run-tests.mjs, the `npm test` runner: it reads each layer's counts
 * from the reporters' real closing lines, counts a crash as a failure, and
 * closes with one line totalling every layer and a failing exit status when
 * any layer failed.
 */

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from './helpers';

const runner = path.join(repoRoot, 'scripts/run-tests.mjs');

/** Calls one export of the (ES module) runner in a child Node and returns its JSON answer. */
function call(fn: string, ...args: unknown[]): any {
  const script = `import(${JSON.stringify(runner)}).then((m) => process.stdout.write(JSON.stringify(m.${fn}(...${JSON.stringify(args)}) ?? null)))`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('npm test runner (scripts/run-tests.mjs)', () => {
  it('reads mocha\'s spec summary, colours and all, and the last one when several are printed', () => {
    const output = '  layout\n    ✔ works\n\n\n  \x1b[92m 812 passing\x1b[0m\x1b[90m (1m)\x1b[0m\n  \x1b[36m 3 pending\x1b[0m\n  \x1b[31m 2 failing\x1b[0m\n\n  1) layout\n';
    assert.deepEqual(call('mochaCounts', output), { passed: 812, failed: 2, skipped: 3 });
    assert.deepEqual(call('mochaCounts', '  4 passing (2ms)\n'), { passed: 4, failed: 0, skipped: 0 });
    assert.equal(call('mochaCounts', 'TypeError: boom\n    at x.js:1\n'), null);
  });

  it('reads e2e/run.mjs\'s closing line', () => {
    assert.deepEqual(call('e2eCounts', 'e2e: suite exited with code 0 after 12.0 s\ne2e: 9 passed, 1 failed, 2 skipped\n'), { passed: 9, failed: 1, skipped: 2 });
    assert.equal(call('e2eCounts', 'e2e: suite exited with code 1\n'), null);
  });

  it('counts a layer that exits non-zero with nothing failed, or with no summary, as one failure', () => {
    assert.deepEqual(call('layerResult', 'unit', 0, { passed: 5, failed: 0, skipped: 0 }), { name: 'unit', passed: 5, failed: 0, skipped: 0, notes: [] });
    assert.deepEqual(call('layerResult', 'unit', 1, { passed: 5, failed: 0, skipped: 0 }), { name: 'unit', passed: 5, failed: 1, skipped: 0, notes: ['exited with status 1'] });
    assert.deepEqual(call('layerResult', 'e2e', 1, null, 'no summary line'), {
      name: 'e2e',
      passed: 0,
      failed: 1,
      skipped: 0,
      notes: ['no summary line', 'exited with status 1 and no summary'],
    });
    assert.deepEqual(call('layerResult', 'unit', 1, { passed: 5, failed: 2, skipped: 0 }).failed, 2);
  });

  it('ends with one line totalling every layer, skipped only when some were, and fails when any layer failed', () => {
    const green = call('report', [
      { name: 'unit', passed: 800, failed: 0, skipped: 0, notes: [] },
      { name: 'e2e', passed: 9, failed: 0, skipped: 0, notes: [] },
    ]);
    assert.equal(green.status, 0);
    assert.equal(green.lines.at(-1), 'total: 809 passed, 0 failed');
    assert.equal(green.lines.at(-2), 'layers: unit + e2e');
    const red = call('report', [
      { name: 'unit', passed: 798, failed: 2, skipped: 3, notes: [] },
      { name: 'install', passed: 7, failed: 0, skipped: 0, notes: [] },
      { name: 'e2e', passed: 0, failed: 1, skipped: 0, notes: ['e2e/setup.sh failed'] },
    ]);
    assert.equal(red.status, 1);
    assert.equal(red.lines.at(-1), 'total: 805 passed, 3 failed, 3 skipped');
    assert.ok(red.lines.includes('FAILED: unit, e2e (see above)'), red.lines.join('\n'));
    assert.ok(red.lines.includes('e2e      0 passed, 1 failed (e2e/setup.sh failed)'), red.lines.join('\n'));
  });

  it('refuses an unknown layer and lists the real ones', () => {
    const bad = spawnSync(process.execPath, [runner, 'unti'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown layer 'unti'/);
    const list = spawnSync(process.execPath, [runner, '--list'], { encoding: 'utf8' });
    assert.deepEqual(list.stdout.trim().split('\n'), ['build', 'unit', 'install', 'e2e']);
  });
});
