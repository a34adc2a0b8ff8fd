/**
 * The one directory walker (node/walk.ts): check's file list, the driver
 * finder's projects and the workspace index skip the same folders.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { collectFiles } from '../server/src/cli/check';
import { findProjectFiles } from '../server/src/node/project';
import { cFamilyFile, walkFiles } from '../server/src/node/walk';
import { normalizePath } from '../server/src/core/source';

describe('walk: one directory walker', () => {
  let root: string;
  before(() => {
    root = normalizePath(fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-walk-')));
    const files = ['b.c', 'a.h', 'sub/z.cpp', 'sub/y.inl', 'sub/p.vcxproj', 'x.vcxproj', 'X64/Debug/gen.c', 'Release/r.vcxproj', '.git/hook.c', 'node_modules/m.h', 'build/VStudio/drv.vcxproj', 'build/VStudio/act.cpp', 'obj/o.h', '.hidden.h', 'notes.txt'];
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      fs.writeFileSync(path.join(root, f), '');
    }
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('skips VCS, node_modules and build output folders in any case, depth first in name order', () => {
    assert.deepEqual(walkFiles(root, (n) => cFamilyFile.test(n)), [`${root}/a.h`, `${root}/b.c`, `${root}/build/VStudio/act.cpp`, `${root}/sub/y.inl`, `${root}/sub/z.cpp`]);
  });

  it('check, the driver finder and the index use it with their own file filters', () => {
    assert.deepEqual(collectFiles(root), [`${root}/a.h`, `${root}/b.c`, `${root}/build/VStudio/act.cpp`, `${root}/sub/z.cpp`]);
    // Projects under build/ are found (winfsp keeps its driver projects in build/VStudio).
    assert.deepEqual(findProjectFiles(root), [`${root}/build/VStudio/drv.vcxproj`, `${root}/sub/p.vcxproj`, `${root}/x.vcxproj`]);
  });

  it('stops at the file limit and the depth limit', () => {
    assert.deepEqual(walkFiles(root, (n) => cFamilyFile.test(n), { maxFiles: 2 }), [`${root}/a.h`, `${root}/b.c`]);
    assert.deepEqual(walkFiles(root, (n) => cFamilyFile.test(n), { maxDepth: 0 }), [`${root}/a.h`, `${root}/b.c`]);
    assert.deepEqual(walkFiles(`${root}/does-not-exist`, () => true), []);
  });
});
