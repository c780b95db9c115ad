/**
 * A Deny whose condition tests a key that does not exist. IAM treats a missing key as absent,
 * and negated operators (`StringNotEquals`, `NotIpAddress`, …), `…IfExists` operators and
 * `ForAllValues` are all true for an absent key. So `Deny` + `StringNotEquals aws:sourceVpceId`
 * (a typo of `aws:SourceVpce`) is not "deny unless through my endpoint": it denies every
 * request. Whether the clause is true for an absent key is asked of the evaluator, not guessed
 * from the operator's name, so `Null` and set operators are handled exactly as IAM does.
 */
import { defineRule } from './define-rule.js';
import type { PolicyRef, Resource } from '../iac/model.js';
import { evaluateClause } from '../policy/evaluate.js';
import type { ConditionClause, PolicyDocument } from '../policy/types.js';
import { clauseIdentity } from './support/identity.js';
import { checkEachPolicyVariant, type VariantFinding } from './support/variants.js';
import {
  closestConditionKey,
  isCheckableConditionKey,
  isKnownConditionKey,
} from './data/condition-keys.js';
import { policyLabel, statementLabel } from './data/labels.js';

/** True when the clause holds for a request that does not carry its key. */
function trueWhenAbsent(clause: ConditionClause): boolean {
  return evaluateClause(clause, { [clause.keyLower]: { kind: 'absent' } }) === true;
}

function findingsIn(
  resource: Resource,
  policy: PolicyRef,
  document: PolicyDocument,
): VariantFinding[] {
  const findings: VariantFinding[] = [];
  for (const statement of document.statements) {
    if (statement.effect !== 'Deny') continue;
    for (const clause of statement.conditions) {
      if (!isCheckableConditionKey(clause.key) || isKnownConditionKey(clause.key)) continue;
      if (!trueWhenAbsent(clause)) continue;
      const suggestion = closestConditionKey(clause.key);
      const consequence =
        statement.conditions.length === 1
          ? 'so the condition is always true and the Deny applies to every request it covers'
          : 'so this condition is always true and does not limit the Deny at all';
      findings.push({
        message:
          `${resource.address}: the Deny ${statementLabel(statement)} of the ` +
          `${policyLabel(policy)} tests ${clause.key} with ${clause.operator.raw}, but no ` +
          `request carries a key of that name, ${consequence}`,
        range: clause.keyRange,
        resource: resource.address,
        fix: {
          description:
            suggestion !== undefined
              ? `Did you mean ${suggestion}? Correct the condition key.`
              : 'Correct the condition key to one AWS defines (see the global condition keys page).',
        },
        identity: clauseIdentity(policy, statement, clause),
      });
    }
  }
  return findings;
}

export default defineRule({
  id: 'negated-condition-unknown-key',
  title: 'A Deny tests a condition key that does not exist with an operator true for absent keys',
  severity: 'error',
  docs: {
    description:
      'A condition key that AWS does not define is never present in a request. Negated operators, ' +
      '…IfExists operators and ForAllValues are true when the key is absent, so such a clause is ' +
      'always true and the Deny it belongs to applies to every request it names.',
    source:
      'IAM User Guide, "Condition operators" (negated operators and absent keys) and "AWS global ' +
      'condition context keys": https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html',
  },
  check({ scope, report }) {
    checkEachPolicyVariant(scope, report, (resource, policy, variant) =>
      findingsIn(resource, policy, variant.document),
    );
  },
});
