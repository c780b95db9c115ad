/**
 * Rules give exact replacements for a span of columns (SARIF's fixes use them as they are);
 * a GitHub suggestion replaces whole lines. This turns a span replacement into the whole lines
 * it touches, with the text before and after the span kept, so accepting the suggestion changes
 * exactly what the rule meant and nothing else.
 */
import type { Fix } from '../findings/finding.js';

type Replacement = NonNullable<Fix['replacement']>;

/**
 * The replacement widened to whole lines of `text` (the file as scanned), or undefined when it
 * cannot be done safely: lines out of range, or non-ASCII before a column (adapters may count
 * columns in bytes there, and a wrong guess would corrupt the line).
 */
export function wholeLineReplacement(
  replacement: Replacement,
  text: string,
): Replacement | undefined {
  const { range } = replacement;
  const lines = text.split(/\r?\n/);
  const first = lines[range.startLine - 1];
  const last = lines[range.endLine - 1];
  if (first === undefined || last === undefined || range.endLine < range.startLine)
    return undefined;
  const before = first.slice(0, range.startColumn - 1);
  const after = last.slice(range.endColumn - 1);
  const lastPrefix = last.slice(0, range.endColumn - 1);
  if (range.startColumn - 1 > first.length || range.endColumn - 1 > last.length) return undefined;
  if (!isAscii(before) || !isAscii(lastPrefix)) return undefined;
  return {
    range: {
      file: range.file,
      startLine: range.startLine,
      startColumn: 1,
      endLine: range.endLine,
      endColumn: last.length + 1,
    },
    text: `${before}${replacement.text.replace(/\r?\n$/, '')}${after}`,
  };
}

function isAscii(text: string): boolean {
  return /^[\x20-\x7e\t]*$/.test(text);
}
