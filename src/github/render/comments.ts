/**
 * Inline review comments: where a new finding can be commented (GitHub rejects a line outside
 * the diff's hunks with 422), which findings were already said (hidden fingerprint markers in
 * earlier threads), the budget, and which earlier threads to resolve because their finding is
 * gone. Pure: the publisher sends what this decides.
 */
import type { Config } from '../../config/schema.js';
import type { SourceRange } from '../../core/range.js';
import type { Finding, RelatedLocation, SuppressedFinding } from '../../findings/finding.js';
import { rangesCover, rangesOverlap } from '../lines.js';
import { findingMarker } from '../markers.js';
import type {
  ExistingThread,
  FileDiff,
  PlannedReviewComment,
  PullRequestTarget,
  Publication,
} from '../types.js';
import {
  bySeverityThenPlace,
  compareText,
  docsLink,
  isNew,
  plural,
  ruleTitle,
  severityOf,
  shortSha,
} from './common.js';
import {
  code,
  escapeShort,
  escapeText,
  fencedBlock,
  fitBlocks,
  sizeOf,
  truncateChars,
} from './markdown.js';

/** GitHub's limit for a comment body is 65,536 characters; stay well below it. */
export const MAX_COMMENT_BYTES = 60_000;

/** What `findingMarker` accepts (lowercase hex); it throws on anything else. */
const MARKABLE = /^[0-9a-f]{8,128}$/;

/** Where a comment goes: a line (or lines) of the head side of one file's diff. */
export interface Placement {
  readonly path: string;
  readonly line: number;
  readonly startLine?: number;
  /** Set when the finding's own lines are outside the diff and a related location is used. */
  readonly via?: RelatedLocation;
}

/** The last line of `start..end` inside the ranges, if any. */
function lastLineInDiff(diff: FileDiff, start: number, end: number): number | undefined {
  let last: number | undefined;
  for (const [from, to] of diff.right) {
    if (from <= end && start <= to) last = Math.max(last ?? 0, Math.min(end, to));
  }
  return last;
}

/** A range placed in its file's diff: the whole range when one hunk holds it, else one line. */
function placeRange(
  range: SourceRange,
  diffs: ReadonlyMap<string, FileDiff>,
): { line: number; startLine?: number } | undefined {
  const diff = diffs.get(range.file);
  if (!diff || diff.status === 'removed') return undefined;
  const start = Math.min(range.startLine, range.endLine);
  const end = Math.max(range.startLine, range.endLine);
  if (!rangesOverlap(diff.right, start, end)) return undefined;
  if (end > start && rangesCover(diff.right, start, end)) return { line: end, startLine: start };
  const line = lastLineInDiff(diff, start, end);
  return line === undefined ? undefined : { line };
}

/**
 * On the finding's own lines when the diff shows them; else on the first related location the
 * diff shows (the endpoint policy the pull request just narrowed); else nowhere (the finding is
 * then only an annotation).
 */
export function placeFinding(
  finding: Finding,
  diffs: ReadonlyMap<string, FileDiff>,
): Placement | undefined {
  const own = placeRange(finding.range, diffs);
  if (own) return { path: finding.range.file, ...own };
  for (const related of finding.related) {
    const placed = placeRange(related.range, diffs);
    if (placed) return { path: related.range.file, ...placed, via: related };
  }
  return undefined;
}

/**
 * The engine's exact replacement, only when GitHub would apply it to exactly those lines: a
 * suggestion replaces the commented lines, so any other placement would corrupt the file.
 */
function suggestionFor(finding: Finding, placement: Placement): string | undefined {
  const replacement = finding.fix?.replacement;
  if (!replacement || placement.via) return undefined;
  const { range, text } = replacement;
  if (range.file !== placement.path) return undefined;
  const start = placement.startLine ?? placement.line;
  if (range.startLine !== start || range.endLine !== placement.line) return undefined;
  // GitHub replaces whole lines: a trailing newline would add an empty line.
  return text.replace(/\r?\n$/, '');
}

export interface CommentContext {
  readonly target: PullRequestTarget;
  readonly config: Config;
  readonly docsBaseUri: string;
}

/** The body of one inline comment, ending with the finding's hidden marker. */
export function commentBody(
  finding: Finding,
  placement: Placement,
  context: CommentContext,
): string {
  const severity = severityOf(finding, context.config);
  // Every part is bounded (raw text is cut before escaping, at most ~5 bytes per character
  // after it), so the parts before the suggestion stay far below the limit; whole parts are
  // dropped, never cut, because a cut code span would let the rest render as Markdown.
  const parts: string[] = [
    `**${severity}** · **${escapeText(ruleTitle(finding.ruleId))}** (${code(finding.ruleId)})`,
  ];
  const resource = code(truncateChars(finding.resource, 300));
  if (placement.via) {
    parts.push(
      `Commented here because this change touches a location the finding depends on ` +
        `(${escapeShort(placement.via.message, 500)}). The finding itself is on ${resource} at ` +
        `${code(truncateChars(`${finding.range.file}:${finding.range.startLine}`, 300))}, outside this diff.`,
    );
  } else {
    parts.push(`Resource: ${resource}`);
  }
  parts.push(escapeShort(finding.message, 4_000));
  if (finding.fix) parts.push(`**Fix:** ${escapeShort(finding.fix.description, 2_000)}`);
  const tail: string[] = [];
  const related = finding.related.filter((r) => r !== placement.via);
  if (related.length > 0) {
    const lines = related.slice(0, MAX_RELATED).map((r) => `- ${relatedLine(r)}`);
    if (related.length > MAX_RELATED) lines.push(`- … and ${related.length - MAX_RELATED} more`);
    tail.push(['Related:', ...lines].join('\n'));
  }
  const docs = docsLink(finding.helpUri, context.docsBaseUri);
  if (docs) tail.push(docs);
  const marker = findingMarker(finding.fingerprint);
  const room = MAX_COMMENT_BYTES - sizeOf(marker) - 2;
  const suggestion = suggestionFor(finding, placement);
  if (suggestion !== undefined) {
    const block = fencedBlock('suggestion', suggestion);
    // A suggestion is all or nothing: a cut one would replace the lines with half a fix.
    if (sizeOf([...parts, block, ...tail].join('\n\n')) <= room) parts.push(block);
  }
  // The marker is last and never cut: later evaluations recognise the thread by it.
  const body = fitBlocks([...parts, ...tail], room, () => '…', '\n\n').text;
  return `${body}\n\n${marker}`;
}

const MAX_RELATED = 5;

function relatedLine(related: RelatedLocation): string {
  const where = code(truncateChars(`${related.range.file}:${related.range.startLine}`, 300));
  const resource =
    related.resource === undefined ? '' : ` ${code(truncateChars(related.resource, 300))}`;
  return `${where}${resource}: ${escapeShort(related.message, 200)}`;
}

/**
 * Has this finding been said already? An open thread says it; a thread a human resolved is an
 * accepted decision. Only when every thread for it was resolved by this app (it was fixed, then
 * came back) is it said again.
 */
export function alreadyCommented(threads: readonly ExistingThread[]): boolean {
  return threads.some((thread) => !thread.isResolved || thread.resolvedByHuman);
}

export interface CommentPlan {
  readonly comments: readonly PlannedReviewComment[];
  /** New findings with a place in the diff that the budget left out. */
  readonly overBudget: readonly Finding[];
  /** New findings with no line in the diff: annotations only. */
  readonly outsideDiff: readonly Finding[];
  /** New findings already commented in an earlier thread. */
  readonly alreadyCommented: number;
}

export function planComments(
  findings: readonly Finding[],
  diffs: ReadonlyMap<string, FileDiff>,
  threads: readonly ExistingThread[],
  maxComments: number,
  context: CommentContext,
): CommentPlan {
  const threadsByFingerprint = groupThreads(threads);
  const candidates: { finding: Finding; placement: Placement }[] = [];
  const outsideDiff: Finding[] = [];
  let said = 0;
  const seen = new Set<string>();
  for (const finding of [...findings].sort(bySeverityThenPlace(context.config))) {
    if (!isNew(finding)) continue;
    // Two findings with one fingerprint would be one thread: comment once.
    if (seen.has(finding.fingerprint)) continue;
    seen.add(finding.fingerprint);
    if (alreadyCommented(threadsByFingerprint.get(finding.fingerprint) ?? [])) {
      said++;
      continue;
    }
    // Without a valid fingerprint the marker cannot be written, and the comment would be
    // posted again on every push: such a finding stays an annotation.
    const placement = MARKABLE.test(finding.fingerprint) ? placeFinding(finding, diffs) : undefined;
    if (placement) candidates.push({ finding, placement });
    else outsideDiff.push(finding);
  }
  const budget = Math.max(0, Math.floor(maxComments));
  const chosen = candidates.slice(0, budget);
  const comments = chosen
    .map(({ finding, placement }) => toComment(finding, placement, context))
    // Reading order in the review: by file and line.
    .sort(
      (a, b) =>
        compareText(a.path, b.path) || a.line - b.line || compareText(a.fingerprint, b.fingerprint),
    );
  return {
    comments,
    overBudget: candidates.slice(budget).map((candidate) => candidate.finding),
    outsideDiff,
    alreadyCommented: said,
  };
}

function toComment(
  finding: Finding,
  placement: Placement,
  context: CommentContext,
): PlannedReviewComment {
  return {
    fingerprint: finding.fingerprint,
    path: placement.path,
    line: placement.line,
    side: 'RIGHT',
    ...(placement.startLine === undefined
      ? {}
      : { startLine: placement.startLine, startSide: 'RIGHT' as const }),
    body: commentBody(finding, placement, context),
  };
}

function groupThreads(threads: readonly ExistingThread[]): Map<string, ExistingThread[]> {
  const map = new Map<string, ExistingThread[]>();
  for (const thread of threads) {
    const list = map.get(thread.fingerprint) ?? [];
    list.push(thread);
    map.set(thread.fingerprint, list);
  }
  return map;
}

/**
 * Every open thread whose finding the head no longer reports: "Fixed in abc1234.", or, when a
 * suppression now accepts it, who accepted it and why.
 */
export function planResolutions(
  threads: readonly ExistingThread[],
  findings: readonly Finding[],
  suppressed: readonly SuppressedFinding[],
  headSha: string,
): Publication['resolve'] {
  const present = new Set(findings.map((finding) => finding.fingerprint));
  const accepted = new Map(suppressed.map((entry) => [entry.finding.fingerprint, entry]));
  const resolve: { threadId: string; commentId: number; reply: string }[] = [];
  for (const thread of threads) {
    if (thread.isResolved || present.has(thread.fingerprint)) continue;
    const suppression = accepted.get(thread.fingerprint)?.suppression;
    const reply = suppression
      ? `Accepted: ${escapeShort(suppression.reason, 2_000)}` +
        `${suppression.by === undefined ? '' : ` (by ${escapeText(suppression.by)})`}.`
      : `Fixed in ${shortSha(headSha)}.`;
    resolve.push({ threadId: thread.threadId, commentId: thread.commentId, reply });
  }
  return resolve;
}

/** The review's own body: short, the summary comment and check run carry the detail. */
export function reviewBody(plan: CommentPlan, maxComments: number): string {
  const lines = [
    `S3 endpoint guard: ${plural(plan.comments.length, 'new finding')} on changed lines.`,
  ];
  if (plan.overBudget.length > 0) {
    lines.push(
      `${plural(plan.overBudget.length, 'more finding was', 'more findings were')} not commented inline (limit ${maxComments}); see the check run.`,
    );
  }
  return lines.join(' ');
}
