/**
 * Writes fetched files into private temporary folders so the engine reads a pull request
 * exactly as it reads a checkout. Only regular files at safe relative paths are written
 * (0600, folders 0700), with O_EXCL | O_NOFOLLOW: nothing is ever followed or created as a link,
 * and a path that would leave its folder is refused, not written.
 */
import { constants } from 'node:fs';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { safeRelativePath } from './paths.js';

export async function createPrivateFolder(prefix: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

/** Writes `text` at `relative` under `root`; false (nothing written) when refused or failing. */
export async function writeConfined(
  root: string,
  relative: string,
  text: string,
): Promise<boolean> {
  const safe = safeRelativePath(relative);
  if (safe === undefined) return false;
  const absolute = path.resolve(root, safe);
  const rel = path.relative(root, absolute);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return false;
  try {
    await mkdir(path.dirname(absolute), { recursive: true, mode: 0o700 });
    const handle = await open(
      absolute,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      0o600,
    );
    try {
      await handle.writeFile(text, 'utf8');
    } finally {
      await handle.close();
    }
    return true;
  } catch {
    // A file where a folder is needed (or the reverse): two listed paths clash; skip the file.
    return false;
  }
}

export async function removeFolder(folder: string): Promise<void> {
  await rm(folder, { recursive: true, force: true });
}
