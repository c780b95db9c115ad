/**
 * A merge group's files come from comparing its base with its head (`GET compare/{base}...{head}`,
 * first page, at most 300 files) instead of a pull request's file list; everything after the
 * list is the pull request's code. Here on the fetch module's nock stand-in (exact control of
 * `patch` and of the list's length); test/github/merge-group.test.ts runs it on the fake GitHub.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_COMPARE_FILES, readPullRequest } from '../../../src/github/fetch/index.js';
import { diffLines } from '../../../src/github/fetch/line-diff.js';
import type { PullRequestSnapshot, PullRequestTarget } from '../../../src/github/types.js';
import type { FakeOptions, FakePullFile } from './fake-repo.js';
import { BASE, HEAD, client, fakeGitHub, target as pullTarget } from './fake-repo.js';

const group: PullRequestTarget = {
  ...pullTarget,
  author: '',
  mergeGroup: { headRef: `gh-readonly-queue/main/pr-7-${BASE}` },
};

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
const snapshots: PullRequestSnapshot[] = [];
afterEach(async () => {
  nock.cleanAll();
  for (const snapshot of snapshots.splice(0)) await snapshot.dispose();
});

async function read(options: FakeOptions) {
  const recorded = fakeGitHub(options);
  const snapshot = await readPullRequest(client(), group, { selectFile: () => true });
  snapshots.push(snapshot);
  return { snapshot, recorded };
}

const bucket = (name: string): string =>
  ['Resources:', `  ${name}:`, '    Type: AWS::S3::Bucket', ''].join('\n');

describe('readPullRequest on a merge group', () => {
  it('lists the files with one compare request (one commit per page), then reads trees and blobs', async () => {
    const files: FakePullFile[] = [
      { filename: 'cfn/added.yaml', status: 'added', patch: '@@ -0,0 +1,3 @@\n+a\n+b\n+c' },
      { filename: 'cfn/changed.yaml', status: 'modified', patch: '@@ -2 +2 @@\n-x\n+y' },
      { filename: 'cfn/gone.yaml', status: 'removed', patch: '@@ -1,3 +0,0 @@\n-a\n-b\n-c' },
      {
        filename: 'cfn/moved.yaml',
        status: 'renamed',
        previous_filename: 'old/moved.yaml',
      },
    ];
    const { snapshot, recorded } = await read({
      files,
      head: {
        'cfn/added.yaml': bucket('Added'),
        'cfn/changed.yaml': bucket('Changed'),
        'cfn/moved.yaml': bucket('Moved'),
      },
      base: {
        'cfn/changed.yaml': bucket('Before'),
        'cfn/gone.yaml': bucket('Gone'),
        'old/moved.yaml': bucket('Moved'),
      },
    });
    expect(recorded.requests[0]).toBe(`GET /repos/octo/infra/compare/${BASE}...${HEAD}?per_page=1`);
    expect(recorded.count('GET /repos/octo/infra/pulls')).toBe(0);
    expect(recorded.count('GET /repos/octo/infra/compare')).toBe(1);
    expect(snapshot.targets).toEqual(['cfn/added.yaml', 'cfn/changed.yaml', 'cfn/moved.yaml']);
    expect(snapshot.changedFiles).toBe(4);
    expect(snapshot.truncatedFileList).toBeUndefined();
    expect([...snapshot.diffs.values()]).toEqual([
      { path: 'cfn/added.yaml', status: 'added', right: [[1, 3]], added: [[1, 3]], left: [] },
      {
        path: 'cfn/changed.yaml',
        status: 'modified',
        right: [[2, 2]],
        added: [[2, 2]],
        left: [[2, 2]],
      },
      { path: 'cfn/gone.yaml', status: 'removed', right: [], added: [], left: [[1, 3]] },
      // A pure rename: no patch, nothing changed.
      {
        path: 'cfn/moved.yaml',
        status: 'renamed',
        previousPath: 'old/moved.yaml',
        right: [],
        added: [],
        left: [],
        computed: true,
      },
    ]);
    // The renamed file's base version is written at its head path.
    expect(readFileSync(path.join(snapshot.baseRoot, 'cfn/moved.yaml'), 'utf8')).toBe(
      bucket('Moved'),
    );
    expect(readFileSync(path.join(snapshot.headRoot, 'cfn/changed.yaml'), 'utf8')).toBe(
      bucket('Changed'),
    );
  });

  it('computes the lines of a file sent without a patch from base and head', async () => {
    const base = `${bucket('Big')}${'# filler\n'.repeat(20)}`;
    const head = base.replace('AWS::S3::Bucket', 'AWS::S3::Bucket # changed');
    const { snapshot } = await read({
      files: [{ filename: 'cfn/big.yaml', status: 'modified' }],
      head: { 'cfn/big.yaml': head },
      base: { 'cfn/big.yaml': base },
    });
    expect(snapshot.diffs.get('cfn/big.yaml')).toEqual({
      path: 'cfn/big.yaml',
      status: 'modified',
      ...diffLines(base, head),
      computed: true,
    });
    expect(diffLines(base, head)).toEqual({ right: [[1, 6]], added: [[3, 3]], left: [[3, 3]] });
  });

  it('marks the list truncated when the comparison holds 300 files (GitHub lists no more)', async () => {
    expect(MAX_COMPARE_FILES).toBe(300);
    const files: FakePullFile[] = Array.from({ length: 320 }, (_, i) => ({
      filename: `docs/page-${String(i).padStart(3, '0')}.md`,
      status: 'added',
      patch: '@@ -0,0 +1 @@\n+x',
    }));
    const { snapshot, recorded } = await read({ files, head: {}, base: {} });
    expect(snapshot.changedFiles).toBe(300);
    expect(snapshot.truncatedFileList).toBe(true);
    expect(snapshot.targets).toEqual([]);
    // No infrastructure among them: the comparison is the only request.
    expect(recorded.requests).toEqual([
      `GET /repos/octo/infra/compare/${BASE}...${HEAD}?per_page=1`,
    ]);
  });

  it('299 files is a complete list', async () => {
    const files: FakePullFile[] = Array.from({ length: 299 }, (_, i) => ({
      filename: `docs/page-${String(i).padStart(3, '0')}.md`,
      status: 'added',
      patch: '@@ -0,0 +1 @@\n+x',
    }));
    const { snapshot } = await read({ files, head: {}, base: {} });
    expect(snapshot.changedFiles).toBe(299);
    expect(snapshot.truncatedFileList).toBeUndefined();
  });
});
