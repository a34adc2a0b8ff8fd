/**
 * The disk `FileHost` for the CLI and the language server: reads files with
 * `fs`, caches them, and falls back to a case-insensitive match per folder,
 * because Windows code writes `<Windows.h>` and `<WinIoCtl.h>` while the
 * headers on a Linux disk are lower case.
 *
 * Only regular files are read, and only up to `maxFileBytes`: a repository
 * can name `/dev/zero`, `/dev/stdin` (the server's own protocol stream), a
 * FIFO or a directory in an `#include`, a forced include or a configuration
 * file, and none of them may hang or exhaust the process. Each is `stat`ed
 * first and refused with a reason the core turns into a diagnostic; the read
 * itself never asks for more bytes than `stat` reported.
 */

import * as fs from 'node:fs';
import type { FileHost, FileRead } from '../core/source';
import { dirname, normalizePath } from '../core/source';

export interface DiskHost extends FileHost {
  /** Forget cached text (the server calls it when files change on disk). */
  invalidate(path?: string): void;
}

/** Files larger than this are not read (a diagnostic says so where they are named). */
export const maxFileBytes = 32 * 1024 * 1024;

const megabytes = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;

function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Why a file with these `stat` results is not read, or undefined when it may be. */
export function refusalReason(st: fs.Stats, limit = maxFileBytes): string | undefined {
  if (!st.isFile()) return `it is ${kindOf(st)}, and only regular files are read`;
  if (st.size > limit) return `it is ${megabytes(st.size)}, above the ${megabytes(limit)} limit for one file`;
  return undefined;
}

/**
 * Reads a regular file of at most `limit` bytes as UTF-8; anything else is
 * refused with a reason. Undefined when nothing is there (or it cannot be
 * opened). Never blocks on a FIFO or device and never reads past the size
 * `stat` reported, so a file that grows while it is read stays bounded.
 */
export function readRegularFile(path: string, limit = maxFileBytes): { text: string } | { refused: string } | undefined {
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
  if (st === undefined) return undefined;
  const refused = refusalReason(st, limit);
  if (refused !== undefined) return { refused };
  let fd: number;
  try {
    // O_NONBLOCK: should the path have been swapped for a FIFO since the stat, opening it does not wait for a writer.
    fd = fs.openSync(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const again = fs.fstatSync(fd);
    const late = refusalReason(again, limit);
    if (late !== undefined) return { refused: late };
    const buffer = Buffer.allocUnsafe(again.size);
    let got = 0;
    while (got < buffer.length) {
      const n = fs.readSync(fd, buffer, got, buffer.length - got, got);
      if (n <= 0) break;
      got += n;
    }
    return { text: buffer.toString('utf8', 0, got) };
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

export function diskHost(): DiskHost {
  const texts = new Map<string, FileRead | null>();
  const existing = new Map<string, string | null>();
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

  // A directory is not a file to include (clang's search passes over it too).
  const present = (p: string) => {
    try {
      const st = fs.statSync(p, { throwIfNoEntry: false });
      return st !== undefined && !st.isDirectory();
    } catch {
      return false;
    }
  };

  /** The path as spelt if something other than a directory is there, else its case-insensitive match. */
  function locate(path: string): string | undefined {
    if (present(path)) return path;
    if (listing(dirname(path)) !== null || path.includes('/')) {
      const real = caseFold(path);
      if (real !== undefined && present(real)) return real;
    }
    return undefined;
  }

  return {
    readFile(raw) {
      const path = normalizePath(raw);
      const cached = texts.get(path);
      if (cached !== undefined) return cached ?? undefined;
      const real = locate(path);
      const got = real === undefined ? undefined : readRegularFile(real);
      const result: FileRead | null = got === undefined ? null : 'text' in got ? { path: real!, text: got.text } : { path: real!, refused: got.refused };
      texts.set(path, result);
      return result ?? undefined;
    },
    exists(raw) {
      const path = normalizePath(raw);
      const known = texts.get(path) ?? existing.get(path);
      if (known !== undefined) return known === null ? undefined : typeof known === 'string' ? known : known.path;
      const real = locate(path);
      existing.set(path, real ?? null);
      return real;
    },
    invalidate(path) {
      if (path === undefined) {
        texts.clear();
        existing.clear();
        listings.clear();
      } else {
        texts.delete(normalizePath(path));
        existing.delete(normalizePath(path));
        listings.delete(dirname(normalizePath(path)));
      }
    },
  };
}
