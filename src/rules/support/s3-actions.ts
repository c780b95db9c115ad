/**
 * "Does this statement cover S3 at all?" — asked of the evaluator with a few representative
 * S3 actions plus the statement's own literal `s3:` actions, so `*`, `s3:*`, `s3:Get*`,
 * `NotAction` and a single specific action (`s3:GetObjectVersion`) are all recognised without
 * enumerating S3's whole action list.
 */
import { literalString } from '../../core/value.js';
import { statementMatchesAction } from '../../policy/evaluate.js';
import type { Statement, Tri } from '../../policy/types.js';

const REPRESENTATIVE_S3_ACTIONS = [
  's3:GetObject',
  's3:PutObject',
  's3:DeleteObject',
  's3:ListBucket',
  's3:GetBucketPolicy',
  's3:PutBucketPolicy',
];

/** The S3 actions worth asking about for this statement (each a literal action name). */
export function s3ActionProbes(statement: Statement): string[] {
  const own = statement.action.items
    .map((item) => literalString(item))
    .filter((a): a is string => a !== undefined && /^s3:[A-Za-z0-9]+$/i.test(a));
  return [...new Set([...REPRESENTATIVE_S3_ACTIONS, ...own])];
}

/** true if the statement covers some S3 action; `unknown` if that depends on unresolved values. */
export function coversS3Action(statement: Statement): Tri {
  let sawUnknown = false;
  for (const action of s3ActionProbes(statement)) {
    const matched = statementMatchesAction(statement, action);
    if (matched === true) return true;
    if (matched === 'unknown') sawUnknown = true;
  }
  return sawUnknown ? 'unknown' : false;
}
