// C++ polymorphic classes: the vftable pointer in front, rounded to the
// alignment of what follows; primary bases that share it; non-polymorphic
// bases after polymorphic ones; pack and alignment.

typedef unsigned long ULONG;
typedef void *PVOID;

class Interface {
public:
  virtual ~Interface() = default;
  virtual ULONG Query(PVOID buffer) = 0;
};

class WithData {
public:
  virtual void Run();
  int value;
};

class WithDouble {
public:
  virtual void Run();
  char c;
  double d;
};

class Derived : public WithData {
public:
  void Run() override;
  char extra;
};

struct Plain {
  ULONG p;
};

// The polymorphic base is laid out first even though it is declared second.
struct PolyAfterPlain : Plain, WithData {
  char c;
};

struct TwoPolymorphic : WithData, WithDouble {
  short s;
};

struct DerivedAddsVirtual : Plain {
  virtual void New();
  char c;
};

struct OnlyVirtual {
  virtual void f();
};

struct EmptyBase {};
struct PolyWithEmptyBase : EmptyBase {
  virtual void f();
  int x;
};

#pragma pack(push, 2)
struct PackedPoly {
  virtual void f();
  char c;
  double d;
};
#pragma pack(pop)

struct alignas(16) AlignedPoly {
  virtual void f();
  int x;
};

struct __declspec(align(16)) DeclspecPoly {
  virtual void f();
  char c;
};

struct DerivedFromAligned : AlignedPoly {
  char c;
};

struct HoldsPolymorphic {
  char c;
  WithDouble member;
  Interface *pointer;
};

class Implementation final : public Interface {
public:
  ULONG Query(PVOID buffer) override;
  ULONG state;
};
