/**
 * The four example policies of the source document ("Gateway endpoints for Amazon S3", Amazon
 * VPC User Guide) wrapped in small templates and run through every registered rule. They are
 * AWS's own examples of doing it right, so none of the rules that rest on that page may fire.
 * (The Amazon Linux policy's `packages.*.amazonaws.com` patterns would be a matter for a
 * wildcard-bucket rule, which is not in this registry.) The two bucket policies deny every
 * request from outside the endpoint or VPC, administrators' included: that is the one thing
 * `bucket-policy-locks-out-admins` warns about, and the only finding they may have.
 */
import { describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';
import { findingsFor } from './helpers.js';

const SPECIFIC_BUCKET_ENDPOINT_POLICY = `{
  "Statement": [
    {
      "Sid": "Access-to-specific-bucket-only",
      "Principal": "*",
      "Action": ["s3:GetObject", "s3:PutObject"],
      "Effect": "Allow",
      "Resource": ["arn:aws:s3:::my_secure_bucket", "arn:aws:s3:::my_secure_bucket/*"]
    }
  ]
}`;

const AMAZON_LINUX_ENDPOINT_POLICY = `{
  "Statement": [
    {
      "Sid": "AmazonLinuxAMIRepositoryAccess",
      "Principal": "*",
      "Action": ["s3:GetObject"],
      "Effect": "Allow",
      "Resource": ["arn:aws:s3:::packages.*.amazonaws.com/*", "arn:aws:s3:::repo.*.amazonaws.com/*"]
    },
    {
      "Sid": "AmazonLinux2AMIRepositoryAccess",
      "Principal": "*",
      "Action": ["s3:GetObject"],
      "Effect": "Allow",
      "Resource": ["arn:aws:s3:::amazonlinux.*.amazonaws.com/*"]
    }
  ]
}`;

function restrictedBucketPolicy(sid: string, key: string, value: string): string {
  return `{
  "Version": "2012-10-17",
  "Id": "Policy1415115909152",
  "Statement": [
    {
      "Sid": "${sid}",
      "Principal": "*",
      "Action": "s3:*",
      "Effect": "Deny",
      "Resource": ["arn:aws:s3:::my_secure_bucket", "arn:aws:s3:::my_secure_bucket/*"],
      "Condition": { "StringNotEquals": { "${key}": "${value}" } }
    }
  ]
}`;
}

function indent(json: string, spaces: number): string {
  return json
    .split('\n')
    .map((line, i) => (i === 0 ? line : ' '.repeat(spaces) + line))
    .join('\n');
}

function templateWith(endpointPolicy: string, bucketPolicy?: string): string {
  return `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  S3Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub com.amazonaws.\${AWS::Region}.s3
      RouteTableIds: [rtb-0a1b2c3d]
      PolicyDocument: ${indent(endpointPolicy, 8)}
${
  bucketPolicy === undefined
    ? ''
    : `  SecureBucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: my_secure_bucket
      PolicyDocument: ${indent(bucketPolicy, 8)}
`
}`;
}

const SEEDS: { name: string; yaml: string; expected?: readonly string[] }[] = [
  {
    name: 'endpoint policy restricting access to a specific bucket',
    yaml: templateWith(SPECIFIC_BUCKET_ENDPOINT_POLICY),
  },
  {
    name: 'endpoint policy for the Amazon Linux repositories',
    yaml: templateWith(AMAZON_LINUX_ENDPOINT_POLICY),
    // The document writes the repositories' Region as `*` (`packages.*.amazonaws.com`): anyone
    // may own a bucket of that name in a Region-like name AWS does not use. RULES.md asks
    // endpoint-policy-wildcard-bucket to say "pin the Region" there; nothing else may fire.
    expected: [
      'endpoint-policy-wildcard-bucket',
      'endpoint-policy-wildcard-bucket',
      'endpoint-policy-wildcard-bucket',
    ],
  },
  {
    name: 'bucket policy restricting access to endpoint vpce-1a2b3c4d',
    yaml: templateWith(
      SPECIFIC_BUCKET_ENDPOINT_POLICY,
      restrictedBucketPolicy('Access-to-specific-VPCE-only', 'aws:sourceVpce', 'vpce-1a2b3c4d'),
    ),
    expected: ['bucket-policy-locks-out-admins'],
  },
  {
    name: 'bucket policy restricting access to VPC vpc-111bbb22',
    yaml: templateWith(
      SPECIFIC_BUCKET_ENDPOINT_POLICY,
      restrictedBucketPolicy('Access-to-specific-VPC-only', 'aws:sourceVpc', 'vpc-111bbb22'),
    ),
    expected: ['bucket-policy-locks-out-admins'],
  },
];

/** The rules that rest on the source document: the seed examples are its correct usage. */
const DOCUMENT_RULES = new Set([
  'sourceip-deny-blocks-endpoint',
  'sourceip-deny-bypassed-via-endpoint',
  'sourceip-private-range',
  'vpce-condition-invalid-value',
  'endpoint-policy-full-access',
]);

describe('the source document examples', () => {
  it('covers every rule of the document in the registry', () => {
    expect(
      rules
        .filter((r) => DOCUMENT_RULES.has(r.id))
        .map((r) => r.id)
        .sort(),
    ).toEqual([...DOCUMENT_RULES].sort());
  });

  for (const seed of SEEDS) {
    it(`${seed.name}: only the findings listed for it`, async () => {
      const findings = await findingsFor(rules, seed.yaml);
      const unexpected = findings.filter((f) => !seed.expected?.includes(f.ruleId));
      expect(unexpected.map((f) => `${f.ruleId} ${f.range.startLine}: ${f.message}`)).toEqual([]);
      expect(findings.map((f) => f.ruleId)).toEqual(seed.expected ?? []);
    });
  }

  it('the same bucket policy without the VPC key is reported by the endpoint rules', async () => {
    // Sanity check that the templates are read: swap the endpoint condition for a source IP one.
    const yaml = templateWith(
      SPECIFIC_BUCKET_ENDPOINT_POLICY,
      restrictedBucketPolicy('Office-only', 'aws:SourceIp', '203.0.113.0/24').replace(
        'StringNotEquals',
        'NotIpAddress',
      ),
    );
    const ids = (await findingsFor(rules, yaml)).map((f) => f.ruleId);
    expect(ids.sort()).toEqual(['bucket-policy-locks-out-admins', 'sourceip-deny-blocks-endpoint']);
  });
});
