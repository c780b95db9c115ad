/**
 * Kleene three-valued logic. `unknown` means "a symbolic or unresolved value decides this":
 * it is absorbed by a definite `false` in AND and by a definite `true` in OR, so a statement
 * whose action can never match stays `false` even when its condition is unresolved.
 */
import type { Tri } from './types.js';

export function triNot(value: Tri): Tri {
  return value === 'unknown' ? 'unknown' : !value;
}

export function triAnd(a: Tri, b: Tri): Tri {
  if (a === false || b === false) return false;
  if (a === true && b === true) return true;
  return 'unknown';
}

export function triOr(a: Tri, b: Tri): Tri {
  if (a === true || b === true) return true;
  if (a === false && b === false) return false;
  return 'unknown';
}

/** AND over all items; true for none. */
export function triAll<T>(items: Iterable<T>, test: (item: T) => Tri): Tri {
  let result: Tri = true;
  for (const item of items) {
    result = triAnd(result, test(item));
    if (result === false) return false;
  }
  return result;
}

/** OR over all items; false for none. */
export function triAny<T>(items: Iterable<T>, test: (item: T) => Tri): Tri {
  let result: Tri = false;
  for (const item of items) {
    result = triOr(result, test(item));
    if (result === true) return true;
  }
  return result;
}
