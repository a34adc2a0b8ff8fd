#!/usr/bin/env node
// Bundles the VS Code extension with esbuild: dist/client.js (the extension,
// `vscode` external) and dist/server.js (the language server with the whole
// analysis core), both CommonJS for Node 20. `--watch` rebuilds on change,
// `--minify` for packaging.
import * as esbuild from 'esbuild';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  minify,
  logLevel: 'info',
  absWorkingDir: root,
};

const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  // ES module builds first: a UMD build (jsonc-parser's) requires its parts by computed names esbuild cannot follow,
  // which works beside node_modules and fails in the .vsix (packaged without dependencies).
  { ...common, entryPoints: ['server/src/lsp/server.ts'], outfile: 'dist/server.js', mainFields: ['module', 'main'] },
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
