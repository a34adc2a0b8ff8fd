/**
 * The layout report (STUB: the contract): the JSON shape of `ioctl-lens layout --json`.
 */

import type { AbiName } from './abi';

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
  size: number;
  align: number;
  fields: FieldReport[];
}

export interface AbiReport {
  abi: AbiName;
  records: RecordReport[];
}
