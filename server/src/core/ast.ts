/**
 * The declaration model the parser produces and the layout pass consumes.
 *
 * It is ABI-independent in form: sizes are *not* stored here. Array bounds and
 * enumerator values stay expressions (`Expr`) because `sizeof(PVOID) * 2`
 * means different things on x86 and x64; the layout pass evaluates them per
 * ABI. (The pipeline still preprocesses and parses once per ABI, because
 * `#if defined(_WIN64)` can change the declarations themselves.)
 *
 * Typedef names are kept as sugar (`{kind: 'typedef'}` nodes) so later stages
 * can print `PWSTR` rather than `unsigned short *`, and can tell a `HANDLE`
 * from any other `void *`.
 */

import type { Loc } from './source';
import type { Token } from './token';

export type IntRank = 'char' | 'short' | 'int' | 'long' | 'longlong' | 'int128';

/** Qualifiers that may sit on any type node. */
export interface Quals {
  const?: boolean;
  volatile?: boolean;
  /** MSVC `__unaligned` / `UNALIGNED`. */
  unaligned?: boolean;
}

export type CType =
  | ({ kind: 'void' } & Quals)
  /** `_Bool`. */
  | ({ kind: 'bool' } & Quals)
  /** Integer types; `wchar_t` is `{rank: 'short', signed: false, wchar: true}` (MSVC). `char` without sign is signed. */
  | ({
      kind: 'int';
      rank: IntRank;
      signed: boolean;
      wchar?: boolean;
      explicitSign?: boolean;
      /** C++ character types, laid out as the unsigned integer of their size: `char8_t`, `char16_t`, `char32_t`. */
      cxxName?: 'char8_t' | 'char16_t' | 'char32_t';
    } & Quals)
  | ({ kind: 'float'; rank: 'float' | 'double' | 'longdouble' } & Quals)
  | ({
      kind: 'pointer';
      to: CType;
      /** `__ptr32` / `__ptr64` (or `POINTER_32` / `POINTER_64` when defined so): fixed width in bits. */
      width?: 32 | 64;
      /** `__sptr` / `__uptr`: how a __ptr32 is extended (only recorded). */
      extend?: 'sign' | 'zero';
    } & Quals)
  /** `length` undefined means `[]` (flexible array member or incomplete array). */
  | ({ kind: 'array'; of: CType; length?: Expr } & Quals)
  | ({ kind: 'record'; decl: RecordDecl } & Quals)
  | ({ kind: 'enum'; decl: EnumDecl } & Quals)
  | ({ kind: 'function'; ret: CType; params: ParamDecl[]; variadic: boolean; callconv?: string } & Quals)
  | ({ kind: 'typedef'; decl: TypedefDecl } & Quals)
  /** A type the parser could not resolve (unknown name). Layout treats it as an error, never a crash. */
  | ({ kind: 'error'; name: string } & Quals);

export interface RecordDecl {
  kind: 'struct' | 'union';
  /** The tag, if any (`struct _FOO` -> `_FOO`). */
  tag?: string;
  /** Typedef declarators that name this record directly or by pointer, in source order: `['FOO', '*PFOO']`. */
  typedefs: string[];
  /** `undefined` while the record is only declared (incomplete). */
  fields?: FieldDecl[];
  /** `#pragma pack` value in effect where the definition starts (clang's rule), if any. */
  pack?: number;
  /** `__declspec(align(n))` on the record itself. */
  declAlign?: number;
  /** Where the `struct`/`union` keyword of the definition (or first declaration) is. */
  loc: Loc;
  /** Where the name is (tag, or first typedef name for anonymous tags). */
  nameLoc?: Loc;
  /** The closing brace. */
  endLoc?: Loc;
  /** True for a record declared inside another record's body. */
  nested?: boolean;
  /** Unique within one translation unit, in definition order. */
  id: number;
  /** C++ only: scope, bases, virtual functions, template origin (absent for C records). */
  cxx?: CxxRecordInfo;
}

/** What C++ adds to a record (`struct`, `class` or `union` read by the C++ parser). */
export interface CxxRecordInfo {
  /** Declared with `class` (members private by default; laid out like a struct). */
  isClass?: boolean;
  /**
   * The name with its enclosing namespaces and classes, as clang prints it:
   * `contoso::ioctl::ReadRequest`, `Outer::Inner`, `Buf<unsigned long, 4>`.
   * For an anonymous record named by a typedef, the typedef's qualified name.
   */
  qualifiedName?: string;
  /** Direct base classes in declaration order. */
  bases: BaseSpecifier[];
  /** The class itself declares a virtual member function (or destructor). */
  declaresVirtual: boolean;
  /** `__declspec(empty_bases)`: empty bases share offset 0 instead of getting distinct bytes. */
  emptyBases?: boolean;
  /** For a class template instantiation or specialization: the template's qualified name and the arguments as clang prints them. */
  template?: { name: string; args: string[] };
}

export interface BaseSpecifier {
  type: CType;
  virtual: boolean;
  access: 'public' | 'protected' | 'private';
  loc: Loc;
}

export interface FieldDecl {
  /** `undefined` for an anonymous struct/union member or an unnamed bit-field. */
  name?: string;
  type: CType;
  /** Expression for the bit width; present for bit-fields only. */
  bitWidth?: Expr;
  /** `__declspec(align(n))` / `DECLSPEC_ALIGN(n)` written on this member. */
  declAlign?: number;
  /** SAL and ioctl-lens annotations written on the member (`_Field_size_(Count)` ...). */
  annotations: Annotation[];
  /** Start of the member declaration (first specifier token). */
  loc: Loc;
  /** The member's name (or `loc` when unnamed). */
  nameLoc: Loc;
  /** End of the declarator (exclusive), for inlay hints and edits. */
  endLoc: Loc;
  /** The type as written, normalised spacing: `PWSTR`, `struct _BAR *`, `ULONG` ... */
  typeText: string;
}

export interface Annotation {
  /** `_Field_size_`, `_Field_size_bytes_opt_`, `_Field_range_`, `_In_` ... */
  name: string;
  /** Argument text, one string per comma-separated argument, whitespace normalised. */
  args: string[];
  loc: Loc;
}

export interface EnumDecl {
  tag?: string;
  /** C++: `enum class` / `enum struct` (enumerators live in the enum's scope). */
  scoped?: boolean;
  /** C++: the tag with its enclosing namespaces and classes. */
  qualifiedName?: string;
  typedefs: string[];
  /** `undefined` while only declared. */
  enumerators?: EnumConstant[];
  /** C23/MSVC fixed underlying type `enum E : UCHAR`. */
  underlying?: CType;
  loc: Loc;
  nameLoc?: Loc;
  endLoc?: Loc;
  id: number;
}

export interface EnumConstant {
  name: string;
  /** Explicit initialiser; absent means previous + 1. */
  value?: Expr;
  loc: Loc;
  parent: EnumDecl;
}

export interface TypedefDecl {
  name: string;
  type: CType;
  /** `__declspec(align(n))` on the typedef (`typedef DECLSPEC_ALIGN(16) ULONGLONG A16;`): a *required* alignment. */
  declAlign?: number;
  loc: Loc;
  /** True when it came from the built-in prelude rather than a real header. */
  prelude?: boolean;
  /** C++: the name with its enclosing namespaces and classes (`ns::Handle`), when declared in one. */
  qualifiedName?: string;
}

export interface ParamDecl {
  name?: string;
  type: CType;
  loc: Loc;
}

/** A function definition; its body is kept as tokens for the dispatch analysis. */
export interface FunctionDecl {
  name: string;
  type: CType & { kind: 'function' };
  loc: Loc;
  /** Tokens of the body, from `{` to the matching `}` inclusive (empty for prototypes). */
  body: Token[];
  isDefinition: boolean;
  /** Declared `static`: visible only in its own translation unit (calls are resolved there first). */
  isStatic?: boolean;
  /** C++: the name with its namespaces (`contoso::Device::OnRead`; `name` keeps only the class part, `Device::OnRead`). */
  qualifiedName?: string;
  /**
   * SAL annotations written on the declaration (`_Dispatch_type_(IRP_MJ_CREATE)`,
   * `_IRQL_requires_max_(...)`), in source order; absent when there are none.
   * Added by the parser for the dispatch analysis.
   */
  annotations?: Annotation[];
}

export interface VarDecl {
  name: string;
  type: CType;
  loc: Loc;
  isStatic?: boolean;
  /** The initialiser's tokens after `=` (handler tables for the dispatch analysis); absent without one. */
  init?: Token[];
  /**
   * C++: the value of a `constexpr` variable or of a `const` one (`static
   * constexpr ULONG Max = 16;`, `const int N = 4;`), which makes its name
   * usable in constant expressions.
   */
  constant?: Expr;
  /** C++: the name with its enclosing namespaces and classes (`ns::Device::Max`). */
  qualifiedName?: string;
}

/** Constant expressions (array bounds, bit widths, enumerator values, `C_ASSERT`s). */
export type Expr =
  /**
   * An integer or character constant. `text` (added by the parser) is the
   * literal's spelling for integer literals (`0u`, `0x10UL`, `5i64`), so the
   * evaluator can give it its C type; absent for character constants (int).
   */
  | { kind: 'num'; value: bigint; loc: Loc; text?: string }
  /**
   * An identifier: an enumerator, or something the evaluator will report as
   * not constant. In C++ the parser resolves the (possibly qualified) name in
   * its scope and sets `ref`: an enumerator, or a constant variable (`constant`).
   */
  | { kind: 'name'; name: string; loc: Loc; ref?: EnumConstant | VarDecl }
  | { kind: 'unary'; op: '-' | '+' | '~' | '!'; arg: Expr; loc: Loc }
  | { kind: 'binary'; op: string; left: Expr; right: Expr; loc: Loc }
  | { kind: 'cond'; test: Expr; then: Expr; else: Expr; loc: Loc }
  | { kind: 'cast'; type: CType; arg: Expr; loc: Loc }
  | { kind: 'sizeof'; type: CType; loc: Loc }
  | { kind: 'alignof'; type: CType; loc: Loc }
  /** `FIELD_OFFSET(T, a.b[2])` / `offsetof(T, a.b)` / `__builtin_offsetof`. */
  | { kind: 'offsetof'; type: CType; path: (string | Expr)[]; loc: Loc }
  /** `sizeof expr` / `sizeof(((T*)0)->Member)` and the like: the operand is kept as tokens. */
  | {
      kind: 'sizeofExpr';
      tokens: Token[];
      loc: Loc;
      /**
       * Added by the parser: set when the operand designates a member through
       * a null pointer, `((T *)0)->a.b[i]` with any parentheses and casts
       * around the base (`RTL_FIELD_SIZE`, `ARRAYSIZE(((T *)0)->a)`), so the
       * evaluator can walk `path` from `type` instead of re-reading tokens.
       */
      member?: { type: CType; path: (string | Expr)[] };
    }
  /**
   * Anything else the parser recognised as an expression but cannot evaluate.
   * `reported`: the parser has already said why (a missing operand, a limit),
   * so evaluating it fails without a second diagnostic.
   */
  | { kind: 'opaque'; text: string; loc: Loc; reported?: true };

/** A compile-time assertion (`C_ASSERT(...)`, `_Static_assert`, `static_assert`). */
export interface StaticAssert {
  expr: Expr;
  message?: string;
  loc: Loc;
}

/** Everything the parser found at file scope, in source order where it matters. */
export interface TranslationUnit {
  /** Every record definition or declaration (including nested and anonymous ones), in order of first appearance. */
  records: RecordDecl[];
  enums: EnumDecl[];
  /** Last definition wins; the prelude's are overridden silently by real headers. */
  typedefs: Map<string, TypedefDecl>;
  /** `struct X` / `union X` / `enum X` tags. */
  tags: Map<string, RecordDecl | EnumDecl>;
  enumConstants: Map<string, EnumConstant>;
  functions: FunctionDecl[];
  variables: VarDecl[];
  staticAsserts: StaticAssert[];
  /**
   * C++ units: the global scope of parse-cxx.ts (namespaces, classes,
   * templates by scope), so a later parse that falls back on this unit (the
   * language server's preamble) resolves qualified names. Opaque here.
   */
  cxxScope?: unknown;
}
