/**
 * The language-service verbs called directly, without a server or an
 * editor (as vscode-json-languageservice's tests do): an in-memory file, one
 * analysis, a verb, and the plain record it returns. The protocol tests
 * (test/lsp/) check the same features through JSON-RPC.
 */

import * as assert from 'node:assert/strict';
import { analyzeFile, createSession } from '../server/src/core/analyze';
import type { AbiName } from '../server/src/core/abi';
import { memoryHost } from '../server/src/core/source';
import type { DocContext } from '../server/src/lsp/facts';
import { doHover } from '../server/src/lsp/languageService';

const main = '/ws/main.h';

/** One analysed document made of `text` (and other in-memory files). */
function docOf(text: string, others: Record<string, string> = {}, abis: AbiName[] = ['x86', 'x64']): DocContext {
  const files = { ...others, [main]: text };
  const session = createSession(memoryHost(files));
  return { path: main, text, analysis: analyzeFile(session, main, { abis }), session };
}

/** The offset of the `nth` (0-based) occurrence of `needle`, plus `delta`. */
function at(text: string, needle: string, delta = 0, nth = 0): number {
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = text.indexOf(needle, i + 1);
    assert.ok(i >= 0, `'${needle}' not in the text`);
  }
  return i + delta;
}

describe('language service: hover', () => {
  it('shows the value of a macro built by token pasting, as the core evaluates it', () => {
    const text = '#define SIZE_SMALL 16\n#define SZ(k) SIZE_##k\n#define BUF SZ(SMALL)\nchar buffer[BUF];\n';
    const ctx = docOf(text);
    const h = doHover(ctx, at(text, 'BUF', 1, 1));
    assert.equal(h?.kind, 'macro');
    if (h?.kind !== 'macro') return;
    assert.equal(h.value, 16n);
    assert.equal(h.hex, '0x10');
    assert.equal(h.expansion, '16');
    // The core agrees: the array is 16 bytes.
    const x64 = ctx.analysis.units.get('x64')!;
    const buffer = x64.unit.variables.find((v) => v.name === 'buffer')!;
    assert.equal(x64.layout.typeInfo(buffer.type).size, 16);
  });
});
