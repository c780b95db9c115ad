/**
 * The fake GitHub's issue 6 additions: collaborator permissions, team memberships, reactions,
 * listing pull requests (all, and by commit), compare with files, comments edited and deleted,
 * issues that are not pull requests, and the webhook payloads of comments, check runs, check
 * suites and merge groups, delivered through Probot.
 */
import { Octokit, type RestEndpointMethodTypes } from '@octokit/rest';
import { RequestError } from '@octokit/request-error';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeGitHub, interceptGitHub } from './index.js';
import { startProbot } from './probot.js';

const OWNER = 'acme';
const REPO = 'infra';
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

function appJwt(appId: number): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iss: appId })}.signature`;
}

async function installationClient(fake: FakeGitHub): Promise<Octokit> {
  const app = new Octokit({ auth: appJwt(fake.appId), log: quiet });
  const { data } = await app.request('POST /app/installations/{installation_id}/access_tokens', {
    installation_id: fake.installationId(OWNER, REPO),
  });
  return new Octokit({ auth: data.token, log: quiet });
}

/** The status of a request that fails (a RequestError), or 0 when it succeeds. */
async function statusOf(request: Promise<unknown>): Promise<number> {
  try {
    await request;
    return 0;
  } catch (error) {
    if (error instanceof RequestError) return error.status;
    throw error;
  }
}

interface Scene {
  base: string;
  head: string;
  number: number;
}

function scene(fake: FakeGitHub): Scene {
  fake.createRepo(OWNER, REPO);
  const base = fake.commit(OWNER, REPO, {
    files: { 'cfn/a.yml': 'a: 1\nb: 2\nc: 3\n', 'README.md': 'hello\n' },
  });
  const head = fake.commit(OWNER, REPO, {
    parent: base,
    branch: 'feature',
    files: { 'cfn/a.yml': 'a: 1\nb: 20\nc: 3\n', 'tf/new.tf': 'x = 1\n' },
  });
  const number = fake.openPullRequest(OWNER, REPO, {
    base: 'main',
    headSha: head,
    headRef: 'feature',
    author: 'dev',
  });
  return { base, head, number };
}

describe('FakeGitHub: commands, permissions, reactions, listings', () => {
  let fake: FakeGitHub;
  let interception: ReturnType<typeof interceptGitHub>;
  let gh: Octokit;
  let ids: Scene;

  beforeEach(async () => {
    fake = new FakeGitHub({ appId: 42 });
    ids = scene(fake);
    interception = interceptGitHub(fake);
    gh = await installationClient(fake);
  });
  afterEach(() => interception.restore());

  it('maps roles to permission levels like GitHub; the owner is admin; strangers are 404', async () => {
    const roles = ['admin', 'maintain', 'write', 'triage', 'read', 'none'] as const;
    for (const role of roles) fake.setPermission(OWNER, REPO, `user-${role}`, role);
    const answers: [string, string, boolean, boolean][] = [];
    for (const login of [OWNER, ...roles.map((role) => `user-${role}`)]) {
      const { data } = await gh.rest.repos.getCollaboratorPermissionLevel({
        owner: OWNER,
        repo: REPO,
        username: login,
      });
      expect(data.user?.login).toBe(login);
      answers.push([
        data.permission,
        data.role_name,
        data.user?.permissions?.push ?? false,
        data.user?.permissions?.maintain ?? false,
      ]);
    }
    expect(answers).toEqual([
      ['admin', 'admin', true, true],
      ['admin', 'admin', true, true],
      ['write', 'maintain', true, true],
      ['write', 'write', true, false],
      ['read', 'triage', false, false],
      ['read', 'read', false, false],
      ['none', 'none', false, false],
    ]);
    expect(
      await statusOf(
        gh.rest.repos.getCollaboratorPermissionLevel({
          owner: OWNER,
          repo: REPO,
          username: 'stranger',
        }),
      ),
    ).toBe(404);
    expect(fake.violations).toEqual([]);
  });

  it('answers team memberships: active, pending, 404 for others, 403 without members: read', async () => {
    fake.addTeam('acme', 'security', [
      'alice',
      { login: 'bob', state: 'pending' },
      { login: 'carol', role: 'maintainer' },
    ]);
    const membership = async (
      team: string,
      login: string,
    ): Promise<RestEndpointMethodTypes['teams']['getMembershipForUserInOrg']['response']['data']> =>
      (
        await gh.rest.teams.getMembershipForUserInOrg({
          org: 'acme',
          team_slug: team,
          username: login,
        })
      ).data;
    const alice = await membership('security', 'alice');
    expect([alice.state, alice.role]).toEqual(['active', 'member']);
    expect(alice.url).toMatch(
      /^https:\/\/api\.github\.com\/organizations\/\d+\/team\/\d+\/memberships\/alice$/,
    );
    const bob = await membership('security', 'BOB');
    expect([bob.state, bob.role]).toEqual(['pending', 'member']);
    const carol = await membership('security', 'carol');
    expect([carol.state, carol.role]).toEqual(['active', 'maintainer']);
    expect(await statusOf(membership('security', 'dave'))).toBe(404);
    expect(await statusOf(membership('nobody', 'alice'))).toBe(404);
    fake.denyOrgMembers = true;
    expect(await statusOf(membership('security', 'alice'))).toBe(403);
    expect(fake.violations).toEqual([]);
  });

  it('adds reactions once per user and content (201, then 200), in order', async () => {
    const commentId = fake.addIssueComment(OWNER, REPO, ids.number, 'dev', '/s3-guard recheck');
    const react = (content: 'rocket' | 'eyes') =>
      gh.rest.reactions.createForIssueComment({
        owner: OWNER,
        repo: REPO,
        comment_id: commentId,
        content,
      });
    const first = await react('eyes');
    const second = await react('rocket');
    const again = await react('eyes');
    expect([first.status, second.status, again.status]).toEqual([201, 201, 200]);
    expect(again.data.id).toBe(first.data.id);
    expect(first.data.user?.login).toBe(fake.botLogin);
    expect(first.data.content).toBe('eyes');
    expect(fake.reactions(OWNER, REPO, commentId)).toEqual([
      { content: 'eyes', user: fake.botLogin },
      { content: 'rocket', user: fake.botLogin },
    ]);
    expect(
      await statusOf(
        gh.rest.reactions.createForIssueComment({
          owner: OWNER,
          repo: REPO,
          comment_id: 999_999,
          content: 'rocket',
        }),
      ),
    ).toBe(404);
    // An unknown reaction is not something GitHub accepts.
    await statusOf(
      gh.request('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', {
        owner: OWNER,
        repo: REPO,
        comment_id: commentId,
        content: 'thumbsup',
      } as never),
    );
    expect(fake.violations).toHaveLength(1);
    expect(fake.violations[0]).toMatch(
      /reactions\/create-for-issue-comment\): body\/content must be equal to one of the allowed values/,
    );
  });

  it('lists pull requests with filters, ordering and Link paging', async () => {
    const numbers = [ids.number];
    for (let index = 0; index < 4; index++) {
      const head = fake.commit(OWNER, REPO, {
        parent: ids.base,
        branch: `b${index}`,
        files: { [`f${index}.txt`]: `${index}\n` },
      });
      numbers.push(
        fake.openPullRequest(OWNER, REPO, {
          base: 'main',
          headSha: head,
          headRef: `b${index}`,
          ...(index === 3 ? { fork: { owner: 'forker', repo: REPO } } : {}),
        }),
      );
    }
    const firstPage = await gh.rest.pulls.list({ owner: OWNER, repo: REPO, per_page: 2 });
    expect(firstPage.data.map((pull) => pull.number)).toEqual([5, 4]);
    expect(firstPage.headers.link).toBe(
      [
        `<https://api.github.com/repos/${OWNER}/${REPO}/pulls?per_page=2&page=2>; rel="next"`,
        `<https://api.github.com/repos/${OWNER}/${REPO}/pulls?per_page=2&page=3>; rel="last"`,
      ].join(', '),
    );
    const all = await gh.paginate(gh.rest.pulls.list, {
      owner: OWNER,
      repo: REPO,
      per_page: 2,
      direction: 'asc',
    });
    expect(all.map((pull) => pull.number)).toEqual(numbers);
    expect(all[0]?.head.sha).toBe(ids.head);
    const byHead = await gh.rest.pulls.list({ owner: OWNER, repo: REPO, head: `${OWNER}:b1` });
    expect(byHead.data.map((pull) => pull.number)).toEqual([3]);
    const fromFork = await gh.rest.pulls.list({ owner: OWNER, repo: REPO, head: 'forker' });
    expect(fromFork.data.map((pull) => pull.number)).toEqual([5]);
    const otherBase = await gh.rest.pulls.list({ owner: OWNER, repo: REPO, base: 'develop' });
    expect(otherBase.data).toEqual([]);
    const closed = await gh.rest.pulls.list({ owner: OWNER, repo: REPO, state: 'closed' });
    expect(closed.data).toEqual([]);
    expect(fake.violations).toEqual([]);
  });

  it('lists the open pull requests whose head is a commit', async () => {
    const { data } = await gh.rest.repos.listPullRequestsAssociatedWithCommit({
      owner: OWNER,
      repo: REPO,
      commit_sha: ids.head,
    });
    expect(data.map((pull) => [pull.number, pull.head.sha, pull.base.ref])).toEqual([
      [ids.number, ids.head, 'main'],
    ]);
    const none = await gh.rest.repos.listPullRequestsAssociatedWithCommit({
      owner: OWNER,
      repo: REPO,
      commit_sha: ids.base,
    });
    expect(none.data).toEqual([]);
    expect(
      await statusOf(
        gh.rest.repos.listPullRequestsAssociatedWithCommit({
          owner: OWNER,
          repo: REPO,
          commit_sha: 'f'.repeat(40),
        }),
      ),
    ).toBe(422);
    expect(fake.violations).toEqual([]);
  });

  it('compares two commits with files, patches, merge base and counts', async () => {
    // The base moves on after the branch: diverged, one behind, one ahead.
    const moved = fake.commit(OWNER, REPO, { files: { 'README.md': 'hello again\n' } });
    const { data } = await gh.rest.repos.compareCommitsWithBasehead({
      owner: OWNER,
      repo: REPO,
      basehead: `${moved}...${ids.head}`,
    });
    expect(data.status).toBe('diverged');
    expect([data.ahead_by, data.behind_by, data.total_commits]).toEqual([1, 1, 1]);
    expect(data.merge_base_commit.sha).toBe(ids.base);
    expect(data.base_commit.sha).toBe(moved);
    expect(data.commits.map((commit) => [commit.sha, commit.parents.map((p) => p.sha)])).toEqual([
      [ids.head, [ids.base]],
    ]);
    expect(
      (data.files ?? []).map((file) => [file.filename, file.status, file.additions, file.patch]),
    ).toEqual([
      ['cfn/a.yml', 'modified', 1, '@@ -1,3 +1,3 @@\n a: 1\n-b: 2\n+b: 20\n c: 3'],
      ['tf/new.tf', 'added', 1, '@@ -0,0 +1 @@\n+x = 1'],
    ]);
    const ahead = await gh.rest.repos.compareCommitsWithBasehead({
      owner: OWNER,
      repo: REPO,
      basehead: `${ids.base}...${ids.head}`,
    });
    expect([ahead.data.status, ahead.data.ahead_by, ahead.data.behind_by]).toEqual(['ahead', 1, 0]);
    const same = await gh.rest.repos.compareCommitsWithBasehead({
      owner: OWNER,
      repo: REPO,
      basehead: `${ids.head}...${ids.head}`,
    });
    expect([same.data.status, same.data.files]).toEqual(['identical', []]);
    // Branch names work as on GitHub.
    const byBranch = await gh.rest.repos.compareCommitsWithBasehead({
      owner: OWNER,
      repo: REPO,
      basehead: 'main...feature',
    });
    expect([byBranch.data.base_commit.sha, byBranch.data.merge_base_commit.sha]).toEqual([
      moved,
      ids.base,
    ]);
    expect(
      await statusOf(
        gh.rest.repos.compareCommitsWithBasehead({
          owner: OWNER,
          repo: REPO,
          basehead: 'main...nope',
        }),
      ),
    ).toBe(404);
    expect(fake.violations).toEqual([]);
  });

  it('caps compare at 300 files', async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 320; index++) files[`cfn/t${index}.yml`] = `n: ${index}\n`;
    const head = fake.commit(OWNER, REPO, { parent: ids.base, branch: 'many', files });
    const { data } = await gh.rest.repos.compareCommitsWithBasehead({
      owner: OWNER,
      repo: REPO,
      basehead: `${ids.base}...${head}`,
    });
    expect(data.files?.length).toBe(300);
    expect(fake.violations).toEqual([]);
  });

  it('lists comments with user type, times and the app; edits move updated_at; deletes remove', async () => {
    const human = fake.addIssueComment(OWNER, REPO, ids.number, 'dev', 'first');
    const bot = fake.addIssueComment(OWNER, REPO, ids.number, 'other-bot', 'beep', { type: 'Bot' });
    const { data: mine } = await gh.rest.issues.createComment({
      owner: OWNER,
      repo: REPO,
      issue_number: ids.number,
      body: 'summary',
    });
    fake.editIssueComment(OWNER, REPO, human, 'first, edited');
    const gone = fake.addIssueComment(OWNER, REPO, ids.number, 'dev', 'oops');
    fake.deleteIssueComment(OWNER, REPO, gone);
    const { data } = await gh.rest.issues.listComments({
      owner: OWNER,
      repo: REPO,
      issue_number: ids.number,
    });
    expect(
      data.map((comment) => [
        comment.id,
        comment.user?.login,
        comment.user?.type,
        comment.body,
        comment.created_at === comment.updated_at,
        comment.performed_via_github_app?.slug ?? null,
      ]),
    ).toEqual([
      [human, 'dev', 'User', 'first, edited', false, null],
      [bot, 'other-bot', 'Bot', 'beep', true, null],
      [mine.id, fake.botLogin, 'Bot', 'summary', true, fake.appSlug],
    ]);
    expect(fake.issueComments(OWNER, REPO, ids.number).map((c) => c.edits)).toEqual([1, 0, 0]);
    expect(fake.violations).toEqual([]);
  });

  it('opens issues that share the pull requests numbering and take comments', async () => {
    const issue = fake.openIssue(OWNER, REPO, { title: 'Question', author: 'asker' });
    expect(issue).toBe(ids.number + 1);
    const next = fake.openPullRequest(OWNER, REPO, { base: 'main', headSha: ids.head });
    expect(next).toBe(issue + 1);
    const id = fake.addIssueComment(OWNER, REPO, issue, 'asker', '/s3-guard help');
    const { data } = await gh.rest.issues.listComments({
      owner: OWNER,
      repo: REPO,
      issue_number: issue,
    });
    expect(data.map((comment) => [comment.id, comment.html_url])).toEqual([
      [id, `https://github.com/${OWNER}/${REPO}/issues/${issue}#issuecomment-${id}`],
    ]);
    expect(
      await statusOf(gh.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: issue })),
    ).toBe(404);
    expect(fake.violations).toEqual([]);
  });

  it('stores check run actions and answers with the suite and same-repository pull requests', async () => {
    const actions = [{ label: 'Re-evaluate', identifier: 're-evaluate', description: 'Again' }];
    const { data } = await gh.rest.checks.create({
      owner: OWNER,
      repo: REPO,
      name: 'S3 endpoint guard',
      head_sha: ids.head,
      status: 'completed',
      conclusion: 'success',
      actions,
    });
    expect(fake.checkRuns(OWNER, REPO)[0]?.actions).toEqual(actions);
    const suite = fake.checkSuitePayload(OWNER, REPO, ids.head, 'completed') as {
      check_suite: { id: number; status: string; conclusion: string };
    };
    expect(data.check_suite?.id).toBe(suite.check_suite.id);
    expect([suite.check_suite.status, suite.check_suite.conclusion]).toEqual([
      'completed',
      'success',
    ]);
    expect(data.pull_requests.map((pull) => [pull.number, pull.head.sha, pull.base.ref])).toEqual([
      [ids.number, ids.head, 'main'],
    ]);
    expect((data as { actions?: unknown }).actions).toEqual(actions);
    expect(fake.violations).toEqual([]);
  });
});

describe('FakeGitHub: webhook payloads, delivered through Probot', () => {
  let fake: FakeGitHub;
  let interception: ReturnType<typeof interceptGitHub>;
  let ids: Scene;

  beforeEach(() => {
    fake = new FakeGitHub({ appId: 42 });
    ids = scene(fake);
    interception = interceptGitHub(fake);
  });
  afterEach(() => interception.restore());

  /** Delivers through Probot (which verifies nothing about the shape) and returns what a handler saw. */
  async function deliver(
    name: string,
    payload: Record<string, unknown>,
  ): Promise<{ name: string; payload: Record<string, unknown>; repo: string }[]> {
    const seen: { name: string; payload: Record<string, unknown>; repo: string }[] = [];
    const harness = await startProbot(fake, (app) => {
      app.onAny((context) => {
        const repo = context.payload as { repository?: { full_name?: string } };
        seen.push({
          name: context.name,
          payload: context.payload as Record<string, unknown>,
          repo: repo.repository?.full_name ?? '',
        });
      });
    });
    await harness.receive(name, payload);
    return seen;
  }

  it('builds issue_comment payloads for pull requests (created, edited, deleted) and issues', async () => {
    const id = fake.addIssueComment(OWNER, REPO, ids.number, 'maintainer', '/s3-guard recheck');
    const created = fake.issueCommentPayload(OWNER, REPO, ids.number, id);
    const [seen] = await deliver('issue_comment', created);
    expect(seen?.name).toBe('issue_comment');
    expect(seen?.repo).toBe(`${OWNER}/${REPO}`);
    const payload = created as {
      action: string;
      issue: { number: number; pull_request?: { url: string }; user: { login: string } };
      comment: { id: number; body: string; user: { login: string; type: string } };
      sender: { login: string };
      installation: { id: number };
      repository: { id: number; default_branch: string };
    };
    expect(payload.action).toBe('created');
    expect(payload.issue.number).toBe(ids.number);
    expect(payload.issue.user.login).toBe('dev');
    expect(payload.issue.pull_request?.url).toBe(
      `https://api.github.com/repos/${OWNER}/${REPO}/pulls/${ids.number}`,
    );
    expect([payload.comment.id, payload.comment.body, payload.comment.user.type]).toEqual([
      id,
      '/s3-guard recheck',
      'User',
    ]);
    expect(payload.sender.login).toBe('maintainer');
    expect(payload.installation.id).toBe(fake.installationId(OWNER, REPO));
    expect(payload.repository.default_branch).toBe('main');

    fake.editIssueComment(OWNER, REPO, id, '/s3-guard help');
    const edited = fake.issueCommentPayload(OWNER, REPO, ids.number, id, 'edited') as {
      action: string;
      changes: { body: { from: string } };
      comment: { body: string; created_at: string; updated_at: string };
    };
    expect(edited.action).toBe('edited');
    expect(edited.changes).toEqual({ body: { from: '/s3-guard recheck' } });
    expect(edited.comment.body).toBe('/s3-guard help');
    expect(edited.comment.updated_at > edited.comment.created_at).toBe(true);

    fake.deleteIssueComment(OWNER, REPO, id);
    const deleted = fake.issueCommentPayload(OWNER, REPO, ids.number, id, 'deleted') as {
      action: string;
      comment: { id: number };
    };
    expect([deleted.action, deleted.comment.id]).toEqual(['deleted', id]);
    expect(fake.issueComments(OWNER, REPO, ids.number)).toEqual([]);

    const issue = fake.openIssue(OWNER, REPO, { author: 'asker' });
    const onIssue = fake.addIssueComment(OWNER, REPO, issue, 'bot[bot]', 'hi');
    const issuePayload = fake.issueCommentOnIssuePayload(OWNER, REPO, issue, onIssue) as {
      issue: Record<string, unknown>;
      sender: { login: string; type: string };
    };
    expect('pull_request' in issuePayload.issue).toBe(false);
    expect(issuePayload.sender).toMatchObject({ login: 'bot[bot]', type: 'Bot' });
    expect(() => fake.issueCommentOnIssuePayload(OWNER, REPO, ids.number, onIssue)).toThrow(
      /is a pull request/,
    );
    expect(fake.violations).toEqual([]);
  });

  it('builds check_run payloads whose run, suite and pull requests agree with the fake', async () => {
    const gh = await installationClient(fake);
    const { data: run } = await gh.rest.checks.create({
      owner: OWNER,
      repo: REPO,
      name: 'S3 endpoint guard',
      head_sha: ids.head,
      status: 'completed',
      conclusion: 'failure',
      actions: [{ label: 'Re-evaluate', identifier: 're-evaluate', description: 'Again' }],
    });
    const payload = fake.checkRunPayload(OWNER, REPO, run.id, 'requested_action', {
      identifier: 're-evaluate',
      sender: 'maintainer',
    }) as {
      action: string;
      check_run: {
        id: number;
        head_sha: string;
        name: string;
        conclusion: string;
        app: { id: number };
        pull_requests: { number: number }[];
        check_suite: {
          id: number;
          head_sha: string;
          head_branch: string;
          pull_requests: { number: number }[];
        };
      };
      requested_action: { identifier: string };
      sender: { login: string };
      installation: { id: number };
    };
    const [seen] = await deliver('check_run', payload as unknown as Record<string, unknown>);
    expect(seen?.name).toBe('check_run');
    expect(payload.action).toBe('requested_action');
    expect(payload.requested_action).toEqual({ identifier: 're-evaluate' });
    expect([payload.check_run.id, payload.check_run.head_sha, payload.check_run.name]).toEqual([
      run.id,
      ids.head,
      'S3 endpoint guard',
    ]);
    expect(payload.check_run.conclusion).toBe('failure');
    expect(payload.check_run.app.id).toBe(42);
    expect(payload.check_run.pull_requests.map((pull) => pull.number)).toEqual([ids.number]);
    expect(payload.check_run.check_suite.id).toBe(run.check_suite?.id);
    expect(payload.check_run.check_suite.head_sha).toBe(ids.head);
    expect(payload.check_run.check_suite.head_branch).toBe('feature');
    expect(payload.check_run.check_suite.pull_requests.map((pull) => pull.number)).toEqual([
      ids.number,
    ]);
    expect(payload.sender.login).toBe('maintainer');
    expect(payload.installation.id).toBe(fake.installationId(OWNER, REPO));

    const rerun = fake.checkRunPayload(OWNER, REPO, run.id, 'rerequested');
    expect('requested_action' in rerun).toBe(false);
    expect((rerun.sender as { login: string }).login).toBe(OWNER);
    expect(() => fake.checkRunPayload(OWNER, REPO, run.id, 'requested_action')).toThrow(
      /identifier/,
    );
  });

  it('leaves pull_requests empty for a pull request from a fork', async () => {
    const forkHead = fake.commit(OWNER, REPO, {
      parent: ids.base,
      files: { 'cfn/a.yml': 'a: 2\n' },
    });
    fake.openPullRequest(OWNER, REPO, {
      base: 'main',
      headSha: forkHead,
      fork: { owner: 'forker', repo: REPO },
    });
    const gh = await installationClient(fake);
    const { data: run } = await gh.rest.checks.create({
      owner: OWNER,
      repo: REPO,
      name: 'S3 endpoint guard',
      head_sha: forkHead,
    });
    expect(run.pull_requests).toEqual([]);
    const payload = fake.checkRunPayload(OWNER, REPO, run.id, 'rerequested') as {
      check_run: { pull_requests: unknown[]; check_suite: { pull_requests: unknown[] } };
    };
    expect(payload.check_run.pull_requests).toEqual([]);
    expect(payload.check_run.check_suite.pull_requests).toEqual([]);
    const suite = fake.checkSuitePayload(OWNER, REPO, forkHead, 'rerequested') as {
      check_suite: { pull_requests: unknown[]; latest_check_runs_count: number };
    };
    expect(suite.check_suite.pull_requests).toEqual([]);
    expect(suite.check_suite.latest_check_runs_count).toBe(1);
  });

  it('builds check_suite payloads for a commit', async () => {
    const payload = fake.checkSuitePayload(OWNER, REPO, ids.head, 'rerequested', {
      sender: 'maintainer',
    }) as {
      action: string;
      check_suite: {
        head_sha: string;
        head_branch: string;
        before: string;
        after: string;
        status: string;
        pull_requests: { number: number; head: { sha: string } }[];
        head_commit: { id: string };
        latest_check_runs_count: number;
      };
      sender: { login: string };
    };
    const [seen] = await deliver('check_suite', payload as unknown as Record<string, unknown>);
    expect(seen?.name).toBe('check_suite');
    expect(payload.action).toBe('rerequested');
    expect(payload.check_suite).toMatchObject({
      head_sha: ids.head,
      head_branch: 'feature',
      before: ids.base,
      after: ids.head,
      status: 'queued',
      latest_check_runs_count: 0,
      head_commit: { id: ids.head },
    });
    expect(payload.check_suite.pull_requests.map((pull) => [pull.number, pull.head.sha])).toEqual([
      [ids.number, ids.head],
    ]);
    expect(payload.sender.login).toBe('maintainer');
  });

  it('creates merge groups (base plus the pull request) and their payloads', async () => {
    // The base moved since the branch: the group's tree has both changes.
    const moved = fake.commit(OWNER, REPO, { files: { 'README.md': 'hello again\n' } });
    const group = fake.createMergeGroup(OWNER, REPO, { base: 'main', pullNumber: ids.number });
    const branch = `gh-readonly-queue/main/pr-${ids.number}-${ids.head}`;
    expect(group).toEqual({
      headSha: fake.branchSha(OWNER, REPO, branch),
      baseSha: moved,
      headRef: `refs/heads/${branch}`,
      baseRef: 'refs/heads/main',
    });
    const payload = fake.mergeGroupPayload(OWNER, REPO, group) as {
      action: string;
      merge_group: {
        head_sha: string;
        head_ref: string;
        base_sha: string;
        base_ref: string;
        head_commit: { id: string; message: string };
      };
      installation: { id: number };
    };
    const [seen] = await deliver('merge_group', payload as unknown as Record<string, unknown>);
    expect(seen?.name).toBe('merge_group');
    expect(payload.action).toBe('checks_requested');
    expect(payload.merge_group).toMatchObject({
      head_sha: group.headSha,
      head_ref: `refs/heads/${branch}`,
      base_sha: moved,
      base_ref: 'refs/heads/main',
      head_commit: { id: group.headSha },
    });
    expect(payload.installation.id).toBe(fake.installationId(OWNER, REPO));

    const gh = await installationClient(fake);
    const { data } = await gh.rest.repos.compareCommitsWithBasehead({
      owner: OWNER,
      repo: REPO,
      basehead: `${group.baseSha}...${group.headSha}`,
    });
    expect([data.status, data.ahead_by, data.behind_by]).toEqual(['ahead', 1, 0]);
    expect((data.files ?? []).map((file) => [file.filename, file.status])).toEqual([
      ['cfn/a.yml', 'modified'],
      ['tf/new.tf', 'added'],
    ]);
    const { data: readme } = await gh.rest.repos.getContent({
      owner: OWNER,
      repo: REPO,
      path: 'README.md',
      ref: group.headSha,
      mediaType: { format: 'raw' },
    });
    expect(readme).toBe('hello again\n');
    expect(fake.violations).toEqual([]);
  });
});
