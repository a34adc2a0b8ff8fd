import * as assert from 'node:assert/strict';
import { expectFixtures } from './fixtures';

describe('rule native-size-check', () => {
  it('fires on native sizeof length checks outside a 32-bit branch, and nowhere else', () => {
    const findings = expectFixtures('native-size-check');
    assert.match(findings[0].message, /sizeof\(U_OPEN\) \(16 bytes on x64\) outside a 32-bit branch: a 32-bit caller's U_OPEN is 8 bytes, so it is rejected/);
    assert.equal(findings[0].loc.col, 24);
  });
});
