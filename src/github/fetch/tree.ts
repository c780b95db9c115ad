/**
 * A commit's file tree from the git trees API: which files a folder holds (Terraform module
 * siblings), and each file's mode, size and blob sha — known before any content is fetched, so
 * symbolic links, submodules and oversized files are skipped without reading them.
 *
 * One recursive listing per commit normally. GitHub truncates recursive listings of very large
 * repositories (about 100,000 entries / 7 MB); then only the folders needed are listed, one
 * non-recursive call per folder on the way down, each cached.
 */
import type { GitHubClient, RepoRef } from '../types.js';

export interface TreeEntry {
  /** Root-relative path. */
  readonly path: string;
  readonly mode: string;
  readonly type: 'blob' | 'tree' | 'commit';
  readonly sha: string;
  readonly size?: number;
}

/** Entries by name, for one folder; undefined when the folder does not exist. */
export type Folder = ReadonlyMap<string, TreeEntry>;

export interface RepoTree {
  folder(path: string): Promise<Folder | undefined>;
  file(path: string): Promise<TreeEntry | undefined>;
}

interface RawEntry {
  path?: string;
  mode?: string;
  type?: string;
  sha?: string;
  size?: number;
}

const SHA = /^[0-9a-f]{40}$/;

/** git's mode for a symbolic link. */
export const SYMLINK_MODE = '120000';

type Request = (
  treeSha: string,
  recursive: boolean,
) => Promise<{ tree: RawEntry[]; truncated: boolean }>;

export function treeRequester(client: GitHubClient, repo: RepoRef, signal?: AbortSignal): Request {
  return async (treeSha, recursive) => {
    signal?.throwIfAborted();
    const response = await client.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
      owner: repo.owner,
      repo: repo.repo,
      tree_sha: treeSha,
      ...(recursive ? { recursive: '1' } : {}),
      ...(signal ? { request: { signal } } : {}),
    });
    const data = response.data as { tree?: unknown; truncated?: unknown };
    return {
      tree: Array.isArray(data.tree) ? (data.tree as RawEntry[]) : [],
      truncated: data.truncated === true,
    };
  };
}

/** The tree of `commitSha`: one recursive call, or folder by folder when GitHub truncates it. */
export async function readTree(request: Request, commitSha: string): Promise<RepoTree> {
  const listing = await request(commitSha, true);
  if (!listing.truncated) return completeTree(listing.tree);
  return lazyTree(request, commitSha);
}

function entryOf(raw: RawEntry, path: string): TreeEntry | undefined {
  if (typeof raw.sha !== 'string' || !SHA.test(raw.sha) || typeof raw.mode !== 'string')
    return undefined;
  if (raw.type !== 'blob' && raw.type !== 'tree' && raw.type !== 'commit') return undefined;
  return {
    path,
    mode: raw.mode,
    type: raw.type,
    sha: raw.sha,
    ...(typeof raw.size === 'number' ? { size: raw.size } : {}),
  };
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** '' and '.' both name the root folder. */
function folderKey(path: string): string {
  return path === '.' ? '' : path;
}

function completeTree(raw: readonly RawEntry[]): RepoTree {
  const folders = new Map<string, Map<string, TreeEntry>>([['', new Map()]]);
  for (const item of raw) {
    if (typeof item.path !== 'string') continue;
    const entry = entryOf(item, item.path);
    if (!entry) continue;
    const parent = parentOf(entry.path);
    let folder = folders.get(parent);
    if (!folder) folders.set(parent, (folder = new Map()));
    folder.set(nameOf(entry.path), entry);
    if (entry.type === 'tree' && !folders.has(entry.path)) folders.set(entry.path, new Map());
  }
  const tree: RepoTree = {
    folder: (path) => Promise.resolve(folders.get(folderKey(path))),
    file: async (path) => (await tree.folder(parentOf(path)))?.get(nameOf(path)),
  };
  return tree;
}

function lazyTree(request: Request, commitSha: string): RepoTree {
  const cache = new Map<string, Promise<Folder | undefined>>();
  const list = async (treeSha: string, path: string): Promise<Folder> => {
    const listing = await request(treeSha, false);
    const folder = new Map<string, TreeEntry>();
    for (const item of listing.tree) {
      // A non-recursive listing names entries by name only; anything else is not trusted.
      if (typeof item.path !== 'string' || item.path.includes('/') || item.path === '') continue;
      if (item.path === '.' || item.path === '..') continue;
      const entry = entryOf(item, path === '' ? item.path : `${path}/${item.path}`);
      if (entry) folder.set(item.path, entry);
    }
    return folder;
  };
  const folder = (path: string): Promise<Folder | undefined> => {
    const key = folderKey(path);
    let pending = cache.get(key);
    if (!pending) {
      pending =
        key === ''
          ? list(commitSha, '')
          : folder(parentOf(key)).then((parent) => {
              const entry = parent?.get(nameOf(key));
              return entry?.type === 'tree' ? list(entry.sha, key) : undefined;
            });
      cache.set(key, pending);
    }
    return pending;
  };
  const tree: RepoTree = {
    folder,
    file: async (path) => (await folder(parentOf(path)))?.get(nameOf(path)),
  };
  return tree;
}
