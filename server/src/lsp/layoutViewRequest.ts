/**
 * The custom request `ioctlLens/layoutView`: the layout view's model of the
 * record at a position (or named by its key) in an open document. The model
 * is built by the core (`core/layoutView.ts`); this file only finds the
 * record, turns source paths into URIs the client can open, and guards the
 * handler (a failure is logged and answered with null, never fatal).
 */

import type { CancellationToken, Connection } from 'vscode-languageserver';
import { type LayoutViewModel, type LayoutViewSource, buildLayoutView } from '../core/layoutView';
import { textPositions } from './convert';
import type { DocContext } from './facts';
import { recordAt } from './languageService';

export const layoutViewRequest = 'ioctlLens/layoutView';

export interface LayoutViewParams {
  uri: string;
  /** 0-based LSP position: the record under it (on its name, a member, or inside its body). */
  position?: { line: number; character: number };
  /** A record's key (tag or typedef name), as code lenses carry it. */
  record?: string;
}

/** A source location the client can reveal: the URI plus the core's 1-based line and column. */
export type LayoutViewSourceRef = LayoutViewSource & { uri: string };

export interface LayoutViewResult {
  uri: string;
  version: number;
  model: LayoutViewModel;
}

export interface LayoutViewDeps {
  /** The document's current analysis (waits for it), or undefined. */
  get(uri: string): Promise<(DocContext & { uri: string; version: number }) | undefined>;
  uriOf(path: string): string;
  log(message: string): void;
}

/** Answers the request for one analysed document; exported for tests. */
export function layoutViewFor(doc: DocContext & { uri: string; version: number }, params: LayoutViewParams, uriOf: (path: string) => string): LayoutViewResult | null {
  let model: LayoutViewModel | undefined;
  if (typeof params.record === 'string' && params.record) model = buildLayoutView(doc.analysis, { record: params.record });
  if (!model && params.position && typeof params.position.line === 'number' && typeof params.position.character === 'number') {
    const offset = textPositions(doc.path, doc.text).positionToOffset(params.position);
    const facts = recordAt(doc, offset);
    model = facts ? buildLayoutView(doc.analysis, { record: facts.key }) : buildLayoutView(doc.analysis, { file: doc.path, offset });
  }
  if (!model) return null;
  // Built-in headers (the prelude, `<builtin>/...`) have no file to reveal.
  const withUri = (s: LayoutViewSource | undefined): LayoutViewSourceRef | undefined => (s && !s.file.startsWith('<') ? { ...s, uri: uriOf(s.file) } : undefined);
  model.source = withUri(model.source);
  for (const m of model.members) m.source = withUri(m.source);
  return { uri: doc.uri, version: doc.version, model };
}

export function registerLayoutView(connection: Connection, deps: LayoutViewDeps): void {
  connection.onRequest(layoutViewRequest, async (params: LayoutViewParams, token: CancellationToken): Promise<LayoutViewResult | null> => {
    try {
      if (!params || typeof params.uri !== 'string') return null;
      const doc = await deps.get(params.uri);
      if (!doc || token.isCancellationRequested) return null;
      return layoutViewFor(doc, params, deps.uriOf);
    } catch (err) {
      deps.log(`${layoutViewRequest} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return null;
    }
  });
}
