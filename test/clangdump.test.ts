/**
 * Unit tests for scripts/clang-layouts.mjs, the clang oracle behind the
 * differential tests: its parsers run on dump snippets captured from clang
 * 14.0.6 (`-fdump-record-layouts`, `-ast-dump`, stderr, `-E` line markers),
 * so the harness is checked without clang installed.
 */

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const repoRoot = path.resolve(__dirname, '../..');
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<any>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
let m: any;
before(async () => {
  m = await importEsm(pathToFileURL(path.join(repoRoot, 'scripts', 'clang-layouts.mjs')).href);
});

// Captured: clang -target i686-pc-windows-msvc -fdump-record-layouts(-complete) on a.h.
const layoutDump = `
*** Dumping AST Record Layout
         0 | struct __NSConstantString_tag
         0 |   const int * isa
         4 |   int flags
         8 |   const char * str
        12 |   long length
           | [sizeof=16, align=4]

*** Dumping AST Record Layout
         0 | struct _A
         0 |   char c
         4 |   int i
         8 |   struct _A::(anonymous at a.h:1:36) 
         8 |     short s
        12 |     union _A::(anonymous at a.h:1:54) 
        12 |       char x
        12 |       int y
    16:0-2 |   int b1
    16:3-7 |   int b2
    20:0-1 |   char b3
      24:- |   int 
        24 |   long long q
        32 |   int[3][2] arr
           | [sizeof=56, align=8]

*** Dumping AST Record Layout
         0 | struct (unnamed at a.h:2:9)
         0 |   int x
         8 |   struct _A inner
         8 |     char c
        12 |     int i
        16 |     struct _A::(anonymous at a.h:1:36) 
        16 |       short s
        20 |       union _A::(anonymous at a.h:1:54) 
        20 |         char x
        20 |         int y
    24:0-2 |     int b1
        40 |     int[3][2] arr
        64 |   void (*)(int) fp
           | [sizeof=68, align=8]

*** Dumping AST Record Layout
         0 | struct Empty
           | [sizeof=4, align=1]

*** Dumping AST Record Layout
         0 | struct Cxx
         0 |   int x
           | [sizeof=4, dsize=4, align=4,
           |  nvsize=4, nvalign=4]
`;

describe('clang-layouts: layout dump parser', () => {
  it('reads record names: tags, unnamed records with their location, qualified names', () => {
    assert.deepEqual(m.parseRecordName('struct _A'), { kind: 'struct', tag: '_A' });
    assert.deepEqual(m.parseRecordName('union _A::(unnamed at a.h:1:54)'), { kind: 'union', loc: { file: 'a.h', line: 1, col: 54 } });
    assert.deepEqual(m.parseRecordName('struct (unnamed struct at /x/y.h:3:43)'), { kind: 'struct', loc: { file: '/x/y.h', line: 3, col: 43 } });
    assert.deepEqual(m.parseRecordName('struct Outer::Inner'), { kind: 'struct', tag: 'Inner' });
    assert.equal(m.parseRecordName('int'), null);
  });

  it('reads offsets, bit ranges and zero-width bit-fields', () => {
    assert.deepEqual(m.parseOffset('8'), { offset: 8 });
    assert.deepEqual(m.parseOffset('16:3-7'), { offset: 16, bitOffset: 3, bitWidth: 5 });
    assert.deepEqual(m.parseOffset('4:0-19'), { offset: 4, bitOffset: 0, bitWidth: 20 });
    assert.deepEqual(m.parseOffset('24:-'), { offset: 24, bitOffset: 0, bitWidth: 0 });
    assert.equal(m.parseOffset('x'), null);
  });

  it('parses records, sizes, alignment and the extra trailer values', () => {
    const records = m.parseLayoutDump(layoutDump);
    assert.deepEqual(
      records.map((r: any) => [r.tag ?? r.loc.line, r.size, r.align]),
      [['__NSConstantString_tag', 16, 4], ['_A', 56, 8], [2, 68, 8], ['Empty', 4, 1], ['Cxx', 4, 4]],
    );
    assert.deepEqual(records[4].extra, { dsize: 4, nvsize: 4, nvalign: 4 });
    assert.deepEqual(records[3].fields, []);
  });

  it('keeps anonymous members with absolute offsets and drops the inline expansion of named record members', () => {
    const [, a, unnamed] = m.parseLayoutDump(layoutDump);
    const strip = (fs: any[]): any[] => fs.map(({ type, ...f }: any) => (f.fields ? { ...f, fields: strip(f.fields) } : f));
    assert.deepEqual(strip(a.fields), [
      { name: 'c', offset: 0 },
      { name: 'i', offset: 4 },
      {
        name: null,
        offset: 8,
        fields: [
          { name: 's', offset: 8 },
          { name: null, offset: 12, fields: [{ name: 'x', offset: 12 }, { name: 'y', offset: 12 }] },
        ],
      },
      { name: 'b1', offset: 16, bitOffset: 0, bitWidth: 3 },
      { name: 'b2', offset: 16, bitOffset: 3, bitWidth: 5 },
      { name: 'b3', offset: 20, bitOffset: 0, bitWidth: 2 },
      { name: null, offset: 24, bitOffset: 0, bitWidth: 0 },
      { name: 'q', offset: 24 },
      { name: 'arr', offset: 32 },
    ]);
    assert.deepEqual(
      unnamed.fields.map((f: any) => [f.name, f.type, f.offset, f.fields]),
      [
        ['x', 'int', 0, undefined],
        ['inner', 'struct _A', 8, undefined],
        ['fp', 'void (*)(int)', 64, undefined],
      ],
    );
  });
});

// Captured: clang -ast-dump of b.h (with the implicit built-ins cut).
const astDump = `TranslationUnitDecl 0x3e50dd88 <<invalid sloc>> <invalid sloc>
|-RecordDecl 0x3e50e598 <<invalid sloc>> <invalid sloc> implicit struct _GUID
|-RecordDecl 0x3b3e6bf8 <b.h:1:9, col:25> col:9 struct definition
| \`-FieldDecl 0x3b3e6cb8 <col:18, col:22> col:22 x 'int'
|-TypedefDecl 0x3b44ee60 <col:1, col:27> col:27 B 'struct B':'B'
| \`-ElaboratedType 0x3b3e6d10 'struct B' sugar
|   \`-RecordType 0x3b3e6c80 'B'
|     \`-Record 0x3b3e6bf8 ''
|-RecordDecl 0x3b44efb8 <line:2:9, col:25> col:9 struct definition
| \`-FieldDecl 0x3b44f078 <col:18, col:22> col:22 y 'int'
|-TypedefDecl 0x3b44f190 <col:1, col:28> col:28 PC2 'struct C2 *'
| \`-PointerType 0x3b44f140 'struct C2 *'
|   \`-ElaboratedType 0x3b44f0d0 'struct C2' sugar
|     \`-RecordType 0x3b44f040 'C2'
|       \`-Record 0x3b44efb8 ''
|-TypedefDecl 0x3b44f208 <col:1, col:33> col:33 C2 'struct C2':'C2'
| \`-ElaboratedType 0x3b44f0d0 'struct C2' sugar
|   \`-RecordType 0x3b44f040 'C2'
|     \`-Record 0x3b44efb8 ''
|-RecordDecl 0x3b44f280 <line:3:1, col:68> col:8 struct Outer definition
| |-RecordDecl 0x3b44f320 parent 0x3b3e5d88 <col:16, col:38> col:23 struct Inner definition
| | \`-FieldDecl 0x3b44f3e8 <col:31, col:35> col:35 x 'int'
| |-FieldDecl 0x3b44f498 <col:16, col:40> col:40 i 'struct Inner':'struct Inner'
| |-RecordDecl 0x3b44f4e8 <col:43, col:59> col:43 struct definition
| | \`-FieldDecl 0x3b44f5a8 <col:52, col:56> col:56 q 'int'
| \`-FieldDecl 0x3b44f658 <col:43, col:61> col:61 named 'struct (unnamed struct at b.h:3:43)':'struct Outer::(unnamed at b.h:3:43)'
|-RecordDecl 0x336ea4c8 prev 0x335ca908 <other.h:2813:13, line:2816:5> line:2813:20 invalid struct _EXCEPTION_POINTERS definition
| |-FieldDecl 0x336ea580 <line:2814:7, col:25> col:25 ExceptionRecord 'PEXCEPTION_RECORD':'EXCEPTION_RECORD *'
| \`-FieldDecl 0x336ea600 <line:2815:7, col:16> col:16 invalid ContextRecord 'int'
|-FunctionDecl 0x1 <b.h:9:1, line:12:1> line:9:13 f 'void (void)' static inline
| \`-CompoundStmt 0x2 <col:20, line:12:1>
|   \`-DeclStmt 0x3 <line:10:3, col:30>
|     \`-RecordDecl 0x4 <col:3, col:28> col:10 struct Local definition
|       \`-FieldDecl 0x5 <col:19, col:23> col:23 v 'int'
\`-TypedefDecl 0x6 <line:13:1, col:20> col:20 invalid Broken 'int'
`;

describe('clang-layouts: AST dump parser', () => {
  it('follows the file/line elision of locations', () => {
    const ast = m.parseAstDump(astDump);
    const locs = ast.records.map((r: any) => [r.tag, r.loc.file, r.loc.line, r.loc.col]);
    assert.deepEqual(locs, [
      [null, 'b.h', 1, 9],
      [null, 'b.h', 2, 9],
      ['Outer', 'b.h', 3, 8],
      ['Inner', 'b.h', 3, 23],
      [null, 'b.h', 3, 43],
      ['_EXCEPTION_POINTERS', 'other.h', 2813, 20],
      ['Local', 'b.h', 10, 10],
    ]);
    assert.deepEqual(ast.records[5].range, { begin: { file: 'other.h', line: 2813, col: 13 }, end: { file: 'other.h', line: 2816, col: 5 } });
  });

  it('reads invalid, function-local and nested records, and member types', () => {
    const ast = m.parseAstDump(astDump);
    const byTag = (t: string) => ast.records.find((r: any) => r.tag === t);
    assert.equal(byTag('_EXCEPTION_POINTERS').invalid, true);
    assert.equal(byTag('Outer').invalid, false);
    assert.equal(byTag('Local').local, true);
    assert.equal(byTag('Inner').parent, byTag('Outer').addr);
    assert.deepEqual(
      byTag('Outer').fields.map((f: any) => [f.name, f.canonical]),
      [
        ['i', 'struct Inner'],
        ['named', 'struct Outer::(unnamed at b.h:3:43)'],
      ],
    );
    assert.equal(byTag('_EXCEPTION_POINTERS').fields[1].invalid, true);
  });

  it('links typedefs to the record they name directly, not through a pointer', () => {
    const ast = m.parseAstDump(astDump);
    const td = Object.fromEntries(ast.typedefs.map((t: any) => [t.name, t.recordAddr]));
    assert.equal(td.B, '0x3b3e6bf8');
    assert.equal(td.PC2, null);
    assert.equal(td.C2, '0x3b44efb8');
    assert.equal(ast.typedefs.find((t: any) => t.name === 'Broken').invalid, true);
  });
});

describe('clang-layouts: joining dumps and excluding records', () => {
  const layouts = `
*** Dumping AST Record Layout
         0 | struct (unnamed at b.h:1:9)
         0 |   int x
           | [sizeof=4, align=4]

*** Dumping AST Record Layout
         0 | struct (unnamed at b.h:2:9)
         0 |   int y
           | [sizeof=4, align=4]

*** Dumping AST Record Layout
         0 | struct Inner
         0 |   int x
           | [sizeof=4, align=4]

*** Dumping AST Record Layout
         0 | struct Outer::(unnamed at b.h:3:43)
         0 |   int q
           | [sizeof=4, align=4]

*** Dumping AST Record Layout
         0 | struct Outer
         0 |   struct Inner i
         0 |     int x
         4 |   struct Outer::(unnamed at b.h:3:43) named
         4 |     int q
           | [sizeof=8, align=4]

*** Dumping AST Record Layout
         0 | struct _EXCEPTION_POINTERS
         0 |   PEXCEPTION_RECORD ExceptionRecord
         4 |   int ContextRecord
           | [sizeof=8, align=4]

*** Dumping AST Record Layout
         0 | struct Local
         0 |   int v
           | [sizeof=4, align=4]
`;

  const join = (errors: any[] = []) =>
    m.joinLayouts({ layouts: m.parseLayoutDump(layouts), ast: m.parseAstDump(astDump), errors, isResourceFile: () => false });

  it('names anonymous records by their typedef and skips records without any name', () => {
    const { records, unnamed } = join();
    assert.deepEqual(
      records.map((r: any) => [r.name, r.file, r.line, r.size]),
      [
        ['B', 'b.h', 1, 4],
        ['C2', 'b.h', 2, 4],
        ['Inner', 'b.h', 3, 4],
        ['Outer', 'b.h', 3, 8],
      ],
    );
    assert.equal(unnamed, 1);
  });

  it('excludes invalid and function-local records with their reason', () => {
    const { excluded } = join();
    assert.deepEqual(
      excluded.map((e: any) => [e.name, e.reason]),
      [
        ['_EXCEPTION_POINTERS', 'invalid'],
        ['Local', 'function-local'],
      ],
    );
  });

  it('excludes a record with an error inside it, and records holding it by value', () => {
    const { records, excluded } = join([{ file: 'b.h', line: 3, col: 20, message: 'boom' }]);
    assert.deepEqual(records.map((r: any) => r.name), ['B', 'C2']);
    assert.deepEqual(
      excluded.filter((e: any) => e.file === 'b.h' && e.line === 3).map((e: any) => [e.name, e.reason]),
      [
        ['Inner', 'error-in-record'],
        ['Outer', 'error-in-record'],
      ],
    );
  });

  it('finds the record a member holds by value', () => {
    assert.deepEqual(m.byValueRecordRef('struct _A [3][2]'), { kind: 'struct', tag: '_A' });
    assert.deepEqual(m.byValueRecordRef('B'), { bare: 'B' });
    assert.equal(m.byValueRecordRef('struct _A *'), null);
    assert.equal(m.byValueRecordRef('void (*)(int)'), null);
    assert.equal(m.byValueRecordRef('enum E'), null);
    assert.deepEqual(m.byValueRecordRef('union X::(unnamed at x.h:1:2)'), { kind: 'union', loc: { file: 'x.h', line: 1, col: 2 } });
  });
});

describe('clang-layouts: diagnostics and include chains', () => {
  it('reads errors and fatal errors, ignoring warnings and notes', () => {
    const stderr = [
      'In file included from w.c:1:',
      '/usr/share/mingw-w64/include/winnt.h:2815:7: error: unknown type name \'PCONTEXT\'',
      'c.h:3:1: warning: something',
      'c.h:4:1: note: here',
      'x.c:1:10: fatal error: \'y.h\' file not found',
      '1 error generated.',
    ].join('\n');
    assert.deepEqual(m.parseDiagnostics(stderr), [
      { file: '/usr/share/mingw-w64/include/winnt.h', line: 2815, col: 7, message: "unknown type name 'PCONTEXT'" },
      { file: 'x.c', line: 1, col: 10, message: "'y.h' file not found" },
    ]);
  });

  it('finds headers first included through a clang resource header', () => {
    const res = '/usr/lib/llvm-14/lib/clang/14.0.6/include';
    const pre = [
      '# 1 "tu.c"',
      '# 1 "<built-in>" 1',
      '# 1 "tu.c" 2',
      '# 1 "/m/intrin.h" 1 3',
      `# 1 "${res}/xmmintrin.h" 1 3`,
      `# 1 "${res}/mm_malloc.h" 1 3`,
      '# 1 "/m/stdlib.h" 1 3',
      '# 1 "/m/corecrt.h" 1 3',
      '# 5 "/m/stdlib.h" 2 3',
      `# 14 "${res}/mm_malloc.h" 2 3`,
      `# 20 "${res}/xmmintrin.h" 2 3`,
      '# 134 "/m/intrin.h" 2 3',
      '# 1 "/m/malloc.h" 1 3',
      '# 1 "/m/corecrt.h" 1 3',
      '# 2 "/m/malloc.h" 2 3',
      '# 2 "tu.c" 2',
    ].join('\n');
    const reached = m.filesReachedThrough(pre, (f: string) => f.startsWith(res + '/'));
    assert.deepEqual([...reached.entries()], [
      ['/m/stdlib.h', `${res}/mm_malloc.h`],
      ['/m/corecrt.h', `${res}/mm_malloc.h`],
    ]);
  });

  it('builds the wrapper translation unit the differential test mirrors', () => {
    assert.equal(m.wrapperText({ files: ['/a/b.h'], headers: ['windows.h', 'ddk/wdm.h'] }), '#include "/a/b.h"\n#include <windows.h>\n#include <ddk/wdm.h>\n');
  });
});

// Captured: clang++ -target x86_64-pc-windows-msvc -fdump-record-layouts on C++ classes.
const cxxLayoutDump = `
*** Dumping AST Record Layout
         0 | struct contoso::ioctl::E (empty)
           | [sizeof=1, align=1,
           |  nvsize=0, nvalign=1]

*** Dumping AST Record Layout
         0 | class contoso::ioctl::V
         0 |   (V vftable pointer)
         8 |   int v
        16 |   double d
           | [sizeof=24, align=8,
           |  nvsize=24, nvalign=8]

*** Dumping AST Record Layout
         0 | struct contoso::ioctl::W
         0 |   class contoso::ioctl::V (primary base)
         0 |     (V vftable pointer)
         8 |     int v
        16 |     double d
        24 |   struct contoso::ioctl::E (base) (empty)
        24 |   int w
        28 |   struct contoso::ioctl::E e (empty)
           | [sizeof=32, align=8,
           |  nvsize=32, nvalign=8]

*** Dumping AST Record Layout
         0 | struct Buf<struct ns::H, 2>
         0 |   struct ns::H[2] data
           | [sizeof=8, align=4,
           |  nvsize=8, nvalign=4]

*** Dumping AST Record Layout
         0 | ns::Anon
         0 |   int q
           | [sizeof=4, align=4,
           |  nvsize=4, nvalign=4]

*** Dumping AST Record Layout
         0 | struct VB
         0 |   (VB vbtable pointer)
         8 |   int v
        16 |   struct B (virtual base)
        16 |     int a
           | [sizeof=24, align=8,
           |  nvsize=16, nvalign=8]
`;

describe('clang-layouts: C++ dumps', () => {
  it('reads qualified names, bases, vftable pointers and empty members of a clang++ layout dump', () => {
    const records = m.parseLayoutDump(cxxLayoutDump, { cxx: true });
    assert.deepEqual(
      records.map((r: any) => [r.kind, r.qualified, r.size, r.bases ?? [], r.vfptr ?? null, r.virtualBases ?? false, r.fields.map((f: any) => `${f.name}@${f.offset}`)]),
      [
        ['struct', 'contoso::ioctl::E', 1, [], null, false, []],
        ['struct', 'contoso::ioctl::V', 24, [], 0, false, ['v@8', 'd@16']],
        ['struct', 'contoso::ioctl::W', 32, [{ name: 'contoso::ioctl::V', offset: 0 }, { name: 'contoso::ioctl::E', offset: 24 }], null, false, ['w@24', 'e@28']],
        ['struct', 'Buf<struct ns::H, 2>', 8, [], null, false, ['data@0']],
        [null, 'ns::Anon', 4, [], null, false, ['q@0']],
        ['struct', 'VB', 24, [], null, true, ['v@8']],
      ],
    );
  });

  it('reads qualified names and places from the JSON AST, whose locations elide the file and line that repeat', () => {
    const ast = {
      kind: 'TranslationUnitDecl',
      inner: [
        { kind: 'TypedefDecl', loc: { offset: 1, file: 'a.hpp', line: 1, col: 1, tokLen: 1 }, name: 'ULONG', type: { qualType: 'unsigned long' } },
        {
          kind: 'NamespaceDecl', loc: { offset: 2, line: 2, col: 11, tokLen: 2 }, name: 'ns',
          inner: [
            { kind: 'CXXRecordDecl', loc: { offset: 3, col: 20, tokLen: 1 }, name: 'H', tagUsed: 'struct', completeDefinition: true,
              inner: [{ kind: 'CXXRecordDecl', loc: { offset: 4, col: 20, tokLen: 1 }, isImplicit: true, name: 'H', tagUsed: 'struct' }] },
            { kind: 'NamespaceDecl', loc: { offset: 5, line: 3, col: 18, tokLen: 2 }, name: 'v1', isInline: true,
              inner: [{ kind: 'CXXRecordDecl', loc: { offset: 6, col: 30, tokLen: 2 }, name: 'In', tagUsed: 'union', completeDefinition: true }] },
          ],
        },
        {
          kind: 'ClassTemplateDecl', loc: { offset: 7, file: 'b.hpp', line: 9, col: 8, tokLen: 3 }, name: 'Buf',
          inner: [
            { kind: 'CXXRecordDecl', loc: { offset: 7, col: 8, tokLen: 3 }, name: 'Buf', tagUsed: 'struct', completeDefinition: true },
            { kind: 'ClassTemplateSpecializationDecl', loc: { offset: 7, col: 8, tokLen: 3 }, name: 'Buf', tagUsed: 'struct', completeDefinition: true },
          ],
        },
        { kind: 'FunctionDecl', loc: { offset: 8, line: 12, col: 6, tokLen: 1 }, name: 'f',
          inner: [{ kind: 'CXXRecordDecl', loc: { offset: 9, line: 13, col: 10, tokLen: 1 }, name: 'Local', tagUsed: 'struct', completeDefinition: true }] },
      ],
    };
    const model = m.parseCxxAst(ast);
    assert.deepEqual(
      model.records.map((r: any) => [r.qualified, r.kind, `${r.file}:${r.line}`, r.dependent, r.local, r.specialization]),
      [
        ['ns::H', 'struct', 'a.hpp:2', false, false, false],
        ['ns::In', 'union', 'a.hpp:3', false, false, false],
        // The pattern of a template is dependent; its instances are found by name, not forced.
        ['Buf', 'struct', 'b.hpp:9', true, false, false],
        ['Local', 'struct', 'b.hpp:13', false, true, false],
      ],
    );
    assert.deepEqual(model.templates.get('Buf'), { file: 'b.hpp', line: 9 });
    assert.equal(m.templateOf('ns::Buf<unsigned long, 4>'), 'ns::Buf');
  });
});
