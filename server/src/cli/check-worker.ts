/**
 * A worker thread of `check` (`checkInThreads` in check.ts): checks the
 * drivers it is given with `runCheck` and posts the result (or the error)
 * on its port, then raises the shared counter the main thread waits on.
 */

import { type MessagePort, workerData } from 'node:worker_threads';
import { type CheckRequest, type WorkerReply, runCheck } from './check';

const { request, port, done } = workerData as { request: CheckRequest; port: MessagePort; done: Int32Array };
const failure = (e: unknown): WorkerReply => ({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
try {
  let reply: WorkerReply;
  try {
    reply = { result: runCheck(request) };
  } catch (e) {
    reply = failure(e);
  }
  try {
    port.postMessage(reply);
  } catch (e) {
    port.postMessage(failure(e));
  }
} finally {
  Atomics.add(done, 0, 1);
  Atomics.notify(done, 0);
}
