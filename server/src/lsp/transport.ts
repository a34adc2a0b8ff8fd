/**
 * The protocol's edge below the connection: what vscode-jsonrpc does not do
 * for a server that must survive any client.
 *
 * - Framing (stdio): vscode-jsonrpc's stream reader reports a malformed
 *   header (`Content-Length: abc`, no `Content-Length`, a line without `:`)
 *   and then reads the rest of that message as the next header, so one bad
 *   message leaves the server deaf for good. `resyncingInput` sits between
 *   stdin and that reader: it passes on only well-formed frames and, after a
 *   malformed one, skips to the next line that starts `Content-Length:`. A
 *   length above `maxMessageBytes` is malformed too (waiting for it would
 *   swallow every later message).
 * - Shutdown: after `shutdown`, the LSP specification wants every request
 *   answered with `InvalidRequest` and notifications other than `exit`
 *   dropped; the library dispatches them as usual. `afterShutdownGuard`
 *   wraps the message reader (stdio or IPC) and answers them itself.
 * - Unusable messages: JSON-RPC 2.0 answers a body that is not JSON with
 *   `ParseError` and one that is JSON but not a request, notification or
 *   response (`[]`, `42`, `{"jsonrpc":"2.0"}`, a method that is not a
 *   string) with `InvalidRequest`, both with `id: null` unless the id can be
 *   read; the library only logs them, so the client would wait forever.
 *   A request whose params are neither an object nor an array (`null`, `7`)
 *   gets `InvalidParams` (the library's feature wrappers would fail with
 *   InternalError); `shutdown` is let through (some clients send `null`).
 *   Whatever the library throws while queueing a message (`$/cancelRequest`
 *   with `params: null`) is not reported as an unreadable message.
 *
 * Invariant: nothing here knows about documents or features.
 */

import { Transform, type Readable, type TransformCallback } from 'node:stream';
import {
  type Connection,
  type DataCallback,
  type Disposable,
  ErrorCodes,
  type Event,
  IPCMessageReader,
  IPCMessageWriter,
  type Message,
  type MessageReader,
  type MessageWriter,
  type PartialMessageInfo,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
  createConnection,
} from 'vscode-languageserver/node';

/** The largest message accepted: an open document may be 32 MB, and JSON escaping can double it. */
export const maxMessageBytes = 128 * 1024 * 1024;

const headerEnd = Buffer.from('\r\n\r\n');
const contentLength = 'content-length:';

/**
 * Splits stdin into LSP frames and re-emits only well-formed ones
 * (`Content-Length: N\r\n\r\n` + N bytes). `onDiscard` hears what was
 * skipped and why (for the server log).
 */
export function resyncingInput(input: Readable, onDiscard: (reason: string) => void): Readable {
  // Received bytes not yet passed on, as a list (a large body arrives in many
  // chunks and is joined once, when complete).
  let chunks: Buffer[] = [];
  let total = 0;
  /** Body bytes expected for the current frame, or -1 while reading a header. */
  let bodyLength = -1;

  function joined(): Buffer {
    if (chunks.length !== 1) chunks = [Buffer.concat(chunks, total)];
    return chunks[0];
  }
  function keepFrom(buffer: Buffer, at: number): void {
    chunks = [buffer.subarray(at)];
    total = chunks[0].length;
  }

  /**
   * Skips to the next `Content-Length:`; with none, past `garbageEnd` (the
   * end of the malformed header, so each call makes progress) but not past
   * a tail that may be the start of the next header.
   */
  function discardToNextHeader(buffer: Buffer, garbageEnd: number, reason: string): void {
    // The next `Content-Length:` after the first byte. A body does not end
    // with a newline, so the next header follows it directly. A match inside
    // a JSON string cannot be followed by a real blank line (JSON escapes
    // control characters), so it is itself malformed and skipped in turn.
    const text = buffer.toString('latin1').toLowerCase();
    let keep = text.indexOf(contentLength, 1);
    if (keep < 1) {
      // None: keep only a tail that may be the start of the next one.
      let partial = Math.min(contentLength.length - 1, text.length - garbageEnd);
      while (partial > 0 && !contentLength.startsWith(text.slice(text.length - partial))) partial--;
      keep = text.length - Math.max(0, partial);
    }
    onDiscard(`${reason}; skipped ${keep} byte(s) to the next header`);
    keepFrom(buffer, keep);
  }

  /** The length a header block announces, or why it is malformed. */
  function parseHeader(block: string): number | string {
    let length: number | undefined;
    for (const line of block.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon < 0) return `a header line without ':' (${JSON.stringify(line.slice(0, 40))})`;
      if (line.slice(0, colon).trim().toLowerCase() !== 'content-length') continue;
      const value = line.slice(colon + 1).trim();
      if (!/^\d{1,10}$/.test(value)) return `Content-Length ${JSON.stringify(value.slice(0, 40))} is not a number`;
      if (Number(value) > maxMessageBytes) return `Content-Length ${value} is above the ${maxMessageBytes} byte limit`;
      length = Number(value);
    }
    return length ?? 'a message header without Content-Length';
  }

  const transform = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      chunks.push(chunk);
      total += chunk.length;
      for (;;) {
        if (bodyLength < 0) {
          if (total === 0) break;
          const buffer = joined();
          const end = buffer.indexOf(headerEnd);
          if (end < 0) {
            // A header is a few dozen bytes; kilobytes without an end are not one.
            if (buffer.length > 8192) discardToNextHeader(buffer, 1, 'a message header without an end');
            break;
          }
          const header = parseHeader(buffer.subarray(0, end).toString('latin1'));
          if (typeof header === 'string') {
            discardToNextHeader(buffer, end + headerEnd.length, `malformed message: ${header}`);
            continue;
          }
          keepFrom(buffer, end + headerEnd.length);
          bodyLength = header;
        }
        if (total < bodyLength) break;
        const buffer = joined();
        this.push(Buffer.concat([Buffer.from(`Content-Length: ${bodyLength}\r\n\r\n`, 'latin1'), buffer.subarray(0, bodyLength)]));
        keepFrom(buffer, bodyLength);
        bodyLength = -1;
      }
      done();
    },
  });
  input.pipe(transform);
  return transform;
}

/** A message the library can dispatch: a request or notification (string method), or a response. */
function isUsable(m: unknown): m is Message {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return false;
  const o = m as { method?: unknown; id?: unknown; result?: unknown; error?: unknown };
  if (o.id !== undefined && o.id !== null && typeof o.id !== 'string' && typeof o.id !== 'number') return false;
  if (typeof o.method === 'string') return true;
  return o.id !== undefined && ('result' in o || 'error' in o);
}

/** The id a client gave an unusable message, if one can be read (else null, as JSON-RPC says). */
function readableId(m: unknown): string | number | null {
  const id = typeof m === 'object' && m !== null ? (m as { id?: unknown }).id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

const isRequest = (m: Message): m is Message & { id: number | string; method: string } =>
  typeof (m as { method?: unknown }).method === 'string' && (m as { id?: unknown }).id !== undefined && (m as { id?: unknown }).id !== null;
const isNotification = (m: Message): m is Message & { method: string } =>
  typeof (m as { method?: unknown }).method === 'string' && !isRequest(m);

/**
 * `reader` as the connection should see it: once a `shutdown` request has
 * gone through, later requests are answered `InvalidRequest` here, and
 * notifications other than `exit` are dropped.
 */
export function afterShutdownGuard(reader: MessageReader, writer: MessageWriter): MessageReader {
  let shutDown = false;
  return {
    get onError(): Event<Error> {
      return reader.onError;
    },
    get onClose(): Event<void> {
      return reader.onClose;
    },
    get onPartialMessage(): Event<PartialMessageInfo> {
      return reader.onPartialMessage;
    },
    listen(callback: DataCallback): Disposable {
      return reader.listen((message) => {
        if (!isUsable(message)) {
          // Neither a method nor a result/error, or an id that is neither a string nor a number: InvalidRequest.
          void writer.write({ jsonrpc: '2.0', id: readableId(message), error: { code: ErrorCodes.InvalidRequest, message: 'not a JSON-RPC request, notification or response' } } as Message);
          return;
        }
        if (isRequest(message) && message.method !== 'shutdown' && 'params' in message && (typeof message.params !== 'object' || message.params === null)) {
          // JSON-RPC params are an object or an array; the library's feature wrappers read `params.workDoneToken` and fail with InternalError.
          void writer.write({ jsonrpc: '2.0', id: message.id, error: { code: ErrorCodes.InvalidParams, message: `'${message.method}' takes an object as params` } } as Message);
          return;
        }
        if (shutDown && isRequest(message)) {
          void writer.write({
            jsonrpc: '2.0',
            id: message.id,
            error: { code: ErrorCodes.InvalidRequest, message: `the server has been shut down; '${message.method}' is not served` },
          } as Message);
          return;
        }
        if (shutDown && isNotification(message) && message.method !== 'exit') return;
        if (isRequest(message) && message.method === 'shutdown') shutDown = true;
        try {
          callback(message);
        } catch (err) {
          // The library threw while queueing it (`$/cancelRequest` with `params: null` reads `params.id`); the
          // reader would report that as an unreadable message. A notification is dropped; a request is answered.
          if (isRequest(message)) void writer.write({ jsonrpc: '2.0', id: message.id, error: { code: ErrorCodes.InvalidRequest, message: `the request could not be queued: ${String(err)}` } } as Message);
        }
      });
    },
    dispose: () => reader.dispose(),
  };
}

/**
 * The server's connection over stdio (`ioctl-lens serve --stdio`) or Node IPC
 * (the VS Code extension), with the framing and shutdown guards above.
 * `log` hears what was discarded (stderr: it reaches the client's log).
 */
export function createGuardedConnection(kind: 'stdio' | 'ipc', log: (message: string) => void): Connection {
  if (kind === 'ipc') {
    const writer = new IPCMessageWriter(process);
    return createConnection(ProposedFeatures.all, afterShutdownGuard(new IPCMessageReader(process), writer), writer);
  }
  const writer = new StreamMessageWriter(process.stdout);
  const reader = new StreamMessageReader(resyncingInput(process.stdin, (why) => log(`ioctl-lens: ${why}`)));
  reader.onError((err) => {
    // The frame was well formed (resyncingInput saw to that): its body is not JSON.
    log(`ioctl-lens: answered an unreadable message with ParseError: ${err.message}`);
    void writer.write({ jsonrpc: '2.0', id: null, error: { code: ErrorCodes.ParseError, message: `the message is not JSON: ${err.message}` } } as Message);
  });
  return createConnection(ProposedFeatures.all, afterShutdownGuard(reader, writer), writer);
}
