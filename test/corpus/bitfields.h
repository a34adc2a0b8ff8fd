/* Microsoft bit-field layout: a bit-field shares the storage unit of the
 * previous one only when both declared types have the same size and it
 * fits; otherwise a new unit, aligned to its type, starts. */

struct BitsSameUnit { int a : 3; int b : 5; int c : 24; };          /* three int fields fill one unit exactly */
struct BitsOverflow { int a : 30; int b : 5; };                      /* b does not fit: new int unit at 4 */
struct BitsTypeChange { char a : 3; int b : 5; char c : 2; };       /* each type-size change starts a new unit */
struct BitsSignednessSame { int a : 3; unsigned b : 5; };            /* same size, different signedness: same unit */
struct BitsShortUnits { short a : 3; unsigned short b : 13; short c : 1; }; /* short units: c starts a second one */
struct BitsCharUnits { char a : 4; unsigned char b : 4; char c : 1; }; /* char units */
struct BitsBool { _Bool a : 1; _Bool b : 1; char c : 3; int d : 1; }; /* _Bool and char are both 1 byte: shared unit */
struct BitsInt64 { __int64 a : 3; __int64 b : 40; __int64 c : 30; }; /* 64-bit units, 8-aligned even on x86 */
struct BitsInt64AfterInt { int a : 3; __int64 b : 3; int c : 3; };   /* int -> __int64 -> int: three units */
struct BitsFullWidth { int a : 32; int b : 32; unsigned char c : 8; }; /* full-width bit-fields */
struct BitsMixedWithMembers { char c; int a : 4; short s; int b : 4; int d : 4; char e; }; /* ordinary members end a unit */
struct BitsUnnamedPadding { int a : 3; int : 5; int b : 3; };        /* an unnamed bit-field takes its bits */
struct BitsZeroAfterBitfield { int a : 3; int : 0; int b : 3; };     /* :0 after a bit-field ends the unit */
struct BitsZeroNotAfterBitfield { char c; int : 0; char d; };        /* :0 not after a bit-field is ignored */
struct BitsZeroAtStart { int : 0; char c; };                         /* :0 as the first member is ignored */
struct BitsZeroWiderType { char a : 3; __int64 : 0; char b; };       /* :0 of a wider type after a char bit-field */
struct BitsZeroTwice { int a : 3; int : 0; int : 0; int b : 3; };    /* a second :0 in a row changes nothing more */
struct BitsZeroThenMember { short a : 3; int : 0; short b; };        /* :0 followed by an ordinary member */
struct BitsTailPadding { char c; int a : 1; };                       /* the record is padded to the int unit */
struct BitsOnlyOne { unsigned char a : 1; };                         /* a record of one char bit-field: size 1 */
union BitsUnion { int a : 3; char b : 2; __int64 c : 40; };          /* every union bit-field starts at bit 0 */
union BitsUnionZero { int a : 3; int : 0; char b; };                 /* :0 in a union */
struct BitsEnum { enum BitsColor { BitsRed, BitsGreen } color : 2; int other : 4; }; /* enum bit-field: int unit */

#pragma pack(push, 1)
struct BitsPacked1 { char c; int a : 4; int b : 30; short s : 3; }; /* pack(1): units are unaligned */
struct BitsPacked1Int64 { char c; __int64 a : 4; char d; };          /* packed __int64 unit */
#pragma pack(pop)
#pragma pack(push, 2)
struct BitsPacked2 { char c; int a : 4; __int64 b : 4; };            /* pack(2) caps the unit alignment at 2 */
#pragma pack(pop)
struct BitsInAnonymous { int x; struct { int a : 3; int b : 3; }; union { char u : 2; short v : 9; }; }; /* bit-fields inside anonymous members */
