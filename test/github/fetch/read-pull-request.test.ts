import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { diffLines } from '../../../src/github/fetch/line-diff.js';
import { readPullRequest } from '../../../src/github/fetch/index.js';
import type { PullRequestSnapshot } from '../../../src/github/types.js';
import type { FakeOptions, FakePullFile } from './fake-repo.js';
import { client, fakeGitHub, target } from './fake-repo.js';

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
const snapshots: PullRequestSnapshot[] = [];
afterEach(async () => {
  nock.cleanAll();
  for (const snapshot of snapshots.splice(0)) await snapshot.dispose();
});

async function read(
  options: FakeOptions,
  extra: Partial<Parameters<typeof readPullRequest>[2]> = {},
): Promise<{ snapshot: PullRequestSnapshot; recorded: ReturnType<typeof fakeGitHub> }> {
  const recorded = fakeGitHub(options);
  const snapshot = await readPullRequest(client(), target, { selectFile: () => true, ...extra });
  snapshots.push(snapshot);
  return { snapshot, recorded };
}

/** Every file under a root, relative, sorted. */
function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const absolute = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(absolute);
      else out.push(path.relative(root, absolute).split(path.sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

const policy = (action: string): string =>
  [
    'Resources:',
    '  Policy:',
    '    Type: AWS::S3::BucketPolicy',
    '    Properties:',
    '      Bucket: b',
    '      PolicyDocument:',
    '        Statement:',
    `          - { Effect: Allow, Principal: "*", Action: "${action}", Resource: "*" }`,
    '',
  ].join('\n');

const modified = (filename: string, patch?: string): FakePullFile => ({
  filename,
  status: 'modified',
  ...(patch !== undefined ? { patch } : {}),
});

describe('readPullRequest', () => {
  it('reads a changed template at head and base in 4 requests', async () => {
    const { snapshot, recorded } = await read({
      files: [modified('stacks/app.yaml', '@@ -8 +8 @@\n-old\n+new')],
      head: { 'stacks/app.yaml': policy('s3:*'), 'README.md': 'hi' },
      base: { 'stacks/app.yaml': policy('s3:GetObject'), 'README.md': 'hi' },
    });
    expect(snapshot.targets).toEqual(['stacks/app.yaml']);
    expect(readFileSync(path.join(snapshot.headRoot, 'stacks/app.yaml'), 'utf8')).toBe(
      policy('s3:*'),
    );
    expect(readFileSync(path.join(snapshot.baseRoot, 'stacks/app.yaml'), 'utf8')).toBe(
      policy('s3:GetObject'),
    );
    expect(filesUnder(snapshot.headRoot)).toEqual(['stacks/app.yaml']);
    expect(snapshot.diffs.get('stacks/app.yaml')).toEqual({
      path: 'stacks/app.yaml',
      status: 'modified',
      right: [[8, 8]],
      added: [[8, 8]],
      left: [[8, 8]],
    });
    expect(snapshot.changedFiles).toBe(1);
    expect(snapshot.truncatedFileList).toBeUndefined();
    expect(recorded.requests).toHaveLength(4);
    expect(recorded.count('POST /graphql')).toBe(1);
    expect(recorded.requests.filter((r) => r.includes('recursive=1'))).toHaveLength(2);
    // Owner and name are variables; the query holds only generated aliases and checked shas.
    const [sent] = recorded.queries;
    expect(sent?.variables).toEqual({ owner: 'octo', name: 'infra' });
    expect(sent?.query).toMatch(/a0: object\(oid: "[0-9a-f]{40}"\)/);
    expect(sent?.query).toMatch(/a1: object\(oid: "[0-9a-f]{40}"\)/);
    expect(sent?.query).not.toContain('stacks');
    // Private folders and files.
    expect(statSync(snapshot.headRoot).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(snapshot.headRoot, 'stacks')).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(snapshot.headRoot, 'stacks/app.yaml')).mode & 0o777).toBe(0o600);
  });

  it('reads a Terraform module folder whole: unchanged siblings, not subfolders, shared blobs once', async () => {
    const variables = 'variable "region" {}\n';
    const { snapshot, recorded } = await read({
      files: [modified('infra/main.tf', '@@ -1 +1 @@\n-a\n+b')],
      head: {
        'infra/main.tf': 'resource "x" "y" { a = 2 }\n',
        'infra/variables.tf': variables,
        'infra/terraform.tfvars': 'region = "eu-west-1"\n',
        'infra/README.md': 'docs',
        'infra/sub/other.tf': 'resource "z" "w" {}\n',
      },
      base: {
        'infra/main.tf': 'resource "x" "y" { a = 1 }\n',
        'infra/variables.tf': variables,
        'infra/terraform.tfvars': 'region = "eu-west-1"\n',
        'infra/sub/other.tf': 'resource "z" "w" {}\n',
      },
    });
    expect(snapshot.targets).toEqual(['infra']);
    expect(filesUnder(snapshot.headRoot)).toEqual([
      'infra/main.tf',
      'infra/terraform.tfvars',
      'infra/variables.tf',
    ]);
    expect(filesUnder(snapshot.baseRoot)).toEqual(filesUnder(snapshot.headRoot));
    // main.tf twice (it differs), variables.tf and terraform.tfvars once each.
    const aliases = recorded.queries[0]?.query.match(/a\d+: object/g) ?? [];
    expect(aliases).toHaveLength(4);
    expect(recorded.requests).toHaveLength(4);
  });

  it('reads a module at the repository root as "."', async () => {
    const { snapshot } = await read({
      files: [{ filename: 'main.tf', status: 'added', patch: '@@ -0,0 +1 @@\n+x' }],
      head: { 'main.tf': 'x\n', 'outputs.tf': 'y\n' },
      base: { 'outputs.tf': 'y\n' },
    });
    expect(snapshot.targets).toEqual(['.']);
    expect(filesUnder(snapshot.headRoot)).toEqual(['main.tf', 'outputs.tf']);
    expect(filesUnder(snapshot.baseRoot)).toEqual(['outputs.tf']);
  });

  it('fetches the files templates include and Terraform reads, never remote or outside ones', async () => {
    const template = [
      'Resources:',
      '  Policy:',
      '    Type: AWS::S3::BucketPolicy',
      '    Properties:',
      '      PolicyDocument: { "Fn::Include": "../policies/read.json" }',
      '      Remote: { "Fn::Include": "https://evil.example/x.json" }',
      '      Outside: { "Fn::Include": "../../../etc/passwd" }',
      '      Absolute: { "Fn::Include": "/etc/passwd" }',
      '',
    ].join('\n');
    const tf = [
      'resource "aws_s3_bucket_policy" "p" {',
      '  policy = file("${path.module}/policy.json")',
      '  other  = templatefile("tpl/p.json.tpl", {})',
      '  evil   = file("../../../../etc/passwd")',
      '  dyn    = file("${var.x}.json")',
      '}',
      '',
    ].join('\n');
    const { snapshot, recorded } = await read({
      files: [
        { filename: 'stacks/app.yaml', status: 'added', patch: '@@ -0,0 +1 @@\n+x' },
        { filename: 'tf/main.tf', status: 'added', patch: '@@ -0,0 +1 @@\n+x' },
      ],
      head: {
        'stacks/app.yaml': template,
        'policies/read.json': '{ "Statement": { "Fn::Include": "nested.json" } }',
        'policies/nested.json': '{ "Effect": "Allow" }',
        'tf/main.tf': tf,
        'tf/policy.json': '{}',
        'tf/tpl/p.json.tpl': '{}',
        'unrelated.json': '{}',
      },
      base: {},
    });
    expect(snapshot.targets).toEqual(['stacks/app.yaml', 'tf']);
    expect(filesUnder(snapshot.headRoot)).toEqual([
      'policies/nested.json',
      'policies/read.json',
      'stacks/app.yaml',
      'tf/main.tf',
      'tf/policy.json',
      'tf/tpl/p.json.tpl',
    ]);
    expect(filesUnder(snapshot.baseRoot)).toEqual([]);
    // The scopes' files, then what they name, then what those name: one query per round.
    expect(recorded.count('POST /graphql')).toBe(3);
    expect(recorded.requests.every((r) => !r.includes('evil'))).toBe(true);
  });

  it('skips binary, oversized, symlinked and submodule files, and says why', async () => {
    const { snapshot, recorded } = await read(
      {
        files: [
          { filename: 'img.json', status: 'added' },
          { filename: 'big.yaml', status: 'added' },
          { filename: 'link.yaml', status: 'added' },
          { filename: 'mod/main.tf', status: 'added' },
        ],
        head: {
          'img.json': { text: 'PNG', binary: true },
          'big.yaml': { text: 'x: 1\n', size: 3 * 1024 * 1024 },
          'link.yaml': { text: '../../etc/passwd', mode: '120000' },
          'mod/main.tf': 'x\n',
          'mod/vendored.tf': { submodule: true },
        },
        base: {},
      },
      { maxFileBytes: 1024 * 1024 },
    );
    expect(snapshot.targets).toEqual(['mod']);
    expect(snapshot.skipped).toEqual(
      expect.arrayContaining([
        { path: 'img.json', reason: 'binary file' },
        { path: 'big.yaml', reason: '3 MB exceeds the 1 MB limit' },
        { path: 'link.yaml', reason: 'symbolic link' },
        { path: 'mod/vendored.tf', reason: 'submodule' },
      ]),
    );
    expect(filesUnder(snapshot.headRoot)).toEqual(['mod/main.tf']);
    // Oversized and linked files are never asked for.
    const aliases = recorded.queries.flatMap((q) => q.query.match(/a\d+: object/g) ?? []);
    expect(aliases).toHaveLength(2);
  });

  it('reads a blob GraphQL does not return whole through the blobs API', async () => {
    const text = policy('s3:*');
    const { snapshot, recorded } = await read({
      files: [{ filename: 'big.yaml', status: 'added', patch: '@@ -0,0 +1 @@\n+x' }],
      head: { 'big.yaml': { text, truncated: true } },
      base: {},
    });
    expect(readFileSync(path.join(snapshot.headRoot, 'big.yaml'), 'utf8')).toBe(text);
    expect(recorded.count('GET /repos/octo/infra/git/blobs/')).toBe(1);
    expect(snapshot.targets).toEqual(['big.yaml']);
  });

  it('asks GraphQL for 150 blobs in 2 queries, and no more requests for 50 files than for 1', async () => {
    const many = (count: number): FakeOptions => {
      const head: Record<string, string> = {};
      const files: FakePullFile[] = [];
      for (let i = 0; i < count; i++) {
        head[`stacks/s${i}.yaml`] = policy(`s3:Get${i}`);
        files.push({ filename: `stacks/s${i}.yaml`, status: 'added', patch: '@@ -0,0 +1 @@\n+x' });
      }
      return { files, head, base: {} };
    };
    const one = await read(many(1));
    nock.cleanAll();
    const fifty = await read(many(50));
    expect(fifty.recorded.requests).toHaveLength(one.recorded.requests.length);
    expect(fifty.recorded.count('POST /graphql')).toBe(1);
    nock.cleanAll();
    const big = await read(many(150));
    expect(big.recorded.count('POST /graphql')).toBe(2);
    expect(big.recorded.count('GET /repos/octo/infra/pulls/7/files')).toBe(2);
    expect(big.snapshot.targets).toHaveLength(150);
    const sizes = big.recorded.queries.map((q) => (q.query.match(/a\d+: object/g) ?? []).length);
    expect(sizes).toEqual([100, 50]);
  });

  it('handles removed files: no template scope; a module that keeps files is read with its base', async () => {
    const { snapshot } = await read({
      files: [
        { filename: 'gone.yaml', status: 'removed', patch: '@@ -1,2 +0,0 @@\n-a\n-b' },
        { filename: 'mod/old.tf', status: 'removed', patch: '@@ -1 +0,0 @@\n-a' },
        { filename: 'dead/main.tf', status: 'removed', patch: '@@ -1 +0,0 @@\n-a' },
      ],
      head: { 'mod/main.tf': 'm\n' },
      base: {
        'gone.yaml': 'a\nb\n',
        'mod/main.tf': 'm\n',
        'mod/old.tf': 'a\n',
        'dead/main.tf': 'a\n',
      },
    });
    expect(snapshot.targets).toEqual(['mod']);
    expect(filesUnder(snapshot.headRoot)).toEqual(['mod/main.tf']);
    expect(filesUnder(snapshot.baseRoot)).toEqual(['mod/main.tf', 'mod/old.tf']);
    expect(snapshot.diffs.get('gone.yaml')?.left).toEqual([[1, 2]]);
    expect(snapshot.diffs.get('dead/main.tf')?.status).toBe('removed');
  });

  it("writes a renamed file's base version at its head path", async () => {
    const { snapshot } = await read({
      files: [
        {
          filename: 'new/app.yaml',
          status: 'renamed',
          previous_filename: 'old/app.yaml',
          patch: '@@ -8 +8 @@\n-a\n+b',
        },
      ],
      head: { 'new/app.yaml': policy('s3:*') },
      base: { 'old/app.yaml': policy('s3:GetObject') },
    });
    expect(snapshot.targets).toEqual(['new/app.yaml']);
    expect(filesUnder(snapshot.baseRoot)).toEqual(['new/app.yaml']);
    expect(readFileSync(path.join(snapshot.baseRoot, 'new/app.yaml'), 'utf8')).toBe(
      policy('s3:GetObject'),
    );
    expect(snapshot.diffs.get('new/app.yaml')).toMatchObject({
      status: 'renamed',
      previousPath: 'old/app.yaml',
    });
  });

  it('moves a renamed Terraform file between modules: both modules read, no duplicate at base', async () => {
    const { snapshot } = await read({
      files: [{ filename: 'b/x.tf', status: 'renamed', previous_filename: 'a/x.tf' }],
      head: { 'a/main.tf': 'a\n', 'b/main.tf': 'b\n', 'b/x.tf': 'x\n' },
      base: { 'a/main.tf': 'a\n', 'a/x.tf': 'x\n', 'b/main.tf': 'b\n' },
    });
    expect(snapshot.targets).toEqual(['a', 'b']);
    expect(filesUnder(snapshot.baseRoot)).toEqual(['a/main.tf', 'b/main.tf', 'b/x.tf']);
  });

  it("applies the config's paths filter before anything is fetched", async () => {
    const { snapshot, recorded } = await read(
      {
        files: [
          modified('app/a.yaml', '@@ -1 +1 @@\n-a\n+b'),
          modified('docs/x.md', '@@ -1 +1 @@\n-a\n+b'),
        ],
        head: { 'app/a.yaml': 'b\n', 'docs/x.md': 'b\n' },
        base: { 'app/a.yaml': 'a\n', 'docs/x.md': 'a\n' },
      },
      { selectFile: (p) => p.startsWith('docs/') },
    );
    expect(snapshot.targets).toEqual([]);
    expect([...snapshot.diffs.keys()]).toEqual(['docs/x.md']);
    expect(snapshot.changedFiles).toBe(2);
    // No infrastructure selected: only the files list is read.
    expect(recorded.requests).toHaveLength(1);
  });

  it("stops listing at GitHub's 3,000 files", async () => {
    const files = Array.from({ length: 3000 }, (_, i) =>
      modified(`docs/f${i}.md`, '@@ -1 +1 @@\n-a\n+b'),
    );
    const { snapshot, recorded } = await read({ files, head: {}, base: {} });
    expect(snapshot.truncatedFileList).toBe(true);
    expect(snapshot.changedFiles).toBe(3000);
    expect(recorded.count('GET /repos/octo/infra/pulls/7/files')).toBe(30);
  });

  it('never writes hostile paths, from the files list or the tree', async () => {
    const hostile = [
      '../x.yaml',
      '/etc/x.yaml',
      'a\0b.yaml',
      'a/../../x.yaml',
      'a\\..\\x.yaml',
      './a.yaml',
    ];
    const head: Record<string, string> = { 'ok.yaml': 'Resources: {}\n', 'mod/main.tf': 'x\n' };
    for (const p of hostile) head[p] = 'x: 1\n';
    const { snapshot } = await read({
      files: [
        ...hostile.map((filename) => ({ filename, status: 'added' })),
        { filename: 'ok.yaml', status: 'added' },
        { filename: 'mod/main.tf', status: 'added' },
      ],
      head: { ...head, 'mod/../../../evil.tf': 'x\n' },
      base: {},
    });
    expect(snapshot.targets).toEqual(['mod', 'ok.yaml']);
    expect(filesUnder(snapshot.headRoot)).toEqual(['mod/main.tf', 'ok.yaml']);
    for (const p of hostile)
      expect(snapshot.skipped).toContainEqual({ path: p, reason: 'unsafe path: not read' });
    expect(existsSync(path.join(tmpdir(), 'x.yaml'))).toBe(false);
    expect(existsSync(path.join(path.dirname(snapshot.headRoot), 'evil.tf'))).toBe(false);
  });

  it('computes the changed lines of a file GitHub sent without a patch', async () => {
    const base = policy('s3:GetObject');
    const headText = `# header\n${policy('s3:*')}`;
    const { snapshot } = await read({
      files: [modified('app.yaml'), modified('notes.txt')],
      head: { 'app.yaml': headText, 'notes.txt': 'b\n' },
      base: { 'app.yaml': base, 'notes.txt': 'a\n' },
    });
    expect(snapshot.diffs.get('app.yaml')).toEqual({
      path: 'app.yaml',
      status: 'modified',
      ...diffLines(base, headText),
      computed: true,
    });
    expect(snapshot.diffs.get('app.yaml')?.added).toEqual([
      [1, 1],
      [9, 9],
    ]);
    // Not fetched (not infrastructure): no lines rather than a request for it.
    expect(snapshot.diffs.get('notes.txt')).toEqual({
      path: 'notes.txt',
      status: 'modified',
      right: [],
      added: [],
      left: [],
    });
  });

  it('lists only the folders it needs when GitHub truncates the recursive tree', async () => {
    const { snapshot, recorded } = await read({
      files: [modified('deep/mod/main.tf', '@@ -1 +1 @@\n-a\n+b')],
      head: { 'deep/mod/main.tf': 'b\n', 'deep/mod/vars.tf': 'v\n', 'other/x.tf': 'o\n' },
      base: { 'deep/mod/main.tf': 'a\n', 'deep/mod/vars.tf': 'v\n', 'other/x.tf': 'o\n' },
      truncatedTrees: true,
    });
    expect(snapshot.targets).toEqual(['deep/mod']);
    expect(filesUnder(snapshot.headRoot)).toEqual(['deep/mod/main.tf', 'deep/mod/vars.tf']);
    // Per side: the recursive try, then root, deep, deep/mod.
    expect(recorded.count('GET /repos/octo/infra/git/trees/')).toBe(8);
  });

  it('keeps within the total size budget', async () => {
    const { snapshot } = await read(
      {
        files: [
          { filename: 'a.yaml', status: 'added' },
          { filename: 'b.yaml', status: 'added' },
        ],
        head: { 'a.yaml': 'a'.repeat(600), 'b.yaml': 'b'.repeat(600) },
        base: {},
      },
      { maxTotalBytes: 1000 },
    );
    expect(snapshot.targets).toEqual(['a.yaml']);
    expect(snapshot.skipped).toContainEqual({
      path: 'b.yaml',
      reason: 'over the 1000 bytes total size budget',
    });
  });

  it('stops between requests when the signal aborts mid-run', async () => {
    const recorded = fakeGitHub({
      files: [modified('app.yaml', '@@ -1 +1 @@\n-a\n+b')],
      head: { 'app.yaml': 'b\n' },
      base: { 'app.yaml': 'a\n' },
    });
    const controller = new AbortController();
    const github = client();
    // A newer push arrives while the files are being listed.
    const aborting: typeof github = {
      graphql: github.graphql,
      request: (async (...args: Parameters<typeof github.request>) => {
        const response = await github.request(...args);
        controller.abort();
        return response;
      }) as typeof github.request,
    };
    await expect(
      readPullRequest(aborting, target, { selectFile: () => true, signal: controller.signal }),
    ).rejects.toThrow(/abort/i);
    expect(recorded.requests).toHaveLength(1);
  });

  it('fails (for the caller to report) when GitHub fails', async () => {
    nock('https://api.github.com').get('/repos/octo/infra/pulls/7/files').query(true).reply(500, {
      message: 'Server Error',
    });
    await expect(readPullRequest(client(), target, { selectFile: () => true })).rejects.toThrow();
  });

  it('stops when aborted, and dispose removes both folders (twice is fine)', async () => {
    fakeGitHub({ files: [], head: {}, base: {} });
    const controller = new AbortController();
    controller.abort();
    await expect(
      readPullRequest(client(), target, { selectFile: () => true, signal: controller.signal }),
    ).rejects.toThrow(/abort/i);
    const { snapshot } = await read({ files: [], head: {}, base: {} });
    expect(snapshot.targets).toEqual([]);
    await snapshot.dispose();
    await snapshot.dispose();
    expect(existsSync(snapshot.headRoot)).toBe(false);
    expect(existsSync(snapshot.baseRoot)).toBe(false);
  });
});
