/**
 * The repository's configuration as the GitHub App (and `s3-endpoint-guard pr`) sees it:
 * `.github/s3-endpoint-guard.yml` (or `.yaml`) on the DEFAULT branch, never from the pull request
 * (a pull request must not be able to switch off the check that reviews it), else the same file
 * in the owner's `.github` repository, else the defaults. `_extends` inherits from another file
 * with Probot's syntax.
 *
 * Why not Probot's `context.config`: it returns plain parsed objects, so a problem could no longer
 * be reported at its exact line (`owner/repo:.github/s3-endpoint-guard.yml:12: rules.x: …`), it
 * concatenates arrays by default, and it does not exist in the CLI's token mode. The lookup order
 * and `_extends` syntax are Probot's, so a configuration written for one works with the other.
 */
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { statusOf } from './client.js';
import type { GitHubClient, LoadedConfig, RepoRef } from './types.js';
import { parseConfig } from '../config/parse.js';
import {
  CONFIG_FILE_NAMES,
  DEFAULT_CONFIG,
  MAX_ALIAS_COUNT,
  MAX_CONFIG_BYTES,
  deepFreeze,
} from '../config/schema.js';
import type { Config, ConfigProblem } from '../config/schema.js';

export interface LoadRepoConfigOptions {
  /** The registry's rule ids, so unknown ids in `rules:` and `ignore:` are errors. */
  readonly ruleIds: readonly string[];
}

/**
 * Files in one inheritance chain: the repository's file and at most two bases. Deeper chains are
 * refused: every level is a request made on every evaluation, and a chain that long is more
 * likely an accident than a design.
 */
export const MAX_CONFIG_LEVELS = 3;

/** The repository holding organisation-wide defaults, as in Probot. */
export const ORG_CONFIG_REPO = '.github';

/** One configuration file read from GitHub. */
interface ConfigFile {
  readonly where: RepoRef;
  readonly path: string;
  /** `owner/repo:path`, the name problems are reported under. */
  readonly name: string;
  readonly text: string;
}

/** A parsed level of the chain, with the keys its file actually wrote. */
interface Level {
  readonly config: Config;
  readonly written: unknown;
}

type Read =
  | { readonly kind: 'file'; readonly file: ConfigFile }
  | { readonly kind: 'missing' }
  | { readonly kind: 'invalid'; readonly name: string; readonly message: string };

/**
 * Reads and validates the configuration in effect for `repo`. A configuration that cannot be
 * used (invalid, or an `_extends` that cannot be followed) is `ok: false` with every problem at
 * its file and line; GitHub failures other than "not found" are thrown, so the caller reports
 * "could not evaluate" rather than blaming the configuration for an outage.
 */
export async function loadRepoConfig(
  client: GitHubClient,
  repo: RepoRef & { readonly defaultBranch: string },
  options: LoadRepoConfigOptions,
): Promise<LoadedConfig> {
  const own = { owner: repo.owner, repo: repo.repo };
  let first = await findConfig(client, own, repo.defaultBranch);
  if (first.kind === 'missing' && repo.repo.toLowerCase() !== ORG_CONFIG_REPO) {
    // The `.github` repository is read at its own default branch (no ref), as Probot does.
    first = await findConfig(client, { owner: repo.owner, repo: ORG_CONFIG_REPO }, undefined);
  }
  if (first.kind === 'missing') return { ok: true, config: DEFAULT_CONFIG, warnings: [] };
  if (first.kind === 'invalid') return invalid(first.name, first.message);

  const levels: Level[] = [];
  const warnings: ConfigProblem[] = [];
  const seen: string[] = [];
  let file = first.file;
  for (;;) {
    seen.push(identity(file));
    const parsed = parseConfig(file.text, file.name, options);
    if (!parsed.ok) return { ok: false, file: file.name, errors: parsed.errors };
    warnings.push(...parsed.warnings);
    levels.push({ config: parsed.config, written: writtenKeys(file.text) });

    const extend = readExtends(file.text, file.name);
    if (!extend.ok) return { ok: false, file: file.name, errors: [extend.problem] };
    if (extend.value === undefined) break;
    const problem = (message: string): LoadedConfig => ({
      ok: false,
      file: file.name,
      errors: [{ file: file.name, line: extend.line, key: '_extends', message }],
    });
    if (levels.length >= MAX_CONFIG_LEVELS) {
      return problem(
        `inherits more than ${MAX_CONFIG_LEVELS} levels deep (${seen.join(' → ')} → ${extend.value}); at most ${MAX_CONFIG_LEVELS} files may form a chain`,
      );
    }
    const target = parseExtends(extend.value, file.where);
    if (typeof target === 'string') return problem(target);
    const base =
      target.path === undefined
        ? await findConfig(client, target.where, undefined)
        : await readConfigFile(client, target.where, target.path, undefined);
    if (base.kind === 'missing') {
      const looked =
        target.path === undefined
          ? CONFIG_FILE_NAMES.map((name) => `${fullName(target.where)}:${name}`).join(' or ')
          : `${fullName(target.where)}:${target.path}`;
      return problem(
        `${JSON.stringify(extend.value)} was not found (looked for ${looked}); the app must be installed on that repository`,
      );
    }
    if (base.kind === 'invalid') return invalid(base.name, base.message);
    if (seen.includes(identity(base.file))) {
      return problem(
        `inherits from itself (${[...seen, base.file.name].join(' → ')}); remove one of the _extends`,
      );
    }
    file = base.file;
  }

  const config = mergeLevels(levels);
  return { ok: true, config, file: first.file.name, warnings };
}

/**
 * Layers the chain: the deepest base first, each file above it overriding the keys it writes.
 * Mappings (`rules`, `paths`, `comments`, `commands`) merge key by key; lists (`ignore`,
 * `paths.include`, `endpoints`, …) are REPLACED, not appended: a repository that writes
 * `ignore:` or `paths:` expects exactly what it wrote to apply, and silently adding the
 * organisation's entries (Probot's default) would accept findings nobody in the repository
 * can see. A key written with no value (`rules:`) counts as not written.
 */
function mergeLevels(levels: readonly Level[]): Config {
  const deepest = levels[levels.length - 1];
  if (deepest === undefined) return DEFAULT_CONFIG;
  let merged: Config = deepest.config;
  for (let index = levels.length - 2; index >= 0; index--) {
    const level = levels[index];
    if (level === undefined) continue;
    merged = overlay(merged, level.config, level.written) as Config;
  }
  // A base's `ignore:` entries carry lines of the base's file, but notices about them name the
  // repository's file: better no line than a wrong one.
  const top = levels[0];
  if (levels.length > 1 && top !== undefined && merged.ignore !== top.config.ignore) {
    merged = {
      ...merged,
      ignore: merged.ignore.map(({ line: _line, ...entry }) => entry),
    };
  }
  return deepFreeze(structuredClone(merged));
}

function overlay(base: unknown, over: unknown, written: unknown): unknown {
  if (!isRecord(written) || !isRecord(base) || !isRecord(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(written)) {
    if (key === '_extends' || value === null || !Object.hasOwn(over, key)) continue;
    out[key] = overlay(base[key], over[key], value);
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The file's own keys as plain data (only called on a file `parseConfig` accepted). */
function writtenKeys(text: string): unknown {
  const document = parseDocument(text, { uniqueKeys: false, merge: false });
  return document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
}

type Extends =
  | { readonly ok: true; readonly value?: string; readonly line?: number }
  | { readonly ok: false; readonly problem: ConfigProblem };

/** The raw `_extends` value and its line (`parseConfig` accepts the key but ignores it). */
function readExtends(text: string, file: string): Extends {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: false, merge: false });
  const root = document.contents;
  if (!isMap(root)) return { ok: true };
  for (const pair of root.items) {
    if (!isScalar(pair.key) || pair.key.value !== '_extends') continue;
    const node = pair.value;
    const offset = (isScalar(node) ? node.range : pair.key.range)?.[0];
    const line = offset === undefined ? undefined : lineCounter.linePos(offset).line;
    if (isScalar(node) && typeof node.value === 'string' && node.value.trim() !== '') {
      return { ok: true, value: node.value.trim(), ...(line === undefined ? {} : { line }) };
    }
    return {
      ok: false,
      problem: {
        file,
        ...(line === undefined ? {} : { line }),
        key: '_extends',
        message:
          'must name the file to inherit from: "repo", "owner/repo" or "owner/repo:path/file.yml"',
      },
    };
  }
  return { ok: true };
}

/** A GitHub owner (user or organisation) and a repository name. */
const EXTENDS = /^(?:([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/)?([A-Za-z0-9._-]{1,100})(?::(.+))?$/;

/**
 * Probot's `_extends` syntax: `repo` (same owner), `owner/repo`, either with `:path/file.yml`.
 * The path must stay a plain relative path inside that repository.
 */
export function parseExtends(
  value: string,
  from: RepoRef,
): { readonly where: RepoRef; readonly path?: string } | string {
  const match = EXTENDS.exec(value);
  const repo = match?.[2];
  if (!match || repo === undefined || repo === '.' || repo === '..') {
    return `must be "repo", "owner/repo" or "owner/repo:path/file.yml" (got ${JSON.stringify(value)})`;
  }
  const where = { owner: match[1] ?? from.owner, repo };
  const path = match[3];
  if (path === undefined) return { where };
  const segments = path.split('/');
  const confined =
    path.length <= 255 &&
    !path.includes('\\') &&
    ![...path].some((char) => char.charCodeAt(0) < 0x20) &&
    segments.every((segment) => segment !== '' && segment !== '.' && segment !== '..');
  if (!confined) {
    return `the path must be relative to the repository's root, without "..", "." or empty parts (got ${JSON.stringify(path)})`;
  }
  return { where, path };
}

/** The first of `CONFIG_FILE_NAMES` that exists in `where`. */
async function findConfig(
  client: GitHubClient,
  where: RepoRef,
  ref: string | undefined,
): Promise<Read> {
  for (const path of CONFIG_FILE_NAMES) {
    const read = await readConfigFile(client, where, path, ref);
    if (read.kind !== 'missing') return read;
  }
  return { kind: 'missing' };
}

/**
 * One file through the contents API. 404 means "not there" (also what GitHub answers for a
 * repository the app is not installed on); any other failure is thrown.
 */
async function readConfigFile(
  client: GitHubClient,
  where: RepoRef,
  path: string,
  ref: string | undefined,
): Promise<Read> {
  const name = `${fullName(where)}:${path}`;
  let data: unknown;
  try {
    const response = await client.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner: where.owner,
      repo: where.repo,
      path,
      ...(ref === undefined ? {} : { ref }),
    });
    data = response.data;
  } catch (error) {
    if (statusOf(error) === 404) return { kind: 'missing' };
    throw error;
  }
  if (!isRecord(data) || data.type !== 'file') {
    return { kind: 'invalid', name, message: 'is not a file' };
  }
  const size = typeof data.size === 'number' ? data.size : 0;
  if (size > MAX_CONFIG_BYTES || data.encoding !== 'base64' || typeof data.content !== 'string') {
    // Files over 1 MB come without content (`encoding: none`); a config is never that big.
    return {
      kind: 'invalid',
      name,
      message: `is larger than ${MAX_CONFIG_BYTES / 1024} KB; a configuration is never that big`,
    };
  }
  const text = Buffer.from(data.content, 'base64').toString('utf8');
  return { kind: 'file', file: { where, path, name, text } };
}

function invalid(name: string, message: string): LoadedConfig {
  return { ok: false, file: name, errors: [{ file: name, key: '(file)', message }] };
}

function fullName(where: RepoRef): string {
  return `${where.owner}/${where.repo}`;
}

/** Owner and repository names are case-insensitive on GitHub; paths are not. */
function identity(file: ConfigFile): string {
  return `${fullName(file.where).toLowerCase()}:${file.path}`;
}
