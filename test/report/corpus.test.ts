import { describe, expect, it } from 'vitest';
import { renderCorpusSummary } from '../../src/report/corpus.js';
import { errorFinding, warningFinding } from './sample.js';

describe('corpus summary', () => {
  it('counts per format and lists every rule, also those that found nothing', () => {
    const text = renderCorpusSummary(
      {
        findings: [
          errorFinding,
          errorFinding,
          warningFinding,
          { ...warningFinding, ruleId: 'extra-rule' },
        ],
        files: [
          {
            format: 'cloudformation',
            resources: 4,
            policies: 3,
            unresolvedPolicies: 1,
            parseErrors: 0,
          },
          {
            format: 'cloudformation',
            resources: 0,
            policies: 0,
            unresolvedPolicies: 0,
            parseErrors: 1,
          },
        ],
        errors: [{ file: 'x.yaml', message: 'too large' }],
        skipped: [{ format: 'terraform' }, { format: 'terraform' }],
        filesRead: 5,
      },
      ['sourceip-deny-blocks-endpoint', 'endpoint-policy-full-access', 'unknown-s3-action'],
    );
    expect(text).toBe(
      [
        'cloudformation:',
        '  files read:            5',
        '  templates:             2',
        '  parse errors:          1',
        '  resources:             4',
        '  policies found:        3',
        '  policies unresolved:   1',
        '  files not scanned:     1',
        '    x.yaml: too large',
        '  findings per rule:',
        '    sourceip-deny-blocks-endpoint  2',
        '    endpoint-policy-full-access    1',
        '    unknown-s3-action              0',
        '    extra-rule                     1',
        'terraform:',
        '  modules:               0',
        '  files read:            0',
        '  files skipped:         2',
        '  parse errors:          0 in 0 files',
        '  resources:             0',
        '  policies found:        0',
        '  policies unresolved:   0 (n/a resolved)',
        '  findings per rule:',
        '    sourceip-deny-blocks-endpoint  0',
        '    endpoint-policy-full-access    0',
        '    unknown-s3-action              0',
        '',
      ].join('\n'),
    );
  });
});

describe('corpus summary, Terraform', () => {
  const range = (file: string, line: number) => ({
    file,
    startLine: line,
    startColumn: 1,
    endLine: line,
    endColumn: 10,
  });
  const tfFile = (file: string, policies: number, unresolvedPolicies: number, parseErrors = 0) => ({
    file,
    format: 'terraform',
    resources: policies,
    policies,
    unresolvedPolicies,
    parseErrors,
  });

  it('counts modules (folders), files, the share of policies resolved, findings per format', () => {
    const text = renderCorpusSummary(
      {
        findings: [
          errorFinding,
          { ...warningFinding, range: range('net/main.tf', 4) },
          { ...warningFinding, range: range('plan.json', 9) },
        ],
        files: [
          tfFile('net/main.tf', 3, 1),
          tfFile('net/vars.tf', 0, 0, 2),
          tfFile('iam/main.tf', 1, 0),
          tfFile('plan.json', 4, 0),
        ],
        errors: [],
        skipped: [{ format: 'terraform' }],
        filesRead: 4,
        scopes: [
          {
            id: 'net',
            format: 'terraform',
            files: ['net/main.tf'],
            diagnostics: [],
            resources: [
              {
                kind: 'bucket-policy',
                address: 'aws_s3_bucket_policy.p',
                type: 'aws_s3_bucket_policy',
                format: 'terraform',
                range: range('net/main.tf', 7),
                properties: { kind: 'map', entries: [], range: range('net/main.tf', 7) },
                bucket: undefined,
                policy: {
                  role: 'bucket',
                  range: range('net/main.tf', 8),
                  variants: [],
                  unresolved: 'module output',
                },
              },
            ],
          },
        ],
      },
      [warningFinding.ruleId],
      { listUnresolved: true },
    );
    expect(text.slice(text.indexOf('terraform:'))).toBe(
      [
        'terraform:',
        '  modules:               2',
        '  files read:            4',
        '  files skipped:         1',
        '  parse errors:          2 in 1 files',
        '  resources:             8',
        '  policies found:        8',
        '  policies unresolved:   1 (87.5% resolved)',
        '  findings per rule:',
        `    ${warningFinding.ruleId}  2`,
        'unresolved policies:',
        '  net/main.tf:8 aws_s3_bucket_policy.p: module output',
        '',
      ].join('\n'),
    );
  });
});
