/**
 * Finding the open pull request whose head is a commit (what a re-run of a check is about),
 * against the fake GitHub: the payload's pull requests read again, GitHub's commit → pulls
 * index (forks), and the list of open pull requests when that index has no answer yet.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findPullRequestForCommit, pullRequestsAtHead } from '../../src/github/pulls-for-commit.js';
import type { PullForCommit } from '../../src/github/pulls-for-commit.js';
import type { GitHubClient } from '../../src/github/types.js';
import type { FakeGitHub } from '../fake-github/index.js';
import { fakeRepository } from '../fake-github/probot.js';

const OWNER = 'acme';
const REPO = 'infra';
const REPO_REF = { owner: OWNER, repo: REPO };
const UNKNOWN = '0123456789abcdef0123456789abcdef01234567';

let fake: FakeGitHub;
let restore: () => void;
let client: GitHubClient;

beforeEach(async () => {
  ({ fake, restore, client } = await fakeRepository(OWNER, REPO));
});

afterEach(() => {
  restore();
});

let branches = 0;

/** A pull request with one commit on its own branch (or a fork's). */
function openPull(options: { fork?: { owner: string; repo: string } } = {}): {
  base: string;
  head: string;
  number: number;
} {
  const base = fake.branchSha(OWNER, REPO, 'main') ?? fake.commit(OWNER, REPO, { files: {} });
  const branch = `change-${++branches}`;
  const head = fake.commit(OWNER, REPO, {
    parent: base,
    branch,
    files: { [`${branch}.txt`]: `${branch}\n` },
  });
  const number = fake.openPullRequest(OWNER, REPO, {
    base: 'main',
    headSha: head,
    headRef: branch,
    author: 'octocat',
    ...options,
  });
  return { base, head, number };
}

/** The requests made since `from`, as `METHOD path?query`. */
function requestsSince(from: number): string[] {
  return (
    fake.calls
      .slice(from)
      // The installation token is fetched lazily, on the first request.
      .filter((call) => !call.path.startsWith('/app/'))
      .map((call) => {
        const query = new URLSearchParams(call.query).toString();
        return `${call.method} ${call.path}${query === '' ? '' : `?${query}`}`;
      })
  );
}

function summary(found: PullForCommit): unknown {
  return found.kind === 'head'
    ? { kind: 'head', number: found.pull.number, headSha: found.pull.head.sha }
    : found;
}

describe('pullRequestsAtHead', () => {
  it('finds the listed pull request whose head is the commit', async () => {
    const { head, number } = openPull();
    const from = fake.calls.length;
    expect(summary(await pullRequestsAtHead(client, REPO_REF, [number], head))).toEqual({
      kind: 'head',
      number,
      headSha: head,
    });
    expect(requestsSince(from)).toEqual([`GET /repos/${OWNER}/${REPO}/pulls/${number}`]);
    expect(fake.violations).toEqual([]);
  });

  it('says when the pull request moved on to a newer head', async () => {
    const { head, number } = openPull();
    const newer = fake.commit(OWNER, REPO, {
      parent: head,
      branch: `change-${branches}`,
      files: { 'more.txt': 'more\n' },
    });
    fake.pushToPullRequest(OWNER, REPO, number, newer);
    expect(await pullRequestsAtHead(client, REPO_REF, [number], head)).toEqual({
      kind: 'moved',
      number,
      headSha: newer,
      author: 'octocat',
    });
    expect(fake.violations).toEqual([]);
  });

  it('skips pull requests that no longer exist, and prefers a head over a moved one', async () => {
    const first = openPull();
    const second = openPull();
    const found = await pullRequestsAtHead(
      client,
      REPO_REF,
      [9999, first.number, second.number],
      second.head,
    );
    expect(summary(found)).toEqual({ kind: 'head', number: second.number, headSha: second.head });
    expect(await pullRequestsAtHead(client, REPO_REF, [9999], second.head)).toEqual({
      kind: 'none',
    });
    expect(fake.violations).toEqual([]);
  });
});

describe('findPullRequestForCommit', () => {
  it("finds a fork's pull request with one request to the commit → pulls index", async () => {
    const { head, number } = openPull({ fork: { owner: 'contributor', repo: 'infra' } });
    const from = fake.calls.length;
    expect(summary(await findPullRequestForCommit(client, REPO_REF, head))).toEqual({
      kind: 'head',
      number,
      headSha: head,
    });
    expect(requestsSince(from)).toEqual([
      `GET /repos/${OWNER}/${REPO}/commits/${head}/pulls?per_page=100`,
    ]);
    expect(fake.violations).toEqual([]);
  });

  it('falls back to the open pull requests when the index has no answer', async () => {
    openPull();
    const { head, number } = openPull();
    fake.failNext({ method: 'GET', path: /\/commits\/[0-9a-f]{40}\/pulls$/ }, 422);
    const from = fake.calls.length;
    expect(summary(await findPullRequestForCommit(client, REPO_REF, head))).toEqual({
      kind: 'head',
      number,
      headSha: head,
    });
    expect(requestsSince(from)).toEqual([
      `GET /repos/${OWNER}/${REPO}/commits/${head}/pulls?per_page=100`,
      `GET /repos/${OWNER}/${REPO}/pulls?state=open&sort=updated&direction=desc&per_page=100&page=1`,
    ]);
  });

  it('answers none for a commit that is no open pull request head', async () => {
    openPull();
    const from = fake.calls.length;
    expect(await findPullRequestForCommit(client, REPO_REF, UNKNOWN)).toEqual({ kind: 'none' });
    expect(requestsSince(from)).toEqual([
      `GET /repos/${OWNER}/${REPO}/commits/${UNKNOWN}/pulls?per_page=100`,
      `GET /repos/${OWNER}/${REPO}/pulls?state=open&sort=updated&direction=desc&per_page=100&page=1`,
    ]);
  });

  it('reads at most three pages of open pull requests', async () => {
    for (let index = 0; index < 301; index++) openPull();
    const from = fake.calls.length;
    expect(await findPullRequestForCommit(client, REPO_REF, UNKNOWN)).toEqual({ kind: 'none' });
    expect(requestsSince(from).slice(1)).toEqual(
      [1, 2, 3].map(
        (page) =>
          `GET /repos/${OWNER}/${REPO}/pulls?state=open&sort=updated&direction=desc&per_page=100&page=${page}`,
      ),
    );
  });
});

describe('which listed pull requests count (GitHub answers the fake does not give)', () => {
  const SHA = 'a'.repeat(40);
  const NEWER = 'b'.repeat(40);
  const pull = (number: number, state: string, headSha: string, baseOwner = OWNER) => ({
    number,
    state,
    head: { sha: headSha, repo: { name: REPO, owner: { login: 'contributor' } } },
    base: { sha: 'c'.repeat(40), ref: 'main', repo: { name: REPO, owner: { login: baseOwner } } },
    user: { login: 'contributor' },
  });

  /** Answers `commits/{sha}/pulls` with `associated` and `pulls` with `open`; records routes. */
  function stub(
    associated: unknown[],
    open: unknown[],
  ): { client: GitHubClient; routes: string[] } {
    const routes: string[] = [];
    const request = async (route: string) => {
      routes.push(route);
      return { data: route.endsWith('/commits/{commit_sha}/pulls') ? associated : open };
    };
    return { client: { request } as unknown as GitHubClient, routes };
  }

  it('a merged pull request and one of another repository are not heads; a moved one is named', async () => {
    const { client: stubbed, routes } = stub(
      [pull(1, 'closed', SHA), pull(2, 'open', SHA, 'someone-else'), pull(3, 'open', NEWER)],
      [],
    );
    expect(await findPullRequestForCommit(stubbed, REPO_REF, SHA)).toEqual({
      kind: 'moved',
      number: 3,
      headSha: NEWER,
      author: 'contributor',
    });
    expect(routes).toEqual([
      'GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls',
      'GET /repos/{owner}/{repo}/pulls',
    ]);
  });

  it('an open head found in the list wins over a moved one from the index', async () => {
    const { client: stubbed } = stub([pull(3, 'open', NEWER)], [pull(4, 'open', SHA)]);
    expect(summary(await findPullRequestForCommit(stubbed, REPO_REF, SHA))).toEqual({
      kind: 'head',
      number: 4,
      headSha: SHA,
    });
  });
});
