/**
 * `s3-endpoint-guard pr`: arguments, token and API URL from the environment, the target read
 * from GitHub (nock), the bot login from GET /user, dry run unless --post, the output formats
 * and the exit codes. The evaluation itself is stubbed here (the GitHub layer has its own tests).
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parsePrArguments, PR_HELP, runPr } from '../../src/cli/pr.js';
import type { PrDependencies, PrRunPullRequest } from '../../src/cli/pr.js';
import type { Evaluation, Publication, PullRequestTarget } from '../../src/github/types.js';
import { vpcWithS3Endpoint } from '../github/templates.js';

const API = 'https://api.github.com';

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});
afterAll(() => nock.enableNetConnect());

const PULL = {
  number: 12,
  state: 'open',
  user: { login: 'octocat' },
  head: {
    sha: 'a'.repeat(40),
    ref: 'feature',
    repo: { name: 'infra', owner: { login: 'Acme' } },
  },
  base: {
    sha: 'b'.repeat(40),
    ref: 'main',
    repo: { name: 'infra', owner: { login: 'Acme' }, default_branch: 'trunk' },
  },
};

function publication(conclusion: Publication['check']['conclusion']): Publication {
  return {
    headSha: 'a'.repeat(40),
    check: { conclusion, title: `t-${conclusion}`, summary: 's', annotations: [] },
    resolve: [],
    commentsOverBudget: 0,
  };
}

interface Run {
  target: PullRequestTarget;
  options: Parameters<PrRunPullRequest>[2];
}

async function pr(
  argv: string[],
  options: {
    env?: Record<string, string | undefined>;
    conclusion?: Publication['check']['conclusion'];
    evaluation?: (target: PullRequestTarget) => Evaluation;
  } = {},
) {
  let stdout = '';
  let stderr = '';
  const runs: Run[] = [];
  const dependencies: PrDependencies = {
    runPullRequest: async (_client, target, runOptions) => {
      runs.push({ target, options: runOptions });
      runOptions.log?.('evaluating');
      const evaluation: Evaluation = options.evaluation?.(target) ?? {
        kind: 'no-infrastructure',
        target,
        config: {} as never,
        changedFiles: 1,
        skipped: [],
      };
      return { evaluation, publication: publication(options.conclusion ?? 'success') };
    },
    formatPublication: (p, target) =>
      `# ${target.owner}/${target.repo}#${target.number}: ${p.check.title}`,
  };
  const code = await runPr(
    argv,
    {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: options.env ?? { GITHUB_TOKEN: 'ghp_test' },
    },
    dependencies,
  );
  return { code, stdout, stderr, runs };
}

function github(
  base = API,
  pull: unknown = PULL,
  user: { status: number; body: unknown } = { status: 200, body: { login: 'robot' } },
) {
  nock(base)
    .get('/repos/acme/infra/pulls/12')
    .matchHeader('authorization', 'token ghp_test')
    .reply(200, pull as nock.Body);
  nock(base)
    .get('/user')
    .reply(user.status, user.body as nock.Body);
}

describe('s3-endpoint-guard pr', () => {
  it('reads the pull request, evaluates it as a dry run and prints the Markdown', async () => {
    github();
    const result = await pr(['acme/infra#12']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('# Acme/infra#12: t-success\n');
    expect(result.stderr).toBe('evaluating\n');
    expect(result.runs).toHaveLength(1);
    expect(result.runs[0]!.target).toEqual({
      owner: 'Acme',
      repo: 'infra',
      number: 12,
      headSha: 'a'.repeat(40),
      baseSha: 'b'.repeat(40),
      baseRef: 'main',
      defaultBranch: 'trunk',
      author: 'octocat',
    });
    expect(result.runs[0]!.options).toMatchObject({ botLogin: 'robot', dryRun: true });
    expect(result.runs[0]!.options.docsBaseUri).toMatch(/\/blob\/main\/$/);
  });

  it('--post publishes; --format json prints the Publication; a failing check exits 1', async () => {
    github();
    const result = await pr(
      ['--post', '--format', 'json', 'https://github.com/acme/infra/pull/12'],
      {
        conclusion: 'failure',
      },
    );
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual(publication('failure'));
    expect(result.runs[0]!.options.dryRun).toBe(false);
    expect(result.stderr).toContain('published to acme/infra#12 as robot');
  });

  it('marks forks, uses GH_TOKEN and GITHUB_API_URL (GitHub Enterprise Server)', async () => {
    const ghes = 'https://ghes.example.com';
    const fork = {
      ...PULL,
      head: { ...PULL.head, repo: { name: 'infra', owner: { login: 'mallory' } } },
    };
    nock(ghes).get('/api/v3/repos/acme/infra/pulls/12').reply(200, fork);
    nock(ghes).get('/api/v3/user').reply(200, { login: 'ci-user' });
    const result = await pr(['acme/infra#12'], {
      env: { GH_TOKEN: 'ghp_other', GITHUB_API_URL: `${ghes}/api/v3/` },
    });
    expect(result.code).toBe(0);
    expect(result.runs[0]!.target.fork).toEqual({ owner: 'mallory', repo: 'infra' });
    expect(result.runs[0]!.options.botLogin).toBe('ci-user');
  });

  it("GitHub Actions' token cannot call GET /user: its comments are github-actions[bot]'s", async () => {
    github(API, PULL, { status: 403, body: { message: 'Resource not accessible by integration' } });
    const result = await pr(['acme/infra#12'], {
      env: { GITHUB_TOKEN: 'ghp_test', GITHUB_ACTIONS: 'true' },
    });
    expect(result.runs[0]!.options.botLogin).toBe('github-actions[bot]');
    github(API, PULL, { status: 403, body: { message: 'Forbidden' } });
    const outside = await pr(['acme/infra#12']);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/cannot tell whose token this is/);
  });

  it('an invalid configuration or an evaluation error exits 2 (after printing the check)', async () => {
    github();
    const invalid = await pr(['acme/infra#12'], {
      conclusion: 'failure',
      evaluation: (target) => ({
        kind: 'config-error',
        target,
        file: 'Acme/infra:.github/s3-endpoint-guard.yml',
        errors: [],
      }),
    });
    expect(invalid.code).toBe(2);
    expect(invalid.stdout).toContain('t-failure');
    expect(invalid.stderr).toContain(
      "the repository's configuration (Acme/infra:.github/s3-endpoint-guard.yml) is invalid",
    );
    github();
    const broken = await pr(['acme/infra#12'], {
      conclusion: 'neutral',
      evaluation: (target) => ({
        kind: 'error',
        target,
        message: 'GitHub said 500',
        onError: 'neutral',
      }),
    });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('could not evaluate acme/infra#12: GitHub said 500');
  });

  it('explains a missing pull request or a refused token', async () => {
    nock(API).get('/repos/acme/infra/pulls/12').reply(404, { message: 'Not Found' });
    const missing = await pr(['acme/infra#12']);
    expect(missing).toMatchObject({ code: 2, runs: [] });
    expect(missing.stderr).toContain('acme/infra#12 was not found, or the token cannot read it');
    nock(API).get('/repos/acme/infra/pulls/12').reply(401, { message: 'Bad credentials' });
    expect((await pr(['acme/infra#12'])).stderr).toContain('the token was refused (401)');
  });

  it('usage errors exit 2 without a request', async () => {
    for (const argv of [
      [],
      ['acme/infra'],
      ['acme/infra#0'],
      ['a#1', 'b#2'],
      ['acme/infra#1', '--format', 'sarif'],
      ['--bogus'],
    ]) {
      const result = await pr(argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^s3-endpoint-guard pr: .*\nRun "s3-endpoint-guard pr --help"/);
    }
    const noToken = await pr(['acme/infra#12'], { env: { GITHUB_TOKEN: ' ' } });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('set GITHUB_TOKEN (or GH_TOKEN)');
    expect(await pr(['--help'])).toMatchObject({ code: 0, stdout: PR_HELP });
  });

  it('parses both forms of the pull request', () => {
    expect(parsePrArguments(['o/r.js#7'])).toEqual({
      owner: 'o',
      repo: 'r.js',
      number: 7,
      post: false,
      format: 'markdown',
    });
    expect(parsePrArguments(['https://ghes.example.com/o/r/pull/7/'])).toMatchObject({
      owner: 'o',
      number: 7,
    });
  });
});

describe('s3-endpoint-guard pr through main(), with the real GitHub layer', () => {
  it('a dry run of a pull request without infrastructure changes: reads only, exits 0', async () => {
    github();
    const contents = (repo: string, name: string) =>
      nock(API)
        .get(`/repos/${repo}/contents/${encodeURIComponent(name)}`)
        .query(true)
        .reply(404, { message: 'Not Found' });
    for (const repo of ['Acme/infra', 'Acme/.github']) {
      contents(repo, '.github/s3-endpoint-guard.yml');
      contents(repo, '.github/s3-endpoint-guard.yaml');
    }
    nock(API)
      .get(/^\/repos\/Acme\/infra\/compare\/[0-9a-f]{40}\.\.\.[0-9a-f]{40}$/)
      .query({ per_page: '1' })
      .reply(200, { merge_base_commit: { sha: 'b'.repeat(40) } });
    nock(API)
      .get('/repos/Acme/infra/pulls/12/files')
      .query({ per_page: '100', page: '1' })
      .reply(200, [
        {
          sha: 'c'.repeat(40),
          filename: 'README.md',
          status: 'modified',
          additions: 1,
          deletions: 1,
          changes: 2,
          patch: '@@ -1 +1 @@\n-old\n+new',
        },
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
      .get('/repos/Acme/infra/issues/12/comments')
      .query({ per_page: '100', page: '1' })
      .reply(200, []);
    const { main } = await import('../../src/cli/run.js');
    let stdout = '';
    let stderr = '';
    const code = await main(['pr', 'acme/infra#12'], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      cwd: process.cwd(),
      isTTY: false,
      env: { GITHUB_TOKEN: 'ghp_test' },
    });
    expect({ code, stderr }).toMatchObject({ code: 0 });
    expect(stdout).toContain('S3 endpoint guard');
    expect(stdout).toMatch(/success/);
    expect(stderr).toContain('no-infrastructure');
  });
});

describe('s3-endpoint-guard pr against the fake GitHub', () => {
  const TEMPLATE = vpcWithS3Endpoint();

  it('a dry run with findings reads and never writes; it exits like the check would', async () => {
    const { FakeGitHub, interceptGitHub } = await import('../fake-github/index.js');
    const fake = new FakeGitHub({ userLogin: 'alice' });
    const { restore } = interceptGitHub(fake);
    try {
      fake.createRepo('acme', 'infra');
      fake.commit('acme', 'infra', {
        branch: 'main',
        files: { '.github/s3-endpoint-guard.yml': 'failOn: warning\n', 'README.md': 'hi\n' },
      });
      const head = fake.commit('acme', 'infra', {
        branch: 'change',
        files: { 'cfn/endpoint.yaml': TEMPLATE },
      });
      const number = fake.openPullRequest('acme', 'infra', { base: 'main', headSha: head });
      const { main } = await import('../../src/cli/run.js');
      const run = async (argv: string[]) => {
        let stdout = '';
        let stderr = '';
        const code = await main(argv, {
          stdout: (t) => (stdout += t),
          stderr: (t) => (stderr += t),
          cwd: process.cwd(),
          isTTY: false,
          env: { GITHUB_TOKEN: 'ghp_alice' },
        });
        return { code, stdout, stderr };
      };

      const dry = await run(['pr', `acme/infra#${number}`]);
      expect(dry.code).toBe(1); // failOn: warning from the default branch
      expect(dry.stdout).toContain('endpoint-policy-full-access');
      expect(dry.stdout).toContain('cfn/endpoint.yaml');
      const writes = fake.calls.filter(
        (call) => call.method !== 'GET' && !(call.method === 'POST' && call.path === '/graphql'),
      );
      expect(writes).toEqual([]);
      expect(fake.calls.some((call) => call.path === '/user')).toBe(true);

      const json = await run(['pr', `acme/infra#${number}`, '--format', 'json']);
      expect(JSON.parse(json.stdout)).toMatchObject({
        headSha: head,
        check: { conclusion: 'failure' },
      });

      // Check runs need an app token: with a personal token, --post reports the result as a
      // commit status of the same name, and still posts the review and summary comment.
      const posted = await run(['pr', `acme/infra#${number}`, '--post']);
      expect(posted.code).toBe(1);
      expect(posted.stderr).toContain('reporting a commit status');
      expect(fake.checkRuns('acme', 'infra')).toEqual([]);
      expect(
        fake.commitStatuses('acme', 'infra').map((s) => [s.context, s.state, s.creator]),
      ).toEqual([['S3 endpoint guard', 'failure', 'alice']]);
      expect(fake.reviewThreads('acme', 'infra', number).length).toBeGreaterThan(0);
      expect(fake.issueComments('acme', 'infra', number)).toHaveLength(1);
      expect(fake.violations).toEqual([]);
    } finally {
      restore();
    }
  });
});
