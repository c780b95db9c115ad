/** Findings: what a rule reports, and what every output format renders. */
import type { SourceRange } from '../core/range.js';

export type Severity = 'error' | 'warning' | 'notice';

export const SEVERITY_ORDER: Readonly<Record<Severity, number>> = {
  notice: 1,
  warning: 2,
  error: 3,
};

export interface RelatedLocation {
  readonly range: SourceRange;
  readonly resource?: string;
  readonly message: string;
}

export interface Fix {
  readonly description: string;
  /** Where safe: an exact replacement for `range`'s lines (used for GitHub suggestions). */
  readonly replacement?: { readonly range: SourceRange; readonly text: string };
}

/** What a rule hands to `report()`; the engine adds rule id, severity default and fingerprint. */
export interface FindingInput {
  readonly message: string;
  /** The most specific node a reviewer must read: the statement, or the condition key. */
  readonly range: SourceRange;
  /** CloudFormation logical id, Terraform address, or the file path for file-level problems. */
  readonly resource: string;
  /** Overrides the rule's default severity (e.g. error → warning when no endpoint is in scope). */
  readonly severity?: Severity;
  readonly related?: readonly RelatedLocation[];
  readonly fix?: Fix;
  /**
   * What identifies this problem independently of formatting and line numbers: typically the
   * statement's Sid or canonical hash, and the condition key. Rule id, file and resource are
   * added by the engine.
   */
  readonly identity: readonly string[];
}

/**
 * Set only when a base version was compared (a pull request, `scan --base`): `new` when no
 * finding with the same fingerprint exists in the base, else `existing`. Findings of the base
 * that are gone from the head are reported separately as fixed.
 */
export type FindingStatus = 'new' | 'existing';

export interface Finding {
  readonly status?: FindingStatus;
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly range: SourceRange;
  readonly resource: string;
  readonly related: readonly RelatedLocation[];
  readonly fix?: Fix;
  readonly fingerprint: string;
  /** `docs/rules/<id>.md` */
  readonly helpUri: string;
}

/** Why a finding is not reported as a problem: who accepted it, where, and why. */
export interface Suppression {
  /** An inline comment, a CloudFormation `Metadata` entry, the config file, or a slash command. */
  readonly source: 'inline' | 'metadata' | 'config' | 'command';
  readonly reason: string;
  /** Where the suppression is written (absent for slash commands). */
  readonly range?: SourceRange;
  /** Who accepted it (slash commands). */
  readonly by?: string;
}

/** A finding that a suppression matched: counted and listed, never silently dropped. */
export interface SuppressedFinding {
  readonly finding: Finding;
  readonly suppression: Suppression;
}
