/**
 * Every webhook payload builder of the fake against GitHub's own JSON schema for that event
 * and action (`x-webhooks` of GitHub's OpenAPI description, extracted into
 * `openapi-webhooks.json` by `npm run openapi:extract`): what the app receives in tests has
 * the shape GitHub sends.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub, interceptGitHub } from './index.js';

const OWNER = 'acme';
const REPO = 'infra';

const { webhooks } = JSON.parse(
  readFileSync(new URL('./openapi-webhooks.json', import.meta.url), 'utf8'),
) as { webhooks: Record<string, object> };

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });

/** Schema problems of `payload` as GitHub's description of `key` (`issue-comment-created`). */
function problems(key: string, payload: object): string[] {
  const schema = webhooks[key];
  if (!schema) return [`no schema ${key}`];
  const validate = ajv.compile(schema);
  if (validate(payload)) return [];
  return (validate.errors ?? [])
    .filter(
      (error) =>
        // The check suite schema's list of app events predates merge queues (it still says
        // `merge_queue_entry`); an app subscribed to `merge_group` is sent that name.
        !(
          /\/app\/events\/\d+$/.test(error.instancePath) &&
          getPath(payload, error.instancePath) === 'merge_group'
        ),
    )
    .map((error) => `${error.instancePath} ${error.message ?? error.keyword}`);
}

/** The value at a JSON pointer (`/check_suite/app/events/4`). */
function getPath(value: unknown, pointer: string): unknown {
  let current = value;
  for (const part of pointer.split('/').slice(1)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

describe("the fake's webhook payloads match GitHub's schemas", () => {
  const fake = new FakeGitHub({ appId: 42 });
  let number = 0;
  let issue = 0;
  let commentId = 0;
  let issueCommentId = 0;
  let head = '';
  let runId = 0;

  beforeAll(async () => {
    fake.createRepo(OWNER, REPO);
    const base = fake.commit(OWNER, REPO, { files: { 'cfn/a.yml': 'a: 1\n' } });
    head = fake.commit(OWNER, REPO, {
      parent: base,
      branch: 'feature',
      files: { 'cfn/a.yml': 'a: 2\n' },
    });
    number = fake.openPullRequest(OWNER, REPO, { base: 'main', headSha: head, headRef: 'feature' });
    issue = fake.openIssue(OWNER, REPO, { title: 'Question', author: 'asker' });
    commentId = fake.addIssueComment(OWNER, REPO, number, 'maint', '/s3-guard recheck');
    issueCommentId = fake.addIssueComment(OWNER, REPO, issue, 'asker', '/s3-guard help');
    // A check run written by the app, through the API as the app would.
    const interception = interceptGitHub(fake);
    try {
      const { Octokit } = await import('@octokit/rest');
      const part = (value: object): string =>
        Buffer.from(JSON.stringify(value)).toString('base64url');
      const jwt = `${part({ alg: 'RS256' })}.${part({ iss: 42 })}.signature`;
      const app = new Octokit({ auth: jwt });
      const { data: token } = await app.request(
        'POST /app/installations/{installation_id}/access_tokens',
        { installation_id: fake.installationId(OWNER, REPO) },
      );
      const gh = new Octokit({ auth: token.token });
      const { data: run } = await gh.rest.checks.create({
        owner: OWNER,
        repo: REPO,
        name: 'S3 endpoint guard',
        head_sha: head,
        status: 'completed',
        conclusion: 'failure',
        output: { title: 'One finding', summary: 'Summary' },
        actions: [{ label: 'Re-evaluate', identifier: 're-evaluate', description: 'Again' }],
      });
      runId = run.id;
    } finally {
      interception.restore();
    }
  });

  it('issue_comment created, edited, deleted (pull request and issue)', () => {
    expect(
      problems('issue-comment-created', fake.issueCommentPayload(OWNER, REPO, number, commentId)),
    ).toEqual([]);
    expect(
      problems(
        'issue-comment-created',
        fake.issueCommentOnIssuePayload(OWNER, REPO, issue, issueCommentId),
      ),
    ).toEqual([]);
    fake.editIssueComment(OWNER, REPO, commentId, '/s3-guard help');
    expect(
      problems(
        'issue-comment-edited',
        fake.issueCommentPayload(OWNER, REPO, number, commentId, 'edited'),
      ),
    ).toEqual([]);
    fake.deleteIssueComment(OWNER, REPO, commentId);
    expect(
      problems(
        'issue-comment-deleted',
        fake.issueCommentPayload(OWNER, REPO, number, commentId, 'deleted'),
      ),
    ).toEqual([]);
  });

  it('check_run rerequested, requested_action, completed', () => {
    expect(
      problems('check-run-rerequested', fake.checkRunPayload(OWNER, REPO, runId, 'rerequested')),
    ).toEqual([]);
    expect(
      problems(
        'check-run-requested-action',
        fake.checkRunPayload(OWNER, REPO, runId, 'requested_action', {
          identifier: 're-evaluate',
          sender: 'maint',
        }),
      ),
    ).toEqual([]);
    expect(
      problems('check-run-completed', fake.checkRunPayload(OWNER, REPO, runId, 'completed')),
    ).toEqual([]);
  });

  it('check_suite requested, rerequested, completed', () => {
    for (const action of ['requested', 'rerequested', 'completed'] as const)
      expect(
        problems(`check-suite-${action}`, fake.checkSuitePayload(OWNER, REPO, head, action)),
      ).toEqual([]);
  });

  it('merge_group checks_requested and destroyed', () => {
    const group = fake.createMergeGroup(OWNER, REPO, { base: 'main', pullNumber: number });
    expect(
      problems('merge-group-checks-requested', fake.mergeGroupPayload(OWNER, REPO, group)),
    ).toEqual([]);
    expect(
      problems('merge-group-destroyed', fake.mergeGroupPayload(OWNER, REPO, group, 'destroyed')),
    ).toEqual([]);
  });
});
