import { describe, expect, it } from 'vitest';
import type { Scope } from '../../../src/iac/model.js';
import { statementMatchesResource } from '../../../src/policy/evaluate.js';
import type { Statement } from '../../../src/policy/types.js';
import {
  anyObjectArn,
  bucketArn,
  bucketNameAssumptions,
  bucketPoliciesOf,
  withBucketArnsExpanded,
} from '../../../src/rules/support/bucket-arn.js';
import { scopeFor, scopeForTerraform } from '../helpers.js';

/** The statements of the first bucket policy, with its bucket's name. */
function firstPolicy(scope: Scope): {
  statements: readonly Statement[];
  bucket: ReturnType<typeof bucketArn>;
} {
  const [governed] = bucketPoliciesOf(scope);
  const statements = governed?.policy.variants[0]?.document.statements ?? [];
  if (!governed?.bucket) throw new Error('no bucket name');
  return { statements, bucket: governed.bucket };
}

const cfn = (bucketProps: string, resources: string) => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Bucket:
    Type: AWS::S3::Bucket
${bucketProps}
  Other:
    Type: AWS::S3::Bucket
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: '*'
            Action: s3:GetObject
            Resource: ${resources}
`;

describe('bucket ARNs', () => {
  it('relates !GetAtt Bucket.Arn to !Ref Bucket by identity', async () => {
    const scope = await scopeFor(cfn('', '!GetAtt Bucket.Arn'));
    const { statements, bucket } = firstPolicy(scope);
    const [written] = statements;
    expect(statementMatchesResource(written!, bucketArn(bucket))).toBe('unknown');
    const expanded = withBucketArnsExpanded(written!, scope);
    expect(statementMatchesResource(expanded, bucketArn(bucket))).toBe(true);
  });

  it('matches any object under ${Bucket.Arn}/* but only maybe under a prefix', async () => {
    const all = await scopeFor(cfn('', "!Sub '${Bucket.Arn}/*'"));
    const a = firstPolicy(all);
    expect(
      statementMatchesResource(
        withBucketArnsExpanded(a.statements[0]!, all),
        anyObjectArn(a.bucket),
      ),
    ).toBe(true);
    expect(
      statementMatchesResource(withBucketArnsExpanded(a.statements[0]!, all), bucketArn(a.bucket)),
    ).not.toBe(true);
    const prefix = await scopeFor(cfn('', "!Sub '${Bucket.Arn}/logs/*'"));
    const p = firstPolicy(prefix);
    expect(
      statementMatchesResource(
        withBucketArnsExpanded(p.statements[0]!, prefix),
        anyObjectArn(p.bucket),
      ),
    ).toBe('unknown');
  });

  it("another bucket's ARN is unknown by itself, false once distinct names are assumed", async () => {
    const scope = await scopeFor(cfn('', '!GetAtt Other.Arn'));
    const { statements, bucket } = firstPolicy(scope);
    const expanded = withBucketArnsExpanded(statements[0]!, scope);
    expect(statementMatchesResource(expanded, bucketArn(bucket))).toBe('unknown');
    const assume = { 'Bucket#name': 'n-0', 'Other#name': 'n-1' };
    expect(statementMatchesResource(expanded, bucketArn(bucket), { assume })).toBe(false);
  });

  it('knows the name behind !Ref Bucket when BucketName is literal', async () => {
    const scope = await scopeFor(
      cfn('    Properties:\n      BucketName: data-bucket', 'arn:aws:s3:::data-bucket'),
    );
    expect(bucketNameAssumptions(scope)).toEqual({ 'Bucket#name': 'data-bucket' });
    const { statements, bucket } = firstPolicy(scope);
    const assume = bucketNameAssumptions(scope);
    expect(statementMatchesResource(statements[0]!, bucketArn(bucket), { assume })).toBe(true);
  });

  it('Terraform: .arn of a named bucket is its literal ARN; of a prefixed one, its .id', async () => {
    const tf = (bucket: string) => ({
      'mod/main.tf': `
resource "aws_s3_bucket" "b" {
  ${bucket}
}

resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = [aws_s3_bucket.b.arn, "\${aws_s3_bucket.b.arn}/*"]
    }]
  })
}
`,
    });
    for (const bucket of ['bucket = "data-bucket"', 'bucket_prefix = "data-"']) {
      const scope = await scopeForTerraform(tf(bucket));
      const { statements, bucket: name } = firstPolicy(scope);
      const expanded = withBucketArnsExpanded(statements[0]!, scope);
      expect(statementMatchesResource(expanded, bucketArn(name))).toBe(true);
      expect(statementMatchesResource(expanded, anyObjectArn(name))).toBe(true);
    }
  });

  it('lists inline aws_s3_bucket.policy with the bucket it sits on', async () => {
    const scope = await scopeForTerraform({
      'mod/main.tf': `
resource "aws_s3_bucket" "b" {
  bucket_prefix = "data-"
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "\${aws_s3_bucket.b.arn}/*" }]
  })
}
`,
    });
    const [governed, ...rest] = bucketPoliciesOf(scope);
    expect(rest).toEqual([]);
    expect(governed?.resource.address).toBe('aws_s3_bucket.b');
    const statement = withBucketArnsExpanded(
      governed!.policy.variants[0]!.document.statements[0]!,
      scope,
    );
    expect(statementMatchesResource(statement, anyObjectArn(governed!.bucket!))).toBe(true);
  });
});
