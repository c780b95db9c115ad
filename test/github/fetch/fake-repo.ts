/**
 * A pull request on a stand-in for the few GitHub endpoints the fetch module calls (nock, no
 * network): the files list (or a merge group's comparison), recursive and per-folder git trees,
 * GraphQL blob lookups and the blobs API. Every request is counted and every GraphQL query kept for assertions.
 */
import { createHash } from 'node:crypto';
import nock from 'nock';
import { Octokit } from '@octokit/rest';
import type { GitHubClient, PullRequestTarget } from '../../../src/github/types.js';

export type FakeFile =
  | string
  | {
      readonly text?: string;
      readonly binary?: boolean;
      readonly mode?: string;
      readonly submodule?: boolean;
      /** GraphQL returns no text (as for large blobs): only the blobs API has it. */
      readonly truncated?: boolean;
      /** Declared size overriding the text's. */
      readonly size?: number;
    };

export type FakeTree = Readonly<Record<string, FakeFile>>;

export interface FakePullFile {
  readonly filename: string;
  readonly status: string;
  readonly previous_filename?: string;
  readonly patch?: string;
}

export const HEAD = 'a'.repeat(40);
export const BASE = 'b'.repeat(40);

export const target: PullRequestTarget = {
  owner: 'octo',
  repo: 'infra',
  number: 7,
  headSha: HEAD,
  baseSha: BASE,
  baseRef: 'main',
  defaultBranch: 'main',
  author: 'dev',
};

export function blobSha(file: FakeFile): string {
  const text = typeof file === 'string' ? file : (file.text ?? '');
  const binary = typeof file !== 'string' && file.binary ? '\0bin' : '';
  const body = Buffer.from(text + binary);
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${body.length}\0`), body]))
    .digest('hex');
}

function treeSha(commit: string, folder: string): string {
  return createHash('sha1').update(`tree ${commit} ${folder}`).digest('hex');
}

interface Entry {
  path: string;
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  size?: number;
}

function entries(commit: string, tree: FakeTree): Entry[] {
  const out: Entry[] = [];
  const folders = new Set<string>();
  for (const [path, file] of Object.entries(tree)) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
    if (typeof file !== 'string' && file.submodule) {
      out.push({ path, mode: '160000', type: 'commit', sha: blobSha(path) });
      continue;
    }
    const text = typeof file === 'string' ? file : (file.text ?? '');
    out.push({
      path,
      mode: (typeof file !== 'string' && file.mode) || '100644',
      type: 'blob',
      sha: blobSha(file),
      size: (typeof file !== 'string' && file.size) || Buffer.byteLength(text),
    });
  }
  for (const folder of folders)
    out.push({ path: folder, mode: '040000', type: 'tree', sha: treeSha(commit, folder) });
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

export interface FakeOptions {
  readonly files: readonly FakePullFile[];
  readonly head: FakeTree;
  readonly base: FakeTree;
  /** The recursive tree listings say `truncated: true`. */
  readonly truncatedTrees?: boolean;
}

export interface Recorded {
  readonly requests: string[];
  readonly queries: { query: string; variables: Record<string, unknown> }[];
  count(prefix: string): number;
}

/** Installs the interceptors; `nock.cleanAll()` removes them. */
export function fakeGitHub(options: FakeOptions): Recorded {
  const requests: string[] = [];
  const queries: Recorded['queries'] = [];
  const blobs = new Map<string, FakeFile>();
  for (const tree of [options.head, options.base])
    for (const file of Object.values(tree)) blobs.set(blobSha(file), file);
  const listings = new Map<string, Entry[]>([
    [HEAD, entries(HEAD, options.head)],
    [BASE, entries(BASE, options.base)],
  ]);

  const api = nock('https://api.github.com').persist();
  // A merge group's files: the comparison's first page, at most 300 (as GitHub).
  api
    .get(`/repos/octo/infra/compare/${BASE}...${HEAD}`)
    .query(true)
    .reply(function (uri) {
      requests.push(`GET ${uri}`);
      return [
        200,
        {
          base_commit: { sha: BASE },
          merge_base_commit: { sha: BASE },
          status: 'ahead',
          commits: [],
          files: options.files.slice(0, 300),
        },
      ];
    });
  api
    .get(`/repos/octo/infra/pulls/7/files`)
    .query(true)
    .reply(function (uri) {
      requests.push(`GET ${uri}`);
      const url = new URL(uri, 'https://api.github.com');
      const perPage = Number(url.searchParams.get('per_page'));
      const page = Number(url.searchParams.get('page'));
      return [200, options.files.slice((page - 1) * perPage, page * perPage)];
    });
  api
    .get(/^\/repos\/octo\/infra\/git\/trees\/[0-9a-f]{40}/)
    .query(true)
    .reply(function (uri) {
      requests.push(`GET ${uri}`);
      const url = new URL(uri, 'https://api.github.com');
      const sha = url.pathname.split('/').pop() ?? '';
      const recursive = url.searchParams.get('recursive') === '1';
      for (const [commit, listing] of listings) {
        if (sha === commit) {
          if (recursive)
            return [200, { sha, tree: listing, truncated: options.truncatedTrees === true }];
          return [200, { sha, tree: childrenOf(listing, ''), truncated: false }];
        }
        const folder = listing.find((e) => e.type === 'tree' && e.sha === sha);
        if (folder) return [200, { sha, tree: childrenOf(listing, folder.path), truncated: false }];
      }
      return [404, { message: 'Not Found' }];
    });
  api.get(/^\/repos\/octo\/infra\/git\/blobs\/[0-9a-f]{40}$/).reply(function (uri) {
    requests.push(`GET ${uri}`);
    const file = blobs.get(uri.split('/').pop() ?? '');
    if (file === undefined) return [404, { message: 'Not Found' }];
    const text = typeof file === 'string' ? file : (file.text ?? '');
    return [200, { content: Buffer.from(text).toString('base64'), encoding: 'base64' }];
  });
  api.post('/graphql').reply(function (uri, body) {
    requests.push(`POST ${uri}`);
    const { query, variables } = body as { query: string; variables: Record<string, unknown> };
    queries.push({ query, variables });
    const repository: Record<string, unknown> = {};
    for (const match of query.matchAll(/(a\d+): object\(oid: "([0-9a-f]{40})"\)/g)) {
      const file = blobs.get(match[2] ?? '');
      if (file === undefined) {
        repository[match[1] ?? ''] = null;
        continue;
      }
      const text = typeof file === 'string' ? file : (file.text ?? '');
      const binary = typeof file !== 'string' && file.binary === true;
      const truncated = typeof file !== 'string' && file.truncated === true;
      repository[match[1] ?? ''] = {
        oid: match[2],
        text: binary || truncated ? null : text,
        byteSize: Buffer.byteLength(text),
        isBinary: binary,
        isTruncated: truncated,
      };
    }
    return [200, { data: { repository } }];
  });

  return {
    requests,
    queries,
    count: (prefix) => requests.filter((r) => r.startsWith(prefix)).length,
  };
}

function childrenOf(listing: readonly Entry[], folder: string): Entry[] {
  const prefix = folder === '' ? '' : `${folder}/`;
  return listing
    .filter((e) => e.path.startsWith(prefix) && !e.path.slice(prefix.length).includes('/'))
    .map((e) => ({ ...e, path: e.path.slice(prefix.length) }));
}

export function client(): GitHubClient {
  return new Octokit({ auth: 'test-token', request: { retries: 0 } });
}
