import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchArn, matchArnLiteral, splitArn } from '../../src/policy/arn.js';
import { lit, ref, sym } from './helpers.js';

describe('splitArn', () => {
  it('keeps colons in the resource part', () => {
    expect(splitArn('arn:aws:logs:us-east-1:123456789012:log-group:x:*')).toEqual([
      'arn',
      'aws',
      'logs',
      'us-east-1',
      '123456789012',
      'log-group:x:*',
    ]);
    expect(splitArn('arn:aws:s3')).toBeUndefined();
  });
});

describe('matchArnLiteral', () => {
  it.each([
    ['arn:aws:iam::123456789012:role/*', 'arn:aws:iam::123456789012:role/admin', true],
    ['arn:aws:iam::*:role/admin', 'arn:aws:iam::123456789012:role/admin', true],
    ['arn:aws:iam::123456789012:role/*', 'arn:aws:iam::210987654321:role/admin', false],
    // `*` stays inside its component: it cannot stand for the account and the colon after it
    ['arn:aws:iam::*', 'arn:aws:iam::123456789012:role/admin', false],
    ['arn:aws:ec2:*:*:vpc/vpc-1', 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1', true],
    ['arn:aws:ec2:*:*:vpc/VPC-1', 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1', false],
    ['arn:aws:logs:*:*:log-group:x:*', 'arn:aws:logs:eu-west-1:1:log-group:x:log-stream:y', true],
    ['*', 'arn:aws:s3:::b', false],
    ['arn:aws:s3:::b', 'not-an-arn', false],
  ])('%s ~ %s → %s', (pattern, value, expected) => {
    expect(matchArnLiteral(pattern, value)).toBe(expected);
  });
});

describe('matchArn (symbolic)', () => {
  const account = ref('pseudo:AWS::AccountId');
  const vpcArn = ref('Vpc#arn');
  it('splits symbolic ARNs into components', () => {
    expect(
      matchArn(sym('arn:aws:iam::', account, ':role/*'), lit('arn:aws:iam::123456789012:role/x')),
    ).toBe('unknown');
    expect(
      matchArn(sym('arn:aws:iam::', account, ':role/*'), lit('arn:aws:iam::123456789012:user/x')),
    ).toBe(false);
    expect(
      matchArn(sym('arn:aws:iam::', account, ':role/*'), sym('arn:aws:iam::', account, ':role/x')),
    ).toBe(true);
  });
  it('falls back to whole-string reasoning for references that may hold colons', () => {
    expect(matchArn(sym(vpcArn), sym(vpcArn))).toBe(true);
    expect(matchArn(sym(vpcArn), lit('arn:aws:ec2:us-east-1:1:vpc/vpc-1'))).toBe('unknown');
    expect(matchArn(sym('arn:aws:s3:::', vpcArn), lit('arn:aws:ec2:us-east-1:1:vpc/vpc-1'))).toBe(
      false,
    );
  });
});

describe('matchArn soundness (property)', () => {
  const refs = { p: ref('param:P'), a: ref('Thing#arn') };
  const piece = (alphabet: string[]) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 4 }) },
      { weight: 1, arbitrary: fc.constantFrom<'p' | 'a'>('p', 'a') },
    );
  const build = (pieces: string[]) =>
    sym(...pieces.map((x) => (x === 'p' || x === 'a' ? refs[x] : x)));
  const concrete = (pieces: string[], assignment: Record<string, string>) =>
    pieces.map((x) => (x === 'p' || x === 'a' ? (assignment[x] ?? '') : x)).join('');

  it('never contradicts a concrete assignment consistent with what references may hold', () => {
    fc.assert(
      fc.property(
        fc.array(piece(['a', ':', '*', '?']), { maxLength: 6 }),
        fc.array(piece(['a', 'b', ':']), { maxLength: 6 }),
        fc.array(
          fc.record({
            // A parameter holds no colon (account ids, Regions); an ARN attribute holds an ARN.
            p: fc.string({ unit: fc.constantFrom('a', 'b'), maxLength: 3 }),
            a: fc
              .string({ unit: fc.constantFrom('a', ':'), maxLength: 4 })
              .map((rest) => `x:y:z:::${rest}`),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        (patternPieces, valuePieces, assignments) => {
          const result = matchArn(build(patternPieces), build(valuePieces));
          if (result === 'unknown') return;
          for (const assignment of assignments) {
            const p = concrete(patternPieces, assignment);
            const v = concrete(valuePieces, assignment);
            expect(matchArnLiteral(p, v), `${p} ~ ${v}`).toBe(result);
          }
        },
      ),
      { numRuns: 3000, seed: 11 },
    );
  });
});
