/**
 * The Microsoft C record layout pass (STUB: the contract; the algorithm is being written).
 */

import type { Abi } from './abi';
import type { CType, Expr, FieldDecl, RecordDecl, TranslationUnit } from './ast';
import type { Diagnostic } from './diagnostics';

export interface FieldLayout {
  /** `null` for anonymous struct/union members and unnamed bit-fields. */
  name: string | null;
  decl: FieldDecl;
  /** Byte offset from the start of the *outermost* record. */
  offset: number;
  /** Size in bytes (for a bit-field: the size of its storage unit). */
  size: number;
  /** Alignment used to place the member (after pack and declspec(align)). */
  align: number;
  /** Bit-fields: bit offset within the storage unit that starts at `offset`, and width. */
  bitOffset?: number;
  bitWidth?: number;
  /** Anonymous struct/union members: their own members, offsets still relative to the outermost record. */
  fields?: FieldLayout[];
  /** Bytes of padding between the end of this member and the next member (or the end of the record). */
  paddingAfter: number;
}

export interface Hole {
  /** Offset of the first padding byte. */
  offset: number;
  size: number;
  /** The member the hole follows, or null for padding at the start (never happens in C) */
  after: string | null;
  /** True for tail padding (after the last member). */
  tail: boolean;
}

export interface RecordLayout {
  record: RecordDecl;
  size: number;
  align: number;
  fields: FieldLayout[];
  /** Every padding hole, in offset order, including tail padding. */
  holes: Hole[];
  /** False when an error made the layout a best-effort guess (incomplete member type ...). */
  complete: boolean;
}

export interface TypeInfo {
  size: number;
  align: number;
  /** Required alignment from __declspec(align) reached through typedefs, records or arrays (0 if none). */
  requiredAlign: number;
}

/** Per-ABI layout context: memoises record layouts and type sizes for one translation unit. */
export interface LayoutContext {
  abi: Abi;
  unit: TranslationUnit;
  diagnostics: Diagnostic[];
  layoutOf(record: RecordDecl): RecordLayout;
  typeInfo(type: CType): TypeInfo;
  /** Evaluates an integer constant expression under this ABI (sizeof, offsetof, enumerators ...). */
  evaluate(expr: Expr): bigint | undefined;
}

export function createLayoutContext(_abi: Abi, _unit: TranslationUnit): LayoutContext {
  throw new Error('layout: not implemented yet');
}
