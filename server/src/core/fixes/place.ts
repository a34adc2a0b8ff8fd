/**
 * Where fixes put things: after a type's whole declaration (past its `;` and
 * a closing `#include <poppack.h>`), before a function definition (above its
 * return type, annotations and leading comment), and the facts of the unit
 * (dispatch routines, shadows) computed once per analysis.
 */

import type { AbiUnit, Analysis } from '../analyze';
import type { FunctionDecl } from '../ast';
import { type UnitResult, unitFacts } from '../checks/index';
import { lineEnd, lineStart, nextLineStart, scanTo } from './text';

/** The line end after the declaration whose record ends at `recordEnd` (a `typedef ... ;`), past a following `poppack`. */
export function afterDeclaration(text: string, recordEnd: number): number {
  const semi = scanTo(text, Math.min(recordEnd, text.length), ';');
  let at = lineEnd(text, semi < 0 ? recordEnd : semi - 1);
  // Keep a packing region intact: the generated shadow carries its own #pragma pack.
  let next = nextLineStart(text, at);
  while (next < text.length && text.slice(next, lineEnd(text, next)).trim() === '') next = nextLineStart(text, next);
  const line = text.slice(next, lineEnd(text, next)).trim();
  if (/^#\s*include\s*[<"]poppack\.h[>"]|^#\s*pragma\s+pack\s*\(\s*pop\s*\)/.test(line)) at = lineEnd(text, next);
  return at;
}

/** Offset of the first line of a function definition: its return type, annotations and the comment right above it. */
export function beforeFunction(text: string, fnOffset: number): number {
  let cur = lineStart(text, fnOffset);
  for (let guard = 0; guard < 50 && cur > 0; guard++) {
    const prevStart = lineStart(text, cur - 1);
    const prev = text.slice(prevStart, lineEnd(text, prevStart)).trim();
    if (prev === '' || prev.startsWith('#') || prev.endsWith(';') || prev.endsWith('}') || prev.endsWith('{')) break;
    if (prev.endsWith('*/')) {
      const open = text.lastIndexOf('/*', prevStart + text.slice(prevStart).indexOf('*/'));
      cur = lineStart(text, open < 0 ? prevStart : open);
      continue;
    }
    if (prev.startsWith('//')) {
      cur = prevStart;
      continue;
    }
    cur = prevStart;
  }
  return cur;
}

export function mainUnit(analysis: Analysis): AbiUnit | undefined {
  return analysis.units.get('x64') ?? analysis.units.get('arm64') ?? analysis.units.values().next().value;
}

export function functionDefinition(analysis: Analysis, name: string): FunctionDecl | undefined {
  return mainUnit(analysis)?.unit.functions.find((f) => f.name === name && f.isDefinition);
}

const factsCache = new WeakMap<Analysis, UnitResult>();

/** The unit's dispatch routines, IOCTLs and shadows (the checks' own facts), once per analysis. */
export function factsOf(analysis: Analysis): UnitResult {
  let r = factsCache.get(analysis);
  if (!r) factsCache.set(analysis, (r = unitFacts(analysis)));
  return r;
}
