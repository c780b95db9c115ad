import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyName, discoverFiles } from '../../src/engine/discover.js';

let root: string;

async function touch(file: string): Promise<void> {
  await mkdir(path.dirname(path.join(root, file)), { recursive: true });
  await writeFile(path.join(root, file), 'x');
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'seg-discover-'));
  for (const file of [
    'a.yaml',
    'b.yml',
    'c.json',
    'd.template',
    'e.cfn',
    'README.md',
    'Makefile',
    'main.tf',
    'vars.tf.json',
    'node_modules/pkg/t.yaml',
    '.git/config.json',
    '.terraform/modules/m.json',
    'cdk.out/App.template.json',
    'nested/deep/x.YAML',
  ]) {
    await touch(file);
  }
  await mkdir(path.join(root, 'elsewhere'));
  await symlink(path.join(root, 'nested'), path.join(root, 'loop-dir'));
  await symlink(path.join(root, 'a.yaml'), path.join(root, 'alias.yaml'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('discoverFiles', () => {
  it('walks folders, skips node_modules/.git/.terraform, reads cdk.out, sorts', async () => {
    const { candidates, errors } = await discoverFiles(root, ['.']);
    expect(errors).toEqual([]);
    expect(candidates.map((c) => [c.file, c.kind])).toEqual([
      ['a.yaml', 'template'],
      ['alias.yaml', 'template'],
      ['b.yml', 'template'],
      ['c.json', 'template'],
      ['cdk.out/App.template.json', 'template'],
      ['d.template', 'template'],
      ['e.cfn', 'template'],
      ['main.tf', 'terraform'],
      ['nested/deep/x.YAML', 'template'],
      ['vars.tf.json', 'terraform'],
    ]);
  });

  it('reads an explicitly named file whatever its name, once', async () => {
    const { candidates } = await discoverFiles(root, [
      'Makefile',
      'nested',
      './nested/deep/x.YAML',
    ]);
    expect(candidates).toEqual([
      { file: 'Makefile', kind: 'template', explicit: true },
      { file: 'nested/deep/x.YAML', kind: 'template', explicit: true },
    ]);
  });

  it('a Terraform file named explicitly brings its folder’s Terraform files, not subfolders', async () => {
    for (const file of [
      'tf/main.tf',
      'tf/vars.tf',
      'tf/terraform.tfvars',
      'tf/notes.md',
      'tf/sub/x.tf',
    ]) {
      await touch(file);
    }
    const { candidates } = await discoverFiles(root, ['tf/main.tf']);
    expect(candidates).toEqual([
      { file: 'tf/main.tf', kind: 'terraform', explicit: true },
      { file: 'tf/terraform.tfvars', kind: 'terraform', explicit: false },
      { file: 'tf/vars.tf', kind: 'terraform', explicit: false },
    ]);
  });

  it('reports missing paths and paths outside the root as errors', async () => {
    const { candidates, errors } = await discoverFiles(path.join(root, 'nested'), [
      'missing.yaml',
      '../a.yaml',
    ]);
    expect(candidates).toEqual([]);
    expect(errors).toEqual([
      { file: 'missing.yaml', message: 'no such file or directory' },
      { file: '../a.yaml', message: 'path is outside the scan root' },
    ]);
  });
});

describe('classifyName', () => {
  it.each([
    ['stack.yaml', 'template'],
    ['stack.template', 'template'],
    ['x.cfn', 'template'],
    ['main.tf', 'terraform'],
    ['main.tf.json', 'terraform'],
    ['prod.tfvars', 'terraform'],
    ['notes.txt', undefined],
    ['Dockerfile', undefined],
  ])('%s → %s', (name, kind) => {
    expect(classifyName(name)).toBe(kind);
  });
});
