/**
 * The examples are documentation that runs: each one yields exactly these findings (rule id and
 * line), so the README's claims about them stay true.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanPaths } from '../src/engine/scan.js';
import { rules } from '../src/rules/index.js';

const root = path.resolve(import.meta.dirname, '..');

const expected: Record<string, string[]> = {
  'examples/endpoint-default-policy.yaml': ['endpoint-policy-full-access:37'],
  'examples/iam-policy-mistakes.json': [
    'negated-condition-unknown-key:45',
    'object-action-on-bucket-arn:37',
    'unknown-s3-action:30',
  ],
  'examples/office-ip-bucket-policy.yaml': [
    'bucket-policy-locks-out-admins:58',
    'sourceip-deny-blocks-endpoint:67',
  ],
  'examples/private-range-allowlist.yaml': [
    'sourceip-deny-bypassed-via-endpoint:37',
    'sourceip-private-range:27',
  ],
  'examples/restricted-endpoint-and-bucket.yaml': [],
  'examples/terraform/main.tf': [
    'bucket-policy-locks-out-admins:35',
    'endpoint-policy-full-access:21',
    'sourceip-deny-blocks-endpoint:42',
  ],
  'examples/terraform/variables.tf': [],
  'examples/vpce-arn-condition.yaml': [
    'vpce-condition-invalid-value:52',
    'vpce-condition-invalid-value:71',
  ],
};

/**
 * examples/pull-request/ is the sample pull request of `npm run demo` (a base and a head version of
 * a repository, findings new, existing and fixed by design): the demo's test checks its findings.
 */
const paths = readdirSync(path.join(root, 'examples'))
  .filter((name) => name !== 'pull-request')
  .map((name) => `examples/${name}`);

describe('examples/', async () => {
  const result = await scanPaths({ root, paths, rules });

  it('are all recognised as CloudFormation or Terraform and read without errors', () => {
    expect(result.errors).toEqual([]);
    expect(result.files.map((f) => f.file)).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))('%s yields exactly its findings', (file, findings) => {
    const actual = result.findings
      .filter((f) => f.range.file === file)
      .map((f) => `${f.ruleId}:${f.range.startLine}`)
      .sort();
    expect(actual).toEqual([...findings].sort());
  });

  it('the office allow-list is an error because an S3 endpoint is in scope', () => {
    const finding = result.findings.find((f) => f.ruleId === 'sourceip-deny-blocks-endpoint');
    expect(finding).toMatchObject({ severity: 'error', resource: 'ReportsBucketPolicy' });
    expect(finding?.related.map((r) => r.resource)).toEqual(['S3Endpoint']);
  });

  it('the Terraform module is one scope: its bucket policy is an error because of its endpoint', () => {
    const finding = result.findings.find(
      (f) => f.ruleId === 'sourceip-deny-blocks-endpoint' && f.range.file.endsWith('.tf'),
    );
    expect(finding).toMatchObject({ severity: 'error', resource: 'aws_s3_bucket_policy.reports' });
    expect(finding?.related.map((r) => r.resource)).toEqual(['aws_vpc_endpoint.s3']);
    expect(result.files.filter((f) => f.format === 'terraform').map((f) => f.file)).toEqual([
      'examples/terraform/main.tf',
      'examples/terraform/variables.tf',
    ]);
  });
});
