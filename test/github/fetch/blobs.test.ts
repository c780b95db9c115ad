import { validate } from '@octokit/graphql-schema';
import { describe, expect, it } from 'vitest';
import { MAX_BYTES_PER_QUERY, batchBlobs, blobQuery } from '../../../src/github/fetch/blobs.js';

const sha = (i: number): string => i.toString(16).padStart(40, '0');

describe('blobQuery', () => {
  it("is valid against GitHub's GraphQL schema", () => {
    expect(validate(blobQuery([sha(1), sha(2), sha(3)]))).toEqual([]);
  });

  it('refuses anything but a 40-hex sha, so nothing else reaches the query text', () => {
    expect(() => blobQuery(['") { x } a1: object(oid: "'])).toThrow(/not a blob sha/);
    expect(() => blobQuery([sha(1).toUpperCase().replace('0', 'G')])).toThrow();
  });
});

describe('batchBlobs', () => {
  it('cuts batches at 100 objects and at the declared byte limit; a big blob travels alone', () => {
    const small = Array.from({ length: 230 }, (_, i) => ({ sha: sha(i), size: 10 }));
    expect(batchBlobs(small).map((b) => b.length)).toEqual([100, 100, 30]);
    const big = [
      { sha: sha(1), size: MAX_BYTES_PER_QUERY - 5 },
      { sha: sha(2), size: 10 },
      { sha: sha(3), size: MAX_BYTES_PER_QUERY * 2 },
      { sha: sha(4), size: 1 },
    ];
    expect(batchBlobs(big).map((b) => b.map((x) => x.sha))).toEqual([
      [sha(1)],
      [sha(2)],
      [sha(3)],
      [sha(4)],
    ]);
  });
});
