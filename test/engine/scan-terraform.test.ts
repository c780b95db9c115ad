import { readFile, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanPaths } from '../../src/engine/scan.js';
import { rules } from '../../src/rules/index.js';

const ENDPOINT = `resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id       = aws_vpc.main.id
  service_name = "com.amazonaws.\${var.region}.s3"
}
`;

const BUCKET_POLICY = `resource "aws_s3_bucket_policy" "data" {
  bucket = "data-bucket"
  policy = jsonencode({
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = "arn:aws:s3:::data-bucket/*"
      Condition = { NotIpAddress = { "aws:SourceIp" = var.office } }
    }]
  })
}
`;

const VARIABLES = `variable "region" {
  default = "eu-west-1"
}

variable "office" {
  type = list(string)
}
`;

let root: string;

async function put(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.join(root, file)), { recursive: true });
  await writeFile(path.join(root, file), text);
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'seg-scan-tf-'));
  await put('net/endpoint.tf', ENDPOINT);
  await put('net/bucket.tf', BUCKET_POLICY);
  await put('net/variables.tf', VARIABLES);
  await put('net/terraform.tfvars', 'office = ["203.0.113.0/24"]\n');
  await put('net/prod.tfvars', 'office = ["198.51.100.0/24"]\n');
  await put('net/.terraform/modules/vpc/main.tf', ENDPOINT);
  await put('net/sub/only.tf', BUCKET_POLICY);
  await put('vars-only/common.tfvars', 'x = 1\n');
  await put(
    'broken/main.tf',
    `resource "aws_vpc" "v" {\n  cidr_block = \n}\n\n${ENDPOINT.replace('${var.region}', 'eu-west-1')}`,
  );
  await put(
    'plans/tfplan.json',
    await readFile(
      path.join(import.meta.dirname, '../iac/terraform/fixtures/plan/tfplan.json'),
      'utf8',
    ),
  );
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('scanPaths over Terraform', () => {
  it('reads a folder as one module: references cross files, tfvars apply', async () => {
    const result = await scanPaths({ root, paths: ['net'], rules });
    expect(result.errors).toEqual([]);
    expect(result.files.map((f) => [f.file, f.format, f.resources, f.policies])).toEqual([
      ['net/bucket.tf', 'terraform', 1, 1],
      ['net/endpoint.tf', 'terraform', 2, 0],
      ['net/sub/only.tf', 'terraform', 1, 1],
      ['net/terraform.tfvars', 'terraform', 0, 0],
      ['net/variables.tf', 'terraform', 0, 0],
    ]);
    // The endpoint (another file of the same module) makes the office-only Deny an error; the
    // sub-folder is another module without an endpoint (nor var.office), so there it is a
    // warning, and its policy is only partly resolved.
    expect(
      result.findings.map((f) => [
        f.ruleId,
        f.severity,
        f.resource,
        `${f.range.file}:${f.range.startLine}`,
      ]),
    ).toEqual([
      ['sourceip-deny-blocks-endpoint', 'error', 'aws_s3_bucket_policy.data', 'net/bucket.tf:9'],
      [
        'gateway-endpoint-without-route-tables',
        'warning',
        'aws_vpc_endpoint.s3',
        'net/endpoint.tf:5',
      ],
      ['endpoint-policy-full-access', 'warning', 'aws_vpc_endpoint.s3', 'net/endpoint.tf:7'],
      ['unresolved-policy', 'notice', 'aws_s3_bucket_policy.data', 'net/sub/only.tf:3'],
      [
        'sourceip-deny-blocks-endpoint',
        'warning',
        'aws_s3_bucket_policy.data',
        'net/sub/only.tf:9',
      ],
    ]);
  });

  it('skips .terraform, and lists a .tfvars Terraform does not load by itself as skipped', async () => {
    const result = await scanPaths({ root, rules });
    expect(result.files.some((f) => f.file.includes('.terraform'))).toBe(false);
    // A folder with variable files only is no module: nothing there is read.
    expect(result.skipped.map((s) => s.file)).toEqual(['net/prod.tfvars']);
    expect(result.skipped[0]?.reason).toMatch(/-var-file/);
  });

  it('a .tf file named on the command line scans its folder’s module', async () => {
    const result = await scanPaths({ root, paths: ['net/bucket.tf'], rules });
    expect(result.files.map((f) => f.file)).toEqual([
      'net/bucket.tf',
      'net/endpoint.tf',
      'net/terraform.tfvars',
      'net/variables.tf',
    ]);
    expect(
      result.findings.find((f) => f.ruleId === 'sourceip-deny-blocks-endpoint')?.severity,
    ).toBe('error');
  });

  it('a syntax error is a policy-invalid finding at its line; the rest of the module is read', async () => {
    const result = await scanPaths({ root, paths: ['broken'], rules });
    expect(result.errors).toEqual([]);
    expect(result.files).toMatchObject([{ file: 'broken/main.tf', parseErrors: 1, resources: 3 }]);
    const invalid = result.findings.filter((f) => f.ruleId === 'policy-invalid');
    expect(invalid.map((f) => [f.resource, f.range.startLine])).toEqual([['broken/main.tf', 2]]);
    expect(result.findings.map((f) => f.ruleId)).toContain('endpoint-policy-full-access');
  });

  it('recognises plan JSON by content', async () => {
    const result = await scanPaths({ root, paths: ['plans'], rules });
    expect(result.files).toMatchObject([
      { file: 'plans/tfplan.json', format: 'terraform', resources: 11 },
    ]);
    expect(result.findings.map((f) => `${f.ruleId}:${f.range.startLine}`)).toContain(
      'sourceip-deny-blocks-endpoint:77',
    );
  });

  it('yields to the event loop between modules', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      await scanPaths({ root, rules });
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0);
  });
});
