/**
 * The whole pipeline on broken input: every corpus header and sample file,
 * truncated and mutated at random (seeded, bounded), goes through
 * preprocess -> parse -> layout of every record on all four ABIs -> the WOW64
 * checks -> thunk generation for a record, and must never throw or run away.
 * The user's file is half-typed most of the time; this is that file.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFile, createSession, mergedDiagnostics } from '../server/src/core/analyze';
import { runChecks } from '../server/src/core/checks/index';
import { memoryHost } from '../server/src/core/source';
import { generateThunks } from '../server/src/core/thunk/index';
import { repoRoot } from './helpers';
import { mutate, mutationInputs as inputs, rng } from './mutate';

describe('robustness: mutated input through the whole pipeline', function () {
  this.timeout(120000);
  const rounds = Number(process.env.ROBUSTNESS_ROUNDS ?? 12);

  for (const input of inputs) {
    it(`never throws on ${path.basename(input)} (${rounds} seeded mutations)`, () => {
      const original = fs.readFileSync(input, 'utf8');
      const neighbours: Record<string, string> = {};
      for (const f of fs.readdirSync(path.dirname(input))) neighbours[`/w/${f}`] = fs.readFileSync(path.join(path.dirname(input), f), 'utf8');
      const name = `/w/${path.basename(input)}`;
      for (let seed = 1; seed <= rounds; seed++) {
        const random = rng(seed * 7919 + original.length);
        const text = mutate(original, random);
        const files = { ...neighbours, [name]: text, '/w/self.h': '#include "self.h"\nint x;\n' };
        const started = Date.now();
        try {
          const session = createSession(memoryHost(files));
          const analysis = analyzeFile(session, name, { abis: ['x86', 'x64', 'arm64', 'arm32'] });
          let some: string | undefined;
          for (const unit of analysis.units.values()) {
            for (const r of unit.unit.records) {
              if (!r.fields) continue;
              const l = unit.layout.layoutOf(r);
              assert.ok(Number.isFinite(l.size) && l.size >= 0 && Number.isFinite(l.align));
              some ??= r.typedefs.find((t) => !t.startsWith('*')) ?? r.tag;
            }
          }
          mergedDiagnostics(analysis);
          runChecks([analysis]);
          if (some) generateThunks(analysis, { type: some });
        } catch (err) {
          assert.fail(`seed ${seed} on ${path.basename(input)} threw: ${err instanceof Error ? err.stack : String(err)}\n--- input ---\n${text.slice(0, 2000)}`);
        }
        assert.ok(Date.now() - started < 20000, `seed ${seed} on ${path.basename(input)} took ${Date.now() - started} ms`);
      }
    });
  }
});
