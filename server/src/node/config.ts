/**
 * Finding the workspace configuration on disk, as clangd finds its
 * compilation database: walk up from the analysed file's folder to the
 * first `.ioctl-lens.json`, and to the first `compile_commands.json`
 * (also looked for in a `build/` folder at each level). Parsing is the
 * pure core's (`core/config.ts`).
 */

import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { type CompileOptions, type WorkspaceConfig, configFileName, emptyConfig, parseCompileCommands, parseConfig } from '../core/config';
import type { Diagnostic } from '../core/diagnostics';
import { normalizePath } from '../core/source';
import { maxFileBytes, readRegularFile } from './host';
import { append } from '../core/arrays';

/** A compilation database may be much larger than any header. */
export const maxCompileDatabaseBytes = 4 * maxFileBytes;

/** The file's text, or a diagnostic saying why it is not read (missing, a device or FIFO, too large). */
function readConfigText(p: string, limit: number, diagnostics: Diagnostic[]): string | undefined {
  const got = readRegularFile(p, limit);
  if (got !== undefined && 'text' in got) return got.text;
  const why = got === undefined ? `cannot read ${p}` : `${p} is not read: ${got.refused}`;
  diagnostics.push({ code: 'config-invalid', severity: 'error', message: why, loc: { file: p, line: 1, col: 1, offset: 0 } });
  return undefined;
}

function startDir(from: string): string {
  const abs = nodePath.resolve(from);
  try {
    return fs.statSync(abs).isDirectory() ? abs : nodePath.dirname(abs);
  } catch {
    return nodePath.dirname(abs);
  }
}

/** Walks up from a file or folder; returns the first existing candidate. */
export function findUp(from: string, candidates: readonly string[]): string | undefined {
  let dir = startDir(from);
  for (;;) {
    for (const c of candidates) {
      const p = nodePath.join(dir, c);
      if (fs.existsSync(p)) return normalizePath(p);
    }
    const parent = nodePath.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function findConfigFile(from: string): string | undefined {
  return findUp(from, [configFileName]);
}

export function findCompileCommands(from: string): string | undefined {
  return findUp(from, ['compile_commands.json', 'build/compile_commands.json']);
}

export interface LoadedConfig {
  config: WorkspaceConfig;
  configPath?: string;
  compileCommands?: { path: string; entries: CompileOptions[] };
  diagnostics: Diagnostic[];
}

/** The configuration that applies to `from` (a file or folder), with its compile database. */
export function loadConfig(from: string, options: { configPath?: string; compileCommandsPath?: string } = {}): LoadedConfig {
  const diagnostics: Diagnostic[] = [];
  const configPath = options.configPath ? normalizePath(nodePath.resolve(options.configPath)) : findConfigFile(from);
  let config = emptyConfig();
  if (configPath) {
    const text = readConfigText(configPath, maxFileBytes, diagnostics);
    if (text !== undefined) {
      const parsed = parseConfig(text, configPath);
      config = parsed.config;
      append(diagnostics, parsed.diagnostics);
    }
  }
  const ccPath = options.compileCommandsPath
    ? normalizePath(nodePath.resolve(options.compileCommandsPath))
    : config.compileCommands ?? findCompileCommands(from);
  let compileCommands: LoadedConfig['compileCommands'];
  if (ccPath) {
    const text = readConfigText(ccPath, maxCompileDatabaseBytes, diagnostics);
    if (text !== undefined) {
      const parsed = parseCompileCommands(text, ccPath);
      append(diagnostics, parsed.diagnostics);
      compileCommands = { path: ccPath, entries: parsed.entries };
    }
  }
  return { config, configPath, compileCommands, diagnostics };
}
