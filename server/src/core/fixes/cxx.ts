/**
 * Generated code in a C++ driver. The thunk names a shadow plainly
 * (`ReadSamples32`), and defines it beside its record, inside the record's
 * namespace or class. Code a fix places elsewhere (a dispatch routine's
 * 32-bit branch, capture routines before a member function in a `.cpp`) must
 * name it with that scope (`contoso::sensor::ReadSamples32`), as C++ finds no
 * unqualified name in another namespace. A qualified name is valid inside
 * the scope too, so the code compiles wherever it lands. C is left as is.
 */

import type { Plan } from '../thunk/plan';
import type { FixContext } from './types';

/** Whether the fix's document was read as C++. */
export function isCxx(ctx: FixContext): boolean {
  for (const u of ctx.analysis.units.values()) return u.language === 'cpp';
  return false;
}

/** `contoso::sensor::` for `contoso::sensor::ReadSamples`; '' at global scope or in an anonymous namespace (no name reaches it). */
function scopeOf(qualifiedName: string | undefined): string {
  if (!qualifiedName || qualifiedName.includes('(')) return '';
  // The last `::` outside template arguments ends the scope (`ns::Buf<ns::H, 2>` is in `ns`).
  let depth = 0;
  let end = -1;
  for (let i = 0; i < qualifiedName.length; i++) {
    const c = qualifiedName[i];
    if (c === '<') depth++;
    else if (c === '>') depth--;
    else if (depth === 0 && c === ':' && qualifiedName[i + 1] === ':') end = i;
  }
  return end < 0 ? '' : qualifiedName.slice(0, end + 2);
}

/**
 * A rewrite of generated code for a place outside the records' scopes: the
 * plan's shadow names, shadow pointer typedefs and native typedef names,
 * qualified with the scope that declares them. The identity for C.
 */
export function cxxQualifier(ctx: FixContext, plan: Plan): (code: string) => string {
  if (!isCxx(ctx)) return (code) => code;
  const names = new Map<string, string>();
  for (const p of plan.records) {
    // A shadow the header already has (or is replaced in place) lives where that declaration is.
    const shadowScope = scopeOf((p.existing ?? p.native).cxx?.qualifiedName);
    if (shadowScope) for (const n of [p.shadow.name, p.shadow.pointer, p.shadow.tag]) names.set(n, shadowScope + n);
    const nativeScope = scopeOf(p.native.cxx?.qualifiedName);
    // Typedef names of the native record (`typedef struct _X {...} X, *PX;` in a namespace); a class name is already qualified.
    if (nativeScope) for (const n of [p.nativeName, p.nativePointer]) if (/^\w+$/.test(n)) names.set(n, nativeScope + n);
  }
  if (names.size === 0) return (code) => code;
  const words = [...names.keys()].sort((a, b) => b.length - a.length);
  // A whole identifier not already qualified or a member (`::X`, `.X`, `->X`).
  const pattern = new RegExp(`(?<![\\w:.>])(?:${words.join('|')})(?!\\w)`, 'g');
  return (code) => code.replace(pattern, (w) => names.get(w) ?? w);
}
