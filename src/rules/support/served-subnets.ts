/**
 * Which subnets in scope an endpoint serves: an interface endpoint its `SubnetIds`, a gateway
 * endpoint the subnets associated with its route tables (`AWS::EC2::SubnetRouteTableAssociation`,
 * `aws_route_table_association`). Only references to resources in scope count: a subnet ID
 * from a parameter or another stack is not known, and is left out.
 */
import type { SourceRange } from '../../core/range.js';
import { mapGet, soleRef, type Value } from '../../core/value.js';
import {
  type IacFormat,
  findResource,
  type Resource,
  type Scope,
  type SubnetResource,
  type VpcEndpointResource,
} from '../../iac/model.js';

const ASSOCIATION_TYPES: Readonly<Record<string, { table: string; subnet: string }>> = {
  'AWS::EC2::SubnetRouteTableAssociation': { table: 'RouteTableId', subnet: 'SubnetId' },
  aws_route_table_association: { table: 'route_table_id', subnet: 'subnet_id' },
};

/** The address a value references (`!Ref X`, `aws_x.y.id`), when it is one reference. */
export function referencedAddress(value: Value | undefined): string | undefined {
  const ref = soleRef(value);
  return ref?.target.kind === 'resource' ? ref.target.address : undefined;
}

function listItems(value: Value | undefined): readonly Value[] {
  return value?.kind === 'list' ? value.items : [];
}

export function servedSubnets(scope: Scope, endpoint: VpcEndpointResource): SubnetResource[] {
  const subnets = new Map<string, SubnetResource>();
  const add = (address: string | undefined): void => {
    const found = address !== undefined ? findResource(scope, address) : undefined;
    if (found?.kind === 'subnet') subnets.set(found.address, found);
  };
  if (endpoint.endpointType === 'Interface') {
    listItems(endpoint.subnetIds).forEach((v) => add(referencedAddress(v)));
  } else if (endpoint.endpointType === 'Gateway') {
    const tables = new Set(
      listItems(endpoint.routeTableIds).flatMap((v) => {
        const a = referencedAddress(v);
        return a !== undefined ? [a] : [];
      }),
    );
    const byTable = associationsOf(scope);
    for (const table of tables) for (const subnet of byTable.get(table) ?? []) add(subnet);
  }
  return [...subnets.values()];
}

/**
 * Route table address → addresses of the subnets associated with it, built once per scope:
 * asked per endpoint, a walk over every resource made large modules quadratic.
 */
const associations = new WeakMap<Scope, ReadonlyMap<string, readonly string[]>>();

function associationsOf(scope: Scope): ReadonlyMap<string, readonly string[]> {
  let byTable = associations.get(scope);
  if (!byTable) {
    const map = new Map<string, string[]>();
    for (const r of scope.resources) {
      const keys = ASSOCIATION_TYPES[r.type];
      if (!keys) continue;
      const table = referencedAddress(mapGet(r.properties, keys.table)?.value);
      const subnet = referencedAddress(mapGet(r.properties, keys.subnet)?.value);
      if (table === undefined || subnet === undefined) continue;
      const list = map.get(table);
      if (list) list.push(subnet);
      else map.set(table, [subnet]);
    }
    byTable = map;
    associations.set(scope, byTable);
  }
  return byTable;
}

/**
 * Is a CIDR property set in every branch? A CloudFormation value the reader could not resolve
 * (`!Select [1, !Cidr [...]]`) is still a CIDR: only `AWS::NoValue` removes the property. A
 * Terraform variable passed whole may be `null`, so it does not count.
 */
function isSet(value: Value | undefined, format: IacFormat): boolean {
  if (!value) return false;
  switch (value.kind) {
    case 'string':
      return value.parts.length > 0 && !(value.parts.length === 1 && isTerraformVariable(value));
    case 'unknown':
      return format === 'cloudformation';
    case 'list':
      return value.items.some((item) => isSet(item, format));
    case 'conditional':
      return isSet(value.whenTrue, format) && isSet(value.whenFalse, format);
    default:
      return false;
  }
}

function isTerraformVariable(value: Value): boolean {
  const ref = soleRef(value);
  return ref?.target.kind === 'parameter' && ref.display.startsWith('var.');
}

function isTrue(value: Value | undefined): boolean {
  if (!value) return false;
  if (value.kind === 'boolean') return value.value;
  if (value.kind === 'string')
    return (
      value.parts.length === 1 &&
      value.parts[0]?.kind === 'text' &&
      value.parts[0].text.toLowerCase() === 'true'
    );
  if (value.kind === 'conditional') return isTrue(value.whenTrue) && isTrue(value.whenFalse);
  return false;
}

/**
 * Does the subnet have IPv6 addresses: IPv6-only, an IPv6 CIDR of its own, IPv6 addresses on
 * launch, or an `AWS::EC2::SubnetCidrBlock` adding one? Unknown values count as no.
 */
export function ipv6Reason(scope: Scope, subnet: SubnetResource): string | undefined {
  // A value written elsewhere (a Terraform variable's default) is the caller's to change.
  const own = (v: Value | undefined): Value | undefined =>
    v && writtenWithin(v, subnet.range) ? v : undefined;
  if (isTrue(own(subnet.ipv6Native))) return 'is IPv6-only';
  const p = (name: string): Value | undefined => own(mapGet(subnet.properties, name)?.value);
  if (isSet(own(subnet.ipv6CidrBlock), subnet.format) || isSet(p('Ipv6CidrBlocks'), subnet.format))
    return 'has an IPv6 CIDR block';
  if (isTrue(p('AssignIpv6AddressOnCreation')) || isTrue(p('assign_ipv6_address_on_creation')))
    return 'assigns IPv6 addresses';
  const added = scope.resources.some(
    (r: Resource) =>
      r.type === 'AWS::EC2::SubnetCidrBlock' &&
      referencedAddress(mapGet(r.properties, 'SubnetId')?.value) === subnet.address &&
      (isSet(mapGet(r.properties, 'Ipv6CidrBlock')?.value, r.format) ||
        isSet(mapGet(r.properties, 'Ipv6IpamPoolId')?.value, r.format)),
  );
  return added ? 'has an IPv6 CIDR block' : undefined;
}

/** Is the value written inside `range` (not taken from a variable's default elsewhere)? */
export function writtenWithin(value: Value, range: SourceRange): boolean {
  return (
    value.range.file === range.file &&
    value.range.startLine >= range.startLine &&
    value.range.endLine <= range.endLine
  );
}
