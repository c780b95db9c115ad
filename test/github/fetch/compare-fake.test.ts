/**
 * A merge group's files read through the fake GitHub's comparison (the same diff code as its
 * pull request file list): every status, patches parsed, a rename's base version at its head
 * path, and the same snapshot a pull request with the same change gives.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPullRequest } from '../../../src/github/fetch/index.js';
import { targetOfMergeGroup, targetOfPullRequest } from '../../../src/github/target.js';
import type { PullRequestLike } from '../../../src/github/target.js';
import type { GitHubClient, PullRequestSnapshot } from '../../../src/github/types.js';
import type { FakeGitHub } from '../../fake-github/index.js';
import { fakeRepository } from '../../fake-github/probot.js';

const OWNER = 'acme';
const REPO = 'infra';
const REPOSITORY = { owner: OWNER, repo: REPO, defaultBranch: 'main' };

let fake: FakeGitHub;
let restore: () => void;
let client: GitHubClient;
const snapshots: PullRequestSnapshot[] = [];

beforeEach(async () => {
  ({ fake, restore, client } = await fakeRepository(OWNER, REPO));
});
afterEach(async () => {
  restore();
  for (const snapshot of snapshots.splice(0)) await snapshot.dispose();
});

const bucket = (name: string, extra = ''): string =>
  ['Resources:', `  ${name}:`, '    Type: AWS::S3::Bucket', extra, ''].join('\n');

describe('readPullRequest on a merge group (fake GitHub)', () => {
  it('reads added, modified, removed and renamed files as the pull request does', async () => {
    const base = fake.commit(OWNER, REPO, {
      branch: 'main',
      files: {
        'cfn/changed.yaml': bucket('Changed'),
        'cfn/gone.yaml': bucket('Gone'),
        'old/moved.yaml': bucket('Moved', '# unchanged'),
      },
    });
    const head = fake.commit(OWNER, REPO, {
      parent: base,
      branch: 'change',
      files: {
        'cfn/added.yaml': bucket('Added'),
        'cfn/changed.yaml': bucket('Changed', '    # reviewed'),
        'cfn/gone.yaml': null,
        'old/moved.yaml': null,
        'cfn/moved.yaml': bucket('Moved', '# unchanged'),
      },
    });
    const number = fake.openPullRequest(OWNER, REPO, { base: 'main', headSha: head });
    const group = fake.createMergeGroup(OWNER, REPO, { base: 'main', pullNumber: number });
    const target = targetOfMergeGroup(
      {
        head_sha: group.headSha,
        base_sha: group.baseSha,
        head_ref: group.headRef,
        base_ref: group.baseRef,
      },
      REPOSITORY,
    );
    const read = async (t: typeof target) => {
      const snapshot = await readPullRequest(client, t, { selectFile: () => true });
      snapshots.push(snapshot);
      return snapshot;
    };
    const snapshot = await read(target);

    expect([...snapshot.diffs.values()]).toEqual([
      { path: 'cfn/added.yaml', status: 'added', right: [[1, 4]], added: [[1, 4]], left: [] },
      {
        path: 'cfn/changed.yaml',
        status: 'modified',
        right: [[1, 4]],
        added: [[4, 4]],
        left: [[4, 4]],
      },
      { path: 'cfn/gone.yaml', status: 'removed', right: [], added: [], left: [[1, 4]] },
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
    expect(snapshot.targets).toEqual(['cfn/added.yaml', 'cfn/changed.yaml', 'cfn/moved.yaml']);
    expect(snapshot.changedFiles).toBe(4);
    expect(snapshot.truncatedFileList).toBeUndefined();
    expect(readFileSync(path.join(snapshot.baseRoot, 'cfn/moved.yaml'), 'utf8')).toBe(
      bucket('Moved', '# unchanged'),
    );
    expect(readFileSync(path.join(snapshot.headRoot, 'cfn/changed.yaml'), 'utf8')).toBe(
      bucket('Changed', '    # reviewed'),
    );

    // The pull request itself, read through its file list: the same diffs and targets.
    const pull = await read(
      targetOfPullRequest(
        (
          fake.pullRequestPayload(OWNER, REPO, number, 'opened') as {
            pull_request: PullRequestLike;
          }
        ).pull_request,
        REPOSITORY,
      ),
    );
    expect([...pull.diffs.values()]).toEqual([...snapshot.diffs.values()]);
    expect(pull.targets).toEqual(snapshot.targets);
    expect(fake.violations).toEqual([]);
  });

  it('marks a comparison of more than 300 files truncated', async () => {
    const base = fake.commit(OWNER, REPO, { branch: 'main', files: { 'README.md': 'hi\n' } });
    const files: Record<string, string> = {};
    for (let i = 0; i < 305; i++) files[`docs/page-${String(i).padStart(3, '0')}.md`] = `${i}\n`;
    const head = fake.commit(OWNER, REPO, { parent: base, branch: 'change', files });
    const number = fake.openPullRequest(OWNER, REPO, { base: 'main', headSha: head });
    const group = fake.createMergeGroup(OWNER, REPO, { base: 'main', pullNumber: number });
    const snapshot = await readPullRequest(
      client,
      targetOfMergeGroup(
        {
          head_sha: group.headSha,
          base_sha: group.baseSha,
          head_ref: group.headRef,
          base_ref: group.baseRef,
        },
        REPOSITORY,
      ),
      { selectFile: () => true },
    );
    snapshots.push(snapshot);
    expect(snapshot.changedFiles).toBe(300);
    expect(snapshot.truncatedFileList).toBe(true);
    expect(fake.violations).toEqual([]);
  });
});
