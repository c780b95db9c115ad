import type { Value } from '../../../src/core/value.js';
import type { TfModule } from '../../../src/iac/terraform/module.js';
import { readTerraformModule } from '../../../src/iac/terraform/module.js';
import type { DataSourceResolver, TfBlock } from '../../../src/iac/terraform/types.js';
import type { FileSource } from '../../../src/source/file-source.js';

/** A FileSource over an in-memory map that records every path asked for. */
export function memorySource(files: Record<string, string>): FileSource & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    readFile: async (path: string) => {
      asked.push(path);
      return Object.hasOwn(files, path) ? files[path] : undefined;
    },
  };
}

export async function readModule(
  files: Record<string, string>,
  options: {
    dir?: string;
    extra?: Record<string, string>;
    resolvers?: Record<string, DataSourceResolver>;
  } = {},
): Promise<TfModule> {
  const dir = options.dir ?? 'm';
  const list = Object.entries(files).map(([name, text]) => ({ path: `${dir}/${name}`, text }));
  return readTerraformModule(dir, list, memorySource(options.extra ?? {}), options.resolvers ?? {});
}

export function block(module: TfModule, address: string): TfBlock {
  const found = module.blocks.find((b) => b.address === address);
  if (!found)
    throw new Error(`no block ${address}: ${module.blocks.map((b) => b.address).join(', ')}`);
  return found;
}

export function attr(module: TfModule, address: string, name: string): Value {
  const a = block(module, address).attributes.get(name);
  if (!a) throw new Error(`no attribute ${name} on ${address}`);
  return a.value();
}

/** `line:col-line:col` of a value's range, for compact exact assertions. */
export function at(value: {
  range: { startLine: number; startColumn: number; endLine: number; endColumn: number };
}): string {
  const r = value.range;
  return `${r.startLine}:${r.startColumn}-${r.endLine}:${r.endColumn}`;
}

/** Evaluates `expr` as the attribute `x` of a local-free resource, with optional extra config. */
export async function evalExpr(
  expr: string,
  config = '',
  extra: Record<string, string> = {},
): Promise<Value> {
  const module = await readModule(
    { 'main.tf': `resource "t_r" "x" {\n  x = ${expr}\n}\n${config}` },
    { extra },
  );
  return attr(module, 't_r.x', 'x');
}

/** Plain JS of a fully known value (refs rendered `${display}`), for readable assertions. */
export function plain(value: Value): unknown {
  switch (value.kind) {
    case 'string':
      return value.parts.map((p) => (p.kind === 'text' ? p.text : `\${${p.ref.display}}`)).join('');
    case 'number':
    case 'boolean':
      return value.value;
    case 'null':
    case 'absent':
      return null;
    case 'list':
      return value.items.map(plain);
    case 'map':
      return Object.fromEntries(value.entries.map((e) => [e.key, plain(e.value)]));
    case 'conditional':
      return { if: value.condition, then: plain(value.whenTrue), else: plain(value.whenFalse) };
    case 'unknown':
      return { unknown: value.reason };
  }
}
