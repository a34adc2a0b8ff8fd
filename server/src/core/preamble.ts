/**
 * Preambles, as clangd builds them: the leading `#include` block of a
 * document (with the comments, `#pragma once` and `#define`s among it) is
 * preprocessed and parsed once per ABI and options, and reused while it is
 * unchanged and none of the files it read changed. An edit below it then
 * costs only the body: the body is preprocessed starting from the preamble's
 * final macro table (`initialMacros`, shared and copied only if the body
 * defines or undefines something, so `#ifdef`, include guards, expansions
 * and `#undef` behave as in one pass) and parsed with the preamble's
 * declarations as fallback; the two halves are merged back into one
 * `AbiUnit`, so every feature sees what a whole-file analysis would give.
 *
 * The preamble's `#pragma pack` tokens are replayed in front of the body,
 * so a pack left pushed by the include block (`#include <pshpack1.h>` as the
 * first include) packs the body exactly as in one pass.
 *
 * Known difference from one pass, accepted for speed (and avoided by turning
 * `ioctlLens.preamble` off): a `#pragma once` header (without a guard macro)
 * included again by the body is read again.
 */

import { type Abi, type AbiName, type Language, abis } from './abi';
import { type AbiUnit, type AnalysisOptions, type Session, analyzeFile, createSession } from './analyze';
import type { TranslationUnit } from './ast';
import { createLayoutContext } from './layout';
import { parse } from './parser';
import { builtinIncludeDir } from './prelude';
import { type Comment, type LexCache, type MacroDef, type PreprocessResult, preprocess } from './preprocess';
import type { Diagnostic } from './diagnostics';
import { type FileHost, type Loc, dirname, normalizePath, overlayHost } from './source';
import { type Token, TokKind } from './token';

const externC = /^extern\s*"C"\s*\{$/;

/**
 * Where the preamble ends: after the last `#include` of the leading block of
 * directives and comments. For a C unit (`language` `'c'`) the block may also
 * hold the `#ifdef __cplusplus` / `extern "C" {` / `#endif` opening that
 * headers and generated sources (MIDL's `_i.c`) put before their includes:
 * C never enters that group, so it yields nothing either way (`analyze`
 * checks that the preamble indeed yielded no token of its own, and reads
 * the file in one pass if it did).
 */
export function preambleEnd(text: string, language?: Language): number {
  let pos = 0;
  let end = 0;
  let inComment = false;
  /** The line at `pos` without its comments, trimmed (undefined inside a comment that goes on), and where the next starts. */
  const readLine = (): { t: string | undefined; lineEnd: number } => {
    const nl = text.indexOf('\n', pos);
    const lineEnd = nl < 0 ? text.length : nl + 1;
    // Without its line break: `$` in the comment pattern below must see the end of the line.
    let line = text.slice(pos, nl < 0 ? text.length : nl).replace(/\r$/, '');
    if (inComment) {
      const close = line.indexOf('*/');
      if (close < 0) return { t: undefined, lineEnd };
      inComment = false;
      line = line.slice(close + 2);
    }
    // Strip complete comments, note an unterminated one.
    line = line.replace(/\/\*.*?\*\//g, ' ').replace(/\/\/.*$/, '');
    const open = line.indexOf('/*');
    if (open >= 0) {
      inComment = true;
      line = line.slice(0, open);
    }
    return { t: line.trim(), lineEnd };
  };
  /** Steps over an `extern "C" {` group for C++ (see above); false if what follows is not one. */
  const cplusplusGroup = (): boolean => {
    while (pos < text.length) {
      const { t, lineEnd } = readLine();
      pos = lineEnd;
      if (t === undefined || t === '' || externC.test(t)) continue;
      return /^#\s*endif$/.test(t) && !inComment;
    }
    return false;
  };
  while (pos < text.length) {
    const { t, lineEnd } = readLine();
    if (t === undefined || t === '') {
      pos = lineEnd;
      continue;
    }
    if (/^#\s*include\b/.test(t)) {
      if (inComment || /\\$/.test(t)) break;
      end = lineEnd;
    } else if (/^#\s*(define|undef|pragma\s+once\b)/.test(t)) {
      // A `#define` may continue over several lines.
      let cont = t;
      let next = lineEnd;
      while (/\\\s*$/.test(cont) && next < text.length) {
        const n2 = text.indexOf('\n', next);
        const e2 = n2 < 0 ? text.length : n2 + 1;
        cont = text.slice(next, e2).trim();
        next = e2;
      }
      pos = next;
      continue;
    } else if (language === 'c' && !inComment && /^#\s*(?:ifdef\s+__cplusplus|if\s+defined\s*\(\s*__cplusplus\s*\))$/.test(t)) {
      pos = lineEnd;
      if (!cplusplusGroup()) break;
      continue;
    } else break;
    pos = lineEnd;
  }
  return end;
}

interface Preamble {
  key: string;
  /** The preamble's `#pragma pack` tokens, in order (replayed before the body). */
  pragmas: Token[];
  /** The files it read, with the text it saw (for validity). */
  files: Map<string, string>;
  unit: AbiUnit;
  /** The prelude's macros: the body's only fallback (the preamble's own are its starting table). */
  fallbackMacros: Map<string, MacroDef>;
  /** Prelude and preamble declarations: the body's parse fallback. */
  fallback: TranslationUnit;
  /**
   * The preamble's own text yielded tokens (other than pragmas): an
   * `extern "C" {` group `preambleEnd` took for inactive was entered after
   * all (`__cplusplus` defined some other way). The file is then read in one pass.
   */
  yielded: boolean;
}

/**
 * The directives of a preamble without comments and blank lines (and a C
 * unit's inactive `extern "C" {` spelt one way): two files whose leading
 * blocks differ only there share one preamble.
 */
export function preambleDirectives(preText: string): string {
  return preText
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/.*$/gm, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l)
    .map((l) => (externC.test(l) ? 'extern "C" {' : l))
    .join('\n') + '\n';
}

/**
 * A shared preamble's diagnostics (`#error`, a missing `#include` ...) are
 * located in its virtual file, whose lines are the normalised directives
 * (`preambleDirectives`): those are moved to the directive's line and
 * column in the source file `path` whose preamble text is `preText`.
 * Diagnostics elsewhere (in included headers) are kept as they are.
 */
function sourceDiagnostics(diagnostics: Diagnostic[], virtualPath: string | undefined, path: string, preText: string): Diagnostic[] {
  if (virtualPath === undefined || virtualPath === path || !diagnostics.some((d) => d.loc.file === virtualPath)) return diagnostics;
  // Comments blanked in place (newlines kept), so source lines keep their numbers.
  const lines = preText.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\r\n]/g, ' ')).replace(/\/\/.*$/gm, '').split('\n');
  const starts: number[] = [];
  for (let i = 0, at = 0; i < lines.length; at += lines[i].length + 1, i++) starts.push(at);
  const directiveLines = lines.map((l, i) => i).filter((i) => lines[i].trim() !== '');
  const move = (loc: Loc): Loc => {
    if (loc.file !== virtualPath || directiveLines.length === 0) return loc;
    const i = directiveLines[Math.min(loc.line, directiveLines.length) - 1];
    const col = loc.col + (lines[i].length - lines[i].trimStart().length);
    return { file: path, line: i + 1, col, offset: starts[i] + col - 1 };
  };
  return diagnostics.map((d) => (d.loc.file === virtualPath || d.end?.file === virtualPath ? { ...d, loc: move(d.loc), ...(d.end ? { end: move(d.end) } : {}) } : d));
}

export interface PreambleOptions {
  /**
   * Share one preamble among the files of a folder whose leading blocks hold
   * the same directives (the CLI's translation units: a driver's sources
   * that start with the same `#include "precomp.h"` preprocess and parse it
   * once per ABI, as a PCH would). The preamble is then analysed as a
   * virtual file of that folder, so its own diagnostics are not the file's.
   */
  shareAcrossFiles?: boolean;
}

export interface PreambleCache {
  analyze(path: string, text: string, options: AnalysisOptions, abi: AbiName): AbiUnit;
  /** Drops the preambles of a closed document. */
  forget(path: string): void;
  /** Number of preamble builds so far (tests and logs). */
  readonly builds: number;
}

function mergeUnits(a: TranslationUnit, b: TranslationUnit): TranslationUnit {
  return {
    records: a.records.concat(b.records),
    enums: a.enums.concat(b.enums),
    typedefs: mergeMaps(a.typedefs, b.typedefs),
    tags: mergeMaps(a.tags, b.tags),
    enumConstants: mergeMaps(a.enumConstants, b.enumConstants),
    functions: a.functions.concat(b.functions),
    variables: a.variables.concat(b.variables),
    staticAsserts: a.staticAsserts.concat(b.staticAsserts),
    // C++: the later unit's scopes (a body's parse links its namespaces to the preamble's).
    cxxScope: b.cxxScope ?? a.cxxScope,
  };
}

/**
 * `b`'s entries over a copy of `a` (order: `a`'s keys, then `b`'s new ones).
 * Runs on every edit over the preamble's thousands of names, so it copies
 * with `forEach` rather than through spread entry arrays, which allocate an
 * array per entry only to throw it away.
 */
function mergeMaps<K, V>(a: ReadonlyMap<K, V>, b: ReadonlyMap<K, V>, keep: (value: V) => boolean = () => true): Map<K, V> {
  const out = new Map<K, V>();
  a.forEach((v, k) => out.set(k, v));
  b.forEach((v, k) => {
    if (keep(v)) out.set(k, v);
  });
  return out;
}

/** Per-file lists of both halves; arrays are shared (not copied) unless a file occurs in both. */
function mergeByFile<T>(a: Map<string, T[]>, b: Map<string, T[]>): Map<string, T[]> {
  const out = new Map<string, T[]>(a);
  for (const [k, v] of b) {
    const prev = out.get(k);
    out.set(k, prev ? [...prev, ...v] : v);
  }
  return out;
}

/** The virtual file a folder's shared preamble is analysed as. */
const sharedPath = (path: string): string => `${dirname(path)}/<preamble>.c`;

export function createPreambleCache(session: Session, host: FileHost, cacheOptions: PreambleOptions = {}): PreambleCache {
  const preambles = new Map<string, Preamble>();
  let builds = 0;
  // Pseudo files (`<built-in>` per ABI, which holds the preamble's macros) are keyed by text, a few at a time.
  const pseudo = new Map<string, ReturnType<LexCache['get']>>();
  const lexCache: LexCache = {
    get(path, text) {
      if (path.startsWith('<')) return pseudo.get(`${path}\0${text}`);
      return session.lexCache.get(path, text);
    },
    set(path, text, value) {
      if (!path.startsWith('<')) return session.lexCache.set(path, text, value);
      if (pseudo.size > 16) pseudo.delete(pseudo.keys().next().value!);
      pseudo.set(`${path}\0${text}`, value);
    },
  };

  function valid(p: Preamble): boolean {
    for (const [file, text] of p.files) {
      if (file.startsWith('<')) continue;
      if (host.readFile(file)?.text !== text) return false;
    }
    return true;
  }

  function build(path: string, preText: string, options: AnalysisOptions, abi: AbiName, key: string): Preamble {
    builds++;
    const preHost = overlayHost(host, (p) => (normalizePath(p) === path ? { path, text: preText } : undefined));
    const preSession: Session = { ...createSession(preHost), lexCache: session.lexCache, preludes: session.preludes };
    const full = analyzeFile(preSession, path, { ...options, abis: [abi] }).units.get(abi)!;
    // The expanded token stream has been parsed; only the body's is kept (memory).
    const unit: AbiUnit = { ...full, pp: { ...full.pp, tokens: [] } };
    const pragmas = full.pp.tokens.filter((t) => t.kind === TokKind.Pragma);
    const yielded = full.pp.tokens.some((t) => t.kind !== TokKind.Pragma && t.kind !== TokKind.EOF && t.file.path === path);
    const files = new Map<string, string>();
    for (const [p, f] of unit.pp.files) if (p !== path) files.set(p, f.text);
    // The body starts from the preamble's table (initialMacros); only the prelude is a fallback.
    const fallbackMacros = full.prelude?.macros ?? new Map<string, MacroDef>();
    const prelude = full.prelude?.unit;
    const fallback = prelude ? mergeUnits(prelude, unit.unit) : unit.unit;
    return { key, files, unit, fallbackMacros, fallback, pragmas, yielded };
  }

  function analyzeBody(path: string, text: string, end: number, pre: Preamble, options: AnalysisOptions, abi: Abi): AbiUnit {
    const body = text.slice(0, end).replace(/[^\r\n]/g, ' ') + text.slice(end);
    const bodyHost = overlayHost(session.host, (p) => (normalizePath(p) === path ? { path, text: body } : undefined));
    const pp = preprocess(path, {
      host: bodyHost,
      predefined: {},
      initialMacros: pre.unit.pp.macros,
      includeDirs: [...(options.includeDirs ?? []), builtinIncludeDir],
      fallbackMacros: pre.fallbackMacros,
      cache: lexCache,
    });
    // Replaying the preamble's pack pragmas leaves the parser's pack stack where one pass would.
    const parsed = parse(pre.pragmas.length ? [...pre.pragmas, ...pp.tokens] : pp.tokens, { fallback: pre.fallback, language: pre.unit.language, abi });
    const p0 = pre.unit.pp;
    // The body started from the preamble's table, so its final table is the whole file's
    // (the preamble's own object when the body defined and undefined nothing: read-only).
    const macros = pp.macros;
    const files = mergeMaps(p0.files, pp.files);
    files.set(path, { path, text });
    const comments = mergeByFile<Comment>(p0.comments, pp.comments);
    const merged: PreprocessResult = {
      tokens: pp.tokens,
      diagnostics: p0.diagnostics.concat(pp.diagnostics),
      macros,
      definitions: p0.definitions.concat(pp.definitions),
      files,
      includes: p0.includes.concat(pp.includes),
      comments,
      inactiveLines: mergeByFile(p0.inactiveLines, pp.inactiveLines),
    };
    const unit = mergeUnits(pre.unit.unit, parsed.unit);
    return {
      abi,
      pp: merged,
      unit,
      layout: createLayoutContext(abi, unit),
      // The preamble's own (preprocessor and parser) diagnostics, then the body's.
      diagnostics: [...sourceDiagnostics(pre.unit.diagnostics, cacheOptions.shareAcrossFiles ? sharedPath(path) : undefined, path, text.slice(0, end)), ...pp.diagnostics, ...parsed.diagnostics],
      prelude: pre.unit.prelude,
      language: pre.unit.language,
    };
  }

  return {
    get builds() {
      return builds;
    },
    forget(path) {
      for (const k of [...preambles.keys()]) if (k.startsWith(`${path}\0`)) preambles.delete(k);
    },
    analyze(path, text, options, abi) {
      const end = preambleEnd(text, options.language ?? 'c');
      const onePass = () => analyzeFile(session, path, { ...options, abis: [abi] }).units.get(abi)!;
      if (end === 0) return onePass();
      const preText = text.slice(0, end);
      if (cacheOptions.shareAcrossFiles) {
        const directives = preambleDirectives(preText);
        const virtualPath = sharedPath(path);
        const key = `${virtualPath}\0${abi}\0${JSON.stringify(options)}\0${directives}`;
        let shared = preambles.get(key);
        if (!shared || !valid(shared)) {
          shared = build(virtualPath, directives, options, abi, key);
          preambles.set(key, shared);
        }
        if (shared.yielded) return onePass();
        return analyzeBody(path, text, end, shared, options, abis[abi]);
      }
      const key = `${path}\0${abi}\0${JSON.stringify(options)}\0${preText}`;
      let pre = preambles.get(`${path}\0${abi}`);
      if (!pre || pre.key !== key || !valid(pre)) {
        pre = build(path, preText, options, abi, key);
        preambles.set(`${path}\0${abi}`, pre);
      }
      if (pre.yielded) return onePass();
      return analyzeBody(path, text, end, pre, options, abis[abi]);
    },
  };
}
