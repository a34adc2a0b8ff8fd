// Entry point of the e2e suite, loaded by the VS Code extension host (the
// `extensionTestsPath`). It runs every `*.test.js` beside it with mocha and
// settles the promise VS Code waits for: resolve = exit code 0, reject = 1.
// The same file serves code-server (run.mjs) and desktop VS Code
// (run-electron.mjs); both pass settings through IOCTL_LENS_E2E_* variables.
// @ts-check
'use strict';

const fs = require('fs');
const path = require('path');
const util = require('util');
const Mocha = require('mocha');

const RESULT_MARKER = '[ioctl-lens-e2e] result ';
// Under run.mjs every console line of the extension host lands in the
// workbench log among VS Code's own lines, so the reporter's lines carry this
// tag and the runner keeps only tagged lines (helpers.log tags the same way).
// The extension host's console methods cannot be replaced (VS Code defines
// them with a no-op setter), hence the reporter hook instead.
const OUTPUT_TAG = '[ioctl-lens-e2e] out ';

/** Tags mocha's reporter output; returns an undo. */
function tagReporterOutput() {
  const original = Mocha.reporters.Base.consoleLog;
  Mocha.reporters.Base.consoleLog = (...args) => original(OUTPUT_TAG + util.format(...args));
  return () => {
    Mocha.reporters.Base.consoleLog = original;
  };
}

function run() {
  const untag = process.env.IOCTL_LENS_E2E_TAG_OUTPUT === '1' ? tagReporterOutput() : () => {};
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    timeout: Number(process.env.IOCTL_LENS_E2E_TEST_TIMEOUT_MS || 30000),
    grep: process.env.IOCTL_LENS_E2E_GREP || undefined,
  });
  const testFiles = fs
    .readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort();
  for (const name of testFiles) {
    mocha.addFile(path.join(__dirname, name));
  }

  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run(() => {
        const stats = runner.stats || { passes: 0, failures: 0, pending: 0 };
        const result = { passed: stats.passes, failed: stats.failures, skipped: stats.pending };
        // run.mjs reads this line to print the closing summary.
        console.log(RESULT_MARKER + JSON.stringify(result));
        untag();
        if (result.failed > 0) {
          reject(new Error(`${result.failed} e2e test(s) failed`));
        } else if (result.passed === 0) {
          // A suite that ran nothing must not look green.
          reject(new Error('no e2e test ran (check IOCTL_LENS_E2E_GREP and the *.test.js files)'));
        } else {
          resolve();
        }
      });
    } catch (error) {
      untag();
      reject(error);
    }
  });
}

module.exports = { run };
