/**
 * The record of accepted findings: the pull request's own comments. Every evaluation reads the
 * `/s3-guard ignore` and `/s3-guard unignore` commands again, oldest first, and asks GitHub
 * again whether each author may run them. Nothing is stored outside GitHub, and the answer is
 * always today's: someone who lost write access (or left the team named in
 * `commands.ignore.allow`) no longer keeps a finding accepted — re-authorising on every
 * evaluation is deliberate, not an oversight to cache away.
 */
import type { CommandIgnore } from '../../findings/suppression/apply.js';
import { parseCommands } from './parse.js';
import type { ListedIssueComment, PermissionChecker } from './types.js';

export interface RefusedCommand {
  readonly commentId: number;
  readonly login: string;
  readonly reason: string;
}

export interface CommandRecord {
  /** What is accepted now, in the order first accepted. */
  readonly ignores: CommandIgnore[];
  /** Commands whose author may not run them (today): they changed nothing. */
  readonly refused: readonly RefusedCommand[];
}

export interface RecordOptions {
  readonly checker: PermissionChecker;
  /** Commands naming another rule id are skipped (they were answered when posted). */
  readonly knownRuleIds: readonly string[];
}

/**
 * The ignores in force after replaying the comments. A later `ignore` of the same rule and
 * resource replaces the earlier one (new reason, new author); an `unignore` removes it.
 *
 * Throws when the checker throws (GitHub could not answer): the evaluation then fails as
 * "could not evaluate" instead of silently dropping — or silently applying — an accepted risk.
 */
export async function commandIgnoresOf(
  comments: readonly ListedIssueComment[],
  options: RecordOptions,
): Promise<CommandRecord> {
  const known = new Set(options.knownRuleIds);
  const accepted = new Map<string, CommandIgnore>();
  const refused: RefusedCommand[] = [];
  for (const comment of [...comments].filter(isHonoured).sort(byCreation)) {
    // `isHonoured` checked the user.
    const login = comment.user?.login ?? '';
    for (const command of parseCommands(comment.body ?? '')) {
      if (command.kind !== 'ignore' && command.kind !== 'unignore') continue;
      if (!known.has(command.rule)) continue;
      const permission = await options.checker.check(login, command.kind);
      if (!permission.allowed) {
        refused.push({ commentId: comment.id, login, reason: permission.reason });
        continue;
      }
      const key = JSON.stringify([command.rule, command.resource]);
      if (command.kind === 'unignore') {
        accepted.delete(key);
      } else {
        // Delete first so a replaced ignore moves to the end, as if first accepted now.
        accepted.delete(key);
        accepted.set(key, {
          rule: command.rule,
          resource: command.resource,
          reason: command.reason,
          by: login,
        });
      }
    }
  }
  return { ignores: [...accepted.values()], refused };
}

/**
 * Only a person's unedited comment counts. Bots (this app included) and comments posted through
 * a GitHub App cannot accept a risk on someone's behalf; an edit is never honoured, because the
 * `edited` webhook is ignored and re-reading the comments must agree with what was answered
 * (and an edit could otherwise turn an old, harmless comment into an ignore nobody reviewed).
 */
function isHonoured(comment: ListedIssueComment): boolean {
  if (comment.user === null || comment.user.login === '') return false;
  if (comment.user.type !== 'User') return false;
  if (comment.performed_via_github_app !== undefined && comment.performed_via_github_app !== null)
    return false;
  return comment.updated_at === comment.created_at;
}

/** Oldest first; equal times (same second) by id, which GitHub assigns in creation order. */
function byCreation(a: ListedIssueComment, b: ListedIssueComment): number {
  const byTime = Date.parse(a.created_at) - Date.parse(b.created_at);
  return byTime !== 0 && !Number.isNaN(byTime) ? byTime : a.id - b.id;
}
