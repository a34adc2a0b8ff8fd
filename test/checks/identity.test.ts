/**
 * Findings' identity (checks/index.ts): findings are told apart and merged
 * by their structured facts (rule, symbol, place, template arguments), not
 * by their message text, and carry a fingerprint that survives edits
 * elsewhere in the file (SARIF `partialFingerprints`, baselines).
 */

import * as assert from 'node:assert/strict';
import { analyzeFile, createSession } from '../../server/src/core/analyze';
import { findingDetail, findingIdentity, fingerprint, runChecks } from '../../server/src/core/checks/index';
import { buildSarif } from '../../server/src/core/sarif';
import { memoryHost } from '../../server/src/core/source';

const header = `typedef unsigned long ULONG;
typedef void *PVOID;
#define FILE_DEVICE_X 0x8000
/** @in REQ */
#define IOCTL_X CTL_CODE(FILE_DEVICE_X, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)
#pragma pack(push, 1)
typedef struct _REQ { char c; ULONG a; PVOID p; } REQ;
#pragma pack(pop)
`;

function findings(text: string) {
  const session = createSession(memoryHost({ '/ws/a.h': text }));
  return runChecks([analyzeFile(session, '/ws/a.h', { abis: ['x86', 'x64', 'arm32', 'arm64'] })]);
}

describe('findings: identity', () => {
  it('the same facts seen through x64/x86 and arm64/arm32 have one detail; other numbers another', () => {
    const args = { type: 'REQ', narrowAbi: 'x86', wideAbi: 'x64', narrowSize: 9, wideSize: 13, cause: 'p (PVOID) is 4 bytes on x86 and 8 on x64' };
    const arm = { ...args, narrowAbi: 'arm32', wideAbi: 'arm64', cause: 'p (PVOID) is 4 bytes on arm32 and 8 on arm64' };
    assert.equal(findingDetail(args, { narrowAbi: 'x86', wideAbi: 'x64' }), findingDetail(arm, { narrowAbi: 'arm32', wideAbi: 'arm64' }));
    assert.notEqual(findingDetail(args, { narrowAbi: 'x86', wideAbi: 'x64' }), findingDetail({ ...arm, narrowSize: 12 }, { narrowAbi: 'arm32', wideAbi: 'arm64' }));
    // A name that only contains an ABI's name is not an ABI.
    assert.match(findingDetail({ type: 'REQ_x64' }, { narrowAbi: 'x86', wideAbi: 'x64' }), /REQ_x64/);
  });

  it('four ABIs give one finding per problem, and two members of one type two identities', () => {
    const all = findings(header);
    assert.deepEqual(all.map((f) => f.rule).sort(), ['misaligned-field', 'misaligned-field', 'unthunked-pointer']);
    const [a, p] = all.filter((f) => f.rule === 'misaligned-field');
    assert.equal(a.symbol, p.symbol);
    assert.notDeepEqual(findingIdentity(a), findingIdentity(p));
    assert.notEqual(fingerprint(a), fingerprint(p));
  });

  it('a fingerprint survives lines added above; the place in the identity moves with them', () => {
    const before = findings(header);
    const after = findings('// a comment\n\n' + header);
    assert.deepEqual(after.map((f) => fingerprint(f)), before.map((f) => fingerprint(f)));
    assert.deepEqual(after.map((f) => findingIdentity(f).line), before.map((f) => findingIdentity(f).line + 2));
    assert.match(fingerprint(before[0]), /^[0-9a-f]{16}$/);
  });

  it('a fingerprint is FNV-1a 64 of rule, symbol, file and detail, as baselines already written hold it', () => {
    // The reference: the algorithm over BigInt, as the first version computed it.
    const fnv = (text: string) => {
      let h = 0xcbf29ce484222325n;
      for (let i = 0; i < text.length; i++) h = ((h ^ BigInt(text.charCodeAt(i))) * 0x100000001b3n) & 0xffffffffffffffffn;
      return h.toString(16).padStart(16, '0');
    };
    for (const f of findings(header)) {
      for (const file of ['a.h', 'file:///w/ü%20x/a.h', '']) {
        assert.equal(fingerprint(f, file), fnv([f.rule, f.symbol, file, f.detail ?? findingDetail(f.args)].join('\0')));
      }
    }
    // Published FNV-1a 64 vectors: "" and "a".
    assert.equal(fnv(''), 'cbf29ce484222325');
    assert.equal(fnv('a'), 'af63dc4c8601ec8c');
  });

  it('SARIF carries the fingerprint, with the file as the report names it', () => {
    const all = findings(header);
    const log = buildSarif(all, { baseDir: '/ws', toolVersion: 'test' });
    const fps = log.runs[0].results!.map((r) => r.partialFingerprints!['ioctlLens/v2']);
    assert.deepEqual(fps, all.map((f) => fingerprint(f, 'a.h')));
    assert.equal(new Set(fps).size, all.length);
  });
});
