/**
 * `ioctl-lens serve --stdio`: the language server for any LSP client
 * (Neovim, Helix, Emacs ...) over standard input and output. The VS Code
 * extension starts the same server over IPC instead (dist/server.js).
 * Nothing else may write to stdout while serving: it carries the protocol.
 * Malformed input is skipped (lsp/transport.ts) and noted on stderr.
 */

import { startServer } from '../lsp/server';
import { createGuardedConnection } from '../lsp/transport';

export const serveUsage = `serve options:
  --stdio                     speak the Language Server Protocol on stdin/stdout
                              (for Neovim, Helix, Emacs ...; see docs/editors.md)
`;

export function serveCommand(argv: string[], io: { err(s: string): void }): number {
  if (!argv.includes('--stdio')) {
    io.err(`ioctl-lens serve: only --stdio is supported\n${serveUsage}`);
    return 2;
  }
  startServer(createGuardedConnection('stdio', (m) => process.stderr.write(m + '\n')));
  return 0;
}
