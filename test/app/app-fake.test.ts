/**
 * The real app (`createGuardApp`, as `probot run` loads it) against the fake GitHub, for what
 * the app itself decides: configuration inherited from the organisation's `.github` repository
 * and read from the default branch only (a pull request changing it does not change its own
 * review), and rapid pushes (every check run completed, the newest head evaluated, older ones
 * superseded). Every request is validated by the fake against GitHub's OpenAPI description and
 * GraphQL schema.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGuardApp } from '../../src/app/index.js';
import { FakeGitHub, interceptGitHub } from '../fake-github/index.js';
import { startProbot } from '../fake-github/probot.js';
import type { ProbotHarness } from '../fake-github/probot.js';
import { vpcWithS3Endpoint } from '../github/templates.js';

const OWNER = 'acme';
const REPO = 'infra';
const CONFIG = '.github/s3-endpoint-guard.yml';

let fake: FakeGitHub;
let restore: () => void;
let harness: ProbotHarness;
let guard: ReturnType<typeof createGuardApp>;

beforeEach(async () => {
  fake = new FakeGitHub();
  ({ restore } = interceptGitHub(fake));
  fake.createRepo(OWNER, REPO);
  fake.createRepo(OWNER, '.github');
  guard = createGuardApp();
  harness = await startProbot(fake, guard.app);
});

afterEach(async () => {
  await guard.idle();
  restore();
});

function openPullRequest(files: Record<string, string>): { number: number; head: string } {
  const head = fake.commit(OWNER, REPO, { branch: 'change', files });
  const number = fake.openPullRequest(OWNER, REPO, {
    base: 'main',
    headSha: head,
    headRef: 'change',
  });
  return { number, head };
}

describe('the app against the fake GitHub', () => {
  it("inherits the organisation's config with _extends, from the default branch only", async () => {
    fake.commit(OWNER, '.github', { files: { [CONFIG]: 'failOn: warning\n' } });
    fake.commit(OWNER, REPO, {
      branch: 'main',
      files: { [CONFIG]: '_extends: .github\ncomments:\n  summary: never\n', 'README.md': 'hi\n' },
    });
    // The pull request tries to switch the gate off: it must not apply to its own review.
    const { number } = openPullRequest({
      'cfn/endpoint.yaml': vpcWithS3Endpoint('S3Endpoint'),
      [CONFIG]: 'failOn: never\n',
    });
    await harness.receivePullRequest(fake.pullRequestPayload(OWNER, REPO, number, 'opened'));
    await guard.idle();

    const [check, ...others] = fake.checkRuns(OWNER, REPO);
    expect(others).toEqual([]);
    // failOn: warning (the organisation's) makes the warning block; the PR's `never` is ignored.
    expect(check).toMatchObject({ name: 'S3 endpoint guard', status: 'completed' });
    expect(check?.conclusion).toBe('failure');
    expect(check?.annotations.map((a) => a.path)).toContain('cfn/endpoint.yaml');
    // comments.summary: never (the repository's own key, merged over the base).
    expect(fake.issueComments(OWNER, REPO, number)).toEqual([]);
    const configReads = fake.calls.filter((call) => call.path.includes('/contents/'));
    expect(configReads.map((call) => [call.path, call.query?.ref ?? null])).toEqual([
      [`/repos/${OWNER}/${REPO}/contents/.github%2Fs3-endpoint-guard.yml`, 'main'],
      [`/repos/${OWNER}/.github/contents/.github%2Fs3-endpoint-guard.yml`, null],
    ]);
    expect(fake.calls.filter((call) => call.method === 'GET' && call.path === '/app')).toHaveLength(
      1,
    );
    expect(fake.violations).toEqual([]);
  });

  it('rapid pushes: every check run completed, the newest evaluated, older ones superseded', async () => {
    fake.commit(OWNER, REPO, { branch: 'main', files: { 'README.md': 'hi\n' } });
    const { number } = openPullRequest({ 'cfn/endpoint.yaml': vpcWithS3Endpoint('First') });
    await harness.receivePullRequest(fake.pullRequestPayload(OWNER, REPO, number, 'opened'));
    const heads: string[] = [];
    for (const name of ['Second', 'Third']) {
      const head = fake.commit(OWNER, REPO, {
        branch: 'change',
        files: { 'cfn/endpoint.yaml': vpcWithS3Endpoint(name) },
      });
      heads.push(head);
      fake.pushToPullRequest(OWNER, REPO, number, head);
      await harness.receivePullRequest(fake.pullRequestPayload(OWNER, REPO, number, 'synchronize'));
    }
    await guard.idle();

    const runs = fake.checkRuns(OWNER, REPO);
    expect(runs).toHaveLength(3);
    expect(runs.map((run) => run.status)).toEqual(['completed', 'completed', 'completed']);
    const newest = runs.find((run) => run.head_sha === heads[1]);
    expect(newest?.conclusion).toBe('success'); // a warning does not block by default
    expect(newest?.output.title).not.toMatch(/Superseded/);
    const middle = runs.find((run) => run.head_sha === heads[0]);
    expect(middle).toMatchObject({
      conclusion: 'neutral',
      output: expect.objectContaining({ title: `Superseded by ${heads[1]!.slice(0, 7)}` }),
    });
    // The inline comments are about the newest head's resource only.
    const bodies = fake.reviewThreads(OWNER, REPO, number).map((t) => t.comments[0]?.body ?? '');
    expect(bodies.join('\n')).toContain('Third');
    expect(bodies.join('\n')).not.toContain('Second');
    expect(fake.violations).toEqual([]);
  });
});
