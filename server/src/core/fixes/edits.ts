/**
 * Building a fix's edits: inserts at the same place are merged in order,
 * code already present in the target file is not inserted again (so two
 * fixes applied one after the other never duplicate a shared piece), and
 * every inserted text is formatted in the target file's style.
 */

import { type TextStyle, containsCode, detectStyle, formatFor } from './text';
import type { FixContext, FixEdit } from './types';
import { append } from '../arrays';

export class EditSet {
  private readonly list: FixEdit[] = [];
  private readonly styles = new Map<string, TextStyle>();
  /** Pieces (normalised) already scheduled for insertion per file. */
  private readonly planned = new Map<string, string[]>();

  constructor(private readonly ctx: FixContext) {}

  text(file: string): string | undefined {
    return this.ctx.text(file);
  }

  style(file: string): TextStyle {
    let s = this.styles.get(file);
    if (!s) this.styles.set(file, (s = detectStyle(this.text(file) ?? '')));
    return s;
  }

  /** True when `code` exists in the file or is already being inserted by this fix. */
  has(file: string, code: string): boolean {
    const text = this.text(file) ?? '';
    if (containsCode(text, code)) return true;
    return (this.planned.get(file) ?? []).some((p) => containsCode(p, code));
  }

  /**
   * Inserts generated code blocks (LF, four-space indentation) as new lines
   * at `offset` — a line end — each block preceded by a blank line. Blocks
   * already in the file are skipped. Returns whether anything was inserted.
   */
  insertBlocksAfterLine(file: string, offset: number, blocks: string[], baseIndent = ''): boolean {
    const style = this.style(file);
    const fresh = this.fresh(file, blocks);
    if (fresh.length === 0) return false;
    this.remember(file, fresh);
    const body = fresh.map((b) => formatFor(b.replace(/\n+$/, ''), style, baseIndent)).join(style.eol + style.eol);
    this.add({ file, start: offset, end: offset, newText: style.eol + style.eol + body });
    return true;
  }

  /** Inserts blocks before the line starting at `offset`, each followed by a blank line. */
  insertBlocksBeforeLine(file: string, offset: number, blocks: string[]): boolean {
    const style = this.style(file);
    const fresh = this.fresh(file, blocks);
    if (fresh.length === 0) return false;
    this.remember(file, fresh);
    const body = fresh.map((b) => formatFor(b.replace(/\n+$/, ''), style) + style.eol + style.eol).join('');
    this.add({ file, start: offset, end: offset, newText: body });
    return true;
  }

  replace(file: string, start: number, end: number, newText: string): void {
    this.add({ file, start, end, newText });
  }

  /** The blocks not yet in the file nor in this fix, each once. */
  private fresh(file: string, blocks: string[]): string[] {
    const out: string[] = [];
    for (const b of blocks) if (b.trim() && !this.has(file, b) && !out.some((o) => containsCode(o, b))) out.push(b);
    return out;
  }

  private remember(file: string, blocks: string[]): void {
    const list = this.planned.get(file) ?? [];
    append(list, blocks);
    this.planned.set(file, list);
  }

  private add(e: FixEdit): void {
    // Inserts at the same place keep their order: merge them into one edit.
    // An insert where a replacement ends joins it (LSP edits must not overlap).
    if (e.start === e.end) {
      const same = this.list.find((x) => x.file === e.file && x.end === e.start && (x.start === x.end ? x.start === e.start : true));
      if (same) {
        same.newText += e.newText;
        return;
      }
    }
    this.list.push(e);
  }

  edits(): FixEdit[] {
    return [...this.list].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.start - b.start));
  }
}
