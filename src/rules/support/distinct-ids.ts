/**
 * Two different resources in one scope have different physical IDs: `!Ref EndpointA` can never
 * equal `!Ref EndpointB`. The evaluator cannot know that (two *parameters* may well be equal),
 * so a comparison of two such references comes out `unknown`. When every value a statement
 * compares with the request's symbolic keys is such a resource ID, giving each ID a distinct
 * made-up value is exact, and the unknown can be resolved. With a literal among them
 * (`vpce-1234` vs `!Ref E`) it is not — that stays unknown.
 */
import type { SymbolicRef } from '../../core/value.js';
import { evaluateConditions } from '../../policy/evaluate.js';
import type { PolicyString, Statement, Tri } from '../../policy/types.js';
import type { ContextKeys } from './endpoint-context.js';

/** The resource-ID reference a value consists of, if it is exactly one. */
function resourceIdRef(value: PolicyString): SymbolicRef | undefined {
  if (value.kind !== 'string' || value.parts.length !== 1) return undefined;
  const [only] = value.parts;
  if (only?.kind !== 'ref') return undefined;
  const target = only.ref.target;
  return target.kind === 'resource' && target.attribute === 'id' ? only.ref : undefined;
}

/**
 * Distinct stand-in values for the resource IDs compared on the request's symbolic keys, or
 * undefined when some compared value is not a resource ID (so stand-ins would be a guess).
 */
export function distinctIdAssumptions(
  statement: Statement,
  keys: ContextKeys,
): Record<string, string> | undefined {
  const ids = new Set<string>();
  for (const clause of statement.conditions) {
    const context = keys[clause.keyLower];
    if (context?.kind !== 'values') continue;
    for (const value of [...context.values, ...clause.values]) {
      const ref = resourceIdRef(value);
      if (!ref) return undefined;
      ids.add(ref.id);
    }
  }
  if (ids.size === 0) return undefined;
  const assume: Record<string, string> = {};
  [...ids].sort().forEach((id, i) => {
    assume[id] = `s3-endpoint-guard-distinct-id-${i}`;
  });
  return assume;
}

/**
 * `evaluateConditions` under `freeKeys: 'exists'`, resolving an `unknown` that comes only from
 * comparing IDs of distinct resources.
 */
export function conditionsApply(statement: Statement, keys: ContextKeys): Tri {
  const first = evaluateConditions(statement, keys, { freeKeys: 'exists' });
  if (first !== 'unknown') return first;
  const assume = distinctIdAssumptions(statement, keys);
  return assume ? evaluateConditions(statement, keys, { freeKeys: 'exists', assume }) : first;
}
