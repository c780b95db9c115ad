import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/unknown-s3-action.js';
import { dedent, findingsFor, summarise } from './helpers.js';
import { checkTerraformCase, type TerraformCase } from './helpers.js';
import { tfIamPolicy, tfModule } from './terraform-templates.js';

interface Expected {
  readonly line: number;
  readonly resource: string;
  readonly words: readonly string[];
  readonly fix: readonly string[];
}

interface Case {
  readonly name: string;
  readonly yaml: string;
  readonly expected: readonly Expected[];
}

/** An endpoint policy with one statement; its `Action` entries start on line 16. */
function endpointPolicy(actionLines: string, element = 'Action'): string {
  const entries = dedent(actionLines)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => `${' '.repeat(18)}${line}`)
    .join('\n');
  return dedent(`
    AWSTemplateFormatVersion: '2010-09-09'
    Parameters:
      ExtraAction:
        Type: String
    Resources:
      Endpoint:
        Type: AWS::EC2::VPCEndpoint
        Properties:
          VpcId: vpc-111bbb22
          ServiceName: !Sub 'com.amazonaws.\${AWS::Region}.s3'
          PolicyDocument:
            Statement:
              - Effect: Allow
                Principal: '*'
                ${element}:
${entries}
                Resource: '*'
  `);
}

const cases: Case[] = [
  {
    name: 'fail_misspelt_action_and_pattern_in_any_case',
    yaml: endpointPolicy(`
                  - s3:GetObjects
                  - S3:gett*
                  - s3:ListBuckets`),
    expected: [
      {
        line: 16,
        resource: 'Endpoint',
        words: [
          'Amazon S3 has no action s3:GetObjects',
          'Action of statement 1',
          'endpoint policy',
        ],
        fix: ['Did you mean s3:GetObject?'],
      },
      {
        line: 17,
        resource: 'Endpoint',
        words: ['the pattern S3:gett* matches no Amazon S3 action'],
        fix: ['s3:Get*'],
      },
      {
        line: 18,
        resource: 'Endpoint',
        words: ['s3:ListBuckets'],
        fix: ['s3:ListBucket'],
      },
    ],
  },
  {
    name: 'fail_s3_express_action_written_with_the_s3_prefix',
    yaml: endpointPolicy(`
                  - s3:CreateSession`),
    expected: [
      {
        line: 16,
        resource: 'Endpoint',
        words: ['Amazon S3 has no action s3:CreateSession'],
        fix: ['s3express:CreateSession'],
      },
    ],
  },
  {
    name: 'fail_in_notaction',
    yaml: endpointPolicy(
      `
                  - s3:PutObjectAcls`,
      'NotAction',
    ),
    expected: [
      {
        line: 16,
        resource: 'Endpoint',
        words: ['in NotAction', 's3:PutObjectAcls'],
        fix: ['s3:PutObjectAcl'],
      },
    ],
  },
  {
    name: 'pass_real_actions_patterns_and_other_services',
    yaml: endpointPolicy(`
                  - S3:getobject
                  - 's3:*'
                  - 's3:Get*'
                  - 's3:List?ucket'
                  - s3express:CreateSession
                  - kms:Decrypt
                  - '*'
                  - !Sub 's3:\${ExtraAction}'`),
    expected: [],
  },
];

describe('unknown-s3-action', () => {
  it.each(cases)('$name', async ({ yaml, expected }) => {
    const findings = await findingsFor(rule, yaml);
    expect(summarise(findings)).toEqual(
      expected.map((e) => ({
        ruleId: 'unknown-s3-action',
        severity: 'warning',
        resource: e.resource,
        startLine: e.line,
        endLine: e.line,
      })),
    );
    for (const e of expected) {
      const finding = findings.find((f) => f.range.startLine === e.line);
      for (const word of e.words) expect(finding?.message).toContain(word);
      for (const word of e.fix) expect(finding?.fix?.description).toContain(word);
    }
  });

  it('reports an action inside one !If branch once, naming the condition', async () => {
    const yaml = dedent(`
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
              Statement:
                - Sid: NoDeletes
                  Effect: Deny
                  Principal: '*'
                  Action:
                    - s3:DeleteObjects
                    - !If [IsProd, s3:DeleteBuckets, s3:DeleteBucket]
                  Resource: '*'
    `);
    const findings = await findingsFor(rule, yaml);
    expect(summarise(findings)).toEqual([
      {
        ruleId: 'unknown-s3-action',
        severity: 'warning',
        resource: 'BucketPolicy',
        startLine: 20,
        endLine: 20,
      },
      {
        ruleId: 'unknown-s3-action',
        severity: 'warning',
        resource: 'BucketPolicy',
        startLine: 21,
        endLine: 21,
      },
    ]);
    const [always, branch] = findings.sort((a, b) => a.range.startLine - b.range.startLine);
    expect(always?.message).toContain('s3:DeleteObjects');
    expect(always?.message).not.toContain('IsProd');
    expect(branch?.message).toContain('s3:DeleteBuckets');
    expect(branch?.message).toContain('when IsProd is true');
    expect(branch?.fix?.description).toContain('s3:DeleteBucket');
  });
});

// Terraform: the same rule on the same model, with policies written as jsonencode, heredoc JSON
// and data "aws_iam_policy_document"; lines marked # FIRE are where the findings must point.
const terraformCases: TerraformCase[] = [
  {
    name: 'fail_tf_jsonencode_misspelt_action',
    files: tfModule(
      tfIamPolicy(`jsonencode({
    Statement = [{
      Effect = "Allow"
      Action = [
        "s3:GetObject",
        "s3:GetObjects", # FIRE
      ]
      Resource = "*"
    }]
  })`),
    ),
    fire: { resource: 'aws_iam_policy.app', severity: 'warning', words: ['s3:GetObjects'] },
  },
  {
    name: 'fail_tf_heredoc_misspelt_action',
    files: tfModule(
      tfIamPolicy(`<<EOF
{
  "Statement": [{
    "Effect": "Allow",
    "Action": "s3:ListBuckets", # FIRE
    "Resource": "*"
  }]
}
EOF`),
    ),
    fire: { resource: 'aws_iam_policy.app', severity: 'warning' },
  },
  {
    name: 'fail_tf_policy_document_misspelt_action',
    files: tfModule(
      tfIamPolicy('data.aws_iam_policy_document.app.json'),
      `
data "aws_iam_policy_document" "app" {
  statement {
    actions   = ["s3:PutObjects"] # FIRE
    resources = ["*"]
  }
}
`,
    ),
    fire: { resource: 'data.aws_iam_policy_document.app', severity: 'warning' },
  },
  {
    name: 'pass_tf_policy_document_real_actions_and_patterns',
    files: tfModule(
      tfIamPolicy('data.aws_iam_policy_document.app.json'),
      `
data "aws_iam_policy_document" "app" {
  statement {
    actions   = ["s3:GetObject", "s3:Get*", "s3:*Object", "ec2:DescribeVpcs"]
    resources = ["*"]
  }
}
`,
    ),
  },
];

describe('unknown-s3-action (Terraform)', () => {
  for (const c of terraformCases) {
    it(c.name, async () => {
      const { actual, wanted } = await checkTerraformCase(rule, c);
      expect(actual).toEqual(wanted);
    });
  }
});
