/**
 * The few ways the GitHub layer calls the API, on top of `GitHubClient` (request + graphql).
 */
import type { GitHubClient } from './types.js';

/** GitHub's largest page size for list endpoints. */
export const PAGE_SIZE = 100;

/**
 * All items of a list endpoint, one page of 100 after another, stopping at a short page or
 * after `maxPages` (GitHub itself stops listing a pull request's files at 3,000 = 30 pages).
 * The route's response must be an array.
 */
export async function listAll<T>(
  client: GitHubClient,
  route: string,
  parameters: Record<string, unknown>,
  maxPages: number,
): Promise<{ items: T[]; complete: boolean }> {
  const items: T[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const response = await client.request(route, { ...parameters, per_page: PAGE_SIZE, page });
    const data = response.data as unknown;
    if (!Array.isArray(data)) throw new Error(`${route} did not return a list`);
    items.push(...(data as T[]));
    if (data.length < PAGE_SIZE) return { items, complete: true };
  }
  return { items, complete: false };
}

/** An error's HTTP status when it came from Octokit (`RequestError`), else undefined. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error) {
    const status = (error as { status: unknown }).status;
    return typeof status === 'number' ? status : undefined;
  }
  return undefined;
}

/**
 * A failed request (or any error) as one short line, `HTTP 502: Server Error`: for the check
 * run's "could not evaluate" reason and for publishing warnings. No stack, no headers (a
 * request error's headers could hold a token).
 */
export function describeError(error: unknown): string {
  const status = statusOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split('\n')[0]?.slice(0, 300) ?? '';
  return status === undefined ? line : `HTTP ${status}: ${line}`;
}
