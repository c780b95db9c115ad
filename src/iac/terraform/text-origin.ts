/**
 * Where each character of an evaluated string came from. A `StringValue` carries one range for
 * the whole string, but a policy written as a heredoc or read with `file()` is JSON *text* whose
 * statements must be reported at their own lines: the model builder parses that text and asks
 * this side table for the source position of every span of it.
 */
import type { SourceRange } from '../../core/range.js';
import type { StringPart, StringValue, SymbolicRef } from '../../core/value.js';
import type { SourceText } from '../source-text.js';
import { positionAt } from '../source-text.js';

/**
 * Value characters [valueStart, valueStart+length) come either from source offsets
 * [srcStart, …) of `src` one to one, or — computed text (`upper(…)`, a number) — all from `at`.
 */
export type Run =
  | {
      readonly valueStart: number;
      readonly length: number;
      readonly src: SourceText;
      /** Added to every line: templates parsed inside a wrapper start below line 1. */
      readonly lineDelta: number;
      readonly srcStart: number;
    }
  | { readonly valueStart: number; readonly length: number; readonly at: SourceRange };

/** The origin of one text part: the runs mapping its characters to the source. */
export interface TextOrigin {
  readonly runs: readonly Run[];
}

const origins = new WeakMap<StringValue, readonly (TextOrigin | undefined)[]>();

/** A piece of a string under construction: text with its origin, or a reference. */
export type Piece =
  | { readonly kind: 'text'; readonly text: string; readonly origin?: TextOrigin }
  | { readonly kind: 'ref'; readonly ref: SymbolicRef };

/**
 * Builds a string value from pieces, merging adjacent text and remembering where it came from.
 * Text without an origin is attributed to `range` (the expression that computed it).
 */
export function buildString(pieces: readonly Piece[], range: SourceRange): StringValue {
  const parts: StringPart[] = [];
  const partRuns: Run[][] = [];
  for (const piece of pieces) {
    if (piece.kind === 'ref') {
      parts.push(piece);
      partRuns.push([]);
      continue;
    }
    if (piece.text === '') continue;
    const runs: readonly Run[] = piece.origin?.runs ?? [
      { valueStart: 0, length: piece.text.length, at: range },
    ];
    const last = parts[parts.length - 1];
    const lastRuns = partRuns[partRuns.length - 1];
    if (last?.kind === 'text' && lastRuns) {
      const shift = last.text.length;
      parts[parts.length - 1] = { kind: 'text', text: last.text + piece.text };
      for (const r of runs) lastRuns.push({ ...r, valueStart: r.valueStart + shift });
    } else {
      parts.push({ kind: 'text', text: piece.text });
      partRuns.push([...runs]);
    }
  }
  const value: StringValue = { kind: 'string', parts, range };
  origins.set(
    value,
    partRuns.map((runs, i) => (parts[i]?.kind === 'text' ? { runs } : undefined)),
  );
  return value;
}

/** Pieces of an existing string value, keeping origins (for interpolating it into another). */
export function piecesOf(value: StringValue): Piece[] {
  const known = origins.get(value);
  return value.parts.map((part, i) => {
    if (part.kind === 'ref') return part;
    const origin = known?.[i];
    // A string built elsewhere (a resolver's value) is attributed to its own range.
    return {
      kind: 'text',
      text: part.text,
      origin: origin ?? { runs: [{ valueStart: 0, length: part.text.length, at: value.range }] },
    };
  });
}

/**
 * The source range of characters [start, end) of text part `partIndex` of `value`, when known
 * (heredocs, quoted strings, `file()` and `templatefile()` text, and computed text, which maps
 * to the expression that computed it). Undefined for strings this reader did not build.
 */
export function textPartRange(
  value: StringValue,
  partIndex: number,
  start: number,
  end: number,
): SourceRange | undefined {
  const origin = origins.get(value)?.[partIndex];
  if (!origin) return undefined;
  const first = point(origin, start, 'start');
  const last = point(origin, Math.max(start, end - 1), 'end');
  if (!first || !last) return undefined;
  if (first.file !== last.file) return first.range;
  return {
    file: first.file,
    startLine: first.line,
    startColumn: first.column,
    endLine: last.line,
    endColumn: last.column,
  };
}

interface Point {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly range: SourceRange;
}

/** The position of a value character: its own start, or just after it (`end`). */
function point(origin: TextOrigin, index: number, side: 'start' | 'end'): Point | undefined {
  const runs = origin.runs;
  let low = 0;
  let high = runs.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((runs[mid]?.valueStart ?? 0) <= index) low = mid;
    else high = mid - 1;
  }
  const run = runs[low];
  if (!run) return undefined;
  if ('at' in run) {
    const r = run.at;
    return side === 'start'
      ? { file: r.file, line: r.startLine, column: r.startColumn, range: r }
      : { file: r.file, line: r.endLine, column: r.endColumn, range: r };
  }
  const offset = run.srcStart + Math.min(index - run.valueStart, Math.max(0, run.length - 1));
  const pos = positionAt(run.src, side === 'start' ? offset : offset + 1);
  const line = pos.line + run.lineDelta;
  const range: SourceRange = {
    file: run.src.file,
    startLine: line,
    startColumn: pos.column,
    endLine: line,
    endColumn: pos.column + 1,
  };
  return { file: run.src.file, line, column: pos.column, range };
}
