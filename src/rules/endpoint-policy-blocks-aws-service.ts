/**
 * A restrictive S3 endpoint policy that leaves out the AWS-owned buckets of a service the same
 * scope uses (ECR image layers, SSM Agent, CloudFormation signals, …). Decided by asking the
 * endpoint policy about a request, through that endpoint and from any principal, for an object
 * in each of the service's buckets for the endpoint's Region; the buckets belong to AWS, so the
 * resource-owner keys carry an account and organisation that are not the user's.
 */
import { lineRange, type SourceRange } from '../core/range.js';
import { text } from '../core/value.js';
import type { IacFormat, Resource, Scope, VpcEndpointResource } from '../iac/model.js';
import { evaluateStatement } from '../policy/evaluate.js';
import type { ContextValue, PolicyString, RequestContext, Statement } from '../policy/types.js';
import type { RelatedLocation } from '../findings/finding.js';
import { defineRule } from './define-rule.js';
import {
  REGION_PLACEHOLDER,
  serviceBuckets,
  type ServiceBucket,
  type ServiceBuckets,
} from './data/aws-service-buckets.js';
import {
  findAmazonLinuxLookup,
  serviceOfEndpointName,
  serviceOfType,
} from './data/aws-service-usage.js';
import type { AwsServiceId } from './settings.js';
import { endpointRequestKeys, s3EndpointsOf } from './support/endpoint-context.js';
import { arnForRegion, endpointRegion } from './support/endpoint-region.js';
import { reportAcrossVariants, type VariantFinding } from './support/variants.js';

const PROBE_AT = lineRange('<probe>', 1);
const PROBE_KEY = 's3-endpoint-guard-probe';
const AWS_OWNER_ACCOUNT = '999988887777';
const AWS_OWNER_ORG = 'o-zz9probe8yy7';

const literal = (value: string): ContextValue => ({
  kind: 'values',
  values: [text(value, PROBE_AT)],
});

/** The owner keys of a bucket AWS owns: never the user's account or organisation. */
const AWS_OWNED_BUCKET_KEYS: Readonly<Record<string, ContextValue>> = {
  'aws:resourceaccount': literal(AWS_OWNER_ACCOUNT),
  's3:resourceaccount': literal(AWS_OWNER_ACCOUNT),
  'aws:resourceorgid': literal(AWS_OWNER_ORG),
  'aws:resourceorgpaths': literal(`${AWS_OWNER_ORG}/r-zz9p/`),
};

/**
 * The Region when unknown: a value no real Region name equals, so only a wildcard (or the
 * policy's own Region reference, assumed to hold this value) matches it, as the brief of the
 * rule asks: a policy that names one Region literally may be wrong for the next deployment.
 */
const UNKNOWN_REGION = 'zz-unknown-0';

/** The Region references a policy may use: CloudFormation's and Terraform's `aws_region`. */
function regionAssumptions(statements: readonly Statement[]): Record<string, string> {
  const assume: Record<string, string> = { 'pseudo:AWS::Region': UNKNOWN_REGION };
  for (const statement of statements) {
    for (const item of statement.resource?.items ?? []) {
      if (item.kind !== 'string') continue;
      for (const part of item.parts) {
        if (part.kind !== 'ref') continue;
        const { target, id } = part.ref;
        if (target.kind === 'resource' && target.address.startsWith('data.aws_region.')) {
          assume[id] = UNKNOWN_REGION;
        }
      }
    }
  }
  return assume;
}

interface Usage {
  readonly service: AwsServiceId;
  /** Undefined when the service comes from the configuration's `services:`. */
  readonly resource?: Resource;
  readonly range?: SourceRange;
  readonly why: string;
}

/** The first thing in scope (or in the configuration) that shows each service is used. */
export function servicesUsed(scope: Scope, configured: readonly AwsServiceId[]): Usage[] {
  const found = new Map<AwsServiceId, Usage>();
  const add = (usage: Usage): void => {
    if (!found.has(usage.service)) found.set(usage.service, usage);
  };
  for (const resource of scope.resources) {
    const byType = serviceOfType(resource.type);
    if (byType) add({ service: byType, resource, range: resource.range, why: resource.address });
    if (resource.kind === 'vpc-endpoint') {
      const byName = serviceOfEndpointName(resource.serviceName);
      if (byName) {
        add({
          service: byName,
          resource,
          range: resource.range,
          why: `endpoint ${resource.address}`,
        });
      }
    }
    const lookup = findAmazonLinuxLookup(resource.properties);
    if (lookup) {
      add({
        service: 'amazon-linux',
        resource,
        range: lookup.range,
        why: `the Amazon Linux AMI of ${resource.address}`,
      });
    }
  }
  for (const service of configured) add({ service, why: 'the configured services' });
  return [...found.values()];
}

/** An object in the bucket of the Region. */
function probeResource(bucket: ServiceBucket, region: string): PolicyString {
  const arn = bucket.arn.endsWith('/*') ? `${bucket.arn.slice(0, -1)}${PROBE_KEY}` : bucket.arn;
  return text(arn.split(REGION_PLACEHOLDER).join(region), PROBE_AT);
}

/**
 * Is the request let through? `false` when no Allow can apply or a Deny certainly does; `true`
 * when some Allow certainly can; undefined when that depends on something unknown.
 */
function allowed(
  statements: readonly Statement[],
  request: RequestContext,
  assume: Readonly<Record<string, string>>,
): boolean | undefined {
  if (
    statements.some(
      (s) => s.effect === 'Deny' && evaluateStatement(s, request, { assume }).applies === true,
    )
  ) {
    return false;
  }
  let maybe = false;
  for (const s of statements) {
    if (s.effect !== 'Allow') continue;
    const applies = evaluateStatement(s, request, { freeKeys: 'exists', assume }).applies;
    if (applies === true) return true;
    if (applies === 'unknown') maybe = true;
  }
  return maybe ? undefined : false;
}

/** The service's buckets the policy blocks; undefined when the answer is not certain. */
function blockedBuckets(
  statements: readonly Statement[],
  endpoint: VpcEndpointResource,
  row: ServiceBuckets,
  region: string | undefined,
): ServiceBucket[] | undefined {
  const keys = { ...endpointRequestKeys(endpoint), ...AWS_OWNED_BUCKET_KEYS };
  const assume = region === undefined ? regionAssumptions(statements) : {};
  const blocked: ServiceBucket[] = [];
  for (const bucket of row.buckets) {
    const resource = probeResource(bucket, region ?? UNKNOWN_REGION);
    for (const action of bucket.actions) {
      const verdict = allowed(statements, { action, resource, keys }, assume);
      if (verdict === undefined) return undefined;
      if (!verdict) {
        blocked.push(bucket);
        break;
      }
    }
  }
  return blocked;
}

function fixText(
  blocked: readonly ServiceBucket[],
  region: string | undefined,
  format: IacFormat,
): string {
  const actions = [...new Set(blocked.flatMap((b) => b.actions))].join(', ');
  const arns = blocked.map((b) => arnForRegion(b.arn, region, format)).join(', ');
  const how =
    region !== undefined
      ? ''
      : format === 'terraform'
        ? ' (the Region is not known here: the data source data "aws_region" "current" gives it)'
        : ' (the Region is not known here: write the ARNs with !Sub)';
  return `Add a statement that allows ${actions} on ${arns} to the endpoint policy${how}.`;
}

export default defineRule({
  id: 'endpoint-policy-blocks-aws-service',
  title: 'An S3 endpoint policy blocks the AWS-owned buckets of a service the scope uses',
  severity: 'warning',
  docs: {
    description:
      'A restrictive S3 endpoint policy that does not allow the AWS-owned buckets a service needs (ECR image layers, SSM Agent, CloudFormation signals, CodeDeploy agent, Elastic Beanstalk, EMR, Amazon Linux repositories) breaks that service for everything in the VPC.',
    source:
      'Amazon VPC User Guide, "Gateway endpoints for Amazon S3": a service that uses S3 buckets needs an endpoint policy that allows them; the services\' own guides list the buckets (see docs/data.md).',
  },
  check(ctx) {
    const endpoints = s3EndpointsOf(ctx.scope).filter((e) => e.policy && !e.policy.unresolved);
    if (endpoints.length === 0) return;
    const usages = servicesUsed(ctx.scope, ctx.settings.services);
    for (const endpoint of endpoints) {
      const policy = endpoint.policy;
      if (!policy) continue;
      const region = endpointRegion(endpoint, ctx.scope, ctx.settings);
      for (const usage of usages) {
        const row = serviceBuckets(usage.service);
        if (!row) continue;
        const related: RelatedLocation[] =
          usage.range && usage.resource
            ? [
                {
                  range: usage.range,
                  resource: usage.resource.address,
                  message: `${usage.resource.address} uses ${row.name}.`,
                },
              ]
            : [];
        reportAcrossVariants(
          policy,
          (variant) => {
            if (variant.document.unresolved?.length) return [];
            const blocked = blockedBuckets(variant.document.statements, endpoint, row, region);
            if (!blocked || blocked.length === 0) return [];
            const where = region !== undefined ? ` in ${region}` : '';
            const finding: VariantFinding = {
              message: `The policy of S3 endpoint ${endpoint.address} does not allow the AWS-owned buckets of ${row.name}${where}, which ${usage.why} needs: those requests from the VPC are denied and the service fails`,
              range: policy.range,
              resource: endpoint.address,
              related,
              fix: { description: fixText(blocked, region, endpoint.format) },
              identity: [`service:${row.id}`],
            };
            return [finding];
          },
          ctx.report,
        );
      }
    }
  },
});
