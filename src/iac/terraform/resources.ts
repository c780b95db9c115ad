/**
 * Terraform resource blocks → the shared model (`src/iac/model.ts`), so every rule written for
 * CloudFormation reads Terraform unchanged. Only the types the rules read get their own kind;
 * every other resource is kept as `other`. Resources that modify another one
 * (`aws_vpc_endpoint_policy`, `aws_vpc_endpoint_route_table_association`) are folded into the
 * endpoint they name, so rules see the endpoint as Terraform leaves it.
 */
import { timeSlicer } from '../../core/event-loop.js';
import type { SourceRange } from '../../core/range.js';
import { spanRanges } from '../../core/range.js';
import type { MapEntry, MapValue, Value } from '../../core/value.js';
import { displayValue, literalString, soleRef, unknown } from '../../core/value.js';
import { endpointTypeOf, isS3ServiceName } from '../endpoint-service.js';
import type {
  Lookup,
  PolicyRef,
  PolicyRole,
  PolicyVariant,
  Resource,
  ScopeDiagnostic,
  VpcEndpointResource,
} from '../model.js';
import { buildPolicyRef } from '../policy-ref.js';
import { read } from './policy-document.js';
import { jsonProblems, policyValue } from './policy-text.js';
import type { ProviderRegions } from './module.js';
import type { TfAttribute, TfBlock } from './types.js';

export interface ExtractedResources {
  readonly resources: readonly Resource[];
  readonly diagnostics: readonly ScopeDiagnostic[];
}

const IAM_POLICY_TYPES = new Set([
  'aws_iam_policy',
  'aws_iam_role_policy',
  'aws_iam_user_policy',
  'aws_iam_group_policy',
]);

export async function extractResources(
  blocks: readonly TfBlock[],
  slicer: { maybeYield(): Promise<void> } = timeSlicer(),
  providers?: ProviderRegions,
): Promise<ExtractedResources> {
  const diagnostics: ScopeDiagnostic[] = [];
  const resources: Resource[] = [];
  const resourceBlocks = blocks.filter((b) => b.type === 'resource' && b.labels.length >= 2);
  for (const block of resourceBlocks) {
    // Parsing each policy takes a moment; a module with thousands must not hold the loop.
    resources.push(withRegion(extractResource(block, diagnostics), block, providers));
    await slicer.maybeYield();
  }
  attachToEndpoints(resourceBlocks, resources, diagnostics);
  return { resources, diagnostics };
}

/**
 * `data "aws_ssm_parameter"` (its `name`) and `data "aws_ami"` (its `name` filter values): the
 * lookups rules read to see which AWS services a module relies on. Only literal names count.
 */
export function extractLookups(blocks: readonly TfBlock[]): Lookup[] {
  const out: Lookup[] = [];
  for (const block of blocks) {
    if (block.type !== 'data' || block.labels.length < 2) continue;
    const type = block.labels[0];
    if (type === 'aws_ssm_parameter') {
      const attribute = block.attributes.get('name');
      const name = attribute ? literalString(read(attribute)) : undefined;
      out.push({
        address: block.address,
        kind: 'ssm-parameter',
        names: name !== undefined ? [name] : [],
        range: block.range,
      });
    } else if (type === 'aws_ami') {
      const names = block.blocks
        .filter((b) => b.type === 'filter')
        .filter((b) => {
          const name = b.attributes.get('name');
          return name !== undefined && literalString(read(name)) === 'name';
        })
        .flatMap((b) => {
          const values = b.attributes.get('values');
          const value = values ? read(values) : undefined;
          return value?.kind === 'list'
            ? value.items.flatMap((item) => {
                const literal = literalString(item);
                return literal !== undefined ? [literal] : [];
              })
            : [];
        });
      out.push({ address: block.address, kind: 'ami', names, range: block.range });
    }
  }
  return out;
}

function extractResource(block: TfBlock, diagnostics: ScopeDiagnostic[]): Resource {
  const type = block.labels[0] ?? '';
  const properties = propertiesOf(block);
  const base = {
    address: block.address,
    type,
    format: 'terraform' as const,
    range: block.range,
    properties,
    ...(block.condition !== undefined ? { condition: block.condition } : {}),
  };
  const prop = (name: string): Value | undefined => {
    const attribute = block.attributes.get(name);
    return attribute ? read(attribute) : undefined;
  };
  const policyAt = (role: PolicyRole, name?: string, of: TfBlock = block) =>
    policyOf(of.attributes.get('policy'), role, block.condition, diagnostics, name);

  switch (type) {
    case 'aws_vpc_endpoint': {
      const serviceName = prop('service_name');
      return {
        ...base,
        kind: 'vpc-endpoint',
        serviceName,
        isS3: isS3ServiceName(serviceName),
        // Unlike the console, the provider's default type is Gateway.
        endpointType: endpointTypeOf(prop('vpc_endpoint_type')),
        vpcId: prop('vpc_id'),
        routeTableIds: prop('route_table_ids'),
        subnetIds: prop('subnet_ids'),
        ipAddressType: prop('ip_address_type'),
        serviceRegion: prop('service_region'),
        policy: policyAt('endpoint'),
      };
    }
    case 'aws_s3_bucket_policy':
      return { ...base, kind: 'bucket-policy', bucket: prop('bucket'), policy: policyAt('bucket') };
    case 'aws_s3_bucket':
      return { ...base, kind: 'bucket', bucketName: prop('bucket'), policy: policyAt('bucket') };
    case 'aws_iam_role': {
      // `assume_role_policy` is a trust policy, not an S3 one: only inline policies count.
      const policies: PolicyRef[] = [];
      for (const inline of block.blocks.filter((b) => b.type === 'inline_policy')) {
        const policy = policyAt('identity', nameOf(inline.attributes.get('name')), inline);
        if (policy) policies.push(policy);
      }
      return { ...base, kind: 'iam-policy', policies };
    }
    case 'aws_vpc':
      return { ...base, kind: 'vpc', cidrBlock: prop('cidr_block') };
    case 'aws_subnet':
      return {
        ...base,
        kind: 'subnet',
        vpcId: prop('vpc_id'),
        cidrBlock: prop('cidr_block'),
        ipv6CidrBlock: prop('ipv6_cidr_block'),
        ipv6Native: prop('ipv6_native'),
        availabilityZone: prop('availability_zone'),
      };
    case 'aws_route_table':
      return { ...base, kind: 'route-table', vpcId: prop('vpc_id') };
    default:
      if (IAM_POLICY_TYPES.has(type)) {
        const policy = policyAt('identity', nameOf(block.attributes.get('name')));
        return { ...base, kind: 'iam-policy', policies: policy ? [policy] : [] };
      }
      return { ...base, kind: 'other' };
  }
}

/**
 * The Region a resource names for itself: the AWS provider v6 `region` argument, else the
 * Region of the aliased provider it uses (`provider = aws.west`). A provider alias not defined
 * in the module (passed in by the caller) leaves the Region unknown.
 */
function withRegion(resource: Resource, block: TfBlock, providers?: ProviderRegions): Resource {
  const own = block.attributes.get('region');
  if (own) {
    // `region = var.region`: the default is only what callers get when they say nothing.
    const fromVariable = /^\s*var\./.test(own.text ?? '');
    return {
      ...resource,
      region: fromVariable ? unknown('Region from a variable', own.range) : read(own),
    };
  }
  const provider = block.attributes.get('provider');
  const alias = /^\s*aws\.([A-Za-z_][\w-]*)\s*$/.exec(provider?.text ?? '')?.[1];
  if (!provider || alias === undefined) return resource;
  const region = providers?.aliases.get(alias);
  return {
    ...resource,
    region: region ?? unknown(`Region of provider aws.${alias} not known`, provider.range),
  };
}

/**
 * The policy an argument holds, or undefined when there is none (argument absent or `null`).
 * `resourceCondition` is the condition the resource exists under (`count = var.x ? 1 : 0`).
 */
export function policyOf(
  attribute: TfAttribute | undefined,
  role: PolicyRole,
  resourceCondition: string | undefined,
  diagnostics: ScopeDiagnostic[],
  name?: string,
): PolicyRef | undefined {
  if (!attribute) return undefined;
  const value = policyValue(read(attribute));
  return policyFrom(value, role, attribute.range, resourceCondition, diagnostics, name);
}

function policyFrom(
  value: Value,
  role: PolicyRole,
  range: SourceRange,
  resourceCondition: string | undefined,
  diagnostics: ScopeDiagnostic[],
  name?: string,
): PolicyRef | undefined {
  if (value.kind === 'absent') return undefined;
  const built = buildPolicyRef({
    role,
    value,
    range,
    valueRange: value.range,
    ...(name !== undefined ? { name } : {}),
    ...(resourceCondition !== undefined ? { resourceCondition } : {}),
    jsonProblem: (v) => jsonProblems.get(v),
  });
  // A resource that the variables' defaults switch off (`count = var.x ? 1 : 0` with `x`
  // false) is kept because callers override those variables, yet its policy is read with the
  // same defaults, which typically leave an `aws_iam_policy_document` with no statement at
  // all. Calling that invalid would blame the module for a policy it never deploys: say
  // instead that it could not be evaluated.
  if (resourceCondition !== undefined && built.policy.variants.some(hasNoStatements)) {
    return {
      role,
      ...(name !== undefined ? { name } : {}),
      range,
      variants: [],
      unresolved: `policy has no statements under the variables' defaults, which also leave the resource out (${brief(resourceCondition)})`,
    };
  }
  diagnostics.push(...built.diagnostics);
  // `null` in every branch (`var.attach ? doc : null` with `attach` false): no policy at all.
  if (built.policy.variants.length === 0 && built.policy.unresolved === undefined) return undefined;
  return built.policy;
}

/**
 * `aws_vpc_endpoint_policy` sets the policy of the endpoint its `vpc_endpoint_id` names, and
 * `aws_vpc_endpoint_route_table_association` adds a route table to it. When that endpoint is in
 * the module, it gets the policy (pointing at the `aws_vpc_endpoint_policy` block) and the route
 * table; an endpoint policy whose endpoint is elsewhere stands as an endpoint of unknown
 * service, so the policy is still read and reported where it is written.
 */
function attachToEndpoints(
  blocks: readonly TfBlock[],
  resources: Resource[],
  diagnostics: ScopeDiagnostic[],
): void {
  const indexOf = new Map<string, number>();
  resources.forEach((r, i) => {
    if (r.kind === 'vpc-endpoint' && !indexOf.has(r.address)) indexOf.set(r.address, i);
  });
  const endpointAddress = (block: TfBlock): string | undefined => {
    const attribute = block.attributes.get('vpc_endpoint_id');
    const ref = attribute ? soleRef(read(attribute)) : undefined;
    if (ref?.target.kind !== 'resource' || ref.target.attribute !== 'id') return undefined;
    return ref.target.address;
  };
  const endpointFor = (block: TfBlock): number | undefined => {
    const address = endpointAddress(block);
    return address !== undefined ? indexOf.get(address) : undefined;
  };
  blocks.forEach((block, i) => {
    const type = block.labels[0];
    if (type === 'aws_vpc_endpoint_route_table_association') {
      const routeTable = block.attributes.get('route_table_id');
      if (!routeTable) return;
      const at = endpointFor(block);
      const endpoint = at !== undefined ? resources[at] : undefined;
      if (endpoint?.kind === 'vpc-endpoint' && at !== undefined) {
        resources[at] = {
          ...endpoint,
          routeTableIds: withItem(endpoint.routeTableIds, read(routeTable)),
        };
        return;
      }
      // `aws_vpc_endpoint.this[var.key].id`: one of the instances gets the table, which one is
      // not known, so none of them has a known set of route tables.
      const address = endpointAddress(block);
      if (address === undefined) return;
      resources.forEach((r, j) => {
        if (r.kind !== 'vpc-endpoint' || !r.address.startsWith(`${address}[`)) return;
        resources[j] = {
          ...r,
          routeTableIds: unknown(
            `route table association ${block.address} with an instance not known`,
            block.range,
          ),
        };
      });
      return;
    }
    if (type !== 'aws_vpc_endpoint_policy') return;
    const attribute = block.attributes.get('policy');
    const value = attribute ? policyValue(read(attribute)) : undefined;
    const at = endpointFor(block);
    const endpoint = at !== undefined ? resources[at] : undefined;
    const endpointBlock = endpoint ? blocks.find((b) => b.address === endpoint.address) : undefined;
    if (endpoint?.kind === 'vpc-endpoint' && at !== undefined && value && endpointBlock) {
      // Under `count = c ? 1 : 0` the separate policy replaces the endpoint's own only when `c`
      // holds; otherwise the endpoint keeps its own policy (or none).
      const ownAttribute = endpointBlock.attributes.get('policy');
      const combined: Value =
        block.condition === undefined
          ? value
          : {
              kind: 'conditional',
              condition: block.condition,
              whenTrue: value,
              whenFalse: ownAttribute
                ? policyValue(read(ownAttribute))
                : { kind: 'absent', range: block.range },
              range: block.range,
            };
      const policy = policyFrom(combined, 'endpoint', block.range, endpoint.condition, diagnostics);
      resources[at] = { ...endpoint, policy };
      return;
    }
    const policy = value
      ? policyFrom(value, 'endpoint', block.range, block.condition, diagnostics)
      : undefined;
    const own = resources[i];
    if (!own) return;
    const standIn: VpcEndpointResource = {
      ...own,
      kind: 'vpc-endpoint',
      serviceName: undefined,
      isS3: 'unknown',
      endpointType: 'unknown',
      vpcId: undefined,
      routeTableIds: undefined,
      subnetIds: undefined,
      ipAddressType: undefined,
      serviceRegion: undefined,
      policy,
    };
    resources[i] = standIn;
  });
}

function withItem(list: Value | undefined, item: Value): Value {
  if (!list) return { kind: 'list', items: [item], range: item.range };
  if (list.kind === 'list') return { ...list, items: [...list.items, item] };
  // An unknown or conditional list plus one more table: the whole set is not known.
  return { kind: 'unknown', reason: 'route tables not resolved', range: list.range };
}

/** Arguments and nested blocks as one map, for rules that look at other properties. */
function propertiesOf(block: TfBlock): MapValue {
  const entries: MapEntry[] = [];
  for (const attribute of block.attributes.values()) {
    entries.push({ key: attribute.name, keyRange: attribute.nameRange, value: read(attribute) });
  }
  const nestedTypes = [...new Set(block.blocks.map((b) => b.type))];
  for (const type of nestedTypes) {
    const nested = block.blocks.filter((b) => b.type === type);
    const first = nested[0];
    if (!first) continue;
    entries.push({
      key: type,
      keyRange: first.range,
      value: {
        kind: 'list',
        items: nested.map(propertiesOf),
        range: spanRanges(first.range, nested[nested.length - 1]?.range ?? first.range),
      },
    });
  }
  return { kind: 'map', entries, range: block.range };
}

function nameOf(attribute: TfAttribute | undefined): string | undefined {
  if (!attribute) return undefined;
  const value = read(attribute);
  return literalString(value) ?? displayValue(value);
}

function hasNoStatements(variant: PolicyVariant): boolean {
  return (
    variant.document.statements.length === 0 &&
    variant.document.diagnostics.some((d) => d.code === 'no-statements') &&
    (variant.document.unresolved ?? []).length === 0
  );
}

/** A condition's source text on one line, cut short for messages. */
function brief(condition: string): string {
  const line = condition.replace(/\s+/g, ' ').trim();
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}
