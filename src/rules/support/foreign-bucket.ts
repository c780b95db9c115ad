/**
 * Probe values for "a bucket (or caller) in another account and organisation": endpoint-policy
 * rules ask whether a policy would let a request reach such a bucket, which is how data leaves
 * through an endpoint. The IDs are well-formed but belong to nobody the user could name.
 */
import { lineRange } from '../../core/range.js';
import { text } from '../../core/value.js';
import type { ContextValue } from '../../policy/types.js';

/** Where probe values "come from": no file. */
export const PROBE_AT = lineRange('<probe>', 1);
export const FOREIGN_ACCOUNT = '999988887777';
export const FOREIGN_ORG = 'o-zz9probe8yy7';
export const FOREIGN_ORG_PATH = `${FOREIGN_ORG}/r-zz9p/ou-zz9p-probe000/`;

/** A context key holding one literal probe value. */
export function probeLiteral(value: string): ContextValue {
  return { kind: 'values', values: [text(value, PROBE_AT)] };
}

/** The resource-owner keys of a bucket in another account and organisation. */
export const FOREIGN_BUCKET_KEYS: Readonly<Record<string, ContextValue>> = Object.freeze({
  'aws:resourceaccount': probeLiteral(FOREIGN_ACCOUNT),
  's3:resourceaccount': probeLiteral(FOREIGN_ACCOUNT),
  'aws:resourceorgid': probeLiteral(FOREIGN_ORG),
  'aws:resourceorgpaths': probeLiteral(FOREIGN_ORG_PATH),
});
