/**
 * The C declaration parser: turns the preprocessed token stream of a driver
 * header into the declaration model of `ast.ts` (records, enums, typedefs,
 * functions, variables, static assertions). It reads file-scope C in the
 * Microsoft dialect; function bodies are skipped by brace matching and kept
 * as tokens.
 *
 * Algorithm. One forward pass of recursive descent over an index-based
 * cursor, with at most a few tokens of lookahead and no backtracking:
 *
 *   1. `#pragma` tokens are taken out of the stream first, in one loop that
 *      also runs the `#pragma pack` stack (parse-pragma.ts) and remembers the
 *      value in effect before every remaining token. A record takes the value
 *      in effect at its `struct` keyword (clang's rule), so pragmas anywhere,
 *      even between two members, never disturb the grammar.
 *   2. Each declaration is `declaration-specifiers declarator-list`. The
 *      specifier loop classifies identifiers with one map lookup (keywords,
 *      MSVC extensions, calling conventions), skips SAL annotations (keeping
 *      them for struct members), `__declspec(...)` and `__attribute__((...))`
 *      (keeping `align`/`aligned`/`packed`), and resolves the C typedef
 *      ambiguity the usual way: an identifier is a type name only while no
 *      type specifier has been seen and a typedef of that name is in scope
 *      (this unit first, then the prelude given as `options.fallback`).
 *   3. A declarator is parsed into a list of derivations (pointer, array,
 *      function) in the order they apply to the base type, so nested
 *      declarators like `VOID (NTAPI *Fn)(PVOID)` need no re-parsing. While it
 *      is read, the declarator's own text (minus the name) is collected to
 *      give each field its `typeText` (`ULONG a, *b;` -> `ULONG *` for b).
 *   4. Tags follow C: `struct X` finds the unit's record for X or creates an
 *      incomplete one, and a later definition completes that same object, so
 *      earlier pointers see it. A tag the unit never declared resolves to the
 *      prelude's record; a real definition always wins from then on.
 *   5. Constant expressions (array bounds, bit widths, enumerators,
 *      `C_ASSERT`s) are parsed into `Expr` trees by parse-expr.ts and never
 *      evaluated here: sizes depend on the ABI.
 *
 * Errors. The parser never throws. A bad declaration gets one diagnostic and
 * the cursor skips to the next `;` at nesting depth 0 (inside a struct body:
 * the next `;` of that body), so one typo never cascades. An unknown type
 * name is reported and typed `{kind: 'error'}`, and the declaration goes on.
 * Every loop checks that it made progress, and EOF inside a struct body ends
 * the body with a diagnostic and a best-effort record. A few heuristics keep
 * half-typed headers readable, each with one diagnostic:
 *
 *   - a `;` missing after `}` or at the end of a line whose next line starts
 *     a declaration is assumed, as clang does;
 *   - a record body that meets `typedef` or a storage class lacks its `}` and
 *     ends there (with every enclosing body), rather than swallowing the file;
 *   - an unterminated function body or a stray `{` block ends before the next
 *     line that starts a file-scope declaration;
 *   - an upper-case identifier before a type (`NTKERNELAPI ULONG f(void);`),
 *     between a type and a name (`ULONG POINTER_ALIGNMENT Length;`) or before
 *     a tag is taken for an undefined attribute macro and skipped;
 *   - a stack overflow from absurd nesting becomes one diagnostic.
 */

import type {
  Annotation,
  BaseSpecifier,
  CType,
  EnumConstant,
  EnumDecl,
  Expr,
  FieldDecl,
  FunctionDecl,
  IntRank,
  ParamDecl,
  Quals,
  RecordDecl,
  StaticAssert,
  TranslationUnit,
  TypedefDecl,
  VarDecl,
} from './ast';
import type { Abi, Language } from './abi';
import { cRules, evaluateTokens } from './constexpr';
import { diag, type Diagnostic } from './diagnostics';
import { type LayoutContext, createLayoutContext } from './layout';
import {
  type ClassTemplate,
  type CxxState,
  type Entity,
  type Scope,
  type TemplateParam,
  acceptCloseAngle,
  argumentsKey,
  constantValue,
  createCxxState,
  enumeratorName,
  instantiateTemplate,
  lookupIn,
  lookupUnqualified,
  namespaceScope,
  newScope,
  parseQualifiedName,
  parseTemplateArgs,
  recordOfType,
  scopeOf,
  skipCxxAttributes,
  templateIdText,
} from './parse-cxx';
import { parseCond, parseExpr } from './parse-expr';
import { applyPragma, createPackState } from './parse-pragma';
import { isSalAnnotation } from './preprocess';
import {
  accept,
  advance,
  atPunct,
  cur,
  endOf,
  expect,
  expected,
  isPunct,
  locOf,
  describe,
  maxNesting,
  nest,
  ParseLimit,
  type ParserState,
  peekAt,
  peekPunct,
  skipBalanced,
  syntaxError,
  tokensText,
  unnest,
} from './parse-state';
import { isSalAnnotationName, joinTypeText } from './parse-text';
import { TokKind, type Token } from './token';
import { append } from './arrays';

export { isSalAnnotationName, joinTypeText } from './parse-text';

export interface ParseOptions {
  /**
   * Declarations from the built-in prelude: a typedef or tag name that the
   * translation unit never declares resolves to the prelude's, so a lone
   * header still knows ULONG, HANDLE, UNICODE_STRING ... Real declarations
   * always win, silently.
   */
  fallback?: TranslationUnit;
  /** Default `'c'`; `'cpp'` reads C++ declarations (namespaces, classes, templates ...). */
  language?: Language;
  /**
   * C++: the ABI the unit is parsed for, so template arguments and
   * alignments that depend on sizes (`Traits<sizeof(T)>`, `alignas(double)`)
   * are known while parsing. Without it they are keyed by their text.
   */
  abi?: Abi;
}

export interface ParseResult {
  unit: TranslationUnit;
  diagnostics: Diagnostic[];
}

// ---------------------------------------------------------------------------
// Keywords

const enum K {
  Typedef = 1,
  Storage,
  Inline,
  Const,
  Volatile,
  Restrict,
  Unaligned,
  Void,
  Char,
  Short,
  Int,
  Long,
  Signed,
  Unsigned,
  Int8,
  Int16,
  Int32,
  Int64,
  Int128,
  Bool,
  Float,
  Double,
  /** C++ `char8_t`, `char16_t`, `char32_t`. */
  CharN,
  Wchar,
  Struct,
  Union,
  /** C++ `class` (a struct whose members are private by default). */
  Class,
  /** C++ `typename T::type`. */
  Typename,
  /** C++ `auto` as a type placeholder. */
  Auto,
  Enum,
  Declspec,
  Attribute,
  Extension,
  CallConv,
  Typeof,
  Alignas,
  Ignore,
  Ptr32,
  Ptr64,
  Sptr,
  Uptr,
  StaticAssert,
  Asm,
  /** C++ `virtual`. */
  Virtual,
  /** C++ `friend`. */
  Friend,
  /** C++ `constexpr`, `consteval`, `constinit`. */
  Constexpr,
  /** Other C++ keywords: never a name, never a specifier (`namespace`, `template`, `operator`, `this` ...). */
  CxxWord,
}

const keywords = new Map<string, K>([
  ['typedef', K.Typedef],
  ['extern', K.Storage], ['static', K.Storage], ['auto', K.Storage], ['register', K.Storage],
  ['_Thread_local', K.Storage], ['__thread', K.Storage], ['thread_local', K.Storage],
  ['inline', K.Inline], ['__inline', K.Inline], ['__inline__', K.Inline], ['__forceinline', K.Inline],
  ['_Noreturn', K.Inline],
  ['const', K.Const], ['__const', K.Const], ['__const__', K.Const],
  ['volatile', K.Volatile], ['__volatile', K.Volatile], ['__volatile__', K.Volatile],
  ['restrict', K.Restrict], ['__restrict', K.Restrict], ['__restrict__', K.Restrict], ['_Atomic', K.Restrict],
  ['__unaligned', K.Unaligned],
  ['void', K.Void], ['char', K.Char], ['short', K.Short], ['int', K.Int], ['long', K.Long],
  ['signed', K.Signed], ['__signed', K.Signed], ['__signed__', K.Signed], ['unsigned', K.Unsigned],
  ['__int8', K.Int8], ['__int16', K.Int16], ['__int32', K.Int32], ['__int64', K.Int64], ['__int128', K.Int128],
  ['_Bool', K.Bool], ['float', K.Float], ['double', K.Double], ['__wchar_t', K.Wchar],
  ['struct', K.Struct], ['union', K.Union], ['enum', K.Enum],
  ['__declspec', K.Declspec], ['__attribute__', K.Attribute], ['__attribute', K.Attribute],
  ['__extension__', K.Extension],
  ['__stdcall', K.CallConv], ['__cdecl', K.CallConv], ['__fastcall', K.CallConv], ['__vectorcall', K.CallConv],
  ['__thiscall', K.CallConv], ['__clrcall', K.CallConv], ['__pascal', K.CallConv], ['_stdcall', K.CallConv],
  ['_cdecl', K.CallConv], ['_fastcall', K.CallConv], ['__regcall', K.CallConv],
  ['typeof', K.Typeof], ['__typeof__', K.Typeof], ['__typeof', K.Typeof], ['typeof_unqual', K.Typeof],
  ['_Alignas', K.Alignas], ['alignas', K.Alignas],
  ['__w64', K.Ignore], ['_Nullable', K.Ignore], ['_Nonnull', K.Ignore], ['_Null_unspecified', K.Ignore],
  ['__ptr32', K.Ptr32], ['__ptr64', K.Ptr64], ['__sptr', K.Sptr], ['__uptr', K.Uptr],
  ['_Static_assert', K.StaticAssert], ['static_assert', K.StaticAssert],
  ['__asm__', K.Asm], ['__asm', K.Asm], ['asm', K.Asm],
]);

/**
 * C++'s table: C's, with `auto` a type placeholder, `bool` and `wchar_t` type
 * keywords, the class keys and specifiers C++ adds, and its other keywords
 * reserved (so `namespace` is never read as a type or a name).
 */
const cxxKeywords = new Map<string, K>([
  ...keywords,
  ['auto', K.Auto],
  ['bool', K.Bool], ['wchar_t', K.Wchar], ['char8_t', K.CharN], ['char16_t', K.CharN], ['char32_t', K.CharN],
  ['class', K.Class], ['typename', K.Typename], ['decltype', K.Typeof],
  ['virtual', K.Virtual], ['friend', K.Friend], ['explicit', K.Inline], ['mutable', K.Inline],
  ['constexpr', K.Constexpr], ['consteval', K.Constexpr], ['constinit', K.Constexpr],
  ...[
    'namespace', 'using', 'template', 'operator', 'this', 'new', 'delete', 'public', 'private', 'protected', 'true',
    'false', 'nullptr', 'throw', 'try', 'catch', 'typeid', 'static_cast', 'dynamic_cast', 'reinterpret_cast',
    'const_cast', 'noexcept', 'export', 'concept', 'requires', 'co_await', 'co_yield', 'co_return',
  ].map((w) => [w, K.CxxWord] as [string, K]),
]);

function kw(s: ParserState, t: Token): K | undefined {
  return t.kind === TokKind.Ident ? s.keywords.get(t.text) : undefined;
}

/** Names the expanded forms of `C_ASSERT` / `_STATIC_ASSERT` declare; such declarations are static assertions. */
const staticAssertNames = new Set(['__C_ASSERT__', 'c_assert', '__static_assert_t']);

// ---------------------------------------------------------------------------
// Entry point

export function parse(tokens: Token[], options: ParseOptions = {}): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const { toks, kinds, texts, packAt } = prepareTokens(tokens, diagnostics);
  const unit: TranslationUnit = {
    records: [],
    enums: [],
    typedefs: new Map(),
    tags: new Map(),
    enumConstants: new Map(),
    functions: [],
    variables: [],
    staticAsserts: [],
  };
  const fallback = options.fallback;
  let maxRecord = -1;
  let maxEnum = -1;
  if (fallback) {
    for (const r of fallback.records) if (r.id > maxRecord) maxRecord = r.id;
    for (const e of fallback.enums) if (e.id > maxEnum) maxEnum = e.id;
  }
  const s: ParserState = {
    toks,
    kinds,
    texts,
    last: toks.length - 1,
    pos: 0,
    packAt,
    unit,
    diagnostics,
    fallback,
    errored: false,
    paramScopes: [],
    recordDepth: 0,
    nesting: 0,
    openRecords: [],
    abortAt: -1,
    nextRecordId: maxRecord + 1,
    nextEnumId: maxEnum + 1,
    keywords,
    isTypeStart,
    parseTypeName,
  };
  if (options.language === 'cpp') {
    s.keywords = cxxKeywords;
    s.cxx = createCxxState(replayRecord, options.fallback?.cxxScope as Scope | undefined);
    s.cxxPrimary = cxxPrimary;
    unit.cxxScope = s.cxx.global;
    const abi = options.abi;
    if (abi) {
      // Template arguments such as `sizeof(T)` select specializations while parsing: ask a layout
      // context of the unit so far (records already complete never change), quietly.
      let context: LayoutContext | undefined;
      s.cxx.evaluate = (e) => (context ??= createLayoutContext(abi, unit)).evaluate(e);
    }
  }
  parseTranslationUnit(s);
  return { unit, diagnostics };
}

/**
 * Takes the pragma tokens out of the stream, running the pack stack, makes
 * sure the result ends with exactly one EOF token, and fills the flat
 * `kinds`/`texts` mirrors the hot loops read.
 */
function prepareTokens(
  tokens: Token[],
  diagnostics: Diagnostic[],
): { toks: Token[]; kinds: Uint8Array; texts: string[]; packAt: Uint8Array } {
  const pack = createPackState();
  const n = tokens.length;
  // Preallocated (and trimmed below): much faster than growing by push for 10^5 tokens.
  const toks: Token[] = new Array(n);
  const texts: string[] = new Array(n);
  const kinds = new Uint8Array(n + 1);
  const packAt = new Uint8Array(n + 1);
  let current = 0;
  let at = 0;
  for (let i = 0; i < n; i++) {
    const t = tokens[i];
    const kind = t.kind;
    if (kind === TokKind.Pragma) {
      applyPragma(pack, t, diagnostics);
      current = pack.current ?? 0;
      continue;
    }
    toks[at] = t;
    texts[at] = t.text;
    kinds[at] = kind;
    packAt[at] = current;
    at++;
    if (kind === TokKind.EOF) break;
  }
  toks.length = at;
  texts.length = at;
  if (toks.length === 0 || kinds[toks.length - 1] !== TokKind.EOF) {
    const lastTok = toks[toks.length - 1];
    const file = lastTok?.file ?? { path: '<input>', text: '' };
    const offset = lastTok ? lastTok.offset + lastTok.text.length : 0;
    const line = lastTok?.line ?? 1;
    const col = lastTok ? lastTok.col + lastTok.text.length : 1;
    const at = toks.length;
    toks.push({ kind: TokKind.EOF, text: '', file, offset, line, col, space: false, bol: false });
    texts.push('');
    kinds[at] = TokKind.EOF;
    packAt[at] = current;
  }
  return { toks, kinds, texts, packAt };
}

// ---------------------------------------------------------------------------
// Translation unit

/**
 * translation-unit: external-declaration*
 * external-declaration: ';' | 'extern' string-literal '{' external-declaration* '}'
 *   | static-assert-declaration | function-definition | declaration
 */
function parseTranslationUnit(s: ParserState): void {
  // Open `extern "C" {` (and, in C++, namespace) blocks: a `}` closes the innermost.
  const blocks: CxxState['blocks'] = s.cxx?.blocks ?? [];
  while (s.pos < s.last) {
    const kind = s.kinds[s.pos];
    const text = s.texts[s.pos];
    const before = s.pos;
    s.errored = false;
    if (kind === TokKind.Punct) {
      if (text === ';') {
        advance(s);
        continue;
      }
      if (text === '}') {
        const block = blocks.pop();
        if (block === undefined) syntaxError(s, 'parse-expected', cur(s), ['a declaration', '}']);
        else if (block.kind === 'namespace' && s.cxx) s.cxx.scope = block.restore;
        advance(s);
        continue;
      }
      if (s.cxx && text === '[' && skipCxxAttributes(s)) continue;
    }
    if (kind === TokKind.Ident) {
      // extern "C" { ... } and extern "C" declaration
      if (text === 'extern' && s.kinds[Math.min(s.pos + 1, s.last)] === TokKind.String) {
        advance(s);
        advance(s);
        if (accept(s, '{')) blocks.push({ kind: 'extern' });
        continue;
      }
      if (s.cxx && parseCxxDeclarationStart(s, text)) {
        if (s.pos === before) advance(s);
        continue;
      }
    }
    try {
      if (isStaticAssertStart(s)) parseStaticAssert(s);
      else parseDeclaration(s);
    } catch (error) {
      // A limit (`maxNesting`, `maxOperators`) or, as a last resort, the stack: report it and skip the declaration.
      s.paramScopes.length = 0;
      s.recordDepth = 0;
      s.nesting = 0;
      // Records whose body was cut short are not defined: no layout is better than a wrong one.
      for (const r of s.openRecords) r.fields = undefined;
      s.openRecords.length = 0;
      s.errored = false;
      if (error instanceof ParseLimit) syntaxError(s, 'parse-limit', error.at, [`${error.what}; the declaration is skipped`]);
      else syntaxError(s, 'parse-bad-declaration', s.toks[before], [isStackOverflow(error) ? 'nesting too deep' : String(error)]);
      s.pos = before;
      recoverDeclaration(s);
    }
    if (s.pos === before) advance(s);
  }
}

/** The JS stack ran out (a `RangeError` too, like a BigInt grown past its limit, which is no nesting). */
function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

function isStaticAssertStart(s: ParserState): boolean {
  if (s.kinds[s.pos] !== TokKind.Ident) return false;
  const text = s.texts[s.pos];
  if (text === '_Static_assert' || text === 'static_assert') return true;
  return text === 'C_ASSERT' && peekPunct(s, 1, '(');
}

/**
 * static-assert-declaration:
 *   ('_Static_assert' | 'static_assert' | 'C_ASSERT') '(' constant-expression (',' string-literal+)? ')' ';'?
 */
function parseStaticAssert(s: ParserState): void {
  const t = advance(s);
  if (!expect(s, '(')) {
    recoverDeclaration(s);
    return;
  }
  const expr = parseCond(s);
  let message: string | undefined;
  if (accept(s, ',')) {
    let text = '';
    while (cur(s).kind === TokKind.String) text += stringValue(advance(s).text);
    message = text;
  }
  if (!expect(s, ')')) {
    recoverDeclaration(s);
    return;
  }
  accept(s, ';');
  const sa: StaticAssert = { expr, loc: locOf(t) };
  if (message !== undefined) sa.message = message;
  s.unit.staticAsserts.push(sa);
}

function stringValue(text: string): string {
  const q = text.indexOf('"');
  return q < 0 ? text : text.slice(q + 1, text.endsWith('"') ? -1 : undefined);
}

/** Skips to the next `;` at depth 0 (consuming it) or stops before an unmatched `}`. */
function recoverDeclaration(s: ParserState): void {
  // A braced block ends a function definition, but not `typedef struct {...} T;`.
  let record = false;
  for (let i = s.pos; i < s.last && !(s.kinds[i] === TokKind.Punct && (s.texts[i] === '{' || s.texts[i] === ';')); i++) {
    const t = s.texts[i];
    if (t === 'struct' || t === 'union' || t === 'enum' || t === 'typedef' || t === 'class') record = true;
  }
  skipToSemicolon(s, { fileScope: !record });
}

/**
 * The one recovery loop: skips balanced groups to the next `;` (consumed) or
 * stops before an unmatched `}`. At file scope a braced block not followed by
 * `;` or `,` (a function body we could not read) also ends the declaration.
 */
function skipToSemicolon(s: ParserState, options: { fileScope: boolean }): void {
  while (s.pos < s.last) {
    if (s.kinds[s.pos] === TokKind.Punct) {
      const text = s.texts[s.pos];
      if (text === ';') {
        advance(s);
        return;
      }
      if (text === '}') return;
      if (text === '(' || text === '[' || text === '{') {
        skipBalanced(s);
        if (options.fileScope && text === '{' && !atPunct(s, ';') && !atPunct(s, ',')) return;
        continue;
      }
    }
    advance(s);
  }
}

// ---------------------------------------------------------------------------
// Declaration specifiers

type SpecContext = 'file' | 'member' | 'param' | 'typename';

interface Spec {
  start: number;
  isTypedef: boolean;
  base?: CType;
  kVoid: boolean;
  kBool: boolean;
  kChar: boolean;
  kInt: boolean;
  kFloat: boolean;
  kDouble: boolean;
  kWchar: boolean;
  shorts: number;
  longs: number;
  signed: boolean;
  unsigned: boolean;
  sized?: IntRank;
  hasType: boolean;
  quals: Quals;
  declAlign?: number;
  packed: boolean;
  callconv?: string;
  /** SAL annotations among the specifiers (allocated on first use). */
  annotations?: Annotation[];
  /** Type text pieces as written (`const`, `ULONG`, `struct _FOO`). */
  text: string[];
  /** The record or enum named by a struct/union/enum specifier, and whether it was defined here. */
  tag?: RecordDecl | EnumDecl;
  tagDefined: boolean;
  /** The tag belongs to the prelude (never mutate it). */
  tagFromFallback: boolean;
  /** Index just after the last token that belongs to the type (for anonymous members' end). */
  end: number;
  /** A record/enum body was followed, on a new line, by the start of another declaration: `;` is missing. */
  missingSemicolon: boolean;
  /** `static` among the specifiers (file-local functions and variables, for the dispatch analysis; C++ static members). */
  isStatic?: boolean;
  /** C++ specifiers that change what a declaration declares (set only in C++ units). */
  isConstexpr?: boolean;
  isVirtual?: boolean;
  isFriend?: boolean;
}

function newSpec(start: number): Spec {
  return {
    start,
    isTypedef: false,
    kVoid: false,
    kBool: false,
    kChar: false,
    kInt: false,
    kFloat: false,
    kDouble: false,
    kWchar: false,
    shorts: 0,
    longs: 0,
    signed: false,
    unsigned: false,
    hasType: false,
    quals: {},
    packed: false,
    text: [],
    tagDefined: false,
    tagFromFallback: false,
    end: start,
    missingSemicolon: false,
  };
}

function lookupTypedef(s: ParserState, name: string): TypedefDecl | undefined {
  for (let i = s.paramScopes.length - 1; i >= 0; i--) if (s.paramScopes[i].has(name)) return undefined;
  return s.unit.typedefs.get(name) ?? s.fallback?.typedefs.get(name);
}

/** Built-in type names that are not keywords (so a header may still typedef them). */
function builtinTypeName(name: string): CType | undefined {
  switch (name) {
    case 'wchar_t':
      return { kind: 'int', rank: 'short', signed: false, wchar: true };
    case '__builtin_va_list':
      return { kind: 'pointer', to: { kind: 'int', rank: 'char', signed: true } };
  }
  return undefined;
}

/**
 * A SAL annotation where a specifier or declarator may stand: the
 * preprocessor's rule (the names it passes through unexpanded) or the
 * parser's slightly wider one (SAL1 spellings such as `__out_ecount_full`
 * that a header left undefined), unless a typedef of that name is in scope.
 */
function isSal(s: ParserState, name: string): boolean {
  if (name.charCodeAt(0) !== 95 /* _ */) return false;
  return (isSalAnnotation(name) || isSalAnnotationName(name)) && !isTypeName(s, name);
}

/**
 * A SAL annotation at the cursor: a SAL-shaped name (see `isSal`) that is not
 * itself used as a declarator name (`ULONG _Reserved_;`): a bare name right
 * before `;`, `,`, `[`, `:`, `=` or `)` is the name being declared.
 */
function isSalHere(s: ParserState, name: string): boolean {
  if (!isSal(s, name)) return false;
  const i = Math.min(s.pos + 1, s.last);
  if (s.kinds[i] !== TokKind.Punct) return true;
  const next = s.texts[i];
  return !(next === ';' || next === ',' || next === '[' || next === ':' || next === '=' || next === ')' || next === '}');
}

/** `POINTER_ALIGNMENT`, `NTKERNELAPI`, `DECLSPEC_CACHEALIGN`: upper case, digits and underscores, at least 4 characters. */
function looksLikeMacroName(name: string): boolean {
  if (name.length < 4) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95)) return false;
  }
  return true;
}

/** The token `k` ahead can follow a declarator name: `;` `,` `[` `:` `=` `(` `)`. */
function endsDeclarator(s: ParserState, k: number): boolean {
  const i = Math.min(s.pos + k, s.last);
  if (s.kinds[i] !== TokKind.Punct) return false;
  const c = s.texts[i];
  return c === ';' || c === ',' || c === '[' || c === ':' || c === '=' || c === '(' || c === ')';
}

/** `name` names a type here: a typedef (C), or in C++ any type or class template found through the scopes. */
function isTypeName(s: ParserState, name: string): boolean {
  return s.cxx ? isCxxTypeName(s, name) : lookupTypedef(s, name) !== undefined;
}

/** A type specifier proper (not a qualifier): a type keyword, struct/union/enum, or a typedef name. */
function isTypeSpecifierStart(s: ParserState, t: Token): boolean {
  if (t.kind !== TokKind.Ident) return false;
  const k = s.keywords.get(t.text);
  if (k !== undefined) return k >= K.Void && k <= K.Enum;
  return isTypeName(s, t.text) || builtinTypeName(t.text) !== undefined;
}

/** Whether `t` can start a type name (used for casts, `sizeof(type)` and parameter lists). */
function isTypeStart(s: ParserState, t: Token): boolean {
  if (t.kind !== TokKind.Ident) {
    // C++ `::T`.
    if (!s.cxx || !isPunct(t, '::')) return false;
    const at = indexOfToken(s, t);
    return at >= 0 && cxxTypeAt(s, at);
  }
  const k = s.keywords.get(t.text);
  if (k !== undefined) {
    return (
      k === K.Const || k === K.Volatile || k === K.Restrict || k === K.Unaligned ||
      (k >= K.Void && k <= K.Enum) || k === K.Typeof || k === K.Extension
    );
  }
  if (s.cxx) {
    // Qualified names and template-ids need the tokens after `t`.
    const at = indexOfToken(s, t);
    if (at >= 0 && (s.texts[at + 1] === '::' || s.texts[at + 1] === '<')) return cxxTypeAt(s, at);
  }
  return isTypeName(s, t.text) || builtinTypeName(t.text) !== undefined;
}

/**
 * An annotation: SAL-name ('(' balanced-tokens ')')?
 * Arguments are split on top-level commas; each is kept as normalised text.
 */
function parseAnnotation(s: ParserState): Annotation {
  const nameTok = advance(s);
  const args: string[] = [];
  if (atPunct(s, '(')) {
    advance(s);
    let depth = 0;
    let argStart = s.pos;
    while (s.pos < s.last) {
      const t = cur(s);
      if (t.kind === TokKind.Punct) {
        if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
        else if (t.text === ')' || t.text === ']' || t.text === '}') {
          if (depth === 0) {
            if (t.text !== ')') break;
            if (s.pos > argStart || args.length > 0) args.push(tokensText(s, argStart, s.pos));
            advance(s);
            break;
          }
          depth--;
        } else if (t.text === ',' && depth === 0) {
          args.push(tokensText(s, argStart, s.pos));
          advance(s);
          argStart = s.pos;
          continue;
        } else if (t.text === ';' && depth === 0) break;
      }
      advance(s);
    }
  }
  return { name: nameTok.text, args, loc: locOf(nameTok) };
}

/**
 * `__declspec ( item* )`; only `align(n)` matters. Returns the alignment if given.
 * declspec: '__declspec' '(' (identifier ('(' balanced-tokens ')')? | string-literal)* ')'
 */
function parseDeclspec(s: ParserState, flags?: { emptyBases?: boolean }): number | undefined {
  advance(s);
  if (!atPunct(s, '(')) return undefined;
  advance(s);
  let align: number | undefined;
  while (s.pos < s.last && !atPunct(s, ')')) {
    const t = cur(s);
    if (t.kind === TokKind.Ident && (t.text === 'align' || t.text === '__align__') && peekPunct(s, 1, '(')) {
      advance(s);
      align = parseAlignArgument(s) ?? align;
      continue;
    }
    if (flags && t.kind === TokKind.Ident && t.text === 'empty_bases') flags.emptyBases = true;
    if (isPunct(t, '(') || isPunct(t, '[') || isPunct(t, '{')) {
      skipBalanced(s);
      continue;
    }
    if (isPunct(t, ';') || isPunct(t, '}')) return align;
    advance(s);
  }
  accept(s, ')');
  return align;
}

/** '(' constant-expression ')' for `align(n)` / `aligned(n)` / `_Alignas(n)`, evaluated on the spot. */
function parseAlignArgument(s: ParserState): number | undefined {
  advance(s);
  const start = s.pos;
  const startTok = cur(s);
  let value: bigint | undefined;
  if (isTypeStart(s, startTok)) {
    // `_Alignas(type)`: the layout pass would have to work this out; C++ units know their ABI while parsing.
    const type = parseTypeName(s);
    if (s.cxx?.evaluate) value = s.cxx.evaluate({ kind: 'alignof', type, loc: locOf(startTok) });
  } else {
    const e = parseCond(s);
    // C++ alignments may name constants (`alignas(kCacheLine)`), resolved at parse time.
    const r = s.cxx ? { value: undefined, error: undefined } : evaluateTokens(s.toks.slice(start, s.pos), { rules: cRules });
    value = s.cxx ? constantValue(s.cxx, e) : r.value?.value;
    if (value === undefined) {
      const why = r.error ? ` (${r.error})` : '';
      s.diagnostics.push(diag('parse-bad-constant', locOf(startTok), [tokensText(s, start, s.pos) + why], endOf(cur(s))));
    }
  }
  if (!accept(s, ')')) expected(s, "')'");
  // Zero asks for nothing. Anything else is passed on as written, for the layout
  // pass to reject (negative, not a power of two, above 8192) rather than
  // to lay the record out silently with no alignment; NaN is an expression
  // that is not a constant (reported above), which leaves the layout unknown.
  if (value === 0n) return undefined;
  if (value === undefined) return isTypeStart(s, startTok) ? undefined : NaN;
  return Number(value);
}

/**
 * GNU attributes: '__attribute__' '(' '(' attribute (',' attribute)* ')' ')'.
 * Returns `aligned(n)` and `packed`; everything else is skipped.
 */
function parseAttribute(s: ParserState): { align?: number; packed: boolean } {
  advance(s);
  const result: { align?: number; packed: boolean } = { packed: false };
  if (!atPunct(s, '(')) return result;
  const end = matchingClose(s, s.pos);
  advance(s);
  while (s.pos < end) {
    const t = cur(s);
    if (t.kind === TokKind.Ident) {
      const name = t.text;
      if ((name === 'aligned' || name === '__aligned__') && peekPunct(s, 1, '(')) {
        advance(s);
        const a = parseAlignArgument(s);
        if (a !== undefined) result.align = a;
        continue;
      }
      if (name === 'packed' || name === '__packed__') result.packed = true;
    }
    if (isPunct(t, '(') && s.pos > 0 && isPunct(s.toks[s.pos - 1], '(')) {
      // The inner list parenthesis: step in.
      advance(s);
      continue;
    }
    if (isPunct(t, '(')) {
      skipBalanced(s);
      continue;
    }
    advance(s);
  }
  s.pos = Math.min(end + 1, s.last);
  return result;
}

/** Index of the token closing the group opened at `open` (or the EOF index). */
function matchingClose(s: ParserState, open: number): number {
  let depth = 0;
  for (let i = open; i < s.last; i++) {
    const t = s.toks[i];
    if (t.kind !== TokKind.Punct) continue;
    const c = t.text;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return s.last;
}

/** `__asm__ ( string-literal )` after a declarator: skipped. */
function skipAsmLabel(s: ParserState): void {
  advance(s);
  while (kw(s, cur(s)) === K.Volatile) advance(s);
  if (atPunct(s, '(')) skipBalanced(s);
}

/**
 * declaration-specifiers: (storage-class | type-specifier | type-qualifier
 *   | function-specifier | calling-convention | declspec | attribute
 *   | SAL-annotation | alignment-specifier)+
 * type-specifier: void | char | short | int | long | signed | unsigned | __intN
 *   | _Bool | float | double | __wchar_t | struct-or-union-specifier
 *   | enum-specifier | typedef-name | typeof-specifier
 */
function parseSpecifiers(s: ParserState, ctx: SpecContext): Spec {
  const spec = newSpec(s.pos);
  let bodyEnd = -1;
  for (;;) {
    if (s.kinds[s.pos] !== TokKind.Ident) {
      if (!s.cxx || s.kinds[s.pos] !== TokKind.Punct) break;
      if (skipCxxAttributes(s)) continue;
      // `::ULONG x;`: a name qualified from the global scope.
      if (s.texts[s.pos] === '::' && !spec.hasType) {
        const r = cxxSpecifierName(s, spec, ctx);
        if (r === 'type') continue;
      }
      break;
    }
    const text = s.texts[s.pos];
    const t = s.toks[s.pos];
    const k = s.keywords.get(text);
    if (s.pos === bodyEnd && (s.abortAt === s.pos || (t.bol && startsNewDeclaration(s, text, k)))) {
      // `struct A { ... }` then, on the next line, `struct B ...` or `ULONG x;`: the `;` is missing.
      spec.missingSemicolon = true;
      break;
    }
    if (k === undefined) {
      if (isSalHere(s, text)) {
        const a = parseAnnotation(s);
        (spec.annotations ??= []).push(a);
        continue;
      }
      if (spec.hasType) break;
      if (s.cxx) {
        const r = cxxSpecifierName(s, spec, ctx);
        if (r === 'type') continue;
        if (r === 'stop') break;
      }
      const td = s.cxx ? undefined : lookupTypedef(s, text);
      if (td) {
        advance(s);
        spec.base = { kind: 'typedef', decl: td };
        spec.hasType = true;
        spec.text.push(text);
        spec.end = s.pos;
        continue;
      }
      const builtin = builtinTypeName(text);
      if (builtin) {
        advance(s);
        spec.base = builtin;
        spec.hasType = true;
        spec.text.push(text);
        spec.end = s.pos;
        continue;
      }
      if (ctx !== 'typename' && looksLikeMacroName(text) && isTypeSpecifierStart(s, peekAt(s, 1))) {
        // `NTKERNELAPI VOID Foo(void);` with NTKERNELAPI undefined: an attribute-like macro.
        advance(s);
        s.diagnostics.push(diag('parse-unknown-macro', locOf(t), [text, 'before a type'], endOf(t)));
        continue;
      }
      if (looksLikeUnknownType(s, ctx)) {
        advance(s);
        s.diagnostics.push(diag('parse-unknown-type', locOf(t), [text], endOf(t)));
        spec.base = { kind: 'error', name: text };
        spec.hasType = true;
        spec.text.push(text);
        spec.end = s.pos;
        continue;
      }
      break;
    }
    switch (k) {
      case K.Typedef:
        spec.isTypedef = true;
        advance(s);
        continue;
      case K.Storage:
        if (s.texts[s.pos] === 'static') spec.isStatic = true;
        advance(s);
        continue;
      case K.Inline:
      case K.Extension:
      case K.Ignore:
        advance(s);
        continue;
      case K.Virtual:
        spec.isVirtual = true;
        advance(s);
        continue;
      case K.Friend:
        spec.isFriend = true;
        advance(s);
        continue;
      case K.Constexpr:
        if (text === 'constexpr') spec.isConstexpr = true;
        advance(s);
        continue;
      case K.CharN: {
        advance(s);
        const cxxName = text as 'char8_t' | 'char16_t' | 'char32_t';
        spec.base = { kind: 'int', rank: cxxName === 'char8_t' ? 'char' : cxxName === 'char16_t' ? 'short' : 'int', signed: false, cxxName };
        spec.hasType = true;
        spec.text.push(text);
        spec.end = s.pos;
        continue;
      }
      case K.Auto:
        if (spec.hasType) break;
        advance(s);
        // A placeholder deduced from an initializer: nothing with a layout.
        spec.base = { kind: 'error', name: 'auto' };
        spec.hasType = true;
        spec.text.push(text);
        spec.end = s.pos;
        continue;
      case K.Typename: {
        if (spec.hasType) break;
        advance(s);
        const r = cxxSpecifierName(s, spec, 'typename', true);
        if (r !== 'type') {
          expected(s, 'a qualified type name after typename');
          spec.base = { kind: 'error', name: 'typename' };
          spec.hasType = true;
        }
        continue;
      }
      case K.Class:
        parseRecordSpecifier(s, spec, 'struct', true);
        spec.end = s.pos;
        if (spec.tagDefined || atPunctBefore(s, '}')) bodyEnd = s.pos;
        continue;
      case K.Const:
      case K.Volatile:
      case K.Unaligned:
      case K.Restrict:
        advance(s);
        if (k === K.Const) spec.quals.const = true;
        else if (k === K.Volatile) spec.quals.volatile = true;
        else if (k === K.Unaligned) spec.quals.unaligned = true;
        if (k === K.Restrict && text === '_Atomic' && atPunct(s, '(')) {
          // `_Atomic(T)`: read T as the type.
          advance(s);
          const inner = parseTypeName(s);
          accept(s, ')');
          spec.base = inner;
          spec.hasType = true;
        }
        spec.text.push(text);
        spec.end = s.pos;
        continue;
      case K.Void:
      case K.Char:
      case K.Short:
      case K.Int:
      case K.Long:
      case K.Signed:
      case K.Unsigned:
      case K.Int8:
      case K.Int16:
      case K.Int32:
      case K.Int64:
      case K.Int128:
      case K.Bool:
      case K.Float:
      case K.Double:
      case K.Wchar:
        advance(s);
        addTypeKeyword(spec, k);
        spec.text.push(text);
        spec.end = s.pos;
        continue;
      case K.Struct:
      case K.Union:
        parseRecordSpecifier(s, spec, k === K.Struct ? 'struct' : 'union');
        spec.end = s.pos;
        if (spec.tagDefined || atPunctBefore(s, '}')) bodyEnd = s.pos;
        continue;
      case K.Enum:
        parseEnumSpecifier(s, spec);
        spec.end = s.pos;
        if (spec.tagDefined || atPunctBefore(s, '}')) bodyEnd = s.pos;
        continue;
      case K.Declspec: {
        const a = parseDeclspec(s);
        if (a !== undefined) spec.declAlign = a;
        continue;
      }
      case K.Attribute: {
        const a = parseAttribute(s);
        if (a.align !== undefined) spec.declAlign = a.align;
        if (a.packed) spec.packed = true;
        continue;
      }
      case K.Alignas: {
        advance(s);
        if (atPunct(s, '(')) {
          const a = parseAlignArgument(s);
          if (a !== undefined) spec.declAlign = a;
        }
        continue;
      }
      case K.CallConv:
        spec.callconv = text;
        advance(s);
        continue;
      case K.Typeof: {
        const typeofStart = s.pos;
        advance(s);
        spec.base = parseTypeof(s, t);
        spec.hasType = true;
        spec.text.push(tokensText(s, typeofStart, s.pos));
        spec.end = s.pos;
        continue;
      }
      case K.Ptr32:
      case K.Ptr64:
      case K.Sptr:
      case K.Uptr:
        // Only meaningful after a `*`; tolerate it here.
        advance(s);
        continue;
    }
    break;
  }
  return spec;
}

/** The token before the cursor is the punctuator `text`. */
function atPunctBefore(s: ParserState, text: string): boolean {
  return s.pos > 0 && s.kinds[s.pos - 1] === TokKind.Punct && s.texts[s.pos - 1] === text;
}

/** After a record body: does this identifier begin a new declaration (rather than a declarator or attribute)? */
function startsNewDeclaration(s: ParserState, text: string, k: K | undefined): boolean {
  if (k === undefined) return isTypeName(s, text) && !isPunct(peekAt(s, 1), ';') && !isPunct(peekAt(s, 1), ',');
  return k === K.Typedef || k === K.Storage || k === K.Struct || k === K.Union || k === K.Enum || (k >= K.Void && k <= K.Wchar) || k === K.StaticAssert;
}

/**
 * Decides whether an identifier that is not a known type, seen where a type
 * is expected, is an unknown type name (`FOO x;`, `FOO *p;`) rather than
 * the declarator name of a declaration with no type at all.
 */
function looksLikeUnknownType(s: ParserState, ctx: SpecContext): boolean {
  if (ctx === 'typename') return false;
  const next = peekAt(s, 1);
  if (ctx === 'param') return true;
  if (next.kind === TokKind.Ident) {
    const k = s.keywords.get(next.text);
    // `FOO __attribute__(...)`, `FOO __asm__(...)` are more likely a bad declarator.
    return k !== K.Attribute && k !== K.Asm;
  }
  if (isPunct(next, '*')) return true;
  if (s.cxx && (isPunct(next, '&') || isPunct(next, '&&'))) return true;
  // `VOID (NTAPI *Fn)(...)`, `VOID (*Fn)(...)`.
  if (isPunct(next, '(')) {
    const after = peekAt(s, 2);
    return isPunct(after, '*') || kw(s, after) === K.CallConv;
  }
  return false;
}

/** typeof-specifier: ('typeof' | '__typeof__') '(' (type-name | expression) ')' */
function parseTypeof(s: ParserState, t: Token): CType {
  if (!atPunct(s, '(')) return { kind: 'error', name: t.text };
  // `decltype(nullptr)` is std::nullptr_t, laid out as a pointer.
  if (t.text === 'decltype' && peekAt(s, 1).text === 'nullptr' && peekPunct(s, 2, ')')) {
    s.pos += 3;
    return { kind: 'pointer', to: { kind: 'void' } };
  }
  advance(s);
  if (isTypeStart(s, cur(s))) {
    const type = parseTypeName(s);
    expect(s, ')');
    return type;
  }
  s.pos--;
  const start = s.pos;
  skipBalanced(s);
  return { kind: 'error', name: `${t.text}${tokensText(s, start, s.pos)}` };
}

function addTypeKeyword(spec: Spec, k: K): void {
  spec.hasType = true;
  switch (k) {
    case K.Void: spec.kVoid = true; break;
    case K.Char: spec.kChar = true; break;
    case K.Short: spec.shorts++; break;
    case K.Int: spec.kInt = true; break;
    case K.Long: spec.longs++; break;
    case K.Signed: spec.signed = true; break;
    case K.Unsigned: spec.unsigned = true; break;
    case K.Int8: spec.sized = 'char'; break;
    case K.Int16: spec.sized = 'short'; break;
    case K.Int32: spec.sized = 'int'; break;
    case K.Int64: spec.sized = 'longlong'; break;
    case K.Int128: spec.sized = 'int128'; break;
    case K.Bool: spec.kBool = true; break;
    case K.Float: spec.kFloat = true; break;
    case K.Double: spec.kDouble = true; break;
    case K.Wchar: spec.kWchar = true; break;
  }
}

function withQuals(t: CType, q: Quals): CType {
  if (!q.const && !q.volatile && !q.unaligned) return t;
  const out = { ...t };
  if (q.const) out.const = true;
  if (q.volatile) out.volatile = true;
  if (q.unaligned) out.unaligned = true;
  return out;
}

/** The type the specifiers denote, qualifiers applied; `undefined` when there was no type specifier at all. */
function specType(spec: Spec): CType | undefined {
  if (!spec.hasType) return undefined;
  let t: CType;
  if (spec.base && !spec.kVoid && !spec.kChar && !spec.kInt && !spec.shorts && !spec.longs && !spec.signed && !spec.unsigned && !spec.sized) {
    t = spec.base;
  } else if (spec.kVoid) t = { kind: 'void' };
  else if (spec.kBool) t = { kind: 'bool' };
  else if (spec.kFloat) t = { kind: 'float', rank: 'float' };
  else if (spec.kDouble) t = { kind: 'float', rank: spec.longs > 0 ? 'longdouble' : 'double' };
  else if (spec.kWchar) t = { kind: 'int', rank: 'short', signed: false, wchar: true };
  else {
    let rank: IntRank;
    if (spec.kChar) rank = 'char';
    else if (spec.sized) rank = spec.sized;
    else if (spec.shorts > 0) rank = 'short';
    else if (spec.longs >= 2) rank = 'longlong';
    else if (spec.longs === 1) rank = 'long';
    else if (spec.base) return withQuals(spec.base, spec.quals);
    else rank = 'int';
    const it: CType = { kind: 'int', rank, signed: !spec.unsigned };
    if (spec.signed || spec.unsigned) it.explicitSign = true;
    t = it;
  }
  return withQuals(t, spec.quals);
}

// ---------------------------------------------------------------------------
// Records

function isRecord(d: RecordDecl | EnumDecl): d is RecordDecl {
  return 'kind' in d;
}

function newRecord(s: ParserState, kind: 'struct' | 'union', tag: string | undefined, kwTok: Token): RecordDecl {
  const r: RecordDecl = { kind, typedefs: [], loc: locOf(kwTok), id: s.nextRecordId++ };
  if (tag !== undefined) r.tag = tag;
  s.unit.records.push(r);
  return r;
}

/**
 * record-attribute: declspec | attribute | '_Alignas' '(' constant-expression ')' | SAL-annotation '(' ... ')'
 * (`__declspec(align(n))`, `__attribute__((aligned(n), packed))`, `_Struct_size_bytes_(n)`).
 */
function parseRecordAttributes(s: ParserState, attrs: { align?: number; packed: boolean; emptyBases?: boolean }): void {
  for (;;) {
    if (s.cxx && skipCxxAttributes(s)) continue;
    if (s.kinds[s.pos] !== TokKind.Ident) return;
    const text = s.texts[s.pos];
    const k = s.keywords.get(text);
    if (k === K.Declspec) {
      const a = parseDeclspec(s, attrs);
      if (a !== undefined) attrs.align = a;
    } else if (k === K.Attribute) {
      const a = parseAttribute(s);
      if (a.align !== undefined) attrs.align = a.align;
      if (a.packed) attrs.packed = true;
    } else if (k === K.Alignas) {
      advance(s);
      if (atPunct(s, '(')) {
        const a = parseAlignArgument(s);
        if (a !== undefined) attrs.align = a;
      }
    } else if (k === undefined && isSal(s, text) && peekPunct(s, 1, '(')) {
      // `struct _Struct_size_bytes_(Size) _FOO {`
      parseAnnotation(s);
    } else return;
  }
}

/**
 * struct-or-union-specifier:
 *   ('struct' | 'union') record-attribute* identifier? ('{' struct-declaration* '}' record-attribute*)?
 */
function parseRecordSpecifier(s: ParserState, spec: Spec, kind: 'struct' | 'union', isClass = false): void {
  if (s.cxx) {
    parseCxxRecordSpecifier(s, spec, kind, isClass);
    return;
  }
  const kwIndex = s.pos;
  const kwTok = advance(s);
  const attrs: { align?: number; packed: boolean } = { packed: false };
  parseRecordAttributes(s, attrs);
  let tagTok: Token | undefined;
  if (s.kinds[s.pos] === TokKind.Ident && s.keywords.get(s.texts[s.pos]) === undefined) tagTok = advance(s);
  parseRecordAttributes(s, attrs);
  // `struct DECLSPEC_FOO _TAG {`: an identifier followed by another one is an
  // attribute macro the preprocessor did not know; say so once and go on.
  if (tagTok && cur(s).kind === TokKind.Ident && s.keywords.get(cur(s).text) === undefined && peekPunct(s, 1, '{')) {
    s.diagnostics.push(diag('parse-unknown-attribute', locOf(tagTok), [tagTok.text], endOf(tagTok)));
    tagTok = advance(s);
    parseRecordAttributes(s, attrs);
  }
  const tag = tagTok?.text;
  spec.hasType = true;
  spec.text.push(kind);
  if (!atPunct(s, '{')) {
    // A reference or forward declaration.
    if (tag === undefined) {
      expected(s, "a tag name or '{'");
      spec.base = { kind: 'error', name: kind };
      return;
    }
    spec.text.push(tag);
    const r = referenceRecord(s, kind, tag, kwTok);
    spec.base = { kind: 'record', decl: r };
    spec.tag = r;
    spec.tagFromFallback = !s.unit.tags.has(tag);
    return;
  }
  // A definition.
  spec.text.push(tag ?? '{...}');
  let record: RecordDecl;
  let duplicateOf: RecordDecl | undefined;
  const existing = tag !== undefined ? s.unit.tags.get(tag) : undefined;
  if (existing && isRecord(existing) && existing.kind === kind && existing.fields === undefined) {
    record = existing;
    record.loc = locOf(kwTok);
    record.id = s.nextRecordId++;
  } else if (existing && isRecord(existing) && existing.fields !== undefined) {
    // Parse the second body into a scratch record, then compare.
    duplicateOf = existing;
    record = { kind, typedefs: [], loc: locOf(kwTok), id: s.nextRecordId++ };
    if (tag !== undefined) record.tag = tag;
  } else {
    record = newRecord(s, kind, tag, kwTok);
    if (tag !== undefined) s.unit.tags.set(tag, record);
  }
  startRecordDefinition(s, spec, record, kwIndex, tagTok);
  parseRecordBody(s, record);
  finishRecordDefinition(s, spec, record, duplicateOf, attrs, tagTok);
}

/**
 * What a record definition takes from where it stands (C and C++): its
 * name's place, `#pragma pack`, nesting, and an alignment written before the
 * keyword (`__declspec(align(n)) struct X {...}` aligns the record).
 */
function startRecordDefinition(s: ParserState, spec: Spec, record: RecordDecl, kwIndex: number, tagTok: Token | undefined): void {
  if (tagTok) record.nameLoc = locOf(tagTok);
  const pack = s.packAt[kwIndex];
  if (pack) record.pack = pack;
  if (s.recordDepth > 0) record.nested = true;
  if (spec.declAlign !== undefined) {
    record.declAlign = spec.declAlign;
    delete spec.declAlign;
  }
}

/**
 * After a record's body (C and C++): the attributes after `}`, and the
 * specifier's type. A second body for a tag already defined was parsed into
 * a scratch record: a different one is a redefinition, and the first stays.
 */
function finishRecordDefinition(
  s: ParserState,
  spec: Spec,
  record: RecordDecl,
  duplicateOf: RecordDecl | undefined,
  attrs: { align?: number; packed: boolean },
  tagTok: Token | undefined,
): void {
  parseRecordAttributes(s, attrs);
  if (attrs.align !== undefined) record.declAlign = attrs.align;
  if (attrs.packed || spec.packed) record.pack = 1;
  if (duplicateOf) {
    if (!sameRecord(duplicateOf, record) && tagTok) {
      s.diagnostics.push(diag('parse-redefinition', locOf(tagTok), [`${record.kind} ${record.tag}`], endOf(tagTok)));
    }
    record = duplicateOf;
  }
  spec.base = { kind: 'record', decl: record };
  spec.tag = record;
  spec.tagDefined = duplicateOf === undefined;
}

/** `struct X` without a body: the unit's record, the prelude's, or a new incomplete one. */
function referenceRecord(s: ParserState, kind: 'struct' | 'union', tag: string, kwTok: Token): RecordDecl {
  const existing = s.unit.tags.get(tag);
  if (existing && isRecord(existing)) return existing;
  if (!existing) {
    const fb = s.fallback?.tags.get(tag);
    if (fb && isRecord(fb)) return fb;
  }
  const r = newRecord(s, kind, tag, kwTok);
  s.unit.tags.set(tag, r);
  return r;
}

function sameRecord(a: RecordDecl, b: RecordDecl): boolean {
  const fa = a.fields ?? [];
  const fb = b.fields ?? [];
  if (a.kind !== b.kind || fa.length !== fb.length) return false;
  for (let i = 0; i < fa.length; i++) {
    if (fa[i].name !== fb[i].name || fa[i].typeText !== fb[i].typeText) return false;
    if ((fa[i].bitWidth === undefined) !== (fb[i].bitWidth === undefined)) return false;
  }
  return true;
}

/**
 * record-body: '{' (struct-declaration | static-assert-declaration | ';')* '}'
 */
function parseRecordBody(s: ParserState, record: RecordDecl): void {
  const fields: FieldDecl[] = [];
  record.fields = fields;
  s.openRecords.push(record);
  nest(s);
  const open = advance(s);
  s.recordDepth++;
  const savedErrored = s.errored;
  for (;;) {
    const t = cur(s);
    if (t.kind === TokKind.EOF) {
      s.diagnostics.push(
        diag('parse-unterminated', locOf(open), [`${record.kind} ${record.tag ?? '(anonymous)'}: missing '}'`], endOf(open)),
      );
      record.endLoc = locOf(t);
      break;
    }
    if (t.kind === TokKind.Punct) {
      if (t.text === '}') {
        record.endLoc = locOf(t);
        advance(s);
        break;
      }
      if (t.text === ';') {
        advance(s);
        continue;
      }
    }
    if (s.abortAt === s.pos || (t.kind === TokKind.Ident && startsFileScopeOnly(s, t.text))) {
      // `typedef`, `extern` ... cannot start a member: the body lacks its `}`. End it (and
      // every enclosing body) here, so the rest of the file is not read as members.
      if (s.abortAt !== s.pos) {
        s.abortAt = s.pos;
        const prev = s.toks[s.pos - 1];
        s.diagnostics.push(diag('parse-expected', endOf(prev), [`'}' to end ${record.kind} ${record.tag ?? '(anonymous)'}`, t.text], endOf(prev)));
      }
      record.endLoc = endOf(s.toks[s.pos - 1]);
      break;
    }
    const before = s.pos;
    s.errored = false;
    if (isStaticAssertStart(s)) parseStaticAssert(s);
    else if (s.cxx && parseCxxMemberStart(s)) {
      /* an access specifier, using, member template, friend or typedef */
    } else parseMemberDeclaration(s, fields);
    if (s.pos === before) advance(s);
  }
  s.recordDepth--;
  unnest(s);
  s.openRecords.pop();
  // After an unterminated body the enclosing declaration has nothing more to say.
  s.errored = savedErrored || cur(s).kind === TokKind.EOF || s.abortAt === s.pos;
}

/** Words that begin a file-scope declaration and can never begin a struct member. */
function startsFileScopeOnly(s: ParserState, text: string): boolean {
  // In a C++ class, `typedef`, `static` and `template` start members; only `extern` and `namespace` cannot.
  if (s.cxx) return text === 'extern' || text === 'namespace';
  const k = s.keywords.get(text);
  return k === K.Typedef || (k === K.Storage && text !== '_Thread_local' && text !== '__thread');
}

/** Skips to the next `;` of the current record body (consumed) or its closing `}` (not consumed). */
function recoverMember(s: ParserState): void {
  skipToSemicolon(s, { fileScope: false });
}

/** The record a type names directly or through typedefs, if any. */
function recordOf(t: CType): RecordDecl | undefined {
  for (let i = 0; i < 64; i++) {
    if (t.kind === 'record') return t.decl;
    if (t.kind !== 'typedef') return undefined;
    t = t.decl.type;
  }
  return undefined;
}

/** A fresh list of the specifiers' annotations followed by the declarator's. */
function joinAnnotations(a: Annotation[] | undefined, b: Annotation[] | undefined): Annotation[] {
  if (!a) return b ? b.slice() : [];
  return b ? a.concat(b) : a.slice();
}

/** A member declaration without declarator: an anonymous member when the type is a complete struct or union. */
function pushAnonymousMember(s: ParserState, spec: Spec, base: CType, startTok: Token, fields: FieldDecl[]): void {
  const r = recordOf(base);
  if (!r || r.fields === undefined || !(spec.tagDefined || spec.tag === undefined || spec.tag === r)) return;
  // C++ (clang, even with -fms-extensions): only an untagged `struct { ... };` is an anonymous member;
  // `struct Inner { ... };` declares a nested type and `Typedef;` declares nothing.
  if (s.cxx && !(spec.tagDefined && r.tag === undefined)) return;
  const loc = locOf(startTok);
  const f: FieldDecl = {
    type: base,
    annotations: spec.annotations ?? [],
    loc,
    nameLoc: loc,
    endLoc: endOf(s.toks[Math.max(spec.end - 1, spec.start)]),
    typeText: joinTypeText(spec.text),
  };
  if (spec.declAlign !== undefined) f.declAlign = spec.declAlign;
  fields.push(f);
}

/**
 * struct-declaration: specifier-qualifier-list struct-declarator-list? ';'
 * struct-declarator: declarator (':' constant-expression)? | ':' constant-expression
 *
 * With no declarator, a struct or union type (defined in place, or a complete
 * tag or typedef, as MSVC allows) is an anonymous member.
 */
function parseMemberDeclaration(s: ParserState, fields: FieldDecl[]): void {
  const startTok = cur(s);
  const spec = parseSpecifiers(s, 'member');
  let base = specType(spec);
  if (spec.missingSemicolon) {
    syntaxError(s, 'parse-expected', s.toks[s.pos - 1], ["';' after the closing brace", '}']);
    if (base) pushAnonymousMember(s, spec, base, startTok, fields);
    return;
  }
  if (!base) {
    if (spec.annotations && accept(s, ';')) return;
    // C++ constructors, destructors and conversion functions have no type of their own.
    if (s.cxx && startsSpecialMember(s)) base = { kind: 'void' };
    else {
      expected(s, 'a type name');
      recoverMember(s);
      return;
    }
  }
  if (atPunct(s, ';') || cur(s).kind === TokKind.EOF) {
    pushAnonymousMember(s, spec, base, startTok, fields);
    advance(s);
    return;
  }
  for (;;) {
    const declStart = s.pos;
    let d: Declarator;
    if (atPunct(s, ':')) d = emptyDeclarator(s.pos);
    else {
      d = parseDeclarator(s, 'named');
      if (d.name === undefined && !atPunct(s, ':')) {
        if (!s.errored) expected(s, 'a member name');
        recoverMember(s);
        return;
      }
    }
    if (s.cxx) {
      const next = parseCxxNonField(s, spec, d, applyDeclarator(base, d, spec.callconv));
      if (next === 'continue') continue;
      if (next === 'return') return;
    }
    let bitWidth: Expr | undefined;
    let endIndex = d.end;
    if (accept(s, ':')) {
      bitWidth = parseCond(s);
      endIndex = s.pos;
    }
    const trailing = parseTrailing(s, d);
    const type = applyDeclarator(base, d, spec.callconv);
    const loc = locOf(startTok);
    const f: FieldDecl = {
      type,
      annotations: joinAnnotations(spec.annotations, d.annotations),
      loc,
      nameLoc: d.nameTok ? locOf(d.nameTok) : loc,
      endLoc: endOf(s.toks[Math.max(endIndex - 1, declStart)]),
      typeText: joinTypeText([...spec.text, ...d.text]),
    };
    if (d.name !== undefined) f.name = d.name;
    if (bitWidth) f.bitWidth = bitWidth;
    const align = trailing.declAlign ?? d.declAlign ?? spec.declAlign;
    if (align !== undefined) f.declAlign = align;
    // Key order: name first reads better in dumps and test failures.
    fields.push(d.name !== undefined ? { name: d.name, ...f } : f);
    // A C++ default member initializer (`ULONG Size = sizeof(T);`, `int a{0};`) is not part of the layout.
    if (s.cxx) {
      if (accept(s, '=')) skipInitializer(s);
      else if (atPunct(s, '{')) skipBalanced(s);
    }
    if (accept(s, ',')) continue;
    if (accept(s, ';')) return;
    if (atPunct(s, '}') || missingSemicolonBefore(s)) {
      expectedSemicolon(s);
      return;
    }
    expectedSemicolon(s);
    recoverMember(s);
    return;
  }
}

/**
 * The current token starts a line and begins a new declaration, so the
 * previous one most likely just lacks its `;`: recover by assuming it.
 */
function missingSemicolonBefore(s: ParserState): boolean {
  const t = cur(s);
  if (!t.bol || t.kind !== TokKind.Ident) return false;
  return startsNewDeclaration(s, t.text, s.keywords.get(t.text));
}

/** `expected ';'`, placed after the previous token when the next one is on a later line (as clang does). */
function expectedSemicolon(s: ParserState): void {
  const t = cur(s);
  if (s.errored) return;
  const prev = s.pos > 0 ? s.toks[s.pos - 1] : undefined;
  if (prev && (t.bol || t.kind === TokKind.EOF)) {
    s.errored = true;
    const at = endOf(prev);
    s.diagnostics.push(diag('parse-expected', at, ["';'", describe(t)], at));
    return;
  }
  expected(s, "';'");
}

// ---------------------------------------------------------------------------
// Enums

function newEnum(s: ParserState, tag: string | undefined, kwTok: Token): EnumDecl {
  const e: EnumDecl = { typedefs: [], loc: locOf(kwTok), id: s.nextEnumId++ };
  if (tag !== undefined) e.tag = tag;
  s.unit.enums.push(e);
  return e;
}

/**
 * enum-specifier: 'enum' attribute* identifier? (':' type-name)? ('{' enumerator-list ','? '}')?
 * enumerator: identifier attribute* ('=' constant-expression)?
 */
function parseEnumSpecifier(s: ParserState, spec: Spec): void {
  const kwTok = advance(s);
  // C++ `enum class` / `enum struct`: a scoped enumeration.
  const scoped = s.cxx !== undefined && (kw(s, cur(s)) === K.Class || kw(s, cur(s)) === K.Struct) && (advance(s), true);
  const attrs: { align?: number; packed: boolean } = { packed: false };
  parseRecordAttributes(s, attrs);
  let tagTok: Token | undefined;
  if (cur(s).kind === TokKind.Ident && s.keywords.get(cur(s).text) === undefined) tagTok = advance(s);
  parseRecordAttributes(s, attrs);
  const tag = tagTok?.text;
  spec.hasType = true;
  spec.text.push('enum');
  let underlying: CType | undefined;
  if (atPunct(s, ':') && isTypeStart(s, peekAt(s, 1))) {
    advance(s);
    underlying = parseTypeName(s);
  }
  if (!atPunct(s, '{')) {
    if (tag === undefined) {
      expected(s, "a tag name or '{'");
      spec.base = { kind: 'error', name: 'enum' };
      return;
    }
    spec.text.push(tag);
    let e: EnumDecl | undefined;
    const existing = enumTag(s, tag, false);
    if (existing && !isRecord(existing)) e = existing;
    else if (!existing) {
      const fb = s.fallback?.tags.get(tag);
      if (fb && !isRecord(fb)) e = fb;
    }
    if (!e) {
      e = newEnum(s, tag, kwTok);
      declareEnumTag(s, tag, e, scoped);
    }
    const own = enumTag(s, tag, false) === e;
    if (underlying && e.underlying === undefined && own) e.underlying = underlying;
    spec.base = { kind: 'enum', decl: e };
    spec.tag = e;
    spec.tagFromFallback = !own;
    return;
  }
  spec.text.push(tag ?? '{...}');
  let e: EnumDecl;
  let duplicate = false;
  const existing = tag !== undefined ? enumTag(s, tag, true) : undefined;
  if (existing && !isRecord(existing) && existing.enumerators === undefined) {
    e = existing;
    e.loc = locOf(kwTok);
    e.id = s.nextEnumId++;
  } else if (existing && !isRecord(existing)) {
    duplicate = true;
    e = { typedefs: [], loc: locOf(kwTok), id: s.nextEnumId++ };
    if (tag !== undefined) e.tag = tag;
  } else {
    e = newEnum(s, tag, kwTok);
    if (tag !== undefined) declareEnumTag(s, tag, e, scoped);
    else if (s.cxx) s.cxx.enumScopes.set(e, newScope('enum', '', s.cxx.scope));
  }
  if (scoped) e.scoped = true;
  if (tagTok) e.nameLoc = locOf(tagTok);
  if (underlying) e.underlying = underlying;
  parseEnumBody(s, e);
  parseRecordAttributes(s, attrs);
  if (duplicate && existing && !isRecord(existing)) {
    const a = existing.enumerators ?? [];
    const b = e.enumerators ?? [];
    const same = a.length === b.length && a.every((c, i) => c.name === b[i].name);
    if (!same && tagTok) s.diagnostics.push(diag('parse-redefinition', locOf(tagTok), [`enum ${tag}`], endOf(tagTok)));
    e = existing;
  }
  spec.base = { kind: 'enum', decl: e };
  spec.tag = e;
  spec.tagDefined = !duplicate;
}

/**
 * enum-body: '{' (enumerator (',' enumerator)* ','?)? '}'
 * Enumerators go into the unit's ordinary name space (`enumConstants`).
 */
function parseEnumBody(s: ParserState, e: EnumDecl): void {
  const list: EnumConstant[] = [];
  e.enumerators = list;
  const open = advance(s);
  for (;;) {
    const t = cur(s);
    if (t.kind === TokKind.EOF) {
      s.diagnostics.push(diag('parse-unterminated', locOf(open), [`enum ${e.tag ?? '(anonymous)'}: missing '}'`], endOf(open)));
      e.endLoc = locOf(t);
      return;
    }
    if (isPunct(t, '}')) {
      e.endLoc = locOf(t);
      advance(s);
      return;
    }
    if (t.kind !== TokKind.Ident) {
      expected(s, 'an enumerator name');
      // Skip to the next ',' or '}' of this body.
      while (s.pos < s.last && !atPunct(s, ',') && !atPunct(s, '}')) {
        if (atPunct(s, '(') || atPunct(s, '[') || atPunct(s, '{')) skipBalanced(s);
        else if (atPunct(s, ';')) break;
        else advance(s);
      }
      if (atPunct(s, ';')) {
        e.endLoc = locOf(cur(s));
        return;
      }
      accept(s, ',');
      continue;
    }
    advance(s);
    const c: EnumConstant = { name: t.text, loc: locOf(t), parent: e };
    // Attributes and SAL after the name (`Value DEPRECATED = 1`).
    for (;;) {
      const k = kw(s, cur(s));
      if (k === K.Attribute) parseAttribute(s);
      else if (k === K.Declspec) parseDeclspec(s);
      else break;
    }
    if (accept(s, '=')) c.value = parseCond(s);
    list.push(c);
    if (s.cxx) declareEnumerator(s, e, c);
    else s.unit.enumConstants.set(c.name, c);
    if (accept(s, ',')) continue;
    if (atPunct(s, '}')) continue;
    expected(s, "',' or '}'");
    while (s.pos < s.last && !atPunct(s, ',') && !atPunct(s, '}') && !atPunct(s, ';')) {
      if (atPunct(s, '(') || atPunct(s, '[') || atPunct(s, '{')) skipBalanced(s);
      else advance(s);
    }
    if (atPunct(s, ';')) {
      e.endLoc = locOf(cur(s));
      return;
    }
    accept(s, ',');
  }
}

// ---------------------------------------------------------------------------
// Declarators

type Op =
  | { k: 'ptr'; quals: Quals; width?: 32 | 64; extend?: 'sign' | 'zero' }
  | { k: 'array'; length?: Expr }
  /** `trailing`: a C++ trailing return type (`auto f() -> ULONG`). */
  | { k: 'func'; params: ParamDecl[]; variadic: boolean; trailing?: CType }
  /** C++ `T X::*`: a pointer to member (not modelled). */
  | { k: 'member'; of: string };

interface Declarator {
  name?: string;
  nameTok?: Token;
  /** Derivations in the order they apply to the base type. */
  ops: Op[];
  /** The declarator's text without its name: `*`, `[4]`, `(*)(int)`. */
  text: string[];
  callconv?: string;
  declAlign?: number;
  /** SAL annotations inside the declarator (allocated on first use). */
  annotations?: Annotation[];
  /** Index just after the declarator's last token. */
  end: number;
  /** C++: the class or namespace a qualified declarator-id names (`Device::OnRead` -> Device's scope). */
  qualifier?: Scope;
  /** C++: `X::X`, `~X`: a constructor or destructor. */
  special?: 'ctor' | 'dtor';
  /** C++: a parameter pack (`Ts... args`). */
  pack?: boolean;
}

function emptyDeclarator(pos: number): Declarator {
  return { ops: [], text: [], end: pos };
}

type DeclaratorMode = 'named' | 'abstract' | 'either';

/**
 * declarator-modifier: calling-convention | SAL-annotation | declspec | attribute | '__extension__'
 *   | (after a '*' only) type-qualifier | '__ptr32' | '__ptr64' | '__sptr' | '__uptr'
 */
function parseDeclaratorModifiers(s: ParserState, d: Declarator, ptr?: Op & { k: 'ptr' }): void {
  for (;;) {
    if (s.kinds[s.pos] !== TokKind.Ident) return;
    const text = s.texts[s.pos];
    const k = s.keywords.get(text);
    if (k === undefined) {
      if (isSalHere(s, text)) {
        (d.annotations ??= []).push(parseAnnotation(s));
        continue;
      }
      return;
    }
    switch (k) {
      case K.CallConv:
        d.callconv ??= text;
        d.text.push(text);
        advance(s);
        continue;
      case K.Declspec: {
        const a = parseDeclspec(s);
        if (a !== undefined) d.declAlign = a;
        continue;
      }
      case K.Attribute: {
        const a = parseAttribute(s);
        if (a.align !== undefined) d.declAlign = a.align;
        continue;
      }
      case K.Extension:
      case K.Ignore:
      case K.Inline:
        advance(s);
        continue;
      case K.Const:
      case K.Volatile:
      case K.Restrict:
      case K.Unaligned:
      case K.Ptr32:
      case K.Ptr64:
      case K.Sptr:
      case K.Uptr:
        if (!ptr) {
          // A qualifier before a declarator without a `*` (`int const x` is handled by the specifiers);
          // here it can only be stray: skip it.
          advance(s);
          continue;
        }
        advance(s);
        d.text.push(text);
        if (k === K.Const) ptr.quals.const = true;
        else if (k === K.Volatile) ptr.quals.volatile = true;
        else if (k === K.Unaligned) ptr.quals.unaligned = true;
        else if (k === K.Ptr32) ptr.width = 32;
        else if (k === K.Ptr64) ptr.width = 64;
        else if (k === K.Sptr) ptr.extend = 'sign';
        else if (k === K.Uptr) ptr.extend = 'zero';
        continue;
    }
    return;
  }
}

/** After `(` at the start of a direct declarator: a nested declarator rather than a parameter list? */
function isNestedDeclaratorStart(s: ParserState, t: Token, mode: DeclaratorMode): boolean {
  if (t.kind === TokKind.Punct) return t.text === '*' || t.text === '(' || t.text === '^' || t.text === '[';
  if (t.kind !== TokKind.Ident) return false;
  const k = s.keywords.get(t.text);
  if (k !== undefined) return k === K.CallConv || k === K.Declspec || k === K.Attribute || k === K.Ptr32 || k === K.Ptr64;
  if (isSal(s, t.text)) return false;
  if (mode === 'abstract') return false;
  return !isTypeName(s, t.text) && builtinTypeName(t.text) === undefined;
}

/**
 * declarator: pointer* modifier* direct-declarator
 * pointer: '*' (type-qualifier | '__ptr32' | '__ptr64' | '__sptr' | '__uptr' | modifier)*
 * direct-declarator: (identifier | '(' declarator ')')? ('[' constant-expression? ']' | '(' parameter-list ')')*
 */
function parseDeclarator(s: ParserState, mode: DeclaratorMode): Declarator {
  const d = emptyDeclarator(s.pos);
  const ptrOps: Op[] = [];
  parseDeclaratorModifiers(s, d);
  for (;;) {
    if (atPunct(s, '*') || atPunct(s, '&') || (s.cxx && atPunct(s, '&&'))) {
      // C++ references are laid out as pointers.
      advance(s);
      d.text.push('*');
      const op: Op & { k: 'ptr' } = { k: 'ptr', quals: {} };
      parseDeclaratorModifiers(s, d, op);
      ptrOps.push(op);
      continue;
    }
    if (s.cxx && isMemberPointerStart(s)) {
      const start = s.pos;
      while (!atPunct(s, '*')) advance(s);
      const of = tokensText(s, start, s.pos - 1);
      advance(s);
      d.text.push(`${of}::*`);
      ptrOps.push({ k: 'member', of });
      parseDeclaratorModifiers(s, d);
      continue;
    }
    break;
  }
  parseDeclaratorModifiers(s, d);
  if (s.cxx && accept(s, '...')) d.pack = true;
  let inner: Declarator | undefined;
  if (s.cxx && mode !== 'abstract' && atCxxDeclaratorId(s)) {
    const q = parseQualifiedName(s, lookupFallback(s), readOperatorName);
    if (q) {
      d.name = q.last;
      d.nameTok = q.lastTok;
      if (q.qualifier) d.qualifier = q.qualifier;
      if (q.special) d.special = q.special;
    }
  } else if (s.kinds[s.pos] === TokKind.Ident && mode !== 'abstract' && s.keywords.get(s.texts[s.pos]) === undefined) {
    let t = advance(s);
    if (
      looksLikeMacroName(t.text) &&
      s.kinds[s.pos] === TokKind.Ident &&
      s.keywords.get(s.texts[s.pos]) === undefined &&
      !isSalHere(s, s.texts[s.pos]) &&
      endsDeclarator(s, 1)
    ) {
      // `ULONG POINTER_ALIGNMENT Length;` with the macro undefined: the name is the second identifier.
      s.diagnostics.push(diag('parse-unknown-macro', locOf(t), [t.text, 'before a declarator name'], endOf(t)));
      t = advance(s);
    }
    d.name = t.text;
    d.nameTok = t;
  } else if (atPunct(s, '(') && isNestedDeclaratorStart(s, peekAt(s, 1), mode)) {
    advance(s);
    d.text.push('(');
    nest(s);
    inner = parseDeclarator(s, mode);
    unnest(s);
    append(d.text, inner.text);
    if (inner.annotations) append((d.annotations ??= []), inner.annotations);
    if (inner.name !== undefined) {
      d.name = inner.name;
      d.nameTok = inner.nameTok;
    }
    if (inner.callconv) d.callconv = inner.callconv;
    if (inner.declAlign !== undefined) d.declAlign = inner.declAlign;
    if (accept(s, ')')) d.text.push(')');
    else expected(s, "')'");
  }
  const suffixOps: Op[] = [];
  for (;;) {
    if (atPunct(s, '[')) {
      advance(s);
      // Parameter arrays may carry `static` and qualifiers: `int a[static 4]`.
      while (kw(s, cur(s)) === K.Storage || kw(s, cur(s)) === K.Const || kw(s, cur(s)) === K.Volatile || kw(s, cur(s)) === K.Restrict) advance(s);
      if (accept(s, ']')) {
        suffixOps.push({ k: 'array' });
        d.text.push('[]');
        continue;
      }
      const exprStart = s.pos;
      const length = parseExpr(s);
      // Declarator text only feeds a member's typeText.
      if (s.recordDepth > 0) d.text.push(`[${tokensText(s, exprStart, s.pos)}]`);
      suffixOps.push({ k: 'array', length });
      if (!accept(s, ']')) {
        expected(s, "']'");
        break;
      }
      continue;
    }
    if (atPunct(s, '(')) {
      const fn = parseParameterList(s);
      d.text.push(fn.text);
      const op: Op & { k: 'func' } = { k: 'func', params: fn.params, variadic: fn.variadic };
      if (s.cxx) {
        const trailing = parseFunctionQualifiers(s);
        if (trailing) op.trailing = trailing;
      }
      suffixOps.push(op);
      continue;
    }
    break;
  }
  d.end = s.pos;
  // Apply order: the pointers next to the base first, then the suffixes from right to left, then the inner declarator.
  d.ops = ptrOps;
  for (let i = suffixOps.length - 1; i >= 0; i--) d.ops.push(suffixOps[i]);
  if (inner) append(d.ops, inner.ops);
  // Every operator becomes one level of the type, which later stages walk recursively.
  if (d.ops.length > maxNesting) throw new ParseLimit(d.nameTok ?? cur(s), `a declarator has more than ${maxNesting} pointer, array or function levels`);
  return d;
}

/**
 * parameter-list: '(' ')' | '(' 'void' ')' | '(' parameter (',' parameter)* (',' '...')? ')'
 * parameter: declaration-specifiers (declarator | abstract-declarator)?
 */
function parseParameterList(s: ParserState): { params: ParamDecl[]; variadic: boolean; text: string } {
  nest(s);
  try {
    return parseParameterListInner(s);
  } finally {
    unnest(s);
  }
}

function parseParameterListInner(s: ParserState): { params: ParamDecl[]; variadic: boolean; text: string } {
  advance(s);
  const params: ParamDecl[] = [];
  const texts: string[] = [];
  let variadic = false;
  if (accept(s, ')')) return { params, variadic, text: '()' };
  if (kw(s, cur(s)) === K.Void && peekPunct(s, 1, ')')) {
    advance(s);
    advance(s);
    return { params, variadic, text: '(void)' };
  }
  // The scope only records parameter names that hide a typedef name; most lists need none.
  let scope: Set<string> | undefined;
  const wantText = s.recordDepth > 0;
  for (;;) {
    const before = s.pos;
    if (accept(s, '...')) {
      variadic = true;
      texts.push('...');
      if (!accept(s, ')')) {
        expected(s, "')'");
        skipParameterRest(s);
      }
      break;
    }
    const startTok = cur(s);
    const spec = parseSpecifiers(s, 'param');
    let base = specType(spec);
    if (!base) {
      expected(s, 'a parameter type');
      base = { kind: 'error', name: describe(cur(s)) };
    }
    const d = parseDeclarator(s, 'either');
    parseTrailing(s, d);
    // C++ default arguments: not part of the type.
    if (s.cxx && accept(s, '=')) skipInitializer(s);
    const type = applyDeclarator(base, d, spec.callconv);
    const p: ParamDecl = { type, loc: d.nameTok ? locOf(d.nameTok) : locOf(startTok) };
    if (d.name !== undefined) {
      if (isTypeName(s, d.name)) {
        if (!scope) {
          scope = new Set();
          s.paramScopes.push(scope);
        }
        scope.add(d.name);
      }
      params.push({ name: d.name, type: p.type, loc: p.loc });
    } else params.push(p);
    // Parameter text only matters for the typeText of function-pointer members.
    if (wantText) texts.push(joinTypeText(spec.text.concat(d.text)));
    if (accept(s, ',')) {
      if (s.pos === before) advance(s);
      continue;
    }
    if (accept(s, ')')) break;
    expected(s, "',' or ')'");
    skipParameterRest(s);
    break;
  }
  if (scope) s.paramScopes.pop();
  return { params, variadic, text: wantText ? `(${texts.join(', ')})` : '(...)' };
}

/** Skips to the `)` closing the current parameter list (consumed), stopping at `;`, `{`, `}` at depth 0. */
function skipParameterRest(s: ParserState): void {
  while (s.pos < s.last) {
    const t = cur(s);
    if (isPunct(t, ')')) {
      advance(s);
      return;
    }
    if (isPunct(t, '(') || isPunct(t, '[')) {
      skipBalanced(s);
      continue;
    }
    if (isPunct(t, ';') || isPunct(t, '{') || isPunct(t, '}')) return;
    advance(s);
  }
}

/**
 * declarator-trailer: ('__asm__' '(' string-literal ')' | attribute | declspec | SAL-annotation)*
 */
function parseTrailing(s: ParserState, d: Declarator): { declAlign?: number } {
  const out: { declAlign?: number } = {};
  for (;;) {
    if (s.kinds[s.pos] !== TokKind.Ident) return out;
    const text = s.texts[s.pos];
    const k = s.keywords.get(text);
    if (k === K.Asm) skipAsmLabel(s);
    else if (k === K.Attribute) {
      const a = parseAttribute(s);
      if (a.align !== undefined) out.declAlign = a.align;
    } else if (k === K.Declspec) {
      const a = parseDeclspec(s);
      if (a !== undefined) out.declAlign = a;
    } else if (k === undefined && isSalHere(s, text)) (d.annotations ??= []).push(parseAnnotation(s));
    else if (k === K.Const || k === K.Volatile || k === K.Extension) advance(s);
    else return out;
  }
}

/** Builds the declared type from the base type and the declarator's derivations. */
function applyDeclarator(base: CType, d: Declarator, specCallconv?: string): CType {
  let t = base;
  let callconv = d.callconv ?? specCallconv;
  for (const op of d.ops) {
    if (op.k === 'ptr') {
      const p: CType = { kind: 'pointer', to: t };
      if (op.width !== undefined) p.width = op.width;
      if (op.extend !== undefined) p.extend = op.extend;
      t = withQuals(p, op.quals);
    } else if (op.k === 'array') {
      const a: CType = { kind: 'array', of: t };
      if (op.length) a.length = op.length;
      t = a;
    } else if (op.k === 'member') {
      // A pointer to member's size depends on the class's inheritance model (MS ABI): not modelled.
      t = { kind: 'error', name: `${op.of}::*` };
    } else {
      const f: CType = { kind: 'function', ret: op.trailing ?? t, params: op.params, variadic: op.variadic };
      if (callconv) {
        f.callconv = callconv;
        callconv = undefined;
      }
      t = f;
    }
  }
  return t;
}

/** C++: the cursor is at a declarator-id (`name`, `X::name`, `::name`, `~X`, `operator=`), not at a nested declarator or a keyword. */
function atCxxDeclaratorId(s: ParserState): boolean {
  const t = cur(s);
  if (t.kind === TokKind.Punct) {
    if (t.text === '~') return peekAt(s, 1).kind === TokKind.Ident;
    return t.text === '::' && peekAt(s, 1).kind === TokKind.Ident;
  }
  if (t.kind !== TokKind.Ident) return false;
  if (t.text === 'operator') return true;
  // A plain identifier is the C grammar's business (with its undefined-macro heuristics).
  return s.keywords.get(t.text) === undefined && peekPunct(s, 1, '::');
}

/** C++ `X::*` (or `ns::X::*`) at the cursor: the start of a pointer to member. */
function isMemberPointerStart(s: ParserState): boolean {
  let i = s.pos;
  if (s.kinds[i] === TokKind.Punct && s.texts[i] === '::') i++;
  let sawScope = false;
  while (i < s.last && s.kinds[i] === TokKind.Ident) {
    if (s.texts[i + 1] !== '::') return false;
    sawScope = true;
    i += 2;
    if (s.kinds[i] === TokKind.Punct && s.texts[i] === '*') return sawScope;
  }
  return false;
}

/** type-name: specifier-qualifier-list abstract-declarator? */
function parseTypeName(s: ParserState): CType {
  const spec = parseSpecifiers(s, 'typename');
  let base = specType(spec);
  if (!base) {
    expected(s, 'a type name');
    base = { kind: 'error', name: describe(cur(s)) };
  }
  const d = parseDeclarator(s, 'abstract');
  return applyDeclarator(base, d);
}

// ---------------------------------------------------------------------------
// File-scope declarations

function resolveTypedefs(t: CType): CType {
  for (let i = 0; i < 64 && t.kind === 'typedef'; i++) t = t.decl.type;
  return t;
}

/** The first array bound inside a type (through pointers, functions and their parameters). */
function firstArrayBound(t: CType, depth = 0): Expr | undefined {
  if (depth > 16) return undefined;
  switch (t.kind) {
    case 'array':
      return t.length ?? firstArrayBound(t.of, depth + 1);
    case 'pointer':
      return firstArrayBound(t.to, depth + 1);
    case 'function': {
      for (const p of t.params) {
        const b = firstArrayBound(p.type, depth + 1);
        if (b) return b;
      }
      return firstArrayBound(t.ret, depth + 1);
    }
  }
  return undefined;
}

function isOne(e: Expr, sign: 1 | -1): boolean {
  if (sign === 1) return e.kind === 'num' && e.value === 1n;
  return (e.kind === 'num' && e.value === -1n) || (e.kind === 'unary' && e.op === '-' && e.arg.kind === 'num' && e.arg.value === 1n);
}

/** `typedef char __C_ASSERT__[(e) ? 1 : -1]` and the other expanded forms -> a static assertion on `e`. */
function recordExpandedStaticAssert(s: ParserState, type: CType, startTok: Token): void {
  const bound = firstArrayBound(type);
  if (!bound) return;
  const expr = bound.kind === 'cond' && isOne(bound.then, 1) && isOne(bound.else, -1) ? bound.test : bound;
  s.unit.staticAsserts.push({ expr, loc: locOf(startTok) });
}

/**
 * declaration: declaration-specifiers (init-declarator (',' init-declarator)*)? ';'
 * function-definition: declaration-specifiers declarator compound-statement
 * init-declarator: declarator trailing* ('=' initializer)?
 */
function parseDeclaration(s: ParserState): void {
  const startTok = cur(s);
  const spec = parseSpecifiers(s, 'file');
  let base = specType(spec);
  if (spec.missingSemicolon) {
    syntaxError(s, 'parse-expected', s.toks[s.pos - 1], ["';' after the closing brace", '}']);
    return;
  }
  // C++ out-of-line constructors, destructors and conversion functions (`Device::Device(...)`) have no type.
  if (!base && s.cxx && startsSpecialMember(s)) base = { kind: 'void' };
  if (!base) {
    // `_Analysis_mode_(_Analysis_code_type_kernel_driver_);`: an annotation on its own.
    if (spec.annotations && accept(s, ';')) return;
    const t = cur(s);
    if (t.kind === TokKind.Ident && s.keywords.get(t.text) === undefined) {
      syntaxError(s, 'parse-expected', t, ['a type name', t.text]);
    } else expected(s, 'a declaration');
    recoverDeclaration(s);
    return;
  }
  if (accept(s, ';')) return;
  let first = true;
  for (;;) {
    const d = parseDeclarator(s, 'named');
    if (d.name === undefined || d.nameTok === undefined) {
      expected(s, 'an identifier');
      recoverDeclaration(s);
      return;
    }
    const trailing = parseTrailing(s, d);
    const type = applyDeclarator(base, d, spec.callconv);
    const nameTok = d.nameTok;
    if (staticAssertNames.has(d.name)) {
      recordExpandedStaticAssert(s, type, startTok);
    } else if (spec.isTypedef) {
      registerTypedef(s, spec, d, type, trailing.declAlign);
    } else if (s.cxx) {
      const resolved = resolveTypedefs(type);
      if (resolved.kind === 'function') {
        const fn = cxxFunction(s, spec, d, resolved);
        if (parseFunctionRest(s, fn)) {
          if (first) return;
          syntaxError(s, 'parse-bad-declaration', nameTok, [`'${d.name}' follows another declarator; a body cannot follow it`]);
        }
      } else {
        declareCxxVariable(s, spec, d, type, s.cxx.scope.kind === 'namespace');
      }
      first = false;
      if (accept(s, ',')) continue;
      if (accept(s, ';')) return;
      expectedSemicolon(s);
      if (!missingSemicolonBefore(s)) recoverDeclaration(s);
      return;
    } else {
      const resolved = resolveTypedefs(type);
      if (resolved.kind === 'function') {
        const fn: FunctionDecl = { name: d.name, type: resolved, loc: locOf(nameTok), body: [], isDefinition: false };
        if (spec.isStatic) fn.isStatic = true;
        const annotations = joinAnnotations(spec.annotations, d.annotations);
        if (annotations.length) fn.annotations = annotations;
        if (first && atPunct(s, '{')) {
          const open = s.pos;
          if (!skipBraceBlock(s)) {
            s.diagnostics.push(diag('parse-unterminated', locOf(s.toks[open]), [`body of '${d.name}': missing '}'`], endOf(s.toks[open])));
          }
          fn.body = s.toks.slice(open, s.pos);
          fn.isDefinition = true;
          s.unit.functions.push(fn);
          return;
        }
        s.unit.functions.push(fn);
      } else {
        const v: VarDecl = { name: d.name, type, loc: locOf(nameTok) };
        if (spec.isStatic) v.isStatic = true;
        s.unit.variables.push(v);
        // Initialisers stay tokens (handler tables for the dispatch analysis).
        if (atPunct(s, '=')) {
          const start = s.pos + 1;
          advance(s);
          skipInitializer(s);
          v.init = s.toks.slice(start, s.pos);
        }
      }
    }
    first = false;
    if (accept(s, '=')) skipInitializer(s);
    if (accept(s, ',')) continue;
    if (accept(s, ';')) return;
    if (atPunct(s, '{')) {
      syntaxError(s, 'parse-bad-declaration', cur(s), [`'${d.name}' is not a function; a body cannot follow it`]);
      if (skipBraceBlock(s, true)) recoverDeclaration(s);
      return;
    }
    expectedSemicolon(s);
    if (!missingSemicolonBefore(s)) recoverDeclaration(s);
    return;
  }
}

/**
 * Skips a `{ ... }` block at file scope. Returns false when it is not closed
 * properly. A function body (`strayBlock` false) may hold anything; only when
 * it runs to EOF does the cursor go back to the first later line that starts
 * in column 1 with a file-scope declaration word (`typedef`, `struct`, a
 * storage class), where it most likely should have ended. A block that
 * should not be there at all (`strayBlock`) also ends before a `typedef`
 * that starts a line. Either way one missing `}` does not swallow the rest
 * of the file.
 */
function skipBraceBlock(s: ParserState, strayBlock = false): boolean {
  const open = s.pos;
  let depth = 0;
  for (let i = open; i < s.last; i++) {
    const kind = s.kinds[i];
    if (kind === TokKind.Punct) {
      const c = s.texts[i];
      if (c === '{' || c === '(' || c === '[') depth++;
      else if (c === '}' || c === ')' || c === ']') {
        depth--;
        if (depth <= 0) {
          s.pos = i + 1;
          return true;
        }
      }
    } else if (strayBlock && kind === TokKind.Ident && s.texts[i] === 'typedef' && s.toks[i].bol) {
      s.pos = i;
      return false;
    }
  }
  for (let i = open + 1; i < s.last; i++) {
    if (s.kinds[i] !== TokKind.Ident) continue;
    const t = s.toks[i];
    if (t.col !== 1 || !t.bol || t.expansion) continue;
    const k = s.keywords.get(s.texts[i]);
    if (k === K.Typedef || k === K.Storage || k === K.Struct || k === K.Union || k === K.Enum) {
      s.pos = i;
      return false;
    }
  }
  s.pos = s.last;
  return false;
}

/** Skips an initializer up to the `,` or `;` that ends it at depth 0. */
function skipInitializer(s: ParserState): void {
  while (s.pos < s.last) {
    if (s.kinds[s.pos] === TokKind.Punct) {
      const text = s.texts[s.pos];
      if (text === ',' || text === ';' || text === '}' || text === ')') return;
      if (text === '(' || text === '[' || text === '{') {
        skipBalanced(s);
        continue;
      }
    }
    advance(s);
  }
}

function registerTypedef(s: ParserState, spec: Spec, d: Declarator, type: CType, trailingAlign: number | undefined): void {
  const name = d.name!;
  let t = type;
  // A C header's own `typedef unsigned short wchar_t;` still means the MSVC wchar_t.
  if (name === 'wchar_t' && t.kind === 'int' && t.rank === 'short' && !t.signed) t = { ...t, wchar: true };
  const td: TypedefDecl = { name, type: t, loc: locOf(d.nameTok!) };
  const align = trailingAlign ?? d.declAlign ?? spec.declAlign;
  if (align !== undefined) td.declAlign = align;
  if (s.cxx) declareTypedef(s, td, d.nameTok!);
  else s.unit.typedefs.set(name, td);
  const tag = spec.tag;
  if (!tag || spec.tagFromFallback) return;
  // Only declarators that are the tag itself or pointers to it name the record.
  let stars = 0;
  for (const op of d.ops) {
    if (op.k !== 'ptr') return;
    stars++;
  }
  tag.typedefs.push('*'.repeat(stars) + name);
  if (spec.tagDefined && tag.nameLoc === undefined) tag.nameLoc = locOf(d.nameTok!);
}

// ---------------------------------------------------------------------------
// C++ declarations (language 'cpp'): namespaces, using, templates, and the
// scope bookkeeping the C grammar above calls into. The model (scopes,
// lookup, qualified names, instantiation) is parse-cxx.ts's.

/** A type or tag the C++ scopes do not know, from the prelude (or, in the language server, the preamble's unit). */
function fallbackEntity(s: ParserState, name: string): Entity | undefined {
  const fb = s.fallback;
  if (!fb) return undefined;
  const td = fb.typedefs.get(name);
  if (td) return { kind: 'type', type: { kind: 'typedef', decl: td } };
  const tag = fb.tags.get(name);
  if (tag) return { kind: 'type', type: isRecord(tag) ? { kind: 'record', decl: tag } : { kind: 'enum', decl: tag } };
  const c = fb.enumConstants.get(name);
  if (c) return { kind: 'value', ref: c };
  return undefined;
}

const lookupFallback = (s: ParserState) => (name: string) => fallbackEntity(s, name);

/** C++: does `name` (unqualified, at the cursor's scope) name a type or a class template? */
function isCxxTypeName(s: ParserState, name: string): boolean {
  for (let i = s.paramScopes.length - 1; i >= 0; i--) if (s.paramScopes[i].has(name)) return false;
  const e = lookupUnqualified(s.cxx!, name) ?? fallbackEntity(s, name);
  return e !== undefined && (e.kind === 'type' || e.kind === 'template');
}

/**
 * C++: the (possibly qualified, possibly template-id) name starting at token
 * `index` denotes a type. Reads ahead without moving the cursor or reporting.
 */
function cxxTypeAt(s: ParserState, index: number): boolean {
  const saved = { pos: s.pos, errored: s.errored, diagnostics: s.diagnostics.length, splitAt: s.cxx!.splitAt };
  s.pos = index;
  try {
    const q = parseQualifiedName(s, lookupFallback(s), readOperatorName);
    return q?.entity?.kind === 'type' || (q?.unknownQualifier !== undefined && q.last !== '' && typeFollows(s));
  } finally {
    s.pos = saved.pos;
    s.errored = saved.errored;
    s.diagnostics.length = saved.diagnostics;
    s.cxx!.splitAt = saved.splitAt;
  }
}

/** After an unresolved qualified name (`std::uint32_t`, a dependent `T::type`): a declarator or `)`/`>` follows, so it was a type. */
function typeFollows(s: ParserState): boolean {
  const t = cur(s);
  if (t.kind === TokKind.Ident) return s.keywords.get(t.text) === undefined || kw(s, t) === K.Const || kw(s, t) === K.CallConv;
  return isPunct(t, '*') || isPunct(t, '&') || isPunct(t, '&&') || isPunct(t, '>') || isPunct(t, ')') || isPunct(t, ',');
}

/** The index of token `t` at or just after the cursor (the hooks receive tokens, C++ lookahead needs their place). */
function indexOfToken(s: ParserState, t: Token): number {
  for (let i = s.pos; i <= Math.min(s.pos + 4, s.last); i++) if (s.toks[i] === t) return i;
  return -1;
}

/**
 * operator-function-id after `operator`: a punctuator (`=`, `()`, `[]`,
 * `->*`), `new`/`delete` (with `[]`), `""_x`, or a conversion type
 * (`operator bool`, `operator ULONG *`). Returns the name as written.
 */
function readOperatorName(s: ParserState): string | undefined {
  const t = cur(s);
  if (t.kind === TokKind.Punct) {
    if (t.text === '(' || t.text === '[') {
      const close = t.text === '(' ? ')' : ']';
      advance(s);
      if (!accept(s, close)) return undefined;
      return `operator${t.text}${close}`;
    }
    advance(s);
    if ((t.text === '-' || t.text === '.') && atPunct(s, '>')) advance(s);
    return `operator${t.text}`;
  }
  if (t.kind === TokKind.String) {
    advance(s);
    const suffix = cur(s).kind === TokKind.Ident ? advance(s).text : '';
    return `operator""${suffix}`;
  }
  if (t.text === 'new' || t.text === 'delete') {
    advance(s);
    if (atPunct(s, '[') && peekPunct(s, 1, ']')) {
      advance(s);
      advance(s);
      return `operator ${t.text}[]`;
    }
    return `operator ${t.text}`;
  }
  // A conversion function: the type, without a declarator name.
  const start = s.pos;
  const spec = parseSpecifiers(s, 'typename');
  if (!spec.hasType) {
    s.pos = start;
    return undefined;
  }
  while (atPunct(s, '*') || atPunct(s, '&') || atPunct(s, '&&')) advance(s);
  return `operator ${tokensText(s, start, s.pos)}`;
}

/** Where a C++ declaration starts with a keyword the C grammar does not know: `namespace`, `using`, `template`, `inline namespace`. */
function parseCxxDeclarationStart(s: ParserState, text: string): boolean {
  switch (text) {
    case 'namespace':
      parseNamespace(s, false);
      return true;
    case 'inline':
      if (peekAt(s, 1).text !== 'namespace') return false;
      advance(s);
      parseNamespace(s, true);
      return true;
    case 'using':
      parseUsing(s);
      return true;
    case 'template':
      parseTemplateDeclaration(s);
      return true;
    case 'export':
      advance(s);
      return true;
  }
  return false;
}

/**
 * namespace-definition: 'inline'? 'namespace' attribute* (identifier ('::' 'inline'? identifier)*)? '{' declaration* '}'
 * namespace-alias: 'namespace' identifier '=' qualified-name ';'
 */
function parseNamespace(s: ParserState, isInline: boolean): void {
  const cxx = s.cxx!;
  advance(s);
  skipCxxAttributes(s);
  if (cur(s).kind === TokKind.Ident && peekPunct(s, 1, '=')) {
    const nameTok = advance(s);
    advance(s);
    const q = parseQualifiedName(s, lookupFallback(s));
    if (q?.entity?.kind === 'namespace') cxx.scope.names.set(nameTok.text, q.entity);
    else if (q) s.diagnostics.push(diag('cxx-unknown-qualifier', locOf(q.lastTok), [q.text], endOf(q.lastTok)));
    if (!accept(s, ';')) recoverDeclaration(s);
    return;
  }
  const path: { name: string; inline: boolean }[] = [];
  let nextInline = isInline;
  for (;;) {
    if (cur(s).kind === TokKind.Ident && cur(s).text === 'inline') {
      advance(s);
      nextInline = true;
      continue;
    }
    if (cur(s).kind !== TokKind.Ident || s.keywords.get(cur(s).text) !== undefined) break;
    path.push({ name: advance(s).text, inline: nextInline });
    nextInline = false;
    if (!accept(s, '::')) break;
  }
  skipCxxAttributes(s);
  if (!atPunct(s, '{')) {
    expected(s, "'{'");
    recoverDeclaration(s);
    return;
  }
  advance(s);
  const restore = cxx.scope;
  if (path.length === 0) path.push({ name: '(anonymous namespace)', inline: true });
  for (const { name, inline } of path) {
    const existing = cxx.scope.names.get(name);
    let inner: Scope;
    if (existing?.kind === 'namespace') inner = existing.scope;
    else {
      inner = newScope('namespace', name, cxx.scope);
      // clang leaves inline namespaces out of qualified names (`ns::In` for `ns::v1::In`), but not anonymous ones.
      if (inline && name !== '(anonymous namespace)') inner.prefix = cxx.scope.prefix;
      const twin = cxx.scope.twin?.names.get(name);
      if (twin?.kind === 'namespace') {
        inner.twin = twin.scope;
        inner.inlines = [twin.scope];
      }
      cxx.scope.names.set(name, { kind: 'namespace', scope: inner });
    }
    // Members of inline and anonymous namespaces are members of the enclosing one too.
    if (inline && !(cxx.scope.inlines ?? []).includes(inner)) (cxx.scope.inlines ??= []).push(inner);
    cxx.scope = inner;
  }
  cxx.blocks.push({ kind: 'namespace', restore });
}

/**
 * using-directive: 'using' 'namespace' qualified-name ';'
 * alias-declaration: 'using' identifier attribute* '=' type-id ';'
 * using-declaration: 'using' 'typename'? qualified-name ';'
 */
function parseUsing(s: ParserState): void {
  const cxx = s.cxx!;
  const usingTok = advance(s);
  if (cur(s).text === 'namespace') {
    advance(s);
    const q = parseQualifiedName(s, lookupFallback(s));
    if (q?.entity?.kind === 'namespace') (cxx.scope.usings ??= []).push(q.entity.scope);
    else if (q) s.diagnostics.push(diag('cxx-unknown-qualifier', locOf(q.lastTok), [q.text], endOf(q.lastTok)));
    else expected(s, 'a namespace name');
    if (!accept(s, ';')) recoverDeclaration(s);
    return;
  }
  if (cur(s).kind === TokKind.Ident && s.keywords.get(cur(s).text) === undefined && (peekPunct(s, 1, '=') || peekPunct(s, 1, '['))) {
    const nameTok = advance(s);
    skipCxxAttributes(s);
    if (!expect(s, '=')) {
      recoverDeclaration(s);
      return;
    }
    skipCxxAttributes(s);
    const type = parseTypeName(s);
    const td: TypedefDecl = { name: nameTok.text, type, loc: locOf(nameTok) };
    declareTypedef(s, td, nameTok);
    if (!accept(s, ';')) {
      expectedSemicolon(s);
      recoverDeclaration(s);
    }
    return;
  }
  if (cur(s).text === 'typename') advance(s);
  const q = parseQualifiedName(s, lookupFallback(s), readOperatorName);
  if (q?.entity && q.special === undefined) {
    // `using Base::Base;` (inheriting constructors) declares nothing we model.
    cxx.scope.names.set(q.last, q.entity);
    if (q.entity.kind === 'type' && cxx.scope.kind === 'namespace') {
      const t = q.entity.type;
      if (t.kind === 'typedef' && !s.unit.typedefs.has(q.last)) s.unit.typedefs.set(q.last, t.decl);
      if ((t.kind === 'record' || t.kind === 'enum') && !s.unit.tags.has(q.last)) s.unit.tags.set(q.last, t.decl);
    }
  } else if (q === undefined) expected(s, 'a name after using');
  else if (q.unknownQualifier === undefined && q.special === undefined && cxx.scope.kind !== 'class') {
    s.diagnostics.push(diag('parse-unknown-type', locOf(q.lastTok), [q.text], endOf(q.lastTok)));
  }
  void usingTok;
  if (!accept(s, ';')) recoverDeclaration(s);
}

/**
 * template-declaration: 'template' '<' template-parameter-list? '>' declaration
 * explicit-instantiation: 'extern'? 'template' declaration
 *
 * Class templates are remembered for instantiation and their bodies skipped;
 * `template <>` specializations of classes are parsed as records; function,
 * variable and member templates are skipped; partial specializations are
 * skipped with a diagnostic.
 */
function parseTemplateDeclaration(s: ParserState): void {
  const cxx = s.cxx!;
  const templateTok = advance(s);
  if (!atPunct(s, '<')) {
    // `template struct X<int>;`: an explicit instantiation names nothing new.
    recoverDeclaration(s);
    return;
  }
  const params = parseTemplateParams(s);
  if (params === undefined) {
    recoverDeclaration(s);
    return;
  }
  skipCxxAttributes(s);
  const k = kw(s, cur(s));
  if (params.length === 0 && (k === K.Struct || k === K.Class || k === K.Union)) {
    // An explicit specialization `template <> struct X<1> { ... };`: parse it now, registered under its arguments.
    parseDeclaration(s);
    return;
  }
  if (k === K.Struct || k === K.Class || k === K.Union) {
    const keyIndex = s.pos;
    let i = s.pos + 1;
    // Skip attributes between the class key and the name.
    while (i < s.last) {
      const t = s.toks[i];
      if (t.kind === TokKind.Ident && (s.keywords.get(t.text) === K.Declspec || s.keywords.get(t.text) === K.Attribute || s.keywords.get(t.text) === K.Alignas)) {
        i++;
        if (s.kinds[i] === TokKind.Punct && s.texts[i] === '(') i = matchingClose(s, i) + 1;
        continue;
      }
      if (t.kind === TokKind.Punct && t.text === '[' && s.texts[i + 1] === '[') {
        i = matchingClose(s, i) + 1;
        continue;
      }
      break;
    }
    const nameTok = s.toks[i];
    const after = s.toks[Math.min(i + 1, s.last)];
    if (nameTok.kind === TokKind.Ident && s.keywords.get(nameTok.text) === undefined) {
      if (isPunct(after, '<')) {
        s.diagnostics.push(diag('cxx-unsupported', locOf(nameTok), [`the partial specialization of '${nameTok.text}'`], endOf(nameTok)));
        skipToSemicolon(s, { fileScope: true });
        return;
      }
      const isDefinition = isPunct(after, '{') || isPunct(after, ':') || (after.kind === TokKind.Ident && after.text === 'final');
      if (isDefinition || isPunct(after, ';')) {
        const template = declareClassTemplate(s, nameTok, params, isDefinition ? keyIndex : -1);
        if (isDefinition && template) {
          // The body is read when the template is instantiated; skip it now.
          while (s.pos < s.last && !atPunct(s, '{') && !atPunct(s, ';')) advance(s);
          if (atPunct(s, '{')) skipBalanced(s);
        }
        skipToSemicolon(s, { fileScope: true });
        return;
      }
    }
    skipToSemicolon(s, { fileScope: true });
    return;
  }
  if (cur(s).text === 'using' && peekAt(s, 1).kind === TokKind.Ident && peekPunct(s, 2, '=')) {
    // An alias template `template <class T> using P = T *;`.
    advance(s);
    const nameTok = advance(s);
    advance(s);
    declareClassTemplate(s, nameTok, params, -1, s.pos);
    skipToSemicolon(s, { fileScope: true });
    return;
  }
  // A function, variable or member template: nothing with a layout of its own.
  void templateTok;
  void cxx;
  skipToSemicolon(s, { fileScope: true });
}

function declareClassTemplate(s: ParserState, nameTok: Token, params: TemplateParam[], pattern: number, alias?: number): ClassTemplate | undefined {
  const cxx = s.cxx!;
  const existing = cxx.scope.names.get(nameTok.text);
  if (existing?.kind === 'template') {
    if (pattern >= 0) {
      existing.template.pattern = pattern;
      existing.template.source = { toks: s.toks, kinds: s.kinds, texts: s.texts, packAt: s.packAt, last: s.last };
      existing.template.params = params;
      existing.template.loc = locOf(nameTok);
    }
    return existing.template;
  }
  const template: ClassTemplate = {
    name: nameTok.text,
    qualifiedName: cxx.scope.prefix + nameTok.text,
    scope: cxx.scope,
    params,
    pattern,
    source: { toks: s.toks, kinds: s.kinds, texts: s.texts, packAt: s.packAt, last: s.last },
    specializations: new Map(),
    instances: new Map(),
    loc: locOf(nameTok),
  };
  if (alias !== undefined) template.alias = alias;
  cxx.scope.names.set(nameTok.text, { kind: 'template', template });
  return template;
}

/**
 * template-parameter-list: '<' (template-parameter (',' template-parameter)*)? '>'
 * template-parameter: ('typename' | 'class') '...'? identifier? ('=' type-id)?
 *   | 'template' '<' ... '>' ('class' | 'typename') '...'? identifier? ('=' id-expression)?
 *   | parameter-declaration ('=' constant-expression)?
 */
function parseTemplateParams(s: ParserState): TemplateParam[] | undefined {
  const cxx = s.cxx!;
  advance(s);
  const params: TemplateParam[] = [];
  if (acceptCloseAngle(s)) return params;
  // Later parameters may use earlier ones (`template <class T, T V>`): a scope of placeholders.
  const scope = newScope('template', '', cxx.scope);
  const saved = cxx.scope;
  cxx.scope = scope;
  try {
    for (;;) {
      const before = s.pos;
      skipCxxAttributes(s);
      let p: TemplateParam;
      const t = cur(s);
      if ((t.text === 'typename' || t.text === 'class') && t.kind === TokKind.Ident && !peekPunct(s, 2, '::') && !(peekAt(s, 1).kind === TokKind.Ident && peekPunct(s, 2, '<'))) {
        advance(s);
        p = { kind: 'type', pack: accept(s, '...') };
        if (cur(s).kind === TokKind.Ident && s.keywords.get(cur(s).text) === undefined) p.name = advance(s).text;
      } else if (t.text === 'template' && t.kind === TokKind.Ident) {
        advance(s);
        if (atPunct(s, '<')) skipTemplateArgsBlock(s);
        if (cur(s).text === 'class' || cur(s).text === 'typename') advance(s);
        p = { kind: 'template', pack: accept(s, '...') };
        if (cur(s).kind === TokKind.Ident && s.keywords.get(cur(s).text) === undefined) p.name = advance(s).text;
      } else {
        const spec = parseSpecifiers(s, 'param');
        let base = specType(spec);
        if (!base) {
          expected(s, 'a template parameter');
          return undefined;
        }
        const pack = accept(s, '...');
        const d = parseDeclarator(s, 'either');
        base = applyDeclarator(base, d, spec.callconv);
        p = { kind: 'value', pack: pack || d.pack === true, type: base };
        if (d.name !== undefined) p.name = d.name;
      }
      if (accept(s, '=')) p.defaultRange = skipTemplateDefault(s);
      if (p.name !== undefined) {
        scope.names.set(p.name, p.kind === 'value'
          ? { kind: 'value', ref: { name: p.name, type: p.type!, loc: locOf(t) } }
          : { kind: 'type', type: { kind: 'error', name: p.name } });
      }
      params.push(p);
      if (accept(s, ',')) {
        if (s.pos === before) return undefined;
        continue;
      }
      if (acceptCloseAngle(s)) return params;
      expected(s, "',' or '>'");
      return undefined;
    }
  } finally {
    cxx.scope = saved;
  }
}

/** Skips a `<...>` group (a template template parameter's own list). */
function skipTemplateArgsBlock(s: ParserState): void {
  let depth = 0;
  while (s.pos < s.last) {
    if (atPunct(s, '<')) depth++;
    else if (atPunct(s, '>')) depth--;
    else if (atPunct(s, '>>')) depth -= 2;
    else if (atPunct(s, '(') || atPunct(s, '[') || atPunct(s, '{')) {
      skipBalanced(s);
      continue;
    } else if (atPunct(s, ';')) return;
    advance(s);
    if (depth <= 0) return;
  }
}

/** Skips a template parameter's default argument; returns its token range. */
function skipTemplateDefault(s: ParserState): [number, number] {
  const start = s.pos;
  let angles = 0;
  while (s.pos < s.last) {
    const t = cur(s);
    if (t.kind === TokKind.Punct) {
      if (t.text === '(' || t.text === '[' || t.text === '{') {
        skipBalanced(s);
        continue;
      }
      if (t.text === '<') angles++;
      else if (t.text === '>' || t.text === '>>') {
        const n = t.text === '>' ? 1 : 2;
        if (angles < n) {
          if (angles === 1 && n === 2) {
            // `= Foo<int>>`: the first half closes Foo's list, the second ours.
            s.cxx!.splitAt = s.pos;
            return [start, s.pos + 1];
          }
          return [start, s.pos];
        }
        angles -= n;
      } else if ((t.text === ',' && angles === 0) || t.text === ';' || t.text === '}') return [start, s.pos];
    }
    advance(s);
  }
  return [start, s.pos];
}

/**
 * The hook parse-cxx.ts calls to read a class template's definition as the
 * instance `s.cxx.instance` (the cursor is at the class key), or, with
 * `index` -1, to make the incomplete record of a template only declared.
 */
function replayRecord(s: ParserState, index: number): RecordDecl | undefined {
  const instance = s.cxx!.instance;
  if (!instance) return undefined;
  if (index < 0) {
    const r = newRecord(s, 'struct', instance.name, s.toks[Math.max(0, s.pos - 1)]);
    r.loc = instance.template.loc;
    r.cxx = { qualifiedName: instance.template.scope.prefix + instance.name, bases: [], declaresVirtual: false, template: { name: instance.template.qualifiedName, args: splitArgs(instance.key) } };
    instance.template.instances.set(instance.key, { kind: 'record', decl: r });
    s.unit.tags.set(r.cxx.qualifiedName!, r);
    return r;
  }
  const k = kw(s, cur(s));
  if (k !== K.Struct && k !== K.Class && k !== K.Union) return undefined;
  const spec = newSpec(s.pos);
  parseRecordSpecifier(s, spec, k === K.Union ? 'union' : 'struct', k === K.Class);
  return spec.tag && isRecord(spec.tag) ? spec.tag : undefined;
}

/** `unsigned long, 4` -> ['unsigned long', '4'] (top-level commas only). */
function splitArgs(key: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < key.length; i++) {
    const c = key[i];
    if (c === '<' || c === '(' || c === '[') depth++;
    else if (c === '>' || c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      out.push(key.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (key.trim() !== '') out.push(key.slice(start).trim());
  return out;
}

/**
 * C++ primary expressions the C expression parser hands over: `true`,
 * `false`, `nullptr`, the named casts, and (possibly qualified) names of
 * constants resolved in scope; `T(x)` and `T{x}` for a type T are casts.
 */
function cxxPrimary(s: ParserState): Expr | undefined {
  const t = cur(s);
  const loc = locOf(t);
  switch (t.text) {
    case 'true':
      advance(s);
      return { kind: 'num', value: 1n, loc, text: '1' };
    case 'false':
    case 'nullptr':
      advance(s);
      return { kind: 'num', value: 0n, loc, text: '0' };
    case 'static_cast':
    case 'reinterpret_cast':
    case 'const_cast':
    case 'dynamic_cast': {
      if (!peekPunct(s, 1, '<')) return undefined;
      const start = s.pos;
      advance(s);
      advance(s);
      const type = parseTypeName(s);
      if (!acceptCloseAngle(s) || !expect(s, '(')) {
        skipToSemicolonInExpr(s);
        return { kind: 'opaque', text: tokensText(s, start, s.pos), loc };
      }
      const arg = parseExpr(s);
      expect(s, ')');
      return { kind: 'cast', type, arg, loc };
    }
  }
  if (t.kind === TokKind.Ident && s.keywords.get(t.text) !== undefined) return undefined;
  const start = s.pos;
  const q = parseQualifiedName(s, lookupFallback(s));
  if (!q) return undefined;
  const e = q.entity;
  if (e?.kind === 'value') return { kind: 'name', name: q.text, loc, ref: e.ref };
  if (e?.kind === 'type' && (atPunct(s, '(') || atPunct(s, '{'))) {
    // A functional cast `ULONG(x)`, `T{x}`, or a value-initialised `T()` (zero).
    const close = atPunct(s, '(') ? ')' : '}';
    advance(s);
    if (accept(s, close)) return { kind: 'cast', type: e.type, arg: { kind: 'num', value: 0n, loc, text: '0' }, loc };
    const arg = parseExpr(s);
    expect(s, close);
    return { kind: 'cast', type: e.type, arg, loc };
  }
  if (q.qualifier !== undefined || q.unknownQualifier !== undefined) return { kind: 'name', name: q.text, loc };
  // An unqualified name C++ scopes do not know: the C reading (enumerators by name, or not constant).
  s.pos = start;
  return undefined;
}

/** After a malformed named cast: skips to the end of the expression's group. */
function skipToSemicolonInExpr(s: ParserState): void {
  while (s.pos < s.last && !atPunct(s, ';') && !atPunct(s, ',') && !atPunct(s, ')') && !atPunct(s, ']') && !atPunct(s, '}')) {
    if (atPunct(s, '(') || atPunct(s, '[') || atPunct(s, '{')) skipBalanced(s);
    else advance(s);
  }
}

// ----- registering names in C++ scopes and in the unit's flat maps

/**
 * Puts a declaration's name into the current scope and the unit's maps:
 * under its qualified name always, and under its plain name too when it is
 * declared in a namespace and the plain name is free (so C-style consumers
 * that look names up in `unit.tags`/`unit.typedefs` find C++ declarations).
 */
function declareInMaps<T>(s: ParserState, map: Map<string, T>, name: string, value: T): void {
  const scope = s.cxx!.scope;
  const qualified = scope.prefix + name;
  map.set(qualified, value);
  if (qualified !== name && scope.kind !== 'class' && scope.kind !== 'template' && !map.has(name)) map.set(name, value);
}

function declareTypedef(s: ParserState, td: TypedefDecl, nameTok: Token): void {
  const cxx = s.cxx!;
  if (cxx.scope.prefix) td.qualifiedName = cxx.scope.prefix + td.name;
  cxx.scope.names.set(td.name, { kind: 'type', type: { kind: 'typedef', decl: td } });
  declareInMaps(s, s.unit.typedefs, td.name, td);
  // `typedef struct { ... } X;` in a namespace: clang names the record `ns::X`.
  const r = recordOfType(td.type);
  if (r && r.tag === undefined && r.cxx && r.cxx.qualifiedName === undefined && td.type.kind === 'record') r.cxx.qualifiedName = cxx.scope.prefix + td.name;
  void nameTok;
}

/** A new C++ record's class scope and bookkeeping (`cxx` info, qualified name). */
function initCxxRecord(s: ParserState, r: RecordDecl, isClass: boolean, scope: Scope): void {
  const cxx = s.cxx!;
  r.cxx = { bases: [], declaresVirtual: false };
  if (isClass) r.cxx.isClass = true;
  if (r.tag !== undefined) r.cxx.qualifiedName = scope.prefix + r.tag;
  const own = r.tag === undefined ? { ...newScope('class', '', scope, r), prefix: scope.prefix } : newScope('class', r.tag, scope, r);
  cxx.classScopes.set(r, own);
}

/** A class-scope function's (or out-of-line definition's) name: the class part as written, and with its namespaces. */
function functionNames(s: ParserState, d: Declarator): { name: string; qualifiedName: string } {
  const scope = d.qualifier ?? s.cxx!.scope;
  const qualifiedName = scope.prefix + d.name!;
  const ns = namespaceScope(scope).prefix;
  return { name: qualifiedName.startsWith(ns) ? qualifiedName.slice(ns.length) : qualifiedName, qualifiedName };
}

/**
 * After a C++ function declarator's parameters: cv- and ref-qualifiers,
 * `noexcept(...)`, `throw(...)`, `override`, `final`, attributes, and a
 * trailing return type (returned).
 */
function parseFunctionQualifiers(s: ParserState): CType | undefined {
  let trailing: CType | undefined;
  for (;;) {
    const t = cur(s);
    if (t.kind === TokKind.Punct) {
      if (t.text === '&' || t.text === '&&') {
        advance(s);
        continue;
      }
      if (t.text === '->') {
        advance(s);
        trailing = parseTypeName(s);
        continue;
      }
      if (t.text === '[' && skipCxxAttributes(s)) continue;
      return trailing;
    }
    if (t.kind !== TokKind.Ident) return trailing;
    const k = kw(s, t);
    if (k === K.Const || k === K.Volatile) {
      advance(s);
      continue;
    }
    if (t.text === 'noexcept' || t.text === 'throw') {
      advance(s);
      if (atPunct(s, '(')) skipBalanced(s);
      continue;
    }
    if ((t.text === 'override' || t.text === 'final') && s.keywords.get(t.text) === undefined) {
      advance(s);
      continue;
    }
    return trailing;
  }
}

/** ctor-initializer: ':' (qualified-name ('(' ... ')' | '{' ... '}') '...'?) (',' ...)*; stops at the body's `{`. */
function skipMemInitializers(s: ParserState): void {
  advance(s);
  while (s.pos < s.last) {
    while (s.pos < s.last && (cur(s).kind === TokKind.Ident || atPunct(s, '::'))) {
      advance(s);
      if (atPunct(s, '<')) skipTemplateArgsBlock(s);
    }
    if (atPunct(s, '(') || atPunct(s, '{')) skipBalanced(s);
    else return;
    accept(s, '...');
    if (!accept(s, ',')) return;
  }
}

/**
 * base-clause: ':' base-specifier (',' base-specifier)*
 * base-specifier: attribute* ('virtual' | 'public' | 'protected' | 'private')* qualified-name '...'?
 */
function parseBaseClause(s: ParserState, record: RecordDecl, isClass: boolean): void {
  const cxx = s.cxx!;
  advance(s);
  const scope = cxx.classScopes.get(record);
  for (;;) {
    skipCxxAttributes(s);
    let virtual = false;
    let access: BaseSpecifier['access'] = isClass ? 'private' : 'public';
    const baseTok = cur(s);
    for (;;) {
      const w = cur(s).text;
      if (w === 'virtual') virtual = true;
      else if (w === 'public' || w === 'protected' || w === 'private') access = w;
      else break;
      advance(s);
    }
    const q = parseQualifiedName(s, lookupFallback(s));
    if (!q) {
      expected(s, 'a base class');
      while (s.pos < s.last && !atPunct(s, '{') && !atPunct(s, ';')) advance(s);
      return;
    }
    accept(s, '...');
    if (q.entity?.kind === 'type') {
      record.cxx!.bases.push({ type: q.entity.type, virtual, access, loc: locOf(baseTok) });
      const baseScope = scopeOf(cxx, q.entity);
      if (scope && baseScope) (scope.bases ??= []).push(baseScope);
    } else s.diagnostics.push(diag('parse-unknown-type', locOf(q.lastTok), [q.text], endOf(q.lastTok)));
    if (!accept(s, ',')) return;
  }
}

/**
 * C++ class-specifier: class-key attribute* class-head-name? 'final'? base-clause? ('{' member* '}')?
 * class-head-name: identifier | qualified-name | identifier '<' template-argument-list '>'
 *
 * As the C version, plus: names are declared in the current scope (a
 * definition completes only a declaration of the same scope; a reference
 * finds the name through the scopes, or declares it in the enclosing
 * namespace), a template-id head is an explicit specialization, a replayed
 * template definition is named as the instance, bases are read, and the
 * body is parsed in the class's own scope.
 */
function parseCxxRecordSpecifier(s: ParserState, spec: Spec, kind: 'struct' | 'union', isClass: boolean): void {
  const cxx = s.cxx!;
  const kwIndex = s.pos;
  const kwTok = advance(s);
  const attrs: { align?: number; packed: boolean; emptyBases?: boolean } = { packed: false };
  parseRecordAttributes(s, attrs);
  const instance = cxx.instance && cxx.instance.template.pattern === kwIndex ? cxx.instance : undefined;
  // Records nested in the instance's body are not the instance.
  if (instance) cxx.instance = undefined;
  let tagTok: Token | undefined;
  let tag: string | undefined;
  let target: RecordDecl | undefined;
  let specialization: { template: ClassTemplate; key: string; args: string[] } | undefined;
  const nameHere = cur(s).kind === TokKind.Ident && s.keywords.get(cur(s).text) === undefined;
  if (instance) {
    if (nameHere) tagTok = advance(s);
    tag = instance.name;
  } else if (nameHere && peekPunct(s, 1, '::')) {
    const q = parseQualifiedName(s, lookupFallback(s))!;
    tagTok = q.lastTok;
    tag = q.last;
    target = q.entity?.kind === 'type' ? recordOfType(q.entity.type) : undefined;
    if (!target) s.diagnostics.push(diag('parse-unknown-type', locOf(q.lastTok), [q.text], endOf(q.lastTok)));
  } else if (nameHere && peekPunct(s, 1, '<') && lookupUnqualified(cxx, cur(s).text)?.kind === 'template') {
    const nameTok = advance(s);
    const template = (lookupUnqualified(cxx, nameTok.text) as Entity & { kind: 'template' }).template;
    const args = parseTemplateArgs(s);
    const definition = atPunct(s, '{') || atPunct(s, ':') || cur(s).text === 'final';
    spec.hasType = true;
    spec.text.push(isClass ? 'class' : kind);
    if (!args) {
      spec.base = { kind: 'error', name: nameTok.text };
      return;
    }
    if (!definition) {
      // `struct X<int> *p`: an instance named with its class key.
      const e = instantiateTemplate(s, template, args, nameTok);
      spec.base = e?.kind === 'type' ? e.type : { kind: 'error', name: nameTok.text };
      spec.text.push(tokensText(s, kwIndex + 1, s.pos));
      return;
    }
    for (const a of args) if (a.kind === 'value') a.value = constantValue(cxx, a.expr);
    const keys = argumentsKey(args, template.params, enumeratorName);
    specialization = { template, key: keys.join(', '), args: keys };
    tagTok = nameTok;
    tag = templateIdText(template.name, keys);
  } else if (nameHere) {
    tagTok = advance(s);
    tag = tagTok.text;
  }
  parseRecordAttributes(s, attrs);
  // `struct DECLSPEC_FOO _TAG {`: an attribute macro the preprocessor did not know.
  if (tagTok && !instance && !specialization && !target && cur(s).kind === TokKind.Ident && s.keywords.get(cur(s).text) === undefined && cur(s).text !== 'final' && (peekPunct(s, 1, '{') || peekPunct(s, 1, ':'))) {
    s.diagnostics.push(diag('parse-unknown-attribute', locOf(tagTok), [tagTok.text], endOf(tagTok)));
    tagTok = advance(s);
    tag = tagTok.text;
    parseRecordAttributes(s, attrs);
  }
  if (cur(s).kind === TokKind.Ident && cur(s).text === 'final' && (peekPunct(s, 1, '{') || peekPunct(s, 1, ':'))) advance(s);
  spec.hasType = true;
  spec.text.push(isClass ? 'class' : kind);
  // A base clause `: public B` also starts a definition (`::` is a token of its own, never this `:`).
  const isDefinition = atPunct(s, '{') || atPunct(s, ':');
  if (!isDefinition) {
    if (tag === undefined) {
      expected(s, "a tag name or '{'");
      spec.base = { kind: 'error', name: kind };
      return;
    }
    spec.text.push(tag);
    let r: RecordDecl | undefined = target;
    if (!r) {
      // `struct X;` declares X here; `struct X *p` finds X through the scopes, or declares it in the enclosing namespace.
      const forward = atPunct(s, ';') && spec.start === kwIndex;
      const own = cxx.scope.names.get(tag);
      r = own?.kind === 'type' ? recordOfType(own.type) : undefined;
      if (!r && !forward) {
        const found = lookupUnqualified(cxx, tag) ?? fallbackEntity(s, tag);
        r = found?.kind === 'type' ? recordOfType(found.type) : undefined;
      }
      if (!r) {
        const saved = cxx.scope;
        if (!forward) cxx.scope = namespaceScope(cxx.scope);
        r = newRecord(s, kind, tag, kwTok);
        initCxxRecord(s, r, isClass, cxx.scope);
        cxx.scope.names.set(tag, { kind: 'type', type: { kind: 'record', decl: r } });
        declareInMaps(s, s.unit.tags, tag, r);
        cxx.scope = saved;
      }
    }
    spec.base = { kind: 'record', decl: r };
    spec.tag = r;
    spec.tagFromFallback = !cxx.classScopes.has(r);
    return;
  }
  // A definition.
  spec.text.push(tag ?? '{...}');
  let record: RecordDecl;
  let duplicateOf: RecordDecl | undefined;
  const own = tag !== undefined && !instance && !specialization && !target ? cxx.scope.names.get(tag) : undefined;
  const existing = own?.kind === 'type' && own.type.kind === 'record' ? own.type.decl : undefined;
  if (target && !target.fields) {
    record = target;
    record.loc = locOf(kwTok);
  } else if (existing && existing.kind === kind && existing.fields === undefined) {
    record = existing;
    record.loc = locOf(kwTok);
    record.id = s.nextRecordId++;
    if (isClass && record.cxx) record.cxx.isClass = true;
  } else if ((existing && existing.fields !== undefined) || (target && target.fields)) {
    duplicateOf = existing ?? target;
    record = { kind, typedefs: [], loc: locOf(kwTok), id: s.nextRecordId++ };
    if (tag !== undefined) record.tag = tag;
    initCxxRecord(s, record, isClass, cxx.scope);
  } else {
    record = newRecord(s, kind, tag, kwTok);
    const home = specialization ? specialization.template.scope : cxx.scope;
    initCxxRecord(s, record, isClass, home);
    if (instance) {
      const t = instance.template;
      record.loc = locOf(kwTok);
      record.cxx!.template = { name: t.qualifiedName, args: splitArgs(instance.key) };
      t.instances.set(instance.key, { kind: 'record', decl: record });
      s.unit.tags.set(record.cxx!.qualifiedName!, record);
      // The injected class name: `Buf` inside `Buf<T, N>` means the instance.
      cxx.classScopes.get(record)!.names.set(t.name, { kind: 'template', template: t, injected: record });
    } else if (specialization) {
      record.cxx!.template = { name: specialization.template.qualifiedName, args: specialization.args };
      specialization.template.specializations.set(specialization.key, record);
      s.unit.tags.set(record.cxx!.qualifiedName!, record);
    } else if (tag !== undefined) {
      cxx.scope.names.set(tag, { kind: 'type', type: { kind: 'record', decl: record } });
      declareInMaps(s, s.unit.tags, tag, record);
    }
  }
  startRecordDefinition(s, spec, record, kwIndex, tagTok);
  if (attrs.emptyBases) record.cxx!.emptyBases = true;
  if (atPunct(s, ':')) parseBaseClause(s, record, isClass);
  if (!atPunct(s, '{')) {
    expected(s, "'{'");
    spec.base = { kind: 'record', decl: duplicateOf ?? record };
    spec.tag = duplicateOf ?? record;
    return;
  }
  const saved = cxx.scope;
  cxx.scope = cxx.classScopes.get(record) ?? saved;
  try {
    parseRecordBody(s, record);
  } finally {
    cxx.scope = saved;
  }
  finishRecordDefinition(s, spec, record, duplicateOf, attrs, tagTok);
}

/**
 * C++: a (possibly qualified) name where a type specifier may stand.
 * 'type': it named a type, now in `spec`; 'stop': it is the declarator's
 * name (`Device::OnRead`, a constructor, a known non-type), cursor
 * unchanged; 'fallthrough': an unknown plain identifier, for the C
 * heuristics (undefined macros, unknown type names) to judge.
 */
function cxxSpecifierName(s: ParserState, spec: Spec, ctx: SpecContext, afterTypename = false): 'type' | 'stop' | 'fallthrough' {
  const start = s.pos;
  const t = cur(s);
  const scope = s.cxx!.scope;
  // `X(` inside class X, or `explicit X(`: a constructor, not a member of type X.
  if (!afterTypename && isOwnClassName(scope, t.text) && peekPunct(s, 1, '(')) return 'stop';
  const q = parseQualifiedName(s, lookupFallback(s), readOperatorName);
  if (!q) return 'fallthrough';
  if (q.entity?.kind === 'type' && q.special === undefined) {
    spec.base = q.entity.type;
    spec.hasType = true;
    spec.text.push(q.text);
    spec.end = s.pos;
    return 'type';
  }
  if (q.special === undefined && (q.unknownQualifier !== undefined || afterTypename) && (afterTypename || typeFollows(s))) {
    // `std::uint32_t x;` with no declaration of std, or a dependent `typename T::type`: an unknown type, reported once.
    s.diagnostics.push(diag('parse-unknown-type', locOf(t), [q.text], endOf(q.lastTok)));
    spec.base = { kind: 'error', name: q.text };
    spec.hasType = true;
    spec.text.push(q.text);
    spec.end = s.pos;
    return 'type';
  }
  s.pos = start;
  if (q.qualifier !== undefined || q.special !== undefined || q.unknownQualifier !== undefined) return 'stop';
  if (q.entity !== undefined && q.entity.kind !== 'template') return 'stop';
  return 'fallthrough';
}

/** The class a scope is, named as its constructors are: `Buf` also inside the instance `Buf<int, 2>`. */
function isOwnClassName(scope: Scope, name: string): boolean {
  if (scope.kind !== 'class' || !scope.name) return false;
  if (name === scope.name) return true;
  const lt = scope.name.indexOf('<');
  return lt > 0 && scope.name.slice(0, lt) === name;
}

/** A C++ member or namespace-level declaration with no type: a constructor, destructor or conversion function. */
function startsSpecialMember(s: ParserState): boolean {
  const t = cur(s);
  if (isPunct(t, '~')) return peekAt(s, 1).kind === TokKind.Ident;
  if (t.kind !== TokKind.Ident && !isPunct(t, '::')) return false;
  if (t.text === 'operator') return true;
  const scope = s.cxx!.scope;
  if (isOwnClassName(scope, t.text) && peekPunct(s, 1, '(')) return true;
  if (!peekPunct(s, 1, '::') && !isPunct(t, '::')) return false;
  const saved = { pos: s.pos, diagnostics: s.diagnostics.length, errored: s.errored };
  const q = parseQualifiedName(s, lookupFallback(s), readOperatorName);
  s.pos = saved.pos;
  s.diagnostics.length = saved.diagnostics;
  s.errored = saved.errored;
  return q !== undefined && (q.special !== undefined || q.last.startsWith('operator'));
}

/** C++ class members: access specifiers, `using`, member templates, friends and typedefs. True when one was read. */
function parseCxxMemberStart(s: ParserState): boolean {
  const t = cur(s);
  if (t.kind === TokKind.Punct) return t.text === '[' && skipCxxAttributes(s);
  if (t.kind !== TokKind.Ident) return false;
  switch (t.text) {
    case 'public':
    case 'private':
    case 'protected':
      if (!peekPunct(s, 1, ':')) return false;
      advance(s);
      advance(s);
      return true;
    case 'using':
      parseUsing(s);
      return true;
    case 'template':
      parseTemplateDeclaration(s);
      return true;
    case 'friend':
      // A friend declares nothing that occupies the class.
      skipToSemicolon(s, { fileScope: true });
      return true;
    case 'typedef':
      parseDeclaration(s);
      return true;
  }
  return false;
}

/**
 * C++ members that are not data members: member functions (declarations and
 * inline definitions, kept in `unit.functions` under `Class::name`), static
 * data members and friends. Returns how the member loop goes on, or
 * undefined for a data member.
 */
function parseCxxNonField(s: ParserState, spec: Spec, d: Declarator, type: CType): 'continue' | 'return' | undefined {
  const resolved = resolveTypedefs(type);
  const record = s.cxx!.scope.record;
  if (resolved.kind === 'function' && d.name !== undefined) {
    if (spec.isVirtual && record?.cxx) record.cxx.declaresVirtual = true;
    const fn = cxxFunction(s, spec, d, resolved);
    parseTrailing(s, d);
    if (parseFunctionRest(s, fn)) {
      accept(s, ';');
      return 'return';
    }
    if (accept(s, ',')) return 'continue';
    if (accept(s, ';')) return 'return';
    expectedSemicolon(s);
    recoverMember(s);
    return 'return';
  }
  if (spec.isStatic || spec.isFriend) {
    parseTrailing(s, d);
    declareCxxVariable(s, spec, d, type, false);
    if (accept(s, ',')) return 'continue';
    if (accept(s, ';')) return 'return';
    expectedSemicolon(s);
    recoverMember(s);
    return 'return';
  }
  return undefined;
}

/** A C++ function declaration's model (class-qualified name, annotations), pushed to the unit. */
function cxxFunction(s: ParserState, spec: Spec, d: Declarator, type: CType & { kind: 'function' }): FunctionDecl {
  const names = functionNames(s, d);
  const fn: FunctionDecl = { name: names.name, type, loc: locOf(d.nameTok!), body: [], isDefinition: false };
  // `static` at namespace scope is internal linkage; on a class member it is not.
  if (spec.isStatic && !d.qualifier && s.cxx!.scope.kind === 'namespace') fn.isStatic = true;
  if (names.qualifiedName !== names.name) fn.qualifiedName = names.qualifiedName;
  const annotations = joinAnnotations(spec.annotations, d.annotations);
  if (annotations.length) fn.annotations = annotations;
  // A member function's name (not a constructor's: that one is the class).
  const scope = d.qualifier ?? s.cxx!.scope;
  if (!d.qualifier && d.special === undefined && !isOwnClassName(scope, d.name!)) {
    scope.names.set(d.name!, { kind: 'function', name: names.qualifiedName });
  }
  s.unit.functions.push(fn);
  return fn;
}

/**
 * What may follow a C++ function declarator: `= 0`, `= default`, `= delete`,
 * a constructor's member initializers, a body (kept as tokens), a
 * function-try-block. Returns true when a body was read.
 */
function parseFunctionRest(s: ParserState, fn: FunctionDecl): boolean {
  if (accept(s, '=')) {
    skipInitializer(s);
    return false;
  }
  if (atPunct(s, ':')) skipMemInitializers(s);
  const isTry = cur(s).kind === TokKind.Ident && cur(s).text === 'try';
  if (isTry) advance(s);
  if (!atPunct(s, '{')) return false;
  const open = s.pos;
  if (!skipBraceBlock(s)) {
    s.diagnostics.push(diag('parse-unterminated', locOf(s.toks[open]), [`body of '${fn.name}': missing '}'`], endOf(s.toks[open])));
  }
  fn.body = s.toks.slice(open, s.pos);
  fn.isDefinition = true;
  while (isTry && cur(s).kind === TokKind.Ident && cur(s).text === 'catch') {
    advance(s);
    if (atPunct(s, '(')) skipBalanced(s);
    if (atPunct(s, '{')) skipBalanced(s);
  }
  return true;
}

/** `T(x)`, `T{x}`, `= x`: the initializer of a C++ constant, kept when the variable is `constexpr` or `const` (a constant expression then). */
function declareCxxVariable(s: ParserState, spec: Spec, d: Declarator, type: CType, unitScope: boolean): VarDecl | undefined {
  const cxx = s.cxx!;
  const constant = spec.isConstexpr === true || spec.quals.const === true || type.const === true;
  let value: Expr | undefined;
  // The initializer's tokens are kept as in C (handler tables for the dispatch analysis).
  let initStart = -1;
  if (accept(s, '=')) {
    initStart = s.pos;
    if (constant && !atPunct(s, '{')) {
      value = parseCond(s);
      if (!atPunct(s, ',') && !atPunct(s, ';')) {
        value = undefined;
        skipInitializer(s);
      }
    } else if (constant && atPunct(s, '{')) value = parseBracedInit(s);
    else skipInitializer(s);
  } else if (atPunct(s, '{')) {
    initStart = s.pos;
    if (constant) value = parseBracedInit(s);
    else skipBalanced(s);
  }
  if (d.name === undefined || d.nameTok === undefined || d.qualifier) return undefined;
  const v: VarDecl = { name: d.name, type, loc: locOf(d.nameTok) };
  if (value) v.constant = value;
  if (initStart >= 0) v.init = s.toks.slice(initStart, s.pos);
  if (spec.isStatic && cxx.scope.kind === 'namespace') v.isStatic = true;
  if (cxx.scope.prefix) v.qualifiedName = cxx.scope.prefix + v.name;
  cxx.scope.names.set(v.name, { kind: 'value', ref: v });
  if (unitScope) s.unit.variables.push(v);
  return v;
}

/** `{ expr }` (one value): the expression; anything else is skipped. */
function parseBracedInit(s: ParserState): Expr | undefined {
  const open = s.pos;
  advance(s);
  if (atPunct(s, '}')) {
    advance(s);
    return { kind: 'num', value: 0n, loc: locOf(s.toks[open]), text: '0' };
  }
  const e = parseCond(s);
  if (accept(s, '}')) return e;
  s.pos = open;
  skipBalanced(s);
  return undefined;
}

// ----- C++ enumerations

/**
 * The enum or record a tag names for an enum-specifier: C's one tag name
 * space, or in C++ the current scope only (`here`, a definition) or the
 * scopes outwards (a reference).
 */
function enumTag(s: ParserState, tag: string, here: boolean): RecordDecl | EnumDecl | undefined {
  if (!s.cxx) return s.unit.tags.get(tag);
  const e = here ? s.cxx.scope.names.get(tag) : lookupUnqualified(s.cxx, tag);
  if (e?.kind !== 'type') return undefined;
  let t = e.type;
  for (let i = 0; i < 64 && t.kind === 'typedef'; i++) t = t.decl.type;
  return t.kind === 'enum' || t.kind === 'record' ? t.decl : undefined;
}

function declareEnumTag(s: ParserState, tag: string, e: EnumDecl, scoped: boolean): void {
  const cxx = s.cxx;
  if (!cxx) {
    s.unit.tags.set(tag, e);
    return;
  }
  if (scoped) e.scoped = true;
  if (cxx.scope.prefix) e.qualifiedName = cxx.scope.prefix + tag;
  cxx.scope.names.set(tag, { kind: 'type', type: { kind: 'enum', decl: e } });
  cxx.enumScopes.set(e, newScope('enum', tag, cxx.scope));
  declareInMaps(s, s.unit.tags, tag, e);
}

/** A C++ enumerator: in its enumeration's scope (`E::A`), and, unless the enum is scoped, in the enclosing one. */
function declareEnumerator(s: ParserState, e: EnumDecl, c: EnumConstant): void {
  const cxx = s.cxx!;
  const entity: Entity = { kind: 'value', ref: c };
  const own = cxx.enumScopes.get(e);
  own?.names.set(c.name, entity);
  if (own && own.name) s.unit.enumConstants.set(own.prefix + c.name, c);
  if (e.scoped) return;
  cxx.scope.names.set(c.name, entity);
  declareInMaps(s, s.unit.enumConstants, c.name, c);
}
