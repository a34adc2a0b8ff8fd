// A C++ driver interface header as drivers write them: C-style typedef'd
// structs beside classes, pack pragmas, __declspec(align), bit-fields after
// bases, a buffer derived from a header, WOW64-sensitive members (pointers,
// handles, pointer-sized integers) in namespaced types.

typedef unsigned long ULONG, *PULONG;
typedef unsigned short USHORT;
typedef unsigned char UCHAR;
typedef void *PVOID, *HANDLE;
typedef long LONG;
#ifdef _WIN64
typedef unsigned __int64 ULONG_PTR;
#else
typedef unsigned long ULONG_PTR;
#endif
typedef ULONG_PTR SIZE_T;
typedef unsigned __int64 ULONG64;

namespace contoso {

enum class RequestKind : ULONG { Read = 1, Write = 2, Query = 3 };

typedef struct _REQUEST_HEADER {
  ULONG Size;
  RequestKind Kind;
  ULONG_PTR Context;
} REQUEST_HEADER, *PREQUEST_HEADER;

struct ReadRequest : REQUEST_HEADER {
  PVOID Buffer;
  ULONG Length;
  bool Synchronous;
};

struct WriteRequest : public REQUEST_HEADER {
  HANDLE Event;
  SIZE_T Offset;
  ULONG Flags : 3;
  ULONG Reserved : 29;
};

class QueryResult {
public:
  static constexpr ULONG MaxEntries = 8;
  ULONG Count;
  struct Entry {
    USHORT Id;
    PVOID Address;
  } Entries[MaxEntries];
};

#pragma pack(push, 4)
struct PackedInfo : REQUEST_HEADER {
  ULONG64 Stamp;
  UCHAR State;
};
#pragma pack(pop)

struct __declspec(align(16)) AlignedRing {
  ULONG Head;
  ULONG Tail;
  PVOID Slots[4];
};

union Payload {
  ReadRequest Read;
  WriteRequest Write;
  UCHAR Raw[64];
};

struct Envelope {
  REQUEST_HEADER Header;
  Payload Body;
  AlignedRing Ring;
};

static_assert(sizeof(ReadRequest) >= sizeof(REQUEST_HEADER), "a request starts with its header");

} // namespace contoso

typedef contoso::ReadRequest CONTOSO_READ, *PCONTOSO_READ;

struct GlobalView {
  CONTOSO_READ Read;
  contoso::QueryResult::Entry First;
  LONG Status;
};
