import { describe, expect, it } from 'vitest';
import { compileGlob, matchSegment, normalizePath } from '../../src/config/glob.js';

function matches(pattern: string, path: string): boolean {
  const compiled = compileGlob(pattern);
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.glob.matches(path);
}

describe('compileGlob', () => {
  it.each([
    // pattern, path, expected
    ['**', 'a/b/c.yaml', true],
    ['*.tf', 'main.tf', true],
    ['*.tf', 'modules/vpc/main.tf', true], // no slash: any depth
    ['/main.tf', 'main.tf', true],
    ['/main.tf', 'modules/main.tf', false], // leading slash anchors
    ['./infra/*.yaml', 'infra/a.yaml', true],
    ['infra/*.yaml', 'infra/a.yaml', true],
    ['infra/*.yaml', 'infra/sub/a.yaml', false], // * stays within a segment
    ['infra/**/*.yaml', 'infra/a.yaml', true], // ** may be zero segments
    ['infra/**/*.yaml', 'infra/x/y/a.yaml', true],
    ['infra/**', 'infra/x/y/a.yaml', true],
    ['infra/**', 'other/infra/a.yaml', false],
    ['legacy/', 'legacy/a.tf', true],
    ['legacy/', 'x/legacy/a.tf', true], // trailing slash alone does not anchor
    ['x/legacy/', 'legacy/a.tf', false],
    ['**/test-fixtures/**', 'a/test-fixtures/b/c.json', true],
    ['a?c', 'abc', true],
    ['a?c', 'a/c', false], // ? never matches a slash
    ['a?c', 'ac', false],
    ['*.{json,yaml}', 'x/t.yaml', true],
    ['*.{json,yaml}', 'x/t.yml', false],
    ['{a,b/{c,d}}/*.tf', 'b/d/main.tf', true],
    ['{a,b/{c,d}}/*.tf', 'b/e/main.tf', false],
    ['{x}', '{x}', true], // a group without a comma is literal
    ['a.b', 'axb', false], // dots are literal (no regex)
    ['(a|b)', '(a|b)', true],
    ['[ab]', '[ab]', true],
    ['[ab]', 'a', false],
    ['*', '', false],
    ['infra/*', 'infra\\a.yaml', true], // Windows separators normalised
    ['A.tf', 'a.tf', false], // case-sensitive
  ] as const)('%s vs %s → %s', (pattern, path, expected) => {
    expect(matches(pattern, path)).toBe(expected);
  });

  it.each([
    ['', 'must not be empty'],
    ['{a,b', 'has an unbalanced `{` or `}`'],
    ['a,b}', 'has an unbalanced `{` or `}`'],
    ['{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}', 'expands to more than 64 alternatives'],
    ['a'.repeat(1001), 'must be at most 1000 characters'],
  ])('rejects %j', (pattern, message) => {
    const compiled = compileGlob(pattern);
    expect(compiled.ok).toBe(false);
    if (!compiled.ok) expect(compiled.message).toBe(message);
  });

  it('stays fast on patterns that make backtracking matchers explode', () => {
    const star = compileGlob(`${'*a'.repeat(200)}b`);
    const globstar = compileGlob(`${'**/'.repeat(200)}x`);
    if (!star.ok || !globstar.ok) throw new Error('should compile');
    const started = performance.now();
    expect(star.glob.matches('a'.repeat(5000))).toBe(false);
    expect(globstar.glob.matches(`${'d/'.repeat(2000)}y`)).toBe(false);
    expect(globstar.glob.matches(`${'d/'.repeat(2000)}x`)).toBe(true);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('matchSegment', () => {
  it.each([
    ['*', 'anything', true],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXbYY', false],
    ['**', 'x', true],
    ['', '', true],
    ['?', '', false],
  ] as const)('%s vs %s', (pattern, text, expected) => {
    expect(matchSegment(pattern, text)).toBe(expected);
  });
});

describe('normalizePath', () => {
  it('drops ./, leading and doubled slashes, and turns backslashes into slashes', () => {
    expect(normalizePath('./a//b\\c/')).toBe('a/b/c');
    expect(normalizePath('/a/./b')).toBe('a/b');
  });
});
