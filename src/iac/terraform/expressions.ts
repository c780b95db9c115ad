/**
 * The HCL expression evaluator: a syntax tree node → `Value`, with the node's exact range.
 * Everything the configuration fixes is computed (literals, variables with defaults or tfvars,
 * locals, functions over known values, `count`/`for_each` keys); resource and data source
 * attributes stay symbolic; anything else is `unknown` with a reason. Nothing is guessed.
 *
 * Every evaluation draws on a per-module work budget and a depth limit, so a hostile module
 * (deep nesting, exponential locals, huge `range`-like for expressions) ends fast as unknown.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceRange } from '../../core/range.js';
import type { ConditionalValue, MapEntry, StringValue, Value } from '../../core/value.js';
import { literalString, unknown } from '../../core/value.js';
import type { SourceText } from '../source-text.js';
import { callFunction } from './functions.js';
import { children } from './parse.js';
import type { Piece, Run } from './text-origin.js';
import { buildString, piecesOf } from './text-origin.js';

export const MAX_EVAL_DEPTH = 64;
/** Nodes evaluated per module, all attributes together. */
export const MAX_WORK = 300_000;
/** Characters in one computed string. */
export const MAX_STRING = 1024 * 1024;
/** Items produced by one for expression, list or map. */
export const MAX_ITEMS = 10_000;
/** Locals and attributes evaluated inside each other (`local.a` → `local.b` → …). */
export const MAX_NESTING = 100;

/**
 * Evaluates a named thing (a local, an attribute, a variable default) inside the current
 * evaluation. Each restarts the expression depth count, so the chain itself is bounded here.
 */
export function nested(module: ModuleEnv, range: SourceRange, run: () => Value): Value {
  if (module.budget.nesting >= MAX_NESTING) return unknown('references nested too deeply', range);
  module.budget.nesting++;
  try {
    return run();
  } finally {
    module.budget.nesting--;
  }
}

/** What an expression can refer to, provided by the module reader. */
export interface ModuleEnv {
  readonly dir: string;
  /** Nodes evaluated, and how many locals/attributes are being evaluated inside each other. */
  readonly budget: { work: number; nesting: number };
  variable(name: string, range: SourceRange): Value;
  local(name: string, range: SourceRange): Value;
  /** `type.name[key].attr`: symbolic, or a literal set in the configuration. */
  resource(
    type: string,
    name: string,
    key: string | number | undefined,
    attr: string,
    range: SourceRange,
  ): Value;
  data(
    type: string,
    name: string,
    key: string | number | undefined,
    attr: string,
    range: SourceRange,
  ): Value;
  /** Instance keys of a resource or data source (`undefined` for a single instance), or undefined if not known. */
  instanceKeys(
    type: string,
    name: string,
    blockType?: 'resource' | 'data',
  ): readonly (string | number | undefined)[] | undefined;
  /** A file's text by root-relative path: null when missing or refused, undefined when not read yet. */
  fileText(path: string): string | null | undefined;
}

export interface FileCtx {
  readonly src: SourceText;
  /** Lines to add to node positions (templates parsed inside a wrapper). */
  readonly lineDelta: number;
}

export interface Env {
  readonly module: ModuleEnv;
  readonly file: FileCtx;
  /** `count`, `each`, for-expression variables, dynamic iterators, templatefile variables. */
  readonly bindings: ReadonlyMap<string, Value>;
  readonly depth: number;
}

/** Unknowns that stand for what Terraform reports as an error: `try` and `can` skip them. */
const errors = new WeakSet<Value>();

export function errorValue(reason: string, range: SourceRange): Value {
  const value = unknown(reason, range);
  errors.add(value);
  return value;
}

export function isError(value: Value): boolean {
  return errors.has(value);
}

export function nodeRange(node: Node, file: FileCtx): SourceRange {
  return {
    file: file.src.file,
    startLine: node.startPosition.row + 1 + file.lineDelta,
    startColumn: node.startPosition.column + 1,
    endLine: node.endPosition.row + 1 + file.lineDelta,
    endColumn: node.endPosition.column + 1,
  };
}

export function withBindings(env: Env, extra: Readonly<Record<string, Value>>): Env {
  const bindings = new Map(env.bindings);
  for (const [k, v] of Object.entries(extra)) bindings.set(k, v);
  return { ...env, bindings };
}

export function evaluate(node: Node, env: Env): Value {
  const range = nodeRange(node, env.file);
  if (env.depth > MAX_EVAL_DEPTH) return unknown('expression nested too deeply', range);
  if (++env.module.budget.work > MAX_WORK) return unknown('evaluation budget exceeded', range);
  const inner: Env = { ...env, depth: env.depth + 1 };
  switch (node.type) {
    case 'expression':
      return evalExpression(node, inner, range);
    case 'literal_value':
    case 'collection_value':
    case 'template_expr':
    case 'operation':
    case 'for_expr': {
      const [only] = children(node);
      return only ? evaluate(only, inner) : unknown('empty expression', range);
    }
    case 'numeric_lit': {
      const n = Number(node.text);
      return Number.isFinite(n)
        ? { kind: 'number', value: n, range }
        : unknown('number out of range', range);
    }
    case 'bool_lit':
      return { kind: 'boolean', value: node.text === 'true', range };
    case 'null_lit':
      // Terraform's null leaves an argument unset, as CloudFormation's AWS::NoValue.
      return { kind: 'absent', range };
    case 'string_lit':
    case 'quoted_template':
    case 'heredoc_template':
      return evalTemplate(node, inner, range);
    case 'tuple':
      return evalTuple(node, inner, range);
    case 'object':
      return evalObject(node, inner, range);
    case 'variable_expr':
      return evalTraversal(node, [], inner, range);
    case 'function_call':
      return evalCall(node, inner, range);
    case 'conditional':
      return evalConditional(node, inner, range);
    case 'unary_operation':
      return evalUnary(node, inner, range);
    case 'binary_operation':
      return evalBinary(node, inner, range);
    case 'for_tuple_expr':
    case 'for_object_expr':
      return evalFor(node, inner, range);
    default:
      return unknown(`${node.type.replace(/_/g, ' ')} not evaluated`, range);
  }
}

// ---------------------------------------------------------------------------------------------
// Traversals: `a.b[0].c`, `(x)[1]`, `f(x).y`, splats

function evalExpression(node: Node, env: Env, range: SourceRange): Value {
  return evalTerm(children(node), env, range);
}

/**
 * A term as tree-sitter lays it out: `(expr)`, a name, or any other expression, followed by
 * postfix steps (`.a`, `[0]`, splats). Operands of operators come inlined the same way.
 */
function evalTerm(kids: readonly Node[], env: Env, range: SourceRange): Value {
  const first = kids[0];
  if (!first) return unknown('empty expression', range);
  if (first.type === '(') {
    const inner = kids[1];
    const base = inner ? evaluate(inner, env) : unknown('empty expression', range);
    return applyPostfix(base, kids.slice(3), env, range);
  }
  if (first.type === 'variable_expr') return evalTraversal(first, kids.slice(1), env, range);
  return applyPostfix(evaluate(first, env), kids.slice(1), env, range);
}

/** Splits an operation's children at its operator: the unnamed token that is not a parenthesis. */
function splitOperation(node: Node): {
  left: readonly Node[];
  op: Node | undefined;
  right: readonly Node[];
} {
  const kids = children(node);
  const at = kids.findIndex((k) => !k.isNamed && k.type !== '(' && k.type !== ')');
  if (at < 0) return { left: kids, op: undefined, right: [] };
  return { left: kids.slice(0, at), op: kids[at], right: kids.slice(at + 1) };
}

function termRange(nodes: readonly Node[], file: FileCtx, fallback: SourceRange): SourceRange {
  const first = nodes[0];
  const last = nodes[nodes.length - 1];
  return first && last ? spanNodes(first, last, file) : fallback;
}

/** A static step of a traversal: `.name` or `[literal]`. */
type Step =
  { readonly name: string } | { readonly key: string | number } | { readonly dynamic: true };

function stepOf(node: Node, env: Env): Step | undefined {
  if (node.type === 'get_attr') {
    const id = children(node).find((c) => c.type === 'identifier');
    return id ? { name: id.text } : undefined;
  }
  if (node.type === 'index') {
    const inner = children(node)[0];
    if (!inner) return undefined;
    if (inner.type === 'legacy_index') return { key: Number(inner.text.replace(/^\./, '')) };
    const expr = children(inner).find((c) => c.type === 'expression');
    if (!expr) return undefined;
    const key = evaluate(expr, env);
    if (key.kind === 'number') return { key: key.value };
    const s = literalString(key);
    return s === undefined ? { dynamic: true } : { key: s };
  }
  return undefined;
}

const REF_NAMESPACES = new Set(['var', 'local', 'data', 'module', 'path', 'terraform', 'self']);

function evalTraversal(root: Node, postfix: Node[], env: Env, range: SourceRange): Value {
  const name = children(root)[0]?.text ?? root.text;
  const rootRange = nodeRange(root, env.file);
  const bound = env.bindings.get(name);
  if (bound !== undefined) return applyPostfix(rebase(bound, rootRange), postfix, env, range);
  const steps: Step[] = [];
  for (const p of postfix) {
    const step = stepOf(p, env);
    if (!step) break;
    steps.push(step);
  }
  const nameAt = (i: number): string | undefined => {
    const s = steps[i];
    return s && 'name' in s ? s.name : undefined;
  };
  const keyAt = (i: number): string | number | undefined => {
    const s = steps[i];
    return s && 'key' in s ? s.key : undefined;
  };
  const isDynamicAt = (i: number): boolean => {
    const s = steps[i];
    return s !== undefined && 'dynamic' in s;
  };
  const spanTo = (count: number): SourceRange => {
    const last = postfix[count - 1];
    return last ? spanNodes(root, last, env.file) : rootRange;
  };
  const rest = (count: number, value: Value): Value =>
    applyPostfix(value, postfix.slice(count), env, range);

  switch (name) {
    case 'var': {
      const v = nameAt(0);
      if (v === undefined) return unknown('var without a name', range);
      return rest(1, env.module.variable(v, spanTo(1)));
    }
    case 'local': {
      const v = nameAt(0);
      if (v === undefined) return unknown('local without a name', range);
      return rest(1, env.module.local(v, spanTo(1)));
    }
    case 'path': {
      const v = nameAt(0);
      const r = spanTo(1);
      if (v === 'module' || v === 'root')
        return rest(1, {
          kind: 'string',
          parts: [{ kind: 'text', text: env.module.dir || '.' }],
          range: r,
        });
      return unknown(`path.${v ?? ''} not evaluated`, r);
    }
    case 'module':
      return unknown('module output', spanTo(Math.min(2, steps.length)));
    case 'terraform':
      return unknown('terraform.workspace not evaluated', spanTo(Math.min(1, steps.length)));
    case 'self':
      return unknown('self reference', rootRange);
    case 'data': {
      const type = nameAt(0);
      const dsName = nameAt(1);
      if (type === undefined || dsName === undefined)
        return unknown('incomplete data reference', range);
      let i = 2;
      let key: string | number | undefined;
      if (keyAt(i) !== undefined) key = keyAt(i++);
      else if (isDynamicAt(i)) {
        i++;
        key = undefined;
      }
      const attr = nameAt(i);
      const dataSplat = postfix[2];
      // `data.x.y[*].json`, as modules write for a data source with `count = enabled ? 1 : 0`.
      if (i === 2 && dataSplat?.type === 'splat')
        return resourceSplat(type, dsName, dataSplat, env, range, 'data');
      if (attr === undefined) return unknown(`data.${type}.${dsName} used as a whole`, spanTo(i));
      return rest(i + 1, env.module.data(type, dsName, key, attr, spanTo(i + 1)));
    }
    default:
      break;
  }
  if (REF_NAMESPACES.has(name)) return unknown(`${name} not evaluated`, rootRange);
  // `count.index` / `each.key` outside an instance: Terraform rejects them.
  if (name === 'count' || name === 'each')
    return errorValue(`${name} used outside count/for_each`, rootRange);
  const resName = nameAt(0);
  if (resName === undefined || !name.includes('_'))
    return errorValue(`unknown name ${name}`, rootRange);
  let i = 1;
  let key: string | number | undefined;
  if (keyAt(i) !== undefined) key = keyAt(i++);
  else if (isDynamicAt(i)) i++;
  const attr = nameAt(i);
  const splat = postfix[1];
  if (i === 1 && splat?.type === 'splat') return resourceSplat(name, resName, splat, env, range);
  if (attr === undefined) {
    return unknown(`${name}.${resName} used as a whole`, spanTo(i));
  }
  return rest(i + 1, env.module.resource(name, resName, key, attr, spanTo(i + 1)));
}

/**
 * A splat's steps: those applied to each element, and those applied to the resulting list.
 * The legacy `.*` splat takes attribute names only: `a.*.id[0]` is `(a.*.id)[0]`.
 */
function splatSteps(
  splat: Node,
  env: Env,
): { each: (Step | undefined)[]; after: (Step | undefined)[] } {
  const inner = children(splat)[0];
  const steps = inner
    ? children(inner).filter((c) => c.type === 'get_attr' || c.type === 'index')
    : [];
  if (inner?.type !== 'attr_splat') return { each: steps.map((c) => stepOf(c, env)), after: [] };
  const cut = steps.findIndex((c) => c.type !== 'get_attr');
  const each = cut < 0 ? steps : steps.slice(0, cut);
  const after = cut < 0 ? [] : steps.slice(cut);
  return { each: each.map((c) => stepOf(c, env)), after: after.map((c) => stepOf(c, env)) };
}

function applySteps(value: Value, steps: readonly (Step | undefined)[], range: SourceRange): Value {
  let v = value;
  for (const s of steps) v = s ? access(v, s, range) : unknown('splat not evaluated', range);
  return v;
}

/** `aws_route_table.private[*].id`: one symbolic reference per known instance. */
function resourceSplat(
  type: string,
  name: string,
  splat: Node,
  env: Env,
  range: SourceRange,
  blockType: 'resource' | 'data' = 'resource',
): Value {
  const shown = blockType === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
  const { each, after } = splatSteps(splat, env);
  const first = each[0];
  if (!first || !('name' in first) || each.length !== 1)
    return unknown(`splat over ${shown} not evaluated`, range);
  const keys = env.module.instanceKeys(type, name, blockType);
  if (!keys) return unknown(`instances of ${shown} not known`, range);
  const read = blockType === 'data' ? env.module.data : env.module.resource;
  const list: Value = {
    kind: 'list',
    items: keys.map((key) => read.call(env.module, type, name, key, first.name, range)),
    range,
  };
  return applySteps(list, after, range);
}

function spanNodes(a: Node, b: Node, file: FileCtx): SourceRange {
  const start = nodeRange(a, file);
  const end = nodeRange(b, file);
  return { ...start, endLine: end.endLine, endColumn: end.endColumn };
}

/** A bound value read through a name: keep its own ranges (where it was written). */
function rebase(value: Value, _at: SourceRange): Value {
  return value;
}

function applyPostfix(base: Value, postfix: readonly Node[], env: Env, range: SourceRange): Value {
  let value = base;
  for (let i = 0; i < postfix.length; i++) {
    const node = postfix[i];
    if (!node) break;
    if (node.type === 'splat') return evalSplat(value, node, env, range);
    if (value.kind === 'unknown') return value;
    const step = stepOf(node, env);
    if (!step) return unknown(`${node.type} not evaluated`, range);
    value = access(value, step, range);
  }
  return value;
}

function access(value: Value, step: Step, range: SourceRange): Value {
  if ('dynamic' in step) return unknown('index not known', range);
  if (value.kind === 'unknown') return value;
  if (value.kind === 'string' && literalString(value) === undefined)
    return unknown('attribute of a reference not known', range);
  if (value.kind === 'conditional')
    return {
      ...value,
      whenTrue: access(value.whenTrue, step, range),
      whenFalse: access(value.whenFalse, step, range),
    };
  const key = 'name' in step ? step.name : step.key;
  if (value.kind === 'map') {
    const entry = value.entries.find((e) => e.key === String(key));
    return entry ? entry.value : errorValue(`no key ${String(key)}`, range);
  }
  if (value.kind === 'list') {
    const index = typeof key === 'number' ? key : Number(key);
    if (!Number.isInteger(index)) return errorValue(`list index ${String(key)}`, range);
    const item = value.items[index];
    return item ?? errorValue(`index ${index} out of range`, range);
  }
  return errorValue(`cannot index a ${value.kind}`, range);
}

function evalSplat(base: Value, node: Node, env: Env, range: SourceRange): Value {
  const { each, after } = splatSteps(node, env);
  if (base.kind === 'unknown') return base;
  if (base.kind === 'absent' || base.kind === 'null')
    return applySteps({ kind: 'list', items: [], range }, after, range);
  if (base.kind === 'string' && literalString(base) === undefined)
    return unknown('splat of a reference not evaluated', range);
  const items = base.kind === 'list' ? base.items : [base];
  const list: Value = {
    kind: 'list',
    items: items.map((item) => applySteps(item, each, range)),
    range,
  };
  return applySteps(list, after, range);
}

// ---------------------------------------------------------------------------------------------
// Collections

function evalTuple(node: Node, env: Env, range: SourceRange): Value {
  const items: Value[] = [];
  for (const c of children(node)) {
    if (c.type !== 'expression') continue;
    if (items.length >= MAX_ITEMS) return unknown('list too large', range);
    items.push(evaluate(c, env));
  }
  return { kind: 'list', items, range };
}

function evalObject(node: Node, env: Env, range: SourceRange): Value {
  const entries: MapEntry[] = [];
  for (const elem of children(node)) {
    if (elem.type !== 'object_elem') continue;
    const [keyNode, , valueNode] = children(elem);
    if (!keyNode || !valueNode) continue;
    const keyRange = nodeRange(keyNode, env.file);
    const key = objectKey(keyNode, env);
    if (key === undefined) return unknown('object key not known', range);
    if (entries.length >= MAX_ITEMS) return unknown('object too large', range);
    const value = evaluate(valueNode, env);
    const at = entries.findIndex((e) => e.key === key);
    const entry = { key, keyRange, value };
    if (at >= 0) entries[at] = entry;
    else entries.push(entry);
  }
  return { kind: 'map', entries, range };
}

/** `{ key = … }` takes a bare name literally; `(expr) = …` and `"${x}" = …` are evaluated. */
function objectKey(keyNode: Node, env: Env): string | undefined {
  const kids = children(keyNode);
  if (kids.length === 1 && kids[0]?.type === 'variable_expr') return kids[0].text;
  const v = evaluate(keyNode, env);
  if (v.kind === 'number' || v.kind === 'boolean') return String(v.value);
  return literalString(v);
}

// ---------------------------------------------------------------------------------------------
// Templates: quoted strings and heredocs, with interpolation and directives

type TemplateItem = { readonly node: Node } | { readonly start: number; readonly end: number };

function evalTemplate(node: Node, env: Env, range: SourceRange): Value {
  const kids = children(node);
  if (node.type === 'string_lit' || node.type === 'quoted_template') {
    const open = kids[0];
    const close = kids[kids.length - 1];
    if (!open || !close || kids.length < 2) return unknown('unterminated string', range);
    const items = templateItems(kids.slice(1, -1), open.endIndex, close.startIndex);
    return renderTemplate(items, env, range, { quoted: true, strip: 0 });
  }
  // Heredoc: the body is the whole lines between the opening and the closing marker.
  const start = kids[0];
  const opener = kids[1];
  const closer = kids[kids.length - 1];
  if (!start || !opener || !closer || closer === opener)
    return unknown('unterminated heredoc', range);
  const text = env.file.src.text;
  const bodyStart = text.indexOf('\n', opener.endIndex) + 1;
  const closeLineStart = text.lastIndexOf('\n', closer.startIndex - 1) + 1;
  if (bodyStart <= 0 || closeLineStart < bodyStart) return text2('', range, env);
  const inner = kids.slice(2, -1).filter((c) => c.type !== 'template_literal');
  const items = templateItems(inner, bodyStart, closeLineStart);
  const strip = start.text === '<<-' ? minIndent(text.slice(bodyStart, closeLineStart)) : 0;
  return renderTemplate(items, env, range, { quoted: false, strip });
}

function text2(s: string, range: SourceRange, _env: Env): StringValue {
  return { kind: 'string', parts: s === '' ? [] : [{ kind: 'text', text: s }], range };
}

/** Interpolations and directives, with the raw source spans between them. */
function templateItems(kids: readonly Node[], start: number, end: number): TemplateItem[] {
  const items: TemplateItem[] = [];
  let at = start;
  for (const kid of kids) {
    if (kid.type === 'template_literal' || kid.type === 'escape_sequence') continue;
    if (kid.startIndex > at) items.push({ start: at, end: kid.startIndex });
    items.push({ node: kid });
    at = kid.endIndex;
  }
  if (end > at) items.push({ start: at, end });
  return items;
}

/** Terraform strips the smallest indentation of all non-blank lines of a `<<-` heredoc. */
function minIndent(body: string): number {
  let min = Infinity;
  for (const line of body.split('\n')) {
    if (line.trim() === '') continue;
    const indent = line.length - line.trimStart().length;
    min = Math.min(min, indent);
  }
  return Number.isFinite(min) ? min : 0;
}

interface TemplateMode {
  readonly quoted: boolean;
  readonly strip: number;
  /** Interpolations (by node id) already decided to one branch of their conditional. */
  readonly fixed?: ReadonlyMap<number, Value>;
  /** Inside `%{ for }`/`%{ if }` an interpolation's value varies: conditionals are not split there. */
  readonly inDirective?: boolean;
}

/** Conditional interpolations split into branches per string, at most (2^n strings). */
const MAX_TEMPLATE_SPLITS = 4;

/** Results of `renderInto` that ask `renderTemplate` to split on a conditional interpolation. */
const splits = new WeakMap<Value, { readonly id: number; readonly value: ConditionalValue }>();

function renderTemplate(
  items: readonly TemplateItem[],
  env: Env,
  range: SourceRange,
  mode: TemplateMode,
): Value {
  const pieces: Piece[] = [];
  const result = renderInto(items, env, range, mode, pieces);
  const split = result && splits.get(result);
  if (split) {
    // `"arn:${var.gov ? "aws-us-gov" : "aws"}:s3:::b"`: one string per branch, as a conditional.
    const fixed = mode.fixed ?? new Map<number, Value>();
    if (fixed.size >= MAX_TEMPLATE_SPLITS)
      return unknown(`string depends on ${split.value.condition}`, range);
    const branch = (v: Value): Value =>
      renderTemplate(items, env, range, { ...mode, fixed: new Map(fixed).set(split.id, v) });
    return {
      kind: 'conditional',
      condition: split.value.condition,
      whenTrue: branch(split.value.whenTrue),
      whenFalse: branch(split.value.whenFalse),
      range,
    };
  }
  if (result) return result;
  let size = 0;
  for (const p of pieces) if (p.kind === 'text') size += p.text.length;
  if (size > MAX_STRING) return unknown('string too large', range);
  return buildString(pieces, range);
}

/** Appends the template's pieces; returns a value instead when the string is not computable. */
function renderInto(
  items: readonly TemplateItem[],
  env: Env,
  range: SourceRange,
  mode: TemplateMode,
  pieces: Piece[],
): Value | undefined {
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!item) continue;
    if (!('node' in item)) {
      pieces.push(...literalPieces(item.start, item.end, env, mode));
      continue;
    }
    const node = item.node;
    if (node.type === 'template_interpolation') {
      const expr = children(node).find((c) => c.type === 'expression');
      if (!expr) continue;
      const v = mode.fixed?.get(node.id) ?? evaluate(expr, env);
      if (v.kind === 'conditional' && !mode.inDirective) {
        const marker = unknown(`string depends on ${v.condition}`, range);
        splits.set(marker, { id: node.id, value: v });
        return marker;
      }
      const problem = interpolate(v, pieces, range);
      if (problem) return problem;
      continue;
    }
    if (node.type === 'template_directive') {
      const directive = children(node)[0];
      if (!directive) continue;
      const problem = renderDirective(
        directive,
        env,
        range,
        { ...mode, inDirective: true },
        pieces,
      );
      if (problem) return problem;
      continue;
    }
    return unknown(`${node.type.replace(/_/g, ' ')} in a template`, range);
  }
  return undefined;
}

/** A value inside `${…}`: strings join the text, structures and unknowns make it unknown. */
function interpolate(v: Value, pieces: Piece[], range: SourceRange): Value | undefined {
  switch (v.kind) {
    case 'string':
      pieces.push(...piecesOf(v));
      return undefined;
    case 'number':
    case 'boolean':
      pieces.push({
        kind: 'text',
        text: String(v.value),
        origin: { runs: [{ valueStart: 0, length: String(v.value).length, at: v.range }] },
      });
      return undefined;
    case 'unknown':
      return unknown(v.reason, range);
    case 'conditional':
      return unknown(`string depends on ${v.condition}`, range);
    case 'list':
    case 'map':
      return unknown('structured value in a string template', range);
    default:
      return errorValue('null in a string template', range);
  }
}

function renderDirective(
  directive: Node,
  env: Env,
  range: SourceRange,
  mode: TemplateMode,
  pieces: Piece[],
): Value | undefined {
  const kids = children(directive);
  if (directive.type === 'template_if') {
    const intro = kids.find((k) => k.type === 'template_if_intro');
    const elseNode = kids.find((k) => k.type === 'template_else_intro');
    const endNode = kids.find((k) => k.type === 'template_if_end');
    const condExpr = intro && children(intro).find((c) => c.type === 'expression');
    if (!intro || !condExpr || !endNode) return unknown('template if not evaluated', range);
    const cond = evaluate(condExpr, env);
    if (cond.kind !== 'boolean') return unknown(`template if on ${condExpr.text}`, range);
    const from = cond.value ? intro.endIndex : (elseNode?.endIndex ?? endNode.startIndex);
    const to = cond.value ? (elseNode?.startIndex ?? endNode.startIndex) : endNode.startIndex;
    const inner = kids.filter(
      (k) =>
        k.startIndex >= from && k.endIndex <= to && k !== intro && k !== elseNode && k !== endNode,
    );
    return renderInto(templateItems(inner, from, to), env, range, mode, pieces);
  }
  if (directive.type === 'template_for') {
    const intro = kids.find((k) => k.type === 'template_for_start');
    const endNode = kids.find((k) => k.type === 'template_for_end');
    if (!intro || !endNode) return unknown('template for not evaluated', range);
    const introKids = children(intro);
    const names = introKids.filter((c) => c.type === 'identifier').map((c) => c.text);
    const collExpr = introKids.find((c) => c.type === 'expression');
    if (!collExpr || names.length === 0) return unknown('template for not evaluated', range);
    const coll = evaluate(collExpr, env);
    const pairs = iterate(coll);
    if (!pairs) return unknown(`template for over ${collExpr.text}`, range);
    const inner = kids.filter((k) => k !== intro && k !== endNode);
    const items = templateItems(inner, intro.endIndex, endNode.startIndex);
    for (const [k, v] of pairs) {
      const bound =
        names.length === 2
          ? withBindings(env, { [names[0] ?? '']: k, [names[1] ?? '']: v })
          : withBindings(env, { [names[0] ?? '']: v });
      const problem = renderInto(items, bound, range, mode, pieces);
      if (problem) return problem;
    }
    return undefined;
  }
  return unknown(`${directive.type.replace(/_/g, ' ')} not evaluated`, range);
}

/** Raw template text → pieces: escapes decoded, `<<-` indentation stripped, origins kept. */
function literalPieces(start: number, end: number, env: Env, mode: TemplateMode): Piece[] {
  const src = env.file.src;
  const raw = src.text;
  let out = '';
  const runs: Run[] = [];
  const lineDelta = env.file.lineDelta;
  const push = (s: string, srcAt: number, verbatim: boolean): void => {
    const last = runs[runs.length - 1];
    if (
      verbatim &&
      last &&
      'srcStart' in last &&
      last.srcStart + last.length === srcAt &&
      last.valueStart + last.length === out.length &&
      s.length === 1
    ) {
      runs[runs.length - 1] = { ...last, length: last.length + 1 };
    } else {
      runs.push({
        valueStart: out.length,
        srcStart: srcAt,
        length: verbatim ? s.length : 1,
        src,
        lineDelta,
      });
    }
    out += s;
  };
  let i = start;
  let lineStart = start === 0 || raw[start - 1] === '\n';
  while (i < end) {
    if (lineStart && mode.strip > 0) {
      let n = 0;
      while (n < mode.strip && i < end && (raw[i] === ' ' || raw[i] === '\t')) {
        i++;
        n++;
      }
      lineStart = false;
      if (i >= end) break;
    }
    const ch = raw[i] ?? '';
    if ((ch === '$' || ch === '%') && raw[i + 1] === ch && raw[i + 2] === '{') {
      push(ch, i, false);
      push('{', i + 2, false);
      i += 3;
      continue;
    }
    if (mode.quoted && ch === '\\') {
      const [decoded, used] = unescape(raw, i);
      push(decoded, i, false);
      i += used;
      continue;
    }
    push(ch, i, true);
    if (ch === '\n') lineStart = true;
    i++;
  }
  // A heredoc's last line ends with a newline that belongs to the value.
  return [{ kind: 'text', text: out, origin: { runs } }];
}

function unescape(raw: string, at: number): [string, number] {
  const next = raw[at + 1];
  switch (next) {
    case 'n':
      return ['\n', 2];
    case 't':
      return ['\t', 2];
    case 'r':
      return ['\r', 2];
    case '"':
      return ['"', 2];
    case '\\':
      return ['\\', 2];
    case 'u': {
      const hex = raw.slice(at + 2, at + 6);
      return /^[0-9a-fA-F]{4}$/.test(hex) ? [String.fromCharCode(parseInt(hex, 16)), 6] : ['\\', 1];
    }
    case 'U': {
      const hex = raw.slice(at + 2, at + 10);
      const cp = parseInt(hex, 16);
      return /^[0-9a-fA-F]{8}$/.test(hex) && cp <= 0x10ffff
        ? [String.fromCodePoint(cp), 10]
        : ['\\', 1];
    }
    default:
      return ['\\', 1];
  }
}

// ---------------------------------------------------------------------------------------------
// Conditionals, operators, for expressions, function calls

function evalConditional(node: Node, env: Env, range: SourceRange): Value {
  const exprs = children(node).filter((c) => c.type === 'expression');
  const [c, a, b] = exprs;
  if (!c || !a || !b) return unknown('incomplete conditional', range);
  const cond = evaluate(c, env);
  if (cond.kind === 'boolean') return evaluate(cond.value ? a : b, env);
  if (isError(cond)) return cond;
  if (cond.kind !== 'unknown' && cond.kind !== 'string' && cond.kind !== 'conditional')
    return errorValue('condition is not a boolean', range);
  const s = cond.kind === 'string' ? literalString(cond) : undefined;
  if (s === 'true' || s === 'false') return evaluate(s === 'true' ? a : b, env);
  // Unknown at plan time: keep both branches, as CloudFormation's Fn::If.
  return {
    kind: 'conditional',
    condition: c.text,
    whenTrue: evaluate(a, env),
    whenFalse: evaluate(b, env),
    range,
  };
}

function evalUnary(node: Node, env: Env, range: SourceRange): Value {
  const { op, right } = splitOperation(node);
  if (!op || right.length === 0) return unknown('incomplete operation', range);
  const v = evalTerm(right, env, termRange(right, env.file, range));
  const operandText = right.map((n) => n.text).join('');
  if (op.type === '-' && v.kind === 'number') return { kind: 'number', value: -v.value, range };
  if (op.type === '!' && v.kind === 'boolean') return { kind: 'boolean', value: !v.value, range };
  if (v.kind === 'unknown') return unknown(v.reason, range);
  return unknown(`${op.type}${operandText} not known`, range);
}

function evalBinary(node: Node, env: Env, range: SourceRange): Value {
  const { left, op, right } = splitOperation(node);
  if (left.length === 0 || !op || right.length === 0) return unknown('incomplete operation', range);
  const a = evalTerm(left, env, termRange(left, env.file, range));
  // `&&`/`||` decide on one side when the other is unknown.
  if (op.type === '&&' && a.kind === 'boolean' && !a.value)
    return { kind: 'boolean', value: false, range };
  if (op.type === '||' && a.kind === 'boolean' && a.value)
    return { kind: 'boolean', value: true, range };
  const b = evalTerm(right, env, termRange(right, env.file, range));
  switch (op.type) {
    case '==':
    case '!=': {
      const eq = valuesEqual(a, b);
      if (eq === undefined) return unknown(`${node.text} not known`, range);
      return { kind: 'boolean', value: op.type === '==' ? eq : !eq, range };
    }
    case '&&':
    case '||':
      if (a.kind === 'boolean' && b.kind === 'boolean')
        return {
          kind: 'boolean',
          value: op.type === '&&' ? a.value && b.value : a.value || b.value,
          range,
        };
      if (op.type === '&&' && b.kind === 'boolean' && !b.value)
        return { kind: 'boolean', value: false, range };
      if (op.type === '||' && b.kind === 'boolean' && b.value)
        return { kind: 'boolean', value: true, range };
      return unknown(`${node.text} not known`, range);
    default:
      break;
  }
  const x = toNumber(a);
  const y = toNumber(b);
  if (x === undefined || y === undefined) return unknown(`${node.text} not known`, range);
  switch (op.type) {
    case '+':
      return { kind: 'number', value: x + y, range };
    case '-':
      return { kind: 'number', value: x - y, range };
    case '*':
      return { kind: 'number', value: x * y, range };
    case '/':
      return y === 0
        ? errorValue('division by zero', range)
        : { kind: 'number', value: x / y, range };
    case '%':
      return y === 0
        ? errorValue('division by zero', range)
        : { kind: 'number', value: x % y, range };
    case '<':
      return { kind: 'boolean', value: x < y, range };
    case '<=':
      return { kind: 'boolean', value: x <= y, range };
    case '>':
      return { kind: 'boolean', value: x > y, range };
    case '>=':
      return { kind: 'boolean', value: x >= y, range };
    default:
      return unknown(`operator ${op.type} not evaluated`, range);
  }
}

export function toNumber(v: Value): number | undefined {
  if (v.kind === 'number') return v.value;
  const s = literalString(v);
  if (s === undefined || s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** Equality of known values; undefined when either side is not fully known. */
export function valuesEqual(a: Value, b: Value): boolean | undefined {
  const absentA = a.kind === 'absent' || a.kind === 'null';
  const absentB = b.kind === 'absent' || b.kind === 'null';
  if (absentA || absentB) {
    if (a.kind === 'unknown' || b.kind === 'unknown') return undefined;
    if (a.kind === 'string' && literalString(a) === undefined) return undefined;
    if (b.kind === 'string' && literalString(b) === undefined) return undefined;
    return absentA && absentB;
  }
  if (a.kind === 'number' && b.kind === 'number') return a.value === b.value;
  if (a.kind === 'boolean' && b.kind === 'boolean') return a.value === b.value;
  if (a.kind === 'string' && b.kind === 'string') {
    const x = literalString(a);
    const y = literalString(b);
    if (x === undefined || y === undefined) return undefined;
    return x === y;
  }
  if (a.kind === 'list' && b.kind === 'list') {
    if (a.items.length !== b.items.length) return false;
    let all: boolean | undefined = true;
    a.items.forEach((item, i) => {
      const other = b.items[i];
      const eq = other ? valuesEqual(item, other) : false;
      if (eq === false) all = false;
      else if (eq === undefined && all) all = undefined;
    });
    return all;
  }
  if (a.kind === 'map' && b.kind === 'map') {
    if (a.entries.length !== b.entries.length) return false;
    let all: boolean | undefined = true;
    for (const e of a.entries) {
      const other = b.entries.find((o) => o.key === e.key);
      const eq = other ? valuesEqual(e.value, other.value) : false;
      if (eq === false) return false;
      if (eq === undefined) all = undefined;
    }
    return all;
  }
  const known = (v: Value): boolean =>
    v.kind === 'number' ||
    v.kind === 'boolean' ||
    v.kind === 'list' ||
    v.kind === 'map' ||
    (v.kind === 'string' && literalString(v) !== undefined);
  if (known(a) && known(b)) return false;
  return undefined;
}

/** `(key, value)` pairs of a known collection: list indexes or map keys. */
export function iterate(coll: Value): [Value, Value][] | undefined {
  if (coll.kind === 'list')
    return coll.items.map((item, i) => [{ kind: 'number', value: i, range: item.range }, item]);
  if (coll.kind === 'map')
    return coll.entries.map((e) => [
      { kind: 'string', parts: [{ kind: 'text', text: e.key }], range: e.keyRange },
      e.value,
    ]);
  return undefined;
}

function evalFor(node: Node, env: Env, range: SourceRange): Value {
  const kids = children(node);
  const intro = kids.find((k) => k.type === 'for_intro');
  const condNode = kids.find((k) => k.type === 'for_cond');
  if (!intro) return unknown('for expression not evaluated', range);
  const introKids = children(intro);
  const names = introKids.filter((c) => c.type === 'identifier').map((c) => c.text);
  const collExpr = introKids.find((c) => c.type === 'expression');
  const body = kids.filter((k) => k.type === 'expression');
  const grouped = kids.some((k) => k.type === 'ellipsis');
  const condExpr = condNode && children(condNode).find((c) => c.type === 'expression');
  if (!collExpr || names.length === 0 || body.length === 0)
    return unknown('for expression not evaluated', range);
  const coll = evaluate(collExpr, env);
  const pairs = iterate(coll);
  if (!pairs) {
    if (coll.kind === 'unknown') return unknown(coll.reason, range);
    return unknown(`for expression over ${collExpr.text}`, range);
  }
  if (pairs.length > MAX_ITEMS) return unknown('for expression too large', range);
  const isObject = node.type === 'for_object_expr';
  const items: Value[] = [];
  const entries: MapEntry[] = [];
  for (const [k, v] of pairs) {
    // Checked per item: nested for expressions multiply, and each item is cheap on its own.
    if (env.module.budget.work > MAX_WORK) return unknown('evaluation budget exceeded', range);
    const bound =
      names.length === 2
        ? withBindings(env, { [names[0] ?? '']: k, [names[1] ?? '']: v })
        : withBindings(env, { [names[0] ?? '']: v });
    if (condExpr) {
      const keep = evaluate(condExpr, bound);
      if (keep.kind !== 'boolean')
        return unknown(`for condition ${condExpr.text} not known`, range);
      if (!keep.value) continue;
    }
    if (!isObject) {
      const [valueExpr] = body;
      if (valueExpr) items.push(evaluate(valueExpr, bound));
      continue;
    }
    const [keyExpr, valueExpr] = body;
    if (!keyExpr || !valueExpr) return unknown('for expression not evaluated', range);
    const keyValue = evaluate(keyExpr, bound);
    const key = keyValue.kind === 'number' ? String(keyValue.value) : literalString(keyValue);
    if (key === undefined) return unknown('for expression key not known', range);
    const value = evaluate(valueExpr, bound);
    const at = entries.findIndex((e) => e.key === key);
    if (grouped) {
      const prior = entries[at];
      if (prior && prior.value.kind === 'list')
        entries[at] = { ...prior, value: { ...prior.value, items: [...prior.value.items, value] } };
      else
        entries.push({
          key,
          keyRange: keyValue.range,
          value: { kind: 'list', items: [value], range: value.range },
        });
    } else if (at >= 0) {
      return errorValue(`duplicate key ${key} in for expression`, range);
    } else entries.push({ key, keyRange: keyValue.range, value });
  }
  return isObject ? { kind: 'map', entries, range } : { kind: 'list', items, range };
}

function evalCall(node: Node, env: Env, range: SourceRange): Value {
  const kids = children(node);
  const name = kids[0]?.text ?? '';
  const argsNode = kids.find((k) => k.type === 'function_arguments');
  const argNodes = argsNode ? children(argsNode).filter((c) => c.type === 'expression') : [];
  const expand = argsNode ? children(argsNode).some((c) => c.type === 'ellipsis') : false;
  // try/can must see each argument's failure, not one combined unknown.
  if (name === 'try') {
    let last: Value = errorValue('try: no argument succeeded', range);
    for (const a of argNodes) {
      const v = evaluate(a, env);
      if (!isError(v)) return v;
      last = v;
    }
    return unknown(last.kind === 'unknown' ? last.reason : 'try failed', range);
  }
  if (name === 'can') {
    const [a] = argNodes;
    if (!a) return errorValue('can needs an argument', range);
    const v = evaluate(a, env);
    if (isError(v)) return { kind: 'boolean', value: false, range };
    if (v.kind === 'unknown') return unknown(v.reason, range);
    return { kind: 'boolean', value: true, range };
  }
  let args = argNodes.map((a) => evaluate(a, env));
  if (expand) {
    const last = args[args.length - 1];
    if (!last || last.kind !== 'list')
      return unknown(`${name}(…): expanded argument not known`, range);
    args = [...args.slice(0, -1), ...last.items];
  }
  return callFunction(name, args, range, env);
}
