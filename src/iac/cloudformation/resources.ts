/**
 * Template resources → the shared model (`src/iac/model.ts`). Only the types the rules read get
 * their own kind; every other resource is kept as `other` so rules can still see which services
 * a template uses.
 */
import { spanRanges } from '../../core/range.js';
import { endpointTypeOf, isS3ServiceName } from '../endpoint-service.js';
import type { Assumption, MapValue, Value } from '../../core/value.js';
import { displayValue, literalString, mapGet } from '../../core/value.js';
import type { PolicyRef, PolicyRole, Resource, ScopeDiagnostic } from '../model.js';
import type { RawEntry, RawNode } from './parse.js';
import { entriesOf, rawGet, Resolver, scalarText, templateContext } from './resolve.js';
import { parseTemplateText } from './parse.js';
import { buildPolicy } from './policies.js';
import { declaredSuppressions } from './metadata.js';

export interface ExtractedResources {
  readonly resources: readonly Resource[];
  readonly diagnostics: readonly ScopeDiagnostic[];
}

export function extractResources(
  root: RawNode | undefined,
  resolver: Resolver,
  addressPrefix = '',
): ExtractedResources {
  const resources: Resource[] = [];
  const diagnostics: ScopeDiagnostic[] = [];
  for (const entry of entriesOf(rawGet(root, 'Resources'))) {
    const extracted = extractResource(entry, resolver, diagnostics, addressPrefix);
    if (!extracted) continue;
    resources.push(extracted);
    if (extracted.type === 'AWS::CloudFormation::StackSet' && addressPrefix === '') {
      const body = rawGet(rawGet(entry.value, 'Properties'), 'TemplateBody');
      const embedded = embeddedTemplate(body, diagnostics);
      if (!embedded) continue;
      const prefix = `${extracted.address}/`;
      const inner = extractResources(
        embedded,
        new Resolver(templateContext(embedded), prefix),
        prefix,
      );
      const condition = extracted.condition;
      for (const r of inner.resources)
        resources.push(condition && !r.condition ? { ...r, condition } : r);
      diagnostics.push(...inner.diagnostics);
    }
  }
  return { resources, diagnostics };
}

/**
 * A template written inline as a literal block scalar (`TemplateBody: |`). It is parsed from a
 * copy of the file in which everything before the block is blanked out, so every line and column
 * of the embedded template is its true position in the file.
 */
function embeddedTemplate(
  node: RawNode | undefined,
  diagnostics: ScopeDiagnostic[],
): RawNode | undefined {
  if (node?.kind !== 'scalar' || node.style !== 'literal' || typeof node.value !== 'string') {
    return undefined;
  }
  const text = node.src.text;
  const contentStart = text.indexOf('\n', node.start) + 1;
  if (contentStart <= 0 || contentStart >= node.end) return undefined;
  const linesBefore = text.slice(0, contentStart).split('\n').length - 1;
  const embedded = '\n'.repeat(linesBefore) + text.slice(contentStart, node.end);
  const parsed = parseTemplateText(node.src.file, embedded);
  if (!parsed.ok) {
    const message = `embedded template not read: ${parsed.message}`;
    diagnostics.push({ kind: 'unresolved', message, range: parsed.range });
    return undefined;
  }
  return parsed.root;
}

function extractResource(
  entry: RawEntry,
  resolver: Resolver,
  diagnostics: ScopeDiagnostic[],
  addressPrefix: string,
): Resource | undefined {
  const definition = entry.value;
  if (definition.kind !== 'map') return undefined;
  const type = scalarText(rawGet(definition, 'Type')) ?? '';
  const condition = scalarText(rawGet(definition, 'Condition'));
  const rawProperties = rawGet(definition, 'Properties');
  const resolved = rawProperties ? resolver.resolve(rawProperties) : undefined;
  const properties: MapValue =
    resolved?.kind === 'map'
      ? resolved
      : { kind: 'map', entries: [], range: rawProperties?.range ?? definition.range };
  const suppressions = declaredSuppressions(definition);
  const base = {
    address: addressPrefix + entry.key,
    type,
    format: 'cloudformation' as const,
    range: spanRanges(entry.keyRange, definition.range),
    properties,
    ...(condition !== undefined ? { condition } : {}),
    ...(suppressions ? { suppressions } : {}),
  };
  const prop = (name: string): Value | undefined => mapGet(properties, name)?.value;
  const rawProp = (name: string): RawEntry | undefined =>
    entriesOf(rawProperties).find((e) => e.key === name);
  const policyAt = (name: string, role: PolicyRole, policyName?: string): PolicyRef | undefined => {
    const raw = rawProp(name);
    if (!raw) return undefined;
    const built = buildPolicy(resolver, role, raw, policyName, [], condition);
    diagnostics.push(...built.diagnostics);
    return built.policy;
  };

  switch (type) {
    case 'AWS::EC2::VPCEndpoint': {
      const serviceName = prop('ServiceName');
      return {
        ...base,
        kind: 'vpc-endpoint',
        serviceName,
        isS3: isS3ServiceName(serviceName),
        endpointType: endpointTypeOf(prop('VpcEndpointType')),
        vpcId: prop('VpcId'),
        routeTableIds: prop('RouteTableIds'),
        subnetIds: prop('SubnetIds'),
        ipAddressType: prop('IpAddressType'),
        serviceRegion: prop('ServiceRegion'),
        policy: policyAt('PolicyDocument', 'endpoint'),
      };
    }
    case 'AWS::S3::BucketPolicy':
      return {
        ...base,
        kind: 'bucket-policy',
        bucket: prop('Bucket'),
        policy: policyAt('PolicyDocument', 'bucket'),
      };
    case 'AWS::S3::Bucket':
      return { ...base, kind: 'bucket', bucketName: prop('BucketName'), policy: undefined };
    case 'AWS::IAM::Policy':
    case 'AWS::IAM::ManagedPolicy': {
      const name = literalName(
        prop(type === 'AWS::IAM::Policy' ? 'PolicyName' : 'ManagedPolicyName'),
      );
      const policy = policyAt('PolicyDocument', 'identity', name);
      return { ...base, kind: 'iam-policy', policies: policy ? [policy] : [] };
    }
    case 'AWS::IAM::Role':
    case 'AWS::IAM::User':
    case 'AWS::IAM::Group': {
      const policies: PolicyRef[] = [];
      const list = rawProp('Policies');
      if (list) inlinePolicies(list.value, resolver, [], policies, diagnostics, condition);
      return { ...base, kind: 'iam-policy', policies };
    }
    case 'AWS::Serverless::Function': {
      const policies: PolicyRef[] = [];
      const list = rawProp('Policies');
      if (list) samPolicies(list, resolver, policies, diagnostics);
      return { ...base, kind: 'iam-policy', policies };
    }
    case 'AWS::EC2::VPC':
      return { ...base, kind: 'vpc', cidrBlock: prop('CidrBlock') };
    case 'AWS::EC2::Subnet':
      return {
        ...base,
        kind: 'subnet',
        vpcId: prop('VpcId'),
        cidrBlock: prop('CidrBlock'),
        ipv6CidrBlock: prop('Ipv6CidrBlock'),
        ipv6Native: prop('Ipv6Native'),
        availabilityZone: prop('AvailabilityZone'),
      };
    case 'AWS::EC2::RouteTable':
      return { ...base, kind: 'route-table', vpcId: prop('VpcId') };
    default:
      return { ...base, kind: 'other' };
  }
}

/**
 * Inline policies of a role/user/group: `[{PolicyName, PolicyDocument}, …]`, where items (or
 * the whole list) may sit inside `!If`; each branch's policies carry that assumption.
 */
function inlinePolicies(
  node: RawNode,
  resolver: Resolver,
  assumptions: readonly Assumption[],
  into: PolicyRef[],
  diagnostics: ScopeDiagnostic[],
  resourceCondition?: string,
): void {
  const recurse = (next: RawNode, nextAssumptions: readonly Assumption[]): void =>
    inlinePolicies(next, resolver, nextAssumptions, into, diagnostics, resourceCondition);
  const conditional = ifBranches(node);
  if (conditional) {
    // The resource's own condition holds wherever the resource exists.
    if (conditional.condition === resourceCondition)
      return recurse(conditional.whenTrue, assumptions);
    for (const [branch, value] of [
      [conditional.whenTrue, true],
      [conditional.whenFalse, false],
    ] as const) {
      recurse(branch, [...assumptions, { condition: conditional.condition, value }]);
    }
    return;
  }
  if (node.kind === 'seq') {
    for (const item of node.items) recurse(item, assumptions);
    return;
  }
  const documentEntry =
    node.kind === 'map' ? node.entries.find((e) => e.key === 'PolicyDocument') : undefined;
  if (!documentEntry) {
    if (node.kind === 'unknown') {
      into.push({ role: 'identity', range: node.range, variants: [], unresolved: node.reason });
      diagnostics.push({
        kind: 'unresolved',
        message: `policy not evaluated: ${node.reason}`,
        range: node.range,
      });
    }
    return;
  }
  const nameNode = rawGet(node, 'PolicyName');
  const name = nameNode ? literalName(resolver.resolve(nameNode)) : undefined;
  const built = buildPolicy(
    resolver,
    'identity',
    documentEntry,
    name,
    assumptions,
    resourceCondition,
  );
  diagnostics.push(...built.diagnostics);
  into.push(built.policy);
}

/** SAM `Policies`: managed policy names, policy templates, or inline documents (`{Statement: …}`). */
function samPolicies(
  entry: RawEntry,
  resolver: Resolver,
  into: PolicyRef[],
  diagnostics: ScopeDiagnostic[],
): void {
  const items = entry.value.kind === 'seq' ? entry.value.items : [entry.value];
  for (const item of items) {
    if (item.kind !== 'map' || !item.entries.some((e) => e.key === 'Statement')) continue;
    const built = buildPolicy(
      resolver,
      'identity',
      { key: entry.key, keyRange: entry.keyRange, value: item },
      undefined,
    );
    diagnostics.push(...built.diagnostics);
    into.push(built.policy);
  }
}

function ifBranches(
  node: RawNode,
): { condition: string; whenTrue: RawNode; whenFalse: RawNode } | undefined {
  if (node.kind !== 'map' || node.entries.length !== 1) return undefined;
  const [entry] = node.entries;
  if (entry?.key !== 'Fn::If' || entry.value.kind !== 'seq') return undefined;
  const [condition, whenTrue, whenFalse] = entry.value.items;
  const name = scalarText(condition);
  return name && whenTrue && whenFalse ? { condition: name, whenTrue, whenFalse } : undefined;
}

/** A policy's name for messages: literal text, references in `${Name}` form. */
function literalName(value: Value | undefined): string | undefined {
  if (!value) return undefined;
  if (value.kind !== 'string') return literalString(value) ?? displayValue(value);
  return value.parts
    .map((part) =>
      part.kind === 'text' ? part.text : `\${${part.ref.display.replace(/^!(?:Ref|GetAtt) /, '')}}`,
    )
    .join('');
}

/** The Region a template pins by naming literal Availability Zones (`us-east-1a`), if they agree. */
export function regionFromZones(resources: readonly Resource[]): string | undefined {
  const regions = new Set<string>();
  const visit = (value: Value | undefined, underZoneKey: boolean): void => {
    if (!value) return;
    if (value.kind === 'map')
      value.entries.forEach((e) => visit(e.value, /^AvailabilityZones?$/.test(e.key)));
    else if (value.kind === 'list') value.items.forEach((i) => visit(i, underZoneKey));
    else if (value.kind === 'conditional')
      [value.whenTrue, value.whenFalse].forEach((v) => visit(v, underZoneKey));
    else if (underZoneKey) {
      const zone = /^([a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d+)[a-z]$/.exec(
        literalString(value) ?? '',
      );
      if (zone?.[1]) regions.add(zone[1]);
    }
  };
  for (const resource of resources) visit(resource.properties, false);
  return regions.size === 1 ? [...regions][0] : undefined;
}
