/**
 * Workspace configuration, pure: the `.ioctl-lens.json` file that the CLI
 * and the editor both read, and the compiler options found in a
 * `compile_commands.json` (the clangd convention). Finding and reading the
 * files is the node layer's job (`node/config.ts`); here text goes in and
 * options plus diagnostics come out.
 *
 *     {
 *       "includePaths": ["inc", "../wdk/include"],
 *       "defines": {"CONTOSO_V2": "1", "DBG": null},   // or ["CONTOSO_V2=1", "DBG"]
 *       "undefines": ["NDEBUG"],
 *       "forcedIncludes": ["windows.h"],
 *       "abis": ["x86", "x64"],
 *       "language": "auto",                              // or "c", "cpp": how files are read
 *       "rules": {"reserved-function-code": "off", "unthunked-pointer": "error"},
 *       "compileCommands": "build/compile_commands.json",
 *       "kernelMode": false,                            // no _KERNEL_MODE for kernel sources
 *       "configuration": "Debug|x64",                   // the .vcxproj configuration read
 *       "inlayHints": "all", "codeLens": true     // the editor's switches
 *     }
 *
 * Comments (`//`, `/* *\/`) and trailing commas are accepted, as in VS Code's
 * own settings files (read with jsonc-parser, VS Code's own reader).
 * Relative paths are relative to the configuration file's folder. Bad
 * entries are diagnostics that point at the value; the rest of the file
 * still applies.
 */

import { type Node as JsonTree, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { type AbiName, type Language, isAbiName } from './abi';
import { type LanguageSetting, languageFromArgs, parseLanguage } from './language';
import { type RuleId, isRuleId } from './checks/catalogue';
import type { Diagnostic, Severity } from './diagnostics';
import { type Loc, dirname, joinPath, locAt } from './source';

export const configFileName = '.ioctl-lens.json';

export type RuleSetting = Severity | 'off';

export interface WorkspaceConfig {
  includePaths: string[];
  defines: [string, string | undefined][];
  undefines: string[];
  forcedIncludes: string[];
  abis?: AbiName[];
  /** `c` or `cpp` reads every file so; `auto` (or absent) goes by the file (core/language.ts). */
  language?: LanguageSetting;
  rules: Partial<Record<RuleId, RuleSetting>>;
  /** Absolute path of a compile_commands.json named by the file. */
  compileCommands?: string;
  /**
   * Default true: a kernel-mode driver's sources (its `.vcxproj` says so, or
   * they include wdm.h/ntddk.h/ntifs.h/ndis.h ...) get `_KERNEL_MODE`, as
   * the `/kernel` switch predefines it; false: never (core/options.ts).
   */
  kernelMode?: boolean;
  /** The `.vcxproj` configuration read, `Configuration|Platform` or `Configuration` (default `Release|x64`). */
  configuration?: string;
  /** What only the editor uses (the CLI reads and checks them too, so one file serves both). */
  editor: EditorConfig;
}

/** The editor's switches a `.ioctl-lens.json` may hold; the editor's own settings override them. */
export interface EditorConfig {
  inlayHints?: 'differing' | 'all' | 'off';
  codeLens?: boolean;
  preamble?: boolean;
  debounce?: number;
  thunkStyle?: 'ulong' | 'pointer32';
}

export const emptyConfig = (): WorkspaceConfig => ({ includePaths: [], defines: [], undefines: [], forcedIncludes: [], rules: {}, editor: {} });

// ---------------------------------------------------------------------------
// JSON with comments (jsonc-parser, VS Code's own), as nodes with offsets for diagnostics

export type JsonNode =
  | { kind: 'object'; start: number; end: number; members: { key: string; keyStart: number; value: JsonNode }[] }
  | { kind: 'array'; start: number; end: number; items: JsonNode[] }
  | { kind: 'string'; start: number; end: number; value: string }
  | { kind: 'number'; start: number; end: number; value: number }
  | { kind: 'boolean'; start: number; end: number; value: boolean }
  | { kind: 'null'; start: number; end: number };

export class JsonError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

const jsonErrorText: Partial<Record<string, string>> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: "expected ':'",
  CommaExpected: "expected ','",
  CloseBraceExpected: "expected '}'",
  CloseBracketExpected: "expected ']'",
  EndOfFileExpected: 'unexpected text after the value',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
};

function fromTree(n: JsonTree): JsonNode {
  const start = n.offset;
  const end = n.offset + n.length;
  switch (n.type) {
    case 'object':
      return {
        kind: 'object',
        start,
        end,
        members: (n.children ?? []).flatMap((p) => {
          const [key, value] = p.children ?? [];
          return key && value ? [{ key: String(key.value), keyStart: key.offset, value: fromTree(value) }] : [];
        }),
      };
    case 'array':
      return { kind: 'array', start, end, items: (n.children ?? []).map(fromTree) };
    case 'string':
      return { kind: 'string', start, end, value: String(n.value) };
    case 'number':
      return { kind: 'number', start, end, value: Number(n.value) };
    case 'boolean':
      return { kind: 'boolean', start, end, value: n.value === true };
    default:
      return { kind: 'null', start, end };
  }
}

/** Parses JSON with comments and trailing commas; throws `JsonError` with an offset on bad syntax. */
export function parseJsonc(text: string): JsonNode {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  const first = errors[0];
  if (first) {
    const code = printParseErrorCode(first.error);
    throw new JsonError(jsonErrorText[code] ?? code, first.offset);
  }
  if (!tree) throw new JsonError('unexpected end of file', text.length);
  return fromTree(tree);
}

// ---------------------------------------------------------------------------
// .ioctl-lens.json

function configDiag(file: { path: string; text: string }, offset: number, end: number, message: string, severity: Severity = 'error'): Diagnostic {
  const src = { path: file.path, text: file.text };
  const loc: Loc = locAt(src, offset);
  return { code: 'config-invalid', severity, message, loc, end: locAt(src, end) };
}

export function parseConfig(text: string, path: string): { config: WorkspaceConfig; diagnostics: Diagnostic[] } {
  const config = emptyConfig();
  const diagnostics: Diagnostic[] = [];
  const file = { path, text };
  const base = dirname(path);
  let root: JsonNode;
  try {
    root = parseJsonc(text);
  } catch (e) {
    const offset = e instanceof JsonError ? e.offset : 0;
    diagnostics.push(configDiag(file, offset, offset + 1, `${configFileName}: ${(e as Error).message}`));
    return { config, diagnostics };
  }
  if (root.kind !== 'object') {
    diagnostics.push(configDiag(file, root.start, root.end, `${configFileName} must hold an object`));
    return { config, diagnostics };
  }
  const bad = (n: JsonNode, message: string, severity: Severity = 'error') => diagnostics.push(configDiag(file, n.start, n.end, message, severity));
  const strings = (n: JsonNode, what: string): string[] => {
    if (n.kind !== 'array') {
      bad(n, `'${what}' must be an array of strings`);
      return [];
    }
    const out: string[] = [];
    for (const item of n.items) {
      if (item.kind === 'string') out.push(item.value);
      else bad(item, `'${what}' entries must be strings`);
    }
    return out;
  };
  for (const m of root.members) {
    const v = m.value;
    switch (m.key) {
      case 'includePaths':
        config.includePaths = strings(v, m.key).map((p) => joinPath(base, p));
        break;
      case 'forcedIncludes':
        // A bare name (`windows.h`) is searched on the include path, as `cc -include` does; paths are made absolute.
        config.forcedIncludes = strings(v, m.key).map((p) => (p.includes('/') || p.includes('\\') ? joinPath(base, p) : p));
        break;
      case 'undefines':
        config.undefines = strings(v, m.key);
        break;
      case 'defines':
        if (v.kind === 'array') config.defines = strings(v, m.key).map(splitDefine);
        else if (v.kind === 'object') {
          for (const d of v.members) {
            if (d.value.kind === 'string') config.defines.push([d.key, d.value.value]);
            else if (d.value.kind === 'number') config.defines.push([d.key, String(d.value.value)]);
            else if (d.value.kind === 'null' || (d.value.kind === 'boolean' && d.value.value)) config.defines.push([d.key, undefined]);
            else bad(d.value, `define '${d.key}' must be a string, a number or null`);
          }
        } else bad(v, `'defines' must be an object {"NAME": "VALUE"} or an array ["NAME=VALUE"]`);
        break;
      case 'abis': {
        const list = strings(v, m.key);
        const abis: AbiName[] = [];
        list.forEach((a, k) => {
          if (isAbiName(a)) abis.push(a);
          else bad(v.kind === 'array' ? v.items[k] : v, `unknown ABI '${a}' (expected x86, x64, arm64 or arm32)`);
        });
        if (abis.length) config.abis = abis;
        break;
      }
      case 'language': {
        const setting = v.kind === 'string' ? parseLanguage(v.value) : undefined;
        if (setting) config.language = setting;
        else bad(v, `'language' must be "auto", "c" or "cpp"`);
        break;
      }
      case 'rules':
        if (v.kind !== 'object') {
          bad(v, `'rules' must be an object {"rule-id": "error" | "warning" | "info" | "off"}`);
          break;
        }
        for (const r of v.members) {
          if (!isRuleId(r.key)) {
            diagnostics.push(configDiag(file, r.keyStart, r.keyStart + r.key.length + 2, `unknown rule '${r.key}'`, 'warning'));
            continue;
          }
          const s = r.value.kind === 'string' ? r.value.value : undefined;
          if (s === 'error' || s === 'warning' || s === 'info' || s === 'off') config.rules[r.key] = s;
          else bad(r.value, `rule '${r.key}' must be "error", "warning", "info" or "off"`);
        }
        break;
      case 'compileCommands':
        if (v.kind === 'string') config.compileCommands = joinPath(base, v.value);
        else bad(v, `'compileCommands' must be a path`);
        break;
      case 'kernelMode':
        if (v.kind === 'boolean') config.kernelMode = v.value;
        else bad(v, `'kernelMode' must be true or false`);
        break;
      case 'configuration':
        if (v.kind === 'string' && v.value.trim()) config.configuration = v.value.trim();
        else bad(v, `'configuration' must be a project configuration such as "Debug|x64" or "Release"`);
        break;
      case 'inlayHints':
        if (v.kind === 'string' && (v.value === 'differing' || v.value === 'all' || v.value === 'off')) config.editor.inlayHints = v.value;
        else if (v.kind === 'boolean') config.editor.inlayHints = v.value ? 'differing' : 'off';
        else bad(v, `'inlayHints' must be "differing", "all" or "off"`);
        break;
      case 'thunkStyle':
        if (v.kind === 'string' && (v.value === 'ulong' || v.value === 'pointer32')) config.editor.thunkStyle = v.value;
        else bad(v, `'thunkStyle' must be "ulong" or "pointer32"`);
        break;
      case 'codeLens':
      case 'preamble':
        if (v.kind === 'boolean') config.editor[m.key] = v.value;
        else bad(v, `'${m.key}' must be true or false`);
        break;
      case 'debounce':
        if (v.kind === 'number' && v.value >= 0 && v.value <= 5000) config.editor.debounce = v.value;
        else bad(v, `'debounce' must be a number of milliseconds from 0 to 5000`);
        break;
      case '$schema':
        break;
      default:
        diagnostics.push(configDiag(file, m.keyStart, m.keyStart + m.key.length + 2, `unknown setting '${m.key}'`, 'warning'));
    }
  }
  return { config, diagnostics };
}

function splitDefine(d: string): [string, string | undefined] {
  const eq = d.indexOf('=');
  return eq < 0 ? [d, undefined] : [d.slice(0, eq), d.slice(eq + 1)];
}

// ---------------------------------------------------------------------------
// compile_commands.json

export interface CompileOptions {
  file: string;
  directory: string;
  includeDirs: string[];
  defines: [string, string | undefined][];
  undefines: string[];
  forcedIncludes: string[];
  /** What the command's flags say the file is compiled as (`-x c++`, `/TP`, `-std=c++17`, `clang++` ...), when they say. */
  language?: Language;
}

/**
 * Splits a command line: POSIX shell rules for plain words and quotes, or,
 * for MSVC-style commands (`cl.exe`, `clang-cl`), Windows rules where a
 * backslash is a path separator except before a quote.
 */
export function splitCommand(command: string, windows = /^\s*"?[^\s"]*?(?:^|[\\/])?(?:clang-)?cl(?:\.exe)?"?(?:\s|$)/i.test(command)): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (c === "'") {
      const e = command.indexOf("'", i + 1);
      cur += command.slice(i + 1, e < 0 ? undefined : e);
      i = e < 0 ? command.length : e;
      inWord = true;
    } else if (c === '"') {
      i++;
      while (i < command.length && command[i] !== '"') {
        if (command[i] === '\\' && (command[i + 1] === '"' || command[i + 1] === '\\')) i++;
        cur += command[i++];
      }
      inWord = true;
    } else if (c === '\\' && i + 1 < command.length && (!windows || command[i + 1] === '"')) {
      cur += command[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) out.push(cur);
  return out;
}

/** Reads -I/-D/-U/-include (and MSVC's /I /D /U /FI) from a compiler's arguments. */
export function compileOptionsFromArgs(args: readonly string[], directory: string, file: string): CompileOptions {
  const out: CompileOptions = { file, directory, includeDirs: [], defines: [], undefines: [], forcedIncludes: [] };
  const includeDir = (v: string) => out.includeDirs.push(joinPath(directory, v));
  const forcedInclude = (v: string) => out.forcedIncludes.push(joinPath(directory, v));
  const define = (v: string) => out.defines.push(splitDefine(v));
  const undefine = (v: string) => out.undefines.push(v);
  const withValue: [string, (v: string) => void][] = [
    ['-isystem', includeDir],
    ['-iquote', includeDir],
    ['-idirafter', includeDir],
    ['-imsvc', includeDir],
    ['-include', forcedInclude],
    ['--include=', forcedInclude],
    ['/FI', forcedInclude],
    ['-I', includeDir],
    ['/I', includeDir],
    ['-D', define],
    ['/D', define],
    ['-U', undefine],
    ['/U', undefine],
  ];
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    for (const [flag, apply] of withValue) {
      if (!a.startsWith(flag)) continue;
      if (a.length > flag.length) apply(a.slice(flag.length));
      else if (!flag.endsWith('=') && i + 1 < args.length) apply(args[++i]);
      break;
    }
  }
  const language = languageFromArgs(args);
  if (language) out.language = language;
  return out;
}

export function parseCompileCommands(text: string, path: string): { entries: CompileOptions[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const entries: CompileOptions[] = [];
  const file = { path, text };
  let root: JsonNode;
  try {
    root = parseJsonc(text);
  } catch (e) {
    const offset = e instanceof JsonError ? e.offset : 0;
    diagnostics.push(configDiag(file, offset, offset + 1, `compile_commands.json: ${(e as Error).message}`));
    return { entries, diagnostics };
  }
  if (root.kind !== 'array') {
    diagnostics.push(configDiag(file, root.start, root.end, 'compile_commands.json must hold an array of entries'));
    return { entries, diagnostics };
  }
  for (const item of root.items) {
    if (item.kind !== 'object') {
      diagnostics.push(configDiag(file, item.start, item.end, 'a compile command must be an object'));
      continue;
    }
    const get = (k: string) => item.members.find((m) => m.key === k)?.value;
    const dir = get('directory');
    const f = get('file');
    const args = get('arguments');
    const command = get('command');
    if (dir?.kind !== 'string' || f?.kind !== 'string') {
      diagnostics.push(configDiag(file, item.start, item.end, "a compile command needs 'directory' and 'file'"));
      continue;
    }
    let argv: string[];
    if (args?.kind === 'array') argv = args.items.map((a) => (a.kind === 'string' ? a.value : ''));
    else if (command?.kind === 'string') argv = splitCommand(command.value);
    else {
      diagnostics.push(configDiag(file, item.start, item.end, "a compile command needs 'arguments' or 'command'"));
      continue;
    }
    const directory = joinPath(dirname(path), dir.value);
    entries.push(compileOptionsFromArgs(argv, directory, joinPath(directory, f.value)));
  }
  return { entries, diagnostics };
}

/**
 * The entry for a file: its own, else (for a header) the entry of a source
 * file in the same folder or the nearest parent folder, as clangd guesses.
 */
export function compileOptionsFor(entries: readonly CompileOptions[], file: string): CompileOptions | undefined {
  const own = entries.find((e) => e.file === file);
  if (own) return own;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const near = entries.find((e) => dirname(e.file) === dir || e.file.startsWith(dir + '/'));
    if (near) return near;
    if (dir === '/' || dir === '.' || dirname(dir) === dir) break;
  }
  return entries[0];
}
