/**
 * The format-independent half of reading a policy: a resolved policy `Value` (possibly holding
 * conditionals) → a `PolicyRef` with one parsed document per branch combination, or the reason
 * it cannot be evaluated. Unknown parts inside an otherwise readable policy are listed as
 * diagnostics so the run says what it could not see. Each IaC adapter resolves its own syntax
 * (CloudFormation intrinsics, Terraform expressions) into the `Value` first.
 */
import type { SourceRange } from '../core/range.js';
import type { Assumption, Value } from '../core/value.js';
import { conditionsOf, coveringVariants, expandVariants } from '../core/value.js';
import type { PolicyRef, PolicyRole, PolicyVariant, ScopeDiagnostic } from './model.js';
import type { ParseOptions } from '../policy/parse.js';
import { parsePolicyDocument } from '../policy/parse.js';
import type { PolicyDocument } from '../policy/types.js';

export const PRINCIPAL_BY_ROLE: Readonly<Record<PolicyRole, ParseOptions['principal']>> = {
  endpoint: 'optional',
  bucket: 'required',
  identity: 'forbidden',
};

export interface BuiltPolicy {
  readonly policy: PolicyRef;
  readonly diagnostics: readonly ScopeDiagnostic[];
}

/** Text that should have been JSON but is not: the stand-in value maps to the problem. */
export interface JsonProblem {
  readonly message: string;
  readonly range: SourceRange;
}

export interface PolicyInput {
  readonly role: PolicyRole;
  /** The resolved policy value (map, or a conditional of maps, or unknown). */
  readonly value: Value;
  /** The whole policy property, for findings about the policy as a whole. */
  readonly range: SourceRange;
  /** Where "policy not evaluated" diagnostics point: the property's value. */
  readonly valueRange: SourceRange;
  readonly name?: string;
  /** Conditions the policy already sits under (an inline policy inside a conditional). */
  readonly extraAssumptions?: readonly Assumption[];
  /** The resource's own condition: it holds wherever the resource exists. */
  readonly resourceCondition?: string;
  /** Stand-in values for JSON text that failed to parse. */
  readonly jsonProblem?: (value: Value) => JsonProblem | undefined;
}

export function buildPolicyRef(input: PolicyInput): BuiltPolicy {
  const { role, value, range, valueRange, name, resourceCondition } = input;
  const extraAssumptions = input.extraAssumptions ?? [];
  const diagnostics: ScopeDiagnostic[] = [];
  const base = { role, range, ...(name !== undefined ? { name } : {}) };
  const unresolved = (reason: string): BuiltPolicy => ({
    policy: { ...base, variants: [], unresolved: reason },
    diagnostics: [
      ...diagnostics,
      { kind: 'unresolved', message: `policy not evaluated: ${reason}`, range: valueRange },
    ],
  });

  if (value.kind === 'unknown') return unresolved(value.reason);
  let expanded = expandVariants(value);
  if (!expanded) {
    // Policies with one conditional per statement have more combinations than can be
    // enumerated; check a covering subset and say so.
    expanded = coveringVariants(value);
    diagnostics.push({
      kind: 'unresolved',
      message: `policy depends on ${conditionsOf(value).length} conditions: only ${expanded.length} of their combinations were checked`,
      range: valueRange,
    });
  }

  const variants: PolicyVariant[] = [];
  for (const variant of expanded) {
    // A branch that removes the policy (`!Ref AWS::NoValue`) has no policy to check.
    if (variant.value.kind === 'absent') continue;
    // The resource exists only when its own condition holds: branches assuming otherwise never
    // deploy, and the assumption that it holds says nothing new.
    if (variant.assumptions.some((a) => a.condition === resourceCondition && !a.value)) continue;
    const assumptions = [...extraAssumptions, ...variant.assumptions].filter(
      (a) => a.condition !== resourceCondition,
    );
    if (variant.value.kind === 'unknown') {
      if (expanded.length === 1) return unresolved(variant.value.reason);
      diagnostics.push({
        kind: 'unresolved',
        message: `policy not evaluated when ${describe(assumptions)}: ${variant.value.reason}`,
        range: variant.value.range,
      });
      continue;
    }
    const problem = input.jsonProblem?.(variant.value);
    const document: PolicyDocument = problem
      ? {
          statements: [],
          diagnostics: [{ code: 'bad-json', message: problem.message, range: problem.range }],
          range: variant.value.range,
        }
      : parsePolicyDocument(variant.value, { principal: PRINCIPAL_BY_ROLE[role] });
    collectUnknowns(variant.value, diagnostics);
    variants.push({ assumptions, document });
  }
  return { policy: { ...base, variants }, diagnostics: dedupeDiagnostics(diagnostics) };
}

function describe(assumptions: readonly Assumption[]): string {
  return assumptions.map((a) => `${a.condition} is ${a.value}`).join(' and ') || 'always';
}

/** Every unknown leaf: the parts of the policy the run could not resolve. */
function collectUnknowns(value: Value, into: ScopeDiagnostic[]): void {
  switch (value.kind) {
    case 'unknown':
      into.push({ kind: 'unresolved', message: value.reason, range: value.range });
      return;
    case 'list':
      value.items.forEach((item) => collectUnknowns(item, into));
      return;
    case 'map':
      value.entries.forEach((entry) => collectUnknowns(entry.value, into));
      return;
    default:
      return;
  }
}

/** Drops repeated diagnostics (same kind, place and message). */
export function dedupeDiagnostics(diagnostics: readonly ScopeDiagnostic[]): ScopeDiagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.kind}|${rangeKey(d.range)}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function rangeKey(range: SourceRange): string {
  return `${range.file}:${range.startLine}:${range.startColumn}-${range.endLine}:${range.endColumn}`;
}
