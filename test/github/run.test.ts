/**
 * The whole pipeline for one pull request head (config → fetch → base-vs-head scan → existing
 * state → render → publish) against the fake GitHub, with a real installation token. The app's
 * webhook handling is tested in test/app; here, what one evaluation writes and how the next one
 * builds on it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../fake-github/index.js';
import { fakeRepository } from '../fake-github/probot.js';
import { runPullRequest } from '../../src/github/run.js';
import type { GitHubClient, PullRequestTarget } from '../../src/github/types.js';
import { reportsBehindEndpoint } from './templates.js';
import { pullRequestTarget } from './pull-target.js';

const OWNER = 'acme';
const REPO = 'infra';
const BOT = 's3-endpoint-guard[bot]';
const DOCS = 'https://example.test/s3-endpoint-guard/blob/main/';

const TEMPLATE = reportsBehindEndpoint;

let fake: FakeGitHub;
let restore: () => void;
let client: GitHubClient;

beforeEach(async () => {
  ({ fake, restore, client } = await fakeRepository(OWNER, REPO));
});

afterEach(() => restore());

function targetOf(number: number): PullRequestTarget {
  return pullRequestTarget(fake, OWNER, REPO, number);
}

function openWith(files: Record<string, string>): { number: number; base: string } {
  const base = fake.commit(OWNER, REPO, {
    branch: 'main',
    files: { 'cfn/network.yaml': TEMPLATE(false), 'README.md': 'hello\n' },
  });
  const head = fake.commit(OWNER, REPO, { parent: base, branch: 'change', files });
  const number = fake.openPullRequest(OWNER, REPO, {
    base: 'main',
    headSha: head,
    headRef: 'change',
  });
  return { number, base };
}

describe('runPullRequest', () => {
  it('fails the check on a new blocking finding, comments on its line and posts one summary', async () => {
    const { number } = openWith({ 'cfn/network.yaml': TEMPLATE(true) });
    const run = await runPullRequest(client, targetOf(number), {
      botLogin: BOT,
      docsBaseUri: DOCS,
    });

    expect(run.evaluation.kind).toBe('evaluated');
    const [check] = fake.checkRuns(OWNER, REPO);
    expect(check?.status).toBe('completed');
    expect(check?.conclusion).toBe('failure');
    // Line 42 is the `aws:SourceIp` condition of the OfficeOnly statement (lines 33–42).
    expect(
      check?.annotations.map((a) => [a.path, a.start_line, a.end_line, a.annotation_level]),
    ).toEqual([
      ['cfn/network.yaml', 33, 42, 'warning'],
      ['cfn/network.yaml', 42, 42, 'failure'],
    ]);
    const threads = fake.reviewThreads(OWNER, REPO, number);
    const ruleOf = (body = ''): string | undefined => /\(`([a-z0-9-]+)`\)/.exec(body)?.[1];
    expect(threads.map((t) => [t.path, t.line, t.side, ruleOf(t.comments[0]?.body)])).toEqual([
      ['cfn/network.yaml', 42, 'RIGHT', 'bucket-policy-locks-out-admins'],
      ['cfn/network.yaml', 42, 'RIGHT', 'sourceip-deny-blocks-endpoint'],
    ]);
    const summaries = fake.issueComments(OWNER, REPO, number);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]?.body).toContain('1 new error');
    expect(summaries[0]?.body).toContain('docs/rules/sourceip-deny-blocks-endpoint.md');
    expect(fake.violations).toEqual([]);
  });

  it('resolves the thread when the next push fixes the finding, and edits the same summary', async () => {
    const { number } = openWith({ 'cfn/network.yaml': TEMPLATE(true) });
    await runPullRequest(client, targetOf(number), { botLogin: BOT, docsBaseUri: DOCS });
    const threadsBefore = fake.reviewThreads(OWNER, REPO, number).length;

    const fixed = fake.commit(OWNER, REPO, {
      parent: targetOf(number).headSha,
      branch: 'change',
      files: { 'cfn/network.yaml': TEMPLATE(false), 'README.md': 'hello again\n' },
    });
    fake.pushToPullRequest(OWNER, REPO, number, fixed);
    const second = await runPullRequest(client, targetOf(number), {
      botLogin: BOT,
      docsBaseUri: DOCS,
    });
    // The template is back to its base version: the pull request no longer changes it.
    expect(second.evaluation.kind).toBe('no-infrastructure');

    const checks = fake.checkRuns(OWNER, REPO);
    expect(checks.map((c) => c.conclusion)).toEqual(['failure', 'success']);
    const threads = fake.reviewThreads(OWNER, REPO, number);
    expect(threads).toHaveLength(threadsBefore);
    const blocking = threads.filter((t) =>
      t.comments[0]?.body.includes('sourceip-deny-blocks-endpoint'),
    );
    expect(blocking).toHaveLength(1);
    expect(threads.every((t) => t.isResolved)).toBe(true);
    expect(blocking[0]?.comments.at(-1)?.body).toContain('Fixed in');
    expect(fake.issueComments(OWNER, REPO, number)).toHaveLength(1);
    expect(fake.violations).toEqual([]);
  });

  it('writes nothing in a dry run', async () => {
    const { number } = openWith({ 'cfn/network.yaml': TEMPLATE(true) });
    const run = await runPullRequest(client, targetOf(number), {
      botLogin: BOT,
      docsBaseUri: DOCS,
      dryRun: true,
      serverUrl: 'https://ghe.example.com',
    });
    expect(run.publication.check.conclusion).toBe('failure');
    // File links point at the server the pull request lives on (GitHub Enterprise Server).
    expect(run.publication.check.summary).toContain('https://ghe.example.com/acme/infra/blob/');
    expect(run.publication.check.summary).not.toContain('https://github.com/');
    expect(run.publication.review?.comments.length).toBeGreaterThan(0);
    expect(
      fake.calls.filter(
        (c) =>
          c.method !== 'GET' && !c.path.endsWith('/graphql') && !c.path.includes('access_tokens'),
      ),
    ).toEqual([]);
    expect(fake.checkRuns(OWNER, REPO)).toEqual([]);
  });

  it('succeeds without comments when no infrastructure file changed', async () => {
    const { number } = openWith({ 'README.md': 'docs only\n' });
    const run = await runPullRequest(client, targetOf(number), {
      botLogin: BOT,
      docsBaseUri: DOCS,
    });
    expect(run.evaluation.kind).toBe('no-infrastructure');
    expect(fake.checkRuns(OWNER, REPO)[0]?.conclusion).toBe('success');
    expect(fake.reviewThreads(OWNER, REPO, number)).toEqual([]);
    expect(fake.issueComments(OWNER, REPO, number)).toEqual([]);
  });

  it('fails the check with the exact problem when the default branch has an invalid config', async () => {
    const base = fake.commit(OWNER, REPO, {
      branch: 'main',
      files: { '.github/s3-endpoint-guard.yml': 'failOn: sometimes\n' },
    });
    const head = fake.commit(OWNER, REPO, {
      parent: base,
      branch: 'change',
      files: { 'cfn/network.yaml': TEMPLATE(true) },
    });
    const number = fake.openPullRequest(OWNER, REPO, { base: 'main', headSha: head });
    const run = await runPullRequest(client, targetOf(number), {
      botLogin: BOT,
      docsBaseUri: DOCS,
    });
    expect(run.evaluation.kind).toBe('config-error');
    const [check] = fake.checkRuns(OWNER, REPO);
    expect(check?.conclusion).toBe('failure');
    expect(check?.output.summary).toContain('.github/s3-endpoint-guard.yml:1: failOn');
    // The author may never open the check: the summary comment says it too.
    const comments = fake.issueComments(OWNER, REPO, number);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain('.github/s3-endpoint-guard.yml:1: failOn');
  });

  it('reads a changed Terraform module whole, its unchanged files and file() targets included', async () => {
    const network = `resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}
`;
    const endpoint = (policy: boolean): string => `resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.eu-west-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
${policy ? '  policy            = file("${path.module}/policies/endpoint.json")\n' : ''}}
`;
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::acme-reports/*',
        },
      ],
    });
    const base = fake.commit(OWNER, REPO, {
      branch: 'main',
      files: {
        'tf/network.tf': network,
        'tf/endpoint.tf': endpoint(true),
        'tf/policies/endpoint.json': policy,
      },
    });
    const head = fake.commit(OWNER, REPO, {
      parent: base,
      branch: 'change',
      files: { 'tf/endpoint.tf': endpoint(false) },
    });
    const number = fake.openPullRequest(OWNER, REPO, { base: 'main', headSha: head });
    const run = await runPullRequest(client, targetOf(number), {
      botLogin: BOT,
      docsBaseUri: DOCS,
    });

    expect(run.evaluation.kind).toBe('evaluated');
    if (run.evaluation.kind !== 'evaluated') return;
    // Both module files were read at head (network.tf unchanged), and only the module's own
    // files: the policy JSON in the subfolder is an input, not a scanned file.
    expect(run.evaluation.result.files.map((f) => f.file)).toEqual([
      'tf/endpoint.tf',
      'tf/network.tf',
    ]);
    const fullAccess = run.evaluation.result.findings.filter(
      (f) => f.ruleId === 'endpoint-policy-full-access',
    );
    expect(fullAccess.map((f) => [f.resource, f.status])).toEqual([['aws_vpc_endpoint.s3', 'new']]);
    // A warning does not block at the default fail level, but it is commented on its line.
    expect(fake.checkRuns(OWNER, REPO)[0]?.conclusion).toBe('success');
    const [thread] = fake.reviewThreads(OWNER, REPO, number);
    expect(thread?.path).toBe('tf/endpoint.tf');
    expect(thread?.comments[0]?.body).toContain('endpoint-policy-full-access');
    expect(fake.violations).toEqual([]);
  });

  it('compares with where the branch left main, not with what main did since', async () => {
    // main fixes the endpoint's policy after the branch was cut; the branch only adds a bucket.
    const endpointPolicy = [
      '      PolicyDocument:',
      "        Version: '2012-10-17'",
      '        Statement:',
      '          - Effect: Allow',
      "            Principal: '*'",
      "            Action: 's3:GetObject'",
      "            Resource: !Sub 'arn:aws:s3:::${Reports}/*'",
      '',
    ].join('\n');
    const withoutPolicy = TEMPLATE(false).replace(endpointPolicy, '');
    expect(withoutPolicy).not.toEqual(TEMPLATE(false));
    const branchPoint = fake.commit(OWNER, REPO, {
      branch: 'main',
      files: { 'cfn/network.yaml': withoutPolicy },
    });
    const head = fake.commit(OWNER, REPO, {
      parent: branchPoint,
      branch: 'change',
      files: { 'cfn/network.yaml': `${withoutPolicy}  Logs:\n    Type: AWS::S3::Bucket\n` },
    });
    const number = fake.openPullRequest(OWNER, REPO, { base: 'main', headSha: head });
    const mainNow = fake.commit(OWNER, REPO, {
      parent: branchPoint,
      branch: 'main',
      files: { 'cfn/network.yaml': TEMPLATE(false) },
    });
    const target = { ...targetOf(number), baseSha: mainNow };
    const run = await runPullRequest(client, target, { botLogin: BOT, docsBaseUri: DOCS });

    expect(run.evaluation.kind).toBe('evaluated');
    if (run.evaluation.kind !== 'evaluated') return;
    const fullAccess = run.evaluation.result.findings.filter(
      (f) => f.ruleId === 'endpoint-policy-full-access',
    );
    // The endpoint had no policy where the branch started: an existing finding, not this
    // pull request's doing, so it neither blocks nor gets an inline comment.
    expect(fullAccess.map((f) => f.status)).toEqual(['existing']);
    expect(run.evaluation.result.base).toBe(branchPoint);
    expect(fake.reviewThreads(OWNER, REPO, number)).toEqual([]);
    expect(fake.violations).toEqual([]);
  });
});
