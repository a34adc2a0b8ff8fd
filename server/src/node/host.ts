/**
 * The disk `FileHost` for the CLI and the language server: reads files with
 * `fs`, caches them, and falls back to a case-insensitive match per folder,
 * because Windows code writes `<Windows.h>` and `<WinIoCtl.h>` while the
 * headers on a Linux disk are lower case.
 */

import * as fs from 'node:fs';
import type { FileHost } from '../core/source';
import { dirname, normalizePath } from '../core/source';

export interface DiskHost extends FileHost {
  /** Forget cached text (the server calls it when files change on disk). */
  invalidate(path?: string): void;
}

export function diskHost(): DiskHost {
  const texts = new Map<string, { path: string; text: string } | null>();
  const listings = new Map<string, Map<string, string> | null>();

  function listing(dir: string): Map<string, string> | null {
    let l = listings.get(dir);
    if (l !== undefined) return l;
    try {
      l = new Map(fs.readdirSync(dir).map((n) => [n.toLowerCase(), n]));
    } catch {
      l = null;
    }
    listings.set(dir, l);
    return l;
  }

  function tryRead(path: string): string | undefined {
    try {
      return fs.readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  }

  /** Resolves each path component case-insensitively. */
  function caseFold(path: string): string | undefined {
    const parts = path.split('/');
    let cur = parts[0] === '' ? '' : parts[0];
    for (let i = 1; i < parts.length; i++) {
      const l = listing(cur === '' ? '/' : cur);
      const real = l?.get(parts[i].toLowerCase());
      if (!real) return undefined;
      cur = `${cur}/${real}`;
    }
    return cur;
  }

  return {
    readFile(raw) {
      const path = normalizePath(raw);
      const cached = texts.get(path);
      if (cached !== undefined) return cached ?? undefined;
      let result: { path: string; text: string } | null = null;
      const text = tryRead(path);
      if (text !== undefined) result = { path, text };
      else if (listing(dirname(path)) !== null || path.includes('/')) {
        const real = caseFold(path);
        const t = real !== undefined ? tryRead(real) : undefined;
        if (real !== undefined && t !== undefined) result = { path: real, text: t };
      }
      texts.set(path, result);
      return result ?? undefined;
    },
    invalidate(path) {
      if (path === undefined) {
        texts.clear();
        listings.clear();
      } else {
        texts.delete(normalizePath(path));
        listings.delete(dirname(normalizePath(path)));
      }
    },
  };
}
