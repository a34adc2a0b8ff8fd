/**
 * The problem this project was born from, end to end, on mingw-w64's real
 * `http.h` (which has no SAL): HTTP.sys serving 32-bit callers of
 * `HttpSendHttpResponse` and `HttpReceiveHttpRequest`.
 *
 *  - Send path: the 32-bit bytes of an HTTP_RESPONSE_V1 and an
 *    HTTP_REQUEST_V1 (unknown headers, trailers, known headers, entity
 *    chunks of each DataChunkType, SSL info with its client certificate) are
 *    built from clang's x86 layout (x86image.ts, never from the generated
 *    shadows), captured by the generated routines, and every field and
 *    string of the native result is compared with what was sent.
 *  - Receive path: a native HTTP_REQUEST_V1 is written for a 32-bit caller
 *    into one buffer and read back with clang's x86 layout: every value, and
 *    every pointer landing inside the buffer, after the record, aligned.
 *  - A too-small buffer gets the needed size and nothing written; an unknown
 *    DataChunkType is refused; a fault partway through is a status, not a
 *    crash, and frees what was taken.
 *
 * The generated code, the real header and a small native stub of the kernel
 * calls (test/wdk-shim) are compiled for x86_64 Linux and run under
 * AddressSanitizer and UndefinedBehaviorSanitizer (misaligned accesses,
 * overflows, leaks). Static asserts first prove the native records have
 * clang's x64 layout there and the shadows clang's x86 layout.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFile, createSession } from '../../server/src/core/analyze';
import { type ThunkResult, generateThunks } from '../../server/src/core/thunk/index';
import { diskHost } from '../../server/src/node/host';
import { mingwInclude, requireTool } from '../helpers';
import { fixtures, run, shimDir, staticAsserts, tempDir } from './harness';
import { clangAll, writeUnit } from './realHeaders';
import { type Model, X86Image, X86Layout, array, ascii, blob, cBuild, cChecks, checkX86, handle, modelValues, one, records, u16, u32, u64, u8, utf16 } from './x86image';

const response: Model = {
  Flags: u32(0x12),
  Version: { MajorVersion: u16(1), MinorVersion: u16(1) },
  StatusCode: u16(200),
  ReasonLength: u16(2),
  pReason: ascii('OK'),
  Headers: {
    UnknownHeaderCount: u16(2),
    pUnknownHeaders: records('HTTP_UNKNOWN_HEADER', [
      { NameLength: u16(5), RawValueLength: u16(3), pName: ascii('X-One'), pRawValue: ascii('abc') },
      { NameLength: u16(7), RawValueLength: u16(0), pName: ascii('X-Empty'), pRawValue: ascii('') },
    ]),
    TrailerCount: u16(1),
    pTrailers: records('HTTP_UNKNOWN_HEADER', [{ NameLength: u16(7), RawValueLength: u16(2), pName: ascii('Trailer'), pRawValue: ascii('ok') }]),
    KnownHeaders: array({
      0: { RawValueLength: u16(8), pRawValue: ascii('no-cache') },
      12: { RawValueLength: u16(9), pRawValue: ascii('text/html') },
      29: { RawValueLength: u16(5), pRawValue: ascii('Basic') },
    }),
  },
  EntityChunkCount: u16(4),
  // Flush against the end of the caller's memory: one more chunk is a fault partway through.
  pEntityChunks: records(
    'HTTP_DATA_CHUNK',
    [
      { DataChunkType: u32(0), FromMemory: { pBuffer: ascii('hello, body'), BufferLength: u32(11) } },
      {
        DataChunkType: u32(1),
        FromFileHandle: { ByteRange: { StartingOffset: { QuadPart: u64(0x100000005n) }, Length: { QuadPart: u64(77) } }, FileHandle: handle(0xffffffff) },
      },
      { DataChunkType: u32(2), FromFragmentCache: { FragmentNameLength: u16(10), pFragmentName: utf16('frag1') } },
      { DataChunkType: u32(0), FromMemory: { pBuffer: ascii(''), BufferLength: u32(0) } },
    ],
    { last: true },
  ),
};

const fullUrl = 'http://host:80/index?x=1&y';
const request: Model = {
  Flags: u32(1),
  ConnectionId: u64(0x1122334455667788n),
  RequestId: u64(0x99aabbccddeeff00n),
  UrlContext: u64(7),
  Version: { MajorVersion: u16(1), MinorVersion: u16(1) },
  Verb: u32(4), // HttpVerbGET
  UnknownVerbLength: u16(0),
  RawUrlLength: u16(12),
  pUnknownVerb: ascii(''),
  pRawUrl: ascii('/index?x=1&y'),
  CookedUrl: {
    FullUrlLength: u16(fullUrl.length * 2),
    HostLength: u16(14),
    AbsPathLength: u16(12),
    QueryStringLength: u16(12),
    pFullUrl: utf16(fullUrl),
    pHost: utf16('host:80'),
    pAbsPath: utf16('/index'),
    pQueryString: utf16('?x=1&y'),
  },
  Address: {
    pRemoteAddress: one('SOCKADDR', { sa_family: u16(2), sa_data: array({ 0: u8(0x1f), 1: u8(0x90), 2: u8(192), 3: u8(168), 4: u8(1), 5: u8(2) }) }),
    pLocalAddress: one('SOCKADDR', { sa_family: u16(2), sa_data: array({ 1: u8(80), 2: u8(10), 5: u8(1) }) }),
  },
  Headers: {
    UnknownHeaderCount: u16(1),
    pUnknownHeaders: records('HTTP_UNKNOWN_HEADER', [{ NameLength: u16(6), RawValueLength: u16(4), pName: ascii('X-Trip'), pRawValue: ascii('wow!') }]),
    TrailerCount: u16(0),
    pTrailers: { $: 'ptr', value: 0 },
    KnownHeaders: array({
      1: { RawValueLength: u16(10), pRawValue: ascii('keep-alive') },
      28: { RawValueLength: u16(7), pRawValue: ascii('host:80') },
      40: { RawValueLength: u16(4), pRawValue: ascii('curl') },
    }),
  },
  BytesReceived: u64(1234),
  EntityChunkCount: u16(2),
  // At 4 modulo 8: HTTP_DATA_CHUNK is 8-aligned on x86, but an x86 caller's stack only guarantees 4.
  pEntityChunks: records(
    'HTTP_DATA_CHUNK',
    [
      { DataChunkType: u32(0), FromMemory: { pBuffer: blob(Buffer.from('request body')), BufferLength: u32(12) } },
      { DataChunkType: u32(2), FromFragmentCache: { FragmentNameLength: u16(8), pFragmentName: utf16('frag') } },
    ],
    { misaligned: true },
  ),
  RawConnectionId: u64(0xfeedn),
  pSslInfo: one('HTTP_SSL_INFO', {
    ServerCertKeySize: u16(2048),
    ConnectionKeySize: u16(256),
    ServerCertIssuerSize: u32(9),
    ServerCertSubjectSize: u32(8),
    pServerCertIssuer: ascii('CN=Issuer'),
    pServerCertSubject: ascii('CN=Host1'),
    pClientCertInfo: one('HTTP_SSL_CLIENT_CERT_INFO', {
      CertFlags: u32(3),
      CertEncodedSize: u32(4),
      pCertEncoded: blob(Buffer.from([0x30, 0x82, 0x01, 0x0a])),
      Token: handle(0x80001234),
      CertDeniedByMapper: u8(1),
    }),
    SslClientCertNegotiated: u32(1),
  }),
};

const responseBase = 0x60000000; // below 0x7fff8000: where AddressSanitizer lets a program map memory
const requestBase = 0x60100000;
const outputBase = 0x60200000;
const callerUser = 0x7e000000; // the caller's address of its receive buffer

/** Pieces of several runs in one unit, each once (as a second run over a file holding the first's output would). */
function merged(results: ThunkResult[]): string {
  const seen = new Set<string>();
  return results
    .flatMap((r) => r.pieces)
    .filter((p) => p.placement !== 'dispatch-case')
    .filter((p) => {
      const key = `${p.kind}\0${p.name || p.text}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((p) => p.text)
    .join('\n');
}

const cImage = (name: string, bytes: Buffer) => `static const unsigned char ${name}[${bytes.length}] = {${[...bytes].join(',')}};`;

describe('thunk: HTTP.sys on the real http.h, run natively under ASan and UBSan', function () {
  this.timeout(300000);

  it('captures a response and a request from 32-bit bytes, and writes a request into a 32-bit caller\'s buffer', function () {
    if (!requireTool(this, 'mingw-w64 headers') || !requireTool(this, 'clang')) return;
    const dir = tempDir();
    const umbrella = writeUnit(dir, 'http_unit.c', '#include <windows.h>\n#include <http.h>\n');
    const analysis = analyzeFile(createSession(diskHost()), umbrella, { abis: ['x86', 'x64'], includeDirs: [mingwInclude] });
    const send = generateThunks(analysis, { type: 'HTTP_RESPONSE_V1' });
    const receive = generateThunks(analysis, { type: 'HTTP_REQUEST_V1', direction: 'out' });
    for (const r of [send, receive]) assert.equal(r.error, undefined);
    // Nothing in http.h says how many: every count was inferred, and said so; DataChunkType selects the union's arm.
    const inferred = [...send.warnings, ...receive.warnings].filter((w) => w.code === 'inferred-count').map((w) => `${w.type}.${w.member}`);
    for (const m of ['HTTP_RESPONSE_HEADERS.pUnknownHeaders', 'HTTP_RESPONSE_V1.pEntityChunks', 'HTTP_REQUEST_V1.pRawUrl', 'HTTP_COOKED_URL.pFullUrl', 'HTTP_SSL_INFO.pServerCertIssuer']) {
      assert.ok(inferred.includes(m), `${m} inferred (${inferred.join(', ')})`);
    }
    assert.ok(send.warnings.some((w) => w.code === 'inferred-switch' && w.type === 'HTTP_DATA_CHUNK'));
    assert.deepEqual(receive.warnings.filter((w) => w.code === 'unsized-pointer'), []);

    const x86 = clangAll(umbrella, 'i686-pc-windows-msvc');
    const x64 = clangAll(umbrella, 'x86_64-pc-windows-msvc');
    const x86Unit = analysis.units.get('x86')!.unit;
    const tagOf = (type: string) => {
      const td = x86Unit.typedefs.get(type);
      const c = td && (td.type.kind === 'record' ? td.type : undefined);
      return c?.decl.tag ?? type;
    };
    const layout = new X86Layout(x86.dumps, tagOf);
    const responseImage = new X86Image(responseBase, 3 * 4096, layout);
    const responseRoot = responseImage.writeRoot('HTTP_RESPONSE_V1', response);
    const requestImage = new X86Image(requestBase, 3 * 4096, layout);
    const requestRoot = requestImage.writeRoot('HTTP_REQUEST_V1', request);
    const chunkSize = layout.record('HTTP_DATA_CHUNK').size;

    // Layouts: the native records as clang lays them out for x64, the shadows as it lays out their natives for x86.
    const plans = [...send.plan.records, ...receive.plan.records];
    let asserts = '';
    for (const r of new Map(plans.map((p) => [p.shadow.name, p])).values()) {
      const key = r.native.tag ?? r.nativeName;
      asserts += staticAsserts(r.nativeName, x64.dumps.get(key)!) + staticAsserts(r.shadow.name, x86.dumps.get(key)!);
    }
    const responseChecks: string[] = [];
    cChecks(response, '(*Response)', 'response', responseChecks);
    const requestChecks: string[] = [];
    cChecks(request, '(*Request)', 'request', requestChecks);
    const build: string[] = [];
    const statics: string[] = [];
    cBuild(request, 'Built', build, statics);
    const program = `#define _WIN64 1
#define _WIN32_WINNT 0x0601
#include "wdk_shim.h"
#include "${path.join(mingwInclude, 'http.h')}"
${merged([send, receive])}
#include "run_common.h"
${asserts}
${cImage('ResponseImage', responseImage.bytes)}
${cImage('RequestImage', requestImage.bytes)}
${statics.join('\n')}
static HTTP_REQUEST_V1 Built;
#include "${path.join(fixtures, 'http.run.c')}"
static void CheckResponse(const HTTP_RESPONSE_V1 *Response) {
    ${responseChecks.join('\n    ')}
}
static void CheckRequest(const HTTP_REQUEST_V1 *Request) {
    ${requestChecks.join('\n    ')}
}
static void BuildRequest(void) {
    ${build.join('\n    ')}
}
int main(void) {
    return RunHttp(${responseBase}u, ${responseRoot - responseBase}u, ${requestBase}u, ${requestRoot - requestBase}u, ${outputBase}u, ${callerUser}u, ${chunkSize}u);
}
`;
    const output = runSanitized(dir, 'http.c', program);
    const lines = output.trim().split('\n');
    const bytesOf = (label: string) => {
      const line = lines.find((l) => l.startsWith(label + ': '));
      assert.ok(line, `no ${label} in:\n${output}`);
      const [needed, hex] = line!.slice(label.length + 2).split(' ');
      return { needed: Number(needed), bytes: Buffer.from(hex, 'hex') };
    };
    // The receive path's buffers, read back with clang's x86 layout.
    for (const label of ['receive built', 'receive captured']) {
      const { needed, bytes } = bytesOf(label);
      const read = checkX86(layout, bytes, callerUser, needed, 'HTTP_REQUEST_V1', request);
      assert.deepEqual(read.problems, [], label);
      assert.equal(read.checked, modelValues(request), `${label}: every value of the request read back`);
    }
    const { needed } = bytesOf('receive built');
    assert.deepEqual(
      lines.filter((l) => !l.startsWith('receive built') && !l.startsWith('receive captured')),
      [
        `response capture: status=00000000 compared=${responseChecks.length} mismatches=0`,
        'response released: pool=0',
        'response, a chunk of type HttpDataChunkFromFragmentCacheEx (no arm in this http.h): status=c000000d pool=0',
        'response, one chunk more than the caller mapped (a fault partway through): status=c0000005 pool=0',
        `request capture: status=00000000 compared=${requestChecks.length} mismatches=0`,
        'request released: pool=0',
        `receive, one byte short: status=80000005 needed=${needed} written=0`,
        `receive, a buffer that ends partway (a fault partway through): status=c0000005`,
      ],
    );
  });
});

/** Compiles for x86_64 Linux with AddressSanitizer and UndefinedBehaviorSanitizer (every report fatal) and runs it. */
function runSanitized(dir: string, name: string, source: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, source);
  const exe = file.replace(/\.c$/, '');
  const flags = ['-std=gnu11', '-O1', '-g', '-fno-omit-frame-pointer', '-fsanitize=address,undefined', '-fno-sanitize-recover=all', '-fno-strict-aliasing'];
  const warnings = ['-Wall', '-Wno-unused-function', '-Wno-multichar', '-Wno-missing-braces'];
  const compiled = run('clang', [...flags, ...warnings, '-I', shimDir, '-I', path.join(shimDir, 'user'), '-I', fixtures, '-o', exe, file]);
  assert.equal(compiled.status, 0, `native compile failed:\n${compiled.stderr}\n(unit in ${dir})`);
  assert.doesNotMatch(compiled.stderr, /warning:/, `native compile warnings:\n${compiled.stderr}`);
  // The shim turns SIGSEGV inside __try into STATUS_ACCESS_VIOLATION: ASan must leave the signal to it.
  const r = run('sh', ['-c', `ASAN_OPTIONS=handle_segv=0:allow_user_segv_handler=1:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ${exe}`]);
  assert.equal(r.status, 0, `native program failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}
