/**
 * The workspace index through the protocol: progress reported with
 * `window/workDoneProgress`, cancellation honoured, and files changed on
 * disk re-indexed from `workspace/didChangeWatchedFiles`.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot, startClient, uriOf } from './client';

type Progress = { token: string | number; value: { kind: string; message?: string; percentage?: number } };

describe('lsp: workspace index', function () {
  this.timeout(60000);

  it('reports progress and stops when the client cancels', async () => {
    // The repository itself: enough files that indexing takes a while.
    const c = await startClient({ rootPath: repoRoot, capabilities: { window: { workDoneProgress: true }, workspace: {} } });
    try {
      const progress: Progress[] = [];
      c.conn.onNotification('$/progress', (p: Progress) => {
        progress.push(p);
      });
      const deadline = Date.now() + 30000;
      while (!progress.some((p) => p.value.kind === 'report') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(progress.some((p) => p.value.kind === 'begin'), JSON.stringify(progress.slice(0, 3)));
      const token = progress[0].token;
      await c.notify('window/workDoneProgress/cancel', { token });
      while (!progress.some((p) => p.value.kind === 'end') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(progress.some((p) => p.value.kind === 'end'));
      while (!c.logs.some((l) => /index: cancelled after \d+ of \d+ files/.test(l)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(c.logs.some((l) => /index: cancelled after \d+ of \d+ files/.test(l)), c.logs.join('\n'));
    } finally {
      await c.shutdown();
    }
  });

  it('re-indexes a file that changed on disk', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-lsp-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.h'), 'typedef struct _FIRST_NAME { ULONG a; } FIRST_NAME;\n');
      const c = await startClient({ rootPath: dir });
      try {
        const find = async (q: string) => {
          for (let i = 0; i < 100; i++) {
            const r = await c.request<{ name: string }[]>('workspace/symbol', { query: q });
            if (r.length) return r;
            await new Promise((res) => setTimeout(res, 50));
          }
          return [];
        };
        assert.ok((await find('FIRST_NAME')).length > 0);
        fs.writeFileSync(path.join(dir, 'a.h'), 'typedef struct _SECOND_NAME { ULONG a; } SECOND_NAME;\n');
        await c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path.join(dir, 'a.h')), type: 2 }] });
        assert.ok((await find('SECOND_NAME')).length > 0);
        assert.deepEqual(await c.request('workspace/symbol', { query: 'FIRST_NAME' }), []);
      } finally {
        await c.shutdown();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
