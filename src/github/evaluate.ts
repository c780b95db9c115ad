/**
 * One evaluation of a pull request head: the repository's configuration (default branch), the
 * changed files at head and base, the engine's base-vs-head scan. Failures become values: an
 * invalid configuration is a `config-error`, anything else that goes wrong an `error` with the
 * configured `onError` conclusion — the caller always has something to publish.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathSelected } from '../config/apply.js';
import { classifyName } from '../engine/discover.js';
import { planRun } from '../engine/configure.js';
import { scanChange } from '../engine/change.js';
import type { Config } from '../config/schema.js';
import type { CommandIgnore } from '../findings/suppression/apply.js';
import type { Rule } from '../rules/define-rule.js';
import { rules as allRules } from '../rules/index.js';
import { describeError } from './client.js';
import { loadRepoConfig } from './config.js';
import { readPullRequest } from './fetch/index.js';
import { mergeBaseOf } from './merge-base.js';
import type { Finding } from '../findings/finding.js';
import type { ScanResult } from '../engine/scan.js';
import { wholeLineReplacement } from './suggestions.js';
import type { Evaluation, GitHubClient, PullRequestTarget } from './types.js';

export interface EvaluateOptions {
  /** The rule registry (tests pass a smaller one). */
  readonly registry?: readonly Rule[];
  /** Findings accepted with `/s3-guard ignore` on this pull request (an explicit list). */
  readonly commands?: readonly CommandIgnore[];
  /**
   * Reads the accepted findings from the pull request's comments when `commands` is absent.
   * Called with the configuration (whose `commands.ignore.allow` decides who may accept), only
   * when there is something to scan; a rejection makes the evaluation an `error`: an accepted
   * risk is neither dropped nor applied without an answer from GitHub.
   */
  readonly loadCommands?: (config: Config) => Promise<readonly CommandIgnore[]>;
  /** Aborted when a newer head supersedes this evaluation: throws `AbortError` then. */
  readonly signal?: AbortSignal;
  readonly maxFileBytes?: number;
  readonly maxTotalBytes?: number;
}

export async function evaluatePullRequest(
  client: GitHubClient,
  target: PullRequestTarget,
  options: EvaluateOptions = {},
): Promise<Evaluation> {
  const registry = options.registry ?? allRules;
  const loaded = await loadRepoConfig(
    client,
    { owner: target.owner, repo: target.repo, defaultBranch: target.defaultBranch },
    { ruleIds: registry.map((rule) => rule.id) },
  );
  if (!loaded.ok) {
    return { kind: 'config-error', target, file: loaded.file, errors: loaded.errors };
  }
  const { config } = loaded;
  const configFile = loaded.file === undefined ? {} : { configFile: loaded.file };
  try {
    // Compared with where the branch left its base, as GitHub's own diff is (merge-base.ts).
    const mergeBase = await mergeBaseOf(client, target, options.signal);
    const compared = mergeBase === target.baseSha ? target : { ...target, baseSha: mergeBase };
    const snapshot = await readPullRequest(client, compared, {
      selectFile: (file) => pathSelected(config, file),
      ...(options.maxFileBytes === undefined ? {} : { maxFileBytes: options.maxFileBytes }),
      ...(options.maxTotalBytes === undefined ? {} : { maxTotalBytes: options.maxTotalBytes }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    try {
      const noInfrastructure: Evaluation = {
        kind: 'no-infrastructure',
        target,
        config,
        ...configFile,
        changedFiles: snapshot.changedFiles,
        skipped: snapshot.skipped,
      };
      if (snapshot.targets.length === 0) return noInfrastructure;
      options.signal?.throwIfAborted();
      const commands = options.commands ?? (await options.loadCommands?.(config));
      options.signal?.throwIfAborted();
      const plan = planRun({
        config,
        ...(loaded.file === undefined ? {} : { configFile: loaded.file }),
        registry,
        ...(commands ? { commands } : {}),
      });
      const result = await scanChange(
        [
          {
            headRoot: snapshot.headRoot,
            baseRoot: snapshot.baseRoot,
            targets: await moduleFiles(snapshot.headRoot, snapshot.targets),
            prefix: '',
          },
        ],
        plan,
        compared.baseSha,
      );
      // Changed YAML or JSON that turned out not to be CloudFormation (workflows, package.json):
      // nothing was analysed, which is the same answer as no infrastructure files at all.
      const analysedNothing =
        result.files.length === 0 &&
        result.errors.length === 0 &&
        result.findings.length === 0 &&
        (result.fixed ?? []).length === 0;
      if (analysedNothing) return noInfrastructure;
      return {
        kind: 'evaluated',
        target,
        config,
        ...configFile,
        result: await withLineSuggestions(result, snapshot.headRoot),
        diffs: snapshot.diffs,
        skipped: snapshot.skipped,
        changedFiles: snapshot.changedFiles,
        ...(snapshot.truncatedFileList ? { truncatedFileList: true } : {}),
        ...(commands && commands.length > 0 ? { commands } : {}),
      };
    } finally {
      await snapshot.dispose();
    }
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return { kind: 'error', target, message: describeError(error), onError: config.onError };
  }
}

/**
 * Exact replacements widened to whole lines (a GitHub suggestion replaces lines), read from the
 * head files while they are still on disk. A replacement that cannot be widened safely is
 * dropped: the fix's description still says what to do.
 */
async function withLineSuggestions(result: ScanResult, headRoot: string): Promise<ScanResult> {
  if (!result.findings.some((finding) => finding.fix?.replacement)) return result;
  const texts = new Map<string, string | undefined>();
  const textOf = async (file: string): Promise<string | undefined> => {
    if (!texts.has(file)) {
      // Paths come from the engine's own scan of headRoot: relative and confined already.
      texts.set(file, await readFile(path.join(headRoot, file), 'utf8').catch(() => undefined));
    }
    return texts.get(file);
  };
  const findings: Finding[] = [];
  for (const finding of result.findings) {
    const fix = finding.fix;
    const replacement = fix?.replacement;
    if (!fix || !replacement) {
      findings.push(finding);
      continue;
    }
    const text = await textOf(replacement.range.file);
    const widened = text === undefined ? undefined : wholeLineReplacement(replacement, text);
    findings.push({
      ...finding,
      fix: widened ? { ...fix, replacement: widened } : { description: fix.description },
    });
  }
  return { ...result, findings };
}

/**
 * Terraform targets are folders; scanning a folder would also walk its subfolders, where the
 * snapshot may hold other targets or files only fetched because something includes them (a
 * policy JSON read with `file()`). A module is its folder's own files, so each folder target
 * is replaced by its Terraform files, named explicitly (the engine reads a named `.tf` file's
 * siblings, never subfolders).
 */
async function moduleFiles(root: string, targets: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const target of targets) {
    let entries;
    try {
      entries = await readdir(path.join(root, target), { withFileTypes: true });
    } catch {
      files.push(target); // a file, not a folder
      continue;
    }
    const terraform = entries
      .filter((entry) => entry.isFile() && classifyName(entry.name) === 'terraform')
      .map((entry) => (target === '.' ? entry.name : `${target}/${entry.name}`))
      .sort();
    files.push(...(terraform.length > 0 ? terraform : [target]));
  }
  return files;
}
