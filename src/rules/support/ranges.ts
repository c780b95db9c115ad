/**
 * Tight ranges for findings. A block node's range, as YAML reports it, runs to the start of the
 * line after it; an annotation on that extra line would point at the next resource. Ranges are
 * therefore rebuilt from the scalars inside, whose ranges are exact.
 */
import { spanRanges, type SourceRange } from '../../core/range.js';
import type { ConditionClause, PolicyString, Statement } from '../../policy/types.js';

function spanWithin(start: SourceRange, inner: readonly { range: SourceRange }[]): SourceRange {
  let out: SourceRange = start;
  for (const item of inner) {
    if (item.range.file === start.file) out = spanRanges(out, item.range);
  }
  return out;
}

/** From the condition key to the end of its last value. */
export function clauseRange(clause: ConditionClause): SourceRange {
  return spanWithin(clause.keyRange, clause.values);
}

/** From the statement's start to the end of the last scalar inside it. */
export function statementRange(statement: Statement): SourceRange {
  const start: SourceRange = {
    ...statement.range,
    endLine: statement.range.startLine,
    endColumn: statement.range.startColumn,
  };
  const scalars: PolicyString[] = [
    ...statement.action.items,
    ...(statement.resource?.items ?? []),
    ...(statement.principal?.entries.flatMap((e) => e.values) ?? []),
    ...statement.conditions.flatMap((c) => c.values),
  ];
  const keys = statement.conditions.map((c) => ({ range: c.keyRange }));
  return spanWithin(start, [...scalars, ...keys]);
}
