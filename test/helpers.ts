/**
 * Shared test helpers: where the repo is, and how a test that needs a system
 * tool behaves when the tool is missing (a loud SKIPPED line; a failure under
 * CI=true, where setup must have installed it).
 */

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const mingwInclude = process.env.MINGW_INCLUDE ?? '/usr/share/mingw-w64/include';

export function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

/**
 * Returns true when the requirement is met. Otherwise prints a SKIPPED line
 * and skips the mocha test, or throws under CI=true.
 */
export function requireTool(ctx: Mocha.Context, what: 'clang' | 'clangd' | 'mingw-w64 headers'): boolean {
  const ok = what === 'mingw-w64 headers' ? fs.existsSync(path.join(mingwInclude, 'windows.h')) : hasCommand(what);
  if (ok) return true;
  const line = `SKIPPED: ${what} not found (${ctx.test?.fullTitle() ?? 'test'})`;
  if (process.env.CI === 'true') throw new Error(`${line} — under CI=true a missing tool is a failure`);
  console.log(`\n    ${line}\n`);
  ctx.skip();
  return false;
}

/** A validator for SARIF 2.1.0 (the schema shipped with @microsoft/jest-sarif). */
export function sarifValidator() {
  const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
  // The schema is draft-04: rename `id` for Ajv's draft-07 core; its regexes are not Unicode-mode clean.
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false, validateFormats: false });
  return ajv.compile(schema);
}
