/**
 * `Deny` + `NotIpAddress aws:SourceIp`: requests through a VPC endpoint carry no
 * `aws:SourceIp`, and a negated operator on an absent key is true, so the Deny matches every
 * request through the endpoint unless something else in the statement exempts endpoint
 * traffic. Whether something does is asked of the evaluator (an `aws:SourceVpce` OR-list, an
 * `…IfExists`, a `Null` test…), never decided by pattern.
 */
import { policiesOf } from '../iac/model.js';
import type { RelatedLocation } from '../findings/finding.js';
import { conditionsApply } from './support/distinct-ids.js';
import { defineRule } from './define-rule.js';
import type { RuleSettings } from './settings.js';
import { clauseIdentity } from './support/identity.js';
import { clauseRange } from './support/ranges.js';
import {
  describePolicyOwner,
  describeStatement,
  endpointTargetsFor,
} from './support/policy-targets.js';
import { coversS3Action } from './support/s3-actions.js';
import { reportAcrossVariants, type VariantFinding } from './support/variants.js';

/**
 * Is endpoint traffic certain enough to block merging? `auto`: an S3 endpoint is in scope or
 * the config lists one; `always`: endpoints are managed elsewhere; `never`: the Deny only
 * matters if one is added later, which is worth a warning.
 */
function endpointInUse(settings: RuleSettings, inScope: boolean): boolean {
  switch (settings.assumeEndpoint) {
    case 'always':
      return true;
    case 'never':
      return false;
    case 'auto':
      return inScope || settings.endpoints.length > 0;
  }
}

export default defineRule({
  id: 'sourceip-deny-blocks-endpoint',
  title: 'A Deny on NotIpAddress aws:SourceIp blocks every request through an S3 VPC endpoint',
  severity: 'error',
  docs: {
    description:
      'A Deny statement with NotIpAddress on aws:SourceIp and no exemption for endpoint traffic denies every request that reaches S3 through a VPC endpoint, because such requests carry no aws:SourceIp.',
    source:
      'Amazon VPC User Guide, "Gateway endpoints for Amazon S3" (using Amazon S3 bucket policies); IAM policy evaluation logic (negated condition operators on absent keys).',
  },
  check(ctx) {
    for (const { resource, policy } of policiesOf(ctx.scope)) {
      const targets = endpointTargetsFor(ctx.scope, resource);
      if (targets.length === 0) continue;
      const endpointUsed = endpointInUse(
        ctx.settings,
        targets.some((t) => t.endpoint !== undefined),
      );
      const owner = describePolicyOwner(resource, policy);
      reportAcrossVariants(
        policy,
        (variant) => {
          const found: VariantFinding[] = [];
          for (const statement of variant.document.statements) {
            if (statement.effect !== 'Deny') continue;
            const ipClauses = statement.conditions.filter(
              (c) => c.keyLower === 'aws:sourceip' && c.operator.base === 'NotIpAddress',
            );
            if (ipClauses.length === 0) continue;
            if (coversS3Action(statement) !== true) continue;
            const blocked = targets.filter((t) => conditionsApply(statement, t.keys) === true);
            if (blocked.length === 0) continue;
            const endpoints = blocked.flatMap((t) => (t.endpoint ? [t.endpoint] : []));
            const related: RelatedLocation[] = endpoints.map((e) => ({
              range: e.range,
              resource: e.address,
              message: `requests through ${e.address} carry no aws:SourceIp`,
            }));
            const through =
              endpoints.length > 0
                ? `S3 endpoint ${endpoints.map((e) => e.address).join(', ')}`
                : 'any VPC endpoint';
            const exemptWith =
              endpoints.length > 0
                ? endpoints
                    .map((e) =>
                      e.format === 'terraform' ? `${e.address}.id` : `!Ref ${e.address}`,
                    )
                    .join(', ')
                : 'your endpoint ID';
            for (const clause of ipClauses) {
              found.push({
                message: `The ${owner} denies every request through ${through}: its Deny ${describeStatement(statement)} uses ${clause.operator.raw} on ${clause.key}, which endpoint requests do not carry`,
                range: clauseRange(clause),
                resource: resource.address,
                ...(endpointUsed ? {} : { severity: 'warning' as const }),
                related,
                fix: {
                  description: `Exempt endpoint traffic in the same statement: add StringNotEqualsIfExists: { aws:SourceVpce: ${exemptWith} } (or aws:SourceVpc with the VPC ID).`,
                },
                identity: clauseIdentity(policy, statement, clause),
              });
            }
          }
          return found;
        },
        ctx.report,
      );
    }
  },
});
