/**
 * Builds a `PolicyDocument` from a resolved `Value`, keeping a source range on everything and
 * reporting what AWS would reject as diagnostics. Parsing never throws: a broken statement is
 * diagnosed and, when it cannot be evaluated at all (no effect, no action), left out.
 *
 * Element names are case-sensitive in IAM. A wrongly cased element (`effect`) is diagnosed, but
 * still read, so that the other rules can say what the author evidently meant.
 */
import { spanRanges, type SourceRange } from '../core/range.js';
import {
  asStringValue,
  literalString,
  type MapEntry,
  type MapValue,
  type Value,
} from '../core/value.js';
import { parseCidr } from './ip.js';
import { baseOperator, parseDate, parseNumber, parseOperator } from './operators.js';
import type {
  ConditionClause,
  ConditionOperator,
  Effect,
  PatternList,
  PolicyDiagnostic,
  PolicyDocument,
  PolicyString,
  PrincipalBlock,
  PrincipalEntry,
  Statement,
} from './types.js';

export interface ParseOptions {
  /**
   * `required`: resource policies (bucket policies); `forbidden`: identity policies;
   * `optional`: VPC endpoint policies (where a missing `Resource` also means `*`).
   */
  principal: 'required' | 'forbidden' | 'optional';
}

export const POLICY_VERSIONS: readonly string[] = ['2012-10-17', '2008-10-17'];
const TOP_LEVEL_ELEMENTS = ['Version', 'Id', 'Statement'] as const;
const STATEMENT_ELEMENTS = [
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
] as const;
const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const;

/** Stands for a condition block (or operator body) whose content is unknown: evaluates to unknown. */
export const UNRESOLVED_OPERATOR = '<unresolved>';

class Diagnostics {
  readonly problems: PolicyDiagnostic[] = [];
  readonly unresolved: PolicyDiagnostic[] = [];
  add(code: string, message: string, range: SourceRange): void {
    this.problems.push({ code, message, range });
  }
}

export function parsePolicyDocument(value: Value, options: ParseOptions): PolicyDocument {
  const d = new Diagnostics();
  if (value.kind === 'unknown' || value.kind === 'conditional') {
    d.unresolved.push({
      code: 'unresolved-document',
      message: `The policy document is not known: ${value.kind === 'unknown' ? value.reason : 'conditional'}.`,
      range: value.range,
    });
    return finish(undefined, [], d, value.range);
  }
  if (value.kind !== 'map') {
    d.add('invalid-document', 'A policy document must be a JSON object.', value.range);
    return finish(undefined, [], d, value.range);
  }
  const elements = readElements(value, TOP_LEVEL_ELEMENTS, 'policy', d);
  const version = parseVersion(elements.get('Version'), d);
  const statements = parseStatements(elements.get('Statement'), value, options, d);
  return finish(version, statements, d, value.range);
}

function finish(
  version: string | undefined,
  statements: Statement[],
  d: Diagnostics,
  range: SourceRange,
): PolicyDocument {
  return {
    ...(version !== undefined ? { version } : {}),
    statements,
    diagnostics: d.problems,
    ...(d.unresolved.length > 0 ? { unresolved: d.unresolved } : {}),
    range,
  };
}

/**
 * The known elements of a map, by canonical name. Unknown elements and wrongly cased ones are
 * diagnosed; absent values (`AWS::NoValue`) count as not written.
 */
function readElements<N extends string>(
  map: MapValue,
  names: readonly N[],
  where: string,
  d: Diagnostics,
): Map<N, MapEntry> {
  const found = new Map<N, MapEntry>();
  for (const entry of map.entries) {
    if (entry.value.kind === 'absent') continue;
    const exact = names.find((n) => n === entry.key);
    const loose = exact ?? names.find((n) => n.toLowerCase() === entry.key.toLowerCase());
    if (!loose) {
      d.add(
        'unknown-element',
        `"${entry.key}" is not a ${where} element; AWS rejects the policy (known: ${names.join(', ')}).`,
        entry.keyRange,
      );
      continue;
    }
    if (!exact) {
      d.add(
        'element-case',
        `Policy element names are case-sensitive: write "${loose}", not "${entry.key}".`,
        entry.keyRange,
      );
    }
    if (found.has(loose)) {
      d.add('duplicate-element', `"${loose}" is given more than once.`, entry.keyRange);
      continue;
    }
    found.set(loose, entry);
  }
  return found;
}

function parseVersion(entry: MapEntry | undefined, d: Diagnostics): string | undefined {
  if (!entry) return undefined;
  const v = entry.value;
  if (v.kind === 'string') {
    const literal = literalString(v);
    if (literal === undefined) return undefined; // symbolic: nothing to check
    if (!POLICY_VERSIONS.includes(literal)) {
      d.add(
        'invalid-version',
        `"Version" must be "2012-10-17" (or the legacy "2008-10-17"), not "${literal}".`,
        v.range,
      );
      return undefined;
    }
    return literal;
  }
  if (v.kind === 'unknown') return undefined;
  d.add(
    'invalid-version',
    '"Version" must be the string "2012-10-17"; quote it so it is not read as a number or date.',
    v.range,
  );
  return undefined;
}

function parseStatements(
  entry: MapEntry | undefined,
  document: MapValue,
  options: ParseOptions,
  d: Diagnostics,
): Statement[] {
  if (!entry) {
    d.add('no-statements', 'The policy has no "Statement".', document.range);
    return [];
  }
  const v = entry.value;
  let items: readonly Value[];
  if (v.kind === 'list') items = v.items;
  else if (v.kind === 'map' || v.kind === 'unknown' || v.kind === 'conditional') items = [v];
  else {
    d.add('invalid-value', '"Statement" must be an object or a list of objects.', v.range);
    return [];
  }
  if (items.length === 0) {
    d.add('no-statements', 'The policy has an empty "Statement" list.', v.range);
    return [];
  }
  const statements: Statement[] = [];
  const sids = new Set<string>();
  items.forEach((item, index) => {
    if (item.kind === 'unknown' || item.kind === 'conditional') {
      d.unresolved.push({
        code: 'unresolved-statement',
        message: `Statement ${index + 1} is not known${item.kind === 'unknown' ? `: ${item.reason}` : ''}.`,
        range: item.range,
      });
      return;
    }
    if (item.kind !== 'map') {
      d.add('invalid-value', 'Each statement must be an object.', item.range);
      return;
    }
    const statement = parseStatement(item, index, options, d);
    if (statement?.sid !== undefined) {
      if (sids.has(statement.sid)) {
        d.add('duplicate-sid', `The Sid "${statement.sid}" is used twice.`, statement.range);
      }
      sids.add(statement.sid);
    }
    if (statement) statements.push(statement);
  });
  return statements;
}

function parseStatement(
  map: MapValue,
  index: number,
  options: ParseOptions,
  d: Diagnostics,
): Statement | undefined {
  const el = readElements(map, STATEMENT_ELEMENTS, 'statement', d);
  let fatal = false;

  let sid: string | undefined;
  const sidEntry = el.get('Sid');
  if (sidEntry) {
    const s = asStringValue(sidEntry.value);
    sid = s ? literalString(s) : undefined;
    if (!s && sidEntry.value.kind !== 'unknown') {
      d.add('invalid-value', '"Sid" must be a string.', sidEntry.value.range);
    }
  }

  let effect: Effect | undefined;
  const effectEntry = el.get('Effect');
  if (!effectEntry) {
    d.add('missing-effect', 'The statement has no "Effect" ("Allow" or "Deny").', map.range);
    fatal = true;
  } else {
    const literal = literalString(effectEntry.value);
    if (literal === 'Allow' || literal === 'Deny') effect = literal;
    else if (literal === undefined && isUnresolved(effectEntry.value)) {
      d.unresolved.push({
        code: 'unresolved-effect',
        message: 'The statement\'s "Effect" is not known.',
        range: effectEntry.value.range,
      });
      fatal = true;
    } else {
      const hint =
        literal !== undefined && ['allow', 'deny'].includes(literal.toLowerCase())
          ? ' (it is case-sensitive)'
          : '';
      d.add(
        'invalid-effect',
        `"Effect" must be exactly "Allow" or "Deny"${hint}.`,
        effectEntry.value.range,
      );
      fatal = true;
    }
  }

  const action = parsePatternPair(el.get('Action'), el.get('NotAction'), 'Action', d);
  if (!action) {
    d.add('missing-action', 'The statement has neither "Action" nor "NotAction".', map.range);
    fatal = true;
  } else {
    for (const item of action.items) checkActionName(item, d);
  }

  const resource = parsePatternPair(el.get('Resource'), el.get('NotResource'), 'Resource', d);
  if (!resource && options.principal !== 'optional') {
    d.add('missing-resource', 'The statement has neither "Resource" nor "NotResource".', map.range);
  }

  const principal = parsePrincipal(el.get('Principal'), el.get('NotPrincipal'), d);
  if (!principal && options.principal === 'required') {
    d.add(
      'missing-principal',
      'A resource policy statement needs a "Principal" (or "NotPrincipal").',
      map.range,
    );
  }
  if (principal && options.principal === 'forbidden') {
    const entry = el.get('Principal') ?? el.get('NotPrincipal');
    d.add(
      'principal-not-allowed',
      'An identity policy cannot name a "Principal": it applies to the identity it is attached to.',
      entry?.keyRange ?? principal.range,
    );
  }

  const conditionEntry = el.get('Condition');
  const conditions = conditionEntry ? parseCondition(conditionEntry, d) : [];

  if (fatal || !effect || !action) return undefined;
  return {
    index,
    ...(sid !== undefined ? { sid } : {}),
    effect,
    ...(principal ? { principal } : {}),
    action,
    ...(resource ? { resource } : {}),
    conditions,
    range: map.range,
  };
}

function isUnresolved(value: Value): boolean {
  return (
    value.kind === 'unknown' ||
    value.kind === 'conditional' ||
    (value.kind === 'string' && literalString(value) === undefined)
  );
}

function parsePatternPair(
  positive: MapEntry | undefined,
  negative: MapEntry | undefined,
  name: 'Action' | 'Resource',
  d: Diagnostics,
): PatternList | undefined {
  if (positive && negative) {
    d.add(
      `${name.toLowerCase()}-and-not${name.toLowerCase()}`,
      `A statement cannot have both "${name}" and "Not${name}".`,
      negative.keyRange,
    );
  }
  const entry = positive ?? negative;
  if (!entry) return undefined;
  const items = parseStringList(entry.value, entry.key, d);
  if (items.length === 0) {
    d.add('empty-value', `"${entry.key}" is empty.`, entry.value.range);
  }
  return { negated: !positive, items, range: spanRanges(entry.keyRange, entry.value.range) };
}

/** A string or a list of strings (numbers and booleans become strings, as in IAM). */
function parseStringList(value: Value, element: string, d: Diagnostics): PolicyString[] {
  const one = (v: Value): PolicyString | undefined => {
    if (v.kind === 'unknown') return v;
    if (v.kind === 'conditional') return { kind: 'unknown', reason: 'conditional', range: v.range };
    const s = asStringValue(v);
    if (!s) d.add('invalid-value', `"${element}" must hold strings.`, v.range);
    return s;
  };
  if (value.kind === 'list') {
    const out: PolicyString[] = [];
    for (const item of value.items) {
      if (item.kind === 'absent') continue;
      const s = one(item);
      if (s) out.push(s);
    }
    return out;
  }
  const s = one(value);
  return s ? [s] : [];
}

const ACTION_SHAPE = /^[a-z0-9-]+:[a-z0-9*?-]+$/i;

function checkActionName(item: PolicyString, d: Diagnostics): void {
  if (item.kind !== 'string') return;
  const literal = literalString(item);
  if (literal === undefined || literal === '*' || ACTION_SHAPE.test(literal)) return;
  d.add(
    'invalid-action',
    `"${literal}" is not an action name ("service:Action", wildcards allowed).`,
    item.range,
  );
}

function parsePrincipal(
  positive: MapEntry | undefined,
  negative: MapEntry | undefined,
  d: Diagnostics,
): PrincipalBlock | undefined {
  if (positive && negative) {
    d.add(
      'principal-and-notprincipal',
      'A statement cannot have both "Principal" and "NotPrincipal".',
      negative.keyRange,
    );
  }
  const entry = positive ?? negative;
  if (!entry) return undefined;
  const v = entry.value;
  const range = spanRanges(entry.keyRange, v.range);
  const negated = !positive;
  if (v.kind === 'map') {
    const entries: PrincipalEntry[] = [];
    let everyone = false;
    const types = readElements(v, PRINCIPAL_TYPES, 'principal', d);
    for (const [type, typeEntry] of types) {
      const values = parseStringList(typeEntry.value, `${entry.key}.${type}`, d);
      entries.push({ type, values });
      if (type === 'AWS' && values.some((s) => literalString(s) === '*')) everyone = true;
    }
    return { negated, everyone, entries, range };
  }
  if (v.kind === 'unknown' || v.kind === 'conditional') {
    const unknown: PolicyString =
      v.kind === 'unknown' ? v : { kind: 'unknown', reason: 'conditional', range: v.range };
    return { negated, everyone: false, entries: [{ type: 'AWS', values: [unknown] }], range };
  }
  const s = asStringValue(v);
  if (s && literalString(s) === '*') {
    return { negated, everyone: true, entries: [{ type: '*', values: [s] }], range };
  }
  d.add(
    'invalid-principal',
    `"${entry.key}" must be "*" or an object such as {"AWS": [...]} or {"Service": [...]}.`,
    v.range,
  );
  // Read a bare string as an AWS principal, which is what its author evidently meant.
  return s
    ? { negated, everyone: false, entries: [{ type: 'AWS', values: [s] }], range }
    : undefined;
}

function parseCondition(entry: MapEntry, d: Diagnostics): ConditionClause[] {
  const block = entry.value;
  if (block.kind === 'unknown' || block.kind === 'conditional') {
    return [unresolvedClause(entry, entry.keyRange)];
  }
  if (block.kind !== 'map') {
    d.add('invalid-value', '"Condition" must be an object of operators.', block.range);
    return [];
  }
  const clauses: ConditionClause[] = [];
  for (const opEntry of block.entries) {
    if (opEntry.value.kind === 'absent') continue;
    const parsed = parseOperator(opEntry.key);
    let operator: ConditionOperator;
    if (parsed.ok) {
      operator = parsed.operator;
    } else {
      d.add(
        'unknown-operator',
        `${capitalise(parsed.reason)}; AWS rejects the policy.`,
        opEntry.keyRange,
      );
      // Kept as a clause that evaluates to unknown: dropping it would widen the statement.
      operator = {
        raw: opEntry.key,
        base: opEntry.key,
        ifExists: false,
        qualifier: undefined,
        negated: false,
      };
    }
    const body = opEntry.value;
    if (body.kind === 'unknown' || body.kind === 'conditional') {
      clauses.push(unresolvedClause(opEntry, opEntry.keyRange, operator));
      continue;
    }
    if (body.kind !== 'map') {
      d.add('invalid-value', `"${opEntry.key}" must map condition keys to values.`, body.range);
      continue;
    }
    for (const keyEntry of body.entries) {
      if (keyEntry.value.kind === 'absent') continue;
      const values = parseConditionValues(keyEntry, d);
      if (parsed.ok) checkConditionValues(operator, values, d);
      clauses.push({
        operator,
        key: keyEntry.key,
        keyLower: keyEntry.key.toLowerCase(),
        values,
        operatorRange: opEntry.keyRange,
        keyRange: keyEntry.keyRange,
        range: spanRanges(keyEntry.keyRange, keyEntry.value.range),
      });
    }
  }
  return clauses;
}

function unresolvedClause(
  entry: MapEntry,
  operatorRange: SourceRange,
  operator?: ConditionOperator,
): ConditionClause {
  const range = spanRanges(entry.keyRange, entry.value.range);
  const reason = entry.value.kind === 'unknown' ? entry.value.reason : 'conditional';
  return {
    operator: operator ?? {
      raw: UNRESOLVED_OPERATOR,
      base: UNRESOLVED_OPERATOR,
      ifExists: false,
      qualifier: undefined,
      negated: false,
    },
    key: '',
    keyLower: '',
    values: [{ kind: 'unknown', reason, range: entry.value.range }],
    operatorRange,
    keyRange: entry.keyRange,
    range,
  };
}

function parseConditionValues(entry: MapEntry, d: Diagnostics): PolicyString[] {
  const v = entry.value;
  if (v.kind === 'null' || v.kind === 'map') {
    d.add(
      'invalid-value',
      `The value of "${entry.key}" must be a string or a list of strings.`,
      v.range,
    );
    return [];
  }
  if (v.kind === 'list') {
    const out: PolicyString[] = [];
    for (const item of v.items) {
      if (item.kind === 'absent') continue;
      if (item.kind === 'unknown') out.push(item);
      else if (item.kind === 'conditional') {
        out.push({ kind: 'unknown', reason: 'conditional', range: item.range });
      } else {
        const s = asStringValue(item);
        if (s) out.push(s);
        else d.add('invalid-value', `Values of "${entry.key}" must be strings.`, item.range);
      }
    }
    if (out.length === 0) d.add('empty-value', `"${entry.key}" has no values.`, v.range);
    return out;
  }
  return parseStringList(v, entry.key, d);
}

/** Values AWS rejects (or that can never match) for the operator's type. */
function checkConditionValues(
  operator: ConditionOperator,
  values: readonly PolicyString[],
  d: Diagnostics,
): void {
  const family = baseOperator(operator.base)?.family;
  for (const value of values) {
    if (value.kind !== 'string') continue;
    const literal = literalString(value);
    if (literal === undefined) continue;
    let problem: string | undefined;
    if (family === 'ip' && !parseCidr(literal)) problem = 'is not an IP address or CIDR block';
    else if (family === 'numeric' && parseNumber(literal) === undefined)
      problem = 'is not a number';
    else if (family === 'date' && parseDate(literal) === undefined) problem = 'is not a date';
    else if ((family === 'bool' || family === 'null') && !/^(true|false)$/i.test(literal)) {
      problem = 'is not "true" or "false"';
    }
    if (problem) {
      d.add(
        'invalid-condition-value',
        `"${literal}" ${problem}: ${operator.base} never matches it.`,
        value.range,
      );
    }
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
