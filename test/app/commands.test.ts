/**
 * `/s3-guard` commands end to end: the real Probot app and GitHub layer against the fake GitHub
 * (every request validated against GitHub's OpenAPI description), comments delivered as GitHub's
 * `issue_comment` webhooks. Each test ends with no request GitHub would reject.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCommands } from '../../src/github/commands/parse.js';
import {
  explainReply,
  helpReply,
  helpText,
  invalidReply,
  KNOWN_RULE_IDS,
  refusalReply,
  unknownRuleReply,
} from '../../src/github/commands/replies.js';
import type { Command } from '../../src/github/commands/types.js';
import { joinReplies } from '../../src/github/commands/answer.js';
import { REPLY_MARKER } from '../../src/github/markers.js';
import { CHECK_NAME } from '../../src/github/types.js';
import { createGuardApp } from '../../src/app/index.js';
import type { GuardApp } from '../../src/app/index.js';
import { toolInfo } from '../../src/cli/tool-info.js';
import { FakeGitHub, interceptGitHub, type RecordedCall } from '../fake-github/index.js';
import { startProbot, type ProbotHarness } from '../fake-github/probot.js';
import { vpcWithS3Endpoint } from '../github/templates.js';

const OWNER = 'acme';
const REPO = 'infra';
const TEMPLATE = 'cfn/network.yml';
/** The endpoint has no policy: `endpoint-policy-full-access` (a warning) on `S3Endpoint`. */
const RULE = 'endpoint-policy-full-access';
const RESOURCE = 'S3Endpoint';
const AUTHOR = 'dev';
const CONFIG = 'failOn: warning\n';

interface World {
  fake: FakeGitHub;
  guard: GuardApp;
  harness: ProbotHarness;
  interception: ReturnType<typeof interceptGitHub>;
  number: number;
  head: string;
  /** Writes in flight at once, at most (see `beforeEach`). */
  readonly maxConcurrentWrites: number;
  /** The fake cannot close a pull request: `GET pulls/{n}` answers `closed` when set. */
  closed: boolean;
}

let world: World;

beforeEach(async () => {
  const fake = new FakeGitHub({ appId: 4242 });
  fake.createRepo(OWNER, REPO);
  const base = fake.commit(OWNER, REPO, {
    files: { 'README.md': 'infra\n', '.github/s3-endpoint-guard.yml': CONFIG },
  });
  const head = fake.commit(OWNER, REPO, {
    parent: base,
    branch: 'change',
    files: { [TEMPLATE]: vpcWithS3Endpoint() },
  });
  const number = fake.openPullRequest(OWNER, REPO, {
    base: 'main',
    headSha: head,
    headRef: 'change',
    author: AUTHOR,
  });
  fake.setPermission(OWNER, REPO, 'maintainer', 'write');
  fake.setPermission(OWNER, REPO, 'reader', 'read');
  fake.setPermission(OWNER, REPO, AUTHOR, 'read');

  // Writes of the installation must go out one at a time: each write holds the fake for a
  // moment, so two in flight at once would be seen.
  const state = { active: 0, max: 0 };
  const handle = fake.handle.bind(fake);
  fake.handle = async (request) => {
    const write = isWrite(request);
    if (write) {
      state.active++;
      state.max = Math.max(state.max, state.active);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    try {
      const response = await handle(request);
      if (world.closed && request.method === 'GET' && PULL.test(request.url)) {
        const data = JSON.parse(response.body) as Record<string, unknown>;
        return { ...response, body: JSON.stringify({ ...data, state: 'closed' }) };
      }
      return response;
    } finally {
      if (write) state.active--;
    }
  };

  const interception = interceptGitHub(fake);
  const guard = createGuardApp({ botLogin: fake.botLogin });
  const harness = await startProbot(fake, guard.app);
  world = {
    fake,
    guard,
    harness,
    interception,
    number,
    head,
    closed: false,
    get maxConcurrentWrites() {
      return state.max;
    },
  };
});

afterEach(() => {
  world.interception.restore();
  expect(world.fake.violations).toEqual([]);
});

function isWrite(request: { method: string; url: string; body?: string }): boolean {
  if (request.method.toUpperCase() === 'GET') return false;
  if (/\/access_tokens$/.test(new URL(request.url, 'https://x').pathname)) return false;
  if (/\/graphql$/.test(request.url)) return /"query":"\s*mutation/.test(request.body ?? '');
  return true;
}

/** `user` writes `body` on the pull request; GitHub delivers `issue_comment.created`. */
async function comment(
  user: string,
  body: string,
  options: { type?: 'User' | 'Bot' } = {},
): Promise<number> {
  const { fake, number } = world;
  const id = fake.addIssueComment(OWNER, REPO, number, user, body, {
    type: options.type ?? 'User',
  });
  await receive(fake.issueCommentPayload(OWNER, REPO, number, id));
  await world.guard.idle();
  return id;
}

async function receive(payload: object): Promise<void> {
  await world.harness.receive('issue_comment', payload);
}

function reactionsOf(id: number): string[] {
  return world.fake
    .reactions(OWNER, REPO, id)
    .filter((reaction) => reaction.user === world.fake.botLogin)
    .map((reaction) => reaction.content);
}

/** The app's replies (its issue comments other than the summary). */
function replies(): string[] {
  return world.fake
    .issueComments(OWNER, REPO, world.number)
    .filter((c) => c.user === world.fake.botLogin && c.body.includes(REPLY_MARKER))
    .map((c) => c.body);
}

function summary(): string | undefined {
  return world.fake
    .issueComments(OWNER, REPO, world.number)
    .find((c) => c.user === world.fake.botLogin && c.body.includes('s3-endpoint-guard:summary'))
    ?.body;
}

function runs() {
  return world.fake.checkRuns(OWNER, REPO).filter((run) => run.head_sha === world.head);
}

function calls(method: string, path: RegExp): RecordedCall[] {
  return world.fake.calls.filter((call) => call.method === method && path.test(call.path));
}

const PULL = new RegExp(`^/repos/${OWNER}/${REPO}/pulls/\\d+$`);
const FILES = new RegExp(`^/repos/${OWNER}/${REPO}/pulls/\\d+/files$`);
const CHECK_RUNS_CREATED = new RegExp(`^/repos/${OWNER}/${REPO}/check-runs$`);

const docsBaseUri = toolInfo().docsBaseUri;

describe('/s3-guard commands', () => {
  it('recheck by the pull request author (read access only): a new check run, 👀 then 🚀', async () => {
    const id = await comment(AUTHOR, '/s3-guard recheck');
    expect(reactionsOf(id)).toEqual(['eyes', 'rocket']);
    const found = runs();
    expect(found.map((run) => [run.name, run.status, run.conclusion])).toEqual([
      [CHECK_NAME, 'completed', 'failure'],
    ]);
    expect(calls('GET', FILES)).toHaveLength(1);
    expect(replies()).toEqual([]);
  });

  it('explain replies with the rule documentation', async () => {
    const id = await comment('maintainer', `/s3-guard explain ${RULE}`);
    expect(reactionsOf(id)).toEqual(['eyes', 'rocket']);
    expect(replies()).toEqual([await explainReply(RULE, { docsBaseUri })]);
    expect(runs()).toEqual([]);
  });

  it('help replies with the command list', async () => {
    const id = await comment(AUTHOR, '/s3-guard help');
    expect(reactionsOf(id)).toEqual(['eyes', 'rocket']);
    expect(replies()).toEqual([helpReply()]);
  });

  it('ignore by a user with write access, then unignore: two re-evaluations', async () => {
    const ignore = await comment(
      'maintainer',
      `/s3-guard ignore ${RULE} ${RESOURCE} -- the VPC has no other buckets`,
    );
    expect(reactionsOf(ignore)).toEqual(['eyes', 'rocket']);
    let found = runs();
    expect(found.map((run) => run.conclusion)).toEqual(['success']);
    const accepted =
      '- An S3 endpoint policy lets data reach any bucket, in any account: `S3Endpoint`';
    const who = '(PR command, by maintainer): the VPC has no other buckets';
    expect(found[0]?.output.summary).toContain('| warning | 0 | 0 | 0 | 1 |');
    expect(found[0]?.output.summary).toContain(
      `### Accepted\n\n${accepted} at [\`${TEMPLATE}:15\`](https://github.com/${OWNER}/${REPO}/blob/${world.head}/${TEMPLATE}#L15) ${who}\n`,
    );
    expect(summary()).toContain('- **warning**: 0 new, 0 existing, 0 fixed, 1 accepted');
    expect(summary()).toContain(`**Accepted**\n\n${accepted} ${who}\n`);

    const unignore = await comment('maintainer', `/s3-guard unignore ${RULE} ${RESOURCE}`);
    expect(reactionsOf(unignore)).toEqual(['eyes', 'rocket']);
    found = runs();
    expect(found.map((run) => run.conclusion)).toEqual(['success', 'failure']);
    expect(found[1]?.output.summary).toContain('| warning | 1 | 0 | 0 | 0 |');
    expect(found[1]?.output.summary).not.toContain('### Accepted');
    expect(summary()).toContain('- **warning**: 1 new, 0 existing, 0 fixed, 0 accepted');
    expect(summary()).not.toContain(who);
    expect(calls('GET', FILES)).toHaveLength(2);
  });
  it('ignore with commands.ignore.allow: a listed team member may, a writer may not', async () => {
    const { fake } = world;
    fake.commit(OWNER, REPO, {
      files: {
        '.github/s3-endpoint-guard.yml': `${CONFIG}commands:\n  ignore:\n    allow: [acme/security]\n`,
      },
    });
    fake.addTeam('acme', 'security', ['sec-lead']);
    const line = `/s3-guard ignore ${RULE} ${RESOURCE} -- accepted by security`;
    const refused = await comment('maintainer', line);
    expect(reactionsOf(refused)).toEqual(['eyes', 'confused']);
    expect(replies()).toEqual([
      refusalReply(
        line,
        'Only the users and teams listed in commands.ignore.allow may ignore findings.',
      ),
    ]);
    expect(runs()).toEqual([]);
    const allowed = await comment('sec-lead', line);
    expect(reactionsOf(allowed)).toEqual(['eyes', 'rocket']);
    expect(runs().map((run) => run.conclusion)).toEqual(['success']);
    expect(runs()[0]?.output.summary).toContain('(PR command, by sec-lead): accepted by security');
  });
});

describe('/s3-guard refusals', () => {
  it("a read-only user's ignore: 😕, a reply, no check run, no evaluation", async () => {
    const line = `/s3-guard ignore ${RULE} ${RESOURCE} -- fine`;
    const id = await comment('reader', line);
    expect(reactionsOf(id)).toEqual(['eyes', 'confused']);
    expect(replies()).toEqual([
      refusalReply(line, 'Only users with write access may ignore findings on this repository.'),
    ]);
    expect(runs()).toEqual([]);
    expect(calls('GET', FILES)).toEqual([]);
    expect(calls('POST', CHECK_RUNS_CREATED)).toEqual([]);
  });

  it('recheck by someone who is neither the author nor a writer: refused', async () => {
    const id = await comment('reader', '/s3-guard recheck');
    expect(reactionsOf(id)).toEqual(['eyes', 'confused']);
    expect(replies()).toEqual([
      refusalReply(
        '/s3-guard recheck',
        "Only the pull request's author and users with write access may recheck.",
      ),
    ]);
    expect(calls('POST', CHECK_RUNS_CREATED)).toEqual([]);
  });

  it('comments by bots, on plain issues, edited and deleted: no request at all', async () => {
    const before = world.fake.calls.length;
    await comment('other-app[bot]', '/s3-guard recheck', { type: 'Bot' });
    const id = world.fake.addIssueComment(OWNER, REPO, world.number, AUTHOR, 'LGTM');
    world.fake.editIssueComment(OWNER, REPO, id, '/s3-guard recheck\n/s3-guard help');
    await receive(world.fake.issueCommentPayload(OWNER, REPO, world.number, id, 'edited'));
    world.fake.deleteIssueComment(OWNER, REPO, id);
    await receive(world.fake.issueCommentPayload(OWNER, REPO, world.number, id, 'deleted'));
    const issue = world.fake.openIssue(OWNER, REPO, { author: AUTHOR });
    const onIssue = world.fake.addIssueComment(OWNER, REPO, issue, AUTHOR, '/s3-guard recheck');
    await receive(world.fake.issueCommentOnIssuePayload(OWNER, REPO, issue, onIssue));
    await world.guard.idle();
    expect(world.fake.calls.slice(before)).toEqual([]);
    expect(world.fake.reactions(OWNER, REPO, onIssue)).toEqual([]);
  });

  it('an unknown command: 😕 and the help', async () => {
    const id = await comment(AUTHOR, '/s3-guard frobnicate');
    expect(reactionsOf(id)).toEqual(['eyes', 'confused']);
    const [invalid] = parseCommands('/s3-guard frobnicate') as Extract<
      Command,
      { kind: 'invalid' }
    >[];
    expect(invalid?.kind).toBe('invalid');
    expect(replies()).toEqual([invalidReply(invalid!)]);
    expect(replies()[0]).toContain(helpText());
  });

  it('an unknown rule: did you mean …?', async () => {
    const id = await comment(
      'maintainer',
      `/s3-guard ignore endpoint-policy-full-acess ${RESOURCE} -- x`,
    );
    expect(reactionsOf(id)).toEqual(['eyes', 'confused']);
    expect(replies()).toEqual([unknownRuleReply('endpoint-policy-full-acess', KNOWN_RULE_IDS)]);
    expect(replies()[0]).toContain(`\`${RULE}\``);
    expect(runs()).toEqual([]);
  });

  it('a closed pull request: recheck refused', async () => {
    world.closed = true;
    const id = await comment(AUTHOR, '/s3-guard recheck');
    expect(reactionsOf(id)).toEqual(['eyes', 'confused']);
    expect(replies()).toEqual([refusalReply('/s3-guard recheck', 'The pull request is closed.')]);
    expect(runs()).toEqual([]);
  });

  it('an invalid configuration refuses ignore with its problem', async () => {
    world.fake.commit(OWNER, REPO, {
      files: { '.github/s3-endpoint-guard.yml': 'failOn: sometimes\n' },
    });
    const line = `/s3-guard ignore ${RULE} ${RESOURCE} -- fine`;
    const id = await comment('maintainer', line);
    expect(reactionsOf(id)).toEqual(['eyes', 'confused']);
    expect(replies()).toEqual([
      refusalReply(
        line,
        "The repository's configuration is invalid: acme/infra:.github/s3-endpoint-guard.yml:1: " +
          'failOn: must be one of error, warning, notice, never (got "sometimes")',
      ),
    ]);
    expect(runs()).toEqual([]);
  });

  it('GitHub failing the permission check: 😕, "try again", nothing else', async () => {
    world.fake.failNext({ method: 'GET', path: /\/collaborators\/[^/]+\/permission$/ }, 502, 5);
    const id = await comment('maintainer', '/s3-guard help\n/s3-guard recheck');
    expect(reactionsOf(id)).toEqual(['eyes', 'confused']);
    expect(replies()).toEqual([
      refusalReply('/s3-guard help', 'Could not check permissions, try again.'),
    ]);
    expect(runs()).toEqual([]);
    expect(calls('GET', FILES)).toEqual([]);
  });
});

describe('several commands in one comment', () => {
  it('one reply (parts joined by rules), one evaluation, 😕 when one was refused', async () => {
    const id = await comment(
      'maintainer',
      [
        '/s3-guard help',
        `/s3-guard explain ${RULE}`,
        '/s3-guard recheck',
        '/s3-guard recheck',
        '/s3-guard explain no-such-rule',
      ].join('\n'),
    );
    expect(reactionsOf(id)).toEqual(['eyes', 'confused']);
    expect(replies()).toEqual([
      joinReplies([
        helpReply(),
        (await explainReply(RULE, { docsBaseUri }))!,
        unknownRuleReply('no-such-rule', KNOWN_RULE_IDS),
      ]),
    ]);
    expect(replies()[0]!.split(REPLY_MARKER)).toHaveLength(2);
    expect(runs().map((run) => run.conclusion)).toEqual(['failure']);
    expect(calls('GET', FILES)).toHaveLength(1);
  });
});

describe('a storm of commands', () => {
  it('50 rechecks at once: at most 2 evaluations and check runs, every comment answered', async () => {
    const { fake, number } = world;
    const ids = Array.from({ length: 50 }, () =>
      fake.addIssueComment(OWNER, REPO, number, AUTHOR, '/s3-guard recheck'),
    );
    // The first evaluation is held at its file list until every comment was answered (🚀),
    // so it is still running however slow the machine: the storm cannot outlast it.
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    const handle = fake.handle.bind(fake);
    fake.handle = async (request) => {
      if (request.method === 'GET' && FILES.test(request.url.split('?')[0] ?? '')) await opened;
      return handle(request);
    };
    await Promise.all(
      ids.map(async (id) => receive(fake.issueCommentPayload(OWNER, REPO, number, id))),
    );
    for (let wait = 0; wait < 2_000; wait++) {
      if (ids.every((id) => reactionsOf(id).includes('rocket'))) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    open();
    await world.guard.idle();
    // The held evaluation, and at most one more that every later comment joined.
    expect(calls('GET', FILES).length).toBeLessThanOrEqual(2);
    expect(runs().length).toBeLessThanOrEqual(2);
    expect(runs().every((run) => run.status === 'completed')).toBe(true);
    for (const id of ids) expect(reactionsOf(id)).toEqual(['eyes', 'rocket']);
    expect(world.maxConcurrentWrites).toBe(1);
  });
});
