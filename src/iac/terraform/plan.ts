/**
 * `terraform show -json <planfile>` output → the shared model. A plan is the one Terraform input
 * in which everything Terraform could compute is already literal: variables substituted,
 * `aws_iam_policy_document` rendered, modules expanded. What it could not compute ("known after
 * apply") is listed in `resource_changes[].change.after_unknown`, and stays unknown here.
 *
 * Positions: a plan is machine output, often on one line; a finding points at the resource's
 * `"address"` entry under `planned_values`, which is what a user can search for.
 */
import type { SourceRange } from '../../core/range.js';
import { lineRange, rangeOf } from '../../core/range.js';
import type { MapValue, Value } from '../../core/value.js';
import { literalString, mapGet, text, unknown } from '../../core/value.js';
import type { ParseOptions } from '../../policy/parse.js';
import { parsePolicyDocument } from '../../policy/parse.js';
import type { PolicyRef, PolicyRole, Resource, Scope, ScopeDiagnostic } from '../model.js';
import { endpointTypeOf, isS3ServiceName } from '../endpoint-service.js';

/** Plans are read whole with `JSON.parse`; beyond this depth a value is reported as unknown. */
const MAX_DEPTH = 64;
/** Module nesting beyond this is not followed (Terraform itself has no such depth in practice). */
const MAX_MODULE_DEPTH = 32;

const PRINCIPAL_BY_ROLE: Readonly<Record<PolicyRole, ParseOptions['principal']>> = {
  endpoint: 'optional',
  bucket: 'required',
  identity: 'forbidden',
};

/**
 * Cheap content test: plan JSON starts with an object holding `format_version` and
 * `planned_values` (state JSON from `terraform show -json` without a plan has `values` instead,
 * and is not a plan).
 */
export function looksLikeTerraformPlan(text: string): boolean {
  if (!text.trimStart().startsWith('{')) return false;
  return /"format_version"\s*:/.test(text) && /"planned_values"\s*:/.test(text);
}

interface PlanResource {
  readonly address: string;
  readonly mode?: string;
  readonly type: string;
  readonly values: Record<string, unknown>;
}

interface PlanModule {
  readonly resources?: unknown;
  readonly child_modules?: unknown;
}

export function loadTerraformPlan(file: string, text: string): Scope {
  const empty = (message: string, range: SourceRange): Scope => ({
    id: file,
    format: 'terraform',
    plan: true,
    files: [file],
    resources: [],
    diagnostics: [{ kind: 'parse-error', message, range }],
  });
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch (error) {
    return empty(
      `plan JSON not readable: ${error instanceof Error ? error.message : String(error)}`,
      lineRange(file, 1),
    );
  }
  if (!isObject(plan) || !isObject(plan.planned_values)) {
    return empty('not a Terraform plan: no planned_values', lineRange(file, 1));
  }

  const locator = new AddressLocator(file, text);
  const unknownAfter = afterUnknownByAddress(plan.resource_changes);
  const planned: PlanResource[] = [];
  const visit = (module: unknown, depth: number): void => {
    if (!isObject(module) || depth > MAX_MODULE_DEPTH) return;
    const m = module as PlanModule;
    for (const raw of Array.isArray(m.resources) ? m.resources : []) {
      const resource = planResource(raw);
      if (resource && resource.mode !== 'data') planned.push(resource);
    }
    for (const child of Array.isArray(m.child_modules) ? m.child_modules : [])
      visit(child, depth + 1);
  };
  visit(plan.planned_values.root_module, 0);

  const config = configExpressions(plan.configuration);
  const attached = attachments(planned, config);
  const resources: Resource[] = [];
  const diagnostics: ScopeDiagnostic[] = [];
  for (const resource of planned) {
    const range = locator.find(resource.address);
    const built = buildResource(resource, range, unknownAfter.get(resource.address), {
      config: config.get(configKey(resource.address)),
      attached: attached.get(resource.address),
      unmatchedPolicies: attached.unmatchedPolicies,
      policyRange: (address) => locator.find(address),
      unknownAfter: (address) => unknownAfter.get(address),
    });
    resources.push(built.resource);
    diagnostics.push(...built.diagnostics);
  }

  const region = providerRegion(plan.configuration);
  return {
    id: file,
    format: 'terraform',
    plan: true,
    files: [file],
    resources,
    diagnostics,
    ...(region !== undefined ? { region, regionSource: 'literal' as const } : {}),
  };
}

function planResource(raw: unknown): PlanResource | undefined {
  if (!isObject(raw)) return undefined;
  const { address, type, mode, values } = raw;
  if (typeof address !== 'string' || typeof type !== 'string') return undefined;
  return {
    address,
    type,
    ...(typeof mode === 'string' ? { mode } : {}),
    values: isObject(values) ? values : {},
  };
}

/** `after_unknown` per resource address: which attributes are known only after apply. */
function afterUnknownByAddress(changes: unknown): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  if (!Array.isArray(changes)) return out;
  for (const change of changes) {
    if (!isObject(change) || typeof change.address !== 'string' || !isObject(change.change))
      continue;
    const after = change.change.after_unknown;
    if (isObject(after)) out.set(change.address, after);
  }
  return out;
}

/** The default aws provider's Region when the configuration writes it as a constant. */
function providerRegion(configuration: unknown): string | undefined {
  if (!isObject(configuration) || !isObject(configuration.provider_config)) return undefined;
  const aws = configuration.provider_config.aws;
  if (!isObject(aws) || !isObject(aws.expressions) || !isObject(aws.expressions.region))
    return undefined;
  const region = aws.expressions.region.constant_value;
  return typeof region === 'string' ? region : undefined;
}

interface Built {
  readonly resource: Resource;
  readonly diagnostics: readonly ScopeDiagnostic[];
}

interface BuildContext {
  /** The resource's `expressions` in the plan's configuration, when present. */
  readonly config: Record<string, unknown> | undefined;
  /** Separate resources that set this endpoint's policy or add route tables to it. */
  readonly attached: Attached | undefined;
  /** Some `aws_vpc_endpoint_policy` could not be tied to one endpoint: any endpoint may have it. */
  readonly unmatchedPolicies: boolean;
  readonly policyRange: (address: string) => SourceRange;
  readonly unknownAfter: (address: string) => Record<string, unknown> | undefined;
}

function buildResource(
  planned: PlanResource,
  range: SourceRange,
  afterUnknown: Record<string, unknown> | undefined,
  context: BuildContext,
): Built {
  const diagnostics: ScopeDiagnostic[] = [];
  // An attribute Terraform will compute at apply time is absent from `values`: it is unknown,
  // not unset (an endpoint whose policy is computed is not an endpoint without a policy).
  const attribute = (name: string): Value | undefined => {
    if (afterUnknown?.[name] === true) return unknown('known only after apply', range);
    const raw = planned.values[name];
    return raw === undefined || raw === null ? undefined : jsonToValue(raw, range, 0);
  };
  const properties = jsonToValue(planned.values, range, 0);
  const base = {
    address: planned.address,
    type: planned.type,
    format: 'terraform' as const,
    range,
    properties:
      properties.kind === 'map'
        ? properties
        : ({ kind: 'map', entries: [], range } satisfies MapValue),
  };
  const policyAt = (
    value: Value | undefined,
    role: PolicyRole,
    name?: string,
    at: SourceRange = range,
  ): PolicyRef | undefined => {
    const built = policyFrom(value, role, at, name);
    if (built?.diagnostic) diagnostics.push(built.diagnostic);
    return built?.policy;
  };
  const name = (value: Value | undefined): string | undefined => literalString(value);

  let resource: Resource;
  switch (planned.type) {
    case 'aws_vpc_endpoint': {
      const serviceName = attribute('service_name');
      const policy = endpointPolicy(attribute('policy'), context, policyAt);
      resource = {
        ...base,
        kind: 'vpc-endpoint',
        serviceName,
        isS3: isS3ServiceName(serviceName),
        endpointType: endpointTypeOf(attribute('vpc_endpoint_type')),
        vpcId: attribute('vpc_id'),
        routeTableIds: withRouteTables(attribute('route_table_ids'), context, range),
        subnetIds: attribute('subnet_ids'),
        ipAddressType: attribute('ip_address_type'),
        serviceRegion: attribute('service_region'),
        policy,
      };
      break;
    }
    case 'aws_s3_bucket_policy':
      resource = {
        ...base,
        kind: 'bucket-policy',
        bucket: attribute('bucket'),
        policy: policyAt(attribute('policy'), 'bucket'),
      };
      break;
    case 'aws_s3_bucket':
      resource = {
        ...base,
        kind: 'bucket',
        bucketName: attribute('bucket'),
        policy: policyAt(attribute('policy'), 'bucket'),
      };
      break;
    case 'aws_iam_policy':
    case 'aws_iam_role_policy':
    case 'aws_iam_user_policy':
    case 'aws_iam_group_policy': {
      const policy = policyAt(attribute('policy'), 'identity', name(attribute('name')));
      resource = { ...base, kind: 'iam-policy', policies: policy ? [policy] : [] };
      break;
    }
    case 'aws_iam_role':
    case 'aws_iam_user':
    case 'aws_iam_group': {
      // `inline_policy` blocks (roles only): each a name and a JSON policy.
      const policies: PolicyRef[] = [];
      const inline = attribute('inline_policy');
      for (const item of inline?.kind === 'list' ? inline.items : []) {
        const policy = policyAt(
          mapGet(item, 'policy')?.value,
          'identity',
          name(mapGet(item, 'name')?.value),
        );
        if (policy) policies.push(policy);
      }
      resource = { ...base, kind: 'iam-policy', policies };
      break;
    }
    case 'aws_vpc':
      resource = { ...base, kind: 'vpc', cidrBlock: attribute('cidr_block') };
      break;
    case 'aws_subnet':
      resource = {
        ...base,
        kind: 'subnet',
        vpcId: attribute('vpc_id'),
        cidrBlock: attribute('cidr_block'),
        ipv6CidrBlock: attribute('ipv6_cidr_block'),
        ipv6Native: attribute('ipv6_native'),
        availabilityZone: attribute('availability_zone'),
      };
      break;
    case 'aws_route_table':
      resource = { ...base, kind: 'route-table', vpcId: attribute('vpc_id') };
      break;
    default:
      resource = { ...base, kind: 'other' };
  }
  return { resource, diagnostics };
}

/**
 * An endpoint's policy in a plan. A `policy` Terraform computes at apply time is unknown, with
 * one exception: when the configuration does not set it and no `aws_vpc_endpoint_policy`
 * applies, the provider only reads back the default policy, so the endpoint has none of its own
 * (the case that matters most: the default allows everything). A separate
 * `aws_vpc_endpoint_policy` replaces the endpoint's own and is read at its own address.
 */
function endpointPolicy(
  own: Value | undefined,
  context: BuildContext,
  policyAt: (
    value: Value | undefined,
    role: PolicyRole,
    name?: string,
    at?: SourceRange,
  ) => PolicyRef | undefined,
): PolicyRef | undefined {
  const separate = context.attached?.policy;
  if (separate) {
    const range = context.policyRange(separate.address);
    const after = context.unknownAfter(separate.address);
    const raw = separate.values.policy;
    const value: Value | undefined =
      after?.policy === true
        ? unknown('known only after apply', range)
        : typeof raw === 'string'
          ? text(raw, range)
          : undefined;
    return policyAt(value, 'endpoint', undefined, range);
  }
  if (
    own?.kind === 'unknown' &&
    context.config !== undefined &&
    !('policy' in context.config) &&
    !context.unmatchedPolicies
  ) {
    return undefined;
  }
  return policyAt(own, 'endpoint');
}

/** Route tables added by `aws_vpc_endpoint_route_table_association` resources. */
function withRouteTables(
  own: Value | undefined,
  context: BuildContext,
  range: SourceRange,
): Value | undefined {
  const tables = context.attached?.routeTables ?? [];
  if (tables.length === 0) return own;
  const items: Value[] = own?.kind === 'list' ? [...own.items] : [];
  if (own !== undefined && own.kind !== 'list') return own;
  for (const table of tables) {
    const id = table.values.route_table_id;
    items.push(
      typeof id === 'string'
        ? text(id, context.policyRange(table.address))
        : unknown('known only after apply', context.policyRange(table.address)),
    );
  }
  return { kind: 'list', items, range: own?.range ?? range };
}

interface Attached {
  policy?: PlanResource;
  routeTables: PlanResource[];
}

type Attachments = Map<string, Attached> & { unmatchedPolicies: boolean };

/**
 * Which endpoint each `aws_vpc_endpoint_policy` / `..._route_table_association` belongs to: its
 * planned `vpc_endpoint_id` equal to an endpoint's planned `id` (existing endpoints), or its
 * configuration referring to exactly one planned endpoint (new ones, whose ID is not known yet).
 */
function attachments(
  planned: readonly PlanResource[],
  config: ReadonlyMap<string, Record<string, unknown>>,
): Attachments {
  const out = new Map<string, Attached>() as Attachments;
  out.unmatchedPolicies = false;
  const endpoints = planned.filter((r) => r.type === 'aws_vpc_endpoint');
  const byAddress = new Set(endpoints.map((e) => e.address));
  for (const resource of planned) {
    const isPolicy = resource.type === 'aws_vpc_endpoint_policy';
    if (!isPolicy && resource.type !== 'aws_vpc_endpoint_route_table_association') continue;
    let target: string | undefined;
    const id = resource.values.vpc_endpoint_id;
    if (typeof id === 'string') target = endpoints.find((e) => e.values.id === id)?.address;
    if (target === undefined) {
      const prefix = modulePrefix(resource.address);
      const expression = config.get(configKey(resource.address))?.vpc_endpoint_id;
      const references =
        isObject(expression) && Array.isArray(expression.references) ? expression.references : [];
      target = references
        .filter((r): r is string => typeof r === 'string')
        .map((r) => prefix + r)
        .find((r) => byAddress.has(r));
    }
    if (target === undefined) {
      if (isPolicy) out.unmatchedPolicies = true;
      continue;
    }
    const entry = out.get(target) ?? { routeTables: [] };
    if (isPolicy) entry.policy = resource;
    else entry.routeTables.push(resource);
    out.set(target, entry);
  }
  return out;
}

/**
 * The configuration's `expressions` per resource, keyed by address without instance keys
 * (`module.net.aws_vpc_endpoint.this`): count/for_each instances share one configuration.
 */
function configExpressions(configuration: unknown): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  const walk = (module: unknown, prefix: string, depth: number): void => {
    if (!isObject(module) || depth > MAX_MODULE_DEPTH) return;
    for (const resource of Array.isArray(module.resources) ? module.resources : []) {
      if (!isObject(resource) || typeof resource.address !== 'string') continue;
      if (resource.mode === 'data') continue;
      out.set(
        prefix + resource.address,
        isObject(resource.expressions) ? resource.expressions : {},
      );
    }
    if (!isObject(module.module_calls)) return;
    for (const [name, call] of Object.entries(module.module_calls)) {
      if (isObject(call)) walk(call.module, `${prefix}module.${name}.`, depth + 1);
    }
  };
  if (isObject(configuration)) walk(configuration.root_module, '', 0);
  return out;
}

/** `module.a["x"].aws_vpc_endpoint.this["s3"]` → `module.a.aws_vpc_endpoint.this`. */
function configKey(address: string): string {
  return address.replace(/\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\]/g, '');
}

/** The module path of an address, with instance keys, as references inside it are relative. */
function modulePrefix(address: string): string {
  const match = /^((?:module\.[^.[]+(?:\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\])?\.)*)/.exec(address);
  return match?.[1] ?? '';
}

/** A policy attribute (a JSON string in a plan) → a `PolicyRef`; undefined when unset or empty. */
function policyFrom(
  value: Value | undefined,
  role: PolicyRole,
  range: SourceRange,
  name: string | undefined,
): { policy: PolicyRef; diagnostic?: ScopeDiagnostic } | undefined {
  if (!value) return undefined;
  const base = { role, range, ...(name !== undefined ? { name } : {}) };
  if (value.kind === 'unknown') {
    return {
      policy: { ...base, variants: [], unresolved: value.reason },
      diagnostic: {
        kind: 'unresolved',
        message: `policy not evaluated: ${value.reason}`,
        range,
      },
    };
  }
  const json = literalString(value);
  if (json === undefined || json.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    const message = `policy is not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
    return {
      policy: {
        ...base,
        variants: [
          {
            assumptions: [],
            document: {
              statements: [],
              diagnostics: [{ code: 'bad-json', message, range }],
              range,
            },
          },
        ],
      },
    };
  }
  const document = parsePolicyDocument(jsonToValue(parsed, range, 0), {
    principal: PRINCIPAL_BY_ROLE[role],
  });
  return { policy: { ...base, variants: [{ assumptions: [], document }] } };
}

/** Parsed JSON → a literal Value; every part carries the resource's range (a plan has no finer one). */
function jsonToValue(raw: unknown, range: SourceRange, depth: number): Value {
  if (depth > MAX_DEPTH) return unknown('value nested too deeply', range);
  if (raw === null || raw === undefined) return { kind: 'null', range };
  if (typeof raw === 'string') return text(raw, range);
  if (typeof raw === 'number') return { kind: 'number', value: raw, range };
  if (typeof raw === 'boolean') return { kind: 'boolean', value: raw, range };
  if (Array.isArray(raw))
    return { kind: 'list', items: raw.map((item) => jsonToValue(item, range, depth + 1)), range };
  if (isObject(raw)) {
    return {
      kind: 'map',
      entries: Object.entries(raw).map(([key, value]) => ({
        key,
        keyRange: range,
        value: jsonToValue(value, range, depth + 1),
      })),
      range,
    };
  }
  return unknown('unsupported JSON value', range);
}

/**
 * Finds where each resource's `"address": "<address>"` is written under `planned_values`.
 * The same address also appears under `resource_changes` and `prior_state`; `planned_values`
 * comes first in Terraform's output, so the first match after its key is the one.
 */
class AddressLocator {
  private readonly from: number;
  private lineStarts: number[] | undefined;

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {
    this.from = Math.max(0, text.indexOf('"planned_values"'));
  }

  find(address: string): SourceRange {
    const needle = new RegExp(`"address"\\s*:\\s*${escapeRegExp(JSON.stringify(address))}`, 'g');
    needle.lastIndex = this.from;
    const match = needle.exec(this.text) ?? ((needle.lastIndex = 0), needle.exec(this.text));
    if (!match) return lineRange(this.file, 1);
    const start = this.position(match.index);
    const end = this.position(match.index + match[0].length);
    return rangeOf(this.file, start.line, start.column, end.line, end.column);
  }

  private position(offset: number): { line: number; column: number } {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let i = 0; i < this.text.length; i++)
        if (this.text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (this.lineStarts[low] ?? 0) + 1 };
  }
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
