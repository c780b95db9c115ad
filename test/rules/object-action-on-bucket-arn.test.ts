import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/object-action-on-bucket-arn.js';
import { dedent, findingsFor, summarise } from './helpers.js';
import { checkTerraformCase, findingsForTerraform, type TerraformCase } from './helpers.js';
import { tfIamPolicy, tfModule } from './terraform-templates.js';

interface Expected {
  readonly line: number;
  readonly endLine?: number;
  readonly resource: string;
  readonly words: readonly string[];
  readonly fix?: readonly string[];
}

interface Case {
  readonly name: string;
  readonly yaml: string;
  readonly expected: readonly Expected[];
}

/**
 * A managed policy whose statements are `statements` (a YAML list, indented to column 11).
 * Line 9 is `Statement:`, so the first statement starts on line 10 (line 13 when the three
 * parameter lines are added).
 */
function managedPolicy(statements: string, parameters = ''): string {
  const body = dedent(statements)
    .split('\n')
    .map((line) => (line === '' ? line : `          ${line}`))
    .join('\n');
  return (
    dedent(`
      AWSTemplateFormatVersion: '2010-09-09'
      Resources:
        Bucket:
          Type: AWS::S3::Bucket
        Policy:
          Type: AWS::IAM::ManagedPolicy
          Properties:
            PolicyDocument:
              Statement:
    `).replace('Resources:\n', `${parameters}Resources:\n`) + body
  );
}

const cases: Case[] = [
  {
    name: 'fail_object_actions_on_getatt_bucket_arn',
    yaml: managedPolicy(`
      - Sid: ReadObjects
        Effect: Allow
        Action: [s3:GetObject, s3:GetObjectVersion]
        Resource: !GetAtt Bucket.Arn
    `),
    expected: [
      {
        line: 13,
        resource: 'Policy',
        words: [
          '"ReadObjects"',
          'names no object ARN',
          's3:GetObject, s3:GetObjectVersion',
          'grants them nothing',
        ],
        fix: ["!Sub '${Bucket.Arn}/*'"],
      },
    ],
  },
  {
    name: 'fail_only_the_dead_action_of_a_mixed_list_is_named',
    yaml: managedPolicy(`
      - Effect: Allow
        Action:
          - s3:ListBucket
          - s3:PutObject
        Resource:
          - arn:aws:s3:::my-bucket
          - arn:aws:s3:::other-bucket
    `),
    expected: [
      {
        // From the `Resource:` key to its last item.
        line: 14,
        endLine: 16,
        resource: 'Policy',
        words: ['statement 1', 'object action s3:PutObject never matches', 'grants it nothing'],
        fix: ['arn:aws:s3:::my-bucket/*', 'arn:aws:s3:::other-bucket/*'],
      },
    ],
  },
  {
    name: 'fail_bucket_action_on_object_arns_in_a_deny',
    yaml: managedPolicy(`
      - Sid: NoListing
        Effect: Deny
        Action: s3:ListBucket
        Resource: !Sub '\${Bucket.Arn}/*'
    `),
    expected: [
      {
        line: 13,
        resource: 'Policy',
        words: ['names no bucket ARN', 'bucket action s3:ListBucket', 'denies it nothing'],
        fix: ['bucket ARN form', '(!GetAtt Bucket.Arn)'],
      },
    ],
  },
  {
    name: 'fail_symbolic_bucket_name_inside_an_s3_arn_is_a_bucket_arn',
    yaml: managedPolicy(
      `
      - Effect: Allow
        Action: s3:GetObject
        Resource: !Sub 'arn:\${AWS::Partition}:s3:::\${BucketName}'
    `,
      'Parameters:\n  BucketName:\n    Type: String\n',
    ),
    expected: [
      {
        line: 15,
        resource: 'Policy',
        words: ['object action s3:GetObject'],
        fix: ['/*'],
      },
    ],
  },
  {
    // `s3:Get*` covers GetBucketPolicy & co., so it is live on a bucket ARN; `s3:*Object` only
    // covers object actions (GetObject, PutObject, …), so it alone is reported.
    name: 'fail_wildcards_judged_per_entry_after_expansion',
    yaml: managedPolicy(`
      - Effect: Allow
        Action: ['s3:Get*', 's3:*Object']
        Resource: !GetAtt Bucket.Arn
    `),
    expected: [
      {
        line: 12,
        resource: 'Policy',
        words: ['object action s3:*Object never matches'],
      },
    ],
  },
  {
    name: 'pass_wildcard_action_covering_bucket_actions_on_a_bucket_arn',
    yaml: managedPolicy(`
      - Effect: Allow
        Action: ['s3:Get*', 's3:List*']
        Resource: !GetAtt Bucket.Arn
    `),
    expected: [],
  },
  {
    name: 'pass_both_arn_forms',
    yaml: managedPolicy(`
      - Effect: Allow
        Action: [s3:GetObject, s3:ListBucket]
        Resource: [!GetAtt Bucket.Arn, !Sub '\${Bucket.Arn}/*']
    `),
    expected: [],
  },
  {
    name: 'pass_wildcard_bucket_name_also_matches_objects',
    yaml: managedPolicy(`
      - Effect: Allow
        Action: s3:GetObject
        Resource: ['arn:aws:s3:::logs-*', '*']
    `),
    expected: [],
  },
  {
    name: 'pass_unresolved_resource_keeps_the_statement_silent',
    yaml: managedPolicy(
      `
      - Effect: Allow
        Action: s3:GetObject
        Resource: [arn:aws:s3:::my-bucket, !Ref ResourceArn]
    `,
      'Parameters:\n  ResourceArn:\n    Type: String\n',
    ),
    expected: [],
  },
  {
    name: 'pass_notaction_and_actions_that_need_star',
    yaml: managedPolicy(`
      - Effect: Deny
        NotAction: s3:GetObject
        Resource: arn:aws:s3:::my-bucket
      - Effect: Allow
        Action: [s3:ListAllMyBuckets, kms:Decrypt, s3:GetObjects]
        Resource: arn:aws:s3:::my-bucket
    `),
    expected: [],
  },
  {
    name: 'fail_in_an_inline_role_policy_names_the_policy',
    yaml: dedent(`
      AWSTemplateFormatVersion: '2010-09-09'
      Resources:
        Role:
          Type: AWS::IAM::Role
          Properties:
            AssumeRolePolicyDocument:
              Statement:
                - Effect: Allow
                  Principal: { Service: ec2.amazonaws.com }
                  Action: sts:AssumeRole
            Policies:
              - PolicyName: reader
                PolicyDocument:
                  Statement:
                    - Effect: Allow
                      Action: s3:GetObject
                      Resource: arn:aws:s3:::my-bucket
    `),
    expected: [
      {
        line: 17,
        resource: 'Role',
        words: ['IAM policy "reader"', 'object action s3:GetObject'],
        fix: ['arn:aws:s3:::my-bucket/*'],
      },
    ],
  },
];

describe('object-action-on-bucket-arn', () => {
  it.each(cases)('$name', async ({ yaml, expected }) => {
    const findings = await findingsFor(rule, yaml);
    expect(summarise(findings)).toEqual(
      expected.map((e) => ({
        ruleId: 'object-action-on-bucket-arn',
        severity: 'warning',
        resource: e.resource,
        startLine: e.line,
        endLine: e.endLine ?? e.line,
      })),
    );
    for (const e of expected) {
      const finding = findings.find((f) => f.range.startLine === e.line);
      for (const word of e.words) expect(finding?.message).toContain(word);
      for (const word of e.fix ?? []) expect(finding?.fix?.description).toContain(word);
    }
  });
});

// Terraform: the same rule on the same model, with policies written as jsonencode, heredoc JSON
// and data "aws_iam_policy_document"; lines marked # FIRE are where the findings must point.
const terraformCases: TerraformCase[] = [
  {
    name: 'fail_tf_jsonencode_object_action_on_bucket_arn_by_reference',
    files: tfModule(
      'resource "aws_s3_bucket" "data" {\n  bucket = "data-bucket"\n}\n',
      tfIamPolicy(`jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = [aws_s3_bucket.data.arn] # FIRE
    }]
  })`),
    ),
    fire: { resource: 'aws_iam_policy.app', severity: 'warning' },
  },
  {
    name: 'fail_tf_heredoc_bucket_action_on_object_arns',
    files: tfModule(
      tfIamPolicy(`<<EOF
{
  "Statement": [{
    "Effect": "Allow",
    "Action": "s3:ListBucket",
    "Resource": "arn:aws:s3:::data-bucket/*" # FIRE
  }]
}
EOF`),
    ),
    fire: { resource: 'aws_iam_policy.app', severity: 'warning' },
  },
  {
    name: 'fail_tf_policy_document_object_action_on_bucket_arn',
    files: tfModule(
      tfIamPolicy('data.aws_iam_policy_document.app.json'),
      `
data "aws_iam_policy_document" "app" {
  statement {
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::data-bucket"] # FIRE
  }
}
`,
    ),
    fire: { resource: 'data.aws_iam_policy_document.app', severity: 'warning' },
  },
  {
    name: 'pass_tf_policy_document_both_arn_forms',
    files: tfModule(
      tfIamPolicy('data.aws_iam_policy_document.app.json'),
      `
data "aws_iam_policy_document" "app" {
  statement {
    actions   = ["s3:PutObject", "s3:ListBucket"]
    resources = ["arn:aws:s3:::data-bucket", "arn:aws:s3:::data-bucket/*"]
  }
}
`,
    ),
  },
  {
    name: 'pass_tf_jsonencode_template_object_arn',
    files: tfModule(
      'resource "aws_s3_bucket" "data" {\n  bucket = "data-bucket"\n}\n',
      tfIamPolicy(`jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = "\${aws_s3_bucket.data.arn}/*"
    }]
  })`),
    ),
  },
];

describe('object-action-on-bucket-arn (Terraform)', () => {
  for (const c of terraformCases) {
    it(c.name, async () => {
      const { actual, wanted } = await checkTerraformCase(rule, c);
      expect(actual).toEqual(wanted);
    });
  }

  it('words the missing ARN in Terraform terms', async () => {
    const [finding] = await findingsForTerraform(
      rule,
      tfModule(
        'resource "aws_s3_bucket" "data" {\n  bucket = "data-bucket"\n}\n',
        tfIamPolicy(
          'jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = aws_s3_bucket.data.arn }] })',
        ),
      ),
    );
    expect(finding?.fix?.description).toContain('"${aws_s3_bucket.data.arn}/*"');
  });
});
