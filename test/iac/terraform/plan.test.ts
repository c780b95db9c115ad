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
    // Marked as a plan: values it leaves out are computed at apply time, not unset.
    expect(scope.plan).toBe(true);
    expect(scope.region).toBe('eu-west-1');
    expect(
      scope.resources.map((r) => [r.address, r.kind, r.range.startLine, r.range.startColumn]),
    ).toEqual([
      ['aws_vpc.main', 'vpc', 8, 11],
      ['aws_vpc_endpoint.s3', 'vpc-endpoint', 18, 11],
      ['aws_vpc_endpoint.computed', 'vpc-endpoint', 29, 11],
      ['aws_vpc_endpoint.default', 'vpc-endpoint', 39, 11],
      ['aws_vpc_endpoint.separate', 'vpc-endpoint', 49, 11],
      ['aws_vpc_endpoint_policy.separate', 'other', 59, 11],
      ['aws_vpc_endpoint_route_table_association.separate', 'other', 68, 11],
      ['aws_s3_bucket_policy.reports', 'bucket-policy', 77, 11],
      ['module.iam.aws_iam_policy.read["reports"]', 'iam-policy', 101, 15],
      ['module.iam.aws_iam_role_policy.broken', 'iam-policy', 112, 15],
      ['module.iam.aws_vpc_endpoint.this["s3"]', 'vpc-endpoint', 122, 15],
    ]);
  });

  it('parses JSON-string policies; a computed policy is unresolved unless the configuration leaves it unset', () => {
    const policies = policiesOf(scope).map(({ resource, policy }) => [
      resource.address,
      policy.range.startLine,
      policy.unresolved ??
        policy.variants.map(
          (v) =>
            `${v.document.statements.length} statements ${v.document.diagnostics.map((d) => d.code).join(',')}`,
        ),
      policy.name,
    ]);
    expect(policies).toEqual([
      ['aws_vpc_endpoint.s3', 18, ['1 statements '], undefined],
      // Set in the configuration from a value known only at apply time.
      ['aws_vpc_endpoint.computed', 29, 'known only after apply', undefined],
      // The separate aws_vpc_endpoint_policy, read at its own address.
      ['aws_vpc_endpoint.separate', 59, ['1 statements '], undefined],
      ['aws_s3_bucket_policy.reports', 77, ['1 statements '], undefined],
      ['module.iam.aws_iam_policy.read["reports"]', 101, ['1 statements '], 'read-reports'],
      ['module.iam.aws_iam_role_policy.broken', 112, ['0 statements bad-json'], 'broken'],
    ]);
    expect(scope.diagnostics.map((d) => [d.kind, d.range.startLine])).toEqual([['unresolved', 29]]);
  });

  it('adds route tables of separate associations to their endpoint', () => {
    const separate = scope.resources.find((r) => r.address === 'aws_vpc_endpoint.separate');
    expect(separate?.kind === 'vpc-endpoint' ? separate.routeTableIds : undefined).toMatchObject({
      kind: 'list',
      items: [{ kind: 'string', parts: [{ kind: 'text', text: 'rtb-0123456789abcdef0' }] }],
    });
  });

  it('gives the same findings as the configuration would, at the resources’ lines', () => {
    const findings = runRules(scope, rules)
      .map((f) => `${f.ruleId}:${f.resource}:${f.range.startLine}`)
      .sort();
    expect(findings).toEqual([
      'bucket-policy-locks-out-admins:aws_s3_bucket_policy.reports:77',
      'endpoint-policy-full-access:aws_vpc_endpoint.default:39',
      'endpoint-policy-full-access:aws_vpc_endpoint.s3:18',
      'endpoint-policy-full-access:module.iam.aws_vpc_endpoint.this["s3"]:122',
      'object-action-on-bucket-arn:module.iam.aws_iam_policy.read["reports"]:101',
      'policy-invalid:module.iam.aws_iam_role_policy.broken:112',
      'sourceip-deny-blocks-endpoint:aws_s3_bucket_policy.reports:77',
      'unresolved-policy:aws_vpc_endpoint.computed:29',
    ]);
  });

  it('an aws_vpc_endpoint_policy tied to no endpoint leaves every computed endpoint policy unknown', () => {
    const plan = JSON.parse(text) as {
      configuration: { root_module: { resources: { address: string; expressions: object }[] } };
    };
    for (const resource of plan.configuration.root_module.resources) {
      if (resource.address === 'aws_vpc_endpoint_policy.separate')
        resource.expressions = { vpc_endpoint_id: { references: ['var.endpoint_id'] } };
    }
    const other = loadTerraformPlan(file, JSON.stringify(plan));
    const policy = (address: string) =>
      policiesOf(other).find((p) => p.resource.address === address)?.policy.unresolved;
    expect(policy('aws_vpc_endpoint.default')).toBe('known only after apply');
    expect(policy('aws_vpc_endpoint.separate')).toBe('known only after apply');
  });

  it('never throws: unreadable JSON and non-plans become a parse-error', () => {
    expect(loadTerraformPlan(file, '{"planned_values": ').diagnostics[0]?.kind).toBe('parse-error');
    expect(loadTerraformPlan(file, '[]').diagnostics[0]?.message).toMatch(/no planned_values/);
  });
});
