import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findingMarker, SUMMARY_MARKER } from '../../../src/github/markers.js';
import { completeWithError, publish, startCheckRun } from '../../../src/github/publish/index.js';
import type { CheckAnnotation, Publication } from '../../../src/github/types.js';
import { CHECK_NAME } from '../../../src/github/types.js';
import { REEVALUATE_ACTION } from '../../../src/github/commands/types.js';
import { supersededPublication } from '../../../src/github/render/check-only.js';
import { FIXED_NOW, client, fakeGitHub, takeContractProblems, fakeSleep, target } from './fake.js';

const CHECK = '/repos/acme/infra/check-runs/42';
const REVIEWS = '/repos/acme/infra/pulls/7/reviews';
const ISSUE_COMMENTS = '/repos/acme/infra/issues/7/comments';
const now = () => FIXED_NOW;

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  // Every scripted request must have been used, and nothing else may be pending.
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
  expect(takeContractProblems()).toEqual([]);
});

function annotation(index: number): CheckAnnotation {
  return {
    path: 'templates/bucket.yaml',
    start_line: index + 1,
    end_line: index + 1,
    annotation_level: 'failure',
    title: `finding ${index}`,
    message: `message ${index}`,
  };
}

function publication(overrides: Partial<Publication> = {}): Publication {
  return {
    headSha: target.headSha,
    check: {
      conclusion: 'failure',
      title: '1 new finding',
      summary: 'summary',
      text: 'details',
      annotations: [annotation(0)],
    },
    resolve: [],
    commentsOverBudget: 0,
    ...overrides,
  };
}

const FP1 = 'a1b2c3d4e5f60718';
const FP2 = 'b1b2c3d4e5f60718';
const FP3 = 'c1b2c3d4e5f60718';

function comment(fingerprint: string, line: number, extra: string = '') {
  return {
    fingerprint,
    path: 'templates/bucket.yaml',
    line,
    side: 'RIGHT' as const,
    body: `Finding on line ${line}.${extra}\n${findingMarker(fingerprint)}`,
  };
}

/** A one-page reviewThreads answer with one app thread per fingerprint. */
function threadsPage(fingerprints: string[]) {
  const nodes = fingerprints.map((fingerprint, index) => ({
    id: `T${index}`,
    isResolved: false,
    isOutdated: false,
    path: 'templates/bucket.yaml',
    line: 1,
    resolvedBy: null,
    comments: {
      nodes: [
        { databaseId: index + 1, body: findingMarker(fingerprint), author: { login: 'guard' } },
      ],
    },
  }));
  return {
    data: {
      repository: {
        pullRequest: {
          reviewThreads: { pageInfo: { hasNextPage: false, endCursor: null }, nodes },
        },
      },
    },
  };
}

/** The button every completed run carries, exactly as GitHub receives it. */
const REEVALUATE = {
  label: 'Re-evaluate',
  identifier: 're-evaluate',
  description: 'Run the S3 endpoint guard again',
};

const completed = (annotations: CheckAnnotation[]) => ({
  status: 'completed',
  conclusion: 'failure',
  completed_at: FIXED_NOW.toISOString(),
  output: { title: '1 new finding', summary: 'summary', text: 'details', annotations },
  actions: [REEVALUATE],
});

describe('startCheckRun', () => {
  it('creates the check in progress on the head commit and returns its id', async () => {
    const github = fakeGitHub();
    github.on('POST', '/repos/acme/infra/check-runs', 201, { id: 42 });
    const id = await startCheckRun(client(), target, { now });
    expect(id).toBe(42);
    expect(github.calls).toEqual([
      {
        method: 'POST',
        path: '/repos/acme/infra/check-runs',
        body: {
          name: CHECK_NAME,
          head_sha: target.headSha,
          status: 'in_progress',
          started_at: FIXED_NOW.toISOString(),
          output: {
            title: 'Evaluating…',
            summary: 'Evaluating pull request #7 at f00dfee.',
          },
        },
      },
    ]);
  });
});

describe('startCheckRun for a merge group', () => {
  it('names the merge group instead of a pull request, and offers no button while in progress', async () => {
    const github = fakeGitHub();
    github.on('POST', '/repos/acme/infra/check-runs', 201, { id: 43 });
    const group = {
      ...target,
      author: '',
      mergeGroup: {
        headRef: 'gh-readonly-queue/main/pr-7-ba5eba5e00000000000000000000000000000002',
      },
    };
    expect(await startCheckRun(client(), group, { now })).toBe(43);
    expect(github.calls).toEqual([
      {
        method: 'POST',
        path: '/repos/acme/infra/check-runs',
        body: {
          name: CHECK_NAME,
          head_sha: target.headSha,
          status: 'in_progress',
          started_at: FIXED_NOW.toISOString(),
          output: {
            title: 'Evaluating…',
            summary:
              'Evaluating merge group `gh-readonly-queue/main/pr-7-ba5eba5e00000000000000000000000000000002` at f00dfee.',
          },
        },
      },
    ]);
  });
});

describe('the Re-evaluate action', () => {
  it("fits GitHub's limits for check run actions (label and identifier 20, description 40)", () => {
    expect(REEVALUATE_ACTION).toEqual(REEVALUATE);
    expect(REEVALUATE_ACTION.label.length).toBeLessThanOrEqual(20);
    expect(REEVALUATE_ACTION.identifier.length).toBeLessThanOrEqual(20);
    expect(REEVALUATE_ACTION.description.length).toBeLessThanOrEqual(40);
  });

  it('is left off a superseded run, on the full completion and on the fallback', async () => {
    const github = fakeGitHub();
    github.on('PATCH', CHECK, 200, { id: 42 });
    const superseded = supersededPublication(target, 'abcdef1234567890abcdef1234567890abcdef12');
    await publish(client(), target, 42, superseded, { now });
    expect(github.calls[0]?.body).toEqual({
      status: 'completed',
      conclusion: 'neutral',
      completed_at: FIXED_NOW.toISOString(),
      output: {
        title: 'Superseded by abcdef1',
        summary:
          'Commit abcdef1234567890abcdef1234567890abcdef12 was pushed to this pull request before this one was evaluated; its check run has the result.',
      },
    });

    const refused = fakeGitHub();
    refused.on('PATCH', CHECK, 422, { message: 'Unprocessable' });
    refused.on('PATCH', CHECK, 200, { id: 42 });
    await publish(client(), target, 42, superseded, { now });
    expect(refused.calls[1]?.body).toEqual({
      status: 'completed',
      conclusion: 'neutral',
      completed_at: FIXED_NOW.toISOString(),
      output: {
        title: 'Superseded by abcdef1',
        summary:
          'Commit abcdef1234567890abcdef1234567890abcdef12 was pushed to this pull request before this one was evaluated; its check run has the result.',
      },
    });
  });
});

describe('completeWithError', () => {
  it('completes with title and summary only', async () => {
    const github = fakeGitHub();
    github.on('PATCH', CHECK, 200, { id: 42 });
    await completeWithError(
      client(),
      target,
      42,
      'Could not evaluate',
      'GitHub said 502',
      'neutral',
      {
        now,
      },
    );
    expect(github.calls[0]?.body).toEqual({
      status: 'completed',
      conclusion: 'neutral',
      completed_at: FIXED_NOW.toISOString(),
      output: { title: 'Could not evaluate', summary: 'GitHub said 502' },
      actions: [REEVALUATE],
    });
  });
});

describe('publish: check run', () => {
  it('completes first, then appends 120 annotations as 50/50/20', async () => {
    const github = fakeGitHub();
    for (let i = 0; i < 3; i++) github.on('PATCH', CHECK, 200, { id: 42 });
    const annotations = Array.from({ length: 120 }, (_, i) => annotation(i));
    const pub = publication({ check: { ...publication().check, annotations } });
    const report = await publish(client(), target, 42, pub, { now });
    expect(github.calls.map((call) => call.method + ' ' + call.path)).toEqual([
      `PATCH ${CHECK}`,
      `PATCH ${CHECK}`,
      `PATCH ${CHECK}`,
    ]);
    expect(github.calls[0]?.body).toEqual(completed(annotations.slice(0, 50)));
    const append = (slice: CheckAnnotation[]) => ({
      output: { title: '1 new finding', summary: 'summary', text: 'details', annotations: slice },
    });
    expect(github.calls[1]?.body).toEqual(append(annotations.slice(50, 100)));
    expect(github.calls[2]?.body).toEqual(append(annotations.slice(100, 120)));
    expect(report).toEqual({
      annotationsSent: 120,
      commentsPosted: 0,
      threadsResolved: 0,
      summaryComment: 'none',
      skippedAsStale: false,
      warnings: [],
    });
  });

  it('enforces GitHub limits on title, summary and annotations', async () => {
    const github = fakeGitHub();
    github.on('PATCH', CHECK, 200, { id: 42 });
    const pub = publication({
      check: {
        conclusion: 'success',
        title: 't'.repeat(300),
        summary: 's'.repeat(70_000),
        annotations: [
          { ...annotation(0), end_line: 3, start_column: 2, end_column: 4, title: 'x'.repeat(400) },
          { ...annotation(1), message: 'm'.repeat(70 * 1024) },
          { ...annotation(2), start_line: 0 },
        ],
      },
    });
    const report = await publish(client(), target, 42, pub, { now });
    const body = github.calls[0]?.body as {
      output: { title: string; summary: string; annotations: CheckAnnotation[] };
    };
    expect(body.output.title).toHaveLength(255);
    expect(body.output.summary).toHaveLength(65_535);
    expect(body.output).not.toHaveProperty('text');
    expect(body.output.annotations).toHaveLength(2);
    expect(body.output.annotations[0]).not.toHaveProperty('start_column');
    expect(body.output.annotations[0]?.title).toHaveLength(255);
    expect(Buffer.byteLength(body.output.annotations[1]?.message ?? '')).toBeLessThanOrEqual(
      65_536,
    );
    expect(report.warnings).toEqual(['1 annotation(s) without a valid location were dropped']);
  });

  it('falls back to a plain completion when the full one is refused', async () => {
    const github = fakeGitHub();
    github.on('PATCH', CHECK, 422, { message: 'Invalid annotation' });
    github.on('PATCH', CHECK, 200, { id: 42 });
    github.on('POST', ISSUE_COMMENTS, 201, { id: 5 });
    const report = await publish(
      client(),
      target,
      42,
      publication({ summaryComment: { action: 'create', body: 'hello' } }),
      { now },
    );
    expect(github.calls[1]?.body).toEqual({
      status: 'completed',
      conclusion: 'failure',
      completed_at: FIXED_NOW.toISOString(),
      output: { title: '1 new finding', summary: 'summary' },
      actions: [REEVALUATE],
    });
    expect(report.annotationsSent).toBe(0);
    expect(report.summaryComment).toBe('created');
    expect(report.warnings[0]).toMatch(/^completing the check run failed \(HTTP 422/);
  });

  it('throws when the check run cannot be completed at all, and publishes nothing else', async () => {
    const github = fakeGitHub();
    github.on('PATCH', CHECK, 404, { message: 'Not Found' });
    github.on('PATCH', CHECK, 404, { message: 'Not Found' });
    await expect(
      publish(
        client(),
        target,
        42,
        publication({ summaryComment: { action: 'create', body: 'hello' } }),
        { now },
      ),
    ).rejects.toThrow(/check run 42 could not be completed/);
    expect(github.calls).toHaveLength(2);
  });
});

describe('publish: staleness', () => {
  it('stops after completing the check when a newer push exists', async () => {
    const github = fakeGitHub();
    github.on('PATCH', CHECK, 200, { id: 42 });
    const pub = publication({
      review: { body: 'review', comments: [comment(FP1, 3)] },
      resolve: [{ threadId: 'T1', commentId: 11, reply: 'Fixed in f00dfee.' }],
      summaryComment: { action: 'create', body: 'summary' },
    });
    const report = await publish(client(), target, 42, pub, {
      now,
      isStale: () => Promise.resolve(true),
    });
    expect(github.calls).toHaveLength(1);
    expect(report.skippedAsStale).toBe(true);
    expect(report.commentsPosted).toBe(0);
    expect(report.summaryComment).toBe('none');
  });
});

describe('publish: review', () => {
  it('posts one review with a multi-line suggestion comment on the head commit', async () => {
    const github = fakeGitHub();
    github.on('PATCH', CHECK, 200, { id: 42 });
    github.on('POST', REVIEWS, 200, { id: 900 });
    const suggestion = '\n```suggestion\n      Effect: Deny\n```';
    const ranged = { ...comment(FP1, 12, suggestion), startLine: 10, startSide: 'RIGHT' as const };
    const single = { ...comment(FP2, 20), startLine: 20 };
    const pub = publication({ review: { body: '2 new findings.', comments: [ranged, single] } });
    const report = await publish(client(), target, 42, pub, {
      now,
      isStale: () => Promise.resolve(false),
    });
    expect(github.calls[1]).toEqual({
      method: 'POST',
      path: REVIEWS,
      body: {
        commit_id: target.headSha,
        event: 'COMMENT',
        body: '2 new findings.',
        comments: [
          {
            path: 'templates/bucket.yaml',
            line: 12,
            side: 'RIGHT',
            start_line: 10,
            start_side: 'RIGHT',
            body: `Finding on line 12.${suggestion}\n${findingMarker(FP1)}`,
          },
          // A one-line "range" is sent as a plain line comment.
          {
            path: 'templates/bucket.yaml',
            line: 20,
            side: 'RIGHT',
            body: `Finding on line 20.\n${findingMarker(FP2)}`,
          },
        ],
      },
    });
    expect(report.commentsPosted).toBe(2);
    expect(report.warnings).toEqual([]);
  });

  it('after a 422, posts up to 5 comments one by one, the body with the first accepted', async () => {
    const github = fakeGitHub();
    const refused = { message: 'Unprocessable Entity', errors: ['Line could not be resolved'] };
    github.on('PATCH', CHECK, 200, { id: 42 });
    github.on('POST', REVIEWS, 422, refused);
    github.on('POST', REVIEWS, 422, refused);
    github.on('POST', REVIEWS, 200, { id: 901 });
    github.on('POST', REVIEWS, 200, { id: 902 });
    const comments = [comment(FP1, 1), comment(FP2, 2), comment(FP3, 3)];
    const report = await publish(
      client(),
      target,
      42,
      publication({ review: { body: 'three', comments } }),
      { now },
    );
    const reviews = github.calls.slice(1).map((call) => call.body as Record<string, unknown>);
    expect(reviews).toHaveLength(4);
    expect((reviews[0]?.comments as unknown[]).length).toBe(3);
    expect(reviews[1]).toMatchObject({ body: 'three', comments: [{ line: 1 }] });
    expect(reviews[2]).toEqual({
      commit_id: target.headSha,
      event: 'COMMENT',
      body: 'three',
      comments: [
        { path: 'templates/bucket.yaml', line: 2, side: 'RIGHT', body: comment(FP2, 2).body },
      ],
    });
    // The body went out with the accepted review: the next one carries only its comment.
    expect(reviews[3]).toEqual({
      commit_id: target.headSha,
      event: 'COMMENT',
      comments: [
        { path: 'templates/bucket.yaml', line: 3, side: 'RIGHT', body: comment(FP3, 3).body },
      ],
    });
    expect(report.commentsPosted).toBe(2);
    expect(report.warnings).toEqual([
      'inline comment on templates/bucket.yaml:1 not posted (HTTP 422: Unprocessable Entity: "Line could not be resolved")',
    ]);
  });

  it('after a 422 with more than 5 comments, gives up on inline comments (one request)', async () => {
    const github = fakeGitHub();
    github.on('PATCH', CHECK, 200, { id: 42 });
    github.on('POST', REVIEWS, 422, { message: 'Unprocessable Entity' });
    github.on('POST', ISSUE_COMMENTS, 201, { id: 5 });
    const comments = Array.from({ length: 6 }, (_, i) => comment(`${i}1b2c3d4e5f60718`, i + 1));
    const report = await publish(
      client(),
      target,
      42,
      publication({
        review: { body: 'six', comments },
        summaryComment: { action: 'create', body: 'summary' },
      }),
      { now },
    );
    expect(github.calls.map((call) => call.path)).toEqual([CHECK, REVIEWS, ISSUE_COMMENTS]);
    expect(report.commentsPosted).toBe(0);
    expect(report.summaryComment).toBe('created');
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toMatch(/6 inline comments were not posted/);
  });

  it('never sends more than 8 review requests, retries included', async () => {
    const github = fakeGitHub();
    const { sleep, waits } = fakeSleep();
    github.on('PATCH', CHECK, 200, { id: 42 });
    github.on('POST', REVIEWS, 422, { message: 'Unprocessable Entity' });
    for (let i = 0; i < 7; i++) github.on('POST', REVIEWS, 502, { message: 'Bad Gateway' });
    const comments = Array.from({ length: 5 }, (_, i) => comment(`${i}1b2c3d4e5f60718`, i + 1));
    const report = await publish(
      client(),
      target,
      42,
      publication({ review: { body: 'five', comments } }),
      { now, sleep },
    );
    expect(github.calls.filter((call) => call.path === REVIEWS)).toHaveLength(8);
    expect(waits).toEqual([1000, 1000, 1000, 1000]);
    expect(report.commentsPosted).toBe(0);
    expect(report.warnings.at(-1)).toMatch(/more than 8 review requests/);
  });

  it('a 500 on the review is retried once, then a warning; the rest still happens', async () => {
    const github = fakeGitHub();
    const { sleep, waits } = fakeSleep();
    github.on('PATCH', CHECK, 200, { id: 42 });
    github.on('POST', REVIEWS, 500, { message: 'Server Error' });
    github.on('POST', REVIEWS, 500, { message: 'Server Error' });
    github.on('POST', ISSUE_COMMENTS, 201, { id: 5 });
    const report = await publish(
      client(),
      target,
      42,
      publication({
        review: { body: 'one', comments: [comment(FP1, 1)] },
        summaryComment: { action: 'create', body: 'summary' },
      }),
      { now, sleep },
    );
    expect(github.calls.map((call) => call.method)).toEqual(['PATCH', 'POST', 'POST', 'POST']);
    expect(github.calls[0]?.body).toMatchObject({ status: 'completed' });
    expect(waits).toEqual([1000]);
    expect(report.commentsPosted).toBe(0);
    expect(report.summaryComment).toBe('created');
    expect(report.warnings).toEqual(['posting the review failed (HTTP 500: Server Error)']);
  });

  it('with botLogin, a review answered 502 that landed anyway is not repeated', async () => {
    const github = fakeGitHub();
    const { sleep } = fakeSleep();
    github.on('PATCH', CHECK, 200, { id: 42 });
    github.on('POST', REVIEWS, 502, { message: 'Bad Gateway' });
    github.on('POST', '/graphql', 200, threadsPage([FP1]));
    const report = await publish(
      client(),
      target,
      42,
      publication({ review: { body: 'one', comments: [comment(FP1, 1)] } }),
      { now, sleep, botLogin: 'guard[bot]' },
    );
    expect(github.calls.map((call) => call.path)).toEqual([CHECK, REVIEWS, '/graphql']);
    expect(report.commentsPosted).toBe(1);
    expect(report.warnings).toEqual([
      'GitHub answered the review with a server error but created it: not repeated',
    ]);
  });

  it('with botLogin, a review answered 502 that did not land is sent once more', async () => {
    const github = fakeGitHub();
    const { sleep } = fakeSleep();
    github.on('PATCH', CHECK, 200, { id: 42 });
    github.on('POST', REVIEWS, 502, { message: 'Bad Gateway' });
    github.on('POST', '/graphql', 200, threadsPage([]));
    github.on('POST', REVIEWS, 200, { id: 904 });
    const report = await publish(
      client(),
      target,
      42,
      publication({ review: { body: 'one', comments: [comment(FP1, 1)] } }),
      { now, sleep, botLogin: 'guard[bot]' },
    );
    expect(github.calls.map((call) => call.path)).toEqual([CHECK, REVIEWS, '/graphql', REVIEWS]);
    expect(report.commentsPosted).toBe(1);
    expect(report.warnings).toEqual([]);
  });

  it('a 429 with retry-after waits that long (injected) and retries once', async () => {
    const github = fakeGitHub();
    const { sleep, waits } = fakeSleep();
    github.on('PATCH', CHECK, 200, { id: 42 });
    github.on('POST', REVIEWS, 429, { message: 'secondary rate limit' }, { 'retry-after': '7' });
    github.on('POST', REVIEWS, 200, { id: 903 });
    const report = await publish(
      client(),
      target,
      42,
      publication({ review: { body: 'one', comments: [comment(FP1, 1)] } }),
      { now, sleep },
    );
    expect(waits).toEqual([7000]);
    expect(github.calls[1]?.body).toEqual(github.calls[2]?.body);
    expect(report.commentsPosted).toBe(1);
    expect(report.warnings).toEqual([]);
  });

  it('does not wait past the bound: a retry-after of 5 minutes is a warning', async () => {
    const github = fakeGitHub();
    const { sleep, waits } = fakeSleep();
    github.on('PATCH', CHECK, 200, { id: 42 });
    github.on('POST', REVIEWS, 403, { message: 'secondary rate limit' }, { 'retry-after': '300' });
    const report = await publish(
      client(),
      target,
      42,
      publication({ review: { body: 'one', comments: [comment(FP1, 1)] } }),
      { now, sleep },
    );
    expect(waits).toEqual([]);
    expect(report.warnings).toEqual(['posting the review failed (HTTP 403: secondary rate limit)']);
  });
});

describe('publish: resolving fixed findings', () => {
  it('replies, then resolves the thread through GraphQL', async () => {
    const github = fakeGitHub();
    github.on('PATCH', CHECK, 200, { id: 42 });
    github.on('POST', '/repos/acme/infra/pulls/7/comments/11/replies', 201, { id: 12 });
    github.on('POST', '/graphql', 200, {
      data: { resolveReviewThread: { thread: { id: 'PRRT_1', isResolved: true } } },
    });
    const report = await publish(
      client(),
      target,
      42,
      publication({
        resolve: [{ threadId: 'PRRT_1', commentId: 11, reply: 'Fixed in f00dfee.' }],
      }),
      { now },
    );
    expect(github.calls[1]).toEqual({
      method: 'POST',
      path: '/repos/acme/infra/pulls/7/comments/11/replies',
      body: { body: 'Fixed in f00dfee.' },
    });
    const graphql = github.calls[2]?.body as { query: string; variables: unknown };
    expect(graphql.variables).toEqual({ threadId: 'PRRT_1' });
    expect(graphql.query.replace(/\s+/g, ' ')).toBe(
      'mutation ResolveReviewThread($threadId: ID!) { resolveReviewThread(input: { threadId: $threadId }) { thread { id isResolved } } }',
    );
    expect(report.threadsResolved).toBe(1);
    expect(report.warnings).toEqual([]);
  });

  it('resolves at most maxResolves threads and says how many are left', async () => {
    const github = fakeGitHub();
    github.on('PATCH', CHECK, 200, { id: 42 });
    github.on('POST', '/repos/acme/infra/pulls/7/comments/1/replies', 201, { id: 100 });
    github.on('POST', '/graphql', 200, {
      data: { resolveReviewThread: { thread: { id: 'T1', isResolved: true } } },
    });
    const resolve = [1, 2, 3].map((n) => ({ threadId: `T${n}`, commentId: n, reply: 'Fixed.' }));
    const report = await publish(client(), target, 42, publication({ resolve }), {
      now,
      maxResolves: 1,
    });
    expect(report.threadsResolved).toBe(1);
    expect(report.warnings).toEqual(['2 fixed finding thread(s) left for the next evaluation']);
  });
});

describe('publish: summary comment', () => {
  it('creates it', async () => {
    const github = fakeGitHub();
    github.on('PATCH', CHECK, 200, { id: 42 });
    github.on('POST', ISSUE_COMMENTS, 201, { id: 5 });
    const body = `${SUMMARY_MARKER}\nsummary`;
    const report = await publish(
      client(),
      target,
      42,
      publication({ summaryComment: { action: 'create', body } }),
      { now },
    );
    expect(github.calls[1]).toEqual({ method: 'POST', path: ISSUE_COMMENTS, body: { body } });
    expect(report.summaryComment).toBe('created');
  });

  it('updates it by id', async () => {
    const github = fakeGitHub();
    github.on('PATCH', CHECK, 200, { id: 42 });
    github.on('PATCH', '/repos/acme/infra/issues/comments/5', 200, { id: 5 });
    const report = await publish(
      client(),
      target,
      42,
      publication({ summaryComment: { action: 'update', id: 5, body: 'new' } }),
      { now, existing: { threads: [], summaryComment: { id: 5, body: 'old' } } },
    );
    expect(github.calls[1]).toEqual({
      method: 'PATCH',
      path: '/repos/acme/infra/issues/comments/5',
      body: { body: 'new' },
    });
    expect(report.summaryComment).toBe('updated');
  });

  it('leaves an identical comment alone', async () => {
    const github = fakeGitHub();
    github.on('PATCH', CHECK, 200, { id: 42 });
    const report = await publish(
      client(),
      target,
      42,
      publication({ summaryComment: { action: 'update', id: 5, body: 'same' } }),
      { now, existing: { threads: [], summaryComment: { id: 5, body: 'same' } } },
    );
    expect(github.calls).toHaveLength(1);
    expect(report.summaryComment).toBe('unchanged');
  });

  it('creates a new one when the comment to update was deleted', async () => {
    const github = fakeGitHub();
    github.on('PATCH', CHECK, 200, { id: 42 });
    github.on('PATCH', '/repos/acme/infra/issues/comments/5', 404, { message: 'Not Found' });
    github.on('POST', ISSUE_COMMENTS, 201, { id: 6 });
    const report = await publish(
      client(),
      target,
      42,
      publication({ summaryComment: { action: 'update', id: 5, body: 'new' } }),
      { now },
    );
    expect(github.calls.map((call) => call.method)).toEqual(['PATCH', 'PATCH', 'POST']);
    expect(report.summaryComment).toBe('created');
    expect(report.warnings).toEqual(['summary comment 5 is gone; created a new one']);
  });
});
