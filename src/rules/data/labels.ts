/**
 * How findings name the policy and statement they are about, so messages of different rules
 * read alike: `statement "DenyOutside" of the bucket policy`.
 */
import type { PolicyRef } from '../../iac/model.js';
import type { Statement } from '../../policy/types.js';

/** A statement's Sid, else its 1-based position (`statement 2`). */
export function statementLabel(statement: Statement): string {
  return statement.sid !== undefined && statement.sid !== ''
    ? `statement "${statement.sid}"`
    : `statement ${statement.index + 1}`;
}

/** `bucket policy`, `endpoint policy`, `IAM policy "Name"`. */
export function policyLabel(policy: PolicyRef): string {
  const role =
    policy.role === 'endpoint'
      ? 'endpoint policy'
      : policy.role === 'bucket'
        ? 'bucket policy'
        : 'IAM policy';
  return policy.name !== undefined ? `${role} "${policy.name}"` : role;
}
