/**
 * The Region an S3 endpoint serves, and AWS-owned bucket ARNs written for it. Shared by the
 * rules that tell users which AWS-owned buckets to allow.
 */
import type { IacFormat, Scope, VpcEndpointResource } from '../../iac/model.js';
import {
  REGION_NO_DASHES_PLACEHOLDER,
  REGION_PLACEHOLDER,
  withRegion,
} from '../data/aws-service-buckets.js';
import type { RuleSettings } from '../settings.js';

/** `com.amazonaws.eu-west-1.s3` → `eu-west-1`; undefined when not written literally. */
export function regionOfServiceName(endpoint: VpcEndpointResource): string | undefined {
  const value = endpoint.serviceName;
  if (value?.kind !== 'string' || value.parts.length !== 1) return undefined;
  const [only] = value.parts;
  if (only?.kind !== 'text') return undefined;
  const labels = only.text.split('.');
  const region = labels.length >= 4 ? labels[labels.length - 2] : undefined;
  return region && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(region) ? region : undefined;
}

/** The endpoint's own service name decides first, then the scope, then the configuration. */
export function endpointRegion(
  endpoint: VpcEndpointResource,
  scope: Scope,
  settings: RuleSettings,
): string | undefined {
  return regionOfServiceName(endpoint) ?? scope.region ?? settings.region;
}

/** A `{region}` ARN as the user should write it: the Region, or the format's Region reference. */
export function arnForRegion(arn: string, region: string | undefined, format: IacFormat): string {
  if (region !== undefined) return withRegion(arn, region);
  const shown = format === 'terraform' ? '${data.aws_region.current.name}' : '${AWS::Region}';
  // Neither format has a plain Region reference without dashes: say what goes there.
  return arn
    .split(REGION_NO_DASHES_PLACEHOLDER)
    .join('<Region without dashes>')
    .split(REGION_PLACEHOLDER)
    .join(shown);
}
