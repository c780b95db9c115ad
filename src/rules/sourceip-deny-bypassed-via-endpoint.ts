/**
 * `Deny` + `IpAddress aws:SourceIp`: meant to keep a range out, but requests through a VPC
 * endpoint carry no `aws:SourceIp`, a non-negated operator on an absent key is false, and the
 * Deny never applies to them. Clients in that range (their private addresses, or anyone routed
 * through an endpoint) get in when another statement allows them.
 */
import { policiesOf } from '../iac/model.js';
import type { RelatedLocation } from '../findings/finding.js';
import { evaluateConditions } from '../policy/evaluate.js';
import { conditionsApply } from './support/distinct-ids.js';
import type { Statement } from '../policy/types.js';
import { defineRule } from './define-rule.js';
import {
  ENDPOINT_ONLY_KEYS,
  internetRequestKeys,
  type ContextKeys,
} from './support/endpoint-context.js';
import { clauseIdentity } from './support/identity.js';
import { clauseRange } from './support/ranges.js';
import {
  describePolicyOwner,
  describeStatement,
  endpointTargetsFor,
} from './support/policy-targets.js';
import { coversS3Action } from './support/s3-actions.js';
import { reportAcrossVariants, type VariantFinding } from './support/variants.js';

const ENDPOINT_KEYS: ReadonlySet<string> = new Set(ENDPOINT_ONLY_KEYS);

/**
 * Another Deny of the same policy that reaches endpoint traffic through an endpoint-only key
 * (`aws:VpcSourceIp`, `aws:SourceVpce`, …) is the fix this rule asks for: the range is then
 * also denied on the endpoint path.
 */
function coveredOnEndpointPath(
  statements: readonly Statement[],
  except: Statement,
  keys: ContextKeys,
): boolean {
  return statements.some(
    (s) =>
      s !== except &&
      s.effect === 'Deny' &&
      s.conditions.some((c) => ENDPOINT_KEYS.has(c.keyLower)) &&
      coversS3Action(s) === true &&
      conditionsApply(s, keys) === true,
  );
}

export default defineRule({
  id: 'sourceip-deny-bypassed-via-endpoint',
  title: 'A Deny on IpAddress aws:SourceIp does not apply to requests through a VPC endpoint',
  severity: 'warning',
  docs: {
    description:
      'A Deny statement with IpAddress on aws:SourceIp never matches requests through a VPC endpoint, which carry no aws:SourceIp: the denied range reaches the bucket through the endpoint.',
    source:
      'Amazon VPC User Guide, "Gateway endpoints for Amazon S3" (using Amazon S3 bucket policies); IAM policy evaluation logic (condition operators on absent keys).',
  },
  check(ctx) {
    // No endpoint is ever used: there is no path around the Deny.
    if (ctx.settings.assumeEndpoint === 'never') return;
    const internet = internetRequestKeys('any');
    for (const { resource, policy } of policiesOf(ctx.scope)) {
      const targets = endpointTargetsFor(ctx.scope, resource);
      if (targets.length === 0) continue;
      const owner = describePolicyOwner(resource, policy);
      reportAcrossVariants(
        policy,
        (variant) => {
          const found: VariantFinding[] = [];
          const statements = variant.document.statements;
          for (const statement of statements) {
            if (statement.effect !== 'Deny') continue;
            const ipClauses = statement.conditions.filter(
              (c) => c.keyLower === 'aws:sourceip' && c.operator.base === 'IpAddress',
            );
            if (ipClauses.length === 0) continue;
            if (coversS3Action(statement) !== true) continue;
            // It must do something for internet traffic, or it is dead rather than bypassed.
            if (evaluateConditions(statement, internet, { freeKeys: 'exists' }) !== true) continue;
            const bypassing = targets.filter(
              (t) =>
                conditionsApply(statement, t.keys) === false &&
                !coveredOnEndpointPath(statements, statement, t.keys),
            );
            if (bypassing.length === 0) continue;
            const endpoints = bypassing.flatMap((t) => (t.endpoint ? [t.endpoint] : []));
            const related: RelatedLocation[] = endpoints.map((e) => ({
              range: e.range,
              resource: e.address,
              message: `requests through ${e.address} are not denied by this statement`,
            }));
            const through =
              endpoints.length > 0
                ? `S3 endpoint ${endpoints.map((e) => e.address).join(', ')}`
                : 'a VPC endpoint';
            for (const clause of ipClauses) {
              found.push({
                message: `The ${owner} does not deny requests through ${through}: its Deny ${describeStatement(statement)} matches ${clause.operator.raw} on ${clause.key}, which endpoint requests do not carry, so the denied range gets in through the endpoint`,
                range: clauseRange(clause),
                resource: resource.address,
                related,
                fix: {
                  description:
                    'Also deny the range on the endpoint path: add a Deny statement on aws:VpcSourceIp (the private addresses, together with aws:SourceVpc) or on aws:SourceVpce.',
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
