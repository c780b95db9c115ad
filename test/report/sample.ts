/** Hand-built findings and rules for the report tests: no engine, no parser involved. */
import type { Finding } from '../../src/findings/finding.js';
import { defineRule } from '../../src/rules/define-rule.js';
import type { ReportData } from '../../src/report/types.js';

export const sampleRules = [
  defineRule({
    id: 'sourceip-deny-blocks-endpoint',
    title: 'Deny on NotIpAddress aws:SourceIp blocks endpoint traffic',
    severity: 'error',
    docs: { description: 'Requests through an S3 endpoint carry no aws:SourceIp.', source: 'AWS' },
    check: () => undefined,
  }),
  defineRule({
    id: 'endpoint-policy-full-access',
    title: 'Endpoint allows every bucket',
    severity: 'warning',
    docs: { description: 'The default endpoint policy allows any bucket.', source: 'AWS' },
    check: () => undefined,
  }),
];

export const errorFinding: Finding = {
  ruleId: 'sourceip-deny-blocks-endpoint',
  severity: 'error',
  message: 'DataBucketPolicy denies every request through an S3 endpoint.',
  range: { file: 'infra/bucket.yaml', startLine: 3, startColumn: 7, endLine: 5, endColumn: 20 },
  resource: 'DataBucketPolicy',
  related: [
    {
      range: { file: 'infra/bucket.yaml', startLine: 1, startColumn: 3, endLine: 1, endColumn: 13 },
      resource: 'S3Endpoint',
      message: 'the endpoint whose traffic is denied',
    },
  ],
  fix: { description: 'Add StringNotEqualsIfExists aws:SourceVpce to the statement.' },
  fingerprint: 'aaaabbbbccccddddeeeeffff00001111',
  helpUri: 'docs/rules/sourceip-deny-blocks-endpoint.md',
};

export const warningFinding: Finding = {
  ruleId: 'endpoint-policy-full-access',
  severity: 'warning',
  message: 'S3Endpoint has no policy: any principal may reach any bucket.',
  range: { file: 'infra/vpc.yaml', startLine: 2, startColumn: 1, endLine: 2, endColumn: 1 },
  resource: 'S3Endpoint',
  related: [],
  fingerprint: '0123456789abcdef0123456789abcdef',
  helpUri: 'docs/rules/endpoint-policy-full-access.md',
};

export const sampleData: ReportData = {
  findings: [errorFinding, warningFinding],
  files: [
    { file: 'infra/bucket.yaml', format: 'cloudformation', resources: 2, unresolved: 0 },
    { file: 'infra/vpc.yaml', format: 'cloudformation', resources: 3, unresolved: 1 },
  ],
  errors: [{ file: 'infra/broken.yaml', message: 'cannot read infra/broken.yaml: EACCES' }],
};

export const sampleSources: Record<string, string> = {
  'infra/bucket.yaml': [
    'Endpoint: x',
    'Statement:',
    '  - Effect: Deny',
    '    Action: s3:*',
    '    Condition: {}',
    'end',
  ].join('\n'),
  'infra/vpc.yaml': 'Resources:\n  S3Endpoint: {}\n',
};
