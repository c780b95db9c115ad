import { describe, expect, it } from 'vitest';
import { wholeLineReplacement } from '../../src/github/suggestions.js';

const file = 't.yaml';
const text = [
  'Resources:',
  '  E:',
  '    Properties:',
  '      ServiceName: com.amazonaws.eu-west-1.s3',
  '      Tags: []',
].join('\n');

describe('wholeLineReplacement', () => {
  it('keeps the indent and key around a replaced value', () => {
    const range = { file, startLine: 4, startColumn: 20, endLine: 4, endColumn: 46 };
    expect(
      wholeLineReplacement({ range, text: "!Sub 'com.amazonaws.${AWS::Region}.s3'" }, text),
    ).toEqual({
      range: { file, startLine: 4, startColumn: 1, endLine: 4, endColumn: 46 },
      text: "      ServiceName: !Sub 'com.amazonaws.${AWS::Region}.s3'",
    });
  });

  it('joins the first line before the span and the last line after it', () => {
    const range = { file, startLine: 3, startColumn: 5, endLine: 4, endColumn: 19 };
    expect(wholeLineReplacement({ range, text: 'X:' }, text)?.text).toBe(
      '    X: com.amazonaws.eu-west-1.s3',
    );
  });

  it('reads CRLF files line by line and drops a trailing newline of the text', () => {
    const crlf = text.replace(/\n/g, '\r\n');
    const range = { file, startLine: 5, startColumn: 13, endLine: 5, endColumn: 15 };
    expect(wholeLineReplacement({ range, text: '[a]\n' }, crlf)?.text).toBe('      Tags: [a]');
  });

  it('refuses what it cannot place exactly', () => {
    const outside = { file, startLine: 9, startColumn: 1, endLine: 9, endColumn: 2 };
    expect(wholeLineReplacement({ range: outside, text: 'x' }, text)).toBeUndefined();
    const pastEnd = { file, startLine: 1, startColumn: 40, endLine: 1, endColumn: 41 };
    expect(wholeLineReplacement({ range: pastEnd, text: 'x' }, text)).toBeUndefined();
    // Columns after non-ASCII text may be bytes or code units: no guess.
    const accented = 'Description: café\nKey: value';
    const after = { file, startLine: 1, startColumn: 18, endLine: 1, endColumn: 19 };
    expect(wholeLineReplacement({ range: after, text: '!' }, accented)).toBeUndefined();
  });
});
