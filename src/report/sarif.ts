/**
 * SARIF 2.1.0, for GitHub code scanning and other SARIF viewers. Rule metadata comes from the
 * registry, so `ruleIndex` points into `tool.driver.rules`; fingerprints go into
 * `partialFingerprints` so code scanning recognises the same alert across pushes.
 */
import type { SourceRange } from '../core/range.js';
import type { Finding, FindingStatus, Severity, Suppression } from '../findings/finding.js';
import type { Rule } from '../rules/define-rule.js';
import { INVALID_SUPPRESSION } from '../findings/suppression/apply.js';

const invalidSuppressionDescriptor: Pick<Rule, 'id' | 'title' | 'severity' | 'docs'> = {
  id: INVALID_SUPPRESSION.id,
  title: INVALID_SUPPRESSION.title,
  severity: INVALID_SUPPRESSION.severity,
  docs: {
    description:
      'A suppression (inline comment, Metadata entry or config ignore) without a reason, naming an unknown rule, or matching no finding.',
    source: 's3-endpoint-guard suppressions (docs/suppressions.md)',
  },
};
import type { ReportData } from './types.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const FINGERPRINT_KEY = 's3EndpointGuard/v1';

export interface SarifOptions {
  readonly toolName: string;
  readonly toolVersion: string;
  /** The project's home page; relative rule doc links are resolved against `docsBaseUri`. */
  readonly informationUri: string;
  /** Where `docs/rules/<id>.md` is browsable, ending in `/`. */
  readonly docsBaseUri: string;
  /** The rules that ran, in registry order. */
  readonly rules: readonly Rule[];
}

type SarifLevel = 'error' | 'warning' | 'note';

const LEVEL: Readonly<Record<Severity, SarifLevel>> = {
  error: 'error',
  warning: 'warning',
  notice: 'note',
};

/** `sourceip-deny-blocks-endpoint` → `SourceipDenyBlocksEndpoint`, SARIF's conventional rule name. */
export function ruleName(id: string): string {
  return id
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** A root-relative path as a relative URI reference: each segment percent-encoded. */
export function fileUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function absoluteUri(uri: string, base: string): string {
  try {
    return new URL(uri, base).href;
  } catch {
    return uri;
  }
}

function region(range: SourceRange): Record<string, number> {
  const out: Record<string, number> = { startLine: range.startLine, endLine: range.endLine };
  // A whole-line range (no real columns) must not become an empty insertion-point region.
  const hasColumns = range.endLine > range.startLine || range.endColumn > range.startColumn;
  if (hasColumns) {
    out.startColumn = range.startColumn;
    out.endColumn = range.endColumn;
  }
  return out;
}

function physicalLocation(range: SourceRange): Record<string, unknown> {
  return { artifactLocation: { uri: fileUri(range.file) }, region: region(range) };
}

const BASELINE_STATE: Readonly<Record<FindingStatus, 'new' | 'unchanged'>> = {
  new: 'new',
  existing: 'unchanged',
};

/**
 * A suppression written next to the code (comment, `Metadata`) is `inSource`; one kept
 * elsewhere (the config file, a slash command) is `external`. The reason is the justification.
 */
function sarifSuppression(suppression: Suppression): Record<string, unknown> {
  return {
    kind:
      suppression.source === 'inline' || suppression.source === 'metadata'
        ? 'inSource'
        : 'external',
    status: 'accepted',
    justification: suppression.reason,
    ...(suppression.range
      ? { location: { physicalLocation: physicalLocation(suppression.range) } }
      : {}),
  };
}

export function toSarif(data: ReportData, options: SarifOptions): Record<string, unknown> {
  const docsUri = (helpUri: string): string => absoluteUri(helpUri, options.docsBaseUri);
  // Problems with suppressions are reported under a pseudo-rule that is not in the registry;
  // it is described only when such a finding exists, so every ruleIndex resolves.
  const described: readonly Pick<Rule, 'id' | 'title' | 'severity' | 'docs'>[] = data.findings.some(
    (f) => f.ruleId === INVALID_SUPPRESSION.id,
  )
    ? [...options.rules, invalidSuppressionDescriptor]
    : options.rules;
  const ruleIndex = new Map(described.map((rule, index) => [rule.id, index]));

  const rules = described.map((rule) => ({
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.docs.description },
    helpUri: docsUri(
      rule.id === INVALID_SUPPRESSION.id ? INVALID_SUPPRESSION.docs : `docs/rules/${rule.id}.md`,
    ),
    help: { text: `${rule.docs.description}\nSource: ${rule.docs.source}` },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { tags: ['security', 'aws', 's3'] },
  }));

  const result = (finding: Finding, extra: Record<string, unknown>): Record<string, unknown> => {
    const index = ruleIndex.get(finding.ruleId);
    const fixText = finding.fix ? ` Fix: ${finding.fix.description}` : '';
    return {
      ruleId: finding.ruleId,
      ...(index === undefined ? {} : { ruleIndex: index }),
      level: LEVEL[finding.severity],
      message: { text: `${finding.message}${fixText}` },
      locations: [
        {
          physicalLocation: physicalLocation(finding.range),
          logicalLocations: [{ name: finding.resource, kind: 'resource' }],
        },
      ],
      relatedLocations: finding.related.map((related, id) => ({
        id,
        physicalLocation: physicalLocation(related.range),
        message: {
          text: related.resource ? `${related.resource}: ${related.message}` : related.message,
        },
      })),
      partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
      ...extra,
      ...(finding.fix ? { properties: { fix: finding.fix.description } } : {}),
    };
  };
  // baselineState only when a base was compared: without one, "new" would be a guess.
  const compared = data.base !== undefined;
  const state = (finding: Finding): Record<string, unknown> =>
    compared && finding.status ? { baselineState: BASELINE_STATE[finding.status] } : {};

  const results = [
    ...data.findings.map((finding) => result(finding, state(finding))),
    // Suppressed findings stay visible to SARIF viewers, which show them as dismissed.
    ...(data.suppressed ?? []).map((entry) =>
      result(entry.finding, {
        ...state(entry.finding),
        suppressions: [sarifSuppression(entry.suppression)],
      }),
    ),
    // Fixed findings are base results gone from the head: `absent`, at their base location.
    ...(compared ? (data.fixed ?? []) : []).map((finding) =>
      result(finding, { baselineState: 'absent' }),
    ),
  ];

  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: options.toolName,
            version: options.toolVersion,
            semanticVersion: options.toolVersion,
            informationUri: options.informationUri,
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            // Files that could not be scanned are tool notifications, not results: they are not
            // problems in the code, but the reader must know the scan was incomplete.
            toolExecutionNotifications: data.errors.map((error) => ({
              level: 'warning',
              message: { text: `${error.file}: ${error.message}` },
              locations: [{ physicalLocation: { artifactLocation: { uri: fileUri(error.file) } } }],
            })),
          },
        ],
        // Columns are JavaScript string offsets (the YAML parser's), i.e. UTF-16 code units.
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

export function renderSarif(data: ReportData, options: SarifOptions): string {
  return `${JSON.stringify(toSarif(data, options), null, 2)}\n`;
}
