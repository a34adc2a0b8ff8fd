import * as assert from 'node:assert/strict';
import { expectFixtures } from './fixtures';

describe('rule reserved-function-code', () => {
  it('fires on function codes below 0x800, including CTL_CODE macros not named IOCTL_*', () => {
    const findings = expectFixtures('reserved-function-code');
    assert.deepEqual(findings.map((f) => f.symbol), ['IOCTL_R1_PING', 'IOCTL_R1_RAW', 'R1_SECRET_CODE']);
    assert.match(findings[0].message, /function code 0x7FF; codes 0x000-0x7FF are reserved for Microsoft/);
  });
});
