/**
 * One scan of local files: discover candidate files, keep those that are CloudFormation by
 * content, load each as a scope, run the selected rules, and gather everything into one result.
 * Errors are values: an unreadable file or a crashing adapter becomes an entry in `errors`, and
 * the run goes on with the other files.
 */
import type { Finding } from '../findings/finding.js';
import { loadCloudFormation, looksLikeCloudFormation } from '../iac/cloudformation/index.js';
import type { IacFormat, Scope } from '../iac/model.js';
import { policiesOf } from '../iac/model.js';
import type { Rule } from '../rules/define-rule.js';
import { LocalFileSource } from '../source/local.js';
import { compareStrings, discoverFiles } from './discover.js';
import { runRules } from './run-rules.js';

export interface ScanOptions {
  /** The folder files are read from and reported relative to; reads never leave it. */
  readonly root: string;
  /** Files or folders, relative to `root` (or absolute inside it). Default: the whole root. */
  readonly paths?: readonly string[];
  readonly rules: readonly Rule[];
  readonly maxFileBytes?: number;
  /** Keep the loaded scopes in the result (for corpus statistics); off by default to save memory. */
  readonly keepScopes?: boolean;
  /** How many files are read at once. */
  readonly concurrency?: number;
  /**
   * Measure time spent loading templates and in each rule (for the benchmark). Files are then
   * read one at a time, so an awaited load is not charged for other files' work.
   */
  readonly profile?: boolean;
}

/** Wall time in milliseconds, summed over all templates. */
export interface ScanTimings {
  readonly loadMs: number;
  readonly ruleMs: Readonly<Record<string, number>>;
}

export interface ScannedFile {
  readonly file: string;
  readonly format: IacFormat;
  readonly resources: number;
  /** Values (policies included) the adapter could not resolve: the "no silent pass" count. */
  readonly unresolved: number;
  readonly policies: number;
  readonly unresolvedPolicies: number;
  readonly parseErrors: number;
}

export interface ScanError {
  readonly file: string;
  readonly message: string;
}

export interface SkippedFile {
  readonly file: string;
  readonly format: IacFormat;
  readonly reason: string;
}

export interface ScanResult {
  /** Sorted by file, line, column, rule id. */
  readonly findings: readonly Finding[];
  /** Templates analysed, sorted by file. */
  readonly files: readonly ScannedFile[];
  readonly errors: readonly ScanError[];
  /** Recognised but not analysed (Terraform, for now). */
  readonly skipped: readonly SkippedFile[];
  /** Candidate files read (templates and files that turned out not to be templates). */
  readonly filesRead: number;
  /** Files named explicitly that turned out not to be CloudFormation (the user may have erred). */
  readonly notTemplates: readonly string[];
  readonly scopes?: readonly Scope[];
  /** Only with `profile`. */
  readonly timings?: ScanTimings;
}

/** How much of an oversized file is read to decide whether it is a template at all. */
const SNIFF_BYTES = 64 * 1024;

const TERRAFORM_PENDING = 'Terraform is not analysed yet';

export async function scanPaths(options: ScanOptions): Promise<ScanResult> {
  const source = new LocalFileSource(
    options.root,
    options.maxFileBytes === undefined ? {} : { maxFileBytes: options.maxFileBytes },
  );
  const { candidates, errors: discoveryErrors } = await discoverFiles(
    source.root,
    options.paths ?? ['.'],
  );

  const errors: ScanError[] = [...discoveryErrors];
  const skipped: SkippedFile[] = [];
  const outcomes: (FileOutcome | undefined)[] = new Array(candidates.length);
  const notTemplates: string[] = [];
  const timings = options.profile ? { loadMs: 0, ruleMs: {} as Record<string, number> } : undefined;
  let filesRead = 0;

  const templates: number[] = [];
  candidates.forEach((candidate, index) => {
    if (candidate.kind === 'terraform') {
      skipped.push({ file: candidate.file, format: 'terraform', reason: TERRAFORM_PENDING });
    } else {
      templates.push(index);
    }
  });

  await forEachLimited(
    templates,
    options.profile ? 1 : (options.concurrency ?? 16),
    async (index) => {
      const candidate = candidates[index];
      if (!candidate) return;
      const read = await source.read(candidate.file);
      if (!read.ok) {
        // A huge file found by walking is usually data, not a template: only complain when its
        // beginning looks like CloudFormation, or when the user named it.
        if (read.reason === 'too-large' && !candidate.explicit) {
          const head = await source.readPrefix(candidate.file, SNIFF_BYTES);
          if (!head.ok || !looksLikeCloudFormation(head.text)) return;
        }
        errors.push({ file: candidate.file, message: read.message });
        return;
      }
      filesRead++;
      if (!looksLikeCloudFormation(read.text)) {
        if (candidate.explicit) notTemplates.push(candidate.file);
        return;
      }
      outcomes[index] = await scanTemplate(
        candidate.file,
        read.text,
        source,
        options.rules,
        errors,
        timings,
      );
    },
  );

  const findings: Finding[] = [];
  const files: ScannedFile[] = [];
  const scopes: Scope[] = [];
  for (const outcome of outcomes) {
    if (!outcome) continue;
    findings.push(...outcome.findings);
    files.push(outcome.file);
    if (options.keepScopes) scopes.push(outcome.scope);
  }

  return {
    findings: sortFindings(findings),
    files,
    errors: errors.sort((a, b) => compareStrings(a.file, b.file)),
    skipped,
    filesRead,
    notTemplates: notTemplates.sort(compareStrings),
    ...(options.keepScopes ? { scopes } : {}),
    ...(timings ? { timings } : {}),
  };
}

interface FileOutcome {
  readonly file: ScannedFile;
  readonly findings: readonly Finding[];
  readonly scope: Scope;
}

async function scanTemplate(
  file: string,
  text: string,
  source: LocalFileSource,
  rules: readonly Rule[],
  errors: ScanError[],
  timings: { loadMs: number; ruleMs: Record<string, number> } | undefined,
): Promise<FileOutcome | undefined> {
  let scope: Scope;
  const loadStarted = performance.now();
  try {
    scope = await loadCloudFormation(file, text, source);
    if (timings) timings.loadMs += performance.now() - loadStarted;
  } catch (error) {
    // The adapter promises not to throw on bad input; if it does anyway, that is our bug, and
    // the other files must still be scanned.
    errors.push({ file, message: `internal error while loading the template: ${describe(error)}` });
    return undefined;
  }
  let findings: Finding[];
  try {
    if (timings) {
      // One rule at a time is what runRules does anyway; here each is timed.
      findings = [];
      for (const rule of rules) {
        const started = performance.now();
        findings.push(...runRules(scope, [rule]));
        timings.ruleMs[rule.id] = (timings.ruleMs[rule.id] ?? 0) + performance.now() - started;
      }
    } else {
      findings = runRules(scope, rules);
    }
  } catch (error) {
    errors.push({ file, message: `internal error while running the rules: ${describe(error)}` });
    return undefined;
  }
  return { file: summarise(file, scope), findings, scope };
}

function summarise(file: string, scope: Scope): ScannedFile {
  const policies = policiesOf(scope);
  return {
    file,
    format: scope.format,
    resources: scope.resources.length,
    unresolved: scope.diagnostics.filter((d) => d.kind === 'unresolved').length,
    policies: policies.length,
    unresolvedPolicies: policies.filter((p) => p.policy.unresolved !== undefined).length,
    parseErrors: scope.diagnostics.filter((d) => d.kind === 'parse-error').length,
  };
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareStrings(a.range.file, b.range.file) ||
    a.range.startLine - b.range.startLine ||
    compareStrings(a.ruleId, b.ruleId) ||
    a.range.startColumn - b.range.startColumn ||
    compareStrings(a.resource, b.resource) ||
    compareStrings(a.message, b.message) ||
    compareStrings(a.fingerprint, b.fingerprint)
  );
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

/** Runs `task` over `items` with at most `limit` in flight; results land by index, so order is stable. */
async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
