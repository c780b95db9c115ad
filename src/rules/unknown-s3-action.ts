/**
 * An `s3:` action that Amazon S3 does not have (`s3:GetObjects`), or an `s3:` pattern that
 * matches none of its actions (`s3:Gett*`). IAM accepts such a statement without complaint and
 * it simply never matches a request: an Allow grants nothing, a Deny protects nothing, a
 * NotAction excludes nothing. Action names are compared case-insensitively, as IAM does, against
 * the action list in src/rules/data/s3-actions.ts. Names of S3 Express One Zone, S3 on Outposts
 * or S3 Object Lambda actions written with `s3:` are called out as such.
 */
import { defineRule } from './define-rule.js';
import type { PolicyRef, Resource } from '../iac/model.js';
import type { PolicyDocument } from '../policy/types.js';
import { statementIdentity } from './support/identity.js';
import { checkEachPolicyVariant, type VariantFinding } from './support/variants.js';
import {
  closestS3Action,
  hasWildcard,
  s3ActionName,
  s3ActionsMatching,
  siblingServiceOf,
} from './data/s3-actions.js';
import { policyLabel, statementLabel } from './data/labels.js';

function findingsIn(
  resource: Resource,
  policy: PolicyRef,
  document: PolicyDocument,
): VariantFinding[] {
  const findings: VariantFinding[] = [];
  for (const statement of document.statements) {
    for (const item of statement.action.items) {
      // Only literal names: `!Sub s3:${Action}` cannot be judged.
      if (item.kind !== 'string' || item.parts.length !== 1 || item.parts[0]?.kind !== 'text') {
        continue;
      }
      const written = item.parts[0].text;
      const name = s3ActionName(written);
      if (name === undefined || s3ActionsMatching(name).length > 0) continue;
      const element = statement.action.negated ? 'NotAction' : 'Action';
      const what = hasWildcard(name)
        ? `the pattern ${written} matches no Amazon S3 action`
        : `Amazon S3 has no action ${written}`;
      findings.push({
        message:
          `${resource.address}: in ${element} of ${statementLabel(statement)} of the ` +
          `${policyLabel(policy)}, ${what}, so it never matches a request`,
        range: item.range,
        resource: resource.address,
        fix: { description: fixFor(name) },
        identity: [statementIdentity(statement), written.toLowerCase()],
      });
    }
  }
  return findings;
}

function fixFor(name: string): string {
  const sibling = hasWildcard(name) ? undefined : siblingServiceOf(name);
  if (sibling !== undefined) {
    return `${name} is an action of the separate IAM service ${sibling}: write ${sibling}:${name}.`;
  }
  const closest = closestS3Action(name);
  return closest !== undefined
    ? `Did you mean s3:${closest}?`
    : 'Use an action from the Amazon S3 action list of the Service Authorization Reference.';
}

export default defineRule({
  id: 'unknown-s3-action',
  title: 'An s3: action or action pattern that Amazon S3 does not have',
  severity: 'warning',
  docs: {
    description:
      'An s3: action name that S3 does not define, or a wildcard pattern that matches none of its ' +
      'actions, never matches a request: the statement silently grants, denies or excludes nothing.',
    source:
      'Service Authorization Reference, "Actions, resources, and condition keys for Amazon S3": ' +
      'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html',
  },
  check({ scope, report }) {
    checkEachPolicyVariant(scope, report, (resource, policy, variant) =>
      findingsIn(resource, policy, variant.document),
    );
  },
});
