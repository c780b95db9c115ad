/**
 * Who may run which slash command, asked of GitHub's API: the collaborator permission level
 * and team membership. Never the payload's `author_association`, which says how someone is
 * related to the repository (MEMBER, CONTRIBUTOR…), not what they may do in it.
 *
 *   recheck, explain, help   the pull request's author, or anyone with write access
 *   ignore, unignore         write access; or, when `commands.ignore.allow` lists anyone, only
 *                            the users listed and active members of the teams listed
 *
 * Each question (write access of a login, membership of a login in a team) is asked at most
 * once per checker; a checker lives for one webhook delivery or one evaluation, so a permission
 * removed on GitHub applies from the next one.
 */
import { statusOf } from '../client.js';
import { code } from '../render/markdown.js';
import type { GitHubClient } from '../types.js';
import type { CommandName, Permission, PermissionChecker, PermissionContext } from './types.js';

/** `permission` values of the collaborator API that mean "may push" (maintain is reported as write). */
const WRITE_PERMISSIONS: ReadonlySet<string> = new Set(['admin', 'write']);

/** `role_name` values that mean "may push" (custom roles based on these report their own name). */
const WRITE_ROLES: ReadonlySet<string> = new Set(['admin', 'maintain', 'write']);

/** A team's answer: `unknown` when GitHub refused to say (403: no organization members permission). */
type Membership = 'active' | 'none' | 'unknown';

/** What each command's refusal says the command does ("Only … may <verb>."). */
const VERBS: Readonly<Record<CommandName, string>> = {
  recheck: 'recheck',
  explain: 'ask for explanations',
  help: 'ask for help',
  ignore: 'ignore findings',
  unignore: 'unignore findings',
};

export function permissionChecker(
  client: GitHubClient,
  context: PermissionContext,
): PermissionChecker {
  // Promises, so concurrent asks for the same answer share one request; failures are forgotten
  // so a later ask may try again.
  const answers = new Map<string, Promise<unknown>>();

  function memoised<T>(key: string, ask: () => Promise<T>): Promise<T> {
    const known = answers.get(key);
    if (known !== undefined) return known as Promise<T>;
    const answer = ask();
    answers.set(key, answer);
    answer.catch(() => answers.delete(key));
    return answer;
  }

  const hasWriteAccess = (login: string): Promise<boolean> =>
    memoised(`write\n${login.toLowerCase()}`, () => writeAccess(client, context, login));

  const membership = (team: string, login: string): Promise<Membership> =>
    memoised(`team\n${team.toLowerCase()}\n${login.toLowerCase()}`, () =>
      teamMembership(client, team, login),
    );

  async function mayEvaluate(login: string, command: CommandName): Promise<Permission> {
    if (context.author !== '' && sameLogin(login, context.author)) {
      return { allowed: true, via: 'pull request author' };
    }
    if (await hasWriteAccess(login)) return { allowed: true, via: 'write access' };
    return {
      allowed: false,
      reason: `Only the pull request's author and users with write access may ${VERBS[command]}.`,
    };
  }

  async function mayIgnore(login: string, command: CommandName): Promise<Permission> {
    const verb = VERBS[command];
    if (context.ignoreAllow.length === 0) {
      if (await hasWriteAccess(login)) return { allowed: true, via: 'write access' };
      return {
        allowed: false,
        reason: `Only users with write access may ${verb} on this repository.`,
      };
    }
    const teams: string[] = [];
    for (const entry of context.ignoreAllow) {
      if (entry.includes('/')) teams.push(entry);
      else if (sameLogin(entry, login)) {
        return { allowed: true, via: 'listed in commands.ignore.allow' };
      }
    }
    const unchecked: string[] = [];
    for (const team of teams) {
      const answer = await membership(team, login);
      if (answer === 'active') return { allowed: true, via: `member of ${team}` };
      if (answer === 'unknown') unchecked.push(team);
    }
    const base = `Only the users and teams listed in commands.ignore.allow may ${verb}`;
    if (unchecked.length === 0) return { allowed: false, reason: `${base}.` };
    return {
      allowed: false,
      reason:
        `${base}, and the membership of ${unchecked.map((team) => code(team)).join(', ')} ` +
        'could not be checked (the app needs the organization permission `members: read`).',
    };
  }

  return {
    check(login, command) {
      return command === 'ignore' || command === 'unignore'
        ? mayIgnore(login, command)
        : mayEvaluate(login, command);
    },
  };
}

/** GitHub logins are case-insensitive. */
function sameLogin(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

async function writeAccess(
  client: GitHubClient,
  context: PermissionContext,
  login: string,
): Promise<boolean> {
  try {
    const response = await client.request(
      'GET /repos/{owner}/{repo}/collaborators/{username}/permission',
      { owner: context.repo.owner, repo: context.repo.repo, username: login },
    );
    const data = response.data as { permission?: unknown; role_name?: unknown };
    return (
      (typeof data.permission === 'string' && WRITE_PERMISSIONS.has(data.permission)) ||
      (typeof data.role_name === 'string' && WRITE_ROLES.has(data.role_name))
    );
  } catch (error) {
    // 404: not a collaborator (or no such user). Anything else: GitHub could not answer.
    if (statusOf(error) === 404) return false;
    throw error;
  }
}

async function teamMembership(
  client: GitHubClient,
  team: string,
  login: string,
): Promise<Membership> {
  const slash = team.indexOf('/');
  const org = team.slice(0, slash);
  const slug = team.slice(slash + 1);
  try {
    const response = await client.request(
      'GET /orgs/{org}/teams/{team_slug}/memberships/{username}',
      { org, team_slug: slug, username: login },
    );
    const data = response.data as { state?: unknown };
    // `pending`: invited, not yet a member.
    return data.state === 'active' ? 'active' : 'none';
  } catch (error) {
    const status = statusOf(error);
    if (status === 404) return 'none';
    // 403: the app lacks the organization's `members: read` permission (or the team is secret).
    if (status === 403) return 'unknown';
    throw error;
  }
}
