/**
 * An S3 endpoint whose policy lets data go to any bucket: with no policy the default one
 * allows any principal of any account to use any bucket, in any account; a policy that allows
 * reads or writes on every bucket without pinning the bucket's owner does the same. Decided by
 * asking the endpoint policy about a request for an object in a bucket no sane pattern names,
 * owned by a foreign account and organisation.
 */
import {
  FOREIGN_ACCOUNT,
  FOREIGN_BUCKET_KEYS,
  FOREIGN_ORG,
  FOREIGN_ORG_PATH,
  PROBE_AT,
  probeLiteral,
} from './support/foreign-bucket.js';
import { text } from '../core/value.js';
import type { VpcEndpointResource } from '../iac/model.js';
import { evaluateStatement } from '../policy/evaluate.js';
import type { ContextValue, RequestContext, Statement } from '../policy/types.js';
import { defineRule } from './define-rule.js';
import { endpointRequestKeys, s3EndpointsOf } from './support/endpoint-context.js';
import { statementIdentity } from './support/identity.js';
import { statementRange } from './support/ranges.js';
import { describeStatement } from './support/policy-targets.js';
import { reportAcrossVariants, type VariantFinding } from './support/variants.js';

/** A bucket name nobody's pattern names except by matching every bucket. */
export const PROBE_OBJECT_ARN = 'arn:aws:s3:::s3-endpoint-guard-probe-q7x2k9w4v1/key';
const FOREIGN_PRINCIPAL = `arn:aws:iam::${FOREIGN_ACCOUNT}:role/s3-endpoint-guard-probe`;
const PROBE_ACTIONS = ['s3:GetObject', 's3:PutObject'];

/** The caller's keys for a principal of that foreign account. */
const FOREIGN_PRINCIPAL_KEYS: Readonly<Record<string, ContextValue>> = {
  'aws:principalaccount': probeLiteral(FOREIGN_ACCOUNT),
  'aws:principalarn': probeLiteral(FOREIGN_PRINCIPAL),
  'aws:principalorgid': probeLiteral(FOREIGN_ORG),
  'aws:principalorgpaths': probeLiteral(FOREIGN_ORG_PATH),
};

function probeRequests(endpoint: VpcEndpointResource, foreignCaller: boolean): RequestContext[] {
  const keys = {
    ...endpointRequestKeys(endpoint),
    ...FOREIGN_BUCKET_KEYS,
    ...(foreignCaller ? FOREIGN_PRINCIPAL_KEYS : {}),
  };
  return PROBE_ACTIONS.map((action) => ({
    action,
    resource: text(PROBE_OBJECT_ARN, PROBE_AT),
    keys,
    ...(foreignCaller ? { principal: text(FOREIGN_PRINCIPAL, PROBE_AT) } : {}),
  }));
}

/**
 * The Allow statements through which some probe request gets out, with whether a foreign
 * principal can use them. Allows count when they can apply (free keys satisfiable); a Deny
 * only silences the finding when it certainly applies, as an uncertain Deny proves nothing.
 */
function leakingAllows(
  statements: readonly Statement[],
  endpoint: VpcEndpointResource,
): { statement: Statement; anyPrincipal: boolean }[] {
  const out: { statement: Statement; anyPrincipal: boolean }[] = [];
  const requests = probeRequests(endpoint, false);
  const foreign = probeRequests(endpoint, true);
  const deniedCertainly = requests.map((request) =>
    statements.some((s) => s.effect === 'Deny' && evaluateStatement(s, request).applies === true),
  );
  for (const statement of statements) {
    if (statement.effect !== 'Allow') continue;
    const leaks = requests.some(
      (request, i) =>
        deniedCertainly[i] !== true &&
        evaluateStatement(statement, request, { freeKeys: 'exists' }).applies === true,
    );
    if (!leaks) continue;
    const anyPrincipal = foreign.some(
      (request, i) =>
        deniedCertainly[i] !== true &&
        evaluateStatement(statement, request, { freeKeys: 'exists' }).applies === true,
    );
    out.push({ statement, anyPrincipal });
  }
  return out;
}

export default defineRule({
  id: 'endpoint-policy-full-access',
  title: 'An S3 endpoint policy lets data reach any bucket, in any account',
  severity: 'warning',
  docs: {
    description:
      'An S3 VPC endpoint with no policy (the default full-access policy), or whose policy allows reads or writes on every bucket without a condition on the bucket owner, lets data leave to buckets of any account.',
    source:
      'Amazon VPC User Guide, "Gateway endpoints for Amazon S3": the default endpoint policy allows any user or service, with credentials from any account, to reach any S3 resource, including those of other accounts.',
  },
  check(ctx) {
    for (const endpoint of s3EndpointsOf(ctx.scope)) {
      const policy = endpoint.policy;
      if (!policy) {
        const at =
          endpoint.serviceName && endpoint.serviceName.range.file === endpoint.range.file
            ? endpoint.serviceName.range
            : endpoint.range;
        ctx.report({
          message: `S3 endpoint ${endpoint.address} has no policy: the default allows any principal of any account to read and write any bucket, in any account.`,
          range: at,
          resource: endpoint.address,
          fix: {
            // Named as the user writes it: CloudFormation's property, Terraform's argument.
            description: `Add ${endpoint.format === 'terraform' ? 'a policy' : 'a PolicyDocument'} that allows only your buckets (bucket and bucket/* ARNs), or conditions on aws:ResourceAccount / aws:ResourceOrgID.`,
          },
          identity: ['default-policy'],
        });
        continue;
      }
      // An unresolved policy is reported by unresolved-policy; guessing here would be wrong.
      reportAcrossVariants(
        policy,
        (variant) =>
          // Unresolved parts might hold the Deny that closes the gap: stay silent rather than guess.
          (variant.document.unresolved?.length
            ? []
            : leakingAllows(variant.document.statements, endpoint)
          ).map(({ statement, anyPrincipal }): VariantFinding => ({
            message: `The policy of S3 endpoint ${endpoint.address} allows reads or writes on any bucket in any account through ${describeStatement(statement)}${anyPrincipal ? ', for any principal of any account' : ''}: data can leave to buckets you do not own`,
            range: statementRange(statement),
            resource: endpoint.address,
            fix: {
              description:
                'Restrict Resource to your buckets (arn:aws:s3:::bucket and arn:aws:s3:::bucket/*), or add a condition on aws:ResourceAccount, s3:ResourceAccount or aws:ResourceOrgID.',
            },
            identity: [statementIdentity(statement)],
          })),
        ctx.report,
      );
    }
  },
});
