/**
 * The language server keeps the driver model of `check`: a header's
 * findings come from dispatch code in any file of its driver (found by the
 * workspace index), and editing a handler in another file updates them.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type PublishedDiagnostics, repoRoot, startClient, uriOf } from './client';

const fixture = path.join(repoRoot, 'test', 'fixtures', 'drivers');

const unthunked = (p: PublishedDiagnostics, type: string) => p.diagnostics.some((d) => d.code === 'unthunked-pointer' && d.message.includes(`'${type}'`));

/** Runs `body` on a copy of driver fixture `name` (beside the shared driver_stubs.h) in a temporary folder. */
async function withFixtureCopy(name: string, body: (drv: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ioctl-lens-${name}-`));
  try {
    fs.copyFileSync(path.join(fixture, 'driver_stubs.h'), path.join(dir, 'driver_stubs.h'));
    const drv = path.join(dir, 'drv');
    fs.mkdirSync(drv);
    for (const f of fs.readdirSync(path.join(fixture, name))) fs.copyFileSync(path.join(fixture, name, f), path.join(drv, f));
    await body(drv);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('lsp: whole-driver findings', function () {
  this.timeout(90000);

  it("reports a header's records from handlers in other files, and follows edits of a handler", async () => {
    await withFixtureCopy('handlers-in-files', async (drv) => {
      const c = await startClient({ rootPath: drv });
      try {
        const header = await c.open(path.join(drv, 'iface.h'));
        // HF_OPEN is only used by HfOpen in handlers.c, reached from the switch in control.c.
        const first = await c.diagnostics(header, (p) => unthunked(p, 'HF_OPEN') && unthunked(p, 'HF_DEEP'), 60000);
        const open = first.diagnostics.find((d) => d.code === 'unthunked-pointer' && d.message.includes("'HF_OPEN'"))!;
        assert.match(JSON.stringify(open.relatedInformation), /handlers\.c/);
        // Edit the handler: it no longer reads the buffer as HF_OPEN.
        const handlersPath = path.join(drv, 'handlers.c');
        const handlers = await c.open(handlersPath);
        const text = fs.readFileSync(handlersPath, 'utf8').replace('PHF_OPEN open = (PHF_OPEN)Irp->AssociatedIrp.SystemBuffer;', 'PHF_STATS open = (PHF_STATS)Irp->AssociatedIrp.SystemBuffer;').replace('open->Version', 'open->Packets').replace('sizeof(HF_OPEN)', 'sizeof(HF_STATS)');
        await c.change(handlers, 2, text);
        const after = await c.diagnostics(header, (p) => !unthunked(p, 'HF_OPEN') && unthunked(p, 'HF_DEEP'), 60000);
        assert.ok(after);
      } finally {
        await c.shutdown();
      }
    });
  });

  it('predefines _KERNEL_MODE for kernel-mode sources as check does, and the kernelMode setting turns it off', async () => {
    await withFixtureCopy('kernel-mode', async (drv) => {
      const unhandled = (p: PublishedDiagnostics) => p.diagnostics.some((d) => d.code === 'unhandled-32bit-caller');
      for (const kernelMode of [true, false]) {
        const c = await startClient({ rootPath: drv, settings: { kernelMode } });
        try {
          const source = await c.open(path.join(drv, 'driver.c'));
          // KM_REQ holds a pointer only under _KERNEL_MODE (driver.c includes "ntddk.h").
          const published = await c.diagnostics(source, () => true, 60000);
          assert.equal(unhandled(published), kernelMode, JSON.stringify(published.diagnostics.map((d) => d.code)));
        } finally {
          await c.shutdown();
        }
      }
    });
  });
});
