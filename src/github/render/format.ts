/**
 * One Markdown document showing everything a Publication would publish, in the order GitHub
 * would show it: the check run (conclusion, title, summary, details, annotations), the review
 * and its inline comments, the threads to resolve, and the summary comment. For the CLI's dry
 * run and the demo; the bodies are already escaped, so they are embedded as they are.
 */
import type {
  CheckAnnotation,
  PlannedReviewComment,
  Publication,
  PullRequestTarget,
} from '../types.js';
import { CHECK_NAME } from '../types.js';
import { plural, shortSha } from './common.js';
import { code, escapeText } from './markdown.js';

export function formatPublication(publication: Publication, target: PullRequestTarget): string {
  const { check } = publication;
  const out: string[] = [
    `# ${escapeText(CHECK_NAME)} on ${code(`${target.owner}/${target.repo}${target.mergeGroup ? `:${target.mergeGroup.headRef}` : `#${target.number}`}`)} at ${code(shortSha(publication.headSha))}`,
    `## Check run: ${check.conclusion}: ${escapeText(check.title)}`,
    '### Summary',
    check.summary,
  ];
  if (check.text !== undefined) out.push('### Details', check.text);

  out.push(`### Annotations (${check.annotations.length})`);
  if (check.annotations.length === 0) out.push('None.');
  else out.push(check.annotations.map(annotationLine).join('\n'));

  if (publication.review) {
    const { comments } = publication.review;
    out.push(`## Review: ${plural(comments.length, 'inline comment')}`, publication.review.body);
    for (const comment of comments) out.push(...commentBlock(comment));
  } else {
    out.push('## Review', 'No review (no new inline comments).');
  }
  if (publication.commentsOverBudget > 0) {
    out.push(
      `${plural(publication.commentsOverBudget, 'finding was', 'findings were')} not commented inline because of the comment limit.`,
    );
  }

  out.push(`## Threads to resolve (${publication.resolve.length})`);
  if (publication.resolve.length === 0) out.push('None.');
  else {
    out.push(
      publication.resolve
        .map(
          (entry) =>
            `- thread ${code(entry.threadId)} (comment ${entry.commentId}): ${entry.reply}`,
        )
        .join('\n'),
    );
  }

  const summary = publication.summaryComment;
  if (!summary) out.push('## Summary comment', 'Unchanged or not posted.');
  else {
    out.push(
      summary.action === 'create'
        ? '## Summary comment (new)'
        : `## Summary comment (edit of comment ${summary.id})`,
      quote(summary.body),
    );
  }
  return `${out.join('\n\n')}\n`;
}

function annotationLine(annotation: CheckAnnotation): string {
  const lines =
    annotation.end_line > annotation.start_line
      ? `${annotation.start_line}-${annotation.end_line}`
      : `${annotation.start_line}`;
  const columns =
    annotation.start_column === undefined
      ? ''
      : `:${annotation.start_column}-${annotation.end_column ?? annotation.start_column}`;
  // Annotations are plain text on GitHub: shown escaped here, one line each.
  return (
    `- **${annotation.annotation_level}** ${code(`${annotation.path}:${lines}${columns}`)} ` +
    `${escapeText(annotation.title)}: ${escapeText(annotation.message)}` +
    (annotation.raw_details === undefined ? '' : ` (${escapeText(annotation.raw_details)})`)
  );
}

function commentBlock(comment: PlannedReviewComment): string[] {
  const where =
    comment.startLine === undefined
      ? `${comment.path}:${comment.line}`
      : `${comment.path}:${comment.startLine}-${comment.line}`;
  return [`### ${code(where)} (${comment.side})`, quote(comment.body)];
}

/** Nested in a block quote, so a body's headings and fences stay inside its own block. */
function quote(body: string): string {
  return body
    .split('\n')
    .map((line) => (line === '' ? '>' : `> ${line}`))
    .join('\n');
}
