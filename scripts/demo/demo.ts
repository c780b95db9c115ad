/**
 * `npm run demo [-- --out <dir>] [-- --json]`: runs the real GitHub App on the bundled sample
 * pull request (`examples/pull-request/`) without GitHub credentials — a local stand-in for
 * GitHub, the app served over HTTP, a signed webhook — then replays two slash commands on the
 * pull request (a maintainer's `/s3-guard ignore`, the author's `/s3-guard recheck`), prints what
 * the app published and writes it to `<dir>/report.md` and `<dir>/report.html` (default
 * `demo-output/`).
 *
 * Exit codes: 0 when the app completed its check run (whatever its conclusion: the sample is
 * meant to fail the check) and a new one for each command, 1 when it did not (60 s for the first
 * evaluation, 60 s for each command), 2 for a usage error.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createGuardApp } from '../../src/app/index.js';
import { formatConsole } from './render-report.js';
import { runDemo, writeReports } from './run-demo.js';

const USAGE = 'usage: npm run demo [-- --out <dir>] [-- --json]';

export interface DemoArguments {
  readonly out: string;
  readonly json: boolean;
}

export function parseArguments(argv: readonly string[]): DemoArguments | string {
  let out = 'demo-output';
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (arg === '--out') {
      const value = argv[++i];
      if (!value || value.startsWith('-')) return '--out needs a folder';
      out = value;
    } else if (arg?.startsWith('--out=')) out = arg.slice('--out='.length);
    else if (arg === '--help' || arg === '-h') return USAGE;
    else return `unknown argument: ${arg ?? ''}`;
  }
  return { out, json };
}

export async function main(argv: readonly string[]): Promise<number> {
  const args = parseArguments(argv);
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n${args === USAGE ? '' : `${USAGE}\n`}`);
    return args === USAGE ? 0 : 2;
  }
  // The real app with the real GitHub layer, as `probot run` loads it (a fresh instance, so its
  // idle() covers exactly this run's work).
  const guard = createGuardApp();
  const { report, completed } = await runDemo({ app: guard.app, idle: () => guard.idle() });
  const files = await writeReports(report, path.resolve(args.out));
  const shown = files.map((file) => {
    const relative = path.relative(process.cwd(), file);
    return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
  });
  if (args.json)
    process.stdout.write(`${JSON.stringify({ completed, report, files: shown }, null, 2)}\n`);
  else process.stdout.write(formatConsole(report, shown));
  if (!completed) {
    process.stderr.write(
      'The app did not complete a check run for the pull request and for each command within ' +
        '60 s each: see the report for what it did.\n',
    );
    return 1;
  }
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `demo failed: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
