import { describe, expect, it } from 'vitest';
import { concat, text } from '../../../src/core/value.js';
import { lineRange } from '../../../src/core/range.js';
import { loadCloudFormation } from '../../../src/iac/cloudformation/index.js';
import { isS3ServiceName } from '../../../src/iac/endpoint-service.js';
import { loadFixture, resource } from './helpers.js';

describe('resources map onto the model', () => {
  it('extracts each supported type with its fields', async () => {
    const scope = await loadFixture('resources.yaml');
    expect(scope.diagnostics.filter((d) => d.kind === 'parse-error')).toEqual([]);
    expect(scope.resources.map((r) => [r.address, r.kind])).toEqual([
      ['Vpc', 'vpc'],
      ['Subnet', 'subnet'],
      ['RouteTable', 'route-table'],
      ['S3Endpoint', 'vpc-endpoint'],
      ['OutpostsEndpoint', 'vpc-endpoint'],
      ['AccessPointEndpoint', 'vpc-endpoint'],
      ['DynamicEndpoint', 'vpc-endpoint'],
      ['Bucket', 'bucket'],
      ['BucketPolicy', 'bucket-policy'],
      ['Policy', 'iam-policy'],
      ['Managed', 'iam-policy'],
      ['User', 'iam-policy'],
      ['Group', 'iam-policy'],
      ['Queue', 'other'],
    ]);
    expect(resource(scope, 'Vpc', 'vpc')).toMatchObject({
      cidrBlock: { parts: [{ text: '10.0.0.0/16' }] },
      range: { startLine: 3, endLine: 6, endColumn: 29 },
      format: 'cloudformation',
    });
    expect(resource(scope, 'Subnet', 'subnet')).toMatchObject({
      vpcId: { parts: [{ ref: { id: 'Vpc#id' } }] },
      ipv6Native: { kind: 'boolean', value: false },
      availabilityZone: { parts: [{ text: 'eu-central-1a' }] },
    });
    expect(resource(scope, 'RouteTable', 'route-table').vpcId).toMatchObject({
      parts: [{ ref: { id: 'Vpc#id' } }],
    });
    const s3 = resource(scope, 'S3Endpoint', 'vpc-endpoint');
    expect(s3).toMatchObject({
      isS3: true,
      endpointType: 'Gateway',
      policy: undefined,
      ipAddressType: { parts: [{ text: 'dualstack' }] },
    });
    expect(s3.routeTableIds).toMatchObject({
      kind: 'list',
      items: [{ parts: [{ ref: { id: 'RouteTable#id' } }] }],
    });
    expect(resource(scope, 'OutpostsEndpoint', 'vpc-endpoint')).toMatchObject({
      isS3: false,
      endpointType: 'Interface',
    });
    expect(resource(scope, 'AccessPointEndpoint', 'vpc-endpoint').isS3).toBe(false);
    expect(resource(scope, 'DynamicEndpoint', 'vpc-endpoint')).toMatchObject({
      isS3: 'unknown',
      endpointType: 'Gateway',
    });
    expect(resource(scope, 'Bucket', 'bucket').bucketName).toMatchObject({
      parts: [{ text: 'data-' }, { ref: { id: 'pseudo:AWS::AccountId' } }],
    });
    expect(scope.region).toBe('eu-central-1');
  });

  it('parses policies with the role that decides Principal', async () => {
    const scope = await loadFixture('resources.yaml');
    const bucketPolicy = resource(scope, 'BucketPolicy', 'bucket-policy');
    expect(bucketPolicy.bucket).toMatchObject({ parts: [{ ref: { id: 'Bucket#name' } }] });
    expect(bucketPolicy.policy).toMatchObject({
      role: 'bucket',
      range: { startLine: 49, startColumn: 7, endLine: 57, endColumn: 48 },
    });
    const [statement] = bucketPolicy.policy?.variants[0]?.document.statements ?? [];
    expect(statement).toMatchObject({ effect: 'Deny', range: { startLine: 51, endLine: 57 } });
    expect(statement?.conditions[0]).toMatchObject({
      keyLower: 'aws:sourcevpce',
      values: [{ parts: [{ ref: { id: 'S3Endpoint#id' } }] }],
      keyRange: { startLine: 57, startColumn: 17 },
    });
    expect(resource(scope, 'Policy', 'iam-policy').policies).toMatchObject([
      { role: 'identity', name: 'reader' },
    ]);
    expect(
      resource(scope, 'Managed', 'iam-policy').policies[0]?.variants[0]?.document.statements[0]
        ?.resource?.items[0],
    ).toMatchObject({ parts: [{ ref: { id: 'Bucket#arn' } }] });
    const user = resource(scope, 'User', 'iam-policy');
    expect(
      user.policies.map((p) => [p.name, p.variants[0]?.document.statements[0]?.effect]),
    ).toEqual([
      ['one', 'Allow'],
      ['two', 'Deny'],
    ]);
    // A policy that is a parameter or pseudo parameter cannot be read.
    const group = resource(scope, 'Group', 'iam-policy');
    expect(group.policies[0]).toMatchObject({
      name: 'from-param',
      variants: [],
      unresolved: expect.stringContaining('AWS::StackName'),
    });
    expect(scope.diagnostics).toContainEqual(
      expect.objectContaining({
        kind: 'unresolved',
        range: expect.objectContaining({ startLine: 90 }),
      }),
    );
  });
});

describe('templates embedded in a StackSet', () => {
  it('are read at their true lines, with prefixed addresses and identities', async () => {
    const scope = await loadFixture('stackset.yaml');
    expect(scope.resources.map((r) => r.address)).toEqual([
      'Bucket',
      'StackSet',
      'StackSet/Bucket',
      'StackSet/BucketPolicy',
      'StackSet/Subnet',
      'Subnet',
    ]);
    const policy = resource(scope, 'StackSet/BucketPolicy', 'bucket-policy');
    expect(policy).toMatchObject({
      condition: 'Enabled',
      range: { startLine: 14, startColumn: 11 },
      bucket: { parts: [{ ref: { id: 'StackSet/Bucket#name' } }] },
    });
    const statement = policy.policy?.variants[0]?.document.statements[0];
    expect(statement).toMatchObject({ effect: 'Deny', range: { startLine: 20, startColumn: 21 } });
    expect(statement?.resource?.items[0]).toMatchObject({
      parts: [{ ref: { id: 'StackSet/Bucket#arn' } }, { text: '/*' }],
    });
    // The embedded template's zones are another deployment's; this template's own decide.
    expect(scope.region).toBe('eu-west-1');
  });
});

describe('policy names', () => {
  it('shows references in ${Name} form', async () => {
    const template = [
      'Parameters: {Env: {Type: String}}',
      'Resources:',
      '  P:',
      '    Type: AWS::IAM::Policy',
      '    Properties:',
      "      PolicyName: !Join ['-', [!Ref Env, !Ref AWS::StackName, x]]",
      '      PolicyDocument: {Statement: [{Effect: Allow, Action: s3:GetObject, Resource: "*"}]}',
    ].join('\n');
    const scope = await loadCloudFormation('n.yaml', template, {
      readFile: () => Promise.resolve(undefined),
    });
    expect(resource(scope, 'P', 'iam-policy').policies[0]?.name).toBe('${Env}-${AWS::StackName}-x');
  });
});

describe('policies written as JSON text', () => {
  it('maps block-scalar JSON back to exact template lines', async () => {
    const scope = await loadFixture('json-string-policies.yaml');
    const document = resource(scope, 'BlockEndpoint', 'vpc-endpoint').policy?.variants[0]?.document;
    expect(document?.version).toBe('2012-10-17');
    expect(document?.statements[0]).toMatchObject({
      effect: 'Allow',
      range: { startLine: 12, startColumn: 25, endLine: 17 },
    });
    expect(document?.statements[0]?.action.items[0]).toMatchObject({
      parts: [{ text: 's3:GetObject' }],
      range: { startLine: 15, startColumn: 23, endColumn: 37 },
    });
  });

  it('keeps !Sub references symbolic inside JSON, with lines', async () => {
    const scope = await loadFixture('json-string-policies.yaml');
    const statement = resource(scope, 'SubEndpoint', 'vpc-endpoint').policy?.variants[0]?.document
      .statements[0];
    expect(statement?.resource?.items[0]).toMatchObject({
      parts: [
        { text: 'arn:aws:s3:::models-' },
        { ref: { id: 'param:ProjectName' } },
        { text: '/*' },
      ],
      range: { startLine: 30 },
    });
    expect(statement?.range).toMatchObject({
      startLine: 26,
      startColumn: 13,
      endLine: 31,
      endColumn: 14,
    });
  });

  it('reads multi-line single-quoted JSON', async () => {
    const scope = await loadFixture('json-string-policies.yaml');
    const statement = resource(scope, 'QuotedEndpoint', 'vpc-endpoint').policy?.variants[0]
      ?.document.statements[0];
    expect(statement?.action.items[0]).toMatchObject({
      parts: [{ text: 's3:Get*' }],
      range: { startLine: 42 },
    });
  });

  it('reports bad JSON as a policy diagnostic at the error line', async () => {
    const scope = await loadFixture('json-string-policies.yaml');
    const document = resource(scope, 'BrokenEndpoint', 'vpc-endpoint').policy?.variants[0]
      ?.document;
    expect(document?.statements).toEqual([]);
    expect(document?.diagnostics[0]).toMatchObject({ code: 'bad-json', range: { startLine: 53 } });
  });
});

describe('Fn::If policies', () => {
  it('gives one variant per branch; a NoValue branch has no policy', async () => {
    const scope = await loadFixture('conditional-policies.yaml');
    const endpoint = resource(scope, 'Endpoint', 'vpc-endpoint');
    expect(endpoint.condition).toBe('HasVpce');
    expect(endpoint.policy?.variants).toHaveLength(1);
    expect(endpoint.policy?.variants[0]?.assumptions).toEqual([
      { condition: 'IsProd', value: true },
    ]);
  });

  it('branches inside a condition value, with the unknown branch listed', async () => {
    const scope = await loadFixture('conditional-policies.yaml');
    const policy = resource(scope, 'BucketPolicy', 'bucket-policy').policy;
    expect(policy?.variants.map((v) => v.assumptions)).toEqual([
      [{ condition: 'HasVpce', value: false }],
      [{ condition: 'HasVpce', value: true }],
    ]);
    const values = policy?.variants.map(
      (v) => v.document.statements[0]?.conditions[0]?.values[0]?.kind,
    );
    expect(values).toEqual(['unknown', 'string']);
    expect(scope.diagnostics).toContainEqual(
      expect.objectContaining({
        kind: 'unresolved',
        message: expect.stringContaining('shared-vpce'),
        range: expect.objectContaining({ startLine: 30, startColumn: 62 }),
      }),
    );
  });

  it("drops branches that contradict the resource's own condition", async () => {
    const template = [
      'Conditions: {IsProd: !Equals [a, b]}',
      'Resources:',
      '  Policy:',
      '    Type: AWS::IAM::ManagedPolicy',
      '    Condition: IsProd',
      '    Properties:',
      '      PolicyDocument:',
      '        Statement:',
      '          - Effect: !If [IsProd, Deny, Allow]',
      '            Action: s3:*',
      '            Resource: "*"',
      '  Role:',
      '    Type: AWS::IAM::Role',
      '    Condition: IsProd',
      '    Properties:',
      '      Policies:',
      '        - !If [IsProd, {PolicyName: p, PolicyDocument: {Statement: []}}, {PolicyName: q, PolicyDocument: {Statement: []}}]',
    ].join('\n');
    const scope = await loadCloudFormation('c.yaml', template, {
      readFile: () => Promise.resolve(undefined),
    });
    const variants = resource(scope, 'Policy', 'iam-policy').policies[0]?.variants;
    expect(variants?.map((v) => [v.assumptions, v.document.statements[0]?.effect])).toEqual([
      [[], 'Deny'],
    ]);
    expect(
      resource(scope, 'Role', 'iam-policy').policies.map((p) => [
        p.name,
        p.variants[0]?.assumptions,
      ]),
    ).toEqual([['p', []]]);
  });

  it('inline policies inside !If carry the condition', async () => {
    const scope = await loadFixture('conditional-policies.yaml');
    const role = resource(scope, 'Role', 'iam-policy');
    expect(role.policies.map((p) => [p.name, p.variants[0]?.assumptions])).toEqual([
      ['always', []],
      ['prod-only', [{ condition: 'IsProd', value: true }]],
    ]);
  });
});

describe('isS3ServiceName', () => {
  const at = lineRange('t.yaml', 1);
  const region = {
    kind: 'ref' as const,
    ref: {
      id: 'pseudo:AWS::Region',
      target: { kind: 'pseudo' as const, name: 'AWS::Region' },
      display: 'AWS::Region',
    },
  };
  it.each([
    ['com.amazonaws.us-east-1.s3', true],
    ['com.amazonaws.us-east-1.S3', true],
    ['com.amazonaws.us-east-1.s3-outposts', false],
    ['com.amazonaws.s3-global.accesspoint', false],
    ['com.amazonaws.us-east-1.dynamodb', false],
  ])('%s → %s', (name, expected) => {
    expect(isS3ServiceName(text(name, at))).toBe(expected);
  });
  it('decides on the last label around references', () => {
    expect(
      isS3ServiceName(
        concat(
          [{ kind: 'text', text: 'com.amazonaws.' }, region, { kind: 'text', text: '.s3' }],
          at,
        ),
      ),
    ).toBe(true);
    expect(isS3ServiceName(concat([{ kind: 'text', text: 'com.amazonaws.' }, region], at))).toBe(
      'unknown',
    );
    expect(isS3ServiceName(concat([region, { kind: 'text', text: 's3' }], at))).toBe('unknown');
    expect(isS3ServiceName(concat([region, { kind: 'text', text: 'dynamodb' }], at))).toBe(false);
    expect(isS3ServiceName(undefined)).toBe('unknown');
  });
});
