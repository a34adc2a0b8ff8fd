/**
 * The pipeline: for one main file and each requested ABI, preprocess with
 * that ABI's predefined macros, parse, and open a layout context. This is the
 * verb every front end (CLI, language server, tests) calls.
 *
 * Why once per ABI: `#if defined(_WIN64)` can change the declarations
 * themselves, so an x86 and an x64 view of a header are two translation
 * units. Lexed files are shared across ABIs and runs through the session's
 * `LexCache`, and the built-in prelude is preprocessed and parsed once per
 * ABI per session.
 */

import { type Abi, type AbiName, type Language, abis, driverBuildMacros, predefinedFor } from './abi';
import type { TranslationUnit } from './ast';
import type { Diagnostic } from './diagnostics';
import { type LayoutContext, createLayoutContext } from './layout';
import { parse } from './parser';
import { type LexCache, type MacroDef, type PreprocessResult, lexedFile, preprocess } from './preprocess';
import { builtinHeaders, builtinIncludeDir, preludePath, preludeText } from './prelude';
import { type FileHost, overlayHost } from './source';
import type { Token } from './token';

export interface AnalysisOptions {
  abis: readonly AbiName[];
  includeDirs?: readonly string[];
  defines?: readonly (readonly [string, string | undefined])[];
  undefines?: readonly string[];
  forcedIncludes?: readonly string[];
  /** Default true: resolve otherwise-unknown Windows names through the built-in prelude. */
  prelude?: boolean;
  /** Default `'c'`. `'cpp'` predefines the C++ macros (`__cplusplus` ...) and parses C++ declarations. */
  language?: Language;
  /** How many translation units one analysis stands for (check's umbrella units): scales the preprocessor's work budgets. */
  budgetScale?: number;
  /** A kernel-mode source of a driver build: each ABI also predefines the platform macros the WDK's build does (`driverBuildMacros`). */
  driverBuild?: boolean;
}

export interface AbiUnit {
  abi: Abi;
  pp: PreprocessResult;
  unit: TranslationUnit;
  layout: LayoutContext;
  /** Preprocessor, parser and (lazily added) layout diagnostics for this ABI. */
  diagnostics: Diagnostic[];
  /** The built-in prelude this unit fell back on (absent with `prelude: false`). */
  prelude?: Prelude;
  /** The language the unit was read as. */
  language: Language;
}

export interface Analysis {
  path: string;
  units: Map<AbiName, AbiUnit>;
}

/** The first ABI unit: names, locations and symbols are taken from it. */
export function primaryUnit(a: Analysis): AbiUnit | undefined {
  return a.units.values().next().value;
}

/** The built-in prelude, preprocessed and parsed for one ABI (see prelude.ts). */
export interface Prelude {
  macros: Map<string, MacroDef>;
  unit: TranslationUnit;
}

/** State shared across analyses: lexed files and the per-ABI (and per-language) prelude. */
export interface Session {
  host: FileHost;
  lexCache: LexCache;
  /** Keyed by ABI name for C (`x64`), by ABI name and language for C++ (`x64:cpp`). */
  preludes: Map<string, Prelude>;
}

/** The host, plus the built-in packing headers under `<builtin>/` (searched last). */
function withBuiltins(host: FileHost): FileHost {
  const prefix = builtinIncludeDir + '/';
  return overlayHost(host, (path) => {
    if (!path.startsWith(prefix)) return undefined;
    // Nothing else lives under the built-in folder: the disk is not asked.
    const name = path.slice(prefix.length).toLowerCase();
    const text = builtinHeaders[name];
    return text === undefined ? null : { path: prefix + name, text };
  });
}

export function createSession(host: FileHost): Session {
  const entries = new Map<string, { text: string; value: Parameters<LexCache['set']>[2] }>();
  const lexCache: LexCache = {
    get(path, text) {
      const e = entries.get(path);
      return e && e.text === text ? e.value : undefined;
    },
    set(path, text, value) {
      entries.set(path, { text, value });
    },
  };
  return { host: withBuiltins(host), lexCache, preludes: new Map() };
}

/**
 * A file's tokens through the session's lex cache (lexed and cached when
 * new): what a front end reads before analysing the file (the C++ sniff of a
 * header) is then not lexed again by the analysis, which still reports the
 * lexer's diagnostics. `path` as the host names the file.
 */
export function lexedTokens(session: Session, path: string, text: string): readonly Token[] {
  return lexedFile(session.lexCache, path, text).tokens;
}

/**
 * Preprocesses and parses the built-in prelude for one ABI and language
 * (uncached: sessions keep their own). The prelude is C either way; a C++
 * unit's copy sees `__cplusplus`, so `NULL` is `0` there as in MSVC's headers.
 */
export function buildPrelude(abi: Abi, cache?: LexCache, language: Language = 'c'): Prelude {
  const host: FileHost = { readFile: (p) => (p === preludePath ? { path: preludePath, text: preludeText } : undefined) };
  const pp = preprocess(preludePath, { host, predefined: predefinedFor(abi, language), cache });
  for (const m of pp.macros.values()) m.prelude = true;
  const { unit } = parse(pp.tokens);
  for (const t of unit.typedefs.values()) t.prelude = true;
  return { macros: pp.macros, unit };
}

/** The session's prelude for one ABI and language, built on first use. */
export function preludeFor(session: Session, abi: Abi, language: Language = 'c'): Prelude {
  const key = language === 'c' ? abi.name : `${abi.name}:${language}`;
  let prelude = session.preludes.get(key);
  if (!prelude) session.preludes.set(key, (prelude = buildPrelude(abi, session.lexCache, language)));
  return prelude;
}

export function analyzeFile(session: Session, path: string, options: AnalysisOptions): Analysis {
  const units = new Map<AbiName, AbiUnit>();
  const language = options.language ?? 'c';
  for (const name of options.abis) {
    const abi = abis[name];
    const prelude = options.prelude === false ? undefined : preludeFor(session, abi, language);
    const pp = preprocess(path, {
      host: session.host,
      predefined: options.driverBuild ? { ...predefinedFor(abi, language), ...driverBuildMacros[abi.name] } : predefinedFor(abi, language),
      defines: options.defines,
      undefines: options.undefines,
      includeDirs: [...(options.includeDirs ?? []), builtinIncludeDir],
      forcedIncludes: options.forcedIncludes,
      fallbackMacros: prelude?.macros,
      cache: session.lexCache,
      budgetScale: options.budgetScale,
    });
    const parsed = parse(pp.tokens, { fallback: prelude?.unit, language, abi });
    const diagnostics = [...pp.diagnostics, ...parsed.diagnostics];
    const layout = createLayoutContext(abi, parsed.unit);
    units.set(name, { abi, pp, unit: parsed.unit, layout, diagnostics, prelude, language });
  }
  return { path, units };
}

/**
 * Diagnostics of all ABIs, merged: one entry per (code, place, message), with
 * the ABIs it occurred on when that is not all of them. Includes layout
 * diagnostics produced so far (lay records out first).
 */
export function mergedDiagnostics(analysis: Analysis): (Diagnostic & { abis?: AbiName[] })[] {
  const byKey = new Map<string, Diagnostic & { abis: AbiName[] }>();
  const all = [...analysis.units.keys()];
  for (const [name, u] of analysis.units) {
    for (const d of [...u.diagnostics, ...u.layout.diagnostics]) {
      const key = `${d.code}\0${d.loc.file}\0${d.loc.offset}\0${d.message}`;
      const seen = byKey.get(key);
      if (seen) {
        if (!seen.abis.includes(name)) seen.abis.push(name);
      } else byKey.set(key, { ...d, abis: [name] });
    }
  }
  return [...byKey.values()].map((d) => (d.abis.length === all.length ? { ...d, abis: undefined } : d));
}
