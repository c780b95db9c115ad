/**
 * The condition clauses that compare the request's endpoint or VPC identity with IDs:
 * `aws:SourceVpce` (an endpoint ID) and `aws:SourceVpc` (a VPC ID). Shared by the rules that
 * check what those values are, so they agree on which clauses count.
 */
import type { ConditionClause, PolicyDocument, Statement } from '../../policy/types.js';

export type IdKeyKind = 'endpoint' | 'vpc';

const KEYS: Readonly<Record<string, IdKeyKind>> = {
  'aws:sourcevpce': 'endpoint',
  'aws:sourcevpc': 'vpc',
};

export interface IdConditionClause {
  readonly statement: Statement;
  readonly clause: ConditionClause;
  /** What the key holds. */
  readonly wanted: IdKeyKind;
}

/**
 * Every clause on `aws:SourceVpce` / `aws:SourceVpc` in the document, except `Null` (it tests
 * presence with true/false; its values are not IDs).
 */
export function idConditionClauses(document: PolicyDocument): IdConditionClause[] {
  const out: IdConditionClause[] = [];
  for (const statement of document.statements) {
    for (const clause of statement.conditions) {
      const wanted = KEYS[clause.keyLower];
      if (wanted === undefined || clause.operator.base === 'Null') continue;
      out.push({ statement, clause, wanted });
    }
  }
  return out;
}
