/**
 * `aws:SourceVpce` in an S3 bucket or endpoint policy must name an S3 endpoint: requests to S3
 * only ever carry the ID of the S3 endpoint they came through. A reference to a DynamoDB
 * endpoint, or to an interface endpoint of another service, never equals it: an Allow never
 * allows, a "deny unless from this endpoint" denies everyone.
 */
import { findResource, policiesOf, type VpcEndpointResource } from '../iac/model.js';
import type { PolicyString } from '../policy/types.js';
import { defineRule } from './define-rule.js';
import { s3EndpointsOf } from './support/endpoint-context.js';
import { idConditionClauses } from './support/id-conditions.js';
import { clauseIdentity } from './support/identity.js';
import { describePolicyOwner, describeStatement } from './support/policy-targets.js';
import { clauseRange } from './support/ranges.js';
import { showValue } from './support/show.js';
import { reportAcrossVariants, type VariantFinding } from './support/variants.js';

/** The endpoint a value references by ID (`!Ref E`, `!GetAtt E.Id`, `aws_vpc_endpoint.e.id`). */
function referencedEndpoint(
  value: PolicyString,
  find: (address: string) => ReturnType<typeof findResource>,
): VpcEndpointResource | undefined {
  if (value.kind !== 'string' || value.parts.length !== 1) return undefined;
  const [only] = value.parts;
  if (only?.kind !== 'ref' || only.ref.target.kind !== 'resource') return undefined;
  const attribute = only.ref.target.attribute.toLowerCase();
  if (attribute !== 'id' && attribute !== 'ref') return undefined;
  const owner = find(only.ref.target.address);
  return owner?.kind === 'vpc-endpoint' ? owner : undefined;
}

/** `com.amazonaws.eu-west-1.dynamodb`, or how the service is written. */
function serviceOf(endpoint: VpcEndpointResource): string {
  return endpoint.serviceName ? showValue(endpoint.serviceName) : 'an unknown service';
}

export default defineRule({
  id: 'vpce-condition-wrong-endpoint',
  title: 'aws:SourceVpce references an endpoint that is not an S3 endpoint',
  severity: 'error',
  docs: {
    description:
      'A request to S3 through a VPC endpoint carries the ID of that S3 endpoint in aws:SourceVpce; a condition comparing it with the ID of a DynamoDB or other non-S3 endpoint never matches.',
    source:
      'Amazon VPC User Guide, "Gateway endpoints for Amazon S3" (restricting access to a specific endpoint with aws:sourceVpce).',
  },
  check(ctx) {
    const find = (address: string) => findResource(ctx.scope, address);
    const s3Endpoints = s3EndpointsOf(ctx.scope);
    for (const { resource, policy } of policiesOf(ctx.scope)) {
      const owner = describePolicyOwner(resource, policy);
      reportAcrossVariants(
        policy,
        (variant) => {
          const found: VariantFinding[] = [];
          for (const { statement, clause, wanted } of idConditionClauses(variant.document)) {
            if (wanted !== 'endpoint') continue;
            for (const value of clause.values) {
              const endpoint = referencedEndpoint(value, find);
              // `unknown` service names stay silent: it may well be S3.
              if (!endpoint || endpoint.isS3 !== false) continue;
              found.push({
                message: `The ${owner} compares ${clause.key} with ${showValue(value)} in ${describeStatement(statement)}, but ${endpoint.address} is an endpoint for ${serviceOf(endpoint)}, not S3: S3 requests never carry its ID, so the condition never matches`,
                range: clauseRange(clause),
                resource: resource.address,
                related: [
                  {
                    range: endpoint.range,
                    resource: endpoint.address,
                    message: `${endpoint.address} is not an S3 endpoint`,
                  },
                ],
                fix: { description: fixFor(s3Endpoints, resource.format) },
                identity: [...clauseIdentity(policy, statement, clause), endpoint.address],
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

function fixFor(s3Endpoints: readonly VpcEndpointResource[], format: string): string {
  const [only] = s3Endpoints;
  if (s3Endpoints.length === 1 && only) {
    const ref = format === 'terraform' ? `${only.address}.id` : `!Ref ${only.address}`;
    return `Reference the S3 endpoint instead: aws:SourceVpce: ${ref}.`;
  }
  return 'Reference the ID of the S3 endpoint (service name com.amazonaws.<region>.s3) that the requests come through.';
}
