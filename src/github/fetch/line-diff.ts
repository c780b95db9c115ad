/**
 * The changed lines of a file computed from its base and head text, for the files GitHub sends
 * without a `patch` (large diffs): the same ranges its hunks would give — changed lines and 3
 * lines of context — so review comments land only where GitHub accepts them.
 *
 * Myers' O(ND) diff on the lines left after trimming the common prefix and suffix (usually a few
 * lines of a big file), then git's placement of ambiguous groups (`compact`, with its indent
 * heuristic), so repeated lines are attributed as GitHub attributes them. A work
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
  compact(base, a, baseChanged, headChanged);
  compact(head, b, headChanged, baseChanged);
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
 * git's `xdl_change_compact`, run on the old side then the new side: each group of changed lines
 * that could equally sit elsewhere (repeated lines) is slid up as far as it goes, then down,
 * merging with groups it meets; it is then placed to line up with a change on the other side
 * if it can, else where the indent heuristic (git's default since 2.14) scores best — between
 * blocks rather than inside one.
 */
function compact(
  lines: readonly string[],
  ids: Int32Array,
  changed: boolean[],
  otherChanged: boolean[],
): void {
  const n = changed.length;
  const m = otherChanged.length;
  const at = (flags: boolean[], index: number): boolean =>
    index >= 0 && index < flags.length && flags[index] === true;
  const g = { start: 0, end: 0 };
  const go = { start: 0, end: 0 };
  while (at(changed, g.end)) g.end++;
  while (at(otherChanged, go.end)) go.end++;

  const next = (
    flags: boolean[],
    group: { start: number; end: number },
    count: number,
  ): boolean => {
    if (group.end >= count) return false;
    group.start = group.end + 1;
    group.end = group.start;
    while (at(flags, group.end)) group.end++;
    return true;
  };
  const previous = (flags: boolean[], group: { start: number; end: number }): boolean => {
    if (group.start === 0) return false;
    group.end = group.start - 1;
    group.start = group.end;
    while (at(flags, group.start - 1)) group.start--;
    return true;
  };
  const slideDown = (): boolean => {
    if (g.end < n && ids[g.start] === ids[g.end]) {
      changed[g.start++] = false;
      changed[g.end++] = true;
      while (at(changed, g.end)) g.end++;
      return true;
    }
    return false;
  };
  const slideUp = (): boolean => {
    if (g.start > 0 && ids[g.start - 1] === ids[g.end - 1]) {
      changed[--g.start] = true;
      changed[--g.end] = false;
      while (at(changed, g.start - 1)) g.start--;
      return true;
    }
    return false;
  };

  for (;;) {
    if (g.end !== g.start) {
      let groupSize: number;
      let earliestEnd: number;
      let endMatchingOther: number;
      do {
        groupSize = g.end - g.start;
        endMatchingOther = -1;
        while (slideUp()) previous(otherChanged, go);
        earliestEnd = g.end;
        if (go.end > go.start) endMatchingOther = g.end;
        while (slideDown()) {
          next(otherChanged, go, m);
          if (go.end > go.start) endMatchingOther = g.end;
        }
      } while (groupSize !== g.end - g.start);
      if (g.end === earliestEnd) {
        // Nowhere else to go.
      } else if (endMatchingOther !== -1) {
        while (go.end === go.start) {
          slideUp();
          previous(otherChanged, go);
        }
      } else {
        const best = bestShift(lines, g.end, groupSize, earliestEnd);
        while (g.end > best) {
          slideUp();
          previous(otherChanged, go);
        }
      }
    }
    if (!next(changed, g, n)) break;
    next(otherChanged, go, m);
  }
}

const MAX_INDENT = 200;
const MAX_BLANKS = 20;
const INDENT_HEURISTIC_MAX_SLIDING = 100;

/** git's `get_indent`: columns of leading blanks (tabs to 8), -1 for a blank line. */
function indentOf(line: string): number {
  let indent = 0;
  for (const char of line) {
    if (char === ' ') indent++;
    else if (char === '\t') indent += 8 - (indent % 8);
    else if (!/\s/.test(char)) return indent;
    if (indent >= MAX_INDENT) return MAX_INDENT;
  }
  return -1;
}

interface Split {
  endOfFile: boolean;
  indent: number;
  preBlank: number;
  preIndent: number;
  postBlank: number;
  postIndent: number;
}

function measureSplit(lines: readonly string[], split: number): Split {
  const endOfFile = split >= lines.length;
  const measure: Split = {
    endOfFile,
    indent: endOfFile ? -1 : indentOf(lines[split]!),
    preBlank: 0,
    preIndent: -1,
    postBlank: 0,
    postIndent: -1,
  };
  for (let i = split - 1; i >= 0; i--) {
    measure.preIndent = indentOf(lines[i]!);
    if (measure.preIndent !== -1) break;
    if (++measure.preBlank === MAX_BLANKS) {
      measure.preIndent = 0;
      break;
    }
  }
  for (let i = split + 1; i < lines.length; i++) {
    measure.postIndent = indentOf(lines[i]!);
    if (measure.postIndent !== -1) break;
    if (++measure.postBlank === MAX_BLANKS) {
      measure.postIndent = 0;
      break;
    }
  }
  return measure;
}

/** git's `score_add_split`, with its tuned weights. */
function scoreSplit(m: Split, score: { effectiveIndent: number; penalty: number }): void {
  if (m.preIndent === -1 && m.preBlank === 0) score.penalty += 1;
  if (m.endOfFile) score.penalty += 21;
  const postBlank = m.indent === -1 ? 1 + m.postBlank : 0;
  const totalBlank = m.preBlank + postBlank;
  score.penalty += -30 * totalBlank + 6 * postBlank;
  const indent = m.indent !== -1 ? m.indent : m.postIndent;
  const anyBlanks = totalBlank !== 0;
  score.effectiveIndent += indent;
  if (indent === -1 || m.preIndent === -1 || indent === m.preIndent) return;
  if (indent > m.preIndent) score.penalty += anyBlanks ? 10 : -4;
  else if (m.postIndent !== -1 && m.postIndent > indent) score.penalty += anyBlanks ? 17 : 24;
  else score.penalty += anyBlanks ? 17 : 23;
}

/** Where the indent heuristic ends the group: the best-scoring of its possible positions. */
function bestShift(
  lines: readonly string[],
  end: number,
  groupSize: number,
  earliestEnd: number,
): number {
  let shift = Math.max(earliestEnd, end - groupSize - 1, end - INDENT_HEURISTIC_MAX_SLIDING);
  let best = -1;
  let bestScore = { effectiveIndent: 0, penalty: 0 };
  for (; shift <= end; shift++) {
    const score = { effectiveIndent: 0, penalty: 0 };
    scoreSplit(measureSplit(lines, shift), score);
    scoreSplit(measureSplit(lines, shift - groupSize), score);
    const compared =
      60 * Math.sign(score.effectiveIndent - bestScore.effectiveIndent) +
      (score.penalty - bestScore.penalty);
    if (best === -1 || compared <= 0) {
      best = shift;
      bestScore = score;
    }
  }
  return best;
}
