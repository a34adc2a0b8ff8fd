/**
 * Which language a file is read as: C or C++. Every front end asks here, so
 * the CLI, the language server and the project model cannot disagree.
 *
 * The answer, strongest evidence first:
 *
 *  1. an explicit choice: `--language`, the `ioctlLens.language` setting or
 *     `"language"` in `.ioctl-lens.json` (`auto` leaves it to the rest);
 *  2. how the build compiles the file: `-x c++`, `/TP`, `/Tp`, `-std=c++17`,
 *     `/std:c++17`, a C++ compiler driver (`clang++`), or `/Tc`, `-x c`,
 *     `-std=c11` (`languageFromArgs`, read from `compile_commands.json`);
 *  3. the file's extension: `.c` is C; `.cpp`, `.cc`, `.cxx`, `.c++`, `.hpp`,
 *     `.hh`, `.hxx`, `.h++`, `.ipp`, `.inl`, `.tpp` are C++;
 *  4. for a header whose extension does not say (`.h`): the editor's language
 *     id when it is `c` (VS Code gives every `.h` the id `cpp`, so `cpp` is
 *     no evidence), else the language of the driver's sources when they all
 *     agree, else what the header itself uses: C++-only declarations
 *     (`namespace`, `class X {`, `template <`, `public:` ...) outside
 *     `#if`/`#ifdef` blocks that test `__cplusplus`;
 *  5. else C.
 */

import type { Language } from './abi';
import { lex } from './lexer';
import { TokKind, type Token } from './token';

export type LanguageSetting = Language | 'auto';

export interface LanguageHints {
  /** An explicit choice; `auto` (or absent) leaves it to the other evidence. */
  setting?: LanguageSetting;
  /** What the build's compiler flags say (`languageFromArgs`). */
  compileFlags?: Language;
  /** The editor's language id (`c`, `cpp`). */
  languageId?: string;
  /** The language of the driver's sources, when they all agree (a `.h` of a C++ driver is C++). */
  projectLanguage?: Language;
  /** The file's text, read for a header whose extension does not say. */
  text?: string;
  /**
   * The text's tokens, when the caller has them lexed (`analyze.ts`'s
   * `lexedTokens`, through the session's cache, so the analysis does not
   * lex the file again); asked only when the text is read.
   */
  tokens?: () => readonly Token[];
}

const cExtensions = new Set(['c', 'i']);
const cxxExtensions = new Set(['cpp', 'cc', 'cxx', 'c++', 'cp', 'hpp', 'hh', 'hxx', 'h++', 'ipp', 'inl', 'tpp', 'txx', 'ixx', 'cppm', 'ii']);

/** C or C++ by extension alone; undefined for `.h` and anything else that does not say. */
export function languageOfExtension(path: string): Language | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  if (dot < 0) return undefined;
  const ext = name.slice(dot + 1).toLowerCase();
  if (cExtensions.has(ext)) return 'c';
  if (cxxExtensions.has(ext)) return 'cpp';
  return undefined;
}

export function isLanguageSetting(s: unknown): s is LanguageSetting {
  return s === 'c' || s === 'cpp' || s === 'auto';
}

/** `c++`, `cxx`, `C++` ... as the CLI and configuration files accept them. */
export function parseLanguage(s: string): LanguageSetting | undefined {
  const v = s.trim().toLowerCase();
  if (v === 'c') return 'c';
  if (v === 'cpp' || v === 'c++' || v === 'cxx') return 'cpp';
  if (v === 'auto') return 'auto';
  return undefined;
}

export function languageFor(path: string, hints: LanguageHints = {}): Language {
  if (hints.setting === 'c' || hints.setting === 'cpp') return hints.setting;
  if (hints.compileFlags) return hints.compileFlags;
  const byExtension = languageOfExtension(path);
  if (byExtension) return byExtension;
  if (hints.languageId === 'c') return 'c';
  if (hints.projectLanguage) return hints.projectLanguage;
  if (hints.text !== undefined && usesCxx(hints.tokens?.() ?? hints.text)) return 'cpp';
  return 'c';
}

/**
 * The language a compiler command line compiles its file as, when the
 * flags say: `-x c++`/`-xc++`, MSVC's `/TP` (`-TP`) and `/Tp<file>`, `/Tc`,
 * `-std=c++NN`/`/std:c++NN` and `-std=cNN`/`/std:cNN`, and the driver name
 * (`clang++`, `g++`, `c++`, `clang-cl` says nothing by itself).
 */
export function languageFromArgs(args: readonly string[]): Language | undefined {
  let found: Language | undefined;
  const driver = (args[0] ?? '').replace(/\\/g, '/').split('/').pop()!.toLowerCase().replace(/\.exe$/, '');
  if (/(?:^|-)(?:clang\+\+|g\+\+|c\+\+)(?:-[\d.]+)?$/.test(driver)) found = 'cpp';
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    if (a === '-x' && i + 1 < args.length) found = sayLanguage(args[++i]) ?? found;
    else if (a.startsWith('-x') && a.length > 2) found = sayLanguage(a.slice(2)) ?? found;
    else if (a === '/TP' || a === '-TP' || a.startsWith('/Tp') || a.startsWith('-Tp')) found = 'cpp';
    else if (a === '/TC' || a === '-TC' || a.startsWith('/Tc') || a.startsWith('-Tc')) found = 'c';
    else if (/^[-/]std[:=]c\+\+/.test(a)) found = 'cpp';
    else if (/^[-/]std[:=](?:c|gnu)\d/.test(a)) found = 'c';
  }
  return found;
}

function sayLanguage(x: string): Language | undefined {
  if (x === 'c++' || x === 'c++-header' || x === 'c++-cpp-output') return 'cpp';
  if (x === 'c' || x === 'c-header' || x === 'cpp-output') return 'c';
  return undefined;
}

/** Words that only C++ declarations start with (or, for `class`, only C++ uses before a name and a body). */
const cxxOnly = new Set(['namespace', 'template', 'constexpr', 'nullptr', 'static_cast', 'reinterpret_cast', 'const_cast', 'dynamic_cast', 'virtual', 'operator', 'typename', 'decltype']);

/**
 * Does a header use C++ outside the blocks that test `__cplusplus`? Reads
 * raw tokens (no preprocessing: the text lexed here, or its tokens lexed already): a conditional whose controlling line names
 * `__cplusplus` is skipped with all its branches, as are directive lines.
 */
export function usesCxx(source: string | readonly Token[]): boolean {
  const tokens = typeof source === 'string' ? lex({ path: '<sniff>', text: source }).tokens : source;
  const skip: boolean[] = [];
  let skipping = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === TokKind.EOF) break;
    if (t.bol && t.kind === TokKind.Punct && t.text === '#') {
      const line: Token[] = [];
      let j = i + 1;
      while (j < tokens.length && !tokens[j].bol && tokens[j].kind !== TokKind.EOF) line.push(tokens[j++]);
      const d = line[0]?.text;
      if (d === 'if' || d === 'ifdef' || d === 'ifndef') {
        const tests = line.some((x) => x.text === '__cplusplus');
        skip.push(tests);
        if (tests) skipping++;
      } else if (d === 'endif') {
        if (skip.pop()) skipping--;
      }
      i = j - 1;
      continue;
    }
    if (skipping > 0 || t.kind !== TokKind.Ident) {
      if (skipping === 0 && t.kind === TokKind.Punct && t.text === '::') return true;
      continue;
    }
    if (cxxOnly.has(t.text)) return true;
    const next = tokens[i + 1];
    if ((t.text === 'public' || t.text === 'private' || t.text === 'protected') && next?.text === ':') return true;
    if (t.text === 'class' && next?.kind === TokKind.Ident) {
      const after = tokens[i + 2];
      if (after && (after.text === '{' || after.text === ':' || after.text === ';' || after.text === 'final')) return true;
    }
    if (t.text === 'using' && next?.kind === TokKind.Ident) return true;
    if (t.text === 'extern' && next?.kind === TokKind.String && next.text === '"C++"') return true;
  }
  return false;
}
