/**
 * HCL parsing with tree-sitter (the Terraform dialect of tree-sitter-hcl). tree-sitter recovers
 * from syntax errors, so one bad block costs one diagnostic at its exact line and the rest of
 * the file is still read — what `hcl2-parser` or HashiCorp's own parser cannot offer.
 */
import { createRequire } from 'node:module';
import type { Node } from 'web-tree-sitter';
import { Language, Parser } from 'web-tree-sitter';
import { lineRange } from '../../core/range.js';
import type { ScopeDiagnostic } from '../model.js';

/** Larger files are not parsed: configuration this size is generated, not reviewed. */
export const MAX_HCL_BYTES = 5 * 1024 * 1024;
/** A file with more syntax errors than this is reported with the first ones only. */
const MAX_PARSE_DIAGNOSTICS = 20;

let parser: Parser | undefined;
let loading: Promise<Parser> | undefined;

/** Loads the grammar once per process; every later parse reuses the same parser. */
export async function hclParser(): Promise<Parser> {
  if (parser) return parser;
  loading ??= (async () => {
    await Parser.init();
    const require = createRequire(import.meta.url);
    const wasm =
      require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm');
    const language = await Language.load(wasm);
    const created = new Parser();
    created.setLanguage(language);
    parser = created;
    return created;
  })();
  return loading;
}

/** The parser when already loaded, for synchronous re-parses (`templatefile`) during evaluation. */
export function loadedParser(): Parser | undefined {
  return parser;
}

/**
 * A node's children. Reading them from web-tree-sitter crosses into WebAssembly and allocates
 * new wrappers each time; for expressions and templates evaluated once per `for` item or
 * instance, that dominated the run time. Cached per tree by node id (ids are unique in a tree).
 */
export function children(node: Node): readonly Node[] {
  let perTree = childCache.get(node.tree);
  if (!perTree) {
    perTree = new Map();
    childCache.set(node.tree, perTree);
  }
  let kids = perTree.get(node.id);
  if (!kids) {
    kids = node.children.filter((c): c is Node => c !== null);
    perTree.set(node.id, kids);
  }
  return kids;
}

const childCache = new WeakMap<object, Map<number, readonly Node[]>>();

export async function parseHcl(
  file: string,
  text: string,
): Promise<{ root: Node; diagnostics: ScopeDiagnostic[] }> {
  const p = await hclParser();
  const { root, diagnostics } = parseHclWith(p, file, text);
  return { root, diagnostics };
}

export interface ParsedHcl {
  /** The whole file's tree. */
  readonly root: Node;
  /** Top-level items (blocks, attributes) to read: after a syntax error, from a per-block re-parse. */
  readonly items: readonly Node[];
  readonly diagnostics: ScopeDiagnostic[];
}

/** A file with more top-level items than this is not re-parsed block by block after an error. */
const MAX_RECOVERY_CHUNKS = 500;

export function parseHclWith(p: Parser, file: string, text: string): ParsedHcl {
  const diagnostics: ScopeDiagnostic[] = [];
  let input = text;
  if (text.length > MAX_HCL_BYTES) {
    diagnostics.push({
      kind: 'parse-error',
      message: `file larger than ${MAX_HCL_BYTES} bytes: not read`,
      range: lineRange(file, 1),
    });
    input = '';
  }
  const root = parseText(p, input);
  if (/\d[eE][+-]?\d/.test(input)) checkExponents(root, input, file, diagnostics);
  if (!root.hasError) return { root, items: topItems(root), diagnostics };
  // tree-sitter's recovery can swallow everything after a bad token into one node (a stray
  // `=` opens a heredoc that never ends). Re-parsing each top-level chunk on its own keeps
  // the damage inside the block that has the error.
  const chunks = topLevelChunks(input);
  if (chunks.length > MAX_RECOVERY_CHUNKS || chunks.length < 2) {
    collectErrors(root, file, diagnostics);
    return { root, items: topItems(root), diagnostics };
  }
  const items: Node[] = [];
  for (const [start, end] of chunks) {
    // Blank out the rest of the file (keeping newlines) so positions stay those of the file.
    const padded = blankOutside(input, start, end);
    const chunkRoot = parseText(p, padded);
    if (chunkRoot.hasError) {
      // The first error of a block is the one to fix; what follows it is often its echo.
      const found: ScopeDiagnostic[] = [];
      collectErrors(chunkRoot, file, found);
      const first = found.sort((a, b) => a.range.startLine - b.range.startLine)[0];
      if (first && diagnostics.length < MAX_PARSE_DIAGNOSTICS) diagnostics.push(first);
    }
    items.push(...topItems(chunkRoot));
  }
  return { root, items, diagnostics };
}

/**
 * The grammar reads `1e3` as the number `1` followed by a name `e3`, without an error (it only
 * knows exponents after a decimal point). That silently changes the meaning of what follows,
 * so it is reported where it occurs instead.
 */
function checkExponents(root: Node, text: string, file: string, into: ScopeDiagnostic[]): void {
  const visit = (node: Node): void => {
    if (node.type === 'numeric_lit') {
      const exponent = /^[eE][+-]?\d+/.exec(text.slice(node.endIndex, node.endIndex + 12))?.[0];
      if (exponent)
        into.push({
          kind: 'parse-error',
          message: `number ${node.text}${exponent} not read: write it with a decimal point (${node.text}.0${exponent})`,
          range: lineRange(file, node.startPosition.row + 1),
        });
      return;
    }
    for (const c of children(node)) visit(c);
  };
  visit(root);
}

function parseText(p: Parser, text: string): Node {
  const tree = p.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree.rootNode;
}

function topItems(root: Node): readonly Node[] {
  const body = children(root).find((c) => c.type === 'body');
  return body ? children(body) : [];
}

/** Offsets where a top-level block or attribute starts: a name at the start of a line. */
function topLevelChunks(text: string): [number, number][] {
  const starts: number[] = [];
  const re = /^[A-Za-z_][\w-]*(?![\w-])(?=[ \t]*(?:"|\{|=|[A-Za-z_]))/gm;
  // A heredoc's lines may look like top-level items (`Name = "x"` at column 1): not a start.
  const heredocs: [number, number][] = [];
  const doc = /<<-?([A-Za-z_][\w-]*)[ \t]*\n[\s\S]*?^[ \t]*\1[ \t]*$/gm;
  for (let m = doc.exec(text); m; m = doc.exec(text))
    heredocs.push([m.index, m.index + m[0].length]);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = m.index;
    if (!heredocs.some(([from, to]) => at > from && at < to)) starts.push(at);
  }
  if (starts[0] !== 0) starts.unshift(0);
  return starts.map((s, i) => [s, starts[i + 1] ?? text.length]);
}

function blankOutside(text: string, start: number, end: number): string {
  const blank = (s: string): string => s.replace(/[^\n]/g, ' ');
  return blank(text.slice(0, start)) + text.slice(start, end) + blank(text.slice(end));
}

function collectErrors(node: Node, file: string, into: ScopeDiagnostic[]): void {
  if (into.length >= MAX_PARSE_DIAGNOSTICS) return;
  if (node.isMissing) {
    into.push({
      kind: 'parse-error',
      message: /^[\]})"]$/.test(node.type)
        ? `syntax error: missing '${node.type}'`
        : 'syntax error: incomplete expression',
      range: lineRange(file, node.startPosition.row + 1),
    });
    return;
  }
  if (node.isError) {
    into.push({
      kind: 'parse-error',
      message: `syntax error: unexpected ${describe(node)}`,
      range: lineRange(file, node.startPosition.row + 1),
    });
    // One diagnostic per ERROR node: its inside is whatever the parser could not place.
    return;
  }
  for (const child of children(node))
    if (child.hasError || child.isMissing) collectErrors(child, file, into);
}

/** The first token the parser could not place, quoted as written (shortened). */
function describe(node: Node): string {
  let first: Node = node;
  while (first.childCount > 0) {
    const next = first.child(0);
    if (!next) break;
    first = next;
  }
  const token = first.text.split('\n')[0] ?? '';
  if (token === '') return 'end of file';
  return `'${token.length > 40 ? `${token.slice(0, 40)}…` : token}'`;
}
