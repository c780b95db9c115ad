import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/unresolved-policy.js';
import { dedent, findingsFor, summarise } from './helpers.js';
import { checkTerraformCase, type TerraformCase } from './helpers.js';
import { tfBucketPolicy, tfIamPolicy, tfModule } from './terraform-templates.js';

function expectedFinding(resource: string, startLine: number, endLine = startLine) {
  return { ruleId: 'unresolved-policy', severity: 'notice', resource, startLine, endLine };
}

describe('unresolved-policy', () => {
  it('fail_whole_and_partly_unresolved_policies_with_their_reason', async () => {
    const yaml = dedent(`
      AWSTemplateFormatVersion: '2010-09-09'
      Resources:
        Role:
          Type: AWS::IAM::Role
          Properties:
            AssumeRolePolicyDocument: {}
            Policies:
              - PolicyName: imported
                PolicyDocument: !ImportValue shared-policy
              - PolicyName: partly
                PolicyDocument:
                  Statement:
                    - Effect: Allow
                      Action: s3:GetObject
                      Resource: !ImportValue bucket-arn
              - PolicyName: included
                PolicyDocument:
                  Fn::Transform:
                    Name: AWS::Include
                    Parameters:
                      Location: s3://bucket/policy.yaml
    `);
    const findings = await findingsFor(rule, yaml);
    expect(summarise(findings)).toEqual([
      expectedFinding('Role', 9),
      // The partly resolved policy as a whole (its PolicyDocument property)…
      expectedFinding('Role', 11, 15),
      expectedFinding('Role', 17, 21),
    ]);
    const byLine = new Map(findings.map((f) => [f.range.startLine, f]));
    expect(byLine.get(9)?.message).toMatch(
      /^Role: the IAM policy "imported" could not be evaluated \(Fn::ImportValue shared-policy.*\), so it was not checked\.$/,
    );
    expect(byLine.get(11)?.message).toMatch(
      /^Role: one value in the IAM policy "partly" could not be resolved \(Fn::ImportValue bucket-arn.*\), so checks that depend on them were skipped\.$/,
    );
    // …with the unresolved value itself as a related location.
    expect(byLine.get(11)?.related.map((r) => r.range.startLine)).toEqual([15]);
    expect(byLine.get(17)?.message).toContain(
      'IAM policy "included" could not be evaluated (Fn::Transform',
    );
  });

  it('fail_many_unresolved_values_in_one_policy_are_one_notice', async () => {
    const yaml = dedent(`
      AWSTemplateFormatVersion: '2010-09-09'
      Resources:
        Managed:
          Type: AWS::IAM::ManagedPolicy
          Properties:
            PolicyDocument:
              Statement:
                - Effect: Allow
                  Action: s3:GetObject
                  Resource: [!ImportValue a, !ImportValue b, !ImportValue c]
    `);
    const findings = await findingsFor(rule, yaml);
    expect(summarise(findings)).toEqual([expectedFinding('Managed', 6, 10)]);
    expect(findings[0]?.message).toContain('3 values in the IAM policy could not be resolved');
    expect(findings[0]?.message).toContain('and 1 more');
    expect(findings[0]?.related.map((r) => r.message)).toEqual([
      expect.stringContaining('Fn::ImportValue a'),
      expect.stringContaining('Fn::ImportValue b'),
      expect.stringContaining('Fn::ImportValue c'),
    ]);
  });

  it('fail_bucket_policy_from_another_stack', async () => {
    const yaml = dedent(`
      AWSTemplateFormatVersion: '2010-09-09'
      Resources:
        Bucket:
          Type: AWS::S3::Bucket
        BucketPolicy:
          Type: AWS::S3::BucketPolicy
          Properties:
            Bucket: !Ref Bucket
            PolicyDocument: !ImportValue shared-bucket-policy
    `);
    const findings = await findingsFor(rule, yaml);
    expect(summarise(findings)).toEqual([expectedFinding('BucketPolicy', 9)]);
    expect(findings[0]?.message).toContain('the bucket policy could not be evaluated');
  });

  it('pass_fully_resolved_policies_and_unresolved_values_outside_policies', async () => {
    const yaml = dedent(`
      AWSTemplateFormatVersion: '2010-09-09'
      Resources:
        Bucket:
          Type: AWS::S3::Bucket
          Properties:
            BucketName: !ImportValue bucket-name
        BucketPolicy:
          Type: AWS::S3::BucketPolicy
          Properties:
            Bucket: !Ref Bucket
            PolicyDocument:
              Statement:
                - Effect: Deny
                  Principal: '*'
                  Action: 's3:*'
                  Resource: !Sub '\${Bucket.Arn}/*'
                  Condition:
                    Bool:
                      aws:SecureTransport: 'false'
    `);
    expect(await findingsFor(rule, yaml)).toEqual([]);
  });
});

// Terraform: the same rule on the same model, with policies written as jsonencode, heredoc JSON
// and data "aws_iam_policy_document"; lines marked # FIRE are where the findings must point.
const terraformCases: TerraformCase[] = [
  {
    name: 'fail_tf_policy_from_a_module_output',
    files: tfModule(
      'module "policies" {\n  source = "./policies"\n}\n',
      tfBucketPolicy('module.policies.bucket_policy_json # FIRE'),
    ),
    fire: { resource: 'aws_s3_bucket_policy.data', severity: 'notice' },
  },
  {
    name: 'fail_tf_file_outside_the_repository',
    files: tfModule(tfIamPolicy('file("/etc/policy.json") # FIRE')),
    fire: { resource: 'aws_iam_policy.app', severity: 'notice' },
  },
  {
    name: 'pass_tf_file_in_the_module',
    files: {
      ...tfModule(tfIamPolicy('file("${path.module}/policy.json")')),
      'mod/policy.json':
        '{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}\n',
    },
  },
  {
    name: 'pass_tf_variable_default_heredoc',
    files: tfModule(
      'variable "policy" {\n  default = <<EOF\n{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}\nEOF\n}\n',
      tfIamPolicy('var.policy'),
    ),
  },
];

describe('unresolved-policy (Terraform)', () => {
  for (const c of terraformCases) {
    it(c.name, async () => {
      const { actual, wanted } = await checkTerraformCase(rule, c);
      expect(actual).toEqual(wanted);
    });
  }
});
