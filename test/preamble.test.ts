import * as assert from 'node:assert/strict';
import { type AbiUnit, analyzeFile, createSession } from '../server/src/core/analyze';
import { createPreambleCache, preambleEnd } from '../server/src/core/preamble';
import { memoryHost } from '../server/src/core/source';

describe('preambles (core)', () => {
  it('end after the leading includes, past block and line comments', () => {
    const text = '/*\n * license\n */\n\n//\n// Include files.\n//\n#include "a.h" // why\n#include <b.h>\r\n\nint x;\n#include "late.h"\n';
    assert.equal(text.slice(0, preambleEnd(text)).trimEnd().split(/\r?\n/).pop(), '#include <b.h>');
  });

  it('in a C unit, take in the extern "C" opening for C++ that precedes the includes (C never enters it)', () => {
    const text = '/* generated */\n#ifdef __cplusplus\nextern "C"{\n#endif\n\n#include <rpc.h>\n#include <rpcndr.h>\n\nconst int x = 1;\n#ifdef __cplusplus\n}\n#endif\n';
    const last = (language?: 'c' | 'cpp') => text.slice(0, preambleEnd(text, language)).trimEnd().split(/\r?\n/).pop();
    assert.equal(last('c'), '#include <rpcndr.h>');
    assert.equal(preambleEnd(text, 'cpp'), 0, 'C++ enters the group: no preamble');
    assert.equal(preambleEnd(text), 0, 'language unknown: no preamble');
    // Anything else in the group, or an #else, ends the preamble before it.
    assert.equal(preambleEnd('#ifdef __cplusplus\nextern "C" {\nint y;\n#endif\n#include <a.h>\n', 'c'), 0);
    assert.equal(preambleEnd('#ifdef __cplusplus\nextern "C" {\n#else\n#endif\n#include <a.h>\n', 'c'), 0);
    assert.equal(preambleEnd('#if defined(__cplusplus)\nextern "C" {\n#endif\n#include <a.h>\nint z;\n', 'c'), '#if defined(__cplusplus)\nextern "C" {\n#endif\n#include <a.h>\n'.length);
  });

  it('shared across C sources behind an extern "C" opening answer as one pass, and one that enters the group is read in one pass', () => {
    const guard = '#ifdef __cplusplus\nextern "C" {\n#endif\n';
    const files: Record<string, string> = {
      '/d/shared.h': 'typedef struct _SHARED { void *p; int n; } SHARED;\n#define LIMIT 4\n',
      '/d/a_i.c': `/* a */\n${guard}#include "shared.h"\n\ntypedef struct _A { SHARED s[LIMIT]; } A;\n#ifdef __cplusplus\n}\n#endif\n`,
      '/d/b_i.c': `// b\n${guard.replace('"C" {', '"C"{')}#include "shared.h"\ntypedef struct _B { SHARED s[LIMIT]; char c; } B;\n#ifdef __cplusplus\n}\n#endif\n`,
    };
    const host = memoryHost(files);
    const summary = (u: AbiUnit, tag: string) => ({
      size: u.layout.layoutOf(u.unit.records.find((r) => r.tag === tag)!).size,
      diagnostics: u.diagnostics.map((d) => `${d.code} ${d.loc.file}:${d.loc.line} ${d.message}`),
    });
    for (const defines of [undefined, [['__cplusplus', '1']] as [string, string][]]) {
      const cache = createPreambleCache(createSession(host), host, { shareAcrossFiles: true });
      const options = { abis: ['x86' as const], language: 'c' as const, defines };
      for (const [path, tag] of [
        ['/d/a_i.c', '_A'],
        ['/d/b_i.c', '_B'],
      ]) {
        const unit = cache.analyze(path, files[path], options, 'x86');
        const whole = analyzeFile(createSession(host), path, options).units.get('x86')!;
        assert.deepEqual(summary(unit, tag), summary(whole, tag), `${path} ${defines ? '-D__cplusplus' : ''}`);
      }
      assert.equal(cache.builds, 1, 'one preamble for both files');
    }
  });

  it('are shared by the sources of a folder that start with the same directives, and answer as one pass', () => {
    const files: Record<string, string> = {
      '/d/precomp.h': '#pragma once\ntypedef struct _SHARED { void *p; int n; } SHARED;\n#define LIMIT 4\n',
      '/d/a.c': '/* a */\n#include "precomp.h"\n\ntypedef struct _A { SHARED s[LIMIT]; } A;\n',
      '/d/b.c': '// b, a different comment\n#include "precomp.h"\n#undef LIMIT\n#define LIMIT 2\ntypedef struct _B { SHARED s[LIMIT]; } B;\n',
    };
    const host = memoryHost(files);
    const session = createSession(host);
    const cache = createPreambleCache(session, host, { shareAcrossFiles: true });
    const options = { abis: ['x64' as const] };
    for (const [path, record] of [
      ['/d/a.c', '_A'],
      ['/d/b.c', '_B'],
    ]) {
      const unit = cache.analyze(path, files[path], options, 'x64');
      const whole = analyzeFile(createSession(host), path, options).units.get('x64')!;
      const size = (u: typeof unit) => u.layout.layoutOf(u.unit.records.find((r) => r.tag === record)!).size;
      assert.equal(size(unit), size(whole), record);
    }
    assert.equal(cache.builds, 1, 'one preamble for both files');
  });

  it('carry C++ scopes into the body: namespaces reopened there see the preamble\'s members', () => {
    const files: Record<string, string> = {
      '/d/iface.hpp': 'namespace contoso { struct Header { void *p; }; template <typename T> struct Box { T t; }; namespace io { enum class Kind : unsigned char { A }; } }\n',
      '/d/drv.cpp': '#include "iface.hpp"\n\nnamespace contoso { struct Request { Header h; io::Kind k; }; }\nstruct Outside { contoso::Box<contoso::Header> b; contoso::io::Kind k; };\n',
    };
    const host = memoryHost(files);
    const session = createSession(host);
    const cache = createPreambleCache(session, host);
    const options = { abis: ['x64' as const], language: 'cpp' as const };
    const unit = cache.analyze('/d/drv.cpp', files['/d/drv.cpp'], options, 'x64');
    const whole = analyzeFile(createSession(host), '/d/drv.cpp', options).units.get('x64')!;
    assert.equal(cache.builds, 1);
    for (const name of ['contoso::Request', 'Outside']) {
      const size = (u: typeof unit) => {
        const r = u.unit.tags.get(name);
        assert.ok(r && 'fields' in r, name);
        return u.layout.layoutOf(r as never).size;
      };
      assert.equal(size(unit), size(whole), name);
    }
    assert.deepEqual(unit.diagnostics.map((d) => d.message), []);
    assert.equal(unit.language, 'cpp');
  });
});
