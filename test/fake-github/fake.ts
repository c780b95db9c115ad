/**
 * An in-memory GitHub for the app's tests, the demo and the benchmark: the few REST operations
 * and GraphQL fields the app uses (docs: common.md), answered with GitHub's response shapes and
 * GitHub's refusals (a review comment outside the diff is a 422, a token sees only its
 * installation's repositories). Every request is matched against GitHub's OpenAPI description
 * and every GraphQL document against GitHub's schema; what GitHub would reject is recorded in
 * `violations`, which the tests expect to stay empty.
 *
 * Transport-free: `handle()` takes a request and returns a response; `transport.ts` plugs it
 * into nock (tests) or a local HTTP server (demo, benchmark).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { diffLines, hunkOf, isBinary, type Hunk } from './diff.js';
import { ObjectStore, type FileContent, type StoredCommit, type StoredTree } from './git.js';
import { executeGraphQL, GitHubGraphQLError } from './graphql.js';
import { matchOperation, validateRequest } from './openapi.js';

export interface RecordedCall {
  readonly method: string;
  /** Without the query string. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly status: number;
  /** The OpenAPI operation (`checks/update`), when the request matched one. */
  readonly operationId?: string;
  readonly graphqlOperation?: 'query' | 'mutation';
  /** GraphQL: the top-level fields selected. */
  readonly fields?: readonly string[];
  /** The parsed JSON body, when there was one. */
  readonly body?: unknown;
  /** Who called: the app (JWT), an installation token, a user token, or nobody. */
  readonly auth: 'app' | 'installation' | 'user' | 'none';
}

export interface FakeAnnotation {
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly start_column?: number;
  readonly end_column?: number;
  readonly annotation_level: string;
  readonly message: string;
  readonly title?: string;
  readonly raw_details?: string;
}

/** A commit status as posted (state: pending | success | failure | error). */
export interface FakeCommitStatus {
  readonly id: number;
  readonly sha: string;
  readonly state: string;
  readonly context: string;
  readonly description: string | null;
  readonly creator: string;
}

export interface FakeCheckRun {
  readonly id: number;
  readonly name: string;
  readonly head_sha: string;
  status: string;
  conclusion: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  /** Every annotation sent, in order: GitHub appends those of each PATCH. */
  readonly annotations: FakeAnnotation[];
  actions: unknown[];
  details_url?: string;
  external_id?: string;
  started_at: string;
  completed_at: string | null;
  /** PATCHes received. */
  updates: number;
  /** Status and conclusion after the create and after each PATCH. */
  readonly history: { status: string; conclusion: string | null }[];
}

export interface FakeReview {
  readonly id: number;
  readonly user: string;
  readonly body: string;
  /** COMMENTED, APPROVED, CHANGES_REQUESTED, or PENDING when no event was given. */
  readonly state: string;
  readonly commit_id: string;
  /** REST ids of the review's comments. */
  readonly commentIds: readonly number[];
}

export interface FakeThreadComment {
  readonly id: number;
  readonly nodeId: string;
  body: string;
  readonly user: string;
  readonly path: string;
  readonly line: number;
  readonly side: 'LEFT' | 'RIGHT';
  readonly startLine?: number;
  readonly startSide?: 'LEFT' | 'RIGHT';
  readonly commitId: string;
  readonly inReplyTo?: number;
  readonly reviewId?: number;
  readonly createdAt: string;
}

export interface FakeThread {
  readonly id: string;
  isResolved: boolean;
  resolvedBy?: string;
  readonly path: string;
  readonly line: number;
  readonly side: 'LEFT' | 'RIGHT';
  readonly startLine?: number;
  readonly commitId: string;
  readonly comments: FakeThreadComment[];
}

export interface FakeIssueComment {
  readonly id: number;
  body: string;
  readonly user: string;
  /** `user.type` in REST: `Bot` for apps (`…[bot]`) unless told otherwise. */
  readonly userType: 'User' | 'Bot';
  readonly createdAt: string;
  updatedAt: string;
  /** PATCHes received (and `editIssueComment` calls). */
  edits: number;
  /** The body before the last edit: `changes.body.from` of an `edited` payload. */
  previousBody?: string;
}

/** A reaction on an issue comment, as `fake.reactions()` lists them (oldest first). */
export interface FakeReaction {
  readonly id: number;
  readonly content: string;
  readonly user: string;
  readonly createdAt: string;
}

/** Repository roles GitHub knows (`role_name`); `permission` collapses maintain/triage. */
export type FakeRole = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

/** A merge queue's temporary branch, as `createMergeGroup` made it. */
export interface FakeMergeGroup {
  readonly headSha: string;
  readonly baseSha: string;
  /** `refs/heads/gh-readonly-queue/<base>/pr-<n>-<pr head sha>`, as in the payload. */
  readonly headRef: string;
  /** `refs/heads/<base>`, as in the payload. */
  readonly baseRef: string;
}

export interface FakeGitHubOptions {
  /** Validate requests against GitHub's OpenAPI description and GraphQL schema (default true). */
  readonly validate?: boolean;
  readonly appSlug?: string;
  /** When set, the JWT's `iss` must equal it. */
  readonly appId?: number;
  /** Login of whoever holds a non-app token (the CLI's personal access token). */
  readonly userLogin?: string;
}

type Caller =
  | { kind: 'app' }
  | { kind: 'installation'; installationId: number }
  | { kind: 'user'; login: string }
  | { kind: 'none' };

/** What issue comments hang on: a pull request or a plain issue (one numbering). */
interface CommentHost {
  readonly number: number;
  readonly id: number;
  title: string;
  readonly author: string;
  readonly createdAt: string;
  readonly issueComments: FakeIssueComment[];
}

/** An issue that is not a pull request (`fake.openIssue`). */
type IssueState = CommentHost;

interface PullState {
  readonly number: number;
  readonly id: number;
  readonly base: string;
  baseSha: string;
  headSha: string;
  previousHeadSha?: string;
  readonly headRef: string;
  readonly author: string;
  readonly fork?: { owner: string; repo: string };
  title: string;
  readonly omitPatchFor: ReadonlySet<string>;
  readonly createdAt: string;
  updatedAt: string;
  readonly reviews: FakeReview[];
  readonly threads: FakeThread[];
  readonly issueComments: FakeIssueComment[];
}

interface RepoState {
  readonly id: number;
  readonly owner: string;
  readonly name: string;
  readonly defaultBranch: string;
  readonly installationId: number;
  readonly branches: Map<string, string>;
  readonly pulls: Map<number, PullState>;
  readonly checkRuns: FakeCheckRun[];
  /** Commit statuses, oldest first (the `pr --post` fallback for personal tokens). */
  readonly statuses: FakeCommitStatus[];
  /** Issues that are not pull requests. */
  readonly issues: Map<number, IssueState>;
  /** Roles by lower-case login (`setPermission`); the owner is `admin` unless set. */
  readonly roles: Map<string, FakeRole>;
  /** Reactions by issue comment id. */
  readonly reactions: Map<number, FakeReaction[]>;
  /** Deleted issue comments, kept for `deleted` payloads. */
  readonly deletedComments: Map<number, { host: number; comment: FakeIssueComment }>;
  nextNumber: number;
}

interface Response {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A refusal GitHub would send; thrown inside handlers, turned into a response. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: unknown[],
    /** Also a violation: a request the app should not have sent. */
    readonly violation = false,
  ) {
    super(message);
  }
}

interface ChangedFile {
  readonly filename: string;
  readonly status: 'added' | 'removed' | 'modified' | 'renamed';
  readonly previousFilename?: string;
  readonly sha: string;
  readonly additions: number;
  readonly deletions: number;
  readonly patch?: string;
  readonly hunks: readonly Hunk[];
}

const DOCS = 'https://docs.github.com/rest';
const MAX_TEXT = 512 * 1024;
const MAX_BODY = 65_536;

function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function numericId(text: string): number {
  let hash = 7;
  for (const char of text) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) % 90_000_000;
  return 10_000_000 + hash;
}

export class FakeGitHub {
  readonly calls: RecordedCall[] = [];
  readonly violations: string[] = [];
  /** Allowed but suspicious: editing a comment someone else wrote, and the like. */
  readonly warnings: string[] = [];
  readonly appSlug: string;
  readonly appId: number;
  private readonly validate: boolean;
  private readonly checkIssuer: boolean;
  private readonly userLogin: string;
  private readonly store = new ObjectStore();
  private readonly repos = new Map<string, RepoState>();
  private readonly tokens = new Map<string, number>();
  private readonly failures: {
    method?: string;
    path: RegExp;
    status: number;
    times: number;
  }[] = [];
  /** Teams by `org/slug` (lower case): members by lower-case login. */
  private readonly teams = new Map<
    string,
    Map<string, { login: string; state: 'active' | 'pending'; role: 'member' | 'maintainer' }>
  >();
  /**
   * When true, team membership lookups are a 403, as for an app installed without the
   * organization `members: read` permission.
   */
  denyOrgMembers = false;
  private nextId = 1000;
  private clock = Date.UTC(2026, 0, 1, 12) / 1000;

  constructor(options: FakeGitHubOptions = {}) {
    this.validate = options.validate ?? true;
    this.appSlug = options.appSlug ?? 's3-endpoint-guard';
    this.appId = options.appId ?? 1;
    this.checkIssuer = options.appId !== undefined;
    this.userLogin = options.userLogin ?? 'octocat';
  }

  /** `<slug>[bot]`: how REST names the app's installation. */
  get botLogin(): string {
    return `${this.appSlug}[bot]`;
  }

  // ───────────────────────────── setting the scene ─────────────────────────────

  createRepo(
    owner: string,
    repo: string,
    options: { defaultBranch?: string; installationId?: number } = {},
  ): void {
    const key = `${owner}/${repo}`.toLowerCase();
    if (this.repos.has(key)) throw new Error(`${owner}/${repo} exists`);
    // Repositories of one owner share an installation unless told otherwise.
    const sibling = [...this.repos.values()].find(
      (other) => other.owner.toLowerCase() === owner.toLowerCase(),
    );
    this.repos.set(key, {
      id: numericId(key),
      owner,
      name: repo,
      defaultBranch: options.defaultBranch ?? 'main',
      installationId:
        options.installationId ?? sibling?.installationId ?? numericId(owner) % 100_000,
      branches: new Map(),
      pulls: new Map(),
      checkRuns: [],
      statuses: [],
      issues: new Map(),
      roles: new Map(),
      reactions: new Map(),
      deletedComments: new Map(),
      nextNumber: 1,
    });
  }

  /** A new commit (on `branch`, default the default branch; `parent` defaults to its tip). */
  commit(
    owner: string,
    repo: string,
    options: {
      parent?: string;
      branch?: string;
      files: Record<string, FileContent | null>;
      message?: string;
    },
  ): string {
    const state = this.repoOrThrow(owner, repo);
    const branch =
      options.branch ?? (options.parent === undefined ? state.defaultBranch : undefined);
    const parent =
      options.parent ?? (branch === undefined ? undefined : state.branches.get(branch));
    const created = this.store.commit(parent, options.files, options.message ?? 'commit');
    if (branch !== undefined) state.branches.set(branch, created.sha);
    return created.sha;
  }

  openPullRequest(
    owner: string,
    repo: string,
    options: {
      number?: number;
      base: string;
      headSha: string;
      headRef?: string;
      author?: string;
      fork?: { owner: string; repo: string };
      title?: string;
      omitPatchFor?: string[];
    },
  ): number {
    const state = this.repoOrThrow(owner, repo);
    const baseSha = state.branches.get(options.base);
    if (!baseSha) throw new Error(`no branch ${options.base} in ${owner}/${repo}`);
    this.commitOrThrow(options.headSha);
    const number = options.number ?? state.nextNumber;
    if (state.pulls.has(number) || state.issues.has(number))
      throw new Error(`pull request #${number} exists`);
    state.nextNumber = Math.max(state.nextNumber, number + 1);
    const now = this.now();
    state.pulls.set(number, {
      number,
      id: numericId(`${owner}/${repo}#${number}`),
      base: options.base,
      baseSha,
      headSha: options.headSha,
      headRef: options.headRef ?? `change-${number}`,
      author: options.author ?? 'contributor',
      ...(options.fork ? { fork: options.fork } : {}),
      title: options.title ?? `Change ${number}`,
      omitPatchFor: new Set(options.omitPatchFor ?? []),
      createdAt: now,
      updatedAt: now,
      reviews: [],
      threads: [],
      issueComments: [],
    });
    return number;
  }

  /** A push (or force-push) to the pull request's head; the base tip is re-read as GitHub does. */
  pushToPullRequest(owner: string, repo: string, number: number, headSha: string): void {
    const state = this.repoOrThrow(owner, repo);
    const pull = this.pullOrThrow(state, number);
    this.commitOrThrow(headSha);
    pull.previousHeadSha = pull.headSha;
    pull.headSha = headSha;
    pull.baseSha = state.branches.get(pull.base) ?? pull.baseSha;
    pull.updatedAt = this.now();
  }

  /** An issue that is not a pull request; issues and pull requests share the numbering. */
  openIssue(
    owner: string,
    repo: string,
    options: { title?: string; author?: string } = {},
  ): number {
    const state = this.repoOrThrow(owner, repo);
    const number = state.nextNumber++;
    state.issues.set(number, {
      number,
      id: numericId(`${owner}/${repo}#issue${number}`),
      title: options.title ?? `Issue ${number}`,
      author: options.author ?? 'contributor',
      createdAt: this.now(),
      issueComments: [],
    });
    return number;
  }

  /**
   * `login`'s role on the repository (`role_name`); the collaborator permission API answers
   * `permission` admin/write/read/none (maintain → write, triage → read, as GitHub does).
   * The owner is `admin` unless set; anyone never set is not a collaborator (404).
   */
  setPermission(owner: string, repo: string, login: string, role: FakeRole): void {
    this.repoOrThrow(owner, repo).roles.set(login.toLowerCase(), role);
  }

  /** A team `org/slug`; members are active unless given as `{ login, state: 'pending' }`. */
  addTeam(
    org: string,
    slug: string,
    members: readonly (
      string | { login: string; state?: 'active' | 'pending'; role?: 'member' | 'maintainer' }
    )[],
  ): void {
    const team = new Map<
      string,
      { login: string; state: 'active' | 'pending'; role: 'member' | 'maintainer' }
    >();
    for (const member of members) {
      const entry =
        typeof member === 'string'
          ? { login: member, state: 'active' as const, role: 'member' as const }
          : { login: member.login, state: member.state ?? 'active', role: member.role ?? 'member' };
      team.set(entry.login.toLowerCase(), entry);
    }
    this.teams.set(`${org}/${slug}`.toLowerCase(), team);
  }

  /**
   * A merge queue entry for `pullNumber`: a commit on `gh-readonly-queue/<base>/pr-<n>-<head>`
   * whose parent is the base tip and whose tree is the base with the pull request's changes
   * (merge base → head, by path) applied, as GitHub's queue builds it.
   */
  createMergeGroup(
    owner: string,
    repo: string,
    options: { base?: string; pullNumber: number },
  ): FakeMergeGroup {
    const state = this.repoOrThrow(owner, repo);
    const pull = this.pullOrThrow(state, options.pullNumber);
    const baseName = options.base ?? pull.base;
    const baseSha = state.branches.get(baseName);
    if (!baseSha) throw new Error(`no branch ${baseName} in ${owner}/${repo}`);
    const head = this.commitOrThrow(pull.headSha);
    const mergeBase = this.commitOrThrow(this.store.mergeBase(baseSha, pull.headSha) ?? baseSha);
    const changes: Record<string, FileContent | null> = {};
    for (const [path, file] of head.files) {
      const before = mergeBase.files.get(path);
      if (before?.sha === file.sha && before.mode === file.mode) continue;
      const data = this.store.blobs.get(file.sha) ?? Buffer.alloc(0);
      changes[path] = file.mode === '120000' ? { symlink: data.toString('utf8') } : data;
    }
    for (const path of mergeBase.files.keys()) if (!head.files.has(path)) changes[path] = null;
    const branch = `gh-readonly-queue/${baseName}/pr-${pull.number}-${pull.headSha}`;
    const headSha = this.commit(owner, repo, {
      parent: baseSha,
      branch,
      files: changes,
      message: `Merge pull request #${pull.number} (${pull.title})`,
    });
    return { headSha, baseSha, headRef: `refs/heads/${branch}`, baseRef: `refs/heads/${baseName}` };
  }

  /**
   * A `pull_request` webhook payload built from `@octokit/webhooks-examples`' example for the
   * action, with repository, pull request, installation and sender replaced by this fake's
   * (so every id, sha and login in it is one the fake answers to). `extra` is merged on top.
   */
  pullRequestPayload(
    owner: string,
    repo: string,
    number: number,
    action: 'opened' | 'synchronize' | 'reopened' | 'ready_for_review' | 'edited',
    extra: object = {},
  ): Record<string, unknown> {
    const state = this.repoOrThrow(owner, repo);
    const pull = this.pullOrThrow(state, number);
    const example =
      pullRequestExample(action) ??
      (pullRequestExample('opened') as Record<string, unknown> & { pull_request: object });
    const payload = structuredClone(example) as Record<string, unknown> & {
      pull_request: Record<string, unknown>;
    };
    payload.action = action;
    payload.number = number;
    payload.pull_request = { ...payload.pull_request, ...this.pullJson(state, pull) };
    payload.repository = this.repoJson(state);
    payload.installation = this.installationJson(state);
    payload.sender = this.userJson(pull.author);
    if (action === 'synchronize') {
      payload.before = pull.previousHeadSha ?? pull.baseSha;
      payload.after = pull.headSha;
    } else {
      delete payload.before;
      delete payload.after;
    }
    if (action === 'edited' && !('changes' in extra)) payload.changes = {};
    return { ...payload, ...extra };
  }

  /**
   * An `issue_comment` payload for a stored comment (a deleted one too): `issue` is the pull
   * request's issue (with `issue.pull_request`) or a plain issue; the sender is the comment's
   * author; `edited` carries `changes.body.from` (the body before the last edit).
   */
  issueCommentPayload(
    owner: string,
    repo: string,
    number: number,
    commentId: number,
    action: 'created' | 'edited' | 'deleted' = 'created',
  ): Record<string, unknown> {
    const state = this.repoOrThrow(owner, repo);
    const host = this.hostOrThrow(state, number);
    const comment =
      host.issueComments.find((candidate) => candidate.id === commentId) ??
      (state.deletedComments.get(commentId)?.host === number
        ? state.deletedComments.get(commentId)?.comment
        : undefined);
    if (!comment) throw new Error(`no issue comment ${commentId} on #${number}`);
    const payload = webhookExample('issue_comment', action) ?? {};
    const api = `https://api.github.com/repos/${state.owner}/${state.name}`;
    const html = `https://github.com/${state.owner}/${state.name}`;
    const pull = state.pulls.get(number);
    const issue: Record<string, unknown> = {
      ...objectField(payload, 'issue'),
      url: `${api}/issues/${number}`,
      repository_url: api,
      labels_url: `${api}/issues/${number}/labels{/name}`,
      comments_url: `${api}/issues/${number}/comments`,
      events_url: `${api}/issues/${number}/events`,
      html_url: `${html}/${pull ? 'pull' : 'issues'}/${number}`,
      id: host.id,
      node_id: `${pull ? 'PR' : 'I'}_${host.id}`,
      number,
      title: host.title,
      user: this.userJson(host.author),
      labels: [],
      state: 'open',
      locked: false,
      assignee: null,
      assignees: [],
      milestone: null,
      comments: host.issueComments.length,
      created_at: host.createdAt,
      updated_at: host.createdAt,
      closed_at: null,
      author_association: 'CONTRIBUTOR',
      active_lock_reason: null,
      body: null,
      reactions: reactionRollup(`${api}/issues/${number}`, []),
    };
    if (pull)
      issue.pull_request = {
        url: `${api}/pulls/${number}`,
        html_url: `${html}/pull/${number}`,
        diff_url: `${html}/pull/${number}.diff`,
        patch_url: `${html}/pull/${number}.patch`,
        merged_at: null,
      };
    else delete issue.pull_request;
    return {
      action,
      issue,
      comment: this.issueCommentJson(state, host, comment),
      ...(action === 'edited' ? { changes: { body: { from: comment.previousBody ?? '' } } } : {}),
      repository: this.repoJson(state),
      installation: this.installationJson(state),
      sender: this.userJson(comment.user, comment.userType),
    };
  }

  /** `issueCommentPayload` for a comment on an issue that is not a pull request. */
  issueCommentOnIssuePayload(
    owner: string,
    repo: string,
    number: number,
    commentId: number,
    action: 'created' | 'edited' | 'deleted' = 'created',
  ): Record<string, unknown> {
    if (this.repoOrThrow(owner, repo).pulls.has(number))
      throw new Error(`#${number} is a pull request: use issueCommentPayload`);
    return this.issueCommentPayload(owner, repo, number, commentId, action);
  }

  /**
   * A `check_run` payload for a stored run: `rerequested` (the Re-run button),
   * `requested_action` (a button of `actions`: `extra.identifier`) or `completed`. The run's
   * `pull_requests` (and its suite's) list this repository's open pull requests with that
   * head, and none for forks, as GitHub does. The sender is `extra.sender` (default the owner).
   */
  checkRunPayload(
    owner: string,
    repo: string,
    checkRunId: number,
    action: 'rerequested' | 'requested_action' | 'completed',
    extra: { identifier?: string; sender?: string } = {},
  ): Record<string, unknown> {
    const state = this.repoOrThrow(owner, repo);
    const run = state.checkRuns.find((candidate) => candidate.id === checkRunId);
    if (!run) throw new Error(`no check run ${checkRunId} in ${owner}/${repo}`);
    if (action === 'requested_action' && extra.identifier === undefined)
      throw new Error('requested_action needs extra.identifier');
    const payload = webhookExample('check_run', action) ?? {};
    const example = objectField(payload, 'check_run');
    const runJson = this.checkRunJson(state, run);
    return {
      action,
      check_run: {
        ...example,
        ...runJson,
        check_suite: this.checkSuiteJson(state, run.head_sha, objectField(example, 'check_suite')),
      },
      ...(action === 'requested_action'
        ? { requested_action: { identifier: extra.identifier } }
        : {}),
      repository: this.repoJson(state),
      installation: this.installationJson(state),
      sender: this.userJson(extra.sender ?? state.owner),
    };
  }

  /** A `check_suite` payload for the suite of `headSha` (the app's suite: one per commit). */
  checkSuitePayload(
    owner: string,
    repo: string,
    headSha: string,
    action: 'rerequested' | 'requested' | 'completed',
    extra: { sender?: string } = {},
  ): Record<string, unknown> {
    const state = this.repoOrThrow(owner, repo);
    this.commitOrThrow(headSha);
    const payload = webhookExample('check_suite', action) ?? {};
    const suite = this.checkSuiteJson(state, headSha, objectField(payload, 'check_suite'));
    const commit = this.commitOrThrow(headSha);
    const runs = state.checkRuns.filter((run) => run.head_sha === headSha);
    return {
      action,
      check_suite: {
        ...suite,
        latest_check_runs_count: runs.length,
        check_runs_url: `https://api.github.com/repos/${state.owner}/${state.name}/check-suites/${String(suite.id)}/check-runs`,
        created_at: isoTime(this.clock),
        updated_at: isoTime(this.clock),
        head_commit: this.headCommitJson(commit),
      },
      repository: this.repoJson(state),
      installation: this.installationJson(state),
      sender: this.userJson(extra.sender ?? state.owner),
    };
  }

  /** A `merge_group` payload for a group made by `createMergeGroup`. */
  mergeGroupPayload(
    owner: string,
    repo: string,
    group: FakeMergeGroup,
    action: 'checks_requested' | 'destroyed' = 'checks_requested',
    extra: { sender?: string } = {},
  ): Record<string, unknown> {
    const state = this.repoOrThrow(owner, repo);
    return {
      action,
      merge_group: {
        head_sha: group.headSha,
        head_ref: group.headRef,
        base_sha: group.baseSha,
        base_ref: group.baseRef,
        head_commit: this.headCommitJson(this.commitOrThrow(group.headSha)),
      },
      ...(action === 'destroyed' ? { reason: 'merged' } : {}),
      repository: this.repoJson(state),
      installation: this.installationJson(state),
      sender: this.userJson(extra.sender ?? state.owner),
    };
  }

  // ───────────────────────────── what a person does ─────────────────────────────

  addReviewReply(
    owner: string,
    repo: string,
    number: number,
    commentId: number,
    user: string,
    body: string,
  ): void {
    const pull = this.pullOrThrow(this.repoOrThrow(owner, repo), number);
    this.reply(pull, commentId, user, body);
  }

  /** A conversation comment by `user` on a pull request or issue; returns its id. */
  addIssueComment(
    owner: string,
    repo: string,
    number: number,
    user: string,
    body: string,
    options: { type?: 'User' | 'Bot' } = {},
  ): number {
    const host = this.hostOrThrow(this.repoOrThrow(owner, repo), number);
    return this.createIssueComment(host, user, body, options.type).id;
  }

  /** Someone edits a comment: new body, `updated_at` moves on (the clock ticks). */
  editIssueComment(owner: string, repo: string, commentId: number, body: string): void {
    const found = this.findIssueComment(this.repoOrThrow(owner, repo), commentId);
    if (!found) throw new Error(`no issue comment ${commentId}`);
    found.comment.previousBody = found.comment.body;
    found.comment.body = body;
    found.comment.updatedAt = this.now();
    found.comment.edits++;
  }

  /** Someone deletes a comment; it stays known to `issueCommentPayload(…, 'deleted')`. */
  deleteIssueComment(owner: string, repo: string, commentId: number): void {
    const state = this.repoOrThrow(owner, repo);
    const found = this.findIssueComment(state, commentId);
    if (!found) throw new Error(`no issue comment ${commentId}`);
    found.host.issueComments.splice(found.host.issueComments.indexOf(found.comment), 1);
    state.deletedComments.set(commentId, { host: found.host.number, comment: found.comment });
  }

  resolveThreadAs(
    owner: string,
    repo: string,
    number: number,
    threadId: string,
    user: string,
  ): void {
    const pull = this.pullOrThrow(this.repoOrThrow(owner, repo), number);
    const thread = pull.threads.find((candidate) => candidate.id === threadId);
    if (!thread) throw new Error(`no thread ${threadId}`);
    thread.isResolved = true;
    thread.resolvedBy = user;
  }

  /** The next `times` requests matching get `status` instead of an answer. */
  failNext(match: { method?: string; path: RegExp }, status: number, times = 1): void {
    this.failures.push({ ...match, status, times });
  }

  // ───────────────────────────── inspection ─────────────────────────────

  checkRuns(owner: string, repo: string): FakeCheckRun[] {
    return this.repoOrThrow(owner, repo).checkRuns;
  }

  commitStatuses(owner: string, repo: string): FakeCommitStatus[] {
    return this.repoOrThrow(owner, repo).statuses;
  }

  reviews(owner: string, repo: string, number: number): FakeReview[] {
    return this.pullOrThrow(this.repoOrThrow(owner, repo), number).reviews;
  }

  reviewThreads(owner: string, repo: string, number: number): FakeThread[] {
    return this.pullOrThrow(this.repoOrThrow(owner, repo), number).threads;
  }

  issueComments(owner: string, repo: string, number: number): FakeIssueComment[] {
    return this.hostOrThrow(this.repoOrThrow(owner, repo), number).issueComments;
  }

  /** Reactions on an issue comment, oldest first. */
  reactions(owner: string, repo: string, commentId: number): { content: string; user: string }[] {
    return (this.repoOrThrow(owner, repo).reactions.get(commentId) ?? []).map((reaction) => ({
      content: reaction.content,
      user: reaction.user,
    }));
  }

  /** The tip of a branch. */
  branchSha(owner: string, repo: string, branch: string): string | undefined {
    return this.repoOrThrow(owner, repo).branches.get(branch);
  }

  installationId(owner: string, repo: string): number {
    return this.repoOrThrow(owner, repo).installationId;
  }

  /** The body of every comment the app wrote, for checks over everything it published. */
  publishedBodies(owner: string, repo: string, number: number): string[] {
    const pull = this.pullOrThrow(this.repoOrThrow(owner, repo), number);
    return [
      ...pull.reviews.filter((review) => review.user === this.botLogin).map((r) => r.body),
      ...pull.threads.flatMap((thread) =>
        thread.comments.filter((c) => c.user === this.botLogin).map((c) => c.body),
      ),
      ...pull.issueComments.filter((c) => c.user === this.botLogin).map((c) => c.body),
    ];
  }

  // ───────────────────────────── HTTP ─────────────────────────────

  async handle(request: {
    method: string;
    url: string;
    headers: Record<string, string>;
    body?: string;
    /** Where the API lives, for `Link` headers (default: the request URL's origin). */
    baseUrl?: string;
  }): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    const method = request.method.toUpperCase();
    const url = new URL(request.url, 'https://api.github.com');
    const path = url.pathname;
    const query = Object.fromEntries(url.searchParams.entries());
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]),
    );
    let body: unknown;
    const rawBody = request.body ?? '';
    if (rawBody !== '') {
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = rawBody;
      }
    }
    const caller = this.authenticate(headers.authorization);
    const record = (status: number, extra: Partial<RecordedCall> = {}): void => {
      this.calls.push({
        method,
        path,
        query,
        status,
        ...(body === undefined ? {} : { body }),
        auth: caller.kind,
        ...extra,
      });
    };

    const failure = this.failures.find(
      (candidate) =>
        candidate.times > 0 &&
        (candidate.method === undefined || candidate.method.toUpperCase() === method) &&
        candidate.path.test(path),
    );
    if (failure) {
      failure.times--;
      record(failure.status);
      return this.json(failure.status, {
        message: failure.status >= 500 ? 'Server Error' : 'Injected failure',
        documentation_url: DOCS,
        status: String(failure.status),
      });
    }

    if (method === 'POST' && path === '/graphql') {
      return this.handleGraphQL(caller, body, record);
    }

    const matched = matchOperation(method, path);
    if (!matched) {
      this.violations.push(`${method} ${path}: not an operation the app may use`);
      record(404);
      return this.json(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
    }
    const operationId = matched.operation.operationId;
    if (this.validate) {
      const problems = validateRequest(matched, query, body);
      if (problems.length > 0) {
        for (const problem of problems)
          this.violations.push(`${method} ${path} (${operationId}): ${problem}`);
        record(422, { operationId });
        return this.json(422, {
          message: 'Invalid request.',
          errors: problems,
          documentation_url: DOCS,
          status: '422',
        });
      }
    }
    const base = (request.baseUrl ?? url.origin).replace(/\/$/, '');
    let response: Response;
    try {
      response = this.route(operationId, matched.params, query, body, headers, caller, base, path);
    } catch (error) {
      if (error instanceof HttpError) {
        if (error.violation)
          this.violations.push(
            `${method} ${path}: ${error.status} ${error.message}${error.errors ? `: ${JSON.stringify(error.errors)}` : ''}`,
          );
        response = this.json(error.status, {
          message: error.message,
          ...(error.errors ? { errors: error.errors } : {}),
          documentation_url: DOCS,
          status: String(error.status),
        });
      } else {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        this.violations.push(`${method} ${path}: the fake crashed: ${message}`);
        response = this.json(500, { message: 'Server Error' });
      }
    }
    record(response.status, { operationId });
    return response;
  }

  private async handleGraphQL(
    caller: Caller,
    body: unknown,
    record: (status: number, extra?: Partial<RecordedCall>) => void,
  ): Promise<Response> {
    if (caller.kind !== 'installation' && caller.kind !== 'user') {
      record(401);
      return this.json(401, {
        message: 'This endpoint requires you to be authenticated.',
        documentation_url:
          'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql',
      });
    }
    const request = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    const outcome = await executeGraphQL(request, this.graphqlRoot(caller), this.validate);
    this.violations.push(...outcome.violations);
    record(outcome.status, {
      ...(outcome.operationType ? { graphqlOperation: outcome.operationType } : {}),
      fields: outcome.fields,
    });
    return this.json(outcome.status, outcome.body);
  }

  // ───────────────────────────── REST routes ─────────────────────────────

  private route(
    operationId: string,
    params: Record<string, string>,
    query: Record<string, string>,
    body: unknown,
    headers: Record<string, string>,
    caller: Caller,
    base: string,
    path: string,
  ): Response {
    const input = (body ?? {}) as Record<string, unknown>;
    switch (operationId) {
      case 'apps/create-installation-access-token':
        return this.createToken(Number(params.installation_id), caller);
      case 'apps/get-authenticated':
        if (caller.kind !== 'app')
          throw new HttpError(401, 'A JSON web token could not be decoded');
        return this.json(200, this.appJson());
      case 'teams/get-membership-for-user-in-org':
        return this.teamMembership(
          caller,
          params.org ?? '',
          params.team_slug ?? '',
          params.username ?? '',
        );
      case 'users/get-authenticated':
        if (caller.kind === 'installation')
          throw new HttpError(403, 'Resource not accessible by integration');
        if (caller.kind !== 'user') throw new HttpError(401, 'Requires authentication');
        return this.json(200, this.userJson(caller.login));
      default:
        break;
    }
    const repo = this.repoFor(caller, params.owner ?? '', params.repo ?? '');
    switch (operationId) {
      case 'repos/get':
        return this.json(200, this.repoJson(repo));
      case 'pulls/get':
        return this.json(200, this.pullJson(repo, this.pullOr404(repo, params.pull_number)));
      case 'repos/compare-commits-with-basehead':
        return this.compare(repo, params.basehead ?? '', query, base);
      case 'pulls/list-files':
        return this.listFiles(repo, this.pullOr404(repo, params.pull_number), query, base, path);
      case 'git/get-tree':
        return this.getTree(repo, params.tree_sha ?? '', query.recursive, base);
      case 'git/get-blob':
        return this.getBlob(repo, params.file_sha ?? '', base);
      case 'repos/get-content':
        return this.getContent(repo, params.path ?? '', query.ref, headers.accept ?? '', base);
      case 'checks/create':
        return this.createCheckRun(repo, caller, input);
      case 'checks/update':
        return this.updateCheckRun(repo, caller, Number(params.check_run_id), input);
      case 'repos/create-commit-status': {
        const sha = params.sha ?? '';
        if (!this.store.commits.has(sha))
          throw new HttpError(422, `No commit found for SHA: ${sha}`, undefined, true);
        const status: FakeCommitStatus = {
          id: this.id(),
          sha,
          state: String(input.state),
          context: typeof input.context === 'string' ? input.context : 'default',
          description: typeof input.description === 'string' ? input.description : null,
          creator: caller.kind === 'user' ? caller.login : `${this.appSlug}[bot]`,
        };
        repo.statuses.push(status);
        return this.json(201, { ...status, creator: this.userJson(status.creator) });
      }
      case 'pulls/create-review':
        return this.createReview(repo, this.pullOr404(repo, params.pull_number), caller, input);
      case 'pulls/create-reply-for-review-comment': {
        const pull = this.pullOr404(repo, params.pull_number);
        const text = String(input.body ?? '');
        this.checkBody(text);
        const comment = this.reply(pull, Number(params.comment_id), this.loginOf(caller), text);
        return this.json(201, this.reviewCommentJson(repo, pull, comment));
      }
      case 'issues/list-comments': {
        const pull = this.hostOr404(repo, params.issue_number);
        const since = query.since;
        const comments = pull.issueComments.filter(
          (comment) => since === undefined || comment.updatedAt >= since,
        );
        return this.paged(
          comments.map((comment) => this.issueCommentJson(repo, pull, comment)),
          query,
          base,
          path,
        );
      }
      case 'issues/create-comment': {
        const pull = this.hostOr404(repo, params.issue_number);
        const text = String(input.body ?? '');
        this.checkBody(text);
        const comment = this.createIssueComment(pull, this.loginOf(caller), text);
        return this.json(201, this.issueCommentJson(repo, pull, comment));
      }
      case 'issues/update-comment': {
        const id = Number(params.comment_id);
        const found = this.findIssueComment(repo, id);
        if (!found) throw new HttpError(404, 'Not Found');
        const { host, comment } = found;
        const text = String(input.body ?? '');
        this.checkBody(text);
        if (comment.user !== this.loginOf(caller))
          this.warnings.push(`${this.loginOf(caller)} edited comment ${id} by ${comment.user}`);
        comment.previousBody = comment.body;
        comment.body = text;
        comment.updatedAt = this.now();
        comment.edits++;
        return this.json(200, this.issueCommentJson(repo, host, comment));
      }
      case 'reactions/create-for-issue-comment':
        return this.createReaction(repo, caller, Number(params.comment_id), input);
      case 'repos/get-collaborator-permission-level':
        return this.collaboratorPermission(repo, params.username ?? '');
      case 'pulls/list':
        return this.listPulls(repo, query, base, path);
      case 'repos/list-pull-requests-associated-with-commit': {
        const sha = (params.commit_sha ?? '').toLowerCase();
        if (!this.store.commits.has(sha))
          throw new HttpError(422, `No commit found for SHA: ${sha}`);
        // The subset the fake knows: open pull requests whose head is that commit.
        const pulls = [...repo.pulls.values()].filter((pull) => pull.headSha === sha);
        return this.paged(
          pulls.map((pull) => this.pullJson(repo, pull)),
          query,
          base,
          path,
        );
      }
      default:
        throw new HttpError(404, 'Not Found', undefined, true);
    }
  }

  private createReaction(
    repo: RepoState,
    caller: Caller,
    commentId: number,
    input: Record<string, unknown>,
  ): Response {
    if (!this.findIssueComment(repo, commentId)) throw new HttpError(404, 'Not Found');
    const user = this.loginOf(caller);
    const content = String(input.content);
    const list = repo.reactions.get(commentId) ?? [];
    repo.reactions.set(commentId, list);
    // GitHub: the same user reacting with the same content again is a 200 with the old reaction.
    const existing = list.find(
      (reaction) => reaction.user === user && reaction.content === content,
    );
    const reaction = existing ?? { id: this.id(), content, user, createdAt: this.now() };
    if (!existing) list.push(reaction);
    return this.json(existing ? 200 : 201, {
      id: reaction.id,
      node_id: `REA_${reaction.id}`,
      user: this.userJson(reaction.user),
      content: reaction.content,
      created_at: reaction.createdAt,
    });
  }

  /** The owner is `admin` unless set; a login never set is not a collaborator: 404. */
  private roleOf(repo: RepoState, login: string): FakeRole | undefined {
    const set = repo.roles.get(login.toLowerCase());
    if (set !== undefined) return set;
    return login.toLowerCase() === repo.owner.toLowerCase() ? 'admin' : undefined;
  }

  private collaboratorPermission(repo: RepoState, login: string): Response {
    const role = this.roleOf(repo, login);
    // GitHub answers 404 for someone who is not a collaborator of a private repository; the
    // fake does so for every login never given a role (public repositories would say `read`).
    if (role === undefined) throw new HttpError(404, `${login} is not a user`);
    const permission = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role;
    const rank = ['none', 'read', 'triage', 'write', 'maintain', 'admin'].indexOf(role);
    return this.json(200, {
      permission,
      role_name: role,
      user: {
        ...this.userJson(login),
        permissions: {
          admin: rank >= 5,
          maintain: rank >= 4,
          push: rank >= 3,
          triage: rank >= 2,
          pull: rank >= 1,
        },
        role_name: role,
      },
    });
  }

  private teamMembership(caller: Caller, org: string, slug: string, login: string): Response {
    if (caller.kind === 'none') throw new HttpError(401, 'Requires authentication');
    if (caller.kind === 'app') throw new HttpError(401, 'A JSON web token could not be decoded');
    if (this.denyOrgMembers) throw new HttpError(403, 'Resource not accessible by integration');
    const member = this.teams.get(`${org}/${slug}`.toLowerCase())?.get(login.toLowerCase());
    if (!member) throw new HttpError(404, 'Not Found');
    return this.json(200, {
      url: `https://api.github.com/organizations/${numericId(org.toLowerCase())}/team/${numericId(`${org}/${slug}`.toLowerCase())}/memberships/${member.login}`,
      role: member.role,
      state: member.state,
    });
  }

  private listPulls(
    repo: RepoState,
    query: Record<string, string>,
    base: string,
    path: string,
  ): Response {
    const state = query.state ?? 'open';
    const sort = query.sort ?? 'created';
    // GitHub: descending when sorting by creation (the default), ascending otherwise.
    const direction = query.direction ?? (sort === 'created' ? 'desc' : 'asc');
    const pulls = [...repo.pulls.values()].filter((pull) => {
      // Every pull request of the fake is open.
      if (state === 'closed') return false;
      if (query.base !== undefined && pull.base !== query.base) return false;
      if (query.head !== undefined) {
        const [user, ref] = query.head.includes(':')
          ? (query.head.split(':', 2) as [string, string])
          : [query.head, undefined];
        const headOwner = pull.fork?.owner ?? repo.owner;
        if (headOwner.toLowerCase() !== user.toLowerCase()) return false;
        if (ref !== undefined && pull.headRef !== ref) return false;
      }
      return true;
    });
    const key = (pull: PullState): string => (sort === 'updated' ? pull.updatedAt : pull.createdAt);
    pulls.sort((a, b) => {
      const order = key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.number - b.number;
      return direction === 'desc' ? -order : order;
    });
    return this.paged(
      pulls.map((pull) => this.pullJson(repo, pull)),
      query,
      base,
      path,
    );
  }

  private compare(
    repo: RepoState,
    basehead: string,
    query: Record<string, string>,
    base: string,
  ): Response {
    // `base...head`, each a sha or a branch (`owner:` prefixes are not supported by the fake).
    const match = /^(.+?)\.\.\.(.+)$/.exec(basehead);
    const baseSha = match?.[1] === undefined ? undefined : this.resolveRevision(repo, match[1]);
    const headSha = match?.[2] === undefined ? undefined : this.resolveRevision(repo, match[2]);
    if (baseSha === undefined || headSha === undefined) throw new HttpError(404, 'Not Found');
    const mergeBase = this.store.mergeBase(baseSha, headSha);
    if (mergeBase === undefined) throw new HttpError(404, 'No common ancestor');
    const firstParents = (from: string): string[] => {
      const shas: string[] = [];
      let sha: string | undefined = from;
      while (sha !== undefined && sha !== mergeBase) {
        shas.push(sha);
        sha = this.store.commits.get(sha)?.parents[0];
      }
      return shas;
    };
    const ahead = firstParents(headSha).reverse();
    const behind = firstParents(baseSha);
    const status =
      ahead.length === 0 && behind.length === 0
        ? 'identical'
        : behind.length === 0
          ? 'ahead'
          : ahead.length === 0
            ? 'behind'
            : 'diverged';
    const files = this.changedFilesBetween(baseSha, headSha, new Set()).map((file) =>
      this.fileJson(repo, file, headSha, base),
    );
    // Commits page with per_page/page (250 a page at most); files stop at 300 on GitHub.
    const perPage = Math.min(Math.max(Number(query.per_page ?? 250) || 250, 1), 250);
    const page = Math.max(Number(query.page ?? 1) || 1, 1);
    const html = `https://github.com/${repo.owner}/${repo.name}`;
    return this.json(200, {
      url: `${base}/repos/${repo.owner}/${repo.name}/compare/${baseSha}...${headSha}`,
      html_url: `${html}/compare/${baseSha}...${headSha}`,
      permalink_url: `${html}/compare/${repo.owner}:${baseSha.slice(0, 7)}...${repo.owner}:${headSha.slice(0, 7)}`,
      diff_url: `${html}/compare/${baseSha}...${headSha}.diff`,
      patch_url: `${html}/compare/${baseSha}...${headSha}.patch`,
      base_commit: this.commitJson(repo, baseSha),
      merge_base_commit: this.commitJson(repo, mergeBase),
      status,
      ahead_by: ahead.length,
      behind_by: behind.length,
      total_commits: ahead.length,
      commits: ahead
        .slice((page - 1) * perPage, page * perPage)
        .map((sha) => this.commitJson(repo, sha)),
      files: files.slice(0, 300),
    });
  }

  /** A commit as REST lists it (`commits` of compare, `base_commit`, …). */
  private commitJson(repo: RepoState, sha: string): Record<string, unknown> {
    const commit = this.commitOrThrow(sha);
    const api = `https://api.github.com/repos/${repo.owner}/${repo.name}`;
    const html = `https://github.com/${repo.owner}/${repo.name}`;
    const person = { name: 'Fake Author', email: 'author@example.com', date: isoTime(this.clock) };
    return {
      sha,
      node_id: Buffer.from(`Commit${sha}`).toString('base64'),
      url: `${api}/commits/${sha}`,
      html_url: `${html}/commit/${sha}`,
      comments_url: `${api}/commits/${sha}/comments`,
      commit: {
        url: `${api}/git/commits/${sha}`,
        author: person,
        committer: person,
        message: commit.message,
        tree: { sha: commit.treeSha, url: `${api}/git/trees/${commit.treeSha}` },
        comment_count: 0,
      },
      author: null,
      committer: null,
      parents: commit.parents.map((parent) => ({
        sha: parent,
        url: `${api}/commits/${parent}`,
        html_url: `${html}/commit/${parent}`,
      })),
    };
  }

  /** A changed file as `pulls/files` and `compare` list it. */
  private fileJson(
    repo: RepoState,
    file: ChangedFile,
    headSha: string,
    base: string,
  ): Record<string, unknown> {
    return {
      sha: file.sha,
      filename: file.filename,
      status: file.status,
      additions: file.additions,
      deletions: file.deletions,
      changes: file.additions + file.deletions,
      blob_url: `https://github.com/${repo.owner}/${repo.name}/blob/${headSha}/${file.filename}`,
      raw_url: `https://github.com/${repo.owner}/${repo.name}/raw/${headSha}/${file.filename}`,
      contents_url: `${base}/repos/${repo.owner}/${repo.name}/contents/${file.filename}?ref=${headSha}`,
      ...(file.patch === undefined ? {} : { patch: file.patch }),
      ...(file.previousFilename === undefined ? {} : { previous_filename: file.previousFilename }),
    };
  }

  private createToken(installationId: number, caller: Caller): Response {
    if (caller.kind !== 'app') throw new HttpError(401, 'A JSON web token could not be decoded');
    const installed = [...this.repos.values()].some(
      (repo) => repo.installationId === installationId,
    );
    if (!installed) throw new HttpError(404, 'Not Found');
    const token = `ghs_${randomBytes(18).toString('hex')}`;
    this.tokens.set(token, installationId);
    return this.json(201, {
      token,
      expires_at: isoTime(this.clock + 3600),
      permissions: {
        checks: 'write',
        contents: 'read',
        issues: 'write',
        metadata: 'read',
        pull_requests: 'write',
      },
      repository_selection: 'all',
    });
  }

  private listFiles(
    repo: RepoState,
    pull: PullState,
    query: Record<string, string>,
    base: string,
    path: string,
  ): Response {
    const files = this.changedFiles(pull, pull.headSha).map((file) =>
      this.fileJson(repo, file, pull.headSha, base),
    );
    // GitHub lists at most 3,000 files of a pull request.
    return this.paged(files.slice(0, 3000), query, base, path);
  }

  private getTree(
    repo: RepoState,
    treeish: string,
    recursive: string | undefined,
    base: string,
  ): Response {
    const commitSha = this.resolveRevision(repo, treeish);
    const rootSha = commitSha ? this.store.commits.get(commitSha)?.treeSha : treeish;
    const root = rootSha === undefined ? undefined : this.store.trees.get(rootSha);
    if (!root) throw new HttpError(404, 'Not Found');
    // GitHub: any value of `recursive` (even "false" or "0") means recursive.
    const deep = recursive !== undefined;
    const entries: Record<string, unknown>[] = [];
    const walk = (sha: string, prefix: string): void => {
      const tree = this.store.trees.get(sha);
      if (!tree) return;
      for (const entry of tree.entries) {
        const entryPath = `${prefix}${entry.name}`;
        entries.push({
          path: entryPath,
          mode: entry.mode,
          type: entry.type,
          sha: entry.sha,
          ...(entry.type === 'blob' ? { size: this.store.blobs.get(entry.sha)?.length ?? 0 } : {}),
          url: `${base}/repos/${repo.owner}/${repo.name}/git/${entry.type}s/${entry.sha}`,
        });
        if (deep && entry.type === 'tree') walk(entry.sha, `${entryPath}/`);
      }
    };
    walk(root.sha, '');
    return this.json(200, {
      sha: root.sha,
      url: `${base}/repos/${repo.owner}/${repo.name}/git/trees/${root.sha}`,
      tree: entries,
      truncated: false,
    });
  }

  private getBlob(repo: RepoState, sha: string, base: string): Response {
    const data = this.store.blobs.get(sha.toLowerCase());
    if (!data) throw new HttpError(404, 'Not Found');
    return this.json(200, {
      sha,
      node_id: Buffer.from(`Blob${sha}`).toString('base64'),
      size: data.length,
      url: `${base}/repos/${repo.owner}/${repo.name}/git/blobs/${sha}`,
      content: base64Lines(data),
      encoding: 'base64',
    });
  }

  private getContent(
    repo: RepoState,
    rawPath: string,
    ref: string | undefined,
    accept: string,
    base: string,
  ): Response {
    const commitSha = this.resolveRevision(repo, ref ?? repo.defaultBranch);
    const commit = commitSha ? this.store.commits.get(commitSha) : undefined;
    if (!commit) throw new HttpError(404, `No commit found for the ref ${ref ?? ''}`);
    const path = rawPath.replace(/^\/+|\/+$/g, '');
    const file = commit.files.get(path);
    const contentsUrl = (p: string): string =>
      `${base}/repos/${repo.owner}/${repo.name}/contents/${p}?ref=${ref ?? repo.defaultBranch}`;
    if (!file) {
      const prefix = path === '' ? '' : `${path}/`;
      const children = new Map<string, 'file' | 'dir'>();
      for (const filePath of commit.files.keys()) {
        if (!filePath.startsWith(prefix)) continue;
        const rest = filePath.slice(prefix.length);
        const slash = rest.indexOf('/');
        children.set(slash < 0 ? rest : rest.slice(0, slash), slash < 0 ? 'file' : 'dir');
      }
      if (children.size === 0) throw new HttpError(404, 'Not Found');
      const listing = [...children.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, type]) => ({
          name,
          path: `${prefix}${name}`,
          type,
          url: contentsUrl(`${prefix}${name}`),
        }));
      return this.json(200, listing);
    }
    const data = this.store.blobs.get(file.sha) ?? Buffer.alloc(0);
    if (/\.raw\b|vnd\.github\.raw/.test(accept)) {
      return {
        status: 200,
        headers: { ...this.standardHeaders(), 'content-type': 'text/plain; charset=utf-8' },
        body: data.toString('utf8'),
      };
    }
    const tooBig = data.length > 1024 * 1024;
    return this.json(200, {
      type: file.mode === '120000' ? 'symlink' : 'file',
      ...(file.mode === '120000' ? { target: data.toString('utf8') } : {}),
      encoding: tooBig ? 'none' : 'base64',
      size: data.length,
      name: path.slice(path.lastIndexOf('/') + 1),
      path,
      content: tooBig ? '' : base64Lines(data),
      sha: file.sha,
      url: contentsUrl(path),
      git_url: `${base}/repos/${repo.owner}/${repo.name}/git/blobs/${file.sha}`,
      html_url: `https://github.com/${repo.owner}/${repo.name}/blob/${ref ?? repo.defaultBranch}/${path}`,
      download_url: `https://raw.githubusercontent.com/${repo.owner}/${repo.name}/${ref ?? repo.defaultBranch}/${path}`,
    });
  }

  private createCheckRun(
    repo: RepoState,
    caller: Caller,
    input: Record<string, unknown>,
  ): Response {
    if (caller.kind !== 'installation')
      throw new HttpError(403, 'You must authenticate via a GitHub App.');
    const headSha = String(input.head_sha ?? '');
    if (!this.store.commits.has(headSha))
      throw new HttpError(422, `No commit found for SHA: ${headSha}`, undefined, true);
    const started = this.now();
    const run: FakeCheckRun = {
      id: this.id(),
      name: String(input.name),
      head_sha: headSha,
      status: 'queued',
      conclusion: null,
      output: { title: null, summary: null, text: null },
      annotations: [],
      actions: [],
      started_at: typeof input.started_at === 'string' ? input.started_at : started,
      completed_at: null,
      updates: 0,
      history: [],
    };
    this.applyCheckRunInput(run, input);
    repo.checkRuns.push(run);
    return this.json(201, this.checkRunJson(repo, run));
  }

  private updateCheckRun(
    repo: RepoState,
    caller: Caller,
    id: number,
    input: Record<string, unknown>,
  ): Response {
    if (caller.kind !== 'installation')
      throw new HttpError(403, 'You must authenticate via a GitHub App.');
    const run = repo.checkRuns.find((candidate) => candidate.id === id);
    if (!run) throw new HttpError(404, 'Not Found', undefined, true);
    run.updates++;
    this.applyCheckRunInput(run, input);
    return this.json(200, this.checkRunJson(repo, run));
  }

  /** Shared by create and update; GitHub's rules beyond the OpenAPI schema. */
  private applyCheckRunInput(run: FakeCheckRun, input: Record<string, unknown>): void {
    const output = input.output as
      | { title?: string; summary?: string; text?: string; annotations?: FakeAnnotation[] }
      | undefined;
    const problems: string[] = [];
    for (const annotation of output?.annotations ?? []) {
      if (annotation.end_line < annotation.start_line)
        problems.push(`annotation ${annotation.path}: end_line before start_line`);
      if (
        (annotation.start_column !== undefined || annotation.end_column !== undefined) &&
        annotation.start_line !== annotation.end_line
      )
        problems.push(`annotation ${annotation.path}: columns on a multi-line annotation`);
      if ((annotation.title ?? '').length > 255)
        problems.push(`annotation ${annotation.path}: title over 255 characters`);
      if (Buffer.byteLength(annotation.message) > 64 * 1024)
        problems.push(`annotation ${annotation.path}: message over 64 KB`);
      if (annotation.start_line < 1) problems.push(`annotation ${annotation.path}: line < 1`);
    }
    if ((output?.title ?? '').length > 255) problems.push('output.title over 255 characters');
    const status = typeof input.conclusion === 'string' ? 'completed' : input.status;
    if (status === 'completed' && typeof input.conclusion !== 'string' && run.conclusion === null)
      problems.push('conclusion is required when status is completed');
    if (typeof input.conclusion === 'string' && input.conclusion === 'stale')
      problems.push('only GitHub can set a stale conclusion');
    if (Array.isArray(input.actions)) {
      for (const action of input.actions as { description?: string }[])
        if ((action.description ?? '').length > 40)
          problems.push('action description over 40 characters');
    }
    if (problems.length > 0) throw new HttpError(422, 'Invalid request.', problems, true);
    if (typeof status === 'string') run.status = status;
    if (typeof input.conclusion === 'string') {
      run.conclusion = input.conclusion;
      run.completed_at = typeof input.completed_at === 'string' ? input.completed_at : this.now();
    }
    if (typeof input.details_url === 'string') run.details_url = input.details_url;
    if (typeof input.external_id === 'string') run.external_id = input.external_id;
    if (Array.isArray(input.actions)) run.actions = input.actions;
    if (output) {
      if (output.title !== undefined) run.output.title = output.title;
      if (output.summary !== undefined) run.output.summary = output.summary;
      if (output.text !== undefined) run.output.text = output.text;
      run.annotations.push(...(output.annotations ?? []));
    }
    run.history.push({ status: run.status, conclusion: run.conclusion });
  }

  private createReview(
    repo: RepoState,
    pull: PullState,
    caller: Caller,
    input: Record<string, unknown>,
  ): Response {
    const user = this.loginOf(caller);
    const commitId = typeof input.commit_id === 'string' ? input.commit_id : pull.headSha;
    if (!this.store.commits.has(commitId))
      throw new HttpError(
        422,
        'Unprocessable Entity',
        ['commit_id is not part of the pull request'],
        true,
      );
    const comments = (input.comments ?? []) as {
      path: string;
      body: string;
      line?: number;
      side?: string;
      start_line?: number;
      start_side?: string;
      position?: number;
    }[];
    const event = typeof input.event === 'string' ? input.event : undefined;
    const body = typeof input.body === 'string' ? input.body : '';
    if (
      event !== undefined &&
      event !== 'COMMENT' &&
      event !== 'APPROVE' &&
      event !== 'REQUEST_CHANGES'
    )
      throw new HttpError(422, 'Unprocessable Entity', [`unknown event ${event}`], true);
    if (event !== 'APPROVE' && event !== undefined && body === '' && comments.length === 0)
      throw new HttpError(422, 'Unprocessable Entity', ['Review body is required'], true);
    this.checkBody(body);
    const files = new Map(this.changedFiles(pull, commitId).map((file) => [file.filename, file]));
    const errors: string[] = [];
    for (const comment of comments) {
      this.checkBody(comment.body);
      const file = files.get(comment.path);
      if (!file) {
        errors.push(`Path could not be resolved: ${comment.path}`);
        continue;
      }
      if (comment.position !== undefined) {
        errors.push(`${comment.path}: use line/side; position is deprecated`);
        continue;
      }
      if (comment.line === undefined) {
        errors.push(`${comment.path}: line is required`);
        continue;
      }
      const side = (comment.side ?? 'RIGHT') as 'LEFT' | 'RIGHT';
      if (side !== 'LEFT' && side !== 'RIGHT') {
        errors.push(`${comment.path}: side must be LEFT or RIGHT`);
        continue;
      }
      const hunk = hunkOf(file.hunks, side, comment.line);
      if (hunk < 0) {
        errors.push(
          `Pull request review thread line must be part of the diff (${comment.path}:${comment.line} ${side})`,
        );
        continue;
      }
      if (comment.start_line !== undefined) {
        const startSide = (comment.start_side ?? side) as 'LEFT' | 'RIGHT';
        if (startSide === side && comment.start_line >= comment.line)
          errors.push(`${comment.path}: start_line must precede line`);
        else if (hunkOf(file.hunks, startSide, comment.start_line) !== hunk)
          errors.push(
            `Pull request review thread start line must be part of the same hunk as the line (${comment.path}:${comment.start_line})`,
          );
      } else if (comment.start_side !== undefined) {
        errors.push(`${comment.path}: start_side without start_line`);
      }
      if (side === 'LEFT' && /```suggestion/.test(comment.body))
        this.warnings.push(
          `${comment.path}:${comment.line}: a suggestion on a LEFT line does nothing`,
        );
    }
    if (errors.length > 0) throw new HttpError(422, 'Unprocessable Entity', errors, true);
    const reviewId = this.id();
    const created = this.now();
    const commentIds: number[] = [];
    for (const comment of comments) {
      const side = (comment.side ?? 'RIGHT') as 'LEFT' | 'RIGHT';
      const id = this.id();
      commentIds.push(id);
      const stored: FakeThreadComment = {
        id,
        nodeId: `PRRC_${id}`,
        body: comment.body,
        user,
        path: comment.path,
        line: comment.line as number,
        side,
        ...(comment.start_line === undefined
          ? {}
          : {
              startLine: comment.start_line,
              startSide: (comment.start_side ?? side) as 'LEFT' | 'RIGHT',
            }),
        commitId,
        reviewId,
        createdAt: created,
      };
      pull.threads.push({
        id: `PRRT_${id}`,
        isResolved: false,
        path: comment.path,
        line: comment.line as number,
        side,
        ...(comment.start_line === undefined ? {} : { startLine: comment.start_line }),
        commitId,
        comments: [stored],
      });
    }
    const state =
      event === 'COMMENT'
        ? 'COMMENTED'
        : event === 'APPROVE'
          ? 'APPROVED'
          : event === 'REQUEST_CHANGES'
            ? 'CHANGES_REQUESTED'
            : 'PENDING';
    if (state === 'PENDING')
      this.warnings.push(`review ${reviewId} has no event: it stays PENDING, invisible to others`);
    const review: FakeReview = { id: reviewId, user, body, state, commit_id: commitId, commentIds };
    pull.reviews.push(review);
    return this.json(200, {
      id: reviewId,
      node_id: `PRR_${reviewId}`,
      user: this.userJson(user),
      body,
      state,
      html_url: `https://github.com/${repo.owner}/${repo.name}/pull/${pull.number}#pullrequestreview-${reviewId}`,
      pull_request_url: `https://api.github.com/repos/${repo.owner}/${repo.name}/pulls/${pull.number}`,
      author_association: 'NONE',
      _links: {
        html: {
          href: `https://github.com/${repo.owner}/${repo.name}/pull/${pull.number}#pullrequestreview-${reviewId}`,
        },
        pull_request: {
          href: `https://api.github.com/repos/${repo.owner}/${repo.name}/pulls/${pull.number}`,
        },
      },
      ...(state === 'PENDING' ? {} : { submitted_at: created }),
      commit_id: commitId,
    });
  }

  // ───────────────────────────── GraphQL resolvers ─────────────────────────────

  private graphqlRoot(caller: Caller): Record<string, unknown> {
    const viewerLogin = this.loginOf(caller);
    const actor = (login: string): Record<string, unknown> => {
      // GraphQL names an app by its slug, without REST's "[bot]".
      const bot = login.endsWith('[bot]');
      const name = bot ? login.slice(0, -'[bot]'.length) : login;
      return {
        __typename: bot ? 'Bot' : 'User',
        id: Buffer.from(`${bot ? 'Bot' : 'User'}${name}`).toString('base64'),
        databaseId: numericId(login),
        login: name,
        url: `https://github.com/${bot ? `apps/${name}` : name}`,
      };
    };
    const connection = <T>(items: readonly T[], raw: PageArgs): Record<string, unknown> => {
      // GraphQL passes an explicit `null` variable through; GitHub treats it as absent.
      const args = withoutNulls(raw);
      if (args.first === undefined && args.last === undefined)
        throw new GitHubGraphQLError(
          'MISSING_PAGINATION_BOUNDARIES',
          'You must provide a `first` or `last` value to properly paginate the connection.',
        );
      const limit = args.first ?? args.last ?? 0;
      if (limit > 100 || limit < 0)
        throw new GitHubGraphQLError(
          'EXCESSIVE_PAGINATION',
          `Requesting ${limit} records on the connection exceeds the \`${args.first !== undefined ? 'first' : 'last'}\` limit of 100 records.`,
        );
      const cursorIndex = (cursor: string): number =>
        Number(
          Buffer.from(cursor, 'base64')
            .toString('utf8')
            .replace(/^cursor:/, ''),
        );
      let start = args.after === undefined ? 0 : cursorIndex(args.after) + 1;
      let end = args.before === undefined ? items.length : cursorIndex(args.before);
      if (args.first !== undefined) end = Math.min(end, start + args.first);
      else if (args.last !== undefined) start = Math.max(start, end - args.last);
      const cursor = (index: number): string => Buffer.from(`cursor:${index}`).toString('base64');
      return {
        nodes: items.slice(start, end),
        totalCount: items.length,
        pageInfo: {
          hasNextPage: end < items.length,
          hasPreviousPage: start > 0,
          startCursor: end > start ? cursor(start) : null,
          endCursor: end > start ? cursor(end - 1) : null,
        },
      };
    };
    const threadNode = (
      repo: RepoState,
      pull: PullState,
      thread: FakeThread,
    ): Record<string, unknown> => {
      const outdated = this.isOutdated(pull, thread);
      return {
        id: thread.id,
        isResolved: thread.isResolved,
        isOutdated: outdated,
        path: thread.path,
        line: outdated ? null : thread.line,
        originalLine: thread.line,
        startLine: outdated ? null : (thread.startLine ?? null),
        diffSide: thread.side,
        // `resolvedBy` is a User: an app that resolved a thread is not one, so GitHub says null.
        resolvedBy:
          thread.resolvedBy === undefined || thread.resolvedBy.endsWith('[bot]')
            ? null
            : { ...actor(thread.resolvedBy), __typename: 'User' },
        viewerCanResolve: true,
        comments: (args: PageArgs & { skip?: number | null }) =>
          connection(
            thread.comments.slice(args.skip ?? 0).map((comment) => ({
              id: comment.nodeId,
              databaseId: comment.id,
              body: comment.body,
              author: actor(comment.user),
              path: comment.path,
              outdated,
              createdAt: comment.createdAt,
            })),
            args,
          ),
      };
    };
    return {
      viewer: () => ({ ...actor(viewerLogin), __typename: 'User', login: viewerLogin }),
      rateLimit: () => ({
        cost: 1,
        limit: 5000,
        nodeCount: 0,
        remaining: 4999,
        resetAt: isoTime(this.clock + 3600),
        used: 1,
      }),
      repository: (args: { owner: string; name: string }) => {
        const repo = this.repos.get(`${args.owner}/${args.name}`.toLowerCase());
        if (!repo || !this.canSee(caller, repo))
          throw new GitHubGraphQLError(
            'NOT_FOUND',
            `Could not resolve to a Repository with the name '${args.owner}/${args.name}'.`,
          );
        return {
          id: Buffer.from(`Repository${repo.id}`).toString('base64'),
          name: repo.name,
          nameWithOwner: `${repo.owner}/${repo.name}`,
          object: (objectArgs: { expression?: string | null; oid?: string | null }) =>
            this.gitObject(repo, objectArgs),
          pullRequest: (pullArgs: { number: number }) => {
            const pull = repo.pulls.get(pullArgs.number);
            if (!pull)
              throw new GitHubGraphQLError(
                'NOT_FOUND',
                `Could not resolve to a PullRequest with the number of ${pullArgs.number}.`,
              );
            return {
              id: `PR_${pull.id}`,
              number: pull.number,
              reviewThreads: (args: PageArgs) =>
                connection(
                  pull.threads.map((thread) => threadNode(repo, pull, thread)),
                  args,
                ),
            };
          },
        };
      },
      resolveReviewThread: (args: { input: { threadId: string; clientMutationId?: string } }) => {
        for (const repo of this.repos.values()) {
          for (const pull of repo.pulls.values()) {
            const thread = pull.threads.find((candidate) => candidate.id === args.input.threadId);
            if (!thread) continue;
            if (!this.canSee(caller, repo)) break;
            thread.isResolved = true;
            thread.resolvedBy = viewerLogin;
            return {
              clientMutationId: args.input.clientMutationId ?? null,
              thread: threadNode(repo, pull, thread),
            };
          }
        }
        throw new GitHubGraphQLError(
          'NOT_FOUND',
          `Could not resolve to a node with the global id of '${args.input.threadId}'`,
        );
      },
    };
  }

  private gitObject(
    repo: RepoState,
    raw: { expression?: string | null; oid?: string | null },
  ): Record<string, unknown> | null {
    const args = withoutNulls(raw);
    const blobNode = (sha: string): Record<string, unknown> => {
      const data = this.store.blobs.get(sha) ?? Buffer.alloc(0);
      const binary = isBinary(data);
      const truncated = data.length > MAX_TEXT;
      return {
        __typename: 'Blob',
        id: Buffer.from(`Blob${sha}`).toString('base64'),
        oid: sha,
        abbreviatedOid: sha.slice(0, 7),
        byteSize: data.length,
        isBinary: binary,
        isTruncated: truncated,
        text: binary ? null : (truncated ? data.subarray(0, MAX_TEXT) : data).toString('utf8'),
      };
    };
    const treeNode = (sha: string): Record<string, unknown> => ({
      __typename: 'Tree',
      id: Buffer.from(`Tree${sha}`).toString('base64'),
      oid: sha,
      abbreviatedOid: sha.slice(0, 7),
    });
    const commitNode = (commit: StoredCommit): Record<string, unknown> => ({
      __typename: 'Commit',
      id: Buffer.from(`Commit${commit.sha}`).toString('base64'),
      oid: commit.sha,
      abbreviatedOid: commit.sha.slice(0, 7),
      tree: treeNode(commit.treeSha),
    });
    if (args.oid !== undefined) {
      const oid = args.oid.toLowerCase();
      if (this.store.blobs.has(oid)) return blobNode(oid);
      if (this.store.trees.has(oid)) return treeNode(oid);
      const commit = this.store.commits.get(oid);
      return commit ? commitNode(commit) : null;
    }
    const expression = args.expression ?? '';
    const colon = expression.indexOf(':');
    const revision = colon < 0 ? expression : expression.slice(0, colon);
    const commitSha = this.resolveRevision(repo, revision);
    const commit = commitSha === undefined ? undefined : this.store.commits.get(commitSha);
    if (!commit) return null;
    if (colon < 0) return commitNode(commit);
    const path = expression.slice(colon + 1).replace(/^\/+|\/+$/g, '');
    if (path === '') return treeNode(commit.treeSha);
    const file = commit.files.get(path);
    if (file) return blobNode(file.sha);
    // A directory: find its tree by walking from the root.
    let treeSha: string | undefined = commit.treeSha;
    for (const part of path.split('/')) {
      const tree: StoredTree | undefined =
        treeSha === undefined ? undefined : this.store.trees.get(treeSha);
      treeSha = tree?.entries.find((entry) => entry.name === part && entry.type === 'tree')?.sha;
    }
    return treeSha === undefined ? null : treeNode(treeSha);
  }

  // ───────────────────────────── diffs ─────────────────────────────

  /** The pull request's files as GitHub lists them: merge base against `headSha`, by path. */
  private changedFiles(pull: PullState, headSha: string): ChangedFile[] {
    return this.changedFilesBetween(pull.baseSha, headSha, pull.omitPatchFor);
  }

  /** Merge base of `baseTip` and `headSha` against `headSha` (pulls/files and compare). */
  private changedFilesBetween(
    baseTip: string,
    headSha: string,
    omitPatchFor: ReadonlySet<string>,
  ): ChangedFile[] {
    const head = this.commitOrThrow(headSha);
    const baseSha = this.store.mergeBase(baseTip, headSha) ?? baseTip;
    const base = this.commitOrThrow(baseSha);
    const removed = [...base.files.keys()].filter((path) => !head.files.has(path));
    const added = [...head.files.keys()].filter((path) => !base.files.has(path));
    // Exact-content renames, as git detects them first.
    const renames = new Map<string, string>();
    for (const path of added) {
      const sha = head.files.get(path)?.sha;
      const from = removed.find(
        (candidate) =>
          base.files.get(candidate)?.sha === sha && ![...renames.values()].includes(candidate),
      );
      if (from !== undefined) renames.set(path, from);
    }
    const renamedFrom = new Set(renames.values());
    const paths = new Set<string>([
      ...head.files.keys(),
      ...removed.filter((p) => !renamedFrom.has(p)),
    ]);
    const files: ChangedFile[] = [];
    for (const path of [...paths].sort()) {
      const after = head.files.get(path);
      const previous = renames.get(path);
      const before = base.files.get(previous ?? path);
      if (
        after &&
        before &&
        after.sha === before.sha &&
        after.mode === before.mode &&
        previous === undefined
      )
        continue;
      const oldData = before
        ? (this.store.blobs.get(before.sha) ?? Buffer.alloc(0))
        : Buffer.alloc(0);
      const newData = after
        ? (this.store.blobs.get(after.sha) ?? Buffer.alloc(0))
        : Buffer.alloc(0);
      const status =
        previous !== undefined ? 'renamed' : !before ? 'added' : !after ? 'removed' : 'modified';
      const binary = isBinary(oldData) || isBinary(newData);
      const diff = binary
        ? { hunks: [], additions: 0, deletions: 0, patch: '' }
        : diffLines(oldData.toString('utf8'), newData.toString('utf8'));
      // GitHub drops the patch of binaries and of very large diffs.
      const omit =
        binary || omitPatchFor.has(path) || diff.patch.length > 1024 * 1024 || diff.patch === '';
      files.push({
        filename: path,
        status,
        ...(previous === undefined ? {} : { previousFilename: previous }),
        sha: (after ?? before)?.sha ?? '',
        additions: diff.additions,
        deletions: diff.deletions,
        ...(omit ? {} : { patch: diff.patch }),
        hunks: diff.hunks,
      });
    }
    return files;
  }

  /** A thread is outdated once a later push changed its file. */
  private isOutdated(pull: PullState, thread: FakeThread): boolean {
    if (thread.commitId === pull.headSha) return false;
    const then = this.store.commits.get(thread.commitId)?.files.get(thread.path)?.sha;
    const now = this.store.commits.get(pull.headSha)?.files.get(thread.path)?.sha;
    return then !== now;
  }

  // ───────────────────────────── helpers ─────────────────────────────

  private authenticate(header: string | undefined): Caller {
    if (!header) return { kind: 'none' };
    const [scheme, token] = header.trim().split(/\s+/, 2);
    if (!token || !scheme) return { kind: 'none' };
    const installation = this.tokens.get(token);
    if (installation !== undefined) return { kind: 'installation', installationId: installation };
    if (scheme.toLowerCase() === 'bearer' && token.split('.').length === 3) {
      try {
        const payload = JSON.parse(
          Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'),
        ) as { iss?: unknown };
        if (!this.checkIssuer || String(payload.iss) === String(this.appId)) return { kind: 'app' };
      } catch {
        // not a JWT: an opaque user token
      }
      return { kind: 'none' };
    }
    return { kind: 'user', login: this.userLogin };
  }

  private loginOf(caller: Caller): string {
    if (caller.kind === 'installation' || caller.kind === 'app') return this.botLogin;
    if (caller.kind === 'user') return caller.login;
    return 'ghost';
  }

  private canSee(caller: Caller, repo: RepoState): boolean {
    if (caller.kind === 'installation') return caller.installationId === repo.installationId;
    return caller.kind === 'user';
  }

  private repoFor(caller: Caller, owner: string, name: string): RepoState {
    if (caller.kind === 'none') throw new HttpError(401, 'Requires authentication');
    if (caller.kind === 'app') throw new HttpError(401, 'A JSON web token could not be decoded');
    const repo = this.repos.get(`${owner}/${name}`.toLowerCase());
    if (!repo || !this.canSee(caller, repo)) throw new HttpError(404, 'Not Found');
    return repo;
  }

  private pullOr404(repo: RepoState, number: string | undefined): PullState {
    const pull = repo.pulls.get(Number(number));
    if (!pull) throw new HttpError(404, 'Not Found');
    return pull;
  }

  /** A branch name, a full sha, or a short sha of at least 7 characters. */
  private resolveRevision(repo: RepoState, revision: string): string | undefined {
    const branch = repo.branches.get(revision.replace(/^refs\/heads\//, ''));
    if (branch) return branch;
    if (revision === 'HEAD') return repo.branches.get(repo.defaultBranch);
    const lower = revision.toLowerCase();
    if (this.store.commits.has(lower)) return lower;
    if (/^[0-9a-f]{7,39}$/.test(lower)) {
      for (const sha of this.store.commits.keys()) if (sha.startsWith(lower)) return sha;
    }
    return undefined;
  }

  private reply(pull: PullState, commentId: number, user: string, body: string): FakeThreadComment {
    const thread = pull.threads.find((candidate) =>
      candidate.comments.some((c) => c.id === commentId),
    );
    if (!thread) throw new HttpError(404, 'Not Found', undefined, true);
    const first = thread.comments[0] as FakeThreadComment;
    const id = this.id();
    const comment: FakeThreadComment = {
      id,
      nodeId: `PRRC_${id}`,
      body,
      user,
      path: first.path,
      line: first.line,
      side: first.side,
      commitId: first.commitId,
      inReplyTo: first.id,
      createdAt: this.now(),
    };
    thread.comments.push(comment);
    return comment;
  }

  private createIssueComment(
    host: CommentHost,
    user: string,
    body: string,
    type?: 'User' | 'Bot',
  ): FakeIssueComment {
    const now = this.now();
    const comment: FakeIssueComment = {
      id: this.id(),
      body,
      user,
      userType: type ?? (user.endsWith('[bot]') ? 'Bot' : 'User'),
      createdAt: now,
      updatedAt: now,
      edits: 0,
    };
    host.issueComments.push(comment);
    return comment;
  }

  /** A pull request or an issue (issue comment APIs take either). */
  private hostOrThrow(repo: RepoState, number: number): CommentHost {
    const host = repo.pulls.get(number) ?? repo.issues.get(number);
    if (!host) throw new Error(`no issue or pull request #${number} in ${repo.owner}/${repo.name}`);
    return host;
  }

  private hostOr404(repo: RepoState, number: string | undefined): CommentHost {
    const host = repo.pulls.get(Number(number)) ?? repo.issues.get(Number(number));
    if (!host) throw new HttpError(404, 'Not Found');
    return host;
  }

  private findIssueComment(
    repo: RepoState,
    id: number,
  ): { host: CommentHost; comment: FakeIssueComment } | undefined {
    for (const host of [...repo.pulls.values(), ...repo.issues.values()]) {
      const comment = host.issueComments.find((candidate) => candidate.id === id);
      if (comment) return { host, comment };
    }
    return undefined;
  }

  private checkBody(body: string): void {
    if (body.length > MAX_BODY)
      throw new HttpError(
        422,
        'Validation Failed',
        [`Body is too long (maximum is ${MAX_BODY} characters)`],
        true,
      );
  }

  private paged(
    items: unknown[],
    query: Record<string, string>,
    base: string,
    path: string,
  ): Response {
    const perPage = Math.min(Math.max(Number(query.per_page ?? 30) || 30, 1), 100);
    const page = Math.max(Number(query.page ?? 1) || 1, 1);
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number): string => {
      const params = new URLSearchParams({ ...query, per_page: String(perPage), page: String(p) });
      return `<${base}${path}?${params.toString()}>`;
    };
    const links: string[] = [];
    if (page < last) links.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
    if (page > 1) links.push(`${link(1)}; rel="first"`, `${link(page - 1)}; rel="prev"`);
    const response = this.json(200, slice);
    if (links.length > 0) response.headers.link = links.join(', ');
    return response;
  }

  private json(status: number, body: unknown): Response {
    return {
      status,
      headers: { ...this.standardHeaders(), 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
    };
  }

  private standardHeaders(): Record<string, string> {
    const used = this.calls.length + 1;
    return {
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': `FAKE:${used}`,
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(Math.max(0, 5000 - used)),
      'x-ratelimit-used': String(used),
      'x-ratelimit-reset': String(Math.floor(this.clock + 3600)),
      'x-ratelimit-resource': 'core',
    };
  }

  private now(): string {
    this.clock += 1;
    return isoTime(this.clock);
  }

  private id(): number {
    return this.nextId++;
  }

  private repoOrThrow(owner: string, repo: string): RepoState {
    const state = this.repos.get(`${owner}/${repo}`.toLowerCase());
    if (!state) throw new Error(`no repository ${owner}/${repo}; call createRepo first`);
    return state;
  }

  private pullOrThrow(repo: RepoState, number: number): PullState {
    const pull = repo.pulls.get(number);
    if (!pull) throw new Error(`no pull request #${number} in ${repo.owner}/${repo.name}`);
    return pull;
  }

  private commitOrThrow(sha: string): StoredCommit {
    const commit = this.store.commits.get(sha);
    if (!commit) throw new Error(`no commit ${sha}`);
    return commit;
  }

  // ───────────────────────────── JSON shapes ─────────────────────────────

  private userJson(login: string, type?: 'User' | 'Bot'): Record<string, unknown> {
    const bot = type === undefined ? login.endsWith('[bot]') : type === 'Bot';
    const id = numericId(login);
    return {
      login,
      id,
      node_id: Buffer.from(`${bot ? 'Bot' : 'User'}${id}`).toString('base64'),
      avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
      gravatar_id: '',
      url: `https://api.github.com/users/${encodeURIComponent(login)}`,
      ...userUrls(login),
      html_url: bot
        ? `https://github.com/apps/${login.replace(/\[bot\]$/, '')}`
        : `https://github.com/${login}`,
      type: bot ? 'Bot' : 'User',
      site_admin: false,
    };
  }

  private installationJson(repo: RepoState): Record<string, unknown> {
    return {
      id: repo.installationId,
      node_id: Buffer.from(`Installation${repo.installationId}`).toString('base64'),
    };
  }

  /** A check suite as webhooks carry it (`check_run.check_suite`, `check_suite`). */
  private checkSuiteJson(
    repo: RepoState,
    headSha: string,
    example: Record<string, unknown>,
  ): Record<string, unknown> {
    const id = this.checkSuiteId(repo, headSha);
    const runs = repo.checkRuns.filter((run) => run.head_sha === headSha);
    const done = runs.length > 0 && runs.every((run) => run.status === 'completed');
    const headBranch =
      [...repo.branches.entries()].find(([, sha]) => sha === headSha)?.[0] ??
      [...repo.pulls.values()].find((pull) => pull.headSha === headSha)?.headRef ??
      null;
    const parent = this.store.commits.get(headSha)?.parents[0] ?? null;
    return {
      ...example,
      id,
      node_id: Buffer.from(`CheckSuite${id}`).toString('base64'),
      head_branch: headBranch,
      head_sha: headSha,
      status: done ? 'completed' : runs.length > 0 ? 'in_progress' : 'queued',
      conclusion: done ? (runs[runs.length - 1]?.conclusion ?? null) : null,
      url: `https://api.github.com/repos/${repo.owner}/${repo.name}/check-suites/${id}`,
      before: parent,
      after: headSha,
      pull_requests: this.checkPullRequests(repo, headSha),
      app: this.appJson(),
    };
  }

  /** `head_commit` of check suite and merge group payloads. */
  private headCommitJson(commit: StoredCommit): Record<string, unknown> {
    const person = { name: 'Fake Author', email: 'author@example.com' };
    return {
      id: commit.sha,
      tree_id: commit.treeSha,
      message: commit.message,
      timestamp: isoTime(this.clock),
      author: person,
      committer: person,
    };
  }

  private appJson(): Record<string, unknown> {
    return {
      id: this.appId,
      slug: this.appSlug,
      node_id: Buffer.from(`App${this.appId}`).toString('base64'),
      client_id: `Iv1.${this.appId.toString(16).padStart(16, '0')}`,
      owner: this.userJson('app-owner'),
      name: this.appSlug,
      description: 'The fake GitHub app',
      external_url: 'https://example.com',
      html_url: `https://github.com/apps/${this.appSlug}`,
      created_at: isoTime(this.clock - 86_400),
      updated_at: isoTime(this.clock - 86_400),
      permissions: {
        checks: 'write',
        contents: 'read',
        issues: 'write',
        metadata: 'read',
        pull_requests: 'write',
      },
      events: ['pull_request', 'issue_comment', 'check_run', 'check_suite', 'merge_group'],
      installations_count: new Set([...this.repos.values()].map((repo) => repo.installationId))
        .size,
    };
  }

  private repoJson(
    repo: RepoState,
    fork?: { owner: string; repo: string },
  ): Record<string, unknown> {
    const example = pullRequestExample('opened')?.repository as Record<string, unknown> | undefined;
    const owner = fork?.owner ?? repo.owner;
    const name = fork?.repo ?? repo.name;
    const fullName = `${owner}/${name}`;
    return {
      ...example,
      id: fork ? numericId(fullName.toLowerCase()) : repo.id,
      node_id: Buffer.from(`Repository${fork ? numericId(fullName) : repo.id}`).toString('base64'),
      name,
      full_name: fullName,
      private: false,
      owner: this.userJson(owner),
      html_url: `https://github.com/${fullName}`,
      url: `https://api.github.com/repos/${fullName}`,
      fork: fork !== undefined,
      default_branch: repo.defaultBranch,
      visibility: 'public',
      archived: false,
      disabled: false,
    };
  }

  private pullJson(repo: RepoState, pull: PullState): Record<string, unknown> {
    const files = this.changedFiles(pull, pull.headSha);
    const headOwner = pull.fork?.owner ?? repo.owner;
    const html = `https://github.com/${repo.owner}/${repo.name}/pull/${pull.number}`;
    const api = `https://api.github.com/repos/${repo.owner}/${repo.name}`;
    return {
      url: `${api}/pulls/${pull.number}`,
      id: pull.id,
      node_id: `PR_${pull.id}`,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: `${api}/issues/${pull.number}`,
      number: pull.number,
      state: 'open',
      locked: false,
      title: pull.title,
      user: this.userJson(pull.author),
      body: null,
      created_at: pull.createdAt,
      updated_at: pull.updatedAt,
      closed_at: null,
      merged_at: null,
      merge_commit_sha: null,
      head: {
        label: `${headOwner}:${pull.headRef}`,
        ref: pull.headRef,
        sha: pull.headSha,
        user: this.userJson(headOwner),
        repo: this.repoJson(repo, pull.fork),
      },
      base: {
        label: `${repo.owner}:${pull.base}`,
        ref: pull.base,
        sha: pull.baseSha,
        user: this.userJson(repo.owner),
        repo: this.repoJson(repo),
      },
      author_association: pull.fork ? 'CONTRIBUTOR' : 'MEMBER',
      draft: false,
      merged: false,
      mergeable: null,
      rebaseable: null,
      mergeable_state: 'unknown',
      merged_by: null,
      comments: pull.issueComments.length,
      review_comments: pull.threads.reduce((sum, thread) => sum + thread.comments.length, 0),
      maintainer_can_modify: false,
      commits: 1,
      additions: files.reduce((sum, file) => sum + file.additions, 0),
      deletions: files.reduce((sum, file) => sum + file.deletions, 0),
      changed_files: files.length,
    };
  }

  private checkRunJson(repo: RepoState, run: FakeCheckRun): Record<string, unknown> {
    return {
      id: run.id,
      name: run.name,
      node_id: `CR_${run.id}`,
      head_sha: run.head_sha,
      external_id: run.external_id ?? '',
      url: `https://api.github.com/repos/${repo.owner}/${repo.name}/check-runs/${run.id}`,
      html_url: `https://github.com/${repo.owner}/${repo.name}/runs/${run.id}`,
      details_url:
        run.details_url ?? `https://github.com/${repo.owner}/${repo.name}/runs/${run.id}`,
      status: run.status,
      conclusion: run.conclusion,
      started_at: run.started_at,
      completed_at: run.completed_at,
      output: {
        title: run.output.title,
        summary: run.output.summary,
        text: run.output.text,
        annotations_count: run.annotations.length,
        annotations_url: `https://api.github.com/repos/${repo.owner}/${repo.name}/check-runs/${run.id}/annotations`,
      },
      check_suite: { id: this.checkSuiteId(repo, run.head_sha) },
      app: this.appJson(),
      pull_requests: this.checkPullRequests(repo, run.head_sha),
      ...(run.actions.length > 0 ? { actions: run.actions } : {}),
    };
  }

  private checkSuiteId(repo: RepoState, headSha: string): number {
    return numericId(`${repo.id}:${headSha}`);
  }

  /**
   * `pull_requests` of a check run or suite: this repository's open pull requests whose head
   * is the commit, minimal objects as GitHub sends them; empty for pull requests from forks.
   */
  private checkPullRequests(repo: RepoState, headSha: string): Record<string, unknown>[] {
    const api = `https://api.github.com/repos/${repo.owner}/${repo.name}`;
    const repoRef = { id: repo.id, url: api, name: repo.name };
    return [...repo.pulls.values()]
      .filter((pull) => pull.headSha === headSha && pull.fork === undefined)
      .map((pull) => ({
        id: pull.id,
        number: pull.number,
        url: `${api}/pulls/${pull.number}`,
        head: { ref: pull.headRef, sha: pull.headSha, repo: repoRef },
        base: { ref: pull.base, sha: pull.baseSha, repo: repoRef },
      }));
  }

  private reviewCommentJson(
    repo: RepoState,
    pull: PullState,
    comment: FakeThreadComment,
  ): Record<string, unknown> {
    const api = `https://api.github.com/repos/${repo.owner}/${repo.name}`;
    return {
      url: `${api}/pulls/comments/${comment.id}`,
      pull_request_review_id: comment.reviewId ?? null,
      id: comment.id,
      node_id: comment.nodeId,
      diff_hunk: '',
      path: comment.path,
      commit_id: comment.commitId,
      original_commit_id: comment.commitId,
      user: this.userJson(comment.user),
      body: comment.body,
      created_at: comment.createdAt,
      updated_at: comment.createdAt,
      html_url: `https://github.com/${repo.owner}/${repo.name}/pull/${pull.number}#discussion_r${comment.id}`,
      pull_request_url: `${api}/pulls/${pull.number}`,
      author_association: 'NONE',
      _links: {
        self: { href: `${api}/pulls/comments/${comment.id}` },
        html: {
          href: `https://github.com/${repo.owner}/${repo.name}/pull/${pull.number}#discussion_r${comment.id}`,
        },
        pull_request: { href: `${api}/pulls/${pull.number}` },
      },
      line: comment.line,
      original_line: comment.line,
      side: comment.side,
      start_line: comment.startLine ?? null,
      original_start_line: comment.startLine ?? null,
      start_side: comment.startSide ?? null,
      subject_type: 'line',
      ...(comment.inReplyTo === undefined ? {} : { in_reply_to_id: comment.inReplyTo }),
    };
  }

  private issueCommentJson(
    repo: RepoState,
    pull: CommentHost,
    comment: FakeIssueComment,
  ): Record<string, unknown> {
    const api = `https://api.github.com/repos/${repo.owner}/${repo.name}`;
    const bot = comment.user === this.botLogin;
    const kind = repo.pulls.has(pull.number) ? 'pull' : 'issues';
    return {
      id: comment.id,
      node_id: `IC_${comment.id}`,
      url: `${api}/issues/comments/${comment.id}`,
      html_url: `https://github.com/${repo.owner}/${repo.name}/${kind}/${pull.number}#issuecomment-${comment.id}`,
      body: comment.body,
      user: this.userJson(comment.user, comment.userType),
      created_at: comment.createdAt,
      updated_at: comment.updatedAt,
      issue_url: `${api}/issues/${pull.number}`,
      author_association: bot ? 'NONE' : 'MEMBER',
      performed_via_github_app: bot ? this.appJson() : null,
      reactions: reactionRollup(
        `${api}/issues/comments/${comment.id}`,
        repo.reactions.get(comment.id) ?? [],
      ),
    };
  }
}

/** The `…_url` fields of a REST user object (GitHub's `simple-user`). */
function userUrls(login: string): Record<string, string> {
  const api = `https://api.github.com/users/${encodeURIComponent(login)}`;
  return {
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
  };
}

/** GitHub's reaction rollup of an issue or comment. */
function reactionRollup(url: string, reactions: readonly FakeReaction[]): Record<string, unknown> {
  const count = (content: string): number =>
    reactions.filter((reaction) => reaction.content === content).length;
  return {
    url: `${url}/reactions`,
    total_count: reactions.length,
    '+1': count('+1'),
    '-1': count('-1'),
    laugh: count('laugh'),
    hooray: count('hooray'),
    confused: count('confused'),
    heart: count('heart'),
    rocket: count('rocket'),
    eyes: count('eyes'),
  };
}

/** Connection arguments as GraphQL passes them: absent, or an explicit null. */
interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

type WithoutNulls<T> = { [K in keyof T]?: Exclude<T[K], null> };

function withoutNulls<T extends object>(args: T): WithoutNulls<T> {
  return Object.fromEntries(
    Object.entries(args).filter(([, value]) => value !== null && value !== undefined),
  ) as WithoutNulls<T>;
}

/** GitHub wraps base64 content at 60 characters a line (the blobs and contents APIs). */
function base64Lines(data: Buffer): string {
  const text = data.toString('base64');
  const lines: string[] = [];
  for (let index = 0; index < text.length; index += 60) lines.push(text.slice(index, index + 60));
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

interface WebhookDefinition {
  name: string;
  examples: Record<string, unknown>[];
}

let examples: WebhookDefinition[] | undefined;

function pullRequestExample(
  action: string,
): (Record<string, unknown> & { pull_request: object }) | undefined {
  return webhookExample('pull_request', action) as
    (Record<string, unknown> & { pull_request: object }) | undefined;
}

/** A deep copy of `@octokit/webhooks-examples`' first example of `name` with `action`. */
function webhookExample(name: string, action: string): Record<string, unknown> | undefined {
  if (!examples) {
    const require = createRequire(import.meta.url);
    examples = require('@octokit/webhooks-examples') as WebhookDefinition[];
  }
  const definition = examples.find((candidate) => candidate.name === name);
  const example = definition?.examples.find((candidate) => candidate.action === action);
  return example === undefined ? undefined : structuredClone(example);
}

/** An object field of an example payload (the examples are plain JSON). */
function objectField(payload: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = payload[key];
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** GitHub's webhook signature header value: `sha256=` + HMAC-SHA256 of the body. */
export function signWebhook(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
