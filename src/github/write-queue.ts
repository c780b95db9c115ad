/**
 * GitHub's secondary rate limits punish bursts of content-creating requests from one
 * installation ("at most 80 a minute", and concurrent writes count against you), so writes of
 * one installation go out one at a time, in order, however many evaluations run at once.
 * Reads are not queued: they are cheap and an evaluation waits for them.
 *
 * Installed as an Octokit request hook, so every write of the app passes through it: check
 * runs, reviews, replies, comments and GraphQL mutations (a GraphQL query is a read).
 */
import type { Octokit } from '@octokit/core';

export interface RequestOptionsLike {
  readonly method?: string;
  readonly url?: string;
  /** The GraphQL document, for `POST /graphql`. */
  readonly query?: unknown;
}

/** One chain of writes per key (an installation id). */
export class WriteQueues {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `task` after every write queued before it under `key`, failures included. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    // Forget the chain once it is idle, so the map does not grow with installations.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with writes in flight or waiting (for tests). */
  get size(): number {
    return this.tails.size;
  }
}

/** Is this request a write? GraphQL goes through `POST /graphql`: only mutations write. */
export function isWrite(options: RequestOptionsLike): boolean {
  const method = (options.method ?? 'GET').toUpperCase();
  if (method === 'GET' || method === 'HEAD') return false;
  if (/\/graphql$/.test(options.url ?? '')) {
    const query = typeof options.query === 'string' ? options.query : '';
    return /^\s*mutation\b/.test(query.replace(/^\s*#.*$/gm, ''));
  }
  // Minting an installation token is the app's own bookkeeping, not content.
  return !/\/access_tokens$/.test(options.url ?? '');
}

/** Routes `octokit`'s writes through the queue of `key`. */
export function queueWrites(
  octokit: Pick<Octokit, 'hook'>,
  queues: WriteQueues,
  key: string,
): void {
  octokit.hook.wrap('request', (request, options) =>
    isWrite(options) ? queues.run(key, async () => request(options)) : request(options),
  );
}
