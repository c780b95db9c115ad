/**
 * An endpoint's route tables as a set of identities, to compare two versions of the endpoint:
 * a literal `rtb-…` by its value, a reference (`!Ref PrivateRouteTable`,
 * `aws_route_table.private.id`) by what it references. A table present only under a condition
 * (`!If [HasAZ3, !Ref RouteTable3, !Ref AWS::NoValue]`, common in multi-AZ templates) is a
 * different entry from the same table without that condition: it is routed only in some
 * deployments. Anything else (an unknown list, a string built from parts) makes the set
 * unknown.
 */
import type { SourceRange } from '../../core/range.js';
import { literalString, soleRef, type Assumption, type Value } from '../../core/value.js';
import { describeAssumptions } from './assumptions.js';

export interface RouteTableEntry {
  /** `lit:rtb-1` or `ref:<reference id>`, plus its guards: equal keys are the same entry. */
  readonly key: string;
  /** As written, for messages, with its guards (`!Ref RouteTable3 (when HasAZ3 is true)`). */
  readonly display: string;
  readonly range: SourceRange;
}

type Guards = readonly Assumption[];

function guardKey(guards: Guards): string {
  return guards
    .map((g) => `${g.condition}=${g.value ? 'true' : 'false'}`)
    .sort()
    .join('&');
}

function entryOf(value: Value, guards: Guards): RouteTableEntry | undefined {
  const literal = literalString(value);
  const ref = literal === undefined ? soleRef(value) : undefined;
  const base =
    literal !== undefined
      ? { key: `lit:${literal}`, display: literal }
      : ref
        ? { key: `ref:${ref.id}`, display: ref.display }
        : undefined;
  if (!base) return undefined;
  const when = describeAssumptions(guards);
  return {
    key: guards.length === 0 ? base.key : `${base.key}|${guardKey(guards)}`,
    display: when === '' ? base.display : `${base.display} (${when})`,
    range: value.range,
  };
}

/** Adds the entries of `value` (a list, an item, or a conditional of either); false if unknown. */
function collect(
  value: Value,
  guards: Guards,
  asList: boolean,
  out: Map<string, RouteTableEntry>,
): boolean {
  switch (value.kind) {
    case 'absent':
    case 'null':
      return true;
    case 'conditional': {
      // The same condition twice on one path: only the branch it already took is reachable.
      const taken = guards.find((g) => g.condition === value.condition);
      if (taken)
        return collect(taken.value ? value.whenTrue : value.whenFalse, guards, asList, out);
      return (
        collect(
          value.whenTrue,
          [...guards, { condition: value.condition, value: true }],
          asList,
          out,
        ) &&
        collect(
          value.whenFalse,
          [...guards, { condition: value.condition, value: false }],
          asList,
          out,
        )
      );
    }
    case 'list':
      if (!asList) return false;
      return value.items.every((item) => collect(item, guards, false, out));
    default: {
      if (asList) return false;
      const entry = entryOf(value, guards);
      if (!entry) return false;
      if (!out.has(entry.key)) out.set(entry.key, entry);
      return true;
    }
  }
}

/** The route tables, without duplicates; `[]` when there are none; undefined when unknown. */
export function routeTablesOf(value: Value | undefined): RouteTableEntry[] | undefined {
  if (value === undefined) return [];
  const out = new Map<string, RouteTableEntry>();
  return collect(value, [], true, out) ? [...out.values()] : undefined;
}
