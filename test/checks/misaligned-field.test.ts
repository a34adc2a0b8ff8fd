import * as assert from 'node:assert/strict';
import { expectFixtures } from './fixtures';

describe('rule misaligned-field', () => {
  it('fires on packed members of boundary types, and nowhere else', () => {
    const findings = expectFixtures('misaligned-field');
    assert.match(findings[0].message, /'M1_STATS\.Frames' \(ULONG\) is at offset 1 on x86 and x64, not a multiple of its natural alignment 4/);
    const time = findings.find((f) => f.symbol === 'M1_TIME')!;
    assert.match(time.message, /offset 4 on x86 and x64, not a multiple of its natural alignment 8/);
  });
});
