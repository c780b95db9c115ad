/**
 * Two ways to put the fake GitHub behind a URL: nock interception for tests (nothing may reach
 * the network: every request to the API host goes to the fake, every other host is refused),
 * and a real HTTP server on 127.0.0.1 for the demo and the benchmark.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import type { FakeGitHub } from './fake.js';

function flatHeaders(
  headers: IncomingHttpHeaders | Record<string, unknown>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

/**
 * Routes every request to `baseUrl` (default https://api.github.com) to the fake, through
 * nock, with real network access disabled. For GitHub Enterprise style URLs
 * (`https://ghe.example/api/v3`) the prefix is stripped, and `/api/graphql` is GraphQL.
 */
export function interceptGitHub(
  fake: FakeGitHub,
  options: { baseUrl?: string } = {},
): {
  /** Requests to any other host, refused (URLs): tests of hostile content expect none. */
  readonly refused: string[];
  restore(): void;
} {
  const baseUrl = new URL(options.baseUrl ?? 'https://api.github.com');
  const prefix = baseUrl.pathname.replace(/\/+$/, '');
  const graphqlPath = prefix.endsWith('/v3')
    ? `${prefix.slice(0, -3)}/graphql`
    : `${prefix}/graphql`;
  nock.disableNetConnect();
  const refused: string[] = [];
  const onNoMatch = (request: { href?: string; host?: string; path?: string }): void => {
    refused.push(request.href ?? `${request.host ?? '?'}${request.path ?? ''}`);
  };
  nock.emitter.on('no match', onNoMatch);
  const scope = nock(baseUrl.origin).persist();
  for (const method of ['get', 'post', 'patch', 'put', 'delete'] as const) {
    scope
      .intercept(() => true, method.toUpperCase())
      .reply(async function (uri, requestBody) {
        const url = new URL(uri, baseUrl.origin);
        let path = url.pathname;
        if (path === graphqlPath) path = '/graphql';
        else if (prefix !== '' && path.startsWith(`${prefix}/`)) path = path.slice(prefix.length);
        const body =
          requestBody === undefined || requestBody === ''
            ? undefined
            : typeof requestBody === 'string'
              ? requestBody
              : JSON.stringify(requestBody);
        const response = await fake.handle({
          method: method.toUpperCase(),
          url: `${path}${url.search}`,
          headers: flatHeaders(this.req.headers),
          ...(body === undefined ? {} : { body }),
          baseUrl: `${baseUrl.origin}${prefix}`,
        });
        return [response.status, response.body, response.headers];
      });
  }
  return {
    refused,
    restore() {
      nock.emitter.removeListener('no match', onNoMatch);
      nock.cleanAll();
      nock.enableNetConnect();
    },
  };
}

/** Serves the fake on 127.0.0.1 (a free port unless given): `url` is the API base URL. */
export async function serveGitHub(
  fake: FakeGitHub,
  options: { port?: number } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  let base = '';
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      fake
        .handle({
          method: request.method ?? 'GET',
          url: request.url ?? '/',
          headers: flatHeaders(request.headers),
          ...(body === '' ? {} : { body }),
          baseUrl: base,
        })
        .then(
          (answer) => {
            response.writeHead(answer.status, answer.headers);
            response.end(answer.body);
          },
          (error: unknown) => {
            response.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
            response.end(JSON.stringify({ message: String(error) }));
          },
        );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
