/* #pragma pack in every form. */

struct PackDefault { char c; int i; double d; short s; }; /* no pragma: natural alignment */

#pragma pack(1)
struct Pack1 { char c; int i; double d; short s; };       /* pack(1): no padding at all */
#pragma pack(2)
struct Pack2 { char c; int i; double d; short s; };       /* pack(2): members at most 2-aligned */
#pragma pack(4)
struct Pack4 { char c; int i; double d; short s; };       /* pack(4): double only 4-aligned */
#pragma pack(8)
struct Pack8 { char c; int i; double d; short s; };       /* pack(8): same as default here */
#pragma pack(16)
struct Pack16 { char c; int i; double d; short s; };      /* pack(16): larger than any member (and than the pointer on 32-bit) */
#pragma pack()
struct PackReset { char c; int i; double d; };            /* pack(): back to the default */

#pragma pack(push, 1)
struct PackPush1 { char c; __int64 q; };                  /* push with a value */
#pragma pack(push, 4)
struct PackPush4Nested { char c; __int64 q; };            /* nested push */
#pragma pack(pop)
struct PackAfterPop { char c; __int64 q; };               /* pop restores pack(1) */
#pragma pack(pop)
struct PackAfterSecondPop { char c; __int64 q; };         /* second pop restores the default */

#pragma pack(push, outer, 2)
struct PackNamedOuter { char c; int i; };                 /* push with an identifier and a value */
#pragma pack(push, inner)
#pragma pack(1)
struct PackNamedInner { char c; int i; };                 /* push identifier only, then pack(1) */
#pragma pack(push, deepest, 4)
struct PackNamedDeepest { char c; double d; };            /* third level */
#pragma pack(pop, outer)
struct PackPoppedToOuter { char c; double d; };           /* pop by identifier discards everything above it */

#pragma pack(push)
#pragma pack(2)
struct PackPushNoArgs { char c; long long l; };           /* bare push saves the current pack */
#pragma pack(pop)
struct PackAfterBarePop { char c; long long l; };         /* and pop restores it */

#pragma pack(push, 2)
#include "pack_inner.h"
#pragma pack(pop)
struct PackUsesInner { char c; struct PackInner in; };    /* the included record was laid out with pack(2) */

#pragma pack(push, 1)
struct PackedHoldsAligned { char c; struct PackDefault d; }; /* pack limits where the member goes, not its inside */
#pragma pack(pop)
#pragma pack(push, 2)
struct PackedNestedDefinition { char c; struct PackNestedInnerDef { char a; int b; } inner; int tail; }; /* a nested definition gets the current pack too */
#pragma pack(pop)

#pragma pack(push, 8)
struct Pack8Pointers { char c; void *p; __int64 q; };     /* pack(8) on 32-bit ABIs: larger than the pointer */
#pragma pack(pop)
#pragma pack(push, 16)
struct Pack16Pointers { char c; void *p; __int64 q; };    /* pack(16) on 64-bit ABIs: larger than the pointer */
#pragma pack(pop)

#pragma pack(push, 1)
union Pack1Union { char c[3]; int i; };                   /* pack applies to unions: size 4, alignment 1 */
struct Pack1Array { char c; short s[3]; int i; };         /* arrays are packed like their elements */
#pragma pack(pop)

struct PackChangesMidRecord {                             /* a pragma inside a definition applies to the members after it */
  char a;
  int b;
#pragma pack(push, 1)
  char c;
  int d;
#pragma pack(pop)
  char e;
  int f;
};
