import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Octokit } from '@octokit/rest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { USED_OPERATIONS } from '../../scripts/extract-openapi.js';
import { FakeGitHub, blobSha, interceptGitHub, serveGitHub, signWebhook } from './index.js';
import { subsetMismatches } from './graphql.js';

const OWNER = 'acme';
const REPO = 'infra';

/** An app JWT the fake accepts (it checks the issuer, not the signature). */
function appJwt(appId: number): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iss: appId })}.signature`;
}

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

async function installationClient(fake: FakeGitHub, baseUrl?: string): Promise<Octokit> {
  const options = { log: quiet, ...(baseUrl ? { baseUrl } : {}) };
  const app = new Octokit({ auth: appJwt(fake.appId), ...options });
  const { data } = await app.request('POST /app/installations/{installation_id}/access_tokens', {
    installation_id: fake.installationId(OWNER, REPO),
  });
  return new Octokit({ auth: data.token, ...options });
}

function scene(fake: FakeGitHub): { base: string; head: string; number: number } {
  fake.createRepo(OWNER, REPO);
  const lines = Array.from({ length: 30 }, (_, index) => `line ${index + 1}`);
  const base = fake.commit(OWNER, REPO, {
    files: {
      'README.md': 'hello\n',
      'cfn/endpoint.yml': `${lines.join('\n')}\n`,
      'tf/main.tf': 'resource "x" "y" {}\n',
      'tf/vars.tf': 'variable "v" {}\n',
    },
  });
  const changed = [...lines];
  changed[14] = 'line 15 changed';
  const head = fake.commit(OWNER, REPO, {
    parent: base,
    branch: 'feature',
    files: {
      'cfn/endpoint.yml': `${changed.join('\n')}\n`,
      'tf/main.tf': 'resource "x" "y" { a = 1 }\n',
      'image.png': Buffer.from([0x89, 0x50, 0x00, 0x01]),
      'link.yml': { symlink: 'cfn/endpoint.yml' },
      'README.md': null,
    },
  });
  const number = fake.openPullRequest(OWNER, REPO, { base: 'main', headSha: head, author: 'dev' });
  return { base, head, number };
}

describe('FakeGitHub through nock', () => {
  let fake: FakeGitHub;
  let interception: ReturnType<typeof interceptGitHub>;
  let gh: Octokit;
  let ids: { base: string; head: string; number: number };

  beforeEach(async () => {
    fake = new FakeGitHub({ appId: 42 });
    ids = scene(fake);
    interception = interceptGitHub(fake);
    gh = await installationClient(fake);
  });
  afterEach(() => interception.restore());

  it('answers pulls/get and lists files with patches, statuses and git blob shas', async () => {
    const { data: pull } = await gh.rest.pulls.get({
      owner: OWNER,
      repo: REPO,
      pull_number: ids.number,
    });
    expect(pull.head.sha).toBe(ids.head);
    expect(pull.base.sha).toBe(ids.base);
    expect(pull.base.ref).toBe('main');
    expect(pull.user?.login).toBe('dev');
    expect(pull.changed_files).toBe(5);
    const { data: files } = await gh.rest.pulls.listFiles({
      owner: OWNER,
      repo: REPO,
      pull_number: ids.number,
      per_page: 100,
    });
    const byName = new Map(files.map((file) => [file.filename, file]));
    expect([...byName.keys()]).toEqual([
      'README.md',
      'cfn/endpoint.yml',
      'image.png',
      'link.yml',
      'tf/main.tf',
    ]);
    expect(byName.get('README.md')?.status).toBe('removed');
    expect(byName.get('image.png')?.patch).toBeUndefined();
    const endpoint = byName.get('cfn/endpoint.yml');
    expect(endpoint?.patch).toBe(
      [
        '@@ -12,7 +12,7 @@',
        ' line 12',
        ' line 13',
        ' line 14',
        '-line 15',
        '+line 15 changed',
        ' line 16',
        ' line 17',
        ' line 18',
      ].join('\n'),
    );
    expect(endpoint?.additions).toBe(1);
    expect(byName.get('tf/main.tf')?.sha).toBe(
      blobSha(Buffer.from('resource "x" "y" { a = 1 }\n')),
    );
    expect(fake.violations).toEqual([]);
  });

  it('pages pulls/files with Link headers, and omits patches when asked', async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 230; index++) files[`cfn/t${index}.yml`] = `n: ${index}\n`;
    const head = fake.commit(OWNER, REPO, { parent: ids.base, branch: 'many', files });
    const number = fake.openPullRequest(OWNER, REPO, {
      base: 'main',
      headSha: head,
      omitPatchFor: ['cfn/t7.yml'],
    });
    const listed = await gh.paginate(gh.rest.pulls.listFiles, {
      owner: OWNER,
      repo: REPO,
      pull_number: number,
      per_page: 100,
    });
    expect(listed).toHaveLength(230);
    expect(listed.find((file) => file.filename === 'cfn/t7.yml')?.patch).toBeUndefined();
    expect(listed.find((file) => file.filename === 'cfn/t8.yml')?.patch).toBe(
      '@@ -0,0 +1 @@\n+n: 8',
    );
    expect(fake.calls.filter((call) => call.operationId === 'pulls/list-files')).toHaveLength(3);
  });

  it('serves recursive trees, blobs and contents (JSON and raw) at any commit', async () => {
    const { data: tree } = await gh.rest.git.getTree({
      owner: OWNER,
      repo: REPO,
      tree_sha: ids.head,
      recursive: '1',
    });
    const entries = new Map(tree.tree.map((entry) => [entry.path, entry]));
    expect(entries.get('tf')?.type).toBe('tree');
    expect(entries.get('tf/vars.tf')).toMatchObject({ type: 'blob', mode: '100644', size: 16 });
    expect(entries.get('link.yml')?.mode).toBe('120000');
    const { data: flat } = await gh.rest.git.getTree({
      owner: OWNER,
      repo: REPO,
      tree_sha: ids.head,
    });
    expect(flat.tree.map((entry) => entry.path)).not.toContain('tf/vars.tf');
    const vars = entries.get('tf/vars.tf');
    const { data: blob } = await gh.rest.git.getBlob({
      owner: OWNER,
      repo: REPO,
      file_sha: vars?.sha ?? '',
    });
    expect(Buffer.from(blob.content, 'base64').toString()).toBe('variable "v" {}\n');
    expect(createHash('sha1').update('blob 16\0variable "v" {}\n').digest('hex')).toBe(vars?.sha);
    const { data: content } = await gh.rest.repos.getContent({
      owner: OWNER,
      repo: REPO,
      path: 'tf/main.tf',
      ref: ids.base,
    });
    expect('content' in content && Buffer.from(content.content, 'base64').toString()).toBe(
      'resource "x" "y" {}\n',
    );
    const raw = await gh.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner: OWNER,
      repo: REPO,
      path: 'README.md',
      mediaType: { format: 'raw' },
    });
    expect(raw.data).toBe('hello\n');
    await expect(
      gh.rest.repos.getContent({ owner: OWNER, repo: REPO, path: '.github/missing.yml' }),
    ).rejects.toMatchObject({ status: 404 });
    expect(fake.violations).toEqual([]);
  });

  it('appends check-run annotations across PATCHes and keeps the history', async () => {
    const { data: run } = await gh.rest.checks.create({
      owner: OWNER,
      repo: REPO,
      name: 'S3 endpoint guard',
      head_sha: ids.head,
      status: 'in_progress',
    });
    const annotation = (line: number) => ({
      path: 'cfn/endpoint.yml',
      start_line: line,
      end_line: line,
      annotation_level: 'failure' as const,
      message: `finding ${line}`,
    });
    for (const batch of [0, 1, 2]) {
      const lines = Array.from({ length: batch === 2 ? 20 : 50 }, (_, i) => batch * 50 + i + 1);
      await gh.rest.checks.update({
        owner: OWNER,
        repo: REPO,
        check_run_id: run.id,
        ...(batch === 2 ? { conclusion: 'failure' as const } : {}),
        output: { title: 'Findings', summary: 'sum', annotations: lines.map(annotation) },
      });
    }
    const [stored] = fake.checkRuns(OWNER, REPO);
    expect(stored?.annotations).toHaveLength(120);
    expect(stored?.updates).toBe(3);
    expect(stored?.status).toBe('completed');
    expect(stored?.conclusion).toBe('failure');
    expect(stored?.history.map((h) => h.status)).toEqual([
      'in_progress',
      'in_progress',
      'in_progress',
      'completed',
    ]);
    expect(fake.violations).toEqual([]);
  });

  it('records a violation for a body GitHub would reject (51 annotations, unknown keys)', async () => {
    const { data: run } = await gh.rest.checks.create({
      owner: OWNER,
      repo: REPO,
      name: 'S3 endpoint guard',
      head_sha: ids.head,
    });
    const annotations = Array.from({ length: 51 }, () => ({
      path: 'a',
      start_line: 1,
      end_line: 1,
      annotation_level: 'failure' as const,
      message: 'm',
    }));
    await expect(
      gh.rest.checks.update({
        owner: OWNER,
        repo: REPO,
        check_run_id: run.id,
        output: { title: 't', summary: 's', annotations },
      }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      gh.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
        owner: OWNER,
        repo: REPO,
        pull_number: ids.number,
        event: 'COMMENT',
        // A typo GitHub would silently ignore: the fake calls it out.
        comments: [{ path: 'cfn/endpoint.yml', line: 15, startLine: 14, body: 'x' }] as never,
      }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      gh.request('DELETE /repos/{owner}/{repo}', { owner: OWNER, repo: REPO }),
    ).rejects.toMatchObject({
      status: 404,
    });
    expect(fake.violations).toEqual([
      expect.stringMatching(/checks\/update.*annotations must NOT have more than 50 items/),
      expect.stringMatching(/create-review.*must NOT have additional properties \(startLine\)/),
      'DELETE /repos/acme/infra: not an operation the app may use',
    ]);
  });

  it('rejects a review comment outside the diff with GitHub’s 422, accepts one inside', async () => {
    await expect(
      gh.rest.pulls.createReview({
        owner: OWNER,
        repo: REPO,
        pull_number: ids.number,
        commit_id: ids.head,
        event: 'COMMENT',
        comments: [{ path: 'cfn/endpoint.yml', line: 2, side: 'RIGHT', body: 'far away' }],
      }),
    ).rejects.toMatchObject({
      status: 422,
      response: {
        data: {
          errors: [
            expect.stringContaining('Pull request review thread line must be part of the diff'),
          ],
        },
      },
    });
    expect(fake.violations).toHaveLength(1);
    fake.violations.length = 0;
    const { data: review } = await gh.rest.pulls.createReview({
      owner: OWNER,
      repo: REPO,
      pull_number: ids.number,
      commit_id: ids.head,
      event: 'COMMENT',
      body: 'Two findings',
      comments: [
        { path: 'cfn/endpoint.yml', line: 18, side: 'RIGHT', body: 'context line is fine' },
        { path: 'cfn/endpoint.yml', line: 15, side: 'LEFT', body: 'deleted line' },
        {
          path: 'cfn/endpoint.yml',
          start_line: 13,
          start_side: 'RIGHT',
          line: 15,
          side: 'RIGHT',
          body: 'range',
        },
      ],
    });
    expect(review.state).toBe('COMMENTED');
    expect(review.user?.login).toBe('s3-endpoint-guard[bot]');
    const threads = fake.reviewThreads(OWNER, REPO, ids.number);
    expect(threads.map((t) => [t.line, t.side, t.startLine])).toEqual([
      [18, 'RIGHT', undefined],
      [15, 'LEFT', undefined],
      [15, 'RIGHT', 13],
    ]);
    expect(fake.violations).toEqual([]);
  });

  it('answers GraphQL blobs (binary, truncated), threads with paging, and resolves threads', async () => {
    const big = `${'x'.repeat(600 * 1024)}\n`;
    const head = fake.commit(OWNER, REPO, {
      parent: ids.head,
      branch: 'feature',
      files: { 'big.yml': big },
    });
    fake.pushToPullRequest(OWNER, REPO, ids.number, head);
    await gh.rest.pulls.createReview({
      owner: OWNER,
      repo: REPO,
      pull_number: ids.number,
      event: 'COMMENT',
      comments: [
        {
          path: 'cfn/endpoint.yml',
          line: 15,
          body: 'one <!-- s3-endpoint-guard:finding 0123abcd -->',
        },
        { path: 'tf/main.tf', line: 1, body: 'two' },
      ],
    });
    const [first] = fake.reviewThreads(OWNER, REPO, ids.number);
    fake.addReviewReply(OWNER, REPO, ids.number, first?.comments[0]?.id ?? 0, 'reviewer', 'agreed');
    const query = `query($owner: String!, $name: String!, $number: Int!, $after: String) {
      repository(owner: $owner, name: $name) {
        png: object(expression: "${head}:image.png") { ... on Blob { text isBinary byteSize } }
        big: object(expression: "${head}:big.yml") { ... on Blob { isTruncated byteSize text } }
        none: object(expression: "${head}:nope.yml") { ... on Blob { text } }
        pullRequest(number: $number) {
          reviewThreads(first: 1, after: $after) {
            pageInfo { hasNextPage endCursor }
            nodes { id isResolved isOutdated path line resolvedBy { login }
              comments(first: 100) { nodes { databaseId body author { login } } } }
          }
        }
      }
    }`;
    type Page = {
      repository: {
        png: { text: string | null; isBinary: boolean; byteSize: number };
        big: { isTruncated: boolean; byteSize: number; text: string };
        none: null;
        pullRequest: {
          reviewThreads: {
            pageInfo: { hasNextPage: boolean; endCursor: string };
            nodes: {
              id: string;
              path: string;
              comments: { nodes: { databaseId: number; author: { login: string } }[] };
            }[];
          };
        };
      };
    };
    // An explicit null cursor, as a first page is usually asked for.
    const page1 = await gh.graphql<Page>(query, {
      owner: OWNER,
      name: REPO,
      number: ids.number,
      after: null,
    });
    expect(page1.repository.png).toEqual({ text: null, isBinary: true, byteSize: 4 });
    expect(page1.repository.big.isTruncated).toBe(true);
    expect(page1.repository.big.byteSize).toBe(big.length);
    expect(page1.repository.none).toBeNull();
    const threads1 = page1.repository.pullRequest.reviewThreads;
    expect(threads1.pageInfo.hasNextPage).toBe(true);
    expect(threads1.nodes[0]?.comments.nodes.map((c) => c.author.login)).toEqual([
      's3-endpoint-guard',
      'reviewer',
    ]);
    const page2 = await gh.graphql<Page>(query, {
      owner: OWNER,
      name: REPO,
      number: ids.number,
      after: threads1.pageInfo.endCursor,
    });
    expect(page2.repository.pullRequest.reviewThreads.nodes[0]?.path).toBe('tf/main.tf');
    expect(page2.repository.pullRequest.reviewThreads.pageInfo.hasNextPage).toBe(false);
    const resolved = await gh.graphql<{ resolveReviewThread: { thread: { isResolved: boolean } } }>(
      'mutation($id: ID!) { resolveReviewThread(input: { threadId: $id }) { thread { id isResolved } } }',
      { id: first?.id },
    );
    expect(resolved.resolveReviewThread.thread.isResolved).toBe(true);
    expect(fake.reviewThreads(OWNER, REPO, ids.number)[0]?.resolvedBy).toBe(
      's3-endpoint-guard[bot]',
    );
    expect(fake.calls.filter((c) => c.path === '/graphql').map((c) => c.graphqlOperation)).toEqual([
      'query',
      'query',
      'mutation',
    ]);
    expect(fake.violations).toEqual([]);
  });

  it('validates GraphQL against GitHub’s schema before executing it', async () => {
    await expect(
      gh.graphql(
        '{ repository(owner: "acme", name: "infra") { object(expression: "main:x") { ... on Blob { txt } } } }',
      ),
    ).rejects.toThrow(/Cannot query field "txt" on type "Blob"/);
    await expect(
      gh.graphql(
        '{ repository(owner: "acme", name: "infra") { pullRequest(number: 1) { reviewThreads { totalCount } } } }',
      ),
    ).rejects.toThrow(/first/);
    expect(fake.violations).toEqual([expect.stringContaining('Cannot query field "txt"')]);
  });

  it('keeps issue comments with the app’s bot identity and edits them in place', async () => {
    const { data: created } = await gh.rest.issues.createComment({
      owner: OWNER,
      repo: REPO,
      issue_number: ids.number,
      body: 'summary <!-- s3-endpoint-guard:summary -->',
    });
    expect(created.user).toMatchObject({ login: 's3-endpoint-guard[bot]', type: 'Bot' });
    fake.addIssueComment(OWNER, REPO, ids.number, 'dev', 'thanks');
    const listed = await gh.paginate(gh.rest.issues.listComments, {
      owner: OWNER,
      repo: REPO,
      issue_number: ids.number,
      per_page: 100,
    });
    expect(listed.map((c) => c.user?.login)).toEqual(['s3-endpoint-guard[bot]', 'dev']);
    await gh.rest.issues.updateComment({
      owner: OWNER,
      repo: REPO,
      comment_id: created.id,
      body: 'updated',
    });
    expect(fake.issueComments(OWNER, REPO, ids.number)[0]).toMatchObject({
      body: 'updated',
      edits: 1,
    });
    expect(fake.warnings).toEqual([]);
    expect(fake.violations).toEqual([]);
  });

  it('fails the next matching requests on demand', async () => {
    fake.failNext({ method: 'GET', path: /\/pulls\/\d+$/ }, 502, 2);
    await expect(
      gh.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: ids.number }),
    ).rejects.toMatchObject({ status: 502 });
    await expect(
      gh.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: ids.number }),
    ).rejects.toMatchObject({ status: 502 });
    const { data } = await gh.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: ids.number });
    expect(data.number).toBe(ids.number);
  });

  it('keeps installations apart and refuses other hosts', async () => {
    fake.createRepo('other', 'repo', { installationId: 999 });
    await expect(gh.rest.repos.get({ owner: 'other', repo: 'repo' })).rejects.toMatchObject({
      status: 404,
    });
    await expect(fetch('https://example.com/x')).rejects.toThrow();
    expect(interception.refused).toEqual(['https://example.com/x']);
  });
});

describe('pull_request payloads', () => {
  it('are GitHub’s example with this fake’s repository, pull request and installation', () => {
    const fake = new FakeGitHub();
    const { head, base, number } = scene(fake);
    const next = fake.commit(OWNER, REPO, {
      parent: head,
      branch: 'feature',
      files: { 'x.yml': 'x\n' },
    });
    fake.pushToPullRequest(OWNER, REPO, number, next);
    const payload = fake.pullRequestPayload(OWNER, REPO, number, 'synchronize') as {
      action: string;
      before: string;
      after: string;
      installation: { id: number };
      repository: { full_name: string; default_branch: string };
      pull_request: {
        number: number;
        head: { sha: string };
        base: { sha: string; ref: string };
        _links: object;
      };
    };
    expect(payload.action).toBe('synchronize');
    expect(payload.before).toBe(head);
    expect(payload.after).toBe(next);
    expect(payload.pull_request.head.sha).toBe(next);
    expect(payload.pull_request.base).toMatchObject({ sha: base, ref: 'main' });
    expect(payload.pull_request._links).toBeDefined(); // kept from the example
    expect(payload.repository.full_name).toBe('acme/infra');
    expect(payload.installation.id).toBe(fake.installationId(OWNER, REPO));
  });

  it('sign like GitHub', () => {
    const expected = createHmac('sha256', 'secret').update('{"a":1}').digest('hex');
    expect(signWebhook('{"a":1}', 'secret')).toBe(`sha256=${expected}`);
  });
});

describe('GitHub Enterprise Server URLs', () => {
  it('are served under /api/v3, with GraphQL at /api/graphql', async () => {
    const fake = new FakeGitHub();
    const { number } = scene(fake);
    const interception = interceptGitHub(fake, { baseUrl: 'https://ghe.example.com/api/v3' });
    try {
      const gh = await installationClient(fake, 'https://ghe.example.com/api/v3');
      const files = await gh.paginate(gh.rest.pulls.listFiles, {
        owner: OWNER,
        repo: REPO,
        pull_number: number,
        per_page: 2,
      });
      expect(files).toHaveLength(5);
      const data = await gh.graphql<{ repository: { name: string } }>(
        '{ repository(owner: "acme", name: "infra") { name } }',
      );
      expect(data.repository.name).toBe('infra');
      expect(fake.violations).toEqual([]);
      expect(interception.refused).toEqual([]);
    } finally {
      interception.restore();
    }
  });
});

describe('serveGitHub', () => {
  it('answers over real HTTP on 127.0.0.1', async () => {
    const fake = new FakeGitHub();
    const { number } = scene(fake);
    const server = await serveGitHub(fake);
    try {
      const gh = await installationClient(fake, server.url);
      const files = await gh.paginate(gh.rest.pulls.listFiles, {
        owner: OWNER,
        repo: REPO,
        pull_number: number,
        per_page: 2,
      });
      expect(files).toHaveLength(5);
      const data = await gh.graphql<{ repository: { name: string } }>(
        '{ repository(owner: "acme", name: "infra") { name } }',
      );
      expect(data.repository.name).toBe('infra');
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(fake.violations).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('the fake’s contracts', () => {
  it('executes a GraphQL subset whose every field has GitHub’s name and type', () => {
    expect(subsetMismatches()).toEqual([]);
  });

  it('has extracted exactly the operations it implements', () => {
    const file = JSON.parse(
      readFileSync(new URL('./openapi-operations.json', import.meta.url), 'utf8'),
    ) as { operations: { method: string; path: string }[] };
    expect(file.operations.map((op) => [op.method, op.path])).toEqual(USED_OPERATIONS);
  });
});
