/**
 * In-process entry point for `ioctl-lens layout`, shared by the CLI and the
 * differential tests: analyses each named file through the disk host and
 * returns the per-ABI reports and the merged diagnostics.
 */

import * as nodePath from 'node:path';
import type { AbiName } from '../core/abi';
import { analyzeFile, createSession, lexedTokens, mergedDiagnostics } from '../core/analyze';
import type { Diagnostic } from '../core/diagnostics';
import { type AbiReport, buildReports } from '../core/report';
import { normalizePath } from '../core/source';
import { diskHost } from './host';
import { append } from '../core/arrays';
import { languageFor, type LanguageSetting } from '../core/language';
import type { FileHost } from '../core/source';

/** A file through the host (undefined when it cannot be read: the analysis reports that). */
function readText(host: FileHost, path: string): { path: string; text: string } | undefined {
  try {
    const got = host.readFile(path);
    return got?.text === undefined ? undefined : { path: normalizePath(got.path), text: got.text };
  } catch {
    return undefined;
  }
}

export interface LayoutRequest {
  files: string[];
  abis: AbiName[];
  includeDirs?: string[];
  defines?: [string, string | undefined][];
  undefines?: string[];
  forcedIncludes?: string[];
  /** List records of every file in the translation unit (except the prelude), not just the named ones. */
  allFiles?: boolean;
  /** Default true. */
  prelude?: boolean;
  /** `c`, `cpp`, or (the default) `auto`: each file's language by extension, or for a `.h` by what it uses (core/language.ts). */
  language?: LanguageSetting;
}

export const absolute = (p: string): string => normalizePath(nodePath.resolve(p));

export function layoutReports(request: LayoutRequest): { reports: AbiReport[]; diagnostics: Diagnostic[] } {
  const host = diskHost();
  const session = createSession(host);
  const files = request.files.map(absolute);
  const byAbi = new Map<AbiName, AbiReport>(request.abis.map((a) => [a, { abi: a, records: [] }]));
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const read = readText(session.host, file);
    const analysis = analyzeFile(session, file, {
      abis: request.abis,
      includeDirs: request.includeDirs?.map(absolute),
      defines: request.defines,
      undefines: request.undefines,
      forcedIncludes: request.forcedIncludes,
      prelude: request.prelude,
      // A header sniffed for C++ is lexed into the session's cache: the analysis takes its tokens from there.
      language: languageFor(file, { setting: request.language, text: read?.text, tokens: read && (() => lexedTokens(session, read.path, read.text)) }),
    });
    const selection = { files: request.allFiles ? ('all' as const) : new Set([file]) };
    for (const report of buildReports(analysis, selection)) {
      const target = byAbi.get(report.abi)!;
      for (const r of report.records) {
        // A header named twice, or included by another named file, is listed once.
        const key = `${report.abi}\0${r.file}\0${r.line}\0${r.name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        target.records.push(r);
      }
    }
    append(diagnostics, mergedDiagnostics(analysis));
  }
  return { reports: [...byAbi.values()], diagnostics };
}
