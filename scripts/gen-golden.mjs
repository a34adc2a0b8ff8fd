#!/usr/bin/env node
/**
 * Regenerates the differential-test goldens: clang's own Microsoft-ABI
 * layouts (via scripts/clang-layouts.mjs) for
 *   - every corpus header test/corpus/*.h (C) and *.hpp (C++, laid out by
 *     clang++ with bases and vftable pointers) on x86, x64, arm64 and arm32
 *     -> test/golden/corpus/<file>.<abi>.json
 *   - every real mingw-w64 header set in test/realheaders.json on its ABIs
 *     -> test/golden/real/<name>.<abi>.json
 *
 * Usage: node scripts/gen-golden.mjs [--check] [--only corpus|real] [--jobs N]
 *
 * --check regenerates into a temporary directory and fails when any golden
 * differs or is missing/extra. The clang version line is recorded in every
 * file but left out of the comparison (a different clang build that lays out
 * every record the same is not stale); a version change is reported loudly.
 *
 * Golden format: a JSON object with one header key per line, then `excluded`
 * and `records` arrays with one entry per line, records sorted by file, line,
 * name and kind, so that diffs read record by record. Member `type`s are not
 * stored (only names, offsets and bit positions are compared) to keep the
 * files small.
 *
 * Real header sets may name `dedupeAgainst` sets: records identical (name,
 * file, line, size, alignment and every member) to one in those sets' goldens
 * for the same ABI are omitted and counted in `counts.deduped`; they are
 * compared by the earlier set's test. Real-header sets that clang cannot
 * compile cleanly still produce goldens; see clang-layouts.mjs for which
 * records are excluded and why.
 */

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { clangCxxLayouts, clangLayouts, clangResourceDir, clangVersion } from './clang-layouts.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpusDir = path.join(root, 'test', 'corpus');
const goldenDir = path.join(root, 'test', 'golden');
const realSetsFile = path.join(root, 'test', 'realheaders.json');
export const corpusAbis = ['x86', 'x64', 'arm64', 'arm32'];

function parseArgs(argv) {
  const o = { check: false, only: null, jobs: Math.max(1, Math.min(8, cpus().length)) };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--check') o.check = true;
    else if (argv[i] === '--only') o.only = argv[++i];
    else if (argv[i] === '--jobs') o.jobs = Number(argv[++i]);
    else throw new Error(`gen-golden: unknown argument ${argv[i]}`);
  }
  return o;
}

/** Drops member types; keeps name, offset, bit position and anonymous members. */
function goldenFields(fields) {
  return fields.map((f) => {
    const out = { name: f.name, offset: f.offset };
    if (f.bitWidth !== undefined) {
      out.bitOffset = f.bitOffset;
      out.bitWidth = f.bitWidth;
    }
    if (f.fields) out.fields = goldenFields(f.fields);
    return out;
  });
}

function countFields(fields) {
  let n = 0;
  for (const f of fields) n += 1 + (f.fields ? countFields(f.fields) : 0);
  return n;
}

const compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
function sortRecords(records) {
  return records.sort((a, b) => compare(a.file ?? '', b.file ?? '') || a.line - b.line || compare(a.name, b.name) || compare(a.kind, b.kind));
}

/** The golden text: header keys one per line, array entries one per line. */
export function serializeGolden(golden) {
  const lines = ['{'];
  const keys = Object.keys(golden);
  keys.forEach((k, i) => {
    const comma = i < keys.length - 1 ? ',' : '';
    const v = golden[k];
    if (Array.isArray(v)) {
      if (v.length === 0) lines.push(`  ${JSON.stringify(k)}: []${comma}`);
      else {
        lines.push(`  ${JSON.stringify(k)}: [`);
        v.forEach((e, j) => lines.push(`    ${JSON.stringify(e)}${j < v.length - 1 ? ',' : ''}`));
        lines.push(`  ]${comma}`);
      }
    } else lines.push(`  ${JSON.stringify(k)}: ${JSON.stringify(v)}${comma}`);
  });
  lines.push('}', '');
  return lines.join('\n');
}

function buildGolden({ result, input, deduped = 0, errorsShown }) {
  const records = sortRecords(
    result.records.map((r) => ({
      name: r.name,
      kind: r.kind,
      file: r.file,
      line: r.line,
      size: r.size,
      align: r.align,
      fields: goldenFields(r.fields),
      ...(r.bases ? { bases: r.bases } : {}),
      ...(r.vfptr !== undefined ? { vfptr: r.vfptr } : {}),
    })),
  );
  const excluded = result.excluded
    .map((e) => ({ name: e.name, kind: e.kind, file: e.file, line: e.line, reason: e.reason, ...(e.detail ? { detail: e.detail } : {}) }))
    .sort((a, b) => compare(a.file ?? '', b.file ?? '') || a.line - b.line || compare(a.name, b.name));
  let fields = 0;
  for (const r of records) fields += countFields(r.fields);
  return {
    generator: 'scripts/gen-golden.mjs (clang -fdump-record-layouts; do not edit by hand)',
    clang: result.clang,
    abi: result.abi,
    triple: result.triple,
    input,
    counts: { records: records.length, fields, excluded: excluded.length, deduped, unnamed: result.unnamed, errors: result.errors.length },
    errors: errorsShown,
    excluded,
    records,
  };
}

async function pool(tasks, jobs) {
  const results = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, worker));
  return results;
}

/** Generates every golden into `outDir`; returns the relative paths written. */
export async function generate({ outDir, only = null, jobs = 4, log = console.log }) {
  const written = [];
  const write = (rel, golden) => {
    const file = path.join(outDir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, serializeGolden(golden));
    written.push(rel);
  };

  if (only === null || only === 'corpus') {
    const files = readdirSync(corpusDir).filter((f) => f.endsWith('.h') || f.endsWith('.hpp')).sort();
    const tasks = [];
    for (const file of files) {
      for (const abi of corpusAbis) {
        tasks.push(async () => {
          const cxx = file.endsWith('.hpp');
          const result = cxx
            ? await clangCxxLayouts({ abi, files: [file], cwd: corpusDir, shortenPath: (f) => path.relative(corpusDir, f) })
            : await clangLayouts({ abi, files: [file], cwd: corpusDir });
          if (result.errors.length > 0 || result.excluded.length > 0) {
            const errs = result.errors.map((e) => `${e.file}:${e.line}: ${e.message}`).join('\n');
            throw new Error(`gen-golden: corpus file ${file} must compile cleanly on ${abi}:\n${errs}\n${JSON.stringify(result.excluded)}`);
          }
          const input = { files: [`test/corpus/${file}`], includeDirs: [], forcedIncludes: [], ...(cxx ? { language: 'cpp' } : {}) };
          const golden = buildGolden({ result, input, errorsShown: [] });
          write(`corpus/${file}.${abi}.json`, golden);
          return `${file} ${abi}: ${golden.counts.records} records, ${golden.counts.fields} fields`;
        });
      }
    }
    for (const line of await pool(tasks, jobs)) log(line);
  }

  if (only === null || only === 'real') {
    const spec = JSON.parse(readFileSync(realSetsFile, 'utf8'));
    const mingw = spec.mingwInclude;
    if (!existsSync(mingw)) throw new Error(`gen-golden: mingw-w64 headers not found at ${mingw}`);
    const resourceDir = clangResourceDir();
    const shortenPath = (f) => {
      if (f.startsWith(mingw + '/')) return f.slice(mingw.length + 1);
      if (f.startsWith(resourceDir + '/')) return '<clang>/' + f.slice(resourceDir.length + 1);
      return f;
    };
    const expand = (d) => d.replace('<mingw>', mingw);
    // Sets run in order of dependency (dedupeAgainst names earlier sets); the
    // ABIs of one set, and independent sets, run in parallel.
    const done = new Map(); // `${set}.${abi}` -> records
    const bySet = new Map(spec.sets.map((s) => [s.name, s]));
    const waiting = new Map();
    const runSetAbi = async (set, abi) => {
      for (const dep of set.dedupeAgainst ?? []) {
        if (!bySet.has(dep)) throw new Error(`gen-golden: ${set.name} dedupes against unknown set ${dep}`);
        await waiting.get(`${dep}.${abi}`);
      }
      const result = await clangLayouts({
        abi,
        headers: set.headers,
        includeDirs: set.includeDirs.map(expand),
        forcedIncludes: set.forcedIncludes ?? [],
        cwd: root,
        shortenPath,
      });
      const golden0 = buildGolden({ result, input: {}, errorsShown: [] });
      done.set(`${set.name}.${abi}`, golden0.records);
      const seen = new Set();
      for (const dep of set.dedupeAgainst ?? []) for (const r of done.get(`${dep}.${abi}`)) seen.add(JSON.stringify(r));
      const kept = golden0.records.filter((r) => !seen.has(JSON.stringify(r)));
      const errorsShown = result.errors.filter((e) => !String(e.file).startsWith('<clang>')).map((e) => `${e.file}:${e.line}: ${e.message}`);
      const golden = buildGolden({
        result: { ...result, records: [] },
        input: { headers: set.headers, includeDirs: set.includeDirs, forcedIncludes: set.forcedIncludes ?? [], dedupeAgainst: set.dedupeAgainst ?? [] },
        deduped: golden0.records.length - kept.length,
        errorsShown,
      });
      golden.records = kept;
      let fields = 0;
      for (const r of kept) fields += countFields(r.fields);
      golden.counts.records = kept.length;
      golden.counts.fields = fields;
      write(`real/${set.name}.${abi}.json`, golden);
      log(`${set.name} ${abi}: ${kept.length} records (${golden.counts.deduped} deduped), ${fields} fields, ${golden.counts.excluded} excluded, ${result.errors.length} clang errors`);
    };
    let running = 0;
    const slots = [];
    const limit = async (fn) => {
      while (running >= jobs) await Promise.race(slots);
      running++;
      const p = fn().finally(() => {
        running--;
        slots.splice(slots.indexOf(p), 1);
      });
      slots.push(p);
      return p;
    };
    const all = [];
    for (const set of spec.sets) {
      for (const abi of set.abis) {
        const p = (async () => {
          for (const dep of set.dedupeAgainst ?? []) await waiting.get(`${dep}.${abi}`);
          return limit(() => runSetAbi(set, abi));
        })();
        waiting.set(`${set.name}.${abi}`, p);
        all.push(p);
      }
    }
    await Promise.all(all);
  }
  return written;
}

function listGoldens(dir, only) {
  const out = [];
  for (const sub of ['corpus', 'real']) {
    if (only && only !== sub) continue;
    const d = path.join(dir, sub);
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d)) if (f.endsWith('.json')) out.push(`${sub}/${f}`);
  }
  return out.sort();
}

const withoutVersion = (text) => text.replace(/^ {2}"clang": .*$/m, '');

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const version = clangVersion();
  if (!version) {
    console.error('gen-golden: clang not found on PATH');
    process.exit(1);
  }
  if (!o.check) {
    for (const rel of listGoldens(goldenDir, o.only)) rmSync(path.join(goldenDir, rel));
    const written = await generate({ outDir: goldenDir, only: o.only, jobs: o.jobs });
    console.log(`wrote ${written.length} goldens under test/golden with ${version}`);
    return;
  }
  const tmp = mkdtempSync(path.join(tmpdir(), 'gen-golden-'));
  try {
    await generate({ outDir: tmp, only: o.only, jobs: o.jobs, log: () => {} });
    const fresh = listGoldens(tmp, o.only);
    const committed = listGoldens(goldenDir, o.only);
    const problems = [];
    for (const rel of fresh) if (!committed.includes(rel)) problems.push(`missing: test/golden/${rel}`);
    for (const rel of committed) if (!fresh.includes(rel)) problems.push(`extra (no longer generated): test/golden/${rel}`);
    let versionNote = null;
    for (const rel of fresh.filter((r) => committed.includes(r))) {
      const a = readFileSync(path.join(goldenDir, rel), 'utf8');
      const b = readFileSync(path.join(tmp, rel), 'utf8');
      if (withoutVersion(a) !== withoutVersion(b)) problems.push(`stale: test/golden/${rel}`);
      else if (a !== b && !versionNote) versionNote = `note: goldens were generated by ${/"clang": (.*),/.exec(a)?.[1]}, this is ${JSON.stringify(version)}; layouts are identical`;
    }
    if (versionNote) console.warn(`WARNING ${versionNote}`);
    if (problems.length) {
      console.error(`gen-golden --check: ${problems.length} golden file(s) out of date; run node scripts/gen-golden.mjs\n  ${problems.slice(0, 50).join('\n  ')}`);
      process.exit(1);
    }
    console.log(`gen-golden --check: ${fresh.length} goldens are current (${version})`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
