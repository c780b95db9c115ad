/**
 * Condition operators: parsing their names and comparing one policy value with one request
 * value. The clause-level logic (absent keys, `IfExists`, set qualifiers, negation) lives in
 * evaluate.ts; here every negated operator is evaluated through its positive form.
 *
 * Operator names are matched case-insensitively and stored in canonical case. The IAM
 * reference writes each name in one spelling and says nothing about other spellings; the
 * reference simulator we test against lower-cases them, and calling a policy AWS accepts
 * invalid would be a false error on every pull request. See docs/policy-evaluation.md.
 */
import type { ConditionOperator, PolicyString, SetQualifier, Tri } from './types.js';
import { matchArn } from './arn.js';
import { ipMatches } from './ip.js';
import { matchPolicyString } from './wildcard.js';

export type OperatorFamily =
  'string' | 'numeric' | 'date' | 'bool' | 'binary' | 'ip' | 'arn' | 'null';

interface BaseOperator {
  readonly name: string;
  readonly family: OperatorFamily;
  /** True when absent keys make it true, and it holds when no value matches. */
  readonly negated: boolean;
  /** The positive operator it negates (`StringNotLike` → `StringLike`). */
  readonly positive: string;
}

const TABLE: readonly (readonly [string, OperatorFamily, string?])[] = [
  ['StringEquals', 'string'],
  ['StringNotEquals', 'string', 'StringEquals'],
  ['StringEqualsIgnoreCase', 'string'],
  ['StringNotEqualsIgnoreCase', 'string', 'StringEqualsIgnoreCase'],
  ['StringLike', 'string'],
  ['StringNotLike', 'string', 'StringLike'],
  ['NumericEquals', 'numeric'],
  ['NumericNotEquals', 'numeric', 'NumericEquals'],
  ['NumericLessThan', 'numeric'],
  ['NumericLessThanEquals', 'numeric'],
  ['NumericGreaterThan', 'numeric'],
  ['NumericGreaterThanEquals', 'numeric'],
  ['DateEquals', 'date'],
  ['DateNotEquals', 'date', 'DateEquals'],
  ['DateLessThan', 'date'],
  ['DateLessThanEquals', 'date'],
  ['DateGreaterThan', 'date'],
  ['DateGreaterThanEquals', 'date'],
  ['Bool', 'bool'],
  ['BinaryEquals', 'binary'],
  ['IpAddress', 'ip'],
  ['NotIpAddress', 'ip', 'IpAddress'],
  ['ArnEquals', 'arn'],
  ['ArnNotEquals', 'arn', 'ArnEquals'],
  ['ArnLike', 'arn'],
  ['ArnNotLike', 'arn', 'ArnLike'],
  ['Null', 'null'],
];

export const BASE_OPERATORS: ReadonlyMap<string, BaseOperator> = new Map(
  TABLE.map(([name, family, positive]) => [
    name.toLowerCase(),
    { name, family, negated: positive !== undefined, positive: positive ?? name },
  ]),
);

export function baseOperator(name: string): BaseOperator | undefined {
  return BASE_OPERATORS.get(name.toLowerCase());
}

export type OperatorParse =
  | { readonly ok: true; readonly operator: ConditionOperator }
  | { readonly ok: false; readonly reason: string };

/** `ForAnyValue:StringNotLikeIfExists` → its parts; names are case-insensitive. */
export function parseOperator(raw: string): OperatorParse {
  let rest = raw;
  let qualifier: SetQualifier;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const prefix = rest.slice(0, colon).toLowerCase();
    if (prefix === 'foranyvalue') qualifier = 'ForAnyValue';
    else if (prefix === 'forallvalues') qualifier = 'ForAllValues';
    else return { ok: false, reason: `unknown set operator "${rest.slice(0, colon)}"` };
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  let base = baseOperator(rest);
  if (!base && rest.toLowerCase().endsWith('ifexists')) {
    base = baseOperator(rest.slice(0, -'ifexists'.length));
    ifExists = true;
  }
  if (!base) return { ok: false, reason: `unknown condition operator "${raw}"` };
  if (ifExists && base.family === 'null') {
    return { ok: false, reason: '"Null" cannot take "IfExists"' };
  }
  return {
    ok: true,
    operator: { raw, base: base.name, ifExists, qualifier, negated: base.negated },
  };
}

/**
 * Does one request value satisfy one policy value under the POSITIVE form of `base`
 * (`StringNotEquals` is compared as `StringEquals`)? `Null` is not handled here.
 */
export function compareValue(
  base: string,
  policyValue: PolicyString,
  requestValue: PolicyString,
  assume?: Readonly<Record<string, string>>,
): Tri {
  const op = baseOperator(base);
  if (!op) return 'unknown';
  const positive = op.positive;
  switch (op.family) {
    case 'string':
      return matchPolicyString(policyValue, requestValue, {
        ignoreCase: positive === 'StringEqualsIgnoreCase',
        wildcards: positive === 'StringLike',
        assume,
      });
    case 'arn':
      return matchArn(policyValue, requestValue, assume);
    case 'binary':
      return matchPolicyString(policyValue, requestValue, {
        ignoreCase: false,
        wildcards: false,
        assume,
      });
    default:
      break;
  }
  const p = literalText(policyValue);
  const r = literalText(requestValue);
  if (p === undefined || r === undefined) return 'unknown';
  switch (op.family) {
    case 'ip':
      return ipMatches(p, r);
    case 'bool':
      // IAM compares the words `true`/`false` without regard to case; anything else never matches.
      return isBoolWord(p) && p.toLowerCase() === r.toLowerCase();
    case 'numeric':
      return compareOrdered(positive, parseNumber(p), parseNumber(r));
    case 'date':
      return compareOrdered(positive, parseDate(p), parseDate(r));
    default:
      return 'unknown';
  }
}

function isBoolWord(text: string): boolean {
  const lower = text.toLowerCase();
  return lower === 'true' || lower === 'false';
}

function compareOrdered(
  operator: string,
  policy: number | undefined,
  request: number | undefined,
): boolean {
  if (policy === undefined || request === undefined) return false;
  if (operator.endsWith('LessThanEquals')) return request <= policy;
  if (operator.endsWith('LessThan')) return request < policy;
  if (operator.endsWith('GreaterThanEquals')) return request >= policy;
  if (operator.endsWith('GreaterThan')) return request > policy;
  return request === policy;
}

export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : undefined;
}

/** ISO 8601 dates and times, or epoch seconds (IAM accepts both). Milliseconds since epoch. */
export function parseDate(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed)) return undefined;
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? undefined : ms;
}

function literalText(value: PolicyString): string | undefined {
  if (value.kind !== 'string') return undefined;
  if (value.parts.length === 0) return '';
  const [only] = value.parts;
  return value.parts.length === 1 && only?.kind === 'text' ? only.text : undefined;
}
