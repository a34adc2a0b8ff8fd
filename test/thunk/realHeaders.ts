/**
 * The real-header sweep's machinery: mingw-w64's device-interface headers as
 * a few translation units (headers that cannot share one are kept apart),
 * clang's x86 and x64 layouts of every complete record in them (one clang run
 * per unit and ABI, `-fdump-record-layouts-complete`), which records differ
 * (clang decides), and a record's key in those dumps.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RecordDecl } from '../../server/src/core/ast';
import { mingwInclude } from '../helpers';
import { type DumpMember, type DumpRecord, parseDump, run } from './harness';

export interface HeaderSet {
  name: string;
  /** Included first: the context the device headers need. */
  context: string[];
  /** The device-interface headers whose records are swept. */
  headers: string[];
  /** Defined before the context (the user-mode set has no kernel declarations). */
  defines: string[];
  /** Records defined in these files are swept (all of the unit when undefined). */
  scope?: (file: string) => boolean;
}

const userHeaders = [
  'winioctl.h', 'devioctl.h', 'usbuser.h', 'hidclass.h', 'ntdd1394.h', 'ntddbeep.h', 'ntddcdrm.h', 'ntddcdvd.h', 'ntdddisk.h',
  'ntddft.h', 'ntddkbd.h', 'ntddmmc.h', 'ntddmodm.h', 'ntddmou.h', 'ntddndis.h', 'ntddpar.h', 'ntddpsch.h', 'ntddscsi.h',
  'ntddstor.h', 'ntddtdi.h', 'ntddvdeo.h', 'usbioctl.h', 'usbscan.h',
];

/** Kernel-side: ntddk.h's whole unit, and the device headers that clash with winioctl.h or need DDK types. */
const kernelHeaders = [
  'ntddchgr.h', 'ntddtape.h', 'ntddvol.h', 'ntdd8042.h', 'ntddser.h', 'ddk/mountmgr.h', 'ddk/mountdev.h', 'ddk/ntddpcm.h',
  'ddk/ntddsnd.h', 'ddk/usbscan.h', 'ddk/acpiioct.h', 'ddk/usbstorioctl.h',
];

export const headerSets: HeaderSet[] = [
  {
    name: 'user-mode device interfaces (windows.h, winioctl.h, ntdd*.h, usb*.h, hidclass.h)',
    context: ['windows.h', 'usb.h'],
    headers: userHeaders,
    defines: ['IOCTL_LENS_USER_HEADERS'],
    scope: (file) => userHeaders.some((h) => file.endsWith('/' + h)),
  },
  {
    name: 'ddk/ntddk.h and the kernel-side device interfaces (mountmgr.h, ntddvol.h, ntddser.h ...)',
    context: ['ddk/ntddk.h', 'ddk/ntintsafe.h'],
    headers: kernelHeaders,
    defines: [],
    // The DDK's own headers (ntddk.h, wdm.h, ntdef.h's kernel types ...) and the device interfaces.
    scope: (file) => file.includes('/ddk/') || file.endsWith('/ntdef.h') || kernelHeaders.some((h) => file.endsWith('/' + h)),
  },
];

/** The unit's text: the context, then the device headers. */
export function unitText(set: HeaderSet): string {
  return [...set.defines.map((d) => `#define ${d} 1`), ...[...set.context, ...set.headers].map((h) => `#include <${h}>`), ''].join('\n');
}

export const includeFlags = ['-I', mingwInclude, '-I', path.join(mingwInclude, 'ddk')];
export const windowsFlags = ['-fms-extensions', '-fms-compatibility', '-fsyntax-only', '-ferror-limit=0', '-Wno-pragma-pack', '-Wno-microsoft-anon-tag'];

export interface ClangRun {
  dumps: Map<string, DumpRecord>;
  /** Error lines (`file:line:col: error: ...`). */
  errors: string[];
  /** Warning lines. */
  warnings: string[];
}

/** Compiles `file` for a Windows triple, dumping every complete record's layout. */
export function clangAll(file: string, triple: 'i686-pc-windows-msvc' | 'x86_64-pc-windows-msvc', extra: string[] = []): ClangRun {
  const r = run('clang', ['-target', triple, ...windowsFlags, ...includeFlags, ...extra, '-Xclang', '-fdump-record-layouts', '-Xclang', '-fdump-record-layouts-complete', file]);
  const lines = r.stderr.split('\n');
  return { dumps: parseDump(r.stdout), errors: lines.filter((l) => / error: /.test(l)), warnings: lines.filter((l) => / warning: /.test(l)) };
}

/** A record's name in clang's complete dump: its tag, or `(unnamed at FILE:LINE:COL)` of its keyword. */
export function dumpKey(record: RecordDecl): string {
  return record.tag ?? `(unnamed at ${record.loc.file}:${record.loc.line}:${record.loc.col})`;
}

export function memberLine(m: DumpMember): string {
  return `${m.depth} ${m.name}@${m.offset}${m.bits ? ':' + m.bits : ''}`;
}

/** Do two dumps of a record differ (size, alignment, any member at any depth)? */
export function dumpsDiffer(a: DumpRecord, b: DumpRecord): boolean {
  if (a.size !== b.size || a.align !== b.align || a.members.length !== b.members.length) return true;
  return a.members.some((m, i) => memberLine(m) !== memberLine(b.members[i]));
}

export function writeUnit(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}
