/**
 * The JSON report, version 1. Its shape is a published contract (scripts and dashboards parse
 * it), so every field is listed explicitly here rather than spreading internal objects: adding
 * a field to `Finding` must not silently change the output.
 */
import type { Finding, RelatedLocation } from '../findings/finding.js';
import type { ReportData } from './types.js';

export interface JsonRelated {
  readonly file: string;
  readonly startLine: number;
  readonly resource: string | null;
  readonly message: string;
}

export interface JsonFinding {
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

export interface JsonReport {
  readonly version: 1;
  readonly findings: readonly JsonFinding[];
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

export function toJsonReport(data: ReportData): JsonReport {
  return {
    version: 1,
    findings: data.findings.map(findingToJson),
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
