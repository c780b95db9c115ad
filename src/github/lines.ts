/**
 * Pure helpers for `LineRanges` (sorted, non-overlapping, inclusive 1-based line ranges): the
 * lines of a diff where GitHub accepts a review comment.
 */
import type { LineRanges } from './types.js';

/** Sorted, merged ranges from any list of lines or ranges (adjacent ranges join). */
export function toRanges(lines: Iterable<number | readonly [number, number]>): LineRanges {
  const pairs: [number, number][] = [];
  for (const item of lines) {
    const [start, end] = typeof item === 'number' ? [item, item] : item;
    if (Number.isInteger(start) && Number.isInteger(end) && start >= 1 && end >= start) {
      pairs.push([start, end]);
    }
  }
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [start, end] of pairs) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** Is `line` in one of the ranges? Binary search: diffs of big files have many hunks. */
export function rangesInclude(ranges: LineRanges, line: number): boolean {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const range = ranges[middle];
    if (!range) return false;
    if (line < range[0]) high = middle - 1;
    else if (line > range[1]) low = middle + 1;
    else return true;
  }
  return false;
}

/** Are all lines from `start` to `end` inside one range (a multi-line comment must be)? */
export function rangesCover(ranges: LineRanges, start: number, end: number): boolean {
  return ranges.some(([from, to]) => from <= start && end <= to);
}

/** Do any lines from `start` to `end` fall in the ranges? */
export function rangesOverlap(ranges: LineRanges, start: number, end: number): boolean {
  return ranges.some(([from, to]) => from <= end && start <= to);
}
