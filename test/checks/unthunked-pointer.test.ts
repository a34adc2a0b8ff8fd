import * as assert from 'node:assert/strict';
import { expectFixtures } from './fixtures';

describe('rule unthunked-pointer', () => {
  it('fires on boundary types that need translation and have no shadow, and nowhere else', () => {
    const findings = expectFixtures('unthunked-pointer');
    const byType = new Map(findings.map((f) => [f.symbol, f]));
    assert.deepEqual([...byType.keys()].sort(), ['T1_BATCH', 'T1_ITEM', 'T1_NAMED', 'T1_OPEN', 'T1_SIZED']);
    assert.equal(byType.get('T1_OPEN')!.severity, 'warning');
    assert.match(byType.get('T1_OPEN')!.message, /8 bytes on x86, 16 on x64\): Event \(HANDLE\) is 4 bytes on x86 and 8 on x64/);
    // The member chain through a nested record.
    assert.match(byType.get('T1_NAMED')!.message, /Name\.Buffer \(PWCH\) is 4 bytes on x86 and 8 on x64/);
    // Deep: reached through T1_BATCH.Items.
    assert.ok(byType.get('T1_ITEM')!.related.some((r) => /T1_BATCH\.Items points to it/.test(r.message)));
    assert.ok(byType.get('T1_OPEN')!.related.some((r) => /IOCTL_T1_OPEN passes it \(@in\)/.test(r.message)));
  });
});
