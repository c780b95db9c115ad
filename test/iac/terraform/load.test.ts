/**
 * Loading whole module folders: file selection, syntax errors that cost only their own part of
 * the module, and the shared real-world corpus (skipped when it is not checked out next to the
 * repository).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { policiesOf } from '../../../src/iac/model.js';
import { isTerraformFile, loadTerraformModule } from '../../../src/iac/terraform/index.js';
import { FIXTURES, loadDir, where } from './load-helpers.js';

describe('isTerraformFile', () => {
  it.each([
    ['main.tf', true],
    ['modules/x/variables.tf', true],
    ['main.tf.json', true],
    ['terraform.tfvars', true],
    ['prod.auto.tfvars', true],
    ['prod.tfvars', false],
    ['policy.json.tpl', false],
    ['main.tftest.hcl', false],
    ['README.md', false],
  ])('%s → %s', (path, expected) => {
    expect(isTerraformFile(path)).toBe(expected);
  });
});

describe('loadTerraformModule', () => {
  it('reports a syntax error at its line and still reads the rest of the module', async () => {
    const scope = await loadDir(`${FIXTURES}/broken`);
    const errors = scope.diagnostics.filter((d) => d.kind === 'parse-error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((d) => d.range.file.endsWith('broken/main.tf'))).toBe(true);
    expect(scope.resources.map((r) => r.address)).toContain('aws_vpc.fine');
    expect(scope.resources.map((r) => r.address)).toContain('aws_s3_bucket_policy.ok');
    const [ok] = policiesOf(scope).filter((p) => p.resource.address === 'aws_s3_bucket_policy.ok');
    const statement = ok?.policy.variants[0]?.document.statements[0];
    expect(statement && where(statement.range)).toBe('main.tf:5');
  });

  it('never throws on hostile input', async () => {
    const inputs = [
      '',
      '}}}{{{',
      'resource "a" {',
      '\u0000\u0001',
      'locals { x = local.x }',
      'x = "${',
    ];
    for (const text of inputs) {
      const scope = await loadTerraformModule('m', [{ path: 'm/main.tf', text }], {
        readFile: () => Promise.resolve(undefined),
      });
      expect(scope.format).toBe('terraform');
    }
  });

  it('an empty folder is an empty scope', async () => {
    const scope = await loadTerraformModule('empty', [], {
      readFile: () => Promise.resolve(undefined),
    });
    expect(scope).toMatchObject({
      id: 'empty',
      format: 'terraform',
      resources: [],
      diagnostics: [],
    });
  });
});

const CORPUS = join(process.cwd(), '..', 'shared', 'corpus', 'files');

function moduleDirs(root: string): string[] {
  const dirs = new Set<string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(root, dir))) {
      const path = dir === '' ? name : `${dir}/${name}`;
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (isTerraformFile(name)) dirs.add(dir);
    }
  };
  walk('');
  return [...dirs].sort();
}

describe.skipIf(!existsSync(CORPUS))('real-world Terraform corpus', () => {
  it('loads every module folder without parse errors and finds its policies', async () => {
    const dirs = moduleDirs(CORPUS);
    expect(dirs.length).toBeGreaterThanOrEqual(10);
    let policies = 0;
    for (const dir of dirs) {
      const scope = await loadDir(dir, CORPUS);
      expect(
        scope.diagnostics.filter((d) => d.kind === 'parse-error'),
        dir,
      ).toEqual([]);
      policies += policiesOf(scope).length;
    }
    expect(policies).toBeGreaterThanOrEqual(9);
  }, 60_000);
});
