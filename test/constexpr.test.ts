/**
 * Tests for the one integer-constant evaluator (server/src/core/constexpr.ts):
 * the same expression gives the same value wherever a driver writes it (an
 * `#if`, an array bound, `__declspec(align)`, a control code, a hover), and
 * what only `#if` does differently (intmax_t, identifiers as 0) is a mode.
 * Expected values are clang 14's.
 */

import * as assert from 'node:assert/strict';
import { analyzeFile, createSession } from '../server/src/core/analyze';
import { cRules, evaluateTokens, ifRules, integerLiteral } from '../server/src/core/constexpr';
import { findIoctls, macroValue } from '../server/src/core/ioctl';
import { lex } from '../server/src/core/lexer';
import { memoryHost } from '../server/src/core/source';

function tokens(text: string) {
  return lex({ path: '/e.h', text }).tokens;
}

function analyse(text: string) {
  const session = createSession(memoryHost({ '/t.h': text }));
  return analyzeFile(session, '/t.h', { abis: ['x64'] }).units.get('x64')!;
}

describe('constexpr: one evaluator', () => {
  it('types literals as C does, and as intmax_t in #if', () => {
    assert.deepEqual(integerLiteral('0x80000000'), { value: 0x80000000n, type: { bits: 32, signed: false } });
    assert.deepEqual(integerLiteral('2147483648'), { value: 2147483648n, type: { bits: 64, signed: true } });
    assert.deepEqual(integerLiteral('1ui64'), { value: 1n, type: { bits: 64, signed: false } });
    assert.deepEqual(integerLiteral('0x80000000', ifRules), { value: 0x80000000n, type: { bits: 64, signed: true } });
    assert.equal(typeof integerLiteral('1.5'), 'string');
  });

  it('evaluates C expressions with int promotions and wrap-around', () => {
    const c = (s: string) => evaluateTokens(tokens(s), { rules: cRules });
    assert.equal(c('-1 < 0u').value?.value, 0n);
    assert.equal(c('-1LL < 0u').value?.value, 1n);
    assert.equal(c('0x7fffffff + 1').value?.value, -0x80000000n);
    assert.equal(c('(ULONG)-1 >> 1').value?.value, -1n, 'an unknown cast keeps the value');
    assert.match(c('1 << 32').error ?? '', /shift count 32/);
    assert.match(c('FOO + 1').error ?? '', /'FOO' is not a constant/);
  });

  it('applies the #if rules as a mode: 64-bit values, identifiers are 0, clang folds big shifts to 0', () => {
    const pp = (s: string) => evaluateTokens(tokens(s), { rules: ifRules });
    assert.equal(pp('0x7fffffff + 1 > 0').value?.value, 1n);
    assert.equal(pp('UNDEFINED_NAME == 0').value?.value, 1n);
    assert.equal(pp('(1 << 64) == 0').value?.value, 1n);
    assert.equal(pp('0 && 1 / 0').value?.value, 0n);
    assert.ok(pp('1 / 0').divisionByZero);
    assert.match(pp('F(1)').error ?? '', /function-like macro 'F'/);
  });

  it('#if follows the same rules in the preprocessor', () => {
    const u = analyse('#if (1 << 64) == 0\nint shifted;\n#endif\n#if -1 < 0u\nint wrong;\n#endif\n');
    const names = u.unit.variables.map((v) => v.name);
    assert.deepEqual(names, ['shifted'], '-1 < 0u is false in #if too (both are converted to uintmax_t)');
  });

  it('reports a shift by two billion in __declspec(align(...)) as a bad constant, not as deep nesting', () => {
    const u = analyse('struct __declspec(align(1 << 2000000000)) S { int a; };\nstruct T { int b; };\n');
    const messages = u.diagnostics.map((d) => `${d.code}: ${d.message}`);
    assert.ok(!messages.some((m) => /nesting too deep/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => m.startsWith('parse-bad-constant') && /shift count 2000000000/.test(m)), messages.join('\n'));
    // The declaration is kept, and what follows still parses.
    assert.deepEqual(u.unit.records.map((r) => r.tag), ['S', 'T']);
  });

  it('decodes a control code and a hovered macro through the same expansion and evaluation', () => {
    const text = [
      '#define FILE_DEVICE_CONTOSO 0x8337',
      '#define CONTOSO_IOCTL(fn) CTL_CODE(FILE_DEVICE_CONTOSO, (fn), METHOD_BUFFERED, FILE_ANY_ACCESS)',
      '#define BASE 0x800',
      '#define IOCTL_CONTOSO_PASTE CONTOSO_IOCTL(BASE + (1 << 1))',
      '',
    ].join('\n');
    const u = analyse(text);
    const lookup = (n: string) => u.pp.macros.get(n) ?? u.prelude?.macros.get(n);
    const [def] = findIoctls(u.pp, { fallbackMacros: u.prelude?.macros });
    assert.equal(def.code.value, 0x83372008);
    const hovered = macroValue('IOCTL_CONTOSO_PASTE', lookup);
    assert.equal(hovered.usedCtlCode, true);
    assert.equal(Number(BigInt.asUintN(32, hovered.value!.value)), def.code.value);
  });
});
