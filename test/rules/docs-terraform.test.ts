/**
 * Rule pages with a "Terraform example" section: its first `hcl` block must yield the rule, the
 * second must not, so the Terraform examples in the docs stay true.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleById } from '../../src/rules/index.js';
import { findingsForTerraform } from './helpers.js';

const dir = path.resolve(import.meta.dirname, '../../docs/rules');
const VPC = 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n';

const pages = readdirSync(dir)
  .filter((name) => name.endsWith('.md'))
  .map((name) => ({ id: name.slice(0, -3), text: readFileSync(path.join(dir, name), 'utf8') }))
  .filter((page) => page.text.includes('### Terraform example'));

describe('Terraform examples in docs/rules', () => {
  it('exist for the main rules', () => {
    expect(pages.map((p) => p.id).sort()).toEqual([
      'endpoint-policy-full-access',
      'sourceip-deny-blocks-endpoint',
      'vpce-condition-invalid-value',
    ]);
  });

  it.each(pages)('$id: bad fires, good does not', async ({ id, text }) => {
    const rule = ruleById(id);
    expect(rule).toBeDefined();
    const section = text.slice(text.indexOf('### Terraform example'));
    const blocks = [...section.matchAll(/```hcl\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    expect(blocks).toHaveLength(2);
    const [bad, good] = blocks;
    const badFindings = await findingsForTerraform(rule!, { 'mod/main.tf': VPC + bad });
    const goodFindings = await findingsForTerraform(rule!, { 'mod/main.tf': VPC + good });
    expect(badFindings.length).toBeGreaterThan(0);
    expect(goodFindings).toEqual([]);
  });
});
