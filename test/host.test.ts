/**
 * File safety: the disk host reads only regular files up to the size limit,
 * refuses devices, FIFOs, sockets and directories with a reason, and the
 * core turns a refusal into a diagnostic where the file was named (an
 * `#include`, a forced include, the main file). Existence tests
 * (`__has_include`) never read. Every case here hung or exhausted memory
 * before (the host read `/dev/zero` until the heap gave out and blocked on
 * FIFOs and `/dev/stdin`).
 */

import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeFile, createSession, mergedDiagnostics } from '../server/src/core/analyze';
import { preprocess } from '../server/src/core/preprocess';
import { type FileHost, normalizePath } from '../server/src/core/source';
import { diskHost, maxFileBytes, readRegularFile } from '../server/src/node/host';
import { loadConfig } from '../server/src/node/config';
import { findDrivers } from '../server/src/node/project';
import { repoRoot } from './helpers';

function tempDir(): string {
  return normalizePath(fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-host-')));
}

/** A FIFO no one writes to: opening it for reading the ordinary way blocks forever. */
function fifo(dir: string, name: string): string {
  const p = `${dir}/${name}`;
  execFileSync('mkfifo', [p]);
  return p;
}

/** A file just above the limit, sparse (no disk space used). */
function oversized(dir: string, name: string): string {
  const p = `${dir}/${name}`;
  fs.writeFileSync(p, '');
  fs.truncateSync(p, maxFileBytes + 1);
  return p;
}

describe('disk host: only regular files, bounded', function () {
  this.timeout(20000);
  let dir: string;
  before(() => {
    dir = tempDir();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses devices, FIFOs, directories and files above the limit, with a reason', () => {
    const host = diskHost();
    const cases: [string, RegExp][] = [
      ['/dev/zero', /character device/],
      [fifo(dir, 'pipe.h'), /FIFO/],
      [oversized(dir, 'huge.h'), /32\.0 MB.*above the 32\.0 MB limit/],
    ];
    for (const [p, why] of cases) {
      const got = host.readFile(p);
      assert.ok(got && got.refused !== undefined, `${p} should be refused, got ${JSON.stringify(got)?.slice(0, 80)}`);
      assert.match(got.refused, why);
      assert.equal(got.text, undefined);
    }
    // A directory is no file at all (as for clang's include search).
    assert.equal(host.readFile(dir), undefined);
    assert.match((readRegularFile(dir) as { refused: string }).refused, /directory/);
    // A regular file is read, the empty one too.
    fs.writeFileSync(`${dir}/ok.h`, 'int x;\n');
    fs.writeFileSync(`${dir}/empty.h`, '');
    assert.deepEqual(host.readFile(`${dir}/ok.h`), { path: `${dir}/ok.h`, text: 'int x;\n' });
    assert.deepEqual(host.readFile(`${dir}/empty.h`), { path: `${dir}/empty.h`, text: '' });
  });

  it('refuses /dev/stdin when it is a pipe (the language server\'s own protocol stream)', () => {
    const script = `const { diskHost } = require(${JSON.stringify(path.join(repoRoot, 'out/server/src/node/host.js'))});
const r = diskHost().readFile('/dev/stdin'); process.stdout.write(JSON.stringify(r));`;
    // stdin stays an open pipe nobody writes to: a read would block until the timeout.
    const r = spawnSync(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'pipe'], timeout: 10000 });
    assert.equal(r.signal, null, 'reading /dev/stdin blocked');
    const got = JSON.parse(r.stdout.toString()) as { refused?: string };
    // (Node gives a child a socket pair for a pipe; a shell gives a FIFO: both are refused.)
    assert.match(got.refused ?? '', /FIFO|socket/);
  });

  it('follows case-insensitive names to the real file, and answers existence without reading', () => {
    fs.mkdirSync(`${dir}/inc`, { recursive: true });
    fs.writeFileSync(`${dir}/inc/winioctl.h`, '#define W 1\n');
    const host = diskHost();
    assert.equal(host.exists!(`${dir}/inc/WinIoCtl.h`), `${dir}/inc/winioctl.h`);
    assert.equal(host.exists!(`${dir}/inc/nothere.h`), undefined);
    assert.equal(host.exists!('/dev/zero'), '/dev/zero');
    assert.equal(host.exists!(`${dir}/inc`), undefined, 'a directory is not an includable file');
    assert.equal(host.readFile(`${dir}/inc/WINIOCTL.H`)?.text, '#define W 1\n');
  });
});

describe('core: refused files become diagnostics where they are named', function () {
  this.timeout(20000);
  let dir: string;
  before(() => {
    dir = tempDir();
    fifo(dir, 'fifo.h');
    oversized(dir, 'big.h');
    fs.writeFileSync(`${dir}/good.h`, 'typedef struct _G { int g; } G;\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const messages = (file: string, options: Parameters<typeof analyzeFile>[2] = { abis: ['x64'] }) =>
    mergedDiagnostics(analyzeFile(createSession(diskHost()), file, options)).map((d) => `${path.basename(d.loc.file)}:${d.loc.line}: ${d.message}`);

  it('#include of a device, a FIFO or an oversized file', () => {
    fs.writeFileSync(
      `${dir}/main.h`,
      ['#include "/dev/zero"', '#include "fifo.h"', '#include <big.h>', '#include "/dev/urandom"', '#include "good.h"', 'G g;', ''].join('\n'),
    );
    const got = messages(`${dir}/main.h`, { abis: ['x64'], includeDirs: [dir] });
    assert.deepEqual(got, [
      "main.h:1: '/dev/zero' is not read: it is a character device, and only regular files are read",
      "main.h:2: 'fifo.h' is not read: it is a FIFO (named pipe), and only regular files are read",
      "main.h:3: 'big.h' is not read: it is 32.0 MB, above the 32.0 MB limit for one file",
      "main.h:4: '/dev/urandom' is not read: it is a character device, and only regular files are read",
    ]);
  });

  it('a refused file earlier on the include path does not hide a readable one after it', () => {
    fs.mkdirSync(`${dir}/a`, { recursive: true });
    fs.mkdirSync(`${dir}/b`, { recursive: true });
    fifo(`${dir}/a`, 'shared.h');
    fs.writeFileSync(`${dir}/b/shared.h`, 'typedef int SHARED;\n');
    fs.writeFileSync(`${dir}/uses.h`, '#include <shared.h>\nSHARED s;\n');
    assert.deepEqual(messages(`${dir}/uses.h`, { abis: ['x64'], includeDirs: [`${dir}/a`, `${dir}/b`] }), []);
  });

  it('forced includes (from compile_commands.json or .ioctl-lens.json) and the main file', () => {
    fs.writeFileSync(`${dir}/plain.h`, 'int x;\n');
    const got = messages(`${dir}/plain.h`, { abis: ['x64'], forcedIncludes: ['/dev/zero', `${dir}/fifo.h`] });
    assert.deepEqual(got, [
      "<command line>:1: '/dev/zero' is not read: it is a character device, and only regular files are read",
      `<command line>:1: '${dir}/fifo.h' is not read: it is a FIFO (named pipe), and only regular files are read`,
    ]);
    assert.deepEqual(messages(`${dir}/big.h`), [`big.h:1: '${dir}/big.h' is not read: it is 32.0 MB, above the 32.0 MB limit for one file`]);
  });

  it('__has_include is an existence test: true for a device, without reading it', () => {
    const reads: string[] = [];
    const disk = diskHost();
    const host: FileHost = {
      readFile: (p) => (reads.push(p), disk.readFile(p)),
      exists: (p) => disk.exists!(p),
    };
    const main = `${dir}/has.h`;
    fs.writeFileSync(main, '#if __has_include("/dev/zero") && __has_include("fifo.h") && !__has_include("nothere.h")\nint yes;\n#endif\n');
    const r = preprocess(main, { host, predefined: {} });
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.tokens.slice(0, -1).map((t) => t.text), ['int', 'yes', ';']);
    assert.deepEqual(reads, [main], 'only the main file is read');
  });

  it('configuration files that are devices, FIFOs or directories are refused with a diagnostic', () => {
    const ws = `${dir}/ws`;
    fs.mkdirSync(ws, { recursive: true });
    fifo(ws, '.ioctl-lens.json');
    fs.symlinkSync('/dev/zero', `${ws}/compile_commands.json`);
    // A project file that is a FIFO is passed over, not waited on.
    fifo(ws, 'drv.vcxproj');
    fs.writeFileSync(`${ws}/drv.c`, 'int x;\n');
    const found = findDrivers([ws], [`${ws}/drv.c`]);
    assert.deepEqual(found.drivers.flatMap((d) => d.sources), [`${ws}/drv.c`]);
    const loaded = loadConfig(ws);
    assert.deepEqual(
      loaded.diagnostics.map((d) => d.message),
      [
        `${ws}/.ioctl-lens.json is not read: it is a FIFO (named pipe), and only regular files are read`,
        `${ws}/compile_commands.json is not read: it is a character device, and only regular files are read`,
      ],
    );
  });
});
