/**
 * IAM wildcard matching (`*` = any run of characters, `?` = exactly one), for literal strings and
 * for strings holding symbolic references.
 *
 * Literal matching splits the pattern at `*` and places every middle segment at its leftmost
 * possible position. That greedy placement is optimal (a later placement can only leave less
 * room for the rest), so there is no backtracking: a pattern like `a*a*a*…` is linear, and a
 * hostile policy cannot stall a scan the way a translated regular expression can.
 */
import type { StringPart } from '../core/value.js';
import type { PolicyString, Tri } from './types.js';

/** What a symbolic reference is assumed to be when nothing else is said. */
export const DEFAULT_ASSUMPTIONS: Readonly<Record<string, string>> = {
  'pseudo:AWS::Partition': 'aws',
};

export interface MatchOptions {
  readonly ignoreCase: boolean;
  /** Does the pattern's `*`/`?` act as a wildcard (StringLike, Resource) or literally (StringEquals)? */
  readonly wildcards: boolean;
  /** Values for references by `SymbolicRef.id`; merged over `DEFAULT_ASSUMPTIONS`. */
  readonly assume?: Readonly<Record<string, string>>;
}

export function matchWildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  const segments = p.split('*');
  if (segments.length === 1) return p.length === v.length && segmentAt(p, v, 0);
  const first = segments[0] ?? '';
  const last = segments[segments.length - 1] ?? '';
  if (first.length + last.length > v.length) return false;
  if (!segmentAt(first, v, 0) || !segmentAt(last, v, v.length - last.length)) return false;
  let from = first.length;
  const end = v.length - last.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const segment = segments[i] ?? '';
    if (segment === '') continue;
    const at = findSegment(segment, v, from, end);
    if (at < 0) return false;
    from = at + segment.length;
  }
  return true;
}

/** Does `segment` (no `*`, maybe `?`) match `value` starting at `at`? */
function segmentAt(segment: string, value: string, at: number): boolean {
  if (at < 0 || at + segment.length > value.length) return false;
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i);
    if (c !== QUESTION && c !== value.charCodeAt(at + i)) return false;
  }
  return true;
}

/** Leftmost position ≥ from where `segment` fits entirely before `end`, or -1. */
function findSegment(segment: string, value: string, from: number, end: number): number {
  if (!segment.includes('?')) {
    // indexOf is the engine's own substring search: fast, and no backtracking blow-up.
    const at = value.indexOf(segment, from);
    return at >= 0 && at + segment.length <= end ? at : -1;
  }
  for (let at = from; at + segment.length <= end; at++) {
    if (segmentAt(segment, value, at)) return at;
  }
  return -1;
}

const QUESTION = '?'.charCodeAt(0);

// ---------------------------------------------------------------------------------------------
// Symbolic strings

/**
 * Does `pattern` match `value`, when either may hold references?
 * - both literal (after substituting assumed values): the exact answer;
 * - the match holds whatever the references turn out to be (e.g. identical part sequences, or
 *   each reference of the value swallowed by a `*` of the pattern): true;
 * - no values of the references could make them match: false;
 * - otherwise: unknown. Unknown values are always unknown.
 */
export function matchPolicyString(
  pattern: PolicyString,
  value: PolicyString,
  opts: MatchOptions,
): Tri {
  if (pattern.kind === 'unknown' || value.kind === 'unknown') return 'unknown';
  const assume = opts.assume ? { ...DEFAULT_ASSUMPTIONS, ...opts.assume } : DEFAULT_ASSUMPTIONS;
  const p = substituteAssumed(pattern.parts, assume);
  const v = substituteAssumed(value.parts, assume);
  const pLiteral = literalOf(p);
  const vLiteral = literalOf(v);
  if (pLiteral !== undefined && vLiteral !== undefined) {
    if (opts.wildcards) return matchWildcard(pLiteral, vLiteral, opts.ignoreCase);
    return opts.ignoreCase
      ? pLiteral.toLowerCase() === vLiteral.toLowerCase()
      : pLiteral === vLiteral;
  }
  const refIds = new Map<string, number>();
  const pTokens = tokenize(p, opts, true, refIds);
  const vTokens = tokenize(v, opts, false, refIds);
  if (matchesForAnyRefValues(pTokens, vTokens)) return true;
  return possiblyMatches(pTokens, vTokens) ? 'unknown' : false;
}

/** Replaces references with assumed values and merges adjacent text. */
export function substituteAssumed(
  parts: readonly StringPart[],
  assume: Readonly<Record<string, string>>,
): StringPart[] {
  const out: StringPart[] = [];
  for (const part of parts) {
    const assumed = part.kind === 'ref' ? assume[part.ref.id] : undefined;
    const next: StringPart = assumed !== undefined ? { kind: 'text', text: assumed } : part;
    const last = out[out.length - 1];
    if (next.kind === 'text' && next.text === '') continue;
    if (next.kind === 'text' && last?.kind === 'text') {
      out[out.length - 1] = { kind: 'text', text: last.text + next.text };
    } else {
      out.push(next);
    }
  }
  return out;
}

function literalOf(parts: readonly StringPart[]): string | undefined {
  if (parts.length === 0) return '';
  const [only] = parts;
  return parts.length === 1 && only?.kind === 'text' ? only.text : undefined;
}

// Tokens: UTF-16 code units (≥ 0), a pattern wildcard, or a reference (≤ REF_BASE, one per id).
const STAR = -1;
const ANY_ONE = -2;
const REF_BASE = -3;

function tokenize(
  parts: readonly StringPart[],
  opts: MatchOptions,
  isPattern: boolean,
  refIds: Map<string, number>,
): number[] {
  const tokens: number[] = [];
  for (const part of parts) {
    if (part.kind === 'ref') {
      let index = refIds.get(part.ref.id);
      if (index === undefined) {
        index = refIds.size;
        refIds.set(part.ref.id, index);
      }
      tokens.push(REF_BASE - index);
      continue;
    }
    const text = opts.ignoreCase ? part.text.toLowerCase() : part.text;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (isPattern && opts.wildcards && c === STAR_CODE) tokens.push(STAR);
      else if (isPattern && opts.wildcards && c === QUESTION) tokens.push(ANY_ONE);
      else tokens.push(c);
    }
  }
  return tokens;
}

const STAR_CODE = '*'.charCodeAt(0);

/**
 * A sufficient test for "matches whatever the references are": a reference in the pattern
 * matches only the same reference in the value (same id, same runtime value), and a value
 * reference must lie inside one `*` of the pattern (a `?` cannot take it: it may be empty or long).
 */
function matchesForAnyRefValues(pattern: readonly number[], value: readonly number[]): boolean {
  const segments: number[][] = [[]];
  for (const t of pattern) {
    if (t === STAR) segments.push([]);
    else segments[segments.length - 1]?.push(t);
  }
  const fits = (segment: readonly number[], at: number): boolean => {
    if (at < 0 || at + segment.length > value.length) return false;
    return segment.every((t, i) => {
      const v = value[at + i] ?? STAR;
      return t === ANY_ONE ? v >= 0 : t === v;
    });
  };
  const first = segments[0] ?? [];
  if (segments.length === 1) return first.length === value.length && fits(first, 0);
  const last = segments[segments.length - 1] ?? [];
  if (first.length + last.length > value.length) return false;
  if (!fits(first, 0) || !fits(last, value.length - last.length)) return false;
  let from = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const segment = segments[i] ?? [];
    if (segment.length === 0) continue;
    let at = from;
    while (at + segment.length <= end && !fits(segment, at)) at++;
    if (at + segment.length > end) return false;
    from = at + segment.length;
  }
  return true;
}

/** Beyond this many DP cells the answer is "possibly" (unknown is always a sound answer). */
const POSSIBLE_MATCH_BUDGET = 4_000_000;

/**
 * Could some values of the references make the pattern match the value? Every reference (on
 * either side) stands for an arbitrary string; the pattern's `*`/`?` keep their meaning. A
 * dynamic program over both token sequences, from the back: ok(i, j) = the pattern from i and
 * the value from j can describe a common string.
 */
function possiblyMatches(pattern: readonly number[], value: readonly number[]): boolean {
  const n = pattern.length;
  const m = value.length;
  if ((n + 1) * (m + 1) > POSSIBLE_MATCH_BUDGET) return true;
  const p = pattern.map((t) => (t <= REF_BASE ? STAR : t));
  const v = value.map((t) => (t <= REF_BASE ? STAR : t));
  let next = new Uint8Array(m + 1); // row i + 1
  let row = new Uint8Array(m + 1); // row i
  // Row n: the pattern is used up; only value references (taken as empty) may remain.
  next[m] = 1;
  for (let j = m - 1; j >= 0; j--) next[j] = v[j] === STAR && next[j + 1] === 1 ? 1 : 0;
  for (let i = n - 1; i >= 0; i--) {
    const pt = p[i] ?? STAR;
    for (let j = m; j >= 0; j--) {
      let ok = false;
      if (pt === STAR) {
        ok = next[j] === 1 || (j < m && row[j + 1] === 1);
      } else if (j < m && v[j] === STAR) {
        // The value's reference is empty from here, or it produces the character pt matches.
        ok = row[j + 1] === 1 || next[j] === 1;
      } else if (j < m) {
        const vt = v[j] ?? STAR;
        ok = (pt === ANY_ONE || pt === vt) && next[j + 1] === 1;
      }
      row[j] = ok ? 1 : 0;
    }
    [next, row] = [row, next];
  }
  return next[0] === 1;
}
