import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffLines, hunkOf, splitLines } from './diff.js';

/** Applies unified hunks to the old text's lines: must give the new text's lines. */
function apply(oldText: string, newText: string): string[] {
  const { hunks } = diffLines(oldText, newText);
  const old = splitLines(oldText);
  const out: string[] = [];
  let next = 0;
  for (const hunk of hunks) {
    const start = hunk.oldCount === 0 ? hunk.oldStart : hunk.oldStart - 1;
    out.push(...old.slice(next, start));
    next = start;
    for (const line of hunk.lines) {
      if (line.startsWith('+')) out.push(line.slice(1));
      else {
        expect(line.slice(1)).toBe(old[next]);
        if (line.startsWith(' ')) out.push(line.slice(1));
        next++;
      }
    }
  }
  out.push(...old.slice(next));
  return out;
}

describe('diffLines', () => {
  it('writes GitHub-style hunks with three context lines and no-newline markers', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\no\np\n';
    const after = 'a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\nO\np';
    expect(diffLines(before, after).patch).toBe(
      [
        '@@ -1,5 +1,5 @@',
        ' a',
        '-b',
        '+B',
        ' c',
        ' d',
        ' e',
        '@@ -12,5 +12,5 @@',
        ' l',
        ' m',
        ' n',
        '-o',
        '-p',
        '+O',
        '+p',
        '\\ No newline at end of file',
      ].join('\n'),
    );
    expect(diffLines('', 'x\ny\n').patch).toBe('@@ -0,0 +1,2 @@\n+x\n+y');
    expect(diffLines('x\n', '').patch).toBe('@@ -1 +0,0 @@\n-x');
  });

  it('merges changes whose context overlaps into one hunk', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `l${i + 1}`);
    const changed = [...lines];
    changed[4] = 'X';
    changed[10] = 'Y';
    const { hunks } = diffLines(`${lines.join('\n')}\n`, `${changed.join('\n')}\n`);
    expect(hunks.map((h) => [h.oldStart, h.oldCount, h.newStart, h.newCount])).toEqual([
      [2, 13, 2, 13],
    ]);
    expect(hunkOf(hunks, 'RIGHT', 14)).toBe(0);
    expect(hunkOf(hunks, 'RIGHT', 15)).toBe(-1);
  });

  it('always produces hunks that turn the old text into the new one', () => {
    const text = fc
      .array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 40 })
      .chain((lines) =>
        fc
          .boolean()
          .map((eol) => (lines.length === 0 ? '' : `${lines.join('\n')}${eol ? '\n' : ''}`)),
      );
    fc.assert(
      fc.property(text, text, (before, after) => {
        expect(apply(before, after)).toEqual(splitLines(after));
      }),
      { numRuns: 300 },
    );
  });
});
