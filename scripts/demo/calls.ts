/**
 * Counts the GitHub API calls the stand-in recorded, by the kinds that matter for rate limits:
 * REST reads, GraphQL queries, writes (REST writes and GraphQL mutations, which GitHub's
 * secondary limits count apart) and installation-token requests (once per installation and
 * hour, not per evaluation). Shared by the demo and `bench/github-calls.ts`.
 */

/** The part of the stand-in's recorded call the counts need. */
export interface CountedCall {
  readonly method: string;
  readonly path: string;
  readonly graphqlOperation?: 'query' | 'mutation';
}

export interface CallCounts {
  readonly restReads: number;
  readonly graphqlQueries: number;
  readonly writes: number;
  readonly tokens: number;
  readonly total: number;
}

export function countCalls(calls: readonly CountedCall[]): CallCounts {
  let restReads = 0;
  let graphqlQueries = 0;
  let writes = 0;
  let tokens = 0;
  for (const call of calls) {
    const method = call.method.toUpperCase();
    if (/^\/app\/installations\/[^/]+\/access_tokens$/.test(call.path)) tokens++;
    else if (call.path === '/graphql') {
      if (call.graphqlOperation === 'mutation') writes++;
      else graphqlQueries++;
    } else if (method === 'GET' || method === 'HEAD') restReads++;
    else writes++;
  }
  return { restReads, graphqlQueries, writes, tokens, total: calls.length };
}
