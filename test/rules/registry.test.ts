/**
 * The meta-test: every rule is registered, documented and tested, and each doc's examples do
 * what they claim (the Bad example fires the rule, the Good example does not).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ruleById, rules } from '../../src/rules/index.js';
import { findingsFor, scopeFor } from './helpers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const REQUIRED_SECTIONS = [
  'What it finds',
  'Why it matters',
  'Bad example',
  'Good example',
  'How to fix',
  'How to suppress',
];
const NOT_RULES = new Set(['define-rule.ts', 'index.ts', 'settings.ts']);

function docOf(id: string): string {
  return readFileSync(join(root, 'docs', 'rules', `${id}.md`), 'utf8');
}

/** The `##` sections of a doc, in order, with their bodies. */
function sections(markdown: string): { title: string; body: string }[] {
  const out: { title: string; body: string }[] = [];
  let fence = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fence = !fence;
    if (!fence && line.startsWith('## ')) out.push({ title: line.slice(3).trim(), body: '' });
    else if (out.length > 0) out[out.length - 1]!.body += `${line}\n`;
  }
  return out;
}

/**
 * Rules that only run on a change: their doc examples carry the base version as a
 * ```yaml base block before the head's ```yaml block, and run with that base. Every other
 * rule's examples run without a change and must have no base block.
 */
const CHANGE_AWARE = new Set(['endpoint-change-drops-connections']);

/** The ```yaml base blocks of a section. */
function baseBlocks(body: string): string[] {
  return [...body.matchAll(/```yaml base\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
}

/** The one fenced yaml block of a section. */
function yamlBlocks(body: string): string[] {
  return [...body.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
}

describe('rule registry', () => {
  it('has unique kebab-case ids and resolves each by id', () => {
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(ruleById(id)?.id).toBe(id);
    }
    expect(ruleById('no-such-rule')).toBeUndefined();
  });

  it('registers every rule file in src/rules', () => {
    const files = readdirSync(join(root, 'src', 'rules')).filter(
      (f) => f.endsWith('.ts') && !NOT_RULES.has(f),
    );
    expect(files.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual(rules.map((r) => r.id).sort());
  });

  for (const rule of rules) {
    describe(rule.id, () => {
      it('has its source file, test file and doc page', () => {
        expect(existsSync(join(root, 'src', 'rules', `${rule.id}.ts`))).toBe(true);
        expect(existsSync(join(root, 'test', 'rules', `${rule.id}.test.ts`))).toBe(true);
        expect(existsSync(join(root, 'docs', 'rules', `${rule.id}.md`))).toBe(true);
      });

      it('documents itself with the required sections, in order', () => {
        expect(rule.title.length).toBeGreaterThan(0);
        expect(rule.docs.description.length).toBeGreaterThan(0);
        expect(rule.docs.source.length).toBeGreaterThan(0);
        expect(sections(docOf(rule.id)).map((s) => s.title)).toEqual(REQUIRED_SECTIONS);
      });

      it('fires on its Bad example and not on its Good example', async () => {
        const docSections = sections(docOf(rule.id));
        const bad = yamlBlocks(docSections.find((s) => s.title === 'Bad example')?.body ?? '');
        const good = yamlBlocks(docSections.find((s) => s.title === 'Good example')?.body ?? '');
        expect(bad).toHaveLength(1);
        expect(good).toHaveLength(1);
        const badBase = baseBlocks(docSections.find((s) => s.title === 'Bad example')?.body ?? '');
        const goodBase = baseBlocks(
          docSections.find((s) => s.title === 'Good example')?.body ?? '',
        );
        const changeAware = CHANGE_AWARE.has(rule.id);
        expect(badBase).toHaveLength(changeAware ? 1 : 0);
        expect(goodBase).toHaveLength(changeAware ? 1 : 0);
        const optionsFor = async (base: string[], file: string) =>
          changeAware ? { change: { base: await scopeFor(base[0] ?? '', file) } } : {};
        const badFindings = await findingsFor(
          rule,
          bad[0] ?? '',
          `docs/rules/${rule.id}.bad.yaml`,
          await optionsFor(badBase, `docs/rules/${rule.id}.bad.yaml`),
        );
        const goodFindings = await findingsFor(
          rule,
          good[0] ?? '',
          `docs/rules/${rule.id}.good.yaml`,
          await optionsFor(goodBase, `docs/rules/${rule.id}.good.yaml`),
        );
        expect(badFindings.map((f) => f.ruleId)).toContain(rule.id);
        expect(goodFindings.filter((f) => f.ruleId === rule.id)).toEqual([]);
        // A crash is reported as an error finding of the rule; it must never pass as "fired".
        expect(badFindings.some((f) => f.message.startsWith('internal error'))).toBe(false);
      });
    });
  }
});
