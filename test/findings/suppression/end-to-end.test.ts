/**
 * Suppressions end to end: real template files on disk, loaded by the adapters, checked by every
 * registered rule, then filtered by applySuppressions — as the scan will run them.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRules } from '../../../src/engine/run-rules.js';
import { loadCloudFormation } from '../../../src/iac/cloudformation/index.js';
import type { Scope } from '../../../src/iac/model.js';
import { loadTerraformModule } from '../../../src/iac/terraform/index.js';
import { rules } from '../../../src/rules/index.js';
import type { SuppressionOutcome } from '../../../src/findings/suppression/apply.js';
import { applySuppressions, INVALID_SUPPRESSION } from '../../../src/findings/suppression/apply.js';
import { memorySource } from '../../rules/helpers.js';

const ROOT = 'test/findings/suppression/fixtures';

function read(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

// The fixtures' endpoints have no route tables (they are about policies); that finding would
// only add noise to every expectation here.
const checked = rules.filter((rule) => rule.id !== 'gateway-endpoint-without-route-tables');

function run(scope: Scope, texts: Record<string, string>): SuppressionOutcome {
  const findings = runRules(scope, checked);
  return applySuppressions({
    findings,
    scope,
    texts: new Map(Object.entries(texts)),
    config: [],
    knownRuleIds: rules.map((r) => r.id),
  });
}

async function cloudFormation(file: string): Promise<SuppressionOutcome> {
  const text = read(file);
  const scope = await loadCloudFormation(file, text, memorySource({ [file]: text }));
  return run(scope, { [file]: text });
}

/** `rule resource line` per finding, sorted, for readable expectations. */
function summary(
  findings: readonly {
    ruleId: string;
    resource: string;
    range: { file: string; startLine: number };
  }[],
): string[] {
  return findings
    .map((f) => `${f.ruleId} ${f.resource} ${f.range.file}:${f.range.startLine}`)
    .sort();
}

describe('suppressions end to end', () => {
  it('YAML template: comments above a resource, above a statement and trailing; Metadata', async () => {
    const outcome = await cloudFormation('template.yaml');
    expect(summary(outcome.findings)).toEqual([
      'endpoint-policy-full-access DataEndpoint template.yaml:15',
      // The Metadata entry for unknown-s3-action matches nothing.
      'invalid-suppression BucketPolicy template.yaml:22',
      // The trailing comment has no reason (it still applies).
      'invalid-suppression template.yaml template.yaml:45',
    ]);
    expect(summary(outcome.suppressed.map((s) => s.finding))).toEqual([
      'endpoint-policy-full-access SandboxEndpoint template.yaml:9',
      'sourceip-private-range BucketPolicy template.yaml:37',
      'sourceip-private-range BucketPolicy template.yaml:45',
    ]);
    expect(
      outcome.suppressed
        .map((s) => [s.suppression.source, s.suppression.range?.startLine ?? 0] as const)
        .sort((a, b) => a[1] - b[1]),
    ).toEqual([
      ['inline', 4],
      ['inline', 29],
      ['inline', 45],
    ]);
  });

  it('JSON template: Metadata suppresses, comments do not exist', async () => {
    const outcome = await cloudFormation('template.json');
    expect(summary(outcome.findings)).toEqual([
      'endpoint-policy-full-access DataEndpoint template.json:22',
    ]);
    expect(summary(outcome.suppressed.map((s) => s.finding))).toEqual([
      'endpoint-policy-full-access SandboxEndpoint template.json:15',
    ]);
    expect(outcome.suppressed[0]?.suppression).toMatchObject({
      source: 'metadata',
      reason: 'sandbox VPC holds no data',
    });
  });

  it('Terraform module: // above a resource, /* */ above a policy document statement block', async () => {
    const files = Object.fromEntries(
      readdirSync(join(ROOT, 'tf')).map((name) => [`tf/${name}`, read(`tf/${name}`)]),
    );
    const scope = await loadTerraformModule(
      'tf',
      Object.entries(files).map(([path, text]) => ({ path, text })),
      memorySource(files),
    );
    const outcome = run(scope, files);
    expect(summary(outcome.findings)).toEqual([
      'endpoint-policy-full-access aws_vpc_endpoint.data tf/main.tf:16',
      // The misspelt second id of the block comment.
      'invalid-suppression tf/policy.tf tf/policy.tf:2',
      // The Lab statement has no suppression.
      'sourceip-private-range data.aws_iam_policy_document.bucket tf/policy.tf:29',
    ]);
    expect(summary(outcome.suppressed.map((s) => s.finding))).toEqual([
      'endpoint-policy-full-access aws_vpc_endpoint.sandbox tf/main.tf:8',
      'sourceip-private-range data.aws_iam_policy_document.bucket tf/policy.tf:15',
    ]);
    expect(outcome.suppressed.map((s) => s.suppression.reason).sort()).toEqual([
      'office VPN hands out 10/8 addresses',
      'sandbox VPC holds no data',
    ]);
    expect(INVALID_SUPPRESSION.severity).toBe('notice');
  });
});
