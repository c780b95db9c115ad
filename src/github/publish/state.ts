/**
 * What this app published earlier on a pull request: its review threads (by hidden finding
 * marker) and its summary comment (by summary marker). A marker counts only in a comment the
 * app itself wrote: anyone can type a marker into their own comment.
 */
import { listAll } from '../client.js';
import type { ListedIssueComment } from '../commands/types.js';
import { fingerprintInBody, isSummaryBody } from '../markers.js';
import type { ExistingState, ExistingThread, GitHubClient, PullRequestTarget } from '../types.js';

/** 100 threads a page, 30 pages: far beyond any pull request a bot should comment on. */
const MAX_THREAD_PAGES = 30;
const MAX_COMMENT_PAGES = 30;

/**
 * Variables carry every value from outside: nothing is interpolated into the query text.
 * Only the fields the fake GitHub implements (and the app needs) are asked for.
 */
export const REVIEW_THREADS_QUERY = `query ReviewThreads($owner: String!, $name: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $cursor) {
        pageInfo { hasNextPage endCursor }
        nodes {
          id
          isResolved
          isOutdated
          path
          line
          resolvedBy { login }
          comments(first: 100) {
            nodes { databaseId body author { login } }
          }
        }
      }
    }
  }
}`;

interface ThreadNode {
  readonly id: string;
  readonly isResolved: boolean;
  readonly isOutdated?: boolean;
  readonly path: string;
  readonly line?: number | null;
  readonly resolvedBy?: { readonly login: string } | null;
  readonly comments: {
    readonly nodes: readonly ({
      readonly databaseId: number | null;
      readonly body: string;
      readonly author: { readonly login: string } | null;
    } | null)[];
  };
}

interface ReviewThreadsResponse {
  readonly repository: {
    readonly pullRequest: {
      readonly reviewThreads: {
        readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
        readonly nodes: readonly (ThreadNode | null)[];
      };
    } | null;
  } | null;
}

/**
 * A predicate for "written by this app". GraphQL's `author.login` shows an app as `<slug>`,
 * REST as `<slug>[bot]`; `botLogin` may come in either form (or be a user's login when the CLI
 * publishes with a personal token). Case-insensitive.
 *
 * - `graphql`: both forms match (GraphQL drops the suffix, so it cannot tell more).
 * - `rest`: REST always shows the suffix on an app's comments, so when `botLogin` has it, a
 *   user whose login happens to be the bare slug is not taken for the app.
 */
export function isAppLogin(
  botLogin: string,
  api: 'graphql' | 'rest',
): (login: string | null | undefined) => boolean {
  const lower = (login: string) => login.toLowerCase();
  const bare = (login: string) => lower(login).replace(/\[bot\]$/, '');
  const own = lower(botLogin);
  if (api === 'graphql') {
    return (login) => typeof login === 'string' && login !== '' && bare(login) === bare(own);
  }
  const accepted = own.endsWith('[bot]') ? [own] : [own, `${own}[bot]`];
  return (login) => typeof login === 'string' && accepted.includes(lower(login));
}

/** Our thread from one GraphQL node, or undefined when the thread is not ours. */
function threadOf(node: ThreadNode, isApp: (login: string | null | undefined) => boolean) {
  const [first, ...rest] = node.comments.nodes;
  if (!first || first.databaseId === null || !isApp(first.author?.login)) return undefined;
  const fingerprint = fingerprintInBody(first.body);
  if (fingerprint === undefined) return undefined;
  const thread: ExistingThread = {
    threadId: node.id,
    commentId: first.databaseId,
    fingerprint,
    isResolved: node.isResolved,
    // A resolver whose account is gone (null) was not this app.
    resolvedByHuman: node.isResolved && !isApp(node.resolvedBy?.login),
    humanReplied: rest.some((comment) => comment !== null && !isApp(comment.author?.login)),
    path: node.path,
  };
  return thread;
}

export async function loadReviewThreads(
  client: GitHubClient,
  target: PullRequestTarget,
  botLogin: string,
): Promise<ExistingThread[]> {
  const isApp = isAppLogin(botLogin, 'graphql');
  const threads: ExistingThread[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_THREAD_PAGES; page++) {
    const data: ReviewThreadsResponse = await client.graphql<ReviewThreadsResponse>(
      REVIEW_THREADS_QUERY,
      { owner: target.owner, name: target.repo, number: target.number, cursor },
    );
    const connection = data.repository?.pullRequest?.reviewThreads;
    if (!connection) break;
    for (const node of connection.nodes) {
      const thread = node ? threadOf(node, isApp) : undefined;
      if (thread) threads.push(thread);
    }
    if (!connection.pageInfo.hasNextPage || !connection.pageInfo.endCursor) break;
    cursor = connection.pageInfo.endCursor;
  }
  return threads;
}

/**
 * The pull request's conversation comments, oldest first as GitHub lists them: read once per
 * evaluation and used twice, for our summary comment and for the record of `/s3-guard ignore`
 * commands (`commands/record.ts`), so a run costs no extra request for either.
 */
export async function listIssueComments(
  client: GitHubClient,
  target: PullRequestTarget,
): Promise<ListedIssueComment[]> {
  const { items } = await listAll<ListedIssueComment>(
    client,
    'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
    { owner: target.owner, repo: target.repo, issue_number: target.number },
    MAX_COMMENT_PAGES,
  );
  return items;
}

/** Our summary comment among the listed comments. */
export function summaryCommentOf(
  comments: readonly ListedIssueComment[],
  botLogin: string,
): ExistingState['summaryComment'] {
  const isApp = isAppLogin(botLogin, 'rest');
  // The oldest one is the summary; any later ones are leftovers (e.g. two racing runs).
  const found = comments.find(
    (comment) => isApp(comment.user?.login) && isSummaryBody(comment.body ?? ''),
  );
  return found ? { id: found.id, body: found.body ?? '' } : undefined;
}

export async function loadSummaryComment(
  client: GitHubClient,
  target: PullRequestTarget,
  botLogin: string,
): Promise<ExistingState['summaryComment']> {
  return summaryCommentOf(await listIssueComments(client, target), botLogin);
}

/**
 * Our earlier review threads and summary comment on the pull request. `comments`: the issue
 * comments when the caller listed them already (`listIssueComments`); listed here otherwise.
 */
export async function loadExistingState(
  client: GitHubClient,
  target: PullRequestTarget,
  botLogin: string,
  comments?: readonly ListedIssueComment[],
): Promise<ExistingState> {
  const threads = await loadReviewThreads(client, target, botLogin);
  const summaryComment = summaryCommentOf(
    comments ?? (await listIssueComments(client, target)),
    botLogin,
  );
  return summaryComment ? { threads, summaryComment } : { threads };
}
