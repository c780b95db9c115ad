/**
 * What a rule may know beyond the scope's own model: facts from the configuration (endpoints
 * and VPCs that live outside the repository, services the code does not show, the Region) and,
 * for change-aware rules, the same scope in the base version of a change.
 * Both come from the engine; rules never read configuration files themselves.
 */
import type { Scope } from '../iac/model.js';

/** An endpoint that exists but is not defined in the scanned code (config `endpoints:`). */
export interface KnownEndpoint {
  /** `vpce-…` */
  readonly id: string;
  /** `vpc-…` when known. */
  readonly vpc?: string;
  readonly region?: string;
}

/** A VPC that exists but is not defined in the scanned code (config `vpcs:`). */
export interface KnownVpc {
  /** `vpc-…` */
  readonly id: string;
  readonly region?: string;
  /** IPv4 CIDR blocks, for private-range checks. */
  readonly cidrs?: readonly string[];
}

/**
 * The AWS services whose AWS-owned buckets an endpoint policy may have to allow. The ids are
 * the keys of the data table in `data/aws-service-buckets.ts` and the values accepted by the
 * config's `services:` list.
 */
export const AWS_SERVICE_IDS = [
  'amazon-linux',
  'appstream',
  'cloudformation',
  'codedeploy',
  'ecr',
  'elastic-beanstalk',
  'emr',
  'opsworks',
  'ssm',
  'workdocs',
  'workspaces',
] as const;

export type AwsServiceId = (typeof AWS_SERVICE_IDS)[number];

/**
 * How SourceIp rules decide whether traffic goes through an S3 endpoint: `auto` (an S3
 * endpoint is in scope or listed in config), `always` (assume one, e.g. endpoints are managed
 * elsewhere), `never` (no endpoint is ever used).
 */
export type AssumeEndpoint = 'auto' | 'always' | 'never';

export interface RuleSettings {
  readonly endpoints: readonly KnownEndpoint[];
  readonly vpcs: readonly KnownVpc[];
  /** Services in use that the code does not show. */
  readonly services: readonly AwsServiceId[];
  readonly assumeEndpoint: AssumeEndpoint;
  /** The Region to assume when the code does not fix it. */
  readonly region?: string;
}

export const DEFAULT_RULE_SETTINGS: RuleSettings = Object.freeze({
  endpoints: [],
  vpcs: [],
  services: [],
  assumeEndpoint: 'auto',
});

/**
 * Present only when a base version is known (a pull request, `scan --base`). `base` is the
 * scope with the same id in the base version, or undefined when the scope is new (a new
 * template, a new module folder).
 */
export interface ChangeContext {
  readonly base: Scope | undefined;
}
