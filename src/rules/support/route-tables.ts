/**
 * An endpoint's route tables as a set of identities, to compare two versions of the endpoint:
 * a literal `rtb-…` by its value, a reference (`!Ref PrivateRouteTable`,
 * `aws_route_table.private.id`) by what it references. Anything else (an unknown list, a
 * conditional, a string built from parts) makes the set unknown.
 */
import type { SourceRange } from '../../core/range.js';
import { literalString, soleRef, type Value } from '../../core/value.js';

export interface RouteTableEntry {
  /** `lit:rtb-1` or `ref:<reference id>`: equal keys are the same route table. */
  readonly key: string;
  /** As written, for messages. */
  readonly display: string;
  readonly range: SourceRange;
}

function entryOf(value: Value): RouteTableEntry | undefined {
  const literal = literalString(value);
  if (literal !== undefined) return { key: `lit:${literal}`, display: literal, range: value.range };
  const ref = soleRef(value);
  if (ref) return { key: `ref:${ref.id}`, display: ref.display, range: value.range };
  return undefined;
}

/** The route tables, without duplicates; `[]` when there are none; undefined when unknown. */
export function routeTablesOf(value: Value | undefined): RouteTableEntry[] | undefined {
  if (value === undefined || value.kind === 'absent' || value.kind === 'null') return [];
  if (value.kind !== 'list') return undefined;
  const out = new Map<string, RouteTableEntry>();
  for (const item of value.items) {
    const entry = entryOf(item);
    if (!entry) return undefined;
    if (!out.has(entry.key)) out.set(entry.key, entry);
  }
  return [...out.values()];
}
