import { describe, expect, it } from 'vitest';
import { literalString, soleRef } from '../../../src/core/value.js';
import { at, attr, block, plain, readModule } from './tf-helpers.js';

describe('readTerraformModule: blocks and addresses', () => {
  it('reads resources, data sources, providers and nested blocks with exact ranges', async () => {
    const m = await readModule({
      'main.tf': [
        'provider "aws" {',
        '  region = "eu-west-1"',
        '}',
        '',
        'resource "aws_vpc_endpoint" "s3" {',
        '  service_name = "com.amazonaws.eu-west-1.s3"',
        '  vpc_id       = aws_vpc.main.id',
        '  tags {',
        '    Name = "x"',
        '  }',
        '}',
        'data "aws_region" "current" {}',
        '',
      ].join('\n'),
    });
    expect(m.providerRegion).toBe('eu-west-1');
    expect(m.files).toEqual(['m/main.tf']);
    expect(m.diagnostics).toEqual([]);
    const ep = block(m, 'aws_vpc_endpoint.s3');
    expect(ep.type).toBe('resource');
    expect(ep.labels).toEqual(['aws_vpc_endpoint', 's3']);
    expect(at(ep)).toBe('5:1-11:2');
    expect(ep.file).toBe('m/main.tf');
    const service = ep.attributes.get('service_name');
    expect(service && at(service)).toBe('6:3-6:46');
    expect(service && `${service.nameRange.startLine}:${service.nameRange.startColumn}`).toBe(
      '6:3',
    );
    expect(literalString(service?.value())).toBe('com.amazonaws.eu-west-1.s3');
    expect(at(service!.value())).toBe('6:18-6:46');
    expect(soleRef(attr(m, 'aws_vpc_endpoint.s3', 'vpc_id'))).toEqual({
      id: 'aws_vpc.main#id',
      target: { kind: 'resource', address: 'aws_vpc.main', attribute: 'id' },
      display: 'aws_vpc.main.id',
    });
    expect(ep.blocks.map((b) => [b.type, b.address, at(b)])).toEqual([
      ['tags', 'aws_vpc_endpoint.s3', '8:3-10:4'],
    ]);
    expect(block(m, 'data.aws_region.current').labels).toEqual(['aws_region', 'current']);
  });

  it('ignores an aliased provider for the Region', async () => {
    const m = await readModule({
      'p.tf': 'provider "aws" {\n  alias = "us"\n  region = "us-east-1"\n}\n',
    });
    expect(m.providerRegion).toBeUndefined();
  });

  it('resolves bucket name references to the configured literal, else to symbolic `name`', async () => {
    const m = await readModule({
      'main.tf': [
        'resource "aws_s3_bucket" "b" {',
        '  bucket = "my-bucket"',
        '}',
        'resource "aws_s3_bucket" "c" {}',
        'resource "aws_s3_bucket_policy" "p" {',
        '  bucket = aws_s3_bucket.b.id',
        '  other  = aws_s3_bucket.c.bucket',
        '  arn    = aws_s3_bucket.b.arn',
        '}',
      ].join('\n'),
    });
    const bucket = attr(m, 'aws_s3_bucket_policy.p', 'bucket');
    expect(literalString(bucket)).toBe('my-bucket');
    expect(at(bucket)).toBe('2:12-2:23');
    expect(soleRef(attr(m, 'aws_s3_bucket_policy.p', 'other'))?.id).toBe('aws_s3_bucket.c#name');
    expect(soleRef(attr(m, 'aws_s3_bucket_policy.p', 'arn'))?.target).toEqual({
      kind: 'resource',
      address: 'aws_s3_bucket.b',
      attribute: 'arn',
    });
  });
});

describe('readTerraformModule: variables and locals', () => {
  const config = [
    'variable "a" {',
    '  default = "from-default"',
    '}',
    'variable "b" {',
    '  default = "from-default"',
    '}',
    'variable "c" {',
    '  default = "from-default"',
    '}',
    'variable "d" {}',
    'locals {',
    '  joined = "${var.a}-${var.b}-${var.c}"',
    '  loop1  = local.loop2',
    '  loop2  = local.loop1',
    '}',
    'resource "t_r" "x" {',
    '  joined = local.joined',
    '  d      = var.d',
    '  loop   = local.loop1',
    '}',
  ].join('\n');

  it('takes *.auto.tfvars over terraform.tfvars over defaults; undeclared values stay symbolic', async () => {
    const m = await readModule({
      'main.tf': config,
      'terraform.tfvars': 'b = "tfvars"\nc = "tfvars"\n',
      'z.auto.tfvars': 'c = "auto"\n',
    });
    expect(plain(attr(m, 't_r.x', 'joined'))).toBe('from-default-tfvars-auto');
    expect(soleRef(attr(m, 't_r.x', 'd'))).toEqual({
      id: 'param:d',
      target: { kind: 'parameter', name: 'd' },
      display: 'var.d',
    });
    expect(m.files).toEqual(['m/main.tf', 'm/terraform.tfvars', 'm/z.auto.tfvars']);
  });

  it('does not evaluate a variable type constraint as a value', async () => {
    const m = await readModule({ 'v.tf': 'variable "x" {\n  type = list(string)\n}\n' });
    expect(plain(attr(m, 'var.x', 'type'))).toEqual({ unknown: 'type constraint' });
  });

  it('detects cycles between locals', async () => {
    const m = await readModule({ 'main.tf': config });
    const loop = attr(m, 't_r.x', 'loop');
    expect(loop.kind).toBe('unknown');
    // Whichever local is reached first is the one found pending.
    expect(loop.kind === 'unknown' && loop.reason).toMatch(/^local\.loop[12] refers to itself$/);
  });
});

describe('readTerraformModule: count, for_each and dynamic blocks', () => {
  it('expands a known count into indexed instances with count.index bound', async () => {
    const m = await readModule({
      'main.tf':
        'resource "aws_s3_bucket_policy" "p" {\n  count  = 2\n  bucket = "b-${count.index}"\n}\n',
    });
    expect(m.blocks.map((b) => [b.address, b.instanceKey])).toEqual([
      ['aws_s3_bucket_policy.p[0]', 0],
      ['aws_s3_bucket_policy.p[1]', 1],
    ]);
    expect(plain(attr(m, 'aws_s3_bucket_policy.p[1]', 'bucket'))).toBe('b-1');
    expect(block(m, 'aws_s3_bucket_policy.p[0]').attributes.has('count')).toBe(false);
  });

  it('turns `count = var.x ? 1 : 0` into one conditional instance', async () => {
    const m = await readModule({
      'main.tf': [
        'variable "enabled" {}',
        'variable "disabled" {}',
        'resource "t_a" "on" {',
        '  count = var.enabled ? 1 : 0',
        '}',
        'resource "t_a" "off" {',
        '  count = var.disabled ? 0 : 1',
        '}',
        'resource "t_a" "dunno" {',
        '  count = length(var.enabled)',
        '}',
      ].join('\n'),
    });
    const on = block(m, 't_a.on[0]');
    expect(on.condition).toBe('var.enabled');
    expect(on.instanceKey).toBe(0);
    expect(block(m, 't_a.off[0]').condition).toBe('!(var.disabled)');
    const dunno = block(m, 't_a.dunno');
    expect(dunno.instanceKey).toBe('unknown');
  });

  it('keeps a block that the defaults switch off, under the deciding condition; tfvars decide', async () => {
    const config = [
      'variable "create_policy" {',
      '  default = false',
      '}',
      'variable "statements" {',
      '  default = {}',
      '}',
      'resource "aws_s3_bucket_policy" "p" {',
      '  count  = var.create_policy ? 1 : 0',
      '  bucket = "b"',
      '}',
      'resource "t_e" "each" {',
      '  for_each = var.statements',
      '}',
      'resource "t_z" "never" {',
      '  count = 0',
      '}',
    ].join('\n');
    const byDefault = await readModule({ 'main.tf': config });
    expect(
      byDefault.blocks
        .filter((b) => b.type === 'resource')
        .map((b) => [b.address, b.instanceKey, b.condition]),
    ).toEqual([
      ['aws_s3_bucket_policy.p[0]', 0, 'var.create_policy'],
      ['t_e.each', 'unknown', 'var.statements'],
    ]);
    const off = await readModule({
      'main.tf': config,
      'terraform.tfvars': 'create_policy = false\n',
    });
    expect(off.blocks.some((b) => b.address.startsWith('aws_s3_bucket_policy'))).toBe(false);
  });

  it('expands for_each over a map and a set with each.key / each.value', async () => {
    const m = await readModule({
      'main.tf': [
        'locals {',
        '  endpoints = { s3 = "com.amazonaws.eu-west-1.s3", dynamodb = "x" }',
        '}',
        'resource "aws_vpc_endpoint" "this" {',
        '  for_each     = local.endpoints',
        '  service_name = each.value',
        '  name         = each.key',
        '}',
        'resource "t_b" "set" {',
        '  for_each = toset(["a", "b", "a"])',
        '  v        = "${each.key}/${each.value}"',
        '}',
        'resource "t_c" "ref" {',
        '  e = aws_vpc_endpoint.this["s3"].id',
        '}',
      ].join('\n'),
    });
    expect(m.blocks.filter((b) => b.type === 'resource').map((b) => b.address)).toEqual([
      'aws_vpc_endpoint.this["s3"]',
      'aws_vpc_endpoint.this["dynamodb"]',
      't_b.set["a"]',
      't_b.set["b"]',
      't_c.ref',
    ]);
    const s3 = attr(m, 'aws_vpc_endpoint.this["s3"]', 'service_name');
    expect(literalString(s3)).toBe('com.amazonaws.eu-west-1.s3');
    expect(at(s3)).toBe('2:22-2:50');
    expect(plain(attr(m, 'aws_vpc_endpoint.this["dynamodb"]', 'name'))).toBe('dynamodb');
    expect(plain(attr(m, 't_b.set["b"]', 'v'))).toBe('b/b');
    expect(soleRef(attr(m, 't_c.ref', 'e'))?.id).toBe('aws_vpc_endpoint.this["s3"]#id');
  });

  it('expands dynamic blocks, with the label or a named iterator, and nested dynamics', async () => {
    const m = await readModule({
      'main.tf': [
        'data "aws_iam_policy_document" "d" {',
        '  dynamic "statement" {',
        '    for_each = { read = ["s3:GetObject"], write = ["s3:PutObject"] }',
        '    iterator = st',
        '    content {',
        '      sid     = st.key',
        '      actions = st.value',
        '      dynamic "condition" {',
        '        for_each = ["a"]',
        '        content {',
        '          values = [condition.value, st.key]',
        '        }',
        '      }',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    });
    const d = block(m, 'data.aws_iam_policy_document.d');
    expect(d.blocks.map((b) => [b.type, b.address, at(b)])).toEqual([
      ['statement', 'data.aws_iam_policy_document.d', '5:5-14:6'],
      ['statement', 'data.aws_iam_policy_document.d', '5:5-14:6'],
    ]);
    const [read, write] = d.blocks;
    expect(plain(read!.attributes.get('sid')!.value())).toBe('read');
    expect(plain(write!.attributes.get('actions')!.value())).toEqual(['s3:PutObject']);
    expect(at(write!.attributes.get('actions')!.value())).toBe('3:51-3:67');
    expect(write!.blocks.map((b) => b.type)).toEqual(['condition']);
    expect(plain(write!.blocks[0]!.attributes.get('values')!.value())).toEqual(['a', 'write']);
  });

  it('keeps a dynamic block over an unknown collection as one block with unknown iterator values', async () => {
    const m = await readModule({
      'main.tf': [
        'variable "rules" {}',
        'resource "t_r" "x" {',
        '  dynamic "rule" {',
        '    for_each = var.rules',
        '    content {',
        '      id = rule.value.id',
        '      fixed = "f"',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    });
    const [rule] = block(m, 't_r.x').blocks;
    expect(rule?.type).toBe('rule');
    expect(rule?.instanceKey).toBe('unknown');
    expect(rule?.attributes.get('id')?.value().kind).toBe('unknown');
    expect(plain(rule!.attributes.get('fixed')!.value())).toBe('f');
  });
});

describe('readTerraformModule: syntax errors', () => {
  it('recovers after an error without splitting heredocs whose lines look like top-level items', async () => {
    const m = await readModule({
      'main.tf': [
        'locals {',
        '  a = = 1',
        '}',
        'resource "r" "x" {',
        '  p = <<EOF',
        'Name = "x"',
        'EOF',
        '}',
        'resource "r" "y" {',
        '  q = 1',
        '}',
      ].join('\n'),
    });
    expect(m.diagnostics.map((d) => [d.range.startLine, d.message])).toEqual([
      [2, 'syntax error: incomplete expression'],
    ]);
    expect(plain(attr(m, 'r.x', 'p'))).toBe('Name = "x"\n');
    expect(plain(attr(m, 'r.y', 'q'))).toBe(1);
  });

  it('reports `1e3`, which the grammar would silently misread, at its line', async () => {
    const m = await readModule({ 'main.tf': 'locals {\n  ok = 1.5e3\n  n  = 1e3\n}\n' });
    expect(m.diagnostics[0]).toMatchObject({
      kind: 'parse-error',
      message: 'number 1e3 not read: write it with a decimal point (1.0e3)',
      range: { startLine: 3 },
    });
  });

  it('reports the error at its line and still reads the rest of the file', async () => {
    const m = await readModule({
      'main.tf': [
        'resource "t_a" "before" {',
        '  a = "ok"',
        '}',
        'resource "t_b" "broken" {',
        '  b = = 1',
        '}',
        'resource "t_c" "after" {',
        '  c = "still read"',
        '}',
      ].join('\n'),
    });
    expect(m.diagnostics.map((d) => [d.kind, d.range.startLine])).toEqual([['parse-error', 5]]);
    expect(m.diagnostics[0]?.message).toBe('syntax error: incomplete expression');
    expect(plain(attr(m, 't_a.before', 'a'))).toBe('ok');
    expect(plain(attr(m, 't_c.after', 'c'))).toBe('still read');
  });
});
