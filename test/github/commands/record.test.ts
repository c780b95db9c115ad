import { describe, expect, it } from 'vitest';
import { commandIgnoresOf } from '../../../src/github/commands/record.js';
import type {
  CommandName,
  ListedIssueComment,
  Permission,
  PermissionChecker,
} from '../../../src/github/commands/types.js';

const RULE = 'endpoint-policy-full-access';
const OTHER_RULE = 'bucket-policy-missing-vpce-condition';
const KNOWN = [RULE, OTHER_RULE];

let nextId = 100;
/** A person's unedited comment, one minute after the previous one by default. */
function comment(
  login: string,
  body: string,
  extra: Partial<Omit<ListedIssueComment, 'user'>> & {
    user?: ListedIssueComment['user'];
    minute?: number;
  } = {},
): ListedIssueComment {
  const id = extra.id ?? nextId++;
  const minute = extra.minute ?? id - 100;
  const at = new Date(Date.UTC(2026, 10, 28, 8, 0) + minute * 60_000).toISOString();
  const { minute: _minute, ...rest } = extra;
  return {
    id,
    body,
    user: { login, type: 'User' },
    created_at: at,
    updated_at: at,
    ...rest,
  };
}

/** Allows everyone except the listed logins; records every question asked. */
function stubChecker(refused: readonly string[] = []) {
  const asked: [string, CommandName][] = [];
  const checker: PermissionChecker = {
    check(login, command): Promise<Permission> {
      asked.push([login, command]);
      return Promise.resolve(
        refused.includes(login)
          ? { allowed: false, reason: 'Only users with write access may accept findings.' }
          : { allowed: true, via: 'write access' },
      );
    },
  };
  return { checker, asked };
}

const ignore = (resource: string, reason: string, rule = RULE) =>
  `/s3-guard ignore ${rule} ${resource} -- ${reason}`;
const unignore = (resource: string, rule = RULE) => `/s3-guard unignore ${rule} ${resource}`;

describe('commandIgnoresOf', () => {
  it('records an ignore with its author and reason', async () => {
    const { checker, asked } = stubChecker();
    const record = await commandIgnoresOf(
      [comment('alice', ignore('S3Endpoint', 'gateway is private'), { id: 1, minute: 0 })],
      { checker, knownRuleIds: KNOWN },
    );
    expect(record).toEqual({
      ignores: [{ rule: RULE, resource: 'S3Endpoint', reason: 'gateway is private', by: 'alice' }],
      refused: [],
    });
    expect(asked).toEqual([['alice', 'ignore']]);
  });

  it('replays oldest first by created_at, then id, whatever the listing order', async () => {
    const { checker } = stubChecker();
    // Listed out of order: the unignore (minute 2) comes after the first ignore (minute 1) but
    // before the second ignore, which has the same second as the unignore and a larger id.
    const comments = [
      comment('carol', ignore('S3Endpoint', 'second'), { id: 30, minute: 2 }),
      comment('bob', unignore('S3Endpoint'), { id: 20, minute: 2 }),
      comment('alice', ignore('S3Endpoint', 'first'), { id: 40, minute: 1 }),
    ];
    const record = await commandIgnoresOf(comments, { checker, knownRuleIds: KNOWN });
    expect(record.ignores).toEqual([
      { rule: RULE, resource: 'S3Endpoint', reason: 'second', by: 'carol' },
    ]);
  });

  it('a later ignore of the same rule and resource replaces the earlier one', async () => {
    const { checker } = stubChecker();
    const record = await commandIgnoresOf(
      [
        comment('alice', ignore('S3Endpoint', 'first reason'), { id: 1, minute: 0 }),
        comment('bob', ignore('Other', 'kept'), { id: 2, minute: 1 }),
        comment('carol', ignore('S3Endpoint', 'better reason'), { id: 3, minute: 2 }),
      ],
      { checker, knownRuleIds: KNOWN },
    );
    expect(record.ignores).toEqual([
      { rule: RULE, resource: 'Other', reason: 'kept', by: 'bob' },
      { rule: RULE, resource: 'S3Endpoint', reason: 'better reason', by: 'carol' },
    ]);
  });

  it('the same resource under another rule is another ignore', async () => {
    const { checker } = stubChecker();
    const record = await commandIgnoresOf(
      [
        comment('alice', ignore('Bucket', 'a'), { id: 1, minute: 0 }),
        comment('alice', ignore('Bucket', 'b', OTHER_RULE), { id: 2, minute: 1 }),
        comment('alice', unignore('Bucket'), { id: 3, minute: 2 }),
      ],
      { checker, knownRuleIds: KNOWN },
    );
    expect(record.ignores).toEqual([
      { rule: OTHER_RULE, resource: 'Bucket', reason: 'b', by: 'alice' },
    ]);
  });

  it('unignore removes the ignore; a later ignore accepts it again', async () => {
    const { checker } = stubChecker();
    const first = [
      comment('alice', ignore('S3Endpoint', 'temporary'), { id: 1, minute: 0 }),
      comment('bob', unignore('S3Endpoint'), { id: 2, minute: 1 }),
    ];
    expect(await commandIgnoresOf(first, { checker, knownRuleIds: KNOWN })).toEqual({
      ignores: [],
      refused: [],
    });
    const again = [...first, comment('alice', ignore('S3Endpoint', 'again'), { id: 3, minute: 2 })];
    expect((await commandIgnoresOf(again, { checker, knownRuleIds: KNOWN })).ignores).toEqual([
      { rule: RULE, resource: 'S3Endpoint', reason: 'again', by: 'alice' },
    ]);
  });

  it('unignore of something never ignored changes nothing', async () => {
    const { checker, asked } = stubChecker();
    const record = await commandIgnoresOf(
      [
        comment('alice', ignore('S3Endpoint', 'kept'), { id: 1, minute: 0 }),
        comment('bob', unignore('Elsewhere'), { id: 2, minute: 1 }),
      ],
      { checker, knownRuleIds: KNOWN },
    );
    expect(record).toEqual({
      ignores: [{ rule: RULE, resource: 'S3Endpoint', reason: 'kept', by: 'alice' }],
      refused: [],
    });
    expect(asked).toEqual([
      ['alice', 'ignore'],
      ['bob', 'unignore'],
    ]);
  });

  it('skips edited comments, bots, app-posted comments and deleted users', async () => {
    const { checker, asked } = stubChecker();
    const base = comment('alice', ignore('S3Endpoint', 'x'), { id: 1, minute: 0 });
    const record = await commandIgnoresOf(
      [
        { ...base, id: 1, updated_at: '2026-11-28T09:00:00Z' },
        { ...base, id: 2, user: { login: 'renovate[bot]', type: 'Bot' } },
        { ...base, id: 3, user: { login: 's3-guard[bot]', type: 'Bot' } },
        { ...base, id: 4, user: { login: 'alice' } },
        { ...base, id: 5, performed_via_github_app: { id: 7, slug: 'some-app' } },
        { ...base, id: 6, user: null },
      ],
      { checker, knownRuleIds: KNOWN },
    );
    expect(record).toEqual({ ignores: [], refused: [] });
    // Nothing was even asked: skipped comments cost no API call.
    expect(asked).toEqual([]);
  });

  it('an edit does not revive an unignored finding either', async () => {
    const { checker } = stubChecker();
    const unignored = comment('bob', unignore('S3Endpoint'), { id: 2, minute: 1 });
    const record = await commandIgnoresOf(
      [
        comment('alice', ignore('S3Endpoint', 'x'), { id: 1, minute: 0 }),
        // Edited afterwards into an ignore: neither the edit nor the original counts.
        {
          ...unignored,
          body: ignore('S3Endpoint', 'edited in'),
          updated_at: '2026-11-28T10:00:00Z',
        },
      ],
      { checker, knownRuleIds: KNOWN },
    );
    expect(record.ignores).toEqual([
      { rule: RULE, resource: 'S3Endpoint', reason: 'x', by: 'alice' },
    ]);
  });

  it('a refused author changes nothing and is reported per command', async () => {
    const { checker, asked } = stubChecker(['mallory']);
    const record = await commandIgnoresOf(
      [
        comment('alice', ignore('S3Endpoint', 'accepted'), { id: 1, minute: 0 }),
        comment('mallory', `${unignore('S3Endpoint')}\n${ignore('Bucket', 'mine')}`, {
          id: 2,
          minute: 1,
        }),
      ],
      { checker, knownRuleIds: KNOWN },
    );
    expect(record).toEqual({
      ignores: [{ rule: RULE, resource: 'S3Endpoint', reason: 'accepted', by: 'alice' }],
      refused: [
        {
          commentId: 2,
          login: 'mallory',
          reason: 'Only users with write access may accept findings.',
        },
        {
          commentId: 2,
          login: 'mallory',
          reason: 'Only users with write access may accept findings.',
        },
      ],
    });
    expect(asked).toEqual([
      ['alice', 'ignore'],
      ['mallory', 'unignore'],
      ['mallory', 'ignore'],
    ]);
  });

  it('skips unknown rule ids without asking', async () => {
    const { checker, asked } = stubChecker();
    const record = await commandIgnoresOf(
      [comment('alice', ignore('S3Endpoint', 'typo', 'endpoint-policy-ful-access'), { id: 1 })],
      { checker, knownRuleIds: KNOWN },
    );
    expect(record).toEqual({ ignores: [], refused: [] });
    expect(asked).toEqual([]);
  });

  it('honours only command lines: not quoted, not fenced, not other commands', async () => {
    const { checker, asked } = stubChecker();
    const body = [
      'As discussed:',
      `> ${ignore('Quoted', 'from a quote')}`,
      '```',
      ignore('Fenced', 'from a code block'),
      '```',
      '/s3-guard recheck',
      `/s3-guard explain ${RULE}`,
      ignore('S3Endpoint', 'the real one'),
    ].join('\n');
    const record = await commandIgnoresOf([comment('alice', body, { id: 1 })], {
      checker,
      knownRuleIds: KNOWN,
    });
    expect(record.ignores).toEqual([
      { rule: RULE, resource: 'S3Endpoint', reason: 'the real one', by: 'alice' },
    ]);
    expect(asked).toEqual([['alice', 'ignore']]);
  });

  it('rejects when the checker throws (GitHub could not answer)', async () => {
    const checker: PermissionChecker = {
      check: () => Promise.reject(new Error('HTTP 502: Bad Gateway')),
    };
    await expect(
      commandIgnoresOf([comment('alice', ignore('S3Endpoint', 'x'), { id: 1 })], {
        checker,
        knownRuleIds: KNOWN,
      }),
    ).rejects.toThrow('HTTP 502: Bad Gateway');
  });

  it('no comments, no ignores', async () => {
    const { checker } = stubChecker();
    expect(await commandIgnoresOf([], { checker, knownRuleIds: KNOWN })).toEqual({
      ignores: [],
      refused: [],
    });
  });
});
