/**
 * Publications that are a check run and nothing else: an evaluation whose comments must not be
 * touched, a head replaced by a newer push before it was evaluated, and the app's last resort
 * when an evaluation threw past its own error handling. No review, no thread changes, no
 * summary comment.
 */
import type { Publication, PullRequestTarget } from '../types.js';

/** The check run alone: no review, no thread changes, no summary comment. */
export function checkOnly(publication: Publication): Publication {
  return {
    headSha: publication.headSha,
    check: publication.check,
    resolve: [],
    commentsOverBudget: publication.commentsOverBudget,
  };
}

/** A check run completed without an evaluation: a newer head replaced it. */
export function supersededPublication(
  target: PullRequestTarget,
  newerSha: string | undefined,
): Publication {
  const newer = newerSha === undefined || newerSha === target.headSha ? undefined : newerSha;
  return {
    headSha: target.headSha,
    check: {
      conclusion: 'neutral',
      title:
        newer === undefined ? 'Superseded by a newer run' : `Superseded by ${newer.slice(0, 7)}`,
      summary:
        newer === undefined
          ? 'A newer evaluation of this pull request replaced this one; its check run has the result.'
          : `Commit ${newer} was pushed to this pull request before this one was evaluated; its check run has the result.`,
      annotations: [],
      withoutActions: true,
    },
    resolve: [],
    commentsOverBudget: 0,
  };
}

/** The last resort when the evaluation threw past its own error handling. */
export function internalErrorPublication(target: PullRequestTarget): Publication {
  return {
    headSha: target.headSha,
    check: {
      conclusion: 'failure',
      title: 'Could not evaluate',
      summary:
        'The evaluation stopped with an internal error (details are in the app logs). Push a new commit to try again.',
      annotations: [],
    },
    resolve: [],
    commentsOverBudget: 0,
  };
}
