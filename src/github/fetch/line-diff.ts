/**
 * The changed lines of a file computed from its base and head text, for the files GitHub sends
 * without a `patch` (large diffs): the same ranges its hunks would give — changed lines and 3
 * lines of context — so review comments land only where GitHub accepts them.
 *
 * git's own diff (`xdiff.ts`), then git's placement of ambiguous groups (`compact`, with the
 * indent heuristic git uses by default), so repeated lines are attributed as GitHub attributes
 * them. A work budget bounds hostile input (two unrelated 8 MB files): beyond it, the whole head
 * counts as added and the whole base as deleted.
 */
import { toRanges } from '../lines.js';
import type { DiffLines } from './patch.js';
import { DiffBudgetExceeded, gitDiff } from './xdiff.js';

/** Lines of context around each change, as `git diff` and GitHub show them. */
export const CONTEXT_LINES = 3;

export interface LineDiffOptions {
  /** Steps of work (diagonal moves and snake comparisons) before giving up. */
  readonly maxWork?: number;
}

export const DEFAULT_MAX_WORK = 20_000_000;

/**
 * A text's lines as git compares them: with their newline, so a last line without one differs
 * from the same line with one (appending to such a file changes its last line, as git shows).
 */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
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
  let changed;
  try {
    changed = gitDiff(a, b, options.maxWork ?? DEFAULT_MAX_WORK);
  } catch (error) {
    if (error instanceof DiffBudgetExceeded) return undefined;
    throw error;
  }
  const baseChanged = Array.from(changed.a, (flag) => flag === 1);
  const headChanged = Array.from(changed.b, (flag) => flag === 1);
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
