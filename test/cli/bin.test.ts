/**
 * The executable wrapper, run as a real process once: it must pass argv through and turn
 * main's result into the process exit code.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');

function bin(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
  });
}

describe('s3-endpoint-guard executable', () => {
  it('exits 1 on an error finding, 0 with --fail-on never, 2 on a usage error', () => {
    const failing = bin('scan', 'examples/office-ip-bucket-policy.yaml');
    expect(failing.status).toBe(1);
    expect(failing.stdout).toContain('sourceip-deny-blocks-endpoint');
    expect(bin('scan', 'examples/office-ip-bucket-policy.yaml', '--fail-on', 'never').status).toBe(
      0,
    );
    const usage = bin('scan', '--format', 'yaml');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('--format must be one of text, json, sarif');
  });
});
