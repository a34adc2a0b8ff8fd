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
  it('reads .hpp files and --language c++ files as C++: qualified names, bases, vftable pointers', () => {
    const text = 'namespace contoso { struct Base { virtual ~Base(); }; struct Req : Base { void *p; }; }\n';
    const hdr = tempHeader(text);
    const hpp = hdr.replace(/\.h$/, '.hpp');
    fs.writeFileSync(hpp, text);
    const json = (argv: string[]) => JSON.parse(run(argv).out) as AbiReport;
    const viaExtension = json(['layout', '--json', '--abi', 'x64', hpp]);
    assert.deepEqual(viaExtension.records.map((r) => [r.name, r.size, r.vfptr, r.bases?.map((b) => `${b.name}@${b.offset}`)]), [
      ['contoso::Base', 8, 0, undefined],
      ['contoso::Req', 16, undefined, ['contoso::Base@0']],
    ]);
    // A .h that uses C++ outside #ifdef __cplusplus is read as C++ without being told.
    assert.deepEqual(json(['layout', '--json', '--abi', 'x64', hdr]).records.map((r) => r.name), ['contoso::Base', 'contoso::Req']);
    const told = json(['layout', '--json', '--abi', 'x64', '-x', 'c++', hdr]);
    assert.deepEqual(told.records.map((r) => ({ ...r, file: '' })), viaExtension.records.map((r) => ({ ...r, file: '' })));
    const asC = run(['layout', '--json', '--abi', 'x64', '--language', 'c', hpp]);
    assert.match(asC.err, /error/);
    assert.match(run(['layout', '--language', 'fortran', hpp]).err, /unknown language 'fortran' \(expected c, c\+\+ or auto\)/);
  });

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

describe('cli: help, version and mistakes, the same for every command', () => {
  const commands = ['layout', 'check', 'thunk', 'serve'];

  it('COMMAND --help prints that command\'s help alone, on stdout, status 0', () => {
    for (const command of commands) {
      const r = run([command, '--help']);
      assert.equal(r.status, 0, command);
      assert.equal(r.err, '');
      assert.match(r.out, new RegExp(`^usage: ioctl-lens ${command} `), command);
      for (const other of commands.filter((c) => c !== command)) assert.doesNotMatch(r.out, new RegExp(`ioctl-lens ${other}\\b`), `${command} --help mentions ${other}`);
    }
    assert.equal(run(['help', 'thunk']).out, run(['thunk', '-h']).out);
    const top = run(['--help']);
    assert.equal(top.status, 0);
    assert.match(top.out, /ioctl-lens COMMAND --help/);
    assert.doesNotMatch(top.out, /--format|--no-prelude/, 'the top-level help lists commands, not every option');
    // After `--`, --help is a file name.
    assert.match(run(['layout', '--', '--help']).err, /no such file: --help/);
  });

  it('--version prints the package version, alone or after a command', () => {
    const version = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
    for (const argv of [['--version'], ['-V'], ['layout', '--version'], ['check', '--version']]) {
      const r = run(argv);
      assert.equal(r.status, 0);
      assert.equal(r.out, `ioctl-lens ${version}\n`);
    }
  });

  it('a wrong option gets one line naming the nearest option, not a cascade or the whole help', () => {
    const r = run(['layout', '--abbi', 'x86', sample]);
    assert.equal(r.status, 2);
    assert.equal(r.out, '');
    assert.equal(r.err, "ioctl-lens layout: unknown option '--abbi' (did you mean '--abi'?)\nTry 'ioctl-lens layout --help'.\n");
    assert.match(run(['check', '--fromat', 'json', 'samples']).err, /^ioctl-lens check: unknown option '--fromat' \(did you mean '--format'\?\)\nTry 'ioctl-lens check --help'\.\n$/);
    assert.match(run(['thunk', '--typ', 'X', sample]).err, /^ioctl-lens thunk: unknown option '--typ' \(did you mean '--type'\?\)\n/);
    assert.match(run(['serve', '--stdoi']).err, /^ioctl-lens serve: unknown option '--stdoi' \(did you mean '--stdio'\?\)\n/);
    // Nothing near: no guess.
    assert.equal(run(['layout', '--zzzzzz', sample]).err.split('\n')[0], "ioctl-lens layout: unknown option '--zzzzzz'");
    assert.equal(run(['layout', '-Q', sample]).err.split('\n')[0], "ioctl-lens layout: unknown option '-Q'");
    const command = run(['lyout', sample]);
    assert.equal(command.status, 2);
    assert.equal(command.err, "ioctl-lens: unknown command 'lyout' (did you mean 'layout'?)\nTry 'ioctl-lens --help'.\n");
  });

  it('every command reports unusable input as "ioctl-lens COMMAND: ..." lines and status 2', () => {
    const cases: [string[], RegExp][] = [
      [['layout'], /^ioctl-lens layout: no input files\n/],
      [['layout', '/nonexistent/x.h'], /^ioctl-lens layout: no such file: \/nonexistent\/x\.h\n/],
      [['check'], /^ioctl-lens check: no input files or folders\n/],
      [['check', '--format', 'xml', 'samples'], /^ioctl-lens check: unknown format 'xml'/],
      [['thunk', sample], /^ioctl-lens thunk: --type T is required\n/],
      [['serve'], /^ioctl-lens serve: --stdio is required/],
    ];
    for (const [argv, message] of cases) {
      const r = run(argv);
      assert.equal(r.status, 2, argv.join(' '));
      assert.match(r.err, message, argv.join(' '));
      assert.match(r.err, new RegExp(`Try 'ioctl-lens ${argv[0]} --help'\\.\\n$`), argv.join(' '));
      assert.doesNotMatch(r.err, /options:/, 'no help text dumped on a mistake');
    }
  });

  it('thunk --type with an unknown name lists the nearest record names the input defines', () => {
    const r = run(['thunk', '--type', 'CONTOSO_REQEST', sample]);
    assert.equal(r.status, 2);
    const names = /nearest first: (.*)$/m.exec(r.err)?.[1].split(', ');
    assert.ok(names, r.err);
    assert.equal(names[0], 'CONTOSO_REQUEST');
    assert.ok(names.length <= 5);
    assert.ok(!names.some((n) => n.startsWith('_')), 'one name per record, the typedef driver code uses');
    assert.ok(!names.includes('UNICODE_STRING'), 'the prelude\'s records are not the input\'s');
    assert.match(run(['thunk', '--type', 'SUBMIT', sample]).err, /nearest first: CONTOSO_SUBMIT_BATCH,/);
  });
});

describe('cli: layout tables for records only some ABIs define, in source order, with a legend', () => {
  const file = tempHeader(`struct FIRST { int a; };
#if defined(_WIN64)
typedef struct ONLY64 { void *p; unsigned f : 3, g : 5; } ONLY64;
#else
typedef struct ONLY32 { int q; } ONLY32;
#endif
struct LAST { char c; unsigned x : 4; };
`);

  it('shows a record defined under #if defined(_WIN64) as present on x64 only, with no blank columns or ! marks', () => {
    const { status, out } = run(['layout', file]);
    assert.equal(status, 0);
    const only64 = out.split('\n\n').find((t) => t.startsWith('struct ONLY64'))!;
    assert.match(only64.split('\n')[0], /only on x64 \(not defined on x86\)$/);
    assert.doesNotMatch(only64.split("\n").slice(1).join("\n"), /x86/);
    assert.doesNotMatch(only64, /^ {2}!/m);
    assert.match(only64, /^ {4}sizeof +16$/m);
    const only32 = out.split('\n\n').find((t) => t.startsWith('struct ONLY32'))!;
    assert.match(only32.split('\n')[0], /only on x86 \(not defined on x64\)$/);
    assert.match(only32, /^ {4}q +int +0 +4$/m);
  });

  it('lists records in source order, whichever ABI defines them', () => {
    const titles = run(['layout', file]).out.split('\n').filter((l) => l.startsWith('struct ')).map((l) => l.split(' ')[1]);
    assert.deepEqual(titles, ['FIRST', 'ONLY64', 'ONLY32', 'LAST']);
  });

  it('explains the marks, and the bit-field notation when a table uses it', () => {
    const lines = run(['layout', file]).out.trimEnd().split('\n');
    assert.match(lines.at(-2)!, /^legend: .*! marks a row that differs between ABIs/);
    assert.match(lines.at(-1)!, /bit-fields: offset 4:3 is bit 3 of the storage unit at byte 4; size 5b is 5 bits wide/);
    const noBits = run(['layout', tempHeader('struct P { int a; };\n')]).out;
    assert.doesNotMatch(noBits, /bit-fields:/);
    assert.match(noBits, /^legend: /m);
  });
});
