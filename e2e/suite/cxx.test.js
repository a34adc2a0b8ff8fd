// A C++ source in the real VS Code host: opened as `cpp`, its namespaced
// IOCTL buffer gets the WOW64 finding, and hovers show per-ABI layouts of a
// record named by its qualified name.
// @ts-check
'use strict';

const assert = require('assert');
const vscode = require('vscode');
const { openFixture, positionOf, waitFor, hoverText } = require('./helpers');

describe('C++', () => {
  it('reads a .cpp file: findings on a namespaced record and per-ABI hovers', async () => {
    const document = await openFixture('cxx_sensor.cpp');
    assert.strictEqual(document.languageId, 'cpp');
    const finding = await waitFor(() => {
      const found = vscode.languages.getDiagnostics(document.uri).filter((d) => typeof d.code === 'object' && d.code.value === 'unthunked-pointer');
      return found.length ? found[0] : undefined;
    }, { what: 'an unthunked-pointer finding in the .cpp file', timeoutMs: 25000 });
    assert.match(finding.message, /Arm/);
    const member = await waitFor(async () => {
      const t = await hoverText(document, positionOf(document, 'Event;', 1));
      return /x64/.test(t) ? t : undefined;
    }, { what: 'a hover on Arm::Event', timeoutMs: 25000 });
    assert.match(member, /HANDLE/);
    assert.match(member, /offset +\| +8 +\| +8 +\|/);
    assert.match(member, /size ≠ +\| +4( B)? +\| +8( B)? +\|/);
    const record = await hoverText(document, positionOf(document, 'Arm {', 1));
    assert.match(record, /Layouts differ/);
    // No syntax errors from the C++ constructs (namespaces, enum class, a class with a member initialiser).
    const errors = vscode.languages.getDiagnostics(document.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.deepStrictEqual(errors.map((d) => d.message), []);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
