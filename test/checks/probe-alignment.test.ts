import * as assert from 'node:assert/strict';
import { expectFixtures } from './fixtures';

describe('rule probe-alignment', () => {
  it('fires on probes with an ABI-dependent alignment outside a 32-bit branch, and nowhere else', () => {
    const findings = expectFixtures('probe-alignment');
    assert.match(findings[0].message, /^ProbeForRead requires the x64 alignment of U_OPEN \(8\) outside a 32-bit branch, but a 32-bit caller only aligns it to 4/);
    assert.match(findings[1].message, /^ProbeForWrite requires the x64 alignment of ULONG_PTR \(8\)/);
  });
});
