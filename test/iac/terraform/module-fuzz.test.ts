import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TfBlock } from '../../../src/iac/terraform/types.js';
import { readModule } from './tf-helpers.js';

/** Fragments of HCL, shuffled into mostly-invalid configurations. */
const TOKENS = [
  'resource "t_a" "x" {',
  'data "t_d" "y" {',
  'locals {',
  'variable "v" {',
  'dynamic "s" {',
  'content {',
  '}',
  '{',
  ' a = ',
  ' count = ',
  ' for_each = ',
  '"s${var.v}"',
  '"%{ for x in local.l }${x}%{ endfor }"',
  '<<EOF\nx ${local.a}\nEOF\n',
  '<<-EOT\n  y\n  EOT\n',
  'local.a',
  'local.l',
  'var.v',
  'each.value',
  'count.index',
  'aws_s3_bucket.b[*].id',
  '[for k, v in local.l : v if k > 0]',
  '{ for s in local.l : s => s... }',
  'jsonencode({ a = [1, 2] })',
  'file("../../x")',
  'templatefile("t.tpl", {})',
  'merge(local.a, {})',
  'true ? 1 : 0',
  '1e3',
  '-',
  '(',
  ')',
  '[',
  ']',
  ',',
  '\n',
  ' l = [1, 2]\n',
  ' a = local.l\n',
];

describe('readTerraformModule never throws', () => {
  it('on arbitrary token soup, and every attribute evaluates', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }), async (tokens) => {
        const m = await readModule(
          { 'main.tf': tokens.join('') },
          { extra: { 'm/t.tpl': '${x}' } },
        );
        const visit = (b: TfBlock): void => {
          for (const a of b.attributes.values()) expect(a.value().kind).toBeTypeOf('string');
          b.blocks.forEach(visit);
        };
        m.blocks.forEach(visit);
        for (const d of m.diagnostics) expect(d.range.startLine).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('on arbitrary text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (text) => {
        const m = await readModule({ 'main.tf': text });
        expect(Array.isArray(m.blocks)).toBe(true);
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});
