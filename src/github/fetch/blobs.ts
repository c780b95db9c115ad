/**
 * File contents by blob sha, in as few requests as GitHub allows: one GraphQL query per batch of
 * aliased `object(oid:)` lookups, and the REST blobs API only for the blobs GraphQL does not
 * return whole (`isTruncated`, or `text` null for a text file). A blob shared by base and head
 * is asked for once, since the caller passes unique shas.
 *
 * The query text holds only generated aliases (`a0`, `a1`…) and shas checked against
 * /^[0-9a-f]{40}$/; owner and name travel as variables. Nothing from file contents or paths ever
 * reaches the query text.
 */
import type { GitHubClient, RepoRef } from '../types.js';

/** Objects per GraphQL query: GitHub's node limit is far above, response size is the real cap. */
export const MAX_OBJECTS_PER_QUERY = 100;
/** Declared bytes per query, so one response stays a reasonable size. */
export const MAX_BYTES_PER_QUERY = 8 * 1024 * 1024;

const SHA = /^[0-9a-f]{40}$/;

export interface WantedBlob {
  readonly sha: string;
  /** From the tree listing; 0 when unknown. */
  readonly size: number;
}

export type BlobContent = { readonly text: string } | { readonly skipped: string };

interface GraphBlob {
  oid?: string;
  text?: string | null;
  byteSize?: number;
  isBinary?: boolean | null;
  isTruncated?: boolean;
}

/** Batches in order, each within the object and byte limits (a bigger blob travels alone). */
export function batchBlobs(blobs: readonly WantedBlob[]): WantedBlob[][] {
  const batches: WantedBlob[][] = [];
  let current: WantedBlob[] = [];
  let bytes = 0;
  for (const blob of blobs) {
    if (
      current.length > 0 &&
      (current.length >= MAX_OBJECTS_PER_QUERY || bytes + blob.size > MAX_BYTES_PER_QUERY)
    ) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(blob);
    bytes += blob.size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** The query for one batch: `a<i>` is the i-th sha of the batch. */
export function blobQuery(shas: readonly string[]): string {
  const fields = shas.map((sha, index) => {
    if (!SHA.test(sha)) throw new Error(`not a blob sha: ${JSON.stringify(sha)}`);
    return `    a${index}: object(oid: "${sha}") { ... on Blob { oid text byteSize isBinary isTruncated } }`;
  });
  return [
    'query($owner: String!, $name: String!) {',
    '  repository(owner: $owner, name: $name) {',
    ...fields,
    '  }',
    '}',
  ].join('\n');
}

export async function fetchBlobs(
  client: GitHubClient,
  repo: RepoRef,
  blobs: readonly WantedBlob[],
  signal?: AbortSignal,
): Promise<Map<string, BlobContent>> {
  const contents = new Map<string, BlobContent>();
  const viaRest: string[] = [];
  for (const batch of batchBlobs(blobs.filter((blob) => SHA.test(blob.sha)))) {
    signal?.throwIfAborted();
    const shas = batch.map((blob) => blob.sha);
    const data = await client.graphql<{ repository?: Record<string, GraphBlob | null> | null }>(
      blobQuery(shas),
      { owner: repo.owner, name: repo.repo, ...(signal ? { request: { signal } } : {}) },
    );
    shas.forEach((sha, index) => {
      const blob = data.repository?.[`a${index}`];
      if (!blob) contents.set(sha, { skipped: 'not found in the repository' });
      else if (blob.isBinary === true) contents.set(sha, { skipped: 'binary file' });
      else if (blob.isTruncated === true || typeof blob.text !== 'string') viaRest.push(sha);
      else contents.set(sha, { text: blob.text });
    });
  }
  for (const sha of viaRest) {
    signal?.throwIfAborted();
    const response = await client.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', {
      owner: repo.owner,
      repo: repo.repo,
      file_sha: sha,
      ...(signal ? { request: { signal } } : {}),
    });
    const data = response.data as { content?: unknown; encoding?: unknown };
    if (typeof data.content !== 'string') {
      contents.set(sha, { skipped: 'content not returned by GitHub' });
      continue;
    }
    const bytes = Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8');
    // GraphQL decides binary by content; for blobs it did not return, NUL bytes decide.
    if (bytes.includes(0)) contents.set(sha, { skipped: 'binary file' });
    else contents.set(sha, { text: bytes.toString('utf8') });
  }
  return contents;
}
