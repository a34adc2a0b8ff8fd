/**
 * The C++ sample driver (samples/driver-cpp: a KMDF queue class in
 * `namespace contoso`, its interface in `contoso::sensor`): the rules fire
 * on it as on the C sample, and every fix of every finding, applied, leaves
 * C++ that clang++ compiles for x86 and x64 (`*-pc-windows-msvc`).
 *
 * The sample includes no WDK (it relies on the built-in prelude, as a lone
 * header opened in the editor does), so clang++ is given the prelude's own
 * text and its standard headers (`<cstdint>` ...) as the stand-in WDK, with
 * the SAL annotations the generated code writes defined empty.
 */

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeFile, createSession } from '../../server/src/core/analyze';
import { type Finding, runChecks } from '../../server/src/core/checks/index';
import { type FixEdit, createFixIndex } from '../../server/src/core/fixes/index';
import { languageFor } from '../../server/src/core/language';
import { generateThunks } from '../../server/src/core/thunk/index';
import { builtinHeaders, preludeText } from '../../server/src/core/prelude';
import { memoryHost } from '../../server/src/core/source';
import { checkFolder } from '../checks/fixtures';
import { repoRoot, requireTool } from '../helpers';

const sampleDir = path.join(repoRoot, 'samples', 'driver-cpp');
const stubs = path.join(repoRoot, 'samples', 'driver', 'kernel_stubs.h');

function sampleFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const f of fs.readdirSync(sampleDir)) files.set(path.join(sampleDir, f), fs.readFileSync(path.join(sampleDir, f), 'utf8'));
  files.set(stubs, fs.readFileSync(stubs, 'utf8'));
  return files;
}

function analyse(files: Map<string, string>, main: string) {
  const session = createSession(memoryHost(Object.fromEntries(files)));
  const analysis = analyzeFile(session, main, { abis: ['x86', 'x64'], language: languageFor(main) });
  const findings = runChecks([analysis], { inScope: (f) => f === main });
  return { analysis, findings, index: createFixIndex({ analysis, path: main, text: (f) => files.get(f) }, findings) };
}

function applyAll(files: Map<string, string>, edits: FixEdit[]): Map<string, string> {
  const out = new Map(files);
  for (const file of new Set(edits.map((e) => e.file))) {
    let text = out.get(file)!;
    for (const e of edits.filter((x) => x.file === file).sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.newText + text.slice(e.end);
    out.set(file, text);
  }
  return out;
}

const sal = ['_In_', '_Out_', '_Inout_', '_In_opt_', '_Out_opt_', '_Inout_opt_'];
const salWithArgs = ['_In_reads_bytes_(x)', '_Out_writes_bytes_(x)', '_Out_writes_bytes_to_(x, y)', '_Field_size_(x)', '_Field_size_opt_(x)', '_Field_size_bytes_(x)', '_Field_size_bytes_part_(x, y)', '_Field_size_bytes_part_opt_(x, y)', '_IRQL_requires_max_(x)'];

/*
 * What the generated routines call that the prelude (declarations for layouts) leaves out: basetsd.h's
 * conversion helpers (inline on 64-bit, as in the SDK) and wdm.h's pool and exception names.
 */
const routineHelpers = String.raw`
#define MAXULONG 0xffffffffUL
#define POOL_FLAG_PAGED 0x100ULL
#define EXCEPTION_EXECUTE_HANDLER 1
#define GetExceptionCode() ((NTSTATUS)_exception_code())
PVOID ExAllocatePool2(ULONG64 Flags, SIZE_T NumberOfBytes, ULONG Tag);
VOID ExFreePoolWithTag(PVOID P, ULONG Tag);
#ifdef _WIN64
static __inline ULONG PtrToUlong(const void *p) { return (ULONG)(ULONG_PTR)p; }
static __inline LONG HandleToLong(const void *h) { return (LONG)(LONG_PTR)h; }
static __inline void *LongToHandle(const LONG h) { return (void *)(INT_PTR)h; }
static __inline void *UlongToPtr(const ULONG ul) { return (void *)(ULONG_PTR)ul; }
#else
#define PtrToUlong(p) ((ULONG)(ULONG_PTR)(p))
#define HandleToLong(h) ((LONG)(LONG_PTR)(h))
#define LongToHandle(h) ((HANDLE)(LONG_PTR)(LONG)(h))
#define UlongToPtr(ul) ((PVOID)(ULONG_PTR)(ULONG)(ul))
#endif
`;

/** Writes the sample (as `files` has it) beside the prelude as a header, and compiles `unit` with clang++. */
function compileCxx(files: Map<string, string>, unit: string, triple: string): { status: number; stderr: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-cxx-sample-'));
  try {
    for (const [file, text] of files) {
      const rel = path.relative(path.join(repoRoot, 'samples'), file);
      fs.mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
    fs.mkdirSync(path.join(dir, 'include'));
    for (const [name, text] of Object.entries(builtinHeaders)) fs.writeFileSync(path.join(dir, 'include', name), text);
    const forced = [...sal.map((s) => `#define ${s}`), ...salWithArgs.map((s) => `#define ${s}`), preludeText, routineHelpers].join('\n');
    fs.writeFileSync(path.join(dir, 'include', 'stand_in_wdk.h'), forced);
    let target = path.join(dir, 'driver-cpp', unit);
    if (unit.endsWith('.hpp')) {
      target = path.join(dir, 'driver-cpp', 'unit.cpp');
      fs.writeFileSync(target, `#include "${unit}"\n`);
    }
    // MSVC takes CTL_CODE's overflow into the sign bit as a case label of a ULONG switch; clang++ calls it narrowing.
    const args = ['-target', triple, '-std=c++17', '-fms-extensions', '-fms-compatibility', '-fsyntax-only', '-Wno-c++11-narrowing', '-Wno-microsoft-cast', '-nostdinc++', '-isystem', path.join(dir, 'include'), '-include', 'stand_in_wdk.h', target];
    const r = spawnSync('clang++', args, { encoding: 'utf8' });
    return { status: r.status ?? -1, stderr: r.stderr ?? '' };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const triples = ['i686-pc-windows-msvc', 'x86_64-pc-windows-msvc'];
const sameFinding = (a: Finding, b: Finding) => a.rule === b.rule && a.symbol === b.symbol && a.message === b.message;

describe('the C++ sample driver (samples/driver-cpp)', function () {
  this.timeout(300000);

  it('fires the WOW64 rules on the C++ names, and leaves the fixed-width and the handled requests alone', () => {
    const found = checkFolder(sampleDir).findings.map((f) => `${f.rule} ${f.symbol} ${path.basename(f.loc.file)}`).sort();
    assert.deepEqual([...new Set(found)], [
      'native-size-check contoso::sensor::ReadSamples queue.cpp',
      'unhandled-32bit-caller IOCTL_CONTOSO_SENSOR_READ queue.cpp',
      'unthunked-pointer contoso::sensor::ArmRequest contoso_ioctl.hpp',
      'unthunked-pointer contoso::sensor::ReadSamples contoso_ioctl.hpp',
    ]);
  });

  it('compiles as C++ with clang++ for x86 and x64 as it is', function () {
    if (!requireTool(this, 'clang')) return;
    for (const triple of triples) {
      const r = compileCxx(sampleFiles(), 'queue.cpp', triple);
      assert.equal(r.status, 0, `${triple}:\n${r.stderr}`);
    }
  });

  /** Every fix of every finding in `main`, each applied on its own to the sample. */
  function eachFix(main: string, visit: (f: Finding, title: string, after: Map<string, string>, before: Finding[]) => void): string[] {
    const files = sampleFiles();
    const { findings, index } = analyse(files, path.join(sampleDir, main));
    const tried: string[] = [];
    for (const f of findings) {
      for (const fix of index.fixes(f)) {
        tried.push(fix.title);
        assert.ok(fix.edits.length > 0, `${fix.title}: no edits`);
        visit(f, fix.title, applyAll(files, fix.edits), findings);
      }
    }
    return tried;
  }

  for (const main of ['contoso_ioctl.hpp', 'queue.cpp']) {
    it(`${main}: every fix, applied, removes its finding or is no longer offered`, () => {
      const file = path.join(sampleDir, main);
      const tried = eachFix(main, (f, title, after, before) => {
        // READ checks sizeof twice: two findings with one message, of which a suppression removes one.
        const again = analyse(after, file);
        const still = again.findings.filter((g) => sameFinding(f, g));
        if (still.length < before.filter((g) => sameFinding(f, g)).length) return;
        for (const g of still) assert.ok(!again.index.fixes(g).some((x) => x.title === title), `${f.rule} ${f.symbol}: '${title}' is offered again after it was applied`);
      });
      const expected = main === 'queue.cpp' ? ['Handle 32-bit callers: WdfRequestIsFrom32BitProcess branch with ReadSamples32'] : ['Generate 32-bit shadow', 'Generate capture and write-back routines', 'Make '];
      for (const title of expected) assert.ok(tried.some((t) => t.startsWith(title)), `no '${title}' fix among: ${tried.join(' | ')}`);
    });

    it(`${main}: every fix, applied, leaves C++ that clang++ compiles for x86 and x64`, function () {
      if (!requireTool(this, 'clang')) return;
      eachFix(main, (f, title, after) => {
        // Making a record layout-invariant changes its members' types: the driver's uses are the
        // user's to adapt, so only the interface header is compiled after that refactor.
        const unit = title.startsWith('Make ') ? 'contoso_ioctl.hpp' : 'queue.cpp';
        for (const triple of triples) {
          const r = compileCxx(after, unit, triple);
          assert.equal(r.status, 0, `'${title}' on ${f.rule} ${f.symbol}, ${unit} for ${triple}:\n${r.stderr}`);
        }
      });
    });
  }
});

describe('the thunk for C++ records: capture, write-back, release and the receive path compile as C++', function () {
  this.timeout(120000);
  // A reply the driver writes for the caller (the receive path), holding records that hold pointers, in a namespace.
  const header = path.join(sampleDir, 'reply.hpp');
  const headerText = [
    '#pragma once',
    'namespace fabrikam { namespace query {',
    'struct Item { ULONG Id; PVOID Data; ULONG DataLength; };',
    'struct Reply { ULONG Count; Item *Items; ULONG ItemsCount; HANDLE Event; };',
    '} }',
    '',
  ].join('\n');

  // The sample's kernel stubs declare the copies and probes; the receive path also calls ntintsafe.h's arithmetic.
  const intsafe = String.raw`
NTSTATUS RtlSizeTMult(SIZE_T a, SIZE_T b, SIZE_T *r);
NTSTATUS RtlSizeTAdd(SIZE_T a, SIZE_T b, SIZE_T *r);
NTSTATUS RtlULongAdd(ULONG a, ULONG b, ULONG *r);
NTSTATUS RtlULongMult(ULONG a, ULONG b, ULONG *r);
#ifndef STATUS_BUFFER_OVERFLOW
#define STATUS_BUFFER_OVERFLOW ((NTSTATUS)0x80000005L)
#endif
`;

  for (const [direction, dispatch] of [['out', 'wdm'], ['inout', 'kmdf']] as const) {
    it(`--direction ${direction} --dispatch ${dispatch}: shadows and routines${direction === 'out' ? ' with Marshal…32' : ''} compile for x86 and x64`, function () {
      if (!requireTool(this, 'clang')) return;
      const files = new Map([[header, headerText], [stubs, fs.readFileSync(stubs, 'utf8')]]);
      const { analysis } = analyse(files, header);
      const result = generateThunks(analysis, { type: 'fabrikam::query::Reply', direction, dispatch });
      assert.equal(result.error, undefined, result.error);
      if (direction === 'out') assert.ok(result.routines?.marshal, 'the receive path is generated');
      // The dispatch branch is a fragment inside `#if 0` (not compiled here); the shadows and routines are, after the header.
      const unit = path.join(sampleDir, 'reply.cpp');
      files.set(unit, `#include "reply.hpp"\n#include "../driver/kernel_stubs.h"\n${intsafe}\n${result.text}`);
      for (const triple of triples) {
        const r = compileCxx(files, 'reply.cpp', triple);
        assert.equal(r.status, 0, `${triple}:\n${r.stderr}`);
      }
    });
  }
});
