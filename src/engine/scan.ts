/**
 * One scan of local files: discover candidate files, keep those that are CloudFormation or
 * Terraform plan JSON by content, read each folder of Terraform files as one module, load each
 * as a scope, run the selected rules, and gather everything into one result.
 * Errors are values: an unreadable file or a crashing adapter becomes an entry in `errors`, and
 * the run goes on with the other files.
 */
import { timeSlicer, yieldToEventLoop } from '../core/event-loop.js';
import type { Finding, SuppressedFinding } from '../findings/finding.js';
import { loadCloudFormation, looksLikeCloudFormation } from '../iac/cloudformation/index.js';
import type { IacFormat, Scope } from '../iac/model.js';
import { policiesOf } from '../iac/model.js';
import { isTerraformFile, loadTerraformModule } from '../iac/terraform/index.js';
import { loadTerraformPlan, looksLikeTerraformPlan } from '../iac/terraform/plan.js';
import type { Rule } from '../rules/define-rule.js';
import type { RuleSettings } from '../rules/settings.js';
import { LocalFileSource } from '../source/local.js';
import type { Candidate } from './discover.js';
import { compareStrings, discoverFiles } from './discover.js';
import type { RunOptions } from './run-rules.js';
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
  /** Facts from the configuration for the rules (rules/settings.ts). */
  readonly settings?: RuleSettings;
  /**
   * The scopes of the base version, by scope id, when a change is scanned (`--base`, a pull
   * request): every scope's rules then get a `change` context with its base scope.
   */
  readonly baseScopes?: ReadonlyMap<string, Scope>;
  /**
   * With `baseScopes`: is this scope identical in the base? Such scopes are not scanned in the
   * base at all (engine/unchanged.ts); the scope is its own base.
   */
  readonly unchangedInBase?: (scope: Scope) => boolean;
  /**
   * Runs on each scope's findings after its rules (the seam for suppressions: inline comments,
   * `Metadata`, the config file). What it moves to `suppressed` is counted and listed in the
   * result, never dropped. None by default.
   */
  readonly afterRules?: (
    scope: Scope,
    findings: readonly Finding[],
    /** The text of the scope's files as read (inline suppressions are comments in them). */
    texts: ReadonlyMap<string, string>,
  ) => ScopeFindings;
  /**
   * Which files found by walking folders are read (config `paths:`); files named explicitly
   * are always read.
   */
  readonly selectFile?: (file: string) => boolean;
}

/** A scope's findings after post-processing. */
export interface ScopeFindings {
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
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
  /** Sorted by file, line, column, rule id. Suppressed findings are not here but in `suppressed`. */
  readonly findings: readonly Finding[];
  /** Findings a suppression accepted (inline comment, Metadata, config, slash command). */
  readonly suppressed?: readonly SuppressedFinding[];
  /** With a base version: findings of the base whose fingerprint is gone from the head. */
  readonly fixed?: readonly Finding[];
  /** With a base version: what it was (a git ref, a commit SHA). */
  readonly base?: string;
  /** Templates analysed, sorted by file. */
  readonly files: readonly ScannedFile[];
  readonly errors: readonly ScanError[];
  /** Recognised but not analysed (a `.tfvars` file Terraform does not load by itself). */
  readonly skipped: readonly SkippedFile[];
  /** Candidate files read (templates and files that turned out not to be templates). */
  readonly filesRead: number;
  /** Files named explicitly that turned out not to be CloudFormation or a plan (the user may have erred). */
  readonly notTemplates: readonly string[];
  readonly scopes?: readonly Scope[];
  /** Only with `profile`. */
  readonly timings?: ScanTimings;
}

/** How much of an oversized file is read to decide whether it is a template at all. */
const SNIFF_BYTES = 64 * 1024;

const TFVARS_NOT_LOADED =
  'not loaded by Terraform unless passed with -var-file; values come from terraform.tfvars, *.auto.tfvars and defaults';

export async function scanPaths(options: ScanOptions): Promise<ScanResult> {
  const source = new LocalFileSource(
    options.root,
    options.maxFileBytes === undefined ? {} : { maxFileBytes: options.maxFileBytes },
  );
  const { candidates: found, errors: discoveryErrors } = await discoverFiles(
    source.root,
    options.paths ?? ['.'],
  );
  const selectFile = options.selectFile;
  const candidates = selectFile
    ? found.filter((candidate) => candidate.explicit || selectFile(candidate.file))
    : found;

  const errors: ScanError[] = [...discoveryErrors];
  const skipped: SkippedFile[] = [];
  const outcomes: (FileOutcome | undefined)[] = new Array(candidates.length);
  const notTemplates: string[] = [];
  const timings: Timings | undefined = options.profile ? { loadMs: 0, ruleMs: {} } : undefined;
  let filesRead = 0;

  const templates: number[] = [];
  const terraform: Candidate[] = [];
  candidates.forEach((candidate, index) => {
    if (candidate.kind === 'terraform') terraform.push(candidate);
    else templates.push(index);
  });
  const modules = groupModules(terraform, skipped);

  await forEachLimited(
    templates,
    options.profile ? 1 : (options.concurrency ?? 16),
    async (index) => {
      const candidate = candidates[index];
      if (!candidate) return;
      const read = await source.read(candidate.file);
      if (!read.ok) {
        // A huge file found by walking is usually data, not a template: only complain when its
        // beginning looks like CloudFormation or a plan, or when the user named it.
        if (read.reason === 'too-large' && !candidate.explicit) {
          const head = await source.readPrefix(candidate.file, SNIFF_BYTES);
          if (!head.ok) return;
          if (!looksLikeCloudFormation(head.text) && !looksLikeTerraformPlan(head.text)) return;
        }
        errors.push({ file: candidate.file, message: read.message });
        return;
      }
      filesRead++;
      const kind = looksLikeTerraformPlan(read.text)
        ? 'plan'
        : looksLikeCloudFormation(read.text)
          ? 'cloudformation'
          : undefined;
      if (!kind) {
        if (candidate.explicit) notTemplates.push(candidate.file);
        return;
      }
      // One file's work runs synchronously; yielding between files keeps a long scan from
      // holding the event loop (the app serves webhooks while it scans).
      await yieldToEventLoop();
      outcomes[index] = await scanScope(
        new Map([[candidate.file, read.text]]),
        () =>
          kind === 'plan'
            ? Promise.resolve(loadTerraformPlan(candidate.file, read.text))
            : loadCloudFormation(candidate.file, read.text, source),
        options,
        errors,
        timings,
      );
    },
  );

  const moduleOutcomes: (readonly FileOutcome[] | undefined)[] = new Array(modules.length);
  await forEachLimited(
    modules.map((_, index) => index),
    options.profile ? 1 : (options.concurrency ?? 16),
    async (index) => {
      const module = modules[index];
      if (!module) return;
      const texts: { path: string; text: string }[] = [];
      for (const file of module.files) {
        const read = await source.read(file);
        if (!read.ok) {
          errors.push({ file, message: read.message });
          continue;
        }
        filesRead++;
        texts.push({ path: file, text: read.text });
      }
      if (texts.length === 0) return;
      await yieldToEventLoop();
      moduleOutcomes[index] = await scanModule(module.dir, texts, source, options, errors, timings);
    },
  );
  for (const outcome of moduleOutcomes) if (outcome) outcomes.push(...outcome);

  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const files: ScannedFile[] = [];
  const scopes: Scope[] = [];
  for (const outcome of outcomes) {
    if (!outcome) continue;
    findings.push(...outcome.findings);
    suppressed.push(...outcome.suppressed);
    files.push(...outcome.files);
    if (options.keepScopes) scopes.push(outcome.scope);
  }
  files.sort((a, b) => compareStrings(a.file, b.file));

  return {
    findings: sortFindings(findings),
    ...(options.afterRules ? { suppressed: sortSuppressed(suppressed) } : {}),
    files,
    errors: errors.sort((a, b) => compareStrings(a.file, b.file)),
    skipped: skipped.sort((a, b) => compareStrings(a.file, b.file)),
    filesRead,
    notTemplates: notTemplates.sort(compareStrings),
    ...(options.keepScopes ? { scopes } : {}),
    ...(timings ? { timings } : {}),
  };
}

interface FileOutcome {
  /** One entry per file read into the scope (a Terraform module has several). */
  readonly files: readonly ScannedFile[];
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  readonly scope: Scope;
}

interface TerraformModuleFiles {
  readonly dir: string;
  readonly files: readonly string[];
}

/**
 * Terraform reads a folder as one module: every `.tf`/`.tf.json` plus `terraform.tfvars` and
 * `*.auto.tfvars`. A folder with only variable files is not a module; another `.tfvars` is
 * only read with `-var-file`, so it is listed as skipped rather than silently applied.
 */
function groupModules(
  candidates: readonly Candidate[],
  skipped: SkippedFile[],
): TerraformModuleFiles[] {
  const byDir = new Map<string, string[]>();
  for (const candidate of candidates) {
    const slash = candidate.file.lastIndexOf('/');
    const dir = slash < 0 ? '.' : candidate.file.slice(0, slash);
    const list = byDir.get(dir);
    if (list) list.push(candidate.file);
    else byDir.set(dir, [candidate.file]);
  }
  const modules: TerraformModuleFiles[] = [];
  for (const [dir, files] of byDir) {
    const read = files.filter(isTerraformFile);
    if (!read.some((f) => /\.tf(\.json)?$/i.test(f))) continue;
    for (const file of files) {
      if (!read.includes(file) && /\.tfvars(\.json)?$/i.test(file))
        skipped.push({ file, format: 'terraform', reason: TFVARS_NOT_LOADED });
    }
    modules.push({ dir, files: read });
  }
  return modules.sort((a, b) => compareStrings(a.dir, b.dir));
}

async function scanModule(
  dir: string,
  texts: readonly { path: string; text: string }[],
  source: LocalFileSource,
  options: ScanOptions,
  errors: ScanError[],
  timings: Timings | undefined,
): Promise<FileOutcome[]> {
  const outcome = await scanScope(
    new Map(texts.map((t) => [t.path, t.text])),
    () => loadTerraformModule(dir, texts, source),
    options,
    errors,
    timings,
  );
  return outcome ? [outcome] : [];
}

type Timings = { loadMs: number; ruleMs: Record<string, number> };

async function scanScope(
  texts: ReadonlyMap<string, string>,
  load: () => Promise<Scope>,
  options: ScanOptions,
  errors: ScanError[],
  timings: Timings | undefined,
): Promise<FileOutcome | undefined> {
  const files = [...texts.keys()];
  const name = files.length === 1 ? (files[0] ?? '') : files.join(', ');
  const where = files.length === 1 ? 'the template' : 'the module';
  let scope: Scope;
  const loadStarted = performance.now();
  try {
    scope = await load();
    if (timings) timings.loadMs += performance.now() - loadStarted;
  } catch (error) {
    // The adapters promise not to throw on bad input; if one does anyway, that is our bug, and
    // the other files must still be scanned.
    errors.push({
      file: name,
      message: `internal error while loading ${where}: ${describe(error)}`,
    });
    return undefined;
  }
  const findings: Finding[] = [];
  try {
    // One rule at a time, yielding between rules, so a large scope never holds the event loop
    // for all rules at once; each rule is timed when asked.
    const slicer = timeSlicer();
    const runOptions: RunOptions = {
      ...(options.settings ? { settings: options.settings } : {}),
      ...(options.baseScopes ? { change: { base: baseScopeOf(scope, options) } } : {}),
    };
    for (const rule of options.rules) {
      const started = performance.now();
      findings.push(...runRules(scope, [rule], runOptions));
      if (timings) {
        timings.ruleMs[rule.id] = (timings.ruleMs[rule.id] ?? 0) + performance.now() - started;
      }
      await slicer.maybeYield();
    }
  } catch (error) {
    errors.push({
      file: name,
      message: `internal error while running the rules: ${describe(error)}`,
    });
    return undefined;
  }
  let kept: readonly Finding[] = findings;
  let suppressed: readonly SuppressedFinding[] = [];
  if (options.afterRules) {
    try {
      ({ findings: kept, suppressed } = options.afterRules(scope, findings, texts));
    } catch (error) {
      errors.push({
        file: name,
        message: `internal error while applying suppressions: ${describe(error)}`,
      });
      return undefined;
    }
  }
  return { files: summarise(files, scope), findings: kept, suppressed, scope };
}

function baseScopeOf(scope: Scope, options: ScanOptions): Scope | undefined {
  const scanned = options.baseScopes?.get(scope.id);
  if (scanned) return scanned;
  return options.unchangedInBase?.(scope) ? scope : undefined;
}

/**
 * Per-file counts. A module's resources, policies and diagnostics are charged to the file they
 * are written in, so the counts of a module's files add up to the module's.
 */
function summarise(files: readonly string[], scope: Scope): ScannedFile[] {
  const policies = policiesOf(scope);
  const only = files.length === 1;
  return files.map((file) => {
    const inFile = (range: { file: string }): boolean => only || range.file === file;
    const filePolicies = policies.filter((p) => inFile(p.policy.range));
    const diagnostics = scope.diagnostics.filter((d) => inFile(d.range));
    return {
      file,
      format: scope.format,
      resources: scope.resources.filter((r) => inFile(r.range)).length,
      unresolved: diagnostics.filter((d) => d.kind === 'unresolved').length,
      policies: filePolicies.length,
      unresolvedPolicies: filePolicies.filter((p) => p.policy.unresolved !== undefined).length,
      parseErrors: diagnostics.filter((d) => d.kind === 'parse-error').length,
    };
  });
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

export function sortSuppressed(entries: readonly SuppressedFinding[]): SuppressedFinding[] {
  return [...entries].sort((a, b) => compareFindings(a.finding, b.finding));
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
