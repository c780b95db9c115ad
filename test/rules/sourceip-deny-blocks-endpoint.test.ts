import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/sourceip-deny-blocks-endpoint.js';
import { DEFAULT_RULE_SETTINGS } from '../../src/rules/settings.js';
import {
  checkTemplateCase,
  checkTerraformCase,
  findingsFor,
  type TemplateCase,
  type TerraformCase,
} from './helpers.js';
import {
  VPC,
  bucketPolicy,
  managedPolicy,
  s3Endpoint,
  template,
  withConditions,
} from './templates.js';
import {
  TF_VPC,
  tfBucketPolicy,
  tfDenyDocument,
  tfModule,
  tfS3Endpoint,
  tfCondition,
} from './terraform-templates.js';

const DENY_OUTSIDE_OFFICE = `
- Sid: OfficeOnly
  Effect: Deny
  Principal: '*'
  Action: 's3:*'
  Resource: arn:aws:s3:::data-bucket/*
  Condition:
    NotIpAddress:
      aws:SourceIp: 203.0.113.0/24 # FIRE
`;

function denyWith(extraCondition: string, operator = 'NotIpAddress', action = "'s3:*'"): string {
  return `
- Sid: OfficeOnly
  Effect: Deny
  Principal: '*'
  Action: ${action}
  Resource: arn:aws:s3:::data-bucket/*
  Condition:
    ${operator}:
      aws:SourceIp: 203.0.113.0/24 # FIRE
${extraCondition
  .split('\n')
  .map((l) => (l.trim() ? `    ${l}` : l))
  .join('\n')}
`;
}

const cases: TemplateCase[] = [
  {
    name: 'fail_config_endpoint_makes_it_an_error',
    yaml: template(bucketPolicy(DENY_OUTSIDE_OFFICE)),
    options: { settings: { ...DEFAULT_RULE_SETTINGS, endpoints: [{ id: 'vpce-0a1b2c3d' }] } },
    fire: { resource: 'BucketPolicy', severity: 'error' },
  },
  {
    name: 'fail_assume_endpoint_always_is_an_error',
    yaml: template(bucketPolicy(DENY_OUTSIDE_OFFICE)),
    options: { settings: { ...DEFAULT_RULE_SETTINGS, assumeEndpoint: 'always' } },
    fire: { resource: 'BucketPolicy', severity: 'error' },
  },
  {
    name: 'fail_assume_endpoint_never_is_a_warning',
    yaml: template(VPC, s3Endpoint(), bucketPolicy(DENY_OUTSIDE_OFFICE)),
    options: { settings: { ...DEFAULT_RULE_SETTINGS, assumeEndpoint: 'never' } },
    fire: { resource: 'BucketPolicy', severity: 'warning', related: ['S3Endpoint'] },
  },
  {
    name: 'fail_deny_notipaddress_with_endpoint_in_scope',
    yaml: template(VPC, s3Endpoint(), bucketPolicy(DENY_OUTSIDE_OFFICE)),
    fire: {
      resource: 'BucketPolicy',
      severity: 'error',
      words: ['BucketPolicy', 'S3Endpoint', 'OfficeOnly', 'NotIpAddress', 'aws:SourceIp'],
      related: ['S3Endpoint'],
    },
  },
  {
    name: 'fail_no_endpoint_in_scope_is_a_warning',
    yaml: template(bucketPolicy(DENY_OUTSIDE_OFFICE)),
    fire: {
      resource: 'BucketPolicy',
      severity: 'warning',
      words: ['any VPC endpoint'],
      related: [],
    },
  },
  {
    name: 'pass_exempts_the_endpoint_by_id',
    yaml: template(
      VPC,
      s3Endpoint(),
      bucketPolicy(
        denyWith('StringNotEquals:\n  aws:SourceVpce: !Ref S3Endpoint').replace(' # FIRE', ''),
      ),
    ),
  },
  {
    name: 'pass_exempts_the_endpoint_by_getatt_id_ifexists',
    yaml: template(
      VPC,
      s3Endpoint(),
      bucketPolicy(
        denyWith('StringNotEqualsIfExists:\n  aws:SourceVpce: !GetAtt S3Endpoint.Id').replace(
          ' # FIRE',
          '',
        ),
      ),
    ),
  },
  {
    name: 'pass_exempts_the_endpoint_vpc',
    yaml: template(
      VPC,
      s3Endpoint(),
      bucketPolicy(denyWith('StringNotEquals:\n  aws:SourceVpc: !Ref Vpc').replace(' # FIRE', '')),
    ),
  },
  {
    // vpce-1234 may or may not be S3Endpoint's ID: unknown, so silent.
    name: 'pass_literal_endpoint_id_is_unknown',
    yaml: template(
      VPC,
      s3Endpoint(),
      bucketPolicy(
        denyWith('StringNotEquals:\n  aws:SourceVpce: vpce-1234').replace(' # FIRE', ''),
      ),
    ),
  },
  {
    name: 'pass_null_test_exempts_endpoint_traffic',
    yaml: template(
      VPC,
      s3Endpoint(),
      bucketPolicy(denyWith("'Null':\n  aws:SourceVpce: 'true'").replace(' # FIRE', '')),
    ),
  },
  {
    name: 'fail_exemption_for_another_endpoint_only',
    yaml: template(
      VPC,
      s3Endpoint('EndpointA'),
      s3Endpoint('EndpointB'),
      bucketPolicy(denyWith('StringNotEquals:\n  aws:SourceVpce: !Ref EndpointA')),
    ),
    fire: {
      resource: 'BucketPolicy',
      severity: 'error',
      words: ['EndpointB'],
      related: ['EndpointB'],
    },
  },
  {
    name: 'fail_notipaddress_ifexists',
    yaml: template(VPC, s3Endpoint(), bucketPolicy(denyWith('', 'NotIpAddressIfExists'))),
    fire: { resource: 'BucketPolicy', severity: 'error', words: ['NotIpAddressIfExists'] },
  },
  {
    // ForAnyValue on an absent key is false: the Deny never applies to endpoint requests.
    name: 'pass_forany_notipaddress',
    yaml: template(
      VPC,
      s3Endpoint(),
      bucketPolicy(denyWith('', 'ForAnyValue:NotIpAddress').replace(' # FIRE', '')),
    ),
  },
  {
    name: 'pass_ipaddress_is_another_rule',
    yaml: template(
      VPC,
      s3Endpoint(),
      bucketPolicy(denyWith('', 'IpAddress').replace(' # FIRE', '')),
    ),
  },
  {
    name: 'pass_not_an_s3_action',
    yaml: template(
      VPC,
      s3Endpoint(),
      managedPolicy(
        denyWith('', 'NotIpAddress', "'ec2:*'")
          .replace(' # FIRE', '')
          .replace("  Principal: '*'\n", ''),
      ),
    ),
  },
  {
    name: 'fail_iam_policy_with_wildcard_action',
    yaml: template(
      VPC,
      s3Endpoint(),
      managedPolicy(denyWith('', 'NotIpAddress', "'*'").replace("  Principal: '*'\n", '')),
    ),
    fire: { resource: 'ManagedPolicy', severity: 'error', words: ['IAM policy ManagedPolicy'] },
  },
  {
    name: 'pass_allow_with_notipaddress',
    yaml: template(
      VPC,
      s3Endpoint(),
      bucketPolicy(denyWith('').replace('Effect: Deny', 'Effect: Allow').replace(' # FIRE', '')),
    ),
  },
  {
    name: 'fail_only_when_the_exemption_is_switched_off',
    yaml: withConditions(
      "HasExemption: !Equals [!Ref 'AWS::Region', us-east-1]",
      VPC,
      s3Endpoint(),
      bucketPolicy(
        denyWith(
          'StringNotEquals: !If\n  - HasExemption\n  - aws:SourceVpce: !Ref S3Endpoint\n  - !Ref AWS::NoValue',
        ),
      ),
    ),
    fire: { resource: 'BucketPolicy', severity: 'error', words: ['when HasExemption is false'] },
  },
  {
    name: 'fail_endpoint_policy_denying_its_own_traffic',
    yaml: template(
      VPC,
      s3Endpoint(
        'S3Endpoint',
        denyWith('').replace('Resource: arn:aws:s3:::data-bucket/*', "Resource: '*'"),
      ),
    ),
    fire: { resource: 'S3Endpoint', severity: 'error', words: ['endpoint policy of S3Endpoint'] },
  },
];

describe('sourceip-deny-blocks-endpoint', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { actual, wanted } = await checkTemplateCase(rule, c);
      expect(actual).toEqual(wanted);
    });
  }

  it('points at the aws:SourceIp key and its values', async () => {
    const yaml = template(
      VPC,
      s3Endpoint(),
      bucketPolicy(`
- Effect: Deny
  Principal: '*'
  Action: s3:GetObject
  Resource: arn:aws:s3:::data-bucket/*
  Condition:
    NotIpAddress:
      aws:SourceIp:
        - 203.0.113.0/24
        - 198.51.100.0/24
`),
    );
    const [finding, ...rest] = await findingsFor(rule, yaml);
    expect(rest).toEqual([]);
    const lines = yaml.split('\n');
    expect(lines[(finding?.range.startLine ?? 0) - 1]).toContain('aws:SourceIp');
    expect(lines[(finding?.range.endLine ?? 0) - 1]).toContain('198.51.100.0/24');
    expect(finding?.message).toContain('statement #1');
    expect(finding?.fix?.description).toContain('aws:SourceVpce: !Ref S3Endpoint');
  });

  it('keeps the fingerprint when lines move', async () => {
    const a = await findingsFor(
      rule,
      template(VPC, s3Endpoint(), bucketPolicy(DENY_OUTSIDE_OFFICE)),
    );
    const b = await findingsFor(
      rule,
      template(s3Endpoint(), VPC, VPC.replace('Vpc:', 'Other:'), bucketPolicy(DENY_OUTSIDE_OFFICE)),
    );
    expect(a[0]?.range.startLine).not.toBe(b[0]?.range.startLine);
    expect(b[0]?.fingerprint).toBe(a[0]?.fingerprint);
  });
});

// Terraform: the same rule on the same model, with policies written as jsonencode, heredoc JSON
// and data "aws_iam_policy_document"; lines marked # FIRE are where the findings must point.
const terraformCases: TerraformCase[] = [
  {
    name: 'fail_tf_jsonencode_deny_notipaddress_with_endpoint_in_module',
    files: tfModule(
      TF_VPC,
      tfS3Endpoint(),
      tfBucketPolicy(`jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::data-bucket", "arn:aws:s3:::data-bucket/*"]
      Condition = {
        NotIpAddress = {
          "aws:SourceIp" = ["203.0.113.0/24"] # FIRE
        }
      }
    }]
  })`),
    ),
    fire: {
      resource: 'aws_s3_bucket_policy.data',
      severity: 'error',
      related: ['aws_vpc_endpoint.s3'],
      words: ['aws_vpc_endpoint.s3'],
    },
  },
  {
    name: 'fail_tf_heredoc_without_endpoint_is_a_warning',
    files: tfModule(
      tfBucketPolicy(`<<EOF
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": "arn:aws:s3:::data-bucket/*",
    "Condition": {"NotIpAddress": {
      "aws:SourceIp": "203.0.113.0/24" # FIRE
    }}
  }]
}
EOF`),
    ),
    fire: { resource: 'aws_s3_bucket_policy.data', severity: 'warning' },
  },
  {
    name: 'fail_tf_policy_document_deny_notipaddress',
    files: tfModule(
      TF_VPC,
      tfS3Endpoint(),
      tfBucketPolicy('data.aws_iam_policy_document.bucket.json'),
      tfDenyDocument(tfCondition('NotIpAddress', 'aws:SourceIp', '["203.0.113.0/24"]', true)),
    ),
    fire: { resource: 'data.aws_iam_policy_document.bucket', severity: 'error' },
  },
  {
    name: 'pass_tf_jsonencode_exempts_the_endpoint_by_id',
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
        NotIpAddress             = { "aws:SourceIp" = "203.0.113.0/24" }
        StringNotEqualsIfExists = { "aws:SourceVpce" = aws_vpc_endpoint.s3.id }
      }
    }]
  })`),
    ),
  },
  {
    name: 'pass_tf_policy_document_exempts_the_vpc',
    files: tfModule(
      TF_VPC,
      tfS3Endpoint(),
      tfBucketPolicy('data.aws_iam_policy_document.bucket.json'),
      tfDenyDocument(
        tfCondition('NotIpAddress', 'aws:SourceIp', '["203.0.113.0/24"]') +
          tfCondition('StringNotEquals', 'aws:SourceVpc', '[aws_vpc.main.id]'),
      ),
    ),
  },
];

describe('sourceip-deny-blocks-endpoint (Terraform)', () => {
  for (const c of terraformCases) {
    it(c.name, async () => {
      const { actual, wanted } = await checkTerraformCase(rule, c);
      expect(actual).toEqual(wanted);
    });
  }
});
