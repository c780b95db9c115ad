import { describe, expect, it } from 'vitest';
import { literalString, soleRef } from '../../../src/core/value.js';
import { textPartRange } from '../../../src/iac/terraform/text-origin.js';
import { at, evalExpr, plain } from './tf-helpers.js';

// Every expression is written as `x = <expr>` on line 2 of m/main.tf, starting at column 7.
const LOCALS = [
  'variable "u" {}',
  'locals {',
  '  m    = { a = 1, b = 2 }',
  '  l    = ["x", "y"]',
  '  objs = [{ id = "i1" }, { id = "i2" }]',
  '}',
].join('\n');

describe('expressions: literals and collections', () => {
  it.each([
    ['"text"', 'text', '2:7-2:13'],
    ['42', 42, '2:7-2:9'],
    ['1.5e2', 150, '2:7-2:12'],
    ['true', true, '2:7-2:11'],
    ['null', null, '2:7-2:11'],
    ['"a\\"b\\\\c\\n\\u0041"', 'a"b\\c\nA', '2:7-2:24'],
    ['"$${not} %%{x}"', '${not} %{x}', '2:7-2:22'],
    ['[1, "two", false]', [1, 'two', false], '2:7-2:24'],
    ['{ a = 1, "b-c" = 2, d : 3 }', { a: 1, 'b-c': 2, d: 3 }, '2:7-2:34'],
    // Parentheses give the inner value, at its own range.
    ['(5)', 5, '2:8-2:9'],
  ])('%s', async (expr, expected, range) => {
    const v = await evalExpr(expr, LOCALS);
    expect(plain(v)).toEqual(expected);
    expect(at(v)).toBe(range);
  });

  it('keeps each item and key at its own range', async () => {
    const v = await evalExpr('{ a = [1, "s"] }');
    expect(v.kind).toBe('map');
    if (v.kind !== 'map') return;
    const [entry] = v.entries;
    expect(entry && at({ range: entry.keyRange })).toBe('2:9-2:10');
    expect(entry?.value.kind === 'list' && entry.value.items.map(at)).toEqual([
      '2:14-2:15',
      '2:17-2:20',
    ]);
  });

  it('null is an absent value (the argument is unset)', async () => {
    expect((await evalExpr('null')).kind).toBe('absent');
  });
});

describe('expressions: templates and heredocs', () => {
  it('interpolates known values and keeps references symbolic', async () => {
    expect(plain(await evalExpr('"a${1 + 2}b"'))).toBe('a3b');
    const v = await evalExpr('"arn:aws:s3:::${var.u}/*"', LOCALS);
    expect(v.kind === 'string' && v.parts).toEqual([
      { kind: 'text', text: 'arn:aws:s3:::' },
      {
        kind: 'ref',
        ref: { id: 'param:u', target: { kind: 'parameter', name: 'u' }, display: 'var.u' },
      },
      { kind: 'text', text: '/*' },
    ]);
  });

  it('splits a string on a conditional interpolation into a conditional of two strings', async () => {
    const v = await evalExpr('"arn:${var.u ? "aws-us-gov" : "aws"}:s3:::b"', LOCALS);
    expect(plain(v)).toEqual({
      if: 'var.u',
      then: 'arn:aws-us-gov:s3:::b',
      else: 'arn:aws:s3:::b',
    });
    expect(at(v)).toBe('2:7-2:51');
  });

  it('makes a structure inside a string unknown', async () => {
    expect(plain(await evalExpr('"x${local.l}"', LOCALS))).toEqual({
      unknown: 'structured value in a string template',
    });
  });

  it('evaluates %{ if } and %{ for } directives', async () => {
    expect(plain(await evalExpr('"%{ if true }yes%{ else }no%{ endif }!"'))).toBe('yes!');
    expect(plain(await evalExpr('"%{ if false }yes%{ else }no%{ endif }!"'))).toBe('no!');
    expect(plain(await evalExpr('"%{ for x in local.l }${x},%{ endfor }"', LOCALS))).toBe('x,y,');
    expect(plain(await evalExpr('"%{ if var.u }a%{ endif }"', LOCALS))).toEqual({
      unknown: 'template if on var.u',
    });
  });

  it('reads a heredoc with its lines mapped to the file', async () => {
    const v = await evalExpr('<<EOT\n{\n  "Sid": "${local.l[1]}"\n}\nEOT', LOCALS);
    expect(literalString(v)).toBe('{\n  "Sid": "y"\n}\n');
    expect(at(v)).toBe('2:7-6:4');
    // `"Sid"` starts at index 4 of the text: line 4, column 3 of the file.
    expect(v.kind === 'string' && textPartRange(v, 0, 4, 9)).toEqual({
      file: 'm/main.tf',
      startLine: 4,
      startColumn: 3,
      endLine: 4,
      endColumn: 8,
    });
    // The interpolated "y" maps to where it was written: local.l on line 11 of the file.
    expect(v.kind === 'string' && textPartRange(v, 0, 12, 13)).toMatchObject({ startLine: 11 });
  });

  it('strips the common indentation of a <<- heredoc and keeps columns exact', async () => {
    const v = await evalExpr('<<-EOT\n    {\n      "a": 1\n    }\n  EOT');
    expect(literalString(v)).toBe('{\n  "a": 1\n}\n');
    // `"a"` (index 4) is at line 4, column 7 of the file.
    expect(v.kind === 'string' && textPartRange(v, 0, 4, 7)).toEqual({
      file: 'm/main.tf',
      startLine: 4,
      startColumn: 7,
      endLine: 4,
      endColumn: 10,
    });
  });

  it('maps escapes in quoted strings to the escape in the source', async () => {
    const v = await evalExpr('"a\\nb"');
    expect(literalString(v)).toBe('a\nb');
    expect(v.kind === 'string' && textPartRange(v, 0, 2, 3)).toMatchObject({
      startLine: 2,
      startColumn: 11,
    });
  });
});

describe('expressions: references', () => {
  it('resource attributes are symbolic; an unknown instance uses the un-indexed address', async () => {
    expect(soleRef(await evalExpr('aws_vpc_endpoint.s3.arn'))).toEqual({
      id: 'aws_vpc_endpoint.s3#arn',
      target: { kind: 'resource', address: 'aws_vpc_endpoint.s3', attribute: 'arn' },
      display: 'aws_vpc_endpoint.s3.arn',
    });
    expect(soleRef(await evalExpr('aws_vpc.this[0].cidr_block'))?.id).toBe(
      'aws_vpc.this[0]#cidr_block',
    );
    expect(soleRef(await evalExpr('aws_vpc.this[var.u].id', LOCALS))?.id).toBe('aws_vpc.this#id');
    expect(at(await evalExpr('aws_vpc.this[0].id'))).toBe('2:7-2:25');
  });

  it('splats over resource instances give one reference per known instance', async () => {
    const config = [
      'resource "aws_route_table" "private" {',
      '  count = 2',
      '}',
      'resource "aws_route_table" "one" {}',
      'resource "aws_route_table" "many" {',
      '  count = length(var.u)',
      '}',
      'variable "u" {}',
    ].join('\n');
    expect(plain(await evalExpr('aws_route_table.private[*].id', config))).toEqual([
      '${aws_route_table.private[0].id}',
      '${aws_route_table.private[1].id}',
    ]);
    expect(plain(await evalExpr('aws_route_table.one.*.id', config))).toEqual([
      '${aws_route_table.one.id}',
    ]);
    expect(plain(await evalExpr('aws_route_table.private.*.id[1]', config))).toBe(
      '${aws_route_table.private[1].id}',
    );
    expect(plain(await evalExpr('aws_route_table.many[*].id', config))).toEqual({
      unknown: 'instances of aws_route_table.many not known',
    });
  });

  it('data sources are symbolic without a resolver, module outputs unknown, path.module the folder', async () => {
    expect(soleRef(await evalExpr('data.aws_region.current.name'))).toEqual({
      id: 'data.aws_region.current#name',
      target: { kind: 'resource', address: 'data.aws_region.current', attribute: 'name' },
      display: 'data.aws_region.current.name',
    });
    expect(plain(await evalExpr('module.vpc.vpc_id'))).toEqual({ unknown: 'module output' });
    expect(plain(await evalExpr('"${path.module}/x"'))).toBe('m/x');
  });

  it('index, attribute access and splats over known values', async () => {
    expect(plain(await evalExpr('local.m["b"]', LOCALS))).toBe(2);
    expect(plain(await evalExpr('local.objs[1].id', LOCALS))).toBe('i2');
    expect(plain(await evalExpr('local.objs[*].id', LOCALS))).toEqual(['i1', 'i2']);
    expect(plain(await evalExpr('local.objs.*.id', LOCALS))).toEqual(['i1', 'i2']);
    // The legacy splat takes attributes only: the index applies to its result.
    expect(plain(await evalExpr('local.objs.*.id[1]', LOCALS))).toBe('i2');
    expect(plain(await evalExpr('local.l.0', LOCALS))).toBe('x');
  });
});

describe('expressions: operators, conditionals, for expressions', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['local.m.a + local.m["b"] * 10', 21],
    ['!(local.m.a == 1)', false],
    ['-5 % 3', -2],
    ['7 / 2', 3.5],
    ['1 < 2 && 2 <= 2', true],
    ['!true || 1 >= 2', false],
    ['"a" == "a"', true],
    ['[1, "x"] != [1, "x"]', false],
    ['var.u == "x" || true', true],
    ['false && var.u', false],
  ])('%s', async (expr, expected) => {
    expect(plain(await evalExpr(expr, LOCALS))).toBe(expected);
  });

  it('picks the branch of a known condition and keeps both of an unknown one', async () => {
    const known = await evalExpr('1 == 1 ? "yes" : "no"');
    expect(plain(known)).toBe('yes');
    expect(at(known)).toBe('2:16-2:21');
    const v = await evalExpr('var.u != "" ? "a" : null', LOCALS);
    expect(v.kind).toBe('conditional');
    if (v.kind !== 'conditional') return;
    expect(v.condition).toBe('var.u != ""');
    expect(plain(v.whenTrue)).toBe('a');
    expect(v.whenFalse.kind).toBe('absent');
    expect(at(v)).toBe('2:7-2:31');
  });

  it('evaluates list and object for expressions with filters and grouping', async () => {
    expect(plain(await evalExpr('[for k, v in local.m : "${k}=${v}" if v > 1]', LOCALS))).toEqual([
      'b=2',
    ]);
    expect(plain(await evalExpr('[for s in local.l : upper(s)]', LOCALS))).toEqual(['X', 'Y']);
    expect(plain(await evalExpr('{ for o in local.objs : o.id => o }', LOCALS))).toEqual({
      i1: { id: 'i1' },
      i2: { id: 'i2' },
    });
    expect(plain(await evalExpr('{ for s in ["a", "b", "a"] : s => s... }'))).toEqual({
      a: ['a', 'a'],
      b: ['b'],
    });
    expect((await evalExpr('[for s in var.u : s]', LOCALS)).kind).toBe('unknown');
  });
});
