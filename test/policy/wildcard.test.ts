import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchPolicyString, matchWildcard } from '../../src/policy/wildcard.js';
import { lit, ref, sym, unknownValue } from './helpers.js';

describe('matchWildcard', () => {
  const cases: [string, string, boolean, boolean][] = [
    ['*', '', false, true],
    ['*', 'anything', false, true],
    ['', '', false, true],
    ['', 'a', false, false],
    ['abc', 'abc', false, true],
    ['abc', 'ABC', false, false],
    ['abc', 'ABC', true, true],
    ['a?c', 'abc', false, true],
    ['a?c', 'ac', false, false],
    ['a*c', 'ac', false, true],
    ['a*c', 'abbbc', false, true],
    ['a*c', 'abbbd', false, false],
    ['s3:Get*', 's3:GetObject', false, true],
    ['s3:get*', 'S3:GETOBJECT', true, true],
    ['s3:*Object', 's3:GetObject', false, true],
    ['s3:*Object', 's3:GetObjectAcl', false, false],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/k/x', false, true],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b', false, false],
    ['*a*b*', 'xxaxxbxx', false, true],
    ['*a*b*', 'xxbxxaxx', false, false],
    ['a*b*a', 'aba', false, true],
    ['a*b*a', 'ab', false, false],
    ['?*?', 'a', false, false],
    ['?*?', 'ab', false, true],
    ['*??*', 'abc', false, true],
    ['a*?b', 'axyb', false, true],
    ['a*?b', 'ab', false, false],
    // overlapping prefix and suffix must not share characters
    ['ab*ba', 'aba', false, false],
    ['ab*ba', 'abba', false, true],
  ];
  it.each(cases)('%s ~ %s (ignoreCase %s) → %s', (pattern, value, ignoreCase, expected) => {
    expect(matchWildcard(pattern, value, ignoreCase)).toBe(expected);
  });

  it('agrees with a regular-expression reference on small inputs', () => {
    const alphabet = ['a', 'b', '*', '?'];
    const toRegex = (p: string) =>
      new RegExp(
        '^' + [...p].map((c) => (c === '*' ? '[^]*' : c === '?' ? '[^]' : c)).join('') + '$',
      );
    let checked = 0;
    const patterns: string[] = [''];
    for (let len = 1; len <= 4; len++) {
      for (let n = 0; n < alphabet.length ** len; n++) {
        let p = '';
        for (let k = 0, x = n; k < len; k++, x = Math.floor(x / alphabet.length)) {
          p += alphabet[x % alphabet.length];
        }
        patterns.push(p);
      }
    }
    const valuesList = ['', 'a', 'b', 'ab', 'ba', 'aab', 'abab', 'bbba', '*', 'a?b'];
    for (const p of patterns) {
      for (const v of valuesList) {
        expect(matchWildcard(p, v, false), `${p} ~ ${v}`).toBe(toRegex(p).test(v));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(3000);
  });

  it('is fast on hostile patterns', () => {
    const pattern = 'a*'.repeat(5000);
    const started = performance.now();
    expect(matchWildcard(pattern, 'a'.repeat(10000), false)).toBe(true);
    expect(matchWildcard(pattern, 'a'.repeat(4999), false)).toBe(false);
    expect(matchWildcard(pattern + 'b', 'a'.repeat(20000), false)).toBe(false);
    expect(matchWildcard('*a?'.repeat(2000) + 'c', 'ab'.repeat(20000), false)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('matchPolicyString', () => {
  const exact = { ignoreCase: false, wildcards: false };
  const like = { ignoreCase: false, wildcards: true };
  const vpce = ref('S3Endpoint#id');
  const other = ref('DynamoEndpoint#id');
  const bucket = ref('Bucket#name');

  it('answers exactly for literals', () => {
    expect(matchPolicyString(lit('vpce-1'), lit('vpce-1'), exact)).toBe(true);
    expect(matchPolicyString(lit('vpce-*'), lit('vpce-1'), exact)).toBe(false);
    expect(matchPolicyString(lit('vpce-*'), lit('vpce-1'), like)).toBe(true);
    expect(matchPolicyString(lit('VPCE-1'), lit('vpce-1'), { ...exact, ignoreCase: true })).toBe(
      true,
    );
  });

  it('is true for the same reference and unknown for different ones', () => {
    expect(matchPolicyString(sym(vpce), sym(vpce), exact)).toBe(true);
    expect(matchPolicyString(sym(vpce), sym(other), exact)).toBe('unknown');
    expect(matchPolicyString(sym(vpce), lit('vpce-1'), exact)).toBe('unknown');
  });

  it('is false when no value of the references can match', () => {
    expect(matchPolicyString(sym('vpc-', vpce), lit('vpce-1'), exact)).toBe(false);
    expect(
      matchPolicyString(sym('arn:aws:s3:::', bucket, '/*'), lit('arn:aws:dynamodb:::t'), like),
    ).toBe(false);
    expect(matchPolicyString(sym('arn:aws:s3:::', bucket), lit('arn:aws:s3:::x'), like)).toBe(
      'unknown',
    );
  });

  it('is true when a pattern wildcard swallows the value reference', () => {
    expect(matchPolicyString(lit('arn:aws:s3:::*'), sym('arn:aws:s3:::', bucket), like)).toBe(true);
    expect(matchPolicyString(lit('*'), sym(bucket), like)).toBe(true);
    expect(matchPolicyString(lit('?'), sym(bucket), like)).toBe('unknown');
    expect(
      matchPolicyString(
        sym('arn:aws:s3:::', bucket, '/*'),
        sym('arn:aws:s3:::', bucket, '/k'),
        like,
      ),
    ).toBe(true);
  });

  it('substitutes the assumed partition', () => {
    const partition = ref('pseudo:AWS::Partition');
    expect(
      matchPolicyString(sym('arn:', partition, ':s3:::b/*'), lit('arn:aws:s3:::b/k'), like),
    ).toBe(true);
    expect(
      matchPolicyString(sym('arn:', partition, ':s3:::b/*'), lit('arn:aws-cn:s3:::b/k'), {
        ...like,
        assume: { 'pseudo:AWS::Partition': 'aws-cn' },
      }),
    ).toBe(true);
  });

  it('treats unknown values as unknown', () => {
    expect(matchPolicyString(unknownValue(), lit('x'), exact)).toBe('unknown');
    expect(matchPolicyString(lit('*'), unknownValue(), like)).toBe('unknown');
  });

  it('stays fast on long symbolic strings', () => {
    const started = performance.now();
    const pattern = sym('a*'.repeat(3000), bucket);
    expect(matchPolicyString(pattern, sym('b'.repeat(3000), other), like)).toBe('unknown');
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('matchPolicyString soundness (property)', () => {
  // Pattern and value pieces: literal text over a tiny alphabet, or one of two references.
  const refs = { r1: ref('param:R1'), r2: ref('param:R2') };
  const piece = (alphabet: string[]) =>
    fc.oneof(
      { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 3 }) },
      { weight: 1, arbitrary: fc.constantFrom<'r1' | 'r2'>('r1', 'r2') },
    );
  const build = (pieces: string[]) =>
    sym(...pieces.map((p) => (p === 'r1' || p === 'r2' ? refs[p] : p)));
  const concrete = (pieces: string[], assignment: Record<string, string>) =>
    pieces.map((p) => (p === 'r1' || p === 'r2' ? (assignment[p] ?? '') : p)).join('');

  it('never contradicts any concrete assignment of the references', () => {
    const outcomes = { symbolicDefinite: 0, symbolicUnknown: 0 };
    fc.assert(
      fc.property(
        fc.array(piece(['a', 'b', '*', '?']), { maxLength: 4 }),
        fc.array(piece(['a', 'b']), { maxLength: 4 }),
        fc.boolean(),
        fc.array(
          fc.record({
            r1: fc.string({ unit: fc.constantFrom('a', 'b', '*'), maxLength: 3 }),
            r2: fc.string({ unit: fc.constantFrom('a', 'b', '?'), maxLength: 3 }),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        (patternPieces, valuePieces, wildcards, assignments) => {
          const result = matchPolicyString(build(patternPieces), build(valuePieces), {
            ignoreCase: false,
            wildcards,
          });
          const symbolic = [...patternPieces, ...valuePieces].some((p) => p === 'r1' || p === 'r2');
          if (symbolic) outcomes[result === 'unknown' ? 'symbolicUnknown' : 'symbolicDefinite']++;
          for (const assignment of assignments) {
            const p = concrete(patternPieces, assignment);
            const v = concrete(valuePieces, assignment);
            const truth = wildcards ? matchWildcard(p, v, false) : p === v;
            if (result !== 'unknown') expect(truth, `${p} ~ ${v}`).toBe(result);
          }
        },
      ),
      { numRuns: 3000, seed: 7 },
    );
    // The property is only worth something if symbolic inputs often get a definite answer.
    expect(outcomes.symbolicDefinite).toBeGreaterThan(outcomes.symbolicUnknown / 2);
  });
});
