/**
 * Preambles must not change what the user sees: the same documents, served
 * with `preamble: true` and `preamble: false`, give the same diagnostics,
 * code lenses, inlay hints, symbols and hovers, also after edits to the body
 * and to the preamble itself.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type TestClient, mingwInclude, repoRoot, requireMingw, startClient, uriOf } from './client';

const ws = path.join(repoRoot, 'test/fixtures/lsp/ws');

async function snapshot(c: TestClient, uri: string, version: number) {
  const d = await c.diagnostics(uri, (p) => p.version === version, 60000);
  const req = (method: string, extra: object = {}) => c.request(method, { textDocument: { uri }, ...extra });
  const whole = { range: { start: { line: 0, character: 0 }, end: { line: 500, character: 0 } } };
  const hovers = [];
  for (let line = 0; line < 40; line++) hovers.push(await req('textDocument/hover', { position: { line, character: 10 } }));
  return {
    diagnostics: d.diagnostics.map((x) => `${x.range.start.line}:${x.code}:${x.message}`).sort(),
    lenses: await req('textDocument/codeLens'),
    hints: await req('textDocument/inlayHint', whole),
    symbols: await req('textDocument/documentSymbol'),
    hovers,
  };
}

describe('lsp: preambles give the same answers as whole-file analysis', function () {
  this.timeout(120000);

  async function compare(file: string, texts: string[], settings: Record<string, unknown>) {
    const a = await startClient({ rootPath: ws, settings: { ...settings, preamble: true, index: { enabled: false } } });
    const b = await startClient({ rootPath: ws, settings: { ...settings, preamble: false, index: { enabled: false } } });
    try {
      const uri = uriOf(file);
      await a.open(uri, texts[0], 'c');
      await b.open(uri, texts[0], 'c');
      for (let i = 0; i < texts.length; i++) {
        if (i > 0) {
          await a.change(uri, i + 1, texts[i]);
          await b.change(uri, i + 1, texts[i]);
        }
        const sa = await snapshot(a, uri, i + 1);
        const sb = await snapshot(b, uri, i + 1);
        assert.deepEqual(sa, sb, `text #${i}; server logs:\n${a.logs.join('\n')}\n---\n${b.logs.join('\n')}`);
      }
    } finally {
      await a.shutdown();
      await b.shutdown();
    }
  }

  it('on a source including a workspace header', async () => {
    const driver = fs.readFileSync(path.join(ws, 'driver.c'), 'utf8');
    const edited = driver.replace('return 0;', 'return 1;\n}\ntypedef struct _LATE { FOO_SUBMIT s; HANDLE h; } LATE;\nvoid f(void) {');
    const preambleEdited = '#define EXTRA 1\n' + edited;
    // A body #undef of a preamble macro is seen by a later #ifdef, as in one pass.
    const undefined_ = preambleEdited + '\n#undef EXTRA\n#ifdef EXTRA\ntypedef struct _GONE { HANDLE h; } GONE;\n#endif\n';
    await compare(path.join(ws, 'driver.c'), [driver, edited, preambleEdited, undefined_], {});
  });

  it('on a source including ddk/wdm.h, with #ifdef on a header macro in the body', async function () {
    if (!requireMingw(this)) return;
    const text = [
      '/* A driver file. */',
      '#include <ddk/wdm.h>',
      '#include "iface.h"',
      '#ifdef _WDMDDK_',
      'typedef struct _SEEN { PIRP Irp; KEVENT Event; } SEEN;',
      '#endif',
      '#if defined(STATUS_SUCCESS) && !defined(NOT_DEFINED)',
      'typedef struct _ALSO { LIST_ENTRY Link; FOO_SUBMIT Submit; } ALSO;',
      '#endif',
      '',
    ].join('\n');
    await compare(path.join(ws, 'wdmbody.c'), [text, text.replace('KEVENT Event;', 'KEVENT Event; UCHAR x[3];')], { includePaths: [mingwInclude] });
  });

  it('on a header whose first include leaves a packing pushed (pshpack1.h)', async () => {
    const text = [
      '#include <pshpack1.h>',
      '/** Packed wire format. @in PACKED_MSG */',
      '#define IOCTL_PACKED CTL_CODE(0x8000, 0x900, METHOD_BUFFERED, FILE_ANY_ACCESS)',
      'typedef struct _PACKED_MSG { UCHAR Tag; ULONG Length; HANDLE Owner; } PACKED_MSG;',
      '#include <poppack.h>',
      'typedef struct _NATURAL { UCHAR Tag; ULONG Length; } NATURAL;',
      '',
    ].join('\n');
    await compare(path.join(ws, 'packed.h'), [text, text.replace('HANDLE Owner;', 'HANDLE Owner; UCHAR More;')], {});
  });
});
