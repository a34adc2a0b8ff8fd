// Placeholder VS Code client, written for the e2e harness so the real
// manifest (main: ./dist/client.js) has something to activate. It owns the
// output channel and the restart command; starting the language server comes
// with the real client, which replaces this file.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('ioctl-lens');
  context.subscriptions.push(output);
  output.appendLine('ioctl-lens activated (placeholder client: no language server yet)');
  context.subscriptions.push(
    vscode.commands.registerCommand('ioctlLens.restartServer', () => {
      output.appendLine('restartServer: no language server to restart yet');
    }),
  );
}

export function deactivate(): void {}
