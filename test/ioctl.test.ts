import * as assert from 'node:assert/strict';
import { analyzeFile, createSession } from '../server/src/core/analyze';
import {
  accessName,
  decodeCtlCode,
  describeIoctl,
  evaluateTokens,
  expandTokens,
  findIoctls,
  parseCommentAnnotations,
  toCode,
} from '../server/src/core/ioctl';
import { lex } from '../server/src/core/lexer';
import type { MacroDef } from '../server/src/core/preprocess';
import { memoryHost } from '../server/src/core/source';
import { TokKind } from '../server/src/core/token';

function toks(text: string) {
  return lex({ path: '/t.h', text }).tokens.filter((t) => t.kind !== TokKind.EOF);
}

function macro(name: string, body: string, params?: string[]): MacroDef {
  const loc = { file: '/t.h', line: 1, col: 1, offset: 0 };
  return { name, params, variadic: false, body: toks(body), loc, endLoc: loc };
}

describe('ioctl: control codes', () => {
  it('decodes the four CTL_CODE fields', () => {
    const c = decodeCtlCode(0x8337e004);
    assert.deepEqual({ ...c }, { value: 0x8337e004, deviceType: 0x8337, function: 0x801, method: 0, access: 3, common: true });
    assert.equal(accessName(3), 'FILE_READ_ACCESS | FILE_WRITE_ACCESS');
    assert.equal(describeIoctl(decodeCtlCode(0x0022200f)), 'CTL_CODE(0x0022, 0x803, METHOD_NEITHER, FILE_ANY_ACCESS) = 0x0022200F');
  });

  it('evaluates constant expressions with casts, suffixes and the conditional operator', () => {
    const ev = (s: string) => evaluateTokens(toks(s));
    assert.equal(ev('(((0x22) << 16) | ((0) << 14) | ((0x800) << 2) | (3))'), 0x222003n);
    assert.equal(ev('(ULONG)0x80000000UL >> 4'), 0x08000000n);
    assert.equal(ev('(DEVICE_TYPE)(7) << 16'), 0x70000n);
    assert.equal(ev('1 ? 2 : 3'), 2n);
    assert.equal(ev("'A' + 1"), 66n);
    assert.equal(ev('UNKNOWN_NAME + 1'), undefined);
    assert.equal(ev('1 / 0'), undefined);
    assert.equal(ev('(1'), undefined);
  });

  it('expands object- and function-like macros and records CTL_CODE calls', () => {
    const macros = new Map<string, MacroDef>([
      ['CTL_CODE', macro('CTL_CODE', '(((DeviceType) << 16) | ((Access) << 14) | ((Function) << 2) | (Method))', ['DeviceType', 'Function', 'Method', 'Access'])],
      ['DEV', macro('DEV', '0x8000')],
      ['MY', macro('MY', 'CTL_CODE(DEV, (fn), 3, 0)', ['fn'])],
      ['PASTE', macro('PASTE', 'a ## b', ['a', 'b'])],
    ]);
    const { tokens, ctlCalls } = expandTokens(toks('MY(0x801)'), (n) => macros.get(n));
    // C rules: `0x8000 << 16` overflows int; the control code is its 32 bits.
    assert.equal(toCode(evaluateTokens(tokens.map((t) => t.tok))), 0x80002007);
    assert.equal(ctlCalls.length, 1);
    assert.deepEqual(ctlCalls[0].args[0].map((t) => t.tok.text), ['0x8000']);
    assert.deepEqual(ctlCalls[0].args[0][0].via, ['MY', 'DEV']);
    const pasted = expandTokens(toks('PASTE(0x, 10)'), (n) => macros.get(n)).tokens;
    assert.deepEqual(pasted.map((t) => t.tok.text), ['0x10']);
  });

  it('reads @in/@out/@inout/@shadow32/@count annotations from comment text', () => {
    const anns = parseCommentAnnotations('/** Submit a batch. @in FOO_SUBMIT @out FOO_RESULT\n * @count Requests Count * 2 */');
    assert.deepEqual(anns.map((a) => [a.tag, a.args]), [
      ['in', ['FOO_SUBMIT']],
      ['out', ['FOO_RESULT']],
      ['count', ['Requests', 'Count * 2']],
    ]);
    assert.deepEqual(parseCommentAnnotations('// @shadow32 FOO32 and @inout BAR').map((a) => a.args[0]), ['FOO32', 'BAR']);
    assert.deepEqual(parseCommentAnnotations('// mail me @ home; @in'), []);
  });
});

describe('ioctl: definitions in a translation unit', () => {
  const header = `
#define FILE_DEVICE_X 0x9000
#define X_IOCTL(fn, m, a) CTL_CODE(FILE_DEVICE_X, (fn), (m), (a))
/** Get it. @out X_INFO */
#define IOCTL_X_GET X_IOCTL(0x800, METHOD_BUFFERED, FILE_READ_ACCESS)
#define IOCTL_X_MAP X_IOCTL(0x801, METHOD_NEITHER, FILE_SPECIAL_ACCESS) /* @inout X_MAP @in X_MAP_IN */
#define IOCTL_X_RAW 0x90002008
#define IOCTL_X_BASE FILE_DEVICE_X
#define IOCTL_X_OLD IOCTL_X_GET
#define X_NOT_AN_IOCTL 42
#define X_HIDDEN X_IOCTL(0x7F0, METHOD_BUFFERED, FILE_ANY_ACCESS)
`;
  const session = createSession(memoryHost({ '/w/x.h': header }));
  const analysis = analyzeFile(session, '/w/x.h', { abis: ['x64'] });
  const unit = analysis.units.get('x64')!;
  const defs = findIoctls(unit.pp, { fallbackMacros: session.preludes.get('x64')?.macros });
  const by = new Map(defs.map((d) => [d.name, d]));

  it('finds CTL_CODE macros through wrapper layers, named IOCTL constants and aliases', () => {
    assert.deepEqual([...by.keys()].sort(), ['IOCTL_X_GET', 'IOCTL_X_MAP', 'IOCTL_X_OLD', 'IOCTL_X_RAW', 'X_HIDDEN']);
    assert.equal(by.get('IOCTL_X_GET')!.code.value, 0x90006000);
    assert.equal(by.get('IOCTL_X_GET')!.viaCtlCode, true);
    assert.equal(by.get('IOCTL_X_RAW')!.viaCtlCode, false);
    assert.equal(by.get('IOCTL_X_RAW')!.code.function, 0x802);
    assert.equal(by.get('IOCTL_X_OLD')!.aliasOf, 'IOCTL_X_GET');
    assert.equal(by.get('X_HIDDEN')!.code.function, 0x7f0);
  });

  it('keeps the spelled method and access and the annotations of the comment on or above the line', () => {
    const map = by.get('IOCTL_X_MAP')!;
    assert.equal(map.methodSpelling, 'METHOD_NEITHER');
    assert.equal(map.accessSpelling, 'FILE_SPECIAL_ACCESS');
    assert.deepEqual(map.buffers.map((b) => [b.direction, b.type]), [['inout', 'X_MAP'], ['in', 'X_MAP_IN']]);
    const get = by.get('IOCTL_X_GET')!;
    assert.deepEqual(get.buffers.map((b) => [b.direction, b.type, b.loc.line]), [['out', 'X_INFO', 4]]);
    assert.equal(get.loc.line, 5);
  });
});
