/**
 * A record holding an IO_STATUS_BLOCK is shadowed with the WDK's
 * IO_STATUS_BLOCK32, which wdm.h declares for 64-bit builds only
 * (`#if defined(_WIN64)`, in the WDK and in mingw-w64's ddk/wdm.h). The
 * generated shadow and every routine naming it must sit under the same
 * condition, so the file that receives them still compiles in an x86 build;
 * records that do not involve it are not wrapped.
 *
 * Compiled with clang for i686 and x86_64 against mingw-w64's real wdm.h
 * (not the test shim, which declares IO_STATUS_BLOCK32 for every build).
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFile, createSession } from '../../server/src/core/analyze';
import { generateThunks } from '../../server/src/core/thunk/index';
import { diskHost } from '../../server/src/node/host';
import { mingwInclude, requireTool } from '../helpers';
import { run, tempDir } from './harness';

const header = `#ifndef W64_IOCTL_H
#define W64_IOCTL_H
typedef struct _W64_STATUS {
    ULONG Version;
    IO_STATUS_BLOCK Iosb;
    HANDLE Event;
} W64_STATUS, *PW64_STATUS;

typedef struct _W64_WRAPPED {
    W64_STATUS Inner;
    PVOID Context;
} W64_WRAPPED, *PW64_WRAPPED;

typedef struct _W64_PLAIN {
    ULONG Version;
    HANDLE Event;
} W64_PLAIN, *PW64_PLAIN;
#endif
`;

// mingw-w64's FIELD_OFFSET is not a constant for clang in C (wdm.h's own C_ASSERTs fail on it), and its wdm.h predates
// ExAllocatePool2 (WDK 10.0.19041): both supplied as the newer WDK has them, as in the every-action sweep.
const prologue = `#include <ddk/wdm.h>
#undef FIELD_OFFSET
#define FIELD_OFFSET(t, f) ((LONG)__builtin_offsetof(t, f))
#ifndef POOL_FLAG_PAGED
typedef ULONG64 POOL_FLAGS;
#define POOL_FLAG_NON_PAGED 0x40ULL
#define POOL_FLAG_PAGED 0x100ULL
PVOID ExAllocatePool2(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag);
#endif
#include "w64_ioctl.h"
`;

const flags = ['-fms-extensions', '-fms-compatibility', '-fsyntax-only', '-ferror-limit=0', '-Wno-pragma-pack', '-Wno-microsoft-anon-tag', '-I', mingwInclude, '-I', path.join(mingwInclude, 'ddk')];

/** clang's errors in the unit itself (wdm.h has its own under clang). */
function unitErrors(dir: string, source: string, triple: string): string[] {
  const file = path.join(dir, 'w64_unit.c');
  fs.writeFileSync(file, source);
  const r = run('clang', ['-target', triple, ...flags, '-I', dir, file]);
  return r.stderr.split('\n').filter((l) => /\bw64_(unit\.c|ioctl\.h):\d+:\d+: error:/.test(l));
}

describe('thunk: code naming a _WIN64-only WDK shadow (IO_STATUS_BLOCK32)', function () {
  this.timeout(120000);

  it('is generated under #if defined(_WIN64) and compiles for x86 and x64 against mingw-w64\'s wdm.h', function () {
    if (!requireTool(this, 'mingw-w64 headers') || !requireTool(this, 'clang')) return;
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'w64_ioctl.h'), header);
    const unitPath = path.join(dir, 'w64_unit.c');
    fs.writeFileSync(unitPath, prologue);
    const analysis = analyzeFile(createSession(diskHost()), unitPath, { abis: ['x86', 'x64'], includeDirs: [mingwInclude, path.join(mingwInclude, 'ddk')] });
    const wrapped = generateThunks(analysis, { type: 'W64_WRAPPED' });
    const plain = generateThunks(analysis, { type: 'W64_PLAIN' });
    for (const r of [wrapped, plain]) assert.equal(r.error, undefined);

    // Every piece that names IO_STATUS_BLOCK32 (directly or through W64_STATUS32) is guarded, others are not.
    const guarded = (text: string) => text.startsWith('#if defined(_WIN64)') && text.trimEnd().endsWith('#endif');
    const named = wrapped.pieces.filter((p) => p.kind !== 'guards' && p.kind !== 'pool-tag').map((p) => `${p.kind} ${p.name}`);
    assert.deepEqual(named.sort(), [
      'capture CaptureIoStatusBlock32', 'capture CaptureW64Status32', 'capture CaptureW64Wrapped32',
      'shadow W64_STATUS32', 'shadow W64_WRAPPED32',
      'write-back WriteBackIoStatusBlock32', 'write-back WriteBackW64Status32', 'write-back WriteBackW64Wrapped32',
    ]);
    for (const p of wrapped.pieces.filter((q) => q.kind !== 'pool-tag')) assert.ok(guarded(p.text), `${p.kind} ${p.name} under #if defined(_WIN64):\n${p.text}`);
    assert.ok(wrapped.pieces.find((p) => p.name === 'W64_STATUS32')!.text.includes('IO_STATUS_BLOCK32 Iosb;'));
    for (const p of plain.pieces.filter((q) => q.kind === 'shadow' || q.kind === 'capture' || q.kind === 'write-back')) {
      assert.ok(!p.text.startsWith('#if'), `${p.kind} ${p.name} is not wrapped (it names no _WIN64-only type)`);
    }

    const source = prologue + wrapped.text + '\n' + plain.text;
    for (const triple of ['i686-pc-windows-msvc', 'x86_64-pc-windows-msvc']) {
      assert.deepEqual(unitErrors(dir, source, triple), [], `${triple}: the generated code compiles`);
    }
    // The check can fail: the same code without the condition is what x86 rejected.
    const unguarded = source.replace(/^#if defined\(_WIN64\) \/\* uses [^\n]*\n([\s\S]*?)^#endif\n/gm, '$1');
    assert.notEqual(unguarded, source);
    assert.ok(unitErrors(dir, unguarded, 'i686-pc-windows-msvc').some((e) => e.includes("unknown type name 'IO_STATUS_BLOCK32'")));
    assert.deepEqual(unitErrors(dir, unguarded, 'x86_64-pc-windows-msvc'), []);
  });
});
