/**
 * The `ioctl-lens layout` command through `main()`, with captured output:
 * option handling, exit statuses, the JSON shape and the text tables.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Io, main } from '../server/src/cli/main';
import type { AbiReport } from '../server/src/core/report';
import { repoRoot } from './helpers';

function run(argv: string[]): { status: number; out: string; err: string } {
  let out = '';
  let err = '';
  const io: Io = { out: (s) => (out += s), err: (s) => (err += s), isTty: false, cwd: repoRoot };
  const status = main(argv, io);
  return { status, out, err };
}

function tempHeader(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-cli-'));
  const file = path.join(dir, 'h.h');
  fs.writeFileSync(file, text);
  return file;
}

const sample = path.join(repoRoot, 'samples/driver/ioctl_interface.h');

describe('cli: layout', () => {
  it('rejects unusable input with status 2', () => {
    assert.equal(run(['layout']).status, 2);
    assert.equal(run(['layout', '/nonexistent/x.h']).status, 2);
    assert.match(run(['layout', '--abi', 'mips', sample]).err, /unknown ABI 'mips'/);
    assert.match(run(['layout', '--bogus', sample]).err, /unknown option '--bogus'/);
    assert.equal(run(['frobnicate']).status, 2);
  });

  it('prints one JSON object for one ABI, with typedefs, bit-fields and anonymous members', () => {
    const file = tempHeader(`
typedef struct _S { char c; union { int i; void *p; }; unsigned a : 3, b : 5; } S, *PS;
typedef struct { HANDLE h; ULONG n; } ANON;
`);
    const { status, out } = run(['layout', '--json', '--abi', 'x64', file]);
    assert.equal(status, 0);
    const report = JSON.parse(out) as AbiReport;
    assert.equal(report.abi, 'x64');
    const s = report.records.find((r) => r.name === '_S')!;
    assert.deepEqual(s.typedefs, ['S', '*PS']);
    assert.equal(s.kind, 'struct');
    assert.equal(s.line, 2);
    assert.equal(s.size, 24);
    assert.equal(s.align, 8);
    assert.equal(s.fields[1].name, null);
    assert.deepEqual(
      s.fields[1].fields!.map((f) => [f.name, f.offset, f.size]),
      [['i', 8, 4], ['p', 8, 8]],
    );
    assert.deepEqual(
      s.fields.slice(2).map((f) => [f.name, f.offset, f.bitOffset, f.bitWidth]),
      [['a', 16, 0, 3], ['b', 16, 3, 5]],
    );
    const anon = report.records.find((r) => r.name === 'ANON')!;
    assert.deepEqual(anon.typedefs, ['ANON']);
    assert.deepEqual(anon.fields.map((f) => [f.name, f.type, f.offset]), [['h', 'HANDLE', 0], ['n', 'ULONG', 8]]);
  });

  it('prints an array of reports for several ABIs, and only records of the named files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-cli-'));
    fs.writeFileSync(path.join(dir, 'inc.h'), 'struct INCLUDED { int x; };\n');
    fs.writeFileSync(path.join(dir, 'main.h'), '#include "inc.h"\nstruct MAIN { struct INCLUDED i; void *p; };\n');
    const { status, out } = run(['layout', '--json', '--abi', 'x86,x64,arm64,arm32', path.join(dir, 'main.h')]);
    assert.equal(status, 0);
    const reports = JSON.parse(out) as AbiReport[];
    assert.deepEqual(reports.map((r) => r.abi), ['x86', 'x64', 'arm64', 'arm32']);
    assert.deepEqual(reports.map((r) => r.records.map((x) => x.name)), [['MAIN'], ['MAIN'], ['MAIN'], ['MAIN']]);
    assert.deepEqual(reports.map((r) => r.records[0].size), [8, 16, 16, 8]);
  });

  it('applies -D, -U, -I and --include', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-cli-'));
    fs.mkdirSync(path.join(dir, 'inc'));
    fs.writeFileSync(path.join(dir, 'inc', 'types.h'), 'typedef long long WIDE;\n');
    fs.writeFileSync(path.join(dir, 'forced.h'), '#define FORCED 1\n');
    fs.writeFileSync(
      path.join(dir, 'main.h'),
      '#include <types.h>\nstruct T {\n#if defined(EXTRA) && FORCED\n WIDE extra;\n#endif\n#ifdef _WIN64\n char only64;\n#endif\n int x; };\n',
    );
    const file = path.join(dir, 'main.h');
    const fields = (args: string[]) =>
      (JSON.parse(run(['layout', '--json', '--abi', 'x64', ...args, file]).out) as AbiReport).records[0].fields.map((f) => f.name);
    assert.deepEqual(fields(['-I', path.join(dir, 'inc')]), ['only64', 'x']);
    assert.deepEqual(fields([`-I${path.join(dir, 'inc')}`, '-DEXTRA', '--include', path.join(dir, 'forced.h')]), ['extra', 'only64', 'x']);
    assert.deepEqual(fields(['-I', path.join(dir, 'inc'), '-U', '_WIN64']), ['x']);
  });

  it('renders side-by-side tables that mark differing rows and padding', () => {
    const { status, out } = run(['layout', sample]);
    assert.equal(status, 0);
    const table = out.split('\n\n').find((t) => t.startsWith('struct _CONTOSO_OPEN_SESSION'))!;
    assert.ok(table, out);
    assert.match(table, /layout differs between ABIs/);
    assert.match(table, /^ {2}! CompletionEvent +HANDLE +4 +4 +8 +8$/m);
    assert.match(table, /^ {4}Version +ULONG +0 +4 +0 +4$/m);
    assert.match(table, /^ {2}! <padding> +4 +4$/m);
    assert.match(table, /^ {2}! sizeof +20 +40$/m);
    const version = out.split('\n\n').find((t) => t.startsWith('struct _CONTOSO_VERSION'))!;
    assert.match(version, /same layout on all ABIs/);
  });

  it('reports diagnostics of the named file on stderr in compiler format, and keeps going', () => {
    const file = tempHeader('#include "missing.h"\nstruct OK { int a; };\nstruct BAD { int a\n');
    const { status, out, err } = run(['layout', file]);
    assert.equal(status, 0);
    assert.match(err, /h\.h:1:\d+: error: 'missing\.h' file not found \[pp-include-not-found\]/);
    assert.match(out, /struct OK/);
  });
});
