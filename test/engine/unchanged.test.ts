/**
 * engine/unchanged.ts: a scan with a base skips, in the base, the files a change leaves
 * identical; a Terraform module counts as changed when any file of its folder changed.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../src/iac/model.js';
import { compareTrees, isUnchanged, needsBaseScan } from '../../src/engine/unchanged.js';

let tmp: string;
let head: string;
let base: string;

async function put(root: string, file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.join(root, file)), { recursive: true });
  await writeFile(path.join(root, file), text);
}

const scope = (id: string, format: Scope['format'], files: string[]): Scope => ({
  id,
  format,
  files,
  resources: [],
  diagnostics: [],
});

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'seg-unchanged-'));
  head = path.join(tmp, 'head');
  base = path.join(tmp, 'base');
  const template = 'AWSTemplateFormatVersion: "2010-09-09"\nResources: {}\n';
  for (const root of [head, base]) {
    await put(root, 'cfn/same.yaml', template);
    await put(root, 'mod/main.tf', 'resource "aws_vpc" "a" {}\n');
    await put(root, 'stable/main.tf', 'resource "aws_vpc" "b" {}\n');
  }
  await put(head, 'cfn/edited.yaml', `${template}# edited\n`);
  await put(base, 'cfn/edited.yaml', template);
  await put(head, 'cfn/added.yaml', template);
  await put(base, 'cfn/removed.yaml', template);
  // A module with one file changed: its other file is identical but the module is not.
  await put(head, 'mod/extra.tf', 'resource "aws_vpc" "c" {}\n');
  // A hostile tree: a template name that is a symlink to an endless device, on both sides.
  for (const root of [head, base]) {
    await mkdir(path.join(root, 'evil'), { recursive: true });
    await symlink('/dev/zero', path.join(root, 'evil', 'zero.yaml'));
  }
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('compareTrees', () => {
  it('finds identical files and folders with changes', async () => {
    const same = await compareTrees(head, base, ['.']);
    expect([...same.identical].sort()).toEqual(['cfn/same.yaml', 'mod/main.tf', 'stable/main.tf']);
    // The symlink is never read (it would never end): it counts as changed.
    expect([...same.changedFolders].sort()).toEqual(['cfn', 'evil', 'mod']);
  });

  it('decides which base files are scanned and which head scopes are their own base', async () => {
    const same = await compareTrees(head, base, ['.']);
    expect(needsBaseScan(same, 'cfn/same.yaml')).toBe(false);
    expect(needsBaseScan(same, 'cfn/edited.yaml')).toBe(true);
    expect(needsBaseScan(same, 'cfn/removed.yaml')).toBe(true);
    // Identical, but its module changed.
    expect(needsBaseScan(same, 'mod/main.tf')).toBe(true);
    expect(needsBaseScan(same, 'stable/main.tf')).toBe(false);

    expect(isUnchanged(same, scope('cfn/same.yaml', 'cloudformation', ['cfn/same.yaml']))).toBe(
      true,
    );
    // An included file that changed (or lies outside the compared paths) makes it changed.
    expect(
      isUnchanged(
        same,
        scope('cfn/same.yaml', 'cloudformation', ['cfn/same.yaml', 'cfn/edited.yaml']),
      ),
    ).toBe(false);
    expect(isUnchanged(same, scope('mod', 'terraform', ['mod/main.tf']))).toBe(false);
    expect(isUnchanged(same, scope('stable', 'terraform', ['stable/main.tf']))).toBe(true);
  });
});
