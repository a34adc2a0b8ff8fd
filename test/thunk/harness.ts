/**
 * Test helpers for the thunk generator: analyse a fixture header, generate,
 * build translation units around the output, run clang for the Windows
 * targets (and parse its record layout dumps), and compile and run native
 * programs against the simulating half of `test/wdk-shim/wdk_shim.h`.
 */

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Analysis, analyzeFile, createSession } from '../../server/src/core/analyze';
import { type ThunkOptions, type ThunkResult, generateThunks } from '../../server/src/core/thunk/index';
import { diskHost } from '../../server/src/node/host';
import { repoRoot } from '../helpers';

export const fixtures = path.join(repoRoot, 'test/thunk-fixtures');
export const shimDir = path.join(repoRoot, 'test/wdk-shim');
/** A frozen copy of the sample interface header (goldens and run programs must not move when the sample grows). */
export const sampleHeader = path.join(fixtures, 'contoso.h');
/** The live sample, which also carries hand-written (and one stale) 32-bit shadows. */
export const liveSample = path.join(repoRoot, 'samples/driver/ioctl_interface.h');

const analyses = new Map<string, Analysis>();

/** The analysis of a header for a native ABI and its WOW64 peer (x64 and x86 unless told). */
export function analyze(file: string, native: 'x64' | 'arm64' = 'x64'): Analysis {
  const key = `${native}\0${file}`;
  const cached = analyses.get(key);
  if (cached) return cached;
  const a = analyzeFile(createSession(diskHost()), file, { abis: native === 'x64' ? ['x86', 'x64'] : ['arm32', 'arm64'] });
  analyses.set(key, a);
  return a;
}

export function thunk(file: string, options: ThunkOptions): ThunkResult {
  return generateThunks(analyze(file, options.native === 'arm64' ? 'arm64' : 'x64'), options);
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-thunk-'));
}

/** A translation unit: the shim, the header, the generated pieces; the dispatch fragment inside a routine of the right shape. */
export function windowsUnit(header: string, result: ThunkResult, extra = ''): string {
  const parts = [`#include "wdk_shim.h"`, `#include "${header}"`, ''];
  for (const p of result.pieces) {
    if (p.kind === 'dispatch') {
      const wdm = p.text.includes('IoIs32bitProcess');
      parts.push(
        wdm
          ? `static NTSTATUS DispatchDeviceControl(PIRP Irp, PIO_STACK_LOCATION IrpSp)\n{\n    NTSTATUS Status;\n${indent(p.text)}    return Status;\n}\n`
          : `static NTSTATUS EvtIoDeviceControl(WDFREQUEST Request)\n{\n    NTSTATUS Status;\n${indent(p.text)}    return Status;\n}\n`,
      );
    } else if (p.replaces) {
      // A corrected shadow replaces the stale one: compile against a copy of the header without it.
      parts.push(p.text);
    } else parts.push(p.text);
  }
  parts.push(extra);
  return parts.join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => (l === '' || l.startsWith('#') ? l : '    ' + l))
    .join('\n');
}

/** The header with every stale shadow a result replaces cut out (as the quick fix would replace it). */
export function headerWithout(header: string, result: ThunkResult, dir: string): string {
  const replaced = result.pieces.filter((p) => p.replaces && p.replaces.file === header);
  if (replaced.length === 0) return header;
  let text = fs.readFileSync(header, 'utf8');
  for (const p of [...replaced].sort((a, b) => b.replaces!.start.offset - a.replaces!.start.offset)) {
    text = text.slice(0, p.replaces!.start.offset) + text.slice(p.replaces!.end.offset);
  }
  const out = path.join(dir, path.basename(header));
  fs.writeFileSync(out, text);
  return out;
}

export interface ToolRun {
  status: number;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], cwd?: string): ToolRun {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd, maxBuffer: 64 << 20 });
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

export type Triple = 'x86_64-pc-windows-msvc' | 'i686-pc-windows-msvc' | 'aarch64-pc-windows-msvc' | 'thumbv7-pc-windows-msvc';

export const clangWindowsFlags = ['-fms-extensions', '-fms-compatibility', '-fsyntax-only', '-Wall', '-Wextra', '-Wno-pragma-pack', '-Wno-multichar', '-Wno-unused-function', '-Wno-microsoft-anon-tag'];

/** Compiles `source` (written to `dir/name`) for a Windows target; `-Xclang -fdump-record-layouts` when asked. */
export function clangWindows(dir: string, name: string, source: string, triple: Triple, options: { dump?: boolean } = {}): ToolRun {
  const file = path.join(dir, name);
  fs.writeFileSync(file, source);
  const args = ['-target', triple, ...clangWindowsFlags, '-I', shimDir, '-I', dir, file];
  if (options.dump) args.push('-Xclang', '-fdump-record-layouts');
  return run('clang', args);
}

export interface DumpMember {
  depth: number;
  name: string;
  offset: number;
  bits?: string;
  /** The type as clang prints it (`HTTP_KNOWN_HEADER[30]`, `PCSTR`, `union (anonymous at ...)`). */
  type: string;
}

export interface DumpRecord {
  kind: string;
  name: string;
  size: number;
  align: number;
  members: DumpMember[];
}

/**
 * Parses clang's `-fdump-record-layouts` text: one entry per record, its
 * members at every depth with offsets (and `first-last` bit ranges for
 * bit-fields). Anonymous members are named `<anonymous>`.
 */
export function parseDump(text: string): Map<string, DumpRecord> {
  const out = new Map<string, DumpRecord>();
  const blocks = text.split('*** Dumping AST Record Layout').slice(1);
  for (const block of blocks) {
    const lines = block.split('\n').filter((l) => l.includes('|'));
    const head = /^\s*0 \| (struct|union) (.+)$/.exec(lines[0] ?? '');
    if (!head) continue;
    const record: DumpRecord = { kind: head[1], name: head[2].trim(), size: -1, align: -1, members: [] };
    for (const l of lines.slice(1)) {
      const size = /\[sizeof=(\d+), align=(\d+)/.exec(l);
      if (size) {
        record.size = Number(size[1]);
        record.align = Number(size[2]);
        break;
      }
      const m = /^\s*(\d+)(?::(\d+-\d+))? \|( +)(.*)$/.exec(l);
      if (!m) continue;
      const depth = (m[3].length - 1) / 2;
      const decl = m[4].trim();
      const name = decl.endsWith(')') ? '<anonymous>' : decl.split(/\s+/).pop()!;
      const type = decl.endsWith(')') ? decl : decl.slice(0, decl.length - name.length).trim();
      record.members.push({ depth, name, offset: Number(m[1]), bits: m[2], type });
    }
    if (!out.has(record.name)) out.set(record.name, record);
  }
  return out;
}

/** `_Static_assert`s that `name` has the size, alignment and offsets of a clang dump (T32 against T's x86 dump; T against its own x64 dump). */
export function staticAsserts(shadowName: string, native: DumpRecord): string {
  const lines = [`_Static_assert(sizeof(${shadowName}) == ${native.size}, "sizeof ${shadowName}");`, `_Static_assert(_Alignof(${shadowName}) == ${native.align}, "align ${shadowName}");`];
  // Members reachable by name from the top: depth 1, and deeper ones under anonymous members only.
  const chain: string[] = [];
  for (const m of native.members) {
    chain.length = m.depth - 1;
    const reachable = chain.every((c) => c === '<anonymous>');
    chain.push(m.name);
    if (!reachable || m.name === '<anonymous>' || m.bits) continue;
    lines.push(`_Static_assert(__builtin_offsetof(${shadowName}, ${m.name}) == ${m.offset}, "offset of ${m.name}");`);
  }
  return lines.join('\n') + '\n';
}

export function hasClang(): boolean {
  return run('sh', ['-c', 'command -v clang']).status === 0;
}

/** Compiles and runs a native C program; returns its stdout (throws with the compiler's or program's stderr). */
export function runNative(dir: string, name: string, source: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, source);
  const exe = path.join(dir, name.replace(/\.c$/, ''));
  const cc = hasClang() ? 'clang' : 'cc';
  const compiled = run(cc, ['-std=gnu11', '-O0', '-g', '-fsanitize=undefined', '-fno-sanitize-recover=all', '-Wall', '-Wno-unused-function', '-Wno-multichar', '-fno-strict-aliasing', '-I', shimDir, '-I', dir, '-o', exe, file]);
  if (compiled.status !== 0) throw new Error(`native compile failed:\n${compiled.stderr}`);
  const ran = run(exe, []);
  if (ran.status !== 0) throw new Error(`native program failed (${ran.status}):\n${ran.stdout}\n${ran.stderr}`);
  return ran.stdout;
}
