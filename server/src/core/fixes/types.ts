/**
 * What a fix is: a titled set of text edits (offsets into each file's
 * current text), possibly in several files, or — only where an edit cannot
 * be computed up front — a command. Plain data; `lsp/codeActions.ts` turns
 * it into an LSP `CodeAction`.
 */

import type { Analysis } from '../analyze';
import type { ThunkStyle } from '../thunk/index';

export interface FixEdit {
  file: string;
  /** Offsets into the file's text; `start === end` inserts. */
  start: number;
  end: number;
  newText: string;
}

export type FixKind = 'quickfix' | 'refactor.rewrite' | 'refactor.extract';

export interface CodeFix {
  title: string;
  kind: FixKind;
  edits: FixEdit[];
  /** The fix an editor applies on "fix all"/auto-fix. */
  preferred?: boolean;
  /** What the user must know before applying (it changes the interface, what callers must change). */
  warning?: string;
  /** Instead of edits: a command for the front end (`show-layout` of a record). */
  command?: { name: 'show-layout'; type: string; offset: number };
}

export interface FixContext {
  analysis: Analysis;
  /** The document the request is about. */
  path: string;
  /** A file's current text (the document's analysed text for `path`). */
  text(file: string): string | undefined;
  style?: ThunkStyle;
}

/** A finding as fixes need it (the rule catalogue's `Finding`, or the same shape). */
export interface FindingRef {
  rule: string;
  symbol: string;
  loc: { file: string; line: number; col: number; offset: number };
  end: { file: string; line: number; col: number; offset: number };
}
