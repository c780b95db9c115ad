/**
 * What a `Config` means for a scan: which rules run and at which severity, which files are
 * read, which findings block, which are accepted by an `ignore:` entry, and the facts rules
 * get as `RuleSettings`. Pure functions; the CLI and the GitHub App share them.
 *
 * Severity: `configuredRules` applies a `rules:` override as the rule's default severity, and
 * `effectiveSeverity` is the final word on each finding. A rule may lower the severity of one
 * finding (e.g. error → warning when no endpoint is in scope); an explicit override in the
 * config wins over that choice, because the repository owner has said how much the rule
 * matters to them. Without an override the rule's per-finding severity stands.
 */
import type { Finding, Severity } from '../findings/finding.js';
import { SEVERITY_ORDER } from '../findings/finding.js';
import type { RuleSettings } from '../rules/settings.js';
import { compileGlob, normalizePath } from './glob.js';
import type { Glob } from './glob.js';
import { DEFAULT_CONFIG, severityOfSetting } from './schema.js';
import type { Config, ConfigIgnore } from './schema.js';

export function ruleSettingsOf(config: Config): RuleSettings {
  return Object.freeze({
    endpoints: config.endpoints,
    vpcs: config.vpcs,
    services: config.services,
    assumeEndpoint: config.assumeEndpoint,
    ...(config.region === undefined ? {} : { region: config.region }),
  });
}

/** The rules switched on, in the given order, with `rules:` severity overrides applied. */
export function configuredRules<R extends { id: string; severity: Severity }>(
  all: readonly R[],
  config: Config,
): readonly R[] {
  const selected: R[] = [];
  for (const rule of all) {
    const setting = config.rules[rule.id];
    if (setting === 'off') continue;
    const severity = severityOfSetting(setting);
    selected.push(
      severity === undefined || severity === rule.severity
        ? rule
        : Object.freeze({ ...rule, severity }),
    );
  }
  return Object.freeze(selected);
}

/** The severity to report: an explicit `rules:` override, else the finding's own. */
export function effectiveSeverity(finding: Finding, config: Config): Severity {
  return severityOfSetting(config.rules[finding.ruleId]) ?? finding.severity;
}

/**
 * Whether a finding fails the check / makes the CLI exit 1: its severity reaches `failOn`,
 * and it is new (no status means no base was compared, so everything is new) unless
 * `block: all`.
 */
export function isBlocking(finding: Finding, config: Config): boolean {
  if (config.failOn === 'never') return false;
  if (config.block === 'new' && finding.status === 'existing') return false;
  return SEVERITY_ORDER[effectiveSeverity(finding, config)] >= SEVERITY_ORDER[config.failOn];
}

/** Whether a file (path relative to the repository root) is scanned. */
export function pathSelected(config: Config, path: string): boolean {
  const { include, exclude } = compiledPaths(config);
  const normalized = normalizePath(path);
  return (
    include.some((glob) => glob.matches(normalized)) &&
    !exclude.some((glob) => glob.matches(normalized))
  );
}

/** The first `ignore:` entry that accepts this finding (same rule, resource and path match). */
export function configIgnoreFor(finding: Finding, config: Config): ConfigIgnore | undefined {
  return config.ignore.find((entry) => ignoreMatches(entry, finding));
}

/**
 * Does one `ignore:` entry accept this finding: the same rule, the resource (exact or a glob)
 * and the path glob when given? The one matcher for config ignores (suppressions use it too).
 */
export function ignoreMatches(entry: ConfigIgnore, finding: Finding): boolean {
  const globs = compiledIgnore(entry);
  if (entry.rule !== finding.ruleId || globs === undefined) return false;
  if (globs.resource && !globs.resource.matches(finding.resource)) {
    // Resource addresses are not paths: compare literally too, so `a/b` style ids work.
    if (entry.resource !== finding.resource) return false;
  }
  return !globs.path || globs.path.matches(normalizePath(finding.range.file));
}

/** "Config in effect" lines for reports: only keys that differ from the defaults. */
export function describeConfig(config: Config): string[] {
  const lines: string[] = [];
  const rules = Object.entries(config.rules).filter(([, setting]) => setting !== 'on');
  if (rules.length > 0) {
    lines.push(`rules: ${rules.map(([id, setting]) => `${id} ${setting}`).join(', ')}`);
  }
  if (config.failOn !== DEFAULT_CONFIG.failOn) lines.push(`failOn: ${config.failOn}`);
  if (config.block !== DEFAULT_CONFIG.block) lines.push(`block: ${config.block}`);
  if (!sameList(config.paths.include, DEFAULT_CONFIG.paths.include)) {
    lines.push(`paths.include: ${config.paths.include.join(', ')}`);
  }
  if (config.paths.exclude.length > 0) {
    lines.push(`paths.exclude: ${config.paths.exclude.join(', ')}`);
  }
  if (config.endpoints.length > 0) {
    const endpoints = config.endpoints.map(
      (endpoint) => endpoint.id + details([endpoint.vpc, endpoint.region]),
    );
    lines.push(`endpoints: ${endpoints.join(', ')}`);
  }
  if (config.vpcs.length > 0) {
    const vpcs = config.vpcs.map((vpc) => vpc.id + details([vpc.region, ...(vpc.cidrs ?? [])]));
    lines.push(`vpcs: ${vpcs.join(', ')}`);
  }
  if (config.services.length > 0) lines.push(`services: ${config.services.join(', ')}`);
  if (config.assumeEndpoint !== DEFAULT_CONFIG.assumeEndpoint) {
    lines.push(`assumeEndpoint: ${config.assumeEndpoint}`);
  }
  if (config.region !== undefined) lines.push(`region: ${config.region}`);
  for (const entry of config.ignore) {
    const where = [
      entry.resource === undefined ? undefined : `resource ${entry.resource}`,
      entry.path === undefined ? undefined : `path ${entry.path}`,
    ].filter((part) => part !== undefined);
    lines.push(`ignore: ${entry.rule} at ${where.join(', ')} (${entry.reason})`);
  }
  if (config.comments.max !== DEFAULT_CONFIG.comments.max) {
    lines.push(`comments.max: ${config.comments.max}`);
  }
  if (config.comments.summary !== DEFAULT_CONFIG.comments.summary) {
    lines.push(`comments.summary: ${config.comments.summary}`);
  }
  if (config.onError !== DEFAULT_CONFIG.onError) lines.push(`onError: ${config.onError}`);
  if (config.commands.ignore.allow.length > 0) {
    lines.push(`commands.ignore.allow: ${config.commands.ignore.allow.join(', ')}`);
  }
  return lines;
}

function details(parts: readonly (string | undefined)[]): string {
  const present = parts.filter((part) => part !== undefined);
  return present.length === 0 ? '' : ` (${present.join(', ')})`;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

// Configs are frozen, so compiled globs can be cached per config (and per ignore entry) object.
const pathCache = new WeakMap<Config, { include: Glob[]; exclude: Glob[] }>();
interface CompiledIgnore {
  readonly resource?: Glob;
  readonly path?: Glob;
}
const ignoreCache = new WeakMap<ConfigIgnore, CompiledIgnore | undefined>();

function compiledPaths(config: Config): { include: Glob[]; exclude: Glob[] } {
  let compiled = pathCache.get(config);
  if (!compiled) {
    compiled = { include: globs(config.paths.include), exclude: globs(config.paths.exclude) };
    pathCache.set(config, compiled);
  }
  return compiled;
}

function compiledIgnore(entry: ConfigIgnore): CompiledIgnore | undefined {
  if (ignoreCache.has(entry)) return ignoreCache.get(entry);
  const resource = entry.resource === undefined ? undefined : compileGlob(entry.resource);
  const path = entry.path === undefined ? undefined : compileGlob(entry.path);
  // parseConfig validated these; a hand-built entry with a bad glob ignores nothing.
  const compiled =
    resource?.ok === false || path?.ok === false
      ? undefined
      : {
          ...(resource ? { resource: resource.glob } : {}),
          ...(path ? { path: path.glob } : {}),
        };
  ignoreCache.set(entry, compiled);
  return compiled;
}

/** Globs that do not compile (only possible in hand-built configs) match nothing. */
function globs(patterns: readonly string[]): Glob[] {
  return patterns.flatMap((pattern) => {
    const compiled = compileGlob(pattern);
    return compiled.ok ? [compiled.glob] : [];
  });
}
