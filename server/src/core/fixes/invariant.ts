/**
 * Make layout-invariant (for `unthunked-pointer`, when the interface is
 * still free to change): pointer-sized members become fixed-width, so both
 * callers send the same layout and no shadow is needed. Pointers become
 * 64-bit pointers to what they pointed to (`VOID * POINTER_64`,
 * `WCHAR * POINTER_64`), handles and pointer-sized integers `ULONG64`
 * (`LONG64` when signed). A comment above the type tells callers what
 * changes.
 *
 *     // before
 *     typedef struct _OPEN { ULONG Version; HANDLE Event; PVOID Buffer; } OPEN;
 *     // after
 *     /+ ioctl-lens: layout-invariant ... +/
 *     typedef struct _OPEN { ULONG Version; ULONG64 Event; VOID * POINTER_64 Buffer; } OPEN;
 *
 * Offered only when every difference comes from such members (a nested
 * record or union that differs, or a pointer to records that differ, keeps
 * the type in need of a shadow; a function pointer has no usable 64-bit
 * spelling).
 * Idempotent: afterwards the type has one layout, the finding is gone.
 */

import type { Conversion, FieldPlan } from '../thunk/plan';
import { EditSet } from './edits';
import { thunksFor } from './shadow';
import { indentationAt, lineStart } from './text';
import type { CodeFix, FindingRef, FixContext } from './types';

/**
 * The fixed-width spelling of a member, or undefined when there is none that
 * keeps it usable: a pointer keeps its pointee (`WCHAR * POINTER_64`, so
 * code that indexes or dereferences it still compiles); a pointer to records
 * that themselves differ (`deep`) is not made invariant by widening it (the
 * records it points to would still need shadows), and neither is a function
 * pointer or a pointer whose pointee is not spelled here.
 */
function fixedWidth(c: Conversion, typeText: string): string | undefined {
  const toVoid = /^\s*(?:const\s+)?(?:P|LP|PC|LPC)VOID\s*$|\bvoid\s*\*|\bVOID\s*\*/.test(typeText);
  switch (c.kind) {
    case 'pointer':
      return !c.functionType && toVoid ? 'VOID * POINTER_64' : undefined;
    case 'deep':
      return undefined;
    case 'buffer':
      return toVoid ? 'VOID * POINTER_64' : `${c.constPointee ? 'const ' : ''}${c.element.type} * POINTER_64`;
    case 'handle':
      return 'ULONG64';
    case 'integer':
      return c.signed ? 'LONG64' : 'ULONG64';
    case 'array':
      return c.element.kind === 'array' ? undefined : fixedWidth(c.element, typeText.replace(/\s*\[.*$/, ''));
    default:
      return undefined;
  }
}

function differs(c: Conversion): boolean {
  if (c.kind === 'copy') return false;
  if (c.kind === 'inline') return c.differs;
  if (c.kind === 'array') return differs(c.element);
  return true;
}

export function layoutInvariantFix(ctx: FixContext, finding: FindingRef): CodeFix[] {
  const r = thunksFor(ctx, finding.symbol);
  const root = r.plan.root;
  if (r.error || r.identical || !root) return [];
  const file = root.native.loc.file;
  const text = ctx.text(file);
  if (text === undefined) return [];
  const rewrites: { field: FieldPlan; type: string }[] = [];
  for (const f of root.fields) {
    if (!differs(f.conversion)) continue;
    const type = f.native && fixedWidth(f.conversion, f.native.typeText);
    if (!type || !f.native || f.bitWidth !== undefined) return [];
    rewrites.push({ field: f, type });
  }
  if (rewrites.length === 0) return [];
  const edits = new EditSet(ctx);
  for (const { field, type } of rewrites) {
    const decl = field.native!;
    const spec = text.slice(decl.loc.offset, decl.nameLoc.offset);
    if (spec.includes(',') || decl.loc.file !== file) return [];
    // Keep SAL annotations written before the type (`_Field_size_(Count) PREQ Requests`).
    const sal = /^(\s*(?:_\w+_\s*(?:\([^()]*\))?\s*)*)/.exec(spec)![1];
    edits.replace(file, decl.loc.offset + sal.length, decl.nameLoc.offset, type + ' ');
  }
  const names = rewrites.map((x) => x.field.name).join(', ');
  const note =
    `/* ioctl-lens: layout-invariant: ${names} ${rewrites.length > 1 ? 'are' : 'is'} 64-bit for every caller. ` +
    `Callers store pointers with PtrToPtr64() and handles and sizes widened to 64 bits; the driver reads them back with Ptr64ToPtr() / (HANDLE)(ULONG_PTR). */`;
  const declStart = recordDeclarationStart(text, root.native.loc.offset);
  const style = edits.style(file);
  if (!edits.has(file, note)) edits.replace(file, declStart, declStart, indentationAt(text, declStart) + note + style.eol);
  return [
    {
      title: `Make '${finding.symbol}' layout-invariant (fixed-width ${names})`,
      kind: 'quickfix',
      edits: edits.edits(),
      warning: `Changes the interface: every caller (32- and 64-bit) must be rebuilt; ${names} ${rewrites.length > 1 ? 'become' : 'becomes'} 64-bit on every ABI.`,
    },
  ];
}

/** The line where the record's declaration starts (`typedef struct ...` may start before the `struct` keyword's line). */
function recordDeclarationStart(text: string, recordOffset: number): number {
  const s = lineStart(text, recordOffset);
  const before = text.slice(Math.max(0, s - 200), s);
  const m = /(^|\n)([ \t]*(?:typedef|__declspec\([^)]*\)|DECLSPEC_ALIGN\([^)]*\))[ \t]*\r?\n)$/.exec(before);
  return m ? s - m[2].length : s;
}
