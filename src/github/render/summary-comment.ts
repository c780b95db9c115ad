/**
 * The one summary comment on the pull request's conversation: a short overview (conclusion,
 * counts, the first new findings), created once and edited afterwards, found again by its
 * hidden marker. Links only to the rule docs, never to anything the pull request supplies.
 */
import { formatConfigProblem } from '../../config/parse.js';
import type { Finding, SuppressedFinding } from '../../findings/finding.js';
import { SUMMARY_MARKER } from '../markers.js';
import type {
  CheckConclusion,
  Evaluation,
  ExistingState,
  Publication,
  RenderOptions,
} from '../types.js';
import type { Evaluated } from './check.js';
import { SOURCE_LABEL, blockingFindings } from './check.js';
import type { CommentPlan } from './comments.js';
import {
  SEVERITIES,
  bySeverityThenPlace,
  countsBySeverity,
  docsLink,
  isNew,
  plural,
  ruleTitle,
  severityOf,
} from './common.js';
import {
  code,
  codeCell,
  escapeCell,
  escapeShort,
  escapeText,
  fencedBlock,
  fitBlocks,
  truncateChars,
} from './markdown.js';

/** New findings listed in the comment; the check run lists them all. */
export const SUMMARY_COMMENT_ROWS = 10;
/** Below GitHub's 65,536 for a comment body. */
const MAX_BODY_BYTES = 60_000;

const VERDICT: Readonly<Record<CheckConclusion, string>> = {
  success: '✅ passing',
  failure: '❌ failing',
  neutral: '⚪ neutral',
};

/** Is there anything worth a comment (for `on-findings`)? */
export function somethingToSay(evaluation: Evaluation): boolean {
  switch (evaluation.kind) {
    case 'evaluated': {
      const { result } = evaluation;
      return (
        result.findings.length > 0 ||
        (result.fixed?.length ?? 0) > 0 ||
        (result.suppressed?.length ?? 0) > 0 ||
        result.skipped.length > 0 ||
        result.errors.length > 0 ||
        evaluation.skipped.length > 0 ||
        evaluation.truncatedFileList === true
      );
    }
    case 'no-infrastructure':
      return evaluation.skipped.length > 0;
    case 'config-error':
      // The check fails because of the file: say why where people look.
      return true;
    case 'error':
      return false;
  }
}

export function summaryCommentBody(
  evaluation: Evaluation,
  conclusion: CheckConclusion,
  title: string,
  plan: CommentPlan | undefined,
  options: Pick<RenderOptions, 'docsBaseUri' | 'maxComments'>,
): string {
  const parts: string[] = [
    `### S3 endpoint guard: ${VERDICT[conclusion]}: ${escapeShort(title, 255)}`,
  ];
  switch (evaluation.kind) {
    case 'evaluated':
      parts.push(...evaluatedOverview(evaluation, plan, options));
      break;
    case 'no-infrastructure':
      parts.push(
        `No infrastructure among the ${plural(evaluation.changedFiles, 'changed file')}.` +
          (evaluation.skipped.length > 0
            ? ` ${plural(evaluation.skipped.length, 'file was', 'files were')} skipped; see the check run.`
            : ''),
      );
      break;
    case 'config-error':
      parts.push(
        `The configuration ${code(evaluation.file)} is invalid; fix it on the default branch:`,
        fencedBlock(
          'text',
          fitBlocks(evaluation.errors.map(formatConfigProblem), 20_000, (n) => `… ${n} more`).text,
        ),
      );
      break;
    case 'error':
      parts.push(`Could not evaluate: ${escapeShort(evaluation.message, 2_000)}`);
      break;
  }
  const content = fitBlocks(
    parts,
    MAX_BODY_BYTES - 2 * SUMMARY_MARKER.length - 4,
    () => '…',
    '\n\n',
  ).text;
  return `${SUMMARY_MARKER}\n${content}\n${SUMMARY_MARKER}`;
}

function evaluatedOverview(
  evaluation: Evaluated,
  plan: CommentPlan | undefined,
  options: Pick<RenderOptions, 'docsBaseUri' | 'maxComments'>,
): string[] {
  const { result, config } = evaluation;
  const parts: string[] = [];
  const blocking = blockingFindings(evaluation).length;
  parts.push(
    blocking > 0
      ? `${plural(blocking, 'finding blocks', 'findings block')} merging.`
      : 'Nothing blocks merging.',
  );
  const fixed = result.fixed ?? [];
  const accepted = (result.suppressed ?? []).map((entry) => entry.finding);
  const counts = countsBySeverity(result.findings, fixed, accepted, config);
  const line = SEVERITIES.map((severity) => {
    const c = counts[severity];
    const total = c.new + c.existing + c.fixed + c.accepted;
    return total === 0
      ? undefined
      : `**${severity}**: ${c.new} new, ${c.existing} existing, ${c.fixed} fixed, ${c.accepted} accepted`;
  }).filter((entry) => entry !== undefined);
  if (line.length > 0) parts.push(line.map((entry) => `- ${entry}`).join('\n'));

  const fresh = result.findings.filter(isNew).sort(bySeverityThenPlace(config));
  if (fresh.length > 0) parts.push(newTable(fresh, evaluation, options));
  const acceptedSection = acceptedList(result.suppressed ?? []);
  if (acceptedSection) parts.push(acceptedSection);

  const notes: string[] = [];
  if (plan && plan.overBudget.length > 0) {
    notes.push(
      `${plural(plan.overBudget.length, 'finding was', 'findings were')} not commented inline (limit ${options.maxComments}).`,
    );
  }
  const notChecked = evaluation.skipped.length + result.skipped.length + result.errors.length;
  if (notChecked > 0) {
    notes.push(`${plural(notChecked, 'file was', 'files were')} skipped or could not be analysed.`);
  }
  if (evaluation.truncatedFileList) notes.push('GitHub listed only the first 3,000 changed files.');
  if (notes.length > 0) parts.push(notes.join(' '));
  parts.push('Details, annotations and the configuration in effect are in the check run.');
  return parts;
}

function newTable(
  fresh: readonly Finding[],
  evaluation: Evaluated,
  options: Pick<RenderOptions, 'docsBaseUri'>,
): string {
  const rows = fresh.slice(0, SUMMARY_COMMENT_ROWS).map((finding) => {
    const title = escapeCell(ruleTitle(finding.ruleId));
    const docs = docsLink(finding.helpUri, options.docsBaseUri, title);
    return (
      `| ${severityOf(finding, evaluation.config)} | ${docs === '' ? title : docs} | ` +
      `${codeCell(truncateChars(finding.resource, 200))} | ` +
      `${codeCell(truncateChars(`${finding.range.file}:${finding.range.startLine}`, 300))} |`
    );
  });
  const lines = ['| Severity | Rule | Resource | Location |', '| --- | --- | --- | --- |', ...rows];
  if (fresh.length > SUMMARY_COMMENT_ROWS) {
    lines.push(
      '',
      `… and ${fresh.length - SUMMARY_COMMENT_ROWS} more new findings in the check run.`,
    );
  }
  return lines.join('\n');
}

/**
 * Who accepted what, and why: a finding accepted with `/s3-guard ignore` must be visible where
 * the reviewers read, not only in the check run.
 */
function acceptedList(suppressed: readonly SuppressedFinding[]): string | undefined {
  if (suppressed.length === 0) return undefined;
  const lines = suppressed.slice(0, SUMMARY_COMMENT_ROWS).map(({ finding, suppression }) => {
    const by = suppression.by === undefined ? '' : `, by ${escapeText(suppression.by)}`;
    return (
      `- ${escapeText(ruleTitle(finding.ruleId))}: ${code(truncateChars(finding.resource, 200))}` +
      ` (${SOURCE_LABEL[suppression.source]}${by}): ${escapeShort(suppression.reason, 500)}`
    );
  });
  if (suppressed.length > SUMMARY_COMMENT_ROWS) {
    lines.push(`- … and ${suppressed.length - SUMMARY_COMMENT_ROWS} more in the check run.`);
  }
  return ['**Accepted**', '', ...lines].join('\n');
}

/**
 * `never`: no comment. `always`: create or edit. `on-findings`: create only when there is
 * something to say, but edit an existing one even when all is clear, so it never goes stale.
 * An edit that changes nothing is skipped.
 */
export function planSummaryComment(
  evaluation: Evaluation,
  body: string,
  existing: ExistingState,
  mode: RenderOptions['summaryMode'],
): Publication['summaryComment'] {
  if (mode === 'never') return undefined;
  // A failed run has no new facts: leave the last real summary alone.
  if (evaluation.kind === 'error') return undefined;
  const current = existing.summaryComment;
  if (current) {
    return current.body === body ? undefined : { action: 'update', id: current.id, body };
  }
  if (mode === 'always' || somethingToSay(evaluation)) return { action: 'create', body };
  return undefined;
}
