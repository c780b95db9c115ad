/**
 * Rendering: everything one evaluation publishes, decided as plain data before anything is
 * sent (so a dry run can print it and tests can read it). Pure: no I/O, no clock.
 */
import type { Evaluation, ExistingState, Publication, RenderOptions } from '../types.js';
import { annotationsFor } from './annotations.js';
import { checkOutput } from './check.js';
import type { CommentPlan } from './comments.js';
import { planComments, planResolutions, reviewBody } from './comments.js';
import { DEFAULT_SERVER_URL } from './common.js';
import { planSummaryComment, summaryCommentBody } from './summary-comment.js';

export { formatPublication } from './format.js';
export { escapeCell, escapeText, code, codeCell, truncate } from './markdown.js';

/** Options beyond the shared contract; all optional. */
export interface ExtraRenderOptions {
  /** Where file links point (GitHub Enterprise Server: `https://ghe.example.com`). */
  readonly serverUrl?: string;
}

export function renderPublication(
  evaluation: Evaluation,
  existing: ExistingState,
  options: RenderOptions & ExtraRenderOptions,
): Publication {
  const serverUrl = options.serverUrl ?? DEFAULT_SERVER_URL;
  const target = evaluation.target;
  let plan: CommentPlan | undefined;
  const inRepository = repositoryPaths(evaluation);

  // A merge group has no conversation: no inline comments to plan (nor a budget to report).
  if (evaluation.kind === 'evaluated' && !target.mergeGroup) {
    plan = planComments(
      evaluation.result.findings,
      evaluation.diffs,
      existing.threads,
      options.maxComments,
      { target, config: evaluation.config, docsBaseUri: options.docsBaseUri },
    );
  }
  const output = checkOutput(evaluation, plan, {
    docsBaseUri: options.docsBaseUri,
    serverUrl,
    maxComments: options.maxComments,
    inRepository,
  });
  const annotations =
    evaluation.kind === 'evaluated'
      ? annotationsFor(evaluation.result.findings, evaluation.config, inRepository)
      : [];
  // A pull request that no longer changes any infrastructure file (its change was reverted)
  // introduces no finding: every earlier thread is settled. Errors settle nothing.
  const resolve =
    evaluation.kind === 'evaluated'
      ? planResolutions(
          existing.threads,
          evaluation.result.findings,
          evaluation.result.suppressed ?? [],
          target.headSha,
        )
      : evaluation.kind === 'no-infrastructure'
        ? planResolutions(existing.threads, [], [], target.headSha)
        : [];
  const body = summaryCommentBody(evaluation, output.conclusion, output.title, plan, options);
  const summaryComment = planSummaryComment(evaluation, body, existing, options.summaryMode);
  return {
    headSha: target.headSha,
    check: { ...output, annotations },
    ...(plan && plan.comments.length > 0
      ? { review: { body: reviewBody(plan, options.maxComments), comments: plan.comments } }
      : {}),
    resolve,
    ...(summaryComment ? { summaryComment } : {}),
    commentsOverBudget: plan?.overBudget.length ?? 0,
  };
}

/**
 * Is a finding's file a file of the repository at the head commit (annotations and links need
 * one)? The config file is read from the default branch and reported under a pseudo-path
 * (`owner/repo:.github/…`); it counts only when the pull request itself changes that path.
 */
function repositoryPaths(evaluation: Evaluation): (path: string) => boolean {
  if (evaluation.kind !== 'evaluated') return () => false;
  const { diffs, configFile } = evaluation;
  return (path) => {
    if (diffs.has(path)) return true;
    if (path === configFile || path === 'configuration') return false;
    return isRelativePath(path);
  };
}

function isRelativePath(path: string): boolean {
  // `owner/repo:path` is how the config file's location is written; `C:` is not a repo path.
  if (/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+:/.test(path) || /^[A-Za-z]:/.test(path)) return false;
  if (path === '' || path.startsWith('/') || path.includes('\\')) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}
