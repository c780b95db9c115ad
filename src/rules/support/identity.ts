/**
 * A statement's identity for fingerprints: stable under reformatting, reordering of lines and
 * moves within the file, so it must not depend on positions or on the statement's index.
 */
import { createHash } from 'node:crypto';
import { displayValue } from '../../core/value.js';
import type { PolicyRef } from '../../iac/model.js';
import type {
  ConditionClause,
  PatternList,
  PrincipalBlock,
  Statement,
} from '../../policy/types.js';

/**
 * `sid:<Sid>` when the statement has a Sid (authors keep it when they edit the rest), else
 * `stmt:<hash>` of the canonical statement: effect, actions (lower-cased: IAM compares them
 * case-insensitively), resources, principal and conditions, each list sorted.
 */
export function statementIdentity(statement: Statement): string {
  if (statement.sid !== undefined && statement.sid !== '') return `sid:${statement.sid}`;
  const canonical = {
    effect: statement.effect,
    action: patterns(statement.action, true),
    resource: statement.resource ? patterns(statement.resource, false) : null,
    principal: statement.principal ? principal(statement.principal) : null,
    conditions: statement.conditions
      .map((c) =>
        // A clause's values are alternatives (any one matches), so their order is not identity.
        JSON.stringify([
          c.operator.raw.toLowerCase(),
          c.keyLower,
          c.values.map(displayValue).sort(),
        ]),
      )
      .sort(),
  };
  const hash = createHash('sha256').update(JSON.stringify(canonical), 'utf8').digest('hex');
  return `stmt:${hash.slice(0, 16)}`;
}

function patterns(list: PatternList, lowerCase: boolean): { negated: boolean; items: string[] } {
  const items = list.items.map((item) => {
    const shown = displayValue(item);
    return lowerCase ? shown.toLowerCase() : shown;
  });
  return { negated: list.negated, items: items.sort() };
}

function principal(block: PrincipalBlock): unknown {
  if (block.everyone) return { negated: block.negated, everyone: true };
  return {
    negated: block.negated,
    entries: block.entries
      .map((e) => `${e.type}=${e.values.map(displayValue).sort().join(',')}`)
      .sort(),
  };
}

/** Identity parts naming the policy inside its resource (roles can hold several). */
export function policyIdentity(policy: PolicyRef): string[] {
  return policy.name !== undefined ? [`policy:${policy.name}`] : [];
}

/** A condition clause's identity: its policy, its statement, its key and its operator. */
export function clauseIdentity(
  policy: PolicyRef,
  statement: Statement,
  clause: ConditionClause,
): string[] {
  return [
    ...policyIdentity(policy),
    statementIdentity(statement),
    clause.keyLower,
    clause.operator.raw.toLowerCase(),
  ];
}
