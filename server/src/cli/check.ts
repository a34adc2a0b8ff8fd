/**
 * `ioctl-lens check`: the WOW64 rules over files and folders, printed like a
 * compiler's warnings, as JSON, or as SARIF 2.1.0.
 *
 * Which translation units. Every `.c`/`.cpp` file is one. A header is one
 * only when no analysed file includes it: headers are ordered so that the
 * ones nothing else includes (by a quick scan of `#include` lines) come
 * first, and a header already read as part of an earlier unit is not
 * analysed again. That keeps `check` over a whole SDK include tree to a few
 * hundred units instead of thousands. Unit checks run as each unit is
 * analysed (so only one unit is alive at a time); workspace checks (duplicate
 * codes ...) run at the end over every IOCTL definition seen.
 *
 * Options are resolved per file by `core/options.ts`, as the editor
 * resolves them: the driver project, the file's `compile_commands.json`
 * entry, `.ioctl-lens.json` (found by walking up from the first PATH), then
 * the command line.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import * as v8 from 'node:v8';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { type AbiName, defaultAbis, parseAbiList } from '../core/abi';
import { type AbiUnit, type Analysis, type AnalysisOptions, type Session, analyzeFile, createSession, mergedDiagnostics } from '../core/analyze';
import type { Diagnostic } from '../core/diagnostics';
import { createPreambleCache } from '../core/preamble';
import {
  type Finding,
  type RuleSetting,
  type Suppressions,
  filesNeededOnNarrow,
  finalizeFindings,
  kernelOnlyCodes,
  mergeIoctls,
  mergeSuppressions,
  runUnitChecks,
  runWorkspaceChecks,
  unitFacts,
  wow64Pairs,
} from '../core/checks/index';
import { type CompileOptions, type WorkspaceConfig, compileOptionsFor } from '../core/config';
import { type OptionSources, resolveOptions } from '../core/options';
import { type LanguageSetting, languageOfExtension } from '../core/language';
import { type DispatchRoutine, type DriverUnit, driverRoutines, summarizeUnit, unitTypes } from '../core/dispatch';
import { type DriverProject, filesByName, kernelModeSources } from '../core/project';
import type { IoctlDef } from '../core/ioctl';
import type { LexCache } from '../core/preprocess';
import { buildSarif, reportedFingerprint } from '../core/sarif';
import { type BaselineResult, type BaselineSummary, newFindings, readBaseline } from '../core/baseline';
import { normalizePath, overlayHost } from '../core/source';
import { loadConfig } from '../node/config';
import { diskHost } from '../node/host';
import { findDrivers } from '../node/project';
import { walkFiles } from '../node/walk';
import { type OptionSpec, compilerOptions, languageOption, parseArgs, parseDefine, usageError, version } from './args';
import { append } from '../core/arrays';

export interface CheckIo {
  out(s: string): void;
  err(s: string): void;
  isTty: boolean;
  cwd: string;
}

export const checkUsage = `usage: ioctl-lens check [options] PATH...

Runs the WOW64 rules (docs/rules/) over files and folders and reports findings
like a compiler's warnings. Exit status 1 when findings at or above --fail-on
exist, 2 on unusable input, else 0.

options:
  --format text|json|sarif    output format (default text)
  --fail-on error|warning|never
                              exit 1 when findings at or above this severity exist (default warning)
  -I DIR, -D NAME[=VALUE], -U NAME, --include FILE, --abi LIST, --language c|c++|auto
                              as for layout (--abi default x86,x64); with auto, a file's
                              compile command, extension and driver decide, then the header
  --compile-commands FILE     take include paths and defines from a compile_commands.json
  --config FILE               use this .ioctl-lens.json instead of searching for one
  --configuration NAME        the .vcxproj configuration to read: Debug|Win32, or Debug
                              for its x64 platform (default Release|x64)
  --no-kernel-mode            do not predefine _KERNEL_MODE for kernel-mode sources (those of
                              a driver project, or that include wdm.h, ntddk.h, ntifs.h ...)
  -j N, --jobs N              check up to N drivers at once on worker threads (default: one
                              per core; 1 checks everything in one thread)
  --baseline FILE             report only findings not in FILE, an earlier report
                              (--format sarif or json); says how many it left out
                              (unchanged) and how many of its own are gone (absent):
                              on stderr, in JSON's summary.baseline, in SARIF's
                              run properties; SARIF results get baselineState "new"
  PATH...                     files, or folders searched for .h .hpp .c .cpp; each driver under
                              them (a .vcxproj, compile_commands.json, else a folder) is one unit
`;

const sourceExt = /\.(c|cpp|cc|cxx)$/i;
const headerExt = /\.(h|hpp|hh|hxx)$/i;

/** Files under a folder with C/C++ extensions, in the walker's order (VCS and build folders skipped). */
export function collectFiles(root: string): string[] {
  return walkFiles(root, (name) => sourceExt.test(name) || headerExt.test(name));
}

const includeRe = /^[ \t]*#[ \t]*include[ \t]*[<"]([^>"\r\n]+)[>"]/gm;

/**
 * Headers some other file of the set includes, by a quick textual scan:
 * `#include` names resolved against the includer's folder, the include
 * directories, and finally the set's own files by trailing path.
 */
export function includedHeaders(files: readonly string[], includeDirs: readonly string[], read: (p: string) => string | undefined): Set<string> {
  const set = new Set(files);
  const byTail = filesByName(files);
  const lowerSet = new Map(files.map((f) => [f.toLowerCase(), f]));
  const included = new Set<string>();
  for (const f of files) {
    const text = read(f);
    if (!text || !text.includes('include')) continue;
    includeRe.lastIndex = 0;
    for (let m = includeRe.exec(text); m; m = includeRe.exec(text)) {
      const name = m[1].trim().replace(/\\/g, '/');
      const candidates = [normalizePath(nodePath.posix.join(nodePath.posix.dirname(f), name)), ...includeDirs.map((d) => normalizePath(nodePath.posix.join(d, name)))];
      let hit = candidates.map((c) => lowerSet.get(c.toLowerCase())).find((c) => c !== undefined);
      if (!hit) {
        const tail = name.toLowerCase();
        hit = byTail.get(tail.slice(tail.lastIndexOf('/') + 1))?.find((c) => c.toLowerCase().endsWith('/' + tail));
      }
      if (hit && hit !== f && set.has(hit)) included.add(hit);
    }
  }
  return included;
}

function displayPath(cwd: string) {
  return (p: string) => {
    if (p.startsWith('<')) return p;
    const rel = nodePath.relative(cwd, p);
    return rel.startsWith('..') || nodePath.isAbsolute(rel) ? p : rel.split(nodePath.sep).join('/');
  };
}

export interface CheckRequest {
  paths: string[];
  abis: AbiName[];
  /** The command line's `-I`, `-D`, `-U`, `--include` (`.ioctl-lens.json`'s come through `config`). */
  includeDirs: string[];
  defines: [string, string | undefined][];
  undefines: string[];
  forcedIncludes: string[];
  rules: Partial<Record<string, RuleSetting>>;
  compileCommands?: CompileOptions[];
  /** The `.ioctl-lens.json` that applies. */
  config?: WorkspaceConfig;
  prelude?: boolean;
  /** Default true: read many root headers through umbrella units (false: one unit per root header). */
  umbrella?: boolean;
  /**
   * Sources of a kernel-mode driver project, and sources that include
   * wdm.h/ntddk.h/ntifs.h/ndis.h, are compiled with `_KERNEL_MODE` unless
   * this (`--no-kernel-mode`), or else `.ioctl-lens.json`'s `kernelMode`, is false.
   */
  kernelMode?: boolean;
  /** The `.vcxproj` configuration to read (`--configuration`; else `.ioctl-lens.json`'s; default `Release|x64`). */
  configuration?: string;
  /** The drivers to check; by default found under `paths` (`node/project.ts`). */
  drivers?: DriverProject[];
  /**
   * Threads checking drivers at once (this one and worker threads), at most
   * one per driver; default one per core. 1 checks everything here.
   */
  threads?: number;
  /** `c` / `cpp` for every file, or `auto` (default): by compile flags, extension, the driver's sources, the header itself. */
  language?: LanguageSetting;
}

export interface CheckResult {
  findings: Finding[];
  /** Files named or found under the named folders. */
  files: string[];
  /** Translation units analysed. */
  units: number;
  /** The drivers the files were checked as. */
  drivers: { name: string; kind: DriverProject['kind']; path: string; sources: number; headers: number }[];
  /**
   * Errors in the input the findings stand on (`#error`, a missing or
   * refused `#include`, a syntax error, a record with no usable layout ...),
   * in any file a unit read, each once, by file and position: when there are
   * some, the findings may be incomplete or wrong.
   */
  inputErrors: Diagnostic[];
}

/**
 * A file's analysis options in `check`: `core/options.ts` over its driver,
 * its `compile_commands.json` entry, `.ioctl-lens.json` and the command
 * line, the function the editor resolves them with.
 */
export function checkOptionsFor(request: CheckRequest, file: string, project?: OptionSources['project'], self: OptionSources['file'] = { path: file }): AnalysisOptions {
  const compile = request.compileCommands ? compileOptionsFor(request.compileCommands, file) : undefined;
  const frontEnd = {
    abis: request.abis,
    includeDirs: request.includeDirs,
    defines: request.defines,
    undefines: request.undefines,
    forcedIncludes: request.forcedIncludes,
    prelude: request.prelude,
    language: request.language,
    kernelMode: request.kernelMode,
  };
  return resolveOptions({ project, compile, config: request.config, frontEnd, file: self }).analysis;
}

/**
 * The command line starts `check` without V8's optimising compiler
 * (bin/ioctl-lens.js): a small driver is done before optimised code repays
 * its compile time (on a 2-file WDM driver that reads ntddk.h, ~40% less
 * CPU). A run still going after this long turns it back on, where it pays
 * (on a 400-file repository, ~25% less CPU than without it).
 */
const optimiseAfterMs = 1500;
let optimising = false;

/** Called between units: turns the optimising compiler back on once the run is long. */
function optimiseIfLong(): void {
  if (optimising || performance.now() < optimiseAfterMs) return;
  optimising = true;
  v8.setFlagsFromString('--opt');
}

/** The text report lists this many input errors (JSON and SARIF list them all). */
const maxInputErrorsShown = 20;

/** More root headers than this are read through umbrella units. */
const umbrellaThreshold = 16;
const umbrellaBatch = 2000;

/**
 * Analyses and checks; the in-process entry point used by the CLI and the tests.
 *
 * Drivers are checked one at a time, each as a unit: every source of the
 * driver is analysed (all ABIs), its functions summarised, and the
 * interprocedural pass over all of them gives each unit the dispatch
 * routines whose function it defines, with uses found in any file. Then the
 * unit rules run per unit, and the workspace rules (duplicate codes ...)
 * over the driver's IOCTLs. Headers no source reads are analysed last, as
 * before (umbrella units for whole SDK trees).
 */
export function runCheck(request: CheckRequest): CheckResult {
  const files: string[] = [];
  for (const p of request.paths) {
    const abs = normalizePath(nodePath.resolve(p));
    if (fs.statSync(abs).isDirectory()) append(files, collectFiles(abs));
    else files.push(abs);
  }
  const unique = [...new Set(files)];
  const inFiles = new Set(unique);
  const disk = diskHost();
  // Virtual "umbrella" headers that include many root headers at once (see below).
  const virtual = new Map<string, string>();
  const host = overlayHost(disk, (p) => (virtual.has(p) ? { path: p, text: virtual.get(p)! } : undefined));
  // The session's lex cache is our own so the umbrella's 32-bit pass can
  // evict what it will not read (see `analyseUmbrella`): a whole SDK tree's
  // lexed tokens are most of the process's memory.
  const lexed = new Map<string, { text: string; value: Parameters<LexCache['set']>[2] }>();
  const lexCache: LexCache = {
    get: (path, text) => {
      const e = lexed.get(path);
      return e && e.text === text ? e.value : undefined;
    },
    set: (path, text, value) => void lexed.set(path, { text, value }),
  };
  const session: Session = { ...createSession(host), lexCache };
  const read = (p: string) => disk.readFile(p)?.text;
  const found = request.drivers
    ? { drivers: request.drivers, diagnostics: [] }
    : findDrivers(request.paths.map((p) => normalizePath(nodePath.resolve(p))), unique, {
        compileCommands: request.compileCommands,
        readText: read,
        configuration: request.configuration ?? request.config?.configuration,
      });
  const drivers = found.drivers;
  // A project file that cannot be read, or has no configuration asked for, is input the findings stand on.
  const projectErrors = found.diagnostics.filter((d) => d.severity === 'error');
  const threads = Math.min(request.threads ?? os.availableParallelism(), drivers.length);
  if (threads > 1) {
    const result = checkInThreads(request, drivers, threads, unique);
    return { ...result, inputErrors: byPlace([...projectErrors, ...result.inputErrors]) };
  }
  const covered = new Set<string>();
  const findings: Finding[] = [];
  const suppressions: Suppressions = new Map();
  const inputErrors: Diagnostic[] = [...projectErrors];
  const seenErrors = new Set<string>();
  let units = 0;

  const checkDriver = (driver: DriverProject) => {
    const driverFiles = new Set([...driver.sources, ...driver.headers]);
    const inScope = (f: string) => inFiles.has(f) || driverFiles.has(f);
    const ioctls = new Map<string, IoctlDef>();
    const routinesSeen: DispatchRoutine[][] = [];
    // Which sources a driver build compiles with `_KERNEL_MODE`; whether they get it is `core/options.ts`'s to decide.
    const kernel = driver.kernel ? new Set(driver.sources) : kernelModeSources(driver.sources, [...new Set([...unique, ...driverFiles])], read);
    // A header whose extension does not say is C++ in a driver whose sources are all C++.
    const sourceLanguages = new Set(driver.sources.map((f) => languageOfExtension(f)));
    const projectLanguage = sourceLanguages.size === 1 ? [...sourceLanguages][0] : undefined;
    const optionsFor = (file: string, optionsOf: string, umbrella = false): AnalysisOptions =>
      checkOptionsFor(request, optionsOf, { ...driver, kernel: kernel.has(file), language: projectLanguage }, {
        path: optionsOf,
        // An umbrella's headers are not read twice to sniff them: the project decides.
        text: umbrella ? undefined : read(file),
      });
    const record = (analysis: Analysis) => {
      units++;
      for (const u of analysis.units.values()) for (const f of u.pp.files.keys()) covered.add(f);
      for (const d of mergedDiagnostics(analysis)) {
        if (d.severity !== 'error') continue;
        const key = `${d.code}\0${d.loc.file}\0${d.loc.offset}\0${d.message}`;
        if (seenErrors.has(key)) continue;
        seenErrors.add(key);
        inputErrors.push(d);
      }
    };
    const check = (analysis: Analysis, routines?: DispatchRoutine[]) => {
      const r = unitFacts(analysis, { inScope, routines });
      for (const facts of r.pairs) append(findings, runUnitChecks(facts, { rules: request.rules, inScope }));
      mergeIoctls([r.ioctls], ioctls);
      routinesSeen.push(r.routines);
      mergeSuppressions(suppressions, r.suppressions);
    };
    // Sources: all of them, then the dispatch routines across them. Sources of a folder that
    // start with the same includes share one preamble per ABI (preprocessed and parsed once).
    // A function of its own, so its units, preambles and summaries (a few hundred MB on an SDK
    // tree's sources) are garbage once it returns, not live through the headers' umbrella units.
    const checkSources = () => {
      const preambles = createPreambleCache(session, host, { shareAcrossFiles: true });
      const analyses: Analysis[] = [];
      for (const file of driver.sources) {
        optimiseIfLong();
        const options = optionsFor(file, file);
        const text = host.readFile(file)?.text;
        const units = new Map<AbiName, AbiUnit>();
        for (const abi of options.abis) {
          const unit = text === undefined ? analyzeFile(session, file, { ...options, abis: [abi] }).units.get(abi) : preambles.analyze(file, text, options, abi);
          if (unit) units.set(abi, unit);
        }
        const analysis = withoutTokens({ path: file, units });
        record(analysis);
        analyses.push(analysis);
      }
      const wideAbi = wow64Pairs.map(([w]) => w).find((w) => request.abis.includes(w));
      const driverUnits: DriverUnit[] = [];
      for (const analysis of analyses) {
        const wide = wideAbi ? analysis.units.get(wideAbi) : undefined;
        if (!wide) continue;
        const types = unitTypes(wide.unit, wide.prelude?.unit);
        driverUnits.push({ summary: summarizeUnit(wide.unit, types, inScope), types });
      }
      const routines = driverUnits.length === analyses.length && analyses.length > 0 ? driverRoutines(driverUnits) : undefined;
      analyses.forEach((analysis, i) => check(analysis, routines?.[i]));
    };
    checkSources();

    /**
     * An umbrella unit for the 64-bit ABIs, and for the 32-bit ones a smaller
     * umbrella of only the roots that lead to the files whose records the
     * checks compare (most of an SDK tree defines nothing that crosses the
     * boundary), found through the 64-bit unit's include edges.
     */
    const analyseUmbrella = (path: string, batch: string[], options: AnalysisOptions): Analysis => {
      const wideAbis = options.abis.filter((a) => wow64Pairs.some(([w]) => w === a));
      const narrowAbis = options.abis.filter((a) => !wideAbis.includes(a));
      if (wideAbis.length === 0 || narrowAbis.length === 0) return analyzeFile(session, path, options);
      const wide = withoutTokens(analyzeFile(session, path, { ...options, abis: wideAbis }));
      const wideUnit = wide.units.get(wideAbis[0])!;
      const needed = filesNeededOnNarrow(wideUnit, { inScope });
      const parent = new Map<string, string>();
      for (const e of wideUnit.pp.includes) if (!parent.has(e.to) && e.to !== e.from) parent.set(e.to, e.from);
      const roots = new Set<string>();
      for (let f of needed) {
        for (let hops = 0; hops < 200 && parent.has(f) && parent.get(f) !== path; hops++) f = parent.get(f)!;
        if (parent.get(f) === path || batch.includes(f)) roots.add(f);
      }
      const reduced = batch.filter((h) => roots.has(h));
      // Lexed files the smaller unit cannot reach (by the 64-bit unit's include
      // edges) are dropped from the cache; one it reaches anyway on 32 bits is
      // simply lexed again.
      const reachable = new Set<string>(reduced);
      const edges = new Map<string, string[]>();
      for (const e of wideUnit.pp.includes) {
        const list = edges.get(e.from);
        if (list) list.push(e.to);
        else edges.set(e.from, [e.to]);
      }
      for (const queue = [...reduced]; queue.length; ) {
        for (const to of edges.get(queue.pop()!) ?? []) if (!reachable.has(to)) queue.push(to), reachable.add(to);
      }
      for (const file of [...lexed.keys()]) if (!reachable.has(file)) lexed.delete(file);
      virtual.set(path, reduced.map((h) => `#include "${h}"`).join('\n') + '\n');
      const narrow = analyzeFile(session, path, { ...options, abis: narrowAbis });
      return { path, units: new Map([...wide.units, ...narrow.units]) };
    };
    const analyseHeader = (file: string, optionsOf: string, umbrellaOf?: string[]) => {
      optimiseIfLong();
      const options = optionsFor(file, optionsOf, umbrellaOf !== undefined);
      const analysis = withoutTokens(umbrellaOf ? analyseUmbrella(file, umbrellaOf, { ...options, budgetScale: umbrellaOf.length }) : analyzeFile(session, file, options));
      record(analysis);
      check(analysis);
    };
    // Headers no analysed file includes. A few are analysed one by one; a whole
    // SDK tree is read through umbrella units (one header including the roots
    // in order), so the headers they share are preprocessed once, not once per
    // root. Headers left uncovered after that get units of their own.
    const headers = driver.headers;
    const included = includedHeaders([...driver.sources, ...headers], [...driver.includeDirs, ...(request.config?.includePaths ?? []), ...request.includeDirs], read);
    const roots = headers.filter((h) => !included.has(h) && !covered.has(h));
    let umbrellas = 0;
    const umbrella = (batch: string[]) => {
      const dir = batch[0].slice(0, batch[0].lastIndexOf('/'));
      const path = `${dir}/<ioctl-lens umbrella ${++umbrellas}>.h`;
      virtual.set(path, batch.map((h) => `#include "${h}"`).join('\n') + '\n');
      analyseHeader(path, batch[0], batch);
      virtual.delete(path);
    };
    if (roots.length > umbrellaThreshold && request.umbrella !== false) {
      // Roots first, then the headers they include, for those included only under conditions
      // that were false (include guards make the others cost next to nothing).
      const all = [...roots, ...headers.filter((h) => !roots.includes(h) && !covered.has(h))];
      for (let i = 0; i < all.length; i += umbrellaBatch) {
        const batch = all.slice(i, i + umbrellaBatch).filter((h) => !covered.has(h));
        if (batch.length) umbrella(batch);
      }
    } else for (const h of roots) if (!covered.has(h)) analyseHeader(h, h);
    for (const h of headers) if (!covered.has(h)) analyseHeader(h, h);
    // Duplicate codes count within one driver.
    append(findings, runWorkspaceChecks({ ioctls: [...ioctls.values()], inScope, kernelOnly: kernelOnlyCodes(routinesSeen) }, { rules: request.rules, inScope }));
  };
  for (const driver of drivers) checkDriver(driver);
  return {
    findings: finalizeFindings(findings, suppressions),
    files: unique,
    units,
    drivers: drivers.map((d) => ({ name: d.name, kind: d.kind, path: d.path, sources: d.sources.length, headers: d.headers.length })),
    inputErrors: byPlace(inputErrors),
  };
}

/** What a worker thread of `checkInThreads` posts back. */
export type WorkerReply = { result: CheckResult } | { error: string };

/**
 * Drivers checked on several threads: the drivers, largest first, go to the
 * lightest of `threads` groups; this thread checks the first group while
 * worker threads (`check-worker.ts`) check the others, each a `runCheck` of
 * its own (sessions, preambles and lex caches are per thread). `runCheck`
 * stays synchronous: this thread waits on a shared counter the workers
 * raise, then takes their replies with `receiveMessageOnPort`. A worker that
 * fails or does not answer in good time (20 times this thread's own share,
 * at least a minute) has its drivers checked here instead.
 */
function checkInThreads(request: CheckRequest, drivers: DriverProject[], threads: number, files: string[]): CheckResult {
  const groups: DriverProject[][] = Array.from({ length: threads }, () => []);
  const weight: number[] = groups.map(() => 0);
  for (const d of [...drivers].sort((a, b) => b.sources.length + b.headers.length - (a.sources.length + a.headers.length))) {
    let lightest = 0;
    for (let i = 1; i < threads; i++) if (weight[i] < weight[lightest]) lightest = i;
    groups[lightest].push(d);
    weight[lightest] += 1 + d.sources.length + d.headers.length / 4;
  }
  const done = new Int32Array(new SharedArrayBuffer(4));
  const workers = groups.slice(1).map((group) => {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(nodePath.join(__dirname, 'check-worker.js'), {
      workerData: { request: { ...request, drivers: group, threads: 1 }, port: port2, done },
      transferList: [port2],
    });
    worker.unref();
    return { worker, port: port1, group };
  });
  const started = performance.now();
  const results = [runCheck({ ...request, drivers: groups[0], threads: 1 })];
  const deadline = performance.now() + Math.max(60000, 20 * (performance.now() - started));
  for (let n = Atomics.load(done, 0); n < workers.length && performance.now() < deadline; n = Atomics.load(done, 0)) Atomics.wait(done, 0, n, 1000);
  for (const w of workers) {
    const reply = receiveMessageOnPort(w.port)?.message as WorkerReply | undefined;
    w.port.close();
    void w.worker.terminate();
    results.push(reply && 'result' in reply ? reply.result : runCheck({ ...request, drivers: w.group, threads: 1 }));
  }
  const findings: Finding[] = [];
  const inputErrors = new Map<string, Diagnostic>();
  let units = 0;
  for (const r of results) {
    append(findings, r.findings);
    units += r.units;
    // A header several drivers read is broken once.
    for (const d of r.inputErrors) inputErrors.set(`${d.code}\0${d.loc.file}\0${d.loc.offset}\0${d.message}`, d);
  }
  return {
    findings: finalizeFindings(findings, new Map()),
    files,
    units,
    drivers: drivers.map((d) => ({ name: d.name, kind: d.kind, path: d.path, sources: d.sources.length, headers: d.headers.length })),
    inputErrors: byPlace([...inputErrors.values()]),
  };
}

/** Diagnostics by file, then position. */
const byPlace = (list: Diagnostic[]): Diagnostic[] => list.sort((a, b) => (a.loc.file < b.loc.file ? -1 : a.loc.file > b.loc.file ? 1 : a.loc.offset - b.loc.offset));

/**
 * The analysis without its expanded token streams: the parser has read them,
 * and no check looks at them again (declarations and function bodies keep
 * the tokens they need), so a huge unit's stream is not held while the next
 * ABI is analysed.
 */
function withoutTokens(analysis: Analysis): Analysis {
  // In place: the result is this run's own, and the checks' per-unit caches are keyed by `pp`.
  for (const u of analysis.units.values()) u.pp.tokens = [];
  return analysis;
}

/**
 * The `--format json` report (README, "check"). `baseDir`: the folder
 * fingerprints name files from (as SARIF's `%SRCROOT%`), for `--baseline`;
 * `baseline`: the comparison with it, in the summary.
 */
export function jsonReport(result: CheckResult, show: (p: string) => string, baseDir?: string, baseline?: BaselineSummary): object {
  return {
    findings: result.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      symbol: f.symbol,
      file: show(f.loc.file),
      line: f.loc.line,
      column: f.loc.col,
      endLine: f.end.line,
      endColumn: f.end.col,
      message: f.message,
      related: f.related.map((r) => ({ file: show(r.loc.file), line: r.loc.line, message: r.message })),
      ...(f.flow ? { flow: f.flow.map((r) => ({ file: show(r.loc.file), line: r.loc.line, column: r.loc.col, message: r.message })) } : {}),
      fingerprint: reportedFingerprint(f, baseDir),
    })),
    inputErrors: result.inputErrors.map((d) => ({ code: d.code, file: show(d.loc.file), line: d.loc.line, column: d.loc.col, message: d.message })),
    summary: {
      files: result.files.length,
      errors: result.findings.filter((f) => f.severity === 'error').length,
      warnings: result.findings.filter((f) => f.severity === 'warning').length,
      inputErrors: result.inputErrors.length,
      ...(baseline ? { baseline: { ...baseline } } : {}),
    },
  };
}

export function textReport(result: CheckResult, show: (p: string) => string, color: boolean): string {
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  for (const f of result.findings) {
    const sev = f.severity === 'error' ? paint('1;31', 'error') : f.severity === 'warning' ? paint('1;35', 'warning') : paint('1;36', 'note');
    lines.push(`${paint('1', `${show(f.loc.file)}:${f.loc.line}:${f.loc.col}:`)} ${sev}: ${f.message} [${f.rule}]`);
    for (const r of f.related) lines.push(`${show(r.loc.file)}:${r.loc.line}:${r.loc.col}: ${paint('1;36', 'note')}: ${r.message}`);
  }
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.filter((f) => f.severity === 'warning').length;
  const broken = result.inputErrors;
  if (broken.length) {
    // After the findings, so the last screen of a CI log says what they stand on.
    lines.push(`${paint('1;31', 'The analysis stands on broken input')}: ${broken.length} error(s) in the files read; findings may be missing or wrong until they are fixed:`);
    for (const d of broken.slice(0, maxInputErrorsShown)) lines.push(`${show(d.loc.file)}:${d.loc.line}:${d.loc.col}: ${paint('1;31', 'error')}: ${d.message} [${d.code}]`);
    if (broken.length > maxInputErrorsShown) lines.push(`... and ${broken.length - maxInputErrorsShown} more (--format json lists them all)`);
  }
  const input = broken.length ? `; ${broken.length} input error(s)` : '';
  lines.push(`${result.files.length} file(s) checked: ${errors} error(s), ${warnings} warning(s)${input}`);
  return lines.join('\n') + '\n';
}

/** `--baseline FILE`'s fingerprints, or why the file cannot serve (a usage error: exit 2). */
function loadBaseline(path: string, named: string): BaselineResult {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (e) {
    return { error: `cannot read the baseline ${named}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  const r = readBaseline(text);
  return 'error' in r ? { error: `the baseline ${named} is ${r.error.startsWith('not JSON') || r.error.startsWith('neither') ? '' : 'unusable: '}${r.error}` } : r;
}

export function checkCommand(argv: string[], io: CheckIo): number {
  const specs: Record<string, OptionSpec> = {
    ...compilerOptions,
    '--format': { kind: 'string' },
    '--fail-on': { kind: 'string' },
    '--compile-commands': { kind: 'string' },
    '--config': { kind: 'string' },
    '--configuration': { kind: 'string' },
    '--no-kernel-mode': { kind: 'flag' },
    '--jobs': { kind: 'string', aliases: ['-j'] },
    '--baseline': { kind: 'string' },
  };
  const args = parseArgs(argv, specs);
  const format = args.options.get('--format')?.[0] ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) args.errors.push(`unknown format '${format}' (expected text, json or sarif)`);
  const failOn = args.options.get('--fail-on')?.[0] ?? 'warning';
  if (!['error', 'warning', 'never'].includes(failOn)) args.errors.push(`unknown --fail-on level '${failOn}' (expected error, warning or never)`);
  if (args.positionals.length === 0) args.errors.push('no input files or folders');
  for (const p of args.positionals) if (!fs.existsSync(nodePath.resolve(io.cwd, p))) args.errors.push(`no such file or folder: ${p}`);
  const language = languageOption(args);
  const jobs = args.options.get('--jobs')?.[0];
  if (jobs !== undefined && !/^[1-9][0-9]{0,3}$/.test(jobs)) args.errors.push(`--jobs needs a number of threads from 1 to 9999, not '${jobs}'`);
  const configuration = args.options.get('--configuration')?.[0]?.trim();
  if (configuration === '') args.errors.push('--configuration needs a configuration name such as Debug|x64');
  const baselineFile = args.options.get('--baseline')?.[0];
  const baseline = baselineFile === undefined ? undefined : loadBaseline(nodePath.resolve(io.cwd, baselineFile), baselineFile);
  if (baseline && 'error' in baseline) args.errors.push(baseline.error);
  const bail = () => usageError('check', args, io);
  if (args.errors.length) return bail();

  const paths = args.positionals.map((p) => nodePath.resolve(io.cwd, p));
  const show = displayPath(io.cwd);
  const loaded = loadConfig(paths[0], {
    configPath: args.options.get('--config')?.[0] && nodePath.resolve(io.cwd, args.options.get('--config')![0]),
    compileCommandsPath: args.options.get('--compile-commands')?.[0] && nodePath.resolve(io.cwd, args.options.get('--compile-commands')![0]),
  });
  for (const d of loaded.diagnostics) io.err(`${show(d.loc.file)}:${d.loc.line}:${d.loc.col}: ${d.severity}: ${d.message}\n`);
  if (loaded.diagnostics.some((d) => d.severity === 'error')) return 2;
  const { config } = loaded;
  const abiOption = args.options.get('--abi')?.[0];
  let abis: AbiName[] = config.abis ?? [...defaultAbis];
  if (abiOption) {
    const parsed = parseAbiList(abiOption);
    for (const u of parsed.unknown) args.errors.push(`unknown ABI '${u}' (expected x86, x64, arm64 or arm32)`);
    abis = parsed.abis;
  }
  if (!wow64Pairs.some(([w, n]) => abis.includes(w) && abis.includes(n))) {
    args.errors.push(`--abi must include a 64-bit ABI and its 32-bit WOW64 peer (x64 with x86, or arm64 with arm32)`);
  }
  if (args.errors.length) return bail();

  const result = runCheck({
    paths,
    abis,
    includeDirs: (args.options.get('-I') ?? []).map((d) => normalizePath(nodePath.resolve(io.cwd, d))),
    defines: (args.options.get('-D') ?? []).map(parseDefine),
    undefines: args.options.get('-U') ?? [],
    forcedIncludes: args.options.get('--include') ?? [],
    config,
    rules: config.rules,
    compileCommands: loaded.compileCommands?.entries,
    prelude: !args.options.has('--no-prelude'),
    language,
    ...(args.options.has('--no-kernel-mode') ? { kernelMode: false } : {}),
    ...(configuration ? { configuration } : {}),
    ...(jobs ? { threads: Number(jobs) } : {}),
  });
  if (result.files.length === 0) {
    io.err(`ioctl-lens check: no .h .hpp .c .cpp files under ${args.positionals.join(', ')}\n`);
    return 2;
  }
  let compared: BaselineSummary | undefined;
  if (baseline && 'fingerprints' in baseline) {
    const kept = newFindings(result.findings, baseline.fingerprints, normalizePath(io.cwd), baselineFile!);
    result.findings = kept.findings;
    compared = kept.summary;
    io.err(`ioctl-lens check: ${compared.unchanged} finding(s) in the baseline ${baselineFile} not reported; ${compared.absent} of its finding(s) no longer found\n`);
  }
  if (format === 'json') io.out(JSON.stringify(jsonReport(result, show, normalizePath(io.cwd), compared), null, 2) + '\n');
  else if (format === 'sarif') io.out(JSON.stringify(buildSarif(result.findings, { baseDir: normalizePath(io.cwd), toolVersion: version(), inputErrors: result.inputErrors, baseline: compared }), null, 2) + '\n');
  else io.out(textReport(result, show, io.isTty && !process.env.NO_COLOR));
  const worst = result.findings.some((f) => f.severity === 'error') ? 2 : result.findings.some((f) => f.severity === 'warning') ? 1 : 0;
  const threshold = failOn === 'error' ? 2 : failOn === 'warning' ? 1 : Infinity;
  return worst >= threshold ? 1 : 0;
}
