/**
 * `Fn::Include`, the cfn-include preprocessor's syntax, evaluated safely: only files inside the
 * repository, read only through the `FileSource`, within depth and size budgets. Everything
 * cfn-include would fetch from elsewhere (URLs, S3, absolute paths, paths leaving the root, the
 * environment, evaluated code) becomes an unknown node with a reason, so the policy holding it
 * is reported as unresolved instead of being guessed — or fetched. The cfn-include package is
 * never used: it fetches and evaluates by design.
 */
import { posix } from 'node:path';
import type { FileSource } from '../../source/file-source.js';
import type { ScopeDiagnostic } from '../model.js';
import type { RawEntry, RawNode } from './parse.js';
import { parseTemplateText } from './parse.js';

export const MAX_INCLUDE_DEPTH = 8;
export const MAX_INCLUDE_FILES = 100;
export const MAX_INCLUDE_BYTES = 5 * 1024 * 1024;

/** cfn-include functions that read outside the repository or run code. */
const OUTSIDE_READERS: Readonly<Record<string, string>> = {
  'Fn::GetEnv': 'Fn::GetEnv reads the environment at build time: not evaluated',
  'Fn::Eval': 'Fn::Eval runs code: not evaluated',
  'Fn::IfEval': 'Fn::IfEval runs code: not evaluated',
  'Fn::Filenames': 'Fn::Filenames lists files at build time: not evaluated',
};

export interface IncludeResult {
  readonly root: RawNode | undefined;
  /** Files read through includes, relative to the root. */
  readonly files: readonly string[];
  readonly diagnostics: readonly ScopeDiagnostic[];
}

interface Budget {
  files: number;
  bytes: number;
}

export async function expandIncludes(
  root: RawNode | undefined,
  file: string,
  source: FileSource,
): Promise<IncludeResult> {
  const files: string[] = [];
  const diagnostics: ScopeDiagnostic[] = [];
  if (!root) return { root, files, diagnostics };
  // Nearly no template uses cfn-include: skip the walk unless its syntax appears at all.
  if (!/Fn::(?:Include|GetEnv|Eval|IfEval|Filenames)/.test(root.src.text))
    return { root, files, diagnostics };
  const expander = new IncludeExpander(source, files, diagnostics, { files: 0, bytes: 0 });
  const expanded = await expander.expand(root, file, [file]);
  return { root: expanded, files, diagnostics };
}

/**
 * The repository-relative path an include names, or why it is refused. Paths resolve against the
 * including file's folder, as cfn-include does.
 */
export function includeTarget(
  location: string,
  includingFile: string,
): { path: string } | { refused: string } {
  const trimmed = location.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) {
    return { refused: `remote Fn::Include not evaluated (${trimmed.split(':')[0]}: location)` };
  }
  if (trimmed.startsWith('/') || trimmed.startsWith('\\') || trimmed.startsWith('~')) {
    return { refused: 'Fn::Include of an absolute path not evaluated' };
  }
  if (/[*?[\]{}]/.test(trimmed))
    return { refused: 'Fn::Include with a glob pattern not evaluated' };
  if (trimmed === '' || trimmed.includes('\0'))
    return { refused: 'Fn::Include without a location' };
  const joined = posix.normalize(
    posix.join(posix.dirname(includingFile), trimmed.replace(/\\/g, '/')),
  );
  if (joined === '..' || joined.startsWith('../') || posix.isAbsolute(joined)) {
    return { refused: 'Fn::Include of a path outside the repository not evaluated' };
  }
  return { path: joined };
}

class IncludeExpander {
  constructor(
    private readonly source: FileSource,
    private readonly files: string[],
    private readonly diagnostics: ScopeDiagnostic[],
    private readonly budget: Budget,
  ) {}

  async expand(node: RawNode, file: string, chain: readonly string[]): Promise<RawNode> {
    if (node.kind === 'seq') {
      const items: RawNode[] = [];
      for (const item of node.items) items.push(await this.expand(item, file, chain));
      return { ...node, items };
    }
    if (node.kind !== 'map') return node;
    const include = node.entries.find((entry) => entry.key === 'Fn::Include');
    if (include) return this.include(node, include, file, chain);
    const outside =
      node.entries.length === 1 ? OUTSIDE_READERS[node.entries[0]?.key ?? ''] : undefined;
    if (outside) return this.refuse(node, outside);
    const entries: RawEntry[] = [];
    for (const entry of node.entries)
      entries.push({ ...entry, value: await this.expand(entry.value, file, chain) });
    return { ...node, entries };
  }

  private async include(
    node: RawNode & { kind: 'map' },
    include: RawEntry,
    file: string,
    chain: readonly string[],
  ): Promise<RawNode> {
    const spec = readSpec(include.value);
    if ('refused' in spec) return this.refuse(node, spec.refused);
    const target = includeTarget(spec.location, file);
    if ('refused' in target) return this.refuse(node, target.refused);
    if (chain.includes(target.path))
      return this.refuse(node, `Fn::Include cycle through ${target.path}`);
    if (chain.length > MAX_INCLUDE_DEPTH)
      return this.refuse(node, `Fn::Include nested deeper than ${MAX_INCLUDE_DEPTH}`);
    if (this.budget.files >= MAX_INCLUDE_FILES)
      return this.refuse(node, `more than ${MAX_INCLUDE_FILES} Fn::Include files`);
    this.budget.files++;
    const content = await this.source.readFile(target.path);
    if (content === undefined)
      return this.refuse(node, `Fn::Include of ${target.path}: file not found`);
    this.budget.bytes += content.length;
    if (this.budget.bytes > MAX_INCLUDE_BYTES)
      return this.refuse(node, 'Fn::Include content larger than the size budget');
    if (!this.files.includes(target.path)) this.files.push(target.path);

    let included: RawNode;
    if (spec.type === 'string' || spec.type === 'literal') {
      included = {
        kind: 'scalar',
        value: content,
        style: 'literal',
        range: node.range,
        src: node.src,
        start: node.start,
        end: node.end,
      };
    } else {
      const parsed = parseTemplateText(target.path, content);
      if (!parsed.ok) {
        this.diagnostics.push({
          kind: 'parse-error',
          message: parsed.message,
          range: parsed.range,
        });
        return this.refuse(node, `Fn::Include of ${target.path}: file could not be parsed`);
      }
      if (!parsed.root) return this.refuse(node, `Fn::Include of ${target.path}: empty file`);
      included = await this.expand(parsed.root, target.path, [...chain, target.path]);
    }
    const siblings = node.entries.filter((entry) => entry !== include);
    if (siblings.length === 0) return included;
    if (included.kind !== 'map')
      return this.refuse(node, 'Fn::Include of a non-mapping next to other keys');
    // cfn-include merges the included mapping with the keys written beside it; the written keys win.
    const expandedSiblings: RawEntry[] = [];
    for (const entry of siblings)
      expandedSiblings.push({ ...entry, value: await this.expand(entry.value, file, chain) });
    const names = new Set(expandedSiblings.map((e) => e.key));
    return {
      ...node,
      entries: [...included.entries.filter((e) => !names.has(e.key)), ...expandedSiblings],
    };
  }

  private refuse(node: RawNode, reason: string): RawNode {
    this.diagnostics.push({ kind: 'unresolved', message: reason, range: node.range });
    return {
      kind: 'unknown',
      reason,
      range: node.range,
      src: node.src,
      start: node.start,
      end: node.end,
    };
  }
}

type IncludeSpec = { location: string; type: string } | { refused: string };

function readSpec(value: RawNode): IncludeSpec {
  if (value.kind === 'scalar' && typeof value.value === 'string')
    return { location: value.value, type: 'json' };
  if (value.kind !== 'map') return { refused: 'Fn::Include with a location that is not literal' };
  const get = (key: string): RawNode | undefined => value.entries.find((e) => e.key === key)?.value;
  const location = get('location');
  if (location?.kind !== 'scalar' || typeof location.value !== 'string') {
    return { refused: 'Fn::Include with a location that is not literal' };
  }
  const typeNode = get('type');
  const type =
    typeNode?.kind === 'scalar' && typeNode.value !== null ? String(typeNode.value) : 'json';
  if (!['json', 'string', 'literal'].includes(type))
    return { refused: `Fn::Include of type ${type} not evaluated` };
  // These transform the content with data from elsewhere (queries, variables, custom parsers).
  for (const transforming of ['query', 'context', 'inject', 'parser', 'isGlob']) {
    if (get(transforming)) return { refused: `Fn::Include with ${transforming} not evaluated` };
  }
  return { location: location.value, type };
}

/**
 * The repository files a template's `Fn::Include`s name, root-relative and normalised, for a
 * reader that must fetch them before the expander runs (the GitHub layer reads a pull request
 * through the API, not a checkout). Pure, and under the expander's own rules: what
 * `includeTarget` or `readSpec` refuses (URLs, absolute paths, globs, paths leaving the root,
 * locations that are not literal) is not listed, so it is never fetched either.
 */
export function includeTargets(file: string, text: string): string[] {
  if (!text.includes('Fn::Include')) return [];
  const parsed = parseTemplateText(file, text);
  if (!parsed.ok || !parsed.root) return [];
  const found = new Set<string>();
  const stack: RawNode[] = [parsed.root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.kind === 'seq') stack.push(...node.items);
    if (node.kind !== 'map') continue;
    for (const entry of node.entries) {
      if (entry.key !== 'Fn::Include') {
        stack.push(entry.value);
        continue;
      }
      const spec = readSpec(entry.value);
      if ('refused' in spec) continue;
      const target = includeTarget(spec.location, file);
      if ('path' in target) found.add(target.path);
    }
  }
  return [...found];
}
