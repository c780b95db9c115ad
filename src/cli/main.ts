#!/usr/bin/env node
/**
 * The `s3-endpoint-guard` executable: wires `main` (run.ts) to the process and nothing else, so
 * all behaviour stays testable without spawning processes.
 */
import { main } from './run.js';

// `scan … | head` closes the pipe early: that is the reader's choice, not a crash to report.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const code = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  isTTY: process.stdout.isTTY === true,
  env: process.env,
});
process.exitCode = code;
