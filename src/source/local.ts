/**
 * A `FileSource` over a folder on the local disk, for the CLI. Template text is untrusted (a
 * cloned pull request, a `Fn::Include` path written by anyone), so every path is confined to the
 * root: no absolute paths, no `..` escape after normalisation, and no symlink whose real path
 * lies outside the root's real path. Files are size-capped so one huge blob cannot exhaust memory.
 */
import { open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FileSource } from './file-source.js';

/** Big enough for the largest real templates (CloudFormation's own limit is 1 MB via S3). */
export const DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024;

export type ReadFailure = 'outside-root' | 'not-found' | 'not-a-file' | 'too-large' | 'unreadable';

export interface ReadRefusal {
  readonly ok: false;
  readonly reason: ReadFailure;
  readonly message: string;
}

export type ReadResult = { readonly ok: true; readonly text: string } | ReadRefusal;

export interface LocalSourceOptions {
  readonly maxFileBytes?: number;
}

/**
 * Normalises a root-relative path to forward slashes, or returns undefined when it is absolute
 * or climbs out of the root. Pure: symlinks are checked separately, on disk.
 */
export function normaliseRelativePath(relative: string): string | undefined {
  if (relative.includes('\0')) return undefined;
  const forward = relative.replace(/\\/g, '/');
  // Windows drive letters and UNC paths are absolute even on POSIX hosts' view of the repo.
  if (path.posix.isAbsolute(forward) || /^[a-zA-Z]:/.test(forward)) return undefined;
  const normal = path.posix.normalize(forward);
  if (normal === '..' || normal.startsWith('../')) return undefined;
  return normal === '.' ? '' : normal.replace(/\/$/, '');
}

function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export class LocalFileSource implements FileSource {
  readonly root: string;
  private readonly maxFileBytes: number;
  private realRoot: Promise<string> | undefined;

  constructor(root: string, options: LocalSourceOptions = {}) {
    this.root = path.resolve(root);
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  }

  async readFile(relative: string): Promise<string | undefined> {
    const result = await this.read(relative);
    return result.ok ? result.text : undefined;
  }

  /** Like `readFile`, but says why a file was refused, for the scan's error list. */
  async read(relative: string): Promise<ReadResult> {
    const located = await this.locate(relative);
    if (!located.ok) return located;
    return this.readCapped(relative, located.real, this.maxFileBytes, false);
  }

  /**
   * The first `bytes` bytes of a file (under the same confinement), for deciding by content
   * whether a file too large to read whole is a template at all.
   */
  async readPrefix(relative: string, bytes: number): Promise<ReadResult> {
    const located = await this.locate(relative);
    if (!located.ok) return located;
    return this.readCapped(relative, located.real, bytes, true);
  }

  private async locate(relative: string): Promise<{ ok: true; real: string } | ReadRefusal> {
    const normal = normaliseRelativePath(relative);
    if (normal === undefined) {
      return fail('outside-root', `refused: ${relative} is absolute or leaves the scan root`);
    }
    let real: string;
    try {
      real = await realpath(path.join(this.root, normal));
    } catch (error) {
      return fail('not-found', `cannot read ${relative}: ${describe(error)}`);
    }
    // The root itself may be reached through a symlink (e.g. /tmp on macOS): compare real paths.
    this.realRoot ??= realpath(this.root).catch(() => this.root);
    if (!isInside(await this.realRoot, real)) {
      return fail('outside-root', `refused: ${relative} resolves outside the scan root`);
    }
    // Stat before opening: opening a FIFO or device for reading could block or never end.
    try {
      if (!(await stat(real)).isFile()) {
        return fail('not-a-file', `${relative} is not a regular file`);
      }
    } catch (error) {
      return fail('unreadable', `cannot read ${relative}: ${describe(error)}`);
    }
    return { ok: true, real };
  }

  private async readCapped(
    relative: string,
    real: string,
    limit: number,
    truncate: boolean,
  ): Promise<ReadResult> {
    let handle;
    try {
      handle = await open(real, 'r');
    } catch (error) {
      return fail('unreadable', `cannot read ${relative}: ${describe(error)}`);
    }
    try {
      // Stat the open handle, so the size check and the read see the same file.
      const info = await handle.stat();
      if (!info.isFile()) return fail('not-a-file', `${relative} is not a regular file`);
      if (info.size > limit && !truncate) {
        return fail(
          'too-large',
          `skipped ${relative}: ${info.size} bytes exceeds the ${limit}-byte limit`,
        );
      }
      // Read at most limit + 1 bytes: a file that grew since the stat is still caught.
      const buffer = Buffer.alloc(Math.min(info.size, limit) + (truncate ? 0 : 1));
      let bytesRead = 0;
      while (bytesRead < buffer.length) {
        const chunk = await handle.read(buffer, bytesRead, buffer.length - bytesRead, bytesRead);
        if (chunk.bytesRead === 0) break;
        bytesRead += chunk.bytesRead;
      }
      if (bytesRead > limit && !truncate) {
        return fail('too-large', `skipped ${relative}: exceeds the ${limit}-byte limit`);
      }
      const text = buffer.subarray(0, bytesRead).toString('utf8');
      return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
    } catch (error) {
      return fail('unreadable', `cannot read ${relative}: ${describe(error)}`);
    } finally {
      await handle.close();
    }
  }
}

function fail(reason: ReadFailure, message: string): ReadRefusal {
  return { ok: false, reason, message };
}

function describe(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
    return error.code === 'ENOENT' ? 'no such file' : error.code;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Does anything exist at this path (file, folder, or what a symlink points at)? */
export async function pathExists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
