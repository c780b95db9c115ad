/**
 * The rule registry. The order is stable (it is the order rules run and are listed in), grouped
 * by what they look at: parse problems first, then aws:SourceIp, endpoint identity, endpoint
 * policies, endpoint configuration (Region, IPv6, routes, changes), bucket policies, and general
 * policy hygiene.
 */
import type { Rule } from './define-rule.js';
import bucketPolicyLocksOutAdmins from './bucket-policy-locks-out-admins.js';
import endpointChangeDropsConnections from './endpoint-change-drops-connections.js';
import endpointCrossRegion from './endpoint-cross-region.js';
import endpointHardcodedRegion from './endpoint-hardcoded-region.js';
import endpointIpv6Traffic from './endpoint-ipv6-traffic.js';
import endpointPolicyBlocksAwsService from './endpoint-policy-blocks-aws-service.js';
import endpointPolicyExcludesBucket from './endpoint-policy-excludes-bucket.js';
import endpointPolicyFullAccess from './endpoint-policy-full-access.js';
import endpointPolicyWildcardBucket from './endpoint-policy-wildcard-bucket.js';
import gatewayEndpointWithoutRouteTables from './gateway-endpoint-without-route-tables.js';
import negatedConditionUnknownKey from './negated-condition-unknown-key.js';
import objectActionOnBucketArn from './object-action-on-bucket-arn.js';
import policyInvalid from './policy-invalid.js';
import sourceipAllowlistBreaksWithEndpoint from './sourceip-allowlist-breaks-with-endpoint.js';
import sourceipDenyBlocksEndpoint from './sourceip-deny-blocks-endpoint.js';
import sourceipDenyBypassedViaEndpoint from './sourceip-deny-bypassed-via-endpoint.js';
import sourceipPrivateRange from './sourceip-private-range.js';
import unknownS3Action from './unknown-s3-action.js';
import unresolvedPolicy from './unresolved-policy.js';
import vpceConditionInvalidValue from './vpce-condition-invalid-value.js';
import vpceConditionWrongEndpoint from './vpce-condition-wrong-endpoint.js';

export const rules: readonly Rule[] = Object.freeze([
  policyInvalid,
  unresolvedPolicy,
  sourceipDenyBlocksEndpoint,
  sourceipDenyBypassedViaEndpoint,
  sourceipPrivateRange,
  sourceipAllowlistBreaksWithEndpoint,
  vpceConditionInvalidValue,
  vpceConditionWrongEndpoint,
  endpointPolicyFullAccess,
  endpointPolicyWildcardBucket,
  endpointPolicyExcludesBucket,
  endpointPolicyBlocksAwsService,
  endpointCrossRegion,
  endpointHardcodedRegion,
  endpointIpv6Traffic,
  gatewayEndpointWithoutRouteTables,
  endpointChangeDropsConnections,
  bucketPolicyLocksOutAdmins,
  negatedConditionUnknownKey,
  objectActionOnBucketArn,
  unknownS3Action,
]);

const byId: ReadonlyMap<string, Rule> = new Map(rules.map((rule) => [rule.id, rule]));

export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}
