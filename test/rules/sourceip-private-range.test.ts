import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/sourceip-private-range.js';
import { DEFAULT_RULE_SETTINGS } from '../../src/rules/settings.js';
import {
  checkTemplateCase,
  checkTerraformCase,
  findingsFor,
  type TemplateCase,
  type TerraformCase,
} from './helpers.js';
import { bucketPolicy, managedPolicy, template, withConditions } from './templates.js';
import { TF_VPC, tfBucketPolicy, tfIamPolicy, tfModule } from './terraform-templates.js';

function statement(operator: string, key: string, values: string[], effect = 'Allow'): string {
  return `
- Effect: ${effect}
  Principal: '*'
  Action: s3:GetObject
  Resource: arn:aws:s3:::data-bucket/*
  Condition:
    ${operator}:
      ${key}:
${values.map((v) => `        - ${v}`).join('\n')}
`;
}

const cases: TemplateCase[] = [
  {
    // Private source addresses never reach S3, endpoint or not.
    name: 'fail_whatever_assume_endpoint_says',
    yaml: template(bucketPolicy(statement('IpAddress', 'aws:SourceIp', ['10.1.0.0/16 # FIRE']))),
    options: { settings: { ...DEFAULT_RULE_SETTINGS, assumeEndpoint: 'never' } },
    fire: { resource: 'BucketPolicy', severity: 'error' },
  },
  {
    name: 'fail_rfc1918_ranges_only_the_private_values',
    yaml: template(
      bucketPolicy(
        statement('IpAddress', 'aws:SourceIp', [
          '203.0.113.0/24',
          '10.0.0.0/16 # FIRE',
          '172.16.5.0/24 # FIRE',
          '192.168.1.7 # FIRE',
          '172.32.0.0/16',
        ]),
      ),
    ),
    fire: { resource: 'BucketPolicy', severity: 'error', words: ['RFC 1918', 'never matches'] },
  },
  {
    name: 'fail_notipaddress_in_iam_policy_carrier_nat',
    yaml: template(
      managedPolicy(
        statement('NotIpAddress', 'aws:SourceIp', ['100.64.12.0/24 # FIRE'], 'Deny').replace(
          "  Principal: '*'\n",
          '',
        ),
      ),
    ),
    fire: {
      resource: 'ManagedPolicy',
      severity: 'error',
      words: ['carrier-grade NAT', 'NotIpAddress'],
    },
  },
  {
    name: 'fail_ipv6_unique_local',
    yaml: template(
      bucketPolicy(
        statement('IpAddress', 'aws:sourceip', ["'fd12:3456::/48' # FIRE", "'2001:db8::/32'"]),
      ),
    ),
    fire: { resource: 'BucketPolicy', severity: 'error', words: ['IPv6 unique local'] },
  },
  {
    name: 'fail_inside_a_vpc_cidr_of_the_scope',
    yaml: template(
      `
Vpc:
  Type: AWS::EC2::VPC
  Properties:
    CidrBlock: 44.10.0.0/16
`,
      bucketPolicy(statement('IpAddress', 'aws:SourceIp', ['44.10.3.0/24 # FIRE', '44.11.0.0/24'])),
    ),
    fire: { resource: 'BucketPolicy', severity: 'error', words: ['the CIDR block of VPC Vpc'] },
  },
  {
    name: 'fail_reference_to_a_vpc_cidr',
    yaml: template(
      `
Vpc:
  Type: AWS::EC2::VPC
  Properties:
    CidrBlock: !Ref VpcCidr
`,
      bucketPolicy(statement('IpAddress', 'aws:SourceIp', ['!GetAtt Vpc.CidrBlock # FIRE'])),
    ).replace('Resources:', 'Parameters:\n  VpcCidr:\n    Type: String\nResources:'),
    fire: { resource: 'BucketPolicy', severity: 'error', words: ['the CIDR block of VPC Vpc'] },
  },
  {
    name: 'pass_public_and_wide_ranges',
    yaml: template(
      bucketPolicy(
        statement('IpAddress', 'aws:SourceIp', ['0.0.0.0/0', '203.0.113.0/24', "'::/0'"]),
      ),
    ),
  },
  {
    name: 'pass_private_range_on_vpcsourceip',
    yaml: template(bucketPolicy(statement('IpAddress', 'aws:VpcSourceIp', ['10.0.0.0/16']))),
  },
  {
    name: 'pass_parameter_value',
    yaml: template(
      bucketPolicy(statement('IpAddress', 'aws:SourceIp', ['!Ref OfficeRange'])),
    ).replace('Resources:', 'Parameters:\n  OfficeRange:\n    Type: String\nResources:'),
  },
  {
    name: 'fail_only_in_one_branch',
    yaml: withConditions(
      "UseVpcRange: !Equals [!Ref 'AWS::Region', us-east-1]",
      bucketPolicy(
        statement('IpAddress', 'aws:SourceIp', [
          '!If [UseVpcRange, 10.1.0.0/16, 203.0.113.0/24] # FIRE',
        ]),
      ),
    ),
    fire: { resource: 'BucketPolicy', severity: 'error', words: ['(when UseVpcRange is true)'] },
  },
];

describe('sourceip-private-range', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { actual, wanted } = await checkTemplateCase(rule, c);
      expect(actual).toEqual(wanted);
    });
  }

  it('points at the value itself', async () => {
    const yaml = template(bucketPolicy(statement('IpAddress', 'aws:SourceIp', ['10.0.0.0/16'])));
    const [finding] = await findingsFor(rule, yaml);
    const line = yaml.split('\n')[(finding?.range.startLine ?? 0) - 1] ?? '';
    expect(
      line.slice((finding?.range.startColumn ?? 1) - 1, (finding?.range.endColumn ?? 1) - 1),
    ).toBe('10.0.0.0/16');
  });
});

// Terraform: the same rule on the same model, with policies written as jsonencode, heredoc JSON
// and data "aws_iam_policy_document"; lines marked # FIRE are where the findings must point.
const terraformCases: TerraformCase[] = [
  {
    name: 'fail_tf_jsonencode_rfc1918_range',
    files: tfModule(
      tfBucketPolicy(`jsonencode({
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = "arn:aws:s3:::data-bucket/*"
      Condition = {
        NotIpAddress = {
          "aws:SourceIp" = [
            "10.0.0.0/8", # FIRE
            "203.0.113.0/24",
          ]
        }
      }
    }]
  })`),
    ),
    fire: { resource: 'aws_s3_bucket_policy.data', severity: 'error' },
  },
  {
    name: 'fail_tf_heredoc_vpc_cidr_of_the_module',
    files: tfModule(
      TF_VPC,
      tfIamPolicy(`<<EOF
{
  "Statement": [{
    "Effect": "Allow",
    "Action": "s3:GetObject",
    "Resource": "*",
    "Condition": {"IpAddress": {"aws:SourceIp": [
      "10.20.1.0/24" # FIRE
    ]}}
  }]
}
EOF`),
    ),
    fire: { resource: 'aws_iam_policy.app', severity: 'error' },
  },
  {
    name: 'fail_tf_policy_document_carrier_nat_range',
    files: tfModule(
      tfIamPolicy('data.aws_iam_policy_document.app.json'),
      `
data "aws_iam_policy_document" "app" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
    condition {
      test     = "IpAddress"
      variable = "aws:SourceIp"
      values   = ["100.64.0.0/10"] # FIRE
    }
  }
}
`,
    ),
    fire: { resource: 'data.aws_iam_policy_document.app', severity: 'error' },
  },
  {
    name: 'pass_tf_policy_document_private_range_on_vpcsourceip',
    files: tfModule(
      tfIamPolicy('data.aws_iam_policy_document.app.json'),
      `
data "aws_iam_policy_document" "app" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
    condition {
      test     = "IpAddress"
      variable = "aws:VpcSourceIp"
      values   = ["10.0.0.0/8"]
    }
  }
}
`,
    ),
  },
  {
    name: 'pass_tf_jsonencode_variable_value',
    files: tfModule(
      'variable "office" {\n  type = list(string)\n}\n',
      tfIamPolicy(`jsonencode({
    Statement = [{
      Effect    = "Allow"
      Action    = "s3:GetObject"
      Resource  = "*"
      Condition = { IpAddress = { "aws:SourceIp" = var.office } }
    }]
  })`),
    ),
  },
];

describe('sourceip-private-range (Terraform)', () => {
  for (const c of terraformCases) {
    it(c.name, async () => {
      const { actual, wanted } = await checkTerraformCase(rule, c);
      expect(actual).toEqual(wanted);
    });
  }
});
