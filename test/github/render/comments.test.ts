import { describe, expect, it } from 'vitest';
import { fingerprintInBody, findingMarker } from '../../../src/github/markers.js';
import { placeFinding } from '../../../src/github/render/comments.js';
import { sizeOf } from '../../../src/github/render/markdown.js';
import { renderPublication } from '../../../src/github/render/index.js';
import {
  NONE,
  diff,
  diffs,
  evaluated,
  finding,
  fp,
  options,
  range,
  suppressed,
  thread,
} from './factories.js';

describe('placement', () => {
  const changes = diffs(
    diff('t.yaml', [
      [10, 20],
      [30, 32],
    ]),
    diff('vpc.yaml', [[5, 8]]),
  );

  it('comments the whole range when one hunk holds it', () => {
    expect(placeFinding(finding({ range: range('t.yaml', 12, 15) }), changes)).toEqual({
      path: 't.yaml',
      line: 15,
      startLine: 12,
    });
  });

  it('comments one line when the range is a single line', () => {
    expect(placeFinding(finding({ range: range('t.yaml', 31) }), changes)).toEqual({
      path: 't.yaml',
      line: 31,
    });
  });

  it('comments the last line in the diff when the range leaves its hunk', () => {
    expect(placeFinding(finding({ range: range('t.yaml', 18, 25) }), changes)).toEqual({
      path: 't.yaml',
      line: 20,
    });
    // Across two hunks: the last line inside one.
    expect(placeFinding(finding({ range: range('t.yaml', 15, 31) }), changes)).toEqual({
      path: 't.yaml',
      line: 31,
    });
    // Only the start line is in the diff.
    expect(placeFinding(finding({ range: range('t.yaml', 8, 10) }), changes)).toEqual({
      path: 't.yaml',
      line: 10,
    });
  });

  it('uses the first related location in the diff when the own lines are outside it', () => {
    const related = [
      { range: range('other.yaml', 3), message: 'not in the pull request' },
      { range: range('t.yaml', 40), message: 'outside the hunks' },
      {
        range: range('vpc.yaml', 6),
        resource: 'Endpoint',
        message: 'the endpoint policy narrowed here',
      },
      { range: range('vpc.yaml', 7), message: 'second match' },
    ];
    const placement = placeFinding(finding({ range: range('bucket.yaml', 3), related }), changes);
    expect(placement).toMatchObject({ path: 'vpc.yaml', line: 6, via: related[2] });
  });

  it('places nothing when neither the finding nor a related location is in the diff', () => {
    expect(placeFinding(finding({ range: range('t.yaml', 50) }), changes)).toBeUndefined();
    expect(placeFinding(finding({ range: range('nope.yaml', 1) }), changes)).toBeUndefined();
  });
});

describe('review comments', () => {
  it('comments new findings only, with marker last', () => {
    const fresh = finding({ range: range('template.yaml', 5) });
    const old = finding({ range: range('template.yaml', 6), status: 'existing' });
    const publication = renderPublication(evaluated({ findings: [fresh, old] }), NONE, options);
    const comments = publication.review?.comments ?? [];
    expect(comments).toHaveLength(1);
    const [comment] = comments;
    expect(comment).toMatchObject({
      path: 'template.yaml',
      line: 5,
      side: 'RIGHT',
      fingerprint: fresh.fingerprint,
    });
    expect(comment).not.toHaveProperty('startLine');
    expect(comment?.body.endsWith(findingMarker(fresh.fingerprint))).toBe(true);
    expect(fingerprintInBody(comment?.body ?? '')).toBe(fresh.fingerprint);
    expect(comment?.body).toContain(
      '**error** · **An S3 endpoint policy lets data reach any bucket, in any account**',
    );
    expect(comment?.body).toContain('**Fix:** Restrict Resource to your buckets.');
    expect(comment?.body).toContain(
      '[Rule documentation](https://github.com/example/s3-endpoint-guard/blob/main/docs/rules/endpoint-policy-full-access.md)',
    );
    expect(publication.review?.body).toContain('1 new finding');
  });

  it('sends multi-line comments with start_line and start_side', () => {
    const f = finding({ range: range('template.yaml', 5, 9) });
    const [comment] =
      renderPublication(evaluated({ findings: [f] }), NONE, options).review?.comments ?? [];
    expect(comment).toMatchObject({ line: 9, side: 'RIGHT', startLine: 5, startSide: 'RIGHT' });
  });

  it('says when it comments on a related location', () => {
    const f = finding({
      range: range('bucket.yaml', 3),
      resource: 'BucketPolicy',
      related: [{ range: range('template.yaml', 6), message: 'the endpoint policy narrowed here' }],
    });
    const [comment] =
      renderPublication(evaluated({ findings: [f] }), NONE, options).review?.comments ?? [];
    expect(comment).toMatchObject({ path: 'template.yaml', line: 6 });
    expect(comment?.body).toContain(
      'Commented here because this change touches a location the finding depends on',
    );
    expect(comment?.body).toContain('`bucket.yaml:3`, outside this diff');
  });

  it('adds a suggestion only when the comment covers exactly the replacement lines', () => {
    const replacement = {
      range: range('template.yaml', 5, 6),
      text: '      Resource: arn:aws:s3:::my-bucket/*\n      Effect: Allow\n',
    };
    const exact = finding({
      range: range('template.yaml', 5, 6),
      fix: { description: 'Narrow it.', replacement },
    });
    const body = renderPublication(evaluated({ findings: [exact] }), NONE, options).review
      ?.comments[0]?.body;
    expect(body).toContain(
      '```suggestion\n      Resource: arn:aws:s3:::my-bucket/*\n      Effect: Allow\n```',
    );

    // The finding spans more lines than the replacement: no suggestion.
    const wider = finding({
      range: range('template.yaml', 4, 6),
      fix: { description: 'Narrow it.', replacement },
    });
    expect(
      renderPublication(evaluated({ findings: [wider] }), NONE, options).review?.comments[0]?.body,
    ).not.toContain('suggestion');

    // The range leaves the hunk, so the comment is on one line: no suggestion.
    const partly = finding({
      range: range('template.yaml', 5, 6),
      fix: { description: 'Narrow it.', replacement },
    });
    const narrowDiff = diffs(diff('template.yaml', [[1, 5]]));
    const partlyBody = renderPublication(
      evaluated({ findings: [partly] }, { diffs: narrowDiff }),
      NONE,
      options,
    ).review?.comments[0];
    expect(partlyBody).toMatchObject({ line: 5 });
    expect(partlyBody?.body).not.toContain('suggestion');

    // Commented on a related location: no suggestion.
    const via = finding({
      range: range('bucket.yaml', 5, 6),
      fix: {
        description: 'Narrow it.',
        replacement: { ...replacement, range: range('bucket.yaml', 5, 6) },
      },
      related: [{ range: range('template.yaml', 2), message: 'endpoint' }],
    });
    expect(
      renderPublication(evaluated({ findings: [via] }), NONE, options).review?.comments[0]?.body,
    ).not.toContain('suggestion');
  });

  it('fences a suggestion with more backticks than it contains', () => {
    const replacement = { range: range('template.yaml', 5), text: 'Description: "````"' };
    const f = finding({ range: range('template.yaml', 5), fix: { description: 'x', replacement } });
    const body = renderPublication(evaluated({ findings: [f] }), NONE, options).review?.comments[0]
      ?.body;
    expect(body).toContain('`````suggestion\nDescription: "````"\n`````');
  });

  it('keeps a huge comment under the limit with the marker last, dropping whole parts', () => {
    const replacement = { range: range('template.yaml', 5), text: 'x'.repeat(59_000) };
    const f = finding({
      range: range('template.yaml', 5),
      message: '&<@'.repeat(10_000),
      fix: { description: '@'.repeat(10_000), replacement },
      related: Array.from({ length: 20 }, (_, i) => ({
        range: range(`${'dir/'.repeat(500)}${i}.yaml`, 1),
        resource: 'R'.repeat(5_000),
        message: '<'.repeat(5_000),
      })),
    });
    const body =
      renderPublication(evaluated({ findings: [f] }), NONE, options).review?.comments[0]?.body ??
      '';
    expect(sizeOf(body)).toBeLessThanOrEqual(65_536);
    expect(body.endsWith(findingMarker(f.fingerprint))).toBe(true);
    // The suggestion does not fit: it is left out whole, not cut.
    expect(body).not.toContain('suggestion');
    expect(body).toContain('- … and 15 more');
  });

  it('escapes hostile content in the body', () => {
    const f = finding({
      range: range('template.yaml', 5),
      resource: '@org/team',
      message: 'value <script>x</script> for @admin [click](https://evil)',
    });
    const body =
      renderPublication(evaluated({ findings: [f] }), NONE, options).review?.comments[0]?.body ??
      '';
    expect(body).toContain('`@org/team`');
    expect(body).toContain(
      'value &lt;script&gt;x&lt;/script&gt; for @\u200badmin \\[click\\](https:\u200b//evil)',
    );
  });

  it('keeps a finding without a valid fingerprint to annotations (no marker, no dedupe)', () => {
    const f = finding({ range: range('template.yaml', 5), fingerprint: 'NOT-HEX' });
    const publication = renderPublication(evaluated({ findings: [f] }), NONE, options);
    expect(publication.review).toBeUndefined();
    expect(publication.check.annotations).toHaveLength(1);
  });

  it('never comments outside the diff, and posts no review without comments', () => {
    const f = finding({ range: range('template.yaml', 100) });
    const publication = renderPublication(evaluated({ findings: [f] }), NONE, options);
    expect(publication.review).toBeUndefined();
    expect(publication.check.annotations).toHaveLength(1);
    expect(publication.check.summary).toContain('1 new finding is on lines outside the diff');
  });
});

describe('dedupe against earlier threads', () => {
  const f = finding({ range: range('template.yaml', 5), fingerprint: fp(0xabc) });
  const render = (threads: ReturnType<typeof thread>[]) =>
    renderPublication(evaluated({ findings: [f] }), { threads }, options);

  it('skips a finding with an open thread', () => {
    const publication = render([thread(f.fingerprint)]);
    expect(publication.review).toBeUndefined();
    expect(publication.resolve).toEqual([]);
  });

  it('skips a finding whose thread a human resolved', () => {
    expect(
      render([thread(f.fingerprint, { isResolved: true, resolvedByHuman: true })]).review,
    ).toBeUndefined();
    // Even when a later thread was resolved by the app.
    expect(
      render([
        thread(f.fingerprint, { isResolved: true }),
        thread(f.fingerprint, { threadId: 'T2', isResolved: true, resolvedByHuman: true }),
      ]).review,
    ).toBeUndefined();
  });

  it('comments again when every thread was resolved by the app (the problem came back)', () => {
    const publication = render([thread(f.fingerprint, { isResolved: true })]);
    expect(publication.review?.comments.map((c) => c.fingerprint)).toEqual([f.fingerprint]);
  });

  it('comments a finding once even when two findings share a fingerprint', () => {
    const twin = { ...f, range: range('template.yaml', 7) };
    const publication = renderPublication(evaluated({ findings: [f, twin] }), NONE, options);
    expect(publication.review?.comments).toHaveLength(1);
  });
});

describe('budget', () => {
  it('comments the most severe first, then by file and line, and counts the rest', () => {
    const findings = [
      finding({ severity: 'notice', range: range('template.yaml', 1) }),
      finding({ severity: 'warning', range: range('template.yaml', 2) }),
      finding({ severity: 'error', range: range('template.yaml', 9) }),
      finding({ severity: 'error', range: range('template.yaml', 3) }),
      finding({ severity: 'warning', range: range('a.yaml', 20) }),
    ];
    const changes = diffs(diff('template.yaml', [[1, 40]]), diff('a.yaml', [[1, 40]]));
    const publication = renderPublication(evaluated({ findings }, { diffs: changes }), NONE, {
      ...options,
      maxComments: 3,
    });
    // Chosen: both errors and the warning in a.yaml (file order); shown in reading order.
    expect(publication.review?.comments.map((c) => `${c.path}:${c.line}`)).toEqual([
      'a.yaml:20',
      'template.yaml:3',
      'template.yaml:9',
    ]);
    expect(publication.commentsOverBudget).toBe(2);
    expect(publication.review?.body).toContain(
      '2 more findings were not commented inline (limit 3)',
    );
  });

  it('posts no review with a budget of zero', () => {
    const publication = renderPublication(
      evaluated({ findings: [finding({ range: range('template.yaml', 5) })] }),
      NONE,
      {
        ...options,
        maxComments: 0,
      },
    );
    expect(publication.review).toBeUndefined();
    expect(publication.commentsOverBudget).toBe(1);
  });
});

describe('resolving threads', () => {
  it('replies "Fixed in <sha>" to open threads whose finding is gone', () => {
    const stays = finding({ range: range('template.yaml', 5) });
    const gone = fp(0xdead);
    const publication = renderPublication(
      evaluated({ findings: [stays], fixed: [finding({ fingerprint: gone, status: undefined })] }),
      {
        threads: [
          thread(stays.fingerprint),
          thread(gone, { threadId: 'T_gone', commentId: 42, humanReplied: true }),
          thread(fp(0xbeef), { isResolved: true }),
        ],
      },
      options,
    );
    expect(publication.resolve).toEqual([
      { threadId: 'T_gone', commentId: 42, reply: 'Fixed in abcdef1.' },
    ]);
  });

  it('says who accepted a finding that is now suppressed, and why', () => {
    const accepted = finding({ range: range('template.yaml', 5) });
    const publication = renderPublication(
      evaluated({ suppressed: [suppressed(accepted, 'legacy <b>bucket</b> @ops', 'alice')] }),
      { threads: [thread(accepted.fingerprint, { threadId: 'T1', commentId: 1 })] },
      options,
    );
    expect(publication.resolve).toEqual([
      {
        threadId: 'T1',
        commentId: 1,
        reply: 'Accepted: legacy &lt;b&gt;bucket&lt;/b&gt; @\u200bops (by alice).',
      },
    ]);
  });

  it('keeps threads of findings still present, new or existing', () => {
    const existing = finding({ status: 'existing' });
    const publication = renderPublication(
      evaluated({ findings: [existing] }),
      { threads: [thread(existing.fingerprint)] },
      options,
    );
    expect(publication.resolve).toEqual([]);
  });

  it('resolves nothing when the run could not evaluate or the config is invalid', () => {
    const threads = [thread(fp(1))];
    const error = renderPublication(
      { kind: 'error', target: evaluated().target, message: 'boom', onError: 'failure' },
      { threads },
      options,
    );
    expect(error.resolve).toEqual([]);
    const invalid = renderPublication(
      { kind: 'config-error', target: evaluated().target, file: 'x', errors: [] },
      { threads },
      options,
    );
    expect(invalid.resolve).toEqual([]);
  });
});
