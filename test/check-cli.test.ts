import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCheck } from '../server/src/cli/check';
import { analyzeFile, createSession } from '../server/src/core/analyze';
import { unitFacts } from '../server/src/core/checks/index';
import { displayName } from '../server/src/core/names';
import { compareShadow, translationVerdict } from '../server/src/core/wow64';
import { diskHost } from '../server/src/node/host';
import { main } from '../server/src/cli/main';
import { mingwInclude, repoRoot, requireTool, sarifValidator } from './helpers';

function run(args: string[], cwd = repoRoot) {
  let out = '';
  let err = '';
  const code = main(['check', ...args], { out: (s) => (out += s), err: (s) => (err += s), isTty: false, cwd });
  return { code, out, err };
}

describe('ioctl-lens check (CLI)', () => {
  it('prints compiler-style text and exits 1 on warnings', () => {
    const r = run(['samples/driver']);
    assert.equal(r.code, 1);
    assert.match(r.out, /^samples\/driver\/dispatch_wdm\.c:\d+:\d+: warning: IOCTL_CONTOSO_SUBMIT_BATCH uses 'CONTOSO_SUBMIT_BATCH' .* \[unhandled-32bit-caller\]$/m);
    assert.match(r.out, /^samples\/driver\/ioctl_interface\.h:\d+:\d+: error: .* \[duplicate-ioctl-code\]$/m);
    assert.match(r.out, /^samples\/driver\/ioctl_interface\.h:\d+:\d+: note: /m);
    assert.match(r.out, /4 file\(s\) checked: 2 error\(s\), 11 warning\(s\)\n$/);
  });

  it('prints the documented JSON shape', () => {
    const r = run(['--format', 'json', 'samples/driver']);
    const report = JSON.parse(r.out);
    assert.deepEqual(Object.keys(report), ['findings', 'inputErrors', 'summary']);
    assert.deepEqual(report.inputErrors, []);
    assert.deepEqual(report.summary, { files: 4, errors: 2, warnings: 11, inputErrors: 0 });
    const f = report.findings.find((x: { rule: string }) => x.rule === 'unthunked-pointer');
    assert.deepEqual(Object.keys(f), ['rule', 'severity', 'symbol', 'file', 'line', 'column', 'endLine', 'endColumn', 'message', 'related', 'fingerprint']);
    assert.match(f.fingerprint, /^[0-9a-f]{16}$/);
    assert.equal(f.symbol, 'CONTOSO_SUBMIT_BATCH');
    assert.equal(f.file, 'samples/driver/ioctl_interface.h');
    assert.ok(f.endColumn > f.column);
    assert.deepEqual(Object.keys(f.related[0]), ['file', 'line', 'message']);
  });

  it('prints SARIF 2.1.0 that validates against the schema', () => {
    const r = run(['--format', 'sarif', 'samples/driver']);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const log: any = JSON.parse(r.out);
    const validate = sarifValidator();
    const valid = validate(JSON.parse(r.out));
    assert.ok(valid, JSON.stringify(validate.errors, null, 2));
    const results = log.runs[0].results;
    assert.equal(results.length, 13);
    assert.equal(log.runs[0].tool.driver.rules.length, 9);
    const withFix = results.find((x: { ruleId: string }) => x.ruleId === 'method-neither-any-access');
    assert.equal(withFix.fixes[0].artifactChanges[0].replacements[0].insertedContent.text, 'FILE_READ_ACCESS | FILE_WRITE_ACCESS');
    assert.equal(results[0].locations[0].physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
    // An empty run validates too.
    const clean = JSON.parse(run(['--format', 'sarif', 'samples/clean']).out);
    assert.ok(validate(clean), JSON.stringify(validate.errors));
  });

  it('exits 0 on a clean driver and honours --fail-on', () => {
    assert.equal(run(['samples/clean']).code, 0);
    assert.equal(run(['--fail-on', 'never', 'samples/driver']).code, 0);
    assert.equal(run(['--fail-on', 'error', 'samples/driver']).code, 1);
    assert.equal(run(['--fail-on', 'error', 'test/fixtures/checks/reserved-function-code']).code, 0);
  });

  it('checks every WOW64 pair asked for, merging what both pairs see alike', () => {
    const r = run(['--abi', 'x86,x64,arm64,arm32', 'samples/driver']);
    // __ptr32 means nothing on ARM, so the shadow is stale for arm64 drivers in a second way.
    assert.match(r.out, /shadow 'CONTOSO_REQUEST32' does not match the arm32 layout of 'CONTOSO_REQUEST': .* is 32 bytes on arm64/);
    assert.equal((r.out.match(/\[unthunked-pointer\]/g) ?? []).length, 2);
  });

  it('exits 2 on unusable input', () => {
    assert.equal(run(['no/such/dir']).code, 2);
    assert.equal(run(['--format', 'xml', 'samples/driver']).code, 2);
    assert.equal(run(['--fail-on', 'sometimes', 'samples/driver']).code, 2);
    assert.equal(run(['--abi', 'x64', 'samples/driver']).code, 2);
    assert.equal(run([]).code, 2);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-empty-'));
    assert.equal(run([empty]).code, 2);
  });

  it('takes --no-kernel-mode, --configuration and -j/--jobs, and checks their values', () => {
    const kernel = path.join(repoRoot, 'test/fixtures/drivers/kernel-mode');
    assert.match(run(['--fail-on', 'never', kernel]).out, /\[unhandled-32bit-caller\]/);
    const off = run(['--no-kernel-mode', '-j', '1', kernel]);
    assert.equal(off.code, 0, off.out + off.err);
    assert.match(off.out, /0 error\(s\), 0 warning\(s\)/);
    const project = path.join(repoRoot, 'test/fixtures/drivers/vcxproj');
    assert.match(run(['--fail-on', 'never', '--jobs=2', project]).out, /\[unthunked-pointer\]/);
    const debug = run(['--configuration', 'Debug', '-j1', project]);
    assert.doesNotMatch(debug.out, /\[unthunked-pointer\]/);
    const missing = run(['--fail-on', 'never', '--configuration', 'Checked', project]);
    assert.match(missing.out, /vx\.vcxproj:1:1: error: the project has no configuration 'Checked' .* \[project-no-configuration\]/);
    for (const bad of [['--jobs', '0'], ['-j', 'many'], ['--configuration', ' ']]) {
      const r = run([...bad, kernel]);
      assert.equal(r.code, 2, bad.join(' '));
      assert.match(r.err, /^ioctl-lens check: --(jobs|configuration) needs /m);
    }
    const typo = run(['--no-kernel', kernel]);
    assert.equal(typo.code, 2);
    assert.match(typo.err, /unknown option '--no-kernel' \(did you mean '--no-kernel-mode'\?\)/);
    assert.match(run(['--help']).out, /--no-kernel-mode/);
  });

  it('reads .ioctl-lens.json (rule severities) and exits 2 on a broken one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-cfg-'));
    fs.copyFileSync(path.join(repoRoot, 'test/fixtures/checks/reserved-function-code/fires.h'), path.join(dir, 'codes.h'));
    fs.writeFileSync(path.join(dir, '.ioctl-lens.json'), '{"rules": {"reserved-function-code": "error"}}');
    const r = run(['--format', 'json', dir], dir);
    assert.deepEqual(JSON.parse(r.out).summary, { files: 1, errors: 3, warnings: 0, inputErrors: 0 });
    fs.writeFileSync(path.join(dir, '.ioctl-lens.json'), '{"rules": {"reserved-function-code": "off"}}');
    assert.equal(run([dir], dir).code, 0);
    fs.writeFileSync(path.join(dir, '.ioctl-lens.json'), '{"rules": ');
    const bad = run([dir], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /\.ioctl-lens\.json:1:\d+: error: /);
  });

  it('says when the analysis stands on broken input: #error, a missing #include, an error in an included header', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-broken-'));
    fs.writeFileSync(path.join(dir, 'inner.h'), 'typedef struct _INNER { char a[4 +]; } INNER;\n');
    fs.writeFileSync(
      path.join(dir, 'main.c'),
      '#include "inner.h"\n#include "generated.tmh"\n#ifndef CONTOSO_CONFIGURED\n#error configure the build first\n#endif\n#define IOCTL_BROKEN_PING CTL_CODE(0x9999, 0x001, METHOD_NEITHER, FILE_ANY_ACCESS)\nint x;\n',
    );
    const text = run([dir], dir);
    assert.equal(text.code, 1, text.err); // the finding still counts; broken input does not change the exit status
    assert.match(text.out, /^main\.c:6:\d+: warning: .*\[method-neither-any-access\]$/m);
    assert.match(text.out, /The analysis stands on broken input: 3 error\(s\) in the files read/);
    assert.match(text.out, /^inner\.h:1:\d+: error: .* \[parse-expected\]$/m);
    assert.match(text.out, /^main\.c:2:10: error: 'generated\.tmh' file not found \[pp-include-not-found\]$/m);
    assert.match(text.out, /^main\.c:4:1: error: #error configure the build first \[pp-error-directive\]$/m);
    assert.match(text.out, /2 file\(s\) checked: 0 error\(s\), 2 warning\(s\); 3 input error\(s\)\n$/);
    const json = JSON.parse(run(['--format', 'json', dir], dir).out);
    assert.deepEqual(
      json.inputErrors.map((e: { code: string; file: string; line: number }) => [e.code, e.file, e.line]),
      [['parse-expected', 'inner.h', 1], ['pp-include-not-found', 'main.c', 2], ['pp-error-directive', 'main.c', 4]],
    );
    assert.equal(json.summary.inputErrors, 3);
    const sarif = JSON.parse(run(['--format', 'sarif', dir], dir).out) as { runs: { invocations: { toolExecutionNotifications: { descriptor: { id: string } }[] }[] }[] };
    assert.ok(sarifValidator()(sarif));
    assert.deepEqual(
      sarif.runs[0].invocations[0].toolExecutionNotifications.map((n) => n.descriptor.id),
      ['parse-expected', 'pp-include-not-found', 'pp-error-directive'],
    );
  });

  it('takes include paths and defines from compile_commands.json', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-cc-'));
    fs.mkdirSync(path.join(dir, 'inc'));
    fs.writeFileSync(path.join(dir, 'inc', 'codes.h'), '#if WANT_CODES\n#define IOCTL_CC_PING CTL_CODE(0x9999, 0x001, METHOD_BUFFERED, FILE_ANY_ACCESS)\n#endif\n');
    fs.writeFileSync(path.join(dir, 'main.c'), '#include <codes.h>\nint x;\n');
    fs.writeFileSync(path.join(dir, 'compile_commands.json'), JSON.stringify([{ directory: dir, file: 'main.c', command: 'cc -Iinc -DWANT_CODES=1 -c main.c' }]));
    const r = run(['--format', 'json', path.join(dir, 'main.c')], dir);
    assert.equal(r.code, 0, r.err); // the finding is in inc/codes.h, which was not named
    const all = run(['--format', 'json', dir], dir);
    assert.deepEqual(JSON.parse(all.out).findings.map((f: { symbol: string }) => f.symbol), ['IOCTL_CC_PING']);
  });
});

describe('ioctl-lens check over many headers (umbrella units)', () => {
  it('finds the same as header-by-header analysis, in fewer units', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-tree-'));
    fs.writeFileSync(path.join(dir, 'base.h'), '#pragma once\ntypedef struct _BASE { PVOID Owner; ULONG Size; } BASE;\n');
    for (let i = 0; i < 20; i++) {
      const body = [
        '#pragma once',
        '#include "base.h"',
        `#define IOCTL_TREE_${i} CTL_CODE(0x9900, ${0x800 + i}, METHOD_BUFFERED, FILE_ANY_ACCESS)`,
        i === 7 ? 'typedef struct _BASE32 { ULONG Owner; ULONG Size; ULONG Extra; } BASE32;' : '',
        i === 11 ? '#define IOCTL_TREE_DUP CTL_CODE(0x9900, 0x803, METHOD_BUFFERED, FILE_ANY_ACCESS)' : '',
        i === 13 ? '/** @in TREE_ARG */\n#define IOCTL_TREE_ARG CTL_CODE(0x9901, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)\ntypedef struct _TREE_ARG { HANDLE Event; } TREE_ARG;' : '',
      ];
      fs.writeFileSync(path.join(dir, `h${String(i).padStart(2, '0')}.h`), body.join('\n') + '\n');
    }
    const request = { abis: ['x86', 'x64'] as ('x86' | 'x64')[], includeDirs: [], defines: [], undefines: [], forcedIncludes: [], rules: {} };
    const tree = runCheck({ ...request, paths: [dir] });
    assert.equal(tree.units, 1);
    const summary = (fs: typeof tree.findings) => fs.map((f) => `${path.basename(f.loc.file)}:${f.loc.line} ${f.rule} ${f.symbol}`).sort();
    assert.deepEqual(summary(tree.findings), [
      'h07.h:4 stale-shadow BASE32',
      'h11.h:5 duplicate-ioctl-code IOCTL_TREE_DUP',
      'h13.h:8 unthunked-pointer TREE_ARG',
    ]);
    // One unit per root header: the same findings.
    const single = runCheck({ ...request, paths: [dir], umbrella: false });
    assert.ok(single.units > 1);
    assert.deepEqual(summary(single.findings), summary(tree.findings));
  });
});

describe('real headers: mingw-w64 WOW64 shadows', function () {
  this.timeout(120000);

  it('SCSI_PASS_THROUGH32 and MOVE_FILE_DATA32 are right; mingw\'s *_DIRECT32 shadows are stale', function () {
    if (!requireTool(this, 'mingw-w64 headers')) return;
    const result = runCheck({
      paths: [path.join(mingwInclude, 'ntddscsi.h'), path.join(mingwInclude, 'winioctl.h')],
      abis: ['x86', 'x64'],
      includeDirs: [mingwInclude],
      defines: [],
      undefines: [],
      forcedIncludes: ['windows.h'],
      rules: {},
    });
    const stale = result.findings.filter((f) => f.rule === 'stale-shadow').map((f) => f.symbol).sort();
    // mingw-w64 declares `VOID *DataBuffer` in the *_DIRECT32 shadows (the WDK says `VOID * POINTER_32`)
    // and defines POINTER_32 as nothing, so in the x64 driver DataBuffer is 8 bytes: a real stale shadow.
    assert.deepEqual(stale, ['ATA_PASS_THROUGH_DIRECT32', 'SCSI_PASS_THROUGH_DIRECT32']);
    const direct = result.findings.find((f) => f.symbol === 'SCSI_PASS_THROUGH_DIRECT32')!;
    assert.match(direct.message, /DataBuffer is at offset 24 in the shadow but 20 in the native type.*'SCSI_PASS_THROUGH_DIRECT32' is 56 bytes on x64, 'SCSI_PASS_THROUGH_DIRECT' is 44 on x86/);
    for (const good of ['SCSI_PASS_THROUGH32', 'MOVE_FILE_DATA32', 'ATA_PASS_THROUGH_EX32']) assert.ok(!stale.includes(good), good);
  });

  it('recognises the shadows and compares them member by member', function () {
    if (!requireTool(this, 'mingw-w64 headers')) return;
    const session = createSession(diskHost());
    const verdicts = new Map<string, { needs: boolean; mismatches: number }>();
    for (const file of ['ntddscsi.h', 'winioctl.h']) {
      const analysis = analyzeFile(session, path.join(mingwInclude, file), { abis: ['x86', 'x64'], includeDirs: [mingwInclude], forcedIncludes: ['windows.h'] });
      const { facts } = unitFacts(analysis);
      for (const s of facts!.shadows) {
        const name = displayName(s.native)!;
        if (!['SCSI_PASS_THROUGH', 'SCSI_PASS_THROUGH_DIRECT', 'MOVE_FILE_DATA'].includes(name)) continue;
        verdicts.set(name, { needs: translationVerdict(facts!.pair, s.native)!.needs, mismatches: compareShadow(facts!.pair, s)!.mismatches.length });
      }
    }
    assert.deepEqual(Object.fromEntries(verdicts), {
      SCSI_PASS_THROUGH: { needs: true, mismatches: 0 },
      // DataBuffer, SenseInfoOffset, Cdb, the size, and the alignment (8 in the x64 driver, 4 for a 32-bit caller)
      SCSI_PASS_THROUGH_DIRECT: { needs: true, mismatches: 5 },
      MOVE_FILE_DATA: { needs: true, mismatches: 0 },
    });
  });
});
