/**
 * Which files a target changes, as GitHub lists them. A pull request: its paginated file list
 * (`GET /pulls/{n}/files`, up to 3,000). A merge group has no pull request: the comparison of
 * its base with its head (`GET /compare/{base}...{head}`), whose first page carries the files —
 * up to 300, GitHub's limit for a comparison. Both give the same items (status, previous name,
 * patch), diffed from the merge base, so everything after the list is shared.
 */
import { listAll } from '../client.js';
import type { FileDiff, GitHubClient, PullRequestTarget } from '../types.js';

/** GitHub lists at most 3,000 files of a pull request: 30 pages of 100. */
export const MAX_FILE_PAGES = 30;
/** GitHub lists at most 300 files of a comparison, all on its first page. */
export const MAX_COMPARE_FILES = 300;

/** The fields of `GET /pulls/{n}/files` (and `compare`'s `files`) items read here. */
export interface ChangedFile {
  readonly filename: string;
  readonly status: FileDiff['status'];
  readonly previous_filename?: string;
  readonly patch?: string;
}

export interface ChangedFileList {
  /** Items with a string `filename`, in GitHub's order. */
  readonly files: readonly ChangedFile[];
  /** False when GitHub stopped listing (3,000 files of a pull request, 300 of a comparison). */
  readonly complete: boolean;
}

export async function listChangedFiles(
  client: GitHubClient,
  target: PullRequestTarget,
  signal?: AbortSignal,
): Promise<ChangedFileList> {
  const repo = { owner: target.owner, repo: target.repo };
  const request = signal ? { request: { signal } } : {};
  if (target.mergeGroup === undefined) {
    const listed = await listAll<ChangedFile>(
      client,
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/files',
      { ...repo, pull_number: target.number, ...request },
      MAX_FILE_PAGES,
    );
    return { files: listed.items.filter(hasName), complete: listed.complete };
  }
  const { data } = await client.request('GET /repos/{owner}/{repo}/compare/{basehead}', {
    ...repo,
    basehead: `${target.baseSha}...${target.headSha}`,
    // Pages only split the commit list; the files all come on the first page. One commit per
    // page keeps the response small (a queue of many pull requests has many commits).
    per_page: 1,
    ...request,
  });
  const files: unknown = data.files;
  const items = Array.isArray(files) ? (files as ChangedFile[]).filter(hasName) : [];
  // GitHub does not say whether it stopped: a full 300 means there may be more.
  return { files: items, complete: items.length < MAX_COMPARE_FILES };
}

function hasName(file: ChangedFile): boolean {
  return typeof file.filename === 'string';
}
