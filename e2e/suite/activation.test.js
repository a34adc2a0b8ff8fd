// The extension activates on a C header and registers its commands.
// @ts-check
'use strict';

const assert = require('assert');
const vscode = require('vscode');
const { extensionUnderTest, openFixture, waitFor, screenshot } = require('./helpers');

describe('activation', () => {
  it('activates when a C/C++ header is opened', async () => {
    const extension = extensionUnderTest();
    const document = await openFixture('ioctl_interface.h');
    assert.ok(['c', 'cpp'].includes(document.languageId), `unexpected language ${document.languageId}`);
    // Waits for the activation event to fire rather than calling activate():
    // this is what proves `activationEvents` in the manifest.
    await waitFor(() => extension.isActive, { what: `${extension.id} to activate`, timeoutMs: 25000 });
    // isActive is also true after a failed activation; activate() rethrows
    // that failure (and is a no-op after a good one).
    await extension.activate();
    await screenshot('activated');
  });

  it('registers ioctlLens.restartServer', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('ioctlLens.restartServer'), 'command ioctlLens.restartServer is not registered');
    await vscode.commands.executeCommand('ioctlLens.restartServer');
  });
});
