/**
 * Values in messages as the user wrote them: a lone reference reads `!Ref S3Endpoint`, not the
 * `${…}` interpolation form `displayValue` uses inside larger strings.
 */
import { displayValue, soleRef, type Value } from '../../core/value.js';

export function showValue(value: Value): string {
  return soleRef(value)?.display ?? displayValue(value);
}

/**
 * `Fn::Sub` of `template` written the way the template at `file` is written: JSON templates
 * have no short tags. For fixes the user pastes in place.
 */
export function subText(template: string, file: string): string {
  return file.toLowerCase().endsWith('.json')
    ? `{ "Fn::Sub": "${template}" }`
    : `!Sub '${template}'`;
}
