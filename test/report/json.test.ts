import { describe, expect, it } from 'vitest';
import { renderJson, toJsonReport } from '../../src/report/json.js';
import { sampleData } from './sample.js';

describe('JSON report', () => {
  it('has exactly the version-1 shape', () => {
    expect(JSON.parse(renderJson(sampleData))).toEqual({
      version: 1,
      summary: { bySeverity: { error: 1, warning: 1, notice: 0 }, suppressed: 0, fixed: 0 },
      suppressed: [],
      findings: [
        {
          ruleId: 'sourceip-deny-blocks-endpoint',
          severity: 'error',
          message: 'DataBucketPolicy denies every request through an S3 endpoint.',
          file: 'infra/bucket.yaml',
          startLine: 3,
          endLine: 5,
          resource: 'DataBucketPolicy',
          fingerprint: 'aaaabbbbccccddddeeeeffff00001111',
          helpUri: 'docs/rules/sourceip-deny-blocks-endpoint.md',
          related: [
            {
              file: 'infra/bucket.yaml',
              startLine: 1,
              resource: 'S3Endpoint',
              message: 'the endpoint whose traffic is denied',
            },
          ],
          fix: { description: 'Add StringNotEqualsIfExists aws:SourceVpce to the statement.' },
        },
        {
          ruleId: 'endpoint-policy-full-access',
          severity: 'warning',
          message: 'S3Endpoint has no policy: any principal may reach any bucket.',
          file: 'infra/vpc.yaml',
          startLine: 2,
          endLine: 2,
          resource: 'S3Endpoint',
          fingerprint: '0123456789abcdef0123456789abcdef',
          helpUri: 'docs/rules/endpoint-policy-full-access.md',
          related: [],
        },
      ],
      files: [
        { file: 'infra/bucket.yaml', format: 'cloudformation', resources: 2, unresolved: 0 },
        { file: 'infra/vpc.yaml', format: 'cloudformation', resources: 3, unresolved: 1 },
      ],
      errors: [{ file: 'infra/broken.yaml', message: 'cannot read infra/broken.yaml: EACCES' }],
    });
  });

  it('omits fix when there is none and does not leak extra fields', () => {
    const report = toJsonReport({
      ...sampleData,
      files: [
        // Extra engine fields (policies, …) must not appear in the stable shape.
        {
          file: 'a.yaml',
          format: 'cloudformation',
          resources: 1,
          unresolved: 0,
          policies: 3,
        } as never,
      ],
    });
    expect(Object.keys(report.findings[1] ?? {})).not.toContain('fix');
    expect(Object.keys(report.files[0] ?? {}).sort()).toEqual([
      'file',
      'format',
      'resources',
      'unresolved',
    ]);
    expect(Object.keys(report).sort()).toEqual([
      'errors',
      'files',
      'findings',
      'summary',
      'suppressed',
      'version',
    ]);
  });

  it('writes null for a related location without a resource', () => {
    const [first] = sampleData.findings;
    if (!first) throw new Error('sample missing');
    const report = toJsonReport({
      ...sampleData,
      findings: [{ ...first, related: [{ range: first.range, message: 'here' }] }],
    });
    expect(report.findings[0]?.related).toEqual([
      { file: 'infra/bucket.yaml', startLine: 3, resource: null, message: 'here' },
    ]);
  });
});
