/*
 * wdk_shim.h - the WDK and basetsd.h declarations that ioctl-lens's generated
 * WOW64 thunks use, for its tests. Two modes:
 *
 *  - Windows targets (clang -target x86_64-pc-windows-msvc / i686-pc-windows-msvc,
 *    -fms-extensions): types as the WDK declares them, kernel routines as
 *    prototypes, __try/__except and GetExceptionCode() from clang itself.
 *    Used to prove the shadows' layouts and that the code compiles.
 *
 *  - Native (Linux, any C11 compiler; _WIN32 undefined): the same names with
 *    Windows widths (ULONG is 32 bits), kernel routines simulated so the
 *    generated routines *run* in a test program:
 *      * ProbeForRead accepts only a WOW64 caller's address space: below 4 GB
 *        (a sign-extended pointer fails), not in the first 64 KB (a NULL
 *        pointer fails as its access would), aligned as asked; it raises
 *        STATUS_ACCESS_VIOLATION / STATUS_DATATYPE_MISALIGNMENT.
 *      * __try/__except are sigsetjmp/siglongjmp frames, and a SIGSEGV inside
 *        one raises STATUS_ACCESS_VIOLATION (call shim_install() first) (the body must not
 *        `return` or `goto` out of a __try; the generated code never does).
 *      * ExAllocatePool2 is calloc (zeroed, like the real one), refuses more
 *        than 1 GB, and counts outstanding allocations (shim_outstanding).
 */
#ifndef WDK_SHIM_H
#define WDK_SHIM_H

#define _In_
#define _Out_
#define _Inout_
#define _In_reads_bytes_(x)
#define _Out_writes_bytes_to_(x, y)
#define _In_opt_
#define _Out_opt_
#define _IRQL_requires_max_(x)
#define _Field_size_(x)
#define _Field_size_opt_(x)
#define _Field_size_bytes_(x)
#define _Field_size_part_(x, y)
#define _Field_size_bytes_part_(x, y)
#define _Field_size_bytes_part_opt_(x, y)

#define VOID void
#define CONST const
#define TRUE 1
#define FALSE 0
#ifndef NULL
#define NULL ((void *)0)
#endif

typedef char CHAR, *PCHAR;
typedef unsigned char UCHAR, *PUCHAR, BOOLEAN;
typedef short SHORT;
typedef unsigned short USHORT, *PUSHORT;
typedef unsigned short WCHAR, *PWCH, *PWSTR;

#if defined(_WIN32)
typedef long LONG;
typedef unsigned long ULONG, *PULONG;
typedef __int64 LONGLONG;
typedef unsigned __int64 ULONGLONG, ULONG64;
#if defined(_WIN64)
typedef __int64 LONG_PTR, INT_PTR;
typedef unsigned __int64 ULONG_PTR, UINT_PTR;
#else
typedef long LONG_PTR;
typedef int INT_PTR;
typedef unsigned long ULONG_PTR;
typedef unsigned int UINT_PTR;
#endif
#ifndef POINTER_32
#define POINTER_32 __ptr32 /* mingw-w64 defines it empty: the tests do too, to prove the guard fires */
#endif
#else
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
typedef int32_t LONG;
typedef uint32_t ULONG, *PULONG;
typedef int64_t LONGLONG;
typedef uint64_t ULONGLONG, ULONG64;
typedef intptr_t LONG_PTR, INT_PTR;
typedef uintptr_t ULONG_PTR, UINT_PTR;
#define POINTER_32 /* no __ptr32 outside MSVC/clang-cl: --style pointer32 is not layout-correct here */
#endif

typedef ULONG_PTR SIZE_T, *PSIZE_T;
typedef LONG_PTR SSIZE_T;
typedef void *PVOID;
typedef const WCHAR *PCWSTR;
typedef const CHAR *PCSTR;
typedef void *HANDLE;
#if defined(_WIN32)
typedef void * __ptr64 PVOID64;
#else
typedef void *PVOID64;
#endif
typedef LONG NTSTATUS;
typedef ULONG ACCESS_MASK;

typedef union _LARGE_INTEGER {
    struct { ULONG LowPart; LONG HighPart; };
    struct { ULONG LowPart; LONG HighPart; } u;
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef struct _UNICODE_STRING {
    USHORT Length;
    USHORT MaximumLength;
    PWCH Buffer;
} UNICODE_STRING, *PUNICODE_STRING;

typedef struct _STRING32 {
    USHORT Length;
    USHORT MaximumLength;
    ULONG Buffer;
} STRING32, *PSTRING32, UNICODE_STRING32, *PUNICODE_STRING32;

typedef struct _LIST_ENTRY {
    struct _LIST_ENTRY *Flink;
    struct _LIST_ENTRY *Blink;
} LIST_ENTRY, *PLIST_ENTRY;

typedef struct LIST_ENTRY32 {
    ULONG Flink;
    ULONG Blink;
} LIST_ENTRY32, *PLIST_ENTRY32;

#define MAXUCHAR 0xff
#define MAXUSHORT 0xffff
#define MAXULONG 0xffffffffUL
#define MAXLONG 0x7fffffffL
#define MINLONG (-MAXLONG - 1)
#define MAXSHORT 0x7fff
#define MINSHORT (-MAXSHORT - 1)

#define STATUS_SUCCESS ((NTSTATUS)0x00000000L)
#define STATUS_ACCESS_VIOLATION ((NTSTATUS)0xC0000005L)
#define STATUS_DATATYPE_MISALIGNMENT ((NTSTATUS)0x80000002L)
#define STATUS_BUFFER_TOO_SMALL ((NTSTATUS)0xC0000023L)
#define STATUS_INTEGER_OVERFLOW ((NTSTATUS)0xC0000095L)
#define STATUS_BUFFER_OVERFLOW ((NTSTATUS)0x80000005L)
#define STATUS_INVALID_PARAMETER ((NTSTATUS)0xC000000DL)
#define STATUS_INSUFFICIENT_RESOURCES ((NTSTATUS)0xC000009AL)
#define NT_SUCCESS(Status) (((NTSTATUS)(Status)) >= 0)

#if defined(_WIN32)
#define DECLSPEC_ALIGN(x) __declspec(align(x))
#else
#define DECLSPEC_ALIGN(x) __attribute__((aligned(x)))
#endif
#define FIELD_OFFSET(type, field) ((LONG)__builtin_offsetof(type, field))
#define TYPE_ALIGNMENT(t) _Alignof(t)
#define C_ASSERT(e) _Static_assert(e, #e)
#define UNREFERENCED_PARAMETER(P) (P)

#define POOL_FLAG_PAGED 0x100ULL
#define EXCEPTION_EXECUTE_HANDLER 1

/* basetsd.h conversion helpers: inline functions taking `const void *` on 64-bit Windows, as in the SDK (so a
   `VOID * POINTER_32` argument is converted as it would be there), macros elsewhere. */
#if defined(_WIN64) && defined(_WIN32)
static __inline ULONG PtrToUlong(const void *p) { return (ULONG)(ULONG_PTR)p; }
static __inline LONG PtrToLong(const void *p) { return (LONG)(LONG_PTR)p; }
static __inline LONG HandleToLong(const void *h) { return (LONG)(LONG_PTR)h; }
static __inline ULONG HandleToULong(const void *h) { return (ULONG)(ULONG_PTR)h; }
static __inline void *LongToHandle(const LONG h) { return (void *)(INT_PTR)h; }
static __inline void *ULongToPtr(const ULONG ul) { return (void *)(ULONG_PTR)ul; }
#define UlongToPtr(ul) ULongToPtr(ul)
#else
#define UlongToPtr(ul) ((PVOID)(ULONG_PTR)(ULONG)(ul))
#define LongToHandle(h) ((HANDLE)(LONG_PTR)(LONG)(h))
#define PtrToUlong(p) ((ULONG)(ULONG_PTR)(p))
#define PtrToLong(p) ((LONG)(LONG_PTR)(p))
#define HandleToLong(h) ((LONG)(LONG_PTR)(h))
#define HandleToULong(h) ((ULONG)(ULONG_PTR)(h))
#endif

#define RtlZeroMemory(d, n) __builtin_memset((d), 0, (n))
#define RtlCopyMemory(d, s, n) __builtin_memcpy((d), (s), (n))

/* Minimal I/O manager and WDF declarations for the dispatch branches. */
typedef struct _IO_STATUS_BLOCK {
    union { NTSTATUS Status; PVOID Pointer; };
    ULONG_PTR Information;
} IO_STATUS_BLOCK, *PIO_STATUS_BLOCK;
typedef struct _IO_STATUS_BLOCK32 {
    NTSTATUS Status;
    ULONG Information;
} IO_STATUS_BLOCK32, *PIO_STATUS_BLOCK32;
typedef struct _IRP {
    IO_STATUS_BLOCK IoStatus;
    struct { PVOID SystemBuffer; } AssociatedIrp;
    PVOID UserBuffer;
} IRP, *PIRP;
typedef struct _IO_STACK_LOCATION {
    union {
        struct {
            ULONG OutputBufferLength;
            ULONG InputBufferLength;
            ULONG IoControlCode;
            PVOID Type3InputBuffer;
        } DeviceIoControl;
    } Parameters;
} IO_STACK_LOCATION, *PIO_STACK_LOCATION;
typedef struct WDFREQUEST__ *WDFREQUEST;

#if defined(_WIN32)
VOID ProbeForRead(const volatile VOID *Address, SIZE_T Length, ULONG Alignment);
PVOID ExAllocatePool2(ULONG64 Flags, SIZE_T NumberOfBytes, ULONG Tag);
VOID ExFreePoolWithTag(PVOID P, ULONG Tag);
NTSTATUS RtlULongMult(ULONG a, ULONG b, ULONG *r);
NTSTATUS RtlSizeTMult(SIZE_T a, SIZE_T b, SIZE_T *r);
NTSTATUS RtlULongAdd(ULONG a, ULONG b, ULONG *r);
PIRP WdfRequestWdmGetIrp(WDFREQUEST Request);
BOOLEAN IoIs32bitProcess(PIRP Irp);
BOOLEAN WdfRequestIsFrom32BitProcess(WDFREQUEST Request);
NTSTATUS WdfRequestRetrieveInputBuffer(WDFREQUEST Request, SIZE_T MinimumRequiredSize, PVOID *Buffer, SIZE_T *Length);
NTSTATUS WdfRequestRetrieveOutputBuffer(WDFREQUEST Request, SIZE_T MinimumRequiredSize, PVOID *Buffer, SIZE_T *Length);
VOID WdfRequestSetInformation(WDFREQUEST Request, ULONG_PTR Information);
unsigned long __cdecl _exception_code(void);
#define GetExceptionCode() ((NTSTATUS)_exception_code())
#else
/* ---- Native simulation ---------------------------------------------------- */
#include <signal.h>
static int shim_outstanding;
static sigjmp_buf shim_frames[16];
static int shim_depth;
static NTSTATUS shim_code;

static void shim_push(void) { shim_depth++; }
static void shim_pop(void) { shim_depth--; }
static void shim_raise(NTSTATUS code) {
    shim_code = code;
    siglongjmp(shim_frames[shim_depth - 1], 1);
}
/* A fault inside a __try (reading an unmapped page of the "caller") is an access violation, as in the kernel. */
static void shim_fault(int sig) {
    if (shim_depth == 0) { signal(sig, SIG_DFL); raise(sig); return; }
    shim_raise(STATUS_ACCESS_VIOLATION);
}
static void shim_install(void) {
    signal(SIGSEGV, shim_fault);
    signal(SIGBUS, shim_fault);
}
#define __try for (int shim_once_ = (shim_push(), 1); shim_once_; shim_once_ = 0, shim_pop()) if (sigsetjmp(shim_frames[shim_depth - 1], 1) == 0)
#define __except(filter) else
#define GetExceptionCode() (shim_code)

static VOID ProbeForRead(const volatile VOID *Address, SIZE_T Length, ULONG Alignment) {
    uintptr_t a = (uintptr_t)Address;
    if (Length == 0) return;
    if (a & (Alignment - 1)) shim_raise(STATUS_DATATYPE_MISALIGNMENT);
    if (a < 0x10000 || a + Length < a || a + Length > 0x100000000ULL) shim_raise(STATUS_ACCESS_VIOLATION);
}
static PVOID ExAllocatePool2(ULONG64 Flags, SIZE_T NumberOfBytes, ULONG Tag) {
    (void)Flags; (void)Tag;
    if (NumberOfBytes > (1u << 30)) return NULL;
    PVOID p = calloc(1, NumberOfBytes ? NumberOfBytes : 1);
    if (p) shim_outstanding++;
    return p;
}
static VOID ExFreePoolWithTag(PVOID P, ULONG Tag) {
    (void)Tag;
    free(P);
    shim_outstanding--;
}
static NTSTATUS RtlULongMult(ULONG a, ULONG b, ULONG *r) {
    if (__builtin_mul_overflow(a, b, r)) { *r = 0; return STATUS_INTEGER_OVERFLOW; }
    return STATUS_SUCCESS;
}
static NTSTATUS RtlSizeTMult(SIZE_T a, SIZE_T b, SIZE_T *r) {
    if (__builtin_mul_overflow(a, b, r)) { *r = 0; return STATUS_INTEGER_OVERFLOW; }
    return STATUS_SUCCESS;
}
static NTSTATUS RtlULongAdd(ULONG a, ULONG b, ULONG *r) {
    if (__builtin_add_overflow(a, b, r)) { *r = 0; return STATUS_INTEGER_OVERFLOW; }
    return STATUS_SUCCESS;
}
static BOOLEAN shim_is32 = TRUE;
static BOOLEAN IoIs32bitProcess(PIRP Irp) { (void)Irp; return shim_is32; }
static BOOLEAN WdfRequestIsFrom32BitProcess(WDFREQUEST Request) { (void)Request; return shim_is32; }
/* One METHOD_BUFFERED request for the KMDF branch: its buffer, length and reported information. */
static PVOID shim_buffer;
static SIZE_T shim_length;
static ULONG_PTR shim_information;
static NTSTATUS WdfRequestRetrieveInputBuffer(WDFREQUEST Request, SIZE_T MinimumRequiredSize, PVOID *Buffer, SIZE_T *Length) {
    (void)Request;
    if (shim_length < MinimumRequiredSize) return STATUS_BUFFER_TOO_SMALL;
    *Buffer = shim_buffer;
    if (Length) *Length = shim_length;
    return STATUS_SUCCESS;
}
#define WdfRequestRetrieveOutputBuffer WdfRequestRetrieveInputBuffer
static VOID WdfRequestSetInformation(WDFREQUEST Request, ULONG_PTR Information) { (void)Request; shim_information = Information; }
/* The request's IRP: its UserBuffer is the caller's address of the output buffer. */
static IRP shim_irp;
static PIRP WdfRequestWdmGetIrp(WDFREQUEST Request) { (void)Request; return &shim_irp; }
#endif

#endif /* WDK_SHIM_H */
