/**
 * `npm run bench`: how fast the engine scans CloudFormation. Generates 1,000 realistic templates
 * (VPCs with S3 endpoints, buckets with policies, IAM roles and managed policies; a fifth of them
 * JSON) plus one large template just under the adapter's 5 MB limit into a temporary folder, runs
 * one warm-up scan, then times a full scan of each set and prints files/s and MB/s (wall time).
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { scanPaths } from '../src/engine/scan.js';
import { rules } from '../src/rules/index.js';

const TEMPLATE_COUNT = 1000;
const LARGE_TEMPLATE_BYTES = 4.9 * 1024 * 1024;

/** A small deterministic PRNG, so every run benchmarks the same input. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

type Doc = Record<string, unknown>;

function endpointResources(n: number, rnd: () => number): Doc {
  const restricted = rnd() < 0.6;
  return {
    [`Vpc${n}`]: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: `10.${n % 250}.0.0/16` } },
    [`RouteTable${n}`]: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: `Vpc${n}` } } },
    [`S3Endpoint${n}`]: {
      Type: 'AWS::EC2::VPCEndpoint',
      Properties: {
        VpcId: { Ref: `Vpc${n}` },
        ServiceName: { 'Fn::Sub': 'com.amazonaws.${AWS::Region}.s3' },
        RouteTableIds: [{ Ref: `RouteTable${n}` }],
        ...(restricted
          ? {
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Sid: 'OwnBuckets',
                    Effect: 'Allow',
                    Principal: '*',
                    Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'],
                    Resource: [
                      { 'Fn::GetAtt': [`Bucket${n}`, 'Arn'] },
                      { 'Fn::Sub': `\${Bucket${n}.Arn}/*` },
                    ],
                  },
                ],
              },
            }
          : {}),
      },
    },
  };
}

function bucketResources(n: number, endpoint: number, rnd: () => number): Doc {
  const style = rnd();
  const condition =
    style < 0.3
      ? { StringNotEquals: { 'aws:SourceVpce': { Ref: `S3Endpoint${endpoint}` } } }
      : style < 0.5
        ? { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '198.51.100.7/32'] } }
        : { Bool: { 'aws:SecureTransport': 'false' } };
  return {
    [`Bucket${n}`]: {
      Type: 'AWS::S3::Bucket',
      Properties: { BucketName: { 'Fn::Sub': `data-${n}-\${AWS::AccountId}` } },
    },
    [`BucketPolicy${n}`]: {
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: { Ref: `Bucket${n}` },
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'Guard',
              Effect: 'Deny',
              Principal: '*',
              Action: 's3:*',
              Resource: [
                { 'Fn::GetAtt': [`Bucket${n}`, 'Arn'] },
                { 'Fn::Sub': `\${Bucket${n}.Arn}/*` },
              ],
              Condition: condition,
            },
          ],
        },
      },
    },
  };
}

function iamResources(n: number): Doc {
  return {
    [`Role${n}`]: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'lambda.amazonaws.com' },
              Action: 'sts:AssumeRole',
            },
          ],
        },
        Policies: [
          {
            PolicyName: 'read-data',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Action: ['s3:GetObject', 's3:ListBucket'],
                  Resource: [
                    { 'Fn::GetAtt': [`Bucket${n}`, 'Arn'] },
                    { 'Fn::Sub': `\${Bucket${n}.Arn}/*` },
                  ],
                },
              ],
            },
          },
        ],
      },
    },
    [`WritePolicy${n}`]: {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: {
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 's3:PutObject',
              Resource: { 'Fn::Sub': `\${Bucket${n}.Arn}/incoming/*` },
            },
          ],
        },
      },
    },
  };
}

/**
 * `groups` sets of bucket + policy (+ IAM); at most `maxEndpoints` VPCs with an S3 endpoint, as
 * in real stacks, where a large template holds many buckets and roles but only a few VPCs.
 */
export function template(index: number, groups: number, rnd: () => number, maxEndpoints = 3): Doc {
  const resources: Doc = {};
  const base = index * 100_000;
  for (let g = 0; g < groups; g++) {
    const n = base + g;
    const endpoint = base + (g % maxEndpoints);
    if (g < maxEndpoints) Object.assign(resources, endpointResources(n, rnd));
    Object.assign(resources, bucketResources(n, endpoint, rnd));
    if (rnd() < 0.7) Object.assign(resources, iamResources(n));
  }
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `Generated benchmark stack ${index}`,
    Resources: resources,
  };
}

/** A YAML rendering using CloudFormation's short tags, as people write templates by hand. */
function toYaml(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return ' []';
    return value
      .map((item) => `\n${indent}- ${toYaml(item, `${indent}  `).replace(/^\n\s*/, '')}`)
      .join('');
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Doc);
    const [only] = entries;
    if (entries.length === 1 && only) {
      const [key, inner] = only;
      if (key === 'Ref') return ` !Ref ${String(inner)}`;
      if (key === 'Fn::Sub' && typeof inner === 'string') return ` !Sub '${inner}'`;
      if (key === 'Fn::GetAtt' && Array.isArray(inner)) return ` !GetAtt ${inner.join('.')}`;
    }
    return entries
      .map(([key, inner]) => `\n${indent}${key}:${toYaml(inner, `${indent}  `)}`)
      .join('');
  }
  return ` ${JSON.stringify(value)}`;
}

export function render(doc: Doc, json: boolean): string {
  return json ? JSON.stringify(doc, null, 2) : `${toYaml(doc).trimStart()}\n`;
}

async function timeScan(root: string, paths: string[]) {
  const started = performance.now();
  const result = await scanPaths({ root, paths, rules, profile: true });
  return { seconds: (performance.now() - started) / 1000, result };
}

/**
 * Writes the 1,000 generated templates into `dir` (which must exist) and returns their total
 * size; bench/delta.ts scans the same set.
 */
export async function writeManyTemplates(dir: string, count = TEMPLATE_COUNT): Promise<number> {
  const rnd = random(42);
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const json = i % 5 === 0;
    const text = render(template(i, 1 + Math.floor(rnd() * 3), rnd), json);
    bytes += Buffer.byteLength(text);
    await writeFile(path.join(dir, `stack-${i}.${json ? 'json' : 'yaml'}`), text);
  }
  return bytes;
}

async function run(): Promise<void> {
  const root = await mkdtemp(path.join(tmpdir(), 's3-endpoint-guard-bench-'));
  try {
    await mkdir(path.join(root, 'many'));
    const manyBytes = await writeManyTemplates(path.join(root, 'many'));

    await mkdir(path.join(root, 'large'));
    // Grow the large template until it is just under the limit.
    let groups = 1000;
    let large = render(template(9999, groups, random(7)), false);
    while (Buffer.byteLength(large) < LARGE_TEMPLATE_BYTES * 0.95) {
      groups = Math.ceil(groups * (LARGE_TEMPLATE_BYTES / Buffer.byteLength(large)) * 0.98);
      large = render(template(9999, groups, random(7)), false);
    }
    await writeFile(path.join(root, 'large', 'large.yaml'), large);
    const largeBytes = Buffer.byteLength(large);

    await timeScan(root, ['many']); // warm-up: JIT, module loading, data tables
    const many = await timeScan(root, ['many']);
    const big = await timeScan(root, ['large']);

    const mb = (bytes: number) => bytes / (1024 * 1024);
    const line = (label: string, files: number, bytes: number, seconds: number, findings: number) =>
      `${label.padEnd(22)} ${String(files).padStart(5)} files ${mb(bytes).toFixed(1).padStart(6)} MB ` +
      `${seconds.toFixed(2).padStart(6)} s ${(files / seconds).toFixed(files / seconds < 10 ? 3 : 1).padStart(8)} files/s ` +
      `${(mb(bytes) / seconds).toFixed(2).padStart(6)} MB/s  ${findings} findings`;
    process.stdout.write(
      `${line('1,000 templates', many.result.files.length, manyBytes, many.seconds, many.result.findings.length)}\n` +
        `${line('one large template', big.result.files.length, largeBytes, big.seconds, big.result.findings.length)}\n`,
    );
    // Where the time goes: loading (parse + resolve) versus the slowest rules.
    for (const [label, { result }] of [
      ['1,000 templates', many],
      ['one large template', big],
    ] as const) {
      const timings = result.timings;
      if (!timings) continue;
      const slowest = Object.entries(timings.ruleMs)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([id, ms]) => `${id} ${(ms / 1000).toFixed(2)} s`)
        .join(', ');
      process.stdout.write(
        `  ${label}: loading ${(timings.loadMs / 1000).toFixed(2)} s; slowest rules: ${slowest}\n`,
      );
    }
    const problems = [...many.result.errors, ...big.result.errors];
    if (problems.length > 0 || big.result.files[0]?.parseErrors) {
      process.stderr.write(`bench input was not fully scanned: ${JSON.stringify(problems)}\n`);
      process.exitCode = 1;
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

// Run only as `npm run bench`, not when bench/delta.ts imports the generator.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
