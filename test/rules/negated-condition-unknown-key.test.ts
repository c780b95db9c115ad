import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/negated-condition-unknown-key.js';
import { dedent, findingsFor, summarise } from './helpers.js';
import { checkTerraformCase, type TerraformCase } from './helpers.js';
import { tfBucketPolicy, tfDenyDocument, tfModule, tfCondition } from './terraform-templates.js';

interface Expected {
  readonly line: number;
  readonly resource: string;
  /** Words the message must contain. */
  readonly words: readonly string[];
  /** Words the fix must contain. */
  readonly fix?: readonly string[];
}

interface Case {
  readonly name: string;
  readonly yaml: string;
  readonly expected: readonly Expected[];
}

/** A bucket policy whose one statement is `statement` (indented as a list item at column 11). */
function bucketPolicy(statement: string): string {
  return (
    dedent(`
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
    `) +
    dedent(statement)
      .split('\n')
      .map((line) => (line === '' ? line : `          ${line}`))
      .join('\n')
  );
}

// In bucketPolicy(), the statement's first line is line 12.
const cases: Case[] = [
  {
    name: 'fail_typo_in_sourcevpce_with_stringnotequals',
    yaml: bucketPolicy(`
      - Sid: OnlyThroughEndpoint
        Effect: Deny
        Principal: '*'
        Action: 's3:*'
        Resource: !Sub '\${Bucket.Arn}/*'
        Condition:
          StringNotEquals:
            aws:sourceVpceId: vpce-1a2b3c4d
    `),
    expected: [
      {
        line: 19,
        resource: 'BucketPolicy',
        words: ['"OnlyThroughEndpoint"', 'aws:sourceVpceId', 'StringNotEquals', 'every request'],
        fix: ['aws:SourceVpce'],
      },
    ],
  },
  {
    name: 'pass_correct_key_in_any_case',
    yaml: bucketPolicy(`
      - Effect: Deny
        Principal: '*'
        Action: 's3:*'
        Resource: !Sub '\${Bucket.Arn}/*'
        Condition:
          StringNotEquals:
            aws:sourcevpce: vpce-1a2b3c4d
          NotIpAddress:
            AWS:SourceIp: 203.0.113.0/24
    `),
    expected: [],
  },
  {
    name: 'pass_allow_is_not_this_rule',
    yaml: bucketPolicy(`
      - Effect: Allow
        Principal: '*'
        Action: 's3:GetObject'
        Resource: !Sub '\${Bucket.Arn}/*'
        Condition:
          StringNotEquals:
            aws:sourceVpceId: vpce-1a2b3c4d
    `),
    expected: [],
  },
  {
    name: 'pass_positive_operator_is_false_for_an_absent_key',
    yaml: bucketPolicy(`
      - Effect: Deny
        Principal: '*'
        Action: 's3:*'
        Resource: !Sub '\${Bucket.Arn}/*'
        Condition:
          StringEquals:
            aws:sourceVpceId: vpce-1a2b3c4d
          'Null':
            aws:SourceVpcId: 'false'
    `),
    expected: [],
  },
  {
    name: 'fail_ifexists_null_true_and_forallvalues_are_true_for_absent_keys',
    yaml: bucketPolicy(`
      - Sid: Several
        Effect: Deny
        Principal: '*'
        Action: 's3:*'
        Resource: !Sub '\${Bucket.Arn}/*'
        Condition:
          StringEqualsIfExists:
            aws:SourceVpcId: vpc-111bbb22
          'Null':
            aws:PrincipalOrgId1: 'true'
          ForAllValues:StringEquals:
            aws:TagKey: [team]
    `),
    expected: [
      {
        line: 19,
        resource: 'BucketPolicy',
        words: ['aws:SourceVpcId', 'StringEqualsIfExists', 'does not limit the Deny'],
        fix: ['aws:SourceVpc'],
      },
      {
        line: 21,
        resource: 'BucketPolicy',
        words: ['aws:PrincipalOrgId1', 'Null'],
        fix: ['aws:PrincipalOrgID'],
      },
      {
        line: 23,
        resource: 'BucketPolicy',
        words: ['aws:TagKey', 'ForAllValues:StringEquals'],
        fix: ['aws:TagKeys'],
      },
    ],
  },
  {
    name: 'fail_notipaddress_on_a_misspelt_ip_key_next_to_a_valid_clause',
    yaml: bucketPolicy(`
      - Effect: Deny
        Principal: '*'
        Action: 's3:*'
        Resource: !Sub '\${Bucket.Arn}/*'
        Condition:
          NotIpAddress:
            aws:SourceIpAddress: 203.0.113.0/24
          StringNotEquals:
            aws:SourceVpce: vpce-1a2b3c4d
    `),
    expected: [
      {
        line: 18,
        resource: 'BucketPolicy',
        words: ['statement 1', 'aws:SourceIpAddress', 'NotIpAddress', 'does not limit the Deny'],
        fix: ['aws:SourceIp'],
      },
    ],
  },
  {
    name: 'pass_federated_provider_keys_are_not_judged',
    yaml: bucketPolicy(`
      - Effect: Deny
        Principal: '*'
        Action: 's3:*'
        Resource: !Sub '\${Bucket.Arn}/*'
        Condition:
          StringNotLike:
            token.actions.githubusercontent.com:sub: 'repo:my-org/*'
    `),
    expected: [],
  },
  {
    name: 'fail_in_an_endpoint_policy',
    yaml: dedent(`
      AWSTemplateFormatVersion: '2010-09-09'
      Resources:
        Endpoint:
          Type: AWS::EC2::VPCEndpoint
          Properties:
            VpcId: vpc-111bbb22
            ServiceName: !Sub 'com.amazonaws.\${AWS::Region}.s3'
            RouteTableIds: [rtb-11111111]
            PolicyDocument:
              Statement:
                - Effect: Deny
                  Principal: '*'
                  Action: 's3:*'
                  Resource: '*'
                  Condition:
                    StringNotEquals:
                      aws:ResourceAcount: '111122223333'
    `),
    expected: [
      {
        line: 17,
        resource: 'Endpoint',
        words: ['endpoint policy', 'aws:ResourceAcount', 'every request'],
        fix: ['aws:ResourceAccount'],
      },
    ],
  },
  {
    name: 'fail_only_in_one_if_branch_names_the_condition',
    yaml: dedent(`
      AWSTemplateFormatVersion: '2010-09-09'
      Parameters:
        Env:
          Type: String
      Conditions:
        IsProd: !Equals [!Ref Env, prod]
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
                  Condition: !If
                    - IsProd
                    - StringNotEquals:
                        aws:sourceVpceId: vpce-1a2b3c4d
                    - StringNotEquals:
                        aws:SourceVpce: vpce-1a2b3c4d
    `),
    expected: [
      {
        line: 24,
        resource: 'BucketPolicy',
        words: ['aws:sourceVpceId', 'when IsProd is true'],
        fix: ['aws:SourceVpce'],
      },
    ],
  },
];

describe('negated-condition-unknown-key', () => {
  it.each(cases)('$name', async ({ yaml, expected }) => {
    const findings = await findingsFor(rule, yaml);
    expect(summarise(findings)).toEqual(
      expected.map((e) => ({
        ruleId: 'negated-condition-unknown-key',
        severity: 'error',
        resource: e.resource,
        startLine: e.line,
        endLine: e.line,
      })),
    );
    for (const e of expected) {
      const finding = findings.find((f) => f.range.startLine === e.line);
      for (const word of e.words) expect(finding?.message).toContain(word);
      for (const word of e.fix ?? []) expect(finding?.fix?.description).toContain(word);
    }
  });

  it('gives the same fingerprint when the template is reformatted and moved', async () => {
    const [before] = await findingsFor(rule, cases[0]?.yaml ?? '');
    const moved = (cases[0]?.yaml ?? '').replace(
      'Resources:\n',
      'Description: moved down\nResources:\n',
    );
    const [after] = await findingsFor(rule, moved);
    expect(after?.range.startLine).toBe(20);
    expect(after?.fingerprint).toBe(before?.fingerprint);
  });
});

// Terraform: the same rule on the same model, with policies written as jsonencode, heredoc JSON
// and data "aws_iam_policy_document"; lines marked # FIRE are where the findings must point.
const terraformCases: TerraformCase[] = [
  {
    name: 'fail_tf_jsonencode_typo_in_sourcevpce',
    files: tfModule(
      tfBucketPolicy(`jsonencode({
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = "arn:aws:s3:::data-bucket/*"
      Condition = {
        StringNotEquals = { "aws:sourceVpceId" = "vpce-0123456789abcdef0" } # FIRE
      }
    }]
  })`),
    ),
    fire: { resource: 'aws_s3_bucket_policy.data', severity: 'error' },
  },
  {
    name: 'fail_tf_heredoc_typo',
    files: tfModule(
      tfBucketPolicy(`<<EOF
{
  "Statement": [{
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": "arn:aws:s3:::data-bucket/*",
    "Condition": {"StringNotEquals": {
      "aws:SourceVpcId": "vpc-0123456789abcdef0" # FIRE
    }}
  }]
}
EOF`),
    ),
    fire: { resource: 'aws_s3_bucket_policy.data', severity: 'error' },
  },
  {
    name: 'fail_tf_policy_document_typo',
    files: tfModule(
      tfBucketPolicy('data.aws_iam_policy_document.bucket.json'),
      tfDenyDocument(
        tfCondition('StringNotEquals', 'aws:SourceVpceId', '["vpce-0123456789abcdef0"]', true),
      ),
    ),
    fire: { resource: 'data.aws_iam_policy_document.bucket', severity: 'error' },
  },
  {
    name: 'pass_tf_policy_document_correct_key',
    files: tfModule(
      tfBucketPolicy('data.aws_iam_policy_document.bucket.json'),
      tfDenyDocument(
        tfCondition('StringNotEquals', 'aws:SourceVpce', '["vpce-0123456789abcdef0"]'),
      ),
    ),
  },
  {
    name: 'pass_tf_jsonencode_allow_is_not_this_rule',
    files: tfModule(
      tfBucketPolicy(`jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::data-bucket/*"
      Condition = { StringNotEquals = { "aws:sourceVpceId" = "vpce-0123456789abcdef0" } }
    }]
  })`),
    ),
  },
];

describe('negated-condition-unknown-key (Terraform)', () => {
  for (const c of terraformCases) {
    it(c.name, async () => {
      const { actual, wanted } = await checkTerraformCase(rule, c);
      expect(actual).toEqual(wanted);
    });
  }
});
