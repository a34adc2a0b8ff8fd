// C++ templates: class templates instantiated for the arguments used (type
// and non-type, defaults, nested), explicit specializations, dependent
// member types, static constexpr members as bounds, alias templates;
// function templates are skipped.

typedef unsigned long ULONG;
typedef unsigned char UCHAR;
typedef void *PVOID;

template <typename T, ULONG N = 2>
struct Buffer {
  T data[N];
  ULONG count;
};

template <typename T>
struct Wrap {
  T value;
  char tag;
};

template <bool Wide>
struct Selector {
  int narrow;
};

template <>
struct Selector<true> {
  double wide;
  int narrow;
};

template <ULONG Size>
struct SizedInteger;
template <>
struct SizedInteger<1> { typedef UCHAR type; };
template <>
struct SizedInteger<4> { typedef ULONG type; };
template <>
struct SizedInteger<8> { typedef unsigned long long type; };

template <typename T>
struct Traits {
  typedef typename SizedInteger<sizeof(T)>::type Integer;
  static constexpr ULONG Count = 3;
};

template <typename T>
struct UsesTraits {
  typename Traits<T>::Integer raw;
  T items[Traits<T>::Count];
};

template <typename T, typename U>
struct Pair {
  T first;
  U second;
};

template <class T>
using Ptr = T *;

template <typename T>
T Max(T a, T b) { return a > b ? a : b; }

template <typename T>
struct WithMethods {
  T value;
  T Get() const { return value; }
  template <typename U> U As() const { return static_cast<U>(value); }
  static T Make() { return T(); }
};

enum class Mode : UCHAR { Off, On };
template <Mode M>
struct ByMode {
  int m;
};

template <typename T>
struct Derived : Wrap<T> {
  short extra;
};

struct Instances {
  Buffer<ULONG, 4> fixed;
  Buffer<PVOID> defaulted;
  Buffer<Buffer<UCHAR, 3>, 2> nested;
  Wrap<Wrap<double> > doubly;
  Selector<false> narrow;
  Selector<true> wide;
  UsesTraits<ULONG> traits4;
  UsesTraits<UCHAR> traits1;
  Pair<char, Pair<short, PVOID>> pairs;
  Ptr<ULONG> pointer;
  WithMethods<short> methods;
  ByMode<Mode::On> mode;
  Derived<int> derived;
  Buffer<char, sizeof(PVOID)> pointerSized;
  Buffer<char, 2 * 3 + 1> arithmetic;
};
