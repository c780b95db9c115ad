/**
 * Paths from a pull request are hostile input: they decide where files are written. Only plain,
 * already-normal relative paths are accepted, and the files Terraform code names are found by
 * a conservative reading of its literal `file()` / `templatefile()` calls.
 */
import { resolveModulePath } from '../../iac/terraform/functions.js';
import { normaliseRelativePath } from '../../source/local.js';

/** Longer paths than git hosts allow are not worth a syscall. */
const MAX_PATH_LENGTH = 4096;

/**
 * `path` itself when it is a plain relative file path (no `..`, `.` or empty segments, no NUL,
 * no backslash, not absolute, already normal); undefined for anything that could land elsewhere.
 */
export function safeRelativePath(path: string): string | undefined {
  if (path === '' || path.length > MAX_PATH_LENGTH) return undefined;
  if (path.includes('\0') || path.includes('\\')) return undefined;
  if (normaliseRelativePath(path) !== path) return undefined;
  const segments = path.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..'))
    return undefined;
  return path;
}

/** The folder holding `path`: '' for the repository root. */
export function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** A literal `file("…")` or `templatefile("…", …)` argument, `${path.module}/` allowed. */
const FILE_CALL = /\b(?:file|templatefile)\(\s*"((?:[^"\\$]|\$\{path\.module\})*)"/g;

/**
 * Root-relative paths of the files a module's `.tf` text reads with a literal path, resolved as
 * the evaluator resolves them (`resolveModulePath`). Best effort by design: a path built from
 * variables is not listed here and the evaluator reports it as not read.
 */
export function terraformFileTargets(folder: string, text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(FILE_CALL)) {
    const literal = (match[1] ?? '').replace(/^\$\{path\.module\}\//, '');
    if (literal.includes('${')) continue;
    const resolved = resolveModulePath(folder === '' ? '.' : folder, literal);
    if ('refused' in resolved) continue;
    const safe = safeRelativePath(resolved.path);
    if (safe !== undefined) found.add(safe);
  }
  return [...found];
}

/** "12.4 MB", "512 KB", "900 bytes": sizes as the summary shows them. */
export function formatBytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (mb >= 1) return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
  const kb = bytes / 1024;
  if (kb >= 1) return `${Math.round(kb)} KB`;
  return `${bytes} bytes`;
}
