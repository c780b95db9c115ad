import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from '../../../src/rules/data/edit-distance.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['sourcevpceid', 'sourcevpce', 2],
    ['getobjects', 'getobject', 1],
  ])('%s ↔ %s = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });

  it('caps the compared length, so huge inputs stay cheap', () => {
    expect(editDistance('a'.repeat(100_000), 'a'.repeat(100_000))).toBe(0);
    expect(editDistance('a'.repeat(100_000), '')).toBe(128);
  });
});

describe('closestMatch', () => {
  it('returns the nearest candidate case-insensitively, first one on ties', () => {
    expect(closestMatch('GETOBJECTS', ['PutObject', 'GetObject'], 2)).toBe('GetObject');
    expect(closestMatch('ab', ['aa', 'bb'], 2)).toBe('aa');
  });

  it('returns undefined beyond the budget', () => {
    expect(closestMatch('abcdef', ['uvwxyz'], 2)).toBeUndefined();
  });
});
