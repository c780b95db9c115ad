import { describe, expect, it } from 'vitest';
import {
  CONFIG_FILE_NAMES,
  DEFAULT_CONFIG,
  findConfigFile,
  formatConfigProblem,
  parseConfig,
} from '../../src/config/index.js';
import type { Config } from '../../src/config/index.js';
import { rules } from '../../src/rules/index.js';

const FILE = '.github/s3-endpoint-guard.yml';
const ruleIds = rules.map((rule) => rule.id);

function ok(text: string): Config {
  const result = parseConfig(text, FILE, { ruleIds });
  if (!result.ok) throw new Error(result.errors.map(formatConfigProblem).join('\n'));
  return result.config;
}

/** The formatted problems, one string each. */
function errors(text: string): string[] {
  const result = parseConfig(text, FILE, { ruleIds });
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.config)}`);
  return result.errors.map(formatConfigProblem);
}

describe('findConfigFile', () => {
  it('prefers .yml, falls back to .yaml, and joins the root', async () => {
    const has = (names: string[]) => async (rel: string) => names.includes(rel);
    expect(await findConfigFile('/repo', has([...CONFIG_FILE_NAMES]))).toBe(
      '/repo/.github/s3-endpoint-guard.yml',
    );
    expect(await findConfigFile('', has(['.github/s3-endpoint-guard.yaml']))).toBe(
      '.github/s3-endpoint-guard.yaml',
    );
    expect(await findConfigFile('/repo', has([]))).toBeUndefined();
  });
});

describe('formatConfigProblem', () => {
  it('is file:line: key: message, without the line when there is none', () => {
    expect(formatConfigProblem({ file: 'f.yml', line: 3, key: 'block', message: 'm' })).toBe(
      'f.yml:3: block: m',
    );
    expect(formatConfigProblem({ file: 'f.yml', key: '(file)', message: 'm' })).toBe(
      'f.yml: (file): m',
    );
  });
});

describe('defaults', () => {
  it.each(['', '\n', '# only a comment\n# and another\n', '---\n', '~\n'])(
    '%j means the defaults',
    (text) => {
      const result = parseConfig(text, FILE, { ruleIds });
      expect(result).toEqual({ ok: true, config: DEFAULT_CONFIG, warnings: [] });
    },
  );

  it('has the documented default values, frozen', () => {
    expect(DEFAULT_CONFIG).toMatchObject({
      rules: {},
      failOn: 'error',
      block: 'new',
      paths: { include: ['**'], exclude: [] },
      assumeEndpoint: 'auto',
      comments: { max: 20, summary: 'on-findings' },
      onError: 'failure',
      commands: { ignore: { allow: [] } },
    });
    expect(DEFAULT_CONFIG.region).toBeUndefined();
    expect(Object.isFrozen(DEFAULT_CONFIG.paths.include)).toBe(true);
    expect(Object.isFrozen(ok('failOn: warning').paths)).toBe(true);
  });

  it('keys left empty keep their defaults', () => {
    expect(ok('rules:\nendpoints:\npaths:\n')).toEqual(DEFAULT_CONFIG);
  });
});

describe('every key', () => {
  it('rules: on, off, severities, and booleans', () => {
    const config = ok(
      [
        'rules:',
        '  sourceip-private-range: off',
        '  unknown-s3-action: warning',
        '  policy-invalid: notice',
        '  unresolved-policy: error',
        '  endpoint-policy-full-access: on',
        '  object-action-on-bucket-arn: false',
        '  negated-condition-unknown-key: true',
      ].join('\n'),
    );
    expect(config.rules).toEqual({
      'sourceip-private-range': 'off',
      'unknown-s3-action': 'warning',
      'policy-invalid': 'notice',
      'unresolved-policy': 'error',
      'endpoint-policy-full-access': 'on',
      'object-action-on-bucket-arn': 'off',
      'negated-condition-unknown-key': 'on',
    });
  });

  it.each([
    ['failOn', ['error', 'warning', 'notice', 'never']],
    ['block', ['new', 'all']],
    ['assumeEndpoint', ['auto', 'always', 'never']],
    ['onError', ['failure', 'neutral']],
  ] as const)('%s accepts %j', (key, values) => {
    for (const value of values) expect(ok(`${key}: ${value}`)[key]).toBe(value);
  });

  it('paths', () => {
    const config = ok('paths:\n  include: ["infra/**"]\n  exclude: [legacy/, "*.test.yaml"]\n');
    expect(config.paths).toEqual({ include: ['infra/**'], exclude: ['legacy/', '*.test.yaml'] });
    expect(ok('paths:\n  exclude: [legacy/]\n').paths.include).toEqual(['**']);
  });

  it('endpoints, vpcs, services, region', () => {
    const config = ok(
      [
        'endpoints:',
        '  - id: vpce-0a1b2c',
        '    vpc: vpc-0a1b',
        '    region: eu-west-1',
        '  - id: vpce-1234',
        'vpcs:',
        '  - id: vpc-0a1b',
        '    region: us-gov-west-1',
        '    cidrs: [10.0.0.0/16, "2001:db8::/56"]',
        '  - id: vpc-ff',
        'services: [ecr, ssm]',
        'region: cn-north-1',
      ].join('\n'),
    );
    expect(config.endpoints).toEqual([
      { id: 'vpce-0a1b2c', vpc: 'vpc-0a1b', region: 'eu-west-1' },
      { id: 'vpce-1234' },
    ]);
    expect(config.vpcs).toEqual([
      { id: 'vpc-0a1b', region: 'us-gov-west-1', cidrs: ['10.0.0.0/16', '2001:db8::/56'] },
      { id: 'vpc-ff' },
    ]);
    expect(config.services).toEqual(['ecr', 'ssm']);
    expect(config.region).toBe('cn-north-1');
  });

  it('ignore, with the entry line', () => {
    const config = ok(
      [
        'ignore:',
        '  - rule: policy-invalid',
        '    resource: "aws_s3_bucket_policy.*"',
        '    reason: "  generated by a module we do not own  "',
        '  - rule: unknown-s3-action',
        '    path: sandbox/**',
        '    resource: Bucket',
        '    reason: preview actions',
      ].join('\n'),
    );
    expect(config.ignore).toEqual([
      {
        rule: 'policy-invalid',
        resource: 'aws_s3_bucket_policy.*',
        reason: 'generated by a module we do not own',
        line: 2,
      },
      {
        rule: 'unknown-s3-action',
        path: 'sandbox/**',
        resource: 'Bucket',
        reason: 'preview actions',
        line: 5,
      },
    ]);
  });

  it('comments, commands and _extends (GitHub App keys)', () => {
    const config = ok(
      [
        'comments:',
        '  max: 0',
        '  summary: on-findings',
        'commands:',
        '  ignore:',
        '    allow: [octocat, my-org/platform-team]',
        '_extends: .github',
      ].join('\n'),
    );
    expect(config.comments).toEqual({ max: 0, summary: 'on-findings' });
    expect(config.commands.ignore.allow).toEqual(['octocat', 'my-org/platform-team']);
    expect(config).not.toHaveProperty('_extends');
    expect(ok('comments:\n  summary: never\n').comments.max).toBe(20);
  });
});

describe('error messages', () => {
  const allRules = `known rules: ${ruleIds.join(', ')}`;
  const rootKeys =
    'known keys: rules, failOn, block, paths, endpoints, vpcs, services, assumeEndpoint, ' +
    'region, ignore, comments, onError, commands, _extends';

  it.each([
    ['- a\n', [`${FILE}:1: (root): must be a mapping of keys to values (got a list)`]],
    ['just text\n', [`${FILE}:1: (root): must be a mapping of keys to values (got "just text")`]],
    [
      '# intro\nfailOn: erorr\n',
      [`${FILE}:2: failOn: must be one of error, warning, notice, never (got "erorr")`],
    ],
    ['failOn: 3\n', [`${FILE}:1: failOn: must be one of error, warning, notice, never (got 3)`]],
    ['block: [new]\n', [`${FILE}:1: block: must be one of new, all (got a list)`]],
    ['fail_on: never\n', [`${FILE}:1: fail_on: unknown key (did you mean "failOn"?); ${rootKeys}`]],
    ['colour: red\n', [`${FILE}:1: colour: unknown key; ${rootKeys}`]],
    [
      'rules:\n  sourceip-privat-range: off\n',
      [
        `${FILE}:2: rules.sourceip-privat-range: unknown rule "sourceip-privat-range" (did you mean "sourceip-private-range"?); ${allRules}`,
      ],
    ],
    [
      'rules:\n  policy-invalid: disabled\n',
      [
        `${FILE}:2: rules.policy-invalid: must be one of off, on, error, warning, notice (got "disabled")`,
      ],
    ],
    ['rules: [policy-invalid]\n', [`${FILE}:1: rules: must be a mapping (got a list)`]],
    [
      'paths:\n  include: "**"\n  exclude: [legacy/]\n  only: []\n',
      [
        `${FILE}:2: paths.include: must be a list (got "**")`,
        `${FILE}:4: paths.only: unknown key; known keys: include, exclude`,
      ],
    ],
    [
      'paths:\n  include: []\n',
      [`${FILE}:2: paths.include: must list at least one glob (leave it out to scan everything)`],
    ],
    [
      'paths:\n  exclude:\n    - "{a,b"\n    - 7\n',
      [
        `${FILE}:3: paths.exclude[0]: glob has an unbalanced \`{\` or \`}\` (got "{a,b")`,
        `${FILE}:4: paths.exclude[1]: must be text (got 7)`,
      ],
    ],
    [
      'endpoints:\n  - id: vpce-12x\n    vpc: vpc-XYZ\n    region: europe\n  - vpc: vpc-1\n  - vpce-1\n',
      [
        `${FILE}:2: endpoints[0].id: must be an endpoint id like vpce-0a1b2c3d (got "vpce-12x")`,
        `${FILE}:3: endpoints[0].vpc: must be a VPC id like vpc-0a1b2c3d (got "vpc-XYZ")`,
        `${FILE}:4: endpoints[0].region: must be an AWS Region like eu-west-1 (got "europe")`,
        `${FILE}:5: endpoints[1]: must have \`id\``,
        `${FILE}:6: endpoints[2]: must be a mapping (got "vpce-1")`,
      ],
    ],
    [
      'vpcs:\n  - id: vpc-1\n    cidrs: [10.0.0.0/16, 10.0.0.1, 10.0.0.0/33]\n    tags: {}\n',
      [
        `${FILE}:3: vpcs[0].cidrs[1]: must be a CIDR block like 10.0.0.0/16 (got "10.0.0.1")`,
        `${FILE}:3: vpcs[0].cidrs[2]: must be a CIDR block like 10.0.0.0/16 (got "10.0.0.0/33")`,
        `${FILE}:4: vpcs[0].tags: unknown key; known keys: id, region, cidrs`,
      ],
    ],
    [
      'services: [ecr, ssn]\n',
      [
        `${FILE}:1: services[1]: must be one of amazon-linux, appstream, cloudformation, codedeploy, ecr, elastic-beanstalk, emr, opsworks, ssm, workdocs, workspaces (got "ssn") (did you mean "ssm"?)`,
      ],
    ],
    [
      'region: EU-WEST-1\n',
      [`${FILE}:1: region: must be an AWS Region like eu-west-1 (got "EU-WEST-1")`],
    ],
    [
      'ignore:\n  - rule: policy-invalid\n    reason: "  "\n    path: a/**\n  - rule: polcy-invalid\n    resource: X\n  - rule: policy-invalid\n    reason: ok\n',
      [
        `${FILE}:3: ignore[0].reason: must say why the finding is accepted`,
        `${FILE}:5: ignore[1]: must have \`reason\``,
        `${FILE}:5: ignore[1].rule: unknown rule "polcy-invalid" (did you mean "policy-invalid"?); ${allRules}`,
        `${FILE}:7: ignore[2]: must name a resource or a path (or both); to turn a rule off everywhere use \`rules:\``,
      ],
    ],
    ['ignore: {}\n', [`${FILE}:1: ignore: must be a list (got a mapping)`]],
    [
      'comments:\n  max: 500\n  summary: sometimes\n',
      [
        `${FILE}:2: comments.max: must be a whole number from 0 to 100 (got 500)`,
        `${FILE}:3: comments.summary: must be one of always, on-findings, never (got "sometimes")`,
      ],
    ],
    [
      'comments:\n  max: 2.5\n',
      [`${FILE}:2: comments.max: must be a whole number from 0 to 100 (got 2.5)`],
    ],
    ['onError: ignore\n', [`${FILE}:1: onError: must be one of failure, neutral (got "ignore")`]],
    [
      'commands:\n  ignore:\n    allow: ["bad user"]\n    deny: []\n',
      [
        `${FILE}:3: commands.ignore.allow[0]: must be a GitHub user (octocat) or team (my-org/my-team) (got "bad user")`,
        `${FILE}:4: commands.ignore.deny: unknown key; known keys: allow`,
      ],
    ],
    ['? [a]\n: 1\n', [`${FILE}:1: (root): keys must be plain names (got a list)`]],
    [
      'failOn: error\nfailOn: never\n',
      [`${FILE}:2: failOn: is given more than once (first on line 1)`],
    ],
    [
      'rules:\n  policy-invalid: off\n  policy-invalid: on\n',
      [`${FILE}:3: rules.policy-invalid: is given more than once (first on line 2)`],
    ],
    ['rules: {\n', [expect.stringMatching(new RegExp(`^${FILE}:\\d+: \\(yaml\\): `))]],
    [
      '---\nfailOn: error\n---\nfailOn: never\n',
      [expect.stringMatching(new RegExp(`^${FILE}:3: \\(yaml\\): .*multiple documents`))],
    ],
  ])('%j', (text, expected) => {
    expect(errors(text)).toEqual(expected);
  });

  it('reports every problem at once, in file order per key', () => {
    expect(errors('failOn: x\nblock: y\nregion: z\n')).toHaveLength(3);
  });

  it('warns on duplicated list entries but still returns the config', () => {
    const result = parseConfig('services: [ecr, ecr]\n', FILE, { ruleIds });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.warnings.map(formatConfigProblem)).toEqual([
        `${FILE}:1: services: lists "ecr" more than once`,
      ]);
    }
  });

  it('resolves anchors and aliases within the limit', () => {
    const config = ok('region: &r eu-west-1\nvpcs:\n  - id: vpc-1\n    region: *r\n');
    expect(config.vpcs).toEqual([{ id: 'vpc-1', region: 'eu-west-1' }]);
  });
});

describe('hostile input', () => {
  it('rejects files over 256 KB before parsing', () => {
    const text = `# ${'x'.repeat(256 * 1024)}\n`;
    expect(errors(text)).toEqual([
      `${FILE}: (file): is larger than 256 KB; a configuration is never that big`,
    ]);
  });

  it('rejects an alias bomb ("billion laughs")', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      lines.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    const started = performance.now();
    expect(errors(lines.join('\n'))).toEqual([
      `${FILE}: (yaml): cannot be read: Excessive alias count indicates a resource exhaustion attack`,
    ]);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it.each([
    ['flow sequences', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['flow mappings', `${'{a: '.repeat(50_000)}1${'}'.repeat(50_000)}`],
  ])('rejects deep nesting of %s without crashing', (_name, text) => {
    const problems = errors(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/\(yaml\): /);
  });

  it('handles deep block nesting that fits the size limit', () => {
    const lines: string[] = [];
    for (let depth = 0; depth < 300; depth++) lines.push(`${' '.repeat(depth)}k${depth}:`);
    const problems = errors(lines.join('\n'));
    expect(problems[0]).toBe(
      `${FILE}:1: k0: unknown key; known keys: rules, failOn, block, paths, endpoints, vpcs, services, assumeEndpoint, region, ignore, comments, onError, commands, _extends`,
    );
  });

  it('does not let a huge list of keys or values take long', () => {
    const text = Array.from({ length: 5000 }, (_, index) => `key${index}: value`).join('\n');
    const started = performance.now();
    const problems = errors(text);
    expect(problems).toHaveLength(101);
    expect(problems[100]).toBe(`${FILE}: (file): 4900 more problems not shown`);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('quotes odd keys and values so a problem stays on one line', () => {
    expect(errors('"fail\\nOn": x\nregion: "a\\nb"\n')).toEqual([
      `${FILE}:1: "fail\\nOn": unknown key (did you mean "failOn"?); known keys: rules, failOn, block, paths, endpoints, vpcs, services, assumeEndpoint, region, ignore, comments, onError, commands, _extends`,
      `${FILE}:2: region: must be an AWS Region like eu-west-1 (got "a\\nb")`,
    ]);
  });

  it('does not treat __proto__ specially', () => {
    expect(errors('rules:\n  __proto__: off\n')[0]).toMatch(/rules.__proto__: unknown rule/);
    expect(ok('').rules).toEqual({});
  });
});
