#!/usr/bin/env node
// ioctl-lens benchmark: speed and memory as ratios against clang measured in
// the same run (these machines are noisy; absolute times mean little).
//
//   npm run bench            all sections
//   npm run bench -- layout  one section
//
// Sections:
//   layout  the TU of mingw-w64's ddk/wdm.h: whole-process `ioctl-lens layout
//           --abi x86,x64` and warm in-process preprocess+parse+layout of both
//           ABIs, each against `clang -fsyntax-only` with the layout dump (x64).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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

/** Runs a command `runs` times; returns the median wall time (ms) and the peak RSS (MiB) of the children. */
function measure(cmd, args) {
  const times = [];
  let peak = 0;
  for (let i = 0; i < runs; i++) {
    // python3's getrusage(RUSAGE_CHILDREN) gives the child's peak RSS without extra tools.
    const r = spawnSync('python3', ['-c', [
      'import resource, subprocess, sys, time',
      't = time.perf_counter()',
      'p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)',
      'e = time.perf_counter() - t',
      'print(e * 1000, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.returncode)',
    ].join('\n'), cmd, ...args], { encoding: 'utf8' });
    const [ms, kb] = r.stdout.trim().split(' ').map(Number);
    times.push(ms);
    peak = Math.max(peak, kb / 1024);
  }
  return { ms: median(times), mib: peak };
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
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    once();
    warm.push(performance.now() - t);
  }
  const warmMs = median(warm);
  const heap = process.memoryUsage();
  console.log(`clang -fsyntax-only + layout dump (x64 only): ${fmt(clang.ms)}, peak ${clang.mib.toFixed(0)} MiB`);
  console.log(`ioctl-lens layout --abi x86,x64 (process):     ${fmt(cli.ms)}, peak ${cli.mib.toFixed(0)} MiB  -> ${ratio(cli.ms, clang.ms)} clang time (aim <= 2x), ${ratio(cli.mib, clang.mib)} clang memory`);
  console.log(`warm in-process, both ABIs (${records} records): ${fmt(warmMs)}  -> ${ratio(warmMs, clang.ms)} clang time (aim <= 0.5x); rss ${(heap.rss / 2 ** 20).toFixed(0)} MiB`);
}

const sections = { layout: layoutSection };
if (!existsSync(path.join(root, 'out/server/src/core/analyze.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
for (const [name, fn] of Object.entries(sections)) if (!only || only === name) fn();
