import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRules } from '../../../src/engine/run-rules.js';
import { loadTerraformPlan, looksLikeTerraformPlan } from '../../../src/iac/terraform/plan.js';
import { policiesOf } from '../../../src/iac/model.js';
import { rules } from '../../../src/rules/index.js';

const file = 'plan/tfplan.json';
const text = readFileSync(path.join(import.meta.dirname, 'fixtures', file), 'utf8');

describe('looksLikeTerraformPlan', () => {
  it('recognises plan JSON, minified or indented', () => {
    expect(looksLikeTerraformPlan(text)).toBe(true);
    expect(looksLikeTerraformPlan(JSON.stringify(JSON.parse(text)))).toBe(true);
  });

  it('rejects CloudFormation JSON, state JSON and other text', () => {
    expect(looksLikeTerraformPlan('{"AWSTemplateFormatVersion": "2010-09-09"}')).toBe(false);
    expect(looksLikeTerraformPlan('{"format_version": "1.0", "values": {}}')).toBe(false);
    expect(looksLikeTerraformPlan('planned_values: {}\nformat_version: 1')).toBe(false);
  });
});

describe('loadTerraformPlan', () => {
  const scope = loadTerraformPlan(file, text);

  it('reads managed resources of the root and child modules, at the line of their address', () => {
    expect(scope.format).toBe('terraform');
    expect(scope.region).toBe('eu-west-1');
    expect(
      scope.resources.map((r) => [r.address, r.kind, r.range.startLine, r.range.startColumn]),
    ).toEqual([
      ['aws_vpc.main', 'vpc', 8, 11],
      ['aws_vpc_endpoint.s3', 'vpc-endpoint', 18, 11],
      ['aws_vpc_endpoint.computed', 'vpc-endpoint', 29, 11],
      ['aws_s3_bucket_policy.reports', 'bucket-policy', 39, 11],
      ['module.iam.aws_iam_policy.read["reports"]', 'iam-policy', 63, 15],
      ['module.iam.aws_iam_role_policy.broken', 'iam-policy', 74, 15],
    ]);
  });

  it('parses JSON-string policies; a policy known only after apply is unresolved, not absent', () => {
    const policies = policiesOf(scope).map(({ resource, policy }) => ({
      address: resource.address,
      unresolved: policy.unresolved,
      statements: policy.variants[0]?.document.statements.length,
      codes: policy.variants[0]?.document.diagnostics.map((d) => d.code),
      name: policy.name,
    }));
    expect(policies).toEqual([
      {
        address: 'aws_vpc_endpoint.s3',
        unresolved: undefined,
        statements: 1,
        codes: [],
        name: undefined,
      },
      {
        address: 'aws_vpc_endpoint.computed',
        unresolved: 'known only after apply',
        statements: undefined,
        codes: undefined,
        name: undefined,
      },
      {
        address: 'aws_s3_bucket_policy.reports',
        unresolved: undefined,
        statements: 1,
        codes: [],
        name: undefined,
      },
      {
        address: 'module.iam.aws_iam_policy.read["reports"]',
        unresolved: undefined,
        statements: 1,
        codes: [],
        name: 'read-reports',
      },
      {
        address: 'module.iam.aws_iam_role_policy.broken',
        unresolved: undefined,
        statements: 0,
        codes: ['bad-json'],
        name: 'broken',
      },
    ]);
    expect(scope.diagnostics.map((d) => [d.kind, d.range.startLine])).toEqual([['unresolved', 29]]);
  });

  it('gives the same findings as the configuration would, at the resources’ lines', () => {
    const findings = runRules(scope, rules)
      .map((f) => `${f.ruleId}:${f.resource}:${f.range.startLine}`)
      .sort();
    expect(findings).toEqual([
      'endpoint-policy-full-access:aws_vpc_endpoint.s3:18',
      'object-action-on-bucket-arn:module.iam.aws_iam_policy.read["reports"]:63',
      'policy-invalid:module.iam.aws_iam_role_policy.broken:74',
      'sourceip-deny-blocks-endpoint:aws_s3_bucket_policy.reports:39',
      'unresolved-policy:aws_vpc_endpoint.computed:29',
    ]);
  });

  it('never throws: unreadable JSON and non-plans become a parse-error', () => {
    expect(loadTerraformPlan(file, '{"planned_values": ').diagnostics[0]?.kind).toBe('parse-error');
    expect(loadTerraformPlan(file, '[]').diagnostics[0]?.message).toMatch(/no planned_values/);
  });
});
