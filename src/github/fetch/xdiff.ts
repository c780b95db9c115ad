/**
 * git's line diff (xdiff's `xdl_do_diff`, Myers' algorithm as git runs it), ported so that
 * changed lines computed here are the ones `git diff` — and GitHub — report, not just another
 * minimal diff: where repeated lines make several alignments equally short, git's
 * divide-and-conquer search, its discarding of lines without a match and its cost heuristics
 * decide which one is shown.
 *
 * Steps as in git: trim the common head and tail, drop lines that cannot match (and runs of
 * too-common lines among them, `cleanupRecords`), then split the remaining box at the middle
 * snake recursively (`split`), with git's heuristics once the edit cost grows past its limits.
 */

const SNAKE_COUNT = 20;
const HEURISTIC_MIN_COST = 256;
const MAX_COST_MIN = 256;
const HEURISTIC_FACTOR = 4;
const SIMILAR_SCAN_WINDOW = 100;
const KEEP_DISCARDED_RUN = 4;
const MAX_EQUAL_LIMIT = 1024;
const LINE_MAX = 0x3fffffff;

/** git's `xdl_bogosqrt`: a power of two near the square root. */
function bogoSqrt(n: number): number {
  let i = 1;
  for (; n > 0; n >>= 2) i <<= 1;
  return i;
}

/** Thrown past the work budget: the caller falls back to "everything changed". */
export class DiffBudgetExceeded extends Error {}

/**
 * Changed flags (1) for each record of `a` and `b` (equal numbers are equal lines), before
 * git's compaction (done by the caller).
 */
export function gitDiff(
  a: Int32Array,
  b: Int32Array,
  maxWork: number,
): { a: Uint8Array; b: Uint8Array } {
  const n = a.length;
  const m = b.length;
  const changedA = new Uint8Array(n);
  const changedB = new Uint8Array(m);

  // xdl_trim_ends
  let start = 0;
  while (start < n && start < m && a[start] === b[start]) start++;
  let tail = 0;
  while (tail < n - start && tail < m - start && a[n - 1 - tail] === b[m - 1 - tail]) tail++;
  const endA = n - tail - 1;
  const endB = m - tail - 1;

  // xdl_cleanup_records: how often each line occurs in the other file (whole files).
  const countIn = (records: Int32Array): Map<number, number> => {
    const counts = new Map<number, number>();
    for (const record of records) counts.set(record, (counts.get(record) ?? 0) + 1);
    return counts;
  };
  const inA = countIn(a);
  const inB = countIn(b);
  const reduce = (
    records: Int32Array,
    end: number,
    other: Map<number, number>,
    changed: Uint8Array,
  ): { ha: Int32Array; index: Int32Array } => {
    const limit = Math.min(bogoSqrt(records.length), MAX_EQUAL_LIMIT);
    const dis = new Uint8Array(records.length + 1);
    for (let i = start; i <= end; i++) {
      const matches = other.get(records[i]!) ?? 0;
      dis[i] = matches === 0 ? 0 : matches >= limit ? 2 : 1;
    }
    const ha: number[] = [];
    const index: number[] = [];
    for (let i = start; i <= end; i++) {
      if (dis[i] === 1 || (dis[i] === 2 && !cleanMultiMatch(dis, i, start, end))) {
        index.push(i);
        ha.push(records[i]!);
      } else changed[i] = 1;
    }
    return { ha: Int32Array.from(ha), index: Int32Array.from(index) };
  };
  const reducedA = reduce(a, endA, inB, changedA);
  const reducedB = reduce(b, endB, inA, changedB);

  const ha1 = reducedA.ha;
  const ha2 = reducedB.ha;
  const n1 = ha1.length;
  const n2 = ha2.length;
  const diagonals = n1 + n2 + 3;
  const offset = n2 + 1;
  const kvdf = new Int32Array(diagonals + 2);
  const kvdb = new Int32Array(diagonals + 2);
  const maxCost = Math.max(bogoSqrt(diagonals), MAX_COST_MIN);
  let work = 0;
  const spend = (steps: number): void => {
    work += steps;
    if (work > maxWork) throw new DiffBudgetExceeded();
  };

  interface Split {
    i1: number;
    i2: number;
    minLo: boolean;
    minHi: boolean;
  }

  /** xdl_split: where the middle snake of the box [off1, lim1) × [off2, lim2) is. */
  const split = (
    off1: number,
    lim1: number,
    off2: number,
    lim2: number,
    needMin: boolean,
  ): Split => {
    const dmin = off1 - lim2;
    const dmax = lim1 - off2;
    const fmid = off1 - off2;
    const bmid = lim1 - lim2;
    const odd = ((fmid - bmid) & 1) !== 0;
    let fmin = fmid;
    let fmax = fmid;
    let bmin = bmid;
    let bmax = bmid;
    const f = (d: number): number => kvdf[d + offset]!;
    const bk = (d: number): number => kvdb[d + offset]!;
    kvdf[fmid + offset] = off1;
    kvdb[bmid + offset] = lim1;
    for (let ec = 1; ; ec++) {
      let gotSnake = false;
      if (fmin > dmin) kvdf[--fmin - 1 + offset] = -1;
      else ++fmin;
      if (fmax < dmax) kvdf[++fmax + 1 + offset] = -1;
      else --fmax;
      for (let d = fmax; d >= fmin; d -= 2) {
        let i1 = f(d - 1) >= f(d + 1) ? f(d - 1) + 1 : f(d + 1);
        const previous = i1;
        let i2 = i1 - d;
        while (i1 < lim1 && i2 < lim2 && ha1[i1] === ha2[i2]) {
          i1++;
          i2++;
        }
        spend(1 + i1 - previous);
        if (i1 - previous > SNAKE_COUNT) gotSnake = true;
        kvdf[d + offset] = i1;
        if (odd && bmin <= d && d <= bmax && bk(d) <= i1)
          return { i1, i2, minLo: true, minHi: true };
      }
      if (bmin > dmin) kvdb[--bmin - 1 + offset] = LINE_MAX;
      else ++bmin;
      if (bmax < dmax) kvdb[++bmax + 1 + offset] = LINE_MAX;
      else --bmax;
      for (let d = bmax; d >= bmin; d -= 2) {
        let i1 = bk(d - 1) < bk(d + 1) ? bk(d - 1) : bk(d + 1) - 1;
        const previous = i1;
        let i2 = i1 - d;
        while (i1 > off1 && i2 > off2 && ha1[i1 - 1] === ha2[i2 - 1]) {
          i1--;
          i2--;
        }
        spend(1 + previous - i1);
        if (previous - i1 > SNAKE_COUNT) gotSnake = true;
        kvdb[d + offset] = i1;
        if (!odd && fmin <= d && d <= fmax && i1 <= f(d))
          return { i1, i2, minLo: true, minHi: true };
      }
      if (needMin) continue;

      // A long snake far along a diagonal once the cost is high: split there.
      if (gotSnake && ec > HEURISTIC_MIN_COST) {
        let best = 0;
        const found = { i1: 0, i2: 0 };
        for (let d = fmax; d >= fmin; d -= 2) {
          const dd = d > fmid ? d - fmid : fmid - d;
          const i1 = f(d);
          const i2 = i1 - d;
          const v = i1 - off1 + (i2 - off2) - dd;
          if (
            v > HEURISTIC_FACTOR * ec &&
            v > best &&
            off1 + SNAKE_COUNT <= i1 &&
            i1 < lim1 &&
            off2 + SNAKE_COUNT <= i2 &&
            i2 < lim2
          ) {
            for (let k = 1; ha1[i1 - k] === ha2[i2 - k]; k++) {
              if (k === SNAKE_COUNT) {
                best = v;
                found.i1 = i1;
                found.i2 = i2;
                break;
              }
            }
          }
        }
        if (best > 0) return { ...found, minLo: true, minHi: false };
        for (let d = bmax; d >= bmin; d -= 2) {
          const dd = d > bmid ? d - bmid : bmid - d;
          const i1 = bk(d);
          const i2 = i1 - d;
          const v = lim1 - i1 + (lim2 - i2) - dd;
          if (
            v > HEURISTIC_FACTOR * ec &&
            v > best &&
            off1 < i1 &&
            i1 <= lim1 - SNAKE_COUNT &&
            off2 < i2 &&
            i2 <= lim2 - SNAKE_COUNT
          ) {
            for (let k = 0; ha1[i1 + k] === ha2[i2 + k]; k++) {
              if (k === SNAKE_COUNT - 1) {
                best = v;
                found.i1 = i1;
                found.i2 = i2;
                break;
              }
            }
          }
        }
        if (best > 0) return { ...found, minLo: false, minHi: true };
      }

      // Enough: take the furthest-reaching path found so far.
      if (ec >= maxCost) {
        let fbest = -1;
        let fbest1 = -1;
        for (let d = fmax; d >= fmin; d -= 2) {
          let i1 = Math.min(f(d), lim1);
          let i2 = i1 - d;
          if (lim2 < i2) {
            i1 = lim2 + d;
            i2 = lim2;
          }
          if (fbest < i1 + i2) {
            fbest = i1 + i2;
            fbest1 = i1;
          }
        }
        let bbest = LINE_MAX;
        let bbest1 = LINE_MAX;
        for (let d = bmax; d >= bmin; d -= 2) {
          let i1 = Math.max(off1, bk(d));
          let i2 = i1 - d;
          if (i2 < off2) {
            i1 = off2 + d;
            i2 = off2;
          }
          if (i1 + i2 < bbest) {
            bbest = i1 + i2;
            bbest1 = i1;
          }
        }
        if (lim1 + lim2 - bbest < fbest - (off1 + off2))
          return { i1: fbest1, i2: fbest - fbest1, minLo: true, minHi: false };
        return { i1: bbest1, i2: bbest - bbest1, minLo: false, minHi: true };
      }
    }
  };

  // xdl_recs_cmp, with an explicit stack instead of recursion (deep on long diffs).
  const stack: [number, number, number, number, boolean][] = [[0, n1, 0, n2, false]];
  for (let box = stack.pop(); box; box = stack.pop()) {
    let [off1, lim1, off2, lim2] = box;
    const needMin = box[4];
    while (off1 < lim1 && off2 < lim2 && ha1[off1] === ha2[off2]) {
      off1++;
      off2++;
    }
    while (off1 < lim1 && off2 < lim2 && ha1[lim1 - 1] === ha2[lim2 - 1]) {
      lim1--;
      lim2--;
    }
    if (off1 === lim1) {
      for (; off2 < lim2; off2++) changedB[reducedB.index[off2]!] = 1;
    } else if (off2 === lim2) {
      for (; off1 < lim1; off1++) changedA[reducedA.index[off1]!] = 1;
    } else {
      const middle = split(off1, lim1, off2, lim2, needMin);
      // Pushed in reverse: the lower box is done first, as git's recursion does.
      stack.push([middle.i1, lim1, middle.i2, lim2, middle.minHi]);
      stack.push([off1, middle.i1, off2, middle.i2, middle.minLo]);
    }
  }
  return { a: changedA, b: changedB };
}

/**
 * git's `xdl_clean_mmatch`: a too-common line is discarded only inside a run of lines that
 * have no match at all, where keeping it would only produce a poor alignment.
 */
function cleanMultiMatch(dis: Uint8Array, i: number, start: number, end: number): boolean {
  const s = i - start > SIMILAR_SCAN_WINDOW ? i - SIMILAR_SCAN_WINDOW : start;
  const e = end - i > SIMILAR_SCAN_WINDOW ? i + SIMILAR_SCAN_WINDOW : end;
  let noMatchBefore = 0;
  let multiBefore = 1;
  for (let r = 1; i - r >= s; r++) {
    if (dis[i - r] === 0) noMatchBefore++;
    else if (dis[i - r] === 2) multiBefore++;
    else break;
  }
  if (noMatchBefore === 0) return false;
  let noMatchAfter = 0;
  let multiAfter = 1;
  for (let r = 1; i + r <= e; r++) {
    if (dis[i + r] === 0) noMatchAfter++;
    else if (dis[i + r] === 2) multiAfter++;
    else break;
  }
  if (noMatchAfter === 0) return false;
  const noMatch = noMatchAfter + noMatchBefore;
  const multi = multiAfter + multiBefore;
  return multi * KEEP_DISCARDED_RUN < multi + noMatch;
}
