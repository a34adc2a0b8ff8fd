/** The per-ABI predefined macro tables are clang's, and current. */

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { abis } from '../server/src/core/abi';
import { repoRoot, requireTool } from './helpers';

describe('predefined macros', () => {
  it('define the ABI-identifying macros', () => {
    assert.equal(abis.x86.macros._M_IX86, '600');
    assert.equal(abis.x86.macros._WIN64, undefined);
    assert.equal(abis.x64.macros._WIN64, '1');
    assert.equal(abis.x64.macros._M_AMD64, '100');
    assert.equal(abis.arm64.macros._M_ARM64, '1');
    assert.equal(abis.arm32.macros._M_ARM, '7');
    for (const a of Object.values(abis)) assert.equal(a.macros._WIN32, '1');
  });

  it('match what clang predefines today (regenerated and compared)', function () {
    if (!requireTool(this, 'clang')) return;
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/gen-predefined.mjs'), '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr + r.stdout);
  });
});
