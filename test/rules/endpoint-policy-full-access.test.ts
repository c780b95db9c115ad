import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/endpoint-policy-full-access.js';
import {
  checkTemplateCase,
  checkTerraformCase,
  findingsFor,
  findingsForTerraform,
  type TemplateCase,
  type TerraformCase,
} from './helpers.js';
import { VPC, s3Endpoint, template } from './templates.js';
import { TF_VPC, tfModule, tfS3Endpoint } from './terraform-templates.js';

const ALLOW_EVERYTHING = `
- Effect: Allow # FIRE
  Principal: '*'
  Action: 's3:*'
  Resource: '*'
`;

function allowAnyBucket(condition: string, mark = ''): string {
  return `
- Sid: AnyBucket${mark}
  Effect: Allow
  Principal: '*'
  Action: s3:GetObject
  Resource: arn:aws:s3:::*
  Condition:
${condition
  .split('\n')
  .map((l) => (l.trim() ? `    ${l}` : l))
  .join('\n')}
`;
}

const cases: TemplateCase[] = [
  {
    name: 'fail_no_policy_points_at_service_name',
    yaml: template(VPC, s3Endpoint()).replace('.s3\n', '.s3 # FIRE\n'),
    fire: {
      resource: 'S3Endpoint',
      severity: 'warning',
      words: ['S3Endpoint has no policy', 'any principal of any account', 'any bucket'],
    },
  },
  {
    name: 'fail_allow_s3_star_on_every_resource',
    yaml: template(VPC, s3Endpoint('S3Endpoint', ALLOW_EVERYTHING)),
    fire: {
      resource: 'S3Endpoint',
      severity: 'warning',
      words: ['statement #1', 'for any principal of any account', 'buckets you do not own'],
    },
  },
  {
    name: 'fail_allow_without_resource',
    yaml: template(
      VPC,
      s3Endpoint('S3Endpoint', "- Effect: Allow # FIRE\n  Principal: '*'\n  Action: s3:PutObject"),
    ),
    fire: { resource: 'S3Endpoint', severity: 'warning' },
  },
  {
    name: 'fail_condition_on_something_else',
    yaml: template(
      VPC,
      s3Endpoint('S3Endpoint', allowAnyBucket("Bool:\n  aws:SecureTransport: 'true'", ' # FIRE')),
    ),
    fire: { resource: 'S3Endpoint', severity: 'warning', words: ['"AnyBucket"'] },
  },
  {
    name: 'pass_resource_account_pinned',
    yaml: template(
      VPC,
      s3Endpoint(
        'S3Endpoint',
        allowAnyBucket("StringEquals:\n  aws:ResourceAccount: '111122223333'"),
      ),
    ),
  },
  {
    name: 'pass_s3_resource_account_pinned_ignore_case',
    yaml: template(
      VPC,
      s3Endpoint(
        'S3Endpoint',
        allowAnyBucket("StringEquals:\n  s3:resourceaccount: ['111122223333']"),
      ),
    ),
  },
  {
    // The account is a reference we cannot resolve: unknown, never guessed.
    name: 'pass_resource_account_is_the_stack_account',
    yaml: template(
      VPC,
      s3Endpoint(
        'S3Endpoint',
        allowAnyBucket('StringEquals:\n  aws:ResourceAccount: !Ref AWS::AccountId'),
      ),
    ),
  },
  {
    name: 'pass_resource_org_pinned',
    yaml: template(
      VPC,
      s3Endpoint('S3Endpoint', allowAnyBucket('StringEquals:\n  aws:ResourceOrgID: o-abc123def4')),
    ),
  },
  {
    name: 'pass_deny_for_foreign_buckets',
    yaml: template(
      VPC,
      s3Endpoint(
        'S3Endpoint',
        ALLOW_EVERYTHING.replace(' # FIRE', '') +
          `
- Effect: Deny
  Principal: '*'
  Action: 's3:*'
  Resource: '*'
  Condition:
    StringNotEquals:
      aws:ResourceAccount: '111122223333'
`,
      ),
    ),
  },
  {
    name: 'pass_specific_buckets',
    yaml: template(
      VPC,
      s3Endpoint(
        'S3Endpoint',
        "- Effect: Allow\n  Principal: '*'\n  Action: ['s3:GetObject', 's3:PutObject']\n  Resource: ['arn:aws:s3:::my-bucket', 'arn:aws:s3:::my-bucket/*']",
      ),
    ),
  },
  {
    name: 'pass_not_an_s3_endpoint',
    yaml: template(VPC, s3Endpoint('DynamoEndpoint').replace('.s3', '.dynamodb')),
  },
];

describe('endpoint-policy-full-access', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { actual, wanted } = await checkTemplateCase(rule, c);
      expect(actual).toEqual(wanted);
    });
  }

  it('says when only principals of the own account may use the statement', async () => {
    const yaml = template(
      VPC,
      s3Endpoint(
        'S3Endpoint',
        allowAnyBucket("StringEquals:\n  aws:PrincipalAccount: '111122223333'"),
      ),
    );
    const findings = await findingsFor(rule, yaml);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain('any bucket in any account');
    expect(findings[0]?.message).not.toContain('any principal');
  });

  it('spans the allowing statement', async () => {
    const yaml = template(VPC, s3Endpoint('S3Endpoint', ALLOW_EVERYTHING));
    const [finding] = await findingsFor(rule, yaml);
    const lines = yaml.split('\n');
    expect(lines[(finding?.range.startLine ?? 0) - 1]).toContain('Effect: Allow');
    expect(lines[(finding?.range.endLine ?? 0) - 1]).toContain("Resource: '*'");
  });
});

// Terraform: the same rule on the same model, with policies written as jsonencode, heredoc JSON
// and data "aws_iam_policy_document"; lines marked # FIRE are where the findings must point.
const terraformCases: TerraformCase[] = [
  {
    name: 'fail_tf_no_policy_points_at_service_name',
    files: tfModule(TF_VPC, tfS3Endpoint().replace('.s3"\n', '.s3" # FIRE\n')),
    fire: { resource: 'aws_vpc_endpoint.s3', severity: 'warning', words: ['has no policy'] },
  },
  {
    name: 'fail_tf_jsonencode_allow_everything',
    files: tfModule(
      TF_VPC,
      tfS3Endpoint(`jsonencode({
    Statement = [
      { # FIRE
        Effect    = "Allow"
        Principal = "*"
        Action    = "s3:*"
        Resource  = "*"
      }
    ]
  })`),
    ),
    fire: { resource: 'aws_vpc_endpoint.s3', severity: 'warning', words: ['statement #1'] },
  },
  {
    name: 'fail_tf_heredoc_any_bucket',
    files: tfModule(
      TF_VPC,
      tfS3Endpoint(`<<EOF
{
  "Statement": [
    { # FIRE
      "Effect": "Allow",
      "Principal": "*",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::*"
    }
  ]
}
EOF`),
    ),
    fire: { resource: 'aws_vpc_endpoint.s3', severity: 'warning' },
  },
  {
    name: 'fail_tf_policy_document_allow_everything',
    files: tfModule(
      TF_VPC,
      tfS3Endpoint('data.aws_iam_policy_document.endpoint.json'),
      `
data "aws_iam_policy_document" "endpoint" {
  statement { # FIRE
    actions   = ["s3:*"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
`,
    ),
    fire: { resource: 'data.aws_iam_policy_document.endpoint', severity: 'warning' },
  },
  {
    name: 'pass_tf_policy_document_resource_account_pinned',
    files: tfModule(
      TF_VPC,
      tfS3Endpoint('data.aws_iam_policy_document.endpoint.json'),
      `
data "aws_iam_policy_document" "endpoint" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceAccount"
      values   = ["111122223333"]
    }
  }
}
`,
    ),
  },
  {
    name: 'pass_tf_jsonencode_specific_buckets',
    files: tfModule(
      TF_VPC,
      tfS3Endpoint(`jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = ["s3:GetObject", "s3:PutObject"]
      Resource  = ["arn:aws:s3:::my-bucket", "arn:aws:s3:::my-bucket/*"]
    }]
  })`),
    ),
  },
  {
    name: 'pass_tf_heredoc_own_bucket_by_reference',
    files: tfModule(
      TF_VPC,
      'resource "aws_s3_bucket" "own" {\n  bucket = "own-bucket"\n}\n',
      tfS3Endpoint(`<<-EOT
    {
      "Statement": [{
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": ["\${aws_s3_bucket.own.arn}", "\${aws_s3_bucket.own.arn}/*"]
      }]
    }
  EOT`),
    ),
  },
  {
    name: 'pass_tf_not_an_s3_endpoint',
    files: tfModule(TF_VPC, tfS3Endpoint(undefined, 'dynamodb', 'dynamodb')),
  },
];

describe('endpoint-policy-full-access (Terraform)', () => {
  for (const c of terraformCases) {
    it(c.name, async () => {
      const { actual, wanted } = await checkTerraformCase(rule, c);
      expect(actual).toEqual(wanted);
    });
  }

  it('words the fix in Terraform terms', async () => {
    const [finding] = await findingsForTerraform(rule, tfModule(TF_VPC, tfS3Endpoint()));
    expect(finding?.fix?.description).toMatch(/^Add a policy that allows only your buckets/);
  });
});
