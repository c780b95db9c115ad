/**
 * Finding fingerprints: the same problem must be recognised across pushes and between the base
 * and head of a pull request, so the fingerprint is built only from what names the problem
 * (rule, file, resource, and the rule's identity parts such as a statement Sid and a condition
 * key) — never from line numbers or formatting.
 */
import { createHash } from 'node:crypto';

/** Length of the hex prefix kept: 128 bits is plenty to tell findings apart. */
const FINGERPRINT_LENGTH = 32;

export function fingerprint(
  ruleId: string,
  file: string,
  resource: string,
  identity: readonly string[],
): string {
  // JSON encoding keeps the parts unambiguous: ['a|b'] and ['a', 'b'] hash differently.
  const canonical = JSON.stringify([ruleId, file, resource, ...identity]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex').slice(0, FINGERPRINT_LENGTH);
}
