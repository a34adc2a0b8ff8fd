/**
 * The one module that converts core and language-service results into LSP
 * types: URIs and paths, locations and ranges, diagnostics, hovers, code
 * lenses, inlay hints, symbols and completions. Every other module under
 * lsp/ speaks offsets, `Loc`s and plain records.
 */

import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type CodeLens,
  type CompletionItem,
  CompletionItemKind,
  type Diagnostic,
  DiagnosticSeverity,
  type DocumentSymbol,
  type Hover,
  type InlayHint,
  InlayHintKind,
  type Location,
  MarkupKind,
  type Position,
  type Range,
  SymbolKind,
  type SymbolInformation,
} from 'vscode-languageserver';
import { type Loc, type SourceFile, locAt, normalizePath } from '../core/source';
import type { CodeLensInfo, CompletionInfo, DefinitionInfo, HoverInfo, InlayHintInfo, Span, SymbolInfo, SymbolKindName } from './languageService';
import { renderHover, toPlainText } from './render';
import type { Finding } from './validation';
import { reportedFingerprint } from '../core/sarif';

// ---------------------------------------------------------------- URIs and paths

/** `file:` URIs become normalised paths; anything else (untitled:, ...) keeps its URI as a pseudo path. */
export function uriToPath(uri: string): string {
  if (uri.startsWith('file:')) {
    try {
      return normalizePath(fileURLToPath(uri));
    } catch {
      return uri;
    }
  }
  return uri;
}

export function pathToUri(path: string, known?: (path: string) => string | undefined): string {
  const k = known?.(path);
  if (k) return k;
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) && !/^[A-Za-z]:[\\/]/.test(path)) return path;
  return pathToFileURL(path).href;
}

// ---------------------------------------------------------------- positions

export function locToPosition(loc: Loc): Position {
  return { line: Math.max(0, loc.line - 1), character: Math.max(0, loc.col - 1) };
}

/** A range from `loc` spanning `length` characters on its line, or up to `end`. */
export function locRange(loc: Loc, end?: Loc | number): Range {
  const start = locToPosition(loc);
  if (typeof end === 'number') return { start, end: { line: start.line, character: start.character + end } };
  if (end && end.file === loc.file && end.offset >= loc.offset) return { start, end: locToPosition(end) };
  return { start, end: start };
}

/** Positions in the analysed document's own text. */
export interface TextPositions {
  offsetToPosition(offset: number): Position;
  positionToOffset(p: Position): number;
  spanToRange(s: Span): Range;
}

export function textPositions(path: string, text: string): TextPositions {
  const file: SourceFile = { path, text };
  const starts = () => {
    locAt(file, 0);
    return file.lineStartsCache!;
  };
  return {
    offsetToPosition(offset) {
      return locToPosition(locAt(file, Math.max(0, Math.min(offset, text.length))));
    },
    positionToOffset(p) {
      const s = starts();
      if (!Number.isFinite(p.line) || p.line < 0) return 0;
      if (p.line >= s.length) return text.length;
      const lineEnd = p.line + 1 < s.length ? s[p.line + 1] : text.length;
      return Math.min(s[p.line] + Math.max(0, Number.isFinite(p.character) ? p.character : 0), lineEnd);
    },
    spanToRange(span) {
      return { start: this.offsetToPosition(span.start), end: this.offsetToPosition(span.end) };
    },
  };
}

// ---------------------------------------------------------------- diagnostics

const severities: Record<Finding['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export interface DiagnosticOptions {
  /** Base of the rule pages: `<base><rule>.md`. */
  rulesDocBase: string;
  uriOf(path: string): string;
  /**
   * The folder a file's fingerprint names it from (its workspace folder, as
   * `check` run there names it); undefined: the absolute path.
   */
  baseDirOf?(path: string): string | undefined;
}

export function toDiagnostic(f: Finding, o: DiagnosticOptions): Diagnostic {
  const d: Diagnostic = {
    range: locRange(f.loc, f.end),
    severity: severities[f.severity],
    code: f.code,
    source: 'ioctl-lens',
    message: f.message,
  };
  if (d.range.start.line === d.range.end.line && d.range.start.character === d.range.end.character) d.range.end = { ...d.range.end, character: d.range.end.character + 1 };
  if (f.rule) d.codeDescription = { href: `${o.rulesDocBase}${f.code}.md` };
  if (f.check) d.data = { fingerprint: reportedFingerprint(f.check, o.baseDirOf?.(f.loc.file)) };
  if (f.related.length) {
    d.relatedInformation = f.related.map((r) => ({ location: { uri: o.uriOf(r.loc.file), range: locRange(r.loc, r.end) }, message: r.message }));
  }
  return d;
}

// ---------------------------------------------------------------- hover, lenses, hints

/** A hover in Markdown, or in plain text for a client whose hover `contentFormat` lists no Markdown. */
export function toHover(h: HoverInfo, pos: TextPositions, format: 'markdown' | 'plaintext' = 'markdown'): Hover {
  const markdown = renderHover(h);
  const contents = format === 'markdown' ? { kind: MarkupKind.Markdown, value: markdown } : { kind: MarkupKind.PlainText, value: toPlainText(markdown) };
  return { contents, range: pos.spanToRange(h.span) };
}

export interface LensCommands {
  layout: string;
  controlCode: string;
}

export function toCodeLens(l: CodeLensInfo, uri: string, commands: LensCommands): CodeLens {
  const range = locRange(l.loc, 0);
  const position = range.start;
  const command =
    l.target.kind === 'record'
      ? { title: l.title, command: commands.layout, arguments: [uri, position, l.target.key] }
      : { title: l.title, command: commands.controlCode, arguments: [uri, position, l.target.value] };
  return { range, command };
}

export function toInlayHint(h: InlayHintInfo, pos: TextPositions): InlayHint {
  return { position: pos.offsetToPosition(h.offset), label: h.label, kind: InlayHintKind.Type, tooltip: h.tooltip, paddingLeft: h.padding };
}

// ---------------------------------------------------------------- symbols and navigation

const symbolKinds: Record<SymbolKindName, SymbolKind> = {
  struct: SymbolKind.Struct,
  union: SymbolKind.Struct,
  field: SymbolKind.Field,
  enum: SymbolKind.Enum,
  enumMember: SymbolKind.EnumMember,
  ioctl: SymbolKind.Constant,
  typedef: SymbolKind.TypeParameter,
  macro: SymbolKind.Constant,
  function: SymbolKind.Function,
};

export function toDocumentSymbol(s: SymbolInfo): DocumentSymbol {
  const range = locRange(s.loc, s.end);
  const selectionRange = locRange(s.nameLoc, s.nameLength);
  // The selection must lie inside the full range.
  const inside = (p: Position) => (p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character)) && (p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character));
  const sel = inside(selectionRange.start) && inside(selectionRange.end) ? selectionRange : { start: range.start, end: range.start };
  return {
    name: s.name,
    detail: s.detail,
    kind: symbolKinds[s.kind],
    range,
    selectionRange: sel,
    children: s.children?.map(toDocumentSymbol),
  };
}

export function toSymbolInformation(s: SymbolInfo, uri: string, container?: string): SymbolInformation {
  return { name: s.name, kind: symbolKinds[s.kind], location: { uri, range: locRange(s.nameLoc, s.nameLength) }, containerName: container };
}

export function toLocation(d: DefinitionInfo, uriOf: (path: string) => string): Location {
  return { uri: uriOf(d.loc.file), range: locRange(d.loc, d.length) };
}

const completionKinds: Record<CompletionInfo['kind'], CompletionItemKind> = {
  constant: CompletionItemKind.Constant,
  keyword: CompletionItemKind.Keyword,
  struct: CompletionItemKind.Struct,
  value: CompletionItemKind.Value,
};

export function toCompletionItem(c: CompletionInfo, pos: TextPositions): CompletionItem {
  return {
    label: c.label,
    kind: completionKinds[c.kind],
    detail: c.detail,
    documentation: c.documentation,
    textEdit: { range: pos.spanToRange(c.replace), newText: c.insertText ?? c.label },
  };
}
