/* Array bounds and bit widths computed by constant expressions: sizeof,
 * __alignof, FIELD_OFFSET-style offsets, casts, enumerators, typedef chains. */

#pragma clang diagnostic ignored "-Wgnu-folding-constant"  /* FIELD_OFFSET folds to a constant as in MSVC */

#ifdef _WIN64
typedef __int64 LONG_PTR;
#else
typedef long LONG_PTR;
#endif
typedef long LONG;
#define FIELD_OFFSET(type, field) ((LONG)(LONG_PTR)&(((type *)0)->field))
#define RTL_FIELD_SIZE(type, field) (sizeof(((type *)0)->field))
#define RTL_SIZEOF_THROUGH_FIELD(type, field) (FIELD_OFFSET(type, field) + RTL_FIELD_SIZE(type, field))
#define ARRAYSIZE(a) (sizeof(a) / sizeof((a)[0]))

typedef int TypedefInt;                                   /* typedef chain: int -> TypedefInt -> TypedefInt2 */
typedef TypedefInt TypedefInt2;
typedef TypedefInt2 TypedefIntArray3[3];                  /* array typedef */
typedef TypedefIntArray3 TypedefIntMatrix[2];             /* array of array typedef: int[2][3] */
typedef TypedefInt2 *TypedefIntPointer;

struct Base { char c; double d; void *p; int tail; };
struct SizeofBound { char copy[sizeof(struct Base)]; };            /* sizeof of a record (pointer-dependent) */
struct AlignofBound { char c; char pad[__alignof(struct Base)]; };  /* __alignof of a record */
struct AlignofKeyword { char pad[_Alignof(double) + __alignof(void *)]; }; /* _Alignof and __alignof of scalars */
struct FieldOffsetBound { char upto[FIELD_OFFSET(struct Base, p)]; }; /* FIELD_OFFSET-style ((LONG)(LONG_PTR)&((T*)0)->f) */
struct OffsetofBound { char upto[__builtin_offsetof(struct Base, tail)]; }; /* offsetof */
struct ThroughFieldBound { char upto[RTL_SIZEOF_THROUGH_FIELD(struct Base, p)]; }; /* FIELD_OFFSET + field size */
struct FieldSizeBound { char copy[RTL_FIELD_SIZE(struct Base, d)]; }; /* sizeof of a member through a null pointer */
struct CastBound { char a[(unsigned char)300]; char b[(short)0x10004]; }; /* casts truncate: 44 and 4 */
struct ArithmeticBound { char a[(1 << 4) | 3]; char b[10 % 4 + 7 / 2]; char c[-(-3)]; char d[1 ? 5 : 9]; }; /* shifts, %, /, unary, ?: */
enum { FirstCount = 4, SecondCount = FirstCount * 2 + 1 };
struct EnumeratorBound { short a[SecondCount]; char b[FirstCount]; }; /* enumerators as bounds */
struct SizeofExpression { char y[ARRAYSIZE(((struct CastBound *)0)->a) + ARRAYSIZE(((struct EnumeratorBound *)0)->a)]; }; /* ARRAYSIZE through a null pointer: 44 + 9 */
struct SizeofTypes { char a[sizeof(long) + sizeof(long long) + sizeof(void *) + sizeof(short)]; }; /* sizeof of types */
struct SizeofPointerDiff { char a[sizeof(char *) == 8 ? 3 : 5]; }; /* pointer-size-dependent ternary */
struct TypedefChain { char c; TypedefInt2 i; TypedefIntArray3 arr; TypedefIntMatrix m; TypedefIntPointer p; }; /* typedef chains and array typedefs */
struct BitWidthExpression { unsigned a : sizeof(short) * 4; unsigned b : FirstCount; unsigned c : (int)sizeof(void *); }; /* bit widths from expressions */
