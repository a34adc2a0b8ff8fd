import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { expectFixtures } from './fixtures';

describe('rule method-neither-any-access', () => {
  it('fires on METHOD_NEITHER with FILE_ANY_ACCESS (not FILE_SPECIAL_ACCESS), with a fix', () => {
    const findings = expectFixtures('method-neither-any-access');
    const fix = findings[0].fixes![0];
    assert.equal(fix.title, 'Require FILE_READ_ACCESS | FILE_WRITE_ACCESS');
    const edit = fix.edits[0];
    const lines = fs.readFileSync(edit.file, 'utf8').split('\n');
    const line = lines[edit.start.line - 1];
    const fixed = line.slice(0, edit.start.col - 1) + edit.newText + line.slice(edit.end.col - 1);
    assert.equal(fixed, '#define IOCTL_N1_MAP N1_IOCTL(0x800, METHOD_NEITHER, FILE_READ_ACCESS | FILE_WRITE_ACCESS)');
  });
});
