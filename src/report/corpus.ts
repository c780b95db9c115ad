/**
 * Statistics over a scan of many repositories (`npm run corpus`): per format, what was read,
 * what failed to parse, how many policies were found and how many could not be evaluated, and
 * findings per rule. It shows where adapters or rules fall short on code nobody wrote for our
 * tests, so every rule is listed, including those that found nothing.
 */
import type { Finding } from '../findings/finding.js';

export interface CorpusFile {
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
}

export function renderCorpusSummary(data: CorpusData, ruleIds: readonly string[]): string {
  const cfn = data.files.filter((f) => f.format === 'cloudformation');
  const sum = (key: 'policies' | 'unresolvedPolicies' | 'resources'): number =>
    cfn.reduce((total, file) => total + file[key], 0);
  const perRule = new Map<string, number>();
  for (const finding of data.findings) {
    perRule.set(finding.ruleId, (perRule.get(finding.ruleId) ?? 0) + 1);
  }
  const ids = [...ruleIds, ...[...perRule.keys()].filter((id) => !ruleIds.includes(id))];
  const width = Math.max(...ids.map((id) => id.length), 4);
  const terraform = data.skipped.filter((s) => s.format === 'terraform').length;

  const lines = [
    'cloudformation:',
    `  files read:            ${data.filesRead}`,
    `  templates:             ${cfn.length}`,
    `  parse errors:          ${cfn.filter((f) => f.parseErrors > 0).length}`,
    `  resources:             ${sum('resources')}`,
    `  policies found:        ${sum('policies')}`,
    `  policies unresolved:   ${sum('unresolvedPolicies')}`,
    `  files not scanned:     ${data.errors.length}`,
    ...data.errors.map((error) => `    ${error.file}: ${error.message}`),
    '  findings per rule:',
    ...ids.map((id) => `    ${id.padEnd(width)}  ${perRule.get(id) ?? 0}`),
    'terraform:',
    `  not yet supported, ${terraform} files skipped`,
  ];
  return `${lines.join('\n')}\n`;
}
