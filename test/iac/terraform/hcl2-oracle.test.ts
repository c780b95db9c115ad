/**
 * Cross-check against an independent HCL implementation: `hcl2-parser` (HashiCorp's own Go
 * parser compiled to JavaScript) is the oracle for every top-level attribute it gives as a plain
 * literal. Our reader must produce the same string/number/boolean for it.
 *
 * Where the two disagree and hcl2-parser is the one that is wrong, the case is listed in
 * ORACLE_WRONG with the reason.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Value } from '../../../src/core/value.js';
import { literalString } from '../../../src/core/value.js';
import { readTerraformModule } from '../../../src/iac/terraform/module.js';
import type { TfBlock } from '../../../src/iac/terraform/types.js';

const require = createRequire(import.meta.url);
const hcl2 = require('hcl2-parser') as { parseToObject: (text: string) => [unknown, unknown] };

const FIXTURES = join(process.cwd(), 'test', 'iac', 'terraform', 'fixtures');
const CORPUS = join(process.cwd(), '..', 'shared', 'corpus', 'files');

/** `file :: block path :: attribute` → why hcl2-parser's value is not the right one. */
const ORACLE_WRONG: Readonly<Record<string, string>> = {};

function tfFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.tf')) out.push(path);
    }
  };
  walk(root);
  return out;
}

type Attrs = Record<string, unknown>;

/** hcl2-parser's output as (block type, labels, attributes) in file order per label path. */
function oracleBlocks(parsed: unknown): { type: string; labels: string[]; attrs: Attrs }[] {
  const out: { type: string; labels: string[]; attrs: Attrs }[] = [];
  if (typeof parsed !== 'object' || parsed === null) return out;
  const depthOf: Record<string, number> = { resource: 2, data: 2 };
  for (const [type, body] of Object.entries(parsed as Record<string, unknown>)) {
    const depth = depthOf[type] ?? (type === 'locals' || type === 'terraform' ? 0 : 1);
    const visit = (node: unknown, labels: string[]): void => {
      if (labels.length === depth) {
        for (const attrs of Array.isArray(node) ? node : [node])
          if (typeof attrs === 'object' && attrs !== null)
            out.push({ type, labels, attrs: attrs as Attrs });
        return;
      }
      if (typeof node !== 'object' || node === null) return;
      for (const [label, inner] of Object.entries(node as Record<string, unknown>))
        visit(inner, [...labels, label]);
    };
    visit(body, []);
  }
  return out;
}

function isPlainLiteral(v: unknown): v is string | number | boolean {
  if (typeof v === 'string') return !v.includes('${') && !v.includes('%{');
  return typeof v === 'number' || typeof v === 'boolean';
}

function ours(value: Value): string | number | boolean | undefined {
  if (value.kind === 'number' || value.kind === 'boolean') return value.value;
  return literalString(value);
}

async function compareFile(
  path: string,
  base: string,
): Promise<{ checked: number; mismatches: string[] }> {
  const text = readFileSync(path, 'utf8');
  const rel = relative(base, path).replace(/\\/g, '/');
  let parsed: unknown;
  try {
    parsed = hcl2.parseToObject(text)[0];
  } catch {
    return { checked: 0, mismatches: [] };
  }
  const module = await readTerraformModule(
    dirname(rel),
    [{ path: rel, text }],
    { readFile: () => Promise.resolve(undefined) },
    {},
  );
  // Blocks per type and labels, first instance only (instances share their literal arguments).
  const byKey = new Map<string, TfBlock[]>();
  const seen = new Set<string>();
  for (const b of module.blocks) {
    const key = `${b.type} ${b.labels.join(' ')}`;
    const instance = `${key}@${b.range.startLine}`;
    if (seen.has(instance)) continue;
    seen.add(instance);
    byKey.set(key, [...(byKey.get(key) ?? []), b]);
  }
  const used = new Map<string, number>();
  let checked = 0;
  const mismatches: string[] = [];
  for (const o of oracleBlocks(parsed)) {
    const key = `${o.type} ${o.labels.join(' ')}`;
    const index = used.get(key) ?? 0;
    used.set(key, index + 1);
    const block = byKey.get(key)?.[index];
    for (const [name, expected] of Object.entries(o.attrs)) {
      if (!isPlainLiteral(expected) || name === 'count' || name === 'for_each') continue;
      if (!block) {
        // Zero instances (`count = 0`): nothing of ours to compare.
        continue;
      }
      const id = `${rel} :: ${key} :: ${name}`;
      if (Object.hasOwn(ORACLE_WRONG, id)) continue;
      checked++;
      const attribute = block.attributes.get(name);
      const actual = attribute ? ours(attribute.value()) : undefined;
      if (actual !== expected)
        mismatches.push(
          `${id}: hcl2-parser ${JSON.stringify(expected)}, ours ${JSON.stringify(actual)}`,
        );
    }
  }
  return { checked, mismatches };
}

describe('hcl2-parser oracle: literal top-level attributes', () => {
  it('every fixture .tf file agrees', async () => {
    let checked = 0;
    const mismatches: string[] = [];
    for (const file of tfFiles(FIXTURES)) {
      const r = await compareFile(file, join(process.cwd()));
      checked += r.checked;
      mismatches.push(...r.mismatches);
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(10);
  });

  it.skipIf(!existsSync(CORPUS))(
    'every corpus .tf file agrees',
    async () => {
      let checked = 0;
      const mismatches: string[] = [];
      const files = tfFiles(CORPUS);
      expect(files.length).toBeGreaterThanOrEqual(40);
      for (const file of files) {
        const r = await compareFile(file, CORPUS);
        checked += r.checked;
        mismatches.push(...r.mismatches);
      }
      expect(mismatches).toEqual([]);
      expect(checked).toBeGreaterThan(300);
    },
    120_000,
  );
});
