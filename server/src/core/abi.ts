/**
 * ABI facts as data (STYLE.md habit 2): the sizes and alignments of the
 * scalar types, pointer width and the largest `#pragma pack` honoured, for
 * each Windows target ioctl-lens models. The layout pass reads only this
 * table; it never branches on an ABI's name.
 *
 * Numbers are the Microsoft C ABI as clang implements it for
 * `<triple>-pc-windows-msvc` (checked by the differential tests): `long` is
 * 4 bytes everywhere, `long double` is `double`, `wchar_t` is an unsigned
 * 16-bit integer, and on x86 `__int64`/`double` are 8-aligned inside records.
 */

import { predefinedMacros } from './predefined';

export type AbiName = 'x86' | 'x64' | 'arm64' | 'arm32';

export const allAbis: readonly AbiName[] = ['x86', 'x64', 'arm64', 'arm32'];
export const defaultAbis: readonly AbiName[] = ['x86', 'x64'];

/** Size and alignment in bytes. */
export interface SizeAlign {
  size: number;
  align: number;
}

export interface Abi {
  name: AbiName;
  /** clang's target triple, for the differential tests and generated commands. */
  triple: string;
  /** Default pointer size in bytes (4 or 8). */
  pointer: SizeAlign;
  bool: SizeAlign;
  char: SizeAlign;
  short: SizeAlign;
  int: SizeAlign;
  long: SizeAlign;
  longlong: SizeAlign;
  int128: SizeAlign;
  float: SizeAlign;
  double: SizeAlign;
  longdouble: SizeAlign;
  /** Size of an enum without a fixed underlying type. */
  enum: SizeAlign;
  /** `#pragma pack(n)` with n larger than this is ignored (MSVC ignores packs larger than the pointer). */
  maxPack: number;
  /** In 64-bit MS layouts the record size is always rounded to the (pack-adjusted) alignment, with required alignment starting at 1. */
  requiredAlignmentStartsAtOne: boolean;
  /** Size of an empty C struct. */
  emptyStructSize: number;
  /** The 32-bit ABI a 64-bit process's WOW64 callers use (x64 <- x86, arm64 <- arm32 and x86). */
  wow64Peer?: AbiName;
  /** Predefined macros, as clang defines them for the triple. */
  macros: Readonly<Record<string, string>>;
}

const sa = (size: number, align = size): SizeAlign => ({ size, align });

function abi(name: AbiName, triple: string, ptr: 4 | 8, extra: Partial<Abi> = {}): Abi {
  return {
    name,
    triple,
    pointer: sa(ptr),
    bool: sa(1),
    char: sa(1),
    short: sa(2),
    int: sa(4),
    long: sa(4),
    longlong: sa(8),
    int128: sa(16),
    float: sa(4),
    double: sa(8),
    longdouble: sa(8),
    enum: sa(4),
    maxPack: ptr,
    requiredAlignmentStartsAtOne: ptr === 8,
    emptyStructSize: 4,
    macros: predefinedMacros[name],
    ...extra,
  };
}

export const abis: Readonly<Record<AbiName, Abi>> = {
  x86: abi('x86', 'i686-pc-windows-msvc', 4),
  x64: abi('x64', 'x86_64-pc-windows-msvc', 8, { wow64Peer: 'x86' }),
  arm64: abi('arm64', 'aarch64-pc-windows-msvc', 8, { wow64Peer: 'arm32' }),
  arm32: abi('arm32', 'thumbv7-pc-windows-msvc', 4),
};

export function isAbiName(s: string): s is AbiName {
  return (allAbis as readonly string[]).includes(s);
}

/** Parses `x86,x64` into ABI names; unknown names are returned in `unknown`. */
export function parseAbiList(s: string): { abis: AbiName[]; unknown: string[] } {
  const out: AbiName[] = [];
  const unknown: string[] = [];
  for (const part of s.split(',').map((p) => p.trim()).filter(Boolean)) {
    if (isAbiName(part)) {
      if (!out.includes(part)) out.push(part);
    } else unknown.push(part);
  }
  return { abis: out, unknown };
}
