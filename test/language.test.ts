/**
 * Which language a file is read as (core/language.ts), and the options
 * that carry the choice: CLI `--language`, `.ioctl-lens.json` `language`,
 * compile commands' flags.
 */

import * as assert from 'node:assert/strict';
import { analyzeFile, createSession, lexedTokens, mergedDiagnostics } from '../server/src/core/analyze';
import { compileOptionsFromArgs, parseConfig } from '../server/src/core/config';
import { languageFor, languageFromArgs, parseLanguage, usesCxx } from '../server/src/core/language';
import { memoryHost } from '../server/src/core/source';

describe('language of a file', () => {
  it('goes by the setting, then the compile flags, then the extension', () => {
    assert.equal(languageFor('/d/a.cpp'), 'cpp');
    assert.equal(languageFor('/d/a.CXX'), 'cpp');
    assert.equal(languageFor('/d/a.hpp'), 'cpp');
    assert.equal(languageFor('/d/a.c'), 'c');
    assert.equal(languageFor('/d/a.c', { setting: 'cpp' }), 'cpp');
    assert.equal(languageFor('/d/a.cpp', { setting: 'c' }), 'c');
    assert.equal(languageFor('/d/a.c', { setting: 'auto', compileFlags: 'cpp' }), 'cpp');
    assert.equal(languageFor('/d/a.cpp', { compileFlags: 'c' }), 'c');
  });

  it('reads a .h as C unless the editor, the driver or the header itself says C++', () => {
    const cxx = 'namespace contoso { struct R { int a; }; }\n';
    const guarded = '#ifdef __cplusplus\nextern "C" {\nnamespace n {}\n#endif\ntypedef struct _R { int a; } R;\n#ifdef __cplusplus\n}\n#endif\n';
    assert.equal(languageFor('/d/a.h'), 'c');
    assert.equal(languageFor('/d/a.h', { text: cxx }), 'cpp');
    assert.equal(languageFor('/d/a.h', { text: guarded }), 'c');
    // VS Code calls every .h `cpp`, so only `c` is taken from the editor.
    assert.equal(languageFor('/d/a.h', { languageId: 'cpp', text: guarded }), 'c');
    assert.equal(languageFor('/d/a.h', { languageId: 'c', text: cxx }), 'c');
    assert.equal(languageFor('/d/a.h', { projectLanguage: 'cpp', text: guarded }), 'cpp');
  });

  it('sniffs a header from the session\'s lexed tokens: the analysis lexes it no more and reports the same diagnostics', () => {
    const path = '/d/a.h';
    const text = 'namespace contoso { struct R { int a; }; }\nconst char *s = "open;\n/* never closed\n';
    const host = memoryHost({ [path]: text });
    const session = createSession(host);
    const tokens = lexedTokens(session, path, text);
    assert.equal(languageFor(path, { text, tokens: () => tokens }), 'cpp');
    assert.equal(session.lexCache.get(path, text)?.tokens, tokens, 'cached for the analysis');
    const options = { abis: ['x64' as const], language: 'cpp' as const };
    const described = (s: typeof session) => mergedDiagnostics(analyzeFile(s, path, options)).map((d) => `${d.code} ${d.loc.line}:${d.loc.col}`);
    const fresh = described(createSession(host));
    assert.ok(fresh.includes('lex-unterminated-comment 3:1') && fresh.some((d) => d.startsWith('lex-unterminated-string')), fresh.join('; '));
    assert.deepEqual(described(session), fresh);
    assert.equal(session.lexCache.get(path, text)?.tokens, tokens, 'not lexed again');
  });

  it('sees C++ in a header only outside #if blocks that test __cplusplus', () => {
    for (const text of [
      'class Device { public: int x; };',
      'template <typename T> struct W { T t; };',
      'struct S { int a; };\nusing Alias = S;',
      'constexpr int N = 4;',
      'struct A { int a; }; struct B : A { private: int b; };',
      'ULONG x = ::GetValue();',
      'extern "C++" { int f(); }',
    ]) assert.equal(usesCxx(text), true, text);
    for (const text of [
      'typedef struct _A { int class_; int template_; } A;',
      '#if defined(__cplusplus) && !defined(NO_OPS)\ntemplate <class T> T f(T);\n#else\nint g;\n#endif\nint h;',
      '#ifndef __cplusplus\ntypedef unsigned char bool;\n#endif',
      '/* namespace in a comment */ int x; // class Foo {',
      'char *s = "namespace x { }";',
    ]) assert.equal(usesCxx(text), false, text);
  });

  it('reads how a compiler command compiles its file', () => {
    assert.equal(languageFromArgs(['clang++', '-c', 'a.c']), 'cpp');
    assert.equal(languageFromArgs(['/usr/bin/x86_64-w64-mingw32-g++', 'a.h']), 'cpp');
    assert.equal(languageFromArgs(['clang', '-x', 'c++', 'a.h']), 'cpp');
    assert.equal(languageFromArgs(['clang', '-xc++', 'a.h']), 'cpp');
    assert.equal(languageFromArgs(['cl.exe', '/TP', 'a.c']), 'cpp');
    assert.equal(languageFromArgs(['cl.exe', '/Tpa.c']), 'cpp');
    assert.equal(languageFromArgs(['cl.exe', '/std:c++17', 'a.c']), 'cpp');
    assert.equal(languageFromArgs(['clang', '-std=c++14', 'a.h']), 'cpp');
    assert.equal(languageFromArgs(['clang++', '-x', 'c', 'a.h']), 'c');
    assert.equal(languageFromArgs(['cl.exe', '/Tc', 'a.cpp']), 'c');
    assert.equal(languageFromArgs(['clang', '-std=c11', 'a.c']), 'c');
    assert.equal(languageFromArgs(['clang-cl', '/W4', 'a.c']), undefined);
    assert.equal(compileOptionsFromArgs(['cl.exe', '/TP', '/Iinc', 'a.c'], '/w', '/w/a.c').language, 'cpp');
    assert.equal(compileOptionsFromArgs(['cl.exe', '/Iinc', 'a.c'], '/w', '/w/a.c').language, undefined);
  });

  it('parses the language option and the configuration file key', () => {
    assert.deepEqual(['c', 'C++', 'cpp', 'cxx', 'auto', 'java'].map(parseLanguage), ['c', 'cpp', 'cpp', 'cpp', 'auto', undefined]);
    const ok = parseConfig('{"language": "c++"}', '/w/.ioctl-lens.json');
    assert.equal(ok.config.language, 'cpp');
    assert.deepEqual(ok.diagnostics, []);
    const bad = parseConfig('{"language": "rust"}', '/w/.ioctl-lens.json');
    assert.equal(bad.config.language, undefined);
    assert.match(bad.diagnostics[0].message, /'language' must be/);
  });
});
