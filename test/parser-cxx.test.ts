/**
 * The C++ front end: C++ snippets through the real pipeline (preprocessor,
 * parser in C++ mode, layout) and what they must produce: records and their
 * qualified names, members, functions, constants, templates, diagnostics.
 * Layout numbers for C++ classes are checked against clang++ by the
 * differential corpus (test/corpus/cxx_*.hpp); the few here pin down the
 * parser's model behind them.
 */

import * as assert from 'node:assert/strict';
import type { AbiName } from '../server/src/core/abi';
import type { RecordDecl, TranslationUnit } from '../server/src/core/ast';
import { type AbiUnit, analyzeFile, createSession } from '../server/src/core/analyze';
import { recordName } from '../server/src/core/names';
import { buildReports } from '../server/src/core/report';
import { memoryHost } from '../server/src/core/source';

function cxx(src: string, abi: AbiName = 'x64', prelude = false): AbiUnit {
  const session = createSession(memoryHost({ '/w/t.hpp': src }));
  return analyzeFile(session, '/w/t.hpp', { abis: [abi], language: 'cpp', prelude }).units.get(abi)!;
}

/** Every diagnostic (front end and layout), as `code line:col`. */
function diagnostics(u: AbiUnit): string[] {
  for (const r of u.unit.records) if (r.fields) u.layout.layoutOf(r);
  return [...u.diagnostics, ...u.layout.diagnostics].map((d) => `${d.code} ${d.loc.line}:${d.loc.col}`);
}

function clean(src: string, abi: AbiName = 'x64'): AbiUnit {
  const u = cxx(src, abi);
  const all = [...u.diagnostics];
  for (const r of u.unit.records) if (r.fields) u.layout.layoutOf(r);
  all.push(...u.layout.diagnostics);
  assert.deepEqual(all.map((d) => `${d.code} ${d.message} @${d.loc.line}:${d.loc.col}`), []);
  return u;
}

function record(unit: TranslationUnit, name: string): RecordDecl {
  const r = unit.tags.get(name);
  assert.ok(r && 'kind' in r, `no record ${name}`);
  return r as RecordDecl;
}

/** `name@offset` for each member, `base:Name@offset` for bases and `vfptr@offset`, then `=size/align`. */
function shape(u: AbiUnit, name: string): string {
  const l = u.layout.layoutOf(record(u.unit, name));
  const parts: string[] = [];
  if (l.cxx?.vfptr !== undefined) parts.push(`vfptr@${l.cxx.vfptr}`);
  for (const b of l.cxx?.bases ?? []) parts.push(`base:${b.name}@${b.offset}`);
  for (const f of l.fields) parts.push(`${f.name ?? '<anon>'}@${f.offset}`);
  return `${parts.join(' ')} =${l.size}/${l.align}`;
}

const types = `
typedef unsigned long ULONG;
typedef unsigned short USHORT;
typedef unsigned char UCHAR;
typedef void *PVOID;
typedef long NTSTATUS;
`;

describe('C++ front end', () => {
  describe('namespaces and names', () => {
    it('qualifies records by their namespaces and finds them by qualified and plain name', () => {
      const u = clean(`${types}
namespace contoso { namespace ioctl { struct ReadRequest { PVOID Buffer; ULONG Length; }; } }
namespace contoso::ioctl { struct WriteRequest { ReadRequest Read; }; }
struct ReadRequest { char global; };`);
      const nested = record(u.unit, 'contoso::ioctl::ReadRequest');
      assert.equal(recordName(nested), 'contoso::ioctl::ReadRequest');
      assert.equal(nested.cxx?.qualifiedName, 'contoso::ioctl::ReadRequest');
      assert.equal(recordName(record(u.unit, 'contoso::ioctl::WriteRequest')), 'contoso::ioctl::WriteRequest');
      assert.equal(shape(u, 'contoso::ioctl::WriteRequest'), 'Read@0 =16/8');
      // A plain name is the global declaration's, or else the first namespaced one's.
      const global = record(u.unit, 'ReadRequest');
      assert.equal(recordName(global), 'ReadRequest');
      assert.notEqual(global, nested);
      assert.equal(u.unit.tags.get('WriteRequest'), record(u.unit, 'contoso::ioctl::WriteRequest'));
    });

    it('leaves inline namespaces out of qualified names (as clang prints them) but keeps anonymous ones', () => {
      const u = clean(`
namespace ns { inline namespace v1 { struct In { int i; }; } namespace { struct Hid { int h; }; } }
struct Uses { ns::In a; ns::v1::In b; ns::Hid c; };`);
      assert.ok(u.unit.tags.get('ns::In'));
      assert.ok(u.unit.tags.get('ns::(anonymous namespace)::Hid'));
      assert.equal(shape(u, 'Uses'), 'a@0 b@4 c@8 =12/4');
    });

    it('resolves names through using-directives, using-declarations, namespace aliases and the global scope', () => {
      const u = clean(`${types}
namespace a { namespace b { struct X { PVOID p; }; typedef ULONG Count; } }
namespace alias = a::b;
namespace d1 { using namespace a::b; struct Y { X x; Count c; }; }
namespace d2 { using a::b::X; struct Z { X x; alias::Count c; ::ULONG g; }; }`);
      assert.equal(shape(u, 'd1::Y'), 'x@0 c@8 =16/8');
      assert.equal(shape(u, 'd2::Z'), 'x@0 c@8 g@12 =16/8');
    });

    it('reads extern "C" and extern "C++" blocks and declarations', () => {
      const u = clean(`extern "C" { struct A { int a; }; namespace n { struct B { A a; }; } }
extern "C++" struct C { char c; };
extern "C" int f(void);`);
      assert.ok(u.unit.tags.get('A') && u.unit.tags.get('n::B') && u.unit.tags.get('C'));
      assert.deepEqual(u.unit.functions.map((f) => f.name), ['f']);
    });

    it('names nested types by their class, and a typedef-named anonymous record by the typedef', () => {
      const u = clean(`${types}
namespace ns {
struct Outer { struct Inner { USHORT a; }; enum Kind : UCHAR { K1 }; typedef Inner I; using C = ULONG; Inner i; Kind k; C c; };
typedef struct { Outer::Inner x; Outer::I y; Outer::C z; } Anon;
}`);
      assert.ok(u.unit.tags.get('ns::Outer::Inner'));
      // A tagged nested definition declares a type, not an anonymous member (C++, unlike MSVC C).
      assert.equal(shape(u, 'ns::Outer'), 'i@0 k@2 c@4 =8/4');
      const anon = u.unit.records.find((r) => r.typedefs.includes('Anon'))!;
      assert.equal(recordName(anon), 'ns::Anon');
      assert.equal(u.unit.typedefs.get('ns::Outer::C')?.qualifiedName, 'ns::Outer::C');
    });
  });

  describe('classes', () => {
    it('keeps data members only: functions, static members, friends and typedefs occupy nothing', () => {
      const u = clean(`${types}
class Device {
public:
  Device() : state_(0), handle_(nullptr) {}
  explicit Device(ULONG s) : state_(s), handle_{} {}
  ~Device();
  virtual NTSTATUS OnRead(PVOID buffer, ULONG length) = 0;
  ULONG State() const noexcept { return state_; }
  operator bool() const { return handle_ != nullptr; }
  Device &operator=(const Device &) = delete;
  static ULONG Count();
  static ULONG instances;
  static constexpr ULONG Max = 16;
  friend class Manager;
  friend NTSTATUS Helper(Device &d) { return 0; }
  typedef ULONG StateT;
  using HandleT = PVOID;
protected:
  bool ready_ = false;
private:
  StateT state_;
  HandleT handle_;
  mutable int cache_{0};
};`);
      const d = record(u.unit, 'Device');
      assert.deepEqual(d.fields?.map((f) => f.name), ['ready_', 'state_', 'handle_', 'cache_']);
      assert.equal(d.cxx?.isClass, true);
      assert.equal(d.cxx?.declaresVirtual, true);
      assert.equal(shape(u, 'Device'), 'vfptr@0 ready_@8 state_@12 handle_@16 cache_@24 =32/8');
      const fns = u.unit.functions.map((f) => `${f.name}${f.isDefinition ? '{}' : ''}`);
      assert.deepEqual(fns, [
        'Device::Device{}', 'Device::Device{}', 'Device::~Device', 'Device::OnRead', 'Device::State{}',
        'Device::operator bool{}', 'Device::operator=', 'Device::Count',
      ]);
    });

    it('records bases, with their access and virtual flags, and lays them out before members', () => {
      const u = cxx(`
struct B1 { int a; };
struct B2 { double d; };
class D : public B1, private B2 { char c; };
struct V : virtual B1 { int v; };`);
      assert.deepEqual(diagnostics(u), ['layout-virtual-base 5:12']);
      const d = record(u.unit, 'D');
      assert.deepEqual(d.cxx?.bases.map((b) => `${b.access}${b.virtual ? ' virtual' : ''}`), ['public', 'private']);
      assert.equal(shape(u, 'D'), 'base:B1@0 base:B2@8 c@16 =24/8');
      assert.deepEqual(record(u.unit, 'V').cxx?.bases.map((b) => b.virtual), [true]);
    });

    it('reports a virtual base as not modelled, and goes on with the rest of the class', () => {
      const u = cxx('struct B { int a; };\nstruct V : virtual B { int v; };\nstruct After { char c; };');
      assert.deepEqual(diagnostics(u), ['layout-virtual-base 2:12']);
      assert.equal(u.layout.layoutOf(record(u.unit, 'V')).complete, false);
      assert.equal(shape(u, 'After'), 'c@0 =1/1');
    });

    it('gives empty classes 1 byte, empty bases none, and a byte between two leading empty bases', () => {
      const u = clean(`
struct E {}; struct E2 {};
struct One : E { int x; };
struct Two : E, E2 { int x; };
struct __declspec(empty_bases) Ebo : E, E2 { int x; };`);
      assert.equal(shape(u, 'E'), ' =1/1');
      assert.equal(shape(u, 'One'), 'base:E@0 x@0 =4/4');
      assert.equal(shape(u, 'Two'), 'base:E@0 base:E2@1 x@4 =8/4');
      assert.equal(shape(u, 'Ebo'), 'base:E@0 base:E2@0 x@0 =4/4');
    });

    it('puts the vftable pointer first, shares a primary base\'s, and lays polymorphic bases out first', () => {
      const u = clean(`
struct Plain { int p; };
struct Poly { virtual void f(); double d; };
struct Derived : Plain, Poly { char c; };
struct Adds : Plain { virtual void g(); char c; };`, 'x86');
      assert.equal(shape(u, 'Poly'), 'vfptr@0 d@8 =16/8');
      assert.equal(shape(u, 'Derived'), 'base:Poly@0 base:Plain@16 c@20 =24/8');
      assert.equal(shape(u, 'Adds'), 'vfptr@0 base:Plain@4 c@8 =12/4');
    });

    it('reads references as pointers, and bool, char16_t, char32_t and wchar_t as MSVC lays them out', () => {
      const u = clean(`struct R { int &r; const int &cr; int &&rr; bool b; char16_t u; char32_t U; wchar_t w; };`, 'x86');
      assert.equal(shape(u, 'R'), 'r@0 cr@4 rr@8 b@12 u@14 U@16 w@20 =24/4');
    });

    it('skips C++ attributes and default member initializers', () => {
      const u = clean(`struct [[nodiscard]] A { [[maybe_unused]] int a = 1; alignas(8) char b{2}; [[deprecated("x")]] short c[2] = {3, 4}; };`);
      assert.equal(shape(u, 'A'), 'a@0 b@8 c@10 =16/8');
    });

    it('defines a member out of line: functions keep their class-qualified names and bodies', () => {
      const u = clean(`${types}
namespace drv {
class Device { public: Device(); ~Device(); NTSTATUS OnRead(PVOID p); static void Evt(PVOID q); ULONG s; };
}
drv::Device::Device() : s(0) {}
drv::Device::~Device() {}
NTSTATUS drv::Device::OnRead(PVOID p) { auto local = [](int x) { return x; }; return local(0); }
namespace drv { void Device::Evt(PVOID q) try { } catch (...) { } }`);
      const defs = u.unit.functions.filter((f) => f.isDefinition);
      assert.deepEqual(defs.map((f) => [f.name, f.qualifiedName]), [
        ['Device::Device', 'drv::Device::Device'],
        ['Device::~Device', 'drv::Device::~Device'],
        ['Device::OnRead', 'drv::Device::OnRead'],
        ['Device::Evt', 'drv::Device::Evt'],
      ]);
      assert.equal(defs[2].body[0].text, '{');
      assert.equal(defs[2].body[defs[2].body.length - 1].text, '}');
    });
  });

  describe('constants', () => {
    it('evaluates constexpr and const variables, static members and scoped enumerators in bounds', () => {
      const u = clean(`${types}
constexpr ULONG kSlots = 4;
const int kTwice = kSlots * 2;
namespace lim { constexpr ULONG kPath = 260; enum class Level : UCHAR { Low = 1, High = 4 }; enum Plain { A = 3, B }; }
struct S {
  static constexpr ULONG N = sizeof(PVOID);
  char a[N]; char b[kTwice]; char c[lim::kPath]; char d[static_cast<int>(lim::Level::High)];
  char e[lim::B]; char f[true + true]; char g[sizeof(nullptr)]; char h[alignof(double)]; char i[ULONG(3)];
};`);
      assert.equal(shape(u, 'S'), 'a@0 b@8 c@16 d@276 e@280 f@284 g@286 h@294 i@302 =305/1');
    });

    it('gives enum class and enums with an underlying type their size, and keeps scoped enumerators out of the enclosing scope', () => {
      const u = clean(`
enum class Small : unsigned char { A };
enum class Big : unsigned long long { A };
enum class Default { A };
struct E { Small s; Big b; Default d; };
constexpr int A = 7;
char probe[A];`);
      assert.equal(shape(u, 'E'), 's@0 b@8 d@16 =24/8');
      assert.equal(u.layout.typeInfo(u.unit.variables.find((v) => v.name === 'probe')!.type).size, 7);
    });

    it('collects static_assert in namespaces and classes', () => {
      const u = clean(`namespace n { struct X { int a; static_assert(sizeof(int) == 4, "int"); }; static_assert(sizeof(X) == 4); }`);
      assert.deepEqual(u.unit.staticAsserts.map((a) => u.layout.evaluate(a.expr)), [1n, 1n]);
    });
  });

  describe('templates', () => {
    it('instantiates class templates for the arguments used, with defaults, named as clang names them', () => {
      const u = clean(`${types}
template <typename T, ULONG N = 2> struct Buf { T data[N]; ULONG n; };
struct Uses { Buf<ULONG, 4> a; Buf<PVOID> b; Buf<Buf<char, 3>, 2> c; };`);
      const names = u.unit.records.filter((r) => r.cxx?.template).map((r) => recordName(r));
      // The inner instance is made while the outer one's arguments are read.
      assert.deepEqual(names, ['Buf<unsigned long, 4>', 'Buf<void *, 2>', 'Buf<char, 3>', 'Buf<struct Buf<char, 3>, 2>']);
      assert.equal(shape(u, 'Buf<void *, 2>'), 'data@0 n@16 =24/8');
      assert.equal(shape(u, 'Uses'), 'a@0 b@24 c@48 =72/8');
      // One instance per argument list.
      assert.equal(u.unit.records.filter((r) => recordName(r) === 'Buf<unsigned long, 4>').length, 1);
    });

    it('chooses explicit specializations, also by sizeof per ABI, and reads dependent member types', () => {
      const src = `${types}
template <ULONG Size> struct SizedInt;
template <> struct SizedInt<4> { typedef ULONG type; };
template <> struct SizedInt<8> { typedef unsigned long long type; };
template <typename T> struct Raw { typename SizedInt<sizeof(T)>::type value; };
struct Uses { Raw<PVOID> r; };`;
      assert.equal(shape(clean(src, 'x86'), 'Uses'), 'r@0 =4/4');
      assert.equal(shape(clean(src, 'x64'), 'Uses'), 'r@0 =8/8');
    });

    it('skips function templates, member templates and alias templates\' own bodies, and reads alias templates', () => {
      const u = clean(`
template <typename T> T Max(T a, T b) { return a > b ? a : b; }
template <class T> using Ptr = T *;
template <typename T> struct W { T v; template <typename U> U As() const { return static_cast<U>(v); } static T Make() { return T(); } };
struct Uses { W<short> w; Ptr<int> p; };`);
      assert.equal(shape(u, 'Uses'), 'w@0 p@8 =16/8');
      assert.deepEqual(u.unit.functions.map((f) => f.name), ['W<short>::Make']);
    });

    it("reads an instance's constructors by the template's name (UsbDk's helpers): a declared constructor does not hide the class", () => {
      const u = clean(`
template <typename T> class Counter {
public:
    Counter() { static long volatile c = 0; m_Number = c; }
    Counter(const Counter&) = delete;
    Counter& operator= (const Counter&) = delete;
    operator unsigned long() const { return static_cast<unsigned long>(m_Number); };
private:
    long m_Number = 0;
};
template <int Pool, unsigned long Tag, typename T> class BufferSet final {
public:
    explicit BufferSet(unsigned long n) : m_Count(n) {}
    ~BufferSet() {}
    void* operator new[](unsigned long long Size) throw() { return 0; }
    void operator delete[](void *p) { if (p) { } }
    bool Create() { return true; }
private:
    unsigned long m_Count;
    T *m_Entries = nullptr;
};
struct Uses { Counter<int> c; BufferSet<1, 2, short> b; };`);
      assert.equal(shape(u, 'Counter<int>'), 'm_Number@0 =4/4');
      assert.equal(shape(u, 'BufferSet<1, 2, short>'), 'm_Count@0 m_Entries@8 =16/8');
      assert.equal(shape(u, 'Uses'), 'c@0 b@8 =24/8');
    });

    it('reports partial specializations, wrong argument counts and runaway instantiation, and reads on', () => {
      const u = cxx(`
template <typename T> struct P { T t; };
template <typename T> struct P<T *> { int special; };
template <typename T, typename U> struct Two { T t; U u; };
template <int N> struct Deep { Deep<N + 1> next; };
struct Bad { Two<int> two; Deep<0> deep; };
struct After { P<int *> p; char c; };`);
      const codes = diagnostics(u).map((d) => d.split(' ')[0]);
      assert.ok(codes.includes('cxx-unsupported'), codes.join());
      assert.ok(codes.includes('cxx-template-args'), codes.join());
      assert.ok(codes.includes('cxx-template-depth'), codes.join());
      // The primary template stands in for the skipped partial specialization.
      assert.equal(shape(u, 'After'), 'p@0 c@8 =16/8');
    });
  });

  describe('bad input', () => {
    it('skips what it does not model with one diagnostic and keeps reading the file', () => {
      const u = cxx(`
namespace n {
struct A { int a; $$$ ; int b; };
template <typename T concept X = true;
struct B { int b; };
}
struct C { n::B b; char c; };`);
      assert.ok(diagnostics(u).length > 0);
      assert.equal(shape(u, 'C'), 'b@0 c@4 =8/4');
    });

    it('survives unterminated namespaces, classes and templates', () => {
      for (const src of ['namespace a { struct X { int x; };', 'class C { public: void f() { ', 'template <typename T struct S { T t; };', 'struct D : { int d; };', 'namespace { using namespace ; }']) {
        const u = cxx(src);
        assert.ok(Array.isArray(diagnostics(u)), src);
      }
    });
  });
});
