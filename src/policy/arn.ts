/**
 * ARN comparison for `ArnEquals` / `ArnLike` (and their negations). IAM splits both ARNs into
 * their six colon-separated components (`arn:partition:service:region:account:resource`, the
 * last of which may itself contain colons) and matches component by component, each with `*`
 * and `?` wildcards, case-sensitively. `ArnEquals` and `ArnLike` behave the same.
 */
import type { StringPart, StringValue } from '../core/value.js';
import type { PolicyString, Tri } from './types.js';
import { triAll } from './tri.js';
import {
  matchPolicyString,
  matchWildcard,
  substituteAssumed,
  DEFAULT_ASSUMPTIONS,
} from './wildcard.js';

/** The six components, or undefined when the text is not shaped like an ARN. */
export function splitArn(arn: string): string[] | undefined {
  const components: string[] = [];
  let start = 0;
  for (let i = 0; i < 5; i++) {
    const colon = arn.indexOf(':', start);
    if (colon < 0) return undefined;
    components.push(arn.slice(start, colon));
    start = colon + 1;
  }
  components.push(arn.slice(start));
  return components;
}

export function matchArnLiteral(pattern: string, value: string): boolean {
  const p = splitArn(pattern);
  const v = splitArn(value);
  if (!p || !v) return false;
  return p.every((component, i) => matchWildcard(component, v[i] ?? '', false));
}

export function matchArn(
  pattern: PolicyString,
  value: PolicyString,
  assume?: Readonly<Record<string, string>>,
): Tri {
  if (pattern.kind === 'unknown' || value.kind === 'unknown') return 'unknown';
  const all = assume ? { ...DEFAULT_ASSUMPTIONS, ...assume } : DEFAULT_ASSUMPTIONS;
  const p = substituteAssumed(pattern.parts, all);
  const v = substituteAssumed(value.parts, all);
  const pText = literal(p);
  const vText = literal(v);
  if (pText !== undefined && vText !== undefined) return matchArnLiteral(pText, vText);
  const pComponents = splitSymbolic(p, pattern);
  const vComponents = splitSymbolic(v, value);
  if (pComponents && vComponents) {
    return triAll(pComponents.keys(), (i) => {
      const pc = pComponents[i];
      const vc = vComponents[i];
      if (!pc || !vc) return false;
      return matchPolicyString(pc, vc, { ignoreCase: false, wildcards: true, assume });
    });
  }
  // The components cannot be told apart: a whole-string match is necessary for a
  // component-wise one, so only its impossibility is conclusive.
  const whole = matchPolicyString(
    { ...pattern, parts: p },
    { ...value, parts: v },
    { ignoreCase: false, wildcards: true, assume },
  );
  // Without wildcards in the pattern, a sure whole-string match is identity, which is a match
  // per component too — provided the string is shaped like an ARN at all.
  const wildcardFree = p.every((part) => part.kind === 'ref' || !/[*?]/.test(part.text));
  if (whole === true && wildcardFree && surelyArnShaped(p)) return true;
  return whole === false ? false : 'unknown';
}

function literal(parts: readonly StringPart[]): string | undefined {
  if (parts.length === 0) return '';
  const [only] = parts;
  return parts.length === 1 && only?.kind === 'text' ? only.text : undefined;
}

/**
 * Splits a symbolic ARN at its first five colons when all five are in literal text and no
 * reference before them could itself hold a colon (a reference to an ARN could).
 */
function splitSymbolic(parts: readonly StringPart[], base: StringValue): StringValue[] | undefined {
  const components: StringPart[][] = [[]];
  for (const part of parts) {
    const current = (): StringPart[] => components[components.length - 1] ?? [];
    if (part.kind === 'ref') {
      if (components.length < 6 && mayHoldColon(part)) return undefined;
      current().push(part);
      continue;
    }
    let rest = part.text;
    while (components.length < 6) {
      const colon = rest.indexOf(':');
      if (colon < 0) break;
      if (colon > 0) current().push({ kind: 'text', text: rest.slice(0, colon) });
      components.push([]);
      rest = rest.slice(colon + 1);
    }
    if (rest !== '') current().push({ kind: 'text', text: rest });
  }
  if (components.length !== 6) return undefined;
  return components.map((c) => ({ kind: 'string', parts: c, range: base.range }));
}

/** Five colons in the literal text, or a reference to an ARN attribute (which holds five). */
function surelyArnShaped(parts: readonly StringPart[]): boolean {
  let colons = 0;
  for (const part of parts) {
    if (part.kind === 'text') colons += part.text.split(':').length - 1;
    else if (
      part.ref.target.kind === 'resource' &&
      part.ref.target.attribute.toLowerCase() === 'arn'
    ) {
      return true;
    }
  }
  return colons >= 5;
}

function mayHoldColon(part: Extract<StringPart, { kind: 'ref' }>): boolean {
  const target = part.ref.target;
  // An ARN attribute (or a `Ref` of unknown meaning) may hold colons. Parameters and pseudo
  // parameters in the leading components are account ids, Regions and partitions in practice.
  if (target.kind === 'resource') {
    const attribute = target.attribute.toLowerCase();
    return attribute.includes('arn') || attribute === 'ref';
  }
  return false;
}
