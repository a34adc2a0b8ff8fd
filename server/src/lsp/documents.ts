/**
 * Open documents and their analyses.
 *
 * - One `Session` for the server's life: its `LexCache` keeps every lexed
 *   file (system and WDK headers above all) keyed by path and text, so a
 *   re-analysis re-lexes only files whose text changed, and the built-in
 *   prelude is parsed once per ABI.
 * - The session's host overlays open editor buffers on the disk host, so an
 *   unsaved header is what every includer sees.
 * - Analyses are cached per document version. An edit marks the document
 *   and every open document whose translation unit read that file dirty;
 *   nothing else is re-analysed.
 * - Scheduling: one analysis runs at a time (the core is synchronous). An
 *   edit schedules its document after the debounce; a request for a dirty
 *   document runs it at once. Between ABIs the worker yields to the event
 *   loop, and if the document changed meanwhile the stale run is dropped
 *   (cancelled) and rescheduled, so only the latest version is published.
 */

import type { AbiName } from '../core/abi';
import { type AbiUnit, type Analysis, type Session, analyzeFile, createSession } from '../core/analyze';
import type { FileHost } from '../core/source';
import { normalizePath, overlayHost } from '../core/source';
import { type DiskHost, maxFileBytes } from '../node/host';
import type { DocContext, DriverContext } from './facts';
import { createPreambleCache } from '../core/preamble';
import type { DocumentHints, FileOptions } from './settings';

export interface AnalyzedDocument extends DocContext {
  uri: string;
  version: number;
  options: FileOptions;
  /** Every file the translation units read (for invalidation). */
  files: Set<string>;
  /** Milliseconds the analysis took. */
  elapsed: number;
}

interface Entry {
  uri: string;
  path: string;
  version: number;
  text: string;
  /** The editor's language id (`c`, `cpp`), which can decide how a `.h` is read. */
  languageId?: string;
  /** Needs (re-)analysis, not before `due` (ms since epoch). */
  dirty: boolean;
  due: number;
  result?: AnalyzedDocument;
  waiters: ((doc: AnalyzedDocument | undefined) => void)[];
  closed: boolean;
}

export interface DocumentStoreOptions {
  disk: DiskHost;
  optionsFor(path: string, document?: DocumentHints): FileOptions;
  /** Called with each completed analysis of the latest version (publish diagnostics here). */
  onAnalyzed(doc: AnalyzedDocument): void;
  /** The other files of the document's driver (the workspace index), for findings that come from dispatch code elsewhere. */
  driverOf?(path: string): DriverContext | undefined;
  /** Busy/idle, the number of documents waiting and of analyses started so far (stale ones included), for the status bar. */
  onState?(state: { busy: boolean; pending: number; started: number; last?: AnalyzedDocument }): void;
  log(message: string): void;
  debounce(): number;
}

export interface DocumentStore {
  session: Session;
  host: FileHost;
  open(uri: string, path: string, version: number, text: string, languageId?: string): void;
  change(uri: string, version: number, text: string): void;
  close(uri: string): void;
  /** The analysis of the document's current version (waits for it). Undefined for unknown documents. */
  get(uri: string): Promise<AnalyzedDocument | undefined>;
  /** The latest completed analysis, current or not. */
  latest(uri: string): AnalyzedDocument | undefined;
  /** The open document's current text. */
  text(uri: string): string | undefined;
  isOpen(path: string): boolean;
  uris(): string[];
  /** Files changed on disk (or settings changed: no argument): re-analyse what depends on them. */
  invalidate(paths?: string[]): void;
  /** Re-analyses the open documents whose options changed (the workspace index found their driver). */
  refreshOptions(): void;
  /** Runs `fn` when no document analysis is pending (the workspace index uses it to stay out of the way). */
  idle(): Promise<void>;
  /** Analyses a file that is not open (the workspace index) on its first `abiCount` ABIs, or on the 64-bit one of a WOW64 pair with `wide`; shares the session. */
  analyzeClosed(path: string, abiCount?: number, wide?: boolean): Analysis;
}

/**
 * One full turn of the event loop. A timer (not `setImmediate`) so that the
 * JSON-RPC layer's own `setImmediate`, which dispatches one queued message,
 * runs before we look at the document's version again.
 */
const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export function createDocumentStore(o: DocumentStoreOptions): DocumentStore {
  const entries = new Map<string, Entry>();
  const byPath = new Map<string, Entry>();
  // Open buffers over the disk; one larger than a file on disk may be is refused as the disk host would.
  const overlay = overlayHost(o.disk, (path) => {
    const e = byPath.get(normalizePath(path));
    if (!e) return undefined;
    if (e.text.length > maxFileBytes) return { path: e.path, refused: `the open document has ${e.text.length} characters, above the ${maxFileBytes / (1024 * 1024)} MB limit for one file` };
    return { path: e.path, text: e.text };
  });
  const session = createSession(overlay);
  const preambles = createPreambleCache(session, overlay);
  let running: Entry | undefined;
  let timer: NodeJS.Timeout | undefined;
  /** Analyses started since the server began (a stale one dropped midway counts too): how well edits are coalesced. */
  let started = 0;
  let idleWaiters: (() => void)[] = [];

  function markDirty(e: Entry, delay: number): void {
    e.dirty = true;
    e.due = Date.now() + delay;
    schedule();
  }

  function dependentsOf(path: string): Entry[] {
    return [...entries.values()].filter((e) => e.path !== path && e.result?.files.has(path));
  }

  function pendingCount(): number {
    let n = 0;
    for (const e of entries.values()) if (e.dirty) n++;
    return n;
  }

  function schedule(): void {
    if (running) return;
    if (timer) clearTimeout(timer);
    timer = undefined;
    const dirty = [...entries.values()].filter((e) => e.dirty);
    if (dirty.length === 0) {
      const w = idleWaiters;
      idleWaiters = [];
      for (const f of w) f();
      return;
    }
    // Someone is waiting: run it now. Otherwise the earliest due.
    const now = Date.now();
    const next = dirty.find((e) => e.waiters.length > 0) ?? dirty.sort((a, b) => a.due - b.due)[0];
    const wait = next.waiters.length > 0 ? 0 : Math.max(0, next.due - now);
    if (wait > 0) {
      timer = setTimeout(schedule, wait);
      return;
    }
    running = next;
    started++;
    o.onState?.({ busy: true, pending: pendingCount(), started });
    void run(next).finally(() => {
      running = undefined;
      o.onState?.({ busy: pendingCount() > 0, pending: pendingCount(), started, last: next.result });
      setImmediate(schedule);
    });
  }

  async function run(e: Entry): Promise<void> {
    // Let queued notifications in first: the JSON-RPC layer handles one message per event-loop turn,
    // so an edit storm is only visible after a few turns. Start when a turn brings no newer version.
    for (let i = 0; i < 10000; i++) {
      const seen = e.version;
      await yieldToEventLoop();
      if (e.closed) return;
      if (e.version === seen) break;
    }
    const version = e.version;
    const text = e.text;
    e.dirty = false;
    const started = performance.now();
    let options: FileOptions;
    try {
      options = o.optionsFor(e.path, { languageId: e.languageId, text });
    } catch (err) {
      o.log(`settings for ${e.path}: ${String(err)}`);
      return;
    }
    const units = new Map<AbiName, AbiUnit>();
    for (const abi of options.analysis.abis) {
      try {
        const u = options.settings.preamble
          ? preambles.analyze(e.path, text, options.analysis, abi)
          : analyzeFile(session, e.path, { ...options.analysis, abis: [abi] }).units.get(abi);
        if (u) units.set(abi, u);
      } catch (err) {
        o.log(`analysis of ${e.path} (${abi}) failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      }
      await yieldToEventLoop();
      if (e.closed) return;
      if (e.version !== version) {
        // Stale: a newer version arrived while this one ran. Drop it; the newer one is already dirty.
        return;
      }
    }
    const files = new Set<string>();
    for (const u of units.values()) for (const p of u.pp.files.keys()) files.add(p);
    const doc: AnalyzedDocument = {
      uri: e.uri,
      path: e.path,
      text,
      version,
      analysis: { path: e.path, units },
      session,
      options,
      files,
      elapsed: performance.now() - started,
    };
    const driver = o.driverOf?.(e.path);
    if (driver) doc.driver = driver;
    e.result = doc;
    const w = e.waiters;
    e.waiters = [];
    for (const f of w) f(doc);
    try {
      o.onAnalyzed(doc);
    } catch (err) {
      o.log(`publishing ${e.uri}: ${String(err)}`);
    }
  }

  return {
    session,
    host: overlay,
    open(uri, path, version, text, languageId) {
      const old = entries.get(uri);
      if (old) old.closed = true;
      const e: Entry = { uri, path: normalizePath(path), version, text, dirty: true, due: Date.now(), waiters: [], closed: false };
      if (languageId) e.languageId = languageId;
      entries.set(uri, e);
      byPath.set(e.path, e);
      for (const d of dependentsOf(e.path)) markDirty(d, o.debounce());
      schedule();
    },
    change(uri, version, text) {
      const e = entries.get(uri);
      if (!e) return;
      e.version = version;
      e.text = text;
      // While an analysis of this document runs, wait a little longer: typing continues.
      markDirty(e, running === e ? Math.max(o.debounce(), 15) : o.debounce());
      for (const d of dependentsOf(e.path)) markDirty(d, Math.max(o.debounce(), 50));
    },
    close(uri) {
      const e = entries.get(uri);
      if (!e) return;
      e.closed = true;
      entries.delete(uri);
      if (byPath.get(e.path) === e) byPath.delete(e.path);
      preambles.forget(e.path);
      for (const f of e.waiters) f(undefined);
      e.waiters = [];
      // Includers now see the file on disk again.
      o.disk.invalidate(e.path);
      for (const d of dependentsOf(e.path)) markDirty(d, o.debounce());
      schedule();
    },
    get(uri) {
      const e = entries.get(uri);
      if (!e) return Promise.resolve(undefined);
      if (e.result && e.result.version === e.version && !e.dirty) return Promise.resolve(e.result);
      return new Promise((resolve) => {
        e.waiters.push(resolve);
        if (!e.dirty && running !== e) e.dirty = true;
        schedule();
      });
    },
    latest(uri) {
      return entries.get(uri)?.result;
    },
    text(uri) {
      return entries.get(uri)?.text;
    },
    isOpen(path) {
      return byPath.has(normalizePath(path));
    },
    uris() {
      return [...entries.keys()];
    },
    refreshOptions() {
      for (const e of entries.values()) {
        if (!e.result || e.dirty) continue;
        let key: string | undefined;
        try {
          key = o.optionsFor(e.path, { languageId: e.languageId, text: e.text }).key;
        } catch {
          continue;
        }
        if (key !== e.result.options.key) markDirty(e, 0);
      }
    },
    invalidate(paths) {
      if (!paths) {
        o.disk.invalidate();
        for (const e of entries.values()) markDirty(e, 0);
        return;
      }
      for (const p of paths) {
        const path = normalizePath(p);
        o.disk.invalidate(path);
        for (const e of entries.values()) if (e.path !== path && e.result?.files.has(path)) markDirty(e, o.debounce());
      }
    },
    idle() {
      if (!running && pendingCount() === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    analyzeClosed(path, abiCount, wide) {
      const options = o.optionsFor(path, { text: overlay.readFile(path)?.text });
      const wideAbi = wide ? options.analysis.abis.find((a) => a === 'x64' || a === 'arm64') : undefined;
      const abis = wideAbi ? [wideAbi] : abiCount === undefined ? options.analysis.abis : options.analysis.abis.slice(0, abiCount);
      return analyzeFile(session, path, { ...options.analysis, abis });
    },
  };
}
