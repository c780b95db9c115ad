import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/unresolved-policy.js';
import { dedent, findingsFor, summarise } from './helpers.js';

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
      expectedFinding('Role', 15),
      // The whole `PolicyDocument:` property, up to the end of the file.
      expectedFinding('Role', 17, 22),
    ]);
    const byLine = new Map(findings.map((f) => [f.range.startLine, f.message]));
    expect(byLine.get(9)).toMatch(
      /^Role: the IAM policy "imported" could not be evaluated \(Fn::ImportValue shared-policy.*\), so it was not checked\.$/,
    );
    expect(byLine.get(15)).toMatch(
      /^Role: part of the IAM policy "partly" could not be resolved \(Fn::ImportValue bucket-arn.*\)/,
    );
    expect(byLine.get(17)).toContain('IAM policy "included" could not be evaluated (Fn::Transform');
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
