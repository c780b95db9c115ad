/** Small builders for render tests: findings, targets, evaluations and diffs without the engine. */
import type { Config } from '../../../src/config/schema.js';
import { DEFAULT_CONFIG } from '../../../src/config/schema.js';
import type { SourceRange } from '../../../src/core/range.js';
import type { ScanResult } from '../../../src/engine/scan.js';
import type { Finding, SuppressedFinding } from '../../../src/findings/finding.js';
import { toRanges } from '../../../src/github/lines.js';
import type {
  Evaluation,
  ExistingThread,
  FileDiff,
  PullRequestTarget,
  RenderOptions,
} from '../../../src/github/types.js';

export const HEAD = 'abcdef1234567890abcdef1234567890abcdef12';
export const BASE = '1111111111111111111111111111111111111111';

export const target: PullRequestTarget = {
  owner: 'acme',
  repo: 'infra',
  number: 7,
  headSha: HEAD,
  baseSha: BASE,
  baseRef: 'main',
  defaultBranch: 'main',
  author: 'dev',
};

export const options: RenderOptions = {
  docsBaseUri: 'https://github.com/example/s3-endpoint-guard/blob/main/',
  maxComments: 20,
  summaryMode: 'on-findings',
};

/** A lowercase hex fingerprint from a small number. */
export function fp(n: number): string {
  return n.toString(16).padStart(16, '0');
}

export function range(
  file: string,
  startLine: number,
  endLine = startLine,
  startColumn = 1,
  endColumn = 1,
): SourceRange {
  return { file, startLine, startColumn, endLine, endColumn };
}

let counter = 0;

export function finding(overrides: Partial<Finding> = {}): Finding {
  counter++;
  return {
    status: 'new',
    ruleId: 'endpoint-policy-full-access',
    severity: 'error',
    message: 'The endpoint policy allows every S3 action on every bucket.',
    range: range('template.yaml', 10, 12, 5, 20),
    resource: 'Endpoint',
    related: [],
    fix: { description: 'Restrict Resource to your buckets.' },
    fingerprint: fp(0x1000 + counter),
    helpUri: 'docs/rules/endpoint-policy-full-access.md',
    ...overrides,
  };
}

export function diff(
  path: string,
  right: (number | [number, number])[],
  extra: Partial<FileDiff> = {},
): FileDiff {
  const ranges = toRanges(right);
  return { path, status: 'modified', right: ranges, added: ranges, left: [], ...extra };
}

export function diffs(...list: FileDiff[]): Map<string, FileDiff> {
  return new Map(list.map((d) => [d.path, d]));
}

export function scanResult(overrides: Partial<ScanResult> = {}): ScanResult {
  return {
    findings: [],
    suppressed: [],
    fixed: [],
    base: BASE,
    files: [
      {
        file: 'template.yaml',
        format: 'cloudformation',
        resources: 3,
        unresolved: 0,
        policies: 1,
        unresolvedPolicies: 0,
        parseErrors: 0,
      },
    ],
    errors: [],
    skipped: [],
    filesRead: 1,
    notTemplates: [],
    ...overrides,
  };
}

export function evaluated(
  result: Partial<ScanResult> = {},
  extra: {
    config?: Config;
    diffs?: Map<string, FileDiff>;
    configFile?: string;
    skipped?: { path: string; reason: string }[];
    truncatedFileList?: boolean;
  } = {},
): Extract<Evaluation, { kind: 'evaluated' }> {
  return {
    kind: 'evaluated',
    target,
    config: extra.config ?? DEFAULT_CONFIG,
    ...(extra.configFile === undefined ? {} : { configFile: extra.configFile }),
    result: scanResult(result),
    diffs: extra.diffs ?? diffs(diff('template.yaml', [[1, 40]])),
    skipped: extra.skipped ?? [],
    changedFiles: 1,
    ...(extra.truncatedFileList ? { truncatedFileList: true } : {}),
  };
}

export function config(overrides: Partial<Config>): Config {
  return { ...DEFAULT_CONFIG, ...overrides };
}

export function thread(
  fingerprint: string,
  overrides: Partial<ExistingThread> = {},
): ExistingThread {
  return {
    threadId: `T_${fingerprint}`,
    commentId: parseInt(fingerprint.slice(-6), 16),
    fingerprint,
    isResolved: false,
    resolvedByHuman: false,
    humanReplied: false,
    path: 'template.yaml',
    ...overrides,
  };
}

export function suppressed(f: Finding, reason: string, by?: string): SuppressedFinding {
  return {
    finding: f,
    suppression: {
      source: by === undefined ? 'inline' : 'command',
      reason,
      ...(by === undefined ? {} : { by }),
    },
  };
}

export const NONE = { threads: [] } as const;
