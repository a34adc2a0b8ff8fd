/**
 * Command-line parsing shared by every subcommand: the compiler-style
 * options (`-I DIR`/`-IDIR`, `-D NAME[=VALUE]`, `-U NAME`, `--include FILE`)
 * and each command's own flags, declared as data. Unknown options and
 * missing values are reported, never thrown; an unknown option names the
 * nearest valid one, and `usageError` prints every command's mistakes in
 * one shape (exit status 2).
 */

import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { distance } from 'fastest-levenshtein';
import { append } from '../core/arrays';
import { type LanguageSetting, parseLanguage } from '../core/language';

export interface OptionSpec {
  /** `string`: takes a value; `list`: takes a value, may repeat; `flag`: no value. */
  kind: 'string' | 'list' | 'flag';
  /** Other spellings, e.g. `-I` for `--include-dir`. */
  aliases?: string[];
}

export interface ParsedArgs {
  options: Map<string, string[]>;
  positionals: string[];
  errors: string[];
  /** Set when an option was not recognised: the other errors are then likely its consequences. */
  unknownOption?: boolean;
}

export const compilerOptions: Record<string, OptionSpec> = {
  '-I': { kind: 'list' },
  '-D': { kind: 'list' },
  '-U': { kind: 'list' },
  '--include': { kind: 'list' },
  '--abi': { kind: 'string' },
  '--no-prelude': { kind: 'flag' },
  '--language': { kind: 'string', aliases: ['-x'] },
};

/** `--language c|c++|auto` (`-x c++` as compilers spell it); pushes an error for anything else. Default `auto`. */
export function languageOption(args: ParsedArgs): LanguageSetting {
  const given = args.options.get('--language')?.[0];
  if (given === undefined) return 'auto';
  const setting = parseLanguage(given);
  if (setting === undefined) args.errors.push(`unknown language '${given}' (expected c, c++ or auto)`);
  return setting ?? 'auto';
}

export function parseArgs(argv: readonly string[], specs: Record<string, OptionSpec>): ParsedArgs {
  const options = new Map<string, string[]>();
  const positionals: string[] = [];
  const errors: string[] = [];
  let unknownOption = false;
  const lookup = new Map<string, string>();
  for (const [name, spec] of Object.entries(specs)) {
    lookup.set(name, name);
    for (const a of spec.aliases ?? []) lookup.set(a, name);
  }
  const add = (name: string, value: string) => {
    const list = options.get(name) ?? [];
    if (specs[name].kind === 'string') list.length = 0;
    list.push(value);
    options.set(name, list);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      append(positionals, argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    let name = arg;
    let inline: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      name = arg.slice(0, eq);
      inline = arg.slice(eq + 1);
    } else if (!arg.startsWith('--') && arg.length > 2 && lookup.has(arg.slice(0, 2)) && specs[lookup.get(arg.slice(0, 2))!].kind !== 'flag') {
      // -Ifoo, -DNAME=1
      name = arg.slice(0, 2);
      inline = arg.slice(2);
    }
    const canonical = lookup.get(name);
    if (!canonical) {
      const near = nearest(name, [...lookup.keys()], { limit: 1 });
      errors.push(`unknown option '${name}'${near.length ? ` (did you mean '${near[0]}'?)` : ''}`);
      unknownOption = true;
      continue;
    }
    const spec = specs[canonical];
    if (spec.kind === 'flag') {
      if (inline !== undefined) errors.push(`option '${name}' takes no value`);
      options.set(canonical, ['true']);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) {
      errors.push(`option '${name}' needs a value`);
      continue;
    }
    add(canonical, value);
  }
  return { options, positionals, errors, unknownOption };
}

/**
 * The candidates nearest to `word`, best first: those containing it (or
 * contained in it) before the rest, then by edit distance, ignoring case.
 * With `within`, only candidates at most that many edits away (a containing
 * one always qualifies); the default allows a third of the word's length,
 * at least 2 (none for one-letter options), so `--abbi` finds `--abi` and
 * `--xyz` or `-Q` finds nothing.
 */
export function nearest(word: string, candidates: Iterable<string>, options: { limit?: number; within?: number } = {}): string[] {
  const w = word.toLowerCase();
  const letters = w.replace(/^-+/, '').length;
  const within = options.within ?? (letters <= 1 ? 0 : Math.max(2, Math.floor(letters / 3)));
  const scored: { name: string; score: number }[] = [];
  for (const name of new Set(candidates)) {
    const c = name.toLowerCase();
    const contains = c.replace(/^-+/, '').length > 1 && w.replace(/^-+/, '').length > 1 && (c.includes(w.replace(/^-+/, '')) || w.includes(c.replace(/^-+/, '')));
    const d = distance(w, c);
    if (!contains && d > within) continue;
    scored.push({ name, score: contains ? Math.abs(c.length - w.length) / 1000 : d });
  }
  scored.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
  return scored.slice(0, options.limit ?? 5).map((s) => s.name);
}

/**
 * Prints a command's usage mistakes the same way for every command, one line
 * each and a pointer to its help (never the whole help text), and returns
 * exit status 2. After an unknown option only that is reported: the rest
 * (its value taken for a file name ...) follows from it.
 */
export function usageError(command: string | undefined, args: Pick<ParsedArgs, 'errors' | 'unknownOption'>, io: { err(s: string): void }): number {
  const prefix = command ? `ioctl-lens ${command}` : 'ioctl-lens';
  const shown = args.unknownOption ? args.errors.filter((e) => e.startsWith('unknown option')) : args.errors;
  for (const e of shown) io.err(`${prefix}: ${e}\n`);
  io.err(`Try '${prefix} --help'.\n`);
  return 2;
}

/** `NAME=VALUE` / `NAME` -> [name, value|undefined]. */
export function parseDefine(d: string): [string, string | undefined] {
  const eq = d.indexOf('=');
  return eq < 0 ? [d, undefined] : [d.slice(0, eq), d.slice(eq + 1)];
}

/** The package's version, from the package.json beside out/ (or the repository root). */
export function version(): string {
  for (const up of ['../../..', '../../../..']) {
    try {
      const pkg = JSON.parse(fs.readFileSync(nodePath.join(__dirname, up, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'ioctl-lens' && pkg.version) return pkg.version;
    } catch {
      // not there: try the next folder up
    }
  }
  return '0.0.0';
}
