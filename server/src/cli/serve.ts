/**
 * `ioctl-lens serve --stdio`: the language server for any LSP client
 * (Neovim, Helix, Emacs ...) over standard input and output. The VS Code
 * extension starts the same server over IPC instead (dist/server.js).
 * Nothing else may write to stdout while serving: it carries the protocol.
 * Malformed input is skipped (lsp/transport.ts) and noted on stderr.
 */

import { startServer } from '../lsp/server';
import { parseArgs, usageError } from './args';
import { createGuardedConnection } from '../lsp/transport';

export const serveUsage = `usage: ioctl-lens serve --stdio

Runs the language server for any LSP client.

options:
  --stdio                     speak the Language Server Protocol on stdin/stdout
                              (for Neovim, Helix, Emacs ...; see docs/editors.md)
`;

export function serveCommand(argv: string[], io: { err(s: string): void }): number {
  // --clientProcessId=N: some clients pass it; vscode-languageserver reads it from process.argv.
  const args = parseArgs(argv, { '--stdio': { kind: 'flag' }, '--clientProcessId': { kind: 'string' } });
  if (args.positionals.length) args.errors.push(`unexpected argument '${args.positionals[0]}'`);
  if (!args.options.has('--stdio')) args.errors.push('--stdio is required (the only transport)');
  if (args.errors.length) return usageError('serve', args, io);
  startServer(createGuardedConnection('stdio', (m) => process.stderr.write(m + '\n')));
  return 0;
}
