/**
 * Shared helpers for rule tests: load a small CloudFormation template from text and run rules
 * on it, exactly as the engine does.
 */
import { loadCloudFormation } from '../../src/iac/cloudformation/index.js';
import type { Scope } from '../../src/iac/model.js';
import type { Finding } from '../../src/findings/finding.js';
import type { FileSource } from '../../src/source/file-source.js';
import { runRules } from '../../src/engine/run-rules.js';
import type { Rule } from '../../src/rules/define-rule.js';

/** A FileSource over an in-memory map of files (for `Fn::Include` in tests). */
export function memorySource(files: Readonly<Record<string, string>> = {}): FileSource {
  return {
    readFile(path: string): Promise<string | undefined> {
      return Promise.resolve(
        Object.prototype.hasOwnProperty.call(files, path) ? files[path] : undefined,
      );
    },
  };
}

/** Strips the common indentation of a template literal, so tests can indent inline YAML. */
export function dedent(textBlock: string): string {
  const lines = textBlock
    .replace(/^\n/, '')
    .replace(/\n\s*$/, '\n')
    .split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)?.[0].length ?? 0);
  const common = indents.length === 0 ? 0 : Math.min(...indents);
  return lines.map((l) => l.slice(common)).join('\n');
}

export async function scopeFor(
  yamlText: string,
  file = 'template.yaml',
  files: Readonly<Record<string, string>> = {},
): Promise<Scope> {
  return loadCloudFormation(file, yamlText, memorySource({ ...files, [file]: yamlText }));
}

/** Loads the template and runs the given rule(s) on it. */
export async function findingsFor(
  rule: Rule | readonly Rule[],
  yamlText: string,
  file = 'template.yaml',
): Promise<Finding[]> {
  const scope = await scopeFor(yamlText, file);
  return runRules(scope, Array.isArray(rule) ? (rule as readonly Rule[]) : [rule as Rule]);
}

/** The parts of a finding tests compare, for set-like `toEqual` on sorted arrays. */
export interface FindingSummary {
  ruleId: string;
  severity: string;
  resource: string;
  startLine: number;
  endLine: number;
}

export function summarise(findings: readonly Finding[]): FindingSummary[] {
  return findings
    .map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      resource: f.resource,
      startLine: f.range.startLine,
      endLine: f.range.endLine,
    }))
    .sort(
      (a, b) =>
        a.startLine - b.startLine ||
        a.endLine - b.endLine ||
        a.resource.localeCompare(b.resource) ||
        a.ruleId.localeCompare(b.ruleId),
    );
}
