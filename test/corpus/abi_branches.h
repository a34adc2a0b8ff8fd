/* Preprocessor branches on the target's predefined macros: the same header
 * declares different records per ABI, as SDK headers do. */

#if defined(_WIN64)
typedef unsigned __int64 ULONG_PTR;
typedef __int64 LONG_PTR;
#else
typedef unsigned long ULONG_PTR;
typedef long LONG_PTR;
#endif
typedef unsigned long ULONG;
typedef void *PVOID;

#if defined(_WIN64)
typedef struct _BRANCH_RECORD { ULONG_PTR a; PVOID b; ULONG c; ULONG d64; } BRANCH_RECORD; /* 64-bit branch: extra member */
#else
typedef struct _BRANCH_RECORD { ULONG_PTR a; PVOID b; ULONG c; } BRANCH_RECORD;            /* 32-bit branch */
#endif

#if defined(_M_IX86)
struct PerArchitecture { char x86_only; double d; };      /* x86: _M_IX86 */
#elif defined(_M_AMD64) || defined(_M_X64)
struct PerArchitecture { short x64_only; double d; };     /* x64: _M_AMD64 / _M_X64 */
#elif defined(_M_ARM64)
struct PerArchitecture { int arm64_only; double d; };     /* arm64: _M_ARM64 */
#elif defined(_M_ARM)
struct PerArchitecture { __int64 arm32_only; char d; };   /* arm32: _M_ARM */
#else
#error unknown Windows architecture
#endif

#ifdef _WIN64
#pragma pack(push, 16)
#else
#pragma pack(push, 4)
#endif
struct PackPerAbi { char c; double d; ULONG_PTR p; };     /* the pack value itself depends on the ABI */
#pragma pack(pop)

struct WordSized {                                        /* #if inside a record body */
  ULONG Flags;
#if defined(_WIN64)
  ULONG Reserved;                                         /* explicit padding the 64-bit header spells out */
#endif
  PVOID Pointer;
};

#if defined(_MSC_VER) && _MSC_VER >= 1900 && defined(_WIN32)
struct CompilerVersion { int modern; };                   /* _MSC_VER and _WIN32 are predefined on every target */
#else
struct CompilerVersion { char old; };
#endif

#if !defined(_WIN64) && (defined(_M_IX86) || defined(_M_ARM))
typedef struct _THIRTY_TWO_ONLY { PVOID p; ULONG_PTR u; } THIRTY_TWO_ONLY; /* present on 32-bit ABIs only */
#endif
