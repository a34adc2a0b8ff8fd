/* Unions, and anonymous structs/unions (C11 and the Microsoft extensions),
 * nested several levels deep. Members of anonymous members are reported
 * with offsets from the start of the outermost record. */

#pragma clang diagnostic ignored "-Wmicrosoft-anon-tag"  /* the two Microsoft anonymous members below are intended */
union UnionBasic { char c; short s; int i; };                       /* size and alignment of the largest member */
union UnionDouble { char c[5]; double d; };                          /* size 8: the array fits, alignment 8 */
union UnionArrayLargest { char c[9]; int i; };                       /* size 9 rounds up to 12 */
union UnionOfRecords { struct { char a; int b; } s; __int64 q; };    /* a named member of anonymous record type */
struct RecordHoldsUnion { char c; union UnionDouble u; char d; };    /* union by value inside a struct */

struct AnonUnionInStruct { int kind; union { int i; float f; void *p; }; int after; }; /* anonymous union */
union AnonStructInUnion { struct { short lo; short hi; }; int whole; }; /* anonymous struct in a union */
struct AnonFourDeep {                                                 /* four levels of anonymous members */
  char tag;
  union {
    struct {
      short a;
      union {
        char b;
        struct { char c; __int64 d; };
      };
    };
    double e;
  };
  char tail;
};
struct AnonSiblings { struct { char a; }; struct { int b; }; union { char c; short d; }; }; /* several anonymous siblings */
struct AnonWithArray { int n; union { char bytes[6]; short words[3]; }; }; /* arrays inside an anonymous union */

struct TaggedPoint { int x; int y; };
typedef struct TaggedPoint TAGGED_POINT;
struct MsAnonymousTagged { char c; struct TaggedPoint; char d; };  /* Microsoft: a tagged struct declared without a name is an anonymous member */
struct MsAnonymousTypedef { char c; TAGGED_POINT; char d; };       /* Microsoft: a typedef'd struct used as an anonymous member */

typedef union _ANON_LARGE_INTEGER {                                   /* the LARGE_INTEGER shape: anonymous struct plus a named copy */
  struct { unsigned long LowPart; long HighPart; };
  struct { unsigned long LowPart; long HighPart; } u;
  __int64 QuadPart;
} ANON_LARGE_INTEGER;
struct HoldsAnonLargeInteger { char c; ANON_LARGE_INTEGER li; };     /* its 8-alignment is kept by the holder */

#pragma pack(push, 1)
struct PackedAnonymous { char c; union { int i; short s; }; struct { char a; int b; }; }; /* pack reaches into anonymous members */
#pragma pack(pop)
