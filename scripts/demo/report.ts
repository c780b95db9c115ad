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
  readonly calls: CallCounts;
  /** Request-validation failures the stand-in noticed (GitHub would have rejected them). */
  readonly violations: readonly string[];
  readonly elapsedMs: number;
}

/** Hidden markers are for the app, not the reader. */
export function withoutHiddenMarkers(markdown: string): string {
  return markdown.replace(/<!--[\s\S]*?-->/g, '').trimEnd();
}

/** The app finished its work: the check run it created was completed. */
export function completed(report: DemoReport): boolean {
  return report.checkRun?.status === 'completed';
}
