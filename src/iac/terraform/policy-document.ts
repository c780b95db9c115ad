/**
 * `data "aws_iam_policy_document"` → the policy its `json` would hold, as a `Value` whose
 * statements point at their `statement` blocks and whose elements point at their arguments, so
 * a finding lands on the line the user wrote. Follows the AWS provider's rendering: `effect`
 * defaults to Allow, `principals` of one type merge, `type = "*"` with `"*"` is `"Principal":
 * "*"`, conditions with the same test (and variable) merge, and source/override documents merge
 * by `sid` (a statement with a `sid` replaces an earlier one with the same `sid`, others append).
 */
import type { SourceRange } from '../../core/range.js';
import type { Assumption, MapEntry, MapValue, Value } from '../../core/value.js';
import { expandVariants, literalString, mapGet, text, unknown } from '../../core/value.js';
import { policyValue } from './policy-text.js';
import type { DataSourceResolver, TfAttribute, TfBlock } from './types.js';

const DEFAULT_VERSION = '2012-10-17';
/** Enough for any real chain of documents merged into each other; deeper is refused. */
const MAX_DOCUMENT_NESTING = 16;

/**
 * The resolver for `aws_iam_policy_document`. Documents built from other documents' `.json`
 * call back into it through the reader; a document reached again while being built (a cycle,
 * or nesting beyond `MAX_DOCUMENT_NESTING`) is unknown instead of recursing.
 */
export function policyDocumentResolver(): DataSourceResolver {
  const building: string[] = [];
  // Blocks are immutable: a document referenced from many others is built once.
  const built = new WeakMap<TfBlock, Value>();
  return (block, attribute) => {
    if (attribute !== 'json' && attribute !== 'minified_json') return undefined;
    const known = built.get(block);
    if (known) return known;
    if (building.includes(block.address)) {
      return unknown(`policy document ${block.address} includes itself`, block.range);
    }
    if (building.length >= MAX_DOCUMENT_NESTING) {
      return unknown('policy documents nested too deeply', block.range);
    }
    building.push(block.address);
    try {
      const value = policyDocumentValue(block);
      built.set(block, value);
      return value;
    } finally {
      building.pop();
    }
  };
}

/** The document a data block describes, merged with its source and override documents. */
export function policyDocumentValue(block: TfBlock): Value {
  const own = block.blocks.filter((b) => b.type === 'statement').map(statementValue);
  const layers: { value: Value; what: string }[] = [];
  const add = (name: string, what: string): void => {
    const attribute = block.attributes.get(name);
    if (attribute) layers.push({ value: read(attribute), what });
  };
  add('source_json', 'source_json');
  add('source_policy_documents', 'source_policy_documents');
  const sourceCount = layers.length;
  // The provider merges the legacy `override_json` last, after `override_policy_documents`.
  add('override_policy_documents', 'override_policy_documents');
  add('override_json', 'override_json');
  const version = block.attributes.get('version');
  const policyId = block.attributes.get('policy_id');

  const assemble = (documents: readonly Value[]): Value => {
    const statements: Value[] = [];
    // Where each sid sits, so merging stays linear however many statements a document has.
    const bySid = new Map<string, number>();
    const merge = (incoming: readonly Value[]): void => {
      for (const statement of incoming) {
        const sid = literalString(mapGet(statement, 'Sid')?.value);
        const at = sid ? bySid.get(sid) : undefined;
        if (at !== undefined) {
          statements[at] = statement;
        } else {
          if (sid) bySid.set(sid, statements.length);
          statements.push(statement);
        }
      }
    };
    for (let i = 0; i < documents.length; i++) {
      if (i === sourceCount) merge(own);
      const document = documents[i];
      if (!document) continue;
      const list = statementsOf(document, layers[i]?.what ?? 'document');
      if (!Array.isArray(list)) return list;
      merge(list);
    }
    if (documents.length <= sourceCount) merge(own);
    const entries: MapEntry[] = [
      entry('Version', version, () => text(DEFAULT_VERSION, block.range), block.range),
    ];
    if (policyId) entries.push(entry('Id', policyId, () => text('', block.range), block.range));
    entries.push({
      key: 'Statement',
      keyRange: block.range,
      value: { kind: 'list', items: statements, range: block.range },
    });
    return { kind: 'map', entries, range: block.range };
  };

  if (layers.length === 0) return assemble([]);
  // Merging by `sid` needs each input's statements: a conditional input (`var.x ? a : b`)
  // merges once per branch, and the results are joined back into one conditional.
  const inputs: Value = {
    kind: 'list',
    items: layers.map((l) => l.value),
    range: block.range,
  };
  const variants = expandVariants(inputs);
  if (!variants)
    return unknown('policy document merges too many conditional documents', block.range);
  return joinVariants(
    variants.map((v) => ({
      assumptions: v.assumptions,
      value: assemble(v.value.kind === 'list' ? v.value.items : []),
    })),
    block.range,
  );
}

/** The statements of a merged-in document, or the unknown value that makes the merge unknown. */
function statementsOf(document: Value, what: string): Value[] | Value {
  const items = document.kind === 'list' ? document.items : [document];
  const out: Value[] = [];
  for (const item of items) {
    const policy = policyValue(item);
    if (policy.kind === 'absent' || (policy.kind === 'string' && literalString(policy) === ''))
      continue;
    if (policy.kind === 'unknown') return unknown(`${what}: ${policy.reason}`, policy.range);
    const statement = mapGet(policy, 'Statement')?.value;
    if (policy.kind !== 'map' || !statement) {
      return unknown(`${what} is not a policy document`, policy.range);
    }
    if (statement.kind === 'list') out.push(...statement.items);
    else if (statement.kind === 'map') out.push(statement);
    else return unknown(`${what}: statements not resolved`, statement.range);
  }
  return out;
}

/** One `statement` block → `{Sid, Effect, Action, …}`, elements in the provider's order. */
function statementValue(block: TfBlock): Value {
  const entries: MapEntry[] = [];
  const attr = (name: string): TfAttribute | undefined => block.attributes.get(name);
  const sid = attr('sid');
  if (sid) {
    const value = read(sid);
    if (literalString(value) !== '') entries.push({ key: 'Sid', keyRange: sid.nameRange, value });
  }
  const effect = attr('effect');
  entries.push(entry('Effect', effect, () => text('Allow', block.range), block.range));
  for (const [element, name] of [
    ['Action', 'actions'],
    ['NotAction', 'not_actions'],
    ['Resource', 'resources'],
    ['NotResource', 'not_resources'],
  ] as const) {
    const attribute = attr(name);
    if (attribute)
      entries.push({ key: element, keyRange: attribute.nameRange, value: read(attribute) });
  }
  for (const [element, name] of [
    ['Principal', 'principals'],
    ['NotPrincipal', 'not_principals'],
  ] as const) {
    const blocks = block.blocks.filter((b) => b.type === name);
    const first = blocks[0];
    if (first)
      entries.push({ key: element, keyRange: first.range, value: principalsValue(blocks) });
  }
  const conditions = block.blocks.filter((b) => b.type === 'condition');
  const firstCondition = conditions[0];
  if (firstCondition) {
    entries.push({
      key: 'Condition',
      keyRange: firstCondition.range,
      value: conditionsValue(conditions),
    });
  }
  return withCondition({ kind: 'map', entries, range: block.range }, block);
}

/** `principals` blocks → `{"AWS": [...], "Service": [...]}`, or `"*"` for type `*`. */
function principalsValue(blocks: readonly TfBlock[]): Value {
  const range = spanBlocks(blocks);
  const byType = new Map<string, { keyRange: SourceRange; items: Value[] }>();
  for (const block of blocks) {
    const typeAttribute = block.attributes.get('type');
    const identifiersAttribute = block.attributes.get('identifiers');
    const type = typeAttribute ? literalString(read(typeAttribute)) : undefined;
    if (type === undefined) return unknown('principal type not resolved', block.range);
    const identifiers = identifiersAttribute
      ? read(identifiersAttribute)
      : unknown('principal without identifiers', block.range);
    if (type === '*') {
      // The provider renders `type = "*"` (identifiers `["*"]`) as `"Principal": "*"`.
      const only =
        identifiers.kind === 'list' && identifiers.items.length === 1
          ? identifiers.items[0]
          : identifiers;
      if (only && literalString(only) === '*') return text('*', block.range);
    }
    const group = byType.get(type) ?? { keyRange: typeAttribute?.range ?? block.range, items: [] };
    if (identifiers.kind === 'list') group.items.push(...identifiers.items);
    else group.items.push(identifiers);
    byType.set(type, group);
  }
  return {
    kind: 'map',
    entries: [...byType].map(([key, group]) => ({
      key,
      keyRange: group.keyRange,
      value: listOrSingle(group.items, group.keyRange),
    })),
    range,
  };
}

/**
 * `condition` blocks → `{test: {variable: values}}`. Blocks with the same test share one
 * operator; with the same test and variable their values are joined, as the provider does.
 */
function conditionsValue(blocks: readonly TfBlock[]): Value {
  const range = spanBlocks(blocks);
  const byTest = new Map<
    string,
    { keyRange: SourceRange; variables: Map<string, { keyRange: SourceRange; items: Value[] }> }
  >();
  for (const block of blocks) {
    const test = block.attributes.get('test');
    const variable = block.attributes.get('variable');
    const values = block.attributes.get('values');
    const testName = test ? literalString(read(test)) : undefined;
    const variableName = variable ? literalString(read(variable)) : undefined;
    if (testName === undefined || variableName === undefined) {
      return unknown('condition test or variable not resolved', block.range);
    }
    const operator = byTest.get(testName) ?? {
      keyRange: test?.range ?? block.range,
      variables: new Map(),
    };
    byTest.set(testName, operator);
    const key = operator.variables.get(variableName) ?? {
      keyRange: variable?.range ?? block.range,
      items: [],
    };
    operator.variables.set(variableName, key);
    const value = values ? read(values) : unknown('condition without values', block.range);
    if (value.kind === 'list') key.items.push(...value.items);
    else key.items.push(value);
  }
  return {
    kind: 'map',
    entries: [...byTest].map(([test, operator]) => ({
      key: test,
      keyRange: operator.keyRange,
      value: {
        kind: 'map',
        entries: [...operator.variables].map(([variable, key]) => ({
          key: variable,
          keyRange: key.keyRange,
          value: listOrSingle(key.items, key.keyRange),
        })),
        range: operator.keyRange,
      } satisfies MapValue,
    })),
    range,
  };
}

function listOrSingle(items: readonly Value[], range: SourceRange): Value {
  const [only] = items;
  if (items.length === 1 && only && only.kind !== 'list')
    return { kind: 'list', items, range: only.range };
  return { kind: 'list', items, range };
}

/**
 * A statement that may not exist: generated under a condition, or by a `dynamic` block whose
 * collection is not known (it may be empty, or hold several items). Either way both "present"
 * and "absent" are checked, the latter so a Deny that might not be there never silences a
 * finding.
 */
function withCondition(value: Value, block: TfBlock): Value {
  const condition =
    block.condition ??
    (block.instanceKey === 'unknown'
      ? `dynamic "${block.type}" at ${block.range.file}:${block.range.startLine} has items`
      : undefined);
  if (condition === undefined) return value;
  return {
    kind: 'conditional',
    condition,
    whenTrue: value,
    whenFalse: { kind: 'absent', range: block.range },
    range: block.range,
  };
}

function entry(
  key: string,
  attribute: TfAttribute | undefined,
  fallback: () => Value,
  range: SourceRange,
): MapEntry {
  return attribute
    ? { key, keyRange: attribute.nameRange, value: read(attribute) }
    : { key, keyRange: range, value: fallback() };
}

/** Reads an attribute; the reader never throws, but a bug there must not lose the module. */
export function read(attribute: TfAttribute): Value {
  try {
    return attribute.value();
  } catch (error) {
    return unknown(
      `not evaluated (${error instanceof Error ? error.message : String(error)})`,
      attribute.range,
    );
  }
}

function spanBlocks(blocks: readonly TfBlock[]): SourceRange {
  const first = blocks[0];
  const last = blocks[blocks.length - 1];
  if (!first || !last || first.file !== last.file)
    return first?.range ?? last?.range ?? unknownRange;
  return {
    file: first.range.file,
    startLine: first.range.startLine,
    startColumn: first.range.startColumn,
    endLine: last.range.endLine,
    endColumn: last.range.endColumn,
  };
}

const unknownRange: SourceRange = {
  file: '',
  startLine: 1,
  startColumn: 1,
  endLine: 1,
  endColumn: 1,
};

/**
 * Rebuilds one conditional value from the results computed per branch combination: nested
 * on the first condition, then the next, as `expandVariants` enumerated them.
 */
export function joinVariants(
  variants: readonly { assumptions: readonly Assumption[]; value: Value }[],
  range: SourceRange,
): Value {
  const [first] = variants;
  if (!first) return unknown('no variant', range);
  const [head] = first.assumptions;
  if (variants.length === 1 || !head) return first.value;
  const strip = (value: boolean) =>
    variants
      .filter((v) => v.assumptions[0]?.value === value)
      .map((v) => ({ assumptions: v.assumptions.slice(1), value: v.value }));
  return {
    kind: 'conditional',
    condition: head.condition,
    whenTrue: joinVariants(strip(true), range),
    whenFalse: joinVariants(strip(false), range),
    range,
  };
}
