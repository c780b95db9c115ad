/**
 * Re-run, Re-run all, the Re-evaluate button and merge queues, end to end: the real app and
 * GitHub layer against the fake GitHub (every request validated against GitHub's OpenAPI
 * description), deliveries built by the fake from GitHub's example payloads.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/app.js';
import type { GuardApp } from '../../src/app/app.js';
import { REEVALUATE_ACTION } from '../../src/github/commands/types.js';
import { publish, startCheckRun } from '../../src/github/publish/index.js';
import { runPullRequest } from '../../src/github/run.js';
import { CHECK_NAME } from '../../src/github/types.js';
import { FakeGitHub, interceptGitHub } from '../fake-github/index.js';
import { startProbot } from '../fake-github/probot.js';
import type { ProbotHarness } from '../fake-github/probot.js';
import { reportsBehindEndpoint } from '../github/templates.js';

const OWNER = 'acme';
const REPO = 'infra';
const APP_ID = 4242;
const TEMPLATE_PATH = 'cfn/network.yaml';
const AUTHOR = 'octocat';
const MAINTAINER = 'maint';
const READER = 'reader';

const TEMPLATE = reportsBehindEndpoint;

let fake: FakeGitHub;
let restore: () => void;
let refused: readonly unknown[];
let harness: ProbotHarness;
let guard: GuardApp;
let branches = 0;

beforeEach(async () => {
  fake = new FakeGitHub({ appId: APP_ID });
  ({ restore, refused } = interceptGitHub(fake));
  fake.createRepo(OWNER, REPO);
  fake.setPermission(OWNER, REPO, MAINTAINER, 'maintain');
  fake.setPermission(OWNER, REPO, READER, 'read');
  guard = createApp({
    runPullRequest,
    startCheckRun,
    publish,
    docsBaseUri: 'https://example.test/s3-endpoint-guard/blob/main/',
    botLogin: fake.botLogin,
    appId: APP_ID,
  });
  harness = await startProbot(fake, guard.app);
});

afterEach(() => {
  restore();
});

/** A pull request from `AUTHOR` changing the template on top of a clean base. */
function openPull(
  deny: boolean,
  options: { fork?: { owner: string; repo: string } } = {},
): { head: string; number: number; branch: string } {
  const base =
    fake.branchSha(OWNER, REPO, 'main') ??
    fake.commit(OWNER, REPO, {
      files: { [TEMPLATE_PATH]: TEMPLATE(false), 'README.md': 'infra\n' },
      message: 'base',
    });
  const branch = `change-${++branches}`;
  const head = fake.commit(OWNER, REPO, {
    parent: base,
    branch,
    files: deny ? { [TEMPLATE_PATH]: TEMPLATE(true) } : { 'README.md': `infra ${branch}\n` },
    message: branch,
  });
  const number = fake.openPullRequest(OWNER, REPO, {
    base: 'main',
    headSha: head,
    headRef: branch,
    author: AUTHOR,
    ...options,
  });
  return { head, number, branch };
}

/** Opens the pull request and lets the app evaluate it once (its first check run). */
async function evaluated(
  deny: boolean,
  options: { fork?: { owner: string; repo: string } } = {},
): Promise<{ head: string; number: number; branch: string; runId: number }> {
  const pull = openPull(deny, options);
  await harness.receive(
    'pull_request',
    fake.pullRequestPayload(OWNER, REPO, pull.number, 'opened'),
  );
  await guard.idle();
  const [run] = runsOn(pull.head);
  return { ...pull, runId: run!.id };
}

function runsOn(sha: string) {
  return fake.checkRuns(OWNER, REPO).filter((run) => run.head_sha === sha);
}

async function deliver(name: string, payload: object): Promise<void> {
  await harness.receive(name, payload);
  await guard.idle();
}

/** Operation ids of the requests since `from` (GraphQL: its fields). */
function operationsSince(from: number): string[] {
  return fake.calls
    .slice(from)
    .map((call) => call.operationId ?? call.fields?.join(',') ?? call.path);
}

function expectNoViolations(): void {
  expect(fake.violations).toEqual([]);
  expect(refused).toEqual([]);
}

describe('Re-run (check_run.rerequested)', () => {
  it("re-evaluates a same-repository pull request's head in a new check run", async () => {
    const { head, number, runId } = await evaluated(true);
    const from = fake.calls.length;
    await deliver(
      'check_run',
      fake.checkRunPayload(OWNER, REPO, runId, 'rerequested', { sender: MAINTAINER }),
    );

    const runs = runsOn(head);
    expect(runs.map((run) => [run.name, run.status, run.conclusion])).toEqual([
      [CHECK_NAME, 'completed', 'failure'],
      [CHECK_NAME, 'completed', 'failure'],
    ]);
    expect(runs[1]!.output.title).toBe(runs[0]!.output.title);
    expect(runs[1]!.actions).toEqual([REEVALUATE_ACTION]);
    // Looked up before the run was created: the pull request, then the sender's permission.
    expect(operationsSince(from).slice(0, 3)).toEqual([
      'pulls/get',
      'repos/get-collaborator-permission-level',
      'checks/create',
    ]);
    // The second evaluation found its threads and summary in place: nothing posted twice.
    expect(fake.reviews(OWNER, REPO, number)).toHaveLength(1);
    expect(fake.issueComments(OWNER, REPO, number)).toHaveLength(1);
    expectNoViolations();
  });

  it("the author may re-run their own pull request's check without write access", async () => {
    const { head, runId } = await evaluated(false);
    const from = fake.calls.length;
    await deliver(
      'check_run',
      fake.checkRunPayload(OWNER, REPO, runId, 'rerequested', { sender: AUTHOR }),
    );
    expect(runsOn(head).map((run) => run.conclusion)).toEqual(['success', 'success']);
    expect(operationsSince(from)).not.toContain('repos/get-collaborator-permission-level');
    expectNoViolations();
  });

  it("finds a fork's pull request (the payload lists none) through commits/{sha}/pulls", async () => {
    const { head, runId } = await evaluated(true, { fork: { owner: 'contributor', repo: REPO } });
    const payload = fake.checkRunPayload(OWNER, REPO, runId, 'rerequested', { sender: MAINTAINER });
    expect(
      (payload as { check_run: { pull_requests: unknown[] } }).check_run.pull_requests,
    ).toEqual([]);
    const from = fake.calls.length;
    await deliver('check_run', payload);

    expect(runsOn(head).map((run) => run.conclusion)).toEqual(['failure', 'failure']);
    expect(operationsSince(from).slice(0, 3)).toEqual([
      'repos/list-pull-requests-associated-with-commit',
      'repos/get-collaborator-permission-level',
      'checks/create',
    ]);
    expectNoViolations();
  });

  it('refuses a read-only sender: nothing is created, nothing written', async () => {
    const { head, runId } = await evaluated(true);
    const from = fake.calls.length;
    await deliver(
      'check_run',
      fake.checkRunPayload(OWNER, REPO, runId, 'rerequested', { sender: READER }),
    );
    expect(runsOn(head)).toHaveLength(1);
    expect(operationsSince(from)).toEqual(['pulls/get', 'repos/get-collaborator-permission-level']);
    expectNoViolations();
  });

  it('answers a stale commit with a neutral run saying which head has the result', async () => {
    const { head, number, branch, runId } = await evaluated(true);
    // The click happened before the push: GitHub listed the pull request with the old head.
    const payload = fake.checkRunPayload(OWNER, REPO, runId, 'rerequested', { sender: MAINTAINER });
    const newer = fake.commit(OWNER, REPO, {
      parent: head,
      branch,
      files: { 'README.md': 'newer\n' },
    });
    fake.pushToPullRequest(OWNER, REPO, number, newer);
    await deliver('check_run', payload);

    const runs = runsOn(head);
    expect(runs).toHaveLength(2);
    expect(runs[1]).toMatchObject({
      status: 'completed',
      conclusion: 'neutral',
      output: {
        title: `Commit ${head.slice(0, 7)} is no longer the head of #${number}`,
        summary: `Commit ${head.slice(0, 7)} is no longer the head of #${number}; its newest commit (${newer.slice(0, 7)}) has the result. Re-run the check there.`,
      },
    });
    // Created completed in one request: it never shows "Evaluating…"; it has the button.
    expect(runs[1]?.history).toEqual([{ status: 'completed', conclusion: 'neutral' }]);
    expect(runs[1]?.actions).toEqual([REEVALUATE_ACTION]);
    expect(runsOn(newer)).toEqual([]);
    expectNoViolations();
  });

  it('answers a commit that heads no open pull request with a neutral run', async () => {
    const { head, number, branch, runId } = await evaluated(true);
    const newer = fake.commit(OWNER, REPO, { parent: head, branch, files: { 'README.md': 'x\n' } });
    fake.pushToPullRequest(OWNER, REPO, number, newer);
    // Now the payload lists no pull request (none has this head), and neither does GitHub.
    await deliver(
      'check_run',
      fake.checkRunPayload(OWNER, REPO, runId, 'rerequested', { sender: MAINTAINER }),
    );
    const runs = runsOn(head);
    expect(runs[1]).toMatchObject({
      status: 'completed',
      conclusion: 'neutral',
      output: {
        title: 'Not the head of an open pull request',
        summary: `Commit ${head.slice(0, 7)} is not the head of an open pull request of this repository, so there is nothing to evaluate again. The check runs on pull request heads and merge groups.`,
      },
    });
    expectNoViolations();
  });
});

/**
 * Holds the fake's answers to GET requests whose path matches until `open()`: an evaluation
 * stays running for as long as a test needs, whatever the machine's speed.
 */
function holdRequests(path: RegExp): { open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const handle = fake.handle.bind(fake);
  fake.handle = async (request) => {
    const pathname = new URL(request.url, 'https://api.github.com').pathname;
    if (request.method.toUpperCase() === 'GET' && path.test(pathname)) await opened;
    return handle(request);
  };
  return { open };
}

describe('a storm of clicks', () => {
  it('ten Re-runs in a row cost at most the running evaluation and one more', async () => {
    const { head, runId } = await evaluated(true);
    const payload = fake.checkRunPayload(OWNER, REPO, runId, 'rerequested', {
      sender: MAINTAINER,
    });
    // Each delivery is answered before the next arrives (as clicks are), while the first
    // re-evaluation is still running: it is held at its file list until all ten were received.
    const gate = holdRequests(/\/pulls\/\d+\/files$/);
    for (let index = 0; index < 10; index++) {
      await harness.receive('check_run', payload, `storm-${index}`);
    }
    gate.open();
    await guard.idle();

    const runs = runsOn(head);
    // The first evaluation, then one running and one waiting that the other eight joined.
    expect(runs.map((run) => [run.status, run.conclusion])).toEqual([
      ['completed', 'failure'],
      ['completed', 'failure'],
      ['completed', 'failure'],
    ]);
    expect(fake.calls.filter((call) => call.operationId === 'pulls/list-files')).toHaveLength(3);
    expectNoViolations();
  });

  it('ten Re-runs delivered at the same moment cost at most two evaluations', async () => {
    const { head, runId } = await evaluated(true);
    const payload = fake.checkRunPayload(OWNER, REPO, runId, 'rerequested', {
      sender: MAINTAINER,
    });
    const before = fake.calls.filter((call) => call.operationId === 'pulls/list-files').length;
    // The first re-evaluation is held at its file list until every delivery was answered.
    const gate = holdRequests(/\/pulls\/\d+\/files$/);
    await Promise.all(
      Array.from({ length: 10 }, async (_, index) =>
        harness.receive('check_run', payload, `burst-${index}`),
      ),
    );
    gate.open();
    await guard.idle();

    // Deliveries that arrive while the first one's check run is being created join it; any
    // later ones queue one more evaluation and join that. Never one check run per click.
    const rerun = runsOn(head).slice(1);
    expect(rerun.length).toBeGreaterThanOrEqual(1);
    expect(rerun.length).toBeLessThanOrEqual(2);
    expect(rerun.every((run) => run.status === 'completed' && run.conclusion === 'failure')).toBe(
      true,
    );
    const evaluations = fake.calls.filter((call) => call.operationId === 'pulls/list-files');
    expect(evaluations.length - before).toBe(rerun.length);
    expectNoViolations();
  });
});

describe('Re-run all and the Re-evaluate button', () => {
  it('check_suite.rerequested re-evaluates the head', async () => {
    const { head } = await evaluated(true);
    await deliver(
      'check_suite',
      fake.checkSuitePayload(OWNER, REPO, head, 'rerequested', { sender: MAINTAINER }),
    );
    expect(runsOn(head).map((run) => run.conclusion)).toEqual(['failure', 'failure']);
    expectNoViolations();
  });

  it('the re-evaluate action re-evaluates; another identifier does nothing', async () => {
    const { head, runId } = await evaluated(false);
    const from = fake.calls.length;
    await deliver(
      'check_run',
      fake.checkRunPayload(OWNER, REPO, runId, 'requested_action', {
        identifier: 'something-else',
        sender: MAINTAINER,
      }),
    );
    expect(fake.calls.length).toBe(from);

    await deliver(
      'check_run',
      fake.checkRunPayload(OWNER, REPO, runId, 'requested_action', {
        identifier: REEVALUATE_ACTION.identifier,
        sender: MAINTAINER,
      }),
    );
    expect(runsOn(head).map((run) => run.conclusion)).toEqual(['success', 'success']);
    expectNoViolations();
  });

  it("another app's run, or another check name, costs no request at all", async () => {
    const { runId } = await evaluated(true);
    const payload = fake.checkRunPayload(OWNER, REPO, runId, 'rerequested', {
      sender: MAINTAINER,
    }) as { check_run: { app: { id: number }; name: string } };
    const from = fake.calls.length;
    await deliver('check_run', {
      ...payload,
      check_run: { ...payload.check_run, app: { ...payload.check_run.app, id: 1 } },
    });
    await deliver('check_run', {
      ...payload,
      check_run: { ...payload.check_run, name: 'Other check' },
    });
    expect(fake.calls.length).toBe(from);
    expectNoViolations();
  });
});

describe('merge queues', () => {
  it('fails the group on a new blocking finding, writing no review or comment', async () => {
    const { number } = openPull(true);
    const group = fake.createMergeGroup(OWNER, REPO, { base: 'main', pullNumber: number });
    await deliver('merge_group', fake.mergeGroupPayload(OWNER, REPO, group));

    const [run, ...others] = runsOn(group.headSha);
    expect(others).toEqual([]);
    expect(run).toMatchObject({ name: CHECK_NAME, status: 'completed', conclusion: 'failure' });
    expect(run!.actions).toEqual([REEVALUATE_ACTION]);
    expect(fake.reviews(OWNER, REPO, number)).toEqual([]);
    expect(fake.issueComments(OWNER, REPO, number)).toEqual([]);
    expectNoViolations();
  });

  it('passes a clean group', async () => {
    const { number } = openPull(false);
    const group = fake.createMergeGroup(OWNER, REPO, { base: 'main', pullNumber: number });
    await deliver('merge_group', fake.mergeGroupPayload(OWNER, REPO, group));
    expect(runsOn(group.headSha).map((run) => run.conclusion)).toEqual(['success']);
    expectNoViolations();
  });

  it('ignores merge_group.destroyed', async () => {
    const { number } = openPull(false);
    const group = fake.createMergeGroup(OWNER, REPO, { base: 'main', pullNumber: number });
    const from = fake.calls.length;
    await deliver('merge_group', fake.mergeGroupPayload(OWNER, REPO, group, 'destroyed'));
    expect(fake.calls.length).toBe(from);
    expect(runsOn(group.headSha)).toEqual([]);
  });

  it("re-running a group's check evaluates the group again", async () => {
    const { number } = openPull(true);
    const group = fake.createMergeGroup(OWNER, REPO, { base: 'main', pullNumber: number });
    await deliver('merge_group', fake.mergeGroupPayload(OWNER, REPO, group));
    const [first] = runsOn(group.headSha);
    const from = fake.calls.length;
    await deliver(
      'check_run',
      fake.checkRunPayload(OWNER, REPO, first!.id, 'rerequested', { sender: MAINTAINER }),
    );

    expect(runsOn(group.headSha).map((run) => run.conclusion)).toEqual(['failure', 'failure']);
    expect(operationsSince(from).slice(0, 3)).toEqual([
      'repos/get-collaborator-permission-level',
      'repos/compare-commits-with-basehead',
      'checks/create',
    ]);
    expect(fake.reviews(OWNER, REPO, number)).toEqual([]);
    expect(fake.issueComments(OWNER, REPO, number)).toEqual([]);
    expectNoViolations();
  });
});
