/**
 * Which files a change leaves byte-for-byte identical, so a scan with a base version need not
 * load and check them twice: a scope whose files are all identical has the same findings in
 * the base as in the head, and is its own base scope. This is what keeps a scan with `--base`
 * under twice the cost of a plain scan when a change touches a few files of many.
 */
import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Scope } from '../iac/model.js';
import { discoverFiles } from './discover.js';

export interface UnchangedFiles {
  /** Files (relative to the scan root) present in both versions with the same bytes. */
  readonly identical: ReadonlySet<string>;
  /** Folders with a file added, removed or changed (a Terraform module there has changed). */
  readonly changedFolders: ReadonlySet<string>;
}

/**
 * Compares the candidate files under `paths` in the head root and its base copy. Files that
 * cannot be read on either side count as changed: the base is then scanned as usual.
 */
export async function compareTrees(
  headRoot: string,
  baseRoot: string,
  paths: readonly string[],
): Promise<UnchangedFiles> {
  const [head, base] = await Promise.all([
    discoverFiles(headRoot, paths),
    discoverFiles(baseRoot, paths),
  ]);
  const inBase = new Set(base.candidates.map((c) => c.file));
  const identical = new Set<string>();
  const changedFolders = new Set<string>();
  for (const { file } of head.candidates) {
    if (inBase.has(file) && (await sameBytes(headRoot, baseRoot, file))) identical.add(file);
    else changedFolders.add(folderOf(file));
  }
  for (const file of inBase) if (!identical.has(file)) changedFolders.add(folderOf(file));
  return { identical, changedFolders };
}

/** Larger files are never compared (they are scanned as changed; the scan has its own cap). */
const MAX_COMPARE_BYTES = 8 * 1024 * 1024;

/**
 * Only regular files are compared: a symlink in a pull request could point at a device
 * (`/dev/zero`) or a file outside the tree. Anything else counts as changed, and the scan,
 * which confines its reads to the root, decides what to do with it.
 */
async function comparable(file: string): Promise<boolean> {
  const info = await lstat(file);
  return info.isFile() && info.size <= MAX_COMPARE_BYTES;
}

async function sameBytes(headRoot: string, baseRoot: string, file: string): Promise<boolean> {
  try {
    const headFile = path.join(headRoot, file);
    const baseFile = path.join(baseRoot, file);
    if (!(await comparable(headFile)) || !(await comparable(baseFile))) return false;
    const [a, b] = await Promise.all([readFile(headFile), readFile(baseFile)]);
    return a.equals(b);
  } catch {
    return false;
  }
}

export function folderOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '.' : file.slice(0, slash);
}

/** Must the base version of this file be scanned (its scope may differ from the head's)? */
export function needsBaseScan(files: UnchangedFiles, file: string): boolean {
  if (!files.identical.has(file)) return true;
  // A Terraform module is one scope: one changed file changes all of it.
  return /\.tf(vars)?(\.json)?$/i.test(file) && files.changedFolders.has(folderOf(file));
}

/**
 * Is the scope the same in both versions? Every file read into it (includes too) identical,
 * and for a Terraform module no file added or removed in its folder. A scope whose included
 * file lies outside the compared paths counts as changed.
 */
export function isUnchanged(files: UnchangedFiles, scope: Scope): boolean {
  if (scope.format === 'terraform' && files.changedFolders.has(scope.id)) return false;
  return scope.files.length > 0 && scope.files.every((file) => files.identical.has(file));
}
