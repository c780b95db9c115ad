import { describe, expect, it } from 'vitest';
import { parsePatch } from '../../../src/github/fetch/patch.js';

describe('parsePatch', () => {
  it('reads several hunks: context and added lines on the right, deleted on the left', () => {
    const patch = [
      '@@ -1,4 +1,5 @@',
      ' a',
      '-b',
      '+B',
      '+B2',
      ' c',
      ' d',
      '@@ -20,3 +21,2 @@ Resources:',
      ' x',
      '-y',
      ' z',
    ].join('\n');
    expect(parsePatch(patch)).toEqual({
      right: [
        [1, 5],
        [21, 22],
      ],
      added: [[2, 3]],
      left: [
        [2, 2],
        [21, 21],
      ],
    });
  });

  it('ignores the "no newline at end of file" marker on either side', () => {
    const patch = [
      '@@ -1,2 +1,2 @@',
      ' a',
      '-b',
      '\\ No newline at end of file',
      '+b',
      '\\ No newline at end of file',
    ].join('\n');
    expect(parsePatch(patch)).toEqual({ right: [[1, 2]], added: [[2, 2]], left: [[2, 2]] });
  });

  it('reads a new file (pure addition) and a removed file (pure deletion)', () => {
    expect(parsePatch('@@ -0,0 +1,3 @@\n+a\n+b\n+c')).toEqual({
      right: [[1, 3]],
      added: [[1, 3]],
      left: [],
    });
    expect(parsePatch('@@ -1,2 +0,0 @@\n-a\n-b')).toEqual({ right: [], added: [], left: [[1, 2]] });
  });

  it('reads one-line hunks whose header omits the length', () => {
    expect(parsePatch('@@ -3 +3 @@\n-x\n+y')).toEqual({
      right: [[3, 3]],
      added: [[3, 3]],
      left: [[3, 3]],
    });
  });

  it('reads a rename with edits (the patch is relative to the previous file)', () => {
    // GitHub sends a renamed file's patch like any other; an unchanged rename has none.
    expect(parsePatch('@@ -5,3 +5,3 @@\n a\n-b\n+c\n d')).toEqual({
      right: [[5, 7]],
      added: [[6, 6]],
      left: [[6, 6]],
    });
    expect(parsePatch('')).toEqual({ right: [], added: [], left: [] });
  });

  it('does not count pasted diff headers or lines past a hunk as changes', () => {
    const patch = [
      'diff --git a/t.yaml b/t.yaml',
      '--- a/t.yaml',
      '+++ b/t.yaml',
      '@@ -1 +1 @@',
      '-a',
      '+b',
      '+++ not a line',
    ].join('\n');
    expect(parsePatch(patch)).toEqual({ right: [[1, 1]], added: [[1, 1]], left: [[1, 1]] });
  });

  it('treats a blank line inside a hunk as context and accepts CRLF', () => {
    expect(parsePatch('@@ -1,3 +1,3 @@\r\n a\r\n\r\n-b\r\n+c')).toEqual({
      right: [[1, 3]],
      added: [[3, 3]],
      left: [[3, 3]],
    });
  });
});
