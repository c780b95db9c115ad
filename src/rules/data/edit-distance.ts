/**
 * Edit distance, for "did you mean …?" fix texts. Only ever compares short names (action names,
 * condition keys), so the quadratic Levenshtein table is cheap; inputs are capped anyway so a
 * hostile 1 MB key in a pull request cannot make a rule slow.
 */

/** Longest input compared; longer names are truncated (they are not real names anyway). */
const MAX_COMPARED = 128;

/** Levenshtein distance (insert, delete, substitute cost 1), case-sensitive. */
export function editDistance(a: string, b: string): number {
  const left = a.slice(0, MAX_COMPARED);
  const right = b.slice(0, MAX_COMPARED);
  if (left === right) return 0;
  if (left.length === 0) return right.length;
  if (right.length === 0) return left.length;
  let previous = Array.from({ length: right.length + 1 }, (_, j) => j);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    for (let j = 1; j <= right.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (left[i - 1] === right[j - 1] ? 0 : 1);
      const deletion = (previous[j] ?? 0) + 1;
      const insertion = (current[j - 1] ?? 0) + 1;
      current.push(Math.min(substitution, deletion, insertion));
    }
    previous = current;
  }
  return previous[right.length] ?? 0;
}

/**
 * The candidate closest to `target`, compared case-insensitively; ties go to the earlier
 * candidate so suggestions are deterministic. Undefined when no candidate is within
 * `maxDistance` (a suggestion that far off would mislead more than help).
 */
export function closestMatch(
  target: string,
  candidates: Iterable<string>,
  maxDistance: number,
): string | undefined {
  const wanted = target.toLowerCase();
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
      if (distance === 0) break;
    }
  }
  return best;
}

/** A distance budget that grows with the name: a third of its length, at least 2. */
export function suggestionBudget(name: string): number {
  return Math.max(2, Math.floor(name.length / 3));
}
