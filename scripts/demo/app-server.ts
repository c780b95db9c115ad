/**
 * Runs a Probot app the way it runs in production — an HTTP server that verifies signed webhooks —
 * but on 127.0.0.1, with a freshly generated private key and webhook secret, and with its
 * Octokit pointed at the local stand-in for GitHub. Nothing here is a credential: the key and
 * secret live for one run and never leave the process.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApplicationFunction } from 'probot';
import { Probot, ProbotOctokit, createNodeMiddleware } from 'probot';

export const WEBHOOK_PATH = '/api/github/webhooks';

export interface RunningApp {
  /** `http://127.0.0.1:<port>/api/github/webhooks` */
  readonly webhookUrl: string;
  readonly secret: string;
  readonly probot: Probot;
  close(): Promise<void>;
}

export interface AppServerOptions {
  readonly appId: number;
  /** The stand-in's base URL (REST at its root, GraphQL at `/graphql`). */
  readonly baseUrl: string;
  readonly logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
}

/**
 * Probot's Octokit without retries and throttling, for a local stand-in: a failed request shows
 * at once, and writes are not spaced a second apart (GitHub's advice for content-creating
 * requests, which the throttling plugin follows in production).
 *
 * A function, not an options object: Probot passes its own `throttle` options to the class, and
 * Octokit merges object defaults shallowly, so `{ throttle: { enabled: false } }` given to
 * `ProbotOctokit.defaults` is silently replaced and throttling stays on.
 */
export const LocalOctokit = ProbotOctokit.defaults(
  (options: ConstructorParameters<typeof ProbotOctokit>[0] = {}) => ({
    ...options,
    retry: { ...options.retry, enabled: false },
    throttle: { ...options.throttle, enabled: false },
  }),
);

/** An RSA key in the PKCS#1 PEM form GitHub hands out for apps. */
export function generatePrivateKey(): string {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return privateKey;
}

export async function startApp(
  appFn: ApplicationFunction,
  options: AppServerOptions,
): Promise<RunningApp> {
  const secret = randomBytes(24).toString('hex');
  const probot = new Probot({
    appId: options.appId,
    privateKey: generatePrivateKey(),
    secret,
    baseUrl: options.baseUrl,
    logLevel: options.logLevel ?? 'warn',
    Octokit: LocalOctokit,
  });
  const middleware = await createNodeMiddleware(appFn, { probot, webhooksPath: WEBHOOK_PATH });
  const server = createServer((request, response) => {
    void Promise.resolve(
      middleware(request, response, () => {
        response.writeHead(404).end();
      }),
    ).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    webhookUrl: `http://127.0.0.1:${port}${WEBHOOK_PATH}`,
    secret,
    probot,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
