/**
 * Inputs far larger than any real header, through every front end: a header
 * with 150,000 IOCTL macros of one value (150,000 duplicate-code findings)
 * and 130,000 lines of `BOGUS x;` (130,000 diagnostics). Before, `check`
 * died with `RangeError` (an array spread into `push`), `layout` died in
 * `diagnostics.push(...)`, and the server's publishing failed with the
 * same error, logged only, so the document never got diagnostics. Each must
 * now finish and report everything. (Not timed: mocha's timeout is the bound.)
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Io, main } from '../server/src/cli/main';
import { startClient } from './lsp/client';

function run(argv: string[]): { status: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (s) => void out.push(s), err: (s) => void err.push(s), isTty: false, cwd: os.tmpdir() };
  const status = main(argv, io);
  return { status, out: out.join(''), err: err.join('') };
}

const ioctlCount = 150_000;
const bogusLines = 130_000;

describe('scale: 150,000 IOCTL macros and 130,000 bad lines', function () {
  this.timeout(300_000);
  let dir: string;
  let ioctls: string;
  let bogus: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-scale-'));
    ioctls = path.join(dir, 'ioctls.h');
    bogus = path.join(dir, 'bogus.h');
    const lines = ['#define FILE_DEVICE_UNKNOWN 0x22'];
    for (let i = 0; i < ioctlCount; i++) lines.push(`#define IOCTL_X${i} CTL_CODE(FILE_DEVICE_UNKNOWN, 0x900, METHOD_BUFFERED, FILE_ANY_ACCESS)`);
    fs.writeFileSync(ioctls, lines.join('\n') + '\n');
    fs.writeFileSync(bogus, 'BOGUS x;\n'.repeat(bogusLines));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('check reports every duplicate control code', () => {
    const r = run(['check', '--format', 'json', '--fail-on', 'never', ioctls]);
    assert.equal(r.status, 0, r.err.slice(0, 500));
    const report = JSON.parse(r.out) as { findings: { rule: string }[]; summary: { errors: number } };
    assert.equal(report.findings.filter((f) => f.rule === 'duplicate-ioctl-code').length, ioctlCount - 1);
    assert.equal(report.summary.errors, ioctlCount - 1);
  });

  it('layout reports every bad line, and check finishes on them', () => {
    const r = run(['layout', bogus]);
    assert.equal(r.status, 0);
    assert.equal(r.err.split('\n').filter((l) => l.includes("unknown type name 'BOGUS'")).length, bogusLines);
    const c = run(['check', '--fail-on', 'never', bogus]);
    assert.equal(c.status, 0, c.err.slice(0, 500));
  });

  it('the server publishes the 149,999 duplicates of the open header and answers a hover', async () => {
    const c = await startClient({ rootPath: dir, settings: { index: { enabled: false } } });
    try {
      const uri = await c.open(ioctls, undefined, 'c');
      const d = await c.diagnostics(uri, () => true, 280_000);
      assert.equal(d.diagnostics.filter((x) => x.code === 'duplicate-ioctl-code').length, ioctlCount - 1);
      const h = await c.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 12 } });
      assert.match(h.contents.value, /IOCTL_X4/);
      assert.ok(!c.logs.some((l) => /RangeError/.test(l)), c.logs.join('\n').slice(0, 2000));
    } finally {
      await c.shutdown();
    }
  });
});
