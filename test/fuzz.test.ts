/**
 * Fuzzing in CI, seeded and time-bounded.
 *
 * - Commands: corpus headers and the sample driver's files, mutated
 *   (test/mutate.ts), through every CLI command in-process (`layout`, its JSON
 *   on four ABIs, `check` in text, JSON and SARIF, `thunk` for a record of the
 *   input, with each dispatch flavour and for an unknown type): each returns
 *   0, 1 or 2, prints no stack trace, and its JSON parses.
 * - The server, over the protocol: each mutated text is opened, analysed,
 *   hovered, asked for definitions, completions, symbols, lenses, hints and
 *   code actions at random places; one offered edit is applied (it must not
 *   overlap itself) as an incremental change and the result re-analysed. No
 *   request may fail, nothing may be logged as failed, the process stays up.
 * - The protocol: a random run of malformed headers, bodies that are not
 *   JSON, JSON that is no message, unknown methods, wrong params,
 *   out-of-range positions, edits with bad ranges and requests for documents
 *   never opened. Each request gets exactly the answer JSON-RPC/LSP wants
 *   (ParseError, InvalidRequest, MethodNotFound, or a result), and the server
 *   then shuts down cleanly.
 *
 * The seed is printed; FUZZ_SEED=n replays a run, FUZZ_MS sets the budget
 * (default 24 s over the three parts). A failing input is written to
 * test/fixtures/fuzz/ (commit it): the replay test runs every fixture there
 * on every run, so a bug once found stays fixed.
 */

import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomInt } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../server/src/cli/main';
import { type CodeAction, type LspTextEdit, applyEdits, positionOf } from './fixes/harness';
import { repoRoot } from './helpers';
import { type TestClient, startClient, uriOf } from './lsp/client';
import { mutate, mutationInputs, rng } from './mutate';

const fixtureDir = path.join(repoRoot, 'test/fixtures/fuzz');
const seed = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) >>> 0 : randomInt(1, 2 ** 31);
const budgetMs = Number(process.env.FUZZ_MS ?? 24000);

/** A failing input, as saved under test/fixtures/fuzz/ and replayed. */
type Fixture =
  | { kind: 'cli' | 'server'; seed: number; found: string; input: string; text: string }
  | { kind: 'protocol'; seed: number; found: string; frames: Frame[] };

/** One thing written to the server's stdin, and the answer it must get (if it is a request). */
interface Frame {
  /** The bytes, as a latin1 string (headers included). */
  raw: string;
  expect?: { id: string | number | null; answer: 'result' | 'result-or-invalid-params' | number };
}

function save(f: Fixture): string {
  fs.mkdirSync(fixtureDir, { recursive: true });
  const body = JSON.stringify(f, null, 2);
  const file = path.join(fixtureDir, `${f.kind}-${createHash('sha1').update(body).digest('hex').slice(0, 10)}.json`);
  fs.writeFileSync(file, `${body}\n`);
  return path.relative(repoRoot, file);
}

/** A copy of the corpus and the sample driver (each mutated file sits among its neighbours, so includes resolve). */
function workspace(): { dir: string; at(input: string): string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-fuzz-'));
  for (const folder of new Set(mutationInputs.map((f) => path.dirname(f)))) {
    const to = path.join(dir, path.relative(repoRoot, folder));
    fs.mkdirSync(to, { recursive: true });
    for (const f of fs.readdirSync(folder)) fs.copyFileSync(path.join(folder, f), path.join(to, f));
  }
  fs.writeFileSync(path.join(dir, 'test/corpus/self.h'), '#include "self.h"\nint x;\n');
  return { dir, at: (input) => path.join(dir, input) };
}

/** What a fuzz run did, for its report line. */
const stats = { commands: 0, requests: 0, applied: 0 };

const crashed = /\n\s+at .+:\d+:\d+\)?|\b(TypeError|RangeError|ReferenceError|SyntaxError|InternalError)\b|Maximum call stack|heap out of memory/;

// ---------------------------------------------------------------------------
// Commands, in-process.

/** Runs every command on `file` (text as it is on disk); returns what went wrong, if anything. */
function commandsOn(file: string): string | undefined {
  const cwd = path.dirname(file);
  const run = (argv: string[]): { status: number; out: string; err: string } | string => {
    let out = '';
    let err = '';
    let status: number;
    stats.commands++;
    try {
      status = main(argv, { out: (s) => (out += s), err: (s) => (err += s), isTty: false, cwd });
    } catch (e) {
      return `ioctl-lens ${argv.join(' ')} threw: ${e instanceof Error ? e.stack : String(e)}`;
    }
    if (![0, 1, 2].includes(status)) return `ioctl-lens ${argv.join(' ')} exited ${status}`;
    if (crashed.test(err) || crashed.test(out)) return `ioctl-lens ${argv.join(' ')} printed a crash:\n${(crashed.exec(err) ? err : out).slice(0, 2000)}`;
    return { status, out, err };
  };
  const parses = (argv: string[]): unknown | string => {
    const r = run(argv);
    if (typeof r === 'string') return r;
    if (r.status === 2) return undefined;
    try {
      return JSON.parse(r.out);
    } catch (e) {
      return `ioctl-lens ${argv.join(' ')}: output is not JSON (${(e as Error).message})`;
    }
  };
  for (const argv of [['layout', file], ['check', file]]) {
    const r = run(argv);
    if (typeof r === 'string') return r;
  }
  const layout = parses(['layout', '--json', '--abi', 'x86,x64,arm64,arm32', file]);
  if (typeof layout === 'string') return layout;
  for (const format of ['json', 'sarif']) {
    const r = parses(['check', '--format', format, file]);
    if (typeof r === 'string') return r;
  }
  const records = Array.isArray(layout) ? (layout as { records?: { name?: string; typedefs?: string[] }[] }[]).flatMap((a) => a.records ?? []) : [];
  const type = records.map((r) => r.typedefs?.find((t) => !t.startsWith('*')) ?? r.name).find((n) => typeof n === 'string' && n.length > 0);
  const thunks = [['thunk', '--type', 'NO_SUCH_RECORD_', file]];
  if (type) thunks.push(['thunk', '--type', type, file], ['thunk', '--type', type, '--dispatch', 'wdm', '--direction', 'in', file], ['thunk', '--type', type, '--style', 'pointer32', '--dispatch', 'kmdf', file]);
  for (const argv of thunks) {
    const r = run(argv);
    if (typeof r === 'string') return r;
  }
  return undefined;
}

function commandsCase(ws: { at(input: string): string }, input: string, text: string): string | undefined {
  const file = ws.at(input);
  const original = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, text);
  try {
    return commandsOn(file);
  } finally {
    fs.writeFileSync(file, original);
  }
}

// ---------------------------------------------------------------------------
// The server, through the protocol.

const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer to ${what} within ${ms} ms`)), ms).unref())]);

/** Document versions are unique across rounds, so a round never mistakes an earlier round's diagnostics for its own. */
let nextVersion = 1;

/** One document's life in the server: open, requests at random places, one code action applied, re-analysed, closed. */
async function serverCase(c: TestClient, file: string, text: string, random: () => number): Promise<string | undefined> {
  const uri = uriOf(file);
  const logsBefore = c.logs.length;
  const languageId = /\.(hpp|cpp)$/.test(file) ? 'cpp' : 'c';
  const opened = nextVersion++;
  const edited = nextVersion++;
  const step = async <T>(what: string, p: Promise<T>): Promise<T> => {
    stats.requests++;
    return within(p, 60000, what);
  };
  try {
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: opened, text } });
    const first = await step('diagnostics of the opened version', c.diagnostics(uri, (p) => p.version === opened, 60000));
    const lines = text.split('\n');
    const randomPosition = () => {
      const line = Math.floor(random() * (lines.length + 2));
      return { line, character: Math.floor(random() * ((lines[line]?.length ?? 0) + 3)) };
    };
    const textDocument = { uri };
    for (let i = 0; i < 3; i++) {
      const position = randomPosition();
      await step('hover', c.request('textDocument/hover', { textDocument, position }));
      await step('definition', c.request('textDocument/definition', { textDocument, position }));
      await step('completion', c.request('textDocument/completion', { textDocument, position }));
    }
    await step('documentSymbol', c.request('textDocument/documentSymbol', { textDocument }));
    await step('codeLens', c.request('textDocument/codeLens', { textDocument }));
    const end = { line: lines.length, character: 0 };
    await step('inlayHint', c.request('textDocument/inlayHint', { textDocument, range: { start: { line: 0, character: 0 }, end } }));
    // Code actions on up to three diagnostics and at a random place.
    const places = first.diagnostics.filter(() => random() < 0.5).slice(0, 3).map((d) => ({ range: d.range, diagnostics: [d] }));
    const p = randomPosition();
    places.push({ range: { start: p, end: p }, diagnostics: [] });
    const actions: CodeAction[] = [];
    for (const place of places) {
      const list = await step('codeAction', c.request<CodeAction[] | null>('textDocument/codeAction', { textDocument, range: place.range, context: { diagnostics: place.diagnostics } }));
      for (const a of list ?? []) if (a.edit?.changes?.[uri]) actions.push(a);
    }
    if (actions.length > 0) {
      const action = actions[Math.floor(random() * actions.length)];
      const edits: LspTextEdit[] = action.edit!.changes![uri];
      let after: string;
      try {
        after = applyEdits(text, edits);
      } catch (e) {
        return `'${action.title}': ${(e as Error).message}`;
      }
      stats.applied++;
      // As an editor sends it: incremental changes, the last edit first, so earlier ranges stay valid.
      const ordered = [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
      await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: edited }, contentChanges: ordered.map((e) => ({ range: e.range, text: e.newText })) });
      await step('diagnostics of the edited version', c.diagnostics(uri, (x) => x.version === edited, 60000));
      const symbols = await step('documentSymbol after the action', c.request('textDocument/documentSymbol', { textDocument }));
      assert.ok(symbols === null || Array.isArray(symbols));
      const q = positionOf(after, Math.floor(random() * (after.length + 1)));
      await step('codeAction after the action', c.request('textDocument/codeAction', { textDocument, range: { start: q, end: q }, context: { diagnostics: [] } }));
    }
  } catch (e) {
    return `${(e as Error).message}`;
  } finally {
    await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri } }).catch(() => undefined);
  }
  if (c.proc.exitCode !== null) return `the server exited (${c.proc.exitCode}): ${c.stderr.join('').slice(-2000)}`;
  const failed = c.logs.slice(logsBefore).find((l) => / failed\b/.test(l) || crashed.test(l));
  if (failed) return `the server logged: ${failed.slice(0, 2000)}`;
  const stderr = c.stderr.join('');
  if (crashed.test(stderr)) return `the server printed: ${stderr.slice(-2000)}`;
  return undefined;
}

// ---------------------------------------------------------------------------
// The protocol, byte by byte.

const frame = (body: string) => `Content-Length: ${Buffer.byteLength(body, 'latin1')}\r\n\r\n${body}`;
const message = (o: object) => frame(Buffer.from(JSON.stringify(o), 'utf8').toString('latin1'));

/** A random run of frames after initialize and an open document; every request has a unique id. */
function protocolRun(random: () => number, count: number): Frame[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const open = 'file:///fuzz/open.h';
  const frames: Frame[] = [
    { raw: message({ jsonrpc: '2.0', id: 'init', method: 'initialize', params: { processId: null, rootUri: null, capabilities: {}, initializationOptions: { settings: { index: { enabled: false } } } } }), expect: { id: 'init', answer: 'result' } },
    { raw: message({ jsonrpc: '2.0', method: 'initialized', params: {} }) },
    { raw: message({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: open, languageId: 'c', version: 1, text: '#define IOCTL_X CTL_CODE(0x22, 0x800, 0, 0)\ntypedef struct _A {\n    PVOID p;\n    ULONG n;\n} A;\n' } } }) },
  ];
  let version = 1;
  let id = 0;
  const number = () => pick([0, 1, 3, -1, 1.5, 2 ** 31, -(2 ** 53), 1e308, NaN, null, '2', undefined]);
  const position = () => pick([{ line: number(), character: number() }, { line: 1, character: 4 }, null, 'here', [], { line: 0 }]);
  const uri = () => pick([open, open, 'file:///fuzz/never-opened.h', 'untitled:Untitled-1', 'not a uri', '', 42, null]);
  const range = () => ({ start: position(), end: position() });
  const generators: (() => Frame[])[] = [
    // A request a client may send, with positions in and out of range, for open and unopened documents.
    () => {
      const method = pick(['textDocument/hover', 'textDocument/definition', 'textDocument/references', 'textDocument/completion', 'textDocument/documentSymbol', 'textDocument/codeLens', 'textDocument/inlayHint', 'textDocument/codeAction']);
      const params = { textDocument: { uri: uri() }, position: position(), range: range(), context: pick([{ diagnostics: [] }, { includeDeclaration: true }, null]) };
      const i = ++id;
      return [{ raw: message({ jsonrpc: '2.0', id: i, method, params }), expect: { id: i, answer: 'result-or-invalid-params' } }];
    },
    // Params of the wrong shape altogether.
    () => {
      const i = `s${++id}`;
      return [{ raw: message({ jsonrpc: '2.0', id: i, method: pick(['textDocument/hover', 'textDocument/codeAction', 'workspace/symbol', 'workspace/executeCommand']), params: pick([null, [], [1, 2], 'x', 7, { textDocument: 5 }, {}]) }), expect: { id: i, answer: 'result-or-invalid-params' } }];
    },
    // Unknown methods: a request gets MethodNotFound; a notification nothing.
    () => {
      const i = ++id;
      return [{ raw: message({ jsonrpc: '2.0', id: i, method: pick(['no/such', 'textDocument/teleport', '', 'initialize2']), params: {} }), expect: { id: i, answer: -32601 } }];
    },
    () => [{ raw: message({ jsonrpc: '2.0', method: pick(['no/such', '$/noSuch', '$/cancelRequest', '$/setTrace']), params: pick([{}, { id: 999999 }, null]) }) }],
    // A body that is not JSON: ParseError, id null.
    () => {
      const whole = JSON.stringify({ jsonrpc: '2.0', id: ++id, method: 'textDocument/hover', params: { textDocument: { uri: open }, position: { line: 1, character: 1 } } });
      const body = pick([whole.slice(0, 1 + Math.floor(random() * (whole.length - 1))), '{"jsonrpc":"2.0",}', 'not json at all', '\u00ff\u00fe{', '{"a":1}}']);
      return [{ raw: frame(body), expect: { id: null, answer: -32700 } }];
    },
    // JSON that is no message: InvalidRequest (with the id when it can be read).
    () => {
      const [body, rid] = pick<[string, string | number | null]>([
        ['[]', null],
        ['42', null],
        ['"x"', null],
        ['null', null],
        ['{"jsonrpc":"2.0"}', null],
        ['{"jsonrpc":"2.0","id":{"a":1},"method":"textDocument/hover"}', null],
        ['{"jsonrpc":"2.0","id":true,"method":"initialize"}', null],
        [`{"jsonrpc":"2.0","id":${++id},"method":5}`, id],
        [`{"jsonrpc":"2.0","id":${++id}}`, id],
      ]);
      return [{ raw: frame(body), expect: { id: rid, answer: -32600 } }];
    },
    // A malformed header: skipped, the next frame is read.
    () => [{ raw: pick(['Content-Length: abc\r\n\r\n{"jsonrpc":"2.0","id":1}', 'Content-Type: x\r\n\r\n{}', 'Content-Length: 999999999999\r\n\r\n', 'garbage\r\n\r\n']) }],
    // Edits with bad ranges, wrong versions or no document.
    () => {
      version += pick([1, 1, 0, -3]);
      const change = pick([{ range: range(), text: pick(['x', '', '}\n', '#if 1\n']) }, { text: '#define A 1\n' }, { range: range() }, { range: 'x', text: 5 }, null]);
      return [{ raw: message({ jsonrpc: '2.0', method: 'textDocument/didChange', params: { textDocument: { uri: uri(), version: pick([version, null, 'v']) }, contentChanges: pick([[change], [change, change], null, [], 'x']) } }) }];
    },
    // Opens and closes of odd documents.
    () => [{ raw: message({ jsonrpc: '2.0', method: pick(['textDocument/didOpen', 'textDocument/didClose', 'textDocument/didSave']), params: { textDocument: { uri: pick(['file:///fuzz/other.h', 5, null, 'untitled:x']), languageId: pick(['c', 'cpp', 'cobol', 7]), version: number(), text: pick(['struct B { int b; };', 7, null]) } } }) }],
  ];
  for (let i = 0; i < count; i++) for (const f of pick(generators)()) frames.push(f);
  // The last word: the server still answers a plain request.
  frames.push({ raw: message({ jsonrpc: '2.0', id: 'last', method: 'textDocument/hover', params: { textDocument: { uri: open }, position: { line: 2, character: 10 } } }), expect: { id: 'last', answer: 'result' } });
  return frames;
}

/** Sends `frames` to a fresh `serve --stdio`; checks every expected answer, then a clean shutdown. */
async function protocolCase(frames: Frame[]): Promise<string | undefined> {
  const proc: ChildProcess = spawn(process.execPath, [path.join(repoRoot, 'bin/ioctl-lens.js'), 'serve', '--stdio'], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const answers: { id?: unknown; result?: unknown; error?: { code: number; message: string } }[] = [];
  let pending = Buffer.alloc(0);
  let notify: (() => void) | undefined;
  proc.stdout!.on('data', (d: Buffer) => {
    pending = Buffer.concat([pending, d]);
    for (;;) {
      const end = pending.indexOf('\r\n\r\n');
      if (end < 0) break;
      const length = Number(/Content-Length: (\d+)/i.exec(pending.subarray(0, end).toString('latin1'))?.[1]);
      if (pending.length < end + 4 + length) break;
      const m = JSON.parse(pending.subarray(end + 4, end + 4 + length).toString('utf8')) as { id?: unknown; method?: string };
      pending = pending.subarray(end + 4 + length);
      if (m.method === undefined) answers.push(m as (typeof answers)[number]);
      // The server's own requests (none expected without capabilities) would need answers; ignore them.
    }
    notify?.();
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  try {
    for (const f of frames) proc.stdin!.write(Buffer.from(f.raw, 'latin1'));
    const expected = frames.flatMap((f) => (f.expect ? [f.expect] : []));
    const deadline = Date.now() + 60000;
    // Responses may come in any order (JSON-RPC does not order them: a code lens waits for the
    // analysis, a hover answers from the last one), so wait for every request that expects an
    // answer, not only for the last one.
    const answered = () => answers.some((a) => a.id === 'last');
    const allAnswered = () => expected.every((e) => e.id === null || answers.some((a) => a.id === e.id));
    while (!allAnswered() && Date.now() < deadline && proc.exitCode === null) await new Promise<void>((r) => ((notify = r), setTimeout(r, 200)));
    if (!answered()) return `no answer to the last request (${proc.exitCode === null ? 'alive' : `exited ${proc.exitCode}`}); stderr: ${stderr.slice(-2000)}`;
    // Each expected answer, once; answers with id null in order of the frames that asked for them.
    const byId = new Map<unknown, (typeof answers)[number][]>();
    for (const a of answers) byId.set(a.id ?? null, [...(byId.get(a.id ?? null) ?? []), a]);
    const nulls = byId.get(null) ?? [];
    const nullExpected = expected.filter((e) => e.id === null);
    if (nulls.length !== nullExpected.length) return `${nulls.length} answers with id null for ${nullExpected.length} unusable messages: ${JSON.stringify(nulls).slice(0, 1000)}`;
    for (let i = 0; i < nulls.length; i++) if (nulls[i].error?.code !== nullExpected[i].answer) return `an unusable message got ${JSON.stringify(nulls[i])}, not error ${nullExpected[i].answer}`;
    for (const e of expected.filter((x) => x.id !== null)) {
      const got = byId.get(e.id) ?? [];
      if (got.length !== 1) return `request ${JSON.stringify(e.id)} got ${got.length} answers`;
      const a = got[0];
      const ok = e.answer === 'result' ? 'result' in a : e.answer === 'result-or-invalid-params' ? 'result' in a || a.error?.code === -32602 : a.error?.code === e.answer;
      if (!ok) return `request ${JSON.stringify(e.id)} expected ${e.answer}, got ${JSON.stringify(a).slice(0, 500)}`;
    }
    if (crashed.test(stderr)) return `the server printed: ${stderr.slice(-2000)}`;
    proc.stdin!.write(message({ jsonrpc: '2.0', id: 'bye', method: 'shutdown' }));
    proc.stdin!.write(message({ jsonrpc: '2.0', method: 'exit' }));
    const code = await within(exited, 10000, 'exit');
    if (code !== 0) return `exit after shutdown: status ${code}`;
    return undefined;
  } catch (e) {
    return (e as Error).message;
  } finally {
    if (proc.exitCode === null) proc.kill();
  }
}

// ---------------------------------------------------------------------------

describe('fuzz: seeded, time-bounded (FUZZ_SEED, FUZZ_MS)', function () {
  this.timeout(budgetMs + 240000);
  let ws: ReturnType<typeof workspace>;
  before(() => {
    console.log(`      fuzz seed ${seed} (FUZZ_SEED=${seed} replays this run), budget ${budgetMs} ms`);
    ws = workspace();
  });
  after(() => fs.rmSync(ws.dir, { recursive: true, force: true }));

  const inputs = mutationInputs.map((f) => path.relative(repoRoot, f));
  const fail = (f: Fixture) => assert.fail(`${f.kind} fuzz, seed ${f.seed}: ${f.found}\n(saved as ${save(f)}; FUZZ_SEED=${seed} replays the run)`);

  it('every command on mutated headers and sources', function () {
    const random = rng(seed);
    const until = Date.now() + budgetMs * 0.4;
    let rounds = 0;
    do {
      const roundSeed = Math.floor(random() * 2 ** 31);
      const r = rng(roundSeed);
      const input = inputs[Math.floor(r() * inputs.length)];
      const text = mutate(fs.readFileSync(path.join(repoRoot, input), 'utf8'), r);
      const found = commandsCase(ws, input, text);
      if (found) fail({ kind: 'cli', seed: roundSeed, found, input, text });
      rounds++;
    } while (Date.now() < until);
    console.log(`      ${rounds} mutated inputs, ${stats.commands} command runs (layout, check, thunk)`);
  });

  it('the server on mutated documents: requests, a code action applied, re-analysed', async function () {
    const random = rng(seed ^ 0x5eed);
    const c = await startClient({ rootPath: ws.dir, settings: { index: { enabled: false } } });
    const until = Date.now() + budgetMs * 0.4;
    let rounds = 0;
    try {
      do {
        const roundSeed = Math.floor(random() * 2 ** 31);
        const r = rng(roundSeed);
        const input = inputs[Math.floor(r() * inputs.length)];
        const text = mutate(fs.readFileSync(path.join(repoRoot, input), 'utf8'), r);
        const found = await serverCase(c, ws.at(input), text, rng(roundSeed + 1));
        if (found) fail({ kind: 'server', seed: roundSeed, found, input, text });
        rounds++;
      } while (Date.now() < until);
    } finally {
      await c.shutdown();
    }
    console.log(`      ${rounds} mutated documents through the server: ${stats.requests} requests, ${stats.applied} code actions applied and re-analysed`);
  });

  it('the protocol: malformed frames, bad JSON, unknown methods, bad params and ranges, unopened documents', async function () {
    const random = rng(seed ^ 0x9e3779b9);
    const until = Date.now() + budgetMs * 0.2;
    let rounds = 0;
    do {
      const roundSeed = Math.floor(random() * 2 ** 31);
      const frames = protocolRun(rng(roundSeed), 40);
      const found = await protocolCase(frames);
      if (found) fail({ kind: 'protocol', seed: roundSeed, found, frames });
      rounds++;
    } while (Date.now() < until);
    console.log(`      ${rounds} protocol runs of 40 random frames`);
  });
});

describe('fuzz: saved failures (test/fixtures/fuzz) replayed', function () {
  this.timeout(240000);
  const fixtures = fs.existsSync(fixtureDir) ? fs.readdirSync(fixtureDir).filter((f) => f.endsWith('.json')).sort() : [];
  let ws: ReturnType<typeof workspace>;
  let c: TestClient | undefined;
  before(() => {
    ws = workspace();
  });
  after(async () => {
    await c?.shutdown();
    fs.rmSync(ws.dir, { recursive: true, force: true });
  });

  it('there are fixtures to replay', () => assert.ok(fixtures.length > 0, 'test/fixtures/fuzz has no fixtures'));
  for (const name of fixtures) {
    it(name, async function () {
      const f = JSON.parse(fs.readFileSync(path.join(fixtureDir, name), 'utf8')) as Fixture;
      let found: string | undefined;
      if (f.kind === 'protocol') found = await protocolCase(f.frames);
      else if (f.kind === 'cli') found = commandsCase(ws, f.input, f.text);
      else {
        c ??= await startClient({ rootPath: ws.dir, settings: { index: { enabled: false } } });
        found = await serverCase(c, ws.at(f.input), f.text, rng(f.seed + 1));
      }
      assert.equal(found, undefined, `${name} (first found as: ${f.found.split('\n')[0]})`);
    });
  }
});
