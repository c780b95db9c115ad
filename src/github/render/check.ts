/**
 * The check run's output: conclusion, title, summary and text for each kind of evaluation.
 * The summary is what a reviewer reads first: what blocks, the counts, the new findings, what
 * was not checked and the config in effect. Both Markdown fields stay under GitHub's 65,535
 * characters by dropping whole rows or blocks and saying so, never by cutting mid-escape.
 */
import { describeConfig, isBlocking } from '../../config/apply.js';
import { formatConfigProblem } from '../../config/parse.js';
import type { Config } from '../../config/schema.js';
import type { Finding, SuppressedFinding } from '../../findings/finding.js';
import type { CheckConclusion, Evaluation, PullRequestTarget } from '../types.js';
import type { CommentPlan } from './comments.js';
import {
  SEVERITIES,
  bySeverityThenPlace,
  countsBySeverity,
  docsLink,
  isNew,
  locationLink,
  plural,
  ruleTitle,
  severityOf,
} from './common.js';
import {
  code,
  codeCell,
  escapeCell,
  escapeShort,
  escapeTablePipes,
  escapeText,
  fencedBlock,
  fitBlocks,
  sizeOf,
  truncate,
  truncateChars,
} from './markdown.js';

/** GitHub's limit for `output.summary` and `output.text`. */
export const MAX_OUTPUT_BYTES = 65_535;
/** The title's limit. */
export const MAX_TITLE_CHARS = 255;
/** Lists other than the new-findings table show at most this many entries. */
const MAX_LIST_ENTRIES = 50;
/** …and at most this many bytes (a list of 4 KB paths must not fill the summary). */
const SECTION_BYTES = 8_000;
const SECTION_SEPARATOR = '\n\n';

export type Evaluated = Extract<Evaluation, { kind: 'evaluated' }>;

export interface CheckOutput {
  readonly conclusion: CheckConclusion;
  readonly title: string;
  readonly summary: string;
  readonly text?: string;
}

export interface CheckContext {
  readonly docsBaseUri: string;
  readonly serverUrl: string;
  readonly maxComments: number;
  /** Which paths exist in the repository at the head (for links). */
  readonly inRepository: (path: string) => boolean;
}

/** Everything blocking in this head: `isBlocking` decides (failOn, block: new/all). */
export function blockingFindings(evaluation: Evaluated): Finding[] {
  return evaluation.result.findings.filter((finding) => isBlocking(finding, evaluation.config));
}

export function conclusionOf(evaluation: Evaluation): CheckConclusion {
  switch (evaluation.kind) {
    case 'evaluated':
      return blockingFindings(evaluation).length > 0 ? 'failure' : 'success';
    case 'no-infrastructure':
      return 'success';
    case 'config-error':
      return 'failure';
    case 'error':
      return evaluation.onError;
  }
}

/** "2 new errors, 1 new warning, 3 existing, 1 fixed" / "No problems found" / "No new problems, 3 existing". */
export function evaluatedTitle(evaluation: Evaluated): string {
  const { findings } = evaluation.result;
  const fresh = findings.filter(isNew);
  const parts: string[] = [];
  for (const severity of SEVERITIES) {
    const count = fresh.filter((f) => severityOf(f, evaluation.config) === severity).length;
    if (count > 0) parts.push(plural(count, `new ${severity}`));
  }
  if (parts.length === 0)
    parts.push(findings.length === 0 ? 'No problems found' : 'No new problems');
  const existing = findings.length - fresh.length;
  if (existing > 0) parts.push(`${existing} existing`);
  const fixed = evaluation.result.fixed?.length ?? 0;
  if (fixed > 0) parts.push(`${fixed} fixed`);
  return truncateChars(parts.join(', '), MAX_TITLE_CHARS);
}

export function titleOf(evaluation: Evaluation): string {
  switch (evaluation.kind) {
    case 'evaluated':
      return evaluatedTitle(evaluation);
    case 'no-infrastructure':
      return 'No infrastructure changes';
    case 'config-error':
      return 'Invalid configuration';
    case 'error':
      return 'Could not evaluate';
  }
}

export function checkOutput(
  evaluation: Evaluation,
  plan: CommentPlan | undefined,
  context: CheckContext,
): CheckOutput {
  const conclusion = conclusionOf(evaluation);
  const title = titleOf(evaluation);
  switch (evaluation.kind) {
    case 'evaluated': {
      const text = detailsText(evaluation, context);
      return {
        conclusion,
        title,
        summary: evaluatedSummary(evaluation, plan, context),
        ...(text === undefined ? {} : { text }),
      };
    }
    case 'no-infrastructure':
      return { conclusion, title, summary: noInfrastructureSummary(evaluation) };
    case 'config-error':
      return { conclusion, title, summary: configErrorSummary(evaluation) };
    case 'error':
      return { conclusion, title, summary: errorSummary(evaluation) };
  }
}

// ---------------------------------------------------------------------------------------------
// evaluated

function evaluatedSummary(
  evaluation: Evaluated,
  plan: CommentPlan | undefined,
  context: CheckContext,
): string {
  const { config, result, target } = evaluation;
  const findings = result.findings;
  const fixed = result.fixed ?? [];
  const suppressed = result.suppressed ?? [];

  const head: string[] = [blockingLine(evaluation)];
  head.push(countsTable(findings, fixed, suppressed, config, result.files.length));
  const notes = budgetNotes(plan, context.maxComments);
  if (notes) head.push(notes);

  // Everything but the new-findings table, which gets whatever room is left.
  const tail: string[] = [];
  const fixedSection = fixedList(fixed);
  if (fixedSection) tail.push(fixedSection);
  const acceptedSection = acceptedList(suppressed, target, context);
  if (acceptedSection) tail.push(acceptedSection);
  const notChecked = notCheckedSection(evaluation);
  if (notChecked) tail.push(notChecked);
  tail.push(configSection(config, evaluation.configFile));

  const fixedParts = [...head, ...tail].join(SECTION_SEPARATOR);
  const room = MAX_OUTPUT_BYTES - sizeOf(fixedParts) - 2 * sizeOf(SECTION_SEPARATOR) - 64;
  const fresh = findings.filter(isNew).sort(bySeverityThenPlace(config));
  const table = fresh.length > 0 ? newFindingsTable(fresh, evaluation, context, room) : undefined;
  const document = [...head, ...(table ? [table] : []), ...tail].join(SECTION_SEPARATOR);
  // The head and tail sections are bounded; this only guards against the unforeseen.
  return fitDocument(document);
}

function blockingLine(evaluation: Evaluated): string {
  const blocking = blockingFindings(evaluation);
  const { failOn, block } = evaluation.config;
  const rule =
    failOn === 'never'
      ? 'findings never block (failOn: never)'
      : `${block === 'all' ? 'any' : 'a new'} finding at or above ${failOn} blocks`;
  if (blocking.length === 0) return `**Nothing blocks merging** (${rule}).`;
  return `**${plural(blocking.length, 'finding blocks', 'findings block')} merging** (${rule}).`;
}

function countsTable(
  findings: readonly Finding[],
  fixed: readonly Finding[],
  suppressed: readonly SuppressedFinding[],
  config: Config,
  filesChecked: number,
): string {
  const scanned = `${plural(filesChecked, 'file')} checked.`;
  if (findings.length + fixed.length + suppressed.length === 0) {
    return `No problems found. ${scanned}`;
  }
  const counts = countsBySeverity(
    findings,
    fixed,
    suppressed.map((entry) => entry.finding),
    config,
  );
  // Severities with nothing to count are left out: the table stays short.
  const rows = SEVERITIES.flatMap((severity) => {
    const c = counts[severity];
    if (c.new + c.existing + c.fixed + c.accepted === 0) return [];
    return [`| ${severity} | ${c.new} | ${c.existing} | ${c.fixed} | ${c.accepted} |`];
  });
  return [
    '| Severity | New | Existing | Fixed | Accepted |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    scanned,
  ].join('\n');
}

function budgetNotes(plan: CommentPlan | undefined, maxComments: number): string | undefined {
  if (!plan) return undefined;
  const notes: string[] = [];
  if (plan.overBudget.length > 0) {
    notes.push(
      `${plural(plan.overBudget.length, 'finding was', 'findings were')} not commented inline ` +
        `(limit ${maxComments}); every finding has an annotation.`,
    );
  }
  if (plan.outsideDiff.length > 0) {
    notes.push(
      `${plural(plan.outsideDiff.length, 'new finding is', 'new findings are')} on lines outside ` +
        `the diff, so only annotated.`,
    );
  }
  return notes.length > 0 ? notes.join(' ') : undefined;
}

function newFindingsTable(
  fresh: readonly Finding[],
  evaluation: Evaluated,
  context: CheckContext,
  room: number,
): string {
  const header = [
    '### New findings',
    '',
    '| Severity | Rule | Resource | Location |',
    '| --- | --- | --- | --- |',
  ].join('\n');
  const rows = fresh.map((finding) => findingRow(finding, evaluation, context));
  const { text } = fitBlocks(
    rows,
    room - sizeOf(header) - 1,
    (omitted) =>
      `\n${plural(omitted, 'more new finding is', 'more new findings are')} not listed here ` +
      `(GitHub's size limit); every finding has an annotation.`,
  );
  return `${header}\n${text}`;
}

export function findingRow(
  finding: Finding,
  evaluation: Evaluated | { target: PullRequestTarget; config: Config },
  context: Pick<CheckContext, 'docsBaseUri' | 'serverUrl' | 'inRepository'>,
): string {
  const severity = severityOf(finding, evaluation.config);
  const docs = docsLink(
    finding.helpUri,
    context.docsBaseUri,
    escapeCell(ruleTitle(finding.ruleId)),
  );
  const rule = docs === '' ? escapeCell(ruleTitle(finding.ruleId)) : docs;
  const location = locationLink(
    finding.range,
    evaluation.target,
    context.serverUrl,
    context.inRepository(finding.range.file),
  );
  return `| ${severity} | ${rule} | ${codeCell(truncateChars(finding.resource, 200))} | ${escapeTablePipes(location)} |`;
}

function fixedList(fixed: readonly Finding[]): string | undefined {
  if (fixed.length === 0) return undefined;
  const lines = fixed.slice(0, MAX_LIST_ENTRIES).map(
    (finding) =>
      // No link: the base file's lines need not exist at the head.
      `- ${escapeText(ruleTitle(finding.ruleId))}: ${code(truncateChars(finding.resource, 200))} ` +
      `(was at ${code(truncateChars(`${finding.range.file}:${finding.range.startLine}`, 300))})`,
  );
  return ['### Fixed', '', bulletList(lines, fixed.length)].join('\n');
}

function acceptedList(
  suppressed: readonly SuppressedFinding[],
  target: PullRequestTarget,
  context: CheckContext,
): string | undefined {
  if (suppressed.length === 0) return undefined;
  const lines = suppressed.slice(0, MAX_LIST_ENTRIES).map(({ finding, suppression }) => {
    const where = locationLink(
      finding.range,
      target,
      context.serverUrl,
      context.inRepository(finding.range.file),
    );
    const by = suppression.by === undefined ? '' : `, by ${escapeText(suppression.by)}`;
    return (
      `- ${escapeText(ruleTitle(finding.ruleId))}: ${code(truncateChars(finding.resource, 200))} at ${where}` +
      ` (${SOURCE_LABEL[suppression.source]}${by}): ${escapeShort(suppression.reason, 500)}`
    );
  });
  return ['### Accepted', '', bulletList(lines, suppressed.length)].join('\n');
}

/** How each kind of suppression is named (the check run and the summary comment). */
export const SOURCE_LABEL = {
  inline: 'inline comment',
  metadata: 'Metadata',
  config: 'config ignore',
  command: 'PR command',
} as const;

/**
 * Bullet lines (the first `MAX_LIST_ENTRIES` of `total`) within `SECTION_BYTES`, whole lines
 * only, with "… and N more" for the rest: long paths cannot crowd out the other sections.
 */
function bulletList(lines: readonly string[], total: number): string {
  const shown = lines.slice(0, MAX_LIST_ENTRIES);
  const extra = total - shown.length;
  const note = (omitted: number): string => `- … and ${omitted + extra} more`;
  const { text, omitted } = fitBlocks(shown, SECTION_BYTES, note);
  return omitted === 0 && extra > 0 ? `${text}\n${note(0)}` : text;
}

function notCheckedSection(
  evaluation: Evaluated | Extract<Evaluation, { kind: 'no-infrastructure' }>,
): string | undefined {
  const entries: string[] = [];
  for (const file of evaluation.skipped) {
    entries.push(`- ${code(truncateChars(file.path, 300))}: ${escapeShort(file.reason, 300)}`);
  }
  if (evaluation.kind === 'evaluated') {
    const { result } = evaluation;
    for (const file of result.skipped) {
      entries.push(`- ${code(truncateChars(file.file, 300))}: ${escapeShort(file.reason, 300)}`);
    }
    for (const error of result.errors) {
      entries.push(
        `- ${code(truncateChars(error.file, 300))}: could not be analysed: ${escapeShort(error.message, 500)}`,
      );
    }
    for (const file of result.files) {
      if (file.unresolvedPolicies > 0 || file.parseErrors > 0) {
        const parts = [
          file.unresolvedPolicies > 0
            ? `${plural(file.unresolvedPolicies, 'policy', 'policies')} could not be resolved`
            : undefined,
          file.parseErrors > 0 ? plural(file.parseErrors, 'parse error') : undefined,
        ].filter((part) => part !== undefined);
        entries.push(`- ${code(truncateChars(file.file, 300))}: ${parts.join(', ')}`);
      }
    }
  }
  const lines = entries.length > 0 ? [bulletList(entries, entries.length)] : [];
  if (evaluation.kind === 'evaluated' && evaluation.truncatedFileList) {
    lines.push(
      `- This pull request changes ${plural(evaluation.changedFiles, 'file')}; GitHub lists only the first ` +
        `3,000, so files after those were not checked.`,
    );
  }
  if (lines.length === 0) return undefined;
  return ['### Not checked or incomplete', '', ...lines].join('\n');
}

function configSection(config: Config, file: string | undefined): string {
  const described = describeConfig(config);
  const lines =
    described.length > 0
      ? [
          bulletList(
            described.map((line) => `- ${escapeShort(line, 500)}`),
            described.length,
          ),
        ]
      : [];
  const source =
    file === undefined
      ? 'Defaults (no configuration file).'
      : `From ${code(truncateChars(file, 300))}.`;
  const body = lines.length > 0 ? lines : ['- All defaults.'];
  return ['### Configuration', '', source, '', ...body].join('\n');
}

function detailsText(evaluation: Evaluated, context: CheckContext): string | undefined {
  const { findings } = evaluation.result;
  const unmatched = unmatchedCommandsSection(evaluation);
  if (findings.length === 0 && unmatched === undefined) return undefined;
  // New findings first (what the change introduced), then existing ones; most severe first.
  const fresh = findings.filter(isNew).sort(bySeverityThenPlace(evaluation.config));
  const old = findings.filter((f) => !isNew(f)).sort(bySeverityThenPlace(evaluation.config));
  const blocks = [...fresh, ...old].map((finding) => findingDetails(finding, evaluation, context));
  // The note comes first so the size limit never drops it (its section is bounded).
  const { text } = fitBlocks(
    unmatched === undefined ? blocks : [unmatched, ...blocks],
    MAX_OUTPUT_BYTES - 16,
    (omitted) =>
      `${plural(omitted, 'more finding is', 'more findings are')} not detailed here ` +
      `(GitHub's size limit); every finding has an annotation.`,
    '\n\n',
  );
  return text;
}

/**
 * `/s3-guard ignore` commands in force that matched no finding (neither still reported nor
 * accepted): usually a typo in the resource, which would otherwise look like an ignore that
 * silently did not work.
 */
function unmatchedCommandsSection(evaluation: Evaluated): string | undefined {
  const { result } = evaluation;
  const reported = [...result.findings, ...(result.suppressed ?? []).map((entry) => entry.finding)];
  const unmatched = (evaluation.commands ?? []).filter(
    (command) =>
      !reported.some(
        (finding) => finding.ruleId === command.rule && finding.resource === command.resource,
      ),
  );
  if (unmatched.length === 0) return undefined;
  const lines = unmatched.map(
    (command) =>
      `- ${code(`/s3-guard ignore ${command.rule} ${truncateChars(command.resource, 200)}`)}` +
      ` by ${escapeText(command.by)} matched no finding`,
  );
  return ['### Ignores that matched nothing', '', bulletList(lines, unmatched.length)].join('\n');
}

function findingDetails(finding: Finding, evaluation: Evaluated, context: CheckContext): string {
  const severity = severityOf(finding, evaluation.config);
  const status = isNew(finding) ? 'new' : 'existing';
  const parts = [
    `#### ${severity} (${status}): ${escapeText(ruleTitle(finding.ruleId))} ${code(finding.ruleId)}`,
    `${code(truncateChars(finding.resource, 300))} at ${locationLink(
      finding.range,
      evaluation.target,
      context.serverUrl,
      context.inRepository(finding.range.file),
    )}`,
    escapeShort(finding.message, 4_000),
  ];
  if (finding.fix) parts.push(`**Fix:** ${escapeShort(finding.fix.description, 2_000)}`);
  const related = finding.related.slice(0, 10).map((r) => {
    const where = locationLink(
      r.range,
      evaluation.target,
      context.serverUrl,
      context.inRepository(r.range.file),
    );
    const resource = r.resource === undefined ? '' : ` ${code(truncateChars(r.resource, 200))}`;
    return `- ${where}${resource}: ${escapeShort(r.message, 500)}`;
  });
  if (finding.related.length > 10) related.push(`- … and ${finding.related.length - 10} more`);
  if (related.length > 0) parts.push(['Related:', ...related].join('\n'));
  const docs = docsLink(finding.helpUri, context.docsBaseUri);
  if (docs) parts.push(docs);
  return parts.join('\n\n');
}

// ---------------------------------------------------------------------------------------------
// the other kinds

function noInfrastructureSummary(
  evaluation: Extract<Evaluation, { kind: 'no-infrastructure' }>,
): string {
  const parts = [
    `None of the ${plural(evaluation.changedFiles, 'changed file')} is infrastructure this check ` +
      'reads (CloudFormation templates, Terraform files or plans matching the configured paths), ' +
      'so there is nothing to evaluate.',
  ];
  const notChecked = notCheckedSection(evaluation);
  if (notChecked) parts.push(notChecked);
  parts.push(configSection(evaluation.config, evaluation.configFile));
  return fitDocument(parts.join(SECTION_SEPARATOR));
}

function configErrorSummary(evaluation: Extract<Evaluation, { kind: 'config-error' }>): string {
  const problems = evaluation.errors.map(formatConfigProblem);
  const intro =
    `The configuration ${code(evaluation.file)} is invalid ` +
    `(${plural(problems.length, 'problem')}), so this pull request was not evaluated.`;
  const howTo =
    `Fix the file on the default branch (${code(evaluation.target.defaultBranch)}): configuration ` +
    'is read from there, never from the pull request. Each problem names the line and key; ' +
    'see docs/configuration.md for every key and its values.';
  // Exactly as the parser words them, in a code block: inert, and nothing is reworded.
  const head = [intro, howTo].join(SECTION_SEPARATOR);
  const room = MAX_OUTPUT_BYTES - sizeOf(head) - 64;
  const block = fencedBlock('text', truncateLines(problems, room - 16));
  return [intro, block, howTo].join(SECTION_SEPARATOR);
}

function errorSummary(evaluation: Extract<Evaluation, { kind: 'error' }>): string {
  const conclusion =
    evaluation.onError === 'neutral'
      ? 'The check is neutral (config `onError: neutral`), so it does not block merging.'
      : 'The check fails so that an unevaluated change cannot merge unnoticed (config `onError` can make it neutral).';
  return fitDocument(
    [
      'The check could not evaluate this pull request:',
      fencedBlock('text', truncate(evaluation.message, 8_000)),
      conclusion,
      'Push again or re-run the check; if it keeps failing, the reason above says what to fix or report.',
    ].join(SECTION_SEPARATOR),
  );
}

/** Whole lines while they fit, then a count of the rest. */
function truncateLines(lines: readonly string[], maxBytes: number): string {
  return fitBlocks(lines, maxBytes, (omitted) => `… ${omitted} more`).text;
}

/** A last guard on a whole document: cut at a line boundary with a note. */
export function fitDocument(document: string, maxBytes = MAX_OUTPUT_BYTES): string {
  if (sizeOf(document) <= maxBytes) return document;
  return fitBlocks(document.split('\n'), maxBytes, () => "\n… (cut at GitHub's size limit)").text;
}
