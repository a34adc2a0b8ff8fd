/**
 * In-process entry point for `ioctl-lens layout` (STUB: the contract), used by
 * the CLI and by the differential tests. Reads files through the disk host.
 */

import type { AbiName } from '../core/abi';
import type { Diagnostic } from '../core/diagnostics';
import type { AbiReport } from '../core/report';

export interface LayoutRequest {
  files: string[];
  abis: AbiName[];
  includeDirs?: string[];
  defines?: [string, string | undefined][];
  undefines?: string[];
  forcedIncludes?: string[];
}

export function layoutReports(_request: LayoutRequest): { reports: AbiReport[]; diagnostics: Diagnostic[] } {
  throw new Error('layoutReports: not implemented yet');
}
