/**
 * The evaluation service every trigger goes through: a check run per queued evaluation, and
 * requests for a head that already has an evaluation waiting join it (a storm of rechecks costs
 * at most the running evaluation plus one more, and no extra check runs).
 */
import { describe, expect, it } from 'vitest';
import { Evaluations } from '../../src/app/evaluations.js';
import type { RunPullRequest } from '../../src/app/evaluations.js';
import type { GitHubClient, PullRequestTarget } from '../../src/github/types.js';

const target: PullRequestTarget = {
  owner: 'acme',
  repo: 'infra',
  number: 7,
  headSha: 'a'.repeat(40),
  baseSha: 'b'.repeat(40),
  baseRef: 'main',
  defaultBranch: 'main',
  author: 'octocat',
};
const client = {} as GitHubClient;
const silent = { info() {}, warn() {}, error() {}, debug() {} };

function setup() {
  const started: number[] = [];
  const runs: { checkRunId: number | undefined; release: () => void }[] = [];
  let nextId = 100;
  const runPullRequest: RunPullRequest = async (_client, runTarget, options) => {
    await new Promise<void>((resolve) =>
      runs.push({ checkRunId: options.checkRunId, release: resolve }),
    );
    return {
      evaluation: { kind: 'error', target: runTarget, message: 'x', onError: 'neutral' },
      publication: {
        headSha: runTarget.headSha,
        check: { conclusion: 'neutral', title: 't', summary: 's', annotations: [] },
        resolve: [],
        commentsOverBudget: 0,
      },
    };
  };
  const evaluations = new Evaluations({
    runPullRequest,
    startCheckRun: async () => {
      started.push(nextId);
      return nextId++;
    },
    publish: async () => undefined,
    docsBaseUri: 'https://example.test/',
    concurrency: 2,
    botLogin: async () => 'guard[bot]',
    log: silent,
  });
  return { evaluations, started, runs };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((r) => setTimeout(r, 1));
}

describe('Evaluations', () => {
  it('queues one evaluation with its own check run per request while none is waiting', async () => {
    const { evaluations, started, runs } = setup();
    expect(await evaluations.request({ client, target, reason: 'test' })).toEqual({
      joined: false,
      checkRunId: 100,
    });
    await until(() => runs.length === 1);
    // Running, nothing waiting: a second request queues a second evaluation (it may have been
    // caused by a comment the running one already missed).
    expect(await evaluations.request({ client, target, reason: 'test' })).toEqual({
      joined: false,
      checkRunId: 101,
    });
    // A third and fourth for the same head join the waiting one: no check run, no evaluation.
    expect(await evaluations.request({ client, target, reason: 'test' })).toEqual({ joined: true });
    expect(await evaluations.request({ client, target, reason: 'test' })).toEqual({ joined: true });
    expect(started).toEqual([100, 101]);
    runs[0]!.release();
    await until(() => runs.length === 2);
    runs[1]!.release();
    await evaluations.idle();
    expect(runs.map((run) => run.checkRunId)).toEqual([100, 101]);
  });

  it('requests arriving together share the check run the first one is creating', async () => {
    const { evaluations, started, runs } = setup();
    const tickets = await Promise.all(
      [1, 2, 3].map(async () => evaluations.request({ client, target, reason: 'burst' })),
    );
    expect(tickets).toEqual([
      { joined: false, checkRunId: 100 },
      { joined: true },
      { joined: true },
    ]);
    expect(started).toEqual([100]);
    await until(() => runs.length === 1);
    runs[0]!.release();
    await evaluations.idle();
    expect(runs.map((run) => run.checkRunId)).toEqual([100]);
  });

  it('does not join a waiting evaluation of another head', async () => {
    const { evaluations, started, runs } = setup();
    await evaluations.request({ client, target, reason: 'test' });
    await until(() => runs.length === 1);
    await evaluations.request({ client, target, reason: 'test' });
    const newer = { ...target, headSha: 'c'.repeat(40) };
    expect(await evaluations.request({ client, target: newer, reason: 'push' })).toEqual({
      joined: false,
      checkRunId: 102,
    });
    expect(started).toEqual([100, 101, 102]);
    runs[0]!.release();
    await until(() => runs.length === 2);
    runs[1]!.release();
    await evaluations.idle();
    // The waiting evaluation of the old head was superseded, never run.
    expect(runs.map((run) => run.checkRunId)).toEqual([100, 102]);
  });
});
