/**
 * Source positions. Lines and columns are 1-based, as editors, GitHub annotations and SARIF
 * show them; `endColumn` is exclusive.
 */
export interface SourceRange {
  /** Path relative to the scan root, with forward slashes. */
  readonly file: string;
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export function rangeOf(
  file: string,
  startLine: number,
  startColumn: number,
  endLine: number,
  endColumn: number,
): SourceRange {
  return { file, startLine, startColumn, endLine, endColumn };
}

/** A whole-line range, for things that only have a line (parser errors, whole files). */
export function lineRange(file: string, line: number): SourceRange {
  return { file, startLine: line, startColumn: 1, endLine: line, endColumn: 1 };
}

/** Is `inner` inside `outer` (same file, boundaries included)? */
export function rangeContains(outer: SourceRange, inner: SourceRange): boolean {
  if (outer.file !== inner.file) return false;
  const startsAfter =
    inner.startLine > outer.startLine ||
    (inner.startLine === outer.startLine && inner.startColumn >= outer.startColumn);
  const endsBefore =
    inner.endLine < outer.endLine ||
    (inner.endLine === outer.endLine && inner.endColumn <= outer.endColumn);
  return startsAfter && endsBefore;
}

/** The smallest range covering both. Both must be in the same file. */
export function spanRanges(a: SourceRange, b: SourceRange): SourceRange {
  const startFirst =
    a.startLine < b.startLine || (a.startLine === b.startLine && a.startColumn <= b.startColumn);
  const endLast = a.endLine > b.endLine || (a.endLine === b.endLine && a.endColumn >= b.endColumn);
  return {
    file: a.file,
    startLine: startFirst ? a.startLine : b.startLine,
    startColumn: startFirst ? a.startColumn : b.startColumn,
    endLine: endLast ? a.endLine : b.endLine,
    endColumn: endLast ? a.endColumn : b.endColumn,
  };
}
