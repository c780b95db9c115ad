/**
 * Every CloudFormation file of the shared real-world corpus loads without parse errors and
 * without throwing. The corpus lives outside the repository; without it this suite is skipped.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  loadCloudFormation,
  looksLikeCloudFormation,
} from '../../../src/iac/cloudformation/index.js';
import { policiesOf } from '../../../src/iac/model.js';
import type { FileSource } from '../../../src/source/file-source.js';

const CORPUS = join(process.cwd(), '..', 'shared', 'corpus');
const MANIFEST = join(CORPUS, 'MANIFEST.tsv');
const present = existsSync(MANIFEST);

interface Entry {
  readonly file: string;
  readonly format: string;
}

function entries(): Entry[] {
  return readFileSync(MANIFEST, 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [file = '', , , , format = ''] = line.split('\t');
      return { file, format };
    });
}

const noFiles: FileSource = { readFile: () => Promise.resolve(undefined) };

describe.skipIf(!present)('real-world corpus', () => {
  it('loads every CloudFormation template without parse errors', async () => {
    const templates = entries().filter((e) => e.format.startsWith('cfn-'));
    expect(templates.length).toBeGreaterThan(20);
    let policies = 0;
    let unresolved = 0;
    for (const { file } of templates) {
      const text = readFileSync(join(CORPUS, file), 'utf8');
      expect(looksLikeCloudFormation(text), file).toBe(true);
      const scope = await loadCloudFormation(file, text, noFiles);
      expect(
        scope.diagnostics.filter((d) => d.kind === 'parse-error'),
        file,
      ).toEqual([]);
      expect(scope.resources.length, file).toBeGreaterThan(0);
      const found = policiesOf(scope);
      policies += found.length;
      unresolved += found.filter((p) => p.policy.unresolved !== undefined).length;
    }
    // Floors, so a regression in reading policies shows up (counts at the time of writing: 114 / 2).
    expect(policies).toBeGreaterThanOrEqual(100);
    expect(unresolved).toBeLessThanOrEqual(5);
  });

  it('does not take Terraform or plain policy files for templates', () => {
    for (const { file } of entries().filter((e) => !e.format.startsWith('cfn-'))) {
      expect(looksLikeCloudFormation(readFileSync(join(CORPUS, file), 'utf8')), file).toBe(false);
    }
  });

  it('finds the S3 endpoints the manifest describes', async () => {
    const file = 'files/aws-samples__serverless-patterns/lambda-s3-files-sam/template.yaml';
    const scope = await loadCloudFormation(file, readFileSync(join(CORPUS, file), 'utf8'), noFiles);
    const endpoints = scope.resources.filter((r) => r.kind === 'vpc-endpoint');
    // One S3 gateway endpoint, and an s3-outposts interface endpoint that is not S3.
    expect(endpoints.map((e) => (e.kind === 'vpc-endpoint' ? e.isS3 : undefined)).sort()).toEqual([
      false,
      true,
    ]);
  });
});
