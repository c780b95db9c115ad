/**
 * The JSON report, version 1. Its shape is a published contract (scripts and dashboards parse
 * it), so every field is listed explicitly here rather than spreading internal objects: adding
 * a field to `Finding` must not silently change the output.
 */
import type {
  Finding,
  FindingStatus,
  RelatedLocation,
  Severity,
  SuppressedFinding,
  Suppression,
} from '../findings/finding.js';
import type { ReportData } from './types.js';

export interface JsonRelated {
  readonly file: string;
  readonly startLine: number;
  readonly resource: string | null;
  readonly message: string;
}

export interface JsonFinding {
  /** Only when a base version was compared. */
  readonly status?: FindingStatus;
  readonly ruleId: string;
  readonly severity: string;
  readonly message: string;
  readonly file: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly resource: string;
  readonly fingerprint: string;
  readonly helpUri: string;
  readonly related: readonly JsonRelated[];
  /** Omitted when the rule offers no fix. */
  readonly fix?: { readonly description: string };
}

export interface JsonSuppression {
  readonly source: Suppression['source'];
  readonly reason: string;
  /** Where the suppression is written; absent for slash commands. */
  readonly file?: string;
  readonly startLine?: number;
  readonly by?: string;
}

export interface JsonSuppressedFinding extends JsonFinding {
  readonly suppression: JsonSuppression;
}

export interface JsonSummary {
  /** Reported (unsuppressed) findings per severity. */
  readonly bySeverity: Readonly<Record<Severity, number>>;
  /** Only when a base version was compared. */
  readonly byStatus?: Readonly<Record<FindingStatus, number>>;
  readonly suppressed: number;
  readonly fixed: number;
}

/**
 * Version 1, extended additively for change awareness and suppressions: `summary` and
 * `suppressed` are always present; `base`, `fixed` and each finding's `status` only when a base
 * version was compared. A reader of the first version 1 sees the same fields as before.
 */
export interface JsonReport {
  readonly version: 1;
  /** The base version compared against (a git ref), when there was one. */
  readonly base?: string;
  readonly summary: JsonSummary;
  readonly findings: readonly JsonFinding[];
  /** Base findings whose fingerprint is gone from the head (with a base only). */
  readonly fixed?: readonly JsonFinding[];
  readonly suppressed: readonly JsonSuppressedFinding[];
  readonly files: readonly {
    readonly file: string;
    readonly format: string;
    readonly resources: number;
    readonly unresolved: number;
  }[];
  readonly errors: readonly { readonly file: string; readonly message: string }[];
}

function relatedToJson(related: RelatedLocation): JsonRelated {
  return {
    file: related.range.file,
    startLine: related.range.startLine,
    resource: related.resource ?? null,
    message: related.message,
  };
}

export function findingToJson(finding: Finding): JsonFinding {
  return {
    ...(finding.status ? { status: finding.status } : {}),
    ruleId: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    file: finding.range.file,
    startLine: finding.range.startLine,
    endLine: finding.range.endLine,
    resource: finding.resource,
    fingerprint: finding.fingerprint,
    helpUri: finding.helpUri,
    related: finding.related.map(relatedToJson),
    ...(finding.fix ? { fix: { description: finding.fix.description } } : {}),
  };
}

function suppressionToJson(suppression: Suppression): JsonSuppression {
  return {
    source: suppression.source,
    reason: suppression.reason,
    ...(suppression.range
      ? { file: suppression.range.file, startLine: suppression.range.startLine }
      : {}),
    ...(suppression.by !== undefined ? { by: suppression.by } : {}),
  };
}

function suppressedToJson(entry: SuppressedFinding): JsonSuppressedFinding {
  return { ...findingToJson(entry.finding), suppression: suppressionToJson(entry.suppression) };
}

export function summarise(data: ReportData): JsonSummary {
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, notice: 0 };
  const byStatus: Record<FindingStatus, number> = { new: 0, existing: 0 };
  for (const finding of data.findings) {
    bySeverity[finding.severity]++;
    if (finding.status) byStatus[finding.status]++;
  }
  return {
    bySeverity,
    ...(data.base !== undefined ? { byStatus } : {}),
    suppressed: data.suppressed?.length ?? 0,
    fixed: data.fixed?.length ?? 0,
  };
}

export function toJsonReport(data: ReportData): JsonReport {
  return {
    version: 1,
    ...(data.base !== undefined ? { base: data.base } : {}),
    summary: summarise(data),
    findings: data.findings.map(findingToJson),
    ...(data.base !== undefined ? { fixed: (data.fixed ?? []).map(findingToJson) } : {}),
    suppressed: (data.suppressed ?? []).map(suppressedToJson),
    files: data.files.map((f) => ({
      file: f.file,
      format: f.format,
      resources: f.resources,
      unresolved: f.unresolved,
    })),
    errors: data.errors.map((e) => ({ file: e.file, message: e.message })),
  };
}

export function renderJson(data: ReportData): string {
  return `${JSON.stringify(toJsonReport(data), null, 2)}\n`;
}
