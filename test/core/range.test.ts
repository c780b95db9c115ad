import { describe, expect, it } from 'vitest';
import { rangeContains, type SourceRange } from '../../src/core/range.js';

const r = (
  startLine: number,
  startColumn: number,
  endLine: number,
  endColumn: number,
  file = 'a.yaml',
): SourceRange => ({ file, startLine, startColumn, endLine, endColumn });

describe('rangeContains', () => {
  const outer = r(3, 5, 9, 2);
  it.each([
    ['itself', outer, true],
    ['a line in the middle', r(5, 1, 5, 80), true],
    ['the same start, an earlier end', r(3, 5, 4, 1), true],
    ['starting a column too early', r(3, 4, 5, 1), false],
    ['ending a column too late', r(8, 1, 9, 3), false],
    ['a line after', r(10, 1, 10, 2), false],
    ['the same lines in another file', r(5, 1, 5, 2, 'b.yaml'), false],
  ])('%s → %s', (_name, inner, expected) => {
    expect(rangeContains(outer, inner)).toBe(expected);
  });
});
