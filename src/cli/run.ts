/**
 * The command line, as a function: `main(argv, io)` parses arguments, runs the engine, renders
 * the report and returns the exit code. Everything it touches from the outside (streams,
 * current directory, TTY, environment) comes in through `io`, so tests drive it directly; the
 * `bin` wrapper in main.ts only wires it to the process.
 *
 * Exit codes: 0 nothing reached the fail level, 1 something did, 2 usage or internal error.
 */
import { readFile, realpath, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Finding, Severity } from '../findings/finding.js';
import { SEVERITY_ORDER } from '../findings/finding.js';
import type { Rule } from '../rules/define-rule.js';
import { rules as registry } from '../rules/index.js';
import { mergeResults, relocateResult } from '../engine/relocate.js';
import type { ChangeGroup } from '../engine/change.js';
import { scanChange, scanOptionsOf, withNotices } from '../engine/change.js';
import type { ScanResult } from '../engine/scan.js';
import { scanPaths, sortFindings } from '../engine/scan.js';
import { UnknownRuleError } from '../engine/select-rules.js';
import type { RunPlan } from '../engine/configure.js';
import { planRun } from '../engine/configure.js';
import type { Config } from '../config/schema.js';
import { DEFAULT_CONFIG } from '../config/schema.js';
import { findConfigFile, formatConfigProblem, parseConfig } from '../config/parse.js';
import { GitBaseError, materialiseGitBase } from '../source/git.js';
import { LocalFileSource, pathExists } from '../source/local.js';
import { renderJson } from '../report/json.js';
import { renderSarif } from '../report/sarif.js';
import { renderText, summaryLine } from '../report/text.js';
import { toolInfo } from './tool-info.js';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** Is stdout a terminal? Colour defaults to on only then. */
  readonly isTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Writes `--output`; defaults to the file system. */
  readonly writeFile?: (file: string, text: string) => Promise<void>;
}

export interface CliDependencies {
  /** The rule registry; tests may pass their own. */
  readonly rules?: readonly Rule[];
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];
const FAIL_LEVELS = ['error', 'warning', 'notice', 'never'] as const;
type FailLevel = (typeof FAIL_LEVELS)[number];

export const HELP = `Usage: s3-endpoint-guard <command> [options]

Checks S3 VPC endpoint policies, bucket policies and IAM policies in CloudFormation templates,
Terraform modules (a folder of .tf files) and Terraform plan JSON, with IAM's evaluation
semantics.

Commands:
  scan [paths...]        scan files and folders (default: .)
  pr <owner>/<repo>#<n>  evaluate a GitHub pull request as the GitHub App would and print
                         what it would publish (--post publishes it; see "pr --help")
  rules                  list the rules

Options for scan:
  --format <fmt>         text (default), json or sarif
  --fail-on <level>      error, warning, notice or never: exit 1 when a finding of at
                         least this severity is reported (default: the config's failOn,
                         else error)
  --base <ref>           compare with git ref <ref> of the repository (e.g. origin/main):
                         findings get a status (new or existing), fixed ones are listed,
                         and only new findings fail the run
  --config <file>        the configuration file (default: .github/s3-endpoint-guard.yml
                         in the current directory, when it exists)
  --no-config            ignore the configuration file
  --rule <id>            run only this rule (repeatable)
  --disable <id>         do not run this rule (repeatable)
  -o, --output <file>    write the report to a file instead of stdout
  --no-color             no ANSI colours (also NO_COLOR=1; FORCE_COLOR=1 forces them)

  -h, --help             show this help
  -V, --version          show the version

Exit codes: 0 nothing at the fail level, 1 findings (or unreadable files) at the fail level,
2 usage or internal error.
`;

class UsageError extends Error {}

interface ParsedScan {
  readonly paths: string[];
  readonly format: Format;
  /** Undefined when not given: the config's `failOn` applies. */
  readonly failOn: FailLevel | undefined;
  /** `--config <file>`; `false` for `--no-config`. */
  readonly config: string | false | undefined;
  readonly only: string[];
  readonly disable: string[];
  readonly output: string | undefined;
  readonly noColor: boolean;
  /** `--base <ref>`: compare with this git ref. */
  readonly base: string | undefined;
}

function parse(
  argv: readonly string[],
):
  | { command: 'help' }
  | { command: 'version' }
  | { command: 'rules' }
  | { command: 'scan'; options: ParsedScan } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        'fail-on': { type: 'string' },
        rule: { type: 'string', multiple: true },
        disable: { type: 'string', multiple: true },
        output: { type: 'string', short: 'o' },
        'no-color': { type: 'boolean' },
        base: { type: 'string' },
        config: { type: 'string' },
        'no-config': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
    });
  } catch (error) {
    // parseArgs' messages name the offending option; they only need our usage hint.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  const [command, ...rest] = positionals;
  if (command === undefined) throw new UsageError('missing command (try "scan")');
  if (command === 'help') return { command: 'help' };
  if (command === 'rules') {
    if (rest.length > 0) throw new UsageError('"rules" takes no arguments');
    return { command: 'rules' };
  }
  if (command !== 'scan') throw new UsageError(`unknown command "${command}"`);

  const format = values.format ?? 'text';
  if (!isOneOf(FORMATS, format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got "${format}")`);
  }
  const failOn = values['fail-on'];
  if (failOn !== undefined && !isOneOf(FAIL_LEVELS, failOn)) {
    throw new UsageError(`--fail-on must be one of ${FAIL_LEVELS.join(', ')} (got "${failOn}")`);
  }
  if (values.output === '') throw new UsageError('--output needs a file name');
  if (values.config === '') throw new UsageError('--config needs a file name');
  if (values.config !== undefined && values['no-config']) {
    throw new UsageError('--config and --no-config cannot be used together');
  }
  if (values.base !== undefined && (values.base === '' || values.base.startsWith('-'))) {
    throw new UsageError(
      `--base needs a git ref that does not start with "-" (got "${values.base}")`,
    );
  }
  return {
    command: 'scan',
    options: {
      paths: rest.length > 0 ? rest : ['.'],
      format,
      failOn,
      config: values['no-config'] ? false : values.config,
      only: values.rule ?? [],
      disable: values.disable ?? [],
      output: values.output,
      noColor: values['no-color'] === true,
      base: values.base,
    },
  };
}

function isOneOf<T extends string>(choices: readonly T[], value: string): value is T {
  return (choices as readonly string[]).includes(value);
}

/**
 * Colour: `--no-color` always wins; then FORCE_COLOR (as in Node: `0`/`false` turn it off, any
 * other value on); then NO_COLOR (any non-empty value, per no-color.org); else only on a TTY.
 * A report written to a file never has colour.
 */
export function colorEnabled(
  flagNoColor: boolean,
  env: Readonly<Record<string, string | undefined>>,
  isTTY: boolean,
): boolean {
  if (flagNoColor) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY;
}

/**
 * Which findings can fail the run when a base was compared: only those the change introduced
 * (`new`, the default: a pull request is not blocked by the debt it did not add) or `all`.
 * The config file's `block:` key feeds this.
 */
export type BlockMode = 'new' | 'all';

/**
 * Does anything in the result reach the fail level? Unreadable files count as errors. With a
 * base, `block` decides whether `existing` findings count.
 */
export function reachesFailLevel(
  result: ScanResult,
  failOn: FailLevel,
  block: BlockMode = 'new',
): boolean {
  if (failOn === 'never') return false;
  const threshold = SEVERITY_ORDER[failOn as Severity];
  if (result.errors.length > 0) return true;
  const counts = (f: Finding): boolean =>
    result.base === undefined || block === 'all' || f.status !== 'existing';
  return result.findings.some((f: Finding) => counts(f) && SEVERITY_ORDER[f.severity] >= threshold);
}

function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** One scan root and the paths scanned under it; `prefix` re-bases its paths to the cwd. */
interface ScanGroup {
  readonly root: string;
  readonly targets: readonly string[];
  readonly prefix: string;
}

/**
 * Groups the given paths by scan root. Paths inside the current directory are scanned together
 * with the current directory as the root; a path outside it is scanned with itself (or its
 * folder) as the root, so no read ever leaves the tree the user named, then shown relative to
 * the current directory.
 */
async function planScan(cwd: string, paths: readonly string[]): Promise<ScanGroup[]> {
  const inside: string[] = [];
  // Outside paths grouped by the root they are scanned under, so no file is scanned twice.
  const outside = new Map<string, string[]>();
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    let info;
    try {
      info = await stat(absolute);
    } catch {
      throw new UsageError(`no such file or directory: ${given}`);
    }
    if (isInside(cwd, absolute)) {
      inside.push(path.relative(cwd, absolute) || '.');
    } else {
      const root = info.isDirectory() ? absolute : path.dirname(absolute);
      outside.set(root, [...(outside.get(root) ?? []), path.relative(root, absolute) || '.']);
    }
  }
  const groups: ScanGroup[] = [];
  if (inside.length > 0) groups.push({ root: cwd, targets: inside, prefix: '' });
  for (const [root, targets] of outside) {
    groups.push({ root, targets, prefix: path.relative(cwd, root).split(path.sep).join('/') });
  }
  return groups;
}

async function scanAll(cwd: string, paths: readonly string[], plan: RunPlan): Promise<ScanResult> {
  const results: ScanResult[] = [];
  const hooks = plan.hooksForScan();
  for (const group of await planScan(cwd, paths)) {
    const result = await scanPaths({
      ...scanOptionsOf(hooks),
      root: group.root,
      paths: group.targets,
    });
    results.push(relocateResult(result, group.prefix));
  }
  return withNotices(mergeResults(results, sortFindings), hooks.unusedIgnoreNotices());
}

/**
 * `--base <ref>`: the same paths are scanned in the ref (read from git into a temporary folder)
 * and in the working tree, and compared (engine/change.ts).
 */
async function scanChangeAgainst(
  cwd: string,
  paths: readonly string[],
  plan: RunPlan,
  ref: string,
): Promise<ScanResult> {
  const groups = await planScan(cwd, paths);
  let base;
  try {
    base = await materialiseGitBase(cwd, ref, paths);
  } catch (error) {
    if (error instanceof GitBaseError) throw new UsageError(error.message);
    throw error;
  }
  try {
    const changeGroups: ChangeGroup[] = [];
    for (const group of groups) {
      changeGroups.push({
        headRoot: group.root,
        baseRoot: base.baseFolder(await realpath(group.root)),
        targets: group.targets,
        prefix: group.prefix,
      });
    }
    return await scanChange(changeGroups, plan, ref);
  } finally {
    await base.dispose();
  }
}

type LoadedConfig = { ok: true; config: Config; file?: string } | { ok: false };

/**
 * `--config <file>`, else `.github/s3-endpoint-guard.yml` (or `.yaml`) in the current directory
 * when it exists. An invalid file stops the run with every problem listed (file:line: key:
 * message): scanning with a half-read configuration would report the wrong things.
 */
async function loadConfig(
  io: CliIo,
  given: string | false | undefined,
  registry: readonly Rule[],
): Promise<LoadedConfig> {
  if (given === false) return { ok: true, config: DEFAULT_CONFIG };
  const file = given ?? (await findConfigFile('', (name) => pathExists(path.join(io.cwd, name))));
  if (file === undefined) return { ok: true, config: DEFAULT_CONFIG };
  let text: string;
  try {
    text = await readFile(path.resolve(io.cwd, file), 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`cannot read the configuration file ${file}: ${reason}`);
  }
  const shown = path.isAbsolute(file) ? file : file.split(path.sep).join('/');
  const parsed = parseConfig(text, shown, { ruleIds: registry.map((rule) => rule.id) });
  if (!parsed.ok) {
    io.stderr(`s3-endpoint-guard: invalid configuration:\n`);
    for (const problem of parsed.errors) io.stderr(`  ${formatConfigProblem(problem)}\n`);
    return { ok: false };
  }
  for (const problem of parsed.warnings) {
    io.stderr(`warning: ${formatConfigProblem(problem)}\n`);
  }
  return { ok: true, config: parsed.config, file: shown };
}

export async function main(
  argv: readonly string[],
  io: CliIo,
  dependencies: CliDependencies = {},
): Promise<number> {
  const allRules = dependencies.rules ?? registry;
  try {
    if (argv[0] === 'pr') {
      // Loaded on demand: only this command needs Octokit and the GitHub layer.
      const pr = await import('./pr.js');
      return await pr.runPr(argv.slice(1), io, await pr.defaultPrDependencies());
    }
    const parsed = parse(argv);
    if (parsed.command === 'help') {
      io.stdout(HELP);
      return EXIT_OK;
    }
    if (parsed.command === 'version') {
      io.stdout(`${toolInfo().name} ${toolInfo().version}\n`);
      return EXIT_OK;
    }
    if (parsed.command === 'rules') {
      const width = Math.max(...allRules.map((r) => r.id.length), 2);
      for (const rule of allRules) {
        io.stdout(`${rule.id.padEnd(width)}  ${rule.severity.padEnd(7)}  ${rule.title}\n`);
      }
      return EXIT_OK;
    }
    const options = parsed.options;
    const loaded = await loadConfig(io, options.config, allRules);
    if (!loaded.ok) return EXIT_USAGE;
    const plan = planRun({
      config: loaded.config,
      ...(loaded.file === undefined ? {} : { configFile: loaded.file }),
      registry: allRules,
      selection: { only: options.only, disable: options.disable },
    });
    const rules = plan.rules;
    const result =
      options.base === undefined
        ? await scanAll(io.cwd, options.paths, plan)
        : await scanChangeAgainst(io.cwd, options.paths, plan, options.base);

    const color = options.output === undefined && colorEnabled(options.noColor, io.env, io.isTTY);
    const report = await render(result, options.format, rules, color, io.cwd);
    if (options.output === undefined) {
      io.stdout(report);
    } else {
      const target = path.resolve(io.cwd, options.output);
      await (io.writeFile ?? ((file, text) => writeFile(file, text, 'utf8')))(target, report);
      io.stderr(
        `wrote ${options.format} report to ${options.output}: ${summaryLine(result.findings, result.files.length)}\n`,
      );
    }
    for (const file of result.notTemplates) {
      io.stderr(
        `note: ${file} is neither a CloudFormation template nor a Terraform plan; not analysed\n`,
      );
    }
    if (result.errors.length > 0 && (options.format !== 'text' || options.output !== undefined)) {
      io.stderr(
        `warning: ${result.errors.length} file(s) could not be scanned (listed in the report)\n`,
      );
    }
    const failOn = options.failOn ?? plan.config.failOn;
    return reachesFailLevel(result, failOn, plan.config.block) ? EXIT_FINDINGS : EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError || error instanceof UnknownRuleError) {
      io.stderr(`s3-endpoint-guard: ${error.message}\nRun "s3-endpoint-guard --help" for usage.\n`);
      return EXIT_USAGE;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr(`s3-endpoint-guard: internal error: ${detail}\n`);
    return EXIT_USAGE;
  }
}

async function render(
  result: ScanResult,
  format: Format,
  rules: readonly Rule[],
  color: boolean,
  cwd: string,
): Promise<string> {
  switch (format) {
    case 'json':
      return renderJson(result);
    case 'sarif': {
      const info = toolInfo();
      return renderSarif(result, {
        toolName: info.name,
        toolVersion: info.version,
        informationUri: info.homepage,
        docsBaseUri: info.docsBaseUri,
        rules,
      });
    }
    case 'text': {
      // Only the files with findings are read again, for their source lines.
      const source = new LocalFileSource(cwd);
      const texts = new Map<string, string | undefined>();
      for (const file of new Set(result.findings.map((f) => f.range.file))) {
        const read = await readForDisplay(source, cwd, file);
        texts.set(file, read);
      }
      return renderText(result, { color, sourceText: (file) => texts.get(file) });
    }
  }
}

/** Files outside the current directory were scanned under their own root; show them too. */
async function readForDisplay(
  source: LocalFileSource,
  cwd: string,
  file: string,
): Promise<string | undefined> {
  if (!file.startsWith('../')) return source.readFile(file);
  const absolute = path.resolve(cwd, file);
  return new LocalFileSource(path.dirname(absolute)).readFile(path.basename(absolute));
}
