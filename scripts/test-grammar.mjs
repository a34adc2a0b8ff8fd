#!/usr/bin/env node
// Runs the TextMate grammar tests: vscode-tmgrammar-test over test/grammar's
// *.test.c, *.test.h and *.test.cpp files, with VS Code's C and C++ grammars (test data in
// test/grammar/base) as --grammar flags and the ioctl-lens injection grammars
// from test/grammar/contributes.json as --config, since only a configuration
// carries injectTo. The exit status is the tool's: 0 when every assertion holds.
//
//   node scripts/test-grammar.mjs                       every test file
//   node scripts/test-grammar.mjs test/grammar/sal.test.c   some of them
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const tool = require.resolve('vscode-tmgrammar-test/dist/unit.js');

const base = 'test/grammar/base';
const baseGrammars = ['c.tmLanguage.json', 'cpp.tmLanguage.json', 'cpp.embedded.macro.tmLanguage.json'];
const testFiles = process.argv.length > 2 ? process.argv.slice(2) : ['test/grammar/*.test.c', 'test/grammar/*.test.h', 'test/grammar/*.test.cpp'];

const args = [
  tool,
  '--config', 'test/grammar/contributes.json',
  ...baseGrammars.flatMap((g) => ['--grammar', `${base}/${g}`]),
  ...testFiles,
];
const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
if (result.error) {
  console.error(`test-grammar: could not run vscode-tmgrammar-test: ${result.error.message}`);
  process.exit(1);
}
// A signal leaves no status; that is a failure too.
process.exit(result.status ?? 1);
