/**
 * Turns a policy property of a template (object, JSON string, `!Sub` JSON, `!If` of those) into
 * a `PolicyRef`. The template-specific part is resolving the property (`resolveDocument`); the
 * rest is shared with Terraform (`../policy-ref.ts`).
 */
import { spanRanges } from '../../core/range.js';
import type { Assumption } from '../../core/value.js';
import type { PolicyRole } from '../model.js';
import type { BuiltPolicy } from '../policy-ref.js';
import { buildPolicyRef } from '../policy-ref.js';
import type { RawEntry } from './parse.js';
import type { Resolver } from './resolve.js';

export type { BuiltPolicy } from '../policy-ref.js';
export { rangeKey } from '../policy-ref.js';

/**
 * `entry` is the policy property (`PolicyDocument: …`); `extraAssumptions` are the conditions
 * the policy already sits under (an inline policy inside `!If`), so variants name them too.
 */
export function buildPolicy(
  resolver: Resolver,
  role: PolicyRole,
  entry: RawEntry,
  name: string | undefined,
  extraAssumptions: readonly Assumption[] = [],
  resourceCondition?: string,
): BuiltPolicy {
  return buildPolicyRef({
    role,
    value: resolver.resolveDocument(entry.value),
    range: spanRanges(entry.keyRange, entry.value.range),
    valueRange: entry.value.range,
    ...(name !== undefined ? { name } : {}),
    extraAssumptions,
    ...(resourceCondition !== undefined ? { resourceCondition } : {}),
    jsonProblem: (value) => resolver.jsonProblems.get(value),
  });
}
