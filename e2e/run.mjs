#!/usr/bin/env node
// Runs the e2e suite (e2e/suite/index.js) inside a real VS Code extension
// host, offline: code-server serves VS Code 1.100 on 127.0.0.1, headless
// Chromium opens the workbench with `extensionDevelopmentPath` and
// `extensionTestsPath` in the URL's `payload`, and the workbench reports the
// suite's log lines and exit code through two functions the page calls,
// `codeAutomationLog` and `codeAutomationExit`. The runner prints the suite's
// output, snaps screenshots on request, and exits with the suite's code. It
// always kills code-server and Chromium, and gives up after a global timeout.
//
// Usage: node e2e/run.mjs [--extension DIR] [--workspace DIR] [--grep TEXT]
//                         [--timeout SECONDS] [--verbose] [--update-screenshots]
// See e2e/README.md.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import util from 'node:util';

const e2eDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(e2eDir);
const require = createRequire(import.meta.url);

const OUTPUT_TAG = '[ioctl-lens-e2e] out ';
const SCREENSHOT_MARKER = '[ioctl-lens-e2e] screenshot ';
const RESULT_MARKER = '[ioctl-lens-e2e] result ';
const EXIT_TIMEOUT = 124;

const usage = `usage: node e2e/run.mjs [options]
  --extension DIR   extension under test (default: the repo root; env IOCTL_LENS_E2E_EXTENSION)
  --workspace DIR   folder opened in the workbench (default: e2e/fixtures/workspace)
  --grep TEXT       run only the tests whose title contains TEXT
  --timeout SECONDS global timeout (default: 300; env IOCTL_LENS_E2E_TIMEOUT)
  --verbose         also print the workbench's own log lines
  --update-screenshots  save the suite's screenshots in e2e/screenshots (committed)
                    instead of e2e/logs/screenshots (ignored by git)`;

function parseArguments(argv) {
  const options = {
    extension: process.env.IOCTL_LENS_E2E_EXTENSION || repoRoot,
    workspace: path.join(e2eDir, 'fixtures', 'workspace'),
    suite: path.join(e2eDir, 'suite', 'index.js'),
    grep: '',
    timeoutSeconds: Number(process.env.IOCTL_LENS_E2E_TIMEOUT || 300),
    verbose: false,
    updateScreenshots: false,
  };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    const value = () => {
      const next = argv[++index];
      if (next === undefined) {
        fail(`${argument} needs a value\n${usage}`);
      }
      return next;
    };
    if (argument === '--extension') options.extension = value();
    else if (argument === '--workspace') options.workspace = value();
    else if (argument === '--grep') options.grep = value();
    else if (argument === '--timeout') options.timeoutSeconds = Number(value());
    else if (argument === '--verbose') options.verbose = true;
    else if (argument === '--update-screenshots') options.updateScreenshots = true;
    else if (argument === '--help' || argument === '-h') {
      console.log(usage);
      process.exit(0);
    } else fail(`unknown argument ${argument}\n${usage}`);
  }
  options.extension = path.resolve(options.extension);
  options.workspace = path.resolve(options.workspace);
  if (!(options.timeoutSeconds > 0)) fail('--timeout must be a positive number of seconds');
  return options;
}

function fail(message) {
  console.error(`e2e: ${message}`);
  process.exit(1);
}

// A missing tool fails under CI=true and is a loud skip elsewhere, so a
// contributor without Chromium can still run `npm test` of the root project.
function missingTool(tool, hint) {
  if (process.env.CI === 'true') {
    console.error(`FAILED: ${tool} not found (${hint})`);
    process.exit(1);
  }
  console.log(`SKIPPED: ${tool} not found (${hint})`);
  process.exit(0);
}

function findTools() {
  const codeServerEntry = path.join(e2eDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!fs.existsSync(codeServerEntry)) missingTool('code-server', 'run: bash e2e/setup.sh');
  if (!fs.existsSync(path.join(e2eDir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules'))) {
    missingTool('code-server (its VS Code dependencies)', 'its postinstall did not run; run: bash e2e/setup.sh');
  }
  let playwright;
  try {
    playwright = require('playwright-core');
  } catch {
    missingTool('playwright-core', 'run: bash e2e/setup.sh');
  }
  const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(chromiumPath)) missingTool('chromium', `${chromiumPath}; run: bash e2e/setup.sh`);
  return { codeServerEntry, playwright, chromiumPath };
}

function checkExtension(extensionDir) {
  const manifestPath = path.join(extensionDir, 'package.json');
  if (!fs.existsSync(manifestPath)) fail(`no package.json in extension folder ${extensionDir}`);
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  const main = manifest.main && path.resolve(extensionDir, manifest.main);
  const mainExists = main && (fs.existsSync(main) || fs.existsSync(`${main}.js`));
  if (!mainExists) {
    fail(
      `the extension's main file ${manifest.main} does not exist in ${extensionDir}: build it first ` +
        '(or prove the harness with --extension e2e/fixtures/ext)',
    );
  }
  return `${manifest.publisher}.${manifest.name}`;
}

// Resolves with the base URL once code-server logs the port it bound.
function waitForListening(child, timeoutMs) {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let listening = false;
    const timer = setTimeout(() => reject(new Error(`code-server did not listen within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk) => {
      if (listening) return;
      buffered += chunk.toString();
      const match = /HTTP server listening on (http:\/\/[^\s]+?)\/?(\s|$)/.exec(buffered);
      if (match) {
        listening = true;
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!listening) reject(new Error(`code-server exited early (code ${code}, signal ${signal}); see its log`));
    });
  });
}

// Builds the workbench URL. `payload` is a JSON list of [name, value] pairs
// that VS Code's web workbench (workbench.ts: WorkspaceProvider.create, then
// BrowserWorkbenchEnvironmentService) reads as extensionDevelopmentPath and
// extensionTestsPath; paths on the server are vscode-remote:// URIs whose
// authority is the page's host, which is code-server's remote authority.
function workbenchUrl(baseUrl, { workspace, extension, suite }) {
  const authority = new URL(baseUrl).host;
  const remote = (absolutePath) => `vscode-remote://${authority}${absolutePath.split(path.sep).join('/')}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extension)],
    ['extensionTestsPath', remote(suite)],
  ];
  const url = new URL(baseUrl);
  url.searchParams.set('folder', workspace);
  url.searchParams.set('payload', JSON.stringify(payload));
  return url.toString();
}

// The workbench passes a console-style list: a format string and its values.
function formatLogArguments(args) {
  const list = Array.isArray(args) ? args : [args];
  return util.format(...list);
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const tools = findTools();
  const extensionId = checkExtension(options.extension);

  const startedAt = Date.now();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-e2e-'));
  const logsDir = path.join(e2eDir, 'logs');
  // Committed screenshots change only on request, so a plain run leaves
  // `git status` clean.
  const screenshotsDir = options.updateScreenshots ? path.join(e2eDir, 'screenshots') : path.join(logsDir, 'screenshots');
  const signalDir = path.join(scratch, 'signals');
  // The suite edits and may save its files (a quick fix, an interrupted run): it gets a copy, so the fixtures stay as committed.
  const workspace = path.join(scratch, 'workspace');
  fs.cpSync(options.workspace, workspace, { recursive: true });
  fs.rmSync(logsDir, { recursive: true, force: true });
  for (const dir of [logsDir, screenshotsDir, signalDir]) fs.mkdirSync(dir, { recursive: true });
  const codeServerLog = fs.createWriteStream(path.join(logsDir, 'code-server.log'));
  const workbenchLog = fs.createWriteStream(path.join(logsDir, 'workbench.log'));

  let codeServer;
  let browserServer;
  let browser;
  let cleaningUp;
  const cleanup = async () => {
    cleaningUp ??= (async () => {
      if (browserServer) {
        const chromiumPid = browserServer.process().pid;
        await Promise.race([browser?.close().catch(() => {}), delay(3000)]);
        await Promise.race([browserServer.close().catch(() => {}), delay(3000)]);
        killTree(chromiumPid);
      }
      if (codeServer) killTree(codeServer.pid);
      // The server side's logs (remote agent, extension host) die with scratch.
      copyIfExists(path.join(scratch, 'user-data', 'logs'), path.join(logsDir, 'server'));
      await Promise.all([closeStream(codeServerLog), closeStream(workbenchLog)]);
      fs.rmSync(scratch, { recursive: true, force: true });
    })();
    return cleaningUp;
  };
  let exiting = false;
  const exitAfterCleanup = async (code, message) => {
    // The first reason to exit wins (say, the global timeout); the errors it
    // then causes in the main flow (a closed page) are not news.
    if (exiting) return cleanup();
    exiting = true;
    if (message) console.error(`e2e: ${message}`);
    await cleanup();
    process.exit(code);
  };
  const globalTimer = setTimeout(
    () => exitAfterCleanup(EXIT_TIMEOUT, `global timeout of ${options.timeoutSeconds} s reached; logs in ${logsDir}`),
    options.timeoutSeconds * 1000,
  );
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => exitAfterCleanup(130, `interrupted by ${signal}`));
  }

  try {
    // An empty config file keeps code-server away from ~/.config/code-server.
    const configFile = path.join(scratch, 'config.yaml');
    fs.writeFileSync(configFile, '');
    writeUserSettings(path.join(scratch, 'user-data'));
    const codeServerArgs = [
      tools.codeServerEntry,
      '--config', configFile,
      '--auth', 'none',
      '--bind-addr', '127.0.0.1:0',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir', path.join(scratch, 'user-data'),
      '--extensions-dir', path.join(scratch, 'extensions'),
    ];
    // The extension host inherits this environment: that is how the suite
    // learns its settings (see e2e/suite/helpers.js).
    const suiteEnvironment = {
      IOCTL_LENS_E2E_EXTENSION_ID: extensionId,
      IOCTL_LENS_E2E_SIGNAL_DIR: signalDir,
      IOCTL_LENS_E2E_GREP: options.grep,
      IOCTL_LENS_E2E_TAG_OUTPUT: '1',
    };
    codeServer = spawn(process.execPath, codeServerArgs, {
      cwd: scratch,
      // XDG_* keep code-server's heartbeat and own logs out of ~/.local/share.
      env: {
        ...process.env,
        XDG_DATA_HOME: path.join(scratch, 'xdg-data'),
        XDG_CONFIG_HOME: path.join(scratch, 'xdg-config'),
        ...suiteEnvironment,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so killing the group also ends the extension
      // host, the pty host and the file watcher it forks.
      detached: true,
    });
    for (const stream of [codeServer.stdout, codeServer.stderr]) {
      stream.on('data', (chunk) => writeLog(codeServerLog, chunk));
    }
    codeServer.on('exit', (code, signal) => {
      // Without the server the suite cannot finish: stop now, not at the timeout.
      exitAfterCleanup(1, `code-server exited during the run (code ${code}, signal ${signal}); logs in ${logsDir}`);
    });
    const baseUrl = await waitForListening(codeServer, 30000);
    console.log(`e2e: code-server ${baseUrl} | extension ${extensionId} (${options.extension})`);

    // launchServer (not launch) because only a BrowserServer tells the pid,
    // which cleanup needs to be sure Chromium is gone.
    browserServer = await tools.playwright.chromium.launchServer({
      executablePath: tools.chromiumPath,
      headless: true,
      // Chromium's crash handler would otherwise create ~/.config/chromium.
      env: {
        ...process.env,
        XDG_CONFIG_HOME: path.join(scratch, 'chromium-config'),
        XDG_CACHE_HOME: path.join(scratch, 'chromium-cache'),
      },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-breakpad',
        // No --user-data-dir: Playwright refuses it here and already gives
        // every launch a fresh profile in the temp folder, removed on close.
      ],
    });
    browser = await tools.playwright.chromium.connect(browserServer.wsEndpoint());
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });

    let result;
    let snapping = Promise.resolve();
    let resolveSuiteExit;
    const suiteExit = new Promise((resolve) => (resolveSuiteExit = resolve));
    // The workbench calls this once the suite's run() settled, with the exit
    // code and the browser-side log files.
    await page.exposeFunction('codeAutomationExit', async (code, logs) => {
      for (const entry of Array.isArray(logs) ? logs : []) {
        const target = path.join(logsDir, 'vscode', path.normalize(entry.relativePath).replace(/^(\.\.[/\\])+/, ''));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, entry.contents);
      }
      await snapping;
      resolveSuiteExit(code);
    });
    // The workbench calls this for each log line at or above its log level,
    // the extension host's console output included.
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = formatLogArguments(args);
      writeLog(workbenchLog, `${type} ${line}\n`);
      // Markers first: they may come tagged or not.
      const suiteLine = extractSuiteLine(line) ?? line;
      if (suiteLine.startsWith(SCREENSHOT_MARKER)) {
        const name = suiteLine.slice(SCREENSHOT_MARKER.length).trim();
        if (!/^[A-Za-z0-9._-]+$/.test(name)) {
          console.error(`e2e: ignoring screenshot request with a bad name: ${JSON.stringify(name)}`);
          return;
        }
        snapping = snapping.then(() => takeScreenshot(page, screenshotsDir, signalDir, name));
        return;
      }
      if (suiteLine.startsWith(RESULT_MARKER)) {
        result = JSON.parse(suiteLine.slice(RESULT_MARKER.length));
        return;
      }
      // The suite's reporter lines are tagged; of VS Code's own lines, keep the
      // errors whose stack points into the suite or the extension under test
      // (a failing activate(), the suite's rejection); the rest is noise here.
      const isSuiteLine = extractSuiteLine(line) !== undefined;
      const isRelevantError = type === 'error' && (line.includes(e2eDir) || line.includes(options.extension));
      if (!isSuiteLine && !isRelevantError && !options.verbose) return;
      if (!isSuiteLine) {
        console.log(`[workbench ${type}] ${line}`);
        return;
      }
      console.log(suiteLine);
    });
    page.on('pageerror', (error) => writeLog(workbenchLog, `pageerror ${error.stack || error}\n`));
    page.on('console', (message) => {
      const text = message.text();
      writeLog(workbenchLog, `console.${message.type()} ${text}\n`);
      // A failing activate() shows up only here: "Activating extension 'ID' failed: ...".
      if (message.type() === 'error' && text.includes(`'${extensionId}'`)) console.log(`[workbench error] ${text}`);
    });

    await page.goto(workbenchUrl(baseUrl, { ...options, workspace }));
    const code = await suiteExit;
    await snapping;
    // The state at the end, for debugging; beside the logs, not in screenshots/.
    await takeScreenshot(page, logsDir, undefined, 'last').catch(() => {});
    clearTimeout(globalTimer);

    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    console.log(`e2e: suite exited with code ${code} after ${seconds} s; logs in ${path.relative(process.cwd(), logsDir) || '.'}`);
    if (result) {
      // The plain closing line that CI tools read, last on purpose.
      console.log(`e2e: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped`);
    }
    await exitAfterCleanup(typeof code === 'number' ? code : 1);
  } catch (error) {
    clearTimeout(globalTimer);
    await exitAfterCleanup(1, `${error.stack || error}\nlogs in ${logsDir}`);
  }
}

// The extension host's console output reaches the workbench log untagged;
// suite/index.js tags the suite's own lines with OUTPUT_TAG.
function extractSuiteLine(line) {
  if (!line.startsWith(OUTPUT_TAG)) return undefined;
  return line.slice(OUTPUT_TAG.length).replace(/\s+$/, '');
}

async function takeScreenshot(page, screenshotsDir, signalDir, name) {
  const file = path.join(screenshotsDir, `${name}.png`);
  try {
    await page.screenshot({ path: file });
    console.log(`e2e: screenshot ${path.relative(process.cwd(), file)}`);
    // walkthrough-STEP.png is also the walkthrough's own media (images/walkthrough/STEP.png, packaged).
    const step = /^walkthrough-(.+)$/.exec(name);
    if (step && screenshotsDir === path.join(e2eDir, 'screenshots')) {
      const media = path.join(e2eDir, '..', 'images', 'walkthrough', `${step[1]}.png`);
      fs.copyFileSync(file, media);
      console.log(`e2e: screenshot ${path.relative(process.cwd(), media)}`);
    }
  } catch (error) {
    console.error(`e2e: screenshot ${name} failed: ${error.message}`);
  }
  if (signalDir) fs.writeFileSync(path.join(signalDir, `${name}.done`), '');
}

function killTree(pid) {
  if (!pid) return;
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // Already gone, or not a group leader.
    }
  }
}

// Settings that keep pop-ups out of screenshots and VS Code off the network.
function writeUserSettings(userDataDir) {
  const settings = {
    'git.openRepositoryInParentFolders': 'never',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'telemetry.telemetryLevel': 'off',
    'workbench.enableExperiments': false,
  };
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
}

function copyIfExists(from, to) {
  try {
    if (fs.existsSync(from)) fs.cpSync(from, to, { recursive: true });
  } catch (error) {
    console.error(`e2e: could not keep logs from ${from}: ${error.message}`);
  }
}

// Late output (a dying process, a closing page) may come after cleanup ended
// the stream; it is dropped rather than crashing the runner.
function writeLog(stream, text) {
  if (!stream.writableEnded) stream.write(text);
}

function closeStream(stream) {
  return new Promise((resolve) => stream.end(resolve));
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

main();
