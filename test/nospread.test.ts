/**
 * No array is spread into a call anywhere in `server/src`: `xs.push(...ys)`,
 * `Math.max(...xs)`, `f(...args)` pass every element as an argument, and
 * past about a hundred thousand V8 throws `RangeError` (a header with
 * 150,000 IOCTL macros made the server's publishing fail and `check` die;
 * `layout` on 130,000 bad lines died in `diagnostics.push(...)`). The
 * helpers in `core/arrays.ts` are used instead. Spreads into array and
 * object literals are fine and not flagged.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { append, maxOf, minOf } from '../server/src/core/arrays';
import { repoRoot } from './helpers';

function sources(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

describe('no array spread into a call', () => {
  it('server/src and client/src have none', () => {
    const found: string[] = [];
    for (const file of [...sources(path.join(repoRoot, 'server/src')), ...sources(path.join(repoRoot, 'client/src'))]) {
      const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (n: ts.Node): void => {
        if (ts.isSpreadElement(n) && (ts.isCallExpression(n.parent) || ts.isNewExpression(n.parent))) {
          const { line } = sf.getLineAndCharacterOfPosition(n.getStart());
          found.push(`${path.relative(repoRoot, file)}:${line + 1}: ${n.parent.getText().slice(0, 100)}`);
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    assert.deepEqual(found, [], 'use append/maxOf/minOf from core/arrays.ts');
  });

  it('the helpers handle more elements than a call can take', () => {
    const many = Array.from({ length: 300_000 }, (_, i) => i);
    assert.throws(() => [].push(...(many as never[])), RangeError, 'the engine still limits call arguments (the test would prove nothing otherwise)');
    assert.equal(append([-1], many).length, 300_001);
    assert.equal(maxOf(-1, many), 299_999);
    assert.equal(minOf(Infinity, many), 0);
    assert.equal(maxOf(7, []), 7);
  });
});
