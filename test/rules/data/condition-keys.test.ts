import { describe, expect, it } from 'vitest';
import {
  closestConditionKey,
  GLOBAL_CONDITION_KEYS,
  globalConditionKeySource,
  isCheckableConditionKey,
  isKnownConditionKey,
  isKnownKeyPrefix,
} from '../../../src/rules/data/condition-keys.js';

describe('known condition keys', () => {
  it.each([
    'aws:SourceVpce',
    'aws:sourcevpce',
    'AWS:SOURCEVPC',
    'aws:SourceVpcArn',
    'aws:VpcSourceIp',
    'aws:VpceAccount',
    'aws:VpceOrgID',
    'aws:VpceOrgPaths',
    'aws:SourceIp',
    'aws:PrincipalArn',
    'aws:SecureTransport',
    'aws:IsMcpServiceAction',
    'aws:PrincipalTag/team',
    'aws:ResourceTag/cost-center',
    'aws:RequestTag/Owner',
    's3:ResourceAccount',
    's3:ExistingObjectTag/SageMaker',
    's3:ExistingObjectTag/servicecatalog:provisioning',
    's3:RequestObjectTag/team',
    's3:x-amz-acl',
    's3:prefix',
    'ec2:Vpc',
  ])('knows %s', (key) => {
    expect(isKnownConditionKey(key)).toBe(true);
  });

  it.each([
    'aws:sourceVpceId',
    'aws:SourceVpcId',
    'aws:SourceIP4',
    'aws:PrincipalTag/',
    's3:ExistingObjectTag/',
    'aws:PrincipalTags/team',
    's3:GetObject',
    'SourceVpce',
    'awss:SourceVpce',
  ])('does not know %s', (key) => {
    expect(isKnownConditionKey(key)).toBe(false);
  });

  it('keeps a documentation source for every global key it lists', () => {
    for (const entry of GLOBAL_CONDITION_KEYS) {
      expect(entry.key.startsWith('aws:')).toBe(true);
      expect(entry.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      expect(isKnownConditionKey(entry.key.replace('${TagKey}', 'x'))).toBe(true);
    }
    expect(globalConditionKeySource('aws:sourcevpce')).toBe(
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcevpce',
    );
    expect(globalConditionKeySource('aws:ResourceTag/team')).toMatch(
      /#condition-keys-resourcetag$/,
    );
    expect(globalConditionKeySource('s3:prefix')).toBeUndefined();
  });

  it('does not judge keys of federated identity providers', () => {
    expect(isCheckableConditionKey('token.actions.githubusercontent.com:sub')).toBe(false);
    expect(isCheckableConditionKey('oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub')).toBe(false);
    expect(isCheckableConditionKey('aws:sourceVpceId')).toBe(true);
    expect(isCheckableConditionKey('SourceVpce')).toBe(true);
  });

  it('knows service prefixes', () => {
    expect(isKnownKeyPrefix('s3')).toBe(true);
    expect(isKnownKeyPrefix('AWS')).toBe(true);
    expect(isKnownKeyPrefix('awss')).toBe(false);
  });

  it.each([
    ['aws:sourceVpceId', 'aws:SourceVpce'],
    ['aws:SourceVpcId', 'aws:SourceVpc'],
    ['aws:SourceIP4', 'aws:SourceIp'],
    ['aws:PrincipalOrgId1', 'aws:PrincipalOrgID'],
    ['s3:ResourceAcount', 's3:ResourceAccount'],
    ['aws:SourceIpAddress', 'aws:SourceIp'],
  ])('suggests %s → %s', (wrong, right) => {
    expect(closestConditionKey(wrong)).toBe(right);
  });

  it('suggests nothing for a key far from every real one', () => {
    expect(closestConditionKey('zzz:qqqqqqqqqqqqqqqqqqqqqqqqqqqq')).toBeUndefined();
  });
});
