/**
 * Values in messages as the user wrote them: a lone reference reads `!Ref S3Endpoint`, not the
 * `${…}` interpolation form `displayValue` uses inside larger strings.
 */
import { displayValue, soleRef, type Value } from '../../core/value.js';

export function showValue(value: Value): string {
  return soleRef(value)?.display ?? displayValue(value);
}
