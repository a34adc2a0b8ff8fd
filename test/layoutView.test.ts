/**
 * The layout view's model and exporters: small headers, the segments each
 * ABI's row must show (padding, bit-field units, union lanes, nested records,
 * pointer-sized and differing members), and well-formed SVG.
 */

import * as assert from 'node:assert/strict';
import { analyzeFile, createSession } from '../server/src/core/analyze';
import { type LayoutViewModel, type LayoutViewSegment, buildLayoutView, toMarkdownTable, toSvg } from '../server/src/core/layoutView';
import { memoryHost } from '../server/src/core/source';

function model(text: string, target: { record: string } | { offset: number }, abis: ('x86' | 'x64' | 'arm64' | 'arm32')[] = ['x86', 'x64']): LayoutViewModel {
  const path = '/ws/a.h';
  const session = createSession(memoryHost({ [path]: text }));
  const analysis = analyzeFile(session, path, { abis });
  const m = buildLayoutView(analysis, 'record' in target ? target : { file: path, offset: target.offset });
  assert.ok(m, 'a model');
  return m;
}

/** `kind path@offset+size` for each segment of a lane, padding as `pad@offset+size`. */
function lane(segments: LayoutViewSegment[]): string[] {
  return segments.map((s) => (s.kind === 'padding' ? `pad@${s.offset}+${s.size}` : `${s.kind} ${s.path}@${s.offset}+${s.size}`));
}

const row = (m: LayoutViewModel, abi: string) => m.abis.find((a) => a.abi === abi)!;

/** A tiny XML well-formedness check: balanced tags, quoted attributes, known entities only. */
function assertWellFormedXml(xml: string): void {
  const stack: string[] = [];
  const tagRe = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  let roots = 0;
  while ((m = tagRe.exec(xml))) {
    const between = xml.slice(last, m.index);
    assert.ok(!/[<>]/.test(between), `stray markup near ${JSON.stringify(xml.slice(last, last + 80))}`);
    for (const ent of between.match(/&[^;\s]*;?/g) ?? []) assert.match(ent, /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);$/i);
    last = tagRe.lastIndex;
    if (!m[2]) continue;
    if (m[1]) assert.equal(stack.pop(), m[2], `closing </${m[2]}>`);
    else if (!m[4]) {
      if (stack.length === 0) roots++;
      stack.push(m[2]);
    } else if (stack.length === 0) roots++;
  }
  assert.ok(!/[<>]/.test(xml.slice(last)), 'stray markup at the end');
  assert.deepEqual(stack, [], 'unclosed tags');
  assert.equal(roots, 1, 'one root element');
}

describe('layoutView', () => {
  const session = `typedef struct _OPEN {
    ULONG Version;
    HANDLE CompletionEvent;
    UNICODE_STRING DeviceName;
    ULONG Flags;
} OPEN, *POPEN;
`;

  it('draws members, padding and pointer-sized members per ABI', () => {
    const m = model(session, { record: 'OPEN' });
    assert.equal(m.name, '_OPEN');
    assert.deepEqual(m.abis.map((a) => [a.abi, a.size, a.align]), [['x86', 20, 4], ['x64', 40, 8]]);
    assert.deepEqual(lane(row(m, 'x86').lanes[0]), ['member Version@0+4', 'member CompletionEvent@4+4', 'nested DeviceName@8+8', 'member Flags@16+4']);
    assert.deepEqual(lane(row(m, 'x64').lanes[0]), ['member Version@0+4', 'pad@4+4', 'member CompletionEvent@8+8', 'nested DeviceName@16+16', 'member Flags@32+4', 'pad@36+4']);
    // 4 + 4 here, and 4 inside DeviceName: the total is what the map hatches.
    assert.equal(row(m, 'x64').padding, 12);
    assert.equal(row(m, 'x86').padding, 0);
    const byPath = new Map(m.members.map((x) => [x.path, x]));
    assert.equal(byPath.get('CompletionEvent')!.pointerSized, true);
    assert.equal(byPath.get('Version')!.pointerSized, false);
    assert.equal(byPath.get('Version')!.differs, false);
    assert.equal(byPath.get('Flags')!.differs, true);
    assert.equal(byPath.get('Flags')!.sizeDiffers, false);
    assert.equal(byPath.get('CompletionEvent')!.sizeDiffers, true);
    assert.equal(m.differs, true);
    // Colours: one per member, the same on every ABI.
    const colours = (abi: string) => row(m, abi).lanes[0].filter((s) => s.kind !== 'padding').map((s) => s.colour);
    assert.deepEqual(colours('x86'), colours('x64'));
    assert.equal(new Set(colours('x86')).size, 4);
    // Reveal: the member's name in the source.
    assert.deepEqual(byPath.get('Flags')!.source, { file: '/ws/a.h', line: 5, col: 11, endLine: 5, endCol: 16 });
  });

  it('expands nested records with their own padding', () => {
    const m = model(session, { record: 'OPEN' });
    const nested = row(m, 'x64').lanes[0].find((s) => s.path === 'DeviceName')!;
    assert.deepEqual(lane(nested.lanes![0]), ['member DeviceName.Length@16+2', 'member DeviceName.MaximumLength@18+2', 'pad@20+4', 'member DeviceName.Buffer@24+8']);
    const buffer = m.members.find((x) => x.path === 'DeviceName.Buffer')!;
    assert.equal(buffer.depth, 1);
    assert.equal(buffer.parent, 'DeviceName');
    assert.equal(buffer.pointerSized, true);
    assert.deepEqual(buffer.perAbi.map((p) => [p.abi, p.offset, p.size]), [['x86', 12, 4], ['x64', 24, 8]]);
  });

  it('totals per ABI exactly the padding it hatches, nested records and union lanes included', () => {
    const text = `typedef struct _INNER { CHAR c; PVOID p; } INNER;
typedef struct _OUTER { CHAR a; INNER in[1]; union { CHAR u1; struct { SHORT s; INNER deep; } n; }; ULONG b; CHAR tail; } OUTER;
`;
    const hatched = (lanes: LayoutViewSegment[][]): number =>
      lanes.flat().reduce((sum, s) => sum + (s.kind === 'padding' ? s.size : s.lanes ? hatched(s.lanes) : 0), 0);
    for (const abi of ['x86', 'x64', 'arm64', 'arm32'] as const) {
      for (const record of ['OPEN', 'OUTER', 'INNER']) {
        const m = model(session + text, { record }, [abi]);
        assert.equal(m.abis[0].padding, hatched(m.abis[0].lanes), `${record} on ${abi}`);
      }
    }
    const outer = model(text, { record: 'OUTER' }, ['x64']);
    assert.ok(outer.abis[0].padding > 7 + 7, `nested INNER holes counted: ${outer.abis[0].padding}`);
  });

  it('finds the record under the cursor', () => {
    const text = 'struct A { int a; };\nstruct B { char b; int c; };\n';
    const m = model(text, { offset: text.indexOf('int c') });
    assert.equal(m.name, 'B');
    assert.deepEqual(lane(m.abis[0].lanes[0]), ['member b@0+1', 'pad@1+3', 'member c@4+4']);
  });

  it('draws bit-fields inside their storage unit', () => {
    const text = `#include <pshpack1.h>
typedef struct _STATS {
    UCHAR Channel;
    ULONG FramesDropped : 24;
    ULONG Overruns : 8;
    USHORT Low : 3;
    USHORT : 0;
    ULONGLONG Bytes;
} STATS;
#include <poppack.h>
`;
    const m = model(text, { record: 'STATS' });
    const segs = m.abis[0].lanes[0];
    assert.deepEqual(lane(segs), ['member Channel@0+1', 'bitfield FramesDropped@1+4', 'bitfield Low@5+2', 'member Bytes@7+8']);
    assert.deepEqual(segs[1].bits!.map((b) => [b.path, b.bitOffset, b.bitWidth]), [['FramesDropped', 0, 24], ['Overruns', 24, 8]]);
    assert.deepEqual(segs[2].bits!.map((b) => [b.path, b.bitOffset, b.bitWidth]), [['Low', 0, 3]]);
    assert.equal(m.members.find((x) => x.path === 'Overruns')!.kind, 'bitfield');
    assert.equal(m.differs, false);
  });

  it('stacks the alternatives of an anonymous union in lanes', () => {
    const text = `typedef struct _MSG {
    ULONG Kind;
    union {
        ULONG Small;
        PVOID Pointer;
        struct { USHORT Lo; USHORT Hi; };
    };
} MSG;
`;
    const m = model(text, { record: 'MSG' });
    const x64 = row(m, 'x64');
    assert.deepEqual(lane(x64.lanes[0]), ['member Kind@0+4', 'pad@4+4', 'nested <anonymous#1>@8+8']);
    const u = x64.lanes[0][2];
    assert.equal(u.lanes!.length, 3);
    assert.deepEqual(u.lanes!.map(lane), [['member <anonymous#1>.Small@8+4'], ['member <anonymous#1>.Pointer@8+8'], ['nested <anonymous#1>.<anonymous#2>@8+4']]);
    const anon = m.members.find((x) => x.path === '<anonymous#1>')!;
    assert.equal(anon.label, 'union');
    assert.equal(anon.kind, 'nested');
    assert.equal(m.members.find((x) => x.path === '<anonymous#1>.Pointer')!.pointerSized, true);
    assert.equal(m.members.find((x) => x.path === '<anonymous#1>.Small')!.differs, true);
    // x86: Small and the inner struct fill the union; no padding anywhere.
    assert.deepEqual(lane(row(m, 'x86').lanes[0]), ['member Kind@0+4', 'nested <anonymous#1>@4+4']);
  });

  it('marks pointer-sized integers by their sizes on 32- and 64-bit ABIs', () => {
    const m = model('typedef struct _R { ULONG_PTR Context; SIZE_T Length; ULONG64 Fixed; VOID * POINTER_32 P32; } R;', { record: 'R' }, ['x86', 'x64', 'arm64']);
    const ptr = (p: string) => m.members.find((x) => x.path === p)!.pointerSized;
    assert.deepEqual(['Context', 'Length', 'Fixed', 'P32'].map(ptr), [true, true, false, false]);
    assert.deepEqual(m.abis.map((a) => a.pointerSize), [4, 8, 8]);
  });

  it('scales big records to at most 64 cells', () => {
    const m = model('struct Big { char a[200]; int b; };', { record: 'Big' });
    assert.equal(m.maxSize, 204);
    assert.equal(m.bytesPerCell, 4);
  });

  it('exports a Markdown table', () => {
    const md = toMarkdownTable(model(session, { record: 'OPEN' }));
    assert.match(md, /^\*\*struct _OPEN\*\* — x86 20 B .* x64 40 B .*layouts differ/);
    assert.match(md, /\| Member \| Type \| x86 offset · size \| x64 offset · size \|/);
    assert.match(md, /\| `CompletionEvent` ⌖ ≠ \| HANDLE \| \*\*4 · 4 B\*\* \| \*\*8 · 8 B\*\* \|/);
    assert.match(md, /\| \*padding\* \| {2}\| — \| 4 · 4 B \|/);
    assert.match(md, /&nbsp;&nbsp;`Buffer` ⌖ ≠ \| PWCH \|/);
  });

  it('exports well-formed SVG in both themes', () => {
    for (const text of [session, 'typedef struct _M { ULONG K; union { ULONG A; PVOID B; }; ULONG X : 3; } M;']) {
      const name = text.includes('_OPEN') ? 'OPEN' : 'M';
      for (const theme of ['light', 'dark'] as const) {
        const svg = toSvg(model(text, { record: name }), theme);
        assertWellFormedXml(svg);
        assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
        assert.match(svg, />x64<\/text>/);
      }
    }
    const svg = toSvg(model(session, { record: 'OPEN' }), 'dark');
    assert.match(svg, /<title>CompletionEvent: offset 8, 8 B<\/title>/);
    assert.match(svg, /url\(#pad\)/);
    assert.match(svg, /stroke-dasharray/);
  });

  it('titles an unusable record as a usable one and points at its name as written (a C++ record in a namespace: its own name)', () => {
    const path = '/ws/a.hpp';
    const text = 'namespace ns {\nstruct Good { int a; };\nstruct Bad { char a[-1]; };\n}\n';
    const analysis = analyzeFile(createSession(memoryHost({ [path]: text })), path, { abis: ['x86', 'x64'], language: 'cpp' });
    const good = buildLayoutView(analysis, { record: 'ns::Good' })!;
    const bad = buildLayoutView(analysis, { record: 'ns::Bad' })!;
    assert.equal(good.unusable, undefined);
    assert.match(bad.unusable ?? '', /negative/);
    assert.deepEqual([good.name, good.kind, good.typedefs, good.source], ['ns::Good', 'struct', [], { file: path, line: 2, col: 8, endLine: 2, endCol: 12 }]);
    assert.deepEqual([bad.name, bad.kind, bad.typedefs, bad.source], ['ns::Bad', 'struct', [], { file: path, line: 3, col: 8, endLine: 3, endCol: 11 }]);
  });

  it('escapes names in SVG', () => {
    const m = model(session, { record: 'OPEN' });
    m.name = 'a<b>&"c';
    assertWellFormedXml(toSvg(m, 'light'));
  });
});
