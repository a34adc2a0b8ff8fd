/**
 * SARIF 2.1.0 from findings: one run, the rule catalogue as the tool's rules
 * (with help links and default levels), one result per finding with its
 * primary and related locations and its fixes. Pure: paths are made relative
 * to a base folder given by the caller and named `%SRCROOT%`, so the log is
 * portable between machines (code-scanning dashboards resolve it against the
 * checkout).
 */

import type * as Sarif from 'sarif';
import type { Diagnostic, Severity } from './diagnostics';
import { type RuleId, ruleIds, rules } from './checks/catalogue';
import { fingerprint } from './checks/index';
import type { Finding } from './checks/context';
import type { BaselineSummary } from './baseline';
import type { Loc } from './source';

export interface SarifOptions {
  /** Absolute folder the artifact URIs are relative to (normalised, forward slashes). */
  baseDir: string;
  toolVersion: string;
  /** Where the rule documentation lives (`https://.../docs/rules/`); default: relative `docs/rules/` links. */
  docsBase?: string;
  /**
   * Errors in the input the findings stand on (`#error`, a missing
   * `#include` ...): the run's invocation carries them as tool execution
   * notifications, so a dashboard shows that the findings may be incomplete.
   */
  inputErrors?: readonly Diagnostic[];
  /**
   * The comparison with `check --baseline`'s file: every result is then
   * `baselineState: "new"` (the findings the baseline held are left out, not
   * written as `unchanged`; those it held that are gone are not written as
   * `absent`), and the run's `properties.baseline` carries the file and both
   * counts.
   */
  baseline?: BaselineSummary;
}

const level = (s: Severity): Sarif.Result.level => (s === 'info' ? 'note' : s);

function encodePath(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}

function artifact(file: string, baseDir: string): Sarif.ArtifactLocation {
  const base = baseDir.endsWith('/') ? baseDir : baseDir + '/';
  if (file.startsWith(base)) return { uri: encodePath(file.slice(base.length)), uriBaseId: '%SRCROOT%' };
  return { uri: absoluteUri(file) };
}

/** The SARIF `partialFingerprints` key of the fingerprint `check --baseline` reads back. */
export const fingerprintKey = 'ioctlLens/v2';

/**
 * A finding's fingerprint as reports carry it (SARIF, JSON, the editor's
 * `Diagnostic.data`): the file is named as the SARIF artifact is, relative to
 * `baseDir` when under it, so a baseline written in one checkout matches
 * another. Without `baseDir`, the absolute file.
 */
export function reportedFingerprint(f: Finding, baseDir?: string): string {
  return fingerprint(f, baseDir === undefined ? absoluteUri(f.loc.file) : artifact(f.loc.file, baseDir).uri);
}

function absoluteUri(file: string): string {
  if (file.startsWith('/')) return 'file://' + encodePath(file);
  if (/^[A-Za-z]:\//.test(file)) return 'file:///' + encodePath(file);
  return encodePath(file);
}

function region(start: Loc, end?: Loc): Sarif.Region {
  const r: Sarif.Region = { startLine: start.line, startColumn: start.col };
  if (end && end.file === start.file && (end.line > start.line || (end.line === start.line && end.col > start.col))) {
    r.endLine = end.line;
    r.endColumn = end.col;
  }
  return r;
}

export function buildSarif(findings: readonly Finding[], options: SarifOptions): Sarif.Log {
  const baseUri = 'file://' + encodePath(options.baseDir.endsWith('/') ? options.baseDir : options.baseDir + '/');
  const index = new Map<RuleId, number>(ruleIds.map((id, i) => [id, i]));
  const helpUri = (id: RuleId) => (options.docsBase ? options.docsBase.replace(/\/?$/, '/') + `${id}.md` : rules[id].doc);
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'ioctl-lens',
            version: options.toolVersion,
            semanticVersion: options.toolVersion,
            rules: ruleIds.map((id) => ({
              id,
              name: id.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase()),
              shortDescription: { text: rules[id].title },
              helpUri: helpUri(id),
              help: { text: `${rules[id].title}. See ${rules[id].doc}.` },
              defaultConfiguration: { level: level(rules[id].defaultSeverity) },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: baseUri } },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: (options.inputErrors ?? []).map((d) => ({
              level: level(d.severity),
              message: { text: d.message },
              descriptor: { id: d.code },
              locations: [{ physicalLocation: { artifactLocation: artifact(d.loc.file, options.baseDir), region: region(d.loc) } }],
            })),
          },
        ],
        results: findings.map((f) => {
          const result: Sarif.Result = {
            ruleId: f.rule,
            ruleIndex: index.get(f.rule),
            level: level(f.severity),
            message: { text: f.message },
            locations: [
              {
                physicalLocation: { artifactLocation: artifact(f.loc.file, options.baseDir), region: region(f.loc, f.end) },
                logicalLocations: [{ name: f.symbol, kind: /^(IOCTL|FSCTL)_/.test(f.symbol) ? 'macro' : 'type' }],
              },
            ],
            // v1 (rule and symbol) is kept for existing baselines; v2 tells apart findings on one symbol (members, files, numbers).
            partialFingerprints: { 'ioctlLens/v1': `${f.rule}:${f.symbol}`, [fingerprintKey]: reportedFingerprint(f, options.baseDir) },
          };
          if (options.baseline) result.baselineState = 'new';
          if (f.related.length) {
            result.relatedLocations = f.related.map((r, i) => ({
              id: i + 1,
              physicalLocation: { artifactLocation: artifact(r.loc.file, options.baseDir), region: region(r.loc) },
              message: { text: r.message },
            }));
          }
          if (f.flow?.length) {
            // The path that proves the finding: registration, calls, case, calls, use.
            result.codeFlows = [
              {
                threadFlows: [
                  {
                    locations: f.flow.map((step) => ({
                      location: { physicalLocation: { artifactLocation: artifact(step.loc.file, options.baseDir), region: region(step.loc) }, message: { text: step.message } },
                    })),
                  },
                ],
              },
            ];
          }
          if (f.fixes?.length) {
            result.fixes = f.fixes.map((fix) => ({
              description: { text: fix.title },
              artifactChanges: fix.edits.map((e) => ({
                artifactLocation: artifact(e.file, options.baseDir),
                replacements: [{ deletedRegion: region(e.start, e.end), insertedContent: { text: e.newText } }],
              })),
            }));
          }
          return result;
        }),
        columnKind: 'utf16CodeUnits',
        ...(options.baseline ? { properties: { baseline: { ...options.baseline } } } : {}),
      },
    ],
  };
}
