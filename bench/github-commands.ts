/**
 * `npm run bench:commands`: what answering a `/s3-guard` comment costs in GitHub API calls, and
 * what a storm of them costs. The real app (Probot, HTTP, signed webhooks) runs against the
 * in-memory GitHub of the tests on 127.0.0.1, on a pull request with one blocking finding.
 *
 * 1. One comment per command, each after the app went idle: calls by kind (the evaluation a
 *    `recheck`/`ignore` starts included), wall time.
 * 2. Storms: N `/s3-guard recheck` comments by the author delivered at once, for N = 1, 10, 50:
 *    evaluations run (file-list reads), check runs created, writes, the slowest webhook answer,
 *    and whether the installation's writes ever overlapped.
 *
 * Figures only, no assertions (the limits are asserted in test/app/commands.test.ts). Octokit's
 * write throttling (1 s between writes in production) is off, so times are the app's own.
 */
import { createGuardApp } from '../src/app/index.js';
import { FakeGitHub, serveGitHub } from '../test/fake-github/index.js';
import type { RecordedCall } from '../test/fake-github/index.js';
import { reportsBehindEndpoint } from '../test/github/templates.js';
import { startApp } from '../scripts/demo/app-server.js';
import { countCalls } from '../scripts/demo/calls.js';
import { deliverWebhook } from '../scripts/demo/webhook.js';

const OWNER = 'bench';
const REPO = 'infra';
const APP_ID = 777;
const AUTHOR = 'pr-author';
const WRITER = 'maintainer';
const READER = 'reader';
const STORMS = [1, 10, 50];
const FILE = 'cfn/network.yaml';

interface World {
  readonly fake: FakeGitHub;
  readonly number: number;
  deliver(commentId: number): Promise<{ status: number; ms: number }>;
  idle(): Promise<void>;
  close(): Promise<void>;
}

async function world(): Promise<World> {
  const fake = new FakeGitHub({ appId: APP_ID });
  fake.createRepo(OWNER, REPO);
  const base = fake.commit(OWNER, REPO, { files: { [FILE]: reportsBehindEndpoint(false) } });
  const head = fake.commit(OWNER, REPO, {
    parent: base,
    branch: 'office-only',
    files: { [FILE]: reportsBehindEndpoint(true) },
  });
  const number = fake.openPullRequest(OWNER, REPO, {
    base: 'main',
    headSha: head,
    headRef: 'office-only',
    author: AUTHOR,
  });
  fake.setPermission(OWNER, REPO, WRITER, 'maintain');
  fake.setPermission(OWNER, REPO, READER, 'read');
  const github = await serveGitHub(fake);
  const guard = createGuardApp({ botLogin: fake.botLogin });
  const app = await startApp(guard.app, { appId: APP_ID, baseUrl: github.url, logLevel: 'fatal' });
  await deliverWebhook(
    app.webhookUrl,
    app.secret,
    'pull_request',
    fake.pullRequestPayload(OWNER, REPO, number, 'opened'),
  );
  await guard.idle();
  return {
    fake,
    number,
    async deliver(commentId) {
      const started = Date.now();
      const delivery = await deliverWebhook(
        app.webhookUrl,
        app.secret,
        'issue_comment',
        fake.issueCommentPayload(OWNER, REPO, number, commentId),
      );
      return { status: delivery.status, ms: Date.now() - started };
    },
    idle: () => guard.idle(),
    async close() {
      await app.close();
      await github.close();
    },
  };
}

function since(fake: FakeGitHub, from: number): RecordedCall[] {
  return fake.calls.slice(from);
}

const isWrite = (call: RecordedCall): boolean =>
  call.method !== 'GET' && !call.path.endsWith('/access_tokens') && call.path !== '/graphql'
    ? true
    : call.graphqlOperation === 'mutation';

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

async function perCommand(): Promise<string> {
  const w = await world();
  const rule = 'sourceip-deny-blocks-endpoint';
  const cases: { label: string; user: string; body: string }[] = [
    { label: 'help (author)', user: AUTHOR, body: '/s3-guard help' },
    { label: `explain ${rule}`, user: AUTHOR, body: `/s3-guard explain ${rule}` },
    { label: 'recheck (author)', user: AUTHOR, body: '/s3-guard recheck' },
    {
      label: 'ignore (maintainer)',
      user: WRITER,
      body: `/s3-guard ignore ${rule} ReportsPolicy -- office traffic only`,
    },
    {
      label: 'unignore (maintainer)',
      user: WRITER,
      body: `/s3-guard unignore ${rule} ReportsPolicy`,
    },
    {
      label: 'ignore refused (read only)',
      user: READER,
      body: `/s3-guard ignore ${rule} ReportsPolicy -- please`,
    },
    { label: 'unknown command', user: AUTHOR, body: '/s3-guard frobnicate' },
  ];
  const rows: string[][] = [];
  try {
    for (const c of cases) {
      const from = w.fake.calls.length;
      const runsBefore = w.fake.checkRuns(OWNER, REPO).length;
      const id = w.fake.addIssueComment(OWNER, REPO, w.number, c.user, c.body);
      const started = Date.now();
      await w.deliver(id);
      await w.idle();
      const ms = Date.now() - started;
      const calls = since(w.fake, from);
      const counts = countCalls(calls);
      const runs = w.fake.checkRuns(OWNER, REPO).slice(runsBefore);
      const reactions = w.fake.reactions(OWNER, REPO, id).map((r) => r.content);
      rows.push([
        c.label,
        String(counts.total - counts.tokens),
        String(counts.restReads),
        String(counts.graphqlQueries),
        String(counts.writes),
        String(runs.length),
        runs.map((run) => run.conclusion ?? run.status).join(',') || '-',
        reactions.join('→'),
        `${ms} ms`,
      ]);
    }
  } finally {
    await w.close();
  }
  return table(
    [
      'command',
      'calls',
      'REST reads',
      'GraphQL',
      'writes',
      'check runs',
      'conclusion',
      'reactions',
      'time',
    ],
    rows,
  );
}

async function storm(size: number): Promise<string[]> {
  const w = await world();
  try {
    const from = w.fake.calls.length;
    const runsBefore = w.fake.checkRuns(OWNER, REPO).length;
    const ids = Array.from({ length: size }, () =>
      w.fake.addIssueComment(OWNER, REPO, w.number, AUTHOR, '/s3-guard recheck'),
    );
    const started = Date.now();
    const answers = await Promise.all(ids.map(async (id) => w.deliver(id)));
    await w.idle();
    const ms = Date.now() - started;
    const calls = since(w.fake, from);
    const evaluations = calls.filter(
      (call) => call.method === 'GET' && /\/pulls\/\d+\/files$/.test(call.path),
    ).length;
    const answered = ids.filter(
      (id) =>
        w.fake
          .reactions(OWNER, REPO, id)
          .map((r) => r.content)
          .join() === 'eyes,rocket',
    ).length;
    return [
      String(size),
      String(evaluations),
      String(w.fake.checkRuns(OWNER, REPO).length - runsBefore),
      String(calls.filter(isWrite).length),
      String(countCalls(calls).total),
      `${answered}/${size}`,
      `${Math.max(...answers.map((a) => a.ms))} ms`,
      answers.every((a) => a.status === 200) ? 'all 200' : 'not all 200',
      `${ms} ms`,
    ];
  } finally {
    await w.close();
  }
}

async function run(): Promise<void> {
  process.stdout.write(
    'Slash commands: the app over HTTP with signed webhooks, against the in-memory GitHub on ' +
      '127.0.0.1; a pull request with one blocking finding. Installation tokens not counted.\n\n',
  );
  process.stdout.write(`One comment at a time (the evaluation it starts included):\n\n`);
  process.stdout.write(`${await perCommand()}\n\n`);
  const rows: string[][] = [];
  for (const size of STORMS) rows.push(await storm(size));
  process.stdout.write(
    `Storms: N "/s3-guard recheck" comments by the author delivered at once:\n\n` +
      `${table(
        [
          'N',
          'evaluations',
          'check runs',
          'writes',
          'calls',
          '👀→🚀',
          'slowest answer',
          'webhooks',
          'until idle',
        ],
        rows,
      )}\n`,
  );
}

await run();
