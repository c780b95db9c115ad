import { describe, expect, it } from 'vitest';
import { SUMMARY_MARKER } from '../../../src/github/markers.js';
import { renderPublication } from '../../../src/github/render/index.js';
import type { Evaluation } from '../../../src/github/types.js';
import {
  NONE,
  config,
  evaluated,
  finding,
  options,
  range,
  suppressed,
  target,
} from './factories.js';

const withFindings = evaluated({
  findings: [
    finding({ range: range('template.yaml', 5), resource: '@org/team <b>' }),
    finding({ severity: 'warning', status: 'existing' }),
  ],
  fixed: [finding({ status: undefined })],
});
const clear = evaluated();

describe('summary comment body', () => {
  it('starts and ends with the marker, with conclusion, counts and the new findings', () => {
    const body = renderPublication(withFindings, NONE, options).summaryComment?.body ?? '';
    expect(body.startsWith(`${SUMMARY_MARKER}\n`)).toBe(true);
    expect(body.endsWith(`\n${SUMMARY_MARKER}`)).toBe(true);
    expect(body).toContain('### S3 endpoint guard: ❌ failing: 1 new error, 1 existing, 1 fixed');
    expect(body).toContain('1 finding blocks merging.');
    expect(body).toContain('- **error**: 1 new, 0 existing, 1 fixed, 0 accepted');
    expect(body).toContain('- **warning**: 0 new, 1 existing, 0 fixed, 0 accepted');
    expect(body).toContain('| error |');
    expect(body).toContain('`@org/team <b>`');
    // No links except the rule docs: no link to PR content.
    const links = [...body.matchAll(/\]\(([^)]*)\)/g)].map((m) => m[1]);
    expect(links.every((link) => link?.startsWith(options.docsBaseUri))).toBe(true);
  });

  it('caps the new-findings table', () => {
    const many = evaluated({
      findings: Array.from({ length: 25 }, (_, i) =>
        finding({ range: range('template.yaml', i + 1) }),
      ),
    });
    const body = renderPublication(many, NONE, options).summaryComment?.body ?? '';
    expect(body.split('\n').filter((line) => line.startsWith('| error |'))).toHaveLength(10);
    expect(body).toContain('… and 15 more new findings in the check run.');
  });

  it('explains an invalid configuration', () => {
    const evaluation: Evaluation = {
      kind: 'config-error',
      target,
      file: '.github/s3-endpoint-guard.yml',
      errors: [
        { file: '.github/s3-endpoint-guard.yml', line: 2, key: 'failOn', message: 'bad value' },
      ],
    };
    const publication = renderPublication(evaluation, NONE, options);
    expect(publication.summaryComment?.body).toContain(
      '.github/s3-endpoint-guard.yml:2: failOn: bad value',
    );
  });
});

describe('summary comment modes', () => {
  it('never: no comment, even when one exists', () => {
    const existing = { threads: [], summaryComment: { id: 5, body: 'old' } };
    expect(
      renderPublication(withFindings, existing, { ...options, summaryMode: 'never' })
        .summaryComment,
    ).toBeUndefined();
  });

  it('always: creates even when all is clear, updates an existing one', () => {
    const always = { ...options, summaryMode: 'always' as const };
    expect(renderPublication(clear, NONE, always).summaryComment?.action).toBe('create');
    const updated = renderPublication(
      clear,
      { threads: [], summaryComment: { id: 5, body: 'old' } },
      always,
    );
    expect(updated.summaryComment).toMatchObject({ action: 'update', id: 5 });
  });

  it('on-findings: creates only with something to say', () => {
    expect(renderPublication(clear, NONE, options).summaryComment).toBeUndefined();
    expect(renderPublication(withFindings, NONE, options).summaryComment?.action).toBe('create');
    // Accepted findings, skipped files and errors are something to say too.
    const accepted = evaluated({ suppressed: [suppressed(finding(), 'fine')] });
    expect(renderPublication(accepted, NONE, options).summaryComment?.action).toBe('create');
    const skipped = evaluated({}, { skipped: [{ path: 'x.bin', reason: 'binary file' }] });
    expect(renderPublication(skipped, NONE, options).summaryComment?.action).toBe('create');
    const errors = evaluated({ errors: [{ file: 'x.yaml', message: 'bad YAML' }] });
    expect(renderPublication(errors, NONE, options).summaryComment?.action).toBe('create');
  });

  it('on-findings: updates an existing comment when all is clear, so it never goes stale', () => {
    const existing = { threads: [], summaryComment: { id: 9, body: 'old findings' } };
    const publication = renderPublication(clear, existing, options);
    expect(publication.summaryComment).toMatchObject({ action: 'update', id: 9 });
    expect(publication.summaryComment?.body).toContain('✅ passing: No problems found');
    // Also when the pull request no longer touches infrastructure.
    const none: Evaluation = {
      kind: 'no-infrastructure',
      target,
      config: config({}),
      changedFiles: 2,
      skipped: [],
    };
    expect(renderPublication(none, existing, options).summaryComment).toMatchObject({
      action: 'update',
      id: 9,
    });
  });

  it('does not edit a comment whose body is already identical', () => {
    const first = renderPublication(withFindings, NONE, options).summaryComment;
    const existing = { threads: [], summaryComment: { id: 3, body: first?.body ?? '' } };
    expect(renderPublication(withFindings, existing, options).summaryComment).toBeUndefined();
  });

  it('leaves the comment alone when the run could not evaluate', () => {
    const existing = { threads: [], summaryComment: { id: 3, body: 'last real result' } };
    const error: Evaluation = { kind: 'error', target, message: 'timeout', onError: 'failure' };
    expect(
      renderPublication(error, existing, { ...options, summaryMode: 'always' }).summaryComment,
    ).toBeUndefined();
  });
});
