/**
 * The bundled sample pull request (`examples/pull-request/`): the repository at the base commit
 * (`base/`), the same repository at the head commit (`head/`) and the pull request's metadata
 * (`pull-request.json`). Kept as plain files so a reader can open and diff them.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export interface SampleMetadata {
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly author: string;
  readonly headRef: string;
  readonly baseRef: string;
}

export interface SamplePullRequest {
  readonly metadata: SampleMetadata;
  /** Repository path (forward slashes) → text, at the base commit. */
  readonly base: ReadonlyMap<string, string>;
  /** The same at the head commit. */
  readonly head: ReadonlyMap<string, string>;
}

export const SAMPLE_DIR = path.resolve(import.meta.dirname, '../../examples/pull-request');

export async function readSample(dir: string = SAMPLE_DIR): Promise<SamplePullRequest> {
  const metadata = parseMetadata(await readFile(path.join(dir, 'pull-request.json'), 'utf8'));
  return {
    metadata,
    base: await readTree(path.join(dir, 'base')),
    head: await readTree(path.join(dir, 'head')),
  };
}

/** The files the head commit changes relative to the base: new text, or null for a deletion. */
export function headChanges(sample: SamplePullRequest): Record<string, string | null> {
  const changes: Record<string, string | null> = {};
  for (const [file, text] of sample.head) {
    if (sample.base.get(file) !== text) changes[file] = text;
  }
  for (const file of sample.base.keys()) {
    if (!sample.head.has(file)) changes[file] = null;
  }
  return changes;
}

async function readTree(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const absolute = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(absolute);
      else if (entry.isFile()) {
        const relative = path.relative(root, absolute).split(path.sep).join('/');
        files.set(relative, await readFile(absolute, 'utf8'));
      }
    }
  };
  await walk(root);
  return files;
}

function parseMetadata(text: string): SampleMetadata {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null)
    throw new Error('pull-request.json: not an object');
  const record = value as Record<string, unknown>;
  const text_ = (key: string): string => {
    const field = record[key];
    if (typeof field !== 'string' || field === '') {
      throw new Error(`pull-request.json: "${key}" must be a non-empty string`);
    }
    return field;
  };
  const number = record['number'];
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1) {
    throw new Error('pull-request.json: "number" must be a positive integer');
  }
  return {
    owner: text_('owner'),
    repo: text_('repo'),
    number,
    title: text_('title'),
    body: typeof record['body'] === 'string' ? record['body'] : '',
    author: text_('author'),
    headRef: text_('headRef'),
    baseRef: text_('baseRef'),
  };
}
