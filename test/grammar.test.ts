/**
 * The TextMate injection grammars in syntaxes/: their regular expressions
 * compile, the vscode-tmgrammar-test assertions in test/grammar/ hold (run
 * through scripts/test-grammar.mjs, as `npm test` would), and the root
 * package.json contributes them the way the tests load them.
 */

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { repoRoot } from './helpers';

interface GrammarContribution {
  scopeName: string;
  path: string;
  injectTo?: string[];
  language?: string;
}

const testConfig = path.join(repoRoot, 'test/grammar/contributes.json');

function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** A configuration's grammar entries with their paths made absolute (they are relative to the file). */
function contributions(configFile: string): GrammarContribution[] {
  const entries: GrammarContribution[] = readJson(configFile)?.contributes?.grammars ?? [];
  return entries.map((g) => ({ ...g, path: path.resolve(path.dirname(configFile), g.path) }));
}

/** Every regular expression in a grammar, with where it is, for error messages. */
function regexesOf(node: unknown, where: string, out: { where: string; source: string }[] = []): typeof out {
  if (Array.isArray(node)) {
    node.forEach((child, i) => regexesOf(child, `${where}[${i}]`, out));
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'match' || key === 'begin' || key === 'end' || key === 'while') && typeof value === 'string') {
        out.push({ where: `${where}.${key}`, source: value });
      } else {
        regexesOf(value, `${where}.${key}`, out);
      }
    }
  }
  return out;
}

describe('grammar: ioctl-lens TextMate injection grammars', function () {
  this.timeout(60000);

  const grammars = contributions(testConfig);

  it('names each grammar file with the scope it declares, and injects into C and C++', () => {
    assert.equal(grammars.length, 2);
    for (const g of grammars) {
      const grammar = readJson(g.path);
      assert.equal(grammar.scopeName, g.scopeName, g.path);
      assert.match(grammar.injectionSelector, /\bL:source\.c\b/, g.path);
      assert.match(grammar.injectionSelector, /\bL:source\.cpp\b/, g.path);
      assert.deepEqual(g.injectTo, ['source.c', 'source.cpp']);
    }
  });

  it('compiles every regular expression with Oniguruma, as VS Code does', async () => {
    // vscode-textmate compiles a rule only when it is first tried, so a broken
    // pattern that no test line reaches would otherwise go unnoticed.
    // vscode-oniguruma comes with vscode-tmgrammar-test; load it from there, not from wherever npm hoisted it.
    const fromTool = createRequire(require.resolve('vscode-tmgrammar-test/package.json'));
    const oniguruma = fromTool('vscode-oniguruma');
    const wasm = fs.readFileSync(fromTool.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const bad: string[] = [];
    for (const g of grammars) {
      const all = regexesOf(readJson(g.path), path.basename(g.path));
      assert.ok(all.length > 0, `no patterns in ${g.path}`);
      for (const { where, source } of all) {
        try {
          new oniguruma.OnigScanner([source]).dispose();
        } catch (e) {
          bad.push(`${where}: ${(e as Error).message}`);
        }
      }
    }
    assert.deepEqual(bad, []);
  });

  it('passes every assertion in test/grammar/*.test.{c,h} (scripts/test-grammar.mjs)', () => {
    const run = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/test-grammar.mjs')], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    // Without colour codes, whatever the terminal: the checks below read the text.
    const output = `${run.stdout}\n${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
    assert.equal(run.status, 0, `scripts/test-grammar.mjs exited with ${run.status}:\n${output}`);
    // Every test file must have run, so a file the tool could not read cannot pass unnoticed.
    const files = fs.readdirSync(path.join(repoRoot, 'test/grammar')).filter((f) => /\.test\.[ch]$/.test(f));
    assert.ok(files.length >= 5, `expected the grammar test files, found ${files.join(', ')}`);
    for (const f of files) assert.match(output, new RegExp(`✓ test/grammar/${f.replace(/\./g, '\\.')} run`), output);
  });

  it('is contributed by package.json exactly as the tests load it', function () {
    const packageJson = path.join(repoRoot, 'package.json');
    const ours = new Set(grammars.map((g) => g.scopeName));
    const contributed = contributions(packageJson).filter((g) => ours.has(g.scopeName));
    if (contributed.length === 0) {
      // The root package.json is shared; until its contributes.grammars lists these grammars, say so loudly.
      const line = `SKIPPED: package.json contributes no ioctl-lens grammars yet (${this.test?.fullTitle() ?? 'test'})`;
      if (process.env.CI === 'true') throw new Error(`${line} — under CI=true this is a failure`);
      console.log(`\n    ${line}\n`);
      this.skip();
    }
    const sorted = (xs: GrammarContribution[]) => [...xs].sort((a, b) => a.scopeName.localeCompare(b.scopeName));
    assert.deepEqual(
      sorted(contributed).map(({ scopeName, path: file, injectTo }) => ({ scopeName, path: file, injectTo })),
      sorted(grammars).map(({ scopeName, path: file, injectTo }) => ({ scopeName, path: file, injectTo })),
    );
  });
});
