import * as assert from 'node:assert/strict';
import { analyzeFile, createSession } from '../server/src/core/analyze';
import { createPreambleCache, preambleEnd } from '../server/src/core/preamble';
import { memoryHost } from '../server/src/core/source';

describe('preambles (core)', () => {
  it('end after the leading includes, past block and line comments', () => {
    const text = '/*\n * license\n */\n\n//\n// Include files.\n//\n#include "a.h" // why\n#include <b.h>\r\n\nint x;\n#include "late.h"\n';
    assert.equal(text.slice(0, preambleEnd(text)).trimEnd().split(/\r?\n/).pop(), '#include <b.h>');
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
