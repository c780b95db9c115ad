/**
 * A Probot instance wired to the fake GitHub, for end-to-end tests: a real app function, real
 * JWT/installation-token authentication against the fake, GitHub's webhook payloads delivered
 * with `probot.receive`. Retries and throttling are off so a test sees each request once.
 */
import { generateKeyPairSync } from 'node:crypto';
import { Probot, ProbotOctokit, type ApplicationFunction } from 'probot';
import { FakeGitHub } from './fake.js';
import { interceptGitHub } from './transport.js';

let key: string | undefined;

/** One RSA key per process: generating it takes a while, and any key does for the fake. */
export function testPrivateKey(): string {
  key ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
  return key;
}

/**
 * Probot's Octokit without retries and without write throttling (which spaces writes a second
 * apart). A function, not an options object: Probot passes its own `throttle` and `retry`
 * options, and Octokit merges object defaults shallowly, so `{ throttle: { enabled: false } }`
 * would be replaced and throttling would stay on.
 */
export const UnthrottledOctokit = ProbotOctokit.defaults(
  (options: ConstructorParameters<typeof ProbotOctokit>[0] = {}) => ({
    ...options,
    retry: { ...options.retry, enabled: false },
    throttle: { ...options.throttle, enabled: false },
  }),
);

export interface ProbotHarness {
  readonly probot: Probot;
  /** Delivers a `pull_request` payload built by `fake.pullRequestPayload`. */
  receivePullRequest(payload: object, id?: string): Promise<void>;
  /**
   * Delivers any event (`issue_comment`, `check_run`, `check_suite`, `merge_group`, …) with a
   * payload built by the fake's builders.
   */
  receive(name: string, payload: object, id?: string): Promise<void>;
}

let deliveries = 0;

export async function startProbot(
  fake: FakeGitHub,
  app: ApplicationFunction,
  options: { secret?: string } = {},
): Promise<ProbotHarness> {
  const probot = new Probot({
    appId: fake.appId,
    privateKey: testPrivateKey(),
    secret: options.secret ?? 'webhook-secret',
    logLevel: 'fatal',
    Octokit: UnthrottledOctokit,
  });
  await probot.load(app);
  return {
    probot,
    async receivePullRequest(payload, id) {
      deliveries++;
      await probot.receive({
        id: id ?? `delivery-${deliveries}`,
        name: 'pull_request',
        payload: payload as never,
      });
    },
    async receive(name, payload, id) {
      deliveries++;
      // Probot types `name` as the union of event names; the payload is the builder's.
      await probot.receive({
        id: id ?? `delivery-${deliveries}`,
        name: name as 'pull_request',
        payload: payload as never,
      });
    },
  };
}

/**
 * A fresh fake GitHub holding one repository, answered through nock, and an installation client
 * for that repository (a Probot with no app loaded): the setting of the tests that run the
 * GitHub layer directly. `restore()` removes the interception.
 */
export async function fakeRepository(
  owner: string,
  repo: string,
): Promise<{
  fake: FakeGitHub;
  restore: () => void;
  client: Awaited<ReturnType<Probot['auth']>>;
}> {
  const fake = new FakeGitHub();
  const { restore } = interceptGitHub(fake);
  fake.createRepo(owner, repo);
  const harness = await startProbot(fake, () => undefined);
  const client = await harness.probot.auth(fake.installationId(owner, repo));
  return { fake, restore, client };
}
