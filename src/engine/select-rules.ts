/**
 * `--rule` / `--disable`: which rules of the registry run. An unknown id is a usage error rather
 * than a silent no-op, because a typo in `--disable` would otherwise keep a rule on, and a typo
 * in `--rule` would turn the whole scan into a pass.
 */
import type { Rule } from '../rules/define-rule.js';

export interface RuleSelection {
  /** When non-empty, only these rules run. */
  readonly only?: readonly string[];
  /** These rules never run (applied after `only`). */
  readonly disable?: readonly string[];
}

export class UnknownRuleError extends Error {
  readonly unknownIds: readonly string[];
  readonly validIds: readonly string[];

  constructor(unknownIds: readonly string[], validIds: readonly string[]) {
    super(
      `unknown rule id${unknownIds.length > 1 ? 's' : ''}: ${unknownIds.join(', ')}\n` +
        `valid rule ids:\n${validIds.map((id) => `  ${id}`).join('\n')}`,
    );
    this.name = 'UnknownRuleError';
    this.unknownIds = unknownIds;
    this.validIds = validIds;
  }
}

/** The rules to run, in registry order. Throws `UnknownRuleError` for ids not in `all`. */
export function selectRules(all: readonly Rule[], selection: RuleSelection): Rule[] {
  const known = new Set(all.map((rule) => rule.id));
  const only = selection.only ?? [];
  const disable = selection.disable ?? [];
  const unknownIds = [...new Set([...only, ...disable].filter((id) => !known.has(id)))];
  if (unknownIds.length > 0) {
    throw new UnknownRuleError(
      unknownIds,
      all.map((rule) => rule.id),
    );
  }
  const wanted = new Set(only);
  const off = new Set(disable);
  return all.filter((rule) => (wanted.size === 0 || wanted.has(rule.id)) && !off.has(rule.id));
}
