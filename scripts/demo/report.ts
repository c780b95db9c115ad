/**
 * What the demo shows: everything the app published on the sample pull request, as the stand-in
 * GitHub recorded it (not what the app meant to publish: what GitHub received), plus a few facts
 * about the run. Plain data, so the console, Markdown, HTML and JSON outputs render one value.
 */
import type { CallCounts } from './calls.js';

export interface DemoAnnotation {
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly level: string;
  readonly title: string;
  readonly message: string;
}

export interface DemoReviewComment {
  readonly path: string;
  readonly line: number;
  readonly startLine?: number;
  readonly side: string;
  readonly body: string;
  readonly resolved: boolean;
  /** The commented lines of the file, as the reviewer sees them above the comment. */
  readonly code: readonly { readonly line: number; readonly text: string }[];
}

export interface DemoReport {
  readonly pullRequest: {
    readonly repository: string;
    readonly number: number;
    readonly title: string;
    readonly author: string;
    readonly baseRef: string;
    readonly headRef: string;
    readonly baseSha: string;
    readonly headSha: string;
    readonly changedFiles: readonly string[];
  };
  readonly delivery: {
    readonly id: string;
    readonly event: string;
    readonly action: string;
    /** The app's HTTP answer to the signed webhook. */
    readonly status: number;
  };
  /** Absent when the app created no check run (then the demo fails). */
  readonly checkRun?: {
    readonly id: number;
    readonly name: string;
    readonly status: string;
    readonly conclusion: string | null;
    readonly title: string;
    readonly summary: string;
    readonly text?: string;
    readonly annotations: readonly DemoAnnotation[];
    /** Requests that created or updated the run (annotations go in batches of 50). */
    readonly updates: number;
  };
  readonly reviews: readonly { readonly body: string; readonly comments: number }[];
  readonly reviewComments: readonly DemoReviewComment[];
  readonly summaryComment?: { readonly body: string };
  /**
   * The slash commands replayed after the first evaluation (absent when it did not complete).
   * Everything above is the first evaluation as it stood before the first command.
   */
  readonly commands?: DemoCommands;
  /** The first evaluation's calls (the commands' are in `commands`). */
  readonly calls: CallCounts;
  /**
   * Request-validation failures the stand-in noticed (GitHub would have rejected them), over the
   * whole demo, commands included.
   */
  readonly violations: readonly string[];
  readonly elapsedMs: number;
}

/** A check run created while a command was handled, in short: the full text is the app's. */
export interface DemoCheckRunBrief {
  readonly id: number;
  readonly name: string;
  readonly status: string;
  readonly conclusion: string | null;
  readonly title: string;
  /** Summed over severities, from the summary's count table (absent when it has none). */
  readonly counts?: FindingCounts;
  readonly annotations: number;
  /** The summary's "Accepted" section (the app's Markdown), when it has one. */
  readonly accepted?: string;
}

export interface FindingCounts {
  readonly new: number;
  readonly existing: number;
  readonly fixed: number;
  readonly accepted: number;
}

export interface DemoReaction {
  /** GitHub's reaction name: `eyes`, `rocket`, `confused`, … */
  readonly content: string;
  readonly user: string;
}

/** One replayed conversation comment and what the app did about it. */
export interface DemoCommandStep {
  /** What the step shows, in a few words ("a maintainer accepts a finding"). */
  readonly purpose: string;
  readonly comment: {
    readonly id: number;
    readonly author: string;
    /** The author's permission on the repository, as the stand-in answers the app. */
    readonly permission: string;
    readonly body: string;
  };
  readonly delivery: {
    readonly id: string;
    readonly event: string;
    readonly action: string;
    readonly status: number;
  };
  /** Reactions on the comment, oldest first. */
  readonly reactions: readonly DemoReaction[];
  /** Conversation comments the app wrote while handling the command (not the summary). */
  readonly replies: readonly { readonly body: string }[];
  /** Check runs the app created while handling the command. */
  readonly checkRunsCreated: number;
  /** The last of them. */
  readonly checkRun?: DemoCheckRunBrief;
  readonly calls: CallCounts;
  readonly elapsedMs: number;
  /** The app was done in time: a final reaction, its check runs completed, idle. */
  readonly finished: boolean;
}

export interface DemoCommands {
  readonly steps: readonly DemoCommandStep[];
  /** Why fewer steps than planned were replayed (no blocking finding to accept). */
  readonly skipped?: string;
  /** The summary comment after the last step. */
  readonly summaryComment?: { readonly body: string };
  /** The whole demo: the first evaluation and every command. */
  readonly totalCalls: CallCounts;
  readonly totalElapsedMs: number;
}

/** Hidden markers are for the app, not the reader. */
export function withoutHiddenMarkers(markdown: string): string {
  return markdown.replace(/<!--[\s\S]*?-->/g, '').trimEnd();
}

/** The app finished its work: the check run it created was completed. */
export function completed(report: DemoReport): boolean {
  return report.checkRun?.status === 'completed';
}

/**
 * Every replayed command got its own check run, completed, and none was skipped: what the demo's
 * exit code 0 promises beyond the first evaluation.
 */
export function commandsCompleted(commands: DemoCommands | undefined): boolean {
  return (
    commands !== undefined &&
    commands.skipped === undefined &&
    commands.steps.length > 0 &&
    commands.steps.every((step) => step.finished && step.checkRun?.status === 'completed')
  );
}
