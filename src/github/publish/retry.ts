/**
 * One bounded retry for GitHub writes. GitHub asks clients to honour `retry-after` /
 * `x-ratelimit-reset` on secondary rate limits (403/429) and to serialize content-creating
 * requests; a 5xx is often transient. Publishing must stay bounded in time and in requests, so
 * every request is retried at most once and never waits longer than `maxWaitMs`.
 */
import { statusOf } from '../client.js';

/** How publishing waits; injectable so tests never sleep. */
export type Sleep = (milliseconds: number) => Promise<void>;

export const realSleep: Sleep = (milliseconds) =>
  new Promise((resolve) => setTimeout(resolve, milliseconds));

export interface RetryOptions {
  readonly sleep: Sleep;
  /** Longest wait before the single retry (default 60 s). */
  readonly maxWaitMs?: number;
  /** For `x-ratelimit-reset` (epoch seconds). */
  readonly now?: () => number;
}

const DEFAULT_MAX_WAIT_MS = 60_000;
/** GitHub: with no header on a secondary limit, "wait at least one minute". */
const SECONDARY_LIMIT_DEFAULT_MS = 60_000;
/** A short pause before retrying a 5xx: long enough for a blip, short for a webhook. */
const SERVER_ERROR_WAIT_MS = 1_000;

function headerOf(error: unknown, name: string): string | undefined {
  if (typeof error !== 'object' || error === null || !('response' in error)) return undefined;
  const response = (error as { response?: { headers?: Record<string, unknown> } }).response;
  const value = response?.headers?.[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/**
 * How long to wait before retrying after `error`, or undefined when retrying is pointless
 * (a client error, a permission 403, or a limit that resets later than we may wait).
 */
export function retryDelay(error: unknown, now: number, maxWaitMs: number): number | undefined {
  const status = statusOf(error);
  if (status === undefined) return undefined;
  if (status >= 500) return SERVER_ERROR_WAIT_MS;
  if (status !== 403 && status !== 429) return undefined;
  const retryAfter = headerOf(error, 'retry-after');
  const remaining = headerOf(error, 'x-ratelimit-remaining');
  const reset = headerOf(error, 'x-ratelimit-reset');
  let wait: number | undefined;
  if (retryAfter !== undefined && /^\d+$/.test(retryAfter.trim())) {
    wait = Number(retryAfter) * 1000;
  } else if (
    reset !== undefined &&
    /^\d+$/.test(reset.trim()) &&
    (remaining === '0' || status === 429)
  ) {
    wait = Math.max(0, Number(reset) * 1000 - now);
  } else if (status === 429) {
    wait = SECONDARY_LIMIT_DEFAULT_MS;
  }
  // A plain 403 (missing permission, blocked) is not a rate limit: retrying cannot help.
  if (wait === undefined || wait > maxWaitMs) return undefined;
  return wait;
}

/**
 * Runs `call`; on a rate limit or server error waits (bounded) and runs it once more.
 *
 * `landed` guards writes that are not idempotent: a 5xx does not prove GitHub dropped the
 * request (large reviews have been created despite a 502), so before repeating it `landed`
 * may look whether it took effect; when it did, `onLanded` stands in for the response.
 */
export async function withRetry<T>(
  call: () => Promise<T>,
  options: RetryOptions,
  guard?: { readonly landed: () => Promise<boolean>; readonly onLanded: () => T },
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const now = options.now?.() ?? Date.now();
    const wait = retryDelay(error, now, options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS);
    if (wait === undefined) throw error;
    await options.sleep(wait);
    const status = statusOf(error) ?? 0;
    if (guard && status >= 500 && (await guard.landed())) return guard.onLanded();
    return call();
  }
}
