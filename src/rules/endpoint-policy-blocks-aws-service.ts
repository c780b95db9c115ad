/**
 * A restrictive S3 endpoint policy that leaves out the AWS-owned buckets of a service the same
 * scope uses (ECR image layers, SSM Agent, CloudFormation signals, …). Decided by asking the
 * endpoint policy about a request, through that endpoint and from any principal, for an object
 * in each of the service's buckets for the endpoint's Region; the buckets belong to AWS, so the
 * resource-owner keys carry an account and organisation that are not the user's.
 */
import { FOREIGN_BUCKET_KEYS, PROBE_AT } from './support/foreign-bucket.js';
import { type SourceRange } from '../core/range.js';
import { mapGet, soleRef, text } from '../core/value.js';
import {
  findResource,
  type IacFormat,
  type Resource,
  type Scope,
  type VpcEndpointResource,
} from '../iac/model.js';
import { evaluateStatement } from '../policy/evaluate.js';
import type { PolicyString, RequestContext, Statement } from '../policy/types.js';
import type { RelatedLocation } from '../findings/finding.js';
import { defineRule } from './define-rule.js';
import {
  serviceBuckets,
  type ServiceBucket,
  type ServiceBuckets,
  withRegion,
} from './data/aws-service-buckets.js';
import {
  findAmazonLinuxLookup,
  isAmazonLinuxLookup,
  serviceOfEndpointName,
  serviceOfType,
} from './data/aws-service-usage.js';
import type { AwsServiceId } from './settings.js';
import { endpointRequestKeys, s3EndpointsOf } from './support/endpoint-context.js';
import { arnForRegion, endpointRegion } from './support/endpoint-region.js';
import { reportAcrossVariants, type VariantFinding } from './support/variants.js';

const PROBE_KEY = 's3-endpoint-guard-probe';
/** The owner keys of a bucket AWS owns: never the user's account or organisation. */
const AWS_OWNED_BUCKET_KEYS = FOREIGN_BUCKET_KEYS;

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
  /** The first resource or lookup that shows the use; undefined when it comes from `services:`. */
  readonly address?: string;
  readonly range?: SourceRange;
  readonly why: string;
  /** The resource types in scope that use the service, for buckets only some types need. */
  readonly types: Set<string>;
  /** Every bucket is needed: the use is shown by an endpoint, an AMI or the configuration. */
  all: boolean;
}

const LAMBDA_TYPES = new Set(['AWS::Lambda::Function', 'AWS::Serverless::Function']);

/**
 * A custom resource's response goes through the endpoint only when its provider runs in the
 * VPC: a Lambda function of this template with a `VpcConfig`. An SNS topic, a function outside
 * the VPC or one we cannot see sends its response over another path.
 */
function customResourceInVpc(scope: Scope, resource: Resource): boolean {
  const token = soleRef(mapGet(resource.properties, 'ServiceToken')?.value);
  if (token?.target.kind !== 'resource') return false;
  const provider = findResource(scope, token.target.address);
  if (!provider || !LAMBDA_TYPES.has(provider.type)) return false;
  const vpcConfig = mapGet(provider.properties, 'VpcConfig')?.value;
  return vpcConfig !== undefined && vpcConfig.kind !== 'absent' && vpcConfig.kind !== 'null';
}

const isCustomResource = (type: string): boolean =>
  type === 'AWS::CloudFormation::CustomResource' || type.startsWith('Custom::');

/** What in scope (or in the configuration) shows each service is used; the first names it. */
export function servicesUsed(scope: Scope, configured: readonly AwsServiceId[]): Usage[] {
  const found = new Map<AwsServiceId, Usage>();
  const add = (
    service: AwsServiceId,
    how: { address?: string; range?: SourceRange; why: string; type?: string },
  ): void => {
    let usage = found.get(service);
    if (!usage) {
      usage = { service, ...how, types: new Set(), all: false };
      found.set(service, usage);
    }
    if (how.type !== undefined) usage.types.add(how.type);
    else usage.all = true;
  };
  for (const resource of scope.resources) {
    const byType = serviceOfType(resource.type);
    if (byType && (!isCustomResource(resource.type) || customResourceInVpc(scope, resource))) {
      add(byType, {
        address: resource.address,
        range: resource.range,
        why: resource.address,
        type: resource.type,
      });
    }
    if (resource.kind === 'vpc-endpoint') {
      const byName = serviceOfEndpointName(resource.serviceName);
      if (byName) {
        add(byName, {
          address: resource.address,
          range: resource.range,
          why: `endpoint ${resource.address}`,
        });
      }
    }
    const lookup = findAmazonLinuxLookup(resource.properties);
    if (lookup) {
      add('amazon-linux', {
        address: resource.address,
        range: lookup.range,
        why: `the Amazon Linux AMI of ${resource.address}`,
      });
    }
  }
  for (const lookup of scope.lookups ?? []) {
    if (isAmazonLinuxLookup(lookup)) {
      add('amazon-linux', {
        address: lookup.address,
        range: lookup.range,
        why: `the Amazon Linux AMI lookup ${lookup.address}`,
      });
    }
  }
  for (const service of configured) add(service, { why: 'the configured services' });
  return [...found.values()];
}

/** The service's buckets this use needs (a type-specific bucket only for its types). */
function neededBuckets(row: ServiceBuckets, usage: Usage): ServiceBuckets {
  if (usage.all) return row;
  const needs = (bucket: ServiceBucket): boolean =>
    bucket.neededBy === undefined ||
    bucket.neededBy.some((p) =>
      [...usage.types].some((t) => (p.endsWith('::') ? t.startsWith(p) : t === p)),
    );
  return { ...row, buckets: row.buckets.filter(needs) };
}

/** An object in the bucket of the Region. */
function probeResource(bucket: ServiceBucket, region: string): PolicyString {
  const arn = bucket.arn.endsWith('/*') ? `${bucket.arn.slice(0, -1)}${PROBE_KEY}` : bucket.arn;
  return text(withRegion(arn, region), PROBE_AT);
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
        const listed = serviceBuckets(usage.service);
        if (!listed) continue;
        const row = neededBuckets(listed, usage);
        const related: RelatedLocation[] =
          usage.range && usage.address !== undefined
            ? [
                {
                  range: usage.range,
                  resource: usage.address,
                  message: `${usage.address} uses ${row.name}.`,
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
              message: `The policy of S3 endpoint ${endpoint.address} does not allow the AWS-owned buckets of ${row.name}${where}, which ${usage.why} needs: ${row.failure}`,
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
