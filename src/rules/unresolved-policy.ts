/**
 * A policy that could not be evaluated: its text comes from somewhere the scan cannot read
 * (`Fn::ImportValue`, a remote `AWS::Include`, a module output, a runtime path), or parts of it
 * could not be resolved. Every other rule stays silent about what it cannot see, so without this
 * notice an unreadable policy would look exactly like a clean one.
 */
import { defineRule } from './define-rule.js';
import { rangeContains } from '../core/range.js';
import { policiesOf, type PolicyRef, type Resource } from '../iac/model.js';
import type { FindingInput, RelatedLocation } from '../findings/finding.js';
import { policyLabel } from './data/labels.js';

function reason(text: string): string {
  return text.trim().replace(/[.\s]+$/, '');
}

export default defineRule({
  id: 'unresolved-policy',
  title: 'A policy in scope could not be evaluated',
  severity: 'notice',
  docs: {
    description:
      'A policy whose document (or part of it) comes from a value the scan cannot resolve: an ' +
      'imported value, a remote include, a module output or a runtime path. Its checks were ' +
      'skipped; this says so instead of passing silently.',
    source:
      'AWS CloudFormation User Guide, "Intrinsic function reference" (Fn::ImportValue, ' +
      'AWS::Include): https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html',
  },
  check({ scope, report }) {
    const policies = policiesOf(scope);

    for (const { resource, policy } of policies) {
      if (policy.unresolved === undefined) continue;
      report({
        message:
          `${resource.address}: the ${policyLabel(policy)} could not be evaluated ` +
          `(${reason(policy.unresolved)}), so it was not checked.`,
        range: policy.range,
        resource: resource.address,
        identity: [policy.name ?? policy.role, reason(policy.unresolved)],
      });
    }

    // Unresolved values inside an otherwise readable policy: the checks that depend on them
    // were skipped. One notice per policy (a Serverless template can have a dozen unresolved
    // variables in one policy), with every unresolved part as a related location. A policy
    // already reported as a whole is not reported again.
    const parts = new Map<PolicyRef, { resource: Resource; related: RelatedLocation[] }>();
    for (const diagnostic of scope.diagnostics) {
      if (diagnostic.kind !== 'unresolved') continue;
      const owner = policies.find(({ policy }) => rangeContains(policy.range, diagnostic.range));
      if (!owner || owner.policy.unresolved !== undefined) continue;
      const entry = parts.get(owner.policy) ?? { resource: owner.resource, related: [] };
      parts.set(owner.policy, entry);
      const duplicate = entry.related.some(
        (r) =>
          r.message === reason(diagnostic.message) &&
          r.range.startLine === diagnostic.range.startLine &&
          r.range.startColumn === diagnostic.range.startColumn,
      );
      if (!duplicate) {
        entry.related.push({
          range: diagnostic.range,
          resource: owner.resource.address,
          message: reason(diagnostic.message),
        });
      }
    }
    for (const [policy, { resource, related }] of parts) {
      report(partly(resource, policy, related));
    }
  },
});

/** At most this many reasons are quoted in the message; the rest are in the related locations. */
const QUOTED_REASONS = 2;

function partly(
  resource: Resource,
  policy: PolicyRef,
  related: readonly RelatedLocation[],
): FindingInput {
  const reasons = [...new Set(related.map((r) => r.message))];
  const quoted = reasons.slice(0, QUOTED_REASONS).join('; ');
  const more =
    reasons.length > QUOTED_REASONS ? `; and ${reasons.length - QUOTED_REASONS} more` : '';
  const places = related.length === 1 ? 'one value' : `${related.length} values`;
  return {
    message:
      `${resource.address}: ${places} in the ${policyLabel(policy)} could not be resolved ` +
      `(${quoted}${more}), so checks that depend on them were skipped.`,
    range: policy.range,
    resource: resource.address,
    related,
    // Not the reasons: one more unresolved variable must not make this a new finding.
    identity: [policy.name ?? policy.role, 'partly'],
  };
}
