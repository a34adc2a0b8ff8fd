/**
 * The built-in prelude as a fallback: a lone header knows the Windows types,
 * real definitions win silently, and `#ifdef` never sees prelude macros.
 */

import * as assert from 'node:assert/strict';
import { analyzeFile, createSession, mergedDiagnostics } from '../server/src/core/analyze';
import { buildReports } from '../server/src/core/report';
import { memoryHost } from '../server/src/core/source';

function layout(files: Record<string, string>, main = '/w/main.h', abis: ('x86' | 'x64')[] = ['x86', 'x64']) {
  const session = createSession(memoryHost(files));
  const analysis = analyzeFile(session, main, { abis });
  const reports = buildReports(analysis, { files: new Set([main]) });
  return { reports, diagnostics: mergedDiagnostics(analysis) };
}

describe('prelude', () => {
  it('supplies Windows types to a header that includes nothing', () => {
    const { reports, diagnostics } = layout({
      '/w/main.h': 'typedef struct _S { UNICODE_STRING Name; HANDLE h; SIZE_T n; LARGE_INTEGER t; IO_STATUS_BLOCK32 iosb; } S;\n',
    });
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(reports.map((r) => r.records[0].size), [8 + 4 + 4 + 8 + 8, 16 + 8 + 8 + 8 + 8]);
  });

  it('expands prelude macros (POINTER_32 as __ptr32, CTL_CODE) when no header defines them', () => {
    const { reports } = layout({ '/w/main.h': 'struct P { void * POINTER_32 p; ULONG code[CTL_CODE(0, 1, 0, 0) / 4]; };\n' });
    assert.deepEqual(reports.map((r) => r.records[0].size), [4 + 4, 8]);
  });

  it('lets real definitions win silently', () => {
    const { reports, diagnostics } = layout({
      '/w/main.h': '#include "real.h"\nstruct Q { ULONG a; void * POINTER_32 p; };\n',
      '/w/real.h': 'typedef unsigned __int64 ULONG;\n#define POINTER_32\n',
    });
    assert.deepEqual(diagnostics, []);
    // ULONG is 8 bytes here, and POINTER_32 is empty: a full-width pointer.
    assert.deepEqual(reports.map((r) => r.records[0].size), [16, 16]);
  });

  it('keeps #ifdef blind to prelude macros', () => {
    const { reports } = layout({ '/w/main.h': 'struct R {\n#ifdef POINTER_32\n int seen;\n#endif\n int x; };\n' });
    assert.deepEqual(reports[0].records[0].fields.map((f) => f.name), ['x']);
  });

  it('provides pshpack/poppack when the SDK is not on the include path', () => {
    const { reports } = layout({ '/w/main.h': '#include <pshpack1.h>\nstruct K { char c; int i; };\n#include <poppack.h>\nstruct L { char c; int i; };\n' });
    assert.deepEqual(reports[0].records.map((r) => r.size), [5, 8]);
  });

  it('does not list prelude records as the file\'s own', () => {
    const { reports } = layout({ '/w/main.h': 'struct Only { int x; };\n' });
    assert.deepEqual(reports[0].records.map((r) => r.name), ['Only']);
  });
});
