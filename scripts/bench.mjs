#!/usr/bin/env node
// ioctl-lens benchmark: speed and memory as ratios against clang measured in
// the same run (these machines are noisy; absolute times mean little).
//
//   npm run bench            all sections
//   npm run bench -- layout  one section
//
// Sections:
//   lsp     the language server against clangd on a driver source including
//           ddk/wdm.h: open->diagnostics, edit->diagnostics p50/p95, hover, peak RSS.
//   driver  a generated ~20-file driver forcing mingw-w64's ntifs.h (and a 3-source one): `check`
//           (x86+x64, whole driver) against `clang -fsyntax-only` (x64) over the
//           same files one after another, wall time and peak memory; then a
//           400-file repository (20 such drivers) in one `check` run.
//   layout  the TU of mingw-w64's ddk/wdm.h: whole-process `ioctl-lens layout
//           --abi x86,x64` and warm in-process preprocess+parse+layout of both
//           ABIs, each against `clang -fsyntax-only` with the layout dump (x64).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const mingw = '/usr/share/mingw-w64/include';
const wdm = path.join(mingw, 'ddk/wdm.h');
const runs = Number(process.env.BENCH_RUNS ?? 7);
const only = process.argv[2];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${ms.toFixed(1)} ms`;
const ratio = (a, b) => `${(a / b).toFixed(2)}x`;

/**
 * Runs a command `runs` times; returns the median wall time and CPU time
 * (user + system, ms) and the peak RSS (MiB) of the child. CPU time is the
 * fairer number on a loaded machine; both are printed.
 */
function measure(cmd, args) {
  return measureN(runs, cmd, args);
}

function measureN(count, cmd, args) {
  const times = [];
  const cpus = [];
  let peak = 0;
  for (let i = 0; i < count; i++) {
    // python3's getrusage(RUSAGE_CHILDREN) gives the child's peak RSS without extra tools.
    const r = spawnSync('python3', ['-c', [
      'import resource, subprocess, sys, time',
      't = time.perf_counter()',
      'p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)',
      'e = time.perf_counter() - t',
      'u = resource.getrusage(resource.RUSAGE_CHILDREN)',
      'print(e * 1000, u.ru_maxrss, (u.ru_utime + u.ru_stime) * 1000, p.returncode)',
    ].join('\n'), cmd, ...args], { encoding: 'utf8' });
    const [ms, kb, cpu] = r.stdout.trim().split(' ').map(Number);
    times.push(ms);
    cpus.push(cpu);
    peak = Math.max(peak, kb / 1024);
  }
  return { ms: median(times), cpu: median(cpus), mib: peak };
}

function requireTool(name) {
  const ok = spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
  if (!ok) {
    console.log(`SKIPPED: ${name} not found (benchmark section needs it)`);
    if (process.env.CI === 'true') process.exit(1);
  }
  return ok;
}

function layoutSection() {
  console.log(`\n== layout: ${wdm} (${runs} runs, medians)`);
  if (!existsSync(wdm)) {
    console.log('SKIPPED: mingw-w64 headers not found (apt-get install mingw-w64-common)');
    if (process.env.CI === 'true') process.exit(1);
    return;
  }
  if (!requireTool('clang')) return;
  const clangArgs = ['-target', 'x86_64-pc-windows-msvc', '-fms-extensions', '-fsyntax-only', '-isystem', mingw,
    '-Xclang', '-fdump-record-layouts', '-Xclang', '-fdump-record-layouts-complete', '-x', 'c', wdm];
  const clang = measure('clang', clangArgs);
  const cli = measure(process.execPath, [path.join(root, 'bin/ioctl-lens.js'), 'layout', '--abi', 'x86,x64', '-I', mingw, wdm]);

  const { createSession, analyzeFile } = require(path.join(root, 'out/server/src/core/analyze.js'));
  const { diskHost } = require(path.join(root, 'out/server/src/node/host.js'));
  const session = createSession(diskHost());
  let records = 0;
  const once = () => {
    const a = analyzeFile(session, wdm, { abis: ['x86', 'x64'], includeDirs: [mingw] });
    records = 0;
    for (const u of a.units.values()) for (const r of u.unit.records) if (r.fields) { u.layout.layoutOf(r); records++; }
  };
  for (let i = 0; i < 3; i++) once(); // warm-up: JIT and the lex cache
  const warm = [];
  const warmCpu = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    once();
    const d = process.cpuUsage(c);
    warm.push(performance.now() - t);
    warmCpu.push((d.user + d.system) / 1000);
  }
  const warmMs = median(warm);
  const warmCpuMs = median(warmCpu);
  const heap = process.memoryUsage();
  console.log(`clang -fsyntax-only + layout dump (x64 only): wall ${fmt(clang.ms)}, cpu ${fmt(clang.cpu)}, peak ${clang.mib.toFixed(0)} MiB`);
  console.log(`ioctl-lens layout --abi x86,x64 (process):     wall ${fmt(cli.ms)}, cpu ${fmt(cli.cpu)}, peak ${cli.mib.toFixed(0)} MiB`);
  console.log(`  ratio to clang: wall ${ratio(cli.ms, clang.ms)}, cpu ${ratio(cli.cpu, clang.cpu)} (aim <= 2x); memory ${ratio(cli.mib, clang.mib)}`);
  console.log(`warm in-process, both ABIs (${records} records): wall ${fmt(warmMs)}, cpu ${fmt(warmCpuMs)}; rss ${(heap.rss / 2 ** 20).toFixed(0)} MiB`);
  console.log(`  ratio to clang: wall ${ratio(warmMs, clang.ms)}, cpu ${ratio(warmCpuMs, clang.cpu)} (aim <= 0.5x)`);
}

// ---- lsp: the language server against clangd on the same driver source.
// A scripted LSP client (vscode-jsonrpc) drives `ioctl-lens serve --stdio` and
// Debian's clangd over stdio, both reading the same compile_commands.json:
// open -> first diagnostics, edit -> diagnostics p50/p95 over repeated edits,
// hover p50/p95, and peak RSS (VmHWM from /proc/<pid>/status).
async function lspSection() {
  const edits = Number(process.env.BENCH_LSP_EDITS ?? 30);
  const hovers = Number(process.env.BENCH_LSP_HOVERS ?? 50);
  console.log(`\n== lsp: a driver source including ddk/wdm.h (${edits} edits after 10 warm-up edits, ${hovers} hovers)`);
  if (!existsSync(wdm)) {
    console.log('SKIPPED: mingw-w64 headers not found (apt-get install mingw-w64-common)');
    if (process.env.CI === 'true') process.exit(1);
    return;
  }
  if (!requireTool('clangd')) return;
  const fs = await import('node:fs');
  const { pathToFileURL } = await import('node:url');
  const rpc = require('vscode-jsonrpc/node');
  const dir = path.join(root, '.tmp', 'bench-lsp');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'driver.c');
  const head = [
    '#include <ddk/wdm.h>',
    '',
    '#define FILE_DEVICE_BENCH 0x8337',
    '/** Submit a batch. @in BENCH_SUBMIT */',
    '#define IOCTL_BENCH_SUBMIT CTL_CODE(FILE_DEVICE_BENCH, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)',
    '',
  ].join('\n');
  const body = (n) => [
    'typedef struct _BENCH_SUBMIT {',
    '    ULONG Count;',
    '    PVOID Buffer;',
    '    HANDLE Event;',
    `    UCHAR Tag[${n}];`,
    '} BENCH_SUBMIT, *PBENCH_SUBMIT;',
    '',
    'NTSTATUS BenchDispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)',
    '{',
    '    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);',
    '    NTSTATUS status = STATUS_SUCCESS;',
    '    UNREFERENCED_PARAMETER(DeviceObject);',
    '    switch (stack->Parameters.DeviceIoControl.IoControlCode) {',
    '    case IOCTL_BENCH_SUBMIT: {',
    '        PBENCH_SUBMIT in = (PBENCH_SUBMIT)Irp->AssociatedIrp.SystemBuffer;',
    '        if (stack->Parameters.DeviceIoControl.InputBufferLength < sizeof(BENCH_SUBMIT)) { status = STATUS_BUFFER_TOO_SMALL; break; }',
    '        Irp->IoStatus.Information = in->Count;',
    '        break;',
    '    }',
    '    default:',
    '        status = STATUS_INVALID_DEVICE_REQUEST;',
    '    }',
    '    Irp->IoStatus.Status = status;',
    '    IoCompleteRequest(Irp, IO_NO_INCREMENT);',
    '    return status;',
    '}',
    '',
  ].join('\n');
  const text0 = head + body(1);
  fs.writeFileSync(file, text0);
  fs.writeFileSync(path.join(dir, 'compile_commands.json'), JSON.stringify([{
    directory: dir, file: 'driver.c',
    arguments: ['clang', '--target=x86_64-pc-windows-msvc', '-fms-extensions', '-isystem', mingw, '-c', 'driver.c'],
  }], null, 2));
  const uri = pathToFileURL(file).href;
  const hoverAt = { line: head.split('\n').length - 1 + 5, character: 4 }; // `BENCH_SUBMIT` in `} BENCH_SUBMIT, ...`
  const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length - 1) * p))];

  async function run(name, cmd, args) {
    const proc = (await import('node:child_process')).spawn(cmd, args, { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    proc.stderr.on('data', () => {});
    const conn = rpc.createMessageConnection(new rpc.StreamMessageReader(proc.stdout), new rpc.StreamMessageWriter(proc.stdin));
    let waiter;
    conn.onNotification('textDocument/publishDiagnostics', (p) => {
      if (p.uri === uri && waiter && waiter.pred(p)) { const w = waiter; waiter = undefined; w.resolve(p); }
    });
    conn.onRequest(() => null);
    conn.onNotification(() => {});
    conn.listen();
    const diagnostics = (pred) => new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${name}: no diagnostics within 120 s`)), 120000);
      waiter = { pred, resolve: (p) => { clearTimeout(t); resolve(p); } };
    });
    await conn.sendRequest('initialize', {
      processId: process.pid, rootUri: pathToFileURL(dir).href, workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'bench' }],
      capabilities: { textDocument: { publishDiagnostics: { versionSupport: true }, hover: { contentFormat: ['markdown', 'plaintext'] } } },
      initializationOptions: { settings: { index: { enabled: false } } },
    });
    await conn.sendNotification('initialized', {});
    let t = performance.now();
    const first = diagnostics(() => true);
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text: text0 } });
    await first;
    const openMs = performance.now() - t;
    const editMs = [];
    const warmup = Number(process.env.BENCH_LSP_WARMUP ?? 10);
    for (let v = 2; v < edits + warmup + 2; v++) {
      t = performance.now();
      // clangd publishes the version only when it has one; accept the next publication either way.
      const next = diagnostics((p) => p.version === undefined || p.version === v);
      await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text: head + body(v) }] });
      await next;
      // The first edits warm up the JIT (and clangd's caches): not counted.
      if (v >= warmup + 2) editMs.push(performance.now() - t);
    }
    const hoverMs = [];
    let hoverText = '';
    for (let i = 0; i < hovers; i++) {
      t = performance.now();
      const h = await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: hoverAt });
      hoverMs.push(performance.now() - t);
      hoverText = h ? JSON.stringify(h.contents).slice(0, 60) : 'null';
    }
    const status = fs.readFileSync(`/proc/${proc.pid}/status`, 'utf8');
    const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    try { await Promise.race([conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 3000))]); await conn.sendNotification('exit'); } catch {}
    setTimeout(() => proc.kill(), 500);
    return { name, openMs, editP50: pct(editMs, 0.5), editP95: pct(editMs, 0.95), hoverP50: pct(hoverMs, 0.5), hoverP95: pct(hoverMs, 0.95), hwm, hoverText };
  }

  // The V8 flags the VS Code extension starts its server with (client/src/extension.ts; docs/editors.md).
  const ours = await run('ioctl-lens', process.execPath, ['--optimize-for-size', '--max-semi-space-size=2', path.join(root, 'bin/ioctl-lens.js'), 'serve', '--stdio']);
  const clangd = await run('clangd', 'clangd', [`--compile-commands-dir=${dir}`, '--log=error', '--background-index=false', '-j=2']);
  const row = (r) => `${r.name.padEnd(11)} open->diagnostics ${fmt(r.openMs).padStart(10)} | edit->diagnostics p50 ${fmt(r.editP50).padStart(9)} p95 ${fmt(r.editP95).padStart(9)} | hover p50 ${fmt(r.hoverP50).padStart(8)} p95 ${fmt(r.hoverP95).padStart(8)} | peak ${r.hwm.toFixed(0)} MiB`;
  console.log(row(ours) + '   (x86 + x64)');
  console.log(row(clangd) + '   (x64 only)');
  console.log(`ratios ioctl-lens/clangd: open ${ratio(ours.openMs, clangd.openMs)}, edit p50 ${ratio(ours.editP50, clangd.editP50)}, edit p95 ${ratio(ours.editP95, clangd.editP95)} (aim <= 20 ms and below clangd), hover p95 ${ratio(ours.hoverP95, clangd.hoverP95)} (aim <= 5 ms), memory ${ratio(ours.hwm, clangd.hwm)} (aim < 1x)`);
  console.log(`hover answers: ioctl-lens ${ours.hoverText} ... | clangd ${clangd.hoverText} ...`);
}

/**
 * `check` over the whole mingw-w64 include tree (about 1,500 headers): wall
 * and CPU time and peak memory, against clang's -fsyntax-only of the largest
 * single TU in it (windows.h + http.h + winioctl.h) as a yardstick.
 */
function checkSection() {
  console.log(`\n== check: the mingw-w64 include tree (${mingw})`);
  if (!existsSync(path.join(mingw, 'windows.h'))) {
    console.log('SKIPPED: mingw-w64 headers not found (apt-get install mingw-w64-common)');
    if (process.env.CI === 'true') process.exit(1);
    return;
  }
  if (!requireTool('clang')) return;
  const n = Math.max(1, Math.min(3, runs));
  const tu = path.join(root, 'out', 'bench-windows-tu.c');
  writeFileSync(tu, '#include <windows.h>\n#include <http.h>\n#include <winioctl.h>\n');
  const clang = measureN(n, 'clang', ['-target', 'x86_64-pc-windows-msvc', '-fms-extensions', '-fsyntax-only', '-isystem', mingw, tu]);
  const check = measureN(n, process.execPath, [path.join(root, 'bin/ioctl-lens.js'), 'check', '--format', 'json', '--fail-on', 'never', '-I', mingw, mingw]);
  console.log(`clang -fsyntax-only windows.h+http.h+winioctl.h (x64): wall ${fmt(clang.ms)}, cpu ${fmt(clang.cpu)}, peak ${clang.mib.toFixed(0)} MiB`);
  console.log(`ioctl-lens check <mingw-w64 tree> (x86+x64):           wall ${fmt(check.ms)}, cpu ${fmt(check.cpu)}, peak ${check.mib.toFixed(0)} MiB  (aim: under 10 s)`);
  console.log(`  ratio to the clang TU: wall ${ratio(check.ms, clang.ms)}, cpu ${ratio(check.cpu, clang.cpu)}`);
}

/**
 * Writes a realistic driver of `handlers + 3` files into `dir`: a precompiled
 * header forcing ntifs.h, an interface header with an IOCTL and a record per
 * handler (half of them with pointers), DriverEntry registering the control
 * routine, the routine's switch, and one handler per file (casts, length
 * checks, probes, a helper call; every other one tests for 32-bit callers).
 */
function writeDriver(dir, handlers, prefix = 'BD') {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'sources'), `TARGETNAME=${prefix.toLowerCase()}\nTARGETTYPE=DRIVER\n`);
  writeFileSync(path.join(dir, 'precomp.h'), `#pragma once\n#include <ntifs.h>\n#include "iface.h"\n`);
  const iface = ['#pragma once', `#define FILE_DEVICE_${prefix} 0x9400`];
  for (let i = 0; i < handlers; i++) {
    iface.push(`#define IOCTL_${prefix}_${i} CTL_CODE(FILE_DEVICE_${prefix}, ${0x800 + i}, METHOD_BUFFERED, FILE_WRITE_ACCESS)`);
    iface.push(`typedef struct _${prefix}_REQ${i} {\n    ULONG Version;\n    ${i % 2 ? 'HANDLE Event;\n    PVOID Context;' : 'ULONG Flags;\n    ULONG Count;'}\n    ULONG Reserved[4];\n} ${prefix}_REQ${i}, *P${prefix}_REQ${i};`);
    iface.push(`NTSTATUS ${prefix}Handle${i}(PIRP Irp, PIO_STACK_LOCATION IrpSp);`);
  }
  writeFileSync(path.join(dir, 'iface.h'), iface.join('\n') + '\n');
  writeFileSync(path.join(dir, 'driver.c'), `#include "precomp.h"\n\nNTSTATUS ${prefix}Control(PDEVICE_OBJECT DeviceObject, PIRP Irp);\n\nNTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)\n{\n    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = ${prefix}Control;\n    return STATUS_SUCCESS;\n}\n`);
  const cases = [];
  for (let i = 0; i < handlers; i++) cases.push(`    case IOCTL_${prefix}_${i}:\n        status = ${prefix}Handle${i}(Irp, irpSp);\n        break;`);
  writeFileSync(path.join(dir, 'control.c'), `#include "precomp.h"\n\nNTSTATUS ${prefix}Control(PDEVICE_OBJECT DeviceObject, PIRP Irp)\n{\n    PIO_STACK_LOCATION irpSp = IoGetCurrentIrpStackLocation(Irp);\n    NTSTATUS status;\n    switch (irpSp->Parameters.DeviceIoControl.IoControlCode) {\n${cases.join('\n')}\n    default:\n        status = STATUS_INVALID_DEVICE_REQUEST;\n        break;\n    }\n    Irp->IoStatus.Status = status;\n    IoCompleteRequest(Irp, IO_NO_INCREMENT);\n    return status;\n}\n`);
  for (let i = 0; i < handlers; i++) {
    const t = `${prefix}_REQ${i}`;
    const test = i % 4 === 1 ? `    if (IoIs32bitProcess(Irp)) return STATUS_NOT_SUPPORTED;\n` : '';
    writeFileSync(
      path.join(dir, `handler${String(i).padStart(2, '0')}.c`),
      `#include "precomp.h"\n\nstatic NTSTATUS Validate${i}(P${t} Req)\n{\n    return Req->Version == 1 ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;\n}\n\n` +
        `NTSTATUS ${prefix}Handle${i}(PIRP Irp, PIO_STACK_LOCATION IrpSp)\n{\n    P${t} req = (P${t})Irp->AssociatedIrp.SystemBuffer;\n${test}` +
        `    if (IrpSp->Parameters.DeviceIoControl.InputBufferLength < sizeof(${t})) return STATUS_BUFFER_TOO_SMALL;\n` +
        `    ProbeForRead(req, sizeof(${t}), TYPE_ALIGNMENT(${t}));\n    Irp->IoStatus.Information = sizeof(${t});\n    return Validate${i}(req);\n}\n`,
    );
  }
}

/**
 * `check` of a whole generated driver (x86 + x64) against clang compiling
 * its sources one after another (x64): the targets are no more wall
 * time than clang and at most 2x its peak memory; and a 400-file repository
 * (20 drivers) in one run under 1 GB.
 */
function driverSection() {
  console.log(`\n== driver: a generated 20-file driver forcing ntifs.h (mingw-w64)`);
  if (!existsSync(path.join(mingw, 'ddk/ntifs.h'))) {
    console.log('SKIPPED: mingw-w64 headers not found (apt-get install mingw-w64-common)');
    if (process.env.CI === 'true') process.exit(1);
    return;
  }
  if (!requireTool('clang')) return;
  const n = Math.max(1, Math.min(3, runs));
  const base = path.join(root, 'out', 'bench-driver');
  rmSync(base, { recursive: true, force: true });
  const one = path.join(base, 'one');
  writeDriver(one, 18);
  const sources = ['driver.c', 'control.c', ...Array.from({ length: 18 }, (_, i) => `handler${String(i).padStart(2, '0')}.c`)].map((f) => path.join(one, f));
  const clangArgs = ['-target', 'x86_64-pc-windows-msvc', '-fms-extensions', '-fsyntax-only', '-ferror-limit=0', '-D_KERNEL_MODE', '-isystem', mingw, '-isystem', path.join(mingw, 'ddk')];
  // clang one file after another, as a build without PCH does: the sum of wall times, the largest peak.
  let clangMs = 0;
  let clangCpu = 0;
  let clangPeak = 0;
  for (const f of sources) {
    const r = measureN(n, 'clang', [...clangArgs, f]);
    clangMs += r.ms;
    clangCpu += r.cpu;
    clangPeak = Math.max(clangPeak, r.mib);
  }
  const ioctlArgs = [path.join(root, 'bin/ioctl-lens.js'), 'check', '--format', 'json', '--fail-on', 'never', '-I', mingw, '-I', path.join(mingw, 'ddk')];
  const check = measureN(n, process.execPath, [...ioctlArgs, one]);
  console.log(`clang -fsyntax-only, ${sources.length} sources one after another (x64): wall ${fmt(clangMs)}, cpu ${fmt(clangCpu)}, peak ${clangPeak.toFixed(0)} MiB`);
  console.log(`ioctl-lens check <driver> (x86+x64):                       wall ${fmt(check.ms)}, cpu ${fmt(check.cpu)}, peak ${check.mib.toFixed(0)} MiB`);
  console.log(`  ratio: wall ${ratio(check.ms, clangMs)} (target <= 1.00x), cpu ${ratio(check.cpu, clangCpu)}, peak memory ${ratio(check.mib, clangPeak)} (target <= 2.00x)`);
  // A small driver (3 sources, 5 files), where the kernel headers' two front-end passes and start-up are most of the cost.
  const small = path.join(base, 'small');
  writeDriver(small, 1, 'SD');
  let smallMs = 0;
  let smallCpu = 0;
  for (const f of ['driver.c', 'control.c', 'handler00.c']) {
    const r = measureN(n, 'clang', [...clangArgs, path.join(small, f)]);
    smallMs += r.ms;
    smallCpu += r.cpu;
  }
  const smallCheck = measureN(n, process.execPath, [...ioctlArgs, small]);
  console.log(`small driver (3 sources): clang one after another wall ${fmt(smallMs)}, cpu ${fmt(smallCpu)}; check wall ${fmt(smallCheck.ms)}, cpu ${fmt(smallCheck.cpu)}, peak ${smallCheck.mib.toFixed(0)} MiB`);
  console.log(`  ratio: wall ${ratio(smallCheck.ms, smallMs)}, cpu ${ratio(smallCheck.cpu, smallCpu)}`);
  const repo = path.join(base, 'repo');
  for (let d = 0; d < 20; d++) writeDriver(path.join(repo, `driver${String(d).padStart(2, '0')}`), 17, `R${d}`);
  const big = measureN(1, process.execPath, [...ioctlArgs, repo]);
  console.log(`ioctl-lens check <400-file repository, 20 drivers>:        wall ${fmt(big.ms)}, cpu ${fmt(big.cpu)}, peak ${big.mib.toFixed(0)} MiB (target < 1024 MiB)`);
}

const sections = { driver: driverSection, layout: layoutSection, check: checkSection, lsp: lspSection };
if (!existsSync(path.join(root, 'out/server/src/core/analyze.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
for (const [name, fn] of Object.entries(sections)) if (!only || only === name) await fn();
