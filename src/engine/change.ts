/**
 * A change scanned as base and head: the same paths are scanned in both trees and compared.
 * One function for the CLI (`scan --base`, the base read from git) and the GitHub App (a pull
 * request's base and head materialised from the API), so both report the same statuses.
 *
 * The base is scanned first, keeping its scopes, so every head scope's rules see their base
 * version (change-aware rules); a path the base does not have is not scanned there, and its
 * scopes are new. Files the change leaves identical are not scanned in the base at all: their
 * scopes' head findings stand for the base too (engine/unchanged.ts).
 */
import path from 'node:path';
import type { Finding } from '../findings/finding.js';
import { compareScans } from '../findings/delta.js';
import type { Scope } from '../iac/model.js';
import type { RunPlan, ScanHooks } from './configure.js';
import { mergeResults, relocateResult } from './relocate.js';
import type { ScanOptions, ScanResult, ScopeFindings } from './scan.js';
import { scanPaths, sortFindings } from './scan.js';
import { compareTrees, isUnchanged, needsBaseScan } from './unchanged.js';
import { pathExists } from '../source/local.js';

/** One pair of trees and the paths scanned in them. */
export interface ChangeGroup {
  readonly headRoot: string;
  readonly baseRoot: string;
  /** Relative to the roots. */
  readonly targets: readonly string[];
  /** Re-bases reported paths (the CLI scans roots below or beside its current directory). */
  readonly prefix: string;
}

/** What the configuration decides for `scanPaths`. */
export function scanOptionsOf(
  hooks: ScanHooks,
): Omit<ScanOptions, 'root'> & Required<Pick<ScanOptions, 'selectFile' | 'afterRules'>> {
  return {
    rules: hooks.rules,
    settings: hooks.settings,
    selectFile: hooks.selectFile,
    afterRules: hooks.afterRules,
  };
}

/**
 * Scans every group in base and head and compares them: the head result with a status on each
 * finding, the base's vanished findings as `fixed`, and `base` set to `baseLabel`.
 */
export async function scanChange(
  groups: readonly ChangeGroup[],
  plan: RunPlan,
  baseLabel: string,
): Promise<ScanResult> {
  const baseResults: ScanResult[] = [];
  const headResults: ScanResult[] = [];
  const baseHooks = plan.hooksForScan();
  const headHooks = plan.hooksForScan();
  for (const group of groups) {
    const { base, head } = await scanGroup(group, baseHooks, headHooks);
    baseResults.push(base);
    headResults.push(head);
  }
  // One config, so the same `ignore:` entries are unused on both sides: the head's notices
  // stand for the base (the base saw only the changed scopes).
  const notices = headHooks.unusedIgnoreNotices();
  return compareScans(
    withNotices(mergeResults(baseResults, sortFindings), notices),
    withNotices(mergeResults(headResults, sortFindings), notices),
    baseLabel,
  );
}

async function scanGroup(
  group: ChangeGroup,
  baseHooks: ScanHooks,
  headHooks: ScanHooks,
): Promise<{ base: ScanResult; head: ScanResult }> {
  const baseTargets: string[] = [];
  for (const target of group.targets) {
    if (await pathExists(path.join(group.baseRoot, target))) baseTargets.push(target);
  }
  const same = await compareTrees(group.headRoot, group.baseRoot, baseTargets);
  const baseOptions = scanOptionsOf(baseHooks);
  const baseResult =
    baseTargets.length > 0
      ? await scanPaths({
          ...baseOptions,
          selectFile: (file) => needsBaseScan(same, file) && baseOptions.selectFile(file),
          root: group.baseRoot,
          paths: baseTargets,
          keepScopes: true,
        })
      : undefined;
  const baseScopes = new Map((baseResult?.scopes ?? []).map((scope) => [scope.id, scope]));
  const reused: ScopeFindings[] = [];
  // Templates skipped in the base (identical) whose scope changed all the same: an included
  // file changed. Their base is scanned afterwards so their statuses are right.
  const skippedButChanged: string[] = [];
  const headOptions = scanOptionsOf(headHooks);
  const unchangedInBase = (scope: Scope): boolean =>
    !baseScopes.has(scope.id) && isUnchanged(same, scope);
  const head = await scanPaths({
    ...headOptions,
    afterRules: (scope, findings, texts) => {
      const out = headOptions.afterRules(scope, findings, texts);
      if (unchangedInBase(scope)) reused.push(out);
      else if (!baseScopes.has(scope.id) && scope.format === 'cloudformation') {
        const template = scope.files[0];
        if (template !== undefined && same.identical.has(template)) {
          skippedButChanged.push(template);
        }
      }
      return out;
    },
    unchangedInBase,
    root: group.headRoot,
    paths: group.targets,
    baseScopes,
  });
  const bases: ScanResult[] = [];
  if (skippedButChanged.length > 0) {
    // Named explicitly, so the base scan reads them although they are identical.
    const late = await scanPaths({
      ...baseOptions,
      root: group.baseRoot,
      paths: skippedButChanged,
    });
    bases.push(relocateResult(late, group.prefix));
  }
  const { scopes: _scopes, ...withoutScopes } = baseResult ?? emptyResult();
  bases.push(
    relocateResult(
      {
        ...withoutScopes,
        findings: [...withoutScopes.findings, ...reused.flatMap((r) => r.findings)],
        suppressed: [...(withoutScopes.suppressed ?? []), ...reused.flatMap((r) => r.suppressed)],
      },
      group.prefix,
    ),
  );
  return {
    base: mergeResults(bases, sortFindings),
    head: relocateResult(head, group.prefix),
  };
}

/** Adds run-level notices (config ignores that matched nothing) to a result. */
export function withNotices(result: ScanResult, notices: readonly Finding[]): ScanResult {
  if (notices.length === 0) return result;
  return { ...result, findings: sortFindings([...result.findings, ...notices]) };
}

export function emptyResult(): ScanResult {
  return { findings: [], files: [], errors: [], skipped: [], filesRead: 0, notTemplates: [] };
}
