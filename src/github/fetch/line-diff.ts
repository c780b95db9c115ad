/**
 * The changed lines of a file computed from its base and head text, for the files GitHub sends
 * without a `patch` (large diffs): the same ranges its hunks would give — changed lines and 3
 * lines of context — so review comments land only where GitHub accepts them.
 *
 * Myers' O(ND) diff on the lines left after trimming the common prefix and suffix (usually a few
 * lines of a big file), then git's sliding of ambiguous groups down as far as they go. The
 * indent heuristic git applies on top is not reproduced: where it would shift an insertion by a
 * line or two, the 3 lines of context still cover the comment positions nearly always. A work
 * budget bounds hostile input (two unrelated 8 MB files): beyond it, the whole head counts as
 * added and the whole base as deleted.
 */
import { toRanges } from '../lines.js';
import type { DiffLines } from './patch.js';

/** Lines of context around each change, as `git diff` and GitHub show them. */
export const CONTEXT_LINES = 3;

export interface LineDiffOptions {
  /** Largest edit distance (added + deleted lines) searched for. */
  readonly maxEdits?: number;
  /** Steps of work (diagonal moves and snake comparisons) before giving up. */
  readonly maxWork?: number;
}

export const DEFAULT_MAX_EDITS = 2000;
export const DEFAULT_MAX_WORK = 20_000_000;

/** A text's lines as git counts them: a final newline ends the last line, it does not add one. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Which lines of each side are changed (`true`), or undefined past the budget. */
export function changedLines(
  base: readonly string[],
  head: readonly string[],
  options: LineDiffOptions = {},
): { base: boolean[]; head: boolean[] } | undefined {
  const ids = new Map<string, number>();
  const id = (line: string): number => {
    let value = ids.get(line);
    if (value === undefined) ids.set(line, (value = ids.size));
    return value;
  };
  const a = Int32Array.from(base, id);
  const b = Int32Array.from(head, id);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  )
    suffix++;
  const middle = myers(
    a.subarray(prefix, a.length - suffix),
    b.subarray(prefix, b.length - suffix),
    options.maxEdits ?? DEFAULT_MAX_EDITS,
    options.maxWork ?? DEFAULT_MAX_WORK,
  );
  if (!middle) return undefined;
  const baseChanged = new Array<boolean>(a.length).fill(false);
  const headChanged = new Array<boolean>(b.length).fill(false);
  middle.a.forEach((changed, i) => (baseChanged[prefix + i] = changed === 1));
  middle.b.forEach((changed, i) => (headChanged[prefix + i] = changed === 1));
  slideDown(a, baseChanged);
  slideDown(b, headChanged);
  return { base: baseChanged, head: headChanged };
}

/** The diff lines GitHub's hunks would give for a file changed from `base` to `head`. */
export function diffLines(base: string, head: string, options: LineDiffOptions = {}): DiffLines {
  const baseLines = splitLines(base);
  const headLines = splitLines(head);
  const changed = changedLines(baseLines, headLines, options);
  if (!changed) {
    const all = (count: number): [number, number][] => (count > 0 ? [[1, count]] : []);
    return {
      right: all(headLines.length),
      added: all(headLines.length),
      left: all(baseLines.length),
    };
  }
  const right: [number, number][] = [];
  const added: number[] = [];
  const left: number[] = [];
  const n = changed.base.length;
  const m = changed.head.length;
  let i = 0;
  let j = 0;
  // Sliding keeps the unchanged lines of both sides matched in order: walk them in step.
  while (i < n || j < m) {
    if (i < n && j < m && !changed.base[i] && !changed.head[j]) {
      i++;
      j++;
      continue;
    }
    const headStart = j;
    while (i < n && changed.base[i]) left.push(++i);
    while (j < m && changed.head[j]) added.push(++j);
    // 0-based [headStart, j) changed; context on both sides, within the file.
    const from = Math.max(0, headStart - CONTEXT_LINES);
    const to = Math.min(m, j + CONTEXT_LINES);
    if (to > from) right.push([from + 1, to]);
  }
  return { right: toRanges(right), added: toRanges(added), left: toRanges(left) };
}

/**
 * Myers' greedy algorithm with the furthest-reaching paths of each step kept for the way back.
 * Marks changed elements with 1.
 */
function myers(
  a: Int32Array,
  b: Int32Array,
  maxEdits: number,
  maxWork: number,
): { a: Uint8Array; b: Uint8Array } | undefined {
  const n = a.length;
  const m = b.length;
  const changedA = new Uint8Array(n);
  const changedB = new Uint8Array(m);
  if (n === 0 || m === 0) {
    changedA.fill(1);
    changedB.fill(1);
    return { a: changedA, b: changedB };
  }
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let work = 0;
  for (let d = 0; d <= Math.min(max, maxEdits); d++) {
    // v for k in [-d, d] as it was before step d: all the way back needs.
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)
          ? v[offset + k + 1]!
          : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
        work++;
      }
      v[offset + k] = x;
      work++;
      if (x >= n && y >= m) {
        backtrack(trace, d, n, m, changedA, changedB);
        return { a: changedA, b: changedB };
      }
    }
    if (work > maxWork) return undefined;
  }
  return undefined;
}

function backtrack(
  trace: readonly Int32Array[],
  edits: number,
  n: number,
  m: number,
  changedA: Uint8Array,
  changedB: Uint8Array,
): void {
  let x = n;
  let y = m;
  for (let d = edits; d > 0; d--) {
    const before = trace[d]!;
    const at = (k: number): number => before[k + d]!;
    const k = x - y;
    const previousK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const previousX = at(previousK);
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      x--;
      y--;
    }
    if (x === previousX) changedB[previousY] = 1;
    else changedA[previousX] = 1;
    x = previousX;
    y = previousY;
  }
}

/**
 * git's compaction: a group of changed lines that could equally sit lower (its first line equals
 * the line after it) is moved down as far as it goes, merging with groups it meets — so repeated
 * lines are attributed the way `git diff` attributes them.
 */
function slideDown(lines: Int32Array, changed: boolean[]): void {
  let start = 0;
  while (start < changed.length) {
    if (!changed[start]) {
      start++;
      continue;
    }
    let end = start;
    while (end < changed.length && changed[end]) end++;
    while (end < changed.length && lines[start] === lines[end]) {
      changed[start++] = false;
      changed[end++] = true;
      while (end < changed.length && changed[end]) end++;
    }
    start = end;
  }
}
