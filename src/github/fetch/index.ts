/**
 * Reading a pull request (or a merge group: `changed-files.ts`) for an evaluation: which files
 * it changes and their changed lines, and the files each analysis scope needs at head and at
 * base — changed templates, whole Terraform module folders (siblings too, not subfolders), and
 * the files they include — fetched in batches (two tree listings, one GraphQL query per 100 blobs), then written into
 * two private folders the engine scans like a checkout.
 *
 * A renamed file's base version is written at its head path, so a rename alone changes no
 * finding's fingerprint (fingerprints name the file): the base scan sees the file where the
 * head scan does.
 */
import { classifyName } from '../../engine/discover.js';
import {
  MAX_INCLUDE_DEPTH,
  MAX_INCLUDE_FILES,
  includeTargets,
} from '../../iac/cloudformation/include.js';
import { MAX_READ_FILES } from '../../iac/terraform/module.js';
import type {
  FileDiff,
  GitHubClient,
  PullRequestSnapshot,
  PullRequestTarget,
  ReadPullRequestOptions,
  SkippedPullFile,
} from '../types.js';
import type { BlobContent } from './blobs.js';
import type { ChangedFile } from './changed-files.js';
import { listChangedFiles } from './changed-files.js';
import { fetchBlobs } from './blobs.js';
import { diffLines } from './line-diff.js';
import { createPrivateFolder, removeFolder, writeConfined } from './materialise.js';
import type { DiffLines } from './patch.js';
import { parsePatch } from './patch.js';
import { folderOf, formatBytes, safeRelativePath, terraformFileTargets } from './paths.js';
import type { RepoTree, TreeEntry } from './tree.js';
import { SYMLINK_MODE, readTree, treeRequester } from './tree.js';

export { parsePatch } from './patch.js';
export { diffLines } from './line-diff.js';

export { MAX_COMPARE_FILES, MAX_FILE_PAGES } from './changed-files.js';
export const DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024;
export const DEFAULT_MAX_TOTAL_BYTES = 64 * 1024 * 1024;
/** Files fetched because another file names them, per side: the engine reads no more. */
export const MAX_REFERENCED_FILES = MAX_INCLUDE_FILES + MAX_READ_FILES;

type PullFile = ChangedFile;

type Side = 'head' | 'base';

interface Planned {
  readonly side: Side;
  /** Where it is written under the side's root (for renames at base: the head path). */
  readonly path: string;
  readonly entry: TreeEntry;
}

export async function readPullRequest(
  client: GitHubClient,
  target: PullRequestTarget,
  options: ReadPullRequestOptions,
): Promise<PullRequestSnapshot> {
  const { signal } = options;
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const maxTotalBytes = options.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES;
  const repo = { owner: target.owner, repo: target.repo };
  signal?.throwIfAborted();

  const listed = await listChangedFiles(client, target, signal);
  const all = listed.files;
  const files = all.filter((file) => options.selectFile(file.filename));

  const skipped: SkippedPullFile[] = [];
  const skip = (path: string, reason: string): void => {
    if (!skipped.some((s) => s.path === path && s.reason === reason))
      skipped.push({ path, reason });
  };

  // Renames over the whole list, not just the selected files: where a base version lives does
  // not depend on the config's filter.
  const renamedFrom = new Map<string, string>();
  const renamedAway = new Set<string>();
  for (const file of all) {
    if (file.status === 'renamed' && typeof file.previous_filename === 'string') {
      renamedFrom.set(file.filename, file.previous_filename);
      renamedAway.add(file.previous_filename);
    }
  }

  const templates: string[] = [];
  const folders = new Set<string>();
  for (const file of files) {
    const kind = classifyName(file.filename);
    if (!kind) continue;
    if (safeRelativePath(file.filename) === undefined) {
      skip(file.filename, 'unsafe path: not read');
      continue;
    }
    if (kind === 'template') {
      // A removed template is no scope: its findings are gone with it.
      if (file.status !== 'removed') templates.push(file.filename);
      continue;
    }
    folders.add(folderOf(file.filename));
    // A Terraform file moved out of a module changes that module too.
    const previous = file.previous_filename;
    if (file.status === 'renamed' && previous && safeRelativePath(previous) !== undefined)
      folders.add(folderOf(previous));
  }

  const fetched: Record<Side, Map<string, string>> = { head: new Map(), base: new Map() };
  const folderTargets: string[] = [];
  if (templates.length > 0 || folders.size > 0) {
    const request = treeRequester(client, repo, signal);
    const [headTree, baseTree] = await Promise.all([
      readTree(request, target.headSha),
      readTree(request, target.baseSha),
    ]);
    const trees: Record<Side, RepoTree> = { head: headTree, base: baseTree };
    const planned: Record<Side, Map<string, TreeEntry>> = { head: new Map(), base: new Map() };
    let pending: Planned[] = [];

    /** Queues a file unless it is no regular file of acceptable size; says why in `skipped`. */
    const plan = (side: Side, path: string, entry: TreeEntry | undefined): void => {
      if (!entry || planned[side].has(path)) return;
      const label = side === 'base' ? 'base version: ' : '';
      if (safeRelativePath(path) === undefined) return skip(path, `${label}unsafe path: not read`);
      if (entry.type === 'commit') return skip(path, `${label}submodule`);
      if (entry.type !== 'blob') return;
      if (entry.mode === SYMLINK_MODE) return skip(path, `${label}symbolic link`);
      const size = entry.size ?? 0;
      if (size > maxFileBytes) {
        return skip(
          path,
          `${label}${formatBytes(size)} exceeds the ${formatBytes(maxFileBytes)} limit`,
        );
      }
      planned[side].set(path, entry);
      pending.push({ side, path, entry });
    };

    for (const path of templates) {
      signal?.throwIfAborted();
      plan('head', path, await headTree.file(path));
      plan('base', path, await baseTree.file(renamedFrom.get(path) ?? path));
    }
    for (const folder of [...folders].sort()) {
      signal?.throwIfAborted();
      const head = [...((await headTree.folder(folder))?.values() ?? [])].filter(isTerraform);
      // The module is gone at head (all its files removed or moved): nothing to scan.
      if (head.length === 0) continue;
      folderTargets.push(folder);
      for (const entry of head) {
        plan('head', entry.path, entry);
        const previous = renamedFrom.get(entry.path);
        if (previous !== undefined) plan('base', entry.path, await baseTree.file(previous));
      }
      for (const entry of (await baseTree.folder(folder))?.values() ?? []) {
        if (isTerraform(entry) && !renamedAway.has(entry.path)) plan('base', entry.path, entry);
      }
    }

    const contents = new Map<string, BlobContent>();
    let totalBytes = 0;
    const referenced: Record<Side, number> = { head: 0, base: 0 };
    for (let round = 0; round <= MAX_INCLUDE_DEPTH && pending.length > 0; round++) {
      const batch = pending;
      pending = [];
      // Unique blobs in order; a blob shared by base and head (or by two paths) is fetched once.
      const wanted: { sha: string; size: number }[] = [];
      const seen = new Set<string>();
      for (const { entry } of batch) {
        if (contents.has(entry.sha) || seen.has(entry.sha)) continue;
        seen.add(entry.sha);
        const size = entry.size ?? 0;
        if (totalBytes + size > maxTotalBytes) {
          contents.set(entry.sha, {
            skipped: `over the ${formatBytes(maxTotalBytes)} total size budget`,
          });
          continue;
        }
        totalBytes += size;
        wanted.push({ sha: entry.sha, size });
      }
      for (const [sha, content] of await fetchBlobs(client, repo, wanted, signal))
        contents.set(sha, content);

      const arrived: Planned[] = [];
      for (const item of batch) {
        const content = contents.get(item.entry.sha);
        if (content && 'text' in content) {
          fetched[item.side].set(item.path, content.text);
          arrived.push(item);
        } else {
          const label = item.side === 'base' ? 'base version: ' : '';
          skip(item.path, `${label}${content?.skipped ?? 'not returned by GitHub'}`);
        }
      }
      // What the arrived files name is fetched in the next round, from the same side's tree.
      for (const item of arrived) {
        for (const path of referencedFiles(item.path, fetched[item.side].get(item.path) ?? '')) {
          if (planned[item.side].has(path) || referenced[item.side] >= MAX_REFERENCED_FILES)
            continue;
          referenced[item.side]++;
          signal?.throwIfAborted();
          plan(item.side, path, await trees[item.side].file(path));
        }
      }
    }
  }

  const diffs = new Map<string, FileDiff>();
  for (const file of files) diffs.set(file.filename, diffOf(file, fetched));

  const targets = [
    ...templates.filter((path) => fetched.head.has(path)),
    ...folderTargets
      .filter((folder) =>
        [...fetched.head.keys()].some(
          (path) => folderOf(path) === folder && classifyName(path) === 'terraform',
        ),
      )
      .map((folder) => (folder === '' ? '.' : folder)),
  ].sort();

  return materialise(fetched, {
    targets,
    diffs,
    skipped,
    changedFiles: all.length,
    ...(listed.complete ? {} : { truncatedFileList: true }),
  });
}

function isTerraform(entry: TreeEntry): boolean {
  return entry.type !== 'tree' && classifyName(entry.path) === 'terraform';
}

/** Files another file reads: `Fn::Include`s of templates, `file()`s of Terraform code. */
function referencedFiles(path: string, text: string): string[] {
  if (/\.tf$/i.test(path)) {
    // Other modules' .tf files are not this module's: Terraform reads them only as text.
    return terraformFileTargets(folderOf(path), text).filter(
      (p) => classifyName(p) !== 'terraform',
    );
  }
  if (classifyName(path) === 'terraform') return [];
  return includeTargets(path, text).filter((p) => safeRelativePath(p) !== undefined);
}

/**
 * From the patch when GitHub sent one; else computed from the fetched base and head text (only
 * files fetched anyway, i.e. the scopes' files), else no lines.
 */
function diffOf(file: PullFile, fetched: Record<Side, Map<string, string>>): FileDiff {
  const head = file.status === 'removed' ? '' : fetched.head.get(file.filename);
  const base = file.status === 'added' ? '' : fetched.base.get(file.filename);
  let lines: DiffLines = { right: [], added: [], left: [] };
  let computed = false;
  if (typeof file.patch === 'string') lines = parsePatch(file.patch);
  else if (head !== undefined && base !== undefined) {
    lines = diffLines(base, head);
    computed = true;
  }
  return {
    path: file.filename,
    status: file.status,
    ...(file.status === 'renamed' && file.previous_filename
      ? { previousPath: file.previous_filename }
      : {}),
    ...lines,
    ...(computed ? { computed: true } : {}),
  };
}

async function materialise(
  fetched: Record<Side, Map<string, string>>,
  snapshot: Omit<PullRequestSnapshot, 'headRoot' | 'baseRoot' | 'dispose'>,
): Promise<PullRequestSnapshot> {
  const headRoot = await createPrivateFolder('s3eg-head-');
  let baseRoot: string | undefined;
  try {
    baseRoot = await createPrivateFolder('s3eg-base-');
    const skipped = [...snapshot.skipped];
    for (const [side, root] of [
      ['head', headRoot],
      ['base', baseRoot],
    ] as const) {
      for (const [path, text] of fetched[side]) {
        if (!(await writeConfined(root, path, text)))
          skipped.push({ path, reason: `${side === 'base' ? 'base version: ' : ''}not written` });
      }
    }
    let disposed: Promise<void> | undefined;
    const folders = [headRoot, baseRoot];
    return {
      ...snapshot,
      skipped,
      headRoot,
      baseRoot,
      dispose: () => (disposed ??= Promise.all(folders.map(removeFolder)).then(() => undefined)),
    };
  } catch (error) {
    await removeFolder(headRoot);
    if (baseRoot) await removeFolder(baseRoot);
    throw error;
  }
}
