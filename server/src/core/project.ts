/**
 * What a driver is, pure: the files of one driver and the options each is
 * compiled with. Three sources, in the order a driver developer's build
 * knows them:
 *
 *  1. a `.vcxproj` (MSBuild, what Windows drivers are built with): its
 *     `ClCompile` and `ClInclude` items, and per configuration|platform the
 *     `AdditionalIncludeDirectories` and `PreprocessorDefinitions` of its
 *     `ClCompile` item definitions (and of single items). Read with
 *     fast-xml-parser; MSBuild conditions of the form
 *     `'$(Configuration)|$(Platform)'=='Release|x64'` select the
 *     configuration, other conditions and properties are not evaluated;
 *  2. a `compile_commands.json` (its entries are one driver);
 *  3. else a folder.
 *
 * The node layer finds the files (`node/project.ts`); this module turns
 * text into `DriverProject`s. Which configuration is analysed: the one asked
 * for (`configuration` in `.ioctl-lens.json`, `check --configuration`, the
 * `ioctlLens.configuration` setting: `Debug|Win32`, or `Debug` for its x64
 * platform when there is one), else `Release|x64` when there is one, else
 * the first x64 one, else the first. Defines that name a platform
 * (`_WIN64`, `_AMD64_`, `_X86_` ...) are dropped: every ABI brings its own
 * predefined macros, and for a kernel-mode source the platform macros a WDK
 * driver build defines (`abi.ts` `driverBuildMacros`).
 */

import { XMLParser } from 'fast-xml-parser';
import { type Diagnostic, diag } from './diagnostics';
import { dirname, joinPath, locAt, normalizePath } from './source';

export interface DriverProject {
  /** A name for messages: the project file's name, or the folder's. */
  name: string;
  kind: 'vcxproj' | 'compile-commands' | 'folder';
  /** The project file, or the folder. */
  path: string;
  /** Sources (`ClCompile`) and headers (`ClInclude`), absolute. */
  sources: string[];
  headers: string[];
  includeDirs: string[];
  defines: [string, string | undefined][];
  /** Built as a kernel-mode driver (`ConfigurationType` Driver, a `DriverType`): `_KERNEL_MODE` is predefined. */
  kernel?: boolean;
  /** The configuration read, `Release|x64`. */
  configuration?: string;
}

/** Macros that say which platform a configuration targets; the ABI's predefined macros say it instead. */
export const platformMacros: ReadonlySet<string> = new Set([
  '_WIN64', '_WIN32', 'WIN32', 'WIN64', '_AMD64_', 'AMD64', '_X86_', 'i386', '_ARM64_', 'ARM64', '_ARM_', 'ARM', 'STD_CALL', '_M_AMD64', '_M_X64', '_M_IX86', '_M_ARM64', '_M_ARM',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  trimValues: true,
  // Every element a list (MSBuild repeats any of them), attributes plain.
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && name !== 'Project',
});

type XmlNode = Record<string, unknown>;

function children(node: unknown, name: string): XmlNode[] {
  if (!node || typeof node !== 'object') return [];
  const v = (node as XmlNode)[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  // A leaf element without attributes is its text.
  return list.map((x) => (typeof x === 'string' ? { '#text': x } : x && typeof x === 'object' ? (x as XmlNode) : {}));
}

function textOf(node: XmlNode): string {
  const t = node['#text'];
  return typeof t === 'string' ? t : '';
}

/** The configuration a condition selects (`'$(Configuration)|$(Platform)'=='Release|x64'`), '' for none, undefined for other conditions. */
function conditionConfig(node: XmlNode): string | undefined {
  const c = node['@Condition'];
  if (typeof c !== 'string') return '';
  const m = /'\$\(Configuration\)\|\$\(Platform\)'\s*==\s*'([^']*)'/.exec(c);
  return m ? m[1] : undefined;
}

function applies(node: XmlNode, config: string): boolean {
  const c = conditionConfig(node);
  return c === '' || c === config;
}

/** `A;B;%(AdditionalIncludeDirectories)` into its entries, MSBuild references dropped. */
function splitList(text: string): string[] {
  return text
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s && !/^%\(.*\)$/.test(s));
}

function resolvePath(dir: string, p: string): string | undefined {
  let q = p.replace(/\\/g, '/').replace(/^\$\((ProjectDir|MSBuildProjectDirectory|MSBuildThisFileDirectory)\)\/?/i, '');
  if (/\$\(/.test(q)) return undefined; // a property we do not evaluate (the WDK's own include paths ...)
  q = q.replace(/\/+$/, '');
  return normalizePath(/^([a-zA-Z]:)?\//.test(q) ? q : joinPath(dir, q || '.'));
}

function parseDefine(d: string): [string, string | undefined] {
  const eq = d.indexOf('=');
  return eq < 0 ? [d.trim(), undefined] : [d.slice(0, eq).trim(), d.slice(eq + 1).trim()];
}

/**
 * The configuration to read among a project's `configs`: `wanted` when given
 * (`Configuration|Platform`, or a `Configuration` alone for its x64 platform
 * when there is one, else its first; case-insensitive), else the default.
 * `missing` when the project has no configuration `wanted` names (the
 * default is read then).
 */
export function chooseConfiguration(configs: readonly string[], wanted?: string): { config: string; missing?: boolean } {
  const fallback = configs.find((c) => /^release\|x64$/i.test(c)) ?? configs.find((c) => /\|x64$/i.test(c)) ?? configs[0] ?? '';
  if (!wanted) return { config: fallback };
  const w = wanted.toLowerCase();
  const named = w.includes('|') ? configs.filter((c) => c.toLowerCase() === w) : configs.filter((c) => c.toLowerCase().split('|')[0] === w);
  const hit = named.find((c) => /\|x64$/i.test(c)) ?? named[0];
  return hit !== undefined ? { config: hit } : { config: fallback, missing: true };
}

/** A `.vcxproj`'s files and options for one configuration (see `chooseConfiguration`). */
export function parseVcxproj(text: string, path: string, options: { configuration?: string } = {}): { project?: DriverProject; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  let doc: XmlNode;
  try {
    doc = parser.parse(text) as XmlNode;
  } catch (err) {
    diagnostics.push(diag('project-unreadable', locAt({ path, text }, 0), [err instanceof Error ? err.message : String(err)]));
    return { diagnostics };
  }
  const project = (doc.Project ?? {}) as XmlNode;
  const dir = dirname(path);
  // Configurations: declared ones, else those conditions name.
  const configs: string[] = [];
  for (const group of children(project, 'ItemGroup')) for (const pc of children(group, 'ProjectConfiguration')) if (typeof pc['@Include'] === 'string') configs.push(pc['@Include'] as string);
  const { config, missing } = chooseConfiguration(configs, options.configuration);
  if (missing) diagnostics.push(diag('project-no-configuration', locAt({ path, text }, 0), [options.configuration!, configs.join(', ') || 'none', config || 'its items alone']));
  let kernel = false;
  for (const group of children(project, 'PropertyGroup')) {
    if (!applies(group, config)) continue;
    for (const t of children(group, 'ConfigurationType')) if (/^driver$/i.test(textOf(t))) kernel = true;
    for (const t of children(group, 'DriverType')) if (/^(wdm|kmdf|export)$/i.test(textOf(t))) kernel = true;
  }
  const includeDirs: string[] = [];
  const defines: [string, string | undefined][] = [];
  const addOptions = (cl: XmlNode) => {
    for (const inc of children(cl, 'AdditionalIncludeDirectories')) {
      if (!applies(inc, config)) continue;
      for (const d of splitList(textOf(inc))) {
        const p = resolvePath(dir, d);
        if (p && !includeDirs.includes(p)) includeDirs.push(p);
      }
    }
    for (const def of children(cl, 'PreprocessorDefinitions')) {
      if (!applies(def, config)) continue;
      for (const d of splitList(textOf(def))) {
        const pair = parseDefine(d);
        if (!pair[0] || platformMacros.has(pair[0]) || /\$\(/.test(d)) continue;
        if (!defines.some(([n]) => n === pair[0])) defines.push(pair);
      }
    }
  };
  for (const group of children(project, 'ItemDefinitionGroup')) {
    if (!applies(group, config)) continue;
    for (const cl of children(group, 'ClCompile')) addOptions(cl);
  }
  const sources: string[] = [];
  const headers: string[] = [];
  /** The files an item of the configuration names (wildcards left out); false when the item does not apply. */
  const addItem = (item: XmlNode, out: string[]): boolean => {
    const inc = item['@Include'];
    if (typeof inc !== 'string' || !applies(item, config)) return false;
    for (const f of splitList(inc)) {
      const p = resolvePath(dir, f);
      if (p && !/[*?]/.test(p)) out.push(p);
    }
    return true;
  };
  for (const group of children(project, 'ItemGroup')) {
    if (!applies(group, config)) continue;
    // Per-item options (WinDivert writes its include path on the item).
    for (const cl of children(group, 'ClCompile')) if (addItem(cl, sources)) addOptions(cl);
    for (const h of children(group, 'ClInclude')) addItem(h, headers);
  }
  const name = path.slice(path.lastIndexOf('/') + 1);
  const out: DriverProject = { name, kind: 'vcxproj', path, sources, headers, includeDirs, defines, configuration: config || undefined };
  if (kernel) out.kernel = true;
  return { project: out, diagnostics };
}

/** Headers whose inclusion makes a source kernel-mode code. */
export const kernelHeaders: ReadonlySet<string> = new Set(['wdm.h', 'ntddk.h', 'ntifs.h', 'ndis.h', 'wdf.h', 'fltkernel.h', 'ntddk_ex.h', 'wdmsec.h']);

const includeLine = /^[ \t]*#[ \t]*include[ \t]*[<"]([^>"\r\n]+)[>"]/gm;

/** The names a file `#include`s (lower case, last path component). */
export function includedNames(text: string): string[] {
  const out: string[] = [];
  includeLine.lastIndex = 0;
  for (let m = includeLine.exec(text); m; m = includeLine.exec(text)) {
    const n = m[1].trim().replace(/\\/g, '/');
    out.push(n.slice(n.lastIndexOf('/') + 1).toLowerCase());
  }
  return out;
}

/** Files by their name without the folder, lower-cased (how an `#include` matches them whatever the folder and case). */
export function filesByName(files: readonly string[]): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const f of files) {
    const base = f.slice(f.lastIndexOf('/') + 1).toLowerCase();
    const list = byName.get(base);
    if (list) list.push(f);
    else byName.set(base, [f]);
  }
  return byName;
}

/**
 * Sources that include a kernel header, directly or through the driver's own
 * headers (matched by file name): they are compiled with `_KERNEL_MODE`.
 */
export function kernelModeSources(sources: readonly string[], files: readonly string[], read: (p: string) => string | undefined): Set<string> {
  const byName = filesByName(files);
  const memo = new Map<string, boolean>();
  const kernelFile = (f: string): boolean => {
    const hit = memo.get(f);
    if (hit !== undefined) return hit;
    memo.set(f, false);
    let result = false;
    for (const n of includedNames(read(f) ?? '')) {
      if (kernelHeaders.has(n)) result = true;
      else for (const g of byName.get(n) ?? []) if (kernelFile(g)) result = true;
      if (result) break;
    }
    memo.set(f, result);
    return result;
  };
  return new Set(sources.filter(kernelFile));
}
