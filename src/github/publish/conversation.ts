/**
 * Replies that resolve fixed findings' threads, and the single summary comment. Nothing is
 * ever deleted: a thread a human took part in keeps its history.
 */
import { statusOf } from '../client.js';
import { SUMMARY_MARKER } from '../markers.js';
import type { ExistingState, GitHubClient, Publication, PullRequestTarget } from '../types.js';
import { MAX_COMMENT_BODY, truncateChars } from './limits.js';
import { describeError } from '../client.js';
import { withRetry } from './retry.js';
import type { RetryOptions } from './retry.js';

export const RESOLVE_THREAD_MUTATION = `mutation ResolveReviewThread($threadId: ID!) {
  resolveReviewThread(input: { threadId: $threadId }) {
    thread { id isResolved }
  }
}`;

/**
 * Threads resolved per evaluation (two writes each): GitHub allows 80 content-creating requests
 * a minute. Threads left over are still fixed next time and get resolved then.
 */
export const DEFAULT_MAX_RESOLVES = 30;
/** After this many failed requests GitHub is having trouble: stop instead of insisting. */
const MAX_RESOLVE_FAILURES = 3;

export interface ResolveResult {
  readonly threadsResolved: number;
  readonly warnings: string[];
}

export async function resolveThreads(
  client: GitHubClient,
  target: PullRequestTarget,
  entries: Publication['resolve'],
  retry: RetryOptions,
  maxResolves: number = DEFAULT_MAX_RESOLVES,
): Promise<ResolveResult> {
  const warnings: string[] = [];
  let threadsResolved = 0;
  let failures = 0;
  const chosen = entries.slice(0, maxResolves);
  if (entries.length > chosen.length) {
    warnings.push(
      `${entries.length - chosen.length} fixed finding thread(s) left for the next evaluation`,
    );
  }
  for (const entry of chosen) {
    if (failures >= MAX_RESOLVE_FAILURES) {
      warnings.push('stopped resolving threads after repeated failures');
      break;
    }
    try {
      await withRetry(
        () =>
          client.request(
            'POST /repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies',
            {
              owner: target.owner,
              repo: target.repo,
              pull_number: target.number,
              comment_id: entry.commentId,
              body: truncateChars(entry.reply, MAX_COMMENT_BODY),
            },
          ),
        retry,
      );
    } catch (error) {
      // Resolving still helps: the thread no longer hides a live finding.
      failures++;
      warnings.push(`reply to comment ${entry.commentId} failed (${describeError(error)})`);
    }
    try {
      await withRetry(
        () => client.graphql(RESOLVE_THREAD_MUTATION, { threadId: entry.threadId }),
        retry,
      );
      threadsResolved++;
    } catch (error) {
      failures++;
      warnings.push(`resolving thread ${entry.threadId} failed (${describeError(error)})`);
    }
  }
  return { threadsResolved, warnings };
}

export type SummaryOutcome = 'created' | 'updated' | 'unchanged' | 'none';

export interface SummaryResult {
  readonly summaryComment: SummaryOutcome;
  readonly warnings: string[];
}

/** Within the comment limit, keeping the summary marker that finds the comment next time. */
function limitSummaryBody(body: string): string {
  if (body.length <= MAX_COMMENT_BODY) return body;
  if (!body.includes(SUMMARY_MARKER)) return truncateChars(body, MAX_COMMENT_BODY);
  const rest = body.replace(SUMMARY_MARKER, '');
  return `${SUMMARY_MARKER}\n${truncateChars(rest, MAX_COMMENT_BODY - SUMMARY_MARKER.length - 1)}`;
}

export async function publishSummary(
  client: GitHubClient,
  target: PullRequestTarget,
  planned: Publication['summaryComment'],
  existing: ExistingState['summaryComment'],
  retry: RetryOptions,
): Promise<SummaryResult> {
  const warnings: string[] = [];
  if (planned === undefined) return { summaryComment: existing ? 'unchanged' : 'none', warnings };
  const body = limitSummaryBody(planned.body);
  const create = () =>
    withRetry(
      () =>
        client.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
          owner: target.owner,
          repo: target.repo,
          issue_number: target.number,
          body,
        }),
      retry,
    );
  try {
    if (planned.action === 'create') {
      await create();
      return { summaryComment: 'created', warnings };
    }
    // Editing to the same text would only bump "edited" and notify nobody: skip it.
    if (existing?.id === planned.id && existing.body === body) {
      return { summaryComment: 'unchanged', warnings };
    }
    try {
      await withRetry(
        () =>
          client.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
            owner: target.owner,
            repo: target.repo,
            comment_id: planned.id,
            body,
          }),
        retry,
      );
      return { summaryComment: 'updated', warnings };
    } catch (error) {
      // Someone deleted the comment since it was listed: say it again, once.
      if (statusOf(error) !== 404) throw error;
      warnings.push(`summary comment ${planned.id} is gone; created a new one`);
      await create();
      return { summaryComment: 'created', warnings };
    }
  } catch (error) {
    warnings.push(`publishing the summary comment failed (${describeError(error)})`);
    return { summaryComment: 'none', warnings };
  }
}
