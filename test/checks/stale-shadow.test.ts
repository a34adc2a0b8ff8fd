import * as assert from 'node:assert/strict';
import { expectFixtures } from './fixtures';

describe('rule stale-shadow', () => {
  it('fires on shadows whose x64 layout is not the native x86 layout, and nowhere else', () => {
    const findings = expectFixtures('stale-shadow');
    const by = new Map(findings.map((f) => [f.symbol, f]));
    assert.equal(by.get('S1_REQ32')!.severity, 'error');
    assert.match(by.get('S1_REQ32')!.message, /Buffer is at offset 8 in the shadow but 4 in the native type, and 1 more difference \('S1_REQ32' is 24 bytes on x64, 'S1_REQ' is 12 on x86\)/);
    assert.match(by.get('S1_OPEN_32')!.message, /member Flags is missing/);
    assert.match(by.get('S1_NAME_WOW64')!.message, /Name is at offset 8 in the shadow but 4 in the native type/);
    assert.ok(by.get('S1_NAME_WOW64')!.related.some((r) => /declared its shadow here/.test(r.message)));
  });
});
