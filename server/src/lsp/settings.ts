/**
 * Settings: the editor's `ioctlLens.*` settings merged over the workspace
 * configuration file (`.ioctl-lens.json`, the file the CLI reads) and
 * `compile_commands.json` (found as clangd finds it: the file's folder and
 * each parent, directly or under `build/`), turned into the core's
 * `AnalysisOptions` for one file.
 *
 * Settings: built-in defaults, then `.ioctl-lens.json` (ABIs, rules, the
 * editor switches), then the editor's. Analysis options: `core/options.ts`
 * (the one resolution `ioctl-lens check` uses too): `compile_commands.json`
 * flags for the file, `.ioctl-lens.json`, then the editor's settings.
 */

import * as nodePath from 'node:path';
import { type AbiName, defaultAbis, isAbiName } from '../core/abi';
import type { AnalysisOptions } from '../core/analyze';
import { compileOptionsFor } from '../core/config';
import { type LanguageSetting, parseLanguage } from '../core/language';
import { type OptionSources, resolveOptions } from '../core/options';
import type { Diagnostic } from '../core/diagnostics';
import { dirname, normalizePath } from '../core/source';
import { type LoadedConfig, loadConfig } from '../node/config';
import type { InlayMode } from './languageService';

export type RuleSeverity = 'error' | 'warning' | 'info' | 'hint' | 'off';

export interface Settings {
  abis: AbiName[];
  includePaths: string[];
  defines: string[];
  forcedIncludes: string[];
  /** Path to `compile_commands.json` or its folder; empty: search as clangd does. */
  compileCommands: string;
  /** How generated shadows spell pointers and handles: `ULONG` or `VOID * POINTER_32` (the CLI's `thunk --style`). */
  thunkStyle: 'ulong' | 'pointer32';
  inlayHints: InlayMode;
  codeLens: boolean;
  rules: Record<string, RuleSeverity>;
  /** Milliseconds to wait after an edit before re-analysing. */
  debounce: number;
  /** Reuse the analysis of a document's leading #include block across edits (see preamble.ts). */
  preamble: boolean;
  index: { enabled: boolean; maxFiles: number };
  /** `c` / `cpp` for every file, or `auto`: by compile command, extension, language id, the header itself (core/language.ts). */
  language: LanguageSetting;
  /** False: no `_KERNEL_MODE` for kernel-mode sources (the CLI's `check --no-kernel-mode`). */
  kernelMode: boolean;
  /** The `.vcxproj` configuration read (`Debug|Win32`, `Debug`); empty: `Release|x64` (the CLI's `check --configuration`). */
  configuration: string;
}

export const defaultSettings: Settings = {
  abis: [...defaultAbis],
  includePaths: [],
  defines: [],
  forcedIncludes: [],
  compileCommands: '',
  thunkStyle: 'ulong',
  inlayHints: 'differing',
  codeLens: true,
  rules: {},
  debounce: 0,
  preamble: true,
  index: { enabled: true, maxFiles: 5000 },
  language: 'auto',
  kernelMode: true,
  configuration: '',
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
  if (r.thunkStyle === 'ulong' || r.thunkStyle === 'pointer32') out.thunkStyle = r.thunkStyle;
  const language = typeof r.language === 'string' ? parseLanguage(r.language) : undefined;
  if (language) out.language = language;
  if (typeof r.kernelMode === 'boolean') out.kernelMode = r.kernelMode;
  if (typeof r.configuration === 'string') out.configuration = r.configuration.trim();
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

// ---------------------------------------------------------------- workspace configuration and compile_commands.json

/**
 * The CLI's own loader (node/config.ts) finds and parses `.ioctl-lens.json`
 * and `compile_commands.json`, so the editor and `ioctl-lens check` read the
 * same files the same way. Loaded configurations are cached per folder until
 * a watched file changes.
 */
const loadedConfigs = new Map<string, LoadedConfig>();

/** Problems found in configuration files (bad entries, unreadable files), by file; the server publishes them. */
export const configProblems = new Map<string, Diagnostic[]>();
let configGeneration = 0;

/** Bumped whenever configurations are (re)loaded, so the server knows to republish their problems. */
export function configurationGeneration(): number {
  return configGeneration;
}

/** Forget cached configurations (a configuration file or compile database changed). */
export function invalidateCompileDatabases(): void {
  loadedConfigs.clear();
  configProblems.clear();
  configGeneration++;
}

function loadFor(dir: string, compileCommandsPath: string | undefined, log?: (m: string) => void): LoadedConfig {
  const key = `${dir}\0${compileCommandsPath ?? ''}`;
  let loaded = loadedConfigs.get(key);
  if (!loaded) {
    loaded = loadConfig(dir, { compileCommandsPath: compileCommandsPath || undefined });
    for (const d of loaded.diagnostics) log?.(`${d.loc.file}:${d.loc.line}:${d.loc.col}: ${d.message}`);
    for (const file of [loaded.configPath, loaded.compileCommands?.path]) if (file && !configProblems.has(file)) configProblems.set(file, []);
    for (const d of loaded.diagnostics) {
      const list = configProblems.get(d.loc.file) ?? [];
      if (!list.some((x) => x.loc.offset === d.loc.offset && x.message === d.message)) list.push(d);
      configProblems.set(d.loc.file, list);
    }
    configGeneration++;
    loadedConfigs.set(key, loaded);
  }
  return loaded;
}

function resolveEditorPaths(raw: unknown, folder: string): unknown {
  if (!raw || typeof raw !== 'object') return raw;
  const r = { ...(raw as Record<string, unknown>) };
  const abs = (p: string) => normalizePath(nodePath.resolve(folder, p));
  for (const k of ['includePaths', 'includeDirs', 'forcedIncludes']) {
    const v = strings(r[k]);
    if (v) r[k] = v.map(abs);
  }
  if (typeof r.compileCommands === 'string' && r.compileCommands) {
    const cc = abs(r.compileCommands);
    r.compileCommands = cc.endsWith('.json') ? cc : `${cc}/compile_commands.json`;
  }
  return r;
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

/** What the editor knows about a document that decides its language: its language id and text. */
export interface DocumentHints {
  languageId?: string;
  text?: string;
}

/** The driver project a file belongs to, as `check` finds it (the workspace index), for the `.vcxproj` configuration asked for. */
export type ProjectOf = (path: string, configuration: string | undefined) => OptionSources['project'];

/**
 * Resolves the effective settings and analysis options for one file: the
 * editor's settings over `.ioctl-lens.json` (its ABIs, rules and editor
 * switches), and the analysis options from `core/options.ts`, the function
 * `ioctl-lens check` uses too (the document's language id and text join the
 * evidence for its language; `projectOf`, the driver's options and whether
 * the file is a kernel-mode source).
 */
export function optionsFor(path: string, editor: unknown, roots: readonly string[], log?: (m: string) => void, document: DocumentHints = {}, projectOf?: ProjectOf): FileOptions {
  const sources: string[] = [];
  const rootFolder = roots.find((r) => path.startsWith(r + '/')) ?? roots[0] ?? dirname(path);
  const editorResolved = resolveEditorPaths(editor, rootFolder) as Record<string, unknown> | undefined;
  const real = path.startsWith('/') || /^[A-Za-z]:/.test(path);
  const loaded = real ? loadFor(dirname(path), typeof editorResolved?.compileCommands === 'string' ? editorResolved.compileCommands : undefined, log) : undefined;
  let settings = defaultSettings;
  if (loaded?.configPath) {
    sources.push(loaded.configPath);
    const c = loaded.config;
    settings = mergeSettings(settings, { abis: c.abis, rules: c.rules, kernelMode: c.kernelMode, configuration: c.configuration, ...c.editor });
  }
  settings = mergeSettings(settings, editorResolved);
  const entry = loaded?.compileCommands ? compileOptionsFor(loaded.compileCommands.entries, path) : undefined;
  if (loaded?.compileCommands && entry) sources.push(loaded.compileCommands.path);
  const { analysis } = resolveOptions({
    project: projectOf?.(path, settings.configuration || undefined),
    compile: entry,
    config: loaded?.configPath ? loaded.config : undefined,
    frontEnd: {
      abis: settings.abis,
      includeDirs: settings.includePaths,
      defines: settings.defines.map(parseDefine),
      forcedIncludes: settings.forcedIncludes,
      language: settings.language,
      kernelMode: settings.kernelMode,
    },
    file: { path, languageId: document.languageId, text: document.text },
  });
  return { settings, analysis, key: JSON.stringify(analysis), sources };
}
