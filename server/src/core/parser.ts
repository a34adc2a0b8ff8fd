/**
 * The C declaration parser (STUB: the contract; the algorithm is being written).
 */

import type { TranslationUnit } from './ast';
import type { Diagnostic } from './diagnostics';
import type { Token } from './token';

export interface ParseOptions {
  /**
   * Declarations from the built-in prelude: a typedef or tag name that the
   * translation unit never declares resolves to the prelude's, so a lone
   * header still knows ULONG, HANDLE, UNICODE_STRING ... Real declarations
   * always win, silently.
   */
  fallback?: TranslationUnit;
}

export interface ParseResult {
  unit: TranslationUnit;
  diagnostics: Diagnostic[];
}

export function parse(_tokens: Token[], _options: ParseOptions = {}): ParseResult {
  throw new Error('parse: not implemented yet');
}
