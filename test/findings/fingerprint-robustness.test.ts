/**
 * The proof that fingerprints name problems, not text: fixtures that fire several rules
 * are mutated in ways that keep every problem (reformatting, YAML→JSON, moved resources and
 * lines, reordered statements, conditions and list values, unrelated additions) and the
 * multiset of fingerprints must not change; mutations that make a genuinely different problem
 * (another bucket, another condition key, another resource) must change it. All registered
 * rules run.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Finding } from '../../src/findings/finding.js';
import { runRules } from '../../src/engine/run-rules.js';
import { rules } from '../../src/rules/index.js';
import { scopeFor, scopeForTerraform } from '../rules/helpers.js';

type Json = Record<string, unknown>;

const sorted = (findings: readonly Finding[]): string[] =>
  findings.map((f) => `${f.ruleId} ${f.resource} ${f.fingerprint}`).sort();

async function cfnFingerprints(text: string): Promise<string[]> {
  return sorted(runRules(await scopeFor(text, 'stack.yaml'), rules));
}

async function tfFingerprints(files: Record<string, string>): Promise<string[]> {
  return sorted(runRules(await scopeForTerraform(files), rules));
}

// ---------------------------------------------------------------------------------------------
// CloudFormation: a template as data, rendered and mutated structurally.

interface Parts {
  endpoint: Json;
  bucketStatements: Json[];
  iamStatements: Json[];
  extraResources: Record<string, Json>;
}

function baseParts(): Parts {
  return {
    endpoint: {
      Type: 'AWS::EC2::VPCEndpoint',
      Properties: {
        VpcId: { Ref: 'Vpc' },
        ServiceName: { 'Fn::Sub': 'com.amazonaws.${AWS::Region}.s3' },
        RouteTableIds: ['rtb-0123456789abcdef0'],
      },
    },
    bucketStatements: [
      {
        // No Sid: identified by its canonical hash.
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: ['arn:aws:s3:::data-bucket', 'arn:aws:s3:::data-bucket/*'],
        Condition: {
          NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '198.51.100.0/24'] },
          Bool: { 'aws:ViaAWSService': 'false' },
        },
      },
      {
        Sid: 'PrivateRange',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:root' },
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: 'arn:aws:s3:::data-bucket/*',
        Condition: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.168.0.0/16'] } },
      },
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: 'arn:aws:s3:::data-bucket/*',
        Condition: {
          StringNotEquals: {
            'aws:SourceVpce': 'arn:aws:ec2:eu-west-1:111122223333:vpc-endpoint/vpce-1',
          },
        },
      },
    ],
    iamStatements: [
      {
        Effect: 'Allow',
        Action: ['s3:GetObjects', 's3:ListBucket'],
        Resource: 'arn:aws:s3:::input-bucket',
      },
      {
        Sid: 'OnlyOurEndpoint',
        Effect: 'Deny',
        Action: 's3:*',
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:sourceVpceId': ['vpce-0a1b2c3d4e5f67890'] } },
      },
    ],
    extraResources: {},
  };
}

function templateOf(parts: Parts, resourceOrder: 'forward' | 'reverse' = 'forward'): Json {
  const resources: [string, Json][] = [
    ['Vpc', { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } }],
    ['S3Endpoint', parts.endpoint],
    ['DataBucket', { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'data-bucket' } }],
    [
      'DataBucketPolicy',
      {
        Type: 'AWS::S3::BucketPolicy',
        Properties: {
          Bucket: { Ref: 'DataBucket' },
          PolicyDocument: { Version: '2012-10-17', Statement: parts.bucketStatements },
        },
      },
    ],
    [
      'JobPolicy',
      {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          PolicyDocument: { Version: '2012-10-17', Statement: parts.iamStatements },
        },
      },
    ],
    ...Object.entries(parts.extraResources),
  ];
  if (resourceOrder === 'reverse') resources.reverse();
  return { AWSTemplateFormatVersion: '2010-09-09', Resources: Object.fromEntries(resources) };
}

const yamlBlock = (doc: Json): string => stringify(doc, { indent: 2 });
const yamlWide = (doc: Json): string =>
  `# a comment that moves every line down\n\n${stringify(doc, { indent: 4, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' })}`;
const yamlFlow = (doc: Json): string =>
  stringify(doc, { indent: 2, collectionStyle: 'flow', lineWidth: 0 });
const jsonPretty = (doc: Json): string => JSON.stringify(doc, null, 2);
const jsonOneLine = (doc: Json): string => JSON.stringify(doc);

/** Reverses every list and the key order of every object inside a policy statement list. */
function reorderDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorderDeep).reverse();
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Json)
        .reverse()
        .map(([k, v]) => [k, reorderDeep(v)]),
    );
  }
  return value;
}

function mutate(change: (parts: Parts) => void): Parts {
  const parts = baseParts();
  change(parts);
  return parts;
}

describe('CloudFormation fingerprints', () => {
  it('the fixture fires several rules', async () => {
    const found = await cfnFingerprints(yamlBlock(templateOf(baseParts())));
    const ruleIds = new Set(found.map((f) => f.split(' ')[0]));
    expect(ruleIds.size).toBeGreaterThanOrEqual(5);
  });

  const same: [string, () => string][] = [
    [
      'YAML indented by 4, double-quoted, lines moved by a comment',
      () => yamlWide(templateOf(baseParts())),
    ],
    ['YAML flow style', () => yamlFlow(templateOf(baseParts()))],
    ['JSON', () => jsonPretty(templateOf(baseParts()))],
    ['JSON on one line', () => jsonOneLine(templateOf(baseParts()))],
    ['resources in reverse order', () => yamlBlock(templateOf(baseParts(), 'reverse'))],
    [
      'statements, conditions, keys and list values reordered',
      () =>
        yamlBlock(
          templateOf(
            mutate((p) => {
              p.bucketStatements = reorderDeep(p.bucketStatements) as Json[];
              p.iamStatements = reorderDeep(p.iamStatements) as Json[];
            }),
          ),
        ),
    ],
    [
      'unrelated resources and statements added',
      () =>
        yamlBlock(
          templateOf(
            mutate((p) => {
              p.extraResources = {
                LogsBucket: { Type: 'AWS::S3::Bucket', Properties: {} },
                Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
              };
              p.iamStatements.unshift({
                Sid: 'ReadConfig',
                Effect: 'Allow',
                Action: 's3:GetObject',
                Resource: 'arn:aws:s3:::config-bucket/*',
              });
              p.bucketStatements.unshift({
                Sid: 'ReadForAccount',
                Effect: 'Allow',
                Principal: { AWS: 'arn:aws:iam::111122223333:root' },
                Action: 's3:ListBucket',
                Resource: 'arn:aws:s3:::data-bucket',
              });
            }),
          ),
        ),
    ],
    [
      'a single-item list written as a scalar',
      () =>
        yamlBlock(
          templateOf(
            mutate((p) => {
              const only = p.iamStatements[1] as { Condition: Json };
              only.Condition = {
                StringNotEquals: { 'aws:sourceVpceId': 'vpce-0a1b2c3d4e5f67890' },
              };
            }),
          ),
        ),
    ],
  ];

  it.each(same)('unchanged by: %s', async (_name, render) => {
    const expected = await cfnFingerprints(yamlBlock(templateOf(baseParts())));
    expect(await cfnFingerprints(render())).toEqual(expected);
  });

  const different: [string, Parts | (() => Json), string][] = [
    [
      'another bucket in the SourceIp deny',
      mutate((p) => {
        (p.bucketStatements[0] as Json).Resource = [
          'arn:aws:s3:::other-bucket',
          'arn:aws:s3:::other-bucket/*',
        ];
      }),
      'sourceip-deny-blocks-endpoint',
    ],
    [
      'another condition key in the negated deny',
      mutate((p) => {
        (p.iamStatements[1] as Json).Condition = {
          StringNotEquals: { 'aws:sourceVpcId': ['vpc-0a1b2c3d4e5f67890'] },
        };
      }),
      'negated-condition-unknown-key',
    ],
    [
      'another unknown action',
      mutate((p) => {
        (p.iamStatements[0] as Json).Action = ['s3:PutObjects', 's3:ListBucket'];
      }),
      'unknown-s3-action',
    ],
  ];

  it.each(different)('changed by: %s', async (_name, parts, ruleId) => {
    const before = (await cfnFingerprints(yamlBlock(templateOf(baseParts())))).filter((f) =>
      f.startsWith(`${ruleId} `),
    );
    const after = (await cfnFingerprints(yamlBlock(templateOf(parts as Parts)))).filter((f) =>
      f.startsWith(`${ruleId} `),
    );
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    expect(after.some((f) => !before.includes(f))).toBe(true);
  });

  it('changed by: the same problem in another resource', async () => {
    const doc = templateOf(baseParts());
    const resources = doc.Resources as Json;
    const renamed = Object.fromEntries(
      Object.entries(resources).map(([k, v]) => [k === 'JobPolicy' ? 'OtherJobPolicy' : k, v]),
    );
    const before = await cfnFingerprints(yamlBlock(doc));
    const after = await cfnFingerprints(yamlBlock({ ...doc, Resources: renamed }));
    const ofJob = (list: string[], name: string): string[] =>
      list.filter((f) => f.split(' ')[1] === name).map((f) => f.split(' ')[2] ?? '');
    expect(ofJob(before, 'JobPolicy').length).toBeGreaterThan(0);
    // The same problems, as many, each with a fingerprint of its own.
    expect(ofJob(after, 'OtherJobPolicy')).toHaveLength(ofJob(before, 'JobPolicy').length);
    for (const fp of ofJob(after, 'OtherJobPolicy'))
      expect(ofJob(before, 'JobPolicy')).not.toContain(fp);
  });
});

// ---------------------------------------------------------------------------------------------
// Terraform: the same problems written with jsonencode, a heredoc and aws_iam_policy_document.

const ENDPOINT = `
resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.main.id
  service_name    = "com.amazonaws.eu-west-1.s3"
  route_table_ids = ["rtb-0123456789abcdef0"]
}
`;

function jsonencodeBucket(order: 'forward' | 'reverse', indent = '  '): string {
  const deny = `${indent}${indent}{
${indent}${indent}${indent}Effect    = "Deny"
${indent}${indent}${indent}Principal = "*"
${indent}${indent}${indent}Action    = "s3:*"
${indent}${indent}${indent}Resource  = ${order === 'forward' ? '["arn:aws:s3:::data-bucket", "arn:aws:s3:::data-bucket/*"]' : '["arn:aws:s3:::data-bucket/*", "arn:aws:s3:::data-bucket"]'}
${indent}${indent}${indent}Condition = {
${indent}${indent}${indent}${indent}NotIpAddress = { "aws:SourceIp" = ${order === 'forward' ? '["203.0.113.0/24", "198.51.100.0/24"]' : '["198.51.100.0/24", "203.0.113.0/24"]'} }
${indent}${indent}${indent}}
${indent}${indent}}`;
  const priv = `${indent}${indent}{
${indent}${indent}${indent}Sid       = "PrivateRange"
${indent}${indent}${indent}Effect    = "Allow"
${indent}${indent}${indent}Principal = { AWS = "arn:aws:iam::111122223333:root" }
${indent}${indent}${indent}Action    = "s3:GetObject"
${indent}${indent}${indent}Resource  = "arn:aws:s3:::data-bucket/*"
${indent}${indent}${indent}Condition = { IpAddress = { "aws:SourceIp" = ["10.0.0.0/8"] } }
${indent}${indent}}`;
  const statements = order === 'forward' ? [deny, priv] : [priv, deny];
  return `
resource "aws_s3_bucket_policy" "data" {
${indent}bucket = "data-bucket"
${indent}policy = jsonencode({
${indent}${indent}Version = "2012-10-17"
${indent}${indent}Statement = [
${statements.join(',\n')}
${indent}${indent}]
${indent}})
}
`;
}

function heredocBucket(): string {
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'PrivateRange',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:root' },
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::data-bucket/*',
        Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
      },
      {
        Effect: 'Deny',
        Principal: '*',
        Action: ['s3:*'],
        Resource: ['arn:aws:s3:::data-bucket/*', 'arn:aws:s3:::data-bucket'],
        Condition: { NotIpAddress: { 'aws:SourceIp': ['198.51.100.0/24', '203.0.113.0/24'] } },
      },
    ],
  };
  return `
resource "aws_s3_bucket_policy" "data" {
  bucket = "data-bucket"
  policy = <<-EOT
${JSON.stringify(policy, null, 4)}
  EOT
}
`;
}

function documentBucket(): string {
  return `
data "aws_iam_policy_document" "bucket" {
  statement {
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::data-bucket", "arn:aws:s3:::data-bucket/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "NotIpAddress"
      variable = "aws:SourceIp"
      values   = ["203.0.113.0/24", "198.51.100.0/24"]
    }
  }
  statement {
    sid       = "PrivateRange"
    effect    = "Allow"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::data-bucket/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
    condition {
      test     = "IpAddress"
      variable = "aws:SourceIp"
      values   = ["10.0.0.0/8"]
    }
  }
}

resource "aws_s3_bucket_policy" "data" {
  bucket = "data-bucket"
  policy = data.aws_iam_policy_document.bucket.json
}
`;
}

const UNRELATED = `
resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_s3_bucket" "logs" {
  bucket = "logs-bucket"
}
`;

describe('Terraform fingerprints', () => {
  const module = (...blocks: string[]): Record<string, string> => ({
    'mod/main.tf': blocks.join(''),
  });

  it('the fixture fires several rules', async () => {
    const found = await tfFingerprints(module(ENDPOINT, jsonencodeBucket('forward')));
    expect(new Set(found.map((f) => f.split(' ')[0])).size).toBeGreaterThanOrEqual(3);
  });

  it.each([
    [
      're-indented jsonencode, statements and list values reordered',
      () => module(ENDPOINT, jsonencodeBucket('reverse', '    ')),
    ],
    [
      'resources moved and unrelated ones added',
      () => module(UNRELATED, jsonencodeBucket('forward'), ENDPOINT),
    ],
    [
      'the endpoint in another file of the module',
      () => ({
        'mod/main.tf': jsonencodeBucket('forward'),
        'mod/network.tf': ENDPOINT,
      }),
    ],
    ['a heredoc of JSON instead of jsonencode', () => module(ENDPOINT, heredocBucket())],
  ])('unchanged by: %s', async (_name, files) => {
    const expected = await tfFingerprints(module(ENDPOINT, jsonencodeBucket('forward')));
    expect(await tfFingerprints(files())).toEqual(expected);
  });

  it('moving the statements into an aws_iam_policy_document names the data source', async () => {
    // RULES.md: a finding in a policy document is about the data block (the place to change
    // it), so its resource, and with it the fingerprint, is the data source's; the same
    // problems are found, each once.
    const inline = await tfFingerprints(module(ENDPOINT, jsonencodeBucket('forward')));
    const document = await tfFingerprints(module(ENDPOINT, documentBucket()));
    const shape = (prints: string[]) => prints.map((p) => p.split(' ')[0]).sort();
    expect(shape(document)).toEqual(shape(inline));
    // Every finding names the endpoint or the data source, never the bucket policy using it.
    expect([...new Set(document.map((p) => p.split(' ')[1]))].sort()).toEqual([
      'aws_vpc_endpoint.s3',
      'data.aws_iam_policy_document.bucket',
    ]);
  });

  it('changed by: another bucket, another resource', async () => {
    const before = await tfFingerprints(module(ENDPOINT, jsonencodeBucket('forward')));
    const otherBucket = await tfFingerprints(
      module(ENDPOINT, jsonencodeBucket('forward').replaceAll('data-bucket', 'other-bucket')),
    );
    const otherResource = await tfFingerprints(
      module(ENDPOINT, jsonencodeBucket('forward').replace('"data"', '"archive"')),
    );
    const deny = (list: string[]): string[] =>
      list.filter((f) => f.startsWith('sourceip-deny-blocks-endpoint '));
    expect(deny(before)).toHaveLength(1);
    for (const changed of [otherBucket, otherResource]) {
      expect(deny(changed)).toHaveLength(1);
      expect(deny(changed)).not.toEqual(deny(before));
    }
  });
});
