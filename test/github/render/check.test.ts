import { describe, expect, it } from 'vitest';
import { renderPublication } from '../../../src/github/render/index.js';
import { sizeOf } from '../../../src/github/render/markdown.js';
import type { Evaluation } from '../../../src/github/types.js';
import {
  NONE,
  config,
  diff,
  diffs,
  evaluated,
  finding,
  fp,
  options,
  range,
  suppressed,
  target,
} from './factories.js';

const ZWSP = '\u200b';

/** Cells in a GFM table row, split as GFM does: `\x` is one escaped character. */
function cellCount(row: string): number {
  let pipes = 0;
  for (let i = 0; i < row.length; i++) {
    if (row[i] === '\\') i++;
    else if (row[i] === '|') pipes++;
  }
  return pipes - 1;
}

describe('check conclusion and title', () => {
  it('fails on a new error', () => {
    const evaluation = evaluated({
      findings: [finding(), finding(), finding({ severity: 'warning', status: 'existing' })],
    });
    const { check } = renderPublication(evaluation, NONE, options);
    expect(check.conclusion).toBe('failure');
    expect(check.title).toBe('2 new errors, 1 existing');
    expect(check.summary).toContain('**2 findings block merging**');
  });

  it('passes when only existing findings are at the fail level (block: new)', () => {
    const evaluation = evaluated({ findings: [finding({ status: 'existing' })] });
    const { check } = renderPublication(evaluation, NONE, options);
    expect(check.conclusion).toBe('success');
    expect(check.title).toBe('No new problems, 1 existing');
    expect(check.summary).toContain('**Nothing blocks merging**');
  });

  it('fails on existing findings with block: all', () => {
    const evaluation = evaluated(
      { findings: [finding({ status: 'existing' })] },
      { config: config({ block: 'all' }) },
    );
    expect(renderPublication(evaluation, NONE, options).check.conclusion).toBe('failure');
  });

  it('passes on new findings below failOn, and titles them by severity', () => {
    const evaluation = evaluated({
      findings: [finding({ severity: 'warning' }), finding({ severity: 'notice' })],
      fixed: [finding({ status: undefined })],
    });
    const { check } = renderPublication(evaluation, NONE, options);
    expect(check.conclusion).toBe('success');
    expect(check.title).toBe('1 new warning, 1 new notice, 1 fixed');
  });

  it('applies the config severity override', () => {
    const evaluation = evaluated(
      { findings: [finding({ severity: 'warning' })] },
      { config: config({ rules: { 'endpoint-policy-full-access': 'error' } }) },
    );
    const { check } = renderPublication(evaluation, NONE, options);
    expect(check.conclusion).toBe('failure');
    expect(check.title).toBe('1 new error');
    expect(check.annotations[0]?.annotation_level).toBe('failure');
  });

  it('says no problems found on a clean head', () => {
    const { check } = renderPublication(evaluated(), NONE, options);
    expect(check).toMatchObject({ conclusion: 'success', title: 'No problems found' });
    expect(check.text).toBeUndefined();
    expect(check.annotations).toEqual([]);
  });

  it('succeeds without infrastructure', () => {
    const evaluation: Evaluation = {
      kind: 'no-infrastructure',
      target,
      config: config({}),
      changedFiles: 3,
      skipped: [],
    };
    const publication = renderPublication(evaluation, NONE, options);
    expect(publication.check).toMatchObject({
      conclusion: 'success',
      title: 'No infrastructure changes',
    });
    expect(publication.check.summary).toContain('None of the 3 changed files');
    expect(publication.review).toBeUndefined();
    expect(publication.summaryComment).toBeUndefined();
    expect(publication.resolve).toEqual([]);
  });

  it('fails on an invalid config and lists every problem exactly', () => {
    const evaluation: Evaluation = {
      kind: 'config-error',
      target,
      file: 'acme/infra:.github/s3-endpoint-guard.yml',
      errors: [
        {
          file: '.github/s3-endpoint-guard.yml',
          line: 3,
          key: 'failOn',
          message: 'must be one of error, warning, notice, never',
        },
        {
          file: '.github/s3-endpoint-guard.yml',
          key: 'rules.nope',
          message: 'unknown rule `nope`',
        },
      ],
    };
    const { check, resolve } = renderPublication(evaluation, { threads: [] }, options);
    expect(check.conclusion).toBe('failure');
    expect(check.title).toBe('Invalid configuration');
    expect(check.summary).toContain(
      '.github/s3-endpoint-guard.yml:3: failOn: must be one of error, warning, notice, never',
    );
    expect(check.summary).toContain(
      '.github/s3-endpoint-guard.yml: rules.nope: unknown rule `nope`',
    );
    expect(check.summary).toContain('default branch');
    expect(resolve).toEqual([]);
  });

  it('reports a failed run with the configured conclusion and the reason', () => {
    for (const onError of ['failure', 'neutral'] as const) {
      const evaluation: Evaluation = {
        kind: 'error',
        target,
        message: 'GitHub answered 502 for GET /pulls/7/files',
        onError,
      };
      const publication = renderPublication(evaluation, { threads: [] }, options);
      expect(publication.check.conclusion).toBe(onError);
      expect(publication.check.title).toBe('Could not evaluate');
      expect(publication.check.summary).toContain('GitHub answered 502 for GET /pulls/7/files');
      expect(publication.check.annotations).toEqual([]);
      expect(publication.summaryComment).toBeUndefined();
    }
  });
});

describe('check summary', () => {
  it('counts by severity and status', () => {
    const f = finding({ severity: 'warning', status: 'existing' });
    const evaluation = evaluated({
      findings: [finding(), f],
      fixed: [finding({ severity: 'notice', status: undefined })],
      suppressed: [suppressed(finding(), 'accepted risk')],
    });
    const { summary } = renderPublication(evaluation, NONE, options).check;
    expect(summary).toContain('| Severity | New | Existing | Fixed | Accepted |');
    expect(summary).toContain('| error | 1 | 0 | 0 | 1 |');
    expect(summary).toContain('| warning | 0 | 1 | 0 | 0 |');
    expect(summary).toContain('| notice | 0 | 0 | 1 | 0 |');
  });

  it('leaves out severities with nothing to count', () => {
    const { summary } = renderPublication(
      evaluated({ findings: [finding()] }),
      NONE,
      options,
    ).check;
    expect(summary).toContain('| error | 1 | 0 | 0 | 0 |');
    expect(summary).not.toContain('| warning |');
    expect(summary).not.toContain('| notice |');
  });

  it('lists new findings with rule, resource and a link to the head line', () => {
    const evaluation = evaluated({ findings: [finding({ range: range('stacks/net.yaml', 14) })] });
    const { summary } = renderPublication(evaluation, NONE, options).check;
    expect(summary).toContain('### New findings');
    expect(summary).toContain(
      '[An S3 endpoint policy lets data reach any bucket, in any account](https://github.com/example/s3-endpoint-guard/blob/main/docs/rules/endpoint-policy-full-access.md)',
    );
    expect(summary).toContain(
      `[\`stacks/net.yaml:14\`](https://github.com/acme/infra/blob/${target.headSha}/stacks/net.yaml#L14)`,
    );
  });

  it('escapes hostile names in the table', () => {
    const hostile = [
      '@org/team',
      '<img src=x onerror=alert(1)>',
      'a|b',
      'x``y',
      'line\nbreak',
      '[x](javascript:alert(1))',
      'back\\|slash',
    ];
    const evaluation = evaluated({
      findings: hostile.map((name, i) =>
        finding({ resource: name, range: range(`dir/${name}.yaml`, i + 1), message: name }),
      ),
    });
    const { summary, text } = renderPublication(evaluation, NONE, options).check;
    const rows = summary.split('\n').filter((line) => line.startsWith('| error | ['));
    expect(rows).toHaveLength(hostile.length);
    for (const row of rows) {
      // Every row has exactly its four cells: no unescaped pipe inside.
      expect(cellCount(row)).toBe(4);
    }
    // HTML appears only inside code spans, where GitHub shows it literally.
    expect(summary).toContain('`<img src=x onerror=alert(1)>`');
    expect(summary.replace(/(`+)(?!`).*?(?<!`)\1(?!`)/g, '')).not.toMatch(/<img/);
    expect(summary).toContain('`a\\|b`');
    expect(summary).toContain('```x``y```');
    expect(summary).toContain('`line break`');
    // A file name cannot close the link destination.
    expect(summary).toContain('dir/%5Bx%5D%28javascript%3Aalert%281%29%29.yaml');
    // In the details, messages are text: no mention, no HTML, no link.
    expect(text).toContain(`@${ZWSP}org/team`);
    expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(text).toContain('\\[x\\](javascript:alert(1))');
    // Outside code spans (where GitHub links nothing), every @ is broken.
    const outsideCode = (s: string): string => s.replace(/(`+)(?!`).*?(?<!`)\1(?!`)/g, '');
    expect(outsideCode(text ?? '')).not.toMatch(/@(?!\u200b)/);
    expect(outsideCode(summary)).not.toMatch(/@(?!\u200b)/);
  });

  it('lists fixed and accepted findings with who and why', () => {
    const evaluation = evaluated({
      fixed: [finding({ resource: 'OldBucketPolicy', status: undefined })],
      suppressed: [suppressed(finding({ resource: 'Legacy' }), 'migrating in Q3 @team', 'alice')],
    });
    const { summary } = renderPublication(evaluation, NONE, options).check;
    expect(summary).toContain('### Fixed');
    expect(summary).toContain('`OldBucketPolicy`');
    expect(summary).toContain('### Accepted');
    expect(summary).toContain(`(PR command, by alice): migrating in Q3 @${ZWSP}team`);
  });

  it('lists skipped files, errors, unresolved policies and a truncated file list', () => {
    const evaluation = evaluated(
      {
        errors: [{ file: 'broken.yaml', message: 'YAML: bad indentation' }],
        skipped: [{ file: 'prod.tfvars', format: 'terraform', reason: 'not loaded by Terraform' }],
        files: [
          {
            file: 'template.yaml',
            format: 'cloudformation',
            resources: 3,
            unresolved: 2,
            policies: 2,
            unresolvedPolicies: 1,
            parseErrors: 0,
          },
        ],
      },
      {
        skipped: [{ path: 'huge.json', reason: '12.4 MB exceeds the 8 MB limit' }],
        truncatedFileList: true,
      },
    );
    const { summary } = renderPublication(evaluation, NONE, options).check;
    expect(summary).toContain('### Not checked or incomplete');
    expect(summary).toContain('`huge.json`: 12.4 MB exceeds the 8 MB limit');
    expect(summary).toContain('`prod.tfvars`: not loaded by Terraform');
    expect(summary).toContain('`broken.yaml`: could not be analysed: YAML: bad indentation');
    expect(summary).toContain('`template.yaml`: 1 policy could not be resolved');
    expect(summary).toContain('GitHub lists only the first 3,000');
  });

  it('shows the config in effect and its file', () => {
    const evaluation = evaluated(
      {},
      {
        config: config({ failOn: 'warning' }),
        configFile: 'acme/infra:.github/s3-endpoint-guard.yml',
      },
    );
    const { summary } = renderPublication(evaluation, NONE, options).check;
    expect(summary).toContain('### Configuration');
    expect(summary).toContain('From `acme/infra:.github/s3-endpoint-guard.yml`.');
    expect(summary).toContain('- failOn: warning');
    const defaults = renderPublication(evaluated(), NONE, options).check.summary;
    expect(defaults).toContain('Defaults (no configuration file).');
  });

  it('says how many findings were not commented inline', () => {
    const evaluation = evaluated({
      findings: Array.from({ length: 5 }, (_, i) =>
        finding({ range: range('template.yaml', i + 1) }),
      ),
    });
    const publication = renderPublication(evaluation, NONE, { ...options, maxComments: 2 });
    expect(publication.commentsOverBudget).toBe(3);
    expect(publication.check.summary).toContain('3 findings were not commented inline (limit 2)');
  });

  it('stays within 65,535 with 2,000 findings, and says what was left out', () => {
    const findings = Array.from({ length: 2_000 }, (_, i) =>
      finding({
        range: range(`stacks/${'deep/'.repeat(10)}file-${i}.yaml`, i + 1),
        resource: `Resource${i}|<b>@team`.repeat(3),
        message: `Problem ${i}: ${'long message '.repeat(20)}`,
        related: [{ range: range('other.yaml', 3), message: 'the endpoint', resource: 'Endpoint' }],
        fingerprint: fp(100_000 + i),
      }),
    );
    const evaluation = evaluated(
      {
        findings,
        suppressed: findings.slice(0, 300).map((f) => suppressed(f, 'why '.repeat(50), 'bob')),
      },
      {
        skipped: Array.from({ length: 500 }, (_, i) => ({
          path: `bin/${i}.png`,
          reason: 'binary file',
        })),
      },
    );
    const { check } = renderPublication(evaluation, NONE, options);
    expect(sizeOf(check.summary)).toBeLessThanOrEqual(65_535);
    expect(sizeOf(check.text ?? '')).toBeLessThanOrEqual(65_535);
    expect(check.summary).toMatch(/\d+ more new findings are not listed here/);
    expect(check.text).toMatch(/\d+ more findings are not detailed here/);
    // What comes after the table is still there.
    expect(check.summary).toContain('### Configuration');
    expect(check.summary).toContain('- … and 450 more');
    expect(check.annotations).toHaveLength(2_000);
    // Every table row is whole.
    for (const row of check.summary.split('\n').filter((l) => l.startsWith('| error |'))) {
      expect(row.endsWith(' |')).toBe(true);
    }
  });

  it('keeps every section bounded when paths are huge', () => {
    const long = `${'very-long-folder-name/'.repeat(180)}t.yaml`;
    const evaluation = evaluated(
      {
        findings: [finding({ range: range(long, 3) })],
        suppressed: Array.from({ length: 300 }, (_, i) =>
          suppressed(finding({ range: range(`${long}${i}`, 1) }), '@x '.repeat(1_000), 'bob'),
        ),
        errors: Array.from({ length: 300 }, (_, i) => ({
          file: `${long}${i}`,
          message: '<b>'.repeat(500),
        })),
      },
      { configFile: long },
    );
    const { summary } = renderPublication(evaluation, NONE, options).check;
    expect(sizeOf(summary)).toBeLessThanOrEqual(65_535);
    expect(summary).toContain('### New findings');
    expect(summary).toContain('### Configuration');
    expect(summary).toMatch(/- … and \d+ more/);
  });

  it('details each finding in the text: message, fix, related locations, docs', () => {
    const evaluation = evaluated(
      {
        findings: [
          finding({
            related: [
              {
                range: range('vpc.yaml', 8),
                resource: 'Vpc',
                message: 'the VPC the endpoint serves',
              },
            ],
          }),
        ],
      },
      { diffs: diffs(diff('template.yaml', [[1, 40]])) },
    );
    const { text } = renderPublication(evaluation, NONE, options).check;
    expect(text).toContain('#### error (new): An S3 endpoint policy lets data reach any bucket');
    expect(text).toContain('The endpoint policy allows every S3 action on every bucket.');
    expect(text).toContain('**Fix:** Restrict Resource to your buckets.');
    expect(text).toContain('`Vpc`: the VPC the endpoint serves');
    expect(text).toContain(
      '[Rule documentation](https://github.com/example/s3-endpoint-guard/blob/main/docs/rules/endpoint-policy-full-access.md)',
    );
  });
});
