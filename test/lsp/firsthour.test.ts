/**
 * What a new user meets first in an editor, through the protocol: the
 * notice when the built-in prelude stands in for missing WDK headers (one
 * quiet information-level diagnostic, its action, no errors on the types it
 * supplies), hovers readable as Markdown and as plain text (Neovim's float,
 * clients without Markdown), and a record's hover saying its shadow is stale.
 */

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { type TestClient, positionOf, repoRoot, startClient, uriOf } from './client';

interface Hover {
  contents: { kind: string; value: string };
}
interface Action {
  title: string;
  kind?: string;
  command?: { command: string };
  diagnostics?: { code?: string }[];
}

const dispatch = `#include <ntddk.h>
#include <wdf.h>
#include "contoso_private.h"

typedef struct _DEVICE_CONTEXT { WDFQUEUE Queue; PDEVICE_OBJECT Device; ULONG Flags; } DEVICE_CONTEXT;

NTSTATUS DispatchIoctl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    UNREFERENCED_PARAMETER(DeviceObject);
    return STATUS_SUCCESS;
}

VOID EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, size_t OutputBufferLength, size_t InputBufferLength, ULONG IoControlCode);
`;

const sample = path.join(repoRoot, 'samples/driver/ioctl_interface.h');


describe('lsp: the built-in prelude standing in for missing WDK headers', function () {
  this.timeout(30000);
  let c: TestClient;
  before(async () => {
    c = await startClient({ rootPath: path.join(repoRoot, 'test/fixtures/lsp/ws'), initializationOptions: { clientCommands: true } });
  });
  after(async () => c.shutdown());

  it('says so once, as information at the first such #include, and flags none of the types it supplies', async () => {
    const uri = uriOf(path.join(repoRoot, 'test/fixtures/lsp/ws/prelude_dispatch.c'));
    await c.open(uri, dispatch, 'c');
    const d = await c.diagnostics(uri);
    const notices = d.diagnostics.filter((x) => x.code === 'prelude-stands-in');
    assert.equal(notices.length, 1, JSON.stringify(d.diagnostics, null, 1));
    const notice = notices[0];
    assert.equal(notice.severity, 3, 'information, not an error');
    assert.equal(notice.range.start.line, 0);
    assert.match(notice.message, /'ntddk\.h', 'wdf\.h' are not on the include path: ioctl-lens uses its built-in Windows and WDK types instead/);
    assert.match(notice.message, /ioctlLens\.includePaths/);
    // The system headers are not reported as missing files; the driver's own header still is.
    const missing = d.diagnostics.filter((x) => x.code === 'pp-include-not-found');
    assert.deepEqual(missing.map((x) => [x.range.start.line, x.severity]), [[2, 1]]);
    assert.match(missing[0].message, /contoso_private\.h/);
    // PIRP, PDEVICE_OBJECT, WDFQUEUE, WDFREQUEST come from the prelude: no unknown-type errors.
    assert.deepEqual(d.diagnostics.filter((x) => /unknown type/.test(x.message)).map((x) => x.message), []);
  });

  it('offers the VS Code client an action that opens the include-path setting', async () => {
    const uri = uriOf(path.join(repoRoot, 'test/fixtures/lsp/ws/prelude_dispatch.c'));
    const d = await c.diagnostics(uri);
    const notice = d.diagnostics.find((x) => x.code === 'prelude-stands-in')!;
    const actions = await c.request<Action[]>('textDocument/codeAction', { textDocument: { uri }, range: notice.range, context: { diagnostics: [notice] } });
    const open = actions.filter((a) => a.command?.command === 'ioctlLens.configureIncludePaths');
    assert.equal(open.length, 1, JSON.stringify(actions));
    assert.equal(open[0].kind, 'quickfix');
    assert.equal(open[0].diagnostics?.[0].code, 'prelude-stands-in');
  });

  it('lays out records holding the prelude\'s kernel and KMDF handles as pointers', async () => {
    const uri = uriOf(path.join(repoRoot, 'test/fixtures/lsp/ws/prelude_dispatch.c'));
    const h = await c.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(dispatch, '_DEVICE_CONTEXT', 2) });
    assert.match(h.contents.value, /\| size ≠ +\| +12 B \| +24 B \|/);
  });

  it('keeps "file not found" an error for a header with no built-in stand-in', async () => {
    const uri = uriOf(path.join(repoRoot, 'test/fixtures/lsp/ws/prelude_none.h'));
    await c.open(uri, '#include <usbioctl.h>\ntypedef struct _U { HANDLE h; } U;\n', 'c');
    const d = await c.diagnostics(uri);
    assert.deepEqual(d.diagnostics.map((x) => [x.code, x.severity]), [['pp-include-not-found', 1]]);
  });
});

describe('lsp: a client without our commands gets the notice without the action', function () {
  this.timeout(30000);
  it('offers no action it could not run', async () => {
    const c = await startClient({ rootPath: path.join(repoRoot, 'test/fixtures/lsp/ws') });
    try {
      const uri = uriOf(path.join(repoRoot, 'test/fixtures/lsp/ws/prelude_other.c'));
      await c.open(uri, dispatch, 'c');
      const d = await c.diagnostics(uri);
      const notice = d.diagnostics.find((x) => x.code === 'prelude-stands-in')!;
      assert.ok(notice);
      const actions = await c.request<Action[]>('textDocument/codeAction', { textDocument: { uri }, range: notice.range, context: { diagnostics: [notice] } });
      assert.deepEqual(actions.filter((a) => a.command?.command === 'ioctlLens.configureIncludePaths'), []);
    } finally {
      await c.shutdown();
    }
  });
});

describe('lsp: hovers for clients with and without Markdown', function () {
  this.timeout(30000);
  const text = `typedef struct _FOO_SUBMIT {
    ULONG Count;
    PVOID Buffer;
    ULONG Flags : 3;
} FOO_SUBMIT;
`;

  async function hoverWith(contentFormat: string[] | undefined, needle: string, delta: number): Promise<Hover> {
    const capabilities = contentFormat ? { textDocument: { hover: { contentFormat } } } : {};
    const c = await startClient({ rootPath: path.join(repoRoot, 'test/fixtures/lsp/ws'), capabilities });
    try {
      const uri = uriOf(path.join(repoRoot, 'test/fixtures/lsp/ws/hover_format.h'));
      await c.open(uri, text, 'c');
      await c.diagnostics(uri);
      return await c.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, needle, delta) });
    } finally {
      await c.shutdown();
    }
  }

  it('answers plain text, in aligned columns, when the client\'s contentFormat lacks Markdown', async () => {
    const h = await hoverWith(['plaintext'], 'Buffer;', 1);
    assert.equal(h.contents.kind, 'plaintext');
    const value = h.contents.value;
    assert.doesNotMatch(value, /\*\*|`|\||---|&nbsp;/, value);
    const lines = value.split('\n');
    assert.equal(lines[0], 'Buffer PVOID — member of _FOO_SUBMIT');
    const header = lines.find((l) => /x86 +x64$/.test(l))!;
    const offset = lines.find((l) => l.startsWith('offset ≠'))!;
    const before = lines.find((l) => l.startsWith('padding before ≠'))!;
    assert.ok(header && offset && before, value);
    // Right-aligned columns: every row ends where the header does.
    for (const row of [offset, before]) assert.equal(row.length, header.length, `${row}\n${header}`);
    assert.match(offset, /4 +8$/);
    assert.match(before, /0 B +4 B$/);
  });

  it('answers Markdown to a client that lists it, and to one that lists no format', async () => {
    for (const format of [['markdown', 'plaintext'], undefined]) {
      const h = await hoverWith(format, 'Count;', 1);
      assert.equal(h.contents.kind, 'markdown');
      assert.match(h.contents.value, /^\*\*Count\*\* `ULONG`/);
    }
  });
});

describe('lsp: a record\'s hover says when its shadow is stale', function () {
  this.timeout(30000);
  it('on the native record and on the shadow', async () => {
    const c = await startClient({ rootPath: path.dirname(sample) });
    try {
      const uri = await c.open(sample);
      await c.diagnostics(uri, (p) => p.diagnostics.some((x) => x.code === 'stale-shadow'));
      const text = (await import('node:fs')).readFileSync(sample, 'utf8');
      const hover = (needle: string) => c.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, needle, 2) });
      const native = await hover('_CONTOSO_REQUEST {');
      assert.match(native.contents.value, /32-bit shadow: `_?CONTOSO_REQUEST32` — \*\*stale\*\*: Context is at offset 16 in the shadow but 12 in the native type/);
      const shadow = await hover('_CONTOSO_REQUEST32 {');
      assert.match(shadow.contents.value, /32-bit shadow of `_?CONTOSO_REQUEST` — \*\*stale\*\*/);
      const fresh = await hover('_CONTOSO_OPEN_SESSION {');
      assert.doesNotMatch(fresh.contents.value, /stale/);
    } finally {
      await c.shutdown();
    }
  });
});
