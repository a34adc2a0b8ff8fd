// C++ constant expressions in layouts: constexpr variables and static
// members, enum class with underlying types, static_assert, alignas and
// alignof, sizeof, the named casts, nullptr, bool, char types.

typedef unsigned long ULONG;
typedef unsigned short USHORT;
typedef unsigned char UCHAR;
typedef void *PVOID;

constexpr ULONG kSlots = 4;
const int kDoubled = kSlots * 2;
constexpr USHORT kNarrow = static_cast<USHORT>(0x10005);

namespace limits {
constexpr ULONG kMaxPath = 260;
enum class Level : UCHAR { Low = 1, High = 4 };
enum Plain : short { PlainA = 2, PlainB };
enum Unfixed { UnfixedA = 10 };
}

struct Sizes {
  static constexpr ULONG Entries = sizeof(PVOID) * 2;
  char bytes[Entries];
  wchar_t path[limits::kMaxPath];
  UCHAR slots[kSlots];
  int doubled[kDoubled];
  char narrow[kNarrow];
  char levels[static_cast<int>(limits::Level::High)];
  char plain[limits::PlainB];
  char unfixed[limits::UnfixedA];
  char casted[static_cast<int>(sizeof(ULONG)) + 3];
  char nulls[sizeof(nullptr)];
  char bools[true + true + false];
  char aligned[alignof(double)];
  char sized[sizeof(Sizes *)];
  char16_t u16;
  char32_t u32;
  wchar_t w;
  bool b;
};

struct Enums {
  limits::Level level;
  limits::Plain plain;
  limits::Unfixed unfixed;
  enum class Local : unsigned long long { Big = 1 } local;
  enum class Default { A } defaulted;
  char c;
};

static_assert(sizeof(Enums) > 0, "sized");
static_assert(alignof(Enums) == 8, "8-aligned on every target");

constexpr ULONG kAlign = 16;
struct alignas(kAlign) AlignedByConstant {
  char c;
};
struct alignas(alignof(double)) AlignedLikeDouble {
  char c;
};
struct Members {
  alignas(8) char a;
  alignas(int) char b;
  alignas(kAlign) short c;
};
