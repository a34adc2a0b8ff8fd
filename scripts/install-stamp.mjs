// The install stamp: which package.json, package-lock.json and Node version
// the tree in node_modules was built from. `npm install` and `npm ci` write it
// (the `prepare` script runs this with `--write` after they built the tree);
// scripts/setup.sh runs it with `--check` and installs only when it differs,
// so setup after `npm install` does not build the same tree a second time.
//
//   node scripts/install-stamp.mjs --write   record the current stamp
//   node scripts/install-stamp.mjs --check   exit 0 when node_modules matches, 1 when not
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stampFile = join(root, 'node_modules', '.ioctl-lens-install-stamp');

function wanted() {
  const hash = createHash('sha256');
  for (const name of ['package.json', 'package-lock.json']) {
    const file = join(root, name);
    hash.update(existsSync(file) ? readFileSync(file) : '');
  }
  return `${hash.digest('hex')} node-${process.version}`;
}

const mode = process.argv[2];
if (mode === '--write') {
  if (existsSync(join(root, 'node_modules'))) writeFileSync(stampFile, wanted() + '\n');
} else if (mode === '--check') {
  const installed = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
  process.exit(installed === wanted() ? 0 : 1);
} else {
  console.error('usage: node scripts/install-stamp.mjs --write|--check');
  process.exit(2);
}
