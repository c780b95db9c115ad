/**
 * Terraform's built-in functions that matter for policies, over `Value`s. A function whose
 * arguments are not all known gives `unknown` — except where its meaning allows a partial
 * answer (`concat` and `merge` of known structures holding symbolic items). A function not
 * listed here is `unknown('function X not evaluated')`: never guessed.
 */
import { posix } from 'node:path';
import type { Node } from 'web-tree-sitter';
import type { SourceRange } from '../../core/range.js';
import type { MapEntry, Value } from '../../core/value.js';
import { literalString, unknown } from '../../core/value.js';
import { parseJsonValue } from '../json-value.js';
import { sourceText } from '../source-text.js';
import type { Env } from './expressions.js';
import {
  MAX_ITEMS,
  MAX_STRING,
  errorValue,
  evaluate,
  isError,
  valuesEqual,
} from './expressions.js';
import { children, loadedParser, parseHclWith } from './parse.js';
import { buildString, piecesOf, textPartRange } from './text-origin.js';

type Fn = (args: readonly Value[], range: SourceRange, env: Env) => Value;

const str = (s: string, range: SourceRange): Value =>
  buildString([{ kind: 'text', text: s }], range);

/** The first argument that is not a known value of the expected shape, as the call's result. */
function blocker(args: readonly Value[], range: SourceRange): Value | undefined {
  for (const a of args) {
    if (a.kind === 'unknown') return isError(a) ? a : unknown(a.reason, range);
    if (a.kind === 'conditional') return unknown(`depends on ${a.condition}`, range);
  }
  return undefined;
}

function known(v: Value): boolean {
  switch (v.kind) {
    case 'string':
      return literalString(v) !== undefined;
    case 'number':
    case 'boolean':
    case 'absent':
    case 'null':
      return true;
    case 'list':
      return v.items.every(known);
    case 'map':
      return v.entries.every((e) => known(e.value));
    default:
      return false;
  }
}

function scalarText(v: Value): string | undefined {
  if (v.kind === 'number' || v.kind === 'boolean') return String(v.value);
  return literalString(v);
}

/** String functions: every argument a known scalar, else unknown. */
function stringFn(
  name: string,
  arity: number,
  f: (s: string[], range: SourceRange) => string | Value,
): Fn {
  return (args, range) => {
    const b = blocker(args, range);
    if (b) return b;
    if (args.length < arity) return errorValue(`${name} needs ${arity} arguments`, range);
    const texts = args.map(scalarText);
    if (texts.some((t) => t === undefined)) return unknown(`${name} of a value not known`, range);
    const out = f(texts as string[], range);
    if (typeof out !== 'string') return out;
    if (out.length > MAX_STRING) return unknown('string too large', range);
    return str(out, range);
  };
}

function listOf(v: Value | undefined): readonly Value[] | undefined {
  return v?.kind === 'list' ? v.items : undefined;
}

function distinctValues(items: readonly Value[]): Value[] | undefined {
  const out: Value[] = [];
  for (const item of items) {
    let dup = false;
    for (const seen of out) {
      const eq = valuesEqual(seen, item);
      if (eq === undefined) return undefined;
      if (eq) dup = true;
    }
    if (!dup) out.push(item);
  }
  return out;
}

function flatten(items: readonly Value[], into: Value[]): boolean {
  for (const item of items) {
    if (item.kind === 'list') {
      if (!flatten(item.items, into)) return false;
    } else if (item.kind === 'unknown' || item.kind === 'conditional') return false;
    else into.push(item);
    if (into.length > MAX_ITEMS) return false;
  }
  return true;
}

/** `${path.module}/x.json` or `x.json` → a root-relative path, or why it is refused. */
export function resolveModulePath(
  dir: string,
  path: string,
): { path: string } | { refused: string } {
  const p = path.trim().replace(/\\/g, '/');
  if (/^[a-z][a-z0-9+.-]*:/i.test(p))
    return { refused: 'file outside the repository (URL) not read' };
  if (p.startsWith('/') || p.startsWith('~')) return { refused: 'file by absolute path not read' };
  if (p === '' || p.includes('\0')) return { refused: 'file without a path' };
  // path.module evaluates to the module folder relative to the scan root; Terraform resolves
  // other relative paths against the root module's folder, which is the module folder here.
  const base = dir === '' || dir === '.' ? '' : dir;
  const rel =
    base !== '' && (p === base || p.startsWith(`${base}/`)) ? p : posix.join(base || '.', p);
  const joined = posix.normalize(rel);
  if (joined === '..' || joined.startsWith('../') || posix.isAbsolute(joined))
    return { refused: 'file outside the repository not read' };
  return { path: joined };
}

function readText(
  args: readonly Value[],
  range: SourceRange,
  env: Env,
  fn: string,
): Value | { path: string; text: string } {
  const [pathArg] = args;
  if (!pathArg) return errorValue(`${fn} needs a path`, range);
  const b = blocker([pathArg], range);
  if (b) return b;
  const p = literalString(pathArg);
  if (p === undefined) return unknown(`${fn} of a path not known`, range);
  const target = resolveModulePath(env.module.dir, p);
  if ('refused' in target) return unknown(target.refused, range);
  const text = env.module.fileText(target.path);
  if (text === undefined) return unknown(`${fn}: ${target.path} not read`, range);
  if (text === null) return unknown(`${fn}: ${target.path} not found in the repository`, range);
  return { path: target.path, text };
}

/** A template file's text evaluated as a heredoc body, with `vars` as its only names. */
function templateFile(args: readonly Value[], range: SourceRange, env: Env): Value {
  const read = readText(args, range, env, 'templatefile');
  if (!('text' in read)) return read;
  const vars = args[1];
  if (!vars || vars.kind !== 'map') return unknown('templatefile variables not known', range);
  const parser = loadedParser();
  if (!parser) return unknown('templatefile: parser not loaded', range);
  // Wrapping the file in a heredoc lets the HCL grammar parse it as a template; the marker is
  // chosen so that no line of the file can close the heredoc early.
  let marker = 'TFTEMPLATEEND';
  while (read.text.includes(marker)) marker += 'X';
  const wrapped = `x = <<${marker}\n${read.text}${read.text.endsWith('\n') ? '' : '\n'}${marker}\n`;
  const { root, diagnostics } = parseHclWith(parser, read.path, wrapped);
  if (diagnostics.length > 0)
    return unknown(`templatefile: ${read.path} is not a valid template`, range);
  const heredoc = findFirst(root, 'heredoc_template');
  if (!heredoc) return unknown(`templatefile: ${read.path} not evaluated`, range);
  const bindings = new Map<string, Value>();
  for (const e of vars.entries) bindings.set(e.key, e.value);
  const value = evaluate(heredoc, {
    module: env.module,
    file: { src: sourceText(read.path, wrapped), lineDelta: -1 },
    bindings,
    depth: env.depth + 1,
  });
  if (value.kind !== 'string') return value;
  // The wrapper adds a final newline only when the file had none.
  const pieces = piecesOf(value);
  if (!read.text.endsWith('\n')) {
    const last = pieces[pieces.length - 1];
    if (last?.kind === 'text' && last.text.endsWith('\n'))
      pieces[pieces.length - 1] = { ...last, text: last.text.slice(0, -1) };
  }
  return buildString(pieces, range);
}

function findFirst(node: Node, type: string): Node | undefined {
  if (node.type === type) return node;
  for (const c of children(node)) {
    const found = findFirst(c, type);
    if (found) return found;
  }
  return undefined;
}

/** `jsondecode` of a string whose text is known, with positions when it came from the source. */
function jsonDecode(args: readonly Value[], range: SourceRange): Value {
  const [s] = args;
  if (!s) return errorValue('jsondecode needs an argument', range);
  const b = blocker([s], range);
  if (b) return b;
  const t = literalString(s);
  if (s.kind !== 'string' || t === undefined)
    return unknown('jsondecode of a string not known', range);
  const result = parseJsonValue(t, [], (start, end) => textPartRange(s, 0, start, end) ?? range);
  return result.ok ? result.value : errorValue(result.message, range);
}

/** `jsonencode(x)` keeps `x` as a structure, so policies keep the ranges they were written at. */
const jsonencode: Fn = (args, range) =>
  args[0] ?? errorValue('jsonencode needs an argument', range);

const FUNCTIONS: Readonly<Record<string, Fn>> = {
  jsonencode,
  jsondecode: jsonDecode,
  tostring: (args, range) => {
    const [v] = args;
    if (!v) return errorValue('tostring needs an argument', range);
    if (v.kind === 'number' || v.kind === 'boolean') return str(String(v.value), range);
    if (v.kind === 'list' || v.kind === 'map') return errorValue('tostring of a structure', range);
    return v;
  },
  tolist: (args, range) => args[0] ?? errorValue('tolist needs an argument', range),
  toset: (args, range) => {
    const [v] = args;
    if (!v) return errorValue('toset needs an argument', range);
    if (v.kind !== 'list') return v;
    const d = distinctValues(v.items);
    return d ? { ...v, items: d } : unknown('toset of values not known', range);
  },
  tomap: (args, range) => args[0] ?? errorValue('tomap needs an argument', range),
  concat: (args, range) => {
    const items: Value[] = [];
    for (const a of args) {
      if (a.kind !== 'list')
        return a.kind === 'unknown'
          ? unknown(a.reason, range)
          : unknown('concat of a value not known', range);
      items.push(...a.items);
      if (items.length > MAX_ITEMS) return unknown('list too large', range);
    }
    return { kind: 'list', items, range };
  },
  merge: (args, range) => {
    const entries: MapEntry[] = [];
    for (const a of args) {
      if (a.kind === 'absent' || a.kind === 'null') continue;
      if (a.kind !== 'map')
        return a.kind === 'unknown'
          ? unknown(a.reason, range)
          : unknown('merge of a value not known', range);
      for (const e of a.entries) {
        const at = entries.findIndex((x) => x.key === e.key);
        if (at >= 0) entries[at] = e;
        else entries.push(e);
      }
    }
    return { kind: 'map', entries, range };
  },
  flatten: (args, range) => {
    const list = listOf(args[0]);
    if (!list) return blocker(args, range) ?? unknown('flatten of a value not known', range);
    const out: Value[] = [];
    return flatten(list, out)
      ? { kind: 'list', items: out, range }
      : unknown('flatten of values not known', range);
  },
  distinct: (args, range) => {
    const list = listOf(args[0]);
    if (!list) return blocker(args, range) ?? unknown('distinct of a value not known', range);
    const d = distinctValues(list);
    return d ? { kind: 'list', items: d, range } : unknown('distinct of values not known', range);
  },
  compact: (args, range) => {
    const list = listOf(args[0]);
    if (!list) return blocker(args, range) ?? unknown('compact of a value not known', range);
    const out: Value[] = [];
    for (const item of list) {
      if (item.kind === 'absent' || item.kind === 'null') continue;
      if (item.kind === 'string' && item.parts.length === 0) continue;
      if (item.kind === 'unknown' || item.kind === 'conditional')
        return unknown('compact of values not known', range);
      out.push(item);
    }
    return { kind: 'list', items: out, range };
  },
  length: (args, range) => {
    const [v] = args;
    if (!v) return errorValue('length needs an argument', range);
    if (v.kind === 'list') return { kind: 'number', value: v.items.length, range };
    if (v.kind === 'map') return { kind: 'number', value: v.entries.length, range };
    const s = literalString(v);
    if (s !== undefined) return { kind: 'number', value: [...s].length, range };
    return blocker(args, range) ?? unknown('length of a value not known', range);
  },
  contains: (args, range) => {
    const list = listOf(args[0]);
    const needle = args[1];
    if (!list || !needle)
      return blocker(args, range) ?? unknown('contains of a value not known', range);
    let undecided = false;
    for (const item of list) {
      const eq = valuesEqual(item, needle);
      if (eq === true) return { kind: 'boolean', value: true, range };
      if (eq === undefined) undecided = true;
    }
    return undecided
      ? unknown('contains of values not known', range)
      : { kind: 'boolean', value: false, range };
  },
  keys: (args, range) => {
    const [m] = args;
    if (m?.kind !== 'map')
      return blocker(args, range) ?? unknown('keys of a value not known', range);
    const sorted = [...m.entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { kind: 'list', items: sorted.map((e) => str(e.key, e.keyRange)), range };
  },
  values: (args, range) => {
    const [m] = args;
    if (m?.kind !== 'map')
      return blocker(args, range) ?? unknown('values of a value not known', range);
    const sorted = [...m.entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { kind: 'list', items: sorted.map((e) => e.value), range };
  },
  zipmap: (args, range) => {
    const ks = listOf(args[0]);
    const vs = listOf(args[1]);
    if (!ks || !vs) return blocker(args, range) ?? unknown('zipmap of values not known', range);
    if (ks.length !== vs.length) return errorValue('zipmap of lists of different lengths', range);
    const entries: MapEntry[] = [];
    for (let i = 0; i < ks.length; i++) {
      const k = ks[i];
      const key = k ? scalarText(k) : undefined;
      const v = vs[i];
      if (key === undefined || !k || !v) return unknown('zipmap key not known', range);
      entries.push({ key, keyRange: k.range, value: v });
    }
    return { kind: 'map', entries, range };
  },
  lookup: (args, range) => {
    const [m, k, fallback] = args;
    if (!m || !k) return errorValue('lookup needs a map and a key', range);
    const key = scalarText(k);
    if (m.kind !== 'map' || key === undefined)
      return blocker(args.slice(0, 2), range) ?? unknown('lookup of a value not known', range);
    const entry = m.entries.find((e) => e.key === key);
    if (entry) return entry.value;
    return fallback ?? errorValue(`lookup: no key ${key}`, range);
  },
  element: (args, range) => {
    const list = listOf(args[0]);
    const i = args[1];
    if (!list || i?.kind !== 'number')
      return blocker(args, range) ?? unknown('element of a value not known', range);
    if (list.length === 0) return errorValue('element of an empty list', range);
    const index = ((Math.floor(i.value) % list.length) + list.length) % list.length;
    return list[index] ?? errorValue('element out of range', range);
  },
  coalesce: (args, range) => {
    for (const a of args) {
      if (a.kind === 'absent' || a.kind === 'null') continue;
      if (a.kind === 'string' && a.parts.length === 0) continue;
      if (a.kind === 'unknown' || a.kind === 'conditional')
        return unknown('coalesce of values not known', range);
      return a;
    }
    return errorValue('coalesce: no non-empty argument', range);
  },
  join: (args, range) => {
    const [sep, list] = args;
    const s = sep ? scalarText(sep) : undefined;
    if (s === undefined || !list || list.kind !== 'list')
      return blocker(args, range) ?? unknown('join of values not known', range);
    // `join("", data.x.y.*.json)`: the pre-`one()` idiom for an optional policy document. A
    // lone structured item (a jsonencode'd value or a policy document) is its own JSON text.
    const [lone] = list.items;
    if (list.items.length === 1 && (lone?.kind === 'map' || lone?.kind === 'list')) return lone;
    const pieces = [];
    for (let i = 0; i < list.items.length; i++) {
      const item = list.items[i];
      if (i > 0) pieces.push({ kind: 'text' as const, text: s });
      if (item?.kind === 'string') pieces.push(...piecesOf(item));
      else if (item && (item.kind === 'number' || item.kind === 'boolean'))
        pieces.push({ kind: 'text' as const, text: String(item.value) });
      else return unknown('join of values not known', range);
    }
    return buildString(pieces, range);
  },
  split: (args, range) => {
    const b = blocker(args, range);
    if (b) return b;
    const sep = args[0] ? scalarText(args[0]) : undefined;
    const s = args[1] ? scalarText(args[1]) : undefined;
    if (sep === undefined || s === undefined) return unknown('split of a value not known', range);
    const parts = s.split(sep);
    if (parts.length > MAX_ITEMS) return unknown('list too large', range);
    return { kind: 'list', items: parts.map((p) => str(p, range)), range };
  },
  format: stringFn('format', 1, ([spec, ...rest]) => formatString(spec ?? '', rest)),
  replace: stringFn('replace', 3, ([s, from, to]) => {
    const [text, search, replacement] = [s ?? '', from ?? '', to ?? ''];
    const re = /^\/(.*)\/$/s.exec(search);
    // Regular expressions from a module could be catastrophic: only plain substrings are replaced.
    if (re)
      return unknown('replace with a regular expression not evaluated', {
        file: '',
        startLine: 1,
        startColumn: 1,
        endLine: 1,
        endColumn: 1,
      });
    return search === '' ? text : text.split(search).join(replacement);
  }),
  lower: stringFn('lower', 1, ([s]) => (s ?? '').toLowerCase()),
  upper: stringFn('upper', 1, ([s]) => (s ?? '').toUpperCase()),
  trimspace: stringFn('trimspace', 1, ([s]) => (s ?? '').trim()),
  file: (args, range, env) => {
    const read = readText(args, range, env, 'file');
    if (!('text' in read)) return read;
    if (read.text.length > MAX_STRING) return unknown('file too large', range);
    const src = sourceText(read.path, read.text);
    return buildString(
      [
        {
          kind: 'text',
          text: read.text,
          origin: {
            runs: [{ valueStart: 0, srcStart: 0, length: read.text.length, src, lineDelta: 0 }],
          },
        },
      ],
      range,
    );
  },
  templatefile: templateFile,
  coalescelist: (args, range) => {
    for (const a of args) {
      if (a.kind !== 'list')
        return blocker([a], range) ?? unknown('coalescelist of values not known', range);
      if (a.items.length > 0) return a;
    }
    return errorValue('coalescelist: no non-empty list', range);
  },
  slice: (args, range) => {
    const list = listOf(args[0]);
    const [from, to] = [args[1], args[2]];
    if (!list || from?.kind !== 'number' || to?.kind !== 'number')
      return blocker(args, range) ?? unknown('slice of values not known', range);
    if (from.value < 0 || to.value > list.length || from.value > to.value)
      return errorValue('slice out of range', range);
    return { kind: 'list', items: list.slice(from.value, to.value), range };
  },
  one: (args, range) => {
    const list = listOf(args[0]);
    if (!list) return blocker(args, range) ?? unknown('one of a value not known', range);
    if (list.length > 1) return errorValue('one: more than one element', range);
    return list[0] ?? { kind: 'absent', range };
  },
  reverse: (args, range) => {
    const list = listOf(args[0]);
    if (!list) return blocker(args, range) ?? unknown('reverse of a value not known', range);
    return { kind: 'list', items: [...list].reverse(), range };
  },
  sort: (args, range) => {
    const list = listOf(args[0]);
    const texts = list?.map(scalarText);
    if (!list || !texts || texts.some((t) => t === undefined))
      return blocker(args, range) ?? unknown('sort of values not known', range);
    return { kind: 'list', items: (texts as string[]).sort().map((t) => str(t, range)), range };
  },
  startswith: stringFn('startswith', 2, ([s, p], range) => ({
    kind: 'boolean',
    value: (s ?? '').startsWith(p ?? ''),
    range,
  })),
  endswith: stringFn('endswith', 2, ([s, p], range) => ({
    kind: 'boolean',
    value: (s ?? '').endsWith(p ?? ''),
    range,
  })),
  substr: stringFn('substr', 3, ([s, o, l]) => {
    const chars = [...(s ?? '')];
    const offset = Number(o);
    const length = Number(l);
    const start = offset < 0 ? chars.length + offset : offset;
    return chars.slice(start, length < 0 ? undefined : start + length).join('');
  }),
  title: stringFn('title', 1, ([s]) =>
    (s ?? '').replace(
      /(^|[^\p{L}\p{N}])(\p{L})/gu,
      (_, a: string, b: string) => a + b.toUpperCase(),
    ),
  ),
  chomp: stringFn('chomp', 1, ([s]) => (s ?? '').replace(/(\r?\n)+$/, '')),
  trimprefix: stringFn('trimprefix', 2, ([s, p]) =>
    (s ?? '').startsWith(p ?? '') ? (s ?? '').slice((p ?? '').length) : (s ?? ''),
  ),
  trimsuffix: stringFn('trimsuffix', 2, ([s, p]) =>
    p && (s ?? '').endsWith(p) ? (s ?? '').slice(0, (s ?? '').length - p.length) : (s ?? ''),
  ),
  basename: stringFn('basename', 1, ([s]) => posix.basename(s ?? '')),
  dirname: stringFn('dirname', 1, ([s]) => posix.dirname(s ?? '')),
};

/** `format` with the verbs policies use: %s %d %v %q %%; anything else is not evaluated. */
function formatString(spec: string, args: readonly string[]): string | Value {
  let i = 0;
  let out = '';
  for (let at = 0; at < spec.length; at++) {
    const ch = spec[at];
    if (ch !== '%') {
      out += ch;
      continue;
    }
    const verb = spec[++at];
    if (verb === '%') out += '%';
    else if (verb === 's' || verb === 'd' || verb === 'v') out += args[i++] ?? '';
    else if (verb === 'q') out += JSON.stringify(args[i++] ?? '');
    else
      return unknown(`format verb %${verb ?? ''} not evaluated`, {
        file: '',
        startLine: 1,
        startColumn: 1,
        endLine: 1,
        endColumn: 1,
      });
  }
  return out;
}

export function callFunction(
  name: string,
  args: readonly Value[],
  range: SourceRange,
  env: Env,
): Value {
  const fn = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (!fn) return unknown(`function ${name} not evaluated`, range);
  const result = fn(args, range, env);
  // Functions that return unknown for an internal reason report it at the call.
  return result.kind === 'unknown' && result.range.file === ''
    ? unknown(result.reason, range)
    : result;
}

export { known as isKnownValue };
