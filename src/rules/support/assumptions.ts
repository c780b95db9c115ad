/**
 * Wording for findings that hold only in some `!If` / conditional branch combination of a
 * policy, so a reviewer knows which deployment the finding is about.
 */
import type { Assumption } from '../../core/value.js';

/** `"when IsProd is true and HasVpce is false"`, or `""` when there is no assumption. */
export function describeAssumptions(assumptions: readonly Assumption[]): string {
  if (assumptions.length === 0) return '';
  const parts = assumptions.map((a) => `${a.condition} is ${a.value ? 'true' : 'false'}`);
  return `when ${parts.join(' and ')}`;
}

/**
 * Appends the assumptions to a sentence that has no final period yet:
 * `withAssumptions('X is denied', [...])` → `"X is denied (when IsProd is true)"`.
 */
export function withAssumptions(sentence: string, assumptions: readonly Assumption[]): string {
  const described = describeAssumptions(assumptions);
  return described === '' ? sentence : `${sentence} (${described})`;
}

/** Identity parts for a fingerprint: findings in different branches are different findings. */
export function assumptionIdentity(assumptions: readonly Assumption[]): string[] {
  return assumptions.map((a) => `${a.condition}=${a.value ? 'true' : 'false'}`);
}
