/**
 * The base version of a change, read from git: `<ref>` of the repository that holds the scan
 * root is written into a temporary folder with `git archive`, limited to the paths being
 * scanned, so the engine scans it like any local folder. Git runs through execFile (no shell),
 * the ref is verified before use and refused when it could be read as an option, paths come
 * after `--` as literal pathspecs, and the folder is removed by `dispose()` whatever happens.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Not a git repository, an unknown ref, a path outside the repository: the user's to fix. */
export class GitBaseError extends Error {}

export interface GitBase {
  /** The commit the ref named (full SHA). */
  readonly commit: string;
  /** The repository's top folder (real path). */
  readonly repoRoot: string;
  /**
   * The temporary folder holding the base's files at their absolute paths (the repository at
   * `<dir>/<repoRoot>`), so any scan root, even a parent of the repository, has a base twin.
   */
  readonly dir: string;
  /** Where a folder (absolute, real path) of the working tree lies in the base copy. */
  baseFolder(headFolder: string): string;
  /** Removes the temporary folder. */
  dispose(): Promise<void>;
}

/** Generous: `git archive` of a large monorepo subtree is tens of MB at most for templates. */
const MAX_BUFFER = 64 * 1024 * 1024;

function git(cwd: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd, maxBuffer: MAX_BUFFER, encoding: 'utf8', env: gitEnv() },
      (error, stdout, stderr) => {
        if (error) reject(new GitBaseError(firstLine(stderr) || error.message));
        else resolve(stdout);
      },
    );
  });
}

/** No pager, no prompts, and pathspecs always literal (a file named `:(glob)*` is just a name). */
function gitEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_PAGER: 'cat',
    GIT_LITERAL_PATHSPECS: '1',
  };
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}

/**
 * Resolves `ref` in the repository holding `cwd` and writes the given paths (relative to `cwd`
 * or absolute; each must be inside the repository) of that commit into a temporary folder.
 * Paths the base does not have are left out: their scopes are new.
 */
export async function materialiseGitBase(
  cwd: string,
  ref: string,
  paths: readonly string[],
): Promise<GitBase> {
  if (ref === '' || ref.startsWith('-')) {
    throw new GitBaseError(`--base: refusing ref "${ref}" (a ref cannot start with "-")`);
  }
  // The repository is the one holding what is scanned (`scan --base main ../infra` from
  // anywhere), not necessarily the current directory's.
  const first = path.resolve(cwd, paths[0] ?? '.');
  const from = (await isDirectory(first)) ? first : path.dirname(first);
  let repoRoot: string;
  try {
    repoRoot = await realpath((await git(from, ['rev-parse', '--show-toplevel'])).trim());
  } catch (error) {
    throw new GitBaseError(
      `--base needs a git repository: ${from} is not inside one (${describe(error)})`,
    );
  }
  let commit: string;
  try {
    commit = (
      await git(repoRoot, [
        'rev-parse',
        '--verify',
        '--quiet',
        '--end-of-options',
        `${ref}^{commit}`,
      ])
    ).trim();
  } catch {
    commit = '';
  }
  if (!/^[0-9a-f]{40,64}$/.test(commit)) {
    throw new GitBaseError(`--base: "${ref}" is not a commit of the repository at ${repoRoot}`);
  }

  const realCwd = await realpath(cwd);
  const inRepo: string[] = [];
  for (const given of paths) {
    const absolute = path.resolve(realCwd, given);
    const relative = path.relative(repoRoot, absolute);
    if (relative.startsWith('..') || path.isAbsolute(relative)) {
      throw new GitBaseError(`--base: ${given} is outside the git repository at ${repoRoot}`);
    }
    inRepo.push(relative.split(path.sep).join('/'));
  }

  const dir = await mkdtemp(path.join(tmpdir(), 's3-endpoint-guard-base-'));
  const dispose = (): Promise<void> => rm(dir, { recursive: true, force: true });
  try {
    const present = await existingPaths(repoRoot, commit, inRepo);
    const target = mirror(dir, repoRoot);
    await mkdir(target, { recursive: true });
    // One archive for all paths: one git process and one tar process, however many paths.
    if (present.length > 0) await archiveInto(repoRoot, commit, present, target);
    // The current folder is a scan root: it must exist in the copy even when the base lacks it.
    await mkdir(mirror(dir, realCwd), { recursive: true });
  } catch (error) {
    await dispose();
    throw error instanceof GitBaseError ? error : new GitBaseError(describe(error));
  }
  return {
    commit,
    repoRoot,
    dir,
    baseFolder: (headFolder: string) => mirror(dir, headFolder),
    dispose,
  };
}

/** `folder` (absolute) inside the copy rooted at `dir`. */
function mirror(dir: string, folder: string): string {
  return path.join(dir, path.resolve(folder));
}

/** The paths (repository-relative) the commit has; `''` is the whole tree. */
async function existingPaths(
  repoRoot: string,
  commit: string,
  paths: readonly string[],
): Promise<string[]> {
  if (paths.some((p) => p === '')) return [''];
  const present: string[] = [];
  for (const p of [...new Set(paths)]) {
    try {
      await git(repoRoot, ['cat-file', '-e', `${commit}:${p}`]);
      present.push(p);
    } catch {
      // Not in the base: a new file or folder.
    }
  }
  return present;
}

/** `git archive <commit> -- <paths>` piped into `tar -x` in `dir`, both without a shell. */
function archiveInto(
  repoRoot: string,
  commit: string,
  paths: readonly string[],
  dir: string,
): Promise<void> {
  const pathArgs = paths.length === 1 && paths[0] === '' ? [] : ['--', ...paths];
  return new Promise((resolve, reject) => {
    const archive = spawn('git', ['archive', '--format=tar', commit, ...pathArgs], {
      cwd: repoRoot,
      env: gitEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const extract = spawn('tar', ['-x', '-f', '-', '-C', dir], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let archiveError = '';
    let extractError = '';
    archive.stderr.on('data', (chunk: Buffer) => (archiveError += chunk.toString('utf8')));
    extract.stderr.on('data', (chunk: Buffer) => (extractError += chunk.toString('utf8')));
    archive.stdout.pipe(extract.stdin);
    let pending = 2;
    let failed: string | undefined;
    const done = (what: string, code: number | null, stderr: string): void => {
      if (code !== 0 && failed === undefined) {
        failed = `${what} failed: ${firstLine(stderr) || `exit ${String(code)}`}`;
      }
      if (--pending === 0) {
        if (failed === undefined) resolve();
        else reject(new GitBaseError(failed));
      }
    };
    archive.on('error', (error) => reject(new GitBaseError(`git archive: ${error.message}`)));
    extract.on('error', (error) => reject(new GitBaseError(`tar: ${error.message}`)));
    archive.on('close', (code) => done('git archive', code, archiveError));
    extract.on('close', (code) => done('tar', code, extractError));
  });
}

async function isDirectory(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isDirectory();
  } catch {
    return false;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
