/**
 * Proof 1: every generated unit compiles for x86_64-pc-windows-msvc (and
 * i686) with clang against the WDK shim, and each shadow `T32` compiled for
 * x64 has exactly clang's x86 layout of `T`: the same size, alignment and
 * members (depth, name, offset, bit range) in clang's own record dumps, and
 * `_Static_assert`s built from the x86 dump hold in the x64 unit.
 */

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Direction, ThunkStyle } from '../../server/src/core/thunk/index';
import { requireTool } from '../helpers';
import { type DumpRecord, clangWindows, fixtures, headerWithout, liveSample, parseDump, sampleHeader, staticAsserts, tempDir, thunk, windowsUnit } from './harness';

const shapes = path.join(fixtures, 'shapes.h');
const members = path.join(fixtures, 'members.h');

/** [header, type, style, dispatch, direction]: every representative type, in both styles. */
const cases: [string, string, ThunkStyle, 'wdm' | 'kmdf' | undefined, Direction?][] = [];
for (const style of ['ulong', 'pointer32'] as const) {
  for (const t of ['CONTOSO_OPEN_SESSION', 'CONTOSO_SESSION_INFO', 'CONTOSO_SUBMIT_BATCH', 'CONTOSO_MAP_RING']) cases.push([sampleHeader, t, style, style === 'ulong' ? 'wdm' : 'kmdf']);
  // The live sample: existing shadows used as written, the stale CONTOSO_REQUEST32 replaced.
  for (const t of ['CONTOSO_OPEN_SESSION', 'CONTOSO_SUBMIT_BATCH']) cases.push([liveSample, t, style, 'wdm']);
  for (const t of ['SHAPE_BATCH', 'SHAPE_PACKED', 'SHAPE_ALIGNED', 'SHAPE_BITS', 'SHAPE_INLINE', 'SHAPE_UNION', 'SHAPE_HOLDER', 'SHAPE_STALE', 'SHAPE_COUNTED', 'SHAPE_OLD', 'SHAPE_MISC', 'SHAPE_IOSB', 'SHAPE_OPTIONAL']) cases.push([shapes, t, style, 'wdm']);
  for (const t of ['MEMBER_ARRAYS', 'MEMBER_NAMES', 'MEMBER_TAGGED', 'MEMBER_PACKED']) cases.push([members, t, style, 'wdm']);
  // The receive path and its dispatch branches.
  cases.push([members, 'MEMBER_NAMES', style, 'wdm', 'out'], [members, 'MEMBER_TAGGED', style, 'kmdf', 'out']);
}

function dumpOf(dumps: Map<string, DumpRecord>, tag: string, where: string): DumpRecord {
  const d = dumps.get(tag);
  assert.ok(d, `clang dumped no layout for ${tag} (${where}); dumped: ${[...dumps.keys()].join(', ')}`);
  return d;
}

/** Member-wise comparison of clang's x86 dump of T and x64 dump of T32 (types differ by design; names, offsets and bits must not). */
function sameLayout(native: DumpRecord, shadow: DumpRecord, options: { wellKnownInside?: boolean } = {}): void {
  const show = (r: DumpRecord) => r.members.map((m) => `${'  '.repeat(m.depth)}${m.name}@${m.offset}${m.bits ? ':' + m.bits : ''}`);
  if (options.wellKnownInside) {
    // A WDK shadow held by value may leave out union alternatives (IO_STATUS_BLOCK32 has no Pointer, and its
    // Status sits one level higher): then every shadow member must be at its native place.
    const place = (m: DumpRecord['members'][number]) => `${m.name}@${m.offset}${m.bits ? ':' + m.bits : ''}`;
    const missing = shadow.members.filter((m) => !native.members.some((n) => place(n) === place(m))).map(place);
    assert.deepEqual(missing, [], `${shadow.name} (x64) members not at their ${native.name} (x86) places`);
  } else assert.deepEqual(show(shadow), show(native), `${shadow.name} (x64) members differ from ${native.name} (x86)`);
  assert.equal(shadow.size, native.size, `sizeof(${shadow.name}) on x64 vs sizeof(${native.name}) on x86`);
  assert.equal(shadow.align, native.align, `alignment of ${shadow.name} on x64 vs ${native.name} on x86`);
}

describe('thunk: shadows have the x86 layout when compiled for x64 (clang)', function () {
  this.timeout(60000);
  for (const [header, type, style, dispatch, direction] of cases) {
    it(`${header === liveSample ? 'samples/driver/' : ''}${path.basename(header)} ${type} --style ${style}${direction ? ` --direction ${direction}` : ''}`, function () {
      if (!requireTool(this, 'clang')) return;
      const result = thunk(header, { type, style, dispatch, direction });
      assert.equal(result.error, undefined);
      assert.ok(!result.identical, `${type} should need translation`);
      const dir = tempDir();
      const hdr = headerWithout(header, result, dir);
      const natives = result.plan.records.filter((r) => r.peer.kind === 'struct' || r.status === 'generate');
      const forceNative = natives.map((r) => `_Static_assert(sizeof(${r.nativeName}) > 0, "");`).join('\n');
      const x86 = clangWindows(dir, 'native_x86.c', `#include "wdk_shim.h"\n#include "${hdr}"\n${forceNative}\n`, 'i686-pc-windows-msvc', { dump: true });
      assert.equal(x86.status, 0, x86.stderr);
      const x86Dumps = parseDump(x86.stdout);

      const checked = result.plan.records.filter((r) => r.status !== 'well-known');
      let asserts = checked.map((r) => `_Static_assert(sizeof(${r.shadow.name}) > 0, "");`).join('\n') + '\n';
      for (const r of checked) asserts += staticAsserts(r.shadow.name, dumpOf(x86Dumps, r.native.tag ?? r.nativeName, 'x86'));
      const unit = windowsUnit(hdr, result, asserts);
      const x64 = clangWindows(dir, 'thunk_x64.c', unit, 'x86_64-pc-windows-msvc', { dump: true });
      assert.equal(x64.status, 0, `x64 compile failed:\n${x64.stderr}\nunit in ${dir}`);
      assert.doesNotMatch(x64.stderr, /warning:/, `x64 warnings:\n${x64.stderr}`);
      const x64Dumps = parseDump(x64.stdout);
      for (const r of checked) {
        const wellKnownInside = r.fields.some((f) => f.conversion.kind === 'record' && f.conversion.plan.status === 'well-known');
        sameLayout(dumpOf(x86Dumps, r.native.tag ?? r.nativeName, 'x86'), dumpOf(x64Dumps, r.shadow.tag, 'x64'), { wellKnownInside });
      }
      // The same unit is valid C for a 32-bit build too (guards are x64-only).
      const i686 = clangWindows(dir, 'thunk_x86.c', windowsUnit(hdr, result), 'i686-pc-windows-msvc');
      assert.equal(i686.status, 0, `x86 compile failed:\n${i686.stderr}`);
    });
  }
});

describe('thunk: arm64 drivers and their arm32 callers (clang)', function () {
  this.timeout(60000);
  for (const type of ['SHAPE_BATCH', 'SHAPE_PACKED', 'SHAPE_ALIGNED', 'SHAPE_BITS', 'SHAPE_INLINE', 'SHAPE_MISC']) {
    it(`shapes.h ${type}: the shadow compiled for aarch64 has clang's thumbv7 layout`, function () {
      if (!requireTool(this, 'clang')) return;
      const result = thunk(shapes, { type, native: 'arm64' });
      assert.equal(result.error, undefined);
      const dir = tempDir();
      const checked = result.plan.records.filter((r) => r.status !== 'well-known');
      const arm32 = clangWindows(dir, 'native_arm32.c', `#include "wdk_shim.h"\n#include "${shapes}"\n${checked.map((r) => `_Static_assert(sizeof(${r.nativeName}) > 0, "");`).join('\n')}\n`, 'thumbv7-pc-windows-msvc', { dump: true });
      assert.equal(arm32.status, 0, arm32.stderr);
      const arm32Dumps = parseDump(arm32.stdout);
      let asserts = '';
      for (const r of checked) asserts += staticAsserts(r.shadow.name, dumpOf(arm32Dumps, r.native.tag ?? r.nativeName, 'arm32'));
      const arm64 = clangWindows(dir, 'thunk_arm64.c', windowsUnit(shapes, result, asserts), 'aarch64-pc-windows-msvc', { dump: true });
      assert.equal(arm64.status, 0, `arm64 compile failed:\n${arm64.stderr}`);
      const arm64Dumps = parseDump(arm64.stdout);
      for (const r of checked) {
        const wellKnownInside = r.fields.some((f) => f.conversion.kind === 'record' && f.conversion.plan.status === 'well-known');
        sameLayout(dumpOf(arm32Dumps, r.native.tag ?? r.nativeName, 'arm32'), dumpOf(arm64Dumps, r.shadow.tag, 'arm64'), { wellKnownInside });
      }
    });
  }
});

describe('thunk: the layout proof and the guards can fail', function () {
  this.timeout(60000);

  it("rejects the header's own stale shadow (the comparison is not vacuous)", function () {
    if (!requireTool(this, 'clang')) return;
    const dir = tempDir();
    const x86 = clangWindows(dir, 'a.c', `#include "wdk_shim.h"\n#include "${shapes}"\n_Static_assert(sizeof(SHAPE_STALE) > 0, "");\n`, 'i686-pc-windows-msvc', { dump: true });
    const x64 = clangWindows(dir, 'b.c', `#include "wdk_shim.h"\n#include "${shapes}"\n_Static_assert(sizeof(SHAPE_STALE32) > 0, "");\n`, 'x86_64-pc-windows-msvc', { dump: true });
    assert.throws(() => sameLayout(dumpOf(parseDump(x86.stdout), '_SHAPE_STALE', 'x86'), dumpOf(parseDump(x64.stdout), '_SHAPE_STALE32', 'x64')), /members differ/);
  });

  it('the generated guards fail the build when POINTER_32 is empty (mingw-w64) or the shadow is edited', function () {
    if (!requireTool(this, 'clang')) return;
    const result = thunk(sampleHeader, { type: 'CONTOSO_SUBMIT_BATCH', style: 'pointer32' });
    const dir = tempDir();
    const mingw = clangWindows(dir, 'mingw.c', `#define POINTER_32\n${windowsUnit(sampleHeader, result)}`, 'x86_64-pc-windows-msvc');
    assert.notEqual(mingw.status, 0);
    assert.match(mingw.stderr, /sizeof\(VOID \* POINTER_32\) == 4/);
    assert.match(mingw.stderr, /FIELD_OFFSET\(CONTOSO_SUBMIT_BATCH32, Timeout\) == 8|sizeof\(CONTOSO_SUBMIT_BATCH32\) == 16/);
    const edited = thunk(sampleHeader, { type: 'CONTOSO_SUBMIT_BATCH' });
    const broken = windowsUnit(sampleHeader, edited).replace('    ULONG Requests; /* PCONTOSO_REQUEST */', '    PCONTOSO_REQUEST Requests;');
    const run = clangWindows(dir, 'edited.c', broken, 'x86_64-pc-windows-msvc');
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /sizeof\(CONTOSO_SUBMIT_BATCH32\) == 16/);
  });
});
