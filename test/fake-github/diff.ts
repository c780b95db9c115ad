/**
 * A line diff of two file versions, shaped the way GitHub shows it: unified hunks with three
 * lines of context, the `patch` text of `GET /pulls/{n}/files`, and the line ranges a review
 * comment may be placed on. Myers' algorithm after trimming the common prefix and suffix, so
 * small edits to large files stay cheap; past a budget of edits it falls back to "replace
 * everything in between", which is still a correct (if not minimal) diff.
 */

export const CONTEXT_LINES = 3;
const MAX_EDITS = 4000;

/** A line, with a marker for "the file ends here without a newline" (git tells them apart). */
const NO_EOL = '\u0000no-eol';

export interface Hunk {
  readonly oldStart: number;
  readonly oldCount: number;
  readonly newStart: number;
  readonly newCount: number;
  /** ' ', '-', '+' followed by the line (with NO_EOL marker on a last line lacking '\n'). */
  readonly lines: readonly string[];
}

export interface FileDiffResult {
  readonly hunks: readonly Hunk[];
  readonly additions: number;
  readonly deletions: number;
  /** GitHub's `patch` text (no `diff --git` header). */
  readonly patch: string;
}

export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else lines[lines.length - 1] += NO_EOL;
  return lines;
}

type Op = 'equal' | 'delete' | 'insert';

/** Edit script turning `a` into `b`. */
function editScript(a: readonly string[], b: readonly string[]): Op[] {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  )
    suffix++;
  const middle = myers(a.slice(prefix, a.length - suffix), b.slice(prefix, b.length - suffix));
  return [
    ...new Array<Op>(prefix).fill('equal'),
    ...middle,
    ...new Array<Op>(suffix).fill('equal'),
  ];
}

function myers(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return new Array<Op>(m).fill('insert');
  if (m === 0) return new Array<Op>(n).fill('delete');
  const max = Math.min(n + m, MAX_EDITS);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0)))
        x = v[offset + k + 1] ?? 0;
      else x = (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, next, offset, n, m, d);
    }
    v = next;
  }
  // Too many edits for a minimal diff: replace the whole middle.
  return [...new Array<Op>(n).fill('delete'), ...new Array<Op>(m).fill('insert')];
}

function backtrack(
  trace: Int32Array[],
  last: Int32Array,
  offset: number,
  n: number,
  m: number,
  depth: number,
): Op[] {
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = depth; d > 0; d--) {
    const v = trace[d] as Int32Array;
    const k = x - y;
    const down = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0));
    const prevK = down ? k + 1 : k - 1;
    const prevX = v[offset + prevK] ?? 0;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push('equal');
      x--;
      y--;
    }
    ops.push(down ? 'insert' : 'delete');
    x = prevX;
    y = prevY;
  }
  void last;
  while (x > 0 && y > 0) {
    ops.push('equal');
    x--;
    y--;
  }
  return ops.reverse();
}

/** Unified hunks with `context` lines around each change; nearby changes share a hunk. */
export function diffLines(
  oldText: string,
  newText: string,
  context = CONTEXT_LINES,
): FileDiffResult {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  const ops = editScript(a, b);
  // Walk the script once, remembering each op's old/new line index.
  const rows: { op: Op; oldIndex: number; newIndex: number }[] = [];
  let i = 0;
  let j = 0;
  for (const op of ops) {
    rows.push({ op, oldIndex: i, newIndex: j });
    if (op !== 'insert') i++;
    if (op !== 'delete') j++;
  }
  const changed = rows.flatMap((row, index) => (row.op === 'equal' ? [] : [index]));
  const hunks: Hunk[] = [];
  let additions = 0;
  let deletions = 0;
  let g = 0;
  while (g < changed.length) {
    let last = changed[g] as number;
    let h = g + 1;
    while (h < changed.length && (changed[h] as number) - last - 1 <= 2 * context) {
      last = changed[h] as number;
      h++;
    }
    const from = Math.max(0, (changed[g] as number) - context);
    const to = Math.min(rows.length - 1, last + context);
    const lines: string[] = [];
    let oldCount = 0;
    let newCount = 0;
    for (let r = from; r <= to; r++) {
      const row = rows[r] as (typeof rows)[number];
      if (row.op === 'equal') {
        lines.push(` ${a[row.oldIndex] as string}`);
        oldCount++;
        newCount++;
      } else if (row.op === 'delete') {
        lines.push(`-${a[row.oldIndex] as string}`);
        oldCount++;
        deletions++;
      } else {
        lines.push(`+${b[row.newIndex] as string}`);
        newCount++;
        additions++;
      }
    }
    const first = rows[from] as (typeof rows)[number];
    hunks.push({
      oldStart: oldCount === 0 ? first.oldIndex : first.oldIndex + 1,
      oldCount,
      newStart: newCount === 0 ? first.newIndex : first.newIndex + 1,
      newCount,
      lines,
    });
    g = h;
  }
  return { hunks, additions, deletions, patch: formatPatch(hunks) };
}

function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`;
}

function formatPatch(hunks: readonly Hunk[]): string {
  const out: string[] = [];
  for (const hunk of hunks) {
    out.push(
      `@@ -${range(hunk.oldStart, hunk.oldCount)} +${range(hunk.newStart, hunk.newCount)} @@`,
    );
    for (const line of hunk.lines) {
      if (line.endsWith(NO_EOL)) {
        out.push(line.slice(0, -NO_EOL.length), '\\ No newline at end of file');
      } else out.push(line);
    }
  }
  return out.join('\n');
}

/** Lines of each side a review comment may sit on: every line of a hunk, context included. */
export function commentableLines(hunks: readonly Hunk[]): {
  left: Set<number>;
  right: Set<number>;
} {
  const left = new Set<number>();
  const right = new Set<number>();
  for (const hunk of hunks) {
    for (let l = 0; l < hunk.oldCount; l++) left.add(hunk.oldStart + l);
    for (let r = 0; r < hunk.newCount; r++) right.add(hunk.newStart + r);
  }
  return { left, right };
}

/** Which hunk (index) a line of a side falls in, or -1. */
export function hunkOf(hunks: readonly Hunk[], side: 'LEFT' | 'RIGHT', line: number): number {
  return hunks.findIndex((hunk) =>
    side === 'LEFT'
      ? line >= hunk.oldStart && line < hunk.oldStart + hunk.oldCount
      : line >= hunk.newStart && line < hunk.newStart + hunk.newCount,
  );
}

/** git's heuristic: a NUL byte in the first 8,000 bytes makes a file binary. */
export function isBinary(data: Uint8Array): boolean {
  const end = Math.min(data.length, 8000);
  for (let index = 0; index < end; index++) if (data[index] === 0) return true;
  return false;
}
