/**
 * The GitHub App end to end: the real Probot app and the real GitHub layer (fetch, engine,
 * render, publish) against the fake GitHub, driven by GitHub's example webhook payloads. Every
 * request is validated against GitHub's OpenAPI description and GraphQL schema; each test ends
 * by asserting that the fake saw no request GitHub would reject.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatConfigProblem, parseConfig } from '../../src/config/parse.js';
import { rules } from '../../src/rules/index.js';
import { FakeGitHub, blobSha, interceptGitHub, type RecordedCall } from '../fake-github/index.js';
import { startProbot, type ProbotHarness } from '../fake-github/probot.js';
import { CHECK_NAME } from '../../src/github/types.js';
import guardApp, { idle } from '../../src/app/index.js';

const OWNER = 'acme';
const REPO = 'infra';
const TEMPLATE = 'cfn/storage.yml';

// ─── templates: a VPC with an S3 gateway endpoint and a bucket ───

const NETWORK = `AWSTemplateFormatVersion: '2010-09-09'
Description: Storage for the reports service.
Resources:
  AppVpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.20.0.0/16
  PrivateRouteTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref AppVpc
  S3Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref AppVpc
      ServiceName: !Sub com.amazonaws.\${AWS::Region}.s3
      VpcEndpointType: Gateway
      RouteTableIds:
        - !Ref PrivateRouteTable
  ReportsBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub reports-\${AWS::AccountId}
`;

/** Base: one existing warning (the endpoint has no policy, line 16). */
const BASE = NETWORK;

/** Head 1: an office-only Deny: a new error (line 40) and a new warning (line 31). */
const OFFICE_ONLY = `${NETWORK}  ReportsBucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref ReportsBucket
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Sid: OfficeOnly
            Effect: Deny
            Principal: '*'
            Action: s3:*
            Resource:
              - !GetAtt ReportsBucket.Arn
              - !Sub '\${ReportsBucket.Arn}/*'
            Condition:
              NotIpAddress:
                aws:SourceIp: 203.0.113.0/24
`;

/** Head 2: the error fixed (endpoint exempted), a new notice (hard-coded Region, line 16). */
const FIXED_ONE_NEW_ONE = `${OFFICE_ONLY.replace(
  'ServiceName: !Sub com.amazonaws.${AWS::Region}.s3',
  'ServiceName: com.amazonaws.eu-west-1.s3',
)}              StringNotEqualsIfExists:
                aws:SourceVpce: !Ref S3Endpoint
`;

/** No findings: the endpoint allows only the bucket. */
const CLEAN = NETWORK.replace(
  `      RouteTableIds:
        - !Ref PrivateRouteTable
`,
  `      RouteTableIds:
        - !Ref PrivateRouteTable
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Sid: OwnBucketsOnly
            Effect: Allow
            Principal: '*'
            Action:
              - s3:GetObject
              - s3:PutObject
              - s3:ListBucket
            Resource:
              - !GetAtt ReportsBucket.Arn
              - !Sub '\${ReportsBucket.Arn}/*'
`,
);

/** `count` buckets each with an office-only Deny: 2 findings each. */
function manyBuckets(count: number): string {
  const parts = [CLEAN];
  for (let index = 0; index < count; index++) {
    parts.push(`  Bucket${index}:
    Type: AWS::S3::Bucket
  Bucket${index}Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket${index}
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Sid: OfficeOnly
            Effect: Deny
            Principal: '*'
            Action: s3:*
            Resource:
              - !GetAtt Bucket${index}.Arn
              - !Sub '\${Bucket${index}.Arn}/*'
            Condition:
              NotIpAddress:
                aws:SourceIp: 203.0.113.0/24
`);
  }
  return parts.join('');
}

// ─── harness ───

interface World {
  fake: FakeGitHub;
  harness: ProbotHarness;
  interception: ReturnType<typeof interceptGitHub>;
}

let world: World;

beforeEach(async () => {
  const fake = new FakeGitHub({ appId: 4242 });
  fake.createRepo(OWNER, REPO);
  const interception = interceptGitHub(fake);
  // The app as `probot run` loads it: src/app/index.ts's default export, the real GitHub layer.
  const harness = await startProbot(fake, guardApp);
  world = { fake, harness, interception };
});

afterEach(() => {
  world.interception.restore();
});

/** Base commit on main, a head commit on a branch, a pull request between them. */
function openPullRequest(
  baseFiles: Record<string, string | Buffer | null>,
  headFiles: Record<string, string | Buffer | null>,
  options: {
    omitPatchFor?: string[];
    fork?: { owner: string; repo: string };
    author?: string;
  } = {},
): { base: string; head: string; number: number } {
  const { fake } = world;
  const base = fake.commit(OWNER, REPO, { files: baseFiles, message: 'base' });
  const head = fake.commit(OWNER, REPO, {
    parent: base,
    branch: 'change',
    files: headFiles,
    message: 'change',
  });
  const number = fake.openPullRequest(OWNER, REPO, {
    base: 'main',
    headSha: head,
    headRef: 'change',
    ...options,
  });
  return { base, head, number };
}

async function deliver(
  number: number,
  action: 'opened' | 'synchronize' | 'reopened' | 'ready_for_review' | 'edited',
  extra: object = {},
): Promise<void> {
  await world.harness.receivePullRequest(
    world.fake.pullRequestPayload(OWNER, REPO, number, action, extra),
  );
  await idle();
}

function checkRunsFor(headSha: string) {
  return world.fake.checkRuns(OWNER, REPO).filter((run) => run.head_sha === headSha);
}

/** The one check run of a head, completed. */
function completedRun(headSha: string) {
  const runs = checkRunsFor(headSha);
  expect(runs).toHaveLength(1);
  const [run] = runs;
  expect(run?.name).toBe(CHECK_NAME);
  expect(run?.status).toBe('completed');
  return run!;
}

function writes(calls: readonly RecordedCall[]): string[] {
  return calls
    .filter((call) => call.method !== 'GET' && call.graphqlOperation !== 'query')
    .map((call) => call.operationId ?? call.fields?.join(',') ?? call.path);
}

function expectNoViolations(): void {
  expect(world.fake.violations).toEqual([]);
  expect(world.interception.refused).toEqual([]);
}

/** Markdown with code spans and fenced blocks removed: what GitHub renders as live text. */
function liveText(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, '')
    .replace(/(`+)[\s\S]*?\1/g, '')
    .replace(/<!-- s3-endpoint-guard:[^>]*-->/g, '');
}

// ─── scenarios ───

describe('the app on a pull request', () => {
  it('with findings: fails the check, annotates, reviews new findings, writes one summary', async () => {
    const { fake } = world;
    const { head, number } = openPullRequest(
      { [TEMPLATE]: BASE, 'README.md': '# infra\n' },
      { [TEMPLATE]: OFFICE_ONLY },
    );
    await deliver(number, 'opened');

    const run = completedRun(head);
    expect(run.conclusion).toBe('failure');
    expect(run.history[0]).toEqual({ status: 'in_progress', conclusion: null });
    expect(run.annotations.map((a) => [a.path, a.start_line, a.annotation_level])).toEqual(
      expect.arrayContaining([
        [TEMPLATE, 40, 'failure'],
        [TEMPLATE, 31, 'warning'],
        [TEMPLATE, 16, 'warning'],
      ]),
    );
    expect(run.annotations).toHaveLength(3);
    expect(run.output.summary).toContain('sourceip-deny-blocks-endpoint');

    const [review, ...moreReviews] = fake.reviews(OWNER, REPO, number);
    expect(moreReviews).toEqual([]);
    expect(review).toMatchObject({ state: 'COMMENTED', commit_id: head, user: fake.botLogin });
    const threads = fake.reviewThreads(OWNER, REPO, number);
    // The two new findings, not the existing one.
    expect(threads).toHaveLength(2);
    expect(threads.map((t) => t.comments[0]?.body).join('\n')).toContain(
      'sourceip-deny-blocks-endpoint',
    );
    for (const thread of threads) {
      expect(thread.comments[0]?.body).toMatch(/<!-- s3-endpoint-guard:finding [0-9a-f]+ -->/);
      expect(thread.side).toBe('RIGHT');
    }

    const comments = fake.issueComments(OWNER, REPO, number);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.user).toBe(fake.botLogin);
    expect(comments[0]?.body).toContain('<!-- s3-endpoint-guard:summary -->');
    expectNoViolations();
  });

  it('on a second push with one finding fixed and one new: one new comment, one thread resolved', async () => {
    const { fake } = world;
    const { head, number } = openPullRequest({ [TEMPLATE]: BASE }, { [TEMPLATE]: OFFICE_ONLY });
    await deliver(number, 'opened');
    const before = fake.reviewThreads(OWNER, REPO, number).map((t) => ({ ...t }));
    expect(before).toHaveLength(2);

    const second = fake.commit(OWNER, REPO, {
      parent: head,
      branch: 'change',
      files: { [TEMPLATE]: FIXED_ONE_NEW_ONE },
    });
    fake.pushToPullRequest(OWNER, REPO, number, second);
    const callsBefore = fake.calls.length;
    await deliver(number, 'synchronize');

    expect(completedRun(second).conclusion).toBe('success');
    const threads = fake.reviewThreads(OWNER, REPO, number);
    expect(threads).toHaveLength(3);
    const fixed = threads.find((t) =>
      t.comments[0]?.body.includes('sourceip-deny-blocks-endpoint'),
    );
    expect(fixed?.isResolved).toBe(true);
    expect(fixed?.comments.map((c) => c.user)).toEqual([fake.botLogin, fake.botLogin]);
    expect(fixed?.comments[1]?.body).toContain(second.slice(0, 7));
    const added = threads[2];
    expect(added?.comments[0]?.body).toContain('endpoint-hardcoded-region');
    expect(added?.line).toBe(16);
    // The warning that is still there was not posted again.
    const kept = threads.filter((t) =>
      t.comments[0]?.body.includes('bucket-policy-locks-out-admins'),
    );
    expect(kept).toHaveLength(1);
    expect(kept[0]?.isResolved).toBe(false);

    const summaries = fake.issueComments(OWNER, REPO, number);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]?.edits).toBe(1);
    expect(writes(fake.calls.slice(callsBefore))).toEqual([
      'checks/create',
      'checks/update',
      'pulls/create-review',
      'pulls/create-reply-for-review-comment',
      'resolveReviewThread',
      'issues/update-comment',
    ]);
    expectNoViolations();
  });

  it('after a force-push of the same change: no duplicate comment', async () => {
    const { fake } = world;
    const { base, number } = openPullRequest({ [TEMPLATE]: BASE }, { [TEMPLATE]: OFFICE_ONLY });
    await deliver(number, 'opened');
    // Rewritten history: a new commit on the base with the same content.
    const rewritten = fake.commit(OWNER, REPO, {
      parent: base,
      files: { [TEMPLATE]: OFFICE_ONLY, 'notes.txt': 'squashed\n' },
      message: 'squashed',
    });
    fake.pushToPullRequest(OWNER, REPO, number, rewritten);
    await deliver(number, 'synchronize');

    expect(completedRun(rewritten).conclusion).toBe('failure');
    expect(fake.reviewThreads(OWNER, REPO, number)).toHaveLength(2);
    expect(fake.reviews(OWNER, REPO, number)).toHaveLength(1);
    expect(fake.issueComments(OWNER, REPO, number)).toHaveLength(1);
    expectNoViolations();
  });

  it('clean: success, no review, no comment', async () => {
    const { fake } = world;
    const { head, number } = openPullRequest(
      { [TEMPLATE]: CLEAN },
      { [TEMPLATE]: `${CLEAN}# tidy\n` },
    );
    await deliver(number, 'opened');
    const run = completedRun(head);
    expect(run.conclusion).toBe('success');
    expect(run.annotations).toEqual([]);
    expect(fake.reviews(OWNER, REPO, number)).toEqual([]);
    expect(fake.issueComments(OWNER, REPO, number)).toEqual([]);
    expectNoViolations();
  });

  it('without infrastructure files: success, no review, no comment', async () => {
    const { fake } = world;
    const { head, number } = openPullRequest(
      { [TEMPLATE]: OFFICE_ONLY, 'README.md': '# infra\n' },
      { 'README.md': '# infra\n\nMore words.\n', 'docs/notes.md': 'notes\n' },
    );
    await deliver(number, 'opened');
    const run = completedRun(head);
    expect(run.conclusion).toBe('success');
    expect(run.output.title?.toLowerCase()).toContain('no infrastructure');
    expect(fake.reviews(OWNER, REPO, number)).toEqual([]);
    expect(fake.issueComments(OWNER, REPO, number)).toEqual([]);
    // Nothing was read but the file list (and the config).
    expect(fake.calls.some((call) => call.operationId === 'git/get-tree')).toBe(false);
    expectNoViolations();
  });

  it('concludes a check run for every evaluated action, and none for a title edit', async () => {
    const { fake } = world;
    const { head, number } = openPullRequest(
      { [TEMPLATE]: CLEAN },
      { [TEMPLATE]: `${CLEAN}# x\n` },
    );
    for (const action of ['opened', 'reopened', 'ready_for_review', 'synchronize'] as const)
      await deliver(number, action);
    await deliver(number, 'edited', { changes: { title: { from: 'Old title' } } });
    const runs = checkRunsFor(head);
    expect(runs.map((run) => [run.status, run.conclusion])).toEqual(
      Array.from({ length: 4 }, () => ['completed', 'success']),
    );
    expect(fake.issueComments(OWNER, REPO, number)).toEqual([]);
    expectNoViolations();
  });

  it('re-evaluates when the base branch changes (edited)', async () => {
    const { head, number } = openPullRequest(
      { [TEMPLATE]: CLEAN },
      { [TEMPLATE]: `${CLEAN}# x\n` },
    );
    await deliver(number, 'edited', { changes: { base: { ref: { from: 'develop' } } } });
    expect(completedRun(head).conclusion).toBe('success');
    expectNoViolations();
  });

  it('from a fork: reads the head through the base repository and reviews it', async () => {
    const { fake } = world;
    const { head, number } = openPullRequest(
      { [TEMPLATE]: BASE },
      { [TEMPLATE]: OFFICE_ONLY },
      { fork: { owner: 'mallory', repo: 'infra-fork' }, author: 'mallory' },
    );
    const payload = fake.pullRequestPayload(OWNER, REPO, number, 'opened') as {
      pull_request: { head: { repo: { full_name: string } } };
    };
    expect(payload.pull_request.head.repo.full_name).toBe('mallory/infra-fork');
    await deliver(number, 'opened');
    expect(completedRun(head).conclusion).toBe('failure');
    expect(fake.reviewThreads(OWNER, REPO, number)).toHaveLength(2);
    expect(fake.calls.every((call) => !call.path.includes('mallory'))).toBe(true);
    expectNoViolations();
  });

  it('with 120 findings: annotations in 3 batches of at most 50, budgeted comments', async () => {
    const { fake } = world;
    const { head, number } = openPullRequest(
      { [TEMPLATE]: CLEAN },
      { [TEMPLATE]: manyBuckets(60) },
    );
    await deliver(number, 'opened');
    const run = completedRun(head);
    expect(run.conclusion).toBe('failure');
    expect(run.annotations).toHaveLength(120);
    const batches = fake.calls
      .filter(
        (call) => call.operationId === 'checks/update' || call.operationId === 'checks/create',
      )
      .map(
        (call) =>
          (call.body as { output?: { annotations?: unknown[] } }).output?.annotations?.length ?? 0,
      )
      .filter((count) => count > 0);
    expect(batches).toEqual([50, 50, 20]);
    // Default budget: 20 inline comments; the summary says what was left out.
    expect(fake.reviewThreads(OWNER, REPO, number)).toHaveLength(20);
    expect(run.output.summary).toContain('100 findings were not commented inline (limit 20)');
    expectNoViolations();
  });

  it('when GitHub sends no patch: changed lines come from the blobs, comments still land in the diff', async () => {
    const { fake } = world;
    const { head, number } = openPullRequest(
      { [TEMPLATE]: BASE },
      { [TEMPLATE]: OFFICE_ONLY },
      { omitPatchFor: [TEMPLATE] },
    );
    await deliver(number, 'opened');
    expect(completedRun(head).conclusion).toBe('failure');
    const threads = fake.reviewThreads(OWNER, REPO, number);
    expect(threads).toHaveLength(2);
    expectNoViolations();
  });

  it('with an invalid config: fails the check with the exact error', async () => {
    const { fake } = world;
    const config = 'failOn: sometimes\ncomments:\n  max: 5\n';
    const { head, number } = openPullRequest(
      { [TEMPLATE]: BASE, '.github/s3-endpoint-guard.yml': config },
      { [TEMPLATE]: OFFICE_ONLY },
    );
    await deliver(number, 'opened');
    const run = completedRun(head);
    expect(run.conclusion).toBe('failure');
    const parsed = parseConfig(config, '.github/s3-endpoint-guard.yml', {
      ruleIds: rules.map((rule) => rule.id),
    });
    expect(parsed.ok).toBe(false);
    const problems = parsed.ok ? [] : parsed.errors;
    expect(problems.length).toBeGreaterThan(0);
    const text = `${run.output.title ?? ''}\n${run.output.summary ?? ''}\n${run.output.text ?? ''}`;
    // The problem exactly as the CLI prints it, at the file's place on GitHub.
    for (const problem of problems) {
      expect(text).toContain(
        formatConfigProblem({ ...problem, file: `${OWNER}/${REPO}:${problem.file}` }),
      );
    }
    expect(text).toContain(
      'acme/infra:.github/s3-endpoint-guard.yml:1: failOn: must be one of error, warning, notice, never (got "sometimes")',
    );
    expect(fake.reviews(OWNER, REPO, number)).toEqual([]);
    expectNoViolations();
  });

  it('when GitHub fails mid-run (500 on the file list): the check run is still completed', async () => {
    const { fake } = world;
    const { head, number } = openPullRequest({ [TEMPLATE]: BASE }, { [TEMPLATE]: OFFICE_ONLY });
    fake.failNext({ method: 'GET', path: /\/pulls\/\d+\/files$/ }, 500, 10);
    await deliver(number, 'opened');
    const run = completedRun(head);
    expect(run.conclusion).toBe('failure');
    expect(run.output.title?.toLowerCase()).toContain('could not evaluate');
    expect(fake.reviews(OWNER, REPO, number)).toEqual([]);
    expectNoViolations();
  });

  it('when GitHub fails while publishing (500 on the review): the check run is completed first', async () => {
    const { fake } = world;
    const { head, number } = openPullRequest({ [TEMPLATE]: BASE }, { [TEMPLATE]: OFFICE_ONLY });
    fake.failNext({ method: 'POST', path: /\/pulls\/\d+\/reviews$/ }, 500, 10);
    await deliver(number, 'opened');
    const run = completedRun(head);
    expect(run.conclusion).toBe('failure');
    expect(run.annotations).toHaveLength(3);
    expectNoViolations();
  });
});

describe('the app and people', () => {
  it('replies and resolves a fixed finding’s thread even when a person replied, and never reposts a thread a person resolved', async () => {
    const { fake } = world;
    const { head, number } = openPullRequest({ [TEMPLATE]: BASE }, { [TEMPLATE]: OFFICE_ONLY });
    await deliver(number, 'opened');
    const threads = fake.reviewThreads(OWNER, REPO, number);
    const error = threads.find((t) =>
      t.comments[0]?.body.includes('sourceip-deny-blocks-endpoint'),
    );
    const warning = threads.find((t) =>
      t.comments[0]?.body.includes('bucket-policy-locks-out-admins'),
    );
    fake.addReviewReply(OWNER, REPO, number, error?.comments[0]?.id ?? 0, 'dev', 'On it.');
    fake.resolveThreadAs(OWNER, REPO, number, warning?.id ?? '', 'dev');
    // A person quoting the app's marker does not fool it.
    fake.addIssueComment(OWNER, REPO, number, 'dev', 'Copy: <!-- s3-endpoint-guard:summary -->');

    const second = fake.commit(OWNER, REPO, {
      parent: head,
      branch: 'change',
      files: { [TEMPLATE]: FIXED_ONE_NEW_ONE },
    });
    fake.pushToPullRequest(OWNER, REPO, number, second);
    await deliver(number, 'synchronize');

    const after = fake.reviewThreads(OWNER, REPO, number);
    const errorAfter = after.find((t) => t.id === error?.id);
    expect(errorAfter?.comments.map((c) => c.user)).toEqual([fake.botLogin, 'dev', fake.botLogin]);
    expect(errorAfter?.isResolved).toBe(true);
    expect(after.find((t) => t.id === warning?.id)?.resolvedBy).toBe('dev');
    expect(
      after.filter((t) => t.comments[0]?.body.includes('bucket-policy-locks-out-admins')),
    ).toHaveLength(1);
    const comments = fake.issueComments(OWNER, REPO, number);
    expect(comments.find((c) => c.user === 'dev')?.edits).toBe(0);
    expect(comments.filter((c) => c.user === fake.botLogin)).toHaveLength(1);
    expect(fake.warnings).toEqual([]);
    expectNoViolations();
  });

  it('a newer push supersedes an older run: the older result never lands on the newer head', async () => {
    const { fake } = world;
    const { head, number } = openPullRequest({ [TEMPLATE]: BASE }, { [TEMPLATE]: OFFICE_ONLY });
    const second = fake.commit(OWNER, REPO, {
      parent: head,
      branch: 'change',
      files: { [TEMPLATE]: CLEAN },
    });
    // Both deliveries before either evaluation finishes.
    await world.harness.receivePullRequest(fake.pullRequestPayload(OWNER, REPO, number, 'opened'));
    fake.pushToPullRequest(OWNER, REPO, number, second);
    await world.harness.receivePullRequest(
      fake.pullRequestPayload(OWNER, REPO, number, 'synchronize'),
    );
    await idle();

    expect(completedRun(second).conclusion).toBe('success');
    const older = completedRun(head);
    expect(older.conclusion === 'neutral' || older.conclusion === 'failure').toBe(true);
    // No review from the stale run: the newer head is clean.
    expect(fake.reviewThreads(OWNER, REPO, number)).toEqual([]);
    expectNoViolations();
  });
});

describe('hostile pull request content', () => {
  it('mentions, HTML, a huge file, an alias bomb and an Fn::Include of a URL: nothing leaves, nothing unescaped', async () => {
    const { fake } = world;
    const hostile = OFFICE_ONLY.replace(/ReportsBucketPolicy/g, 'AtMention').replace(
      'Sid: OfficeOnly',
      "Sid: '@attacker <img src=x onerror=alert(1)> | col | <script>x</script>'",
    );
    const bomb = [
      "AWSTemplateFormatVersion: '2010-09-09'",
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
      'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
      'Resources:',
      '  Bucket:',
      '    Type: AWS::S3::Bucket',
      '    Properties:',
      '      Tags: *h',
      '',
    ].join('\n');
    const include = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: vpc-0123456789abcdef0
      ServiceName: com.amazonaws.eu-west-1.s3
      PolicyDocument:
        Fn::Include: https://evil.example.com/policy.json
`;
    const huge = `# ${'x'.repeat(9 * 1024 * 1024)}\nResources: {}\n`;
    const { head, number } = openPullRequest(
      { [TEMPLATE]: BASE },
      {
        [TEMPLATE]: hostile,
        'cfn/@attacker <b>bold</b>.yml': hostile,
        'cfn/bomb.yml': bomb,
        'cfn/include.yml': include,
        'cfn/huge.yml': huge,
      },
      { author: 'attacker' },
    );
    await deliver(number, 'opened');

    const run = completedRun(head);
    expect(run.conclusion).toBe('failure');
    expectNoViolations();
    const bodies = [
      ...fake.publishedBodies(OWNER, REPO, number),
      run.output.summary ?? '',
      run.output.text ?? '',
    ];
    expect(bodies.length).toBeGreaterThan(2);
    for (const body of bodies) {
      const live = liveText(body);
      expect(live).not.toMatch(/(^|[^\w\\])@attacker/);
      expect(live).not.toMatch(/<(img|script|b)\b/i);
    }
    // The hostile text is there, made harmless.
    expect(bodies.join('\n')).toContain('attacker');
    expect(bodies.join('\n')).toContain('&lt;img');
    // The huge file is listed as skipped, and never downloaded.
    expect(`${run.output.summary ?? ''}${run.output.text ?? ''}`).toContain('huge.yml');
    const hugeSha = blobSha(Buffer.from(huge));
    expect(fake.calls.filter((call) => call.path.endsWith(hugeSha))).toEqual([]);
    // The alias bomb is a parse error, the remote include an unresolved policy.
    expect(run.output.text).toContain('cfn/bomb.yml');
    expect(run.output.text).toContain('remote Fn::Include not evaluated');
  });
});
