/**
 * The contracts of the GitHub layer: what is read from a pull request, what one evaluation
 * found, and what is published. The modules meet only through these types:
 *
 *   fetch/    PullRequestTarget → PullRequestSnapshot   (files at head and base, diff lines)
 *   evaluate  snapshot + config → Evaluation             (the engine, base vs head)
 *   publish/  → ExistingState                            (our earlier threads and comment)
 *   render/   Evaluation + ExistingState → Publication   (pure: every body and annotation)
 *   publish/  Publication → GitHub                       (check run, review, threads, comment)
 *
 * Everything here is plain data, so a dry run (`s3-endpoint-guard pr`) can print a
 * Publication instead of sending it.
 */
import type { Octokit } from '@octokit/core';
import type { Config, ConfigProblem } from '../config/schema.js';
import type { ScanResult } from '../engine/scan.js';
import type { CommandIgnore } from '../findings/suppression/apply.js';

/**
 * What the GitHub layer needs from an Octokit: raw requests and GraphQL. Probot's
 * `context.octokit` and `@octokit/rest`'s `Octokit` both satisfy it, so the same code serves
 * the app and the CLI, and every call goes through two methods a test or benchmark can count.
 */
export type GitHubClient = Pick<Octokit, 'request' | 'graphql'>;

/** The check run's name: what branch protection lists as the required check. */
export const CHECK_NAME = 'S3 endpoint guard';

export interface RepoRef {
  readonly owner: string;
  readonly repo: string;
}

/** One pull request at one head commit: everything an evaluation needs to know up front. */
export interface PullRequestTarget extends RepoRef {
  readonly number: number;
  /** The commit evaluated; the check run is attached to it. */
  readonly headSha: string;
  /** The base branch's commit the head is compared with (`pull_request.base.sha`). */
  readonly baseSha: string;
  /** The base branch's name (`main`), for messages. */
  readonly baseRef: string;
  /** Config is read from here, never from the pull request. */
  readonly defaultBranch: string;
  /** The pull request's author (login). */
  readonly author: string;
  /** Set when the head lives in a fork; contents are still read from the base repository. */
  readonly fork?: RepoRef;
  /**
   * Set when the target is a merge queue's merge group (`merge_group.checks_requested`, or a
   * re-run of its check): the changed files come from comparing `baseSha` with `headSha` (there
   * is no pull request to list them), and only the check run is published. `number` is then the
   * pull request named by the group's branch (`gh-readonly-queue/main/pr-42-…`), 0 if none;
   * `author` is the empty string.
   */
  readonly mergeGroup?: { readonly headRef: string };
}

/**
 * Sorted, non-overlapping, inclusive 1-based line ranges, e.g. `[[3, 5], [9, 9]]`.
 * (Pure helpers in `github/lines.ts`.)
 */
export type LineRanges = readonly (readonly [number, number])[];

/** What a pull request changed in one file, as GitHub's diff shows it. */
export interface FileDiff {
  readonly path: string;
  /** GitHub's file status. */
  readonly status:
    'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  /** For renames: the path in the base. */
  readonly previousPath?: string;
  /**
   * Head lines inside the diff's hunks (added and context lines): where a `side: RIGHT` review
   * comment is accepted.
   */
  readonly right: LineRanges;
  /** Head lines the pull request added or changed (a subset of `right`). */
  readonly added: LineRanges;
  /** Base lines the pull request deleted (`side: LEFT` comments). */
  readonly left: LineRanges;
  /**
   * GitHub sent no `patch` (large diff, binary): the ranges above were computed from the
   * base and head blobs instead, and are the same hunks GitHub would show (3 context lines).
   */
  readonly computed?: boolean;
}

/** A file of the pull request that was not analysed, with the reason shown in the summary. */
export interface SkippedPullFile {
  readonly path: string;
  /** e.g. "binary file", "12.4 MB exceeds the 8 MB limit", "symbolic link". */
  readonly reason: string;
}

/**
 * The pull request's relevant files, materialised read-only into two private temporary folders
 * so the engine reads them exactly as it reads a checkout. Only regular files at
 * confined relative paths are ever written; nothing else of the repository is fetched.
 */
export interface PullRequestSnapshot {
  /** The head version: changed templates, whole Terraform module folders, included files. */
  readonly headRoot: string;
  /** The same paths at the base commit (those that exist there). */
  readonly baseRoot: string;
  /**
   * What to scan, relative to the roots: changed candidate templates and the folders of
   * Terraform modules with a changed file. Empty: the pull request changes no infrastructure.
   */
  readonly targets: readonly string[];
  /** Every changed file GitHub listed (after the config's `paths:`), by head path. */
  readonly diffs: ReadonlyMap<string, FileDiff>;
  readonly skipped: readonly SkippedPullFile[];
  /** How many files the pull request changes in all (GitHub's `changed_files`). */
  readonly changedFiles: number;
  /** GitHub lists at most 3,000 files: set when the pull request has more. */
  readonly truncatedFileList?: boolean;
  /** Removes both folders. Idempotent. */
  dispose(): Promise<void>;
}

export interface ReadPullRequestOptions {
  /** The config's `paths:` filter, applied to changed files before anything is fetched. */
  readonly selectFile: (path: string) => boolean;
  /** Larger files are listed as skipped (default 8 MB, the CLI's limit). */
  readonly maxFileBytes?: number;
  /** Stop fetching past this many bytes in all (default 64 MB); the rest is skipped. */
  readonly maxTotalBytes?: number;
  readonly signal?: AbortSignal;
}

/** The repository's configuration as read from the default branch. */
export type LoadedConfig =
  | {
      readonly ok: true;
      readonly config: Config;
      /** `owner/repo:.github/s3-endpoint-guard.yml`, absent when defaults apply. */
      readonly file?: string;
      /** Warnings from parsing (unknown keys the parser tolerates). */
      readonly warnings: readonly ConfigProblem[];
    }
  | { readonly ok: false; readonly file: string; readonly errors: readonly ConfigProblem[] };

/** One evaluation of a pull request head. */
export type Evaluation =
  | {
      readonly kind: 'evaluated';
      readonly target: PullRequestTarget;
      readonly config: Config;
      readonly configFile?: string;
      /** Base vs head: every finding has a status; `fixed` and `base` are set. */
      readonly result: ScanResult;
      readonly diffs: ReadonlyMap<string, FileDiff>;
      readonly skipped: readonly SkippedPullFile[];
      readonly changedFiles: number;
      readonly truncatedFileList?: boolean;
      /** The `/s3-guard ignore` commands in force (render notes those that matched nothing). */
      readonly commands?: readonly CommandIgnore[];
    }
  | {
      /** Nothing to check: still a success, so a required check never waits forever. */
      readonly kind: 'no-infrastructure';
      readonly target: PullRequestTarget;
      readonly config: Config;
      readonly configFile?: string;
      readonly changedFiles: number;
      readonly skipped: readonly SkippedPullFile[];
    }
  | {
      readonly kind: 'config-error';
      readonly target: PullRequestTarget;
      readonly file: string;
      readonly errors: readonly ConfigProblem[];
    }
  | {
      /** The run itself failed (GitHub error, internal error): "could not evaluate". */
      readonly kind: 'error';
      readonly target: PullRequestTarget;
      readonly message: string;
      /** From the config when it could be read, else `failure`. */
      readonly onError: 'failure' | 'neutral';
    };

/** Marker-bearing review thread this app posted earlier on the pull request. */
export interface ExistingThread {
  /** GraphQL node id (for `resolveReviewThread`). */
  readonly threadId: string;
  /** REST id of the thread's first comment (for replies). */
  readonly commentId: number;
  /** From the hidden marker of the first comment. */
  readonly fingerprint: string;
  readonly isResolved: boolean;
  /** Resolved by someone other than this app: a human accepted it; never repost. */
  readonly resolvedByHuman: boolean;
  /** Someone other than this app replied in the thread. */
  readonly humanReplied: boolean;
  readonly path: string;
}

/** What this app published earlier on the pull request, found by hidden markers and author. */
export interface ExistingState {
  readonly threads: readonly ExistingThread[];
  /** The summary comment, if this app created one. */
  readonly summaryComment?: { readonly id: number; readonly body: string };
}

export type CheckConclusion = 'success' | 'failure' | 'neutral';

/** GitHub's check-run annotation, as sent. */
export interface CheckAnnotation {
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  /** Only when start_line === end_line. */
  readonly start_column?: number;
  readonly end_column?: number;
  readonly annotation_level: 'notice' | 'warning' | 'failure';
  /** ≤ 255 characters. */
  readonly title: string;
  /** ≤ 64 KB. */
  readonly message: string;
  readonly raw_details?: string;
}

export interface PlannedReviewComment {
  readonly fingerprint: string;
  readonly path: string;
  /** The last line of the commented range. */
  readonly line: number;
  readonly side: 'RIGHT' | 'LEFT';
  readonly startLine?: number;
  readonly startSide?: 'RIGHT' | 'LEFT';
  /** Markdown, ending with the hidden fingerprint marker (`markers.ts`). */
  readonly body: string;
}

/** Everything one evaluation publishes, decided up front (pure) and then sent. */
export interface Publication {
  readonly headSha: string;
  readonly check: {
    readonly conclusion: CheckConclusion;
    /** ≤ 255 characters. */
    readonly title: string;
    /** Markdown, ≤ 65,535 characters. */
    readonly summary: string;
    /** Markdown, ≤ 65,535 characters. */
    readonly text?: string;
    /** All of them; publishing sends them in batches of 50. */
    readonly annotations: readonly CheckAnnotation[];
  };
  /** One review with the new inline comments; absent when there is nothing new to say. */
  readonly review?: {
    /** Short; the summary comment carries the detail. */
    readonly body: string;
    readonly comments: readonly PlannedReviewComment[];
  };
  /** Earlier threads whose finding is gone: reply (e.g. "Fixed in abc1234.") and resolve. */
  readonly resolve: readonly {
    readonly threadId: string;
    readonly commentId: number;
    readonly reply: string;
  }[];
  /** The summary comment: create, edit (by id), or leave alone (absent). */
  readonly summaryComment?:
    | { readonly action: 'create'; readonly body: string }
    | { readonly action: 'update'; readonly id: number; readonly body: string };
  /** For logs and the dry run: findings that got no inline comment because of the budget. */
  readonly commentsOverBudget: number;
}

/** Options rendering takes from outside the evaluation. */
export interface RenderOptions {
  /** Base URL that rule docs are relative to (`…/blob/main/`), for links. */
  readonly docsBaseUri: string;
  /** Inline comments per evaluation (config `comments.max`, default 20). */
  readonly maxComments: number;
  /** config `comments.summary`. */
  readonly summaryMode: 'always' | 'on-findings' | 'never';
}
