import { describe, expect, it } from 'vitest';
import { lineRange } from '../../src/core/range.js';
import { runRules } from '../../src/engine/run-rules.js';
import { fingerprint } from '../../src/findings/fingerprint.js';
import type { Scope } from '../../src/iac/model.js';
import { defineRule } from '../../src/rules/define-rule.js';
import negatedConditionUnknownKey from '../../src/rules/negated-condition-unknown-key.js';
import { findingsForTerraform } from '../rules/helpers.js';
import { tfBucketPolicy, tfDenyDocument, tfModule } from '../rules/terraform-templates.js';

const scope: Scope = {
  id: 'stacks/app.yaml',
  format: 'cloudformation',
  files: ['stacks/app.yaml'],
  resources: [],
  diagnostics: [],
};

const reporting = defineRule({
  id: 'test-reporting',
  title: 'reports twice',
  severity: 'warning',
  docs: { description: 'test', source: 'test' },
  check(ctx) {
    ctx.report({
      message: 'first',
      range: lineRange('stacks/app.yaml', 4),
      resource: 'Bucket',
      identity: ['sid:A'],
    });
    ctx.report({
      message: 'second',
      range: lineRange('stacks/app.yaml', 9),
      resource: 'Bucket',
      severity: 'error',
      related: [{ range: lineRange('stacks/app.yaml', 2), resource: 'E', message: 'endpoint' }],
      fix: { description: 'do it' },
      identity: ['sid:B'],
    });
  },
});

const throwing = defineRule({
  id: 'test-throwing',
  title: 'crashes after reporting',
  severity: 'notice',
  docs: { description: 'test', source: 'test' },
  check(ctx) {
    ctx.report({
      message: 'partial',
      range: lineRange('stacks/app.yaml', 1),
      resource: 'X',
      identity: [],
    });
    throw new Error('boom');
  },
});

describe('runRules', () => {
  it('completes findings with rule id, severity default, helpUri, related and fingerprint', () => {
    const [first, second, ...rest] = runRules(scope, [reporting]);
    expect(rest).toEqual([]);
    expect(first).toEqual({
      ruleId: 'test-reporting',
      severity: 'warning',
      message: 'first',
      range: lineRange('stacks/app.yaml', 4),
      resource: 'Bucket',
      related: [],
      fingerprint: fingerprint('test-reporting', 'stacks/app.yaml', 'Bucket', ['sid:A']),
      helpUri: 'docs/rules/test-reporting.md',
    });
    expect(second?.severity).toBe('error');
    expect(second?.related).toHaveLength(1);
    expect(second?.fix).toEqual({ description: 'do it' });
  });

  it('does not depend on line numbers for the fingerprint', () => {
    const moved = defineRule({
      ...reporting,
      check(ctx) {
        ctx.report({
          message: 'first',
          range: lineRange('stacks/app.yaml', 40),
          resource: 'Bucket',
          identity: ['sid:A'],
        });
      },
    });
    expect(runRules(scope, [moved])[0]?.fingerprint).toBe(
      runRules(scope, [reporting])[0]?.fingerprint,
    );
  });

  it('turns a crashing rule into one error finding of that rule and keeps running the others', () => {
    const findings = runRules(scope, [throwing, reporting]);
    expect(findings.map((f) => [f.ruleId, f.severity, f.range.startLine])).toEqual([
      ['test-throwing', 'error', 1],
      ['test-reporting', 'warning', 4],
      ['test-reporting', 'error', 9],
    ]);
    const crash = findings[0];
    expect(crash?.message).toContain('internal error in rule test-throwing');
    expect(crash?.message).toContain('boom');
    expect(crash?.resource).toBe('stacks/app.yaml');
    expect(crash?.range.file).toBe('stacks/app.yaml');
  });
});

describe('findings inside an aws_iam_policy_document', () => {
  it('name the data source, with each using resource related, once for all users', async () => {
    const files = tfModule(
      tfBucketPolicy('data.aws_iam_policy_document.bucket.json', 'first'),
      tfBucketPolicy('data.aws_iam_policy_document.bucket.json', 'second'),
      tfDenyDocument(`
    condition {
      test     = "StringNotEquals"
      variable = "aws:SourceVpceId"
      values   = ["vpce-0123456789abcdef0"]
    }
`),
    );
    const findings = await findingsForTerraform(negatedConditionUnknownKey, files);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.resource).toBe('data.aws_iam_policy_document.bucket');
    expect(findings[0]?.related.map((r) => r.resource).sort()).toEqual([
      'aws_s3_bucket_policy.first',
      'aws_s3_bucket_policy.second',
    ]);
  });
});
