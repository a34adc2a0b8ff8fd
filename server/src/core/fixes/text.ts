/**
 * Text helpers for fixes: the user's formatting style read from the file
 * (line endings, indentation unit, brace placement), generated code
 * re-formatted into that style, and the small scanners fixes use to find
 * where a declaration or statement ends without a second parse.
 *
 * Generated code (thunk/, and the fixes' own) is written with LF line
 * endings, four-space indentation and K&R braces; `formatFor` turns it into
 * the file's style. Everything here is pure string work.
 */

import { minOf } from '../arrays';

export interface TextStyle {
  eol: '\n' | '\r\n';
  /** One indentation level: `\t`, or N spaces. */
  indent: string;
  /** Control-statement braces on their own line (`if (x)\n{`). */
  allman: boolean;
  /** Record braces on their own line (`typedef struct _X\n{`). */
  recordAllman?: boolean;
}

export function detectStyle(text: string): TextStyle {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length;
  const eol = crlf > 0 && crlf * 2 >= lf ? '\r\n' : '\n';
  let tabs = 0;
  const widths = new Map<number, number>();
  let previous = 0;
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || /^\s*(\*|\/\*|\/\/|#)/.test(line)) continue;
    if (line.startsWith('\t')) {
      tabs++;
      continue;
    }
    const spaces = /^ */.exec(line)![0].length;
    const step = spaces - previous;
    if (step > 0) widths.set(step, (widths.get(step) ?? 0) + 1);
    previous = spaces;
  }
  let indent = '    ';
  let best = 0;
  for (const [w, n] of widths) if (n > best && w <= 8) [best, indent] = [n, ' '.repeat(w)];
  if (tabs > best) indent = '\t';
  const ownLine = (text.match(/^[ \t]*\{[ \t]*\r?$/gm) ?? []).length;
  const trailing = (text.match(/\b(if|for|while|switch|else)\b[^\n;{]*\{[ \t]*\r?$/gm) ?? []).length;
  // Function bodies put `{` on its own line in both styles; count only clear control-statement evidence.
  const controlOwnLine = (text.match(/^[ \t]*(if|for|while|switch)\b[^\n;{]*\)[ \t]*\r?\n[ \t]*\{/gm) ?? []).length + (text.match(/^[ \t]*else[ \t]*\r?\n[ \t]*\{/gm) ?? []).length;
  const recordOwnLine = (text.match(/\b(?:struct|union)[ \t]+\w+[ \t]*\r?\n[ \t]*\{/g) ?? []).length;
  const recordSameLine = (text.match(/\b(?:struct|union)[ \t]+\w+[ \t]*\{/g) ?? []).length;
  const style: TextStyle = { eol, indent, allman: controlOwnLine > trailing && ownLine > 0 };
  if (recordOwnLine > recordSameLine) style.recordAllman = true;
  return style;
}

/** Re-indents four-space generated code with the file's unit, moves control braces if the file does, and sets line endings. */
export function formatFor(code: string, style: TextStyle, baseIndent = ''): string {
  const lines: string[] = [];
  for (const raw of code.replace(/\r\n/g, '\n').split('\n')) {
    const m = /^( *)(.*)$/.exec(raw)!;
    const level = Math.floor(m[1].length / 4);
    const rest = ' '.repeat(m[1].length % 4) + m[2];
    if (m[2] === '') {
      lines.push('');
      continue;
    }
    const lead = m[2].startsWith('#') && level === 0 ? '' : baseIndent + style.indent.repeat(level);
    const record = style.recordAllman && /^((?:typedef\s+)?(?:struct|union)\b[^;{]*?)\s*\{$/.exec(rest);
    if (record) {
      lines.push(lead + record[1], lead + '{');
      continue;
    }
    if (style.allman) {
      const elseBlock = /^\} else \{$/.exec(rest);
      const control = /^((?:if|for|while|switch|else if)\b.*\)|else|do|__try)\s*\{$/.exec(rest);
      const closeElse = /^\} else$/.exec(rest);
      const except = /^\} (__except\b.*\)|__finally) \{$/.exec(rest);
      if (except) {
        lines.push(lead + '}', lead + except[1], lead + '{');
        continue;
      }
      if (elseBlock) {
        lines.push(lead + '}', lead + 'else', lead + '{');
        continue;
      }
      if (closeElse) {
        lines.push(lead + '}', lead + 'else');
        continue;
      }
      if (control) {
        lines.push(lead + control[1], lead + '{');
        continue;
      }
    }
    lines.push(lead + rest);
  }
  return lines.join(style.eol);
}

/** Whitespace and line endings ignored: does `text` already contain `piece`? */
export function containsCode(text: string, piece: string): boolean {
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
  const p = norm(piece);
  return p.length > 0 && norm(text).includes(p);
}

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset of the line's end (before `\r\n` or `\n`). */
export function lineEnd(text: string, offset: number): number {
  let e = text.indexOf('\n', offset);
  if (e < 0) return text.length;
  if (e > 0 && text[e - 1] === '\r') e--;
  return e;
}

/** Offset of the start of the next line (or the end of the text). */
export function nextLineStart(text: string, offset: number): number {
  const e = text.indexOf('\n', offset);
  return e < 0 ? text.length : e + 1;
}

export function indentationAt(text: string, offset: number): string {
  const s = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(s, s + 200))![0];
}

/** Skips a comment or string starting at `i`; returns the index after it, or `i` when none starts there. */
function skipNonCode(text: string, i: number): number {
  if (text.startsWith('//', i)) {
    const e = text.indexOf('\n', i);
    return e < 0 ? text.length : e;
  }
  if (text.startsWith('/*', i)) {
    const e = text.indexOf('*/', i + 2);
    return e < 0 ? text.length : e + 2;
  }
  const q = text[i];
  if (q === '"' || q === "'") {
    let j = i + 1;
    while (j < text.length && text[j] !== q && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
    return j + 1;
  }
  return i;
}

/** Index just after the first `stop` character at bracket depth 0 from `from` (comments and strings skipped), or -1. */
export function scanTo(text: string, from: number, stop: string): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const j = skipNonCode(text, i);
    if (j !== i) {
      i = j - 1;
      continue;
    }
    const c = text[i];
    if (depth === 0 && stop.includes(c)) return i + 1;
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') {
      depth--;
      if (depth < 0) return -1;
    }
  }
  return -1;
}

/** Index of the bracket matching the opener at `open`, or -1. */
export function matchingBracket(text: string, open: number): number {
  const close = { '(': ')', '{': '}', '[': ']' }[text[open] as '(' | '{' | '['];
  if (!close) return -1;
  const end = scanTo(text, open + 1, close);
  return end < 0 ? -1 : end - 1;
}

/** Removes one level of `indent` (or of any leading whitespace up to it) from each line. */
export function dedentLines(lines: string[]): string[] {
  const common = minOf(Infinity, lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length));
  return lines.map((l) => (l.trim() ? l.slice(Number.isFinite(common) ? common : 0) : ''));
}

export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}
