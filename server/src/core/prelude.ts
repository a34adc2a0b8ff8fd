/**
 * The built-in prelude: the Windows and WDK basics a driver header uses
 * without including anything resolvable (a lone header opened in the
 * editor, a header whose WDK include path is not configured).
 *
 * It is not included like a header. The pipeline preprocesses and parses it
 * once per ABI, and hands the result to the real translation unit as a
 * *fallback*: a macro, typedef or tag the unit never defines resolves to the
 * prelude's, while anything a real header defines wins silently, and
 * `#ifdef`/`defined()` never see prelude macros. So real headers behave
 * exactly as under a compiler, and a lone header still knows `ULONG`,
 * `HANDLE`, `UNICODE_STRING`, `CTL_CODE` and `POINTER_32` (here `__ptr32`, as
 * in the WDK; mingw-w64 defines it empty and wins when it is included).
 */

export const preludePath = '<prelude>';

/** size_t as MSVC defines it (vcruntime.h), under its guard: stddef.h's, and what wdm.h brings to a file with no <stddef.h>. */
const msvcSizeT = String.raw`#ifndef _SIZE_T_DEFINED
#define _SIZE_T_DEFINED
#ifdef _WIN64
typedef unsigned __int64 size_t;
#else
typedef unsigned int size_t;
#endif
#endif
`;

/**
 * A last-resort include folder with the SDK's packing headers, so
 * `#include <pshpack1.h>` works in a header analysed without the SDK on the
 * include path. Real headers found on the include path come first.
 */
export const builtinIncludeDir = '<builtin>';

/*
 * The compiler's own intrinsics headers (clang's resource folder, MSVC's
 * include folder) are not on a driver's include path, yet `intrin.h` and
 * `winnt.h` include them. These stand-ins declare the SIMD types with their
 * size and alignment, which is all a layout needs.
 */
const simd = (name: string, bytes: number, element: string) =>
  `typedef union __declspec(align(${bytes})) ${name} { ${element} ${name}_u[${bytes / (element === 'double' || element === '__int64' ? 8 : 4)}]; } ${name};\n`;
const intrinsics: Record<string, string> = {
  'mmintrin.h': simd('__m64', 8, '__int64'),
  'xmmintrin.h': '#include <mmintrin.h>\n' + simd('__m128', 16, 'float'),
  'emmintrin.h': '#include <xmmintrin.h>\n' + simd('__m128d', 16, 'double') + simd('__m128i', 16, '__int64'),
  'immintrin.h':
    '#include <emmintrin.h>\n' +
    simd('__m256', 32, 'float') + simd('__m256d', 32, 'double') + simd('__m256i', 32, '__int64') +
    simd('__m512', 64, 'float') + simd('__m512d', 64, 'double') + simd('__m512i', 64, '__int64'),
};
for (const name of ['pmmintrin.h', 'tmmintrin.h', 'smmintrin.h', 'nmmintrin.h', 'wmmintrin.h', 'x86intrin.h', 'ammintrin.h', 'mm3dnow.h']) {
  intrinsics[name] = '#include <immintrin.h>\n';
}
intrinsics['mm_malloc.h'] = '';

/*
 * The standard headers a driver interface header includes most often, as the
 * MSVC toolchain defines them (vcruntime.h, stddef.h, stdint.h, limits.h,
 * stdarg.h, stdbool.h): the types per ABI (`size_t` is `unsigned __int64`
 * under _WIN64, `int_fast16_t` is `int`, `va_list` is `char *`), the limits
 * with C's types (`UINT32_MAX` is unsigned int, `INT64_MAX` long long), and
 * the C++ spellings (`<cstdint>` ...) that put the names into `std`. They are
 * ordinary headers in the built-in folder, searched after the include path,
 * so a real toolchain's or SDK's copy always wins; their guards are MSVC's
 * (`_SIZE_T_DEFINED` ...), so they also stand beside real headers that
 * define some of the same names. test/prelude.test.ts checks every type and
 * limit against clang's own headers for each Windows target.
 */
const standard: Record<string, string> = {
  'stddef.h': String.raw`
${msvcSizeT}#ifndef _PTRDIFF_T_DEFINED
#define _PTRDIFF_T_DEFINED
#ifdef _WIN64
typedef __int64 ptrdiff_t;
#else
typedef int ptrdiff_t;
#endif
#endif
#ifndef _INTPTR_T_DEFINED
#define _INTPTR_T_DEFINED
#ifdef _WIN64
typedef __int64 intptr_t;
#else
typedef int intptr_t;
#endif
#endif
#ifndef _UINTPTR_T_DEFINED
#define _UINTPTR_T_DEFINED
#ifdef _WIN64
typedef unsigned __int64 uintptr_t;
#else
typedef unsigned int uintptr_t;
#endif
#endif
#if !defined(__cplusplus) && !defined(_WCHAR_T_DEFINED)
#define _WCHAR_T_DEFINED
typedef unsigned short wchar_t;
#endif
typedef double max_align_t;
#ifndef NULL
#ifdef __cplusplus
#define NULL 0
#else
#define NULL ((void *)0)
#endif
#endif
#define offsetof(s, m) __builtin_offsetof(s, m)
`,
  'stdint.h': String.raw`
#include <stddef.h>
typedef signed char int8_t;
typedef short int16_t;
typedef int int32_t;
typedef long long int64_t;
typedef unsigned char uint8_t;
typedef unsigned short uint16_t;
typedef unsigned int uint32_t;
typedef unsigned long long uint64_t;
typedef signed char int_least8_t;
typedef short int_least16_t;
typedef int int_least32_t;
typedef long long int_least64_t;
typedef unsigned char uint_least8_t;
typedef unsigned short uint_least16_t;
typedef unsigned int uint_least32_t;
typedef unsigned long long uint_least64_t;
typedef signed char int_fast8_t;
typedef int int_fast16_t;
typedef int int_fast32_t;
typedef long long int_fast64_t;
typedef unsigned char uint_fast8_t;
typedef unsigned int uint_fast16_t;
typedef unsigned int uint_fast32_t;
typedef unsigned long long uint_fast64_t;
typedef long long intmax_t;
typedef unsigned long long uintmax_t;
#define INT8_MIN (-127 - 1)
#define INT16_MIN (-32767 - 1)
#define INT32_MIN (-2147483647 - 1)
#define INT64_MIN (-9223372036854775807LL - 1)
#define INT8_MAX 127
#define INT16_MAX 32767
#define INT32_MAX 2147483647
#define INT64_MAX 9223372036854775807LL
#define UINT8_MAX 0xff
#define UINT16_MAX 0xffff
#define UINT32_MAX 0xffffffffU
#define UINT64_MAX 0xffffffffffffffffULL
#define INT_LEAST8_MIN INT8_MIN
#define INT_LEAST16_MIN INT16_MIN
#define INT_LEAST32_MIN INT32_MIN
#define INT_LEAST64_MIN INT64_MIN
#define INT_LEAST8_MAX INT8_MAX
#define INT_LEAST16_MAX INT16_MAX
#define INT_LEAST32_MAX INT32_MAX
#define INT_LEAST64_MAX INT64_MAX
#define UINT_LEAST8_MAX UINT8_MAX
#define UINT_LEAST16_MAX UINT16_MAX
#define UINT_LEAST32_MAX UINT32_MAX
#define UINT_LEAST64_MAX UINT64_MAX
#define INT_FAST8_MIN INT8_MIN
#define INT_FAST16_MIN INT32_MIN
#define INT_FAST32_MIN INT32_MIN
#define INT_FAST64_MIN INT64_MIN
#define INT_FAST8_MAX INT8_MAX
#define INT_FAST16_MAX INT32_MAX
#define INT_FAST32_MAX INT32_MAX
#define INT_FAST64_MAX INT64_MAX
#define UINT_FAST8_MAX UINT8_MAX
#define UINT_FAST16_MAX UINT32_MAX
#define UINT_FAST32_MAX UINT32_MAX
#define UINT_FAST64_MAX UINT64_MAX
#ifdef _WIN64
#define INTPTR_MIN INT64_MIN
#define INTPTR_MAX INT64_MAX
#define UINTPTR_MAX UINT64_MAX
#define PTRDIFF_MIN INT64_MIN
#define PTRDIFF_MAX INT64_MAX
#ifndef SIZE_MAX
#define SIZE_MAX UINT64_MAX
#endif
#else
#define INTPTR_MIN INT32_MIN
#define INTPTR_MAX INT32_MAX
#define UINTPTR_MAX UINT32_MAX
#define PTRDIFF_MIN INT32_MIN
#define PTRDIFF_MAX INT32_MAX
#ifndef SIZE_MAX
#define SIZE_MAX UINT32_MAX
#endif
#endif
#define INTMAX_MIN INT64_MIN
#define INTMAX_MAX INT64_MAX
#define UINTMAX_MAX UINT64_MAX
#define SIG_ATOMIC_MIN INT32_MIN
#define SIG_ATOMIC_MAX INT32_MAX
#define WCHAR_MIN 0x0000
#define WCHAR_MAX 0xffff
#define WINT_MIN 0x0000
#define WINT_MAX 0xffff
#define INT8_C(x) (x)
#define INT16_C(x) (x)
#define INT32_C(x) (x)
#define INT64_C(x) (x ## LL)
#define UINT8_C(x) (x)
#define UINT16_C(x) (x)
#define UINT32_C(x) (x ## U)
#define UINT64_C(x) (x ## ULL)
#define INTMAX_C(x) INT64_C(x)
#define UINTMAX_C(x) UINT64_C(x)
`,
  'limits.h': String.raw`
#define CHAR_BIT 8
#define SCHAR_MIN (-128)
#define SCHAR_MAX 127
#define UCHAR_MAX 0xff
#ifndef _CHAR_UNSIGNED
#define CHAR_MIN SCHAR_MIN
#define CHAR_MAX SCHAR_MAX
#else
#define CHAR_MIN 0
#define CHAR_MAX UCHAR_MAX
#endif
#define MB_LEN_MAX 5
#define SHRT_MIN (-32768)
#define SHRT_MAX 32767
#define USHRT_MAX 0xffff
#define INT_MIN (-2147483647 - 1)
#define INT_MAX 2147483647
#define UINT_MAX 0xffffffffU
#define LONG_MIN (-2147483647L - 1)
#define LONG_MAX 2147483647L
#define ULONG_MAX 0xffffffffUL
#define LLONG_MIN (-9223372036854775807LL - 1)
#define LLONG_MAX 9223372036854775807LL
#define ULLONG_MAX 0xffffffffffffffffULL
#define _I8_MIN (-127 - 1)
#define _I8_MAX 127
#define _UI8_MAX 0xff
#define _I16_MIN (-32767 - 1)
#define _I16_MAX 32767
#define _UI16_MAX 0xffff
#define _I32_MIN (-2147483647 - 1)
#define _I32_MAX 2147483647
#define _UI32_MAX 0xffffffffU
#define _I64_MIN (-9223372036854775807LL - 1)
#define _I64_MAX 9223372036854775807LL
#define _UI64_MAX 0xffffffffffffffffULL
`,
  'stdarg.h': String.raw`
#ifndef _VA_LIST_DEFINED
#define _VA_LIST_DEFINED
typedef char *va_list;
#endif
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_arg(ap, type) __builtin_va_arg(ap, type)
#define va_end(ap) __builtin_va_end(ap)
#define va_copy(dest, src) __builtin_va_copy(dest, src)
`,
  'stdbool.h': String.raw`
#ifndef __cplusplus
#define bool _Bool
#define true 1
#define false 0
#endif
#define __bool_true_false_are_defined 1
`,
  cstddef: String.raw`
#include <stddef.h>
namespace std {
using ::size_t;
using ::ptrdiff_t;
using ::max_align_t;
typedef decltype(nullptr) nullptr_t;
}
using std::nullptr_t;
`,
  cstdint: String.raw`
#include <stdint.h>
namespace std {
using ::int8_t; using ::int16_t; using ::int32_t; using ::int64_t;
using ::uint8_t; using ::uint16_t; using ::uint32_t; using ::uint64_t;
using ::int_least8_t; using ::int_least16_t; using ::int_least32_t; using ::int_least64_t;
using ::uint_least8_t; using ::uint_least16_t; using ::uint_least32_t; using ::uint_least64_t;
using ::int_fast8_t; using ::int_fast16_t; using ::int_fast32_t; using ::int_fast64_t;
using ::uint_fast8_t; using ::uint_fast16_t; using ::uint_fast32_t; using ::uint_fast64_t;
using ::intmax_t; using ::uintmax_t; using ::intptr_t; using ::uintptr_t;
}
`,
  climits: '#include <limits.h>\n',
  cstdarg: '#include <stdarg.h>\nnamespace std { using ::va_list; }\n',
  cstdbool: '#include <stdbool.h>\n',
};

export const builtinHeaders: Readonly<Record<string, string>> = Object.fromEntries([
  ...[1, 2, 4, 8].map((n) => [`pshpack${n}.h`, `/* built-in pshpack${n}.h */\n#pragma pack(push, ${n})\n`]),
  ['poppack.h', '/* built-in poppack.h */\n#pragma pack(pop)\n'],
  ...Object.entries(intrinsics).map(([name, text]) => [name, `/* built-in ${name} */\n#pragma once\n${text}`]),
  ...Object.entries(standard).map(([name, text]) => [name, `/* built-in ${name} (MSVC definitions) */\n#pragma once${text}`]),
]);

export const preludeText = String.raw`
/* ---- Macros: qualifiers, alignment, layout helpers ---------------------- */
#define VOID void
#define CONST const
#define IN
#define OUT
#define OPTIONAL
#define NTAPI __stdcall
#define NTSYSAPI
#define FASTCALL __fastcall
#define POINTER_32 __ptr32
#define POINTER_64 __ptr64
#define POINTER_SIGNED __sptr
#define POINTER_UNSIGNED __uptr
#define SPOINTER_32 POINTER_SIGNED POINTER_32
#define UPOINTER_32 POINTER_UNSIGNED POINTER_32
#define UNALIGNED __unaligned
#define UNALIGNED64 __unaligned
#define DECLSPEC_ALIGN(x) __declspec(align(x))
#define MEMORY_ALLOCATION_ALIGNMENT 16
#define ANYSIZE_ARRAY 1
#define FIELD_OFFSET(Type, Field) ((LONG)__builtin_offsetof(Type, Field))
#define RTL_FIELD_SIZE(Type, Field) (sizeof(((Type *)0)->Field))
#define RTL_SIZEOF_THROUGH_FIELD(Type, Field) (FIELD_OFFSET(Type, Field) + RTL_FIELD_SIZE(Type, Field))
#define TYPE_ALIGNMENT(t) __alignof(t)
#define C_ASSERT(e) typedef char __C_ASSERT__[(e) ? 1 : -1]
#define TRUE 1
#define FALSE 0
/* As vcruntime.h: C++ has no implicit conversion from void *. */
#ifdef __cplusplus
#define NULL 0
#else
#define NULL ((void *)0)
#endif
#define STATUS_SUCCESS ((NTSTATUS)0x00000000L)
#define STATUS_INVALID_PARAMETER ((NTSTATUS)0xC000000DL)
#define STATUS_BUFFER_TOO_SMALL ((NTSTATUS)0xC0000023L)
#define STATUS_INVALID_DEVICE_REQUEST ((NTSTATUS)0xC0000010L)
#define STATUS_INTEGER_OVERFLOW ((NTSTATUS)0xC0000095L)
#define STATUS_INSUFFICIENT_RESOURCES ((NTSTATUS)0xC000009AL)
#define NT_SUCCESS(Status) (((NTSTATUS)(Status)) >= 0)

/* ---- IOCTL control codes (devioctl.h) --------------------------------- */
#define CTL_CODE(DeviceType, Function, Method, Access) (((DeviceType) << 16) | ((Access) << 14) | ((Function) << 2) | (Method))
#define DEVICE_TYPE_FROM_CTL_CODE(ctrlCode) (((ULONG)(ctrlCode & 0xffff0000)) >> 16)
#define METHOD_FROM_CTL_CODE(ctrlCode) ((ULONG)(ctrlCode & 3))
#define METHOD_BUFFERED 0
#define METHOD_IN_DIRECT 1
#define METHOD_OUT_DIRECT 2
#define METHOD_NEITHER 3
#define METHOD_DIRECT_TO_HARDWARE METHOD_IN_DIRECT
#define METHOD_DIRECT_FROM_HARDWARE METHOD_OUT_DIRECT
#define FILE_ANY_ACCESS 0
#define FILE_SPECIAL_ACCESS (FILE_ANY_ACCESS)
#define FILE_READ_ACCESS 0x0001
#define FILE_WRITE_ACCESS 0x0002
#define FILE_READ_DATA 0x0001
#define FILE_WRITE_DATA 0x0002
#define FILE_DEVICE_BEEP 0x00000001
#define FILE_DEVICE_CD_ROM 0x00000002
#define FILE_DEVICE_CD_ROM_FILE_SYSTEM 0x00000003
#define FILE_DEVICE_CONTROLLER 0x00000004
#define FILE_DEVICE_DATALINK 0x00000005
#define FILE_DEVICE_DFS 0x00000006
#define FILE_DEVICE_DISK 0x00000007
#define FILE_DEVICE_DISK_FILE_SYSTEM 0x00000008
#define FILE_DEVICE_FILE_SYSTEM 0x00000009
#define FILE_DEVICE_INPORT_PORT 0x0000000a
#define FILE_DEVICE_KEYBOARD 0x0000000b
#define FILE_DEVICE_MAILSLOT 0x0000000c
#define FILE_DEVICE_MIDI_IN 0x0000000d
#define FILE_DEVICE_MIDI_OUT 0x0000000e
#define FILE_DEVICE_MOUSE 0x0000000f
#define FILE_DEVICE_MULTI_UNC_PROVIDER 0x00000010
#define FILE_DEVICE_NAMED_PIPE 0x00000011
#define FILE_DEVICE_NETWORK 0x00000012
#define FILE_DEVICE_NETWORK_BROWSER 0x00000013
#define FILE_DEVICE_NETWORK_FILE_SYSTEM 0x00000014
#define FILE_DEVICE_NULL 0x00000015
#define FILE_DEVICE_PARALLEL_PORT 0x00000016
#define FILE_DEVICE_PHYSICAL_NETCARD 0x00000017
#define FILE_DEVICE_PRINTER 0x00000018
#define FILE_DEVICE_SCANNER 0x00000019
#define FILE_DEVICE_SERIAL_MOUSE_PORT 0x0000001a
#define FILE_DEVICE_SERIAL_PORT 0x0000001b
#define FILE_DEVICE_SCREEN 0x0000001c
#define FILE_DEVICE_SOUND 0x0000001d
#define FILE_DEVICE_STREAMS 0x0000001e
#define FILE_DEVICE_TAPE 0x0000001f
#define FILE_DEVICE_TAPE_FILE_SYSTEM 0x00000020
#define FILE_DEVICE_TRANSPORT 0x00000021
#define FILE_DEVICE_UNKNOWN 0x00000022
#define FILE_DEVICE_VIDEO 0x00000023
#define FILE_DEVICE_VIRTUAL_DISK 0x00000024
#define FILE_DEVICE_WAVE_IN 0x00000025
#define FILE_DEVICE_WAVE_OUT 0x00000026
#define FILE_DEVICE_8042_PORT 0x00000027
#define FILE_DEVICE_NETWORK_REDIRECTOR 0x00000028
#define FILE_DEVICE_BATTERY 0x00000029
#define FILE_DEVICE_BUS_EXTENDER 0x0000002a
#define FILE_DEVICE_MODEM 0x0000002b
#define FILE_DEVICE_VDM 0x0000002c
#define FILE_DEVICE_MASS_STORAGE 0x0000002d
#define FILE_DEVICE_SMB 0x0000002e
#define FILE_DEVICE_KS 0x0000002f
#define FILE_DEVICE_CHANGER 0x00000030
#define FILE_DEVICE_SMARTCARD 0x00000031
#define FILE_DEVICE_ACPI 0x00000032
#define FILE_DEVICE_DVD 0x00000033
#define FILE_DEVICE_FULLSCREEN_VIDEO 0x00000034
#define FILE_DEVICE_DFS_FILE_SYSTEM 0x00000035
#define FILE_DEVICE_DFS_VOLUME 0x00000036
#define FILE_DEVICE_SERENUM 0x00000037
#define FILE_DEVICE_TERMSRV 0x00000038
#define FILE_DEVICE_KSEC 0x00000039
#define FILE_DEVICE_FIPS 0x0000003A
#define FILE_DEVICE_INFINIBAND 0x0000003B
#define FILE_DEVICE_VMBUS 0x0000003E
#define FILE_DEVICE_CRYPT_PROVIDER 0x0000003F
#define FILE_DEVICE_WPD 0x00000040
#define FILE_DEVICE_BLUETOOTH 0x00000041
#define FILE_DEVICE_MT_COMPOSITE 0x00000042
#define FILE_DEVICE_MT_TRANSPORT 0x00000043
#define FILE_DEVICE_BIOMETRIC 0x00000044
#define FILE_DEVICE_PMI 0x00000045
#define FILE_DEVICE_EHSTOR 0x00000046
#define FILE_DEVICE_DEVAPI 0x00000047
#define FILE_DEVICE_GPIO 0x00000048
#define FILE_DEVICE_USBEX 0x00000049
#define FILE_DEVICE_CONSOLE 0x00000050
#define FILE_DEVICE_NFP 0x00000051
#define FILE_DEVICE_SYSENV 0x00000052
#define FILE_DEVICE_VIRTUAL_BLOCK 0x00000053
#define FILE_DEVICE_POINT_OF_SERVICE 0x00000054
#define FILE_DEVICE_STORAGE_REPLICATION 0x00000055
#define FILE_DEVICE_TRUST_ENV 0x00000056
#define FILE_DEVICE_UCM 0x00000057
#define FILE_DEVICE_UCMTCPCI 0x00000058
#define FILE_DEVICE_PERSISTENT_MEMORY 0x00000059
#define FILE_DEVICE_NVDIMM 0x0000005a
#define FILE_DEVICE_HOLOGRAPHIC 0x0000005b
#define FILE_DEVICE_SDFXHCI 0x0000005c
#define FILE_DEVICE_UCMUCSI 0x0000005d

/* ---- Scalar types (basetsd.h, ntdef.h, windef.h) ----------------------- */
typedef char CHAR, *PCHAR, *PSTR, *LPSTR, CCHAR;
typedef const char *PCSTR, *LPCSTR;
typedef unsigned char UCHAR, *PUCHAR, BYTE, *PBYTE, *LPBYTE, BOOLEAN, *PBOOLEAN;
typedef short SHORT, *PSHORT, CSHORT;
typedef unsigned short USHORT, *PUSHORT, WORD, *PWORD;
typedef int INT, *PINT, BOOL, *PBOOL;
typedef unsigned int UINT, *PUINT;
typedef long LONG, *PLONG, HRESULT;
typedef unsigned long ULONG, *PULONG, DWORD, *PDWORD, *LPDWORD;
typedef signed char INT8, *PINT8;
typedef unsigned char UINT8, *PUINT8;
typedef signed short INT16, *PINT16;
typedef unsigned short UINT16, *PUINT16;
typedef signed int INT32, *PINT32, LONG32, *PLONG32;
typedef unsigned int UINT32, *PUINT32, ULONG32, *PULONG32, DWORD32, *PDWORD32;
typedef __int64 INT64, *PINT64, LONG64, *PLONG64, LONGLONG, *PLONGLONG;
typedef unsigned __int64 UINT64, *PUINT64, ULONG64, *PULONG64, DWORD64, *PDWORD64, ULONGLONG, *PULONGLONG, DWORDLONG, *PDWORDLONG;
#if defined(_WIN64)
typedef __int64 INT_PTR, *PINT_PTR, LONG_PTR, *PLONG_PTR;
typedef unsigned __int64 UINT_PTR, *PUINT_PTR, ULONG_PTR, *PULONG_PTR;
typedef int HALF_PTR, *PHALF_PTR;
typedef unsigned int UHALF_PTR, *PUHALF_PTR;
#else
typedef int INT_PTR, *PINT_PTR;
typedef long LONG_PTR, *PLONG_PTR;
typedef unsigned int UINT_PTR, *PUINT_PTR;
typedef unsigned long ULONG_PTR, *PULONG_PTR;
typedef short HALF_PTR, *PHALF_PTR;
typedef unsigned short UHALF_PTR, *PUHALF_PTR;
#endif
typedef ULONG_PTR SIZE_T, *PSIZE_T, DWORD_PTR, *PDWORD_PTR, KAFFINITY, *PKAFFINITY;
typedef LONG_PTR SSIZE_T, *PSSIZE_T;
typedef void *PVOID, *LPVOID;
typedef const void *PCVOID, *LPCVOID;
typedef void * __ptr64 PVOID64;
typedef void *HANDLE, **PHANDLE;
typedef HANDLE HKEY, HMODULE, HINSTANCE, HWND, HDEVINFO;
typedef wchar_t WCHAR, *PWCHAR, *PWCH, *LPWCH, *PWSTR, *LPWSTR, *PZZWSTR;
typedef const wchar_t *PCWCH, *LPCWCH, *PCWSTR, *LPCWSTR, *PCZZWSTR;
typedef float FLOAT, *PFLOAT;
typedef double DOUBLE;
typedef LONG NTSTATUS, *PNTSTATUS;
typedef UCHAR KIRQL, *PKIRQL;
typedef CCHAR KPROCESSOR_MODE;
typedef ULONG LOGICAL, *PLOGICAL;
typedef ULONG ACCESS_MASK, *PACCESS_MASK;
typedef ULONG DEVICE_TYPE;
typedef ULONG_PTR ERESOURCE_THREAD;
typedef LONG KPRIORITY;
typedef ULONG CLONG;
typedef ULONG ULONG_BOOL;

/* ---- Common records ------------------------------------------------------ */
typedef union _LARGE_INTEGER {
  struct { ULONG LowPart; LONG HighPart; };
  struct { ULONG LowPart; LONG HighPart; } u;
  LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef union _ULARGE_INTEGER {
  struct { ULONG LowPart; ULONG HighPart; };
  struct { ULONG LowPart; ULONG HighPart; } u;
  ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;

typedef LARGE_INTEGER PHYSICAL_ADDRESS, *PPHYSICAL_ADDRESS;

typedef struct _LUID {
  ULONG LowPart;
  LONG HighPart;
} LUID, *PLUID;

typedef struct _GUID {
  unsigned long Data1;
  unsigned short Data2;
  unsigned short Data3;
  unsigned char Data4[8];
} GUID, *PGUID, *LPGUID;
typedef const GUID *LPCGUID, *PCGUID;

typedef struct _UNICODE_STRING {
  USHORT Length;
  USHORT MaximumLength;
  _Field_size_bytes_part_(MaximumLength, Length) PWCH Buffer;
} UNICODE_STRING, *PUNICODE_STRING;
typedef const UNICODE_STRING *PCUNICODE_STRING;

typedef struct _STRING {
  USHORT Length;
  USHORT MaximumLength;
  _Field_size_bytes_part_opt_(MaximumLength, Length) PCHAR Buffer;
} STRING, *PSTRING, ANSI_STRING, *PANSI_STRING, OEM_STRING, *POEM_STRING;

typedef struct _STRING32 {
  USHORT Length;
  USHORT MaximumLength;
  ULONG Buffer;
} STRING32, *PSTRING32, UNICODE_STRING32, *PUNICODE_STRING32, ANSI_STRING32, *PANSI_STRING32;

typedef struct _STRING64 {
  USHORT Length;
  USHORT MaximumLength;
  ULONGLONG Buffer;
} STRING64, *PSTRING64, UNICODE_STRING64, *PUNICODE_STRING64, ANSI_STRING64, *PANSI_STRING64;

typedef struct _LIST_ENTRY {
  struct _LIST_ENTRY *Flink;
  struct _LIST_ENTRY *Blink;
} LIST_ENTRY, *PLIST_ENTRY;

typedef struct LIST_ENTRY32 {
  ULONG Flink;
  ULONG Blink;
} LIST_ENTRY32, *PLIST_ENTRY32;

typedef struct LIST_ENTRY64 {
  ULONGLONG Flink;
  ULONGLONG Blink;
} LIST_ENTRY64, *PLIST_ENTRY64;

typedef struct _SINGLE_LIST_ENTRY {
  struct _SINGLE_LIST_ENTRY *Next;
} SINGLE_LIST_ENTRY, *PSINGLE_LIST_ENTRY;

typedef struct _IO_STATUS_BLOCK {
  union {
    NTSTATUS Status;
    PVOID Pointer;
  };
  ULONG_PTR Information;
} IO_STATUS_BLOCK, *PIO_STATUS_BLOCK;

typedef struct _IO_STATUS_BLOCK32 {
  NTSTATUS Status;
  ULONG Information;
} IO_STATUS_BLOCK32, *PIO_STATUS_BLOCK32;

typedef struct _OBJECT_ATTRIBUTES {
  ULONG Length;
  HANDLE RootDirectory;
  PUNICODE_STRING ObjectName;
  ULONG Attributes;
  PVOID SecurityDescriptor;
  PVOID SecurityQualityOfService;
} OBJECT_ATTRIBUTES, *POBJECT_ATTRIBUTES;

typedef struct _OBJECT_ATTRIBUTES32 {
  ULONG Length;
  ULONG RootDirectory;
  ULONG ObjectName;
  ULONG Attributes;
  ULONG SecurityDescriptor;
  ULONG SecurityQualityOfService;
} OBJECT_ATTRIBUTES32, *POBJECT_ATTRIBUTES32;

/* ---- Kernel and KMDF objects drivers hold by pointer or handle (wdm.h, wdf.h) ----
   Opaque here: pointer-sized wherever a record holds one, and an error (an
   incomplete type) where a record would hold the object itself. */
/* wdm.h brings size_t (through vcruntime.h, as MSVC defines it there) to a file that includes no <stddef.h>. */
${msvcSizeT}typedef struct _IRP IRP, *PIRP;
typedef struct _IO_STACK_LOCATION IO_STACK_LOCATION, *PIO_STACK_LOCATION;
typedef struct _DEVICE_OBJECT DEVICE_OBJECT, *PDEVICE_OBJECT;
typedef struct _DRIVER_OBJECT DRIVER_OBJECT, *PDRIVER_OBJECT;
typedef struct _FILE_OBJECT FILE_OBJECT, *PFILE_OBJECT;
typedef struct _MDL MDL, *PMDL;
typedef struct _KEVENT KEVENT, *PKEVENT, *PRKEVENT;
typedef struct _EPROCESS *PEPROCESS;
typedef struct _ETHREAD *PETHREAD;
typedef struct _KTHREAD *PKTHREAD;
typedef struct WDFDRIVER__ *WDFDRIVER;
typedef struct WDFDEVICE__ *WDFDEVICE;
typedef struct WDFQUEUE__ *WDFQUEUE;
typedef struct WDFREQUEST__ *WDFREQUEST;
typedef struct WDFFILEOBJECT__ *WDFFILEOBJECT;
typedef struct WDFMEMORY__ *WDFMEMORY;
typedef struct WDFIOTARGET__ *WDFIOTARGET;
typedef struct WDFOBJECT__ *WDFOBJECT;
typedef struct WDFWORKITEM__ *WDFWORKITEM;
typedef struct WDFTIMER__ *WDFTIMER;
typedef struct WDFSPINLOCK__ *WDFSPINLOCK;
typedef struct WDFWAITLOCK__ *WDFWAITLOCK;
typedef struct WDFINTERRUPT__ *WDFINTERRUPT;
typedef struct WDFDPC__ *WDFDPC;
typedef struct WDFCOLLECTION__ *WDFCOLLECTION;
typedef struct WDFKEY__ *WDFKEY;
typedef struct WDFSTRING__ *WDFSTRING;
`;

/**
 * System headers whose place the prelude takes when they are not on the
 * include path (lower case): a file that includes one still gets its
 * Windows and WDK types, only approximately. Front ends say so once instead
 * of reporting each one as a missing file.
 */
export const preludeStandsInFor: ReadonlySet<string> = new Set([
  'ntddk.h', 'wdm.h', 'ntifs.h', 'ntdef.h', 'ntstatus.h', 'wdf.h', 'wdfrequest.h', 'wdftypes.h', 'wdmsec.h', 'ntstrsafe.h',
  'windows.h', 'winioctl.h', 'devioctl.h', 'winnt.h', 'windef.h', 'minwindef.h', 'basetsd.h', 'winternl.h', 'ntddser.h',
]);
