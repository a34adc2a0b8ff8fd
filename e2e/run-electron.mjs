#!/usr/bin/env node
// Runs the same e2e suite (e2e/suite/index.js) in desktop VS Code through
// @vscode/test-electron, for contributors with internet access: it downloads
// VS Code into e2e/.vscode-test on first use, which this project's offline
// machines and CI cannot do (they use run.mjs and code-server instead).
// Screenshots are a run.mjs feature: here helpers.screenshot() returns false.
//
// Usage: node e2e/run-electron.mjs [--extension DIR] [--workspace DIR] [--grep TEXT]
// On Linux without a display: xvfb-run -a node e2e/run-electron.mjs

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const e2eDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(e2eDir);

const usage = `usage: node e2e/run-electron.mjs [options]
  --extension DIR   extension under test (default: the repo root; env IOCTL_LENS_E2E_EXTENSION)
  --workspace DIR   folder opened in VS Code (default: e2e/fixtures/workspace)
  --grep TEXT       run only the tests whose title contains TEXT
  --vscode VERSION  VS Code to download (default: 1.100.3, the VS Code inside code-server 4.100.3;
                    env IOCTL_LENS_E2E_VSCODE_VERSION; 'stable' for the newest)`;

function parseArguments(argv) {
  const options = {
    extension: process.env.IOCTL_LENS_E2E_EXTENSION || repoRoot,
    workspace: path.join(e2eDir, 'fixtures', 'workspace'),
    grep: '',
    vscodeVersion: process.env.IOCTL_LENS_E2E_VSCODE_VERSION || '1.100.3',
  };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    const value = () => {
      const next = argv[++index];
      if (next === undefined) fail(`${argument} needs a value\n${usage}`);
      return next;
    };
    if (argument === '--extension') options.extension = value();
    else if (argument === '--workspace') options.workspace = value();
    else if (argument === '--grep') options.grep = value();
    else if (argument === '--vscode') options.vscodeVersion = value();
    else if (argument === '--help' || argument === '-h') {
      console.log(usage);
      process.exit(0);
    } else fail(`unknown argument ${argument}\n${usage}`);
  }
  options.extension = path.resolve(options.extension);
  options.workspace = path.resolve(options.workspace);
  return options;
}

function fail(message) {
  console.error(`e2e: ${message}`);
  process.exit(1);
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const manifest = JSON.parse(fs.readFileSync(path.join(options.extension, 'package.json'), 'utf8'));

  let testElectron;
  try {
    testElectron = await import('@vscode/test-electron');
  } catch {
    fail('@vscode/test-electron is not installed: run `npm ci` in e2e/');
  }

  try {
    // runTests downloads VS Code (cached in cachePath), starts it with
    // --extensionDevelopmentPath/--extensionTestsPath, and resolves with the
    // exit code of the suite's run(); it rejects when that code is not 0.
    const exitCode = await testElectron.runTests({
      version: options.vscodeVersion,
      cachePath: path.join(e2eDir, '.vscode-test'),
      extensionDevelopmentPath: options.extension,
      extensionTestsPath: path.join(e2eDir, 'suite', 'index.js'),
      extensionTestsEnv: {
        IOCTL_LENS_E2E_EXTENSION_ID: `${manifest.publisher}.${manifest.name}`,
        IOCTL_LENS_E2E_GREP: options.grep,
      },
      launchArgs: [
        options.workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
      ],
    });
    process.exit(exitCode);
  } catch (error) {
    console.error(`e2e: ${error.message || error}`);
    process.exit(typeof error.code === 'number' && error.code !== 0 ? error.code : 1);
  }
}

main();
