/**
 * Slash commands in a comment body → Command[]. Pure, linear in the body's size.
 *
 * A command is a line whose first non-blank text is `/s3-guard` followed by whitespace or the
 * end of the line. Lines GitHub renders as something other than the author's own words are
 * skipped: fenced code blocks (someone pasting the help text) and block quotes (a quote-reply of
 * someone else's command must not run it again under the replier's name), including a quote's
 * lazy continuation lines, which GitHub renders inside the quote.
 *
 * Rule ids are not checked against the registry here: the caller does, so it can answer with
 * "did you mean …?".
 */
import { code, truncateChars } from '../render/markdown.js';
import { COMMAND_PREFIX, MAX_COMMANDS_PER_COMMENT, type Command } from './types.js';

/** Bodies longer than this are read only this far (GitHub's own comment limit is 65,536). */
export const MAX_BODY_CHARS = 65_536;

/**
 * A command line longer than this (UTF-16 units) is refused unparsed: room for a reason of 500
 * astral characters (1,000 units), a rule id and a long Terraform address.
 */
export const MAX_LINE_CHARS = 2_000;

/** The longest reason an `ignore` may carry, in characters (code points). */
export const MAX_REASON_CHARS = 500;

/** Kebab-case rule ids (`sourceip-deny-blocks-endpoint`); case is kept, the registry decides. */
const RULE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/i;

/** The longest rule id accepted as one (registry ids are well under this). */
const MAX_RULE_ID_CHARS = 100;

/**
 * A fence opener: three or more backticks or tildes after any indentation. CommonMark allows at
 * most three spaces, but a fence inside a list item is indented further and still renders as
 * code; erring towards "code" only ever makes a line not a command.
 */
const FENCE = /^\s*(`{3,}|~{3,})/;

/** The prefix, then whitespace or the end of the line (so `/s3-guardian` is not a command). */
const PREFIX = new RegExp(`^${COMMAND_PREFIX.replace(/[/-]/g, '\\$&')}(?=\\s|$)`, 'i');

/** The ` -- ` separating an ignore's reason (the `--` must stand alone as a word). */
const SEPARATOR = /(?:^|\s)--(?:\s|$)/;

const USAGE = {
  explain: '`/s3-guard explain <rule-id>`',
  ignore: '`/s3-guard ignore <rule-id> <resource> -- <reason>`',
  unignore: '`/s3-guard unignore <rule-id> <resource>`',
} as const;

export function parseCommands(body: string): Command[] {
  const text = body.length > MAX_BODY_CHARS ? body.slice(0, MAX_BODY_CHARS) : body;
  const commands: Command[] = [];
  // Open fence: its character and length (a closer needs the same character, at least as many).
  let fence: { char: string; length: number } | undefined;
  let inQuote = false;
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (commands.length >= MAX_COMMANDS_PER_COMMENT) break;
    if (fence !== undefined) {
      if (closesFence(line, fence)) fence = undefined;
      continue;
    }
    const opener = FENCE.exec(line);
    if (opener?.[1] !== undefined) {
      const marker = opener[1];
      // A backtick fence's info string cannot contain backticks; such a line is not a fence.
      const rest = line.slice(opener[0].length);
      if (!(marker.startsWith('`') && rest.includes('`'))) {
        fence = { char: marker.charAt(0), length: marker.length };
        inQuote = false;
        continue;
      }
    }
    const trimmed = line.trimStart();
    if (trimmed === '') {
      inQuote = false;
      continue;
    }
    if (trimmed.startsWith('>')) {
      inQuote = true;
      continue;
    }
    if (inQuote) continue; // lazy continuation: rendered inside the quote
    if (!PREFIX.test(trimmed)) continue;
    commands.push(parseLine(trimmed.trimEnd()));
  }
  return commands;
}

function closesFence(line: string, fence: { char: string; length: number }): boolean {
  const match = /^\s*(`+|~+)\s*$/.exec(line);
  const run = match?.[1];
  return run !== undefined && run.charAt(0) === fence.char && run.length >= fence.length;
}

/** One command line, already known to start with the prefix, trimmed. */
function parseLine(line: string): Command {
  if (line.length > MAX_LINE_CHARS) {
    return invalid(
      truncateChars(line, MAX_LINE_CHARS),
      `A command line may be at most ${MAX_LINE_CHARS} characters long.`,
    );
  }
  const rest = line.slice(COMMAND_PREFIX.length).trim();
  if (rest === '') return { kind: 'help' };
  const wordEnd = rest.search(/\s/);
  const word = wordEnd < 0 ? rest : rest.slice(0, wordEnd);
  const args = wordEnd < 0 ? '' : rest.slice(wordEnd).trim();
  const name = word.toLowerCase();
  switch (name) {
    case 'recheck':
    case 'help':
      return args === '' ? { kind: name } : invalid(line, `\`${name}\` takes no arguments.`);
    case 'explain':
      return parseExplain(line, args);
    case 'ignore':
      return parseIgnore(line, args);
    case 'unignore':
      return parseUnignore(line, args);
    default:
      return invalid(line, `Unknown command ${quoteWord(word)}.`);
  }
}

function parseExplain(line: string, args: string): Command {
  const words = splitWords(args);
  if (words.length !== 1) {
    return invalid(line, `\`explain\` takes one rule id: ${USAGE.explain}.`);
  }
  const rule = words[0] ?? '';
  const problem = ruleProblem(rule);
  return problem === undefined ? { kind: 'explain', rule } : invalid(line, problem);
}

function parseIgnore(line: string, args: string): Command {
  const separator = SEPARATOR.exec(args);
  if (separator === null) {
    return invalid(line, `\`ignore\` needs a reason after \`--\`: ${USAGE.ignore}.`);
  }
  const words = splitWords(args.slice(0, separator.index));
  if (words.length !== 2) {
    return invalid(
      line,
      `\`ignore\` takes a rule id and one resource before \`--\`: ${USAGE.ignore}.`,
    );
  }
  const [rule = '', resource = ''] = words;
  const problem = ruleProblem(rule);
  if (problem !== undefined) return invalid(line, problem);
  const reason = args.slice(separator.index + separator[0].length).trim();
  if (reason === '') {
    return invalid(line, `\`ignore\` needs a reason after \`--\`: ${USAGE.ignore}.`);
  }
  if (Array.from(reason).length > MAX_REASON_CHARS) {
    return invalid(line, `The reason may be at most ${MAX_REASON_CHARS} characters long.`);
  }
  return { kind: 'ignore', rule, resource, reason };
}

function parseUnignore(line: string, args: string): Command {
  const words = splitWords(args);
  if (words.length !== 2) {
    return invalid(line, `\`unignore\` takes a rule id and one resource: ${USAGE.unignore}.`);
  }
  const [rule = '', resource = ''] = words;
  const problem = ruleProblem(rule);
  return problem === undefined ? { kind: 'unignore', rule, resource } : invalid(line, problem);
}

function ruleProblem(rule: string): string | undefined {
  if (rule.length <= MAX_RULE_ID_CHARS && RULE_ID.test(rule)) return undefined;
  return `${quoteWord(rule)} is not a rule id (rule ids look like \`sourceip-deny-blocks-endpoint\`).`;
}

function splitWords(text: string): string[] {
  return text === '' ? [] : text.split(/\s+/);
}

/** A user-supplied word inside a problem sentence: a bounded code span (inert, see `code`). */
function quoteWord(word: string): string {
  return code(truncateChars(word, 40));
}

function invalid(text: string, problem: string): Command {
  return { kind: 'invalid', text, problem };
}
