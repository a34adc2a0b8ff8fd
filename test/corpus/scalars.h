/* Natural size and alignment of every scalar type, measured as the offset of
 * a member that follows a char, and the size of the record it ends. */

typedef unsigned short wchar_t;  /* not a keyword in C; this is how the CRT spells it */

struct ScalarChar { char c; char x; };                    /* char: 1/1 */
struct ScalarSChar { char c; signed char x; };            /* signed char: 1/1 */
struct ScalarUChar { char c; unsigned char x; };          /* unsigned char: 1/1 */
struct ScalarShort { char c; short x; };                  /* short: 2/2 */
struct ScalarUShort { char c; unsigned short x; };        /* unsigned short: 2/2 */
struct ScalarInt { char c; int x; };                      /* int: 4/4 */
struct ScalarUnsigned { char c; unsigned x; };            /* plain `unsigned`: int */
struct ScalarLong { char c; long x; };                    /* long is 4 bytes on every Windows ABI (LLP64) */
struct ScalarULong { char c; unsigned long x; };          /* unsigned long: 4/4 */
struct ScalarLongLong { char c; long long x; };           /* long long: 8/8, also on x86 inside records */
struct ScalarInt8 { char c; __int8 x; };                  /* __int8 is char */
struct ScalarInt16 { char c; __int16 x; };                /* __int16 is short */
struct ScalarInt32 { char c; __int32 x; };                /* __int32 is int */
struct ScalarInt64 { char c; __int64 x; };                /* __int64: x86 still aligns it to 8 inside records */
struct ScalarUInt64 { char c; unsigned __int64 x; };      /* unsigned __int64: same as __int64 */
struct ScalarFloat { char c; float x; };                  /* float: 4/4 */
struct ScalarDouble { char c; double x; };                /* double: 8/8, 8-aligned in records on x86 too */
struct ScalarLongDouble { char c; long double x; };       /* long double is double (8/8) */
struct ScalarWchar { char c; wchar_t x; };                /* wchar_t (typedef unsigned short): 2/2 */
struct ScalarBool { char c; _Bool x; };                   /* _Bool: 1/1 */
enum ScalarEnumTag { ScalarEnumA, ScalarEnumB = 0x7fffffff };
struct ScalarEnum { char c; enum ScalarEnumTag x; };      /* enum without fixed type: int */
struct ScalarPointer { char c; void *x; };                /* data pointer: 4 or 8 */
struct ScalarCharPointer { char c; const char *x; };      /* pointer to char: same as any pointer */
struct ScalarPointerPointer { char c; int **x; };         /* pointer to pointer */
struct ScalarFunctionPointer { char c; int (*x)(int, char *); }; /* function pointer: pointer-sized */
struct ScalarStdcallPointer { char c; void (__stdcall *x)(void); }; /* calling convention does not change size */
struct ScalarPtr32 { char c; int *__ptr32 x; };           /* __ptr32: 4 bytes on every ABI */
struct ScalarPtr64 { char c; int *__ptr64 x; };           /* __ptr64: 8 bytes on every ABI, 8-aligned */
struct ScalarPtr32Pair { int *__ptr32 a; int *__ptr64 b; int *__ptr32 c; }; /* mixed pointer widths: padding differs per ABI */
struct ScalarUnaligned { char c; int __unaligned *x; };   /* __unaligned qualifies the pointee, not the pointer */

/* x86 puts 8-byte scalars at 8-byte offsets inside records. */
struct X86Int64Then { int a; __int64 b; int c; };         /* b at 8, size 24 on every ABI */
struct X86DoubleThen { char a; double b; char c; };       /* size 24: tail padding to 8 */
struct X86TwoInts64 { __int64 a; int b; };                /* size rounds to 16 */
struct X86OnlyInt64 { __int64 a; };                       /* a record of one __int64 is 8-aligned */
struct X86Int64Array { char a; __int64 b[2]; };           /* array element alignment is the element's */
struct X86MixedOrder { char a; short b; char c; int d; double e; char f; }; /* padding between every pair */
struct X86NestedInt64 { char c; struct X86OnlyInt64 inner; }; /* the nested record keeps alignment 8 */

struct EmptyRecord {};                                    /* empty C struct (extension): size 4, alignment 1 */
struct HoldsEmpty { char c; struct EmptyRecord e; char d; }; /* where an empty member lands */
