/**
 * Where each character of an evaluated string came from. A `StringValue` carries one range for
 * the whole string, but a policy written as a heredoc or read with `file()` is JSON *text* whose
 * statements must be reported at their own lines: the model builder parses that text and asks
 * this side table for the source position of every span of it.
 */
import type { SourceRange } from '../../core/range.js';
import type { StringPart, StringValue, SymbolicRef } from '../../core/value.js';
import type { SourceText } from '../cloudformation/source-text.js';
import { positionAt } from '../cloudformation/source-text.js';

/** Value characters [valueStart, valueStart+length) come from source offsets [srcStart, …) one to one. */
interface Run {
  readonly valueStart: number;
  readonly srcStart: number;
  readonly length: number;
}

/** The origin of one text part: a file and the runs mapping its characters into it. */
export interface TextOrigin {
  readonly src: SourceText;
  /** Added to every line: templates parsed inside a wrapper start below line 1. */
  readonly lineDelta: number;
  readonly runs: readonly Run[];
}

const origins = new WeakMap<StringValue, readonly (TextOrigin | undefined)[]>();

/** A piece of a string under construction: text with its origin, or a reference. */
export type Piece =
  | { readonly kind: 'text'; readonly text: string; readonly origin?: TextOrigin }
  | { readonly kind: 'ref'; readonly ref: SymbolicRef };

/** Builds a string value from pieces, merging adjacent text and remembering where it came from. */
export function buildString(pieces: readonly Piece[], range: SourceRange): StringValue {
  const parts: StringPart[] = [];
  const partOrigins: (TextOrigin | undefined)[] = [];
  let known = true;
  for (const piece of pieces) {
    if (piece.kind === 'ref') {
      parts.push(piece);
      partOrigins.push(undefined);
      continue;
    }
    if (piece.text === '') continue;
    const last = parts[parts.length - 1];
    if (last?.kind === 'text') {
      const before = partOrigins[partOrigins.length - 1];
      parts[parts.length - 1] = { kind: 'text', text: last.text + piece.text };
      partOrigins[partOrigins.length - 1] = joinOrigins(before, last.text.length, piece.origin);
    } else {
      parts.push({ kind: 'text', text: piece.text });
      partOrigins.push(piece.origin);
    }
    if (!piece.origin) known = false;
  }
  const value: StringValue = { kind: 'string', parts, range };
  if (partOrigins.some((o) => o !== undefined) || !known) origins.set(value, partOrigins);
  return value;
}

/** Origins of different files cannot be merged: the merged part then has none. */
function joinOrigins(
  a: TextOrigin | undefined,
  aLength: number,
  b: TextOrigin | undefined,
): TextOrigin | undefined {
  if (!a || !b || a.src !== b.src || a.lineDelta !== b.lineDelta) return undefined;
  return {
    src: a.src,
    lineDelta: a.lineDelta,
    runs: [...a.runs, ...b.runs.map((r) => ({ ...r, valueStart: r.valueStart + aLength }))],
  };
}

/** Pieces of an existing string value, keeping origins (for interpolating it into another). */
export function piecesOf(value: StringValue): Piece[] {
  const known = origins.get(value);
  return value.parts.map((part, i) => {
    if (part.kind === 'ref') return part;
    const origin = known?.[i];
    return origin ? { kind: 'text', text: part.text, origin } : { kind: 'text', text: part.text };
  });
}

/** A run-mapped origin for text taken verbatim from `src` at `srcStart`. */
export function verbatimOrigin(
  src: SourceText,
  lineDelta: number,
  srcStart: number,
  length: number,
): TextOrigin {
  return { src, lineDelta, runs: [{ valueStart: 0, srcStart, length }] };
}

/**
 * The source range of characters [start, end) of text part `partIndex` of `value`, when known
 * (heredocs, quoted strings, `file()` and `templatefile()` text). Undefined for text the
 * evaluator computed (`upper(…)`, `format(…)`): the caller then uses the value's range.
 */
export function textPartRange(
  value: StringValue,
  partIndex: number,
  start: number,
  end: number,
): SourceRange | undefined {
  const origin = origins.get(value)?.[partIndex];
  if (!origin) return undefined;
  const from = srcOffset(origin, start);
  const to = end > start ? srcOffset(origin, end - 1) + 1 : from + 1;
  if (from === undefined) return undefined;
  const a = positionAt(origin.src, from);
  const b = positionAt(origin.src, Math.max(to, from + 1));
  return {
    file: origin.src.file,
    startLine: a.line + origin.lineDelta,
    startColumn: a.column,
    endLine: b.line + origin.lineDelta,
    endColumn: b.column,
  };
}

function srcOffset(origin: TextOrigin, index: number): number {
  const runs = origin.runs;
  let low = 0;
  let high = runs.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((runs[mid]?.valueStart ?? 0) <= index) low = mid;
    else high = mid - 1;
  }
  const run = runs[low];
  if (!run) return 0;
  return run.srcStart + Math.min(index - run.valueStart, Math.max(0, run.length - 1));
}
