import * as assert from 'node:assert/strict';
import { expectFixtures } from './fixtures';

describe('rule duplicate-ioctl-code', () => {
  it('fires on distinct IOCTL macros with one value, not on aliases', () => {
    const findings = expectFixtures('duplicate-ioctl-code');
    assert.equal(findings[0].severity, 'error');
    assert.equal(findings[0].message, 'IOCTL_D1_RESET_STATS has the same control code 0x9401600C as IOCTL_D1_GET_STATS: the dispatch routine cannot tell them apart');
    assert.match(findings[0].related[0].message, /IOCTL_D1_GET_STATS is CTL_CODE\(0x9401, 0x803, METHOD_BUFFERED, FILE_READ_ACCESS\) = 0x9401600C/);
  });
});
