import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { changedLines, diffLines, splitLines } from '../../../src/github/fetch/line-diff.js';
import { parsePatch } from '../../../src/github/fetch/patch.js';

const work = mkdtempSync(path.join(tmpdir(), 'line-diff-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The ranges of GitHub's hunks: `git diff` with 3 context lines, parsed like a GitHub patch. */
function gitRanges(
  base: string,
  head: string,
  indentHeuristic = true,
): ReturnType<typeof parsePatch> {
  writeFileSync(path.join(work, 'a'), base);
  writeFileSync(path.join(work, 'b'), head);
  let out = '';
  try {
    execFileSync(
      'git',
      [
        '-c',
        `diff.indentHeuristic=${indentHeuristic}`,
        'diff',
        '--no-index',
        '--no-color',
        '-U3',
        'a',
        'b',
      ],
      { cwd: work, encoding: 'utf8' },
    );
  } catch (error) {
    // git diff exits 1 when the files differ.
    out = (error as { stdout: string }).stdout;
  }
  const start = out.indexOf('\n@@');
  return parsePatch(start < 0 ? '' : out.slice(start + 1));
}

const lines = (...items: string[]): string => items.map((item) => `${item}\n`).join('');

const template = lines(
  'Resources:',
  '  Bucket:',
  '    Type: AWS::S3::Bucket',
  '  Policy:',
  '    Type: AWS::S3::BucketPolicy',
  '    Properties:',
  '      Bucket: !Ref Bucket',
  '      PolicyDocument:',
  '        Statement:',
  '          - Effect: Allow',
  '            Principal: "*"',
  '            Action: s3:GetObject',
  '            Resource: "*"',
  '  Endpoint:',
  '    Type: AWS::EC2::VPCEndpoint',
  '    Properties:',
  '      VpcId: vpc-1',
  '      ServiceName: com.amazonaws.eu-west-1.s3',
);

describe('diffLines', () => {
  const cases: [string, string, string][] = [
    ['one line changed', template, template.replace('s3:GetObject', 's3:*')],
    ['lines added at the end', template, `${template}  Extra:\n    Type: AWS::SNS::Topic\n`],
    ['lines removed at the start', template, template.split('\n').slice(3).join('\n')],
    [
      'two distant changes (two hunks)',
      template,
      template.replace('vpc-1', 'vpc-2').replace('Resources:', 'Resources: # all'),
    ],
    [
      'a duplicated block inserted (ambiguous placement)',
      template,
      template.replace(
        '          - Effect: Allow\n',
        '          - Effect: Allow\n            Principal: "*"\n          - Effect: Allow\n',
      ),
    ],
    ['new file', '', template],
    ['deleted content', template, ''],
    ['no final newline', 'a\nb\nc', 'a\nb\nd'],
    ['lines appended to a file without a final newline', 'a\nb', 'a\nb\nc\n'],
    ['a final newline removed', 'a\nb\n', 'a\nb'],
    ['identical', template, template],
  ];
  for (const [name, base, head] of cases) {
    it(`gives GitHub's hunks: ${name}`, () => {
      expect(diffLines(base, head)).toEqual(gitRanges(base, head));
    });
  }

  it('gives up past the work budget: the whole head is added, the whole base deleted', () => {
    const base = lines(...Array.from({ length: 50 }, (_, i) => `a${i}`));
    const head = lines(...Array.from({ length: 40 }, (_, i) => `b${i}`));
    expect(diffLines(base, head, { maxWork: 100 })).toEqual({
      right: [[1, 40]],
      added: [[1, 40]],
      left: [[1, 50]],
    });
  });

  // Not "minimal": like git's xdiff, the port may give up a shorter script for a simpler one
  // (b b b b → a b a a a a a a: git and we replace everything, 12 edits where 10 would do;
  // the exact-git property below is what matters for review comments).
  it('gives a valid alignment, never shorter than a naive LCS allows (property)', () => {
    const text = fc.array(fc.constantFrom('a', 'b', 'c', ' d', ''), { maxLength: 12 });
    fc.assert(
      fc.property(text, text, (a, b) => {
        const changed = changedLines(a, b);
        expect(changed).toBeDefined();
        if (!changed) return;
        const edits = [...changed.base, ...changed.head].filter(Boolean).length;
        expect(edits).toBeGreaterThanOrEqual(a.length + b.length - 2 * naiveLcs(a, b));
        // The unchanged lines of both sides are the same sequence: a valid alignment.
        expect(a.filter((_, i) => !changed.base[i])).toEqual(b.filter((_, i) => !changed.head[i]));
      }),
      { numRuns: 500 },
    );
  });

  it('matches git where git is not minimal', () => {
    const base = 'b\nb\nb\nb\n';
    const head = 'a\nb\na\na\na\na\na\na\n';
    expect(diffLines(base, head)).toEqual(gitRanges(base, head));
    expect(diffLines(base, head)).toEqual({ right: [[1, 8]], added: [[1, 8]], left: [[1, 4]] });
  });

  it("gives exactly git's hunks on small inputs with repeated, blank and indented lines (property)", () => {
    const line = fc.constantFrom('a', '  a', '', 'b', '    b', '\tc', '}');
    const text = fc.tuple(fc.array(line, { maxLength: 14 }), fc.boolean());
    fc.assert(
      fc.property(text, text, ([a, aNewline], [b, bNewline]) => {
        const base = a.join('\n') + (aNewline && a.length > 0 ? '\n' : '');
        const head = b.join('\n') + (bNewline && b.length > 0 ? '\n' : '');
        expect(diffLines(base, head)).toEqual(gitRanges(base, head));
      }),
      { numRuns: 300 },
    );
  });

  it('splits lines as git counts them', () => {
    expect(splitLines('')).toEqual([]);
    expect(splitLines('a\n')).toEqual(['a\n']);
    expect(splitLines('a\nb')).toEqual(['a\n', 'b']);
    expect(splitLines('\n')).toEqual(['\n']);
  });
});

function naiveLcs(a: readonly string[], b: readonly string[]): number {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      table[i]![j] =
        a[i - 1] === b[j - 1]
          ? table[i - 1]![j - 1]! + 1
          : Math.max(table[i - 1]![j]!, table[i]![j - 1]!);
    }
  }
  return table[a.length]![b.length]!;
}
