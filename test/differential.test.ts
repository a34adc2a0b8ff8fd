/**
 * Differential tests: ioctl-lens's layouts against clang's own Microsoft-ABI
 * layouts. Owns the comparison; the expected answers are the committed
 * goldens under test/golden (scripts/gen-golden.mjs), so this runs without
 * clang.
 *
 * For each golden file (one translation unit on one ABI) the same input goes
 * through `layoutReports` with `allFiles: true` (records of every file in the
 * translation unit, as clang dumps them) and `prelude: false` (clang has no
 * prelude), and every record clang reported is compared: size, alignment,
 * and every member's name and offset, recursively into anonymous members.
 * Bit-fields are compared by absolute bit position (offset * 8 + bitOffset)
 * and width, because clang prints the byte holding the first bit while
 * ioctl-lens reports the storage unit. All mismatches of one golden file are
 * reported by a single assertion.
 *
 * C++ goldens (`*.hpp` corpus headers, `input.language: 'cpp'`) also carry
 * each class's bases and own vftable pointer, compared by name and offset.
 *
 * Records are matched by name; when several share it, by file basename and
 * then the nearest line. A golden record ioctl-lens does not list is a
 * failure, unless it is in `notComparable` below. Records clang could not lay
 * out faithfully never reach the goldens (see scripts/clang-layouts.mjs).
 *
 * The second suite regenerates the corpus goldens when clang is on PATH and
 * fails if the committed ones are stale; without clang it prints a SKIPPED
 * line, and under CI=true a missing clang is a failure.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AbiName } from '../server/src/core/abi';
import type { FieldReport, RecordReport } from '../server/src/core/report';
import { layoutReports } from '../server/src/node/layoutApi';

import { repoRoot, requireTool } from './helpers';
const goldenDir = path.join(repoRoot, 'test', 'golden');
const realSets = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'realheaders.json'), 'utf8')) as { mingwInclude: string };
const mingwInclude = process.env.MINGW_INCLUDE ?? realSets.mingwInclude;

interface GoldenField {
  name: string | null;
  offset: number;
  bitOffset?: number;
  bitWidth?: number;
  fields?: GoldenField[];
}

interface GoldenRecord {
  name: string;
  kind: 'struct' | 'union';
  file: string;
  line: number;
  size: number;
  align: number;
  fields: GoldenField[];
  /** C++ (clang++ goldens): base subobjects and the class's own vftable pointer. */
  bases?: { name: string; offset: number }[];
  vfptr?: number;
}

interface Golden {
  clang: string;
  abi: AbiName;
  input: { files?: string[]; headers?: string[]; includeDirs: string[]; forcedIncludes: string[]; language?: 'c' | 'cpp' };
  counts: { records: number; fields: number };
  records: GoldenRecord[];
}

/**
 * Golden records that are genuinely not comparable, each with its reason.
 * Keep this list short and specific; an entry is a known, accepted
 * difference of model, never a layout bug. (Empty: every record clang lays
 * out faithfully is compared.)
 */
const notComparable: { golden: RegExp; record: string; reason: string }[] = [];

const maxLines = 50;

function listGoldens(sub: string): string[] {
  const dir = path.join(goldenDir, sub);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(dir, f));
}

function readGolden(file: string): Golden {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Golden;
}

// ---------------------------------------------------------------------------
// Running ioctl-lens once per input for all the ABIs its goldens need.
// ---------------------------------------------------------------------------

const reportCache = new Map<string, Map<AbiName, RecordReport[]>>();
let wrapperDir: string | undefined;

/** The translation unit ioctl-lens analyses for a golden input (the wrapper mirrors clang-layouts.mjs's wrapperText). */
function inputFiles(golden: Golden): string[] {
  if (golden.input.files && !golden.input.headers?.length) return golden.input.files.map((f) => path.join(repoRoot, f));
  wrapperDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-differential-'));
  const text = (golden.input.headers ?? []).map((h) => `#include <${h}>\n`).join('');
  const name = `tu-${(golden.input.headers ?? []).join('-').replace(/[^A-Za-z0-9.-]/g, '_')}-${(golden.input.forcedIncludes ?? []).join('-')}.c`;
  const file = path.join(wrapperDir, name);
  fs.writeFileSync(file, text);
  return [file];
}

function oursFor(golden: Golden, abis: AbiName[]): RecordReport[] {
  const files = inputFiles(golden);
  const includeDirs = golden.input.includeDirs.map((d) => d.replace('<mingw>', mingwInclude));
  const language = golden.input.language ?? 'c';
  const key = JSON.stringify([files, includeDirs, golden.input.forcedIncludes, language]);
  let byAbi = reportCache.get(key);
  if (!byAbi?.has(golden.abi)) {
    const { reports } = layoutReports({ files, abis, includeDirs, forcedIncludes: golden.input.forcedIncludes, allFiles: true, prelude: false, language });
    byAbi = new Map(reports.map((r) => [r.abi, r.records]));
    reportCache.set(key, byAbi);
  }
  return byAbi.get(golden.abi) ?? [];
}

// ---------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------

const basename = (f: string) => f.split(/[\\/]/).pop() ?? f;

/** Finds ioctl-lens's record for a golden record: by name, then file basename, then nearest line; typedef names as a fallback. */
export function matchRecord(golden: GoldenRecord, byName: Map<string, RecordReport[]>, byTypedef: Map<string, RecordReport[]>): RecordReport | undefined {
  const pick = (candidates: RecordReport[]): RecordReport | undefined => {
    if (candidates.length <= 1) return candidates[0];
    const sameFile = candidates.filter((c) => basename(c.file) === basename(golden.file));
    const pool = sameFile.length ? sameFile : candidates;
    return [...pool].sort((a, b) => Math.abs(a.line - golden.line) - Math.abs(b.line - golden.line))[0];
  };
  const named = byName.get(golden.name) ?? [];
  if (named.length) return pick(named);
  const viaTypedef = (byTypedef.get(golden.name) ?? []).filter((c) => basename(c.file) === basename(golden.file));
  return pick(viaTypedef);
}

const bitPosition = (f: { offset: number; bitOffset?: number }) => f.offset * 8 + (f.bitOffset ?? 0);

/** Appends one line per difference between clang's members and ours. */
export function compareFields(where: string, clang: GoldenField[], ours: FieldReport[], out: string[], counter: { fields: number }): void {
  const n = Math.max(clang.length, ours.length);
  for (let i = 0; i < n; i++) {
    const c = clang[i];
    const o = ours[i];
    const label = `${where}.${c?.name ?? o?.name ?? `<anonymous #${i}>`}`;
    if (!c) {
      out.push(`${label}: extra member in ioctl-lens (clang has ${clang.length} members, ioctl-lens ${ours.length})`);
      continue;
    }
    counter.fields++;
    if (!o) {
      out.push(`${label}: member missing in ioctl-lens (clang has ${clang.length} members, ioctl-lens ${ours.length})`);
      continue;
    }
    if (c.name !== o.name) {
      out.push(`${where}[${i}]: member name ioctl-lens=${o.name ?? '<anonymous>'} clang=${c.name ?? '<anonymous>'}`);
      continue;
    }
    if (c.bitWidth !== undefined || o.bitWidth !== undefined) {
      if (c.bitWidth !== o.bitWidth) out.push(`${label}: bit width ioctl-lens=${o.bitWidth ?? 'none'} clang=${c.bitWidth ?? 'none'}`);
      if (bitPosition(c) !== bitPosition(o)) {
        out.push(
          `${label}: bit position ioctl-lens=${bitPosition(o)} (offset ${o.offset} + bit ${o.bitOffset ?? 0}) clang=${bitPosition(c)} (byte ${c.offset} + bit ${c.bitOffset ?? 0})` +
            (c.bitWidth === 0 ? ' [zero-width bit-field]' : ''),
        );
      }
    } else if (c.offset !== o.offset) {
      out.push(`${label}: offset ioctl-lens=${o.offset} clang=${c.offset}`);
    }
    if (c.fields || o.fields) compareFields(label, c.fields ?? [], o.fields ?? [], out, counter);
  }
}

/** Compares every golden record; returns the mismatch lines and what was compared. */
export function compareReports(goldenName: string, records: GoldenRecord[], ours: RecordReport[]): { mismatches: string[]; records: number; fields: number; skipped: number } {
  const byName = new Map<string, RecordReport[]>();
  const byTypedef = new Map<string, RecordReport[]>();
  for (const r of ours) {
    byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
    for (const t of r.typedefs ?? []) byTypedef.set(t, [...(byTypedef.get(t) ?? []), r]);
  }
  const mismatches: string[] = [];
  const counter = { fields: 0 };
  let compared = 0;
  let skipped = 0;
  for (const g of records) {
    if (notComparable.some((e) => e.golden.test(goldenName) && e.record === g.name)) {
      skipped++;
      continue;
    }
    compared++;
    const where = `${g.kind} ${g.name} (${g.file}:${g.line})`;
    const o = matchRecord(g, byName, byTypedef);
    if (!o) {
      mismatches.push(`${where}: missing in ioctl-lens`);
      counter.fields += g.fields.length;
      continue;
    }
    if (o.kind !== g.kind) mismatches.push(`${where}: kind ioctl-lens=${o.kind} clang=${g.kind}`);
    if (o.size !== g.size) mismatches.push(`${where}: size ioctl-lens=${o.size} clang=${g.size}`);
    if (o.align !== g.align) mismatches.push(`${where}: align ioctl-lens=${o.align} clang=${g.align}`);
    if (g.vfptr !== o.vfptr) mismatches.push(`${where}: vftable pointer ioctl-lens=${o.vfptr ?? 'none'} clang=${g.vfptr ?? 'none'}`);
    const bases = (list: { name: string; offset: number }[] | undefined) => (list ?? []).map((b) => `${b.name}@${b.offset}`).join(', ');
    if (bases(g.bases) !== bases(o.bases)) mismatches.push(`${where}: bases ioctl-lens=[${bases(o.bases)}] clang=[${bases(g.bases)}]`);
    compareFields(g.name, g.fields, o.fields, mismatches, counter);
  }
  return { mismatches, records: compared, fields: counter.fields, skipped };
}

function checkGolden(file: string): void {
  const golden = readGolden(file);
  const label = `${golden.abi} ${path.basename(file, `.${golden.abi}.json`)}`;
  const ours = oursFor(golden, golden.input.headers ? [golden.abi] : (['x86', 'x64', 'arm64', 'arm32'] as AbiName[]));
  const result = compareReports(path.basename(file), golden.records, ours);
  console.log(`      ${label}: ${result.records} records, ${result.fields} fields compared${result.skipped ? `, ${result.skipped} not comparable` : ''}`);
  if (result.mismatches.length) {
    const shown = result.mismatches.slice(0, maxLines);
    const more = result.mismatches.length > maxLines ? `\n  ... and ${result.mismatches.length - maxLines} more` : '';
    assert.fail(`${label}: ${result.mismatches.length} difference(s) from ${golden.clang} over ${result.records} records\n  ${shown.join('\n  ')}${more}`);
  }
}

function mingwAvailable(ctx: Mocha.Context): boolean {
  return requireTool(ctx, 'mingw-w64 headers');
}

describe('differential: corpus headers against clang', function () {
  this.timeout(120000);
  after(() => {
    if (wrapperDir) fs.rmSync(wrapperDir, { recursive: true, force: true });
  });
  const files = listGoldens('corpus');
  it('has corpus goldens', () => assert.ok(files.length > 0, 'no goldens under test/golden/corpus: run node scripts/gen-golden.mjs'));
  for (const file of files) {
    it(path.basename(file, '.json'), () => checkGolden(file));
  }
});

describe('differential: real mingw-w64 headers against clang', function () {
  this.timeout(600000);
  const files = listGoldens('real');
  it('has real-header goldens', () => assert.ok(files.length > 0, 'no goldens under test/golden/real: run node scripts/gen-golden.mjs'));
  for (const file of files) {
    it(path.basename(file, '.json'), function () {
      if (!mingwAvailable(this)) return;
      checkGolden(file);
    });
  }
});

// ---------------------------------------------------------------------------
// Stale goldens
// ---------------------------------------------------------------------------

const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<Record<string, unknown>>;

describe('differential golden regeneration', function () {
  this.timeout(300000);
  it('committed corpus goldens match a fresh clang run', async function () {
    if (!requireTool(this, 'clang')) return;
    const gen = (await importEsm(pathToFileURL(path.join(repoRoot, 'scripts', 'gen-golden.mjs')).href)) as {
      generate: (o: { outDir: string; only: string; jobs?: number; log?: (s: string) => void }) => Promise<string[]>;
    };
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-golden-'));
    try {
      const written = await gen.generate({ outDir: tmp, only: 'corpus', log: () => {} });
      const withoutVersion = (t: string) => t.replace(/^ {2}"clang": .*$/m, '');
      const stale: string[] = [];
      const committed = listGoldens('corpus').map((f) => `corpus/${path.basename(f)}`);
      for (const rel of written) {
        const mine = path.join(goldenDir, rel);
        if (!fs.existsSync(mine)) stale.push(`missing: test/golden/${rel}`);
        else if (withoutVersion(fs.readFileSync(mine, 'utf8')) !== withoutVersion(fs.readFileSync(path.join(tmp, rel), 'utf8'))) stale.push(`stale: test/golden/${rel}`);
      }
      for (const rel of committed) if (!written.includes(rel)) stale.push(`extra: test/golden/${rel}`);
      assert.deepEqual(stale, [], `corpus goldens are out of date; run node scripts/gen-golden.mjs\n  ${stale.join('\n  ')}`);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
