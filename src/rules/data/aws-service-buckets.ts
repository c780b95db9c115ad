/**
 * The AWS-owned S3 buckets that AWS services read from (or write to) from inside a VPC, keyed by
 * the service ids of `settings.ts`. A restrictive S3 endpoint policy must allow them, or the
 * service breaks in ways that look unrelated (image pulls, patching, stack signals time out).
 *
 * Every row names the AWS page it comes from. `confirmed: true` means the name was seen verbatim
 * in that page or in AWS's own data-perimeter sample endpoint policy
 * (https://github.com/aws-samples/data-perimeter-policy-examples, file
 * vpc_endpoint_policies/s3_endpoint_policy.json); `confirmed: false` marks a name found in
 * neither, kept because it is in wide use, and the first to re-check when refreshing. Services
 * whose buckets could not be established are left out rather than guessed (see
 * `OMITTED_SERVICES`).
 *
 * `{region}` stands for the Region code (`eu-west-1`), `{regionNoDashes}` for the same without
 * dashes (`euwest1`). Bump `DATA_VERSION` on every change.
 */
import type { AwsServiceId } from '../settings.js';

export const DATA_VERSION = '2026-11-28.2';

export const REGION_PLACEHOLDER = '{region}';
export const REGION_NO_DASHES_PLACEHOLDER = '{regionNoDashes}';

/** The ARN with the Region written in (both placeholder forms). */
export function withRegion(arn: string, region: string): string {
  return arn
    .split(REGION_NO_DASHES_PLACEHOLDER)
    .join(region.replace(/-/g, ''))
    .split(REGION_PLACEHOLDER)
    .join(region);
}

export interface ServiceBucket {
  /** `arn:aws:s3:::…` with `{region}`; object ARNs end in `/*`. */
  readonly arn: string;
  /** What the service does there through the endpoint. */
  readonly actions: readonly string[];
  /** False when the name was not seen verbatim in the AWS page (see the module comment). */
  readonly confirmed: boolean;
  /**
   * Only these resource types (prefixes ending in `::`, or exact types) need the bucket; unset
   * = every use of the service does. A template with wait conditions but no custom resources
   * needs no custom-resource response bucket.
   */
  readonly neededBy?: readonly string[];
}

export interface ServiceBuckets {
  readonly id: AwsServiceId;
  readonly name: string;
  readonly buckets: readonly ServiceBucket[];
  /** What breaks when the buckets are blocked, for the finding's message. */
  readonly failure: string;
  /** The AWS documentation page that lists the buckets. */
  readonly source: string;
}

const get = (arn: string, confirmed: boolean): ServiceBucket => ({
  arn,
  actions: ['s3:GetObject'],
  confirmed,
});

/**
 * Amazon Linux package repositories: AL1 (`packages.`, `repo.`), AL2 (`amazonlinux.`,
 * `amazonlinux-2-repos-`) and AL2023. Confirmed by the S3 gateway endpoint page (AL1, AL2) and
 * the EMR private-subnet page (all of them, with the AL2023 bucket's suffix).
 */
const AMAZON_LINUX_REPOS: readonly ServiceBucket[] = [
  get('arn:aws:s3:::packages.{region}.amazonaws.com/*', true),
  get('arn:aws:s3:::repo.{region}.amazonaws.com/*', true),
  get('arn:aws:s3:::amazonlinux.{region}.amazonaws.com/*', true),
  get('arn:aws:s3:::amazonlinux-2-repos-{region}/*', true),
  get('arn:aws:s3:::al2023-repos-{region}-de612dc2/*', true),
  get('arn:aws:s3:::al2023-{region}/*', true),
];

export const AWS_SERVICE_BUCKETS: readonly ServiceBuckets[] = [
  {
    id: 'amazon-linux',
    failure: 'yum and dnf cannot install or update packages',
    name: 'Amazon Linux package repositories',
    buckets: AMAZON_LINUX_REPOS,
    source: 'https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html',
  },
  {
    id: 'cloudformation',
    failure: 'signals and responses never reach CloudFormation and the stack operation times out',
    name: 'AWS CloudFormation wait conditions and custom resources',
    buckets: [
      // Responses are uploaded to presigned URLs in these buckets: a write, not a read. The
      // custom-resource bucket's name carries the Region without dashes (AWS sample policy).
      {
        arn: 'arn:aws:s3:::cloudformation-waitcondition-{region}/*',
        actions: ['s3:PutObject'],
        confirmed: true,
        neededBy: [
          'AWS::CloudFormation::WaitCondition',
          'AWS::CloudFormation::WaitConditionHandle',
        ],
      },
      {
        arn: 'arn:aws:s3:::cloudformation-custom-resource-response-{regionNoDashes}/*',
        actions: ['s3:PutObject'],
        confirmed: true,
        neededBy: ['AWS::CloudFormation::CustomResource', 'Custom::'],
      },
    ],
    source:
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/vpc-interface-endpoints.html',
  },
  {
    id: 'codedeploy',
    failure: 'the agent cannot be installed or updated',
    name: 'AWS CodeDeploy agent',
    buckets: [get('arn:aws:s3:::aws-codedeploy-{region}/*', true)],
    source:
      'https://docs.aws.amazon.com/codedeploy/latest/userguide/resource-kit.html#resource-kit-bucket-names',
  },
  {
    id: 'ecr',
    failure: 'image pulls fail',
    name: 'Amazon ECR image layers',
    buckets: [get('arn:aws:s3:::prod-{region}-starport-layer-bucket/*', true)],
    source: 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html',
  },
  {
    id: 'elastic-beanstalk',
    failure: 'environments fail to deploy',
    name: 'AWS Elastic Beanstalk platform assets',
    buckets: [
      get('arn:aws:s3:::elasticbeanstalk-samples-{region}/*', true),
      get('arn:aws:s3:::elasticbeanstalk-platform-assets-{region}/*', true),
      get('arn:aws:s3:::elasticbeanstalk-env-resources-{region}/*', true),
    ],
    source: 'https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/vpc-vpce.policy.html',
  },
  {
    id: 'emr',
    failure: 'clusters fail to start',
    name: 'Amazon EMR repositories',
    buckets: [get('arn:aws:s3:::repo.{region}.emr.amazonaws.com/*', true), ...AMAZON_LINUX_REPOS],
    source: 'https://docs.aws.amazon.com/emr/latest/ManagementGuide/private-subnet-iampolicy.html',
  },
  {
    id: 'ssm',
    failure: 'documents, agent updates and patching fail',
    name: 'AWS Systems Manager Agent',
    buckets: [
      get('arn:aws:s3:::aws-ssm-{region}/*', true),
      get('arn:aws:s3:::aws-windows-downloads-{region}/*', true),
      get('arn:aws:s3:::amazon-ssm-{region}/*', true),
      get('arn:aws:s3:::amazon-ssm-packages-{region}/*', true),
      get('arn:aws:s3:::{region}-birdwatcher-prod/*', true),
      get('arn:aws:s3:::aws-ssm-distributor-file-{region}/*', true),
      get('arn:aws:s3:::aws-ssm-document-attachments-{region}/*', true),
      get('arn:aws:s3:::patch-baseline-snapshot-{region}/*', true),
    ],
    source:
      'https://docs.aws.amazon.com/systems-manager/latest/userguide/ssm-agent-minimum-s3-permissions.html',
  },
];

/**
 * Services with no row, and why: the rule stays silent for them.
 * - appstream: its home-folder and settings buckets live in the customer's own account
 *   (`appstream2-36fb080bb8-<region>-<account>…`), so they are the customer's buckets, not AWS's.
 * - opsworks: the agent buckets could not be confirmed (and the service is discontinued).
 * - workdocs, workspaces: AWS asks for full S3 access, not for named buckets.
 */
export const OMITTED_SERVICES: readonly AwsServiceId[] = [
  'appstream',
  'opsworks',
  'workdocs',
  'workspaces',
];

const byId = new Map(AWS_SERVICE_BUCKETS.map((row) => [row.id, row]));

export function serviceBuckets(id: AwsServiceId): ServiceBuckets | undefined {
  return byId.get(id);
}
