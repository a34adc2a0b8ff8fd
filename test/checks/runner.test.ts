import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { rules, ruleIds } from '../../server/src/core/checks/catalogue';
import { parseSuppression } from '../../server/src/core/ioctl';
import { repoRoot } from '../helpers';
import * as fs from 'node:fs';
import { checkFolder, expectFixtures, fixturesDir } from './fixtures';

describe('check runner', () => {
  it('honours // ioctl-lens-ignore RULE on the line or the line above, for that rule only', () => {
    expectFixtures('reserved-function-code', path.join(fixturesDir, 'suppression'));
  });

  it('applies severity overrides and turns rules off', () => {
    const folder = path.join(fixturesDir, 'reserved-function-code');
    const asError = checkFolder(folder, { 'reserved-function-code': 'error' }).findings.filter((f) => f.rule === 'reserved-function-code');
    assert.ok(asError.length === 3 && asError.every((f) => f.severity === 'error'));
    assert.equal(checkFolder(folder, { 'reserved-function-code': 'off' }).findings.filter((f) => f.rule === 'reserved-function-code').length, 0);
  });

  it('parses suppression comments', () => {
    assert.deepEqual(parseSuppression('// ioctl-lens-ignore stale-shadow, probe-alignment'), ['stale-shadow', 'probe-alignment']);
    assert.deepEqual(parseSuppression('/* ioctl-lens-ignore */'), ['*']);
    assert.deepEqual(parseSuppression('// nothing here'), []);
  });

  it('has a documentation page with bad and good examples for every rule', () => {
    for (const id of ruleIds) {
      const doc = path.join(repoRoot, rules[id].doc);
      assert.ok(fs.existsSync(doc), `missing ${rules[id].doc}`);
      const text = fs.readFileSync(doc, 'utf8');
      assert.match(text, /bad/i, id);
      assert.match(text, /good/i, id);
    }
  });

  it('the sample driver exercises every rule and the clean sample none', () => {
    const driver = checkFolder(path.join(repoRoot, 'samples', 'driver')).findings;
    assert.deepEqual([...new Set(driver.map((f) => f.rule))].sort(), [...ruleIds].sort());
    assert.deepEqual(checkFolder(path.join(repoRoot, 'samples', 'clean')).findings, []);
  });
});
