/**
 * Every code action the server offers on the samples, applied through the
 * protocol as an editor applies a WorkspaceEdit: on each diagnostic (quick
 * fixes) and at the first line of each record (refactors). Each result must
 * have no overlapping edits (`applyEdits` rejects them, as editors do), edit
 * only open documents, keep every line of the file that no edit touches, in
 * order (no lost text), leave the samples' interface header compiling
 * with clang for x86 and x64 (the sources need a real WDK), and be idempotent: after re-analysis the same action is no
 * longer offered there, or applying it again changes nothing. The workspace
 * is put back after each action.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot, requireTool } from '../helpers';
import { type TestClient, startClient, uriOf } from '../lsp/client';
import { type CodeAction, type Diagnostic, type Position, applyEdits, compile, fixturesDir, positionOf, shimDir, triples } from './harness';

/** The header compiles for x86 and x64 (through a unit that includes the WDK shim first, as the fix fixtures do). */
function compiles(dir: string, header: string): string | undefined {
  for (const triple of triples) {
    const r = compile(dir, header, triple);
    if (r.status !== 0) return `${triple}:\n${r.stderr.split('\n').filter((l) => / error: /.test(l)).slice(0, 5).join('\n')}`;
  }
  return undefined;
}

describe('every code action on the samples, through the protocol', function () {
  this.timeout(600000);
  const source = path.join(repoRoot, 'samples/driver');
  let dir: string;
  let client: TestClient;
  const original = new Map<string, string>();
  const texts = new Map<string, string>();
  const versions = new Map<string, number>();

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-every-action-'));
    for (const f of fs.readdirSync(source)) {
      fs.copyFileSync(path.join(source, f), path.join(dir, f));
      original.set(f, fs.readFileSync(path.join(source, f), 'utf8'));
    }
    for (const f of ['wdk_shim.h', 'pshpack1.h', 'pshpack2.h', 'pshpack4.h', 'pshpack8.h', 'poppack.h']) fs.copyFileSync(path.join(shimDir, f), path.join(dir, f));
    fs.copyFileSync(path.join(fixturesDir, 'fix_extras.h'), path.join(dir, 'fix_extras.h'));
    client = await startClient({ rootPath: dir, settings: { index: { enabled: false } } });
    for (const [f, text] of original) {
      texts.set(f, text);
      versions.set(f, 1);
      await client.open(path.join(dir, f), text);
    }
  });
  after(async () => {
    await client?.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The diagnostics published for `file` at its current version. */
  async function diagnostics(file: string): Promise<Diagnostic[]> {
    const version = versions.get(file);
    const p = await client.diagnostics(uriOf(path.join(dir, file)), (x) => x.version === undefined || x.version === version, 60000);
    return p.diagnostics;
  }

  async function setText(file: string, text: string): Promise<void> {
    if (texts.get(file) === text) return;
    texts.set(file, text);
    fs.writeFileSync(path.join(dir, file), text);
    const v = versions.get(file)! + 1;
    versions.set(file, v);
    await client.change(uriOf(path.join(dir, file)), v, text);
  }

  async function actionsAt(file: string, range: { start: Position; end: Position }, diags: Diagnostic[]): Promise<CodeAction[]> {
    const list = await client.request<CodeAction[] | null>('textDocument/codeAction', { textDocument: { uri: uriOf(path.join(dir, file)) }, range, context: { diagnostics: diags } });
    return (list ?? []).filter((a) => a.edit?.changes);
  }

  /** The texts after `action` (throws on overlapping edits or an edit to a document that is not open). */
  function applied(action: CodeAction): Map<string, string> {
    const out = new Map<string, string>();
    for (const [uri, edits] of Object.entries(action.edit!.changes!)) {
      const file = path.relative(dir, fileURLToPath(uri));
      const text = texts.get(file);
      assert.ok(text !== undefined, `'${action.title}' edits ${file}, which is not open`);
      try {
        out.set(file, applyEdits(text, edits));
      } catch (e) {
        const spans = edits.map((x) => `${x.range.start.line + 1}:${x.range.start.character + 1}-${x.range.end.line + 1}:${x.range.end.character + 1}`);
        throw new Error(`'${action.title}' on ${file}: ${(e as Error).message} (${spans.join(', ')})`);
      }
      // No lost text: every line the edits do not replace is still there, in order.
      const replaced = new Set<number>();
      for (const e of edits) for (let l = e.range.start.line; l <= e.range.end.line; l++) replaced.add(l);
      const after = out.get(file)!;
      let from = 0;
      text.split(/\r?\n/).forEach((line, i) => {
        if (replaced.has(i) || !line.trim()) return;
        const at = after.indexOf(line.trim(), from);
        assert.ok(at >= 0, `'${action.title}' lost line ${i + 1} of ${file}: ${line.trim()}`);
        from = at;
      });
    }
    return out;
  }

  it('applies each one: no overlapping edits, no lost text, no new clang errors, idempotent', async function () {
    if (!requireTool(this, 'clang')) return;
    // The samples' sources need a real WDK; their interface header compiles with the shim, and must go on compiling.
    const header = 'ioctl_interface.h';
    assert.equal(compiles(dir, header), undefined, 'the sample header compiles before any action');
    let tried = 0;
    const seen = new Set<string>();
    for (const file of original.keys()) {
      const diags = await diagnostics(file);
      const text = original.get(file)!;
      // Quick fixes on each diagnostic; refactors at each record's first line.
      const places: { range: { start: Position; end: Position }; diags: Diagnostic[] }[] = diags.map((d) => ({ range: d.range, diags: [d] }));
      for (const m of text.matchAll(/^\s*(?:typedef\s+)?(?:struct|union)\b[^;{]*\{\s*\n\s*\S/gm)) {
        const at = positionOf(text, m.index! + m[0].length - 1);
        places.push({ range: { start: at, end: at }, diags: [] });
      }
      for (const place of places) {
        for (const action of await actionsAt(file, place.range, place.diags)) {
          const key = `${file}\0${action.title}`;
          if (seen.has(key)) continue;
          seen.add(key);
          tried++;
          const after = applied(action);
          for (const [f, t] of after) await setText(f, t);
          const broken = compiles(dir, header);
          assert.equal(broken, undefined, `'${action.title}' leaves ${header} failing to compile on ${broken}`);
          // Idempotent: re-analysed, the action is gone, or applying it again changes nothing.
          await diagnostics(file);
          const again = (await actionsAt(file, place.range, place.diags.length ? (await diagnostics(file)).filter((d) => d.code === place.diags[0].code && d.message === place.diags[0].message) : [])).find(
            (a) => a.title === action.title,
          );
          if (again) {
            const twice = applied(again);
            for (const [f, t] of twice) assert.equal(t, texts.get(f), `'${action.title}' changes ${f} again when applied twice`);
          }
          for (const [f, t] of original) await setText(f, t);
          await diagnostics(file);
        }
      }
    }
    console.log(`      ${tried} code actions applied`);
    assert.ok(tried >= 10, `only ${tried} code actions offered on the samples`);
  });
});
