/**
 * `npm run demo` end to end, in-process: the stand-in GitHub and the real app on 127.0.0.1, a
 * signed webhook over HTTP, the reports written to a temporary folder. Nothing leaves the machine.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IGNORE_REASON, MAINTAINER } from '../../scripts/demo/commands.js';
import { main } from '../../scripts/demo/demo.js';
import type { DemoReport } from '../../scripts/demo/report.js';
import { runDemo } from '../../scripts/demo/run-demo.js';

const NEW_RULES = [
  'sourceip-deny-blocks-endpoint',
  'endpoint-policy-full-access',
  'endpoint-hardcoded-region',
];
/** Kept by the pull request: reported, not blocking. */
const EXISTING_RULE = 'object-action-on-bucket-arn';

describe('npm run demo', async () => {
  const out = await mkdtemp(path.join(tmpdir(), 's3-endpoint-guard-demo-'));
  afterAll(() => rm(out, { recursive: true, force: true }));
  const written: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  let code: number;
  try {
    code = await main(['--out', out, '--json']);
  } finally {
    process.stdout.write = write;
  }
  const printed = JSON.parse(written.join('')) as { completed: boolean; report: DemoReport };
  const markdown = await readFile(path.join(out, 'report.md'), 'utf8');
  const html = await readFile(path.join(out, 'report.html'), 'utf8');

  it('the app completes a failing check run, and the demo exits 0', () => {
    expect(code).toBe(0);
    expect(printed.completed).toBe(true);
    expect(printed.report.checkRun?.conclusion).toBe('failure');
    expect(printed.report.violations).toEqual([]);
  });

  it('annotates every finding of the head and comments inline on the new ones', () => {
    const annotations = printed.report.checkRun?.annotations ?? [];
    expect(annotations.map((a) => `${a.level} ${a.path}:${a.startLine}`).sort()).toEqual([
      'failure network/vpc.yaml:55',
      'notice network/vpc.yaml:26',
      'warning network/vpc.yaml:26',
      'warning storage/main.tf:23',
    ]);
    expect(printed.report.reviewComments).toHaveLength(NEW_RULES.length);
    expect(printed.report.reviewComments.every((c) => c.path === 'network/vpc.yaml')).toBe(true);
    expect(printed.report.reviewComments.some((c) => c.body.includes('```suggestion'))).toBe(true);
    expect(printed.report.summaryComment?.body).toBeTruthy();
  });

  it('writes the Markdown and HTML reports with the conclusion and the rule ids', () => {
    for (const text of [markdown, html]) {
      expect(text).toContain('failure');
      for (const rule of [...NEW_RULES, EXISTING_RULE]) expect(text).toContain(rule);
    }
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|src=/i);
  });

  // The commands replayed after the first evaluation (the same run).
  const { report } = printed;
  const commands = report.commands;
  const [ignore, recheck] = commands?.steps ?? [];
  const bot = 's3-endpoint-guard[bot]';

  it('replays both commands, each acknowledged 👀 then 🚀 by the app, each with its own check run', () => {
    expect(commands?.skipped).toBe(undefined);
    expect(commands?.steps.map((step) => [step.comment.author, step.delivery.status])).toEqual([
      [MAINTAINER.login, 200],
      ['dana-devops', 200],
    ]);
    for (const step of [ignore, recheck]) {
      expect(step?.reactions).toEqual([
        { content: 'eyes', user: bot },
        { content: 'rocket', user: bot },
      ]);
      expect(step?.replies).toEqual([]);
      expect(step?.checkRunsCreated).toBe(1);
      expect(step?.checkRun?.status).toBe('completed');
    }
    const [first = 0, second = 0, third = 0] = [
      report.checkRun,
      ignore?.checkRun,
      recheck?.checkRun,
    ].map((run) => run?.id);
    expect(first).toBeLessThan(second);
    expect(second).toBeLessThan(third);
    expect(report.violations).toEqual([]);
  });

  it('the maintainer accepts the new error of the first check run, with the reason', () => {
    expect(ignore?.comment.body).toContain(
      `/s3-guard ignore sourceip-deny-blocks-endpoint ReportsBucketPolicy -- ${IGNORE_REASON}`,
    );
    expect(ignore?.checkRun?.conclusion).toBe('success');
    expect(ignore?.checkRun?.counts).toEqual({ new: 2, existing: 1, fixed: 1, accepted: 1 });
    expect(ignore?.checkRun?.accepted).toContain('`ReportsBucketPolicy`');
    expect(ignore?.checkRun?.accepted).toContain('(PR command, by maria-maintainer)');
  });

  it('the recheck re-evaluates to the same result, the acceptance re-read from the comments', () => {
    expect(recheck?.comment.body).toContain('/s3-guard recheck');
    expect(recheck?.checkRun?.conclusion).toBe(ignore?.checkRun?.conclusion);
    expect(recheck?.checkRun?.title).toBe(ignore?.checkRun?.title);
    expect(recheck?.checkRun?.counts).toEqual(ignore?.checkRun?.counts);
    expect(recheck?.checkRun?.accepted).toBe(ignore?.checkRun?.accepted);
    expect(commands?.summaryComment?.body).toContain('1 accepted');
  });

  it('leaves the first evaluation as it was', () => {
    expect(report.checkRun?.conclusion).toBe('failure');
    expect(report.summaryComment?.body).toContain('0 accepted');
    expect(report.calls.total).toBeLessThan(commands?.totalCalls.total ?? 0);
  });

  it('shows the commands in the Markdown and HTML reports', () => {
    for (const text of [markdown, html]) {
      expect(text).toContain('Commands');
      expect(text).toContain('/s3-guard recheck');
      expect(text).toContain('🚀 rocket');
    }
  });
});

describe('runDemo', () => {
  it('reports an app that never completes its check run as not completed', async () => {
    const { report, completed } = await runDemo({ app: () => undefined, timeoutMs: 300 });
    expect(completed).toBe(false);
    expect(report.checkRun).toBeUndefined();
    expect(report.delivery.status).toBe(200);
  });
});
