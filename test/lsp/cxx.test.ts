/**
 * C++ documents through the protocol: a `.hpp` is read as C++ (classes,
 * namespaces), records are named and found by qualified and plain names in
 * hovers, annotations and the layout view, and a `.h` the editor calls `cpp`
 * is still read as C when it is C.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type TestClient, positionOf, startClient, uriOf } from './client';

interface Hover {
  contents: { kind: string; value: string };
}

const iface = `#include <stdint.h>
namespace contoso {
namespace ioctl {
struct ReadRequest {
    uint32_t Size;
    void *Buffer;
};
} // namespace ioctl
namespace other {
struct ReadRequest { uint64_t Wide[4]; };
}
} // namespace contoso

/** Reads. @in contoso::ioctl::ReadRequest */
#define IOCTL_CONTOSO_READ CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)

struct Uses {
    contoso::other::ReadRequest Other;
};
`;

const plainC = `#ifdef __cplusplus
struct OnlyInCxx { int a; };
#endif
typedef struct _PLAIN { unsigned long Size; } PLAIN;
`;


describe('lsp: C++ documents', function () {
  this.timeout(30000);
  let c: TestClient;
  let dir: string;
  let ifaceUri: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-cxx-'));
    fs.writeFileSync(path.join(dir, 'iface.hpp'), iface);
    fs.writeFileSync(path.join(dir, 'plain.h'), plainC);
    c = await startClient({ rootPath: dir });
    ifaceUri = await c.open(path.join(dir, 'iface.hpp'), iface, 'cpp');
  });
  after(async () => {
    await c.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const hover = (uri: string, position: { line: number; character: number }) => c.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });

  it('hovers a record at its definition by its qualified name, and a qualified use by what it names', async () => {
    const atDefinition = await hover(ifaceUri, positionOf(iface, 'ReadRequest {', 2));
    assert.ok(atDefinition, 'a hover at the definition');
    assert.match(atDefinition.contents.value, /contoso::ioctl::ReadRequest/);
    assert.match(atDefinition.contents.value, /\b16\b/);
    const qualifiedUse = await hover(ifaceUri, positionOf(iface, 'ReadRequest Other', 2));
    assert.ok(qualifiedUse, 'a hover on contoso::other::ReadRequest');
    assert.match(qualifiedUse.contents.value, /contoso::other::ReadRequest/);
    assert.match(qualifiedUse.contents.value, /\b32\b/);
  });

  it('reads a qualified @in annotation and reports the buffer the 32-bit caller sees differently', async () => {
    const published = await c.diagnostics(ifaceUri, (p) => p.diagnostics.some((d) => d.code === 'unthunked-pointer'));
    const finding = published.diagnostics.find((d) => d.code === 'unthunked-pointer')!;
    assert.match(finding.message, /ReadRequest/);
  });

  it('opens the layout view by qualified and by plain name', async () => {
    for (const record of ['contoso::ioctl::ReadRequest', 'ReadRequest']) {
      const r = await c.request<{ model: { name: string; abis: { abi: string; size: number }[] } } | null>('ioctlLens/layoutView', { uri: ifaceUri, record });
      assert.ok(r, record);
      assert.equal(r.model.name, 'contoso::ioctl::ReadRequest');
      assert.deepEqual(r.model.abis.map((a) => [a.abi, a.size]), [['x86', 8], ['x64', 16]]);
    }
  });

  it('reads a .h the editor calls cpp as C when it is C', async () => {
    const uri = await c.open(path.join(dir, 'plain.h'), plainC, 'cpp');
    await c.diagnostics(uri);
    const symbols = await c.request<{ name: string }[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(symbols.map((s) => s.name).filter((n) => n !== 'PLAIN'), ['_PLAIN']);
  });

  it('reads a .h as C++ when .ioctl-lens.json says "language": "cpp"', async () => {
    const sub = path.join(dir, 'cxx');
    fs.mkdirSync(sub);
    fs.writeFileSync(path.join(sub, '.ioctl-lens.json'), '{ "language": "cpp" }\n');
    fs.writeFileSync(path.join(sub, 'plain.h'), plainC);
    const uri = await c.open(path.join(sub, 'plain.h'), plainC, 'cpp');
    await c.diagnostics(uri);
    const symbols = await c.request<{ name: string }[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.ok(symbols.some((s) => s.name === 'OnlyInCxx'), symbols.map((s) => s.name).join());
  });
});
