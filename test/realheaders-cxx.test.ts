/**
 * mingw-w64's kernel headers read in C++ mode: a C++ driver's `.cpp`
 * includes <wdm.h>/<ntddk.h> with `__cplusplus` defined, which turns on
 * their `extern "C"` blocks, C++ overloads and templates. C++ mode must read
 * them with no error C mode does not also report (mingw's x86 `CONTEXT` in
 * ntddk.h uses a winnt.h constant it never defines: clang rejects it too),
 * find the same records with the same layouts, and say what it skips.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { layoutReports } from '../server/src/node/layoutApi';
import { mingwInclude, requireTool } from './helpers';

describe('mingw-w64 kernel headers in C++ mode', function () {
  this.timeout(300000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-lens-ddk-cxx-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  for (const header of ['ddk/wdm.h', 'ddk/ntddk.h']) {
    it(`reads <${header}> as C++ for x86 and x64 with no error of its own, the same records and layouts as C`, function () {
      if (!requireTool(this, 'mingw-w64 headers')) return;
      const read = (language: 'c' | 'cpp') => {
        const main = path.join(tmp, `${header.replace(/\W/g, '_')}.${language}`);
        fs.writeFileSync(main, `#include <${header}>\n`);
        return layoutReports({ files: [main], abis: ['x86', 'x64'], includeDirs: [path.join(mingwInclude, 'ddk'), mingwInclude], allFiles: true, language });
      };
      const c = read('c');
      const cxx = read('cpp');
      const errors = (r: typeof c) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${path.basename(d.loc.file)}:${d.loc.line}: ${d.message}`);
      assert.deepEqual(errors(cxx), errors(c));
      if (header === 'ddk/wdm.h') assert.deepEqual(errors(cxx), []);
      // What C++ mode skips is said, never silent: mingw's secure-CRT helper template.
      const skipped = cxx.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.message);
      assert.ok(skipped.every((m) => /__if_array/.test(m)), skipped.join('\n'));
      for (const abi of ['x86', 'x64'] as const) {
        const shape = (r: typeof c) =>
          r.reports
            .find((x) => x.abi === abi)!
            // C++ scopes a record declared inside another by it, as clang does (`_PCI_PMC::_PM_SUPPORT`).
            .records.map((x) => `${x.name.replace(/^.*::/, '')} ${x.size}/${x.align} ${x.fields.map((f) => `${f.name}@${f.offset}`).join(',')}`)
            .sort();
        // Where the languages rightly differ, as clang: wdm.h gives C++ its own _PCI_COMMON_CONFIG
        // (no anonymous struct), and x86's _XSTATE_SAVE is empty (mingw tests _X86_, which nothing
        // defines): 4 bytes in MSVC's C, 1 in C++.
        const differs = (line: string) => /^_(PCI_COMMON_CONFIG|XSTATE_SAVE) /.test(line);
        const a = shape(c);
        const b = shape(cxx);
        assert.ok(a.length > 300, `${abi}: ${a.length} records`);
        assert.deepEqual(b.filter((l) => !differs(l)), a.filter((l) => !differs(l)), `${abi}: C++ mode reads other records or layouts than C`);
        const sizes = (r: string[]) => r.filter(differs).map((l) => l.split(' ').slice(0, 2).join(' '));
        assert.deepEqual(sizes(b), abi === 'x86' ? ['_PCI_COMMON_CONFIG 256/4', '_XSTATE_SAVE 1/1'] : ['_PCI_COMMON_CONFIG 256/4', '_XSTATE_SAVE 56/8']);
        assert.deepEqual(sizes(a), abi === 'x86' ? ['_PCI_COMMON_CONFIG 256/4', '_XSTATE_SAVE 4/1'] : ['_PCI_COMMON_CONFIG 256/4', '_XSTATE_SAVE 56/8']);
      }
    });
  }
});
