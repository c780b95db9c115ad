/**
 * Statistics over a scan of many repositories (`npm run corpus`): per format, what was read,
 * what failed to parse, how many policies were found and how many could not be evaluated, and
 * findings per rule. It shows where adapters or rules fall short on code nobody wrote for our
 * tests, so every rule is listed, including those that found nothing.
 */
import type { Finding } from '../findings/finding.js';
import type { Scope } from '../iac/model.js';
import { policiesOf } from '../iac/model.js';

export interface CorpusFile {
  /** Needed to tell a Terraform module (a folder) from its files, and findings per format. */
  readonly file?: string;
  readonly format: string;
  readonly resources: number;
  readonly policies: number;
  readonly unresolvedPolicies: number;
  readonly parseErrors: number;
}

export interface CorpusData {
  readonly findings: readonly Finding[];
  readonly files: readonly CorpusFile[];
  readonly errors: readonly { readonly file: string; readonly message: string }[];
  readonly skipped: readonly { readonly format: string }[];
  readonly filesRead: number;
  /** With `listUnresolved`: the scopes, whose unresolved policies are listed with their reason. */
  readonly scopes?: readonly Scope[];
}

export interface CorpusOptions {
  readonly listUnresolved?: boolean;
}

export function renderCorpusSummary(
  data: CorpusData,
  ruleIds: readonly string[],
  options: CorpusOptions = {},
): string {
  const cfn = data.files.filter((f) => f.format === 'cloudformation');
  const tf = data.files.filter((f) => f.format === 'terraform');
  const tfFiles = new Set(tf.map((f) => f.file).filter((f) => f !== undefined));
  const isTerraform = (finding: Finding): boolean => tfFiles.has(finding.range.file);
  const ids = (findings: readonly Finding[]): { ids: string[]; perRule: Map<string, number> } => {
    const perRule = new Map<string, number>();
    for (const finding of findings) {
      perRule.set(finding.ruleId, (perRule.get(finding.ruleId) ?? 0) + 1);
    }
    return {
      ids: [...ruleIds, ...[...perRule.keys()].filter((id) => !ruleIds.includes(id))],
      perRule,
    };
  };
  const perRuleLines = (findings: readonly Finding[]): string[] => {
    const { ids: all, perRule } = ids(findings);
    const width = Math.max(...all.map((id) => id.length), 4);
    return [
      '  findings per rule:',
      ...all.map((id) => `    ${id.padEnd(width)}  ${perRule.get(id) ?? 0}`),
    ];
  };
  const sum = (
    files: readonly CorpusFile[],
    key: 'policies' | 'unresolvedPolicies' | 'resources',
  ): number => files.reduce((total, file) => total + file[key], 0);

  const lines = [
    'cloudformation:',
    `  files read:            ${data.filesRead}`,
    `  templates:             ${cfn.length}`,
    `  parse errors:          ${cfn.filter((f) => f.parseErrors > 0).length}`,
    `  resources:             ${sum(cfn, 'resources')}`,
    `  policies found:        ${sum(cfn, 'policies')}`,
    `  policies unresolved:   ${sum(cfn, 'unresolvedPolicies')}`,
    `  files not scanned:     ${data.errors.length}`,
    ...data.errors.map((error) => `    ${error.file}: ${error.message}`),
    ...perRuleLines(data.findings.filter((f) => !isTerraform(f))),
    'terraform:',
  ];

  const policies = sum(tf, 'policies');
  const unresolved = sum(tf, 'unresolvedPolicies');
  const share =
    policies === 0 ? 'n/a' : `${(((policies - unresolved) / policies) * 100).toFixed(1)}%`;
  // Plan JSON files are Terraform too but not modules: a module is a folder of `.tf` files.
  const moduleDirs = new Set(
    [...tfFiles]
      .filter((f) => /\.(tf|tf\.json|tfvars|tfvars\.json)$/i.test(f))
      .map((f) => (f.includes('/') ? f.slice(0, f.lastIndexOf('/')) : '.')),
  );
  lines.push(
    `  modules:               ${moduleDirs.size}`,
    `  files read:            ${tf.length}`,
    `  files skipped:         ${data.skipped.filter((s) => s.format === 'terraform').length}`,
    `  parse errors:          ${tf.reduce((n, f) => n + f.parseErrors, 0)} in ${tf.filter((f) => f.parseErrors > 0).length} files`,
    `  resources:             ${sum(tf, 'resources')}`,
    `  policies found:        ${policies}`,
    `  policies unresolved:   ${unresolved} (${share} resolved)`,
    ...perRuleLines(data.findings.filter(isTerraform)),
  );
  if (options.listUnresolved) {
    lines.push('unresolved policies:');
    for (const scope of data.scopes ?? []) {
      for (const { resource, policy } of policiesOf(scope)) {
        if (policy.unresolved === undefined) continue;
        const where = `${policy.range.file}:${policy.range.startLine}`;
        lines.push(`  ${where} ${resource.address}: ${policy.unresolved}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
