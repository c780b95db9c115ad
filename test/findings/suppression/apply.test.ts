import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/findings/finding.js';
import type { Scope } from '../../../src/iac/model.js';
import { runRules } from '../../../src/engine/run-rules.js';
import { rules } from '../../../src/rules/index.js';
import type {
  CommandIgnore,
  ConfigIgnore,
  SuppressionOutcome,
} from '../../../src/findings/suppression/apply.js';
import {
  applySuppressions,
  INVALID_SUPPRESSION,
  unusedConfigIgnores,
} from '../../../src/findings/suppression/apply.js';
import { scopeFor, scopeForTerraform } from '../../rules/helpers.js';

const M = 's3-endpoint-guard:ignore';
const KNOWN = rules.map((r) => r.id);

interface Run {
  readonly scope: Scope;
  readonly before: Finding[];
  readonly outcome: SuppressionOutcome;
}

function apply(
  scope: Scope,
  texts: Record<string, string>,
  extra: { config?: ConfigIgnore[]; commands?: CommandIgnore[] } = {},
): Run {
  const before = runRules(scope, rules);
  const outcome = applySuppressions({
    findings: before,
    scope,
    texts: new Map(Object.entries(texts)),
    config: extra.config ?? [],
    ...(extra.commands ? { commands: extra.commands } : {}),
    knownRuleIds: KNOWN,
  });
  return { scope, before, outcome };
}

async function cfn(yaml: string, extra: Parameters<typeof apply>[2] = {}): Promise<Run> {
  return apply(await scopeFor(yaml), { 'template.yaml': yaml }, extra);
}

async function tf(main: string, extra: Parameters<typeof apply>[2] = {}): Promise<Run> {
  const files = { 'mod/main.tf': main };
  return apply(await scopeForTerraform(files), files, extra);
}

const lines = (findings: readonly Finding[], ruleId: string): number[] =>
  findings.filter((f) => f.ruleId === ruleId).map((f) => f.range.startLine);

const notices = (run: Run): [string, number][] =>
  run.outcome.findings
    .filter((f) => f.ruleId === INVALID_SUPPRESSION.id)
    .map((f) => [f.message, f.range.startLine]);

const PRIVATE = 'sourceip-private-range';

/** A bucket policy with two statements, each allowing only from a private source range. */
function bucketPolicyYaml(comments: Record<string, string>): string {
  const c = (key: string): string => comments[key] ?? '';
  return [
    "AWSTemplateFormatVersion: '2010-09-09'", // 1
    'Resources:', // 2
    c('resource'), // 3
    '  BucketPolicy:', // 4
    '    Type: AWS::S3::BucketPolicy', // 5
    '    Properties:', // 6
    '      Bucket: data-bucket', // 7
    '      PolicyDocument:', // 8
    "        Version: '2012-10-17'", // 9
    '        Statement:', // 10
    c('first'), // 11
    '          - Sid: First', // 12
    '            Effect: Allow', // 13
    "            Principal: '*'", // 14
    '            Action: s3:GetObject', // 15
    '            Resource: arn:aws:s3:::data-bucket/*', // 16
    '            Condition:', // 17
    '              IpAddress:', // 18
    `                aws:SourceIp: 10.0.0.0/8${c('value')}`, // 19
    '          - Sid: Second', // 20
    '            Effect: Allow', // 21
    "            Principal: '*'", // 22
    '            Action: s3:GetObject', // 23
    '            Resource: arn:aws:s3:::data-bucket/*', // 24
    '            Condition:', // 25
    '              IpAddress:', // 26
    '                aws:SourceIp: 192.168.0.0/16', // 27
    '',
  ].join('\n');
}

describe('inline suppressions in CloudFormation', () => {
  it('without suppressions both statements fire', async () => {
    const run = await cfn(bucketPolicyYaml({}));
    expect(lines(run.outcome.findings, PRIVATE)).toEqual([19, 27]);
    expect(run.outcome.suppressed).toEqual([]);
  });

  it('a comment above the resource suppresses the rule in the whole resource', async () => {
    const run = await cfn(bucketPolicyYaml({ resource: `  # ${M} ${PRIVATE} lab network` }));
    expect(lines(run.outcome.findings, PRIVATE)).toEqual([]);
    expect(run.outcome.suppressed.map((s) => [s.finding.range.startLine, s.suppression])).toEqual([
      [
        19,
        {
          source: 'inline',
          reason: 'lab network',
          range: expect.objectContaining({ startLine: 3 }),
        },
      ],
      [
        27,
        {
          source: 'inline',
          reason: 'lab network',
          range: expect.objectContaining({ startLine: 3 }),
        },
      ],
    ]);
    expect(notices(run)).toEqual([]);
  });

  it('a comment above a statement suppresses only that statement', async () => {
    const run = await cfn(bucketPolicyYaml({ first: `          # ${M} ${PRIVATE} VPN range` }));
    expect(lines(run.outcome.findings, PRIVATE)).toEqual([27]);
    expect(run.outcome.suppressed.map((s) => s.finding.range.startLine)).toEqual([19]);
  });

  it('a trailing comment suppresses the finding on its line', async () => {
    const run = await cfn(bucketPolicyYaml({ value: ` # ${M} ${PRIVATE} VPN range` }));
    expect(lines(run.outcome.findings, PRIVATE)).toEqual([27]);
  });

  it('a comment for another rule suppresses nothing and is reported as unused', async () => {
    const run = await cfn(bucketPolicyYaml({ first: `          # ${M} unknown-s3-action typo` }));
    expect(lines(run.outcome.findings, PRIVATE)).toEqual([19, 27]);
    expect(notices(run)).toEqual([
      [
        'The suppression comment for unknown-s3-action matches no finding; remove it or move it above the resource or statement it is meant for.',
        11,
      ],
    ]);
  });

  it('does not call a suppression unused when its rule did not run', async () => {
    const yaml = bucketPolicyYaml({ first: `          # ${M} unknown-s3-action x` });
    const scope = await scopeFor(yaml);
    const outcome = applySuppressions({
      findings: runRules(
        scope,
        rules.filter((r) => r.id !== 'unknown-s3-action'),
      ),
      scope,
      texts: new Map([['template.yaml', yaml]]),
      config: [],
      knownRuleIds: KNOWN,
      activeRuleIds: KNOWN.filter((id) => id !== 'unknown-s3-action'),
    });
    expect(outcome.findings.filter((f) => f.ruleId === INVALID_SUPPRESSION.id)).toEqual([]);
  });

  it('reports a missing reason but still applies the suppression', async () => {
    const run = await cfn(bucketPolicyYaml({ resource: `  # ${M} ${PRIVATE}` }));
    expect(lines(run.outcome.findings, PRIVATE)).toEqual([]);
    expect(run.outcome.suppressed[0]?.suppression.reason).toBe('');
    const [notice] = run.outcome.findings.filter((f) => f.ruleId === INVALID_SUPPRESSION.id);
    expect(notice).toMatchObject({
      severity: 'notice',
      resource: 'BucketPolicy',
      helpUri: 'docs/suppressions.md',
      range: { file: 'template.yaml', startLine: 3 },
    });
    expect(notice?.message).toContain('gives no reason');
    expect(notice?.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it('reports an unknown rule id with a suggestion, and not also as unused', async () => {
    const run = await cfn(bucketPolicyYaml({ resource: `  # ${M} sourceip-privat-range x` }));
    expect(lines(run.outcome.findings, PRIVATE)).toEqual([19, 27]);
    const found = run.outcome.findings.filter((f) => f.ruleId === INVALID_SUPPRESSION.id);
    expect(found.map((f) => f.message)).toEqual([
      "The suppression comment names the unknown rule 'sourceip-privat-range', so it suppresses nothing.",
    ]);
    expect(found[0]?.fix?.description).toContain(`Did you mean '${PRIVATE}'?`);
  });

  it('reports a marker without a rule id', async () => {
    const run = await cfn(bucketPolicyYaml({ resource: `  # ${M}` }));
    expect(notices(run).map(([m]) => m)).toEqual([
      'The suppression comment names no rule id, so it suppresses nothing.',
    ]);
  });

  it('handles several ids in one comment, each checked on its own', async () => {
    const run = await cfn(
      bucketPolicyYaml({ resource: `  # ${M} ${PRIVATE},endpoint-policy-full-access lab` }),
    );
    expect(lines(run.outcome.findings, PRIVATE)).toEqual([]);
    expect(notices(run).map(([m]) => m)).toEqual([
      'The suppression comment for endpoint-policy-full-access matches no finding of BucketPolicy; remove it or move it above the resource or statement it is meant for.',
    ]);
  });

  it('keeps fingerprints of notices stable when lines move', async () => {
    const a = await cfn(bucketPolicyYaml({ first: `          # ${M} unknown-s3-action x` }));
    const b = await cfn(
      `\n\n${bucketPolicyYaml({ first: `          # ${M} unknown-s3-action x` })}`,
    );
    const print = (run: Run): string[] =>
      run.outcome.findings
        .filter((f) => f.ruleId === INVALID_SUPPRESSION.id)
        .map((f) => f.fingerprint);
    expect(print(a)).toEqual(print(b));
    expect(print(a)).toHaveLength(1);
  });
});

describe('Metadata suppressions', () => {
  const endpoint = (metadata: string): string =>
    [
      "AWSTemplateFormatVersion: '2010-09-09'",
      'Resources:',
      '  S3Endpoint:',
      '    Type: AWS::EC2::VPCEndpoint',
      metadata,
      '    Properties:',
      '      VpcId: vpc-0a1b2c3d',
      '      ServiceName: !Sub com.amazonaws.${AWS::Region}.s3',
      '',
    ].join('\n');

  it('suppresses findings of the named rule on that resource', async () => {
    const bare = await cfn(endpoint(''));
    expect(lines(bare.outcome.findings, 'endpoint-policy-full-access')).toHaveLength(1);
    const run = await cfn(
      endpoint(
        [
          '    Metadata:',
          '      s3-endpoint-guard:',
          '        ignore:',
          '          - rule: endpoint-policy-full-access',
          '            reason: sandbox VPC without data',
        ].join('\n'),
      ),
    );
    expect(lines(run.outcome.findings, 'endpoint-policy-full-access')).toEqual([]);
    expect(run.outcome.suppressed.map((s) => s.suppression)).toEqual([
      {
        source: 'metadata',
        reason: 'sandbox VPC without data',
        range: expect.objectContaining({ startLine: 8 }),
      },
    ]);
    expect(notices(run)).toEqual([]);
  });

  it('reports malformed, unknown and unused entries', async () => {
    const run = await cfn(
      endpoint(
        [
          '    Metadata:', // 5
          '      s3-endpoint-guard:', // 6
          '        ignore:', // 7
          '          - rules: [endpoint-policy-full-access]', // 8
          '            reason: x', // 9
          '          - rule: endpoint-policy-full-acess', // 10
          '            reason: typo', // 11
          '          - rule: sourceip-private-range', // 12
          '            reason: nothing to match', // 13
        ].join('\n'),
      ),
    );
    expect(notices(run)).toEqual([
      ['The suppression Metadata entry names no rule id, so it suppresses nothing.', 8],
      [
        "The suppression Metadata entry names the unknown rule 'endpoint-policy-full-acess', so it suppresses nothing.",
        10,
      ],
      [
        'The suppression Metadata entry for sourceip-private-range matches no finding of S3Endpoint; remove it or move it above the resource or statement it is meant for.',
        12,
      ],
    ]);
    expect(lines(run.outcome.findings, 'endpoint-policy-full-access')).toHaveLength(1);
  });
});

describe('config and command ignores', () => {
  it('matches rule, resource (exact or glob) and path glob', async () => {
    const yaml = bucketPolicyYaml({});
    const exact = await cfn(yaml, {
      config: [{ rule: PRIVATE, resource: 'BucketPolicy', reason: 'lab' }],
    });
    expect(lines(exact.outcome.findings, PRIVATE)).toEqual([]);
    expect(exact.outcome.suppressed[0]?.suppression).toEqual({ source: 'config', reason: 'lab' });
    const glob = await cfn(yaml, {
      config: [{ rule: PRIVATE, resource: 'Bucket*', path: '*.yaml', reason: 'lab' }],
    });
    expect(lines(glob.outcome.findings, PRIVATE)).toEqual([]);
    const otherPath = await cfn(yaml, {
      config: [{ rule: PRIVATE, path: 'prod/*', reason: 'lab' }],
    });
    expect(lines(otherPath.outcome.findings, PRIVATE)).toEqual([19, 27]);
    const otherResource = await cfn(yaml, {
      config: [{ rule: PRIVATE, resource: 'Other', reason: 'lab' }],
    });
    expect(lines(otherResource.outcome.findings, PRIVATE)).toEqual([19, 27]);
    // Config ignores that match nothing are not reported per scope, only once per run.
    expect(notices(otherResource)).toEqual([]);
    expect(unusedConfigIgnores([exact.outcome, otherResource.outcome])).toEqual([
      { rule: PRIVATE, resource: 'Other', reason: 'lab' },
    ]);
    const shared: ConfigIgnore = { rule: PRIVATE, path: 'x/*', reason: 'r' };
    const a = await cfn(yaml, { config: [shared] });
    const b = await cfn(yaml, { config: [{ ...shared }, shared] });
    expect(unusedConfigIgnores([a.outcome, b.outcome])).toHaveLength(2);
  });

  it('matches command ignores on rule and resource, recording who accepted them', async () => {
    const run = await cfn(bucketPolicyYaml({}), {
      commands: [
        { rule: PRIVATE, resource: 'BucketPolicy', reason: 'accepted in review', by: 'octocat' },
        { rule: PRIVATE, resource: 'Other', reason: 'x', by: 'octocat' },
      ],
    });
    expect(lines(run.outcome.findings, PRIVATE)).toEqual([]);
    expect(run.outcome.suppressed[0]?.suppression).toEqual({
      source: 'command',
      reason: 'accepted in review',
      by: 'octocat',
    });
  });

  it('prefers the written suppression and marks the config ignore used too', async () => {
    const config = [{ rule: PRIVATE, reason: 'config' }];
    const run = await cfn(bucketPolicyYaml({ value: ` # ${M} ${PRIVATE} inline` }), { config });
    expect(run.outcome.suppressed.map((s) => s.suppression.reason)).toEqual(['inline', 'config']);
    expect(unusedConfigIgnores([run.outcome])).toEqual([]);
  });
});

describe('inline suppressions in Terraform', () => {
  const endpoint = (above: string, trailing = ''): string => `resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
}
${above}
resource "aws_vpc_endpoint" "s3" {${trailing}
  vpc_id       = aws_vpc.main.id
  service_name = "com.amazonaws.eu-west-1.s3"
}
`;

  it('suppresses with #, // and /* */ above the resource', async () => {
    expect(
      lines((await tf(endpoint(''))).outcome.findings, 'endpoint-policy-full-access'),
    ).toHaveLength(1);
    for (const comment of [
      `# ${M} endpoint-policy-full-access sandbox`,
      `// ${M} endpoint-policy-full-access sandbox`,
      `/*\n ${M} endpoint-policy-full-access sandbox\n*/`,
    ]) {
      const run = await tf(endpoint(comment));
      expect(lines(run.outcome.findings, 'endpoint-policy-full-access')).toEqual([]);
      expect(run.outcome.suppressed).toHaveLength(1);
      expect(notices(run)).toEqual([]);
    }
  });

  it('does not suppress from inside a string', async () => {
    const run = await tf(
      endpoint('', `\n  tags = { Note = "# ${M} endpoint-policy-full-access not a comment" }`),
    );
    expect(lines(run.outcome.findings, 'endpoint-policy-full-access')).toHaveLength(1);
  });

  const documentModule = (above: string): string => `resource "aws_s3_bucket_policy" "data" {
  bucket = "data-bucket"
  policy = data.aws_iam_policy_document.bucket.json
}

data "aws_iam_policy_document" "bucket" {
${above}
  statement {
    sid       = "First"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::data-bucket/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "IpAddress"
      variable = "aws:SourceIp"
      values   = ["10.0.0.0/8"]
    }
  }
  statement {
    sid       = "Second"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::data-bucket/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "IpAddress"
      variable = "aws:SourceIp"
      values   = ["192.168.0.0/16"]
    }
  }
}
`;

  it('suppresses one aws_iam_policy_document statement block from a comment above it', async () => {
    const bare = await tf(documentModule(''));
    expect(bare.outcome.findings.filter((f) => f.ruleId === PRIVATE)).toHaveLength(2);
    const run = await tf(documentModule(`  # ${M} ${PRIVATE} VPN range`));
    const kept = run.outcome.findings.filter((f) => f.ruleId === PRIVATE);
    expect(kept).toHaveLength(1);
    expect(kept[0]?.range.startLine).toBeGreaterThan(22);
    // Findings inside the data source name it (the user is a related location).
    expect(run.outcome.suppressed.map((s) => s.finding.resource)).toEqual([
      'data.aws_iam_policy_document.bucket',
    ]);
    expect(notices(run)).toEqual([]);
  });

  it('suppresses the whole aws_iam_policy_document from a comment above its data block', async () => {
    const main = documentModule('').replace(
      'data "aws_iam_policy_document"',
      `# ${M} ${PRIVATE} VPN ranges\ndata "aws_iam_policy_document"`,
    );
    const run = await tf(main);
    expect(run.outcome.findings.filter((f) => f.ruleId === PRIVATE)).toEqual([]);
    expect(run.outcome.suppressed).toHaveLength(2);
  });

  it('suppresses a statement of a jsonencode policy from a comment above it', async () => {
    const main = `resource "aws_s3_bucket_policy" "data" {
  bucket = "data-bucket"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      # ${M} ${PRIVATE} VPN range
      {
        Effect    = "Allow"
        Principal = "*"
        Action    = "s3:GetObject"
        Resource  = "arn:aws:s3:::data-bucket/*"
        Condition = { IpAddress = { "aws:SourceIp" = "10.0.0.0/8" } }
      },
      {
        Effect    = "Allow"
        Principal = "*"
        Action    = "s3:GetObject"
        Resource  = "arn:aws:s3:::data-bucket/*"
        Condition = { IpAddress = { "aws:SourceIp" = "192.168.0.0/16" } }
      },
    ]
  })
}
`;
    const run = await tf(main);
    expect(lines(run.outcome.findings, PRIVATE)).toEqual([19]);
    expect(run.outcome.suppressed.map((s) => s.finding.range.startLine)).toEqual([12]);
  });

  it('does not read suppressions from a heredoc policy', async () => {
    const main = `resource "aws_s3_bucket_policy" "data" {
  bucket = "data-bucket"
  policy = <<EOF
{"Version": "2012-10-17", "Statement": [{"Sid": "# ${M} ${PRIVATE} x", "Effect": "Allow", "Principal": "*",
  "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data-bucket/*",
  "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]}
EOF
}
`;
    const run = await tf(main);
    expect(run.outcome.findings.filter((f) => f.ruleId === PRIVATE)).toHaveLength(1);
    expect(run.outcome.suppressed).toEqual([]);
  });
});
