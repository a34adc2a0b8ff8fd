/**
 * Robustness on real headers: every record of mingw-w64's `ddk/ntddk.h`
 * translation unit goes through the generator without an exception, and
 * every shadow it generates passes its own front-end check, except the two
 * that cannot be written as x64 code at all (explained below). Then all of
 * those shadows are compiled together after the real headers with clang for
 * x64, and each must have clang's x86 layout of its native type.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFile, createSession } from '../../server/src/core/analyze';
import { generateThunks } from '../../server/src/core/thunk/index';
import type { RecordPlan } from '../../server/src/core/thunk/plan';
import { diskHost } from '../../server/src/node/host';
import { mingwInclude, requireTool } from '../helpers';
import { type DumpMember, parseDump, run, tempDir } from './harness';

describe('thunk: every record of ddk/ntddk.h (mingw-w64)', function () {
  this.timeout(120000);

  it('never throws, and the generated shadows verify', function () {
    if (!requireTool(this, 'mingw-w64 headers')) return;
    const analysis = analyzeFile(createSession(diskHost()), path.join(mingwInclude, 'ddk/ntddk.h'), { abis: ['x86', 'x64'], includeDirs: [mingwInclude] });
    const native = analysis.units.get('x64')!;
    const names = new Set<string>();
    for (const r of native.unit.records) {
      if (!r.fields || r.nested) continue;
      const name = r.typedefs.find((t) => !t.startsWith('*')) ?? r.tag;
      if (name) names.add(name);
    }
    let generated = 0;
    const unverified: string[] = [];
    for (const name of names) {
      const result = generateThunks(analysis, { type: name });
      if (result.error || result.identical) continue;
      generated++;
      assert.ok(result.text.length > 0, name);
      for (const s of result.shadows) if (s.verified === false && !unverified.includes(s.name)) unverified.push(s.name);
    }
    assert.ok(generated > 200, `only ${generated} types needed translation`);
    // CONTEXT32: the x86 CONTEXT holds FLOATING_SAVE_AREA, a type only x86 code declares.
    // HAL_DISPATCH32: ntddk.h #defines HalQuerySystemInformation & co. after the struct, so
    // code placed after the header cannot name those members (clang agrees).
    assert.deepEqual(unverified.sort(), ['CONTEXT32', 'HAL_DISPATCH32']);
  });
});

describe('thunk: every shadow generated for ddk/ntddk.h has clang x86 layout on x64', function () {
  this.timeout(180000);

  it('compiles all of them with the real headers and compares clang dumps', function () {
    if (!requireTool(this, 'mingw-w64 headers') || !requireTool(this, 'clang')) return;
    const analysis = analyzeFile(createSession(diskHost()), path.join(mingwInclude, 'ddk/ntddk.h'), { abis: ['x86', 'x64'], includeDirs: [mingwInclude] });
    const texts = new Map<string, string>();
    const plans = new Map<string, RecordPlan>();
    for (const r of analysis.units.get('x64')!.unit.records) {
      const name = r.fields && !r.nested ? r.typedefs.find((t) => !t.startsWith('*')) ?? r.tag : undefined;
      if (!name) continue;
      const result = generateThunks(analysis, { type: name });
      if (result.error || result.identical) continue;
      for (const p of result.pieces) if (p.kind === 'shadow' && !texts.has(p.name)) texts.set(p.name, p.text);
      for (const plan of result.plan.records) if (plan.status === 'generate' && !plans.has(plan.shadow.name)) plans.set(plan.shadow.name, plan);
    }
    // See above: the two shadows x64 code cannot express.
    for (const n of ['CONTEXT32', 'HAL_DISPATCH32']) {
      texts.delete(n);
      plans.delete(n);
    }
    const checked = [...plans.values()];
    assert.ok(checked.length > 200, `only ${checked.length} shadows`);
    const dir = tempDir();
    const flags = ['-fms-extensions', '-fms-compatibility', '-fsyntax-only', '-w', '-I', mingwInclude, '-I', path.join(mingwInclude, 'ddk'), '-Xclang', '-fdump-record-layouts'];
    const force = (names: string[]) => names.map((n) => `_Static_assert(sizeof(${n}) > 0, "");`).join('\n');
    fs.writeFileSync(path.join(dir, 'x64.c'), `#include <ddk/ntddk.h>\n${[...texts.values()].join('\n')}\n${force(checked.map((p) => p.shadow.name))}\n`);
    fs.writeFileSync(path.join(dir, 'x86.c'), `#include <ddk/ntddk.h>\n${force(checked.map((p) => p.nativeName))}\n`);
    const x64 = run('clang', ['-target', 'x86_64-pc-windows-msvc', ...flags, path.join(dir, 'x64.c')]);
    const x86 = run('clang', ['-target', 'i686-pc-windows-msvc', ...flags, path.join(dir, 'x86.c')]);
    // mingw-w64's headers are not clean for *-windows-msvc targets (their errors are the same with and without our code).
    assert.doesNotMatch(x64.stderr.split('\n').filter((l) => l.includes(dir)).join('\n'), /error/, 'errors in the generated shadows');
    const d64 = parseDump(x64.stdout);
    const d86 = parseDump(x86.stdout);
    const line = (m: DumpMember) => `${m.depth} ${m.name}@${m.offset}${m.bits ? ':' + m.bits : ''}`;
    const mismatches: string[] = [];
    for (const plan of checked) {
      const native = d86.get(plan.native.tag ?? plan.nativeName);
      const shadow = d64.get(plan.shadow.tag);
      if (!native || !shadow) {
        mismatches.push(`${plan.shadow.name}: no dump`);
        continue;
      }
      const want = native.members.map(line);
      const have = shadow.members.map(line);
      // A well-known WDK shadow held by value may omit union alternatives (IO_STATUS_BLOCK32 has no Pointer).
      const holdsWellKnown = plan.fields.some((f) => f.conversion.kind === 'record' && f.conversion.plan.status === 'well-known');
      // (and its members sit one level higher than in the native union), so there: every shadow member at its place.
      const place = (m: DumpMember) => `${m.name}@${m.offset}${m.bits ? ':' + m.bits : ''}`;
      const membersOk = holdsWellKnown
        ? shadow.members.every((m) => native.members.some((n) => place(n) === place(m)))
        : have.join() === want.join();
      if (!membersOk || shadow.size !== native.size || shadow.align !== native.align) mismatches.push(plan.shadow.name);
    }
    assert.deepEqual(mismatches, []);
  });
});
