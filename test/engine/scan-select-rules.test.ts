import { describe, expect, it } from 'vitest';
import { selectRules, UnknownRuleError } from '../../src/engine/select-rules.js';
import { defineRule } from '../../src/rules/define-rule.js';

const make = (id: string) =>
  defineRule({
    id,
    title: id,
    severity: 'warning',
    docs: { description: id, source: 'test' },
    check: () => undefined,
  });
const all = [make('alpha'), make('beta'), make('gamma')];
const ids = (rules: readonly { id: string }[]) => rules.map((r) => r.id);

describe('selectRules', () => {
  it('runs every rule by default', () => {
    expect(ids(selectRules(all, {}))).toEqual(['alpha', 'beta', 'gamma']);
  });

  it('--rule keeps only the named rules, in registry order', () => {
    expect(ids(selectRules(all, { only: ['gamma', 'alpha'] }))).toEqual(['alpha', 'gamma']);
  });

  it('--disable removes rules, also from a --rule selection', () => {
    expect(ids(selectRules(all, { disable: ['beta'] }))).toEqual(['alpha', 'gamma']);
    expect(ids(selectRules(all, { only: ['alpha', 'beta'], disable: ['alpha'] }))).toEqual([
      'beta',
    ]);
  });

  it('rejects unknown ids and lists the valid ones', () => {
    let caught: unknown;
    try {
      selectRules(all, { only: ['alpah'], disable: ['delta', 'delta'] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnknownRuleError);
    const error = caught as UnknownRuleError;
    expect(error.unknownIds).toEqual(['alpah', 'delta']);
    expect(error.message).toBe(
      'unknown rule ids: alpah, delta\nvalid rule ids:\n  alpha\n  beta\n  gamma',
    );
  });
});
