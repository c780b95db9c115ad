/**
 * What the app writes back to a slash command: help, a rule's explanation, refusals and
 * "did you mean". Pure except `explainReply`, which reads the rule's page from `docs/rules/`
 * shipped with the package.
 *
 * Every piece of user text (the command line, a rule id that is not ours) goes through
 * `escapeText`/`code`: a reply must not mention anyone, load an image or link anywhere because
 * of what someone typed. Each body ends with REPLY_MARKER.
 */
import { readFile } from 'node:fs/promises';
import { INVALID_SUPPRESSION } from '../../findings/suppression/apply.js';
import { closestMatch, suggestionBudget } from '../../rules/data/edit-distance.js';
import { rules } from '../../rules/index.js';
import { REPLY_MARKER } from '../markers.js';
import { code, escapeShort, fitBlocks, truncateChars } from '../render/markdown.js';
import { HELP_TEXT } from './help.js';
import type { Command } from './types.js';

/** An explanation's size limit (GitHub's comment limit is 65,536 characters). */
export const MAX_EXPLAIN_CHARS = 60_000;

/** How much of a command line a refusal quotes. */
const MAX_QUOTED_CHARS = 300;

/** The sections of a rule page an explanation shows, in this order. */
const RULE_SECTIONS = [
  'What it finds',
  'Why it matters',
  'How to fix',
  'Bad example',
  'Good example',
];

/** The `invalid-suppression` pseudo-rule's page is docs/suppressions.md; this is its part. */
const SUPPRESSION_SECTIONS = ['What is reported'];

/** The package root: `src/github/commands/` and `dist/github/commands/` are both three levels down. */
const PACKAGE_ROOT = new URL('../../../', import.meta.url);

/**
 * Rule id → its page, relative to the package root: only ids of the registry (never a path
 * built from user text).
 */
interface Page {
  readonly path: string;
  readonly sections: readonly string[];
}

const PAGES: ReadonlyMap<string, Page> = new Map<string, Page>([
  ...rules.map((rule): [string, Page] => [
    rule.id,
    { path: `docs/rules/${rule.id}.md`, sections: RULE_SECTIONS },
  ]),
  [INVALID_SUPPRESSION.id, { path: INVALID_SUPPRESSION.docs, sections: SUPPRESSION_SECTIONS }],
]);

/** Every rule id `explain`, `ignore` and `unignore` accept. */
export const KNOWN_RULE_IDS: readonly string[] = [...PAGES.keys()];

/** The command list: the same text as docs/commands.md between its help markers. */
export function helpText(): string {
  return HELP_TEXT;
}

/** The reply to `/s3-guard help`. */
export function helpReply(): string {
  return `${HELP_TEXT}\n\n${REPLY_MARKER}`;
}

/**
 * The rule's page as a reply: its introduction and the sections above, the page's own links
 * made absolute, how to accept a finding with a command, and a link to the full page.
 * Undefined when `ruleId` is not a rule (the caller answers with `unknownRuleReply`).
 */
export async function explainReply(
  ruleId: string,
  options: { docsBaseUri: string },
): Promise<string | undefined> {
  const page = PAGES.get(ruleId);
  if (page === undefined) return undefined;
  const markdown = await readFile(new URL(page.path, PACKAGE_ROOT), 'utf8');
  const pageUri = `${options.docsBaseUri}${page.path}`;
  const { intro, sections } = splitSections(absoluteLinks(markdown, pageUri));
  const blocks = [`## ${code(ruleId)}`];
  if (intro !== '') blocks.push(intro);
  for (const title of page.sections) {
    const section = sections.get(title);
    if (section !== undefined) blocks.push(`### ${title}\n\n${section}`);
  }
  const footer = [
    `To accept a finding of this rule on this pull request: \`/s3-guard ignore ${ruleId} <resource> -- <reason>\`.`,
    `Full page: [${page.path}](${pageUri})`,
    REPLY_MARKER,
  ].join('\n\n');
  const room = MAX_EXPLAIN_CHARS - footer.length - 2;
  const { text } = fitBlocks(
    blocks,
    room,
    (omitted) => `\n\n(${omitted} more section${omitted === 1 ? '' : 's'} on the full page.)`,
    '\n\n',
  );
  return `${text}\n\n${footer}`;
}

/** A refused command: the line quoted (escaped, bounded) and why. */
export function refusalReply(line: string, reason: string): string {
  return `${quoteLine(line)}\n\n${reason}\n\n${REPLY_MARKER}`;
}

/** An invalid command: the line, the problem, and the command list. */
export function invalidReply(command: Extract<Command, { kind: 'invalid' }>): string {
  return `${quoteLine(command.text)}\n\n${command.problem}\n\n${HELP_TEXT}\n\n${REPLY_MARKER}`;
}

/** An `explain`, `ignore` or `unignore` naming a rule that does not exist. */
export function unknownRuleReply(ruleId: string, knownIds: readonly string[]): string {
  const shown = truncateChars(ruleId, 100);
  const guess = closestMatch(shown, knownIds, suggestionBudget(shown));
  const hint = guess === undefined ? '' : ` Did you mean ${code(guess)}?`;
  return (
    `${code(shown)} is not a rule of S3 endpoint guard.${hint} ` +
    `The rules are listed in the check run's findings and in \`docs/rules/\`.\n\n${REPLY_MARKER}`
  );
}

/** A command line as a one-line block quote: escaped, so it renders as the characters typed. */
function quoteLine(line: string): string {
  return `> ${escapeShort(line.trim(), MAX_QUOTED_CHARS)}`;
}

/**
 * A page split at its `##` headings (outside code fences): the text before the first one
 * (without the `#` title) and each section's body by heading. Deeper headings stay in their
 * section, one level down (the reply's own title is `##`).
 */
function splitSections(markdown: string): { intro: string; sections: Map<string, string> } {
  const intro: string[] = [];
  const byHeading = new Map<string, string[]>();
  let current = intro;
  let fence: string | undefined;
  for (const line of markdown.split(/\r?\n/)) {
    const opener = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      // A closer: the same character, at least as long, nothing after it.
      if (opener?.startsWith(fence) === true && line.trim() === opener) fence = undefined;
      current.push(line);
      continue;
    }
    if (opener !== undefined) {
      fence = opener;
      current.push(line);
      continue;
    }
    if (line.startsWith('# ')) continue;
    const heading = /^## (.+)$/.exec(line)?.[1]?.trim();
    if (heading !== undefined) {
      current = [];
      byHeading.set(heading, current);
      continue;
    }
    current.push(/^#{3,5} /.test(line) ? `#${line}` : line);
  }
  const sections = new Map<string, string>();
  for (const [title, lines] of byHeading) sections.set(title, lines.join('\n').trim());
  return { intro: intro.join('\n').trim(), sections };
}

/**
 * Relative links of a page (`[data](../data.md)`) resolved against the page's address: in a
 * comment they would resolve against the pull request. Only our own docs pass through here.
 */
function absoluteLinks(markdown: string, pageUri: string): string {
  return markdown.replace(/\]\(([^)\s]+)\)/g, (whole, target: string) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) return whole;
    try {
      return `](${new URL(target, pageUri).href})`;
    } catch {
      return whole;
    }
  });
}
