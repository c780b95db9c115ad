/**
 * Shared helpers for rule tests: load a small CloudFormation template from text and run rules
 * on it, exactly as the engine does.
 */
import { loadCloudFormation } from '../../src/iac/cloudformation/index.js';
import { isTerraformFile, loadTerraformModule } from '../../src/iac/terraform/index.js';
import type { Scope } from '../../src/iac/model.js';
import { policiesOf } from '../../src/iac/model.js';
import type { Finding } from '../../src/findings/finding.js';
import type { FileSource } from '../../src/source/file-source.js';
import type { RunOptions } from '../../src/engine/run-rules.js';
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

/** Loads the template and runs the given rule(s) on it (with config settings / a base version). */
export async function findingsFor(
  rule: Rule | readonly Rule[],
  yamlText: string,
  file = 'template.yaml',
  options: RunOptions = {},
): Promise<Finding[]> {
  const scope = await scopeFor(yamlText, file);
  return runRules(scope, Array.isArray(rule) ? (rule as readonly Rule[]) : [rule as Rule], options);
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

/** 1-based numbers of the lines containing `marker` (e.g. `# FIRE`), to state expected lines in the template itself. */
export function markedLines(yamlText: string, marker: string): number[] {
  return yamlText.split('\n').flatMap((line, i) => (line.includes(marker) ? [i + 1] : []));
}

export interface ExpectedFinding {
  readonly line: number;
  readonly endLine?: number;
  readonly resource: string;
  readonly severity: string;
  /** Words the message must contain. */
  readonly words?: readonly string[];
  /** Resources named as related locations, in any order. */
  readonly related?: readonly string[];
}

/**
 * Compares findings with expectations as a set: the same (rule, severity, resource, line)
 * tuples, each expectation matched by exactly one finding, and its message words present.
 */
export function compareFindings(
  ruleId: string,
  findings: readonly Finding[],
  expected: readonly ExpectedFinding[],
): { actual: unknown[]; wanted: unknown[] } {
  const key = (f: { ruleId: string; severity: string; resource: string; line: number }) =>
    `${f.ruleId}|${f.severity}|${f.resource}|${f.line}`;
  const actual = findings
    .map((f) =>
      key({
        ruleId: f.ruleId,
        severity: f.severity,
        resource: f.resource,
        line: f.range.startLine,
      }),
    )
    .sort();
  const wanted = expected.map((e) => key({ ruleId, ...e })).sort();
  const problems: string[] = [];
  for (const e of expected) {
    const match = findings.find((f) => f.range.startLine === e.line && f.resource === e.resource);
    if (!match) continue;
    if (e.endLine !== undefined && match.range.endLine !== e.endLine) {
      problems.push(`line ${e.line}: endLine ${match.range.endLine} instead of ${e.endLine}`);
    }
    for (const word of e.words ?? []) {
      if (!match.message.includes(word))
        problems.push(`line ${e.line}: "${word}" not in "${match.message}"`);
    }
    if (e.related !== undefined) {
      const names = match.related.map((r) => r.resource ?? '').sort();
      if (JSON.stringify(names) !== JSON.stringify([...e.related].sort())) {
        problems.push(
          `line ${e.line}: related ${names.join(',')} instead of ${e.related.join(',')}`,
        );
      }
    }
  }
  return { actual: [actual, problems], wanted: [wanted, []] };
}

export interface TemplateCase {
  readonly name: string;
  /** A CloudFormation template; lines marked `# FIRE` must fire. */
  readonly yaml: string;
  /** What the finding on each `# FIRE` line looks like; undefined = no findings at all. */
  readonly fire?: Omit<ExpectedFinding, 'line'>;
  /** Config settings or a base version for the rule. */
  readonly options?: RunOptions;
}

/**
 * Runs one CloudFormation table case: findings must be exactly the `# FIRE`-marked lines, with
 * the case's resource, severity, message words and related resources.
 */
export async function checkTemplateCase(
  rule: Rule,
  c: TemplateCase,
): Promise<{ actual: unknown[]; wanted: unknown[] }> {
  const findings = await findingsFor(rule, c.yaml, 'template.yaml', c.options);
  const expected = c.fire
    ? markedLines(c.yaml, '# FIRE').map((line) => ({ line, ...c.fire! }))
    : [];
  // A case that should fire but marks no line would pass for a silent rule.
  if (c.fire && expected.length === 0) throw new Error(`${c.name}: no line is marked # FIRE`);
  return compareFindings(rule.id, findings, expected);
}

/**
 * Loads the Terraform files (paths relative to the scan root, e.g. `mod/main.tf`) as the module
 * in `dir`, exactly as the engine does, with the same files readable through the FileSource.
 */
export async function scopeForTerraform(
  files: Readonly<Record<string, string>>,
  dir = 'mod',
): Promise<Scope> {
  const texts = Object.entries(files)
    .filter(([file]) => isTerraformFile(file))
    .map(([file, text]) => ({ path: file, text }));
  return loadTerraformModule(dir, texts, memorySource(files));
}

export async function findingsForTerraform(
  rule: Rule | readonly Rule[],
  files: Readonly<Record<string, string>>,
  dir = 'mod',
  options: RunOptions = {},
): Promise<Finding[]> {
  const scope = await scopeForTerraform(files, dir);
  return runRules(scope, Array.isArray(rule) ? (rule as readonly Rule[]) : [rule as Rule], options);
}

export interface TerraformCase {
  readonly name: string;
  /** Paths relative to the scan root; the module is `mod/`. Lines marked `# FIRE` must fire. */
  readonly files: Readonly<Record<string, string>>;
  readonly fire?: Omit<ExpectedFinding, 'line'>;
  /** Config settings or a base version for the rule. */
  readonly options?: RunOptions;
}

/**
 * Runs one Terraform table case: findings must be exactly the `# FIRE`-marked lines (in any
 * file, compared with the file), with the case's resource, severity and message words.
 */
export async function checkTerraformCase(
  rule: Rule,
  c: TerraformCase,
): Promise<{ actual: unknown; wanted: unknown }> {
  // Markers are stripped first: inside a heredoc they would make the JSON invalid.
  const files = Object.fromEntries(
    Object.entries(c.files).map(([file, text]) => [file, text.replace(/ ?# FIRE/g, '')]),
  );
  const scope = await scopeForTerraform(files);
  const findings = runRules(scope, [rule], c.options);
  // A case passes vacuously if its policy could not be read: every policy must be evaluated
  // (except for the rule about exactly that).
  const unresolved =
    rule.id === 'unresolved-policy'
      ? []
      : policiesOf(scope).flatMap(({ resource, policy }) =>
          policy.unresolved === undefined ? [] : [`${resource.address}: ${policy.unresolved}`],
        );
  const marked = Object.entries(c.files).flatMap(([file, text]) =>
    markedLines(text, '# FIRE').map((line) => ({ file, line })),
  );
  const actual = findings
    .map((f) => `${f.range.file}:${f.range.startLine}|${f.ruleId}|${f.severity}|${f.resource}`)
    .sort();
  const wanted = c.fire
    ? marked
        .map((m) => `${m.file}:${m.line}|${rule.id}|${c.fire!.severity}|${c.fire!.resource}`)
        .sort()
    : [];
  const missingWords = findings.flatMap((f) =>
    (c.fire?.words ?? [])
      .filter((w) => !f.message.includes(w))
      .map((w) => `"${w}" not in "${f.message}"`),
  );
  if (c.fire && marked.length === 0)
    return { actual: 'no # FIRE marker', wanted: 'a # FIRE marker' };
  return { actual: [actual, missingWords, unresolved], wanted: [wanted, [], []] };
}
