// C++: namespaces (nested, inline, anonymous, reopened, aliased), extern "C"
// blocks, using-directives and -declarations, typedef and using aliases,
// nested types and qualified names.

typedef unsigned long ULONG;
typedef unsigned short USHORT;
typedef unsigned char UCHAR;
typedef void *PVOID;
typedef unsigned __int64 ULONG64;

namespace contoso {
namespace ioctl {

struct Header {
  ULONG Size;
  USHORT Version;
};

struct ReadRequest {
  Header Hdr;
  PVOID Buffer;
  ULONG Length;
};

} // namespace ioctl

// Reopened: a second block of the same namespace.
namespace ioctl {
struct WriteRequest {
  Header Hdr;            // found in the first block
  ioctl::Header Copy;    // qualified from the enclosing namespace
  PVOID Buffer;
  ULONG Length;
};
}

inline namespace v2 {
struct Versioned {
  ULONG Magic;
  ULONG64 Stamp;
};
}

struct UsesInline {
  Versioned V;           // an inline namespace's members are the enclosing one's
  v2::Versioned Qualified;
  UCHAR Tail;
};

namespace {
struct Hidden {
  char c;
  int i;
};
}

struct UsesHidden {
  Hidden H;
  short s;
};

} // namespace contoso

namespace contoso::nested::deeper {
struct Deep {
  contoso::ioctl::ReadRequest Request;
  char Flag;
};
}

namespace c = contoso;
namespace io = contoso::ioctl;

struct AtGlobal {
  c::ioctl::Header H;
  io::WriteRequest W;
  ::ULONG Count;
};

extern "C" {
struct CLinkage {
  PVOID p;
  char c;
};
namespace inside_extern {
struct Member {
  double d;
  char c;
};
}
}

extern "C++" struct CxxLinkage {
  short a;
  int b;
};

namespace usage {
using namespace contoso::ioctl;
struct ViaDirective {
  ReadRequest R;          // through the using-directive
  char c;
};
using contoso::ioctl::WriteRequest;
struct ViaDeclaration {
  WriteRequest W;
  short s;
};
}

namespace aliases {
typedef contoso::ioctl::Header HeaderT;
using RequestT = contoso::ioctl::ReadRequest;
using PRequest = contoso::ioctl::ReadRequest *;
typedef struct {
  HeaderT H;
  RequestT R;
  PRequest P;
} Anonymous;
struct Holder {
  Anonymous A;
  PRequest Pointer;
};
}

struct Outer {
  struct Inner {
    USHORT a;
    PVOID b;
  };
  enum Kind : UCHAR { First, Second };
  typedef Inner InnerT;
  using Count = ULONG;
  Inner I;
  InnerT J;
  Kind K;
  Count N;
};

struct UsesNested {
  Outer::Inner I;
  Outer::Kind K;
  Outer::Count C;
  char c;
};
