/**
 * Building blocks for small CloudFormation templates in rule tests: each test states only the
 * statements it is about; expected lines are marked in the text with `# FIRE`.
 */
import { dedent } from './helpers.js';

function indent(block: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return dedent(block)
    .split('\n')
    .map((line) => (line.trim() === '' ? line : pad + line))
    .join('\n');
}

export function template(...resources: string[]): string {
  return `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n${resources.map((r) => indent(r, 2)).join('\n')}\n`;
}

export function withConditions(conditions: string, ...resources: string[]): string {
  return `AWSTemplateFormatVersion: '2010-09-09'\nConditions:\n${indent(conditions, 2)}\nResources:\n${resources.map((r) => indent(r, 2)).join('\n')}\n`;
}

export const VPC = `
Vpc:
  Type: AWS::EC2::VPC
  Properties:
    CidrBlock: 10.20.0.0/16
`;

export function s3Endpoint(name = 'S3Endpoint', policy?: string): string {
  return `
${name}:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    VpcId: !Ref Vpc
    ServiceName: !Sub com.amazonaws.\${AWS::Region}.s3
${policy === undefined ? '' : `    PolicyDocument:\n      Version: '2012-10-17'\n      Statement:\n${indent(policy, 8)}\n`}`;
}

export function bucketPolicy(statements: string, name = 'BucketPolicy'): string {
  return `
${name}:
  Type: AWS::S3::BucketPolicy
  Properties:
    Bucket: data-bucket
    PolicyDocument:
      Version: '2012-10-17'
      Statement:
${indent(statements, 8)}
`;
}

export function managedPolicy(statements: string, name = 'ManagedPolicy'): string {
  return `
${name}:
  Type: AWS::IAM::ManagedPolicy
  Properties:
    PolicyDocument:
      Version: '2012-10-17'
      Statement:
${indent(statements, 8)}
`;
}
