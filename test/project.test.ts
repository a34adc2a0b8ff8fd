import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chooseConfiguration, kernelModeSources, parseVcxproj } from '../server/src/core/project';
import { findDrivers } from '../server/src/node/project';
import { collectFiles } from '../server/src/cli/check';
import { normalizePath } from '../server/src/core/source';
import { repoRoot } from './helpers';
import { expectDriverFixture } from './checks/fixtures';

const fixture = normalizePath(path.join(repoRoot, 'test', 'fixtures', 'drivers', 'vcxproj'));

describe('driver projects: .vcxproj', () => {
  it('reads the files and the Release|x64 options, item options included, platform macros dropped', () => {
    const file = `${fixture}/sys/vx.vcxproj`;
    const { project, diagnostics } = parseVcxproj(fs.readFileSync(file, 'utf8'), file);
    assert.deepEqual(diagnostics, []);
    assert.ok(project);
    assert.equal(project.configuration, 'Release|x64');
    assert.equal(project.kernel, true);
    assert.deepEqual(project.sources, [`${fixture}/sys/control.c`, `${fixture}/src/map.c`]);
    assert.deepEqual(project.headers, [`${fixture}/inc/vx.h`]);
    // $(DDK_INC_PATH) is a property we do not evaluate: dropped, not guessed.
    assert.deepEqual(project.includeDirs, [`${fixture}/inc`]);
    // The Debug|Win32 definitions are another configuration's; _WIN64 and friends come from each ABI.
    assert.deepEqual(project.defines, [
      ['VX_FEATURE_MAP', '1'],
      ['VX_MAP_FILE', '1'],
    ]);
  });

  it('reads the configuration asked for: Configuration|Platform, or a Configuration alone (its x64 platform first)', () => {
    const file = `${fixture}/sys/vx.vcxproj`;
    const debug = parseVcxproj(fs.readFileSync(file, 'utf8'), file, { configuration: 'debug|win32' });
    assert.deepEqual(debug.diagnostics, []);
    assert.equal(debug.project?.configuration, 'Debug|Win32');
    // Debug|Win32's own definitions; _X86_ is the ABI's to predefine; not a driver in that configuration.
    assert.deepEqual(debug.project?.defines, [['VX_DEBUG_ONLY', '1']]);
    assert.equal(debug.project?.kernel, undefined);
    assert.equal(parseVcxproj(fs.readFileSync(file, 'utf8'), file, { configuration: 'Debug' }).project?.configuration, 'Debug|Win32');
    const configs = ['Debug|Win32', 'Debug|x64', 'Release|Win32', 'Release|x64'];
    assert.deepEqual(chooseConfiguration(configs), { config: 'Release|x64' });
    assert.deepEqual(chooseConfiguration(configs, 'Debug'), { config: 'Debug|x64' });
    assert.deepEqual(chooseConfiguration(configs, 'RELEASE|WIN32'), { config: 'Release|Win32' });
    assert.deepEqual(chooseConfiguration(configs, 'Checked|ARM64'), { config: 'Release|x64', missing: true });
  });

  it('says when the project has no configuration asked for, and reads the default one', () => {
    const file = `${fixture}/sys/vx.vcxproj`;
    const { project, diagnostics } = parseVcxproj(fs.readFileSync(file, 'utf8'), file, { configuration: 'Checked' });
    assert.equal(project?.configuration, 'Release|x64');
    assert.deepEqual(
      diagnostics.map((d) => `${d.code} ${d.severity} ${d.message}`),
      ["project-no-configuration error the project has no configuration 'Checked' (it has Debug|Win32, Release|x64): 'Release|x64' is read instead"],
    );
  });

  it('reports a project file it cannot read, and does not throw', () => {
    const { project, diagnostics } = parseVcxproj('<Project><ItemGroup><ClCompile Include="a.c"', '/x/broken.vcxproj');
    assert.equal(project, undefined);
    assert.equal(diagnostics[0]?.code, 'project-unreadable');
  });

  it('finds the project under a folder and puts the files it does not list in a driver of their own', () => {
    const files = collectFiles(fixture);
    const { drivers } = findDrivers([fixture], files);
    assert.deepEqual(
      drivers.map((d) => [d.kind, d.name, d.sources.map((f) => path.basename(f))]),
      [
        ['vcxproj', 'vx.vcxproj', ['control.c', 'map.c']],
        ['folder', 'vcxproj', ['near-tool.c']],
      ],
    );
  });

  it('checks a project as one driver with its include paths and defines', () => {
    expectDriverFixture('vcxproj');
  });
});

describe('driver projects: kernel-mode sources', () => {
  it('are those that include a kernel header, directly or through the driver\'s own headers', () => {
    const texts: Record<string, string> = {
      '/d/a.c': '#include "precomp.h"\n',
      '/d/precomp.h': '#include <ntifs.h>\n',
      '/d/b.c': '#include <windows.h>\n#include "shared.h"\n',
      '/d/shared.h': '/* no kernel header */\n',
      '/d/c.c': '#include <Ndis.h>\n',
    };
    const sources = ['/d/a.c', '/d/b.c', '/d/c.c'];
    assert.deepEqual([...kernelModeSources(sources, Object.keys(texts), (p) => texts[p])], ['/d/a.c', '/d/c.c']);
  });
});
