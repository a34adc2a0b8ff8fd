/**
 * The first hour, from a fresh clone: the README's two commands (read from
 * its "Two commands" block) run in a temporary clean clone of this
 * repository, and no npm step prints a warning line. `npm test` itself would
 * run this suite again, so its npm steps are run one by one instead: npm
 * starting the test script (`npm test -- --list`, which only lists the test
 * layers) and the end-to-end harness's install (`bash e2e/setup.sh`).
 *
 * Slow (a real `npm install`, and code-server's install: several minutes)
 * and so not part of the unit suite: `npm test` runs it as the `install`
 * layer (`node scripts/run-tests.mjs install` alone). It installs from the
 * npm cache or the registry as a user's machine would.
 */

import * as assert from 'node:assert/strict';
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hasCommand, repoRoot } from '../helpers';

/** The environment of a fresh shell: nothing inherited from an npm that runs this test. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === 'INIT_CWD') continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => !dir.includes(`node_modules${path.sep}.bin`))
    .join(path.delimiter);
  return env;
}

/** npm's warning lines (`npm warn ...`, `npm WARN ...`) in a step's output. */
export function npmWarnings(output: string): string[] {
  return output.split(/\r?\n/).filter((line) => /^npm (warn|WARN)\b/.test(line.replace(/\x1b\[[0-9;]*m/g, '')));
}

/** The commands of the README's "Two commands" block, each split into its `&&` steps. */
export function readmeCommands(readme: string): string[][] {
  const section = /^## Two commands\n([\s\S]*?)^## /m.exec(readme);
  assert.ok(section, 'README.md has no "## Two commands" section');
  const block = /```sh\n([\s\S]*?)```/.exec(section[1]);
  assert.ok(block, 'the "Two commands" section has no sh block');
  return block[1]
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean)
    .map((line) => line.split('&&').map((step) => step.trim()));
}

describe('install: the README\'s two commands in a clean clone, with no npm warning', function () {
  this.timeout(0);
  let clone = '';
  const run = (command: string): SpawnSyncReturns<string> => {
    const r = spawnSync('bash', ['-c', command], { cwd: clone, env: cleanEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    process.stdout.write(`      $ ${command} (status ${r.status})\n`);
    return r;
  };
  const quiet = (command: string, r: SpawnSyncReturns<string>) => {
    const output = `${r.stdout}\n${r.stderr}`;
    assert.equal(r.status, 0, `${command} failed:\n${output.slice(-4000)}`);
    assert.deepEqual(npmWarnings(output), [], `${command} printed npm warnings`);
    return output;
  };
  const commands = readmeCommands(fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8'));

  before(function () {
    if (!hasCommand('git')) {
      if (process.env.CI === 'true') throw new Error('git is required');
      console.log('\n    SKIPPED: git not found (install tests)\n');
      this.skip();
    }
    clone = fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-install-'));
    const r = spawnSync('git', ['clone', '--quiet', repoRoot, clone], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  after(() => {
    if (clone) fs.rmSync(clone, { recursive: true, force: true });
  });

  it('the README names the two commands this test runs', () => {
    assert.deepEqual(commands, [
      ['npm install', 'npm start'],
      ['bash scripts/setup.sh', 'npm test'],
    ]);
  });

  it('npm install builds the tree and the CLI without a warning line', () => {
    quiet('npm install', run('npm install'));
    assert.ok(fs.existsSync(path.join(clone, 'out/server/src/cli/main.js')), 'prepare did not build out/');
  });

  it('npm start prints the layouts and says the checked sample is wrong on purpose', () => {
    const output = quiet('npm start', run('npm start'));
    assert.match(output, /struct _CONTOSO_OPEN_SESSION/);
    assert.match(output, /samples\/driver is wrong on purpose/);
    assert.match(output, /\[unthunked-pointer\]/);
  });

  it('scripts/setup.sh after npm install installs nothing again', () => {
    const output = quiet('bash scripts/setup.sh', run('bash scripts/setup.sh'));
    assert.match(output, /setup: node_modules up to date/);
    assert.doesNotMatch(output, /setup: npm ci/);
  });

  it('scripts/setup.sh would install again once package-lock.json or the tree changes (the stamp)', () => {
    const check = () => spawnSync(process.execPath, ['scripts/install-stamp.mjs', '--check'], { cwd: clone, env: cleanEnv() }).status;
    assert.equal(check(), 0);
    const lock = path.join(clone, 'package-lock.json');
    const original = fs.readFileSync(lock, 'utf8');
    fs.writeFileSync(lock, original.replace('"lockfileVersion"', '"lockfileVersion" '));
    assert.equal(check(), 1, 'a changed lockfile must mean npm ci');
    fs.writeFileSync(lock, original);
    assert.equal(check(), 0);
    fs.rmSync(path.join(clone, 'node_modules/.ioctl-lens-install-stamp'));
    assert.equal(check(), 1, 'a tree without the stamp must mean npm ci');
    assert.equal(spawnSync(process.execPath, ['scripts/install-stamp.mjs', '--write'], { cwd: clone, env: cleanEnv() }).status, 0);
    assert.equal(check(), 0);
  });

  it('npm test starts without a warning line (npm test -- --list)', () => {
    const output = quiet('npm test -- --list', run('npm test -- --list'));
    assert.match(output, /^unit$/m);
    assert.match(output, /^e2e$/m);
  });

  it('the end-to-end harness installs without a warning line (bash e2e/setup.sh)', function () {
    const r = run('bash e2e/setup.sh');
    const output = quiet('bash e2e/setup.sh', r);
    const skipped = /^SKIPPED: .*$/m.exec(output);
    if (skipped) {
      console.log(`\n    ${skipped[0]} (the e2e install)\n`);
      this.skip();
    }
    assert.match(output, /e2e setup: installed in/);
  });
});
