/**
 * One template file's text and the offset → line/column arithmetic every node range needs.
 * Kept apart from the YAML reader so included files and JSON-in-a-string policies share it.
 */
import type { SourceRange } from '../core/range.js';

export interface SourceText {
  /** Path relative to the scan root. */
  readonly file: string;
  readonly text: string;
  /** Offset of the first character of each line (line 1 at index 0). */
  readonly lineStarts: readonly number[];
}

export function sourceText(file: string, text: string): SourceText {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  }
  return { file, text, lineStarts };
}

/** 1-based line and column of a character offset (clamped to the text). */
export function positionAt(src: SourceText, offset: number): { line: number; column: number } {
  const clamped = Math.max(0, Math.min(offset, src.text.length));
  const starts = src.lineStarts;
  // Nodes are visited mostly in document order: try the last line found and the next one first.
  const hint = lastLine.get(starts) ?? 0;
  for (let line = hint; line <= hint + 1 && line < starts.length; line++) {
    const from = starts[line] ?? 0;
    const to = starts[line + 1] ?? Infinity;
    if (clamped >= from && clamped < to) {
      lastLine.set(starts, line);
      return { line: line + 1, column: clamped - from + 1 };
    }
  }
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] ?? 0) <= clamped) low = mid;
    else high = mid - 1;
  }
  lastLine.set(starts, low);
  return { line: low + 1, column: clamped - (starts[low] ?? 0) + 1 };
}

/** The line of the previous lookup per text, kept outside the (immutable) SourceText. */
const lastLine = new WeakMap<readonly number[], number>();

/** The range covering offsets [start, end) — `end` exclusive, like the YAML library's ranges. */
export function rangeBetween(src: SourceText, start: number, end: number): SourceRange {
  const from = positionAt(src, start);
  // An empty or reversed span still gets a one-character-wide range so editors can show it.
  const to = end > start ? positionAt(src, end) : { line: from.line, column: from.column + 1 };
  return {
    file: src.file,
    startLine: from.line,
    startColumn: from.column,
    endLine: to.line,
    endColumn: to.column,
  };
}

/**
 * Maps each character index of a scalar's *value* to an offset in the source, for scalars whose
 * value is itself parsed (JSON policy strings). YAML's quoting, escapes, block indentation and
 * line folding all only ever remove or replace characters, so a greedy left-to-right alignment
 * (match equal characters, skip source characters that were dropped) is exact for the
 * characters that matter — JSON tokens are never whitespace — and linear in time. Where an
 * escape produced a character absent from the source, later positions may drift, never crash.
 */
export function alignValueToSource(
  value: string,
  src: SourceText,
  start: number,
  end: number,
): Int32Array {
  const map = new Int32Array(value.length + 1);
  let j = start;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    // Bounded look-ahead keeps this linear even when escapes make characters vanish.
    const limit = Math.min(end, j + ALIGN_LOOKAHEAD);
    let k = j;
    while (k < limit && src.text[k] !== ch) k++;
    if (k >= limit) {
      map[i] = Math.min(j, Math.max(start, end - 1));
      continue;
    }
    map[i] = k;
    j = k + 1;
  }
  map[value.length] = Math.min(j, end);
  return map;
}

/** Indentation, quoting and escapes drop at most this many source characters between two value characters. */
const ALIGN_LOOKAHEAD = 256;
