/**
 * Code actions: the quick fixes that travel with the rule catalogue's
 * findings, and refactors on the record under the cursor — computed by the
 * pure core (`core/fixes/`), looked up here, and converted to LSP
 * `CodeAction`s with `WorkspaceEdit`s (a `command` only for Show layout,
 * which edits nothing).
 *
 * The findings of a document and their fixes are computed once per
 * analysed version (a `FixIndex` kept with the analysis); a request maps
 * the client's diagnostics back to findings by rule and start position.
 */

import type { CodeAction, Diagnostic, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import type { Analysis } from '../core/analyze';
import { type CodeFix, type FixContext, type FixIndex, createFixIndex, refactorsAt } from '../core/fixes/index';
import type { ThunkStyle } from '../core/thunk/index';
import { textPositions } from './convert';
import type { DocContext } from './facts';
import { recordAt } from './languageService';
import { checkFindings, preludeNoticeCode } from './validation';

export interface CodeActionQuery {
  /** Offsets into the document's analysed text. */
  start: number;
  end: number;
  /** The diagnostics the client sent with the request (`context.diagnostics`). */
  diagnostics: readonly Diagnostic[];
  /** `context.only`: kinds the client wants (prefix match), or undefined for all. */
  only?: readonly string[];
  /** How generated shadows spell pointers (`ioctlLens.thunkStyle`); default `ulong`. */
  style?: ThunkStyle;
}

export interface CodeActionInfo {
  fix: CodeFix;
  /** The client's diagnostic the fix resolves. */
  diagnostic?: Diagnostic;
  /** For `show-layout`: the record's key for the layout command. */
  recordKey?: string;
}

const indexes = new WeakMap<Analysis, FixIndex>();

function fixContext(doc: DocContext, style?: ThunkStyle): FixContext {
  return {
    analysis: doc.analysis,
    path: doc.path,
    text: (file) => (file === doc.path ? doc.text : doc.session.host.readFile(file)?.text),
    style,
  };
}

/** The document's findings and their fixes, once per analysed version. */
export function fixIndexOf(doc: DocContext, style?: ThunkStyle): FixIndex {
  // A settings change re-analyses the document, so a new analysis also brings the new style.
  let index = indexes.get(doc.analysis);
  if (!index) {
    const findings = checkFindings(doc);
    indexes.set(doc.analysis, (index = createFixIndex(fixContext(doc, style), findings)));
  }
  return index;
}

function wanted(kind: string, only?: readonly string[]): boolean {
  return !only || only.length === 0 || only.some((o) => kind === o || kind.startsWith(o + '.'));
}

export function getCodeActions(doc: DocContext, q: CodeActionQuery): CodeActionInfo[] {
  const out: CodeActionInfo[] = [];
  // Findings' fixes are quick fixes, plus a refactor or two (reordering members) that travel with them.
  if (q.diagnostics.length > 0) {
    const index = fixIndexOf(doc, q.style);
    const seen = new Set<string>();
    for (const d of q.diagnostics) {
      if (typeof d.code !== 'string' || (d.source !== undefined && d.source !== 'ioctl-lens')) continue;
      for (const f of index.findingsAt(doc.path, d.range.start.line + 1, d.range.start.character + 1, d.code)) {
        for (const fix of index.fixes(f)) {
          if (!wanted(fix.kind, q.only)) continue;
          // The same fix (a case wrap offered for two findings of one case) is listed once.
          const key = fix.title + JSON.stringify(fix.edits);
          if (seen.has(key)) continue;
          seen.add(key);
          out.push({ fix, diagnostic: d });
        }
      }
    }
  }
  if (!q.only || q.only.length === 0 || q.only.some((o) => o === 'refactor' || o.startsWith('refactor.'))) {
    for (const fix of refactorsAt(fixContext(doc, q.style), q.start)) {
      if (!wanted(fix.kind, q.only)) continue;
      if (fix.command) {
        const key = recordAt(doc, fix.command.offset)?.key;
        if (key) out.push({ fix, recordKey: key });
      } else out.push({ fix });
    }
  }
  return out;
}

export interface ToCodeActionOptions {
  uriOf(path: string): string;
  textOf(path: string): string | undefined;
  /** The document (path and URI) and the command that shows a record's layout. */
  path: string;
  uri: string;
  layoutCommand: string;
}

export function toCodeAction(info: CodeActionInfo, o: ToCodeActionOptions): CodeAction {
  const { fix } = info;
  const title = fix.warning ? `${fix.title} — ${fix.warning}` : fix.title;
  const action: CodeAction = { title, kind: fix.kind };
  if (info.diagnostic) action.diagnostics = [info.diagnostic];
  if (fix.preferred) action.isPreferred = true;
  if (fix.command) {
    const text = o.textOf(o.path) ?? '';
    const position = textPositions(o.path, text).offsetToPosition(fix.command.offset);
    action.command = { title: fix.title, command: o.layoutCommand, arguments: [o.uri, position, info.recordKey ?? fix.command.type] };
    return action;
  }
  const changes: Record<string, TextEdit[]> = {};
  for (const e of fix.edits) {
    const text = o.textOf(e.file);
    if (text === undefined) continue;
    const pos = textPositions(e.file, text);
    const uri = o.uriOf(e.file);
    (changes[uri] ??= []).push({ range: { start: pos.offsetToPosition(e.start), end: pos.offsetToPosition(e.end) }, newText: e.newText });
  }
  const edit: WorkspaceEdit = { changes };
  action.edit = edit;
  return action;
}


/**
 * The prelude notice's action: open the include-path setting. Only for a
 * client that runs our commands (the VS Code extension registers
 * `command`); other editors are told the setting's name in the message.
 */
export function includePathActions(diagnostics: readonly Diagnostic[], only: readonly string[] | undefined, command: string): CodeAction[] {
  if (!wanted('quickfix', only)) return [];
  return diagnostics
    .filter((d) => d.code === preludeNoticeCode)
    .slice(0, 1)
    .map((d) => ({ title: 'Set the include paths (ioctlLens.includePaths)', kind: 'quickfix', diagnostics: [d], isPreferred: true, command: { title: 'Set the include paths', command } }));
}
