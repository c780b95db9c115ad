/**
 * The configuration file through the CLI: found in the current directory or named with
 * `--config`, validated with exact messages, and applied to rules, severities, paths, failing
 * and suppressions (config `ignore:` and inline comments).
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/run.js';
import type { JsonReport } from '../../src/report/json.js';

const repo = path.resolve(import.meta.dirname, '../..');
let work: string;

async function cli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd: work,
    isTTY: false,
    env: {},
  });
  return { code, stdout, stderr };
}

async function json(argv: string[] = []) {
  const run = await cli(['scan', '--format', 'json', ...argv]);
  return { ...run, report: JSON.parse(run.stdout) as JsonReport };
}

async function writeConfig(text: string, name = '.github/s3-endpoint-guard.yml'): Promise<void> {
  await mkdir(path.dirname(path.join(work, name)), { recursive: true });
  await writeFile(path.join(work, name), text);
}

const rulesOf = (report: JsonReport): string[] => report.findings.map((f) => f.ruleId).sort();

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'seg-config-'));
  await mkdir(path.join(work, 'infra'));
  // The office allow-list: sourceip-deny-blocks-endpoint (error) and
  // bucket-policy-locks-out-admins (warning) on the same Deny statement (line 58).
  await copyFile(
    path.join(repo, 'examples', 'office-ip-bucket-policy.yaml'),
    path.join(work, 'infra', 'bucket.yaml'),
  );
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('configuration file', () => {
  it('without a file: every rule at its default severity, errors fail the run', async () => {
    const { code, report } = await json();
    expect(rulesOf(report)).toEqual([
      'bucket-policy-locks-out-admins',
      'sourceip-deny-blocks-endpoint',
    ]);
    expect(code).toBe(1);
  });

  it('is found in .github/, switches rules off and overrides severities', async () => {
    await writeConfig(
      'rules:\n  bucket-policy-locks-out-admins: off\n  sourceip-deny-blocks-endpoint: warning\n',
    );
    const { code, report } = await json();
    expect(report.findings.map((f) => [f.ruleId, f.severity])).toEqual([
      ['sourceip-deny-blocks-endpoint', 'warning'],
    ]);
    // failOn is error by default: a warning does not fail the run.
    expect(code).toBe(0);
  });

  it('failOn from the file, and --fail-on on the command line wins over it', async () => {
    await writeConfig('failOn: never\n');
    expect((await cli(['scan'])).code).toBe(0);
    expect((await cli(['scan', '--fail-on', 'warning'])).code).toBe(1);
  });

  it('--config names another file; --no-config ignores the default one', async () => {
    await writeConfig('rules:\n  sourceip-deny-blocks-endpoint: off\n', 'ci/guard.yml');
    await writeConfig('rules:\n  bucket-policy-locks-out-admins: off\n');
    expect(rulesOf((await json(['--config', 'ci/guard.yml'])).report)).toEqual([
      'bucket-policy-locks-out-admins',
    ]);
    expect(rulesOf((await json()).report)).toEqual(['sourceip-deny-blocks-endpoint']);
    expect(rulesOf((await json(['--no-config'])).report)).toHaveLength(2);
  });

  it('an invalid file stops the run with file:line: key: message for every problem', async () => {
    await writeConfig('failOn: erorr\nrules:\n  no-such-rule: off\n');
    const run = await cli(['scan']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('invalid configuration');
    expect(run.stderr).toMatch(/\.github\/s3-endpoint-guard\.yml:1: failOn: .*error, warning/);
    expect(run.stderr).toMatch(/\.github\/s3-endpoint-guard\.yml:3: rules\.no-such-rule: /);
  });

  it('a missing --config file is a usage error', async () => {
    const run = await cli(['scan', '--config', 'nope.yml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot read the configuration file nope.yml');
  });

  it('paths.exclude skips files found by walking, but not files named explicitly', async () => {
    await writeConfig("paths:\n  exclude: ['infra/**']\n");
    expect((await json()).report.files).toEqual([]);
    expect((await json(['infra/bucket.yaml'])).report.files).toHaveLength(1);
  });

  it('ignore: accepts a finding (counted, with its reason) and it no longer fails the run', async () => {
    await writeConfig(
      [
        'ignore:',
        '  - rule: sourceip-deny-blocks-endpoint',
        '    resource: ReportsBucketPolicy',
        '    reason: the office VPN is the only way in; no endpoint will serve this bucket',
        '',
      ].join('\n'),
    );
    const { code, report } = await json();
    expect(rulesOf(report)).toEqual(['bucket-policy-locks-out-admins']);
    expect(report.summary.suppressed).toBe(1);
    expect(
      report.suppressed.map((s) => [s.ruleId, s.suppression.source, s.suppression.reason]),
    ).toEqual([
      [
        'sourceip-deny-blocks-endpoint',
        'config',
        'the office VPN is the only way in; no endpoint will serve this bucket',
      ],
    ]);
    expect(code).toBe(0);
  });

  it('an ignore entry that matches nothing is a notice at its line in the config file', async () => {
    await writeConfig(
      [
        'ignore:',
        '  - rule: endpoint-policy-full-access',
        '    resource: NoSuchEndpoint',
        '    reason: legacy',
        '',
      ].join('\n'),
    );
    const { report } = await json();
    const notice = report.findings.find((f) => f.ruleId === 'invalid-suppression');
    expect(notice).toMatchObject({
      severity: 'notice',
      file: '.github/s3-endpoint-guard.yml',
      startLine: 2,
    });
    expect(notice?.message).toContain('matches no finding');
  });

  it('inline comments in the template suppress through the CLI too', async () => {
    const file = path.join(work, 'infra', 'bucket.yaml');
    const text = await readFile(file, 'utf8');
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.includes('Sid: OfficeOnly'));
    const indent = /^\s*/.exec(lines[at] ?? '')?.[0] ?? '';
    lines.splice(
      at,
      0,
      `${indent}# s3-endpoint-guard:ignore bucket-policy-locks-out-admins break-glass role exists`,
    );
    await writeFile(file, lines.join('\n'));
    const { report } = await json();
    expect(rulesOf(report)).toEqual(['sourceip-deny-blocks-endpoint']);
    expect(report.suppressed.map((s) => s.suppression.source)).toEqual(['inline']);
  });

  it('config settings reach the rules: assumeEndpoint never turns the SourceIp error into a warning', async () => {
    await writeConfig('assumeEndpoint: never\nrules:\n  bucket-policy-locks-out-admins: off\n');
    const { report } = await json();
    // The example defines its own S3 endpoint, so auto would say error; never says warning.
    expect(report.findings.map((f) => [f.ruleId, f.severity])).toEqual([
      ['sourceip-deny-blocks-endpoint', 'warning'],
    ]);
  });
});
