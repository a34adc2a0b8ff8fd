/* Records by value, arrays and multi-dimensional arrays of records,
 * flexible array members, zero-length and ANYSIZE_ARRAY-style arrays. */

#define ANYSIZE_ARRAY 1

struct Pair { char c; int i; };                                      /* size 8 with 3 bytes of inner padding */
struct Triple { short a; char b; };                                  /* size 4 with tail padding */
struct NestedByValue { char c; struct Pair p; struct Triple t; char d; }; /* nested records by value */
struct ArrayOfRecords { char c; struct Triple t[3]; char d; };       /* array of records: stride is the padded size */
struct Matrix2D { char c; struct Pair m[2][3]; };                    /* two-dimensional array of records */
struct Matrix3D { short s[2][3][4]; char c; };                       /* three-dimensional scalar array */
struct ArrayOfUnions { char c; union { char a; double d; } u[2]; };  /* array of an anonymous-type union */
struct DeepNesting { struct NestedByValue n; struct ArrayOfRecords a[2]; }; /* records inside records inside records */
struct CharArrays { char a[3]; short b; char c[5]; };                /* char arrays do not raise alignment */

struct FlexibleChar { int n; char data[]; };                         /* flexible array: size excludes it */
struct FlexibleInt64 { char c; __int64 data[]; };                    /* flexible array still aligns the record */
struct FlexibleRecords { short n; struct Pair items[]; };            /* flexible array of records */
struct ZeroLength { int n; char data[0]; };                          /* zero-length array (extension) */
struct ZeroLengthDouble { char c; double data[0]; };                 /* zero-length array still aligns */
struct ZeroLengthOnly { int z[0]; };                                 /* a record of only a zero-length array */
struct AnySize { unsigned long Count; unsigned long Items[ANYSIZE_ARRAY]; }; /* ANYSIZE_ARRAY-style [1] trailing array */
struct AnySizeRecords { int Count; struct Pair Items[ANYSIZE_ARRAY]; }; /* [1] trailing array of records */

typedef struct _SELF_REF { struct _SELF_REF *next; struct _SELF_REF *prev; int v; } SELF_REF, *PSELF_REF; /* self-referential: pointers only */
typedef struct _FORWARD FORWARD, *PFORWARD;                           /* typedef before the definition */
struct _FORWARD { PFORWARD link; FORWARD *other; char c; };           /* defined after its typedefs */
