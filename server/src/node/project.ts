/**
 * Finds the drivers under the paths given to `check` (and under a workspace
 * folder for the language server): every `.vcxproj` is one, read through
 * `core/project.ts`; files no project lists belong to the
 * `compile_commands.json` driver when one is given, else to the driver of
 * their folder: the nearest folder (up to the searched path) that holds a
 * build file (`sources`, `makefile`, `CMakeLists.txt`, an `.inf` ...), or
 * the searched path itself.
 */

import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import type { CompileOptions } from '../core/config';
import type { Diagnostic } from '../core/diagnostics';
import { type DriverProject, parseVcxproj } from '../core/project';
import { normalizePath } from '../core/source';
import { append } from '../core/arrays';
import { walkFiles } from './walk';
import { readRegularFile } from './host';

const buildMarkers = /^(sources|dirs|makefile|makefile\.inc|cmakelists\.txt|meson\.build|sconstruct|sconscript|.*\.inf|.*\.inx|.*\.sln)$/i;
/** `.vcxproj` files under a folder (build output and VCS folders skipped). */
export function findProjectFiles(root: string): string[] {
  return walkFiles(root, (name) => /\.vcxproj$/i.test(name), { maxDepth: 24 });
}

export interface FoundDrivers {
  drivers: DriverProject[];
  diagnostics: Diagnostic[];
}

/**
 * The drivers `files` (found under `roots`) belong to. Each file lands in at
 * least one driver; a file several projects list is in each of them.
 */
export function findDrivers(
  roots: readonly string[],
  files: readonly string[],
  options: { compileCommands?: readonly CompileOptions[]; readText?: (p: string) => string | undefined; configuration?: string } = {},
): FoundDrivers {
  // Only regular files of sane size (a project file may be a FIFO or a device): see node/host.ts.
  const read = options.readText ?? ((p: string) => {
    const got = readRegularFile(p);
    return got && 'text' in got ? got.text : undefined;
  });
  const diagnostics: Diagnostic[] = [];
  const drivers: DriverProject[] = [];
  const assigned = new Set<string>();
  const exists = (p: string) => {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  };
  for (const root of roots) {
    let isDir = false;
    try {
      isDir = fs.statSync(root).isDirectory();
    } catch {
      continue;
    }
    if (!isDir) continue;
    for (const projectFile of findProjectFiles(root)) {
      const text = read(projectFile);
      if (text === undefined) continue;
      const parsed = parseVcxproj(text, projectFile, { configuration: options.configuration });
      append(diagnostics, parsed.diagnostics);
      const project = parsed.project;
      if (!project) continue;
      project.sources = project.sources.filter(exists);
      project.headers = project.headers.filter(exists);
      if (project.sources.length === 0 && project.headers.length === 0) continue;
      for (const f of [...project.sources, ...project.headers]) assigned.add(f);
      drivers.push(project);
    }
  }
  const rest = files.filter((f) => !assigned.has(f));
  const isSource = (f: string) => /\.(c|cc|cpp|cxx)$/i.test(f);
  if (options.compileCommands?.length) {
    const listed = new Set(options.compileCommands.map((c) => normalizePath(c.file)));
    const inDb = rest.filter((f) => listed.has(f));
    if (inDb.length) {
      drivers.push({ name: 'compile_commands.json', kind: 'compile-commands', path: '', sources: inDb.filter(isSource), headers: inDb.filter((f) => !isSource(f)), includeDirs: [], defines: [] });
      for (const f of inDb) assigned.add(f);
    }
  }
  // Folders: the nearest folder with a build file, up to the searched root.
  const normRoots = roots.map((r) => normalizePath(r));
  const markerCache = new Map<string, boolean>();
  const hasMarker = (dir: string) => {
    let hit = markerCache.get(dir);
    if (hit === undefined) {
      try {
        hit = fs.readdirSync(dir).some((n) => buildMarkers.test(n));
      } catch {
        hit = false;
      }
      markerCache.set(dir, hit);
    }
    return hit;
  };
  const groups = new Map<string, string[]>();
  for (const f of files) {
    if (assigned.has(f)) continue;
    const root = normRoots.filter((r) => f === r || f.startsWith(r + '/')).sort((a, b) => b.length - a.length)[0];
    let dir = f.slice(0, f.lastIndexOf('/'));
    let home = root ?? dir;
    if (root && root !== f) {
      for (let d = dir; d.length >= root.length; d = d.slice(0, d.lastIndexOf('/'))) {
        if (hasMarker(d)) {
          home = d;
          break;
        }
        if (d === root) break;
      }
    } else if (root === f) home = dir;
    dir = home;
    const list = groups.get(dir);
    if (list) list.push(f);
    else groups.set(dir, [f]);
  }
  for (const [dir, list] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    drivers.push({ name: dir.slice(dir.lastIndexOf('/') + 1) || dir, kind: 'folder', path: dir, sources: list.filter(isSource), headers: list.filter((f) => !isSource(f)), includeDirs: [], defines: [] });
  }
  return { drivers, diagnostics };
}
