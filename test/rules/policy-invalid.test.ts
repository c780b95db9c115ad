import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/policy-invalid.js';
import { dedent, findingsFor, summarise } from './helpers.js';
import { checkTerraformCase, type TerraformCase } from './helpers.js';
import { TF_VPC, tfBucketPolicy, tfIamPolicy, tfModule } from './terraform-templates.js';

function expectedFinding(resource: string, startLine: number, endLine = startLine) {
  return { ruleId: 'policy-invalid', severity: 'error', resource, startLine, endLine };
}

const INVALID_POLICIES = dedent(`
  AWSTemplateFormatVersion: '2010-09-09'
  Conditions:
    IsProd: !Equals [!Ref 'AWS::Region', eu-west-1]
  Resources:
    Bucket:
      Type: AWS::S3::Bucket
    BucketPolicy:
      Type: AWS::S3::BucketPolicy
      Properties:
        Bucket: !Ref Bucket
        PolicyDocument:
          Version: '2012-10-17'
          Statement:
            - Action: s3:GetObject
              Principal: '*'
              Resource: !If [IsProd, 'arn:aws:s3:::a/*', 'arn:aws:s3:::b/*']
            - Effect: Allow
              Action: s3:GetObject
              Resource: 'arn:aws:s3:::a/*'
            - Effect: Deny
              Principal: '*'
              Action: s3:GetObject
              Resource: 'arn:aws:s3:::a/*'
              Condition:
                StringNotEqualz:
                  aws:SourceVpce: vpce-1
            - Principal: '*'
              Effect: Permit
              Action: s3:GetObject
              Resource: 'arn:aws:s3:::a/*'
    Managed:
      Type: AWS::IAM::ManagedPolicy
      Properties:
        PolicyDocument: '{"Statement": [ {"Effect": "Allow", '
`);

describe('policy-invalid', () => {
  it('fail_every_policy_problem_once_even_across_if_variants', async () => {
    const findings = await findingsFor(rule, INVALID_POLICIES);
    expect(summarise(findings)).toEqual([
      expectedFinding('BucketPolicy', 14, 16),
      expectedFinding('BucketPolicy', 17, 19),
      expectedFinding('BucketPolicy', 25),
      expectedFinding('BucketPolicy', 28),
      expectedFinding('Managed', 34),
    ]);
    const byLine = new Map(findings.map((f) => [f.range.startLine, f.message]));
    expect(byLine.get(14)).toMatch(/^BucketPolicy: the bucket policy is invalid .*"Effect"/);
    // A variant-independent problem names no condition, although the statement holds an !If.
    expect(byLine.get(14)).not.toContain('IsProd');
    expect(byLine.get(17)).toContain('"Principal"');
    expect(byLine.get(25)).toContain('StringNotEqualz');
    expect(byLine.get(28)).toContain('"Allow" or "Deny"');
    expect(byLine.get(34)).toMatch(/^Managed: the IAM policy is invalid .*JSON/);
  });

  it('fail_unparsable_file_is_reported_at_the_error_line_with_the_file_as_resource', async () => {
    const yaml = dedent(`
      AWSTemplateFormatVersion: '2010-09-09'
      Resources:
        Bucket:
          Type: AWS::S3::Bucket
          Properties:
            Tags: [unclosed
        Other:
          Type: AWS::SNS::Topic
    `);
    const findings = await findingsFor(rule, yaml, 'stacks/broken.yaml');
    expect(summarise(findings)).toEqual([expectedFinding('stacks/broken.yaml', 7)]);
    expect(findings[0]?.message).toMatch(/^stacks\/broken\.yaml cannot be parsed \(.+\), so none/);
    expect(findings[0]?.range.file).toBe('stacks/broken.yaml');
  });

  it('pass_valid_policy', async () => {
    const yaml = dedent(`
      AWSTemplateFormatVersion: '2010-09-09'
      Resources:
        Bucket:
          Type: AWS::S3::Bucket
        BucketPolicy:
          Type: AWS::S3::BucketPolicy
          Properties:
            Bucket: !Ref Bucket
            PolicyDocument:
              Version: '2012-10-17'
              Statement:
                - Effect: Deny
                  Principal: '*'
                  Action: 's3:*'
                  Resource: !Sub '\${Bucket.Arn}/*'
                  Condition:
                    StringNotEquals:
                      aws:SourceVpce: vpce-1a2b3c4d
    `);
    expect(await findingsFor(rule, yaml)).toEqual([]);
  });

  it('gives two identical problems in one policy distinct, move-proof fingerprints', async () => {
    const twoWithoutEffect = (padding: string) =>
      dedent(`
        AWSTemplateFormatVersion: '2010-09-09'
        Resources:
          Managed:
            Type: AWS::IAM::ManagedPolicy
            Properties:
              PolicyDocument:
                Statement:
                  - Action: s3:GetObject
                    Resource: '*'
                  - Action: s3:PutObject
                    Resource: '*'
      `).replace('Resources:\n', `${padding}Resources:\n`);
    const before = await findingsFor(rule, twoWithoutEffect(''));
    const after = await findingsFor(rule, twoWithoutEffect('Description: x\n\n'));
    expect(summarise(before)).toEqual([
      expectedFinding('Managed', 8, 9),
      expectedFinding('Managed', 10, 11),
    ]);
    expect(summarise(after).map((f) => f.startLine)).toEqual([10, 12]);
    expect(new Set(before.map((f) => f.fingerprint)).size).toBe(2);
    expect(after.map((f) => f.fingerprint)).toEqual(before.map((f) => f.fingerprint));
  });
});

// Terraform: the same rule on the same model, with policies written as jsonencode, heredoc JSON
// and data "aws_iam_policy_document"; lines marked # FIRE are where the findings must point.
const terraformCases: TerraformCase[] = [
  {
    name: 'fail_tf_heredoc_bad_json',
    files: tfModule(
      tfIamPolicy(`<<EOF
{
  "Statement": [{
    "Effect": "Allow",
    "Action": "s3:GetObject"
    "Resource": "*" # FIRE
  }]
}
EOF`),
    ),
    fire: { resource: 'aws_iam_policy.app', severity: 'error' },
  },
  {
    name: 'fail_tf_jsonencode_missing_effect',
    files: tfModule(
      tfIamPolicy(`jsonencode({
    Statement = [
      { # FIRE
        Action   = "s3:GetObject"
        Resource = "*"
      }
    ]
  })`),
    ),
    fire: { resource: 'aws_iam_policy.app', severity: 'error' },
  },
  {
    name: 'fail_tf_policy_document_bucket_policy_without_principal',
    files: tfModule(
      tfBucketPolicy('data.aws_iam_policy_document.bucket.json'),
      `
data "aws_iam_policy_document" "bucket" {
  statement { # FIRE
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::data-bucket/*"]
  }
}
`,
    ),
    fire: { resource: 'data.aws_iam_policy_document.bucket', severity: 'error' },
  },
  {
    name: 'fail_tf_syntax_error_at_its_line',
    files: tfModule(
      TF_VPC,
      '\nresource "aws_route_table" "private" {\n  vpc_id = = aws_vpc.main.id # FIRE\n}\n',
    ),
    fire: { resource: 'mod/main.tf', severity: 'error' },
  },
  {
    name: 'pass_tf_policy_document_bucket_policy_with_principal',
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
  }
}
`,
    ),
  },
];

describe('policy-invalid (Terraform)', () => {
  for (const c of terraformCases) {
    it(c.name, async () => {
      const { actual, wanted } = await checkTerraformCase(rule, c);
      expect(actual).toEqual(wanted);
    });
  }
});
