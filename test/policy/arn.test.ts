import { describe, expect, it } from 'vitest';
import { matchArn, matchArnLiteral, splitArn } from '../../src/policy/arn.js';
import { lit, ref, sym } from './helpers.js';

describe('splitArn', () => {
  it('keeps colons in the resource part', () => {
    expect(splitArn('arn:aws:logs:us-east-1:123456789012:log-group:x:*')).toEqual([
      'arn',
      'aws',
      'logs',
      'us-east-1',
      '123456789012',
      'log-group:x:*',
    ]);
    expect(splitArn('arn:aws:s3')).toBeUndefined();
  });
});

describe('matchArnLiteral', () => {
  it.each([
    ['arn:aws:iam::123456789012:role/*', 'arn:aws:iam::123456789012:role/admin', true],
    ['arn:aws:iam::*:role/admin', 'arn:aws:iam::123456789012:role/admin', true],
    ['arn:aws:iam::123456789012:role/*', 'arn:aws:iam::210987654321:role/admin', false],
    // `*` stays inside its component: it cannot stand for the account and the colon after it
    ['arn:aws:iam::*', 'arn:aws:iam::123456789012:role/admin', false],
    ['arn:aws:ec2:*:*:vpc/vpc-1', 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1', true],
    ['arn:aws:ec2:*:*:vpc/VPC-1', 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1', false],
    ['arn:aws:logs:*:*:log-group:x:*', 'arn:aws:logs:eu-west-1:1:log-group:x:log-stream:y', true],
    ['*', 'arn:aws:s3:::b', false],
    ['arn:aws:s3:::b', 'not-an-arn', false],
  ])('%s ~ %s → %s', (pattern, value, expected) => {
    expect(matchArnLiteral(pattern, value)).toBe(expected);
  });
});

describe('matchArn (symbolic)', () => {
  const account = ref('pseudo:AWS::AccountId');
  const vpcArn = ref('Vpc#arn');
  it('splits symbolic ARNs into components', () => {
    expect(
      matchArn(sym('arn:aws:iam::', account, ':role/*'), lit('arn:aws:iam::123456789012:role/x')),
    ).toBe('unknown');
    expect(
      matchArn(sym('arn:aws:iam::', account, ':role/*'), lit('arn:aws:iam::123456789012:user/x')),
    ).toBe(false);
    expect(
      matchArn(sym('arn:aws:iam::', account, ':role/*'), sym('arn:aws:iam::', account, ':role/x')),
    ).toBe(true);
  });
  it('falls back to whole-string reasoning for references that may hold colons', () => {
    expect(matchArn(sym(vpcArn), sym(vpcArn))).toBe(true);
    expect(matchArn(sym(vpcArn), lit('arn:aws:ec2:us-east-1:1:vpc/vpc-1'))).toBe('unknown');
    expect(matchArn(sym('arn:aws:s3:::', vpcArn), lit('arn:aws:ec2:us-east-1:1:vpc/vpc-1'))).toBe(
      false,
    );
  });
});
