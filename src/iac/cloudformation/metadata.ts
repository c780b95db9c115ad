/**
 * Suppressions declared in a resource's `Metadata`:
 * `Metadata: { s3-endpoint-guard: { ignore: [ { rule: <rule-id>, reason: <why> } ] } }`.
 * Entries of another shape are kept with an empty rule id so that the run reports them
 * (as `invalid-suppression`) instead of ignoring them silently.
 */
import type { DeclaredSuppression } from '../model.js';
import type { RawNode } from './parse.js';
import { rawGet, scalarText } from './resolve.js';

export const METADATA_KEY = 's3-endpoint-guard';

export function declaredSuppressions(definition: RawNode): DeclaredSuppression[] | undefined {
  const ours = rawGet(rawGet(definition, 'Metadata'), METADATA_KEY);
  if (!ours) return undefined;
  const ignore = rawGet(ours, 'ignore');
  if (ignore?.kind !== 'seq')
    return [{ rule: '', reason: undefined, range: (ignore ?? ours).range }];
  return ignore.items.map((item) => {
    const reason = scalarText(rawGet(item, 'reason'))?.trim();
    return {
      rule: scalarText(rawGet(item, 'rule'))?.trim() ?? '',
      reason: reason === '' ? undefined : reason,
      range: item.range,
    };
  });
}
