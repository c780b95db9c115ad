/**
 * The demo's flow: a local stand-in for GitHub holding the sample repository and pull request,
 * the real Probot app served over HTTP and pointed at it, one signed `pull_request.opened`
 * webhook delivered over HTTP, then everything the app published, read back from the stand-in.
 * Then two conversation comments are replayed the same way (a comment in the stand-in plus a
 * signed `issue_comment.created` webhook): a maintainer accepts the blocking finding with
 * `/s3-guard ignore`, and the author asks for `/s3-guard recheck`.
 *
 * The stand-in is the same in-memory GitHub the end-to-end tests use (`test/fake-github/`),
 * served on 127.0.0.1; it validates every request against GitHub's OpenAPI description and
 * GraphQL schema, so the demo also shows that the app's requests are well-formed.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ApplicationFunction } from 'probot';
import { isSummaryBody } from '../../src/github/markers.js';
import { rules } from '../../src/rules/index.js';
import { FakeGitHub, serveGitHub } from '../../test/fake-github/index.js';
import type { RunningApp } from './app-server.js';
import { startApp } from './app-server.js';
import { countCalls } from './calls.js';
import {
  MAINTAINER,
  RECHECK_COMMENT,
  acceptedSection,
  blockingFinding,
  findingCounts,
  ignoreComment,
} from './commands.js';
import type { DemoCommandStep, DemoCommands, DemoReport } from './report.js';
import { commandsCompleted } from './report.js';
import { formatHtml, formatMarkdown } from './render-report.js';
import type { SamplePullRequest } from './sample.js';
import { headChanges, readSample } from './sample.js';
import { deliverWebhook } from './webhook.js';

const INSTALLATION_ID = 4242;
const APP_ID = 1234;

export interface DemoOptions {
  /** The app function to run (the real one, from `src/app/`). */
  readonly app: ApplicationFunction;
  /** Waits for the app's background work, when the app offers a way to. */
  readonly idle?: () => Promise<void>;
  readonly sample?: SamplePullRequest;
  /** The app must complete its check run within this time (default 60 s), and each command's. */
  readonly timeoutMs?: number;
  /** Replay the slash commands after the first evaluation (default true). */
  readonly commands?: boolean;
}

export interface DemoOutcome {
  readonly report: DemoReport;
  /** The app completed its check run in time, and one for each replayed command. */
  readonly completed: boolean;
}

export async function runDemo(options: DemoOptions): Promise<DemoOutcome> {
  const sample = options.sample ?? (await readSample());
  const { owner, repo } = sample.metadata;
  const fake = new FakeGitHub({ appId: APP_ID });
  fake.createRepo(owner, repo, {
    defaultBranch: sample.metadata.baseRef,
    installationId: INSTALLATION_ID,
  });
  const baseSha = fake.commit(owner, repo, {
    branch: sample.metadata.baseRef,
    files: Object.fromEntries(sample.base),
    message: 'Reporting service infrastructure',
  });
  const changes = headChanges(sample);
  const headSha = fake.commit(owner, repo, {
    parent: baseSha,
    branch: sample.metadata.headRef,
    files: changes,
    message: sample.metadata.title,
  });
  const number = fake.openPullRequest(owner, repo, {
    number: sample.metadata.number,
    base: sample.metadata.baseRef,
    headSha,
    headRef: sample.metadata.headRef,
    author: sample.metadata.author,
    title: sample.metadata.title,
  });
  const payload = fake.pullRequestPayload(owner, repo, number, 'opened');

  const github = await serveGitHub(fake);
  const app = await startApp(options.app, { appId: APP_ID, baseUrl: github.url });
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 60_000;
  try {
    const delivery = await deliverWebhook(app.webhookUrl, app.secret, 'pull_request', payload);
    const headRun = () => fake.checkRuns(owner, repo).find((run) => run.head_sha === headSha);
    let finished = await waitUntil(() => headRun()?.status === 'completed', started + timeoutMs);
    if (finished && options.idle) {
      finished = await withDeadline(options.idle(), started + timeoutMs);
    }
    // After the check run completes the app may still be posting (review, summary comment):
    // wait until the stand-in has seen no request for a moment.
    if (finished) await settle(() => fake.calls.length, started + timeoutMs);
    const elapsedMs = Date.now() - started;
    const firstCalls = fake.calls.length;

    const run = headRun();
    const threads = fake.reviewThreads(owner, repo, number);
    const report: DemoReport = {
      pullRequest: {
        repository: `${owner}/${repo}`,
        number,
        title: sample.metadata.title,
        author: sample.metadata.author,
        baseRef: sample.metadata.baseRef,
        headRef: sample.metadata.headRef,
        baseSha,
        headSha,
        changedFiles: Object.keys(changes).sort(),
      },
      delivery: {
        id: delivery.id,
        event: 'pull_request',
        action: 'opened',
        status: delivery.status,
      },
      ...(run
        ? {
            checkRun: {
              id: run.id,
              name: run.name,
              status: run.status,
              conclusion: run.conclusion ?? null,
              title: run.output.title ?? '',
              summary: run.output.summary ?? '',
              ...(run.output.text ? { text: run.output.text } : {}),
              annotations: run.annotations.map((a) => ({
                path: a.path,
                startLine: a.start_line,
                endLine: a.end_line,
                level: a.annotation_level,
                title: a.title ?? '',
                message: a.message,
              })),
              updates: run.updates,
            },
          }
        : {}),
      reviews: fake
        .reviews(owner, repo, number)
        .filter((review) => review.user === fake.botLogin)
        .map((review) => ({ body: review.body, comments: review.commentIds.length })),
      reviewComments: threads.flatMap((thread) => {
        const first = thread.comments[0];
        if (!first || first.user !== fake.botLogin) return [];
        return [
          {
            path: first.path,
            line: first.line,
            ...(first.startLine !== undefined ? { startLine: first.startLine } : {}),
            side: first.side,
            body: first.body,
            resolved: thread.isResolved,
            code: commentedLines(
              first.side === 'LEFT' ? sample.base : sample.head,
              first.path,
              first.startLine ?? first.line,
              first.line,
            ),
          },
        ];
      }),
      ...summaryComment(fake, owner, repo, number),
      calls: countCalls(fake.calls.slice(0, firstCalls)),
      violations: [],
      elapsedMs,
    };
    const firstCompleted = finished && run?.status === 'completed';
    // Commands act on a finished evaluation; without one there is nothing to show.
    const commands =
      firstCompleted && run && options.commands !== false
        ? await replayCommands({
            fake,
            app,
            sample,
            number,
            firstSummary: run.output.summary ?? '',
            timeoutMs,
            idle: options.idle,
            started,
          })
        : undefined;
    return {
      report: {
        ...report,
        ...(commands ? { commands } : {}),
        violations: [...fake.violations],
      },
      completed: firstCompleted && (options.commands === false || commandsCompleted(commands)),
    };
  } finally {
    await app.close();
    await github.close();
  }
}

interface ReplayContext {
  readonly fake: FakeGitHub;
  readonly app: RunningApp;
  readonly sample: SamplePullRequest;
  readonly number: number;
  /** The first check run's summary: the blocking finding to accept is read from it. */
  readonly firstSummary: string;
  readonly timeoutMs: number;
  readonly idle: (() => Promise<void>) | undefined;
  /** When the demo started (for the total time). */
  readonly started: number;
}

/** The two commands, one after the other, each waited for. */
async function replayCommands(context: ReplayContext): Promise<DemoCommands> {
  const { fake, sample, number } = context;
  const { owner, repo, author } = sample.metadata;
  const steps: DemoCommandStep[] = [];
  let skipped: string | undefined;
  const finding = blockingFinding(
    context.firstSummary,
    rules.map((rule) => ({ id: rule.id, title: rule.title })),
  );
  if (finding) {
    fake.setPermission(owner, repo, MAINTAINER.login, MAINTAINER.permission);
    steps.push(
      await replayComment(context, {
        purpose: 'A maintainer accepts the blocking finding, with a reason',
        login: MAINTAINER.login,
        permission: MAINTAINER.permission,
        body: ignoreComment(finding),
      }),
    );
  } else skipped = 'the first check run lists no new error to accept with `/s3-guard ignore`.';
  // The author pushed the branch to this repository, so has write access there.
  fake.setPermission(owner, repo, author, 'write');
  steps.push(
    await replayComment(context, {
      purpose: 'The pull request author asks for a re-evaluation',
      login: author,
      permission: 'write',
      body: RECHECK_COMMENT,
    }),
  );
  const summary = fake
    .issueComments(owner, repo, number)
    .find((comment) => comment.user === fake.botLogin && isSummaryBody(comment.body));
  return {
    steps,
    ...(skipped === undefined ? {} : { skipped }),
    ...(summary ? { summaryComment: { body: summary.body } } : {}),
    totalCalls: countCalls(fake.calls),
    totalElapsedMs: Date.now() - context.started,
  };
}

/** Reactions that end the app's handling of a command: done, or refused. */
const FINAL_REACTIONS = new Set(['rocket', 'confused']);

/**
 * One conversation comment: written in the stand-in as its author, announced by a signed
 * `issue_comment.created` webhook, then waited for (a final reaction, every check run it
 * started completed, the app idle, the stand-in quiet) and read back.
 */
async function replayComment(
  context: ReplayContext,
  step: { purpose: string; login: string; permission: string; body: string },
): Promise<DemoCommandStep> {
  const { fake, app, number } = context;
  const { owner, repo } = context.sample.metadata;
  const started = Date.now();
  const deadline = started + context.timeoutMs;
  const runsBefore = fake.checkRuns(owner, repo).length;
  const callsBefore = fake.calls.length;
  const ours = () =>
    fake.issueComments(owner, repo, number).filter((comment) => comment.user === fake.botLogin);
  const oursBefore = new Set(ours().map((comment) => comment.id));

  const id = fake.addIssueComment(owner, repo, number, step.login, step.body, { type: 'User' });
  const delivery = await deliverWebhook(
    app.webhookUrl,
    app.secret,
    'issue_comment',
    fake.issueCommentPayload(owner, repo, number, id, 'created'),
  );
  const newRuns = () => fake.checkRuns(owner, repo).slice(runsBefore);
  let finished = await waitUntil(
    () =>
      fake.reactions(owner, repo, id).some((r) => FINAL_REACTIONS.has(r.content)) &&
      newRuns().every((run) => run.status === 'completed'),
    deadline,
  );
  if (finished && context.idle) finished = await withDeadline(context.idle(), deadline);
  if (finished) await settle(() => fake.calls.length, deadline);
  const elapsedMs = Date.now() - started;

  const runs = newRuns();
  const run = runs.at(-1);
  const summary = run?.output.summary ?? '';
  const counts = run ? findingCounts(summary) : undefined;
  const accepted = run ? acceptedSection(summary) : undefined;
  return {
    purpose: step.purpose,
    comment: { id, author: step.login, permission: step.permission, body: step.body },
    delivery: {
      id: delivery.id,
      event: 'issue_comment',
      action: 'created',
      status: delivery.status,
    },
    reactions: fake.reactions(owner, repo, id).map((r) => ({ content: r.content, user: r.user })),
    replies: ours()
      .filter((comment) => !oursBefore.has(comment.id) && !isSummaryBody(comment.body))
      .map((comment) => ({ body: comment.body })),
    checkRunsCreated: runs.length,
    ...(run
      ? {
          checkRun: {
            id: run.id,
            name: run.name,
            status: run.status,
            conclusion: run.conclusion ?? null,
            title: run.output.title ?? '',
            ...(counts ? { counts } : {}),
            annotations: run.annotations.length,
            ...(accepted ? { accepted } : {}),
          },
        }
      : {}),
    calls: countCalls(fake.calls.slice(callsBefore)),
    elapsedMs,
    finished,
  };
}

/** Lines `from`..`to` of a file of the sample (at most 12, the last ones). */
function commentedLines(
  files: ReadonlyMap<string, string>,
  file: string,
  from: number,
  to: number,
): { line: number; text: string }[] {
  const lines = (files.get(file) ?? '').split('\n');
  const out: { line: number; text: string }[] = [];
  for (let line = Math.max(from, to - 11, 1); line <= to && line <= lines.length; line++) {
    out.push({ line, text: lines[line - 1] ?? '' });
  }
  return out;
}

function summaryComment(
  fake: FakeGitHub,
  owner: string,
  repo: string,
  number: number,
): { summaryComment?: { body: string } } {
  const ours = fake
    .issueComments(owner, repo, number)
    .filter((comment) => comment.user === fake.botLogin);
  const last = ours.at(-1);
  return last ? { summaryComment: { body: last.body } } : {};
}

/** Writes report.md and report.html into `dir`; returns their paths. */
export async function writeReports(report: DemoReport, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const markdown = path.join(dir, 'report.md');
  const html = path.join(dir, 'report.html');
  await writeFile(markdown, formatMarkdown(report));
  await writeFile(html, formatHtml(report));
  return [markdown, html];
}

async function waitUntil(done: () => boolean, deadline: number): Promise<boolean> {
  while (!done()) {
    if (Date.now() >= deadline) return false;
    await sleep(25);
  }
  return true;
}

async function withDeadline(work: Promise<void>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([work.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves once `count()` has not changed for 300 ms (or at the deadline). */
async function settle(count: () => number, deadline: number): Promise<void> {
  let last = count();
  let stableSince = Date.now();
  while (Date.now() < deadline && Date.now() - stableSince < 300) {
    await sleep(25);
    const now = count();
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
