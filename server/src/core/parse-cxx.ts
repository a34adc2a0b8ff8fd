/**
 * C++ for the declaration parser: scopes and name lookup, qualified names,
 * template arguments and instantiation, C++11 attributes, and the spelling
 * clang gives template arguments. The grammar of C++ declarations
 * (namespaces, `using`, templates, class members) lives in parser.ts beside
 * the C grammar it extends; this file holds the model it works on.
 *
 * Scopes. Every namespace, class, enumeration and template parameter list
 * is a `Scope` with a map of the names declared in it (`Entity`: a type, a
 * namespace, a class template, a constant, a function). Unqualified lookup
 * walks from the innermost scope outwards; in each scope it also looks
 * through inline and anonymous namespaces, base classes and
 * using-directives (an approximation of C++'s rules that is exact for the
 * headers drivers write). Qualified names (`contoso::ioctl::ReadRequest`,
 * `::ULONG`, `Buf<ULONG, 4>::value_type`) are read by `parseQualifiedName`,
 * which resolves each component as it goes. Names the translation unit
 * never declares fall back to the prelude, as in C.
 *
 * Templates. A class template keeps the index of its definition in the
 * token array. Naming `Buf<ULONG, 4>` as a type instantiates it: the
 * parser replays the definition's tokens with a scope that binds the
 * parameters to the arguments (`T` to `ULONG`, `N` to the expression `4`),
 * producing an ordinary record named as clang names it (`Buf<unsigned long,
 * 4>`), memoised per argument list. Explicit specializations
 * (`template <> struct X<1> {...}`) are parsed in place and chosen by their
 * arguments. Function templates, member templates and partial
 * specializations are skipped (the latter with a diagnostic). Non-type
 * arguments are evaluated at parse time when they are literal arithmetic,
 * enumerators or constants; `sizeof` arguments stay expressions (the layout
 * pass evaluates them per ABI) and are keyed by their text.
 *
 * Every entry point restores the cursor on failure, reports at most one
 * diagnostic per problem and never throws on bad input.
 */

import type { CType, EnumConstant, EnumDecl, Expr, RecordDecl, VarDecl } from './ast';
import { diag } from './diagnostics';
import { parseCond } from './parse-expr';
import {
  accept,
  advance,
  atPunct,
  cur,
  endOf,
  locOf,
  type ParserState,
  peekAt,
  skipBalanced,
  tokensText,
} from './parse-state';
import type { Loc } from './source';
import { TokKind, type Token } from './token';
import { integerName } from './types';

// ---------------------------------------------------------------------------
// The scope model

export type Entity =
  | { kind: 'type'; type: CType }
  | { kind: 'namespace'; scope: Scope }
  /** `injected`: the template's name inside one of its instances, meaning that instance unless `<` follows. */
  | { kind: 'template'; template: ClassTemplate; injected?: RecordDecl }
  | { kind: 'value'; ref: EnumConstant | VarDecl }
  | { kind: 'function'; name: string };

export interface Scope {
  kind: 'namespace' | 'class' | 'enum' | 'template';
  /** The scope's own name (`ioctl`), '' for the global scope; `(anonymous namespace)` for an unnamed one. */
  name: string;
  /** What the names declared here are prefixed with: `contoso::ioctl::` ('' at global scope). */
  prefix: string;
  parent?: Scope;
  names: Map<string, Entity>;
  /** Namespaces nominated by using-directives here. */
  usings?: Scope[];
  /** Inline and anonymous namespaces whose members are also members of this one. */
  inlines?: Scope[];
  /** Class scopes of the direct base classes (class scopes only). */
  bases?: Scope[];
  /** The class a class scope belongs to. */
  record?: RecordDecl;
  /**
   * The same namespace in the unit parsed before this one (the language
   * server's preamble, handed over as the fallback): its members are this
   * scope's too, as a namespace reopened in the same file would be.
   */
  twin?: Scope;
}

export interface TemplateParam {
  kind: 'type' | 'value' | 'template';
  name?: string;
  /** `typename... Ts`. */
  pack: boolean;
  /** A value parameter's type (`ULONG N`, `bool B`). */
  type?: CType;
  /** Token range of the default argument, replayed when an argument is left out. */
  defaultRange?: [number, number];
}

export interface ClassTemplate {
  name: string;
  qualifiedName: string;
  /** The scope the template was declared in (its definition is replayed there). */
  scope: Scope;
  params: TemplateParam[];
  /** Token index of the class key of the primary definition; -1 while the template is only declared. */
  pattern: number;
  /** For an alias template (`template <class T> using P = T *;`): token index of the type-id. */
  alias?: number;
  /**
   * The token arrays `pattern`, `alias` and default arguments index into: the
   * parse that declared the template, which may be an earlier one (the
   * language server's preamble) than the parse instantiating it.
   */
  source: Pick<ParserState, 'toks' | 'kinds' | 'texts' | 'packAt' | 'last'>;
  /** Explicit (full) specializations and instantiations, by argument key. */
  specializations: Map<string, RecordDecl>;
  instances: Map<string, CType>;
  loc: Loc;
}

/** A template argument: a type, or a constant expression (with its value when known at parse time). */
export type TemplateArg = { kind: 'type'; type: CType } | { kind: 'value'; expr: Expr; value?: bigint };

export interface CxxState {
  global: Scope;
  scope: Scope;
  classScopes: Map<RecordDecl, Scope>;
  enumScopes: Map<EnumDecl, Scope>;
  /** What each `{` still open at namespace level belongs to (a `}` closes the innermost; a namespace restores `restore`). */
  blocks: ({ kind: 'extern' } | { kind: 'namespace'; restore: Scope })[];
  /** Nesting of template instantiations in progress. */
  instantiating: number;
  /** Set while a template definition is replayed: the name the record gets and where it is registered. */
  instance?: { name: string; template: ClassTemplate; key: string };
  /** Index of a `>>` whose first `>` closed a template argument list (the second is still to come). */
  splitAt: number;
  /** Parses the record definition starting at token `index` (a class key) as `instance`; provided by parser.ts. */
  replayRecord(s: ParserState, index: number): RecordDecl | undefined;
  /**
   * Evaluates a constant expression with the unit's ABI (`sizeof(T)`,
   * `alignof(double)`), for template arguments and alignments that must be
   * known while parsing; absent when the parser was not given an ABI.
   */
  evaluate?(e: Expr): bigint | undefined;
}

/** How deep template instantiations may nest before they stop (clang's default is 1024; headers need a few). */
export const maxInstantiationDepth = 64;

export function newScope(kind: Scope['kind'], name: string, parent: Scope | undefined, record?: RecordDecl): Scope {
  const prefix = parent === undefined ? '' : kind === 'template' ? parent.prefix : `${parent.prefix}${name}::`;
  const scope: Scope = { kind, name, prefix, names: new Map() };
  if (parent) scope.parent = parent;
  if (record) scope.record = record;
  return scope;
}

export function createCxxState(replayRecord: CxxState['replayRecord'], earlier?: Scope): CxxState {
  const global = newScope('namespace', '', undefined);
  if (earlier) {
    global.twin = earlier;
    global.inlines = [earlier];
  }
  return { global, scope: global, classScopes: new Map(), enumScopes: new Map(), blocks: [], instantiating: 0, splitAt: -1, replayRecord };
}

/** The nearest enclosing namespace scope (where C++ puts names first declared by an elaborated type specifier). */
export function namespaceScope(scope: Scope): Scope {
  let s: Scope = scope;
  while ((s.kind === 'class' || s.kind === 'enum' || s.kind === 'template') && s.parent) s = s.parent;
  return s;
}

/** Looks `name` up in one scope: its own names, then inline/anonymous namespaces, base classes and using-directives. */
export function lookupIn(scope: Scope, name: string, seen?: Set<Scope>): Entity | undefined {
  const own = scope.names.get(name);
  if (own !== undefined) return own;
  if (scope.inlines === undefined && scope.bases === undefined && scope.usings === undefined) return undefined;
  seen ??= new Set();
  if (seen.has(scope)) return undefined;
  seen.add(scope);
  for (const group of [scope.inlines, scope.bases, scope.usings]) {
    if (group === undefined) continue;
    for (const inner of group) {
      const found = lookupIn(inner, name, seen);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Unqualified lookup from the current scope outwards (the prelude is the caller's fallback). */
export function lookupUnqualified(cxx: CxxState, name: string): Entity | undefined {
  for (let scope: Scope | undefined = cxx.scope; scope; scope = scope.parent) {
    const found = lookupIn(scope, name);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The scope a name component opens for `::` (a namespace, class or enumeration), if any. */
export function scopeOf(cxx: CxxState, entity: Entity | undefined): Scope | undefined {
  if (entity === undefined) return undefined;
  if (entity.kind === 'namespace') return entity.scope;
  if (entity.kind !== 'type') return undefined;
  let t = entity.type;
  for (let i = 0; i < 64 && t.kind === 'typedef'; i++) t = t.decl.type;
  if (t.kind === 'record') return cxx.classScopes.get(t.decl);
  if (t.kind === 'enum') return cxx.enumScopes.get(t.decl);
  return undefined;
}

/** The record a type names directly or through typedefs. */
export function recordOfType(t: CType): RecordDecl | undefined {
  for (let i = 0; i < 64; i++) {
    if (t.kind === 'record') return t.decl;
    if (t.kind !== 'typedef') return undefined;
    t = t.decl.type;
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Attributes

/** `[[ ... ]]` at the cursor (C++11 attributes, C23 too): skipped whole. Returns whether one was. */
export function skipCxxAttributes(s: ParserState): boolean {
  let skipped = false;
  while (atPunct(s, '[') && s.kinds[Math.min(s.pos + 1, s.last)] === TokKind.Punct && s.texts[Math.min(s.pos + 1, s.last)] === '[') {
    skipBalanced(s);
    skipped = true;
  }
  return skipped;
}

// ---------------------------------------------------------------------------
// Template arguments

/** A `>` that closes a template argument list; a `>>` closes two (its halves, one call each). */
export function acceptCloseAngle(s: ParserState): boolean {
  const cxx = s.cxx!;
  if (atPunct(s, '>')) {
    advance(s);
    return true;
  }
  if (atPunct(s, '>>')) {
    if (cxx.splitAt === s.pos) {
      cxx.splitAt = -1;
      advance(s);
    } else cxx.splitAt = s.pos;
    return true;
  }
  return false;
}

/** At a `>` or `>>` (a list's end)? */
function atCloseAngle(s: ParserState): boolean {
  return atPunct(s, '>') || atPunct(s, '>>');
}

/**
 * template-argument-list: '<' (template-argument (',' template-argument)* '...'?)? '>'
 * template-argument: type-id | constant-expression
 * Returns undefined (cursor after the list or where it gave up) when the list is malformed.
 */
export function parseTemplateArgs(s: ParserState): TemplateArg[] | undefined {
  advance(s);
  const args: TemplateArg[] = [];
  if (acceptCloseAngle(s)) return args;
  for (;;) {
    const before = s.pos;
    if (s.isTypeStart(s, cur(s))) args.push({ kind: 'type', type: s.parseTypeName(s) });
    else {
      const saved = s.noGreater;
      s.noGreater = true;
      const expr = parseCond(s);
      s.noGreater = saved;
      args.push({ kind: 'value', expr });
    }
    accept(s, '...');
    if (accept(s, ',')) {
      if (s.pos === before) return undefined;
      continue;
    }
    if (acceptCloseAngle(s)) return args;
    // Malformed: skip to the matching `>` so the rest of the declaration still reads.
    skipToCloseAngle(s);
    return undefined;
  }
}

/** Skips to (and past) the `>` closing the current template argument list, or stops before `;`, `{`, `}`. */
function skipToCloseAngle(s: ParserState): void {
  let depth = 0;
  while (s.pos < s.last) {
    if (atCloseAngle(s) && depth === 0) {
      acceptCloseAngle(s);
      return;
    }
    if (atPunct(s, '<')) depth++;
    else if (atPunct(s, '>')) depth--;
    else if (atPunct(s, '(') || atPunct(s, '[')) {
      skipBalanced(s);
      continue;
    } else if (atPunct(s, ';') || atPunct(s, '{') || atPunct(s, '}')) return;
    advance(s);
  }
}

// ---------------------------------------------------------------------------
// Spelling types and values as clang prints template arguments

function quals(t: { const?: boolean; volatile?: boolean }): string {
  return (t.const ? 'const ' : '') + (t.volatile ? 'volatile ' : '');
}

/**
 * The canonical spelling of a type as clang prints it inside a template
 * argument list in `-fdump-record-layouts`: typedefs resolved, tag keywords
 * kept (`struct ns::H`), `_Bool`, `T *`, `void (*)(int)`, `unsigned long[2]`.
 */
export function clangTypeSpelling(type: CType): string {
  return spell(type, '');
}

function spell(t: CType, inner: string): string {
  const join = (base: string) => (inner ? `${base} ${inner}` : base);
  switch (t.kind) {
    case 'typedef':
      return spell({ ...t.decl.type, ...(t.const ? { const: true } : {}), ...(t.volatile ? { volatile: true } : {}) } as CType, inner);
    case 'void':
      return join(quals(t) + 'void');
    case 'bool':
      return join(quals(t) + '_Bool');
    case 'int':
      return join(quals(t) + (!t.wchar && t.cxxName ? t.cxxName : integerName(t, 'clang')));
    case 'float':
      return join(quals(t) + ({ float: 'float', double: 'double', longdouble: 'long double' } as const)[t.rank]);
    case 'record': {
      const key = t.decl.cxx?.isClass ? 'class' : t.decl.kind;
      return join(`${quals(t)}${key} ${recordSpellingName(t.decl)}`);
    }
    case 'enum':
      return join(`${quals(t)}enum ${t.decl.qualifiedName ?? t.decl.tag ?? t.decl.typedefs[0] ?? '(anonymous)'}`);
    case 'pointer': {
      const q = ((t.const ? 'const ' : '') + (t.volatile ? 'volatile ' : '')).trimEnd();
      const star = `*${q}${inner ? (q ? ' ' : '') + inner : ''}`;
      const to = t.to.kind === 'typedef' ? resolved(t.to) : t.to;
      if (to.kind === 'function' || to.kind === 'array') return spell(to, `(${star})`);
      return spell(to, star);
    }
    case 'array': {
      const n = t.length === undefined ? '' : t.length.kind === 'num' ? t.length.value.toString() : '?';
      return spell(t.of, `${inner}[${n}]`).replace(/ \[/, '[');
    }
    case 'function': {
      const params = t.params.map((p) => clangTypeSpelling(p.type));
      if (t.variadic) params.push('...');
      return spell(t.ret, `${inner}(${params.join(', ')})`);
    }
    case 'error':
      return join(t.name);
  }
}

function resolved(t: CType): CType {
  for (let i = 0; i < 64 && t.kind === 'typedef'; i++) t = t.decl.type;
  return t;
}

function recordSpellingName(r: RecordDecl): string {
  return r.cxx?.qualifiedName ?? r.tag ?? r.typedefs.find((n) => !n.startsWith('*')) ?? '(anonymous)';
}

/** The key (and display form) of an argument list: `unsigned long, 4`; nested lists close with `> >` as clang prints them. */
export function argumentsKey(args: readonly TemplateArg[], params: readonly TemplateParam[], enumName: (e: EnumDecl, v: bigint) => string | undefined): string[] {
  return args.map((a, i) => {
    if (a.kind === 'type') return clangTypeSpelling(a.type);
    const p = params[Math.min(i, params.length - 1)];
    if (a.value === undefined) return tokensOfExpr(a.expr);
    const t = p?.type ? resolved(p.type) : undefined;
    if (t?.kind === 'bool') return a.value !== 0n ? 'true' : 'false';
    if (t?.kind === 'enum') return enumName(t.decl, a.value) ?? `(${t.decl.qualifiedName ?? t.decl.tag})${a.value}`;
    if (t?.kind === 'int' && t.rank === 'char' && !t.wchar && a.value >= 32n && a.value < 127n) return `'${String.fromCharCode(Number(a.value))}'`;
    return a.value.toString();
  });
}

function tokensOfExpr(e: Expr): string {
  switch (e.kind) {
    case 'num':
      return e.value.toString();
    case 'name':
      return e.name;
    case 'opaque':
      return e.text;
    case 'sizeof':
      return `sizeof(${clangTypeSpelling(e.type)})`;
    case 'alignof':
      return `alignof(${clangTypeSpelling(e.type)})`;
    case 'unary':
      return `${e.op}${tokensOfExpr(e.arg)}`;
    case 'binary':
      return `${tokensOfExpr(e.left)} ${e.op} ${tokensOfExpr(e.right)}`;
    case 'cast':
      return `(${clangTypeSpelling(e.type)})${tokensOfExpr(e.arg)}`;
    default:
      return '?';
  }
}

/** `Name<a, b>` with clang's `> >` for a nested closing bracket. */
export function templateIdText(name: string, args: readonly string[]): string {
  const inner = args.join(', ');
  return `${name}<${inner}${inner.endsWith('>') ? ' ' : ''}>`;
}

// ---------------------------------------------------------------------------
// Parse-time constant values (template arguments, keys)

/**
 * The value of a constant expression when it can be known before layout:
 * literals, operators, casts to integer types, enumerators and constants
 * whose initialisers are such expressions. `sizeof`/`alignof` are per ABI:
 * undefined.
 */
export function parseTimeValue(e: Expr, depth = 0): bigint | undefined {
  if (depth > 32) return undefined;
  switch (e.kind) {
    case 'num':
      return e.value;
    case 'name': {
      const ref = e.ref;
      if (ref === undefined) return undefined;
      if ('parent' in ref) return enumeratorValue(ref, depth + 1);
      return ref.constant ? parseTimeValue(ref.constant, depth + 1) : undefined;
    }
    case 'unary': {
      const v = parseTimeValue(e.arg, depth + 1);
      if (v === undefined) return undefined;
      return e.op === '-' ? -v : e.op === '+' ? v : e.op === '~' ? ~v : v === 0n ? 1n : 0n;
    }
    case 'cast':
      return parseTimeValue(e.arg, depth + 1);
    case 'cond': {
      const c = parseTimeValue(e.test, depth + 1);
      return c === undefined ? undefined : parseTimeValue(c !== 0n ? e.then : e.else, depth + 1);
    }
    case 'binary': {
      const a = parseTimeValue(e.left, depth + 1);
      const b = parseTimeValue(e.right, depth + 1);
      if (a === undefined || b === undefined) return undefined;
      switch (e.op) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': return b === 0n ? undefined : a / b;
        case '%': return b === 0n ? undefined : a % b;
        case '<<': return b < 0n || b > 127n ? undefined : a << b;
        case '>>': return b < 0n || b > 127n ? undefined : a >> b;
        case '&': return a & b;
        case '|': return a | b;
        case '^': return a ^ b;
        case '==': return a === b ? 1n : 0n;
        case '!=': return a !== b ? 1n : 0n;
        case '<': return a < b ? 1n : 0n;
        case '>': return a > b ? 1n : 0n;
        case '<=': return a <= b ? 1n : 0n;
        case '>=': return a >= b ? 1n : 0n;
        case '&&': return a !== 0n && b !== 0n ? 1n : 0n;
        case '||': return a !== 0n || b !== 0n ? 1n : 0n;
      }
      return undefined;
    }
  }
  return undefined;
}

function enumeratorValue(c: EnumConstant, depth: number): bigint | undefined {
  const list = c.parent.enumerators ?? [c];
  let i = list.indexOf(c);
  let add = 0n;
  while (i > 0 && list[i].value === undefined) {
    i--;
    add++;
  }
  if (i < 0) return undefined;
  const first = list[i];
  const base = first.value === undefined ? 0n : parseTimeValue(first.value, depth + 1);
  return base === undefined ? undefined : base + add;
}

/** A constant's value while parsing: literal arithmetic and constants, else the ABI's answer (`sizeof(T)`) when known. */
export function constantValue(cxx: CxxState, e: Expr): bigint | undefined {
  return parseTimeValue(e) ?? cxx.evaluate?.(e);
}

/** The qualified name of the enumerator of `e` with value `v` (`ns::E::B`), as clang prints enum template arguments. */
export function enumeratorName(e: EnumDecl, v: bigint): string | undefined {
  for (const c of e.enumerators ?? []) {
    if (enumeratorValue(c, 0) === v) {
      const prefix = e.scoped ? `${e.qualifiedName ?? e.tag}::` : (e.qualifiedName ?? '').replace(/[^:]*$/, '');
      return prefix + c.name;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Qualified names

export interface QualifiedName {
  /** What the whole name denotes, when it was found. */
  entity?: Entity;
  /** The name as written, spacing normalised (`ns::Buf<ULONG, 4>`). */
  text: string;
  /** The last component (`OnRead`, `~Device`, `operator=`) and its token. */
  last: string;
  lastTok: Token;
  /** The scope the last component was looked up in, for qualified names. */
  qualifier?: Scope;
  /** `X::X` / `~X`: a constructor or destructor of the class `qualifier` (or the class being defined). */
  special?: 'ctor' | 'dtor';
  /** A qualifier that names nothing known (an undeclared namespace, a dependent `T::`). */
  unknownQualifier?: string;
}

/**
 * qualified-name: '::'? (component '::')* (component | '~' identifier | 'operator' ...)
 * component: identifier ('<' template-argument-list '>')?
 *
 * Reads and resolves a possibly qualified name at the cursor, instantiating
 * templates it names. Returns undefined, with the cursor unchanged, when
 * the cursor is not at a name. `operatorName` reads an `operator` id (provided by the caller).
 */
export function parseQualifiedName(
  s: ParserState,
  fallbackLookup: (name: string) => Entity | undefined,
  operatorName?: (s: ParserState) => string | undefined,
): QualifiedName | undefined {
  const cxx = s.cxx!;
  const start = s.pos;
  let scope: Scope | undefined;
  if (atPunct(s, '::')) {
    const next = peekAt(s, 1);
    if (next.kind !== TokKind.Ident && !(next.kind === TokKind.Punct && next.text === '~')) return undefined;
    advance(s);
    scope = cxx.global;
  }
  for (;;) {
    const t = cur(s);
    if (t.kind === TokKind.Punct && t.text === '~' && peekAt(s, 1).kind === TokKind.Ident) {
      advance(s);
      const nameTok = advance(s);
      return { text: tokensText(s, start, s.pos), last: `~${nameTok.text}`, lastTok: nameTok, qualifier: scope, special: 'dtor' };
    }
    if (t.kind !== TokKind.Ident) {
      s.pos = start;
      return undefined;
    }
    if (t.text === 'operator' && operatorName) {
      advance(s);
      const op = operatorName(s);
      if (op === undefined) {
        s.pos = start;
        return undefined;
      }
      return { text: tokensText(s, start, s.pos), last: op, lastTok: t, qualifier: scope };
    }
    if (t.text === 'template' && scope) advance(s);
    const nameTok = advance(s);
    const name = nameTok.text;
    let entity = scope ? lookupIn(scope, name) : (lookupUnqualified(cxx, name) ?? fallbackLookup(name));
    if (atPunct(s, '<') && entity?.kind === 'template') {
      const args = parseTemplateArgs(s);
      entity = args === undefined ? undefined : instantiateTemplate(s, entity.template, args, nameTok);
    } else if (entity?.kind === 'template' && entity.injected) entity = { kind: 'type', type: { kind: 'record', decl: entity.injected } };
    if (atPunct(s, '::')) {
      const after = peekAt(s, 1);
      const continues = after.kind === TokKind.Ident || (after.kind === TokKind.Punct && after.text === '~');
      if (continues) {
        const inner = scopeOf(cxx, entity);
        if (inner === undefined) {
          // `T::type` with T dependent, or an undeclared namespace: read the rest and report what is unknown.
          const unknown = tokensText(s, start, s.pos);
          advance(s);
          const rest = parseQualifiedName(s, () => undefined, operatorName);
          const lastTok = rest?.lastTok ?? nameTok;
          return { text: tokensText(s, start, s.pos), last: rest?.last ?? name, lastTok, unknownQualifier: unknown };
        }
        advance(s);
        // `X::X(` names X's constructor.
        const next = cur(s);
        if (inner.kind === 'class' && next.kind === TokKind.Ident && next.text === inner.name && peekAt(s, 1).kind === TokKind.Punct && peekAt(s, 1).text === '(') {
          advance(s);
          return { text: tokensText(s, start, s.pos), last: next.text, lastTok: next, qualifier: inner, special: 'ctor' };
        }
        scope = inner;
        continue;
      }
    }
    const result: QualifiedName = { text: tokensText(s, start, s.pos), last: name, lastTok: nameTok };
    if (entity) result.entity = entity;
    if (scope) result.qualifier = scope;
    return result;
  }
}

/**
 * Instantiates `template` for `args` (or finds the specialization or the
 * earlier instance): a type entity, or undefined after a diagnostic.
 */
export function instantiateTemplate(s: ParserState, template: ClassTemplate, args: TemplateArg[], at: Token): Entity | undefined {
  const cxx = s.cxx!;
  const params = template.params;
  const bound = [...args];
  // Default arguments, replayed in a scope that sees the earlier parameters.
  for (let i = bound.length; i < params.length; i++) {
    const p = params[i];
    if (p.pack) break;
    if (!p.defaultRange) {
      s.diagnostics.push(diag('cxx-template-args', locOf(at), [template.qualifiedName, `needs ${params.filter((q) => !q.pack).length} arguments, ${args.length} given`], endOf(at)));
      return undefined;
    }
    const arg = replay(s, template, bound, p.defaultRange[0], () => {
      if (p.kind === 'type') return { kind: 'type' as const, type: s.parseTypeName(s) };
      // A default is a template argument: its `>` ends it.
      s.noGreater = true;
      return { kind: 'value' as const, expr: parseCond(s) };
    });
    if (arg === undefined) return undefined;
    bound.push(arg);
  }
  if (bound.length > params.length && !params.some((p) => p.pack)) {
    s.diagnostics.push(diag('cxx-template-args', locOf(at), [template.qualifiedName, `takes ${params.length} arguments, ${bound.length} given`], endOf(at)));
    return undefined;
  }
  for (const a of bound) if (a.kind === 'value') a.value = constantValue(cxx, a.expr);
  const keys = argumentsKey(bound, params, enumeratorName);
  const key = keys.join(', ');
  const special = template.specializations.get(key);
  if (special) return { kind: 'type', type: { kind: 'record', decl: special } };
  const known = template.instances.get(key);
  if (known) return { kind: 'type', type: known };
  if (cxx.instantiating >= maxInstantiationDepth) {
    s.diagnostics.push(diag('cxx-template-depth', locOf(at), [templateIdText(template.qualifiedName, keys), maxInstantiationDepth], endOf(at)));
    return undefined;
  }
  if (template.alias !== undefined) {
    const type = replay(s, template, bound, template.alias, () => s.parseTypeName(s));
    if (type === undefined) return undefined;
    template.instances.set(key, type);
    return { kind: 'type', type };
  }
  // A template only declared so far gets an incomplete record with the instance's name (-1: no definition to read).
  const savedInstance = cxx.instance;
  cxx.instance = { name: templateIdText(template.name, keys), template, key };
  const record = replay(s, template, bound, template.pattern, () => cxx.replayRecord(s, template.pattern));
  cxx.instance = savedInstance;
  if (!record) return undefined;
  return { kind: 'type', type: { kind: 'record', decl: record } };
}

/** Where the parser reads (whose tokens, which one), with the per-declaration state that goes with it. */
interface Cursor {
  parser: Pick<ParserState, 'toks' | 'kinds' | 'texts' | 'packAt' | 'last' | 'pos' | 'errored' | 'recordDepth' | 'abortAt' | 'noGreater' | 'paramScopes'>;
  cxx: Pick<CxxState, 'scope' | 'splitAt'>;
}

function cursorOf(s: ParserState, cxx: CxxState): Cursor {
  const { toks, kinds, texts, packAt, last, pos, errored, recordDepth, abortAt, noGreater, paramScopes } = s;
  return { parser: { toks, kinds, texts, packAt, last, pos, errored, recordDepth, abortAt, noGreater, paramScopes }, cxx: { scope: cxx.scope, splitAt: cxx.splitAt } };
}

function moveTo(s: ParserState, cxx: CxxState, to: Cursor): void {
  Object.assign(s, to.parser);
  Object.assign(cxx, to.cxx);
}

/**
 * Runs `read` with the cursor at token `index`, in a scope binding the
 * template's parameters to `args`, then puts the parser back exactly where
 * it was.
 */
function replay<T>(s: ParserState, template: ClassTemplate, args: readonly TemplateArg[], index: number, read: () => T): T | undefined {
  const cxx = s.cxx!;
  const saved = cursorOf(s, cxx);
  const bindings = newScope('template', '', template.scope);
  template.params.forEach((p, i) => {
    if (p.name === undefined) return;
    const a = args[i];
    if (p.pack || a === undefined) bindings.names.set(p.name, { kind: 'type', type: { kind: 'error', name: p.name } });
    else if (a.kind === 'type') bindings.names.set(p.name, { kind: 'type', type: a.type });
    else bindings.names.set(p.name, { kind: 'value', ref: { name: p.name, type: p.type ?? { kind: 'int', rank: 'int', signed: true }, loc: template.loc, constant: a.expr } });
  });
  cxx.instantiating++;
  // The template's own tokens (another parse's, for a template from the preamble), from a fresh declaration state.
  const { toks, kinds, texts, packAt, last } = template.source;
  moveTo(s, cxx, {
    parser: { toks, kinds, texts, packAt, last, pos: index, errored: false, recordDepth: 0, abortAt: -1, noGreater: false, paramScopes: [] },
    cxx: { scope: bindings, splitAt: -1 },
  });
  try {
    return read();
  } finally {
    cxx.instantiating--;
    moveTo(s, cxx, saved);
  }
}
