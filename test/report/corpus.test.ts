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
        '  not yet supported, 2 files skipped',
        '',
      ].join('\n'),
    );
  });
});
