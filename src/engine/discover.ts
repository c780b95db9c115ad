/**
 * Finds the files a scan considers. Which files are CloudFormation is decided later by content
 * (`looksLikeCloudFormation`): here only by name, so a repository full of unrelated YAML and JSON
 * is read but not reported on.
 *
 * Decisions:
 * - `node_modules`, `.git` and `.terraform` are never entered: they hold vendored or generated
 *   copies that the user does not review. `cdk.out` IS entered: CDK's synthesized
 *   `*.template.json` are the templates that get deployed.
 * - Symlinked folders are not followed (loops, and trees outside the root); symlinked files are
 *   listed and the file source refuses those whose target leaves the root.
 * - Extensionless files are not considered while walking (LICENSE, Makefile, scripts…), but a
 *   file named explicitly on the command line is read whatever its name.
 * - Terraform (`.tf`, `.tf.json`, `.tfvars`) is listed separately: a folder of them is one module,
 *   read together. A Terraform file named on the command line brings its folder's other
 *   Terraform files with it (not its subfolders: those are other modules).
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
  'node_modules',
  '.git',
  '.terraform',
]);

export const TEMPLATE_EXTENSIONS: readonly string[] = [
  '.yaml',
  '.yml',
  '.json',
  '.template',
  '.cfn',
];

export type CandidateKind = 'template' | 'terraform';

export interface Candidate {
  /** Relative to the scan root, forward slashes. */
  readonly file: string;
  readonly kind: CandidateKind;
  /** Named on the command line rather than found by walking. */
  readonly explicit: boolean;
}

export interface DiscoveryError {
  readonly file: string;
  readonly message: string;
}

export function classifyName(name: string): CandidateKind | undefined {
  const lower = name.toLowerCase();
  if (/\.(tf|tf\.json|tfvars|tfvars\.json)$/.test(lower)) return 'terraform';
  return TEMPLATE_EXTENSIONS.some((ext) => lower.endsWith(ext)) ? 'template' : undefined;
}

function toRelative(root: string, absolute: string): string {
  const rel = path.relative(root, absolute).split(path.sep).join('/');
  return rel === '' ? '.' : rel;
}

/**
 * The candidate files under `paths` (absolute, or relative to `root`), sorted and deduplicated.
 * A path that does not exist or lies outside the root is an error, not a crash.
 */
export async function discoverFiles(
  root: string,
  paths: readonly string[],
): Promise<{ candidates: Candidate[]; errors: DiscoveryError[] }> {
  const absoluteRoot = path.resolve(root);
  const found = new Map<string, Candidate>();
  const errors: DiscoveryError[] = [];

  const add = (candidate: Candidate): void => {
    const existing = found.get(candidate.file);
    // Explicit naming wins, so `scan . README` still reads README.
    if (!existing || (candidate.explicit && !existing.explicit))
      found.set(candidate.file, candidate);
  };

  /** A folder's entries; an unreadable folder is reported and read as empty. */
  const list = async (directory: string): Promise<Dirent[]> => {
    try {
      return await readdir(directory, { withFileTypes: true });
    } catch (error) {
      errors.push({ file: toRelative(absoluteRoot, directory), message: describe(error) });
      return [];
    }
  };

  const walk = async (directory: string): Promise<void> => {
    for (const entry of await list(directory)) {
      const absolute = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) await walk(absolute);
        continue;
      }
      if (!entry.isFile() && !entry.isSymbolicLink()) continue;
      const kind = classifyName(entry.name);
      if (kind) add({ file: toRelative(absoluteRoot, absolute), kind, explicit: false });
    }
  };

  /** The Terraform files beside an explicitly named one: Terraform reads a module as a folder. */
  const addSiblings = async (directory: string): Promise<void> => {
    for (const entry of await list(directory)) {
      if (entry.isDirectory() || classifyName(entry.name) !== 'terraform') continue;
      const file = toRelative(absoluteRoot, path.join(directory, entry.name));
      add({ file, kind: 'terraform', explicit: false });
    }
  };

  for (const given of paths) {
    const absolute = path.resolve(absoluteRoot, given);
    const rel = path.relative(absoluteRoot, absolute);
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      errors.push({ file: given, message: 'path is outside the scan root' });
      continue;
    }
    let info;
    try {
      info = await stat(absolute);
    } catch (error) {
      errors.push({ file: given, message: describe(error) });
      continue;
    }
    if (info.isDirectory()) {
      await walk(absolute);
    } else {
      const file = toRelative(absoluteRoot, absolute);
      const kind = classifyName(file) ?? 'template';
      add({ file, kind, explicit: true });
      if (kind === 'terraform') await addSiblings(path.dirname(absolute));
    }
  }

  const candidates = [...found.values()].sort((a, b) => compareStrings(a.file, b.file));
  return { candidates, errors };
}

/** Code-unit order, not locale order: the same on every machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function describe(error: unknown): string {
  if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
    return 'no such file or directory';
  }
  return error instanceof Error ? error.message : String(error);
}
