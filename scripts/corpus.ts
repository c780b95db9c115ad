/**
 * `npm run corpus -- <dir> [--list-unresolved]`: scans a folder of real-world repositories with
 * every rule and prints per-format statistics (see src/report/corpus.ts); with
 * `--list-unresolved`, every policy that could not be evaluated, with its reason.
 */
import path from 'node:path';
import { scanPaths } from '../src/engine/scan.js';
import { renderCorpusSummary } from '../src/report/corpus.js';
import { rules } from '../src/rules/index.js';

const args = process.argv.slice(2);
const listUnresolved = args.includes('--list-unresolved');
const dir = args.find((arg) => !arg.startsWith('--'));
if (!dir) {
  process.stderr.write('usage: npm run corpus -- <dir> [--list-unresolved]\n');
  process.exitCode = 2;
} else {
  const root = path.resolve(dir);
  const started = performance.now();
  const result = await scanPaths({ root, rules, keepScopes: listUnresolved });
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`corpus ${root} (${seconds.toFixed(2)} s)\n`);
  process.stdout.write(
    renderCorpusSummary(
      result,
      rules.map((rule) => rule.id),
      { listUnresolved },
    ),
  );
}
