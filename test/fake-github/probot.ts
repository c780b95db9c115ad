/**
 * A Probot instance wired to the fake GitHub, for end-to-end tests: a real app function, real
 * JWT/installation-token authentication against the fake, GitHub's webhook payloads delivered
 * with `probot.receive`. Retries and throttling are off so a test sees each request once.
 */
import { generateKeyPairSync } from 'node:crypto';
import { Probot, ProbotOctokit, type ApplicationFunction } from 'probot';
import type { FakeGitHub } from './fake.js';

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

export interface ProbotHarness {
  readonly probot: Probot;
  /** Delivers a `pull_request` payload built by `fake.pullRequestPayload`. */
  receivePullRequest(payload: object, id?: string): Promise<void>;
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
    Octokit: ProbotOctokit.defaults({
      retry: { enabled: false },
      throttle: { enabled: false },
    }),
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
  };
}
