/**
 * Every code action the server offers, applied through the protocol as an
 * editor applies a WorkspaceEdit: on each diagnostic (quick fixes) and at the
 * first line of each record (refactors). Each result must have no
 * overlapping edits (`applyEdits` rejects them, as editors do), edit only
 * open documents, keep every line of the file that no edit touches, in order
 * (no lost text), add no clang error for x86 or x64, and be idempotent: after
 * re-analysis the same action is no longer offered there, or applying it
 * again changes nothing. The workspace is put back after each action.
 *
 * Two workspaces: the samples (their interface header compiles with the WDK
 * shim before and after; the sources need a real WDK), and our own header
 * and dispatch source on mingw-w64's real windows.h/winioctl.h and
 * ddk/wdm.h, whose records hold SDK types that differ across ABIs
 * (test/fixtures/fixes-mingw). clang does not compile mingw-w64's headers
 * cleanly for the MSVC triples (its intrinsics, x86 CONTEXT), so there
 * "compiles where the original did" is checked as: no clang error after the
 * action that was not there before it.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { mingwInclude, repoRoot, requireTool } from '../helpers';
import { type TestClient, startClient, uriOf } from '../lsp/client';
import { type CodeAction, type Diagnostic, type Position, applyEdits, compile, fixturesDir, positionOf, shimDir, triples } from './harness';

/** clang's error lines, as `file: message` for the workspace's own files (their lines move) and whole for others. */
function errorLines(stderr: string, dir: string): string[] {
  return stderr
    .split('\n')
    .filter((l) => / error: /.test(l))
    .map((l) => (l.startsWith(dir) ? `${path.relative(dir, l.slice(0, l.indexOf(':')))}: ${l.slice(l.indexOf(' error: ') + 8)}` : l));
}

/** Errors in `after` that `before` does not have (as a multiset). */
function newErrors(before: string[], after: string[]): string[] {
  const left = new Map<string, number>();
  for (const e of before) left.set(e, (left.get(e) ?? 0) + 1);
  return after.filter((e) => {
    const n = left.get(e) ?? 0;
    left.set(e, n - 1);
    return n <= 0;
  });
}

interface SweepOptions {
  /** The workspace's files, each opened in the server (name -> text). */
  files: Map<string, string>;
  /** Files copied beside them, not opened. */
  extras?: [from: string, name: string][];
  settings?: Record<string, unknown>;
  /** clang's errors for the workspace, every triple. */
  errors(dir: string): string[];
  /** The workspace compiles with no error before any action (the samples): say so first. */
  cleanBefore?: boolean;
  needs: ('clang' | 'mingw-w64 headers')[];
  minActions: number;
}

function sweep(title: string, o: () => SweepOptions) {
  describe(title, function () {
    this.timeout(600000);
    let opts: SweepOptions;
    let dir: string;
    let client: TestClient;
    const texts = new Map<string, string>();
    const versions = new Map<string, number>();

    before(async function () {
      opts = o();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-every-action-'));
      for (const [f, text] of opts.files) fs.writeFileSync(path.join(dir, f), text);
      for (const [from, name] of opts.extras ?? []) fs.copyFileSync(from, path.join(dir, name));
      client = await startClient({ rootPath: dir, settings: { index: { enabled: false }, ...(opts.settings ?? {}) } });
      for (const [f, text] of opts.files) {
        texts.set(f, text);
        versions.set(f, 1);
        await client.open(path.join(dir, f), text);
      }
    });
    after(async () => {
      await client?.shutdown();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
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
      for (const tool of opts.needs) if (!requireTool(this, tool)) return;
      const baseline = opts.errors(dir);
      if (opts.cleanBefore) assert.deepEqual(baseline, [], 'the workspace compiles before any action');
      let tried = 0;
      const seen = new Set<string>();
      for (const [file, text] of opts.files) {
        const diags = await diagnostics(file);
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
            const added = newErrors(baseline, opts.errors(dir));
            assert.deepEqual(added, [], `'${action.title}' adds clang errors`);
            // Idempotent: re-analysed, the action is gone, or applying it again changes nothing.
            await diagnostics(file);
            const again = (await actionsAt(file, place.range, place.diags.length ? (await diagnostics(file)).filter((d) => d.code === place.diags[0].code && d.message === place.diags[0].message) : [])).find(
              (a) => a.title === action.title,
            );
            if (again) {
              const twice = applied(again);
              for (const [f, t] of twice) assert.equal(t, texts.get(f), `'${action.title}' changes ${f} again when applied twice`);
            }
            for (const [f, t] of opts.files) await setText(f, t);
            await diagnostics(file);
          }
        }
      }
      console.log(`      ${tried} code actions applied`);
      assert.ok(tried >= opts.minActions, `only ${tried} code actions offered`);
    });
  });
}

const readDir = (dir: string) => new Map(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));

sweep('every code action on the samples, through the protocol', () => ({
  files: readDir(path.join(repoRoot, 'samples/driver')),
  extras: [...['wdk_shim.h', 'pshpack1.h', 'pshpack2.h', 'pshpack4.h', 'pshpack8.h', 'poppack.h'].map((f): [string, string] => [path.join(shimDir, f), f]), [path.join(fixturesDir, 'fix_extras.h'), 'fix_extras.h']],
  // The samples' sources need a real WDK; their interface header compiles with the shim, and must go on compiling.
  errors: (dir) => triples.flatMap((t) => errorLines(compile(dir, 'ioctl_interface.h', t).stderr, dir).map((e) => `${t}: ${e}`)),
  cleanBefore: true,
  needs: ['clang'],
  minActions: 10,
}));

const mingwFlags = ['-fms-extensions', '-fms-compatibility', '-fsyntax-only', '-ferror-limit=0', '-Wno-pragma-pack', '-Wno-microsoft-anon-tag', '-I', mingwInclude, '-I', path.join(mingwInclude, 'ddk')];

sweep('every code action on a header and a dispatch source over mingw-w64 (windows.h, winioctl.h, ddk/wdm.h), through the protocol', () => ({
  files: readDir(path.join(repoRoot, 'test/fixtures/fixes-mingw')),
  settings: { includePaths: [mingwInclude, path.join(mingwInclude, 'ddk')] },
  errors: (dir) => {
    // mingw-w64's ntdef.h spells FIELD_OFFSET as the WDK does, ((LONG)(LONG_PTR)&((T *)0)->f), which clang does not take as a
    // constant in C (its own C_ASSERTs in wdm.h fail the same way); each unit re-spells it as a constant after the SDK headers,
    // so the generated guards are checked on their numbers rather than on that macro.
    const offsetOf = '#undef FIELD_OFFSET\n#define FIELD_OFFSET(t, f) ((LONG)__builtin_offsetof(t, f))\n';
    // The generated captures allocate with ExAllocatePool2 (WDK 10.0.19041 and later, docs/thunk.md), which mingw-w64's wdm.h
    // predates: declared here as the newer WDK declares it.
    const pool2 = '#ifndef POOL_FLAG_PAGED\ntypedef ULONG64 POOL_FLAGS;\n#define POOL_FLAG_NON_PAGED 0x40ULL\n#define POOL_FLAG_PAGED 0x100ULL\nPVOID ExAllocatePool2(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag);\n#endif\n';
    fs.writeFileSync(path.join(dir, 'unit_mw_ioctl.c'), `#include <windows.h>\n${offsetOf}#include "mw_ioctl.h"\n`);
    fs.writeFileSync(path.join(dir, 'unit_mw_dispatch.c'), `#include <ddk/wdm.h>\n${offsetOf}${pool2}#include "mw_dispatch.c"\n`);
    return triples.flatMap((t) =>
      ['unit_mw_ioctl.c', 'unit_mw_dispatch.c'].flatMap((f) => errorLines(spawnSync('clang', ['-target', t, ...mingwFlags, '-I', dir, path.join(dir, f)], { encoding: 'utf8' }).stderr ?? '', dir).map((e) => `${t}: ${e}`)),
    );
  },
  needs: ['clang', 'mingw-w64 headers'],
  minActions: 8,
  // A record holding an IO_STATUS_BLOCK (mw_dispatch.c) gets a shadow using the WDK's IO_STATUS_BLOCK32, which wdm.h declares
  // for _WIN64 only: the shadow and its routines are generated under `#if defined(_WIN64)`, so the x86 build compiles too.
}));
