/**
 * Answering the `/s3-guard …` commands of one pull request comment. One comment gets: 👀 on
 * receipt; at most one reply comment (explain and help bodies, refusals); at most one evaluation
 * request (recheck, ignore, unignore all mean "evaluate the head again": the evaluation re-reads
 * the comments, so an accepted `ignore` is in effect from then on); and 🚀 when every command was
 * done or 😕 when any was refused. Who may act comes from the API (`permissionChecker`), never
 * from the payload's `author_association`. Every permission is checked before anything is done:
 * when GitHub cannot answer one, nothing happens but a "try again".
 *
 * The app's handler (`src/app/commands.ts`) decodes the webhook and runs this in the background.
 */
import { formatConfigProblem } from '../../config/parse.js';
import { rules } from '../../rules/index.js';
import { loadRepoConfig } from '../config.js';
import { REPLY_MARKER } from '../markers.js';
import { escapeText } from '../render/markdown.js';
import { targetOfPullRequest } from '../target.js';
import type { PullRequestLike } from '../target.js';
import type { GitHubClient, PullRequestTarget } from '../types.js';
import { permissionChecker } from './permissions.js';
import {
  explainReply,
  helpReply,
  invalidReply,
  KNOWN_RULE_IDS,
  refusalReply,
  unknownRuleReply,
} from './replies.js';
import type { Command, Permission, PermissionChecker } from './types.js';
import { COMMAND_PREFIX } from './types.js';

/** GitHub refuses comment bodies over 65,536 characters; the reply stays under with room. */
export const MAX_REPLY_CHARS = 65_000;

/** Between the parts of one reply (explain bodies, help, refusals). */
const SEPARATOR = '\n\n---\n\n';

/** The registry's rule ids, for reading the configuration as the evaluation does. */
const RULE_IDS: readonly string[] = rules.map((rule) => rule.id);

type Reaction = 'eyes' | 'rocket' | 'confused';

/** What became of one command. */
interface Outcome {
  readonly done: boolean;
  /** For the log: how the command was allowed, or why it was refused. */
  readonly via?: string;
  readonly reason?: string;
  /** Markdown for the reply (already escaped by `replies.ts`), if the command says something. */
  readonly reply?: string;
  readonly evaluate?: boolean;
}

/** A pull request comment with commands, as decoded from its webhook (`app/decode-comment.ts`). */
export interface CommandComment {
  readonly owner: string;
  readonly repo: string;
  readonly defaultBranch: string;
  /** The pull request's number. */
  readonly number: number;
  readonly commentId: number;
  /** The comment's author: who the commands act for. */
  readonly login: string;
  readonly commands: readonly Command[];
}

/** The logger subset used (Probot's pino logger satisfies it). */
export interface CommandLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface AnswerOptions {
  /** Base URL of the rule docs, for `explain`'s link. */
  readonly docsBaseUri: string;
  /**
   * Asks for an evaluation of the pull request's head (the app's evaluation service: a check
   * run at once, the run in the background, requests for a head already waiting joined).
   */
  readonly requestEvaluation: (target: PullRequestTarget, reason: string) => Promise<unknown>;
  readonly log: CommandLog;
  /** The webhook delivery, for logs. */
  readonly delivery?: string;
}

/** Answers one comment's commands: reactions, permission checks, one reply, one evaluation. */
export async function answerComment(
  client: GitHubClient,
  comment: CommandComment,
  options: AnswerOptions,
): Promise<void> {
  const { log, delivery } = options;
  const where = {
    delivery,
    pullRequest: `${comment.owner}/${comment.repo}#${comment.number}`,
    commentId: comment.commentId,
    login: comment.login,
  };
  await react(client, comment, 'eyes');

  const first = commandLine(comment.commands[0] ?? { kind: 'help' });
  // Reading the pull request and the configuration: a GitHub failure is "try again", not a
  // refusal of the command, and nothing is done.
  let pull: { target: PullRequestTarget; open: boolean };
  let settings: Settings;
  try {
    pull = await readPullRequest(client, comment);
    settings = await readSettings(client, comment);
  } catch (error) {
    log.warn({ ...where, err: error }, 'commands: could not read the pull request or config');
    await finish(client, comment, [refusalReply(first, COULD_NOT_READ)]);
    return;
  }
  const { ignoreAllow, configProblem } = settings;

  const checker = permissionChecker(client, {
    repo: { owner: comment.owner, repo: comment.repo },
    author: pull.target.author,
    ignoreAllow,
  });

  // Every permission first: when GitHub cannot answer one, nothing at all is done.
  let permissions: (Permission | undefined)[];
  try {
    permissions = await permissionsOf(comment, checker, configProblem);
  } catch (error) {
    log.warn({ ...where, err: error }, 'commands: could not check permissions');
    await finish(client, comment, [refusalReply(first, COULD_NOT_CHECK)]);
    return;
  }
  const outcomes: Outcome[] = [];
  for (const [index, command] of comment.commands.entries()) {
    const outcome = await decide(command, permissions[index], {
      open: pull.open,
      configProblem,
      docsBaseUri: options.docsBaseUri,
    });
    const { reason, via } = outcome;
    log.info(
      { ...where, command: command.kind, allowed: outcome.done, ...(via ? { via } : { reason }) },
      'command',
    );
    outcomes.push(outcome);
  }

  const replies = outcomes.flatMap((o) => (o.reply === undefined ? [] : [o.reply]));
  let failed = false;
  const evaluating = comment.commands.filter((_, i) => outcomes[i]?.evaluate === true);
  if (evaluating.length > 0) {
    try {
      // A burst of comments shares one evaluation: the service joins requests for a head
      // that is already waiting or being queued.
      const ticket = await options.requestEvaluation(
        pull.target,
        `${COMMAND_PREFIX} ${evaluating.map((c) => c.kind).join(', ')}`,
      );
      log.info({ ...where, ticket }, 'commands: evaluation requested');
    } catch (error) {
      log.error({ ...where, err: error }, 'commands: could not request an evaluation');
      replies.push(refusalReply(first, COULD_NOT_START));
      failed = true;
    }
  }
  await finish(client, comment, replies, failed || outcomes.some((o) => !o.done));
}

/**
 * Each command's permission (undefined when it needs none: invalid, or refused anyway because
 * the configuration is invalid). Throws when GitHub cannot answer.
 */
async function permissionsOf(
  comment: CommandComment,
  checker: PermissionChecker,
  configProblem: string | undefined,
): Promise<(Permission | undefined)[]> {
  const permissions: (Permission | undefined)[] = [];
  for (const command of comment.commands) {
    const configRefused =
      (command.kind === 'ignore' || command.kind === 'unignore') && configProblem !== undefined;
    permissions.push(
      command.kind === 'invalid' || configRefused
        ? undefined
        : await checker.check(comment.login, command.kind),
    );
  }
  return permissions;
}

/** What one command does, given its permission (checked already). */
async function decide(
  command: Command,
  permission: Permission | undefined,
  context: { open: boolean; configProblem: string | undefined; docsBaseUri: string },
): Promise<Outcome> {
  const line = commandLine(command);
  const refuse = (reason: string): Outcome => ({
    done: false,
    reason,
    reply: refusalReply(line, reason),
  });
  if (command.kind === 'invalid') {
    return { done: false, reason: command.problem, reply: invalidReply(command) };
  }
  if (permission === undefined) return refuse(context.configProblem ?? 'Not permitted.');
  if (!permission.allowed) return refuse(permission.reason);
  const via = permission.via;
  const unknownRule = (rule: string): Outcome => ({
    done: false,
    reason: 'unknown rule',
    reply: unknownRuleReply(rule, KNOWN_RULE_IDS),
  });
  switch (command.kind) {
    case 'help':
      return { done: true, via, reply: helpReply() };
    case 'explain': {
      const reply = await explainReply(command.rule, { docsBaseUri: context.docsBaseUri });
      return reply === undefined ? unknownRule(command.rule) : { done: true, via, reply };
    }
    case 'recheck':
      return context.open ? { done: true, via, evaluate: true } : refuse(CLOSED);
    case 'ignore':
    case 'unignore':
      if (!KNOWN_RULE_IDS.includes(command.rule)) return unknownRule(command.rule);
      return context.open ? { done: true, via, evaluate: true } : refuse(CLOSED);
  }
}

const CLOSED = 'The pull request is closed.';
const COULD_NOT_READ = 'Could not read the pull request, try again.';
const COULD_NOT_CHECK = 'Could not check permissions, try again.';
const COULD_NOT_START = 'Could not start the evaluation, try again.';

/** What the repository's configuration (default branch) says about commands. */
interface Settings {
  readonly ignoreAllow: readonly string[];
  /** Set when the configuration is invalid: `ignore`/`unignore` are refused with it. */
  readonly configProblem?: string;
}

/** Read only when the comment has an `ignore`/`unignore`: the others do not depend on it. */
async function readSettings(client: GitHubClient, comment: CommandComment): Promise<Settings> {
  if (!comment.commands.some((c) => c.kind === 'ignore' || c.kind === 'unignore')) {
    return { ignoreAllow: [] };
  }
  const loaded = await loadRepoConfig(
    client,
    { owner: comment.owner, repo: comment.repo, defaultBranch: comment.defaultBranch },
    { ruleIds: RULE_IDS },
  );
  if (loaded.ok) return { ignoreAllow: loaded.config.commands.ignore.allow };
  const problem = loaded.errors[0];
  return {
    ignoreAllow: [],
    configProblem:
      problem === undefined
        ? `The repository's configuration (${escapeText(loaded.file)}) is invalid.`
        : // Values quoted from the file could hold mentions or Markdown: escaped like user text.
          `The repository's configuration is invalid: ${escapeText(formatConfigProblem(problem))}`,
  };
}

/** The command as a line, for refusal replies (escaped there). */
export function commandLine(command: Command): string {
  switch (command.kind) {
    case 'invalid':
      return command.text;
    case 'explain':
      return `${COMMAND_PREFIX} explain ${command.rule}`;
    case 'ignore':
      return `${COMMAND_PREFIX} ignore ${command.rule} ${command.resource} -- ${command.reason}`;
    case 'unignore':
      return `${COMMAND_PREFIX} unignore ${command.rule} ${command.resource}`;
    default:
      return `${COMMAND_PREFIX} ${command.kind}`;
  }
}

async function readPullRequest(
  client: GitHubClient,
  comment: CommandComment,
): Promise<{ target: PullRequestTarget; open: boolean }> {
  const { data } = await client.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
    owner: comment.owner,
    repo: comment.repo,
    pull_number: comment.number,
  });
  const target = targetOfPullRequest(data as PullRequestLike, {
    owner: comment.owner,
    repo: comment.repo,
    defaultBranch: comment.defaultBranch,
  });
  return { target, open: data.state === 'open' };
}

/** The one reply (if anything was said) and the final reaction. */
async function finish(
  client: GitHubClient,
  comment: CommandComment,
  replies: readonly string[],
  refused = true,
): Promise<void> {
  if (replies.length > 0) {
    await client.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner: comment.owner,
      repo: comment.repo,
      issue_number: comment.number,
      body: joinReplies(replies),
    });
  }
  await react(client, comment, refused ? 'confused' : 'rocket');
}

/**
 * The parts of a reply as one comment: each part's own marker removed, parts joined with a rule,
 * one marker at the end; parts that would not fit under GitHub's limit are left out (and said so).
 */
export function joinReplies(replies: readonly string[]): string {
  const only = replies[0];
  if (replies.length === 1 && only !== undefined && only.length <= MAX_REPLY_CHARS) return only;
  const parts = replies.map((reply) => reply.split(REPLY_MARKER).join('').trimEnd());
  const tail = `\n\n${REPLY_MARKER}`;
  let body = '';
  let kept = 0;
  for (const part of parts) {
    const next = kept === 0 ? part : `${body}${SEPARATOR}${part}`;
    // Room for the note about what was left out.
    if (next.length + tail.length + 200 > MAX_REPLY_CHARS) break;
    body = next;
    kept++;
  }
  const left = parts.length - kept;
  if (left > 0) {
    body += `${kept === 0 ? '' : SEPARATOR}_${left} more ${left === 1 ? 'answer was' : 'answers were'} left out: the reply would be too long. Ask again in a separate comment._`;
  }
  return `${body}${tail}`;
}

async function react(client: GitHubClient, comment: CommandComment, content: Reaction) {
  await client.request('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', {
    owner: comment.owner,
    repo: comment.repo,
    comment_id: comment.commentId,
    content,
  });
}
