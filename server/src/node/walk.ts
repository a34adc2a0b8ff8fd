/**
 * The one directory walker: `check PATH`, the driver finder (`project.ts`)
 * and the language server's workspace index all find files with it, so they
 * skip the same folders and see the same drivers.
 *
 * Depth first, entries in name order (so results are stable across file
 * systems). Skipped: folders whose name starts with `.` (VCS and editor
 * state), `node_modules`, and build output (`out`, `obj`, `bin`, `Debug`,
 * `Release`, `x64`, `ARM64`, `dist`; any case). `build` is walked: drivers
 * keep their Visual Studio projects there (winfsp's `build/VStudio`). Symbolic links
 * to folders are not followed (a `Dirent` of a link is not a directory), so
 * a link cycle cannot loop; nesting is bounded as well. A folder that
 * cannot be read is skipped.
 */

import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { normalizePath } from '../core/source';

const skippedFolders = new Set(['node_modules', 'out', 'obj', 'bin', 'debug', 'release', 'x64', 'arm64', 'dist']);

/** C and C++ sources and headers (`.c .cc .cpp .cxx .h .hh .hpp .hxx .inl`). */
export const cFamilyFile = /\.(c|cc|cpp|cxx|h|hh|hpp|hxx|inl)$/i;

export function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || skippedFolders.has(name.toLowerCase());
}

export interface WalkOptions {
  /** Stop after this many files (default: no limit). */
  maxFiles?: number;
  /** How many folders deep to go below the root (default 64). */
  maxDepth?: number;
}

/** Files under `root` whose name `accept`s, as normalised paths. */
export function walkFiles(root: string, accept: (name: string) => boolean, options: WalkOptions = {}): string[] {
  const out: string[] = [];
  const maxFiles = options.maxFiles ?? Infinity;
  const maxDepth = options.maxDepth ?? 64;
  const walk = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (out.length >= maxFiles) return;
      if (e.isDirectory()) {
        if (depth < maxDepth && !isSkippedFolder(e.name)) walk(nodePath.join(dir, e.name), depth + 1);
      } else if (e.isFile() && !e.name.startsWith('.') && accept(e.name)) out.push(normalizePath(nodePath.join(dir, e.name)));
    }
  };
  walk(root, 0);
  return out;
}
