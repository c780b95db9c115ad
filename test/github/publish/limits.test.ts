import { describe, expect, it } from 'vitest';
import { findingMarker, fingerprintInBody } from '../../../src/github/markers.js';
import {
  chunks,
  limitCommentBody,
  MAX_COMMENT_BODY,
  truncateBytes,
  truncateChars,
} from '../../../src/github/publish/limits.js';
import { retryDelay } from '../../../src/github/publish/retry.js';

const httpError = (status: number, headers: Record<string, string> = {}) =>
  Object.assign(new Error('boom'), { status, response: { headers } });

describe('limits', () => {
  it('truncates by characters without splitting a surrogate pair', () => {
    expect(truncateChars('abcdef', 10)).toBe('abcdef');
    expect(truncateChars('abcdef', 4)).toBe('abc…');
    expect(truncateChars('ab😀def', 4)).toBe('ab…');
  });

  it('truncates by UTF-8 bytes on a character boundary', () => {
    const text = 'é'.repeat(10);
    const cut = truncateBytes(text, 8);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(8);
    expect(cut).toBe('éé…');
  });

  it('keeps the finding marker when a comment body is cut', () => {
    const marker = findingMarker('a1b2c3d4e5f60718');
    const body = `${'x'.repeat(MAX_COMMENT_BODY + 10)}\n${marker}`;
    const limited = limitCommentBody(body);
    expect(limited.length).toBeLessThanOrEqual(MAX_COMMENT_BODY);
    expect(fingerprintInBody(limited)).toBe('a1b2c3d4e5f60718');
  });

  it('chunks', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunks([], 50)).toEqual([]);
  });
});

describe('retryDelay', () => {
  const now = 1_000_000_000_000;
  it('honours retry-after and x-ratelimit-reset within the bound', () => {
    expect(retryDelay(httpError(429, { 'retry-after': '7' }), now, 60_000)).toBe(7000);
    const reset = String(now / 1000 + 30);
    expect(
      retryDelay(
        httpError(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }),
        now,
        60_000,
      ),
    ).toBe(30_000);
    expect(retryDelay(httpError(403, { 'retry-after': '61' }), now, 60_000)).toBeUndefined();
  });

  it('a 429 without headers waits a minute; a plain 403 or a 4xx is not retried', () => {
    expect(retryDelay(httpError(429), now, 60_000)).toBe(60_000);
    expect(retryDelay(httpError(403), now, 60_000)).toBeUndefined();
    expect(retryDelay(httpError(422), now, 60_000)).toBeUndefined();
    expect(retryDelay(new Error('network'), now, 60_000)).toBeUndefined();
  });

  it('a 5xx is retried after a short pause', () => {
    expect(retryDelay(httpError(502), now, 60_000)).toBe(1000);
  });
});
