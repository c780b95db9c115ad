import { Octokit } from '@octokit/rest';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isWrite, queueWrites, WriteQueues } from '../../src/github/write-queue.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe('isWrite', () => {
  it('tells writes from reads', () => {
    expect(isWrite({ method: 'GET', url: '/repos/o/r/pulls/1/files' })).toBe(false);
    expect(isWrite({ method: 'POST', url: '/repos/o/r/check-runs' })).toBe(true);
    expect(isWrite({ method: 'PATCH', url: '/repos/o/r/issues/comments/3' })).toBe(true);
    expect(isWrite({ method: 'POST', url: '/graphql', query: 'query { viewer { login } }' })).toBe(
      false,
    );
    expect(isWrite({ method: 'POST', url: '/graphql', query: '{ viewer { login } }' })).toBe(false);
    expect(
      isWrite({
        method: 'POST',
        url: '/graphql',
        query:
          '# resolve\n mutation($id: ID!) { resolveReviewThread(input: { threadId: $id }) { thread { id } } }',
      }),
    ).toBe(true);
    expect(isWrite({ method: 'POST', url: '/app/installations/7/access_tokens' })).toBe(false);
  });
});

describe('WriteQueues', () => {
  it('runs one key’s tasks in order, other keys alongside, and survives a failure', async () => {
    const queues = new WriteQueues();
    const events: string[] = [];
    const task =
      (name: string, ms: number, fail = false) =>
      async () => {
        events.push(`${name} start`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        events.push(`${name} end`);
        if (fail) throw new Error(name);
        return name;
      };
    const a1 = queues.run('a', task('a1', 30, true));
    const a2 = queues.run('a', task('a2', 5));
    const b1 = queues.run('b', task('b1', 5));
    await expect(a1).rejects.toThrow('a1');
    await expect(a2).resolves.toBe('a2');
    await expect(b1).resolves.toBe('b1');
    // b1 ran while a1 was still running; a2 waited for a1 although a1 failed.
    expect(events.indexOf('b1 start')).toBeLessThan(events.indexOf('a1 end'));
    expect(events.indexOf('a2 start')).toBeGreaterThan(events.indexOf('a1 end'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(queues.size).toBe(0);
  });
});

describe('queueWrites on an Octokit', () => {
  it('serialises writes of one installation and lets reads pass', async () => {
    // When each request reached the server (nock's delay holds back the first write's answer).
    const arrived = new Map<string, number>();
    const mark = (name: string) => arrived.set(name, performance.now());
    const api = nock('https://api.github.com')
      .post('/repos/o/r/issues/1/comments')
      .delay(400)
      .reply(201, () => {
        mark('first write');
        return { id: 1 };
      })
      .post('/repos/o/r/issues/1/comments')
      .reply(201, () => {
        mark('second write');
        return { id: 2 };
      })
      .get('/repos/o/r/pulls/1')
      .reply(200, () => {
        mark('read');
        return { number: 1 };
      })
      .post('/graphql')
      .reply(200, () => {
        mark('query');
        return { data: { viewer: { login: 'x' } } };
      });
    const queues = new WriteQueues();
    const one = new Octokit({ auth: 't' });
    const two = new Octokit({ auth: 't' });
    queueWrites(one, queues, '7');
    queueWrites(two, queues, '7');
    const first = one.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner: 'o',
      repo: 'r',
      issue_number: 1,
      body: 'a',
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = two.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner: 'o',
      repo: 'r',
      issue_number: 1,
      body: 'b',
    });
    const read = two.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
      owner: 'o',
      repo: 'r',
      pull_number: 1,
    });
    const query = two.graphql('query { viewer { login } }');
    await Promise.all([first, second, read, query]);
    const at = (name: string): number => arrived.get(name) ?? Number.NaN;
    // The second write was sent only once the first was answered; reads did not wait.
    expect(at('second write') - at('first write')).toBeGreaterThanOrEqual(350);
    expect(at('read') - at('first write')).toBeLessThan(350);
    expect(at('query') - at('first write')).toBeLessThan(350);
    expect(api.isDone()).toBe(true);
  });
});
