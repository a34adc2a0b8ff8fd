#!/usr/bin/env node
// The ioctl-lens command line; the build (`npm install` runs `prepare`) writes out/.
'use strict';
const path = require('node:path');
// A one-shot `layout` run is over before TurboFan's optimised code pays for
// its compile time: on mingw-w64's wdm.h, --no-opt saves ~40% of the CPU time.
// `check` starts so too (a small driver is done quickly) and turns it back on
// once the run is long (cli/check.ts, optimiseIfLong); `serve` keeps it.
if (process.argv[2] === 'layout' || process.argv[2] === 'check') require('node:v8').setFlagsFromString('--no-opt');
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
