/**
 * ABI facts as data (STYLE.md habit 2): the sizes and alignments of the
 * scalar types, pointer width and the largest `#pragma pack` honoured, for
 * each Windows target ioctl-lens models. The layout pass reads only this
 * table; it never branches on an ABI's name.
 *
 * Numbers are the Microsoft C ABI as clang implements it for
 * `<triple>-pc-windows-msvc` (checked by the differential tests): `long` is
 * 4 bytes everywhere, `long double` is `double`, `wchar_t` is an unsigned
 * 16-bit integer, and on x86 `__int64`/`double` are 8-aligned (also for
 * `_Alignof`, not only inside records). Every number here was checked with
 * clang 14 (`-fdump-record-layouts`, `_Alignof`, `sizeof`) on all four triples.
 * `__int128` is rejected by clang on the 32-bit targets; the entry is kept so
 * the layout pass still has a number.
 */

import { predefinedCxxDelta, predefinedMacros } from './predefined';

export type AbiName = 'x86' | 'x64' | 'arm64' | 'arm32';

/** The source language of a translation unit: C, or C++ (`.cpp` files, `-x c++`, `/TP` ...). */
export type Language = 'c' | 'cpp';

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
  /** `__ptr32` pointers. clang honours `__ptr32`/`__ptr64` only on x86 targets; on ARM they are ordinary pointers (clang 14: `sizeof(int *__ptr32)` is 8 on arm64, `sizeof(int *__ptr64)` is 4 on arm32). */
  ptr32: SizeAlign;
  /** `__ptr64` pointers (see `ptr32`). */
  ptr64: SizeAlign;
  /**
   * `#pragma pack(n)` with n larger than this is ignored (clang's
   * MicrosoftRecordLayoutBuilder ignores packs wider than the pointer). With
   * the scalar sizes above no member's natural alignment exceeds this, so the
   * rule is only visible through `__int128` under `pack(16)` on x64/arm64.
   */
  maxPack: number;
  /**
   * clang starts a record's required alignment at 1 on 64-bit targets and at 0
   * (none) on 32-bit ones; the final rounding step runs only when it is
   * non-zero. For C records this is invisible (verified against clang 14: the
   * size is rounded to max(alignment, required alignment), never to the pack
   * value, e.g. x64 `#pragma pack(8) struct { char c; }` has size 1), but the
   * flag is kept so the layout pass mirrors clang's algorithm step by step.
   */
  requiredAlignmentStartsAtOne: boolean;
  /**
   * Size of a C record whose members occupy no bytes (`struct {}`, only
   * zero-width bit-fields, only `[0]`/`[]` arrays). clang 14 gives 4 on every
   * Windows target, whatever the alignment (`struct { double a[0]; }` is size 4,
   * align 8), unless a `__declspec(align(n))` with n >= 4 applies, in which
   * case the size is the alignment.
   */
  emptyStructSize: number;
  /**
   * `sizeof(T[n])` is rounded up to T's alignment (matters only for a typedef
   * whose `__declspec(align)` exceeds its size). clang does this for every
   * target except 32-bit Microsoft ones: `typedef __declspec(align(16)) char
   * C16; sizeof(C16[3])` is 3 on x86 and 16 on x64.
   */
  arraySizeRoundedToAlign: boolean;
  /**
   * The alignment code of this ABI guarantees for any object it hands over
   * (its stack alignment): MSVC for x86 places an 8-aligned `__int64` or a
   * record holding one at a 4-byte boundary on the stack. A driver reading a
   * caller's buffer may assume no more than this.
   */
  callerAlign: number;
  /** The 32-bit ABI a 64-bit process's WOW64 callers use (x64 <- x86, arm64 <- arm32 and x86). */
  wow64Peer?: AbiName;
  /** Predefined macros, as clang defines them for the triple. */
  macros: Readonly<Record<string, string>>;
  /** The same for C++ (`clang -x c++`): `__cplusplus`, `_MSVC_LANG`, `_NATIVE_WCHAR_T_DEFINED` ... */
  cxxMacros: Readonly<Record<string, string>>;
}

/** The predefined macros of an ABI for a language. */
export function predefinedFor(abi: Abi, language: Language = 'c'): Readonly<Record<string, string>> {
  return language === 'cpp' ? abi.cxxMacros : abi.macros;
}

/**
 * The platform macros a WDK driver build puts on the compiler's command line
 * for each target (the compiler itself predefines only `_M_AMD64`, `_WIN64`
 * ...); driver headers test `_AMD64_`/`_X86_` before any Windows header could
 * define them. Kernel-mode sources get them with `_KERNEL_MODE`
 * (`AnalysisOptions.driverBuild`, decided in core/options.ts).
 */
export const driverBuildMacros: Readonly<Record<AbiName, Readonly<Record<string, string>>>> = {
  x86: { _X86_: '1', i386: '1', STD_CALL: '1' },
  x64: { _AMD64_: '1', AMD64: '1' },
  arm64: { _ARM64_: '1', ARM64: '1' },
  arm32: { _ARM_: '1', ARM: '1' },
};

function cxxMacrosOf(name: AbiName): Record<string, string> {
  const delta = predefinedCxxDelta[name];
  const out: Record<string, string> = { ...predefinedMacros[name], ...delta.define };
  for (const k of delta.undefine) delete out[k];
  return out;
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
    ptr32: sa(4),
    ptr64: sa(8),
    maxPack: ptr,
    requiredAlignmentStartsAtOne: ptr === 8,
    emptyStructSize: 4,
    arraySizeRoundedToAlign: ptr === 8,
    callerAlign: ptr === 8 ? 16 : 4,
    macros: predefinedMacros[name],
    cxxMacros: cxxMacrosOf(name),
    ...extra,
  };
}

export const abis: Readonly<Record<AbiName, Abi>> = {
  x86: abi('x86', 'i686-pc-windows-msvc', 4),
  x64: abi('x64', 'x86_64-pc-windows-msvc', 8, { wow64Peer: 'x86' }),
  arm64: abi('arm64', 'aarch64-pc-windows-msvc', 8, { wow64Peer: 'arm32', ptr32: sa(8) }),
  arm32: abi('arm32', 'thumbv7-pc-windows-msvc', 4, { ptr64: sa(4), callerAlign: 8 }),
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
