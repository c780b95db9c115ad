/**
 * Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'default'}`) in `Resource`
 * and condition values. A variable the request context names with a single value is replaced
 * by it; one whose key is absent takes its default or makes the value match nothing (IAM's
 * rule); one whose value is not known becomes a symbolic hole, so matching stays sound and
 * says `unknown` where the variable decides. The special `${*}`, `${?}`, `${$}` stand for the
 * literal characters (inside a wildcard pattern they then act as wildcards: a documented
 * imprecision, since our patterns have no escape).
 *
 * IAM only substitutes variables under `"Version": "2012-10-17"`. We substitute regardless of
 * the version: the evaluator sees statements, not documents, and a literal `${` in an S3 ARN or
 * condition value is not something real policies contain.
 */
import { mergeTextParts, type StringPart } from '../core/value.js';
import type { PolicyString, RequestContext } from './types.js';

/** The value cannot match anything: a variable's key is absent and it has no default. */
export const NO_MATCH = Symbol('no-match');

const VARIABLE = /\$\{([^}]*)\}/g;
const SPECIAL: Readonly<Record<string, string>> = { '*': '*', '?': '?', $: '$' };

export function expandPolicyVariables(
  value: PolicyString,
  keys: RequestContext['keys'] | undefined,
): PolicyString | typeof NO_MATCH {
  if (value.kind !== 'string') return value;
  if (!value.parts.some((p) => p.kind === 'text' && p.text.includes('${'))) return value;
  const parts: StringPart[] = [];
  for (const part of value.parts) {
    if (part.kind !== 'text') {
      parts.push(part);
      continue;
    }
    let last = 0;
    for (const match of part.text.matchAll(VARIABLE)) {
      const at = match.index;
      if (at > last) parts.push({ kind: 'text', text: part.text.slice(last, at) });
      last = at + match[0].length;
      const replacement = resolveVariable(match[1] ?? '', keys);
      if (replacement === NO_MATCH) return NO_MATCH;
      parts.push(...replacement);
    }
    if (last < part.text.length) parts.push({ kind: 'text', text: part.text.slice(last) });
  }
  return { ...value, parts: mergeTextParts(parts) };
}

function resolveVariable(
  body: string,
  keys: RequestContext['keys'] | undefined,
): readonly StringPart[] | typeof NO_MATCH {
  const special = SPECIAL[body.trim()];
  if (special !== undefined) return [{ kind: 'text', text: special }];
  const comma = body.indexOf(',');
  const name = (comma < 0 ? body : body.slice(0, comma)).trim();
  const defaultText = comma < 0 ? undefined : /^\s*'([^']*)'\s*$/.exec(body.slice(comma + 1))?.[1];
  const hole: StringPart = {
    kind: 'ref',
    ref: {
      id: `policy-variable:${name.toLowerCase()}`,
      target: { kind: 'parameter', name: `policy-variable:${name}` },
      display: `\${${name}}`,
    },
  };
  if (!keys) return [hole];
  const context = keys[name.toLowerCase()];
  if (!context || context.kind === 'any') return [hole];
  if (context.kind === 'absent' || context.values.length === 0) {
    return defaultText !== undefined ? [{ kind: 'text', text: defaultText }] : NO_MATCH;
  }
  const [only] = context.values;
  if (context.values.length !== 1 || !only || only.kind !== 'string') return [hole];
  return only.parts;
}
