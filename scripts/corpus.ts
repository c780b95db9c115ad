/**
 * `npm run corpus -- <dir>`: scans a folder of real-world repositories with every rule and
 * prints what the engine made of it, per format: files read, parse errors, policies found and
 * unresolved, and findings per rule. A quick way to see where the adapters or rules fall short
 * on code nobody wrote for our tests.
 */
import path from 'node:path';
import { scanPaths } from '../src/engine/scan.js';
import type { ScanResult } from '../src/engine/scan.js';
import { rules } from '../src/rules/index.js';

export function corpusSummary(result: ScanResult): string {
  const lines: string[] = [];
  const cfn = result.files.filter((f) => f.format === 'cloudformation');
  const sum = (key: 'policies' | 'unresolvedPolicies' | 'resources' | 'parseErrors'): number =>
    cfn.reduce((total, file) => total + file[key], 0);

  lines.push('cloudformation:');
  lines.push(`  candidate files read:   ${result.filesRead}`);
  lines.push(`  templates recognised:   ${cfn.length}`);
  lines.push(`  templates with a parse error: ${cfn.filter((f) => f.parseErrors > 0).length}`);
  lines.push(`  resources:              ${sum('resources')}`);
  lines.push(`  policies found:         ${sum('policies')}`);
  lines.push(`  policies unresolved:    ${sum('unresolvedPolicies')}`);
  lines.push(`  files not scanned:      ${result.errors.length}`);
  for (const error of result.errors) lines.push(`    ${error.file}: ${error.message}`);

  const perRule = new Map<string, number>();
  for (const finding of result.findings) {
    perRule.set(finding.ruleId, (perRule.get(finding.ruleId) ?? 0) + 1);
  }
  lines.push('  findings per rule:');
  for (const rule of rules) lines.push(`    ${rule.id.padEnd(40)} ${perRule.get(rule.id) ?? 0}`);
  for (const [id, count] of perRule) {
    if (!rules.some((r) => r.id === id)) lines.push(`    ${id.padEnd(40)} ${count}`);
  }

  const terraform = result.skipped.filter((s) => s.format === 'terraform').length;
  lines.push('terraform:');
  lines.push(`  not yet supported, ${terraform} files skipped`);
  return `${lines.join('\n')}\n`;
}

async function run(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: npm run corpus -- <dir>\n');
    process.exitCode = 2;
    return;
  }
  const root = path.resolve(dir);
  const started = performance.now();
  const result = await scanPaths({ root, rules });
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`corpus ${root} (${seconds.toFixed(2)} s)\n`);
  process.stdout.write(corpusSummary(result));
}

await run();
