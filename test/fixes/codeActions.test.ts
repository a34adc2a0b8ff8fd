/**
 * Quick fixes and refactors through the protocol, as before/after text
 * fixtures (test/fixtures/fixes/<case>/, see harness.ts): each step's code
 * action is applied as an editor applies a WorkspaceEdit, the new text is
 * sent with didChange, and then the diagnostic is gone and the fix is no
 * longer offered (idempotence). The final texts must equal `after/`, keep
 * the file's line endings and indentation, and compile with clang for x86
 * and x64.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requireTool } from '../helpers';
import { type CodeAction, type Diagnostic, type FixCase, type Step, Workspace, compile, fixturesDir, loadCases, positionOf, triples } from './harness';

function matches(d: Diagnostic, step: Step, text: string): boolean {
  if (d.code !== step.rule) return false;
  if (step.at) return d.range.start.line === positionOf(text, text.indexOf(step.at)).line;
  return d.message.includes(step.symbol ?? '');
}

function titles(actions: CodeAction[]): string {
  return actions.map((a) => a.title).join(' | ');
}

async function runStep(ws: Workspace, step: Step): Promise<void> {
  const text = () => ws.texts.get(step.file)!;
  const before = await ws.diagnostics(step.file);
  let action: CodeAction | undefined;
  let request: () => Promise<CodeAction[]>;
  if (step.refactorAt) {
    assert.ok(text().includes(step.refactorAt), `'${step.refactorAt}' not in ${step.file}`);
    request = () => {
      const at = positionOf(text(), text().indexOf(step.refactorAt!));
      return ws.codeActions(step.file, { start: at, end: at }, [], ['refactor']);
    };
    const actions = await request();
    action = actions.find((a) => a.title.startsWith(step.title));
    assert.ok(action, `no refactor '${step.title}' at '${step.refactorAt}'; offered: ${titles(actions)}`);
  } else {
    const diagnostic = before.find((d) => matches(d, step, text()));
    assert.ok(diagnostic, `no ${step.rule} diagnostic for ${step.symbol ?? step.at} in ${step.file}: ${JSON.stringify(before.map((d) => [d.code, d.message]))}`);
    const actions = await ws.codeActions(step.file, diagnostic.range, [diagnostic]);
    action = actions.find((a) => a.title.startsWith(step.title));
    assert.ok(action, `no fix '${step.title}' for ${step.rule}; offered: ${titles(actions)}`);
    assert.equal(action.kind?.startsWith(step.title.startsWith('Reorder') ? 'refactor' : 'quickfix'), true, action.kind);
    assert.deepEqual(action.diagnostics?.[0]?.code, step.rule);
    request = async () => {
      const all = await ws.diagnostics(step.file);
      const end = positionOf(text(), text().length);
      return ws.codeActions(step.file, { start: { line: 0, character: 0 }, end }, all);
    };
  }
  assert.ok(action.edit?.changes && !action.command, 'a fix carries an edit, not a command');
  const since = ws.client.published.length;
  const changed = await ws.apply(action);
  assert.ok(changed.length > 0, 'the fix changed nothing');
  const after = await ws.diagnostics(step.file, since);
  if (step.rule) assert.ok(!after.some((d) => matches(d, step, text())), `the ${step.rule} diagnostic is still there: ${JSON.stringify(after.map((d) => d.message))}`);
  // Idempotent: the fix is not offered again.
  const again = await request();
  assert.ok(!again.some((a) => a.title === action!.title), `'${action.title}' is still offered: ${titles(again)}`);
}

function readAfter(fc: FixCase, file: string): string | undefined {
  const p = path.join(fixturesDir, fc.name, 'after', file);
  return fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined;
}

describe('fixes: code actions through the protocol (before/after fixtures)', function () {
  this.timeout(180000);
  for (const fc of loadCases()) {
    describe(`${fc.name}: ${fc.about}`, () => {
      const ws = new Workspace(fc);
      const original = new Map<string, string>();
      before(async () => {
        await ws.start();
        for (const [f, t] of ws.texts) original.set(f, t);
      });
      after(async () => ws.client?.shutdown());

      it('applies each step: the diagnostic goes away and the fix is no longer offered', async () => {
        for (const step of fc.steps) await runStep(ws, step);
      });

      it('ends with the after/ texts (files without one are unchanged)', () => {
        for (const [file, text] of ws.texts) {
          if (process.env.UPDATE_FIXTURES === '1' && text !== original.get(file)) {
            fs.mkdirSync(path.join(fixturesDir, fc.name, 'after'), { recursive: true });
            fs.writeFileSync(path.join(fixturesDir, fc.name, 'after', file), text);
          }
          const expected = readAfter(fc, file) ?? original.get(file);
          assert.equal(text, expected, `${file} differs from its after/ fixture`);
        }
      });

      it("keeps the file's line endings and indentation, and removes no user text outside what it replaces", () => {
        for (const [file, text] of ws.texts) {
          const was = original.get(file)!;
          if (was.includes('\r\n')) assert.ok(!/[^\r]\n/.test(text), `${file}: an LF line ending in a CRLF file`);
          else assert.ok(!text.includes('\r'), `${file}: a CR in an LF file`);
          if (/^\t/m.test(was) && !/^ {4}/m.test(was)) assert.ok(!/^ {4}/m.test(text), `${file}: space indentation in a tab-indented file`);
          // Every comment the user wrote is still there (fixes replace declarations, never comments outside them).
          for (const c of was.match(/\/\*[\s\S]*?\*\//g) ?? []) {
            if (fc.steps.some((s) => s.title.startsWith('Update shadow') || s.title.startsWith('Reorder'))) continue;
            assert.ok(text.includes(c), `${file}: the comment ${c} was removed`);
          }
        }
      });

      it('diagnostics named by the case are gone, others stay', async () => {
        for (const e of fc.gone ?? []) {
          const ds = await ws.diagnostics(e.file ?? fc.open[0]);
          assert.ok(!ds.some((d) => d.code === e.code && d.message.includes(e.message)), `${e.code} '${e.message}' is still reported`);
        }
        for (const e of fc.stays ?? []) {
          const ds = await ws.diagnostics(e.file ?? fc.open[0]);
          assert.ok(ds.some((d) => d.code === e.code && d.message.includes(e.message)), `${e.code} '${e.message}' should still be reported`);
        }
      });

      if (fc.compile?.length) {
        it('compiles with clang for x86 and x64 (-fms-extensions, the WDK shim)', function () {
          if (!requireTool(this, 'clang')) return;
          for (const file of fc.compile!) {
            for (const triple of triples) {
              const r = compile(ws.dir, file, triple);
              assert.equal(r.status, 0, `${file} for ${triple}:\n${r.stderr}`);
            }
          }
        });
      }
    });
  }
});
