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
import type { Language } from './abi';
import { cRules, evaluateTokens } from './constexpr';
import { diag, type Diagnostic } from './diagnostics';
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
  type ParserState,
  peekAt,
  peekPunct,
  skipBalanced,
  syntaxError,
  tokensText,
} from './parse-state';
import { isSalAnnotationName, joinTypeText } from './parse-text';
import { TokKind, type Token } from './token';

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
  Wchar,
  Struct,
  Union,
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

function kw(t: Token): K | undefined {
  return t.kind === TokKind.Ident ? keywords.get(t.text) : undefined;
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
    abortAt: -1,
    nextRecordId: maxRecord + 1,
    nextEnumId: maxEnum + 1,
    isTypeStart,
    parseTypeName,
  };
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
  let externBlocks = 0;
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
        if (externBlocks > 0) externBlocks--;
        else syntaxError(s, 'parse-expected', cur(s), ['a declaration', '}']);
        advance(s);
        continue;
      }
    }
    if (kind === TokKind.Ident) {
      // extern "C" { ... } and extern "C" declaration
      if (text === 'extern' && s.kinds[Math.min(s.pos + 1, s.last)] === TokKind.String) {
        advance(s);
        advance(s);
        if (accept(s, '{')) externBlocks++;
        continue;
      }
    }
    try {
      if (isStaticAssertStart(s)) parseStaticAssert(s);
      else parseDeclaration(s);
    } catch (error) {
      // Only absurd nesting (`((((...))))` thousands deep) can exhaust the stack; report it and resume.
      s.paramScopes.length = 0;
      s.recordDepth = 0;
      s.errored = false;
      const why = isStackOverflow(error) ? 'nesting too deep' : String(error);
      syntaxError(s, 'parse-bad-declaration', s.toks[before], [why]);
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
  skipToSemicolon(s, { fileScope: true });
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
  /** `static` among the specifiers (file-local functions and variables, for the dispatch analysis). */
  isStatic?: boolean;
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
  return (isSalAnnotation(name) || isSalAnnotationName(name)) && lookupTypedef(s, name) === undefined;
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

/** A type specifier proper (not a qualifier): a type keyword, struct/union/enum, or a typedef name. */
function isTypeSpecifierStart(s: ParserState, t: Token): boolean {
  if (t.kind !== TokKind.Ident) return false;
  const k = keywords.get(t.text);
  if (k !== undefined) return k >= K.Void && k <= K.Enum;
  return lookupTypedef(s, t.text) !== undefined || builtinTypeName(t.text) !== undefined;
}

/** Whether `t` can start a type name (used for casts, `sizeof(type)` and parameter lists). */
function isTypeStart(s: ParserState, t: Token): boolean {
  if (t.kind !== TokKind.Ident) return false;
  const k = keywords.get(t.text);
  if (k !== undefined) {
    return (
      k === K.Const || k === K.Volatile || k === K.Restrict || k === K.Unaligned ||
      (k >= K.Void && k <= K.Enum) || k === K.Typeof || k === K.Extension
    );
  }
  return lookupTypedef(s, t.text) !== undefined || builtinTypeName(t.text) !== undefined;
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
function parseDeclspec(s: ParserState): number | undefined {
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
    // `_Alignas(type)`: the layout pass would have to work this out; keep nothing.
    parseTypeName(s);
  } else {
    parseCond(s);
    const r = evaluateTokens(s.toks.slice(start, s.pos), { rules: cRules });
    value = r.value?.value;
    if (value === undefined) {
      const why = r.error ? ` (${r.error})` : '';
      s.diagnostics.push(diag('parse-bad-constant', locOf(startTok), [tokensText(s, start, s.pos) + why], endOf(cur(s))));
    }
  }
  if (!accept(s, ')')) expected(s, "')'");
  return value === undefined || value <= 0n || value > 1n << 30n ? undefined : Number(value);
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
  while (kw(cur(s)) === K.Volatile) advance(s);
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
    if (s.kinds[s.pos] !== TokKind.Ident) break;
    const text = s.texts[s.pos];
    const t = s.toks[s.pos];
    const k = keywords.get(text);
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
      const td = lookupTypedef(s, text);
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
  if (k === undefined) return lookupTypedef(s, text) !== undefined && !isPunct(peekAt(s, 1), ';') && !isPunct(peekAt(s, 1), ',');
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
    const k = keywords.get(next.text);
    // `FOO __attribute__(...)`, `FOO __asm__(...)` are more likely a bad declarator.
    return k !== K.Attribute && k !== K.Asm;
  }
  if (isPunct(next, '*')) return true;
  // `VOID (NTAPI *Fn)(...)`, `VOID (*Fn)(...)`.
  if (isPunct(next, '(')) {
    const after = peekAt(s, 2);
    return isPunct(after, '*') || kw(after) === K.CallConv;
  }
  return false;
}

/** typeof-specifier: ('typeof' | '__typeof__') '(' (type-name | expression) ')' */
function parseTypeof(s: ParserState, t: Token): CType {
  if (!atPunct(s, '(')) return { kind: 'error', name: t.text };
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
function parseRecordAttributes(s: ParserState, attrs: { align?: number; packed: boolean }): void {
  for (;;) {
    if (s.kinds[s.pos] !== TokKind.Ident) return;
    const text = s.texts[s.pos];
    const k = keywords.get(text);
    if (k === K.Declspec) {
      const a = parseDeclspec(s);
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
function parseRecordSpecifier(s: ParserState, spec: Spec, kind: 'struct' | 'union'): void {
  const kwIndex = s.pos;
  const kwTok = advance(s);
  const attrs: { align?: number; packed: boolean } = { packed: false };
  parseRecordAttributes(s, attrs);
  let tagTok: Token | undefined;
  if (s.kinds[s.pos] === TokKind.Ident && keywords.get(s.texts[s.pos]) === undefined) tagTok = advance(s);
  parseRecordAttributes(s, attrs);
  // `struct DECLSPEC_FOO _TAG {`: an identifier followed by another one is an
  // attribute macro the preprocessor did not know; say so once and go on.
  if (tagTok && cur(s).kind === TokKind.Ident && keywords.get(cur(s).text) === undefined && peekPunct(s, 1, '{')) {
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
  if (tagTok) record.nameLoc = locOf(tagTok);
  const pack = s.packAt[kwIndex];
  if (pack) record.pack = pack;
  if (s.recordDepth > 0) record.nested = true;
  // `__declspec(align(n)) struct X {...}`: an alignment written before the keyword belongs to the record.
  if (spec.declAlign !== undefined) {
    record.declAlign = spec.declAlign;
    delete spec.declAlign;
  }
  parseRecordBody(s, record);
  parseRecordAttributes(s, attrs);
  if (attrs.align !== undefined) record.declAlign = attrs.align;
  if (attrs.packed || spec.packed) record.pack = 1;
  if (duplicateOf) {
    if (!sameRecord(duplicateOf, record) && tagTok) {
      s.diagnostics.push(diag('parse-redefinition', locOf(tagTok), [`${kind} ${tag}`], endOf(tagTok)));
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
    if (s.abortAt === s.pos || (t.kind === TokKind.Ident && startsFileScopeOnly(t.text))) {
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
    else parseMemberDeclaration(s, fields);
    if (s.pos === before) advance(s);
  }
  s.recordDepth--;
  // After an unterminated body the enclosing declaration has nothing more to say.
  s.errored = savedErrored || cur(s).kind === TokKind.EOF || s.abortAt === s.pos;
}

/** Words that begin a file-scope declaration and can never begin a struct member. */
function startsFileScopeOnly(text: string): boolean {
  const k = keywords.get(text);
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
  const base = specType(spec);
  if (spec.missingSemicolon) {
    syntaxError(s, 'parse-expected', s.toks[s.pos - 1], ["';' after the closing brace", '}']);
    if (base) pushAnonymousMember(s, spec, base, startTok, fields);
    return;
  }
  if (!base) {
    if (spec.annotations && accept(s, ';')) return;
    expected(s, 'a type name');
    recoverMember(s);
    return;
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
  return startsNewDeclaration(s, t.text, keywords.get(t.text));
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
  const attrs: { align?: number; packed: boolean } = { packed: false };
  parseRecordAttributes(s, attrs);
  let tagTok: Token | undefined;
  if (cur(s).kind === TokKind.Ident && keywords.get(cur(s).text) === undefined) tagTok = advance(s);
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
    const existing = s.unit.tags.get(tag);
    if (existing && !isRecord(existing)) e = existing;
    else if (!existing) {
      const fb = s.fallback?.tags.get(tag);
      if (fb && !isRecord(fb)) e = fb;
    }
    if (!e) {
      e = newEnum(s, tag, kwTok);
      s.unit.tags.set(tag, e);
    }
    if (underlying && e.underlying === undefined && s.unit.tags.get(tag) === e) e.underlying = underlying;
    spec.base = { kind: 'enum', decl: e };
    spec.tag = e;
    spec.tagFromFallback = s.unit.tags.get(tag) !== e;
    return;
  }
  spec.text.push(tag ?? '{...}');
  let e: EnumDecl;
  let duplicate = false;
  const existing = tag !== undefined ? s.unit.tags.get(tag) : undefined;
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
    if (tag !== undefined) s.unit.tags.set(tag, e);
  }
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
      const k = kw(cur(s));
      if (k === K.Attribute) parseAttribute(s);
      else if (k === K.Declspec) parseDeclspec(s);
      else break;
    }
    if (accept(s, '=')) c.value = parseCond(s);
    list.push(c);
    s.unit.enumConstants.set(c.name, c);
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
  | { k: 'func'; params: ParamDecl[]; variadic: boolean };

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
    const k = keywords.get(text);
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
  const k = keywords.get(t.text);
  if (k !== undefined) return k === K.CallConv || k === K.Declspec || k === K.Attribute || k === K.Ptr32 || k === K.Ptr64;
  if (isSal(s, t.text)) return false;
  if (mode === 'abstract') return false;
  return lookupTypedef(s, t.text) === undefined && builtinTypeName(t.text) === undefined;
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
  while (atPunct(s, '*') || atPunct(s, '&')) {
    advance(s);
    d.text.push('*');
    const op: Op & { k: 'ptr' } = { k: 'ptr', quals: {} };
    parseDeclaratorModifiers(s, d, op);
    ptrOps.push(op);
  }
  parseDeclaratorModifiers(s, d);
  let inner: Declarator | undefined;
  if (s.kinds[s.pos] === TokKind.Ident && mode !== 'abstract' && keywords.get(s.texts[s.pos]) === undefined) {
    let t = advance(s);
    if (
      looksLikeMacroName(t.text) &&
      s.kinds[s.pos] === TokKind.Ident &&
      keywords.get(s.texts[s.pos]) === undefined &&
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
    inner = parseDeclarator(s, mode);
    d.text.push(...inner.text);
    if (inner.annotations) (d.annotations ??= []).push(...inner.annotations);
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
      while (kw(cur(s)) === K.Storage || kw(cur(s)) === K.Const || kw(cur(s)) === K.Volatile || kw(cur(s)) === K.Restrict) advance(s);
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
      suffixOps.push({ k: 'func', params: fn.params, variadic: fn.variadic });
      continue;
    }
    break;
  }
  d.end = s.pos;
  // Apply order: the pointers next to the base first, then the suffixes from right to left, then the inner declarator.
  d.ops = ptrOps;
  for (let i = suffixOps.length - 1; i >= 0; i--) d.ops.push(suffixOps[i]);
  if (inner) d.ops.push(...inner.ops);
  return d;
}

/**
 * parameter-list: '(' ')' | '(' 'void' ')' | '(' parameter (',' parameter)* (',' '...')? ')'
 * parameter: declaration-specifiers (declarator | abstract-declarator)?
 */
function parseParameterList(s: ParserState): { params: ParamDecl[]; variadic: boolean; text: string } {
  advance(s);
  const params: ParamDecl[] = [];
  const texts: string[] = [];
  let variadic = false;
  if (accept(s, ')')) return { params, variadic, text: '()' };
  if (kw(cur(s)) === K.Void && peekPunct(s, 1, ')')) {
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
    const type = applyDeclarator(base, d, spec.callconv);
    const p: ParamDecl = { type, loc: d.nameTok ? locOf(d.nameTok) : locOf(startTok) };
    if (d.name !== undefined) {
      if (lookupTypedef(s, d.name) !== undefined) {
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
    const k = keywords.get(text);
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
    } else {
      const f: CType = { kind: 'function', ret: t, params: op.params, variadic: op.variadic };
      if (callconv) {
        f.callconv = callconv;
        callconv = undefined;
      }
      t = f;
    }
  }
  return t;
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
  const base = specType(spec);
  if (spec.missingSemicolon) {
    syntaxError(s, 'parse-expected', s.toks[s.pos - 1], ["';' after the closing brace", '}']);
    return;
  }
  if (!base) {
    // `_Analysis_mode_(_Analysis_code_type_kernel_driver_);`: an annotation on its own.
    if (spec.annotations && accept(s, ';')) return;
    const t = cur(s);
    if (t.kind === TokKind.Ident && keywords.get(t.text) === undefined) {
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
    const k = keywords.get(s.texts[i]);
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
  s.unit.typedefs.set(name, td);
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
