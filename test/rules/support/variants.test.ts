import { describe, expect, it } from 'vitest';
import sourceipDenyBlocksEndpoint from '../../../src/rules/sourceip-deny-blocks-endpoint.js';
import { dedent, findingsFor } from '../helpers.js';

const template = (ip: string) =>
  dedent(`
    Conditions:
      IsProd: !Equals [!Ref Env, prod]
    Parameters:
      Env: {Type: String}
    Resources:
      Vpc:
        Type: AWS::EC2::VPC
        Properties: {CidrBlock: 10.0.0.0/16}
      Ep:
        Type: AWS::EC2::VPCEndpoint
        Properties:
          VpcId: !Ref Vpc
          ServiceName: !Sub com.amazonaws.\${AWS::Region}.s3
      Bp:
        Type: AWS::S3::BucketPolicy
        Properties:
          Bucket: my-bucket
          PolicyDocument:
            Statement:
              - Effect: Deny
                Principal: "*"
                Action: s3:*
                Resource: [arn:aws:s3:::my-bucket, arn:aws:s3:::my-bucket/*]
                Condition:
                  NotIpAddress:
                    aws:SourceIp: ${ip}
  `);

describe('reportAcrossVariants', () => {
  it('reports a problem once when every !If branch has it, even if the branches differ elsewhere in the statement', async () => {
    const findings = await findingsFor(
      sourceipDenyBlocksEndpoint,
      template('!If [IsProd, 203.0.113.0/24, 198.51.100.0/24]'),
    );
    expect(findings.map((f) => [f.range.startLine, f.message])).toEqual([
      [
        26,
        'The bucket policy Bp denies every request through S3 endpoint Ep: its Deny statement #1 uses NotIpAddress on aws:SourceIp, which endpoint requests do not carry.',
      ],
    ]);
  });

  it('names the condition when only one branch has the problem', async () => {
    const findings = await findingsFor(
      sourceipDenyBlocksEndpoint,
      template('!If [IsProd, 203.0.113.0/24, !Ref AWS::NoValue]'),
    );
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringContaining('(when IsProd is true)'),
    ]);
  });
});
