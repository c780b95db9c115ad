/**
 * A bucket policy that denies everyone the policy-management actions (`s3:*`, or
 * `s3:GetBucketPolicy` / `s3:PutBucketPolicy` / `s3:DeleteBucketPolicy`) unless the request
 * comes through an endpoint, a VPC or an IP range also denies the administrators and the
 * deployment pipeline, which work from outside that network (console, CI/CD, CloudFormation):
 * only the account's root user can then read, change or delete the policy.
 *
 * Decided with the evaluator: a request from the internet (a public source IP outside every
 * range the statement lists, no VPC keys) by a caller whose principal keys are free. Any
 * condition on the principal (aws:PrincipalArn, aws:userid, aws:PrincipalTag…) or a
 * NotPrincipal makes the outcome unknown, which is an exemption: silent.
 */
import { literalString } from '../core/value.js';
import { evaluateStatement } from '../policy/evaluate.js';
import { parseIp } from '../policy/ip.js';
import { ipMatches } from '../policy/ip.js';
import type { Statement } from '../policy/types.js';
import { defineRule } from './define-rule.js';
import {
  bucketArn,
  bucketNameAssumptions,
  bucketPoliciesOf,
  withBucketArnsExpanded,
} from './support/bucket-arn.js';
import { ENDPOINT_ONLY_KEYS, internetRequestKeys, requestOf } from './support/endpoint-context.js';
import { policyIdentity, statementIdentity } from './support/identity.js';
import { describePolicyOwner, describeStatement } from './support/policy-targets.js';
import { statementRange } from './support/ranges.js';
import { reportAcrossVariants, type VariantFinding } from './support/variants.js';

const POLICY_ACTIONS = ['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy'];

/** Keys that tie a request to a network: a statement without one is not "unless from X". */
const NETWORK_KEYS = new Set<string>([...ENDPOINT_ONLY_KEYS, 'aws:sourceip']);

/** Public addresses (AWS, CDN and resolver ranges) to try as "somewhere on the internet". */
const PUBLIC_CANDIDATES = [
  '52.94.76.10',
  '3.5.140.2',
  '151.101.1.69',
  '8.8.4.4',
  '1.0.0.1',
  '2a00:1450:4001:80b::200e',
];

/**
 * A public source address outside every `aws:SourceIp` value of the statement, or undefined
 * when a value is not a literal (then "outside the network" cannot be told).
 */
function addressOutside(statement: Statement): string | undefined {
  const ranges: string[] = [];
  for (const clause of statement.conditions) {
    if (clause.keyLower !== 'aws:sourceip') continue;
    for (const value of clause.values) {
      const literal = literalString(value);
      if (literal === undefined) return undefined;
      ranges.push(literal);
    }
  }
  return PUBLIC_CANDIDATES.find(
    (ip) => parseIp(ip) !== undefined && !ranges.some((range) => ipMatches(range, ip)),
  );
}

export default defineRule({
  id: 'bucket-policy-locks-out-admins',
  title: 'A network-restricting Deny in a bucket policy also locks out administrators',
  severity: 'warning',
  docs: {
    description:
      'A bucket policy that denies every principal the bucket-policy actions unless the request comes through an endpoint, VPC or IP range, with no exemption for an admin or deployment principal, leaves only the root user able to read or change the policy from outside that network.',
    source:
      'Amazon VPC User Guide, "Gateway endpoints for Amazon S3" (the warning that a bucket policy restricted to an endpoint can lock out access from the console); Amazon S3 User Guide, bucket policies that deny everyone.',
  },
  check(ctx) {
    const assume = bucketNameAssumptions(ctx.scope);
    for (const { resource, policy, bucket } of bucketPoliciesOf(ctx.scope)) {
      if (!bucket) continue;
      const target = bucketArn(bucket);
      const owner = describePolicyOwner(resource, policy);
      reportAcrossVariants(
        policy,
        (variant) => {
          const found: VariantFinding[] = [];
          for (const written of variant.document.statements) {
            if (written.effect !== 'Deny') continue;
            if (!written.conditions.some((c) => NETWORK_KEYS.has(c.keyLower))) continue;
            const ip = addressOutside(written);
            if (ip === undefined) continue;
            const statement = withBucketArnsExpanded(written, ctx.scope);
            const keys = internetRequestKeys(ip);
            const denied = POLICY_ACTIONS.filter(
              (action) =>
                evaluateStatement(statement, requestOf(keys, action, target), { assume })
                  .applies === true,
            );
            if (denied.length === 0) continue;
            found.push({
              message: `The ${owner} denies ${denied.join(', ')} to every principal outside its network in ${describeStatement(written)}, with no exemption for an administrator or deployment role: from the console, CI/CD or CloudFormation only the root user can manage the policy any more`,
              range: statementRange(written),
              resource: resource.address,
              fix: {
                description:
                  'Exempt the admin or deployment role in the same statement, e.g. ArnNotLike: { aws:PrincipalArn: arn:aws:iam::111122223333:role/Admin }, or exclude the policy actions with NotAction (s3:GetBucketPolicy, s3:PutBucketPolicy, s3:DeleteBucketPolicy).',
              },
              identity: [...policyIdentity(policy), statementIdentity(written)],
            });
          }
          return found;
        },
        ctx.report,
      );
    }
  },
});
