/**
 * Code actions through the protocol beyond the fixtures: the capability,
 * Show layout as a command (it edits nothing) that the server executes,
 * `context.only` filtering, and diagnostics that are not ioctl-lens's.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type TestClient, repoRoot, startClient } from '../lsp/client';
import { type CodeAction, positionOf } from './harness';

describe('fixes: code action requests', function () {
  this.timeout(120000);
  const file = path.join(repoRoot, 'samples/driver/ioctl_interface.h');
  const text = fs.readFileSync(file, 'utf8');
  let c: TestClient;
  let uri: string;

  before(async () => {
    c = await startClient({ rootPath: path.dirname(file), settings: { index: { enabled: false } } });
    uri = await c.open(file, text);
    await c.diagnostics(uri);
  });
  after(async () => c.shutdown());

  const actions = (range: { start: { line: number; character: number }; end: { line: number; character: number } }, context: Record<string, unknown>) =>
    c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context });

  it('offers Show layout as a command the server runs, and Insert layout guards as an edit', async () => {
    const at = positionOf(text, text.indexOf('USHORT Major;'));
    const list = await actions({ start: at, end: at }, { diagnostics: [] });
    const show = list.find((a) => a.title === "Show layout of 'CONTOSO_VERSION'");
    assert.ok(show?.command && !show.edit, JSON.stringify(list));
    assert.equal(show.command.command, 'ioctlLens.layoutMarkdown');
    const md = await c.request<string | null>('workspace/executeCommand', { command: show.command.command, arguments: show.command.arguments });
    assert.match(md ?? '', /CONTOSO_VERSION/);
    assert.ok(list.some((a) => a.title === "Insert layout guards for 'CONTOSO_VERSION'" && a.kind === 'refactor.extract' && a.edit));
  });

  it('answers only the kinds asked for', async () => {
    const published = await c.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'unthunked-pointer'));
    const d = published.diagnostics.find((x) => x.code === 'unthunked-pointer')!;
    const quick = await actions(d.range, { diagnostics: [d], only: ['quickfix'] });
    assert.ok(quick.length > 0 && quick.every((a) => a.kind === 'quickfix'), JSON.stringify(quick.map((a) => a.kind)));
    assert.ok(quick.some((a) => a.isPreferred && a.title.startsWith('Generate 32-bit shadow')));
    const refactors = await actions(d.range, { diagnostics: [d], only: ['refactor'] });
    assert.ok(refactors.every((a) => a.kind?.startsWith('refactor')), JSON.stringify(refactors.map((a) => a.kind)));
    // The reorder refactor travels with misaligned-field, and only a refactor request gets it.
    const m = published.diagnostics.find((x) => x.code === 'misaligned-field')!;
    const quickOnly = await actions(m.range, { diagnostics: [m], only: ['quickfix'] });
    assert.ok(quickOnly.length > 0 && !quickOnly.some((a) => a.title.startsWith('Reorder')), JSON.stringify(quickOnly.map((a) => a.title)));
    const refactorOnly = await actions(m.range, { diagnostics: [m], only: ['refactor.rewrite'] });
    assert.ok(refactorOnly.some((a) => a.title.startsWith('Reorder')), JSON.stringify(refactorOnly.map((a) => a.title)));
  });

  it("ignores other tools' diagnostics and malformed contexts", async () => {
    const foreign = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, code: 'unthunked-pointer', source: 'clangd', message: 'x' };
    const none = await actions(foreign.range, { diagnostics: [foreign], only: ['quickfix'] });
    assert.deepEqual(none, []);
    const odd = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: null, context: { diagnostics: 'nope' } });
    assert.ok(Array.isArray(odd));
  });
});

describe('fixes: ioctlLens.thunkStyle', function () {
  this.timeout(120000);

  async function shadowEditText(thunkStyle: string | undefined): Promise<string> {
    const file = path.join(repoRoot, 'samples/driver/ioctl_interface.h');
    const text = fs.readFileSync(file, 'utf8');
    const settings: Record<string, unknown> = { index: { enabled: false } };
    if (thunkStyle) settings.thunkStyle = thunkStyle;
    const c = await startClient({ rootPath: path.dirname(file), settings });
    try {
      const uri = await c.open(file, text);
      const published = await c.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'unthunked-pointer'));
      const d = published.diagnostics.find((x) => x.code === 'unthunked-pointer' && /CONTOSO_MAP_RING/.test(x.message))!;
      const list = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
      const generate = list.find((a) => a.title.startsWith('Generate 32-bit shadow'));
      assert.ok(generate?.edit, JSON.stringify(list.map((a) => a.title)));
      return JSON.stringify(generate.edit);
    } finally {
      await c.shutdown();
    }
  }

  it('writes shadow pointers as ULONG by default and as VOID * POINTER_32 when set to pointer32', async () => {
    const byDefault = await shadowEditText(undefined);
    assert.match(byDefault, /ULONG MappedAddress;/);
    const pointer32 = await shadowEditText('pointer32');
    assert.match(pointer32, /VOID \* POINTER_32 MappedAddress;/);
  });
});
