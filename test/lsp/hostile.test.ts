/**
 * A repository you open cannot wedge the server: a workspace whose headers
 * (never opened, only indexed in the background), compile database and
 * configuration name `/dev/zero`, and an open header that includes
 * `/dev/stdin` (the server's own protocol stream). Before, the index read
 * `/dev/zero` until the heap gave out and the open header made the server
 * read its own input and hang; now each is a diagnostic and the server keeps
 * answering with its memory bounded.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type TestClient, startClient, uriOf } from './client';

/** Resident memory of a process in MiB (Linux). */
function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

describe('lsp: a hostile workspace', function () {
  this.timeout(60000);
  let ws: string;
  let c: TestClient;

  before(async () => {
    ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-hostile-')));
    fs.writeFileSync(`${ws}/zero.h`, '#include "/dev/zero"\ntypedef struct _Z { int z; } Z;\n');
    fs.writeFileSync(`${ws}/has.h`, '#if __has_include("/dev/zero")\ntypedef struct _HAS { int h; } HAS;\n#endif\n');
    fs.writeFileSync(`${ws}/main.c`, 'typedef struct _M { void *p; } M;\n');
    fs.writeFileSync(
      `${ws}/compile_commands.json`,
      JSON.stringify([{ directory: ws, file: `${ws}/main.c`, arguments: ['cl', '-include', '/dev/zero', '-c', 'main.c'] }]),
    );
    fs.writeFileSync(`${ws}/.ioctl-lens.json`, JSON.stringify({ forcedIncludes: ['/dev/zero'] }));
    c = await startClient({ rootPath: ws, settings: { index: { enabled: true } } });
  });
  after(async () => {
    await c.shutdown();
    fs.rmSync(ws, { recursive: true, force: true });
  });

  it('indexes the workspace without reading /dev/zero, and keeps answering', async () => {
    const deadline = Date.now() + 30000;
    while (!c.logs.some((l) => /index: \d+ files in/.test(l)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(c.logs.some((l) => /index: 3 files in/.test(l)), `index did not finish: ${c.logs.slice(-5).join('\n')}`);
    const symbols = await c.request<{ name: string }[]>('workspace/symbol', { query: '' });
    assert.deepEqual(symbols.map((s) => s.name).filter((n) => /^_?(Z|HAS|M)$/.test(n)).sort(), ['HAS', 'M', 'Z', '_HAS', '_M', '_Z']);
    assert.ok(rssMiB(c.proc.pid!) < 400, `server uses ${rssMiB(c.proc.pid!).toFixed(0)} MiB`);
  });

  it('an open header including /dev/stdin, and forced includes of /dev/zero, are diagnostics', async () => {
    const uri = await c.open(`${ws}/stdin.h`, '#include "/dev/stdin"\ntypedef struct _S { int s; } S;\n', 'c');
    const d = await c.diagnostics(uri);
    const messages = d.diagnostics.map((x) => `${x.range.start.line}: ${x.message}`);
    assert.ok(messages.some((m) => /^0: '\/dev\/stdin' is not read: it is (a FIFO|a socket)/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /'\/dev\/zero' is not read: it is a character device/.test(m)), messages.join('\n'));
    // Still answering: a hover on the struct.
    const h = await c.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 17 } });
    assert.match(h.contents.value, /_S/);
    const main = await c.open(`${ws}/main.c`);
    const md = await c.diagnostics(main);
    assert.ok(md.diagnostics.some((x) => /'\/dev\/zero' is not read/.test(x.message)), JSON.stringify(md.diagnostics));
    assert.equal(c.proc.exitCode, null);
    assert.ok(rssMiB(c.proc.pid!) < 400, `server uses ${rssMiB(c.proc.pid!).toFixed(0)} MiB`);
  });
});
