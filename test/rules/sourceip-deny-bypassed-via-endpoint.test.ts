import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/sourceip-deny-bypassed-via-endpoint.js';
import { DEFAULT_RULE_SETTINGS } from '../../src/rules/settings.js';
import {
  checkTemplateCase,
  checkTerraformCase,
  findingsFor,
  type TemplateCase,
  type TerraformCase,
} from './helpers.js';
import { VPC, bucketPolicy, managedPolicy, s3Endpoint, template } from './templates.js';
import {
  TF_VPC,
  tfBucketPolicy,
  tfDenyDocument,
  tfIamPolicy,
  tfModule,
  tfS3Endpoint,
  tfCondition,
} from './terraform-templates.js';

function deny(operator: string, extra = '', mark = ' # FIRE', sid = 'BlockRange'): string {
  return `
- Sid: ${sid}
  Effect: Deny
  Principal: '*'
  Action: 's3:*'
  Resource: arn:aws:s3:::data-bucket/*
  Condition:
    ${operator}:
      aws:SourceIp: 198.51.100.0/24${mark}
${extra
  .split('\n')
  .map((l) => (l.trim() ? `    ${l}` : l))
  .join('\n')}
`;
}

const ALLOW_ALL = `
- Sid: AllowRead
  Effect: Allow
  Principal: '*'
  Action: s3:GetObject
  Resource: arn:aws:s3:::data-bucket/*
`;

const cases: TemplateCase[] = [
  {
    name: 'pass_assume_endpoint_never',
    yaml: template(VPC, s3Endpoint(), bucketPolicy(deny('IpAddress', '', '') + ALLOW_ALL)),
    options: { settings: { ...DEFAULT_RULE_SETTINGS, assumeEndpoint: 'never' } },
  },
  {
    name: 'fail_assume_endpoint_always_is_still_a_warning',
    yaml: template(bucketPolicy(deny('IpAddress'))),
    options: { settings: { ...DEFAULT_RULE_SETTINGS, assumeEndpoint: 'always' } },
    fire: { resource: 'BucketPolicy', severity: 'warning' },
  },
  {
    name: 'fail_deny_ipaddress_with_endpoint_in_scope',
    yaml: template(VPC, s3Endpoint(), bucketPolicy(deny('IpAddress') + ALLOW_ALL)),
    fire: {
      resource: 'BucketPolicy',
      severity: 'warning',
      words: [
        'BucketPolicy',
        'S3Endpoint',
        'BlockRange',
        'IpAddress',
        'gets in through the endpoint',
      ],
      related: ['S3Endpoint'],
    },
  },
  {
    name: 'fail_without_endpoint_in_scope',
    yaml: template(bucketPolicy(deny('IpAddress'))),
    fire: { resource: 'BucketPolicy', severity: 'warning', words: ['a VPC endpoint'], related: [] },
  },
  {
    name: 'fail_iam_policy',
    yaml: template(
      VPC,
      s3Endpoint(),
      managedPolicy(deny('IpAddress').replace("  Principal: '*'\n", '')),
    ),
    fire: { resource: 'ManagedPolicy', severity: 'warning', words: ['IAM policy ManagedPolicy'] },
  },
  {
    // IfExists: true on an absent key, so endpoint requests are denied as well.
    name: 'pass_ipaddress_ifexists_applies_to_endpoint_requests',
    yaml: template(VPC, s3Endpoint(), bucketPolicy(deny('IpAddressIfExists', '', ''))),
  },
  {
    name: 'pass_notipaddress_is_another_rule',
    yaml: template(VPC, s3Endpoint(), bucketPolicy(deny('NotIpAddress', '', ''))),
  },
  {
    name: 'pass_allow_with_ipaddress',
    yaml: template(
      VPC,
      s3Endpoint(),
      bucketPolicy(deny('IpAddress', '', '').replace('Effect: Deny', 'Effect: Allow')),
    ),
  },
  {
    name: 'pass_companion_deny_on_vpcsourceip',
    yaml: template(
      VPC,
      s3Endpoint(),
      bucketPolicy(
        deny('IpAddress', '', '') +
          `
- Sid: BlockRangeOnEndpointPath
  Effect: Deny
  Principal: '*'
  Action: 's3:*'
  Resource: arn:aws:s3:::data-bucket/*
  Condition:
    IpAddress:
      aws:VpcSourceIp: 10.20.1.0/24
`,
      ),
    ),
  },
  {
    // A companion Deny that only covers another endpoint leaves S3Endpoint open.
    name: 'fail_companion_deny_for_another_endpoint',
    yaml: template(
      VPC,
      s3Endpoint(),
      s3Endpoint('OtherEndpoint'),
      bucketPolicy(
        deny('IpAddress') +
          `
- Sid: DenyOtherEndpoint
  Effect: Deny
  Principal: '*'
  Action: 's3:*'
  Resource: arn:aws:s3:::data-bucket/*
  Condition:
    StringEquals:
      aws:SourceVpce: !Ref OtherEndpoint
`,
      ),
    ),
    fire: { resource: 'BucketPolicy', severity: 'warning', related: ['S3Endpoint'] },
  },
  {
    // The statement also requires endpoint traffic (a VPC key): then it never matched internet traffic.
    name: 'pass_statement_that_never_applies_to_internet_traffic',
    yaml: template(
      VPC,
      s3Endpoint(),
      bucketPolicy(deny('IpAddress', "'Null':\n  aws:SourceVpce: 'false'", '')),
    ),
  },
];

describe('sourceip-deny-bypassed-via-endpoint', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { actual, wanted } = await checkTemplateCase(rule, c);
      expect(actual).toEqual(wanted);
    });
  }

  it('offers the endpoint-path fix', async () => {
    const [finding] = await findingsFor(
      rule,
      template(VPC, s3Endpoint(), bucketPolicy(deny('IpAddress'))),
    );
    expect(finding?.fix?.description).toContain('aws:VpcSourceIp');
    expect(finding?.fix?.description).toContain('aws:SourceVpce');
  });
});

// Terraform: the same rule on the same model, with policies written as jsonencode, heredoc JSON
// and data "aws_iam_policy_document"; lines marked # FIRE are where the findings must point.
const terraformCases: TerraformCase[] = [
  {
    name: 'fail_tf_jsonencode_deny_ipaddress',
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
        IpAddress = { "aws:SourceIp" = ["198.51.100.0/24"] } # FIRE
      }
    }]
  })`),
    ),
    fire: { resource: 'aws_s3_bucket_policy.data', severity: 'warning' },
  },
  {
    name: 'fail_tf_heredoc_iam_policy',
    files: tfModule(
      tfIamPolicy(`<<EOF
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Deny",
    "Action": "s3:*",
    "Resource": "*",
    "Condition": {"IpAddress": {"aws:SourceIp": "198.51.100.0/24"}} # FIRE
  }]
}
EOF`),
    ),
    fire: { resource: 'aws_iam_policy.app', severity: 'warning' },
  },
  {
    name: 'fail_tf_policy_document_deny_ipaddress',
    files: tfModule(
      tfBucketPolicy('data.aws_iam_policy_document.bucket.json'),
      tfDenyDocument(tfCondition('IpAddress', 'aws:SourceIp', '["198.51.100.0/24"]', true)),
    ),
    fire: { resource: 'data.aws_iam_policy_document.bucket', severity: 'warning' },
  },
  {
    name: 'pass_tf_policy_document_allow_with_ipaddress',
    files: tfModule(
      tfBucketPolicy('data.aws_iam_policy_document.bucket.json'),
      `
data "aws_iam_policy_document" "bucket" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::data-bucket/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
    condition {
      test     = "IpAddress"
      variable = "aws:SourceIp"
      values   = ["198.51.100.0/24"]
    }
  }
}
`,
    ),
  },
  {
    name: 'pass_tf_jsonencode_notipaddress_is_another_rule',
    files: tfModule(
      tfBucketPolicy(`jsonencode({
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = "arn:aws:s3:::data-bucket/*"
      Condition = { NotIpAddress = { "aws:SourceIp" = ["198.51.100.0/24"] } }
    }]
  })`),
    ),
  },
];

describe('sourceip-deny-bypassed-via-endpoint (Terraform)', () => {
  for (const c of terraformCases) {
    it(c.name, async () => {
      const { actual, wanted } = await checkTerraformCase(rule, c);
      expect(actual).toEqual(wanted);
    });
  }
});
