/**
 * Source files, locations and the one door to the outside world: the
 * `FileHost` through which the pure core reads headers. The core never
 * imports `fs` or `path`; the CLI and the language server each pass a host
 * (the server's host overlays open editor buffers on the disk).
 */

export interface SourceFile {
  /** Normalised absolute path (forward slashes), or a pseudo path such as `<prelude>`. */
  path: string;
  text: string;
  /** Offsets at which each line starts; computed lazily by `lineStarts`. */
  lineStartsCache?: number[];
}

/** A position in a source file. `line` and `col` are 1-based; `offset` is 0-based UTF-16. */
export interface Loc {
  file: string;
  line: number;
  col: number;
  offset: number;
}

/** A file the host read: its real, normalised path and its text. */
export interface FileText {
  path: string;
  text: string;
  refused?: undefined;
}

/**
 * A file that exists but that the host will not read, and why (a device,
 * FIFO, socket or directory; above the size limit). The core reports the
 * reason where the file was named instead of a "file not found".
 */
export interface FileRefusal {
  path: string;
  text?: undefined;
  refused: string;
}

export type FileRead = FileText | FileRefusal;

export interface FileHost {
  /**
   * Returns the file's text, why it is not read, or undefined if it does not
   * exist. Hosts may match the file name case-insensitively (Windows headers
   * are spelt `<Windows.h>` as often as `<windows.h>`); `path` in the result
   * is the real, normalised path.
   */
  readFile(path: string): FileRead | undefined;
  /**
   * Existence test for `__has_include`: the real path when something readable
   * or refused is there, without reading it. Hosts without it are asked
   * `readFile` instead.
   */
  exists?(path: string): string | undefined;
}

/**
 * `base` with some paths answered first by `own` (open editor buffers,
 * generated umbrella headers, the built-in headers): a file, `null` for "not
 * there, do not ask `base`", or undefined for "ask `base`". Existence tests
 * are forwarded, so they still do not read.
 */
export function overlayHost(base: FileHost, own: (path: string) => FileRead | null | undefined): FileHost {
  return {
    readFile(path) {
      const mine = own(path);
      return mine === undefined ? base.readFile(path) : (mine ?? undefined);
    },
    exists(path) {
      const mine = own(path);
      if (mine !== undefined) return mine?.path;
      return base.exists ? base.exists(path) : base.readFile(path)?.path;
    },
  };
}

/** A host over a fixed map of path -> text; used by tests and by the prelude. */
export function memoryHost(files: Record<string, string>): FileHost {
  const lower = new Map<string, string>();
  for (const p of Object.keys(files)) lower.set(p.toLowerCase(), p);
  const find = (path: string) => (path in files ? path : lower.get(path.toLowerCase()));
  return {
    readFile(path) {
      const real = find(path);
      return real === undefined ? undefined : { path: real, text: files[real] };
    },
    exists: find,
  };
}

export function lineStarts(file: SourceFile): number[] {
  if (file.lineStartsCache) return file.lineStartsCache;
  const starts = [0];
  const t = file.text;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (t.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  file.lineStartsCache = starts;
  return starts;
}

export function locAt(file: SourceFile, offset: number): Loc {
  const starts = lineStarts(file);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { file: file.path, line: lo + 1, col: offset - starts[lo] + 1, offset };
}

// Pure path helpers (POSIX-style; Windows paths are normalised to forward slashes first).

export function normalizePath(p: string): string {
  p = p.replace(/\\/g, '/');
  const drive = /^[A-Za-z]:/.test(p) ? p.slice(0, 2) : '';
  if (drive) p = p.slice(2);
  const absolute = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
      continue;
    }
    out.push(part);
  }
  return drive + (absolute ? '/' : '') + out.join('/');
}

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  return p.slice(0, i);
}

export function joinPath(dir: string, rel: string): string {
  rel = rel.replace(/\\/g, '/');
  if (rel.startsWith('/') || /^[A-Za-z]:/.test(rel)) return normalizePath(rel);
  return normalizePath(dir + '/' + rel);
}
