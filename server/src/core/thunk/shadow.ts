/**
 * Renders a 32-bit shadow `T32` from a record plan: the peer (x86) members
 * in order, with each pointer and handle as `ULONG` (or `VOID * POINTER_32`),
 * pointer-sized integers as their 32-bit forms, nested records as their
 * shadows, and packing and `__declspec(align)` reproduced, so that `T32`
 * compiled for x64 has `T`'s x86 layout (the guards prove it).
 */

import type { CType } from '../ast';
import type { LayoutContext } from '../layout';
import { CText, comment } from './cwriter';
import { type Conversion, type FieldPlan, type RecordPlan, peerDeclaration } from './plan';
import { canonical, typedefChain } from './types';

/** How the shadow spells a converted pointer or handle. */
function pointerSpelling(form: FieldPlan['form'], pointee?: string): string {
  if (form === 'ulong') return 'ULONG';
  return `${pointee ?? 'VOID'} * POINTER_32`;
}

/** The type the native member had, for the trailing comment (`PVOID`, `HANDLE`, `SIZE_T`). */
function nativeSpelling(type: CType): string {
  const chain = typedefChain(type);
  if (chain.length) return chain[0];
  const c = canonical(type);
  if (c.kind === 'pointer') return canonical(c.to).kind === 'function' ? 'function pointer' : 'pointer';
  if (c.kind === 'array') return 'array';
  return c.kind;
}

/** Base type text and array suffix of a converted member. */
function spelled(ctx: LayoutContext, field: FieldPlan, c: Conversion, type: CType): { base: string; suffix: string } {
  switch (c.kind) {
    case 'pointer':
    case 'handle':
      return { base: pointerSpelling(field.form), suffix: '' };
    case 'deep':
      return { base: pointerSpelling(field.form, c.element.shadow.name), suffix: '' };
    case 'buffer':
      return { base: pointerSpelling(field.form), suffix: '' };
    case 'integer':
      return { base: c.shadowType, suffix: '' };
    case 'record':
      return { base: c.plan.shadow.name, suffix: '' };
    case 'array': {
      const ct = canonical(type);
      const inner = spelled(ctx, field, c.element, ct.kind === 'array' ? ct.of : type);
      return { base: inner.base, suffix: `[${c.length ?? ''}]${inner.suffix}` };
    }
    default:
      return { base: '', suffix: '' };
  }
}

function memberLines(w: CText, ctx: LayoutContext, field: FieldPlan) {
  const c = field.conversion;
  const align = field.declAlign ? `DECLSPEC_ALIGN(${field.declAlign}) ` : '';
  const bits = field.bitWidth !== undefined ? ` : ${field.bitWidth}` : '';
  if (field.todo) for (const l of comment(`TODO(ioctl-lens): ${field.todo}.`)) w.line(l);
  // A record defined in place (possibly as an array's element) is written in place.
  let inner: Conversion = c;
  let dims = '';
  while (inner.kind === 'array') {
    dims += `[${inner.length ?? ''}]`;
    inner = inner.element;
  }
  if (inner.kind === 'inline') {
    const body = inner;
    const head = `${align}${body.recordKind}${body.declAlign ? ` DECLSPEC_ALIGN(${body.declAlign})` : ''}`;
    w.block(head, () => {
      for (const f of body.fields) memberLines(w, ctx, f);
    }, field.name ? ` ${field.name}${dims};` : ';');
    return;
  }
  const type = field.peer.decl.type;
  if (c.kind === 'copy' || !field.name) {
    w.line(`${align}${peerDeclaration(ctx, type, field.name ?? '')}${bits};`);
    return;
  }
  const { base, suffix } = spelled(ctx, field, c, type);
  const note = c.kind === 'record' ? '' : ` /* ${nativeSpelling(type)} */`;
  w.line(`${align}${base} ${field.name}${suffix}${bits};${note}`);
}

/** The shadow's definition (with its `#pragma pack` when the native type has one). */
export function renderShadow(plan: RecordPlan, peerLayout: LayoutContext, options: { abiName: string; nativeAbiName: string }): string {
  const w = new CText();
  const what = plan.status === 'replace' ? 'corrected' : 'shadow';
  w.raw(
    comment(
      `${plan.shadow.name}: ${plan.nativeName} as ${/^[aeiox]/i.test(options.abiName) ? 'an' : 'a'} ${options.abiName} caller lays it out, for ${options.nativeAbiName} code (${what}; ioctl-lens thunk).`,
    ).join('\n'),
  );
  const pack = plan.peer.pack;
  if (pack !== undefined) w.directive(`#pragma pack(push, ${pack})`);
  const align = plan.peer.declAlign ? ` DECLSPEC_ALIGN(${plan.peer.declAlign})` : '';
  // A replacement declares exactly the names the stale declaration did.
  const declared = plan.status === 'replace' && plan.existing ? plan.existing.typedefs : [plan.shadow.name, `*${plan.shadow.pointer}`];
  const body = () => {
    for (const f of plan.fields) memberLines(w, peerLayout, f);
  };
  if (declared.length) w.block(`typedef ${plan.peer.kind}${align} ${plan.shadow.tag}`, body, ` ${declared.join(', ')};`);
  else w.block(`${plan.peer.kind}${align} ${plan.shadow.tag}`, body, ';');
  if (pack !== undefined) w.directive('#pragma pack(pop)');
  return w.toString();
}
