/**
 * Modules make a policy optional with `count = enabled ? 1 : 0` on the policy document and read
 * it back through a splat: `one(data.x.y[*].json)`, or the older `join("", data.x.y.*.json)`.
 */
import { describe, expect, it } from 'vitest';
import { loadTerraformModule } from '../../../src/iac/terraform/index.js';
import type { BucketPolicyResource } from '../../../src/iac/model.js';

const doc = `
data "aws_iam_policy_document" "tls" {
  count = var.enabled ? 1 : 0
  statement {
    sid       = "TlsOnly"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::logs/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}
`;

async function bucketPolicy(policyExpression: string, enabled: boolean) {
  const text = `
variable "enabled" {
  default = ${enabled}
}
${doc}
resource "aws_s3_bucket_policy" "p" {
  count  = var.enabled ? 1 : 0
  bucket = "logs"
  policy = ${policyExpression}
}
`;
  const scope = await loadTerraformModule('m', [{ path: 'm/main.tf', text }], {
    readFile: () => Promise.resolve(undefined),
  });
  return scope.resources.find((r): r is BucketPolicyResource => r.kind === 'bucket-policy');
}

describe('optional policy documents read through a splat', () => {
  for (const expression of [
    'one(data.aws_iam_policy_document.tls[*].json)',
    'join("", data.aws_iam_policy_document.tls.*.json)',
  ]) {
    it(`evaluates ${expression}`, async () => {
      const policy = (await bucketPolicy(expression, true))?.policy;
      expect(policy?.unresolved).toBeUndefined();
      const statements = policy?.variants.flatMap((v) => v.document.statements) ?? [];
      expect(statements.map((s) => [s.sid, s.effect, s.range.startLine])).toEqual([
        ['TlsOnly', 'Deny', 8],
      ]);
    });
  }

  it('does not call a policy invalid when the defaults that empty it also leave its resource out', async () => {
    const text = `
variable "rules" {
  default = []
}
variable "enabled" {
  default = false
}
data "aws_iam_policy_document" "p" {
  dynamic "statement" {
    for_each = var.rules
    content {
      actions   = ["s3:GetObject"]
      resources = ["arn:aws:s3:::logs/*"]
    }
  }
}
resource "aws_s3_bucket_policy" "p" {
  count  = var.enabled ? 1 : 0
  bucket = "logs"
  policy = data.aws_iam_policy_document.p.json
}
`;
    const scope = await loadTerraformModule('m', [{ path: 'm/main.tf', text }], {
      readFile: () => Promise.resolve(undefined),
    });
    const policy = scope.resources.find((r) => r.kind === 'bucket-policy');
    expect(policy?.kind === 'bucket-policy' && policy.policy?.unresolved).toBe(
      "policy has no statements under the variables' defaults, which also leave the resource out (var.enabled)",
    );
  });
});
