/**
 * What a VPC endpoint's service name and type mean, the same for every IaC format: which
 * endpoints are Amazon S3's, and the endpoint type when the configuration leaves it out.
 */
import { literalString, type Value } from '../core/value.js';
import type { VpcEndpointResource } from './model.js';

/**
 * Is a service name Amazon S3's (`com.amazonaws.<region>.s3`)? Only the final dot-separated
 * label decides, so `${AWS::Region}` before it does not matter; `s3-outposts` and
 * `s3-global.accesspoint` are other services.
 */
export function isS3ServiceName(value: Value | undefined): boolean | 'unknown' {
  if (!value) return 'unknown';
  if (value.kind === 'conditional') {
    const whenTrue = isS3ServiceName(value.whenTrue);
    const whenFalse = isS3ServiceName(value.whenFalse);
    return whenTrue === whenFalse ? whenTrue : 'unknown';
  }
  if (value.kind !== 'string') return 'unknown';
  const last = value.parts[value.parts.length - 1];
  if (last?.kind !== 'text') return 'unknown';
  const tail = last.text.toLowerCase();
  const dot = tail.lastIndexOf('.');
  if (dot >= 0) return tail.slice(dot + 1) === 's3';
  if (value.parts.length === 1) return false;
  // `${Prefix}s3`: the reference might end with `.`, or might not.
  return 's3'.endsWith(tail) ? 'unknown' : false;
}

/** CloudFormation and Terraform both default to a gateway endpoint. */
export function endpointTypeOf(value: Value | undefined): VpcEndpointResource['endpointType'] {
  if (!value) return 'Gateway';
  const literal = literalString(value)?.toLowerCase();
  if (literal === 'gateway') return 'Gateway';
  if (literal === 'interface') return 'Interface';
  if (literal === 'gatewayloadbalancer') return 'GatewayLoadBalancer';
  return 'unknown';
}
