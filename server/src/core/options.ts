/**
 * A file's analysis options, resolved in one place for every front end: the
 * CLI's `check` and the language server give the same file the same
 * options, so they analyse it the same way.
 *
 * The layers, lowest precedence first:
 *
 *  1. the driver project the file belongs to (a `.vcxproj`'s include
 *     directories and defines; `_KERNEL_MODE`, and the target's platform
 *     macros as the WDK's build defines them (`driverBuild`: `_AMD64_`,
 *     `_X86_` ...), for a kernel-mode driver's source, unless `kernelMode`
 *     is false in the front end's options or, failing those, in
 *     `.ioctl-lens.json`);
 *  2. the file's `compile_commands.json` entry (its own, or as clangd
 *     guesses it for a header);
 *  3. `.ioctl-lens.json`;
 *  4. the front end's own: the editor's `ioctlLens.*` settings, or the
 *     command line's `-I`/`-D`/`-U`/`--include`/`--abi`.
 *
 * Include directories and forced includes are searched in that order (a
 * directory named twice is kept where it first appears); defines apply in
 * that order, so a later layer's definition wins; the ABIs and rule
 * severities of a later layer replace an earlier one's.
 *
 * The file's language (C or C++) is decided by `core/language.ts` from the
 * same layers: an explicit front-end or `.ioctl-lens.json` choice, then the
 * compile command's flags, the extension, the driver's sources, the header.
 *
 * Invariant: pure data in, data out. Finding and reading the files is the
 * node layer's (`node/config.ts`, `node/project.ts`).
 */

import { type AbiName, defaultAbis } from './abi';
import type { AnalysisOptions } from './analyze';
import type { Language } from './abi';
import type { RuleId } from './checks/catalogue';
import type { RuleSetting, WorkspaceConfig } from './config';
import { type LanguageSetting, languageFor } from './language';

/** What one layer says about a file's compilation. */
export interface OptionLayer {
  includeDirs?: readonly string[];
  defines?: readonly (readonly [string, string | undefined])[];
  undefines?: readonly string[];
  forcedIncludes?: readonly string[];
}

export interface OptionSources {
  /**
   * The driver project: a `.vcxproj`'s options; `kernel` adds `_KERNEL_MODE`;
   * `language`, the language of all the driver's sources when they agree.
   */
  project?: OptionLayer & { kernel?: boolean; language?: Language };
  /** The file's `compile_commands.json` entry (`language`: what its flags say). */
  compile?: OptionLayer & { language?: Language };
  /** `.ioctl-lens.json`. */
  config?: WorkspaceConfig;
  /** The editor's settings or the command line. */
  frontEnd?: OptionLayer & { abis?: readonly AbiName[]; rules?: Partial<Record<RuleId, RuleSetting>>; prelude?: boolean; language?: LanguageSetting; kernelMode?: boolean };
  /**
   * The file itself, for its language: its path (the extension), the
   * editor's language id, its text (a header's own C++). Without it the
   * options leave the language to the analysis (by extension).
   */
  file?: { path: string; languageId?: string; text?: string };
}

export interface ResolvedOptions {
  analysis: AnalysisOptions;
  rules: Partial<Record<RuleId, RuleSetting>>;
}

/** Resolves a file's options from its layers (see the file comment for the order). */
export function resolveOptions(sources: OptionSources): ResolvedOptions {
  const config = sources.config;
  const configLayer: OptionLayer | undefined = config && {
    includeDirs: config.includePaths,
    defines: config.defines,
    undefines: config.undefines,
    forcedIncludes: config.forcedIncludes,
  };
  const kernelMode = sources.frontEnd?.kernelMode ?? config?.kernelMode ?? true;
  const kernel: OptionLayer | undefined = kernelMode && sources.project?.kernel ? { defines: [['_KERNEL_MODE', '1']] } : undefined;
  const layers = [kernel, sources.project, sources.compile, configLayer, sources.frontEnd].filter((l): l is OptionLayer => l !== undefined);
  const unique = (xs: string[]) => [...new Set(xs)];
  const analysis: AnalysisOptions = {
    abis: [...(sources.frontEnd?.abis ?? config?.abis ?? defaultAbis)],
    includeDirs: unique(layers.flatMap((l) => [...(l.includeDirs ?? [])])),
    defines: layers.flatMap((l) => [...(l.defines ?? [])]),
    undefines: layers.flatMap((l) => [...(l.undefines ?? [])]),
    forcedIncludes: unique(layers.flatMap((l) => [...(l.forcedIncludes ?? [])])),
  };
  // With `_KERNEL_MODE`, the target's platform macros a WDK driver build defines (`_AMD64_`, `_X86_` ...).
  if (kernel) analysis.driverBuild = true;
  if (sources.frontEnd?.prelude !== undefined) analysis.prelude = sources.frontEnd.prelude;
  if (sources.file) {
    const chosen = sources.frontEnd?.language;
    analysis.language = languageFor(sources.file.path, {
      setting: chosen && chosen !== 'auto' ? chosen : config?.language,
      compileFlags: sources.compile?.language,
      projectLanguage: sources.project?.language,
      languageId: sources.file.languageId,
      text: sources.file.text,
    });
  }
  return { analysis, rules: { ...(config?.rules ?? {}), ...(sources.frontEnd?.rules ?? {}) } };
}
