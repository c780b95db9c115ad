import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanPaths } from '../../src/engine/scan.js';
import { rules } from '../../src/rules/index.js';

const ENDPOINT_WITHOUT_POLICY = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: com.amazonaws.eu-west-1.s3
`;

const CDK_TEMPLATE = JSON.stringify(
  {
    Resources: {
      Endpoint: {
        Type: 'AWS::EC2::VPCEndpoint',
        Properties: { VpcId: 'vpc-0123456789abcdef0', ServiceName: 'com.amazonaws.eu-west-1.s3' },
      },
    },
  },
  null,
  2,
);

let root: string;

async function put(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.join(root, file)), { recursive: true });
  await writeFile(path.join(root, file), text);
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'seg-scan-'));
  await put('stack.yaml', ENDPOINT_WITHOUT_POLICY);
  await put('legacy/stack.template', ENDPOINT_WITHOUT_POLICY);
  await put('package.json', '{"name": "not-a-template", "version": "1.0.0"}');
  await put('config/settings.yml', 'Resources:\n  - just a list\n');
  await put('node_modules/lib/stack.yaml', ENDPOINT_WITHOUT_POLICY);
  await put('.git/stack.yaml', ENDPOINT_WITHOUT_POLICY);
  await put('.terraform/modules/stack.yaml', ENDPOINT_WITHOUT_POLICY);
  await put('cdk.out/AppStack.template.json', CDK_TEMPLATE);
  await put('cdk.out/manifest.json', '{"version": "36.0.0", "artifacts": {}}');
  await put('infra/main.tf', 'resource "aws_vpc_endpoint" "s3" {}\n');
  await put(
    'broken.yaml',
    "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Bad: [unclosed\n",
  );
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('scanPaths', () => {
  it('finds templates by content, skips vendored folders, reads cdk.out', async () => {
    const result = await scanPaths({ root, rules });
    expect(result.files.map((f) => f.file)).toEqual([
      'broken.yaml',
      'cdk.out/AppStack.template.json',
      'infra/main.tf',
      'legacy/stack.template',
      'stack.yaml',
    ]);
    expect(result.files.find((f) => f.file === 'stack.yaml')).toMatchObject({
      format: 'cloudformation',
      resources: 2,
      unresolved: 0,
      policies: 0,
    });
    expect(result.files.find((f) => f.file === 'infra/main.tf')).toMatchObject({
      format: 'terraform',
      resources: 1,
    });
    // package.json, manifest.json, settings.yml, the templates and main.tf were read.
    expect(result.filesRead).toBe(8);
    expect(result.skipped).toEqual([]);
  });

  it('a broken file becomes a finding and the other files are still scanned', async () => {
    const result = await scanPaths({ root, rules });
    expect(result.errors).toEqual([]);
    const broken = result.findings.filter((f) => f.range.file === 'broken.yaml');
    expect(broken.map((f) => f.ruleId)).toEqual(['policy-invalid']);
    expect(broken[0]?.range.startLine).toBeGreaterThanOrEqual(3);
    expect(result.findings.filter((f) => f.ruleId === 'endpoint-policy-full-access')).toHaveLength(
      3,
    );
  });

  it('sorts findings by file, then line, then rule', async () => {
    const { findings } = await scanPaths({ root, rules });
    const keys = findings.map((f) => [f.range.file, f.range.startLine, f.ruleId] as const);
    const sorted = [...keys].sort((a, b) =>
      a[0] !== b[0] ? (a[0] < b[0] ? -1 : 1) : a[1] !== b[1] ? a[1] - b[1] : a[2] < b[2] ? -1 : 1,
    );
    expect(keys).toEqual(sorted);
  });

  it('scans only the given paths, and runs only the given rules', async () => {
    const result = await scanPaths({
      root,
      paths: ['legacy', 'stack.yaml'],
      rules: rules.filter((r) => r.id === 'policy-invalid'),
    });
    expect(result.files.map((f) => f.file)).toEqual(['legacy/stack.template', 'stack.yaml']);
    expect(result.findings).toEqual([]);
  });

  it('lists an oversized template as an error, and ignores oversized data files', async () => {
    await put('big/data.json', `{"rows": [${'1,'.repeat(2000)}1]}`);
    await put('big/huge.yaml', `${ENDPOINT_WITHOUT_POLICY}${'# padding\n'.repeat(500)}`);
    const result = await scanPaths({ root, paths: ['big'], rules, maxFileBytes: 2000 });
    expect(result.files).toEqual([]);
    expect(result.errors).toEqual([
      {
        file: 'big/huge.yaml',
        message: expect.stringContaining('exceeds the 2000-byte limit') as unknown as string,
      },
    ]);
  });

  it('times loading and every rule when profiling', async () => {
    const { timings } = await scanPaths({ root, paths: ['stack.yaml'], rules, profile: true });
    expect(Object.keys(timings?.ruleMs ?? {}).sort()).toEqual(rules.map((r) => r.id).sort());
    expect(timings?.loadMs).toBeGreaterThan(0);
    expect((await scanPaths({ root, paths: ['stack.yaml'], rules })).timings).toBeUndefined();
  });

  it('keeps scopes only when asked', async () => {
    const without = await scanPaths({ root, paths: ['stack.yaml'], rules });
    expect(without.scopes).toBeUndefined();
    const withScopes = await scanPaths({ root, paths: ['stack.yaml'], rules, keepScopes: true });
    expect(withScopes.scopes?.map((s) => s.files)).toEqual([['stack.yaml']]);
  });
});
