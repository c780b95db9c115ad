import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { literalString } from '../../../src/core/value.js';
import { resolveModulePath } from '../../../src/iac/terraform/functions.js';
import { textPartRange } from '../../../src/iac/terraform/text-origin.js';
import { at, attr, evalExpr, memorySource, plain, readModule } from './tf-helpers.js';
import { readTerraformModule } from '../../../src/iac/terraform/module.js';

const LOCALS = [
  'variable "u" {}',
  'locals {',
  '  m = { a = 1, b = 2 }',
  '  l = ["x", "y"]',
  '}',
].join('\n');

describe('functions over known values', () => {
  it.each([
    ['concat(local.l, ["z"])', ['x', 'y', 'z']],
    ['merge(local.m, { b = 3, c = 4 }, null)', { a: 1, b: 3, c: 4 }],
    ['flatten([[1], [2, [3]], []])', [1, 2, 3]],
    ['distinct([1, 1, "a", "a"])', [1, 'a']],
    ['compact(["a", "", null, "b"])', ['a', 'b']],
    ['format("%s-%d %v %q 100%%", "a", 5, true, "q")', 'a-5 true "q" 100%'],
    ['join("-", local.l)', 'x-y'],
    ['split(",", "a,b,,c")', ['a', 'b', '', 'c']],
    ['replace("a.b.c", ".", "/")', 'a/b/c'],
    ['lower("AbC")', 'abc'],
    ['upper("AbC")', 'ABC'],
    ['trimspace("  a b \\n")', 'a b'],
    ['tostring(5)', '5'],
    ['tolist(["a"])', ['a']],
    ['toset(["b", "a", "b"])', ['b', 'a']],
    ['tomap({ k = "v" })', { k: 'v' }],
    ['lookup(local.m, "b", 9)', 2],
    ['lookup(local.m, "c", 9)', 9],
    ['element(local.l, 3)', 'y'],
    ['try(local.m.c, local.m.a)', 1],
    ['can(local.m.c)', false],
    ['can(local.m.a)', true],
    ['coalesce("", null, "z")', 'z'],
    ['length(local.l)', 2],
    ['length("héllo")', 5],
    ['contains(local.l, "y")', true],
    ['contains(local.l, "q")', false],
    ['keys({ b = 1, a = 2 })', ['a', 'b']],
    ['values({ b = 1, a = 2 })', [2, 1]],
    ['zipmap(["a", "b"], [1, 2])', { a: 1, b: 2 }],
    ['jsondecode("{\\"a\\": [1, true, null]}")', { a: [1, true, null] }],
    ['merge([{ a = 1 }, { b = 2 }]...)', { a: 1, b: 2 }],
    ['coalescelist([], local.l)', ['x', 'y']],
    ['slice(local.l, 1, 2)', ['y']],
    ['one(["a"])', 'a'],
    ['reverse(local.l)', ['y', 'x']],
    ['sort(["b", "a"])', ['a', 'b']],
    ['startswith("arn:aws", "arn:")', true],
    ['endswith("a.json", ".yaml")', false],
    ['substr("hello", 1, 3)', 'ell'],
    ['title("hello world-x")', 'Hello World-X'],
    ['chomp("x\\n\\n")', 'x'],
    ['trimprefix("arn:aws:s3", "arn:")', 'aws:s3'],
    ['trimsuffix("a.json", ".json")', 'a'],
    ['basename("a/b.json")', 'b.json'],
    ['dirname("a/b.json")', 'a'],
    ['concat(["a"], var.u...)', { unknown: 'concat(…): expanded argument not known' }],
  ])('%s', async (expr, expected) => {
    expect(plain(await evalExpr(expr, LOCALS))).toEqual(expected);
  });

  it('jsonencode keeps the structure and its ranges', async () => {
    const v = await evalExpr('jsonencode({ Version = "2012-10-17", Statement = [] })');
    expect(v.kind).toBe('map');
    expect(at(v)).toBe('2:18-2:60');
    expect(v.kind === 'map' && at(v.entries[0]!.value)).toBe('2:30-2:42');
  });

  it('partial answers: concat of known lists with symbolic items; unknown arguments otherwise', async () => {
    expect(plain(await evalExpr('concat(local.l, [var.u])', LOCALS))).toEqual([
      'x',
      'y',
      '${var.u}',
    ]);
    expect(plain(await evalExpr('upper(var.u)', LOCALS))).toEqual({
      unknown: 'upper of a value not known',
    });
    expect(plain(await evalExpr('merge(local.m, module.x.tags)', LOCALS))).toEqual({
      unknown: 'module output',
    });
    expect(plain(await evalExpr('frobnicate(1)'))).toEqual({
      unknown: 'function frobnicate not evaluated',
    });
    expect(plain(await evalExpr('replace("a", "/a/", "b")'))).toEqual({
      unknown: 'replace with a regular expression not evaluated',
    });
  });

  it('jsondecode of a heredoc keeps each element at its file line', async () => {
    const v = await evalExpr('jsondecode(<<EOT\n{\n  "Effect": "Deny"\n}\nEOT\n)');
    expect(
      v.kind === 'map' && v.entries.map((e) => [e.key, at({ range: e.keyRange }), at(e.value)]),
    ).toEqual([['Effect', '4:3-4:11', '4:13-4:19']]);
  });
});

describe('file() and templatefile(): repository files only, through the FileSource', () => {
  const extra = {
    'm/policy.json': '{\n  "Version": "2012-10-17"\n}\n',
    'm/tpl/p.json.tpl':
      '{\n  "Resource": "arn:aws:s3:::${bucket}/*",\n  "Actions": [%{ for a in actions }"${a}",%{ endfor }"s3:X"]\n}',
    'shared/common.json': '{}',
  };

  it('reads a file relative to the module and maps its text to its own lines', async () => {
    const v = await evalExpr('file("${path.module}/policy.json")', '', extra);
    expect(literalString(v)).toBe(extra['m/policy.json']);
    expect(at(v)).toBe('2:7-2:41');
    expect(v.kind === 'string' && textPartRange(v, 0, 4, 13)).toEqual({
      file: 'm/policy.json',
      startLine: 2,
      startColumn: 3,
      endLine: 2,
      endColumn: 12,
    });
    expect(plain(await evalExpr('file("policy.json")', '', extra))).toBe(extra['m/policy.json']);
    expect(plain(await evalExpr('file("../shared/common.json")', '', extra))).toBe('{}');
  });

  it('evaluates templatefile with its variables, keeping template lines and references', async () => {
    const v = await evalExpr(
      'templatefile("${path.module}/tpl/p.json.tpl", { bucket = var.u, actions = ["s3:A", "s3:B"] })',
      LOCALS,
      extra,
    );
    expect(plain(v)).toBe(
      '{\n  "Resource": "arn:aws:s3:::${var.u}/*",\n  "Actions": ["s3:A","s3:B","s3:X"]\n}',
    );
    expect(
      v.kind === 'string' && v.parts[0]?.kind === 'text' && textPartRange(v, 0, 4, 14),
    ).toEqual({
      file: 'm/tpl/p.json.tpl',
      startLine: 2,
      startColumn: 3,
      endLine: 2,
      endColumn: 13,
    });
    // The text after the reference: `/*",` and the Actions line, still in the template file.
    expect(v.kind === 'string' && textPartRange(v, 2, 5, 14)).toMatchObject({
      file: 'm/tpl/p.json.tpl',
      startLine: 3,
    });
  });

  it.each([
    ['file("/etc/passwd")', 'file by absolute path not read'],
    ['file("~/.aws/credentials")', 'file by absolute path not read'],
    ['file("../../etc/passwd")', 'file outside the repository not read'],
    ['file("https://example.com/p.json")', 'file outside the repository (URL) not read'],
    ['file("s3://bucket/p.json")', 'file outside the repository (URL) not read'],
    ['file("missing.json")', 'file: m/missing.json not found in the repository'],
    ['templatefile("/etc/passwd", {})', 'file by absolute path not read'],
    ['file(var.u)', 'file of a path not known'],
  ])('refuses %s', async (expr, reason) => {
    const source = memorySource(extra);
    const m = await readTerraformModule(
      'm',
      [{ path: 'm/main.tf', text: `variable "u" {}\nresource "t_r" "x" {\n  x = ${expr}\n}\n` }],
      source,
      {},
    );
    expect(plain(attr(m, 't_r.x', 'x'))).toEqual({ unknown: reason });
    // Only the in-repository path of the missing file was ever asked for.
    expect(source.asked).toEqual(expr.includes('missing') ? ['m/missing.json'] : []);
  });

  it('resolves module paths against the module folder and never above the root', () => {
    expect(resolveModulePath('m', 'm/x.json')).toEqual({ path: 'm/x.json' });
    expect(resolveModulePath('m', './x.json')).toEqual({ path: 'm/x.json' });
    expect(resolveModulePath('', './x.json')).toEqual({ path: 'x.json' });
    expect(resolveModulePath('a/b', '../../x')).toEqual({ path: 'x' });
    expect(resolveModulePath('a/b', '../../../x')).toEqual({
      refused: 'file outside the repository not read',
    });
    expect(resolveModulePath('m', 'C:\\\\x')).toEqual({
      refused: 'file outside the repository (URL) not read',
    });
  });

  it('reads files only through the FileSource: no fs, network or process module in the reader', () => {
    const dir = join(process.cwd(), 'src', 'iac', 'terraform');
    const mine = ['parse.ts', 'module.ts', 'expressions.ts', 'functions.ts', 'text-origin.ts'];
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(mine));
    for (const file of mine) {
      const text = readFileSync(join(dir, file), 'utf8');
      const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      for (const name of imports) {
        expect(name, `${file} imports ${name}`).toMatch(
          /^(\.|node:path$|node:module$|web-tree-sitter$)/,
        );
      }
      expect(text, file).not.toMatch(
        /\bfetch\(|\bprocess\.env\b|\brequire\(['"](fs|http|https|child_process)/,
      );
    }
  });

  it('stops reading files beyond the per-module budget', async () => {
    const files: Record<string, string> = {};
    const lines: string[] = [];
    for (let i = 0; i < 150; i++) {
      files[`m/f${i}.txt`] = `v${i}`;
      lines.push(`  a${i} = file("f${i}.txt")`);
    }
    const source = memorySource(files);
    const m = await readTerraformModule(
      'm',
      [{ path: 'm/main.tf', text: `resource "t_r" "x" {\n${lines.join('\n')}\n}\n` }],
      source,
      {},
    );
    expect(source.asked.length).toBe(100);
    expect(plain(attr(m, 't_r.x', 'a0'))).toBe('v0');
    expect(plain(attr(m, 't_r.x', 'a149'))).toEqual({
      unknown: 'file: m/f149.txt not found in the repository',
    });
  });
});

describe('hostile input ends fast', () => {
  it('deep nesting, exponential strings, chains of locals and huge for expressions', async () => {
    const started = Date.now();
    const deep = `${'['.repeat(500)}1${']'.repeat(500)}`;
    const doubling = Array.from({ length: 40 }, (_, i) =>
      i === 0 ? '  s0 = "xxxxxxxxxxxxxxxx"' : `  s${i} = "\${local.s${i - 1}}\${local.s${i - 1}}"`,
    );
    const chain = Array.from({ length: 3000 }, (_, i) => `  c${i} = local.c${i + 1}`);
    const items = Array.from({ length: 2000 }, (_, i) => `"${i}"`).join(', ');
    const m = await readModule({
      'main.tf': [
        'locals {',
        ...doubling,
        ...chain,
        '  c3000 = "end"',
        `  big = [${items}]`,
        '}',
        'resource "t_r" "x" {',
        `  deep    = ${deep}`,
        '  doubled = local.s39',
        '  chained = local.c0',
        '  product = [for a in local.big : [for b in local.big : "${a}${b}"]]',
        '}',
      ].join('\n'),
    });
    expect(attr(m, 't_r.x', 'deep').kind).toBe('list');
    expect(plain(attr(m, 't_r.x', 'doubled'))).toEqual({ unknown: 'string too large' });
    expect(plain(attr(m, 't_r.x', 'chained'))).toEqual({ unknown: 'references nested too deeply' });
    expect(attr(m, 't_r.x', 'product').kind).toBe('unknown');
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
