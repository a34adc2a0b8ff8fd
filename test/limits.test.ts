/**
 * Work per analysis is bounded: every pathological shape below ends in
 * time with a diagnostic where a limit is hit (and is analysed completely
 * where it stays under it), through the whole pipeline: preprocess, parse,
 * layout of every record, the WOW64 checks and thunk generation. Before,
 * macro growth took a gigabyte, nested parentheses, operator chains, nested
 * records, declarators and typedef chains overflowed the stack (reported as
 * an "internal error", or not at all), and headers that include each other
 * several times ran for minutes. The limits are in the README.
 */

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeFile, createSession, mergedDiagnostics } from '../server/src/core/analyze';
import { runChecks } from '../server/src/core/checks/index';
import { maxExpansions, maxTokens } from '../server/src/core/pp/state';
import { maxNesting, maxOperators } from '../server/src/core/parse-state';
import { memoryHost } from '../server/src/core/source';
import { recordReport } from '../server/src/core/report';
import { generateThunks } from '../server/src/core/thunk/index';
import { maxFileBytes } from '../server/src/node/host';
import { repoRoot } from './helpers';

interface Run {
  codes: string[];
  messages: string[];
  /** `name -> size` on x64 for every record laid out completely. */
  sizes: Map<string, number>;
  /** Records laid out with `complete: false`. */
  unusable: string[];
}

/** The whole pipeline on `files` (main file `/w/main.h`); throws only if the pipeline does. */
function run(files: Record<string, string>): Run {
  const analysis = analyzeFile(createSession(memoryHost(files)), '/w/main.h', { abis: ['x86', 'x64'] });
  const sizes = new Map<string, number>();
  const unusable: string[] = [];
  let some: string | undefined;
  for (const [abi, u] of analysis.units) {
    for (const r of u.unit.records) {
      if (!r.fields) continue;
      const l = u.layout.layoutOf(r);
      const name = r.tag ?? r.typedefs[0] ?? '<anonymous>';
      if (abi !== 'x64') continue;
      if (l.complete) sizes.set(name, l.size);
      else unusable.push(name);
      some ??= r.typedefs.find((t) => !t.startsWith('*')) ?? r.tag;
    }
  }
  runChecks([analysis]);
  if (some) generateThunks(analysis, { type: some });
  const diagnostics = mergedDiagnostics(analysis);
  return { codes: [...new Set(diagnostics.map((d) => d.code))], messages: diagnostics.map((d) => d.message), sizes, unusable };
}

const main = (text: string) => run({ '/w/main.h': text });

describe('limits: macro expansion', function () {
  this.timeout(60000);

  it('a macro that doubles twenty times stops at the expansion budget; fourteen times expands fully', () => {
    const doubling = (n: number) => ['#define X0(a) a a', ...Array.from({ length: n }, (_, i) => `#define X${i + 1}(a) X${i}(a) X${i}(a)`)];
    // (An initializer is skipped by the parser: the tokens cost only the preprocessor.)
    const small = main([...doubling(14), 'int v[] = { X14(1) };', 'struct T { int t; };', ''].join('\n'));
    assert.deepEqual(small.codes, []);
    assert.equal(small.sizes.get('T'), 4);
    const big = main([...doubling(20), 'int v[] = { X20(1) };', 'struct T { int t; };', ''].join('\n'));
    assert.deepEqual(big.codes, ['pp-expansion-limit']);
    assert.match(big.messages[0], new RegExp(`budget of ${maxExpansions} expansions`));
    assert.equal(big.sizes.get('T'), 4, 'the rest of the file is still read');
  });

  it('#if over E22 = (E21+E21) stops at the budget', () => {
    const lines = ['#define E0 1', ...Array.from({ length: 22 }, (_, i) => `#define E${i + 1} (E${i}+E${i})`)];
    const r = main([...lines, '#if E22 > 0', 'struct T { int t; };', '#endif', 'struct U { int u; };', ''].join('\n'));
    assert.ok(r.codes.includes('pp-expansion-limit'), r.messages.join('\n'));
    assert.equal(r.sizes.get('U'), 4);
    // E12 is 4,096 ones: well within the budget, and exact.
    const ok = main([...lines.slice(0, 13), '#if E12 == 4096', 'struct T { int t; };', '#endif', ''].join('\n'));
    assert.deepEqual(ok.codes, []);
    assert.equal(ok.sizes.get('T'), 4);
  });

  it('headers that include each other ten times over stop at the token budget, each cycle reported once', () => {
    const r = run({
      '/w/main.h': '#include "b.h"\nstruct M { int m; };\n',
      '/w/a.h': '#include "b.h"\n'.repeat(10) + 'int a;\n',
      '/w/b.h': '#include "c.h"\n'.repeat(10) + 'int b;\n',
      '/w/c.h': '#include "a.h"\n'.repeat(10) + 'int c;\n',
    });
    assert.ok(r.codes.includes('pp-token-limit'), r.codes.join(', '));
    assert.ok(r.messages.some((m) => m.startsWith(`preprocessing stopped after ${maxTokens} tokens`)));
    const cycles = r.messages.filter((m) => m.includes('#include cycle'));
    assert.ok(cycles.length > 0 && cycles.length <= 30, `${cycles.length} cycle diagnostics`);
  });

  it('a header including itself, and a cycle of two, end with a diagnostic', () => {
    const r = run({ '/w/main.h': '#include "main.h"\n#include "x.h"\nstruct S { int s; };\n', '/w/x.h': '#include "y.h"\n', '/w/y.h': '#include "x.h"\n' });
    assert.ok(r.codes.includes('pp-include-cycle'));
    assert.equal(r.sizes.get('S'), 4);
  });
});

describe('limits: parsing and layout', function () {
  this.timeout(60000);

  it('1,000 nested parentheses: #if evaluates them; an array bound is past the nesting limit', () => {
    const deep = (n: number) => '('.repeat(n) + '1' + ')'.repeat(n);
    const r = main(`#if ${deep(1000)}\nstruct A { int a; };\n#endif\nstruct P { char p[${deep(1000)}]; };\nstruct Q { char q[${deep(200)}]; };\n`);
    assert.equal(r.sizes.get('A'), 4);
    assert.deepEqual(r.codes, ['parse-limit']);
    assert.match(r.messages[0], new RegExp(`nested more than ${maxNesting} levels`));
    assert.ok(!r.sizes.has('P') && !r.unusable.includes('P'), 'the skipped declaration defines nothing');
    assert.equal(r.sizes.get('Q'), 1);
  });

  it('3,000-term constant expressions: #if evaluates them; an array bound or enumerator past the operator limit is not evaluated', () => {
    const sum = (n: number) => Array(n).fill('1').join('+');
    const r = main(`#if ${sum(3000)} == 3000\nstruct A { int a; };\n#endif\nstruct Q { char q[${sum(3000)}]; int after; };\nenum { E = ${sum(3000)} };\nstruct R { char r[${sum(900)}]; };\n`);
    assert.equal(r.sizes.get('A'), 4);
    assert.equal(r.sizes.get('R'), 900);
    assert.ok(r.codes.includes('parse-limit'));
    assert.ok(r.messages.some((m) => m.includes(`more than ${maxOperators} operators`)));
    assert.ok(r.unusable.includes('Q'), 'the record with the unevaluated bound is unusable, not a wrong size');
  });

  it('3,000 unary operators, casts or nested conditionals; 1,000 nested records or declarators', () => {
    const cases = [
      `struct U { char u[${'-'.repeat(3000)}1]; };`,
      `enum { C = ${'(int)'.repeat(3000)}1 };`,
      `enum { T = ${'1 ? '.repeat(3000)}1${' : 0'.repeat(3000)} };`,
      `struct N { ${'struct { '.repeat(1000)}int x;${' } a;'.repeat(1000)} };`,
      `struct D { int ${'(*'.repeat(1000)}p${')'.repeat(1000)}; };`,
      `struct S { int ${'*'.repeat(100000)}p; };`,
      `struct Y { int y${'[1]'.repeat(100000)}; };`,
      `int f(${'int (*)('.repeat(1000)}int${')'.repeat(1000)});`,
    ];
    for (const text of cases) {
      const r = main(text + '\nstruct After { int after; };\n');
      assert.deepEqual(r.codes, ['parse-limit'], text.slice(0, 60));
      assert.equal(r.sizes.get('After'), 4, text.slice(0, 60));
    }
    // Within the limit, all of these are read.
    const fine = main(`struct N { ${'struct { '.repeat(100)}int x;${' } a;'.repeat(100)} };\nstruct S { int ${'*'.repeat(200)}p; };\nenum { T = ${'1 ? '.repeat(200)}7${' : 0'.repeat(200)} };\nstruct E { char e[T]; };\n`);
    assert.deepEqual(fine.codes, []);
    assert.equal(fine.sizes.get('N'), 4);
    assert.equal(fine.sizes.get('S'), 8);
    assert.equal(fine.sizes.get('E'), 7);
  });

  it('a chain of 100,000 typedefs is laid out', () => {
    const lines = ['typedef int T0;', ...Array.from({ length: 100000 }, (_, i) => `typedef T${i} T${i + 1};`), 'struct TD { T100000 x; char c; };'];
    const r = main(lines.join('\n') + '\n');
    assert.deepEqual(r.codes, []);
    assert.equal(r.sizes.get('TD'), 8);
  });
});

describe('limits: unusable layouts', function () {
  this.timeout(60000);

  /** The one-record header `text`: its diagnostics and, on x64, the reason its layout is unusable. */
  function unusable(text: string) {
    const analysis = analyzeFile(createSession(memoryHost({ '/w/main.h': text })), '/w/main.h', { abis: ['x86', 'x64'] });
    const u = analysis.units.get('x64')!;
    const r = u.unit.records.find((x) => x.tag === 'S')!;
    const l = u.layout.layoutOf(r);
    return { complete: l.complete, problem: l.problem, codes: mergedDiagnostics(analysis).map((d) => d.code), report: recordReport(l), analysis };
  }

  it('bad alignments, array bounds and sizes: a diagnostic each, and the record is unusable (no numbers)', () => {
    const cases: [string, string, RegExp][] = [
      ['struct __declspec(align(0x80000000)) S { int a; };', 'layout-alignment-too-large', /alignment 2147483648 is larger than 8192/],
      ['struct S { __declspec(align(-16)) int a; };', 'layout-bad-alignment', /alignment -16 is not a power of 2/],
      ['struct S { __declspec(align(24)) int a; };', 'layout-bad-alignment', /alignment 24 is not a power of 2/],
      ['typedef __declspec(align(12)) int A12; struct S { A12 a; };', 'layout-bad-alignment', /typedef 'A12': requested alignment 12/],
      ['struct S { char a[0x7fffffffffffffff]; };', 'layout-too-large', /too large/],
      ['struct S { char a[-1]; };', 'layout-bad-array-size', /negative/],
      ['struct S { char a[4 +]; int b; };', 'parse-expected', /not an integer constant/],
    ];
    for (const [text, code, why] of cases) {
      const r = unusable(text);
      assert.equal(r.complete, false, text);
      assert.ok(r.codes.includes(code), `${text}: ${r.codes.join(', ')}`);
      assert.match(r.problem ?? '', why, text);
      // The JSON report carries no number for it, only why.
      assert.deepEqual([r.report.size, r.report.align, r.report.fields.length], [null, null, 0], text);
      assert.match(r.report.unusable ?? '', why, text);
    }
    // An alignment that is fine, and zero (asks for nothing), are not errors.
    assert.deepEqual([unusable('struct __declspec(align(16)) S { int a; };').complete, unusable('struct __declspec(align(0)) S { int a; };').complete], [true, true]);
  });

  it('a record holding an unusable record by value is unusable, naming the root cause', () => {
    const r = unusable('struct In { char a[-1]; };\nstruct Mid { struct In in; };\nstruct S { int x; struct Mid m; };\n');
    assert.equal(r.complete, false);
    assert.match(r.problem ?? '', /member 'm' \(struct Mid\) has no usable layout: .*negative/);
    // One diagnostic, at the bound: the records around it do not repeat it.
    assert.deepEqual(r.codes, ['layout-bad-array-size']);
  });

  it('self-containing records end with a diagnostic, directly or through a cycle', () => {
    for (const text of ['struct S { int a; struct S s; };', 'struct T;\nstruct S { struct T *p; struct U { struct S s; } u; };', 'typedef struct S S;\nstruct S { S arr[2]; };']) {
      const r = unusable(text);
      assert.equal(r.complete, false, text);
      assert.ok(r.codes.includes('layout-recursive-type') || r.codes.includes('layout-incomplete-type'), `${text}: ${r.codes.join(', ')}`);
      assert.match(r.problem ?? '', /contains itself|incomplete|no usable layout/, text);
    }
  });

  it('a chain of 5,000 records each holding the next by value is laid out without overflowing the stack', () => {
    const n = 5000;
    const lines = ['struct R0 { int v; };', ...Array.from({ length: n }, (_, i) => `struct R${i + 1} { char c; struct R${i} r; };`), `struct S { struct R${n} top; };`];
    const r = unusable(lines.join('\n') + '\n');
    assert.deepEqual(r.codes, []);
    assert.equal(r.complete, true);
    assert.equal(r.report.size, 4 + 4 * n);
  });

  it('thunk generation refuses a record whose layout is unusable, saying why', () => {
    const r = unusable('struct S { PVOID p; char a[4 +]; };\n');
    const result = generateThunks(r.analysis, { type: 'S' });
    assert.ok(result.error, 'no code is generated');
    assert.match(result.error!, /no usable layout/);
  });
});

describe('limits: file size and memory (separate processes)', function () {
  this.timeout(300000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-limits-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** `ioctl-lens ARGS` with a V8 heap capped at `heapMiB`: exceeding it kills the process. */
  function cli(heapMiB: number, args: string[]) {
    return spawnSync(process.execPath, [`--max-old-space-size=${heapMiB}`, path.join(repoRoot, 'bin/ioctl-lens.js'), ...args], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  }

  const structs = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += `typedef struct _S${i} { ULONG a; PVOID b; USHORT c[3]; } S${i}, *PS${i};\n`;
    return s;
  };

  it('a 50 MB header of small structs is refused at once with a diagnostic', () => {
    const file = path.join(dir, 'huge.h');
    const chunk = structs(10000);
    const fd = fs.openSync(file, 'w');
    let written = 0;
    while (written <= 50 * 1024 * 1024) written += fs.writeSync(fd, chunk);
    fs.closeSync(fd);
    const r = cli(256, ['layout', file]);
    assert.equal(r.status, 0, r.stderr.slice(0, 500));
    assert.match(r.stderr, new RegExp(`is not read: it is 50\\.\\d MB, above the ${maxFileBytes / 1048576}\\.0 MB limit`));
  });

  it('a header past the token budget stops there, in bounded memory', () => {
    const file = path.join(dir, 'semis.h');
    // Empty declarations cost the parser and layout nothing: this measures the budget, not their speed.
    fs.writeFileSync(file, 'struct First { int f; };\n' + ';\n'.repeat(maxTokens + 1000) + 'struct Last { int l; };\n');
    const r = cli(768, ['layout', '--json', '--abi', 'x64', file]);
    assert.equal(r.status, 0, r.stderr.slice(-500));
    assert.match(r.stderr, /preprocessing stopped after \d+ tokens/);
    const names = (JSON.parse(r.stdout) as { records: { name: string }[] }).records.map((x) => x.name);
    assert.deepEqual(names, ['First']);
  });

  it('100,000 structs: every one laid out on x86 and x64, in bounded memory', () => {
    const file = path.join(dir, 's100k.h');
    fs.writeFileSync(file, structs(100000));
    const r = cli(1536, ['layout', '--json', file]);
    assert.equal(r.status, 0, r.stderr.slice(-500));
    const reports = JSON.parse(r.stdout) as { abi: string; records: { name: string; size: number }[] }[];
    assert.deepEqual(reports.map((x) => [x.abi, x.records.length]), [['x86', 100000], ['x64', 100000]]);
    assert.deepEqual(reports.map((x) => x.records[99999].size), [16, 24]);
  });
});
