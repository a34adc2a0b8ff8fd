import * as assert from 'node:assert/strict';
import { expectFixtures } from './fixtures';

describe('rule unhandled-32bit-caller', () => {
  it('fires on cases that use a type needing translation without a 32-bit test, and nowhere else', () => {
    const findings = expectFixtures('unhandled-32bit-caller');
    assert.equal(findings[0].symbol, 'IOCTL_U_OPEN');
    assert.match(findings[0].message, /IOCTL_U_OPEN uses 'U_OPEN' as its buffer but never calls IoIs32bitProcess\(Irp\): 32-bit callers send 8 bytes laid out for x86, the driver reads 16 bytes/);
    // Found through the callee.
    assert.ok(findings[1].related.some((r) => /in UseOpen/.test(r.message)));
  });
});
