/**
 * A small C text builder with one formatting convention for everything the
 * thunk generator emits: 4-space indents, K&R braces inside bodies, and the
 * WDK samples' routine layout (return type on its own line, one parameter per
 * line with its SAL annotation, the closing parenthesis indented, the
 * function's opening brace on its own line).
 */

export class CText {
  private readonly lines: string[] = [];
  private depth = 0;

  /** Adds one line at the current indent (an empty string adds a blank line). */
  line(text = ''): this {
    this.lines.push(text === '' ? '' : '    '.repeat(this.depth) + text);
    return this;
  }

  /** Adds a line at column 0 (preprocessor directives). */
  directive(text: string): this {
    this.lines.push(text);
    return this;
  }

  /** `head {`, the body one level deeper, then `}` (or `} tail`). */
  block(head: string, body: () => void, tail = ''): this {
    this.line(`${head} {`);
    this.depth++;
    body();
    this.depth--;
    this.line(`}${tail}`);
    return this;
  }

  /** `if (cond) {`, then `} else {`, then `}`: K&R. */
  ifElse(condition: string, then: () => void, otherwise: () => void): this {
    this.line(`if (${condition}) {`);
    this.indent(then);
    this.line('} else {');
    this.indent(otherwise);
    this.line('}');
    return this;
  }

  /** `__try { body } __except (EXCEPTION_EXECUTE_HANDLER) { handler }`. */
  tryExcept(body: () => void, handler: () => void): this {
    this.line('__try {');
    this.indent(body);
    this.line('} __except (EXCEPTION_EXECUTE_HANDLER) {');
    this.indent(handler);
    this.line('}');
    return this;
  }

  indent(body: () => void): this {
    this.depth++;
    body();
    this.depth--;
    return this;
  }

  /** Appends pre-rendered text, each line indented to the current depth. */
  raw(text: string): this {
    for (const l of text.split('\n')) this.line(l);
    return this;
  }

  toString(): string {
    return this.lines.join('\n') + '\n';
  }
}

/** `/* text *\/` on one line, or a block comment when it is long. */
export function comment(text: string, width = 100): string[] {
  if (text.length + 6 <= width) return [`/* ${text} */`];
  const words = text.split(/\s+/);
  const out = ['/*'];
  let cur = ' *';
  for (const w of words) {
    if (cur.length + 1 + w.length > width - 3 && cur !== ' *') {
      out.push(cur);
      cur = ' *';
    }
    cur += ' ' + w;
  }
  if (cur !== ' *') out.push(cur);
  out.push(' */');
  return out;
}

/** The WDK samples' routine header: return type, name, one annotated parameter per line. */
export function routineHeader(w: CText, options: { comment: string; returns: string; name: string; params: string[]; isStatic: boolean; annotations?: string[] }) {
  for (const l of comment(options.comment)) w.line(l);
  for (const a of options.annotations ?? []) w.line(a);
  w.line(options.isStatic ? `static ${options.returns}` : options.returns);
  w.line(`${options.name}(`);
  w.indent(() => {
    options.params.forEach((p, i) => w.line(p + (i < options.params.length - 1 ? ',' : '')));
    w.line(')');
  });
}
