/**
 * The `ioctl-lens` command line: a thin front end over the core. Each
 * subcommand parses its options, calls one core verb, prints the result and
 * returns an exit status, the same for every command: 0 done, 1 findings
 * (check, at or above --fail-on), 2 unusable input. Usage mistakes are
 * printed by `usageError` as `ioctl-lens COMMAND: message` lines and a
 * pointer to `ioctl-lens COMMAND --help`; `COMMAND --help` prints that
 * command's help alone.
 */

import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { type AbiName, defaultAbis, parseAbiList } from '../core/abi';
import type { Diagnostic } from '../core/diagnostics';
import { absolute, layoutReports } from '../node/layoutApi';
import { type OptionSpec, compilerOptions, languageOption, nearest, parseArgs, parseDefine, usageError, version } from './args';
import { renderReports } from './layoutText';

export interface Io {
  out(s: string): void;
  err(s: string): void;
  isTty: boolean;
  cwd: string;
}

/** The top-level help: the commands, and where each one's options are. */
const usage = `usage: ioctl-lens COMMAND [options] FILE...

commands:
  layout   print every struct/union defined in FILE... with its layout on each ABI
  check    report WOW64 problems (rules in docs/rules/) in files and folders
  thunk    print WOW64 translation code (32-bit shadow, guards, capture/write-back) for --type T
  serve    run the language server for other editors (serve --stdio)

ioctl-lens COMMAND --help    that command's options
ioctl-lens --version         the version

exit status: 0 done, 1 findings at or above check's --fail-on level, 2 unusable input
(unknown option or file, bad value); mistakes are reported as 'ioctl-lens COMMAND: ...'.
`;

export const layoutUsage = `usage: ioctl-lens layout [options] FILE...

Prints every struct and union defined in FILE... (not in what they include) with
its layout on each ABI, side by side.

options:
  --abi x86,x64,arm64,arm32   ABIs to lay out (default x86,x64)
  --json                      machine-readable output (one object per ABI)
  -I DIR                      add an include directory
  -D NAME[=VALUE], -U NAME    define / undefine a macro
  --include FILE              process FILE first, as cc -include does
  --no-prelude                do not supply built-in Windows types
  --language c|c++|auto       read the files as C or C++ (-x c++ too); auto (the
                              default) goes by extension, and for a .h by whether
                              it uses C++ outside #ifdef __cplusplus
  --all-diagnostics           also print diagnostics from included headers
`;

interface Command {
  usage: string;
  run(argv: string[], io: Io): number;
}

/**
 * Each command's module is loaded when that command runs or prints its help:
 * a one-shot `layout` does not load the checks' driver model, the thunk
 * generator or the language server (with --no-opt, loading them cost more
 * CPU than laying out a small header).
 */
const commands: Record<string, () => Command> = {
  layout: () => ({ usage: layoutUsage, run: layoutCommand }),
  check: () => {
    const m: typeof import('./check') = require('./check');
    return { usage: m.checkUsage, run: m.checkCommand };
  },
  thunk: () => {
    const m: typeof import('./thunk') = require('./thunk');
    return { usage: m.thunkUsage, run: m.thunkCommand };
  },
  serve: () => {
    const m: typeof import('./serve') = require('./serve');
    return { usage: m.serveUsage, run: m.serveCommand };
  },
};


function displayPath(io: Io) {
  return (p: string) => {
    if (p.startsWith('<')) return p;
    const rel = nodePath.relative(io.cwd, p);
    return rel.startsWith('..') ? p : rel;
  };
}

export function formatDiagnostic(d: Diagnostic & { abis?: AbiName[] }, show: (p: string) => string): string {
  const where = d.abis ? ` (${d.abis.join(', ')} only)` : '';
  return `${show(d.loc.file)}:${d.loc.line}:${d.loc.col}: ${d.severity}: ${d.message}${where} [${d.code}]`;
}

function layoutCommand(argv: string[], io: Io): number {
  const specs: Record<string, OptionSpec> = { ...compilerOptions, '--json': { kind: 'flag' }, '--all-diagnostics': { kind: 'flag' } };
  const args = parseArgs(argv, specs);
  const { abis, unknown } = parseAbiList(args.options.get('--abi')?.[0] ?? defaultAbis.join(','));
  for (const u of unknown) args.errors.push(`unknown ABI '${u}' (expected x86, x64, arm64 or arm32)`);
  if (abis.length === 0 && unknown.length === 0) args.errors.push('--abi needs at least one ABI');
  const language = languageOption(args);
  if (args.positionals.length === 0) args.errors.push('no input files');
  for (const f of args.positionals) {
    if (!fs.existsSync(f)) args.errors.push(`no such file: ${f}`);
    else if (fs.statSync(f).isDirectory()) args.errors.push(`${f} is a directory (layout takes header or source files)`);
  }
  if (args.errors.length) return usageError('layout', args, io);
  const { reports, diagnostics } = layoutReports({
    files: args.positionals,
    abis,
    includeDirs: args.options.get('-I') ?? [],
    defines: (args.options.get('-D') ?? []).map(parseDefine),
    undefines: args.options.get('-U') ?? [],
    forcedIncludes: args.options.get('--include') ?? [],
    prelude: !args.options.has('--no-prelude'),
    language,
  });
  const show = displayPath(io);
  const named = new Set(args.positionals.map(absolute));
  const all = args.options.has('--all-diagnostics');
  const shown = diagnostics.filter((d) => all || named.has(d.loc.file));
  for (const d of shown) io.err(formatDiagnostic(d, show) + '\n');
  const hidden = diagnostics.length - shown.length;
  if (hidden > 0) io.err(`ioctl-lens: ${hidden} diagnostic(s) in included headers not shown (--all-diagnostics shows them)\n`);
  if (args.options.has('--json')) {
    io.out(JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2) + '\n');
  } else {
    io.out(renderReports(reports, { color: io.isTty && !process.env.NO_COLOR, displayPath: show }) + '\n');
  }
  return 0;
}

export function main(argv: string[], io: Io): number {
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.err(usage);
    return 2;
  }
  if (['help', '--help', '-h'].includes(command)) {
    const topic = command === 'help' ? rest[0] : undefined;
    io.out(topic && Object.hasOwn(commands, topic) ? commands[topic]().usage : usage);
    return 0;
  }
  if (['--version', '-V', 'version'].includes(command) || (Object.hasOwn(commands, command) && rest.includes('--version'))) {
    io.out(`ioctl-lens ${version()}\n`);
    return 0;
  }
  const entry = Object.hasOwn(commands, command) ? commands[command]() : undefined;
  if (!entry) {
    const what = command.startsWith('-') ? 'option' : 'command';
    const near = nearest(command, command.startsWith('-') ? ['--help', '--version'] : Object.keys(commands), { limit: 1 });
    return usageError(undefined, { errors: [`unknown ${what} '${command}'${near.length ? ` (did you mean '${near[0]}'?)` : ''}`] }, io);
  }
  // `--` ends the options: a file named --help after it is a file.
  const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (options.includes('--help') || options.includes('-h')) {
    io.out(entry.usage);
    return 0;
  }
  return entry.run(rest, io);
}

if (require.main === module) {
  const io: Io = {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    isTty: !!process.stdout.isTTY,
    cwd: process.cwd(),
  };
  process.exitCode = main(process.argv.slice(2), io);
}
