/**
 * Robustness on real headers: every record of mingw-w64's `ddk/ntddk.h`
 * translation unit goes through the generator without an exception, and
 * every shadow it generates passes its own front-end check, except the two
 * that cannot be written as x64 code at all (explained below).
 */

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeFile, createSession } from '../../server/src/core/analyze';
import { generateThunks } from '../../server/src/core/thunk/index';
import { diskHost } from '../../server/src/node/host';
import { mingwInclude, requireTool } from '../helpers';

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
