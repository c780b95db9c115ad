/**
 * The contracts of slash commands (`/s3-guard …` in pull request conversation comments), shared
 * by the parser, the permission checks, the replies and the record of accepted findings:
 *
 *   parse.ts        comment body → Command[]                         (pure)
 *   permissions.ts  who may run which command → Permission           (collaborator API, teams)
 *   record.ts       the pull request's comments → CommandIgnore[]    (re-read every evaluation)
 *   replies.ts      help, explain, refusals → Markdown               (pure)
 *
 * Nothing about commands is stored outside GitHub: an accepted `ignore` is the comment itself,
 * read again (and its author's permission checked again) on each evaluation.
 */
import type { RepoRef } from '../types.js';

/** The prefix a command line starts with. */
export const COMMAND_PREFIX = '/s3-guard';

/** Commands read from one comment at most; further lines are ignored (a comment is not a script). */
export const MAX_COMMANDS_PER_COMMENT = 10;

export type CommandName = 'recheck' | 'explain' | 'ignore' | 'unignore' | 'help';

/** One command line of a comment. */
export type Command =
  | { readonly kind: 'recheck' }
  | { readonly kind: 'explain'; readonly rule: string }
  | {
      readonly kind: 'ignore';
      readonly rule: string;
      /** The finding's resource as reported (`S3Endpoint`, `aws_vpc_endpoint.s3`). */
      readonly resource: string;
      readonly reason: string;
    }
  | { readonly kind: 'unignore'; readonly rule: string; readonly resource: string }
  | { readonly kind: 'help' }
  | {
      /** Unknown command or wrong arguments: answered with the problem and the help text. */
      readonly kind: 'invalid';
      /** The line as written (for the reply; escaped there). */
      readonly text: string;
      /** Why, in one sentence ("`ignore` needs a reason after `--`."). */
      readonly problem: string;
    };

/** Who may do what: the answer of a permission check. */
export type Permission =
  | {
      readonly allowed: true;
      /** For logs: "pull request author", "write access", "member of my-org/my-team". */
      readonly via: string;
    }
  | {
      readonly allowed: false;
      /** One sentence for the refusal reply ("Only users with write access may …"). */
      readonly reason: string;
    };

/**
 * Answers "may `login` run `command` on this pull request?" from GitHub's API (collaborator
 * permission level, team membership), never from a payload's `author_association`. Answers are
 * memoised per login for the checker's lifetime (one webhook delivery or one evaluation).
 * Throws when GitHub cannot answer (5xx): the caller refuses with "try again".
 */
export interface PermissionChecker {
  check(login: string, command: CommandName): Promise<Permission>;
}

export interface PermissionContext {
  readonly repo: RepoRef;
  /** The pull request's author: may `recheck`, `explain` and `help` without write access. */
  readonly author: string;
  /**
   * Config `commands.ignore.allow`: users (`octocat`) and teams (`my-org/my-team`). Empty: users
   * with write access may `ignore`/`unignore`; otherwise only those listed may.
   */
  readonly ignoreAllow: readonly string[];
}

/** The fields of a listed issue comment (`GET /repos/{o}/{r}/issues/{n}/comments`) read here. */
export interface ListedIssueComment {
  readonly id: number;
  readonly body?: string | null;
  readonly user: { readonly login: string; readonly type?: string } | null;
  readonly created_at: string;
  readonly updated_at: string;
  /** Set when a GitHub App wrote the comment. */
  readonly performed_via_github_app?: unknown;
}

/** The check run's button that re-evaluates (≤ 3 actions; label ≤ 20, identifier ≤ 20, description ≤ 40). */
export const REEVALUATE_ACTION = {
  label: 'Re-evaluate',
  identifier: 're-evaluate',
  description: 'Run the S3 endpoint guard again',
} as const;
