/**
 * The positions index (core/positions.ts): what is at an offset, and what a
 * name there refers to, from tokens and declarations rather than from the
 * text around the cursor.
 */

import * as assert from 'node:assert/strict';
import { analyzeFile, createSession } from '../server/src/core/analyze';
import { FilePositions, resolveName } from '../server/src/core/positions';
import { memoryHost } from '../server/src/core/source';

const path = '/ws/drv.c';

function setup(text: string) {
  const session = createSession(memoryHost({ [path]: text }));
  const analysis = analyzeFile(session, path, { abis: ['x64'] });
  const unit = analysis.units.get('x64')!.unit;
  const pos = FilePositions.of({ path, text }, session.lexCache);
  return { unit, pos };
}

/** The offset of the `nth` (0-based) occurrence of `needle`, plus `delta`. */
function at(text: string, needle: string, delta = 0, nth = 0): number {
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = text.indexOf(needle, i + 1);
    assert.ok(i >= 0, `'${needle}' not in the text`);
  }
  return i + delta;
}

/** For a text: the member (`_REQ.Count`) a name at `needle` + `delta` resolves to, if any. */
function memberTags(text: string): (needle: string, delta: number) => string | undefined {
  const s = setup(text);
  return (needle, delta) => {
    const m = resolveName(s.pos, s.unit, at(text, needle, delta));
    return m?.kind === 'member' ? `${m.record.tag}.${m.field.name}` : undefined;
  };
}

const driver = `typedef unsigned long ULONG;
typedef struct _INNER { ULONG Size; ULONG Flags; } INNER;
typedef struct _REQ { ULONG Count; INNER Header; INNER Items[4]; union { ULONG Raw; ULONG Cooked; }; } REQ, *PREQ;
typedef struct _OTHER { ULONG Count; } OTHER, *POTHER;
/* Count in a comment, "Count" in a string */
REQ Global;
#define Count 3
ULONG Handle(PREQ req, ULONG n)
{
    ULONG total = req->Count + Global.Header.Size;
    {
        POTHER req = 0;
        total += req->Count;
    }
    for (PREQ q = req; q; q = 0) total += q->Items[n].Flags + q->Raw;
    struct _REQ local;
    return total + local.Header.Flags + req->Count + Count;
}
`;

describe('positions: the token at an offset', () => {
  const { pos } = setup(driver);

  it('finds the identifier holding the offset or ending at it; nothing in comments or strings', () => {
    assert.equal(pos.nameAt(at(driver, 'Handle', 2))?.text, 'Handle');
    assert.equal(pos.nameAt(at(driver, 'Handle', 6))?.text, 'Handle');
    assert.equal(pos.nameAt(at(driver, 'Count in a comment', 1)), undefined);
    assert.equal(pos.nameAt(at(driver, '"Count"', 2)), undefined);
    assert.ok(pos.commentAt(at(driver, 'Count in a comment', 1)));
    assert.equal(pos.commentAt(at(driver, 'REQ Global')), undefined);
    assert.equal(pos.nameAt(at(driver, 'ULONG n')  - 1), undefined);
  });

  it('lists the identifier tokens of a name, leaving out member accesses, comments and strings', () => {
    // The two member declarations, `#define Count 3` and the last `+ Count`; never `req->Count`, the comment or the string.
    assert.deepEqual(
      pos.uses('Count').map((t) => t.offset),
      [at(driver, 'Count;'), at(driver, 'Count; } OTHER'), at(driver, 'Count 3'), at(driver, 'Count;\n}')],
    );
  });

  it('tells the call argument the cursor is in, within the statement or the directive', () => {
    const text = '#define IOCTL_A CTL_CODE(FILE_DEVICE_UNKNOWN, \\\n   0x800, METH\nint x = f(a, g(b, c), d';
    const p = FilePositions.of({ path: '/t.h', text });
    assert.deepEqual(p.callAround(at(text, 'METH', 4)), { callee: 'CTL_CODE', arg: 2 });
    assert.deepEqual(p.callAround(at(text, '0x800')), { callee: 'CTL_CODE', arg: 1 });
    assert.deepEqual(p.callAround(at(text, ', d', 2)), { callee: 'f', arg: 2 });
    assert.deepEqual(p.callAround(at(text, 'c)', 1)), { callee: 'g', arg: 1 });
    assert.equal(p.callAround(at(text, 'int')), undefined);
  });
});

describe('positions: what a name refers to', () => {
  const { unit, pos } = setup(driver);
  const meaning = (needle: string, delta: number, nth = 0) => resolveName(pos, unit, at(driver, needle, delta, nth));

  it('a member through a parameter, a global and a nested member', () => {
    const m = meaning('req->Count', 6);
    assert.equal(m?.kind, 'member');
    if (m?.kind === 'member') assert.equal(m.record.tag, '_REQ');
    const s = meaning('Global.Header.Size', 15);
    assert.equal(s?.kind === 'member' && s.record.tag, '_INNER');
  });

  it('an inner block\'s local hides the parameter, and is out of scope after its block', () => {
    const inner = meaning('req->Count;\n    }', 6);
    assert.equal(inner?.kind === 'member' && inner.record.tag, '_OTHER');
    const after = meaning('req->Count + Count', 6);
    assert.equal(after?.kind === 'member' && after.record.tag, '_REQ');
    const p = meaning('req, ULONG n', 0);
    assert.equal(p?.kind, 'parameter');
  });

  it('a local of a for statement, array elements, anonymous union members, a struct-tag local', () => {
    const flags = meaning('Flags + q->Raw', 0);
    assert.equal(flags?.kind === 'member' && flags.record.tag, '_INNER');
    const raw = meaning('q->Raw', 3);
    assert.equal(raw?.kind === 'member' && raw.record.tag, '_REQ');
    const local = meaning('local.Header.Flags', 13);
    assert.equal(local?.kind === 'member' && local.record.tag, '_INNER');
    const q = meaning('q->Items', 0);
    assert.equal(q?.kind, 'local');
    if (q?.kind === 'local') assert.equal(q.loc.offset, at(driver, 'q = req'));
  });

  it('a file-scope name stays one, and a member the base cannot be typed for resolves to nothing', () => {
    assert.deepEqual(meaning('Count;\n}', 0), { kind: 'file', name: 'Count' });
    // A member's declaration is the member, not the macro of the same name.
    const decl = meaning('Count; } OTHER', 0);
    assert.equal(decl?.kind === 'member' && decl.record.tag, '_OTHER');
    assert.deepEqual(meaning('Global.Header', 0), { kind: 'file', name: 'Global' });
    const text = 'int f(void) { return g()->x + unknown.y; }';
    const s = setup(text);
    assert.equal(resolveName(s.pos, s.unit, at(text, 'x +')), undefined);
    assert.equal(resolveName(s.pos, s.unit, at(text, 'y;')), undefined);
  });

  it('a member through a cast, a dereference or parentheses (the system-buffer idiom)', () => {
    const text = driver.replace('return total', 'PVOID buf = 0; PREQ *pp = 0; total += ((PREQ)buf)->Count + ((struct _OTHER *)buf)->Count + (*pp).Header.Size + (req)->Count;\n    return total');
    const s = setup(text);
    const tag = (needle: string, delta: number) => {
      const m = resolveName(s.pos, s.unit, at(text, needle, delta));
      return m?.kind === 'member' ? m.record.tag : undefined;
    };
    assert.equal(tag('((PREQ)buf)->Count', 13), '_REQ');
    assert.equal(tag('*)buf)->Count', 8), '_OTHER');
    assert.equal(tag('(*pp).Header', 6), '_REQ');
    assert.equal(tag('(*pp).Header.Size', 13), '_INNER');
    assert.equal(tag('(req)->Count', 7), '_REQ');
    // A call to a function the unit does not declare is not typed: nothing rather than a guess.
    const call = driver.replace('return total', 'return f(req)->Count');
    const c = setup(call);
    assert.equal(resolveName(c.pos, c.unit, at(call, 'f(req)->Count', 8)), undefined);
  });

  it("a member through a call's result: the function's declared return type, or a function pointer's", () => {
    const text = driver
      .replace(
        'ULONG Handle(',
        [
          // KMDF's context accessor, as WDF_DECLARE_CONTEXT_TYPE_WITH_NAME declares it.
          'typedef struct _DEVICE_CONTEXT { PREQ Pending; ULONG Queued; } DEVICE_CONTEXT, *PDEVICE_CONTEXT;',
          '__forceinline PDEVICE_CONTEXT GetDeviceContext(void *Handle) { return (PDEVICE_CONTEXT)Handle; }',
          'struct _OTHER *Lookup(ULONG key);',
          'typedef struct _OPS { POTHER (*Find)(ULONG key); } OPS;',
          'OPS Ops;',
          'ULONG Handle(',
        ].join('\n'),
      )
      .replace(
        'return total',
        'total += GetDeviceContext(req)->Pending->Header.Size + GetDeviceContext(req)->Queued + Lookup(n)->Count + Ops.Find(n)->Count;\n    return total',
      )
      .concat('ULONG Visit(REQ *(*Lookup)(void)) { return Lookup()->Raw; }\n');
    const tag = memberTags(text);
    assert.equal(tag('GetDeviceContext(req)->Pending', 23), '_DEVICE_CONTEXT.Pending');
    assert.equal(tag('GetDeviceContext(req)->Pending->Header', 32), '_REQ.Header');
    assert.equal(tag('GetDeviceContext(req)->Pending->Header.Size', 39), '_INNER.Size');
    assert.equal(tag('GetDeviceContext(req)->Queued', 23), '_DEVICE_CONTEXT.Queued');
    assert.equal(tag('Lookup(n)->Count', 11), '_OTHER.Count');
    // A pointer to a function held in a member.
    assert.equal(tag('Ops.Find(n)->Count', 13), '_OTHER.Count');
    // A function-pointer parameter hides the file-scope Lookup, as in C: REQ's member, not OTHER's.
    assert.equal(tag('Lookup()->Raw', 10), '_REQ.Raw');
  });

  it('a member through a parenthesised callee: `(f)(x)->m`, `(*pfn)(x)->m`, `(*Ops.Find)(x)->m`', () => {
    const text = driver
      .replace(
        'ULONG Handle(',
        [
          'typedef struct _DEVICE_CONTEXT { PREQ Pending; ULONG Queued; } DEVICE_CONTEXT, *PDEVICE_CONTEXT;',
          'PDEVICE_CONTEXT GetDeviceContext(void *Handle);',
          'typedef struct _OPS { POTHER (*Find)(ULONG key); } OPS;',
          'OPS Ops;',
          'ULONG Handle(',
        ].join('\n'),
      )
      .replace('ULONG Handle(PREQ req, ULONG n)', 'ULONG Handle(PREQ req, ULONG n, PREQ (*pfn)(ULONG))')
      .replace(
        'return total',
        'total += (GetDeviceContext)(req)->Queued + (*pfn)(n)->Raw + (*Ops.Find)(n)->Count + (pfn)(n)->Header.Size + (*req).Header.Size;\n    return total',
      );
    const tag = memberTags(text);
    assert.equal(tag('(GetDeviceContext)(req)->Queued', 25), '_DEVICE_CONTEXT.Queued');
    assert.equal(tag('(*pfn)(n)->Raw', 11), '_REQ.Raw');
    assert.equal(tag('(*Ops.Find)(n)->Count', 16), '_OTHER.Count');
    assert.equal(tag('(pfn)(n)->Header.Size', 17), '_INNER.Size');
    // A cast before parentheses is no call: `(PREQ)(x)->Count` casts `(x)->Count`, so the member is x's.
    const cast = driver.replace('return total', 'POTHER o = 0; total += (PREQ)(o)->Count;\n    return total');
    const c = setup(cast);
    const m = resolveName(c.pos, c.unit, at(cast, '(o)->Count', 5));
    assert.equal(m?.kind === 'member' && m.record.tag, '_OTHER');
  });

  it('a function pointer declared as a local hides a file-scope function of its name and types its calls', () => {
    const text = driver
      .replace(
        'ULONG Handle(',
        [
          'struct _OTHER *Lookup(ULONG key);',
          'struct _OTHER *Get(ULONG key);',
          'typedef PREQ (*PFN_GET)(ULONG key);',
          'typedef PREQ (__stdcall *PFN_STD)(ULONG key);',
          'ULONG Handle(',
        ].join('\n'),
      )
      .replace(
        'return total',
        [
          '{',
          '        PREQ (*Lookup)(ULONG) = 0, (*table[2])(ULONG);',
          '        PFN_GET Get = 0;',
          '        PREQ (__stdcall *std)(ULONG) = 0;',
          '        total += Lookup(n)->Raw + Get(n)->Raw + (*Lookup)(n)->Raw + table[0](n)->Raw + std(n)->Raw;',
          '    }',
          '    total += Lookup(n)->Count + Get(n)->Count;',
          '    return total',
        ].join('\n'),
      );
    const tag = memberTags(text);
    // Inside the block the locals answer: REQ's members, not OTHER's.
    assert.equal(tag('Lookup(n)->Raw', 11), '_REQ.Raw');
    assert.equal(tag('Get(n)->Raw', 8), '_REQ.Raw');
    assert.equal(tag('(*Lookup)(n)->Raw', 14), '_REQ.Raw');
    assert.equal(tag('table[0](n)->Raw', 13), '_REQ.Raw');
    assert.equal(tag('std(n)->Raw', 8), '_REQ.Raw');
    // After the block, the file-scope functions again.
    assert.equal(tag('Lookup(n)->Count', 11), '_OTHER.Count');
    assert.equal(tag('Get(n)->Count', 8), '_OTHER.Count');
    // The local itself: a local, declared where its declarator names it.
    const s = setup(text);
    const local = resolveName(s.pos, s.unit, at(text, 'Lookup(n)->Raw'));
    assert.equal(local?.kind, 'local');
    if (local?.kind === 'local') assert.equal(local.loc.offset, at(text, 'Lookup)(ULONG) = 0'));
    const tbl = resolveName(s.pos, s.unit, at(text, 'table[0]'));
    assert.equal(tbl?.kind === 'local' && tbl.loc.offset, at(text, 'table[2]'));
  });

  it("a parameter named in its function's declaration: SAL annotations and a prototype's parameter list", () => {
    const text = [
      'typedef unsigned long ULONG;',
      'typedef struct _LOCK { ULONG Owner; } LOCK;',
      'typedef struct _SOCKET { LOCK StateLock; ULONG Flags; } SOCKET, *PSOCKET;',
      'typedef struct _OTHER { LOCK StateLock; } OTHER, *POTHER;',
      '#define _Requires_lock_held_(lock)',
      '#define _In_reads_bytes_(n)',
      '#define VIOSockStateGet(pSocket) ((pSocket)->Flags)',
      'POTHER pSocket;',
      '_Requires_lock_held_(pSocket->StateLock) ULONG SetState(PSOCKET pSocket, ULONG State);',
      'ULONG Copy(_In_reads_bytes_(Length) void *Buffer, ULONG Length);',
      '_Requires_lock_held_(pSocket->StateLock.Owner) ULONG Run(PSOCKET pSocket) { return pSocket->Flags; }',
      'ULONG Other = sizeof(pSocket->StateLock);',
      'struct _OPS { ULONG (*Fn)(PSOCKET pSocket); };',
      '#define _When_(c, a)',
      '#define _Acquires_lock_(l)',
      '_When_(Exclusive, _Acquires_lock_(return->StateLock)) PSOCKET Find(ULONG Exclusive);',
      '',
    ].join('\n');
    const s = setup(text);
    const meaning = (needle: string, delta = 0, nth = 0) => resolveName(s.pos, s.unit, at(text, needle, delta, nth));
    // In the annotation before a prototype, the prototype's parameter: SOCKET's member, not the global's OTHER.
    const m = meaning('pSocket->StateLock) ULONG SetState', 9);
    assert.equal(m?.kind === 'member' && m.record.tag, '_SOCKET');
    const p = meaning('pSocket->StateLock) ULONG SetState');
    assert.equal(p?.kind === 'parameter' && p.loc.offset, at(text, 'pSocket, ULONG State'));
    // A prototype's own parameter names one, not the global of the same name.
    assert.equal(meaning('pSocket, ULONG State')?.kind, 'parameter');
    // An annotation naming a later parameter.
    const len = meaning('Length) void');
    assert.equal(len?.kind === 'parameter' && len.loc.offset, at(text, 'Length);'));
    // Before a definition, and through a nested member.
    const owner = meaning('Owner) ULONG Run', 0);
    assert.equal(owner?.kind === 'member' && owner.record.tag, '_LOCK');
    // Elsewhere at file scope, in a record and in a macro definition, the name stays the global (or nothing).
    const other = meaning('StateLock);\nstruct', 0);
    assert.equal(other?.kind === 'member' && other.record.tag, '_OTHER');
    assert.equal(meaning('pSocket); };')?.kind, 'file');
    assert.equal(meaning('(pSocket)->Flags', 1)?.kind, 'file');
    // SAL's `return`: the value the function returns.
    const ret = meaning('return->StateLock', 8);
    assert.equal(ret?.kind === 'member' && ret.record.tag, '_SOCKET');
    assert.equal(meaning('Exclusive, _Acq')?.kind, 'parameter');
  });

  it('half-typed code resolves what it can and never throws', () => {
    const text = driver.replace('return total', 'PREQ r = req; r->Items[n.').slice(0, -3);
    const s = setup(text);
    const m = resolveName(s.pos, s.unit, at(text, 'r->Items', 4));
    assert.equal(m?.kind === 'member' && m.record.tag, '_REQ');
    for (let o = 0; o <= text.length; o += 7) resolveName(s.pos, s.unit, o);
  });
});
