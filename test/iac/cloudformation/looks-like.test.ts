import { describe, expect, it } from 'vitest';
import { looksLikeCloudFormation } from '../../../src/iac/cloudformation/index.js';

describe('looksLikeCloudFormation', () => {
  it.each([
    ['AWSTemplateFormatVersion: "2010-09-09"\n', true],
    ['{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Resources": {}\n}', true],
    ['Resources:\n  B:\n    Type: AWS::S3::Bucket\n', true],
    [
      'Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n',
      true,
    ],
    ['Resources:\n  C:\n    Type: Custom::Thing\n', true],
    ['{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}', true],
    ['{"Description":"x","Resources":{"B":{"Type":"AWS::S3::Bucket"}}}', true],
    ['resource "aws_s3_bucket" "b" {}\n', false],
    ['{"Version": "2012-10-17", "Statement": []}', false],
    ['name: ci\non: push\n', false],
    ['Resources:\n  - just a list\n', false],
  ])('%j → %s', (text, expected) => {
    expect(looksLikeCloudFormation(text)).toBe(expected);
  });
});
