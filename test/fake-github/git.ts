/**
 * The fake's object store: blobs, trees and commits hashed exactly as git hashes them, so the
 * shas the app sees (and compares) behave like GitHub's. One store serves every repository,
 * as a fork network shares objects on GitHub.
 */
import { createHash } from 'node:crypto';

export type FileContent = string | Buffer | { symlink: string };

export interface TreeFile {
  /** '100644' for files, '120000' for symbolic links (the blob holds the link target). */
  readonly mode: '100644' | '120000';
  readonly sha: string;
}

export interface StoredCommit {
  readonly sha: string;
  readonly treeSha: string;
  readonly parents: readonly string[];
  readonly message: string;
  /** Every file of the commit by path. */
  readonly files: ReadonlyMap<string, TreeFile>;
}

export interface StoredTree {
  readonly sha: string;
  /** Entries by name: files, or sub-trees (mode '040000'). */
  readonly entries: readonly { name: string; mode: string; type: 'blob' | 'tree'; sha: string }[];
}

function hashObject(type: string, body: Buffer): string {
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body]))
    .digest('hex');
}

/** git's blob id: sha1("blob <length>\0<bytes>"). */
export function blobSha(data: Buffer): string {
  return hashObject('blob', data);
}

export class ObjectStore {
  readonly blobs = new Map<string, Buffer>();
  readonly trees = new Map<string, StoredTree>();
  readonly commits = new Map<string, StoredCommit>();
  private clock = Date.UTC(2026, 0, 1) / 1000;

  putBlob(data: Buffer): string {
    const sha = blobSha(data);
    if (!this.blobs.has(sha)) this.blobs.set(sha, data);
    return sha;
  }

  /** A new commit: the parent's files with `changes` applied (null deletes). */
  commit(
    parent: string | undefined,
    changes: Record<string, FileContent | null>,
    message: string,
  ): StoredCommit {
    const base = parent === undefined ? undefined : this.commits.get(parent);
    if (parent !== undefined && !base) throw new Error(`unknown parent commit ${parent}`);
    const files = new Map<string, TreeFile>(base?.files ?? []);
    for (const [rawPath, content] of Object.entries(changes)) {
      const path = normalisePath(rawPath);
      if (content === null) {
        files.delete(path);
        continue;
      }
      if (typeof content === 'string' || Buffer.isBuffer(content)) {
        const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
        files.set(path, { mode: '100644', sha: this.putBlob(data) });
      } else {
        files.set(path, { mode: '120000', sha: this.putBlob(Buffer.from(content.symlink)) });
      }
    }
    const treeSha = this.writeTree(files);
    this.clock += 60;
    const body = [
      `tree ${treeSha}`,
      ...(parent === undefined ? [] : [`parent ${parent}`]),
      `author Fake <fake@example.com> ${this.clock} +0000`,
      `committer Fake <fake@example.com> ${this.clock} +0000`,
      '',
      message,
      '',
    ].join('\n');
    const sha = hashObject('commit', Buffer.from(body));
    const stored: StoredCommit = {
      sha,
      treeSha,
      parents: parent === undefined ? [] : [parent],
      message,
      files,
    };
    this.commits.set(sha, stored);
    return stored;
  }

  /** Hashes every directory bottom-up and stores the trees; returns the root tree's sha. */
  private writeTree(files: ReadonlyMap<string, TreeFile>): string {
    const directories = new Map<string, Map<string, { mode: string; sha: string }>>();
    const ensure = (dir: string): Map<string, { mode: string; sha: string }> => {
      let entries = directories.get(dir);
      if (!entries) {
        entries = new Map();
        directories.set(dir, entries);
        if (dir !== '') ensure(parentOf(dir));
      }
      return entries;
    };
    ensure('');
    for (const [path, file] of files) ensure(parentOf(path)).set(baseName(path), file);
    // Deepest first, so a directory's sub-trees are hashed before it.
    const order = [...directories.keys()].sort((x, y) => depth(y) - depth(x));
    const shas = new Map<string, string>();
    for (const dir of order) {
      const entries = directories.get(dir) as Map<string, { mode: string; sha: string }>;
      for (const [child, childSha] of shas) {
        if (child !== '' && parentOf(child) === dir && !entries.has(baseName(child)))
          entries.set(baseName(child), { mode: '40000', sha: childSha });
      }
      const sorted = [...entries.entries()].sort(([a, x], [b, y]) =>
        compareTreeNames(a, x.mode, b, y.mode),
      );
      const body = Buffer.concat(
        sorted.flatMap(([name, entry]) => [
          Buffer.from(`${entry.mode} ${name}\0`),
          Buffer.from(entry.sha, 'hex'),
        ]),
      );
      const sha = hashObject('tree', body);
      shas.set(dir, sha);
      this.trees.set(sha, {
        sha,
        entries: sorted.map(([name, entry]) => ({
          name,
          mode: entry.mode === '40000' ? '040000' : entry.mode,
          type: entry.mode === '40000' ? 'tree' : 'blob',
          sha: entry.sha,
        })),
      });
    }
    return shas.get('') as string;
  }

  /** The merge base of two commits along first parents (the fake's histories are linear). */
  mergeBase(a: string, b: string): string | undefined {
    const ancestors = new Set<string>();
    for (let sha: string | undefined = a; sha; sha = this.commits.get(sha)?.parents[0])
      ancestors.add(sha);
    for (let sha: string | undefined = b; sha; sha = this.commits.get(sha)?.parents[0])
      if (ancestors.has(sha)) return sha;
    return undefined;
  }
}

/** git orders tree entries by name, comparing a directory as if its name ended in '/'. */
function compareTreeNames(a: string, aMode: string, b: string, bMode: string): number {
  const x = Buffer.from(aMode === '40000' ? `${a}/` : a);
  const y = Buffer.from(bMode === '40000' ? `${b}/` : b);
  return Buffer.compare(x, y);
}

export function normalisePath(path: string): string {
  const clean = path.replace(/^\/+/, '');
  if (clean === '' || clean.split('/').some((part) => part === '' || part === '.' || part === '..'))
    throw new Error(`not a repository path: ${path}`);
  return clean;
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function depth(dir: string): number {
  return dir === '' ? 0 : dir.split('/').length;
}
