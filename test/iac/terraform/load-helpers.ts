import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { displayValue, type Value } from '../../../src/core/value.js';
import type { PolicyRef, Resource, Scope } from '../../../src/iac/model.js';
import { isTerraformFile, loadTerraformModule } from '../../../src/iac/terraform/index.js';
import type { FileSource } from '../../../src/source/file-source.js';

export const FIXTURES = 'test/iac/terraform/fixtures';

/** A FileSource over a folder on disk, refusing paths that leave it. */
export function diskSource(root: string): FileSource {
  return {
    readFile: async (path: string) => {
      if (path.startsWith('/') || path.split('/').includes('..')) return undefined;
      try {
        return readFileSync(join(root, path), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}

/** Loads the module folder `dir` (relative to `root`), as the CLI would. */
export async function loadDir(dir: string, root = '.'): Promise<Scope> {
  const files = readdirSync(join(root, dir))
    .filter((name) => isTerraformFile(name) && statSync(join(root, dir, name)).isFile())
    .map((name) => ({
      path: relative(root, join(root, dir, name))
        .split('\\')
        .join('/'),
      text: readFileSync(join(root, dir, name), 'utf8'),
    }));
  return loadTerraformModule(dir, files, diskSource(root));
}

export function resource(scope: Scope, address: string): Resource {
  const found = scope.resources.find((r) => r.address === address);
  if (!found) throw new Error(`no ${address}: ${scope.resources.map((r) => r.address).join(', ')}`);
  return found;
}

export function policiesIn(r: Resource): readonly PolicyRef[] {
  if (r.kind === 'iam-policy') return r.policies;
  if ('policy' in r && r.policy) return [r.policy];
  return [];
}

/** `file:line` of a range. */
export function where(range: { file: string; startLine: number }): string {
  return `${range.file.split('/').pop() ?? ''}:${range.startLine}`;
}

export const show = (value: Value | undefined): string => (value ? displayValue(value) : '<unset>');
