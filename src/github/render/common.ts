/**
 * What every rendered piece shares: rule titles, severities as the config makes them, counts,
 * stable order, and the only links rendering writes (to the rule docs and to the head commit's
 * files, built from trusted parts with the path percent-encoded, never a URL from content).
 */
import type { Config } from '../../config/schema.js';
import { effectiveSeverity } from '../../config/apply.js';
import type { SourceRange } from '../../core/range.js';
import type { Finding, Severity } from '../../findings/finding.js';
import { SEVERITY_ORDER } from '../../findings/finding.js';
import { INVALID_SUPPRESSION } from '../../findings/suppression/apply.js';
import { ruleById } from '../../rules/index.js';
import type { PullRequestTarget } from '../types.js';
import { code, escapeText, truncateChars } from './markdown.js';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'notice'];

/** Where links to files point; GitHub Enterprise Server passes its own. */
export const DEFAULT_SERVER_URL = 'https://github.com';

/** The rule's one-line title from the registry (the suppression pseudo-rule included). */
export function ruleTitle(ruleId: string): string {
  if (ruleId === INVALID_SUPPRESSION.id) return INVALID_SUPPRESSION.title;
  return ruleById(ruleId)?.title ?? ruleId;
}

/** The severity shown and counted: a `rules:` override in the config wins. */
export function severityOf(finding: Finding, config: Config | undefined): Severity {
  return config ? effectiveSeverity(finding, config) : finding.severity;
}

/** A `with a base` finding without status is new (as `isBlocking` treats it). */
export function isNew(finding: Finding): boolean {
  return finding.status !== 'existing';
}

export function plural(count: number, noun: string, many = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : many}`;
}

/** `abc1234`: how people refer to a commit. */
export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/** Stable order: file, line, column, rule, fingerprint. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareText(a.range.file, b.range.file) ||
    a.range.startLine - b.range.startLine ||
    a.range.startColumn - b.range.startColumn ||
    a.range.endLine - b.range.endLine ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.fingerprint, b.fingerprint)
  );
}

/** Most severe first, then the stable order. */
export function bySeverityThenPlace(config: Config | undefined) {
  return (a: Finding, b: Finding): number =>
    SEVERITY_ORDER[severityOf(b, config)] - SEVERITY_ORDER[severityOf(a, config)] ||
    compareFindings(a, b);
}

/** Code-unit order, independent of locale (the same everywhere the app runs). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The rule's documentation page, absolute against the configured docs base. */
export function docsUrl(helpUri: string, docsBaseUri: string): string | undefined {
  // Parsing URLs dominated rendering 2,000 findings; there are only a few rules.
  const key = `${docsBaseUri}\n${helpUri}`;
  if (docsUrls.has(key)) return docsUrls.get(key);
  let result: string | undefined;
  try {
    const url = new URL(helpUri, docsBaseUri);
    result = url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    result = undefined;
  }
  if (docsUrls.size > 1_000) docsUrls.clear();
  docsUrls.set(key, result);
  return result;
}

const docsUrls = new Map<string, string | undefined>();

/** `[Rule documentation](…)` or nothing when no valid link can be built. */
export function docsLink(
  helpUri: string,
  docsBaseUri: string,
  label = 'Rule documentation',
): string {
  const url = docsUrl(helpUri, docsBaseUri);
  return url === undefined ? '' : `[${label}](${url})`;
}

/** A link to lines of a file at the head commit: every part encoded, the line numeric. */
export function fileUrl(
  target: PullRequestTarget,
  path: string,
  startLine: number,
  endLine: number,
  serverUrl: string,
): string {
  const encodedPath = path.split('/').map(encodeSegment).join('/');
  const lines = endLine > startLine ? `#L${startLine}-L${endLine}` : `#L${startLine}`;
  return (
    `${serverUrl.replace(/\/+$/, '')}/${encodeSegment(target.owner)}/` +
    `${encodeSegment(target.repo)}/blob/${encodeSegment(target.headSha)}/` +
    `${encodedPath}${lines}`
  );
}

/**
 * `encodeURIComponent` leaves `( ) ! * '` alone; a `)` would end a Markdown link destination,
 * so those are encoded too.
 */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(
    /[()!*']/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `file:line` as text (escaped for inline Markdown). */
export function locationText(range: SourceRange): string {
  return escapeText(`${range.file}:${range.startLine}`);
}

/** `file:line` as inline code, linked to the head commit when `link` is set. */
export function locationLink(
  range: SourceRange,
  target: PullRequestTarget,
  serverUrl: string,
  link = true,
): string {
  const label = code(`${truncateChars(range.file, 300)}:${range.startLine}`);
  if (!link) return label;
  return `[${label}](${fileUrl(target, range.file, range.startLine, range.endLine, serverUrl)})`;
}

export interface Counts {
  readonly new: number;
  readonly existing: number;
  readonly fixed: number;
  readonly accepted: number;
}

export function countsBySeverity(
  findings: readonly Finding[],
  fixed: readonly Finding[],
  accepted: readonly Finding[],
  config: Config | undefined,
): Record<Severity, Counts> {
  const table = {} as Record<
    Severity,
    { new: number; existing: number; fixed: number; accepted: number }
  >;
  for (const severity of SEVERITIES)
    table[severity] = { new: 0, existing: 0, fixed: 0, accepted: 0 };
  for (const finding of findings)
    table[severityOf(finding, config)][isNew(finding) ? 'new' : 'existing']++;
  for (const finding of fixed) table[severityOf(finding, config)].fixed++;
  for (const finding of accepted) table[severityOf(finding, config)].accepted++;
  return table;
}

/**
 * "pull request #42" or "merge group `gh-readonly-queue/main/pr-42-…`": what a check text is
 * about. A merge group's branch name is GitHub's own, but it contains the base branch's name,
 * so it is written as code.
 */
export function subjectOf(target: PullRequestTarget): string {
  return target.mergeGroup
    ? `merge group ${code(target.mergeGroup.headRef)}`
    : `pull request #${target.number}`;
}

/** "this pull request" or "merge group `gh-readonly-queue/main/pr-42-…`", inside sentences. */
export function thisSubject(target: PullRequestTarget): string {
  return target.mergeGroup ? subjectOf(target) : 'this pull request';
}

/**
 * The first line of a merge group's summary (a pull request's needs none: GitHub shows the
 * check on the pull request): what was compared with what.
 */
export function mergeGroupLine(target: PullRequestTarget): string | undefined {
  if (!target.mergeGroup) return undefined;
  return (
    `Evaluated ${subjectOf(target)} at ${code(shortSha(target.headSha))} against ` +
    `${code(target.baseRef)} at ${code(shortSha(target.baseSha))}: only the check run is ` +
    'published (a merge group has no conversation).'
  );
}
