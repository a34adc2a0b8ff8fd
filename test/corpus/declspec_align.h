/* __declspec(align(n)) on records, members and typedefs, and how it beats
 * #pragma pack (required alignment is never reduced by pack). */

struct __declspec(align(16)) Align16Record { int x; };    /* on a record: alignment 16, size rounded to 16 */
struct __declspec(align(8)) Align8Big { char c[20]; };    /* size 20 rounds up to 24 */
struct __declspec(align(1)) Align1Record { int x; };      /* align(1) never lowers natural alignment */
struct HoldsAlign16 { char c; struct Align16Record r; char d; }; /* the member is placed at 16 */
struct AlignedMember { char c; __declspec(align(32)) int x; char d; }; /* on a member: x at 32, size 64 */
struct AlignedCharMember { char a; __declspec(align(4)) char b; char c; }; /* a char member aligned to 4 */
typedef __declspec(align(16)) int AlignedInt16;          /* on a typedef */
struct UsesAlignedTypedef { char c; AlignedInt16 x; };    /* x at 16, record alignment 16 */
typedef __declspec(align(8)) struct AlignTagged { short s; } AlignTaggedTypedef; /* declspec before the tag keyword */
struct UsesAlignTagged { char c; AlignTaggedTypedef t; struct AlignTagged u; }; /* both spellings are 8-aligned */
typedef struct __declspec(align(64)) { char c; } Align64Anonymous; /* anonymous record with declspec, named by typedef */
struct ArrayOfAligned { char c; struct Align16Record a[3]; }; /* array of over-aligned records */
union AlignedUnion { char c; __declspec(align(16)) char d; }; /* on a union member */
union __declspec(align(32)) Align32Union { int i; double d; }; /* on a union */
struct MultipleAligns { __declspec(align(8)) char a; __declspec(align(16)) char b; __declspec(align(2)) int c; }; /* largest wins for the record */

#pragma pack(push, 1)
struct PackedWithAlignedMember { char c; __declspec(align(8)) int x; char d; }; /* required alignment beats pack(1) */
struct PackedWithAlignedRecord { char c; struct Align16Record r; }; /* an over-aligned record member beats pack(1) */
struct PackedWithAlignedTypedef { char c; AlignedInt16 x; };  /* an aligned typedef beats pack(1) */
struct __declspec(align(4)) PackedAndAligned { char c; int i; short s; }; /* declspec on a packed record: members packed, record 4-aligned */
#pragma pack(pop)
#pragma pack(push, 2)
struct Pack2AlignedMember { char c; __declspec(align(4)) char x; double d; }; /* pack(2) with an align(4) member */
struct __declspec(align(16)) Pack2AlignedRecord { char c; double d; }; /* pack(2) members, record alignment 16 */
#pragma pack(pop)

struct AlignedBitfieldHost { char c; AlignedInt16 x : 4; int y : 4; }; /* an aligned typedef as bit-field type */
struct AlignThenTail { __declspec(align(16)) char c; };   /* size equals the alignment */
struct NestedAligned { struct AlignThenTail a; char b; }; /* and is rounded again in the holder */
