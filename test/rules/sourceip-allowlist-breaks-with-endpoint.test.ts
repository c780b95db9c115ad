import { describe, expect, it } from 'vitest';
import { runRules } from '../../src/engine/run-rules.js';
import rule from '../../src/rules/sourceip-allowlist-breaks-with-endpoint.js';
import { DEFAULT_RULE_SETTINGS, type RuleSettings } from '../../src/rules/settings.js';
import {
  checkTemplateCase,
  checkTerraformCase,
  findingsFor,
  scopeFor,
  scopeForTerraform,
  type TemplateCase,
  type TerraformCase,
} from './helpers.js';
import { VPC, bucketPolicy, managedPolicy, s3Endpoint, template } from './templates.js';
import {
  TF_VPC,
  tfBucketPolicy,
  tfIamPolicy,
  tfModule,
  tfS3Endpoint,
} from './terraform-templates.js';

const OFFICE_ONLY = `
- Sid: OfficeOnly
  Effect: Allow
  Principal: '*'
  Action: ['s3:GetObject', 's3:PutObject']
  Resource: arn:aws:s3:::data-bucket/*
  Condition:
    IpAddress:
      aws:SourceIp: 203.0.113.0/24 # FIRE
`;

function officeAnd(extra: string, marker = ''): string {
  return `${OFFICE_ONLY.replace(' # FIRE', marker)}${extra}`;
}

const ENDPOINT_TOO = `
- Sid: ThroughEndpoint
  Effect: Allow
  Principal: '*'
  Action: ['s3:GetObject', 's3:PutObject']
  Resource: arn:aws:s3:::data-bucket/*
  Condition:
    StringEquals:
      aws:SourceVpce: VPCE
`;

function settings(extra: Partial<RuleSettings>): RuleSettings {
  return { ...DEFAULT_RULE_SETTINGS, ...extra };
}

const cases: TemplateCase[] = [
  {
    name: 'fail_allowlist_with_endpoint_in_scope',
    yaml: template(VPC, s3Endpoint(), bucketPolicy(OFFICE_ONLY)),
    fire: {
      resource: 'BucketPolicy',
      severity: 'error',
      words: ['BucketPolicy', 'OfficeOnly', '203.0.113.0/24', 'S3Endpoint', 'lose'],
      related: ['S3Endpoint'],
    },
  },
  {
    name: 'pass_endpoint_allowed_by_another_statement',
    yaml: template(
      VPC,
      s3Endpoint(),
      bucketPolicy(officeAnd(ENDPOINT_TOO.replace('VPCE', '!Ref S3Endpoint'))),
    ),
  },
  {
    name: 'pass_vpc_allowed_by_another_statement',
    yaml: template(
      VPC,
      s3Endpoint(),
      bucketPolicy(
        officeAnd(ENDPOINT_TOO.replace('aws:SourceVpce: VPCE', 'aws:SourceVpc: !Ref Vpc')),
      ),
    ),
  },
  {
    name: 'fail_other_statement_allows_only_some_actions',
    yaml: template(
      VPC,
      s3Endpoint(),
      bucketPolicy(
        officeAnd(
          ENDPOINT_TOO.replace('VPCE', '!Ref S3Endpoint').replace(
            "['s3:GetObject', 's3:PutObject']",
            's3:GetObject',
          ),
          ' # FIRE',
        ),
      ),
    ),
    fire: { resource: 'BucketPolicy', severity: 'error' },
  },
  {
    // vpce-1234 may be S3Endpoint's ID: not known, so silent.
    name: 'pass_literal_endpoint_id_is_unknown',
    yaml: template(
      VPC,
      s3Endpoint(),
      bucketPolicy(officeAnd(ENDPOINT_TOO.replace('VPCE', 'vpce-1234'))),
    ),
  },
  {
    name: 'pass_no_endpoint_in_scope',
    yaml: template(VPC, bucketPolicy(OFFICE_ONLY.replace(' # FIRE', ''))),
  },
  {
    name: 'pass_private_range_is_another_rule',
    yaml: template(
      VPC,
      s3Endpoint(),
      bucketPolicy(OFFICE_ONLY.replace('203.0.113.0/24 # FIRE', '10.20.0.0/16')),
    ),
  },
  {
    name: 'pass_ipaddress_ifexists_matches_endpoint_requests',
    yaml: template(
      VPC,
      s3Endpoint(),
      bucketPolicy(OFFICE_ONLY.replace('IpAddress:', 'IpAddressIfExists:').replace(' # FIRE', '')),
    ),
  },
  {
    name: 'pass_deny_with_ipaddress_is_another_rule',
    yaml: template(
      VPC,
      s3Endpoint(),
      bucketPolicy(OFFICE_ONLY.replace('Effect: Allow', 'Effect: Deny').replace(' # FIRE', '')),
    ),
  },
  {
    name: 'fail_iam_policy',
    yaml: template(VPC, s3Endpoint(), managedPolicy(OFFICE_ONLY.replace("  Principal: '*'\n", ''))),
    fire: { resource: 'ManagedPolicy', severity: 'error', words: ['IAM policy ManagedPolicy'] },
  },
  {
    name: 'fail_config_endpoint',
    yaml: template(bucketPolicy(OFFICE_ONLY)),
    options: { settings: settings({ endpoints: [{ id: 'vpce-0a1b2c3d' }] }) },
    fire: {
      resource: 'BucketPolicy',
      severity: 'error',
      words: ['endpoint vpce-0a1b2c3d'],
      related: [],
    },
  },
  {
    name: 'pass_config_endpoint_allowed_by_literal_id',
    yaml: template(bucketPolicy(officeAnd(ENDPOINT_TOO.replace('VPCE', 'vpce-0a1b2c3d')))),
    options: { settings: settings({ endpoints: [{ id: 'vpce-0a1b2c3d' }] }) },
  },
  {
    name: 'fail_assume_endpoint_always',
    yaml: template(bucketPolicy(OFFICE_ONLY)),
    options: { settings: settings({ assumeEndpoint: 'always' }) },
    fire: { resource: 'BucketPolicy', severity: 'error', words: ['a VPC endpoint'] },
  },
  {
    name: 'pass_assume_endpoint_never',
    yaml: template(VPC, s3Endpoint(), bucketPolicy(OFFICE_ONLY.replace(' # FIRE', ''))),
    options: { settings: settings({ assumeEndpoint: 'never' }) },
  },
];

describe('sourceip-allowlist-breaks-with-endpoint', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { actual, wanted } = await checkTemplateCase(rule, c);
      expect(actual).toEqual(wanted);
    });
  }

  it('shows the exact condition in the fix', async () => {
    const [finding] = await findingsFor(
      rule,
      template(VPC, s3Endpoint(), bucketPolicy(OFFICE_ONLY)),
    );
    expect(finding?.fix?.description).toContain(
      'StringEquals: { aws:SourceVpce: [!Ref S3Endpoint] }',
    );
  });

  describe('with a base version', () => {
    const head = template(VPC, s3Endpoint(), bucketPolicy(OFFICE_ONLY));
    const run = async (base: string | undefined) =>
      findingsFor(rule, head, 'template.yaml', {
        change: { base: base === undefined ? undefined : await scopeFor(base, 'base.yaml') },
      });

    it('says the change added the endpoint', async () => {
      const [finding] = await run(template(VPC, bucketPolicy(OFFICE_ONLY)));
      expect(finding?.message).toContain('this change adds the endpoint');
    });

    it('says the change added the allow-list', async () => {
      const [finding] = await run(
        template(VPC, s3Endpoint(), bucketPolicy(ENDPOINT_TOO.replace('VPCE', 'vpce-1'))),
      );
      expect(finding?.message).toContain('this change adds the allow-list');
    });

    it('says the change added both in a new file', async () => {
      const [finding] = await run(undefined);
      expect(finding?.message).toContain('this change adds both the endpoint and the allow-list');
    });

    it('says nothing about the change when both existed', async () => {
      const [finding] = await run(head);
      expect(finding?.message).not.toContain('this change');
    });

    it('keeps the fingerprint with and without a base', async () => {
      const [withBase] = await run(undefined);
      const [without] = await findingsFor(rule, head);
      expect(withBase?.fingerprint).toBe(without?.fingerprint);
    });
  });
});

const terraformCases: TerraformCase[] = [
  {
    name: 'fail_tf_jsonencode_allowlist',
    files: tfModule(
      TF_VPC,
      tfS3Endpoint(),
      tfBucketPolicy(`jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::data-bucket/*"
      Condition = {
        IpAddress = {
          "aws:SourceIp" = ["203.0.113.0/24"] # FIRE
        }
      }
    }]
  })`),
    ),
    fire: {
      resource: 'aws_s3_bucket_policy.data',
      severity: 'error',
      words: ['aws_vpc_endpoint.s3', 'lose'],
    },
  },
  {
    name: 'pass_tf_jsonencode_endpoint_allowed',
    files: tfModule(
      TF_VPC,
      tfS3Endpoint(),
      tfBucketPolicy(`jsonencode({
    Statement = [
      {
        Effect    = "Allow"
        Principal = "*"
        Action    = "s3:GetObject"
        Resource  = "arn:aws:s3:::data-bucket/*"
        Condition = { IpAddress = { "aws:SourceIp" = "203.0.113.0/24" } }
      },
      {
        Effect    = "Allow"
        Principal = "*"
        Action    = "s3:GetObject"
        Resource  = "arn:aws:s3:::data-bucket/*"
        Condition = { StringEquals = { "aws:SourceVpce" = aws_vpc_endpoint.s3.id } }
      }
    ]
  })`),
    ),
  },
  {
    name: 'fail_tf_policy_document_iam_policy',
    files: tfModule(
      TF_VPC,
      tfS3Endpoint(),
      tfIamPolicy('data.aws_iam_policy_document.app.json'),
      `
data "aws_iam_policy_document" "app" {
  statement {
    effect    = "Allow"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::data-bucket/*"]
    condition {
      test     = "IpAddress"
      variable = "aws:SourceIp" # FIRE
      values   = ["198.51.100.7/32"]
    }
  }
}
`,
    ),
    fire: { resource: 'data.aws_iam_policy_document.app', severity: 'error' },
  },
  {
    name: 'fail_tf_heredoc_allowlist',
    files: tfModule(
      TF_VPC,
      tfS3Endpoint(),
      tfBucketPolicy(`<<EOF
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": "*",
    "Action": "s3:PutObject",
    "Resource": "arn:aws:s3:::data-bucket/*",
    "Condition": {"IpAddress": {
      "aws:SourceIp": "203.0.113.0/24" # FIRE
    }}
  }]
}
EOF`),
    ),
    fire: { resource: 'aws_s3_bucket_policy.data', severity: 'error' },
  },
];

describe('sourceip-allowlist-breaks-with-endpoint (Terraform)', () => {
  for (const c of terraformCases) {
    it(c.name, async () => {
      const { actual, wanted } = await checkTerraformCase(rule, c);
      expect(actual).toEqual(wanted);
    });
  }
});

it('shows the Terraform form of the condition in a Terraform fix', async () => {
  const scope = await scopeForTerraform(terraformCases[0]!.files);
  const [finding] = runRules(scope, [rule]);
  expect(finding?.fix?.description).toContain(
    'StringEquals = { "aws:SourceVpce" = [aws_vpc_endpoint.s3.id] }',
  );
});
