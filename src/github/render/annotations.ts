/**
 * Check-run annotations: one per finding (new and existing), on the exact lines. Annotations are
 * plain text in GitHub's UI (not Markdown), so they are only cleaned of control characters and
 * kept within GitHub's limits: title 255 characters, message and raw details 64 KB.
 */
import type { Config } from '../../config/schema.js';
import type { Finding, Severity } from '../../findings/finding.js';
import type { CheckAnnotation } from '../types.js';
import { compareFindings, ruleTitle, severityOf } from './common.js';
import { stripUnsafe, truncate, truncateChars } from './markdown.js';

const LEVEL: Readonly<Record<Severity, CheckAnnotation['annotation_level']>> = {
  error: 'failure',
  warning: 'warning',
  notice: 'notice',
};

const MAX_TITLE_CHARS = 255;
/** 64 KB, with room to spare for GitHub's own accounting. */
const MAX_MESSAGE_BYTES = 60_000;
const MAX_RELATED = 50;

export function annotationFor(finding: Finding, config: Config | undefined): CheckAnnotation {
  const { range } = finding;
  const start = Math.max(1, Math.min(range.startLine, range.endLine));
  const end = Math.max(start, range.endLine);
  // GitHub accepts columns only on one line; a whole-line range (1..1) has none worth showing.
  const columns =
    start === end && range.endColumn > range.startColumn && range.startColumn >= 1
      ? { start_column: range.startColumn, end_column: range.endColumn }
      : {};
  const fix = finding.fix ? `\n\nFix: ${finding.fix.description}` : '';
  const related = finding.related.slice(0, MAX_RELATED).map((r) => {
    const resource = r.resource === undefined ? '' : ` (${r.resource})`;
    return `${r.range.file}:${r.range.startLine}${resource}: ${r.message}`;
  });
  if (finding.related.length > MAX_RELATED) {
    related.push(`… ${finding.related.length - MAX_RELATED} more related locations`);
  }
  return {
    path: range.file,
    start_line: start,
    end_line: end,
    ...columns,
    annotation_level: LEVEL[severityOf(finding, config)],
    title: plain(
      truncateChars(`${ruleTitle(finding.ruleId)}: ${finding.resource}`, MAX_TITLE_CHARS),
    ),
    message: truncate(plain(`${finding.message}${fix}`), MAX_MESSAGE_BYTES),
    ...(related.length > 0
      ? {
          raw_details: truncate(
            plain(`Related locations:\n${related.join('\n')}`),
            MAX_MESSAGE_BYTES,
          ),
        }
      : {}),
  };
}

function plain(text: string): string {
  return stripUnsafe(text);
}

/**
 * Annotations for the findings whose file is in the repository at the head commit, in a stable
 * order (file, line, column, rule, fingerprint) so re-runs send the same batches.
 */
export function annotationsFor(
  findings: readonly Finding[],
  config: Config | undefined,
  inRepository: (path: string) => boolean,
): CheckAnnotation[] {
  return [...findings]
    .filter((finding) => inRepository(finding.range.file))
    .sort(compareFindings)
    .map((finding) => annotationFor(finding, config));
}
