/**
 * The example policies of AWS's "Endpoints for Amazon S3" page (the project's source document),
 * evaluated for requests through endpoint vpce-1a2b3c4d (in vpc-111bbb22), through another
 * endpoint in another VPC, and from the internet.
 */
import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../../src/policy/evaluate.js';
import type { ContextValue, Decision, RequestContext } from '../../src/policy/types.js';
import { absent, lit, parse, values } from './helpers.js';

const restrictToBucket = {
  Statement: [
    {
      Sid: 'Access-to-specific-bucket-only',
      Principal: '*',
      Action: ['s3:GetObject', 's3:PutObject'],
      Effect: 'Allow',
      Resource: ['arn:aws:s3:::my_secure_bucket', 'arn:aws:s3:::my_secure_bucket/*'],
    },
  ],
};
const amazonLinuxRepos = {
  Statement: [
    {
      Sid: 'AmazonLinuxAMIRepositoryAccess',
      Principal: '*',
      Action: ['s3:GetObject'],
      Effect: 'Allow',
      Resource: ['arn:aws:s3:::packages.*.amazonaws.com/*', 'arn:aws:s3:::repo.*.amazonaws.com/*'],
    },
  ],
};
const amazonLinux2Repos = {
  Statement: [
    {
      Sid: 'AmazonLinux2AMIRepositoryAccess',
      Principal: '*',
      Action: ['s3:GetObject'],
      Effect: 'Allow',
      Resource: ['arn:aws:s3:::amazonlinux.*.amazonaws.com/*'],
    },
  ],
};
const denyUnlessEndpoint = {
  Version: '2012-10-17',
  Id: 'Policy1415115909152',
  Statement: [
    {
      Sid: 'Access-to-specific-VPCE-only',
      Principal: '*',
      Action: 's3:*',
      Effect: 'Deny',
      Resource: ['arn:aws:s3:::my_secure_bucket', 'arn:aws:s3:::my_secure_bucket/*'],
      Condition: { StringNotEquals: { 'aws:sourceVpce': 'vpce-1a2b3c4d' } },
    },
  ],
};
const denyUnlessVpc = {
  Version: '2012-10-17',
  Id: 'Policy1415115909152',
  Statement: [
    {
      Sid: 'Access-to-specific-VPC-only',
      Principal: '*',
      Action: 's3:*',
      Effect: 'Deny',
      Resource: ['arn:aws:s3:::my_secure_bucket', 'arn:aws:s3:::my_secure_bucket/*'],
      Condition: { StringNotEquals: { 'aws:sourceVpc': 'vpc-111bbb22' } },
    },
  ],
};

type Route = 'endpoint' | 'other-endpoint' | 'internet';
function keys(route: Route): Record<string, ContextValue> {
  switch (route) {
    case 'endpoint':
      return {
        'aws:sourcevpce': values('vpce-1a2b3c4d'),
        'aws:sourcevpc': values('vpc-111bbb22'),
        'aws:sourceip': absent,
        'aws:vpcsourceip': values('10.0.1.5'),
      };
    case 'other-endpoint':
      return {
        'aws:sourcevpce': values('vpce-9f8e7d6c'),
        'aws:sourcevpc': values('vpc-333ddd44'),
        'aws:sourceip': absent,
        'aws:vpcsourceip': values('10.9.1.5'),
      };
    case 'internet':
      return {
        'aws:sourcevpce': absent,
        'aws:sourcevpc': absent,
        'aws:sourceip': values('203.0.113.10'),
        'aws:vpcsourceip': absent,
      };
  }
}

function decide(
  policy: unknown,
  role: 'optional' | 'required',
  action: string,
  resource: string,
  route: Route,
): Decision {
  const document = parse(policy, role);
  expect(document.diagnostics).toEqual([]);
  const request: RequestContext = {
    principal: lit('arn:aws:iam::111122223333:role/app'),
    action,
    resource: lit(resource),
    keys: keys(route),
  };
  return evaluatePolicy(document, request).decision;
}

describe('endpoint policy examples', () => {
  it.each([
    ['s3:GetObject', 'arn:aws:s3:::my_secure_bucket/report.csv', 'allow'],
    ['s3:PutObject', 'arn:aws:s3:::my_secure_bucket/report.csv', 'allow'],
    ['s3:DeleteObject', 'arn:aws:s3:::my_secure_bucket/report.csv', 'implicit-deny'],
    ['s3:GetObject', 'arn:aws:s3:::another_bucket/report.csv', 'implicit-deny'],
    ['s3:ListBucket', 'arn:aws:s3:::my_secure_bucket', 'implicit-deny'],
  ] as const)('restrict to my_secure_bucket: %s %s → %s', (action, resource, expected) => {
    expect(decide(restrictToBucket, 'optional', action, resource, 'endpoint')).toBe(expected);
  });

  it.each([
    [amazonLinuxRepos, 'arn:aws:s3:::packages.us-west-1.amazonaws.com/x.rpm', 'allow'],
    [amazonLinuxRepos, 'arn:aws:s3:::repo.eu-west-1.amazonaws.com/x.rpm', 'allow'],
    [amazonLinuxRepos, 'arn:aws:s3:::amazonlinux.us-east-1.amazonaws.com/x', 'implicit-deny'],
    // The wildcard also matches a look-alike bucket anyone could create: why Regions should be pinned.
    [amazonLinuxRepos, 'arn:aws:s3:::packages.evil.amazonaws.com/x.rpm', 'allow'],
    [amazonLinux2Repos, 'arn:aws:s3:::amazonlinux.us-east-1.amazonaws.com/x', 'allow'],
    [amazonLinux2Repos, 'arn:aws:s3:::packages.us-west-1.amazonaws.com/x.rpm', 'implicit-deny'],
  ] as const)('Amazon Linux repositories %#', (policy, resource, expected) => {
    expect(decide(policy, 'optional', 's3:GetObject', resource, 'endpoint')).toBe(expected);
  });
});

describe('bucket policy examples', () => {
  const object = 'arn:aws:s3:::my_secure_bucket/data.csv';
  it.each([
    [denyUnlessEndpoint, 'endpoint', 'implicit-deny'], // not denied; something else must allow
    [denyUnlessEndpoint, 'other-endpoint', 'explicit-deny'],
    [denyUnlessEndpoint, 'internet', 'explicit-deny'],
    [denyUnlessVpc, 'endpoint', 'implicit-deny'],
    [denyUnlessVpc, 'other-endpoint', 'explicit-deny'],
    [denyUnlessVpc, 'internet', 'explicit-deny'],
  ] as const)('%# through %s → %s', (policy, route, expected) => {
    expect(decide(policy, 'required', 's3:GetObject', object, route)).toBe(expected);
  });

  it('ignores other buckets', () => {
    expect(
      decide(denyUnlessEndpoint, 'required', 's3:GetObject', 'arn:aws:s3:::other/x', 'internet'),
    ).toBe('implicit-deny');
  });

  it('shows the SourceIp traps the document describes', () => {
    const denyOutsideRange = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: 'arn:aws:s3:::b/*',
          Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
        },
      ],
    };
    const denyRange = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: 'arn:aws:s3:::b/*',
          Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
        },
      ],
    };
    const object2 = 'arn:aws:s3:::b/k';
    // Deny + NotIpAddress: every endpoint request is denied, the office range gets in.
    expect(decide(denyOutsideRange, 'required', 's3:GetObject', object2, 'endpoint')).toBe(
      'explicit-deny',
    );
    expect(decide(denyOutsideRange, 'required', 's3:GetObject', object2, 'internet')).toBe('allow');
    // Deny + IpAddress on the private range: never applies through the endpoint.
    expect(decide(denyRange, 'required', 's3:GetObject', object2, 'endpoint')).toBe('allow');
  });

  it('does not deny endpoint traffic when the statement exempts the endpoint', () => {
    const exempt = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: 'arn:aws:s3:::b/*',
          Condition: {
            NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' },
            StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' },
          },
        },
      ],
    };
    const object2 = 'arn:aws:s3:::b/k';
    expect(decide(exempt, 'required', 's3:GetObject', object2, 'endpoint')).toBe('implicit-deny');
    expect(decide(exempt, 'required', 's3:GetObject', object2, 'other-endpoint')).toBe(
      'explicit-deny',
    );
  });
});
