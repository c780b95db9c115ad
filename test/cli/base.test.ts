/**
 * `scan --base <ref>` against a real git repository with two commits: the base is read with
 * git archive, the head from the working tree, and findings are compared by fingerprint.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/run.js';
import type { JsonReport } from '../../src/report/json.js';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../..');
const example = (name: string): Promise<string> =>
  readFile(path.join(repo, 'examples', name), 'utf8');

async function git(cwd: string, ...args: string[]): Promise<void> {
  // Identity set per command: no global git config is needed on the machine.
  await run('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
    cwd,
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: cwd },
  });
}

/** The two rules the fixtures are about; other rules' findings on them would only add noise. */
const ONLY = ['--rule', 'sourceip-deny-blocks-endpoint', '--rule', 'endpoint-policy-full-access'];

async function cli(cwd: string, argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd,
    isTTY: false,
    env: {},
  });
  return { code, stdout, stderr };
}

let tmp: string;
let work: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'seg-base-'));
  work = path.join(tmp, 'repo');
  await mkdir(path.join(work, 'infra'), { recursive: true });
  await git(work, 'init', '-q');
  await git(work, 'config', 'user.name', 'Test');
  await git(work, 'config', 'user.email', 'test@example.com');
  const officeIp = await example('office-ip-bucket-policy.yaml');
  const defaultPolicy = await example('endpoint-default-policy.yaml');
  // Commit 1: an error (SourceIp deny) and a warning (default endpoint policy).
  await writeFile(path.join(work, 'infra/bucket.yaml'), officeIp);
  await writeFile(path.join(work, 'infra/vpc.yaml'), defaultPolicy);
  await git(work, 'add', '.');
  await git(work, 'commit', '-q', '-m', 'base');
  // Commit 2: the error moves down (comment lines added), the warning's file is gone, and the
  // same warning appears in a new file.
  await writeFile(path.join(work, 'infra/bucket.yaml'), `# reviewed\n# again\n${officeIp}`);
  await rm(path.join(work, 'infra/vpc.yaml'));
  await writeFile(path.join(work, 'infra/network.yaml'), defaultPolicy);
  await git(work, 'add', '-A');
  await git(work, 'commit', '-q', '-m', 'head');
}, 30_000);
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('scan --base', () => {
  it('reports new, existing and fixed findings in JSON', async () => {
    const result = await cli(work, [
      'scan',
      '--base',
      'HEAD~1',
      '--format',
      'json',
      'infra',
      ...ONLY,
    ]);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.base).toBe('HEAD~1');
    expect(
      report.findings.map((f) => [f.file, f.ruleId, f.status, f.startLine > 2 ? 'moved' : '']),
    ).toEqual([
      ['infra/bucket.yaml', 'sourceip-deny-blocks-endpoint', 'existing', 'moved'],
      ['infra/network.yaml', 'endpoint-policy-full-access', 'new', 'moved'],
    ]);
    expect(report.fixed?.map((f) => [f.file, f.ruleId])).toEqual([
      ['infra/vpc.yaml', 'endpoint-policy-full-access'],
    ]);
    expect(report.summary.byStatus).toEqual({ new: 1, existing: 1 });
    // The existing error does not fail the run; only new findings at the fail level do.
    expect(result.code).toBe(0);
    const warnings = await cli(work, ['scan', '--base', 'HEAD~1', '--fail-on', 'warning']);
    expect(warnings.code).toBe(1);
    expect(warnings.stdout).toContain('[new]');
    expect(warnings.stdout).toContain('Fixed since HEAD~1:');
  });

  it('works from a subfolder and with a base equal to the head', async () => {
    const sub = path.join(work, 'infra');
    const same = await cli(sub, ['scan', '--base', 'HEAD', '--format', 'json', ...ONLY]);
    const report = JSON.parse(same.stdout) as JsonReport;
    expect(report.findings.map((f) => [f.file, f.status])).toEqual([
      ['bucket.yaml', 'existing'],
      ['network.yaml', 'existing'],
    ]);
    expect(report.fixed).toEqual([]);
  });

  it('a folder the base does not have: all its findings are new', async () => {
    await mkdir(path.join(work, 'fresh'));
    await writeFile(path.join(work, 'fresh/x.yaml'), await example('office-ip-bucket-policy.yaml'));
    try {
      const result = await cli(work, [
        'scan',
        '--base',
        'HEAD',
        '--format',
        'json',
        'fresh',
        ...ONLY,
      ]);
      const report = JSON.parse(result.stdout) as JsonReport;
      expect(report.findings.map((f) => f.status)).toEqual(['new']);
      expect(result.code).toBe(1);
    } finally {
      await rm(path.join(work, 'fresh'), { recursive: true, force: true });
    }
  });

  it('a template whose included file changed is compared, not taken as unchanged', async () => {
    // The template is byte-identical in base and head; only its Fn::Include file changes. It
    // is skipped in the base scan as identical, then scanned late because its scope changed.
    const repo2 = path.join(tmp, 'include-repo');
    await mkdir(path.join(repo2, 'cfn'), { recursive: true });
    await git(repo2, 'init', '-q');
    const template = [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Resources:',
      '  Bucket:',
      '    Type: AWS::S3::Bucket',
      '  Policy:',
      '    Type: AWS::S3::BucketPolicy',
      '    Properties:',
      '      Bucket: !Ref Bucket',
      '      PolicyDocument:',
      '        Fn::Include: statements.yaml',
      '',
    ].join('\n');
    const deny = [
      "Version: '2012-10-17'",
      'Statement:',
      '  - Sid: OfficeOnly',
      '    Effect: Deny',
      "    Principal: '*'",
      '    Action: s3:*',
      "    Resource: '*'",
      '    Condition:',
      '      NotIpAddress:',
      '        aws:SourceIp: 203.0.113.0/24',
      '',
    ].join('\n');
    const typo = [
      '  - Sid: Typo',
      '    Effect: Allow',
      "    Principal: '*'",
      '    Action: s3:GetObjects',
      "    Resource: '*'",
      '',
    ].join('\n');
    await writeFile(path.join(repo2, 'cfn/template.yaml'), template);
    await writeFile(path.join(repo2, 'cfn/statements.yaml'), deny);
    await git(repo2, 'add', '.');
    await git(repo2, 'commit', '-q', '-m', 'base');
    await writeFile(path.join(repo2, 'cfn/statements.yaml'), deny + typo);
    const result = await cli(repo2, [
      'scan',
      '--base',
      'HEAD',
      '--format',
      'json',
      '--rule',
      'sourceip-deny-blocks-endpoint',
      '--rule',
      'unknown-s3-action',
    ]);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.findings.map((f) => [f.ruleId, f.status]).sort()).toEqual([
      ['sourceip-deny-blocks-endpoint', 'existing'],
      ['unknown-s3-action', 'new'],
    ]);
    expect(report.fixed).toEqual([]);
  });

  it.each([
    [['--base', 'no-such-ref'], '"no-such-ref" is not a commit'],
    [['--base=--output=x'], 'does not start with "-"'],
  ])('usage error %j', async (args, message) => {
    const result = await cli(work, ['scan', ...args, 'infra']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('outside a git repository: usage error', async () => {
    const outside = path.join(tmp, 'plain');
    await mkdir(outside, { recursive: true });
    const result = await cli(outside, ['scan', '--base', 'HEAD']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--base needs a git repository');
  });

  it('leaves no temporary folder behind', async () => {
    const before = (await readdir(tmpdir())).filter((f) => f.startsWith('s3-endpoint-guard-base-'));
    await cli(work, ['scan', '--base', 'HEAD~1', 'infra']);
    await cli(work, ['scan', '--base', 'nope', 'infra']);
    const after = (await readdir(tmpdir())).filter((f) => f.startsWith('s3-endpoint-guard-base-'));
    expect(after.length).toBeLessThanOrEqual(before.length);
  });
});
