/**
 * A gateway endpoint only reaches its service in the Region it is created in, and only buckets
 * in that Region; an interface endpoint without `ServiceRegion` likewise. A service name that
 * hard-codes another Region either fails to deploy or, copied from another stack, routes
 * nothing: the Region is taken from the service name literally and compared with facts only
 * (resource/provider Region, literal AZs, config), never with a guess.
 */
import type { Value } from '../core/value.js';
import type { Fix, RelatedLocation } from '../findings/finding.js';
import type { PolicyRef, Resource, Scope, VpcEndpointResource } from '../iac/model.js';
import { policiesOf, resourcesOfKind } from '../iac/model.js';
import { defineRule } from './define-rule.js';
import { subText } from './support/show.js';
import { conditionsApply } from './support/distinct-ids.js';
import { endpointRequestKeys, internetRequestKeys } from './support/endpoint-context.js';
import {
  bucketRegion,
  createdRegion,
  hasServiceRegion,
  serviceNameRegion,
  type ServiceNameRegion,
} from './support/regions.js';
import { coversS3Action } from './support/s3-actions.js';

export default defineRule({
  id: 'endpoint-cross-region',
  title: "A VPC endpoint's service name names another Region than the one it serves",
  severity: 'error',
  docs: {
    description:
      'A gateway endpoint (or an interface endpoint without an explicit service Region) whose service name names a Region other than the Region it is created in, or other than the Region of a bucket whose policy requires it: gateway endpoints do not reach other Regions, so the endpoint fails or carries no traffic for that bucket.',
    source:
      'Amazon VPC User Guide, "Gateway endpoints" (considerations: endpoints are supported within the same Region only) and "Gateway endpoints for Amazon S3".',
  },
  check(ctx) {
    // Bucket policies whose bucket's Region is known are few (a provider alias, a `region`
    // argument); finding them once, not once per endpoint, keeps large modules linear.
    let regional: RegionalPolicy[] | undefined;
    for (const endpoint of resourcesOfKind(ctx.scope, 'vpc-endpoint')) {
      if (!regionBound(endpoint)) continue;
      const named = serviceNameRegion(endpoint.serviceName);
      const serviceName = endpoint.serviceName;
      if (!named || !serviceName) continue;
      const created = createdRegion(ctx.scope, endpoint, ctx.settings, endpoint.vpcId);
      if (created && created.region !== named.region) {
        ctx.report({
          message: `The service name of ${endpoint.address} names ${named.region} but the endpoint is created in ${created.region} (${created.from}), so the endpoint fails to create or never carries this Region's traffic.`,
          range: serviceName.range,
          resource: endpoint.address,
          fix: regionFix(ctx.scope, endpoint, serviceName, named, created.region),
          identity: ['service-region', named.region, created.region],
        });
      }
      if (endpoint.isS3 !== true) continue;
      regional ??= regionalBucketPolicies(ctx.scope);
      for (const { owner, region } of requiringBuckets(regional, endpoint)) {
        if (region.region === named.region) continue;
        // Already reported above with the same Regions: one finding, one fix.
        if (created && created.region === region.region && created.region !== named.region)
          continue;
        const related: RelatedLocation[] = [
          {
            range: owner.range,
            resource: owner.address,
            message: `requires ${endpoint.address}; the bucket is in ${region.region}`,
          },
        ];
        ctx.report({
          message: `The service name of ${endpoint.address} names ${named.region} but bucket policy ${owner.address} requires this endpoint for a bucket in ${region.region} (${region.from}), so no request through the endpoint reaches that bucket.`,
          range: serviceName.range,
          resource: endpoint.address,
          related,
          fix: {
            description: `Create the endpoint in ${region.region} (the bucket's Region) with service name ${named.prefix}${region.region}.${named.service ?? 's3'}, or require an endpoint of that Region in the bucket policy.`,
          },
          identity: ['bucket-region', owner.address, named.region, region.region],
        });
      }
    }
  },
});

/** Gateway endpoints, and interface endpoints that do not choose a service Region themselves. */
function regionBound(endpoint: VpcEndpointResource): boolean {
  if (endpoint.endpointType === 'Gateway') return true;
  return endpoint.endpointType === 'Interface' && !hasServiceRegion(endpoint);
}

interface RegionalPolicy {
  readonly owner: Resource;
  readonly policy: PolicyRef;
  readonly region: NonNullable<ReturnType<typeof bucketRegion>>;
}

/** Bucket policies whose bucket's Region the code fixes. */
function regionalBucketPolicies(scope: Scope): RegionalPolicy[] {
  const out: RegionalPolicy[] = [];
  for (const { resource, policy } of policiesOf(scope)) {
    if (policy.role !== 'bucket') continue;
    const region = bucketRegion(scope, resource);
    if (region) out.push({ owner: resource, policy, region });
  }
  return out;
}

/**
 * Those that require this endpoint: some Deny of S3 access applies to a request from the
 * internet but not to a request through the endpoint (asked of the evaluator, so OR-lists,
 * `…IfExists` and `Null` count as written).
 */
function requiringBuckets(
  regional: readonly RegionalPolicy[],
  endpoint: VpcEndpointResource,
): RegionalPolicy[] {
  if (regional.length === 0) return [];
  const internet = internetRequestKeys();
  const through = endpointRequestKeys(endpoint);
  return regional.filter(({ policy }) =>
    policy.variants.some((variant) =>
      variant.document.statements.some(
        (s) =>
          s.effect === 'Deny' &&
          coversS3Action(s) === true &&
          conditionsApply(s, internet) === true &&
          conditionsApply(s, through) === false,
      ),
    ),
  );
}

/**
 * CloudFormation: `${AWS::Region}` is always the Region the endpoint is created in. Terraform:
 * `data.aws_region.current` is the default provider's Region, so an endpoint with its own
 * Region gets that Region written out instead.
 */
function regionFix(
  scope: Scope,
  endpoint: VpcEndpointResource,
  serviceName: Value,
  named: ServiceNameRegion,
  createdIn: string,
): Fix {
  const service = named.service ?? 's3';
  const singleLine = serviceName.range.startLine === serviceName.range.endLine;
  let text: string;
  if (scope.format === 'cloudformation') {
    const sub = `${named.prefix}\${AWS::Region}.${service}`;
    text = subText(sub, serviceName.range.file);
  } else if (endpoint.region) {
    text = `"${named.prefix}${createdIn}.${service}"`;
  } else {
    text = `"${named.prefix}\${data.aws_region.current.name}.${service}"`;
  }
  return {
    description: `Build the service name from the Region the endpoint is created in: ${text}.`,
    ...(named.literal && named.service !== undefined && singleLine
      ? { replacement: { range: serviceName.range, text } }
      : {}),
  };
}
