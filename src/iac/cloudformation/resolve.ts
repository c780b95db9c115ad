/**
 * The intrinsic-function resolver: raw template nodes → `Value`s. It computes what is
 * computable from the template alone (parameter defaults, mappings, `Fn::Sub`, `Fn::Join`, …),
 * keeps references whose identity is known but whose runtime value is not as symbolic
 * (`param:VpcId`, `pseudo:AWS::Region`, `S3Endpoint#id`), keeps `Fn::If` as a conditional, and
 * turns everything else into `unknown` with a reason. It never guesses.
 */
import type { SourceRange } from '../../core/range.js';
import type { StringPart, SymbolicRef, Value } from '../../core/value.js';
import { concat, literalString, refString, text, unknown } from '../../core/value.js';
import type { JsonHole } from '../json-value.js';
import { HOLE_END, HOLE_START, parseJsonValue } from '../json-value.js';
import type { RawMap, RawNode, RawScalar } from './parse.js';
import { alignValueToSource, rangeBetween } from '../source-text.js';
import { splitSubTemplate } from './sub-template.js';

export interface ParameterInfo {
  readonly type: string | undefined;
  readonly defaultValue: RawNode | undefined;
}

export interface TemplateContext {
  readonly parameters: ReadonlyMap<string, ParameterInfo>;
  readonly mappings: RawNode | undefined;
  readonly conditions: ReadonlySet<string>;
  /** Logical id → resource type (`AWS::EC2::VPCEndpoint`), for what a `Ref` to it means. */
  readonly resourceTypes: ReadonlyMap<string, string>;
}

export const PSEUDO_PARAMETERS: ReadonlySet<string> = new Set([
  'AWS::Region',
  'AWS::AccountId',
  'AWS::Partition',
  'AWS::StackName',
  'AWS::StackId',
  'AWS::URLSuffix',
  'AWS::NotificationARNs',
]);

/** Resource types whose `Ref` returns the resource's ID (`vpce-…`, `vpc-…`, `subnet-…`). */
const REF_IS_ID: ReadonlySet<string> = new Set([
  'AWS::EC2::VPCEndpoint',
  'AWS::EC2::VPC',
  'AWS::EC2::Subnet',
  'AWS::EC2::RouteTable',
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::EgressOnlyInternetGateway',
  'AWS::EC2::NatGateway',
  'AWS::EC2::NetworkAcl',
  'AWS::EC2::NetworkInterface',
  'AWS::EC2::Instance',
  'AWS::EC2::TransitGateway',
  'AWS::EC2::TransitGatewayAttachment',
  'AWS::EC2::VPCPeeringConnection',
  'AWS::EC2::VPNGateway',
  'AWS::EC2::CustomerGateway',
  'AWS::EC2::DHCPOptions',
  'AWS::EC2::PrefixList',
  'AWS::EC2::LaunchTemplate',
  'AWS::KMS::Key',
]);

/** Beyond this, a value built from several `Fn::If`s is reported as unknown, not enumerated. */
const MAX_BRANCHES = 32;
const MAX_RESOLVE_DEPTH = 100;

export function templateContext(root: RawNode | undefined): TemplateContext {
  const parameters = new Map<string, ParameterInfo>();
  const conditions = new Set<string>();
  const resourceTypes = new Map<string, string>();
  let mappings: RawNode | undefined;
  if (root?.kind === 'map') {
    for (const param of entriesOf(rawGet(root, 'Parameters'))) {
      const definition = param.value;
      parameters.set(param.key, {
        type: scalarText(rawGet(definition, 'Type')),
        defaultValue: rawGet(definition, 'Default'),
      });
    }
    mappings = rawGet(root, 'Mappings');
    for (const condition of entriesOf(rawGet(root, 'Conditions'))) conditions.add(condition.key);
    for (const resource of entriesOf(rawGet(root, 'Resources'))) {
      resourceTypes.set(resource.key, scalarText(rawGet(resource.value, 'Type')) ?? '');
    }
  }
  return { parameters, mappings, conditions, resourceTypes };
}

export function rawGet(node: RawNode | undefined, key: string): RawNode | undefined {
  if (node?.kind !== 'map') return undefined;
  return node.entries.find((entry) => entry.key === key)?.value;
}

export function entriesOf(node: RawNode | undefined): RawMap['entries'] {
  return node?.kind === 'map' ? node.entries : [];
}

export function scalarText(node: RawNode | undefined): string | undefined {
  return node?.kind === 'scalar' && node.value !== null ? String(node.value) : undefined;
}

/** A single-key map naming an intrinsic function, with its argument. */
function intrinsicOf(node: RawNode): { name: string; arg: RawNode } | undefined {
  if (node.kind !== 'map' || node.entries.length !== 1) return undefined;
  const [entry] = node.entries;
  if (!entry) return undefined;
  if (entry.key.startsWith('Fn::')) return { name: entry.key, arg: entry.value };
  // `Ref`/`Condition` only with a name: a policy statement could legitimately be `{Condition: {…}}`.
  if ((entry.key === 'Ref' || entry.key === 'Condition') && entry.value.kind === 'scalar') {
    return { name: entry.key, arg: entry.value };
  }
  return undefined;
}

/** The bad-JSON problem of a policy string, for the policy to report as invalid. */
export interface JsonProblem {
  readonly message: string;
  readonly range: SourceRange;
}

export class Resolver {
  private depth = 0;
  private readonly resolvingParameters = new Set<string>();
  /** Policy strings that are not valid JSON, keyed by the string value standing in for them. */
  readonly jsonProblems = new WeakMap<Value, JsonProblem>();

  /**
   * `addressPrefix` names the resources of a template embedded in another (a StackSet's
   * `TemplateBody`): `StackSet/Bucket`, so their identities never collide with the outer ones.
   */
  constructor(
    private readonly context: TemplateContext,
    private readonly addressPrefix = '',
  ) {}

  resolve(node: RawNode): Value {
    if (this.depth >= MAX_RESOLVE_DEPTH)
      return unknown('value nested too deeply to resolve', node.range);
    this.depth++;
    try {
      return this.resolveNode(node);
    } finally {
      this.depth--;
    }
  }

  private resolveNode(node: RawNode): Value {
    switch (node.kind) {
      case 'unknown':
        return unknown(node.reason, node.range);
      case 'scalar':
        return scalarToValue(node);
      case 'seq':
        return {
          kind: 'list',
          // `!Ref AWS::NoValue` in a list removes the item.
          items: node.items.map((item) => this.resolve(item)).filter((v) => v.kind !== 'absent'),
          range: node.range,
        };
      case 'map': {
        const intrinsic = intrinsicOf(node);
        if (intrinsic) return this.intrinsic(intrinsic.name, intrinsic.arg, node);
        return {
          kind: 'map',
          entries: node.entries
            .map((entry) => ({
              key: entry.key,
              keyRange: entry.keyRange,
              value: this.resolve(entry.value),
            }))
            .filter((entry) => entry.value.kind !== 'absent'),
          range: node.range,
        };
      }
    }
  }

  private intrinsic(name: string, arg: RawNode, node: RawNode): Value {
    const range = node.range;
    switch (name) {
      case 'Ref':
        return this.ref(scalarText(arg) ?? '', range);
      case 'Fn::GetAtt':
        return this.getAtt(arg, range);
      case 'Fn::Sub':
        return this.sub(arg, range);
      case 'Fn::Join':
        return this.join(arg, range);
      case 'Fn::Select':
        return this.select(arg, range);
      case 'Fn::Split':
        return this.split(arg, range);
      case 'Fn::FindInMap':
        return this.findInMap(arg, range);
      case 'Fn::If': {
        const items = arg.kind === 'seq' ? arg.items : [];
        const [condition, whenTrue, whenFalse] = items;
        const conditionName = scalarText(condition);
        if (items.length !== 3 || !conditionName || !whenTrue || !whenFalse) {
          return unknown('malformed Fn::If', range);
        }
        return {
          kind: 'conditional',
          condition: conditionName,
          whenTrue: this.resolve(whenTrue),
          whenFalse: this.resolve(whenFalse),
          range,
        };
      }
      case 'Fn::ImportValue': {
        return unknown(`Fn::ImportValue ${this.writtenName(arg)} (another stack's export)`, range);
      }
      case 'Fn::Base64': {
        const input = literalString(this.resolve(arg));
        return input === undefined
          ? unknown('Fn::Base64 of a value that is not literal', range)
          : text(Buffer.from(input, 'utf8').toString('base64'), range);
      }
      case 'Fn::Equals': {
        const [a, b] =
          arg.kind === 'seq' ? arg.items.map((i) => literalString(this.resolve(i))) : [];
        if (a !== undefined && b !== undefined) return { kind: 'boolean', value: a === b, range };
        return unknown('Fn::Equals on values known only at deploy time', range);
      }
      case 'Fn::Length': {
        const list = this.resolve(arg);
        return list.kind === 'list'
          ? { kind: 'number', value: list.items.length, range }
          : unknown('Fn::Length of a list not known', range);
      }
      case 'Condition':
        return unknown(`the truth of condition ${scalarText(arg) ?? ''}`, range);
      case 'Fn::GetAZs':
        return unknown('Fn::GetAZs (Availability Zones known at deploy time)', range);
      case 'Fn::Cidr':
        return unknown('Fn::Cidr (not computed)', range);
      case 'Fn::Transform':
        return unknown('Fn::Transform (a macro runs at deploy time)', range);
      case 'Fn::And':
      case 'Fn::Or':
      case 'Fn::Not':
        return unknown(`${name} (condition functions are evaluated at deploy time)`, range);
      default:
        return unknown(`${name} not evaluated`, range);
    }
  }

  /**
   * An export name as written (`${ParentStack}-VpcId`) rather than as resolved: parameter
   * defaults are often placeholders ('') that make the resolved name misleading.
   */
  private writtenName(arg: RawNode): string {
    const sub = intrinsicOf(arg);
    const template = sub?.name === 'Fn::Sub' ? this.subArguments(sub.arg)?.template : undefined;
    if (template) return String(template.value);
    if (arg.kind === 'scalar') return String(arg.value);
    const resolved = this.resolve(arg);
    return resolved.kind === 'string' ? displayParts(resolved.parts) : 'a computed name';
  }

  /** `Ref` per the identity convention: parameters, pseudo parameters, resources. */
  ref(name: string, range: SourceRange, display = `!Ref ${name}`): Value {
    if (name === 'AWS::NoValue') return { kind: 'absent', range };
    if (PSEUDO_PARAMETERS.has(name)) {
      return refString({ id: `pseudo:${name}`, target: { kind: 'pseudo', name }, display }, range);
    }
    const parameter = this.context.parameters.get(name);
    if (parameter) return this.parameterValue(name, parameter, range, display);
    const type = this.context.resourceTypes.get(name);
    if (type !== undefined) {
      const attribute = REF_IS_ID.has(type)
        ? 'id'
        : type === 'AWS::S3::Bucket'
          ? 'name'
          : type === 'AWS::IAM::ManagedPolicy'
            ? 'arn'
            : 'ref';
      return refString(resourceRef(this.addressPrefix + name, attribute, display), range);
    }
    return unknown(`Ref to ${name}, which the template does not define`, range);
  }

  private parameterValue(
    name: string,
    parameter: ParameterInfo,
    range: SourceRange,
    display: string,
  ): Value {
    // An SSM parameter type's default is the *name* of the SSM parameter, not its value.
    const fromSsm = parameter.type?.startsWith('AWS::SSM::Parameter::Value<') === true;
    if (parameter.defaultValue && !fromSsm && !this.resolvingParameters.has(name)) {
      this.resolvingParameters.add(name);
      try {
        const value = this.resolve(parameter.defaultValue);
        const literal =
          literalString(value) ?? (value.kind === 'number' ? String(value.value) : undefined);
        if (literal !== undefined) {
          // List parameters hold comma-separated defaults.
          if (
            parameter.type?.startsWith('List<') === true ||
            parameter.type === 'CommaDelimitedList'
          ) {
            return {
              kind: 'list',
              items: literal.split(',').map((item) => text(item.trim(), range)),
              range,
            };
          }
          return text(literal, range);
        }
        return value;
      } finally {
        this.resolvingParameters.delete(name);
      }
    }
    return refString({ id: `param:${name}`, target: { kind: 'parameter', name }, display }, range);
  }

  getAttRef(resource: string, attribute: string, range: SourceRange, display: string): Value {
    if (!this.context.resourceTypes.has(resource)) {
      return unknown(`Fn::GetAtt of ${resource}, which the template does not define`, range);
    }
    const normalised = attribute === 'Id' ? 'id' : attribute === 'Arn' ? 'arn' : attribute;
    return refString(resourceRef(this.addressPrefix + resource, normalised, display), range);
  }

  private getAtt(arg: RawNode, range: SourceRange): Value {
    if (arg.kind === 'scalar') {
      const written = scalarText(arg) ?? '';
      const dot = written.indexOf('.');
      if (dot <= 0) return unknown(`malformed Fn::GetAtt ${written}`, range);
      return this.getAttRef(
        written.slice(0, dot),
        written.slice(dot + 1),
        range,
        `!GetAtt ${written}`,
      );
    }
    if (arg.kind === 'seq' && arg.items.length === 2) {
      const [resourceNode, attributeNode] = arg.items;
      const resource = scalarText(resourceNode);
      const attribute = attributeNode ? literalString(this.resolve(attributeNode)) : undefined;
      if (resource && attribute)
        return this.getAttRef(resource, attribute, range, `!GetAtt ${resource}.${attribute}`);
      return unknown('Fn::GetAtt with a computed attribute name', range);
    }
    return unknown('malformed Fn::GetAtt', range);
  }

  /** `${Name}` inside `Fn::Sub`: a variable from the map, else `Ref`/`GetAtt` semantics. */
  private subVariable(
    name: string,
    variables: ReadonlyMap<string, RawNode>,
    range: SourceRange,
  ): Value {
    const bound = variables.get(name);
    if (bound) return this.resolve(bound);
    // Serverless Framework (`${self:custom.x}`, `${opt:stage}`) substitutes these before
    // CloudFormation sees the template.
    if (/^[a-z]+:/.test(name) || name.startsWith('file(')) {
      return unknown(
        `Serverless Framework variable \${${name}} (substituted before deployment)`,
        range,
      );
    }
    const dot = name.indexOf('.');
    if (dot > 0) return this.getAttRef(name.slice(0, dot), name.slice(dot + 1), range, name);
    return this.ref(name, range, name);
  }

  private subArguments(
    arg: RawNode,
  ): { template: RawScalar; variables: Map<string, RawNode> } | undefined {
    const [first, second] = arg.kind === 'seq' ? arg.items : [arg];
    if (first?.kind !== 'scalar' || typeof first.value !== 'string') return undefined;
    const variables = new Map<string, RawNode>();
    for (const entry of entriesOf(second)) variables.set(entry.key, entry.value);
    return { template: first, variables };
  }

  private sub(arg: RawNode, range: SourceRange): Value {
    const args = this.subArguments(arg);
    if (!args) return unknown('Fn::Sub with a template string that is not literal', range);
    const pieces = splitSubTemplate(String(args.template.value));
    const values = pieces.map((piece) =>
      piece.kind === 'text'
        ? text(piece.text, range)
        : this.subVariable(piece.name, args.variables, range),
    );
    return liftConditionals(values, range, (resolved) =>
      joinStrings(resolved, '', range, 'Fn::Sub'),
    );
  }

  private join(arg: RawNode, range: SourceRange): Value {
    const [delimiterNode, listNode] = arg.kind === 'seq' && arg.items.length === 2 ? arg.items : [];
    const delimiter = delimiterNode ? literalString(this.resolve(delimiterNode)) : undefined;
    if (delimiter === undefined || !listNode) return unknown('malformed Fn::Join', range);
    const list = this.resolve(listNode);
    return liftConditionals([list], range, ([resolved]) => {
      if (resolved?.kind !== 'list')
        return unknown('Fn::Join over a list not known before deployment', range);
      return liftConditionals(resolved.items, range, (items) =>
        joinStrings(
          items.filter((i) => i.kind !== 'absent'),
          delimiter,
          range,
          'Fn::Join',
        ),
      );
    });
  }

  private select(arg: RawNode, range: SourceRange): Value {
    const [indexNode, listNode] = arg.kind === 'seq' && arg.items.length === 2 ? arg.items : [];
    if (!indexNode || !listNode) return unknown('malformed Fn::Select', range);
    const index = this.resolve(indexNode);
    const list = this.resolve(listNode);
    return liftConditionals([index, list], range, ([i, l]) => {
      const position = i?.kind === 'number' ? i.value : Number(literalString(i) ?? NaN);
      if (!Number.isInteger(position) || l?.kind !== 'list')
        return unknown('Fn::Select over values not known before deployment', range);
      return l.items[position] ?? unknown(`Fn::Select index ${position} out of range`, range);
    });
  }

  private split(arg: RawNode, range: SourceRange): Value {
    const [delimiterNode, sourceNode] =
      arg.kind === 'seq' && arg.items.length === 2 ? arg.items : [];
    const delimiter = delimiterNode ? literalString(this.resolve(delimiterNode)) : undefined;
    const source = sourceNode ? this.resolve(sourceNode) : undefined;
    return liftConditionals(source ? [source] : [], range, ([value]) => {
      const literal = literalString(value);
      // A reference may itself hold delimiters at deploy time: only literal text is split.
      if (delimiter === undefined || delimiter === '' || literal === undefined)
        return unknown('Fn::Split of a value not known before deployment', range);
      return {
        kind: 'list',
        items: literal.split(delimiter).map((item) => text(item, range)),
        range,
      };
    });
  }

  private findInMap(arg: RawNode, range: SourceRange): Value {
    const items = arg.kind === 'seq' ? arg.items : [];
    const [mapNode, topNode, secondNode, options] = items;
    if (!mapNode || !topNode || !secondNode) return unknown('malformed Fn::FindInMap', range);
    const keys = [mapNode, topNode, secondNode].map((n) => this.resolve(n));
    const fallback = rawGet(options, 'DefaultValue');
    return liftConditionals(keys, range, (resolved) => {
      const names = resolved.map(
        (k) => literalString(k) ?? (k.kind === 'number' ? String(k.value) : undefined),
      );
      if (names.some((n) => n === undefined))
        return unknown('Fn::FindInMap with keys known only at deploy time', range);
      let found: RawNode | undefined = this.context.mappings;
      for (const name of names) found = rawGet(found, name ?? '');
      if (found) return this.resolve(found);
      if (fallback) return this.resolve(fallback);
      return unknown(`Fn::FindInMap ${names.join('/')} not in Mappings`, range);
    });
  }

  // -------------------------------------------------------------------------------------------
  // Policy documents: objects, or JSON text (literal, `!Sub`, anything resolving to a string).

  /** Resolves a policy document property, parsing JSON text into a value with ranges. */
  resolveDocument(node: RawNode): Value {
    if (node.kind === 'scalar' && typeof node.value === 'string') return this.parseJsonScalar(node);
    const intrinsic = intrinsicOf(node);
    if (!intrinsic) return this.resolve(node);
    if (
      intrinsic.name === 'Fn::If' &&
      intrinsic.arg.kind === 'seq' &&
      intrinsic.arg.items.length === 3
    ) {
      const [condition, whenTrue, whenFalse] = intrinsic.arg.items;
      const name = scalarText(condition);
      if (name && whenTrue && whenFalse) {
        return {
          kind: 'conditional',
          condition: name,
          whenTrue: this.resolveDocument(whenTrue),
          whenFalse: this.resolveDocument(whenFalse),
          range: node.range,
        };
      }
    }
    if (intrinsic.name === 'Fn::ToJsonString') return this.resolveDocument(intrinsic.arg);
    if (intrinsic.name === 'Fn::Sub') {
      const args = this.subArguments(intrinsic.arg);
      if (args) return this.parseJsonSub(args.template, args.variables, node.range);
    }
    return this.jsonFromValue(this.resolve(node), node.range);
  }

  private parseJsonScalar(node: RawScalar): Value {
    const value = String(node.value);
    let alignment: Int32Array | undefined;
    const spanOf = (start: number, end: number): SourceRange => {
      alignment ??= alignValueToSource(value, node.src, node.start, node.end);
      const from = alignment[start] ?? node.start;
      const to = (alignment[Math.max(start, end - 1)] ?? from) + 1;
      return rangeBetween(node.src, from, to);
    };
    return this.parseJson(value, [], spanOf, node.range);
  }

  private parseJsonSub(
    template: RawScalar,
    variables: ReadonlyMap<string, RawNode>,
    range: SourceRange,
  ): Value {
    const source = String(template.value);
    const pieces = splitSubTemplate(source);
    const values = pieces.map((piece) =>
      piece.kind === 'text'
        ? text(piece.text, range)
        : this.subVariable(piece.name, variables, range),
    );
    return liftConditionals(values, range, (resolved) => {
      // The JSON text with references as holes, and where each stretch of it came from.
      let json = '';
      const holes: JsonHole[] = [];
      const segments: { at: number; origin: number; exact: boolean }[] = [];
      pieces.forEach((piece, index) => {
        const value = resolved[index];
        segments.push({ at: json.length, origin: piece.from, exact: piece.kind === 'text' });
        if (piece.kind === 'text' || !value) {
          json += piece.kind === 'text' ? piece.text : '';
          return;
        }
        const parts = stringPartsOf(value);
        if (typeof parts === 'string') {
          holes.push({ kind: 'unknown', reason: parts });
          json += `${HOLE_START}${holes.length - 1}${HOLE_END}`;
          return;
        }
        for (const part of parts) {
          if (part.kind === 'text') {
            json += part.text;
          } else {
            holes.push({ kind: 'ref', ref: part.ref });
            json += `${HOLE_START}${holes.length - 1}${HOLE_END}`;
          }
        }
      });
      let alignment: Int32Array | undefined;
      const originOf = (at: number): number => {
        let low = 0;
        for (let i = 0; i < segments.length; i++) if ((segments[i]?.at ?? 0) <= at) low = i;
        const segment = segments[low];
        if (!segment) return 0;
        return segment.exact ? segment.origin + (at - segment.at) : segment.origin;
      };
      const spanOf = (start: number, end: number): SourceRange => {
        alignment ??= alignValueToSource(source, template.src, template.start, template.end);
        const from = alignment[Math.min(originOf(start), source.length)] ?? template.start;
        const to =
          (alignment[Math.min(originOf(Math.max(start, end - 1)), source.length)] ?? from) + 1;
        return rangeBetween(template.src, from, Math.max(to, from + 1));
      };
      return this.parseJson(json, holes, spanOf, range);
    });
  }

  /** A resolved value standing for a policy: JSON text gets parsed (positions: the whole node). */
  private jsonFromValue(value: Value, range: SourceRange): Value {
    if (value.kind === 'conditional') {
      return {
        ...value,
        whenTrue: this.jsonFromValue(value.whenTrue, range),
        whenFalse: this.jsonFromValue(value.whenFalse, range),
      };
    }
    if (value.kind !== 'string') return value;
    if (value.parts.length === 1 && value.parts[0]?.kind === 'ref') {
      return unknown(`policy document taken from ${value.parts[0].ref.display}`, range);
    }
    const holes: JsonHole[] = [];
    const json = value.parts
      .map((part) => {
        if (part.kind === 'text') return part.text;
        holes.push({ kind: 'ref', ref: part.ref });
        return `${HOLE_START}${holes.length - 1}${HOLE_END}`;
      })
      .join('');
    return this.parseJson(json, holes, () => range, range);
  }

  private parseJson(
    json: string,
    holes: readonly JsonHole[],
    spanOf: (s: number, e: number) => SourceRange,
    range: SourceRange,
  ): Value {
    const parsed = parseJsonValue(json, holes, spanOf, { dynamicReferences: true });
    if (parsed.ok) return parsed.value;
    const standIn = text(json, range);
    this.jsonProblems.set(standIn, { message: parsed.message, range: parsed.range });
    return standIn;
  }
}

function resourceRef(address: string, attribute: string, display: string): SymbolicRef {
  return {
    id: `${address}#${attribute}`,
    target: { kind: 'resource', address, attribute },
    display,
  };
}

function scalarToValue(node: RawScalar): Value {
  const { value, range } = node;
  if (value === null) return { kind: 'null', range };
  if (typeof value === 'number') return { kind: 'number', value, range };
  if (typeof value === 'boolean') return { kind: 'boolean', value, range };
  return withoutDynamicReferences(text(value, range));
}

/**
 * `{{resolve:ssm:/path}}`, `{{resolve:secretsmanager:…}}`: dynamic references CloudFormation
 * replaces at deploy time. The text around them is known, the value is not.
 */
function withoutDynamicReferences(value: Value): Value {
  if (value.kind !== 'string') return value;
  const dynamic = value.parts.find((p) => p.kind === 'text' && p.text.includes('{{resolve:'));
  if (dynamic?.kind !== 'text') return value;
  const found = /\{\{resolve:[^}]*\}\}/.exec(dynamic.text)?.[0];
  const reference = found ?? '{{resolve:…}}';
  return {
    ...unknown(`dynamic reference ${reference} (resolved at deploy time)`, value.range),
    ...(found ? { dynamicReference: found } : {}),
  };
}

/** A value's string parts, or the reason it cannot be part of a string. */
function stringPartsOf(value: Value): readonly StringPart[] | string {
  switch (value.kind) {
    case 'string':
      return value.parts;
    case 'number':
    case 'boolean':
      return [{ kind: 'text', text: String(value.value) }];
    case 'unknown':
      return value.reason;
    case 'absent':
      return 'AWS::NoValue used inside a string';
    default:
      return `a ${value.kind} used inside a string`;
  }
}

function joinStrings(
  values: readonly Value[],
  delimiter: string,
  range: SourceRange,
  what: string,
): Value {
  const parts: StringPart[] = [];
  for (const [index, value] of values.entries()) {
    if (index > 0) parts.push({ kind: 'text', text: delimiter });
    const own = stringPartsOf(value);
    if (typeof own === 'string')
      return unknown(value.kind === 'unknown' ? own : `${what}: ${own}`, range);
    parts.push(...own);
  }
  return withoutDynamicReferences(concat(parts, range));
}

function displayParts(parts: readonly StringPart[]): string {
  return parts.map((p) => (p.kind === 'text' ? p.text : `\${${p.ref.display}}`)).join('');
}

/**
 * Computes `build` over values that may be `Fn::If` conditionals, as one conditional per
 * condition: each condition takes the same branch in every value, like a deployed stack.
 */
function liftConditionals(
  values: readonly Value[],
  range: SourceRange,
  build: (values: Value[]) => Value,
  budget = { left: MAX_BRANCHES },
): Value {
  const conditional = values.find((v) => v.kind === 'conditional');
  if (conditional?.kind !== 'conditional') return build([...values]);
  if (--budget.left < 0) return unknown('too many Fn::If combinations to enumerate', range);
  const pick = (branch: boolean): Value[] =>
    values.map((v) =>
      v.kind === 'conditional' && v.condition === conditional.condition
        ? branch
          ? v.whenTrue
          : v.whenFalse
        : v,
    );
  return {
    kind: 'conditional',
    condition: conditional.condition,
    whenTrue: liftConditionals(pick(true), range, build, budget),
    whenFalse: liftConditionals(pick(false), range, build, budget),
    range,
  };
}
