// Self-test of the helpers in helpers.js, independent of what the extension
// computes: when one of these fails, the harness is broken, not the product.
// @ts-check
'use strict';

const assert = require('assert');
const vscode = require('vscode');
const { openFixture, positionOf, waitForDiagnostics, hoverText } = require('./helpers');

describe('harness', () => {
  it('finds tokens, hovers and diagnostics in a fixture', async () => {
    const document = await openFixture('ioctl_interface.h');
    const position = positionOf(document, 'UserBuffer');
    assert.strictEqual(position.line, 10);

    assert.strictEqual(typeof (await hoverText(document, position)), 'string');

    const collection = vscode.languages.createDiagnosticCollection('ioctl-lens-e2e-selftest');
    try {
      const diagnostic = new vscode.Diagnostic(new vscode.Range(position, position.translate(0, 10)), 'self-test');
      diagnostic.source = 'ioctl-lens-e2e-selftest';
      collection.set(document.uri, [diagnostic]);
      const found = await waitForDiagnostics(document.uri, { source: 'ioctl-lens-e2e-selftest' });
      assert.deepStrictEqual(
        found.map((each) => each.message),
        ['self-test'],
      );
    } finally {
      collection.dispose();
    }
  });
});
