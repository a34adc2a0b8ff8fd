/**
 * Handle 32-bit callers (for `unhandled-32bit-caller` and
 * `native-size-check`): the IOCTL case gets a 32-bit branch in the form the
 * routine's framework uses, with the length checked against the shadow and
 * the capture call; the case's own code becomes the native branch, as it
 * was. The shadow and the capture routine are generated when missing.
 *
 *     // before
 *     case IOCTL_OPEN: {
 *         POPEN open = (POPEN)buffer;
 *         if (inLength < sizeof(OPEN)) { ... }
 *         ...
 *     }
 *     // after
 *     case IOCTL_OPEN:
 *     #if defined(_WIN64)
 *         if (IoIs32bitProcess(Irp)) {
 *             OPEN Captured32;
 *             if (inLength < sizeof(OPEN32)) { status = STATUS_BUFFER_TOO_SMALL; break; }
 *             status = CaptureOpen32((POPEN32)buffer, &Captured32);
 *             ...
 *             break;
 *         } else
 *     #endif
 *         {
 *             POPEN open = (POPEN)buffer;
 *             ...
 *         }
 *
 * Idempotent: once the case tests for a 32-bit caller both findings are
 * gone and the fix is no longer offered.
 */

import type { DispatchCase, DispatchRoutine } from '../dispatch';
import { cxxQualifier } from './cxx';
import { EditSet } from './edits';
import { factsOf } from './place';
import { addRoutineEdits } from './routines';
import { thunksFor } from './shadow';
import { indentationAt, matchingBracket, scanTo, splitLines } from './text';
import type { CodeFix, FindingRef, FixContext } from './types';
import { append } from '../arrays';

export interface CaseAt {
  routine: DispatchRoutine;
  kase: DispatchCase;
}

export function caseAt(ctx: FixContext, file: string, offset: number): CaseAt | undefined {
  for (const routine of factsOf(ctx.analysis).routines) {
    for (const kase of routine.cases) {
      if (kase.loc.file === file && kase.loc.offset <= offset && offset <= kase.end.offset) return { routine, kase };
    }
  }
  return undefined;
}

/** The names the routine uses, read from its text: the IRP or request, the status local, the input length and buffer locals. */
export function routineNames(text: string, bodyStart: number, framework: DispatchRoutine['framework']) {
  const headStart = text.lastIndexOf(')', bodyStart);
  const paramsOpen = headStart < 0 ? -1 : text.lastIndexOf('(', headStart);
  const params = paramsOpen < 0 ? '' : text.slice(paramsOpen, headStart + 1);
  const close = matchingBracket(text, bodyStart);
  const body = text.slice(bodyStart, close < 0 ? text.length : close);
  const irp = /\bPIRP\s+(\w+)/.exec(params)?.[1] ?? 'Irp';
  const request = /\bWDFREQUEST\s+(\w+)/.exec(params)?.[1] ?? 'Request';
  const status = /\bNTSTATUS\s+(\w+)\s*[=;]/.exec(body)?.[1] ?? 'status';
  const stack = /\bPIO_STACK_LOCATION\s+(\w+)\s*=/.exec(body)?.[1];
  const inLength =
    /\b(\w+)\s*=\s*[^;]*\bInputBufferLength\s*;/.exec(body)?.[1] ??
    (stack ? `${stack}->Parameters.DeviceIoControl.InputBufferLength` : `IoGetCurrentIrpStackLocation(${irp})->Parameters.DeviceIoControl.InputBufferLength`);
  const buffer = /\b(\w+)\s*=\s*\w+->AssociatedIrp\.SystemBuffer\s*;/.exec(body)?.[1] ?? `${irp}->AssociatedIrp.SystemBuffer`;
  return { kmdf: framework === 'kmdf', irp, request, status, inLength, buffer };
}

/** The type a finding's case must translate: the finding's own for native-size-check, else the first used type that needs it. */
function typeFor(ctx: FixContext, finding: FindingRef, kase: DispatchCase): string | undefined {
  if (finding.rule === 'native-size-check') return finding.symbol;
  for (const u of kase.uses) {
    if (!u.record || u.guard === 'wow64') continue;
    const r = thunksFor(ctx, u.record);
    if (!r.error && !r.identical) return u.record;
  }
  return undefined;
}

/**
 * The operand of a cast that starts at `from`: up to the `;`, `,` or
 * unmatched `)` that ends it, so `((PT)Buffer)` gives `Buffer` and
 * `(PT)(Base + Offset)` gives `(Base + Offset)`. Wrapped in parentheses when
 * it is more than a name, member access or call, so the cast written to the
 * shadow's pointer applies to all of it.
 */
export function castOperand(text: string, from: number): string {
  let depth = 0;
  let end = from;
  for (; end < text.length; end++) {
    const c = text[end];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') {
      if (depth === 0) break;
      depth--;
    } else if ((c === ';' || c === ',') && depth === 0) break;
  }
  const operand = text.slice(from, end).trim();
  if (!operand) return '';
  return /^[\w.]+(?:->[\w.]+)*(?:\([^()]*\))?$/.test(operand) || (operand.startsWith('(') && matchingBracket(operand, 0) === operand.length - 1) ? operand : `(${operand})`;
}

export function handle32Fix(ctx: FixContext, finding: FindingRef): CodeFix[] {
  const at = caseAt(ctx, finding.loc.file, finding.loc.offset);
  if (!at || at.kase.tests.length > 0) return [];
  const type = typeFor(ctx, finding, at.kase);
  if (!type) return [];
  const r = thunksFor(ctx, type);
  const root = r.plan.root;
  if (r.error || r.identical || !root) return [];
  const file = at.kase.loc.file;
  const text = ctx.text(file);
  if (text === undefined) return [];
  const edits = new EditSet(ctx);
  addRoutineEdits(ctx, edits, r, { dispatch: { name: at.routine.name, file } });
  const style = edits.style(file);
  const u = style.indent;
  const eol = style.eol;

  const lastLabel = at.kase.labels[at.kase.labels.length - 1];
  const colon = scanTo(text, lastLabel.loc.offset, ':');
  const bodyEnd = at.kase.end.offset;
  if (colon < 0 || colon > bodyEnd) return [];
  const caseIndent = indentationAt(text, at.kase.loc.offset);
  const si = caseIndent + u;
  const n = routineNames(text, at.routine.loc.offset, at.routine.framework);

  // The native branch: the case's own statements, one level deeper, in a block.
  const body = text.slice(colon, bodyEnd);
  const trimmed = body.trim();
  let inner: string;
  if (trimmed.startsWith('{') && matchingBracket(trimmed, 0) === trimmed.length - 1) inner = trimmed.slice(1, -1);
  else inner = body;
  const innerLines = splitLines(inner);
  while (innerLines.length && innerLines[0].trim() === '') innerLines.shift();
  while (innerLines.length && innerLines[innerLines.length - 1].trim() === '') innerLines.pop();
  const native = innerLines.map((l) => (!l.trim() ? '' : l.startsWith('#') ? l : l.startsWith(si) ? u + l : si + u + l.trimStart()));

  const shadow = root.shadow;
  const captured = 'Captured32';
  // The buffer the case reads T from (`(PT)buffer`, `(PT)stack->...Type3InputBuffer`), else the routine's SystemBuffer.
  const escaped = root.nativeName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pointerName = root.nativePointer.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s*');
  const cast = new RegExp(`\\(\\s*(?:${pointerName}|${escaped}\\s*\\*)\\s*\\)\\s*`).exec(body);
  const operand = cast ? castOperand(body, cast.index + cast[0].length) : '';
  const source = operand || n.buffer;
  // METHOD_NEITHER: the caller's own memory, probed with the 32-bit alignment and read under __try.
  const userMemory = /\b(Type3InputBuffer|UserBuffer)\b/.test(source);
  const test = n.kmdf ? `WdfRequestIsFrom32BitProcess(${n.request})` : `IoIs32bitProcess(${n.irp})`;
  const b1 = si + u;
  const b2 = b1 + u;
  const lines: string[] = ['#if defined(_WIN64)', `${si}if (${test}) {`];
  lines.push(`${b1}/* A 32-bit caller sends ${shadow.name}: capture it into the native ${root.nativeName} (ioctl-lens). */`);
  lines.push(`${b1}${root.nativeName} ${captured};`);
  if (n.kmdf) lines.push(`${b1}${shadow.pointer} Buffer32;`);
  lines.push('');
  if (n.kmdf) {
    lines.push(`${b1}${n.status} = WdfRequestRetrieveInputBuffer(${n.request}, sizeof(${shadow.name}), (PVOID *)&Buffer32, NULL);`);
    lines.push(`${b1}if (!NT_SUCCESS(${n.status})) {`, `${b2}break;`, `${b1}}`);
    lines.push(`${b1}${n.status} = ${r.routines!.capture}(Buffer32, &${captured});`);
  } else {
    lines.push(`${b1}if (${n.inLength} < sizeof(${shadow.name})) {`, `${b2}${n.status} = STATUS_BUFFER_TOO_SMALL;`, `${b2}break;`, `${b1}}`);
    const call = `${n.status} = ${r.routines!.capture}((${shadow.pointer})${source}, &${captured});`;
    if (userMemory) {
      lines.push(`${b1}__try {`, `${b2}ProbeForRead(${source}, sizeof(${shadow.name}), TYPE_ALIGNMENT(${shadow.name}));`, `${b2}${call}`);
      lines.push(`${b1}} __except (EXCEPTION_EXECUTE_HANDLER) {`, `${b2}${n.status} = GetExceptionCode();`, `${b1}}`);
    } else lines.push(`${b1}${call}`);
  }
  lines.push(`${b1}if (NT_SUCCESS(${n.status})) {`);
  lines.push(`${b2}/* TODO(ioctl-lens): serve the request from ${captured} as the native branch below does. */`);
  lines.push(`${b1}}`);
  if (r.routines!.release) lines.push(`${b1}${r.routines!.release}(&${captured});`);
  lines.push(`${b1}break;`);
  append(lines, [`${si}} else`, '#endif', `${si}{`, ...native, `${si}}`]);
  // The case may be in another namespace than the records (a C++ driver's class): names qualified there.
  let out = cxxQualifier(ctx, r.plan)(lines.join('\n'));
  if (style.allman) {
    out = out
      .replace(/^([ \t]*)(if \(.*\)|__try) \{$/gm, `$1$2\n$1{`)
      .replace(/^([ \t]*)\} (__except \(.*\)) \{$/gm, `$1}\n$1$2\n$1{`)
      .replace(/^([ \t]*)\} else$/gm, '$1}\n$1else');
  }
  edits.replace(file, colon, bodyEnd, eol + out.split('\n').join(eol));
  const names = n.kmdf ? 'WdfRequestIsFrom32BitProcess' : 'IoIs32bitProcess';
  return [
    {
      title: `Handle 32-bit callers: ${names} branch with ${shadow.name}`,
      kind: 'quickfix',
      edits: edits.edits(),
      preferred: true,
      warning: 'The 32-bit branch captures the request; finish serving it where the TODO says.',
    },
  ];
}

