/**
 * A file's changed lines from the unified-diff `patch` GitHub sends with each pull request file:
 * where review comments are accepted (`right`: added and context lines of the head, `left`:
 * deleted lines of the base) and what the pull request wrote (`added`).
 */
import { toRanges } from '../lines.js';
import type { LineRanges } from '../types.js';

export interface DiffLines {
  readonly right: LineRanges;
  readonly added: LineRanges;
  readonly left: LineRanges;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * Lines are counted against each hunk header's lengths rather than trusted by their first
 * character alone: after a hunk is used up, a line such as `+++ b/file` or `--- a/file` (headers
 * of a patch pasted whole) is not a change. A blank line inside a hunk is a context line whose
 * leading space was stripped, which some tools do.
 */
export function parsePatch(patch: string): DiffLines {
  const right: number[] = [];
  const added: number[] = [];
  const left: number[] = [];
  let oldLine = 0;
  let newLine = 0;
  let oldLeft = 0;
  let newLeft = 0;
  for (const raw of patch.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const header = HUNK_HEADER.exec(line);
    if (header && oldLeft === 0 && newLeft === 0) {
      oldLine = Number(header[1]);
      oldLeft = header[2] === undefined ? 1 : Number(header[2]);
      newLine = Number(header[3]);
      newLeft = header[4] === undefined ? 1 : Number(header[4]);
      continue;
    }
    if (oldLeft === 0 && newLeft === 0) continue;
    const marker = line[0];
    if (marker === '+' && newLeft > 0) {
      right.push(newLine);
      added.push(newLine);
      newLine++;
      newLeft--;
    } else if (marker === '-' && oldLeft > 0) {
      left.push(oldLine);
      oldLine++;
      oldLeft--;
    } else if ((marker === ' ' || line === '') && newLeft > 0 && oldLeft > 0) {
      right.push(newLine);
      newLine++;
      oldLine++;
      newLeft--;
      oldLeft--;
    }
    // "\ No newline at end of file" and anything unexpected: not a line of either side.
  }
  return { right: toRanges(right), added: toRanges(added), left: toRanges(left) };
}
