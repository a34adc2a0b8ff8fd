#!/usr/bin/env node
// `npm test`: every test layer in turn, each one's own output shown as it
// runs, then one closing line that totals them all:
//
//   build     tsc -p . (a failure stops here: nothing else can run)
//   unit      mocha over out/test (unit, protocol, differential, robustness,
//             grammar, code generation: .mocharc.json)
//   install   mocha over out/test/install: the README's two commands' npm
//             steps in a clean clone, with no warning line
//   e2e       the extension in a real VS Code (npm run test:e2e)
//
// Each layer's counts come from its reporter's closing lines (mocha's
// "N passing / N pending / N failing", e2e/run.mjs's "e2e: N passed, N
// failed, N skipped"). A layer that exits non-zero without a failure counted,
// or whose summary is missing, counts as one failure, so a crash never passes.
// The closing line is `total: N passed, N failed` (and `, N skipped` when some were),
// and the exit status is 1 when any layer failed.
//
//   node scripts/run-tests.mjs                   every layer
//   node scripts/run-tests.mjs unit e2e          some of them (build always runs)
//   node scripts/run-tests.mjs --list            the layers' names
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mocha = join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');

/** Runs a command with its output passed through; resolves with the exit status and the output. */
function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['inherit', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      process.stderr.write(chunk);
      output += chunk;
    });
    child.on('error', (error) => resolve({ status: 1, output: `${output}\n${error.message}` }));
    child.on('close', (status, signal) => resolve({ status: status ?? (signal ? 1 : 0), output }));
  });
}

const plain = (text) => text.replace(/\x1b\[[0-9;]*m/g, '');

/** Counts from mocha's spec reporter summary ("  12 passing (3s)", "  1 pending", "  2 failing"). */
export function mochaCounts(output) {
  const text = plain(output);
  const count = (word) => {
    const all = [...text.matchAll(new RegExp(`^\\s*(\\d+) ${word}\\b`, 'gm'))];
    return all.length ? Number(all[all.length - 1][1]) : undefined;
  };
  const passed = count('passing');
  if (passed === undefined) return undefined;
  return { passed, failed: count('failing') ?? 0, skipped: count('pending') ?? 0 };
}

/** Counts from e2e/run.mjs's closing line ("e2e: 9 passed, 0 failed, 0 skipped"). */
export function e2eCounts(output) {
  const all = [...plain(output).matchAll(/^e2e: (\d+) passed, (\d+) failed, (\d+) skipped$/gm)];
  if (!all.length) return undefined;
  const [, passed, failed, skipped] = all[all.length - 1].map(Number);
  return { passed, failed, skipped };
}

/** A layer's result from its exit status and counts; a non-zero exit with no failure counted is one failure. */
export function layerResult(name, status, counts, problem) {
  const r = counts ?? { passed: 0, failed: 0, skipped: 0 };
  const notes = [];
  if (!counts && problem) notes.push(problem);
  if (status !== 0 && r.failed === 0) {
    r.failed = 1;
    notes.push(counts ? `exited with status ${status}` : `exited with status ${status} and no summary`);
  }
  return { name, ...r, notes };
}

async function mochaLayer(name, args) {
  const { status, output } = await run(process.execPath, [mocha, ...args]);
  return layerResult(name, status, mochaCounts(output), 'no mocha summary in its output');
}

const layers = {
  unit: () => mochaLayer('unit', []),
  install: () => mochaLayer('install', ['--no-config', '--timeout', '0', '--enable-source-maps', 'out/test/install/*.test.js']),
  async e2e() {
    const build = await run(process.execPath, ['scripts/build-extension.mjs']);
    if (build.status !== 0) return layerResult('e2e', build.status, undefined, 'the extension bundle did not build');
    const setup = await run('bash', ['e2e/setup.sh']);
    const skipped = /^SKIPPED: (.*)$/m.exec(plain(setup.output));
    if (setup.status === 0 && skipped) return { name: 'e2e', passed: 0, failed: 0, skipped: 1, notes: [`setup skipped: ${skipped[1]}`] };
    if (setup.status !== 0) return layerResult('e2e', setup.status, undefined, 'e2e/setup.sh failed');
    const { status, output } = await run(process.execPath, ['e2e/run.mjs']);
    const skippedRun = /^SKIPPED: (.*)$/m.exec(plain(output));
    if (status === 0 && skippedRun && !e2eCounts(output)) return { name: 'e2e', passed: 0, failed: 0, skipped: 1, notes: [skippedRun[1]] };
    return layerResult('e2e', status, e2eCounts(output), 'no "e2e: N passed" line in its output');
  },
};

function summary(r) {
  const parts = [`${r.passed} passed`, `${r.failed} failed`];
  if (r.skipped) parts.push(`${r.skipped} skipped`);
  return parts.join(', ');
}

async function main() {
  const wanted = process.argv.slice(2);
  if (wanted.includes('--list')) {
    console.log(['build', ...Object.keys(layers)].join('\n'));
    return;
  }
  for (const name of wanted) {
    if (!(name in layers)) {
      console.error(`run-tests: unknown layer '${name}' (expected ${Object.keys(layers).join(', ')})`);
      process.exit(2);
    }
  }
  const names = wanted.length ? wanted : Object.keys(layers);
  const banner = (text) => console.log(`\n=== ${text} ${'='.repeat(Math.max(3, 72 - text.length))}\n`);

  banner('build: tsc -p .');
  const build = await run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.']);
  const results = [];
  if (build.status !== 0) results.push({ name: 'build', passed: 0, failed: 1, skipped: 0, notes: ['tsc failed'] });
  else {
    for (const name of names) {
      banner(`${name} tests`);
      results.push(await layers[name]());
    }
  }

  const { lines, status } = report(results);
  console.log('');
  for (const line of lines) console.log(line);
  process.exit(status);
}

/** The closing lines (one per layer, the failed layers, the total last) and the exit status. */
export function report(results) {
  const total = { passed: 0, failed: 0, skipped: 0 };
  for (const r of results) for (const k of Object.keys(total)) total[k] += r[k];
  const lines = results.map((r) => `${r.name.padEnd(8)} ${summary(r)}${r.notes.length ? ` (${r.notes.join('; ')})` : ''}`);
  const failedLayers = results.filter((r) => r.failed > 0).map((r) => r.name);
  if (failedLayers.length) lines.push('', `FAILED: ${failedLayers.join(', ')} (see above)`);
  // Alone on the last line, as CI tools read it: `total: N passed, N failed[, N skipped]`.
  lines.push(`layers: ${results.map((r) => r.name).join(' + ')}`, `total: ${summary(total)}`);
  return { lines, status: failedLayers.length ? 1 : 0 };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
