/**
 * Regions for endpoint rules: the Region a service name names, the Region an endpoint is
 * created in, and the Region of a bucket. Every answer is a fact from the code or the config,
 * or undefined: a rule never compares against a guess.
 */
import { literalString, soleRef, type Value } from '../../core/value.js';
import {
  findResource,
  resourcesOfKind,
  type BucketResource,
  type Resource,
  type Scope,
  type VpcEndpointResource,
} from '../../iac/model.js';
import type { RuleSettings } from '../settings.js';

const REGION = /^[a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d+$/;
const SERVICE_NAME = /^((?:cn\.)?com\.amazonaws\.)([a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d+)\.(.+)$/;

/** Legacy names still found in configs and `LocationConstraint`s, and their Regions. */
const LEGACY: Readonly<Record<string, string>> = {
  'us standard': 'us-east-1',
  us: 'us-east-1',
  eu: 'eu-west-1',
};

/** A Region name in canonical form (`US Standard` → `us-east-1`), or undefined if it is none. */
export function normalizeRegion(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const lower = name.trim().toLowerCase();
  const legacy = LEGACY[lower];
  if (legacy) return legacy;
  return REGION.test(lower) ? lower : undefined;
}

export interface ServiceNameRegion {
  readonly region: string;
  /** `com.amazonaws.` or `cn.com.amazonaws.` */
  readonly prefix: string;
  /** What follows the Region (`s3`), when it is literal. */
  readonly service: string | undefined;
  /** The service name is one literal string (an exact replacement is safe). */
  readonly literal: boolean;
}

/** The Region a service name writes literally (`com.amazonaws.eu-west-1.s3`); symbolic → undefined. */
export function serviceNameRegion(value: Value | undefined): ServiceNameRegion | undefined {
  if (value?.kind !== 'string') return undefined;
  const [first] = value.parts;
  if (first?.kind !== 'text') return undefined;
  const match = SERVICE_NAME.exec(first.text);
  if (!match?.[1] || !match[2]) return undefined;
  const literal = value.parts.length === 1;
  return {
    prefix: match[1],
    region: match[2],
    service: literal ? match[3] : undefined,
    literal,
  };
}

export interface KnownRegion {
  readonly region: string;
  /** Where the Region comes from, for messages: `provider aws.west`, `config region`. */
  readonly from: string;
}

/**
 * The Region a resource is created in: its own (provider alias, v6 `region`), else the scope's
 * literal Region, else the config's Region for its VPC, else the config's Region. Undefined
 * when none of these is known, or when the resource's own Region is not resolved.
 */
export function createdRegion(
  scope: Scope,
  resource: Resource,
  settings: RuleSettings,
  vpcId?: Value,
): KnownRegion | undefined {
  if (resource.region) {
    const own = normalizeRegion(literalString(resource.region));
    return own ? { region: own, from: ownRegionSource(resource) } : undefined;
  }
  if (scope.regionSource === 'literal' && scope.region) {
    const region = normalizeRegion(scope.region);
    if (region)
      return {
        region,
        from:
          scope.format === 'terraform'
            ? 'the provider Region'
            : "the template's Availability Zones",
      };
  }
  const vpc = literalString(vpcId);
  const configured = settings.vpcs.find((v) => v.id === vpc && v.region !== undefined);
  const vpcRegion = normalizeRegion(configured?.region);
  if (vpcRegion) return { region: vpcRegion, from: `the configured Region of ${vpc ?? 'its VPC'}` };
  // A scope whose own Region is a variable or not known still deploys where the config says.
  const fromConfig = normalizeRegion(settings.region);
  return fromConfig ? { region: fromConfig, from: 'the configured Region' } : undefined;
}

function ownRegionSource(resource: Resource): string {
  return resource.region?.kind === 'string' && resource.format === 'terraform'
    ? `the Region of its provider or region argument`
    : 'its own Region';
}

/** The Region of the bucket a bucket policy applies to, when the code fixes it. */
export function bucketRegion(scope: Scope, policyOwner: Resource): KnownRegion | undefined {
  if (policyOwner.region) {
    const own = normalizeRegion(literalString(policyOwner.region));
    return own ? { region: own, from: `the Region of ${policyOwner.address}` } : undefined;
  }
  if (policyOwner.kind !== 'bucket-policy') return undefined;
  const bucket = bucketOf(scope, policyOwner.bucket);
  if (!bucket?.region) return undefined;
  const region = normalizeRegion(literalString(bucket.region));
  return region ? { region, from: `the Region of ${bucket.address}` } : undefined;
}

/**
 * The bucket resource a policy's `Bucket` names: by reference, or by the literal name the
 * Terraform reader resolves `aws_s3_bucket.x.id` to.
 */
function bucketOf(scope: Scope, value: Value | undefined): BucketResource | undefined {
  const ref = soleRef(value);
  if (ref?.target.kind === 'resource') {
    const found = findResource(scope, ref.target.address);
    return found?.kind === 'bucket' ? found : undefined;
  }
  const name = literalString(value);
  if (name === undefined) return undefined;
  return resourcesOfKind(scope, 'bucket').find((b) => literalString(b.bucketName) === name);
}

/** Does the endpoint pick its service Region itself (interface endpoints' `ServiceRegion`)? */
export function hasServiceRegion(endpoint: VpcEndpointResource): boolean {
  const value = endpoint.serviceRegion;
  return value !== undefined && value.kind !== 'absent' && value.kind !== 'null';
}
