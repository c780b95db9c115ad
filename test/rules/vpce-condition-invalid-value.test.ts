import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/vpce-condition-invalid-value.js';
import {
  checkTemplateCase,
  checkTerraformCase,
  findingsFor,
  findingsForTerraform,
  type ExpectedFinding,
  type TemplateCase,
  type TerraformCase,
} from './helpers.js';
import { VPC, bucketPolicy, s3Endpoint, template } from './templates.js';
import {
  TF_VPC,
  tfBucketPolicy,
  tfDenyDocument,
  tfModule,
  tfS3Endpoint,
  tfCondition,
} from './terraform-templates.js';

function deny(operator: string, key: string, values: string[]): string {
  return `
- Sid: Restrict
  Effect: Deny
  Principal: '*'
  Action: 's3:*'
  Resource: arn:aws:s3:::data-bucket/*
  Condition:
    ${operator}:
      ${key}:
${values.map((v) => `        - ${v}`).join('\n')}
`;
}

const PARAMS = 'Parameters:\n  EndpointId:\n    Type: String\nResources:';

const fire = (...words: string[]): Omit<ExpectedFinding, 'line'> => ({
  resource: 'BucketPolicy',
  severity: 'error',
  words,
});

const cases: TemplateCase[] = [
  {
    name: 'pass_endpoint_ids',
    yaml: template(
      VPC,
      s3Endpoint(),
      bucketPolicy(
        deny('StringNotEquals', 'aws:SourceVpce', [
          '!Ref S3Endpoint',
          '!GetAtt S3Endpoint.Id',
          'vpce-1a2b3c4d',
          '!Ref EndpointId',
        ]),
      ),
    ).replace('Resources:', PARAMS),
  },
  {
    name: 'pass_like_patterns',
    yaml: template(
      bucketPolicy(deny('StringNotLike', 'aws:SourceVpce', ["'vpce-*'", "'*'", "'vpce-0a?b*'"])),
    ),
  },
  {
    name: 'fail_arns_for_sourcevpce',
    yaml: template(
      VPC,
      s3Endpoint(),
      bucketPolicy(
        deny('StringNotEquals', 'aws:SourceVpce', [
          'arn:aws:ec2:us-east-1:111122223333:vpc-endpoint/vpce-1a2b3c4d # FIRE',
          '!Sub arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:vpc-endpoint/${S3Endpoint} # FIRE',
          '!GetAtt S3Endpoint.Arn # FIRE',
        ]),
      ),
    ),
    fire: fire('aws:SourceVpce', 'ARN', 'an endpoint ID'),
  },
  {
    name: 'fail_vpc_ids_for_sourcevpce',
    yaml: template(
      VPC,
      s3Endpoint(),
      bucketPolicy(
        deny('StringEquals', 'aws:sourceVpce', [
          'vpc-111bbb22 # FIRE',
          '!Ref Vpc # FIRE',
          '!GetAtt S3Endpoint.VpcId # FIRE',
        ]),
      ),
    ),
    fire: fire('VPC', 'while the key holds an endpoint ID', 'never matches'),
  },
  {
    name: 'fail_malformed_literals',
    yaml: template(
      bucketPolicy(
        deny('StringEquals', 'aws:SourceVpce', [
          'VPCE-1A2B # FIRE',
          'my-endpoint # FIRE',
          "'vpce-*' # FIRE",
        ]),
      ),
    ),
    fire: fire('not an endpoint ID'),
  },
  {
    name: 'fail_ignore_case_accepts_upper_case_but_not_garbage',
    yaml: template(
      bucketPolicy(
        deny('StringEqualsIgnoreCase', 'aws:SourceVpce', ['VPCE-1A2B', 'endpoint-1 # FIRE']),
      ),
    ),
    fire: fire('endpoint-1'),
  },
  {
    name: 'pass_vpc_ids',
    yaml: template(
      VPC,
      s3Endpoint(),
      bucketPolicy(
        deny('StringNotEquals', 'aws:SourceVpc', [
          'vpc-111bbb22',
          '!Ref Vpc',
          '!GetAtt S3Endpoint.VpcId',
        ]),
      ),
    ),
  },
  {
    name: 'fail_not_vpc_ids_for_sourcevpc',
    yaml: template(
      VPC,
      s3Endpoint(),
      bucketPolicy(
        deny('StringNotEquals', 'aws:SourceVpc', [
          'vpce-1a2b3c4d # FIRE',
          '!Ref S3Endpoint # FIRE',
          'arn:aws:ec2:us-east-1:111122223333:vpc/vpc-111bbb22 # FIRE',
          '!GetAtt Vpc.Arn # FIRE',
        ]),
      ),
    ),
    fire: fire('aws:SourceVpc', 'a VPC ID'),
  },
  {
    name: 'fail_ip_operator',
    yaml: template(bucketPolicy(deny('NotIpAddress', 'aws:SourceVpce', ['10.0.0.0/8']))).replace(
      'aws:SourceVpce:\n',
      'aws:SourceVpce: # FIRE\n',
    ),
    fire: fire('NotIpAddress', 'not an IP address'),
  },
  {
    name: 'pass_sourcevpcarn_takes_an_arn',
    yaml: template(
      bucketPolicy(
        deny('ArnNotEquals', 'aws:SourceVpcArn', [
          'arn:aws:ec2:us-east-1:111122223333:vpc/vpc-111bbb22',
        ]),
      ),
    ),
  },
  {
    name: 'pass_null_test',
    yaml: template(bucketPolicy(deny("'Null'", 'aws:SourceVpce', ["'true'"]))),
  },
];

describe('vpce-condition-invalid-value', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { actual, wanted } = await checkTemplateCase(rule, c);
      expect(actual).toEqual(wanted);
    });
  }

  it('names what the value is instead', async () => {
    const yaml = template(
      VPC,
      s3Endpoint(),
      bucketPolicy(
        deny('StringNotEquals', 'aws:SourceVpce', ['!GetAtt S3Endpoint.Arn', '!Ref Vpc']),
      ),
    );
    const messages = (await findingsFor(rule, yaml)).map((f) => f.message);
    expect(messages.some((m) => m.includes('the ARN of S3Endpoint'))).toBe(true);
    expect(
      messages.some((m) =>
        m.includes('with !Ref Vpc in statement "Restrict", which is the ID of VPC Vpc'),
      ),
    ).toBe(true);
  });
});

// Terraform: the same rule on the same model, with policies written as jsonencode, heredoc JSON
// and data "aws_iam_policy_document"; lines marked # FIRE are where the findings must point.
const terraformCases: TerraformCase[] = [
  {
    name: 'fail_tf_jsonencode_endpoint_arn_for_sourcevpce',
    files: tfModule(
      TF_VPC,
      tfS3Endpoint(),
      tfBucketPolicy(`jsonencode({
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = "arn:aws:s3:::data-bucket/*"
      Condition = {
        StringNotEquals = { "aws:SourceVpce" = aws_vpc_endpoint.s3.arn } # FIRE
      }
    }]
  })`),
    ),
    fire: { resource: 'aws_s3_bucket_policy.data', severity: 'error' },
  },
  {
    name: 'fail_tf_heredoc_vpc_id_for_sourcevpce',
    files: tfModule(
      tfBucketPolicy(`<<EOF
{
  "Statement": [{
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": "arn:aws:s3:::data-bucket/*",
    "Condition": {"StringNotEquals": {
      "aws:SourceVpce": "vpc-0123456789abcdef0" # FIRE
    }}
  }]
}
EOF`),
    ),
    fire: { resource: 'aws_s3_bucket_policy.data', severity: 'error' },
  },
  {
    name: 'fail_tf_policy_document_endpoint_for_sourcevpc',
    files: tfModule(
      TF_VPC,
      tfS3Endpoint(),
      tfBucketPolicy('data.aws_iam_policy_document.bucket.json'),
      tfDenyDocument(
        tfCondition('StringNotEquals', 'aws:SourceVpc', '[aws_vpc_endpoint.s3.id] # FIRE'),
      ),
    ),
    fire: { resource: 'data.aws_iam_policy_document.bucket', severity: 'error' },
  },
  {
    name: 'pass_tf_policy_document_endpoint_and_vpc_ids',
    files: tfModule(
      TF_VPC,
      tfS3Endpoint(),
      tfBucketPolicy('data.aws_iam_policy_document.bucket.json'),
      tfDenyDocument(
        tfCondition(
          'StringNotEquals',
          'aws:SourceVpce',
          '[aws_vpc_endpoint.s3.id, "vpce-0123456789abcdef0"]',
        ) + tfCondition('StringNotEquals', 'aws:SourceVpc', '[aws_vpc.main.id]'),
      ),
    ),
  },
  {
    name: 'pass_tf_jsonencode_endpoint_id',
    files: tfModule(
      TF_VPC,
      tfS3Endpoint(),
      tfBucketPolicy(`jsonencode({
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = "arn:aws:s3:::data-bucket/*"
      Condition = { StringNotEquals = { "aws:SourceVpce" = aws_vpc_endpoint.s3.id } }
    }]
  })`),
    ),
  },
];

describe('vpce-condition-invalid-value (Terraform)', () => {
  for (const c of terraformCases) {
    it(c.name, async () => {
      const { actual, wanted } = await checkTerraformCase(rule, c);
      expect(actual).toEqual(wanted);
    });
  }

  it('words the fix in Terraform terms', async () => {
    const [finding] = await findingsForTerraform(
      rule,
      tfModule(
        TF_VPC,
        tfS3Endpoint(),
        tfBucketPolicy(
          'jsonencode({ Statement = [{ Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "arn:aws:s3:::data-bucket/*", Condition = { StringNotEquals = { "aws:SourceVpce" = aws_vpc_endpoint.s3.arn } } }] })',
        ),
      ),
    );
    expect(finding?.fix?.description).toMatch(/^Use the endpoint ID: aws_vpc_endpoint\.<name>\.id/);
  });
});
