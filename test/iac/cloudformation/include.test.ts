import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadCloudFormation } from '../../../src/iac/cloudformation/index.js';
import { includeTarget } from '../../../src/iac/cloudformation/include.js';
import type { FileSource } from '../../../src/source/file-source.js';
import { fixtureText, resource } from './helpers.js';

/** The fixture files, read before the spies go up; reads are served from memory and recorded. */
const FILES = new Map(
  [
    'include/main.yaml',
    'include/hostile.yaml',
    'include/parts/policy.yaml',
    'include/parts/statement.json',
    'include/parts/policy.json',
  ].map((f) => [f, fixtureText(f)]),
);

function memorySource(): FileSource & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    readFile: (path) => {
      asked.push(path);
      return Promise.resolve(FILES.get(path));
    },
  };
}

describe('Fn::Include', () => {
  const forbidden = (what: string) => () => {
    throw new Error(`${what} must not be called`);
  };
  beforeEach(() => {
    vi.spyOn(globalThis, 'fetch').mockImplementation(forbidden('fetch'));
    vi.spyOn(http, 'request').mockImplementation(forbidden('http.request'));
    vi.spyOn(http, 'get').mockImplementation(forbidden('http.get'));
    vi.spyOn(https, 'request').mockImplementation(forbidden('https.request'));
    vi.spyOn(https, 'get').mockImplementation(forbidden('https.get'));
    vi.spyOn(net, 'connect').mockImplementation(forbidden('net.connect'));
    vi.spyOn(net, 'createConnection').mockImplementation(forbidden('net.createConnection'));
    vi.spyOn(tls, 'connect').mockImplementation(forbidden('tls.connect'));
    vi.spyOn(fs, 'readFileSync').mockImplementation(forbidden('fs.readFileSync'));
    vi.spyOn(fs, 'readFile').mockImplementation(forbidden('fs.readFile'));
    vi.spyOn(fs, 'openSync').mockImplementation(forbidden('fs.openSync'));
    vi.spyOn(fs.promises, 'readFile').mockImplementation(forbidden('fs.promises.readFile'));
    vi.spyOn(fs.promises, 'open').mockImplementation(forbidden('fs.promises.open'));
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('splices in repository-local files, with ranges in the included file', async () => {
    const source = memorySource();
    const scope = await loadCloudFormation(
      'include/main.yaml',
      FILES.get('include/main.yaml') ?? '',
      source,
    );
    expect(source.asked).toEqual([
      'include/parts/policy.yaml',
      'include/parts/statement.json',
      'include/parts/policy.json',
    ]);
    expect(scope.files).toEqual([
      'include/main.yaml',
      'include/parts/policy.yaml',
      'include/parts/statement.json',
      'include/parts/policy.json',
    ]);

    const whole = resource(scope, 'LocalPolicy', 'bucket-policy').policy?.variants[0]?.document;
    expect(whole?.statements[0]).toMatchObject({
      effect: 'Deny',
      range: { file: 'include/parts/policy.yaml', startLine: 3 },
    });

    const statement = resource(scope, 'LocalStatementJson', 'bucket-policy').policy?.variants[0]
      ?.document.statements[0];
    expect(statement).toMatchObject({
      effect: 'Allow',
      range: { file: 'include/parts/statement.json', startLine: 1, endLine: 6 },
    });

    // `type: string` includes the text; as a policy document it is parsed as JSON text.
    const text = resource(scope, 'LocalString', 'bucket-policy').policy?.variants[0]?.document
      .statements[0];
    expect(text).toMatchObject({ effect: 'Allow' });
    expect(scope.diagnostics).toEqual([]);
  });

  it('refuses every include that reads outside the repository, without any network or disk access', async () => {
    const source = memorySource();
    const scope = await loadCloudFormation(
      'include/hostile.yaml',
      FILES.get('include/hostile.yaml') ?? '',
      source,
    );
    // Nothing but the FileSource was asked, and only for nothing: every location was refused.
    expect(source.asked).toEqual([]);
    const unresolved = (address: string): string | undefined =>
      resource(scope, address, 'bucket-policy').policy?.unresolved;
    expect(unresolved('Http')).toMatch(/remote Fn::Include not evaluated \(http/);
    expect(unresolved('Https')).toMatch(/remote Fn::Include not evaluated \(https/);
    expect(unresolved('S3')).toMatch(/remote Fn::Include not evaluated \(s3/);
    expect(unresolved('File')).toMatch(/remote Fn::Include not evaluated \(file/);
    expect(unresolved('Absolute')).toMatch(/absolute path/);
    expect(unresolved('Outside')).toMatch(/outside the repository/);
    expect(unresolved('Eval')).toMatch(/Fn::Eval runs code/);
    expect(unresolved('Cycle')).toMatch(/cycle/);
    // Fn::GetEnv inside a statement: the policy is read, the value is unknown and listed.
    const env = resource(scope, 'Env', 'bucket-policy').policy;
    expect(env?.unresolved).toBeUndefined();
    expect(env?.variants[0]?.document.statements[0]?.resource?.items[0]).toMatchObject({
      kind: 'unknown',
      reason: expect.stringContaining('Fn::GetEnv'),
    });
    expect(scope.diagnostics).toContainEqual(
      expect.objectContaining({
        kind: 'unresolved',
        message: expect.stringContaining('Fn::GetEnv'),
        range: expect.objectContaining({ startLine: 44 }),
      }),
    );
  });

  it.each([
    ['parts/a.yaml', 'dir/t.yaml', { path: 'dir/parts/a.yaml' }],
    ['./a.yaml', 't.yaml', { path: 'a.yaml' }],
    ['../a.yaml', 'dir/t.yaml', { path: 'a.yaml' }],
    ['../../a.yaml', 'dir/t.yaml', { refused: expect.stringContaining('outside') }],
    ['dir/../../a.yaml', 't.yaml', { refused: expect.stringContaining('outside') }],
    ['..\\..\\a.yaml', 'dir/t.yaml', { refused: expect.stringContaining('outside') }],
    ['C:\\Windows\\win.ini', 't.yaml', { refused: expect.stringContaining('remote') }],
    ['/etc/passwd', 't.yaml', { refused: expect.stringContaining('absolute') }],
    ['~/.aws/credentials', 't.yaml', { refused: expect.stringContaining('absolute') }],
    ['S3://b/k', 't.yaml', { refused: expect.stringContaining('remote') }],
    ['parts/*.yaml', 't.yaml', { refused: expect.stringContaining('glob') }],
  ])('includeTarget(%s from %s)', (location, from, expected) => {
    expect(includeTarget(location, from)).toEqual(expected);
  });
});
