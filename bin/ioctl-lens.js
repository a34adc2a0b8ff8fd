#!/usr/bin/env node
// The ioctl-lens command line; the build (`npm install` runs `prepare`) writes out/.
'use strict';
const path = require('node:path');
let cli;
try {
  cli = require(path.join(__dirname, '..', 'out', 'server', 'src', 'cli', 'main.js'));
} catch (e) {
  process.stderr.write('ioctl-lens: not built yet; run `npm install` (or `npm run build`) in ' + path.join(__dirname, '..') + '\n');
  process.exit(2);
}
const io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  isTty: !!process.stdout.isTTY,
  cwd: process.cwd(),
};
process.exitCode = cli.main(process.argv.slice(2), io);
