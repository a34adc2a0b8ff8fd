/**
 * Seeded mutation of C/C++ text, shared by the pipeline robustness test and
 * the fuzz tests: a deterministic PRNG, so a failure reproduces from its seed.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './helpers';

/** A small deterministic PRNG (mulberry32), so failures reproduce from the seed. */
export function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What a clumsy or hostile edit inserts. */
const pieces = ['{', '}', '(', ')', ';', '#if 1\n', '#endif\n', '#define X(a) a##a\n', 'struct', 'union', ':', '[', ']', '*', '"', "'", '/*', '\\\n', '__declspec(align(', '#pragma pack(push, 3)\n', '#include "self.h"\n', 'X(', ',', '0x', '-1', 'sizeof(', '_Field_size_(', '\n'];

/** Up to six truncations, insertions and deletions at random places. */
export function mutate(text: string, random: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(random() * 6);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * (out.length + 1));
    const kind = random();
    if (kind < 0.3) out = out.slice(0, at); // truncate: a file being typed
    else if (kind < 0.6) out = out.slice(0, at) + pieces[Math.floor(random() * pieces.length)] + out.slice(at);
    else out = out.slice(0, at) + out.slice(Math.min(out.length, at + 1 + Math.floor(random() * 40)));
  }
  return out;
}

/** The corpus headers and the sample driver's files: what the mutation tests start from. */
export const mutationInputs = [
  ...fs.readdirSync(path.join(repoRoot, 'test/corpus')).map((f) => path.join(repoRoot, 'test/corpus', f)),
  path.join(repoRoot, 'samples/driver/ioctl_interface.h'),
  path.join(repoRoot, 'samples/driver/dispatch_wdm.c'),
  path.join(repoRoot, 'samples/driver/dispatch_kmdf.c'),
];

