/**
 * `ioctl-lens thunk --type T [--style ulong|pointer32] [--dispatch wdm|kmdf]
 * [--direction in|out|inout] [-I DIR]... [-D ...] [-U ...] [--include FILE]... FILE...`:
 * prints the WOW64 translation code for `T` (see docs/thunk.md). A thin
 * front end over `generateThunks`: the first named file whose translation
 * unit defines `T` is used; warnings go to stderr in compiler form.
 * Exit status: 0 on success (also when `T` needs no thunk), 2 on unusable
 * input (no files, unknown type, bad option).
 */

import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { type Analysis, analyzeFile, createSession } from '../core/analyze';
import { displayName } from '../core/names';
import { languageFor } from '../core/language';
import { preludePath } from '../core/prelude';
import { type ThunkResult, generateThunks } from '../core/thunk/index';
import { absolute } from '../node/layoutApi';
import { diskHost } from '../node/host';
import { type OptionSpec, compilerOptions, languageOption, nearest, parseArgs, parseDefine, usageError } from './args';
import type { Io } from './main';

export const thunkUsage = `usage: ioctl-lens thunk --type T [options] FILE...

Prints the WOW64 translation code for T (docs/thunk.md): the 32-bit shadows it
needs, their layout guards, capture, release and write-back routines.

options:
  --type T                    the native struct/union (typedef name or tag) to translate
  --style ulong|pointer32     pointers in shadows as ULONG (default) or VOID * POINTER_32
  --dispatch wdm|kmdf         also print the IOCTL case body for a WDM or KMDF dispatch routine
  --direction in|out|inout    which way the buffer travels in that case body (default inout)
  -I DIR, -D NAME[=VALUE], -U NAME, --include FILE, --language c|c++|auto
                              as for layout; in a C++ file --type may be qualified
                              (contoso::ioctl::ReadRequest) or plain (ReadRequest)
`;

const specs: Record<string, OptionSpec> = {
  ...compilerOptions,
  '--type': { kind: 'string' },
  '--style': { kind: 'string' },
  '--dispatch': { kind: 'string' },
  '--direction': { kind: 'string' },
};

/** The names driver code uses for the structs and unions the input defines (one per record), the built-in prelude's left out. */
function definedRecordNames(analysis: Analysis): string[] {
  const unit = analysis.units.get('x64') ?? [...analysis.units.values()][0];
  if (!unit) return [];
  const names: string[] = [];
  for (const r of unit.unit.records) {
    const name = displayName(r);
    if (r.fields && name && r.loc.file !== preludePath) names.push(name);
  }
  return names;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], option: string, errors: string[]): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  errors.push(`${option} must be ${allowed.join(' or ')} (got '${value}')`);
  return undefined;
}

export function thunkCommand(argv: string[], io: Io): number {
  const args = parseArgs(argv, specs);
  const errors = args.errors;
  const type = args.options.get('--type')?.[0];
  if (!type) errors.push('--type T is required');
  const style = oneOf(args.options.get('--style')?.[0], ['ulong', 'pointer32'] as const, '--style', errors);
  const dispatch = oneOf(args.options.get('--dispatch')?.[0], ['wdm', 'kmdf'] as const, '--dispatch', errors);
  const direction = oneOf(args.options.get('--direction')?.[0], ['in', 'out', 'inout'] as const, '--direction', errors);
  if (args.options.has('--abi')) errors.push('--abi does not apply: thunks translate between x86 callers and x64 drivers');
  const language = languageOption(args);
  if (args.positionals.length === 0) errors.push('no input files');
  for (const f of args.positionals) {
    if (!fs.existsSync(f)) errors.push(`no such file: ${f}`);
    else if (fs.statSync(f).isDirectory()) errors.push(`${f} is a directory (thunk takes header or source files)`);
  }
  if (errors.length || !type) return usageError('thunk', args, io);
  const host = diskHost();
  const session = createSession(host);
  let result: ThunkResult | undefined;
  let lastError = '';
  const recordNames = new Set<string>();
  for (const file of args.positionals.map(absolute)) {
    const analysis = analyzeFile(session, file, {
      abis: ['x86', 'x64'],
      includeDirs: (args.options.get('-I') ?? []).map(absolute),
      defines: (args.options.get('-D') ?? []).map(parseDefine),
      undefines: args.options.get('-U') ?? [],
      forcedIncludes: args.options.get('--include') ?? [],
      prelude: !args.options.has('--no-prelude'),
      language: languageFor(file, { setting: language, text: host.readFile(file)?.text }),
    });
    const r = generateThunks(analysis, { type, style, dispatch, direction });
    if (!r.error) {
      result = r;
      break;
    }
    lastError = r.error;
    for (const name of definedRecordNames(analysis)) recordNames.add(name);
  }
  if (!result) {
    if (lastError.startsWith('unknown type')) {
      const near = nearest(type, recordNames, { within: Infinity });
      if (near.length) lastError += `; records defined there, nearest first: ${near.join(', ')}`;
      else lastError += '; the input defines no struct or union';
    }
    io.err(`ioctl-lens thunk: ${lastError}\n`);
    return 2;
  }
  const show = (p: string) => {
    if (p.startsWith('<')) return p;
    const rel = nodePath.relative(io.cwd, p);
    return rel.startsWith('..') ? p : rel;
  };
  for (const w of result.warnings) {
    const where = w.loc ? `${show(w.loc.file)}:${w.loc.line}:${w.loc.col}: ` : '';
    io.err(`${where}warning: ${w.message} [thunk-${w.code}]\n`);
  }
  io.out(result.text);
  return 0;
}
