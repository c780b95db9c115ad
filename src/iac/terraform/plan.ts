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
import type {
  PolicyRef,
  PolicyRole,
  Resource,
  Scope,
  ScopeDiagnostic,
  VpcEndpointResource,
} from '../model.js';
import { isS3ServiceName } from '../cloudformation/resources.js';

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
  const resources: Resource[] = [];
  const diagnostics: ScopeDiagnostic[] = [];
  const visit = (module: unknown, depth: number): void => {
    if (!isObject(module) || depth > MAX_MODULE_DEPTH) return;
    const m = module as PlanModule;
    for (const raw of Array.isArray(m.resources) ? m.resources : []) {
      const resource = planResource(raw);
      if (!resource || resource.mode === 'data') continue;
      const range = locator.find(resource.address);
      const built = buildResource(resource, range, unknownAfter.get(resource.address));
      resources.push(built.resource);
      diagnostics.push(...built.diagnostics);
    }
    for (const child of Array.isArray(m.child_modules) ? m.child_modules : [])
      visit(child, depth + 1);
  };
  visit(plan.planned_values.root_module, 0);

  const region = providerRegion(plan.configuration);
  return {
    id: file,
    format: 'terraform',
    files: [file],
    resources,
    diagnostics,
    ...(region !== undefined ? { region } : {}),
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

function buildResource(
  planned: PlanResource,
  range: SourceRange,
  afterUnknown: Record<string, unknown> | undefined,
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
  ): PolicyRef | undefined => {
    const built = policyFrom(value, role, range, name);
    if (built?.diagnostic) diagnostics.push(built.diagnostic);
    return built?.policy;
  };
  const name = (value: Value | undefined): string | undefined => literalString(value);

  let resource: Resource;
  switch (planned.type) {
    case 'aws_vpc_endpoint': {
      const serviceName = attribute('service_name');
      resource = {
        ...base,
        kind: 'vpc-endpoint',
        serviceName,
        isS3: isS3ServiceName(serviceName),
        endpointType: endpointTypeOf(attribute('vpc_endpoint_type')),
        vpcId: attribute('vpc_id'),
        routeTableIds: attribute('route_table_ids'),
        subnetIds: attribute('subnet_ids'),
        ipAddressType: attribute('ip_address_type'),
        serviceRegion: attribute('service_region'),
        policy: policyAt(attribute('policy'), 'endpoint'),
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

function endpointTypeOf(value: Value | undefined): VpcEndpointResource['endpointType'] {
  // Terraform's default, as CloudFormation's.
  if (!value) return 'Gateway';
  const literal = literalString(value)?.toLowerCase();
  if (literal === 'gateway') return 'Gateway';
  if (literal === 'interface') return 'Interface';
  if (literal === 'gatewayloadbalancer') return 'GatewayLoadBalancer';
  return 'unknown';
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
