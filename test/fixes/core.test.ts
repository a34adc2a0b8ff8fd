/**
 * core/fixes without the protocol: the formatting helpers as data, and an
 * idempotence sweep over the samples — every fix of every finding is
 * applied in memory, the unit re-analysed, and then the finding is gone
 * (or, for fixes that leave it, such as UNALIGNED on one member, the fix is
 * no longer offered), no fix is offered twice, and no inserted piece
 * appears twice in a file.
 */

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeFile, createSession } from '../../server/src/core/analyze';
import { type Finding, runChecks } from '../../server/src/core/checks/index';
import { EditSet } from '../../server/src/core/fixes/edits';
import { castOperand } from '../../server/src/core/fixes/handle32';
import { type CodeFix, type FixContext, type FixEdit, createFixIndex, refactorsAt } from '../../server/src/core/fixes/index';
import { containsCode, detectStyle, formatFor } from '../../server/src/core/fixes/text';
import { memoryHost } from '../../server/src/core/source';
import { repoRoot, requireTool } from '../helpers';

describe('fixes: formatting helpers', () => {
  it('detects line endings, indentation unit and brace style', () => {
    assert.deepEqual(detectStyle('struct A {\n    int a;\n};\n'), { eol: '\n', indent: '    ', allman: false });
    assert.deepEqual(detectStyle('struct A {\r\n\tint a;\r\n};\r\n'), { eol: '\r\n', indent: '\t', allman: false });
    assert.equal(detectStyle('void f(void)\n{\n  if (x)\n  {\n    y();\n  }\n}\n').indent, '  ');
    assert.equal(detectStyle('void f(void)\n{\n  if (x)\n  {\n    y();\n  }\n}\n').allman, true);
    assert.equal(detectStyle('void f(void)\n{\n    if (x) {\n        y();\n    }\n}\n').allman, false);
  });

  it('re-formats generated code into the file style', () => {
    const code = 'if (a) {\n    b();\n} else {\n    c();\n}\n#if X\n    d();\n#endif';
    assert.equal(formatFor(code, { eol: '\r\n', indent: '\t', allman: false }), 'if (a) {\r\n\tb();\r\n} else {\r\n\tc();\r\n}\r\n#if X\r\n\td();\r\n#endif');
    assert.equal(formatFor(code, { eol: '\n', indent: '  ', allman: true }, '  '), '  if (a)\n  {\n    b();\n  }\n  else\n  {\n    c();\n  }\n#if X\n    d();\n#endif');
  });

  it('finds code already present whatever its whitespace and line endings', () => {
    assert.ok(containsCode('x;\r\ntypedef struct _A32 {\r\n\tULONG a;\r\n} A32;\r\n', 'typedef struct _A32 {\n    ULONG a;\n} A32;'));
    assert.ok(!containsCode('typedef struct _A32 { ULONG b; } A32;', 'typedef struct _A32 {\n    ULONG a;\n} A32;'));
  });

  it('never inserts a block the file (or the same fix) already has', () => {
    const file = '/w/a.h';
    const text = 'typedef struct _A { PVOID p; } A;\n\nC_ASSERT(sizeof(A32) == 4);\n';
    const ctx = { path: file, text: () => text } as unknown as FixContext;
    const edits = new EditSet(ctx);
    assert.equal(edits.insertBlocksAfterLine(file, 33, ['C_ASSERT(sizeof(A32) == 4);\n']), false);
    assert.equal(edits.insertBlocksAfterLine(file, 33, ['C_ASSERT(sizeof(B32) == 4);\n', 'C_ASSERT(sizeof(B32) == 4);\n']), true);
    assert.equal(edits.insertBlocksAfterLine(file, 0, ['C_ASSERT(sizeof(B32) == 4);']), false);
    assert.equal(edits.edits().length, 1);
    assert.equal(edits.edits()[0].newText, '\n\nC_ASSERT(sizeof(B32) == 4);');
  });
});

function applyAll(files: Map<string, string>, edits: FixEdit[]): Map<string, string> {
  const out = new Map(files);
  const byFile = new Map<string, FixEdit[]>();
  for (const e of edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, list] of byFile) {
    let text = out.get(file)!;
    const sorted = [...list].sort((a, b) => b.start - a.start);
    for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i].end <= sorted[i - 1].start, `overlapping edits in ${file}`);
    for (const e of sorted) text = text.slice(0, e.start) + e.newText + text.slice(e.end);
    out.set(file, text);
  }
  return out;
}

function analyse(files: Map<string, string>, main: string) {
  const session = createSession(memoryHost(Object.fromEntries(files)));
  const analysis = analyzeFile(session, main, { abis: ['x86', 'x64'] });
  const findings = runChecks([analysis], { inScope: (f) => f === main });
  const ctx: FixContext = { analysis, path: main, text: (f) => files.get(f) };
  return { findings, index: createFixIndex(ctx, findings), ctx };
}

const sameFinding = (a: Finding, b: Finding) => a.rule === b.rule && a.symbol === b.symbol && a.message === b.message;

describe('fixes: idempotence sweep over the samples (in memory)', function () {
  this.timeout(120000);
  const dirs = ['samples/driver', 'samples/clean'].map((d) => path.join(repoRoot, d));
  const files = new Map<string, string>();
  for (const d of dirs) for (const f of fs.readdirSync(d)) files.set(path.join(d, f), fs.readFileSync(path.join(d, f), 'utf8'));
  for (const main of [...files.keys()].filter((f) => !f.endsWith('kernel_stubs.h'))) {
    it(`${path.relative(repoRoot, main)}: every fix, applied, removes its finding or is no longer offered`, () => {
      const { findings, index } = analyse(files, main);
      let tried = 0;
      for (const f of findings) {
        for (const fix of index.fixes(f)) {
          tried++;
          assert.ok(fix.edits.length > 0, `${fix.title}: no edits`);
          const after = applyAll(files, fix.edits);
          const again = analyse(after, main);
          const still = again.findings.find((g) => sameFinding(f, g));
          if (still) {
            const titles = again.index.fixes(still).map((x) => x.title);
            assert.ok(!titles.includes(fix.title), `${f.rule} ${f.symbol}: '${fix.title}' is offered again after it was applied`);
          }
          // No block of generated code is inserted twice.
          for (const [file, text] of after) {
            for (const m of text.matchAll(/^typedef struct (_\w+32) \{/gm)) {
              assert.equal(text.split(m[0]).length - 1, 1, `${fix.title}: ${m[1]} defined twice in ${path.basename(file)}`);
            }
            for (const m of text.matchAll(/^(?:static )?NTSTATUS\r?\n(\w+32)\(/gm)) {
              assert.equal(text.split(`\n${m[1]}(`).length - 1, 1, `${fix.title}: ${m[1]} defined twice in ${path.basename(file)}`);
            }
          }
        }
      }
      if (/ioctl_interface\.h$|dispatch_wdm\.c$/.test(main)) assert.ok(tried > 0, 'the sample offers fixes');
    });
  }

  it('refactors: guards are offered once per record, and Show layout is a command', () => {
    const main = path.join(repoRoot, 'samples/driver/ioctl_interface.h');
    const { ctx } = analyse(files, main);
    const text = files.get(main)!;
    const at = text.indexOf('USHORT Major;');
    const fixes: CodeFix[] = refactorsAt(ctx, at);
    const guards = fixes.find((f) => f.title === "Insert layout guards for 'CONTOSO_VERSION'");
    assert.ok(guards, fixes.map((f) => f.title).join(' | '));
    assert.ok(fixes.some((f) => f.command?.name === 'show-layout' && f.command.type === 'CONTOSO_VERSION' && f.edits.length === 0));
    const after = applyAll(files, guards.edits);
    const again = analyse(after, main);
    const titles = refactorsAt(again.ctx, after.get(main)!.indexOf('USHORT Major;')).map((f) => f.title);
    assert.ok(!titles.includes(guards.title), titles.join(' | '));
    assert.deepEqual(refactorsAt(ctx, text.indexOf('#define FILE_DEVICE_CONTOSO')), []);
  });
});

describe('fixes: Insert layout guards for a record defined inside another', () => {
  const main = '/w/nested.h';
  const prologue = '#include <stddef.h>\n#define C_ASSERT(e) typedef char __C_ASSERT__[(e) ? 1 : -1]\n#define FIELD_OFFSET(t, f) ((long)offsetof(t, f))\n';
  const decl =
    'typedef struct _OUTER {\n    unsigned long Count;\n    struct _INNER {\n        void *Buffer;\n        struct _DEEP { unsigned long Id; void *Ctx; } Deep;\n        unsigned long Length;\n    } Inner;\n    void *Tail;\n} OUTER, *POUTER;\n';
  const text = `${prologue}${decl}\nunsigned long after_outer;\n`;
  const files = new Map([[main, text]]);

  for (const [member, name] of [
    ['void *Buffer;', 'struct _INNER'],
    ['unsigned long Id;', 'struct _DEEP'],
  ] as const) {
    it(`${name}: the guards go after the outermost declaration, and applying again is not offered`, function () {
      const { ctx } = analyse(files, main);
      const guards = refactorsAt(ctx, text.indexOf(member)).find((f) => f.title === `Insert layout guards for '${name}'`);
      assert.ok(guards, refactorsAt(ctx, text.indexOf(member)).map((f) => f.title).join(' | '));
      const after = applyAll(files, guards.edits).get(main)!;
      // The outer declaration is untouched and the guards follow its `;`.
      assert.ok(after.startsWith(prologue + decl), after);
      const inserted = after.slice(prologue.length + decl.length);
      assert.match(inserted, new RegExp(`^\\n/\\* ${name}: layout on x64 and x86 \\(ioctl-lens\\)\\. \\*/\\n#if defined\\(_WIN64\\)\\nC_ASSERT\\(sizeof\\(${name}\\) == \\d+\\);`));
      assert.ok(inserted.trimEnd().endsWith('unsigned long after_outer;'), inserted);
      const again = analyse(new Map([[main, after]]), main);
      assert.equal(refactorsAt(again.ctx, after.indexOf(member)).filter((f) => f.title === guards.title).length, 0, 'offered again after it was applied');
      // The guards hold: clang (Microsoft ABI) agrees with every number on both sides of the #if.
      if (!requireTool(this, 'clang')) return;
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-guards-'));
      try {
        fs.writeFileSync(path.join(dir, 'nested.c'), after);
        for (const target of ['i686-pc-windows-msvc', 'x86_64-pc-windows-msvc']) {
          const r = spawnSync('clang', ['-target', target, '-fsyntax-only', '-x', 'c', path.join(dir, 'nested.c')], { encoding: 'utf8' });
          assert.equal(r.status, 0, `${target}: ${r.stderr}`);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('fixes: Handle 32-bit callers reads the buffer expression whole', () => {
  it('castOperand: outer parentheses, parenthesised and compound operands, members and calls', () => {
    const at = (text: string) => castOperand(text, text.indexOf('#') + 1);
    assert.equal(at('x = ((PT)#Buffer);'), 'Buffer');
    assert.equal(at('x = (PT)#(Buffer);'), '(Buffer)');
    assert.equal(at('x = (PT)#Base + Offset;'), '(Base + Offset)');
    assert.equal(at('f((PT)#Irp->AssociatedIrp.SystemBuffer, n);'), 'Irp->AssociatedIrp.SystemBuffer');
    assert.equal(at('x = (PT)#WdfMemoryGetBuffer(m, NULL);'), 'WdfMemoryGetBuffer(m, NULL)');
    assert.equal(at('x = (PT)#p[1];'), '(p[1])');
  });

  it('a parenthesised cast of the buffer gives a capture call with balanced parentheses', () => {
    const dir = path.join(repoRoot, 'samples/driver');
    const files = new Map(fs.readdirSync(dir).map((f) => [path.join(dir, f), fs.readFileSync(path.join(dir, f), 'utf8')]));
    const main = path.join(dir, 'dispatch_wdm.c');
    const original = files.get(main)!;
    assert.ok(original.includes('= (PCONTOSO_SUBMIT_BATCH)buffer;'));
    files.set(main, original.replace('= (PCONTOSO_SUBMIT_BATCH)buffer;', '= ((PCONTOSO_SUBMIT_BATCH)buffer);'));
    const { findings, index } = analyse(files, main);
    const finding = findings.find((f) => f.rule === 'unhandled-32bit-caller' && f.message.includes('CONTOSO_SUBMIT_BATCH'));
    assert.ok(finding, findings.map((f) => f.message).join('\n'));
    const fix = index.fixes(finding).find((f) => f.title.startsWith('Handle 32-bit callers'));
    assert.ok(fix);
    const text = applyAll(files, fix.edits).get(main)!;
    const call = /^\s*status = (\w+)\((.*), &Captured32\);$/m.exec(text);
    assert.ok(call, text);
    assert.equal(call[2], '(PCONTOSO_SUBMIT_BATCH32)buffer');
  });
});

describe('fixes: Make layout-invariant keeps members usable', () => {
  const dir = path.join(repoRoot, 'samples/driver');
  const main = path.join(dir, 'ioctl_interface.h');
  const invariantFix = (files: Map<string, string>, symbol: string) => {
    const { findings, index } = analyse(files, main);
    const finding = findings.find((f) => f.rule === 'unthunked-pointer' && f.symbol === symbol);
    assert.ok(finding, findings.map((f) => `${f.rule} ${f.symbol}`).join('\n'));
    return index.fixes(finding).find((f) => f.title.includes('layout-invariant'));
  };

  it('is not offered for a pointer to records that themselves differ (indexing them would no longer compile)', () => {
    const files = new Map(fs.readdirSync(dir).map((f) => [path.join(dir, f), fs.readFileSync(path.join(dir, f), 'utf8')]));
    assert.match(files.get(main)!, /PCONTOSO_REQUEST Requests;/);
    assert.equal(invariantFix(files, 'CONTOSO_SUBMIT_BATCH'), undefined);
  });

  it('keeps the pointee of a typed buffer: WCHAR * POINTER_64, VOID * POINTER_64 for PVOID', () => {
    const files = new Map(fs.readdirSync(dir).map((f) => [path.join(dir, f), fs.readFileSync(path.join(dir, f), 'utf8')]));
    const text = `${files.get(main)!}\n/** @in NAMED_BUFFER */\n#define IOCTL_CONTOSO_NAMED CTL_CODE(FILE_DEVICE_CONTOSO, 0x8F0, METHOD_BUFFERED, FILE_ANY_ACCESS)\ntypedef struct _NAMED_BUFFER {\n    ULONG NameLength;\n    _Field_size_bytes_(NameLength) PWCHAR Name;\n    _Field_size_bytes_(NameLength) PVOID Data;\n} NAMED_BUFFER, *PNAMED_BUFFER;\n`;
    files.set(main, text);
    const fix = invariantFix(files, 'NAMED_BUFFER');
    assert.ok(fix);
    const after = applyAll(files, fix.edits).get(main)!;
    assert.match(after, /_Field_size_bytes_\(NameLength\) WCHAR \* POINTER_64 Name;/);
    assert.match(after, /_Field_size_bytes_\(NameLength\) VOID \* POINTER_64 Data;/);
  });
});

describe('fixes: record brace style', () => {
  it('puts a generated record brace on its own line when the file does', () => {
    const style = detectStyle('typedef struct _A\n{\n    ULONG a;\n} A;\n');
    assert.equal(style.recordAllman, true);
    assert.equal(formatFor('typedef struct _A32 {\n    ULONG a;\n} A32;', style), 'typedef struct _A32\n{\n    ULONG a;\n} A32;');
    assert.equal(detectStyle('typedef struct _A {\n    ULONG a;\n} A;\n').recordAllman, undefined);
  });
});
