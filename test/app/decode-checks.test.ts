/**
 * Which check and merge-group webhooks ask for a re-evaluation, decided on GitHub's example
 * payloads (`@octokit/webhooks-examples`), changed only where a case needs it (our check's name,
 * the Re-evaluate identifier, a merge queue branch).
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  decodeCheckRunEvent,
  decodeCheckSuiteEvent,
  decodeMergeGroupEvent,
  mergeQueueBranch,
} from '../../src/app/decode-checks.js';
import type {
  CheckRunPayload,
  CheckSuitePayload,
  MergeGroupPayload,
} from '../../src/app/decode-checks.js';
import { CHECK_NAME } from '../../src/github/types.js';

const require = createRequire(import.meta.url);
const definitions = require('@octokit/webhooks-examples/api.github.com/index.json') as {
  name: string;
  examples: { action: string }[];
}[];

function example<T>(event: string, action: string): T {
  const found = definitions
    .find((definition) => definition.name === event)
    ?.examples.find((e) => e.action === action);
  if (found === undefined) throw new Error(`no example for ${event}.${action}`);
  return structuredClone(found) as T;
}

/** GitHub's `check_run` example for `action`, renamed to our check. */
function ourRun(action: string): CheckRunPayload {
  const payload = example<CheckRunPayload>('check_run', action);
  return { ...payload, check_run: { ...payload.check_run, name: CHECK_NAME } };
}

const SHA = 'd6fde92930d4715a2b49857d24b940956b26d2d3';
const QUEUE_HEAD = 'gh-readonly-queue/main/pr-104-929f8209d40f77f4abc622a499c93a83babdbe64';

describe('decodeCheckRunEvent', () => {
  it('re-runs our check run on rerequested (fork-like: the example lists no pull request)', () => {
    expect(decodeCheckRunEvent(ourRun('rerequested'), 2)).toEqual({
      kind: 'rerun',
      request: {
        event: 'check_run.rerequested',
        repository: { owner: 'github', repo: 'hello-world', defaultBranch: 'master' },
        headSha: SHA,
        sender: 'octocat',
        pullRequests: [],
      },
    });
  });

  it('accepts the name alone when the app id is unknown', () => {
    expect(decodeCheckRunEvent(ourRun('rerequested'), undefined).kind).toBe('rerun');
  });

  it("ignores another app's run with our name, and another check name", () => {
    expect(decodeCheckRunEvent(ourRun('rerequested'), 4242)).toEqual({
      kind: 'ignore',
      reason: 'created by app 2, not this one (4242)',
    });
    expect(decodeCheckRunEvent(example('check_run', 'rerequested'), 2)).toEqual({
      kind: 'ignore',
      reason: 'check run "randscape" is not ours',
    });
  });

  it('re-runs on the Re-evaluate action only, with the payload pull requests of this repository', () => {
    const payload = ourRun('requested_action');
    expect(decodeCheckRunEvent(payload, 25811)).toEqual({
      kind: 'ignore',
      reason: 'requested action "lgtm|26764" is not ours',
    });
    const reevaluate = { ...payload, requested_action: { identifier: 're-evaluate' } };
    expect(decodeCheckRunEvent(reevaluate, 25811)).toEqual({
      kind: 'rerun',
      request: {
        event: 'check_run.requested_action',
        repository: { owner: 'electron', repo: 'electron', defaultBranch: 'master' },
        headSha: '5bd5f196a46b8222fb7484f05faba41a73cf34bd',
        sender: 'codebytere',
        pullRequests: [26764],
      },
    });
  });

  it('drops listed pull requests whose base is another repository', () => {
    const payload = ourRun('requested_action');
    const [pull] = payload.check_run.pull_requests ?? [];
    const elsewhere = { ...pull!, number: 7, base: { repo: { id: 1 } } };
    const decoded = decodeCheckRunEvent(
      {
        ...payload,
        requested_action: { identifier: 're-evaluate' },
        check_run: { ...payload.check_run, pull_requests: [elsewhere, pull!] },
      },
      25811,
    );
    expect(decoded.kind === 'rerun' && decoded.request.pullRequests).toEqual([26764]);
  });

  it('ignores created and completed', () => {
    expect(decodeCheckRunEvent(ourRun('created'), undefined)).toEqual({
      kind: 'ignore',
      reason: 'action created is not a re-run',
    });
    expect(decodeCheckRunEvent(ourRun('completed'), undefined)).toEqual({
      kind: 'ignore',
      reason: 'action completed is not a re-run',
    });
  });

  it("marks a merge queue branch's run as a merge-group re-run", () => {
    const payload = ourRun('rerequested');
    const queued = {
      ...payload,
      check_run: {
        ...payload.check_run,
        check_suite: { ...payload.check_run.check_suite, head_branch: QUEUE_HEAD },
      },
    };
    const decoded = decodeCheckRunEvent(queued, 2);
    expect(decoded.kind === 'rerun' && decoded.request.mergeQueue).toEqual({
      headRef: `refs/heads/${QUEUE_HEAD}`,
      baseRef: 'main',
      number: 104,
    });
  });
});

describe('decodeCheckSuiteEvent', () => {
  it('re-runs our suite on rerequested with its pull requests', () => {
    const payload = example<CheckSuitePayload>('check_suite', 'rerequested');
    expect(decodeCheckSuiteEvent(payload, 29310)).toEqual({
      kind: 'rerun',
      request: {
        event: 'check_suite.rerequested',
        repository: { owner: 'Codertocat', repo: 'Hello-World', defaultBranch: 'master' },
        headSha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
        sender: 'octocoders-linter[bot]',
        pullRequests: [2],
      },
    });
  });

  it("ignores another app's suite, and requested / completed", () => {
    const payload = example<CheckSuitePayload>('check_suite', 'rerequested');
    expect(decodeCheckSuiteEvent(payload, 4242)).toEqual({
      kind: 'ignore',
      reason: 'created by app 29310, not this one (4242)',
    });
    expect(decodeCheckSuiteEvent(example('check_suite', 'requested'), 29310)).toEqual({
      kind: 'ignore',
      reason: 'action requested is not a re-run',
    });
    expect(decodeCheckSuiteEvent(example('check_suite', 'completed'), 29310)).toEqual({
      kind: 'ignore',
      reason: 'action completed is not a re-run',
    });
  });
});

describe('decodeMergeGroupEvent', () => {
  it("evaluates checks_requested on the group's head against its base", () => {
    const payload = example<MergeGroupPayload>('merge_group', 'checks_requested');
    expect(decodeMergeGroupEvent(payload)).toEqual({
      kind: 'merge-group',
      target: {
        owner: 'octo-org',
        repo: 'octo-repo',
        number: 104,
        headSha: '2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d',
        baseSha: '380387fbc80638b734a49e1be1c4dfec1c01b33c',
        baseRef: 'main',
        defaultBranch: 'main',
        author: '',
        mergeGroup: { headRef: QUEUE_HEAD },
      },
    });
  });

  it('ignores destroyed', () => {
    const payload = example<MergeGroupPayload>('merge_group', 'checks_requested');
    expect(decodeMergeGroupEvent({ ...payload, action: 'destroyed' })).toEqual({
      kind: 'ignore',
      reason: 'merge_group.destroyed needs no check',
    });
  });
});

describe('mergeQueueBranch', () => {
  it.each([
    [QUEUE_HEAD, { headRef: `refs/heads/${QUEUE_HEAD}`, baseRef: 'main', number: 104 }],
    [
      `refs/heads/${QUEUE_HEAD}`,
      { headRef: `refs/heads/${QUEUE_HEAD}`, baseRef: 'main', number: 104 },
    ],
    [
      'gh-readonly-queue/release/2.x/pr-7-929f8209d40f77f4abc622a499c93a83babdbe64',
      {
        headRef:
          'refs/heads/gh-readonly-queue/release/2.x/pr-7-929f8209d40f77f4abc622a499c93a83babdbe64',
        baseRef: 'release/2.x',
        number: 7,
      },
    ],
  ])('%s is a merge queue branch', (branch, expected) => {
    expect(mergeQueueBranch(branch)).toEqual(expected);
  });

  it.each([
    ['changes'],
    ['gh-readonly-queue/main/pr-104-929f82'],
    ['gh-readonly-queue/main/pr-x-929f8209d40f77f4abc622a499c93a83babdbe64'],
    ['feature/gh-readonly-queue/main/pr-1-929f8209d40f77f4abc622a499c93a83babdbe64'],
  ])('%s is not', (branch) => {
    expect(mergeQueueBranch(branch)).toBeUndefined();
  });

  it('null (a detached head) is not', () => {
    expect(mergeQueueBranch(null)).toBeUndefined();
  });
});
