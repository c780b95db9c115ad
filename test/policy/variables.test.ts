import { describe, expect, it } from 'vitest';
import { displayValue } from '../../src/core/value.js';
import { expandPolicyVariables, NO_MATCH } from '../../src/policy/variables.js';
import { absent, anyValue, lit, ref, sym, unknownValue, values } from './helpers.js';

function expand(text: string, keys?: Parameters<typeof expandPolicyVariables>[1]) {
  const result = expandPolicyVariables(lit(text), keys);
  return result === NO_MATCH ? NO_MATCH : displayValue(result);
}

describe('expandPolicyVariables', () => {
  it('leaves strings without variables alone', () => {
    const value = lit('arn:aws:s3:::b/*');
    expect(expandPolicyVariables(value, {})).toBe(value);
    const unknown = unknownValue();
    expect(expandPolicyVariables(unknown, {})).toBe(unknown);
  });

  it('substitutes single values, case-insensitively by key', () => {
    expect(expand('home/${aws:username}/*', { 'aws:username': values('alice') })).toBe(
      'home/alice/*',
    );
    expect(
      expand('${aws:PrincipalTag/Team}-${aws:username}', {
        'aws:principaltag/team': values('red'),
        'aws:username': values('bob'),
      }),
    ).toBe('red-bob');
  });

  it('keeps references a context value holds', () => {
    const bucket = ref('Bucket#name');
    const result = expandPolicyVariables(lit('x/${s3:x}'), { 's3:x': values(sym(bucket)) });
    expect(result !== NO_MATCH && result.kind === 'string' ? result.parts : []).toEqual([
      { kind: 'text', text: 'x/' },
      { kind: 'ref', ref: bucket },
    ]);
  });

  it('makes unknown variables symbolic holes', () => {
    expect(expand('home/${aws:username}/*')).toBe('home/${${aws:username}}/*');
    expect(expand('home/${aws:username}/*', { 'aws:username': anyValue })).toBe(
      'home/${${aws:username}}/*',
    );
  });

  it('uses the default, or matches nothing, when the key is absent', () => {
    expect(expand("${aws:PrincipalTag/team, 'none'}", { 'aws:principaltag/team': absent })).toBe(
      'none',
    );
    expect(expand('${aws:username}', { 'aws:username': absent })).toBe(NO_MATCH);
  });

  it('reads the special characters', () => {
    expect(expand('a${*}b${?}c${$}', {})).toBe('a*b?c$');
  });
});
