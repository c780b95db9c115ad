/**
 * Loading the repository's configuration from GitHub: default branch only, the owner's `.github`
 * repository as fallback, `_extends` chains merged key by key with lists replaced, and problems
 * reported at their exact file and line.
 */
import { Octokit } from '@octokit/rest';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatConfigProblem } from '../../src/config/parse.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { loadRepoConfig, parseExtends } from '../../src/github/config.js';
import type { LoadedConfig } from '../../src/github/types.js';
import { rules } from '../../src/rules/index.js';

const API = 'https://api.github.com';
const ruleIds = rules.map((rule) => rule.id);
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const client = new Octokit({ auth: 'test-token', log: quiet });
const REPO = { owner: 'acme', repo: 'infra', defaultBranch: 'trunk' };
const YML = '.github/s3-endpoint-guard.yml';
const YAML = '.github/s3-endpoint-guard.yaml';

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});
afterAll(() => nock.enableNetConnect());

/** Serves `text` at `owner/repo:path` (at `ref` when given, else without a ref). */
function file(ownerRepo: string, path: string, text: string, ref?: string): void {
  const content = Buffer.from(text, 'utf8');
  contents(ownerRepo, path, ref).reply(200, {
    type: 'file',
    encoding: 'base64',
    size: content.length,
    name: path.split('/').pop(),
    path,
    content: content.toString('base64'),
  });
}

function missing(ownerRepo: string, path: string, ref?: string): void {
  contents(ownerRepo, path, ref).reply(404, { message: 'Not Found' });
}

function contents(ownerRepo: string, path: string, ref?: string) {
  const scope = nock(API).get(`/repos/${ownerRepo}/contents/${encodeURIComponent(path)}`);
  return scope.query((query) =>
    ref === undefined ? Object.keys(query).length === 0 : query.ref === ref,
  );
}

async function load(): Promise<LoadedConfig> {
  return loadRepoConfig(client, REPO, { ruleIds });
}

function okConfig(loaded: LoadedConfig) {
  if (!loaded.ok) throw new Error(loaded.errors.map(formatConfigProblem).join('\n'));
  return loaded;
}

function errors(loaded: LoadedConfig): string[] {
  if (loaded.ok) throw new Error('expected a config error');
  return loaded.errors.map(formatConfigProblem);
}

describe('loadRepoConfig: where the configuration is read', () => {
  it('reads .github/s3-endpoint-guard.yml from the default branch', async () => {
    file('acme/infra', YML, 'failOn: warning\n', 'trunk');
    const loaded = okConfig(await load());
    expect(loaded.config.failOn).toBe('warning');
    expect(loaded.file).toBe('acme/infra:.github/s3-endpoint-guard.yml');
    expect(loaded.warnings).toEqual([]);
  });

  it('falls back to the .yaml name', async () => {
    missing('acme/infra', YML, 'trunk');
    file('acme/infra', YAML, 'block: all\n', 'trunk');
    const loaded = okConfig(await load());
    expect(loaded.config.block).toBe('all');
    expect(loaded.file).toBe('acme/infra:.github/s3-endpoint-guard.yaml');
  });

  it("falls back to the owner's .github repository (at its own default branch)", async () => {
    missing('acme/infra', YML, 'trunk');
    missing('acme/infra', YAML, 'trunk');
    file('acme/.github', YML, 'comments:\n  max: 3\n');
    const loaded = okConfig(await load());
    expect(loaded.config.comments).toEqual({ max: 3, summary: 'on-findings' });
    expect(loaded.file).toBe('acme/.github:.github/s3-endpoint-guard.yml');
  });

  it('uses the defaults when no file exists anywhere', async () => {
    for (const repo of ['acme/infra', 'acme/.github']) {
      missing(repo, YML, repo === 'acme/infra' ? 'trunk' : undefined);
      missing(repo, YAML, repo === 'acme/infra' ? 'trunk' : undefined);
    }
    expect(await load()).toEqual({ ok: true, config: DEFAULT_CONFIG, warnings: [] });
  });

  it('does not look in .github twice when the repository is .github itself', async () => {
    missing('acme/.github', YML, 'main');
    missing('acme/.github', YAML, 'main');
    const loaded = await loadRepoConfig(
      client,
      { owner: 'acme', repo: '.github', defaultBranch: 'main' },
      { ruleIds },
    );
    expect(loaded).toEqual({ ok: true, config: DEFAULT_CONFIG, warnings: [] });
  });

  it('throws GitHub failures other than 404 (an outage is not a config error)', async () => {
    contents('acme/infra', YML, 'trunk').reply(500, { message: 'boom' });
    await expect(load()).rejects.toMatchObject({ status: 500 });
  });

  it('reports an invalid file with the exact line, prefixed by owner/repo', async () => {
    file('acme/infra', YML, 'failOn: error\nrules:\n  no-such-rule: off\n', 'trunk');
    const loaded = await load();
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.file).toBe('acme/infra:.github/s3-endpoint-guard.yml');
    expect(errors(loaded)[0]).toMatch(
      /^acme\/infra:\.github\/s3-endpoint-guard\.yml:3: rules\.no-such-rule: unknown rule/,
    );
  });

  it('refuses a directory or an oversized file', async () => {
    contents('acme/infra', YML, 'trunk').reply(200, [{ type: 'file', name: 'x' }]);
    expect(errors(await load())).toEqual([
      'acme/infra:.github/s3-endpoint-guard.yml: (file): is not a file',
    ]);
    contents('acme/infra', YML, 'trunk').reply(200, {
      type: 'file',
      encoding: 'none',
      size: 2_000_000,
      content: '',
    });
    expect(errors(await load())[0]).toMatch(/is larger than 256 KB/);
  });

  it('reads no file from the pull request: only the default branch is asked', async () => {
    // Every request above carries ref=<default branch>; an unexpected ref would not match.
    file('acme/infra', YML, '', 'trunk');
    expect(okConfig(await load()).config).toEqual(DEFAULT_CONFIG);
  });
});

describe('loadRepoConfig: _extends', () => {
  it('inherits from the .github repository: mappings merge, lists are replaced', async () => {
    file(
      'acme/infra',
      YML,
      [
        '_extends: .github',
        'rules:',
        '  sourceip-private-range: warning',
        'paths:',
        '  exclude: [legacy/**]',
        'ignore:',
        '  - rule: unknown-s3-action',
        '    path: sandbox/**',
        '    reason: preview actions',
        'comments:',
        '  max: 5',
      ].join('\n'),
      'trunk',
    );
    file(
      'acme/.github',
      YML,
      [
        'failOn: warning',
        'rules:',
        '  endpoint-cross-region: off',
        '  sourceip-private-range: error',
        'paths:',
        '  include: [infra/**]',
        '  exclude: [vendor/**, third_party/**]',
        'ignore:',
        '  - rule: endpoint-hardcoded-region',
        '    path: old/**',
        '    reason: org-wide',
        'comments:',
        '  summary: always',
        'endpoints:',
        '  - id: vpce-0a1b2c3d',
      ].join('\n'),
    );
    const loaded = okConfig(await load());
    expect(loaded.file).toBe('acme/infra:.github/s3-endpoint-guard.yml');
    const config = loaded.config;
    expect(config.failOn).toBe('warning');
    expect(config.rules).toEqual({
      'endpoint-cross-region': 'off',
      'sourceip-private-range': 'warning',
    });
    expect(config.paths).toEqual({ include: ['infra/**'], exclude: ['legacy/**'] });
    expect(config.ignore).toEqual([
      { rule: 'unknown-s3-action', path: 'sandbox/**', reason: 'preview actions', line: 7 },
    ]);
    expect(config.comments).toEqual({ max: 5, summary: 'always' });
    expect(config.endpoints).toEqual([{ id: 'vpce-0a1b2c3d' }]);
    expect(Object.isFrozen(config.rules)).toBe(true);
  });

  it("drops lines of a base's ignore entries (they belong to another file)", async () => {
    file('acme/infra', YML, '_extends: .github\nfailOn: notice\n', 'trunk');
    file(
      'acme/.github',
      YML,
      'ignore:\n  - rule: unknown-s3-action\n    path: a/**\n    reason: org\n',
    );
    const config = okConfig(await load()).config;
    expect(config.ignore).toEqual([{ rule: 'unknown-s3-action', path: 'a/**', reason: 'org' }]);
  });

  it('a key written without a value keeps the base value', async () => {
    file('acme/infra', YML, '_extends: .github\nrules:\n', 'trunk');
    file('acme/.github', YML, 'rules:\n  endpoint-cross-region: off\n');
    expect(okConfig(await load()).config.rules).toEqual({ 'endpoint-cross-region': 'off' });
  });

  it('follows owner/repo:path and chains of three files', async () => {
    file('acme/infra', YML, '_extends: platform/policies:s3/guard.yml\nblock: all\n', 'trunk');
    file('platform/policies', 's3/guard.yml', '_extends: base-config\nfailOn: warning\n');
    missing('platform/base-config', YML);
    file('platform/base-config', YAML, 'failOn: notice\nonError: neutral\n');
    const config = okConfig(await load()).config;
    expect([config.block, config.failOn, config.onError]).toEqual(['all', 'warning', 'neutral']);
  });

  it('refuses a fourth level, at the _extends line of the third file', async () => {
    file('acme/infra', YML, '_extends: a\n', 'trunk');
    file('acme/a', YML, '_extends: b\n');
    file('acme/b', YML, 'failOn: never\n_extends: c\n');
    expect(errors(await load())).toEqual([
      'acme/b:.github/s3-endpoint-guard.yml:2: _extends: inherits more than 3 levels deep (acme/infra:.github/s3-endpoint-guard.yml → acme/a:.github/s3-endpoint-guard.yml → acme/b:.github/s3-endpoint-guard.yml → c); at most 3 files may form a chain',
    ]);
  });

  it('refuses cycles', async () => {
    file('acme/infra', YML, '_extends: .github\n', 'trunk');
    file('acme/.github', YML, '# org\n_extends: Acme/Infra\n');
    file('Acme/Infra', YML, '_extends: .github\n');
    expect(errors(await load())).toEqual([
      'acme/.github:.github/s3-endpoint-guard.yml:2: _extends: inherits from itself (acme/infra:.github/s3-endpoint-guard.yml → acme/.github:.github/s3-endpoint-guard.yml → Acme/Infra:.github/s3-endpoint-guard.yml); remove one of the _extends',
    ]);
  });

  it('reports a missing base at the _extends line', async () => {
    file('acme/infra', YML, 'failOn: error\n_extends: acme/shared:guard.yml\n', 'trunk');
    missing('acme/shared', 'guard.yml');
    expect(errors(await load())).toEqual([
      'acme/infra:.github/s3-endpoint-guard.yml:2: _extends: "acme/shared:guard.yml" was not found (looked for acme/shared:guard.yml); the app must be installed on that repository',
    ]);
  });

  it("reports an invalid base at the base's own line", async () => {
    file('acme/infra', YML, '_extends: .github\n', 'trunk');
    file('acme/.github', YML, 'failOn: error\nblock: some\n');
    expect(errors(await load())).toEqual([
      'acme/.github:.github/s3-endpoint-guard.yml:2: block: must be one of new, all (got "some")',
    ]);
  });

  it('refuses malformed values and paths that leave the repository', async () => {
    file('acme/infra', YML, '_extends: [a, b]\n', 'trunk');
    expect(errors(await load())[0]).toMatch(/:1: _extends: must name the file to inherit from/);
    file('acme/infra', YML, '\n_extends: acme/x:../../etc/passwd\n', 'trunk');
    expect(errors(await load())[0]).toMatch(
      /:2: _extends: the path must be relative to the repository's root/,
    );
  });
});

describe('parseExtends', () => {
  const from = { owner: 'acme', repo: 'infra' };
  it("accepts Probot's forms", () => {
    expect(parseExtends('.github', from)).toEqual({ where: { owner: 'acme', repo: '.github' } });
    expect(parseExtends('other/.github', from)).toEqual({
      where: { owner: 'other', repo: '.github' },
    });
    expect(parseExtends('repo:dir/file.yml', from)).toEqual({
      where: { owner: 'acme', repo: 'repo' },
      path: 'dir/file.yml',
    });
  });
  it('rejects everything else', () => {
    for (const bad of ['a/b/c', 'https://evil.example/x', '..', 'a:/abs', 'a:x//y', 'a:x\\y']) {
      expect(typeof parseExtends(bad, from)).toBe('string');
    }
  });
});
