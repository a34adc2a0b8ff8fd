/* Enumerations: an enum without a fixed type is int-sized whatever its
 * values; `enum E : type` (Microsoft extension, accepted in C) uses the type. */

#pragma clang diagnostic ignored "-Wmicrosoft-fixed-enum"  /* `enum E : T` in C is the extension under test */

enum SmallValues { SmallA, SmallB };
enum LargeValues { LargeA = 0x7fffffff, LargeNeg = -1 };
enum UnsignedLarge { UnsignedBig = 0xffffffffu };              /* does not fit int: still int-sized in MS */
enum FixedChar : unsigned char { FixedCharA, FixedCharB = 200 };
enum FixedShort : short { FixedShortA = -5 };
enum FixedInt64 : unsigned __int64 { FixedInt64A = 1 };

struct EnumSmall { char c; enum SmallValues e; };              /* plain enum: 4/4 */
struct EnumLarge { char c; enum LargeValues e; char d; };      /* negative and large values: still 4/4 */
struct EnumUnsignedLarge { char c; enum UnsignedLarge e; };    /* 0xffffffff: 4/4 */
struct EnumFixedChar { char c; enum FixedChar e; char d; };    /* fixed unsigned char: 1/1 */
struct EnumFixedShort { char c; enum FixedShort e; };          /* fixed short: 2/2 */
struct EnumFixedInt64 { char c; enum FixedInt64 e; };          /* fixed __int64: 8/8 (8-aligned on x86 too) */
typedef enum _TYPEDEF_ENUM { TypedefEnumA } TYPEDEF_ENUM, *PTYPEDEF_ENUM;
struct EnumThroughTypedef { char c; TYPEDEF_ENUM e; PTYPEDEF_ENUM p; }; /* enum typedef and pointer to it */
struct EnumArray { char c; enum FixedChar small[3]; enum SmallValues big[2]; }; /* arrays of enums */
struct EnumBitfields { enum FixedChar a : 3; enum FixedChar b : 4; enum SmallValues c : 2; }; /* char-sized then int-sized enum units */
struct EnumSizedArray { char data[FixedCharB]; int n[LargeA >> 28]; }; /* enumerators as array bounds */
