/**
 * `npm run bench:delta`: what change awareness costs. A temporary git repository holds the
 * CloudFormation bench set (1,000 generated templates), the repository's examples and the shared
 * corpus; one commit is the base, then a pull request's worth of edits (2% of the templates
 * changed, a few added) sits in the working tree. Each set is timed as a single scan and as a
 * delta (`scan --base HEAD`: git archive of the scanned paths, base scan, head scan with the base
 * scopes, comparison), through the CLI's `main`, and the ratio is printed. Goal: under 2.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { main } from '../src/cli/run.js';
import { writeManyTemplates } from './scan-cloudformation.js';

const exec = promisify(execFile);
const here = path.resolve(import.meta.dirname, '..');
const RUNS = 3;

async function git(cwd: string, ...args: string[]): Promise<void> {
  await exec('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...args], {
    cwd,
    maxBuffer: 64 * 1024 * 1024,
  });
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** Wall seconds of one CLI run (JSON to a discarded string), and its parsed summary. */
async function timeCli(cwd: string, argv: string[]): Promise<{ seconds: number; report: string }> {
  let report = '';
  let errors = '';
  const started = performance.now();
  const code = await main([...argv, '--format', 'json', '--fail-on', 'never'], {
    stdout: (text) => (report += text),
    stderr: (text) => (errors += text),
    cwd,
    isTTY: false,
    env: {},
  });
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`scan failed (${code}): ${errors}`);
  return { seconds, report };
}

/** The median of RUNS timings: one slow run on a shared machine does not decide the ratio. */
async function median(cwd: string, argv: string[]): Promise<{ seconds: number; report: string }> {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await timeCli(cwd, argv));
  runs.sort((a, b) => a.seconds - b.seconds);
  const middle = runs[Math.floor(RUNS / 2)];
  if (!middle) throw new Error('no runs');
  return middle;
}

async function run(): Promise<void> {
  const root = await mkdtemp(path.join(tmpdir(), 's3-endpoint-guard-bench-delta-'));
  try {
    await mkdir(path.join(root, 'many'));
    await writeManyTemplates(path.join(root, 'many'));
    await cp(path.join(here, 'examples'), path.join(root, 'examples'), { recursive: true });
    const corpus = path.resolve(here, '../shared/corpus/files');
    const sets: [string, string][] = [
      ['1,000 templates', 'many'],
      ['examples', 'examples'],
    ];
    if (await exists(corpus)) {
      await cp(corpus, path.join(root, 'corpus'), { recursive: true });
      sets.push(['shared corpus', 'corpus']);
    }
    await git(root, 'init', '-q');
    await git(root, 'add', '-A');
    await git(root, 'commit', '-q', '-m', 'base');

    // The head: every 50th template edited (its first group's resources renamed, so their
    // findings are new and the old ones fixed), ten new templates.
    for (let i = 0; i < 1000; i += 50) {
      for (const ext of ['yaml', 'json']) {
        const file = path.join(root, 'many', `stack-${i}.${ext}`);
        if (!(await exists(file))) continue;
        const text = await readFile(file, 'utf8');
        await writeFile(file, text.replaceAll(`${i * 100_000}`, `${i * 100_000}9`));
      }
    }
    for (let i = 0; i < 10; i++) {
      await cp(
        path.join(root, 'many', `stack-${i * 5 + 1}.yaml`),
        path.join(root, 'many', `new-${i}.yaml`),
      );
    }

    await timeCli(root, ['scan', 'many']); // warm-up: JIT, module loading, data tables
    for (const [label, dir] of sets) {
      const single = await median(root, ['scan', dir]);
      const delta = await median(root, ['scan', '--base', 'HEAD', dir]);
      const summary = JSON.parse(delta.report) as {
        summary: { byStatus?: { new: number; existing: number }; fixed: number };
      };
      const status = summary.summary.byStatus ?? { new: 0, existing: 0 };
      process.stdout.write(
        `${label.padEnd(16)} single ${single.seconds.toFixed(2).padStart(6)} s   ` +
          `delta ${delta.seconds.toFixed(2).padStart(6)} s   ratio ${(delta.seconds / single.seconds).toFixed(2)}   ` +
          `(${status.new} new, ${status.existing} existing, ${summary.summary.fixed} fixed)\n`,
      );
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await run();
