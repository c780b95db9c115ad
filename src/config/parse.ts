/**
 * Validates `.github/s3-endpoint-guard.yml` into a `Config`. Every problem names the file, the
 * line, the key and what is allowed, and all problems are reported at once (fixing a config one
 * CI run at a time is tedious). Unknown keys and rule ids are errors, not warnings: a typo would
 * otherwise leave a rule on or a gate open without anyone noticing.
 *
 * Only the nodes the schema expects are visited, so a hostile file costs at most its size
 * (capped), the YAML library's alias limit and a bounded walk.
 */
import { join } from 'node:path';
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import { parseCidr } from '../policy/ip.js';
import { AWS_SERVICE_IDS } from '../rules/settings.js';
import type { AwsServiceId, KnownEndpoint, KnownVpc } from '../rules/settings.js';
import { compileGlob } from './glob.js';
import {
  ASSUME_ENDPOINT,
  BLOCK,
  COMMENT_SUMMARY,
  CONFIG_FILE_NAMES,
  DEFAULT_CONFIG,
  FAIL_ON,
  MAX_ALIAS_COUNT,
  MAX_COMMENTS_LIMIT,
  MAX_CONFIG_BYTES,
  ON_ERROR,
  RULE_SETTINGS,
  deepFreeze,
} from './schema.js';
import type { Config, ConfigIgnore, ConfigProblem, ConfigResult, RuleSetting } from './schema.js';
import { didYouMean } from './suggest.js';

export interface ParseOptions {
  /** The rule ids of the registry, to reject unknown ids in `rules:` and `ignore:`. */
  readonly ruleIds: readonly string[];
}

/** The first config file that exists, joined to `root`; `exists` gets the relative name. */
export async function findConfigFile(
  root: string,
  exists: (rel: string) => Promise<boolean>,
): Promise<string | undefined> {
  for (const name of CONFIG_FILE_NAMES) {
    if (await exists(name)) return root === '' ? name : join(root, name);
  }
  return undefined;
}

/** `<file>:<line>: <key>: <message>`; the line is left out when none applies. */
export function formatConfigProblem(problem: ConfigProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  return `${where}: ${problem.key}: ${problem.message}`;
}

const ROOT_KEYS = [
  'rules',
  'failOn',
  'block',
  'paths',
  'endpoints',
  'vpcs',
  'services',
  'assumeEndpoint',
  'region',
  'ignore',
  'comments',
  'onError',
  'commands',
  '_extends',
] as const;

/** Problems reported per file; the rest are counted. */
export const MAX_PROBLEMS = 100;

const VPCE_ID = /^vpce-[0-9a-f]+$/;
const VPC_ID = /^vpc-[0-9a-f]+$/;
/** `eu-west-1`, `us-gov-west-1`, `cn-north-1`, `us-isob-east-1`. */
const REGION = /^[a-z]{2}(?:-(?:gov|iso[a-z]?))?-[a-z]+-[0-9]{1,2}$/;
/** A GitHub login, or `org/team-slug`. */
const GITHUB_PRINCIPAL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\/[A-Za-z0-9_.-]{1,100})?$/;

export function parseConfig(text: string, file: string, options: ParseOptions): ConfigResult {
  if (Buffer.byteLength(text, 'utf8') > MAX_CONFIG_BYTES) {
    return fail({
      file,
      key: '(file)',
      message: `is larger than ${MAX_CONFIG_BYTES / 1024} KB; a configuration is never that big`,
    });
  }
  const lineCounter = new LineCounter();
  let document: Document.Parsed;
  try {
    // Duplicate keys are found by the walk below: the library's own check is quadratic.
    document = parseDocument(text, { lineCounter, uniqueKeys: false, merge: false });
    if (document.errors.length > 0) {
      return {
        ok: false,
        errors: document.errors.map((error) => ({
          file,
          ...(error.linePos ? { line: error.linePos[0].line } : {}),
          key: '(yaml)',
          message: yamlMessage(error.message),
        })),
      };
    }
    // Expanding the document once makes the library enforce its alias limit before we walk.
    // `mapAsMap` keeps a collection used as a key (`? [a]: 1`) from being stringified with a
    // process warning; the reader reports such keys itself.
    document.toJS({ maxAliasCount: MAX_ALIAS_COUNT, mapAsMap: true });
  } catch (error) {
    const message =
      error instanceof RangeError
        ? 'is nested too deeply to read'
        : `cannot be read: ${firstLine(error instanceof Error ? error.message : String(error))}`;
    return fail({ file, key: '(yaml)', message });
  }
  const reader = new Reader(file, document, lineCounter, options);
  const config = reader.root(document.contents);
  if (reader.errors.length > 0)
    return { ok: false, errors: capped(inFileOrder(reader.errors), file) };
  return { ok: true, config: deepFreeze(config), warnings: reader.warnings };
}

/** A file with thousands of problems is not a config; the first ones say enough. */
function capped(problems: ConfigProblem[], file: string): ConfigProblem[] {
  if (problems.length <= MAX_PROBLEMS) return problems;
  const more = problems.length - MAX_PROBLEMS;
  return [
    ...problems.slice(0, MAX_PROBLEMS),
    { file, key: '(file)', message: `${more} more problem${more === 1 ? '' : 's'} not shown` },
  ];
}

/** By line (stable, so problems on one line keep the order they were found in). */
function inFileOrder(problems: readonly ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort(
    (a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER),
  );
}

function fail(problem: ConfigProblem): ConfigResult {
  return { ok: false, errors: [problem] };
}

/** The library's message without its own position (we print ours) and code excerpt. */
function yamlMessage(message: string): string {
  const text = firstLine(message).replace(/ at line \d+, column \d+:?$/, '');
  return /call stack/i.test(text) ? 'is nested too deeply to read' : text;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/** Shallowly writable while the reader fills it in; frozen before it is returned. */
type Draft = { -readonly [K in keyof Config]: Config[K] };

class Reader {
  readonly errors: ConfigProblem[] = [];
  readonly warnings: ConfigProblem[] = [];

  constructor(
    private readonly file: string,
    private readonly document: Document.Parsed,
    private readonly lineCounter: LineCounter,
    private readonly options: ParseOptions,
  ) {}

  root(contents: unknown): Config {
    const config: Draft = { ...DEFAULT_CONFIG, rules: {} };
    const node = this.resolve(contents);
    // An empty file, or one holding only comments (or `~`), means the defaults.
    if (node === undefined || (isScalar(node) && node.value === null)) return config;
    if (!isMap(node)) {
      this.error(node, '(root)', `must be a mapping of keys to values (got ${describe(node)})`);
      return config;
    }
    for (const [key, value] of this.entries(node, '', ROOT_KEYS)) {
      switch (key) {
        case 'rules':
          this.rules(value, config);
          break;
        case 'failOn':
          config.failOn = this.oneOf(value, key, FAIL_ON) ?? config.failOn;
          break;
        case 'block':
          config.block = this.oneOf(value, key, BLOCK) ?? config.block;
          break;
        case 'paths':
          this.paths(value, config);
          break;
        case 'endpoints':
          config.endpoints = this.list(value, key, (item, at) => this.endpoint(item, at));
          this.warnDuplicates(
            value,
            key,
            config.endpoints.map((endpoint) => endpoint.id),
          );
          break;
        case 'vpcs':
          config.vpcs = this.list(value, key, (item, at) => this.vpc(item, at));
          this.warnDuplicates(
            value,
            key,
            config.vpcs.map((vpc) => vpc.id),
          );
          break;
        case 'services':
          config.services = this.list(value, key, (item, at) =>
            this.oneOf(item, at, AWS_SERVICE_IDS, true),
          ) as AwsServiceId[];
          this.warnDuplicates(value, key, config.services);
          break;
        case 'assumeEndpoint':
          config.assumeEndpoint = this.oneOf(value, key, ASSUME_ENDPOINT) ?? config.assumeEndpoint;
          break;
        case 'region': {
          const region = this.region(value, key);
          if (region !== undefined) config.region = region;
          break;
        }
        case 'ignore':
          config.ignore = this.list(value, key, (item, at) => this.ignoreEntry(item, at));
          break;
        case 'comments':
          this.comments(value, config);
          break;
        case 'onError':
          config.onError = this.oneOf(value, key, ON_ERROR) ?? config.onError;
          break;
        case 'commands':
          this.commands(value, config);
          break;
        case '_extends':
          // Probot's org-wide inheritance: the GitHub App resolves it before parsing.
          break;
      }
    }
    return config;
  }

  private rules(node: Node | undefined, config: Draft): void {
    const ids = this.options.ruleIds;
    const map = this.mapping(node, 'rules');
    if (!map) return;
    const rules: Record<string, RuleSetting> = {};
    const seen = new Map<string, number | undefined>();
    config.rules = rules;
    for (const pair of map.items) {
      const keyNode = this.resolve(pair.key);
      const id = this.keyName(keyNode, 'rules');
      if (id === undefined) continue;
      const at = `rules.${keySegment(id)}`;
      if (this.duplicate(seen, id, keyNode, at)) continue;
      if (!ids.includes(id)) {
        this.error(
          keyNode,
          at,
          `unknown rule ${quote(id)}${didYouMean(id, ids)}; known rules: ${ids.join(', ')}`,
        );
        continue;
      }
      const value = this.resolve(pair.value);
      // `true`/`false` are accepted for on/off: YAML 1.1 habits turn `on` into a boolean.
      if (isScalar(value) && typeof value.value === 'boolean') {
        rules[id] = value.value ? 'on' : 'off';
        continue;
      }
      const setting = this.oneOf(value, at, RULE_SETTINGS);
      if (setting !== undefined) rules[id] = setting;
    }
  }

  private paths(node: Node | undefined, config: Draft): void {
    for (const [key, value] of this.entries(node, 'paths', ['include', 'exclude'])) {
      const at = `paths.${key}`;
      const globs = this.list(value, at, (item, itemAt) => this.glob(item, itemAt));
      if (key === 'include' && isSeq(value) && value.items.length === 0) {
        this.error(value, at, 'must list at least one glob (leave it out to scan everything)');
      }
      config.paths = { ...config.paths, [key]: globs };
      this.warnDuplicates(value, at, globs);
    }
  }

  private endpoint(node: Node | undefined, at: string): KnownEndpoint | undefined {
    const fields = this.fields(node, at, ['id', 'vpc', 'region'], ['id']);
    if (!fields) return undefined;
    const id = this.shaped(fields.id, `${at}.id`, VPCE_ID, 'an endpoint id like vpce-0a1b2c3d');
    const vpc = this.shaped(fields.vpc, `${at}.vpc`, VPC_ID, 'a VPC id like vpc-0a1b2c3d');
    const region = this.region(fields.region, `${at}.region`);
    if (id === undefined) return undefined;
    return {
      id,
      ...(vpc === undefined ? {} : { vpc }),
      ...(region === undefined ? {} : { region }),
    };
  }

  private vpc(node: Node | undefined, at: string): KnownVpc | undefined {
    const fields = this.fields(node, at, ['id', 'region', 'cidrs'], ['id']);
    if (!fields) return undefined;
    const id = this.shaped(fields.id, `${at}.id`, VPC_ID, 'a VPC id like vpc-0a1b2c3d');
    const region = this.region(fields.region, `${at}.region`);
    const cidrs =
      fields.cidrs === undefined
        ? undefined
        : this.list(fields.cidrs, `${at}.cidrs`, (item, itemAt) => this.cidr(item, itemAt));
    if (id === undefined) return undefined;
    return {
      id,
      ...(region === undefined ? {} : { region }),
      ...(cidrs === undefined ? {} : { cidrs }),
    };
  }

  private ignoreEntry(node: Node | undefined, at: string): ConfigIgnore | undefined {
    const fields = this.fields(
      node,
      at,
      ['rule', 'resource', 'path', 'reason'],
      ['rule', 'reason'],
    );
    if (!fields) return undefined;
    const rule = fields.rule && this.string(fields.rule, `${at}.rule`);
    if (rule !== undefined && !this.options.ruleIds.includes(rule)) {
      const ids = this.options.ruleIds;
      this.error(
        fields.rule,
        `${at}.rule`,
        `unknown rule ${quote(rule)}${didYouMean(rule, ids)}; known rules: ${ids.join(', ')}`,
      );
    }
    const resource = fields.resource && this.glob(fields.resource, `${at}.resource`);
    const path = fields.path && this.glob(fields.path, `${at}.path`);
    const reason = fields.reason && this.string(fields.reason, `${at}.reason`);
    if (reason !== undefined && reason.trim() === '') {
      this.error(fields.reason, `${at}.reason`, 'must say why the finding is accepted');
    }
    if (fields.resource === undefined && fields.path === undefined) {
      this.error(
        node,
        at,
        'must name a resource or a path (or both); to turn a rule off everywhere use `rules:`',
      );
    }
    if (rule === undefined || reason === undefined) return undefined;
    return {
      rule,
      ...(resource === undefined ? {} : { resource }),
      ...(path === undefined ? {} : { path }),
      reason: reason.trim(),
      ...this.lineField(node),
    };
  }

  private comments(node: Node | undefined, config: Draft): void {
    for (const [key, value] of this.entries(node, 'comments', ['max', 'summary'])) {
      const at = `comments.${key}`;
      if (key === 'summary') {
        const summary = this.oneOf(value, at, COMMENT_SUMMARY);
        if (summary !== undefined) config.comments = { ...config.comments, summary };
        continue;
      }
      const max = isScalar(value) ? value.value : undefined;
      if (
        typeof max === 'number' &&
        Number.isInteger(max) &&
        max >= 0 &&
        max <= MAX_COMMENTS_LIMIT
      ) {
        config.comments = { ...config.comments, max };
      } else {
        this.error(
          value,
          at,
          `must be a whole number from 0 to ${MAX_COMMENTS_LIMIT} (got ${describe(value)})`,
        );
      }
    }
  }

  private commands(node: Node | undefined, config: Draft): void {
    for (const [, ignore] of this.entries(node, 'commands', ['ignore'])) {
      for (const [, allow] of this.entries(ignore, 'commands.ignore', ['allow'])) {
        const allowed = this.list(allow, 'commands.ignore.allow', (item, at) =>
          this.shaped(
            item,
            at,
            GITHUB_PRINCIPAL,
            'a GitHub user (octocat) or team (my-org/my-team)',
          ),
        );
        config.commands = { ignore: { allow: allowed } };
      }
    }
  }

  // --- building blocks -------------------------------------------------------------------

  /** The known keys of a mapping with their value nodes; unknown keys are reported. */
  private *entries<K extends string>(
    node: Node | undefined,
    at: string,
    known: readonly K[],
  ): Generator<[K, Node | undefined, Node | undefined]> {
    const map = this.mapping(node, at === '' ? '(root)' : at);
    if (!map) return;
    const seen = new Map<string, number | undefined>();
    for (const pair of map.items as Pair<unknown, unknown>[]) {
      const keyNode = this.resolve(pair.key);
      const name = this.keyName(keyNode, at === '' ? '(root)' : at);
      if (name === undefined) continue;
      const keyPath = at === '' ? keySegment(name) : `${at}.${keySegment(name)}`;
      if (this.duplicate(seen, name, keyNode, keyPath)) continue;
      if (!(known as readonly string[]).includes(name)) {
        this.error(
          keyNode,
          keyPath,
          `unknown key${didYouMean(name, known)}; known keys: ${known.join(', ')}`,
        );
        continue;
      }
      yield [name as K, this.resolve(pair.value), keyNode];
    }
  }

  /** A mapping's known fields by name; reports unknown and missing required ones. */
  private fields<K extends string>(
    node: Node | undefined,
    at: string,
    known: readonly K[],
    required: readonly K[],
  ): Partial<Record<K, Node>> | undefined {
    if (!isMap(node)) {
      this.error(node, at, `must be a mapping (got ${describe(node)})`);
      return undefined;
    }
    const fields: Partial<Record<K, Node>> = {};
    for (const [key, value, keyNode] of this.entries(node, at, known)) {
      fields[key] = value ?? keyNode;
    }
    for (const key of required) {
      if (fields[key] === undefined) this.error(node, at, `must have \`${key}\``);
    }
    return fields;
  }

  /** A mapping, or undefined (reported unless it is empty: `rules:` alone means no rules). */
  private mapping(node: Node | undefined, at: string) {
    if (isMap(node)) return node;
    if (!isNull(node)) this.error(node, at, `must be a mapping (got ${describe(node)})`);
    return undefined;
  }

  private keyName(node: Node | undefined, at: string): string | undefined {
    if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) {
      return String(node.value);
    }
    this.error(node, at, `keys must be plain names (got ${describe(node)})`);
    return undefined;
  }

  /** Items that failed validation are reported and left out. */
  private list<T>(
    node: Node | undefined,
    at: string,
    item: (node: Node | undefined, at: string) => T | undefined,
  ): T[] {
    if (!isSeq(node)) {
      if (!isNull(node)) this.error(node, at, `must be a list (got ${describe(node)})`);
      return [];
    }
    const items: T[] = [];
    node.items.forEach((child, index) => {
      const value = item(this.resolve(child), `${at}[${index}]`);
      if (value !== undefined) items.push(value);
    });
    return items;
  }

  private string(node: Node | undefined, at: string): string | undefined {
    if (isScalar(node) && typeof node.value === 'string') return node.value;
    this.error(node, at, `must be text (got ${describe(node)})`);
    return undefined;
  }

  private oneOf<T extends string>(
    node: Node | undefined,
    at: string,
    allowed: readonly T[],
    suggest = false,
  ): T | undefined {
    if (isScalar(node) && typeof node.value === 'string') {
      const value = node.value;
      if ((allowed as readonly string[]).includes(value)) return value as T;
      const hint = suggest ? didYouMean(value, allowed) : '';
      this.error(node, at, `must be one of ${allowed.join(', ')} (got ${quote(value)})${hint}`);
      return undefined;
    }
    this.error(node, at, `must be one of ${allowed.join(', ')} (got ${describe(node)})`);
    return undefined;
  }

  private shaped(
    node: Node | undefined,
    at: string,
    shape: RegExp,
    what: string,
  ): string | undefined {
    if (node === undefined) return undefined;
    const text = this.string(node, at);
    if (text === undefined) return undefined;
    if (shape.test(text)) return text;
    this.error(node, at, `must be ${what} (got ${quote(text)})`);
    return undefined;
  }

  private region(node: Node | undefined, at: string): string | undefined {
    return this.shaped(node, at, REGION, 'an AWS Region like eu-west-1');
  }

  private cidr(node: Node | undefined, at: string): string | undefined {
    const text = this.string(node, at);
    if (text === undefined) return undefined;
    if (text.includes('/') && parseCidr(text) !== undefined) return text;
    this.error(node, at, `must be a CIDR block like 10.0.0.0/16 (got ${quote(text)})`);
    return undefined;
  }

  private glob(node: Node | undefined, at: string): string | undefined {
    const text = this.string(node, at);
    if (text === undefined) return undefined;
    const compiled = compileGlob(text);
    if (compiled.ok) return text;
    this.error(node, at, `glob ${compiled.message} (got ${quote(text)})`);
    return undefined;
  }

  private warnDuplicates(node: Node | undefined, at: string, values: readonly string[]): void {
    const seen = new Set<string>();
    for (const value of values) {
      if (seen.has(value)) {
        this.warnings.push({
          file: this.file,
          ...this.lineField(node),
          key: at,
          message: `lists ${quote(value)} more than once`,
        });
      }
      seen.add(value);
    }
  }

  /** Reports a key seen before in the same mapping (YAML forbids it; the later one is skipped). */
  private duplicate(
    seen: Map<string, number | undefined>,
    name: string,
    keyNode: Node | undefined,
    at: string,
  ): boolean {
    if (seen.has(name)) {
      const first = seen.get(name);
      const where = first === undefined ? '' : ` (first on line ${first})`;
      this.error(keyNode, at, `is given more than once${where}`);
      return true;
    }
    seen.set(name, this.lineField(keyNode).line);
    return false;
  }

  private resolve(node: unknown): Node | undefined {
    if (isAlias(node)) return this.resolve(node.resolve(this.document));
    return isScalar(node) || isMap(node) || isSeq(node) ? node : undefined;
  }

  private lineField(node: Node | undefined): { line?: number } {
    const offset = node?.range?.[0];
    return offset === undefined ? {} : { line: this.lineCounter.linePos(offset).line };
  }

  private error(node: Node | undefined, key: string, message: string): void {
    this.errors.push({ file: this.file, ...this.lineField(node), key, message });
  }
}

/**
 * A value quoted for a message: JSON escapes keep control characters and newlines from breaking
 * the one-line `file:line: key: message` format (GitHub annotations parse it).
 */
function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}

/** A key as written when it is a plain name, else quoted. */
function keySegment(name: string): string {
  return /^[A-Za-z0-9_-]{1,100}$/.test(name) ? name : quote(name);
}

function isNull(node: Node | undefined): boolean {
  return isScalar(node) && node.value === null;
}

function describe(node: Node | undefined): string {
  if (node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const value = node.value;
    if (value === null) return 'nothing';
    if (typeof value === 'string') return quote(value);
    return String(value);
  }
  return 'an unsupported value';
}
