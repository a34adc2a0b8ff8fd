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
import * as ls from '../server/src/lsp/languageService';
import { doComplete, doHover, findDefinition, findReferences, referenceTarget } from '../server/src/lsp/languageService';

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

const iface = `typedef unsigned long ULONG;
#define FILE_DEVICE_FOO 0x8000
#define IOCTL_FOO_SUBMIT CTL_CODE(FILE_DEVICE_FOO, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)
/** @in FOO_SUBMIT */
typedef struct _FOO_SUBMIT {
    ULONG Count;
    void *Buffer;
} FOO_SUBMIT, *PFOO_SUBMIT;
`;
const driverText = `#include "iface.h"
ULONG Count;
ULONG Submit(PFOO_SUBMIT in, ULONG code)
{
    FOO_SUBMIT copy;
    ULONG Count = in->Count;
    switch (code) {
    case IOCTL_FOO_SUBMIT:
        return copy.Count + Count; /* FOO_SUBMIT in a comment */
    }
    return 0;
}
`;

describe('language service: definition, references, completion and the rest, called directly', () => {
  const ctx = docOf(driverText, { '/ws/iface.h': iface }, ['x86', 'x64']);
  const ifaceLine = (needle: string) => iface.slice(0, iface.indexOf(needle)).split('\n').length;

  it('goes to a member through a parameter and a local, and to the local a name refers to', () => {
    const member = findDefinition(ctx, at(driverText, 'in->Count', 5));
    assert.deepEqual(member.map((d) => [d.loc.file, d.loc.line]), [['/ws/iface.h', ifaceLine('ULONG Count;')]]);
    const viaLocal = findDefinition(ctx, at(driverText, 'copy.Count', 6));
    assert.deepEqual(viaLocal.map((d) => d.loc.line), [ifaceLine('ULONG Count;')]);
    // `Count` in the handler is the local, not the global of the same name.
    const local = findDefinition(ctx, at(driverText, 'Count; /*', 0));
    assert.deepEqual(local.map((d) => [d.loc.file, d.loc.offset]), [[main, at(driverText, 'Count = in')]]);
    const param = findDefinition(ctx, at(driverText, 'in->Count', 0));
    assert.deepEqual(param.map((d) => d.loc.offset), [at(driverText, 'in, ULONG')]);
    const type = findDefinition(ctx, at(driverText, 'FOO_SUBMIT copy', 1));
    assert.deepEqual(type.map((d) => [d.loc.file, d.loc.line]), [['/ws/iface.h', ifaceLine('} FOO_SUBMIT,')]]);
  });

  it('hovers and goes to a member through a parenthesised callee or a function-pointer local, and to that local', () => {
    const text = `#include "iface.h"
typedef struct _OTHER { ULONG Count; } OTHER;
OTHER *Lookup(ULONG key);
ULONG Run(ULONG n, PFOO_SUBMIT (*pfn)(ULONG))
{
    ULONG total = (*pfn)(n)->Count + (Lookup)(n)->Count;
    {
        PFOO_SUBMIT (*Lookup)(ULONG) = pfn;
        total += Lookup(n)->Count;
    }
    return total + Lookup(n)->Count;
}
`;
    const d = docOf(text, { '/ws/iface.h': iface }, ['x86', 'x64']);
    const hoverOf = (needle: string, delta: number) => {
      const h = doHover(d, at(text, needle, delta));
      return h?.kind === 'member' ? `${h.record.name}.${h.member.name}` : h?.kind;
    };
    assert.equal(hoverOf('(*pfn)(n)->Count', 11), '_FOO_SUBMIT.Count');
    assert.equal(hoverOf('(Lookup)(n)->Count', 13), '_OTHER.Count');
    // Inside the block the local function pointer answers; after it, the file-scope function again.
    assert.equal(hoverOf('Lookup(n)->Count;\n    }', 11), '_FOO_SUBMIT.Count');
    assert.equal(hoverOf('Lookup(n)->Count;\n}', 11), '_OTHER.Count');
    const member = findDefinition(d, at(text, 'Lookup(n)->Count;\n    }', 11));
    assert.deepEqual(member.map((x) => [x.loc.file, x.loc.line]), [['/ws/iface.h', ifaceLine('ULONG Count;')]]);
    const local = findDefinition(d, at(text, 'Lookup(n)->Count;\n    }'));
    assert.deepEqual(local.map((x) => [x.loc.file, x.loc.offset]), [[main, at(text, 'Lookup)(ULONG) = pfn')]]);
    const fn = findDefinition(d, at(text, 'Lookup(n)->Count;\n}'));
    assert.deepEqual(fn.map((x) => [x.loc.file, x.loc.offset]), [[main, at(text, 'Lookup(ULONG key)')]]);
  });

  it("in a header's prototypes: hover on a member through a SAL annotation's parameter, definition of an annotation's parameter", () => {
    const text = `#include "iface.h"
#define _Requires_lock_held_(lock)
#define _In_reads_bytes_(n)
ULONG in;
_Requires_lock_held_(in->Count) ULONG Submit2(FOO_SUBMIT *in);
ULONG Copy(_In_reads_bytes_(Length) void *Buffer, ULONG Length);
`;
    const d = docOf(text, { '/ws/iface.h': iface }, ['x86', 'x64']);
    const h = doHover(d, at(text, 'in->Count', 5));
    assert.equal(h?.kind === 'member' && `${h.record.name}.${h.member.name}`, '_FOO_SUBMIT.Count');
    const param = findDefinition(d, at(text, 'in->Count'));
    assert.deepEqual(param.map((x) => [x.loc.file, x.loc.offset]), [[main, at(text, 'in);')]]);
    const length = findDefinition(d, at(text, 'Length) void'));
    assert.deepEqual(length.map((x) => [x.loc.file, x.loc.offset]), [[main, at(text, 'Length);')]]);
  });

  it('finds the uses of a name as the unit resolves it, not its text', () => {
    const refs = findReferences(ctx, at(driverText, 'FOO_SUBMIT copy', 1), () => true);
    // The local declaration's type in the document and the typedef in the header; never the comments or `_FOO_SUBMIT`/`PFOO_SUBMIT`.
    assert.deepEqual(
      refs.map((r) => [r.loc.file, r.loc.line]),
      [
        [main, 5],
        ['/ws/iface.h', ifaceLine('} FOO_SUBMIT,')],
      ],
    );
    // The global `Count`: its declaration only; the local of the same name and the members are other entities.
    const global = findReferences(ctx, at(driverText, 'Count;'), () => true);
    assert.deepEqual(global.map((r) => [r.loc.file, r.loc.offset]), [[main, at(driverText, 'Count;')]]);
    // A local is not a file-scope name: no workspace-wide search.
    assert.equal(referenceTarget(ctx, at(driverText, 'Count; /*')), undefined);
    // Files outside the unit are searched too (the workspace index's).
    const other = { path: '/ws/other.c', text: 'FOO_SUBMIT x; /* FOO_SUBMIT */' };
    assert.deepEqual(
      findReferences(ctx, at(driverText, 'FOO_SUBMIT copy', 1), () => true, [other]).filter((r) => r.loc.file === other.path).map((r) => r.loc.offset),
      [0],
    );
  });

  it('completes CTL_CODE arguments and annotations, and nothing elsewhere', () => {
    const text = `${iface}#define IOCTL_NEW CTL_CODE(FILE_DEVICE_FOO, 0x9, METHOD_, FILE_\n/* @ */\nint x = CTL_CODE(`;
    const d = docOf(text);
    const labels = (offset: number) => doComplete(d, offset).map((c) => c.label);
    assert.ok(labels(at(text, 'METHOD_,', 7)).includes('METHOD_NEITHER'));
    assert.deepEqual(labels(at(text, '0x9,', 0)), ['0x802']);
    assert.ok(labels(at(text, 'FILE_\n', 5)).includes('FILE_READ_ACCESS'));
    assert.deepEqual(labels(at(text, '@ */', 1)), ['in', 'out', 'inout', 'shadow32', 'count']);
    assert.ok(labels(text.length).includes('FILE_DEVICE_FOO'));
    assert.deepEqual(labels(at(text, 'int x')), []);
    // The replaced span is the partial word.
    const c = doComplete(d, at(text, 'METHOD_,', 7))[0];
    assert.deepEqual(c.replace, { start: at(text, 'METHOD_,'), end: at(text, 'METHOD_,', 7) });
  });

  it('lenses, inlay hints, symbols, the record and the control code at the cursor', () => {
    const h = docOf(iface);
    const lenses = ls.getCodeLenses(h).map((l) => l.title);
    assert.equal(lenses.length, 2);
    assert.match(lenses[0], /^0x80002004 · CTL_CODE\(FILE_DEVICE_FOO \(0x8000\), 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS\)$/);
    assert.match(lenses[1], /^x86 8 B · x64 16 B · differs$/);
    // Hints after each member's `;`, with each ABI's offset.
    const hints = ls.getInlayHints(h, { start: 0, end: iface.length }, 'differing');
    assert.deepEqual(hints.map((x) => [x.offset, x.label]), [
      [at(iface, 'Count;', 6), ' +0 | +0 (4 B pad)'],
      [at(iface, 'Buffer;', 7), ' +4 | +8'],
    ]);
    assert.deepEqual(ls.getInlayHints(h, { start: 0, end: iface.length }, 'off'), []);
    const symbols = ls.getDocumentSymbols(h).map((s) => `${s.kind} ${s.name}`);
    assert.ok(symbols.includes('struct _FOO_SUBMIT') || symbols.some((s) => s.endsWith('FOO_SUBMIT')), symbols.join(', '));
    assert.ok(symbols.includes('ioctl IOCTL_FOO_SUBMIT'), symbols.join(', '));
    assert.equal(ls.recordAt(h, at(iface, 'void *Buffer'))?.name, '_FOO_SUBMIT');
    const code = ls.controlCodeAt(h, at(iface, 'IOCTL_FOO_SUBMIT', 3));
    assert.equal(code?.kind === 'ioctl' && code.code.value, 0x80002004);
  });
});
