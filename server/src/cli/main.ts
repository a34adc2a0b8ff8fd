/**
 * The `ioctl-lens` command line: a thin front end over the core. Each
 * subcommand parses its options, calls one core verb, prints the result and
 * returns an exit status (0 fine, 1 findings, 2 unusable input).
 */

import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { type AbiName, defaultAbis, parseAbiList } from '../core/abi';
import type { Diagnostic } from '../core/diagnostics';
import { absolute, layoutReports } from '../node/layoutApi';
import { type OptionSpec, compilerOptions, parseArgs, parseDefine } from './args';
import { renderReports } from './layoutText';
import { thunkCommand, thunkUsage } from './thunk';
import { checkCommand, checkUsage } from './check';
import { serveCommand, serveUsage } from './serve';

export interface Io {
  out(s: string): void;
  err(s: string): void;
  isTty: boolean;
  cwd: string;
}

const usage = `usage: ioctl-lens <command> [options] FILE...

commands:
  layout   print every struct/union defined in FILE... with its layout on each ABI
  thunk    print WOW64 translation code (32-bit shadow, guards, capture/write-back) for --type T
  check    report WOW64 problems (rules in docs/rules/) in files and folders
  serve    run the language server (serve --stdio)
  help     show this text

layout options:
  --abi x86,x64,arm64,arm32   ABIs to lay out (default x86,x64)
  --json                      machine-readable output (one object per ABI)
  -I DIR                      add an include directory
  -D NAME[=VALUE], -U NAME    define / undefine a macro
  --include FILE              process FILE first, as cc -include does
  --no-prelude                do not supply built-in Windows types
  --all-diagnostics           also print diagnostics from included headers

${checkUsage}
${thunkUsage}
${serveUsage}`;

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
  if (args.positionals.length === 0) args.errors.push('no input files');
  for (const f of args.positionals) {
    if (!fs.existsSync(f)) args.errors.push(`no such file: ${f}`);
    else if (fs.statSync(f).isDirectory()) args.errors.push(`${f} is a directory (layout takes header or source files)`);
  }
  if (args.errors.length) {
    for (const e of args.errors) io.err(`ioctl-lens layout: ${e}\n`);
    io.err(usage);
    return 2;
  }
  const { reports, diagnostics } = layoutReports({
    files: args.positionals,
    abis,
    includeDirs: args.options.get('-I') ?? [],
    defines: (args.options.get('-D') ?? []).map(parseDefine),
    undefines: args.options.get('-U') ?? [],
    forcedIncludes: args.options.get('--include') ?? [],
    prelude: !args.options.has('--no-prelude'),
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
  if (command !== undefined && (rest.includes('--help') || rest.includes('-h'))) {
    io.out(usage);
    return 0;
  }
  switch (command) {
    case 'layout':
      return layoutCommand(rest, io);
    case 'thunk':
      return thunkCommand(rest, io);
    case 'check': return checkCommand(rest, io);
    case 'serve': return serveCommand(rest, io);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.out(usage);
      return command === undefined ? 2 : 0;
    default:
      io.err(`ioctl-lens: unknown command '${command}'\n${usage}`);
      return 2;
  }
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
