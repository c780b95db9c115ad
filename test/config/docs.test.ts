/**
 * docs/configuration.md must stay true: its example file parses, uses every key, and every key
 * has a section.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, formatConfigProblem, parseConfig } from '../../src/config/index.js';
import { rules } from '../../src/rules/index.js';

const doc = readFileSync(
  fileURLToPath(new URL('../../docs/configuration.md', import.meta.url)),
  'utf8',
);
const yamlBlocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
const ruleIds = rules.map((rule) => rule.id);

describe('docs/configuration.md', () => {
  it('has at least one yaml example', () => {
    expect(yamlBlocks.length).toBeGreaterThan(0);
  });

  it.each(yamlBlocks.map((block, index) => [index, block] as const))(
    'example %i parses without errors or warnings',
    (_index, block) => {
      const result = parseConfig(block, 'docs/configuration.md', { ruleIds });
      if (!result.ok) throw new Error(result.errors.map(formatConfigProblem).join('\n'));
      expect(result.warnings).toEqual([]);
    },
  );

  it('the first example sets every key to a non-default value', () => {
    const result = parseConfig(yamlBlocks[0] ?? '', 'docs/configuration.md', { ruleIds });
    if (!result.ok) throw new Error('does not parse');
    for (const key of Object.keys(DEFAULT_CONFIG).concat('region')) {
      const value = result.config[key as keyof typeof result.config];
      expect(value, key).toBeDefined();
      expect(value, key).not.toEqual(DEFAULT_CONFIG[key as keyof typeof DEFAULT_CONFIG]);
    }
    expect(yamlBlocks[0]).toMatch(/^_extends:/m);
  });

  it('documents every key in a section of its own', () => {
    for (const key of [...Object.keys(DEFAULT_CONFIG), 'region', '_extends']) {
      expect(doc, key).toMatch(new RegExp(`^### \`${key}\``, 'm'));
    }
  });
});
