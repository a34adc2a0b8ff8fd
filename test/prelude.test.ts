/**
 * The built-in prelude as a fallback: a lone header knows the Windows types,
 * real definitions win silently, and `#ifdef` never sees prelude macros.
 */

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { type AbiName, abis, allAbis } from '../server/src/core/abi';
import type { CType } from '../server/src/core/ast';
import { analyzeFile, createSession, mergedDiagnostics } from '../server/src/core/analyze';
import { typeText } from '../server/src/core/consteval';
import { buildReports } from '../server/src/core/report';
import { memoryHost } from '../server/src/core/source';
import { requireTool } from './helpers';

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

// ---------------------------------------------------------------------------
// The standard headers (stddef.h, stdint.h, limits.h, stdarg.h, stdbool.h)

const standardTypes = [
  'size_t', 'ptrdiff_t', 'intptr_t', 'uintptr_t', 'wchar_t', 'max_align_t', 'va_list',
  'int8_t', 'int16_t', 'int32_t', 'int64_t', 'uint8_t', 'uint16_t', 'uint32_t', 'uint64_t',
  'int_least8_t', 'int_least16_t', 'int_least32_t', 'int_least64_t',
  'uint_least8_t', 'uint_least16_t', 'uint_least32_t', 'uint_least64_t',
  'int_fast8_t', 'int_fast16_t', 'int_fast32_t', 'int_fast64_t',
  'uint_fast8_t', 'uint_fast16_t', 'uint_fast32_t', 'uint_fast64_t', 'intmax_t', 'uintmax_t',
];
const standardLimits = [
  'INT8_MIN', 'INT16_MIN', 'INT32_MIN', 'INT64_MIN', 'INT8_MAX', 'INT16_MAX', 'INT32_MAX', 'INT64_MAX',
  'UINT8_MAX', 'UINT16_MAX', 'UINT32_MAX', 'UINT64_MAX',
  'INT_LEAST8_MIN', 'INT_LEAST16_MIN', 'INT_LEAST32_MIN', 'INT_LEAST64_MIN',
  'INT_LEAST8_MAX', 'INT_LEAST16_MAX', 'INT_LEAST32_MAX', 'INT_LEAST64_MAX',
  'UINT_LEAST8_MAX', 'UINT_LEAST16_MAX', 'UINT_LEAST32_MAX', 'UINT_LEAST64_MAX',
  'INT_FAST8_MIN', 'INT_FAST16_MIN', 'INT_FAST32_MIN', 'INT_FAST64_MIN',
  'INT_FAST8_MAX', 'INT_FAST16_MAX', 'INT_FAST32_MAX', 'INT_FAST64_MAX',
  'UINT_FAST8_MAX', 'UINT_FAST16_MAX', 'UINT_FAST32_MAX', 'UINT_FAST64_MAX',
  'INTPTR_MIN', 'INTPTR_MAX', 'UINTPTR_MAX', 'PTRDIFF_MIN', 'PTRDIFF_MAX', 'SIZE_MAX',
  'INTMAX_MIN', 'INTMAX_MAX', 'UINTMAX_MAX', 'SIG_ATOMIC_MIN', 'SIG_ATOMIC_MAX', 'WCHAR_MIN', 'WCHAR_MAX',
  'INT8_C(1)', 'INT64_C(1)', 'UINT32_C(1)', 'UINT64_C(1)', 'INTMAX_C(1)', 'UINTMAX_C(1)',
  'CHAR_BIT', 'SCHAR_MIN', 'SCHAR_MAX', 'UCHAR_MAX', 'CHAR_MIN', 'CHAR_MAX', 'MB_LEN_MAX', 'SHRT_MIN', 'SHRT_MAX',
  'USHRT_MAX', 'INT_MIN', 'INT_MAX', 'UINT_MAX', 'LONG_MIN', 'LONG_MAX', 'ULONG_MAX', 'LLONG_MIN', 'LLONG_MAX',
  'ULLONG_MAX', 'offsetof(struct Probe, b)', 'true', 'false', '__bool_true_false_are_defined',
];
/**
 * Where MSVC's headers deliberately differ from clang's freestanding ones
 * (clang follows its own `__INT_FAST16_TYPE__` and a `MB_LEN_MAX` of 1 when
 * no MSVC headers are installed): MSVC's stdint.h makes the fast 16-bit
 * types `int`/`unsigned int`, and its limits.h says `MB_LEN_MAX` is 5.
 */
const msvcOnly = new Set(['int_fast16_t', 'uint_fast16_t', 'INT_FAST16_MIN', 'INT_FAST16_MAX', 'UINT_FAST16_MAX', 'MB_LEN_MAX']);
/**
 * Limits whose value agrees but whose type does not: MSVC spells them with
 * `ui8`/`ui16` suffixes (unsigned char/short, so `int` once promoted, as C
 * requires), clang's freestanding stdint.h with `U`.
 */
const msvcType = new Set(['UINT8_MAX', 'UINT16_MAX', 'UINT_LEAST8_MAX', 'UINT_LEAST16_MAX', 'UINT_FAST8_MAX', 'WCHAR_MIN']);

/** A C spelling of a canonical integer or pointer type that `_Generic` tells apart (`signed char` is not `char`). */
function cSpelling(t: CType): string {
  if (t.kind === 'int' && t.rank === 'char' && t.signed && t.explicitSign) return 'signed char';
  if (t.kind === 'pointer') return `${cSpelling(t.to)} *`;
  return typeText(t);
}

const standardProbe = `#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
struct Probe { char a; int64_t b; };
`;

/** Our answers: each type's size and canonical spelling, each limit's value, width and signedness, per ABI. */
function standardFacts(abi: AbiName) {
  const text = standardProbe + standardLimits.map((m, i) => `_Static_assert(${m}, "${i}");\n`).join('');
  const session = createSession(memoryHost({ '/w/probe.c': text }));
  const u = analyzeFile(session, '/w/probe.c', { abis: [abi], prelude: false }).units.get(abi)!;
  const types = standardTypes.map((name) => {
    const decl = u.unit.typedefs.get(name);
    assert.ok(decl, `${name} is declared`);
    let t: CType = decl.type;
    while (t.kind === 'typedef') t = t.decl.type;
    return { name, size: u.layout.typeInfo({ kind: 'typedef', decl }).size, spelling: cSpelling(t) };
  });
  const limits = u.unit.staticAsserts.map((sa, i) => {
    const v = u.layout.evaluateTyped(sa.expr);
    assert.ok(v, `${standardLimits[i]} evaluates`);
    return { name: standardLimits[i], value: v.value, bytes: v.type.bits / 8, signed: v.type.signed };
  });
  return { diagnostics: [...u.diagnostics, ...u.layout.diagnostics], types, limits };
}

describe('prelude: the standard headers', () => {
  it('are found with no include path, per ABI as MSVC defines them', () => {
    const x86 = standardFacts('x86');
    const x64 = standardFacts('x64');
    assert.deepEqual(x86.diagnostics, []);
    const size = (f: typeof x86, name: string) => f.types.find((t) => t.name === name)!.size;
    const value = (f: typeof x86, name: string) => f.limits.find((t) => t.name === name)!.value;
    assert.deepEqual([size(x86, 'size_t'), size(x64, 'size_t'), size(x86, 'intptr_t'), size(x64, 'ptrdiff_t')], [4, 8, 4, 8]);
    assert.deepEqual([size(x86, 'int_fast16_t'), size(x64, 'uint64_t'), size(x64, 'va_list')], [4, 8, 8]);
    assert.deepEqual([value(x86, 'SIZE_MAX'), value(x64, 'SIZE_MAX')], [0xffffffffn, 0xffffffffffffffffn]);
    assert.equal(value(x86, 'offsetof(struct Probe, b)'), 8n);
    assert.equal(value(x64, 'INT64_MIN'), -(1n << 63n));
  });

  it('give way to a real header on the include path', () => {
    const files = {
      '/w/main.h': '#include <stdint.h>\nstruct S { uint8_t a; uint32_t b; };\n',
      '/sdk/stdint.h': 'typedef unsigned short uint8_t;\ntypedef unsigned char uint32_t;\n',
    };
    const session = createSession(memoryHost(files));
    const analysis = analyzeFile(session, '/w/main.h', { abis: ['x64'], includeDirs: ['/sdk'] });
    const [report] = buildReports(analysis, { files: new Set(['/w/main.h']) });
    assert.deepEqual(report.records[0].fields.map((f) => [f.name, f.size]), [['a', 2], ['b', 1]]);
    assert.ok(analysis.units.get('x64')!.pp.files.has('/sdk/stdint.h'));
  });

  it('agree with clang\'s own headers on every type and limit, for each Windows target', function () {
    if (!requireTool(this, 'clang')) return;
    this.timeout(60000);
    for (const abi of allAbis) {
      const ours = standardFacts(abi);
      assert.deepEqual(ours.diagnostics, [], `${abi}: our standard headers read cleanly`);
      let check = standardProbe;
      for (const t of ours.types) {
        if (msvcOnly.has(t.name)) continue;
        check += `_Static_assert(sizeof(${t.name}) == ${t.size} && _Generic((${t.name})0, ${t.spelling}: 1, default: 0), "${t.name}");\n`;
      }
      for (const l of ours.limits) {
        if (msvcOnly.has(l.name)) continue;
        const bits = BigInt.asUintN(64, l.value).toString(16);
        const type = msvcType.has(l.name) ? '' : ` && sizeof(${l.name}) == ${l.bytes} && (((${l.name}) * 0 - 1 < 0) == ${l.signed ? 1 : 0})`;
        check += `_Static_assert((unsigned long long)(${l.name}) == 0x${bits}ULL${type}, "${l.name}");\n`;
      }
      const r = spawnSync('clang', ['-target', abis[abi].triple, '-ffreestanding', '-fms-extensions', '-x', 'c', '-fsyntax-only', '-'], { input: check, encoding: 'utf8' });
      assert.equal(r.status, 0, `${abi}: clang disagrees:\n${r.stderr}`);
    }
  });
});
