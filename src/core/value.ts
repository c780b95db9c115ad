/**
 * Values as the IaC adapters resolve them. A value is a literal, a string made of literal text
 * and symbolic references, a structure of values, a conditional (CloudFormation `Fn::If`,
 * Terraform `cond ? a : b`), or unknown. Nothing is ever guessed: what the adapter cannot
 * resolve becomes `unknown` with a reason, and rules whose verdict depends on it stay silent.
 */
import type { SourceRange } from './range.js';

/**
 * A reference whose runtime value we do not know but whose *identity* we do: two references
 * with the same `id` denote the same runtime value (e.g. `!Ref S3Endpoint` and
 * `!GetAtt S3Endpoint.Id` are the same endpoint ID). Different ids may still be equal at run
 * time (two parameters with the same value), so inequality of ids proves nothing.
 */
export interface SymbolicRef {
  /** Canonical identity, e.g. `S3Endpoint` (Ref), `S3Endpoint.Arn`, `param:VpcId`, `pseudo:AWS::Region`. */
  readonly id: string;
  readonly target: RefTarget;
  /** How the user wrote it, for messages: `!Ref S3Endpoint`, `aws_vpc_endpoint.s3.id`. */
  readonly display: string;
}

export type RefTarget =
  /**
   * A resource's identity or one of its attributes. `attribute` is normalised by the adapter:
   * `id` for the resource's primary identifier (CloudFormation `Ref` of a resource whose Ref
   * returns its ID, `GetAtt X.Id`, Terraform `.id`), `arn` for its ARN, otherwise the attribute
   * name as written (`CidrBlock`, `VpcId`, …). `ref` is CloudFormation's `Ref` on a resource
   * type whose Ref meaning the adapter does not map (it is the physical id of that type).
   */
  | { readonly kind: 'resource'; readonly address: string; readonly attribute: string }
  | { readonly kind: 'parameter'; readonly name: string }
  /** `AWS::Region`, `AWS::AccountId`, `AWS::Partition`, `AWS::StackName`, `AWS::URLSuffix`, … */
  | { readonly kind: 'pseudo'; readonly name: string };

export type StringPart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'ref'; readonly ref: SymbolicRef };

export interface StringValue {
  readonly kind: 'string';
  /** Adjacent text parts are merged; a literal string is exactly one text part (or none for ""). */
  readonly parts: readonly StringPart[];
  readonly range: SourceRange;
}
export interface NumberValue {
  readonly kind: 'number';
  readonly value: number;
  readonly range: SourceRange;
}
export interface BooleanValue {
  readonly kind: 'boolean';
  readonly value: boolean;
  readonly range: SourceRange;
}
export interface NullValue {
  readonly kind: 'null';
  readonly range: SourceRange;
}
export interface ListValue {
  readonly kind: 'list';
  readonly items: readonly Value[];
  readonly range: SourceRange;
}
export interface MapEntry {
  readonly key: string;
  readonly keyRange: SourceRange;
  readonly value: Value;
}
export interface MapValue {
  readonly kind: 'map';
  readonly entries: readonly MapEntry[];
  readonly range: SourceRange;
}
/** Both branches are kept; `expandVariants` turns a value into one variant per assumption set. */
export interface ConditionalValue {
  readonly kind: 'conditional';
  /** The condition's name as written (`IsProd`, `var.enable_policy`). */
  readonly condition: string;
  readonly whenTrue: Value;
  readonly whenFalse: Value;
  readonly range: SourceRange;
}
export interface UnknownValue {
  readonly kind: 'unknown';
  /** Why: `Fn::ImportValue`, `remote Fn::Include`, `module output`, … Shown to users. */
  readonly reason: string;
  readonly range: SourceRange;
  /**
   * The CloudFormation dynamic reference the value stands for (`{{resolve:ssm:/path}}`):
   * unknown until deploy time, but which parameter it reads is known.
   */
  readonly dynamicReference?: string;
}
/** The value is deliberately absent (`AWS::NoValue`, Terraform `null`): the property is unset. */
export interface AbsentValue {
  readonly kind: 'absent';
  readonly range: SourceRange;
}

export type Value =
  | StringValue
  | NumberValue
  | BooleanValue
  | NullValue
  | ListValue
  | MapValue
  | ConditionalValue
  | UnknownValue
  | AbsentValue;

// ---------------------------------------------------------------------------------------------
// Constructors

export function text(value: string, range: SourceRange): StringValue {
  return { kind: 'string', parts: value === '' ? [] : [{ kind: 'text', text: value }], range };
}

/** Builds a string from parts, merging adjacent text. */
export function concat(parts: readonly StringPart[], range: SourceRange): StringValue {
  return { kind: 'string', parts: mergeTextParts(parts), range };
}

/** Parts with adjacent text merged and empty text dropped (a literal is one text part). */
export function mergeTextParts(parts: readonly StringPart[]): StringPart[] {
  const merged: StringPart[] = [];
  for (const part of parts) {
    const last = merged[merged.length - 1];
    if (part.kind === 'text' && part.text === '') continue;
    if (part.kind === 'text' && last?.kind === 'text') {
      merged[merged.length - 1] = { kind: 'text', text: last.text + part.text };
    } else {
      merged.push(part);
    }
  }
  return merged;
}

export function refString(ref: SymbolicRef, range: SourceRange): StringValue {
  return { kind: 'string', parts: [{ kind: 'ref', ref }], range };
}

export function unknown(reason: string, range: SourceRange): UnknownValue {
  return { kind: 'unknown', reason, range };
}

// ---------------------------------------------------------------------------------------------
// Readers

/** The literal text of a string with no references, else undefined. */
export function literalString(value: Value | undefined): string | undefined {
  if (value?.kind !== 'string') return undefined;
  if (value.parts.length === 0) return '';
  const [only] = value.parts;
  return value.parts.length === 1 && only?.kind === 'text' ? only.text : undefined;
}

/**
 * A scalar as IAM sees it: policy JSON turns `true`, `5` into strings for condition matching.
 * References stay symbolic. Returns undefined for structures, unknown and absent values.
 */
export function asStringValue(value: Value): StringValue | undefined {
  switch (value.kind) {
    case 'string':
      return value;
    case 'number':
      return text(String(value.value), value.range);
    case 'boolean':
      return text(value.value ? 'true' : 'false', value.range);
    default:
      return undefined;
  }
}

/** The single reference a string consists of, if it is exactly one reference. */
export function soleRef(value: Value | undefined): SymbolicRef | undefined {
  if (value?.kind !== 'string' || value.parts.length !== 1) return undefined;
  const [only] = value.parts;
  return only?.kind === 'ref' ? only.ref : undefined;
}

export function mapGet(value: Value | undefined, key: string): MapEntry | undefined {
  if (value?.kind !== 'map') return undefined;
  return value.entries.find((entry) => entry.key === key);
}

/** Case-insensitive lookup, for policy JSON whose element names some tools write in any case. */
export function mapGetIgnoreCase(value: Value | undefined, key: string): MapEntry | undefined {
  if (value?.kind !== 'map') return undefined;
  const lower = key.toLowerCase();
  return value.entries.find((entry) => entry.key.toLowerCase() === lower);
}

/** A readable rendering for messages: literal text, with references shown as written. */
export function displayValue(value: Value): string {
  switch (value.kind) {
    case 'string':
      return value.parts.map((p) => (p.kind === 'text' ? p.text : `\${${p.ref.display}}`)).join('');
    case 'number':
    case 'boolean':
      return String(value.value);
    case 'null':
      return 'null';
    case 'list':
      return `[${value.items.map(displayValue).join(', ')}]`;
    case 'map':
      return `{${value.entries.map((e) => `${e.key}: ${displayValue(e.value)}`).join(', ')}}`;
    case 'conditional':
      return `(${value.condition} ? ${displayValue(value.whenTrue)} : ${displayValue(value.whenFalse)})`;
    case 'unknown':
      return `<unknown: ${value.reason}>`;
    case 'absent':
      return '<absent>';
  }
}

// ---------------------------------------------------------------------------------------------
// Conditional expansion

export interface Assumption {
  readonly condition: string;
  readonly value: boolean;
}

export interface Variant<T> {
  /** Empty when the value held no conditional. */
  readonly assumptions: readonly Assumption[];
  readonly value: T;
}

/** Beyond this many variants a value is reported as unresolved rather than enumerated. */
export const MAX_VARIANTS = 32;

/**
 * Every combination of conditional branches inside `value`, each with a value free of
 * conditionals. The same condition takes the same branch everywhere within one variant.
 * Returns undefined when there would be more than `MAX_VARIANTS`.
 */
export function expandVariants(value: Value): Variant<Value>[] | undefined {
  const names = conditionsOf(value);
  if (names.length === 0) return [{ assumptions: [], value }];
  if (2 ** names.length > MAX_VARIANTS) return undefined;
  const variants: Variant<Value>[] = [];
  for (let mask = 0; mask < 2 ** names.length; mask++) {
    const assignment = new Map<string, boolean>(names.map((n, i) => [n, (mask & (1 << i)) !== 0]));
    variants.push({
      assumptions: names.map((condition) => ({
        condition,
        value: assignment.get(condition) === true,
      })),
      value: applyConditions(value, assignment),
    });
  }
  return variants;
}

/**
 * When `expandVariants` gives up: all conditions true, all false, and each condition alone
 * false. Every part guarded by a single condition is then seen both present and absent, and
 * together with all the others, in at most `MAX_VARIANTS` variants.
 */
export function coveringVariants(value: Value): Variant<Value>[] {
  const names = conditionsOf(value);
  const assignments: Map<string, boolean>[] = [
    new Map(names.map((n) => [n, true])),
    new Map(names.map((n) => [n, false])),
    ...names.map((off) => new Map(names.map((n) => [n, n !== off]))),
  ];
  return assignments.slice(0, MAX_VARIANTS).map((assignment) => ({
    assumptions: names.map((condition) => ({
      condition,
      value: assignment.get(condition) === true,
    })),
    value: applyConditions(value, assignment),
  }));
}

/** The names of the conditions a value depends on, in first-seen order. */
export function conditionsOf(value: Value): string[] {
  const conditions = new Set<string>();
  collectConditions(value, conditions);
  return [...conditions];
}

function collectConditions(value: Value, into: Set<string>): void {
  switch (value.kind) {
    case 'conditional':
      into.add(value.condition);
      collectConditions(value.whenTrue, into);
      collectConditions(value.whenFalse, into);
      return;
    case 'list':
      value.items.forEach((item) => collectConditions(item, into));
      return;
    case 'map':
      value.entries.forEach((entry) => collectConditions(entry.value, into));
      return;
    default:
      return;
  }
}

/** The value under one assignment of conditions; absent list items and map entries drop out. */
export function applyConditions(value: Value, assignment: ReadonlyMap<string, boolean>): Value {
  switch (value.kind) {
    case 'conditional':
      return applyConditions(
        assignment.get(value.condition) === true ? value.whenTrue : value.whenFalse,
        assignment,
      );
    case 'list':
      // An absent item (`!If [c, x, !Ref AWS::NoValue]`) drops out of a list, as in CloudFormation.
      return {
        ...value,
        items: value.items
          .map((item) => applyConditions(item, assignment))
          .filter((i) => i.kind !== 'absent'),
      };
    case 'map':
      return {
        ...value,
        entries: value.entries
          .map((entry) => ({ ...entry, value: applyConditions(entry.value, assignment) }))
          .filter((entry) => entry.value.kind !== 'absent'),
      };
    default:
      return value;
  }
}
