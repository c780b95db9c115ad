/**
 * A small glob matcher for `paths:` and `ignore:` in the configuration. It is written here,
 * rather than by translating globs into regular expressions, so that a pattern from a
 * repository's config can never inject regex syntax or trigger catastrophic backtracking:
 * matching is a table walk over path segments, O(pattern × path) in the worst case.
 *
 * Syntax (paths use forward slashes, matching is case-sensitive):
 * - `*` any run of characters within one path segment (not `/`), `?` one such character;
 * - `**` as a whole segment: zero or more segments (`a/**\/b` matches `a/b` and `a/x/y/b`);
 * - `{a,b}` alternatives (may nest; at most 64 expansions per pattern);
 * - a pattern without `/` matches at any depth (`*.tf` ≡ `**\/*.tf`), as in `.gitignore`;
 * - a trailing `/` means everything below (`legacy/` ≡ `legacy/**`, at any depth unless another
 *   `/` anchors it); a leading `/` or `./` anchors at the repository root (`/main.tf`).
 * Every other character, including `[`, `]`, `\` and `.`, is literal.
 */

export const MAX_GLOB_LENGTH = 1000;
export const MAX_GLOB_EXPANSIONS = 64;

export interface Glob {
  readonly source: string;
  matches(path: string): boolean;
}

export type GlobResult = { ok: true; glob: Glob } | { ok: false; message: string };

/** Compiles a pattern, or says why it is not one. */
export function compileGlob(pattern: string): GlobResult {
  if (pattern.length === 0) return { ok: false, message: 'must not be empty' };
  if (pattern.length > MAX_GLOB_LENGTH) {
    return { ok: false, message: `must be at most ${MAX_GLOB_LENGTH} characters` };
  }
  const expanded = expandBraces(pattern);
  if (typeof expanded === 'string') return { ok: false, message: expanded };
  const alternatives = expanded.map(toSegments);
  const glob: Glob = {
    source: pattern,
    matches(path: string): boolean {
      const normalized = normalizePath(path);
      if (normalized === '') return false; // not a file
      const segments = normalized.split('/');
      return alternatives.some((pattern) => matchSegments(pattern, segments));
    },
  };
  return { ok: true, glob };
}

/** Forward slashes, no leading `./` or `/`, no empty segments. */
export function normalizePath(path: string): string {
  return path
    .replace(/\\/g, '/')
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/');
}

function toSegments(pattern: string): readonly string[] {
  const body = pattern.endsWith('/') ? pattern.slice(0, -1) : pattern;
  // As in .gitignore: a `/` anywhere but at the end anchors the pattern at the root.
  const anchored = body.includes('/');
  const segments = body.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (pattern.endsWith('/')) segments.push('**');
  return anchored ? segments : ['**', ...segments];
}

/**
 * `{a,b}c` → `ac`, `bc`. Returns a message for unbalanced braces or too many expansions.
 * A brace group without a comma (`{a}`) is literal text, as in shells.
 */
function expandBraces(pattern: string): readonly string[] | string {
  const open = findGroup(pattern);
  if (open === 'unbalanced') return 'has an unbalanced `{` or `}`';
  if (open === undefined) return [pattern];
  const { start, end, options } = open;
  const results: string[] = [];
  for (const option of options) {
    const rest = expandBraces(pattern.slice(0, start) + option + pattern.slice(end + 1));
    if (typeof rest === 'string') return rest;
    for (const item of rest) {
      if (!results.includes(item)) results.push(item);
      if (results.length > MAX_GLOB_EXPANSIONS) {
        return `expands to more than ${MAX_GLOB_EXPANSIONS} alternatives`;
      }
    }
  }
  return results;
}

interface Group {
  readonly start: number;
  readonly end: number;
  readonly options: readonly string[];
}

/** The first top-level `{…}` group with a comma, its options split on top-level commas. */
function findGroup(pattern: string): Group | 'unbalanced' | undefined {
  let depth = 0;
  let start = -1;
  let commas: number[] = [];
  let found: Group | undefined;
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index];
    if (char === '{') {
      if (depth === 0) {
        start = index;
        commas = [];
      }
      depth++;
    } else if (char === '}') {
      depth--;
      if (depth < 0) return 'unbalanced';
      if (depth === 0 && commas.length > 0 && found === undefined) {
        const cuts = [start, ...commas, index];
        const options = cuts.slice(1).map((cut, i) => pattern.slice((cuts[i] ?? 0) + 1, cut));
        found = { start, end: index, options };
      }
    } else if (char === ',' && depth === 1) {
      commas.push(index);
    }
  }
  if (depth !== 0) return 'unbalanced';
  return found;
}

/**
 * Whether the pattern segments match the path segments. `reachable[j]` says whether the
 * pattern so far can consume exactly the first `j` path segments; one pass per pattern
 * segment keeps this linear in each dimension.
 */
function matchSegments(pattern: readonly string[], path: readonly string[]): boolean {
  let reachable: boolean[] = path.map(() => false);
  reachable.push(false);
  reachable[0] = true;
  for (const segment of pattern) {
    const next: boolean[] = reachable.map(() => false);
    if (segment === '**') {
      let seen = false;
      for (let j = 0; j <= path.length; j++) {
        seen ||= reachable[j] === true;
        next[j] = seen;
      }
    } else {
      for (let j = 0; j < path.length; j++) {
        if (reachable[j] === true && matchSegment(segment, path[j] ?? '')) next[j + 1] = true;
      }
    }
    reachable = next;
  }
  return reachable[path.length] === true;
}

/**
 * `*` and `?` within one segment: the classic greedy walk that remembers only the last `*`,
 * which is enough because a later `*` can absorb whatever an earlier one would have. Worst
 * case O(pattern × text), no recursion.
 */
export function matchSegment(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    const char = pattern[p];
    if (char === '*') {
      starP = p++;
      starT = t;
    } else if (char !== undefined && (char === '?' || char === text[t])) {
      p++;
      t++;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}
