import { describe, expect, it } from 'vitest';
import { lineRange } from '../../src/core/range.js';
import {
  concat,
  displayValue,
  expandVariants,
  literalString,
  text,
  type Value,
} from '../../src/core/value.js';

const r = lineRange('t.yaml', 1);

describe('concat', () => {
  it('merges adjacent text and drops empty parts', () => {
    const ref = {
      id: 'B',
      target: { kind: 'resource', address: 'B', attribute: 'id' },
      display: '!Ref B',
    } as const;
    const v = concat(
      [
        { kind: 'text', text: 'arn:aws:s3:::' },
        { kind: 'text', text: '' },
        { kind: 'ref', ref },
        { kind: 'text', text: '/' },
        { kind: 'text', text: '*' },
      ],
      r,
    );
    expect(v.parts).toEqual([
      { kind: 'text', text: 'arn:aws:s3:::' },
      { kind: 'ref', ref },
      { kind: 'text', text: '/*' },
    ]);
    expect(literalString(v)).toBeUndefined();
    expect(displayValue(v)).toBe('arn:aws:s3:::${!Ref B}/*');
  });
});

describe('expandVariants', () => {
  it('gives one variant per condition assignment, consistently per condition', () => {
    const cond = (a: string, b: string): Value => ({
      kind: 'conditional',
      condition: 'IsProd',
      whenTrue: text(a, r),
      whenFalse: text(b, r),
      range: r,
    });
    const value: Value = { kind: 'list', items: [cond('a', 'b'), cond('c', 'd')], range: r };
    const variants = expandVariants(value);
    expect(variants?.map((v) => [v.assumptions, displayValue(v.value)])).toEqual([
      [[{ condition: 'IsProd', value: false }], '[b, d]'],
      [[{ condition: 'IsProd', value: true }], '[a, c]'],
    ]);
  });

  it('drops absent list items and map entries', () => {
    const value: Value = {
      kind: 'list',
      items: [
        text('x', r),
        {
          kind: 'conditional',
          condition: 'C',
          whenTrue: text('y', r),
          whenFalse: { kind: 'absent', range: r },
          range: r,
        },
      ],
      range: r,
    };
    expect(expandVariants(value)?.map((v) => displayValue(v.value))).toEqual(['[x]', '[x, y]']);
  });
});
