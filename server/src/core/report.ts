/**
 * The layout report: the JSON shape of `ioctl-lens layout --json`, built
 * from an analysis. Which records are listed is the caller's choice: those
 * defined in the named files (the CLI's default) or every record of the
 * translation unit outside the prelude (the differential tests).
 */

import type { AbiName } from './abi';
import type { RecordDecl } from './ast';
import type { Analysis } from './analyze';
import type { FieldLayout, RecordLayout } from './layout';
import { recordName } from './names';
import { preludePath } from './prelude';

export interface FieldReport {
  name: string | null;
  type: string;
  offset: number;
  size: number;
  align: number;
  bitOffset?: number;
  bitWidth?: number;
  /** Anonymous struct/union members only. */
  fields?: FieldReport[];
}

export interface RecordReport {
  /** The tag, or the first typedef name when the tag is anonymous. */
  name: string;
  typedefs: string[];
  kind: 'struct' | 'union';
  file: string;
  line: number;
  /** Null, like `align`, when the layout is unusable (`unusable` says why; `fields` is then empty). */
  size: number | null;
  align: number | null;
  fields: FieldReport[];
  /** Why the layout is unusable on this ABI (a bad array bound or alignment, an incomplete or recursive member ...). */
  unusable?: string;
  /** C++ only: non-virtual base class subobjects in layout order (`size` is what the base occupies: its nvsize). */
  bases?: { name: string; offset: number; size: number }[];
  /** C++ only: the offset of the class's own vftable pointer. */
  vfptr?: number;
}

export interface AbiReport {
  abi: AbiName;
  records: RecordReport[];
}

export interface ReportSelection {
  /** Normalised paths whose records are listed; `'all'` lists every record outside the prelude. */
  files: ReadonlySet<string> | 'all';
}

/** The records a report lists for one ABI: complete, named, in the selected files, in source order. */
export function selectedRecords(records: readonly RecordDecl[], selection: ReportSelection): RecordDecl[] {
  return records.filter((r) => {
    if (!r.fields || recordName(r) === undefined) return false;
    if (r.loc.file === preludePath) return false;
    return selection.files === 'all' || selection.files.has(r.loc.file);
  });
}

function fieldReport(f: FieldLayout): FieldReport {
  const out: FieldReport = { name: f.name, type: f.decl.typeText, offset: f.offset, size: f.size, align: f.align };
  if (f.bitWidth !== undefined) {
    out.bitOffset = f.bitOffset ?? 0;
    out.bitWidth = f.bitWidth;
  }
  if (f.fields) out.fields = f.fields.map(fieldReport);
  return out;
}

export function recordReport(layout: RecordLayout): RecordReport {
  const r = layout.record;
  if (!layout.complete) {
    const unusable = layout.problem ?? 'its layout could not be computed';
    return { name: recordName(r) ?? '', typedefs: [...r.typedefs], kind: r.kind, file: r.loc.file, line: r.loc.line, size: null, align: null, fields: [], unusable };
  }
  return {
    name: recordName(r) ?? '',
    typedefs: [...r.typedefs],
    kind: r.kind,
    file: r.loc.file,
    line: r.loc.line,
    size: layout.size,
    align: layout.align,
    fields: layout.fields.map(fieldReport),
    ...cxxReport(layout),
  };
}

function cxxReport(layout: RecordLayout): Pick<RecordReport, 'bases' | 'vfptr'> {
  const cxx = layout.cxx;
  if (!cxx) return {};
  const out: Pick<RecordReport, 'bases' | 'vfptr'> = {};
  if (cxx.vfptr !== undefined) out.vfptr = cxx.vfptr;
  if (cxx.bases.length) out.bases = cxx.bases.map((b) => ({ name: b.name, offset: b.offset, size: b.size }));
  return out;
}

export function buildReports(analysis: Analysis, selection: ReportSelection): AbiReport[] {
  const out: AbiReport[] = [];
  for (const [abi, u] of analysis.units) {
    const records = selectedRecords(u.unit.records, selection).map((r) => recordReport(u.layout.layoutOf(r)));
    out.push({ abi, records });
  }
  return out;
}
