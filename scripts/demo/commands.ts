/**
 * The slash commands the demo replays after the first evaluation, and the few facts it reads back
 * from what the app published: which new finding blocks (to accept it), the counts of a check run
 * and its "Accepted" section. Pure: the flow is in run-demo.ts.
 *
 * The finding to accept is read from the first check run's summary, not written down here, so the
 * demo keeps working when the sample or the rules change (and fails loudly when nothing blocks).
 */
import { escapeCell } from '../../src/github/render/markdown.js';
import type { FindingCounts } from './report.js';

/** A plain-looking maintainer of the sample repository, who accepts the finding. */
export const MAINTAINER = { login: 'maria-maintainer', permission: 'maintain' } as const;

/** Why the maintainer accepts the blocking finding: a sentence a reviewer might really write. */
export const IGNORE_REASON =
  'The reports bucket is only read from the office network through its NAT; nothing in the VPC ' +
  'uses it until the analytics jobs move next quarter, so blocking the endpoint is intended.';

export interface FindingRef {
  readonly rule: string;
  readonly resource: string;
}

export function ignoreComment(finding: FindingRef, reason: string = IGNORE_REASON): string {
  return (
    'Discussed with the data team: we keep the office-only policy for now.\n\n' +
    `/s3-guard ignore ${finding.rule} ${finding.resource} -- ${reason}`
  );
}

export const RECHECK_COMMENT =
  'Config on main was updated since the last run.\n\n/s3-guard recheck';

/** The lines of a `### <heading>` section, up to the next heading of the same or a higher level. */
function section(markdown: string, heading: string): string[] | undefined {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim() === `### ${heading}`);
  if (start < 0) return undefined;
  const end = lines.findIndex((line, index) => index > start && /^#{1,3} /.test(line));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** The cells of a Markdown table row, `\|` kept inside cells (as GFM splits them). */
function cells(row: string): string[] | undefined {
  const trimmed = row.trim();
  if (!trimmed.startsWith('|') || !trimmed.endsWith('|')) return undefined;
  const out: string[] = [];
  let cell = '';
  for (let i = 1; i < trimmed.length - 1; i++) {
    const char = trimmed[i];
    if (char === '\\' && trimmed[i + 1] === '|') {
      cell += '\\|';
      i++;
    } else if (char === '|') {
      out.push(cell.trim());
      cell = '';
    } else cell += char ?? '';
  }
  out.push(cell.trim());
  return out;
}

/** The text of a table cell holding one code span (`` `S3Endpoint` ``), or undefined. */
function codeCellText(cell: string): string | undefined {
  const match = /^(`+) ?(.*?) ?\1$/s.exec(cell.replace(/\\\|/g, '|'));
  return match?.[2];
}

/**
 * The first new finding of severity `error` in a check run summary's "New findings" table:
 * its rule (the row's rule title, matched against the rules' rendered titles) and its resource.
 */
export function blockingFinding(
  summary: string,
  rules: readonly { readonly id: string; readonly title: string }[],
): FindingRef | undefined {
  for (const row of section(summary, 'New findings') ?? []) {
    const [severity, rule, resource] = cells(row) ?? [];
    if (severity !== 'error' || rule === undefined || resource === undefined) continue;
    // The rule cell is the title, linked to the rule's docs when a link could be built.
    const match = rules.find((candidate) => {
      const title = escapeCell(candidate.title);
      return rule === title || rule.startsWith(`[${title}](`);
    });
    const name = codeCellText(resource);
    if (match && name !== undefined && name !== '') return { rule: match.id, resource: name };
  }
  return undefined;
}

/** The summary's `| Severity | New | Existing | Fixed | Accepted |` table, summed. */
export function findingCounts(summary: string): FindingCounts | undefined {
  const lines = summary.split('\n');
  const header = lines.findIndex((line) => {
    const names = cells(line);
    return names?.join(',') === 'Severity,New,Existing,Fixed,Accepted';
  });
  if (header < 0) return undefined;
  const counts = { new: 0, existing: 0, fixed: 0, accepted: 0 };
  for (const line of lines.slice(header + 2)) {
    const row = cells(line);
    if (!row || row.length !== 5) break;
    const [fresh, existing, fixed, accepted] = row.slice(1).map(Number);
    if ([fresh, existing, fixed, accepted].some((n) => n === undefined || !Number.isInteger(n)))
      break;
    counts.new += fresh ?? 0;
    counts.existing += existing ?? 0;
    counts.fixed += fixed ?? 0;
    counts.accepted += accepted ?? 0;
  }
  return counts;
}

/** The summary's "### Accepted" section (the app's Markdown, heading included), if any. */
export function acceptedSection(summary: string): string | undefined {
  const lines = section(summary, 'Accepted');
  if (!lines) return undefined;
  const body = lines.join('\n').trim();
  return body === '' ? undefined : `### Accepted\n\n${body}`;
}

const EMOJI: Readonly<Record<string, string>> = {
  eyes: '👀',
  rocket: '🚀',
  confused: '😕',
  '+1': '👍',
  '-1': '👎',
  laugh: '😄',
  hooray: '🎉',
  heart: '❤️',
};

/** `👀 eyes`; a name GitHub does not have is shown as is. */
export function reactionLabel(content: string): string {
  const emoji = EMOJI[content];
  return emoji === undefined ? content : `${emoji} ${content}`;
}
