/**
 * The configuration: one shape for the CLI and the GitHub App, read from
 * `.github/s3-endpoint-guard.yml`. This module holds only types, allowed values and defaults;
 * `parse.ts` validates YAML into a `Config`, `apply.ts` answers questions about one.
 */
import type { Severity } from '../findings/finding.js';
import type { AssumeEndpoint, AwsServiceId, KnownEndpoint, KnownVpc } from '../rules/settings.js';

/** Where the config lives, in the order looked for (the first one found wins). */
export const CONFIG_FILE_NAMES = [
  '.github/s3-endpoint-guard.yml',
  '.github/s3-endpoint-guard.yaml',
] as const;

/** Larger files are rejected before parsing: a config is a few hundred lines at most. */
export const MAX_CONFIG_BYTES = 256 * 1024;
/** Alias expansions allowed by the YAML library (defeats "billion laughs" files). */
export const MAX_ALIAS_COUNT = 100;

export const RULE_SETTINGS = ['off', 'on', 'error', 'warning', 'notice'] as const;
export type RuleSetting = (typeof RULE_SETTINGS)[number];

export const FAIL_ON = ['error', 'warning', 'notice', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export const BLOCK = ['new', 'all'] as const;
export type Block = (typeof BLOCK)[number];

export const ASSUME_ENDPOINT = [
  'auto',
  'always',
  'never',
] as const satisfies readonly AssumeEndpoint[];

export const COMMENT_SUMMARY = ['always', 'on-findings', 'never'] as const;
export type CommentSummary = (typeof COMMENT_SUMMARY)[number];

export const ON_ERROR = ['failure', 'neutral'] as const;
export type OnError = (typeof ON_ERROR)[number];

export const MAX_COMMENTS_LIMIT = 100;

/** A finding accepted in the config file: one rule, narrowed to a resource and/or a path. */
export interface ConfigIgnore {
  readonly rule: string;
  /** A resource address or a glob over it (`aws_s3_bucket_policy.*`). */
  readonly resource?: string;
  /** A glob over the file path relative to the repository root. */
  readonly path?: string;
  readonly reason: string;
  /** 1-based line of the entry in the config file, so reports can point at it. */
  readonly line?: number;
}

export interface Config {
  /** Only rules listed here differ from their defaults (every rule is on by default). */
  readonly rules: Readonly<Record<string, RuleSetting>>;
  readonly failOn: FailOn;
  readonly block: Block;
  readonly paths: { readonly include: readonly string[]; readonly exclude: readonly string[] };
  readonly endpoints: readonly KnownEndpoint[];
  readonly vpcs: readonly KnownVpc[];
  readonly services: readonly AwsServiceId[];
  readonly assumeEndpoint: AssumeEndpoint;
  readonly region?: string;
  readonly ignore: readonly ConfigIgnore[];
  /** GitHub App only. */
  readonly comments: { readonly max: number; readonly summary: CommentSummary };
  /** GitHub App only: the check run's conclusion when the scan itself fails. */
  readonly onError: OnError;
  /** GitHub App only: who may use `/s3-endpoint-guard ignore` (users or `org/team`). */
  readonly commands: { readonly ignore: { readonly allow: readonly string[] } };
}

export const DEFAULT_CONFIG: Config = deepFreeze({
  rules: {},
  failOn: 'error',
  block: 'new',
  paths: { include: ['**'], exclude: [] },
  endpoints: [],
  vpcs: [],
  services: [],
  assumeEndpoint: 'auto',
  ignore: [],
  comments: { max: 20, summary: 'on-findings' },
  onError: 'failure',
  commands: { ignore: { allow: [] } },
} satisfies Config);

/** A problem in a config file; `line` is 1-based and absent only when no line applies. */
export interface ConfigProblem {
  readonly file: string;
  readonly line?: number;
  /** Dotted path of the offending key (`rules.sourceip-private-range`, `endpoints[0].id`). */
  readonly key: string;
  readonly message: string;
}

export type ConfigResult =
  | { readonly ok: true; readonly config: Config; readonly warnings: ConfigProblem[] }
  | { readonly ok: false; readonly errors: ConfigProblem[] };

export function severityOfSetting(setting: RuleSetting | undefined): Severity | undefined {
  return setting === 'error' || setting === 'warning' || setting === 'notice' ? setting : undefined;
}

/** Freezes a value and everything it holds (configs are shared between callers). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
