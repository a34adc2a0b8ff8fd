/**
 * The language server through the protocol: a real JSON-RPC client talks to
 * `ioctl-lens serve --stdio` about a small workspace (test/fixtures/lsp/ws)
 * and the Contoso sample.
 */

import { fileURLToPath, pathToFileURL } from 'node:url';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type TestClient, repoRoot, startClient, uriOf } from './client';

const ws = path.join(repoRoot, 'test/fixtures/lsp/ws');
const ifaceFile = path.join(ws, 'iface.h');
const driverFile = path.join(ws, 'driver.c');
const sampleFile = path.join(repoRoot, 'samples/driver/ioctl_interface.h');

/** The position of `needle` (its `nth` occurrence) in `text`, plus `delta` characters. */
function posOf(text: string, needle: string, delta = 0, nth = 0): { line: number; character: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `'${needle}' not found`);
  const before = text.slice(0, at + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

interface Hover {
  contents: { kind: string; value: string };
  range?: unknown;
}

describe('lsp: features through the protocol', function () {
  this.timeout(30000);
  let c: TestClient;
  const iface = fs.readFileSync(ifaceFile, 'utf8');
  const driver = fs.readFileSync(driverFile, 'utf8');
  let ifaceUri: string;
  let driverUri: string;

  before(async () => {
    c = await startClient({ rootPath: ws });
    ifaceUri = await c.open(ifaceFile);
    driverUri = await c.open(driverFile);
  });
  after(async () => c.shutdown());

  const hover = (uri: string, position: { line: number; character: number }) => c.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });

  it('publishes diagnostics with the document version', async () => {
    const d = await c.diagnostics(ifaceUri);
    assert.equal(d.version, 1);
    assert.ok(Array.isArray(d.diagnostics));
    for (const x of d.diagnostics) assert.equal(typeof x.code, 'string');
  });

  it('publishes rule findings with a link to the rule page and related places', async () => {
    const d = await c.diagnostics(ifaceUri, (p) => p.diagnostics.some((x) => x.code === 'unthunked-pointer'));
    const f = d.diagnostics.find((x) => x.code === 'unthunked-pointer')!;
    assert.match(f.message, /FOO_SUBMIT.*Buffer \(PVOID\) is 4 bytes on x86 and 8 on x64/);
    // The rule page installed beside the server, so the link works offline in any editor.
    assert.equal(f.codeDescription?.href, pathToFileURL(path.join(repoRoot, 'docs/rules/unthunked-pointer.md')).href);
    assert.ok(fs.existsSync(fileURLToPath(f.codeDescription!.href)));
    assert.ok((f.relatedInformation?.length ?? 0) >= 1, JSON.stringify(f));
    assert.equal(f.severity, 2);
  });

  it('reports a missing include at the #include line, with the rule code', async () => {
    const uri = uriOf(path.join(ws, 'broken.h'));
    await c.open(uri, '#include "does_not_exist.h"\ntypedef struct _B { ULONG a; } B;\n', 'c');
    const d = await c.diagnostics(uri);
    const missing = d.diagnostics.find((x) => x.code === 'pp-include-not-found');
    assert.ok(missing, JSON.stringify(d.diagnostics));
    assert.equal(missing.range.start.line, 0);
    assert.equal(missing.severity, 1);
  });

  it('hovers a struct: sizes per ABI, whether and why they differ, IOCTLs', async () => {
    const h = await hover(ifaceUri, posOf(iface, '_FOO_SUBMIT {', 2));
    assert.ok(h);
    const md = h.contents.value;
    assert.equal(h.contents.kind, 'markdown');
    assert.match(md, /struct _FOO_SUBMIT/);
    assert.match(md, /\| size ≠ +\| +12 B \| +24 B \|/);
    assert.match(md, /Layouts differ:.*`Buffer` \(PVOID\)/);
    assert.match(md, /IOCTL_FOO_SUBMIT.*\(in\)/);
  });

  it('hovers the typedef and the pointer typedef of a struct', async () => {
    const h = await hover(driverUri, posOf(driver, 'PFOO_SUBMIT', 3));
    assert.ok(h);
    assert.match(h.contents.value, /`PFOO_SUBMIT` is a pointer to/);
    const same = await hover(ifaceUri, posOf(iface, 'FOO_RESULT;', 1));
    assert.ok(same);
    assert.match(same.contents.value, /Same layout on all ABIs/);
  });

  it('hovers a member: offset, size, alignment and padding per ABI, marked where they differ', async () => {
    const h = await hover(ifaceUri, posOf(iface, 'Buffer;', 1));
    assert.ok(h);
    const md = h.contents.value;
    assert.match(md, /\*\*Buffer\*\* `PVOID`/);
    // One ≠ per differing row, after its label; the cells hold plain numbers.
    assert.match(md, /\| offset ≠ +\| +4 \| +8 \|/);
    assert.match(md, /\| size ≠ +\| +4 B \| +8 B \|/);
    assert.equal((md.match(/≠/g) ?? []).length, 5, md); // offset, size, align, padding before, and the note
    // Buffer moved: the x64 hole is before it.
    assert.match(md, /\| padding before ≠ +\| +0 B \| +4 B \|/);
    const count = await hover(ifaceUri, posOf(iface, 'Count;', 1));
    assert.match(count!.contents.value, /\| padding after ≠ +\| +0 B \| +4 B \|/);
    assert.doesNotMatch(count!.contents.value, /padding before/, 'Count did not move');
    const bits = await hover(ifaceUri, posOf(iface, 'Mode :', 1));
    assert.match(bits!.contents.value, /\| bits +\| +3, width 5 \| +3, width 5 \|/);
  });

  it('hovers an IOCTL macro and a numeric control code', async () => {
    const h = await hover(ifaceUri, posOf(iface, 'IOCTL_FOO_SUBMIT CTL', 3));
    assert.ok(h);
    const md = h.contents.value;
    assert.match(md, /0x80002004/);
    assert.match(md, /FILE_DEVICE_FOO/);
    assert.match(md, /function +\| 0x801/);
    assert.match(md, /METHOD_BUFFERED/);
    assert.match(md, /FILE_ANY_ACCESS/);
    assert.match(md, /in: `FOO_SUBMIT`; out: `FOO_RESULT`/);
    const n = await hover(driverUri, posOf(driver, '0x80002004', 4));
    assert.ok(n);
    assert.match(n.contents.value, /IOCTL_FOO_SUBMIT/);
    assert.match(n.contents.value, /METHOD_BUFFERED/);
  });

  it('hovers a member named in code (through a pointer variable and a parameter)', async () => {
    const text = driver.replace('return 0;', 'return submit->Count + local.Flags;');
    const uri = uriOf(path.join(ws, 'access.c'));
    await c.open(uri, text, 'c');
    const h = await hover(uri, posOf(text, 'submit->Count', 10));
    assert.ok(h);
    assert.match(h.contents.value, /\*\*Count\*\* `ULONG` — member of `_FOO_SUBMIT`/);
    const f = await hover(uri, posOf(text, 'local.Flags', 7));
    assert.match(f!.contents.value, /\*\*Flags\*\* `ULONG`/);
    assert.match(f!.contents.value, /\| bits +\| +0, width 3 \| +0, width 3 \|/);
    const defs = await c.request<{ uri: string; range: { start: { line: number } } }[]>('textDocument/definition', { textDocument: { uri }, position: posOf(text, 'submit->Count', 10) });
    assert.equal(defs[0].uri, ifaceUri);
    assert.equal(defs[0].range.start.line, posOf(iface, 'Count;').line);
  });

  it('answers null where there is nothing to say', async () => {
    assert.equal(await hover(ifaceUri, { line: 0, character: 0 }), null);
  });

  it('puts a code lens above each record and IOCTL definition', async () => {
    const lenses = await c.request<{ range: { start: { line: number } }; command: { title: string; command: string; arguments: unknown[] } }[]>('textDocument/codeLens', { textDocument: { uri: ifaceUri } });
    const titles = lenses.map((l) => l.command.title);
    assert.ok(titles.includes('x86 12 B · x64 24 B · differs'), titles.join('\n'));
    assert.ok(titles.includes('x86 8 B · x64 8 B · same on all ABIs'), titles.join('\n'));
    assert.ok(titles.some((t) => t.startsWith('0x80002004 · CTL_CODE(FILE_DEVICE_FOO (0x8000), 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)')), titles.join('\n'));
    const lens = lenses.find((l) => l.command.title.includes('differs'))!;
    assert.equal(lens.range.start.line, posOf(iface, 'typedef struct _FOO_SUBMIT').line);
    // Not our VS Code client: lenses run the server's command, which answers Markdown.
    const md = await c.request<string>('workspace/executeCommand', { command: lens.command.command, arguments: lens.command.arguments });
    assert.match(md, /\| member +\| type +\| +x86 \| +x64 \|/);
    assert.match(md, /Buffer ≠ +\| `PVOID` +\| +4 \/ 4 \| +8 \/ 8 \|/);
  });

  it('shows inlay hints for records that differ, not for those that do not', async () => {
    const hints = await c.request<{ position: { line: number; character: number }; label: string }[]>('textDocument/inlayHint', {
      textDocument: { uri: ifaceUri },
      range: { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } },
    });
    const byLine = new Map(hints.map((h) => [h.position.line, h.label.trim()]));
    assert.equal(byLine.get(posOf(iface, 'Count;').line), '+0 | +0 (4 B pad)');
    assert.equal(byLine.get(posOf(iface, 'Buffer;').line), '+4 | +8');
    assert.equal(byLine.get(posOf(iface, 'Flags :').line), '+8:0 | +16:0');
    assert.equal(byLine.get(posOf(iface, 'Status;').line), undefined);
    const buffer = hints.find((h) => h.label.trim() === '+4 | +8')!;
    assert.equal(buffer.position.character, posOf(iface, 'Buffer;', 7).character);
  });

  it('lists document symbols: records with members, IOCTLs', async () => {
    const symbols = await c.request<{ name: string; kind: number; children?: { name: string }[] }[]>('textDocument/documentSymbol', { textDocument: { uri: ifaceUri } });
    const names = symbols.map((s) => s.name);
    assert.deepEqual(names, ['IOCTL_FOO_SUBMIT', 'IOCTL_FOO_QUERY', '_FOO_SUBMIT', '_FOO_RESULT']);
    assert.deepEqual(symbols[2].children?.map((m) => m.name), ['Count', 'Buffer', 'Flags', 'Mode']);
    assert.equal(symbols[2].kind, 23); // Struct
  });

  it('finds workspace symbols, including files that are not open (index)', async () => {
    let found: { name: string; location: { uri: string } }[] = [];
    for (let i = 0; i < 100 && found.length === 0; i++) {
      found = await c.request('workspace/symbol', { query: 'BAR_ONLY' });
      if (found.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(found.some((s) => s.name === '_BAR_ONLY_IN_INDEX' && s.location.uri.endsWith('other.h')), JSON.stringify(found));
  });

  it('reports control codes duplicated in a file that is not open', async () => {
    const d = await c.diagnostics(ifaceUri, (p) => p.diagnostics.some((x) => x.code === 'duplicate-ioctl-code' && x.message.includes('IOCTL_BAR_SUBMIT')), 20000);
    const dup = d.diagnostics.find((x) => x.code === 'duplicate-ioctl-code' && x.message.includes('IOCTL_BAR_SUBMIT'))!;
    assert.equal(dup.codeDescription?.href, pathToFileURL(path.join(repoRoot, 'docs/rules/duplicate-ioctl-code.md')).href);
    assert.equal(dup.relatedInformation?.length, 1);
  });

  it('goes to the definition of a type and a macro across includes', async () => {
    const defs = await c.request<{ uri: string; range: { start: { line: number } } }[]>('textDocument/definition', { textDocument: { uri: driverUri }, position: posOf(driver, 'FOO_SUBMIT local', 2) });
    assert.equal(defs.length, 1);
    assert.equal(defs[0].uri, ifaceUri);
    // A typedef name goes to the typedef's declarator.
    assert.equal(defs[0].range.start.line, posOf(iface, '} FOO_SUBMIT,').line);
    const macro = await c.request<{ uri: string; range: { start: { line: number } } }[]>('textDocument/definition', { textDocument: { uri: ifaceUri }, position: posOf(iface, 'FILE_DEVICE_FOO,', 3) });
    assert.equal(macro[0].range.start.line, posOf(iface, '#define FILE_DEVICE_FOO').line);
  });

  it('finds references across files', async () => {
    const refs = await c.request<{ uri: string; range: { start: { line: number } } }[]>('textDocument/references', {
      textDocument: { uri: ifaceUri },
      position: posOf(iface, 'FOO_SUBMIT,', 1),
      context: { includeDeclaration: true },
    });
    const inDriver = refs.filter((r) => r.uri === driverUri).length;
    const inIface = refs.filter((r) => r.uri === ifaceUri).length;
    assert.equal(inDriver, 2, JSON.stringify(refs));
    // The annotation comment does not count, and `_FOO_SUBMIT`/`PFOO_SUBMIT` are other words.
    assert.equal(inIface, 1);
  });

  it('completes inside CTL_CODE(...) and @annotations in comments', async () => {
    const text = '#define IOCTL_X CTL_CODE(FILE_DEVICE_, 0x900, METHOD_, FILE_\n/** @ */\n/** @in FOO */\n#include "iface.h"\n';
    const uri = uriOf(path.join(ws, 'typing.h'));
    await c.open(uri, text, 'c');
    type Item = { label: string };
    const at = (needle: string, delta: number) => c.request<Item[]>('textDocument/completion', { textDocument: { uri }, position: posOf(text, needle, delta) });
    const devices = (await at('FILE_DEVICE_,', 12)).map((i) => i.label);
    assert.ok(devices.includes('FILE_DEVICE_UNKNOWN'), devices.join(' '));
    const methods = (await at('METHOD_,', 7)).map((i) => i.label);
    assert.deepEqual(methods.filter((m) => /^METHOD_(BUFFERED|NEITHER)$/.test(m)), ['METHOD_BUFFERED', 'METHOD_NEITHER']);
    const access = (await at('FILE_\n', 5)).map((i) => i.label);
    assert.ok(access.includes('FILE_READ_ACCESS') && access.includes('FILE_ANY_ACCESS'), access.join(' '));
    const fn = (await at('0x900', 0)).map((i) => i.label);
    // The next free function code after the included header's 0x801 and 0x802.
    assert.deepEqual(fn, ['0x803']);
    const tags = (await at('@ */', 1)).map((i) => i.label);
    assert.deepEqual(tags, ['in', 'out', 'inout', 'shadow32', 'count']);
    const types = (await at('@in FOO', 7)).map((i) => i.label);
    assert.ok(types.includes('FOO_SUBMIT') && types.includes('FOO_RESULT'), types.join(' '));
    // A macro wrapping CTL_CODE: its parameters complete like the CTL_CODE arguments they feed.
    const wrapped = '#define MY_IOCTL(fn, method) CTL_CODE(FILE_DEVICE_UNKNOWN, (fn), (method), FILE_ANY_ACCESS)\n#define IOCTL_Y MY_IOCTL(0x900, METH)\n';
    const wuri = uriOf(path.join(ws, 'wrapped.h'));
    await c.open(wuri, wrapped, 'c');
    const wm = await c.request<Item[]>('textDocument/completion', { textDocument: { uri: wuri }, position: posOf(wrapped, 'METH)', 4) });
    assert.ok(wm.map((i) => i.label).includes('METHOD_OUT_DIRECT'), wm.map((i) => i.label).join(' '));
    assert.ok(types.includes('FOO_SUBMIT') && types.includes('FOO_RESULT'), types.join(' '));
  });

  it('the Contoso sample: every record gets a lens; the HANDLE struct differs', async () => {
    const uri = await c.open(sampleFile);
    const lenses = await c.request<{ command: { title: string } }[]>('textDocument/codeLens', { textDocument: { uri } });
    const text = fs.readFileSync(sampleFile, 'utf8');
    const records = text.match(/^(typedef\s+)?(struct|union)\b[^;]*\{/gm)!.length;
    const ioctls = text.match(/^#define IOCTL_\w+ /gm)!.length;
    assert.equal(lenses.filter((l) => / B · /.test(l.command.title)).length, records);
    assert.equal(lenses.filter((l) => /^0x[0-9A-F]{8} · CTL_CODE\(/.test(l.command.title)).length, ioctls);
    const h = await hover(uri, posOf(text, 'CompletionEvent', 2));
    assert.match(h!.contents.value, /\| offset ≠ +\| +4 \| +8 \|/);
  });
});

describe('lsp: configuration', function () {
  this.timeout(30000);

  it('re-analyses open documents when the settings change (pull model)', async () => {
    let abis = ['x86', 'x64'];
    const c = await startClient({ rootPath: ws, configuration: () => ({ abis, index: { enabled: false } }), settings: { index: { enabled: false } } });
    try {
      const uri = await c.open(ifaceFile);
      await c.diagnostics(uri);
      const before = await c.request<{ command: { title: string } }[]>('textDocument/codeLens', { textDocument: { uri } });
      assert.ok(before.some((l) => l.command.title === 'x86 12 B · x64 24 B · differs'), before.map((l) => l.command.title).join('\n'));
      abis = ['x64', 'arm64', 'arm32'];
      const count = c.published.length;
      await c.notify('workspace/didChangeConfiguration', { settings: {} });
      await c.diagnostics(uri, () => c.published.length > count);
      const after = await c.request<{ command: { title: string } }[]>('textDocument/codeLens', { textDocument: { uri } });
      assert.ok(after.some((l) => l.command.title === 'x64 24 B · arm64 24 B · arm32 12 B · differs'), after.map((l) => l.command.title).join('\n'));
    } finally {
      await c.shutdown();
    }
  });

  it('reads the workspace configuration file and applies rule severities and switches', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-lsp-'));
    try {
      // JSON with comments, as the CLI reads it.
      fs.writeFileSync(path.join(dir, '.ioctl-lens.json'), '{\n  // the editor honours the CLI file\n  "abis": ["x86", "arm64"], "inlayHints": "all", "codeLens": false,\n  "rules": {"reserved-function-code": "off"},\n}\n');
      fs.writeFileSync(path.join(dir, 'a.h'), '#define IOCTL_A CTL_CODE(0x8000, 0x100, METHOD_BUFFERED, FILE_ANY_ACCESS)\ntypedef struct _A { ULONG a; } A;\n');
      const c = await startClient({ rootPath: dir, settings: { index: { enabled: false } } });
      try {
        const uri = await c.open(path.join(dir, 'a.h'));
        const d = await c.diagnostics(uri);
        assert.deepEqual(d.diagnostics, []);
        assert.deepEqual(await c.request('textDocument/codeLens', { textDocument: { uri } }), []);
        const hints = await c.request<{ label: string }[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } } });
        assert.deepEqual(hints.map((h) => h.label.trim()), ['+0']);
        const h = await c.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 16 } });
        assert.match(h.contents.value, /\| +\| +x86 \| +arm64 \|/);
      } finally {
        await c.shutdown();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('publishes problems in the configuration file on that file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-lsp-'));
    try {
      fs.writeFileSync(path.join(dir, '.ioctl-lens.json'), '{\n  "abis": ["x86", "x128"]\n}\n');
      fs.writeFileSync(path.join(dir, 'a.h'), 'typedef struct _A { ULONG a; } A;\n');
      const c = await startClient({ rootPath: dir, settings: { index: { enabled: false } } });
      try {
        await c.open(path.join(dir, 'a.h'));
        const d = await c.diagnostics(uriOf(path.join(dir, '.ioctl-lens.json')));
        assert.equal(d.diagnostics.length, 1, JSON.stringify(d.diagnostics));
        assert.match(d.diagnostics[0].message, /x128/);
        assert.equal(d.diagnostics[0].range.start.line, 1);
      } finally {
        await c.shutdown();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads include paths and defines from compile_commands.json', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-lsp-'));
    try {
      fs.mkdirSync(path.join(dir, 'inc'));
      fs.writeFileSync(path.join(dir, 'inc/types.h'), '#pragma once\ntypedef struct _T { ULONG a; WIDE_T b; } T;\n');
      fs.writeFileSync(path.join(dir, 'main.c'), '#include <types.h>\nT t;\n');
      fs.writeFileSync(path.join(dir, 'compile_commands.json'), JSON.stringify([{ directory: dir, file: 'main.c', arguments: ['clang', '-Iinc', '-DWIDE_T=ULONGLONG', '-c', 'main.c'] }]));
      const c = await startClient({ rootPath: dir, settings: { index: { enabled: false } } });
      try {
        const uri = await c.open(path.join(dir, 'main.c'));
        const d = await c.diagnostics(uri);
        assert.deepEqual(d.diagnostics.map((x) => x.message), []);
        const h = await c.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 0 } });
        assert.match(h.contents.value, /\| size +\| +16 B \| +16 B \|/);
      } finally {
        await c.shutdown();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
