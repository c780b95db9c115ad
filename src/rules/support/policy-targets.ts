/**
 * Which endpoint requests a policy can see. A bucket or IAM policy in a scope with S3 endpoints
 * is asked about each of them; without one in scope, about "some endpoint elsewhere" (a
 * bucket policy outlives the template it sits in). An endpoint's own policy only ever sees its
 * own traffic.
 */
import type { PolicyRef, Resource, Scope, VpcEndpointResource } from '../../iac/model.js';
import {
  endpointRequestKeys,
  s3EndpointsOf,
  unknownEndpointRequestKeys,
  type ContextKeys,
} from './endpoint-context.js';

export interface EndpointTarget {
  /** Undefined for the stand-in "endpoint not in this scope". */
  readonly endpoint?: VpcEndpointResource;
  readonly keys: ContextKeys;
}

export function endpointTargetsFor(scope: Scope, resource: Resource): EndpointTarget[] {
  if (resource.kind === 'vpc-endpoint') {
    return resource.isS3 === true
      ? [{ endpoint: resource, keys: endpointRequestKeys(resource) }]
      : [];
  }
  return scopeTargets(scope);
}

/** Every bucket and IAM policy of a scope sees the same targets: build them once per scope. */
const targetsByScope = new WeakMap<Scope, readonly EndpointTarget[]>();

function scopeTargets(scope: Scope): EndpointTarget[] {
  let targets = targetsByScope.get(scope);
  if (!targets) {
    const endpoints = s3EndpointsOf(scope);
    targets =
      endpoints.length === 0
        ? [{ keys: unknownEndpointRequestKeys() }]
        : endpoints.map((endpoint) => ({ endpoint, keys: endpointRequestKeys(endpoint) }));
    targetsByScope.set(scope, targets);
  }
  return [...targets];
}

/** How a finding names the policy: `bucket policy MyPolicy`, `IAM policy AppRole (S3Access)`. */
export function describePolicyOwner(resource: Resource, policy: PolicyRef): string {
  const named = policy.name !== undefined ? ` (${policy.name})` : '';
  switch (policy.role) {
    case 'bucket':
      return `bucket policy ${resource.address}`;
    case 'endpoint':
      return `endpoint policy of ${resource.address}`;
    case 'identity':
      return `IAM policy ${resource.address}${named}`;
  }
}

/** How a statement is named in messages: by Sid when it has one, else by position. */
export function describeStatement(statement: { sid?: string; index: number }): string {
  return statement.sid ? `statement "${statement.sid}"` : `statement #${statement.index + 1}`;
}
