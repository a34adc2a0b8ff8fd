/**
 * Command-line parsing shared by every subcommand: the compiler-style
 * options (`-I DIR`/`-IDIR`, `-D NAME[=VALUE]`, `-U NAME`, `--include FILE`)
 * and each command's own flags, declared as data. Unknown options and
 * missing values are reported, never thrown.
 */

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
}

export const compilerOptions: Record<string, OptionSpec> = {
  '-I': { kind: 'list' },
  '-D': { kind: 'list' },
  '-U': { kind: 'list' },
  '--include': { kind: 'list' },
  '--abi': { kind: 'string' },
  '--no-prelude': { kind: 'flag' },
};

export function parseArgs(argv: readonly string[], specs: Record<string, OptionSpec>): ParsedArgs {
  const options = new Map<string, string[]>();
  const positionals: string[] = [];
  const errors: string[] = [];
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
      positionals.push(...argv.slice(i + 1));
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
      errors.push(`unknown option '${name}'`);
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
  return { options, positionals, errors };
}

/** `NAME=VALUE` / `NAME` -> [name, value|undefined]. */
export function parseDefine(d: string): [string, string | undefined] {
  const eq = d.indexOf('=');
  return eq < 0 ? [d, undefined] : [d.slice(0, eq), d.slice(eq + 1)];
}
