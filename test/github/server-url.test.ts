import { describe, expect, it } from 'vitest';
import { serverUrlOfApi, serverUrlOfEnv } from '../../src/github/server-url.js';

describe('server URL for links', () => {
  it('derives the web address from the API URL', () => {
    expect(serverUrlOfApi('https://api.github.com')).toBe('https://github.com');
    expect(serverUrlOfApi('https://api.github.com/')).toBe('https://github.com');
    expect(serverUrlOfApi('https://ghe.example.com/api/v3')).toBe('https://ghe.example.com');
    expect(serverUrlOfApi('http://ghe.test:8080/api/v3/')).toBe('http://ghe.test:8080');
    // Anything unrecognised: github.com rather than a guess.
    expect(serverUrlOfApi('https://proxy.example.com/github')).toBe('https://github.com');
  });

  it("reads Probot's GitHub Enterprise Server variables", () => {
    expect(serverUrlOfEnv({})).toBe('https://github.com');
    expect(serverUrlOfEnv({ GHE_HOST: 'ghe.example.com' })).toBe('https://ghe.example.com');
    expect(serverUrlOfEnv({ GHE_HOST: 'ghe.test', GHE_PROTOCOL: 'http' })).toBe('http://ghe.test');
    expect(serverUrlOfEnv({ GHE_HOST: '  ' })).toBe('https://github.com');
  });
});
