/**
 * A tiny scripted GitHub for publish tests: each expected request is registered with nock in
 * order, and every request that arrives is recorded (method, path, decoded JSON body) so tests
 * can assert the exact sequence and bodies. Nothing reaches the network.
 */
import { Octokit } from '@octokit/rest';
import nock from 'nock';
import type { GitHubClient, PullRequestTarget } from '../../../src/github/types.js';
import { requestProblems } from './contract.js';

export interface RecordedCall {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

export const API = 'https://api.github.com';

export const target: PullRequestTarget = {
  owner: 'acme',
  repo: 'infra',
  number: 7,
  headSha: 'f00dfeed00000000000000000000000000000001',
  baseSha: 'ba5eba5e00000000000000000000000000000002',
  baseRef: 'main',
  defaultBranch: 'main',
  author: 'alice',
};

export function client(): GitHubClient {
  const silent = () => undefined;
  return new Octokit({
    auth: 'test-token',
    log: { debug: silent, info: silent, warn: silent, error: silent },
  });
}

const recorded: RecordedCall[] = [];

/**
 * Problems with every request recorded since the last call, checked against GitHub's REST
 * and GraphQL descriptions; tests assert it is empty after each case.
 */
export function takeContractProblems(): string[] {
  const problems = recorded.flatMap((call) => requestProblems(call.method, call.path, call.body));
  recorded.length = 0;
  return problems;
}

export function fakeGitHub() {
  const calls: RecordedCall[] = [];
  const scope = nock(API);
  const on = (
    method: 'GET' | 'POST' | 'PATCH',
    path: string | RegExp,
    status: number,
    response: nock.Body = {},
    headers: Record<string, string> = {},
  ) => {
    scope.intercept(path, method).reply(function (uri, body) {
      const call = { method, path: uri, body: body === '' ? undefined : body };
      calls.push(call);
      recorded.push(call);
      return [status, response, headers];
    });
  };
  return { calls, on, scope };
}

/** Records waits instead of sleeping. */
export function fakeSleep() {
  const waits: number[] = [];
  const sleep = (milliseconds: number) => {
    waits.push(milliseconds);
    return Promise.resolve();
  };
  return { waits, sleep };
}

export const FIXED_NOW = new Date('2026-11-28T06:00:00.000Z');
