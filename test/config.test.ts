import * as assert from 'node:assert/strict';
import { compileOptionsFor, parseCompileCommands, parseConfig, parseJsonc, splitCommand } from '../server/src/core/config';

describe('config: .ioctl-lens.json', () => {
  it('reads every setting, resolving paths against the file', () => {
    const { config, diagnostics } = parseConfig(
      `{
        // comments and trailing commas are fine
        "includePaths": ["inc", "/abs/wdk"],
        "defines": {"V2": "1", "DBG": null, "N": 3},
        "undefines": ["NDEBUG"],
        "forcedIncludes": ["windows.h", "pre/force.h"],
        "abis": ["x86", "x64"],
        "rules": {"reserved-function-code": "off", "unthunked-pointer": "error"},
        "compileCommands": "build/compile_commands.json",
        "kernelMode": false,
        "configuration": "Debug|Win32",
      }`,
      '/proj/.ioctl-lens.json',
    );
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(config.includePaths, ['/proj/inc', '/abs/wdk']);
    assert.deepEqual(config.defines, [['V2', '1'], ['DBG', undefined], ['N', '3']]);
    assert.deepEqual(config.undefines, ['NDEBUG']);
    assert.deepEqual(config.forcedIncludes, ['windows.h', '/proj/pre/force.h']);
    assert.deepEqual(config.abis, ['x86', 'x64']);
    assert.deepEqual(config.rules, { 'reserved-function-code': 'off', 'unthunked-pointer': 'error' });
    assert.equal(config.compileCommands, '/proj/build/compile_commands.json');
    assert.equal(config.kernelMode, false);
    assert.equal(config.configuration, 'Debug|Win32');
  });

  it('reports bad values where they are, and keeps the rest', () => {
    const text = '{\n  "abis": ["x86", "mips"],\n  "rules": {"no-such-rule": "off", "stale-shadow": "loud"},\n  "defines": ["A=1"],\n  "colour": true,\n  "kernelMode": "no",\n  "configuration": ""\n}';
    const { config, diagnostics } = parseConfig(text, '/p/.ioctl-lens.json');
    assert.deepEqual(config.abis, ['x86']);
    assert.deepEqual(config.defines, [['A', '1']]);
    assert.equal(config.kernelMode, undefined);
    assert.deepEqual(
      diagnostics.map((d) => `${d.loc.line}:${d.loc.col} ${d.severity} ${d.message}`),
      [
        `2:19 error unknown ABI 'mips' (expected x86, x64, arm64 or arm32)`,
        `3:13 warning unknown rule 'no-such-rule'`,
        `3:52 error rule 'stale-shadow' must be "error", "warning", "info" or "off"`,
        `5:3 warning unknown setting 'colour'`,
        `6:17 error 'kernelMode' must be true or false`,
        `7:20 error 'configuration' must be a project configuration such as "Debug|x64" or "Release"`,
      ],
    );
  });

  it('reports syntax errors with their place', () => {
    const { diagnostics } = parseConfig('{\n  "abis": [x86]\n}', '/p/.ioctl-lens.json');
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].loc.line, 2);
    assert.equal(diagnostics[0].loc.col, 12);
    assert.throws(() => parseJsonc('{"a": 1} x'));
  });
});

describe('config: compile_commands.json', () => {
  it('splits shell commands', () => {
    assert.deepEqual(splitCommand(`cc -I"my dir" -DNAME='a b' -DX=\\"s\\" file.c`), ['cc', '-Imy dir', '-DNAME=a b', '-DX="s"', 'file.c']);
  });

  it('reads -I/-D/-U/-include (and MSVC spellings) from arguments or command, relative to directory', () => {
    const text = JSON.stringify([
      { directory: '/b', file: '../src/a.c', arguments: ['clang', '-I', 'inc', '-Isys', '-isystem', '/wdk', '-DA=1', '-D', 'B', '-UC', '-include', 'pre.h', '-c', 'a.c'] },
      { directory: '/b', file: '/src/k/b.c', command: 'cl.exe /I ..\\km /DKMDF_VERSION=1 /FIforce.h b.c' },
    ]);
    const { entries, diagnostics } = parseCompileCommands(text, '/b/compile_commands.json');
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(entries[0], {
      file: '/src/a.c',
      directory: '/b',
      includeDirs: ['/b/inc', '/b/sys', '/wdk'],
      defines: [['A', '1'], ['B', undefined]],
      undefines: ['C'],
      forcedIncludes: ['/b/pre.h'],
    });
    assert.deepEqual(entries[1].includeDirs, ['/km']);
    assert.deepEqual(entries[1].defines, [['KMDF_VERSION', '1']]);
    assert.deepEqual(entries[1].forcedIncludes, ['/b/force.h']);
    // A header takes the options of a source file near it.
    assert.equal(compileOptionsFor(entries, '/src/k/b.h')?.file, '/src/k/b.c');
    assert.equal(compileOptionsFor(entries, '/src/a.c')?.file, '/src/a.c');
  });

  it('reports malformed entries', () => {
    const { entries, diagnostics } = parseCompileCommands('[{"file": "a.c"}, 3]', '/b/compile_commands.json');
    assert.equal(entries.length, 0);
    assert.equal(diagnostics.length, 2);
  });
});
