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

export interface Finding {
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
