// Small helpers shared by the e2e tests: open a fixture file, wait for a
// condition, find the extension under test, and ask the runner for a
// screenshot. Everything here runs inside the VS Code extension host.
// @ts-check
'use strict';

const fs = require('fs');
const path = require('path');
const util = require('util');
const vscode = require('vscode');

const DEFAULT_EXTENSION_ID = 'ioctl-lens.ioctl-lens';
const SCREENSHOT_MARKER = '[ioctl-lens-e2e] screenshot ';
const OUTPUT_TAG = '[ioctl-lens-e2e] out ';

/**
 * Prints a line in the runner's output. Plain console.log works too, but
 * under run.mjs its lines only appear with --verbose and in e2e/logs.
 * @param {...unknown} args console.log-style arguments
 */
function log(...args) {
  const tag = process.env.IOCTL_LENS_E2E_TAG_OUTPUT === '1' ? OUTPUT_TAG : '';
  console.log(tag + util.format(...args));
}

/** The id (`publisher.name`) of the extension under test. */
function extensionId() {
  return process.env.IOCTL_LENS_E2E_EXTENSION_ID || DEFAULT_EXTENSION_ID;
}

/** The extension under test; fails the test if VS Code did not load it. */
function extensionUnderTest() {
  const extension = vscode.extensions.getExtension(extensionId());
  if (!extension) {
    throw new Error(`extension ${extensionId()} is not loaded (is extensionDevelopmentPath right?)`);
  }
  return extension;
}

/**
 * Polls `probe` until it returns a truthy value, then returns that value.
 * @template T
 * @param {() => T | Promise<T>} probe
 * @param {{ what: string, timeoutMs?: number, intervalMs?: number }} options
 * @returns {Promise<T>}
 */
async function waitFor(probe, options) {
  const timeoutMs = options.timeoutMs ?? 15000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${options.what}`);
    }
    await sleep(intervalMs);
  }
}

/** @param {number} ms */
function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Opens a file of the first workspace folder (e2e/fixtures/workspace by
 * default) in an editor and returns its document.
 * @param {string} relativePath path inside the workspace folder, with `/`
 */
async function openFixture(relativePath) {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    throw new Error('no workspace folder is open (the runner passes one)');
  }
  const uri = vscode.Uri.joinPath(folder.uri, ...relativePath.split('/'));
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  return document;
}

/**
 * The position of the first occurrence of `text` in the document (plus
 * `offset` characters), so tests can name the token they point at.
 * @param {import('vscode').TextDocument} document
 * @param {string} text
 * @param {number} [offset]
 */
function positionOf(document, text, offset = 0) {
  const index = document.getText().indexOf(text);
  if (index === -1) {
    throw new Error(`${JSON.stringify(text)} does not occur in ${document.uri.fsPath}`);
  }
  return document.positionAt(index + offset);
}

/**
 * Waits until the document has at least `minimum` diagnostics (from any
 * source, filter with `source`) and returns them.
 * @param {import('vscode').Uri} uri
 * @param {{ minimum?: number, source?: string, timeoutMs?: number }} [options]
 */
async function waitForDiagnostics(uri, options = {}) {
  const minimum = options.minimum ?? 1;
  return waitFor(
    () => {
      const diagnostics = vscode.languages
        .getDiagnostics(uri)
        .filter((diagnostic) => options.source === undefined || diagnostic.source === options.source);
      return diagnostics.length >= minimum ? diagnostics : undefined;
    },
    { what: `${minimum} diagnostic(s) on ${uri.fsPath}`, timeoutMs: options.timeoutMs },
  );
}

/**
 * The text of all hovers at a position, joined by blank lines ('' if none).
 * @param {import('vscode').TextDocument} document
 * @param {import('vscode').Position} position
 */
async function hoverText(document, position) {
  /** @type {import('vscode').Hover[]} */
  const hovers = (await vscode.commands.executeCommand('vscode.executeHoverProvider', document.uri, position)) || [];
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n\n');
}

/**
 * Asks the runner to save a PNG of the workbench as e2e/screenshots/NAME.png
 * and waits until it is written. Only run.mjs (code-server + Chromium) can
 * take screenshots: elsewhere (desktop VS Code) this returns false at once.
 * @param {string} name letters, digits, `.`, `_` and `-`
 * @param {{ timeoutMs?: number }} [options]
 * @returns {Promise<boolean>} whether a screenshot was taken
 */
async function screenshot(name, options = {}) {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) {
    throw new Error(`screenshot name ${JSON.stringify(name)}: use letters, digits, '.', '_' and '-'`);
  }
  const signalDir = process.env.IOCTL_LENS_E2E_SIGNAL_DIR;
  if (!signalDir) {
    return false;
  }
  // The runner snaps the page when this line reaches it, then creates
  // NAME.done in the signal directory; waiting for that file is the handshake.
  const doneFile = path.join(signalDir, `${name}.done`);
  fs.rmSync(doneFile, { force: true });
  console.log(SCREENSHOT_MARKER + name);
  await waitFor(() => fs.existsSync(doneFile), {
    what: `screenshot ${name}`,
    timeoutMs: options.timeoutMs ?? 20000,
  });
  return true;
}

module.exports = {
  log,
  extensionId,
  extensionUnderTest,
  waitFor,
  sleep,
  openFixture,
  positionOf,
  waitForDiagnostics,
  hoverText,
  screenshot,
};
