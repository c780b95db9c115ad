/**
 * `s3-endpoint-guard pr <owner>/<repo>#<n> [--post] [--format markdown|json]`: the GitHub App's
 * evaluation of one live pull request, run with a token instead of an app installation. By
 * default a dry run: it prints everything the app would publish (check run, annotations, review
 * comments, threads to resolve, summary comment) and changes nothing. `--post` publishes it:
 * for CI systems that prefer a token to installing an app.
 *
 * The same `src/github/` code as the app runs here; only the client differs (`@octokit/rest`
 * with `GITHUB_TOKEN`/`GH_TOKEN`, `GITHUB_API_URL` for GitHub Enterprise Server).
 */
import { parseArgs } from 'node:util';
import { Octokit } from '@octokit/rest';
import { statusOf } from '../github/client.js';
import { serverUrlOfApi } from '../github/server-url.js';
import { targetOfPullRequest } from '../github/target.js';
import type { GitHubClient, Publication, PullRequestTarget } from '../github/types.js';
import type { RunPullRequestOptions, RunPullRequestResult } from '../github/run.js';
import { toolInfo } from './tool-info.js';

export const PR_HELP = `Usage: s3-endpoint-guard pr <owner>/<repo>#<number> [options]

Evaluates a pull request on GitHub as the GitHub App would, and prints what it would publish:
the check run (conclusion, summary, annotations), review comments, threads to resolve and the
summary comment. Nothing is changed unless --post is given. The configuration is read from the
repository's default branch (.github/s3-endpoint-guard.yml), as the app reads it.

Options:
  --post                 publish it: the "S3 endpoint guard" check run, the review and the
                         summary comment. Check runs need a GitHub App token (such as GitHub
                         Actions' GITHUB_TOKEN with checks: write); with a personal token the
                         result is posted as a commit status of the same name instead (no
                         annotations; the review and summary comment are the same)
  --format <fmt>         markdown (default) or json (the Publication as data)
  -h, --help             show this help

The pull request may also be given as its URL (https://github.com/owner/repo/pull/12).

Environment:
  GITHUB_TOKEN or GH_TOKEN   a token that can read the repository
  GITHUB_API_URL             the API of GitHub Enterprise Server
                             (https://ghes.example.com/api/v3; default https://api.github.com)

Exit codes: 0 the check would pass, 1 it would fail (a blocking finding), 2 usage error,
invalid configuration, or the pull request could not be evaluated.
`;

export const PR_EXIT_OK = 0;
export const PR_EXIT_FINDINGS = 1;
export const PR_EXIT_USAGE = 2;

const FORMATS = ['markdown', 'json'] as const;
type PrFormat = (typeof FORMATS)[number];

export interface PrIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** `runPullRequest` (src/github/run.ts), as far as this command uses it. */
export type PrRunPullRequest = (
  client: GitHubClient,
  target: PullRequestTarget,
  options: Pick<
    RunPullRequestOptions,
    'botLogin' | 'docsBaseUri' | 'serverUrl' | 'dryRun' | 'statusFallback' | 'log'
  >,
) => Promise<Pick<RunPullRequestResult, 'evaluation' | 'publication'> & { report?: unknown }>;

export interface PrDependencies {
  readonly runPullRequest: PrRunPullRequest;
  /** The render helper's Markdown document of a Publication. */
  readonly formatPublication: (publication: Publication, target: PullRequestTarget) => string;
  /** Tests may pass their own client; by default `@octokit/rest` with the token. */
  readonly createClient?: (options: { token: string; baseUrl: string }) => GitHubClient;
}

/** The real GitHub layer. */
export async function defaultPrDependencies(): Promise<PrDependencies> {
  const [{ runPullRequest }, { formatPublication }] = await Promise.all([
    import('../github/run.js'),
    import('../github/render/index.js'),
  ]);
  return { runPullRequest, formatPublication };
}

class PrUsageError extends Error {}

interface PrArguments {
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
  readonly post: boolean;
  readonly format: PrFormat;
}

const OWNER = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})';
const REPO = '[A-Za-z0-9._-]{1,100}';
const SHORT_FORM = new RegExp(`^(${OWNER})/(${REPO})#([1-9][0-9]{0,9})$`);
const URL_FORM = new RegExp(`^https?://[^/\\s]+/(${OWNER})/(${REPO})/pull/([1-9][0-9]{0,9})/?$`);

export function parsePrArguments(argv: readonly string[]): PrArguments | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        post: { type: 'boolean' },
        format: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new PrUsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length !== 1) {
    throw new PrUsageError(
      positionals.length === 0
        ? 'missing the pull request (owner/repo#number)'
        : `expected one pull request, got ${positionals.length} arguments`,
    );
  }
  const given = positionals[0] ?? '';
  const match = SHORT_FORM.exec(given) ?? URL_FORM.exec(given);
  if (!match || match[1] === undefined || match[2] === undefined || match[3] === undefined) {
    throw new PrUsageError(
      `the pull request must be owner/repo#number or its URL (got ${JSON.stringify(given)})`,
    );
  }
  const format = values.format ?? 'markdown';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new PrUsageError(`--format must be one of ${FORMATS.join(', ')} (got "${format}")`);
  }
  return {
    owner: match[1],
    repo: match[2],
    number: Number(match[3]),
    post: values.post === true,
    format: format as PrFormat,
  };
}

export async function runPr(
  argv: readonly string[],
  io: PrIo,
  dependencies: PrDependencies,
): Promise<number> {
  let args: PrArguments | 'help';
  try {
    args = parsePrArguments(argv);
  } catch (error) {
    if (!(error instanceof PrUsageError)) throw error;
    io.stderr(
      `s3-endpoint-guard pr: ${error.message}\nRun "s3-endpoint-guard pr --help" for usage.\n`,
    );
    return PR_EXIT_USAGE;
  }
  if (args === 'help') {
    io.stdout(PR_HELP);
    return PR_EXIT_OK;
  }
  const token = nonEmpty(io.env.GITHUB_TOKEN) ?? nonEmpty(io.env.GH_TOKEN);
  if (token === undefined) {
    io.stderr(
      's3-endpoint-guard pr: set GITHUB_TOKEN (or GH_TOKEN) to a token that can read the repository\n',
    );
    return PR_EXIT_USAGE;
  }
  const baseUrl = (nonEmpty(io.env.GITHUB_API_URL) ?? 'https://api.github.com').replace(/\/+$/, '');
  const client = (dependencies.createClient ?? createRestClient)({ token, baseUrl });
  const name = `${args.owner}/${args.repo}#${args.number}`;
  const fail = (message: string): number => {
    io.stderr(`s3-endpoint-guard pr: ${message}\n`);
    return PR_EXIT_USAGE;
  };

  let target: PullRequestTarget;
  try {
    target = await readTarget(client, args);
  } catch (error) {
    const status = statusOf(error);
    if (status === 404) return fail(`${name} was not found, or the token cannot read it`);
    if (status === 401) return fail('the token was refused (401): is it valid and unexpired?');
    return fail(`cannot read ${name}: ${messageOf(error)}`);
  }
  let botLogin: string;
  try {
    botLogin = await tokenLogin(client, io.env);
  } catch (error) {
    return fail(`cannot tell whose token this is (GET /user): ${messageOf(error)}`);
  }

  let outcome: Awaited<ReturnType<PrRunPullRequest>>;
  try {
    outcome = await dependencies.runPullRequest(client, target, {
      botLogin,
      docsBaseUri: toolInfo().docsBaseUri,
      // GitHub Actions says where it runs; otherwise the API URL tells.
      serverUrl: nonEmpty(io.env.GITHUB_SERVER_URL) ?? serverUrlOfApi(baseUrl),
      dryRun: !args.post,
      statusFallback: true,
      log: (message) => io.stderr(`${message}\n`),
    });
  } catch (error) {
    // An evaluation's failures are values; what throws is publishing (or a bug): say what to do.
    const hint =
      args.post && statusOf(error) === 403
        ? '; the token needs write access to the pull request (pull requests, issues and commit statuses), or leave out --post for a dry run'
        : '';
    const what = args.post ? 'publish to' : 'evaluate';
    return fail(`could not ${what} ${name}: ${messageOf(error)}${hint}`);
  }
  const { evaluation, publication } = outcome;
  io.stdout(
    args.format === 'json'
      ? `${JSON.stringify(publication, null, 2)}\n`
      : ensureNewline(dependencies.formatPublication(publication, target)),
  );
  if (args.post) io.stderr(`published to ${name} as ${botLogin}\n`);
  if (evaluation.kind === 'config-error' || evaluation.kind === 'error') {
    io.stderr(
      evaluation.kind === 'config-error'
        ? `s3-endpoint-guard pr: the repository's configuration (${evaluation.file}) is invalid\n`
        : `s3-endpoint-guard pr: could not evaluate ${name}: ${evaluation.message}\n`,
    );
    return PR_EXIT_USAGE;
  }
  return publication.check.conclusion === 'failure' ? PR_EXIT_FINDINGS : PR_EXIT_OK;
}

function createRestClient(options: { token: string; baseUrl: string }): GitHubClient {
  return new Octokit({
    auth: options.token,
    baseUrl: options.baseUrl,
    userAgent: `${toolInfo().name}/${toolInfo().version}`,
    // Octokit logs failed requests to the console; this command reports them itself.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
}

/** The pull request as the app's webhook would describe it. */
async function readTarget(client: GitHubClient, args: PrArguments): Promise<PullRequestTarget> {
  const { data: pr } = await client.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
    owner: args.owner,
    repo: args.repo,
    pull_number: args.number,
  });
  // The canonical names (GitHub redirects renamed repositories and ignores case).
  return targetOfPullRequest(pr, {
    owner: pr.base.repo.owner.login,
    repo: pr.base.repo.name,
    defaultBranch: pr.base.repo.default_branch,
  });
}

/**
 * Whose comments are "ours" (recognised and edited instead of duplicated): the token's user.
 * GitHub Actions' token cannot call `GET /user`; what it writes appears as
 * `github-actions[bot]`.
 */
async function tokenLogin(
  client: GitHubClient,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string> {
  try {
    const { data } = await client.request('GET /user');
    return data.login;
  } catch (error) {
    if (statusOf(error) === 403 && env.GITHUB_ACTIONS === 'true') return 'github-actions[bot]';
    throw error;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
