/**
 * What in a scope shows that an AWS service with AWS-owned buckets is used there: resource
 * types, interface endpoints of the service, and Amazon Linux AMI lookups. A small table, so a
 * reviewer can see at a glance why the rule thinks ECR or SSM is in use.
 */
import type { Value } from '../../core/value.js';
import type { Lookup } from '../../iac/model.js';
import type { AwsServiceId } from '../settings.js';

/** CloudFormation type prefixes (`AWS::ECR::` matches `AWS::ECR::Repository`) or exact types. */
export const CFN_TYPE_USAGE: readonly (readonly [string, AwsServiceId])[] = [
  ['AWS::ECS::', 'ecr'],
  ['AWS::EKS::', 'ecr'],
  ['AWS::ECR::', 'ecr'],
  ['AWS::SSM::', 'ssm'],
  ['AWS::CloudFormation::WaitCondition', 'cloudformation'],
  ['AWS::CloudFormation::WaitConditionHandle', 'cloudformation'],
  ['AWS::CloudFormation::CustomResource', 'cloudformation'],
  ['Custom::', 'cloudformation'],
  ['AWS::CodeDeploy::', 'codedeploy'],
  ['AWS::ElasticBeanstalk::', 'elastic-beanstalk'],
  ['AWS::EMR::', 'emr'],
  ['AWS::OpsWorks::', 'opsworks'],
  ['AWS::AppStream::', 'appstream'],
  ['AWS::WorkSpaces::', 'workspaces'],
];

/** Terraform resource type prefixes. */
export const TF_TYPE_USAGE: readonly (readonly [string, AwsServiceId])[] = [
  ['aws_ecs_', 'ecr'],
  ['aws_eks_', 'ecr'],
  ['aws_ecr_', 'ecr'],
  ['aws_ssm_', 'ssm'],
  ['aws_codedeploy_', 'codedeploy'],
  ['aws_elastic_beanstalk_', 'elastic-beanstalk'],
  ['aws_emr_', 'emr'],
  ['aws_opsworks_', 'opsworks'],
  ['aws_appstream_', 'appstream'],
  ['aws_workspaces_', 'workspaces'],
];

/**
 * Parameter Store entries are data, not the agent: a stored parameter does not make instances
 * fetch anything from SSM's buckets.
 */
const NOT_USAGE = new Set([
  'AWS::SSM::Parameter',
  'aws_ssm_parameter',
  'AWS::SSM::ResourcePolicy',
  'aws_ssm_resource_policy',
]);

/** The service of a resource type, if the type shows the service is used. */
export function serviceOfType(type: string): AwsServiceId | undefined {
  if (NOT_USAGE.has(type)) return undefined;
  const table = type.includes('::') ? CFN_TYPE_USAGE : TF_TYPE_USAGE;
  for (const [prefix, service] of table) {
    const exact = !prefix.endsWith('::') && !prefix.endsWith('_');
    if (exact ? type === prefix : type.startsWith(prefix)) return service;
  }
  return undefined;
}

/** Interface endpoint service names by their last labels (`com.amazonaws.<region>.ecr.dkr`). */
export const ENDPOINT_SERVICE_USAGE: readonly (readonly [string, AwsServiceId])[] = [
  ['.ssm', 'ssm'],
  ['.ssmmessages', 'ssm'],
  ['.ec2messages', 'ssm'],
  ['.ecr.dkr', 'ecr'],
  ['.ecr.api', 'ecr'],
];

/** The service an endpoint's service name belongs to; only its literal tail is read. */
export function serviceOfEndpointName(value: Value | undefined): AwsServiceId | undefined {
  if (value?.kind !== 'string') return undefined;
  const last = value.parts[value.parts.length - 1];
  if (last?.kind !== 'text') return undefined;
  const tail = last.text.toLowerCase();
  for (const [suffix, service] of ENDPOINT_SERVICE_USAGE) {
    // The suffix must start at a label boundary: `.ssm` must not match `.xssm`.
    if (tail.endsWith(suffix)) return service;
  }
  return undefined;
}

/** The public SSM parameter path under which AWS publishes the latest Amazon Linux AMIs. */
export const AMAZON_LINUX_AMI_PARAMETER = '/aws/service/ami-amazon-linux-latest/';

/**
 * Does a value mention an Amazon Linux AMI lookup: a `{{resolve:ssm:/aws/service/ami-amazon-
 * linux-latest/…}}` dynamic reference or the bare parameter path? Returns the string's value
 * for the finding's related location.
 */
export function findAmazonLinuxLookup(value: Value): Value | undefined {
  switch (value.kind) {
    case 'string':
      return value.parts.some(
        (p) => p.kind === 'text' && p.text.includes(AMAZON_LINUX_AMI_PARAMETER),
      )
        ? value
        : undefined;
    case 'list':
      for (const item of value.items) {
        const found = findAmazonLinuxLookup(item);
        if (found) return found;
      }
      return undefined;
    case 'map':
      for (const entry of value.entries) {
        const found = findAmazonLinuxLookup(entry.value);
        if (found) return found;
      }
      return undefined;
    case 'conditional':
      return findAmazonLinuxLookup(value.whenTrue) ?? findAmazonLinuxLookup(value.whenFalse);
    case 'unknown':
      // CloudFormation keeps a `{{resolve:ssm:…}}` dynamic reference as an unknown value (it is
      // resolved at deploy time) that records which reference it is.
      return value.dynamicReference?.startsWith(`{{resolve:ssm:${AMAZON_LINUX_AMI_PARAMETER}`)
        ? value
        : undefined;
    default:
      return undefined;
  }
}

/** AMI name prefixes of the Amazon Linux generations (AL1, AL2, AL2023). */
export const AMAZON_LINUX_AMI_NAMES: readonly string[] = ['amzn-ami-', 'amzn2-ami-', 'al2023-ami-'];

/** An SSM parameter under AWS's Amazon Linux path, or an AMI filtered by an Amazon Linux name. */
export function isAmazonLinuxLookup(lookup: Lookup): boolean {
  return lookup.kind === 'ssm-parameter'
    ? lookup.names.some((name) => name.startsWith(AMAZON_LINUX_AMI_PARAMETER))
    : lookup.names.some((name) => AMAZON_LINUX_AMI_NAMES.some((prefix) => name.startsWith(prefix)));
}
