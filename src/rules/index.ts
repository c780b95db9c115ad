/**
 * The rule registry. The order is stable (it is the order rules run and are listed in), grouped
 * by what they look at: parse problems first, then aws:SourceIp, endpoint identity, endpoint
 * policies, and general policy hygiene.
 */
import type { Rule } from './define-rule.js';
import endpointPolicyBlocksAwsService from './endpoint-policy-blocks-aws-service.js';
import endpointPolicyFullAccess from './endpoint-policy-full-access.js';
import endpointPolicyWildcardBucket from './endpoint-policy-wildcard-bucket.js';
import negatedConditionUnknownKey from './negated-condition-unknown-key.js';
import objectActionOnBucketArn from './object-action-on-bucket-arn.js';
import policyInvalid from './policy-invalid.js';
import sourceipDenyBlocksEndpoint from './sourceip-deny-blocks-endpoint.js';
import sourceipDenyBypassedViaEndpoint from './sourceip-deny-bypassed-via-endpoint.js';
import sourceipPrivateRange from './sourceip-private-range.js';
import unknownS3Action from './unknown-s3-action.js';
import unresolvedPolicy from './unresolved-policy.js';
import vpceConditionInvalidValue from './vpce-condition-invalid-value.js';

export const rules: readonly Rule[] = Object.freeze([
  policyInvalid,
  unresolvedPolicy,
  sourceipDenyBlocksEndpoint,
  sourceipDenyBypassedViaEndpoint,
  sourceipPrivateRange,
  vpceConditionInvalidValue,
  endpointPolicyFullAccess,
  endpointPolicyWildcardBucket,
  endpointPolicyBlocksAwsService,
  negatedConditionUnknownKey,
  objectActionOnBucketArn,
  unknownS3Action,
]);

const byId: ReadonlyMap<string, Rule> = new Map(rules.map((rule) => [rule.id, rule]));

export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}
