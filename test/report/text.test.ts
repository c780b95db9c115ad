import { describe, expect, it } from 'vitest';
import { clean, renderText, snippetLines, summaryLine } from '../../src/report/text.js';
import { sampleData, sampleSources } from './sample.js';

const ESC = '\u001b[';

describe('text report', () => {
  const plain = renderText(sampleData, {
    color: false,
    sourceText: (file) => sampleSources[file],
  });

  it('groups findings by file with severity, rule, message, location, lines, fix and related', () => {
    expect(plain).toBe(
      [
        'infra/bucket.yaml',
        '  error   DataBucketPolicy denies every request through an S3 endpoint.  sourceip-deny-blocks-endpoint',
        '          at infra/bucket.yaml:3 (DataBucketPolicy)',
        '          3 |   - Effect: Deny',
        '          4 |     Action: s3:*',
        '          5 |     Condition: {}',
        '          fix: Add StringNotEqualsIfExists aws:SourceVpce to the statement.',
        '          related: infra/bucket.yaml:1 (S3Endpoint) the endpoint whose traffic is denied',
        '          docs: docs/rules/sourceip-deny-blocks-endpoint.md',
        '',
        'infra/vpc.yaml',
        '  warning S3Endpoint has no policy: any principal may reach any bucket.  endpoint-policy-full-access',
        '          at infra/vpc.yaml:2 (S3Endpoint)',
        '          2 |   S3Endpoint: {}',
        '          docs: docs/rules/endpoint-policy-full-access.md',
        '',
        'Could not scan:',
        '  infra/broken.yaml: cannot read infra/broken.yaml: EACCES',
        '',
        '1 error, 1 warning, 0 notices in 2 files',
        '',
      ].join('\n'),
    );
  });

  it('has no ANSI escapes without colour, and has them with colour', () => {
    expect(plain).not.toContain(ESC);
    const coloured = renderText(sampleData, { color: true });
    expect(coloured).toContain(`${ESC}31merror`);
    expect(coloured).toContain(`${ESC}33mwarning`);
  });

  it('says when nothing was found and lists skipped files with their reason', () => {
    const text = renderText(
      {
        findings: [],
        files: [],
        errors: [],
        skipped: [{ file: 'prod.tfvars', format: 'terraform', reason: 'needs -var-file' }],
      },
      { color: false },
    );
    expect(text).toBe(
      'Skipped:\n  prod.tfvars: needs -var-file\n\n0 errors, 0 warnings, 0 notices in 0 files\n',
    );
  });

  it('cuts long ranges and neutralises terminal control characters', () => {
    const lines = ['a', 'b\u001b[2J', 'c', 'd', 'e'];
    const range = { file: 'f', startLine: 1, startColumn: 1, endLine: 5, endColumn: 1 };
    expect(snippetLines(lines, range, 2)).toEqual([
      { gutter: '1 |', text: 'a' },
      { gutter: '2 |', text: 'b?[2J' },
      { gutter: '  |', text: '… 3 more lines' },
    ]);
    expect(clean('x\u009b\u0007y\tz')).toBe('x??y\tz');
  });

  it('counts severities in the summary', () => {
    expect(summaryLine(sampleData.findings, 1)).toBe('1 error, 1 warning, 0 notices in 1 file');
  });
});
