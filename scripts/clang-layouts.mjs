#!/usr/bin/env node
/**
 * clang's own Microsoft-ABI record layouts, as data: the oracle for the
 * differential tests. Owns running clang, parsing its `-fdump-record-layouts`
 * and `-ast-dump` text, and deciding which records are comparable.
 *
 * How one translation unit is processed (`clangLayouts`):
 *
 *  1. `clang -E` preprocesses the input once. Every later step reads the
 *     preprocessed text, so a record written inside a macro has the same
 *     location in every dump (clang prints the *expansion* location in layout
 *     dumps but the *spelling* location in AST dumps; after -E they coincide).
 *     Presumed locations (from line markers) still name the original header
 *     and line. `assertSameAsDirect` checks that compiling the preprocessed
 *     text lays out every record exactly as compiling the original does.
 *  2. `-Xclang -fdump-record-layouts -Xclang -fdump-record-layouts-complete`
 *     prints every complete record (parseLayoutDump).
 *  3. `-Xclang -ast-dump` gives what the layout dump lacks: where each named
 *     record is defined, which typedef names an anonymous one, which records
 *     clang marked invalid and which records each record holds by value
 *     (parseAstDump).
 *  4. stderr gives the errors (parseDiagnostics).
 *
 * Which records are kept, and why the others are not (see `exclusionReasons`):
 *  - a record is named by its tag, or by the typedef that names an anonymous
 *    tag (`typedef struct {...} *PX, X;` is named X, as clang names it);
 *    records with neither (anonymous members, `struct {...} var;`) have no
 *    identity to match and are only checked as part of their parent;
 *  - `invalid`: clang marked the record invalid (it still dumps a layout,
 *    with `int` standing in for unknown member types);
 *  - `error-in-record`: an error diagnostic sits inside the record's source
 *    lines (the record's text is not what clang laid out);
 *  - `invalid-typedef`: a member's type names a typedef clang marked invalid
 *    (clang silently used `int` for it);
 *  - `function-local`: defined inside a function body (ioctl-lens lists
 *    file-scope records only);
 *  - `clang-resource-header`: defined in, or using a type from, clang's own
 *    resource headers (intrinsics), which ioctl-lens cannot see, or in a
 *    header first included by one of them (x64: mm_malloc.h pulls in
 *    mingw's stdlib.h and malloc.h; see filesReachedThrough);
 *  - `ambiguous`: two definitions share a name and cannot be told apart;
 *  - `contains-excluded`: holds an excluded record by value (its layout
 *    inherits the unreliable one).
 *
 * CLI: node scripts/clang-layouts.mjs --abi x64 [-I dir] [--include f]
 *        [-D NAME[=V]] [--header windows.h] FILE...   (prints the JSON result)
 */

import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const triples = {
  x86: 'i686-pc-windows-msvc',
  x64: 'x86_64-pc-windows-msvc',
  arm64: 'aarch64-pc-windows-msvc',
  arm32: 'thumbv7-pc-windows-msvc',
};

const maxBuffer = 1 << 30;

/** First line of `clang --version`, or null when clang is not on PATH. */
export function clangVersion(clang = 'clang') {
  try {
    return execFileSync(clang, ['--version'], { encoding: 'utf8' }).split('\n')[0].trim();
  } catch {
    return null;
  }
}

/** clang's resource directory (holds its intrinsic headers). */
export function clangResourceDir(clang = 'clang') {
  return execFileSync(clang, ['-print-resource-dir'], { encoding: 'utf8' }).trim();
}

// ---------------------------------------------------------------------------
// Layout dump
// ---------------------------------------------------------------------------

/**
 * Parses a record name as clang 14 prints it in a layout dump:
 * `struct _A`, `union _A::(unnamed at a.h:1:54)`, `struct (unnamed at a.h:2:9)`,
 * `struct _A::(anonymous at a.h:1:36)`, `struct (unnamed struct at x.h:3:4)`.
 * Returns `{kind, tag}` for a tag, `{kind, loc}` for an unnamed record.
 */
export function parseRecordName(text) {
  const m = /^(struct|union|class|enum) (.*)$/.exec(text.trim());
  if (!m) return null;
  const kind = m[1] === 'class' ? 'struct' : m[1];
  const rest = m[2];
  const u = /\((?:unnamed|anonymous)(?: struct| union| class)? at (.+):(\d+):(\d+)\)$/.exec(rest);
  if (u) return { kind, loc: { file: u[1], line: Number(u[2]), col: Number(u[3]) } };
  const parts = rest.split('::');
  return { kind, tag: parts[parts.length - 1] };
}

/**
 * A C++ layout dump's record header: the kind and the whole qualified name
 * (`contoso::Buf<struct contoso::H, 1>`), ` (empty)` dropped. A record named
 * only by a typedef prints bare (`ns::Anon`): its kind is then null (the AST
 * knows it).
 */
export function parseCxxRecordHeader(text) {
  const trimmed = text.trim().replace(/ \(empty\)$/, '');
  const rec = parseRecordName(trimmed);
  if (rec?.loc) return rec;
  const m = /^(?:(struct|union|class|enum) )?(.+)$/.exec(trimmed);
  return { kind: m[1] === undefined ? null : m[1] === 'class' ? 'struct' : m[1], tag: m[2].split('::').pop(), qualified: m[2] };
}

/**
 * Parses one offset column: `8`, `16:3-7` (byte:first-last bit within that
 * byte's bit numbering, i.e. the bit offset is byte*8+first) or `24:-`
 * (zero-width bit-field).
 */
export function parseOffset(text) {
  const m = /^(\d+)(?::(?:(\d+)-(\d+)|-))?$/.exec(text.trim());
  if (!m) return null;
  const out = { offset: Number(m[1]) };
  if (text.includes(':')) {
    if (m[2] === undefined) {
      out.bitOffset = 0;
      out.bitWidth = 0;
    } else {
      out.bitOffset = Number(m[2]);
      out.bitWidth = Number(m[3]) - Number(m[2]) + 1;
    }
  }
  return out;
}

/**
 * Parses the text of `-fdump-record-layouts` into records:
 * `{kind, tag?|loc?, size, align, extra: {dsize,...}, fields}`. Each field is
 * `{name, type, offset, bitOffset?, bitWidth?, fields?}`; `name` is null for
 * unnamed bit-fields and anonymous members; `fields` is present only for
 * anonymous struct/union members (clang also expands members of named record
 * type inline, but those are the member type's own layout and are dropped).
 * Offsets are from the start of the outermost record, as clang prints them.
 * With `{cxx: true}` (a clang++ dump) records also get `qualified` (the
 * whole name), `bases` ([{name, offset}]), `vfptr` and `virtualBases`, and a
 * member of an empty class type loses clang++'s ` (empty)` mark.
 */
export function parseLayoutDump(text, options = {}) {
  const records = [];
  const blocks = text.split('*** Dumping AST Record Layout');
  for (const block of blocks.slice(1)) {
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    const rows = [];
    let trailer = '';
    let inTrailer = false;
    for (const line of lines) {
      const bar = line.indexOf('|');
      if (bar < 0) {
        if (inTrailer) trailer += ' ' + line.trim();
        continue;
      }
      const left = line.slice(0, bar).trim();
      const right = line.slice(bar + 1);
      if (left === '' && (right.trim().startsWith('[') || inTrailer)) {
        trailer += ' ' + right.trim();
        inTrailer = !right.includes(']');
        continue;
      }
      if (inTrailer) {
        trailer += ' ' + line.trim();
        inTrailer = !line.includes(']');
        continue;
      }
      const indent = right.length - right.trimStart().length;
      rows.push({ left, indent, text: right.slice(indent) });
    }
    if (rows.length === 0) continue;
    const head = options.cxx ? parseCxxRecordHeader(rows[0].text) : parseRecordName(rows[0].text);
    if (!head) throw new Error(`clang-layouts: cannot parse record header: ${rows[0].text}`);
    const values = {};
    for (const m of trailer.matchAll(/(\w+)=(\d+)/g)) values[m[1]] = Number(m[2]);
    if (values.sizeof === undefined || values.align === undefined) {
      throw new Error(`clang-layouts: record without [sizeof, align]: ${rows[0].text}`);
    }
    const { sizeof, align, ...extra } = values;
    const cxx = options.cxx ? { bases: [], vfptr: undefined, virtualBases: false } : undefined;
    const fields = parseFieldRows(rows, 1, rows[0].indent + 2, cxx).fields;
    const record = { ...head, size: sizeof, align, extra, fields };
    // C++ (clang++): base subobjects, the class's own vftable pointer, and whether virtual bases were involved.
    if (cxx?.bases.length) record.bases = cxx.bases;
    if (cxx?.vfptr !== undefined) record.vfptr = cxx.vfptr;
    if (cxx?.virtualBases) record.virtualBases = true;
    records.push(record);
  }
  return records;
}

function parseFieldRows(rows, start, indent, cxx) {
  const fields = [];
  let i = start;
  while (i < rows.length && rows[i].indent >= indent) {
    const row = rows[i];
    if (row.indent > indent) {
      i++;
      continue;
    }
    const off = parseOffset(row.left);
    if (!off) throw new Error(`clang-layouts: cannot parse offset '${row.left}'`);
    // C++ rows that are not members: bases (their own rows follow, deeper), the vftable and vbtable pointers.
    const base = /^(?:struct|class|union) (.+?) \((primary base|base|virtual base)\)(?: \(empty\))?$/.exec(row.text);
    if (base && cxx) {
      if (base[2] === 'virtual base') cxx.virtualBases = true;
      else cxx.bases.push({ name: base[1], offset: off.offset });
      i++;
      while (i < rows.length && rows[i].indent > indent) i++;
      continue;
    }
    if (/^\(.* vftable pointer\)$/.test(row.text) && cxx) {
      cxx.vfptr = off.offset;
      i++;
      continue;
    }
    if ((/^\(.* vbtable pointer\)$/.test(row.text) || /^\(vtordisp for vbase .*\)$/.test(row.text)) && cxx) {
      cxx.virtualBases = true;
      i++;
      continue;
    }
    // The member name is the last word; clang prints `type name`, and just
    // `type ` (trailing space) for unnamed bit-fields and anonymous members;
    // clang++ adds ` (empty)` after a member of an empty class type.
    const text = cxx ? row.text.replace(/ \(empty\)$/, '') : row.text;
    const sp = text.lastIndexOf(' ');
    const name = sp < 0 ? text : text.slice(sp + 1);
    const type = sp < 0 ? '' : text.slice(0, sp);
    const field = { name: name === '' ? null : name, type: type.trim(), ...off };
    const hasChildren = i + 1 < rows.length && rows[i + 1].indent > indent;
    if (hasChildren && field.name === null && field.bitWidth === undefined) {
      const nested = parseFieldRows(rows, i + 1, indent + 2, cxx && { bases: [], vfptr: undefined, virtualBases: false });
      field.fields = nested.fields;
      i = nested.next;
    } else {
      i++;
      while (i < rows.length && rows[i].indent > indent) i++;
    }
    fields.push(field);
  }
  return { fields, next: i };
}

// ---------------------------------------------------------------------------
// AST dump
// ---------------------------------------------------------------------------

const locToken = /^(<invalid sloc>|<scratch space>:\d+:\d+|<built-in>:\d+:\d+|line:\d+:\d+|col:\d+|[^\s<>,]+:\d+:\d+)/;

/**
 * Tracks the location elision of clang's text AST dump: a location prints as
 * `file:line:col`, `line:L:C` or `col:C` depending on what changed since the
 * previously printed location, so every location must be read in order.
 */
class LocationReader {
  constructor() {
    this.file = null;
    this.line = 0;
  }
  /** Reads one location token at the start of `s`; returns {loc, length} or null. */
  read(s) {
    const m = locToken.exec(s);
    if (!m) return null;
    const t = m[1];
    let loc = null;
    if (t === '<invalid sloc>') loc = null;
    else if (t.startsWith('col:')) loc = { file: this.file, line: this.line, col: Number(t.slice(4)) };
    else if (t.startsWith('line:')) {
      const [, l, c] = t.split(':');
      this.line = Number(l);
      loc = { file: this.file, line: this.line, col: Number(c) };
    } else {
      const mm = /^(.*):(\d+):(\d+)$/.exec(t);
      this.file = mm[1];
      this.line = Number(mm[2]);
      loc = { file: this.file, line: this.line, col: Number(mm[3]) };
    }
    return { loc, length: t.length };
  }
}

/** The quoted types at the end of a Decl line: `'sugared':'canonical'` or `'type'`. */
function quotedTypes(s) {
  const m = /'([^']*)'(?::'([^']*)')?\s*$/.exec(s);
  if (!m) return null;
  return { sugared: m[1], canonical: m[2] ?? m[1] };
}

/**
 * Parses clang 14's text `-ast-dump` into what the layout dump lacks:
 * `records` (every RecordDecl definition: addr, kind, tag, loc, range,
 * invalid, local, fields [{name, sugared, canonical}], parent addr),
 * `typedefs` (name, loc, invalid, the record it names directly if any,
 * sugared type) and `invalidTypedefs`.
 */
export function parseAstDump(text) {
  const reader = new LocationReader();
  const records = [];
  const typedefs = [];
  const stack = []; // [{depth, kind, record?}]
  let pendingTypedef = null; // {typedef, depth, chain: true}
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.slice(pos, end);
    pos = end + 1;
    const m = /^([ |`-]*)([A-Za-z<].*)$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 2;
    const body = m[2];
    const km = /^(\w+)(?: 0x[0-9a-f]+)?/.exec(body);
    if (!km) continue;
    const kind = km[1];
    while (stack.length && stack[stack.length - 1].depth >= depth) stack.pop();

    // Read the locations this line prints, in order, to keep the elision state right.
    let rest = body.slice(km[0].length);
    const addr = /^\w+ (0x[0-9a-f]+)/.exec(body)?.[1];
    rest = rest.replace(/^( (?:parent|prev) 0x[0-9a-f]+)+/, '');
    let range = null;
    if (rest.startsWith(' <')) {
      let s = rest.slice(2);
      const begin = reader.read(s);
      if (begin) {
        s = s.slice(begin.length);
        let endLoc = begin.loc;
        if (s.startsWith(', ')) {
          const e = reader.read(s.slice(2));
          if (e) {
            endLoc = e.loc;
            s = s.slice(2 + e.length);
          }
        }
        range = { begin: begin.loc, end: endLoc };
        rest = s.startsWith('>') ? s.slice(1) : s;
      }
    }
    let loc = null;
    if (kind.endsWith('Decl') && rest.startsWith(' ')) {
      const r = reader.read(rest.slice(1));
      if (r) {
        loc = r.loc;
        rest = rest.slice(1 + r.length);
      }
    }

    // A typedef's direct type chain: ElaboratedType/RecordType ... Record 0x...
    if (pendingTypedef) {
      if (depth <= pendingTypedef.depth) pendingTypedef = null;
      else if (kind === 'ElaboratedType' || kind === 'RecordType') {
        /* keep following the chain */
      } else if (kind === 'Record' && addr) {
        pendingTypedef.typedef.recordAddr = addr;
        pendingTypedef = null;
      } else pendingTypedef = null;
    }

    const frame = { depth, kind };
    if (kind === 'RecordDecl' || kind === 'CXXRecordDecl') {
      const words = rest.trim().split(/\s+/);
      const ki = words.findIndex((w) => w === 'struct' || w === 'union' || w === 'class');
      const definition = words.includes('definition');
      if (ki >= 0 && definition) {
        const tag = words[ki + 1] && words[ki + 1] !== 'definition' ? words[ki + 1] : null;
        const parentRecord = [...stack].reverse().find((f) => f.record)?.record ?? null;
        const record = {
          addr,
          kind: words[ki] === 'class' ? 'struct' : words[ki],
          tag,
          loc,
          range,
          invalid: words.slice(0, ki).includes('invalid'),
          implicit: words.slice(0, ki).includes('implicit'),
          local: stack.some((f) => /^(Function|CXXMethod|ObjCMethod|Block|Captured)Decl$/.test(f.kind) || f.kind.endsWith('Stmt')),
          parent: parentRecord ? parentRecord.addr : null,
          fields: [],
        };
        records.push(record);
        frame.record = record;
      }
    } else if (kind === 'FieldDecl') {
      const owner = stack.length && stack[stack.length - 1].record;
      if (owner) {
        const types = quotedTypes(rest) ?? { sugared: '', canonical: '' };
        const words = rest.trim().split(/\s+/);
        const invalid = words.includes('invalid');
        const nameWord = words.find((w) => !/^(invalid|implicit|referenced|used|mutable|hidden)$/.test(w) && !w.startsWith("'"));
        owner.fields.push({ name: nameWord ?? null, invalid, ...types });
      }
    } else if (kind === 'TypedefDecl') {
      const types = quotedTypes(rest) ?? { sugared: '', canonical: '' };
      const words = rest.trim().split(/\s+/);
      const invalid = words.includes('invalid');
      const name = words.find((w) => !/^(invalid|implicit|referenced|used|hidden)$/.test(w) && !w.startsWith("'"));
      const local = stack.some((f) => /^(Function|CXXMethod|Block)Decl$/.test(f.kind) || f.kind.endsWith('Stmt'));
      const typedef = { name, loc, invalid, local, ...types, recordAddr: null };
      typedefs.push(typedef);
      pendingTypedef = { typedef, depth };
    }
    stack.push(frame);
  }
  return { records, typedefs };
}

// ---------------------------------------------------------------------------
// Diagnostics
// ---------------------------------------------------------------------------

/** Errors (and fatal errors) from clang's stderr: [{file, line, col, message}]. */
export function parseDiagnostics(stderr) {
  const out = [];
  for (const line of stderr.split('\n')) {
    const m = /^(.*?):(\d+):(\d+): (?:fatal )?error: (.*)$/.exec(line);
    if (m) out.push({ file: m[1], line: Number(m[2]), col: Number(m[3]), message: m[4] });
    else {
      const g = /^(?:fatal )?error: (.*)$/.exec(line);
      if (g) out.push({ file: null, line: 0, col: 0, message: g[1] });
    }
  }
  return out;
}

/**
 * Files whose first inclusion happened inside one of clang's resource headers
 * (e.g. mingw's stdlib.h, pulled in by clang's mm_malloc.h from the x64
 * intrinsics): file -> that resource header. Read from the line markers of
 * `clang -E` output (`# line "file" 1` enters a file, `2` returns to one).
 */
export function filesReachedThrough(preprocessed, isResourceFile) {
  const reached = new Map();
  const seen = new Set();
  const stack = [];
  for (const m of preprocessed.matchAll(/^# \d+ "((?:[^"\\]|\\.)*)"((?: \d)*)$/gm)) {
    const file = m[1].replace(/\\(.)/g, '$1');
    const flags = m[2].trim().split(' ');
    if (flags.includes('1')) {
      const via = stack.findLast((f) => isResourceFile(f));
      if (!seen.has(file)) {
        seen.add(file);
        if (via && !isResourceFile(file)) reached.set(file, via);
      }
      stack.push(file);
    } else if (flags.includes('2')) {
      while (stack.length && stack[stack.length - 1] !== file) stack.pop();
    } else if (stack.length === 0) {
      stack.push(file);
      seen.add(file);
    }
  }
  return reached;
}

// ---------------------------------------------------------------------------
// Joining the dumps
// ---------------------------------------------------------------------------

const locKey = (loc) => (loc ? `${loc.file}:${loc.line}:${loc.col}` : '');

/**
 * The tag or record location a canonical member type holds by value, or null
 * (pointers, scalars). `struct _A [3][2]` -> {tag: '_A'}; `B` (the typedef
 * clang uses as an anonymous record's name) -> {bare: 'B'}.
 */
export function byValueRecordRef(canonical) {
  if (canonical.includes('*') || canonical.includes('(*)') || canonical.includes('(^)')) return null;
  let t = canonical.replace(/(\s*\[\d*\])+$/, '').replace(/\b(const|volatile|restrict|__unaligned)\s+/g, '').trim();
  const rec = parseRecordName(t);
  if (rec) return rec.kind === 'enum' ? null : rec;
  if (/^[A-Za-z_]\w*$/.test(t)) return { bare: t };
  return null;
}

/**
 * Joins layout records with AST facts. Returns
 * `{records: [{name, kind, file, line, size, align, fields, ast}], excluded:
 * [{name, kind, file, line, reason, detail?}], unnamed: n}`; `file` is the
 * presumed file as clang printed it (callers shorten it).
 */
export function joinLayouts({ layouts, ast, errors, isResourceFile, reachedThrough = new Map() }) {
  // Name each AST record: its tag, else the first typedef naming it directly.
  const byAddr = new Map(ast.records.map((r) => [r.addr, r]));
  for (const td of ast.typedefs) {
    const r = td.recordAddr && byAddr.get(td.recordAddr);
    if (r && !r.tag && !r.typedefName) r.typedefName = td.name;
  }
  const byLoc = new Map();
  const byTag = new Map();
  const byTypedefName = new Map();
  for (const r of ast.records) {
    byLoc.set(locKey(r.loc), r);
    if (r.tag) byTag.set(r.tag, [...(byTag.get(r.tag) ?? []), r]);
    if (r.typedefName) byTypedefName.set(r.typedefName, r);
  }
  const invalidTypedefs = new Set(ast.typedefs.filter((t) => t.invalid).map((t) => t.name));
  const resourceTypedefs = new Set(ast.typedefs.filter((t) => t.loc && isResourceFile(t.loc.file)).map((t) => t.name));

  const fieldNames = (fields) => fields.map((f) => f.name ?? '').join(',');
  const astFieldNames = (r) => r.fields.map((f) => (f.name && !f.sugared.includes('anonymous at') ? f.name : '')).join(',');

  // Why records are not comparable: direct reasons first.
  const reasons = new Map(); // AST record -> {reason, detail?}
  const errorsByFile = new Map();
  for (const e of errors) if (e.file) errorsByFile.set(e.file, [...(errorsByFile.get(e.file) ?? []), e]);
  const direct = (r) => {
    if (r.invalid) return { reason: 'invalid' };
    if (r.local) return { reason: 'function-local' };
    if (reachedThrough.has(r.loc.file)) return { reason: 'clang-resource-header', detail: `file first included by ${reachedThrough.get(r.loc.file)}` };
    if (isResourceFile(r.loc.file)) return { reason: 'clang-resource-header' };
    const begin = r.range?.begin ?? r.loc;
    const end = r.range?.end ?? r.loc;
    if (begin && end && begin.file === end.file) {
      const e = (errorsByFile.get(begin.file) ?? []).find((d) => d.line >= begin.line && d.line <= end.line);
      if (e) return { reason: 'error-in-record', detail: `${e.line}: ${e.message}` };
    }
    for (const f of r.fields) {
      const words = f.sugared.match(/[A-Za-z_]\w*/g) ?? [];
      const bad = words.find((w) => invalidTypedefs.has(w));
      if (bad) return { reason: 'invalid-typedef', detail: `${f.name}: ${bad}` };
      const res = words.find((w) => resourceTypedefs.has(w));
      if (res) return { reason: 'clang-resource-header', detail: `${f.name}: ${res}` };
    }
    return null;
  };
  for (const r of ast.records) {
    const d = direct(r);
    if (d) reasons.set(r, d);
  }
  // Propagate through by-value members (anonymous member records included).
  const deps = (r) => {
    const out = [];
    for (const f of r.fields) {
      const ref = byValueRecordRef(f.canonical);
      if (!ref) continue;
      if (ref.loc) {
        const d = byLoc.get(locKey(ref.loc));
        if (d) out.push(d);
      } else if (ref.tag) {
        for (const d of byTag.get(ref.tag) ?? []) out.push(d);
      } else if (ref.bare) {
        const d = byTypedefName.get(ref.bare);
        if (d) out.push(d);
      }
    }
    return out;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of ast.records) {
      if (reasons.has(r)) continue;
      const bad = deps(r).find((d) => reasons.has(d) && reasons.get(d).reason !== 'function-local');
      if (bad) {
        reasons.set(r, { reason: 'contains-excluded', detail: bad.tag ?? bad.typedefName ?? locKey(bad.loc) });
        changed = true;
      }
    }
  }

  // Match each layout record to its AST definition.
  const matched = [];
  const excluded = [];
  let unnamed = 0;
  for (const lay of layouts) {
    let r = null;
    if (lay.loc) {
      r = byLoc.get(locKey(lay.loc)) ?? null;
    } else {
      const candidates = byTag.get(lay.tag) ?? [];
      if (candidates.length === 1) r = candidates[0];
      else if (candidates.length > 1) {
        const same = candidates.filter((c) => c.kind === lay.kind && astFieldNames(c) === fieldNames(lay.fields));
        if (same.length === 1) r = same[0];
        else if (candidates.every((c) => reasons.has(c))) r = candidates[0];
        else {
          excluded.push({ name: lay.tag, kind: lay.kind, file: null, line: 0, reason: 'ambiguous', detail: `${candidates.length} definitions` });
          continue;
        }
      }
    }
    if (!r) {
      if (lay.tag === '__NSConstantString_tag' || lay.tag === '_GUID') continue; // clang built-ins
      if (lay.loc) {
        unnamed++;
        continue;
      }
      throw new Error(`clang-layouts: no AST definition for ${lay.kind} ${lay.tag}`);
    }
    if (r.implicit || !r.loc) continue; // clang built-ins
    const name = r.tag ?? r.typedefName ?? null;
    if (!name) {
      unnamed++;
      continue;
    }
    matched.push({ lay, ast: r, name });
  }

  const records = [];
  for (const { lay, ast: r, name } of matched) {
    const why = reasons.get(r);
    const base = { name, kind: r.kind, file: r.loc.file, line: r.loc.line };
    if (why) {
      excluded.push({ ...base, ...why });
      continue;
    }
    records.push({ ...base, size: lay.size, align: lay.align, fields: lay.fields });
  }
  const seenExcluded = new Set();
  const uniqueExcluded = excluded.filter((e) => {
    const key = `${e.name}|${e.file}|${e.line}|${e.reason}`;
    if (seenExcluded.has(key)) return false;
    seenExcluded.add(key);
    return true;
  });
  return { records, excluded: uniqueExcluded, unnamed };
}

// ---------------------------------------------------------------------------
// Running clang
// ---------------------------------------------------------------------------

async function run(clang, args, options = {}) {
  try {
    const { stdout, stderr } = await execFileAsync(clang, args, { encoding: 'utf8', maxBuffer, ...options });
    return { code: 0, stdout, stderr };
  } catch (err) {
    if (typeof err.code === 'number') return { code: err.code, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
    throw err;
  }
}

const dumpFlags = ['-Xclang', '-fdump-record-layouts', '-Xclang', '-fdump-record-layouts-complete'];

/**
 * The wrapper translation unit for several inputs: quoted includes of `files`
 * (absolute paths), then angled includes of `headers` (found on the include
 * path). The differential test builds the same wrapper for ioctl-lens.
 */
export function wrapperText({ files = [], headers = [] }) {
  return [...files.map((f) => `#include "${f}"`), ...headers.map((h) => `#include <${h}>`)].map((l) => l + '\n').join('');
}

/** Layout dump text with unnamed-record locations blanked (columns differ after -E). */
const stripLocations = (text) => text.replace(/\((unnamed|anonymous)( struct| union)? at [^)]*\)/g, '(U)');

/**
 * Lays out one translation unit with clang. A single file is compiled as is;
 * several files, or any `headers`, go through a generated wrapper
 * (wrapperText). Paths in the result are made
 * relative by `shortenPath` (default: unchanged).
 *
 * options: {abi, files?, headers?, cwd?, includeDirs?, forcedIncludes?, defines?,
 * undefines?, clang?, shortenPath?, verifyDirect? (default true)}
 */
export async function clangLayouts(options) {
  const clang = options.clang ?? 'clang';
  const triple = triples[options.abi];
  if (!triple) throw new Error(`clang-layouts: unknown ABI ${options.abi}`);
  const cwd = options.cwd ?? process.cwd();
  const resourceDir = clangResourceDir(clang);
  const isResourceFile = (f) => !!f && (f.startsWith(resourceDir + '/') || f.startsWith('<'));
  const shortenPath = options.shortenPath ?? ((f) => f);

  const tmp = mkdtempSync(path.join(tmpdir(), 'clang-layouts-'));
  try {
    const files = options.files ?? [];
    const headers = options.headers ?? [];
    let input = files[0];
    if (files.length !== 1 || headers.length > 0) {
      input = path.join(tmp, 'tu.c');
      writeFileSync(input, wrapperText({ files: files.map((f) => path.resolve(cwd, f)), headers }));
    }
    const common = ['-target', triple, '-fms-extensions', '-ferror-limit=0'];
    const pp = [];
    for (const d of options.includeDirs ?? []) pp.push('-isystem', d);
    for (const f of options.forcedIncludes ?? []) pp.push('-include', f);
    for (const [k, v] of options.defines ?? []) pp.push(v === undefined ? `-D${k}` : `-D${k}=${v}`);
    for (const u of options.undefines ?? []) pp.push(`-U${u}`);

    const pre = path.join(tmp, 'tu.i');
    const e = await run(clang, [...common, ...pp, '-x', 'c', '-E', input, '-o', pre], { cwd });
    const ppErrors = parseDiagnostics(e.stderr);
    if (e.code !== 0 && /fatal error/.test(e.stderr)) {
      throw new Error(`clang-layouts: preprocessing failed (${options.abi}):\n${e.stderr.slice(0, 2000)}`);
    }
    const preArgs = [...common, '-x', 'cpp-output', '-fsyntax-only'];
    const [lay, astOut, direct] = await Promise.all([
      run(clang, [...preArgs, ...dumpFlags, pre], { cwd }),
      run(clang, [...preArgs, '-Xclang', '-ast-dump', pre], { cwd }),
      options.verifyDirect === false ? null : run(clang, [...common, ...pp, '-x', 'c', '-fsyntax-only', ...dumpFlags, input], { cwd }),
    ]);
    if (direct && stripLocations(direct.stdout) !== stripLocations(lay.stdout)) {
      throw new Error(`clang-layouts: layouts of the preprocessed text differ from the direct compile (${options.abi}, ${[...files, ...headers].join(' ')})`);
    }
    const errors = [...ppErrors, ...parseDiagnostics(lay.stderr)];
    // Files first reached through a clang resource header are invisible to
    // ioctl-lens (it has no copy of clang's intrinsics), so their records
    // count as resource-header records too.
    const reached = filesReachedThrough(readFileSync(pre, 'utf8'), (f) => f.startsWith(resourceDir + '/'));
    const joined = joinLayouts({
      layouts: parseLayoutDump(lay.stdout),
      ast: parseAstDump(astOut.stdout),
      errors,
      isResourceFile: (f) => isResourceFile(f) || reached.has(f),
      reachedThrough: reached,
    });
    const fix = (r) => ({
      ...r,
      file: r.file ? shortenPath(r.file) : r.file,
      ...(r.detail ? { detail: r.detail.replace(/\/[^\s:,]+/g, (p) => shortenPath(p)) } : {}),
    });
    return {
      abi: options.abi,
      triple,
      clang: clangVersion(clang),
      records: joined.records.map(fix),
      excluded: joined.excluded.map(fix),
      unnamed: joined.unnamed,
      errors: errors.map(fix),
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// C++ (clang++): one more pass, and names from the JSON AST
// ---------------------------------------------------------------------------

/**
 * Reads clang's JSON AST (`-Xclang -ast-dump=json`) for what the C++ layout
 * dump lacks: every class, its qualified name as clang prints it (inline
 * namespaces left out), where it is defined, whether it is dependent (inside
 * a template) or local, and the class templates (an instance's place is its
 * template's). Locations in the JSON dump elide the file and line when they
 * repeat, so every location object is read in document order.
 */
export function parseCxxAst(root) {
  const records = [];
  const templates = new Map();
  const typedefs = [];
  let file = null;
  let line = 0;
  const seeLoc = (o) => {
    if (o.file !== undefined) file = o.file;
    if (o.line !== undefined) line = o.line;
    return { file, line };
  };
  // Every location object, in key order: update the elision state and return this node's own `loc`.
  const readLocations = (value) => {
    if (Array.isArray(value)) {
      for (const v of value) readLocations(v);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    if (typeof value.offset === 'number' && (value.col !== undefined || value.tokLen !== undefined)) seeLoc(value);
    for (const [k, v] of Object.entries(value)) if (k !== 'inner') readLocations(v);
  };
  const walk = (node, scope, ctx) => {
    let own = null;
    if (node.loc) {
      readLocations({ loc: node.loc });
      own = { file, line };
      if (node.loc.spellingLoc || node.loc.expansionLoc) own = { file, line };
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'inner' && k !== 'loc') readLocations(v);
    let innerScope = scope;
    let innerCtx = ctx;
    switch (node.kind) {
      case 'NamespaceDecl': {
        const name = node.name ?? '(anonymous namespace)';
        innerScope = node.isInline && node.name ? scope : `${scope}${name}::`;
        break;
      }
      case 'ClassTemplateDecl':
        templates.set(`${scope}${node.name}`, own);
        innerCtx = { ...ctx, dependent: true };
        break;
      case 'ClassTemplateSpecializationDecl':
      case 'ClassTemplatePartialSpecializationDecl':
        innerCtx = { ...ctx, specialization: true };
        innerScope = `${scope}${node.name}<...>::`;
        break;
      case 'FunctionDecl':
      case 'CXXMethodDecl':
      case 'CXXConstructorDecl':
      case 'CXXDestructorDecl':
      case 'FunctionTemplateDecl':
        innerCtx = { ...ctx, local: true };
        break;
      case 'TypedefDecl':
      case 'TypeAliasDecl':
        if (!ctx.dependent && !ctx.local) typedefs.push({ qualified: `${scope}${node.name}`, type: node.type?.qualType ?? '', file: own?.file ?? null, line: own?.line ?? 0 });
        break;
      case 'CXXRecordDecl':
        if (node.isImplicit) break;
        if (node.completeDefinition) {
          const qualified = node.name ? `${scope}${node.name}` : null;
          records.push({ qualified, kind: node.tagUsed === 'union' ? 'union' : 'struct', file: own?.file ?? null, line: own?.line ?? 0, dependent: !!ctx.dependent, local: !!ctx.local, specialization: !!ctx.specialization });
        }
        if (node.name) innerScope = `${scope}${node.name}::`;
        break;
    }
    for (const child of node.inner ?? []) walk(child, innerScope, innerCtx);
  };
  walk(root, '', {});
  return { records, templates, typedefs };
}

/** `ns::Buf<unsigned long, 4>` -> `ns::Buf` (the template an instance's name comes from). */
export function templateOf(qualified) {
  const lt = qualified.indexOf('<');
  return lt < 0 ? null : qualified.slice(0, lt);
}

/**
 * clang++'s Microsoft-ABI layouts of C++ headers (`-x c++`), as
 * `clangLayouts` returns them for C, each record with its `bases`
 * ([{name, offset}]) and `vfptr` when it has them.
 *
 * clang 14 crashes on `-fdump-record-layouts-complete` once a class template
 * is defined, so layouts are forced instead: a first pass reads the JSON AST
 * for every complete, non-dependent, non-local class (and every typedef
 * that names a class), and a second compiles the headers again with a
 * `static_assert(sizeof(::Name) != 0, "")` for each, which makes clang lay
 * it out and dump it. Template instances appear when something uses them
 * (a member, or an explicit `sizeof` in the header); they are placed at
 * their template's definition. Classes with virtual bases are excluded
 * (`virtual-base`: ioctl-lens does not model them).
 */
export async function clangCxxLayouts(options) {
  const clang = options.clang ?? 'clang';
  const triple = triples[options.abi];
  if (!triple) throw new Error(`clang-layouts: unknown ABI ${options.abi}`);
  const cwd = options.cwd ?? process.cwd();
  const shortenPath = options.shortenPath ?? ((f) => f);
  const tmp = mkdtempSync(path.join(tmpdir(), 'clang-layouts-cxx-'));
  try {
    const files = (options.files ?? []).map((f) => path.resolve(cwd, f));
    const wrapper = wrapperText({ files, headers: options.headers ?? [] });
    const common = ['-target', triple, '-fms-extensions', '-ferror-limit=0', '-x', 'c++'];
    for (const d of options.includeDirs ?? []) common.push('-isystem', d);
    for (const f of options.forcedIncludes ?? []) common.push('-include', f);
    for (const [k, v] of options.defines ?? []) common.push(v === undefined ? `-D${k}` : `-D${k}=${v}`);
    const first = path.join(tmp, 'tu.cpp');
    writeFileSync(first, wrapper);
    const ast = await run(clang, [...common, '-fsyntax-only', '-Xclang', '-ast-dump=json', first], { cwd });
    const errors = parseDiagnostics(ast.stderr);
    if (!ast.stdout.trim()) throw new Error(`clang-layouts: no AST for ${files.join(' ')} (${options.abi}):\n${ast.stderr.slice(0, 2000)}`);
    const model = parseCxxAst(JSON.parse(ast.stdout));
    const names = new Set();
    for (const r of model.records) if (r.qualified && !r.dependent && !r.local && !r.specialization && !r.qualified.includes('(anonymous namespace)')) names.add(r.qualified);
    for (const t of model.typedefs) if (/^(struct|class|union) /.test(t.type) && !t.qualified.includes('(anonymous namespace)')) names.add(t.qualified);
    const force = [...names].map((n) => `static_assert(sizeof(::${n}) != 0, "");`).join('\n');
    const second = path.join(tmp, 'tu-layouts.cpp');
    writeFileSync(second, `${wrapper}${force}\n`);
    const dumped = await run(clang, [...common, '-fsyntax-only', '-Xclang', '-fdump-record-layouts', second], { cwd });
    errors.push(...parseDiagnostics(dumped.stderr).filter((e) => !e.file?.endsWith('tu-layouts.cpp')));
    const byName = new Map();
    for (const r of model.records) if (r.qualified) byName.set(r.qualified, r);
    const records = [];
    const excluded = [];
    let unnamed = 0;
    const seen = new Set();
    for (const lay of parseLayoutDump(dumped.stdout, { cxx: true })) {
      if (lay.loc) {
        unnamed++;
        continue;
      }
      const name = lay.qualified;
      if (name === '__NSConstantString_tag' || name === '_GUID' || seen.has(name)) continue;
      seen.add(name);
      const ast = byName.get(name);
      const where = ast ?? model.templates.get(templateOf(name) ?? '') ?? model.typedefs.find((t) => t.qualified === name) ?? null;
      const kind = lay.kind ?? ast?.kind ?? 'struct';
      const base = { name, kind, file: where?.file ? shortenPath(where.file) : null, line: where?.line ?? 0 };
      if (lay.virtualBases) {
        excluded.push({ ...base, reason: 'virtual-base' });
        continue;
      }
      const out = { ...base, size: lay.size, align: lay.align, fields: lay.fields };
      if (lay.bases) out.bases = lay.bases;
      if (lay.vfptr !== undefined) out.vfptr = lay.vfptr;
      records.push(out);
    }
    return {
      abi: options.abi,
      triple,
      clang: clangVersion(clang),
      records,
      excluded,
      unnamed,
      errors: errors.map((e) => ({ ...e, file: e.file ? shortenPath(e.file) : e.file })),
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------

function parseArgs(argv) {
  const o = { abi: 'x64', files: [], headers: [], includeDirs: [], forcedIncludes: [], defines: [], undefines: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === '--abi') o.abi = next();
    else if (a === '-I') o.includeDirs.push(next());
    else if (a.startsWith('-I')) o.includeDirs.push(a.slice(2));
    else if (a === '--header') o.headers.push(next());
    else if (a === '--include') o.forcedIncludes.push(next());
    else if (a === '-D') o.defines.push(splitDefine(next()));
    else if (a.startsWith('-D')) o.defines.push(splitDefine(a.slice(2)));
    else if (a.startsWith('-U')) o.undefines.push(a.slice(2));
    else o.files.push(a);
  }
  return o;
}

function splitDefine(s) {
  const eq = s.indexOf('=');
  return eq < 0 ? [s, undefined] : [s.slice(0, eq), s.slice(eq + 1)];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const o = parseArgs(process.argv.slice(2));
  if (o.files.length === 0 && o.headers.length === 0) {
    console.error('usage: node scripts/clang-layouts.mjs --abi x86|x64|arm64|arm32 [-I dir] [--include f] [-D N[=V]] [--header h.h] FILE...');
    process.exit(2);
  }
  clangLayouts(o).then(
    (r) => console.log(JSON.stringify(r, null, 1)),
    (err) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
