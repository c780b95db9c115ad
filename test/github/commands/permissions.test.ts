import { describe, expect, it } from 'vitest';
import { permissionChecker } from '../../../src/github/commands/permissions.js';
import type { PermissionContext } from '../../../src/github/commands/types.js';
import type { GitHubClient } from '../../../src/github/types.js';

const PERMISSION_ROUTE = 'GET /repos/{owner}/{repo}/collaborators/{username}/permission';
const TEAM_ROUTE = 'GET /orgs/{org}/teams/{team_slug}/memberships/{username}';

type Answer = { data: Record<string, unknown> } | { status: number };

interface Request {
  readonly route: string;
  readonly parameters: Record<string, unknown>;
}

/** A client answering from `answers` by "route username[ org/slug]", recording every request. */
function stubClient(answers: Readonly<Record<string, Answer>>): {
  client: GitHubClient;
  requests: Request[];
} {
  const requests: Request[] = [];
  const request = (route: string, parameters: Record<string, unknown>): Promise<unknown> => {
    requests.push({ route, parameters });
    const username = String(parameters['username']);
    const key =
      route === TEAM_ROUTE
        ? `team ${String(parameters['org'])}/${String(parameters['team_slug'])} ${username}`
        : `permission ${username}`;
    const answer = answers[key] ?? { status: 404 };
    if ('status' in answer) {
      return Promise.reject(
        Object.assign(new Error(`HTTP ${answer.status}`), { status: answer.status }),
      );
    }
    return Promise.resolve({ status: 200, data: answer.data });
  };
  const client = {
    request,
    graphql: () => Promise.reject(new Error('no graphql here')),
  } as unknown as GitHubClient;
  return { client, requests };
}

const repo = { owner: 'acme', repo: 'infra' };

function context(ignoreAllow: readonly string[] = []): PermissionContext {
  return { repo, author: 'Pat-Author', ignoreAllow };
}

function permissionRequest(username: string): Request {
  return { route: PERMISSION_ROUTE, parameters: { owner: 'acme', repo: 'infra', username } };
}

function teamRequest(org: string, slug: string, username: string): Request {
  return { route: TEAM_ROUTE, parameters: { org, team_slug: slug, username } };
}

const level = (permission: string, roleName: string): Answer => ({
  data: { permission, role_name: roleName, user: { login: 'x' } },
});

describe('permissionChecker: recheck, explain, help', () => {
  it('lets the author (any case) run them without asking GitHub', async () => {
    const { client, requests } = stubClient({});
    const checker = permissionChecker(client, context());
    expect(await checker.check('pat-author', 'recheck')).toEqual({
      allowed: true,
      via: 'pull request author',
    });
    expect(await checker.check('PAT-AUTHOR', 'explain')).toEqual({
      allowed: true,
      via: 'pull request author',
    });
    expect(requests).toEqual([]);
  });

  it.each([
    ['admin', 'admin', true],
    ['write', 'maintain', true],
    ['write', 'write', true],
    ['read', 'triage', false],
    ['read', 'read', false],
    ['none', 'none', false],
  ] as const)('permission %s / role %s → allowed %s', async (permission, roleName, allowed) => {
    const { client, requests } = stubClient({
      'permission reviewer': level(permission, roleName),
    });
    const result = await permissionChecker(client, context()).check('reviewer', 'recheck');
    expect(result).toEqual(
      allowed
        ? { allowed: true, via: 'write access' }
        : {
            allowed: false,
            reason: "Only the pull request's author and users with write access may recheck.",
          },
    );
    expect(requests).toEqual([permissionRequest('reviewer')]);
  });

  it('accepts a custom role reporting maintain as its role name', async () => {
    const { client } = stubClient({ 'permission lead': level('read', 'maintain') });
    expect(await permissionChecker(client, context()).check('lead', 'help')).toEqual({
      allowed: true,
      via: 'write access',
    });
  });

  it('refuses a non-collaborator (404) with a reason naming the command', async () => {
    const { client } = stubClient({});
    const checker = permissionChecker(client, context());
    expect(await checker.check('stranger', 'explain')).toEqual({
      allowed: false,
      reason:
        "Only the pull request's author and users with write access may ask for explanations.",
    });
    expect(await checker.check('stranger', 'help')).toEqual({
      allowed: false,
      reason: "Only the pull request's author and users with write access may ask for help.",
    });
  });

  it('never treats an empty author (merge group) as matching', async () => {
    const { client, requests } = stubClient({});
    const checker = permissionChecker(client, { repo, author: '', ignoreAllow: [] });
    expect((await checker.check('someone', 'recheck')).allowed).toBe(false);
    expect(requests).toEqual([permissionRequest('someone')]);
  });
});

describe('permissionChecker: ignore, unignore without an allow list', () => {
  it('needs write access, even from the author', async () => {
    const { client, requests } = stubClient({
      'permission Pat-Author': level('read', 'read'),
      'permission maintainer': level('admin', 'admin'),
    });
    const checker = permissionChecker(client, context());
    expect(await checker.check('Pat-Author', 'ignore')).toEqual({
      allowed: false,
      reason: 'Only users with write access may ignore findings on this repository.',
    });
    expect(await checker.check('Pat-Author', 'unignore')).toEqual({
      allowed: false,
      reason: 'Only users with write access may unignore findings on this repository.',
    });
    expect(await checker.check('maintainer', 'unignore')).toEqual({
      allowed: true,
      via: 'write access',
    });
    expect(requests).toEqual([permissionRequest('Pat-Author'), permissionRequest('maintainer')]);
  });
});

describe('permissionChecker: ignore, unignore with commands.ignore.allow', () => {
  const allow = ['Octocat', 'acme/platform', 'acme/security'];

  it('allows a listed user (any case) without asking GitHub', async () => {
    const { client, requests } = stubClient({});
    expect(await permissionChecker(client, context(allow)).check('octocat', 'ignore')).toEqual({
      allowed: true,
      via: 'listed in commands.ignore.allow',
    });
    expect(requests).toEqual([]);
  });

  it('stops at the first team that answers active', async () => {
    const { client, requests } = stubClient({
      'team acme/platform dev': { data: { state: 'active', role: 'member' } },
      'team acme/security dev': { data: { state: 'active', role: 'member' } },
    });
    expect(await permissionChecker(client, context(allow)).check('dev', 'ignore')).toEqual({
      allowed: true,
      via: 'member of acme/platform',
    });
    expect(requests).toEqual([teamRequest('acme', 'platform', 'dev')]);
  });

  it('asks the next team after a 404 and a pending membership', async () => {
    const { client, requests } = stubClient({
      'team acme/platform dev': { data: { state: 'pending', role: 'member' } },
      'team acme/security dev': { data: { state: 'active', role: 'maintainer' } },
    });
    const checker = permissionChecker(client, context(['acme/missing', ...allow]));
    expect(await checker.check('dev', 'unignore')).toEqual({
      allowed: true,
      via: 'member of acme/security',
    });
    expect(requests).toEqual([
      teamRequest('acme', 'missing', 'dev'),
      teamRequest('acme', 'platform', 'dev'),
      teamRequest('acme', 'security', 'dev'),
    ]);
  });

  it('refuses write access alone (it does not suffice with a list)', async () => {
    const { client, requests } = stubClient({ 'permission admin': level('admin', 'admin') });
    expect(await permissionChecker(client, context(allow)).check('admin', 'ignore')).toEqual({
      allowed: false,
      reason: 'Only the users and teams listed in commands.ignore.allow may ignore findings.',
    });
    // Never asked for the permission level: it would not change the answer.
    expect(requests).toEqual([
      teamRequest('acme', 'platform', 'admin'),
      teamRequest('acme', 'security', 'admin'),
    ]);
  });

  it('says which teams could not be checked on 403', async () => {
    const { client } = stubClient({
      'team acme/platform dev': { status: 403 },
      'team acme/security dev': { status: 403 },
    });
    expect(await permissionChecker(client, context(allow)).check('dev', 'ignore')).toEqual({
      allowed: false,
      reason:
        'Only the users and teams listed in commands.ignore.allow may ignore findings, and the ' +
        'membership of `acme/platform`, `acme/security` could not be checked (the app needs ' +
        'the organization permission `members: read`).',
    });
  });

  it('lets a later team allow despite an earlier 403', async () => {
    const { client } = stubClient({
      'team acme/platform dev': { status: 403 },
      'team acme/security dev': { data: { state: 'active' } },
    });
    expect(await permissionChecker(client, context(allow)).check('dev', 'ignore')).toEqual({
      allowed: true,
      via: 'member of acme/security',
    });
  });
});

describe('permissionChecker: memoisation and failures', () => {
  it('asks each question once per checker (logins case-insensitive), sharing concurrent asks', async () => {
    const { client, requests } = stubClient({
      'permission Reviewer': level('write', 'write'),
      'team acme/platform dev': { data: { state: 'pending' } },
    });
    const checker = permissionChecker(client, context());
    const [first, second] = await Promise.all([
      checker.check('Reviewer', 'recheck'),
      checker.check('Reviewer', 'ignore'),
    ]);
    expect(first).toEqual({ allowed: true, via: 'write access' });
    expect(second).toEqual({ allowed: true, via: 'write access' });
    expect(await checker.check('reviewer', 'explain')).toEqual({
      allowed: true,
      via: 'write access',
    });
    expect(requests).toEqual([permissionRequest('Reviewer')]);

    const listed = permissionChecker(client, context(['acme/platform']));
    await listed.check('dev', 'ignore');
    await listed.check('DEV', 'unignore');
    expect(requests.slice(1)).toEqual([teamRequest('acme', 'platform', 'dev')]);
  });

  it('a new checker asks again', async () => {
    const { client, requests } = stubClient({ 'permission reviewer': level('write', 'write') });
    await permissionChecker(client, context()).check('reviewer', 'recheck');
    await permissionChecker(client, context()).check('reviewer', 'recheck');
    expect(requests).toEqual([permissionRequest('reviewer'), permissionRequest('reviewer')]);
  });

  it.each([500, 502, 401])(
    'throws when the permission API answers %i, and asks again later',
    async (status) => {
      const { client, requests } = stubClient({ 'permission reviewer': { status } });
      const checker = permissionChecker(client, context());
      await expect(checker.check('reviewer', 'recheck')).rejects.toMatchObject({ status });
      await expect(checker.check('reviewer', 'recheck')).rejects.toMatchObject({ status });
      expect(requests).toEqual([permissionRequest('reviewer'), permissionRequest('reviewer')]);
    },
  );

  it('throws when the team API answers 5xx', async () => {
    const { client } = stubClient({ 'team acme/platform dev': { status: 503 } });
    await expect(
      permissionChecker(client, context(['acme/platform'])).check('dev', 'ignore'),
    ).rejects.toMatchObject({ status: 503 });
  });

  it('throws on a network error (no status)', async () => {
    const client = {
      request: () => Promise.reject(new Error('ECONNRESET')),
      graphql: () => Promise.reject(new Error('no graphql here')),
    } as unknown as GitHubClient;
    await expect(permissionChecker(client, context()).check('reviewer', 'recheck')).rejects.toThrow(
      'ECONNRESET',
    );
  });
});
