/**
 * What every output format renders: a scan's findings, the files it analysed and the files it
 * could not. Kept structural so the engine's `ScanResult` fits without the report layer
 * depending on the engine.
 */
import type { Finding, SuppressedFinding } from '../findings/finding.js';

export interface ReportFile {
  readonly file: string;
  readonly format: string;
  readonly resources: number;
  readonly unresolved: number;
}

export interface ReportError {
  readonly file: string;
  readonly message: string;
}

export interface ReportSkipped {
  readonly file: string;
  readonly format: string;
  readonly reason: string;
}

export interface ReportData {
  readonly findings: readonly Finding[];
  readonly files: readonly ReportFile[];
  readonly errors: readonly ReportError[];
  readonly skipped?: readonly ReportSkipped[];
  readonly suppressed?: readonly SuppressedFinding[];
  /** With a base version: findings gone from the head. */
  readonly fixed?: readonly Finding[];
  readonly base?: string;
}
