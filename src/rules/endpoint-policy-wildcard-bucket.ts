/**
 * An S3 endpoint policy that allows a bucket name pattern (`arn:aws:s3:::logs-*`) without a
 * condition on the bucket's owner: bucket names are global and first come, first served, so
 * anyone can create a matching bucket in their own account and receive data through the
 * endpoint. `*` and `arn:aws:s3:::*` alone are endpoint-policy-full-access's finding.
 * Decided with the evaluator: a request through the endpoint for a bucket that matches the
 * pattern, owned by a foreign account and organisation, must be allowed by the statement and
 * not certainly denied by the policy.
 */
import { FOREIGN_BUCKET_KEYS, PROBE_AT } from './support/foreign-bucket.js';
import { concat, displayValue, type StringPart, type StringValue } from '../core/value.js';
import { evaluateStatement } from '../policy/evaluate.js';
import type { RequestContext, Statement } from '../policy/types.js';
import { AWS_SERVICE_BUCKETS, withRegion } from './data/aws-service-buckets.js';
import { defineRule } from './define-rule.js';
import { endpointRequestKeys, s3EndpointsOf } from './support/endpoint-context.js';
import { arnForRegion, endpointRegion } from './support/endpoint-region.js';
import { statementIdentity } from './support/identity.js';
import { reportAcrossVariants, type VariantFinding } from './support/variants.js';

const PROBE_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:ListBucket'];

/** A stand-in for references while reading the ARN's shape (never in real text). */
const REF_MARK = '\u0000';
const S3_ARN = /^arn:[^:]*:s3:::([^/]*)(\/.*)?$/s;

/**
 * The bucket part of an S3 ARN pattern when it holds a wildcard; undefined for other ARNs,
 * for names without a wildcard, and for `*` alone (every bucket).
 */
export function wildcardBucket(item: StringValue): string | undefined {
  const shape = item.parts.map((p) => (p.kind === 'text' ? p.text : REF_MARK)).join('');
  const bucket = S3_ARN.exec(shape)?.[1];
  if (bucket === undefined || bucket === '*') return undefined;
  return /[*?]/.test(bucket) ? bucket : undefined;
}

/** A concrete resource the pattern matches: each wildcard filled with a letter. */
function instance(item: StringValue): StringValue {
  const parts: StringPart[] = item.parts.map((p) =>
    p.kind === 'text' ? { kind: 'text', text: p.text.replace(/[*?]/g, 'x') } : p,
  );
  return concat(parts, PROBE_AT);
}

/** The AWS-owned bucket ARN whose Region the pattern leaves open, if it is one. */
export function awsOwnedMatch(item: StringValue): string | undefined {
  const [only] = item.parts;
  if (item.parts.length !== 1 || only?.kind !== 'text') return undefined;
  for (const row of AWS_SERVICE_BUCKETS) {
    for (const bucket of row.buckets) {
      if (withRegion(bucket.arn, '*') === only.text) return bucket.arn;
    }
  }
  return undefined;
}

function leaks(statement: Statement, statements: readonly Statement[], request: RequestContext[]) {
  return request.some(
    (r) =>
      evaluateStatement(statement, r, { freeKeys: 'exists' }).applies === true &&
      !statements.some((s) => s.effect === 'Deny' && evaluateStatement(s, r).applies === true),
  );
}

export default defineRule({
  id: 'endpoint-policy-wildcard-bucket',
  title: 'An S3 endpoint policy allows a bucket name pattern that any account can match',
  severity: 'warning',
  docs: {
    description:
      'An S3 endpoint policy that allows a bucket name with a wildcard, without a condition on the bucket owner (aws:ResourceAccount, s3:ResourceAccount, aws:ResourceOrgID, aws:ResourceOrgPaths), lets data reach any bucket of that name in any account: bucket names are global and anyone can create a matching one.',
    source:
      'Amazon S3 User Guide, "Bucket naming rules": names are unique across all accounts in a partition, so a pattern names buckets of other accounts too; IAM User Guide, aws:ResourceAccount.',
  },
  check(ctx) {
    for (const endpoint of s3EndpointsOf(ctx.scope)) {
      const policy = endpoint.policy;
      if (!policy || policy.unresolved) continue;
      const keys = { ...endpointRequestKeys(endpoint), ...FOREIGN_BUCKET_KEYS };
      const region = endpointRegion(endpoint, ctx.scope, ctx.settings);
      reportAcrossVariants(
        policy,
        (variant) => {
          const statements = variant.document.statements;
          const out: VariantFinding[] = [];
          for (const statement of statements) {
            if (statement.effect !== 'Allow' || !statement.resource || statement.resource.negated) {
              continue;
            }
            for (const item of statement.resource.items) {
              if (item.kind !== 'string') continue;
              const bucket = wildcardBucket(item);
              if (bucket === undefined) continue;
              const resource = instance(item);
              const requests = PROBE_ACTIONS.map((action) => ({ action, resource, keys }));
              if (!leaks(statement, statements, requests)) continue;
              const owned = awsOwnedMatch(item);
              const pattern = displayValue(item);
              out.push({
                message: `The policy of S3 endpoint ${endpoint.address} allows the bucket pattern ${pattern} without a condition on the bucket owner: anyone can create a matching bucket in another account and exchange data with it through the endpoint`,
                range: item.range,
                resource: endpoint.address,
                fix: {
                  description: owned
                    ? `This is an AWS-owned bucket name with the Region left open: pin the Region (${arnForRegion(owned, region, endpoint.format)}).`
                    : 'Name the buckets exactly, or add a condition on aws:ResourceAccount (or aws:ResourceOrgID) so that only buckets of your accounts match.',
                },
                identity: [statementIdentity(statement), pattern],
              });
            }
          }
          return out;
        },
        ctx.report,
      );
    }
  },
});
