/**
 * The workspace index: every header and source under the workspace folders,
 * analysed in the background (one ABI, sharing the documents' session and
 * lex cache) for its symbols and IOCTL definitions, so workspace symbols,
 * references and duplicate control codes reach files that are not open.
 *
 * Indexing yields to the event loop after every file and waits while
 * document analyses are pending, so editing never queues behind it. It
 * reports `window/workDoneProgress` through the `progress` callback and
 * stops when the client cancels. File-change notifications re-index single
 * files.
 */

import { normalizePath } from '../core/source';
import type { Analysis } from '../core/analyze';
import { type UnitSummary, summarizeUnit, unitTypes } from '../core/dispatch';
import { type DriverProject, kernelModeSources } from '../core/project';
import { languageOfExtension } from '../core/language';
import type { OptionSources } from '../core/options';
import { findDrivers } from '../node/project';
import { cFamilyFile, walkFiles } from '../node/walk';
import type { DocumentStore } from './documents';
import type { DocContext, DriverContext } from './facts';
import { interfaceFacts } from '../core/interface';
import { type SymbolInfo, fileSymbols } from './languageService';
import type { WorkspaceIoctl } from './validation';

export interface IndexedFile {
  path: string;
  symbols: SymbolInfo[];
  ioctls: WorkspaceIoctl[];
  /** Its functions' dispatch summaries (64-bit view), for the driver-wide findings of other files. */
  summary?: UnitSummary;
  /** Every file its translation unit read. */
  reads?: Set<string>;
}

export interface ProgressHandle {
  report(percentage: number, message: string): void;
  done(): void;
  readonly cancelled: boolean;
}

export interface WorkspaceIndexOptions {
  store: DocumentStore;
  log(message: string): void;
  progress(title: string): Promise<ProgressHandle>;
  maxFiles(): number;
  /** Called after the index changed (to refresh diagnostics that use it). */
  onUpdated?(): void;
  /** The `.vcxproj` configuration to read (the `configuration` setting); default `Release|x64`. */
  configuration?(): string | undefined;
}

export interface WorkspaceIndex {
  /** (Re)indexes every file under `roots`; a run in progress is cancelled. */
  start(roots: string[]): Promise<void>;
  fileChanged(path: string, deleted: boolean): void;
  /** Symbols whose names contain `query` (case-insensitive subsequence). */
  symbols(query: string, limit?: number): { path: string; symbol: SymbolInfo }[];
  ioctls(): WorkspaceIoctl[];
  files(): string[];
  /** The other files of `path`'s driver, as summaries that follow the index and the open documents. */
  driverOf(path: string): DriverContext;
  /**
   * `path`'s driver project as `check` reads it, for the project layer of its
   * options (core/options.ts): the `.vcxproj`'s include directories and
   * defines, whether `path` is a kernel-mode source (the project says so, or
   * it includes wdm.h/ntddk.h ... directly or through the driver's headers),
   * the language of the driver's sources.
   */
  projectOf(path: string, configuration?: string): OptionSources['project'];
  /** An open document's newer analysis replaces its file's summary (editing a handler updates its header's findings). */
  documentAnalyzed(doc: DocContext): void;
  has(path: string): boolean;
  readonly indexing: boolean;
}

export function fuzzyMatch(query: string, name: string): boolean {
  if (!query) return true;
  const q = query.toLowerCase();
  const n = name.toLowerCase();
  if (n.includes(q)) return true;
  let i = 0;
  for (const c of n) if (c === q[i]) i++;
  return i === q.length;
}

/** A file's dispatch summary and the files its unit read, from its 64-bit unit. */
function summaryOf(analysis: Analysis, path: string): { summary?: UnitSummary; reads: Set<string> } {
  const unit = analysis.units.get('x64') ?? analysis.units.get('arm64') ?? analysis.units.values().next().value;
  if (!unit) return { reads: new Set() };
  const types = unitTypes(unit.unit, unit.prelude?.unit);
  const summary = /\.(c|cc|cpp|cxx)$/i.test(path) ? summarizeUnit(unit.unit, types, (f) => f === path, { eager: true }) : undefined;
  return { summary, reads: new Set(unit.pp.files.keys()) };
}

export function createWorkspaceIndex(o: WorkspaceIndexOptions): WorkspaceIndex {
  const files = new Map<string, IndexedFile>();
  /** Summaries of open documents, newer than the index's. */
  const open = new Map<string, { summary?: UnitSummary; reads: Set<string> }>();
  let driverGeneration = 0;
  /** Bumped when the set of known files changes: the drivers are found again. */
  let membership = 0;
  let roots: string[] = [];
  const drivers = new Map<string, { membership: number; list: DriverProject[] }>();
  const driverList = (configuration: string | undefined): DriverProject[] => {
    const key = configuration ?? '';
    let got = drivers.get(key);
    if (!got || got.membership !== membership) {
      const all = [...new Set([...files.keys(), ...open.keys()])].sort();
      got = { membership, list: findDrivers(roots, all, { readText: (f) => o.store.host.readFile(f)?.text, configuration }).drivers };
      drivers.set(key, got);
    }
    return got.list;
  };
  let generation = 0;
  let indexing = false;
  const yieldNow = () => new Promise<void>((r) => setImmediate(r));

  function indexOne(path: string): void {
    try {
      // One ABI is enough for names, places and control codes; the 64-bit one sees the dispatch code's
      // `#if defined(_WIN64)` branches as the driver is built.
      const analysis = o.store.analyzeClosed(path, 1, true);
      const first = analysis.units.values().next().value;
      if (!first) return;
      const text = first.pp.files.get(path)?.text ?? '';
      const ctx = { path, text, analysis, session: o.store.session };
      const ioctls = interfaceFacts(ctx.analysis)
        .ioctls.filter((i) => i.loc.file === path)
        .map((i) => ({ name: i.name, value: i.code.value, loc: i.loc }));
      if (!files.has(path)) membership++;
      files.set(path, { path, symbols: fileSymbols(ctx, path), ioctls, ...summaryOf(analysis, path) });
      driverGeneration++;
    } catch (err) {
      o.log(`index: ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  return {
    get indexing() {
      return indexing;
    },
    async start(startRoots) {
      roots = startRoots.map((r) => normalizePath(r));
      membership++;
      const mine = ++generation;
      indexing = true;
      const all = roots.flatMap((r) => walkFiles(r, (name) => cFamilyFile.test(name), { maxFiles: o.maxFiles() })).sort();
      const progress = await o.progress('ioctl-lens: indexing');
      const started = performance.now();
      try {
        for (let i = 0; i < all.length; i++) {
          await o.store.idle();
          if (mine !== generation || progress.cancelled) {
            o.log(`index: cancelled after ${i} of ${all.length} files`);
            return;
          }
          indexOne(all[i]);
          if (i % 5 === 0) progress.report(Math.round((100 * i) / Math.max(1, all.length)), `${i}/${all.length} ${all[i].split('/').pop()}`);
          await yieldNow();
        }
        o.log(`index: ${all.length} files in ${(performance.now() - started).toFixed(0)} ms`);
      } finally {
        progress.done();
        if (mine === generation) indexing = false;
      }
      o.onUpdated?.();
    },
    fileChanged(path, deleted) {
      const p = normalizePath(path);
      if (/\.vcxproj$/i.test(p)) membership++;
      if (deleted) {
        files.delete(p);
        membership++;
        driverGeneration++;
      } else if (cFamilyFile.test(p)) {
        // Soon, but after whatever the editor is waiting for.
        void o.store.idle().then(() => {
          indexOne(p);
          o.onUpdated?.();
        });
        return;
      }
      o.onUpdated?.();
    },
    symbols(query, limit = 500) {
      const out: { path: string; symbol: SymbolInfo }[] = [];
      for (const f of files.values()) {
        for (const s of f.symbols) {
          if (fuzzyMatch(query, s.name)) out.push({ path: f.path, symbol: s });
          if (out.length >= limit) return out;
        }
      }
      return out;
    },
    ioctls() {
      return [...files.values()].flatMap((f) => f.ioctls);
    },
    files() {
      return [...files.keys()];
    },
    has(path) {
      return files.has(normalizePath(path));
    },
    documentAnalyzed(doc) {
      if (!open.has(doc.path) && !files.has(doc.path)) membership++;
      open.set(doc.path, summaryOf(doc.analysis, doc.path));
      driverGeneration++;
    },
    driverOf(path) {
      const p = normalizePath(path);
      const known = (f: string) => open.get(f) ?? files.get(f);
      return {
        generation: () => driverGeneration,
        summaries() {
          // The drivers the file is in, and those whose sources read it (a shared header).
          const members = new Set<string>();
          for (const d of driverList(o.configuration?.())) {
            const sources = d.sources;
            if (d.sources.includes(p) || d.headers.includes(p) || sources.some((f) => known(f)?.reads?.has(p))) for (const f of sources) members.add(f);
          }
          members.delete(p);
          const out: UnitSummary[] = [];
          for (const f of members) {
            const s = known(f)?.summary;
            if (s) out.push(s);
          }
          return out;
        },
      };
    },
    projectOf(path, configuration) {
      const p = normalizePath(path);
      const list = driverList(configuration);
      const driver = list.find((d) => d.sources.includes(p)) ?? list.find((d) => d.headers.includes(p));
      const read = (f: string) => o.store.host.readFile(f)?.text;
      // As `check` decides: every source of a kernel-mode project, else the sources that include a kernel header.
      const source = /\.(c|cc|cpp|cxx)$/i.test(p);
      const kernel = source && (driver?.kernel || kernelModeSources([p], [...new Set([p, ...(driver?.sources ?? []), ...(driver?.headers ?? [])])], read).has(p));
      if (!driver) return kernel ? { kernel } : undefined;
      const sourceLanguages = new Set(driver.sources.map((f) => languageOfExtension(f)));
      return {
        includeDirs: driver.includeDirs,
        defines: driver.defines,
        kernel,
        ...(sourceLanguages.size === 1 ? { language: [...sourceLanguages][0] } : {}),
      };
    },
  };
}
