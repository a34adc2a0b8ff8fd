/**
 * The protocol edge with real bytes on the server's stdin: malformed frames
 * are skipped and the server answers the next message (before, one
 * `Content-Length: abc` left it alive but deaf for good), a body that is not
 * JSON or not a message gets the JSON-RPC error for it, requests after
 * `shutdown` get `InvalidRequest`, and `exit` ends the process. Plus the framing filter itself, fed one byte at a time.
 */

import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { maxMessageBytes, resyncingInput } from '../../server/src/lsp/transport';
import { repoRoot } from './client';

interface RawServer {
  proc: ChildProcess;
  stderr: () => string;
  send(bytes: string | Buffer): void;
  /** The response with this id (resolves when it arrives). */
  response(id: number, timeoutMs?: number): Promise<{ id: number; result?: unknown; error?: { code: number; message: string } }>;
  close(): Promise<void>;
}

export const frame = (message: object): string => {
  const body = Buffer.from(JSON.stringify(message));
  return `Content-Length: ${body.length}\r\n\r\n${body.toString()}`;
};

/** Splits a byte stream into JSON-RPC messages (the test's own minimal reader). */
export function frames(onMessage: (m: Record<string, unknown>) => void): (chunk: Buffer) => void {
  let buffer = Buffer.alloc(0);
  return (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, end).toString())?.[1]);
      if (buffer.length < end + 4 + length) return;
      onMessage(JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString()) as Record<string, unknown>);
      buffer = buffer.subarray(end + 4 + length);
    }
  };
}

export async function startRaw(): Promise<RawServer> {
  const proc = spawn(process.execPath, [path.join(repoRoot, 'bin/ioctl-lens.js'), 'serve', '--stdio'], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const responses = new Map<number, Record<string, unknown>>();
  const waiters = new Map<number, (m: Record<string, unknown>) => void>();
  proc.stdout!.on(
    'data',
    frames((m) => {
      if (typeof m.id !== 'number' || 'method' in m) return;
      responses.set(m.id, m);
      waiters.get(m.id)?.(m);
    }),
  );
  const server: RawServer = {
    proc,
    stderr: () => stderr,
    send: (bytes) => void proc.stdin!.write(bytes),
    response(id, timeoutMs = 10000) {
      const got = responses.get(id);
      if (got) return Promise.resolve(got as never);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no response ${id} within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
        waiters.set(id, (m) => (clearTimeout(timer), resolve(m as never)));
      });
    },
    async close() {
      if (proc.exitCode === null) proc.kill();
    },
  };
  server.send(frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }));
  await server.response(1);
  server.send(frame({ jsonrpc: '2.0', method: 'initialized', params: {} }));
  return server;
}

const symbolRequest = (id: number) => frame({ jsonrpc: '2.0', id, method: 'workspace/symbol', params: { query: 'x' } });

describe('lsp protocol: malformed frames with real bytes on stdin', function () {
  this.timeout(30000);
  let s: RawServer;
  before(async () => {
    s = await startRaw();
  });
  after(() => s.close());

  const cases: [string, string][] = [
    ['Content-Length: abc', 'Content-Length: abc\r\n\r\n{"jsonrpc":"2.0","id":99,"method":"shutdown"}'],
    ['no Content-Length', 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{"jsonrpc":"2.0","id":98,"method":"shutdown"}'],
    ['a header line without a colon', 'hello there\r\n\r\n'],
    ['a negative length', 'Content-Length: -5\r\n\r\n{}'],
    ['a length above the limit', `Content-Length: ${maxMessageBytes + 1}\r\n\r\n{}`],
    ['garbage without any header end', 'x'.repeat(20000)],
    ['a body that is not JSON', 'Content-Length: 11\r\n\r\n{not json!}'],
    ['a JSON body that is not a message', 'Content-Length: 7\r\n\r\n[1,2,3]'],
    ['a short length cutting a message in two', 'Content-Length: 10\r\n\r\n{"jsonrpc":"2.0","id":97,"method":"shutdown"}'],
  ];
  let id = 10;
  for (const [what, bytes] of cases) {
    it(`${what}: skipped, and the next request is answered`, async () => {
      const mine = ++id;
      s.send(bytes);
      s.send(symbolRequest(mine));
      const r = await s.response(mine);
      assert.deepEqual(r.result, []);
      assert.equal(s.proc.exitCode, null);
    });
  }

  it('a malformed frame split across writes, then two requests in one write', async () => {
    for (const ch of 'Content-Length: 1x\r\n\r\n{}') s.send(ch);
    s.send(symbolRequest(50) + symbolRequest(51));
    assert.deepEqual((await s.response(50)).result, []);
    assert.deepEqual((await s.response(51)).result, []);
    assert.match(s.stderr(), /malformed message: Content-Length "1x" is not a number/);
    // None of the shutdown requests hidden in malformed frames was obeyed.
    s.send(symbolRequest(52));
    assert.deepEqual((await s.response(52)).result, []);
  });
});

describe('lsp protocol: unusable messages get the JSON-RPC answer (they were only logged; the client waited forever)', function () {
  this.timeout(30000);

  it('ParseError for a body that is not JSON, InvalidRequest for JSON that is no message, InvalidParams for params that are no object', async () => {
    const s = await startRaw();
    const all: Record<string, unknown>[] = [];
    s.proc.stdout!.on('data', frames((m) => all.push(m)));
    try {
      const body = (text: string) => `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`;
      const errorFor = async (bytes: string, id: number | null, code: number) => {
        const before = all.length;
        s.send(bytes);
        s.send(symbolRequest(200 + before));
        await s.response(200 + before);
        const got = all.slice(before).filter((m) => !('method' in m) && m.id === id);
        assert.equal(got.length, 1, `${bytes}: ${JSON.stringify(all.slice(before))}`);
        assert.equal((got[0].error as { code: number }).code, code, JSON.stringify(got[0]));
      };
      await errorFor(body('{"jsonrpc":"2.0","id":7,"method":"textDocument/hov'), null, -32700);
      await errorFor(body('not json'), null, -32700);
      for (const text of ['[]', '42', 'null', '{"jsonrpc":"2.0"}', '{"jsonrpc":"2.0","id":true,"method":"initialize"}']) await errorFor(body(text), null, -32600);
      await errorFor(body('{"jsonrpc":"2.0","id":61,"method":5}'), 61, -32600);
      await errorFor(frame({ jsonrpc: '2.0', id: 62, method: 'textDocument/hover', params: null }), 62, -32602);
      await errorFor(frame({ jsonrpc: '2.0', id: 63, method: 'workspace/symbol', params: 'x' }), 63, -32602);
      await errorFor(frame({ jsonrpc: '2.0', id: 64, method: 'no/such', params: {} }), 64, -32601);
      // A notification the library cannot queue ($/cancelRequest without params) is dropped quietly, not answered.
      const before = all.length;
      s.send(frame({ jsonrpc: '2.0', method: '$/cancelRequest', params: null }));
      s.send(frame({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: 5, languageId: 'c', version: 1, text: 'int x;' } } }));
      s.send(symbolRequest(65));
      await s.response(65);
      assert.deepEqual(all.slice(before).filter((m) => !('method' in m) && m.id !== 65), []);
      assert.doesNotMatch(s.stderr(), /TypeError|\n\s+at /);
      // shutdown may carry params: null (some clients send it).
      s.send(frame({ jsonrpc: '2.0', id: 66, method: 'shutdown', params: null }));
      assert.equal((await s.response(66)).result, null);
    } finally {
      await s.close();
    }
  });
});

describe('lsp protocol: after shutdown', function () {
  this.timeout(30000);

  it('answers requests with InvalidRequest, drops notifications, and exits 0 on exit', async () => {
    const s = await startRaw();
    try {
      s.send(frame({ jsonrpc: '2.0', id: 2, method: 'shutdown' }));
      assert.equal((await s.response(2)).result, null);
      s.send(frame({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///x.h', languageId: 'c', version: 1, text: 'int x;' } } }));
      s.send(frame({ jsonrpc: '2.0', id: 3, method: 'textDocument/hover', params: { textDocument: { uri: 'file:///x.h' }, position: { line: 0, character: 4 } } }));
      s.send(symbolRequest(4));
      s.send(frame({ jsonrpc: '2.0', id: 5, method: 'shutdown' }));
      for (const id of [3, 4, 5]) {
        const r = await s.response(id);
        assert.equal(r.error?.code, -32600, JSON.stringify(r));
        assert.match(r.error!.message, /shut down/);
      }
      const exited = new Promise<number | null>((resolve) => s.proc.on('exit', (code) => resolve(code)));
      s.send(frame({ jsonrpc: '2.0', method: 'exit' }));
      assert.equal(await exited, 0);
    } finally {
      await s.close();
    }
  });
});

describe('lsp transport: the framing filter', () => {
  /** Feeds `input` to the filter in pieces of `size` bytes; returns the frames passed on and the discard notes. */
  async function filter(input: string, size: number): Promise<{ out: string; notes: string[] }> {
    const source = new PassThrough();
    const notes: string[] = [];
    const sink = resyncingInput(source, (n) => notes.push(n));
    let out = '';
    sink.on('data', (d: Buffer) => (out += d.toString('latin1')));
    const bytes = Buffer.from(input, 'latin1');
    for (let i = 0; i < bytes.length; i += size) source.write(bytes.subarray(i, i + size));
    source.end();
    await new Promise((r) => sink.on('end', r));
    return { out, notes };
  }

  it('passes well-formed frames through unchanged, however they are split', async () => {
    const input = frame({ a: 1 }) + 'Content-Type: x; charset=utf-8\r\ncontent-length: 2\r\n\r\n{}' + frame({ b: 'Content-Length: 3\r\n' });
    const expected = frame({ a: 1 }) + 'Content-Length: 2\r\n\r\n{}' + frame({ b: 'Content-Length: 3\r\n' });
    for (const size of [1, 2, 3, 7, 64, 100000]) {
      const r = await filter(input, size);
      assert.equal(r.out, expected, `chunks of ${size}`);
      assert.deepEqual(r.notes, []);
    }
  });

  it('drops each malformed frame and resynchronises on the next header, however it is split', async () => {
    const good = frame({ ok: true });
    const input = 'Content-Length: abc\r\n\r\n{"x":1}' + good + 'junk\r\n\r\n' + good + 'Content-Length: 5\r\nbroken\r\n\r\n12345' + good;
    for (const size of [1, 5, 13, 100000]) {
      const r = await filter(input, size);
      assert.equal(r.out, good + good + good, `chunks of ${size}: ${r.notes.join('; ')}`);
      // Each bad frame is noted (a body arriving after its header was judged may be noted again).
      assert.ok(r.notes.length >= 3 && r.notes.every((n) => n.startsWith('malformed message')), r.notes.join('\n'));
    }
  });
});
