import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findingMarker, SUMMARY_MARKER } from '../../../src/github/markers.js';
import { loadExistingState } from '../../../src/github/publish/index.js';
import { isAppLogin, REVIEW_THREADS_QUERY } from '../../../src/github/publish/state.js';
import { client, fakeGitHub, takeContractProblems, target } from './fake.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
  expect(takeContractProblems()).toEqual([]);
});

const FP1 = 'a1b2c3d4e5f60718';
const FP2 = 'b1b2c3d4e5f60718';
const FP3 = 'c1b2c3d4e5f60718';
const COMMENTS = '/repos/acme/infra/issues/7/comments?per_page=100&page=1';

interface Comment {
  databaseId: number;
  body: string;
  author: { login: string } | null;
}

function thread(
  id: string,
  comments: Comment[],
  extra: { isResolved?: boolean; resolvedBy?: string } = {},
) {
  return {
    id,
    isResolved: extra.isResolved ?? false,
    isOutdated: false,
    path: 'templates/bucket.yaml',
    line: 3,
    resolvedBy: extra.resolvedBy ? { login: extra.resolvedBy } : null,
    comments: { nodes: comments },
  };
}

function page(nodes: unknown[], endCursor: string | null) {
  return {
    data: {
      repository: {
        pullRequest: {
          reviewThreads: { pageInfo: { hasNextPage: endCursor !== null, endCursor }, nodes },
        },
      },
    },
  };
}

const bot = (databaseId: number, fingerprint: string, login = 'guard') => ({
  databaseId,
  body: `A finding.\n${findingMarker(fingerprint)}`,
  author: { login },
});
const human = (databaseId: number, body: string, login = 'bob') => ({
  databaseId,
  body,
  author: { login },
});

describe('loadExistingState', () => {
  it('pages through review threads and keeps only the app’s marked threads', async () => {
    const github = fakeGitHub();
    github.on(
      'POST',
      '/graphql',
      200,
      page(
        [
          // Ours, untouched.
          thread('T1', [bot(101, FP1)]),
          // A human typed a marker: never trusted.
          thread('T2', [human(102, `copy\n${findingMarker(FP2)}`)]),
          // Ours, but without a marker (e.g. an old free-form comment).
          thread('T3', [human(103, 'no marker', 'guard')]),
        ],
        'CURSOR1',
      ),
    );
    github.on(
      'POST',
      '/graphql',
      200,
      page(
        [
          // Resolved by a human after a human reply.
          thread('T4', [bot(104, FP2), human(105, 'Intentional.')], {
            isResolved: true,
            resolvedBy: 'bob',
          }),
          // Resolved by the app itself, app replied "fixed".
          thread('T5', [bot(106, FP3), human(107, 'Fixed in abc.', 'guard')], {
            isResolved: true,
            resolvedBy: 'guard',
          }),
        ],
        null,
      ),
    );
    github.on('GET', COMMENTS, 200, []);

    const state = await loadExistingState(client(), target, 'guard[bot]');

    const queries = github.calls.slice(0, 2).map((call) => call.body);
    expect(queries).toEqual([
      {
        query: REVIEW_THREADS_QUERY,
        variables: { owner: 'acme', name: 'infra', number: 7, cursor: null },
      },
      {
        query: REVIEW_THREADS_QUERY,
        variables: { owner: 'acme', name: 'infra', number: 7, cursor: 'CURSOR1' },
      },
    ]);
    expect(REVIEW_THREADS_QUERY).toContain('reviewThreads(first: 100, after: $cursor)');
    expect(REVIEW_THREADS_QUERY).toContain('comments(first: 100)');
    expect(state).toEqual({
      threads: [
        {
          threadId: 'T1',
          commentId: 101,
          fingerprint: FP1,
          isResolved: false,
          resolvedByHuman: false,
          humanReplied: false,
          path: 'templates/bucket.yaml',
        },
        {
          threadId: 'T4',
          commentId: 104,
          fingerprint: FP2,
          isResolved: true,
          resolvedByHuman: true,
          humanReplied: true,
          path: 'templates/bucket.yaml',
        },
        {
          threadId: 'T5',
          commentId: 106,
          fingerprint: FP3,
          isResolved: true,
          resolvedByHuman: false,
          humanReplied: false,
          path: 'templates/bucket.yaml',
        },
      ],
    });
  });

  it('accepts both login forms and any case in GraphQL; a ghost resolver is human', async () => {
    const github = fakeGitHub();
    github.on(
      'POST',
      '/graphql',
      200,
      page(
        [
          thread('T1', [bot(1, FP1, 'Guard[bot]')]),
          thread('T2', [bot(2, FP2, 'GUARD'), { databaseId: 3, body: 'gone', author: null }], {
            isResolved: true,
          }),
        ],
        null,
      ),
    );
    github.on('GET', COMMENTS, 200, []);
    const state = await loadExistingState(client(), target, 'guard');
    expect(state.threads.map((t) => [t.threadId, t.humanReplied, t.resolvedByHuman])).toEqual([
      ['T1', false, false],
      ['T2', true, true],
    ]);
  });

  it('finds the first summary comment by the app, ignoring humans and leftovers', async () => {
    const github = fakeGitHub();
    github.on('POST', '/graphql', 200, page([], null));
    const filler = Array.from({ length: 100 }, (_, i) => ({
      id: i + 1,
      body: 'lgtm',
      user: { login: 'bob' },
    }));
    github.on('GET', COMMENTS, 200, filler);
    github.on('GET', '/repos/acme/infra/issues/7/comments?per_page=100&page=2', 200, [
      { id: 200, body: `${SUMMARY_MARKER} forged`, user: { login: 'bob' } },
      // A user whose login is the bare slug is not the app in REST.
      { id: 201, body: `${SUMMARY_MARKER} forged`, user: { login: 'guard' } },
      { id: 202, body: 'chatter', user: { login: 'guard[bot]' } },
      { id: 203, body: `${SUMMARY_MARKER}\nfirst`, user: { login: 'guard[bot]' } },
      { id: 204, body: `${SUMMARY_MARKER}\nleftover`, user: { login: 'guard[bot]' } },
    ]);
    const state = await loadExistingState(client(), target, 'guard[bot]');
    expect(state).toEqual({
      threads: [],
      summaryComment: { id: 203, body: `${SUMMARY_MARKER}\nfirst` },
    });
  });
});

describe('isAppLogin', () => {
  it('graphql: both forms, case-insensitive', () => {
    const isApp = isAppLogin('guard[bot]', 'graphql');
    expect(['guard', 'Guard', 'guard[bot]'].map(isApp)).toEqual([true, true, true]);
    expect(['guardx', '', null, undefined].map(isApp)).toEqual([false, false, false, false]);
  });

  it('rest: the [bot] form when the app login has it; a token user’s own login otherwise', () => {
    expect(['guard[bot]', 'GUARD[BOT]', 'guard'].map(isAppLogin('guard[bot]', 'rest'))).toEqual([
      true,
      true,
      false,
    ]);
    expect(['alice', 'alice[bot]', 'bob'].map(isAppLogin('alice', 'rest'))).toEqual([
      true,
      true,
      false,
    ]);
  });
});
