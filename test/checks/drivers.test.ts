/**
 * Whole drivers: the dispatch shapes and cross-file patterns of real
 * drivers, each a multi-file fixture checked as one driver, and the false
 * positives that must stay silent (test/fixtures/drivers/).
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CheckRequest, runCheck } from '../../server/src/cli/check';
import { analyzeFile, createSession } from '../../server/src/core/analyze';
import { type DispatchRoutine, type DriverUnit, driverRoutines, summarizeUnit, unitTypes } from '../../server/src/core/dispatch';
import { buildSarif } from '../../server/src/core/sarif';
import { normalizePath } from '../../server/src/core/source';
import { diskHost } from '../../server/src/node/host';
import { sarifValidator } from '../helpers';
import { driverFixturesDir, expectDriverFixture } from './fixtures';

/** The dispatch routines of a driver fixture, computed across its sources (64-bit view) as `check` does. */
function fixtureRoutines(name: string): DispatchRoutine[] {
  const folder = path.join(driverFixturesDir, name);
  const session = createSession(diskHost());
  const units: DriverUnit[] = [];
  for (const file of fs.readdirSync(folder).filter((f) => f.endsWith('.c')).sort()) {
    const unit = analyzeFile(session, normalizePath(path.join(folder, file)), { abis: ['x64'] }).units.get('x64')!;
    const types = unitTypes(unit.unit, unit.prelude?.unit);
    units.push({ summary: summarizeUnit(unit.unit, types), types });
  }
  return driverRoutines(units).flat();
}

const emptyRequest: CheckRequest = { paths: [], abis: ['x86', 'x64'], includeDirs: [], defines: [], undefines: [], forcedIncludes: [], rules: {} };

describe('whole drivers: patterns', () => {
  it('follows handlers into other files, through flags, recursion and file-local helpers', () => {
    const result = expectDriverFixture('handlers-in-files');
    const unhandled = result.findings.find((f) => f.rule === 'unhandled-32bit-caller' && f.symbol === 'IOCTL_HF_DEEP');
    assert.ok(unhandled, 'IOCTL_HF_DEEP is reported');
    // The path that proves it: registration, case, the calls across three files, the use in deep.c's own Validate.
    const step = (r: { loc: { file: string; line: number }; message: string }) => `${path.basename(r.loc.file)}:${r.loc.line} ${r.message}`;
    assert.deepEqual(unhandled.flow?.map(step), [
      'driver.c:9 HfControl is registered for IRP_MJ_DEVICE_CONTROL',
      'control.c:24 HfControl handles IOCTL_HF_DEEP here',
      'control.c:26 calls HfDeep',
      'handlers.c:50 calls HfDeepStep',
      'deep.c:15 calls Validate',
      "deep.c:7 'HF_DEEP' is used as the buffer here (in Validate)",
    ]);
    // The editor shows the same steps as related information.
    for (const s of unhandled.flow!.filter((r) => !r.message.includes('handles'))) assert.ok(unhandled.related.some((r) => step(r) === step(s)), step(s));
  });

  it('names the path in SARIF codeFlows, valid SARIF 2.1.0', () => {
    const result = expectDriverFixture('handlers-in-files');
    const sarif = buildSarif(result.findings, { baseDir: driverFixturesDir, toolVersion: '0.0.0' }) as { runs: { results: { ruleId: string; codeFlows?: unknown[] }[] }[] };
    const validate = sarifValidator();
    assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3)));
    const flows = sarif.runs[0].results.filter((r) => r.codeFlows);
    assert.deepEqual(flows.map((r) => r.ruleId).sort(), ['native-size-check', 'probe-alignment', 'unhandled-32bit-caller', 'unhandled-32bit-caller', 'unhandled-32bit-caller', 'unthunked-pointer', 'unthunked-pointer', 'unthunked-pointer']);
    const deep = JSON.stringify(flows.find((r) => JSON.stringify(r).includes('deep.c')));
    assert.match(deep, /"threadFlows":\[\{"locations":\[\{"location":\{"physicalLocation"/);
  });

  it('reads if/else-if chains on a code held in a structure field', () => {
    expectDriverFixture('if-chain');
  });

  it('reads tables of handlers indexed by control code', () => {
    expectDriverFixture('handler-table');
  });

  it('labels tables in function order and switches on the function number with the IOCTLs of those functions', () => {
    const result = expectDriverFixture('function-table');
    assert.deepEqual(result.findings.filter((f) => f.rule === 'unhandled-32bit-caller').map((f) => f.symbol), ['IOCTL_FT_OPEN', 'FSCTL_FT_MOUNT']);
    const routines = fixtureRoutines('function-table');
    const table = routines.find((r) => r.shape === 'table');
    assert.deepEqual(table?.cases.map((c) => c.labels.map((l) => l.function)), [[0x900], [0x901], [0x902]]);
    const fsctl = routines.find((r) => r.name === 'FtFsControl');
    assert.deepEqual(fsctl?.cases.map((c) => c.labels.map((l) => l.function)), [[0xa00], [0xa01]]);
  });

  it('finds FSCTL and internal device control routines from MajorFunction assignments; internal requests have no 32-bit caller', () => {
    expectDriverFixture('fsctl-internal');
    const routines = fixtureRoutines('fsctl-internal');
    const internal = routines.find((r) => r.name === 'FxInternalDispatch');
    assert.equal(internal?.registration?.major, 'internal-device-control');
    assert.deepEqual(internal.cases.map((c) => [c.labels.map((l) => l.name), c.uses.length]), [[['FX_CONNECT'], 0]]);
    const fsctl = routines.find((r) => r.name === 'FxFsControl');
    assert.equal(fsctl?.registration?.major, 'file-system-control');
    assert.deepEqual(fsctl.cases.map((c) => c.uses.map((u) => u.record)), [['FX_QUERY_DATA']]);
  });

  it('finds KMDF control callbacks from the queue configuration, with the test behind a helper in another file', () => {
    expectDriverFixture('kmdf-queue');
  });

  it('counts copies into locals and sizeof of locals and of *p as uses', () => {
    expectDriverFixture('copies');
  });

  it('sees 32-bit tests inside #if defined(_WIN64) blocks and flags set there', () => {
    const result = expectDriverFixture('win64-blocks');
    assert.equal(result.findings.length, 0);
  });

  it('takes labels from the switch on the code, not from a switch on its device type or an if inside a case', () => {
    const result = expectDriverFixture('device-type-switch');
    const unhandled = result.findings.filter((f) => f.rule === 'unhandled-32bit-caller');
    assert.deepEqual(unhandled.map((f) => f.symbol), ['IOCTL_DT_SET']);
  });

  it('METHOD_NEITHER with any access is reported when the case reads the raw buffer before turning user mode away', () => {
    // Typed (a record), copied into bytes, or read through a scalar pointer; raw work behind the test is kernel-only.
    const result = expectDriverFixture('neither-late-gate');
    assert.deepEqual(result.findings.map((f) => `${f.rule} ${f.symbol}`), [
      'method-neither-any-access IOCTL_LG_POST',
      'method-neither-any-access IOCTL_LG_RAW',
      'method-neither-any-access IOCTL_LG_PEEK',
    ]);
  });

  it('checks the drivers of a repository on worker threads with the same result as on one thread', function () {
    this.timeout(180000);
    const request: CheckRequest = { paths: [driverFixturesDir], abis: ['x86', 'x64'], includeDirs: [], defines: [], undefines: [], forcedIncludes: [], rules: {} };
    const one = runCheck({ ...request, threads: 1 });
    const three = runCheck({ ...request, threads: 3 });
    assert.ok(one.drivers.length >= 3, `${one.drivers.length} drivers`);
    assert.ok(one.findings.length > 20, `${one.findings.length} findings`);
    assert.deepEqual(JSON.parse(JSON.stringify(three)), JSON.parse(JSON.stringify(one)));
  });

  it('follows default: into a second dispatch routine, whose findings name the registration', () => {
    const result = expectDriverFixture('default-handoff');
    const unhandled = result.findings.find((f) => f.rule === 'unhandled-32bit-caller');
    assert.deepEqual(unhandled?.flow?.map((r) => `${path.basename(r.loc.file)}:${r.loc.line} ${r.message}`), [
      'device.c:26 DhEvtIoDeviceControl is registered for IRP_MJ_DEVICE_CONTROL',
      'device.c:15 calls DhSocketControl',
      'socket.c:9 DhSocketControl handles IOCTL_DH_SOCKET_BIND here',
      "socket.c:11 'DH_BIND' is used as the buffer here",
    ]);
  });

  it("judges a record only the handler's file declares, in the handler's unit; unthunked-pointer names the path too", () => {
    const result = expectDriverFixture('record-in-handler');
    const unthunked = result.findings.find((f) => f.rule === 'unthunked-pointer');
    assert.deepEqual(unthunked?.flow?.map((r) => `${path.basename(r.loc.file)}:${r.loc.line} ${r.message}`), [
      'control.c:18 RhControl is registered for IRP_MJ_DEVICE_CONTROL',
      'control.c:8 RhControl handles IOCTL_RH_OPEN here',
      'control.c:10 calls RhOpen',
      "open.c:7 'RH_OPEN' is used as the buffer here (in RhOpen)",
    ]);
  });

  it("reads the buffer of the request's MDL and memory object (METHOD_OUT_DIRECT, WdfRequestRetrieveOutputMemory), through helpers", () => {
    expectDriverFixture('mapped-buffers');
  });

  it('predefines _KERNEL_MODE and the platform macros of a driver build for sources that include a kernel header, unless turned off', () => {
    assert.deepEqual(expectDriverFixture('kernel-mode').inputErrors, [], '_AMD64_ (x64) and _X86_ (x86) are defined');
    const off = runCheck({ ...emptyRequest, paths: [path.join(driverFixturesDir, 'kernel-mode')], kernelMode: false });
    assert.deepEqual(off.findings.map((f) => f.rule), [], 'without _KERNEL_MODE the shared header carries no pointer');
    assert.deepEqual([...new Set(off.inputErrors.map((d) => d.message))], ['#error unknown architecture']);
    const config = { includePaths: [], defines: [], undefines: [], forcedIncludes: [], rules: {}, editor: {}, kernelMode: false };
    const offByConfig = runCheck({ ...emptyRequest, paths: [path.join(driverFixturesDir, 'kernel-mode')], config, threads: 1 });
    assert.deepEqual(offByConfig.findings.map((f) => f.rule), [], '.ioctl-lens.json turns it off too');
    const onAgain = runCheck({ ...emptyRequest, paths: [path.join(driverFixturesDir, 'kernel-mode')], config, kernelMode: true, threads: 1 });
    assert.deepEqual(onAgain.findings.map((f) => f.rule).sort(), ['unhandled-32bit-caller', 'unthunked-pointer'], 'the front end decides over .ioctl-lens.json');
  });

  it('reads the .vcxproj configuration asked for; one the project lacks is an input error', () => {
    const folder = path.join(driverFixturesDir, 'vcxproj');
    // Debug|Win32 does not define VX_FEATURE_MAP: VX_MAP does not exist there.
    const debug = runCheck({ ...emptyRequest, paths: [folder], configuration: 'Debug|Win32', threads: 1 });
    assert.deepEqual(debug.findings.map((f) => f.rule), []);
    const missing = runCheck({ ...emptyRequest, paths: [folder], configuration: 'Checked|x64', threads: 1 });
    assert.deepEqual(missing.findings.map((f) => f.rule).sort(), ['unhandled-32bit-caller', 'unthunked-pointer']);
    assert.deepEqual(missing.inputErrors.map((d) => `${path.basename(d.loc.file)} ${d.code}`), ['vx.vcxproj project-no-configuration']);
  });
});

describe('whole drivers: false positives stay silent', () => {
  it('a call that takes the buffer (IoAllocateMdl) is no cast of it', () => {
    assert.equal(expectDriverFixture('near-mdl').findings.length, 0);
  });

  it('a pointer in a union already padded to 8 bytes leaves the layouts equal', () => {
    assert.equal(expectDriverFixture('near-union').findings.length, 0);
  });

  it('native-size-check stays silent on a type of the same size on both ABIs', () => {
    expectDriverFixture('same-size');
  });

  it('duplicate codes count within one driver, not across two drivers of a repository', () => {
    const result = expectDriverFixture('near-two-drivers');
    assert.equal(result.drivers.length, 2, JSON.stringify(result.drivers));
  });

  it('sizeof of internal records in helpers that get the driver object or a length of their own is no buffer use', () => {
    assert.equal(expectDriverFixture('near-helper-sizeof').findings.length, 0);
  });

  it('requests that only kernel-mode callers reach (RequestorMode, ExGetPreviousMode) have no 32-bit caller, and METHOD_NEITHER with any access is fine for them', () => {
    assert.equal(expectDriverFixture('near-kernel-callers').findings.length, 0);
  });

  it('a field holding the buffer in one record does not make the same-named field of another record the buffer', () => {
    assert.equal(expectDriverFixture('near-field-names').findings.length, 0);
  });

  it('memory the driver allocates, mapped by the calls that map a request buffer, is not the caller buffer', () => {
    assert.equal(expectDriverFixture('near-driver-memory').findings.length, 0);
  });

  it('code rules leave Microsoft-owned control codes and winsock _IO() codes alone', () => {
    assert.equal(expectDriverFixture('near-microsoft-codes').findings.length, 0);
  });
});
