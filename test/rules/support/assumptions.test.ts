import { describe, expect, it } from 'vitest';
import {
  assumptionIdentity,
  describeAssumptions,
  withAssumptions,
} from '../../../src/rules/support/assumptions.js';

describe('describeAssumptions', () => {
  it('is empty without assumptions', () => {
    expect(describeAssumptions([])).toBe('');
    expect(withAssumptions('Bucket is locked', [])).toBe('Bucket is locked');
  });

  it('names each condition and its branch', () => {
    const a = [
      { condition: 'IsProd', value: true },
      { condition: 'HasVpce', value: false },
    ];
    expect(describeAssumptions(a)).toBe('when IsProd is true and HasVpce is false');
    expect(withAssumptions('Bucket is locked', a)).toBe(
      'Bucket is locked (when IsProd is true and HasVpce is false)',
    );
    expect(assumptionIdentity(a)).toEqual(['IsProd=true', 'HasVpce=false']);
  });
});
