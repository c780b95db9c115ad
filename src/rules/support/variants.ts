/**
 * Reporting across `!If` variants of one policy. Each variant is parsed separately, so a
 * problem outside any `!If` shows up once per variant: it is reported once, without naming
 * conditions. A problem found in only some variants is reported per variant, naming the
 * assumptions ("when IsProd is true"), as a reviewer must know which deployment is affected.
 */
import type { Assumption } from '../../core/value.js';
import type { FindingInput } from '../../findings/finding.js';
import {
  policiesOf,
  type PolicyRef,
  type PolicyVariant,
  type Resource,
  type Scope,
} from '../../iac/model.js';
import { assumptionIdentity, withAssumptions } from './assumptions.js';

/** What a rule found in one variant; `message` has no final period (assumptions get appended). */
export interface VariantFinding extends Omit<FindingInput, 'message'> {
  readonly message: string;
}

export function reportAcrossVariants(
  policy: PolicyRef,
  check: (variant: PolicyVariant) => readonly VariantFinding[],
  report: (finding: FindingInput) => void,
): void {
  const total = policy.variants.length;
  const byKey = new Map<string, { finding: VariantFinding; assumptions: Assumption[][] }>();
  for (const variant of policy.variants) {
    for (const finding of check(variant)) {
      // The same message at the same place = the same problem seen in another variant. (Not
      // the identity: a statement's canonical hash differs between variants whenever an `!If`
      // inside it does, although the problem reported is the same.)
      const key = JSON.stringify([
        finding.message,
        finding.range.file,
        finding.range.startLine,
        finding.range.startColumn,
      ]);
      const entry = byKey.get(key);
      if (entry) entry.assumptions.push([...variant.assumptions]);
      else byKey.set(key, { finding, assumptions: [[...variant.assumptions]] });
    }
  }
  for (const { finding, assumptions } of byKey.values()) {
    if (assumptions.length === total) {
      report({ ...finding, message: `${finding.message}.` });
      continue;
    }
    for (const a of assumptions) {
      report({
        ...finding,
        message: `${withAssumptions(finding.message, a)}.`,
        identity: [...finding.identity, ...assumptionIdentity(a)],
      });
    }
  }
}

/** The usual shape of a rule: look at each variant of every policy in the scope on its own. */
export function checkEachPolicyVariant(
  scope: Scope,
  report: (finding: FindingInput) => void,
  check: (
    resource: Resource,
    policy: PolicyRef,
    variant: PolicyVariant,
  ) => readonly VariantFinding[],
): void {
  for (const { resource, policy } of policiesOf(scope)) {
    reportAcrossVariants(policy, (variant) => check(resource, policy, variant), report);
  }
}
