/** Shared test helpers: fixtures read through a FileSource that records every path asked. */
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileSource } from '../../../src/source/file-source.js';
import { loadCloudFormation } from '../../../src/iac/cloudformation/index.js';
import type { Resource, Scope } from '../../../src/iac/model.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** A FileSource over the fixtures folder that records what it is asked and refuses escapes. */
export function recordingSource(): FileSource & { readonly asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    readFile(path: string): Promise<string | undefined> {
      asked.push(path);
      const full = normalize(join(FIXTURES, path));
      if (!full.startsWith(FIXTURES + '/')) throw new Error(`escaped the root: ${path}`);
      try {
        return Promise.resolve(readFileSync(full, 'utf8'));
      } catch {
        return Promise.resolve(undefined);
      }
    },
  };
}

export async function loadFixture(name: string): Promise<Scope> {
  return loadCloudFormation(name, fixtureText(name), recordingSource());
}

export function resource<K extends Resource['kind']>(
  scope: Scope,
  address: string,
  kind: K,
): Extract<Resource, { kind: K }> {
  const found = scope.resources.find((r) => r.address === address);
  if (!found || found.kind !== kind)
    throw new Error(`no ${kind} ${address}: ${found?.kind ?? 'missing'}`);
  return found as Extract<Resource, { kind: K }>;
}
