import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/bucket-policy-locks-out-admins.js';
import {
  checkTemplateCase,
  checkTerraformCase,
  findingsFor,
  type TemplateCase,
  type TerraformCase,
} from './helpers.js';
import { VPC, bucketPolicy, s3Endpoint, template, withConditions } from './templates.js';
import { TF_VPC, tfBucketPolicy, tfModule, tfS3Endpoint } from './terraform-templates.js';

function deny(condition: string, action = "'s3:*'", fire = ' # FIRE', extra = ''): string {
  return `
- Sid: NetworkOnly${fire}
  Effect: Deny
  Principal: '*'
  Action: ${action}
  Resource:
    - arn:aws:s3:::data-bucket
    - arn:aws:s3:::data-bucket/*
  Condition:
${condition
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
${extra}`;
}

const UNLESS_ENDPOINT = 'StringNotEquals:\n  aws:SourceVpce: !Ref S3Endpoint';

const cases: TemplateCase[] = [
  {
    name: 'fail_deny_unless_endpoint',
    yaml: template(VPC, s3Endpoint(), bucketPolicy(deny(UNLESS_ENDPOINT))),
    fire: {
      resource: 'BucketPolicy',
      severity: 'warning',
      words: ['BucketPolicy', 's3:PutBucketPolicy', 'NetworkOnly', 'root user'],
    },
  },
  {
    name: 'fail_deny_unless_vpc',
    yaml: template(VPC, bucketPolicy(deny('StringNotEquals:\n  aws:SourceVpc: !Ref Vpc'))),
    fire: { resource: 'BucketPolicy', severity: 'warning' },
  },
  {
    name: 'fail_deny_outside_office_range',
    yaml: template(bucketPolicy(deny('NotIpAddress:\n  aws:SourceIp: 52.94.76.0/24'))),
    fire: { resource: 'BucketPolicy', severity: 'warning' },
  },
  {
    name: 'fail_deny_only_put_bucket_policy',
    yaml: template(
      bucketPolicy(deny('StringNotEquals:\n  aws:SourceVpce: vpce-1a2b3c4d', 's3:PutBucketPolicy')),
    ),
    fire: { resource: 'BucketPolicy', severity: 'warning', words: ['s3:PutBucketPolicy'] },
  },
  {
    name: 'pass_admin_exempted_by_principal_arn',
    yaml: template(
      bucketPolicy(
        deny(
          `${UNLESS_ENDPOINT.replace('!Ref S3Endpoint', 'vpce-1a2b3c4d')}\nArnNotLike:\n  aws:PrincipalArn: arn:aws:iam::111122223333:role/Admin`,
          "'s3:*'",
          '',
        ),
      ),
    ),
  },
  {
    name: 'pass_admin_exempted_by_userid',
    yaml: template(
      bucketPolicy(
        deny(
          "StringNotEquals:\n  aws:SourceVpce: vpce-1a2b3c4d\nStringNotLike:\n  aws:userid: 'AROAEXAMPLE:*'",
          "'s3:*'",
          '',
        ),
      ),
    ),
  },
  {
    name: 'pass_policy_actions_excluded_by_notaction',
    yaml: template(
      bucketPolicy(
        deny('StringNotEquals:\n  aws:SourceVpce: vpce-1a2b3c4d', "'s3:*'", '').replace(
          "Action: 's3:*'",
          'NotAction: [s3:GetBucketPolicy, s3:PutBucketPolicy, s3:DeleteBucketPolicy]',
        ),
      ),
    ),
  },
  {
    name: 'pass_object_actions_only',
    yaml: template(
      bucketPolicy(deny('StringNotEquals:\n  aws:SourceVpce: vpce-1a2b3c4d', 's3:GetObject', '')),
    ),
  },
  {
    name: 'pass_deny_of_a_bad_range_only',
    yaml: template(bucketPolicy(deny('IpAddress:\n  aws:SourceIp: 52.94.76.0/24', "'s3:*'", ''))),
  },
  {
    name: 'pass_not_a_network_condition',
    yaml: template(bucketPolicy(deny("Bool:\n  aws:SecureTransport: 'false'", "'s3:*'", ''))),
  },
  {
    name: 'pass_unknown_source_ip_parameter',
    yaml: `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Office:
    Type: String
${template(bucketPolicy(deny('NotIpAddress:\n  aws:SourceIp: !Ref Office', "'s3:*'", ''))).replace(
  "AWSTemplateFormatVersion: '2010-09-09'\n",
  '',
)}`,
  },
  {
    name: 'fail_only_without_the_exemption',
    yaml: withConditions(
      "Exempt: !Equals [!Ref 'AWS::Region', us-east-1]",
      bucketPolicy(
        deny(
          'StringNotEquals:\n  aws:SourceVpce: vpce-1a2b3c4d\nArnNotLike: !If\n  - Exempt\n  - aws:PrincipalArn: arn:aws:iam::111122223333:role/Admin\n  - !Ref AWS::NoValue',
        ),
      ),
    ),
    fire: { resource: 'BucketPolicy', severity: 'warning', words: ['when Exempt is false'] },
  },
];

describe('bucket-policy-locks-out-admins', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { actual, wanted } = await checkTemplateCase(rule, c);
      expect(actual).toEqual(wanted);
    });
  }

  it('offers the PrincipalArn exemption and NotAction', async () => {
    const [finding, ...rest] = await findingsFor(
      rule,
      template(VPC, s3Endpoint(), bucketPolicy(deny(UNLESS_ENDPOINT))),
    );
    expect(rest).toEqual([]);
    expect(finding?.fix?.description).toContain('ArnNotLike: { aws:PrincipalArn: arn:aws:iam::');
    expect(finding?.fix?.description).toContain('NotAction');
  });

  it('keeps the fingerprint when lines move', async () => {
    const a = await findingsFor(
      rule,
      template(VPC, s3Endpoint(), bucketPolicy(deny(UNLESS_ENDPOINT))),
    );
    const b = await findingsFor(
      rule,
      template(
        s3Endpoint(),
        VPC,
        VPC.replace('Vpc:', 'Other:'),
        bucketPolicy(deny(UNLESS_ENDPOINT)),
      ),
    );
    expect(b[0]?.range.startLine).not.toBe(a[0]?.range.startLine);
    expect(b[0]?.fingerprint).toBe(a[0]?.fingerprint);
  });
});

const terraformCases: TerraformCase[] = [
  {
    name: 'fail_tf_jsonencode_deny_unless_endpoint',
    files: tfModule(
      TF_VPC,
      tfS3Endpoint(),
      tfBucketPolicy(`jsonencode({
    Statement = [{ # FIRE
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::data-bucket", "arn:aws:s3:::data-bucket/*"]
      Condition = { StringNotEquals = { "aws:SourceVpce" = aws_vpc_endpoint.s3.id } }
    }]
  })`),
    ),
    fire: {
      resource: 'aws_s3_bucket_policy.data',
      severity: 'warning',
      words: ['aws_s3_bucket_policy.data'],
    },
  },
  {
    name: 'fail_tf_policy_document_on_inline_bucket_policy_by_arn',
    files: tfModule(
      TF_VPC,
      `
resource "aws_s3_bucket" "b" {
  bucket_prefix = "data-"
  policy        = data.aws_iam_policy_document.b.json
}

data "aws_iam_policy_document" "b" {
  statement { # FIRE
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.b.arn, "\${aws_s3_bucket.b.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "aws:SourceVpc"
      values   = [aws_vpc.main.id]
    }
  }
}
`,
    ),
    fire: { resource: 'data.aws_iam_policy_document.b', severity: 'warning' },
  },
  {
    name: 'pass_tf_policy_document_exempts_admin',
    files: tfModule(
      TF_VPC,
      tfBucketPolicy('data.aws_iam_policy_document.bucket.json'),
      `
data "aws_iam_policy_document" "bucket" {
  statement {
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::data-bucket", "arn:aws:s3:::data-bucket/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "aws:SourceVpc"
      values   = [aws_vpc.main.id]
    }
    condition {
      test     = "ArnNotLike"
      variable = "aws:PrincipalArn"
      values   = ["arn:aws:iam::111122223333:role/Admin"]
    }
  }
}
`,
    ),
  },
];

describe('bucket-policy-locks-out-admins (Terraform)', () => {
  for (const c of terraformCases) {
    it(c.name, async () => {
      const { actual, wanted } = await checkTerraformCase(rule, c);
      expect(actual).toEqual(wanted);
    });
  }
});

describe('bucket-policy-locks-out-admins (CloudFormation JSON)', () => {
  it('points at the Deny statement of a JSON template', async () => {
    const json = JSON.stringify(
      {
        Resources: {
          Bucket: { Type: 'AWS::S3::Bucket' },
          Policy: {
            Type: 'AWS::S3::BucketPolicy',
            Properties: {
              Bucket: { Ref: 'Bucket' },
              PolicyDocument: {
                Statement: [
                  {
                    Sid: 'VpcOnly',
                    Effect: 'Deny',
                    Principal: { AWS: ['*'] },
                    Action: 's3:*',
                    Resource: [
                      { 'Fn::GetAtt': ['Bucket', 'Arn'] },
                      { 'Fn::Sub': '${Bucket.Arn}/*' },
                    ],
                    Condition: { StringNotEquals: { 'aws:SourceVpc': 'vpc-0a1b2c3d' } },
                  },
                ],
              },
            },
          },
        },
      },
      null,
      2,
    );
    const findings = await findingsFor(rule, json, 'template.json');
    expect(findings).toHaveLength(1);
    // The statement's range starts at its `{`; its Sid is on the next line.
    expect(json.split('\n')[findings[0]?.range.startLine ?? 0]).toContain('Sid');
    expect(findings[0]?.message).toContain('VpcOnly');
  });
});
