import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/endpoint-policy-wildcard-bucket.js';
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

function allow(resources: string, condition = ''): string {
  return `
- Sid: Logs
  Effect: Allow
  Principal: '*'
  Action: ['s3:GetObject', 's3:PutObject']
  Resource:
${resources
  .trim()
  .split('\n')
  .map((r) => `    - ${r}`)
  .join('\n')}
${condition}`;
}

const FIRE = { resource: 'S3Endpoint', severity: 'warning' } as const;

const cases: TemplateCase[] = [
  {
    name: 'fail_prefix_pattern',
    yaml: template(VPC, s3Endpoint('S3Endpoint', allow('arn:aws:s3:::logs-*/* # FIRE'))),
    fire: {
      ...FIRE,
      words: ['S3Endpoint', 'arn:aws:s3:::logs-*/*', 'another account', 'bucket owner'],
    },
  },
  {
    name: 'fail_bucket_arn_pattern_and_object_pattern',
    yaml: template(
      VPC,
      s3Endpoint('S3Endpoint', allow('arn:aws:s3:::logs-* # FIRE\narn:aws:s3:::logs-*/* # FIRE')),
    ),
    fire: FIRE,
  },
  {
    name: 'fail_aws_owned_bucket_with_region_wildcard',
    yaml: template(
      VPC,
      s3Endpoint('S3Endpoint', allow('arn:aws:s3:::prod-*-starport-layer-bucket/* # FIRE')),
    ),
    fire: FIRE,
  },
  {
    name: 'fail_sub_with_parameter_and_wildcard',
    yaml: template(
      VPC,
      s3Endpoint('S3Endpoint', allow('!Sub arn:aws:s3:::${AWS::StackName}-*/* # FIRE')),
    ),
    fire: FIRE,
  },
  {
    name: 'pass_every_bucket_is_full_access_business',
    yaml: template(VPC, s3Endpoint('S3Endpoint', allow("'arn:aws:s3:::*'\n'arn:aws:s3:::*/*'"))),
  },
  {
    name: 'pass_exact_buckets',
    yaml: template(
      VPC,
      s3Endpoint('S3Endpoint', allow('arn:aws:s3:::logs-prod\narn:aws:s3:::logs-prod/*')),
    ),
  },
  {
    name: 'pass_resource_account_condition',
    yaml: template(
      VPC,
      s3Endpoint(
        'S3Endpoint',
        allow(
          'arn:aws:s3:::logs-*/*',
          "  Condition:\n    StringEquals:\n      aws:ResourceAccount: '111122223333'\n",
        ),
      ),
    ),
  },
  {
    name: 'pass_resource_org_condition',
    yaml: template(
      VPC,
      s3Endpoint(
        'S3Endpoint',
        allow(
          'arn:aws:s3:::logs-*/*',
          '  Condition:\n    StringEquals:\n      aws:ResourceOrgID: o-abc123def4\n',
        ),
      ),
    ),
  },
  {
    name: 'pass_deny_of_foreign_buckets_elsewhere',
    yaml: template(
      VPC,
      s3Endpoint(
        'S3Endpoint',
        allow('arn:aws:s3:::logs-*/*') +
          `
- Effect: Deny
  Principal: '*'
  Action: 's3:*'
  Resource: '*'
  Condition:
    StringNotEquals:
      s3:ResourceAccount: '111122223333'
`,
      ),
    ),
  },
  {
    name: 'pass_deny_statement',
    yaml: template(
      VPC,
      s3Endpoint(
        'S3Endpoint',
        "- Effect: Allow\n  Principal: '*'\n  Action: 's3:*'\n  Resource: arn:aws:s3:::mine/*\n- Effect: Deny\n  Principal: '*'\n  Action: 's3:*'\n  Resource: arn:aws:s3:::tmp-*/*",
      ),
    ),
  },
  {
    name: 'pass_not_an_s3_endpoint',
    yaml: template(
      VPC,
      s3Endpoint('DynamoEndpoint', allow('arn:aws:s3:::logs-*/*')).replace('.s3', '.dynamodb'),
    ),
  },
];

describe('endpoint-policy-wildcard-bucket', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { actual, wanted } = await checkTemplateCase(rule, c);
      expect(actual).toEqual(wanted);
    });
  }

  it('says to pin the Region of an AWS-owned bucket name', async () => {
    const yaml = template(
      VPC,
      s3Endpoint('S3Endpoint', allow('arn:aws:s3:::packages.*.amazonaws.com/*')),
    );
    const [finding] = await findingsFor(rule, yaml);
    expect(finding?.fix?.description).toBe(
      'This is an AWS-owned bucket name with the Region left open: pin the Region (arn:aws:s3:::packages.${AWS::Region}.amazonaws.com/*).',
    );
  });

  it('tells to name the buckets or add an owner condition otherwise', async () => {
    const yaml = template(VPC, s3Endpoint('S3Endpoint', allow('arn:aws:s3:::logs-*/*')));
    const [finding] = await findingsFor(rule, yaml);
    expect(finding?.fix?.description).toContain('aws:ResourceAccount');
  });

  it('gives each pattern its own fingerprint', async () => {
    const yaml = template(
      VPC,
      s3Endpoint('S3Endpoint', allow('arn:aws:s3:::logs-*\narn:aws:s3:::logs-*/*')),
    );
    const findings = await findingsFor(rule, yaml);
    expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(2);
  });
});

const terraformCases: TerraformCase[] = [
  {
    name: 'fail_tf_jsonencode_prefix_pattern',
    files: tfModule(
      TF_VPC,
      tfS3Endpoint(`jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = ["s3:PutObject"]
      Resource  = ["arn:aws:s3:::logs-*/*"] # FIRE
    }]
  })`),
    ),
    fire: { resource: 'aws_vpc_endpoint.s3', severity: 'warning' },
  },
  {
    name: 'fail_tf_policy_document_region_wildcard',
    files: tfModule(
      TF_VPC,
      tfS3Endpoint('data.aws_iam_policy_document.endpoint.json'),
      `
data "aws_iam_policy_document" "endpoint" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::al2023-repos-*-de612dc2/*"] # FIRE
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
    name: 'pass_tf_policy_document_owner_condition',
    files: tfModule(
      TF_VPC,
      tfS3Endpoint('data.aws_iam_policy_document.endpoint.json'),
      `
data "aws_iam_policy_document" "endpoint" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::logs-*/*"]
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
];

describe('endpoint-policy-wildcard-bucket (Terraform)', () => {
  for (const c of terraformCases) {
    it(c.name, async () => {
      const { actual, wanted } = await checkTerraformCase(rule, c);
      expect(actual).toEqual(wanted);
    });
  }

  it('pins the Region of the endpoint in the fix', async () => {
    const files = tfModule(
      TF_VPC,
      tfS3Endpoint(
        'jsonencode({ Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "arn:aws:s3:::prod-*-starport-layer-bucket/*" }] })',
      ),
    );
    const [finding] = await findingsForTerraform(rule, files);
    expect(finding?.fix?.description).toContain(
      'arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*',
    );
  });
});
