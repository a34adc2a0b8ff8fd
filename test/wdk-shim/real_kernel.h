/*
 * real_kernel.h - what ioctl-lens's generated WOW64 routines call that
 * mingw-w64's headers do not declare, for compiling those routines after the
 * *real* headers (test/thunk/sweep.test.ts). Include it after them.
 *
 * Define IOCTL_LENS_USER_HEADERS when the headers are the user-mode ones
 * (windows.h, winioctl.h, ntdd*.h ...), which declare no kernel routine at
 * all; without it the DDK's (ddk/ntddk.h) own declarations are used where it
 * has them. Declarations only: the code is compiled (-fsyntax-only), not run.
 */
#ifndef IOCTL_LENS_REAL_KERNEL_H
#define IOCTL_LENS_REAL_KERNEL_H

#ifdef IOCTL_LENS_USER_HEADERS
typedef LONG NTSTATUS;
VOID ProbeForRead(const volatile VOID *Address, SIZE_T Length, ULONG Alignment);
VOID ProbeForWrite(volatile VOID *Address, SIZE_T Length, ULONG Alignment);
VOID ExFreePoolWithTag(PVOID P, ULONG Tag);
#define NT_SUCCESS(Status) (((NTSTATUS)(Status)) >= 0)
#endif

PVOID ExAllocatePool2(ULONG64 Flags, SIZE_T NumberOfBytes, ULONG Tag);
NTSTATUS RtlULongMult(ULONG Multiplicand, ULONG Multiplier, ULONG *Result);
NTSTATUS RtlULongAdd(ULONG Augend, ULONG Addend, ULONG *Result);
NTSTATUS RtlSizeTMult(SIZE_T Multiplicand, SIZE_T Multiplier, SIZE_T *Result);

/*
 * mingw-w64's ntdef.h spells FIELD_OFFSET as the address of a member of a null
 * pointer when __GNUC__ is undefined (clang's *-windows-msvc targets): MSVC folds
 * that to a constant, clang does not in C, so every C_ASSERT of an offset would
 * fail on that header alone. The builtin is what winnt.h uses.
 */
#undef FIELD_OFFSET
#define FIELD_OFFSET(Type, Field) ((LONG)__builtin_offsetof(Type, Field))

#ifndef MAXULONG
#define MAXUCHAR 0xff
#define MAXUSHORT 0xffff
#define MAXULONG 0xffffffffUL
#define MAXLONG 0x7fffffffL
#define MINLONG (-MAXLONG - 1)
#define MAXSHORT 0x7fff
#define MINSHORT (-MAXSHORT - 1)
#define MAXCHAR 0x7f
#define MINCHAR 0x80
#endif

#ifndef POOL_FLAG_PAGED
#define POOL_FLAG_PAGED 0x0000000000000100ULL
#endif
#ifndef _IRQL_requires_max_
#define _IRQL_requires_max_(irql)
#endif

/* ntstatus.h values (winnt.h defines a few as DWORD; these are the NTSTATUS ones the routines return). */
#ifndef STATUS_SUCCESS
#define STATUS_SUCCESS ((NTSTATUS)0x00000000L)
#endif
#ifndef STATUS_BUFFER_OVERFLOW
#define STATUS_BUFFER_OVERFLOW ((NTSTATUS)0x80000005L)
#endif
#ifndef STATUS_INVALID_PARAMETER
#define STATUS_INVALID_PARAMETER ((NTSTATUS)0xC000000DL)
#endif
#ifndef STATUS_INTEGER_OVERFLOW
#define STATUS_INTEGER_OVERFLOW ((NTSTATUS)0xC0000095L)
#endif
#ifndef STATUS_INSUFFICIENT_RESOURCES
#define STATUS_INSUFFICIENT_RESOURCES ((NTSTATUS)0xC000009AL)
#endif
#ifndef STATUS_BUFFER_TOO_SMALL
#define STATUS_BUFFER_TOO_SMALL ((NTSTATUS)0xC0000023L)
#endif
#ifndef STATUS_DATATYPE_MISALIGNMENT
#define STATUS_DATATYPE_MISALIGNMENT ((NTSTATUS)0x80000002L)
#endif

#endif /* IOCTL_LENS_REAL_KERNEL_H */
