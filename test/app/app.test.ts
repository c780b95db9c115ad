/**
 * The Probot app: which events start an evaluation, the target decoded from GitHub's example
 * payloads, a fast webhook answer (the check run is created in the handler, the evaluation runs
 * after it returned), superseding, the last-resort completion, and the bot login asked once.
 * The GitHub layer (`runPullRequest`, `startCheckRun`, `publish`) is replaced by recording stubs;
 * the real one is exercised end to end in test/app/e2e*.test.ts.
 */
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import nock from 'nock';
import { createNodeMiddleware, Probot, ProbotOctokit } from 'probot';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/app.js';
import type { AppDependencies, GuardApp, RunPullRequest } from '../../src/app/app.js';
import { decodePullRequestEvent, pullRequestKey } from '../../src/app/decode.js';
import type { PullRequestPayload } from '../../src/app/decode.js';
import type { Publication, PullRequestTarget } from '../../src/github/types.js';

interface Example extends PullRequestPayload {
  readonly installation?: { readonly id: number };
  readonly pull_request: PullRequestPayload['pull_request'] & { readonly draft?: boolean };
}

const require = createRequire(import.meta.url);
const examples = (
  require('@octokit/webhooks-examples/api.github.com/index.json') as {
    name: string;
    examples: Example[];
  }[]
).find((event) => event.name === 'pull_request')!.examples;

/** GitHub's example for `action`, installed (so Probot authenticates as the installation). */
function example(action: string): Example {
  const found =
    examples.find((e) => e.action === action && e.installation !== undefined) ??
    examples.find((e) => e.action === action);
  if (found === undefined) throw new Error(`no example for ${action}`);
  return structuredClone(found);
}

function withHead(payload: Example, sha: string, action = 'synchronize'): Example {
  return {
    ...payload,
    action,
    installation: { id: 42 },
    pull_request: { ...payload.pull_request, head: { ...payload.pull_request.head, sha } },
  };
}

const API = 'https://api.github.com';
const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});
afterAll(() => nock.enableNetConnect());

describe('decodePullRequestEvent (GitHub example payloads)', () => {
  it('evaluates opened, synchronize, reopened and ready_for_review', () => {
    for (const action of ['opened', 'synchronize', 'reopened', 'ready_for_review']) {
      const payload = example(action);
      const decoded = decodePullRequestEvent(payload);
      expect(decoded, action).toEqual({
        evaluate: true,
        target: {
          owner: 'Codertocat',
          repo: 'Hello-World',
          number: payload.pull_request.number,
          headSha: payload.pull_request.head.sha,
          baseSha: payload.pull_request.base.sha,
          baseRef: payload.pull_request.base.ref,
          defaultBranch: payload.repository.default_branch,
          author: payload.pull_request.user?.login,
        },
      });
    }
  });

  it('edited counts only when the base branch changed', () => {
    const edited = { ...example('opened'), action: 'edited' };
    expect(
      decodePullRequestEvent({ ...edited, changes: { title: { from: 'x' } } } as never),
    ).toEqual({ evaluate: false, reason: 'edited without a base branch change' });
    expect(decodePullRequestEvent(edited).evaluate).toBe(false);
    const rebased = { ...edited, changes: { base: { ref: { from: 'develop' } } } };
    expect(decodePullRequestEvent(rebased).evaluate).toBe(true);
  });

  it('ignores other actions and closed pull requests', () => {
    expect(decodePullRequestEvent(example('labeled'))).toMatchObject({ evaluate: false });
    const closed = { ...example('closed'), action: 'reopened' };
    expect(decodePullRequestEvent(closed)).toEqual({
      evaluate: false,
      reason: 'pull request is closed',
    });
  });

  it('evaluates drafts', () => {
    const draft = example('converted_to_draft');
    expect(draft.pull_request.draft).toBe(true);
    expect(decodePullRequestEvent({ ...draft, action: 'opened' }).evaluate).toBe(true);
  });

  it('recognises a fork (head repository differs), also when only the owner differs', () => {
    const payload = example('opened');
    const head = payload.pull_request.head;
    const fork = {
      ...payload,
      pull_request: {
        ...payload.pull_request,
        head: {
          ...head,
          repo: { ...head.repo!, name: 'Hello-World', owner: { login: 'mallory' } },
        },
      },
    };
    const decoded = decodePullRequestEvent(fork);
    expect(decoded.evaluate && decoded.target.fork).toEqual({
      owner: 'mallory',
      repo: 'Hello-World',
    });
    const deleted = {
      ...payload,
      pull_request: { ...payload.pull_request, head: { ...head, repo: null } },
    };
    const fromDeleted = decodePullRequestEvent(deleted);
    expect(fromDeleted.evaluate && fromDeleted.target.fork).toBeUndefined();
    expect(fromDeleted.evaluate && fromDeleted.target.headSha).toBe(head.sha);
  });

  it('keys pull requests case-insensitively', () => {
    expect(pullRequestKey({ owner: 'Acme', repo: 'Infra', number: 7 })).toBe('acme/infra#7');
  });
});

/** A promise with its resolver, to hold an evaluation open. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

interface Harness {
  readonly probot: Probot;
  readonly guard: GuardApp;
  readonly started: PullRequestTarget[];
  readonly runs: { target: PullRequestTarget; options: Parameters<RunPullRequest>[2] }[];
  readonly published: { checkRunId: number; headSha: string; publication: Publication }[];
  deliver(payload: Example): Promise<void>;
}

async function harness(
  run: RunPullRequest,
  overrides: Partial<AppDependencies> = {},
  load = true,
): Promise<Harness> {
  const started: PullRequestTarget[] = [];
  const runs: Harness['runs'] = [];
  const published: Harness['published'] = [];
  let nextId = 100;
  const guard = createApp({
    docsBaseUri: 'https://example.test/blob/main/',
    botLogin: 's3-endpoint-guard[bot]',
    startCheckRun: async (_client, target) => {
      started.push(target);
      return nextId++;
    },
    runPullRequest: async (client, target, options) => {
      runs.push({ target, options });
      return run(client, target, options);
    },
    publish: async (_client, target, checkRunId, publication) => {
      published.push({ checkRunId, headSha: target.headSha, publication });
    },
    ...overrides,
  });
  const probot = new Probot({
    appId: 1,
    privateKey,
    secret: 'test',
    logLevel: 'fatal',
    Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }),
  });
  if (load) await probot.load(guard.app);
  let delivery = 0;
  return {
    probot,
    guard,
    started,
    runs,
    published,
    deliver: (payload) =>
      probot.receive({
        id: `delivery-${++delivery}`,
        name: 'pull_request',
        payload: payload as never,
      }),
  };
}

const evaluated = (target: PullRequestTarget) => ({
  evaluation: { kind: 'error' as const, target, message: 'stub', onError: 'failure' as const },
  publication: {
    headSha: target.headSha,
    check: { conclusion: 'success' as const, title: 'ok', summary: 'ok', annotations: [] },
    resolve: [],
    commentsOverBudget: 0,
  },
});

describe('the app', () => {
  it('answers the webhook once the check run exists, before the evaluation ends', async () => {
    const gate = deferred();
    const h = await harness(async (_client, target) => {
      await gate.promise;
      return evaluated(target);
    });
    const payload = example('opened');
    await h.deliver(payload);
    // The handler has returned: the check run was created, the evaluation is still running.
    expect(h.started.map((t) => t.headSha)).toEqual([payload.pull_request.head.sha]);
    expect(h.runs).toHaveLength(1);
    let idle = false;
    const waiting = h.guard.idle().then(() => (idle = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(idle).toBe(false);
    gate.resolve();
    await waiting;
    const options = h.runs[0]!.options;
    expect(options).toMatchObject({
      botLogin: 's3-endpoint-guard[bot]',
      docsBaseUri: 'https://example.test/blob/main/',
      checkRunId: 100,
    });
    expect(await options.isStale!()).toBe(false);
    expect(h.published).toEqual([]);
  });

  it('ignores edited without a base change and actions it does not handle', async () => {
    const h = await harness(async (_c, target) => evaluated(target));
    await h.deliver({ ...example('opened'), action: 'edited' });
    await h.deliver({ ...example('opened'), action: 'edited', changes: { title: {} } } as never);
    await h.deliver(example('labeled'));
    await h.guard.idle();
    expect(h.started).toEqual([]);
    await h.deliver({ ...example('opened'), action: 'edited', changes: { base: { ref: {} } } });
    await h.guard.idle();
    expect(h.started).toHaveLength(1);
  });

  it('supersedes queued heads and completes every check run it created', async () => {
    const gates = new Map<string, ReturnType<typeof deferred<void>>>();
    const stale: string[] = [];
    const h = await harness(async (_client, target, options) => {
      const gate = deferred<void>();
      gates.set(target.headSha, gate);
      await gate.promise;
      if (await options.isStale!()) stale.push(target.headSha[0]!);
      return evaluated(target);
    });
    const base = example('opened');
    await h.deliver(withHead(base, 'a'.repeat(40)));
    await h.deliver(withHead(base, 'b'.repeat(40)));
    await h.deliver(withHead(base, 'c'.repeat(40)));
    // a runs; b was waiting and is replaced by c: its check run (101) is completed at once.
    expect(h.published.map((p) => [p.checkRunId, p.publication.check.title])).toEqual([
      [101, 'Superseded by ccccccc'],
    ]);
    expect(h.published[0]!.publication.check.conclusion).toBe('neutral');
    gates.get('a'.repeat(40))!.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    // a learned it was stale: publish() completed its check run with a's own result (true for
    // commit a) and stopped; the app adds nothing.
    expect(h.published).toHaveLength(1);
    expect(stale).toEqual(['a']);
    expect(h.runs.map((r) => r.target.headSha[0])).toEqual(['a', 'c']);
    gates.get('c'.repeat(40))!.resolve();
    await h.guard.idle();
    expect(h.published).toHaveLength(1);
  });

  it('cancels the running evaluation when a newer head arrives; its check run says superseded', async () => {
    const h = await harness(async (_client, target, options) => {
      if (target.headSha.startsWith('a')) {
        // Like evaluatePullRequest: stops (throws) when its signal is aborted.
        await new Promise<never>((_resolve, reject) =>
          options.signal!.addEventListener('abort', () => reject(options.signal!.reason)),
        );
      }
      return evaluated(target);
    });
    const base = example('opened');
    await h.deliver(withHead(base, 'a'.repeat(40)));
    await h.deliver(withHead(base, 'b'.repeat(40)));
    await h.guard.idle();
    expect(h.runs.map((r) => r.target.headSha[0])).toEqual(['a', 'b']);
    expect(h.published.map((p) => [p.checkRunId, p.publication.check])).toEqual([
      [100, expect.objectContaining({ conclusion: 'neutral', title: 'Superseded by bbbbbbb' })],
    ]);
  });

  it('completes the check run as "Could not evaluate" when the evaluation throws', async () => {
    const h = await harness(async () => {
      throw new Error('internal');
    });
    await h.deliver(example('reopened'));
    await h.guard.idle();
    expect(h.published).toHaveLength(1);
    expect(h.published[0]!.publication.check).toMatchObject({
      conclusion: 'failure',
      title: 'Could not evaluate',
    });
  });

  it('fails the delivery when the check run cannot be created (nothing queued)', async () => {
    const h = await harness(async (_c, target) => evaluated(target), {
      startCheckRun: async () => {
        throw Object.assign(new Error('Resource not accessible by integration'), { status: 403 });
      },
    });
    await expect(h.deliver(example('opened'))).rejects.toThrow(/not accessible/);
    await h.guard.idle();
    expect(h.runs).toEqual([]);
  });

  it('asks GET /app once for the bot login, as the app, and talks to the repository as the installation', async () => {
    nock(API)
      .get('/app')
      .matchHeader('authorization', /^bearer /i)
      .once()
      .reply(200, { id: 1, slug: 's3-endpoint-guard-test' });
    nock(API)
      .post('/app/installations/42/access_tokens')
      .reply(201, { token: 'ghs_installation', expires_at: '2099-01-01T00:00:00Z' });
    nock(API)
      .post(
        '/repos/Codertocat/Hello-World/check-runs',
        (body: { name: string; head_sha: string }) => {
          return body.name === 'S3 endpoint guard' && body.head_sha === 'd'.repeat(40);
        },
      )
      .matchHeader('authorization', 'token ghs_installation')
      .reply(201, { id: 7 });
    const h = await harness(async (_c, target) => evaluated(target), {
      botLogin: undefined,
      startCheckRun: async (client, target) => {
        const { data } = await client.request('POST /repos/{owner}/{repo}/check-runs', {
          owner: target.owner,
          repo: target.repo,
          name: 'S3 endpoint guard',
          head_sha: target.headSha,
          status: 'in_progress',
        });
        return Number(data.id);
      },
    });
    await h.deliver(withHead(example('opened'), 'd'.repeat(40), 'opened'));
    await h.guard.idle();
    nock(API).post('/repos/Codertocat/Hello-World/check-runs').reply(201, { id: 8 });
    await h.deliver(withHead(example('opened'), 'e'.repeat(40)));
    await h.guard.idle();
    expect(h.runs.map((r) => [r.options.botLogin, r.options.checkRunId])).toEqual([
      ['s3-endpoint-guard-test[bot]', 7],
      ['s3-endpoint-guard-test[bot]', 8],
    ]);
  });
});

describe('the app over HTTP', () => {
  it('answers a signed delivery with 200 while the evaluation is still running; refuses a bad signature', async () => {
    const gate = deferred<void>();
    const h = await harness(
      async (_client, target) => {
        await gate.promise;
        return evaluated(target);
      },
      {},
      false,
    );
    const middleware = await createNodeMiddleware(h.guard.app, { probot: h.probot });
    const server = createServer((request, response) => {
      void middleware(request, response, () => response.writeHead(404).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    nock.enableNetConnect('127.0.0.1');
    try {
      const { port } = server.address() as AddressInfo;
      const body = JSON.stringify(example('opened'));
      const post = (secret: string) =>
        fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-github-event': 'pull_request',
            'x-github-delivery': `d-${secret}`,
            'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
          },
          body,
        });
      const started = Date.now();
      const response = await post('test');
      expect(response.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(h.started).toHaveLength(1);
      expect(h.runs).toHaveLength(1); // running, held by the gate
      const forged = await post('not-the-secret');
      expect(forged.status).toBeGreaterThanOrEqual(400);
      expect(h.started).toHaveLength(1);
      gate.resolve();
      await h.guard.idle();
    } finally {
      nock.disableNetConnect();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('createGuardApp (the real GitHub layer, as `probot run` loads it)', () => {
  it('completes the check run of a pull request without infrastructure as success, and comments nothing', async () => {
    const { createGuardApp } = await import('../../src/app/index.js');
    const payload = withHead(example('opened'), 'f'.repeat(40), 'opened');
    const repo = '/repos/Codertocat/Hello-World';
    const checkRuns: unknown[] = [];
    const unmatched: string[] = [];
    const noMatch = (request: { method?: string; path?: string }) =>
      unmatched.push(`${request.method} ${request.path}`);
    nock.emitter.on('no match', noMatch);
    nock(API)
      .post('/app/installations/42/access_tokens')
      .reply(201, { token: 'ghs_installation', expires_at: '2099-01-01T00:00:00Z' });
    nock(API)
      .post(`${repo}/check-runs`, (body) => checkRuns.push(body) > 0)
      .reply(201, { id: 555 });
    for (const where of [repo, '/repos/Codertocat/.github']) {
      for (const name of ['.github/s3-endpoint-guard.yml', '.github/s3-endpoint-guard.yaml']) {
        nock(API)
          .get(`${where}/contents/${encodeURIComponent(name)}`)
          .query(true)
          .reply(404, { message: 'Not Found' });
      }
    }
    // Where the branch left its base (the PR is compared with it, as GitHub's diff is).
    nock(API)
      .get(`${repo}/compare/${payload.pull_request.base.sha}...${payload.pull_request.head.sha}`)
      .query(true)
      .reply(200, { merge_base_commit: { sha: payload.pull_request.base.sha } });
    nock(API)
      .get(`${repo}/pulls/${payload.pull_request.number}/files`)
      .query(true)
      .reply(200, [
        { sha: '1'.repeat(40), filename: 'docs/a.md', status: 'added', patch: '@@ -0,0 +1 @@\n+x' },
      ]);
    nock(API)
      .post('/graphql')
      .reply(200, {
        data: {
          repository: {
            pullRequest: {
              reviewThreads: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] },
            },
          },
        },
      });
    nock(API)
      .get(`${repo}/issues/${payload.pull_request.number}/comments`)
      .query(true)
      .reply(200, []);
    nock(API)
      .patch(`${repo}/check-runs/555`, (body) => checkRuns.push(body) > 0)
      .reply(200, { id: 555 });

    const guard = createGuardApp({ botLogin: 'guard[bot]' });
    const probot = new Probot({
      appId: 1,
      privateKey,
      secret: 'test',
      logLevel: 'fatal',
      Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }),
    });
    await probot.load(guard.app);
    await probot.receive({ id: 'real-1', name: 'pull_request', payload: payload as never });
    await guard.idle();
    nock.emitter.removeListener('no match', noMatch);
    expect(unmatched).toEqual([]);
    expect(checkRuns).toMatchObject([
      { name: 'S3 endpoint guard', head_sha: 'f'.repeat(40), status: 'in_progress' },
      { status: 'completed', conclusion: 'success' },
    ]);
  });
});
