/**
 * One Terraform module folder → evaluated blocks (`TfBlock`), the reader side of the contract in
 * `types.ts`. Variables come from tfvars, then defaults, else stay symbolic; locals are evaluated
 * with cycle detection; `count`/`for_each` and `dynamic` blocks are expanded when their
 * collections are known. Files named by `file()`/`templatefile()` are read only through the
 * `FileSource`, in rounds: evaluation records what it needs, the reader fetches it, evaluates again.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceRange } from '../../core/range.js';
import { lineRange } from '../../core/range.js';
import { timeSlicer } from '../../core/event-loop.js';
import type { MapEntry, Value } from '../../core/value.js';
import { literalString, refString, unknown } from '../../core/value.js';
import type { FileSource } from '../../source/file-source.js';
import { sourceText } from '../source-text.js';
import type { ScopeDiagnostic } from '../model.js';
import type { Env, FileCtx, ModuleEnv } from './expressions.js';
import { errorValue, evaluate, nested, nodeRange, withBindings } from './expressions.js';
import { children, hclParser, parseHclWith } from './parse.js';
import type { DataSourceResolver, TfAttribute, TfBlock } from './types.js';

export interface TfModule {
  readonly dir: string;
  readonly files: readonly string[];
  readonly blocks: readonly TfBlock[];
  readonly diagnostics: readonly ScopeDiagnostic[];
  readonly providerRegion?: string;
  readonly providerRegions?: ProviderRegions;
}

/** Where a module's `provider "aws"` blocks say resources are created. */
export interface ProviderRegions {
  /** The default (un-aliased) provider's `region` argument, when there is such a provider. */
  readonly defaultSource?: RegionSource;
  /** Per `alias`: the literal Region, or undefined when it is not written as a literal. */
  readonly aliases: ReadonlyMap<string, Value | undefined>;
}

/** A literal Region, a variable (callers choose), or anything else (locals, data sources, unset). */
export type RegionSource = 'literal' | 'variable' | 'unknown';

/** Instances per block beyond which `count`/`for_each` is treated as not known. */
export const MAX_INSTANCES = 1000;
/** Files read through `file()`/`templatefile()` per module, and their total size. */
export const MAX_READ_FILES = 100;
export const MAX_READ_BYTES = 5 * 1024 * 1024;
/** Rounds of "evaluate, fetch the files it asked for": nested `file(templatefile(…))` is rare. */
const MAX_ROUNDS = 4;

interface ParsedFile {
  readonly path: string;
  readonly items: readonly Node[];
  readonly ctx: FileCtx;
}

export function isTfvarsFile(path: string): boolean {
  const base = path.split('/').pop() ?? path;
  return base === 'terraform.tfvars' || base.endsWith('.auto.tfvars');
}

export async function readTerraformModule(
  dir: string,
  files: readonly { path: string; text: string }[],
  source: FileSource,
  resolvers: Readonly<Record<string, DataSourceResolver>>,
): Promise<TfModule> {
  const parser = await hclParser();
  const diagnostics: ScopeDiagnostic[] = [];
  const config: ParsedFile[] = [];
  const tfvars: ParsedFile[] = [];
  const read: string[] = [];
  const slicer = timeSlicer();
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    if (f.path.endsWith('.json')) {
      read.push(f.path);
      diagnostics.push({
        kind: 'unresolved',
        message: 'Terraform JSON configuration (.tf.json, .tfvars.json) is not read',
        range: lineRange(f.path, 1),
      });
      continue;
    }
    await slicer.maybeYield();
    const { items, diagnostics: parseDiagnostics } = parseHclWith(parser, f.path, f.text);
    read.push(f.path);
    diagnostics.push(...parseDiagnostics);
    const parsed = { path: f.path, items, ctx: { src: sourceText(f.path, f.text), lineDelta: 0 } };
    if (isTfvarsFile(f.path)) tfvars.push(parsed);
    else config.push(parsed);
  }
  // terraform.tfvars first, then *.auto.tfvars in lexical order: later files win.
  tfvars.sort((a, b) => tfvarsRank(a.path) - tfvarsRank(b.path) || (a.path < b.path ? -1 : 1));

  const fileCache = new Map<string, string | null>();
  let budget = { files: 0, bytes: 0 };
  let reader = new ModuleReader(dir, config, tfvars, resolvers, fileCache);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    await reader.evaluateAll(slicer);
    const wanted = [...reader.wanted].filter((p) => !fileCache.has(p));
    if (wanted.length === 0) break;
    for (const p of wanted) {
      if (budget.files >= MAX_READ_FILES || budget.bytes >= MAX_READ_BYTES) {
        fileCache.set(p, null);
        continue;
      }
      const text = await source.readFile(p);
      budget = { files: budget.files + 1, bytes: budget.bytes + (text?.length ?? 0) };
      fileCache.set(p, text !== undefined && budget.bytes <= MAX_READ_BYTES ? text : null);
      if (text !== undefined) read.push(p);
    }
    reader = new ModuleReader(dir, config, tfvars, resolvers, fileCache);
  }
  const blocks = reader.blocks();
  const providerRegion = reader.providerRegion();
  const providerRegions = reader.providerRegions();
  return {
    providerRegions,
    dir,
    files: read,
    blocks,
    diagnostics,
    ...(providerRegion !== undefined ? { providerRegion } : {}),
  };
}

function tfvarsRank(path: string): number {
  return (path.split('/').pop() ?? path) === 'terraform.tfvars' ? 0 : 1;
}

interface Declared {
  readonly node: Node;
  readonly ctx: FileCtx;
}

/** What `count`/`for_each` gave: instances with their bindings, or one unknown instance. */
interface Instance {
  readonly key?: string | number | 'unknown';
  readonly bindings: Readonly<Record<string, Value>>;
  readonly condition?: string;
}

/**
 * One evaluation of the module. Attribute values are memoised per block instance; the reader is
 * thrown away when another round of file reads is needed.
 */
class ModuleReader implements ModuleEnv {
  readonly budget = { work: 0, nesting: 0 };
  readonly wanted = new Set<string>();
  private readonly variables = new Map<string, Declared>();
  private readonly localDecls = new Map<string, Declared>();
  private readonly localValues = new Map<string, Value | 'pending'>();
  private tfvarsValues: Map<string, Value> | undefined;
  /** Set while deciding whether a block exists for inputs other than the defaults. */
  private symbolicDefaults = false;
  private built: TfBlock[] | undefined;
  private readonly byAddress = new Map<string, TfBlock>();
  private readonly blockNodes: { node: Node; ctx: FileCtx }[] = [];

  constructor(
    readonly dir: string,
    private readonly config: readonly ParsedFile[],
    private readonly tfvars: readonly ParsedFile[],
    private readonly resolvers: Readonly<Record<string, DataSourceResolver>>,
    private readonly fileCache: ReadonlyMap<string, string | null>,
  ) {
    for (const f of config) {
      for (const node of f.items) {
        if (node.type !== 'block') continue;
        this.blockNodes.push({ node, ctx: f.ctx });
        const { type, labels } = header(node);
        if (type === 'variable' && labels[0] !== undefined)
          this.variables.set(labels[0], { node, ctx: f.ctx });
        if (type === 'locals') {
          for (const attr of bodyItems(node))
            if (attr.type === 'attribute') {
              const name = children(attr)[0]?.text;
              const expr = children(attr).find((c) => c.type === 'expression');
              if (name && expr) this.localDecls.set(name, { node: expr, ctx: f.ctx });
            }
        }
      }
    }
  }

  private env(ctx: FileCtx, bindings: Readonly<Record<string, Value>> = {}): Env {
    return { module: this, file: ctx, bindings: new Map(Object.entries(bindings)), depth: 0 };
  }

  // ------------------------------------------------------------------ ModuleEnv

  fileText(path: string): string | null | undefined {
    if (this.fileCache.has(path)) return this.fileCache.get(path);
    this.wanted.add(path);
    return undefined;
  }

  variable(name: string, range: SourceRange): Value {
    const fromTfvars = this.tfvarsMap().get(name);
    if (fromTfvars) return fromTfvars;
    const decl = this.variables.get(name);
    if (!decl) return errorValue(`variable ${name} is not declared`, range);
    if (this.symbolicDefaults) return parameterRef(name, range);
    const def = bodyItems(decl.node).find(
      (a) => a.type === 'attribute' && children(a)[0]?.text === 'default',
    );
    const expr = def && children(def).find((c) => c.type === 'expression');
    if (expr) return nested(this, range, () => evaluate(expr, this.env(decl.ctx)));
    return parameterRef(name, range);
  }

  private tfvarsMap(): Map<string, Value> {
    if (this.tfvarsValues) return this.tfvarsValues;
    const values = new Map<string, Value>();
    this.tfvarsValues = values;
    for (const f of this.tfvars) {
      for (const attr of f.items) {
        if (attr.type !== 'attribute') continue;
        const name = children(attr)[0]?.text;
        const expr = children(attr).find((c) => c.type === 'expression');
        // tfvars hold constants only: evaluated without variables of their own.
        if (name && expr) values.set(name, evaluate(expr, this.env(f.ctx)));
      }
    }
    return values;
  }

  local(name: string, range: SourceRange): Value {
    const known = this.localValues.get(name);
    if (known === 'pending') return unknown(`local.${name} refers to itself`, range);
    if (known) return known;
    const decl = this.localDecls.get(name);
    if (!decl) return errorValue(`local.${name} is not declared`, range);
    this.localValues.set(name, 'pending');
    const value = nested(this, range, () => evaluate(decl.node, this.env(decl.ctx)));
    this.localValues.set(name, value);
    return value;
  }

  resource(
    type: string,
    name: string,
    key: string | number | undefined,
    attr: string,
    range: SourceRange,
  ): Value {
    const address = `${type}.${name}${keySuffix(key)}`;
    const isBucketName = type === 'aws_s3_bucket' && (attr === 'id' || attr === 'bucket');
    const attribute = isBucketName ? 'name' : attr;
    // An argument set in the configuration is that value (`aws_s3_bucket.b.bucket`, `aws_subnet.a.vpc_id`).
    const configured = isBucketName ? 'bucket' : attr === 'id' || attr === 'arn' ? undefined : attr;
    const block = this.lookup(address);
    if (configured && block) {
      const set = block.attributes.get(configured)?.value();
      if (set && (set.kind === 'string' || set.kind === 'number' || set.kind === 'boolean'))
        return set;
    }
    return refString(
      {
        id: `${address}#${attribute}`,
        target: { kind: 'resource', address, attribute },
        display: `${address}.${attr}`,
      },
      range,
    );
  }

  data(
    type: string,
    name: string,
    key: string | number | undefined,
    attr: string,
    range: SourceRange,
  ): Value {
    const address = `data.${type}.${name}${keySuffix(key)}`;
    const block = this.lookup(address);
    const resolver = Object.hasOwn(this.resolvers, type) ? this.resolvers[type] : undefined;
    if (block && resolver) {
      const resolved = resolver(block, attr);
      if (resolved) return resolved;
    }
    return refString(
      {
        id: `${address}#${attr}`,
        target: { kind: 'resource', address, attribute: attr },
        display: `${address}.${attr}`,
      },
      range,
    );
  }

  instanceKeys(
    type: string,
    name: string,
    blockType: 'resource' | 'data' = 'resource',
  ): readonly (string | number | undefined)[] | undefined {
    const keys: (string | number | undefined)[] = [];
    for (const b of this.blocks()) {
      if (b.type !== blockType || b.labels[0] !== type || b.labels[1] !== name) continue;
      if (b.instanceKey === 'unknown') return undefined;
      keys.push(b.instanceKey);
    }
    return keys.length > 0 ? keys : undefined;
  }

  private lookup(address: string): TfBlock | undefined {
    this.blocks();
    return this.byAddress.get(address);
  }

  // ------------------------------------------------------------------ blocks

  blocks(): TfBlock[] {
    if (this.built) return this.built;
    const built: TfBlock[] = [];
    this.built = built;
    for (const { node, ctx } of this.blockNodes) this.addExpanded(built, node, ctx);
    return built;
  }

  /** `blocks()`, yielding between top-level blocks: expanding a large module takes a while. */
  async expandAll(slicer: { maybeYield(): Promise<void> }): Promise<void> {
    if (this.built) return;
    const built: TfBlock[] = [];
    // Set before expanding, as `blocks()` does: a block's count/for_each may look others up.
    this.built = built;
    for (const { node, ctx } of this.blockNodes) {
      this.addExpanded(built, node, ctx);
      await slicer.maybeYield();
    }
  }

  private addExpanded(built: TfBlock[], node: Node, ctx: FileCtx): void {
    for (const block of this.expandTopLevel(node, ctx)) {
      built.push(block);
      if (!this.byAddress.has(block.address)) this.byAddress.set(block.address, block);
    }
  }

  providerRegion(): string | undefined {
    for (const b of this.blocks()) {
      if (b.type !== 'provider' || b.labels[0] !== 'aws' || b.attributes.has('alias')) continue;
      return literalString(b.attributes.get('region')?.value());
    }
    return undefined;
  }

  providerRegions(): ProviderRegions {
    const aliases = new Map<string, Value | undefined>();
    let defaultSource: RegionSource | undefined;
    for (const b of this.blocks()) {
      if (b.type !== 'provider' || b.labels[0] !== 'aws') continue;
      const region = b.attributes.get('region');
      const alias = literalString(b.attributes.get('alias')?.value());
      if (alias !== undefined) {
        // A variable's default is only what callers get when they say nothing: not a fact.
        const fixed = region && !isVariable(region) ? region.value() : undefined;
        aliases.set(alias, fixed);
      } else if (defaultSource === undefined) {
        defaultSource = !region
          ? 'unknown'
          : isVariable(region)
            ? 'variable'
            : literalString(region.value()) !== undefined
              ? 'literal'
              : 'unknown';
      }
    }
    return { aliases, ...(defaultSource !== undefined ? { defaultSource } : {}) };
  }

  /**
   * Evaluates every attribute once (attributes are lazy and cache), so the file reads a round
   * needs are all known; yields between blocks.
   */
  async evaluateAll(slicer: { maybeYield(): Promise<void> }): Promise<void> {
    const visit = (b: TfBlock): void => {
      for (const a of b.attributes.values()) a.value();
      b.blocks.forEach(visit);
    };
    await this.expandAll(slicer);
    for (const block of this.blocks()) {
      visit(block);
      await slicer.maybeYield();
    }
    for (const name of this.localDecls.keys()) this.local(name, lineRange('', 1));
  }

  private expandTopLevel(node: Node, ctx: FileCtx): TfBlock[] {
    const { type, labels } = header(node);
    const base = topAddress(type, labels);
    const repeatable = type === 'resource' || type === 'data' || type === 'module';
    const instances = repeatable ? this.instancesOf(node, ctx) : [{ bindings: {} }];
    return instances.map((inst) => {
      const address =
        inst.key === undefined || inst.key === 'unknown' ? base : `${base}${keySuffix(inst.key)}`;
      return this.buildBlock(node, ctx, this.env(ctx, inst.bindings), address, inst, true);
    });
  }

  private instancesOf(node: Node, ctx: FileCtx): Instance[] {
    const count = attributeExpr(node, 'count');
    const forEach = attributeExpr(node, 'for_each');
    const env = this.env(ctx);
    const expr = count ?? forEach;
    if (!expr) return [{ bindings: {} }];
    const instances = (): Instance[] =>
      count ? countInstances(evaluate(count, env)) : forEachInstances(evaluate(expr, env), 'each');
    const byDefaults = instances();
    if (byDefaults.length > 0) return byDefaults;
    // No instance with the variables' defaults. A module's defaults are usually overridden by
    // its caller (`create_policy = false`), so a resource that exists for other inputs is kept,
    // under the condition that decides it — never silently dropped.
    const otherwise = this.withSymbolicDefaults(instances);
    if (!otherwise.some((i) => i.condition !== undefined || i.key === 'unknown')) return byDefaults;
    return otherwise.map((i) => ({ ...i, condition: i.condition ?? expr.text }));
  }

  /** Evaluates with variables not set in tfvars treated as symbolic, on fresh local values. */
  private withSymbolicDefaults<T>(run: () => T): T {
    const saved = new Map(this.localValues);
    this.localValues.clear();
    this.symbolicDefaults = true;
    try {
      return run();
    } finally {
      this.symbolicDefaults = false;
      this.localValues.clear();
      for (const [k, v] of saved) this.localValues.set(k, v);
    }
  }

  private buildBlock(
    node: Node,
    ctx: FileCtx,
    env: Env,
    address: string,
    inst: Instance,
    top: boolean,
  ): TfBlock {
    const { type, labels } = header(node);
    return this.blockFromBody(node, type, labels, ctx, env, address, inst, top);
  }

  private blockFromBody(
    node: Node,
    type: string,
    labels: readonly string[],
    ctx: FileCtx,
    env: Env,
    address: string,
    inst: Instance,
    top: boolean,
  ): TfBlock {
    const attributes = new Map<string, TfAttribute>();
    const blocks: TfBlock[] = [];
    for (const item of bodyItems(node)) {
      if (item.type === 'attribute') {
        const [nameNode] = children(item);
        const expr = children(item).find((c) => c.type === 'expression');
        if (!nameNode || !expr) continue;
        const name = nameNode.text;
        if (top && (name === 'count' || name === 'for_each')) continue;
        // A variable's `type = list(string)` is a type constraint, not a value to evaluate.
        if (top && type === 'variable' && name === 'type') {
          const r = nodeRange(item, ctx);
          attributes.set(name, {
            name,
            range: r,
            nameRange: nodeRange(nameNode, ctx),
            value: () => unknown('type constraint', nodeRange(expr, ctx)),
          });
          continue;
        }
        attributes.set(name, lazyAttribute(name, item, nameNode, expr, env));
      } else if (item.type === 'block') {
        const h = header(item);
        if (h.type === 'dynamic') blocks.push(...this.expandDynamic(item, ctx, env, address));
        else blocks.push(this.buildBlock(item, ctx, env, address, { bindings: {} }, false));
      }
    }
    return {
      type,
      labels,
      address,
      ...(inst.key !== undefined ? { instanceKey: inst.key } : {}),
      file: ctx.src.file,
      range: nodeRange(node, ctx),
      attributes,
      blocks,
      ...(inst.condition !== undefined ? { condition: inst.condition } : {}),
    };
  }

  /** `dynamic "x" { for_each = …; iterator = it; content { … } }` → blocks of type `x`. */
  private expandDynamic(node: Node, ctx: FileCtx, env: Env, address: string): TfBlock[] {
    const { labels } = header(node);
    const type = labels[0] ?? 'dynamic';
    const iterator = attributeExpr(node, 'iterator')?.text.trim() ?? type;
    const forEach = attributeExpr(node, 'for_each');
    const content = bodyItems(node).find((c) => c.type === 'block' && header(c).type === 'content');
    if (!forEach || !content) return [];
    const instances = forEachInstances(evaluate(forEach, env), iterator);
    return instances.map((inst) =>
      this.blockFromBody(
        content,
        type,
        [],
        ctx,
        withBindings(env, inst.bindings),
        address,
        inst,
        false,
      ),
    );
  }
}

function parameterRef(name: string, range: SourceRange): Value {
  return refString(
    { id: `param:${name}`, target: { kind: 'parameter', name }, display: `var.${name}` },
    range,
  );
}

/** `var.region`, `var.config.region`: the value is the caller's choice. */
function isVariable(attribute: TfAttribute): boolean {
  return /^\s*var\.[A-Za-z_][\w-]*(?:\.[\w-]+)*\s*$/.test(attribute.text ?? '');
}

function lazyAttribute(
  name: string,
  item: Node,
  nameNode: Node,
  expr: Node,
  env: Env,
): TfAttribute {
  let state: Value | 'pending' | undefined;
  const range = nodeRange(item, env.file);
  return {
    name,
    range,
    nameRange: nodeRange(nameNode, env.file),
    text: expr.text,
    value: () => {
      if (state === 'pending') return unknown(`${name} refers to itself`, range);
      if (state) return state;
      state = 'pending';
      const v = nested(env.module, range, () => evaluate(expr, env));
      state = v;
      return v;
    },
  };
}

function countInstances(v: Value): Instance[] {
  if (v.kind === 'number') {
    const n = Math.floor(v.value);
    if (n < 0 || n > MAX_INSTANCES) return [unknownCount(v.range, 'count not known')];
    return Array.from({ length: n }, (_, i) => ({
      key: i,
      bindings: { count: countMap(i, v.range) },
    }));
  }
  if (v.kind === 'conditional' && v.whenTrue.kind === 'number' && v.whenFalse.kind === 'number') {
    // `count = var.enabled ? 1 : 0`: the instances of the non-zero branch, under that branch.
    const [n, condition] =
      v.whenFalse.value === 0
        ? [v.whenTrue.value, v.condition]
        : v.whenTrue.value === 0
          ? [v.whenFalse.value, `!(${v.condition})`]
          : [undefined, ''];
    if (n !== undefined && n >= 0 && n <= MAX_INSTANCES)
      return Array.from({ length: Math.floor(n) }, (_, i) => ({
        key: i,
        bindings: { count: countMap(i, v.range) },
        condition,
      }));
  }
  return [unknownCount(v.range, v.kind === 'unknown' ? v.reason : 'count not known')];
}

function countMap(i: number, range: SourceRange): Value {
  return mapOf({ index: { kind: 'number', value: i, range } }, range);
}

function unknownCount(range: SourceRange, reason: string): Instance {
  return { key: 'unknown', bindings: { count: mapOf({ index: unknown(reason, range) }, range) } };
}

function mapOf(values: Readonly<Record<string, Value>>, range: SourceRange): Value {
  const entries: MapEntry[] = Object.entries(values).map(([key, value]) => ({
    key,
    keyRange: range,
    value,
  }));
  return { kind: 'map', entries, range };
}

/** Instances of a `for_each` (or a dynamic block's), binding `name.key` and `name.value`. */
function forEachInstances(v: Value, name: string): Instance[] {
  const pairs = collectionPairs(v);
  if (pairs && pairs.length <= MAX_INSTANCES)
    return pairs.map(([key, value, keyRange]) => ({
      key,
      bindings: {
        [name]: mapOf(
          {
            key: {
              kind: 'string',
              parts: key === '' ? [] : [{ kind: 'text', text: key }],
              range: keyRange,
            },
            value,
          },
          keyRange,
        ),
      },
    }));
  if (v.kind === 'conditional') {
    const t = collectionPairs(v.whenTrue);
    const f = collectionPairs(v.whenFalse);
    const pick =
      f?.length === 0
        ? { pairs: t, condition: v.condition }
        : t?.length === 0
          ? { pairs: f, condition: `!(${v.condition})` }
          : undefined;
    if (pick?.pairs && pick.pairs.length <= MAX_INSTANCES)
      return forEachInstances(
        {
          kind: 'map',
          entries: pick.pairs.map(([key, value, keyRange]) => ({ key, keyRange, value })),
          range: v.range,
        },
        name,
      ).map((inst) => ({ ...inst, condition: pick.condition }));
  }
  const reason = v.kind === 'unknown' ? v.reason : 'for_each not known';
  const u = unknown(reason, v.range);
  return [{ key: 'unknown', bindings: { [name]: mapOf({ key: u, value: u }, v.range) } }];
}

function collectionPairs(v: Value): [string, Value, SourceRange][] | undefined {
  if (v.kind === 'map') return v.entries.map((e) => [e.key, e.value, e.keyRange]);
  if (v.kind === 'list') {
    const out: [string, Value, SourceRange][] = [];
    for (const item of v.items) {
      const key = literalString(item);
      if (key === undefined) return undefined;
      if (!out.some(([k]) => k === key)) out.push([key, item, item.range]);
    }
    return out;
  }
  return undefined;
}

function keySuffix(key: string | number | undefined): string {
  if (key === undefined) return '';
  return typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(key)}]`;
}

function topAddress(type: string, labels: readonly string[]): string {
  switch (type) {
    case 'resource':
      return labels.slice(0, 2).join('.');
    case 'data':
      return `data.${labels.slice(0, 2).join('.')}`;
    case 'module':
      return `module.${labels[0] ?? ''}`;
    case 'variable':
      return `var.${labels[0] ?? ''}`;
    default:
      return [type, ...labels].join('.');
  }
}

function bodyItems(block: Node): readonly Node[] {
  const body = children(block).find((c) => c.type === 'body');
  return body ? children(body) : [];
}

function header(block: Node): { type: string; labels: string[] } {
  const kids = children(block);
  const type = kids[0]?.text ?? '';
  const labels: string[] = [];
  for (const k of kids.slice(1)) {
    if (k.type === 'block_start' || k.type === '{') break;
    if (k.type === 'string_lit') labels.push(k.text.slice(1, -1));
    else if (k.type === 'identifier') labels.push(k.text);
  }
  return { type, labels };
}

function attributeExpr(block: Node, name: string): Node | undefined {
  const attr = bodyItems(block).find(
    (a) => a.type === 'attribute' && children(a)[0]?.text === name,
  );
  return attr && children(attr).find((c) => c.type === 'expression');
}
