import { mkdtemp, readFile, rm, symlink, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colorEnabled, HELP, main } from '../../src/cli/run.js';
import { rules } from '../../src/rules/index.js';
import { sarifProblems } from '../report/sarif-check.js';

const repo = path.resolve(import.meta.dirname, '../..');
const ESC = '\u001b[';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(
  argv: string[],
  options: { cwd?: string; isTTY?: boolean; env?: Record<string, string> } = {},
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    cwd: options.cwd ?? repo,
    isTTY: options.isTTY ?? false,
    env: options.env ?? {},
  });
  return { code, stdout, stderr };
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'seg-cli-'));
  await mkdir(path.join(tmp, 'outside'));
  await writeFile(
    path.join(tmp, 'outside', 'stack.yaml'),
    await readFile(path.join(repo, 'examples/endpoint-default-policy.yaml'), 'utf8'),
  );
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('exit codes', () => {
  it('0 when nothing is found', async () => {
    const run = await cli(['scan', 'examples/restricted-endpoint-and-bucket.yaml']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe('0 errors, 0 warnings, 0 notices in 1 file\n');
  });

  it('1 when an error-level finding is reported, 0 with --fail-on never', async () => {
    expect((await cli(['scan', 'examples/office-ip-bucket-policy.yaml'])).code).toBe(1);
    const never = await cli(['scan', 'examples', '--fail-on', 'never']);
    expect(never.code).toBe(0);
    expect(never.stdout).toContain('sourceip-deny-blocks-endpoint');
  });

  it('--fail-on decides which severities fail', async () => {
    const warningsOnly = 'examples/endpoint-default-policy.yaml';
    expect((await cli(['scan', warningsOnly])).code).toBe(0);
    expect((await cli(['scan', warningsOnly, '--fail-on', 'warning'])).code).toBe(1);
    expect((await cli(['scan', warningsOnly, '--fail-on=notice'])).code).toBe(1);
  });

  it.each([
    [['scan', '--format', 'xml'], '--format must be one of text, json, sarif (got "xml")'],
    [['scan', '--fail-on', 'fatal'], '--fail-on must be one of error, warning, notice, never'],
    [['scan', '--bogus'], "Unknown option '--bogus'"],
    [['deploy'], 'unknown command "deploy"'],
    [[], 'missing command'],
    [['scan', 'no/such/dir'], 'no such file or directory: no/such/dir'],
    [['scan', '--rule'], "Option '--rule <value>' argument missing"],
  ])('2 on usage error %j', async (argv, message) => {
    const run = await cli(argv);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('--help');
  });

  it('2 for an unknown rule id, listing the valid ids', async () => {
    const run = await cli(['scan', 'examples', '--disable', 'sourceip-deny-block-endpoint']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown rule id: sourceip-deny-block-endpoint');
    for (const rule of rules) expect(run.stderr).toContain(`  ${rule.id}\n`);
  });
});

describe('files the scan cannot use', () => {
  it('a file that cannot be read fails the run (1), unless --fail-on never', async () => {
    const project = path.join(tmp, 'project');
    await mkdir(project, { recursive: true });
    await writeFile(path.join(tmp, 'secret.yaml'), 'AWSTemplateFormatVersion: x\n');
    await symlink(path.join(tmp, 'secret.yaml'), path.join(project, 'escape.yaml'));
    const run = await cli(['scan'], { cwd: project });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'Could not scan:\n  escape.yaml: refused: escape.yaml resolves outside the scan root',
    );
    expect((await cli(['scan', '--fail-on', 'never'], { cwd: project })).code).toBe(0);
    const json = await cli(['scan', '--format', 'json'], { cwd: project });
    expect(JSON.parse(json.stdout)).toMatchObject({
      errors: [{ file: 'escape.yaml', message: expect.stringContaining('outside the scan root') }],
    });
    expect(json.stderr).toContain('1 file(s) could not be scanned');
  });

  it('a named file that is not CloudFormation is noted on stderr', async () => {
    const run = await cli(['scan', 'package.json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      'note: package.json is neither a CloudFormation template nor a Terraform plan; not analysed\n',
    );
    expect(run.stdout).toBe('0 errors, 0 warnings, 0 notices in 0 files\n');
  });
});

describe('rule selection', () => {
  it('--disable turns a rule off', async () => {
    const run = await cli([
      'scan',
      'examples/office-ip-bucket-policy.yaml',
      '--disable',
      'sourceip-deny-blocks-endpoint',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('sourceip-deny-blocks-endpoint');
  });

  it('--rule (repeatable) runs only the named rules', async () => {
    const run = await cli([
      'scan',
      'examples',
      '--format',
      'json',
      '--rule',
      'unknown-s3-action',
      '--rule',
      'endpoint-policy-full-access',
    ]);
    const ids = new Set(
      (JSON.parse(run.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId),
    );
    expect([...ids].sort()).toEqual(['endpoint-policy-full-access', 'unknown-s3-action']);
  });

  it('"rules" lists every rule with its severity', async () => {
    const run = await cli(['rules']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(rules.length);
    expect(run.stdout).toMatch(/^sourceip-deny-blocks-endpoint\s+error\s+\S/m);
  });
});

describe('output', () => {
  it('json has the stable version-1 shape', async () => {
    const run = await cli(['scan', 'examples/office-ip-bucket-policy.yaml', '--format', 'json']);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual([
      'version',
      'summary',
      'findings',
      'suppressed',
      'files',
      'errors',
    ]);
    expect(report.summary).toEqual({
      // The SourceIp Deny (error), which also locks admins out from outside the office (warning).
      bySeverity: { error: 1, warning: 1, notice: 0 },
      suppressed: 0,
      fixed: 0,
    });
    expect(report.files).toEqual([
      {
        file: 'examples/office-ip-bucket-policy.yaml',
        format: 'cloudformation',
        resources: 5,
        unresolved: 0,
      },
    ]);
    const finding = (report.findings as Record<string, unknown>[]).find(
      (f) => f.ruleId === 'sourceip-deny-blocks-endpoint',
    );
    expect(Object.keys(finding ?? {})).toEqual([
      'ruleId',
      'severity',
      'message',
      'file',
      'startLine',
      'endLine',
      'resource',
      'fingerprint',
      'helpUri',
      'related',
      'fix',
    ]);
    expect(finding).toMatchObject({
      ruleId: 'sourceip-deny-blocks-endpoint',
      file: 'examples/office-ip-bucket-policy.yaml',
      startLine: 67,
      resource: 'ReportsBucketPolicy',
      helpUri: 'docs/rules/sourceip-deny-blocks-endpoint.md',
    });
  });

  it('sarif is SARIF 2.1.0 with the rules that ran', async () => {
    const run = await cli(['scan', 'examples', '--format', 'sarif', '--fail-on', 'never']);
    const log = JSON.parse(run.stdout) as {
      version: string;
      runs: {
        tool: { driver: { name: string; version: string; rules: { id: string }[] } };
        results: { ruleId: string; ruleIndex: number }[];
      }[];
    };
    expect(sarifProblems(log)).toEqual([]);
    expect(log.version).toBe('2.1.0');
    const [sarifRun] = log.runs;
    expect(sarifRun?.tool.driver.name).toBe('s3-endpoint-guard');
    expect(sarifRun?.tool.driver.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(sarifRun?.tool.driver.rules.map((r) => r.id)).toEqual(rules.map((r) => r.id));
    for (const result of sarifRun?.results ?? []) {
      expect(sarifRun?.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
    }
    expect(sarifRun?.results.length).toBeGreaterThan(0);
  });

  it('text has no colour when stdout is not a TTY, colour on a TTY', async () => {
    const file = 'examples/office-ip-bucket-policy.yaml';
    const plain = await cli(['scan', file]);
    expect(plain.stdout).not.toContain(ESC);
    expect(plain.stdout).toContain(
      'examples/office-ip-bucket-policy.yaml:67 (ReportsBucketPolicy)',
    );
    expect(plain.stdout).toContain('67 |                 aws:SourceIp: !Ref OfficeCidr');
    expect(plain.stdout).toMatch(/1 error, 1 warning, 0 notices in 1 file\n$/);
    expect((await cli(['scan', file], { isTTY: true })).stdout).toContain(ESC);
    expect((await cli(['scan', file, '--no-color'], { isTTY: true })).stdout).not.toContain(ESC);
    expect(
      (await cli(['scan', file], { isTTY: true, env: { NO_COLOR: '1' } })).stdout,
    ).not.toContain(ESC);
    expect((await cli(['scan', file], { env: { FORCE_COLOR: '1' } })).stdout).toContain(ESC);
  });

  it('--output writes the report to a file and the summary to stderr', async () => {
    const target = path.join(tmp, 'report.json');
    const run = await cli(
      ['scan', 'examples/endpoint-default-policy.yaml', '--format', 'json', '-o', target],
      {
        isTTY: true,
      },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('0 errors, 1 warning, 0 notices in 1 file');
    const written = JSON.parse(await readFile(target, 'utf8')) as { findings: unknown[] };
    expect(written.findings).toHaveLength(1);
  });

  it('paths outside the current directory are shown relative to it', async () => {
    const run = await cli(['scan', '../outside', '--format', 'json'], {
      cwd: path.join(tmp, 'cwd-dir'),
    }).catch(() => undefined);
    // cwd-dir does not exist on disk; main only uses it to resolve paths.
    expect(run?.code).toBe(0);
    const report = JSON.parse(run?.stdout ?? '{}') as {
      files: { file: string }[];
      findings: { file: string }[];
    };
    expect(report.files.map((f) => f.file)).toEqual(['../outside/stack.yaml']);
    expect(report.findings.map((f) => f.file)).toEqual(['../outside/stack.yaml']);
  });

  it('--help and --version', async () => {
    expect(await cli(['--help'])).toEqual({ code: 0, stdout: HELP, stderr: '' });
    const version = await cli(['--version']);
    expect(version.stdout).toMatch(/^s3-endpoint-guard \d+\.\d+\.\d+\n$/);
  });
});

describe('colorEnabled', () => {
  it.each([
    [false, {}, true, true],
    [false, {}, false, false],
    [true, { FORCE_COLOR: '1' }, true, false],
    [false, { NO_COLOR: '1' }, true, false],
    [false, { NO_COLOR: '' }, true, true],
    [false, { FORCE_COLOR: '1' }, false, true],
    [false, { FORCE_COLOR: '0' }, true, false],
    [false, { FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
  ])('--no-color=%s env=%j tty=%s → %s', (flag, env, tty, expected) => {
    expect(colorEnabled(flag, env, tty)).toBe(expected);
  });
});

describe('Terraform', () => {
  it('JSON output lists module files as terraform and names findings by address', async () => {
    const run = await cli(['scan', 'examples/terraform/main.tf', '--format', 'json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as {
      files: { file: string; format: string }[];
      findings: { ruleId: string; resource: string }[];
    };
    expect(report.files.map((f) => [f.file, f.format])).toEqual([
      ['examples/terraform/main.tf', 'terraform'],
      ['examples/terraform/variables.tf', 'terraform'],
    ]);
    expect(report.findings.map((f) => [f.ruleId, f.resource])).toEqual([
      ['endpoint-policy-full-access', 'aws_vpc_endpoint.s3'],
      ['bucket-policy-locks-out-admins', 'aws_s3_bucket_policy.reports'],
      ['sourceip-deny-blocks-endpoint', 'aws_s3_bucket_policy.reports'],
    ]);
  });

  it('a Terraform module outside the current directory is scanned with its folder as root', async () => {
    const outside = path.join(tmp, 'tf-outside');
    await mkdir(outside);
    for (const file of ['main.tf', 'variables.tf']) {
      await writeFile(
        path.join(outside, file),
        await readFile(path.join(repo, 'examples/terraform', file), 'utf8'),
      );
    }
    const run = await cli(['scan', outside, '--fail-on', 'never'], {
      cwd: path.join(tmp, 'outside'),
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('../tf-outside/main.tf:42 (aws_s3_bucket_policy.reports)');
  });
});
