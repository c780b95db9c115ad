/**
 * Policy documents as the evaluator sees them. Built from a `Value` (so references and source
 * ranges survive) by `parsePolicyDocument`; knows nothing of CloudFormation or Terraform.
 */
import type { SourceRange } from '../core/range.js';
import type { StringValue, UnknownValue } from '../core/value.js';

export type Effect = 'Allow' | 'Deny';

/** A policy string element: a (possibly symbolic) string, or unknown. */
export type PolicyString = StringValue | UnknownValue;

export interface PolicyDiagnostic {
  /** Short machine-readable code, e.g. `missing-effect`, `unknown-operator`, `bad-json`. */
  readonly code: string;
  readonly message: string;
  readonly range: SourceRange;
}

/** `Action`/`NotAction`, `Resource`/`NotResource`: `negated` is true for the `Not…` form. */
export interface PatternList {
  readonly negated: boolean;
  readonly items: readonly PolicyString[];
  readonly range: SourceRange;
}

export interface PrincipalEntry {
  /** `AWS`, `Service`, `Federated`, `CanonicalUser`, or `*` for the bare `"Principal": "*"`. */
  readonly type: string;
  readonly values: readonly PolicyString[];
}

export interface PrincipalBlock {
  /** True for `NotPrincipal`. */
  readonly negated: boolean;
  /** `"*"`, `{"AWS": "*"}` and `{"AWS": ["*"]}` all mean everyone. */
  readonly everyone: boolean;
  readonly entries: readonly PrincipalEntry[];
  readonly range: SourceRange;
}

export type SetQualifier = 'ForAnyValue' | 'ForAllValues' | undefined;

/** A parsed condition operator, e.g. `ForAnyValue:StringNotLikeIfExists`. */
export interface ConditionOperator {
  /** As written. */
  readonly raw: string;
  /** The base operator in canonical case, e.g. `StringNotLike`, `IpAddress`, `Null`. */
  readonly base: string;
  readonly ifExists: boolean;
  readonly qualifier: SetQualifier;
  /** True for operators that are true when the key is absent (`StringNotEquals`, `NotIpAddress`, …). */
  readonly negated: boolean;
}

/** One key under one operator: `"StringNotEquals": {"aws:SourceVpce": ["vpce-1", "vpce-2"]}`. */
export interface ConditionClause {
  readonly operator: ConditionOperator;
  /** As written (`aws:sourceVpce`). Matching is case-insensitive: use `keyLower`. */
  readonly key: string;
  readonly keyLower: string;
  readonly values: readonly PolicyString[];
  /** The operator's name in the source. */
  readonly operatorRange: SourceRange;
  readonly keyRange: SourceRange;
  /** The key and its values. */
  readonly range: SourceRange;
}

export interface Statement {
  /** 0-based position in the document. */
  readonly index: number;
  readonly sid?: string;
  readonly effect: Effect;
  /** Undefined when the statement has neither `Principal` nor `NotPrincipal` (identity policies). */
  readonly principal?: PrincipalBlock;
  readonly action: PatternList;
  /** Undefined when the statement has neither (endpoint policies may omit it: it means `*`). */
  readonly resource?: PatternList;
  /** ANDed: every clause must hold. */
  readonly conditions: readonly ConditionClause[];
  readonly range: SourceRange;
}

export interface PolicyDocument {
  readonly version?: string;
  readonly statements: readonly Statement[];
  /** Problems AWS would reject or that make the policy unreadable; statements with fatal problems are left out. */
  readonly diagnostics: readonly PolicyDiagnostic[];
  /**
   * Parts that could not be resolved and so are not in `statements` (an unknown `Statement`
   * list or item, an unknown `Effect`). Not problems AWS would reject: evaluation never gives a
   * definite allow or implicit deny while any exist. Absent when there are none.
   */
  readonly unresolved?: readonly PolicyDiagnostic[];
  readonly range: SourceRange;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** Three-valued truth: `unknown` when a symbolic or unknown value decides the answer. */
export type Tri = true | false | 'unknown';

/**
 * What the request context says about one condition key.
 * - `absent`: the request does not carry the key (e.g. `aws:SourceIp` through a VPC endpoint).
 * - `values`: present, with these values (possibly symbolic; several for multivalued keys).
 * - `any`: may be absent or have any value. Keys missing from the context are `any`.
 */
export type ContextValue =
  | { readonly kind: 'absent' }
  | { readonly kind: 'values'; readonly values: readonly PolicyString[] }
  | { readonly kind: 'any' };

export interface RequestContext {
  /** The calling principal's ARN (possibly symbolic); undefined = any principal. */
  readonly principal?: PolicyString;
  /** A literal action name, e.g. `s3:GetObject`. */
  readonly action: string;
  /** The resource ARN (possibly symbolic), e.g. `arn:aws:s3:::bucket/key`. */
  readonly resource: PolicyString;
  /** Condition keys, lower-cased. */
  readonly keys: Readonly<Record<string, ContextValue>>;
}

export interface EvaluationOptions {
  /**
   * How a clause on a key whose context is `any` counts.
   * - `unknown` (default): it could go either way, so the clause is `unknown`.
   * - `exists`: "is there some request like this one for which the statement applies?" —
   *   a clause on a free key counts as satisfiable (true).
   */
  readonly freeKeys?: 'unknown' | 'exists';
  /**
   * Values to assume for symbolic references when comparing, keyed by `SymbolicRef.id`,
   * e.g. `{ 'pseudo:AWS::Partition': 'aws' }` (the default).
   */
  readonly assume?: Readonly<Record<string, string>>;
}

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny' | 'unknown';

export interface StatementOutcome {
  readonly statement: Statement;
  /** Does the statement apply to the request (principal, action, resource and conditions)? */
  readonly applies: Tri;
  /** Per clause, in order: the clause's truth in this context. */
  readonly clauses: readonly Tri[];
}

export interface EvaluationResult {
  readonly decision: Decision;
  /** The statements that decided it: the matching Denys, else the matching Allows; for `unknown`, the undecided ones. */
  readonly deciding: readonly Statement[];
  readonly outcomes: readonly StatementOutcome[];
}
