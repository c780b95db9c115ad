/**
 * Reads a CloudFormation template (YAML or JSON — JSON is read by the same YAML 1.2 parser)
 * into a small position-keeping tree. Short-form tags (`!Ref X`, `!GetAtt A.B`, `!Sub …`) become
 * their long form (`{ "Ref": "X" }`) here, so nothing downstream knows YAML tags exist.
 *
 * The YAML 1.2 core schema is used on purpose: `Version: 2012-10-17` stays a string (no
 * timestamps) and `yes`/`on` stay strings, which is what a policy author means by them.
 */
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  Scalar,
  YAMLMap,
  YAMLSeq,
} from 'yaml';
import type { CollectionTag, Document, Node as YamlNode, ScalarTag } from 'yaml';
import type { SourceRange } from '../../core/range.js';
import { lineRange } from '../../core/range.js';
import { positionAt, rangeBetween, sourceText } from '../source-text.js';
import type { SourceText } from '../source-text.js';

interface RawBase {
  readonly range: SourceRange;
  readonly src: SourceText;
  /** Offsets into `src.text`, `end` exclusive. */
  readonly start: number;
  readonly end: number;
}

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';

export interface RawScalar extends RawBase {
  readonly kind: 'scalar';
  readonly value: string | number | boolean | null;
  readonly style: ScalarStyle;
}
export interface RawEntry {
  readonly key: string;
  readonly keyRange: SourceRange;
  readonly value: RawNode;
}
export interface RawMap extends RawBase {
  readonly kind: 'map';
  readonly entries: readonly RawEntry[];
}
export interface RawSeq extends RawBase {
  readonly kind: 'seq';
  readonly items: readonly RawNode[];
}
/** Content that was deliberately not read (a refused `Fn::Include`, `Fn::GetEnv`). */
export interface RawUnknown extends RawBase {
  readonly kind: 'unknown';
  readonly reason: string;
}
export type RawNode = RawScalar | RawMap | RawSeq | RawUnknown;

export type ParseResult =
  | { readonly ok: true; readonly root: RawNode | undefined; readonly src: SourceText }
  | { readonly ok: false; readonly message: string; readonly range: SourceRange };

/** Bigger templates than CloudFormation itself accepts (1 MB) are not worth the memory. */
export const MAX_TEMPLATE_BYTES = 5 * 1024 * 1024;
/** Alias expansions per document: enough for real templates, far below "billion laughs". */
export const MAX_ALIAS_EXPANSIONS = 1000;
/** Nodes produced per document, counting alias copies: the real guard against expansion bombs. */
export const MAX_NODES = 500_000;
export const MAX_DEPTH = 200;

/** Short tag → long form key. `!GetAtt` and `!Ref`/`!Condition` are not `Fn::` names. */
const SHORT_TAGS: Readonly<Record<string, string>> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!Sub': 'Fn::Sub',
  '!GetAtt': 'Fn::GetAtt',
  '!Join': 'Fn::Join',
  '!If': 'Fn::If',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!FindInMap': 'Fn::FindInMap',
  '!ImportValue': 'Fn::ImportValue',
  '!Base64': 'Fn::Base64',
  '!Cidr': 'Fn::Cidr',
  '!GetAZs': 'Fn::GetAZs',
  '!Equals': 'Fn::Equals',
  '!And': 'Fn::And',
  '!Or': 'Fn::Or',
  '!Not': 'Fn::Not',
  '!Transform': 'Fn::Transform',
  '!ToJsonString': 'Fn::ToJsonString',
  '!Length': 'Fn::Length',
};

/**
 * Every short tag in its three node forms. The tags only keep the YAML library from warning:
 * the conversion to long form happens on the node tree, where the positions are.
 */
const CUSTOM_TAGS: (ScalarTag | CollectionTag)[] = Object.keys(SHORT_TAGS).flatMap((tag) => [
  { tag, resolve: (value: string) => value },
  { tag, collection: 'seq' as const, nodeClass: YAMLSeq },
  { tag, collection: 'map' as const, nodeClass: YAMLMap },
]);

class TemplateTooComplex extends Error {}

export function parseTemplateText(file: string, text: string, repaired = false): ParseResult {
  if (text.length > MAX_TEMPLATE_BYTES) {
    return {
      ok: false,
      message: `template larger than ${MAX_TEMPLATE_BYTES} bytes: not read`,
      range: lineRange(file, 1),
    };
  }
  const src = sourceText(file, text);
  let doc: Document.Parsed | undefined;
  try {
    // Several documents: CloudFormation reads one; the first is the template.
    [doc] = parseAllDocuments(text, {
      version: '1.2',
      schema: 'core',
      customTags: CUSTOM_TAGS,
      // CloudFormation keeps the last of duplicate keys rather than rejecting the template.
      uniqueKeys: false,
      prettyErrors: false,
    }) as Document.Parsed[];
  } catch (error) {
    // The parser is recursive: absurd nesting ends here rather than in a crash.
    return {
      ok: false,
      message: `template could not be parsed: ${String(error)}`,
      range: lineRange(file, 1),
    };
  }
  if (!doc) return { ok: true, root: undefined, src };
  const [firstError] = doc.errors;
  if (firstError?.code === 'MISSING_CHAR' && !repaired) {
    const reindented = reindentQuotedScalars(text);
    if (reindented !== undefined) {
      const retry = parseTemplateText(file, reindented, true);
      if (retry.ok) return retry;
    }
  }
  if (firstError) {
    const line = positionAt(src, firstError.pos[0]).line;
    return {
      ok: false,
      message: firstError.message.split('\n')[0] ?? firstError.message,
      range: lineRange(file, line),
    };
  }
  try {
    const converter = new Converter(src, doc);
    const root = doc.contents ? converter.convert(doc.contents as YamlNode, 0) : undefined;
    return { ok: true, root, src };
  } catch (error) {
    if (error instanceof TemplateTooComplex) {
      return { ok: false, message: error.message, range: lineRange(file, 1) };
    }
    throw error;
  }
}

/** Turns the YAML library's nodes into raw nodes, expanding aliases within budget. */
class Converter {
  private nodes = 0;
  private aliases = 0;
  constructor(
    private readonly src: SourceText,
    private readonly doc: Document.Parsed,
  ) {}

  convert(node: YamlNode, depth: number): RawNode {
    if (++this.nodes > MAX_NODES)
      throw new TemplateTooComplex(
        `template has more than ${MAX_NODES} nodes (alias expansion?): not read`,
      );
    if (depth > MAX_DEPTH)
      throw new TemplateTooComplex(`template nested deeper than ${MAX_DEPTH} levels: not read`);
    if (isAlias(node)) {
      if (++this.aliases > MAX_ALIAS_EXPANSIONS) {
        throw new TemplateTooComplex(
          `template uses more than ${MAX_ALIAS_EXPANSIONS} YAML aliases: not read`,
        );
      }
      const target = node.resolve(this.doc);
      if (!target) throw new TemplateTooComplex(`unresolved YAML alias *${node.source}`);
      return this.convert(target as YamlNode, depth + 1);
    }
    const [start = 0, valueEnd = start] = node.range ?? [];
    const plain = this.convertUntagged(node, depth, start, valueEnd);
    const longName = node.tag ? SHORT_TAGS[node.tag] : undefined;
    if (!longName) return plain;
    // The tag sits before the node's own range; include it so `!Ref X` is one range.
    const tagStart = this.tagStart(start, node.tag ?? '');
    return this.map(
      [{ key: longName, keyRange: rangeBetween(this.src, tagStart, start), value: plain }],
      tagStart,
      valueEnd,
    );
  }

  private convertUntagged(node: YamlNode, depth: number, start: number, end: number): RawNode {
    if (isScalar(node)) {
      return this.scalar(scalarValue(node), scalarStyle(node), start, end);
    }
    if (isSeq(node)) {
      const items = node.items.map((item) => this.convert(item as YamlNode, depth + 1));
      return this.seq(items, start, end);
    }
    if (isMap(node)) {
      // Last duplicate wins, as in CloudFormation (a Map keeps this linear for huge mappings).
      const entries = new Map<string, RawEntry>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as YamlNode | null;
        // Complex keys (`? [a, b]`) mean nothing in a template; they get a name that matches nothing.
        const key = keyNode && isScalar(keyNode) ? String(keyNode.value) : '[complex key]';
        const [kStart = start, kEnd = kStart] = keyNode?.range ?? [];
        const value = pair.value
          ? this.convert(pair.value as YamlNode, depth + 1)
          : this.nullScalar(kEnd, kEnd);
        const entry: RawEntry = { key, keyRange: rangeBetween(this.src, kStart, kEnd), value };
        entries.delete(key);
        entries.set(key, entry);
      }
      return this.map([...entries.values()], start, end);
    }
    return this.nullScalar(start, end);
  }

  private nullScalar(start: number, end: number): RawScalar {
    return this.scalar(null, 'plain', start, end);
  }

  private tagStart(nodeStart: number, tag: string): number {
    const text = this.src.text;
    let i = nodeStart - 1;
    while (i >= 0 && isSpace(text.charCodeAt(i))) i--;
    const candidate = i - tag.length + 1;
    return candidate >= 0 && text.startsWith(tag, candidate) ? candidate : nodeStart;
  }

  /** Fields every node shares. Objects are built with one literal shape per kind (fast in V8). */
  private base(start: number, end: number): RawBase {
    // Block collections end after their last line break; a range should end on its last line.
    const text = this.src.text;
    let trimmed = end;
    while (trimmed > start + 1 && isSpace(text.charCodeAt(trimmed - 1))) trimmed--;
    return { range: rangeBetween(this.src, start, trimmed), src: this.src, start, end };
  }

  private scalar(
    value: RawScalar['value'],
    style: ScalarStyle,
    start: number,
    end: number,
  ): RawScalar {
    const { range, src } = this.base(start, end);
    return { kind: 'scalar', value, style, range, src, start, end };
  }

  private seq(items: RawNode[], start: number, end: number): RawSeq {
    const { range, src } = this.base(start, end);
    return { kind: 'seq', items, range, src, start, end };
  }

  private map(entries: RawEntry[], start: number, end: number): RawMap {
    const { range, src } = this.base(start, end);
    return { kind: 'map', entries, range, src, start, end };
  }
}

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

function scalarValue(node: Scalar): string | number | boolean | null {
  const value: unknown = node.value;
  if (typeof value === 'number') {
    // Account ids (`012345678901`) and version-like numbers must keep their text: IAM compares
    // them as strings, and a number would lose the leading zero.
    const source = node.source;
    if (node.type === Scalar.PLAIN && typeof source === 'string' && String(value) !== source)
      return source;
    return value;
  }
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
  if (typeof value === 'bigint') return String(value);
  return value === undefined ? null : String(value);
}

function scalarStyle(node: Scalar): ScalarStyle {
  switch (node.type) {
    case Scalar.QUOTE_SINGLE:
      return 'single';
    case Scalar.QUOTE_DOUBLE:
      return 'double';
    case Scalar.BLOCK_LITERAL:
      return 'literal';
    case Scalar.BLOCK_FOLDED:
      return 'folded';
    default:
      return 'plain';
  }
}

/**
 * CloudFormation accepts multi-line quoted scalars whose continuation lines are no more indented
 * than their key (`PolicyDocument: '{` … `}'` with `}'` under the key) — real templates rely on
 * it — but YAML 1.2 does not. This indents such continuation lines one column past the opening
 * line's indentation; folding strips that whitespace, so values are unchanged and line numbers
 * stay exact (only columns on the moved lines shift). Returns undefined when nothing changed.
 */
export function reindentQuotedScalars(text: string): string | undefined {
  const lines = text.split('\n');
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const opening = /^(\s*)(?:-\s+)?(?:[^\s#'"][^#'"]*?:\s+)?(?:-\s+)?(['"])/.exec(line);
    if (!opening) continue;
    const quote = opening[2] ?? "'";
    const indent = opening[1]?.length ?? 0;
    let closedAt = closingQuote(line, opening[0].length, quote);
    let j = i;
    while (closedAt < 0 && j + 1 < lines.length) {
      j++;
      const next = lines[j] ?? '';
      const nextIndent = /^\s*/.exec(next)?.[0].length ?? 0;
      if (next.trim() !== '' && nextIndent <= indent) {
        lines[j] = ' '.repeat(indent + 1 - nextIndent) + next;
        changed = true;
      }
      closedAt = closingQuote(lines[j] ?? '', 0, quote);
    }
    i = j;
  }
  return changed ? lines.join('\n') : undefined;
}

/** Index after the closing quote on this line, or -1 if the scalar continues. */
function closingQuote(line: string, from: number, quote: string): number {
  for (let k = from; k < line.length; k++) {
    const ch = line[k];
    if (quote === '"' && ch === '\\') {
      k++;
      continue;
    }
    if (ch !== quote) continue;
    if (quote === "'" && line[k + 1] === "'") {
      k++;
      continue;
    }
    return k + 1;
  }
  return -1;
}
