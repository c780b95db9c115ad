/**
 * The one model both IaC adapters produce and every rule reads. Rules never see YAML or HCL:
 * they see resources with resolved values (literal / symbolic / unknown) and parsed policies,
 * each with its source range.
 */
import type { SourceRange } from '../core/range.js';
import type { Assumption, MapValue, Value } from '../core/value.js';
import type { PolicyDocument } from '../policy/types.js';

export type IacFormat = 'cloudformation' | 'terraform';

/** Where a policy is used: it decides which rules apply and whether `Principal` is required. */
export type PolicyRole = 'endpoint' | 'bucket' | 'identity';

/** One `!If` branch combination of a policy, parsed. */
export interface PolicyVariant {
  /** Empty when the policy holds no conditional. A finding in a variant names these. */
  readonly assumptions: readonly Assumption[];
  readonly document: PolicyDocument;
}

/**
 * A policy attached to a resource. Exactly one of `variants` (evaluated) or `unresolved`
 * (could not be evaluated: remote include, module output, runtime value) is meaningful.
 */
export interface PolicyRef {
  readonly role: PolicyRole;
  /** For IAM roles/users/groups with several inline policies: the `PolicyName`. */
  readonly name?: string;
  /** The whole policy property (`PolicyDocument: …`), for findings about the policy as a whole. */
  readonly range: SourceRange;
  readonly variants: readonly PolicyVariant[];
  /** Why the policy could not be evaluated; set when `variants` is empty for that reason. */
  readonly unresolved?: string;
}

/**
 * A suppression written in the resource itself (CloudFormation
 * `Metadata: { s3-endpoint-guard: { ignore: [ { rule, reason } ] } }`). Comment suppressions are
 * read from the source text by the engine, not by the adapters.
 */
export interface DeclaredSuppression {
  readonly rule: string;
  /** Missing or empty reasons are reported. */
  readonly reason: string | undefined;
  readonly range: SourceRange;
}

interface ResourceBase {
  /** CloudFormation logical id, or Terraform address (`aws_vpc_endpoint.s3`). */
  readonly address: string;
  /** `AWS::EC2::VPCEndpoint`, `aws_vpc_endpoint`, … */
  readonly type: string;
  readonly format: IacFormat;
  /** The whole resource definition. */
  readonly range: SourceRange;
  /** The resolved properties (CloudFormation `Properties`, Terraform arguments). */
  readonly properties: MapValue;
  /** Set when the resource exists only under a condition (`Condition: IsProd`, `count = var.x ? 1 : 0`). */
  readonly condition?: string;
  /** Suppressions declared in the resource's metadata (CloudFormation `Metadata`). */
  readonly suppressions?: readonly DeclaredSuppression[];
  /**
   * Set only when the resource names its own Region, apart from the scope's (Terraform
   * `provider = aws.<alias>`, the AWS provider v6 `region` argument): the literal Region, or
   * the value that could not be resolved (then the Region is not known).
   */
  readonly region?: Value;
}

export interface VpcEndpointResource extends ResourceBase {
  readonly kind: 'vpc-endpoint';
  readonly serviceName: Value | undefined;
  /**
   * Is this an Amazon S3 endpoint (service name ends in `.s3`, not `s3-outposts` or
   * `s3-global.accesspoint`)? `unknown` when the service name is not resolved.
   */
  readonly isS3: boolean | 'unknown';
  /** `Gateway` (CloudFormation's default), `Interface`, `GatewayLoadBalancer`, or unknown. */
  readonly endpointType: 'Gateway' | 'Interface' | 'GatewayLoadBalancer' | 'unknown';
  readonly vpcId: Value | undefined;
  readonly routeTableIds: Value | undefined;
  readonly subnetIds: Value | undefined;
  /** `ipv4` when unset (the default), `dualstack`, `ipv6`, or the unresolved value. */
  readonly ipAddressType: Value | undefined;
  /** Interface endpoints may name another service Region explicitly. */
  readonly serviceRegion: Value | undefined;
  /** Undefined when the endpoint has no policy: the default full-access policy applies. */
  readonly policy: PolicyRef | undefined;
}

export interface BucketPolicyResource extends ResourceBase {
  readonly kind: 'bucket-policy';
  /** The bucket's name (CloudFormation `Bucket`, Terraform `bucket`). */
  readonly bucket: Value | undefined;
  readonly policy: PolicyRef | undefined;
}

export interface BucketResource extends ResourceBase {
  readonly kind: 'bucket';
  readonly bucketName: Value | undefined;
  /** An inline policy (Terraform's deprecated `aws_s3_bucket.policy`). */
  readonly policy: PolicyRef | undefined;
}

export interface IamPolicyResource extends ResourceBase {
  readonly kind: 'iam-policy';
  /** One per policy document: managed policy, or each inline policy of a role/user/group. */
  readonly policies: readonly PolicyRef[];
}

export interface VpcResource extends ResourceBase {
  readonly kind: 'vpc';
  readonly cidrBlock: Value | undefined;
}

export interface SubnetResource extends ResourceBase {
  readonly kind: 'subnet';
  readonly vpcId: Value | undefined;
  readonly cidrBlock: Value | undefined;
  readonly ipv6CidrBlock: Value | undefined;
  readonly ipv6Native: Value | undefined;
  readonly availabilityZone: Value | undefined;
}

export interface RouteTableResource extends ResourceBase {
  readonly kind: 'route-table';
  readonly vpcId: Value | undefined;
}

/** Any other resource: kept so rules can see which services a scope uses (ECR, SSM, …). */
export interface OtherResource extends ResourceBase {
  readonly kind: 'other';
}

export type Resource =
  | VpcEndpointResource
  | BucketPolicyResource
  | BucketResource
  | IamPolicyResource
  | VpcResource
  | SubnetResource
  | RouteTableResource
  | OtherResource;

export type ResourceKind = Resource['kind'];

/**
 * A value the deployment looks up rather than defines: a CloudFormation parameter of an
 * `AWS::SSM::Parameter::Value<…>` type, a Terraform `data "aws_ssm_parameter"` or
 * `data "aws_ami"`. Kept so rules can see which AWS services a scope relies on (an Amazon Linux
 * AMI from AWS's public parameters means the instances fetch packages from AWS's repositories).
 */
export interface Lookup {
  /** The CloudFormation parameter name, or the Terraform address (`data.aws_ami.al2023`). */
  readonly address: string;
  readonly kind: 'ssm-parameter' | 'ami';
  /** SSM: the parameter's name (its default, in CloudFormation); AMI: the `name` filter values. */
  readonly names: readonly string[];
  readonly range: SourceRange;
}

/** Something the adapter could not read or resolve, reported rather than passed silently. */
export interface ScopeDiagnostic {
  /** `parse-error` for unreadable files; `unresolved` for values the run could not resolve. */
  readonly kind: 'parse-error' | 'unresolved';
  readonly message: string;
  readonly range: SourceRange;
}

/**
 * What is evaluated together: one CloudFormation template, or one Terraform module folder.
 * References resolve within a scope only.
 */
export interface Scope {
  readonly id: string;
  readonly format: IacFormat;
  /** Files read into this scope, relative to the scan root. */
  readonly files: readonly string[];
  readonly resources: readonly Resource[];
  readonly diagnostics: readonly ScopeDiagnostic[];
  /**
   * A Terraform plan (`terraform show -json`) rather than configuration: values the plan leaves
   * out are computed at apply time (unknown), not unset.
   */
  readonly plan?: boolean;
  /** The Region when the scope fixes it (Terraform provider, literal AZs); else undefined. */
  readonly region?: string;
  /**
   * Blocks that build policies other resources use (Terraform `data "aws_iam_policy_document"`):
   * a finding inside one is about that block, which is named as its resource, with the
   * resource using the policy as a related location.
   */
  readonly policySources?: readonly { readonly address: string; readonly range: SourceRange }[];
  /**
   * Where the scope's default Region comes from: a literal (provider `region = "eu-west-1"`,
   * literal AZs), a variable (`region = var.region`: callers choose), or something unknown.
   * Undefined when nothing in the scope speaks of its Region.
   */
  readonly regionSource?: 'literal' | 'variable' | 'unknown';
  /** SSM parameter and AMI lookups (absent = none). */
  readonly lookups?: readonly Lookup[];
}

interface ScopeIndex {
  readonly byAddress: ReadonlyMap<string, Resource>;
  readonly byKind: ReadonlyMap<ResourceKind, readonly Resource[]>;
}

/**
 * Rules look resources up once per policy or per reference; on a large template a linear scan
 * each time turns a scan quadratic. Scopes are immutable, so one index per scope is built on
 * first use and dropped with the scope.
 */
const indexes = new WeakMap<Scope, ScopeIndex>();

function indexOf(scope: Scope): ScopeIndex {
  let index = indexes.get(scope);
  if (!index) {
    const byAddress = new Map<string, Resource>();
    const byKind = new Map<ResourceKind, Resource[]>();
    for (const resource of scope.resources) {
      if (!byAddress.has(resource.address)) byAddress.set(resource.address, resource);
      const list = byKind.get(resource.kind);
      if (list) list.push(resource);
      else byKind.set(resource.kind, [resource]);
    }
    index = { byAddress, byKind };
    indexes.set(scope, index);
  }
  return index;
}

export function resourcesOfKind<K extends ResourceKind>(
  scope: Scope,
  kind: K,
): readonly Extract<Resource, { kind: K }>[] {
  return (indexOf(scope).byKind.get(kind) ?? []) as readonly Extract<Resource, { kind: K }>[];
}

export function findResource(scope: Scope, address: string): Resource | undefined {
  return indexOf(scope).byAddress.get(address);
}

/** Every policy in the scope, with the resource holding it. */
export function policiesOf(scope: Scope): { resource: Resource; policy: PolicyRef }[] {
  const out: { resource: Resource; policy: PolicyRef }[] = [];
  for (const resource of scope.resources) {
    switch (resource.kind) {
      case 'vpc-endpoint':
      case 'bucket-policy':
      case 'bucket':
        if (resource.policy) out.push({ resource, policy: resource.policy });
        break;
      case 'iam-policy':
        for (const policy of resource.policies) out.push({ resource, policy });
        break;
      default:
        break;
    }
  }
  return out;
}
