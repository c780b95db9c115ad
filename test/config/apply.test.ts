import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONFIG,
  configIgnoreFor,
  configuredRules,
  describeConfig,
  effectiveSeverity,
  formatConfigProblem,
  isBlocking,
  parseConfig,
  pathSelected,
  ruleSettingsOf,
} from '../../src/config/index.js';
import type { Config } from '../../src/config/index.js';
import type { Finding, FindingStatus, Severity } from '../../src/findings/finding.js';
import { DEFAULT_RULE_SETTINGS } from '../../src/rules/settings.js';
import { rules } from '../../src/rules/index.js';

const ruleIds = rules.map((rule) => rule.id);

function config(text: string): Config {
  const result = parseConfig(text, 'c.yml', { ruleIds });
  if (!result.ok) throw new Error(result.errors.map(formatConfigProblem).join('\n'));
  return result.config;
}

function finding(
  ruleId: string,
  severity: Severity,
  status?: FindingStatus,
  where: { file?: string; resource?: string } = {},
): Finding {
  return {
    ...(status === undefined ? {} : { status }),
    ruleId,
    severity,
    message: 'm',
    range: {
      file: where.file ?? 'infra/main.yaml',
      startLine: 1,
      startColumn: 1,
      endLine: 1,
      endColumn: 1,
    },
    resource: where.resource ?? 'Bucket',
    related: [],
    fingerprint: 'f',
    helpUri: `docs/rules/${ruleId}.md`,
  };
}

describe('ruleSettingsOf', () => {
  it('is the default rule settings for the default config', () => {
    expect(ruleSettingsOf(DEFAULT_CONFIG)).toEqual(DEFAULT_RULE_SETTINGS);
  });

  it('carries endpoints, vpcs, services, assumeEndpoint and region', () => {
    const settings = ruleSettingsOf(
      config(
        'endpoints: [{id: vpce-1, vpc: vpc-2}]\nvpcs: [{id: vpc-2, cidrs: [10.0.0.0/8]}]\n' +
          'services: [ecr]\nassumeEndpoint: never\nregion: eu-west-1\n',
      ),
    );
    expect(settings).toEqual({
      endpoints: [{ id: 'vpce-1', vpc: 'vpc-2' }],
      vpcs: [{ id: 'vpc-2', cidrs: ['10.0.0.0/8'] }],
      services: ['ecr'],
      assumeEndpoint: 'never',
      region: 'eu-west-1',
    });
  });
});

describe('configuredRules', () => {
  const all = [
    { id: 'a', severity: 'error' as Severity, check: () => undefined },
    { id: 'b', severity: 'warning' as Severity, check: () => undefined },
    { id: 'c', severity: 'notice' as Severity, check: () => undefined },
  ];
  const custom = (rules: Config['rules']): Config => ({ ...DEFAULT_CONFIG, rules });

  it('keeps every rule, unchanged, by default', () => {
    const selected = configuredRules(all, DEFAULT_CONFIG);
    expect(selected).toHaveLength(3);
    selected.forEach((rule, index) => expect(rule).toBe(all[index]));
  });

  it('drops rules turned off and applies severity overrides, keeping order and methods', () => {
    const selected = configuredRules(all, custom({ a: 'off', b: 'error', c: 'on' }));
    expect(selected.map((rule) => [rule.id, rule.severity])).toEqual([
      ['b', 'error'],
      ['c', 'notice'],
    ]);
    expect(selected[0]?.check).toBe(all[1]?.check);
    expect(all[1]?.severity).toBe('warning'); // the registry is not modified
  });

  it('works on the real registry', () => {
    const selected = configuredRules(rules, config('rules:\n  policy-invalid: off\n'));
    expect(selected.map((rule) => rule.id)).toEqual(
      ruleIds.filter((id) => id !== 'policy-invalid'),
    );
  });
});

describe('effectiveSeverity', () => {
  it("keeps the finding's own severity without an override", () => {
    expect(effectiveSeverity(finding('policy-invalid', 'warning'), DEFAULT_CONFIG)).toBe('warning');
    const on = config('rules:\n  policy-invalid: on\n');
    expect(effectiveSeverity(finding('policy-invalid', 'warning'), on)).toBe('warning');
  });

  it('lets an explicit override win over a per-finding downgrade', () => {
    const raised = config('rules:\n  policy-invalid: error\n');
    expect(effectiveSeverity(finding('policy-invalid', 'warning'), raised)).toBe('error');
    const lowered = config('rules:\n  policy-invalid: notice\n');
    expect(effectiveSeverity(finding('policy-invalid', 'error'), lowered)).toBe('notice');
  });
});

describe('isBlocking', () => {
  it.each([
    // failOn, block, severity, status, blocking
    ['error', 'new', 'error', undefined, true], // no base: counts as new
    ['error', 'new', 'error', 'new', true],
    ['error', 'new', 'error', 'existing', false],
    ['error', 'all', 'error', 'existing', true],
    ['error', 'new', 'warning', 'new', false],
    ['warning', 'new', 'warning', 'new', true],
    ['warning', 'new', 'notice', 'new', false],
    ['notice', 'new', 'notice', undefined, true],
    ['never', 'all', 'error', 'new', false],
  ] as const)('failOn %s, block %s: %s %s → %s', (failOn, block, severity, status, blocking) => {
    const settings: Config = { ...DEFAULT_CONFIG, failOn, block };
    expect(isBlocking(finding('policy-invalid', severity, status), settings)).toBe(blocking);
  });

  it('uses the effective severity', () => {
    const lowered = config('rules:\n  policy-invalid: warning\n');
    expect(isBlocking(finding('policy-invalid', 'error'), lowered)).toBe(false);
  });
});

describe('pathSelected', () => {
  it('selects everything by default', () => {
    expect(pathSelected(DEFAULT_CONFIG, 'a/b/c.yaml')).toBe(true);
    expect(pathSelected(DEFAULT_CONFIG, 'main.tf')).toBe(true);
  });

  it('needs an include match and no exclude match', () => {
    const paths = config(
      'paths:\n  include: ["infra/**", "*.tf"]\n  exclude: [infra/legacy/, "**/*.test.yaml"]\n',
    );
    expect(pathSelected(paths, 'infra/app.yaml')).toBe(true);
    expect(pathSelected(paths, './infra/app.yaml')).toBe(true);
    expect(pathSelected(paths, 'modules/x/main.tf')).toBe(true);
    expect(pathSelected(paths, 'infra/legacy/old.yaml')).toBe(false);
    expect(pathSelected(paths, 'infra/app.test.yaml')).toBe(false);
    expect(pathSelected(paths, 'docs/app.yaml')).toBe(false);
  });
});

describe('configIgnoreFor', () => {
  const ignores = config(
    [
      'ignore:',
      '  - rule: policy-invalid',
      '    resource: "aws_s3_bucket_policy.*"',
      '    reason: generated',
      '  - rule: unknown-s3-action',
      '    path: sandbox/**',
      '    reason: preview',
      '  - rule: sourceip-private-range',
      '    path: "*.json"',
      '    resource: Bucket',
      '    reason: both',
      '  - rule: unresolved-policy',
      '    path: x',
      '    resource: a/b',
      '    reason: literal',
    ].join('\n'),
  );

  it('matches rule and resource glob', () => {
    const hit = finding('policy-invalid', 'error', undefined, {
      resource: 'aws_s3_bucket_policy.this',
    });
    expect(configIgnoreFor(hit, ignores)?.reason).toBe('generated');
    const other = finding('policy-invalid', 'error', undefined, { resource: 'aws_iam_role.r' });
    expect(configIgnoreFor(other, ignores)).toBeUndefined();
    const otherRule = finding('unresolved-policy', 'error', undefined, {
      resource: 'aws_s3_bucket_policy.this',
    });
    expect(configIgnoreFor(otherRule, ignores)).toBeUndefined();
  });

  it('matches a path glob, and needs both when both are given', () => {
    const inSandbox = finding('unknown-s3-action', 'error', undefined, { file: 'sandbox/a.yaml' });
    expect(configIgnoreFor(inSandbox, ignores)?.line).toBe(5);
    const both = finding('sourceip-private-range', 'error', undefined, { file: 'x/t.json' });
    expect(configIgnoreFor(both, ignores)?.reason).toBe('both');
    const wrongPath = finding('sourceip-private-range', 'error', undefined, { file: 't.yaml' });
    expect(configIgnoreFor(wrongPath, ignores)).toBeUndefined();
  });

  it('compares resources with slashes literally', () => {
    const slash = finding('unresolved-policy', 'error', undefined, { file: 'x', resource: 'a/b' });
    expect(configIgnoreFor(slash, ignores)?.reason).toBe('literal');
  });
});

describe('describeConfig', () => {
  it('is empty for the defaults', () => {
    expect(describeConfig(DEFAULT_CONFIG)).toEqual([]);
  });

  it('lists the keys that differ from the defaults', () => {
    const described = describeConfig(
      config(
        [
          'rules: {policy-invalid: off, unknown-s3-action: warning, unresolved-policy: on}',
          'failOn: warning',
          'block: all',
          'paths: {include: [infra/**], exclude: [legacy/]}',
          'endpoints: [{id: vpce-1, vpc: vpc-2, region: eu-west-1}, {id: vpce-3}]',
          'vpcs: [{id: vpc-2, cidrs: [10.0.0.0/16]}]',
          'services: [ecr, ssm]',
          'assumeEndpoint: always',
          'region: eu-west-1',
          'ignore: [{rule: policy-invalid, resource: R, path: p/**, reason: why}]',
          'comments: {max: 5, summary: never}',
          'onError: neutral',
          'commands: {ignore: {allow: [octocat]}}',
        ].join('\n'),
      ),
    );
    expect(described).toEqual([
      'rules: policy-invalid off, unknown-s3-action warning',
      'failOn: warning',
      'block: all',
      'paths.include: infra/**',
      'paths.exclude: legacy/',
      'endpoints: vpce-1 (vpc-2, eu-west-1), vpce-3',
      'vpcs: vpc-2 (10.0.0.0/16)',
      'services: ecr, ssm',
      'assumeEndpoint: always',
      'region: eu-west-1',
      'ignore: policy-invalid at resource R, path p/** (why)',
      'comments.max: 5',
      'comments.summary: never',
      'onError: neutral',
      'commands.ignore.allow: octocat',
    ]);
  });
});
