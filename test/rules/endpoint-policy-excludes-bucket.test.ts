import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/endpoint-policy-excludes-bucket.js';
import {
  checkTemplateCase,
  checkTerraformCase,
  findingsFor,
  type TemplateCase,
  type TerraformCase,
} from './helpers.js';
import { VPC, bucketPolicy, s3Endpoint, template, withConditions } from './templates.js';
import {
  TF_VPC,
  tfBucketPolicy,
  tfDenyDocument,
  tfModule,
  tfS3Endpoint,
  tfCondition,
} from './terraform-templates.js';

/** An endpoint policy statement allowing `actions` on `resources` for everyone. */
function allow(resources: string, actions = "'s3:GetObject'"): string {
  return `
- Effect: Allow
  Principal: '*'
  Action: ${actions}
  Resource: ${resources}
`;
}

const ONLY_OTHER = allow('arn:aws:s3:::other-bucket/*', "['s3:GetObject', 's3:PutObject']");

function denyUnless(key: string, value: string, fire = ' # FIRE'): string {
  return `
- Sid: EndpointOnly
  Effect: Deny
  Principal: '*'
  Action: 's3:*'
  Resource:
    - arn:aws:s3:::data-bucket
    - arn:aws:s3:::data-bucket/*
  Condition:
    StringNotEquals:
      ${key}: ${value}${fire}
`;
}

const DENY_UNLESS_ENDPOINT = denyUnless('aws:SourceVpce', '!Ref S3Endpoint');

const BUCKET = `
Bucket:
  Type: AWS::S3::Bucket
`;
const OTHER_BUCKET = `
OtherBucket:
  Type: AWS::S3::Bucket
`;

const symbolicDeny = (fire = ' # FIRE') =>
  bucketPolicy(denyUnless('aws:SourceVpce', '!Ref S3Endpoint', fire))
    .replace('Bucket: data-bucket', 'Bucket: !Ref Bucket')
    .replace('- arn:aws:s3:::data-bucket\n', '- !GetAtt Bucket.Arn\n')
    .replace('- arn:aws:s3:::data-bucket/*', "- !Sub '${Bucket.Arn}/*'");

const cases: TemplateCase[] = [
  {
    name: 'fail_deny_unless_endpoint_whose_policy_names_another_bucket',
    yaml: template(VPC, s3Endpoint('S3Endpoint', ONLY_OTHER), bucketPolicy(DENY_UNLESS_ENDPOINT)),
    fire: {
      resource: 'BucketPolicy',
      severity: 'error',
      words: ['BucketPolicy', 'S3Endpoint', 'arn:aws:s3:::data-bucket', 'unreachable'],
      related: ['S3Endpoint'],
    },
  },
  {
    name: 'fail_deny_unless_endpoint_vpc',
    yaml: template(
      VPC,
      s3Endpoint('S3Endpoint', ONLY_OTHER),
      bucketPolicy(denyUnless('aws:SourceVpc', '!Ref Vpc')),
    ),
    fire: { resource: 'BucketPolicy', severity: 'error', related: ['S3Endpoint'] },
  },
  {
    name: 'fail_allow_only_through_endpoint',
    yaml: template(
      VPC,
      s3Endpoint('S3Endpoint', ONLY_OTHER),
      bucketPolicy(`
- Effect: Allow
  Principal: '*'
  Action: s3:GetObject
  Resource: arn:aws:s3:::data-bucket/*
  Condition:
    StringEquals:
      aws:SourceVpce: !Ref S3Endpoint # FIRE
`),
    ),
    fire: { resource: 'BucketPolicy', severity: 'error' },
  },
  {
    name: 'pass_partial_overlap_is_a_design_choice',
    yaml: template(
      VPC,
      s3Endpoint('S3Endpoint', allow('arn:aws:s3:::data-bucket/*')),
      bucketPolicy(denyUnless('aws:SourceVpce', '!Ref S3Endpoint', '')),
    ),
  },
  {
    name: 'pass_endpoint_without_policy_allows_everything',
    yaml: template(VPC, s3Endpoint(), bucketPolicy(DENY_UNLESS_ENDPOINT.replace(' # FIRE', ''))),
  },
  {
    name: 'pass_bucket_policy_does_not_require_the_endpoint',
    yaml: template(
      VPC,
      s3Endpoint('S3Endpoint', ONLY_OTHER),
      bucketPolicy(allow('arn:aws:s3:::data-bucket/*')),
    ),
  },
  {
    name: 'pass_symbolic_bucket_named_by_arn_in_endpoint_policy',
    yaml: template(
      VPC,
      BUCKET,
      s3Endpoint('S3Endpoint', allow("!Sub '${Bucket.Arn}/*'")),
      symbolicDeny(''),
    ),
  },
  {
    name: 'pass_symbolic_bucket_named_by_sub_in_endpoint_policy',
    yaml: template(
      VPC,
      BUCKET,
      s3Endpoint('S3Endpoint', allow("!Sub 'arn:aws:s3:::${Bucket}/*'")),
      symbolicDeny(''),
    ),
  },
  {
    name: 'fail_symbolic_endpoint_policy_names_another_bucket',
    yaml: template(
      VPC,
      BUCKET,
      OTHER_BUCKET,
      s3Endpoint('S3Endpoint', allow("!Sub '${OtherBucket.Arn}/*'")),
      symbolicDeny(),
    ),
    fire: { resource: 'BucketPolicy', severity: 'error', words: ['${Bucket}'] },
  },
  {
    // The parameter may be data-bucket: unknown, so silent.
    name: 'pass_unknown_bucket_in_endpoint_policy',
    yaml: `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  AllowedBucket:
    Type: String
${template(
  VPC,
  s3Endpoint('S3Endpoint', allow("!Sub 'arn:aws:s3:::${AllowedBucket}/*'")),
  bucketPolicy(DENY_UNLESS_ENDPOINT.replace(' # FIRE', '')),
).replace("AWSTemplateFormatVersion: '2010-09-09'\n", '')}`,
  },
  {
    name: 'fail_only_when_the_restriction_is_switched_on',
    yaml: withConditions(
      "Restrict: !Equals [!Ref 'AWS::Region', us-east-1]",
      VPC,
      s3Endpoint('S3Endpoint', ONLY_OTHER),
      bucketPolicy(`
- Sid: EndpointOnly
  Effect: Deny
  Principal: '*'
  Action: 's3:*'
  Resource: arn:aws:s3:::data-bucket/*
  Condition: !If
    - Restrict
    - StringNotEquals:
        aws:SourceVpce: !Ref S3Endpoint # FIRE
    - !Ref AWS::NoValue
`),
    ),
    fire: { resource: 'BucketPolicy', severity: 'error', words: ['when Restrict is true'] },
  },
  {
    // vpce-0123 is known from the configuration only: its policy is unknown.
    name: 'pass_endpoint_known_from_settings',
    yaml: template(
      VPC,
      s3Endpoint('S3Endpoint', ONLY_OTHER),
      bucketPolicy(denyUnless('aws:SourceVpce', 'vpce-0123', '')),
    ),
    options: {
      settings: {
        endpoints: [{ id: 'vpce-0123' }],
        vpcs: [],
        services: [],
        assumeEndpoint: 'auto',
      },
    },
  },
];

describe('endpoint-policy-excludes-bucket', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { actual, wanted } = await checkTemplateCase(rule, c);
      expect(actual).toEqual(wanted);
    });
  }

  it('names the endpoint and the exact ARNs in the fix', async () => {
    const [finding, ...rest] = await findingsFor(
      rule,
      template(VPC, s3Endpoint('S3Endpoint', ONLY_OTHER), bucketPolicy(DENY_UNLESS_ENDPOINT)),
    );
    expect(rest).toEqual([]);
    expect(finding?.fix?.description).toBe(
      'Add arn:aws:s3:::data-bucket and arn:aws:s3:::data-bucket/* to the Resource of an Allow statement in the endpoint policy of S3Endpoint.',
    );
    expect(finding?.related[0]?.message).toContain('allows nothing');
  });

  it('keeps the fingerprint when statements move', async () => {
    const a = await findingsFor(
      rule,
      template(VPC, s3Endpoint('S3Endpoint', ONLY_OTHER), bucketPolicy(DENY_UNLESS_ENDPOINT)),
    );
    const b = await findingsFor(
      rule,
      template(
        s3Endpoint('S3Endpoint', ONLY_OTHER),
        VPC,
        bucketPolicy(allow('arn:aws:s3:::data-bucket/public/*') + DENY_UNLESS_ENDPOINT),
      ),
    );
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(1);
    expect(b[0]?.range.startLine).not.toBe(a[0]?.range.startLine);
    expect(b[0]?.fingerprint).toBe(a[0]?.fingerprint);
  });
});

const TF_ONLY_OTHER = `jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = ["s3:GetObject"]
      Resource  = ["arn:aws:s3:::other-bucket/*"]
    }]
  })`;

const terraformCases: TerraformCase[] = [
  {
    name: 'fail_tf_jsonencode_deny_unless_endpoint',
    files: tfModule(
      TF_VPC,
      tfS3Endpoint(TF_ONLY_OTHER),
      tfBucketPolicy(`jsonencode({
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::data-bucket", "arn:aws:s3:::data-bucket/*"]
      Condition = {
        StringNotEquals = {
          "aws:SourceVpce" = aws_vpc_endpoint.s3.id # FIRE
        }
      }
    }]
  })`),
    ),
    fire: {
      resource: 'aws_s3_bucket_policy.data',
      severity: 'error',
      words: ['aws_vpc_endpoint.s3', 'arn:aws:s3:::data-bucket'],
    },
  },
  {
    name: 'fail_tf_policy_document_deny_unless_vpc',
    files: tfModule(
      TF_VPC,
      tfS3Endpoint(TF_ONLY_OTHER),
      tfBucketPolicy('data.aws_iam_policy_document.bucket.json'),
      tfDenyDocument(tfCondition('StringNotEquals', 'aws:SourceVpc', '[aws_vpc.main.id]', true)),
    ),
    fire: { resource: 'data.aws_iam_policy_document.bucket', severity: 'error' },
  },
  {
    name: 'pass_tf_endpoint_policy_names_the_bucket_by_arn',
    files: tfModule(
      TF_VPC,
      `
resource "aws_s3_bucket" "b" {
  bucket_prefix = "data-"
}
`,
      tfS3Endpoint(`jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "\${aws_s3_bucket.b.arn}/*"
    }]
  })`),
      tfBucketPolicy(`jsonencode({
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = "\${aws_s3_bucket.b.arn}/*"
      Condition = { StringNotEquals = { "aws:SourceVpce" = aws_vpc_endpoint.s3.id } }
    }]
  })`).replace('bucket = "data-bucket"', 'bucket = aws_s3_bucket.b.id'),
    ),
  },
  {
    name: 'fail_tf_endpoint_policy_names_another_bucket_by_arn',
    files: tfModule(
      TF_VPC,
      `
resource "aws_s3_bucket" "b" {
  bucket_prefix = "data-"
}

resource "aws_s3_bucket" "other" {
  bucket_prefix = "other-"
}
`,
      tfS3Endpoint(`jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "\${aws_s3_bucket.other.arn}/*"
    }]
  })`),
      tfBucketPolicy(`jsonencode({
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = "\${aws_s3_bucket.b.arn}/*"
      Condition = { StringNotEquals = { "aws:SourceVpce" = aws_vpc_endpoint.s3.id } } # FIRE
    }]
  })`).replace('bucket = "data-bucket"', 'bucket = aws_s3_bucket.b.id'),
    ),
    fire: {
      resource: 'aws_s3_bucket_policy.data',
      severity: 'error',
      words: ['aws_s3_bucket.b.id'],
    },
  },
  {
    name: 'pass_tf_literal_bucket_name_matches_its_arn',
    files: tfModule(
      TF_VPC,
      `
resource "aws_s3_bucket" "b" {
  bucket = "data-bucket"
}
`,
      tfS3Endpoint(`jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "\${aws_s3_bucket.b.arn}/*"
    }]
  })`),
      tfBucketPolicy('data.aws_iam_policy_document.bucket.json'),
      tfDenyDocument(tfCondition('StringNotEquals', 'aws:SourceVpce', '[aws_vpc_endpoint.s3.id]')),
    ),
  },
  {
    name: 'fail_tf_inline_bucket_policy_allow_only_through_endpoint',
    files: tfModule(
      TF_VPC,
      tfS3Endpoint(TF_ONLY_OTHER),
      `
resource "aws_s3_bucket" "b" {
  bucket = "data-bucket"
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::data-bucket/*"
      Condition = { StringEquals = { "aws:SourceVpce" = aws_vpc_endpoint.s3.id } } # FIRE
    }]
  })
}
`,
    ),
    fire: { resource: 'aws_s3_bucket.b', severity: 'error', words: ['aws_s3_bucket.b'] },
  },
];

describe('endpoint-policy-excludes-bucket (Terraform)', () => {
  for (const c of terraformCases) {
    it(c.name, async () => {
      const { actual, wanted } = await checkTerraformCase(rule, c);
      expect(actual).toEqual(wanted);
    });
  }
});

describe('endpoint-policy-excludes-bucket (CloudFormation JSON)', () => {
  it('points at the aws:SourceVpce key of a JSON template', async () => {
    const json = JSON.stringify(
      {
        Resources: {
          Bucket: { Type: 'AWS::S3::Bucket' },
          Other: { Type: 'AWS::S3::Bucket' },
          S3Endpoint: {
            Type: 'AWS::EC2::VPCEndpoint',
            Properties: {
              VpcId: 'vpc-0a1b2c3d',
              ServiceName: { 'Fn::Sub': 'com.amazonaws.${AWS::Region}.s3' },
              PolicyDocument: {
                Statement: [
                  {
                    Effect: 'Allow',
                    Principal: '*',
                    Action: 's3:*',
                    Resource: [{ 'Fn::Sub': '${Other.Arn}/*' }, { 'Fn::GetAtt': ['Other', 'Arn'] }],
                  },
                ],
              },
            },
          },
          Policy: {
            Type: 'AWS::S3::BucketPolicy',
            Properties: {
              Bucket: { Ref: 'Bucket' },
              PolicyDocument: {
                Statement: [
                  {
                    Effect: 'Deny',
                    Principal: '*',
                    Action: 's3:*',
                    Resource: [{ 'Fn::Sub': 'arn:aws:s3:::${Bucket}/*' }],
                    Condition: { StringNotEquals: { 'aws:SourceVpce': { Ref: 'S3Endpoint' } } },
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
    const [finding] = findings;
    expect(json.split('\n')[(finding?.range.startLine ?? 0) - 1]).toContain('aws:SourceVpce');
    expect(finding?.resource).toBe('Policy');
    expect(finding?.fix?.description).toContain('arn:aws:s3:::${Bucket}/*');
  });
});
