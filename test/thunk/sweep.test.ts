/**
 * Proof on real headers: for every record of mingw-w64's device-interface
 * headers (user-mode: winioctl.h, ntdd*.h, usb*.h, hidclass.h; kernel-side:
 * the whole of ddk/ntddk.h's unit plus mountmgr.h, ntddvol.h, ntddser.h ...)
 * whose x86 and x64 layouts differ — clang decides, from its own record
 * dumps — the generator writes shadows *and routines* (capture, release,
 * write-back, and the receive path's marshalling) that compile for x64 after
 * the real headers without an error or a warning, and every shadow, laid out
 * by clang for x64, equals clang's x86 layout of its native record.
 *
 * One clang run per unit and ABI for the dumps, one for all generated code.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFile, createSession } from '../../server/src/core/analyze';
import { type ThunkPiece, generateThunks } from '../../server/src/core/thunk/index';
import type { RecordPlan } from '../../server/src/core/thunk/plan';
import { diskHost } from '../../server/src/node/host';
import { mingwInclude, requireTool } from '../helpers';
import { type DumpRecord, shimDir, tempDir } from './harness';
import { clangAll, dumpKey, dumpsDiffer, headerSets, memberLine, unitText, writeUnit } from './realHeaders';

/**
 * Shadows x64 code cannot express, by design of the headers (records that
 * hold them are left out, and named in the output):
 * CONTEXT32: the x86 CONTEXT holds FLOATING_SAVE_AREA, a type only x86 code declares.
 * HAL_DISPATCH32: ntddk.h #defines HalQuerySystemInformation & co. after the struct, so
 * code placed after the header cannot name those members (clang agrees).
 */
const inexpressible = new Set(['CONTEXT32', 'HAL_DISPATCH32']);

for (const set of headerSets) {
  describe(`thunk on real headers: ${set.name}`, function () {
    this.timeout(600000);

    it('every record whose x86 and x64 layouts differ gets shadows and routines that compile for x64, with the x86 layout', function () {
      if (!requireTool(this, 'mingw-w64 headers') || !requireTool(this, 'clang')) return;
      const dir = tempDir();
      const umbrella = writeUnit(dir, 'umbrella.c', unitText(set));
      const x86 = clangAll(umbrella, 'i686-pc-windows-msvc');
      const x64 = clangAll(umbrella, 'x86_64-pc-windows-msvc');
      const analysis = analyzeFile(createSession(diskHost()), umbrella, { abis: ['x86', 'x64'], includeDirs: [mingwInclude, path.join(mingwInclude, 'ddk')] });
      const unit = analysis.units.get('x64')!.unit;

      const problems: string[] = [];
      const pieces = new Map<string, ThunkPiece>();
      const plans = new Map<string, RecordPlan>();
      const skipped = new Set<string>();
      const refused = new Set<string>();
      /** clang reported an error inside the lines of a record of that name, on either ABI. */
      const brokenInHeaders = (name: string) =>
        [...analysis.units.values()].some((u) =>
          u.unit.records.some(
            (r) =>
              (r.tag === name || r.typedefs.includes(name)) &&
              [...x86.errors, ...x64.errors].some((e) => {
                const m = /^(.*):(\d+):\d+: error:/.exec(e);
                return !!m && path.resolve(m[1]) === path.resolve(r.loc.file) && +m[2] >= r.loc.line && +m[2] <= (r.endLoc?.line ?? r.loc.line);
              }),
          ),
        );
      let differing = 0;
      let swept = 0;
      let routines = 0;
      for (const record of unit.records) {
        if (!record.fields || record.nested) continue;
        if (set.scope && !set.scope(record.loc.file)) continue;
        const name = record.typedefs.find((t) => !t.startsWith('*')) ?? record.tag;
        const d86 = x86.dumps.get(dumpKey(record));
        const d64 = x64.dumps.get(dumpKey(record));
        swept++;
        if (!d86 || !d64) {
          // Declared for one ABI only (`#if defined(_WIN64)` shadows of the headers): nothing to compare.
          if (!d86 && !d64) problems.push(`${name ?? dumpKey(record)}: clang dumped no layout for it`);
          continue;
        }
        if (!name || !dumpsDiffer(d86, d64)) continue;
        differing++;
        for (const direction of ['inout', 'out'] as const) {
          const result = generateThunks(analysis, { type: name, direction });
          if (result.error?.includes('no usable layout') && brokenInHeaders(name)) {
            // clang rejects the record too (mingw-w64's x86 CONTEXT sizes an array with a macro only
            // wdm.h's _X86_ branch defines): no translation code may stand on its layout.
            refused.add(name);
            break;
          }
          if (result.error || result.identical) {
            problems.push(`${name}: ${result.error ?? 'ioctl-lens says the layouts are identical, clang says they differ'}`);
            break;
          }
          if (result.plan.records.some((r) => inexpressible.has(r.shadow.name))) {
            skipped.add(name);
            break;
          }
          for (const p of result.pieces) {
            const key = `${p.kind}\0${p.name || p.text}`;
            if (!pieces.has(key)) pieces.set(key, p);
          }
          for (const s of result.shadows) if (s.verified === false && !inexpressible.has(s.name)) problems.push(`${s.name}: the generator's self-check failed`);
          for (const plan of result.plan.records) if (plan.status === 'generate' && !plans.has(plan.shadow.name)) plans.set(plan.shadow.name, plan);
        }
      }
      const texts = [...pieces.values()].filter((p) => p.placement !== 'dispatch-case');
      routines = texts.filter((p) => p.kind === 'capture' || p.kind === 'write-back' || p.kind === 'release' || p.kind === 'marshal' || p.kind === 'store').length;
      const generated = writeUnit(dir, 'generated.c', `${unitText(set)}#include "real_kernel.h"\n${texts.map((p) => p.text).join('\n')}\n`);
      const compiled = clangAll(generated, 'x86_64-pc-windows-msvc', ['-I', shimDir, '-Wall', '-Wextra', '-Wno-unused-function', '-Wno-multichar', '-Wno-unknown-pragmas']);
      const ours = (l: string) => l.startsWith(generated + ':');
      for (const e of compiled.errors.filter(ours)) problems.push(e);
      for (const w of compiled.warnings.filter(ours)) problems.push(w);

      for (const plan of plans.values()) {
        const native = x86.dumps.get(dumpKey(plan.native));
        const shadow = compiled.dumps.get(plan.shadow.tag);
        if (!native || !shadow) {
          problems.push(`${plan.shadow.name}: no clang dump`);
          continue;
        }
        if (!sameLayout(native, shadow, plan)) problems.push(`${plan.shadow.name}: not the x86 layout of ${plan.nativeName}`);
      }
      console.log(`      ${set.name}: ${swept} records, ${differing} differ; ${plans.size} shadows and ${routines} routines generated and compiled; left out (they hold ${[...inexpressible].join(' or ')}): ${[...skipped].join(', ') || 'none'}; refused (clang rejects them too): ${[...refused].join(', ') || 'none'}`);
      // SWEEP_PROBLEMS=/tmp/sweep keeps the whole list (one file per unit) when the assertion's diff is cut short.
      if (process.env.SWEEP_PROBLEMS) fs.writeFileSync(`${process.env.SWEEP_PROBLEMS}.${headerSets.indexOf(set)}`, problems.join('\n'));
      assert.deepEqual(problems, []);
      assert.ok(differing > 20, `only ${differing} differing records`);
    });
  });
}

/** clang's x64 dump of the shadow against its x86 dump of the native record (types differ by design; names, offsets and bits must not). */
function sameLayout(native: DumpRecord, shadow: DumpRecord, plan: RecordPlan): boolean {
  if (shadow.size !== native.size || shadow.align !== native.align) return false;
  // A well-known WDK shadow held by value may omit union alternatives (IO_STATUS_BLOCK32 has no Pointer,
  // and its Status sits one level higher than in the native union): there, every shadow member at its place.
  if (plan.fields.some((f) => f.conversion.kind === 'record' && f.conversion.plan.status === 'well-known')) {
    const place = (m: DumpRecord['members'][number]) => `${m.name}@${m.offset}${m.bits ? ':' + m.bits : ''}`;
    return shadow.members.every((m) => native.members.some((n) => place(n) === place(m)));
  }
  return shadow.members.map(memberLine).join() === native.members.map(memberLine).join();
}
