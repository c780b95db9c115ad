/**
 * `npm run bench:github`: how many GitHub API calls one evaluation of a pull request costs, and
 * whether that grows with the pull request's size. For pull requests touching 1, 10 and 100
 * CloudFormation templates with 0, 5 and 60 new findings (templates generated here), runs the
 * real pipeline (`runPullRequest`: check run, config, files, contents at head and base, existing
 * threads and comment, review, annotations, summary comment) against the in-memory GitHub of the
 * tests, and prints the calls it recorded by kind, with wall time. Figures only, no assertions.
 *
 * `npm run bench:github -- <folder>` adds one row: a pull request that adds every file of the
 * folder (e.g. the shared corpus of real templates and modules), for real-world content.
 *
 * The aim (issue 5): reads are batched, so the count does not grow with the number of files;
 * writes grow only with annotations (50 per request) and are capped for comments (one review).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Probot } from 'probot';
import { runPullRequest } from '../src/github/run.js';
import { toolInfo } from '../src/cli/tool-info.js';
import { FakeGitHub, serveGitHub } from '../test/fake-github/index.js';
import { testPrivateKey } from '../test/fake-github/probot.js';
import { LocalOctokit } from '../scripts/demo/app-server.js';
import { countCalls } from '../scripts/demo/calls.js';

const FILE_COUNTS = [1, 10, 100];
const FINDING_COUNTS = [0, 5, 60];
const OWNER = 'bench';
const REPO = 'infra';
/** Unchanged files beside the pull request's, so a repository-wide read would show. */
const UNCHANGED_FILES = 200;

/**
 * One VPC with an S3 gateway endpoint and a bucket only reachable through it. Without its policy
 * the endpoint is `endpoint-policy-full-access` (one finding), reported on the service name: the
 * policy follows it, so removing the policy puts the finding inside the diff (commentable).
 */
function group(n: number, withEndpointPolicy: boolean): string {
  const policy = withEndpointPolicy
    ? `
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: '*'
            Action:
              - s3:GetObject
              - s3:PutObject
            Resource: !Sub '\${Bucket${n}.Arn}/*'`
    : '';
  return `
  Vpc${n}:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.${n % 250}.0.0/16
  RouteTable${n}:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc${n}
  Endpoint${n}:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc${n}
      ServiceName: !Sub com.amazonaws.\${AWS::Region}.s3${policy}
      VpcEndpointType: Gateway
      RouteTableIds:
        - !Ref RouteTable${n}
  Bucket${n}:
    Type: AWS::S3::Bucket
  BucketPolicy${n}:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket${n}
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Sid: OnlyThroughEndpoint
            Effect: Deny
            Principal: '*'
            Action:
              - s3:GetObject
              - s3:PutObject
            Resource: !Sub '\${Bucket${n}.Arn}/*'
            Condition:
              StringNotEquals:
                aws:SourceVpce: !Ref Endpoint${n}
`;
}

/** A template of `groups` VPCs; the first `withoutPolicy` endpoints have no policy (1 finding each). */
function template(description: string, groups: number, withoutPolicy: number): string {
  let text = `AWSTemplateFormatVersion: '2010-09-09'\nDescription: ${description}\nResources:`;
  for (let n = 0; n < groups; n++) text += group(n, n >= withoutPolicy);
  return text;
}

interface Scenario {
  readonly files: number;
  readonly findings: number;
  /** Instead of generated templates: every file of this folder, added by the pull request. */
  readonly folder?: string;
}

/** A folder's files by path relative to it (the corpus: a few MB of text). */
function folderFiles(root: string, prefix = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(path.join(root, prefix)).sort()) {
    const relative = prefix === '' ? name : `${prefix}/${name}`;
    const info = statSync(path.join(root, relative));
    if (info.isDirectory()) Object.assign(files, folderFiles(root, relative));
    else if (info.isFile()) files[relative] = readFileSync(path.join(root, relative), 'utf8');
  }
  return files;
}

/** Base and head of the repository: `files` templates changed, `findings` spread over them. */
function scenarioFiles(scenario: Scenario): {
  base: Record<string, string>;
  head: Record<string, string>;
} {
  if (scenario.folder !== undefined) {
    return { base: { 'README.md': 'a repository\n' }, head: folderFiles(scenario.folder) };
  }
  const base: Record<string, string> = {};
  const head: Record<string, string> = {};
  const groups = Math.max(1, Math.ceil(scenario.findings / scenario.files));
  for (let i = 0; i < scenario.files; i++) {
    const file = `stacks/stack-${String(i).padStart(3, '0')}.yaml`;
    const findingsHere = Math.max(0, Math.min(groups, scenario.findings - i * groups));
    base[file] = template(`stack ${i}`, groups, 0);
    head[file] = template(`stack ${i}, revised`, groups, findingsHere);
  }
  for (let i = 0; i < UNCHANGED_FILES; i++) {
    base[`other/unchanged-${i}.yaml`] = template(`unchanged ${i}`, 1, 0);
  }
  return { base, head };
}

interface Row {
  readonly scenario: Scenario;
  readonly newFindings: number;
  readonly conclusion: string;
  readonly annotations: number;
  readonly comments: number;
  readonly counts: ReturnType<typeof countCalls>;
  readonly ms: number;
}

async function measure(scenario: Scenario): Promise<Row> {
  const fake = new FakeGitHub();
  fake.createRepo(OWNER, REPO, { defaultBranch: 'main' });
  const { base, head } = scenarioFiles(scenario);
  const baseSha = fake.commit(OWNER, REPO, { branch: 'main', files: base });
  const headSha = fake.commit(OWNER, REPO, { parent: baseSha, branch: 'change', files: head });
  const number = fake.openPullRequest(OWNER, REPO, {
    base: 'main',
    headSha,
    headRef: 'change',
    author: 'dev',
  });
  const github = await serveGitHub(fake);
  try {
    // As the app: only an installation token may write check runs.
    const probot = new Probot({
      appId: fake.appId,
      privateKey: testPrivateKey(),
      baseUrl: github.url,
      logLevel: 'fatal',
      Octokit: LocalOctokit,
    });
    const client = await probot.auth(fake.installationId(OWNER, REPO));
    const before = fake.calls.length;
    const started = performance.now();
    const { evaluation, publication, report } = await runPullRequest(
      client,
      {
        owner: OWNER,
        repo: REPO,
        number,
        headSha,
        baseSha,
        baseRef: 'main',
        defaultBranch: 'main',
        author: 'dev',
      },
      { botLogin: 's3-endpoint-guard[bot]', docsBaseUri: toolInfo().docsBaseUri },
    );
    const ms = performance.now() - started;
    const newFindings =
      evaluation.kind === 'evaluated'
        ? evaluation.result.findings.filter((f) => f.status === 'new').length
        : 0;
    if (fake.violations.length > 0) {
      throw new Error(`invalid requests: ${fake.violations.join('; ')}`);
    }
    return {
      scenario,
      newFindings,
      conclusion: publication.check.conclusion,
      annotations: report?.annotationsSent ?? 0,
      comments: report?.commentsPosted ?? 0,
      counts: countCalls(fake.calls.slice(before)),
      ms,
    };
  } finally {
    await github.close();
  }
}

function table(rows: readonly Row[]): string {
  const header = [
    'files',
    'findings',
    'new found',
    'check',
    'annotations',
    'comments',
    'REST reads',
    'GraphQL queries',
    'writes',
    'total',
    'wall ms',
  ];
  const lines = rows.map((r) => [
    String(r.scenario.files),
    r.scenario.folder === undefined ? String(r.scenario.findings) : 'corpus',
    String(r.newFindings),
    r.conclusion,
    String(r.annotations),
    String(r.comments),
    String(r.counts.restReads),
    String(r.counts.graphqlQueries),
    String(r.counts.writes),
    String(r.counts.total - r.counts.tokens),
    r.ms.toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const format = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i < 2 ? c.padStart(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ');
  return [format(header), format(widths.map((w) => '-'.repeat(w))), ...lines.map(format)].join(
    '\n',
  );
}

async function run(): Promise<void> {
  // Warm-up (module loading, the GraphQL schema the stand-in validates against): not shown.
  await measure({ files: 1, findings: 0 });
  const rows: Row[] = [];
  for (const files of FILE_COUNTS) {
    for (const findings of FINDING_COUNTS) rows.push(await measure({ files, findings }));
  }
  process.stdout.write(
    `GitHub API calls per evaluation: runPullRequest against the in-memory GitHub on ` +
      `127.0.0.1, ${UNCHANGED_FILES} unchanged templates beside the changed ones. The ` +
      `installation token is not counted; Octokit's write throttling (1 s between writes in ` +
      `production) is off, so wall time is the pipeline's own.\n\n`,
  );
  const folder = process.argv[2];
  if (folder !== undefined) {
    const files = Object.keys(folderFiles(folder)).length;
    rows.push(await measure({ files, findings: 0, folder }));
  }
  process.stdout.write(`${table(rows)}\n`);
  if (folder !== undefined) {
    process.stdout.write(
      `\nLast row: a pull request adding the ${rows.at(-1)?.scenario.files ?? 0} files of ${folder}.\n`,
    );
  }
}

await run();
