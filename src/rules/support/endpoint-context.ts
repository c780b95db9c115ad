/**
 * Request contexts for "what does this policy do to a request that arrives through an S3
 * endpoint / from the internet?". The facts come from the AWS page on gateway endpoints for
 * Amazon S3: a request through an endpoint carries `aws:SourceVpce` and `aws:SourceVpc` but
 * no `aws:SourceIp`; a request over the internet carries `aws:SourceIp` and none of the VPC
 * keys. Every key not set here is `any` (the evaluator's default for missing keys).
 */
import { lineRange } from '../../core/range.js';
import { refString, text, type SymbolicRef } from '../../core/value.js';
import { resourcesOfKind, type Scope, type VpcEndpointResource } from '../../iac/model.js';
import type { ContextValue, PolicyString, RequestContext } from '../../policy/types.js';

export type ContextKeys = RequestContext['keys'];

/** Keys that only requests through a VPC endpoint carry (lower-cased, as contexts hold them). */
export const ENDPOINT_ONLY_KEYS = [
  'aws:sourcevpce',
  'aws:sourcevpc',
  'aws:sourcevpcarn',
  'aws:vpcsourceip',
  'aws:vpceaccount',
  'aws:vpceorgid',
  'aws:vpceorgpaths',
] as const;

const ABSENT: ContextValue = { kind: 'absent' };

/** The S3 endpoints of a scope; endpoints whose service is unresolved are not counted. */
export function s3EndpointsOf(scope: Scope): VpcEndpointResource[] {
  return resourcesOfKind(scope, 'vpc-endpoint').filter((r) => r.isS3 === true);
}

/** The symbolic ID of an endpoint in scope, as the IaC adapters write `!Ref E` / `E.id`. */
export function endpointIdRef(endpoint: VpcEndpointResource): SymbolicRef {
  return {
    id: `${endpoint.address}#id`,
    target: { kind: 'resource', address: endpoint.address, attribute: 'id' },
    display:
      endpoint.format === 'terraform' ? `${endpoint.address}.id` : `!Ref ${endpoint.address}`,
  };
}

/** A request through endpoint `endpoint`: its ID, its VPC (when known), no source IP. */
export function endpointRequestKeys(endpoint: VpcEndpointResource): ContextKeys {
  const vpc = endpoint.vpcId?.kind === 'string' ? endpoint.vpcId : undefined;
  return {
    'aws:sourceip': ABSENT,
    'aws:sourcevpce': {
      kind: 'values',
      values: [refString(endpointIdRef(endpoint), endpoint.range)],
    },
    // Absent from the model means "we do not know the VPC", not "no VPC": leave it free.
    ...(vpc ? { 'aws:sourcevpc': { kind: 'values', values: [vpc] } } : {}),
  };
}

/**
 * A request through some endpoint that is not in scope (or not identified): its ID and VPC are
 * references equal to nothing we know, so comparisons with literals come out `unknown`.
 */
export function unknownEndpointRequestKeys(): ContextKeys {
  const at = lineRange('<external>', 1);
  const external = (name: string, attribute: string): PolicyString =>
    refString(
      {
        id: `external:${name}`,
        target: { kind: 'resource', address: `external:${name}`, attribute },
        display: `an endpoint outside this scope`,
      },
      at,
    );
  return {
    'aws:sourceip': ABSENT,
    'aws:sourcevpce': { kind: 'values', values: [external('endpoint', 'id')] },
    'aws:sourcevpc': { kind: 'values', values: [external('endpoint-vpc', 'VpcId')] },
  };
}

/** A documentation-free, routable public IPv4 address (not in any reserved or private range). */
export const PUBLIC_IP = '52.94.76.10';

/**
 * A request from the internet: no VPC endpoint keys, and a public source IP — `PUBLIC_IP` by
 * default, or any source IP when `sourceIp` is `'any'` (for "is there some internet request
 * this statement applies to?", evaluated with `freeKeys: 'exists'`).
 */
export function internetRequestKeys(sourceIp: string | 'any' = PUBLIC_IP): ContextKeys {
  const keys: Record<string, ContextValue> = {};
  for (const key of ENDPOINT_ONLY_KEYS) keys[key] = ABSENT;
  keys['aws:sourceip'] =
    sourceIp === 'any'
      ? { kind: 'any' }
      : { kind: 'values', values: [text(sourceIp, lineRange('<internet>', 1))] };
  return keys;
}

/** A full request context from keys, for `evaluateStatement` / `evaluatePolicy`. */
export function requestOf(
  keys: ContextKeys,
  action: string,
  resource: PolicyString,
  principal?: PolicyString,
): RequestContext {
  return { action, resource, keys, ...(principal ? { principal } : {}) };
}
