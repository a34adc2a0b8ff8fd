// C++ classes: access specifiers, member functions (declared and defined
// inline), static members (no storage), constructors and destructors,
// default member initializers, single and multiple non-virtual bases, empty
// bases and __declspec(empty_bases), final, attributes, references, bool,
// nullptr, unions and bit-fields inside classes.

typedef unsigned long ULONG;
typedef unsigned char UCHAR;
typedef void *PVOID;
typedef long NTSTATUS;

class Device {
public:
  Device() : state_(0), handle_(nullptr) {}
  explicit Device(ULONG state) : state_(state), handle_(nullptr) {}
  ~Device() {}
  NTSTATUS OnRead(PVOID buffer, ULONG length);
  ULONG State() const { return state_; }
  static ULONG Count();
  static ULONG instances;
  static const ULONG MaxInstances = 16;

protected:
  bool ready_ = false;

private:
  ULONG state_;
  PVOID handle_;
};

struct Base1 {
  ULONG a;
};
struct Base2 {
  double d;
};
struct Single : Base1 {
  char c;
};
struct Multiple : Base1, Base2 {
  char c;
};
class Chain : public Single {
  short s;
};
struct Diamondish : public Single, private Base2 {
  UCHAR u;
};

struct Empty {};
struct Empty2 {};
struct EmptyWithStatics {
  static int shared;
  void method();
  typedef int Nested;
  enum { Value = 3 };
};
struct EmptyFirst : Empty {
  int x;
};
struct EmptyLast : Base1, Empty {
  int x;
};
struct TwoEmpty : Empty, Empty2 {
  int x;
};
struct EmptyThenData : Empty, Base1 {
  char c;
};
struct OnlyEmptyBases : Empty, Empty2 {};
struct __declspec(empty_bases) EboTwoEmpty : Empty, Empty2 {
  int x;
};
struct EmptyMember {
  Empty e;
  int x;
  Empty2 f;
};
struct DerivedFromEmptyChain : EmptyFirst, Empty2 {
  char tail;
};

struct Final final : Base1 {
  UCHAR flag;
};

struct [[nodiscard]] Attributed {
  [[maybe_unused]] int a;
  alignas(8) char b;
  [[deprecated("no")]] short c;
};

struct References {
  int &ref;
  const ULONG &cref;
  PVOID &&rref;
  char c;
};

struct Flags {
  bool enabled : 1;
  bool visible : 1;
  ULONG mode : 4;
  ULONG : 0;
  UCHAR tail;
};

class WithUnion {
public:
  union {
    ULONG word;
    UCHAR bytes[4];
  };
  struct {
    short lo, hi;
  } parts;
  union Named {
    double d;
    PVOID p;
  } named;
};

struct Initialised {
  ULONG a = 1;
  PVOID p{nullptr};
  char c[4] = {};
  bool b{true};
};

#pragma pack(push, 1)
struct PackedDerived : Base2 {
  char c;
  double d;
};
#pragma pack(pop)

struct alignas(16) AlignedBase {
  int x;
};
struct FromAligned : AlignedBase {
  char c;
};
struct __declspec(align(32)) DeclspecAligned : Base1 {
  char c;
};
