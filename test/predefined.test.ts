/** The per-ABI predefined macro tables are clang's, and current. */

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { abis, allAbis, predefinedFor } from '../server/src/core/abi';
import { analyzeFile, createSession } from '../server/src/core/analyze';
import { memoryHost } from '../server/src/core/source';
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

  it('give every ABI exactly the macros clang predefines for it, in C and in C++ (the shared table plus the target\'s own)', function () {
    if (!requireTool(this, 'clang')) return;
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/gen-predefined.mjs'), '--json'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const clang = JSON.parse(r.stdout) as Record<'c' | 'cpp', Record<string, Record<string, string>>>;
    for (const name of allAbis) {
      assert.deepEqual(predefinedFor(abis[name], 'c'), clang.c[name], `${name} C`);
      assert.deepEqual(predefinedFor(abis[name], 'cpp'), clang.cpp[name], `${name} C++`);
    }
  });

  it('give C++ units the C++ table: __cplusplus, _MSVC_LANG, no __STDC_VERSION__', () => {
    for (const name of allAbis) {
      const cpp = predefinedFor(abis[name], 'cpp');
      assert.equal(cpp.__cplusplus, '201402L');
      assert.equal(cpp._MSVC_LANG, '201402L');
      assert.equal(cpp._NATIVE_WCHAR_T_DEFINED, '1');
      assert.equal(cpp.__STDC_VERSION__, undefined);
      assert.equal(cpp._WIN32, '1');
      assert.equal(predefinedFor(abis[name], 'c').__cplusplus, undefined);
    }
    assert.equal(abis.x86.cxxMacros.__STDCPP_DEFAULT_NEW_ALIGNMENT__, '8U');
    assert.equal(abis.x64.cxxMacros.__STDCPP_DEFAULT_NEW_ALIGNMENT__, '16ULL');
  });

  it('answer __has_feature, __has_cpp_attribute and __is_identifier by the unit\'s language', () => {
    const text = [
      '#if __has_feature(cxx_nullptr)', 'int cxx_nullptr;', '#endif',
      '#if __has_feature(c_static_assert)', 'int c_static_assert;', '#endif',
      '#if __has_cpp_attribute(nodiscard)', 'int nodiscard;', '#endif',
      '#if __is_identifier(class)', 'int class_is_identifier;', '#endif',
      '#ifdef __cplusplus', 'int cplusplus;', '#endif',
    ].join('\n');
    const names = (language: 'c' | 'cpp') => {
      const u = analyzeFile(createSession(memoryHost({ '/t.h': text })), '/t.h', { abis: ['x64'], language }).units.get('x64')!;
      return u.unit.variables.map((v) => v.name);
    };
    assert.deepEqual(names('c'), ['c_static_assert', 'class_is_identifier']);
    assert.deepEqual(names('cpp'), ['cxx_nullptr', 'nodiscard', 'cplusplus']);
  });
});
