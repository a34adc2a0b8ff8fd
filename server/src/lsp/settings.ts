/**
 * Settings: the editor's `ioctlLens.*` settings merged over the workspace
 * configuration file (`.ioctl-lens.json`, the file the CLI reads) and
 * `compile_commands.json` (found as clangd finds it: the file's folder and
 * each parent, directly or under `build/`), turned into the core's
 * `AnalysisOptions` for one file.
 *
 * Precedence, lowest first: built-in defaults, `.ioctl-lens.json`,
 * `compile_commands.json` flags for the file, editor settings.
 */

import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { type AbiName, defaultAbis, isAbiName } from '../core/abi';
import type { AnalysisOptions } from '../core/analyze';
import { dirname, normalizePath } from '../core/source';
import type { InlayMode } from './languageService';

export type RuleSeverity = 'error' | 'warning' | 'info' | 'hint' | 'off';

export interface Settings {
  abis: AbiName[];
  includePaths: string[];
  defines: string[];
  forcedIncludes: string[];
  /** Path to `compile_commands.json` or its folder; empty: search as clangd does. */
  compileCommands: string;
  thunkStyle: 'auto' | 'wdm' | 'kmdf';
  inlayHints: InlayMode;
  codeLens: boolean;
  rules: Record<string, RuleSeverity>;
  /** Milliseconds to wait after an edit before re-analysing. */
  debounce: number;
  /** Reuse the analysis of a document's leading #include block across edits (see preamble.ts). */
  preamble: boolean;
  index: { enabled: boolean; maxFiles: number };
}

export const defaultSettings: Settings = {
  abis: [...defaultAbis],
  includePaths: [],
  defines: [],
  forcedIncludes: [],
  compileCommands: '',
  thunkStyle: 'auto',
  inlayHints: 'differing',
  codeLens: true,
  rules: {},
  debounce: 0,
  preamble: true,
  index: { enabled: true, maxFiles: 5000 },
};

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);

/** Merges a loosely typed settings object (from the client or a file) over `base`, ignoring anything malformed. */
export function mergeSettings(base: Settings, raw: unknown): Settings {
  if (!raw || typeof raw !== 'object') return base;
  const r = raw as Record<string, unknown>;
  const out: Settings = { ...base, index: { ...base.index }, rules: { ...base.rules } };
  const abis = strings(r.abis)?.filter(isAbiName);
  if (abis?.length) out.abis = abis;
  out.includePaths = strings(r.includePaths) ?? strings(r.includeDirs) ?? out.includePaths;
  out.defines = strings(r.defines) ?? out.defines;
  out.forcedIncludes = strings(r.forcedIncludes) ?? out.forcedIncludes;
  if (typeof r.compileCommands === 'string') out.compileCommands = r.compileCommands;
  if (r.thunkStyle === 'wdm' || r.thunkStyle === 'kmdf' || r.thunkStyle === 'auto') out.thunkStyle = r.thunkStyle;
  const ih = typeof r.inlayHints === 'object' && r.inlayHints ? (r.inlayHints as Record<string, unknown>).mode ?? (r.inlayHints as Record<string, unknown>).enabled : r.inlayHints;
  if (ih === 'differing' || ih === 'all' || ih === 'off') out.inlayHints = ih;
  else if (ih === false) out.inlayHints = 'off';
  else if (ih === true) out.inlayHints = 'differing';
  const cl = typeof r.codeLens === 'object' && r.codeLens ? (r.codeLens as Record<string, unknown>).enabled : r.codeLens;
  if (typeof cl === 'boolean') out.codeLens = cl;
  const rules = r.rules ?? r.severities;
  if (rules && typeof rules === 'object') {
    for (const [k, v] of Object.entries(rules as Record<string, unknown>)) {
      if (v === 'error' || v === 'warning' || v === 'info' || v === 'hint' || v === 'off') out.rules[k] = v;
    }
  }
  if (typeof r.preamble === 'boolean') out.preamble = r.preamble;
  if (typeof r.debounce === 'number' && r.debounce >= 0 && r.debounce < 10000) out.debounce = r.debounce;
  if (r.index && typeof r.index === 'object') {
    const ix = r.index as Record<string, unknown>;
    if (typeof ix.enabled === 'boolean') out.index.enabled = ix.enabled;
    if (typeof ix.maxFiles === 'number') out.index.maxFiles = ix.maxFiles;
  }
  return out;
}

// ---------------------------------------------------------------- workspace configuration file

export const configFileName = '.ioctl-lens.json';

/** Reads `.ioctl-lens.json` from the folder of `path` or the nearest parent inside `root` (or up to `/`). */
export function findWorkspaceConfig(path: string, roots: readonly string[]): { file: string; raw: unknown } | undefined {
  let dir = dirname(path);
  for (let i = 0; i < 64; i++) {
    const file = `${dir}/${configFileName}`.replace('//', '/');
    try {
      if (fs.existsSync(file)) return { file, raw: JSON.parse(fs.readFileSync(file, 'utf8')) };
    } catch {
      return { file, raw: undefined };
    }
    if (roots.includes(dir)) break;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** Relative paths in the configuration file are relative to its folder. */
function resolveConfigPaths(raw: unknown, folder: string): unknown {
  if (!raw || typeof raw !== 'object') return raw;
  const r = { ...(raw as Record<string, unknown>) };
  const abs = (p: string) => normalizePath(nodePath.resolve(folder, p));
  for (const k of ['includePaths', 'includeDirs', 'forcedIncludes']) {
    const v = strings(r[k]);
    if (v) r[k] = v.map(abs);
  }
  if (typeof r.compileCommands === 'string' && r.compileCommands) r.compileCommands = abs(r.compileCommands);
  return r;
}

// ---------------------------------------------------------------- compile_commands.json

export interface CompileFlags {
  includeDirs: string[];
  defines: [string, string | undefined][];
  undefines: string[];
  forcedIncludes: string[];
}

interface CompileDatabase {
  file: string;
  entries: Map<string, CompileFlags>;
}

const databases = new Map<string, CompileDatabase | null>();

/** Forget cached compile databases (their files changed). */
export function invalidateCompileDatabases(): void {
  databases.clear();
}

function shellSplit(cmd: string): string[] {
  const out: string[] = [];
  const re = /"((?:\\.|[^"\\])*)"|'([^']*)'|((?:\\.|[^\s"'])+)/g;
  let m: RegExpExecArray | null;
  let cur = '';
  let last = -1;
  while ((m = re.exec(cmd))) {
    const piece = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2] ?? m[3].replace(/\\(.)/g, '$1');
    if (last === m.index) cur += piece;
    else {
      if (last >= 0) out.push(cur);
      cur = piece;
    }
    last = m.index + m[0].length;
  }
  if (last >= 0) out.push(cur);
  return out;
}

export function flagsFromArguments(args: string[], directory: string): CompileFlags {
  const flags: CompileFlags = { includeDirs: [], defines: [], undefines: [], forcedIncludes: [] };
  const abs = (p: string) => normalizePath(nodePath.resolve(directory, p));
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (prefix: string): string | undefined => (a === prefix ? args[++i] : a.startsWith(prefix) ? a.slice(prefix.length) : undefined);
    let v: string | undefined;
    if ((v = value('-isystem')) !== undefined || (v = value('-I')) !== undefined || (v = value('/I')) !== undefined || (v = value('-iquote')) !== undefined) flags.includeDirs.push(abs(v));
    else if ((v = value('-D')) !== undefined || (v = value('/D')) !== undefined) {
      const eq = v.indexOf('=');
      flags.defines.push(eq < 0 ? [v, undefined] : [v.slice(0, eq), v.slice(eq + 1)]);
    } else if ((v = value('-U')) !== undefined || (v = value('/U')) !== undefined) flags.undefines.push(v);
    else if ((v = value('-include')) !== undefined || (v = value('/FI')) !== undefined) flags.forcedIncludes.push(abs(v));
  }
  return flags;
}

function loadDatabase(file: string): CompileDatabase | undefined {
  const cached = databases.get(file);
  if (cached !== undefined) return cached ?? undefined;
  let db: CompileDatabase | null = null;
  try {
    const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (Array.isArray(raw)) {
      db = { file, entries: new Map() };
      for (const e of raw as Record<string, unknown>[]) {
        if (!e || typeof e.file !== 'string' || typeof e.directory !== 'string') continue;
        const args = strings(e.arguments) ?? (typeof e.command === 'string' ? shellSplit(e.command) : []);
        db.entries.set(normalizePath(nodePath.resolve(e.directory, e.file)), flagsFromArguments(args.slice(1), e.directory));
      }
    }
  } catch {
    db = null;
  }
  databases.set(file, db);
  return db ?? undefined;
}

/** The compile database for `path`: the configured one, else the nearest `compile_commands.json` (or `build/compile_commands.json`) above it. */
export function findCompileDatabase(path: string, configured: string): CompileDatabase | undefined {
  if (configured) {
    const file = configured.endsWith('.json') ? configured : `${configured}/compile_commands.json`;
    return loadDatabase(normalizePath(file));
  }
  let dir = dirname(path);
  for (let i = 0; i < 64; i++) {
    for (const candidate of [`${dir}/compile_commands.json`, `${dir}/build/compile_commands.json`]) {
      const f = candidate.replace('//', '/');
      if (fs.existsSync(f)) return loadDatabase(f);
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** Flags for a file: its own entry, else (headers) the entry whose path shares the longest prefix, as clangd infers. */
export function compileFlagsFor(db: CompileDatabase, path: string): CompileFlags | undefined {
  const own = db.entries.get(path);
  if (own) return own;
  let best: CompileFlags | undefined;
  let bestScore = -1;
  const stem = path.replace(/\.[^./]*$/, '');
  for (const [p, f] of db.entries) {
    let n = 0;
    while (n < p.length && n < path.length && p[n] === path[n]) n++;
    const score = n + (p.replace(/\.[^./]*$/, '') === stem ? 1000 : 0);
    if (score > bestScore) {
      bestScore = score;
      best = f;
    }
  }
  return best;
}

// ---------------------------------------------------------------- per-file options

export interface FileOptions {
  settings: Settings;
  analysis: AnalysisOptions;
  /** Stable text of the options: a change means re-analysis. */
  key: string;
  sources: string[];
}

function parseDefine(d: string): [string, string | undefined] {
  const eq = d.indexOf('=');
  return eq < 0 ? [d, undefined] : [d.slice(0, eq), d.slice(eq + 1)];
}

/** Resolves the effective settings and analysis options for one file. */
export function optionsFor(path: string, editor: unknown, roots: readonly string[]): FileOptions {
  const sources: string[] = [];
  let settings = defaultSettings;
  const config = path.startsWith('/') || /^[A-Za-z]:/.test(path) ? findWorkspaceConfig(path, roots) : undefined;
  if (config) {
    settings = mergeSettings(settings, resolveConfigPaths(config.raw, dirname(config.file)));
    sources.push(config.file);
  }
  const rootFolder = roots.find((r) => path.startsWith(r + '/')) ?? roots[0] ?? dirname(path);
  const editorResolved = resolveConfigPaths(editor, rootFolder);
  settings = mergeSettings(settings, editorResolved);
  const includeDirs = [...settings.includePaths];
  const defines: [string, string | undefined][] = settings.defines.map(parseDefine);
  const undefines: string[] = [];
  const forcedIncludes = [...settings.forcedIncludes];
  const db = findCompileDatabase(path, settings.compileCommands);
  const flags = db && compileFlagsFor(db, path);
  if (db && flags) {
    sources.push(db.file);
    includeDirs.unshift(...flags.includeDirs.filter((d) => !includeDirs.includes(d)));
    defines.unshift(...flags.defines);
    undefines.push(...flags.undefines);
    forcedIncludes.unshift(...flags.forcedIncludes);
  }
  const analysis: AnalysisOptions = { abis: settings.abis, includeDirs, defines, undefines, forcedIncludes };
  return { settings, analysis, key: JSON.stringify(analysis), sources };
}
